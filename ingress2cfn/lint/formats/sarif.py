"""`--format sarif`: SARIF 2.1.0 (the OASIS standard; what GitHub code scanning uploads).

One run; tool.driver.rules lists our checks, the policy rules and every cfn-lint rule that fired.
Each result's first location is the manifest line (artifactLocation.uri relative to the current
directory, uriBaseId SRCROOT) plus a logical location stack/logical id; further places (the other
Ingress of a shadowed rule) are relatedLocations. A finding with no place in a file (stdin, a
template-level cfn-lint match) keeps only its logical location."""

from __future__ import annotations

import json
from urllib.parse import quote

from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats.report import TOOL_NAME, TOOL_URI, Report, inside, who

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
BASE_ID = "SRCROOT"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _physical(report: Report, loc: SourceLocation) -> dict | None:
    if loc.file.startswith("<"):  # <stdin>
        return None
    if inside(report, loc):
        artifact = {"uri": quote(report.relative(loc)), "uriBaseId": BASE_ID}
    else:
        from pathlib import Path

        artifact = {"uri": Path(loc.file).resolve().as_uri()}
    out: dict = {"artifactLocation": artifact}
    if loc.line is not None:
        region: dict = {"startLine": loc.line}
        if loc.col is not None:
            region["startColumn"] = loc.col
        out["region"] = region
    return out


def _logical(f: Finding) -> list[dict]:
    if f.logical_id:
        return [{"name": f.logical_id, "fullyQualifiedName": f"{f.stack}/{f.logical_id}" if f.stack else f.logical_id, "kind": "resource"}]
    if f.stack:
        return [{"name": f.stack, "fullyQualifiedName": f.stack, "kind": "module"}]
    return []


def _result(report: Report, f: Finding, index: dict[str, int]) -> dict:
    primary: dict = {}
    if f.locations:
        physical = _physical(report, f.locations[0])
        if physical is not None:
            primary["physicalLocation"] = physical
    logical = _logical(f)
    if logical:
        primary["logicalLocations"] = logical
    result: dict = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVELS[f.severity],
        "message": {"text": f.message + (f" [{who(f)}]" if f.ingresses else "")},
        "locations": [primary] if primary else [],
    }
    related = []
    for i, loc in enumerate(f.locations[1:], start=1):
        physical = _physical(report, loc)
        if physical is None:
            continue
        item: dict = {"id": i, "physicalLocation": physical}
        if i < len(f.ingresses):
            item["message"] = {"text": who(f, i)}
        related.append(item)
    if related:
        result["relatedLocations"] = related
    props: dict = {"source": f.source}
    if f.stack:
        props["stack"] = f.stack
    if f.ingresses:
        props["ingresses"] = list(f.ingresses)
    if f.property_path:
        props["propertyPath"] = "/".join(str(p) for p in f.property_path)
    result["properties"] = props
    return result


def _rule(r) -> dict:
    out: dict = {
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.description or r.name},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "properties": {"source": r.source},
    }
    if r.full_description and r.full_description != r.description:
        out["fullDescription"] = {"text": r.full_description}
    if r.help_uri:
        out["helpUri"] = r.help_uri
    return out


def sarif_log(report: Report) -> dict:
    rules = list(report.rules)
    known = {r.id for r in rules}
    from ingress2cfn.lint.formats.report import RuleInfo

    for f in report.findings:  # a finding of a rule the registry does not list still needs an entry
        if f.rule_id not in known:
            known.add(f.rule_id)
            rules.append(RuleInfo(f.rule_id, f.rule_id, "", f.severity, f.source))
    index = {r.id: i for i, r in enumerate(rules)}
    driver: dict = {"name": TOOL_NAME, "version": report.tool_version, "informationUri": TOOL_URI, "rules": [_rule(r) for r in rules]}
    run: dict = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {BASE_ID: {"uri": report.base_dir.resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, f, index) for f in report.findings],
    }
    if report.cfn_lint_version:
        run["tool"]["extensions"] = [
            {"name": "cfn-lint", "version": report.cfn_lint_version, "informationUri": "https://github.com/aws-cloudformation/cfn-lint"}
        ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, *, colour: bool = False) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
