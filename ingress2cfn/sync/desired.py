"""The desired targets of one binding (§12): pure, from a ClusterState snapshot.

ip mode: the endpoints of the Service port (EndpointSlices of the target group's IP family, the
slice port matched by the Service port's name; entries need a Pod targetRef). Ready endpoints
(ready unknown counts as ready) are in; a not-ready endpoint whose Pod has all containers ready
(held back only by readiness gates) is in when its node is Ready, and is kept as a fallback when its
node is Unknown (used only when nothing else is); terminating endpoints are out. Target = (pod IP,
endpoint port); an IP outside the VPC CIDRs gets AvailabilityZone `all`.

instance mode: (instance id from spec.providerID, NodePort) of every node that passes the default
selector and the binding's nodeSelector, is not being removed, and is Ready (fail-open: the Unknown
ones if none is Ready)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingress2cfn.sync.bindings import Binding
from ingress2cfn.sync.objects import ClusterState, Node, Service, ServicePort
from ingress2cfn.sync.targets import Target

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

EXCLUDE_LABELS = (
    "node-role.kubernetes.io/master",
    "node.kubernetes.io/exclude-from-external-load-balancers",
    "alpha.service-controller.kubernetes.io/exclude-balancer",
)
FARGATE = ("eks.amazonaws.com/compute-type", "fargate")
REMOVAL_TAINTS = (("ToBeDeletedByClusterAutoscaler", None), ("karpenter.sh/disrupted", "NoSchedule"))


@dataclass(frozen=True)
class Desired:
    """`problem` set: the binding cannot be resolved (Service missing, wrong type...); the caller must
    then leave the target group alone rather than empty it."""

    targets: frozenset[Target] = frozenset()
    pods: dict[Target, str] = field(default_factory=dict)  # ip mode: target → pod name (readiness gates)
    problem: str | None = None


def _service_port(binding: Binding, state: ClusterState) -> tuple[Service, ServicePort] | str:
    service = state.services.get((binding.namespace, binding.service))
    if service is None:
        return f"Service {binding.namespace}/{binding.service} not found"
    for port in service.ports:
        if port.port == binding.service_port if isinstance(binding.service_port, int) else port.name == binding.service_port:
            return service, port
    return f"Service {binding.namespace}/{binding.service} has no port {binding.service_port!r}"


def _outside(ip: str, cidrs: Sequence[Network] | None) -> bool:
    if cidrs is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return not any(address.version == net.version and address in net for net in cidrs)


def ip_targets(binding: Binding, state: ClusterState, cidrs: Sequence[Network] | None = None) -> Desired:
    found = _service_port(binding, state)
    if isinstance(found, str):
        return Desired(problem=found)
    _, port = found
    family = "IPv6" if binding.ip_address_type == "ipv6" else "IPv4"
    chosen: dict[Target, str] = {}
    fallback: dict[Target, str] = {}
    for eps in state.slices.get((binding.namespace, binding.service), ()):
        if eps.address_type != family:
            continue
        ep_port = next((number for name, number in eps.ports if name == port.name), None)
        if ep_port is None:
            continue
        for e in eps.endpoints:
            if e.pod is None or e.terminating:
                continue
            into: dict[Target, str] | None = None
            if e.ready is None or e.ready:
                into = chosen
            else:
                pod = state.pods.get((binding.namespace, e.pod))
                node = state.nodes.get(e.node or "")
                if pod is not None and pod.containers_ready and node is not None:
                    into = chosen if node.ready == "True" else fallback if node.ready == "Unknown" else None
            if into is None:
                continue
            for ip in e.addresses:
                into[Target(ip, ep_port, "all" if _outside(ip, cidrs) else None)] = e.pod
    picked = chosen or fallback
    return Desired(frozenset(picked), picked)


def _selected(node: Node, selector: tuple[tuple[str, str], ...]) -> bool:
    labels = dict(node.labels)
    if any(k in labels for k in EXCLUDE_LABELS) or labels.get(FARGATE[0]) == FARGATE[1]:
        return False
    if any(labels.get(k) != v for k, v in selector):
        return False
    return not any(t.key == key and (effect is None or t.effect == effect) for t in node.taints for key, effect in REMOVAL_TAINTS)


def instance_targets(binding: Binding, state: ClusterState) -> Desired:
    found = _service_port(binding, state)
    if isinstance(found, str):
        return Desired(problem=found)
    service, port = found
    if service.type not in ("NodePort", "LoadBalancer"):
        return Desired(problem=f"Service {service.namespace}/{service.name}: service type must be either 'NodePort' or 'LoadBalancer'")
    if port.node_port is None:
        return Desired(problem=f"Service {service.namespace}/{service.name} port {binding.service_port!r} has no nodePort")
    nodes = [n for n in state.nodes.values() if n.instance_id and _selected(n, binding.node_selector)]
    ready = [n for n in nodes if n.ready == "True"] or [n for n in nodes if n.ready == "Unknown"]
    return Desired(frozenset(Target(n.instance_id or "", port.node_port) for n in ready))


def desired_targets(binding: Binding, state: ClusterState, cidrs: Sequence[Network] | None = None) -> Desired:
    if binding.target_type == "ip":
        return ip_targets(binding, state, cidrs)
    return instance_targets(binding, state)
