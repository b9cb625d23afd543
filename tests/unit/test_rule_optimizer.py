"""The rule optimizer (lbc-semantics §6.6; LBC rule_optimizer.go and rule_optimizer_test.go): redirect
loops dropped, rules shadowed by an earlier redirect dropped, priorities renumbered per listener."""

from __future__ import annotations

import json

import pytest
from kit import ingress, one_stack, path, rule, service

from ingress2cfn.build.rule_optimizer import is_infinite_redirect, is_superset
from ingress2cfn.model.stack import Condition, FixedResponse, Protocol, Redirect

HTTPS_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444"


def host(*values: str) -> Condition:
    return Condition("host-header", values)


def paths(*values: str) -> Condition:
    return Condition("path-pattern", values)


def regex_paths(*values: str) -> Condition:
    return Condition("path-pattern", regex_values=values)


@pytest.mark.parametrize(
    "port, protocol, conditions, redirect, loop",
    [
        pytest.param(443, Protocol.HTTPS, (paths("/*"),), Redirect("HTTP_301", protocol="HTTPS", port="443"), True, id="https-to-itself-loops"),
        pytest.param(80, Protocol.HTTP, (paths("/*"),), Redirect("HTTP_301", protocol="HTTPS", port="443"), False, id="http-to-https-no-loop"),
        pytest.param(80, Protocol.HTTP, (paths("/*"),), Redirect("HTTP_301"), True, id="nothing-changed-loops"),
        pytest.param(
            80,
            Protocol.HTTP,
            (paths("/*"),),
            Redirect("HTTP_301", "#{protocol}", "#{port}", "#{host}", "/#{path}", "#{query}"),
            True,
            id="all-placeholders-loop",
        ),
        pytest.param(80, Protocol.HTTP, (host("a.com"), paths("/*")), Redirect("HTTP_301", host="a.com"), True, id="same-host-as-condition-loops"),
        pytest.param(80, Protocol.HTTP, (host("a.com"),), Redirect("HTTP_301", host="b.com"), False, id="other-host"),
        pytest.param(80, Protocol.HTTP, (paths("/old"),), Redirect("HTTP_301", path="/new"), False, id="other-path"),
        pytest.param(80, Protocol.HTTP, (paths("/same"),), Redirect("HTTP_301", path="/same"), True, id="same-path-as-condition-loops"),
        pytest.param(80, Protocol.HTTP, (paths("/*"),), Redirect("HTTP_301", port="8080"), False, id="other-port"),
        pytest.param(80, Protocol.HTTP, (paths("/*"),), Redirect("HTTP_301", query="a=b"), False, id="changed-query"),
        pytest.param(80, Protocol.HTTP, (regex_paths("^/x$"),), Redirect("HTTP_301"), False, id="regex-path-never-loops"),
    ],
)
def test_infinite_redirect(port, protocol, conditions, redirect, loop):
    assert is_infinite_redirect(port, protocol, conditions, (redirect,)) is loop


def test_only_redirects_can_loop():
    assert not is_infinite_redirect(80, Protocol.HTTP, (paths("/*"),), (FixedResponse("503"),))


@pytest.mark.parametrize(
    "lhs, rhs, covered",
    [
        pytest.param((paths("/*"),), (host("a.com"), paths("/api")), True, id="catch-all-covers-every-host-and-path"),
        pytest.param((host("a.com"), paths("/*")), (host("a.com"), paths("/x")), True, id="same-host"),
        pytest.param((host("a.com"), paths("/*")), (host("b.com"), paths("/x")), False, id="other-host"),
        pytest.param((host("a.com"),), (paths("/x"),), False, id="hostless-rule-not-covered-by-host-rule"),
        pytest.param((paths("/api", "/api/*"),), (paths("/api/v1", "/api/v1/*"),), False, id="path-sets-compared-literally"),
        pytest.param((paths("/a", "/b"),), (paths("/a"),), True, id="path-superset"),
        pytest.param(
            (paths("/*"), Condition("http-header", ("1",), http_header_name="X")), (paths("/a"),), False, id="extra-condition-on-redirect-covers-nothing"
        ),
        pytest.param((paths("/*"),), (paths("/a"), Condition("source-ip", ("10.0.0.0/8",))), True, id="extra-condition-on-later-rule-ignored"),
        pytest.param((regex_paths("^/a"),), (regex_paths("^/a"),), True, id="same-regex"),
        pytest.param((host("a.com"),), (host("a.com"),), True, id="no-path-condition-covers-all-paths"),
    ],
)
def test_superset_conditions(lhs, rhs, covered):
    assert is_superset(lhs, rhs) is covered


SSL_REDIRECT = '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}'
BOTH = {"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "certificate-arn": HTTPS_CERT}


def _listener_rules(stack) -> dict[int, list[tuple[int, str, str]]]:
    return {lst.port: [(r.priority, r.origin_field, type(r.actions[-1]).__name__) for r in lst.rules] for lst in stack.listeners}


def test_classic_ssl_redirect_pattern():
    """The spec's example: on :80 only the redirect survives; on :443 it is a loop and the app is priority 1."""
    ing = ingress(
        annotations={**BOTH, "actions.ssl-redirect": SSL_REDIRECT},
        rules=[rule(None, path("/", "Prefix", "ssl-redirect", "use-annotation"), path("/", "Prefix", "app", 80))],
    )
    assert _listener_rules(one_stack(ing, service("app"))) == {
        80: [(1, "spec.rules[0].http.paths[0]", "Redirect")],
        443: [(1, "spec.rules[0].http.paths[1]", "Forward")],
    }


def test_redirect_shadows_later_rules_of_other_ingresses_in_the_group():
    first = ingress(
        "a",
        annotations={
            "group.name": "g",
            "group.order": "1",
            "actions.moved": '{"type":"redirect","redirectConfig":{"host":"new.example.com","statusCode":"HTTP_301"}}',
        },
        rules=[rule("old.example.com", path("/", "Prefix", "moved", "use-annotation"))],
    )
    second = ingress(
        "b",
        annotations={"group.name": "g", "group.order": "2"},
        rules=[rule("old.example.com", path("/api", "Prefix", "svc", 80)), rule("other.example.com", path("/api", "Prefix", "svc", 80))],
    )
    stack = one_stack(first, second, service())
    assert [(r.priority, r.source, r.origin_field) for r in stack.listeners[0].rules] == [
        (1, "default/a", "spec.rules[0].http.paths[0]"),
        (2, "default/b", "spec.rules[1].http.paths[0]"),
    ]


def test_redirect_with_extra_condition_shadows_nothing():
    ing = ingress(
        annotations={
            "actions.ssl-redirect": SSL_REDIRECT,
            "conditions.ssl-redirect": json.dumps([{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Force-TLS", "values": ["1"]}}]),
        },
        rules=[rule(None, path("/", "Prefix", "ssl-redirect", "use-annotation"), path("/", "Prefix", "app", 80))],
    )
    assert _listener_rules(one_stack(ing, service("app"))) == {
        80: [(1, "spec.rules[0].http.paths[0]", "Redirect"), (2, "spec.rules[0].http.paths[1]", "Forward")]
    }


def test_regex_redirect_is_kept_and_shadows_the_same_regex():
    ing = ingress(
        annotations={"use-regex-path-match": "true", "actions.r": '{"type":"redirect","redirectConfig":{"statusCode":"HTTP_302"}}'},
        rules=[
            rule(
                None,
                path("/^/a$", "ImplementationSpecific", "r", "use-annotation"),
                path("/^/a$", "ImplementationSpecific", "app", 80),
                path("/^/b$", "ImplementationSpecific", "app", 80),
            )
        ],
    )
    assert _listener_rules(one_stack(ing, service("app"))) == {
        80: [(1, "spec.rules[0].http.paths[0]", "Redirect"), (2, "spec.rules[0].http.paths[2]", "Forward")]
    }


def test_dropped_rules_keep_the_other_logical_ids():
    plain = ingress(rules=[rule(None, path("/", "Prefix", "app", 80))])
    with_loop = ingress(
        annotations={"actions.self": '{"type":"redirect","redirectConfig":{"statusCode":"HTTP_301"}}'},
        rules=[rule(None, path("/loop", "Exact", "self", "use-annotation"), path("/", "Prefix", "app", 80))],
    )
    before = one_stack(plain, service("app")).listeners[0].rules
    after = one_stack(with_loop, service("app")).listeners[0].rules
    assert [(r.logical_id, r.priority) for r in after] == [(r.logical_id, r.priority) for r in before]
