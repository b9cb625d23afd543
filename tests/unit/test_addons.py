"""Load balancer add-ons and settings: lbc-semantics §4.1, §4.9, §9.4-9.5 (WAFv2, WAF classic, Shield,
IPAM, minimum capacity, security-group-prefix-lists, manage-backend-security-group-rules,
dualstack-without-public-ipv4, customer-owned-ipv4-pool)."""

from __future__ import annotations

import json
import random

import pytest
import yaml
from kit import (
    build,
    cfn_lint,
    docs,
    ingress,
    lint_vpc,
    one_stack,
    path,
    render,
    resources_of,
    rule,
    service,
    settings,
    template,
    vpc,
)

from ingress2cfn.input.errors import ConflictError, Ingress2CfnError

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
WAFV2 = "AWS::WAFv2::WebACLAssociation"
WAF_REGIONAL = "AWS::WAFRegional::WebACLAssociation"
SHIELD = "AWS::Shield::Protection"
ARN_A = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/shop/0000-aaaa"
ARN_B = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/shop-strict/0000-bbbb"
WAF_ID = "499e8b99-6671-4614-a86d-adb1810b7fbe"
REF_LB = {"Ref": "LoadBalancer"}


def _pair(a: dict | None, b: dict | None) -> tuple[dict, dict]:
    """Two Ingresses of group `shop` (a first), each with its own rule."""
    group = {"group.name": "shop"}
    return (
        ingress("a", annotations={**group, **(a or {})}, rules=[rule("a.example.com", path("/", "Prefix", "svc", 80))]),
        ingress("b", annotations={**group, **(b or {})}, rules=[rule("b.example.com", path("/", "Prefix", "svc", 80))]),
    )


def _props(tpl: dict, type_: str) -> list[dict]:
    return [r["Properties"] for r in resources_of(tpl, type_).values()]


def _warnings(*objects, **kw) -> list[str]:
    return [str(w) for w in build(*objects, **kw)[2]]


def _error(*objects, **kw) -> str:
    with pytest.raises(Ingress2CfnError) as exc:
        build(*objects, **kw)
    return str(exc.value)


# ------------------------------------------------------------------ WAFv2 (§4.9)


@pytest.mark.parametrize(
    "a, b, web_acl, warning",
    [
        pytest.param({"wafv2-acl-arn": ARN_A}, None, ARN_A, None, id="one-member-sets-it-for-the-group"),
        pytest.param({"wafv2-acl-arn": ARN_A}, {"wafv2-acl-arn": ARN_A}, ARN_A, None, id="same-arn-twice"),
        pytest.param({"wafv2-acl-arn": "none"}, None, None, "makes no WAFv2 web ACL association", id="none-no-association"),
        pytest.param({"wafv2-acl-arn": ""}, None, None, "makes no WAFv2 web ACL association", id="empty-arn-disassociates-like-none"),
        pytest.param({"wafv2-acl-name": "none"}, None, None, "makes no WAFv2 web ACL association", id="name-none"),
        pytest.param({"wafv2-acl-name": ""}, {"wafv2-acl-arn": ARN_A}, ARN_A, None, id="empty-name-is-not-set"),
        pytest.param({"wafv2-acl-name": "none"}, {"wafv2-acl-arn": ARN_A}, None, "wafv2-acl-arn is ignored", id="name-beats-arn"),
        pytest.param(None, None, None, None, id="absent-nothing"),
    ],
)
def test_wafv2_association(a, b, web_acl, warning):
    objs = (*_pair(a, b), service())
    tpl = template(*objs)
    expected = [] if web_acl is None else [{"ResourceArn": REF_LB, "WebACLArn": web_acl}]
    assert _props(tpl, WAFV2) == expected
    if web_acl is not None:
        meta = tpl["Resources"]["WAFv2WebACLAssociation"]["Metadata"]["ingress2cfn"]
        assert meta == {"group": "shop", "sources": ["default/a", "default/b"], "addon": "wafv2-acl-arn"}
    warnings = _warnings(*objs)
    if warning is None:
        assert not [w for w in warnings if "wafv2" in w.lower()], warnings
    else:
        assert any(warning in w for w in warnings), warnings


@pytest.mark.parametrize(
    "a, b, message",
    [
        pytest.param({"wafv2-acl-arn": ARN_A}, {"wafv2-acl-arn": ARN_B}, "conflicting WAFv2 WebACL ARNs", id="two-arns"),
        pytest.param({"wafv2-acl-arn": ARN_A}, {"wafv2-acl-arn": ""}, "conflicting WAFv2 WebACL ARNs", id="arn-and-empty"),
        pytest.param({"wafv2-acl-arn": ARN_A}, {"wafv2-acl-arn": "none"}, "conflicting WAFv2 WebACL ARNs", id="arn-and-none"),
        pytest.param({"wafv2-acl-name": "x"}, {"wafv2-acl-name": "none"}, "conflicting WAFv2 WebACL names", id="two-names"),
    ],
)
def test_wafv2_conflicts(a, b, message):
    with pytest.raises(ConflictError) as exc:
        build(*_pair(a, b), service())
    assert message in str(exc.value)
    assert "Ingress default/a sets" in str(exc.value) and "Ingress default/b sets" in str(exc.value)


@pytest.mark.parametrize(
    "ann, message",
    [
        pytest.param({"wafv2-acl-name": "shop-acl"}, "couldn't find WAFv2 WebACL with name: shop-acl: resolving a web ACL name needs AWS", id="name-needs-aws"),
        pytest.param({"wafv2-acl-arn": "shop-acl"}, "not a WAFv2 web ACL ARN", id="name-in-arn-annotation"),
        pytest.param({"wafv2-acl-arn": "arn:aws:waf-regional:us-east-1:1:webacl/x"}, "not a WAFv2 web ACL ARN", id="classic-arn"),
        pytest.param({"wafv2-acl-arn": "arn:aws:wafv2:us-east-1:1:global/webacl/cdn/1"}, "only a regional WAFv2 web ACL", id="cloudfront-scope"),
    ],
)
def test_wafv2_errors(ann, message):
    text = _error(ingress(annotations=ann), service())
    assert message in text
    assert "Ingress default/web" in text


def test_wafv2_name_error_suggests_the_arn_annotation():
    assert "Set alb.ingress.kubernetes.io/wafv2-acl-arn" in _error(ingress(annotations={"wafv2-acl-name": "shop-acl"}), service())


# ------------------------------------------------------------------ WAF classic (§4.9)


@pytest.mark.parametrize(
    "a, b, web_acl_id",
    [
        pytest.param({"waf-acl-id": WAF_ID}, None, WAF_ID, id="waf-acl-id"),
        pytest.param({"web-acl-id": WAF_ID}, None, WAF_ID, id="deprecated-alias"),
        pytest.param({"waf-acl-id": WAF_ID}, {"web-acl-id": WAF_ID}, WAF_ID, id="id-and-alias-agree"),
        pytest.param({"waf-acl-id": WAF_ID, "web-acl-id": "other"}, None, WAF_ID, id="alias-not-read-when-id-present"),
        pytest.param({"waf-acl-id": "", "web-acl-id": WAF_ID}, None, None, id="empty-id-still-hides-alias"),
        pytest.param({"waf-acl-id": WAF_ID}, {"waf-acl-id": ""}, WAF_ID, id="empty-is-not-set"),
        pytest.param({"waf-acl-id": "none"}, None, None, id="none"),
    ],
)
def test_waf_classic_association(a, b, web_acl_id):
    tpl = template(*_pair(a, b), service())
    expected = [] if web_acl_id is None else [{"ResourceArn": REF_LB, "WebACLId": web_acl_id}]
    assert _props(tpl, WAF_REGIONAL) == expected


def test_waf_classic_is_flagged_as_sunsetting_and_lint_check_is_silenced():
    objs = (ingress(annotations={"waf-acl-id": WAF_ID}), service())
    assert any("WAF Classic is being retired" in w for w in _warnings(*objs))
    meta = template(*objs)["Resources"]["WAFRegionalWebACLAssociation"]["Metadata"]
    assert meta["cfn-lint"] == {"config": {"ignore_checks": ["W3696"]}}
    assert meta["ingress2cfn"]["addon"] == "waf-acl-id"


@pytest.mark.parametrize(
    "a, b",
    [
        pytest.param({"waf-acl-id": WAF_ID}, {"waf-acl-id": "other"}, id="two-ids"),
        pytest.param({"waf-acl-id": WAF_ID}, {"web-acl-id": "none"}, id="id-and-alias-none"),
    ],
)
def test_waf_classic_conflict(a, b):
    with pytest.raises(ConflictError, match="conflicting WAFClassic WebACL IDs"):
        build(*_pair(a, b), service())


# ------------------------------------------------------------------ Shield Advanced (§4.9)


@pytest.mark.parametrize(
    "a, b, protected",
    [
        pytest.param({"shield-advanced-protection": "true"}, None, True, id="true"),
        pytest.param({"shield-advanced-protection": "1"}, {"shield-advanced-protection": "True"}, True, id="go-bool-spellings-agree"),
        pytest.param({"shield-advanced-protection": "false"}, None, False, id="false"),
        pytest.param(None, None, False, id="absent"),
    ],
)
def test_shield_protection(a, b, protected):
    tpl = template(*_pair(a, b), service())
    expected = [{"Name": "managed by aws-load-balancer-controller", "ResourceArn": REF_LB}] if protected else []
    assert _props(tpl, SHIELD) == expected


def test_shield_false_warns_that_outside_protections_stay():
    warnings = _warnings(ingress(annotations={"shield-advanced-protection": "false"}), service())
    assert any("a protection created outside the stack" in w and "is not removed" in w for w in warnings), warnings


def test_shield_conflict_and_bad_bool():
    with pytest.raises(ConflictError, match="conflicting enable shield advanced protection"):
        build(*_pair({"shield-advanced-protection": "true"}, {"shield-advanced-protection": "false"}), service())
    assert "strconv.ParseBool" in _error(ingress(annotations={"shield-advanced-protection": "yes"}), service())


# ------------------------------------------------------------------ IPAM and capacity (§4.1)


def _lb_props(*objects, **kw) -> dict:
    (props,) = _props(template(*objects, **kw), LB)
    return props


@pytest.mark.parametrize(
    "a, b, expected",
    [
        pytest.param({"ipam-ipv4-pool-id": "ipam-pool-0f995c17c00375b48"}, None, {"Ipv4IpamPoolId": "ipam-pool-0f995c17c00375b48"}, id="ipam"),
        pytest.param({"ipam-ipv4-pool-id": ""}, None, {}, id="ipam-empty-is-not-set"),
        pytest.param({"ipam-ipv4-pool-id": "ipam-pool-1"}, {"ipam-ipv4-pool-id": ""}, {"Ipv4IpamPoolId": "ipam-pool-1"}, id="ipam-empty-never-conflicts"),
        pytest.param({"minimum-load-balancer-capacity": "CapacityUnits=100"}, None, {"MinimumLoadBalancerCapacity": {"CapacityUnits": 100}}, id="capacity"),
        pytest.param(
            {"minimum-load-balancer-capacity": "CapacityUnits=100"},
            {"minimum-load-balancer-capacity": "CapacityUnits=100"},
            {"MinimumLoadBalancerCapacity": {"CapacityUnits": 100}},
            id="capacity-same-twice",
        ),
        pytest.param(
            {"minimum-load-balancer-capacity": " CapacityUnits = 250 "}, None, {"MinimumLoadBalancerCapacity": {"CapacityUnits": 250}}, id="capacity-trimmed"
        ),
        pytest.param({"minimum-load-balancer-capacity": ""}, None, {}, id="capacity-empty-map"),
        pytest.param(None, None, {}, id="neither"),
    ],
)
def test_ipam_and_capacity(a, b, expected):
    props = _lb_props(*_pair(a, b), service())
    got = {k: props[k] for k in ("Ipv4IpamPoolId", "MinimumLoadBalancerCapacity") if k in props}
    assert got == expected


@pytest.mark.parametrize(
    "a, b, message",
    [
        pytest.param({"ipam-ipv4-pool-id": "ipam-pool-1"}, {"ipam-ipv4-pool-id": "ipam-pool-2"}, "conflicting ipv4 ipam pools", id="ipam-conflict"),
        pytest.param(
            {"minimum-load-balancer-capacity": "CapacityUnits=100"},
            {"minimum-load-balancer-capacity": "CapacityUnits=200"},
            "conflicting capacity reservation CapacityUnits",
            id="capacity-conflict",
        ),
        pytest.param(
            {"minimum-load-balancer-capacity": "CapacityUnits=100"},
            {"minimum-load-balancer-capacity": "CapacityUnits=0100"},
            "conflicting capacity reservation CapacityUnits",
            id="capacity-compared-as-written",
        ),
        pytest.param(
            {"minimum-load-balancer-capacity": "capacityUnits=100"},
            None,
            "invalid key to set the capacity: capacityUnits, Expected key: CapacityUnits",
            id="key-is-case-sensitive",
        ),
        pytest.param({"minimum-load-balancer-capacity": "CapacityUnits=100,LCU=5"}, None, "invalid key to set the capacity: LCU", id="extra-key"),
        pytest.param({"minimum-load-balancer-capacity": "CapacityUnits=lots"}, None, "invalid value to set the capacity: lots", id="not-a-number"),
        pytest.param({"minimum-load-balancer-capacity": "CapacityUnits=3000000000"}, None, "value out of range", id="int32-overflow"),
        pytest.param({"minimum-load-balancer-capacity": "CapacityUnits"}, None, "failed to parse stringMap annotation", id="not-a-map"),
    ],
)
def test_ipam_and_capacity_errors(a, b, message):
    assert message in _error(*_pair(a, b), service())


def test_customer_owned_ipv4_pool_is_not_expressible_in_cloudformation():
    text = _error(ingress(annotations={"customer-owned-ipv4-pool": "ipv4pool-coip-1"}), service())
    assert "has no CustomerOwnedIpv4Pool property" in text
    assert "alb.ingress.kubernetes.io/customer-owned-ipv4-pool" in text


# ------------------------------------------------------------------ security-group-prefix-lists (§9.4)


def _sg_rules(*objects, **kw) -> list[dict]:
    (sg,) = _props(template(*objects, **kw), "AWS::EC2::SecurityGroup")
    return [{k: v for k, v in r.items() if k != "IpProtocol"} for r in sg["SecurityGroupIngress"]]


def _r(port: int, **source) -> dict:
    return {"FromPort": port, "ToPort": port, **source}


@pytest.mark.parametrize(
    "ann, expected",
    [
        pytest.param(
            {"security-group-prefix-lists": "pl-b, pl-a"},
            [_r(80, SourcePrefixListId="pl-a"), _r(80, SourcePrefixListId="pl-b")],
            id="prefix-lists-only-no-any-default",
        ),
        pytest.param({"security-group-prefix-lists": "pl-a,pl-a"}, [_r(80, SourcePrefixListId="pl-a")], id="repeated-list-once"),
        pytest.param(
            {"security-group-prefix-lists": "pl-a", "inbound-cidrs": "10.0.0.0/8"},
            [_r(80, CidrIp="10.0.0.0/8"), _r(80, SourcePrefixListId="pl-a")],
            id="with-inbound-cidrs-both",
        ),
        pytest.param(
            {"security-group-prefix-lists": "pl-a", "ip-address-type": "dualstack"}, [_r(80, SourcePrefixListId="pl-a")], id="dualstack-no-v6-any-either"
        ),
        pytest.param({"security-group-prefix-lists": ""}, [_r(80, CidrIp="0.0.0.0/0")], id="empty-list-is-not-set"),
        pytest.param(
            {"security-group-prefix-lists": "pl-a", "listen-ports": '[{"HTTP": 80}, {"HTTP": 8080}]'},
            [_r(80, SourcePrefixListId="pl-a"), _r(8080, SourcePrefixListId="pl-a")],
            id="every-listen-port",
        ),
    ],
)
def test_prefix_lists(ann, expected):
    assert _sg_rules(ingress(annotations=ann), service()) == expected


def test_prefix_lists_per_port():
    a = {"security-group-prefix-lists": "pl-a", "listen-ports": '[{"HTTP": 80}]'}
    b = {"security-group-prefix-lists": "pl-b", "listen-ports": '[{"HTTP": 8080}]'}
    assert _sg_rules(*_pair(a, b), service()) == [_r(80, SourcePrefixListId="pl-a"), _r(8080, SourcePrefixListId="pl-b")]
    # the member without prefix lists is neutral on a shared port
    assert _sg_rules(*_pair({"security-group-prefix-lists": "pl-a"}, None), service()) == [_r(80, SourcePrefixListId="pl-a")]


@pytest.mark.parametrize(
    "a, b",
    [
        pytest.param({"security-group-prefix-lists": "pl-a"}, {"security-group-prefix-lists": "pl-b"}, id="different"),
        pytest.param({"security-group-prefix-lists": "pl-a"}, {"security-group-prefix-lists": "pl-a,pl-b"}, id="subset"),
    ],
)
def test_prefix_lists_conflict_on_a_shared_port(a, b):
    with pytest.raises(ConflictError, match="conflicting inbound-prefix-lists on port 80"):
        build(*_pair(a, b), service())


def test_prefix_lists_in_a_different_order_agree():
    rules = _sg_rules(*_pair({"security-group-prefix-lists": "pl-a,pl-b"}, {"security-group-prefix-lists": "pl-b, pl-a"}), service())
    assert rules == [_r(80, SourcePrefixListId="pl-a"), _r(80, SourcePrefixListId="pl-b")]


@pytest.mark.parametrize("key, value", [("security-group-prefix-lists", "pl-a"), ("inbound-cidrs", "10.0.0.0/8")])
def test_prefix_lists_and_cidrs_ignored_with_explicit_security_groups(key, value):
    warnings = _warnings(ingress(annotations={"security-groups": "sg-extra", key: value}), service())
    assert any(f"alb.ingress.kubernetes.io/{key} is ignored" in w for w in warnings), warnings


# ------------------------------------------------------------------ manage-backend-security-group-rules (§9.5)


@pytest.mark.parametrize(
    "ann, backend",
    [
        pytest.param({"manage-backend-security-group-rules": "true"}, True, id="true"),
        pytest.param({"manage-backend-security-group-rules": "false"}, False, id="false"),
        pytest.param({}, False, id="unset-controller-default-false"),
    ],
)
def test_manage_backend_rules_with_explicit_security_groups(ann, backend):
    objs = (ingress(annotations={"security-groups": "sg-extra", **ann}), service())
    result = render(*objs)
    tpl = yaml.safe_load(result.groups[0].template)
    (props,) = _props(tpl, LB)
    cluster = yaml.safe_load(result.cluster_template)
    node_rules = resources_of(cluster, "AWS::EC2::SecurityGroupIngress")
    if backend:
        assert props["SecurityGroups"] == ["sg-extra", {"Ref": "BackendSecurityGroupId"}]
        assert "BackendSecurityGroupId" in tpl["Parameters"]
        assert {k: (v["Properties"]["FromPort"], v["Properties"]["ToPort"]) for k, v in node_rules.items()} == {"NodeIngressTcp30080": (30080, 30080)}
    else:
        assert props["SecurityGroups"] == ["sg-extra"]
        assert "BackendSecurityGroupId" not in tpl.get("Parameters", {})
        assert node_rules == {}
        warnings = _warnings(*objs)
        assert any("allow TCP 30080 from sg-extra yourself" in w for w in warnings), warnings


def test_manage_backend_rules_fill_binding_networking():
    from ingress2cfn.render.templates import bindings

    stack = one_stack(ingress(annotations={"security-groups": "sg-extra", "manage-backend-security-group-rules": "true"}), service())
    (binding,) = bindings(stack, "sg-backend", networking=True)
    assert binding["spec"]["networking"] == {
        "ingress": [{"from": [{"securityGroup": {"groupID": "sg-backend"}}], "ports": [{"protocol": "TCP", "port": 30080}]}]
    }


def test_manage_backend_rules_without_security_groups_has_no_effect():
    objs = (ingress(annotations={"manage-backend-security-group-rules": "false"}), service())
    assert one_stack(*objs).load_balancer.uses_backend_security_group is True
    assert any("has no effect without alb.ingress.kubernetes.io/security-groups" in w for w in _warnings(*objs))
    # upstream does not even parse it there
    assert one_stack(ingress(annotations={"manage-backend-security-group-rules": "maybe"}), service()).load_balancer.uses_backend_security_group


def test_manage_backend_rules_conflict_and_bad_bool():
    sgs = {"security-groups": "sg-extra"}
    with pytest.raises(ConflictError, match="conflicting manage backend security group rules settings"):
        build(*_pair({**sgs, "manage-backend-security-group-rules": "true"}, {**sgs, "manage-backend-security-group-rules": "false"}), service())
    assert "strconv.ParseBool" in _error(ingress(annotations={**sgs, "manage-backend-security-group-rules": "yes"}), service())


# ------------------------------------------------------------------ dualstack-without-public-ipv4


@pytest.mark.parametrize("scheme, warns", [("internet-facing", False), ("internal", True)])
def test_dualstack_without_public_ipv4(scheme, warns):
    objs = (ingress(annotations={"scheme": scheme, "ip-address-type": "dualstack-without-public-ipv4"}), service())
    assert _lb_props(*objs)["IpAddressType"] == "dualstack-without-public-ipv4"
    hits = [w for w in _warnings(*objs) if "AWS accepts it only for internet-facing" in w]
    assert bool(hits) == warns


# ------------------------------------------------------------------ cfn-lint and determinism

ALL_ADDONS = {
    "wafv2-acl-arn": ARN_A,
    "waf-acl-id": WAF_ID,
    "shield-advanced-protection": "true",
    "ipam-ipv4-pool-id": "ipam-pool-0f995c17c00375b48",
    "minimum-load-balancer-capacity": "CapacityUnits=100",
    "security-group-prefix-lists": "pl-0123456789abcdef0",
}


@pytest.mark.parametrize(
    "ann",
    [
        pytest.param({"scheme": "internet-facing", **ALL_ADDONS}, id="all-addons-internet-facing"),
        pytest.param({"scheme": "internet-facing", "ip-address-type": "dualstack-without-public-ipv4", **ALL_ADDONS}, id="dualstack-without-public-ipv4"),
        pytest.param({"security-groups": "office", "manage-backend-security-group-rules": "true", "wafv2-acl-arn": ARN_A}, id="explicit-sgs-managed-rules"),
    ],
)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_rendered_addon_templates_lint_clean(ann, fmt):
    from ingress2cfn.render.pipeline import render_documents
    from ingress2cfn.render.serialise import Format

    result = render_documents(docs(ingress(annotations=ann), service()), vpc(lint_vpc()), settings(), Format(fmt))
    for text in (result.groups[0].template, result.cluster_template):
        assert cfn_lint(text) == []


def test_addons_do_not_depend_on_document_order():
    objs = [
        *_pair(
            {"wafv2-acl-arn": ARN_A, "security-group-prefix-lists": "pl-b,pl-a"},
            {"shield-advanced-protection": "true", "waf-acl-id": WAF_ID, "minimum-load-balancer-capacity": "CapacityUnits=100"},
        ),
        service(),
    ]
    first = render(*objs).groups[0].template
    shuffled = objs[:]
    random.Random(7).shuffle(shuffled)
    assert render(*reversed(objs)).groups[0].template == first
    assert render(*shuffled).groups[0].template == first
    assert json.dumps(yaml.safe_load(first)["Resources"]["ShieldProtection"]["Properties"]) == json.dumps(
        {"Name": "managed by aws-load-balancer-controller", "ResourceArn": REF_LB}
    )
