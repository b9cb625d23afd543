"""Family 4: listener rules and actions — conditions, forward targets and weights, and rules that
can never be reached because an earlier rule on the same listener matches all their requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ingress2cfn.lint.checks import globs
from ingress2cfn.lint.checks.conditions import ConditionView, conditions
from ingress2cfn.lint.checks.context import (
    RULE,
    CheckContext,
    Resource,
    as_dict,
    as_int,
    as_list,
    describe,
    describe_listener,
)
from ingress2cfn.lint.checks.known_values import (
    CONDITION_FIELDS,
    FORWARD_WEIGHT_RANGE,
    SINGLE_CONDITION_FIELDS,
)
from ingress2cfn.lint.findings import Finding


def rule_without_condition(ctx: CheckContext) -> Iterator[Finding]:
    for rule in ctx.index.of_type(RULE):
        conds = rule.properties.get("Conditions")
        if conds is None or conds == []:
            yield ctx.finding(
                f"{describe(rule)} has no condition; a listener rule needs at least one (a catch-all belongs in the listener's DefaultActions, "
                "or use path-pattern /*)",
                rule,
                ("Properties", "Conditions") if conds is not None else ("Properties",),
            )


def unknown_condition_field(ctx: CheckContext) -> Iterator[Finding]:
    for rule in ctx.index.of_type(RULE):
        for c in conditions(rule.properties):
            if c.field is not None and c.field not in CONDITION_FIELDS:
                yield ctx.finding(
                    f"{describe(rule)}: condition Field {c.field!r} is not one of {', '.join(sorted(CONDITION_FIELDS))}",
                    rule,
                    ("Properties", "Conditions", c.index, "Field"),
                )


def repeated_condition_field(ctx: CheckContext) -> Iterator[Finding]:
    for rule in ctx.index.of_type(RULE):
        conds = conditions(rule.properties)
        counts = Counter(c.field for c in conds if c.field in SINGLE_CONDITION_FIELDS)
        for field_name, n in sorted(counts.items()):
            if n > 1:
                second = [c for c in conds if c.field == field_name][1]
                yield ctx.finding(
                    f"{describe(rule)} has {n} {field_name} conditions; a rule may have one (put the values in one condition: any of them matches)",
                    rule,
                    ("Properties", "Conditions", second.index),
                )


def forward_without_target(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.index.actions():
        if action.type != "forward":
            continue
        body = action.body
        config = body.get("ForwardConfig")
        tgs = as_dict(config).get("TargetGroups") if isinstance(config, dict) else None
        if "TargetGroupArn" in body or (tgs is not None and tgs != []):
            continue
        yield ctx.finding(
            f"forward action of {describe(action.owner)} names no target group (neither TargetGroupArn nor ForwardConfig.TargetGroups)",
            action.owner,
            action.path,
        )


def forward_weights(ctx: CheckContext) -> Iterator[Finding]:
    lo, hi = FORWARD_WEIGHT_RANGE
    for action in ctx.index.actions():
        for i, item in enumerate(as_list(as_dict(action.body.get("ForwardConfig")).get("TargetGroups"))):
            weight = as_int(as_dict(item).get("Weight"))
            if weight is not None and not lo <= weight <= hi:
                yield ctx.finding(
                    f"forward action of {describe(action.owner)}: target group weight {weight} is outside {lo}-{hi}",
                    action.owner,
                    action.path + ("ForwardConfig", "TargetGroups", i, "Weight"),
                )


# -- shadowing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    """What one rule matches, as far as coverage can be decided. hosts/paths None = no such
    condition (any). `*_opaque`: the condition also has values that are not compared (regular
    expressions, intrinsic functions). `other`: it has further conditions (header, method ...)."""

    hosts: tuple[str, ...] | None
    host_opaque: bool
    paths: tuple[str, ...] | None
    path_opaque: bool
    other: bool

    def describe(self) -> str:
        hosts = "any host" if self.hosts is None else "host " + "|".join(self.hosts + (("…",) if self.host_opaque else ()))
        paths = "any path" if self.paths is None else "path " + "|".join(self.paths + (("…",) if self.path_opaque else ()))
        return f"{hosts}, {paths}"


def _match(conds: list[ConditionView]) -> _Match:
    hosts = paths = None
    host_opaque = path_opaque = other = False
    for c in conds:
        if c.field == "host-header" and hosts is None:
            hosts = tuple(v.lower() for v in c.values)  # host names compare case-insensitively
            host_opaque = bool(c.regex_values) or not c.exact
        elif c.field == "path-pattern" and paths is None:
            paths = c.values
            path_opaque = bool(c.regex_values) or not c.exact
        else:
            other = True  # a further condition, or a second host/path one (both must match)
    return _Match(hosts, host_opaque, paths, path_opaque, other)


def _covers_field(a: tuple[str, ...] | None, b: tuple[str, ...] | None, b_opaque: bool, everything: str) -> bool:
    """The earlier rule's values `a` match every value the later rule's condition `b` matches.
    Extra (opaque) values of `a` only widen it, so its plain values suffice; opaque values of `b`
    are covered only by a pattern that matches everything."""
    if a is None:
        return True
    if b is None or b_opaque:
        return globs.covers_any(a, everything)
    return all(globs.covers_any(a, v) for v in b)


def covers(earlier: _Match, later: _Match) -> bool:
    if earlier.other:
        return False
    return _covers_field(earlier.hosts, later.hosts, later.host_opaque, "*") and _covers_field(earlier.paths, later.paths, later.path_opaque, "/*")


def shadowed_rule(ctx: CheckContext) -> Iterator[Finding]:
    by_listener: dict[str, list[tuple[int, Resource, _Match]]] = {}
    for rule in ctx.index.of_type(RULE):
        key = ctx.index.listener_key(rule)
        prio = as_int(rule.properties.get("Priority"))
        conds = rule.properties.get("Conditions")
        if key is None or prio is None or not isinstance(conds, list) or not conds:
            continue
        by_listener.setdefault(key, []).append((prio, rule, _match(conditions(rule.properties))))
    for key, rules in sorted(by_listener.items()):
        rules.sort(key=lambda t: (t[0], t[1].logical_id))
        for j, (prio_b, rule_b, match_b) in enumerate(rules):
            for prio_a, rule_a, match_a in rules[:j]:
                if prio_a < prio_b and covers(match_a, match_b):
                    yield ctx.finding(
                        f"{describe(rule_b)} at priority {prio_b} is never reached: {describe(rule_a)} at priority {prio_a} on the same "
                        f"{describe_listener(ctx.index, key)} matches every request it matches ([{match_a.describe()}] covers [{match_b.describe()}])",
                        rule_b,
                        ("Properties", "Conditions"),
                        ingresses=(rule_b.ingress, rule_a.ingress),
                        rule_fields=(rule_b.rule_field, rule_a.rule_field),
                    )
                    break
