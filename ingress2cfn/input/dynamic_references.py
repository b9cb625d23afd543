"""CloudFormation resolves `{{resolve:secretsmanager:…}}`, `{{resolve:ssm:…}}` and
`{{resolve:ssm-secure:…}}` in any resource property at deploy time. A manifest string carrying one
would pull a secret into the ALB (a fixed-response body, a redirect `Location`, a tag) for anyone
to read, so no manifest-supplied string may hold one, in any case, anywhere in the value; the only
dynamic references in a template are the ones ingress2cfn writes itself (the OIDC client secret,
build/auth.py)."""

from __future__ import annotations

from typing import Any

MARKER = "{{resolve:"

WHY = (
    "holds a CloudFormation dynamic reference ({{resolve:...}}), which CloudFormation would replace with a secret or "
    "parameter value at deploy time; manifests may not contain one (ingress2cfn writes the only ones, for OIDC client secrets)"
)


def holds(text: str) -> bool:
    # "{{" first, without casefolding: no character but "{" casefolds to text holding a "{" (and
    # none to ""), so a string whose casefold holds the marker holds "{{" as written
    return "{{" in text and MARKER in text.casefold()


def _holds_any(data: Any) -> bool:
    """Whether any string in `data` (mapping keys included) holds a dynamic reference: `find`
    without the paths, which only the rare input that has one needs."""
    stack: list[Any] = [[data]]  # iterables of values still to look at
    while stack:
        for item in stack.pop():
            if isinstance(item, str):
                if "{{" in item and holds(item):
                    return True
            elif isinstance(item, dict):
                if any(isinstance(key, str) and "{{" in key and holds(key) for key in item):
                    return True
                stack.append(item.values())
            elif isinstance(item, list):
                stack.append(item)
    return False


def find(data: Any, limit: int = 20) -> list[tuple[str | int, ...]]:
    """Paths of the strings (mapping keys included) in `data` that hold a dynamic reference, in
    document order; iterative, so nesting depth does not matter."""
    if not _holds_any(data):
        return []
    found: list[tuple[str | int, ...]] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack and len(found) < limit:
        path, value = stack.pop()
        if isinstance(value, str):
            if holds(value):
                found.append(path)
        elif isinstance(value, dict):
            children: list[tuple[tuple[str | int, ...], Any]] = []
            for key, item in value.items():
                if isinstance(key, str) and holds(key):
                    found.append(path + (key,))
                children.append((path + (key if isinstance(key, (str, int)) else str(key),), item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(path + (i,), item) for i, item in enumerate(value)]))
    return found


def shown(path: tuple[str | int, ...]) -> str:
    """A path inside a decoded JSON value, for messages: `fixedResponseConfig.messageBody`, `[0].values[1]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "the value"
