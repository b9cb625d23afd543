"""CloudFormation verbs: one function per call, boto3 waiters and paginators, every failure an
`AwsError` naming what was being done. No deployment logic here (that is `ingress2cfn.deploy`)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ingress2cfn.aws.clients import AwsClients, AwsError, calling

# CloudFormation's two ways of saying "nothing to do": a FAILED change set, or a ValidationError
# from create_change_set / update_stack.
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
CHANGE_SET_WAIT = {"Delay": 3, "MaxAttempts": 200}
STACK_WAIT = {"Delay": 5, "MaxAttempts": 720}


def is_no_changes(text: str) -> bool:
    return any(marker in text for marker in NO_CHANGES)


@dataclass(frozen=True)
class DeployedStack:
    name: str
    stack_id: str
    status: str
    tags: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    termination_protection: bool = False


@dataclass(frozen=True)
class TemplateSource:
    """Exactly one of body (inline, at most 51,200 bytes) or url (S3)."""

    body: str | None = None
    url: str | None = None

    def kwargs(self) -> dict[str, str]:
        return {"TemplateURL": self.url} if self.url else {"TemplateBody": self.body or ""}


@dataclass(frozen=True)
class ChangeSetResult:
    change_set_id: str
    status: str
    reason: str
    changes: tuple[dict[str, Any], ...]
    no_changes: bool = False


def _stack(raw: dict[str, Any]) -> DeployedStack:
    return DeployedStack(
        name=raw["StackName"],
        stack_id=raw["StackId"],
        status=raw["StackStatus"],
        tags={t["Key"]: t["Value"] for t in raw.get("Tags") or []},
        outputs={o["OutputKey"]: o.get("OutputValue", "") for o in raw.get("Outputs") or []},
        termination_protection=bool(raw.get("EnableTerminationProtection")),
    )


def find_stack(clients: AwsClients, name: str) -> DeployedStack | None:
    """The live stack of that name, or None (never created, or deleted)."""
    from botocore.exceptions import ClientError

    cfn = clients.client("cloudformation")

    def call() -> DeployedStack | None:
        try:
            stacks = cfn.describe_stacks(StackName=name)["Stacks"]
        except ClientError as exc:
            if "does not exist" in str(exc):
                return None
            raise
        live = [s for s in stacks if s["StackStatus"] != "DELETE_COMPLETE"]
        return _stack(live[0]) if live else None

    return calling(f"reading stack {name} (cloudformation describe-stacks)", call)


def stacks_tagged(clients: AwsClients, tags: dict[str, str]) -> list[DeployedStack]:
    """Every live stack carrying all of `tags`, by name."""

    def call() -> list[DeployedStack]:
        found = []
        for page in clients.client("cloudformation").get_paginator("describe_stacks").paginate():
            for raw in page.get("Stacks", []):
                stack = _stack(raw)
                if stack.status != "DELETE_COMPLETE" and all(stack.tags.get(k) == v for k, v in tags.items()):
                    found.append(stack)
        return sorted(found, key=lambda s: s.name)

    shown = ", ".join(f"{k}={v}" for k, v in sorted(tags.items()))
    return calling(f"listing stacks tagged {shown} (cloudformation describe-stacks)", call)


class _ShortFormLoader(yaml.SafeLoader):
    """CloudFormation short-form tags (!Ref, !GetAtt, ...) read as nothing: only Metadata and literal
    properties of a deployed template are read (a template written by hand may use them)."""


_ShortFormLoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)


def parse_template(body: Any) -> dict[str, Any]:
    """get_template's TemplateBody: botocore decodes JSON bodies to a dict; YAML comes as text."""
    if isinstance(body, dict):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        try:
            data = yaml.load(body, Loader=_ShortFormLoader)  # a SafeLoader subclass
        except yaml.YAMLError:
            data = None
    return data if isinstance(data, dict) else {}


def get_template(clients: AwsClients, name: str) -> dict[str, Any]:
    body = calling(f"reading the template of stack {name} (cloudformation get-template)", lambda: clients.client("cloudformation").get_template(StackName=name))
    return parse_template(body.get("TemplateBody"))


def create_change_set(
    clients: AwsClients,
    *,
    stack_name: str,
    change_set_name: str,
    change_set_type: str,
    template: TemplateSource,
    parameters: dict[str, str],
    tags: dict[str, str],
    role_arn: str | None = None,
) -> str | None:
    """The change set's id; None when CloudFormation answers at once that nothing changed."""
    from botocore.exceptions import ClientError

    kwargs: dict[str, Any] = dict(
        StackName=stack_name,
        ChangeSetName=change_set_name,
        ChangeSetType=change_set_type,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(parameters.items())],
        Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())],
        Capabilities=[],
        **template.kwargs(),
    )
    if role_arn:
        kwargs["RoleARN"] = role_arn

    def call() -> str | None:
        try:
            return str(clients.client("cloudformation").create_change_set(**kwargs)["Id"])
        except ClientError as exc:
            if is_no_changes(str(exc)):
                return None
            raise

    return calling(f"creating {change_set_type} change set {change_set_name} for stack {stack_name}", call)


def describe_change_set(clients: AwsClients, change_set_id: str) -> ChangeSetResult:
    """Status and every page of Changes, with property values."""

    def call() -> ChangeSetResult:
        changes: list[dict[str, Any]] = []
        status = reason = ""
        paginator = clients.client("cloudformation").get_paginator("describe_change_set")
        for page in paginator.paginate(ChangeSetName=change_set_id, IncludePropertyValues=True):
            status, reason = page.get("Status", ""), page.get("StatusReason", "")
            changes.extend(page.get("Changes") or [])
        return ChangeSetResult(change_set_id, status, reason, tuple(changes), no_changes=status == "FAILED" and is_no_changes(reason))

    return calling(f"describing change set {change_set_id}", call)


def wait_change_set(clients: AwsClients, change_set_id: str, stack_name: str) -> ChangeSetResult:
    """Wait for the change set (waiter change_set_create_complete) and describe it. A change set that
    failed because nothing changed is a result (no_changes), any other failure an AwsError."""
    waiter = clients.client("cloudformation").get_waiter("change_set_create_complete")
    with contextlib.suppress(AwsError):  # FAILED is a waiter failure too; the description below says which kind
        calling(
            f"waiting for change set of stack {stack_name}",
            lambda: waiter.wait(ChangeSetName=change_set_id, StackName=stack_name, WaiterConfig=CHANGE_SET_WAIT),
        )
    result = describe_change_set(clients, change_set_id)
    if result.status == "FAILED" and not result.no_changes:
        raise AwsError(f"change set for stack {stack_name} failed: {result.reason or 'no reason given'}")
    return result


def execute_change_set(clients: AwsClients, change_set_id: str, stack_name: str) -> None:
    calling(
        f"executing change set of stack {stack_name}",
        lambda: clients.client("cloudformation").execute_change_set(ChangeSetName=change_set_id, StackName=stack_name),
    )


def delete_change_set(clients: AwsClients, change_set_id: str, stack_name: str) -> None:
    calling(
        f"deleting change set of stack {stack_name}",
        lambda: clients.client("cloudformation").delete_change_set(ChangeSetName=change_set_id, StackName=stack_name),
    )


def wait_stack(clients: AwsClients, stack_name: str, waiter_name: str) -> None:
    """stack_create_complete / stack_update_complete / stack_delete_complete; AwsError on failure."""
    waiter = clients.client("cloudformation").get_waiter(waiter_name)
    calling(f"waiting for stack {stack_name} ({waiter_name.replace('_', ' ')})", lambda: waiter.wait(StackName=stack_name, WaiterConfig=STACK_WAIT))


def stack_events(clients: AwsClients, stack: str) -> list[dict[str, Any]]:
    """Every event of the stack (name or id), oldest first."""

    def call() -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        for page in clients.client("cloudformation").get_paginator("describe_stack_events").paginate(StackName=stack):
            events.extend(page.get("StackEvents", []))
        return list(reversed(events))

    return calling(f"reading the events of stack {stack} (cloudformation describe-stack-events)", call)


def physical_id(clients: AwsClients, stack_name: str, logical_id: str) -> str | None:
    """A resource's physical id through describe_stack_resources (works where Outputs are missing)."""
    resources = calling(
        f"reading resource {logical_id} of stack {stack_name} (cloudformation describe-stack-resources)",
        lambda: clients.client("cloudformation").describe_stack_resources(StackName=stack_name, LogicalResourceId=logical_id)["StackResources"],
    )
    for resource in resources:
        if resource.get("LogicalResourceId") == logical_id and resource.get("PhysicalResourceId"):
            return str(resource["PhysicalResourceId"])
    return None


def stack_resources(clients: AwsClients, stack_name: str) -> list[dict[str, Any]]:
    return list(
        calling(
            f"reading the resources of stack {stack_name} (cloudformation describe-stack-resources)",
            lambda: clients.client("cloudformation").describe_stack_resources(StackName=stack_name)["StackResources"],
        )
    )


def get_stack_policy(clients: AwsClients, stack_name: str) -> str | None:
    body = calling(f"reading the stack policy of {stack_name}", lambda: clients.client("cloudformation").get_stack_policy(StackName=stack_name))
    return body.get("StackPolicyBody")


def set_stack_policy(clients: AwsClients, stack_name: str, policy: str) -> None:
    calling(
        f"setting the stack policy of {stack_name}", lambda: clients.client("cloudformation").set_stack_policy(StackName=stack_name, StackPolicyBody=policy)
    )


def set_termination_protection(clients: AwsClients, stack_name: str, enabled: bool) -> None:
    calling(
        f"turning termination protection {'on' if enabled else 'off'} for stack {stack_name}",
        lambda: clients.client("cloudformation").update_termination_protection(StackName=stack_name, EnableTerminationProtection=enabled),
    )


def delete_stack(clients: AwsClients, stack_name: str, *, role_arn: str | None = None, retain: tuple[str, ...] = ()) -> None:
    kwargs: dict[str, Any] = {"StackName": stack_name}
    if role_arn:
        kwargs["RoleARN"] = role_arn
    if retain:
        kwargs["RetainResources"] = list(retain)
    calling(f"deleting stack {stack_name}", lambda: clients.client("cloudformation").delete_stack(**kwargs))
