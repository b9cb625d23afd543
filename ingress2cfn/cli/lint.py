"""`ingress2cfn lint`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ingress2cfn.cli.batch import collector_paused, default_workers, shared_map
from ingress2cfn.cli.console import Invalid, note, warn
from ingress2cfn.cli.exits import EXIT_INVALID, EXIT_OK, EXIT_WARNINGS
from ingress2cfn.cli.options import CONTEXT, QUOTA_OPTION, aws_clients, aws_options, certificate_source, limits_from, render_inputs, render_request

LINT_FORMATS = ("text", "json", "sarif", "junit", "github")  # ingress2cfn/lint/formats/, one module each


@click.command(context_settings=CONTEXT)
@render_inputs(required=False)
@click.option(
    "--template",
    "template_file",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Lint an already rendered template instead of rendering manifests (places are then lines of FILE).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(LINT_FORMATS),
    default="text",
    show_default=True,
    help="Report format: text (colour unless NO_COLOR or not a terminal), json, sarif (2.1.0), junit, github (workflow-command annotations).",
)
@click.option(
    "--output",
    "output",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write the report to FILE (default: stdout); a one-line summary goes to stderr.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["warning", "error"]),
    default="error",
    show_default=True,
    help="Lowest severity that fails: error → exit 1 on errors; warning → also exit 3 on warnings only.",
)
@QUOTA_OPTION
@click.option(
    "--quotas-from-aws",
    is_flag=True,
    help="Read the account's ELBv2 limits (elbv2 describe-account-limits; AWS credentials, AWS_REGION or the first --regions).",
)
@click.option(
    "--policy",
    "policy_file",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Policy YAML: which namespaces may join which IngressGroup, and which may be internet-facing (README: lint).",
)
@click.option(
    "--regions", "regions", multiple=True, metavar="REGION[,REGION]", help="Regions cfn-lint checks against (default us-east-1). Comma-separated or repeated."
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Where per-template lint results are kept, keyed by template content, options, cfn-lint's and our checks' versions "
    "(default: $XDG_CACHE_HOME/ingress2cfn, else ~/.cache/ingress2cfn). An unchanged template is not linted again.",
)
@click.option("--no-cache", is_flag=True, help="Lint every template, neither reading nor writing the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N", help="Templates linted in parallel (default: one per CPU).")
@aws_options()
@click.pass_context
def lint(
    ctx: click.Context,
    template_file: str | None,
    fmt: str,
    output: str | None,
    fail_on: str,
    quotas: tuple[str, ...],
    quotas_from_aws: bool,
    policy_file: str | None,
    regions: tuple[str, ...],
    cache_dir: str | None,
    no_cache: bool,
    jobs: int | None,
    **inputs: Any,
) -> None:
    """Lint: cfn-lint (Python API) plus ingress2cfn's ALB checks and the policy, on every template
    that `render` would produce (same options), or on one rendered --template FILE. Every finding
    names the manifest file and line, the Ingress and, for a listener rule, its path entry.

    \b
      ingress2cfn lint -f examples/ingress-group --vpc examples/ingress-group/vpc.yaml --cluster my-cluster
      ingress2cfn lint -f k8s/ --vpc vpc.yaml --cluster prod --policy policy.yaml --format sarif --output results.sarif
      ingress2cfn lint --template out/i2c-prod-web-d5288f03.yaml --quota rules-per-alb=200
      ingress2cfn lint --template cfn/i2c-prod-web-d5288f03.yaml --policy policy.yaml -f k8s/ --vpc vpc.yaml --cluster prod

    --policy is judged on what manifests render, never on a template's own Metadata: with
    --template it needs -f too, and the template's group, members and schemes must match.

    \b
    Exit codes: 0 nothing at or above --fail-on; 1 errors found (or bad input); 3 warnings but
    no errors, with --fail-on warning; 64 usage error.
    """
    from ingress2cfn.lint import formats
    from ingress2cfn.lint.api import LintOptions, lint_rendered, lint_template
    from ingress2cfn.lint.cache import LintCache, default_cache_dir
    from ingress2cfn.model.quotas import BY_NAME, DEFAULT_LIMITS

    filenames = inputs["filenames"]
    if template_file is not None and filenames and policy_file is None:
        raise click.UsageError("give either -f manifests (rendered in memory) or --template FILE, not both (both only with --policy)")
    if template_file is not None and policy_file is not None and not filenames:
        raise Invalid(
            f"refusing to judge --policy on {template_file} alone: its group and members (Metadata.ingress2cfn) and its schemes are "
            "whatever the last edit of the file says, so a pull request could change them; give the manifests too "
            "(-f ... --vpc ... --cluster ...), and the policy is judged on what they render"
        )
    if template_file is None and not filenames:
        raise click.UsageError("nothing to lint: give -f manifests (with --vpc and --cluster, as for render) or --template FILE")
    if filenames and (not inputs["vpc_file"] or not inputs["cluster"]):
        raise click.UsageError("linting manifests renders them first: --vpc and --cluster are required with -f (as for render)")
    region_list = tuple(r.strip() for value in regions for r in value.split(",") if r.strip()) or ("us-east-1",)

    origin = {q: "default" for q in BY_NAME}
    base = DEFAULT_LIMITS
    if quotas_from_aws:
        from ingress2cfn.aws import elbv2
        from ingress2cfn.model.quotas import from_account_limits

        live = from_account_limits(elbv2.account_limits(aws_clients(inputs, default_region=region_list[0])))
        base = base.with_values(live)
        origin.update({name: "aws" for name in live})
    limits, overrides = limits_from(quotas, base)
    origin.update({name: "--quota" for name in overrides})

    policy = None
    if policy_file is not None:
        from ingress2cfn.lint.policy import load_policy

        policy = load_policy(policy_file)
    cache = None if no_cache else LintCache(Path(cache_dir) if cache_dir else default_cache_dir())
    options = LintOptions(regions=region_list, limits=limits, policy=policy, jobs=jobs or default_workers(), cache=cache)

    text = None
    if template_file is not None:
        try:
            text = Path(template_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise Invalid(f"{template_file}: cannot read template: {exc}") from None
    if template_file is not None and not filenames:
        assert text is not None
        outcome = lint_template(text, template_file, options)
    else:
        from ingress2cfn.input.kube import parse_manifests
        from ingress2cfn.lint.api import lint_template_against_manifests
        from ingress2cfn.render.pipeline import load_documents, render_files

        request = render_request(inputs, limits=limits, enforce_alb_quotas=False)
        with collector_paused():
            docs = load_documents(request)  # read once (stdin strictly as UTF-8): rendered, then located
            result = render_files(request, certificates=certificate_source(inputs), documents=docs, mapper=shared_map)
            for line in result.notes:
                note(line)
            for diagnostic in result.warnings:
                warn(str(diagnostic))
            manifests = parse_manifests(docs, request.settings.default_namespace)
        ingresses = {ing.key: ing for ing in manifests.ingresses}
        # with the collector on: cfn-lint makes cyclic garbage (measured: off → 3x the peak memory)
        if template_file is not None:
            assert text is not None
            outcome = lint_template_against_manifests(text, template_file, result, ingresses, options)
        else:
            outcome = lint_rendered(result, ingresses, options)

    from importlib.metadata import version

    report = outcome.report(tool_version=version("ingress2cfn"), limits=tuple((n, v, origin[n]) for n, v in limits.values))
    colour = fmt == "text" and output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    rendered = formats.render(fmt, report, colour=colour)
    if output is not None:
        from ingress2cfn.cli.files import write_file

        write_file(Path(output), rendered)
    else:
        click.echo(rendered, nl=False)
    if cache is not None and cache.hits:
        note(f"ingress2cfn lint: {cache.hits} of {cache.hits + cache.misses} templates unchanged since a previous lint (results from {cache.root.parent})")
    if output is not None or fmt != "text":
        note(f"ingress2cfn lint: {formats.summary_line(report)}" + (f" → {output}" if output else ""))
    ctx.exit(lint_exit_code(outcome.findings, fail_on))


def lint_exit_code(findings: Iterable[Any], fail_on: str) -> int:
    """0 nothing at or above --fail-on; 1 errors; 3 warnings only and --fail-on warning."""
    from ingress2cfn.lint.findings import Severity

    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return EXIT_INVALID
    if fail_on == "warning" and Severity.WARNING in severities:
        return EXIT_WARNINGS
    return EXIT_OK
