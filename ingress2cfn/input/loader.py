"""Multi-document YAML/JSON with positions. `-` is stdin; directories recurse."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.location import PositionMap, SourceLocation

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Document:
    data: Any
    loc: SourceLocation  # path () = the document root
    positions: PositionMap


# libyaml when present (about 5x faster, same marks); the pure-Python loader otherwise
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(SafeConstructor):
    """Safe types only; used without a Loader so no tag is registered globally."""


def _positions(node: Node, path: tuple, out: dict) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                _positions(value_node, path + (key_node.value,), out)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, path + (i,), out)


def _check_json(text: str, filename: str) -> None:
    """YAML accepts some JSON mistakes (trailing commas); a .json file must be strict JSON."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", SourceLocation(filename, 1, (), exc.lineno, exc.colno)) from None


def _raise_yaml_error(text: str, filename: str) -> None:
    """Re-parse with the pure-Python loader: its messages (with context) read better than libyaml's."""
    try:
        list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        doc = text[: mark.index].count("\n---") + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        if col is not None:
            problem += f" at column {col}"
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            # PyYAML's context says where the enclosing block or flow collection started
            problem += f" ({context} that starts at line {context_mark.line + 1} column {context_mark.column + 1})"
        if problem.startswith("expected <block end>"):
            problem += "; check the indentation"
        raise InputError(f"not valid YAML/JSON: {problem}", SourceLocation(filename, doc, (), line, col)) from None
    raise InputError("not valid YAML/JSON", SourceLocation(filename, 1))


def parse_text(text: str, filename: str) -> list[Document]:
    docs: list[Document] = []
    if filename.lower().endswith(".json"):
        _check_json(text, filename)
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.YAMLError:
        _raise_yaml_error(text, filename)
    for index, node in enumerate(nodes, start=1):
        if node is None:
            continue
        try:
            data = _Constructor().construct_document(node)
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML/JSON: {exc}", SourceLocation(filename, index, (), node.start_mark.line + 1)) from None
        if data is None:
            continue
        pos: dict = {}
        _positions(node, (), pos)
        root = SourceLocation(filename, index, (), node.start_mark.line + 1, node.start_mark.column + 1)
        docs.append(Document(data, root, PositionMap(pos)))
    return docs


def _walk(root: Path) -> list[Path]:
    """Manifest files under `root` (symlinked directories are not entered, as before); a directory
    that cannot be listed is an error: skipping it would render a partial cluster without a word."""

    def refuse(exc: OSError) -> None:
        raise InputError(f"cannot read directory: {exc.strerror or exc}", SourceLocation(str(exc.filename or root), 1))

    found: list[Path] = []
    for folder, _, names in os.walk(root, onerror=refuse):
        found.extend(p for p in (Path(folder) / n for n in names) if p.suffix.lower() in MANIFEST_SUFFIXES and p.is_file())
    return sorted(found)


def _expand(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return _walk(path)
    if not path.exists():
        raise InputError(f"no such file or directory: {source}")
    return [path]


def load_sources(sources: Iterable[str], stdin_text: str | None = None) -> list[Document]:
    """Read every -f source. Files are read in sorted order within a directory."""
    docs: list[Document] = []
    for source in sources:
        if source == "-":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            docs.extend(parse_text(text, "<stdin>"))
            continue
        for path in _expand(source):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read file: {exc}", SourceLocation(str(path), 1)) from None
            docs.extend(parse_text(text, str(path)))
    return docs


def load_file(path: str) -> list[Document]:
    return load_sources([path])
