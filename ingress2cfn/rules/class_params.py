"""IngressClassParams (§2.1): every spec field, the annotation it stands in for, and the per-member
"effective annotations" view through which build code reads both.

One mechanism: `FIELDS` maps each field of the CRD (apis/elbv2/v1beta1/ingressclassparams_types.go)
to the registry key it feeds and a `Scope` saying whose params count and how they combine with the
annotation (replace, or merge with params winning per key). `parse()` validates a params object once
into `Found` values typed like the annotation they replace, located at the params field.
`EffectiveAnnotations` wraps a member's `AnnotatedObject`: `get(key)` answers from the params when
they set the field, so build code keeps calling `member.annotations.get(...)` and never knows.

Upstream facts this follows (pkg/ingress/*.go, uses of `IngClassParams`):
* a params field "is set" when non-empty (strings, lists) or present (pointer fields: group, scheme,
  ipAddressType, subnets, minimumLoadBalancerCapacity, ipamConfiguration.ipv4IPAMPoolId);
* loadBalancerAttributes, minimumLoadBalancerCapacity and ipamConfiguration come from the group's
  first member's params only; listeners[] from the first member listening on that port;
* targetType beats the Service's annotation too; tags merge (params win per key, also over the
  Service's tags on target groups);
* subnets are a selector (`ids` or `tags`), resolved by build/class_params_subnets.py.
"""

from __future__ import annotations

import difflib
import functools
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import msgspec
from msgspec.structs import replace

from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import IngressClassParams
from ingress2cfn.model.settings import SCHEMES
from ingress2cfn.model.stack import PROTOCOLS, TARGET_TYPES
from ingress2cfn.rules.annotations import (
    GO_INT,
    LISTENER_ATTRIBUTES,
    LISTENER_ATTRIBUTES_KEY,
    PREFIX,
    AnnotatedObject,
    Found,
    ValueType,
    find,
    in_int_range,
    is_go_cidr,
)
from ingress2cfn.rules.listen_ports import listen_ports

IP_ADDRESS_TYPES = ("ipv4", "dualstack", "dualstack-without-public-ipv4")
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
SUBNET_ID = re.compile(r"subnet-[0-9a-f]+")  # the CRD's pattern (unanchored, as Kubernetes applies it)


class Scope(Enum):
    MEMBER = "replaces the member's annotation"
    MEMBER_MERGED = "merged over the member's annotation, params win per key"
    FIRST_MEMBER = "first member's params replace the annotation of every member"
    FIRST_MEMBER_MERGED = "first member's params merged over every member's annotation, params win per key and settle conflicts"
    FIRST_ON_PORT_MERGED = "first member on the port: its params merged over every member's annotation, params win per key"
    CLASS = "restricts who may use the class"

    @property
    def replaces(self) -> bool:
        return self in (Scope.MEMBER, Scope.FIRST_MEMBER)

    @property
    def first_member(self) -> bool:
        return self in (Scope.FIRST_MEMBER, Scope.FIRST_MEMBER_MERGED, Scope.FIRST_ON_PORT_MERGED)


class SubnetSelector(msgspec.Struct, frozen=True):
    """spec.subnets: exactly one of ids / tags (tag key → accepted values)."""

    ids: tuple[str, ...] | None = None
    tags: tuple[tuple[str, tuple[str, ...]], ...] | None = None

    def describe(self) -> str:
        if self.ids is not None:
            return "ids [" + ", ".join(self.ids) + "]"
        return "tags {" + ", ".join(f"{k}: [{', '.join(v)}]" for k, v in self.tags or ()) + "}"


# ---------------------------------------------------------------- reading the spec


class _Spec:
    """Typed access to one IngressClassParams spec; errors are located at the field."""

    def __init__(self, params: IngressClassParams):
        self.params = params
        self.owner = f"IngressClassParams {params.name}"

    def loc(self, *path: str | int):
        return self.params.origin.at("spec", *path)

    def fail(self, path: tuple, message: str) -> InputError:
        return InputError(message, self.loc(*path), self.owner)

    def raw(self, *path: str | int) -> Any:
        value: Any = self.params.spec
        for part in path:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def typed(self, path: tuple, kind: type, what: str) -> Any:
        value = self.raw(*path)
        if value is None:
            return None
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            shown = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"
            hint = " (quote it)" if kind is str and isinstance(value, (int, float, bool)) else ""
            raise self.fail(path, f"must be {what}, got {shown}{hint}")
        return value

    def string(self, *path: str | int) -> str | None:
        return self.typed(path, str, "a string")

    def integer(self, *path: str | int) -> int | None:
        value = self.typed(path, int, "an integer")
        if value is not None and not -(2**31) <= value < 2**31:
            raise self.fail(path, f"must be an int32, got {value}")
        return value

    def strings(self, *path: str | int) -> list[str] | None:
        items = self.typed(path, list, "a list of strings")
        if items is None:
            return None
        for i in range(len(items)):
            if self.string(*path, i) is None:
                raise self.fail(path + (i,), "must be a string, got null")
        return items

    def mapping(self, path: tuple, known: tuple[str, ...]) -> dict | None:
        value = self.typed(path, dict, "a mapping")
        if value is not None:
            self.no_unknown(path, value, known)
        return value

    def no_unknown(self, path: tuple, value: dict, known: tuple[str, ...]) -> None:
        for key in sorted(map(str, value)):
            if key not in known:
                shown = ".".join(("spec",) + tuple(str(p) for p in path) + (key,))
                near = [k for k in known if k.lower() == key.lower()] or difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {near[0]}?" if near else f" (known: {', '.join(known)})"
                raise self.fail(path + (key,), f'unknown field "{shown}"{hint}')

    def key_values(self, *path: str | int) -> dict[str, str] | None:
        """[]{key, value} (tags, attributes) → dict; a later duplicate key wins, as in LBC's loop."""
        items = self.typed(path, list, "a list of {key, value}")
        if items is None:
            return None
        out: dict[str, str] = {}
        for i in range(len(items)):
            self.mapping(path + (i,), ("key", "value"))
            key, value = self.string(*path, i, "key"), self.string(*path, i, "value")
            for name, got in (("key", key), ("value", value)):
                if got is None:
                    raise self.fail(path + (i,), f"required field {name} is missing")
            assert key is not None and value is not None
            out[key] = value
        return out

    def found(self, value: Any, raw: str, *path: str | int) -> Found:
        return Found(value, raw, self.loc(*path), self.owner)


Parser = Callable[[_Spec], Any]


def _nonempty_string(name: str) -> Parser:
    def parse(s: _Spec) -> Found | None:
        value = s.string(name)
        return s.found(value, value, name) if value else None  # "" = not set (omitempty string)

    return parse


def _enum(name: str, allowed: tuple[str, ...], pointer: bool) -> Parser:
    def parse(s: _Spec) -> Found | None:
        value = s.string(name)
        if value is None or (value == "" and not pointer):
            return None
        if value not in allowed:
            shown = ", ".join(f'"{a}"' for a in allowed)
            raise s.fail((name,), f'Unsupported value: "{value}": supported values: {shown}')
        return s.found(value, value, name)

    return parse


def _string_list(name: str) -> Parser:
    def parse(s: _Spec) -> Found | None:
        items = s.strings(name)
        return s.found(list(items), ", ".join(items), name) if items else None  # empty list = not set

    return parse


def _key_values(name: str) -> Parser:
    def parse(s: _Spec) -> Found | None:
        items = s.key_values(name)
        return s.found(items, ",".join(f"{k}={v}" for k, v in items.items()), name) if items else None

    return parse


def _group(s: _Spec) -> Found | None:
    if s.mapping(("group",), ("name",)) is None:
        return None
    name = s.string("group", "name")
    if name is None:
        raise s.fail(("group",), "required field name is missing")
    return s.found(name, name, "group", "name")  # validated like the annotation (§3.2) in groups.group_of


def _ssl_redirect(s: _Spec) -> Found | None:
    raw = s.string("sslRedirectPort")
    if not raw:
        return None
    if not GO_INT.fullmatch(raw) or not in_int_range(int(raw)):
        # LBC's buildSSLRedirectConfig silently turns SSL redirect off for the whole group here
        raise s.fail(("sslRedirectPort",), f'sslRedirectPort must be a port number as a string, like "443" (got {raw!r})')
    return s.found(int(raw), raw, "sslRedirectPort")


def _inbound_cidrs(s: _Spec) -> Found | None:
    items = s.strings("inboundCIDRs")
    if not items:
        return None
    for i, cidr in enumerate(items):
        if not is_go_cidr(cidr):
            hint = ""
            try:
                ip = ipaddress.ip_address(cidr)
                hint = f' (did you mean "{cidr}/{32 if ip.version == 4 else 64}")'
            except ValueError:
                pass
            raise s.fail(("inboundCIDRs", i), f"invalid CIDR in IngressClassParams InboundCIDR {cidr}: invalid CIDR address: {cidr}{hint}")
    return s.found(list(items), ", ".join(items), "inboundCIDRs")


def _subnets(s: _Spec) -> Found | None:
    node = s.mapping(("subnets",), ("ids", "tags"))
    if node is None:
        return None
    # the admission webhook's checks (webhooks/elbv2/ingressclassparams_validator.go)
    if node.get("ids") is None and node.get("tags") is None:
        raise s.fail(("subnets",), "Required value: must have either `ids` or `tags`")
    if node.get("ids") is not None and node.get("tags") is not None:
        raise s.fail(("subnets", "tags"), "Forbidden: may not have both `ids` and `tags` set")
    if node.get("ids") is not None:
        ids = s.strings("subnets", "ids")
        if not ids:
            raise s.fail(("subnets", "ids"), "Invalid value: 0: spec.subnets.ids in body should have at least 1 items")
        for i, subnet_id in enumerate(ids):
            if not SUBNET_ID.search(subnet_id):
                raise s.fail(("subnets", "ids", i), f"Invalid value: \"{subnet_id}\": spec.subnets.ids[{i}] in body should match 'subnet-[0-9a-f]+'")
            if subnet_id in ids[:i]:
                raise s.fail(("subnets", "ids", i), f'Duplicate value: "{subnet_id}"')
        selector = SubnetSelector(ids=tuple(ids))
        return s.found(selector, selector.describe(), "subnets", "ids")
    tags_node = s.typed(("subnets", "tags"), dict, "a mapping of tag key to a list of values")
    if not tags_node:
        raise s.fail(("subnets", "tags"), "Required value: must have at least one tag key")
    tags = []
    for key in sorted(map(str, tags_node)):
        values = s.strings("subnets", "tags", key) or []
        for i, value in enumerate(values):
            if value in values[:i]:
                raise s.fail(("subnets", "tags", key, i), f'Duplicate value: "{value}"')
        tags.append((key, tuple(values)))
    selector = SubnetSelector(tags=tuple(tags))
    return s.found(selector, selector.describe(), "subnets", "tags")


def _subnets_by(kind: str) -> Parser:
    def parse(s: _Spec) -> Found | None:
        found = _subnets(s)
        if found is None or (found.value.ids is not None) != (kind == "ids"):
            return None
        return found

    return parse


def _listeners(s: _Spec) -> dict[tuple[str, int], Found] | None:
    items = s.typed(("listeners",), list, "a list of {protocol, port, listenerAttributes}")
    if not items:
        return None
    out: dict[tuple[str, int], Found] = {}
    for i in range(len(items)):
        s.mapping(("listeners", i), ("protocol", "port", "listenerAttributes"))
        protocol = s.string("listeners", i, "protocol") or ""
        port = s.integer("listeners", i, "port") or 0
        attrs = s.key_values("listeners", i, "listenerAttributes") or {}
        if protocol not in PROTOCOLS:
            raise s.fail(
                ("listeners", i, "protocol"), f"listener protocol must be HTTP or HTTPS (got {protocol!r}); it selects the listener whose attributes these are"
            )
        if not 1 <= port <= 65535:
            raise s.fail(("listeners", i, "port"), f"listener port must be within [1, 65535] (got {port})")
        # upstream takes the first entry for a protocol+port
        out.setdefault((protocol, port), s.found(attrs, ",".join(f"{k}={v}" for k, v in attrs.items()), "listeners", i, "listenerAttributes"))
    return out


def _capacity(s: _Spec) -> Found | None:
    if s.mapping(("minimumLoadBalancerCapacity",), ("capacityUnits",)) is None:
        return None
    units = s.integer("minimumLoadBalancerCapacity", "capacityUnits")
    if units is None:
        raise s.fail(("minimumLoadBalancerCapacity",), "required field capacityUnits is missing")
    return s.found({"CapacityUnits": str(units)}, f"CapacityUnits={units}", "minimumLoadBalancerCapacity", "capacityUnits")


def _ipam(s: _Spec) -> Found | None:
    if s.mapping(("ipamConfiguration",), ("ipv4IPAMPoolId",)) is None:
        return None
    pool = s.string("ipamConfiguration", "ipv4IPAMPoolId")
    return None if pool is None else s.found(pool, pool, "ipamConfiguration", "ipv4IPAMPoolId")


def _namespace_selector(s: _Spec) -> None:
    if s.mapping(("namespaceSelector",), ("matchLabels", "matchExpressions")) is None:
        return
    labels = s.typed(("namespaceSelector", "matchLabels"), dict, "a mapping of label to value") or {}
    for key in labels:
        s.string("namespaceSelector", "matchLabels", key)
    exprs = s.typed(("namespaceSelector", "matchExpressions"), list, "a list of {key, operator, values}") or []
    for i in range(len(exprs)):
        path = ("namespaceSelector", "matchExpressions", i)
        s.mapping(path, ("key", "operator", "values"))
        if s.string(*path, "key") is None:
            raise s.fail(path, "required field key is missing")
        operator = s.string(*path, "operator")
        if operator not in SELECTOR_OPERATORS:
            raise s.fail(path + ("operator",), f'Unsupported value: "{operator}": supported values: {", ".join(SELECTOR_OPERATORS)}')
        s.strings(*path, "values")
    return  # used by groups._class_params


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class ParamsField:
    path: str  # under spec
    type: str
    replaces: str | None  # registry key (without prefix) it stands in for
    scope: Scope
    doc: str
    parse: Parser = field(compare=False, repr=False)

    @property
    def top(self) -> str:
        return self.path.split(".", 1)[0]


FIELDS: tuple[ParamsField, ...] = (
    ParamsField("loadBalancerName", "string", "load-balancer-name", Scope.MEMBER, "ALB name", _nonempty_string("loadBalancerName")),
    ParamsField("group.name", "string", "group.name", Scope.MEMBER, "IngressGroup of every Ingress of the class", _group),
    ParamsField("scheme", " | ".join(SCHEMES), "scheme", Scope.MEMBER, "ALB scheme", _enum("scheme", SCHEMES, pointer=True)),
    ParamsField(
        "ipAddressType",
        " | ".join(IP_ADDRESS_TYPES),
        "ip-address-type",
        Scope.MEMBER,
        "ALB IP address type",
        _enum("ipAddressType", IP_ADDRESS_TYPES, pointer=True),
    ),
    ParamsField("subnets.ids", "[]subnet ID", "subnets", Scope.MEMBER, "explicit subnets (exactly one of ids / tags)", _subnets_by("ids")),
    ParamsField(
        "subnets.tags",
        "map tag key → []value",
        "subnets",
        Scope.MEMBER,
        "subnets of the VPC with every tag key at one of its values; then discovery's filters minus role tags",
        _subnets_by("tags"),
    ),
    ParamsField("certificateArn", "[]string", "certificate-arn", Scope.MEMBER, "ACM certificates", _string_list("certificateArn")),
    ParamsField("sslPolicy", "string", "ssl-policy", Scope.MEMBER, "HTTPS security policy", _nonempty_string("sslPolicy")),
    ParamsField("sslRedirectPort", "string (port)", "ssl-redirect", Scope.MEMBER, "redirect HTTP listeners to this HTTPS port", _ssl_redirect),
    ParamsField("inboundCIDRs", "[]CIDR", "inbound-cidrs", Scope.MEMBER, "CIDRs allowed by the managed SG", _inbound_cidrs),
    ParamsField(
        "prefixListsIDs", "[]string", "security-group-prefix-lists", Scope.MEMBER, "prefix lists allowed by the managed SG", _string_list("prefixListsIDs")
    ),
    ParamsField(
        "PrefixListsIDs",
        "[]string",
        "security-group-prefix-lists",
        Scope.MEMBER,
        "legacy spelling of prefixListsIDs (used when that is empty)",
        _string_list("PrefixListsIDs"),
    ),
    ParamsField("tags", "[]{key, value}", "tags", Scope.MEMBER_MERGED, "tags; also beat the Service's tags on target groups", _key_values("tags")),
    ParamsField(
        "targetType",
        " | ".join(TARGET_TYPES),
        "target-type",
        Scope.MEMBER,
        "target type; beats the Service's annotation too",
        _enum("targetType", TARGET_TYPES, pointer=False),
    ),
    ParamsField(
        "loadBalancerAttributes",
        "[]{key, value}",
        "load-balancer-attributes",
        Scope.FIRST_MEMBER_MERGED,
        "ALB attributes",
        _key_values("loadBalancerAttributes"),
    ),
    ParamsField(
        "listeners",
        "[]{protocol, port, listenerAttributes []{key, value}}",
        "listener-attributes.${protocol}-${port}",
        Scope.FIRST_ON_PORT_MERGED,
        "listener attributes per protocol+port (creates no listener)",
        _listeners,
    ),
    ParamsField("minimumLoadBalancerCapacity.capacityUnits", "int32", "minimum-load-balancer-capacity", Scope.FIRST_MEMBER, "LCU reservation", _capacity),
    ParamsField("ipamConfiguration.ipv4IPAMPoolId", "string", "ipam-ipv4-pool-id", Scope.FIRST_MEMBER, "IPAM pool for the ALB's IPv4 addresses", _ipam),
    ParamsField("wafv2AclArn", "string", "wafv2-acl-arn", Scope.MEMBER, "WAFv2 web ACL", _nonempty_string("wafv2AclArn")),
    ParamsField("wafv2AclName", "string", "wafv2-acl-name", Scope.MEMBER, "WAFv2 web ACL by name", _nonempty_string("wafv2AclName")),
    ParamsField("namespaceSelector", "LabelSelector", None, Scope.CLASS, "namespaces whose Ingresses may use the class", _namespace_selector),
)

TOP_LEVEL = tuple(dict.fromkeys(f.top for f in FIELDS))


@functools.cache
def fields_for(key: str) -> tuple[ParamsField, ...]:
    """The params fields standing in for a registry key (a concrete `listener-attributes.HTTP-80` too).
    Memoised: FIELDS is a constant."""
    out = []
    for f in FIELDS:
        if f.replaces is None:
            continue
        if f.replaces == key or ("${" in f.replaces and key.startswith(LISTENER_ATTRIBUTES) and f.replaces.startswith(LISTENER_ATTRIBUTES)):
            out.append(f)
    return tuple(out)


def unsupported_reason(f: ParamsField) -> str | None:
    ann = find(f.replaces) if f.replaces else None
    return ann.not_supported if ann is not None else None


def as_table() -> list[dict[str, str]]:
    rows = []
    for f in FIELDS:
        reason = unsupported_reason(f)
        rows.append(
            {
                "field": f"spec.{f.path}",
                "type": f.type,
                "replaces": PREFIX + f.replaces if f.replaces else "—",
                "scope": f.scope.value,
                "supported": "yes" if reason is None else f"no: {reason}",
                "doc": f.doc,
            }
        )
    return rows


def field_for_annotation(key: str) -> str:
    """`spec.scheme` / `spec.subnets.ids, spec.subnets.tags` for the `ingress2cfn annotations` column."""
    fields = [f for f in FIELDS if f.replaces == key]
    return ", ".join(f"spec.{f.path}" for f in fields)


# ---------------------------------------------------------------- parsed params


@dataclass(frozen=True)
class ParsedParams:
    params: IngressClassParams = field(compare=False)
    by_key: dict[str, Found] = field(compare=False, hash=False)
    listeners: dict[tuple[str, int], Found] = field(compare=False, hash=False)
    set_fields: tuple[ParamsField, ...] = field(compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.params.name

    def value_for(self, key: str) -> Found | None:
        if key.startswith(LISTENER_ATTRIBUTES):
            match = LISTENER_ATTRIBUTES_KEY.fullmatch(key)
            return self.listeners.get((match.group(1), int(match.group(2)))) if match else None
        return self.by_key.get(key)


def parse(params: IngressClassParams) -> ParsedParams:
    """Validate every field (unknown fields, types, LBC's and the CRD's/webhook's checks)."""
    s = _Spec(params)
    spec = params.spec
    if not isinstance(spec, dict):
        raise InputError("must be a mapping", params.origin.at("spec"), s.owner)
    s.no_unknown((), spec, TOP_LEVEL)
    if spec.get("prefixListsIDs") is not None and spec.get("PrefixListsIDs") is not None:
        raise s.fail(("PrefixListsIDs",), "cannot specify both 'prefixListsIDs' and 'PrefixListsIDs' fields")
    by_key: dict[str, Found] = {}
    listeners: dict[tuple[str, int], Found] = {}
    set_fields = []
    for f in FIELDS:
        result = f.parse(s)
        if not result:
            continue
        if isinstance(result, dict):
            listeners = result
        elif f.replaces is not None:
            if f.replaces in by_key:
                continue  # PrefixListsIDs counts only when prefixListsIDs is empty
            by_key[f.replaces] = result
        set_fields.append(f)
        reason = unsupported_reason(f)
        if reason is not None:
            raise s.fail(
                tuple(f.path.split(".")[:1]),
                f"IngressClassParams field spec.{f.path} is {reason}: it stands in for annotation {PREFIX}{f.replaces}; "
                "remove it or render with the AWS Load Balancer Controller",
            )
    return ParsedParams(params, by_key, listeners, tuple(set_fields))


# ---------------------------------------------------------------- the per-member view


class GroupParams:
    """Shared by the views of one group's members, to find the first member (and first on a port)."""

    def __init__(self) -> None:
        self.members: tuple = ()  # groups.Member, in group order
        self._ports: list[set[int]] | None = None
        self.has_params = False  # any member with IngressClassParams (most groups: none, no key needs a look)

    def first(self) -> ParsedParams | None:
        return self.members[0].annotations.parsed if self.members else None

    def first_on_port(self, port: int) -> ParsedParams | None:
        if self._ports is None:
            self._ports = [set(listen_ports(m.annotations)) for m in self.members]
        for member, ports in zip(self.members, self._ports):
            if port in ports:
                return member.annotations.parsed
        return None


class EffectiveAnnotations(AnnotatedObject):
    """A member's annotations as LBC sees them with its class's IngressClassParams (see module doc).
    `loc` / `error` still point at the Ingress's own annotations; use `Found.loc` for values."""

    def __init__(self, base: AnnotatedObject, parsed: ParsedParams | None, group: GroupParams | None = None):
        super().__init__(base.annotations, base.origin, base.describe, base.kind)
        self.base = base
        self.parsed = parsed
        self.group = group

    def _source(self, f: ParamsField, key: str) -> ParsedParams | None:
        if not f.scope.first_member:
            return self.parsed
        if self.group is None:
            return self.parsed
        if f.scope is Scope.FIRST_ON_PORT_MERGED:
            match = LISTENER_ATTRIBUTES_KEY.fullmatch(key)
            return self.group.first_on_port(int(match.group(2))) if match else None
        return self.group.first()

    def contribution(self, key: str) -> tuple[Scope, Found] | None:
        """What the params give for `key`, and how it combines with the annotation; None = nothing."""
        if self.parsed is None and (self.group is None or not self.group.has_params):
            return None  # every source below would be None
        for f in fields_for(key):
            source = self._source(f, key)
            found = source.value_for(key) if source is not None else None
            if found is not None:
                return f.scope, found
        return None

    def class_params_get(self, key: str) -> Found | None:
        contribution = self.contribution(key)
        if contribution is not None and contribution[0].replaces:
            return contribution[1]
        return None

    def get(self, key: str) -> Found | None:
        contribution = self.contribution(key)
        if contribution is None:  # most keys: no params field stands in for them
            return AnnotatedObject.get(self, key)
        return self._effective(contribution, lambda: AnnotatedObject.get(self, key), None)

    def get_typed(self, key: str, value_type: ValueType) -> Found | None:
        contribution = self.contribution(key)
        if contribution is None:
            return AnnotatedObject.get_typed(self, key, value_type)
        return self._effective(contribution, lambda: AnnotatedObject.get_typed(self, key, value_type), value_type)

    def _effective(self, contribution: tuple[Scope, Found], read_own: Callable[[], Found | None], value_type: ValueType | None) -> Found | None:
        scope, found = contribution
        if value_type is ValueType.STRING and not isinstance(found.value, str):
            found = replace(found, value=found.raw)
        if scope.replaces:
            return found  # the annotation is ignored, not even parsed (LBC)
        own = read_own()
        if own is None or not isinstance(own.value, dict) or not isinstance(found.value, dict):
            return found if own is None else own
        merged = {**own.value, **found.value}
        raw = ",".join(f"{k}={v}" for k, v in merged.items())
        if all(own.value.get(k) == v for k, v in found.value.items()):
            return replace(own, value=merged, raw=raw)
        return Found(merged, raw, own.loc, f"{own.owner} (with {found.owner} {found.loc.field_path})")


def params_tags(obj: AnnotatedObject) -> dict[str, str]:
    """The member's params tags: they beat the Service's tags on target groups too (§10)."""
    if isinstance(obj, EffectiveAnnotations):
        contribution = obj.contribution("tags")
        if contribution is not None:
            return dict(contribution[1].value)
    return {}


# ---------------------------------------------------------------- group binding and warnings


def bind_group(members: list, warnings: list[Diagnostic]) -> list:
    """Members (in group order) whose views know the group (first member, first member on a port)."""
    ctx = GroupParams()
    bound = []
    for m in members:
        view = m.annotations if isinstance(m.annotations, EffectiveAnnotations) else EffectiveAnnotations(m.annotations, None)
        bound.append(replace(m, annotations=EffectiveAnnotations(view.base, view.parsed, ctx)))
    ctx.members = tuple(bound)
    ctx.has_params = any(m.annotations.parsed is not None for m in bound)
    _warn_ignored(ctx, warnings)
    return bound


def _warn_ignored(ctx: GroupParams, warnings: list[Diagnostic]) -> None:
    first = ctx.first()
    replaced_keys = tuple(dict.fromkeys(f.replaces for f in FIELDS if f.replaces and f.scope.replaces))
    for index, member in enumerate(ctx.members):
        view: EffectiveAnnotations = member.annotations
        # an annotation that the params replace (this member's, or the first member's) is ignored
        for key in replaced_keys:
            full = PREFIX + key
            if full in view.annotations and (found := view.class_params_get(key)) is not None:
                warnings.append(
                    warning(
                        view.loc(full),
                        view.describe,
                        f"annotation {full} is ignored: {found.owner} sets {found.loc.field_path} ({found.loc.prefix()}), which replaces it",
                        (found.loc,),
                    )
                )
        # first-member-only fields on the params of a later member do nothing
        parsed = view.parsed
        if index == 0 or parsed is None or (first is not None and first.name == parsed.name):
            continue
        for f in parsed.set_fields:
            if f.scope in (Scope.FIRST_MEMBER, Scope.FIRST_MEMBER_MERGED):
                warnings.append(
                    warning(
                        parsed.params.origin.at("spec", f.top),
                        f"IngressClassParams {parsed.name}",
                        f"spec.{f.path} is ignored for {view.describe}: LBC reads it from the group's first member only ({ctx.members[0].ingress.describe})",
                    )
                )
