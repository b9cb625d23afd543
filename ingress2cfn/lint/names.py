"""Names that must be unique across every stack of a cluster: rule I2C0002 `duplicate-name`.

cfn-lint sees one template at a time, so it cannot know that two stacks create a target group, a
load balancer or a security group of the same name; CloudFormation then fails at deploy
(`DuplicateTargetGroupName`, `DuplicateLoadBalancerName`, `InvalidGroup.Duplicate`). Target-group
and load-balancer names are unique per account and region (ALB and NLB share one name space),
security-group names per VPC. Each later holder of a name gets one error, located at both
manifests: its own and the first holder's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingress2cfn.input.diagnostics import Severity
from ingress2cfn.lint.findings import Finding
from ingress2cfn.lint.formats.report import RuleInfo
from ingress2cfn.model import metadata

RULE_ID = "I2C0002"
RULE = RuleInfo(
    RULE_ID,
    "duplicate-name",
    "Two resources of the cluster's stacks share an account-wide name",
    Severity.ERROR,
    "ingress2cfn",
    None,
    "Target groups and load balancers (ALB and NLB alike) need a name unique in the account and region, security groups "
    "one unique in their VPC. Two rendered stacks of one cluster that use the same name cannot both be deployed: "
    "CloudFormation fails on the second. Usually two IngressGroups set the same load-balancer-name.",
)

LOAD_BALANCER_NAME_ANNOTATION = "alb.ingress.kubernetes.io/load-balancer-name"

# resource type → (what the message calls it, the name property, the property that scopes the name)
_NAME_SPACES: dict[str, tuple[str, str, str | None]] = {
    "AWS::ElasticLoadBalancingV2::TargetGroup": ("target group", "Name", None),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("load balancer", "Name", None),
    "AWS::EC2::SecurityGroup": ("security group", "GroupName", "VpcId"),
}
_NAME_SPACES_BY_KIND = {kind: name_key for kind, name_key, _ in _NAME_SPACES.values()}


@dataclass(frozen=True)
class NameClaim:
    """One resource of a template that takes an account-wide name: what `duplicates` compares.
    Plain data, so a lint job computes it where the template is decoded and the cache keeps it."""

    kind: str  # "target group", "load balancer", "security group"
    scope: str  # the VPC of a security group's name; "" for account-wide names
    name: str
    logical_id: str
    ingresses: tuple[str, ...]  # the resource's own Ingress, else the Ingresses it serves
    sources: tuple[str, ...]  # every Ingress the resource serves (who may have set its name)


@dataclass(frozen=True)
class _Holder:
    stack: str
    logical_id: str
    ingresses: tuple[str, ...]
    fields: tuple[str, ...]


def _scope(value: Any) -> str:
    """A VPC id as written, or a stable text for an intrinsic (a Ref to the same parameter is the same VPC)."""
    return str(value) if isinstance(value, str) else repr(value)


def claims(template: Any) -> tuple[NameClaim, ...]:
    """The named resources of one decoded template, in template order."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return ()
    out = []
    for logical_id, resource in resources.items():
        kind_of = resource.get("Type") if isinstance(resource, dict) else None
        if not isinstance(kind_of, str) or kind_of not in _NAME_SPACES:
            continue
        kind, name_key, scope_key = _NAME_SPACES[kind_of]
        props = resource.get("Properties")
        name = props.get(name_key) if isinstance(props, dict) else None
        if not isinstance(name, str) or not name:
            continue  # CloudFormation generates a unique name
        scope = _scope(props.get(scope_key)) if scope_key is not None and isinstance(props, dict) else ""
        meta = metadata.read_template_resource(template, str(logical_id))
        ingresses = (meta.ingress,) if meta.ingress else meta.sources
        out.append(NameClaim(kind, scope, str(name), str(logical_id), tuple(str(i) for i in ingresses), tuple(str(s) for s in meta.sources)))
    return tuple(out)


def _holder(stack: str, claim: NameClaim, annotations: dict[str, dict[str, str]]) -> _Holder:
    if claim.kind == "load balancer":
        # blame the Ingress that wrote the name, at the annotation
        for key in claim.sources:
            if annotations.get(key, {}).get(LOAD_BALANCER_NAME_ANNOTATION) == claim.name:
                return _Holder(stack, claim.logical_id, (key,), (f'metadata.annotations["{LOAD_BALANCER_NAME_ANNOTATION}"]',))
    return _Holder(stack, claim.logical_id, claim.ingresses[:1], ("",) * len(claim.ingresses[:1]))


def duplicates(stack_claims: Iterable[tuple[str, tuple[NameClaim, ...]]], annotations: dict[str, dict[str, str]] | None = None) -> list[Finding]:
    """`stack_claims`: (stack name, its templates' claims) of every stack of one cluster, in a stable
    order; `annotations`: Ingress key → its annotations (to point at a `load-balancer-name`)."""
    annotations = annotations or {}
    first: dict[tuple[str, str, str], _Holder] = {}
    out: list[Finding] = []
    for stack, found in stack_claims:
        for claim in found:
            key = (claim.kind, claim.scope, claim.name.lower() if claim.kind == "load balancer" else claim.name)
            holder = _holder(stack, claim, annotations)
            earlier = first.setdefault(key, holder)
            if earlier is holder:
                continue
            where = "this stack" if earlier.stack == stack else f"stack {earlier.stack}"
            hint = f"; give each group its own {LOAD_BALANCER_NAME_ANNOTATION}" if any(holder.fields + earlier.fields) else ""
            out.append(
                Finding(
                    RULE_ID,
                    Severity.ERROR,
                    f"{claim.kind} name {claim.name!r} is also used by {earlier.logical_id} in {where}: CloudFormation can create only one of them{hint}",
                    stack=stack,
                    logical_id=claim.logical_id,
                    property_path=("Properties", _NAME_SPACES_BY_KIND[claim.kind]),
                    ingresses=holder.ingresses + earlier.ingresses,
                    rule_fields=holder.fields + earlier.fields,
                )
            )
    return out
