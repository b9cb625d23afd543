"""Family 2: the load balancer and its listeners — priorities, protocols, security policies and
attribute keys that cfn-lint 1.58 does not check on ALB templates."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ingress2cfn.lint.checks.context import (
    ALB_PROTOCOLS,
    LISTENER,
    RULE,
    CheckContext,
    Resource,
    as_dict,
    as_int,
    as_list,
    as_str,
    describe,
    describe_lb,
    describe_listener,
)
from ingress2cfn.lint.checks.known_values import (
    ALB_LISTENER_ATTRIBUTES,
    ALB_LOAD_BALANCER_ATTRIBUTES,
    ALB_SSL_POLICIES,
)
from ingress2cfn.lint.findings import Finding


def duplicate_priority(ctx: CheckContext) -> Iterator[Finding]:
    by_listener: dict[str, dict[int, list[Resource]]] = {}
    for rule in ctx.index.of_type(RULE):
        key = ctx.index.listener_key(rule)
        prio = as_int(rule.properties.get("Priority"))
        if key is not None and prio is not None:
            by_listener.setdefault(key, {}).setdefault(prio, []).append(rule)
    for key, by_prio in sorted(by_listener.items()):
        for prio, rules in sorted(by_prio.items()):
            first = rules[0]
            for other in rules[1:]:
                yield ctx.finding(
                    f"{describe(other)} has Priority {prio} on {describe_listener(ctx.index, key)}, as has {describe(first)}: "
                    "priorities must be unique per listener (the stack would fail with PriorityInUse)",
                    other,
                    ("Properties", "Priority"),
                    ingresses=(other.ingress, first.ingress),
                    rule_fields=(other.rule_field, first.rule_field),
                )


def _alb_listener_or_https(ctx: CheckContext, listener: Resource) -> bool:
    """On an ALB of this template, or (load balancer elsewhere) an HTTPS listener."""
    lb = ctx.index.lb_of_listener(listener)
    if lb is not None:
        return ctx.index.is_alb(lb)
    return listener.properties.get("Protocol") == "HTTPS"


def listener_protocol(ctx: CheckContext) -> Iterator[Finding]:
    for listener in ctx.index.alb_listeners():
        proto = as_str(listener.properties.get("Protocol"))
        if proto is not None and proto not in ALB_PROTOCOLS:
            lb = ctx.index.lb_of_listener(listener) or ""
            yield ctx.finding(
                f"{describe(listener)} on {describe_lb(ctx.index, lb)} has Protocol {proto}; an ALB listener is HTTP or HTTPS "
                "(TCP, TLS, UDP belong to a Network Load Balancer)",
                listener,
                ("Properties", "Protocol"),
            )


def ssl_policy(ctx: CheckContext) -> Iterator[Finding]:
    for listener in ctx.index.of_type(LISTENER):
        policy = listener.properties.get("SslPolicy")
        if not isinstance(policy, str) or not _alb_listener_or_https(ctx, listener):
            continue
        if policy not in ALB_SSL_POLICIES:
            near = sorted(p for p in ALB_SSL_POLICIES if p.lower() == policy.lower())
            hint = f" (did you mean {near[0]}?)" if near else "; see `aws elbv2 describe-ssl-policies` for the names"
            yield ctx.finding(
                f"{describe(listener)}: SslPolicy {policy!r} is not an ALB security policy{hint}",
                listener,
                ("Properties", "SslPolicy"),
            )


def _unknown_keys(res: Resource, prop: str, known: frozenset[str]) -> Iterator[tuple[int, str]]:
    for i, attr in enumerate(as_list(res.properties.get(prop))):
        key = as_str(as_dict(attr).get("Key"))
        if key is not None and key not in known:
            yield i, key


def _near(key: str, known: frozenset[str]) -> str:
    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {match[0]}?)" if match else ""


def listener_attributes(ctx: CheckContext) -> Iterator[Finding]:
    for listener in ctx.index.alb_listeners():
        for i, key in _unknown_keys(listener, "ListenerAttributes", ALB_LISTENER_ATTRIBUTES):
            yield ctx.finding(
                f"{describe(listener)}: ListenerAttributes key {key!r} is not an ALB listener attribute{_near(key, ALB_LISTENER_ATTRIBUTES)}",
                listener,
                ("Properties", "ListenerAttributes", i, "Key"),
            )


def load_balancer_attributes(ctx: CheckContext) -> Iterator[Finding]:
    for lb in ctx.index.albs():
        for i, key in _unknown_keys(lb, "LoadBalancerAttributes", ALB_LOAD_BALANCER_ATTRIBUTES):
            yield ctx.finding(
                f"{describe_lb(ctx.index, lb.logical_id)}: LoadBalancerAttributes key {key!r} is not an Application Load Balancer attribute"
                f"{_near(key, ALB_LOAD_BALANCER_ATTRIBUTES)}",
                lb,
                ("Properties", "LoadBalancerAttributes", i, "Key"),
            )
