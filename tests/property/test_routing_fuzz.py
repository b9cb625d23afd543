"""Generated actions.* / conditions.* / transforms.* values, mostly near the real schema: either a
rendered template or one of our located errors, never another exception."""

from __future__ import annotations

import json

import kit
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingress2cfn.input.errors import Ingress2CfnError

KEYS = st.sampled_from(
    [
        "type",
        "Type",
        "targetGroupARN",
        "targetGroupName",
        "forwardConfig",
        "targetGroups",
        "serviceName",
        "servicePort",
        "weight",
        "targetGroupStickinessConfig",
        "enabled",
        "durationSeconds",
        "fixedResponseConfig",
        "statusCode",
        "contentType",
        "messageBody",
        "redirectConfig",
        "host",
        "path",
        "port",
        "protocol",
        "query",
        "field",
        "values",
        "regexValues",
        "hostHeaderConfig",
        "pathPatternConfig",
        "httpHeaderConfig",
        "httpHeaderName",
        "httpRequestMethodConfig",
        "queryStringConfig",
        "key",
        "value",
        "sourceIpConfig",
        "urlRewriteConfig",
        "hostHeaderRewriteConfig",
        "rewrites",
        "regex",
        "replace",
        "other",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "forward",
            "redirect",
            "fixed-response",
            "http-header",
            "host-header",
            "path-pattern",
            "query-string",
            "source-ip",
            "http-request-method",
            "url-rewrite",
            "host-header-rewrite",
            "svc",
            "other",
            "80",
            "http",
            "HTTP_301",
            "503",
            "text/plain",
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef",
            "",
            "/*",
            "#{host}",
        ]
    ),
)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(action=JSON, conditions=JSON, transforms=JSON, regex=st.sampled_from([None, "true", "false"]))
def test_routing_annotations_never_crash(action, conditions, transforms, regex):
    annotations = {"actions.act": json.dumps(action), "conditions.act": json.dumps(conditions), "transforms.svc": json.dumps(transforms)}
    if regex is not None:
        annotations["use-regex-path-match"] = regex
    ing = kit.ingress(
        annotations=annotations,
        rules=[kit.rule("a.example.com", kit.path("/^/x", "ImplementationSpecific", "act", "use-annotation"), kit.path("/y", "Prefix", "svc", 80))],
    )
    try:
        result = kit.render(ing, kit.service("svc"), kit.service("other"))
    except Ingress2CfnError as exc:
        assert str(exc).strip()
        return
    assert yaml.safe_load(result.groups[0].template)["Resources"]


NAMES = st.sampled_from(["svc", "other", "gone"])
PORTS = st.one_of(st.sampled_from([80, "80", "http", "x", "+80"]), st.integers(0, 70000))
TEXTS = st.sampled_from(["", "a", "/*", "#{host}", "HTTPS", "443", "a.example.com", "10.0.0.0/8", "GET", "^/x$", "HTTP_301", "503", "text/plain"])
TUPLE = st.fixed_dictionaries(
    {},
    optional={
        "serviceName": NAMES,
        "servicePort": PORTS,
        "weight": st.integers(-1, 1000),
        "targetGroupARN": st.just("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef"),
    },
)
ACTIONS = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("forward"),
            "forwardConfig": st.fixed_dictionaries(
                {"targetGroups": st.lists(TUPLE, max_size=3)},
                optional={
                    "targetGroupStickinessConfig": st.fixed_dictionaries({}, optional={"enabled": st.booleans(), "durationSeconds": st.integers(0, 700000)})
                },
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("redirect"),
            "redirectConfig": st.fixed_dictionaries(
                {"statusCode": st.sampled_from(["HTTP_301", "HTTP_302", "HTTP_307", ""])},
                optional={k: TEXTS for k in ("host", "path", "port", "protocol", "query")},
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("fixed-response"),
            "fixedResponseConfig": st.fixed_dictionaries(
                {"statusCode": st.sampled_from(["200", "404", "503", "302", "abc"])}, optional={"contentType": TEXTS, "messageBody": TEXTS}
            ),
        }
    ),
)
VALUES = st.lists(TEXTS, min_size=1, max_size=3)
ONE_OF_VALUES = st.one_of(
    st.fixed_dictionaries({"values": VALUES}),
    st.fixed_dictionaries({"regexValues": VALUES}),
    st.fixed_dictionaries({}, optional={"values": VALUES, "regexValues": VALUES}),
)
CONDITION = st.one_of(
    st.fixed_dictionaries({"field": st.sampled_from(["host-header", "path-pattern"]), "hostHeaderConfig": ONE_OF_VALUES, "pathPatternConfig": ONE_OF_VALUES}),
    st.fixed_dictionaries(
        {
            "field": st.just("http-header"),
            "httpHeaderConfig": st.fixed_dictionaries({"httpHeaderName": st.sampled_from(["X-A", ""])}, optional={"values": VALUES}),
            "HttpHeaderConfig": st.fixed_dictionaries({}, optional={"regexValues": VALUES}),
        }
    ),
    st.fixed_dictionaries(
        {
            "field": st.sampled_from(["http-request-method", "source-ip"]),
            "httpRequestMethodConfig": st.fixed_dictionaries({"values": VALUES}),
            "sourceIpConfig": st.fixed_dictionaries({"values": VALUES}),
        }
    ),
    st.fixed_dictionaries(
        {
            "field": st.just("query-string"),
            "queryStringConfig": st.fixed_dictionaries({"values": st.lists(st.fixed_dictionaries({"value": TEXTS}, optional={"key": TEXTS}), max_size=2)}),
        }
    ),
)
TRANSFORM = st.fixed_dictionaries(
    {"type": st.sampled_from(["url-rewrite", "host-header-rewrite"])},
    optional={
        "urlRewriteConfig": st.fixed_dictionaries(
            {"rewrites": st.lists(st.fixed_dictionaries({}, optional={"regex": TEXTS, "replace": TEXTS}), min_size=1, max_size=2)}
        ),
        "hostHeaderRewriteConfig": st.fixed_dictionaries(
            {"rewrites": st.lists(st.fixed_dictionaries({}, optional={"regex": TEXTS, "replace": TEXTS}), min_size=1, max_size=2)}
        ),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    action=ACTIONS,
    conditions=st.lists(CONDITION, max_size=3),
    transforms=st.lists(TRANSFORM, max_size=2),
    regex=st.booleans(),
    host=st.sampled_from([None, "a.example.com"]),
    https=st.booleans(),
)
def test_near_valid_routing_annotations_render_or_fail_cleanly(action, conditions, transforms, regex, host, https):
    annotations = {
        "actions.act": json.dumps(action),
        "conditions.act": json.dumps(conditions),
        "transforms.act": json.dumps(transforms),
        "use-regex-path-match": str(regex).lower(),
    }
    if https:
        annotations.update(
            {
                "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                "certificate-arn": "arn:aws:acm:us-east-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444",
            }
        )
    ing = kit.ingress(
        annotations=annotations,
        rules=[kit.rule(host, kit.path("/^/x", "ImplementationSpecific", "act", "use-annotation"), kit.path("/", "Prefix", "svc", 80))],
        default_backend=kit.backend("act", "use-annotation"),
    )
    try:
        result = kit.render(ing, kit.service("svc", ports=[{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]), kit.service("other"))
    except Ingress2CfnError as exc:
        assert str(exc).strip()
        return
    tpl = yaml.safe_load(result.groups[0].template)
    priorities = sorted(
        r["Properties"]["Priority"]
        for r in tpl["Resources"].values()
        if r["Type"].endswith("ListenerRule") and r["Properties"]["ListenerArn"]["Ref"].endswith("80")
    )
    assert priorities == list(range(1, len(priorities) + 1))
