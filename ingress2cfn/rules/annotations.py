"""THE annotation registry: every `alb.ingress.kubernetes.io/*` key, its type, default, where it is
read, how a group merges it, and whether ingress2cfn supports it yet. Build code asks this module for
typed values; nothing else parses annotation strings."""

from __future__ import annotations

import copy
import functools
import ipaddress
import json
import re
from collections.abc import Callable
from enum import Enum
from typing import Any

import msgspec

from ingress2cfn.input import jsontext
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.model.settings import DEFAULT_SCHEME, DEFAULT_TARGET_TYPE, SCHEMES
from ingress2cfn.model.stack import PROTOCOL_VERSIONS, PROTOCOLS, TARGET_TYPES

PREFIX = "alb.ingress.kubernetes.io/"
LEGACY_CLASS = "kubernetes.io/ingress.class"


class ValueType(Enum):
    STRING = "string"
    BOOL = "bool"
    INT32 = "int32"
    INT64 = "int64"
    STRING_LIST = "stringList"
    STRING_MAP = "stringMap"
    JSON = "json"


class Merge(Enum):
    EXCLUSIVE = "group-wide, one value"
    MERGED = "merged across the group"
    PER_PORT = "per listen port, one value"
    PER_INGRESS = "per Ingress"
    PER_TARGET_GROUP = "per target group (Service wins)"
    MEMBER = "per member"


ING = ("Ingress",)
ING_SVC = ("Ingress", "Service")


class Annotation(msgspec.Struct, frozen=True):
    key: str  # without PREFIX; a pattern key holds a ${placeholder}
    type: ValueType
    default: str | int  # an int is the typed default the builders read (`default_of`); a str may be prose
    read_from: tuple[str, ...]
    merge: Merge
    doc: str
    not_supported: str | None = None  # None = supported; else why not (yet)
    default_note: str = ""  # shown after the default in the table
    allowed: tuple[str, ...] = ()  # the closed set of values, when there is one

    @property
    def shown_default(self) -> str:
        return f"{self.default}{self.default_note}"

    @property
    def full_key(self) -> str:
        return PREFIX + self.key

    @property
    def is_pattern(self) -> bool:
        return "${" in self.key

    def matches(self, key: str) -> bool:
        if not self.is_pattern:
            return key == self.key
        return _pattern(self.key).fullmatch(key) is not None


def _pattern(key: str) -> re.Pattern:
    parts = re.split(r"\$\{[^}]+\}", key)
    # DOTALL: a name with a newline (an invalid Kubernetes name, but input) still matches its pattern
    return re.compile(".+".join(re.escape(p) for p in parts), re.DOTALL)


ACM_CREATION = (
    "not supported: the controller creates ACM certificates only behind its feature gate EnableCertificateManagement "
    "(off by default, lbc-semantics §4.7/§13); request the certificate in ACM (or with AWS::CertificateManager::Certificate) "
    "and set alb.ingress.kubernetes.io/certificate-arn"
)

REGISTRY: tuple[Annotation, ...] = (
    # --- IngressGroup (§3)
    Annotation("group.name", ValueType.STRING, "implicit group namespace/name", ING, Merge.MEMBER, "IngressGroup this Ingress joins"),
    Annotation("group.order", ValueType.INT32, "0", ING, Merge.MEMBER, "order within the group, -1000..1000, ties by namespace/name"),
    # --- load balancer (§4.1, §8, §9)
    Annotation("load-balancer-name", ValueType.STRING, "k8s-… hash (LBC formula)", ING, Merge.EXCLUSIVE, "ALB name, at most 32 characters"),
    Annotation("scheme", ValueType.STRING, DEFAULT_SCHEME, ING, Merge.EXCLUSIVE, " | ".join(SCHEMES), allowed=SCHEMES),
    Annotation("ip-address-type", ValueType.STRING, "ipv4", ING, Merge.EXCLUSIVE, "ipv4 | dualstack | dualstack-without-public-ipv4"),
    Annotation("subnets", ValueType.STRING_LIST, "discovery by role tags", ING, Merge.EXCLUSIVE, "subnet IDs or Name tags"),
    Annotation("security-groups", ValueType.STRING_LIST, "managed frontend SG", ING, Merge.EXCLUSIVE, "SG IDs or Name tags, attached as-is"),
    Annotation("inbound-cidrs", ValueType.STRING_LIST, "0.0.0.0/0 (+ ::/0 when dualstack)", ING, Merge.PER_PORT, "CIDRs allowed by the managed SG"),
    Annotation("tags", ValueType.STRING_MAP, "none", ING_SVC, Merge.MERGED, "extra tags; Service tags win on target groups"),
    Annotation("load-balancer-attributes", ValueType.STRING_MAP, "AWS defaults", ING, Merge.MERGED, "ALB attributes key=value"),
    Annotation(
        "manage-backend-security-group-rules",
        ValueType.BOOL,
        "false",
        ING,
        Merge.EXCLUSIVE,
        "with security-groups: true adds the backend SG to the ALB and opens the node ports in the cluster stack",
    ),
    Annotation(
        "customer-owned-ipv4-pool",
        ValueType.STRING,
        "none",
        ING,
        Merge.EXCLUSIVE,
        "Outposts CoIP pool",
        "not expressible in CloudFormation: AWS::ElasticLoadBalancingV2::LoadBalancer has no CustomerOwnedIpv4Pool property (only the ELBv2 API has it)",
    ),
    Annotation(
        "wafv2-acl-arn",
        ValueType.STRING,
        "no association",
        ING,
        Merge.EXCLUSIVE,
        "regional WAFv2 web ACL ARN → AWS::WAFv2::WebACLAssociation; none = no association",
    ),
    Annotation(
        "wafv2-acl-name",
        ValueType.STRING,
        "no association",
        ING,
        Merge.EXCLUSIVE,
        "WAFv2 web ACL by name: only none works offline (a name needs AWS); use wafv2-acl-arn",
    ),
    Annotation(
        "waf-acl-id",
        ValueType.STRING,
        "no association",
        ING,
        Merge.EXCLUSIVE,
        "WAF classic (regional) web ACL id → AWS::WAFRegional::WebACLAssociation; none = no association",
    ),
    Annotation("web-acl-id", ValueType.STRING, "no association", ING, Merge.EXCLUSIVE, "deprecated alias of waf-acl-id (read when waf-acl-id is absent)"),
    Annotation(
        "shield-advanced-protection",
        ValueType.BOOL,
        "no protection",
        ING,
        Merge.EXCLUSIVE,
        "true → AWS::Shield::Protection; false cannot remove a protection made outside the stack",
    ),
    Annotation("minimum-load-balancer-capacity", ValueType.STRING_MAP, "none", ING, Merge.EXCLUSIVE, "CapacityUnits=N → MinimumLoadBalancerCapacity"),
    Annotation("ipam-ipv4-pool-id", ValueType.STRING, "none", ING, Merge.EXCLUSIVE, "IPAM pool → Ipv4IpamPoolId"),
    Annotation(
        "security-group-prefix-lists",
        ValueType.STRING_LIST,
        "none",
        ING,
        Merge.PER_PORT,
        "prefix lists allowed by the managed SG; without inbound-cidrs no 0.0.0.0/0 default",
    ),
    # --- frontend NLB (§4.6; LBC pkg/ingress/model_build_frontend_nlb.go): read only when enable-frontend-nlb is true
    Annotation("enable-frontend-nlb", ValueType.BOOL, "false", ING, Merge.EXCLUSIVE, "NLB in front of the ALB, forwarding TCP to it"),
    Annotation(
        "frontend-nlb-scheme",
        ValueType.STRING,
        DEFAULT_SCHEME,
        ING,
        Merge.EXCLUSIVE,
        " | ".join(SCHEMES),
        default_note=" (controller default, not the ALB's)",
        allowed=SCHEMES,
    ),
    Annotation("frontend-nlb-subnets", ValueType.STRING_LIST, "discovery by role tags for the NLB scheme", ING, Merge.EXCLUSIVE, "subnet IDs or Name tags"),
    Annotation("frontend-nlb-security-groups", ValueType.STRING_LIST, "the ALB's security groups", ING, Merge.EXCLUSIVE, "SG IDs or Name tags"),
    Annotation("frontend-nlb-eip-allocations", ValueType.STRING_LIST, "none", ING, Merge.EXCLUSIVE, "EIP allocation per subnet, internet-facing only"),
    Annotation("frontend-nlb-attributes", ValueType.STRING_MAP, "AWS defaults", ING, Merge.EXCLUSIVE, "NLB attributes key=value"),
    Annotation("frontend-nlb-tags", ValueType.STRING_MAP, "the ALB's tags", ING, Merge.EXCLUSIVE, "NLB, NLB listener and NLB target group tags"),
    Annotation(
        "frontend-nlb-listener-port-mapping", ValueType.STRING_MAP, "each ALB listen port of the Ingress to itself", ING, Merge.MERGED, "nlbPort=albPort,..."
    ),
    Annotation("frontend-nlb-healthcheck-port", ValueType.STRING, "traffic-port", ING, Merge.PER_PORT, "per NLB port: traffic-port or a number"),
    Annotation("frontend-nlb-healthcheck-protocol", ValueType.STRING, "HTTP", ING, Merge.PER_PORT, "per NLB port: " + " | ".join(PROTOCOLS), allowed=PROTOCOLS),
    Annotation("frontend-nlb-healthcheck-path", ValueType.STRING, "/", ING, Merge.PER_PORT, "per NLB port: health check path"),
    Annotation("frontend-nlb-healthcheck-interval-seconds", ValueType.INT32, 15, ING, Merge.PER_PORT, "per NLB port: health check interval"),
    Annotation("frontend-nlb-healthcheck-timeout-seconds", ValueType.INT32, 5, ING, Merge.PER_PORT, "per NLB port: health check timeout"),
    Annotation(
        "frontend-nlb-healthcheck-healthy-threshold-count",
        ValueType.INT32,
        2,
        ING,
        Merge.PER_PORT,
        "per NLB port: healthy threshold",
        default_note=" (LBC code; its docs say 3)",
    ),
    Annotation(
        "frontend-nlb-healthcheck-unhealthy-threshold-count",
        ValueType.INT32,
        2,
        ING,
        Merge.PER_PORT,
        "per NLB port: unhealthy threshold",
        default_note=" (LBC code; its docs say 3)",
    ),
    Annotation("frontend-nlb-healthcheck-success-codes", ValueType.STRING, "200", ING, Merge.PER_PORT, "per NLB port: HTTP matcher codes"),
    Annotation("create-acm-cert", ValueType.BOOL, "false", ING, Merge.MERGED, "ACM certificate creation (LBC feature gate, off by default)", ACM_CREATION),
    Annotation("acm-pca-arn", ValueType.STRING, "none", ING, Merge.MERGED, "private CA for created certificates", ACM_CREATION),
    # --- listeners (§4.2, §5)
    Annotation(
        "listen-ports", ValueType.JSON, '[{"HTTP":80}] or [{"HTTPS":443}] with certificates', ING, Merge.MERGED, "listeners, JSON list of {PROTOCOL: port}"
    ),
    Annotation(
        "certificate-arn",
        ValueType.STRING_LIST,
        "none (ACM discovery with render --discover-certificates)",
        ING,
        Merge.MERGED,
        "ACM certificate ARNs; first = default",
    ),
    Annotation("ssl-policy", ValueType.STRING, "ELBSecurityPolicy-2016-08", ING, Merge.PER_PORT, "HTTPS listener security policy"),
    Annotation("ssl-redirect", ValueType.INT32, "off", ING, Merge.EXCLUSIVE, "redirect every HTTP listener to this HTTPS port"),
    Annotation("mutual-authentication", ValueType.JSON, "off", ING, Merge.PER_PORT, "mTLS per HTTPS port (off | passthrough | verify with a trust store ARN)"),
    Annotation(
        "listener-attributes.${protocol}-${port}",
        ValueType.STRING_MAP,
        "none",
        ING,
        Merge.MERGED,
        "listener attributes, merged key-wise per listener (e.g. listener-attributes.HTTPS-443)",
    ),
    # --- routing (§4.3, §6)
    Annotation("actions.${name}", ValueType.JSON, "none", ING, Merge.PER_INGRESS, "custom action for a use-annotation backend"),
    Annotation("conditions.${name}", ValueType.JSON, "none", ING, Merge.PER_INGRESS, "extra rule conditions"),
    Annotation("transforms.${name}", ValueType.JSON, "none", ING, Merge.PER_INGRESS, "URL / host rewrites"),
    Annotation("use-regex-path-match", ValueType.BOOL, "false", ING, Merge.PER_INGRESS, "regex path matching"),
    Annotation(
        "jwt-validation", ValueType.JSON, "none", ING, Merge.PER_INGRESS, "JWT validation {jwksEndpoint, issuer, additionalClaims}, HTTPS listeners only"
    ),
    # --- authentication (§4.5)
    # per rule: the Service wins when the rule forwards to exactly one Service; HTTPS listeners only
    Annotation("auth-type", ValueType.STRING, "none", ING_SVC, Merge.PER_INGRESS, "none | oidc | cognito (HTTPS listeners only)"),
    Annotation("auth-idp-cognito", ValueType.JSON, "none", ING_SVC, Merge.PER_INGRESS, "Cognito IdP {userPoolARN, userPoolClientID, userPoolDomain}"),
    Annotation(
        "auth-idp-oidc", ValueType.JSON, "none", ING_SVC, Merge.PER_INGRESS, "OIDC IdP; client id/secret from Secrets Manager <prefix><namespace>/<secretName>"
    ),
    Annotation("auth-on-unauthenticated-request", ValueType.STRING, "authenticate", ING_SVC, Merge.PER_INGRESS, "authenticate | allow | deny"),
    Annotation("auth-scope", ValueType.STRING, "openid", ING_SVC, Merge.PER_INGRESS, "IdP scope"),
    Annotation("auth-session-cookie", ValueType.STRING, "AWSELBAuthSessionCookie", ING_SVC, Merge.PER_INGRESS, "session cookie name"),
    Annotation("auth-session-timeout", ValueType.INT64, "604800", ING_SVC, Merge.PER_INGRESS, "session timeout, seconds"),
    # --- target groups (§4.4, §7)
    Annotation("target-type", ValueType.STRING, DEFAULT_TARGET_TYPE, ING_SVC, Merge.PER_TARGET_GROUP, " | ".join(TARGET_TYPES), allowed=TARGET_TYPES),
    Annotation("backend-protocol", ValueType.STRING, "HTTP", ING_SVC, Merge.PER_TARGET_GROUP, " | ".join(PROTOCOLS), allowed=PROTOCOLS),
    Annotation(
        "backend-protocol-version", ValueType.STRING, "HTTP1", ING_SVC, Merge.PER_TARGET_GROUP, " | ".join(PROTOCOL_VERSIONS), allowed=PROTOCOL_VERSIONS
    ),
    Annotation(
        "target-group-attributes", ValueType.STRING_MAP, "AWS defaults", ING_SVC, Merge.PER_TARGET_GROUP, "target group attributes (whole value, Service wins)"
    ),
    Annotation("healthcheck-port", ValueType.STRING, "traffic-port", ING_SVC, Merge.PER_TARGET_GROUP, "number, traffic-port or a Service port name"),
    Annotation("healthcheck-protocol", ValueType.STRING, "backend protocol", ING_SVC, Merge.PER_TARGET_GROUP, " | ".join(PROTOCOLS), allowed=PROTOCOLS),
    Annotation("healthcheck-path", ValueType.STRING, "/ (GRPC: /AWS.ALB/healthcheck)", ING_SVC, Merge.PER_TARGET_GROUP, "health check path"),
    Annotation("healthcheck-interval-seconds", ValueType.INT32, 15, ING_SVC, Merge.PER_TARGET_GROUP, "health check interval"),
    Annotation("healthcheck-timeout-seconds", ValueType.INT32, 5, ING_SVC, Merge.PER_TARGET_GROUP, "health check timeout"),
    Annotation("healthy-threshold-count", ValueType.INT32, 2, ING_SVC, Merge.PER_TARGET_GROUP, "healthy threshold"),
    Annotation("unhealthy-threshold-count", ValueType.INT32, 2, ING_SVC, Merge.PER_TARGET_GROUP, "unhealthy threshold"),
    Annotation("success-codes", ValueType.STRING, "200 (GRPC: 12)", ING_SVC, Merge.PER_TARGET_GROUP, "matcher codes"),
    Annotation(
        "target-node-labels",
        ValueType.STRING_MAP,
        "none",
        ING_SVC,
        Merge.PER_TARGET_GROUP,
        "TGB nodeSelector.matchLabels for instance targets (ignored for ip, with a warning)",
    ),
    Annotation(
        "multi-cluster-target-group",
        ValueType.BOOL,
        "false",
        ING_SVC,
        Merge.PER_TARGET_GROUP,
        "TGB multiClusterTargetGroup: true when set on the Ingress or the Service",
    ),
    Annotation(
        "target-control-port.${service}.${port}",
        ValueType.INT32,
        "none",
        ING_SVC,
        Merge.PER_TARGET_GROUP,
        "TargetControlPort for ip targets (port as referenced by the backend); enters the target group name",
    ),
)


_FOUND: tuple[tuple[Annotation, ...], dict[str, Annotation | None], tuple[Annotation, ...]] = ((), {}, ())


def find(key: str) -> Annotation | None:
    """The registry entry for a key without the prefix; exact keys win over patterns. Answers are
    memoised per REGISTRY object (tests may swap it), since build code asks thousands of times,
    for keys that embed a Service or action name among them (actions.<name>)."""
    global _FOUND
    registry, memo, patterns = _FOUND
    if registry is not REGISTRY:
        registry, patterns = REGISTRY, tuple(a for a in REGISTRY if a.is_pattern)
        memo = {}
        for a in reversed(registry):  # the first of equal keys wins
            if not a.is_pattern:
                memo[a.key] = a
        _FOUND = (registry, memo, patterns)
    if key not in memo:
        memo[key] = next((a for a in patterns if a.matches(key)), None)
    return memo[key]


def entry(key: str) -> Annotation:
    ann = find(key)
    if ann is None or ann.is_pattern:
        raise KeyError(key)
    return ann


def default_of(key: str) -> int:
    """The typed default of an int annotation, from its registry row (the one place it is written)."""
    default = entry(key).default
    if not isinstance(default, int):
        raise TypeError(f"{key} has no typed default")
    return default


def allowed_of(key: str) -> tuple[str, ...]:
    """The closed set of values of an annotation, from its registry row."""
    allowed = entry(key).allowed
    if not allowed:
        raise TypeError(f"{key} has no closed set of values")
    return allowed


def within(allowed: tuple[str, ...]) -> str:
    """`[HTTP, HTTPS]`: how the controller's messages list allowed values."""
    return f"[{', '.join(allowed)}]"


# ---------------------------------------------------------------- value grammars (§1)


class ValueError_(Exception):
    """A raw value that does not parse; the reader adds the location."""


_BOOL = {
    "1": True,
    "t": True,
    "T": True,
    "TRUE": True,
    "true": True,
    "True": True,
    "0": False,
    "f": False,
    "F": False,
    "FALSE": False,
    "false": False,
    "False": False,
}


def parse_bool(raw: str) -> bool:
    if raw not in _BOOL:
        raise ValueError_(f'strconv.ParseBool: parsing "{raw}": invalid syntax')
    return _BOOL[raw]


# Go's strconv.ParseInt(raw, 10, bits) syntax: an optional sign and decimal digits, nothing else
GO_INT = re.compile(r"[+-]?[0-9]+")
# the annotation keys `listener-attributes.${Protocol}-${Port}` (Protocol HTTP or HTTPS)
LISTENER_ATTRIBUTES = "listener-attributes."
LISTENER_ATTRIBUTES_KEY = re.compile(r"listener-attributes\.(HTTPS?)-([0-9]+)")


def in_int_range(value: int, bits: int = 32) -> bool:
    """Whether `value` fits a signed Go int of `bits` bits."""
    return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)


def is_go_cidr(value: str) -> bool:
    """Go's net.ParseCIDR: an address, "/" and a decimal prefix length (no bare IPs, no netmasks)."""
    if not re.fullmatch(r"[^/]+/[0-9]+", value):
        return False
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _parse_int(raw: str, bits: int) -> int:
    if not GO_INT.fullmatch(raw):
        raise ValueError_(f'failed to parse int{bits}: strconv.ParseInt: parsing "{raw}": invalid syntax')
    value = int(raw)
    if not in_int_range(value, bits):
        raise ValueError_(f'failed to parse int{bits}: strconv.ParseInt: parsing "{raw}": value out of range')
    return value


def parse_string_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_string_map(raw: str) -> dict[str, str]:
    # one pass, linear in len(raw): "is there a '=' after this comma" is "is this comma before the last '='"
    items: list[str] = []
    current: list[str] = []
    last_eq = raw.rfind("=")
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            current.append(raw[i + 1])
            i += 2
            continue
        if ch == "," and last_eq > i:
            items.append("".join(current))
            current = []
        elif ch == "," and raw[i + 1 :].strip():
            # text after a comma with no '=' later is its own (invalid) item, like LBC's splitKeyValuePairs
            items.extend(("".join(current), raw[i + 1 :].strip()))
            current = []
            break
        else:
            current.append(ch)
        i += 1
    if current:
        items.append("".join(current))
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError_(f"failed to parse stringMap annotation: {item.strip()!r} is not key=value (want k1=v1,k2=v2)")
        key, value = item.split("=", 1)
        key, value = key.strip(), value.strip()
        if not key:
            raise ValueError_(f"failed to parse stringMap annotation: {item.strip()!r} has an empty key (want k1=v1,k2=v2)")
        out[key] = value
    return out


def parse_json(raw: str) -> Any:
    try:
        return jsontext.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError_(f"failed to parse json annotation: {exc.msg} at char {exc.pos}") from None


PARSERS: dict[ValueType, Callable[[str], Any]] = {
    ValueType.STRING: lambda raw: raw,
    ValueType.BOOL: parse_bool,
    ValueType.INT32: lambda raw: _parse_int(raw, 32),
    ValueType.INT64: lambda raw: _parse_int(raw, 64),
    ValueType.STRING_LIST: parse_string_list,
    ValueType.STRING_MAP: parse_string_map,
    ValueType.JSON: parse_json,
}


# ---------------------------------------------------------------- readers


class Found(msgspec.Struct, frozen=True):
    """A parsed annotation value and where it was written."""

    value: Any
    raw: str
    loc: SourceLocation
    owner: str  # "Ingress ns/name" / "Service ns/name"


@functools.lru_cache(maxsize=256)
def _parse_once(value_type: ValueType, raw: str) -> Any:
    return PARSERS[value_type](raw)


def parse_value(value_type: ValueType, raw: str) -> Any:
    """PARSERS[value_type](raw), parsed once per distinct value: every target group, listener and
    rule of a group reads the same annotations again, and a value may be a megabyte long. Callers
    get their own copy of a container (flat for string lists and maps, deep for JSON)."""
    value = _parse_once(value_type, raw)
    if value_type is ValueType.JSON:
        return copy.deepcopy(value)
    return type(value)(value) if isinstance(value, (dict, list)) else value


class AnnotatedObject:
    """An object's annotations, read through the registry."""

    def __init__(self, annotations: dict[str, str], origin: Any, describe: str, kind: str):
        self.annotations = annotations
        self.origin = origin
        self.describe = describe
        self.kind = kind

    def loc(self, full_key: str) -> SourceLocation:
        return self.origin.at("metadata", "annotations", full_key)

    def error(self, key: str, message: str) -> InputError:
        return InputError(message, self.loc(PREFIX + key), self.describe)

    def get(self, key: str) -> Found | None:
        if "${" in key:
            return self._read(key, ValueType.STRING)
        # a concrete key of a pattern entry (actions.<name>) reads with that entry's type
        ann = find(key)
        if ann is None:
            raise KeyError(key)
        return self._read(key, ann.type)

    def get_typed(self, key: str, value_type: ValueType) -> Found | None:
        return self._read(key, value_type)

    def class_params_get(self, key: str) -> Found | None:
        """An IngressClassParams value replacing this key; only a member's view has one (class_params.py)."""
        return None

    def _read(self, key: str, value_type: ValueType) -> Found | None:
        full = PREFIX + key
        if full not in self.annotations:
            return None
        raw = self.annotations[full]
        try:
            value = parse_value(value_type, raw)
        except ValueError_ as exc:
            raise self.error(key, f"{exc} (value {raw!r})") from None
        return Found(value, raw, self.loc(full), self.describe)


def merged_get(key: str, service: AnnotatedObject | None, ingress: AnnotatedObject) -> Found | None:
    """svc-wins merge (§ Conventions): the Service's value, whole, else the Ingress's. IngressClassParams
    that replace the key beat both (§7.2 targetType)."""
    override = ingress.class_params_get(key)
    if override is not None:
        return override
    if service is not None:
        found = service.get(key)
        if found is not None:
            return found
    return ingress.get(key)


def check_keys(obj: AnnotatedObject, warnings: list[Diagnostic]) -> None:
    """Unsupported keys are errors, unknown keys warnings: nothing is silently ignored."""
    for full in sorted(obj.annotations):
        if not full.startswith(PREFIX):
            continue
        key = full[len(PREFIX) :]
        ann = find(key)
        if ann is None:
            warnings.append(warning(obj.loc(full), obj.describe, f"unknown annotation {full} is ignored (see `ingress2cfn annotations`)"))
            continue
        if obj.kind not in ann.read_from:
            warnings.append(warning(obj.loc(full), obj.describe, f"annotation {full} has no effect on a {obj.kind} (read from {', '.join(ann.read_from)})"))
            continue
        if ann.not_supported:
            raise obj.error(key, f"annotation {full} is {ann.not_supported}; remove it or render this Ingress with the AWS Load Balancer Controller")
