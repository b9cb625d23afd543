"""Shared bits of the lint tests: fixture paths and a line finder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "lint"
VPC = str(ROOT / "examples" / "ingress-group" / "vpc.yaml")
CLUSTER = "my-cluster"
POLICY_MANIFESTS = FIXTURES / "policy" / "manifests.yaml"
POLICY = FIXTURES / "policy" / "policy.yaml"
SHADOWED = FIXTURES / "shadowed" / "manifests.yaml"


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """1-based line of the first line holding `needle` (after the first line holding `after`)."""
    lines = path.read_text().splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i, line in enumerate(lines[start:], start=start) if needle in line) + 1


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()
