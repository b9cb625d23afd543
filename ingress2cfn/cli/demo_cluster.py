"""The cluster the demo does not have, as `kubectl get services,endpointslices,pods,nodes -A -o yaml`
would print it after `kubectl apply -f` of the example: the file `sync --endpoints` reads.

For each Deployment, its Pods (all ready, at most MAX_PODS) on one Node per Availability Zone of
the VPC's private subnets (role internal-elb, else any subnet), with IPs from those subnets; for each
Service that selects them, the EndpointSlice the cluster's controller would write and a nodePort
where the type has one. Pure: manifests and the VPC description in, objects out."""

from __future__ import annotations

import copy
import ipaddress
import itertools
from typing import Any

MAX_PODS = 20
PRIVATE_ROLE = "kubernetes.io/role/internal-elb"
FIRST_POD_HOST = 20  # pod IPs are <subnet>+20, +21, ...; the node is <subnet>+10
FIRST_NODE_PORT = 31380


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _nodes(vpc: dict[str, Any]) -> list[tuple[str, ipaddress.IPv4Network, dict[str, Any]]]:
    """(AZ, subnet, Node object), one per AZ: the first private subnet by subnet id."""
    subnets = [s for s in _list(vpc.get("Subnets")) if isinstance(s, dict) and s.get("CidrBlock") and s.get("AvailabilityZone")]
    private = [s for s in subnets if any(_map(t).get("Key") == PRIVATE_ROLE for t in _list(s.get("Tags")))]
    by_az: dict[str, dict[str, Any]] = {}
    for subnet in sorted(private or subnets, key=lambda s: (str(s["AvailabilityZone"]), str(s.get("SubnetId", "")))):
        by_az.setdefault(str(subnet["AvailabilityZone"]), subnet)
    out = []
    for index, (az, subnet) in enumerate(sorted(by_az.items()), start=1):
        network = ipaddress.IPv4Network(str(subnet["CidrBlock"]))
        ip = str(network.network_address + 10)
        name = f"ip-{ip.replace('.', '-')}.ec2.internal"
        node = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": az}},
            "spec": {"providerID": f"aws:///{az}/i-{index:017x}"},
            "status": {"addresses": [{"type": "InternalIP", "address": ip}], "conditions": [{"type": "Ready", "status": "True"}]},
        }
        out.append((az, network, node))
    return out


def _selects(service: dict[str, Any], namespace: str, labels: dict[str, Any]) -> bool:
    selector = _map(_map(service.get("spec")).get("selector"))
    meta = _map(service.get("metadata"))
    return bool(selector) and (meta.get("namespace") or "default") == namespace and all(labels.get(k) == v for k, v in selector.items())


def _target_port(port: dict[str, Any], containers: list[Any]) -> int:
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, str):  # a named container port
        for container in containers:
            for cp in _list(_map(container).get("ports")):
                if _map(cp).get("name") == target and isinstance(_map(cp).get("containerPort"), int):
                    return int(cp["containerPort"])
        return int(port.get("port") or 0)
    return int(target or 0)


def _with_node_ports(service: dict[str, Any], next_port: itertools.count[int]) -> dict[str, Any]:
    spec = dict(_map(service.get("spec")))
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        spec["ports"] = [p if "nodePort" in _map(p) else {**_map(p), "nodePort": next(next_port)} for p in _list(spec.get("ports"))]
    return {**service, "spec": spec}


def cluster_objects(manifests: list[Any], vpc: dict[str, Any]) -> dict[str, Any]:
    """A `List` of the Services, EndpointSlices, Pods and Nodes (see the module docstring)."""
    nodes = _nodes(vpc)
    services = [m for m in manifests if isinstance(m, dict) and m.get("kind") == "Service"]
    node_ports = itertools.count(FIRST_NODE_PORT)
    items: list[dict[str, Any]] = [_with_node_ports(s, node_ports) for s in services]
    hosts_used: dict[str, int] = {}
    for deployment in (m for m in manifests if isinstance(m, dict) and m.get("kind") == "Deployment"):
        meta, spec = _map(deployment.get("metadata")), _map(deployment.get("spec"))
        namespace, name = str(meta.get("namespace") or "default"), str(meta.get("name") or "deployment")
        template = _map(spec.get("template"))
        labels = _map(_map(template.get("metadata")).get("labels"))
        containers = _list(_map(template.get("spec")).get("containers"))
        replicas = spec.get("replicas", 1)
        count = min(replicas if isinstance(replicas, int) and replicas > 0 else 1, MAX_PODS)
        pods = []
        for i in range(count):
            if not nodes:
                break
            az, network, node = nodes[i % len(nodes)]
            host = hosts_used.get(az, FIRST_POD_HOST)
            hosts_used[az] = host + 1
            ip = str(network.network_address + host)
            pod_name = f"{name}-demo-{i}"
            pods.append((pod_name, ip, node["metadata"]["name"]))
            items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": pod_name, "namespace": namespace, "labels": copy.deepcopy(labels)},
                    "spec": {"nodeName": node["metadata"]["name"], "containers": copy.deepcopy(containers)},
                    "status": {"podIP": ip, "conditions": [{"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}]},
                }
            )
        for service in (s for s in services if _selects(s, namespace, labels)):
            service_name = str(_map(service.get("metadata")).get("name"))
            ports = [_map(p) for p in _list(_map(service.get("spec")).get("ports"))]
            items.append(
                {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {"name": f"{service_name}-demo", "namespace": namespace, "labels": {"kubernetes.io/service-name": service_name}},
                    "addressType": "IPv4",
                    "ports": [{"name": str(p.get("name") or ""), "port": _target_port(p, containers), "protocol": p.get("protocol") or "TCP"} for p in ports],
                    "endpoints": [
                        {
                            "addresses": [ip],
                            "conditions": {"ready": True, "serving": True, "terminating": False},
                            "nodeName": node_name,
                            "targetRef": {"kind": "Pod", "name": pod_name, "namespace": namespace},
                        }
                        for pod_name, ip, node_name in pods
                    ],
                }
            )
    items += [node for _, _, node in nodes]
    return {"apiVersion": "v1", "kind": "List", "items": items}
