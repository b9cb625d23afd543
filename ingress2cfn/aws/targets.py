"""ELBv2 target calls for sync: describe_target_health, register/deregister in batches of at most
200 targets, the target group ARN behind a name, the VPC's CIDRs. Throttling is retried by
botocore's own retry modes (AwsClients: `standard` by default, `adaptive` on request): both retry
the throttling error codes with exponential backoff and full jitter, so no backoff is added here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling

MAX_TARGETS_PER_CALL = 200  # ELBv2 register/deregister_targets


def target_group_arn(clients: AwsClients, name: str) -> str:
    """The ARN of the target group called `name` (the bindings' targetGroupName)."""
    response = calling(f"finding target group {name} (elbv2 describe-target-groups)", lambda: clients.client("elbv2").describe_target_groups(Names=[name]))
    return str(response["TargetGroups"][0]["TargetGroupArn"])


def target_health(clients: AwsClients, arn: str) -> list[dict[str, Any]]:
    """[{"Id", "Port", "AvailabilityZone"?, "State"}] of every target the group holds."""
    response = calling(f"reading targets of {arn} (elbv2 describe-target-health)", lambda: clients.client("elbv2").describe_target_health(TargetGroupArn=arn))
    out = []
    for entry in response.get("TargetHealthDescriptions", []):
        target = dict(entry.get("Target", {}))
        target["State"] = entry.get("TargetHealth", {}).get("State", "unavailable")
        out.append(target)
    return out


def _chunks(targets: Sequence[dict[str, Any]]) -> list[Sequence[dict[str, Any]]]:
    return [targets[i : i + MAX_TARGETS_PER_CALL] for i in range(0, len(targets), MAX_TARGETS_PER_CALL)]


def register_targets(clients: AwsClients, arn: str, targets: Sequence[dict[str, Any]]) -> None:
    """[{"Id", "Port", "AvailabilityZone"?}], in calls of at most 200; stops at the first failure (AwsError)."""
    client = clients.client("elbv2")
    for chunk in _chunks(targets):

        def call(chunk: Sequence[dict[str, Any]] = chunk) -> Any:
            return client.register_targets(TargetGroupArn=arn, Targets=list(chunk))

        calling(f"registering {len(chunk)} targets into {arn} (elbv2 register-targets)", call)


def deregister_targets(clients: AwsClients, arn: str, targets: Sequence[dict[str, Any]]) -> None:
    client = clients.client("elbv2")
    for chunk in _chunks(targets):

        def call(chunk: Sequence[dict[str, Any]] = chunk) -> Any:
            return client.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": t["Id"], "Port": t["Port"]} for t in chunk])

        calling(f"deregistering {len(chunk)} targets from {arn} (elbv2 deregister-targets)", call)


def vpc_cidrs(clients: AwsClients, vpc_id: str) -> list[str]:
    """Every IPv4 and IPv6 CIDR associated with the VPC (an IP outside them is registered with AZ `all`)."""
    response = calling(f"reading VPC {vpc_id} (ec2 describe-vpcs)", lambda: clients.client("ec2").describe_vpcs(VpcIds=[vpc_id]))
    cidrs: list[str] = []
    for vpc in response.get("Vpcs", []):
        cidrs += [a["CidrBlock"] for a in vpc.get("CidrBlockAssociationSet", []) if a.get("CidrBlockState", {}).get("State", "associated") == "associated"]
        cidrs += [a["Ipv6CidrBlock"] for a in vpc.get("Ipv6CidrBlockAssociationSet", []) if "Ipv6CidrBlock" in a]
        if not cidrs and vpc.get("CidrBlock"):
            cidrs.append(vpc["CidrBlock"])
    return sorted(set(cidrs))
