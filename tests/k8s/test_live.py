"""The live path through the official client against kmock over HTTP (tests/k8s/conftest.py), and
the AWS side against moto: reader, ownership ConfigMap, Lease, readiness-gate patch, one sync round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from sync_kit import NS, binding, endpoint, endpoint_slice, make_target_group, node, pod, registered, service

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.k8s.configmaps import ConfigMaps
from ingress2cfn.k8s.lease import LeaseLock
from ingress2cfn.k8s.pods import PodConditions
from ingress2cfn.k8s.reader import LiveReader
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.engine import Syncer
from ingress2cfn.sync.gates import PREFIX, ReadinessGates
from ingress2cfn.sync.ownership import ConfigMapOwnership
from ingress2cfn.sync.sources import LiveSource
from ingress2cfn.sync.targets import Target


def create(api, *objects):
    from kubernetes import client

    core, discovery = client.CoreV1Api(api), client.DiscoveryV1Api(api)
    for o in objects:
        kind = o["kind"]
        if kind == "Service":
            core.create_namespaced_service(NS, o)
        elif kind == "EndpointSlice":
            discovery.create_namespaced_endpoint_slice(NS, o)
        elif kind == "Pod":
            core.create_namespaced_pod(NS, o)
        elif kind == "Node":
            core.create_node(o)


def test_reader_sends_the_selector_and_filters_client_side(api, kube):
    create(
        api,
        service(),
        service("other"),
        endpoint_slice("web-1", [endpoint("10.0.1.1", "a")]),
        endpoint_slice("other-1", [endpoint("10.0.2.2", "x")], service="other"),
    )
    reader = LiveReader(api)
    slices = reader.endpoint_slices(NS, "web")
    assert [s["metadata"]["name"] for s in slices] == ["web-1"]  # kmock returned both; the other was dropped here
    lists = [r for r in kube.requests if "endpointslices" in str(r.url)]
    assert any(r.params.get("labelSelector") == "kubernetes.io/service-name=web" for r in lists)
    assert reader.service(NS, "web")["spec"]["ports"][0]["nodePort"] == 30080
    assert reader.service(NS, "missing") is None  # 404 → None


def test_live_round_registers_and_records_ownership(api, aws):
    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    _, arn = make_target_group(elbv2, ec2, "tg-shared")
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.7.7", "Port": 8080}])  # another cluster's
    create(api, service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("10.0.1.2", "b", ready=False)]), pod("b"), node("node-a", "i-0aaa"))
    bindings = parse_bindings([(binding("tg-shared", multi=True), None)])
    ownership = ConfigMapOwnership(ConfigMaps(api))
    report = Syncer(AwsClients(region="us-east-1"), LiveSource(LiveReader(api)), bindings, ownership).run_once()
    assert not report.failed
    # b is not ready but its containers are and its node is Ready: held back only by a readiness gate → included (§12)
    assert registered(elbv2, arn) == {("10.0.7.7", 8080), ("10.0.1.1", 8080), ("10.0.1.2", 8080)}
    assert ownership.read(bindings[0]) == {Target("10.0.1.1", 8080), Target("10.0.1.2", 8080)}
    assert ConfigMaps(api).read(NS, "ingress2cfn-targets-tg-shared") == {"targets": "10.0.1.1:8080\n10.0.1.2:8080\n"}


def test_readiness_gate_condition_is_set_once_the_target_is_healthy(api, aws):
    """moto reports a registered target healthy at once, so the second round sees it healthy."""
    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    make_target_group(elbv2, ec2, "tg-web")
    gate = PREFIX + "tg-web"
    create(api, service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a", ready=False)]), pod("a", gates=(gate,)), node("node-a", "i-0aaa"))
    gates = ReadinessGates(PodConditions(api))
    syncer = Syncer(
        AwsClients(region="us-east-1"), LiveSource(LiveReader(api)), parse_bindings([(binding("tg-web"), None)]), ConfigMapOwnership(ConfigMaps(api))
    )
    syncer.after_round.append(gates)
    syncer.run_once()
    assert gates.pending == 1  # registered in this round, not yet seen healthy
    syncer.run_once()
    from kubernetes import client

    conditions = {c.type: c.status for c in client.CoreV1Api(api).read_namespaced_pod("a", NS).status.conditions}
    assert conditions[gate] == "True" and gates.pending == 0


def test_lease_one_leader_and_takeover_after_expiry(api):
    now = datetime.now(UTC)
    a, b = LeaseLock(api, NS, "sync", "a"), LeaseLock(api, NS, "sync", "b")
    assert a.try_acquire(now) is True
    assert b.try_acquire(now + timedelta(seconds=5)) is False
    assert a.try_acquire(now + timedelta(seconds=10)) is True  # renew
    assert b.try_acquire(now + timedelta(seconds=40)) is True  # a stopped renewing
    assert a.try_acquire(now + timedelta(seconds=41)) is False
