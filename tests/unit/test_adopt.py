"""deploy.adopt without AWS: identifiers from cfn-lint's schemas, reference walking, importing into an
existing stack, DependsOn, and order independence."""

from __future__ import annotations

import random

import pytest

from ingress2cfn.deploy.adopt import Outcome, import_plan, lookup_for, primary_identifier, references
from ingress2cfn.model.lbc_resources import LISTENER, LISTENER_RULE, LOAD_BALANCER, SECURITY_GROUP, TARGET_GROUP, FoundResources, LbcResource

CLUSTER = "c1"
GROUP = "shop/web"


def tags(resource: str) -> list[dict]:
    return [
        {"Key": "elbv2.k8s.aws/cluster", "Value": CLUSTER},
        {"Key": "ingress.k8s.aws/resource", "Value": resource},
        {"Key": "ingress.k8s.aws/stack", "Value": GROUP},
    ]


def template() -> dict:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Metadata": {"ingress2cfn": {"cluster": CLUSTER, "group": GROUP, "stackName": "i2c-c1-shop-web"}},
        "Parameters": {"BackendSecurityGroupId": {"Type": "String"}},
        "Resources": {
            "Sg": {"Type": SECURITY_GROUP, "Properties": {"GroupName": "k8s-shop-web-sg", "GroupDescription": "d", "Tags": tags("ManagedLBSecurityGroup")}},
            "Lb": {
                "Type": LOAD_BALANCER,
                "Properties": {"Name": "k8s-shop-web-lb", "SecurityGroups": [{"Ref": "Sg"}, {"Ref": "BackendSecurityGroupId"}], "Tags": tags("LoadBalancer")},
            },
            "Tg": {"Type": TARGET_GROUP, "Properties": {"Name": "k8s-shop-web-tg", "Port": 80, "Tags": tags("shop/web-web:80")}},
            "L80": {"Type": LISTENER, "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 80, "Tags": tags("80")}},
            "R1": {
                "Type": LISTENER_RULE,
                "DependsOn": ["Tg", "Lb"],
                "Properties": {"ListenerArn": {"Ref": "L80"}, "Priority": 1, "Actions": [{"TargetGroupArn": {"Ref": "Tg"}}], "Tags": tags("80:1")},
            },
        },
        "Outputs": {"Dns": {"Value": {"Fn::GetAtt": ["Lb", "DNSName"]}}},
    }


def tagged(resource: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((t["Key"], t["Value"]) for t in tags(resource)))


LB_ARN = "arn:lb/app/k8s-shop-web-lb/1"
L_ARN = "arn:listener/app/k8s-shop-web-lb/1/2"
FOUND = (
    LbcResource(SECURITY_GROUP, "sg-1", "k8s-shop-web-sg", tagged("ManagedLBSecurityGroup")),
    LbcResource(LOAD_BALANCER, LB_ARN, "k8s-shop-web-lb", tagged("LoadBalancer")),
    LbcResource(TARGET_GROUP, "arn:tg/k8s-shop-web-tg/3", "k8s-shop-web-tg", tagged("shop/web-web:80"), settings=(("Port", "80"),)),
    LbcResource(LISTENER, L_ARN, None, tagged("80"), LB_ARN, port=80),
    LbcResource(LISTENER, "arn:listener/other/9", None, (), "arn:lb/other", port=80),
    LbcResource(LISTENER_RULE, "arn:rule/1/2/4", None, (), L_ARN, priority=1),  # an older controller did not tag rules
)


@pytest.mark.parametrize(
    "type_, keys",
    [
        (LOAD_BALANCER, ("LoadBalancerArn",)),
        (LISTENER, ("ListenerArn",)),
        (LISTENER_RULE, ("RuleArn",)),
        (TARGET_GROUP, ("TargetGroupArn",)),
        (SECURITY_GROUP, ("Id",)),
        ("AWS::ElasticLoadBalancingV2::ListenerCertificate", None),  # no handlers: not importable
        ("AWS::Nope::Nothing", None),
    ],
)
def test_import_identifiers_come_from_the_resource_schemas(type_, keys):
    assert primary_identifier(type_) == keys


def test_references_cover_ref_getatt_and_sub():
    node = {
        "A": {"Ref": "Lb"},
        "B": {"Fn::GetAtt": ["Tg", "Arn"]},
        "C": {"Fn::GetAtt": "Sg.GroupId"},
        "D": {"Fn::Sub": "${L80.Arn}/${AWS::Region}/${!Literal}"},
        "E": {"Fn::Sub": ["${X}", {"X": {"Ref": "R1"}}]},
    }
    assert set(references(node)) == {"Lb", "Tg", "Sg", "L80", "R1"}


def test_lookup_names_come_from_the_template():
    lookup = lookup_for(template())
    assert (lookup.cluster, lookup.load_balancers, lookup.target_groups, lookup.security_groups) == (
        CLUSTER,
        ("k8s-shop-web-lb",),
        ("k8s-shop-web-tg",),
        ("k8s-shop-web-sg",),
    )


def test_new_stack_imports_everything_found_with_policies_and_no_outputs():
    plan = import_plan(template(), FoundResources(FOUND))
    assert [(r["LogicalResourceId"], r["ResourceIdentifier"]) for r in plan.resources_to_import] == [
        ("L80", {"ListenerArn": L_ARN}),
        ("Lb", {"LoadBalancerArn": LB_ARN}),
        ("R1", {"RuleArn": "arn:rule/1/2/4"}),
        ("Sg", {"Id": "sg-1"}),
        ("Tg", {"TargetGroupArn": "arn:tg/k8s-shop-web-tg/3"}),
    ]
    assert "Outputs" not in plan.template and plan.template["Parameters"] == template()["Parameters"]
    assert all(b["DeletionPolicy"] == "Retain" and b["UpdateReplacePolicy"] == "Retain" for b in plan.template["Resources"].values())
    assert plan.template["Resources"]["R1"]["DependsOn"] == ["Tg", "Lb"]
    lines = plan.report_lines()
    assert len(lines) == 5 and all(line.strip().startswith("imported") for line in lines) and any(LB_ARN in line for line in lines)


def test_existing_stack_keeps_what_it_has_and_imports_the_rest():
    deployed = template()
    deployed["Resources"] = {"Sg": deployed["Resources"]["Sg"] | {"DeletionPolicy": "Delete"}}
    plan = import_plan(template(), FoundResources(FOUND), deployed=deployed)
    assert {r["LogicalResourceId"] for r in plan.resources_to_import} == {"Lb", "Tg", "L80", "R1"}
    assert plan.template["Resources"]["Sg"] == deployed["Resources"]["Sg"]  # untouched, not re-imported
    assert plan.template["Outputs"] == deployed["Outputs"]
    assert "Sg" not in {f.logical_id for f in plan.findings}


def test_dependson_on_what_is_not_imported_is_dropped_with_the_dependency_reported():
    found = FoundResources(tuple(r for r in FOUND if r.type != TARGET_GROUP))
    plan = import_plan(template(), found)
    outcome = {f.logical_id: f.outcome for f in plan.findings}
    assert outcome == {"L80": Outcome.IMPORTED, "Lb": Outcome.IMPORTED, "R1": Outcome.DEPENDENT, "Sg": Outcome.IMPORTED, "Tg": Outcome.MISSING}
    tpl = template()
    del tpl["Resources"]["R1"]["Properties"]["Actions"]  # now R1 only orders itself after Tg
    plan = import_plan(tpl, found)
    assert plan.template["Resources"]["R1"]["DependsOn"] == ["Lb"]


def test_a_listener_of_another_group_on_the_same_port_is_not_taken():
    found = FoundResources(tuple(r for r in FOUND if r.identifier != L_ARN))
    outcome = {f.logical_id: f.outcome for f in import_plan(template(), found).findings}
    assert outcome["L80"] is Outcome.MISSING and outcome["R1"] is Outcome.MISSING


def test_same_plan_whatever_order_aws_answers_in():
    first = import_plan(template(), FoundResources(FOUND))
    shuffled = list(FOUND)
    random.Random(7).shuffle(shuffled)
    second = import_plan(template(), FoundResources(tuple(shuffled)))
    assert first.template_body() == second.template_body()
    assert first.resources_to_import == second.resources_to_import and first.findings == second.findings
