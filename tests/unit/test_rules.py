"""Listener rules: lbc-semantics §6.1 (path → path-pattern), §3.5.3 (path order within a host
block), §6.2 (conditions), §6.3 (backend → action)."""

from __future__ import annotations

import pytest
from kit import build, ingress, one_stack, path, resources_of, rule, service, template

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.stack import Condition, FixedResponse, Forward


def _rules(stack, port: int = 80):
    (listener,) = [lst for lst in stack.listeners if lst.port == port]
    return listener.rules


def _conditions(*objects, **kw) -> list[tuple[Condition, ...]]:
    return [r.conditions for r in _rules(one_stack(*objects, **kw))]


def _path_values(stack) -> list[tuple[str, ...]]:
    """path-pattern values of each rule, in priority order."""
    out = []
    for r in _rules(stack):
        (cond,) = [c for c in r.conditions if c.field == "path-pattern"]
        out.append(cond.values)
    return out


# ------------------------------------------------------------------ §6.1 path → path-pattern

PATH_TABLE = [
    pytest.param("/foo", "Exact", ("/foo",), id="exact-plain"),
    pytest.param("/foo/", "Exact", ("/foo/",), id="exact-trailing-slash-kept"),
    pytest.param("/", "Exact", ("/",), id="exact-root"),
    pytest.param("/", "Prefix", ("/*",), id="prefix-root"),
    pytest.param("/foo", "Prefix", ("/foo", "/foo/*"), id="prefix-plain"),
    pytest.param("/foo/", "Prefix", ("/foo", "/foo/*"), id="prefix-trailing-slash-trimmed"),
    pytest.param("/foo/bar", "Prefix", ("/foo/bar", "/foo/bar/*"), id="prefix-nested"),
    pytest.param("/foo*", "ImplementationSpecific", ("/foo*",), id="is-wildcard-verbatim"),
    pytest.param("/foo/", "ImplementationSpecific", ("/foo/",), id="is-trailing-slash-verbatim"),
    pytest.param("/a?c", "ImplementationSpecific", ("/a?c",), id="is-question-mark-verbatim"),
    pytest.param("/", "ImplementationSpecific", ("/",), id="is-root-only-root"),
    pytest.param("/foo*", None, ("/foo*",), id="unset-like-is-wildcard"),
    pytest.param("/", None, ("/",), id="unset-like-is-root"),
    pytest.param("/foo", None, ("/foo",), id="unset-like-is-plain"),
]


@pytest.mark.parametrize("raw, path_type, expected", PATH_TABLE)
def test_path_pattern_translation(raw, path_type, expected):
    conds = _conditions(ingress(rules=[rule(None, path(raw, path_type, "svc", 80))]), service())
    assert conds == [(Condition("path-pattern", expected),)]


@pytest.mark.parametrize("raw, path_type, expected", PATH_TABLE[:5])
def test_path_pattern_in_template(raw, path_type, expected):
    tpl = template(ingress(rules=[rule(None, path(raw, path_type, "svc", 80))]), service())
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert res["Properties"]["Conditions"] == [{"Field": "path-pattern", "PathPatternConfig": {"Values": list(expected)}}]


@pytest.mark.parametrize("path_type", ["Exact", "Prefix", "ImplementationSpecific", None], ids=lambda t: f"empty-{t or 'unset'}")
def test_empty_path_gives_no_path_condition(path_type):
    conds = _conditions(ingress(rules=[rule("a.example.com", path(None, path_type, "svc", 80))]), service())
    assert conds == [(Condition("host-header", ("a.example.com",)),)]


@pytest.mark.parametrize(
    "raw, path_type, message",
    [
        pytest.param("/foo*", "Exact", "exact path shouldn't contain wildcards: /foo*", id="exact-star"),
        pytest.param("/fo?", "Exact", "exact path shouldn't contain wildcards: /fo?", id="exact-question"),
        pytest.param("/foo/*", "Prefix", "prefix path shouldn't contain wildcards: /foo/*", id="prefix-star"),
        pytest.param("/fo?", "Prefix", "prefix path shouldn't contain wildcards: /fo?", id="prefix-question"),
        pytest.param("/*", "Prefix", "prefix path shouldn't contain wildcards: /*", id="prefix-root-star"),
    ],
)
def test_wildcards_rejected_for_exact_and_prefix(raw, path_type, message):
    with pytest.raises(Ingress2CfnError, match=r"path shouldn't contain wildcards") as exc:
        one_stack(ingress(rules=[rule(None, path(raw, path_type, "svc", 80))]), service())
    assert message in str(exc.value)
    assert "Ingress default/web" in str(exc.value)


def test_unknown_path_type_is_an_error():
    with pytest.raises(Ingress2CfnError, match="unknown pathType for path /x"):
        one_stack(ingress(rules=[rule(None, path("/x", "Regex", "svc", 80))]), service())


# ------------------------------------------------------------------ §3.5.3 path order within a host block

ORDER_TABLE = [
    pytest.param(
        [("/p", "Prefix"), ("/exact", "Exact")],
        [("/exact",), ("/p", "/p/*")],
        id="exact-before-prefix",
    ),
    pytest.param(
        [("/i", "ImplementationSpecific"), ("/p", "Prefix"), ("/e", "Exact")],
        [("/e",), ("/p", "/p/*"), ("/i",)],
        id="exact-prefix-then-is",
    ),
    pytest.param(
        [("/e2", "Exact"), ("/e1", "Exact")],
        [("/e2",), ("/e1",)],
        id="exact-keeps-manifest-order",
    ),
    pytest.param(
        [("/a", "Prefix"), ("/aaa", "Prefix"), ("/aa", "Prefix")],
        [("/aaa", "/aaa/*"), ("/aa", "/aa/*"), ("/a", "/a/*")],
        id="prefix-longest-first",
    ),
    pytest.param(
        [("/b", "Prefix"), ("/long", "Prefix"), ("/a", "Prefix")],
        [("/long", "/long/*"), ("/b", "/b/*"), ("/a", "/a/*")],
        id="prefix-ties-stable",
    ),
    pytest.param(
        # the raw length counts a trailing slash: "/abc" and "/ab/" tie at 4 → manifest order
        [("/abc", "Prefix"), ("/ab/", "Prefix"), ("/abcde", "Prefix")],
        [("/abcde", "/abcde/*"), ("/abc", "/abc/*"), ("/ab", "/ab/*")],
        id="prefix-raw-length-with-slash",
    ),
    pytest.param(
        [("/", "Prefix"), ("/api", "Prefix")],
        [("/api", "/api/*"), ("/*",)],
        id="prefix-root-last",
    ),
    pytest.param(
        [("/z", None), ("/y", "ImplementationSpecific"), ("/x", None)],
        [("/z",), ("/y",), ("/x",)],
        id="is-and-unset-manifest-order",
    ),
    pytest.param(
        [("/is*", None), ("/short", "Prefix"), ("/e", "Exact"), ("/much-longer", "Prefix"), ("/is2", "ImplementationSpecific"), ("/e2", "Exact")],
        [("/e",), ("/e2",), ("/much-longer", "/much-longer/*"), ("/short", "/short/*"), ("/is*",), ("/is2",)],
        id="everything-mixed",
    ),
]


@pytest.mark.parametrize("paths, expected", ORDER_TABLE)
def test_path_order_within_host_block(paths, expected):
    stack = one_stack(ingress(rules=[rule(None, *(path(p, t, "svc", 80) for p, t in paths))]), service())
    assert _path_values(stack) == expected
    assert [r.priority for r in _rules(stack)] == list(range(1, len(expected) + 1))


def test_path_order_never_crosses_host_blocks():
    stack = one_stack(
        ingress(
            rules=[
                rule("a.example.com", path("/p", "Prefix", "svc", 80)),
                rule("b.example.com", path("/e", "Exact", "svc", 80), path("/longer-prefix", "Prefix", "svc", 80)),
            ]
        ),
        service(),
    )
    got = [(r.conditions[0].values[0], r.conditions[1].values) for r in _rules(stack)]
    assert got == [
        ("a.example.com", ("/p", "/p/*")),
        ("b.example.com", ("/e",)),
        ("b.example.com", ("/longer-prefix", "/longer-prefix/*")),
    ]


def test_path_order_never_crosses_ingresses():
    group = {"group.name": "shop"}
    stack = one_stack(
        ingress("a", annotations=group, rules=[rule(None, path("/short", "Prefix", "svc", 80))]),
        ingress("b", annotations=group, rules=[rule(None, path("/exact", "Exact", "svc", 80), path("/a-much-longer-prefix", "Prefix", "svc", 80))]),
        service(),
    )
    got = [(r.source, r.conditions[0].values) for r in _rules(stack)]
    assert got == [
        ("default/a", ("/short", "/short/*")),
        ("default/b", ("/exact",)),
        ("default/b", ("/a-much-longer-prefix", "/a-much-longer-prefix/*")),
    ]
    assert [r.priority for r in _rules(stack)] == [1, 2, 3]


# ------------------------------------------------------------------ §6.2 conditions


@pytest.mark.parametrize(
    "host, raw, path_type, expected",
    [
        pytest.param(
            "a.example.com", "/x", "Prefix", (Condition("host-header", ("a.example.com",)), Condition("path-pattern", ("/x", "/x/*"))), id="host-then-path"
        ),
        pytest.param(
            "*.example.com", "/x", "Exact", (Condition("host-header", ("*.example.com",)), Condition("path-pattern", ("/x",))), id="wildcard-host-verbatim"
        ),
        pytest.param("a.example.com", None, None, (Condition("host-header", ("a.example.com",)),), id="host-only"),
        pytest.param(None, "/x", "Exact", (Condition("path-pattern", ("/x",)),), id="path-only"),
        pytest.param(None, None, None, (Condition("path-pattern", ("/*",)),), id="no-host-no-path-catch-all"),
        pytest.param(None, None, "Prefix", (Condition("path-pattern", ("/*",)),), id="no-host-empty-prefix-catch-all"),
    ],
)
def test_conditions(host, raw, path_type, expected):
    conds = _conditions(ingress(rules=[rule(host, path(raw, path_type, "svc", 80))]), service())
    assert conds == [expected]


def test_conditions_in_template_host_first():
    tpl = template(ingress(rules=[rule("a.example.com", path("/x", "Prefix", "svc", 80))]), service())
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert res["Properties"]["Conditions"] == [
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com"]}},
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/x", "/x/*"]}},
    ]


@pytest.mark.parametrize(
    "rules, expected_hosts",
    [
        pytest.param(
            [{"host": "nohttp.example.com"}, rule("b.example.com", path("/", "Prefix", "svc", 80))], ["b.example.com"], id="host-without-http-skipped"
        ),
        pytest.param(
            [rule("a.example.com", path("/", "Prefix", "svc", 80)), {"host": "nohttp.example.com"}], ["a.example.com"], id="trailing-rule-without-http"
        ),
        pytest.param([{"host": "x.example.com"}, {"host": "y.example.com"}], [], id="only-rules-without-http"),
    ],
)
def test_rules_without_http_are_skipped(rules, expected_hosts):
    stack = one_stack(ingress(rules=rules), service())
    got = [r.conditions[0].values[0] for r in _rules(stack)]
    assert got == expected_hosts
    assert [r.priority for r in _rules(stack)] == list(range(1, len(expected_hosts) + 1))


# ------------------------------------------------------------------ §6.3 backends → actions


def test_backend_forwards_to_its_target_group():
    stack = one_stack(ingress(), service())
    (r,) = _rules(stack)
    (tg,) = stack.target_groups
    assert r.actions == (Forward((tg.logical_id,)),)
    assert (tg.service_name, tg.port_ref, tg.port) == ("svc", "80", 30080)


def test_backend_forward_in_template():
    tpl = template(ingress(), service())
    (tg_id,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup")
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert res["Properties"]["Actions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": tg_id}}]


def test_missing_service_gives_503_and_warning():
    stacks, _, diagnostics = build(ingress(rules=[rule(None, path("/", "Prefix", "ghost", 80))]))
    warnings = [str(d) for d in diagnostics]
    (stack,) = stacks
    (r,) = _rules(stack)
    assert r.actions == (FixedResponse("503", "text/plain", "Backend service does not exist"),)
    assert stack.target_groups == ()
    assert any("Service default/ghost is not in the input" in w for w in warnings), warnings


def test_missing_service_503_in_template():
    tpl = template(ingress(rules=[rule(None, path("/", "Prefix", "ghost", 80))]))
    assert resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup") == {}
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert res["Properties"]["Actions"] == [
        {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "Backend service does not exist"}}
    ]


def test_missing_service_in_other_namespace_is_missing():
    # Services are looked up in the Ingress's namespace
    stacks, _, warnings = build(ingress(namespace="shop"), service(namespace="other"))
    (r,) = _rules(stacks[0])
    assert r.actions == (FixedResponse("503", "text/plain", "Backend service does not exist"),)


NAMED_PORTS = [
    {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080},
    {"name": "admin", "port": 8443, "targetPort": 9443, "nodePort": 30443},
]


@pytest.mark.parametrize(
    "port, port_ref, tg_port",
    [
        pytest.param("http", "http", 30080, id="by-name-first"),
        pytest.param("admin", "admin", 30443, id="by-name-second"),
        pytest.param(80, "80", 30080, id="by-number-first"),
        pytest.param(8443, "8443", 30443, id="by-number-second"),
    ],
)
def test_backend_port_by_name_and_number(port, port_ref, tg_port):
    stack = one_stack(ingress(rules=[rule(None, path("/", "Prefix", "svc", port))]), service(ports=NAMED_PORTS))
    (tg,) = stack.target_groups
    assert (tg.port_ref, tg.port) == (port_ref, tg_port)
    assert _rules(stack)[0].actions == (Forward((tg.logical_id,)),)


@pytest.mark.parametrize(
    "port, message",
    [
        pytest.param(81, "unable to find port 81 on service default/svc", id="unknown-number"),
        pytest.param("web", "unable to find port web on service default/svc", id="unknown-name"),
        pytest.param(8080, "unable to find port 8080 on service default/svc", id="target-port-is-not-a-service-port"),
        pytest.param(30080, "unable to find port 30080 on service default/svc", id="node-port-is-not-a-service-port"),
    ],
)
def test_unknown_service_port_is_an_error(port, message):
    with pytest.raises(Ingress2CfnError, match="unable to find port") as exc:
        one_stack(ingress(rules=[rule(None, path("/", "Prefix", "svc", port))]), service(ports=NAMED_PORTS))
    assert message in str(exc.value)


def test_use_annotation_without_actions_annotation_answers_503():
    # the actions.* annotation itself: tests/unit/test_routing_actions.py
    (r,) = _rules(one_stack(ingress(rules=[rule(None, path("/", "Prefix", "redirect", "use-annotation"))]), service()))
    assert r.actions == (FixedResponse("503", "text/plain", "Backend action does not exist"),)


def test_resource_backend_is_an_error():
    ing = ingress()
    ing["spec"]["rules"][0]["http"]["paths"][0]["backend"] = {"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": "b"}}
    with pytest.raises(Ingress2CfnError, match='missing required "service" field'):
        one_stack(ing, service())
