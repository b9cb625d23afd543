"""A finding of `ingress2cfn lint`: one rule's verdict on one place, pointed at the manifests.

Checks work on the rendered template (so `lint --template FILE` needs no manifests) and name the
resource by logical id and property path; the lint command then maps the resource's Metadata
(ingress, rule field) back to a manifest file and line."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingress2cfn.input.diagnostics import Severity
from ingress2cfn.input.location import SourceLocation

__all__ = ["Finding", "Severity"]


@dataclass(frozen=True)
class Finding:
    rule_id: str  # e.g. I2C1001 (ours) or E3002 (cfn-lint)
    severity: Severity
    message: str
    stack: str = ""  # stack name or template file
    logical_id: str | None = None
    property_path: tuple[str | int, ...] = ()
    ingresses: tuple[str, ...] = ()  # ns/name of the Ingresses involved, first = the one to blame
    rule_fields: tuple[str, ...] = ()  # field paths inside those Ingresses, same order (may be shorter)
    locations: tuple[SourceLocation, ...] = field(default=(), compare=False)  # filled by the lint command
    source: str = "ingress2cfn"  # or "cfn-lint"
