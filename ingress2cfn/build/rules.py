"""Listener rules (§6.1-6.3, §3.5): paths → conditions, backends → actions."""

from __future__ import annotations

import msgspec

from ingress2cfn.build.actions import annotation_action
from ingress2cfn.build.auth import prepend_auth
from ingress2cfn.build.conditions import annotation_transforms, check_backend_annotations, rule_conditions
from ingress2cfn.build.target_groups import TargetGroupContext, build_target_group, describe_ports, find_port
from ingress2cfn.input.diagnostics import warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import IngressPath, PathType, Service, ServiceBackend
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.model import naming
from ingress2cfn.model.stack import Action, FixedResponse, Forward, Protocol, Rule, TargetGroup
from ingress2cfn.rules.groups import Member

MISSING_SERVICE = FixedResponse("503", "text/plain", "Backend service does not exist")


def path_patterns(ip: IngressPath, member: Member) -> tuple[str, ...]:
    path = ip.path
    if not path:
        return ()
    if ip.path_type is PathType.EXACT:
        if "*" in path or "?" in path:
            raise InputError(f"exact path shouldn't contain wildcards: {path}", member.ingress.origin.at(*ip.field, "path"), member.ingress.describe)
        return (path,)
    if ip.path_type is PathType.PREFIX:
        if "*" in path or "?" in path:
            raise InputError(f"prefix path shouldn't contain wildcards: {path}", member.ingress.origin.at(*ip.field, "path"), member.ingress.describe)
        if path == "/":
            return ("/*",)
        trimmed = path[:-1] if path.endswith("/") else path
        return (trimmed, trimmed + "/*")
    return (path,)


def sort_paths(paths: tuple[IngressPath, ...]) -> list[IngressPath]:
    """§3.5.3: Exact first, then Prefix by raw length (longest first, stable), then the rest."""
    exact = [p for p in paths if p.path_type is PathType.EXACT]
    prefix = sorted((p for p in paths if p.path_type is PathType.PREFIX), key=lambda p: -len(p.path))
    rest = [p for p in paths if p.path_type not in (PathType.EXACT, PathType.PREFIX)]
    return exact + prefix + rest


class BackendResolver(msgspec.Struct):
    """Turns backends into actions, creating target groups lazily (one per Ingress/Service/port).

    A backend is referenced once per path and listen port; the per-backend work (the target
    group, the conditions./transforms.<name> checks) depends only on the Ingress and the Service
    port, so it runs once per Ingress/Service/port and is reused for every further reference."""

    ctx: TargetGroupContext
    target_groups: dict[str, TargetGroup] = msgspec.field(default_factory=dict)
    checked_backends: set[tuple[str, str]] = msgspec.field(default_factory=set)  # (Ingress, backend name)

    def actions(
        self, member: Member, backend: ServiceBackend, backend_field: tuple, *, protocol: Protocol | None = None, port: int | None = None
    ) -> tuple[Action, ...]:
        """The backend's actions; on a listener of `protocol` (when given) with auth / jwt-validation
        prepended by build/auth.py (§4.5, §6.3)."""
        backend_actions = self._backend_actions(member, backend, backend_field)
        if protocol is None:
            return backend_actions
        return prepend_auth(self, member, backend_actions, backend_field, protocol, port)  # single prepend step

    def _backend_actions(self, member: Member, backend: ServiceBackend, backend_field: tuple) -> tuple[Action, ...]:
        ing = member.ingress
        if (member.key, backend.name) not in self.checked_backends:
            check_backend_annotations(member, backend, self.ctx.warnings)  # conditions./transforms.<name>, like LBC's backend builder
            self.checked_backends.add((member.key, backend.name))
        if backend.port_name == "use-annotation":
            return annotation_action(self, member, backend, backend_field)
        service = self.ctx.services.get(f"{ing.namespace}/{backend.name}")
        if service is None:
            self.ctx.warnings.append(
                warning(
                    ing.origin.at(*backend_field, "service", "name"),
                    ing.describe,
                    f"Service {ing.namespace}/{backend.name} is not in the input; like the controller, the rule answers 503 'Backend service does not exist'",
                )
            )
            return (MISSING_SERVICE,)
        tg = self.service_target_group(member, service, backend, backend_field)
        return (Forward((tg.logical_id,)),)

    def service_target_group(
        self,
        member: Member,
        service: Service,
        backend: ServiceBackend,
        backend_field: tuple,
        *,
        where: SourceLocation | None = None,
        where_owner: str | None = None,
        context: str = "",
    ) -> TargetGroup:
        """The target group of (Ingress, Service, port as referenced), made once and reused; `where`
        locates port errors when the reference is not a backend field (an actions.* tuple)."""
        ing = member.ingress
        port = find_port(service, backend)
        if port is None:
            hint = describe_ports(service)
            by_target = next((p for p in service.ports if backend.port_number is not None and p.target_port == backend.port_number), None)
            if by_target is not None:
                hint += f"; {backend.port_number} is the targetPort of port {by_target.port}, and a backend names the Service's port"
            raise InputError(
                f"unable to find port {backend.port_ref} on service {service.key} ({context}{hint})",
                where or ing.origin.at(*backend_field, "service", "port"),
                where_owner or ing.describe,
            )
        logical_id = naming.target_group_id(ing.key, service.name, backend.port_ref)
        tg = self.target_groups.get(logical_id)
        if tg is None:
            tg = build_target_group(self.ctx, member, service, port, backend, backend_field)
            assert tg.logical_id == logical_id
            self.target_groups[logical_id] = tg
        return tg


def member_rules(member: Member, port: int, resolver: BackendResolver, *, protocol: Protocol | None = None) -> list[tuple[tuple, IngressPath, str]]:
    """Candidate rules of one member on one port, in order: (conditions, actions), path, logical id."""
    out = []
    seen: dict[tuple, int] = {}
    for rule in member.ingress.rules:
        if not rule.has_http:
            continue
        for ip in sort_paths(rule.paths):
            actions = resolver.actions(member, ip.backend, ip.field + ("backend",), protocol=protocol, port=port)
            # host/path + conditions.<name> (§6.2), transforms.<name> (§6.4): build/conditions.py
            conditions = rule_conditions(member, rule.host, ip, path_patterns(ip, member), resolver.ctx.warnings)
            transforms = annotation_transforms(member, ip.backend.name)
            path_type = ip.path_type.value if ip.path_type else ""
            identity = (rule.host, ip.path, path_type)
            occurrence = seen.get(identity, 0)
            seen[identity] = occurrence + 1
            logical_id = naming.rule_id(port, member.key, rule.host, ip.path, path_type, occurrence)
            out.append(((conditions, actions, transforms), ip, logical_id))
    return out


def number_rules(candidates: list[tuple[Member, tuple, IngressPath, str]], tags_for) -> tuple[Rule, ...]:
    rules = []
    for priority, (member, body, ip, logical_id) in enumerate(candidates, start=1):
        conditions, actions, *rest = body  # body: (conditions, actions[, transforms])
        field_path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in ip.field).lstrip(".")
        rules.append(Rule(logical_id, priority, conditions, actions, member.key, tags_for(member, priority), field_path, transforms=rest[0] if rest else ()))
    return tuple(rules)
