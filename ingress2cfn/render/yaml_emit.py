"""Block-style YAML for the plain data of a template, without PyYAML's per-scalar Python cost.

`dump_yaml` in serialise.py is PyYAML's libyaml dumper with: block style, indent 2, no aliases,
keys in insertion order, width 1000, unicode as is. libyaml emits quickly, but PyYAML calls its
Python representer and resolver for every scalar first (hundreds of thousands per 1,000
Ingresses). This module writes the same bytes for the subset a CloudFormation template uses:
dicts with str keys, lists, and str / int / bool / None scalars on one line. Anything outside that
subset (floats, other types, line breaks, characters libyaml escapes, keys libyaml would not
write as simple keys) raises `Unsupported`, and the caller falls
back to PyYAML for that document — so the output is always exactly PyYAML's.

The quoting decision mirrors libyaml's scalar analysis (emitter.c, yaml_emitter_analyze_scalar
and yaml_emitter_select_scalar_style) restricted to one-line printable text, and PyYAML's own
implicit resolver (the one yaml.dump consults) decides whether a plain scalar would read back as
something other than a string. tests/unit/test_yaml_emit.py compares both emitters on every
golden template and on generated strings and documents.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

# serialise.dump_yaml's width, past which libyaml folds scalars at spaces: never, since a folded value
# continues on a line of its own where a manifest could place `::error …` (a CI workflow command)
WIDTH = 2**31 - 1  # libyaml takes a C int
SIMPLE_KEY_MAX = 128  # libyaml writes longer keys as "? key" (yaml_emitter_check_simple_key)
_STR_TAG = "tag:yaml.org,2002:str"


class Unsupported(Exception):
    """The data leaves the subset this emitter reproduces byte for byte."""


# One line of characters libyaml prints as they are with allow_unicode: printable ASCII and the
# BMP's printable range without U+2028/U+2029 (line breaks to libyaml) and U+FEFF (BOM).
_ONE_LINE = re.compile("[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
# First characters that make a plain scalar start something else in block context.
_INDICATOR_FIRST = frozenset("#,[]{}&*!|>'\"%@`")
_resolver = Resolver()
_first_chars = frozenset(k for k in Resolver.yaml_implicit_resolvers if k)  # '' = the empty scalar
# strings recently written (keys and values every template repeats, a resource's names in its tags,
# metadata and outputs): small, since caching every unique name would raise the peak memory of a
# large render
_CACHE_MAX = 2048


def _reads_back_as_str(text: str) -> bool:
    if text[0] not in _first_chars:
        return True
    return _resolver.resolve(ScalarNode, text, (True, False)) == _STR_TAG


def _plain_allowed(text: str) -> bool:
    """libyaml's block_plain_allowed for one line of printable text."""
    if text[0] == " " or text[-1] == " ":
        return False
    if text[:3] in ("---", "...") and len(text) >= 3:
        return False
    first = text[0]
    followed_by_space = len(text) == 1 or text[1] == " "
    if first in _INDICATOR_FIRST or (first in "?:-" and followed_by_space):
        return False
    if ": " in text or (len(text) > 1 and text.endswith(":")):  # ": " or a final ":" starts a mapping value
        return False
    return " #" not in text  # a comment


@functools.lru_cache(maxsize=_CACHE_MAX)
def scalar_text(text: str) -> str:
    """`text` as libyaml writes a str scalar: plain, or single-quoted."""
    if _ONE_LINE.fullmatch(text) is None:
        raise Unsupported("line break or a character libyaml escapes")
    if text and _plain_allowed(text) and _reads_back_as_str(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _folded(text: str, quoted: bool, column: int, indent: int) -> str:
    """libyaml's write_plain / write_single_quoted with breaks allowed: past the width, a single
    space (not the first or last character of a quoted scalar) becomes a line break + indent."""
    out = ["'"] if quoted else []
    col = column + len(out)
    last = len(text) - 1
    spaces = False
    for i, ch in enumerate(text):
        if ch == " ":
            if not spaces and col > WIDTH and (i == last or text[i + 1] != " ") and not (quoted and i in (0, last)):
                out.append("\n" + " " * indent)
                col = indent
            else:
                out.append(" ")
                col += 1
            spaces = True
        else:
            piece = "''" if quoted and ch == "'" else ch
            out.append(piece)
            col += len(piece)
            spaces = False
    if quoted:
        out.append("'")
    return "".join(out)


def _scalar(value: Any, column: int, indent: int) -> str:
    """`column`: where the scalar starts on its line; `indent`: where folded lines continue."""
    kind = type(value)
    if kind is str:
        out = scalar_text(value)
        if column + len(out) > WIDTH:
            out = _folded(value, out[0] == "'", column, indent)
        return out
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    raise Unsupported(f"scalar of type {kind.__name__}")


def _key(key: Any) -> str:
    if type(key) is not str or len(key) > SIMPLE_KEY_MAX:
        raise Unsupported("mapping key that is not a short string")
    return scalar_text(key)


def _mapping(data: dict, indent: int, out: list[str], inline_first: bool) -> None:
    pad = " " * indent
    for key, value in data.items():
        name = _key(key)
        out.append((name if inline_first else pad + name) + ":")
        inline_first = False
        kind = type(value)
        if kind is dict:
            if value:
                out.append("\n")
                _mapping(value, indent + 2, out, False)
            else:
                out.append(" {}\n")
        elif kind is list:
            if value:
                out.append("\n")
                _sequence(value, indent, out, False)  # libyaml: a sequence in a mapping is not indented
            else:
                out.append(" []\n")
        else:
            out.append(" " + _scalar(value, indent + len(name) + 2, indent + 2) + "\n")


def _sequence(items: list, indent: int, out: list[str], inline_first: bool) -> None:
    pad = " " * indent
    for value in items:
        out.append("- " if inline_first else pad + "- ")
        inline_first = False
        kind = type(value)
        if kind is dict:
            if value:
                _mapping(value, indent + 2, out, True)
            else:
                out.append("{}\n")
        elif kind is list:
            if value:
                _sequence(value, indent + 2, out, True)
            else:
                out.append("[]\n")
        else:
            out.append(_scalar(value, indent + 2, indent + 2) + "\n")


def emit(data: Any) -> str:
    """One YAML document (no `---`) for a non-empty dict or list; raises `Unsupported` otherwise."""
    out: list[str] = []
    if type(data) is dict and data:
        _mapping(data, 0, out, False)
    elif type(data) is list and data:
        _sequence(data, 0, out, False)
    else:
        raise Unsupported("document that is not a non-empty mapping or sequence")
    return "".join(out)
