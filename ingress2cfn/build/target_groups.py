"""Target groups (§7): one per (Ingress, Service, port as referenced)."""

from __future__ import annotations

import msgspec

from ingress2cfn.build import tags as tagging
from ingress2cfn.build.binding_extras import build_extras
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Service, ServiceBackend, ServicePort
from ingress2cfn.model import naming
from ingress2cfn.model.settings import DEFAULT_TARGET_TYPE, Settings
from ingress2cfn.model.stack import HealthCheck, TargetGroup, TargetType
from ingress2cfn.rules.annotations import AnnotatedObject, Found, allowed_of, default_of, entry, merged_get, within
from ingress2cfn.rules.groups import IngressGroup, Member

GRPC_HEALTH_PATH = "/AWS.ALB/healthcheck"
ALL_PORTS = (0, 65535)


class TargetGroupContext(msgspec.Struct):
    settings: Settings
    group: IngressGroup
    dualstack: bool
    services: dict[str, Service]
    warnings: list[Diagnostic]


def _service_annotations(service: Service) -> AnnotatedObject:
    return AnnotatedObject(service.annotations, service.origin, service.describe, "Service")


def _choice(found: Found | None, default: str, allowed: tuple[str, ...], message: str, svc_ann, ing_ann) -> str:
    if found is None:
        return default
    if found.value not in allowed:
        holder = svc_ann if svc_ann is not None and found.owner == svc_ann.describe else ing_ann
        want = "" if "within" in message else f" (want one of {', '.join(allowed)})"
        raise InputError(f"{message}: {found.value!r}{want}", found.loc, holder.describe)
    return found.value


def describe_ports(service: Service) -> str:
    """The Service's ports for messages: `its ports: 80 (http), 443 (https)`."""
    if not service.ports:
        return "the Service has no ports"
    return "its ports: " + ", ".join(f"{p.port} ({p.name})" if p.name else str(p.port) for p in service.ports)


def find_port(service: Service, backend: ServiceBackend) -> ServicePort | None:
    for port in service.ports:
        if backend.port_name is not None and port.name == backend.port_name:
            return port
        if backend.port_number is not None and port.port == backend.port_number:
            return port
    return None


def _int_annotation(key: str, default: int, svc_ann, ing_ann) -> int:
    found = merged_get(key, svc_ann, ing_ann)
    return default if found is None else found.value


def build_target_group(
    ctx: TargetGroupContext,
    member: Member,
    service: Service,
    port: ServicePort,
    backend: ServiceBackend,
    backend_field: tuple,
) -> TargetGroup:
    ing = member.ingress
    ing_ann = member.annotations
    svc_ann = _service_annotations(service)

    def get(key: str) -> Found | None:
        return merged_get(key, svc_ann, ing_ann)

    target_type = TargetType(_choice(get("target-type"), DEFAULT_TARGET_TYPE, allowed_of("target-type"), "unknown targetType", svc_ann, ing_ann))
    protocols, versions = allowed_of("backend-protocol"), allowed_of("backend-protocol-version")
    protocol = _choice(
        get("backend-protocol"), str(entry("backend-protocol").default), protocols, f"backend protocol must be within {within(protocols)}", svc_ann, ing_ann
    )
    version = _choice(
        get("backend-protocol-version"),
        str(entry("backend-protocol-version").default),
        versions,
        f"backend protocol version must be within {within(versions)}",
        svc_ann,
        ing_ann,
    )

    hc_port_found = get("healthcheck-port")
    hc_port = "traffic-port"
    hc_rule_port: int | None = None
    if hc_port_found is not None and hc_port_found.value != "traffic-port":
        raw = hc_port_found.value
        if raw.isascii() and raw.isdigit():
            if not 1 <= int(raw) <= 65535:
                raise InputError(f"failed to resolve healthCheckPort: {raw} must be within [1, 65535]", hc_port_found.loc, hc_port_found.owner)
            hc_port = raw
        else:
            named = next((p for p in service.ports if p.name == raw), None)
            if named is None:
                raise InputError(
                    f"failed to resolve healthCheckPort: no port named {raw!r} on service {service.key} ({describe_ports(service)}; or use a number or traffic-port)",
                    hc_port_found.loc,
                    hc_port_found.owner,
                )
            if target_type is TargetType.INSTANCE:
                if named.node_port is None:
                    raise InputError(
                        f"failed to resolve healthCheckPort: port {raw!r} of service {service.key} has no nodePort", hc_port_found.loc, hc_port_found.owner
                    )
                hc_port = str(named.node_port)
            else:
                if isinstance(named.target_port, str):
                    raise InputError(
                        "cannot use named healthCheckPort for IP TargetType when service's targetPort is a named port", hc_port_found.loc, hc_port_found.owner
                    )
                hc_port = str(named.target_port)
        hc_rule_port = int(hc_port)
    hc_protocols = allowed_of("healthcheck-protocol")
    hc_protocol = _choice(get("healthcheck-protocol"), protocol, hc_protocols, f"healthCheckProtocol must be within {within(hc_protocols)}", svc_ann, ing_ann)
    hc_path_found = get("healthcheck-path")
    grpc = version == "GRPC"
    hc_path = hc_path_found.value if hc_path_found else (GRPC_HEALTH_PATH if grpc else "/")
    codes_found = get("success-codes")
    health = HealthCheck(
        port=hc_port,
        protocol=hc_protocol,
        path=hc_path,
        interval=_int_annotation("healthcheck-interval-seconds", default_of("healthcheck-interval-seconds"), svc_ann, ing_ann),
        timeout=_int_annotation("healthcheck-timeout-seconds", default_of("healthcheck-timeout-seconds"), svc_ann, ing_ann),
        healthy=_int_annotation("healthy-threshold-count", default_of("healthy-threshold-count"), svc_ann, ing_ann),
        unhealthy=_int_annotation("unhealthy-threshold-count", default_of("unhealthy-threshold-count"), svc_ann, ing_ann),
        matcher_field="GrpcCode" if grpc else "HttpCode",
        matcher=codes_found.value if codes_found else ("12" if grpc else "200"),
    )
    attrs_found = get("target-group-attributes")
    attributes = tuple(sorted(attrs_found.value.items())) if attrs_found else ()
    user_tags = tagging.target_group_user_tags(svc_ann, ing_ann)

    ip_type = "ipv6" if "IPv6" in service.ip_families else "ipv4"
    if ip_type == "ipv6" and not ctx.dualstack:
        raise InputError(
            "unsupported IPv6 configuration, lb not dual-stack: the Service lists IPv6 in spec.ipFamilies; "
            "set alb.ingress.kubernetes.io/ip-address-type: dualstack on an Ingress of the group",
            service.origin.at("spec", "ipFamilies"),
            service.describe,
        )
    extras = build_extras(svc_ann, ing_ann, service, backend, target_type, ctx.warnings)

    port_field = service.origin.at("spec", "ports", port.index)
    if target_type is TargetType.INSTANCE:
        if port.node_port is None:
            raise InputError(
                "TargetGroup port is empty. When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer' "
                f"[{ing.describe} uses port {backend.port_ref} of this {service.type} Service, and it has no nodePort]. "
                f"Fix: set spec.ports[{port.index}].nodePort, or use alb.ingress.kubernetes.io/target-type: ip, "
                "or render from the cluster's Services (kubectl get svc -o yaml), which carry the allocated nodePort",
                port_field,
                service.describe,
            )
        tg_port = port.node_port
        node_range = (port.node_port, port.node_port)
    else:
        if isinstance(port.target_port, int):
            tg_port = port.target_port
            node_range = (port.target_port, port.target_port)
        else:
            tg_port = 1  # LBC's placeholder: each target is registered with its own port
            node_range = ALL_PORTS
            ctx.warnings.append(
                warning(
                    port_field,
                    service.describe,
                    f"targetPort {port.target_port!r} is a name, so the node security group rule "
                    "for it opens all TCP ports from the backend security group (the port is known only per Pod)",
                )
            )

    uid = (service.uid or "") if ctx.settings.hash_service_uid else None
    name = naming.target_group_name(
        ctx.settings.cluster,
        ctx.group.id,
        ing.namespace,
        ing.name,
        service.namespace,
        service.name,
        uid,
        backend.port_ref,
        tg_port,
        target_type.value,
        protocol,
        version,
        extras.target_control_port,
    )
    resource = f"{ing.namespace}/{ing.name}-{service.name}:{backend.port_ref}"
    return TargetGroup(
        logical_id=naming.target_group_id(ing.key, service.name, backend.port_ref),
        name=name,
        target_type=target_type,
        port=tg_port,
        protocol=protocol,
        protocol_version=version,
        ip_address_type=ip_type,
        health_check=health,
        attributes=attributes,
        tags=tagging.with_tracking(user_tags, ctx.settings.cluster, ctx.group, resource),
        ingress=ing.key,
        service_namespace=service.namespace,
        service_name=service.name,
        port_ref=backend.port_ref,
        node_port_rule=node_range,
        health_check_rule_port=hc_rule_port,
        service_target_port=port.target_port,
        target_control_port=extras.target_control_port,
        node_selector=extras.node_selector,
        multi_cluster=extras.multi_cluster,
    )
