"""`render --check DIR`: exit 1 with a unified diff when the committed templates in DIR differ
from a fresh render (missing, extra, different files), 0 when fresh; nothing is written."""

from __future__ import annotations

import pytest
from lint_support import CLUSTER, SHADOWED, VPC

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from ingress2cfn.render.freshness import compare

ARGS = ["render", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER]


@pytest.fixture
def committed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = tmp_path / "cfn"
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    (out / "README.md").write_text("not ours: ignored\n")
    return out


def check(capsys, directory):
    code = main([*ARGS, "--check", str(directory)])
    out, err = capsys.readouterr()
    return code, out, err


def test_fresh(capsys, committed):
    before = {p.name: p.read_text() for p in committed.iterdir()}
    code, out, err = check(capsys, committed)
    assert code == EXIT_OK
    assert out == ""
    assert f"{committed} is up to date (3 files)" in err
    assert {p.name: p.read_text() for p in committed.iterdir()} == before


def test_different_file_gives_a_diff(capsys, committed):
    group = next(p for p in committed.iterdir() if "-shared-" in p.name and ".bindings" not in p.name)
    text = group.read_text()
    group.write_text(text.replace("Priority: 2", "Priority: 7"))
    code, out, err = check(capsys, committed)
    assert code == EXIT_INVALID
    assert f"--- {committed.as_posix()}/{group.name}\n+++ {committed.as_posix()}/{group.name} (rendered)\n" in out
    assert "-      Priority: 7\n+      Priority: 2\n" in out
    assert f"error: {committed} is stale: 1 different ({group.name}); re-run with --out {committed} and commit the result" in err


def test_missing_and_extra_files(capsys, committed):
    bindings = next(p for p in committed.iterdir() if ".bindings" in p.name)
    bindings.unlink()
    # a group this cluster rendered before (its Metadata says so) and renders no more
    (committed / "i2c-my-cluster-old-0badf00d.yaml").write_text("Metadata: {ingress2cfn: {cluster: my-cluster}}\n")
    code, out, err = check(capsys, committed)
    assert code == EXIT_INVALID
    assert f"--- /dev/null\n+++ {committed.as_posix()}/{bindings.name} (rendered)\n" in out
    assert (
        f"--- {committed.as_posix()}/i2c-my-cluster-old-0badf00d.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-Metadata: {{ingress2cfn: {{cluster: my-cluster}}}}\n"
        in out
    )
    assert f"1 missing ({bindings.name}); 1 no longer rendered (i2c-my-cluster-old-0badf00d.yaml)" in err


def test_a_directory_that_does_not_exist_is_stale(capsys, tmp_path):
    code, _, err = check(capsys, tmp_path / "nope")
    assert code == EXIT_INVALID
    assert "3 missing" in err
    assert not (tmp_path / "nope").exists()


def test_check_and_out_together_is_a_usage_error(capsys, tmp_path):
    code = main([*ARGS, "--check", str(tmp_path), "--out", str(tmp_path)])
    assert code == EXIT_USAGE
    assert "give one of them" in capsys.readouterr().err


def test_compare_without_trailing_newline(tmp_path):
    (tmp_path / "i2c-a.yaml").write_text("a\nb")
    stale = compare([("i2c-a.yaml", "a\nc\n")], tmp_path, "a")
    assert stale.different == ("i2c-a.yaml",)
    assert "-b\n\\ No newline at end of file\n+c\n" in stale.diff
    assert not compare([("i2c-a.yaml", "a\nb")], tmp_path, "a")
