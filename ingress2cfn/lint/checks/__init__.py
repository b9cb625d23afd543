"""Our checks on a parsed CloudFormation template: what cfn-lint 1.58 lets through on ALB
templates, the ALB / CloudFormation quotas, shadowed rules and exposure.

    run_checks(template, stack=..., limits=..., template_text=..., tls_hosts=...) -> [Finding]

Each check is a pure function `(CheckContext) -> Iterable[Finding]` in a module per family
(quotas, listeners, target_groups, rules, template_size, exposure); `registry.CHECKS` lists them
with id, severity, title, description and the quota each reads. They work on any ALB template:
resources are found by Type, `Ref`/`GetAtt` resolve to logical ids, and ingress2cfn's Metadata,
when present, names the Ingresses (`Finding.ingresses`, `Finding.rule_fields`).

Where a finding points: with `logical_id`, `property_path` is inside that resource and starts with
"Properties" (cfn-lint path: ["Resources", logical_id, *property_path]); without, it is from the
template root (e.g. ("Resources",) or () for the whole template)."""

from __future__ import annotations

from ingress2cfn.lint.checks.context import CheckContext
from ingress2cfn.lint.checks.registry import BY_ID, CHECKS, Check
from ingress2cfn.lint.findings import Finding
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits

__all__ = ["BY_ID", "CHECKS", "Check", "CheckContext", "run_check", "run_checks", "sort_key"]


def sort_key(f: Finding) -> tuple:
    return (-f.severity.rank, f.rule_id, f.logical_id or "", tuple(str(p) for p in f.property_path), f.message)


def run_check(check: Check, ctx: CheckContext) -> list[Finding]:
    return list(check.func(ctx.bound(check)))


def run_checks(
    template: dict,
    *,
    stack: str,
    limits: Limits = DEFAULT_LIMITS,
    template_text: str | None = None,
    tls_hosts: dict[str, tuple[str, ...]] | None = None,
    only: tuple[str, ...] | None = None,
) -> list[Finding]:
    """Every check (or those whose ids are in `only`) on one template, sorted: severity (errors
    first), rule id, logical id, property path, message."""
    ctx = CheckContext.of(template, stack=stack, limits=limits, template_text=template_text, tls_hosts=tls_hosts)
    findings: list[Finding] = []
    for check in CHECKS:
        if only is None or check.id in only:
            findings.extend(run_check(check, ctx))
    return sorted(findings, key=sort_key)
