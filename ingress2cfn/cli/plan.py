"""`ingress2cfn plan`."""

from __future__ import annotations

from typing import Any

import click

from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_INVALID, EXIT_OK
from ingress2cfn.cli.options import CONTEXT, QUOTA_OPTION, aws_clients, aws_options, deploy_options, render_inputs
from ingress2cfn.cli.planning import (
    IMPORT_EXISTING_OPTION,
    REVIEW_FORMAT_OPTION,
    deploy_options_from,
    plan_exit_code,
    render_for_deploy,
    review_of,
    show_blockers,
    show_imports,
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
@IMPORT_EXISTING_OPTION
@click.pass_context
def plan(ctx: click.Context, quotas: tuple[str, ...], review_format: str, keep: bool, import_existing: bool, **inputs: Any) -> None:
    """Show what `deploy` would change: one CloudFormation change set per stack, reviewed in ALB terms.

    Takes the same inputs as `render`. Per stack a change set is created (CREATE for a new stack,
    UPDATE otherwise), described and deleted (unless --keep). Stacks of the cluster that are no
    longer rendered are shown as removals (`deploy --prune` deletes them).

    \b
    Exit codes: 0 no changes, 2 changes, 3 changes with a danger (ALB or listener replaced ...),
    1 error or a change CloudFormation cannot execute, 64 usage error. With --import-existing the plan
    is the import of what the controller made (exit 2 when something is imported); `deploy
    --import-existing` executes it, then plans and deploys the update as usual.
      ingress2cfn plan -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster
    """
    from ingress2cfn.deploy.changesets import plan_stacks

    clients = aws_clients(inputs)
    rendered = render_for_deploy(inputs, quotas, clients)
    if import_existing:
        from ingress2cfn.deploy.importing import plan_imports

        imports = plan_imports(clients, rendered.specs, deploy_options_from(inputs), keep=keep)
        if show_imports(imports):
            ctx.exit(EXIT_INVALID)
        # import first, update second: the update is planned once the import is done (deploy does both)
        ctx.exit(EXIT_CHANGES_PENDING if any(not i.plan.empty for i in imports) else EXIT_OK)
    planned = plan_stacks(clients, rendered.specs, deploy_options_from(inputs), keep=keep)
    review = review_of(planned, rendered.limits)
    show_review(review, review_format)
    show_notes(planned)
    show_blockers(review)
    ctx.exit(plan_exit_code(review))
