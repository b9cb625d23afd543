"""§2 ownership (IngressClass, IngressClassParams, legacy annotation) and §3.1-3.3 groups and order."""

from __future__ import annotations

import pytest
from kit import build, ingress, ingress_class, one_stack, path, rule, service

from ingress2cfn.input.errors import Ingress2CfnError

LEGACY = "kubernetes.io/ingress.class"
NGINX = "k8s.io/ingress-nginx"
PARAMS_REF = {"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "params"}


def class_params(name: str = "params", spec: dict | None = None) -> dict:
    return {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "IngressClassParams", "metadata": {"name": name}, "spec": spec or {}}


def namespace(name: str, labels: dict | None = None) -> dict:
    meta: dict = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}


def deleting(obj: dict) -> dict:
    obj["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    return obj


def owned_members(*objects, **kw) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    stacks, _, warnings = build(*objects, **kw)
    return [(s.group_id, s.members) for s in stacks], [str(w) for w in warnings]


# ---------------------------------------------------------------- §2 ownership

OWNERSHIP = [
    # (id, objects, settings, owned)
    ("class-alb-not-in-input-assumed-from-helm", [ingress(class_name="alb")], {}, True),
    ("class-alb-in-input", [ingress(class_name="alb"), ingress_class("alb")], {}, True),
    ("custom-class-name-with-our-controller", [ingress(class_name="internal-alb"), ingress_class("internal-alb")], {}, True),
    ("class-of-another-controller", [ingress(class_name="nginx"), ingress_class("nginx", controller=NGINX)], {}, False),
    ("class-alb-in-input-but-another-controller", [ingress(class_name="alb"), ingress_class("alb", controller=NGINX)], {}, False),
    (
        "legacy-annotation-wins-over-ingressClassName",
        [ingress(class_name="nginx", annotations={LEGACY: "alb"}), ingress_class("nginx", controller=NGINX)],
        {},
        True,
    ),
    ("legacy-other-value-not-owned-even-with-class-alb", [ingress(class_name="alb", annotations={LEGACY: "nginx"})], {}, False),
    ("legacy-alb-without-class", [ingress(class_name=None, annotations={LEGACY: "alb"})], {}, True),
    ("legacy-value-equals-custom-flag", [ingress(class_name=None, annotations={LEGACY: "custom"})], {"ingress_class": "custom"}, True),
    ("legacy-alb-with-custom-flag", [ingress(class_name=None, annotations={LEGACY: "alb"})], {"ingress_class": "custom"}, False),
    ("legacy-alb-with-empty-flag", [ingress(class_name=None, annotations={LEGACY: "alb"})], {"ingress_class": ""}, True),
    ("legacy-annotation-does-not-load-params", [ingress(class_name="alb", annotations={LEGACY: "alb"}), ingress_class("alb", parameters=PARAMS_REF)], {}, True),
    ("default-class-used-when-ingressClassName-unset", [ingress(class_name=None), ingress_class("my-alb", default=True)], {}, True),
    ("default-class-of-another-controller", [ingress(class_name=None), ingress_class("nginx", controller=NGINX, default=True)], {}, False),
    ("non-default-alb-class-is-not-used-for-classless", [ingress(class_name=None), ingress_class("alb")], {}, False),
    ("no-class-at-all-default-flag-ignored", [ingress(class_name=None)], {}, False),
    ("no-class-at-all-empty-flag-owned", [ingress(class_name=None)], {"ingress_class": ""}, True),
    (
        "two-default-classes-irrelevant-with-explicit-class",
        [ingress(class_name="alb"), ingress_class("a", default=True), ingress_class("b", default=True)],
        {},
        True,
    ),
    ("deleting-ingress-ignored", [deleting(ingress(class_name="alb"))], {}, False),
    ("deleting-legacy-ingress-ignored", [deleting(ingress(class_name=None, annotations={LEGACY: "alb"}))], {}, False),
    (
        "class-with-params-of-another-controller-not-checked",
        [ingress(class_name="other"), ingress_class("other", controller=NGINX, parameters=PARAMS_REF)],
        {},
        False,
    ),
]


@pytest.mark.parametrize("objects, settings_kw, is_owned", [r[1:] for r in OWNERSHIP], ids=[r[0] for r in OWNERSHIP])
def test_ownership(objects, settings_kw, is_owned):
    groups, _ = owned_members(*objects, service(), **settings_kw)
    assert groups == ([("default/web", ("default/web",))] if is_owned else [])


def test_unknown_class_not_in_input_is_skipped_with_a_warning():
    groups, warnings = owned_members(ingress(class_name="traefik"), service())
    assert groups == []
    hits = [w for w in warnings if "IngressClass 'traefik' is not in the input" in w]
    assert len(hits) == 1
    assert "Ingress default/web" in hits[0]


def test_class_alb_not_in_input_does_not_warn():
    _, warnings = owned_members(ingress(class_name="alb"), service())
    assert not any("IngressClass" in w for w in warnings)


OWNERSHIP_ERRORS = [
    (
        "two-default-classes",
        [ingress(class_name=None), ingress_class("a", default=True), ingress_class("b", default=True)],
        ["multiple default IngressClasses found", "Ingress default/web"],
    ),
    (
        "params-missing",
        [ingress(class_name="alb"), ingress_class("alb", parameters=PARAMS_REF)],
        ["invalid ingress class", "IngressClassParams params", "not in the input"],
    ),
    (
        "params-wrong-kind",
        [ingress(class_name="alb"), ingress_class("alb", parameters={"apiGroup": "elbv2.k8s.aws", "kind": "ConfigMap", "name": "params"})],
        ["invalid ingress class", "IngressClass alb references unknown parameters"],
    ),
    (
        "params-wrong-api-group",
        [ingress(class_name="alb"), ingress_class("alb", parameters={"apiGroup": "example.com", "kind": "IngressClassParams", "name": "params"})],
        ["IngressClass alb references unknown parameters"],
    ),
    (
        "namespace-selector-mismatch-labels",
        [
            ingress(class_name="alb", namespace="ns-a"),
            ingress_class("alb", parameters=PARAMS_REF),
            class_params(spec={"namespaceSelector": {"matchLabels": {"team": "a"}}}),
            namespace("ns-a", {"team": "b"}),
        ],
        ["invalid ingress class", "namespaceSelector of IngressClassParams params mismatch", "Ingress ns-a/web"],
    ),
    (
        "namespace-selector-mismatch-namespace-missing",
        [
            ingress(class_name="alb", namespace="ns-a"),
            ingress_class("alb", parameters=PARAMS_REF),
            class_params(spec={"namespaceSelector": {"matchLabels": {"team": "a"}}}),
        ],
        ["namespaceSelector of IngressClassParams params mismatch", "the labels of Namespace ns-a are not known"],
    ),
    (
        "namespace-selector-expression-mismatch",
        [
            ingress(class_name="alb", namespace="ns-a"),
            ingress_class("alb", parameters=PARAMS_REF),
            class_params(spec={"namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "In", "values": ["x", "y"]}]}}),
            namespace("ns-a", {"team": "a"}),
        ],
        ["namespaceSelector of IngressClassParams params mismatch"],
    ),
]


@pytest.mark.parametrize("objects, fragments", [r[1:] for r in OWNERSHIP_ERRORS], ids=[r[0] for r in OWNERSHIP_ERRORS])
def test_ownership_errors(objects, fragments):
    with pytest.raises(Ingress2CfnError) as exc:
        build(*objects, service())
    for fragment in fragments:
        assert fragment in str(exc.value)


NAMESPACE_SELECTOR_OK = [
    ("match-labels-via-namespace-object", {"matchLabels": {"team": "a"}}, [namespace("ns-a", {"team": "a", "env": "prod"})]),
    ("match-expressions-in", {"matchExpressions": [{"key": "team", "operator": "In", "values": ["a", "b"]}]}, [namespace("ns-a", {"team": "a"})]),
    ("match-expressions-exists", {"matchExpressions": [{"key": "team", "operator": "Exists"}]}, [namespace("ns-a", {"team": "z"})]),
    ("match-expressions-does-not-exist", {"matchExpressions": [{"key": "legacy", "operator": "DoesNotExist"}]}, [namespace("ns-a", {"team": "z"})]),
    ("metadata-name-label-without-namespace-object", {"matchLabels": {"kubernetes.io/metadata.name": "ns-a"}}, []),
]


@pytest.mark.parametrize("selector, extra", [r[1:] for r in NAMESPACE_SELECTOR_OK], ids=[r[0] for r in NAMESPACE_SELECTOR_OK])
def test_namespace_selector_match(selector, extra):
    groups, _ = owned_members(
        ingress(class_name="alb", namespace="ns-a"),
        ingress_class("alb", parameters=PARAMS_REF),
        class_params(spec={"namespaceSelector": selector}),
        *extra,
        service(namespace="ns-a"),
    )
    assert groups == [("ns-a/web", ("ns-a/web",))]


def test_params_without_namespace_selector_own_every_namespace():
    groups, _ = owned_members(
        ingress(class_name="alb", namespace="ns-z"), ingress_class("alb", parameters=PARAMS_REF), class_params(), service(namespace="ns-z")
    )
    assert groups == [("ns-z/web", ("ns-z/web",))]


# ---------------------------------------------------------------- §3.1 group identity


def test_implicit_group_is_namespace_slash_name():
    stack = one_stack(ingress("web", namespace="shop"), service(namespace="shop"))
    assert (stack.group_id, stack.explicit, stack.members) == ("shop/web", False, ("shop/web",))
    assert {t.key: t.value for t in stack.load_balancer.tags}["ingress.k8s.aws/stack"] == "shop/web"


def test_explicit_group_is_the_bare_name():
    stack = one_stack(ingress("a", annotations={"group.name": "shop"}), ingress("b", annotations={"group.name": "shop"}), service())
    assert (stack.group_id, stack.explicit, stack.members) == ("shop", True, ("default/a", "default/b"))
    assert {t.key: t.value for t in stack.load_balancer.tags}["ingress.k8s.aws/stack"] == "shop"


def test_ingresses_without_group_name_get_one_group_each():
    groups, _ = owned_members(ingress("a"), ingress("b"), service())
    assert groups == [("default/a", ("default/a",)), ("default/b", ("default/b",))]


def test_explicit_and_implicit_groups_side_by_side():
    groups, _ = owned_members(ingress("a", annotations={"group.name": "g"}), ingress("b"), ingress("c", annotations={"group.name": "g"}), service())
    assert sorted(groups) == [("default/b", ("default/b",)), ("g", ("default/a", "default/c"))]


# ---------------------------------------------------------------- §3.2 validateGroupName


@pytest.mark.parametrize(
    "name",
    ["a", "42", "aaaa-.cc-c.c", "my-group", "a.b", "0", "a" * 63],
    ids=["single-letter", "digits", "dashes-and-dots", "dash", "dot", "single-digit", "63-chars"],
)
def test_valid_group_names(name):
    stack = one_stack(ingress(annotations={"group.name": name}), service())
    assert stack.group_id == name and stack.explicit


@pytest.mark.parametrize(
    "name, message",
    [
        ("Shop", "must consist of lower case alphanumeric characters"),
        ("my_group", "must consist of lower case alphanumeric characters"),
        ("-abc", "must start and end with an alphanumeric character"),
        ("abc-", "must start and end with an alphanumeric character"),
        (".abc", "must start and end with an alphanumeric character"),
        ("a/b", "must consist of lower case alphanumeric characters"),
        ("a b", "must consist of lower case alphanumeric characters"),
        ("", "must consist of lower case alphanumeric characters"),
        ("a" * 64, "groupName must be no more than 63 characters"),
    ],
    ids=["uppercase", "underscore", "leading-dash", "trailing-dash", "leading-dot", "slash", "space", "empty", "64-chars"],
)
def test_invalid_group_names(name, message):
    with pytest.raises(Ingress2CfnError) as exc:
        build(ingress(annotations={"group.name": name}), service())
    text = str(exc.value)
    assert "invalid ingress group: groupName" in text
    assert message in text
    assert "Ingress default/web" in text


# ---------------------------------------------------------------- §3.3 group.order


def _group(*members) -> tuple[str, ...]:
    """members: (namespace, name, order or None) in an explicit group; returns the sorted member keys."""
    objects = []
    for ns, name, order in members:
        annotations = {"group.name": "g"}
        if order is not None:
            annotations["group.order"] = order
        objects.append(ingress(name, namespace=ns, annotations=annotations))
    return one_stack(*objects, service()).members


@pytest.mark.parametrize(
    "members, expected",
    [
        ([("default", "a", "2"), ("default", "b", "1")], ("default/b", "default/a")),
        ([("default", "a", None), ("default", "b", "-1")], ("default/b", "default/a")),
        ([("default", "a", "1000"), ("default", "b", "-1000"), ("default", "c", None)], ("default/b", "default/c", "default/a")),
        ([("default", "b", "5"), ("default", "a", "5")], ("default/a", "default/b")),
        ([("default", "z", "0"), ("default", "y", None)], ("default/y", "default/z")),
        ([("ns-b", "alpha", None), ("ns-a", "zeta", None)], ("ns-a/zeta", "ns-b/alpha")),
        # byte order of "namespace/name": '-' (0x2d) < '/' (0x2f), so "a-b/x" sorts before "a/x"
        ([("a", "x", None), ("a-b", "x", None)], ("a-b/x", "a/x")),
        ([("default", "web", None), ("default", "web-2", None), ("default", "web.1", None)], ("default/web", "default/web-2", "default/web.1")),
        ([("default", "a", "+3"), ("default", "b", "2")], ("default/b", "default/a")),
    ],
    ids=[
        "ascending-order",
        "negative-before-default",
        "range-ends",
        "duplicate-orders-tie-by-name",
        "explicit-zero-equals-default",
        "namespace-before-name",
        "byte-order-not-tuple-order",
        "name-byte-order",
        "plus-sign",
    ],
)
def test_member_order(members, expected):
    assert _group(*members) == expected


@pytest.mark.parametrize(
    "order, message",
    [
        ("1001", "explicit Ingress group order must be within [-1000:1000], Ingress: default/a, order: 1001"),
        ("-1001", "explicit Ingress group order must be within [-1000:1000], Ingress: default/a, order: -1001"),
        ("abc", "failed to load Ingress group order for ingress: default/a: failed to parse int32"),
        ("1.5", "failed to load Ingress group order for ingress: default/a: failed to parse int32"),
        ("", "failed to load Ingress group order for ingress: default/a: failed to parse int32"),
        ("4294967297", "failed to load Ingress group order for ingress: default/a: failed to parse int32"),
    ],
    ids=["above-1000", "below-minus-1000", "junk", "decimal", "empty", "int32-overflow"],
)
def test_group_order_errors(order, message):
    with pytest.raises(Ingress2CfnError) as exc:
        _group(("default", "a", order), ("default", "b", None))
    assert message in str(exc.value)


def test_group_order_is_validated_on_an_implicit_group_too():
    with pytest.raises(Ingress2CfnError, match=r"order must be within \[-1000:1000\], Ingress: default/web, order: 5000"):
        build(ingress(annotations={"group.order": "5000"}), service())


def test_group_order_also_orders_rule_priorities():
    a = ingress("a", annotations={"group.name": "g", "group.order": "10"}, rules=[rule("a.example.com", path("/", "Prefix", "svc", 80))])
    b = ingress("b", annotations={"group.name": "g", "group.order": "-10"}, rules=[rule("b.example.com", path("/", "Prefix", "svc", 80))])
    (listener,) = one_stack(a, b, service()).listeners
    assert [(r.priority, r.source, r.conditions[0].values) for r in listener.rules] == [
        (1, "default/b", ("b.example.com",)),
        (2, "default/a", ("a.example.com",)),
    ]


def test_document_order_does_not_change_member_order():
    a = ingress("a", annotations={"group.name": "g"})
    b = ingress("b", annotations={"group.name": "g"})
    assert one_stack(b, a, service()).members == one_stack(a, b, service()).members == ("default/a", "default/b")
