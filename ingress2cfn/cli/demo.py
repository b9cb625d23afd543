"""`ingress2cfn demo`: the whole product with no AWS account. It starts moto's server on 127.0.0.1
(the optional extra `ingress2cfn[local]`), forces that endpoint and dummy credentials, makes the
example VPC in it, then runs render → lint → plan → deploy on examples/2048 as a user would and
shows that the target group and the listener rule exist.

The steps after the deploy are `AFTER_DEPLOY` (callables taking the `DemoRun`): sync, from a file of
the cluster objects the example would give (demo_cluster.py: there is no cluster), then status."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shlex
import socket
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from ingress2cfn.cli.console import Invalid, note
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_OK, EXIT_WARNINGS
from ingress2cfn.cli.options import CONTEXT

REGION = "us-east-1"
CLUSTER = "my-cluster"
EXAMPLE = Path("examples") / "2048"
# Anything that could point boto3 at a real account is removed for the demo's duration.
UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


@dataclass
class DemoRun:
    """What a step gets: the emulator's endpoint, the work directory, the command-line arguments that
    select the example, and a way to run an `ingress2cfn` command as the user would."""

    endpoint: str
    workdir: Path
    inputs: list[str]
    run: Callable[[list[str]], int]
    example: Path
    vpc: Path


def write_cluster(run: DemoRun) -> Path:
    """The example's Services, EndpointSlices, Pods and Nodes as `kubectl get … -A -o yaml` prints
    them, with pod IPs in the demo VPC (demo_cluster.py)."""
    import yaml

    from ingress2cfn.cli.demo_cluster import cluster_objects

    manifests = list(yaml.safe_load_all((run.example / "2048_full.yaml").read_text(encoding="utf-8")))
    objects = cluster_objects(manifests, json.loads(run.vpc.read_text(encoding="utf-8")))
    path = run.workdir / "cluster.yaml"
    path.write_text(yaml.safe_dump(objects, sort_keys=False), encoding="utf-8")
    pods = [o for o in objects["items"] if o["kind"] == "Pod"]
    note(f"\nno cluster here: {path} holds what `kubectl get services,endpointslices,pods,nodes -A -o yaml` would show")
    note(f"({len(pods)} ready pods: {', '.join(p['status']['podIP'] for p in pods)}); sync reads it with --endpoints")
    return path


def sync_targets(run: DemoRun) -> None:
    """Register the pods into the deployed target group, the bindings read from the group stack."""
    cluster = write_cluster(run)
    expect("sync", run.run(["sync", "--stack", group_stack(), "--endpoints", str(cluster)]), (EXIT_OK,))


def show_status(run: DemoRun) -> None:
    expect("status", run.run(["status", *run.inputs]), (EXIT_OK,))


AFTER_DEPLOY: list[Callable[[DemoRun], None]] = [sync_targets, show_status]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def local_aws(endpoint: str, workdir: Path) -> Iterator[None]:
    """Force the loopback endpoint and dummy credentials; restore the environment afterwards."""
    saved = dict(os.environ)
    for name in UNSET:
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="demo",
        AWS_SECRET_ACCESS_KEY="demo",
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(workdir / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-aws-credentials"),
        AWS_MAX_ATTEMPTS="1",  # the emulator answers at once; an unimplemented call fails fast
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def emulator() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        raise Invalid("the demo needs the local AWS emulator: pip install 'ingress2cfn[local]' (moto[server])") from None
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # the emulator's request log and its tracebacks for unimplemented calls
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def command_runner(ctx: click.Context) -> Callable[[list[str]], int]:
    """Run an `ingress2cfn` command as the user would (the group's `main`, handed down in ctx.obj:
    this module is registered by the group, so it does not import it)."""
    main: Callable[[list[str]], int] = ctx.find_root().obj["main"]

    def run(args: list[str]) -> int:
        click.secho(f"\n$ ingress2cfn {shlex.join(args)}", bold=True, err=True)
        return main(args)

    return run


def expect(step: str, code: int, allowed: tuple[int, ...]) -> None:
    if code not in allowed:
        raise Invalid(f"demo step {step!r} exited {code} (expected {' or '.join(map(str, allowed))})")


def make_vpc(workdir: Path, example: Path) -> Path:
    """The example VPC made in the emulator; its description (with the emulator's ids) for render."""
    import yaml

    from ingress2cfn.aws.clients import AwsClients
    from ingress2cfn.aws.ec2_create import create_like

    description = create_like(AwsClients(region=REGION), yaml.safe_load((example / "vpc.yaml").read_text(encoding="utf-8")))
    path = workdir / "vpc.json"
    path.write_text(json.dumps(description, indent=1, default=str), encoding="utf-8")
    return path


def group_stack() -> str:
    from ingress2cfn.aws import cloudformation as cfn
    from ingress2cfn.aws.clients import AwsClients
    from ingress2cfn.model.metadata import STACK_TAG_CLUSTER, STACK_TAG_KIND

    stacks = cfn.stacks_tagged(AwsClients(region=REGION), {STACK_TAG_CLUSTER: CLUSTER, STACK_TAG_KIND: "group"})
    if not stacks:
        raise Invalid("the deploy made no group stack")
    return stacks[0].name


def show_resources(stack_name: str) -> tuple[str, str]:
    """The deployed target group and listener rule, read back with ELBv2 describe calls."""
    from ingress2cfn.aws import cloudformation as cfn
    from ingress2cfn.aws.clients import AwsClients

    clients = AwsClients(region=REGION)
    elbv2 = clients.client("elbv2")
    resources = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in cfn.stack_resources(clients, stack_name) if r.get("LogicalResourceId")}
    tg_arn = next(arn for lid, arn in resources.items() if lid.startswith("TargetGroup"))
    tg = elbv2.describe_target_groups(TargetGroupArns=[tg_arn])["TargetGroups"][0]
    click.echo(f"target group {tg['TargetGroupName']}: {tg['Protocol']}:{tg['Port']} target type {tg['TargetType']} ({tg_arn})")
    rules = [r for r in elbv2.describe_rules(ListenerArn=resources["ListenerHTTP80"])["Rules"] if not r["IsDefault"]]
    for rule in rules:
        conditions = "; ".join(f"{c['Field']} {', '.join(c.get('PathPatternConfig', {}).get('Values', c.get('Values', [])))}" for c in rule["Conditions"])
        targets = ", ".join(a.get("TargetGroupArn", "?").split("/")[-2] for a in rule["Actions"] if a["Type"] == "forward")
        click.echo(f"listener rule priority {rule['Priority']}: {conditions} → forward to {targets}")
    if not rules:
        raise Invalid(f"no listener rule found on {resources['ListenerHTTP80']}")
    return tg_arn, rules[0]["RuleArn"]


@click.command(context_settings=CONTEXT)
@click.option(
    "--example",
    "example_dir",
    default=str(EXAMPLE),
    show_default=True,
    type=click.Path(file_okay=False, exists=True),
    help="The example directory (2048_full.yaml and vpc.yaml).",
)
@click.option(
    "--workdir", default=None, type=click.Path(file_okay=False), help="Where the VPC description and rendered templates go (default: a temporary directory)."
)
@click.pass_context
def demo(ctx: click.Context, example_dir: str, workdir: str | None) -> None:
    """Run the whole flow against a local AWS emulator (moto, on 127.0.0.1), no AWS account needed:
    render → lint → plan → deploy of examples/2048, show the ALB's DNS name, its target group and
    listener rule, then sync the example's pods into the target group (from a file of cluster
    objects: no cluster needed) and show the status with the healthy targets.

    \b
    Needs the extra: pip install 'ingress2cfn[local]'   (make demo does it)
    """
    example = Path(example_dir)
    run_command = command_runner(ctx)
    with contextlib.ExitStack() as stack:
        work = Path(workdir) if workdir else Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ingress2cfn-demo-")))
        work.mkdir(parents=True, exist_ok=True)
        endpoint = stack.enter_context(emulator())
        stack.enter_context(local_aws(endpoint, work))
        note(f"local AWS emulator (moto) on {endpoint}; dummy credentials, region {REGION}; nothing leaves this machine")
        vpc = make_vpc(work, example)
        note(f"created the example VPC in the emulator; its description: {vpc}")
        inputs = ["-f", str(example / "2048_full.yaml"), "--vpc", str(vpc), "--cluster", CLUSTER]
        expect("render", run_command(["render", *inputs, "--out", str(work / "out")]), (EXIT_OK,))
        expect("lint", run_command(["lint", *inputs]), (EXIT_OK, EXIT_WARNINGS))
        expect("plan", run_command(["plan", *inputs]), (EXIT_CHANGES_PENDING,))
        # no cluster in the demo: never write Ingress status to whatever cluster a kubeconfig names
        expect("deploy", run_command(["deploy", *inputs, "--yes", "--no-write-status"]), (EXIT_OK,))
        note("(the emulator does not implement termination protection; on AWS the new stacks get it)")
        click.secho("\nin the emulator, read back with ELBv2 describe calls:", bold=True, err=True)
        show_resources(group_stack())
        run = DemoRun(endpoint, work, inputs, run_command, example, vpc)
        for step in AFTER_DEPLOY:
            step(run)
        expect("plan after deploy", run_command(["plan", *inputs]), (EXIT_OK,))
