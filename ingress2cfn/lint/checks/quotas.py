"""Family 1: ALB quotas (per load balancer, per rule, per action) and resource names. The numbers
come from `ingress2cfn.quotas` through `ctx.limit()`; they can be raised (`--quota NAME=N`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from ingress2cfn.lint.checks import globs
from ingress2cfn.lint.checks.conditions import conditions
from ingress2cfn.lint.checks.context import (
    LB,
    LISTENER,
    LISTENER_CERTIFICATE,
    RULE,
    TARGET_GROUP,
    CheckContext,
    Resource,
    TemplateIndex,
    as_dict,
    as_list,
    as_str,
    describe,
    describe_lb,
    value_key,
)
from ingress2cfn.lint.checks.known_values import NAME_CHARACTERS
from ingress2cfn.lint.findings import Finding

SPLIT_HINT = "Split the group over several ALBs with `ingress2cfn render --split-by-quota` (every host stays on one ALB)"


def raise_hint(ctx: CheckContext) -> str:
    assert ctx.check is not None and ctx.check.quota is not None
    return f"quota {ctx.check.quota} is {ctx.limit()} (when AWS has raised it for the account, pass {ctx.raise_flag()})"


def alb_key(index: TemplateIndex, listener_key: str | None) -> str | None:
    """The ALB a listener belongs to; a listener outside the template stands for its own ALB."""
    if listener_key is None:
        return None
    lb = index.alb_of_listener_key(listener_key)
    if lb is not None:
        return lb
    listener = index.get(listener_key, LISTENER)
    if listener is not None:
        return None  # a listener of this template on a load balancer that is not an ALB here
    return listener_key


# The counting below is shared by the checks and the deploy review's quota gauges.


def rules_by_alb(index: TemplateIndex) -> dict[str, list[Resource]]:
    """ALB key → its listener rules over all listeners (default actions are not rules)."""
    per: dict[str, list[Resource]] = {}
    for rule in index.of_type(RULE):
        alb = alb_key(index, index.listener_key(rule))
        if alb is not None:
            per.setdefault(alb, []).append(rule)
    return per


def target_groups_by_alb(index: TemplateIndex) -> dict[str, dict[str, str | None]]:
    """ALB key → {target group key: the Ingress that owns it (None when unknown)} of its forward actions."""
    per: dict[str, dict[str, str | None]] = {}
    for action in index.actions():
        alb = alb_key(index, action.listener_id)
        if alb is None:
            continue
        for value, _ in action.target_groups():
            key = value_key(value)
            if key is not None:
                tg = index.get(key, TARGET_GROUP)
                per.setdefault(alb, {}).setdefault(key, tg.ingress if tg is not None else None)
    return per


def listeners_by_alb(index: TemplateIndex) -> dict[str, list[Resource]]:
    return {lb.logical_id: index.listeners_of(lb.logical_id) for lb in index.albs()}


def certificates_by_alb(index: TemplateIndex) -> dict[str, set[tuple[str, str]]]:
    """ALB key → {(listener key, certificate)} besides each listener's default one (ListenerCertificate)."""
    per: dict[str, set[tuple[str, str]]] = {}
    for res in index.of_type(LISTENER_CERTIFICATE):
        listener_key = value_key(res.properties.get("ListenerArn"))
        alb = alb_key(index, listener_key)
        if alb is None or listener_key is None:
            continue
        listener = index.get(listener_key, LISTENER)
        defaults = set()
        if listener is not None:
            defaults = {value_key(as_dict(c).get("CertificateArn")) for c in as_list(listener.properties.get("Certificates"))}
        for cert in as_list(res.properties.get("Certificates")):
            arn = value_key(as_dict(cert).get("CertificateArn"))
            if arn is not None and arn not in defaults:
                per.setdefault(alb, set()).add((listener_key, arn))
    return per


def _anchor(ctx: CheckContext, alb: str) -> Resource | None:
    return ctx.index.get(alb, LB) or ctx.index.get(alb, LISTENER)


def _by_count(names: Iterable[str | None]) -> tuple[str, ...]:
    """Ingresses ordered by how many of the counted things they own (most first), then name."""
    counts = Counter(n for n in names if n)
    return tuple(sorted(counts, key=lambda n: (-counts[n], n)))


def rules_per_alb(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for alb, rules in sorted(rules_by_alb(ctx.index).items()):
        if len(rules) <= limit:
            continue
        by_listener = Counter(ctx.index.listener_key(r) for r in rules)
        spread = ", ".join(f"{k}: {n}" for k, n in sorted(by_listener.items()))
        yield ctx.finding(
            f"{describe_lb(ctx.index, alb)} has {len(rules)} listener rules ({spread}), more than the {limit} an ALB may have "
            f"over all its listeners; {raise_hint(ctx)}. {SPLIT_HINT}, or merge paths into fewer rules",
            _anchor(ctx, alb),
            ingresses=_by_count(r.ingress for r in rules),
        )


def target_groups_per_alb(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for alb, tgs in sorted(target_groups_by_alb(ctx.index).items()):
        if len(tgs) > limit:
            yield ctx.finding(
                f"{describe_lb(ctx.index, alb)} forwards to {len(tgs)} target groups, more than the {limit} an ALB may use; {raise_hint(ctx)}. {SPLIT_HINT}",
                _anchor(ctx, alb),
                ingresses=_by_count(tgs.values()),
            )


def listeners_per_alb(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for lb_id, listeners in listeners_by_alb(ctx.index).items():
        if len(listeners) > limit:
            lb = ctx.index.get(lb_id, LB)
            ports = ", ".join(sorted({str(listener.properties.get("Port")) for listener in listeners}))
            yield ctx.finding(
                f"{describe_lb(ctx.index, lb_id)} has {len(listeners)} listeners (ports {ports}), more than the {limit} an ALB may have; {raise_hint(ctx)}",
                lb,
            )


def certificates_per_alb(ctx: CheckContext) -> Iterator[Finding]:
    """Certificates beyond each listener's default one (ListenerCertificate), over all listeners."""
    limit = ctx.limit()
    for alb, certs in sorted(certificates_by_alb(ctx.index).items()):
        if len(certs) > limit:
            yield ctx.finding(
                f"{describe_lb(ctx.index, alb)} has {len(certs)} certificates besides its listeners' default ones, more than the {limit} an ALB may have; "
                f"{raise_hint(ctx)}",
                _anchor(ctx, alb),
            )


def condition_values_per_rule(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for rule in ctx.index.of_type(RULE):
        conds = conditions(rule.properties)
        count = sum(len(c.values) + len(c.regex_values) for c in conds)
        if count > limit:
            detail = "; ".join(f"{c.field}: {', '.join(c.values + c.regex_values)}" for c in conds if c.values or c.regex_values)
            yield ctx.finding(
                f"{describe(rule)} has {count} condition values ({detail}), more than the {limit} a rule may have; {raise_hint(ctx)}. "
                "A Prefix path already takes two values (/p and /p/*); split the rule",
                rule,
                ("Properties", "Conditions"),
            )


def condition_wildcards_per_rule(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for rule in ctx.index.of_type(RULE):
        parts = [p for c in conditions(rule.properties) for p in c.pattern_parts]
        count = sum(globs.wildcard_count(p) for p in parts)
        if count > limit:
            with_wildcards = ", ".join(p for p in parts if globs.wildcard_count(p))
            yield ctx.finding(
                f"{describe(rule)} uses {count} wildcards (* or ?) in its conditions ({with_wildcards}), more than the {limit} a rule may use; "
                f"{raise_hint(ctx)}",
                rule,
                ("Properties", "Conditions"),
            )


def target_groups_per_action(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for action in ctx.index.actions():
        tgs = as_list(as_dict(action.body.get("ForwardConfig")).get("TargetGroups"))
        if len(tgs) > limit:
            yield ctx.finding(
                f"forward action of {describe(action.owner)} spreads over {len(tgs)} target groups, more than the {limit} one action may use; "
                f"{raise_hint(ctx)}",
                action.owner,
                action.path + ("ForwardConfig", "TargetGroups"),
            )


def _named(ctx: CheckContext) -> Iterator[tuple[Resource, str]]:
    for res in ctx.index.of_type(LB) + ctx.index.of_type(TARGET_GROUP):
        name = as_str(res.properties.get("Name"))
        if name is not None:
            yield res, name


def name_length(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    for res, name in _named(ctx):
        if len(name) > limit:
            yield ctx.finding(
                f"{describe(res)}: Name {name!r} has {len(name)} characters; load balancer and target group names may have at most {limit}",
                res,
                ("Properties", "Name"),
            )


def name_characters(ctx: CheckContext) -> Iterator[Finding]:
    for res, name in _named(ctx):
        bad = sorted({c for c in name if c not in NAME_CHARACTERS})
        problems = []
        if bad:
            problems.append(f"characters {''.join(bad)!r} (only letters, digits and hyphens)")
        if name.startswith("-") or name.endswith("-"):
            problems.append("a hyphen at the start or end")
        if res.type == LB and name.lower().startswith("internal-"):
            problems.append('the prefix "internal-" (reserved by AWS)')
        if not name:
            problems.append("no characters")
        if problems:
            yield ctx.finding(f"{describe(res)}: Name {name!r} has {' and '.join(problems)}", res, ("Properties", "Name"))
