"""Desired targets (§12), table-driven on parsed cluster objects; parsing errors are located."""

from __future__ import annotations

import ipaddress

import pytest
import yaml
from sync_kit import binding, endpoint, endpoint_slice, node, pod, service

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.loader import parse_text
from ingress2cfn.k8s.files import flatten
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.desired import desired_targets
from ingress2cfn.sync.objects import parse_state

VPC = (ipaddress.ip_network("10.0.0.0/16"),)


def run(b: dict, *objects: dict, cidrs=VPC):
    (parsed,) = parse_bindings([(b, None)])
    return desired_targets(parsed, parse_state([(o, None) for o in objects]), cidrs)


def keys(desired) -> list[str]:
    return sorted(t.key + (f"@{t.az}" if t.az else "") for t in desired.targets)


IP_CASES = [
    ("ready", [endpoint("10.0.1.1", "a")], [], ["10.0.1.1:8080"]),
    ("ready-unknown-counts-as-ready", [endpoint("10.0.1.1", "a", ready=None)], [], ["10.0.1.1:8080"]),
    ("terminating-out", [endpoint("10.0.1.1", "a", ready=False, terminating=True)], [pod("a")], []),
    ("held-back-by-gate-only-in", [endpoint("10.0.1.1", "a", ready=False)], [pod("a"), node("node-a", "i-1")], ["10.0.1.1:8080"]),
    ("containers-not-ready-out", [endpoint("10.0.1.1", "a", ready=False)], [pod("a", containers_ready=False), node("node-a", "i-1")], []),
    ("node-not-ready-out", [endpoint("10.0.1.1", "a", ready=False)], [pod("a"), node("node-a", "i-1", ready="False")], []),
    ("unknown-node-is-fallback", [endpoint("10.0.1.1", "a", ready=False)], [pod("a"), node("node-a", "i-1", ready="Unknown")], ["10.0.1.1:8080"]),
    (
        "fallback-unused-when-others",
        [endpoint("10.0.1.1", "a", ready=False), endpoint("10.0.1.2", "b")],
        [pod("a"), node("node-a", "i-1", ready="Unknown")],
        ["10.0.1.2:8080"],
    ),
    ("outside-vpc-az-all", [endpoint("100.64.0.9", "a")], [], ["100.64.0.9:8080@all"]),
    ("no-pod-ref-out", [{"addresses": ["10.0.1.1"], "conditions": {"ready": True}}], [], []),
]


@pytest.mark.parametrize("eps, extra, expected", [c[1:] for c in IP_CASES], ids=[c[0] for c in IP_CASES])
def test_ip_mode(eps, extra, expected):
    assert keys(run(binding("tg"), service(), endpoint_slice("s1", eps), *extra)) == expected


def test_ip_mode_port_by_name_and_family():
    other_port = endpoint_slice("s2", [endpoint("10.0.2.2", "b")], port=("metrics", 9090))
    v6 = endpoint_slice("s3", [endpoint("fd00::1", "c")], family="IPv6")
    assert keys(run(binding("tg"), service(), endpoint_slice("s1", [endpoint("10.0.1.1", "a")]), other_port, v6)) == ["10.0.1.1:8080"]
    assert keys(run(binding("tg", ipAddressType="ipv6"), service(), v6, cidrs=None)) == ["fd00::1:8080"]
    by_number = run(binding("tg", port=80), service(), endpoint_slice("s1", [endpoint("10.0.1.1", "a")]))
    assert keys(by_number) == ["10.0.1.1:8080"]


INSTANCE_CASES = [
    ("ready", [node("a", "i-1")], {}, ["i-1:30080"]),
    ("excluded-label", [node("a", "i-1", labels={"node.kubernetes.io/exclude-from-external-load-balancers": ""})], {}, []),
    ("fargate", [node("a", "i-1", labels={"eks.amazonaws.com/compute-type": "fargate"})], {}, []),
    ("autoscaler-removal", [node("a", "i-1", taints=[{"key": "ToBeDeletedByClusterAutoscaler", "effect": "NoSchedule"}])], {}, []),
    ("karpenter-disrupted", [node("a", "i-1", taints=[{"key": "karpenter.sh/disrupted", "effect": "NoSchedule"}])], {}, []),
    ("other-taint-kept", [node("a", "i-1", taints=[{"key": "dedicated", "effect": "NoSchedule"}])], {}, ["i-1:30080"]),
    ("not-ready-out", [node("a", "i-1", ready="False"), node("b", "i-2")], {}, ["i-2:30080"]),
    ("fail-open-unknown", [node("a", "i-1", ready="Unknown"), node("b", "i-2", ready="False")], {}, ["i-1:30080"]),
    ("node-selector", [node("a", "i-1", labels={"role": "web"}), node("b", "i-2")], {"nodeSelector": {"matchLabels": {"role": "web"}}}, ["i-1:30080"]),
]


@pytest.mark.parametrize("nodes, spec, expected", [c[1:] for c in INSTANCE_CASES], ids=[c[0] for c in INSTANCE_CASES])
def test_instance_mode(nodes, spec, expected):
    assert keys(run(binding("tg", target_type="instance", port=80, **spec), service(), *nodes)) == expected


@pytest.mark.parametrize(
    "svc, message",
    [
        (None, "Service shop/web not found"),
        (service(type="ClusterIP"), "service type must be either 'NodePort' or 'LoadBalancer'"),
        (service(ports=[{"name": "http", "port": 80}]), "has no nodePort"),
        (service(ports=[{"name": "grpc", "port": 81, "nodePort": 30081}]), "has no port 80"),
    ],
)
def test_instance_mode_problems_leave_the_group_alone(svc, message):
    desired = run(binding("tg", target_type="instance", port=80), *([svc] if svc else []), node("a", "i-1"))
    assert message in desired.problem and desired.targets == frozenset()


@pytest.mark.parametrize(
    "text, where",
    [
        ("kind: EndpointSlice\nmetadata: {name: s, namespace: shop}\nports: [{name: http, port: eighty}]\n", "EndpointSlice shop/s ports[0].port"),
        ("kind: Node\nmetadata: {name: n}\nspec: {providerID: 7}\n", "Node n spec.providerID"),
        ("kind: Pod\nmetadata: {namespace: shop}\n", "metadata.name"),
        (
            "kind: List\nitems:\n  - kind: Service\n    metadata: {name: web, namespace: shop}\n    spec: {ports: [{port: 0}]}\n",
            "Service shop/web items[0].spec.ports[0].port",
        ),
    ],
)
def test_bad_objects_are_located_errors(text, where):
    with pytest.raises(InputError) as err:
        parse_state(o for d in parse_text(text, "c.yaml") for o in flatten(d.data, d.loc))
    assert str(err.value).startswith("c.yaml:") and where in str(err.value)


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"targetType": "lambda"}, "spec.targetType: must be ip or instance"),
        ({"serviceRef": {"name": "web"}}, "spec.serviceRef.port: must be a port number or a port name"),
        ({"targetGroupName": None}, "needs targetGroupARN or targetGroupName"),
    ],
)
def test_bad_bindings_are_located_errors(spec, message):
    b = binding("tg")
    b["spec"].update(spec)
    if spec.get("targetGroupName", "") is None:
        del b["spec"]["targetGroupName"]
    text = parse_text(yaml.safe_dump(b), "b.yaml")
    with pytest.raises(InputError) as err:
        parse_bindings([(text[0].data, text[0].loc)])
    assert "TargetGroupBinding shop/tg" in str(err.value) and message in str(err.value)
