"""One typed record for every error and warning about the input: what is wrong, where, and on
which object. Errors carry one (`input.errors`), render warnings are lists of them, and lint turns
the warnings into findings, so every format (and later the deploy review) sees the same data."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import msgspec

from ingress2cfn.input.location import SourceLocation
from ingress2cfn.input.printable import escape


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Diagnostic(msgspec.Struct, frozen=True):
    """`str(d)` is the line the user reads: `file:line [doc N] Ingress ns/name field: message`.
    Only errors name the field in that head; a warning says in its message what it ignores, so its
    head stops at the object (the field is still in `location.path` for the formats that want it).
    `related`: the other places the message names (the first writer of a conflicting value).
    Control characters and newlines are escaped (`input.printable`)."""

    severity: Severity
    location: SourceLocation | None
    object: str  # "Ingress shop/cart", "Service shop/cart (used by Ingress shop/web)", "VPC description"
    message: str
    related: tuple[SourceLocation, ...] = ()

    def __str__(self) -> str:
        head = " ".join(part for part in (self.location.prefix() if self.location is not None else "", self.object) if part)
        if self.severity is Severity.ERROR and self.location is not None and self.location.path:
            head += f" {self.location.field_path}"
        # one line whatever the manifest holds: names and values come from untrusted input
        return escape(_cut(f"{head}: {self.message}" if head else self.message))


MAX_LISTED = 10  # items a message lists before it counts the rest
MAX_MESSAGE = 2000  # characters of one message line; the rest is counted, not printed


def listed(items: Iterable[str], limit: int = MAX_LISTED) -> str:
    """`a, b, c` — or `a, b, … and 999,990 more` past `limit`: a list from a manifest can be huge."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … and {len(items) - limit:,} more"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else f"{text[:MAX_MESSAGE]}… ({len(text) - MAX_MESSAGE:,} more characters)"


def error(location: SourceLocation | None, obj: str, message: str, related: tuple[SourceLocation, ...] = ()) -> Diagnostic:
    return Diagnostic(Severity.ERROR, location, obj, message, related)


def warning(location: SourceLocation | None, obj: str, message: str, related: tuple[SourceLocation, ...] = ()) -> Diagnostic:
    return Diagnostic(Severity.WARNING, location, obj, message, related)


def unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The first of each distinct text, in order (a warning reached twice is shown once)."""
    first: dict[str, Diagnostic] = {}
    for d in diagnostics:
        first.setdefault(str(d), d)
    return list(first.values())
