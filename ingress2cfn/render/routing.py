"""Routing pieces of a ListenerRule in troposphere: every condition kind, transforms, and the
weighted forward (ForwardConfig with weights and stickiness). Translation only, no defaulting."""

from __future__ import annotations

from typing import Any

from troposphere import Ref
from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model.stack import Condition, Transform, WeightedForward, WeightedTarget

_VALUE_CONFIGS = {
    "host-header": ("HostHeaderConfig", elb.HostHeaderConfig),
    "path-pattern": ("PathPatternConfig", elb.PathPatternConfig),
}


def _values(c: Condition) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if c.values:
        out["Values"] = list(c.values)
    if c.regex_values:
        out["RegexValues"] = list(c.regex_values)
    return out


def condition(c: Condition) -> elb.Condition:
    if c.field in _VALUE_CONFIGS:
        key, cls = _VALUE_CONFIGS[c.field]
        return elb.Condition(Field=c.field, **{key: cls(**_values(c))})
    if c.field == "http-header":
        return elb.Condition(Field=c.field, HttpHeaderConfig=elb.HttpHeaderConfig(HttpHeaderName=c.http_header_name, **_values(c)))
    if c.field == "http-request-method":
        return elb.Condition(Field=c.field, HttpRequestMethodConfig=elb.HttpRequestMethodConfig(Values=list(c.values)))
    if c.field == "query-string":
        pairs = [elb.QueryStringKeyValue(Value=value, **({"Key": key} if key is not None else {})) for key, value in c.query_strings]
        return elb.Condition(Field=c.field, QueryStringConfig=elb.QueryStringConfig(Values=pairs))
    if c.field == "source-ip":
        return elb.Condition(Field=c.field, SourceIpConfig=elb.SourceIpConfig(Values=list(c.values)))
    raise ValueError(c.field)


def transforms(items: tuple[Transform, ...]) -> list[elb.Transform]:
    out = []
    for t in items:
        config = elb.RewriteConfigObject(Rewrites=[elb.RewriteConfig(Regex=r.regex, Replace=r.replace) for r in t.rewrites])
        key = "HostHeaderRewriteConfig" if t.type == "host-header-rewrite" else "UrlRewriteConfig"
        out.append(elb.Transform(Type=t.type, **{key: config}))
    return out


def _arn(target: WeightedTarget) -> Any:
    return Ref(target.target_group_id) if target.target_group_id is not None else target.target_group_arn


def weighted_forward(action: WeightedForward, cls: type, props: dict[str, Any]) -> Any:
    """A single target without weight or stickiness keeps the simple `TargetGroupArn` form."""
    if len(action.targets) == 1 and action.targets[0].weight is None and action.stickiness is None:
        return cls(Type="forward", TargetGroupArn=_arn(action.targets[0]), **props)
    tuples = []
    for target in action.targets:
        tuple_props: dict[str, Any] = {"TargetGroupArn": _arn(target)}
        if target.weight is not None:
            tuple_props["Weight"] = target.weight
        tuples.append(elb.TargetGroupTuple(**tuple_props))
    config: dict[str, Any] = {"TargetGroups": tuples}
    if action.stickiness is not None:
        sticky: dict[str, Any] = {}
        if action.stickiness.enabled is not None:
            sticky["Enabled"] = action.stickiness.enabled
        if action.stickiness.duration_seconds is not None:
            sticky["DurationSeconds"] = action.stickiness.duration_seconds
        config["TargetGroupStickinessConfig"] = elb.TargetGroupStickinessConfig(**sticky)
    return cls(Type="forward", ForwardConfig=elb.ForwardConfig(**config), **props)
