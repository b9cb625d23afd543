"""Replacement prediction per resource type: the create-only properties come from the resource
schemas inside cfn-lint; a change to one (or a reference to a replaced resource from one)
replaces the resource, anything else does not. Plus what the review makes of it: CloudFormation's
answer beside the prediction, and Blockers for custom-named resources that keep their name."""

from __future__ import annotations

import copy

import pytest
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
from review_support import shop, update

from ingress2cfn.deploy.review import Replacement, build_review, predict_replacements
from ingress2cfn.deploy.review.create_only import create_only_properties
from ingress2cfn.model.quotas import DEFAULT_LIMITS

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
TG = "AWS::ElasticLoadBalancingV2::TargetGroup"
CERT = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
SG = "AWS::EC2::SecurityGroup"
SG_INGRESS = "AWS::EC2::SecurityGroupIngress"
WAF = "AWS::WAFv2::WebACLAssociation"
HTTP_ONLY = {"listen-ports": '[{"HTTP": 80}]', "certificate-arn": "", "wafv2-acl-arn": ""}


def _base() -> dict:
    tpl = shop(paths=("/a",))
    tpl["Resources"]["NodeRule"] = {
        "Type": SG_INGRESS,
        "Properties": {"GroupId": "sg-nodes", "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": "10.0.0.0/16"},
    }
    return tpl


def _edit(type_: str, prop: str, value) -> dict:
    """The base template with one property of its first resource of `type_` set (None deletes it)."""
    tpl = copy.deepcopy(_base())
    body = tpl["Resources"][_lid(type_)]
    if value is None:
        body["Properties"].pop(prop, None)
    else:
        body["Properties"][prop] = value
    return tpl


def _lid(type_: str) -> str:
    return min(k for k, v in _base()["Resources"].items() if v["Type"] == type_)


# (resource type, property, new value, replaced properties of that resource or () when updated in place)
CASES = [
    (LB, "Scheme", "internal", ("Scheme",)),
    (LB, "Name", "k8s-web-renamed", ("Name",)),
    (LB, "IpAddressType", "dualstack", ()),
    (LB, "LoadBalancerAttributes", [{"Key": "idle_timeout.timeout_seconds", "Value": "120"}], ()),
    (LISTENER, "Port", 8443, ()),
    (LISTENER, "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06", ()),
    (RULE, "Priority", 7, ()),
    (RULE, "Conditions", [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/z"]}}], ()),
    (TG, "Port", 9090, ("Port",)),
    (TG, "Protocol", "HTTPS", ("Protocol",)),
    (TG, "TargetType", "instance", ("TargetType",)),
    (TG, "VpcId", "vpc-other", ("VpcId",)),
    (TG, "IpAddressType", "ipv6", ("IpAddressType",)),
    (TG, "ProtocolVersion", "HTTP2", ("ProtocolVersion",)),
    (TG, "HealthCheckPath", "/healthz", ()),
    (TG, "Port", "8080", ()),  # the same port written as a string
    (CERT, "Certificates", [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/cccc"}], ()),
    (SG, "GroupDescription", "another description", ("GroupDescription",)),
    (SG, "SecurityGroupIngress", [], ()),
    (SG_INGRESS, "CidrIp", "10.1.0.0/16", ("CidrIp",)),
    (SG_INGRESS, "Description", "nodes", ()),
    (WAF, "WebACLArn", "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/other/2222", ("WebACLArn",)),
]


@pytest.mark.parametrize(("type_", "prop", "value", "expected"), CASES, ids=[f"{t.rsplit('::', 1)[1]}.{p}={v!r}"[:60] for t, p, v, _ in CASES])
def test_replacement_per_property(type_, prop, value, expected):
    found = {r.logical_id: r for r in predict_replacements(_base(), _edit(type_, prop, value))}
    assert found.get(_lid(type_), Replacement("", "", (), False)).properties == expected


def test_create_only_properties_agree_with_cfn_lint():
    """The package-data reading gives the same lists as cfn-lint's own schema manager."""
    for type_ in (LB, LISTENER, RULE, TG, CERT, SG, SG_INGRESS, WAF, "AWS::WAFRegional::WebACLAssociation", "AWS::Shield::Protection"):
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", type_).schema
        expected = sorted(tuple(p.split("/")[2:]) for p in schema.get("createOnlyProperties", []))
        assert list(create_only_properties(type_)) == expected, type_


def test_unknown_type_has_no_create_only_properties():
    assert create_only_properties("Custom::Thing") == ()


def test_type_change_replaces():
    old = _base()
    new = copy.deepcopy(old)
    new["Resources"]["NodeRule"]["Type"] = "AWS::EC2::SecurityGroupEgress"
    (r,) = predict_replacements(old, new)
    assert (r.logical_id, r.properties) == ("NodeRule", ("Type",))


def test_replaced_alb_replaces_what_refers_to_it_from_create_only_properties():
    new = _edit(LB, "Scheme", "internal")
    found = {r.logical_id: r for r in predict_replacements(_base(), new)}
    listener_ids = {k for k, v in new["Resources"].items() if v["Type"] == LISTENER}
    rule_ids = {k for k, v in new["Resources"].items() if v["Type"] == RULE}
    tg = _lid(TG)
    assert {lid for lid in found if lid in listener_ids} == listener_ids
    assert {lid for lid in found if lid in rule_ids} == rule_ids
    assert all(found[lid].properties == ("LoadBalancerArn",) and found[lid].because == ("LoadBalancer",) for lid in listener_ids)
    assert found[_lid(WAF)].properties == ("ResourceArn",)
    assert tg not in found  # target groups do not refer to the ALB: the review says they must follow (test_review_dangers)
    assert found["LoadBalancer"].custom_named and not found[_lid(WAF)].custom_named


def test_nothing_is_replaced_between_equal_templates():
    assert predict_replacements(_base(), copy.deepcopy(_base())) == ()


def test_malformed_templates_predict_nothing():
    assert predict_replacements({"Resources": {"X": "not a mapping", "Y": {"Type": 5}}}, {"Resources": []}) == ()


# ------------------------------------------------------------------- CloudFormation's answer beside the prediction


def _change(lid: str, type_: str, replacement: str | None, *details: tuple[str, str]) -> dict:
    rc = {"Action": "Modify", "LogicalResourceId": lid, "ResourceType": type_}
    if replacement is not None:
        rc["Replacement"] = replacement
        rc["Details"] = [{"Target": {"Attribute": "Properties", "Name": n, "RequiresRecreation": how}, "Evaluation": "Static"} for n, how in details]
    return {"Type": "Resource", "ResourceChange": rc}


def _row(old: dict, new: dict, *changes: dict):
    review = build_review([update(old, new, tuple(changes))], DEFAULT_LIMITS)
    return review, {r.logical_id: r for r in review.stacks[0].resources}


def test_cloudformation_agreeing_with_the_prediction():
    tg = _lid(TG)
    _, rows = _row(_base(), _edit(TG, "VpcId", "vpc-other"), _change(tg, TG, "True", ("VpcId", "Always")))
    row = rows[tg]
    assert (row.replacement, row.causes, row.cloudformation, row.predicted, row.differs) == ("yes", ("VpcId",), "True", ("VpcId",), False)


def test_cloudformation_conditional_is_shown_beside_the_prediction():
    tg = _lid(TG)
    _, rows = _row(_base(), _edit(TG, "HealthCheckPath", "/healthz"), _change(tg, TG, "Conditional", ("HealthCheckPath", "Conditionally")))
    row = rows[tg]
    assert (row.replacement, row.cloudformation, row.predicted, row.differs) == ("conditional", "Conditional", (), True)


def test_cloudformation_saying_true_wins_over_a_prediction_of_no():
    tg = _lid(TG)
    _, rows = _row(_base(), _edit(TG, "HealthCheckPath", "/healthz"), _change(tg, TG, "True", ("HealthCheckPath", "Always")))
    row = rows[tg]
    assert (row.replacement, row.causes, row.predicted, row.differs) == ("yes", ("HealthCheckPath",), (), True)


def test_without_cloudformation_details_the_prediction_stands_and_a_note_says_so():
    tg = _lid(TG)
    review, rows = _row(_base(), _edit(TG, "VpcId", "vpc-other"), _change(tg, TG, None))
    row = rows[tg]
    assert (row.replacement, row.cloudformation, row.predicted, row.differs) == ("yes", None, ("VpcId",), False)
    assert any("predicted from the deployed and the new template" in n for n in review.stacks[0].notes)


# ------------------------------------------------------------------- blockers: a custom name that stays


def test_target_group_replaced_under_the_same_name_is_blocked():
    review, _ = _row(_base(), _edit(TG, "VpcId", "vpc-other"))
    (blocker,) = review.blockers
    assert blocker.logical_id == _lid(TG)
    assert "keeps its Name" in blocker.message and "VpcId" in blocker.message
    assert "two steps" in blocker.way_out


def test_scheme_change_with_a_fixed_alb_name_is_blocked_with_the_annotation_as_way_out():
    old = shop(**{"load-balancer-name": "shop-alb", **HTTP_ONLY})
    new = shop(**{"load-balancer-name": "shop-alb", "scheme": "internal", **HTTP_ONLY})
    review = build_review([update(old, new)], DEFAULT_LIMITS)
    assert [b.logical_id for b in review.blockers] == ["LoadBalancer"]
    assert "alb.ingress.kubernetes.io/load-balancer-name" in review.blockers[0].way_out


def test_scheme_change_with_the_generated_name_is_not_blocked():
    """The generated ALB name hashes the scheme (model.naming), so the new ALB has a new name."""
    review = build_review([update(shop(**HTTP_ONLY), shop(scheme="internal", **HTTP_ONLY))], DEFAULT_LIMITS)
    assert review.blockers == ()
    assert [d.kind for d in review.dangers][:1] == ["alb-replaced"]


def test_security_group_description_change_is_blocked():
    review, _ = _row(_base(), _edit(SG, "GroupDescription", "another description"))
    assert [b.logical_id for b in review.blockers] == [_lid(SG)]


def test_replacement_without_a_name_is_not_blocked():
    review, rows = _row(_base(), _edit(SG_INGRESS, "CidrIp", "10.1.0.0/16"))
    assert rows["NodeRule"].replacement == "yes"
    assert review.blockers == ()
