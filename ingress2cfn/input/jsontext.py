"""JSON from untrusted strings (annotation values): `json.loads` with a nesting bound, so deep
input is a JSONDecodeError like any other syntax error, never a RecursionError in the decoder or in
whatever walks the result."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100  # the loader's bound for YAML documents


def _too_deep(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def loads(text: str) -> Any:
    """`json.loads`; nesting deeper than MAX_DEPTH raises json.JSONDecodeError."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError(f"nested more than {MAX_DEPTH} levels deep", text, 0) from None
    if _too_deep(data, MAX_DEPTH):
        raise json.JSONDecodeError(f"nested more than {MAX_DEPTH} levels deep", text, 0)
    return data
