"""The report for a terminal (`status --format text`)."""

from __future__ import annotations

from ingress2cfn.status.report import Event, GroupStatus, Report, TargetGroup

MAIN_STATES = ("healthy", "unhealthy", "initial", "draining")


def _event(e: Event) -> str:
    reason = f" {e.reason}" if e.reason else ""
    return f"{e.timestamp} {e.logical_id} ({e.resource_type}) {e.status}{reason}"


def _target_group(tg: TargetGroup) -> list[str]:
    service = f" → {tg.service}" if tg.service else ""
    where = f" {tg.target_type} {tg.protocol}:{tg.port}" if tg.protocol else ""
    idle = "" if tg.serving else " (no listener forwards to it)"
    counts = ", ".join(f"{tg.count(s)} {s}" for s in MAIN_STATES)
    others = "".join(f", {n} {s}" for s, n in tg.counts if s not in MAIN_STATES and n)
    lines = [f"  target group {tg.name}{service}{where}{idle}", f"    targets: {counts}{others}"]
    for t in tg.unhealthy:
        at = f"{t.id}:{t.port}" if t.port is not None else t.id
        lines.append(f"    {t.state} {at}: {t.reason or '-'}{': ' + t.description if t.description else ''}")
    return lines


def _group(g: GroupStatus) -> list[str]:
    s = g.stack
    if s.status is None:
        return [f"stack {s.name}: does not exist"]
    lines = [f"stack {s.name}: {s.status}" + (f" ({s.reason})" if s.reason else "")]
    if g.group:
        lines.append(f"  IngressGroup {g.group} (Ingresses: {', '.join(g.members) or '-'})")
    if s.last_event:
        lines.append(f"  last event: {_event(s.last_event)}")
    if s.failure:
        lines.append(f"  failed: {_event(s.failure)}")
    for lb in g.load_balancers:
        kind = {"application": "ALB", "network": "NLB"}.get(lb.type, lb.type)
        lines.append(f"  {kind} {lb.name} ({lb.scheme}, {lb.state}): {lb.dns_name}")
        lines.append("    listeners: " + (", ".join(f"{lst.protocol}:{lst.port}" for lst in lb.listeners) or "none"))
    for tg in g.target_groups:
        lines.extend(_target_group(tg))
    return lines


def render_text(report: Report) -> str:
    lines: list[str] = []
    for g in report.groups:
        lines.extend(_group(g))
    if report.problems:
        lines.append(f"{len(report.problems)} problem(s):")
        lines.extend(f"  {p}" for p in report.problems)
    else:
        lines.append("ok: every stack is deployed and every serving target group has a healthy target")
    return "\n".join(lines) + "\n"
