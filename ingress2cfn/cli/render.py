"""`ingress2cfn render`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ingress2cfn.cli.batch import collector_paused, shared_map
from ingress2cfn.cli.console import Invalid, fail, note, warn
from ingress2cfn.cli.exits import EXIT_INVALID
from ingress2cfn.cli.options import (
    CONTEXT,
    QUOTA_OPTION,
    aws_options,
    certificate_source,
    limits_from,
    render_inputs,
    render_request,
    service_source,
    services_from_cluster_options,
)
from ingress2cfn.input.printable import safe_lines


@click.command(context_settings=CONTEXT)
@render_inputs(required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write every stack and the bindings to DIR (each file atomically; this cluster's files of groups no longer "
    "rendered are removed). Without it the one group's template goes to stdout.",
)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Template format.")
@QUOTA_OPTION
@click.option(
    "--check",
    "check_dir",
    default=None,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Render in memory and compare with the committed files in DIR (as --out would write them): print a unified "
    "diff and exit 1 when they are stale (missing, extra or different files), 0 when fresh. Writes nothing.",
)
@click.option("-v", "--verbose", is_flag=True, help="Longer notes on stderr: with --split-by-quota, the hosts of every shard.")
@aws_options()
@services_from_cluster_options()
@click.pass_context
def render(ctx: click.Context, out_dir: str | None, fmt: str, check_dir: str | None, quotas: tuple[str, ...], verbose: bool, **inputs: Any) -> None:
    """Render one CloudFormation stack per IngressGroup.

    Reads Ingress, Service, IngressClass, IngressClassParams and Namespace objects; every other
    kind is skipped, so `kustomize build | ingress2cfn render -f - ...` works.

    \b
    Without --out exactly one group is expected and its template is printed:
      ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster
    With --out DIR, for each group <stack>.yaml and <stack>.bindings.yaml, plus the cluster stack:
      ingress2cfn render -f examples/ingress-group --vpc examples/ingress-group/vpc.yaml --cluster my-cluster --out out/

    Stack names: i2c-<cluster>-<group>-<hash8>; the cluster stack (backend security group and the
    node rules) is i2c-<cluster>-cluster-<hash8>. Group stacks take its BackendSecurityGroupId
    output as a parameter.

    \b
    In CI, fail when the committed templates are stale (exit 1, with a diff):
      ingress2cfn render -f k8s/ --vpc vpc.yaml --cluster prod --check cfn/
    """
    from ingress2cfn.render.pipeline import render_files

    if check_dir is not None and out_dir is not None:
        raise click.UsageError("--check DIR compares with DIR, --out DIR writes to it: give one of them")
    filenames, ingress_class = inputs["filenames"], inputs["ingress_class"]
    limits, _ = limits_from(quotas)
    request = render_request(inputs, limits=limits, fmt=fmt, previous_dir=check_dir or out_dir)
    with collector_paused():
        result = render_files(request, certificates=certificate_source(inputs), services=service_source(inputs), mapper=shared_map)
    for line in result.notes + (result.details if verbose else ()):
        note(line)
    for diagnostic in result.warnings:
        warn(str(diagnostic))
    if out_dir is None and check_dir is None:
        if len(result.groups) == 0:
            shown = ", ".join("<stdin>" if f == "-" else f for f in filenames)
            raise Invalid(
                f"no Ingress in {shown} belongs to ingress class {ingress_class!r}: give it spec.ingressClassName {ingress_class} "
                "(or an IngressClass of the input with controller ingress.k8s.aws/alb), the annotation kubernetes.io/ingress.class, "
                "or run with --ingress-class"
            )
        if len(result.groups) > 1:
            raise Invalid(f"the input makes {_stacks_summary(result.groups)}: use --out DIR to write one stack each")
        click.echo(result.groups[0].template, nl=False)
        return
    if check_dir is not None:
        from ingress2cfn.render.freshness import compare

        stale = compare(result.files(), Path(check_dir), inputs["cluster"])
        if stale.diff:
            click.echo(safe_lines(stale.diff), nl=False)
        if stale:
            fail(f"{check_dir} is stale: {stale.summary()}; re-run with --out {check_dir} and commit the result")
            ctx.exit(EXIT_INVALID)
        note(f"{check_dir} is up to date ({len(result.files())} files)")
        return
    assert out_dir is not None
    if not result.groups:
        # kubectl's "No resources found": nothing to write is not an error, but say why
        note(f"no Ingress belongs to ingress class {ingress_class!r}: nothing written to {out_dir}")
        for line in result.skipped or ("(the input holds no Ingress)",):
            note(f"  skipped {line}")
        return
    from ingress2cfn.cli.files import write_files
    from ingress2cfn.render.freshness import owned_files

    target = Path(out_dir)
    files = result.files()
    rendered = {name for name, _ in files}
    gone = [name for name in owned_files(target, inputs["cluster"]) if name not in rendered]
    write_files(target, files, remove=gone)
    for name, _ in files:
        note(str(target / name))
    for name in gone:
        note(f"removed {target / name} (no longer rendered)")


def _stacks_summary(groups: Any) -> str:
    """`3 IngressGroups (a, b, c)`, or `10 shards of IngressGroup big` (one split group), or both."""
    counts: dict[str, int] = {}
    for g in groups:
        counts[g.group_id] = counts.get(g.group_id, 0) + 1
    shown = ", ".join(f"{gid} ({n} shards)" if n > 1 else gid for gid, n in counts.items())
    if len(counts) == 1:
        ((gid, n),) = counts.items()
        return f"{n} shards of IngressGroup {gid} (--split-by-quota)"
    if len(counts) == len(groups):
        return f"{len(counts)} IngressGroups ({shown})"
    return f"{len(groups)} stacks of {len(counts)} IngressGroups ({shown})"
