"""StackChanges (what the deployer learned) → the Review (what a reviewer sees). Pure."""

from __future__ import annotations

from collections.abc import Sequence

from ingress2cfn.deploy.review.dangers import stack_dangers
from ingress2cfn.deploy.review.gauges import gauges
from ingress2cfn.deploy.review.model import NO_CHANGES, REMOVE, STACK_ACTIONS, UPDATE, Blocker, Danger, Review, StackChange, StackReview
from ingress2cfn.deploy.review.resources import blockers, predicted_for, read_changes, resource_rows
from ingress2cfn.deploy.review.rule_table import listener_tables
from ingress2cfn.lint.checks.context import as_dict
from ingress2cfn.model.quotas import Limits

NO_DETAILS = "CloudFormation's change set says nothing about replacements here; they are predicted from the deployed and the new template"


def _order(change: StackChange) -> tuple[bool, str]:
    return (change.group is not None, change.stack_name)  # the cluster stack first, as it is deployed


def review_stack(change: StackChange, limits: Limits) -> tuple[StackReview, tuple[Danger, ...], tuple[Blocker, ...]]:
    if change.action not in STACK_ACTIONS:
        raise ValueError(f"stack {change.stack_name}: unknown action {change.action!r} (one of {', '.join(STACK_ACTIONS)})")
    old = change.old_template
    new = None if change.action == REMOVE else change.new_template
    replacements = predicted_for(change)
    rows = resource_rows(change, replacements)
    tables = () if change.action == NO_CHANGES else listener_tables(old, new, rows)
    notes = []
    cfn = read_changes(change.changes)
    if change.action == UPDATE and cfn and not any("Replacement" in as_dict(as_dict(c).get("ResourceChange")) for c in change.changes):
        notes.append(NO_DETAILS)
    review = StackReview(change.stack_name, change.group, change.action, tables, rows, gauges(old, new, limits), tuple(notes))
    return review, stack_dangers(change, rows, tables), blockers(change.stack_name, rows, replacements, old, new)


def build_review(stacks: Sequence[StackChange], limits: Limits) -> Review:
    reviews: list[StackReview] = []
    dangers: list[Danger] = []
    blocked: list[Blocker] = []
    for change in sorted(stacks, key=_order):
        review, found, cannot = review_stack(change, limits)
        reviews.append(review)
        dangers.extend(found)
        blocked.extend(cannot)
    return Review(tuple(reviews), tuple(dangers), tuple(blocked), any(s.action != NO_CHANGES for s in reviews))
