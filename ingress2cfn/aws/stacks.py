"""The CloudFormation reads sync and `bindings` need from a deployed stack: its resources (target
group ARNs by logical id) and its template (the resources' Metadata and properties)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ingress2cfn.aws.clients import AwsClients, calling

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"


def stack_resources(clients: AwsClients, stack: str) -> dict[str, dict[str, Any]]:
    """Logical id → {"PhysicalResourceId", "ResourceType", "ResourceStatus"}."""
    response = calling(
        f"reading the resources of stack {stack} (cloudformation describe-stack-resources)",
        lambda: clients.client("cloudformation").describe_stack_resources(StackName=stack),
    )
    return {r["LogicalResourceId"]: r for r in response.get("StackResources", [])}


class _Loader(yaml.SafeLoader):
    """CloudFormation short-form tags (!Ref, !GetAtt, ...) read as plain values: only Metadata and
    literal properties are used."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def stack_template(clients: AwsClients, stack: str) -> dict[str, Any]:
    """The deployed template, parsed (JSON or YAML)."""
    response = calling(
        f"reading the template of stack {stack} (cloudformation get-template)",
        lambda: clients.client("cloudformation").get_template(StackName=stack, TemplateStage="Original"),
    )
    body = response.get("TemplateBody")
    if isinstance(body, dict):
        return body
    text = body if isinstance(body, str) else json.dumps(body)
    parsed = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    return parsed if isinstance(parsed, dict) else {}
