"""Stack events (pure): what the progress display shows, and the first failure of an operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STACK_TYPE = "AWS::CloudFormation::Stack"


@dataclass(frozen=True)
class Failure:
    logical_id: str
    resource_type: str
    status: str
    reason: str


def event_line(event: dict[str, Any]) -> str:
    """One line per event: status, type, logical id, reason."""
    reason = event.get("ResourceStatusReason") or ""
    parts = [str(event.get("ResourceStatus", "")), str(event.get("ResourceType", "")), str(event.get("LogicalResourceId", ""))]
    return "  ".join(p for p in parts if p) + (f"  {reason}" if reason else "")


def first_failure(events: list[dict[str, Any]]) -> Failure | None:
    """The first failed resource (oldest first), the cause of a rollback; the stack's own failure
    event only when no resource failed."""
    stack_level = None
    for event in events:
        status = str(event.get("ResourceStatus", ""))
        if not status.endswith("_FAILED"):
            continue
        failure = Failure(
            str(event.get("LogicalResourceId", "")), str(event.get("ResourceType", "")), status, str(event.get("ResourceStatusReason") or "no reason given")
        )
        if event.get("ResourceType") != STACK_TYPE:
            return failure
        stack_level = stack_level or failure
    return stack_level


def since_last_start(events: list[dict[str, Any]], stack_name: str) -> list[dict[str, Any]]:
    """The events (oldest first) of the latest operation: from the stack's last *_IN_PROGRESS start."""
    start = 0
    for index, event in enumerate(events):
        if event.get("ResourceType") == STACK_TYPE and event.get("LogicalResourceId") == stack_name and str(event.get("ResourceStatus")) in STARTS:
            start = index
    return events[start:]


STARTS = ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS")
