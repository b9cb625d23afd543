"""`ingress2cfn bindings`: TargetGroupBinding manifests with targetGroupARN from deployed stacks."""

from __future__ import annotations

from typing import Any

import click

from ingress2cfn.cli.console import Invalid
from ingress2cfn.cli.options import CONTEXT, aws_clients, aws_options


@click.command("bindings", context_settings=CONTEXT)
@click.option("--stack", "stacks", multiple=True, required=True, metavar="NAME", help="A deployed group stack. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@aws_options()
def bindings_command(stacks: tuple[str, ...], fmt: str, **inputs: Any) -> None:
    """Print the TargetGroupBindings of deployed stacks, targetGroupARN filled in, for a cluster that
    runs the AWS Load Balancer Controller in binding-only mode (it then fills the target groups).
    No `networking`: the cluster stack owns the node security-group rules.

    \b
      ingress2cfn bindings --stack i2c-prod-shop-1a2b3c4d | kubectl apply -f -
    """
    from ingress2cfn.aws.cloudformation import get_template as stack_template
    from ingress2cfn.aws.cloudformation import stack_resources
    from ingress2cfn.render.serialise import Format, manifests_text
    from ingress2cfn.sync.stack_bindings import bindings_from_stack, manifest

    clients = aws_clients(inputs)
    docs = []
    for stack in stacks:
        docs += [
            manifest(b)
            for b in bindings_from_stack(stack, {r["LogicalResourceId"]: r for r in stack_resources(clients, stack)}, stack_template(clients, stack))
        ]
    if not docs:
        raise Invalid(f"no target group in stack(s) {', '.join(stacks)}")
    click.echo(manifests_text(docs, Format(fmt)), nl=False)
