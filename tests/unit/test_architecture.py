"""The import contract of pyproject.toml ([tool.importlinter], drawn in ARCHITECTURE.md), checked by
import-linter itself, plus: it really fails on a violation, and no module imports itself through
others (deferred imports inside functions count; grimp reads every import statement)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 3 kept, 0 broken." in proc.stdout


def test_a_core_module_importing_aws_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "ingress2cfn", tmp_path / "ingress2cfn", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "ingress2cfn" / "build" / "_violation.py").write_text("from ingress2cfn.aws import clients  # noqa: F401\n")
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "ingress2cfn.build._violation -> ingress2cfn.aws.clients" in proc.stdout
    assert "The core never talks to AWS or Kubernetes BROKEN" in proc.stdout


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_deferred_imports_included():
    graph = grimp.build_graph("ingress2cfn", cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_ruff_finds_nothing_in_the_package():
    check = subprocess.run([_tool("ruff"), "check", "ingress2cfn", "tools"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run([_tool("ruff"), "format", "--check", "ingress2cfn", "tools"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_finds_nothing_in_the_package():
    proc = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_dead_code():
    proc = subprocess.run(
        [_tool("vulture"), "ingress2cfn", "tools/vulture_whitelist.py", "--min-confidence", "60"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
