"""`ingress2cfn annotations`."""

from __future__ import annotations

import click

from ingress2cfn.cli.options import CONTEXT


@click.command("annotations", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def annotations_command(fmt: str) -> None:
    """List every alb.ingress.kubernetes.io/* annotation: type, default, where it is read, how a
    group merges it, and whether ingress2cfn supports it (or why not yet).

    \b
      ingress2cfn annotations --format markdown
    """
    from ingress2cfn.rules import docs

    render_fn = {"text": docs.text, "markdown": docs.markdown, "json": docs.as_json}[fmt]
    click.echo(render_fn(), nl=False)
