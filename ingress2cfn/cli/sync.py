"""`ingress2cfn sync`: keep the target groups filled from the cluster (README: sync)."""

from __future__ import annotations

from typing import Any

import click

from ingress2cfn.cli.console import Invalid, note, warn
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_INVALID, EXIT_OK
from ingress2cfn.cli.options import CONTEXT, aws_clients, aws_options, kube_options, limits_from, render_inputs, render_request
from ingress2cfn.cli.write_status import NO_WRITE_STATUS_OPTION, after_round


def load_bindings(inputs: dict[str, Any], binding_files: tuple[str, ...], stacks: tuple[str, ...]) -> list[Any]:
    """Bindings from --bindings files, from --stack NAME (deployed), and from -f/--vpc/--cluster rendered in memory."""
    from ingress2cfn.k8s.files import load_objects
    from ingress2cfn.sync.bindings import parse_bindings

    found = parse_bindings(load_objects(binding_files)) if binding_files else []
    if stacks:
        from ingress2cfn.aws.cloudformation import get_template as stack_template
        from ingress2cfn.aws.cloudformation import stack_resources
        from ingress2cfn.sync.stack_bindings import bindings_from_stack

        clients = aws_clients(inputs)
        for stack in stacks:
            found += bindings_from_stack(stack, {r["LogicalResourceId"]: r for r in stack_resources(clients, stack)}, stack_template(clients, stack))
    if inputs.get("filenames"):
        if not inputs.get("vpc_file") or not inputs.get("cluster"):
            raise click.UsageError("-f needs --vpc and --cluster (to render the bindings), or give --bindings FILE / --stack NAME")
        from ingress2cfn.input.loader import parse_text
        from ingress2cfn.k8s.files import flatten
        from ingress2cfn.render.pipeline import render_files

        result = render_files(render_request(inputs, limits=limits_from(())[0]))
        for group in result.groups:
            found += parse_bindings(o for doc in parse_text(group.bindings, f"{group.stack_name}.bindings") for o in flatten(doc.data, doc.loc))
    unique = {b.ref: b for b in found}
    return [unique[k] for k in sorted(unique)]


def print_report(report: Any, dry_run: bool, changes_only: bool = False) -> None:
    """One line per binding (and its targets); `changes_only` (--watch) skips the unchanged ones."""
    for outcome in report.outcomes:
        if changes_only and outcome.plan is not None and outcome.plan.empty and not outcome.error:
            continue
        b = outcome.binding
        head = f"{b.ref} ({b.target_type}, {b.target_group})"
        if outcome.problem:
            warn(f"{head}: left alone: {outcome.problem}")
            continue
        if outcome.error:
            warn(f"{head}: {outcome.error}")
            continue
        plan = outcome.plan
        verb = "would register" if dry_run else "registered"
        verb2 = "would deregister" if dry_run else "deregistered"
        click.echo(f"{head}: {len(outcome.desired.targets)} desired, {verb} {len(plan.register)}, {verb2} {len(plan.deregister)}")
        for t in plan.register:
            click.echo(f"  + {t}" + (f" (AZ {t.az})" if t.az else ""))
        for t in plan.deregister:
            click.echo(f"  - {t}")


@click.command(context_settings=CONTEXT)
@click.option(
    "--bindings", "binding_files", multiple=True, metavar="PATH", help="TargetGroupBinding manifests (render's *.bindings.yaml, or --out DIR). Repeatable."
)
@click.option("--stack", "stacks", multiple=True, metavar="NAME", help="Read the bindings from a deployed group stack. Repeatable.")
@render_inputs(required=False)
@click.option(
    "--endpoints",
    "endpoint_files",
    multiple=True,
    metavar="FILE",
    help="Read the cluster from files (`kubectl get endpointslices,pods,nodes,services -A -o yaml`) instead of the live API. Repeatable.",
)
@kube_options()
@click.option("--dry-run", is_flag=True, help="Print the plan (register / deregister per target group); call no AWS mutation. Exit 2 when changes are pending.")
@click.option("--watch", is_flag=True, help="Keep running: watch EndpointSlices and Nodes, sync after each burst and every --resync-period.")
@click.option("--resync-period", default=300.0, show_default=True, metavar="SECONDS", help="--watch: full sync at least this often.")
@click.option("--debounce", default=1.0, show_default=True, metavar="SECONDS", help="--watch: wait this long for a burst of changes to settle.")
@click.option(
    "--lease", "lease", default=None, metavar="NAMESPACE/NAME", help="--watch: only the holder of this coordination.k8s.io Lease syncs (several replicas)."
)
@NO_WRITE_STATUS_OPTION
@click.option("--pod-readiness-gate", is_flag=True, help="ip mode: set target-health.elbv2.k8s.aws/<binding> True on Pods whose target is healthy (§12).")
@aws_options()
def sync(
    binding_files: tuple[str, ...],
    stacks: tuple[str, ...],
    endpoint_files: tuple[str, ...],
    kubeconfig: str | None,
    kube_context: str | None,
    dry_run: bool,
    watch: bool,
    resync_period: float,
    debounce: float,
    lease: str | None,
    pod_readiness_gate: bool,
    no_write_status: bool,
    **inputs: Any,
) -> int:
    """Register the cluster's endpoints (ip) or nodes (instance) into the target groups.

    Register first, then deregister; batches of 200; targets in `draining` ignored. A target group
    is owned exclusively (stale targets are deregistered) unless its binding says
    multiClusterTargetGroup: then only the targets this cluster registered (ConfigMap
    ingress2cfn-targets-<binding>) are deregistered.

    \b
      ingress2cfn sync --bindings out/ --endpoints cluster.yaml --dry-run
      ingress2cfn sync --stack i2c-prod-shop-1a2b3c4d
      ingress2cfn sync --stack i2c-prod-shop-1a2b3c4d --watch --lease kube-system/ingress2cfn-sync
    """
    from ingress2cfn.sync.engine import Syncer
    from ingress2cfn.sync.ownership import ConfigMapOwnership, MemoryOwnership
    from ingress2cfn.sync.sources import FileSource, LiveSource

    if not (binding_files or stacks or inputs.get("filenames")):
        raise click.UsageError("give the bindings: --bindings FILE, --stack NAME, or -f MANIFESTS --vpc FILE --cluster NAME")
    if watch and endpoint_files:
        raise click.UsageError("--watch reads the live cluster: leave out --endpoints")
    bindings = load_bindings(inputs, binding_files, stacks)
    if not bindings:
        raise Invalid("no TargetGroupBinding found in the inputs")
    api = None
    if endpoint_files:
        from ingress2cfn.k8s.files import load_objects

        source: Any = FileSource(load_objects(endpoint_files))
        ownership: Any = MemoryOwnership()
        if any(b.multi_cluster for b in bindings):
            warn("multi-cluster target groups: no cluster holds the ownership record with --endpoints, so this run only registers into them")
    else:
        from ingress2cfn.k8s.client import api_client
        from ingress2cfn.k8s.configmaps import ConfigMaps
        from ingress2cfn.k8s.reader import LiveReader

        api = api_client(kubeconfig, kube_context)
        source = LiveSource(LiveReader(api))
        ownership = ConfigMapOwnership(ConfigMaps(api))
    clients = aws_clients(inputs)
    syncer = Syncer(clients, source, bindings, ownership, dry_run=dry_run)
    stack_names = sorted({b.stack for b in bindings if b.stack})
    if api is not None and not dry_run and not no_write_status and stack_names:
        syncer.after_round.append(after_round(clients, api, stack_names))  # §11: the ALB address on the member Ingresses
    if pod_readiness_gate and api is not None and not dry_run:
        from ingress2cfn.k8s.pods import PodConditions
        from ingress2cfn.sync.gates import ReadinessGates

        syncer.after_round.append(ReadinessGates(PodConditions(api)))
    if watch:
        from ingress2cfn.sync.watch import run_watch

        run_watch(
            syncer,
            api,
            resync_period=resync_period,
            debounce=debounce,
            lease=lease,
            on_round=lambda r: print_report(r, dry_run, changes_only=True),
            on_error=warn,
        )
        return EXIT_OK
    report = syncer.run_once()
    print_report(report, dry_run)
    if report.failed:
        return EXIT_INVALID
    if dry_run and any(o.plan and not o.plan.empty for o in report.outcomes):
        return EXIT_CHANGES_PENDING
    if dry_run:
        note("no changes")
    return EXIT_OK
