"""One error base for everything the user can fix; the CLI turns these into exit 1."""

from __future__ import annotations

from ingress2cfn.input.location import SourceLocation


def describe_object(kind: str | None, namespace: str | None, name: str | None) -> str:
    if not kind:
        return ""
    if namespace:
        return f"{kind} {namespace}/{name}"
    return f"{kind} {name}" if name else kind


class Ingress2CfnError(Exception):
    """Base: bad input or failed validation. Message is complete and located."""


class InputError(Ingress2CfnError):
    def __init__(self, message: str, loc: SourceLocation | None = None, obj: str = ""):
        self.loc = loc
        self.obj = obj
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        parts = []
        if self.loc is not None:
            parts.append(self.loc.prefix())
        if self.obj:
            parts.append(self.obj)
        head = " ".join(parts)
        if self.loc is not None and self.loc.path:
            head += f" {self.loc.field_path}"
        return f"{head}: {self.detail}" if head else self.detail


class ConflictError(Ingress2CfnError):
    """A group-wide setting given two different values by two Ingresses."""


class ErrorList(Ingress2CfnError):
    def __init__(self, errors: list[Ingress2CfnError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
