"""IngressClassParams (§2.1): every spec field, the annotation it stands in for, scopes (member /
first member / first member on a port), validation, warnings, and the `ingress2cfn annotations` table."""

from __future__ import annotations

import json
import random

import kit
import pytest
import yaml
from kit import ingress, ingress_class, service

from ingress2cfn.cli import main
from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.render.pipeline import render_documents
from ingress2cfn.rules import class_params
from ingress2cfn.rules.annotations import ValueType
from ingress2cfn.rules.class_params import SubnetSelector
from ingress2cfn.rules.groups import build_groups

ARN = "arn:aws:acm:us-east-1:111122223333:certificate/aaaaaaaa-1111-2222-3333-444444444444"
ARN2 = "arn:aws:acm:us-east-1:111122223333:certificate/bbbbbbbb-1111-2222-3333-444444444444"
WAF = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop/11111111-2222-3333-4444-555555555555"


def params(spec: dict, name: str = "params") -> dict:
    return {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "IngressClassParams", "metadata": {"name": name}, "spec": spec}


def klass(name: str = "cls", params_name: str = "params") -> dict:
    return ingress_class(name, parameters={"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": params_name})


def with_params(spec: dict, annotations: dict | None = None, **ing_kw) -> list[dict]:
    return [ingress(class_name="cls", annotations=annotations, **ing_kw), klass(), params(spec), service()]


def members(*objects):
    warnings: list = []
    groups = build_groups(parse_manifests(kit.docs(*objects), "default"), kit.settings(), warnings)
    return [m for g in groups for m in g.members], [str(w) for w in warnings]


# ---------------------------------------------------------------- the effective annotation of each field

EFFECTIVE = [
    # (id, spec, ingress annotations, key, expected value, from params)
    ("loadBalancerName", {"loadBalancerName": "shop-alb"}, {"load-balancer-name": "ann-alb"}, "load-balancer-name", "shop-alb", True),
    ("loadBalancerName-empty-is-unset", {"loadBalancerName": ""}, {"load-balancer-name": "ann-alb"}, "load-balancer-name", "ann-alb", False),
    ("group.name", {"group": {"name": "shared"}}, {"group.name": "other"}, "group.name", "shared", True),
    ("scheme", {"scheme": "internet-facing"}, {"scheme": "internal"}, "scheme", "internet-facing", True),
    ("ipAddressType", {"ipAddressType": "dualstack"}, {}, "ip-address-type", "dualstack", True),
    ("subnets.ids", {"subnets": {"ids": ["subnet-0a", "subnet-0b"]}}, {"subnets": "x, y"}, "subnets", SubnetSelector(ids=("subnet-0a", "subnet-0b")), True),
    (
        "subnets.tags",
        {"subnets": {"tags": {"tier": ["edge", "dmz"], "env": ["prod"]}}},
        {},
        "subnets",
        SubnetSelector(tags=(("env", ("prod",)), ("tier", ("edge", "dmz")))),
        True,
    ),
    ("certificateArn", {"certificateArn": [ARN, ARN2]}, {"certificate-arn": "arn:other"}, "certificate-arn", [ARN, ARN2], True),
    ("certificateArn-empty-list-is-unset", {"certificateArn": []}, {"certificate-arn": ARN}, "certificate-arn", [ARN], False),
    ("sslPolicy", {"sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, {"ssl-policy": "x"}, "ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06", True),
    ("sslRedirectPort-string-becomes-int32", {"sslRedirectPort": "443"}, {"ssl-redirect": "8443"}, "ssl-redirect", 443, True),
    ("inboundCIDRs", {"inboundCIDRs": ["10.0.0.0/8", "2001:db8::/32"]}, {"inbound-cidrs": "0.0.0.0/0"}, "inbound-cidrs", ["10.0.0.0/8", "2001:db8::/32"], True),
    ("prefixListsIDs", {"prefixListsIDs": ["pl-1"]}, {"security-group-prefix-lists": "pl-9"}, "security-group-prefix-lists", ["pl-1"], True),
    ("PrefixListsIDs-legacy", {"PrefixListsIDs": ["pl-2"]}, {}, "security-group-prefix-lists", ["pl-2"], True),
    ("tags-merged-params-win", {"tags": [{"key": "team", "value": "platform"}]}, {"tags": "team=shop,cost=1"}, "tags", {"team": "platform", "cost": "1"}, True),
    ("tags-params-only", {"tags": [{"key": "team", "value": "platform"}]}, {}, "tags", {"team": "platform"}, True),
    ("targetType", {"targetType": "ip"}, {"target-type": "instance"}, "target-type", "ip", True),
    (
        "loadBalancerAttributes-merged",
        {"loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "120"}]},
        {"load-balancer-attributes": "idle_timeout.timeout_seconds=60,routing.http2.enabled=false"},
        "load-balancer-attributes",
        {"idle_timeout.timeout_seconds": "120", "routing.http2.enabled": "false"},
        True,
    ),
    (
        "minimumLoadBalancerCapacity",
        {"minimumLoadBalancerCapacity": {"capacityUnits": 100}},
        {"minimum-load-balancer-capacity": "CapacityUnits=7"},
        "minimum-load-balancer-capacity",
        {"CapacityUnits": "100"},
        True,
    ),
    ("ipamConfiguration", {"ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-0123"}}, {}, "ipam-ipv4-pool-id", "ipam-pool-0123", True),
    ("wafv2AclArn", {"wafv2AclArn": WAF}, {"wafv2-acl-arn": "none"}, "wafv2-acl-arn", WAF, True),
    ("wafv2AclName", {"wafv2AclName": "shop-acl"}, {}, "wafv2-acl-name", "shop-acl", True),
    ("unrelated-key-passes-through", {"scheme": "internal"}, {"ssl-policy": "p"}, "ssl-policy", "p", False),
    (
        "namespaceSelector-replaces-nothing",
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "default"}}},
        {"scheme": "internal"},
        "scheme",
        "internal",
        False,
    ),
]


@pytest.mark.parametrize("spec, annotations, key, expected, from_params", [c[1:] for c in EFFECTIVE], ids=[c[0] for c in EFFECTIVE])
def test_effective_annotation(spec, annotations, key, expected, from_params):
    (member,), _ = members(*with_params(spec, annotations))
    found = member.annotations.get(key)
    assert found.value == expected
    assert ("IngressClassParams params" in found.owner) is from_params
    if found.owner.startswith("IngressClassParams"):  # merged values stay located at the annotation
        assert found.loc.path[:2] == ("spec", class_params.fields_for(key)[0].top) or key == "security-group-prefix-lists"


LISTENER_ATTRIBUTES = [
    ("params-only", {}, "HTTP-80", {"routing.http.response.server.enabled": "false"}),
    (
        "merged-params-win",
        {"listener-attributes.HTTP-80": "routing.http.response.server.enabled=true,x=1"},
        "HTTP-80",
        {"routing.http.response.server.enabled": "false", "x": "1"},
    ),
    ("other-protocol-port-untouched", {"listener-attributes.HTTPS-443": "x=1"}, "HTTPS-443", {"x": "1"}),
]


@pytest.mark.parametrize("annotations, suffix, expected", [c[1:] for c in LISTENER_ATTRIBUTES], ids=[c[0] for c in LISTENER_ATTRIBUTES])
def test_listeners_feed_listener_attributes(annotations, suffix, expected):
    spec = {"listeners": [{"protocol": "HTTP", "port": 80, "listenerAttributes": [{"key": "routing.http.response.server.enabled", "value": "false"}]}]}
    (member,), _ = members(*with_params(spec, annotations))
    assert member.annotations.get_typed("listener-attributes." + suffix, ValueType.STRING_MAP).value == expected


# ---------------------------------------------------------------- what the stack gets


def _lb(attr):
    return lambda s: getattr(s.load_balancer, attr)


STACK = [
    # (id, spec, annotations, extract(stack), expected)
    (
        "scheme-and-name",
        {"scheme": "internet-facing", "loadBalancerName": "shop-alb"},
        {"scheme": "internal"},
        lambda s: (s.load_balancer.scheme, s.load_balancer.name, s.load_balancer.subnet_ids),
        ("internet-facing", "shop-alb", ("subnet-pub1", "subnet-pub2", "subnet-pub3")),
    ),
    ("ip-address-type", {"ipAddressType": "dualstack"}, {}, _lb("ip_address_type"), "dualstack"),
    ("group-name-makes-an-explicit-group", {"group": {"name": "shared"}}, {}, lambda s: (s.group_id, s.explicit), ("shared", True)),
    (
        "subnets-tags-any-listed-value",
        {"subnets": {"tags": {"Name": ["public-us-east-1a", "private-us-east-1b"]}}},
        {},
        _lb("subnet_ids"),
        ("subnet-priv2", "subnet-pub1"),
    ),
    (
        "subnets-tags-no-role-tag-needed-internal-scheme",
        {"subnets": {"tags": {"kubernetes.io/role/elb": ["1"]}}},
        {},
        _lb("subnet_ids"),
        ("subnet-pub1", "subnet-pub2", "subnet-pub3"),
    ),
    (
        "certificates-make-https-443",
        {"certificateArn": [ARN, ARN2]},
        {},
        lambda s: [(l.port, l.protocol.value, l.default_certificate, l.extra_certificates) for l in s.listeners],
        [(443, "HTTPS", ARN, (ARN2,))],
    ),
    (
        "ssl-policy",
        {"certificateArn": [ARN], "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
        {},
        lambda s: s.listeners[0].ssl_policy,
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
    ),
    (
        "ssl-redirect",
        {"certificateArn": [ARN], "sslRedirectPort": "443"},
        {"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'},
        lambda s: s.listeners[0].default_actions[0].port,
        "443",
    ),
    (
        "inbound-cidrs",
        {"inboundCIDRs": ["10.0.0.0/8"]},
        {"inbound-cidrs": "0.0.0.0/0"},
        lambda s: [(r.port, r.cidr_ipv4) for r in s.load_balancer.managed_security_group.rules],
        [(80, "10.0.0.0/8")],
    ),
    (
        "prefix-lists",
        {"prefixListsIDs": ["pl-0123456789abcdef0"]},
        {},
        lambda s: [(r.port, r.prefix_list_id) for r in s.load_balancer.managed_security_group.rules],
        [(80, "pl-0123456789abcdef0")],
    ),
    (
        "tags-on-lb-params-win",
        {"tags": [{"key": "team", "value": "platform"}]},
        {"tags": "team=shop,cost=1"},
        lambda s: {t.key: t.value for t in s.load_balancer.tags if "/" not in t.key},
        {"team": "platform", "cost": "1"},
    ),
    (
        "lb-attributes",
        {"loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "120"}]},
        {"load-balancer-attributes": "routing.http2.enabled=false"},
        _lb("attributes"),
        (("idle_timeout.timeout_seconds", "120"), ("routing.http2.enabled", "false")),
    ),
    ("capacity", {"minimumLoadBalancerCapacity": {"capacityUnits": 100}}, {}, _lb("minimum_capacity_units"), 100),
    ("ipam", {"ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-0123456789abcdef0"}}, {}, _lb("ipv4_ipam_pool_id"), "ipam-pool-0123456789abcdef0"),
    ("wafv2-arn", {"wafv2AclArn": WAF}, {}, _lb("wafv2_acl_arn"), WAF),
    (
        "listener-attributes",
        {"listeners": [{"protocol": "HTTP", "port": 80, "listenerAttributes": [{"key": "routing.http.response.server.enabled", "value": "false"}]}]},
        {},
        lambda s: s.listeners[0].attributes,
        (("routing.http.response.server.enabled", "false"),),
    ),
    (
        "listeners-entry-for-another-port-creates-nothing",
        {"listeners": [{"protocol": "HTTPS", "port": 8443, "listenerAttributes": [{"key": "k", "value": "v"}]}]},
        {},
        lambda s: [(l.port, l.attributes) for l in s.listeners],
        [(80, ())],
    ),
]


@pytest.mark.parametrize("spec, annotations, extract, expected", [c[1:] for c in STACK], ids=[c[0] for c in STACK])
def test_stack(spec, annotations, extract, expected):
    assert extract(kit.one_stack(*with_params(spec, annotations))) == expected


TARGET_GROUPS = [
    # (id, spec, ingress annotations, service annotations, extract(tg), expected)
    (
        "targetType-beats-service-and-ingress",
        {"targetType": "ip"},
        {"target-type": "instance"},
        {"target-type": "instance"},
        lambda tg: (tg.target_type.value, tg.port),
        ("ip", 8080),
    ),
    ("no-targetType-service-wins", {"scheme": "internal"}, {"target-type": "instance"}, {"target-type": "ip"}, lambda tg: tg.target_type.value, "ip"),
    (
        "tags-params-beat-service-beats-ingress",
        {"tags": [{"key": "team", "value": "platform"}]},
        {"tags": "team=shop,a=ing,b=ing"},
        {"tags": "team=svc,b=svc"},
        lambda tg: {t.key: t.value for t in tg.tags if "/" not in t.key},
        {"team": "platform", "a": "ing", "b": "svc"},
    ),
]


@pytest.mark.parametrize("spec, ing_ann, svc_ann, extract, expected", [c[1:] for c in TARGET_GROUPS], ids=[c[0] for c in TARGET_GROUPS])
def test_target_group(spec, ing_ann, svc_ann, extract, expected):
    stack = kit.one_stack(ingress(class_name="cls", annotations=ing_ann), klass(), params(spec), service(annotations=svc_ann))
    assert extract(stack.target_groups[0]) == expected


# ---------------------------------------------------------------- scopes across a group


def _group_of_two(spec_a: dict, ann_a: dict, spec_b: dict | None, ann_b: dict, order_b: str = "1") -> list[dict]:
    """Ingress a (order 0, class cls-a → params-a) and b (order 1, class cls-b → params-b, or class alb)."""
    objs = [
        ingress("a", class_name="cls-a", annotations={"group.name": "g", **ann_a}),
        klass("cls-a", "params-a"),
        params(spec_a, "params-a"),
        ingress("b", class_name="cls-b" if spec_b is not None else "alb", annotations={"group.name": "g", "group.order": order_b, **ann_b}),
        service(),
    ]
    if spec_b is not None:
        objs += [klass("cls-b", "params-b"), params(spec_b, "params-b")]
    return objs


ATTR = "idle_timeout.timeout_seconds"

GROUP_SCOPES = [
    # (id, objects, extract, expected)
    (
        "lb-attributes-first-member-params-settle-a-conflict",
        _group_of_two(
            {"loadBalancerAttributes": [{"key": ATTR, "value": "120"}]},
            {"load-balancer-attributes": f"{ATTR}=60"},
            None,
            {"load-balancer-attributes": f"{ATTR}=30"},
        ),
        _lb("attributes"),
        ((ATTR, "120"),),
    ),
    (
        "lb-attributes-later-member-params-ignored",
        _group_of_two({}, {}, {"loadBalancerAttributes": [{"key": ATTR, "value": "120"}]}, {}),
        _lb("attributes"),
        (),
    ),
    (
        "lb-attributes-first-member-params-apply-to-group",
        _group_of_two({"loadBalancerAttributes": [{"key": ATTR, "value": "120"}]}, {}, None, {"load-balancer-attributes": "routing.http2.enabled=false"}),
        _lb("attributes"),
        ((ATTR, "120"), ("routing.http2.enabled", "false")),
    ),
    (
        "capacity-first-member-params-beat-every-annotation",
        _group_of_two({"minimumLoadBalancerCapacity": {"capacityUnits": 100}}, {}, None, {"minimum-load-balancer-capacity": "CapacityUnits=7"}),
        _lb("minimum_capacity_units"),
        100,
    ),
    (
        "capacity-later-member-params-ignored-annotation-used",
        _group_of_two({}, {}, {"minimumLoadBalancerCapacity": {"capacityUnits": 100}}, {"minimum-load-balancer-capacity": "CapacityUnits=7"}),
        _lb("minimum_capacity_units"),
        7,
    ),
    (
        "ipam-first-member-only",
        _group_of_two({"ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-a"}}, {}, {"ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-b"}}, {}),
        _lb("ipv4_ipam_pool_id"),
        "ipam-pool-a",
    ),
    (
        "listener-attributes-from-first-member-on-the-port",
        _group_of_two(
            {"listeners": [{"protocol": "HTTPS", "port": 443, "listenerAttributes": [{"key": "k", "value": "from-a"}]}]},
            {},
            {"certificateArn": [ARN], "listeners": [{"protocol": "HTTPS", "port": 443, "listenerAttributes": [{"key": "k", "value": "from-b"}]}]},
            {},
        ),
        lambda s: [(l.port, l.attributes) for l in s.listeners],
        [(80, ()), (443, (("k", "from-b"),))],
    ),
    (
        "scheme-replaced-per-member-agrees",
        _group_of_two({"scheme": "internet-facing"}, {"scheme": "internal"}, None, {"scheme": "internet-facing"}),
        _lb("scheme"),
        "internet-facing",
    ),
    (
        "group-name-from-params-joins-an-annotated-group",
        [
            ingress("a", class_name="cls", annotations={"group.name": "ignored"}),
            klass(),
            params({"group": {"name": "g"}}),
            ingress("b", annotations={"group.name": "g"}),
            service(),
        ],
        lambda s: (s.group_id, s.members),
        ("g", ("default/a", "default/b")),
    ),
]


@pytest.mark.parametrize("objects, extract, expected", [c[1:] for c in GROUP_SCOPES], ids=[c[0] for c in GROUP_SCOPES])
def test_group_scopes(objects, extract, expected):
    assert extract(kit.one_stack(*objects)) == expected


# ---------------------------------------------------------------- errors

ERRORS = [
    # (id, objects, substrings of the message)
    (
        "unknown-field",
        with_params({"sslPolicys": "p"}),
        ['IngressClassParams params spec.sslPolicys: unknown field "spec.sslPolicys"; did you mean sslPolicy?'],
    ),
    ("unknown-nested-field", with_params({"subnets": {"id": ["subnet-0a"]}}), ['spec.subnets.id: unknown field "spec.subnets.id"; did you mean ids?']),
    ("wrong-type-list", with_params({"certificateArn": ARN}), ["spec.certificateArn: must be a list of strings, got str"]),
    ("wrong-type-string", with_params({"sslRedirectPort": 443}), ["spec.sslRedirectPort: must be a string, got int 443 (quote it)"]),
    ("wrong-type-int", with_params({"minimumLoadBalancerCapacity": {"capacityUnits": "100"}}), ["capacityUnits: must be an integer, got str '100'"]),
    ("tags-need-key-and-value", with_params({"tags": [{"key": "team"}]}), ["spec.tags[0]: required field value is missing"]),
    ("scheme-enum", with_params({"scheme": "public"}), ['Unsupported value: "public": supported values: "internal", "internet-facing"']),
    ("targetType-enum", with_params({"targetType": "lambda"}), ['spec.targetType: Unsupported value: "lambda"']),
    (
        "inbound-cidr",
        with_params({"inboundCIDRs": ["10.0.0.0/8", "10.0.0.300/32"]}),
        ["spec.inboundCIDRs[1]: invalid CIDR in IngressClassParams InboundCIDR 10.0.0.300/32: invalid CIDR address: 10.0.0.300/32"],
    ),
    ("inbound-bare-ip-hint", with_params({"inboundCIDRs": ["2001:db8::1"]}), ['did you mean "2001:db8::1/64"']),
    ("group-name-invalid", with_params({"group": {"name": "Shop"}}), ["spec.group.name: invalid ingress group: groupName must consist of lower case"]),
    ("group-name-missing", with_params({"group": {}}), ["spec.group: required field name is missing"]),
    ("ssl-redirect-not-a-number", with_params({"sslRedirectPort": "https"}), ['sslRedirectPort must be a port number as a string, like "443"']),
    (
        "prefix-lists-both",
        with_params({"prefixListsIDs": ["pl-1"], "PrefixListsIDs": ["pl-2"]}),
        ["cannot specify both 'prefixListsIDs' and 'PrefixListsIDs' fields"],
    ),
    ("subnets-neither", with_params({"subnets": {}}), ["spec.subnets: Required value: must have either `ids` or `tags`"]),
    ("subnets-both", with_params({"subnets": {"ids": ["subnet-0a"], "tags": {"a": ["b"]}}}), ["Forbidden: may not have both `ids` and `tags` set"]),
    ("subnets-ids-empty", with_params({"subnets": {"ids": []}}), ["should have at least 1 items"]),
    ("subnets-ids-pattern", with_params({"subnets": {"ids": ["public-a"]}}), ['spec.subnets.ids[0]: Invalid value: "public-a"']),
    ("subnets-ids-duplicate", with_params({"subnets": {"ids": ["subnet-0a", "subnet-0a"]}}), ['spec.subnets.ids[1]: Duplicate value: "subnet-0a"']),
    ("subnets-tags-empty", with_params({"subnets": {"tags": {}}}), ["must have at least one tag key"]),
    (
        "subnets-tags-single-az",
        with_params({"subnets": {"tags": {"Name": ["public-us-east-1a"]}}}),
        ["spec.subnets.tags: subnets count less than minimal required count: 1 < 2"],
    ),
    ("subnets-tags-no-match", with_params({"subnets": {"tags": {"tier": ["edge"]}}}), ["unable to resolve at least one subnet. Evaluated 0 subnets"]),
    ("capacity-units-missing", with_params({"minimumLoadBalancerCapacity": {}}), ["required field capacityUnits is missing"]),
    (
        "listener-protocol",
        with_params({"listeners": [{"protocol": "TCP", "port": 80}]}),
        ["spec.listeners[0].protocol: listener protocol must be HTTP or HTTPS"],
    ),
    ("listener-port", with_params({"listeners": [{"protocol": "HTTP", "port": 0}]}), ["spec.listeners[0].port: listener port must be within [1, 65535]"]),
    (
        "selector-operator",
        with_params({"namespaceSelector": {"matchExpressions": [{"key": "a", "operator": "Equals"}]}}),
        ['operator: Unsupported value: "Equals"'],
    ),
    (
        "selector-labels-type",
        with_params({"namespaceSelector": {"matchLabels": ["a"]}}),
        ["spec.namespaceSelector.matchLabels: must be a mapping of label to value, got a list"],
    ),
    ("spec-not-a-mapping", [ingress(class_name="cls"), klass(), {**params({}), "spec": ["scheme"]}, service()], ["must be a mapping"]),
    (
        "scheme-params-versus-annotation",
        _group_of_two({"scheme": "internet-facing"}, {}, None, {"scheme": "internal"}),
        ["conflicting scheme", "IngressClassParams params-a sets 'internet-facing'", "Ingress default/b sets 'internal'"],
    ),
    (
        "lb-attributes-conflict-not-settled-by-params",
        _group_of_two(
            {"loadBalancerAttributes": [{"key": "other", "value": "1"}]},
            {"load-balancer-attributes": f"{ATTR}=60"},
            None,
            {"load-balancer-attributes": f"{ATTR}=30"},
        ),
        [f"conflicting load balancer attributes {ATTR}: 60 | 30"],
    ),
    ("tags-params-versus-annotation", _group_of_two({"tags": [{"key": "team", "value": "a"}]}, {}, None, {"tags": "team=b"}), ["conflicting tag team: a | b"]),
]


@pytest.mark.parametrize("objects, substrings", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors(objects, substrings):
    with pytest.raises(Ingress2CfnError) as info:
        kit.build(*objects)
    message = str(info.value)
    for part in substrings:
        assert part in message, message
    assert "test.yaml:" in message  # located


def test_fields_of_params_not_used_by_an_owned_ingress_are_not_checked():
    stacks, _, _ = kit.build(ingress(), params({"bogus": 1}), service())
    assert len(stacks) == 1


# ---------------------------------------------------------------- warnings

WARNINGS = [
    # (id, objects, expected substrings of one warning)
    (
        "replaced-annotation-is-ignored",
        with_params({"scheme": "internet-facing"}, {"scheme": "internal"}),
        ["Ingress default/web: annotation alb.ingress.kubernetes.io/scheme is ignored: IngressClassParams params sets spec.scheme"],
    ),
    (
        "first-member-params-replace-a-later-annotation",
        _group_of_two({"ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-a"}}, {}, None, {"ipam-ipv4-pool-id": "ipam-pool-b"}),
        [
            "Ingress default/b: annotation alb.ingress.kubernetes.io/ipam-ipv4-pool-id is ignored: IngressClassParams params-a sets spec.ipamConfiguration.ipv4IPAMPoolId"
        ],
    ),
    (
        "later-member-params-first-member-only-field",
        _group_of_two({}, {}, {"loadBalancerAttributes": [{"key": ATTR, "value": "1"}]}, {}),
        ["IngressClassParams params-b: spec.loadBalancerAttributes is ignored for Ingress default/b", "first member only (Ingress default/a)"],
    ),
]


@pytest.mark.parametrize("objects, substrings", [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS])
def test_warnings(objects, substrings):
    _, _, warnings = kit.build(*objects)
    assert any(all(part in str(w) for part in substrings) for w in warnings), warnings


def test_no_warning_without_overlap():
    _, _, warnings = kit.build(*with_params({"scheme": "internet-facing"}, {"ssl-policy": "p"}))
    assert not [w for w in warnings if "IngressClassParams" in str(w)]


# ---------------------------------------------------------------- every field is listed, supported, documented

# json tags of IngressClassParamsSpec in apis/elbv2/v1beta1/ingressclassparams_types.go (upstream HEAD)
UPSTREAM_SPEC_FIELDS = {
    "loadBalancerName",
    "certificateArn",
    "namespaceSelector",
    "group",
    "scheme",
    "inboundCIDRs",
    "sslPolicy",
    "sslRedirectPort",
    "subnets",
    "ipAddressType",
    "tags",
    "targetType",
    "loadBalancerAttributes",
    "listeners",
    "minimumLoadBalancerCapacity",
    "ipamConfiguration",
    "PrefixListsIDs",
    "prefixListsIDs",
    "wafv2AclArn",
    "wafv2AclName",
}


def test_every_upstream_field_is_in_the_table():
    assert set(class_params.TOP_LEVEL) == UPSTREAM_SPEC_FIELDS


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_annotations_command_lists_every_params_field(fmt, capsys):
    assert main(["annotations", "--format", fmt]) == 0
    out = capsys.readouterr().out
    for f in class_params.FIELDS:
        assert f"spec.{f.path}" in out
    if fmt == "json":
        rows = json.loads(out)
        params_rows = {r["field"]: r for r in rows if r["kind"] == "IngressClassParams field"}
        assert params_rows["spec.scheme"]["replaces"] == "alb.ingress.kubernetes.io/scheme"
        scheme = next(r for r in rows if r["kind"] == "annotation" and r["key"] == "alb.ingress.kubernetes.io/scheme")
        assert scheme["class_params"] == "spec.scheme"
        assert all(r["supported"] == "yes" for r in params_rows.values())


MARKERS = [
    ("alb.ingress.kubernetes.io/subnets", "spec.subnets.ids, spec.subnets.tags"),
    ("alb.ingress.kubernetes.io/security-group-prefix-lists", "spec.prefixListsIDs, spec.PrefixListsIDs"),
    ("alb.ingress.kubernetes.io/listener-attributes.${protocol}-${port}", "spec.listeners"),
    ("alb.ingress.kubernetes.io/target-type", "spec.targetType"),
    ("alb.ingress.kubernetes.io/healthcheck-path", "—"),
]


@pytest.mark.parametrize("key, marker", MARKERS, ids=[m[0].rsplit("/", 1)[1] for m in MARKERS])
def test_registry_marks_the_params_field(key, marker):
    from ingress2cfn.rules.docs import as_table

    assert next(r for r in as_table() if r["key"] == key)["class_params"] == marker


def test_params_field_of_an_unsupported_annotation_is_an_error(monkeypatch):
    from ingress2cfn.rules import annotations as registry

    patched = tuple(
        a if a.key != "wafv2-acl-arn" else registry.Annotation(a.key, a.type, a.default, a.read_from, a.merge, a.doc, "not supported yet (test)")
        for a in registry.REGISTRY
    )
    monkeypatch.setattr(registry, "REGISTRY", patched)
    with pytest.raises(
        Ingress2CfnError, match=r"spec.wafv2AclArn is not supported yet \(test\): it stands in for annotation alb.ingress.kubernetes.io/wafv2-acl-arn"
    ):
        kit.build(*with_params({"wafv2AclArn": WAF}))


# ---------------------------------------------------------------- templates: cfn-lint clean and deterministic

SUBNET = [f"subnet-0{i:016x}" for i in range(4)]  # SUBNET[1..3]: 17 hex digits, as cfn-lint wants

# kit.lint_vpc() with its subnets replaced by three tagged tier=edge (what FULL_SPEC selects)
LINT_VPC = {
    **kit.lint_vpc(),
    "subnets": [
        kit.subnet(SUBNET[i], az, {"tier": "edge", f"kubernetes.io/cluster/{kit.CLUSTER}": "shared"}, free=200)
        for i, az in ((1, "us-east-1a"), (2, "us-east-1b"), (3, "us-east-1c"))
    ],
}

FULL_SPEC = {
    "group": {"name": "shop"},
    "loadBalancerName": "shop-alb",
    "scheme": "internet-facing",
    "ipAddressType": "dualstack",
    "subnets": {"tags": {"tier": ["edge"]}},
    "certificateArn": [ARN],
    "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "sslRedirectPort": "443",
    "inboundCIDRs": ["10.0.0.0/8", "2001:db8::/32"],
    "tags": [{"key": "team", "value": "platform"}],
    "targetType": "ip",
    "loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "120"}],
    "listeners": [{"protocol": "HTTPS", "port": 443, "listenerAttributes": [{"key": "routing.http.response.server.enabled", "value": "false"}]}],
    "minimumLoadBalancerCapacity": {"capacityUnits": 100},
    "ipamConfiguration": {"ipv4IPAMPoolId": "ipam-pool-0123456789abcdef0"},
    "wafv2AclArn": WAF,
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "default"}},
}


def _full_objects() -> list[dict]:
    return [
        ingress("web", class_name="cls", annotations={"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}),
        ingress("api", class_name="cls", annotations={"group.order": "5"}, rules=[kit.rule("api.example.com", kit.path("/", "Prefix", "api", 80))]),
        klass(),
        params(FULL_SPEC),
        service(),
        service("api"),
    ]


def _render(objects: list[dict]):
    return render_documents(kit.docs(*objects), kit.vpc(LINT_VPC), kit.settings())


def test_full_params_template_lints_clean():
    result = _render(_full_objects())
    (group,) = result.groups
    tpl = yaml.safe_load(group.template)
    lb = tpl["Resources"]["LoadBalancer"]["Properties"]
    assert (lb["Name"], lb["Scheme"], lb["IpAddressType"]) == ("shop-alb", "internet-facing", "dualstack")
    assert lb["Subnets"] == SUBNET[1:]
    assert {t["Key"]: t["Value"] for t in lb["Tags"]}["team"] == "platform"
    for text in (group.template, result.cluster_template):
        assert kit.cfn_lint(text) == []


def test_same_output_in_any_document_order():
    objects = _full_objects()
    first = _render(objects)
    shuffled = list(objects)
    random.Random(7).shuffle(shuffled)
    again = _render(list(reversed(objects)))
    third = _render(shuffled)
    for other in (again, third):
        assert [(g.template, g.bindings) for g in other.groups] == [(g.template, g.bindings) for g in first.groups]
        assert other.cluster_template == first.cluster_template


# ---------------------------------------------------------------- subnets.ids (hex ids: the CRD's pattern)

SUBNET_IDS = [
    # (id, objects, expected subnet ids or error substrings)
    ("ids-sorted", with_params({"subnets": {"ids": [SUBNET[3], SUBNET[1]]}}), (SUBNET[1], SUBNET[3])),
    ("ids-win-over-the-members-annotation", with_params({"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {"subnets": SUBNET[3]}), (SUBNET[1], SUBNET[2])),
    (
        "same-selector-on-two-members",
        _group_of_two({"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {}, {"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {}),
        (SUBNET[1], SUBNET[2]),
    ),
    (
        "id-not-in-vpc",
        with_params({"subnets": {"ids": ["subnet-0abc", SUBNET[1]]}}),
        ["IngressClassParams params spec.subnets.ids: couldn't find all subnets: subnet ID not found: subnet-0abc"],
    ),
    ("two-in-one-az", with_params({"subnets": {"ids": [SUBNET[1], SUBNET[0]]}}), ["multiple subnets in same Availability Zone us-east-1a"]),
    (
        "params-versus-annotation-even-if-equal",
        _group_of_two({"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {}, None, {"subnets": f"{SUBNET[1]}, {SUBNET[2]}"}),
        [
            'Ingress default/b metadata.annotations["alb.ingress.kubernetes.io/subnets"]: conflicting subnet specifications: IngressClassParams versus annotation',
            f"IngressClassParams params-a sets ids [{SUBNET[1]}, {SUBNET[2]}]",
        ],
    ),
    (
        "two-selectors-differ-in-order",
        _group_of_two({"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {}, {"subnets": {"ids": [SUBNET[2], SUBNET[1]]}}, {}),
        ["conflicting IngressClassParams subnet specifications", "IngressClassParams params-a sets ids", "IngressClassParams params-b sets ids"],
    ),
    (
        "ids-versus-tags",
        _group_of_two({"subnets": {"ids": [SUBNET[1], SUBNET[2]]}}, {}, {"subnets": {"tags": {"tier": ["edge"]}}}, {}),
        ["conflicting IngressClassParams subnet specifications", "IngressClassParams params-b sets tags {tier: [edge]}"],
    ),
]


def _vpc_with_same_az_subnet() -> dict:
    vpc = yaml.safe_load(yaml.safe_dump(LINT_VPC))
    vpc["subnets"].append({**vpc["subnets"][0], "id": SUBNET[0]})
    return vpc


@pytest.mark.parametrize("objects, expected", [c[1:] for c in SUBNET_IDS], ids=[c[0] for c in SUBNET_IDS])
def test_subnet_ids(objects, expected):
    vpc_data = _vpc_with_same_az_subnet()
    if isinstance(expected, tuple):
        assert kit.one_stack(*objects, vpc_data=vpc_data).load_balancer.subnet_ids == expected
        return
    with pytest.raises(Ingress2CfnError) as info:
        kit.build(*objects, vpc_data=vpc_data)
    for part in expected:
        assert part in str(info.value), str(info.value)


SUBNET_TAGS = [
    # (id, subnets (id, az, tags, free IPs), selector tags, dualstack, expected ids or error substring)
    (
        "one-per-az-cluster-tag-first",
        [
            ("subnet-0b", "a", {"t": "x"}, 100),
            ("subnet-0a", "a", {"t": "x"}, 100),
            ("subnet-0c", "a", {"t": "x", "kubernetes.io/cluster/test-cluster": "owned"}, 100),
            ("subnet-0d", "b", {"t": "y"}, 100),
        ],
        {"t": ["x", "y"]},
        False,
        ("subnet-0c", "subnet-0d"),
    ),
    (
        "smallest-id-without-cluster-tag",
        [("subnet-0b", "a", {"t": "x"}, 100), ("subnet-0a", "a", {"t": "x"}, 100), ("subnet-0d", "b", {"t": "x"}, 100)],
        {"t": ["x"]},
        False,
        ("subnet-0a", "subnet-0d"),
    ),
    (
        "every-key-must-match",
        [("subnet-0a", "a", {"t": "x", "u": "1"}, 100), ("subnet-0b", "b", {"t": "x"}, 100), ("subnet-0c", "c", {"t": "x", "u": "1"}, 100)],
        {"t": ["x"], "u": ["1"]},
        False,
        ("subnet-0a", "subnet-0c"),
    ),
    (
        "other-cluster-and-low-ips-dropped",
        [("subnet-0a", "a", {"t": "x", "kubernetes.io/cluster/other": "shared"}, 100), ("subnet-0b", "b", {"t": "x"}, 7), ("subnet-0c", "c", {"t": "x"}, 8)],
        {"t": ["x"]},
        False,
        "subnets count less than minimal required count: 1 < 2 .*the only one found: subnet-0c",
    ),
    (
        "nothing-eligible",
        [("subnet-0a", "a", {"t": "x", "kubernetes.io/cluster/other": "shared"}, 100), ("subnet-0b", "b", {"t": "x"}, 7)],
        {"t": ["x"]},
        False,
        "Evaluated 2 subnets: 1 are tagged for other clusters, and 1 have insufficient available IP addresses",
    ),
    (
        "dualstack-needs-ipv6",
        [("subnet-0a", "a", {"t": "x"}, 100), ("subnet-0b", "b", {"t": "x"}, 100)],
        {"t": ["x"]},
        True,
        "2 don't have an associated IPv6 CIDR block",
    ),
    ("role-tags-not-required", [("subnet-0a", "a", {"t": "x"}, 100), ("subnet-0b", "b", {"t": "x"}, 100)], {"t": ["x"]}, False, ("subnet-0a", "subnet-0b")),
]


@pytest.mark.parametrize("subnets, tags, dualstack, expected", [c[1:] for c in SUBNET_TAGS], ids=[c[0] for c in SUBNET_TAGS])
def test_subnet_tags(subnets, tags, dualstack, expected):
    vpc_data = {**LINT_VPC, "subnets": [kit.subnet(i, f"us-east-1{az}", t, free=free, ipv6=False) for i, az, t, free in subnets]}
    spec = {"subnets": {"tags": tags}, **({"ipAddressType": "dualstack"} if dualstack else {})}
    if isinstance(expected, tuple):
        assert kit.one_stack(*with_params(spec), vpc_data=vpc_data).load_balancer.subnet_ids == expected
        return
    with pytest.raises(Ingress2CfnError, match=expected):
        kit.build(*with_params(spec), vpc_data=vpc_data)
