"""What the group template and the frontend NLB render alike: tags, resource Metadata, health checks."""

from __future__ import annotations

from typing import Any

from troposphere import Tags
from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model.metadata import resource_metadata
from ingress2cfn.model.stack import GroupStack, HealthCheck, Tag


def tags(items: tuple[Tag, ...]) -> Tags:
    return Tags({t.key: t.value for t in items})


def meta(stack: GroupStack, sources: tuple[str, ...] | list[str], **extra: Any) -> dict[str, Any]:
    return resource_metadata(stack.group_id, sources, **extra)


def health_check_props(hc: HealthCheck) -> dict[str, Any]:
    """TargetGroup health-check properties (ALB target groups and the frontend NLB's alike)."""
    return dict(
        HealthCheckEnabled=True,
        HealthCheckPort=hc.port,
        HealthCheckProtocol=hc.protocol,
        HealthCheckPath=hc.path,
        HealthCheckIntervalSeconds=hc.interval,
        HealthCheckTimeoutSeconds=hc.timeout,
        HealthyThresholdCount=hc.healthy,
        UnhealthyThresholdCount=hc.unhealthy,
        Matcher=elb.Matcher(**{hc.matcher_field: hc.matcher}),
    )
