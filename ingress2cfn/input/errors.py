"""One error base for everything the user can fix; the CLI turns these into exit 1. Every error
carries its `Diagnostic`s: the located data, of which the message is one rendering."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from ingress2cfn.input.diagnostics import Diagnostic, error
from ingress2cfn.input.location import SourceLocation


def describe_object(kind: str | None, namespace: str | None, name: str | None) -> str:
    """`Kind ns/name` (or `Kind name` for cluster-scoped objects), as messages name objects."""
    if not kind:
        return ""
    if namespace:
        return f"{kind} {namespace}/{name}"
    return f"{kind} {name}" if name else kind


class Ingress2CfnError(Exception):
    """Base: bad input or failed validation. Message is complete and located."""

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (error(None, "", str(self)),)


class InputError(Ingress2CfnError):
    def __init__(self, message: str, loc: SourceLocation | None = None, obj: str = ""):
        self.diagnostic = error(loc, obj, message)
        super().__init__(str(self.diagnostic))

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> InputError:
        return cls(diagnostic.message, diagnostic.location, diagnostic.object)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (self.diagnostic,)


class Claim(msgspec.Struct, frozen=True):
    """One side of a conflict: who sets the value, where, and the value as the message shows it."""

    object: str  # "Ingress shop/cart"
    location: SourceLocation
    value: str


class ConflictError(Ingress2CfnError):
    """A group-wide setting given different values by two (or more) objects. Located at the last
    claim, like every other error; the earlier claims' locations are the diagnostic's `related`."""

    def __init__(self, message: str, claims: Iterable[Claim]):
        self.claims = tuple(claims)
        if len(self.claims) < 2:
            raise ValueError("a conflict needs two claims")
        *earlier, last = self.claims
        self.diagnostic = error(last.location, last.object, message, tuple(c.location for c in earlier))
        super().__init__(str(self.diagnostic))

    @classmethod
    def between(cls, what: str, first: Claim, second: Claim) -> ConflictError:
        """`what: A sets 'x' (a.yaml:3 [doc 1]) | B sets 'y'`, located at B."""
        return cls(f"{what}: {first.object} sets {first.value} ({first.location.prefix()}) | {second.object} sets {second.value}", (first, second))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (self.diagnostic,)


class ErrorList(Ingress2CfnError):
    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.items = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.items))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.items
