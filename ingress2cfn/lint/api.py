"""`ingress2cfn lint`: cfn-lint (through its Python API), our ALB checks and the policy on every
rendered template, each finding pointed back at the manifests.

As in cfn-lint, checks name a place in the template (logical id + property path), not a line; the
line is found afterwards. Every resource we render carries `Metadata.ingress2cfn` (`ingress`,
`rule` field path, `sources`), so a finding on `Resources/<id>/...` maps to the Ingress's
document and, for a listener rule, to the very path entry (`spec.rules[0].http.paths[1]`) that
made it. A finding may also name Ingresses and their fields itself (a shadowed rule names both);
then those are used. With `lint --template FILE` there are no manifests, and the places are lines
of the template file.

Template paths: a finding with `logical_id` points at `Resources/<logical_id>/<property_path...>`,
one without at `<property_path...>` from the template root (`Metadata/ingress2cfn/members/2`).

cfn-lint is imported only inside these functions: the render path never loads it."""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint import names, render_warnings
from ingress2cfn.lint.cache import LintCache, cfn_lint_version
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats import Report, RuleInfo
from ingress2cfn.lint.jobs import JobResult, LintJob
from ingress2cfn.lint.policy import RULES as POLICY_RULES
from ingress2cfn.lint.policy import Policy, check_policy, verify_template
from ingress2cfn.lint.runner import run_jobs
from ingress2cfn.model import metadata
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits

DEFAULT_REGIONS = ("us-east-1",)
_CFN_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "informational": Severity.INFO}
_FIELD_TOKEN = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


@dataclass(frozen=True)
class LintOptions:
    regions: tuple[str, ...] = DEFAULT_REGIONS
    limits: Limits = DEFAULT_LIMITS
    policy: Policy | None = None
    jobs: int = 1  # worker processes for the templates (the CLI: one per core)
    cache: LintCache | None = field(default=None, compare=False)  # per-template results (cache.py)


@dataclass(frozen=True)
class LintOutcome:
    findings: tuple[Finding, ...]
    stacks: tuple[str, ...]
    rules: tuple[RuleInfo, ...]

    def report(self, *, tool_version: str, limits: tuple[tuple[str, int, str], ...] = (), base_dir: Path | None = None) -> Report:
        kw: dict[str, Any] = {}
        if base_dir is not None:
            kw["base_dir"] = base_dir
        return Report(self.findings, self.rules, self.stacks, tool_version, cfn_lint_version(), limits, **kw)


def parse_field_path(text: str) -> tuple[str | int, ...]:
    """`spec.rules[0].http.paths[1]` / `metadata.annotations["a/b.c"]` → path tuple (the inverse of
    SourceLocation.field_path)."""
    out: list[str | int] = []
    pos = 0
    while pos < len(text):
        m = _FIELD_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValueError(f"not a field path: {text!r}")
        name, index, quoted = m.groups()
        if index is not None:
            out.append(int(index))
        elif quoted is not None:
            out.append(quoted.replace('\\"', '"'))
        else:
            out.append(name)
        pos = m.end()
    return tuple(out)


# ── cfn-lint ──────────────────────────────────────────────────────────────────────────────────


@functools.cache
def cfn_lint_rules() -> Any:
    """cfn-lint's default rule collection, loaded once per process: `lint()` without `rules=`
    loads all ~300 rule modules again on every call (about as long as linting a 10-rule
    template), which would be paid once per group stack."""
    from cfnlint.core import get_rules

    return get_rules([], [], [])


def decode(text: str) -> tuple[Any, list[Any]]:
    """cfn-lint's position-keeping decoder (YAML with short-form tags, or JSON) → (template or
    None, cfn-lint matches for a template that cannot be read: E0000). The template is decoded once
    and shared by cfn-lint, our checks and the locator."""
    from cfnlint.decode import decode_str

    template, errors = decode_str(text)
    return template, list(errors or [])


def run_cfn_lint(
    template: Any, *, stack: str, regions: Iterable[str] = DEFAULT_REGIONS, template_file: str | None = None
) -> tuple[list[Finding], dict[str, RuleInfo]]:
    """cfn-lint on one decoded template → (findings, the rules that fired). Exactly what
    `cfnlint.api.lint(text, rules=..., config=ManualArgs(regions=...))` does after decoding the text
    (`run_template_by_data`), without decoding it a second time. With `template_file`, findings
    carry cfn-lint's line in that file as their location."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import run_template_by_data

    matches = run_template_by_data(template, ConfigMixIn(regions=list(regions)), cfn_lint_rules())
    return cfn_lint_findings(matches, stack=stack, template_file=template_file)


def cfn_lint_findings(matches: Iterable[Any], *, stack: str, template_file: str | None = None) -> tuple[list[Finding], dict[str, RuleInfo]]:
    """cfn-lint Match objects → our Findings (path Resources/<id>/... → logical id + property path)
    and the RuleInfo of every rule that fired."""
    findings: list[Finding] = []
    rules: dict[str, RuleInfo] = {}
    for m in matches:
        rule = m.rule
        severity = _CFN_SEVERITY.get(str(getattr(rule, "severity", "error")).lower(), Severity.ERROR)
        rules.setdefault(
            rule.id,
            RuleInfo(
                rule.id,
                rule.shortdesc or rule.id,
                rule.shortdesc or rule.id,
                severity,
                "cfn-lint",
                getattr(rule, "source_url", None) or None,
                rule.description or "",
            ),
        )
        path = [str(p) if isinstance(p, str) else p for p in (getattr(m, "path", None) or [])]
        logical_id = None
        prop: tuple = tuple(path)
        if len(path) >= 2 and path[0] == "Resources":
            logical_id, prop = str(path[1]), tuple(path[2:])
        locations: tuple[SourceLocation, ...] = ()
        if template_file is not None and m.linenumber:
            locations = (SourceLocation(template_file, 1, tuple(path), m.linenumber, m.columnnumber or None),)
        findings.append(Finding(rule.id, severity, m.message, stack=stack, logical_id=logical_id, property_path=prop, locations=locations, source="cfn-lint"))
    return findings, rules


# ── our checks ────────────────────────────────────────────────────────────────────────────────


def run_our_checks(template: dict, *, stack: str, limits: Limits, template_text: str | None, tls_hosts: dict[str, tuple[str, ...]] | None) -> list[Finding]:
    from ingress2cfn.lint.checks import run_checks

    return list(run_checks(template, stack=stack, limits=limits, template_text=template_text, tls_hosts=tls_hosts))


def our_rules(policy: Policy | None, rendered: bool = False) -> list[RuleInfo]:
    """Our check registry (every check runs on every group template), with rendered manifests the
    render-warning rule, and with a policy the policy rules."""
    from ingress2cfn.lint.checks.registry import CHECKS

    out = [RuleInfo(c.id, c.name, c.title, c.severity, "ingress2cfn", None, c.description) for c in CHECKS]
    if rendered:
        out += [render_warnings.RULE, names.RULE]
    if policy is not None:
        for rule_id, (name, description) in POLICY_RULES.items():
            out.append(RuleInfo(rule_id, name, description, Severity.ERROR))
    return out


# ── locations ─────────────────────────────────────────────────────────────────────────────────


def _template_path(f: Finding) -> tuple:
    return (("Resources", f.logical_id) if f.logical_id else ()) + tuple(f.property_path)


def blame(template: dict, f: Finding) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Ingress keys, their field paths) a finding is about: its own, else its resource's
    Metadata (`ingress` + `rule`, else `sources`), else for a template-level finding the group's
    first member."""
    if f.ingresses:
        return tuple(f.ingresses), tuple(f.rule_fields)
    meta = metadata.read_template_resource(template, f.logical_id)
    if meta.ingress is not None:
        return (meta.ingress,), ((meta.rule,) if meta.rule is not None else ())
    if meta.sources:
        return meta.sources, ()
    if not f.logical_id:
        members = metadata.read_template(template).members
        if members:
            return (members[0],), ()
    return (), ()


def locate_in_manifests(findings: Iterable[Finding], template: dict, ingresses: dict[str, Any]) -> list[Finding]:
    """Fill `ingresses` and `locations` from the manifests (`ingresses`: key → kube.Ingress)."""
    out = []
    for f in findings:
        keys, fields = blame(template, f)
        locations = []
        for i, key in enumerate(keys):
            ing = ingresses.get(key)
            if ing is None:
                continue
            path: tuple = ()
            if i < len(fields) and fields[i]:
                try:
                    path = parse_field_path(fields[i])
                except ValueError:
                    path = ()
            locations.append(ing.origin.at(*path))
        out.append(replace(f, ingresses=keys, rule_fields=fields, locations=tuple(locations) or f.locations))
    return out


def template_positions(root: Any) -> Callable[[tuple], tuple[int, int] | None]:
    """A lookup of template path → (line, column), 1-based, nearest known ancestor, over a
    template decoded by cfn-lint's position-keeping decoder (`cfnlint.decode.decode_str`: YAML
    with short-form tags, or JSON)."""

    def lookup(path: tuple) -> tuple[int, int] | None:
        node: Any = root
        mark = getattr(root, "start_mark", None)
        for part in path:
            if isinstance(node, dict):
                found = None
                for key in node:
                    if key == part:
                        found = key
                        break
                if found is None:
                    break
                mark = getattr(found, "start_mark", mark)
                node = node[found]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                mark = getattr(node, "start_mark", mark)
            else:
                break
        if mark is None:
            return None
        return mark.line + 1, mark.column + 1

    return lookup


def locate_in_template(findings: Iterable[Finding], template: dict, filename: str, lookup: Callable[[tuple], tuple[int, int] | None]) -> list[Finding]:
    """Without manifests: fill `ingresses` from Metadata and point at the template file."""
    out = []
    for f in findings:
        keys, fields = blame(template, f)
        if f.locations:
            out.append(replace(f, ingresses=keys, rule_fields=fields))
            continue
        path = _template_path(f)
        found = lookup(path)
        if found is None and f.logical_id and f.property_path and f.property_path[0] != "Properties":
            found = lookup(("Resources", f.logical_id, "Properties") + tuple(f.property_path))
        loc = SourceLocation(filename, 1, tuple(path), found[0] if found else None, found[1] if found else None)
        out.append(replace(f, ingresses=keys, rule_fields=fields, locations=(loc,)))
    return out


# ── the two entry points ──────────────────────────────────────────────────────────────────────


@dataclass
class _Collector:
    findings: list[Finding] = field(default_factory=list)
    stacks: list[str] = field(default_factory=list)
    cfn_rules: dict[str, RuleInfo] = field(default_factory=dict)

    def outcome(self, policy: Policy | None, rendered: bool = False) -> LintOutcome:
        rules = {r.id: r for r in our_rules(policy, rendered)}
        for rule_id, info in self.cfn_rules.items():
            rules.setdefault(rule_id, info)
        order = {s: i for i, s in enumerate(self.stacks)}

        def key(f: Finding):
            loc = f.locations[0] if f.locations else None
            return (order.get(f.stack, len(order)), loc.file if loc else "", loc.line or 0 if loc else 0, f.rule_id, f.message)

        return LintOutcome(tuple(sorted(_dedupe(self.findings), key=key)), tuple(self.stacks), tuple(sorted(rules.values(), key=lambda r: r.id)))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        k = (f.rule_id, f.severity, f.message, f.stack, f.logical_id, f.property_path, f.ingresses, f.locations)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def is_group_template(template: dict) -> bool:
    return "group" in metadata.block(template)


def _metadata_problem(body: Any, base: tuple) -> tuple[tuple, Any] | None:
    """The first part of `Metadata.cfn-lint.config.ignore_checks` of `body` that is present but of
    the wrong type: (path, value), or None."""
    node = body
    path = base
    for key in ("Metadata", "cfn-lint", "config"):
        if not isinstance(node, dict) or key not in node:
            return None
        node, path = node[key], path + (key,)
        if not isinstance(node, dict):
            return path, node
    checks = node.get("ignore_checks") if isinstance(node, dict) else None
    if checks is not None and (not isinstance(checks, list) or not all(isinstance(c, str) for c in checks)):
        return path + ("ignore_checks",), checks
    return None


def _check_readable_metadata(template: dict, stack: str) -> None:
    """cfn-lint 1.58 reads `Metadata.cfn-lint.config` of the template and of every resource
    unguarded, and crashes (AttributeError, TypeError) when a level is not a mapping or
    `ignore_checks` is not a list of strings: refuse such a template with a located error."""
    resources = template.get("Resources")
    bodies = [((), template)] + [(("Resources", k), v) for k, v in resources.items()] if isinstance(resources, dict) else [((), template)]
    for base, body in bodies:
        problem = _metadata_problem(body, base)
        if problem is None:
            continue
        path, value = problem
        found = template_positions(template)(path)
        loc = SourceLocation(str(stack), 1, tuple(str(p) for p in path), found[0] if found else None, found[1] if found else None)
        want = "a list of rule ids" if path[-1] == "ignore_checks" else "a mapping"
        got = "a list" if isinstance(value, list) else f"{type(value).__name__.removesuffix('_node')} {value!r}"
        raise InputError(f"must be {want}, got {got}", loc, "template")


def run_job(job: LintJob) -> JobResult:
    """One template: decode once; our checks and the policy (group templates only), then
    cfn-lint; every finding blamed on its Ingresses from the template's Metadata, or with
    `template_file` located at lines of that file. Runs in a worker process or in this one."""
    template, errors = decode(job.text)
    if errors or not isinstance(template, dict):
        findings, rules = cfn_lint_findings(errors, stack=job.stack, template_file=job.template_file)
        return JobResult(tuple(findings), tuple(rules.values()), decoded=False)
    _check_readable_metadata(template, job.stack)
    found: list[Finding] = []
    if is_group_template(template):
        tls = dict(job.tls_hosts) if job.tls_hosts is not None else None
        found += run_our_checks(template, stack=job.stack, limits=job.limits, template_text=job.text, tls_hosts=tls)
        if job.policy is not None:
            annotations = {key: dict(pairs) for key, pairs in job.annotations} if job.annotations is not None else None
            found += check_policy(template, job.policy, stack=job.stack, annotations=annotations)
    cfn, rules = run_cfn_lint(template, stack=job.stack, regions=job.regions, template_file=job.template_file)
    if job.template_file is not None:
        located = locate_in_template(cfn + found, template, job.template_file, template_positions(template))
    else:
        located = [replace(f, ingresses=keys, rule_fields=fields) for f in cfn + found for keys, fields in (blame(template, f),)]
    claims = names.claims(template) if job.template_file is None else ()  # I2C0002 looks across rendered stacks only
    return JobResult(tuple(_plain(f) for f in located), tuple(rules.values()), claims=claims)


def _plain(f: Finding) -> Finding:
    """Plain str for cfn-lint's position-carrying str nodes: a result crosses processes and goes
    to the cache as JSON."""

    def part(p: Any) -> Any:
        return str(p) if isinstance(p, str) else p

    return replace(
        f,
        message=str(f.message),
        logical_id=None if f.logical_id is None else str(f.logical_id),
        property_path=tuple(part(p) for p in f.property_path),
        ingresses=tuple(str(i) for i in f.ingresses),
        rule_fields=tuple(str(r) for r in f.rule_fields),
        locations=tuple(replace(loc, file=str(loc.file), path=tuple(part(p) for p in loc.path)) for loc in f.locations),
    )


def init_worker() -> None:
    """A worker process: cfn-lint's rules loaded once, before its first template (inherited from
    the parent when forked), then frozen out of the collector's scans (they live as long as the process). The collector stays on: cfn-lint's
    validation makes cyclic garbage."""
    cfn_lint_rules()
    gc.freeze()


def _run(jobs: list[LintJob], options: LintOptions) -> list[JobResult]:
    return run_jobs(jobs, run_job, init=init_worker, preload=cfn_lint_rules, workers=options.jobs, cache=options.cache)


def _of_members(members: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    """What concerns a template's own Ingresses (all when it names none): a change elsewhere
    then leaves its cache entry valid."""
    return {k: v for k, v in values.items() if k in members} if members else values


def lint_rendered(result: Any, ingresses: dict[str, Any], options: LintOptions = LintOptions()) -> LintOutcome:
    """Lint a pipeline.RenderResult: every group template (cfn-lint + checks + policy), the
    cluster stack (cfn-lint), and the render warnings (I2C0001). `ingresses`: Ingress key →
    kube.Ingress, for the locations."""
    # only Ingresses that have spec.tls (a key means "has spec.tls", its hosts may be empty)
    tls_hosts = {key: ing.tls_hosts() for key, ing in ingresses.items() if ing.tls}
    annotations = {key: tuple(sorted(ing.annotations.items())) for key, ing in ingresses.items()} if options.policy is not None else {}
    texts = [(g.stack_name, g.template) for g in result.groups] + [(result.cluster_stack_name, result.cluster_template)]
    jobs = []
    for stack, text in texts:
        members = metadata.read_template_text(text).members
        jobs.append(
            LintJob(
                text,
                stack,
                tuple(options.regions),
                options.limits,
                options.policy,
                tls_hosts=tuple(sorted(_of_members(members, tls_hosts).items())),
                annotations=tuple(sorted(_of_members(members, annotations).items())) if options.policy is not None else None,
            )
        )
    c = _Collector()
    results = _run(jobs, options)
    for (stack, _), done in zip(texts, results):
        c.stacks.append(stack)
        c.cfn_rules.update((r.id, r) for r in done.rules)
        # blamed in the job; the manifests turn the blamed Ingresses into files and lines
        c.findings += locate_in_manifests(done.findings, {}, ingresses) if done.decoded else list(done.findings)
    # names unique across the cluster's stacks (I2C0002): all templates at once, so not in a job;
    # each job (or its cache entry) brought its template's names
    plain_annotations = {key: dict(ing.annotations) for key, ing in ingresses.items()}
    c.findings += locate_in_manifests(names.duplicates(zip(c.stacks, (done.claims for done in results)), plain_annotations), {}, ingresses)
    c.findings += render_warnings.findings(result.warnings)
    return c.outcome(options.policy, rendered=True)


def lint_template(text: str, filename: str, options: LintOptions = LintOptions()) -> LintOutcome:
    """Lint one rendered template file on its own; places are lines of that file."""
    c = _Collector()
    c.stacks.append(filename)
    (done,) = _run([LintJob(text, filename, tuple(options.regions), options.limits, options.policy, template_file=filename)], options)
    c.cfn_rules.update((r.id, r) for r in done.rules)
    c.findings += done.findings
    return c.outcome(options.policy)


def lint_template_against_manifests(text: str, filename: str, result: Any, ingresses: dict[str, Any], options: LintOptions) -> LintOutcome:
    """`lint --template FILE --policy P -f manifests`: FILE gets cfn-lint and our checks; the
    policy is judged on what the manifests render (never on FILE's own Metadata, which the pull
    request can edit), and FILE's group, members and schemes must match that render (I2C9003)."""
    c = _Collector()
    c.stacks.append(filename)
    (done,) = _run([LintJob(text, filename, tuple(options.regions), options.limits, None, template_file=filename)], options)
    c.cfn_rules.update((r.id, r) for r in done.rules)
    c.findings += done.findings
    annotations = {key: dict(ing.annotations) for key, ing in ingresses.items()}
    rendered: dict[str, dict] = {}
    for group in result.groups:
        parsed, errors = decode(group.template)
        if errors or not isinstance(parsed, dict):
            continue
        rendered[group.stack_name] = parsed
        if options.policy is not None:
            c.stacks.append(group.stack_name)
            c.findings += locate_in_manifests(check_policy(parsed, options.policy, stack=group.stack_name, annotations=annotations), parsed, ingresses)
    template, errors = decode(text)
    if not errors and isinstance(template, dict):
        c.findings += locate_in_template(verify_template(template, filename, rendered), template, filename, template_positions(template))
    return c.outcome(options.policy)
