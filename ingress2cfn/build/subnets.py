"""Subnets (§9.1-9.3): discovery by role tags or the explicit `subnets` annotation."""

from __future__ import annotations

from collections import Counter

from ingress2cfn.input.vpc import Subnet, Vpc
from ingress2cfn.model.settings import INTERNAL, INTERNET_FACING

MIN_FREE_IPS = 8
ROLE_TAG = {INTERNET_FACING: "kubernetes.io/role/elb", INTERNAL: "kubernetes.io/role/internal-elb"}
CLUSTER_TAG_PREFIX = "kubernetes.io/cluster"


def _has_cluster_tag(subnet: Subnet, cluster: str) -> bool:
    return f"{CLUSTER_TAG_PREFIX}/{cluster}" in subnet.tags


def choose_per_az(candidates: list[Subnet], cluster: str, dualstack: bool) -> tuple[list[Subnet], int, int, int]:
    """§9.1 steps 2-4: drop other clusters' subnets, those with < 8 free addresses and (dualstack)
    those without IPv6; keep one per AZ (cluster-tagged first, then lowest id); sort by id.
    Returns (chosen, tagged for other clusters, too few addresses, no IPv6)."""
    other_cluster = low_ips = no_v6 = 0
    eligible: list[Subnet] = []
    for subnet in candidates:
        cluster_tags = [k for k in subnet.tags if k.startswith(CLUSTER_TAG_PREFIX)]
        if cluster_tags and not _has_cluster_tag(subnet, cluster):
            other_cluster += 1
        elif subnet.available_ips < MIN_FREE_IPS:
            low_ips += 1
        elif dualstack and not subnet.ipv6_cidrs:
            no_v6 += 1
        else:
            eligible.append(subnet)
    per_az: dict[str, Subnet] = {}
    for subnet in sorted(eligible, key=lambda s: (not _has_cluster_tag(s, cluster), s.id)):
        per_az.setdefault(subnet.availability_zone, subnet)
    return sorted(per_az.values(), key=lambda s: s.id), other_cluster, low_ips, no_v6


def validate_locales(chosen: list[Subnet], what: str = "", min_count: int = 2) -> None:
    # min_count: 2 for an ALB in regular zones; 1 for an NLB (LBC computeSubnetsMinimalCount)
    locales = sorted({s.locale for s in chosen})
    if len(locales) > 1:
        raise ValueError(f"{what}subnets in multiple locales: {', '.join(locales)}")
    if locales == ["availability-zone"] and len(chosen) < min_count:
        raise ValueError(
            f"{what}subnets count less than minimal required count: {len(chosen)} < 2 "
            f"(an ALB needs subnets in at least two Availability Zones; the only one found: {chosen[0].id} in {chosen[0].availability_zone})"
        )


def discover(vpc: Vpc, cluster: str, scheme: str, dualstack: bool, *, min_count: int = 2) -> list[Subnet]:
    role = ROLE_TAG[scheme]
    in_vpc = [s for s in vpc.subnets if s.vpc_id == vpc.id]
    candidates = [s for s in in_vpc if s.tags.get(role) in ("", "1")]
    prefix = "couldn't auto-discover subnets: "
    if not candidates:
        wrong = sorted(s.id for s in in_vpc if role in s.tags)
        verb = "carries" if len(wrong) == 1 else "carry"
        hint = f' ({", ".join(wrong)} {verb} it with another value; it must be "1" or empty)' if wrong else ""
        raise ValueError(
            f"{prefix}unable to resolve at least one subnet: no subnet of {vpc.id} is tagged {role}=1{hint}. "
            f"Tag the {'public' if scheme == INTERNET_FACING else 'private'} subnets, or list them in the "
            "alb.ingress.kubernetes.io/subnets annotation"
        )
    chosen, other_cluster, low_ips, no_v6 = choose_per_az(candidates, cluster, dualstack)
    if not chosen:
        extra = f", and {no_v6} have no IPv6 CIDR (needed for dualstack)" if dualstack else ""
        raise ValueError(
            f"{prefix}unable to resolve at least one subnet. Evaluated {len(candidates)} subnets: "
            f"{other_cluster} are tagged for other clusters, and {low_ips} have insufficient available IP addresses{extra}"
        )
    validate_locales(chosen, prefix, min_count)
    return chosen


def resolve_explicit(vpc: Vpc, names_or_ids: list[str], dualstack: bool, *, min_count: int = 2, keep_order: bool = False) -> list[Subnet]:
    """keep_order: the annotation's order (LBC ≥ v3.0), which pairs subnets with EIP allocations."""
    by_id = {s.id: s for s in vpc.subnets}
    by_name: dict[str, list[Subnet]] = {}
    for s in sorted(vpc.subnets, key=lambda s: s.id):
        if s.vpc_id == vpc.id and s.name:
            by_name.setdefault(s.name, []).append(s)
    used: Counter[str] = Counter()
    chosen: list[Subnet] = []
    for item in names_or_ids:
        if item.startswith("subnet-"):
            if item not in by_id:
                raise ValueError(f"couldn't find all subnets: subnet ID not found: {item} (not in the VPC description)")
            chosen.append(by_id[item])
        else:
            candidates = by_name.get(item, [])
            if used[item] >= len(candidates):
                raise ValueError(f"couldn't find all subnets: subnet with Name tag not found: {item} (in {vpc.id})")
            chosen.append(candidates[used[item]])
            used[item] += 1
    if not chosen:
        # LBC validateSpecifiedSubnets: an annotation that is present but empty is an explicit empty list
        raise ValueError("unable to resolve at least one subnet: the subnets annotation lists none (remove it to discover subnets by their role tags)")
    azs: dict[str, list[str]] = {}
    for s in chosen:
        azs.setdefault(s.availability_zone, []).append(s.id)
    for az, ids in sorted(azs.items()):
        if len(ids) > 1:
            raise ValueError(f"multiple subnets in same Availability Zone {az}: [{' '.join(ids)}]")
    if dualstack:
        for s in chosen:
            if not s.ipv6_cidrs:
                raise ValueError(f"subnet {s.id} has no IPv6 CIDR block, but the load balancer is dualstack")
    validate_locales(chosen, "", min_count)
    return chosen if keep_order else sorted(chosen, key=lambda s: s.id)


def subnets_for(vpc: Vpc, cluster: str, scheme: str, dualstack: bool, explicit: list[str] | None, where) -> tuple[str, ...]:
    """`where` builds the error for a failure: the annotation's location, or the group's."""
    try:
        if explicit is not None:
            chosen = resolve_explicit(vpc, explicit, dualstack)
        else:
            chosen = discover(vpc, cluster, scheme, dualstack)
    except ValueError as exc:
        raise where(str(exc)) from None
    return tuple(s.id for s in chosen)
