"""EC2 writes for the local demo and the tests: make a VPC like a VPC description (the AWS CLI shape of
examples/2048/vpc.yaml) in the emulator, and read back the description of what it made."""

from __future__ import annotations

from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling


def _tags(resource_type: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in item.get("Tags") or []]
    return [{"ResourceType": resource_type, "Tags": tags}] if tags else []


def create_like(clients: AwsClients, description: dict[str, Any], vpc_id: str | None = None) -> dict[str, Any]:
    """Create the description's VPC (the first, or vpc_id), its subnets (CIDR, AZ, tags) and its
    tagged security groups; return the describe-vpcs/-subnets/-security-groups output of the result,
    with the ids the service chose."""
    ec2 = clients.client("ec2")
    vpcs = [v for v in description.get("Vpcs") or [] if vpc_id in (None, v.get("VpcId"))]
    source = vpcs[0]
    made = calling(
        "creating the demo VPC (ec2 create-vpc)",
        lambda: ec2.create_vpc(CidrBlock=source["CidrBlock"], TagSpecifications=_tags("vpc", source))["Vpc"],
    )
    new_id = made["VpcId"]
    for subnet in description.get("Subnets") or []:
        if subnet.get("VpcId") == source["VpcId"]:
            _create_subnet(ec2, new_id, subnet)
    for group in description.get("SecurityGroups") or []:
        if group.get("VpcId") == source["VpcId"] and group.get("Tags"):
            _create_group(ec2, new_id, group)
    return describe(clients, new_id)


def _create_subnet(ec2: Any, vpc_id: str, subnet: dict[str, Any]) -> None:
    def call() -> Any:
        return ec2.create_subnet(
            VpcId=vpc_id, CidrBlock=subnet["CidrBlock"], AvailabilityZone=subnet["AvailabilityZone"], TagSpecifications=_tags("subnet", subnet)
        )

    calling(f"creating the demo subnet {subnet['CidrBlock']} (ec2 create-subnet)", call)


def _create_group(ec2: Any, vpc_id: str, group: dict[str, Any]) -> None:
    def call() -> Any:
        description = group.get("Description") or group["GroupName"]
        return ec2.create_security_group(VpcId=vpc_id, GroupName=group["GroupName"], Description=description, TagSpecifications=_tags("security-group", group))

    calling(f"creating the demo security group {group['GroupName']} (ec2 create-security-group)", call)


def describe(clients: AwsClients, vpc_id: str) -> dict[str, Any]:
    """`{ describe-vpcs; describe-subnets; describe-security-groups } | jq -s add` for one VPC."""
    ec2 = clients.client("ec2")
    flt = [{"Name": "vpc-id", "Values": [vpc_id]}]

    def call() -> dict[str, Any]:
        subnets: list[dict[str, Any]] = []
        for page in ec2.get_paginator("describe_subnets").paginate(Filters=flt):
            subnets.extend(page["Subnets"])
        groups: list[dict[str, Any]] = []
        for page in ec2.get_paginator("describe_security_groups").paginate(Filters=flt):
            groups.extend(page["SecurityGroups"])
        return {"Vpcs": ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"], "Subnets": subnets, "SecurityGroups": groups}

    return calling(f"describing VPC {vpc_id}", call)
