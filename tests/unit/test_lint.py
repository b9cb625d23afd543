"""`ingress2cfn lint`: the policy and shadowed-rule fixtures (issue 4, "Done when"), exit codes,
--template, --quota, and how findings are pointed back at the manifests."""

from __future__ import annotations

import io
import json

import pytest
import yaml
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

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, EXIT_WARNINGS, LINT_FORMATS, main
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import load_sources
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint.api import blame, locate_in_manifests, parse_field_path
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats import FORMAT_NAMES


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # locations are shown relative to the current directory
    monkeypatch.setenv("NO_COLOR", "1")


def lint(capsys, *args: str):
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lint_manifests(capsys, manifests, *args: str):
    return lint(capsys, "-f", str(manifests), "--vpc", VPC, "--cluster", CLUSTER, *args)


# ── Done when: policy ──────────────────────────────────────────────────────────────────────────


def test_policy_violation_is_an_error_naming_the_ingress_and_its_group_name_line(capsys):
    code, out, err = lint_manifests(capsys, POLICY_MANIFESTS, "--policy", rel(POLICY))
    assert code == EXIT_INVALID, out + err
    line = line_of(POLICY_MANIFESTS, "group.name: web", after="name: blog")
    expected = f"{rel(POLICY_MANIFESTS)}:{line}: error I2C9001 Ingress blog/blog joins IngressGroup web, but namespace blog may not join it"
    assert expected in out
    assert f"policy groups.web allows shop ({rel(POLICY)}:" in out
    assert "[Ingress blog/blog]" in out
    assert "shop/storefront" not in out  # the allowed member is not blamed
    assert "Traceback" not in err


def test_the_same_manifests_pass_without_the_policy(capsys):
    code, out, _ = lint_manifests(capsys, POLICY_MANIFESTS)
    assert code == EXIT_OK
    assert out.startswith("no findings in 2 templates")


# ── Done when: shadowed rule ───────────────────────────────────────────────────────────────────


def test_shadowed_rule_warning_names_both_ingresses_and_their_manifest_lines(capsys):
    code, out, _ = lint_manifests(capsys, SHADOWED, "--format", "json")
    assert code == EXIT_OK  # a warning does not fail by default
    report = json.loads(out)
    shadowed = [f for f in report["findings"] if f["ruleId"] == "I2C4006"]
    assert len(shadowed) == 1
    f = shadowed[0]
    assert f["severity"] == "warning"
    assert f["ingresses"] == ["team-b/api", "team-a/catch-all"]
    api_line = line_of(SHADOWED, "- path: /api")
    catch_all_line = line_of(SHADOWED, "- path: /")
    assert [(loc["file"], loc["line"]) for loc in f["locations"]] == [(rel(SHADOWED), api_line), (rel(SHADOWED), catch_all_line)]
    assert [loc["field"] for loc in f["locations"]] == ["spec.rules[0].http.paths[0]"] * 2
    assert "team-b/api" in f["message"] and "team-a/catch-all" in f["message"]


def test_text_report_shows_both_places_of_the_shadowed_rule(capsys):
    code, out, _ = lint_manifests(capsys, SHADOWED, "--fail-on", "warning")
    assert code == EXIT_WARNINGS
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if "I2C4006" in line)
    assert lines[first].startswith(f"{rel(SHADOWED)}:{line_of(SHADOWED, '- path: /api')}: warning I2C4006 ")
    assert lines[first].endswith("[Ingress team-b/api spec.rules[0].http.paths[0]]")  # the Ingress and its rule
    assert lines[first + 1] == f"    also {rel(SHADOWED)}:{line_of(SHADOWED, '- path: /')} [Ingress team-a/catch-all spec.rules[0].http.paths[0]]"
    assert lines[-1].startswith("0 errors, 1 warning, 0 infos in 2 templates")


# ── exit codes ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("fixture", "fail_on", "expected"),
    [
        pytest.param(SHADOWED, "error", EXIT_OK, id="warnings-only-default"),
        pytest.param(SHADOWED, "warning", EXIT_WARNINGS, id="warnings-only-fail-on-warning"),
        pytest.param(POLICY_MANIFESTS, "warning", EXIT_OK, id="clean-fail-on-warning"),
    ],
)
def test_fail_on(capsys, fixture, fail_on, expected):
    code, _, _ = lint_manifests(capsys, fixture, "--fail-on", fail_on, "--format", "github")
    assert code == expected


def test_errors_exit_1_whatever_fail_on_says(capsys):
    for fail_on in ("error", "warning"):
        code, _, _ = lint_manifests(capsys, POLICY_MANIFESTS, "--policy", str(POLICY), "--fail-on", fail_on, "--format", "github")
        assert code == EXIT_INVALID


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="nothing-to-lint"),
        pytest.param(["-f", str(SHADOWED)], id="manifests-without-vpc-and-cluster"),
        pytest.param(["-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--template", str(SHADOWED)], id="both-inputs"),
        pytest.param(["-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--quota", "rules-per-alb"], id="quota-without-value"),
        pytest.param(["-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--quota", "bogus=3"], id="unknown-quota"),
        pytest.param(["-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--format", "xml"], id="unknown-format"),
        pytest.param(["-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--fail-on", "info"], id="unknown-fail-on"),
    ],
)
def test_usage_errors_exit_64(capsys, args):
    code, out, err = lint(capsys, *args)
    assert code == EXIT_USAGE, err
    assert out == ""
    assert err.strip() and "Traceback" not in err


def test_help_documents_formats_and_exit_codes(capsys):
    code, out, _ = lint(capsys, "--help")
    assert code == EXIT_OK
    for word in ("--policy", "--quota", "--quotas-from-aws", "--template", "--fail-on", "sarif", "junit", "github", "Exit codes"):
        assert word in out
    assert main(["--help"]) == EXIT_OK
    assert "3 warnings only (lint --fail-on warning)" in capsys.readouterr().out


def test_format_names_match_the_formats_package():
    assert LINT_FORMATS == FORMAT_NAMES


def test_bad_policy_file_is_a_located_error(capsys, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("groups:\n  web: {namespaces: [shop]}\ninternetFacng: {namespaces: [shop]}\n")
    code, out, err = lint_manifests(capsys, POLICY_MANIFESTS, "--policy", str(policy))
    assert code == EXIT_INVALID
    assert out == ""
    assert f"{policy}:3 [doc 1] policy internetFacng: unknown key 'internetFacng'; known: groups, internetFacing" in err


def test_report_to_file_with_summary_on_stderr(capsys, tmp_path):
    target = tmp_path / "report.json"
    code, out, err = lint_manifests(capsys, SHADOWED, "--format", "json", "--output", str(target))
    assert code == EXIT_OK
    assert out == ""
    assert json.loads(target.read_text())["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert f"ingress2cfn lint: 0 errors, 1 warning, 0 infos in 2 templates → {target}" in err


def test_stdin_is_read_once_for_render_and_locations(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(SHADOWED.read_text()))
    code, out, _ = lint(capsys, "-f", "-", "--vpc", VPC, "--cluster", CLUSTER)
    assert code == EXIT_OK
    assert f"<stdin>:{line_of(SHADOWED, '- path: /api')}: warning I2C4006" in out


# ── --quota ────────────────────────────────────────────────────────────────────────────────────


def test_quota_override_is_used_and_reported(capsys):
    code, out, _ = lint_manifests(capsys, SHADOWED, "--quota", "rules-per-alb=1", "--format", "json")
    assert code == EXIT_INVALID
    report = json.loads(out)
    assert report["limits"]["rules-per-alb"] == {"value": 1, "from": "--quota"}
    assert report["limits"]["target-groups-per-alb"] == {"value": 100, "from": "default"}
    assert [f["ruleId"] for f in report["findings"] if f["severity"] == "error"] == ["I2C1001"]


def test_raising_a_quota_silences_its_check(capsys):
    code, _, _ = lint_manifests(capsys, SHADOWED, "--quota", "rules-per-alb=1", "--quota", "rules-per-alb=200", "--format", "github")
    assert code == EXIT_OK  # the last --quota wins


# ── --template ─────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def rendered(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    group = next(p for p in out.iterdir() if "-shared-" in p.name and ".bindings" not in p.name)
    return group


def test_template_mode_points_into_the_template_file(capsys, rendered):
    code, out, _ = lint(capsys, "--template", str(rendered), "--format", "json")
    assert code == EXIT_OK
    (f,) = [f for f in json.loads(out)["findings"] if f["ruleId"] == "I2C4006"]
    assert f["ingresses"] == ["team-b/api", "team-a/catch-all"]  # from the finding / Metadata
    (loc,) = f["locations"]
    text = rendered.read_text()
    rule_line = line_of(rendered, f"  {f['logicalId']}:")
    assert loc["line"] == line_of(rendered, "Conditions:", after=f"  {f['logicalId']}:") > rule_line
    assert loc["field"] == f"Resources.{f['logicalId']}.Properties.Conditions"
    assert text  # the file itself is untouched


def test_template_mode_reports_cfn_lint_with_its_line(capsys, rendered):
    text = rendered.read_text().replace("Scheme: internal", "Scheme: public")
    rendered.write_text(text)
    code, out, _ = lint(capsys, "--template", str(rendered))
    assert code == EXIT_INVALID
    line = line_of(rendered, "Scheme: public")
    assert f":{line}: error E3030 'public' is not one of ['internal', 'internet-facing']" in out


def test_template_mode_refuses_to_judge_the_policy_from_metadata_alone(capsys, tmp_path, rendered):
    """Metadata.ingress2cfn.members is whatever the last edit of the file says: editing it used to
    turn a policy error into exit 0."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("groups:\n  shared: {namespaces: [team-a]}\n")
    code, out, err = lint(capsys, "--template", str(rendered), "--policy", str(policy))
    assert code == EXIT_INVALID
    assert out == ""
    assert f"error: refusing to judge --policy on {rendered} alone" in err


def test_template_mode_judges_the_policy_on_the_manifests(capsys, tmp_path, rendered):
    policy = tmp_path / "policy.yaml"
    policy.write_text("groups:\n  shared: {namespaces: [team-a]}\n")
    data = yaml.safe_load(rendered.read_text())
    data["Metadata"]["ingress2cfn"]["members"].remove("team-b/api")  # hide the member the policy refuses
    edited = tmp_path / rendered.name
    edited.write_text(yaml.safe_dump(data, sort_keys=False))
    args = ("--policy", str(policy), "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER)
    code, out, _ = lint(capsys, "--template", str(rendered), *args)
    assert code == EXIT_INVALID
    assert f"shadowed/manifests.yaml:{line_of(SHADOWED, 'group.name', after='name: api')}: error I2C9001 Ingress team-b/api joins IngressGroup shared" in out
    assert "I2C9003" not in out
    code, out, _ = lint(capsys, "--template", str(edited), *args)
    assert code == EXIT_INVALID
    assert "error I2C9001 Ingress team-b/api joins IngressGroup shared" in out
    assert f"error I2C9003 Metadata.ingress2cfn of {edited} says IngressGroup shared with members" in out


def test_unreadable_template_is_cfn_lints_parse_error(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources: [\n")
    code, out, _ = lint(capsys, "--template", str(broken))
    assert code == EXIT_INVALID
    assert "E0000" in out


# ── locations ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "path",
    [
        ("spec", "rules", 0, "http", "paths", 1),
        ("metadata", "annotations", "alb.ingress.kubernetes.io/group.name"),
        ("spec", "tls"),
        ("a", "b.c", 3, "d"),
    ],
)
def test_field_paths_round_trip(path):
    text = SourceLocation("f", 1, path).field_path
    assert parse_field_path(text) == path


@pytest.fixture(scope="module")
def shadowed_render():
    from ingress2cfn.model.settings import Settings
    from ingress2cfn.render.pipeline import RenderRequest, render_files

    result = render_files(RenderRequest(sources=(str(SHADOWED),), vpc_file=VPC, settings=Settings(cluster=CLUSTER)))
    (group,) = [g for g in result.groups]
    template = yaml.safe_load(group.template)
    ingresses = {i.key: i for i in parse_manifests(load_sources([str(SHADOWED)]), "default").ingresses}
    return template, ingresses


def _of_type(template, type_):
    return sorted(k for k, v in template["Resources"].items() if v["Type"] == type_)


def test_a_cfn_lint_match_on_a_listener_rule_points_at_its_path_entry(shadowed_render):
    template, ingresses = shadowed_render
    rule_id = next(k for k in _of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule") if "Api" in k)
    f = Finding("E3030", Severity.ERROR, "x", stack="s", logical_id=rule_id, property_path=("Properties", "Priority"), source="cfn-lint")
    (located,) = locate_in_manifests([f], template, ingresses)
    assert located.ingresses == ("team-b/api",)
    assert located.rule_fields == ("spec.rules[0].http.paths[0]",)
    assert [(loc.file, loc.line, loc.field_path) for loc in located.locations] == [
        (str(SHADOWED), line_of(SHADOWED, "- path: /api"), "spec.rules[0].http.paths[0]")
    ]


def test_a_target_group_points_at_its_ingress(shadowed_render):
    template, ingresses = shadowed_render
    tg = next(k for k in _of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup") if "Api" in k)
    (located,) = locate_in_manifests([Finding("E1", Severity.ERROR, "x", logical_id=tg)], template, ingresses)
    assert located.ingresses == ("team-b/api",)
    assert located.locations[0].line == line_of(SHADOWED, "apiVersion", after="targetPort: 8080")  # team-b/api's document


def test_a_group_wide_resource_points_at_every_source(shadowed_render):
    template, ingresses = shadowed_render
    (lb,) = _of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    (located,) = locate_in_manifests([Finding("E1", Severity.ERROR, "x", logical_id=lb)], template, ingresses)
    assert located.ingresses == ("team-a/catch-all", "team-b/api")
    assert len(located.locations) == 2


def test_a_template_level_finding_points_at_the_first_member(shadowed_render):
    template, _ = shadowed_render
    assert blame(template, Finding("I2C5001", Severity.ERROR, "x", property_path=("Resources",))) == (("team-a/catch-all",), ())


def test_a_finding_of_a_foreign_template_keeps_no_location():
    template = {"Resources": {"X": {"Type": "AWS::S3::Bucket"}}}
    (located,) = locate_in_manifests([Finding("E1", Severity.ERROR, "x", logical_id="X")], template, {})
    assert located.locations == () and located.ingresses == ()


# ── documentation and integration files ────────────────────────────────────────────────────────


def test_readme_documents_every_quota_the_policy_and_the_exit_codes():
    from ingress2cfn.model.quotas import QUOTAS

    readme = (ROOT / "README.md").read_text()
    for q in QUOTAS:
        assert f"| `{q.name}` | {q.default:,} |" in readme, q.name
    for word in (
        "--policy FILE",
        "internetFacing",
        "render --check DIR",
        "| 3 | warnings but no errors",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "ingress2cfn-render-check",
        "ingress2cfn-lint",
    ):
        assert word in readme, word


def test_github_action_installs_the_repo_lints_to_sarif_and_uploads_it():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert any('pip install --quiet "$GITHUB_ACTION_PATH"' in s.get("run", "") for s in steps)
    lint_step = next(s for s in steps if s.get("id") == "lint")
    assert "lint --format sarif --output" in lint_step["run"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert {"files", "vpc", "cluster", "args", "policy", "fail-on"} <= set(action["inputs"])
    # inputs reach the script through the environment only (no ${{ }} inside run: script injection)
    assert "${{" not in lint_step["run"]


def test_pre_commit_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"ingress2cfn-render-check", "ingress2cfn-lint"}
    assert hooks["ingress2cfn-render-check"]["entry"] == "ingress2cfn render --check"
    assert hooks["ingress2cfn-lint"]["entry"] == "ingress2cfn lint"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
