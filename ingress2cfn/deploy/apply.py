"""Executing a plan: change sets run in order (cluster stack first), each stack's events streamed
while a waiter waits, a renumbering in two change sets, the stack policy lifted only for an allowed
replacement (and restored in `finally`, or on the next run if interrupted), termination protection
and the protective policy set after a create; removals last. Nothing here prints: events and notes
go to the callbacks the CLI gives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.aws import cloudformation as cfn
from ingress2cfn.aws import elbv2
from ingress2cfn.aws.clients import AwsClients, AwsError
from ingress2cfn.deploy.changesets import DeployError, DeployOptions, Planned, backend_security_group, discard, submit
from ingress2cfn.deploy.events import first_failure, since_last_start
from ingress2cfn.deploy.plan import BACKEND_SG_LOGICAL_ID, StackSpec
from ingress2cfn.deploy.priorities import phases
from ingress2cfn.deploy.safety import is_permissive, permissive_policy, protective_policy

EventSink = Callable[[str, dict[str, Any]], None]  # (stack name, event)
NoteSink = Callable[[str], None]
POLL_SECONDS = 2.0
LB_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"


class DeployFailed(DeployError):
    """CloudFormation failed or rolled back a stack; the message names the first failing resource."""


class Interrupted(DeployError):
    """Ctrl-C while CloudFormation works: it goes on; the message says how to follow it."""


@dataclass
class StackOutcome:
    name: str
    action: str
    outputs: dict[str, str] = field(default_factory=dict)


def seen_events(clients: AwsClients, stack_name: str) -> tuple[str, set[str]]:
    """(stack id, ids of its events so far): taken before an operation starts, so that every event
    of the operation is shown even when the call returns after it ended. The id still answers once
    a deleted stack's name does not."""
    stack = cfn.find_stack(clients, stack_name)
    ref = stack.stack_id if stack else stack_name
    return ref, {str(e.get("EventId")) for e in cfn.stack_events(clients, ref)} if stack else set()


def follow(clients: AwsClients, stack_name: str, waiter_name: str, on_event: EventSink, before: tuple[str, set[str]]) -> None:
    """Wait with the boto3 waiter in a thread; meanwhile stream the stack's new events."""
    ref, seen = before
    error: list[BaseException] = []

    def wait() -> None:
        try:
            cfn.wait_stack(clients, stack_name, waiter_name)
        except BaseException as exc:  # handed to the caller's thread
            error.append(exc)

    waiter = threading.Thread(target=wait, name=f"wait-{stack_name}", daemon=True)
    waiter.start()
    try:
        while True:
            waiter.join(POLL_SECONDS)
            for event in cfn.stack_events(clients, ref):
                if str(event.get("EventId")) not in seen:
                    seen.add(str(event.get("EventId")))
                    on_event(stack_name, event)
            if not waiter.is_alive():
                break
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted: CloudFormation goes on with stack {stack_name}. Follow it with\n"
            f"  aws cloudformation describe-stack-events --stack-name {stack_name}\n"
            f"  aws cloudformation wait {waiter_name.replace('_', '-')} --stack-name {stack_name}"
        ) from None
    if error:
        raise failure(clients, stack_name, ref, error[0])


def failure(clients: AwsClients, stack_name: str, ref: str, cause: BaseException) -> DeployFailed:
    """The first failing resource's reason, and the way out when the stack cannot be updated."""
    events = since_last_start(cfn.stack_events(clients, ref), stack_name)
    first = first_failure(events)
    stack = cfn.find_stack(clients, stack_name)
    status = stack.status if stack else "gone"
    why = f"{first.logical_id} ({first.resource_type}) {first.status}: {first.reason}" if first else str(cause)
    message = f"stack {stack_name} failed ({status}): {why}"
    if status == "ROLLBACK_COMPLETE":
        message += "\nits first create failed; fix the cause, then run deploy again with --recreate-failed to delete and recreate it"
    return DeployFailed(message)


def run_change_set(clients: AwsClients, name: str, change_set_id: str, creating: bool, on_event: EventSink) -> None:
    before = seen_events(clients, name)
    cfn.execute_change_set(clients, change_set_id, name)
    follow(clients, name, "stack_create_complete" if creating else "stack_update_complete", on_event, before)


def protect_new_stack(clients: AwsClients, spec: StackSpec, on_note: NoteSink) -> None:
    """Stack policy and termination protection cannot travel with a change set: set them after create."""
    policy = protective_policy(spec.template)
    if policy:
        cfn.set_stack_policy(clients, spec.name, policy)
    try:
        cfn.set_termination_protection(clients, spec.name, True)
    except AwsError as exc:
        on_note(f"warning: {exc}")


def deploy_stack(
    clients: AwsClients, item: Planned, backend_sg: str | None, options: DeployOptions, *, allow_replacement: bool, on_event: EventSink, on_note: NoteSink
) -> None:
    spec = item.spec
    assert spec is not None
    protective = protective_policy(spec.template)
    lifted = False
    if item.deployed is not None and protective:
        if allow_replacement:
            cfn.set_stack_policy(clients, spec.name, permissive_policy())
            lifted = True
        elif is_permissive(cfn.get_stack_policy(clients, spec.name)):
            cfn.set_stack_policy(clients, spec.name, protective)  # a deploy with --allow-replacement was interrupted
            on_note(f"{spec.name}: restored the stack policy left permissive by an interrupted deploy")
    try:
        templates = phases(item.old_template, spec.template) if item.deployed is not None else (spec.template,)
        if len(templates) == 1 and item.change_set_id and not item.deferred:
            change_set_id, item.change_set_id = item.change_set_id, None  # executed: never discarded (a discard deletes a new stack)
            run_change_set(clients, spec.name, change_set_id, item.deployed is None, on_event)
        else:
            if item.change_set_id:
                discard(clients, item, options)
            if len(templates) > 1:
                on_note(f"{spec.name}: rule priorities renumbered in two change sets (first into a free band, then to their numbers)")
            for template in templates:
                deployed = cfn.find_stack(clients, spec.name)
                result = submit(clients, spec, template, deployed, backend_sg, options)
                if result is not None:
                    run_change_set(clients, spec.name, result.change_set_id, deployed is None, on_event)
    finally:
        if lifted and protective:
            cfn.set_stack_policy(clients, spec.name, protective)
    if item.deployed is None:
        protect_new_stack(clients, spec, on_note)
    elif protective and not lifted:
        cfn.set_stack_policy(clients, spec.name, protective)  # a listener added by this update joins the protected set


def outputs(clients: AwsClients, name: str, template: dict[str, Any] | None) -> dict[str, str]:
    """The stack's Outputs; where they are missing (a stack made from a CREATE change set under an
    emulator), the ALB's DNS name read from ELBv2 through the stack's resources."""
    stack = cfn.find_stack(clients, name)
    found = dict(stack.outputs) if stack else {}
    resources = (template or {}).get("Resources") or {}
    if "BackendSecurityGroupId" in ((template or {}).get("Outputs") or {}) and "BackendSecurityGroupId" not in found:
        sg = cfn.physical_id(clients, name, BACKEND_SG_LOGICAL_ID)
        if sg:
            found["BackendSecurityGroupId"] = sg
    if "LoadBalancerDNSName" not in found and any(isinstance(b, dict) and b.get("Type") == LB_TYPE for b in resources.values()):
        arn = cfn.physical_id(clients, name, "LoadBalancer")
        lb = elbv2.load_balancer(clients, arn) if arn else None
        if lb:
            found.update(LoadBalancerArn=lb["LoadBalancerArn"], LoadBalancerDNSName=lb["DNSName"])
    return found


def execute(
    clients: AwsClients,
    planned: list[Planned],
    options: DeployOptions,
    *,
    allow_replacement: bool = False,
    prune: bool = False,
    on_event: EventSink,
    on_note: NoteSink,
) -> list[StackOutcome]:
    """Deploy every rendered stack in order, then (with prune) remove the stacks no longer rendered."""
    backend_sg: str | None = None
    results: list[StackOutcome] = []
    try:
        for item in planned:
            if item.spec is None:
                continue
            if item.action != "no-changes":
                deploy_stack(clients, item, backend_sg, options, allow_replacement=allow_replacement, on_event=on_event, on_note=on_note)
            if item.spec.group is None:
                backend_sg = backend_security_group(clients, item.spec)
            results.append(StackOutcome(item.name, item.action, outputs(clients, item.name, item.spec.template)))
    finally:
        for item in planned:
            if item.change_set_id:  # a failure left change sets of later stacks behind
                discard(clients, item, options)
    if prune:
        for item in planned:
            if item.action == "remove":
                for line in remove_stack(clients, item.name, item.old_template, options, on_event=on_event):
                    on_note(line)
                results.append(StackOutcome(item.name, "remove"))
    return results


def remove_stack(
    clients: AwsClients, name: str, template: dict[str, Any] | None, options: DeployOptions, *, on_event: EventSink, delete_load_balancer: bool = False
) -> list[str]:
    """Delete a stack: termination protection off, the ALB deleted first when asked (else retained by
    its DeletionPolicy), a DELETE_FAILED retried retaining what failed, with the reason and the
    cleanup commands. Returns what to tell the user."""
    lines: list[str] = []
    stack = cfn.find_stack(clients, name)
    if stack is None:
        return [f"{name}: already gone"]
    if stack.termination_protection:
        cfn.set_termination_protection(clients, name, False)
    resources = (template or {}).get("Resources") or {}
    has_lb = any(isinstance(b, dict) and b.get("Type") == LB_TYPE for b in resources.values())
    lb_arn = cfn.physical_id(clients, name, "LoadBalancer") if has_lb else None
    if lb_arn and delete_load_balancer:
        elbv2.delete_load_balancer(clients, lb_arn)
        lines.append(f"{name}: deleted load balancer {lb_arn}")
    before = seen_events(clients, name)
    cfn.delete_stack(clients, name, role_arn=options.role_arn)
    try:
        follow(clients, name, "stack_delete_complete", on_event, before)
    except DeployFailed as exc:
        failed = sorted(
            {
                str(e.get("LogicalResourceId"))
                for e in since_last_start(cfn.stack_events(clients, stack.stack_id), name)
                if e.get("ResourceStatus") == "DELETE_FAILED"
            }
            - {name}
        )
        lines.append(f"{name}: delete failed: {exc}")
        lines.append(f"{name}: deleting again, retaining {', '.join(failed) or 'nothing'}")
        before = seen_events(clients, name)
        cfn.delete_stack(clients, name, role_arn=options.role_arn, retain=tuple(failed))
        follow(clients, name, "stack_delete_complete", on_event, before)
        for logical_id in failed:
            lines.append(f"retained {logical_id} of {name}: delete it by hand once nothing uses it (see the reason above)")
    if lb_arn and not delete_load_balancer:
        lines.append(
            f"retained: load balancer {lb_arn} of {name} (DeletionPolicy), with the security groups it still uses; "
            f"delete it with: aws elbv2 delete-load-balancer --load-balancer-arn {lb_arn}"
        )
    return lines
