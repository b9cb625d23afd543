"""The checks as cfn-lint custom rules (ingress2cfn/cfnlint_rules): one rule per check, loaded by
the real `cfn-lint --append-rules` (directory or module path), ids <E|W|I>9<family><nn>."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cfnlint.api import ManualArgs, lint
from test_checks_table import BASE, _apply, both, https_listener, rule, setp

from ingress2cfn.lint.cfnlint_rules import rules_dir
from ingress2cfn.lint.checks import CHECKS

BIN = Path(sys.executable).parent
CFN_LINT = [str(BIN / "cfn-lint")] if (BIN / "cfn-lint").exists() else [sys.executable, "-m", "cfnlint"]

# seeded mistakes cfn-lint 1.58 lets through, one per rule id expected
BAD = both(
    rule(1, ["/b/*"], lid="RuleDup"),  # E9201 duplicate priority
    rule(2, ["/api/v1/*"], lid="RuleShadowed"),  # W9406 shadowed by RuleA (/api/*)
    setp("TG", "HealthCheckTimeoutSeconds", 20),  # E9301 timeout ≥ interval 15
    setp("TG", "Matcher", "HttpCode", "abc"),  # E9303 matcher
    https_listener("a", policy="ELBSecurityPolicy-TLS13-9-9-2099-01"),  # E9203 ssl policy
    setp("LB", "Scheme", "internet-facing"),  # I9602 (informational, only with -c I)
)
EXPECTED = {"E9201", "W9406", "E9301", "E9303", "E9203"}


def _parseable_ids(stdout: str) -> set[str]:
    # file:line:col:endline:endcol:ID:message
    return {line.split(":")[5] for line in stdout.splitlines() if line.count(":") >= 6}


def test_module_main_prints_the_rules_directory():
    out = subprocess.run([sys.executable, "-m", "ingress2cfn.lint.cfnlint_rules"], capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out) == Path(rules_dir()) and (Path(out) / "alb.py").is_file()
    assert Path(out).parent.name == "lint" and Path(out).parent.parent.name == "ingress2cfn"


def test_one_rule_class_per_check():
    from ingress2cfn.lint.cfnlint_rules import alb

    ids = sorted(getattr(alb, name).id for name in alb.__all__)
    assert ids == sorted(c.cfn_lint_id for c in CHECKS)
    assert all(i[1] == "9" and i[0] in "EWI" for i in ids)


def test_cli_append_rules_directory_reports_our_ids(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_apply(BAD), indent=1), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(BASE, indent=1), encoding="utf-8")
    proc = subprocess.run(
        CFN_LINT + ["--append-rules", rules_dir(), "--format", "parseable", "-t", str(bad), str(good)], capture_output=True, text=True, check=False
    )
    assert proc.returncode & 2, proc.stderr  # errors found
    by_file: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        if line.count(":") >= 6:
            by_file.setdefault(Path(line.split(":")[0]).name, set()).add(line.split(":")[5])
    assert by_file.get("bad.json", set()) >= EXPECTED, proc.stdout
    assert not {i for i in by_file.get("bad.json", set()) if i[1] == "9"} - EXPECTED, proc.stdout
    assert "good.json" not in by_file, proc.stdout  # BASE is clean for cfn-lint and for us
    line = next(l for l in proc.stdout.splitlines() if ":E9301:" in l)
    assert "HealthCheckTimeoutSeconds 20" in line and int(line.split(":")[1]) > 1  # message and a real line number


def test_cli_append_rules_module_path_and_informational(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(json.dumps(_apply(BAD)), encoding="utf-8")
    proc = subprocess.run(
        CFN_LINT + ["--append-rules", "ingress2cfn.lint.cfnlint_rules", "--include-checks", "I", "--format", "parseable", "-t", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert EXPECTED | {"I9602"} <= _parseable_ids(proc.stdout), proc.stdout + proc.stderr


def test_quota_is_configurable_per_rule():
    text = json.dumps(_apply(rule(2, ["/b/*"])), indent=1)
    base = {"regions": ["us-east-1"], "append_rules": [rules_dir()]}
    assert [m.rule.id for m in lint(text, config=ManualArgs(**base))] == []
    (m,) = lint(text, config=ManualArgs(**base, configure_rules={"E9101": {"limit": 1}}))
    assert m.rule.id == "E9101" and "-x E9101:limit=N" in m.message and m.linenumber > 1
