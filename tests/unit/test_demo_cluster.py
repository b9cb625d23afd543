"""The demo's stand-in for a cluster (cli/demo_cluster.py): what it writes must be what sync reads
into the targets a real cluster would give for the 2048 example."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import yaml

from ingress2cfn.cli.demo_cluster import MAX_PODS, cluster_objects
from ingress2cfn.k8s.files import flatten
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.desired import desired_targets
from ingress2cfn.sync.objects import parse_state

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/2048"


def manifests() -> list:
    return list(yaml.safe_load_all((EXAMPLE / "2048_full.yaml").read_text(encoding="utf-8")))


def vpc() -> dict:
    return yaml.safe_load((EXAMPLE / "vpc.yaml").read_text(encoding="utf-8"))


def private_networks(description: dict) -> list:
    return [
        ipaddress.ip_network(s["CidrBlock"]) for s in description["Subnets"] if any(t["Key"] == "kubernetes.io/role/internal-elb" for t in s.get("Tags", []))
    ]


def binding() -> object:
    doc = {
        "apiVersion": "elbv2.k8s.aws/v1beta1",
        "kind": "TargetGroupBinding",
        "metadata": {"name": "k8s-game2048-service2-c15b96aad5", "namespace": "game-2048"},
        "spec": {
            "targetGroupName": "k8s-game2048-service2-c15b96aad5",
            "targetType": "ip",
            "serviceRef": {"name": "service-2048", "port": 80},
            "ipAddressType": "ipv4",
        },
    }
    [parsed] = parse_bindings([(doc, None)])
    return parsed


def test_sync_reads_the_deployments_replicas_as_ready_targets_in_the_private_subnets():
    objects = cluster_objects(manifests(), vpc())
    text = yaml.safe_dump(objects, sort_keys=False)
    assert "&id" not in text  # no YAML anchors: each object stands alone, as kubectl prints them
    state = parse_state(flatten(yaml.safe_load(text), None))
    desired = desired_targets(binding(), state)
    assert desired.problem is None
    assert len(desired.targets) == 5  # Deployment deployment-2048: replicas 5
    assert {t.port for t in desired.targets} == {80}
    networks = private_networks(vpc())
    assert all(any(ipaddress.ip_address(t.id) in n for n in networks) for t in desired.targets)
    assert len({t.id for t in desired.targets}) == 5
    pods = {p.name for p in state.pods.values()}
    assert set(desired.pods.values()) == pods
    nodes = {n.name: n for n in state.nodes.values()}
    assert len(nodes) == 3 and all(n.ready == "True" and n.instance_id for n in nodes.values())  # one per AZ (1a, 1b, 1c)
    [service] = state.services.values()
    assert service.ports[0].node_port is not None  # a NodePort Service gets one, as the API server assigns


def test_replicas_are_capped_and_a_deployment_without_a_service_gets_no_slice():
    docs = manifests()
    deployment = next(d for d in docs if d and d["kind"] == "Deployment")
    deployment["spec"]["replicas"] = 10_000
    lonely = {"kind": "Deployment", "metadata": {"name": "worker", "namespace": "game-2048"}, "spec": {"template": {"metadata": {"labels": {"app": "w"}}}}}
    items = cluster_objects([*docs, lonely, "not a mapping", None], vpc())["items"]
    pods = [o for o in items if o["kind"] == "Pod"]
    assert len([p for p in pods if p["metadata"]["name"].startswith("deployment-2048-")]) == MAX_PODS
    assert len([p for p in pods if p["metadata"]["name"].startswith("worker-")]) == 1
    [eps] = [o for o in items if o["kind"] == "EndpointSlice"]
    assert eps["metadata"]["labels"]["kubernetes.io/service-name"] == "service-2048" and len(eps["endpoints"]) == MAX_PODS
    assert len({e["addresses"][0] for e in eps["endpoints"]}) == MAX_PODS
