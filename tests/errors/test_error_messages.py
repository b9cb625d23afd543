"""Golden error messages: message quality is a feature.

Each directory under cases/ is one kind of malformed input:

    input.yaml / *.yaml / *.json   manifests, passed as -f in sorted order (everything except vpc.yaml)
    vpc.yaml                       optional; else the shared ../../vpc.yaml (compact form, cluster test-cluster)
    args                           optional extra CLI arguments, one per line (# comments allowed);
                                   the line --no-out drops the --out option the test adds by default;
                                   the line --no-shared-services drops the shared Services file
    ../../services.yaml            the Service shop/web most cases route to, passed as the last -f;
                                   a case whose point is a Service keeps its own and opts out
    expected.txt                   the exact stderr

The real CLI runs in-process from inside the case directory, so file names in messages are the
relative names above. `pytest tests/errors --update-golden` rewrites expected.txt: read the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ingress2cfn.cli import main

HERE = Path(__file__).parent
CASES = HERE / "cases"
SHARED_VPC = "../../vpc.yaml"  # relative to a case directory
SHARED_SERVICES = "../../services.yaml"  # relative to a case directory
NOT_INPUT = {"vpc.yaml", "expected.txt", "args"}
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
NAMESPACED = {"Ingress", "Service"}
CLUSTER_SCOPED = {"IngressClass", "IngressClassParams", "Namespace"}
# file:line [doc N]  (line optional: some errors concern a whole document)
LOCATED = re.compile(r"(?P<file>[^\s()|]+?)(?::(?P<line>\d+))? \[doc (?P<doc>\d+)\]")


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def _inputs(case: Path) -> list[str]:
    return sorted(p.name for p in case.iterdir() if p.is_file() and p.suffix in MANIFEST_SUFFIXES and p.name not in NOT_INPUT)


def _extra_args(case: Path) -> list[str]:
    path = case / "args"
    if not path.exists():
        return []
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _drop(extra: list[str], directive: str) -> bool:
    """Remove a test-only directive from the extra arguments; True when it was there."""
    if directive not in extra:
        return False
    extra.remove(directive)
    return True


def _object_name(case: Path, file: str, doc: int) -> str | None:
    """'Kind ns/name' (or 'Kind name') of document `doc` of `file` when it is a named object we read."""
    try:
        docs = [d for d in yaml.safe_load_all((case / file).read_text(encoding="utf-8")) if d is not None]
    except (OSError, yaml.YAMLError):
        return None
    if not 1 <= doc <= len(docs) or not isinstance(docs[doc - 1], dict):
        return None
    data = docs[doc - 1]
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    kind, name = data.get("kind"), meta.get("name")
    if not isinstance(name, str):
        return None
    if kind in NAMESPACED:
        return f"{kind} {meta.get('namespace') or 'default'}/{name}"
    if kind in CLUSTER_SCOPED:
        return f"{kind} {name}"
    return None


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_error_message(case: Path, tmp_path: Path, monkeypatch, capsys, update_golden: bool) -> None:
    inputs = _inputs(case)
    assert inputs, f"{case.name}: no input manifests"
    vpc = "vpc.yaml" if (case / "vpc.yaml").exists() else SHARED_VPC
    extra = _extra_args(case)
    shared = [] if _drop(extra, "--no-shared-services") else [SHARED_SERVICES]
    out_dir = tmp_path / "out"
    argv = ["render"]
    for name in inputs + shared:
        argv += ["-f", name]
    argv += ["--vpc", vpc, "--cluster", "test-cluster"]
    if not _drop(extra, "--no-out"):
        argv += ["--out", str(out_dir)]
    argv += extra

    monkeypatch.chdir(case)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(argv)
    captured = capsys.readouterr()
    stderr = captured.err

    assert "Traceback" not in stderr
    assert code == 1, f"{case.name}: exit {code}, stderr:\n{stderr}"
    assert not out_dir.exists() or not any(out_dir.iterdir()), f"{case.name}: files were written although rendering failed"
    assert captured.out == "", f"{case.name}: a failed render printed to stdout"

    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert errors, f"{case.name}: no 'error:' line in stderr:\n{stderr}"
    files = set(inputs) | set(shared) | {vpc} | {arg for arg in extra if arg.endswith(MANIFEST_SUFFIXES)}
    for line in errors:
        assert any(name in line for name in files), f"{case.name}: message names none of {sorted(files)}: {line}"
        located = [m for m in LOCATED.finditer(line) if m.group("file") in files]
        if not located:
            continue  # about the input as a whole (e.g. no Ingress of the class): the file name is enough
        first = located[0]
        if first.group("file") != vpc:
            assert first.group("line") is not None, f"{case.name}: message has no line number: {line}"
        obj = _object_name(case, first.group("file"), int(first.group("doc")))
        if obj is not None:
            assert obj in line, f"{case.name}: message does not name {obj}: {line}"

    expected = case / "expected.txt"
    if update_golden:
        expected.write_text(stderr, encoding="utf-8")
        return
    assert expected.exists(), f"{case.name}: no expected.txt; run pytest tests/errors --update-golden and read it"
    assert stderr == expected.read_text(encoding="utf-8")


def test_every_case_has_expected_output() -> None:
    missing = [p.name for p in case_dirs() if not (p / "expected.txt").exists()]
    assert not missing, f"cases without expected.txt (run pytest tests/errors --update-golden): {missing}"


def test_enough_kinds_of_malformed_input() -> None:
    assert len(case_dirs()) >= 24


def test_every_case_file_is_used() -> None:
    """A misspelled file (vpc.yml, expected.text, arg) would silently change what a case tests."""
    for case in case_dirs():
        for path in case.iterdir():
            assert path.is_file(), f"{case.name}: unexpected directory {path.name}"
            assert path.name in NOT_INPUT or path.suffix in MANIFEST_SUFFIXES, f"{case.name}: unexpected file {path.name}"
            if path.suffix in MANIFEST_SUFFIXES:
                assert path.name == "vpc.yaml" or path.name.startswith("input"), f"{case.name}: manifest files are named input*.yaml/json: {path.name}"
