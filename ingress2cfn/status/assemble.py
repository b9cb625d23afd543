"""boto3 shapes → the typed report (pure). Every list is sorted so the same deployment always reads
the same, whatever order AWS answers in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ingress2cfn.model.metadata import read_resource, read_template
from ingress2cfn.status.report import TARGET_STATES, Event, GroupStatus, Listener, LoadBalancer, StackState, Target, TargetGroup

STACK_TYPE = "AWS::CloudFormation::Stack"
LB_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"
TG_TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"
# A stack-level event with one of these statuses opens an operation (CloudFormation's reason: "User Initiated").
OPERATION_STARTS = frozenset({"CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "IMPORT_IN_PROGRESS", "REVIEW_IN_PROGRESS"})
CANCELLED = ("Resource creation cancelled", "Resource update cancelled")


def _time(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value or "")


def event(raw: Mapping[str, Any]) -> Event:
    return Event(
        timestamp=_time(raw.get("Timestamp")),
        logical_id=str(raw.get("LogicalResourceId") or ""),
        resource_type=str(raw.get("ResourceType") or ""),
        status=str(raw.get("ResourceStatus") or ""),
        reason=raw.get("ResourceStatusReason") or None,
    )


def failing_event(stack_name: str, events: Sequence[Event]) -> Event | None:
    """The resource that made the last operation fail. `events` are newest first (as CloudFormation
    lists them); the operation reaches back to its opening stack event. A failure whose reason is only
    a cancellation (other resources stopped because one failed) is the cause only if nothing else is;
    of the rest, the oldest is the cause."""
    operation: list[Event] = []
    for e in events:
        operation.append(e)
        if e.resource_type == STACK_TYPE and e.logical_id == stack_name and e.status in OPERATION_STARTS:
            break
    failed = [e for e in operation if e.status.endswith("_FAILED") and not (e.resource_type == STACK_TYPE and e.logical_id == stack_name)]
    causes = [e for e in failed if not (e.reason or "").startswith(CANCELLED)] or failed
    return causes[-1] if causes else None


def stack_state(stack_name: str, stack: Mapping[str, Any] | None, events: Sequence[Mapping[str, Any]]) -> StackState:
    if stack is None:
        return StackState(stack_name, None)
    typed = [event(e) for e in events]
    return StackState(
        name=stack_name,
        status=str(stack.get("StackStatus") or ""),
        reason=stack.get("StackStatusReason") or None,
        last_event=typed[0] if typed else None,
        failure=failing_event(stack_name, typed),
    )


def live_resources(resources: Sequence[Mapping[str, Any]], resource_type: str) -> list[tuple[str, str]]:
    """(logical id, physical id) of the stack's resources of one type that exist (not deleted, id known)."""
    out = []
    for r in resources:
        status = str(r.get("ResourceStatus") or "")
        if r.get("ResourceType") == resource_type and r.get("PhysicalResourceId") and r.get("LogicalResourceId") and not status.startswith("DELETE_"):
            out.append((str(r["LogicalResourceId"]), str(r["PhysicalResourceId"])))
    return sorted(out)


def _listener(raw: Mapping[str, Any]) -> Listener:
    return Listener(int(raw.get("Port") or 0), str(raw.get("Protocol") or ""), str(raw.get("ListenerArn") or ""))


def load_balancer(logical_id: str, raw: Mapping[str, Any], listeners: Sequence[Mapping[str, Any]]) -> LoadBalancer:
    return LoadBalancer(
        logical_id=logical_id,
        name=str(raw.get("LoadBalancerName") or ""),
        arn=str(raw.get("LoadBalancerArn") or ""),
        type=str(raw.get("Type") or ""),
        dns_name=str(raw.get("DNSName") or ""),
        scheme=str(raw.get("Scheme") or ""),
        state=str((raw.get("State") or {}).get("Code") or ""),
        listeners=tuple(sorted((_listener(raw) for raw in listeners), key=lambda lst: (lst.port, lst.protocol))),
    )


def _target(raw: Mapping[str, Any]) -> Target:
    health = raw.get("TargetHealth") or {}
    target = raw.get("Target") or {}
    port = target.get("Port")
    return Target(
        id=str(target.get("Id") or ""),
        port=int(port) if isinstance(port, int) else None,
        state=str(health.get("State") or ""),
        reason=health.get("Reason") or None,
        description=health.get("Description") or None,
    )


def _bucket(state: str) -> str:
    return "unhealthy" if state == "unhealthy.draining" else state


def target_group(logical_id: str, raw: Mapping[str, Any], health: Sequence[Mapping[str, Any]], service: str | None) -> TargetGroup:
    targets = [_target(h) for h in health]
    counted = Counter(_bucket(t.state) for t in targets)
    port = raw.get("Port")
    return TargetGroup(
        logical_id=logical_id,
        name=str(raw.get("TargetGroupName") or ""),
        arn=str(raw.get("TargetGroupArn") or ""),
        protocol=raw.get("Protocol") or None,
        port=int(port) if isinstance(port, int) else None,
        target_type=raw.get("TargetType") or None,
        service=service,
        serving=bool(raw.get("LoadBalancerArns")),
        counts=tuple((state, counted.get(state, 0)) for state in TARGET_STATES),
        unhealthy=tuple(sorted((t for t in targets if _bucket(t.state) == "unhealthy"), key=lambda t: (t.id, t.port or 0))),
    )


def group_status(
    stack_name: str,
    stack: Mapping[str, Any] | None,
    events: Sequence[Mapping[str, Any]] = (),
    resources: Sequence[Mapping[str, Any]] = (),
    template: Any = None,
    load_balancers: Sequence[Mapping[str, Any]] = (),
    listeners: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    target_groups: Sequence[Mapping[str, Any]] = (),
    health: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> GroupStatus:
    """One stack's status from what `collect` read. `template` is the deployed template as a mapping
    (group and members come from its Metadata.ingress2cfn, the Service of each target group from the
    target group's); `listeners` and `health` are keyed by load balancer and target group ARN."""
    listeners, health = listeners or {}, health or {}
    meta = read_template(template)
    resources_body = template.get("Resources") if isinstance(template, dict) else None
    bodies: dict[str, Any] = resources_body if isinstance(resources_body, dict) else {}
    lbs_by_arn = {str(lb.get("LoadBalancerArn")): lb for lb in load_balancers}
    tgs_by_arn = {str(tg.get("TargetGroupArn")): tg for tg in target_groups}
    lbs = [load_balancer(logical, lbs_by_arn[arn], listeners.get(arn, ())) for logical, arn in live_resources(resources, LB_TYPE) if arn in lbs_by_arn]
    lbs.sort(key=lambda lb: (lb.type != "application", lb.logical_id))  # the ALB first, then a frontend NLB
    tgs = [
        target_group(logical, tgs_by_arn[arn], health.get(arn, ()), read_resource(bodies.get(logical)).service)
        for logical, arn in live_resources(resources, TG_TYPE)
        if arn in tgs_by_arn
    ]
    return GroupStatus(
        stack=stack_state(stack_name, stack, events),
        group=meta.group,
        members=tuple(sorted(meta.members)),
        load_balancers=tuple(lbs),
        target_groups=tuple(tgs),
    )
