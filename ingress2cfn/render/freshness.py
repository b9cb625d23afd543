"""`render --check DIR`: are the committed templates in DIR what a fresh render gives? (The GitOps
"generated files are stale" check.) Pure: the rendered files come in, a comparison goes out."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

OUR_PREFIX = "i2c-"  # every file `render --out` writes starts with it (stack names)
OUR_SUFFIXES = (".yaml", ".json")


@dataclass(frozen=True)
class Staleness:
    missing: tuple[str, ...]  # rendered, not in DIR
    extra: tuple[str, ...]  # in DIR (named like our output), no longer rendered
    different: tuple[str, ...]
    diff: str  # unified diff, committed → rendered

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.different)

    def summary(self) -> str:
        parts = []
        for label, names in (("missing", self.missing), ("no longer rendered", self.extra), ("different", self.different)):
            if names:
                parts.append(f"{len(names)} {label} ({', '.join(names)})")
        return "; ".join(parts) if parts else "up to date"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def compare(rendered: list[tuple[str, str]], directory: Path) -> Staleness:
    """`rendered`: (file name, text) as RenderResult.files() gives them."""
    expected = dict(rendered)
    present = set()
    if directory.is_dir():
        present = {p.name for p in directory.iterdir() if p.is_file() and p.name.startswith(OUR_PREFIX) and p.suffix in OUR_SUFFIXES}
    missing, extra, different = [], [], []
    chunks: list[str] = []
    shown = directory.as_posix().rstrip("/")
    for name in sorted(set(expected) | present):
        new = expected.get(name)
        old = _read(directory / name) if name in present else None
        if new is not None and old == new:
            continue
        if new is None:
            extra.append(name)
        elif name not in present:
            missing.append(name)
        else:
            different.append(name)
        before = f"{shown}/{name}" if old is not None else "/dev/null"
        after = f"{shown}/{name} (rendered)" if new is not None else "/dev/null"
        chunks.extend(difflib.unified_diff((old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True), before, after))
    diff = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)
    return Staleness(tuple(missing), tuple(extra), tuple(different), diff)
