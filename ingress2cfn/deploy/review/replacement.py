"""Predicting which resources an update replaces, from the deployed and the new template alone.

CloudFormation's change set says so in `Replacement`/`Details`, but may say "Conditional" and
local emulators leave both out. A resource is replaced when its Type changes or a create-only
property (create_only.py) differs; and, as CloudFormation evaluates it at execution, when a
create-only property refers to a resource that is itself replaced (a replaced ALB replaces its
listeners through LoadBalancerArn, a replaced listener its rules through ListenerArn)."""

from __future__ import annotations

from typing import Any

from ingress2cfn.deploy.review.create_only import create_only_properties
from ingress2cfn.deploy.review.model import Replacement
from ingress2cfn.deploy.review.template import at, properties, refs_in, resource_type, resources, same

# Properties that give a resource its physical name: CloudFormation will not replace a resource
# whose custom name stays the same (the new one could not be created beside the old one).
NAME_PROPERTIES = ("Name", "GroupName")


def name_property(body: dict[str, Any] | None) -> tuple[str, str] | None:
    """(property, value) of the custom physical name a resource body sets, if any."""
    props = properties(body)
    for prop in NAME_PROPERTIES:
        value = props.get(prop)
        if isinstance(value, str) and (prop,) in create_only_properties(resource_type(body or {})):
            return prop, value
    return None


def predict_replacements(old: dict, new: dict) -> tuple[Replacement, ...]:
    """Resources of both templates that the update replaces, in logical-id order."""
    before, after = resources(old), resources(new)
    common = sorted(before.keys() & after.keys())
    causes: dict[str, list[str]] = {}
    because: dict[str, list[str]] = {}
    for lid in common:
        if resource_type(before[lid]) != resource_type(after[lid]):
            causes[lid] = ["Type"]
            continue
        old_props, new_props = properties(before[lid]), properties(after[lid])
        differing = [".".join(path) for path in create_only_properties(resource_type(after[lid])) if not same(at(old_props, path), at(new_props, path))]
        if differing:
            causes[lid] = differing
    grew = True
    while grew:  # follow references from create-only properties to replaced resources
        grew = False
        for lid in common:
            new_props = properties(after[lid])
            for path in create_only_properties(resource_type(after[lid])):
                value = at(new_props, path)
                replaced_refs = sorted(r for r in refs_in(value) if r in causes and r != lid)
                prop = ".".join(path)
                if replaced_refs and prop not in causes.get(lid, []):
                    causes.setdefault(lid, []).append(prop)
                    because.setdefault(lid, []).extend(r for r in replaced_refs if r not in because.get(lid, []))
                    grew = True
    return tuple(
        Replacement(
            logical_id=lid,
            resource_type=resource_type(after[lid]),
            properties=tuple(causes[lid]),
            custom_named=name_property(after[lid]) is not None,
            because=tuple(because.get(lid, ())),
        )
        for lid in sorted(causes)
    )


def keeps_name(replacement: Replacement, old: dict | None, new: dict | None) -> tuple[str, str] | None:
    """(property, name) when a replaced resource keeps its custom name: CloudFormation cannot
    execute that replacement."""
    if not replacement.custom_named:
        return None
    before = resources(old).get(replacement.logical_id)
    after = resources(new).get(replacement.logical_id)
    kept = name_property(after)
    if kept is None or kept != name_property(before):
        return None
    return kept
