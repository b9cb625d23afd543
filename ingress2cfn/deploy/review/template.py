"""Reading parsed CloudFormation templates for the review. Deployed templates come back from
`get_template` and may have been edited by hand: nothing here trusts their shape."""

from __future__ import annotations

from typing import Any

from ingress2cfn.lint.checks.context import as_dict, ref_target

_MISSING = object()


def resources(template: dict | None) -> dict[str, dict[str, Any]]:
    """Logical id → resource body, for bodies that are mappings with a string Type."""
    out: dict[str, dict[str, Any]] = {}
    for lid, body in as_dict(as_dict(template).get("Resources")).items():
        if isinstance(lid, str) and isinstance(body, dict) and isinstance(body.get("Type"), str):
            out[lid] = body
    return out


def resource_type(body: dict[str, Any]) -> str:
    return str(body.get("Type"))


def properties(body: dict[str, Any] | None) -> dict[str, Any]:
    return as_dict(as_dict(body).get("Properties"))


def normalise(value: Any) -> Any:
    """A comparable form: scalars as CloudFormation sees them (80 == "80", True == "true")."""
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return value


def at(props: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a property path, or a sentinel that compares unequal to every value."""
    node: Any = props
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return bool(normalise(a) == normalise(b))


def refs_in(value: Any) -> set[str]:
    """Logical ids a value refers to through Ref / Fn::GetAtt / Fn::Sub, anywhere inside it."""
    found: set[str] = set()
    target = ref_target(value)
    if target is not None:
        found.add(target)
    if isinstance(value, dict):
        sub = value.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) and sub else sub
        if isinstance(text, str):
            found.update(part.split("}", 1)[0].split(".", 1)[0] for part in text.split("${")[1:])
        for v in value.values():
            found |= refs_in(v)
    elif isinstance(value, list):
        for v in value:
            found |= refs_in(v)
    return found
