"""The frontend NLB (model.FrontendNlb) → troposphere, added to a group template by
render.group_template. No defaulting here: every value was decided by build/frontend_nlb.py."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Output, Ref, Template
from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model.stack import FrontendNlb, FrontendNlbListener, GroupStack
from ingress2cfn.render.common import health_check_props, meta, tags

ALB_ID = "LoadBalancer"  # the ALB's logical id in render.group_template


def _load_balancer(template: Template, stack: GroupStack, nlb: FrontendNlb) -> elb.LoadBalancer:
    if nlb.uses_alb_security_groups:
        # LBC: without frontend-nlb-security-groups the NLB gets the ALB's list, exactly as rendered
        security_groups: list[Any] = list(template.resources[ALB_ID].properties.get("SecurityGroups", []))
    else:
        security_groups = list(nlb.security_group_ids)
    mappings = []
    for subnet_id, allocation_id in nlb.subnet_mappings:
        mapping = {"SubnetId": subnet_id}
        if allocation_id is not None:
            mapping["AllocationId"] = allocation_id
        mappings.append(elb.SubnetMapping(**mapping))
    props: dict[str, Any] = {
        "Name": nlb.name,
        "Type": "network",
        "Scheme": nlb.scheme,
        "IpAddressType": nlb.ip_address_type,
        "SubnetMappings": mappings,
        "Tags": tags(nlb.tags),
    }
    if security_groups:
        props["SecurityGroups"] = security_groups
    if nlb.attributes:
        props["LoadBalancerAttributes"] = [elb.LoadBalancerAttributes(Key=k, Value=v) for k, v in nlb.attributes]
    resource = elb.LoadBalancer(nlb.logical_id, **props)
    resource.Metadata = meta(stack, stack.members)
    return resource


def _target_group(stack: GroupStack, listener: FrontendNlbListener) -> elb.TargetGroup:
    hc = listener.health_check
    resource = elb.TargetGroup(
        listener.target_group_id,
        DependsOn=[listener.alb_listener_id],  # AWS registers an ALB only at a port it listens on
        Name=listener.target_group_name,
        TargetType="alb",
        Protocol="TCP",
        Port=listener.alb_port,  # AWS: an alb-type target group's port must be the ALB listener's
        IpAddressType="ipv4",
        VpcId=stack.vpc_id,
        Targets=[elb.TargetDescription(Id=Ref(ALB_ID), Port=listener.alb_port)],
        **health_check_props(hc),
        Tags=tags(listener.target_group_tags),
    )
    resource.Metadata = meta(stack, listener.sources)
    return resource


def _listener(stack: GroupStack, nlb: FrontendNlb, listener: FrontendNlbListener) -> elb.Listener:
    resource = elb.Listener(
        listener.logical_id,
        LoadBalancerArn=Ref(nlb.logical_id),
        Port=listener.port,
        Protocol="TCP",
        DefaultActions=[elb.Action(Type="forward", TargetGroupArn=Ref(listener.target_group_id))],
        Tags=tags(listener.tags),
    )
    resource.Metadata = meta(stack, listener.sources)
    return resource


def add_frontend_nlb(template: Template, stack: GroupStack) -> None:
    nlb = stack.frontend_nlb
    if nlb is None:
        return
    template.add_resource(_load_balancer(template, stack, nlb))
    for listener in nlb.listeners:
        template.add_resource(_target_group(stack, listener))
        template.add_resource(_listener(stack, nlb, listener))
    template.add_output(Output(f"{nlb.logical_id}Arn", Value=Ref(nlb.logical_id), Description="frontend NLB ARN"))
    template.add_output(Output(f"{nlb.logical_id}DNSName", Value=GetAtt(nlb.logical_id, "DNSName"), Description="frontend NLB DNS name"))
    template.add_output(
        Output(
            f"{nlb.logical_id}CanonicalHostedZoneID",
            Value=GetAtt(nlb.logical_id, "CanonicalHostedZoneID"),
            Description="frontend NLB hosted zone id (Route 53 alias)",
        )
    )
