"""The collector is kept out of one-shot commands and restored afterwards; output does not depend on it."""

from __future__ import annotations

import gc
from pathlib import Path

import kit

from ingress2cfn.cli.batch import collector_paused


def _render_text() -> str:
    result = kit.render(kit.ingress(), kit.service())
    return "".join(text for _, text in result.files())


def test_collector_is_off_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0  # what existed at entry is out of every collection
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_restores_a_disabled_collector_as_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_restored_even_when_the_block_fails():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_same_output_with_and_without_the_collector():
    plain = _render_text()
    with collector_paused():
        paused = _render_text()
    assert paused == plain


def test_the_console_script_exits_with_mains_code_and_its_output(tmp_path):
    """`run` (the console script and `python -m ingress2cfn.cli`) freezes what is alive before the
    interpreter exits; the exit code and the output are main's."""
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "ingress2cfn.cli", "--version"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("ingress2cfn, version")
    missing = subprocess.run(
        [sys.executable, "-m", "ingress2cfn.cli", "render", "-f", str(tmp_path / "none.yaml"), "--vpc", "v", "--cluster", "c"], capture_output=True, text=True
    )
    assert missing.returncode == 1 and "none.yaml" in missing.stderr
    template = subprocess.run(
        [sys.executable, "-m", "ingress2cfn.cli", "render", "-f", "examples/2048/2048_full.yaml", "--vpc", "examples/2048/vpc.yaml", "--cluster", "my-cluster"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert template.returncode == 0 and template.stdout.startswith("AWSTemplateFormatVersion")
