"""Bindings from a deployed stack: target group ARNs from the stack's resources, the Service behind
each from the resource's Metadata (model.metadata), the rest from its properties. Pure."""

from __future__ import annotations

from typing import Any

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.metadata import read_resource
from ingress2cfn.sync.bindings import Binding

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"


def bindings_from_stack(stack: str, resources: dict[str, dict[str, Any]], template: dict[str, Any]) -> list[Binding]:
    body = template.get("Resources")
    out = []
    for logical_id, resource in sorted((body if isinstance(body, dict) else {}).items()):
        if not isinstance(resource, dict) or resource.get("Type") != TARGET_GROUP:
            continue
        meta = read_resource(resource)
        if not meta.service or "/" not in meta.service or ":" not in meta.service:
            raise Ingress2CfnError(f"stack {stack} target group {logical_id}: no Metadata.ingress2cfn.service (not rendered by ingress2cfn?)")
        namespace, rest = meta.service.split("/", 1)
        service, port = rest.rsplit(":", 1)
        deployed = resources.get(logical_id, {}).get("PhysicalResourceId")
        if not isinstance(deployed, str) or not deployed.startswith("arn:"):
            raise Ingress2CfnError(f"stack {stack} target group {logical_id}: not deployed (no ARN among the stack's resources)")
        found = resource.get("Properties")
        props: dict[str, Any] = found if isinstance(found, dict) else {}
        name = str(props["Name"]) if isinstance(props.get("Name"), str) else logical_id.lower()
        vpc = props.get("VpcId")
        out.append(
            Binding(
                namespace=namespace,
                name=name,
                target_type="ip" if props.get("TargetType") == "ip" else "instance",
                service=service,
                service_port=int(port) if port.isdigit() else port,
                target_group_arn=deployed,
                ip_address_type="ipv6" if props.get("IpAddressType") == "ipv6" else "ipv4",
                vpc_id=vpc if isinstance(vpc, str) else None,
                node_selector=meta.node_selector,
                multi_cluster=meta.multi_cluster,
                stack=stack,
            )
        )
    return out


def manifest(binding: Binding) -> dict[str, Any]:
    """The TargetGroupBinding of a binding, for a controller in binding-only mode (no networking:
    the cluster stack owns the node security-group rules)."""
    spec: dict[str, Any] = {
        "targetGroupARN": binding.target_group_arn or "",
        "targetType": binding.target_type,
        "serviceRef": {"name": binding.service, "port": binding.service_port},
        "ipAddressType": binding.ip_address_type,
    }
    if binding.vpc_id:
        spec["vpcID"] = binding.vpc_id
    if binding.node_selector:
        spec["nodeSelector"] = {"matchLabels": dict(binding.node_selector)}
    if binding.multi_cluster:
        spec["multiClusterTargetGroup"] = True
    annotations = {"ingress2cfn/stack": binding.stack} if binding.stack else {}
    return {
        "apiVersion": "elbv2.k8s.aws/v1beta1",
        "kind": "TargetGroupBinding",
        "metadata": {"name": binding.name, "namespace": binding.namespace, "annotations": annotations},
        "spec": spec,
    }
