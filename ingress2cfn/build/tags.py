"""Tags (§10): user tags merged across the group, tracking tags winning over everything."""

from __future__ import annotations

from ingress2cfn.build.common import merged_map
from ingress2cfn.input.errors import InputError
from ingress2cfn.model.stack import Tag
from ingress2cfn.rules.annotations import AnnotatedObject, Found
from ingress2cfn.rules.class_params import params_tags
from ingress2cfn.rules.groups import IngressGroup, Member

CLUSTER_TAG = "elbv2.k8s.aws/cluster"
STACK_TAG = "ingress.k8s.aws/stack"
RESOURCE_TAG = "ingress.k8s.aws/resource"
TAG_KEY_MAX = 128  # ELBv2 AddTags / CloudFormation Tags: key 1-128, value 0-256 characters
TAG_VALUE_MAX = 256


def _too_long(key: str, value: str) -> str | None:
    if len(key) > TAG_KEY_MAX:
        return f"tag key {key[:40]!r}... is {len(key)} characters; AWS allows at most {TAG_KEY_MAX}"
    if len(value) > TAG_VALUE_MAX:
        return f"the value of tag {key!r} is {len(value)} characters; AWS allows at most {TAG_VALUE_MAX}"
    return None


def _limited(found: Found | None) -> Found | None:
    """The tags annotation, refused here (located) when a key or value is longer than AWS takes."""
    for key, value in found.value.items() if found is not None else ():
        why = _too_long(key, value)
        if why is not None:
            assert found is not None
            raise InputError(why, found.loc, found.owner)
    return found


def _conflict(key: str, a: str, b: str) -> str:
    return f"conflicting tag {key}: {a} | {b}"


def member_tags(member: Member) -> dict[str, str]:
    found = _limited(member.annotations.get("tags"))
    return dict(found.value) if found else {}


def group_tags(members: tuple[Member, ...]) -> dict[str, str]:
    return merged_map([f for m in members if (f := _limited(m.annotations.get("tags"))) is not None], _conflict)


def target_group_user_tags(service: AnnotatedObject | None, ingress: AnnotatedObject) -> dict[str, str]:
    tags = {}
    found = _limited(ingress.get("tags"))
    if found:
        tags.update(found.value)
    if service is not None:
        found = _limited(service.get("tags"))
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
    for key in (STACK_TAG, RESOURCE_TAG):
        why = _too_long(key, tags.get(key, ""))
        if why is not None:  # names from the Ingress (namespace/name of an implicit group) too long for AWS
            first = group.members[0].ingress
            raise InputError(f"{why} (made from the names of the Ingress and its Service: shorten them)", first.origin.at("metadata", "name"), first.describe)
    return tuple(Tag(k, v) for k, v in sorted(tags.items()))
