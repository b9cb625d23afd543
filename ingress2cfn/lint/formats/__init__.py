"""Lint report formats, one module each; `render(name, report)` picks one. The report model they
share is in report.py."""

from __future__ import annotations

from ingress2cfn.lint.formats import github, json_format, junit, sarif, text
from ingress2cfn.lint.formats.report import TOOL_NAME, TOOL_URI, Report, RuleInfo, inside, summary_line, who

__all__ = ["TOOL_NAME", "TOOL_URI", "Report", "RuleInfo", "inside", "summary_line", "who", "FORMAT_NAMES", "render"]

MODULES = {"text": text, "json": json_format, "sarif": sarif, "junit": junit, "github": github}
FORMAT_NAMES = tuple(MODULES)


def render(name: str, report: Report, *, colour: bool = False) -> str:
    return MODULES[name].render(report, colour=colour)
