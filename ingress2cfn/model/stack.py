"""The load balancer model: frozen records (msgspec Structs) between build and render. Values are final
(defaults applied); render only translates."""

from __future__ import annotations

from enum import Enum

import msgspec


class Protocol(Enum):
    HTTP = "HTTP"
    HTTPS = "HTTPS"


class TargetType(Enum):
    INSTANCE = "instance"
    IP = "ip"


PROTOCOLS = tuple(p.value for p in Protocol)  # of ALB listeners, target groups and health checks
TARGET_TYPES = tuple(t.value for t in TargetType)
PROTOCOL_VERSIONS = ("HTTP1", "HTTP2", "GRPC")  # backend-protocol-version


class Tag(msgspec.Struct, frozen=True):
    key: str
    value: str


class FixedResponse(msgspec.Struct, frozen=True):
    status_code: str
    content_type: str | None = "text/plain"  # None: an actions.* fixedResponseConfig without contentType
    message_body: str | None = None


class Redirect(msgspec.Struct, frozen=True):
    status_code: str
    protocol: str | None = None
    port: str | None = None
    host: str | None = None
    path: str | None = None
    query: str | None = None


class Forward(msgspec.Struct, frozen=True):
    """Forward to target groups of this stack, no weights (the common case)."""

    target_group_ids: tuple[str, ...]  # logical ids of TargetGroups in the same stack


class WeightedTarget(msgspec.Struct, frozen=True):
    target_group_id: str | None = None  # logical id in this stack
    target_group_arn: str | None = None  # a target group made elsewhere
    weight: int | None = None


class Stickiness(msgspec.Struct, frozen=True):
    enabled: bool | None = None
    duration_seconds: int | None = None


class WeightedForward(msgspec.Struct, frozen=True):
    """forwardConfig of an actions.* annotation: several targets, weights, stickiness."""

    targets: tuple[WeightedTarget, ...]
    stickiness: Stickiness | None = None


class AuthenticateOidc(msgspec.Struct, frozen=True):
    """authenticate-oidc (§4.5). client_id / client_secret are CloudFormation dynamic references
    into Secrets Manager (build/auth.py), never values read from a Kubernetes Secret."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    user_info_endpoint: str
    client_id: str
    client_secret: str
    on_unauthenticated_request: str
    scope: str
    session_cookie_name: str
    session_timeout: int
    extra_params: tuple[tuple[str, str], ...] = ()


class AuthenticateCognito(msgspec.Struct, frozen=True):
    user_pool_arn: str
    user_pool_client_id: str
    user_pool_domain: str
    on_unauthenticated_request: str
    scope: str
    session_cookie_name: str
    session_timeout: int
    extra_params: tuple[tuple[str, str], ...] = ()


class JwtClaim(msgspec.Struct, frozen=True):
    name: str
    format: str  # single-string | string-array | space-separated-values
    values: tuple[str, ...]


class JwtValidation(msgspec.Struct, frozen=True):
    jwks_endpoint: str
    issuer: str
    additional_claims: tuple[JwtClaim, ...] = ()


Action = FixedResponse | Redirect | Forward | WeightedForward | AuthenticateOidc | AuthenticateCognito | JwtValidation  # issue-3 slices add more


class Condition(msgspec.Struct, frozen=True):
    field: str  # host-header | path-pattern | http-header | http-request-method | query-string | source-ip
    values: tuple[str, ...] = ()
    regex_values: tuple[str, ...] = ()
    http_header_name: str | None = None
    query_strings: tuple[tuple[str | None, str], ...] = ()  # (key or None, value)


class Rewrite(msgspec.Struct, frozen=True):
    regex: str
    replace: str


class Transform(msgspec.Struct, frozen=True):
    """transforms.<name> (§6.4): a ListenerRule Transform."""

    type: str  # url-rewrite | host-header-rewrite
    rewrites: tuple[Rewrite, ...]


class Rule(msgspec.Struct, frozen=True):
    logical_id: str
    priority: int
    conditions: tuple[Condition, ...]
    actions: tuple[Action, ...]
    source: str  # "ns/name" of the Ingress
    tags: tuple[Tag, ...]
    origin_field: str  # spec.rules[i].http.paths[j] — for review output, not rendered
    transforms: tuple[Transform, ...] = ()


class MutualAuthentication(msgspec.Struct, frozen=True):
    """mutual-authentication for one HTTPS listener (build/listener_extras.py)."""

    mode: str  # off | passthrough | verify
    trust_store_arn: str | None = None
    ignore_client_certificate_expiry: bool | None = None
    advertise_trust_store_ca_names: str | None = None  # on | off


class Listener(msgspec.Struct, frozen=True):
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
    attributes: tuple[tuple[str, str], ...] = ()  # listener-attributes.${Protocol}-${Port}, sorted by key
    mutual_authentication: MutualAuthentication | None = None


class HealthCheck(msgspec.Struct, frozen=True):
    port: str  # "traffic-port" or a number
    protocol: str
    path: str
    interval: int
    timeout: int
    healthy: int
    unhealthy: int
    matcher_field: str  # HttpCode | GrpcCode
    matcher: str


class TargetGroup(msgspec.Struct, frozen=True):
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
    # §4.4 / §7.3 extras (build/binding_extras.py)
    target_control_port: int | None = None  # ip only; in the name hash, TargetControlPort, node rule, TGB networking
    node_selector: tuple[tuple[str, str], ...] = ()  # instance only: TGB nodeSelector.matchLabels (target-node-labels)
    multi_cluster: bool = False  # TGB multiClusterTargetGroup (multi-cluster-target-group on Ingress or Service)


ANYWHERE_IPV4 = "0.0.0.0/0"
ANYWHERE_IPV6 = "::/0"


class SecurityGroupRule(msgspec.Struct, frozen=True):
    port: int
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    prefix_list_id: str | None = None  # security-group-prefix-lists


class ManagedSecurityGroup(msgspec.Struct, frozen=True):
    logical_id: str
    name: str
    rules: tuple[SecurityGroupRule, ...]
    tags: tuple[Tag, ...]


class LoadBalancer(msgspec.Struct, frozen=True):
    name: str
    scheme: str
    ip_address_type: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]  # explicit SGs (security-groups annotation)
    managed_security_group: ManagedSecurityGroup | None
    uses_backend_security_group: bool
    attributes: tuple[tuple[str, str], ...]
    tags: tuple[Tag, ...]
    # add-ons and settings (build/addons.py); None / False = not in the stack
    ipv4_ipam_pool_id: str | None = None
    minimum_capacity_units: int | None = None
    wafv2_acl_arn: str | None = None
    waf_regional_acl_id: str | None = None
    shield_protection: bool = False


class FrontendNlbListener(msgspec.Struct, frozen=True):
    """One TCP listener of the frontend NLB and its `alb`-type target group (build/frontend_nlb.py)."""

    logical_id: str
    port: int  # NLB listener port
    target_group_id: str
    target_group_name: str
    alb_port: int  # the ALB listener the target group registers (TG port = this, as AWS requires)
    alb_listener_id: str  # logical id of that ALB listener (DependsOn)
    health_check: HealthCheck
    tags: tuple[Tag, ...]  # listener
    target_group_tags: tuple[Tag, ...]
    sources: tuple[str, ...]  # ns/name of the Ingresses mapping this port


class FrontendNlb(msgspec.Struct, frozen=True):
    """§4.6: a network load balancer in the group stack whose listeners forward to the ALB."""

    logical_id: str
    name: str
    scheme: str
    ip_address_type: str
    subnet_mappings: tuple[tuple[str, str | None], ...]  # (subnet id, EIP allocation id or None)
    security_group_ids: tuple[str, ...]  # frontend-nlb-security-groups, resolved
    uses_alb_security_groups: bool  # no frontend-nlb-security-groups: the ALB's own list
    attributes: tuple[tuple[str, str], ...]
    tags: tuple[Tag, ...]
    listeners: tuple[FrontendNlbListener, ...]


class GroupStack(msgspec.Struct, frozen=True):
    stack_name: str
    cluster: str
    group_id: str
    explicit: bool
    members: tuple[str, ...]  # ns/name in group order
    load_balancer: LoadBalancer
    listeners: tuple[Listener, ...]
    target_groups: tuple[TargetGroup, ...]
    vpc_id: str
    frontend_nlb: FrontendNlb | None = None  # enable-frontend-nlb (§4.6)
    shard: int | None = None  # --split-by-quota: this stack is shard N of its group
    shard_units: tuple[str, ...] = ()  # hosts (and ingress:<ns/name>) placed on this shard


class NodeRule(msgspec.Struct, frozen=True):
    from_port: int
    to_port: int
    groups: tuple[str, ...]  # group ids needing it


class ClusterStack(msgspec.Struct, frozen=True):
    stack_name: str
    cluster: str
    vpc_id: str
    backend_security_group_name: str
    node_security_group_id: str | None
    rules: tuple[NodeRule, ...]
