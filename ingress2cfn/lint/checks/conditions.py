"""ListenerRule conditions read from a template, in both shapes CloudFormation accepts (the
`*Config` objects, and the legacy `Values` on the condition itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingress2cfn.lint.checks.context import as_dict, as_list, as_str

CONFIG_KEYS = {
    "host-header": "HostHeaderConfig",
    "path-pattern": "PathPatternConfig",
    "http-header": "HttpHeaderConfig",
    "http-request-method": "HttpRequestMethodConfig",
    "query-string": "QueryStringConfig",
    "source-ip": "SourceIpConfig",
}
# fields whose Values are ALB wildcard patterns (source-ip holds CIDRs, methods plain names)
WILDCARD_FIELDS = ("host-header", "path-pattern", "http-header", "query-string")


@dataclass(frozen=True)
class ConditionView:
    index: int
    field: str | None
    values: tuple[str, ...]  # plain values; query-string pairs as "key=value" (or "value")
    regex_values: tuple[str, ...]
    pattern_parts: tuple[str, ...]  # the strings ALB reads wildcards in
    exact: bool  # every value is a plain string (no intrinsic functions)


def _strings(items: list) -> tuple[tuple[str, ...], bool]:
    out = tuple(v for v in items if isinstance(v, str))
    return out, len(out) == len(items)


def view(index: int, condition: Any) -> ConditionView:
    cond = as_dict(condition)
    field = as_str(cond.get("Field"))
    config = as_dict(cond.get(CONFIG_KEYS.get(field or "", ""), {}))
    exact = isinstance(condition, dict)
    if field == "query-string":
        pairs = [p for p in as_list(config.get("Values")) if isinstance(p, dict)]
        values: list[str] = []
        pair_parts: list[str] = []
        for p in pairs:
            key, value = as_str(p.get("Key")), as_str(p.get("Value"))
            if value is None:
                exact = False
                continue
            values.append(f"{key}={value}" if key is not None else value)
            pair_parts.extend(x for x in (key, value) if x is not None)
        legacy, ok = _strings(as_list(cond.get("Values")))
        return ConditionView(index, field, tuple(values) + legacy, (), tuple(pair_parts) + legacy, exact and ok)
    plain, ok1 = _strings(as_list(config.get("Values")))
    legacy, ok2 = _strings(as_list(cond.get("Values")))
    regex, ok3 = _strings(as_list(config.get("RegexValues")))
    values_all = plain + legacy
    parts = values_all if field in WILDCARD_FIELDS else ()
    return ConditionView(index, field, values_all, regex, parts, exact and ok1 and ok2 and ok3)


def conditions(rule_properties: dict) -> list[ConditionView]:
    return [view(i, c) for i, c in enumerate(as_list(rule_properties.get("Conditions")))]
