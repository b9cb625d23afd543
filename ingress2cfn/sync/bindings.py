"""TargetGroupBindings (§7.3) as sync reads them: from `render`'s `*.bindings.yaml`, from a
deployed stack (ingress2cfn.aws.cloudformation), or from the cluster."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingress2cfn.input.errors import InputError, describe_object
from ingress2cfn.input.location import SourceLocation

KIND = "TargetGroupBinding"


@dataclass(frozen=True)
class Binding:
    namespace: str
    name: str
    target_type: str  # ip | instance
    service: str
    service_port: int | str  # as the Ingress backend referenced it
    target_group_arn: str | None = None
    target_group_name: str | None = None
    ip_address_type: str = "ipv4"
    vpc_id: str | None = None
    node_selector: tuple[tuple[str, str], ...] = ()
    multi_cluster: bool = False
    stack: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def target_group(self) -> str:
        return self.target_group_arn or self.target_group_name or ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_binding(obj: dict[str, Any], loc: SourceLocation | None) -> Binding:
    meta = _mapping(obj.get("metadata"))
    ns, name = meta.get("namespace") or "default", meta.get("name")
    what = describe_object(KIND, ns if isinstance(ns, str) else None, name if isinstance(name, str) else "?")

    def error(path: tuple[str | int, ...], message: str) -> InputError:
        return InputError(message, loc.at(*path) if loc else None, what)

    if not isinstance(name, str) or not name or not isinstance(ns, str):
        raise error(("metadata", "name"), "missing or not a string")
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        raise error(("spec",), "missing or not a mapping")
    arn, tg_name = spec.get("targetGroupARN"), spec.get("targetGroupName")
    if not isinstance(arn, str) and not isinstance(tg_name, str):
        raise error(("spec",), "needs targetGroupARN or targetGroupName")
    target_type = spec.get("targetType", "instance")
    if target_type not in ("ip", "instance"):
        raise error(("spec", "targetType"), f"must be ip or instance, got {target_type!r}")
    ref = spec.get("serviceRef")
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        raise error(("spec", "serviceRef", "name"), "missing or not a string")
    port = ref.get("port")
    if isinstance(port, bool) or not isinstance(port, (int, str)) or port == "":
        raise error(("spec", "serviceRef", "port"), "must be a port number or a port name")
    family = spec.get("ipAddressType", "ipv4")
    if family not in ("ipv4", "ipv6"):
        raise error(("spec", "ipAddressType"), f"must be ipv4 or ipv6, got {family!r}")
    labels = _mapping(_mapping(spec.get("nodeSelector")).get("matchLabels"))
    annotations = _mapping(meta.get("annotations"))
    vpc = spec.get("vpcID")
    stack = annotations.get("ingress2cfn/stack")
    return Binding(
        namespace=ns,
        name=name,
        target_type=target_type,
        service=ref["name"],
        service_port=port,
        target_group_arn=arn if isinstance(arn, str) else None,
        target_group_name=tg_name if isinstance(tg_name, str) else None,
        ip_address_type=family,
        vpc_id=vpc if isinstance(vpc, str) else None,
        node_selector=tuple(sorted((str(k), str(v)) for k, v in labels.items())),
        multi_cluster=spec.get("multiClusterTargetGroup") is True,
        stack=stack if isinstance(stack, str) else None,
    )


def parse_bindings(objects: Iterable[tuple[Any, SourceLocation | None]]) -> list[Binding]:
    """Every TargetGroupBinding among the objects (other kinds skipped), sorted by namespace/name."""
    found = [parse_binding(obj, loc) for obj, loc in objects if isinstance(obj, dict) and obj.get("kind") == KIND]
    return sorted(found, key=lambda b: (b.namespace, b.name))
