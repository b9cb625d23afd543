"""ALB wildcard patterns (`*` any run of characters, `?` exactly one) and when one covers another.

`covers(a, b)` is True exactly when every string matched by `b` is matched by `a`. The alphabet is
unbounded, so it is reduced to the characters of `a` plus one stand-in for "any other character"
(`a` cannot tell those apart), after which inclusion of the two regular languages is decided on
the product of `b`'s automaton with the subset automaton of `a`. The search is bounded by the
work it does (pattern positions visited, `_MAX_WORK`), not only by the states it keeps, so two
hostile patterns cannot stall lint; past the bound, and for patterns longer than ALB's 128
characters, the answer is the cautious one: not covered."""

from __future__ import annotations

from functools import lru_cache

WILDCARDS = "*?"
_OTHER = "\x00"  # the stand-in character; never part of an ALB pattern
_MAX_STATES = 20_000
_MAX_WORK = 500_000  # pattern positions stepped over, all states together
MAX_PATTERN = 128  # ALB's longest condition value


def is_literal(pattern: str) -> bool:
    return not any(c in pattern for c in WILDCARDS)


def _step(pattern: str, positions: frozenset[int], char: str) -> frozenset[int]:
    """Positions of `pattern` reached after reading `char` from `positions` (already closed)."""
    out = set()
    for i in positions:
        if i >= len(pattern):
            continue
        p = pattern[i]
        if p == "*":
            out.add(i)  # the star eats the character and stays
        elif p == "?" or p == char:
            out.add(i + 1)
    return _close(pattern, frozenset(out))


def _close(pattern: str, positions: frozenset[int]) -> frozenset[int]:
    """Add the positions reached by letting stars match the empty string."""
    out = set(positions)
    todo = list(positions)
    while todo:
        i = todo.pop()
        if i < len(pattern) and pattern[i] == "*" and i + 1 not in out:
            out.add(i + 1)
            todo.append(i + 1)
    return frozenset(out)


def matches(pattern: str, text: str) -> bool:
    state = _close(pattern, frozenset({0}))
    for c in text:
        state = _step(pattern, state, c)
        if not state:
            return False
    return len(pattern) in state


@lru_cache(maxsize=4096)
def covers(a: str, b: str) -> bool:
    """Every string matched by pattern `b` is matched by pattern `a` (case-sensitive)."""
    return covers_counted(a, b)[0]


def covers_counted(a: str, b: str) -> tuple[bool, int]:
    """`covers` and the work it took (pattern positions stepped over), at most about _MAX_WORK."""
    if a == b or a == "*":
        return True, 0
    if len(a) > MAX_PATTERN or len(b) > MAX_PATTERN:
        return False, 0  # ALB refuses such a value anyway; no search
    if is_literal(b):
        return matches(a, b), len(a) * len(b)
    alphabet = sorted(set(a) - set(WILDCARDS)) + [_OTHER]
    # characters of b's literals that a does not mention behave like the stand-in
    known = set(alphabet)
    b_norm = "".join(c if c in WILDCARDS or c in known else _OTHER for c in b)

    start = (_close(b_norm, frozenset({0})), _close(a, frozenset({0})))
    seen = {start}
    todo = [start]
    work = 0
    while todo:
        b_state, a_state = todo.pop()
        if len(b_norm) in b_state and len(a) not in a_state:
            return False, work  # a string b accepts and a rejects
        work += len(alphabet) * (len(b_state) + len(a_state))
        if work > _MAX_WORK:
            return False, work
        for c in alphabet:
            nb = _step(b_norm, b_state, c)
            if not nb:
                continue
            na = _step(a, a_state, c)
            nxt = (nb, na)
            if nxt not in seen:
                if len(seen) >= _MAX_STATES:
                    return False, work
                seen.add(nxt)
                todo.append(nxt)
    return True, work


def covers_any(patterns_a: tuple[str, ...], b: str) -> bool:
    """Some single pattern of `patterns_a` covers `b` (a union of patterns covering `b` only
    together is not detected: cautious)."""
    return any(covers(a, b) for a in patterns_a)


def wildcard_count(value: str) -> int:
    return sum(value.count(c) for c in WILDCARDS)
