"""Options shared by command families, and the one place that turns them into the request objects
passed down (a render option: a click option here, a Settings field, one line in `render_request`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the request types import troposphere; --help must not
    from ingress2cfn.aws.clients import AwsClients
    from ingress2cfn.input.vpc import Vpc
    from ingress2cfn.model.quotas import Limits
    from ingress2cfn.render.pipeline import RenderRequest

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

QUOTA_OPTION = click.option(
    "--quota",
    "quotas",
    multiple=True,
    metavar="NAME=N",
    help="Raise (or lower) a quota, e.g. rules-per-alb=200 (README: quotas). Repeatable; wins over --quotas-from-aws.",
)


def _secret_prefix(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[A-Za-z0-9/_+=.@-]*", value):
        raise click.BadParameter(f"{value!r}: a Secrets Manager name holds only A-Z a-z 0-9 / _ + = . @ -")
    return value


def render_inputs(required: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every command that renders shares: the manifests and how to read them. One list,
    so the commands cannot drift apart; `lint` makes -f/--vpc/--cluster optional (it also takes
    --template) and checks them itself."""
    options = [
        click.option(
            "-f",
            "--filename",
            "filenames",
            multiple=True,
            required=required,
            metavar="PATH",
            help="Manifest file, directory (recursing *.yaml, *.yml, *.json) or - for stdin. Repeatable.",
        ),
        click.option(
            "--vpc",
            "vpc_file",
            required=required,
            type=click.Path(dir_okay=False),
            metavar="FILE|aws|aws:VPC_ID",
            help="VPC description: a file (`ingress2cfn vpc export` output, or `aws ec2 describe-vpcs/describe-subnets/"
            "describe-security-groups` merged with `jq -s add`, or the compact form), or `aws` to read it live from EC2 "
            "(the VPC tagged kubernetes.io/cluster/<cluster>, else the only one), or `aws:vpc-...` (README: the VPC description).",
        ),
        click.option("--cluster", required=required, help="EKS cluster name: enters names, tags and subnet filtering."),
        click.option("-n", "--namespace", default="default", show_default=True, help="Namespace for objects that have none, as kubectl."),
        click.option("--ingress-class", default="alb", show_default=True, help="As the controller's --ingress-class flag."),
        click.option("--vpc-id", default=None, help="The cluster's VPC, when the description holds several."),
        click.option(
            "--node-security-group", default=None, metavar="SG_ID", help="Worker node security group (default: the one tagged kubernetes.io/cluster/<cluster>)."
        ),
        click.option(
            "--backend-security-group-id", default=None, metavar="SG_ID", help="Deployed backend SG id, the source of the bindings' networking rules."
        ),
        click.option(
            "--binding-networking",
            is_flag=True,
            help="Write spec.networking (node/pod SG rules from the backend SG) into the TargetGroupBindings; needs "
            "--backend-security-group-id. Off by default: the cluster stack owns those rules (README: who owns what).",
        ),
        click.option(
            "--hash-service-uid", is_flag=True, help="Hash Service metadata.uid into target group names exactly as the controller (to adopt its target groups)."
        ),
        click.option(
            "--oidc-secret-prefix",
            default=None,
            metavar="PREFIX",
            callback=lambda _ctx, _param, value: _secret_prefix(value),
            help="OIDC auth: Secrets Manager secret <PREFIX><namespace>/<secretName> holds clientID and clientSecret "
            "(default ingress2cfn/<cluster>/; README: OIDC client secrets).",
        ),
        click.option(
            "--split-by-quota",
            is_flag=True,
            help="Bin-pack a group over the per-ALB quotas (rules, target groups) onto several ALBs and stacks "
            "<stack>-s1, -s2, ...; every host stays on one ALB. The assignment is read back from the templates "
            "in --out/--check DIR, so a host moves only when its ALB overflows (README: splitting).",
        ),
        click.option(
            "--discover-certificates",
            is_flag=True,
            help="Look certificates up in ACM, as the controller does, for HTTPS ports without certificate-arn: "
            "ISSUED certificates whose names cover the Ingress's hosts (AWS credentials, AWS_REGION). "
            "Prints which host got which certificate.",
        ),
    ]
    return _stack(options)


def aws_options() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Where AWS calls go: boto3's usual settings (profile, region, AWS_ENDPOINT_URL), and botocore's retry mode."""
    return _stack(
        [
            click.option("--profile", "aws_profile", default=None, metavar="NAME", help="AWS profile (default: AWS_PROFILE, else the default chain)."),
            click.option(
                "--region", "aws_region", default=None, metavar="REGION", help="AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / the profile's)."
            ),
            click.option(
                "--retry-mode",
                "aws_retry_mode",
                type=click.Choice(["standard", "adaptive"]),
                default="standard",
                show_default=True,
                help="botocore retry mode for throttled calls.",
            ),
        ]
    )


def deploy_options() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """How templates reach CloudFormation: a service role, and S3 for templates over the inline limit."""
    return _stack(
        [
            click.option("--role-arn", default=None, metavar="ARN", help="CloudFormation service role for the stack operations."),
            click.option(
                "--s3-bucket",
                default=None,
                metavar="BUCKET",
                help="Upload templates over 51,200 bytes (compact JSON) here and pass a TemplateURL, as `aws cloudformation deploy`.",
            ),
            click.option("--s3-prefix", default=None, metavar="PREFIX", help="Key prefix for --s3-bucket uploads."),
        ]
    )


def _stack(options: Sequence[Callable[[Any], Any]]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def aws_clients(inputs: dict[str, Any], default_region: str | None = None) -> AwsClients:
    from ingress2cfn.aws.clients import AwsClients

    region = inputs.get("aws_region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or default_region
    return AwsClients(region=region, profile=inputs.get("aws_profile"), retry_mode=inputs.get("aws_retry_mode") or "standard")


LIVE_VPC = "aws"


def live_vpc_id(vpc_option: str | None, vpc_id: str | None) -> tuple[bool, str | None]:
    """`--vpc aws` / `--vpc aws:vpc-...` → (live, the VPC id if one was named); a file → (False, None)."""
    if vpc_option is None or (vpc_option != LIVE_VPC and not vpc_option.startswith(LIVE_VPC + ":")):
        return False, None
    named = vpc_option.partition(":")[2] or None
    if named and vpc_id and named != vpc_id:
        raise click.UsageError(f"--vpc {vpc_option} and --vpc-id {vpc_id} name different VPCs")
    if named is not None and not re.fullmatch(r"vpc-[0-9a-f]+", named):
        raise click.BadParameter(f"{vpc_option!r}: expected aws or aws:vpc-<hex id>", param_hint="--vpc")
    return True, named or vpc_id


def live_vpc(inputs: dict[str, Any]) -> Vpc | None:
    """The VPC read from EC2 for `--vpc aws[:id]` (the same data `vpc export` writes), else None (a file)."""
    live, vpc_id = live_vpc_id(inputs.get("vpc_file"), inputs.get("vpc_id"))
    if not live:
        return None
    from ingress2cfn.aws.ec2 import describe_vpc
    from ingress2cfn.input.vpc import vpc_from_description

    clients = aws_clients(inputs)
    data = describe_vpc(clients, vpc_id, inputs.get("cluster"))
    chosen = data["Vpcs"][0]["VpcId"] if data["Vpcs"] else vpc_id
    return vpc_from_description(data, f"aws:{chosen} ({clients.region or 'default region'})", chosen)


def limits_from(quotas: tuple[str, ...], base: Limits | None = None) -> tuple[Limits, dict[str, int]]:
    """--quota NAME=N overrides on top of `base` (default: the AWS default quotas) → (limits, the overrides)."""
    from ingress2cfn.model.quotas import DEFAULT_LIMITS, parse_override

    overrides: dict[str, int] = {}
    for text in quotas:
        try:
            name, value = parse_override(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--quota") from None
        overrides[name] = value
    return (base or DEFAULT_LIMITS).with_values(overrides), overrides


def render_request(
    inputs: dict[str, Any], *, limits: Limits, fmt: str = "yaml", enforce_alb_quotas: bool = True, previous_dir: str | None = None
) -> RenderRequest:
    from ingress2cfn.model.settings import Settings
    from ingress2cfn.render.pipeline import RenderRequest
    from ingress2cfn.render.serialise import Format

    if inputs.get("binding_networking") and not inputs.get("backend_security_group_id"):
        raise click.UsageError("--binding-networking needs --backend-security-group-id (the source of the rules)")

    settings = Settings(
        cluster=inputs["cluster"],
        ingress_class=inputs["ingress_class"],
        default_namespace=inputs["namespace"],
        hash_service_uid=inputs["hash_service_uid"],
        node_security_group=inputs["node_security_group"],
        vpc_id=inputs["vpc_id"],
        oidc_secret_prefix=inputs["oidc_secret_prefix"],
        limits=limits,
        split_by_quota=inputs["split_by_quota"],
        enforce_alb_quotas=enforce_alb_quotas,
    )
    return RenderRequest(
        sources=tuple(inputs["filenames"]),
        vpc_file=inputs["vpc_file"],
        vpc=live_vpc(inputs),
        settings=settings,
        fmt=Format(fmt),
        backend_security_group_id=inputs["backend_security_group_id"],
        binding_networking=inputs.get("binding_networking", False),
        previous_dir=previous_dir,
    )


def certificate_source(inputs: dict[str, Any]) -> Any:
    """The live ACM source for --discover-certificates, else None (offline)."""
    if not inputs.get("discover_certificates"):
        return None
    from ingress2cfn.aws.acm import certificate_source as acm_source

    return acm_source(aws_clients(inputs))


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
KUBE_OPTIONS: list[Decorator] = [
    click.option("--kubeconfig", default=None, type=click.Path(dir_okay=False), help="kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)."),
    click.option("--context", "kube_context", default=None, help="kubeconfig context."),
]
SERVICES_FROM_CLUSTER: Decorator = click.option(
    "--services-from-cluster",
    is_flag=True,
    help="Read the Services the Ingresses name from the live cluster (kubeconfig or in-cluster; pip install "
    "'ingress2cfn[k8s]') instead of the files: for Helm/kustomize output without nodePort.",
)


def kube_options() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Where the live cluster is: kubeconfig and context (in-cluster config when neither is given inside a Pod)."""
    return _stack(KUBE_OPTIONS)


def services_from_cluster_options() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return _stack([SERVICES_FROM_CLUSTER, *KUBE_OPTIONS])


def service_source(inputs: dict[str, Any]) -> Any:
    """The live Service reader for --services-from-cluster, else None (the files' Services)."""
    if not inputs.get("services_from_cluster"):
        return None
    from ingress2cfn.k8s.client import api_client
    from ingress2cfn.k8s.reader import LiveReader

    reader = LiveReader(api_client(inputs.get("kubeconfig"), inputs.get("kube_context")))
    return lambda wanted: [s for s in (reader.service(ns, name) for ns, name in wanted) if s is not None]
