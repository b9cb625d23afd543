"""Load balancer add-ons and settings (lbc-semantics §4.1, §4.9, §9.4-9.5): WAFv2 / WAF classic /
Shield Advanced associations, IPAM pool, minimum capacity, manage-backend-security-group-rules, and
the warnings for settings that an explicit `security-groups` makes moot.

Upstream: pkg/ingress/model_build_load_balancer_addons.go, model_build_ipam.go,
model_build_load_balancer_capacity_reservation.go, model_build_load_balancer.go
(buildLoadBalancerSecurityGroups), model_builder.go (buildManageSecurityGroupRulesFlag)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from msgspec.structs import replace

from ingress2cfn.build.common import conflict, exclusive, merged_map
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.model.settings import INTERNET_FACING
from ingress2cfn.model.stack import LoadBalancer, TargetGroup
from ingress2cfn.rules.annotations import GO_INT, PREFIX, Found, ValueType, in_int_range
from ingress2cfn.rules.groups import IngressGroup, Member

NONE = "none"  # the controller's sentinel: no web ACL association
CAPACITY_UNITS = "CapacityUnits"
_WAFV2_ARN = re.compile(r"arn:[^:]+:wafv2:[^:]*:[^:]*:(?P<scope>[^/]+)/webacl/[^/]+/[^/]+")


def _warn(found: Found, message: str) -> Diagnostic:
    return warning(found.loc, found.owner, message)


def _collect(members: Iterable[Member], key: str, message: str, skip_empty: bool) -> Found | None:
    """Exclusive string value; with skip_empty an empty value counts as not set (as upstream)."""
    chosen: Found | None = None
    for member in members:
        found = member.annotations.get(key)
        if found is None or (skip_empty and found.value == ""):
            continue
        if chosen is None:
            chosen = found
        elif found.value != chosen.value:
            raise conflict(message, chosen, found)
    return chosen


# ---------------------------------------------------------------- WAFv2, WAF classic, Shield (§4.9)


def wafv2_acl_arn(members: tuple[Member, ...], warnings: list[Diagnostic]) -> str | None:
    """wafv2-acl-name (non-empty) takes precedence over wafv2-acl-arn, as upstream. `none` and (for the
    ARN) an empty value mean no association."""
    name = _collect(members, "wafv2-acl-name", "conflicting WAFv2 WebACL names", skip_empty=True)
    if name is not None:
        for member in members:
            ignored = member.annotations.get("wafv2-acl-arn")
            if ignored is not None:
                warnings.append(
                    _warn(
                        ignored, f"annotation {PREFIX}wafv2-acl-arn is ignored: {PREFIX}wafv2-acl-name ({name.owner}) takes precedence, as with the controller"
                    )
                )
        if name.value == NONE:
            _none_warning(name, "WAFv2 web ACL association", warnings)
            return None
        raise InputError(
            f"couldn't find WAFv2 WebACL with name: {name.value}: resolving a web ACL name needs AWS (WAFv2 ListWebACLs), "
            f"and ingress2cfn works offline. Set {PREFIX}wafv2-acl-arn to the web ACL's ARN instead "
            "(arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)",
            name.loc,
            name.owner,
        )
    # upstream counts an empty ARN as a value (it disassociates), so "" and an ARN conflict
    arn = _collect(members, "wafv2-acl-arn", "conflicting WAFv2 WebACL ARNs", skip_empty=False)
    if arn is None:
        return None
    if arn.value in (NONE, ""):
        _none_warning(arn, "WAFv2 web ACL association", warnings)
        return None
    match = _WAFV2_ARN.fullmatch(arn.value)
    if match is None:
        raise InputError(
            f"not a WAFv2 web ACL ARN: {arn.value!r} (want arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>, or {NONE}; "
            f"a web ACL given by name goes in {PREFIX}wafv2-acl-name, and needs AWS to resolve)",
            arn.loc,
            arn.owner,
        )
    if match.group("scope") != "regional":
        raise InputError(
            f"only a regional WAFv2 web ACL can be associated with an ALB: {arn.value!r} has scope {match.group('scope')!r} (CloudFront web ACLs are global)",
            arn.loc,
            arn.owner,
        )
    return arn.value


def waf_regional_acl_id(members: tuple[Member, ...], warnings: list[Diagnostic]) -> str | None:
    """waf-acl-id, else its deprecated alias web-acl-id (read only when waf-acl-id is absent); empty
    values are not set; `none` means no association."""
    chosen: Found | None = None
    for member in members:
        found = member.annotations.get("waf-acl-id")
        if found is None:
            found = member.annotations.get("web-acl-id")
        if found is None or found.value == "":
            continue
        if chosen is None:
            chosen = found
        elif found.value != chosen.value:
            raise conflict("conflicting WAFClassic WebACL IDs", chosen, found)
    if chosen is None:
        return None
    if chosen.value == NONE:
        _none_warning(chosen, "WAF classic web ACL association", warnings)
        return None
    warnings.append(
        _warn(
            chosen, f"AWS WAF Classic is being retired (cfn-lint W3696: the service is sunsetting): migrate the web ACL to WAFv2 and use {PREFIX}wafv2-acl-arn"
        )
    )
    return chosen.value


def shield_protection(members: tuple[Member, ...], warnings: list[Diagnostic]) -> bool:
    found = exclusive(members, "shield-advanced-protection", "conflicting enable shield advanced protection")
    if found is None:
        return False
    if not found.value:
        warnings.append(
            _warn(
                found,
                f"{PREFIX}shield-advanced-protection: {found.raw!r} only means this stack makes no "
                "Shield Advanced protection; a protection created outside the stack (for example by the "
                "controller) is not removed",
            )
        )
    return bool(found.value)


def _none_warning(found: Found, what: str, warnings: list[Diagnostic]) -> None:
    key = found.loc.path[-1] if found.loc.path else "annotation"
    warnings.append(
        _warn(found, f"{key}: {found.raw!r} only means this stack makes no {what}; one made outside the stack (for example by the controller) is not removed")
    )


# ---------------------------------------------------------------- IPAM, capacity (§4.1)


def ipv4_ipam_pool_id(members: tuple[Member, ...]) -> str | None:
    found = _collect(members, "ipam-ipv4-pool-id", "conflicting ipv4 ipam pools", skip_empty=True)
    return found.value if found else None


def minimum_capacity_units(members: tuple[Member, ...]) -> int | None:
    """Key-wise merge (conflict first, as upstream), then: the only key is CapacityUnits, an int32."""
    found_maps = [f for m in members if (f := m.annotations.get("minimum-load-balancer-capacity")) is not None]
    merged = merged_map(found_maps, lambda k, a, b: f"conflicting capacity reservation {k}")
    units = None
    for key in sorted(merged):
        writer = next(f for f in found_maps if key in f.value)
        value = merged[key]
        if key != CAPACITY_UNITS:
            raise InputError(f"invalid key to set the capacity: {key}, Expected key: {CAPACITY_UNITS}", writer.loc, writer.owner)
        if not GO_INT.fullmatch(value) or not in_int_range(int(value)):
            raise InputError(
                f'invalid value to set the capacity: {value}: strconv.ParseInt: parsing "{value}": '
                f"{'invalid syntax' if not GO_INT.fullmatch(value) else 'value out of range'} (want a whole number of capacity units)",
                writer.loc,
                writer.owner,
            )
        units = int(value)
    return units


# ---------------------------------------------------------------- security groups (§9.4, §9.5)


def _port_list(target_groups: tuple[TargetGroup, ...] | list[TargetGroup]) -> str:
    ranges: set[tuple[int, int]] = set()
    for tg in target_groups:
        ranges.add(tg.node_port_rule)
        for extra in (tg.health_check_rule_port, getattr(tg, "target_control_port", None)):
            if extra is not None:
                ranges.add((extra, extra))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in sorted(ranges)) or "none yet"


def manage_backend_rules(group: IngressGroup, lb: LoadBalancer, target_groups, warnings: list[Diagnostic]) -> bool:
    """With `security-groups`: true → the backend SG joins the LB and the cluster stack opens the node
    ports; false / unset (the controller flag's default) → neither. Without `security-groups` the
    annotation is not even read upstream (the managed SG always comes with the backend SG)."""
    members = group.members
    key = "manage-backend-security-group-rules"
    if lb.managed_security_group is not None:
        for member in members:
            present = member.annotations.get_typed(key, ValueType.STRING)
            if present is not None:
                warnings.append(
                    _warn(
                        present,
                        f"annotation {PREFIX}{key} has no effect without {PREFIX}security-groups "
                        "(the managed security group always comes with the backend security group rules)",
                    )
                )
        return lb.uses_backend_security_group
    found = exclusive(members, key, "conflicting manage backend security group rules settings")
    if found is not None and found.value:
        return True
    sgs = exclusive(members, "security-groups", "conflicting securityGroups")
    if sgs is not None:
        warnings.append(
            _warn(
                sgs,
                f'with {PREFIX}security-groups and without {PREFIX}{key}: "true" neither the controller nor ingress2cfn opens the '
                f"worker nodes' (or pods') security groups to the load balancer: allow TCP {_port_list(target_groups)} from "
                f'{", ".join(lb.security_group_ids)} yourself, or set {PREFIX}{key}: "true" so the cluster stack does it',
            )
        )
    return False


def ignored_with_explicit_security_groups(group: IngressGroup, lb: LoadBalancer, warnings: list[Diagnostic]) -> None:
    if lb.managed_security_group is not None:
        return
    for member in group.members:
        for key in ("inbound-cidrs", "security-group-prefix-lists"):
            present = member.annotations.get_typed(key, ValueType.STRING)
            if present is not None:
                warnings.append(
                    _warn(
                        present,
                        f"annotation {PREFIX}{key} is ignored: with {PREFIX}security-groups the "
                        "controller manages no frontend security group (the listed groups are attached as they are)",
                    )
                )


def check_ip_address_type(group: IngressGroup, lb: LoadBalancer, warnings: list[Diagnostic]) -> None:
    """The controller has no rule here; AWS (and the CDK) accept dualstack-without-public-ipv4 only for
    internet-facing ALBs, so an internal one fails at CreateLoadBalancer time."""
    if lb.ip_address_type != "dualstack-without-public-ipv4" or lb.scheme == INTERNET_FACING:
        return
    found = exclusive(group.members, "ip-address-type", "conflicting IPAddressType")
    if found is not None:
        warnings.append(
            _warn(
                found,
                f"ip-address-type dualstack-without-public-ipv4 on an {lb.scheme} ALB: AWS accepts it only for "
                "internet-facing load balancers, so creating the ALB will fail (the controller does not check this either)",
            )
        )


# ---------------------------------------------------------------- entry point


def apply_addons(group: IngressGroup, lb: LoadBalancer, target_groups, warnings: list[Diagnostic]) -> LoadBalancer:
    """The LoadBalancer with its add-ons and extra settings filled in. Order as upstream: LB settings
    (capacity, IPAM), then WAFv2, WAF classic, Shield."""
    members = group.members
    capacity = minimum_capacity_units(members)
    ipam = ipv4_ipam_pool_id(members)
    uses_backend = manage_backend_rules(group, lb, target_groups, warnings)
    ignored_with_explicit_security_groups(group, lb, warnings)
    check_ip_address_type(group, lb, warnings)
    return replace(
        lb,
        uses_backend_security_group=uses_backend,
        minimum_capacity_units=capacity,
        ipv4_ipam_pool_id=ipam,
        wafv2_acl_arn=wafv2_acl_arn(members, warnings),
        waf_regional_acl_id=waf_regional_acl_id(members, warnings),
        shield_protection=shield_protection(members, warnings),
    )
