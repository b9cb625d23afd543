"""Multi-document YAML/JSON with positions. `-` is stdin; directories recurse."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import msgspec
import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.location import PositionMap, SourceLocation

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class Document(msgspec.Struct, frozen=True):
    data: Any
    loc: SourceLocation  # path () = the document root
    positions: PositionMap


# libyaml when present (about 5x faster, same marks); the pure-Python loader otherwise
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Constructor(SafeConstructor):
    """Safe types only; used without a Loader so no tag is registered globally."""


# Bounds for untrusted input. Kubernetes objects, VPC descriptions, policies and templates nest a
# few dozen levels at most; a document that expands (through YAML aliases) to more nodes than
# cfn-lint's own cap is refused rather than walked.
MAX_DEPTH = 100
MAX_NODES = 250_000


def _mark_of(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: Node, filename: str, doc: int) -> tuple[dict, Any, bool]:
    """Field path → (line, col) of one composed document, checking on the way what a Kubernetes
    API server or kubectl would refuse and what would make later stages slow: nesting deeper than
    MAX_DEPTH, more than MAX_NODES nodes once aliases are expanded (a "billion laughs" bomb is
    stopped after MAX_NODES steps, not expanded), and a mapping key written twice.

    On the same pass it builds the document's data as SafeConstructor would, for what manifests
    hold: mappings with string keys, sequences, and str / null / bool / int / float scalars. The
    third value says whether that data is the document's: False once anything else appears (another
    tag, a merge key, a key that is not a string, a collection reached again through an alias,
    a scalar its constructor refuses), and the caller constructs the document with SafeConstructor."""
    out: dict = {}
    root: list[Any] = [None]
    stack: list[tuple[Node, tuple, int, Any, Any]] = [(node, (), 0, root, 0)]  # node, path, depth, container, slot in it
    count = 0
    plain = True
    collections: set[int] = set()  # ids of the collection nodes built
    constructor = _Constructor()
    while stack:
        current, path, depth, into, slot = stack.pop()
        count += 1
        if count > MAX_NODES:
            line, _ = _mark_of(node)
            raise InputError(
                f"the document expands to more than {MAX_NODES:,} YAML nodes (aliases included): refused, as a YAML alias bomb",
                SourceLocation(filename, doc, (), line),
            )
        if depth > MAX_DEPTH:
            line, col = _mark_of(current)
            raise InputError(f"nested more than {MAX_DEPTH} levels deep: refused", SourceLocation(filename, doc, path, line, col))
        out.setdefault(path, _mark_of(current))
        if isinstance(current, MappingNode):
            mapping: dict | None = None
            if plain and current.tag == "tag:yaml.org,2002:map" and id(current) not in collections:
                collections.add(id(current))
                mapping = into[slot] = {}
            else:
                plain = False
            seen: dict[tuple[str, str], Node] = {}
            for key_node, value_node in current.value:
                if not isinstance(key_node, ScalarNode):
                    plain = False
                    stack.append((value_node, path, depth + 1, None, None))
                    continue
                if key_node.tag != "tag:yaml.org,2002:merge":
                    first = seen.setdefault((key_node.tag, key_node.value), key_node)
                    if first is not key_node:
                        line, col = _mark_of(key_node)
                        raise InputError(
                            f"duplicate key {key_node.value!r}: first at line {first.start_mark.line + 1}, again at line {line}; "
                            "kubectl and the API server refuse a key written twice (which one would win is not what a reviewer reads)",
                            SourceLocation(filename, doc, path + (key_node.value,), line, col),
                        )
                if plain and key_node.tag == "tag:yaml.org,2002:str" and mapping is not None:
                    mapping[key_node.value] = None  # the key's place in document order; the value is filled when popped
                else:
                    plain = False
                stack.append((value_node, path + (key_node.value,), depth + 1, mapping, key_node.value))
        elif isinstance(current, SequenceNode):
            items: list | None = None
            if plain and current.tag == "tag:yaml.org,2002:seq" and id(current) not in collections:
                collections.add(id(current))
                items = into[slot] = [None] * len(current.value)
            else:
                plain = False
            for i, item in enumerate(current.value):
                stack.append((item, path + (i,), depth + 1, items, i))
        elif plain:
            plain = _scalar_into(constructor, current, into, slot)
    return out, root[0], plain


# scalars SafeConstructor makes without state: a str as written, or an immutable value
_PLAIN_SCALAR_TAGS = frozenset(("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"))


def _scalar_into(constructor: SafeConstructor, node: Node, into: Any, slot: Any) -> bool:
    """Store the scalar's value at into[slot]; False when SafeConstructor must read the document."""
    if node.tag == "tag:yaml.org,2002:str":
        into[slot] = node.value
        return True
    if node.tag not in _PLAIN_SCALAR_TAGS:
        return False
    try:
        into[slot] = constructor.yaml_constructors[node.tag](constructor, node)
    except Exception:  # SafeConstructor reads the document again and reports it as before
        return False
    return True


def _check_json(text: str, filename: str) -> None:
    """YAML accepts some JSON mistakes (trailing commas); a .json file must be strict JSON."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", SourceLocation(filename, 1, (), exc.lineno, exc.colno)) from None
    except RecursionError:
        raise InputError(f"not valid JSON: nested more than {MAX_DEPTH} levels deep", SourceLocation(filename, 1)) from None


def _yaml_error(exc: yaml.YAMLError, text: str, filename: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    doc = _document_number(text, mark.index) if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    if col is not None:
        problem += f" at column {col}"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        # PyYAML's context says where the enclosing block or flow collection started
        problem += f" ({context} that starts at line {context_mark.line + 1} column {context_mark.column + 1})"
    if problem.startswith("expected <block end>"):
        problem += "; check the indentation"
    return InputError(f"not valid YAML/JSON: {problem}", SourceLocation(filename, doc, (), line, col))


def _document_number(text: str, index: int) -> int:
    return text.count("\n---", 0, max(0, index)) + 1


def _raise_yaml_error(text: str, filename: str, fast: yaml.YAMLError) -> None:
    """Re-parse with the pure-Python loader: its messages (with context) read better than libyaml's.
    On input that makes the pure-Python parser recurse too deep, libyaml's own report is used."""
    try:
        list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, filename) from None
    except RecursionError:
        raise _yaml_error(fast, text, filename) from None
    raise _yaml_error(fast, text, filename)


def _kind_of(node: Node) -> str | None:
    """The root mapping's `kind` when it is a plain string; None when absent or not a string."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "kind":
            return value_node.value if isinstance(value_node, ScalarNode) and value_node.tag == "tag:yaml.org,2002:str" else None
    return None


def _skipped(node: Node, kinds: Collection[str] | None) -> bool:
    """A document of a kind the caller does not read is neither constructed nor walked: a
    Deployment costs only its parse, and an alias bomb in a ConfigMap is never expanded. A root
    whose `kind` is missing is skipped as well; one whose `kind` is not a plain string is kept, so
    that its reader reports it."""
    if kinds is None or not isinstance(node, MappingNode):
        return False
    has_kind = any(isinstance(k, ScalarNode) and k.value == "kind" for k, _ in node.value)
    kind = _kind_of(node)
    if not has_kind:
        return True
    return kind is not None and kind not in kinds


def parse_text(text: str, filename: str, kinds: Collection[str] | None = None) -> list[Document]:
    """Every non-empty document of `text`. With `kinds`, only documents whose root `kind` is one of
    them (or is not a plain string) are kept; the others are skipped unconstructed."""
    docs: list[Document] = []
    if filename.lower().endswith(".json"):
        _check_json(text, filename)
    index = 0
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=_LOADER), start=1):
            if node is None or _skipped(node, kinds):
                continue
            doc = _document(node, filename, index)
            if doc is not None:
                docs.append(doc)
    except yaml.YAMLError as exc:
        _raise_yaml_error(text, filename, exc)
    except RecursionError:
        raise InputError(f"not valid YAML/JSON: nested more than {MAX_DEPTH} levels deep", SourceLocation(filename, index + 1)) from None
    return docs


def _walk_directory(root: Path) -> list[Path]:
    """Manifest files under `root` (symlinked directories are not entered, as before); a directory
    that cannot be listed is an error: skipping it would render a partial cluster without a word.
    A FIFO or device named *.yaml (or a link to /dev/zero) would block or never end: refused."""

    def refuse(exc: OSError) -> None:
        raise InputError(f"cannot read directory: {exc.strerror or exc}", SourceLocation(str(exc.filename or root), 1))

    found: list[Path] = []
    for folder, _, names in os.walk(root, onerror=refuse):
        for p in (Path(folder) / n for n in names):
            if p.suffix.lower() not in MANIFEST_SUFFIXES:
                continue
            if p.is_file():
                found.append(p)
            elif p.exists() and not p.is_dir():
                raise InputError(f"not a regular file (a device, FIFO or socket): {p}", SourceLocation(str(p), 1))
    return sorted(found)


def _document(node: Node, filename: str, index: int) -> Document | None:
    positions, data, plain = _walk(node, filename, index)
    if plain:
        return None if data is None else Document(data, _root_location(node, filename, index), PositionMap(positions))
    try:
        data = _Constructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # "found unhashable key", "could not determine a constructor for the tag ...": said with the
        # line and column of the file, not PyYAML's `in "<unicode string>"` position
        mark = exc.problem_mark or exc.context_mark or node.start_mark
        problem = exc.problem or exc.context or "cannot read this value"
        raise InputError(
            f"not valid YAML/JSON: {problem} at column {mark.column + 1}", SourceLocation(filename, index, (), mark.line + 1, mark.column + 1)
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors of explicitly tagged values (!!timestamp, !!int, !!binary ...) can
        # fail on bad text with plain Python errors
        raise InputError(f"not valid YAML/JSON: a tagged value cannot be read ({exc})", SourceLocation(filename, index, (), node.start_mark.line + 1)) from None
    if data is None:
        return None
    return Document(data, _root_location(node, filename, index), PositionMap(positions))


def _root_location(node: Node, filename: str, index: int) -> SourceLocation:
    return SourceLocation(filename, index, (), node.start_mark.line + 1, node.start_mark.column + 1)


def _expand(source: str) -> list[Path]:
    path = Path(source)
    if path.is_dir():
        return _walk_directory(path)
    if not path.exists():
        raise InputError(f"no such file or directory: {source}")
    if path.is_char_device() or path.is_block_device() or path.is_socket():
        raise InputError(f"not a regular file: {source}", SourceLocation(source, 1))
    return [path]


def read_stdin() -> str:
    """stdin as UTF-8, strictly: undecodable bytes are a located error, not a crash later on."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    data = buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded ({exc.reason})", SourceLocation("<stdin>", 1, (), line)) from None


def load_sources(sources: Iterable[str], stdin_text: str | None = None, kinds: Collection[str] | None = None) -> list[Document]:
    """Read every -f source. Files are read in sorted order within a directory. `kinds`: see parse_text."""
    docs: list[Document] = []
    for source in sources:
        if source == "-":
            text = stdin_text if stdin_text is not None else read_stdin()
            docs.extend(parse_text(text, "<stdin>", kinds))
            continue
        for path in _expand(source):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read file: {exc}", SourceLocation(str(path), 1)) from None
            docs.extend(parse_text(text, str(path), kinds))
    return docs


def load_file(path: str) -> list[Document]:
    return load_sources([path])
