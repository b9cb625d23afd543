"""The one cfn-lint rule class that runs one of our checks, and the generator of one subclass per
check in `ingress2cfn.lint.checks.registry.CHECKS`. No check logic here: a rule builds the same
CheckContext from cfn-lint's parsed template and turns each Finding into a RuleMatch.

This module's name starts with "_" so that `cfn-lint --append-rules DIR` (which imports every
`[A-Za-z1-9]*.py` file of DIR) does not load it on its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from ingress2cfn.lint.checks import BY_ID, CHECKS, CheckContext, run_check
from ingress2cfn.lint.checks.registry import Check
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits

SOURCE_URL = "https://github.com/ingress2cfn/ingress2cfn#cfn-lint-custom-rules"


class Ingress2cfnRule(CloudFormationLintRule):
    """Base class: `check_id` names the check; id "" keeps cfn-lint from registering this class."""

    id = ""
    check_id = ""
    tags = ["ingress2cfn", "alb", "elbv2"]  # noqa: RUF012 (cfn-lint declares it so)
    source_url = SOURCE_URL

    def __init__(self) -> None:
        super().__init__()
        check = BY_ID.get(self.check_id)
        if check is not None and check.quota is not None:
            # cfn-lint --configure-rule <id>:limit=N raises the quota for this rule
            self.config_definition = {"limit": {"default": DEFAULT_LIMITS[check.quota], "type": "integer"}}
            self.configure()

    def _limits(self, check: Check) -> Limits:
        if check.quota is None:
            return DEFAULT_LIMITS
        return DEFAULT_LIMITS.with_values({check.quota: int(self.config.get("limit", DEFAULT_LIMITS[check.quota]))})

    def match(self, cfn: Any) -> list[RuleMatch]:
        check = BY_ID[self.check_id]
        text = None
        filename = getattr(cfn, "filename", None)
        if check.quota in ("template-body-bytes", "template-url-bytes") and filename and Path(filename).is_file():
            text = Path(filename).read_text(encoding="utf-8", errors="replace")
        ctx = replace(
            CheckContext.of(cfn.template, stack=filename or "", limits=self._limits(check), template_text=text), quota_flag="-x {cfn_lint_id}:limit=N"
        )
        matches = []
        for finding in run_check(check, ctx):
            path: list[str | int] = ["Resources", finding.logical_id, *finding.property_path] if finding.logical_id else list(finding.property_path)
            matches.append(RuleMatch(path, finding.message))
        return matches


def _class_name(check: Check) -> str:
    return "I2c" + "".join(part.capitalize() for part in check.name.split("-"))


def rule_classes(module: str) -> dict[str, type]:
    """One Ingress2cfnRule subclass per check, keyed by class name, `__module__` set to `module`."""
    out: dict[str, type] = {}
    for check in CHECKS:
        name = _class_name(check)
        out[name] = type(
            name,
            (Ingress2cfnRule,),
            {
                "__module__": module,
                "__doc__": f"{check.id}: {check.title}",
                "id": check.cfn_lint_id,
                "check_id": check.id,
                "shortdesc": f"{check.title} ({check.id})",
                "description": check.description,
                "tags": ["ingress2cfn", "alb", "elbv2", check.name],
            },
        )
    return out
