"""Go encoding/json semantics for JSON annotations (lbc-semantics §0, §1): case-insensitive keys,
unknown keys ignored, null = unset, Go's type-error wording; intstr.Parse for servicePort."""

from __future__ import annotations

import json

import pytest

from ingress2cfn.build.actions import ACTION
from ingress2cfn.build.conditions import RULE_CONDITIONS
from ingress2cfn.rules.gojson import GoJSONError, decode, parse_int_or_string


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param('{"type":"redirect"}', {"type": "redirect"}, id="exact-key"),
        pytest.param('{"Type":"redirect"}', {"type": "redirect"}, id="capitalised-key"),
        pytest.param('{"TYPE":"redirect"}', {"type": "redirect"}, id="upper-case-key"),
        pytest.param('{"type":"a","Type":"b"}', {"type": "b"}, id="two-spellings-last-wins"),
        pytest.param('{"type":"fixed-response","colour":"red"}', {"type": "fixed-response"}, id="unknown-key-ignored"),
        pytest.param('{"type":null}', {}, id="null-is-unset"),
        pytest.param('{"targetGroupArn":"arn:x"}', {"targetGroupARN": "arn:x"}, id="arn-spelling-folded"),
        pytest.param(
            '{"RedirectConfig":{"StatusCode":"HTTP_301","Port":"443"}}',
            {"redirectConfig": {"statusCode": "HTTP_301", "port": "443"}},
            id="nested-old-camelcase",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"serviceName":"a"}]},"ForwardConfig":{"TargetGroupStickinessConfig":{"Enabled":true}}}',
            {"forwardConfig": {"targetGroups": [{"serviceName": "a"}], "targetGroupStickinessConfig": {"enabled": True}}},
            id="struct-decoded-twice-merges",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"servicePort":80},{"servicePort":"http"}]}}',
            {"forwardConfig": {"targetGroups": [{"servicePort": 80}, {"servicePort": "http"}]}},
            id="int-or-string",
        ),
        pytest.param('{"forwardConfig":{"targetGroups":[null]}}', {"forwardConfig": {"targetGroups": [{}]}}, id="null-element-is-zero-struct"),
    ],
)
def test_decode_action(raw, expected):
    assert decode(json.loads(raw), ACTION) == expected


@pytest.mark.parametrize(
    "raw, typ, message",
    [
        pytest.param(
            '{"redirectConfig":{"port":443}}',
            ACTION,
            'json: cannot unmarshal number into Go struct field RedirectActionConfig.redirectConfig.port of type string; write it as a JSON string: "443"',
            id="number-for-string",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"weight":"10"}]}}',
            ACTION,
            "json: cannot unmarshal string into Go struct field TargetGroupTuple.forwardConfig.targetGroups.weight of type int32",
            id="string-for-int",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"weight":1.5}]}}',
            ACTION,
            "json: cannot unmarshal number 1.5 into Go struct field TargetGroupTuple.forwardConfig.targetGroups.weight of type int32",
            id="float-for-int",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"weight":4294967296}]}}',
            ACTION,
            "json: cannot unmarshal number 4294967296 into Go struct field TargetGroupTuple.forwardConfig.targetGroups.weight of type int32",
            id="int32-overflow",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroupStickinessConfig":{"enabled":"true"}}}',
            ACTION,
            "json: cannot unmarshal string into Go struct field TargetGroupStickinessConfig.forwardConfig.targetGroupStickinessConfig.enabled of type bool",
            id="string-for-bool",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":{"serviceName":"a"}}}',
            ACTION,
            "json: cannot unmarshal object into Go struct field ForwardActionConfig.forwardConfig.targetGroups of type []ingress.TargetGroupTuple",
            id="object-for-list",
        ),
        pytest.param(
            '{"forwardConfig":{"targetGroups":[{"servicePort":1.5}]}}',
            ACTION,
            "json: cannot unmarshal number 1.5 into Go value of type int32",
            id="intstr-float",
        ),
        pytest.param('["redirect"]', ACTION, "json: cannot unmarshal array into Go value of type ingress.Action", id="array-for-action"),
        pytest.param(
            '{"field":"host-header"}',
            RULE_CONDITIONS,
            "json: cannot unmarshal object into Go value of type []ingress.RuleCondition",
            id="object-for-conditions",
        ),
        pytest.param(
            '[{"field":"host-header","hostHeaderConfig":{"values":"a.com"}}]',
            RULE_CONDITIONS,
            "json: cannot unmarshal string into Go struct field HostHeaderConditionConfig.hostHeaderConfig.values of type []string",
            id="string-for-values",
        ),
    ],
)
def test_decode_type_errors_use_go_wording(raw, typ, message):
    with pytest.raises(GoJSONError) as exc:
        decode(json.loads(raw), typ)
    assert str(exc.value) == message


def test_first_type_error_is_reported():
    with pytest.raises(GoJSONError, match="Action.type"):
        decode({"type": 1, "targetGroupARN": 2}, ACTION)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("80", 80, id="digits"),
        pytest.param("+80", 80, id="plus-sign"),
        pytest.param("080", 80, id="leading-zero"),
        pytest.param(80, 80, id="number"),
        pytest.param("http", "http", id="name"),
        pytest.param("8o", "8o", id="not-a-number"),
        pytest.param(" 80", " 80", id="space-is-not-atoi"),
        pytest.param("", "", id="empty"),
        pytest.param("99999999999", "99999999999", id="beyond-int32-stays-a-name"),
    ],
)
def test_service_port_string_that_looks_like_a_number(value, expected):
    assert parse_int_or_string(value) == expected
