"""One template's lint as a self-contained job (api.run_job runs it): what `lint` runs per template,
in this process or in a worker process (runner.py), and what the cache stores (cache.py).

A job's result depends only on the job (the template text and the options that reach the checks),
cfn-lint's version and our checks' code, so it can run anywhere and be reused when none of those
changed. The result carries everything the template itself decides: cfn-lint's and our findings,
each already blamed on its Ingresses (from the template's Metadata), or with `template_file`,
located at lines of that file. Pointing findings at manifest lines needs the manifests and stays
with the caller."""

from __future__ import annotations

from dataclasses import dataclass

from ingress2cfn.lint.findings import Finding
from ingress2cfn.lint.formats import RuleInfo
from ingress2cfn.lint.names import NameClaim
from ingress2cfn.lint.policy import Policy
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class LintJob:
    text: str
    stack: str
    regions: tuple[str, ...]
    limits: Limits = DEFAULT_LIMITS
    policy: Policy | None = None
    template_file: str | None = None  # lint --template: findings located at lines of this file
    tls_hosts: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # this template's Ingresses with spec.tls
    annotations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None = None  # for the policy's findings


@dataclass(frozen=True)
class JobResult:
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...]  # cfn-lint rules that fired
    decoded: bool = True  # False: the text is no template (E0000 findings only)
    claims: tuple[NameClaim, ...] = ()  # its account-wide names, for I2C0002 across the cluster's stacks
