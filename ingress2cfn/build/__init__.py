"""Manifests + VPC → one GroupStack per IngressGroup, and the cluster stack."""

from __future__ import annotations

from ingress2cfn.build import split
from ingress2cfn.build import tags as tagging
from ingress2cfn.build.addons import apply_addons
from ingress2cfn.build.frontend_nlb import build_frontend_nlb
from ingress2cfn.build.listener_extras import build_listener_extras
from ingress2cfn.build.listeners import (
    check_certificates,
    default_backend_member,
    member_ports,
    merge_ports,
    ssl_redirect,
)
from ingress2cfn.build.load_balancer import build_load_balancer, scheme_and_ip_type
from ingress2cfn.build.rule_optimizer import optimize as optimize_rules
from ingress2cfn.build.rules import BackendResolver, member_rules, number_rules
from ingress2cfn.build.target_groups import TargetGroupContext
from ingress2cfn.input.diagnostics import Diagnostic, error, listed, unique, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Manifests
from ingress2cfn.input.vpc import Vpc, vpc_location
from ingress2cfn.model import naming
from ingress2cfn.model.settings import DEFAULT_SSL_POLICY, Settings
from ingress2cfn.model.stack import (
    Action,
    ClusterStack,
    FixedResponse,
    GroupStack,
    Listener,
    NodeRule,
    Protocol,
    Redirect,
    Rule,
    Tag,
)
from ingress2cfn.rules.annotations import AnnotatedObject, check_keys
from ingress2cfn.rules.groups import IngressGroup, Member, build_groups

NOT_FOUND = FixedResponse("404", "text/plain", None)


def _check_services(group: IngressGroup, manifests: Manifests, warnings: list[Diagnostic]) -> None:
    seen = set()
    for member in group.members:
        ing = member.ingress
        names = {p.backend.name for r in ing.rules for p in r.paths}
        if ing.default_backend:
            names.add(ing.default_backend.name)
        for name in sorted(names):
            svc = manifests.services.get(f"{ing.namespace}/{name}")
            if svc is not None and svc.key not in seen:
                seen.add(svc.key)
                check_keys(AnnotatedObject(svc.annotations, svc.origin, svc.describe, "Service"), warnings)


def build_group(group: IngressGroup, manifests: Manifests, vpc: Vpc, settings: Settings, warnings: list[Diagnostic]) -> GroupStack:
    _check_services(group, manifests, warnings)
    scheme, ip_type = scheme_and_ip_type(group)
    group_tags = tagging.group_tags(group.members)
    member_tags = {m.key: tagging.member_tags(m) for m in group.members}

    def tagged(user: dict[str, str], resource: str | None) -> tuple[Tag, ...]:
        return tagging.with_tracking(user, settings.cluster, group, resource)

    configs = [member_ports(m) for m in group.members]
    merged = merge_ports(configs, DEFAULT_SSL_POLICY)
    check_certificates(configs, merged)
    redirect_port = ssl_redirect(group.members, merged)
    extras = build_listener_extras(configs, merged, warnings)  # mutual-authentication, listener-attributes.*

    ctx = TargetGroupContext(settings, group, ip_type != "ipv4", manifests.services, warnings)
    resolver = BackendResolver(ctx)
    listeners = []
    for mp in merged:
        default_actions: tuple[Action, ...]
        rules: tuple[Rule, ...]
        if redirect_port is not None and mp.protocol is Protocol.HTTP:
            default_actions = (Redirect("HTTP_301", protocol="HTTPS", port=str(redirect_port)),)
            rules = ()
        else:
            owner = default_backend_member(mp)
            if owner is None or owner.ingress.default_backend is None:
                default_actions = (NOT_FOUND,)
            else:
                default_actions = resolver.actions(owner, owner.ingress.default_backend, ("spec", "defaultBackend"), protocol=mp.protocol, port=mp.port)
            candidates = []
            for member in mp.members:
                for body, ip, logical_id in member_rules(member, mp.port, resolver, protocol=mp.protocol):
                    candidates.append((member, body, ip, logical_id))
            candidates = optimize_rules(mp.port, mp.protocol, candidates)  # §6.6, before priorities
            port = mp.port

            def rule_tags(m: Member, prio: int, port: int = port) -> tuple[Tag, ...]:
                return tagged(member_tags[m.key], f"{port}:{prio}")

            rules = number_rules(candidates, rule_tags)
        listener_tags: dict[str, str] = {}
        for m in mp.members:
            listener_tags.update(member_tags[m.key])
        listeners.append(
            Listener(
                logical_id=naming.listener_id(mp.protocol.value, mp.port),
                port=mp.port,
                protocol=mp.protocol,
                ssl_policy=mp.ssl_policy,
                default_certificate=mp.default_certificate,
                extra_certificates=mp.extra_certificates,
                default_actions=default_actions,
                rules=rules,
                sources=tuple(m.key for m in mp.members),
                tags=tagged(listener_tags, str(mp.port)),
                attributes=extras[mp.port].attributes,
                mutual_authentication=extras[mp.port].mutual_authentication,
            )
        )

    for config in configs:
        ing = config.member.ingress
        tls_hosts = ing.tls_hosts()
        https = any(p == Protocol.HTTPS for p in config.ports.values())
        if ing.tls and not https:
            warnings.append(
                warning(
                    ing.origin.at("spec", "tls"),
                    ing.describe,
                    f"spec.tls ({listed(tls_hosts) or 'no hosts'}) is ignored by the "
                    "AWS Load Balancer Controller: without certificate-arn or an HTTPS listen-port the ALB serves HTTP only",
                )
            )

    lb = build_load_balancer(group, settings, vpc, scheme, ip_type, merged, group_tags, tagged)
    lb = apply_addons(group, lb, tuple(resolver.target_groups.values()), warnings)  # WAF, Shield, IPAM, capacity, backend SG rules
    frontend_nlb = build_frontend_nlb(group, settings, vpc, lb, configs, merged, warnings)
    return GroupStack(
        stack_name=naming.group_stack_name(settings.cluster, group.id),
        cluster=settings.cluster,
        group_id=group.id,
        explicit=group.explicit,
        members=group.member_keys,
        load_balancer=lb,
        listeners=tuple(listeners),
        target_groups=tuple(sorted(resolver.target_groups.values(), key=lambda t: t.logical_id)),
        vpc_id=vpc.id,
        frontend_nlb=frontend_nlb,
    )


def node_security_group(vpc: Vpc, settings: Settings) -> str:
    if settings.node_security_group:
        return settings.node_security_group
    tag = f"kubernetes.io/cluster/{settings.cluster}"
    tagged = sorted(g.id for g in vpc.security_groups if tag in g.tags and g.vpc_id == vpc.id)
    if len(tagged) != 1:
        found = f"found {len(tagged)}: {', '.join(tagged)}" if tagged else "found none"
        raise InputError(
            f"expected exactly one securityGroup tagged with {tag} in {vpc.id}, for the worker nodes ({found}). "
            "Tag the worker nodes' security group or pass --node-security-group sg-…",
            vpc_location(vpc),
            "VPC description",
        )
    return tagged[0]


def build_cluster(stacks: list[GroupStack], vpc: Vpc, settings: Settings) -> ClusterStack:
    ports: dict[tuple[int, int], set[str]] = {}
    for stack in stacks:
        if not stack.load_balancer.uses_backend_security_group:
            continue
        for tg in stack.target_groups:
            ports.setdefault(tg.node_port_rule, set()).add(stack.group_id)
            if tg.health_check_rule_port is not None:
                ports.setdefault((tg.health_check_rule_port, tg.health_check_rule_port), set()).add(stack.group_id)
            if tg.target_control_port is not None:  # §9.5: the target-control port is opened like the traffic port
                ports.setdefault((tg.target_control_port, tg.target_control_port), set()).add(stack.group_id)
    return ClusterStack(
        stack_name=naming.cluster_stack_name(settings.cluster),
        cluster=settings.cluster,
        vpc_id=vpc.id,
        backend_security_group_name=naming.backend_security_group_name(settings.cluster),
        node_security_group_id=node_security_group(vpc, settings),
        rules=tuple(NodeRule(a, b, tuple(sorted(g))) for (a, b), g in sorted(ports.items())),
    )


def build_all(
    manifests: Manifests, vpc: Vpc, settings: Settings, previous_shards: dict | None = None
) -> tuple[list[GroupStack], ClusterStack, list[Diagnostic]]:
    """`previous_shards`: split.read_previous() of the last render, for --split-by-quota."""
    warnings: list[Diagnostic] = []
    groups = build_groups(manifests, settings, warnings)
    stacks = []
    for group in groups:
        stack = build_group(group, manifests, vpc, settings, warnings)
        reason = split.needs_split(stack, settings.limits)
        if reason is None:
            stacks.append(stack)
            continue
        first = group.members[0].ingress
        where = error(first.origin.loc, f"IngressGroup {group.id} ({first.describe})", f"IngressGroup {group.id} has {reason}")
        if settings.split_by_quota:
            shards = split.split_stack(stack, settings.limits, (previous_shards or {}).get(group.id), where)
            stacks.extend(shards)
        elif settings.enforce_alb_quotas:
            raise InputError(
                f"{where.message}: one ALB cannot hold it. Render with --split-by-quota (every host stays on one ALB), "
                "or pass --quota NAME=N when AWS has raised the limit for your account",
                where.location,
                where.object,
            )
        else:
            stacks.append(stack)
    cluster = build_cluster(stacks, vpc, settings)
    return stacks, cluster, unique(warnings)
