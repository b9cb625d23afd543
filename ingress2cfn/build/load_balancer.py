"""The load balancer (§8) and its security groups (§9.4): group-wide exclusive settings."""

from __future__ import annotations

from ingress2cfn.build.class_params_subnets import params_subnet_ids
from ingress2cfn.build.common import exclusive, merged_map
from ingress2cfn.build.listeners import MergedPort
from ingress2cfn.build.security_groups import ingress_rules, resolve_explicit
from ingress2cfn.build.subnets import subnets_for
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.vpc import Vpc
from ingress2cfn.model import naming
from ingress2cfn.model.settings import DEFAULT_SCHEME, SCHEMES, Settings
from ingress2cfn.model.stack import LoadBalancer, ManagedSecurityGroup
from ingress2cfn.rules.groups import IngressGroup

IP_ADDRESS_TYPES = ("ipv4", "dualstack", "dualstack-without-public-ipv4")


def _checked(found, allowed: tuple[str, ...], message: str) -> None:
    if found is not None and found.value not in allowed:
        raise InputError(f"{message}: {found.value!r} (want one of {', '.join(allowed)})", found.loc, found.owner)


def scheme_and_ip_type(group: IngressGroup) -> tuple[str, str]:
    scheme = exclusive(group.members, "scheme", "conflicting scheme")
    _checked(scheme, SCHEMES, "unknown scheme")
    ip_type = exclusive(group.members, "ip-address-type", "conflicting IPAddressType")
    _checked(ip_type, IP_ADDRESS_TYPES, "unknown IPAddressType")
    return (scheme.value if scheme else DEFAULT_SCHEME), (ip_type.value if ip_type else "ipv4")


def build_load_balancer(
    group: IngressGroup,
    settings: Settings,
    vpc: Vpc,
    scheme: str,
    ip_type: str,
    merged: list[MergedPort],
    group_tags: dict[str, str],
    tagged,
) -> LoadBalancer:
    members = group.members
    dualstack = ip_type != "ipv4"
    name_found = exclusive(members, "load-balancer-name", "conflicting load balancer name")
    if name_found is not None:
        problem = naming.load_balancer_name_problem(name_found.value)
        if problem is not None:
            raise InputError(problem, name_found.loc, name_found.owner)
        name = name_found.value
    else:
        name = naming.load_balancer_name(settings.cluster, group.id, group.explicit, scheme)

    params_subnets = params_subnet_ids(members, vpc, settings.cluster, dualstack)  # None unless IngressClassParams set subnets (§9.2)
    subnets_found = None if params_subnets is not None else exclusive(members, "subnets", "conflicting subnets", normalise=lambda v: sorted(v))

    def subnet_error(message: str) -> InputError:
        if subnets_found is not None:
            return InputError(message, subnets_found.loc, subnets_found.owner)
        first = members[0].ingress
        return InputError(f"{message} (VPC description {vpc.source}, scheme {scheme})", first.origin.loc, f"IngressGroup {group.id} ({first.describe})")

    subnet_ids = (
        params_subnets
        if params_subnets is not None
        else subnets_for(vpc, settings.cluster, scheme, dualstack, subnets_found.value if subnets_found else None, subnet_error)
    )

    attributes = merged_map(
        [f for m in members if (f := m.annotations.get("load-balancer-attributes")) is not None],
        lambda k, a, b: f"conflicting load balancer attributes {k}: {a} | {b}",
    )

    sgs_found = exclusive(members, "security-groups", "conflicting securityGroups")
    explicit_sgs: tuple[str, ...] = ()
    managed = None
    if sgs_found is not None:
        try:
            explicit_sgs = resolve_explicit(vpc, sgs_found.value)
        except ValueError as exc:
            raise InputError(str(exc), sgs_found.loc, sgs_found.owner) from None
    else:
        rules = ingress_rules({mp.port: mp.cidrs for mp in merged}, dualstack, prefix_lists={mp.port: mp.prefix_lists for mp in merged})
        managed = ManagedSecurityGroup(
            logical_id="ManagedSecurityGroup",
            name=naming.managed_security_group_name(settings.cluster, group.id, group.explicit),
            rules=rules,
            tags=tagged(group_tags, "ManagedLBSecurityGroup"),
        )
    return LoadBalancer(
        name=name,
        scheme=scheme,
        ip_address_type=ip_type,
        subnet_ids=subnet_ids,
        security_group_ids=explicit_sgs,
        managed_security_group=managed,
        uses_backend_security_group=managed is not None,
        attributes=tuple(sorted(attributes.items())),
        tags=tagged(group_tags, "LoadBalancer"),
    )
