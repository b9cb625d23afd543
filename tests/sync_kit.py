"""Builders for sync tests: cluster objects as the API prints them, and target groups in moto."""

from __future__ import annotations

from typing import Any

NS = "shop"


def service(name: str = "web", ports: list[dict] | None = None, type: str = "NodePort", namespace: str = NS) -> dict[str, Any]:
    ports = ports if ports is not None else [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace}, "spec": {"type": type, "ports": ports}}


def endpoint(ip: str, pod: str, ready: bool | None = True, terminating: bool = False, node: str = "node-a") -> dict[str, Any]:
    conditions: dict[str, Any] = {"terminating": terminating}
    if ready is not None:
        conditions["ready"] = ready
    return {"addresses": [ip], "conditions": conditions, "targetRef": {"kind": "Pod", "name": pod, "namespace": NS}, "nodeName": node}


def endpoint_slice(name: str, endpoints: list[dict], service: str = "web", port: tuple[str, int] = ("http", 8080), family: str = "IPv4") -> dict[str, Any]:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": name, "namespace": NS, "labels": {"kubernetes.io/service-name": service}},
        "addressType": family,
        "ports": [{"name": port[0], "port": port[1], "protocol": "TCP"}],
        "endpoints": endpoints,
    }


def pod(name: str, containers_ready: bool = True, gates: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NS},
        "spec": {"containers": [{"name": "app", "image": "app:1"}], "readinessGates": [{"conditionType": g} for g in gates]},
        "status": {"conditions": [{"type": "ContainersReady", "status": "True" if containers_ready else "False"}]},
    }


def node(name: str, instance: str, ready: str = "True", labels: dict | None = None, taints: list | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"providerID": f"aws:///us-east-1a/{instance}", "taints": taints or []},
        "status": {"conditions": [{"type": "Ready", "status": ready}]},
    }


def binding(name: str, target_type: str = "ip", port: int | str = "http", service: str = "web", multi: bool = False, **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"targetGroupName": name, "targetType": target_type, "serviceRef": {"name": service, "port": port}, "ipAddressType": "ipv4"}
    if multi:
        body["multiClusterTargetGroup"] = True
    body.update(spec)
    return {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding", "metadata": {"name": name, "namespace": NS}, "spec": body}


def make_target_group(elbv2: Any, ec2: Any, name: str, target_type: str = "ip", port: int = 8080) -> tuple[str, str]:
    """(vpc id, target group ARN) in moto."""
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr-block-association.cidr-block", "Values": ["10.0.0.0/16"]}])["Vpcs"]
    vpc = vpcs[0]["VpcId"] if vpcs else ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    arn = elbv2.create_target_group(Name=name, Protocol="HTTP", Port=port, VpcId=vpc, TargetType=target_type)["TargetGroups"][0]["TargetGroupArn"]
    return vpc, arn


def registered(elbv2: Any, arn: str) -> set[tuple[str, int]]:
    return {
        (d["Target"]["Id"], d["Target"]["Port"])
        for d in elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
        if d["TargetHealth"]["State"] not in ("unused", "draining", "unavailable")
    }
