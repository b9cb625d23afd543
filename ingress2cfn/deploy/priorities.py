"""Rule renumbering without PriorityInUse (pure).

The controller numbers a listener's rules 1..n, so one inserted path renumbers every later rule, and
CloudFormation updates rules in parallel, deleting removed ones only at the end: a rule whose new
priority is still held by another rule fails. When that can happen the update goes in two change
sets: the interim template moves those rules into a band of priorities free before and after (the
top of 1..50000), the final template moves them to their numbers, which by then nobody holds."""

from __future__ import annotations

import copy
import json
from typing import Any

RULE_TYPE = "AWS::ElasticLoadBalancingV2::ListenerRule"
MAX_PRIORITY = 50_000

Placement = tuple[str, int]  # (listener, priority)


def rule_priorities(template: dict[str, Any] | None) -> dict[str, Placement]:
    """logical id → (listener, priority) of every listener rule with a literal priority."""
    out: dict[str, Placement] = {}
    for logical_id, body in ((template or {}).get("Resources") or {}).items():
        if not isinstance(body, dict) or body.get("Type") != RULE_TYPE:
            continue
        props = body.get("Properties") or {}
        priority = props.get("Priority")
        if isinstance(priority, str) and priority.isdigit():
            priority = int(priority)
        if isinstance(priority, int) and not isinstance(priority, bool):
            out[logical_id] = (json.dumps(props.get("ListenerArn"), sort_keys=True), priority)
    return out


def transition_conflicts(before: dict[str, Placement], after: dict[str, Placement]) -> list[str]:
    """Rules of `after` that are created or moved onto a (listener, priority) that another rule holds
    in `before` or that another rule of `after` takes: each could fail with PriorityInUse, whatever
    order CloudFormation runs the updates in."""
    held = {placement: logical_id for logical_id, placement in before.items()}
    taken: dict[Placement, str] = {}
    conflicts = []
    for logical_id, placement in sorted(after.items()):
        if placement in taken:
            conflicts.append(f"{logical_id} and {taken[placement]} both at {placement[1]}")
        taken[placement] = logical_id
        if before.get(logical_id) == placement:
            continue
        holder = held.get(placement)
        if holder is not None and holder != logical_id:
            conflicts.append(f"{logical_id} → {placement[1]} while {holder} holds it")
    return conflicts


def band_moves(old: dict[str, Placement], new: dict[str, Placement]) -> dict[str, int]:
    """logical id → interim priority for each rule that cannot go to its number in one update."""
    held = {placement: logical_id for logical_id, placement in old.items()}
    blocked = sorted(
        (placement, logical_id) for logical_id, placement in new.items() if old.get(logical_id) != placement and held.get(placement) not in (None, logical_id)
    )
    used: dict[str, set[int]] = {}
    for listener, priority in (*old.values(), *new.values()):
        used.setdefault(listener, set()).add(priority)
    moves: dict[str, int] = {}
    next_free: dict[str, int] = {}
    for (listener, _), logical_id in blocked:
        candidate = next_free.get(listener, MAX_PRIORITY)
        while candidate in used[listener]:
            candidate -= 1
        if candidate < 1:
            raise ValueError(f"no free priority left on listener {listener} to renumber {logical_id}")
        moves[logical_id] = candidate
        used[listener].add(candidate)
        next_free[listener] = candidate - 1
    return moves


def phases(old_template: dict[str, Any] | None, new_template: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """The templates to deploy in order: (new,) when one update is safe, else (interim, new)."""
    if old_template is None:
        return (new_template,)
    moves = band_moves(rule_priorities(old_template), rule_priorities(new_template))
    if not moves:
        return (new_template,)
    interim = copy.deepcopy(new_template)
    for logical_id, priority in moves.items():
        interim["Resources"][logical_id]["Properties"]["Priority"] = priority
    steps = [rule_priorities(old_template), rule_priorities(interim), rule_priorities(new_template)]
    conflicts = transition_conflicts(steps[0], steps[1]) + transition_conflicts(steps[1], steps[2])
    if conflicts:  # a rendered template with a duplicate priority on a listener: nothing can deploy it
        raise ValueError(f"rule priorities cannot be deployed without a conflict: {'; '.join(conflicts)}")
    return (interim, new_template)
