"""The load balancer model: frozen dataclasses between build and render. Values are final
(defaults applied); render only translates."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Protocol(Enum):
    HTTP = "HTTP"
    HTTPS = "HTTPS"


class TargetType(Enum):
    INSTANCE = "instance"
    IP = "ip"


@dataclass(frozen=True)
class Tag:
    key: str
    value: str


@dataclass(frozen=True)
class FixedResponse:
    status_code: str
    content_type: str = "text/plain"
    message_body: str | None = None


@dataclass(frozen=True)
class Redirect:
    status_code: str
    protocol: str | None = None
    port: str | None = None
    host: str | None = None
    path: str | None = None
    query: str | None = None


@dataclass(frozen=True)
class Forward:
    """Forward to target groups of this stack, no weights (the common case)."""

    target_group_ids: tuple[str, ...]  # logical ids of TargetGroups in the same stack


@dataclass(frozen=True)
class WeightedTarget:
    target_group_id: str | None = None  # logical id in this stack
    target_group_arn: str | None = None  # a target group made elsewhere
    weight: int | None = None


@dataclass(frozen=True)
class Stickiness:
    enabled: bool | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True)
class WeightedForward:
    """forwardConfig of an actions.* annotation: several targets, weights, stickiness."""

    targets: tuple[WeightedTarget, ...]
    stickiness: Stickiness | None = None


Action = FixedResponse | Redirect | Forward | WeightedForward  # issue-3 slices add auth / jwt actions


@dataclass(frozen=True)
class Condition:
    field: str  # host-header | path-pattern | http-header | http-request-method | query-string | source-ip
    values: tuple[str, ...] = ()
    regex_values: tuple[str, ...] = ()
    http_header_name: str | None = None
    query_strings: tuple[tuple[str | None, str], ...] = ()  # (key or None, value)


@dataclass(frozen=True)
class Rule:
    logical_id: str
    priority: int
    conditions: tuple[Condition, ...]
    actions: tuple[Action, ...]
    source: str  # "ns/name" of the Ingress
    tags: tuple[Tag, ...]
    origin_field: str  # spec.rules[i].http.paths[j] — for review output, not rendered


@dataclass(frozen=True)
class Listener:
    logical_id: str
    port: int
    protocol: Protocol
    ssl_policy: str | None
    default_certificate: str | None
    extra_certificates: tuple[str, ...]
    default_actions: tuple[Action, ...]
    rules: tuple[Rule, ...]
    sources: tuple[str, ...]
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class HealthCheck:
    port: str  # "traffic-port" or a number
    protocol: str
    path: str
    interval: int
    timeout: int
    healthy: int
    unhealthy: int
    matcher_field: str  # HttpCode | GrpcCode
    matcher: str


@dataclass(frozen=True)
class TargetGroup:
    logical_id: str
    name: str
    target_type: TargetType
    port: int
    protocol: str
    protocol_version: str
    ip_address_type: str  # ipv4 | ipv6
    health_check: HealthCheck
    attributes: tuple[tuple[str, str], ...]
    tags: tuple[Tag, ...]
    ingress: str  # ns/name
    service_namespace: str
    service_name: str
    port_ref: str  # as written in the Ingress backend
    node_port_rule: tuple[int, int]  # node/pod SG port range opened from the backend SG
    health_check_rule_port: int | None
    service_target_port: int | str  # for the TargetGroupBinding networking


@dataclass(frozen=True)
class SecurityGroupRule:
    port: int
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None


@dataclass(frozen=True)
class ManagedSecurityGroup:
    logical_id: str
    name: str
    rules: tuple[SecurityGroupRule, ...]
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class LoadBalancer:
    name: str
    scheme: str
    ip_address_type: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]  # explicit SGs (security-groups annotation)
    managed_security_group: ManagedSecurityGroup | None
    uses_backend_security_group: bool
    attributes: tuple[tuple[str, str], ...]
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class GroupStack:
    stack_name: str
    cluster: str
    group_id: str
    explicit: bool
    members: tuple[str, ...]  # ns/name in group order
    load_balancer: LoadBalancer
    listeners: tuple[Listener, ...]
    target_groups: tuple[TargetGroup, ...]
    vpc_id: str
    warnings: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class NodeRule:
    from_port: int
    to_port: int
    groups: tuple[str, ...]  # group ids needing it


@dataclass(frozen=True)
class ClusterStack:
    stack_name: str
    cluster: str
    vpc_id: str
    backend_security_group_name: str
    node_security_group_id: str | None
    rules: tuple[NodeRule, ...]
