"""Target-group extras (§4.4, §7.3, §9.5): `target-control-port.${svc}.${port}`, `target-node-labels`
and `multi-cluster-target-group`. Upstream: `buildTargetGroupTargetControlPort`,
`buildTargetGroupBindingNodeSelector`, `buildTargetGroupBindingMultiClusterFlag` in
pkg/ingress/model_build_target_group.go."""

from __future__ import annotations

import msgspec

from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Service, ServiceBackend
from ingress2cfn.model.stack import TargetType
from ingress2cfn.rules.annotations import AnnotatedObject, Found, ValueType, merged_get


class TargetGroupExtras(msgspec.Struct, frozen=True):
    target_control_port: int | None
    node_selector: tuple[tuple[str, str], ...]
    multi_cluster: bool


def control_port_key(service: Service, backend: ServiceBackend) -> str:
    """`target-control-port.<service name>.<port as referenced>` (name or number, like the TG resource id)."""
    return f"target-control-port.{service.name}.{backend.port_ref}"


def target_control_port(svc_ann: AnnotatedObject | None, ing_ann: AnnotatedObject, service: Service, backend: ServiceBackend) -> Found | None:
    """svc-wins read of the int32 annotation (upstream reads the merged Service+Ingress map)."""
    key = control_port_key(service, backend)
    if svc_ann is not None:
        found = svc_ann.get_typed(key, ValueType.INT32)
        if found is not None:
            return found
    return ing_ann.get_typed(key, ValueType.INT32)


def build_extras(
    svc_ann: AnnotatedObject | None,
    ing_ann: AnnotatedObject,
    service: Service,
    backend: ServiceBackend,
    target_type: TargetType,
    warnings: list[Diagnostic],
) -> TargetGroupExtras:
    control = target_control_port(svc_ann, ing_ann, service, backend)
    control_port: int | None = None
    if control is not None:
        if target_type is TargetType.INSTANCE:
            raise InputError(
                "target control port is not supported for instance target target group "
                f"(set alb.ingress.kubernetes.io/target-type: ip for {service.key}, or remove the annotation)",
                control.loc,
                control.owner,
            )
        if not 1 <= control.value <= 65535:
            raise InputError(f"target control port must be within [1, 65535]: {control.value}", control.loc, control.owner)
        control_port = control.value

    labels = merged_get("target-node-labels", svc_ann, ing_ann)
    node_selector: tuple[tuple[str, str], ...] = ()
    if labels is not None and labels.value:
        if target_type is TargetType.INSTANCE:
            node_selector = tuple(sorted(labels.value.items()))
        else:
            warnings.append(
                warning(
                    labels.loc,
                    labels.owner,
                    f"alb.ingress.kubernetes.io/target-node-labels is ignored for ip targets "
                    f"(target group for {service.key}:{backend.port_ref}); it selects nodes for instance targets only",
                )
            )

    multi = ing_ann.get("multi-cluster-target-group")
    multi_cluster = bool(multi and multi.value)
    if not multi_cluster and svc_ann is not None:
        svc_multi = svc_ann.get("multi-cluster-target-group")
        multi_cluster = bool(svc_multi and svc_multi.value)
    return TargetGroupExtras(control_port, node_selector, multi_cluster)
