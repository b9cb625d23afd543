"""Issue 9 §3 (owned here, in the loader): a mapping key written twice is refused with both line
numbers, in manifests, VPC descriptions and policy files alike — kubectl and kustomize refuse them,
and "last one wins" renders what a reviewer did not read."""

from __future__ import annotations

import pytest

from ingress2cfn.cli import EXIT_INVALID, main
from tools.regenerate_templates import ROOT

SAMPLE = (ROOT / "examples/2048/2048_full.yaml").read_text()
VPC = (ROOT / "examples/ingress-group/vpc.yaml").read_text()
POLICY = (ROOT / "tests/lint/policy/policy.yaml").read_text()


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    "what, text, key, first",
    [
        pytest.param(
            "manifests",
            SAMPLE.replace(
                "    alb.ingress.kubernetes.io/scheme: internet-facing\n",
                "    alb.ingress.kubernetes.io/scheme: internal\n    alb.ingress.kubernetes.io/scheme: internet-facing\n",
            ),
            "alb.ingress.kubernetes.io/scheme",
            _line(SAMPLE, "alb.ingress.kubernetes.io/scheme"),
            id="annotation",
        ),
        pytest.param(
            "manifests",
            SAMPLE.replace("  namespace: game-2048\n  name: ingress-2048\n", "  namespace: game-2048\n  namespace: kube-system\n  name: ingress-2048\n"),
            "namespace",
            _line(SAMPLE, "name: ingress-2048") - 1,
            id="namespace",
        ),
        pytest.param("manifests", SAMPLE.replace("kind: Ingress\n", "kind: Ingress\nkind: Service\n"), "kind", _line(SAMPLE, "kind: Ingress"), id="kind"),
        pytest.param(
            "vpc",
            VPC.replace("vpcId: vpc-0e5d4c3b2a1f09e8d\n", "vpcId: vpc-0e5d4c3b2a1f09e8d\nvpcId: vpc-0123456789abcdef0\n"),
            "vpcId",
            _line(VPC, "vpcId:"),
            id="vpc",
        ),
        pytest.param(
            "policy",
            POLICY.replace("internetFacing: {namespaces: [shop]}", "internetFacing: {namespaces: [shop]}\ninternetFacing: {namespaces: ['*']}"),
            "internetFacing",
            _line(POLICY, "internetFacing:"),
            id="policy",
        ),
    ],
)
def test_a_key_written_twice_is_refused_with_both_lines(tmp_path, capsys, what, text, key, first):
    path = tmp_path / ("vpc.yaml" if what == "vpc" else "input.yaml")
    path.write_text(text)
    manifests, vpc, extra = str(ROOT / "examples/2048/2048_full.yaml"), str(ROOT / "examples/2048/vpc.yaml"), []
    if what == "manifests":
        manifests = str(path)
    elif what == "vpc":
        manifests, vpc = str(ROOT / "examples/ingress-group/manifests.yaml"), str(path)
    else:
        extra = ["--policy", str(path)]
    code = main(["lint" if what == "policy" else "render", "-f", manifests, "--vpc", vpc, "--cluster", "my-cluster", *extra])
    _, err = capsys.readouterr()
    assert code == EXIT_INVALID, err
    assert f"{path}:{first + 1} " in err  # located at the second one
    assert f"duplicate key {key!r}: first at line {first}, again at line {first + 1}" in err
