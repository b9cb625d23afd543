"""`render --check DIR`: are the committed templates in DIR what a fresh render gives? (The GitOps
"generated files are stale" check.) The rendered files come in, a comparison goes out.

Which files in DIR are "ours" (`owned_files`) is one rule shared with `render --out`, which removes
the ones no longer rendered: a regular file `i2c-<cluster>-*.yaml|json` whose
`Metadata.ingress2cfn.cluster` is this cluster, and the `<stack>.bindings.*` file next to such a
template. Files of other clusters, other tools and symlinks are never touched nor reported."""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingress2cfn.model.metadata import read_template
from ingress2cfn.model.naming import stack_name_prefix

OUR_SUFFIXES = (".yaml", ".json")
BINDINGS = ".bindings"
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024  # CloudFormation's own limit is 1 MB: a bigger file is not ours


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


def _regular_text(path: Path) -> str | None:
    """The text of a regular file (never through a symlink, never a FIFO or device), bounded."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_TEMPLATE_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def _template_of(cluster: str, text: str | None) -> bool:
    if text is None:
        return False
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return False
    return read_template(data).cluster == cluster


def owned_files(directory: Path, cluster: str) -> tuple[str, ...]:
    """Names of the files in `directory` that `render --out` of `cluster` wrote (see the module doc)."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file(follow_symlinks=False))
    except OSError:
        return ()
    prefix = stack_name_prefix(cluster)
    candidates = [n for n in names if n.startswith(prefix) and os.path.splitext(n)[1] in OUR_SUFFIXES]
    templates = {n for n in candidates if not os.path.splitext(n)[0].endswith(BINDINGS) and _template_of(cluster, _regular_text(directory / n))}
    owned = set(templates)
    for name in candidates:
        stem, suffix = os.path.splitext(name)
        if stem.endswith(BINDINGS) and stem[: -len(BINDINGS)] + suffix in templates:
            owned.add(name)
    return tuple(sorted(owned))


def compare(rendered: list[tuple[str, str]], directory: Path, cluster: str) -> Staleness:
    """`rendered`: (file name, text) as RenderResult.files() gives them."""
    expected = dict(rendered)
    present = set(owned_files(directory, cluster)) | {name for name in expected if os.path.lexists(directory / name)}
    missing, extra, different = [], [], []
    chunks: list[str] = []
    shown = directory.as_posix().rstrip("/")
    for name in sorted(set(expected) | present):
        new = expected.get(name)
        old = _regular_text(directory / name) if name in present else None
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
