"""`ingress2cfn plan`."""

from __future__ import annotations

from typing import Any

import click

from ingress2cfn.cli.options import CONTEXT, QUOTA_OPTION, aws_clients, aws_options, deploy_options, render_inputs
from ingress2cfn.cli.planning import (
    REVIEW_FORMAT_OPTION,
    deploy_options_from,
    plan_exit_code,
    render_for_deploy,
    review_of,
    show_blockers,
    show_notes,
    show_review,
)


@click.command(context_settings=CONTEXT)
@render_inputs(required=True)
@QUOTA_OPTION
@aws_options()
@deploy_options()
@REVIEW_FORMAT_OPTION
@click.option("--keep", is_flag=True, help="Keep the change sets (to look at them in the console); by default they are deleted.")
@click.pass_context
def plan(ctx: click.Context, quotas: tuple[str, ...], review_format: str, keep: bool, **inputs: Any) -> None:
    """Show what `deploy` would change: one CloudFormation change set per stack, reviewed in ALB terms.

    Takes the same inputs as `render`. Per stack a change set is created (CREATE for a new stack,
    UPDATE otherwise), described and deleted (unless --keep). Stacks of the cluster that are no
    longer rendered are shown as removals (`deploy --prune` deletes them).

    \b
    Exit codes: 0 no changes, 2 changes, 3 changes with a danger (ALB or listener replaced ...),
    1 error or a change CloudFormation cannot execute, 64 usage error.
      ingress2cfn plan -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster
    """
    from ingress2cfn.deploy.changesets import plan_stacks

    clients = aws_clients(inputs)
    rendered = render_for_deploy(inputs, quotas, clients)
    planned = plan_stacks(clients, rendered.specs, deploy_options_from(inputs), keep=keep)
    review = review_of(planned, rendered.limits)
    show_review(review, review_format)
    show_notes(planned)
    show_blockers(review)
    ctx.exit(plan_exit_code(review))
