"""Resources the AWS Load Balancer Controller made for an IngressGroup, as found in the account: what
adoption (`plan --import-existing`) looks for (`LbcLookup`, from the rendered template) and what
ingress2cfn.aws found (`FoundResources`), handed to the pure import planner in deploy.adopt."""

from __future__ import annotations

from dataclasses import dataclass, field

# lbc-semantics.md §10: the controller's tracking tags, on every resource it creates
TAG_CLUSTER = "elbv2.k8s.aws/cluster"
TAG_STACK = "ingress.k8s.aws/stack"
TAG_RESOURCE = "ingress.k8s.aws/resource"
TAG_CLUSTER_RESOURCE = "elbv2.k8s.aws/resource"  # the cluster-wide backend SG: backend-sg
TRACKING_TAGS = (TAG_CLUSTER, TAG_STACK, TAG_RESOURCE, TAG_CLUSTER_RESOURCE)

LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
SECURITY_GROUP_INGRESS = "AWS::EC2::SecurityGroupIngress"  # the node rules (lbc-semantics.md §9.5): untagged


@dataclass(frozen=True)
class LbcLookup:
    """What to look up: the names the rendered template gives (the same names LBC gives, model.naming)."""

    cluster: str
    load_balancers: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()  # GroupName
    rule_groups: tuple[str, ...] = ()  # security group ids whose ingress rules to read (the node SG)


@dataclass(frozen=True)
class LbcResource:
    """One resource found in the account. `identifier` is what CloudFormation imports it by (an ARN,
    or the security group id); `parent` the owning load balancer (listener) or listener (rule) ARN;
    `settings` the create-only settings that a following update could not change in place."""

    type: str
    identifier: str
    name: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    parent: str | None = None
    port: int | None = None
    priority: int | None = None
    settings: tuple[tuple[str, str], ...] = field(default=())

    @property
    def tag_map(self) -> dict[str, str]:
        return dict(self.tags)


@dataclass(frozen=True)
class FoundResources:
    resources: tuple[LbcResource, ...] = ()

    def of_type(self, type_: str) -> list[LbcResource]:
        return [r for r in self.resources if r.type == type_]
