"""Text from manifests on a terminal or in a CI log. Every manifest is untrusted input: a name with
a newline followed by `::error …` or `::add-mask::…` would start a line that GitHub Actions runs
as a workflow command, an ANSI escape would repaint the terminal, a bidi override would make a
message read backwards. So every message shows control, format and line-separator characters
escaped (`\\n`, `\\x1b`, `\\u202e`), and no output line begins with a workflow command."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, zero-width and bidi formatting characters, line/paragraph separators, BOM
_OTHERS = "\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
_ANY = re.compile(f"[\x00-\x1f{_OTHERS}]")
_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# GitHub Actions reads `::command …::` (and the older `##[command]`) at the start of a line
_WORKFLOW_COMMAND = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def _code(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"


def escape(text: str) -> str:
    """One line: every control character, newline included, as an escape."""
    return no_workflow_commands(_ANY.sub(_code, text))


def no_workflow_commands(text: str) -> str:
    """A line that would begin with a workflow command gets a `\\` in front (for text whose
    pieces are escaped already and that holds our own ANSI colours)."""
    return _WORKFLOW_COMMAND.sub(r"\1\\\2", text)


def safe_lines(text: str) -> str:
    """Several lines of our own (a list of errors, a diff): control characters other than the
    newline escaped, and a line that would begin with a workflow command gets a `\\` in front."""
    return no_workflow_commands(_BUT_NEWLINE.sub(_code, text))
