"""The annotation registry as text, Markdown or JSON (`ingress2cfn annotations`, README table)."""

from __future__ import annotations

import json

from ingress2cfn.rules.annotations import REGISTRY
from ingress2cfn.rules.class_params import as_table as params_table
from ingress2cfn.rules.class_params import field_for_annotation

COLUMNS = (
    ("key", "annotation"),
    ("type", "type"),
    ("default", "default"),
    ("read_from", "read from"),
    ("merge", "group merge"),
    ("class_params", "IngressClassParams"),
    ("supported", "supported"),
)
PARAMS_COLUMNS = (("field", "IngressClassParams field"), ("type", "type"), ("replaces", "stands in for"), ("scope", "how"), ("supported", "supported"))


def _params_rows() -> list[dict[str, str]]:
    return params_table()


def as_table() -> list[dict[str, str]]:
    return [
        {
            "key": ann.full_key,
            "type": ann.type.value,
            "default": ann.shown_default,
            "read_from": ", ".join(ann.read_from),
            "merge": ann.merge.value,
            "class_params": field_for_annotation(ann.key) or "—",
            "supported": "yes" if ann.not_supported is None else f"no: {ann.not_supported}",
            "doc": ann.doc,
        }
        for ann in REGISTRY
    ]


def _markdown_table(rows: list[dict[str, str]], columns, code_key: str) -> list[str]:
    lines = ["| " + " | ".join(title for _, title in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [f"`{row[k]}`" if k == code_key else row[k].replace("|", "\\|") for k, _ in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _text_table(rows: list[dict[str, str]], columns) -> list[str]:
    widths = {key: max(len(title), *(len(r[key]) for r in rows)) for key, title in columns[:-1]}
    out = ["  ".join(title.ljust(widths[key]) for key, title in columns[:-1]) + "  " + columns[-1][1]]
    for row in rows:
        out.append("  ".join(row[key].ljust(widths[key]) for key, _ in columns[:-1]) + "  " + row[columns[-1][0]])
    return out


def markdown() -> str:
    lines = _markdown_table(as_table(), COLUMNS, "key")
    lines += ["", "IngressClassParams fields (`spec.*`): a field set on a member's class replaces (or merges over) the annotation it stands in for.", ""]
    lines += _markdown_table(_params_rows(), PARAMS_COLUMNS, "field")
    return "\n".join(lines) + "\n"


def text() -> str:
    out = _text_table(as_table(), COLUMNS)
    out += ["", *_text_table(_params_rows(), PARAMS_COLUMNS)]
    return "\n".join(out) + "\n"


def as_json() -> str:
    rows = [{"kind": "annotation", **row} for row in as_table()]
    rows += [{"kind": "IngressClassParams field", **row} for row in _params_rows()]
    return json.dumps(rows, indent=2) + "\n"
