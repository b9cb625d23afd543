"""Options shared by command families, and the one place that turns them into the request objects
passed down (a render option: a click option here, a Settings field, one line in `render_request`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # the request types import troposphere; --help must not
    from ingress2cfn.aws.clients import AwsClients
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


def _namespace(value: str) -> str:
    from ingress2cfn.input.names import dns1123_label

    why = dns1123_label(value)
    if why is not None:
        raise click.BadParameter(f"{value!r}: {why}")
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
            metavar="FILE",
            help="VPC description: `aws ec2 describe-vpcs/describe-subnets/describe-security-groups` output merged with `jq -s add`, or the compact form (README).",
        ),
        click.option("--cluster", required=required, help="EKS cluster name: enters names, tags and subnet filtering."),
        click.option(
            "-n",
            "--namespace",
            default="default",
            show_default=True,
            callback=lambda ctx, param, value: _namespace(value),
            help="Namespace for objects that have none, as kubectl.",
        ),
        click.option("--ingress-class", default="alb", show_default=True, help="As the controller's --ingress-class flag."),
        click.option(
            "--namespaces",
            "namespaces_file",
            default=None,
            type=click.Path(dir_okay=False),
            metavar="FILE",
            help="The cluster's Namespaces (`kubectl get namespaces -o yaml`), whose labels IngressClassParams namespaceSelectors "
            "match. Namespace objects among the manifests are never used for that (README: untrusted pull requests).",
        ),
        click.option("--vpc-id", default=None, help="The cluster's VPC, when the description holds several."),
        click.option(
            "--node-security-group", default=None, metavar="SG_ID", help="Worker node security group (default: the one tagged kubernetes.io/cluster/<cluster>)."
        ),
        click.option("--backend-security-group-id", default=None, metavar="SG_ID", help="Deployed backend SG id, to fill the bindings' networking rules."),
        click.option(
            "--hash-service-uid", is_flag=True, help="Hash Service metadata.uid into target group names exactly as the controller (to adopt its target groups)."
        ),
        click.option(
            "--oidc-secret-prefix",
            default=None,
            metavar="PREFIX",
            callback=lambda ctx, param, value: _secret_prefix(value),
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


def _stack(options: list[Callable[[Callable[..., Any]], Callable[..., Any]]]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def aws_clients(inputs: dict[str, Any], default_region: str | None = None) -> AwsClients:
    from ingress2cfn.aws.clients import AwsClients

    region = inputs.get("aws_region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or default_region
    return AwsClients(region=region, profile=inputs.get("aws_profile"), retry_mode=inputs.get("aws_retry_mode") or "standard")


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
        settings=settings,
        fmt=Format(fmt),
        backend_security_group_id=inputs["backend_security_group_id"],
        previous_dir=previous_dir,
        namespaces_file=inputs.get("namespaces_file"),
    )


def certificate_source(inputs: dict[str, Any]) -> Any:
    """The live ACM source for --discover-certificates, else None (offline)."""
    if not inputs.get("discover_certificates"):
        return None
    from ingress2cfn.aws.acm import certificate_source as acm_source

    return acm_source(aws_clients(inputs))
