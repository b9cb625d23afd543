"""`ingress2cfn status` on states the moto server never reaches (components-checked.md §8 7d/7f):
a stack in ROLLBACK_COMPLETE with CREATE_FAILED resource events, and targets that are unhealthy,
initial or draining. These answers come from botocore's Stubber on the real clients of AwsClients;
the CLI runs unchanged with those clients swapped in."""

from __future__ import annotations

import datetime
import json

import jsonschema
import pytest
import yaml
from botocore.stub import ANY, Stubber

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.status.collect import collect
from ingress2cfn.status.json_report import schema

STACK = "i2c-my-cluster-shop-web-0a1b2c3d"
STACK_ID = f"arn:aws:cloudformation:us-east-1:123456789012:stack/{STACK}/1e2d3c4b-0000-1111-2222-333344445555"
LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-shop-web-1234567890/50dc6c495c0c9188"
TG_WEB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-shop-web-aaaaaaaaaa/73e2d6bc24d8a067"
TG_API = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-shop-api-bbbbbbbbbb/83e2d6bc24d8a067"
TG_SPARE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-shop-spare-cccccccccc/93e2d6bc24d8a067"
T0 = datetime.datetime(2026, 11, 30, 6, 0, tzinfo=datetime.UTC)

TEMPLATE = {
    "Metadata": {"ingress2cfn": {"cluster": "my-cluster", "group": "shop/web", "stackName": STACK, "members": ["shop/web", "shop/api"]}},
    "Resources": {
        "LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
        "TargetGroupWeb": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Metadata": {"ingress2cfn": {"service": "shop/web:http"}}},
        "TargetGroupApi": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Metadata": {"ingress2cfn": {"service": "shop/api:8080"}}},
        "TargetGroupSpare": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Metadata": {"ingress2cfn": {"service": "shop/spare:80"}}},
    },
}


def ev(seconds: int, logical: str, rtype: str, status: str, reason: str | None = None) -> dict:
    out = {
        "StackId": STACK_ID,
        "EventId": f"{logical}-{seconds}",
        "StackName": STACK,
        "LogicalResourceId": logical,
        "ResourceType": rtype,
        "Timestamp": T0 + datetime.timedelta(seconds=seconds),
        "ResourceStatus": status,
    }
    if reason:
        out["ResourceStatusReason"] = reason
    return out


LB_T = "AWS::ElasticLoadBalancingV2::LoadBalancer"
TG_T = "AWS::ElasticLoadBalancingV2::TargetGroup"
SG_T = "AWS::EC2::SecurityGroup"
STACK_T = "AWS::CloudFormation::Stack"
LB_REASON = (
    'Resource handler returned message: "A load balancer cannot be attached to multiple subnets in the same Availability Zone '
    '(Service: ElasticLoadBalancingV2, Status Code: 400)" (HandlerErrorCode: InvalidRequest)'
)
ROLLBACK_EVENTS = [  # newest first, as describe_stack_events answers
    ev(9, STACK, STACK_T, "ROLLBACK_COMPLETE"),
    ev(8, "ManagedSecurityGroup", SG_T, "DELETE_COMPLETE"),
    ev(7, "TargetGroupWeb", TG_T, "DELETE_COMPLETE"),
    ev(6, "LoadBalancer", LB_T, "DELETE_COMPLETE"),
    ev(5, STACK, STACK_T, "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [TargetGroupWeb, LoadBalancer]. Rollback requested by user."),
    ev(4, "TargetGroupWeb", TG_T, "CREATE_FAILED", "Resource creation cancelled"),
    ev(3, "LoadBalancer", LB_T, "CREATE_FAILED", LB_REASON),
    ev(2, "LoadBalancer", LB_T, "CREATE_IN_PROGRESS"),
    ev(1, "ManagedSecurityGroup", SG_T, "CREATE_COMPLETE"),
    ev(0, STACK, STACK_T, "CREATE_IN_PROGRESS", "User Initiated"),
]


def stack(status: str) -> dict:
    return {"Stacks": [{"StackName": STACK, "StackId": STACK_ID, "StackStatus": status, "CreationTime": T0}]}


def resource(logical: str, rtype: str, physical: str | None, status: str = "CREATE_COMPLETE") -> dict:
    out = {"StackName": STACK, "StackId": STACK_ID, "LogicalResourceId": logical, "ResourceType": rtype, "Timestamp": T0, "ResourceStatus": status}
    if physical:
        out["PhysicalResourceId"] = physical
    return out


def target_group(arn: str, name: str, serving: bool = True) -> dict:
    return {
        "TargetGroupArn": arn,
        "TargetGroupName": name,
        "Protocol": "HTTP",
        "Port": 80,
        "TargetType": "ip",
        "LoadBalancerArns": [LB_ARN] if serving else [],
    }


def health(ip: str, state: str, reason: str | None = None, description: str | None = None) -> dict:
    th: dict = {"State": state}
    if reason:
        th["Reason"] = reason
    if description:
        th["Description"] = description
    return {"Target": {"Id": ip, "Port": 8080}, "HealthCheckPort": "8080", "TargetHealth": th}


@pytest.fixture
def stubbed(monkeypatch):
    """AwsClients whose CloudFormation and ELBv2 clients answer from Stubbers; the CLI gets them too."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    clients = AwsClients(region="us-east-1")
    cfn, elbv2 = Stubber(clients.client("cloudformation")), Stubber(clients.client("elbv2"))
    monkeypatch.setattr("ingress2cfn.cli.status.aws_clients", lambda inputs: clients)
    with cfn, elbv2:
        yield clients, cfn, elbv2
        cfn.assert_no_pending_responses()
        elbv2.assert_no_pending_responses()


def stub_stack(cfn: Stubber, status: str, events: list[dict], resources: list[dict]) -> None:
    cfn.add_response("describe_stacks", stack(status), {"StackName": STACK})
    cfn.add_response("describe_stack_events", {"StackEvents": events}, {"StackName": STACK})
    cfn.add_response("describe_stack_resources", {"StackResources": resources}, {"StackName": STACK})
    cfn.add_response("get_template", {"TemplateBody": yaml.safe_dump(TEMPLATE)}, {"StackName": STACK})


def stub_rolled_back(cfn: Stubber) -> None:
    deleted = [resource("LoadBalancer", LB_T, LB_ARN, "DELETE_COMPLETE"), resource("TargetGroupWeb", TG_T, TG_WEB, "DELETE_COMPLETE")]
    stub_stack(cfn, "ROLLBACK_COMPLETE", ROLLBACK_EVENTS, deleted)


def test_rollback_complete_names_the_failing_resource(stubbed):
    clients, cfn, _ = stubbed
    stub_rolled_back(cfn)
    group = collect(clients, STACK)
    assert group.stack.status == "ROLLBACK_COMPLETE"
    assert group.stack.failure is not None
    assert (group.stack.failure.logical_id, group.stack.failure.reason) == ("LoadBalancer", LB_REASON)
    assert group.load_balancers == () and group.target_groups == ()  # deleted resources are not looked up


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_exits_non_zero_on_rollback_with_the_reason(stubbed, capsys, fmt):
    _, cfn, _ = stubbed
    stub_rolled_back(cfn)
    code = main(["status", "--stack", STACK, "--format", fmt])
    out = capsys.readouterr().out
    assert code == EXIT_INVALID
    expected = f"stack {STACK} is ROLLBACK_COMPLETE: LoadBalancer (AWS::ElasticLoadBalancingV2::LoadBalancer) CREATE_FAILED: {LB_REASON}"
    if fmt == "json":
        document = json.loads(out)
        jsonschema.Draft202012Validator(schema()).validate(document)
        assert document["ok"] is False and document["problems"] == [expected]
        assert document["stacks"][0]["failure"]["reason"] == LB_REASON
        assert document["stacks"][0]["lastEvent"]["status"] == "ROLLBACK_COMPLETE"
    else:
        assert expected in out
        assert "Resource creation cancelled" not in out.split("problem(s):")[1]


def stub_serving(cfn: Stubber, elbv2: Stubber, web: list[dict], api: list[dict]) -> None:
    resources = [
        resource("LoadBalancer", LB_T, LB_ARN),
        resource("TargetGroupWeb", TG_T, TG_WEB),
        resource("TargetGroupApi", TG_T, TG_API),
        resource("TargetGroupSpare", TG_T, TG_SPARE),
        resource("ManagedSecurityGroup", SG_T, "sg-0123456789abcdef0"),
    ]
    stub_stack(cfn, "UPDATE_COMPLETE", [ev(1, STACK, STACK_T, "UPDATE_COMPLETE"), ev(0, STACK, STACK_T, "UPDATE_IN_PROGRESS", "User Initiated")], resources)
    lb = {
        "LoadBalancerArn": LB_ARN,
        "DNSName": "k8s-shop-web-1234567890.us-east-1.elb.amazonaws.com",
        "LoadBalancerName": "k8s-shop-web-1234567890",
        "Scheme": "internal",
        "Type": "application",
        "State": {"Code": "active"},
    }
    elbv2.add_response("describe_load_balancers", {"LoadBalancers": [lb]}, {"LoadBalancerArns": [LB_ARN]})
    listeners = [{"ListenerArn": LB_ARN + "/l443", "Port": 443, "Protocol": "HTTPS"}, {"ListenerArn": LB_ARN + "/l80", "Port": 80, "Protocol": "HTTP"}]
    elbv2.add_response("describe_listeners", {"Listeners": listeners}, {"LoadBalancerArn": LB_ARN})
    groups = [
        target_group(TG_API, "k8s-shop-api-bbbbbbbbbb"),
        target_group(TG_SPARE, "k8s-shop-spare-cccccccccc", serving=False),
        target_group(TG_WEB, "k8s-shop-web-aaaaaaaaaa"),
    ]
    elbv2.add_response("describe_target_groups", {"TargetGroups": groups}, {"TargetGroupArns": ANY})
    elbv2.add_response("describe_target_health", {"TargetHealthDescriptions": api}, {"TargetGroupArn": TG_API})
    elbv2.add_response("describe_target_health", {"TargetHealthDescriptions": []}, {"TargetGroupArn": TG_SPARE})
    elbv2.add_response("describe_target_health", {"TargetHealthDescriptions": web}, {"TargetGroupArn": TG_WEB})


WEB_MIXED = [
    health("10.0.1.10", "healthy"),
    health("10.0.1.11", "healthy"),
    health("10.0.1.12", "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]"),
    health("10.0.1.13", "initial", "Elb.RegistrationInProgress", "Target registration is in progress"),
    health("10.0.1.14", "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"),
    health("10.0.1.15", "unhealthy.draining", "Target.Timeout", "Request timed out"),
]
API_DOWN = [
    health("10.0.2.20", "unhealthy", "Target.Timeout", "Request timed out"),
    health("10.0.2.21", "initial", "Elb.RegistrationInProgress", "Target registration is in progress"),
]


def test_counts_and_reasons_per_target_group(stubbed):
    clients, cfn, elbv2 = stubbed
    stub_serving(cfn, elbv2, WEB_MIXED, API_DOWN)
    group = collect(clients, STACK)
    by_name = {tg.logical_id: tg for tg in group.target_groups}
    web = by_name["TargetGroupWeb"]
    assert dict(web.counts) == {"healthy": 2, "unhealthy": 2, "initial": 1, "draining": 1, "unused": 0, "unavailable": 0}
    assert [(t.id, t.state, t.reason) for t in web.unhealthy] == [
        ("10.0.1.12", "unhealthy", "Target.ResponseCodeMismatch"),
        ("10.0.1.15", "unhealthy.draining", "Target.Timeout"),
    ]
    assert web.service == "shop/web:http"
    assert [(lst.protocol, lst.port) for lst in group.load_balancers[0].listeners] == [("HTTP", 80), ("HTTPS", 443)]
    assert group.members == ("shop/api", "shop/web")


def test_cli_fails_only_for_the_serving_group_without_a_healthy_target(stubbed, capsys):
    _, cfn, elbv2 = stubbed
    stub_serving(cfn, elbv2, WEB_MIXED, API_DOWN)
    code = main(["status", "--stack", STACK])
    out = capsys.readouterr().out
    assert code == EXIT_INVALID
    problems = out.split("problem(s):")[1]
    assert (
        "target group k8s-shop-api-bbbbbbbbbb (shop/api:8080) receives traffic but has no healthy target (1 unhealthy, 1 initial; unhealthy: Target.Timeout)"
        in problems
    )
    assert "k8s-shop-web" not in problems and "k8s-shop-spare" not in problems  # web has 2 healthy; spare has no listener
    assert "targets: 2 healthy, 2 unhealthy, 1 initial, 1 draining" in out
    assert "unhealthy 10.0.1.12:8080: Target.ResponseCodeMismatch: Health checks failed with these codes: [502]" in out
    assert "ALB k8s-shop-web-1234567890 (internal, active): k8s-shop-web-1234567890.us-east-1.elb.amazonaws.com" in out
    assert "listeners: HTTP:80, HTTPS:443" in out


def test_cli_json_counts_validate_and_pass_when_every_serving_group_has_a_healthy_target(stubbed, capsys):
    _, cfn, elbv2 = stubbed
    stub_serving(cfn, elbv2, WEB_MIXED, [health("10.0.2.20", "healthy"), *API_DOWN])
    code = main(["status", "--stack", STACK, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert code == EXIT_OK and document["ok"] is True and document["problems"] == []
    groups = {tg["logicalId"]: tg for tg in document["stacks"][0]["targetGroups"]}
    assert groups["TargetGroupApi"]["targets"]["healthy"] == 1 and groups["TargetGroupApi"]["targets"]["unhealthy"] == 1
    assert groups["TargetGroupSpare"]["serving"] is False
    assert groups["TargetGroupWeb"]["unhealthy"][0] == {
        "id": "10.0.1.12",
        "port": 8080,
        "state": "unhealthy",
        "reason": "Target.ResponseCodeMismatch",
        "description": "Health checks failed with these codes: [502]",
    }
