"""Render warnings as lint findings, so they reach every format: rule I2C0001 `render-warning`.

A render warning is about the manifests (an annotation that is ignored, a setting applied only in
part), not about one template, so its finding names no stack; its first location is the manifest
field the warning is about, further locations the places its message names."""

from __future__ import annotations

from collections.abc import Iterable

from ingress2cfn.input.diagnostics import Diagnostic, Severity
from ingress2cfn.lint.findings import Finding
from ingress2cfn.lint.formats.report import RuleInfo

RULE_ID = "I2C0001"
RULE = RuleInfo(
    RULE_ID,
    "render-warning",
    "Manifest setting ignored or applied only in part",
    Severity.WARNING,
    "ingress2cfn",
    None,
    "Rendering the manifests warned: an annotation or field that has no effect where it is written (unknown key, read from "
    "another kind, replaced by IngressClassParams, a listener the Ingress lacks...), or that the controller applies only in "
    "part. The same lines `ingress2cfn render` prints on stderr.",
)


def findings(diagnostics: Iterable[Diagnostic]) -> list[Finding]:
    out = []
    for d in diagnostics:
        places = tuple(loc for loc in (d.location, *d.related) if loc is not None)
        out.append(Finding(RULE_ID, d.severity, f"{d.object}: {d.message}" if d.object else d.message, locations=places))
    return out
