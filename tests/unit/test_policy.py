"""The lint policy (`--policy FILE`): reading and validating the file (located errors), and the
checks on a rendered template's Metadata and Scheme."""

from __future__ import annotations

import pytest

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.lint.findings import Severity
from ingress2cfn.lint.policy import (
    GROUP_NAME_FIELD,
    RULE_GROUP,
    RULE_INTERNET_FACING,
    SCHEME_FIELD,
    check_policy,
    parse_policy,
)

P = "alb.ingress.kubernetes.io/"


# ── the file ───────────────────────────────────────────────────────────────────────────────────


def test_a_full_policy_reads():
    policy = parse_policy('groups:\n  web: {namespaces: [shop, blog]}\n  "*": {namespaces: ["team-*"]}\ninternetFacing: {namespaces: [shop]}\n', "p.yaml")
    assert [k for k, _ in policy.groups] == ["web"]
    assert policy.groups[0][1].patterns == ("shop", "blog")
    assert policy.groups[0][1].loc.line == 2
    assert policy.default_group.patterns == ("team-*",)
    assert policy.internet_facing.patterns == ("shop",)
    assert policy.group_rule("web")[0] == "web"
    assert policy.group_rule("other")[0] == "*"


def test_an_empty_namespace_list_allows_nobody():
    policy = parse_policy("internetFacing: {namespaces: []}\n", "p.yaml")
    assert policy.internet_facing.patterns == ()
    assert not policy.internet_facing.allows("shop")
    assert policy.group_rule("web") is None  # groups absent: not restricted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "p.yaml:1 [doc 1]: the policy file is empty", id="empty"),
        pytest.param("- a\n", "p.yaml:1 [doc 1] policy: the policy must be a mapping with keys groups, internetFacing, got a list", id="not-a-mapping"),
        pytest.param("group: {}\n", "p.yaml:1 [doc 1] policy group: unknown key 'group'; known: groups, internetFacing", id="unknown-top-key"),
        pytest.param("groups: [web]\n", "p.yaml:1 [doc 1] policy groups: must be a mapping of IngressGroup name", id="groups-not-a-mapping"),
        pytest.param("groups:\n  Web: {namespaces: [a]}\n", "p.yaml:2 [doc 1] policy groups.Web: not an IngressGroup name", id="bad-group-name"),
        pytest.param("groups:\n  web: [a]\n", "p.yaml:2 [doc 1] policy groups.web: must be a mapping {namespaces: [...]}, got a list", id="rule-not-a-mapping"),
        pytest.param("groups:\n  web: {}\n", "p.yaml:2 [doc 1] policy groups.web: namespaces is missing", id="namespaces-missing"),
        pytest.param("groups:\n  web: {namespaces: shop}\n", "p.yaml:2 [doc 1] policy groups.web.namespaces: must be a list", id="namespaces-not-a-list"),
        pytest.param(
            "groups:\n  web:\n    namespaces:\n      - shop\n      - Shop_1\n",
            "p.yaml:5 [doc 1] policy groups.web.namespaces[1]: not a namespace name or pattern: 'Shop_1'",
            id="bad-namespace",
        ),
        pytest.param(
            "groups:\n  web: {namespaces: [a], allow: x}\n",
            "p.yaml:2 [doc 1] policy groups.web.allow: unknown key 'allow'; known: namespaces",
            id="unknown-rule-key",
        ),
        pytest.param("internetFacing: {namespaces: [1]}\n", "policy internetFacing.namespaces[0]: not a namespace name or pattern: 1", id="number"),
        pytest.param("a: 1\n---\nb: 2\n", "p.yaml:3 [doc 2]: a policy file holds one YAML document", id="two-documents"),
    ],
)
def test_policy_file_errors_are_located(text, expected):
    with pytest.raises(Ingress2CfnError) as info:
        parse_policy(text, "p.yaml")
    assert expected in str(info.value)


def test_every_error_of_the_file_is_reported_at_once():
    with pytest.raises(Ingress2CfnError) as info:
        parse_policy("groups:\n  Web: {namespaces: [a]}\n  web: {}\nbogus: 1\n", "p.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert [line.split(" ")[0] for line in lines] == ["p.yaml:4", "p.yaml:2", "p.yaml:3"]


# ── the checks ─────────────────────────────────────────────────────────────────────────────────


def template(group: str, members: list[str], scheme: str | None = "internal") -> dict:
    props = {"Type": "application"}
    if scheme is not None:
        props["Scheme"] = scheme
    return {
        "Metadata": {"ingress2cfn": {"group": group, "members": members}},
        "Resources": {"LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": props}},
    }


POLICY = parse_policy('groups:\n  web: {namespaces: [shop, "team-*"]}\ninternetFacing: {namespaces: [shop]}\n', "policy.yaml")


def findings(tpl, policy=POLICY, annotations=None):
    return [(f.rule_id, f.ingresses, f.rule_fields) for f in check_policy(tpl, policy, stack="s", annotations=annotations)]


@pytest.mark.parametrize(
    ("tpl", "expected"),
    [
        pytest.param(template("web", ["shop/a", "team-x/b"]), [], id="all-allowed-glob"),
        pytest.param(template("web", ["shop/a", "blog/b"]), [(RULE_GROUP, ("blog/b",), (GROUP_NAME_FIELD,))], id="one-outside"),
        pytest.param(template("other", ["blog/b"]), [], id="group-not-listed-no-default"),
        pytest.param(template("blog/b", ["blog/b"]), [], id="implicit-group-not-checked-against-groups"),
        pytest.param(template("web", ["shop/a"], scheme="internet-facing"), [], id="internet-facing-allowed"),
        pytest.param(
            template("x", ["blog/b"], scheme="internet-facing"), [(RULE_INTERNET_FACING, ("blog/b",), (GROUP_NAME_FIELD,))], id="internet-facing-joined"
        ),
        pytest.param(
            template("x", ["blog/b"], scheme=None),
            [(RULE_INTERNET_FACING, ("blog/b",), (GROUP_NAME_FIELD,))],
            id="scheme-absent-is-cloudformations-internet-facing",
        ),
        pytest.param(template("blog/b", ["blog/b"], scheme="internet-facing"), [(RULE_INTERNET_FACING, ("blog/b",), ())], id="internet-facing-implicit-group"),
        pytest.param({"Resources": {}}, [], id="not-our-template"),
    ],
)
def test_checks(tpl, expected):
    assert findings(tpl) == expected


def test_a_default_rule_restricts_every_other_group():
    policy = parse_policy('groups:\n  "*": {namespaces: [platform]}\n', "p.yaml")
    (f,) = check_policy(template("other", ["platform/a", "blog/b"]), policy, stack="s")
    assert f.rule_id == RULE_GROUP and f.severity is Severity.ERROR
    assert 'policy groups."*" allows platform (p.yaml:2)' in f.message
    assert f.property_path == ("Metadata", "ingress2cfn", "members", 1)


def test_the_ingress_that_asked_for_internet_facing_is_blamed_at_its_scheme_annotation():
    tpl = template("web", ["blog/a", "blog/b"], scheme="internet-facing")
    annotations = {"blog/a": {P + "group.name": "web", P + "scheme": "internet-facing"}, "blog/b": {P + "group.name": "web"}}
    out = check_policy(tpl, POLICY, stack="s", annotations=annotations)
    by_ingress = {f.ingresses[0]: f for f in out if f.rule_id == RULE_INTERNET_FACING}
    assert by_ingress["blog/a"].rule_fields == (SCHEME_FIELD,)
    assert "Ingress blog/a asks for scheme internet-facing, but namespace blog may not have an internet-facing ALB" in by_ingress["blog/a"].message
    assert by_ingress["blog/b"].rule_fields == (GROUP_NAME_FIELD,)
    assert "Ingress blog/b joins IngressGroup web, whose ALB is internet-facing (scheme set by blog/a)" in by_ingress["blog/b"].message


# ── every load balancer of the stack ───────────────────────────────────────────────────────────


def test_an_internet_facing_frontend_nlb_behind_an_internal_alb_is_judged():
    """The policy used to read only the first load balancer of a template (the internal ALB)."""
    tpl = template("x", ["blog/b"], scheme="internal")
    tpl["Resources"]["FrontendNlb"] = {
        "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "Properties": {"Type": "network", "Scheme": "internet-facing"},
    }
    annotations = {"blog/b": {P + "group.name": "x", P + "frontend-nlb-scheme": "internet-facing"}}
    (f,) = check_policy(tpl, POLICY, stack="s", annotations=annotations)
    assert f.rule_id == RULE_INTERNET_FACING
    assert f.message.startswith("Ingress blog/b asks for frontend-nlb-scheme internet-facing, but namespace blog may not have an internet-facing load balancer")
    (f,) = check_policy(tpl, POLICY, stack="s", annotations={"blog/b": {P + "group.name": "x"}})
    assert "whose frontend NLB is internet-facing" in f.message


def test_a_scheme_that_is_not_a_plain_string_counts_as_internet_facing():
    tpl = template("x", ["blog/b"], scheme=None)
    tpl["Resources"]["LoadBalancer"]["Properties"]["Scheme"] = {"Ref": "Scheme"}
    assert [r for r, _, _ in findings(tpl)] == [RULE_INTERNET_FACING]
