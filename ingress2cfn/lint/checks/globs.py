"""ALB wildcard patterns (`*` any run of characters, `?` exactly one) and when one covers another.

`covers(a, b)` is True exactly when every string matched by `b` is matched by `a`. The alphabet is
unbounded, so it is reduced to the characters of `a` plus one stand-in for "any other character"
(`a` cannot tell those apart), after which inclusion of the two regular languages is decided on
the product of `b`'s automaton with the subset automaton of `a`. Should that search grow beyond a
bound (it does not for patterns of ALB's 128 characters in practice), the answer is the cautious
one: not covered."""

from __future__ import annotations

from functools import lru_cache

WILDCARDS = "*?"
_OTHER = "\x00"  # the stand-in character; never part of an ALB pattern
_MAX_STATES = 20_000


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
    if a == b or a == "*":
        return True
    if is_literal(b):
        return matches(a, b)
    alphabet = sorted(set(a) - set(WILDCARDS)) + [_OTHER]
    # characters of b's literals that a does not mention behave like the stand-in
    known = set(alphabet)
    b_norm = "".join(c if c in WILDCARDS or c in known else _OTHER for c in b)

    start = (_close(b_norm, frozenset({0})), _close(a, frozenset({0})))
    seen = {start}
    todo = [start]
    while todo:
        b_state, a_state = todo.pop()
        if len(b_norm) in b_state and len(a) not in a_state:
            return False  # a string b accepts and a rejects
        for c in alphabet:
            nb = _step(b_norm, b_state, c)
            if not nb:
                continue
            na = _step(a, a_state, c)
            nxt = (nb, na)
            if nxt not in seen:
                if len(seen) >= _MAX_STATES:
                    return False
                seen.add(nxt)
                todo.append(nxt)
    return True


def covers_any(patterns_a: tuple[str, ...], b: str) -> bool:
    """Some single pattern of `patterns_a` covers `b` (a union of patterns covering `b` only
    together is not detected: cautious)."""
    return any(covers(a, b) for a in patterns_a)


def wildcard_count(value: str) -> int:
    return sum(value.count(c) for c in WILDCARDS)
