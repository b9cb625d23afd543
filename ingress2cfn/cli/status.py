"""`ingress2cfn status`."""

from __future__ import annotations

import sys
from typing import Any

import click

from ingress2cfn.cli.console import note, warn
from ingress2cfn.cli.exits import EXIT_INVALID, EXIT_OK
from ingress2cfn.cli.options import CONTEXT, aws_clients, aws_options, limits_from, render_inputs, render_request


@click.command(context_settings=CONTEXT)
@render_inputs(required=False)
@click.option(
    "--stack",
    "stacks",
    multiple=True,
    metavar="NAME",
    help="A stack to report on, instead of the stacks that rendering -f/--vpc/--cluster names. Repeatable.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json: see ingress2cfn/status/status.schema.json."
)
@aws_options()
@click.pass_context
def status(ctx: click.Context, stacks: tuple[str, ...], fmt: str, **inputs: Any) -> None:
    """Show what is deployed and whether it works: per stack its status and last event, the ALB's
    DNS name, scheme and listeners, and per target group how many targets are healthy, unhealthy,
    initial or draining, with the reasons of the unhealthy ones.

    \b
    The stacks are those `render` would write for the same inputs (rendered in memory), or --stack:
      ingress2cfn status -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster
      ingress2cfn status --stack i2c-my-cluster-game-2048-ingress-2048-c6734a95 --format json

    \b
    Exit codes: 0 all well; 1 a stack is missing, not created yet, failed or rolled back (the
    failing resource's reason is shown), a target group that receives traffic has no healthy
    target, or AWS could not be read; 64 usage error.
    """
    from ingress2cfn.status.collect import collect_all
    from ingress2cfn.status.json_report import render_json
    from ingress2cfn.status.judge import judge
    from ingress2cfn.status.text import render_text

    if stacks and inputs["filenames"]:
        raise click.UsageError("give either -f manifests (the stacks they render to) or --stack NAME, not both")
    names = list(dict.fromkeys(stacks)) if stacks else stack_names(inputs)
    report = judge(collect_all(aws_clients(inputs), names))
    click.echo(render_json(report) if fmt == "json" else render_text(report), nl=False)
    ctx.exit(EXIT_OK if report.ok else EXIT_INVALID)


def stack_names(inputs: dict[str, Any]) -> list[str]:
    """Render in memory and read each template's Metadata.ingress2cfn.stackName: the group stacks,
    then the cluster stack."""
    import yaml

    from ingress2cfn.model.metadata import read_template
    from ingress2cfn.render.pipeline import render_files

    filenames = inputs["filenames"]
    if not filenames:
        raise click.UsageError("which stacks? give -f manifests with --vpc and --cluster (as for render), or --stack NAME")
    if not inputs["vpc_file"] or not inputs["cluster"]:
        raise click.UsageError("status renders the manifests to learn the stack names: --vpc and --cluster are required with -f (as for render)")
    limits, _ = limits_from(())
    stdin_text = sys.stdin.read() if "-" in filenames else None
    result = render_files(render_request(inputs, limits=limits, enforce_alb_quotas=False), stdin_text)
    for line in result.notes:
        note(line)
    for message in result.warnings:
        warn(message)
    names = []
    for text in [g.template for g in result.groups] + [result.cluster_template]:
        name = read_template(yaml.safe_load(text)).stack_name
        if name:
            names.append(name)
    return list(dict.fromkeys(names))
