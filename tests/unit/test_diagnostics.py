"""Typed diagnostics (issue 7 point 3): one Diagnostic for errors and warnings, conflicts that keep
every claim as data, and render warnings that reach every lint format (I2C0001)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from kit import build, ingress, service
from lint_support import VPC, line_of
from test_lint_formats import validate_sarif

from ingress2cfn.cli import EXIT_OK, EXIT_WARNINGS, main
from ingress2cfn.input.diagnostics import Diagnostic, Severity, error, unique, warning
from ingress2cfn.input.errors import Claim, ConflictError, ErrorList, InputError
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint import findings as lint_findings
from ingress2cfn.lint.policy import load_policy

ANN = "alb.ingress.kubernetes.io/"
AT = SourceLocation("shop.yaml", 2, ("metadata", "annotations", ANN + "scheme"), 7, 5)
ELSEWHERE = SourceLocation("base.yaml", 1, ("spec", "scheme"), 3, 3)


# ── Diagnostic ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "diagnostic, text",
    [
        pytest.param(
            error(AT, "Ingress shop/cart", "bad"),
            'shop.yaml:7 [doc 2] Ingress shop/cart metadata.annotations["alb.ingress.kubernetes.io/scheme"]: bad',
            id="error",
        ),
        pytest.param(warning(AT, "Ingress shop/cart", "ignored"), "shop.yaml:7 [doc 2] Ingress shop/cart: ignored", id="warning-head-stops-at-object"),
        pytest.param(error(SourceLocation("v.yaml", 1), "VPC description", "empty"), "v.yaml [doc 1] VPC description: empty", id="no-line-no-path"),
        pytest.param(error(None, "", "plain"), "plain", id="no-location"),
        pytest.param(error(AT, "", "bad"), 'shop.yaml:7 [doc 2] metadata.annotations["alb.ingress.kubernetes.io/scheme"]: bad', id="no-object"),
    ],
)
def test_str_is_the_line_the_user_reads(diagnostic, text):
    assert str(diagnostic) == text


def test_related_places_are_data_not_text():
    d = warning(AT, "Ingress shop/cart", "replaced", (ELSEWHERE,))
    assert d.related == (ELSEWHERE,)
    assert str(d) == str(warning(AT, "Ingress shop/cart", "replaced"))
    assert d.severity is Severity.WARNING and d.location == AT and d.object == "Ingress shop/cart"


def test_severity_is_one_enum_shared_with_lint():
    assert lint_findings.Severity is Severity


def test_unique_keeps_the_first_of_each_text_in_order():
    a, b = warning(AT, "Ingress a/a", "x"), warning(ELSEWHERE, "Ingress b/b", "y")
    same_text_other_path = warning(SourceLocation("shop.yaml", 2, ("spec",), 7, 1), "Ingress a/a", "x")
    assert unique([a, b, same_text_other_path, a]) == [a, b]


# ── errors ─────────────────────────────────────────────────────────────────────────────────────


def test_input_error_carries_its_diagnostic():
    exc = InputError("must be a list", AT, "Ingress shop/cart")
    assert exc.diagnostic == error(AT, "Ingress shop/cart", "must be a list")
    assert exc.diagnostics == (exc.diagnostic,)
    assert str(exc) == str(exc.diagnostic)
    assert InputError.of(exc.diagnostic).diagnostic == exc.diagnostic


def test_error_list_holds_diagnostics(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("groups: 3\ninternetFacing: {namespaces: nope}\n")
    with pytest.raises(ErrorList) as exc:
        load_policy(str(policy))
    assert [d.location.path for d in exc.value.diagnostics if d.location] == [("groups",), ("internetFacing", "namespaces")]
    assert all(d.severity is Severity.ERROR and d.object == "policy" for d in exc.value.diagnostics)
    assert str(exc.value) == "\n".join(str(d) for d in exc.value.diagnostics)


def test_conflict_between_formats_todays_text_and_keeps_both_claims():
    first, second = Claim("Ingress shop/a", ELSEWHERE, "'internal'"), Claim("Ingress shop/b", AT, "'internet-facing'")
    exc = ConflictError.between("conflicting scheme", first, second)
    assert exc.claims == (first, second)
    assert exc.diagnostic.location == AT and exc.diagnostic.object == "Ingress shop/b"
    assert exc.diagnostic.related == (ELSEWHERE,)
    assert str(exc) == (
        'shop.yaml:7 [doc 2] Ingress shop/b metadata.annotations["alb.ingress.kubernetes.io/scheme"]: '
        "conflicting scheme: Ingress shop/a sets 'internal' (base.yaml:3 [doc 1]) | Ingress shop/b sets 'internet-facing'"
    )


def test_conflict_needs_two_claims():
    with pytest.raises(ValueError):
        ConflictError("x", [Claim("Ingress a/a", AT, "1")])


def test_a_group_conflict_from_the_builder_names_both_ingresses_as_data():
    a = ingress(name="a", annotations={"group.name": "g", "scheme": "internal"})
    b = ingress(name="b", annotations={"group.name": "g", "scheme": "internet-facing"})
    with pytest.raises(ConflictError) as exc:
        build(a, b, service())
    first, second = exc.value.claims
    assert (first.object, first.value, second.object, second.value) == ("Ingress default/a", "'internal'", "Ingress default/b", "'internet-facing'")
    assert first.location.path == second.location.path == ("metadata", "annotations", ANN + "scheme")
    assert (first.location.doc, second.location.doc) == (1, 2)
    assert first.location.line is not None and second.location.line is not None and first.location.line < second.location.line
    assert exc.value.diagnostic.related == (first.location,)
    assert f"({first.location.prefix()})" in str(exc.value)


def test_a_default_backend_conflict_keeps_every_claim():
    backend = {"service": {"name": "svc", "port": {"number": 80}}}
    objs = [ingress(name=n, annotations={"group.name": "g"}, default_backend=backend, rules=[]) for n in ("a", "b", "c")]
    with pytest.raises(ConflictError) as exc:
        build(*objs, service())
    assert [c.object for c in exc.value.claims] == ["Ingress default/a", "Ingress default/b", "Ingress default/c"]
    assert {c.location.path for c in exc.value.claims} == {("spec", "defaultBackend")}
    assert exc.value.diagnostic.related == tuple(c.location for c in exc.value.claims[:2])


# ── render warnings ────────────────────────────────────────────────────────────────────────────


def test_render_warnings_are_located_diagnostics():
    _, _, warnings = build(ingress(annotations={"foo": "bar"}), service(annotations={"scheme": "internal"}))
    by_object = {d.object: d for d in warnings}
    unknown, misplaced = by_object["Ingress default/web"], by_object["Service default/svc"]
    assert all(isinstance(d, Diagnostic) and d.severity is Severity.WARNING for d in warnings)
    assert unknown.location is not None and unknown.location.path == ("metadata", "annotations", ANN + "foo")
    assert misplaced.location is not None and misplaced.location.path == ("metadata", "annotations", ANN + "scheme") and misplaced.location.doc == 2
    assert unknown.message == f"unknown annotation {ANN}foo is ignored (see `ingress2cfn annotations`)"


def test_a_replaced_annotation_names_the_replacing_field_as_related():
    params = {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "IngressClassParams", "metadata": {"name": "p"}, "spec": {"scheme": "internal"}}
    cls = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {"controller": "ingress.k8s.aws/alb", "parameters": {"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "p"}},
    }
    _, _, warnings = build(params, cls, ingress(annotations={"scheme": "internet-facing"}), service())
    (d,) = [d for d in warnings if "which replaces it" in d.message]
    assert d.location is not None and d.location.path == ("metadata", "annotations", ANN + "scheme")
    (related,) = d.related
    assert (related.doc, related.path) == (1, ("spec", "scheme"))


# ── Done when: lint --format sarif shows an ignored annotation with its manifest location ──────


@pytest.fixture()
def ignored(tmp_path, monkeypatch) -> Path:
    """A manifest with an unknown annotation on the Ingress and an Ingress-only one on the Service."""
    monkeypatch.chdir(tmp_path)  # SARIF/GitHub paths are relative to the current directory
    monkeypatch.setenv("NO_COLOR", "1")
    path = tmp_path / "shop.yaml"
    objects = [ingress(annotations={"foo": "bar"}), service(annotations={"scheme": "internal"})]
    path.write_text("".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects))
    return path


def lint(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["lint", "-f", path.name, "--vpc", VPC, "--cluster", "my-cluster", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_sarif_shows_render_warnings_with_their_manifest_location(capsys, ignored):
    code, out, err = lint(capsys, ignored, "--format", "sarif")
    assert code == EXIT_OK, err
    doc = json.loads(out)
    assert validate_sarif(doc) == []
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "I2C0001"]
    assert rule["name"] == "render-warning" and rule["defaultConfiguration"]["level"] == "warning"
    results = [r for r in run["results"] if r["ruleId"] == "I2C0001"]
    places = {}
    for r in results:
        assert r["level"] == "warning"
        assert rule_ids[r["ruleIndex"]] == "I2C0001"
        physical = r["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "shop.yaml", "uriBaseId": "SRCROOT"}
        places[r["message"]["text"]] = physical["region"]["startLine"]
    assert places == {
        f"Ingress default/web: unknown annotation {ANN}foo is ignored (see `ingress2cfn annotations`)": line_of(ignored, ANN + "foo"),
        f"Service default/svc: annotation {ANN}scheme has no effect on a Service (read from Ingress)": line_of(ignored, ANN + "scheme"),
    }
    # the CLI still prints them as render does
    assert f"warning: shop.yaml:{line_of(ignored, ANN + 'foo')} [doc 1] Ingress default/web: unknown annotation {ANN}foo is ignored" in err


def test_render_warnings_in_json_junit_github_and_text(capsys, ignored):
    line = line_of(ignored, ANN + "foo")

    _, out, _ = lint(capsys, ignored, "--format", "json")
    data = json.loads(out)
    found = [f for f in data["findings"] if f["ruleId"] == "I2C0001"]
    assert len(found) == 2 and data["summary"]["warning"] >= 2
    unknown = next(f for f in found if f"{ANN}foo" in f["message"])
    assert unknown["severity"] == "warning"
    assert unknown["locations"] == [
        {"file": "shop.yaml", "line": line, "column": unknown["locations"][0]["column"], "document": 1, "field": f'metadata.annotations["{ANN}foo"]'}
    ]

    _, out, _ = lint(capsys, ignored, "--format", "junit")
    suite = next(s for s in ET.fromstring(out).iter("testsuite") if s.get("name") == "render")
    (case,) = suite.iter("testcase")
    assert case.get("name") == "I2C0001 render-warning"
    failures = case.findall("failure")
    assert len(failures) == 2 and suite.get("failures") == "1"
    assert any(f.text and f.text.startswith(f"shop.yaml:{line}: warning I2C0001 Ingress default/web: unknown annotation") for f in failures)

    _, out, _ = lint(capsys, ignored, "--format", "github")
    assert f"::warning file=shop.yaml,line={line}," in out and "title=I2C0001 render-warning::Ingress default/web: unknown annotation" in out

    _, out, _ = lint(capsys, ignored)
    assert f"shop.yaml:{line}: warning I2C0001 Ingress default/web: unknown annotation {ANN}foo is ignored" in out


def test_render_warnings_fail_lint_with_fail_on_warning(capsys, ignored):
    code, _, _ = lint(capsys, ignored, "--format", "json", "--fail-on", "warning")
    assert code == EXIT_WARNINGS


def test_template_lint_lists_no_render_warning_rule(capsys, ignored, tmp_path):
    assert main(["render", "-f", ignored.name, "--vpc", VPC, "--cluster", "my-cluster", "-o", str(tmp_path / "out")]) == EXIT_OK
    template = next((tmp_path / "out").glob("i2c-my-cluster-*.yaml"))
    capsys.readouterr()
    assert main(["lint", "--template", str(template), "--format", "sarif"]) in (EXIT_OK,)
    rules = [r["id"] for r in json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]["rules"]]
    assert "I2C0001" not in rules and "I2C1001" in rules
