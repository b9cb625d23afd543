"""Typed Kubernetes objects parsed from Documents; every object keeps its location."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import msgspec

from ingress2cfn.input import dynamic_references, legacy, names
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import ErrorList, InputError
from ingress2cfn.input.legacy import LEGACY_INGRESS_APIS
from ingress2cfn.input.loader import Document
from ingress2cfn.input.location import PositionMap, SourceLocation

INGRESS_API = "networking.k8s.io/v1"
INGRESS_CLASS_PARAMS_API = "elbv2.k8s.aws/v1beta1"
SUPPORTED_KINDS = {
    "Ingress": {INGRESS_API},
    "IngressClass": {INGRESS_API},
    "Service": {"v1"},
    "Namespace": {"v1"},
    "IngressClassParams": {INGRESS_CLASS_PARAMS_API},
}
# what the loader keeps (loader.parse_text `kinds`): every other document is skipped unconstructed
READ_KINDS = frozenset(SUPPORTED_KINDS) | {"List"}


@dataclass(frozen=True)
class Origin:
    """Where an object came from, and how to point into it."""

    loc: SourceLocation
    positions: PositionMap = field(compare=False, repr=False)

    def at(self, *parts: str | int) -> SourceLocation:
        return self.loc.at(*parts, positions=self.positions)


class PathType(Enum):
    EXACT = "Exact"
    PREFIX = "Prefix"
    IMPLEMENTATION_SPECIFIC = "ImplementationSpecific"


class ServiceBackend(msgspec.Struct, frozen=True):
    name: str
    port_name: str | None
    port_number: int | None

    @property
    def port_ref(self) -> str:
        """The port exactly as written in the Ingress backend."""
        return self.port_name if self.port_name is not None else str(self.port_number)


class IngressPath(msgspec.Struct, frozen=True):
    path: str
    path_type: PathType | None
    backend: ServiceBackend
    field: tuple[str | int, ...]  # field path inside the Ingress, for messages


class IngressRule(msgspec.Struct, frozen=True):
    host: str
    paths: tuple[IngressPath, ...]
    has_http: bool


class IngressTLS(msgspec.Struct, frozen=True):
    hosts: tuple[str, ...]
    secret_name: str | None


@dataclass(frozen=True)
class Ingress:
    namespace: str
    name: str
    annotations: dict[str, str] = field(hash=False)
    class_name: str | None
    default_backend: ServiceBackend | None
    rules: tuple[IngressRule, ...]
    tls: tuple[IngressTLS, ...]
    deleting: bool
    origin: Origin = field(compare=False, hash=False)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def describe(self) -> str:
        return f"Ingress {self.key}"

    # The one definition of an Ingress's hosts, used by ACM certificate discovery, the "HTTPS needs a
    # certificate" error, the ignored-spec.tls warning and lint's spec.tls check. Upstream
    # (model_build_listener.go computeIngressInferredTLSCertARNs) takes every non-empty
    # spec.rules[].host plus every spec.tls[].hosts entry, as a sorted set. An empty spec.tls host
    # cannot reach the controller (the API server validates each one as a DNS-1123 subdomain or a
    # wildcard), so an empty string here is treated like an absent host, exactly as an empty
    # rule host: it is never looked up in ACM and never shown. `spec.tls` without hosts still
    # counts as "has spec.tls" (`bool(self.tls)`).

    def tls_hosts(self) -> tuple[str, ...]:
        """The non-empty spec.tls[].hosts, sorted and unique."""
        return tuple(sorted({h for t in self.tls for h in t.hosts if h}))

    def hosts(self) -> tuple[str, ...]:
        """The non-empty spec.rules[].host and spec.tls[].hosts, sorted and unique: what ACM discovery matches."""
        return tuple(sorted({r.host for r in self.rules if r.host} | set(self.tls_hosts())))


class ServicePort(msgspec.Struct, frozen=True):
    name: str | None
    port: int
    target_port: int | str
    node_port: int | None
    protocol: str
    index: int


@dataclass(frozen=True)
class Service:
    namespace: str
    name: str
    uid: str | None
    annotations: dict[str, str] = field(hash=False)
    type: str
    ports: tuple[ServicePort, ...]
    ip_families: tuple[str, ...]
    origin: Origin = field(compare=False, hash=False)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def describe(self) -> str:
        return f"Service {self.key}"


@dataclass(frozen=True)
class IngressClass:
    name: str
    controller: str
    is_default: bool
    parameters: dict[str, Any] | None = field(hash=False)
    origin: Origin = field(compare=False, hash=False)


@dataclass(frozen=True)
class IngressClassParams:
    name: str
    spec: dict[str, Any] = field(hash=False)
    origin: Origin = field(compare=False, hash=False)


@dataclass(frozen=True)
class Namespace:
    name: str
    labels: dict[str, str] = field(hash=False)
    origin: Origin = field(compare=False, hash=False)


class Manifests(msgspec.Struct):
    ingresses: list[Ingress] = msgspec.field(default_factory=list)
    services: dict[str, Service] = msgspec.field(default_factory=dict)
    classes: dict[str, IngressClass] = msgspec.field(default_factory=dict)
    class_params: dict[str, IngressClassParams] = msgspec.field(default_factory=dict)
    namespaces: dict[str, Namespace] = msgspec.field(default_factory=dict)
    warnings: list[Diagnostic] = msgspec.field(default_factory=list)  # about the objects as read (legacy conversions)


# ---------------------------------------------------------------- field readers


class _Reader:
    """Typed access to one object's fields; errors name the object and the field."""

    def __init__(self, origin: Origin, what: str):
        self.origin = origin
        self.what = what

    def fail(self, path: tuple[str | int, ...], message: str) -> InputError:
        return InputError(message, self.origin.at(*path), self.what)

    def get(self, data: Any, path: tuple[str | int, ...], kind: type | tuple, required: bool = False, default: Any = None) -> Any:
        value = data
        for part in path:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                value = None
            if value is None:
                break
        if value is None:
            if required:
                raise self.fail(path, "required field is missing")
            return default
        if kind is int and isinstance(value, bool):
            raise self.fail(path, f"must be an integer, got {value!r}")
        if not isinstance(value, kind):
            names = {dict: "a mapping", list: "a list", str: "a string", int: "an integer", bool: "a boolean"}
            expected = " or ".join(names.get(k, k.__name__) for k in (kind if isinstance(kind, tuple) else (kind,)))
            if isinstance(value, dict):
                got = "a mapping" + (" (a list item needs a leading '- ')" if list in (kind if isinstance(kind, tuple) else (kind,)) else "")
            elif isinstance(value, list):
                got = "a list"
            else:
                got = f"{type(value).__name__} {value!r}"
            raise self.fail(path, f"must be {expected}, got {got}")
        return value

    def string_map(self, data: Any, path: tuple[str, ...]) -> dict[str, str]:
        raw = self.get(data, path, dict, default={})
        out: dict[str, str] = {}
        for key, value in raw.items():
            if not isinstance(value, str):
                # kubectl rejects non-string annotation/label values; YAML makes `true`/`80` non-strings
                raise self.fail(path + (str(key),), f"value must be a string (quote it): got {value!r}")
            out[str(key)] = value
        return out


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _describe(data: dict, kind: str, default_namespace: str | None) -> str:
    """'Kind ns/name' (namespaced, when default_namespace is given) or 'Kind name', for messages
    about objects that may still be malformed."""
    raw_meta = data.get("metadata")
    meta: dict = raw_meta if isinstance(raw_meta, dict) else {}
    name = meta.get("name")
    shown = str(name) if name not in (None, "") else "<no name>"
    if default_namespace is None:
        return f"{kind} {shown}"
    return f"{kind} {meta.get('namespace') or default_namespace}/{shown}"


def _meta(doc: Document, kind: str, default_namespace: str | None) -> tuple[Origin, str | None, str, _Reader]:
    """Namespaced kinds pass the default namespace; cluster-scoped ones None (and get None back)."""
    origin = Origin(doc.loc, doc.positions)
    reader = _Reader(origin, _describe(doc.data, kind, default_namespace))
    reader.get(doc.data, ("metadata",), dict, required=True)
    name = reader.get(doc.data, ("metadata", "name"), str, required=True)
    why = names.NAME_RULES[kind](name)
    if why is not None:
        raise reader.fail(("metadata", "name"), f"invalid {kind} name: {why}")
    namespace = None
    if default_namespace is not None:
        namespace = reader.get(doc.data, ("metadata", "namespace"), str, default=default_namespace)
        why = names.dns1123_label(namespace) if namespace else "must not be empty (leave it out for the default namespace)"
        if why is not None:
            raise reader.fail(("metadata", "namespace"), f"invalid namespace: {why}")
    return origin, namespace, name, reader


def _backend(r: _Reader, data: dict, path: tuple) -> ServiceBackend:
    backend = r.get(data, path, dict, required=True)
    if "resource" in backend:
        raise r.fail(path + ("resource",), 'missing required "service" field: resource backends are not supported by the AWS Load Balancer Controller')
    r.get(data, path + ("service",), dict, required=True)
    name = r.get(data, path + ("service", "name"), str, required=True)
    if not name:
        raise r.fail(path + ("service", "name"), "must not be empty: name the Service this path routes to")
    why = names.dns1035_label(name)
    if why is not None:
        raise r.fail(path + ("service", "name"), f"invalid Service name: {why}")
    port = r.get(data, path + ("service", "port"), dict, required=True)
    port_name = r.get(data, path + ("service", "port", "name"), str)
    port_number = r.get(data, path + ("service", "port", "number"), int)
    if (port_name is None) == (port_number is None):
        given = f"both are set: name {port_name!r}, number {port_number}" if port_name is not None else "neither is set"
        raise r.fail(path + ("service", "port"), f"exactly one of name and number must be set ({given})")
    if port_number is not None and not 1 <= port_number <= 65535:
        raise r.fail(path + ("service", "port", "number"), f"port must be within [1, 65535], got {port_number}")
    del port
    return ServiceBackend(name, port_name, port_number)


def parse_ingress(doc: Document, default_namespace: str) -> Ingress:
    origin, namespace, name, r = _meta(doc, "Ingress", default_namespace)
    assert namespace is not None
    data = doc.data
    annotations = r.string_map(data, ("metadata", "annotations"))
    r.string_map(data, ("metadata", "labels"))  # unused, but kubectl would refuse a bad one
    spec = r.get(data, ("spec",), dict, default={})
    class_name = r.get(data, ("spec", "ingressClassName"), str)
    default_backend = _backend(r, data, ("spec", "defaultBackend")) if spec.get("defaultBackend") is not None else None
    rules = []
    for i in range(len(r.get(data, ("spec", "rules"), list, default=[]))):
        base = ("spec", "rules", i)
        r.get(data, base, dict, required=True)
        host = r.get(data, base + ("host",), str, default="")
        why = names.rule_host(host) if host else None
        if why is not None:
            raise r.fail(base + ("host",), f"invalid host: {why}")
        http = r.get(data, base + ("http",), dict)
        paths = []
        if http is not None:
            for j, _ in enumerate(r.get(data, base + ("http", "paths"), list, required=True)):
                pbase = base + ("http", "paths", j)
                r.get(data, pbase, dict, required=True)
                path = r.get(data, pbase + ("path",), str, default="")
                raw_type = r.get(data, pbase + ("pathType",), str)
                path_type = None
                if raw_type is not None:
                    try:
                        path_type = PathType(raw_type)
                    except ValueError:
                        raise r.fail(
                            pbase + ("pathType",), f"unknown pathType for path {path}: {raw_type!r} (want Exact, Prefix or ImplementationSpecific)"
                        ) from None
                paths.append(IngressPath(path, path_type, _backend(r, data, pbase + ("backend",)), pbase))
        rules.append(IngressRule(host, tuple(paths), http is not None))
    tls = []
    for i, _ in enumerate(r.get(data, ("spec", "tls"), list, default=[])):
        r.get(data, ("spec", "tls", i), dict, required=True)
        hosts = r.get(data, ("spec", "tls", i, "hosts"), list, default=[])
        for j, h in enumerate(hosts):
            if not isinstance(h, str):
                raise r.fail(("spec", "tls", i, "hosts", j), "must be a string")
        tls.append(IngressTLS(tuple(hosts), r.get(data, ("spec", "tls", i, "secretName"), str)))
    deleting = r.get(data, ("metadata", "deletionTimestamp"), (str, object)) is not None
    return Ingress(namespace, name, annotations, class_name, default_backend, tuple(rules), tuple(tls), deleting, origin)


def _int_or_str(r: _Reader, data: dict, path: tuple) -> int | str | None:
    value = r.get(data, path, (int, str))
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


def _check_port(r: _Reader, value: int | None, path: tuple) -> None:
    """A port as the API server validates it: 1-65535 (0 is no port: ALB would get `Port: 0`)."""
    if value is not None and not 1 <= value <= 65535:
        raise r.fail(path, f"port must be within [1, 65535], got {value}")


def parse_service(doc: Document, default_namespace: str) -> Service:
    origin, namespace, name, r = _meta(doc, "Service", default_namespace)
    assert namespace is not None
    data = doc.data
    annotations = r.string_map(data, ("metadata", "annotations"))
    r.string_map(data, ("metadata", "labels"))
    uid = r.get(data, ("metadata", "uid"), str)
    r.get(data, ("spec",), dict, default={})
    svc_type = r.get(data, ("spec", "type"), str, default="ClusterIP")
    ports = []
    for i, _ in enumerate(r.get(data, ("spec", "ports"), list, default=[])):
        base = ("spec", "ports", i)
        r.get(data, base, dict, required=True)
        port = r.get(data, base + ("port",), int, required=True)
        _check_port(r, port, base + ("port",))
        target = _int_or_str(r, data, base + ("targetPort",))
        node_port = r.get(data, base + ("nodePort",), int)
        _check_port(r, node_port, base + ("nodePort",))
        if isinstance(target, int):
            _check_port(r, target, base + ("targetPort",))
        elif target is not None and not target:
            raise r.fail(base + ("targetPort",), "must not be empty: a port number or the name of a container port")
        ports.append(
            ServicePort(
                name=r.get(data, base + ("name",), str),
                port=port,
                target_port=port if target is None else target,
                node_port=node_port,
                protocol=r.get(data, base + ("protocol",), str, default="TCP"),
                index=i,
            )
        )
    families = tuple(r.get(data, ("spec", "ipFamilies"), list, default=[]))
    return Service(namespace, name, uid, annotations, svc_type, tuple(ports), families, origin)


def parse_ingress_class(doc: Document) -> IngressClass:
    origin, _, name, r = _meta(doc, "IngressClass", None)
    annotations = r.string_map(doc.data, ("metadata", "annotations"))
    controller = r.get(doc.data, ("spec", "controller"), str, default="")
    params = r.get(doc.data, ("spec", "parameters"), dict)
    is_default = annotations.get("ingressclass.kubernetes.io/is-default-class") == "true"
    return IngressClass(name, controller, is_default, params, origin)


def parse_ingress_class_params(doc: Document) -> IngressClassParams:
    origin, _, name, r = _meta(doc, "IngressClassParams", None)
    return IngressClassParams(name, r.get(doc.data, ("spec",), dict, default={}), origin)


def parse_namespace(doc: Document) -> Namespace:
    origin, _, name, r = _meta(doc, "Namespace", None)
    return Namespace(name, r.string_map(doc.data, ("metadata", "labels")), origin)


def _documents(docs: list[Document]):
    """Unpack `kind: List` items; each item keeps its position inside the list."""
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "List" and isinstance(doc.data.get("items"), list):
            for i, item in enumerate(doc.data["items"]):
                sub = doc.loc.at("items", i, positions=doc.positions)
                yield Document(item, sub, _SubPositions(doc.positions, ("items", i)))
        else:
            yield doc


class _SubPositions(PositionMap):
    def __init__(self, parent: PositionMap, prefix: tuple):
        self._parent = parent
        self._prefix = prefix

    def lookup(self, path):
        # paths of a List item are already prefixed by its location's path
        return self._parent.lookup(path if path[: len(self._prefix)] == self._prefix else self._prefix + path)


def _refuse_dynamic_references(doc: Document, kind: str, default_namespace: str) -> None:
    """No string of an object we read may carry `{{resolve:` (input/dynamic_references.py)."""
    found = [(path, dynamic_references.WHY) for path in dynamic_references.find(doc.data)]
    meta = doc.data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    for key, value in annotations.items() if isinstance(annotations, dict) else ():
        # a JSON annotation can spell it with escapes (\u007b\u007bresolve:): look at the decoded value too
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "[") and not dynamic_references.holds(value):
            try:
                decoded = json.loads(value)
            except (ValueError, RecursionError):
                continue  # not JSON: the annotation's own parser reports it when it is read
            inner = dynamic_references.find(decoded, limit=1)
            if inner:
                why = f"{dynamic_references.shown(inner[0])} (decoded from JSON) {dynamic_references.WHY}"
                found.append((("metadata", "annotations", key), why))
    if not found:
        return
    what = _describe(doc.data, kind, default_namespace if kind in ("Ingress", "Service") else None)
    errors = [InputError(why, doc.loc.at(*path, positions=doc.positions), what) for path, why in found]
    raise errors[0] if len(errors) == 1 else ErrorList(e.diagnostic for e in errors)


def parse_manifests(docs: list[Document], default_namespace: str = "default") -> Manifests:
    out = Manifests()
    seen: dict[tuple[str, str], SourceLocation] = {}
    for doc in _documents(docs):
        data = doc.data
        if not isinstance(data, dict):
            raise InputError(f"a Kubernetes object must be a mapping, got {type(data).__name__}", doc.loc)
        kind = data.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise InputError(f"kind must be a string, got {type(kind).__name__}", doc.loc.at("kind", positions=doc.positions))
        if kind not in SUPPORTED_KINDS:
            continue  # Deployments, ConfigMaps, ... are not ours
        _refuse_dynamic_references(doc, kind, default_namespace)
        api = data.get("apiVersion")
        if not isinstance(api, str):
            what = _describe(data, kind, default_namespace if kind in ("Ingress", "Service") else None)
            raise InputError(f"apiVersion must be a string, got {_type_name(api)}", doc.loc.at("apiVersion", positions=doc.positions), what)
        if kind == "Ingress" and api in LEGACY_INGRESS_APIS:
            converted, changes = legacy.convert(data)
            out.warnings.append(
                warning(
                    doc.loc.at("apiVersion", positions=doc.positions),
                    _describe(data, kind, default_namespace),
                    f"{api} Ingress (removed in Kubernetes 1.22) converted to {INGRESS_API} as the API server did"
                    + (f": {'; '.join(changes)}" if changes else "")
                    + f". Write apiVersion: {INGRESS_API}"
                    + (" with those v1 fields" if changes else "")
                    + " instead",
                )
            )
            doc = Document(converted, doc.loc, doc.positions)
            data, api = converted, INGRESS_API
        if api not in SUPPORTED_KINDS[kind]:
            want = " or ".join(sorted(SUPPORTED_KINDS[kind]))
            hint = (
                " (networking.k8s.io/v1beta1 IngressClasses were removed in Kubernetes 1.22; the v1 object has the same fields)"
                if kind == "IngressClass"
                else ""
            )
            what = _describe(data, kind, default_namespace if kind in ("Ingress", "Service") else None)
            raise InputError(f"{api!r} is not supported for {kind}: use {want}{hint}", doc.loc.at("apiVersion", positions=doc.positions), what)
        obj: Any
        if kind == "Ingress":
            obj = parse_ingress(doc, default_namespace)
            ident = obj.key
        elif kind == "Service":
            obj = parse_service(doc, default_namespace)
            ident = obj.key
        elif kind == "IngressClass":
            obj = parse_ingress_class(doc)
            ident = obj.name
        elif kind == "IngressClassParams":
            obj = parse_ingress_class_params(doc)
            ident = obj.name
        else:
            obj = parse_namespace(doc)
            ident = obj.name
        previous = seen.get((kind, ident))
        if previous is not None:
            raise InputError(
                f"defined twice: first at {previous.prefix()}, again here; each object may appear once in the input",
                obj.origin.loc,
                f"{kind} {ident}",
            )
        seen[(kind, ident)] = obj.origin.loc
        if kind == "Ingress":
            out.ingresses.append(obj)
        elif kind == "Service":
            out.services[ident] = obj
        elif kind == "IngressClass":
            out.classes[ident] = obj
        elif kind == "IngressClassParams":
            out.class_params[ident] = obj
        else:
            out.namespaces[ident] = obj
    out.ingresses.sort(key=lambda i: i.key)
    return out
