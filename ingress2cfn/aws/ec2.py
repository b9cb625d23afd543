"""EC2 reads: the VPC description (`--vpc aws`, `vpc export`) and the security groups the controller
made (adoption). Every list call goes through boto3's paginators."""

from __future__ import annotations

import json
from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling
from ingress2cfn.input.vpc import choose_vpc


def _all(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out


def canonical(value: Any) -> Any:
    """Keys sorted (by json.dumps later) and every list in one order, so the same VPC gives the same
    bytes whatever order EC2 answers in. Order carries no meaning anywhere in these describe outputs."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def _vpc_filter(vpc_id: str) -> list[dict[str, Any]]:
    return [{"Name": "vpc-id", "Values": [vpc_id]}]


def _find_vpc_id(ec2: Any, cluster: str | None) -> str:
    vpcs = _all(ec2, "describe_vpcs", "Vpcs")
    subnet_vpcs: set[str] = set()
    if cluster:
        tagged = _all(ec2, "describe_subnets", "Subnets", Filters=[{"Name": "tag-key", "Values": [f"kubernetes.io/cluster/{cluster}"]}])
        subnet_vpcs = {str(s["VpcId"]) for s in tagged if s.get("VpcId")}
    return choose_vpc(vpcs, cluster, subnet_vpcs)


def describe_vpc(clients: AwsClients, vpc_id: str | None, cluster: str | None) -> dict[str, list[dict[str, Any]]]:
    """`describe-vpcs` / `describe-subnets` / `describe-security-groups` of one VPC merged into one
    mapping (what `jq -s add` makes of the AWS CLI output), canonically ordered. Without vpc_id the
    VPC is chosen by `input.vpc.choose_vpc` (the cluster's tag, else the only VPC)."""
    ec2 = clients.client("ec2")

    def read() -> dict[str, list[dict[str, Any]]]:
        chosen = vpc_id or _find_vpc_id(ec2, cluster)
        return {
            "Vpcs": _all(ec2, "describe_vpcs", "Vpcs", VpcIds=[chosen]),
            "Subnets": _all(ec2, "describe_subnets", "Subnets", Filters=_vpc_filter(chosen)),
            "SecurityGroups": _all(ec2, "describe_security_groups", "SecurityGroups", Filters=_vpc_filter(chosen)),
        }

    what = f"reading VPC {vpc_id}" if vpc_id else "finding the cluster's VPC"
    return canonical(calling(f"{what} (ec2 describe-vpcs, describe-subnets, describe-security-groups)", read))


def security_groups_named(clients: AwsClients, names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """Security groups with one of `names` (GroupName), whoever made them: the caller judges the tags."""
    if not names:
        return []
    filters = [{"Name": "group-name", "Values": sorted(set(names))}]
    return _all(clients.client("ec2"), "describe_security_groups", "SecurityGroups", Filters=filters)


def security_group_ingress_rules(clients: AwsClients, group_ids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """The ingress rules (describe-security-group-rules, IsEgress false) of these security groups."""
    if not group_ids:
        return []
    rules = _all(clients.client("ec2"), "describe_security_group_rules", "SecurityGroupRules", Filters=[{"Name": "group-id", "Values": sorted(set(group_ids))}])
    return [r for r in rules if not r.get("IsEgress")]
