"""Adopting a controller-made ALB (`plan --import-existing`): LBC-shaped resources (its names and its
tracking tags, lbc-semantics.md §10) are made through moto's EC2 and ELBv2 APIs (the `aws` fixture),
found by ingress2cfn.aws.elbv2.find_lbc_resources and turned into an IMPORT change set by
ingress2cfn.deploy.adopt.import_plan.

moto cannot run an IMPORT change set: it treats ChangeSetType IMPORT as a CREATE and then fails with
DuplicateTargetGroupName (components-checked.md §8, 7c). So only the IMPORT create_change_set /
describe_change_set calls are answered by botocore's Stubber, in the tests that say so."""

from __future__ import annotations

import json

import pytest
from cfnlint.api import ManualArgs, lint
from ec2_kit import CLUSTER, make_cluster_vpc, spec

from ingress2cfn.aws.clients import AwsClients, AwsError
from ingress2cfn.aws.elbv2 import find_lbc_resources
from ingress2cfn.cli import EXIT_OK, main
from ingress2cfn.deploy.adopt import Outcome, import_plan, lookup_for
from tools.regenerate_templates import ROOT

REGION = "us-east-1"
MANIFEST = str(ROOT / "examples/2048/2048_full.yaml")
LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
TG = "AWS::ElasticLoadBalancingV2::TargetGroup"
SG = "AWS::EC2::SecurityGroup"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"


@pytest.fixture
def ec2(aws):
    import boto3

    return boto3.client("ec2", region_name=REGION, endpoint_url=aws)


@pytest.fixture
def elbv2(aws):
    import boto3

    return boto3.client("elbv2", region_name=REGION, endpoint_url=aws)


@pytest.fixture
def rendered(ec2, tmp_path, capsys):
    """The 2048 example rendered against the VPC in moto: (vpc ids, group template, cluster template)."""
    ids = make_cluster_vpc(ec2)
    out = tmp_path / "out"
    assert main(["render", "-f", MANIFEST, "--vpc", "aws", "--cluster", CLUSTER, "--format", "json", "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    templates = [json.loads(p.read_text()) for p in sorted(out.glob("*.json")) if not p.name.endswith(".bindings.json")]
    (group,) = [t for t in templates if t["Metadata"]["ingress2cfn"].get("group")]
    (cluster,) = [t for t in templates if not t["Metadata"]["ingress2cfn"].get("group")]
    return ids, group, cluster


def _one(template: dict, type_: str) -> tuple[str, dict]:
    (item,) = [(k, v) for k, v in template["Resources"].items() if v["Type"] == type_]
    return item


def _tags(body: dict, **override: str) -> list[dict]:
    tags = {t["Key"]: t["Value"] for t in body["Properties"]["Tags"]} | override
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def make_lbc_alb(
    ec2, elbv2, ids: dict, template: dict, *, lb_tags: dict | None = None, tg_name: str | None = None, tg_port: int | None = None
) -> dict[str, str]:
    """What the controller leaves in the account for the group: its managed SG, the ALB, the target
    group, the listener and the rule, with its names and tracking tags (taken from the rendered
    template, which follows LBC's naming: model.naming)."""
    _, sg_body = _one(template, SG)
    _, lb_body = _one(template, LB)
    _, tg_body = _one(template, TG)
    _, listener_body = _one(template, LISTENER)
    _, rule_body = _one(template, RULE)
    sg_tags = {t["Key"]: t["Value"] for t in _tags(sg_body)}
    sg = ec2.create_security_group(
        GroupName=sg_body["Properties"]["GroupName"],
        Description="[k8s] Managed SecurityGroup for LoadBalancer",
        VpcId=ids["vpc"],
        TagSpecifications=spec("security-group", sg_tags),
    )["GroupId"]
    lb = elbv2.create_load_balancer(
        Name=lb_body["Properties"]["Name"],
        Subnets=[ids["elb-us-east-1a"], ids["elb-us-east-1b"]],
        SecurityGroups=[sg],
        Scheme="internet-facing",
        Type="application",
        Tags=_tags(lb_body, **(lb_tags or {})),
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elbv2.create_target_group(
        Name=tg_name or tg_body["Properties"]["Name"],
        Protocol=tg_body["Properties"]["Protocol"],
        Port=tg_port or tg_body["Properties"]["Port"],
        VpcId=ids["vpc"],
        TargetType=tg_body["Properties"]["TargetType"],
        Tags=_tags(tg_body),
    )["TargetGroups"][0]["TargetGroupArn"]
    listener = elbv2.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
        Tags=_tags(listener_body),
    )["Listeners"][0]["ListenerArn"]
    rule = elbv2.create_rule(
        ListenerArn=listener,
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": tg}],
        Tags=_tags(rule_body),
    )["Rules"][0]["RuleArn"]
    return {SG: sg, LB: lb, TG: tg, LISTENER: listener, RULE: rule}


def _plan(template: dict):
    found = find_lbc_resources(AwsClients(), lookup_for(template))
    return found, import_plan(template, found)


def _outcomes(plan) -> dict[str, Outcome]:
    return {f.type: f.outcome for f in plan.findings}


def test_controller_made_alb_is_imported_whole(ec2, elbv2, rendered):
    ids, group, _ = rendered
    made = make_lbc_alb(ec2, elbv2, ids, group)
    # an unrelated ALB of the same account is not looked at
    elbv2.create_load_balancer(Name="someone-else", Subnets=[ids["elb-us-east-1a"], ids["elb-us-east-1b"]])
    found, plan = _plan(group)

    assert {r.identifier for r in found.resources} == set(made.values())
    identifiers = {r["ResourceType"]: r["ResourceIdentifier"] for r in plan.resources_to_import}
    assert identifiers == {
        SG: {"Id": made[SG]},
        LB: {"LoadBalancerArn": made[LB]},
        TG: {"TargetGroupArn": made[TG]},
        LISTENER: {"ListenerArn": made[LISTENER]},
        RULE: {"RuleArn": made[RULE]},
    }
    logical = {r["LogicalResourceId"] for r in plan.resources_to_import}
    assert logical == set(group["Resources"]) == set(plan.template["Resources"])
    assert {f.outcome for f in plan.findings} == {Outcome.IMPORTED} and not plan.blocked and not plan.warnings
    for lid, body in plan.template["Resources"].items():
        assert body["DeletionPolicy"] in ("Retain", "RetainExceptOnCreate", "Delete")
        assert body["Properties"] == group["Resources"][lid]["Properties"]  # nothing but the import changes
    assert "Outputs" not in plan.template and plan.template["Parameters"] == group["Parameters"]
    assert lint(plan.template_body(), config=ManualArgs(regions=[REGION])) == []


@pytest.mark.parametrize("node_rule", [True, False])
def test_cluster_stack_imports_the_backend_sg_and_the_node_rule(ec2, rendered, node_rule):
    ids, _, cluster = rendered
    backend_id, backend = _one(cluster, SG)
    rule_id, rule = _one(cluster, "AWS::EC2::SecurityGroupIngress")
    sg = ec2.create_security_group(
        GroupName=backend["Properties"]["GroupName"],
        Description="[k8s] Shared Backend SecurityGroup for LoadBalancer",
        VpcId=ids["vpc"],
        TagSpecifications=spec("security-group", {t["Key"]: t["Value"] for t in _tags(backend)}),
    )["GroupId"]
    assert rule["Properties"]["GroupId"] == ids["node-sg"]
    # the controller's rule for this port, and one for another port that the template does not have
    for port in (rule["Properties"]["FromPort"], 9999) if node_rule else (9999,):
        ec2.authorize_security_group_ingress(
            GroupId=ids["node-sg"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": [{"GroupId": sg}]}]
        )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [ids["node-sg"]]}])["SecurityGroupRules"]
    ours = [r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"] and r["FromPort"] == rule["Properties"]["FromPort"]]
    _, plan = _plan(cluster)
    outcomes = {f.logical_id: f.outcome for f in plan.findings}
    assert outcomes[backend_id] is Outcome.IMPORTED
    expected = [{"ResourceType": SG, "LogicalResourceId": backend_id, "ResourceIdentifier": {"Id": sg}}]
    if node_rule:
        expected.insert(0, {"ResourceType": "AWS::EC2::SecurityGroupIngress", "LogicalResourceId": rule_id, "ResourceIdentifier": {"Id": ours[0]}})
        assert outcomes[rule_id] is Outcome.IMPORTED
    else:
        assert outcomes[rule_id] is Outcome.MISSING and not ours
    assert list(plan.resources_to_import) == sorted(expected, key=lambda r: r["LogicalResourceId"])
    assert set(plan.template["Resources"]) == {r["LogicalResourceId"] for r in expected}
    assert lint(plan.template_body(), config=ManualArgs(regions=[REGION])) == []


def test_same_name_of_another_cluster_is_a_conflict_and_not_imported(ec2, elbv2, rendered):
    ids, group, _ = rendered
    made = make_lbc_alb(ec2, elbv2, ids, group, lb_tags={"elbv2.k8s.aws/cluster": "other-cluster"})
    _, plan = _plan(group)
    outcomes = _outcomes(plan)
    assert outcomes[LB] is Outcome.CONFLICT and outcomes[LISTENER] is Outcome.MISSING and outcomes[RULE] is Outcome.MISSING
    assert outcomes[TG] is Outcome.IMPORTED and outcomes[SG] is Outcome.IMPORTED
    (blocked,) = plan.blocked
    assert "other-cluster" in blocked.message and made[LB] in blocked.message
    assert {r["ResourceType"] for r in plan.resources_to_import} == {TG, SG}


def test_a_rule_whose_target_group_is_not_adopted_stays_out(ec2, elbv2, rendered):
    ids, group, _ = rendered
    make_lbc_alb(ec2, elbv2, ids, group, tg_name="k8s-game2048-service2-0000000000")  # an older name: not the rendered one
    _, plan = _plan(group)
    outcomes = _outcomes(plan)
    assert outcomes[TG] is Outcome.MISSING
    assert outcomes[RULE] is Outcome.DEPENDENT
    assert {r["ResourceType"] for r in plan.resources_to_import} == {SG, LB, LISTENER}
    assert lint(plan.template_body(), config=ManualArgs(regions=[REGION])) == []


def test_create_only_drift_is_warned(ec2, elbv2, rendered):
    ids, group, _ = rendered
    make_lbc_alb(ec2, elbv2, ids, group, tg_port=8080)
    _, plan = _plan(group)
    assert _outcomes(plan)[TG] is Outcome.IMPORTED
    (warning,) = plan.warnings
    assert "Port is 8080 in AWS, 80 in the template" in warning


def test_nothing_made_by_the_controller_gives_an_empty_plan(rendered):
    _, group, _ = rendered
    _, plan = _plan(group)
    assert plan.empty and set(_outcomes(plan).values()) == {Outcome.MISSING}


# ------------------------------------------------------------------ the IMPORT change set (Stubber)


def _stubbed_cloudformation():
    from botocore.stub import Stubber

    clients = AwsClients(region=REGION)
    cfn = clients.client("cloudformation")
    return clients, Stubber(cfn)


def _change_set(status: str, changes: list | None = None, reason: str | None = None) -> dict:
    body = {"ChangeSetId": "arn:cs/import-1", "StackId": "arn:stack/s/1", "Status": status, "ExecutionStatus": "AVAILABLE", "Changes": changes or []}
    if reason:
        body["StatusReason"] = reason
    return body


def test_import_change_set_is_created_with_resources_to_import(ec2, elbv2, rendered):
    """Stubber: moto runs ChangeSetType IMPORT as a CREATE (components-checked.md §8/7c), so the
    create_change_set / describe_change_set answers are stubbed; the request is the real one."""
    from ingress2cfn.aws.cfn_import import create_import_change_set

    ids, group, _ = rendered
    make_lbc_alb(ec2, elbv2, ids, group)
    _, plan = _plan(group)
    clients, stub = _stubbed_cloudformation()
    stack = group["Metadata"]["ingress2cfn"]["stackName"]
    params = [{"ParameterKey": "BackendSecurityGroupId", "ParameterValue": "sg-0123"}]
    stub.add_response(
        "create_change_set",
        {"Id": "arn:cs/import-1", "StackId": "arn:stack/s/1"},
        {
            "StackName": stack,
            "ChangeSetName": "adopt-1",
            "ChangeSetType": "IMPORT",
            "TemplateBody": plan.template_body(),
            "ResourcesToImport": list(plan.resources_to_import),
            "Parameters": params,
        },
    )
    changes = [{"Type": "Resource", "ResourceChange": {"Action": "Import", "LogicalResourceId": r["LogicalResourceId"]}} for r in plan.resources_to_import]
    stub.add_response("describe_change_set", _change_set("CREATE_COMPLETE", changes))  # the waiter
    stub.add_response("describe_change_set", _change_set("CREATE_COMPLETE", changes))  # the paginated read
    with stub:
        result = create_import_change_set(
            clients,
            stack_name=stack,
            change_set_name="adopt-1",
            template_body=plan.template_body(),
            resources_to_import=plan.resources_to_import,
            parameters=params,
        )
    stub.assert_no_pending_responses()
    assert [c["Action"] for c in result.changes] == ["Import"] * 5
    assert {c["LogicalResourceId"] for c in result.changes} == set(plan.template["Resources"])


def test_failed_import_change_set_reports_cloudformations_reason():
    """Stubber (as above): a FAILED IMPORT change set, which moto cannot produce."""
    from ingress2cfn.aws.cfn_import import create_import_change_set

    clients, stub = _stubbed_cloudformation()
    reason = "Resources [LoadBalancer] is already in a stack"
    stub.add_response("create_change_set", {"Id": "arn:cs/import-1", "StackId": "arn:stack/s/1"})
    stub.add_response("describe_change_set", _change_set("FAILED", reason=reason))
    stub.add_response("describe_change_set", _change_set("FAILED", reason=reason))
    with stub, pytest.raises(AwsError, match="FAILED: Resources \\[LoadBalancer\\] is already in a stack"):
        create_import_change_set(clients, stack_name="s", change_set_name="adopt-1", template_body="{}", resources_to_import=[])


def test_plan_import_existing_shows_the_import_and_leaves_nothing_behind(ec2, elbv2, rendered, capsys):
    """`plan --import-existing` end to end through the CLI. moto accepts the IMPORT change set as if it
    were a CREATE (the call sequence is what is exercised here: create, wait, describe, delete the
    change set and the REVIEW_IN_PROGRESS stack it leaves)."""
    import boto3

    ids, group, _ = rendered
    made = make_lbc_alb(ec2, elbv2, ids, group)
    code = main(["plan", "-f", MANIFEST, "--vpc", "aws", "--cluster", CLUSTER, "--import-existing"])
    out, err = capsys.readouterr()
    assert code == 2, err
    stack = group["Metadata"]["ingress2cfn"]["stackName"]
    assert f"{stack}: import 5 resource(s)" in out
    assert f"imports {made[LB]}" in out and f"imports {made[TG]}" in out
    cfn = boto3.client("cloudformation", region_name=REGION)
    live = [s["StackName"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"]
    assert live == []  # the change sets and the empty stacks they made are gone


def test_plan_import_existing_refuses_another_clusters_alb(ec2, elbv2, rendered, capsys):
    ids, group, _ = rendered
    make_lbc_alb(ec2, elbv2, ids, group, lb_tags={"elbv2.k8s.aws/cluster": "someone-else"})
    code = main(["plan", "-f", MANIFEST, "--vpc", "aws", "--cluster", CLUSTER, "--import-existing"])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "conflict" in out and "someone-else" in out
