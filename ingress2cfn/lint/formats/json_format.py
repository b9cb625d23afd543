"""`--format json`: the report as one JSON object (stable keys, findings in report order).

{"tool": {...}, "templates": [...], "limits": {...}, "summary": {"error": n, ...},
 "findings": [{"ruleId", "severity", "message", "source", "stack", "logicalId",
               "propertyPath", "ingresses", "locations": [{"file", "line", "column",
               "document", "field"}]}]}
"""

from __future__ import annotations

import json

from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats.report import TOOL_NAME, Report


def finding_dict(report: Report, f: Finding) -> dict:
    return {
        "ruleId": f.rule_id,
        "severity": f.severity.value,
        "message": f.message,
        "source": f.source,
        "stack": f.stack,
        "logicalId": f.logical_id,
        "propertyPath": list(f.property_path),
        "ingresses": list(f.ingresses),
        "locations": [{"file": report.relative(loc), "line": loc.line, "column": loc.col, "document": loc.doc, "field": loc.field_path} for loc in f.locations],
    }


def render(report: Report, *, colour: bool = False) -> str:
    data = {
        "tool": {"name": TOOL_NAME, "version": report.tool_version, "cfnLint": report.cfn_lint_version},
        "templates": list(report.stacks),
        "limits": {name: {"value": value, "from": origin} for name, value, origin in report.limits},
        "summary": {s.value: report.count(s) for s in Severity},
        "findings": [finding_dict(report, f) for f in report.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
