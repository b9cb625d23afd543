"""The load balancer: lbc-semantics §8 (name, scheme, ip-address-type, attributes) and the
group-wide exclusive / merged settings of §3.4 and §4.1."""

from __future__ import annotations

import hashlib

import pytest
from kit import CLUSTER, default_vpc, ingress, one_stack, resources_of, template

from ingress2cfn.input.errors import ConflictError, Ingress2CfnError

GROUP = {"group.name": "shop"}


def _lb(*objects, **kw):
    return one_stack(*objects, **kw).load_balancer


def _lb_props(*objects, **kw) -> dict:
    tpl = template(*objects, **kw)
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    return res["Properties"]


def _members(a: dict | None, b: dict | None):
    """Two Ingresses of group `shop`: a (order 0) and b."""
    return (
        ingress("a", annotations={**GROUP, **(a or {})}),
        ingress("b", annotations={**GROUP, **(b or {})}),
    )


def _hash10(*parts: str) -> str:
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:10]


def _untagged_vpc() -> dict:
    data = default_vpc()
    for s in data["subnets"]:
        s["tags"] = {k: v for k, v in s["tags"].items() if not k.startswith("kubernetes.io/cluster")}
    return data


# ------------------------------------------------------------------ scheme


@pytest.mark.parametrize(
    "ann, scheme, subnets",
    [
        pytest.param(None, "internal", ("subnet-priv1", "subnet-priv2", "subnet-priv3"), id="default-internal"),
        pytest.param({"scheme": "internal"}, "internal", ("subnet-priv1", "subnet-priv2", "subnet-priv3"), id="explicit-internal"),
        pytest.param({"scheme": "internet-facing"}, "internet-facing", ("subnet-pub1", "subnet-pub2", "subnet-pub3"), id="internet-facing"),
    ],
)
def test_scheme(ann, scheme, subnets):
    lb = _lb(ingress(annotations=ann))
    assert (lb.scheme, lb.subnet_ids) == (scheme, subnets)
    props = _lb_props(ingress(annotations=ann))
    assert props["Scheme"] == scheme  # always explicit in the template, even for the default
    assert props["Type"] == "application"
    assert props["Subnets"] == list(subnets)


@pytest.mark.parametrize("value", ["Internal", "public", "internet_facing", ""], ids=["case-sensitive", "public", "underscore", "empty"])
def test_unknown_scheme(value):
    with pytest.raises(Ingress2CfnError, match="unknown scheme"):
        _lb(ingress(annotations={"scheme": value}))


# ------------------------------------------------------------------ ip-address-type


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(None, "ipv4", id="default-ipv4"),
        pytest.param("ipv4", "ipv4", id="ipv4"),
        pytest.param("dualstack", "dualstack", id="dualstack"),
        pytest.param("dualstack-without-public-ipv4", "dualstack-without-public-ipv4", id="dualstack-without-public-ipv4"),
    ],
)
def test_ip_address_type(value, expected):
    ann = {"ip-address-type": value} if value else None
    assert _lb(ingress(annotations=ann)).ip_address_type == expected
    assert _lb_props(ingress(annotations=ann))["IpAddressType"] == expected


@pytest.mark.parametrize("value", ["ipv6", "IPv4", "Dualstack", "dual-stack"])
def test_unknown_ip_address_type(value):
    with pytest.raises(Ingress2CfnError, match="unknown IPAddressType"):
        _lb(ingress(annotations={"ip-address-type": value}))


# ------------------------------------------------------------------ name


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("my-alb", id="short"),
        pytest.param("a" * 32, id="exactly-32"),
        pytest.param("Shop-Prod-ALB", id="mixed-case-verbatim"),
    ],
)
def test_explicit_load_balancer_name(name):
    assert _lb(ingress(annotations={"load-balancer-name": name})).name == name
    assert _lb_props(ingress(annotations={"load-balancer-name": name}))["Name"] == name


@pytest.mark.parametrize("length", [33, 40])
def test_load_balancer_name_longer_than_32_is_an_error(length):
    with pytest.raises(Ingress2CfnError, match="load balancer name cannot be longer than 32 characters"):
        _lb(ingress(annotations={"load-balancer-name": "n" * length}))


@pytest.mark.parametrize(
    "objects_kw, group_id, prefix",
    [
        pytest.param({"name": "web", "namespace": "default"}, "default/web", "k8s-default-web", id="implicit"),
        pytest.param(
            {"name": "storefront-ingress", "namespace": "production"}, "production/storefront-ingress", "k8s-producti-storefro", id="implicit-truncated"
        ),
        pytest.param(
            {"name": "web", "namespace": "default", "annotations": {"group.name": "shop.example-prod"}},
            "shop.example-prod",
            "k8s-shopexampleprod",
            id="explicit",
        ),
        pytest.param(
            {"name": "web", "namespace": "default", "annotations": {"group.name": "a-very-long-group-name-indeed"}},
            "a-very-long-group-name-indeed",
            "k8s-averylonggroupnam",
            id="explicit-truncated-17",
        ),
    ],
)
@pytest.mark.parametrize("scheme", ["internal", "internet-facing"])
def test_generated_name(objects_kw, group_id, prefix, scheme):
    kw = dict(objects_kw)
    kw["annotations"] = {**kw.get("annotations", {}), "scheme": scheme}
    lb = _lb(ingress(**kw))
    assert lb.name == f"{prefix}-{_hash10(CLUSTER, group_id, scheme)}"
    assert len(lb.name) <= 32


@pytest.mark.parametrize(
    "ing_kw, scheme, expected",
    [
        pytest.param({"name": "ing-1", "namespace": "awesome-ns"}, "internet-facing", "k8s-awesomen-ing1-43b698093c", id="implicit-upstream"),
        pytest.param(
            {"name": "ing-1", "namespace": "awesome-ns", "annotations": {"group.name": "explicit-group"}},
            "internal",
            "k8s-explicitgroup-5bf9e53c23",
            id="explicit-upstream",
        ),
    ],
)
def test_generated_name_matches_upstream_fixture(ing_kw, scheme, expected):
    kw = dict(ing_kw)
    kw["annotations"] = {**kw.get("annotations", {}), "scheme": scheme}
    lb = _lb(ingress(**kw), cluster="", vpc_data=_untagged_vpc(), node_security_group="sg-nodes")
    assert lb.name == expected


def test_name_changes_with_scheme():
    internal = _lb(ingress(annotations={"scheme": "internal"})).name
    public = _lb(ingress(annotations={"scheme": "internet-facing"})).name
    assert internal != public
    assert internal.rsplit("-", 1)[0] == public.rsplit("-", 1)[0] == "k8s-default-web"


def test_name_changes_with_cluster():
    a = _lb(ingress(), cluster="c1", vpc_data=_untagged_vpc(), node_security_group="sg-nodes").name
    b = _lb(ingress(), cluster="c2", vpc_data=_untagged_vpc(), node_security_group="sg-nodes").name
    assert a != b


# ------------------------------------------------------------------ exclusive settings across a group


@pytest.mark.parametrize(
    "key, value, attribute, expected",
    [
        pytest.param("scheme", "internet-facing", "scheme", "internet-facing", id="scheme"),
        pytest.param("ip-address-type", "dualstack", "ip_address_type", "dualstack", id="ip-address-type"),
        pytest.param("load-balancer-name", "shop-alb", "name", "shop-alb", id="name"),
        pytest.param("subnets", "subnet-pub1,subnet-pub2", "subnet_ids", ("subnet-pub1", "subnet-pub2"), id="subnets"),
        pytest.param("security-groups", "sg-extra", "security_group_ids", ("sg-extra",), id="security-groups"),
    ],
)
@pytest.mark.parametrize("setter", ["first", "second"])
def test_exclusive_setting_by_one_member_applies_to_group(key, value, attribute, expected, setter):
    ann = {key: value}
    objs = _members(ann, None) if setter == "first" else _members(None, ann)
    stack = one_stack(*objs)
    assert stack.members == ("default/a", "default/b")
    assert getattr(stack.load_balancer, attribute) == expected


@pytest.mark.parametrize(
    "key, first, second, message",
    [
        pytest.param("scheme", "internal", "internet-facing", "conflicting scheme", id="scheme"),
        pytest.param("ip-address-type", "ipv4", "dualstack", "conflicting IPAddressType", id="ip-address-type"),
        pytest.param("load-balancer-name", "alb-a", "alb-b", "conflicting load balancer name", id="name"),
        pytest.param("subnets", "subnet-pub1,subnet-pub2", "subnet-pub1,subnet-pub3", "conflicting subnets", id="subnets-different-sets"),
        pytest.param("subnets", "subnet-pub1,subnet-pub2", "subnet-pub1,subnet-pub2,subnet-pub3", "conflicting subnets", id="subnets-superset"),
        pytest.param("security-groups", "sg-nodes,sg-extra", "sg-extra,sg-nodes", "conflicting securityGroups", id="security-groups-order-sensitive"),
        pytest.param("security-groups", "sg-nodes", "sg-extra", "conflicting securityGroups", id="security-groups-different"),
    ],
)
def test_group_conflicts(key, first, second, message):
    with pytest.raises(ConflictError) as exc:
        one_stack(*_members({key: first}, {key: second}))
    text = str(exc.value)
    assert message in text
    assert "Ingress default/a" in text and "Ingress default/b" in text
    assert repr(first) in text and repr(second) in text


@pytest.mark.parametrize(
    "key, first, second, attribute, expected",
    [
        pytest.param(
            "subnets", "subnet-pub1,subnet-pub2", "subnet-pub2,subnet-pub1", "subnet_ids", ("subnet-pub1", "subnet-pub2"), id="subnets-order-insensitive"
        ),
        pytest.param(
            "subnets", "subnet-pub1, subnet-pub2", "subnet-pub1,subnet-pub2,", "subnet_ids", ("subnet-pub1", "subnet-pub2"), id="subnets-list-normalised"
        ),
        pytest.param(
            "security-groups", "sg-nodes,sg-extra", "sg-nodes,sg-extra", "security_group_ids", ("sg-nodes", "sg-extra"), id="security-groups-same-order"
        ),
        pytest.param("scheme", "internet-facing", "internet-facing", "scheme", "internet-facing", id="scheme-same-value"),
    ],
)
def test_group_agreement_is_not_a_conflict(key, first, second, attribute, expected):
    lb = one_stack(*_members({key: first}, {key: second})).load_balancer
    assert getattr(lb, attribute) == expected


# ------------------------------------------------------------------ load-balancer-attributes


@pytest.mark.parametrize(
    "first, second, expected",
    [
        pytest.param("idle_timeout.timeout_seconds=120", None, (("idle_timeout.timeout_seconds", "120"),), id="one-member"),
        pytest.param(
            "idle_timeout.timeout_seconds=120",
            "routing.http2.enabled=false",
            (("idle_timeout.timeout_seconds", "120"), ("routing.http2.enabled", "false")),
            id="merged-key-wise",
        ),
        pytest.param(
            "idle_timeout.timeout_seconds=120,deletion_protection.enabled=true",
            "idle_timeout.timeout_seconds=120",
            (("deletion_protection.enabled", "true"), ("idle_timeout.timeout_seconds", "120")),
            id="same-key-same-value",
        ),
        pytest.param(
            "access_logs.s3.enabled=true,access_logs.s3.bucket=logs,access_logs.s3.prefix=a=b",
            None,
            (("access_logs.s3.bucket", "logs"), ("access_logs.s3.enabled", "true"), ("access_logs.s3.prefix", "a=b")),
            id="value-with-equals",
        ),
    ],
)
def test_load_balancer_attributes_merged(first, second, expected):
    lb = one_stack(*_members({"load-balancer-attributes": first}, {"load-balancer-attributes": second} if second else None)).load_balancer
    assert lb.attributes == expected


def test_load_balancer_attributes_conflict():
    with pytest.raises(ConflictError, match=r"conflicting load balancer attributes idle_timeout.timeout_seconds: 60 \| 120"):
        one_stack(*_members({"load-balancer-attributes": "idle_timeout.timeout_seconds=60"}, {"load-balancer-attributes": "idle_timeout.timeout_seconds=120"}))


def test_load_balancer_attributes_in_template():
    props = _lb_props(ingress(annotations={"load-balancer-attributes": "routing.http2.enabled=false,idle_timeout.timeout_seconds=120"}))
    assert props["LoadBalancerAttributes"] == [
        {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        {"Key": "routing.http2.enabled", "Value": "false"},
    ]


def test_no_attributes_no_property():
    assert "LoadBalancerAttributes" not in _lb_props(ingress())


# ------------------------------------------------------------------ tags


def test_load_balancer_tracking_tags():
    props = _lb_props(ingress())
    assert props["Tags"] == [
        {"Key": "elbv2.k8s.aws/cluster", "Value": CLUSTER},
        {"Key": "ingress.k8s.aws/resource", "Value": "LoadBalancer"},
        {"Key": "ingress.k8s.aws/stack", "Value": "default/web"},
    ]
