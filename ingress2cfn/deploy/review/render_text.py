"""The review for a terminal: danger banner, blockers, then per stack its rule tables, resources
and quota gauges. Colour (ANSI, through click.style) only when asked for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from ingress2cfn.deploy.review import present
from ingress2cfn.deploy.review.escape import terminal
from ingress2cfn.deploy.review.model import Review

MARKER_SIGNS = {"added": "+", "removed": "-", "changed": "~", "moved": ">", "replaced": "!", "unchanged": " "}
MARKER_COLOURS = {"added": "green", "removed": "red", "changed": "yellow", "moved": "cyan", "replaced": "red"}
ACTION_COLOURS = {"add": "green", "remove": "red", "modify": "yellow"}


class _Out:
    def __init__(self, colour: bool):
        self.colour = colour
        self.lines: list[str] = []

    def style(self, text: str, **kw: Any) -> str:
        return click.style(text, **kw) if self.colour else text

    def line(self, text: str = "") -> None:
        self.lines.append(text.rstrip())

    def table(self, indent: str, header: Sequence[str], rows: Sequence[tuple[Sequence[str], str | None]]) -> None:
        """Columns padded to their widest cell; each row may carry a colour."""
        widths = [max(len(r[i]) for r in [header, *(cells for cells, _ in rows)]) for i in range(len(header))]
        self.line(indent + self.style("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), bold=True))
        for cells, colour in rows:
            text = "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
            self.line(indent + (self.style(text, fg=colour) if colour else text))


def _banner(out: _Out, data: dict[str, Any]) -> None:
    dangers, blockers = data["dangers"], data["blockers"]
    if dangers:
        n = len(dangers)
        out.line(out.style(f"DANGER: {n} change{'s' if n > 1 else ''} to what already exists (refused without --allow-replacement)", fg="red", bold=True))
        for d in dangers:
            out.line(out.style("  ! ", fg="red", bold=True) + terminal(f"[{d['kind']}] {d['stack']}: {d['message']}"))
        out.line()
    if blockers:
        n = len(blockers)
        out.line(out.style(f"BLOCKED: {n} change{'s' if n > 1 else ''} CloudFormation cannot execute", fg="red", bold=True))
        for b in blockers:
            out.line(out.style("  x ", fg="red", bold=True) + terminal(f"{b['stack']} {b['logicalId']}: {b['message']}"))
            out.line("      way out: " + terminal(b["wayOut"]))
        out.line()


def _listener(out: _Out, listener: dict[str, Any]) -> None:
    marker = present.MARKER_WORDS[listener["marker"]]
    title = "listener " + terminal(present.listener_title(listener)) + (f" ({marker})" if marker else "")
    out.line("  " + out.style(title, bold=True))
    rows = []
    for r in listener["rules"]:
        actions = present.actions_text(r["actions"])
        cells = [
            MARKER_SIGNS[r["marker"]],
            terminal(present.priority_text(r)),
            present.MARKER_WORDS[r["marker"]],
            terminal("; ".join(r["conditions"]) or "-"),
            terminal("; ".join(actions)),
            terminal(present.source_text(r)),
        ]
        rows.append((cells, MARKER_COLOURS.get(r["marker"])))
        previous = r["previous"]
        if previous is not None:
            was_conditions = "; ".join(previous["conditions"]) if previous["conditions"] != r["conditions"] else ""
            was_actions = present.actions_text(previous["actions"])
            was_action = "; ".join(was_actions) if was_actions != actions else ""
            rows.append((["", "", "was", terminal(was_conditions), terminal(was_action), ""], None))
    out.table("    ", ["", "PRIORITY", "CHANGE", "CONDITIONS", "ACTION", "FROM"], rows)


def _resources(out: _Out, stack: dict[str, Any]) -> None:
    if not stack["resources"]:
        return
    out.line("  " + out.style("resources", bold=True))
    rows = []
    for r in stack["resources"]:
        cells = [r["action"], terminal(r["type"]), terminal(r["logicalId"]), terminal(present.replacement_text(r)), terminal(present.resource_notes(r))]
        rows.append((cells, "red" if r["replacement"] == "yes" else ACTION_COLOURS.get(r["action"])))
    out.table("    ", ["ACTION", "TYPE", "LOGICAL ID", "REPLACEMENT", "NOTE"], rows)


def _gauges(out: _Out, stack: dict[str, Any]) -> None:
    for gauge in stack["gauges"]:
        out.line("  " + out.style("quotas of " + terminal(present.gauge_title(gauge)), bold=True))
        rows = []
        for (quota, used, was), q in zip(present.gauge_lines(gauge), gauge["quotas"]):
            colour = "red" if q["used"] > q["limit"] else "yellow" if q["used"] * 5 >= q["limit"] * 4 else None
            rows.append(([quota, used, was], colour))
        out.table("    ", ["QUOTA", "USED", "BEFORE"], rows)


def render_text(review: Review, *, colour: bool) -> str:
    data = review.to_json()
    out = _Out(colour)
    _banner(out, data)
    for stack in data["stacks"]:
        out.line(out.style(terminal(present.stack_title(stack)), bold=True) + ": " + present.stack_line(stack))
        for note in stack["notes"]:
            out.line("  note: " + terminal(note))
        for listener in stack["listeners"]:
            _listener(out, listener)
        _resources(out, stack)
        _gauges(out, stack)
        out.line()
    if not data["hasChanges"]:
        out.line("no changes")
    return "\n".join(out.lines).rstrip("\n") + "\n"
