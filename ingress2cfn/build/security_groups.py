"""Frontend (managed) and explicit security groups (§9.4); backend SG rules (§9.5)."""

from __future__ import annotations

from ingress2cfn.input.vpc import Vpc
from ingress2cfn.model.stack import SecurityGroupRule
from ingress2cfn.rules.annotations import is_go_cidr


def resolve_explicit(vpc: Vpc, names_or_ids: list[str]) -> tuple[str, ...]:
    by_id = {g.id for g in vpc.security_groups}
    out = []
    missing = []
    for item in names_or_ids:
        if item.startswith("sg-"):
            if item in by_id:
                out.append(item)
            else:
                missing.append(item)
            continue
        matches = sorted(g.id for g in vpc.security_groups if g.vpc_id == vpc.id and g.tags.get("Name") == item)
        if matches:
            out.extend(matches)
        else:
            missing.append(item)
    if missing:
        raise ValueError(f"couldn't find all security groups: {', '.join(missing)} not in the VPC description")
    return tuple(out)


def parse_cidrs(values: list[str]) -> tuple[list[str], list[str]]:
    """Split into IPv4 and IPv6 (by ':'), validating each; raises ValueError naming the bad one."""
    v4: list[str] = []
    v6: list[str] = []
    for value in values:
        if not is_go_cidr(value):
            raise ValueError(value)
        target = v6 if ":" in value else v4
        if value not in target:  # LBC keeps CIDRs in a set: a repeated CIDR is one SG rule
            target.append(value)
    return v4, v6


def ingress_rules(
    ports_cidrs: dict[int, tuple[list[str], list[str]]], dualstack: bool, prefix_lists: dict[int, tuple[str, ...]] | None = None
) -> tuple[SecurityGroupRule, ...]:
    """Per port, as LBC's buildManagedSecurityGroupIngressPermissions: v4 CIDRs, v6 CIDRs (dualstack
    only), then prefix lists."""
    rules: list[SecurityGroupRule] = []
    for port in sorted(ports_cidrs):
        v4, v6 = ports_cidrs[port]
        rules.extend(SecurityGroupRule(port, cidr_ipv4=c) for c in v4)
        if dualstack:
            rules.extend(SecurityGroupRule(port, cidr_ipv6=c) for c in v6)
        rules.extend(SecurityGroupRule(port, prefix_list_id=p) for p in (prefix_lists or {}).get(port, ()))
    return tuple(rules)
