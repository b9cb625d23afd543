"""What is deployed: the CloudFormation and ELBv2 reads `ingress2cfn status` (and the Ingress status
write-back) need. Plain boto3 shapes out, no judgement; every call named through `calling`."""

from __future__ import annotations

from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling

MAX_EVENTS = 200  # enough to reach back to the start of the last stack operation


def describe_stack(clients: AwsClients, stack_name: str) -> dict[str, Any] | None:
    """`describe_stacks` for one stack; None when it does not exist (CloudFormation answers a
    ValidationError "Stack with id X does not exist" for that, as for a deleted stack)."""
    from botocore.exceptions import ClientError

    cfn = clients.client("cloudformation")

    def read() -> dict[str, Any] | None:
        try:
            stacks = cfn.describe_stacks(StackName=stack_name).get("Stacks", [])
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") == "ValidationError" and "does not exist" in str(error.get("Message", "")):
                return None
            raise
        return stacks[0] if stacks else None

    return calling(f"reading stack {stack_name} (cloudformation describe-stacks)", read)


def stack_events(clients: AwsClients, stack_name: str, max_events: int = MAX_EVENTS) -> list[dict[str, Any]]:
    """The newest `max_events` stack events, newest first (the paginator's order)."""

    def read() -> list[dict[str, Any]]:
        paginator = clients.client("cloudformation").get_paginator("describe_stack_events")
        events: list[dict[str, Any]] = []
        for page in paginator.paginate(StackName=stack_name, PaginationConfig={"MaxItems": max_events}):
            events.extend(page.get("StackEvents", []))
        return events

    return calling(f"reading the events of stack {stack_name} (cloudformation describe-stack-events)", read)


def stack_resources(clients: AwsClients, stack_name: str) -> list[dict[str, Any]]:
    return calling(
        f"reading the resources of stack {stack_name} (cloudformation describe-stack-resources)",
        lambda: clients.client("cloudformation").describe_stack_resources(StackName=stack_name).get("StackResources", []),
    )


def stack_template(clients: AwsClients, stack_name: str) -> Any:
    """The deployed template body: a dict for JSON bodies (botocore decodes them), a string for YAML."""
    return calling(
        f"reading the template of stack {stack_name} (cloudformation get-template)",
        lambda: clients.client("cloudformation").get_template(StackName=stack_name).get("TemplateBody"),
    )


def load_balancers(clients: AwsClients, arns: list[str]) -> list[dict[str, Any]]:
    if not arns:
        return []

    def read() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in clients.client("elbv2").get_paginator("describe_load_balancers").paginate(LoadBalancerArns=arns):
            out.extend(page.get("LoadBalancers", []))
        return out

    return calling("reading load balancers (elbv2 describe-load-balancers)", read)


def listeners(clients: AwsClients, load_balancer_arn: str) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in clients.client("elbv2").get_paginator("describe_listeners").paginate(LoadBalancerArn=load_balancer_arn):
            out.extend(page.get("Listeners", []))
        return out

    return calling(f"reading the listeners of {load_balancer_arn} (elbv2 describe-listeners)", read)


def target_groups(clients: AwsClients, arns: list[str]) -> list[dict[str, Any]]:
    """Name, port, protocol, target type and LoadBalancerArns (empty: no listener or rule forwards to it)."""
    if not arns:
        return []

    def read() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in clients.client("elbv2").get_paginator("describe_target_groups").paginate(TargetGroupArns=arns):
            out.extend(page.get("TargetGroups", []))
        return out

    return calling("reading target groups (elbv2 describe-target-groups)", read)


def target_health(clients: AwsClients, target_group_arn: str) -> list[dict[str, Any]]:
    return calling(
        f"reading target health of {target_group_arn} (elbv2 describe-target-health)",
        lambda: clients.client("elbv2").describe_target_health(TargetGroupArn=target_group_arn).get("TargetHealthDescriptions", []),
    )
