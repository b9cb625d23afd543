"""Issue 8 §1, the lint check cfn-lint lacks: two resources of one account-wide name space
(target groups, load balancers, security groups of one VPC) with the same name across the rendered
stacks of a cluster are an error (I2C0002), located at both manifests."""

from __future__ import annotations

import json

import kit
import pytest
import yaml

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.lint.findings import Severity
from ingress2cfn.lint.names import RULE_ID, claims, duplicates

ANNOTATION = "alb.ingress.kubernetes.io/load-balancer-name"


def _two_groups(tmp_path, first_name: str, second_name: str):
    shop = kit.ingress(
        "shop", "shop", annotations={"group.name": "shop", "load-balancer-name": first_name}, rules=[kit.rule(None, kit.path("/", "Prefix", "web", 80))]
    )
    blog = kit.ingress(
        "blog", "blog", annotations={"group.name": "blog", "load-balancer-name": second_name}, rules=[kit.rule(None, kit.path("/", "Prefix", "web", 80))]
    )
    objects = [kit.ingress_class(), shop, kit.service("web", "shop"), blog, kit.service("web", "blog")]
    manifests = tmp_path / "apps.yaml"
    manifests.write_text("".join("---\n" + yaml.safe_dump(o) for o in objects))
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    return manifests, vpc


def _line(path, needle: str, nth: int) -> int:
    lines = [i for i, text in enumerate(path.read_text().splitlines(), start=1) if needle in text]
    return lines[nth]


def test_two_groups_with_the_same_load_balancer_name_are_an_error_at_both_annotations(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    manifests, vpc = _two_groups(tmp_path, "shared-alb", "shared-alb")
    code = main(["lint", "-f", str(manifests), "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == EXIT_INVALID, out + err

    found = [f for f in json.loads(out)["findings"] if f["ruleId"] == RULE_ID]
    assert len(found) == 1, found
    (finding,) = found
    assert "load balancer name 'shared-alb'" in finding["message"]
    assert ANNOTATION in finding["message"]
    lines = sorted(loc["line"] for loc in finding["locations"])
    # both Ingresses' load-balancer-name lines
    assert lines == sorted([_line(manifests, "load-balancer-name", 0), _line(manifests, "load-balancer-name", 1)])
    assert all(loc["file"].endswith("apps.yaml") for loc in finding["locations"])


def test_the_error_is_found_again_when_every_template_comes_from_the_lint_cache(capsys, tmp_path, monkeypatch):
    """I2C0002 looks across templates, so it runs outside the per-template jobs: the names each job
    found are kept in its cache entry, and a fully cached lint still reports the clash."""
    monkeypatch.setenv("NO_COLOR", "1")
    manifests, vpc = _two_groups(tmp_path, "shared-alb", "shared-alb")
    argv = ["lint", "-f", str(manifests), "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--format", "json", "--cache-dir", str(tmp_path / "cache")]
    reports = []
    for _ in range(2):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == EXIT_INVALID, out + err
        reports.append([f for f in json.loads(out)["findings"] if f["ruleId"] == RULE_ID])
    assert "3 of 3 templates unchanged since a previous lint" in err
    assert len(reports[0]) == 1 and reports[1] == reports[0]


def test_different_load_balancer_names_pass(capsys, tmp_path):
    manifests, vpc = _two_groups(tmp_path, "shop-alb", "blog-alb")
    code = main(["lint", "-f", str(manifests), "--vpc", str(vpc), "--cluster", kit.CLUSTER])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, out + err
    assert RULE_ID not in out


def _template(*resources: tuple[str, str, dict], members=("ns/a",)) -> dict:
    return {
        "Metadata": {"ingress2cfn": {"group": "g", "members": list(members)}},
        "Resources": {
            lid: {"Type": t, "Properties": props, "Metadata": {"ingress2cfn": {"group": "g", "sources": list(members)}}} for lid, t, props in resources
        },
    }


def duplicate_names(templates):
    return duplicates((stack, claims(template)) for stack, template in templates)


TG = "AWS::ElasticLoadBalancingV2::TargetGroup"
LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
SG = "AWS::EC2::SecurityGroup"


@pytest.mark.parametrize(
    "first, second, clash",
    [
        pytest.param(("A", TG, {"Name": "k8s-x-y-1"}), ("B", TG, {"Name": "k8s-x-y-1"}), True, id="target-groups"),
        pytest.param(("A", TG, {"Name": "k8s-x-y-1"}), ("B", TG, {"Name": "k8s-x-y-2"}), False, id="target-groups-differ"),
        pytest.param(("A", LB, {"Name": "web"}), ("B", LB, {"Name": "WEB", "Type": "network"}), True, id="alb-and-nlb-share-a-name-space"),
        pytest.param(("A", SG, {"GroupName": "g", "VpcId": "vpc-1"}), ("B", SG, {"GroupName": "g", "VpcId": "vpc-1"}), True, id="sg-same-vpc"),
        pytest.param(("A", SG, {"GroupName": "g", "VpcId": "vpc-1"}), ("B", SG, {"GroupName": "g", "VpcId": "vpc-2"}), False, id="sg-other-vpc"),
        pytest.param(("A", TG, {"Name": "same"}), ("B", LB, {"Name": "same"}), False, id="tg-and-lb-are-different-spaces"),
        pytest.param(("A", TG, {}), ("B", TG, {}), False, id="unnamed-cloudformation-generates"),
    ],
)
def test_name_spaces(first, second, clash):
    found = duplicate_names([("s1", _template(first, members=("ns/a",))), ("s2", _template(second, members=("ns/b",)))])
    assert bool(found) is clash
    if clash:
        (f,) = found
        assert f.severity is Severity.ERROR and f.stack == "s2" and f.logical_id == "B"
        assert f.ingresses == ("ns/b", "ns/a")  # its own manifest first, then the first holder's
        assert "stack s1" in f.message


def test_a_duplicate_inside_one_stack_is_found_too():
    found = duplicate_names([("s1", _template(("A", TG, {"Name": "n"}), ("B", TG, {"Name": "n"})))])
    assert [f.logical_id for f in found] == ["B"] and "this stack" in found[0].message


@pytest.mark.parametrize(
    "resources",
    [
        pytest.param({"A": {"Type": [], "Properties": {"Name": "n"}}}, id="type-a-list"),
        pytest.param({"A": {"Type": {"k": 1}}}, id="type-a-mapping"),
        pytest.param({"A": {"Type": TG, "Properties": ["Name"]}}, id="properties-a-list"),
        pytest.param({"A": {"Type": TG, "Properties": {"Name": ["n"]}}}, id="name-a-list"),
        pytest.param({"A": {"Type": TG, "Properties": {"Name": "n"}, "Metadata": {"ingress2cfn": ["x"]}}}, id="metadata-a-list"),
        pytest.param({"A": "not a resource"}, id="resource-a-string"),
    ],
)
def test_claims_of_a_malformed_template_never_crash(resources):
    found = claims({"Resources": resources})
    assert all(c.name == "n" and c.logical_id == "A" for c in found)
