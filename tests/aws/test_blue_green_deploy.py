"""Issue 8 §1: a blue/green pair of Services (`frontend-blue`/`frontend-green`, the same first 8
letters, the same port and target port) behind one weighted Ingress renders two target groups with different names, and both
stacks deploy into the CloudFormation emulator (moto server) — before the fix both target groups
were named `k8s-shop-frontend-<same hash>` and CloudFormation failed with DuplicateTargetGroupName."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import yaml

from ingress2cfn.cli import EXIT_OK, main

REGION = "us-east-1"

MANIFESTS = """
apiVersion: v1
kind: Service
metadata: {namespace: shop, name: frontend-blue}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {namespace: shop, name: frontend-green}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  namespace: shop
  name: frontend
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/actions.blue-green: >
      {"type": "forward", "forwardConfig": {"targetGroups": [
        {"serviceName": "frontend-blue", "servicePort": "http", "weight": 80},
        {"serviceName": "frontend-green", "servicePort": "http", "weight": 20}]}}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: blue-green, port: {name: use-annotation}}}}
"""


def _vpc_description(ec2) -> dict:
    """A VPC made in the emulator, described as the AWS CLI would (the README's `jq -s add`)."""
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for cidr, az in (("10.0.0.0/20", "us-east-1a"), ("10.0.16.0/20", "us-east-1b")):
        subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        ec2.create_tags(Resources=[subnet], Tags=[{"Key": "kubernetes.io/role/elb", "Value": "1"}])
    nodes = ec2.create_security_group(GroupName="nodes", Description="nodes", VpcId=vpc_id)["GroupId"]
    ec2.create_tags(Resources=[nodes], Tags=[{"Key": "kubernetes.io/cluster/my-cluster", "Value": "owned"}])
    described: dict = {}
    described.update(ec2.describe_vpcs(VpcIds=[vpc_id]))
    described.update(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]))
    described.update(ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]))
    described.pop("ResponseMetadata", None)
    return described


def test_blue_green_target_groups_have_their_own_names_and_deploy(aws, tmp_path: Path):
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=aws)
    cfn = boto3.client("cloudformation", region_name=REGION, endpoint_url=aws)
    elbv2 = boto3.client("elbv2", region_name=REGION, endpoint_url=aws)
    (tmp_path / "vpc.json").write_text(json.dumps(_vpc_description(ec2), default=str))
    (tmp_path / "app.yaml").write_text(MANIFESTS)
    out = tmp_path / "out"
    code = main(["render", "-f", str(tmp_path / "app.yaml"), "--vpc", str(tmp_path / "vpc.json"), "--cluster", "my-cluster", "--out", str(out)])
    assert code == EXIT_OK

    group_file = next(p for p in out.glob("i2c-my-cluster-shop-frontend-*.yaml") if ".bindings." not in p.name)
    cluster_file = next(out.glob("i2c-my-cluster-cluster-*.yaml"))
    template = yaml.safe_load(group_file.read_text())
    names = sorted(r["Properties"]["Name"] for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert len(names) == 2 and names[0] != names[1]
    assert all(n.startswith("k8s-shop-frontend-") for n in names)  # the controller's prefix, the hash tells them apart

    cfn.create_stack(StackName=cluster_file.stem, TemplateBody=cluster_file.read_text())
    cfn.get_waiter("stack_create_complete").wait(StackName=cluster_file.stem)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=cluster_file.stem)["Stacks"][0]["Outputs"]}
    cfn.create_stack(
        StackName=group_file.stem,
        TemplateBody=group_file.read_text(),
        Parameters=[{"ParameterKey": "BackendSecurityGroupId", "ParameterValue": outputs["BackendSecurityGroupId"]}],
    )
    cfn.get_waiter("stack_create_complete").wait(StackName=group_file.stem)
    assert cfn.describe_stacks(StackName=group_file.stem)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    deployed = sorted(tg["TargetGroupName"] for tg in elbv2.describe_target_groups(Names=names)["TargetGroups"])
    assert deployed == names
