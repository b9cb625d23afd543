"""The file source: `kubectl get endpointslices,pods,nodes,services -A -o yaml` output (one `List`
or plain objects, YAML or JSON), read with the project's located loader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingress2cfn.input.loader import load_sources
from ingress2cfn.input.location import SourceLocation

Located = tuple[Any, SourceLocation | None]


def flatten(obj: Any, loc: SourceLocation | None) -> list[Located]:
    """A `List` (or `<Kind>List`, as the client's typed lists print) gives its items."""
    if isinstance(obj, dict) and isinstance(obj.get("kind"), str) and obj["kind"].endswith("List") and isinstance(obj.get("items"), list):
        kind = obj["kind"][: -len("List")]
        out: list[Located] = []
        for i, item in enumerate(obj["items"]):
            if isinstance(item, dict) and kind and "kind" not in item:
                item = {**item, "kind": kind}  # typed lists leave kind out of their items
            out.extend(flatten(item, loc.at("items", i) if loc else None))
        return out
    return [(obj, loc)]


def load_objects(paths: Iterable[str], stdin_text: str | None = None) -> list[Located]:
    out: list[Located] = []
    for doc in load_sources(paths, stdin_text):
        out.extend(flatten(doc.data, doc.loc))
    return out
