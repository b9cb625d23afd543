"""`conditions.<name>` (lbc-semantics §6.2), `use-regex-path-match` (§6.1), `transforms.<name>` (§6.4):
condition kinds and order, host/path merging, LBC's per-entry validation, ListenerRule Transforms;
and every routing feature rendered through cfn-lint."""

from __future__ import annotations

import json

import pytest
from kit import backend, build, cfn_lint, docs, ingress, lint_vpc, one_stack, path, resources_of, rule, service, settings, template, vpc

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.stack import Condition

HOST = {"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com"]}}
API = {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api", "/api/*"]}}


def _ingress(
    conditions: list | str | None = None,
    host: str | None = "a.example.com",
    p: str | None = "/api",
    path_type: str | None = "Prefix",
    service_name: str = "svc",
    port: int | str = 80,
    **annotations,
) -> dict:
    if conditions is not None:
        annotations[f"conditions.{service_name}"] = conditions if isinstance(conditions, str) else json.dumps(conditions)
    return ingress(annotations=annotations, rules=[rule(host, path(p, path_type, service_name, port))])


def _conditions(*objects) -> list[dict]:
    (res,) = resources_of(template(*objects), "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    return res["Properties"]["Conditions"]


# ------------------------------------------------------------------ condition kinds and order

CONDITION_TABLE = [
    pytest.param(
        [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Canary", "values": ["always"]}}],
        [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Canary", "Values": ["always"]}}, HOST, API],
        id="http-header-values",
    ),
    pytest.param(
        [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "User-Agent", "regexValues": [".*Mobile.*"]}}],
        [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "User-Agent", "RegexValues": [".*Mobile.*"]}}, HOST, API],
        id="http-header-regex",
    ),
    pytest.param(
        [{"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET", "HEAD"]}}],
        [{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET", "HEAD"]}}, HOST, API],
        id="http-request-method",
    ),
    pytest.param(
        [{"field": "query-string", "queryStringConfig": {"values": [{"key": "version", "value": "v2"}, {"value": "beta"}]}}],
        [{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "version", "Value": "v2"}, {"Value": "beta"}]}}, HOST, API],
        id="query-string-with-and-without-key",
    ),
    pytest.param(
        [{"field": "source-ip", "sourceIpConfig": {"values": ["192.168.0.0/16", "2001:db8::/32"]}}],
        [{"Field": "source-ip", "SourceIpConfig": {"Values": ["192.168.0.0/16", "2001:db8::/32"]}}, HOST, API],
        id="source-ip",
    ),
    pytest.param(
        [{"field": "host-header", "hostHeaderConfig": {"values": ["b.example.com"]}}],
        [{"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com", "b.example.com"]}}, API],
        id="host-values-merged-after-rule-host",
    ),
    pytest.param(
        [{"field": "path-pattern", "pathPatternConfig": {"values": ["/v2/*"]}}],
        [HOST, {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api", "/api/*", "/v2/*"]}}],
        id="path-values-merged-after-rule-path",
    ),
    pytest.param(
        [
            {"field": "query-string", "queryStringConfig": {"values": [{"key": "a", "value": "1"}]}},
            {"field": "query-string", "queryStringConfig": {"values": [{"key": "b", "value": "2"}]}},
        ],
        [
            {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "a", "Value": "1"}]}},
            {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "b", "Value": "2"}]}},
            HOST,
            API,
        ],
        id="several-query-strings-stay-separate",
    ),
    pytest.param(
        [
            {"field": "host-header", "hostHeaderConfig": {"values": ["c.example.com"]}},
            {"field": "source-ip", "sourceIPConfig": {"values": ["10.0.0.0/8"]}},
            {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-A", "values": ["1"]}},
        ],
        [
            {"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8"]}},
            {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-A", "Values": ["1"]}},
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["a.example.com", "c.example.com"]}},
            API,
        ],
        id="other-conditions-first-in-annotation-order-then-host-then-path",
    ),
    pytest.param(
        [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Old", "Values": ["yes"]}}],
        [{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Old", "Values": ["yes"]}}, HOST, API],
        id="old-camelcase-json-keys",
    ),
]


@pytest.mark.parametrize("conditions, expected", CONDITION_TABLE)
def test_conditions_annotation_in_template(conditions, expected):
    assert _conditions(_ingress(conditions), service()) == expected


@pytest.mark.parametrize(
    "conditions, expected",
    [
        pytest.param(
            [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-A", "values": ["1"]}}],
            [Condition("http-header", ("1",), http_header_name="X-A")],
            id="only-annotation-condition-no-catch-all",
        ),
        pytest.param(
            [{"field": "host-header", "hostHeaderConfig": {"regexValues": ["^.+\\.example\\.com$"]}}],
            [Condition("host-header", regex_values=("^.+\\.example\\.com$",))],
            id="host-regex",
        ),
        pytest.param(
            [{"field": "path-pattern", "pathPatternConfig": {"regexValues": ["^/v[0-9]+/"]}}],
            [Condition("path-pattern", regex_values=("^/v[0-9]+/",))],
            id="path-regex",
        ),
        pytest.param(None, [Condition("path-pattern", ("/*",))], id="nothing-gives-catch-all"),
    ],
)
def test_conditions_without_host_and_path(conditions, expected):
    stack = one_stack(_ingress(conditions, host=None, p=None), service())
    assert list(stack.listeners[0].rules[0].conditions) == expected


def test_conditions_apply_to_an_action_backend():
    ing = _ingress(
        [{"field": "http-request-method", "httpRequestMethodConfig": {"values": ["POST"]}}],
        service_name="blocked",
        port="use-annotation",
        **{"actions.blocked": '{"type":"fixed-response","fixedResponseConfig":{"statusCode":"405"}}'},
    )
    assert _conditions(ing)[0] == {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}}


def test_conditions_apply_to_every_path_of_the_service_and_only_to_it():
    ing = ingress(
        annotations={"conditions.svc": json.dumps([{"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}}])},
        rules=[rule(None, path("/a", "Exact", "svc", 80), path("/b", "Exact", "other", 80), path("/c", "Exact", "svc", 80))],
    )
    stack = one_stack(ing, service(), service("other"))
    assert [[c.field for c in r.conditions] for r in stack.listeners[0].rules] == [
        ["source-ip", "path-pattern"],
        ["path-pattern"],
        ["source-ip", "path-pattern"],
    ]


def test_unknown_condition_field_is_ignored_with_a_warning():
    stacks, _, diagnostics = build(_ingress([{"field": "cookie", "values": ["a"]}]), service())
    warnings = [str(d) for d in diagnostics]
    assert [c.field for c in stacks[0].listeners[0].rules[0].conditions] == ["host-header", "path-pattern"]
    assert any("has field 'cookie'" in w and "ignores it" in w for w in warnings)


# ------------------------------------------------------------------ use-regex-path-match (§6.1)


@pytest.mark.parametrize(
    "flag, raw, path_type, expected",
    [
        pytest.param(
            "true", "/^/api/(.+)$", "ImplementationSpecific", Condition("path-pattern", regex_values=("^/api/(.+)$",)), id="is-becomes-regex-first-char-dropped"
        ),
        pytest.param("True", "/^/v[12]/.*", None, Condition("path-pattern", regex_values=("^/v[12]/.*",)), id="unset-type-becomes-regex"),
        pytest.param("1", "/x", "ImplementationSpecific", Condition("path-pattern", regex_values=("x",)), id="go-bool-1"),
        pytest.param("true", "/api", "Prefix", Condition("path-pattern", ("/api", "/api/*")), id="prefix-unaffected"),
        pytest.param("true", "/api", "Exact", Condition("path-pattern", ("/api",)), id="exact-unaffected"),
        pytest.param("false", "/api*", "ImplementationSpecific", Condition("path-pattern", ("/api*",)), id="false-keeps-wildcards"),
    ],
)
def test_use_regex_path_match(flag, raw, path_type, expected):
    stack = one_stack(_ingress(host=None, p=raw, path_type=path_type, **{"use-regex-path-match": flag}), service())
    assert stack.listeners[0].rules[0].conditions == (expected,)


def test_regex_path_in_template():
    conds = _conditions(_ingress(host=None, p="/^/api/(.+)$", path_type="ImplementationSpecific", **{"use-regex-path-match": "true"}), service())
    assert conds == [{"Field": "path-pattern", "PathPatternConfig": {"RegexValues": ["^/api/(.+)$"]}}]


# ------------------------------------------------------------------ transforms (§6.4)

TRANSFORM_TABLE = [
    pytest.param(
        [{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/api/(.*)$", "replace": "/$1"}]}}],
        [{"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrites": [{"Regex": "^/api/(.*)$", "Replace": "/$1"}]}}],
        id="url-rewrite",
    ),
    pytest.param(
        [{"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "^a\\.example\\.com$", "replace": "b.example.com"}]}}],
        [{"Type": "host-header-rewrite", "HostHeaderRewriteConfig": {"Rewrites": [{"Regex": "^a\\.example\\.com$", "Replace": "b.example.com"}]}}],
        id="host-header-rewrite",
    ),
    pytest.param(
        [
            {"Type": "host-header-rewrite", "HostHeaderRewriteConfig": {"Rewrites": [{"Regex": "x", "Replace": "y"}]}},
            {"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/old/(.*)$", "replace": "/new/$1"}]}},
        ],
        [
            {"Type": "host-header-rewrite", "HostHeaderRewriteConfig": {"Rewrites": [{"Regex": "x", "Replace": "y"}]}},
            {"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrites": [{"Regex": "^/old/(.*)$", "Replace": "/new/$1"}]}},
        ],
        id="both-in-annotation-order-camelcase-keys",
    ),
]


@pytest.mark.parametrize("transforms, expected", TRANSFORM_TABLE)
def test_transforms_in_template(transforms, expected):
    tpl = template(_ingress(**{"transforms.svc": json.dumps(transforms)}), service())
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert res["Properties"]["Transforms"] == expected


def test_no_transforms_property_without_annotation():
    (res,) = resources_of(template(_ingress(), service()), "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert "Transforms" not in res["Properties"]


# ------------------------------------------------------------------ validation (LBC's wording)

ERROR_TABLE = [
    pytest.param("conditions.svc", [{"field": "host-header"}], "missing hostHeaderConfig", id="missing-config"),
    pytest.param("conditions.svc", [{"field": "source-ip", "sourceIpConfig": {}}], "invalid sourceIPConfig: values cannot be empty", id="source-ip-empty"),
    pytest.param(
        "conditions.svc",
        [{"field": "http-request-method", "httpRequestMethodConfig": {"values": []}}],
        "invalid httpRequestMethodConfig: values cannot be empty",
        id="method-empty",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "host-header", "hostHeaderConfig": {"values": ["a"], "regexValues": ["b"]}}],
        "invalid hostHeaderConfig: precisely one of values and regexValues can be specified",
        id="host-values-and-regex",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "path-pattern", "pathPatternConfig": {}}],
        "invalid pathPatternConfig: values or regexValues must be specified",
        id="path-neither",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X", "values": ["a"], "regexValues": ["b"]}}],
        "invalid httpHeaderConfig: precisely one of values and regexValues can be specified",
        id="header-values-and-regex",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "http-header", "httpHeaderConfig": {"values": ["a"]}}],
        "invalid httpHeaderConfig: httpHeaderName is required",
        id="header-without-name",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "query-string", "queryStringConfig": {"values": []}}],
        "invalid queryStringConfig: Values cannot be empty",
        id="query-empty",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "query-string", "queryStringConfig": {"values": [{"key": "a"}]}}],
        "invalid queryStringConfig: value cannot be empty",
        id="query-pair-without-value",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "host-header", "hostHeaderConfig": {"regexValues": ["^x$"]}}],
        "host condition must specify exactly one of Values and RegexValues, got both Values [a.example.com] and RegexValues [^x$]",
        id="rule-host-and-annotation-host-regex",
    ),
    pytest.param(
        "conditions.svc",
        [{"field": "path-pattern", "pathPatternConfig": {"regexValues": ["^/x"]}}],
        "path condition must specify exactly one of Values and RegexValues, got both Values [/api /api/*] and RegexValues [^/x]",
        id="rule-path-and-annotation-path-regex",
    ),
    pytest.param("conditions.svc", {"field": "source-ip"}, "json: cannot unmarshal object into Go value of type []ingress.RuleCondition", id="not-a-list"),
    pytest.param("conditions.svc", "[{", "failed to parse json annotation", id="json-syntax"),
    pytest.param("transforms.svc", [{"type": "path-rewrite"}], "unknown transform type: path-rewrite", id="transform-unknown-type"),
    pytest.param("transforms.svc", [{"type": "url-rewrite"}], "missing urlRewriteConfig", id="transform-missing-config"),
    pytest.param(
        "transforms.svc",
        [{"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": []}}],
        "hostHeaderRewriteConfig.rewrites cannot be empty",
        id="transform-empty-rewrites",
    ),
    pytest.param("use-regex-path-match", "yes", 'strconv.ParseBool: parsing "yes": invalid syntax', id="regex-flag-not-bool"),
]


@pytest.mark.parametrize("key, value, message", ERROR_TABLE)
def test_invalid_routing_annotation_is_a_located_error(key, value, message):
    raw = value if isinstance(value, str) else json.dumps(value)
    ing = _ingress(path_type="ImplementationSpecific" if key == "use-regex-path-match" else "Prefix", **{key: raw})
    with pytest.raises(Ingress2CfnError) as exc:
        build(ing, service())
    text = str(exc.value)
    assert message in text
    assert f'Ingress default/web metadata.annotations["alb.ingress.kubernetes.io/{key}"]' in text


@pytest.mark.parametrize("key", ["conditions.svc", "transforms.svc"])
def test_default_backend_annotations_are_validated_like_the_controller(key):
    ing = ingress(
        annotations={key: '[{"field": "host-header"}]' if key.startswith("conditions") else '[{"type": "x"}]'}, rules=[], default_backend=backend("svc", 80)
    )
    with pytest.raises(Ingress2CfnError, match=key.replace(".", r"\.")):
        build(ing, service())


# ------------------------------------------------------------------ cfn-lint on rendered routing features

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/external/0123456789abcdef"
WEIGHTED = {
    "type": "forward",
    "forwardConfig": {
        "targetGroups": [
            {"serviceName": "stable", "servicePort": 80, "weight": 90},
            {"serviceName": "canary", "servicePort": "80", "weight": 10},
            {"targetGroupARN": ARN, "weight": 0},
        ],
        "targetGroupStickinessConfig": {"enabled": True, "durationSeconds": 3600},
    },
}
ALL_CONDITIONS = [
    {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Canary", "values": ["always"]}},
    {"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET"]}},
    {"field": "query-string", "queryStringConfig": {"values": [{"key": "v", "value": "2"}]}},
    {"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}},
]


def _lint_case(name: str) -> list[dict]:
    svcs = [service("stable"), service("canary"), service("svc")]
    if name == "weighted-with-every-condition":
        ing = ingress(
            annotations={"actions.split": json.dumps(WEIGHTED), "conditions.split": json.dumps(ALL_CONDITIONS)},
            rules=[rule("a.example.com", path("/", "Prefix", "split", "use-annotation"))],
        )
    elif name == "fixed-redirect-and-default-weighted":
        ing = ingress(
            annotations={
                "actions.split": json.dumps(WEIGHTED),
                "actions.moved": '{"type":"redirect","redirectConfig":{"host":"b.example.com","statusCode":"HTTP_302"}}',
                "actions.down": '{"type":"fixed-response","fixedResponseConfig":{"statusCode":"503"}}',
            },
            rules=[rule("a.example.com", path("/old", "Prefix", "moved", "use-annotation"), path("/maint", "Exact", "down", "use-annotation"))],
            default_backend=backend("split", "use-annotation"),
        )
    elif name == "regex-paths-and-transforms":
        ing = ingress(
            annotations={
                "use-regex-path-match": "true",
                "conditions.svc": json.dumps(
                    [
                        {"field": "host-header", "hostHeaderConfig": {"regexValues": ["^.+\\.example\\.com$"]}},
                        {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "User-Agent", "regexValues": [".*Mobile.*"]}},
                    ]
                ),
                "transforms.svc": json.dumps(
                    [
                        {"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/api/(.*)$", "replace": "/$1"}]}},
                        {"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "^(.*)$", "replace": "internal.example.com"}]}},
                    ]
                ),
            },
            rules=[rule(None, path("/^/api/(.+)$", "ImplementationSpecific", "svc", 80))],
        )
    else:  # ssl-redirect-pattern
        ing = ingress(
            annotations={
                "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                "certificate-arn": "arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444",
                "actions.ssl-redirect": '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}',
            },
            rules=[rule(None, path("/", "Prefix", "ssl-redirect", "use-annotation"), path("/", "Prefix", "svc", 80))],
        )
    return [ing, *svcs]


@pytest.mark.parametrize("case", ["weighted-with-every-condition", "fixed-redirect-and-default-weighted", "regex-paths-and-transforms", "ssl-redirect-pattern"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_rendered_routing_templates_lint_clean(case, fmt):
    from ingress2cfn.render.pipeline import render_documents
    from ingress2cfn.render.serialise import Format

    result = render_documents(docs(*_lint_case(case)), vpc(lint_vpc()), settings(), Format(fmt))
    assert cfn_lint(result.groups[0].template) == []


@pytest.mark.parametrize("case", ["weighted-with-every-condition", "fixed-redirect-and-default-weighted", "regex-paths-and-transforms", "ssl-redirect-pattern"])
def test_routing_output_does_not_depend_on_document_order(case):
    from ingress2cfn.render.pipeline import render_documents

    objects = _lint_case(case)
    first = render_documents(docs(*objects), vpc(lint_vpc()), settings())
    second = render_documents(docs(*reversed(objects)), vpc(lint_vpc()), settings())
    assert [(g.template, g.bindings) for g in first.groups] == [(g.template, g.bindings) for g in second.groups]
