"""`ingress2cfn deploy`, and the progress display of stack events that `destroy` shares."""

from __future__ import annotations

import sys
from typing import Any

import click

from ingress2cfn.cli.console import Invalid, colour, note
from ingress2cfn.cli.exits import EXIT_OK
from ingress2cfn.cli.options import CONTEXT, QUOTA_OPTION, aws_clients, aws_options, deploy_options, kube_options, render_inputs
from ingress2cfn.cli.planning import (
    IMPORT_EXISTING_OPTION,
    REVIEW_FORMAT_OPTION,
    deploy_options_from,
    render_for_deploy,
    review_of,
    show_blockers,
    show_imports,
    show_notes,
    show_review,
)
from ingress2cfn.cli.write_status import NO_WRITE_STATUS_OPTION, after_deploy


class Progress:
    """Stack events on stderr as they arrive: `[stack n/N] STATUS Type LogicalId reason`, n counting
    the resources that reached a final state; colour by status unless NO_COLOR or not a terminal."""

    def __init__(self, totals: dict[str, int] | None = None) -> None:
        self.totals = totals or {}
        self.done: dict[str, set[str]] = {}

    def __call__(self, stack: str, event: dict[str, Any]) -> None:
        from ingress2cfn.deploy.events import STACK_TYPE, event_line

        status = str(event.get("ResourceStatus", ""))
        if event.get("ResourceType") != STACK_TYPE and status.endswith("_COMPLETE"):
            self.done.setdefault(stack, set()).add(str(event.get("LogicalResourceId")))
        total = self.totals.get(stack)
        count = f" {len(self.done.get(stack, ()))}/{total}" if total else ""
        line = event_line(event)
        if colour():
            tint = "red" if "FAILED" in status or "ROLLBACK" in status else "green" if status.endswith("_COMPLETE") else "yellow"
            line = click.style(line, fg=tint)
        click.echo(f"[{stack}{count}] {line}", err=True)


def show_outputs(outcomes: list[Any]) -> None:
    for outcome in outcomes:
        for key in sorted(outcome.outputs):
            click.echo(f"{outcome.name}  {key} = {outcome.outputs[key]}")


def _import_first(clients: Any, specs: Any, options: Any, yes: bool) -> None:
    """--import-existing: show the import plan, ask, execute the IMPORT change sets (the update follows)."""
    from ingress2cfn.deploy.importing import discard_import, execute_imports, plan_imports

    imports = plan_imports(clients, specs, options, keep=True)
    try:
        if show_imports(imports):
            raise Invalid("refusing to import: a resource of the same name belongs to something else (above)")
        pending = [i for i in imports if i.change_set_id]
        if not pending:
            note("--import-existing: nothing the controller made was found; deploying as usual")
            return
        if not yes and not (sys.stdin.isatty() and click.confirm(f"Import into {len(pending)} stack(s)?", default=False, err=True)):
            raise Invalid("nothing imported; pass --yes to import without asking")
        execute_imports(clients, imports)
        note(f"imported into {', '.join(i.spec.name for i in pending)}; now the update")
    finally:
        for item in imports:
            if item.change_set_id:
                discard_import(clients, item, options)


@click.command(context_settings=CONTEXT)
@render_inputs(required=True)
@QUOTA_OPTION
@aws_options()
@deploy_options()
@REVIEW_FORMAT_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask before executing the change sets.")
@click.option(
    "--allow-replacement",
    is_flag=True,
    help="Execute changes flagged as dangers (ALB or listener replaced, ...): lifts the stack policy for this deploy only.",
)
@click.option("--prune", is_flag=True, help="Delete the cluster's stacks that are no longer rendered, after every addition is deployed.")
@click.option("--recreate-failed", is_flag=True, help="Delete a stack left in ROLLBACK_COMPLETE by a failed first create, and create it again.")
@IMPORT_EXISTING_OPTION
@kube_options()
@NO_WRITE_STATUS_OPTION
@click.pass_context
def deploy(
    ctx: click.Context,
    quotas: tuple[str, ...],
    review_format: str,
    yes: bool,
    allow_replacement: bool,
    prune: bool,
    recreate_failed: bool,
    import_existing: bool,
    kubeconfig: str | None,
    kube_context: str | None,
    no_write_status: bool,
    **inputs: Any,
) -> None:
    """Plan, show the review, ask, then execute the change sets (cluster stack first) and stream events.

    New stacks get termination protection and a stack policy that denies replacing or deleting the
    ALB and its listeners. Dangerous changes are refused unless --allow-replacement; changes
    CloudFormation cannot execute are always refused. On a rollback the first failing resource's
    reason is printed and the exit code is 1. Ctrl-C leaves CloudFormation running.

    Then, when a cluster is configured (--kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster), each
    member Ingress gets the ALB's DNS name in status.loadBalancer (unless --no-write-status).

    \b
      ingress2cfn deploy -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster --yes
    """
    from ingress2cfn.deploy.apply import execute
    from ingress2cfn.deploy.changesets import discard, plan_stacks

    clients = aws_clients(inputs)
    options = deploy_options_from(inputs, recreate_failed=recreate_failed)
    rendered = render_for_deploy(inputs, quotas, clients)
    if import_existing:
        _import_first(clients, rendered.specs, options, yes)
    try:
        planned = plan_stacks(clients, rendered.specs, options, keep=True)
    except KeyboardInterrupt:
        raise Invalid("interrupted while planning; the change sets made so far were deleted") from None
    try:
        review = review_of(planned, rendered.limits)
        show_review(review, review_format)
        show_notes(planned)
        pending = [p for p in planned if p.action in ("create", "update") or (prune and p.action == "remove")]
        rendered_stacks = [p.name for p in planned if p.action != "remove"]  # whose member Ingresses get the status
        removed = [p.name for p in planned if p.action == "remove"]
        if removed and not prune:
            note(f"not rendered any more, kept: {', '.join(removed)} (deploy --prune deletes them)")
        if review.blockers:
            show_blockers(review)
            raise Invalid("refusing to deploy: CloudFormation cannot execute the changes above")
        if review.dangers and not allow_replacement:
            raise Invalid(f"refusing to deploy {len(review.dangers)} dangerous change(s) (first: {review.dangers[0].message}); re-run with --allow-replacement")
        if not pending:
            note("no changes")
            if not no_write_status:
                after_deploy(clients, kubeconfig, kube_context, rendered_stacks)
            ctx.exit(EXIT_OK)
        if not yes:
            if not sys.stdin.isatty():
                raise Invalid("not a terminal: pass --yes to deploy without asking")
            if not click.confirm(f"Execute the change sets of {len(pending)} stack(s)?", default=False, err=True):
                note("nothing deployed; the change sets were deleted")
                ctx.exit(EXIT_OK)
        totals = {p.name: len(p.changes) for p in planned}
        try:
            outcomes = execute(clients, planned, options, allow_replacement=allow_replacement, prune=prune, on_event=Progress(totals), on_note=note)
        except KeyboardInterrupt:
            raise Invalid(
                "interrupted: CloudFormation goes on with what was started; follow it with "
                f"aws cloudformation describe-stacks --stack-name <stack> (stacks: {', '.join(p.name for p in pending)})"
            ) from None
    finally:
        for item in planned:
            if item.change_set_id:
                discard(clients, item, options)
    show_outputs(outcomes)
    if not no_write_status:
        after_deploy(clients, kubeconfig, kube_context, rendered_stacks)
