"""ALB wildcard coverage (ingress2cfn/lint/checks/globs.py): `covers(a, b)` ⇔ every string `b` matches,
`a` matches. Checked against a table and against brute force over short strings."""

from __future__ import annotations

import itertools
import re

import pytest

from ingress2cfn.lint.checks.globs import covers, matches


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("/*", "/api", True),
        ("/*", "/api/*", True),
        ("*", "anything?*", True),
        ("/api/*", "/api/v1/users", True),
        ("/api/*", "/api", False),  # ALB: /api/* needs the slash
        ("/api*", "/api/v?/*", True),
        ("/a*", "/ab*", True),
        ("/ab*", "/a*", False),
        ("?*", "*?", True),  # both: at least one character
        ("*?", "?*", True),
        ("*a*", "a*", True),
        ("*ab*", "*a*b*", False),  # "axb"
        ("/a?c", "/abc", True),
        ("/a?c", "/a*c", False),
        ("/x", "/x*", False),
        ("*.example.com", "www.example.com", True),
        ("*.example.com", "a.b.example.com", True),
        ("*.example.com", "example.com", False),
        ("?.example.com", "*.example.com", False),
    ],
)
def test_covers_table(a, b, expected):
    assert covers(a, b) is expected


def _regex(pattern: str) -> re.Pattern:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z", re.DOTALL)


ALPHABET = "ab"
PATTERNS = ["".join(p) for n in range(4) for p in itertools.product("ab*?", repeat=n)]
STRINGS = ["".join(p) for n in range(7) for p in itertools.product(ALPHABET + "c", repeat=n)]


def test_matches_agrees_with_regex():
    for p in PATTERNS:
        rx = _regex(p)
        for s in STRINGS[:200]:
            assert matches(p, s) == bool(rx.match(s)), (p, s)


def test_covers_agrees_with_brute_force_on_short_patterns():
    """Soundness: when covered, no short string of b escapes a. Completeness: when not covered, a
    string of b that a rejects exists, and for patterns this short one of at most 6 characters
    over a, b and a third letter is enough."""
    matched = {p: {s for s in STRINGS if _regex(p).match(s)} for p in PATTERNS}
    for a, b in itertools.product(PATTERNS, repeat=2):
        assert covers(a, b) == (matched[b] <= matched[a]), (a, b)
