"""The report every lint format lays out (one module per format, each with
`render(report: Report, *, colour: bool = False) -> str`; only `text` uses colour). As in
cfn-lint, findings carry paths and locations; a formatter only lays them out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint.findings import Finding, Severity

TOOL_NAME = "ingress2cfn"
TOOL_URI = "https://github.com/ingress2cfn/ingress2cfn"


@dataclass(frozen=True)
class RuleInfo:
    """One rule as the formats describe it (SARIF tool.driver.rules, JUnit test cases)."""

    id: str
    name: str
    description: str
    severity: Severity
    source: str = "ingress2cfn"  # or "cfn-lint"
    help_uri: str | None = None
    full_description: str = ""


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...]  # every rule that ran (ours) or fired (cfn-lint), sorted by id
    stacks: tuple[str, ...]  # stack names (or template files) linted, in order
    tool_version: str = "0"
    cfn_lint_version: str = ""
    limits: tuple[tuple[str, int, str], ...] = ()  # (quota, value, where it came from: default|aws|--quota)
    base_dir: Path = field(default_factory=Path.cwd)  # SARIF/GitHub paths are made relative to it

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def rule(self, rule_id: str) -> RuleInfo | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def relative(self, loc: SourceLocation) -> str:
        """The file as the user should see it: relative to base_dir when inside it."""
        if loc.file.startswith("<"):
            return loc.file
        path = Path(loc.file)
        try:
            return Path(os.path.relpath(path.resolve(), self.base_dir.resolve())).as_posix()
        except ValueError:  # another drive (Windows)
            return path.as_posix()


def who(f: Finding, i: int = 0) -> str:
    """`Ingress ns/name` of the finding's i-th Ingress, with its rule (`spec.rules[0].http.paths[1]`)
    when the finding is about one."""
    if i >= len(f.ingresses):
        return ""
    out = f"Ingress {f.ingresses[i]}"
    field = f.rule_fields[i] if i < len(f.rule_fields) else ""
    if field.startswith(("spec.rules", "spec.defaultBackend")):
        out += f" {field}"
    return out


def inside(report: Report, loc: SourceLocation) -> bool:
    rel = report.relative(loc)
    return not rel.startswith("<") and not rel.startswith("../") and rel != ".."


def summary_line(report: Report) -> str:
    e, w, i = report.count(Severity.ERROR), report.count(Severity.WARNING), report.count(Severity.INFO)

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    stacks = n(len(report.stacks), "template")
    return f"{n(e, 'error')}, {n(w, 'warning')}, {n(i, 'info')} in {stacks}"
