"""Is what is deployed working? (pure). A problem makes `ingress2cfn status` exit non-zero: a stack
that is missing, not created yet, failed or rolled back (with the failing resource's reason from the
events), or a serving target group without one healthy target. An update in progress is no problem:
the previous version still serves."""

from __future__ import annotations

from collections.abc import Iterable

from ingress2cfn.status.report import GroupStatus, Report, StackState, TargetGroup


def failed(status: str | None) -> bool:
    """CREATE_FAILED, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ..._IN_PROGRESS of a rollback, DELETE_FAILED."""
    return status is not None and (status.endswith("_FAILED") or "ROLLBACK" in status)


# Nothing of the stack serves yet (a change set awaits execution, or the first create runs), or any more.
NOT_SERVING = {
    "REVIEW_IN_PROGRESS": "not created yet (a change set awaits execution)",
    "CREATE_IN_PROGRESS": "still being created",
    "DELETE_IN_PROGRESS": "being deleted",
    "DELETE_COMPLETE": "deleted",
}


def stack_problem(stack: StackState) -> str | None:
    if stack.status is None:
        return f"stack {stack.name} does not exist"
    if stack.status in NOT_SERVING:
        return f"stack {stack.name} is {stack.status}: {NOT_SERVING[stack.status]}"
    if not failed(stack.status):
        return None
    cause = stack.failure
    if cause is not None:
        return f"stack {stack.name} is {stack.status}: {cause.logical_id} ({cause.resource_type}) {cause.status}: {cause.reason or 'no reason given'}"
    return f"stack {stack.name} is {stack.status}: {stack.reason or 'no failing resource in its recent events'}"


def _counts(tg: TargetGroup) -> str:
    return ", ".join(f"{n} {state}" for state, n in tg.counts if n) or "no targets"


def target_group_problem(stack: StackState, tg: TargetGroup) -> str | None:
    if not tg.serving or tg.count("healthy") > 0:
        return None
    serves = f" ({tg.service})" if tg.service else ""
    reasons = sorted({t.reason for t in tg.unhealthy if t.reason})
    why = f"; unhealthy: {', '.join(reasons)}" if reasons else ""
    return f"stack {stack.name}: target group {tg.name}{serves} receives traffic but has no healthy target ({_counts(tg)}{why})"


def problems(group: GroupStatus) -> list[str]:
    out = [p for p in [stack_problem(group.stack)] if p]
    out.extend(p for p in (target_group_problem(group.stack, tg) for tg in group.target_groups) if p)
    return out


def judge(groups: Iterable[GroupStatus]) -> Report:
    ordered = tuple(groups)
    return Report(ordered, tuple(p for g in ordered for p in problems(g)))
