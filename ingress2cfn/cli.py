"""The command line: the only place that prints, prompts or picks exit codes.

Exit codes: 0 success, 1 bad input or failed validation, 2 changes pending (plan, later),
64 usage error. Heavy imports (troposphere, boto3, cfn-lint) happen inside commands only."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CHANGES_PENDING = 2
EXIT_USAGE = 64

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def warn(message: str) -> None:
    prefix = click.style("warning:", fg="yellow", bold=True) if _colour() else "warning:"
    click.echo(f"{prefix} {message}", err=True)


def fail(message: str) -> None:
    prefix = click.style("error:", fg="red", bold=True) if _colour() else "error:"
    click.echo(f"{prefix} {message}", err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="ingress2cfn")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn Kubernetes Ingress manifests (AWS Load Balancer Controller annotations) into
    CloudFormation stacks for Application Load Balancers.

    \b
    Start with:
      ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster

    \b
    Exit codes: 0 success, 1 bad input or failed validation, 2 changes pending (plan),
    64 usage error. Set NO_COLOR to disable colour.
    """
    ctx.obj = {"debug": debug}


@cli.command(context_settings=CONTEXT)
@click.option("-f", "--filename", "filenames", multiple=True, required=True, metavar="PATH",
              help="Manifest file, directory (recursing *.yaml, *.yml, *.json) or - for stdin. Repeatable.")
@click.option("--vpc", "vpc_file", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="VPC description: `aws ec2 describe-vpcs/describe-subnets/describe-security-groups` output merged with `jq -s add`, or the compact form (README).")
@click.option("--cluster", required=True, help="EKS cluster name: enters names, tags and subnet filtering.")
@click.option("-n", "--namespace", default="default", show_default=True, help="Namespace for objects that have none, as kubectl.")
@click.option("--ingress-class", default="alb", show_default=True, help="As the controller's --ingress-class flag.")
@click.option("--vpc-id", default=None, help="The cluster's VPC, when the description holds several.")
@click.option("--node-security-group", default=None, metavar="SG_ID",
              help="Worker node security group (default: the one tagged kubernetes.io/cluster/<cluster>).")
@click.option("--backend-security-group-id", default=None, metavar="SG_ID",
              help="Deployed backend SG id, to fill the bindings' networking rules.")
@click.option("--hash-service-uid", is_flag=True,
              help="Hash Service metadata.uid into target group names exactly as the controller (to adopt its target groups).")
@click.option("-o", "--out", "out_dir", default=None, type=click.Path(file_okay=False), metavar="DIR",
              help="Write every stack and the bindings to DIR. Without it the one group's template goes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Template format.")
@click.pass_context
def render(ctx: click.Context, filenames, vpc_file, cluster, namespace, ingress_class, vpc_id, node_security_group,
           backend_security_group_id, hash_service_uid, out_dir, fmt) -> None:
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
    """
    from .pipeline import RenderRequest, render_files
    from .output import Format

    request = RenderRequest(
        sources=tuple(filenames), vpc_file=vpc_file, cluster=cluster, namespace=namespace, ingress_class=ingress_class,
        vpc_id=vpc_id, node_security_group=node_security_group, hash_service_uid=hash_service_uid,
        backend_security_group_id=backend_security_group_id, fmt=Format(fmt),
    )
    result = render_files(request)
    for message in result.warnings:
        warn(message)
    if out_dir is None:
        if len(result.groups) == 0:
            shown = ", ".join("<stdin>" if f == "-" else f for f in filenames)
            raise _Invalid(
                f"no Ingress in {shown} belongs to ingress class {ingress_class!r}: give it spec.ingressClassName {ingress_class} "
                "(or an IngressClass of the input with controller ingress.k8s.aws/alb), the annotation kubernetes.io/ingress.class, "
                "or run with --ingress-class"
            )
        if len(result.groups) > 1:
            names = ", ".join(g.group_id for g in result.groups)
            raise _Invalid(f"the input makes {len(result.groups)} IngressGroups ({names}): use --out DIR to write one stack each")
        click.echo(result.groups[0].template, nl=False)
        return
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in result.files():
        (target / name).write_text(text, encoding="utf-8")
    for name, _ in result.files():
        click.echo(str(target / name), err=True)


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def annotations(fmt: str) -> None:
    """List every alb.ingress.kubernetes.io/* annotation: type, default, where it is read, how a
    group merges it, and whether ingress2cfn supports it (or why not yet).

    \b
      ingress2cfn annotations --format markdown
    """
    from . import annotation_docs

    render_fn = {"text": annotation_docs.text, "markdown": annotation_docs.markdown, "json": annotation_docs.as_json}[fmt]
    click.echo(render_fn(), nl=False)


class _Invalid(click.ClickException):
    exit_code = EXIT_INVALID

    def show(self, file=None) -> None:
        fail(self.message)


def main(argv: list[str] | None = None) -> int:
    from .errors import Ingress2CfnError

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="ingress2cfn", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        fail("aborted")
        return EXIT_INVALID
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Ingress2CfnError as exc:
        if debug:
            raise
        for line in str(exc).splitlines():
            fail(line)
        return EXIT_INVALID
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
