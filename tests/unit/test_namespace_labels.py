"""namespaceSelector labels come from --namespaces FILE (the cluster), never from Namespace objects
among the manifests being judged: a pull request could add one that labels its own namespace."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import RenderRequest, render_files

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "policy"


def _render(*sources: Path, namespaces: Path | None = None):
    settings = Settings(cluster="my-cluster", ingress_class="alb", default_namespace="default")
    request = RenderRequest(
        sources=tuple(str(s) for s in sources),
        vpc_file=str(ROOT / "examples" / "ingress-group" / "vpc.yaml"),
        settings=settings,
        namespaces_file=str(namespaces) if namespaces else None,
    )
    return render_files(request)


def test_a_namespace_object_in_the_input_does_not_satisfy_a_selector():
    with pytest.raises(Ingress2CfnError) as caught:
        _render(EXAMPLE / "main.yaml", EXAMPLE / "pull-request" / "namespace-label.yaml")
    message = str(caught.value)
    assert "namespaceSelector of IngressClassParams shop-only mismatch" in message
    assert "the labels of Namespace blog are not known" in message and "--namespaces FILE" in message


def test_the_cluster_labels_decide(tmp_path):
    cluster = tmp_path / "namespaces.yaml"
    cluster.write_text((EXAMPLE / "namespaces.yaml").read_text().replace("team: blog", "team: shop"))
    result = _render(EXAMPLE / "main.yaml", EXAMPLE / "pull-request" / "namespace-label.yaml", namespaces=cluster)
    assert any("blog/blog" in g.template for g in result.groups)
    with pytest.raises(Ingress2CfnError) as caught:
        _render(EXAMPLE / "main.yaml", EXAMPLE / "pull-request" / "namespace-label.yaml", namespaces=EXAMPLE / "namespaces.yaml")
    assert "(Namespace blog has the labels kubernetes.io/metadata.name=blog, team=blog)" in str(caught.value)
