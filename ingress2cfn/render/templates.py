"""Model → troposphere templates and TargetGroupBinding manifests. No defaulting here: every
value was decided by build/."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt, Output, Parameter, Ref, Tags, Template, ec2
from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model import naming
from ingress2cfn.model.metadata import backend_metadata, cluster_template_metadata, group_template_metadata
from ingress2cfn.model.stack import (
    Action,
    ClusterStack,
    FixedResponse,
    Forward,
    GroupStack,
    Listener,
    ManagedSecurityGroup,
    Redirect,
    Rule,
    TargetGroup,
    WeightedForward,
)
from ingress2cfn.render import addons as render_addons
from ingress2cfn.render import routing
from ingress2cfn.render.auth import AUTH_ACTIONS, auth_action
from ingress2cfn.render.common import health_check_props, meta, tags
from ingress2cfn.render.frontend_nlb import add_frontend_nlb

BACKEND_SG_PARAMETER = "BackendSecurityGroupId"
MAX_DESCRIPTION = 1024


def _action(action: Action, order: int | None, cls: type) -> Any:
    if isinstance(action, AUTH_ACTIONS):
        return auth_action(action, order, cls)
    props: dict[str, Any] = {}
    if order is not None:
        props["Order"] = order
    if isinstance(action, Forward):
        if len(action.target_group_ids) == 1:
            return cls(Type="forward", TargetGroupArn=Ref(action.target_group_ids[0]), **props)
        tuples = [elb.TargetGroupTuple(TargetGroupArn=Ref(t)) for t in action.target_group_ids]
        return cls(Type="forward", ForwardConfig=elb.ForwardConfig(TargetGroups=tuples), **props)
    if isinstance(action, WeightedForward):
        return routing.weighted_forward(action, cls, props)
    if isinstance(action, FixedResponse):
        config: dict[str, Any] = {"StatusCode": action.status_code}
        if action.content_type is not None:
            config["ContentType"] = action.content_type
        if action.message_body is not None:
            config["MessageBody"] = action.message_body
        return cls(Type="fixed-response", FixedResponseConfig=elb.FixedResponseConfig(**config), **props)
    if isinstance(action, Redirect):
        config = {"StatusCode": action.status_code}
        for key, value in (("Protocol", action.protocol), ("Port", action.port), ("Host", action.host), ("Path", action.path), ("Query", action.query)):
            if value is not None:
                config[key] = value
        return cls(Type="redirect", RedirectConfig=elb.RedirectConfig(**config), **props)
    raise TypeError(action)


def _actions(actions: tuple[Action, ...], cls: type) -> list:
    if len(actions) == 1:
        return [_action(actions[0], None, cls)]
    return [_action(a, i, cls) for i, a in enumerate(actions, start=1)]


def _target_group(stack: GroupStack, tg: TargetGroup) -> elb.TargetGroup:
    hc = tg.health_check
    props: dict[str, Any] = dict(
        Name=tg.name,
        TargetType=tg.target_type.value,
        Port=tg.port,
        Protocol=tg.protocol,
        ProtocolVersion=tg.protocol_version,
        IpAddressType=tg.ip_address_type,
        VpcId=stack.vpc_id,
        **health_check_props(hc),
        Tags=tags(tg.tags),
    )
    if tg.attributes:
        props["TargetGroupAttributes"] = [elb.TargetGroupAttribute(Key=k, Value=v) for k, v in tg.attributes]
    if tg.target_control_port is not None:
        props["TargetControlPort"] = tg.target_control_port
    resource = elb.TargetGroup(tg.logical_id, **props)
    extra: dict[str, Any] = {}
    if tg.multi_cluster:  # sync and `bindings --stack` read these back (model.metadata)
        extra["multiCluster"] = True
    if tg.node_selector:
        extra["nodeSelector"] = dict(tg.node_selector)
    resource.Metadata = meta(stack, [tg.ingress], ingress=tg.ingress, service=f"{tg.service_namespace}/{tg.service_name}:{tg.port_ref}", **extra)
    return resource


def _security_group(stack: GroupStack, sg: ManagedSecurityGroup) -> ec2.SecurityGroup:
    ingress = []
    for rule in sg.rules:
        props: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": rule.port, "ToPort": rule.port}
        props.update(render_addons.security_group_rule_source(rule))  # CidrIp | CidrIpv6 | SourcePrefixListId
        ingress.append(ec2.SecurityGroupRule(**props))
    resource = ec2.SecurityGroup(
        sg.logical_id,
        GroupName=sg.name,
        GroupDescription="[k8s] Managed SecurityGroup for LoadBalancer",
        VpcId=stack.vpc_id,
        SecurityGroupIngress=ingress,
        Tags=tags(sg.tags),
    )
    resource.Metadata = meta(stack, stack.members, role="frontend")
    return resource


def _listener(stack: GroupStack, listener: Listener) -> list:
    props: dict[str, Any] = dict(
        LoadBalancerArn=Ref("LoadBalancer"),
        Port=listener.port,
        Protocol=listener.protocol.value,
        DefaultActions=_actions(listener.default_actions, elb.Action),
    )
    if listener.ssl_policy:
        props["SslPolicy"] = listener.ssl_policy
    if listener.default_certificate:
        props["Certificates"] = [elb.Certificate(CertificateArn=listener.default_certificate)]
    props.update(render_addons.listener_props(listener))  # MutualAuthentication, ListenerAttributes
    props["Tags"] = tags(listener.tags)
    resource = elb.Listener(listener.logical_id, **props)
    resource.Metadata = meta(stack, listener.sources)
    out = [resource]
    for arn in listener.extra_certificates:
        cert = elb.ListenerCertificate(
            naming.listener_certificate_id(listener.port, arn),
            ListenerArn=Ref(listener.logical_id),
            Certificates=[elb.Certificate(CertificateArn=arn)],
        )
        cert.Metadata = meta(stack, listener.sources)
        out.append(cert)
    for rule in listener.rules:
        out.append(_rule(stack, listener, rule))
    return out


def _rule(stack: GroupStack, listener: Listener, rule: Rule) -> elb.ListenerRule:
    resource = elb.ListenerRule(
        rule.logical_id,
        ListenerArn=Ref(listener.logical_id),
        Priority=rule.priority,
        Conditions=[routing.condition(c) for c in rule.conditions],
        Actions=_actions(rule.actions, elb.ListenerRuleAction),
        Tags=tags(rule.tags),
    )
    if rule.transforms:
        resource.Transforms = routing.transforms(rule.transforms)
    resource.Metadata = meta(stack, [rule.source], ingress=rule.source, rule=rule.origin_field)
    return resource


def _description(stack: GroupStack) -> str:
    shard = f" (shard {stack.shard})" if stack.shard is not None else ""
    text = f"ingress2cfn: ALB for IngressGroup {stack.group_id}{shard} of cluster {stack.cluster} (Ingresses: {', '.join(stack.members)})"
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 3] + "..."


def stack_size(stack: GroupStack) -> tuple[int, int]:
    """(resources, outputs) `group_template` makes for `stack`, counted on the model, so that a
    group over CloudFormation's per-stack limits is refused with the group named, before
    troposphere stops at its own 500th resource (tests check the count against the template)."""
    lb = stack.load_balancer
    resources = 1 + (lb.managed_security_group is not None) + len(stack.target_groups)
    resources += (lb.wafv2_acl_arn is not None) + (lb.waf_regional_acl_id is not None) + bool(lb.shield_protection)
    resources += sum(1 + len(listener.extra_certificates) + len(listener.rules) for listener in stack.listeners)
    outputs = 3 + len(stack.target_groups)
    if stack.frontend_nlb is not None:
        resources += 1 + 2 * len(stack.frontend_nlb.listeners)
        outputs += 3
    return resources, outputs


def group_template(stack: GroupStack) -> Template:
    template = Template(Description=_description(stack))
    template.set_version("2010-09-09")
    template.set_metadata(group_template_metadata(stack.cluster, stack.group_id, stack.stack_name, stack.members, stack.shard, stack.shard_units))
    lb = stack.load_balancer
    security_groups: list[Any] = list(lb.security_group_ids)
    if lb.managed_security_group is not None:
        template.add_resource(_security_group(stack, lb.managed_security_group))
        security_groups.append(Ref(lb.managed_security_group.logical_id))
    if lb.uses_backend_security_group:
        template.add_parameter(
            Parameter(
                BACKEND_SG_PARAMETER,
                Type="AWS::EC2::SecurityGroup::Id",
                Description=f"The cluster's shared backend security group (output BackendSecurityGroupId of the cluster stack for {stack.cluster})",
            )
        )
        security_groups.append(Ref(BACKEND_SG_PARAMETER))
    lb_props: dict[str, Any] = dict(
        Name=lb.name,
        Type="application",
        Scheme=lb.scheme,
        IpAddressType=lb.ip_address_type,
        Subnets=list(lb.subnet_ids),
        SecurityGroups=security_groups,
        Tags=tags(lb.tags),
    )
    if lb.attributes:
        lb_props["LoadBalancerAttributes"] = [elb.LoadBalancerAttributes(Key=k, Value=v) for k, v in lb.attributes]
    lb_props.update(render_addons.load_balancer_props(lb))  # Ipv4IpamPoolId, MinimumLoadBalancerCapacity
    # A deleted stack or a replacement keeps the ALB (its DNS name may be in use); a failed first create
    # does not (plain Retain would leave a half-made ALB whose name blocks the retry).
    resource = elb.LoadBalancer("LoadBalancer", DeletionPolicy="RetainExceptOnCreate", UpdateReplacePolicy="Retain", **lb_props)
    resource.Metadata = meta(stack, stack.members)
    template.add_resource(resource)
    for addon in render_addons.addon_resources(stack):  # WAFv2 / WAF classic / Shield
        template.add_resource(addon)
    for tg in stack.target_groups:
        template.add_resource(_target_group(stack, tg))
    for listener in stack.listeners:
        for item in _listener(stack, listener):
            template.add_resource(item)
    template.add_output(Output("LoadBalancerArn", Value=Ref("LoadBalancer"), Description="ALB ARN"))
    template.add_output(Output("LoadBalancerDNSName", Value=GetAtt("LoadBalancer", "DNSName"), Description="ALB DNS name"))
    template.add_output(
        Output("LoadBalancerCanonicalHostedZoneID", Value=GetAtt("LoadBalancer", "CanonicalHostedZoneID"), Description="ALB hosted zone id (Route 53 alias)")
    )
    for tg in stack.target_groups:
        template.add_output(
            Output(
                f"{tg.logical_id}Arn",
                Value=Ref(tg.logical_id),
                Description=f"Target group for {tg.service_namespace}/{tg.service_name}:{tg.port_ref} ({tg.ingress})",
            )
        )
    if stack.frontend_nlb is not None:
        add_frontend_nlb(template, stack)
    return template


def cluster_template(cluster: ClusterStack) -> Template:
    template = Template(Description=f"ingress2cfn: shared backend security group of cluster {cluster.cluster} and the node rules it needs")
    template.set_version("2010-09-09")
    template.set_metadata(cluster_template_metadata(cluster.cluster, cluster.stack_name))
    sg = ec2.SecurityGroup(
        "BackendSecurityGroup",
        GroupName=cluster.backend_security_group_name,
        GroupDescription="[k8s] Shared Backend SecurityGroup for LoadBalancer",
        VpcId=cluster.vpc_id,
        Tags=Tags({"elbv2.k8s.aws/cluster": cluster.cluster, "elbv2.k8s.aws/resource": "backend-sg"}),
    )
    sg.Metadata = backend_metadata(cluster.cluster)
    template.add_resource(sg)
    for rule in cluster.rules:
        resource = ec2.SecurityGroupIngress(
            naming.node_ingress_id(rule.from_port, rule.to_port),
            GroupId=cluster.node_security_group_id,
            IpProtocol="tcp",
            FromPort=rule.from_port,
            ToPort=rule.to_port,
            SourceSecurityGroupId=GetAtt("BackendSecurityGroup", "GroupId"),
            Description=_sg_description(f"ingress2cfn groups: {', '.join(rule.groups)}"),
        )
        resource.Metadata = backend_metadata(cluster.cluster, rule.groups)
        template.add_resource(resource)
    template.add_output(
        Output("BackendSecurityGroupId", Value=GetAtt("BackendSecurityGroup", "GroupId"), Description="pass to each group stack as BackendSecurityGroupId")
    )
    return template


def _sg_description(text: str) -> str:
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*")
    cleaned = "".join(c if c in allowed else "-" for c in text)
    return cleaned if len(cleaned) <= 255 else cleaned[:252] + "..."


def bindings(stack: GroupStack, backend_security_group_id: str | None, networking: bool = False) -> list[dict]:
    """One TargetGroupBinding per target group (§7.3). `networking` (the node/pod SG rules, §9.5) only
    when asked: the cluster stack owns those rules, so a controller in binding-only mode would
    otherwise manage them a second time (README: who owns what)."""
    docs = []
    for tg in stack.target_groups:
        port: int | str = int(tg.port_ref) if tg.port_ref.isdigit() else tg.port_ref
        spec: dict[str, Any] = {
            "targetGroupName": tg.name,
            "targetType": tg.target_type.value,
            "serviceRef": {"name": tg.service_name, "port": port},
            "ipAddressType": tg.ip_address_type,
            "vpcID": stack.vpc_id,
            "targetGroupProtocol": tg.protocol,
        }
        if tg.node_selector:
            spec["nodeSelector"] = {"matchLabels": dict(tg.node_selector)}
        if tg.multi_cluster:
            spec["multiClusterTargetGroup"] = True
        if networking and backend_security_group_id and stack.load_balancer.uses_backend_security_group:
            ports: list[dict] = []
            if tg.target_type.value == "instance":
                ports.append({"protocol": "TCP", "port": tg.port})
            else:
                ports.append({"protocol": "TCP", "port": tg.service_target_port})
            if tg.health_check_rule_port is not None:
                ports.append({"protocol": "TCP", "port": tg.health_check_rule_port})
            if tg.target_control_port is not None:
                ports.append({"protocol": "TCP", "port": tg.target_control_port})
            spec["networking"] = {"ingress": [{"from": [{"securityGroup": {"groupID": backend_security_group_id}}], "ports": ports}]}
        docs.append(
            {
                "apiVersion": "elbv2.k8s.aws/v1beta1",
                "kind": "TargetGroupBinding",
                "metadata": {
                    "name": tg.name,
                    "namespace": tg.service_namespace,
                    "annotations": {"ingress2cfn/stack": stack.stack_name, "ingress2cfn/ingress": tg.ingress, "ingress2cfn/group": stack.group_id},
                },
                "spec": spec,
            }
        )
    return docs
