"""Regenerate templates/: the rendered output of every bundled example listed in
examples/examples.yaml (`make templates`).
tests/golden/test_templates.py fails when a committed file differs from a fresh render."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import RenderRequest, render_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_FILE = ROOT / "examples" / "examples.yaml"
CLUSTER = "my-cluster"


@dataclass(frozen=True)
class Example:
    name: str
    sources: tuple[str, ...]
    vpc: str


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[Example, ...]:
    """The example list, kept beside the examples so the tool and the tests read the same data."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Example(name=str(row["name"]), sources=tuple(row["sources"]), vpc=row["vpc"]) for row in rows)


EXAMPLES = load_examples()


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
