"""templates/ holds the rendered output of every example: it must equal a fresh render, and every
CloudFormation template in it (and templates/vpc.yaml) must lint clean with cfn-lint."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import cfn_lint

from tools.regenerate_templates import EXAMPLES, EXAMPLES_FILE, ROOT, render_example

TEMPLATES = ROOT / "templates"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_committed_templates_are_fresh(example, update_golden):
    rendered = render_example(example)
    target = TEMPLATES / example.name
    if update_golden:
        target.mkdir(parents=True, exist_ok=True)
        for old in target.iterdir():
            old.unlink()
        for name, text in rendered.items():
            (target / name).write_text(text, encoding="utf-8")
    committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(target.iterdir())} if target.exists() else {}
    assert sorted(committed) == sorted(rendered), "templates/ is stale: run `make templates` and read the diff"
    for name, text in rendered.items():
        assert committed[name] == text, f"templates/{example.name}/{name} is stale: run `make templates` and read the diff"


def _cfn_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.yaml") if not p.name.endswith(".bindings.yaml"))


@pytest.mark.parametrize("path", _cfn_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_lints_clean(path):
    assert cfn_lint(path.read_text(encoding="utf-8")) == []


def test_example_list_is_well_formed():
    names = [e.name for e in EXAMPLES]
    assert len(names) == len(set(names)), f"duplicate example names in {EXAMPLES_FILE.name}: {names}"
    for example in EXAMPLES:
        assert example.sources, f"{example.name}: no sources"
        for path in (*example.sources, example.vpc):
            assert (ROOT / path).is_file(), f"{example.name}: {path} does not exist"


NOT_INGRESS_EXAMPLES = {"gitops", "in-cluster"}  # a CI workflow and the in-cluster deployment, nothing to render


def test_every_example_is_rendered():
    manifests = (p for p in (ROOT / "examples").rglob("*.yaml") if p != EXAMPLES_FILE)
    examples_on_disk = {p.parent.relative_to(ROOT / "examples").parts[0] for p in manifests} - NOT_INGRESS_EXAMPLES
    covered = {Path(s).parts[1] for e in EXAMPLES for s in e.sources}
    assert examples_on_disk == covered
