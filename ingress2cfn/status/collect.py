"""Read one stack's deployment from AWS (through ingress2cfn.aws.inventory) and assemble its status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from ingress2cfn.aws import inventory
from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.status.assemble import LB_TYPE, TG_TYPE, group_status, live_resources
from ingress2cfn.status.report import GroupStatus


def parse_template(body: Any) -> dict[str, Any]:
    """The deployed template as a mapping ({} when unreadable: status then shows no group or services).
    Templates of ingress2cfn are plain YAML or JSON (no short-form tags)."""
    if isinstance(body, dict):
        return body
    if isinstance(body, str):
        try:
            loaded = yaml.safe_load(body)
        except yaml.YAMLError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    return {}


def collect(clients: AwsClients, stack_name: str, *, events: bool = True, health: bool = True) -> GroupStatus:
    """`events=False, health=False` reads only what the Ingress status write-back needs (stack status,
    members, load balancers and listeners): the lighter call for every sync round."""
    stack = inventory.describe_stack(clients, stack_name)
    if stack is None:
        return group_status(stack_name, None)
    stack_events = inventory.stack_events(clients, stack_name) if events else []
    resources = inventory.stack_resources(clients, stack_name)
    template = parse_template(inventory.stack_template(clients, stack_name))
    lbs = inventory.load_balancers(clients, [arn for _, arn in live_resources(resources, LB_TYPE)])
    listeners = {lb["LoadBalancerArn"]: inventory.listeners(clients, lb["LoadBalancerArn"]) for lb in lbs}
    tgs, target_health = [], {}
    if health:
        tgs = inventory.target_groups(clients, [arn for _, arn in live_resources(resources, TG_TYPE)])
        target_health = {tg["TargetGroupArn"]: inventory.target_health(clients, tg["TargetGroupArn"]) for tg in tgs}
    return group_status(stack_name, stack, stack_events, resources, template, lbs, listeners, tgs, target_health)


def collect_all(clients: AwsClients, stack_names: Iterable[str]) -> list[GroupStatus]:
    return [collect(clients, name) for name in stack_names]
