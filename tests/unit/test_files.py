"""Every file a command writes: atomic (temp file + rename in the same directory), symlinks
replaced and never followed, a directory or special file in the way refused before anything is
written, this cluster's files of groups no longer rendered removed from --out (so --check
clears), and an unreadable subdirectory of -f DIR refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from lint_support import CLUSTER, POLICY_MANIFESTS, ROOT, SHADOWED, VPC

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

ARGS = ["render", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER]


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def rendered_names(tmp_path: Path, capsys, args=ARGS) -> list[str]:
    probe = tmp_path / "probe"
    assert main([*args, "--out", str(probe)]) == EXIT_OK
    capsys.readouterr()
    return sorted(p.name for p in probe.iterdir())


def test_out_replaces_a_symlink_instead_of_writing_through_it(tmp_path, capsys):
    names = rendered_names(tmp_path, capsys)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / names[0]).symlink_to(victim)
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    assert victim.read_text() == "precious\n"
    assert not (out / names[0]).is_symlink()
    assert "AWSTemplateFormatVersion" in (out / names[0]).read_text() or "TargetGroupBinding" in (out / names[0]).read_text()


def test_lint_output_replaces_a_symlink(tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    report = tmp_path / "ingress2cfn.sarif"
    report.symlink_to(victim)
    code = main(["lint", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--format", "sarif", "--output", str(report)])
    capsys.readouterr()
    assert code in (EXIT_OK, EXIT_INVALID)
    assert victim.read_text() == "precious\n"
    assert not report.is_symlink()
    assert '"version": "2.1.0"' in report.read_text()


@pytest.mark.parametrize("obstacle", ["directory", "fifo"])
def test_something_in_the_way_is_refused_before_anything_is_written(tmp_path, capsys, obstacle):
    names = rendered_names(tmp_path, capsys)
    out = tmp_path / "out"
    out.mkdir()
    blocked = out / names[-1]  # the last file: the old code had written the others already
    if obstacle == "directory":
        blocked.mkdir()
    else:
        os.mkfifo(blocked)
    code = main([*ARGS, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert f"error: {blocked}: a {'directory' if obstacle == 'directory' else 'special file (FIFO, socket or device)'} is in the way" in err
    assert "nothing written" in err
    assert sorted(p.name for p in out.iterdir()) == [names[-1]]
    assert "Traceback" not in err


def test_lint_output_onto_a_directory_is_a_clear_error(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.mkdir()
    code = main(["lint", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--format", "json", "--output", str(report)])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE  # click's own check of --output, before anything runs
    assert f"'{report}' is a directory" in err


def test_no_stray_temporary_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert all(p.name.startswith("i2c-") for p in out.iterdir())


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from ingress2cfn.cli import files

real_fsync = os.fsync
def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)  # as if killed between writing and renaming
files.os.fsync = die
files.write_files(Path(sys.argv[1]), [("i2c-x-web-00000000.yaml", "new: " + "x" * 1_000_000 + "\\n")])
"""


def test_kill_9_while_writing_leaves_the_old_file_whole(tmp_path):
    """The writer is SIGKILLed after the new text is written to the temporary file but before the
    rename: the target keeps its old content (the old code truncated it first, then wrote)."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "i2c-x-web-00000000.yaml"
    target.write_text("old: whole\n")
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == "old: whole\n"


def test_groups_no_longer_rendered_are_removed_and_check_clears(tmp_path, capsys):
    out = tmp_path / "out"
    both = ["render", "-f", str(POLICY_MANIFESTS), "--vpc", VPC, "--cluster", CLUSTER, "--out", str(out)]
    assert main(both) == EXIT_OK
    capsys.readouterr()
    before = {p.name for p in out.iterdir()}
    foreign = {
        "i2c-my-cluster-eu-web-0badf00d.yaml": "Metadata:\n  ingress2cfn:\n    cluster: my-cluster-eu\n",  # another cluster, same prefix
        "i2c-my-cluster-handmade.yaml": "Resources: {}\n",  # named like ours, not written by us
        "README.md": "ours? no\n",
    }
    for name, text in foreign.items():
        (out / name).write_text(text)
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    err = capsys.readouterr().err
    after = {p.name for p in out.iterdir()}
    now = set(rendered_names(tmp_path, capsys))
    assert after == now | set(foreign)
    removed = before - now
    assert removed, "the policy manifests make groups the shadowed manifests do not"
    for name in removed:
        assert f"removed {out / name} (no longer rendered)" in err
    assert main([*ARGS, "--check", str(out)]) == EXIT_OK
    assert "is up to date" in capsys.readouterr().err


def test_check_does_not_follow_a_symlink(tmp_path, capsys):
    names = rendered_names(tmp_path, capsys)
    out = tmp_path / "out"
    assert main([*ARGS, "--out", str(out)]) == EXIT_OK
    template = next(n for n in names if "-shared-" in n and ".bindings" not in n)
    real = tmp_path / "real.yaml"
    (out / template).rename(real)
    (out / template).symlink_to(real)
    capsys.readouterr()
    assert main([*ARGS, "--check", str(out)]) == EXIT_INVALID
    assert f"1 different ({template})" in capsys.readouterr().err


def test_unreadable_subdirectory_is_an_error(tmp_path, capsys, monkeypatch):
    """Tests run as root here, where chmod 000 does not stop reading: the listing is refused the way
    the kernel refuses it for other users, by making os.scandir raise PermissionError."""
    tree = tmp_path / "k8s"
    (tree / "team-a").mkdir(parents=True)
    (tree / "team-b").mkdir()
    (tree / "team-a" / "app.yaml").write_text(SHADOWED.read_text())
    real_scandir = os.scandir

    def scandir(path=".", *rest):
        if Path(path).name == "team-b":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path, *rest)

    monkeypatch.setattr(os, "scandir", scandir)
    code = main(["render", "-f", str(tree), "--vpc", VPC, "--cluster", CLUSTER, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert f"{tree / 'team-b'} [doc 1]: cannot read directory: Permission denied" in err
    assert not (tmp_path / "out").exists()


def test_a_symlinked_output_directory_is_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.symlink_to(elsewhere)
    assert main([*ARGS, "--out", str(out)]) == EXIT_INVALID
    assert f"error: {out}: the output directory is a symlink; refusing to write through it" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
