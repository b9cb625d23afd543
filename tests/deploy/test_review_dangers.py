"""The danger banner, table-driven: each case edits the manifests (or, where no manifest can say
it, the template) of a deployed group and names the dangers the review must raise."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from review_support import CERT_A, CERT_B, create, of_type, one_of_type, remove, shop, update

from ingress2cfn.deploy.review import build_review
from ingress2cfn.deploy.review.dangers import PRIORITY_MOVES_ALLOWED
from ingress2cfn.model.quotas import DEFAULT_LIMITS

HTTP_ONLY = {"listen-ports": '[{"HTTP": 80}]', "certificate-arn": "", "wafv2-acl-arn": ""}
SG = "AWS::EC2::SecurityGroup"
TG = "AWS::ElasticLoadBalancingV2::TargetGroup"


def _kinds(change) -> list[str]:
    return sorted({d.kind for d in build_review([change], DEFAULT_LIMITS).dangers})


def _with_external_open_rule(tpl: dict) -> dict:
    """A standalone ingress rule that opens a security group the stack does not own."""
    out = copy.deepcopy(tpl)
    out["Resources"]["NodesOpen"] = {
        "Type": "AWS::EC2::SecurityGroupIngress",
        "Properties": {"GroupId": "sg-nodes", "IpProtocol": "tcp", "FromPort": 30080, "ToPort": 30080, "CidrIp": "0.0.0.0/0"},
    }
    return out


def _with_new_open_group(tpl: dict) -> dict:
    out = copy.deepcopy(tpl)
    out["Resources"]["ExtraGroup"] = {
        "Type": SG,
        "Properties": {"GroupDescription": "extra", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]},
    }
    return out


def _with_unused_target_group_port(tpl: dict, port: int) -> dict:
    out = copy.deepcopy(tpl)
    out["Resources"]["Unused"] = {"Type": TG, "Properties": {"Name": f"unused-{port}", "Port": port, "Protocol": "HTTP", "VpcId": "vpc-test"}}
    return out


def _drop_waf(tpl: dict) -> dict:
    out = copy.deepcopy(tpl)
    for lid in of_type(out, "AWS::WAFv2::WebACLAssociation"):
        del out["Resources"][lid]
    return out


CASES: list[tuple[str, Callable[[], object], list[str]]] = [
    ("nothing changes", lambda: update(shop(), shop()), []),
    ("a path added at the end", lambda: update(shop(), shop(paths=("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h"))), []),
    ("a brand-new stack is never a danger", lambda: create(shop(scheme="internal")), []),
    (
        "scheme changed: the ALB is replaced, its listeners follow",
        lambda: update(shop(), shop(scheme="internal")),
        ["alb-replaced", "listener-replaced"],
    ),
    (
        "a listener removed, with its certificates",
        lambda: update(shop(), shop(**{"listen-ports": '[{"HTTP": 80}]', "certificate-arn": ""})),
        ["certificate-removed", "listener-removed"],
    ),
    ("one of two certificates removed", lambda: update(shop(), shop(**{"certificate-arn": CERT_A})), ["certificate-removed"]),
    ("the WAF web ACL association removed", lambda: update(shop(), shop(**{"wafv2-acl-arn": ""})), ["waf-removed"]),
    ("a target group that serves traffic replaced (port)", lambda: update(shop(**HTTP_ONLY), shop(target_port=9090, **HTTP_ONLY)), ["target-group-replaced"]),
    (
        "a target group that serves no listener replaced",
        lambda: update(_with_unused_target_group_port(shop(**HTTP_ONLY), 80), _with_unused_target_group_port(shop(**HTTP_ONLY), 81)),
        [],
    ),
    (
        "the managed security group opened to the world",
        lambda: update(shop(**{"inbound-cidrs": "10.0.0.0/8"}), shop(**{"inbound-cidrs": "0.0.0.0/0"})),
        ["security-group-opened"],
    ),
    ("an already open security group gets another port", lambda: update(shop(**HTTP_ONLY), shop(**{"certificate-arn": CERT_A, "wafv2-acl-arn": ""})), []),
    ("a security group outside the stack opened", lambda: update(shop(), _with_external_open_rule(shop())), ["security-group-opened"]),
    ("a new security group open to the world", lambda: update(shop(), _with_new_open_group(shop())), []),
    (
        f"{PRIORITY_MOVES_ALLOWED + 1} rule priorities change",
        lambda: update(shop(paths=("/b", "/c", "/d", "/e", "/f", "/g"), **HTTP_ONLY), shop(paths=("/a", "/b", "/c", "/d", "/e", "/f", "/g"), **HTTP_ONLY)),
        ["priorities-changed"],
    ),
    (
        f"{PRIORITY_MOVES_ALLOWED} rule priorities change",
        lambda: update(shop(paths=("/b", "/c", "/d", "/e", "/f"), **HTTP_ONLY), shop(paths=("/a", "/b", "/c", "/d", "/e", "/f"), **HTTP_ONLY)),
        [],
    ),
    ("the whole stack removed", lambda: remove(shop()), ["alb-removed", "certificate-removed", "listener-removed", "waf-removed"]),
]


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in CASES], ids=[i for i, _, _ in CASES])
def test_dangers(change, expected):
    assert _kinds(change()) == expected


def test_priorities_are_checked_against_the_same_rules():
    """Sanity of the case above: 6 paths whose Prefix sorts after /a each move by one."""
    old, new = shop(paths=("/b", "/c", "/d", "/e", "/f", "/g"), **HTTP_ONLY), shop(paths=("/a", "/b", "/c", "/d", "/e", "/f", "/g"), **HTTP_ONLY)
    (danger,) = build_review([update(old, new)], DEFAULT_LIMITS).dangers
    assert danger.message.startswith("6 listener rules change priority (ListenerHTTP80: 1→2, ")


def test_alb_replacement_names_the_target_groups_that_must_follow():
    (danger,) = [d for d in build_review([update(shop(), shop(scheme="internal"))], DEFAULT_LIMITS).dangers if d.kind == "alb-replaced"]
    tg, _ = one_of_type(shop(), TG)
    assert danger.logical_id == "LoadBalancer"
    assert "Scheme" in danger.message and "Name" in danger.message
    assert f"its target group {tg} must be replaced with it" in danger.message


def test_dangers_come_in_banner_order_and_name_their_stack():
    review = build_review([remove(shop(), name="stack-b"), update(shop(), shop(scheme="internal"), name="stack-a")], DEFAULT_LIMITS)
    assert [(d.stack, d.kind) for d in review.dangers][:2] == [("stack-a", "alb-replaced"), ("stack-a", "listener-replaced")]
    assert {d.stack for d in review.dangers} == {"stack-a", "stack-b"}


def test_external_group_is_named_by_its_id():
    (danger,) = build_review([update(shop(), _with_external_open_rule(shop()))], DEFAULT_LIMITS).dangers
    assert danger.logical_id is None
    assert danger.message == "existing security group sg-nodes is opened to 0.0.0.0/0 (tcp 30080)"


def test_certificate_removal_names_the_certificate():
    dangers = build_review([update(shop(), shop(**{"certificate-arn": CERT_A}))], DEFAULT_LIMITS).dangers
    assert [d.message.split(" is removed")[0] for d in dangers] == [f"certificate {CERT_B}"]


def test_removed_alb_that_is_retained_says_so():
    old = shop()
    old["Resources"]["LoadBalancer"]["DeletionPolicy"] = "RetainExceptOnCreate"
    (danger,) = [d for d in build_review([remove(old)], DEFAULT_LIMITS).dangers if d.kind == "alb-removed"]
    assert danger.message.endswith("is removed from the stack and kept in AWS, no longer managed by the stack (DeletionPolicy RetainExceptOnCreate)")
