"""Bindings read from a deployed stack (moto CloudFormation): `ingress2cfn bindings --stack` and
`ingress2cfn sync --stack`."""

from __future__ import annotations

import json

import boto3
import yaml
from sync_kit import endpoint, endpoint_slice, registered, service

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.model.metadata import resource_metadata

STACK = "i2c-test-shop"


def deploy(vpc: str) -> str:
    meta = resource_metadata("shop/web", ["shop/web"], ingress="shop/web", service="shop/web:http", multiCluster=True)
    template = {
        "Resources": {
            "TargetGroupWeb": {
                "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
                "Metadata": meta,
                "Properties": {"Name": "k8s-shop-web-0123456789", "TargetType": "ip", "Port": 8080, "Protocol": "HTTP", "VpcId": vpc, "IpAddressType": "ipv4"},
            }
        }
    }
    cfn = boto3.client("cloudformation", region_name="us-east-1")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    cfn.get_waiter("stack_create_complete").wait(StackName=STACK)
    return cfn.describe_stack_resources(StackName=STACK)["StackResources"][0]["PhysicalResourceId"]


def test_bindings_command_prints_the_arn(aws, capsys):
    vpc = boto3.client("ec2", region_name="us-east-1").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    arn = deploy(vpc)
    assert main(["bindings", "--stack", STACK]) == EXIT_OK
    (doc,) = list(yaml.safe_load_all(capsys.readouterr().out))
    assert doc["kind"] == "TargetGroupBinding" and doc["metadata"] == {
        "name": "k8s-shop-web-0123456789",
        "namespace": "shop",
        "annotations": {"ingress2cfn/stack": STACK},
    }
    assert doc["spec"] == {
        "targetGroupARN": arn,
        "targetType": "ip",
        "serviceRef": {"name": "web", "port": "http"},
        "ipAddressType": "ipv4",
        "vpcID": vpc,
        "multiClusterTargetGroup": True,
    }  # no networking: the cluster stack owns the node SG rules


def test_sync_from_the_stack(aws, tmp_path):
    vpc = boto3.client("ec2", region_name="us-east-1").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    arn = deploy(vpc)
    (tmp_path / "c.yaml").write_text(yaml.safe_dump_all([service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("172.16.0.5", "b")])]))
    assert main(["sync", "--stack", STACK, "--endpoints", str(tmp_path / "c.yaml")]) == EXIT_OK
    assert registered(boto3.client("elbv2", region_name="us-east-1"), arn) == {("10.0.1.1", 8080), ("172.16.0.5", 8080)}


def test_unknown_stack_is_an_error_without_traceback(aws, capsys):
    assert main(["bindings", "--stack", "nope"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "reading the resources of stack nope" in err and "Traceback" not in err
