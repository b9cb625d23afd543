"""The per-resource table of one stack: action, type, logical id, replacement and its cause, with
CloudFormation's answer and the prediction side by side; and the replacements CloudFormation
cannot execute (Blockers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingress2cfn.deploy.review.model import (
    ADD,
    CONDITIONAL,
    CREATE,
    DELETE,
    MODIFY,
    NO,
    REMOVE,
    UPDATE,
    YES,
    Blocker,
    Replacement,
    ResourceRow,
    StackChange,
)
from ingress2cfn.deploy.review.replacement import keeps_name, predict_replacements
from ingress2cfn.deploy.review.template import resource_type, resources, same
from ingress2cfn.lint.checks.context import LB, LISTENER, LISTENER_CERTIFICATE, RULE, SECURITY_GROUP, SECURITY_GROUP_INGRESS, TARGET_GROUP, as_dict, as_list

RETAINING = ("Retain", "RetainExceptOnCreate")
TYPE_ORDER = (SECURITY_GROUP, SECURITY_GROUP_INGRESS, LB, LISTENER, LISTENER_CERTIFICATE, TARGET_GROUP, RULE)


@dataclass(frozen=True)
class CfnChange:
    """The parts of one describe_change_set ResourceChange the review reads."""

    action: str
    resource_type: str
    replacement: str | None
    causes: tuple[str, ...]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def read_changes(changes: tuple[dict, ...]) -> dict[str, CfnChange]:
    """Logical id → CloudFormation's resource change (other change types and malformed entries skipped)."""
    out: dict[str, CfnChange] = {}
    for change in changes:
        rc = as_dict(as_dict(change).get("ResourceChange"))
        lid, action = _str(rc.get("LogicalResourceId")), _str(rc.get("Action"))
        if lid is None or action is None:
            continue
        causes: list[str] = []
        for detail in as_list(rc.get("Details")):
            target = as_dict(as_dict(detail).get("Target"))
            name = _str(target.get("Name"))
            if name and target.get("RequiresRecreation") in ("Always", "Conditionally") and name not in causes:
                causes.append(name)
        out[lid] = CfnChange(action.lower(), _str(rc.get("ResourceType")) or "", _str(rc.get("Replacement")), tuple(causes))
    return out


def template_actions(change: StackChange) -> dict[str, str]:
    """Logical id → action, from the two templates (when CloudFormation's change list is not there)."""
    before, after = resources(change.old_template), resources(change.new_template)
    if change.action == REMOVE:
        return dict.fromkeys(before, DELETE)
    if change.action == CREATE:
        return dict.fromkeys(after, ADD)
    out: dict[str, str] = {}
    for lid in before.keys() | after.keys():
        if lid not in after:
            out[lid] = DELETE
        elif lid not in before:
            out[lid] = ADD
        elif not same(before[lid], after[lid]):
            out[lid] = MODIFY
    return out


def _type_rank(type_: str) -> int:
    return TYPE_ORDER.index(type_) if type_ in TYPE_ORDER else len(TYPE_ORDER)


def _retained_note(body: dict[str, Any] | None, policy: str, what: str) -> tuple[str, ...]:
    value = as_dict(body).get(policy)
    return (f"{what} ({policy} {value})",) if value in RETAINING else ()


def resource_rows(change: StackChange, replacements: tuple[Replacement, ...]) -> tuple[ResourceRow, ...]:
    if change.action == "no-changes":
        return ()
    before, after = resources(change.old_template), resources(change.new_template)
    cfn = read_changes(change.changes)
    actions = {lid: c.action for lid, c in cfn.items()} if cfn else template_actions(change)
    predicted = {r.logical_id: r for r in replacements}
    for lid in predicted.keys() - actions.keys():  # replaced through a reference: its own body did not change
        actions[lid] = MODIFY
    rows = []
    for lid, action in actions.items():
        body = after.get(lid) or before.get(lid) or {}
        type_ = (cfn[lid].resource_type if lid in cfn else "") or resource_type(body)
        notes: list[str] = []
        if action == MODIFY:
            c = cfn.get(lid)
            pred = predicted.get(lid)
            pred_causes = pred.properties if pred is not None else ()
            cfn_answer = c.replacement if c is not None else None
            cfn_causes = c.causes if c is not None else ()
            if cfn_answer == "True" or pred_causes:
                replacement = YES
            elif cfn_answer == CONDITIONAL.capitalize():
                replacement = CONDITIONAL
            else:
                replacement = NO
            causes = tuple(dict.fromkeys(pred_causes + cfn_causes))
            differs = cfn_answer is not None and (cfn_answer == "Conditional" or (cfn_answer == "True") != bool(pred_causes))
            if pred is not None and pred.because:
                notes.append(f"follows the replacement of {', '.join(pred.because)}")
            if cfn and c is None:
                notes.append("predicted; not in CloudFormation's change set")
            if replacement == YES:
                notes.extend(_retained_note(after.get(lid), "UpdateReplacePolicy", "the old one is kept"))
            rows.append(ResourceRow(lid, type_, action, replacement, causes, cfn_answer, cfn_causes, pred_causes, differs, tuple(notes)))
        else:
            if action == DELETE:
                notes.extend(_retained_note(before.get(lid), "DeletionPolicy", "kept in AWS, no longer managed by the stack"))
            rows.append(ResourceRow(lid, type_, action, None, (), None, (), None, False, tuple(notes)))
    return tuple(sorted(rows, key=lambda r: (_type_rank(r.resource_type), r.resource_type, r.logical_id)))


WAY_OUT = {
    LB: "give the ALB a new name (annotation alb.ingress.kubernetes.io/load-balancer-name on the group's Ingresses) so the new one can be created "
    "beside the old one, or remove the stack (`ingress2cfn destroy`) and deploy it again; either way the ALB gets a new DNS name",
    TARGET_GROUP: "deploy in two steps: first without the backend that uses this target group (the target group is deleted), then with it again; "
    "or remove the stack (`ingress2cfn destroy`) and deploy it again",
    SECURITY_GROUP: "remove the stack (`ingress2cfn destroy`) and deploy it again, or give the security group a new name",
}
KIND_NAMES = {LB: "ALB", TARGET_GROUP: "target group", SECURITY_GROUP: "security group"}
WAY_OUT_OTHER = "remove the resource in one deploy and add it back in the next, or give it a new name"


def blockers(stack: str, rows: tuple[ResourceRow, ...], replacements: tuple[Replacement, ...], old: dict | None, new: dict | None) -> tuple[Blocker, ...]:
    """Replacements of resources that keep their custom name: CloudFormation refuses them
    ("CloudFormation cannot update a stack when a custom-named resource requires replacing")."""
    by_id = {r.logical_id: r for r in replacements}
    after = resources(new)
    out = []
    for row in rows:
        if row.replacement != YES or row.logical_id not in after:
            continue
        replacement = by_id.get(row.logical_id) or Replacement(row.logical_id, row.resource_type, row.causes, True)
        kept = keeps_name(replacement, old, new)
        if kept is None:
            continue
        prop, name = kept
        kind = KIND_NAMES.get(row.resource_type, row.resource_type.rsplit("::", 1)[-1])
        out.append(
            Blocker(
                stack,
                row.logical_id,
                f"{kind} {row.logical_id} must be replaced ({', '.join(row.causes) or 'CloudFormation says so'}) but keeps its {prop} {name!r}: "
                "CloudFormation cannot replace a resource with a custom name",
                WAY_OUT.get(row.resource_type, WAY_OUT_OTHER),
            )
        )
    return tuple(out)


def predicted_for(change: StackChange) -> tuple[Replacement, ...]:
    if change.action != UPDATE or change.old_template is None or change.new_template is None:
        return ()
    return predict_replacements(change.old_template, change.new_template)
