"""examples/gitops/ingress2cfn.yaml: valid against the GitHub Actions workflow JSON schema (the copy
check-jsonschema vendors from SchemaStore, `--builtin-schema vendor.github-workflows`, read offline),
and doing what its comments promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.regenerate_templates import ROOT

WORKFLOW = ROOT / "examples/gitops/ingress2cfn.yaml"


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true; GitHub (YAML 1.2) does not
    return data


def test_workflow_passes_the_schema():
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    runs-on: ubuntu-latest\n    environment: production\n", "    environment: production\n"),  # a job without runs-on
        ("      security-events: write\n", "      security-events: admin\n"),  # no such permission level
    ],
)
def test_the_schema_check_bites(tmp_path, old, new):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert validate(broken).returncode != 0


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_least_privilege_and_triggers():
    data = load()
    assert data["permissions"] == {}
    assert {"labeled", "unlabeled", "synchronize"} <= set(data["on"]["pull_request"]["types"])
    assert data["on"]["push"]["branches"] == ["main"]
    jobs = data["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read", "security-events": "write"}
    assert "id-token" not in jobs["check"]["permissions"]  # no AWS for render --check and lint
    assert jobs["deploy"]["permissions"]["contents"] == "read"
    assert all(level != "write" for name, level in jobs["deploy"]["permissions"].items() if name != "id-token")


def test_pull_request_checks_fresh_templates_lints_with_sarif_and_comments_the_plan():
    jobs = load()["jobs"]
    check = _runs(jobs["check"])
    assert "ingress2cfn render " in check and '--check "$TEMPLATES"' in check
    assert "ingress2cfn lint " in check and "--format sarif" in check
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in jobs["check"]["steps"])
    plan = _runs(jobs["plan"])
    assert "ingress2cfn plan " in plan and "--format markdown > plan.md" in plan
    assert "gh pr comment" in plan and "--body-file plan.md" in plan


def test_main_deploys_with_yes_and_allows_dangers_only_by_label():
    deploy = load()["jobs"]["deploy"]
    runs = _runs(deploy)
    assert "ingress2cfn deploy " in runs and "--yes $ALLOW" in runs
    assert runs.count("--allow-replacement") == 1 and 'grep -qxF "$DANGER_LABEL"' in runs  # set only from the merged PR's label
    assert "ingress2cfn status " in runs
    assert deploy["if"] == "github.event_name == 'push'"
