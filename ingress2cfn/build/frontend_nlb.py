"""Frontend NLB (§4.6): `enable-frontend-nlb` puts a network load balancer in the group stack whose
TCP listeners forward to `alb`-type target groups, each registering the ALB at one of its listener
ports. Follows LBC `pkg/ingress/model_build_frontend_nlb.go`; where it deviates, the comment says why.

Read only when the group enables it, like LBC (which never parses the frontend-nlb-* keys otherwise).
"""

from __future__ import annotations

from typing import Any

import msgspec

from ingress2cfn.build import tags as tagging
from ingress2cfn.build.common import conflict, exclusive
from ingress2cfn.build.listeners import MemberPorts, MergedPort
from ingress2cfn.build.security_groups import resolve_explicit as resolve_security_groups
from ingress2cfn.build.subnets import ROLE_TAG, discover, resolve_explicit
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import Claim, ConflictError, InputError
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.input.vpc import Vpc
from ingress2cfn.model import naming
from ingress2cfn.model.settings import DEFAULT_SCHEME, INTERNET_FACING, SCHEMES, Settings
from ingress2cfn.model.stack import FrontendNlb, FrontendNlbListener, HealthCheck, LoadBalancer, Tag
from ingress2cfn.rules.annotations import GO_INT, PREFIX, Found, allowed_of, entry, within
from ingress2cfn.rules.groups import IngressGroup, Member

ROUTING_POLICY = "dns_record.client_routing_policy"
ROUTING_POLICIES = ("any_availability_zone", "partial_availability_zone_affinity", "availability_zone_affinity")
NLB_PREFIX = "frontend-nlb-"

# (LBC field name, annotation, default) in the order LBC merges them per NLB port
# (mergeFrontendNlbListenPortConfigs). The defaults are the registry rows' (the controller's code,
# model_builder.go: healthy/unhealthy 2, not its annotation docs' 3).
HEALTH_CHECK_FIELDS: tuple[tuple[str, str, Any], ...] = tuple(
    (field, key, entry(key).default)
    for field, key in (
        ("IntervalSeconds", "frontend-nlb-healthcheck-interval-seconds"),
        ("TimeoutSeconds", "frontend-nlb-healthcheck-timeout-seconds"),
        ("HealthyThresholdCount", "frontend-nlb-healthcheck-healthy-threshold-count"),
        ("UnhealthyThresholdCount", "frontend-nlb-healthcheck-unhealthy-threshold-count"),
        ("Protocol", "frontend-nlb-healthcheck-protocol"),
        ("Path", "frontend-nlb-healthcheck-path"),
        ("Matcher", "frontend-nlb-healthcheck-success-codes"),
        ("Port", "frontend-nlb-healthcheck-port"),
    )
)
# the order LBC reads (and so reports errors of) one Ingress's health-check annotations
READ_ORDER = ("Port", "Protocol", "Path", "Matcher", "IntervalSeconds", "TimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount")


class _MemberHealthCheck(msgspec.Struct, frozen=True):
    values: dict[str, Any]  # LBC field → value (defaults filled in)
    explicit: dict[str, Found]  # LBC field → the annotation that set it


class _PortConfig(msgspec.Struct, frozen=True):
    member: Member
    nlb_port: int
    alb_port: int
    health_check: _MemberHealthCheck
    mapping: Found | None  # the frontend-nlb-listener-port-mapping annotation, if any


def _enabled(group: IngressGroup) -> bool:
    found = exclusive(group.members, "enable-frontend-nlb", "conflicting enable frontend NLB values")
    return bool(found is not None and found.value)


def _warn_unused(group: IngressGroup, warnings: list[Diagnostic]) -> None:
    for member in group.members:
        keys = sorted(k for k in member.ingress.annotations if k.startswith(PREFIX + NLB_PREFIX))
        if keys:
            loc = member.annotations.loc(keys[0])
            warnings.append(
                warning(
                    loc,
                    member.ingress.describe,
                    f'{", ".join(keys)} {"has" if len(keys) == 1 else "have"} no effect: the group does not set {PREFIX}enable-frontend-nlb: "true"',
                )
            )


def _scheme(group: IngressGroup) -> str:
    found = exclusive(group.members, "frontend-nlb-scheme", "conflicting scheme")
    if found is None:
        return DEFAULT_SCHEME  # LBC: the controller's default scheme, not the ALB's
    if found.value not in SCHEMES:
        raise InputError(f"unknown scheme: {found.value!r} (want one of {', '.join(SCHEMES)})", found.loc, found.owner)
    return found.value


def _subnet_ids(group: IngressGroup, settings: Settings, vpc: Vpc, scheme: str, dualstack: bool) -> tuple[str, ...]:
    found = exclusive(group.members, "frontend-nlb-subnets", "conflicting subnets", normalise=lambda v: sorted(v))
    try:
        if found is not None:
            # annotation order (LBC ≥ v3): EIP allocations pair with subnets by position
            chosen = resolve_explicit(vpc, found.value, dualstack, min_count=1, keep_order=True)
        else:
            chosen = discover(vpc, settings.cluster, scheme, dualstack, min_count=1)
    except ValueError as exc:
        # the discovery hint names the ALB's annotation; the NLB has its own
        message = f"frontend NLB: {exc}".replace(f"{PREFIX}subnets annotation", f"{PREFIX}frontend-nlb-subnets annotation")
        if found is not None:
            raise InputError(message, found.loc, found.owner) from None
        first = group.members[0].ingress
        raise InputError(
            f"{message} (VPC description {vpc.source}, frontend NLB scheme {scheme}, role tag {ROLE_TAG[scheme]})",
            first.origin.loc,
            f"IngressGroup {group.id} ({first.describe})",
        ) from None
    return tuple(s.id for s in chosen)


def _subnet_mappings(group: IngressGroup, scheme: str, subnet_ids: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    found = exclusive(
        group.members, "frontend-nlb-eip-allocations", "all EIP allocations for the ingress group must be the same", normalise=lambda v: sorted(v)
    )
    if found is None:
        return tuple((s, None) for s in subnet_ids)
    if scheme != INTERNET_FACING:
        raise InputError(
            f"EIP allocations can only be set for internet facing load balancers (the frontend NLB is {scheme}; "
            f"set {PREFIX}frontend-nlb-scheme: internet-facing)",
            found.loc,
            found.owner,
        )
    eips = list(found.value)
    if not eips:
        return tuple((s, None) for s in subnet_ids)
    if len(eips) != len(subnet_ids):
        raise InputError(
            f"count of EIP allocations ({len(eips)}) and subnets ({len(subnet_ids)}) must match (the frontend NLB's subnets: {', '.join(subnet_ids)})",
            found.loc,
            found.owner,
        )
    return tuple(zip(subnet_ids, eips))


def _security_groups(group: IngressGroup, vpc: Vpc) -> tuple[str, ...] | None:
    found = exclusive(group.members, "frontend-nlb-security-groups", "conflicting securityGroups")
    if found is None or not found.value:
        return None  # LBC: the ALB's security groups
    try:
        return resolve_security_groups(vpc, found.value)
    except ValueError as exc:
        raise InputError(str(exc), found.loc, found.owner) from None


def _attributes(group: IngressGroup) -> tuple[tuple[str, str], ...]:
    # LBC compares every member's whole map with the first one it saw, so an Ingress *without* the
    # annotation after one with it is a conflict there; here members that do not set it are neutral,
    # like every other exclusive setting (§3.4).
    found = exclusive(group.members, "frontend-nlb-attributes", "conflicting frontend NLB attributes", normalise=lambda v: sorted(v.items()))
    if found is None:
        return ()
    policy = found.value.get(ROUTING_POLICY)
    if policy is not None and policy not in ROUTING_POLICIES:
        raise InputError(
            f"invalid {ROUTING_POLICY} set in annotation {PREFIX}frontend-nlb-attributes: got '{policy}' expected one of "
            f"[{', '.join(repr(p) for p in ROUTING_POLICIES)}]",
            found.loc,
            found.owner,
        )
    return tuple(sorted(found.value.items()))


def _user_tags(group: IngressGroup, lb: LoadBalancer) -> dict[str, str]:
    found = exclusive(group.members, "frontend-nlb-tags", "conflicting frontend NLB tags", normalise=lambda v: sorted(v.items()))
    if found is not None:
        return dict(found.value)
    # LBC: the ALB's tags (its resource tag is replaced by each NLB resource's own)
    return {t.key: t.value for t in lb.tags if t.key != tagging.RESOURCE_TAG}


def _port(raw: str, what: str, found: Found) -> int:
    # LBC strconv.ParseInt(raw, 10, 32); the 1..65535 range is ours (AWS would reject it at deploy time)
    if not GO_INT.fullmatch(raw):
        raise InputError(f"invalid {what} listener port: {raw} (in {found.raw!r}; want nlbPort=albPort,...)", found.loc, found.owner)
    port = int(raw)
    if not 1 <= port <= 65535:
        raise InputError(f"invalid {what} listener port: {raw} (must be within [1, 65535])", found.loc, found.owner)
    return port


def _port_mapping(member: Member) -> tuple[Found | None, dict[int, int]]:
    found = member.annotations.get("frontend-nlb-listener-port-mapping")
    if found is None:
        return None, {}
    mapping: dict[int, int] = {}
    for nlb_raw, alb_raw in found.value.items():
        mapping[_port(nlb_raw, "NLB", found)] = _port(alb_raw, "ALB", found)
    return found, mapping


def _member_health_check(member: Member) -> _MemberHealthCheck:
    defaults = {field: default for field, _, default in HEALTH_CHECK_FIELDS}
    keys = {field: key for field, key, _ in HEALTH_CHECK_FIELDS}
    values = dict(defaults)
    explicit: dict[str, Found] = {}
    for field in READ_ORDER:
        found = member.annotations.get(keys[field])
        if found is None:
            continue
        value = found.value
        if field == "Port" and value != "traffic-port":
            if not GO_INT.fullmatch(value):
                raise InputError(f"failed to resolve healthCheckPort: {value!r} (want traffic-port or a port number)", found.loc, found.owner)
            value = str(int(value))
            if not 1 <= int(value) <= 65535:
                raise InputError(f"failed to resolve healthCheckPort: {value} must be within [1, 65535]", found.loc, found.owner)
        if field == "Protocol" and value not in allowed_of(keys[field]):
            raise InputError(f"healthCheckProtocol must be within {within(allowed_of(keys[field]))}: {value!r}", found.loc, found.owner)
        values[field] = value
        explicit[field] = found
    return _MemberHealthCheck(values, explicit)


def _ports_source(cfg: _PortConfig) -> tuple[SourceLocation, str]:
    """Where one Ingress's NLB→ALB mapping for a port comes from, for conflict messages."""
    if cfg.mapping is not None:
        return cfg.mapping.loc, f"{cfg.mapping.raw!r}"
    key = PREFIX + "listen-ports"
    if key in cfg.member.ingress.annotations:
        return cfg.member.annotations.loc(key), f"its listen port {cfg.alb_port} (no port mapping)"
    return cfg.member.ingress.origin.loc, f"its default listen port {cfg.alb_port} (no port mapping)"


def _merge(port: int, cfgs: list[_PortConfig]) -> tuple[int, HealthCheck]:
    """LBC mergeFrontendNlbListenPortConfigs: a field set by one Ingress beats the default; two Ingresses
    setting it must agree; every Ingress must map the NLB port to the same ALB port."""
    prefix = f"failed to merge NLB listenPort config for port: {port}"
    final: dict[str, Any] = {}
    setter: dict[str, Found] = {}
    target = cfgs[0].alb_port
    for cfg in cfgs:
        for field, _, _ in HEALTH_CHECK_FIELDS:
            value = cfg.health_check.values[field]
            found = cfg.health_check.explicit.get(field)
            if found is not None:
                if field in setter:
                    # LBC compares the Matcher by pointer, so two equal success-codes conflict there; by value here
                    if final[field] != value:
                        raise conflict(f"{prefix}: conflicting {field}", setter[field], found)
                else:
                    final[field] = value
                    setter[field] = found
            elif field not in setter:
                final[field] = value
        if cfg.alb_port != target:
            first = cfgs[0]
            first_loc, first_text = _ports_source(first)
            loc, text = _ports_source(cfg)
            raise ConflictError(
                f"{prefix}: conflicting Target Port, {first.member.key}: ALB port {target} from {first_text} ({first_loc.prefix()}) | "
                f"{cfg.member.key}: ALB port {cfg.alb_port} from {text}",
                (Claim(first.member.ingress.describe, first_loc, str(target)), Claim(cfg.member.ingress.describe, loc, str(cfg.alb_port))),
            )
    hc = HealthCheck(
        port=str(final["Port"]),
        protocol=final["Protocol"],
        path=final["Path"],
        interval=final["IntervalSeconds"],
        timeout=final["TimeoutSeconds"],
        healthy=final["HealthyThresholdCount"],
        unhealthy=final["UnhealthyThresholdCount"],
        matcher_field="HttpCode",
        matcher=final["Matcher"],
    )
    return target, hc


def _listeners(
    group: IngressGroup, settings: Settings, configs: list[MemberPorts], merged: list[MergedPort], user_tags: dict[str, str], warnings: list[Diagnostic]
) -> tuple[FrontendNlbListener, ...]:
    alb_listener = {mp.port: naming.listener_id(mp.protocol.value, mp.port) for mp in merged}
    by_port: dict[int, list[_PortConfig]] = {}
    for config in configs:  # group order
        member = config.member
        mapping_found, mapping = _port_mapping(member)
        health_check = _member_health_check(member)
        if mapping:
            for nlb_port, alb_port in sorted(mapping.items()):
                if alb_port not in config.ports:
                    assert mapping_found is not None  # a mapping comes from the annotation
                    listens = ", ".join(str(p) for p in sorted(config.ports))
                    warnings.append(
                        warning(
                            mapping_found.loc,
                            member.ingress.describe,
                            f"frontend NLB port {nlb_port} is not created: ALB port {alb_port} is not a listen port of this Ingress ({listens})",
                        )
                    )
                    continue
                by_port.setdefault(nlb_port, []).append(_PortConfig(member, nlb_port, alb_port, health_check, mapping_found))
        else:
            for alb_port in sorted(config.ports):
                by_port.setdefault(alb_port, []).append(_PortConfig(member, alb_port, alb_port, health_check, None))
    out = []
    for nlb_port in sorted(by_port):
        cfgs = by_port[nlb_port]
        alb_port, hc = _merge(nlb_port, cfgs)
        out.append(
            FrontendNlbListener(
                logical_id=naming.frontend_nlb_listener_id(nlb_port),
                port=nlb_port,
                target_group_id=naming.frontend_nlb_target_group_id(nlb_port),
                target_group_name=naming.frontend_nlb_target_group_name(settings.cluster, group.id, group.explicit, nlb_port, hc.port, hc.protocol),
                alb_port=alb_port,
                alb_listener_id=alb_listener[alb_port],
                health_check=hc,
                tags=tagging.with_tracking(user_tags, settings.cluster, group, naming.frontend_nlb_resource_tag("ls", nlb_port)),
                target_group_tags=tagging.with_tracking(user_tags, settings.cluster, group, naming.frontend_nlb_resource_tag("tg", nlb_port)),
                sources=tuple(dict.fromkeys(c.member.key for c in cfgs)),
            )
        )
    return tuple(out)


def build_frontend_nlb(
    group: IngressGroup,
    settings: Settings,
    vpc: Vpc,
    lb: LoadBalancer,
    configs: list[MemberPorts],
    merged: list[MergedPort],
    warnings: list[Diagnostic],
) -> FrontendNlb | None:
    """The group's frontend NLB, or None when no member enables it (LBC buildFrontendNlbModel)."""
    if not _enabled(group):
        _warn_unused(group, warnings)
        return None
    scheme = _scheme(group)
    security_groups = _security_groups(group, vpc)
    subnet_ids = _subnet_ids(group, settings, vpc, scheme, lb.ip_address_type != "ipv4")
    mappings = _subnet_mappings(group, scheme, subnet_ids)
    user_tags = _user_tags(group, lb)
    attributes = _attributes(group)
    if lb.ip_address_type == "dualstack-without-public-ipv4":
        first = group.members[0].ingress
        warnings.append(
            warning(
                first.origin.loc,
                first.describe,
                "the frontend NLB takes the ALB's IpAddressType dualstack-without-public-ipv4, "
                "as the controller does; AWS accepts that value for Application Load Balancers only",
            )
        )
    listeners = _listeners(group, settings, configs, merged, user_tags, warnings)
    tags: tuple[Tag, ...] = tagging.with_tracking(user_tags, settings.cluster, group, naming.frontend_nlb_resource_tag("lb"))
    return FrontendNlb(
        logical_id=naming.FRONTEND_NLB_ID,
        name=naming.frontend_nlb_name(lb.name),
        scheme=scheme,
        ip_address_type=lb.ip_address_type,
        subnet_mappings=mappings,
        security_group_ids=security_groups or (),
        uses_alb_security_groups=security_groups is None,
        attributes=attributes,
        tags=tags,
        listeners=listeners,
    )
