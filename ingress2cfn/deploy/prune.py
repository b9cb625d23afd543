"""Stacks of the cluster that the input no longer renders (pure): found by their tags, removed only
after every addition is deployed (`--prune`), group stacks before the cluster stack."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ingress2cfn.model.metadata import STACK_TAG_CLUSTER, STACK_TAG_KIND


@dataclass(frozen=True)
class Found:
    name: str
    tags: dict[str, str]


def removals(found: Iterable[Found], cluster: str, rendered: Iterable[str]) -> list[Found]:
    """Stacks tagged for `cluster` whose names are not rendered: group stacks first (by name), the
    cluster stack last (it holds the backend security group the ALBs use)."""
    keep = set(rendered)
    gone = [f for f in found if f.tags.get(STACK_TAG_CLUSTER) == cluster and f.name not in keep]
    return sorted(gone, key=lambda f: (f.tags.get(STACK_TAG_KIND) == "cluster", f.name))
