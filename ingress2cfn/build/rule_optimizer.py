"""The rule optimizer (§6.6), per listener, before priorities are numbered.

LBC's rule_optimizer.go keeps the old `actions.ssl-redirect` pattern working:
1. a redirect rule that would land on this same listener again (an infinite loop) is dropped;
2. a rule whose host and path values are covered by an earlier, kept redirect rule is dropped.
Rules with regex path values are never loops. Only host-header / path-pattern values count."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ingress2cfn.model.stack import Condition, Protocol, Redirect

T = TypeVar("T")


def _redirect(actions: Iterable[Any]) -> Redirect | None:
    return next((a for a in actions if isinstance(a, Redirect)), None)


def is_infinite_redirect(port: int, protocol: Protocol, conditions: tuple[Condition, ...], actions: tuple[Any, ...]) -> bool:
    redirect = _redirect(actions)
    if redirect is None:
        return False
    hosts: set[str] = set()
    paths: set[str] = set()
    for c in conditions:
        if c.field == "host-header":
            hosts.update(c.values)
        elif c.field == "path-pattern":
            if c.regex_values:
                return False
            paths.update(c.values)
    if redirect.host is not None and redirect.host != "#{host}" and redirect.host not in hosts:
        return False
    if redirect.path is not None and redirect.path != "/#{path}" and redirect.path not in paths:
        return False
    if redirect.port is not None and redirect.port not in ("#{port}", str(port)):
        return False
    if redirect.protocol is not None and redirect.protocol not in ("#{protocol}", protocol.value):
        return False
    return redirect.query is None or redirect.query == "#{query}"


def _hosts_and_paths(conditions: tuple[Condition, ...], strict: bool) -> tuple[set[str], set[str]] | None:
    """Host values and path values (regex values when a path condition has them); None when
    `strict` and some other condition exists (such a rule covers nothing)."""
    hosts: set[str] = set()
    paths: set[str] = set()
    for c in conditions:
        if c.field == "host-header":
            hosts.update(c.values)
        elif c.field == "path-pattern":
            paths.update(c.regex_values if c.regex_values else c.values)
        elif strict:
            return None
    return hosts, paths


def is_superset(lhs: tuple[Condition, ...], rhs: tuple[Condition, ...]) -> bool:
    """Whether a rule with conditions `lhs` matches every request a rule with `rhs` matches (LBC's approximation)."""
    left = _hosts_and_paths(lhs, strict=True)
    if left is None:
        return False
    lhs_hosts, lhs_paths = left
    rhs_hosts, rhs_paths = _hosts_and_paths(rhs, strict=False)  # type: ignore[misc]
    hosts_ok = not lhs_hosts or (bool(rhs_hosts) and lhs_hosts >= rhs_hosts)
    paths_ok = not lhs_paths or "/*" in lhs_paths or (bool(rhs_paths) and lhs_paths >= rhs_paths)
    return hosts_ok and paths_ok


def _second(item: Any) -> tuple:
    return item[1]


def optimize(port: int, protocol: Protocol, items: list[T], body: Callable[[T], tuple] = _second) -> list[T]:
    """Drop redirect loops, then rules shadowed by an earlier redirect; `body(item)` gives
    (conditions, actions, ...) of a candidate rule."""
    kept = [item for item in items if not is_infinite_redirect(port, protocol, body(item)[0], body(item)[1])]
    out: list[T] = []
    redirects: list[tuple[Condition, ...]] = []  # conditions of the kept redirect rules: only they shadow
    for item in kept:
        conditions, actions = body(item)[0], body(item)[1]
        if any(is_superset(earlier, conditions) for earlier in redirects):
            continue
        out.append(item)
        if _redirect(actions) is not None:
            redirects.append(conditions)
    return out
