"""A sync round against target groups in the moto server (tests/conftest.py). moto keys targets by
Id only and reports every target healthy at once, so every pod here has its own IP, and health
states come from Stubber (tests/sync/test_health_states.py)."""

from __future__ import annotations

import boto3
import pytest
from sync_kit import binding, endpoint, endpoint_slice, make_target_group, node, pod, registered, service

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.engine import Syncer
from ingress2cfn.sync.objects import parse_state
from ingress2cfn.sync.ownership import MemoryOwnership
from ingress2cfn.sync.sources import FileSource

REGION = "us-east-1"


@pytest.fixture
def elbv2(aws):
    return boto3.client("elbv2", region_name=REGION)


@pytest.fixture
def ec2(aws):
    return boto3.client("ec2", region_name=REGION)


def syncer(objects, bindings, ownership=None, **kw) -> Syncer:
    return Syncer(
        AwsClients(region=REGION), FileSource([(o, None) for o in objects]), parse_bindings((b, None) for b in bindings), ownership or MemoryOwnership(), **kw
    )


def test_first_sync_registers_ready_endpoints_and_second_is_a_no_op(elbv2, ec2):
    vpc, arn = make_target_group(elbv2, ec2, "tg-web")
    objects = [
        service(),
        endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("10.0.1.2", "b"), endpoint("10.0.1.3", "c", ready=False), endpoint("192.168.0.9", "d")]),
        endpoint_slice("web-2", [endpoint("10.0.1.4", "e", terminating=True, ready=False)]),
        pod("c", containers_ready=False),
    ]
    s = syncer(objects, [binding("tg-web", vpcID=vpc)])
    report = s.run_once()
    (outcome,) = report.outcomes
    assert outcome.applied and not report.failed
    assert {(t.id, t.port, t.az) for t in outcome.plan.register} == {("10.0.1.1", 8080, None), ("10.0.1.2", 8080, None), ("192.168.0.9", 8080, "all")}
    assert registered(elbv2, arn) == {("10.0.1.1", 8080), ("10.0.1.2", 8080), ("192.168.0.9", 8080)}
    again = s.run_once()
    assert again.outcomes[0].plan.empty


def test_scale_down_deregisters_after_registering(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.1.1", "Port": 8080}, {"Id": "10.0.9.9", "Port": 8080}])
    calls: list[str] = []
    s = syncer([service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("10.0.1.5", "f")])], [binding("tg-web")])
    s.clients.client("elbv2").meta.events.register("before-call", lambda model, **_: calls.append(model.name))
    s.run_once()
    assert registered(elbv2, arn) == {("10.0.1.1", 8080), ("10.0.1.5", 8080)}  # the stale 10.0.9.9 is gone (exclusive)
    assert calls == ["DescribeTargetGroups", "DescribeTargetHealth", "RegisterTargets", "DeregisterTargets"]


def test_multi_cluster_target_group_keeps_the_other_clusters_targets(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-shared")
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.7.7", "Port": 8080}])  # "another cluster"
    ownership = MemoryOwnership()
    first = syncer([service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("10.0.1.2", "b")])], [binding("tg-shared", multi=True)], ownership)
    first.run_once()
    assert registered(elbv2, arn) == {("10.0.7.7", 8080), ("10.0.1.1", 8080), ("10.0.1.2", 8080)}
    second = syncer([service(), endpoint_slice("web-1", [endpoint("10.0.1.2", "b")])], [binding("tg-shared", multi=True)], ownership)
    second.run_once()
    assert registered(elbv2, arn) == {("10.0.7.7", 8080), ("10.0.1.2", 8080)}
    assert {t.key for t in ownership.read(second.bindings[0])} == {"10.0.1.2:8080"}


def test_instance_mode_registers_ready_nodes_on_the_node_port(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-inst", target_type="instance", port=30080)
    instances = [i["InstanceId"] for i in ec2.run_instances(ImageId="ami-12345678", MinCount=3, MaxCount=3)["Instances"]]
    objects = [
        service(),
        node("a", instances[0]),
        node("b", instances[1], taints=[{"key": "ToBeDeletedByClusterAutoscaler", "effect": "NoSchedule"}]),
        node("c", instances[2], labels={"node.kubernetes.io/exclude-from-external-load-balancers": ""}),
    ]
    syncer(objects, [binding("tg-inst", target_type="instance", port=80)]).run_once()
    assert registered(elbv2, arn) == {(instances[0], 30080)}


def test_dry_run_calls_no_mutation(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    s = syncer([service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])], [binding("tg-web")], dry_run=True)
    report = s.run_once()
    assert [t.key for t in report.outcomes[0].plan.register] == ["10.0.1.1:8080"]
    assert registered(elbv2, arn) == set()


def test_missing_service_leaves_the_target_group_alone(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.1.1", "Port": 8080}])
    report = syncer([], [binding("tg-web")]).run_once()
    assert report.failed and "Service shop/web not found" in report.outcomes[0].problem
    assert registered(elbv2, arn) == {("10.0.1.1", 8080)}


def test_unknown_target_group_is_a_located_error_and_others_go_on(elbv2, ec2):
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    report = syncer([service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])], [binding("tg-missing"), binding("tg-web")]).run_once()
    errors = {o.binding.name: o.error for o in report.outcomes}
    assert "finding target group tg-missing" in errors["tg-missing"] and errors["tg-web"] is None
    assert registered(elbv2, arn) == {("10.0.1.1", 8080)}


def test_parse_state_is_used_for_the_file_source():
    state = parse_state([(service(), None)])
    assert ("shop", "web") in state.services
