"""Quota gauges per ALB: rules, target groups, certificates and listeners of the new template
against the effective limits, with the deployed template's count beside them. Counted by the
same functions as lint's quota checks (lint.checks.quotas)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sized

from ingress2cfn.deploy.review.model import Gauge, QuotaGauge
from ingress2cfn.lint.checks.context import LB, TemplateIndex, as_str
from ingress2cfn.lint.checks.quotas import certificates_by_alb, listeners_by_alb, rules_by_alb, target_groups_by_alb
from ingress2cfn.model.quotas import Limits

COUNTERS: tuple[tuple[str, Callable[[TemplateIndex], Mapping[str, Sized]]], ...] = (
    ("rules-per-alb", rules_by_alb),
    ("target-groups-per-alb", target_groups_by_alb),
    ("certificates-per-alb", certificates_by_alb),
    ("listeners-per-alb", listeners_by_alb),
)


def gauges(old: dict | None, new: dict | None, limits: Limits) -> tuple[Gauge, ...]:
    if new is None:
        return ()
    after, before = TemplateIndex(new), TemplateIndex(old or {})
    counts_after = [(quota, count(after)) for quota, count in COUNTERS]
    counts_before = [count(before) for _, count in COUNTERS]
    out = []
    for lb in after.albs():
        existed = before.get(lb.logical_id, LB) is not None
        quotas = tuple(
            QuotaGauge(quota, len(now.get(lb.logical_id, ())), len(then.get(lb.logical_id, ())) if existed else None, limits[quota])
            for (quota, now), then in zip(counts_after, counts_before)
        )
        out.append(Gauge(lb.logical_id, as_str(lb.properties.get("Name")), quotas))
    return tuple(out)
