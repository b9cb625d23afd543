"""Regenerate templates/: the rendered output of every bundled example (`make templates`).
tests/golden/test_templates.py fails when a committed file differs from a fresh render."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import RenderRequest, render_files

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = "my-cluster"


@dataclass(frozen=True)
class Example:
    name: str
    sources: tuple[str, ...]
    vpc: str


EXAMPLES = (
    Example("2048", ("examples/2048/2048_full.yaml",), "examples/2048/vpc.yaml"),
    Example("2048-internal", ("examples/2048/2048_internal.yaml",), "examples/2048/vpc.yaml"),
    Example("2048-dualstack", ("examples/2048/2048_dualstack.yaml",), "examples/2048/vpc.yaml"),
    Example("ingress-group", ("examples/ingress-group/manifests.yaml",), "examples/ingress-group/vpc.yaml"),
    Example("tls", ("examples/tls/manifests.yaml",), "examples/2048/vpc.yaml"),
    Example("frontend-nlb", ("examples/frontend-nlb/manifests.yaml",), "examples/2048/vpc.yaml"),
    Example("weighted-canary", ("examples/weighted-canary/manifests.yaml",), "examples/2048/vpc.yaml"),
    Example("auth-oidc", ("examples/auth-oidc/manifests.yaml",), "examples/2048/vpc.yaml"),
)


def render_example(example: Example, root: Path = ROOT) -> dict[str, str]:
    request = RenderRequest(sources=tuple(str(root / s) for s in example.sources), vpc_file=str(root / example.vpc), settings=Settings(cluster=CLUSTER))
    return dict(render_files(request).files())


def main() -> int:
    for example in EXAMPLES:
        target = ROOT / "templates" / example.name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name, text in render_example(example).items():
            (target / name).write_text(text, encoding="utf-8")
            print(target.relative_to(ROOT) / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
