"""The review's typed model and its one JSON form (`Review.to_json`), which every renderer draws
from. Field names in JSON are camelCase; `review.schema.json` beside this file documents them and
`REVIEW_SCHEMA_VERSION` is bumped on any incompatible change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REVIEW_SCHEMA_VERSION = 1

# StackChange.action
CREATE = "create"
UPDATE = "update"
NO_CHANGES = "no-changes"
REMOVE = "remove"
STACK_ACTIONS = (CREATE, UPDATE, NO_CHANGES, REMOVE)

# ResourceRow.action (CloudFormation's Change Action, lower case)
ADD = "add"
MODIFY = "modify"
DELETE = "remove"

# ResourceRow.replacement
YES, NO, CONDITIONAL = "yes", "no", "conditional"

# RuleRow.marker / ListenerTable.marker
ADDED, REMOVED, CHANGED, MOVED, REPLACED, UNCHANGED = "added", "removed", "changed", "moved", "replaced", "unchanged"


@dataclass(frozen=True)
class StackChange:
    """What the deployer learned about one stack."""

    stack_name: str
    group: str | None  # IngressGroup id; None for the cluster stack
    action: str  # "create" | "update" | "no-changes" | "remove"
    old_template: dict | None  # deployed template (get_template, parsed); None when new
    new_template: dict | None  # rendered template (parsed); None for "remove"
    changes: tuple[dict, ...] = ()  # describe_change_set "Changes" (all pages, IncludePropertyValues); () for no-changes/remove


@dataclass(frozen=True)
class Replacement:
    """A resource CloudFormation will replace, predicted from the two templates.
    `properties`: the create-only properties that differ (or that refer to a replaced resource);
    `custom_named`: the new template gives it a physical name (Name / GroupName), so CloudFormation
    can replace it only when that name changes too; `because`: replaced resources it follows."""

    logical_id: str
    resource_type: str
    properties: tuple[str, ...]
    custom_named: bool
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Danger:
    kind: str
    stack: str
    logical_id: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "stack": self.stack, "logicalId": self.logical_id, "message": self.message}


@dataclass(frozen=True)
class Blocker:
    """A change CloudFormation cannot execute (a create-only property change on a custom-named resource)."""

    stack: str
    logical_id: str
    message: str
    way_out: str

    def to_json(self) -> dict[str, Any]:
        return {"stack": self.stack, "logicalId": self.logical_id, "message": self.message, "wayOut": self.way_out}


@dataclass(frozen=True)
class Target:
    target_group: str  # logical id of a target group of the template, or the ARN as written
    service: str | None  # "ns/svc:port" from the target group's Metadata
    weight: int | None

    def to_json(self) -> dict[str, Any]:
        return {"targetGroup": self.target_group, "service": self.service, "weight": self.weight}


@dataclass(frozen=True)
class ActionView:
    type: str
    text: str  # the action in ALB terms, without its targets
    targets: tuple[Target, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "targets": [t.to_json() for t in self.targets]}


@dataclass(frozen=True)
class RuleRow:
    """One line of a listener's rule table; the listener's default action is the last row."""

    logical_id: str
    marker: str  # added | removed | changed | moved | replaced (only through its listener) | unchanged
    priority: int | None  # final priority (the old one for a removed rule); None for the default action
    old_priority: int | None
    conditions: tuple[str, ...]
    actions: tuple[ActionView, ...]
    ingress: str | None = None
    rule: str | None = None  # field path in the Ingress, e.g. spec.rules[0].http.paths[1]
    sources: tuple[str, ...] = ()
    default: bool = False
    previous_conditions: tuple[str, ...] | None = None  # only for "changed"
    previous_actions: tuple[ActionView, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "logicalId": self.logical_id,
            "marker": self.marker,
            "default": self.default,
            "priority": self.priority,
            "oldPriority": self.old_priority,
            "conditions": list(self.conditions),
            "actions": [a.to_json() for a in self.actions],
            "ingress": self.ingress,
            "rule": self.rule,
            "sources": list(self.sources),
            "previous": None
            if self.previous_conditions is None and self.previous_actions is None
            else {"conditions": list(self.previous_conditions or ()), "actions": [a.to_json() for a in self.previous_actions or ()]},
        }


@dataclass(frozen=True)
class ListenerTable:
    logical_id: str
    load_balancer: str | None
    protocol: str | None
    port: int | None
    marker: str  # added | removed | replaced | changed | unchanged
    rules: tuple[RuleRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "logicalId": self.logical_id,
            "loadBalancer": self.load_balancer,
            "protocol": self.protocol,
            "port": self.port,
            "marker": self.marker,
            "rules": [r.to_json() for r in self.rules],
        }


@dataclass(frozen=True)
class ResourceRow:
    logical_id: str
    resource_type: str
    action: str  # add | modify | remove | import | dynamic
    replacement: str | None  # yes | no | conditional; None for add / remove
    causes: tuple[str, ...]  # properties behind the replacement (CloudFormation's and the prediction's)
    cloudformation: str | None  # CloudFormation's Replacement answer ("True" | "False" | "Conditional"), None when not given
    cloudformation_causes: tuple[str, ...]
    predicted: tuple[str, ...] | None  # predicted replacement causes; () = not replaced; None = not predicted (add / remove)
    differs: bool  # CloudFormation's answer and the prediction disagree
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "action": self.action,
            "replacement": self.replacement,
            "causes": list(self.causes),
            "cloudFormation": None if self.cloudformation is None else {"replacement": self.cloudformation, "causes": list(self.cloudformation_causes)},
            "predicted": None if self.predicted is None else {"replacement": bool(self.predicted), "causes": list(self.predicted)},
            "differs": self.differs,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class QuotaGauge:
    quota: str  # a name of ingress2cfn.model.quotas
    used: int
    before: int | None  # in the deployed template; None for a new ALB
    limit: int

    def to_json(self) -> dict[str, Any]:
        return {"quota": self.quota, "used": self.used, "before": self.before, "limit": self.limit}


@dataclass(frozen=True)
class Gauge:
    load_balancer: str
    name: str | None
    quotas: tuple[QuotaGauge, ...]

    def to_json(self) -> dict[str, Any]:
        return {"loadBalancer": self.load_balancer, "name": self.name, "quotas": [q.to_json() for q in self.quotas]}


@dataclass(frozen=True)
class StackReview:
    stack_name: str
    group: str | None
    action: str
    listeners: tuple[ListenerTable, ...]
    resources: tuple[ResourceRow, ...]
    gauges: tuple[Gauge, ...]
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {"add": 0, "modify": 0, "remove": 0, "replace": 0}
        for row in self.resources:
            if row.action in out:
                out[row.action] += 1
            if row.replacement == YES:
                out["replace"] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "stackName": self.stack_name,
            "group": self.group,
            "action": self.action,
            "counts": self.counts(),
            "listeners": [t.to_json() for t in self.listeners],
            "resources": [r.to_json() for r in self.resources],
            "gauges": [g.to_json() for g in self.gauges],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Review:
    stacks: tuple[StackReview, ...]
    dangers: tuple[Danger, ...]
    blockers: tuple[Blocker, ...]
    has_changes: bool

    def to_json(self) -> dict[str, Any]:
        """The versioned model every renderer draws from (documented in review.schema.json)."""
        return {
            "schemaVersion": REVIEW_SCHEMA_VERSION,
            "hasChanges": self.has_changes,
            "dangers": [d.to_json() for d in self.dangers],
            "blockers": [b.to_json() for b in self.blockers],
            "stacks": [s.to_json() for s in self.stacks],
        }
