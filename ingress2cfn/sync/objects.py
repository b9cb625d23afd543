"""The cluster objects sync reads, typed: Services, EndpointSlices, Pods and Nodes, parsed from the
API's JSON shape (what `kubectl get … -o yaml` prints and what the client returns unparsed).
Every object is untrusted input: a malformed one is a located error."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.input.errors import InputError, describe_object
from ingress2cfn.input.location import SourceLocation

KINDS = ("Service", "EndpointSlice", "Pod", "Node")
SERVICE_NAME_LABEL = "kubernetes.io/service-name"


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    node_port: int | None
    target_port: int | str | None


@dataclass(frozen=True)
class Service:
    namespace: str
    name: str
    type: str
    ports: tuple[ServicePort, ...]


@dataclass(frozen=True)
class Endpoint:
    addresses: tuple[str, ...]
    ready: bool | None  # None: unknown (counts as ready, §12)
    terminating: bool
    pod: str | None  # targetRef name when its kind is Pod
    node: str | None


@dataclass(frozen=True)
class EndpointSlice:
    namespace: str
    name: str
    service: str
    address_type: str  # IPv4 | IPv6 | FQDN
    ports: tuple[tuple[str, int], ...]  # (name, port)
    endpoints: tuple[Endpoint, ...]


@dataclass(frozen=True)
class Pod:
    namespace: str
    name: str
    containers_ready: bool
    readiness_gates: tuple[str, ...]
    conditions: tuple[tuple[str, str], ...]  # (type, status)


@dataclass(frozen=True)
class Taint:
    key: str
    effect: str


@dataclass(frozen=True)
class Node:
    name: str
    provider_id: str
    labels: tuple[tuple[str, str], ...]
    taints: tuple[Taint, ...]
    ready: str  # True | False | Unknown

    @property
    def instance_id(self) -> str | None:
        """`aws:///us-east-1a/i-0abc` → `i-0abc`."""
        last = self.provider_id.rsplit("/", 1)[-1]
        return last if last.startswith("i-") else None


@dataclass(frozen=True)
class ClusterState:
    services: dict[tuple[str, str], Service] = field(default_factory=dict)
    slices: dict[tuple[str, str], tuple[EndpointSlice, ...]] = field(default_factory=dict)  # (ns, service) → slices
    pods: dict[tuple[str, str], Pod] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)


# ------------------------------------------------------------------------------------ parsing


class _Reader:
    def __init__(self, obj: dict[str, Any], loc: SourceLocation | None, kind: str):
        self.obj, self.loc, self.kind = obj, loc, kind
        meta = obj.get("metadata")
        self.meta = meta if isinstance(meta, dict) else {}
        ns, name = self.meta.get("namespace"), self.meta.get("name")
        self.namespace = ns if isinstance(ns, str) else ""
        self.name = name if isinstance(name, str) else ""
        self.what = describe_object(kind, self.namespace or None, self.name or "?")

    def error(self, path: tuple[str | int, ...], message: str) -> InputError:
        return InputError(message, self.loc.at(*path) if self.loc else None, self.what)

    def need_name(self) -> None:
        if not self.name:
            raise self.error(("metadata", "name"), "missing or not a string")

    def mapping(self, value: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping, got {type(value).__name__}")
        return value

    def items(self, value: Any, path: tuple[str | int, ...]) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, got {type(value).__name__}")
        return value

    def port(self, value: Any, path: tuple[str | int, ...], optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise self.error(path, f"expected a port number 1-65535, got {value!r}")
        return value

    def text(self, value: Any, path: tuple[str | int, ...], default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(path, f"expected a string, got {type(value).__name__}")
        return value


def _service(r: _Reader) -> Service:
    spec = r.mapping(r.obj.get("spec"), ("spec",))
    ports = []
    for i, p in enumerate(r.items(spec.get("ports"), ("spec", "ports"))):
        p = r.mapping(p, ("spec", "ports", i))
        target = p.get("targetPort")
        if target is not None and not isinstance(target, (int, str)):
            raise r.error(("spec", "ports", i, "targetPort"), "expected a number or a name")
        ports.append(
            ServicePort(
                r.text(p.get("name"), ("spec", "ports", i, "name")),
                r.port(p.get("port"), ("spec", "ports", i, "port")) or 0,
                r.port(p.get("nodePort"), ("spec", "ports", i, "nodePort"), optional=True),
                target,
            )
        )
    return Service(r.namespace, r.name, r.text(spec.get("type"), ("spec", "type"), "ClusterIP"), tuple(ports))


def _bool(r: _Reader, value: Any, path: tuple[str | int, ...]) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise r.error(path, f"expected true or false, got {value!r}")


def _slice(r: _Reader) -> EndpointSlice:
    labels = r.mapping(r.meta.get("labels"), ("metadata", "labels"))
    service = labels.get(SERVICE_NAME_LABEL)
    ports = []
    for i, p in enumerate(r.items(r.obj.get("ports"), ("ports",))):
        p = r.mapping(p, ("ports", i))
        ports.append((r.text(p.get("name"), ("ports", i, "name")), r.port(p.get("port"), ("ports", i, "port")) or 0))
    endpoints = []
    for i, e in enumerate(r.items(r.obj.get("endpoints"), ("endpoints",))):
        e = r.mapping(e, ("endpoints", i))
        addresses = tuple(r.text(a, ("endpoints", i, "addresses", j)) for j, a in enumerate(r.items(e.get("addresses"), ("endpoints", i, "addresses"))))
        cond = r.mapping(e.get("conditions"), ("endpoints", i, "conditions"))
        ref = r.mapping(e.get("targetRef"), ("endpoints", i, "targetRef"))
        pod = ref.get("name") if ref.get("kind") == "Pod" and isinstance(ref.get("name"), str) else None
        node = e.get("nodeName") if isinstance(e.get("nodeName"), str) else None
        ready = _bool(r, cond.get("ready"), ("endpoints", i, "conditions", "ready"))
        terminating = _bool(r, cond.get("terminating"), ("endpoints", i, "conditions", "terminating")) or False
        endpoints.append(Endpoint(addresses, ready, terminating, pod, node))
    return EndpointSlice(
        r.namespace,
        r.name,
        service if isinstance(service, str) else "",
        r.text(r.obj.get("addressType"), ("addressType",), "IPv4"),
        tuple(ports),
        tuple(endpoints),
    )


def _conditions(r: _Reader, status: dict[str, Any], base: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for i, c in enumerate(r.items(status.get("conditions"), (*base, "conditions"))):
        c = r.mapping(c, (*base, "conditions", i))
        out.append((r.text(c.get("type"), (*base, "conditions", i, "type")), r.text(c.get("status"), (*base, "conditions", i, "status"), "Unknown")))
    return tuple(out)


def _pod(r: _Reader) -> Pod:
    spec = r.mapping(r.obj.get("spec"), ("spec",))
    status = r.mapping(r.obj.get("status"), ("status",))
    gates = []
    for i, g in enumerate(r.items(spec.get("readinessGates"), ("spec", "readinessGates"))):
        g = r.mapping(g, ("spec", "readinessGates", i))
        gates.append(r.text(g.get("conditionType"), ("spec", "readinessGates", i, "conditionType")))
    conditions = _conditions(r, status, ("status",))
    return Pod(r.namespace, r.name, ("ContainersReady", "True") in conditions, tuple(gates), conditions)


def _node(r: _Reader) -> Node:
    spec = r.mapping(r.obj.get("spec"), ("spec",))
    status = r.mapping(r.obj.get("status"), ("status",))
    labels = r.mapping(r.meta.get("labels"), ("metadata", "labels"))
    taints = []
    for i, t in enumerate(r.items(spec.get("taints"), ("spec", "taints"))):
        t = r.mapping(t, ("spec", "taints", i))
        taints.append(Taint(r.text(t.get("key"), ("spec", "taints", i, "key")), r.text(t.get("effect"), ("spec", "taints", i, "effect"))))
    ready = dict(_conditions(r, status, ("status",))).get("Ready", "Unknown")
    return Node(
        r.name,
        r.text(spec.get("providerID"), ("spec", "providerID")),
        tuple(sorted((str(k), str(v)) for k, v in labels.items())),
        tuple(taints),
        ready,
    )


def parse_state(objects: Iterable[tuple[Any, SourceLocation | None]]) -> ClusterState:
    """Objects of other kinds are skipped; `List` documents are flattened by the reader (k8s.files)."""
    state = ClusterState()
    slices: dict[tuple[str, str], list[EndpointSlice]] = {}
    for obj, loc in objects:
        if not isinstance(obj, dict) or obj.get("kind") not in KINDS:
            continue
        r = _Reader(obj, loc, obj["kind"])
        r.need_name()
        if r.kind == "Service":
            state.services[(r.namespace, r.name)] = _service(r)
        elif r.kind == "EndpointSlice":
            s = _slice(r)
            slices.setdefault((s.namespace, s.service), []).append(s)
        elif r.kind == "Pod":
            state.pods[(r.namespace, r.name)] = _pod(r)
        else:
            state.nodes[r.name] = _node(r)
    for key, found in slices.items():
        state.slices[key] = tuple(sorted(found, key=lambda s: s.name))
    return state
