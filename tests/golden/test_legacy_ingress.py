"""Issue 8 §2: legacy Ingress versions. The 2048 sample rewritten as `extensions/v1beta1`
(`serviceName`/`servicePort`, no `pathType`, `path: /*`, the class annotation) renders the same
load balancer, listener, rule conditions and actions and target group as the v1 sample, plus one
warning naming the conversion (golden: legacy/expected-warnings.txt)."""

from __future__ import annotations

import pytest
import yaml

from ingress2cfn.cli import EXIT_OK, main
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import parse_text
from tools.regenerate_templates import ROOT

HERE = ROOT / "tests/golden/legacy"
LEGACY = HERE / "2048_v1beta1.yaml"
V1 = ROOT / "examples/2048/2048_full.yaml"
VPC = ROOT / "examples/2048/vpc.yaml"


def _render(capsys, monkeypatch, source) -> tuple[dict, str]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["render", "-f", str(source.relative_to(ROOT)), "--vpc", str(VPC.relative_to(ROOT)), "--cluster", "my-cluster"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    return yaml.safe_load(out), err


def _by_type(template: dict, type_: str) -> list[dict]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == type_]


def test_legacy_2048_renders_the_same_alb_as_v1(capsys, monkeypatch):
    legacy, legacy_err = _render(capsys, monkeypatch, LEGACY)
    v1, v1_err = _render(capsys, monkeypatch, V1)
    for type_ in ("LoadBalancer", "Listener", "TargetGroup"):
        full = f"AWS::ElasticLoadBalancingV2::{type_}"
        assert _by_type(legacy, full) == _by_type(v1, full), type_
    (legacy_rule,), (v1_rule,) = _by_type(legacy, "AWS::ElasticLoadBalancingV2::ListenerRule"), _by_type(v1, "AWS::ElasticLoadBalancingV2::ListenerRule")
    assert legacy_rule["Conditions"] == v1_rule["Conditions"] == [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}]
    assert legacy_rule["Actions"] == v1_rule["Actions"]
    assert legacy_rule["Priority"] == v1_rule["Priority"]
    assert v1_err == ""
    assert legacy_err == (HERE / "expected-warnings.txt").read_text()


def test_the_warning_names_the_conversion_and_the_v1_fields():
    text = (HERE / "expected-warnings.txt").read_text()
    assert text.count("warning: ") == 1
    assert "2048_v1beta1.yaml:54 [doc 4] Ingress game-2048/ingress-2048: extensions/v1beta1 Ingress (removed in Kubernetes 1.22) converted" in text
    assert "serviceName/servicePort → backend.service.name and backend.service.port.number" in text
    assert "no pathType → pathType: ImplementationSpecific" in text


def _one(text: str):
    manifests = parse_manifests(parse_text(text, "in.yaml"))
    (ing,) = manifests.ingresses
    return ing, manifests.warnings


@pytest.mark.parametrize("api", ["extensions/v1beta1", "networking.k8s.io/v1beta1"])
def test_default_backend_and_named_ports_convert(api):
    ing, warnings = _one(
        f"""
apiVersion: {api}
kind: Ingress
metadata: {{name: web, annotations: {{kubernetes.io/ingress.class: alb}}}}
spec:
  backend: {{serviceName: fallback, servicePort: http}}
  rules:
    - host: a.example.com
      http:
        paths:
          - {{path: /api, pathType: Prefix, backend: {{serviceName: api, servicePort: "8080"}}}}
"""
    )
    assert (ing.default_backend.name, ing.default_backend.port_name, ing.default_backend.port_number) == ("fallback", "http", None)
    (p,) = ing.rules[0].paths
    assert (p.backend.name, p.backend.port_number, p.path_type.value) == ("api", 8080, "Prefix")  # an explicit pathType is kept
    assert ing.annotations["kubernetes.io/ingress.class"] == "alb"
    (w,) = warnings
    assert api in w.message and "spec.backend → spec.defaultBackend" in w.message and "pathType" not in w.message.split("Write")[0]
    assert w.location.line == 2  # at apiVersion


def test_a_malformed_legacy_backend_is_a_located_v1_error():
    from ingress2cfn.input.errors import InputError

    with pytest.raises(InputError, match=r"in.yaml:5 \[doc 1\] Ingress default/web spec.defaultBackend.service.name: required field is missing"):
        _one("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  backend: {servicePort: 80}\n")
