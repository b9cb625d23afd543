"""Family 3: target groups behind an ALB — health-check settings, success codes, attribute keys
and protocols."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingress2cfn.lint.checks.context import (
    ALB_PROTOCOLS,
    TARGET_GROUP,
    CheckContext,
    Resource,
    as_dict,
    as_int,
    as_str,
    describe,
    describe_listener,
)
from ingress2cfn.lint.checks.known_values import (
    ALB_LAMBDA_ONLY_TARGET_GROUP_ATTRIBUTES,
    ALB_TARGET_GROUP_ATTRIBUTES,
    HEALTH_CHECK_DEFAULTS,
    HEALTH_CHECK_PATH_MAX,
    HEALTH_CHECK_RANGES,
    MATCHER_RANGES,
)
from ingress2cfn.lint.checks.listeners import _near, _unknown_keys
from ingress2cfn.lint.findings import Finding


def _target_type(tg: Resource) -> str:
    t = tg.properties.get("TargetType", "instance")
    return t if isinstance(t, str) else ""


def alb_target_groups(ctx: CheckContext) -> list[Resource]:
    """Target groups an ALB uses or could use: Lambda targets, HTTP/HTTPS protocol, or forwarded
    to by an ALB listener (NLB target groups, `alb`-type ones included, are left alone)."""
    users = ctx.index.target_group_users()
    out = []
    for tg in ctx.index.of_type(TARGET_GROUP):
        ttype = _target_type(tg)
        if ttype == "alb":
            continue
        on_alb = any(ctx.index.on_alb(li) for li in users.get(tg.logical_id, []))
        if ttype == "lambda" or tg.properties.get("Protocol") in ALB_PROTOCOLS or on_alb:
            out.append(tg)
    return out


def _hint(tg: Resource, annotations: str) -> str:
    return f" (annotations {annotations})" if tg.metadata.present else ""


def health_check_timeout(ctx: CheckContext) -> Iterator[Finding]:
    for tg in alb_target_groups(ctx):
        defaults = HEALTH_CHECK_DEFAULTS.get(_target_type(tg), {})
        written = {k: as_int(tg.properties.get(k)) for k in ("HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds")}
        if all(tg.properties.get(k) is None for k in written):
            continue  # both AWS defaults
        if any(tg.properties.get(k) is not None and v is None for k, v in written.items()):
            continue  # an intrinsic function: unknown
        interval = written["HealthCheckIntervalSeconds"] if written["HealthCheckIntervalSeconds"] is not None else defaults.get("HealthCheckIntervalSeconds")
        timeout = written["HealthCheckTimeoutSeconds"] if written["HealthCheckTimeoutSeconds"] is not None else defaults.get("HealthCheckTimeoutSeconds")
        if interval is None or timeout is None or timeout < interval:
            continue
        src = {k: "" if v is not None else " (AWS default)" for k, v in written.items()}
        key = "HealthCheckTimeoutSeconds" if written["HealthCheckTimeoutSeconds"] is not None else "HealthCheckIntervalSeconds"
        yield ctx.finding(
            f"{describe(tg)}: HealthCheckTimeoutSeconds {timeout}{src['HealthCheckTimeoutSeconds']} is not less than "
            f"HealthCheckIntervalSeconds {interval}{src['HealthCheckIntervalSeconds']}; AWS requires the timeout to be shorter than the interval"
            + _hint(tg, "healthcheck-timeout-seconds, healthcheck-interval-seconds"),
            tg,
            ("Properties", key),
        )


def health_check_ranges(ctx: CheckContext) -> Iterator[Finding]:
    for tg in alb_target_groups(ctx):
        props = tg.properties
        for key, (lo, hi) in HEALTH_CHECK_RANGES.items():
            value = as_int(props.get(key))
            if value is not None and not lo <= value <= hi:
                yield ctx.finding(f"{describe(tg)}: {key} {value} is outside {lo}-{hi}", tg, ("Properties", key))
        port = props.get("HealthCheckPort")
        if port is not None and port != "traffic-port":
            number = as_int(port)
            if (number is None and isinstance(port, str)) or (number is not None and not 1 <= number <= 65535):
                yield ctx.finding(f"{describe(tg)}: HealthCheckPort {port!r} is neither traffic-port nor a port 1-65535", tg, ("Properties", "HealthCheckPort"))
        path = as_str(props.get("HealthCheckPath"))
        if path is not None and (not path.startswith("/") or len(path) > HEALTH_CHECK_PATH_MAX):
            yield ctx.finding(
                f"{describe(tg)}: HealthCheckPath {path[:60]!r} must start with / and have at most {HEALTH_CHECK_PATH_MAX} characters"
                + _hint(tg, "healthcheck-path"),
                tg,
                ("Properties", "HealthCheckPath"),
            )


_CODE_ITEM = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def _codes_problem(text: str, lo: int, hi: int) -> str | None:
    if not text.strip():
        return "is empty"
    for item in text.split(","):
        m = _CODE_ITEM.match(item)
        if m is None:
            return "is not a code list (200,202) or range (200-299)" + (f": {item.strip()!r}" if "," in text else "")
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) is not None else first
        if first > last:
            return f"has a range that runs backwards: {item.strip()!r}"
        if first < lo or last > hi:
            return f"has codes outside {lo}-{hi}: {item.strip()!r}"
    return None


def matcher(ctx: CheckContext) -> Iterator[Finding]:
    for tg in alb_target_groups(ctx):
        m = as_dict(tg.properties.get("Matcher"))
        for key, (lo, hi) in MATCHER_RANGES.items():
            value = m.get(key)
            if isinstance(value, (int, str)) and not isinstance(value, bool):
                problem = _codes_problem(str(value), lo, hi)
                if problem:
                    yield ctx.finding(
                        f"{describe(tg)}: Matcher {key} {str(value)!r} {problem}" + _hint(tg, "success-codes"), tg, ("Properties", "Matcher", key)
                    )


def target_group_attributes(ctx: CheckContext) -> Iterator[Finding]:
    for tg in alb_target_groups(ctx):
        known = ALB_TARGET_GROUP_ATTRIBUTES | (ALB_LAMBDA_ONLY_TARGET_GROUP_ATTRIBUTES if _target_type(tg) == "lambda" else frozenset())
        for i, key in _unknown_keys(tg, "TargetGroupAttributes", known):
            yield ctx.finding(
                f"{describe(tg)}: TargetGroupAttributes key {key!r} is not a target group attribute for an ALB"
                f"{' with Lambda targets' if _target_type(tg) == 'lambda' else ''}{_near(key, known)}" + _hint(tg, "target-group-attributes"),
                tg,
                ("Properties", "TargetGroupAttributes", i, "Key"),
            )


def target_group_protocol(ctx: CheckContext) -> Iterator[Finding]:
    users = ctx.index.target_group_users()
    for tg in ctx.index.of_type(TARGET_GROUP):
        listeners = [li for li in users.get(tg.logical_id, []) if ctx.index.on_alb(li)]
        proto = as_str(tg.properties.get("Protocol"))
        if not listeners or _target_type(tg) == "lambda" or proto is None or proto in ALB_PROTOCOLS:
            continue
        yield ctx.finding(
            f"{describe(tg)} has Protocol {proto} but {', '.join(describe_listener(ctx.index, li) for li in listeners)} of an ALB forwards to it; "
            "an ALB's target groups are HTTP or HTTPS",
            tg,
            ("Properties", "Protocol"),
        )
