"""Group-wide merge helpers (§3.4): exclusive values and key-wise merged maps."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from ingress2cfn.input.errors import Claim, ConflictError
from ingress2cfn.rules.annotations import Found
from ingress2cfn.rules.groups import Member


def claim(found: Found, shown: str | None = None) -> Claim:
    return Claim(found.owner, found.loc, repr(found.raw) if shown is None else shown)


def _shown_entry(key: str, found: Found) -> str:
    return repr(found.value[key])


def conflict(message: str, a: Found, b: Found, shown: Callable[[Found], str] | None = None) -> ConflictError:
    """A group conflict located like every other error (`file:line [doc N] Kind ns/name field: ...`), at
    the later of the two writers; the message names the earlier one with its location."""
    show = shown or (lambda f: repr(f.raw))
    return ConflictError.between(message, claim(a, show(a)), claim(b, show(b)))


def exclusive(
    members: Iterable[Member],
    key: str,
    message: str,
    normalise: Callable[[Any], Any] = lambda v: v,
) -> Found | None:
    """One distinct value across the members that set it; it then applies to the whole group."""
    chosen: Found | None = None
    for member in members:
        found = member.annotations.get(key)
        if found is None:
            continue
        if chosen is None:
            chosen = found
        elif normalise(found.value) != normalise(chosen.value):
            raise conflict(message, chosen, found)
    return chosen


def merged_map(
    found_maps: Iterable[Found],
    message: Callable[[str, str, str], str],
) -> dict[str, str]:
    """Key-wise union; the same key with two values is a conflict naming both writers."""
    out: dict[str, str] = {}
    writer: dict[str, Found] = {}
    for found in found_maps:
        for key, value in found.value.items():
            if key in out and out[key] != value:
                raise conflict(message(key, out[key], value), writer[key], found, shown=functools.partial(_shown_entry, key))
            out[key] = value
            writer[key] = found
    return out
