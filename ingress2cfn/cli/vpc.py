"""`ingress2cfn vpc export`: the VPC description file that offline `render` and CI read, written from
the same EC2 calls as `--vpc aws`."""

from __future__ import annotations

import json
from typing import Any

import click

from ingress2cfn.cli.console import note
from ingress2cfn.cli.options import CONTEXT, aws_clients, aws_options


@click.group("vpc", context_settings=CONTEXT)
def vpc_group() -> None:
    """The VPC description (subnets and security groups) that render reads."""


@vpc_group.command("export", context_settings=CONTEXT)
@click.option(
    "--vpc-id", default=None, metavar="VPC_ID", help="The VPC to describe (default: the one tagged kubernetes.io/cluster/<cluster>, else the only one)."
)
@click.option("--cluster", default=None, help="EKS cluster name: finds its VPC by the kubernetes.io/cluster/<cluster> tag.")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE", help="Write here instead of stdout.")
@aws_options()
def export(vpc_id: str | None, cluster: str | None, output: str, **inputs: Any) -> None:
    """Write the VPC description as JSON: `describe-vpcs`, `describe-subnets` and
    `describe-security-groups` of one VPC merged, keys and lists sorted, so the same VPC always
    gives the same file and a diff shows only real changes.

    \b
      ingress2cfn vpc export --cluster my-cluster > vpc.json
      ingress2cfn render -f k8s/ --vpc vpc.json --cluster my-cluster
    """
    from ingress2cfn.aws.ec2 import describe_vpc
    from ingress2cfn.input.vpc import vpc_from_description

    clients = aws_clients(inputs)
    data = describe_vpc(clients, vpc_id, cluster)
    if not data["Vpcs"]:
        raise click.ClickException(f"EC2 returned no VPC {vpc_id}")
    chosen = data["Vpcs"][0]["VpcId"]
    vpc = vpc_from_description(data, f"aws:{chosen}", chosen)  # what render will read: fail here, not there
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as out:
        out.write(text)
    note(f"VPC {vpc.id}: {len(vpc.subnets)} subnets, {len(vpc.security_groups)} security groups" + ("" if output == "-" else f" → {output}"))
