"""The annotation registry as text, Markdown or JSON (`ingress2cfn annotations`, README table)."""
from __future__ import annotations

import json

from .annotations import as_table

COLUMNS = (("key", "annotation"), ("type", "type"), ("default", "default"), ("read_from", "read from"),
           ("merge", "group merge"), ("supported", "supported"))


def markdown() -> str:
    rows = as_table()
    lines = ["| " + " | ".join(title for _, title in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            value = row[key].replace("|", "\\|")
            cells.append(f"`{value}`" if key == "key" else value)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def text() -> str:
    rows = as_table()
    widths = {key: max(len(title), *(len(r[key]) for r in rows)) for key, title in COLUMNS[:-1]}
    out = ["  ".join(title.ljust(widths[key]) for key, title in COLUMNS[:-1]) + "  supported"]
    for row in rows:
        out.append("  ".join(row[key].ljust(widths[key]) for key, _ in COLUMNS[:-1]) + "  " + row["supported"])
    return "\n".join(out) + "\n"


def as_json() -> str:
    return json.dumps(as_table(), indent=2) + "\n"
