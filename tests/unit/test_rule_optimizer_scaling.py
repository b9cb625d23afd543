"""The rule optimizer compares a rule only with the earlier kept redirect rules (only those can
shadow it), so a listener of n forward rules costs n steps, not n²/2; the result is the same as
comparing with every earlier kept rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ingress2cfn.build.rule_optimizer as ro
from ingress2cfn.model.stack import Condition, Forward, Protocol, Redirect

HOSTS = ["a.example.com", "b.example.com", "c.example.com"]
PATHS = ["/*", "/x", "/x/*", "/y"]


def _rule(kind: str, hosts: tuple[str, ...], paths: tuple[str, ...]) -> tuple:
    conditions = tuple(c for c in (Condition("host-header", hosts) if hosts else None, Condition("path-pattern", paths) if paths else None) if c)
    action = Redirect("HTTP_301", protocol="HTTPS", port="443") if kind == "redirect" else Forward(("Tg",))
    return (kind, (conditions, (action,)))


def _reference(port, protocol, items):
    """The optimizer as first written: every earlier kept rule, redirect or not, is looked at."""
    kept = [i for i in items if not ro.is_infinite_redirect(port, protocol, i[1][0], i[1][1])]
    out: list = []
    for item in kept:
        if not any(ro._redirect(e[1][1]) is not None and ro.is_superset(e[1][0], item[1][0]) for e in out):
            out.append(item)
    return out


RULES = st.lists(
    st.builds(
        _rule,
        st.sampled_from(["redirect", "forward"]),
        st.lists(st.sampled_from(HOSTS), max_size=2, unique=True).map(tuple),
        st.lists(st.sampled_from(PATHS), max_size=2, unique=True).map(tuple),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(RULES, st.sampled_from([(80, Protocol.HTTP), (443, Protocol.HTTPS)]))
def test_same_result_as_comparing_with_every_earlier_rule(items, listener):
    port, protocol = listener
    assert ro.optimize(port, protocol, items) == _reference(port, protocol, items)


@pytest.mark.parametrize("n", [10, 200])
def test_steps_grow_linearly_with_the_rules(monkeypatch, n):
    """Steps = looks at a rule's actions (_redirect) and comparisons (is_superset)."""
    steps = {"redirect": 0, "superset": 0}
    real_redirect, real_superset = ro._redirect, ro.is_superset

    def redirect(actions):
        steps["redirect"] += 1
        return real_redirect(actions)

    def superset(lhs, rhs):
        steps["superset"] += 1
        return real_superset(lhs, rhs)

    monkeypatch.setattr(ro, "_redirect", redirect)
    monkeypatch.setattr(ro, "is_superset", superset)
    items = [_rule("forward", (f"h{i}.example.com",), ("/app", "/app/*")) for i in range(n)]
    assert ro.optimize(80, Protocol.HTTP, items) == items
    assert steps == {"redirect": 2 * n, "superset": 0}  # loop check + "is it a redirect?", once each
    steps.update(redirect=0, superset=0)
    first = _rule("redirect", ("other.example.com",), ())
    assert ro.optimize(80, Protocol.HTTP, [first, *items]) == [first, *items]
    assert steps == {"redirect": 2 * (n + 1), "superset": n}  # each forward rule against the one redirect
