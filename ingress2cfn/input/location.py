"""Where a value came from: file, document, field path and position."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


def _format_path(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out and ("." in part or "/" in part):
            # annotation keys and labels hold dots and slashes: quote them like kubectl/jq do
            out += f'["{part}"]'
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, order=True)
class SourceLocation:
    file: str
    doc: int  # 1-based index of the document within its file
    path: tuple[str | int, ...] = ()
    line: int | None = field(default=None, compare=False)
    col: int | None = field(default=None, compare=False)

    def at(self, *parts: str | int, positions: PositionMap | None = None) -> SourceLocation:
        path = self.path + tuple(parts)
        line, col = self.line, self.col
        if positions is not None:
            found = positions.lookup(path)
            if found is not None:
                line, col = found
        return replace(self, path=path, line=line, col=col)

    @property
    def field_path(self) -> str:
        return _format_path(self.path)

    def prefix(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        return f"{where} [doc {self.doc}]"


class PositionMap:
    """Field path -> (line, col) of one document, 1-based; the nearest known ancestor is used."""

    def __init__(self, positions: dict[tuple[str | int, ...], tuple[int, int]] | None = None):
        self._positions = positions or {}

    def lookup(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        while True:
            if path in self._positions:
                return self._positions[path]
            if not path:
                return None
            path = path[:-1]
