"""Per listener, the final rule table: order, markers against the deployed template, targets with
weights, and the Ingress rule each row comes from."""

from __future__ import annotations

import json

import pytest
from kit import ingress, path, rule, service, template
from review_support import STACK, create, remove, shop, update

from ingress2cfn.deploy.review import StackChange, build_review
from ingress2cfn.deploy.review.rule_table import action_view, condition_text
from ingress2cfn.lint.checks.context import TemplateIndex
from ingress2cfn.model.quotas import DEFAULT_LIMITS

HTTP_ONLY = {"listen-ports": '[{"HTTP": 80}]', "certificate-arn": "", "wafv2-acl-arn": ""}


def _table(change, listener: str = "ListenerHTTP80"):
    (stack,) = build_review([change], DEFAULT_LIMITS).stacks
    (table,) = [t for t in stack.listeners if t.logical_id == listener]
    return table


def _rows(change, listener: str = "ListenerHTTP80") -> list[tuple]:
    """(marker, priority, old priority, path condition) per row, the default action as "default"."""
    out = []
    for r in _table(change, listener).rules:
        out.append(("default",) if r.default else (r.marker, r.priority, r.old_priority, r.conditions[1]))
    return out


def test_markers_for_an_inserted_and_a_removed_path():
    old = shop(paths=("/b", "/c", "/d"), **HTTP_ONLY)
    new = shop(paths=("/a", "/b", "/d"), **HTTP_ONLY)
    assert _rows(update(old, new)) == [
        ("added", 1, None, "path /a | /a/*"),
        ("moved", 2, 1, "path /b | /b/*"),
        ("removed", 2, 2, "path /c | /c/*"),
        ("unchanged", 3, 3, "path /d | /d/*"),
        ("default",),
    ]


def test_changed_backend_shows_the_previous_target():
    def two(second: str) -> dict:
        ing = ingress(
            "shop",
            "shop",
            annotations={"target-type": "ip"},
            rules=[rule("shop.example.com", path("/a", "Prefix", "svc", 80), path("/b", "Prefix", second, 80))],
        )
        return template(ing, service("svc", "shop", type_="ClusterIP"), service("other", "shop", type_="ClusterIP"))

    table = _table(update(two("svc"), two("other")))
    changed = [r for r in table.rules if r.marker == "changed"]
    assert len(changed) == 1
    (row,) = changed
    assert (row.priority, row.old_priority) == (2, 2)
    assert [t.service for a in row.actions for t in a.targets] == ["shop/other:80"]
    assert row.previous_actions is not None and [t.service for a in row.previous_actions for t in a.targets] == ["shop/svc:80"]
    assert row.previous_conditions == row.conditions


def test_rows_carry_the_ingress_provenance_also_when_removed():
    old = shop(paths=("/a", "/b"), **HTTP_ONLY)
    new = shop(paths=("/a",), **HTTP_ONLY)
    rows = {r.marker: r for r in _table(update(old, new)).rules if not r.default}
    assert (rows["unchanged"].ingress, rows["unchanged"].rule) == ("shop/shop", "spec.rules[0].http.paths[0]")
    assert (rows["removed"].ingress, rows["removed"].rule, rows["removed"].sources) == ("shop/shop", "spec.rules[0].http.paths[1]", ("shop/shop",))


def test_new_stack_rows_are_all_added_and_removed_stack_rows_all_removed():
    tpl = shop(paths=("/a", "/b"))
    for change, marker in ((create(tpl), "added"), (remove(tpl), "removed")):
        (stack,) = build_review([change], DEFAULT_LIMITS).stacks
        assert [t.logical_id for t in stack.listeners] == ["ListenerHTTP80", "ListenerHTTPS443"]
        assert {r.marker for t in stack.listeners for r in t.rules} == {marker}
        assert {t.marker for t in stack.listeners} == {marker}


def test_no_changes_has_no_tables_but_gauges():
    tpl = shop()
    review = build_review([StackChange(STACK, "web", "no-changes", tpl, tpl, ())], DEFAULT_LIMITS)
    assert not review.has_changes
    (stack,) = review.stacks
    assert stack.listeners == () and stack.resources == ()
    assert [q.used for q in stack.gauges[0].quotas] == [14, 1, 1, 2]


def test_weighted_forward_lists_each_target_with_its_weight():
    forward = {
        "type": "forward",
        "forwardConfig": {
            "targetGroups": [{"serviceName": "svc", "servicePort": 80, "weight": 80}, {"serviceName": "canary", "servicePort": 80, "weight": 20}]
        },
    }
    ing = ingress(
        "shop",
        "shop",
        annotations={"target-type": "ip", "actions.split": json.dumps(forward)},
        rules=[rule(None, path("/", "Prefix", "split", "use-annotation"))],
    )
    tpl = template(ing, service("svc", "shop", type_="ClusterIP"), service("canary", "shop", type_="ClusterIP"))
    (row, _default) = _table(create(tpl)).rules
    assert [(t.service, t.weight) for a in row.actions for t in a.targets] == [("shop/svc:80", 80), ("shop/canary:80", 20)]


CONDITIONS = [
    ({"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com", "b.example.com"]}}, "host a.example.com | b.example.com"),
    ({"Field": "path-pattern", "Values": ["/legacy"]}, "path /legacy"),
    ({"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env", "Values": ["canary"]}}, "header X-Env canary"),
    ({"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET", "HEAD"]}}, "method GET | HEAD"),
    ({"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}, {"Value": "beta"}]}}, "query v=2 | beta"),
    ({"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}}, "source-ip 10.0.0.0/8"),
    ({"Field": "path-pattern", "PathPatternConfig": {"Values": [{"Ref": "P"}]}}, "path (not literal)"),
]


@pytest.mark.parametrize(("condition", "text"), CONDITIONS, ids=[c[1] for c in CONDITIONS])
def test_condition_text(condition, text):
    assert condition_text(condition) == text


ACTIONS = [
    (
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}},
        "redirect 301 to https://#{host}:443/#{path}?#{query}",
    ),
    ({"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain"}}, "fixed-response 503 text/plain"),
    ({"Type": "authenticate-oidc", "AuthenticateOidcConfig": {"Issuer": "https://idp.example.com"}}, "authenticate-oidc (issuer https://idp.example.com)"),
    (
        {"Type": "forward", "ForwardConfig": {"TargetGroups": [], "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 60}}},
        "forward (sticky 60s)",
    ),
]


@pytest.mark.parametrize(("action", "text"), ACTIONS, ids=[a[1][:30] for a in ACTIONS])
def test_action_text(action, text):
    assert action_view(action, TemplateIndex({})).text == text


def test_forward_to_an_arn_outside_the_template():
    view = action_view({"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1"}, TemplateIndex({}))
    assert [(t.target_group, t.service, t.weight) for t in view.targets] == [("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1", None, None)]
