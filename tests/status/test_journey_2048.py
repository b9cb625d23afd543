"""The guide's 2048 journey end to end, every step through the real CLI (`ingress2cfn.cli.main`):
the example VPC made in the moto server, `deploy`, the game-2048 objects created in kmock (served
over HTTP, conftest.py `kube`) as `kubectl apply` plus the cluster's controllers would leave them,
`sync --stack --kubeconfig`, then the Ingress status in kmock and `status --format json`. And the
status write-back of `deploy` itself, with and without a cluster configured.

What the emulators cannot show, and what stands in for it: kmock assigns no nodePort and runs no
EndpointSlice controller, so the test writes the nodePort, the EndpointSlice (5 ready endpoints),
the Pods and the Nodes itself; moto reports a registered target `healthy` at once
(components-checked.md §8 7f), so "5 healthy" means "the 5 synced endpoints are registered"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import yaml
from kit import kubeconfig

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.aws.ec2_create import create_like
from ingress2cfn.cli import EXIT_OK, main
from ingress2cfn.status.json_report import schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/2048"
CLUSTER = "my-cluster"
REGION = "us-east-1"
NS = "game-2048"
# Pods in the example VPC's private subnets (10.0.128.0/19 in 1a, 10.0.160.0/19 in 1b), two nodes.
PODS = {
    "deployment-2048-6c9d8b7f5-a1": ("10.0.128.21", "ip-10-0-128-5.ec2.internal"),
    "deployment-2048-6c9d8b7f5-b2": ("10.0.128.22", "ip-10-0-128-5.ec2.internal"),
    "deployment-2048-6c9d8b7f5-c3": ("10.0.128.23", "ip-10-0-128-5.ec2.internal"),
    "deployment-2048-6c9d8b7f5-d4": ("10.0.160.31", "ip-10-0-160-6.ec2.internal"),
    "deployment-2048-6c9d8b7f5-e5": ("10.0.160.32", "ip-10-0-160-6.ec2.internal"),
}
NODES = {"ip-10-0-128-5.ec2.internal": "aws:///us-east-1a/i-0a1b2c3d4e5f60001", "ip-10-0-160-6.ec2.internal": "aws:///us-east-1b/i-0a1b2c3d4e5f60002"}


def example_vpc(tmp_path: Path) -> Path:
    """examples/2048/vpc.yaml made in moto; its description, with moto's ids, for --vpc."""
    description = create_like(AwsClients(region=REGION), yaml.safe_load((EXAMPLE / "vpc.yaml").read_text(encoding="utf-8")))
    path = tmp_path / "vpc.json"
    path.write_text(json.dumps(description, default=str), encoding="utf-8")
    return path


def manifest(kind: str) -> dict[str, Any]:
    return next(d for d in yaml.safe_load_all((EXAMPLE / "2048_full.yaml").read_text(encoding="utf-8")) if d and d["kind"] == kind)


def apply_2048(url: str) -> None:
    """`kubectl apply -f 2048_full.yaml` (Service, Ingress; not the Namespace: kmock cannot parse
    POST /api/v1/namespaces and needs none), plus what the cluster would add: the Service's
    nodePort, the Pods of the Deployment on two Ready nodes, and the EndpointSlice with their 5
    ready endpoints."""
    from kubernetes import client

    config = client.Configuration()
    config.host = url
    api = client.ApiClient(config)
    core, discovery, networking = client.CoreV1Api(api), client.DiscoveryV1Api(api), client.NetworkingV1Api(api)
    service = manifest("Service")
    service["spec"]["ports"][0]["nodePort"] = 31380
    core.create_namespaced_service(NS, service)
    networking.create_namespaced_ingress(NS, manifest("Ingress"))
    for name, provider in NODES.items():
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": {"providerID": provider}}
        node["status"] = {"conditions": [{"type": "Ready", "status": "True"}]}
        core.create_node(node)
    for name, (ip, node_name) in PODS.items():
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": NS, "labels": {"app.kubernetes.io/name": "app-2048"}}}
        pod["spec"] = {"nodeName": node_name, "containers": [{"name": "app-2048", "image": "public.ecr.aws/l6m2t8p7/docker-2048:latest"}]}
        pod["status"] = {"podIP": ip, "conditions": [{"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}]}
        core.create_namespaced_pod(NS, pod)
    endpoints = [
        {
            "addresses": [ip],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "nodeName": node,
            "targetRef": {"kind": "Pod", "name": name, "namespace": NS},
        }
        for name, (ip, node) in sorted(PODS.items())
    ]
    discovery.create_namespaced_endpoint_slice(
        NS,
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "service-2048-x7k2p", "namespace": NS, "labels": {"kubernetes.io/service-name": "service-2048"}},
            "addressType": "IPv4",
            "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
            "endpoints": endpoints,
        },
    )


def deployed_outputs(out: str) -> dict[str, dict[str, str]]:
    """`deploy`'s closing lines `STACK  KEY = VALUE`, per stack."""
    found: dict[str, dict[str, str]] = {}
    for line in out.splitlines():
        head, sep, value = line.partition(" = ")
        if sep and len(head.split()) == 2:
            stack, key = head.split()
            found.setdefault(stack, {})[key] = value
    return found


def test_deploy_sync_then_ingress_status_and_status_show_the_alb_and_5_healthy_targets(aws, kube, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)  # the kubeconfig, never an in-cluster config
    vpc = example_vpc(tmp_path)
    inputs = ["-f", str(EXAMPLE / "2048_full.yaml"), "--vpc", str(vpc), "--cluster", CLUSTER]

    assert main(["deploy", *inputs, "--yes"]) == EXIT_OK
    outputs = deployed_outputs(capsys.readouterr().out)
    [(group_stack, group_outputs)] = [(s, o) for s, o in outputs.items() if "LoadBalancerDNSName" in o]
    dns_name = group_outputs["LoadBalancerDNSName"]
    assert dns_name.startswith("k8s-game2048-ingress2-")

    apply_2048(kube.url)
    assert main(["sync", "--stack", group_stack, "--kubeconfig", str(kubeconfig(tmp_path, kube.url))]) == EXIT_OK
    synced = capsys.readouterr()
    assert "5 desired, registered 5, deregistered 0" in synced.out, synced
    assert "Ingress game-2048/ingress-2048: status.loadBalancer written" in synced.err  # by sync: deploy had no cluster

    ingress = kube.networking().read_namespaced_ingress("ingress-2048", NS)
    [entry] = ingress.status.load_balancer.ingress
    assert entry.hostname == dns_name.lower()
    assert [(p.port, p.protocol) for p in entry.ports] == [(80, "TCP")]
    assert any(str(r.method).upper().endswith("PATCH") and r.subresource == "status" and r.name == "ingress-2048" for r in kube.requests())

    code = main(["status", "--stack", group_stack, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert code == EXIT_OK and document["ok"] is True, document["problems"]
    [stack] = document["stacks"]
    assert (stack["stackName"], stack["status"]) == (group_stack, "CREATE_COMPLETE")
    assert stack["members"] == ["game-2048/ingress-2048"]
    [alb] = stack["loadBalancers"]
    assert (alb["dnsName"], alb["scheme"]) == (dns_name, "internet-facing")
    [tg] = stack["targetGroups"]
    assert tg["service"] == "game-2048/service-2048:80" and tg["serving"] is True
    assert tg["targets"]["healthy"] == 5 and tg["targets"]["unhealthy"] == 0

    elbv2 = boto3.client("elbv2", region_name=REGION)
    [arn] = [g["TargetGroupArn"] for g in elbv2.describe_target_groups(Names=[tg["name"]])["TargetGroups"]]
    registered = {(d["Target"]["Id"], d["Target"]["Port"]) for d in elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]}
    assert registered == {(ip, 80) for ip, _ in PODS.values()}


def hostnames(kube) -> list[str]:
    status = kube.networking().read_namespaced_ingress("ingress-2048", NS).status
    balancer = status.load_balancer if status else None
    return [e.hostname for e in balancer.ingress or []] if balancer else []


def test_deploy_writes_the_ingress_status_when_a_cluster_is_configured(aws, kube, tmp_path, capsys, monkeypatch):
    """The guide's order: the manifests applied first, then the deploy. With a cluster configured
    (here KUBECONFIG) deploy writes the address itself, also when nothing changed;
    --no-write-status leaves the Ingress alone."""
    apply_2048(kube.url)
    vpc = example_vpc(tmp_path)
    inputs = ["-f", str(EXAMPLE / "2048_full.yaml"), "--vpc", str(vpc), "--cluster", CLUSTER]
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig(tmp_path, kube.url)))

    assert main(["deploy", *inputs, "--yes", "--no-write-status"]) == EXIT_OK
    assert "status.loadBalancer written" not in capsys.readouterr().err
    assert hostnames(kube) == []

    assert main(["deploy", *inputs, "--yes"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "no changes" in captured.err
    assert "Ingress game-2048/ingress-2048: status.loadBalancer written" in captured.err
    [alb] = boto3.client("elbv2", region_name=REGION).describe_load_balancers()["LoadBalancers"]
    assert hostnames(kube) == [alb["DNSName"].lower()]


def test_deploy_without_a_cluster_says_the_status_is_left_to_sync(aws, tmp_path, capsys):
    """The `aws` fixture points KUBECONFIG at a file that does not exist: a pipeline with AWS access only."""
    vpc = example_vpc(tmp_path)
    assert main(["deploy", "-f", str(EXAMPLE / "2048_full.yaml"), "--vpc", str(vpc), "--cluster", CLUSTER, "--yes"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "Ingress status not written: no Kubernetes configuration" in err
    assert "warning: Ingress status" not in err
