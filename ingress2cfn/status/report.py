"""What `ingress2cfn status` knows about one deployed stack: typed, frozen, built by `assemble` from
the AWS reads and judged by `judge`; the renderers and the Ingress status write-back read it."""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1

# ELBv2 target states counted per target group. `unhealthy.draining` counts as unhealthy.
TARGET_STATES = ("healthy", "unhealthy", "initial", "draining", "unused", "unavailable")


@dataclass(frozen=True)
class Event:
    timestamp: str  # ISO 8601
    logical_id: str
    resource_type: str
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class StackState:
    name: str
    status: str | None  # None: the stack does not exist
    reason: str | None = None  # StackStatusReason
    last_event: Event | None = None
    failure: Event | None = None  # the failing resource of the last operation (root cause first)


@dataclass(frozen=True)
class Listener:
    port: int
    protocol: str
    arn: str


@dataclass(frozen=True)
class LoadBalancer:
    logical_id: str
    name: str
    arn: str
    type: str  # application | network
    dns_name: str
    scheme: str
    state: str
    listeners: tuple[Listener, ...] = ()


@dataclass(frozen=True)
class Target:
    id: str
    port: int | None
    state: str
    reason: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class TargetGroup:
    logical_id: str
    name: str
    arn: str
    protocol: str | None
    port: int | None
    target_type: str | None
    service: str | None  # "ns/svc:port" from the template's Metadata.ingress2cfn
    serving: bool  # a listener or rule of a load balancer forwards to it
    counts: tuple[tuple[str, int], ...]  # (state, n) for every TARGET_STATES entry, in that order
    unhealthy: tuple[Target, ...] = ()

    def count(self, state: str) -> int:
        return dict(self.counts).get(state, 0)


@dataclass(frozen=True)
class GroupStatus:
    stack: StackState
    group: str | None = None  # None: the cluster stack, or a stack without ingress2cfn metadata
    members: tuple[str, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    target_groups: tuple[TargetGroup, ...] = ()


@dataclass(frozen=True)
class Report:
    groups: tuple[GroupStatus, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems
