"""Fixtures for status and the Ingress status write-back.

`kube`: kmock's KubernetesEmulator (PyPI `kmock`) served over real HTTP on 127.0.0.1 and a free
port, from its own event loop in a thread, so the synchronous official `kubernetes` client talks to
it as to an API server. kmock merges patches as plain dicts (a list is replaced whole, which is also
what the API does for status.loadBalancer.ingress) and does not separate the status subresource from
the main resource; tests assert on its recorded requests that writes went to `/status`.

`deployed_2048`: the 2048 example rendered by the CLI against a VPC made in the moto server, then
both stacks created with create_stack (components-checked.md §8: a change-set CREATE leaves no
Outputs in moto, create_stack does)."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingress2cfn.cli import EXIT_OK, main
from ingress2cfn.model.metadata import read_template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_2048 = ROOT / "examples/2048/2048_full.yaml"
CLUSTER = "my-cluster"
REGION = "us-east-1"


@dataclass
class Kube:
    url: str
    emulator: Any  # kmock.KubernetesEmulator: iterate it for the recorded requests

    def networking(self) -> Any:
        from kubernetes import client

        config = client.Configuration()
        config.host = self.url
        return client.NetworkingV1Api(client.ApiClient(config))

    def requests(self) -> list[Any]:
        return list(self.emulator)

    def create_ingress(self, namespace: str, name: str) -> None:
        self.networking().create_namespaced_ingress(namespace, ingress_manifest(namespace, name))


@pytest.fixture
def kube():
    import kmock

    started = threading.Event()
    box: dict[str, Any] = {}

    async def serve() -> None:
        box["stop"] = asyncio.Event()
        async with kmock.KubernetesEmulator() as emulator, kmock.Server(emulator, host="127.0.0.1") as server:
            box.update(emulator=emulator, url=str(server.url).rstrip("/"), loop=asyncio.get_running_loop())
            started.set()
            await box["stop"].wait()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    assert started.wait(30), "kmock did not start"
    try:
        yield Kube(box["url"], box["emulator"])
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(10)


def ingress_manifest(namespace: str, name: str) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"ingressClassName": "alb", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
    }


@dataclass
class Deployed:
    group_stack: str
    cluster_stack: str
    target_group_arn: str
    dns_name: str
    vpc_file: Path


def _vpc_description(ec2: Any, out: Path) -> Path:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": f"kubernetes.io/cluster/{CLUSTER}", "Value": "shared"}])
    for cidr, az in (("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        ec2.create_tags(
            Resources=[subnet], Tags=[{"Key": "kubernetes.io/role/elb", "Value": "1"}, {"Key": f"kubernetes.io/cluster/{CLUSTER}", "Value": "shared"}]
        )
    sg = ec2.create_security_group(GroupName="nodes", Description="nodes", VpcId=vpc)["GroupId"]
    ec2.create_tags(Resources=[sg], Tags=[{"Key": f"kubernetes.io/cluster/{CLUSTER}", "Value": "owned"}])
    description: dict[str, Any] = {}
    description.update(ec2.describe_vpcs(VpcIds=[vpc]))
    description.update(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}]))
    description.update(ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}]))
    description.pop("ResponseMetadata", None)
    out.write_text(json.dumps(description, default=str), encoding="utf-8")
    return out


def _create(cfn: Any, text: str, parameters: list[dict[str, str]] | None = None) -> str:
    meta = read_template(yaml.safe_load(text))
    assert meta.stack_name
    cfn.create_stack(StackName=meta.stack_name, TemplateBody=text, Parameters=parameters or [], Tags=[{"Key": k, "Value": v} for k, v in meta.stack_tags])
    cfn.get_waiter("stack_create_complete").wait(StackName=meta.stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return meta.stack_name


@pytest.fixture
def deployed_2048(aws, tmp_path) -> Deployed:
    """The 2048 group stack and the cluster stack, CREATE_COMPLETE in the moto server; no targets yet."""
    import boto3

    ec2 = boto3.client("ec2", region_name=REGION)
    cfn = boto3.client("cloudformation", region_name=REGION)
    vpc_file = _vpc_description(ec2, tmp_path / "vpc.json")
    out = tmp_path / "out"
    assert main(["render", "-f", str(EXAMPLE_2048), "--vpc", str(vpc_file), "--cluster", CLUSTER, "--out", str(out)]) == EXIT_OK
    templates = sorted(p for p in out.glob("*.yaml") if not p.name.endswith(".bindings.yaml"))
    cluster_file = next(p for p in templates if "-cluster-" in p.name)
    group_file = next(p for p in templates if p != cluster_file)
    cluster_stack = _create(cfn, cluster_file.read_text(encoding="utf-8"))
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=cluster_stack)["Stacks"][0]["Outputs"]}
    group_stack = _create(
        cfn, group_file.read_text(encoding="utf-8"), [{"ParameterKey": "BackendSecurityGroupId", "ParameterValue": outputs["BackendSecurityGroupId"]}]
    )
    group_outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=group_stack)["Stacks"][0]["Outputs"]}
    tg_arn = next(v for k, v in group_outputs.items() if k.startswith("TargetGroup"))
    return Deployed(group_stack, cluster_stack, tg_arn, group_outputs["LoadBalancerDNSName"], vpc_file)
