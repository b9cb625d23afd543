"""Tags (§10): user tags merged across the group, tracking tags winning over everything."""

from __future__ import annotations

from ingress2cfn.build.common import merged_map
from ingress2cfn.model.stack import Tag
from ingress2cfn.rules.annotations import AnnotatedObject
from ingress2cfn.rules.class_params import params_tags
from ingress2cfn.rules.groups import IngressGroup, Member

CLUSTER_TAG = "elbv2.k8s.aws/cluster"
STACK_TAG = "ingress.k8s.aws/stack"
RESOURCE_TAG = "ingress.k8s.aws/resource"


def _conflict(key: str, a: str, b: str) -> str:
    return f"conflicting tag {key}: {a} | {b}"


def member_tags(member: Member) -> dict[str, str]:
    found = member.annotations.get("tags")
    return dict(found.value) if found else {}


def group_tags(members: tuple[Member, ...]) -> dict[str, str]:
    return merged_map([f for m in members if (f := m.annotations.get("tags")) is not None], _conflict)


def target_group_user_tags(service: AnnotatedObject | None, ingress: AnnotatedObject) -> dict[str, str]:
    tags = {}
    found = ingress.get("tags")
    if found:
        tags.update(found.value)
    if service is not None:
        found = service.get("tags")
        if found:
            tags.update(found.value)  # Service wins per key
    tags.update(params_tags(ingress))  # IngressClassParams tags beat both (§10)
    return tags


def with_tracking(user: dict[str, str], cluster: str, group: IngressGroup, resource: str | None) -> tuple[Tag, ...]:
    tags = dict(user)
    tags[CLUSTER_TAG] = cluster
    tags[STACK_TAG] = group.id
    if resource is not None:
        tags[RESOURCE_TAG] = resource
    return tuple(Tag(k, v) for k, v in sorted(tags.items()))
