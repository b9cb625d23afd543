"""`ingress2cfn destroy`."""

from __future__ import annotations

import sys
from typing import Any

import click

from ingress2cfn.cli.console import Invalid, note
from ingress2cfn.cli.options import CONTEXT, aws_clients, aws_options


@click.command(context_settings=CONTEXT)
@click.option("--cluster", required=True, help="EKS cluster name the stacks were deployed for.")
@click.option("--group", "groups", multiple=True, metavar="NS/NAME", help="Only this IngressGroup's stacks (repeatable). Default: every stack of the cluster.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--delete-load-balancer",
    is_flag=True,
    help="Also delete the ALB (deletion protection off first). By default it is retained (DeletionPolicy) with the security groups it uses.",
)
@click.option("--role-arn", default=None, metavar="ARN", help="CloudFormation service role for the deletion.")
@aws_options()
def destroy(cluster: str, groups: tuple[str, ...], yes: bool, delete_load_balancer: bool, role_arn: str | None, **inputs: Any) -> None:
    """Delete a cluster's stacks (found by their tags): group stacks first, the cluster stack last
    and only when no --group is given. Termination protection is turned off first; what stays
    retained is printed with the commands that remove it.

    \b
      ingress2cfn destroy --cluster my-cluster --group game-2048/ingress-2048
    """
    from ingress2cfn.aws import cloudformation as cfn
    from ingress2cfn.cli.deploy import Progress
    from ingress2cfn.deploy.apply import remove_stack
    from ingress2cfn.deploy.changesets import DeployOptions, find_removals
    from ingress2cfn.deploy.plan import group_of

    clients = aws_clients(inputs)
    stacks = find_removals(clients, cluster, [])  # nothing rendered: every stack of the cluster, groups first
    if groups:
        stacks = [s for s in stacks if group_of(s.tags) in groups]
        missing = sorted(set(groups) - {group_of(s.tags) for s in stacks})
        if missing:
            raise Invalid(f"no deployed stack for IngressGroup(s) {', '.join(missing)} of cluster {cluster}")
    if not stacks:
        note(f"no stacks of cluster {cluster}")
        return
    for stack in stacks:
        click.echo(f"will delete {stack.name} ({group_of(stack.tags) or 'cluster stack'}, {stack.status})")
    if not yes:
        if not sys.stdin.isatty():
            raise Invalid("not a terminal: pass --yes to delete without asking")
        if not click.confirm(f"Delete these {len(stacks)} stack(s)?", default=False, err=True):
            note("nothing deleted")
            return
    options = DeployOptions(role_arn=role_arn)
    progress = Progress()
    for stack in stacks:
        template = cfn.get_template(clients, stack.name)
        for line in remove_stack(clients, stack.name, template, options, on_event=progress, delete_load_balancer=delete_load_balancer):
            note(line)
        note(f"deleted {stack.name}")
