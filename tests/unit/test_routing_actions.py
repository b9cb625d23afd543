"""`actions.<name>` (lbc-semantics §6.3; LBC enhanced_backend_builder.go, config_types.go,
model_build_actions.go): fixed-response, redirect, forward (simplified and forwardConfig, weights,
stickiness), servicePort normalisation, target groups shared with plain backends, the 503
fallbacks, and LBC's validation messages."""

from __future__ import annotations

import json

import pytest
import yaml
from kit import backend, build, docs, ingress, path, render, resources_of, rule, service, settings, template, vpc

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model import naming

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/external/0123456789abcdef"
NAMED = [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]


def _tg(svc: str, port: str) -> dict:
    return {"Ref": naming.target_group_id("default/web", svc, port)}


def _ingress(action: dict | str, name: str = "act", **annotations) -> dict:
    raw = action if isinstance(action, str) else json.dumps(action)
    return ingress(annotations={f"actions.{name}": raw, **annotations}, rules=[rule(None, path("/", "Prefix", name, "use-annotation"))])


def _only_rule(tpl: dict) -> dict:
    (res,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    return res["Properties"]


# ------------------------------------------------------------------ action → CloudFormation Actions

ACTION_TABLE = [
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"contentType": "text/plain", "statusCode": "503", "messageBody": "back soon"}},
        [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "back soon"}}],
        id="fixed-response",
    ),
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "404"}},
        [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
        id="fixed-response-without-content-type-left-to-aws",
    ),
    pytest.param(
        {"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}},
        [{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_301", "Protocol": "HTTPS", "Port": "443"}}],
        id="redirect-to-https",
    ),
    pytest.param(
        {
            "type": "redirect",
            "redirectConfig": {"host": "new.example.com", "path": "/x/#{path}", "port": "8443", "protocol": "HTTPS", "query": "a=b", "statusCode": "HTTP_302"},
        },
        [
            {
                "Type": "redirect",
                "RedirectConfig": {
                    "StatusCode": "HTTP_302",
                    "Protocol": "HTTPS",
                    "Port": "8443",
                    "Host": "new.example.com",
                    "Path": "/x/#{path}",
                    "Query": "a=b",
                },
            }
        ],
        id="redirect-every-field",
    ),
    pytest.param({"type": "forward", "targetGroupARN": ARN}, [{"Type": "forward", "TargetGroupArn": ARN}], id="simplified-target-group-arn"),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80}]}},
        [{"Type": "forward", "TargetGroupArn": _tg("svc", "80")}],
        id="one-service-simple-form",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": "80"}]}},
        [{"Type": "forward", "TargetGroupArn": _tg("svc", "80")}],
        id="service-port-string-number-normalised",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80, "weight": 100}]}},
        [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": _tg("svc", "80"), "Weight": 100}]}}],
        id="one-service-with-weight-keeps-forward-config",
    ),
    pytest.param(
        {
            "type": "forward",
            "forwardConfig": {
                "targetGroups": [{"serviceName": "stable", "servicePort": 80, "weight": 90}, {"serviceName": "canary", "servicePort": 80, "weight": 10}],
                "targetGroupStickinessConfig": {"enabled": True, "durationSeconds": 600},
            },
        },
        [
            {
                "Type": "forward",
                "ForwardConfig": {
                    "TargetGroups": [{"TargetGroupArn": _tg("stable", "80"), "Weight": 90}, {"TargetGroupArn": _tg("canary", "80"), "Weight": 10}],
                    "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 600},
                },
            }
        ],
        id="weighted-services-with-stickiness",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"targetGroupARN": ARN, "weight": 1}, {"serviceName": "svc", "servicePort": 80, "weight": 3}]}},
        [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": ARN, "Weight": 1}, {"TargetGroupArn": _tg("svc", "80"), "Weight": 3}]}}],
        id="external-arn-and-service",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80}], "targetGroupStickinessConfig": {"enabled": False}}},
        [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": _tg("svc", "80")}], "TargetGroupStickinessConfig": {"Enabled": False}}}],
        id="stickiness-keeps-forward-config",
    ),
    pytest.param(
        # the docs' old spelling: Go's decoder matches keys case-insensitively
        {
            "Type": "forward",
            "ForwardConfig": {
                "TargetGroups": [{"ServiceName": "stable", "ServicePort": "80", "Weight": 50}, {"ServiceName": "canary", "ServicePort": "80", "Weight": 50}],
                "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 60},
            },
        },
        [
            {
                "Type": "forward",
                "ForwardConfig": {
                    "TargetGroups": [{"TargetGroupArn": _tg("stable", "80"), "Weight": 50}, {"TargetGroupArn": _tg("canary", "80"), "Weight": 50}],
                    "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 60},
                },
            }
        ],
        id="old-camelcase-json-keys",
    ),
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "messageBody": "ok"}, "comment": "ignored"},
        [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200", "MessageBody": "ok"}}],
        id="unknown-keys-ignored",
    ),
]

SERVICES = (service("svc"), service("stable"), service("canary"))


@pytest.mark.parametrize("action, expected", ACTION_TABLE)
def test_action_annotation_in_template(action, expected):
    assert _only_rule(template(_ingress(action), *SERVICES))["Actions"] == expected


@pytest.mark.parametrize("action, expected", ACTION_TABLE)
def test_action_on_the_default_backend(action, expected):
    ing = ingress(annotations={"actions.act": json.dumps(action)}, rules=[], default_backend=backend("act", "use-annotation"))
    (listener,) = resources_of(template(ing, *SERVICES), "AWS::ElasticLoadBalancingV2::Listener").values()
    assert listener["Properties"]["DefaultActions"] == expected


def test_weighted_services_get_target_groups_and_bindings():
    action = {
        "type": "forward",
        "forwardConfig": {
            "targetGroups": [{"serviceName": "stable", "servicePort": "http", "weight": 90}, {"serviceName": "canary", "servicePort": 80, "weight": 10}]
        },
    }
    result = render(_ingress(action), service("stable", ports=NAMED), service("canary"))
    tpl = yaml.safe_load(result.groups[0].template)
    tgs = resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert {k: v["Metadata"]["ingress2cfn"]["service"] for k, v in tgs.items()} == {
        _tg("stable", "http")["Ref"]: "default/stable:http",
        _tg("canary", "80")["Ref"]: "default/canary:80",
    }
    bindings = list(yaml.safe_load_all(result.groups[0].bindings))
    assert sorted((b["spec"]["serviceRef"]["name"], b["spec"]["serviceRef"]["port"]) for b in bindings) == [("canary", 80), ("stable", "http")]


def test_action_tuple_and_plain_backend_share_one_target_group():
    action = {
        "type": "forward",
        "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": "80", "weight": 1}, {"targetGroupARN": ARN, "weight": 1}]},
    }
    ing = ingress(
        annotations={"actions.act": json.dumps(action)}, rules=[rule(None, path("/a", "Prefix", "act", "use-annotation"), path("/b", "Prefix", "svc", 80))]
    )
    tpl = template(ing, service())
    assert list(resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup")) == [_tg("svc", "80")["Ref"]]


# ------------------------------------------------------------------ the controller's 503 fallbacks


def test_missing_actions_annotation_answers_503_with_a_warning():
    ing = ingress(rules=[rule(None, path("/", "Prefix", "maintenance", "use-annotation"))])
    stacks, _, diagnostics = build(ing)
    warnings = [str(d) for d in diagnostics]
    (r,) = stacks[0].listeners[0].rules
    assert [(a.status_code, a.content_type, a.message_body) for a in r.actions] == [("503", "text/plain", "Backend action does not exist")]
    assert any("alb.ingress.kubernetes.io/actions.maintenance is not set" in w and "Backend action does not exist" in w for w in warnings)


@pytest.mark.parametrize(
    "target",
    [
        pytest.param({"serviceName": "gone", "servicePort": 80}, id="plain"),
        pytest.param({"serviceName": "gone", "servicePort": 80, "weight": 5}, id="with-weight"),
    ],
)
def test_missing_single_service_answers_503_with_a_warning(target):
    stacks, _, diagnostics = build(_ingress({"type": "forward", "forwardConfig": {"targetGroups": [target]}}))
    warnings = [str(d) for d in diagnostics]
    (r,) = stacks[0].listeners[0].rules
    assert [a.message_body for a in r.actions] == ["Backend service does not exist"]
    assert stacks[0].target_groups == ()
    assert any("Service default/gone" in w and "Backend service does not exist" in w for w in warnings)


# ------------------------------------------------------------------ validation (LBC's wording)

ERROR_TABLE = [
    pytest.param({"type": "authenticate-oidc"}, "unknown action type: authenticate-oidc", id="unknown-type"),
    pytest.param({"fixedResponseConfig": {"statusCode": "200"}}, "unknown action type: ", id="missing-type"),
    pytest.param({"type": "fixed-response"}, "missing FixedResponseConfig", id="fixed-response-without-config"),
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"messageBody": "x"}},
        "invalid FixedResponseConfig: statusCode is required",
        id="fixed-response-without-status",
    ),
    pytest.param({"type": "redirect"}, "missing RedirectConfig", id="redirect-without-config"),
    pytest.param({"type": "redirect", "redirectConfig": {"protocol": "HTTPS"}}, "invalid RedirectConfig: statusCode is required", id="redirect-without-status"),
    pytest.param({"type": "forward"}, "missing ForwardConfig or TargetGroupARN/TargetGroupName", id="forward-without-target"),
    pytest.param(
        {"type": "forward", "targetGroupARN": ARN, "forwardConfig": {"targetGroups": []}},
        "either ForwardConfig or TargetGroupARN/TargetGroupName can be specified",
        id="forward-arn-and-forward-config",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"weight": 1}]}},
        "invalid ForwardConfig: invalid TargetGroupTuple: missing serviceName or targetGroupARN/targetGroupName",
        id="tuple-without-target",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80, "targetGroupARN": ARN}]}},
        "invalid ForwardConfig: invalid TargetGroupTuple: either serviceName or targetGroupARN/targetGroupName can be specified",
        id="tuple-service-and-arn",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc"}]}},
        "invalid ForwardConfig: invalid TargetGroupTuple: missing servicePort",
        id="tuple-without-service-port",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80, "weight": 1}, {"targetGroupARN": ARN}]}},
        "invalid ForwardConfig: weight must be set when route to multiple target groups (targetGroups[1] has no weight)",
        id="weights-missing",
    ),
    pytest.param(
        {"type": "forward", "targetGroupName": "legacy-tg"}, "searching TargetGroup with name legacy-tg: needs the AWS API", id="target-group-name-offline"
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"targetGroupName": "legacy-tg", "weight": 1}, {"targetGroupARN": ARN, "weight": 1}]}},
        'use "targetGroupARN"',
        id="target-group-name-in-forward-config",
    ),
    pytest.param(
        {
            "type": "forward",
            "forwardConfig": {
                "targetGroups": [{"serviceName": "svc", "servicePort": 80, "weight": 1}, {"serviceName": "gone", "servicePort": 80, "weight": 1}]
            },
        },
        'services "gone" not found',
        id="missing-service-among-several",
    ),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": "web"}]}},
        "unable to find port web on service default/svc (forwardConfig.targetGroups[0]; its ports: 80)",
        id="service-port-not-found",
    ),
    pytest.param(
        {"type": "redirect", "redirectConfig": {"port": 443, "statusCode": "HTTP_301"}},
        "json: cannot unmarshal number into Go struct field RedirectActionConfig.redirectConfig.port of type string",
        id="json-number-for-string",
    ),
    pytest.param('{"type": "redirect",', "failed to parse json annotation", id="json-syntax"),
    pytest.param(
        {"type": "redirect", "redirectConfig": {"statusCode": "HTTP_307"}},
        "redirectConfig.statusCode 'HTTP_307' is not accepted by AWS",
        id="aws-redirect-status",
    ),
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "302"}},
        "fixedResponseConfig.statusCode '302' is not accepted by AWS",
        id="aws-fixed-status",
    ),
    pytest.param(
        {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "contentType": "text/xml"}},
        "fixedResponseConfig.contentType 'text/xml' is not accepted by AWS",
        id="aws-content-type",
    ),
    pytest.param({"type": "forward", "forwardConfig": {"targetGroups": []}}, "forwardConfig.targetGroups is empty", id="forward-config-without-target-groups"),
    pytest.param(
        {"type": "forward", "forwardConfig": {"targetGroups": [{"targetGroupARN": ARN, "weight": 1000}]}},
        "weight 1000 of targetGroups[0] is not accepted by AWS",
        id="aws-weight-range",
    ),
]


@pytest.mark.parametrize("action, message", ERROR_TABLE)
def test_invalid_action_is_a_located_error(action, message):
    with pytest.raises(Ingress2CfnError) as exc:
        build(_ingress(action), service())
    text = str(exc.value)
    assert message in text
    assert 'Ingress default/web metadata.annotations["alb.ingress.kubernetes.io/actions.act"]' in text
    assert "Traceback" not in text


def test_actions_annotation_is_read_only_for_use_annotation_backends():
    # a backend naming the Service by a real port forwards to the Service, whatever actions.<name> says
    ing = ingress(annotations={"actions.svc": json.dumps({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200"}})})
    assert _only_rule(template(ing, service()))["Actions"] == [{"Type": "forward", "TargetGroupArn": _tg("svc", "80")}]


def test_document_order_does_not_change_weighted_output():
    action = {
        "type": "forward",
        "forwardConfig": {
            "targetGroups": [{"serviceName": "stable", "servicePort": 80, "weight": 90}, {"serviceName": "canary", "servicePort": 80, "weight": 10}]
        },
    }
    objects = [_ingress(action), service("stable"), service("canary")]
    from ingress2cfn.render.pipeline import render_documents

    first = render_documents(docs(*objects), vpc(), settings())
    second = render_documents(docs(*reversed(objects)), vpc(), settings())
    assert first.groups[0].template == second.groups[0].template
    assert first.groups[0].bindings == second.groups[0].bindings
