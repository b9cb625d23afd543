"""Which stacks, in which order, with which parameters and tags (pure): the cluster stack first, its
BackendSecurityGroupId feeding each group stack's parameter. Everything is read from the rendered
templates' `Metadata.ingress2cfn` (stack name, tags) so nothing is named twice."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingress2cfn.model.metadata import STACK_TAG_CLUSTER, STACK_TAG_GROUP, read_template

BACKEND_SG_PARAMETER = "BackendSecurityGroupId"
BACKEND_SG_LOGICAL_ID = "BackendSecurityGroup"
MAX_TEMPLATE_BODY = 51_200  # CloudFormation's inline TemplateBody limit, in bytes


@dataclass(frozen=True)
class StackSpec:
    """One stack to deploy: the rendered template (parsed) and what CloudFormation needs besides it."""

    name: str
    group: str | None  # IngressGroup id; None for the cluster stack
    template: dict[str, Any]
    tags: tuple[tuple[str, str], ...]

    @property
    def body(self) -> str:
        return compact_json(self.template)

    @property
    def needs_backend_sg(self) -> bool:
        return BACKEND_SG_PARAMETER in (self.template.get("Parameters") or {})

    @property
    def too_big_for_inline(self) -> bool:
        return len(self.body.encode("utf-8")) > MAX_TEMPLATE_BODY


def compact_json(template: dict[str, Any]) -> str:
    return json.dumps(template, separators=(",", ":"), ensure_ascii=False)


def stack_specs(cluster_template: dict[str, Any], group_templates: Iterable[dict[str, Any]]) -> tuple[StackSpec, ...]:
    """The cluster stack first, then the group stacks by name."""
    groups = sorted((_spec(t) for t in group_templates), key=lambda s: s.name)
    return (_spec(cluster_template), *groups)


def _spec(template: dict[str, Any]) -> StackSpec:
    meta = read_template(template)
    if not meta.stack_name:
        raise ValueError("a rendered template without Metadata.ingress2cfn.stackName")  # our own output: a bug, not input
    return StackSpec(name=meta.stack_name, group=meta.group, template=template, tags=meta.stack_tags)


def parameters(spec: StackSpec, backend_sg: str | None) -> dict[str, str]:
    return {BACKEND_SG_PARAMETER: backend_sg} if spec.needs_backend_sg and backend_sg else {}


def cluster_tags(cluster: str) -> dict[str, str]:
    """The tags that find every stack of a cluster (prune, destroy)."""
    return {STACK_TAG_CLUSTER: cluster}


def group_of(tags: dict[str, str]) -> str | None:
    return tags.get(STACK_TAG_GROUP)


def oversized(specs: Iterable[StackSpec]) -> list[StackSpec]:
    return [s for s in specs if s.too_big_for_inline]
