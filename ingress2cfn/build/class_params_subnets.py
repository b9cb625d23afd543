"""Subnets from IngressClassParams `spec.subnets` (§9.2). Upstream: `buildLoadBalancerSubnetMappings`
(pkg/ingress/model_build_load_balancer.go) and `ResolveViaSelector` (pkg/networking/subnet_resolver.go):

* when any member's params set subnets, no member may use the `subnets` annotation
  (`conflicting subnet specifications: IngressClassParams versus annotation`, even for equal lists),
  and every member's selector must be equal (`conflicting IngressClassParams subnet specifications`);
* `ids` → looked up by ID and validated like explicit subnets (AZ exclusivity, locale, ≥2);
* `tags` → subnets of the cluster VPC carrying every key with one of its values (EC2 `tag:<key>`
  filters), then discovery's steps: cluster-tag filter, ≥8 free IPs (HEAD; v2.7 had no IP filter),
  IPv6 CIDR for dualstack, one subnet per AZ (current cluster's tag first, then smallest ID), locale
  and count checks. No role tags. Errors are not prefixed `couldn't auto-discover subnets`.
"""

from __future__ import annotations

from ingress2cfn.build.common import claim
from ingress2cfn.build.subnets import choose_per_az, resolve_explicit, validate_locales
from ingress2cfn.input.errors import ConflictError, InputError
from ingress2cfn.input.vpc import Subnet, Vpc
from ingress2cfn.rules.annotations import Found
from ingress2cfn.rules.class_params import SubnetSelector


def resolve_tags(vpc: Vpc, cluster: str, tags: tuple[tuple[str, tuple[str, ...]], ...], dualstack: bool) -> list[Subnet]:
    candidates = [s for s in vpc.subnets if s.vpc_id == vpc.id and all(key in s.tags and s.tags[key] in values for key, values in tags)]
    chosen, other_cluster, low_ips, no_v6 = choose_per_az(candidates, cluster, dualstack)
    if not chosen:
        extra = f", and {no_v6} don't have an associated IPv6 CIDR block, which is required for dualstack load balancers" if dualstack else ""
        wanted = "; ".join(f"{k} in [{', '.join(v)}]" for k, v in tags)
        raise ValueError(
            f"unable to resolve at least one subnet. Evaluated {len(candidates)} subnets: {other_cluster} are tagged for other clusters, "
            f"and {low_ips} have insufficient available IP addresses{extra} (subnets of {vpc.id} with tags {wanted})"
        )
    validate_locales(chosen)
    return chosen


def params_subnet_ids(members, vpc: Vpc, cluster: str, dualstack: bool) -> tuple[str, ...] | None:
    """The subnets chosen by IngressClassParams selectors, or None when no member's params set subnets."""
    selectors: list[Found] = []
    annotations: list[Found] = []
    for member in members:
        found = member.annotations.get("subnets")
        if found is None:
            continue
        (selectors if isinstance(found.value, SubnetSelector) else annotations).append(found)
    if not selectors:
        return None
    if annotations:
        a, b = selectors[0], annotations[0]
        raise ConflictError.between("conflicting subnet specifications: IngressClassParams versus annotation", claim(a, a.value.describe()), claim(b))
    chosen = selectors[0]
    for other in selectors[1:]:
        if other.value != chosen.value:
            raise ConflictError.between(
                "conflicting IngressClassParams subnet specifications", claim(chosen, chosen.value.describe()), claim(other, other.value.describe())
            )
    selector: SubnetSelector = chosen.value
    try:
        if selector.ids is not None:
            subnets = resolve_explicit(vpc, list(selector.ids), dualstack)
        else:
            subnets = resolve_tags(vpc, cluster, selector.tags or (), dualstack)
    except ValueError as exc:
        raise InputError(str(exc), chosen.loc, chosen.owner) from None
    return tuple(s.id for s in subnets)
