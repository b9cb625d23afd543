"""Each resource type's create-only properties (a change to one makes CloudFormation replace the
resource), read from the CloudFormation resource schemas that ship inside cfn-lint, so they follow
the installed cfn-lint instead of a copied list.

cfn-lint 1.5x stores them as `data/schemas/providers/us-east-1.json` (resource type → schema hash)
plus `data/schemas/resources/<hash>.json`; older releases had one file per type under
`providers/us_east_1/`. Both layouts are read as package data (importlib.resources), never from
the user's schema cache, so a review does not change with what `cfn-lint --update-specs` fetched."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

SCHEMAS_PACKAGE = "cfnlint.data.schemas"
REGION = "us-east-1"


def _schemas_root() -> Traversable:
    return resources.files(SCHEMAS_PACKAGE)


def _read_json(node: Traversable) -> Any:
    try:
        return json.loads(node.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@cache
def _provider_index() -> dict[str, str]:
    index = _read_json(_schemas_root() / "providers" / f"{REGION}.json")
    return {k: v for k, v in index.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(index, dict) else {}


@cache
def resource_schema(resource_type: str) -> dict[str, Any]:
    """The CloudFormation resource schema of a type ({} when cfn-lint does not know it)."""
    root = _schemas_root()
    digest = _provider_index().get(resource_type)
    schema = _read_json(root / "resources" / f"{digest}.json") if digest else None
    if not isinstance(schema, dict):  # the older one-file-per-type layout
        legacy = resource_type.lower().replace("::", "-") + ".json"
        schema = _read_json(root / "providers" / REGION.replace("-", "_") / legacy)
    return schema if isinstance(schema, dict) else {}


def _pointer(path: str) -> tuple[str, ...] | None:
    """`/properties/Foo/Bar` → ("Foo", "Bar"); other pointers (not under /properties) → None."""
    parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:])
    if len(parts) < 2 or parts[0] != "properties" or any(p in ("*", "") for p in parts[1:]):
        return None
    return parts[1:]


@cache
def create_only_properties(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """Property paths inside `Properties`, e.g. (("Name",), ("Port",)), sorted."""
    paths = resource_schema(resource_type).get("createOnlyProperties")
    if not isinstance(paths, list):
        return ()
    out = {p for p in (_pointer(x) for x in paths if isinstance(x, str)) if p is not None}
    return tuple(sorted(out))
