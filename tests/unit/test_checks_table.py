"""ingress2cfn.lint.checks, one row per check: a minimal failing template and its passing twin, both
derived from BASE (a small hand-written ALB template without ingress2cfn Metadata, so the checks are
exercised on "any ALB template"). Each row asserts the exact rule id and that the message names
what is wrong."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from ingress2cfn.lint.checks import BY_ID, CHECKS, run_checks
from ingress2cfn.lint.findings import Severity
from ingress2cfn.model.quotas import DEFAULT_LIMITS

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
TG = "AWS::ElasticLoadBalancingV2::TargetGroup"
CERT = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
VPC = "vpc-0123456789abcdef0"
ARN = "arn:aws:acm:us-east-1:123456789012:certificate/"

BASE: dict[str, Any] = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "SG": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupDescription": "alb",
                "VpcId": VPC,
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "10.0.0.0/8"}],
            },
        },
        "LB": {
            "Type": LB,
            "Properties": {
                "Name": "my-alb",
                "Type": "application",
                "Scheme": "internal",
                "Subnets": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                "SecurityGroups": [{"Ref": "SG"}],
            },
        },
        "TG": {
            "Type": TG,
            "Properties": {
                "Name": "my-tg",
                "Port": 8080,
                "Protocol": "HTTP",
                "TargetType": "ip",
                "VpcId": VPC,
                "HealthCheckIntervalSeconds": 15,
                "HealthCheckTimeoutSeconds": 5,
                "HealthCheckPath": "/healthz",
                "Matcher": {"HttpCode": "200"},
            },
        },
        "Listener": {
            "Type": LISTENER,
            "Properties": {
                "LoadBalancerArn": {"Ref": "LB"},
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
            },
        },
        "RuleA": {
            "Type": RULE,
            "Properties": {
                "ListenerArn": {"Ref": "Listener"},
                "Priority": 1,
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
                "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TG"}}],
            },
        },
    },
}

Mut = Callable[[dict], None]


def res(t: dict, lid: str) -> dict:
    return t["Resources"][lid]["Properties"]


def add(lid: str, type_: str, props: dict) -> Mut:
    def f(t: dict) -> None:
        t["Resources"][lid] = {"Type": type_, "Properties": copy.deepcopy(props)}

    return f


def setp(lid: str, *path_and_value: Any) -> Mut:
    """setp("TG", "Matcher", "HttpCode", "abc"): set a (nested) property; value None deletes it."""
    *path, value = path_and_value

    def f(t: dict) -> None:
        node = res(t, lid)
        for key in path[:-1]:
            node = node[key]
        if value is None:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(value)

    return f


def delete(lid: str) -> Mut:
    return lambda t: t["Resources"].pop(lid)


def both(*muts: Mut) -> Mut:
    def f(t: dict) -> None:
        for m in muts:
            m(t)

    return f


def nothing(t: dict) -> None:
    pass


def rule(prio: int, paths: list[str], tg: str = "TG", lid: str = "RuleB", hosts: list[str] | None = None) -> Mut:
    conds: list[dict] = []
    if hosts:
        conds.append({"Field": "host-header", "HostHeaderConfig": {"Values": hosts}})
    conds.append({"Field": "path-pattern", "PathPatternConfig": {"Values": paths}})
    return add(
        lid, RULE, {"ListenerArn": {"Ref": "Listener"}, "Priority": prio, "Conditions": conds, "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": tg}}]}
    )


def tg2(t: dict) -> None:
    t["Resources"]["TG2"] = copy.deepcopy(t["Resources"]["TG"])
    res(t, "TG2")["Name"] = "my-tg-2"


def https_listener(*certs: str, policy: str = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", port: int = 443) -> Mut:
    props: dict = {
        "LoadBalancerArn": {"Ref": "LB"},
        "Port": port,
        "Protocol": "HTTPS",
        "SslPolicy": policy,
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TG"}}],
    }
    if certs:
        props["Certificates"] = [{"CertificateArn": ARN + certs[0]}]
    return add("ListenerHttps", LISTENER, props)


def extra_certs(*certs: str) -> Mut:
    return add("ExtraCerts", CERT, {"ListenerArn": {"Ref": "ListenerHttps"}, "Certificates": [{"CertificateArn": ARN + c} for c in certs]})


def text_of(size: int) -> str:
    return "#" * (size - 1) + "\n"


def limits(**kw: int):
    return DEFAULT_LIMITS.with_values({k.replace("_", "-"): v for k, v in kw.items()})


FORWARD_TO = lambda *tgs, weights=None: [
    {
        "Type": "forward",
        "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": tg}, **({"Weight": weights[i]} if weights else {})} for i, tg in enumerate(tgs)]},
    }
]

# (check id, row id, failing mutation, passing mutation, words the message must contain, run_checks kwargs)
TABLE: list[tuple[str, str, Mut, Mut, tuple[str, ...], dict]] = [
    ("I2C1001", "rules-per-alb", rule(2, ["/b/*"]), nothing, ("2 listener rules", "rules-per-alb", "LB"), {"limits": limits(rules_per_alb=1)}),
    (
        "I2C1002",
        "target-groups-per-alb",
        both(tg2, rule(2, ["/b/*"], tg="TG2")),
        rule(2, ["/b/*"]),
        ("2 target groups", "target-groups-per-alb"),
        {"limits": limits(target_groups_per_alb=1)},
    ),
    ("I2C1003", "listeners-per-alb", https_listener("a"), nothing, ("2 listeners", "443", "listeners-per-alb"), {"limits": limits(listeners_per_alb=1)}),
    (
        "I2C1004",
        "certificates-per-alb",
        both(https_listener("a"), extra_certs("b", "c")),
        both(https_listener("a"), extra_certs("a", "b")),
        ("2 certificates", "certificates-per-alb"),
        {"limits": limits(certificates_per_alb=1)},
    ),
    (
        "I2C1005",
        "condition-values-per-rule",
        rule(2, ["/a", "/b", "/c"], hosts=["a.example.com", "b.example.com", "c.example.com"]),
        rule(2, ["/a", "/b"], hosts=["a.example.com", "b.example.com", "c.example.com"]),
        ("6 condition values", "c.example.com", "/c"),
        {},
    ),
    ("I2C1006", "condition-wildcards-per-rule", rule(2, ["/a*b*c*", "/d*e*f*"]), rule(2, ["/a*b*c*", "/d*e*"]), ("6 wildcards", "/d*e*f*"), {}),
    (
        "I2C1007",
        "target-groups-per-action",
        both(tg2, setp("RuleA", "Actions", FORWARD_TO("TG", "TG2"))),
        both(tg2, setp("RuleA", "Actions", FORWARD_TO("TG"))),
        ("2 target groups", "RuleA", "target-groups-per-action"),
        {"limits": limits(target_groups_per_action=1)},
    ),
    ("I2C1008", "name-length", setp("TG", "Name", "t" * 33), setp("TG", "Name", "t" * 32), ("33 characters", "at most 32", "TG"), {}),
    ("I2C1009", "name-characters-underscore", setp("TG", "Name", "my_tg"), setp("TG", "Name", "my-tg"), ("'_'", "my_tg"), {}),
    ("I2C1009", "name-characters-internal", setp("LB", "Name", "internal-alb"), setp("LB", "Name", "alb-internal"), ("internal-",), {}),
    ("I2C2001", "duplicate-priority", rule(1, ["/b/*"]), rule(2, ["/b/*"]), ("Priority 1", "RuleA", "RuleB", "unique"), {}),
    ("I2C2002", "listener-protocol", setp("Listener", "Protocol", "TCP"), setp("Listener", "Protocol", "HTTP"), ("Protocol TCP", "HTTP or HTTPS"), {}),
    (
        "I2C2003",
        "ssl-policy",
        https_listener("a", policy="ELBSecurityPolicy-TLS13-1-2-2021-07"),
        https_listener("a", policy="ELBSecurityPolicy-TLS13-1-2-2021-06"),
        ("ELBSecurityPolicy-TLS13-1-2-2021-07", "not an ALB security policy"),
        {},
    ),
    (
        "I2C2003",
        "ssl-policy-fips",
        https_listener("a", policy="ELBSecurityPolicy-FIPS"),
        https_listener("a", policy="ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04"),
        ("ELBSecurityPolicy-FIPS",),
        {},
    ),
    (
        "I2C2004",
        "listener-attribute",
        setp("Listener", "ListenerAttributes", [{"Key": "routing.http.response.server.enable", "Value": "false"}]),
        setp("Listener", "ListenerAttributes", [{"Key": "routing.http.response.server.enabled", "Value": "false"}]),
        ("routing.http.response.server.enable'", "did you mean routing.http.response.server.enabled"),
        {},
    ),
    (
        "I2C2005",
        "load-balancer-attribute",
        setp("LB", "LoadBalancerAttributes", [{"Key": "idle_timeout.timeout_second", "Value": "60"}]),
        setp("LB", "LoadBalancerAttributes", [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}]),
        ("idle_timeout.timeout_second'",),
        {},
    ),
    (
        "I2C3001",
        "health-check-timeout",
        setp("TG", "HealthCheckTimeoutSeconds", 15),
        setp("TG", "HealthCheckTimeoutSeconds", 14),
        ("HealthCheckTimeoutSeconds 15", "HealthCheckIntervalSeconds 15"),
        {},
    ),
    (
        "I2C3001",
        "health-check-timeout-default-interval",
        both(setp("TG", "HealthCheckIntervalSeconds", None), setp("TG", "HealthCheckTimeoutSeconds", 30)),
        both(setp("TG", "HealthCheckIntervalSeconds", None), setp("TG", "HealthCheckTimeoutSeconds", 29)),
        ("HealthCheckTimeoutSeconds 30", "HealthCheckIntervalSeconds 30 (AWS default)"),
        {},
    ),
    (
        "I2C3002",
        "health-check-path",
        setp("TG", "HealthCheckPath", "healthz"),
        setp("TG", "HealthCheckPath", "/"),
        ("HealthCheckPath 'healthz'", "start with /"),
        {},
    ),
    (
        "I2C3002",
        "health-check-threshold",
        setp("TG", "HealthyThresholdCount", 11),
        setp("TG", "HealthyThresholdCount", 10),
        ("HealthyThresholdCount 11", "2-10"),
        {},
    ),
    ("I2C3002", "health-check-port", setp("TG", "HealthCheckPort", "70000"), setp("TG", "HealthCheckPort", "8081"), ("HealthCheckPort '70000'",), {}),
    (
        "I2C3003",
        "matcher-not-codes",
        setp("TG", "Matcher", "HttpCode", "abc"),
        setp("TG", "Matcher", "HttpCode", "200-299"),
        ("HttpCode 'abc'", "code list"),
        {},
    ),
    ("I2C3003", "matcher-out-of-range", setp("TG", "Matcher", "HttpCode", "200,600"), setp("TG", "Matcher", "HttpCode", "200,202"), ("'600'", "200-499"), {}),
    ("I2C3003", "matcher-grpc", setp("TG", "Matcher", {"GrpcCode": "0-100"}), setp("TG", "Matcher", {"GrpcCode": "0-99"}), ("GrpcCode", "0-99"), {}),
    (
        "I2C3004",
        "target-group-attribute",
        setp("TG", "TargetGroupAttributes", [{"Key": "stickiness.lb_cookie.duration", "Value": "60"}]),
        setp("TG", "TargetGroupAttributes", [{"Key": "stickiness.lb_cookie.duration_seconds", "Value": "60"}]),
        ("stickiness.lb_cookie.duration'",),
        {},
    ),
    ("I2C3005", "target-group-protocol", setp("TG", "Protocol", "TCP"), setp("TG", "Protocol", "HTTPS"), ("Protocol TCP", "Listener"), {}),
    ("I2C4001", "rule-without-condition", setp("RuleA", "Conditions", []), nothing, ("RuleA", "no condition"), {}),
    (
        "I2C4002",
        "condition-field",
        setp("RuleA", "Conditions", [{"Field": "cookie", "Values": ["a=b"]}]),
        setp("RuleA", "Conditions", [{"Field": "path-pattern", "Values": ["/a"]}]),
        ("'cookie'",),
        {},
    ),
    (
        "I2C4003",
        "repeated-condition",
        setp("RuleA", "Conditions", [{"Field": "path-pattern", "Values": ["/a"]}, {"Field": "path-pattern", "Values": ["/b"]}]),
        setp("RuleA", "Conditions", [{"Field": "path-pattern", "Values": ["/a", "/b"]}]),
        ("2 path-pattern conditions",),
        {},
    ),
    (
        "I2C4004",
        "forward-without-target",
        setp("Listener", "DefaultActions", [{"Type": "forward"}]),
        setp("Listener", "DefaultActions", [{"Type": "forward", "TargetGroupArn": {"Ref": "TG"}}]),
        ("Listener", "no target group"),
        {},
    ),
    (
        "I2C4005",
        "forward-weight",
        both(tg2, setp("RuleA", "Actions", FORWARD_TO("TG", "TG2", weights=[1000, 1]))),
        both(tg2, setp("RuleA", "Actions", FORWARD_TO("TG", "TG2", weights=[999, 0]))),
        ("weight 1000", "0-999"),
        {},
    ),
    ("I2C4006", "shadowed-rule", rule(2, ["/api/v1/*"]), rule(2, ["/web/*"]), ("RuleB", "priority 2", "RuleA", "priority 1", "never reached"), {}),
    (
        "I2C4006",
        "shadowed-rule-host",
        both(
            setp("RuleA", "Conditions", [{"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}]),
            rule(2, ["/x"], hosts=["WWW.example.com"]),
        ),
        both(
            setp("RuleA", "Conditions", [{"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}]), rule(2, ["/x"], hosts=["example.com"])
        ),
        ("host *.example.com",),
        {},
    ),
    ("I2C5001", "template-body-size", nothing, nothing, ("51,201 bytes", "S3"), {"template_text": text_of(51_201)}),
    ("I2C5002", "template-url-size", nothing, nothing, ("1,000,001 bytes",), {"template_text": text_of(1_000_001)}),
    ("I2C5003", "resources-per-stack", rule(2, ["/b/*"]), nothing, ("6 resources",), {"limits": limits(resources_per_stack=5)}),
    (
        "I2C5004",
        "outputs-per-stack",
        lambda t: t.update(Outputs={"A": {"Value": "a"}, "B": {"Value": "b"}}),
        lambda t: t.update(Outputs={"A": {"Value": "a"}}),
        ("2 outputs",),
        {"limits": limits(outputs_per_stack=1)},
    ),
    (
        "I2C5005",
        "parameters-per-stack",
        lambda t: t.update(Parameters={"A": {"Type": "String"}, "B": {"Type": "String"}}),
        lambda t: t.update(Parameters={"A": {"Type": "String"}}),
        ("2 parameters",),
        {"limits": limits(parameters_per_stack=1)},
    ),
    (
        "I2C6001",
        "tls-without-certificate",
        nothing,
        https_listener("a"),
        ("default/web", "www.example.com", "plain HTTP"),
        {"tls_hosts": {"default/web": ("www.example.com",)}},
    ),
    (
        "I2C6002",
        "http-without-redirect",
        setp("LB", "Scheme", "internet-facing"),
        both(
            setp("LB", "Scheme", "internet-facing"),
            delete("RuleA"),
            setp("Listener", "DefaultActions", [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]),
        ),
        ("internet-facing", "HTTP:80", "HTTPS"),
        {},
    ),
    (
        "I2C6003",
        "open-non-standard-port",
        both(
            setp("LB", "Scheme", "internet-facing"),
            setp("Listener", "Port", 8080),
            setp("SG", "SecurityGroupIngress", [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 9000, "CidrIp": "0.0.0.0/0"}]),
        ),
        both(
            setp("LB", "Scheme", "internet-facing"),
            setp("Listener", "Port", 8080),
            setp("SG", "SecurityGroupIngress", [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 9000, "CidrIp": "10.0.0.0/8"}]),
        ),
        ("port 8080", "0.0.0.0/0", "SG"),
        {},
    ),
]


def _apply(mut: Mut) -> dict:
    t = copy.deepcopy(BASE)
    mut(t)
    return t


def test_base_template_has_no_findings():
    assert run_checks(copy.deepcopy(BASE), stack="base") == []


def test_every_check_has_a_row():
    assert {row[0] for row in TABLE} == set(BY_ID)


@pytest.mark.parametrize("check_id, row, fail, ok, words, kwargs", TABLE, ids=[f"{r[0]}-{r[1]}" for r in TABLE])
def test_check_fails_and_passing_twin_passes(check_id, row, fail, ok, words, kwargs):
    failing = [f for f in run_checks(_apply(fail), stack="t", **kwargs) if f.rule_id == check_id]
    assert failing, f"{check_id} did not fire"
    message = failing[0].message
    for word in words:
        assert word in message, (word, message)
    assert all(f.severity is BY_ID[check_id].severity and f.stack == "t" and f.source == "ingress2cfn" for f in failing)
    ok_kwargs = dict(kwargs)
    if "template_text" in ok_kwargs:  # the twin is one byte smaller: exactly at the limit
        ok_kwargs["template_text"] = ok_kwargs["template_text"][1:]
    passing = [f.message for f in run_checks(_apply(ok), stack="t", **ok_kwargs) if f.rule_id == check_id]
    assert passing == []


def test_raised_quota_silences_the_finding():
    t = _apply(rule(2, ["/b/*"]))
    assert [f.rule_id for f in run_checks(t, stack="t", limits=limits(rules_per_alb=1))] == ["I2C1001"]
    assert run_checks(t, stack="t", limits=limits(rules_per_alb=2)) == []


def test_findings_are_sorted_errors_first_then_id():
    t = _apply(both(rule(1, ["/api/v1/*"]), setp("TG", "Matcher", "HttpCode", "abc"), setp("LB", "Scheme", "internet-facing")))
    ids = [(f.severity, f.rule_id) for f in run_checks(t, stack="t")]
    assert ids == sorted(ids, key=lambda x: (-x[0].rank, x[1]))
    assert [i for _, i in ids] == ["I2C2001", "I2C3003", "I2C6002"]  # same priority: not shadowed, duplicate


def test_finding_points_at_the_property():
    (f,) = run_checks(_apply(setp("TG", "Matcher", "HttpCode", "abc")), stack="t")
    assert (f.logical_id, f.property_path) == ("TG", ("Properties", "Matcher", "HttpCode"))
    (f,) = run_checks(copy.deepcopy(BASE), stack="t", limits=limits(resources_per_stack=4))
    assert (f.logical_id, f.property_path) == (None, ("Resources",))


def test_template_size_without_text_measures_compact_json():
    t = _apply(setp("LB", "Name", "my-alb"))
    t["Description"] = "x" * 60_000
    (f,) = run_checks(t, stack="t")
    assert f.rule_id == "I2C5001" and "as compact JSON" in f.message


def test_nlb_and_its_target_groups_are_left_alone():
    """A network load balancer in the same template (frontend NLB): TCP listener and alb-type target group are fine."""
    t = _apply(
        both(
            add("Nlb", LB, {"Type": "network", "Scheme": "internet-facing", "Subnets": ["subnet-0123456789abcdef0"]}),
            add(
                "NlbTg",
                TG,
                {
                    "TargetType": "alb",
                    "Protocol": "TCP",
                    "Port": 80,
                    "VpcId": VPC,
                    "HealthCheckTimeoutSeconds": 30,
                    "HealthCheckIntervalSeconds": 10,
                    "Targets": [{"Id": {"Ref": "LB"}, "Port": 80}],
                },
            ),
            add(
                "NlbListener",
                LISTENER,
                {
                    "LoadBalancerArn": {"Ref": "Nlb"},
                    "Port": 8443,
                    "Protocol": "TCP",
                    "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "NlbTg"}}],
                },
            ),
        )
    )
    assert run_checks(t, stack="t") == []


def test_every_check_id_and_cfn_lint_id():
    for c in CHECKS:
        assert c.id.startswith("I2C") and len(c.id) == 7 and c.id[4] == "0"
        assert c.cfn_lint_id == {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I"}[c.severity] + "9" + c.id[3] + c.id[5:]
        assert c.title and c.description and c.name
