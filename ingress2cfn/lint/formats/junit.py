"""`--format junit`: JUnit XML for CI test reports. One testsuite per template, one testcase per
rule per template (our checks and policy rules always; cfn-lint rules when they fired), one
<failure> per error or warning finding; info findings go to the testcase's system-out. Findings of
no template (the render warnings, I2C0001) form one more testsuite, "render", with a testcase per
rule that fired."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats.report import Report

RENDER_SUITE = "render"


def _where(report: Report, f: Finding) -> str:
    if not f.locations:
        parts = (["Resources", f.logical_id] if f.logical_id else []) + [str(p) for p in f.property_path]
        return f"{f.stack or RENDER_SUITE} {'/'.join(parts)}".strip()
    loc = f.locations[0]
    return report.relative(loc) + (f":{loc.line}" if loc.line is not None else "")


def render(report: Report, *, colour: bool = False) -> str:
    root = ET.Element("testsuites", name="ingress2cfn lint")
    total_tests = total_failures = 0
    unstacked = any(not f.stack for f in report.findings)
    for stack in report.stacks + (("",) if unstacked else ()):
        mine = [f for f in report.findings if f.stack == stack]
        suite = ET.SubElement(root, "testsuite", name=stack or RENDER_SUITE)
        tests = failures = 0
        for rule in report.rules:
            hits = [f for f in mine if f.rule_id == rule.id]
            if (rule.source == "cfn-lint" or not stack) and not hits:
                continue
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=stack or RENDER_SUITE, name=f"{rule.id} {rule.name}")
            failing = [f for f in hits if f.severity is not Severity.INFO]
            if failing:
                failures += 1
            for f in failing:
                failure = ET.SubElement(case, "failure", type=f.severity.value, message=f.message)
                ingress = f" [Ingress {', '.join(f.ingresses)}]" if f.ingresses else ""
                failure.text = f"{_where(report, f)}: {f.severity.value} {f.rule_id} {f.message}{ingress}"
            notes = [f for f in hits if f.severity is Severity.INFO]
            if notes:
                ET.SubElement(case, "system-out").text = "\n".join(f"{_where(report, f)}: info {f.rule_id} {f.message}" for f in notes)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
