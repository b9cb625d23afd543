"""What `plan`, `deploy` and `demo` share: render for deployment, plan against CloudFormation, turn
the result into the review, print it, and pick the exit code."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from ingress2cfn.cli.console import colour, note, warn
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_INVALID, EXIT_OK, EXIT_WARNINGS
from ingress2cfn.cli.options import certificate_source, limits_from, render_request

if TYPE_CHECKING:
    from ingress2cfn.aws.clients import AwsClients
    from ingress2cfn.deploy.changesets import DeployOptions, Planned
    from ingress2cfn.deploy.importing import PlannedImport
    from ingress2cfn.deploy.plan import StackSpec
    from ingress2cfn.deploy.review import Review
    from ingress2cfn.model.quotas import Limits

REVIEW_FORMATS = ("text", "markdown", "json")
REVIEW_FORMAT_OPTION = click.option(
    "--format",
    "review_format",
    type=click.Choice(REVIEW_FORMATS),
    default="text",
    show_default=True,
    help="The review on stdout: terminal text, Markdown (a PR comment) or JSON (versioned schema).",
)


@dataclass(frozen=True)
class Rendered:
    specs: tuple[StackSpec, ...]
    limits: Limits


def deploy_options_from(inputs: dict[str, Any], recreate_failed: bool = False) -> DeployOptions:
    from ingress2cfn.deploy.changesets import DeployOptions

    return DeployOptions(role_arn=inputs.get("role_arn"), s3_bucket=inputs.get("s3_bucket"), s3_prefix=inputs.get("s3_prefix"), recreate_failed=recreate_failed)


def render_for_deploy(inputs: dict[str, Any], quotas: tuple[str, ...], clients: AwsClients) -> Rendered:
    """Render as `render` does (JSON); with --split-by-quota the last assignment comes from the deployed stacks."""
    from ingress2cfn.deploy.changesets import deployed_shards
    from ingress2cfn.deploy.plan import stack_specs
    from ingress2cfn.render.pipeline import render_files

    limits, _ = limits_from(quotas)
    request = render_request(inputs, limits=limits, fmt="json")
    previous = deployed_shards(clients, inputs["cluster"]) if inputs.get("split_by_quota") else None
    result = render_files(request, certificates=certificate_source(inputs), previous_shards=previous)
    for line in result.notes:
        note(line)
    for message in result.warnings:
        warn(message)
    if not result.groups:
        warn(f"no Ingress belongs to ingress class {inputs['ingress_class']!r}: only the cluster stack is planned")
    specs = stack_specs(json.loads(result.cluster_template), [json.loads(g.template) for g in result.groups])
    return Rendered(specs, limits)


def review_of(planned: list[Planned], limits: Limits) -> Review:
    from ingress2cfn.deploy.review import StackChange, build_review

    changes = [
        StackChange(
            stack_name=p.name,
            group=p.group,
            action=p.action,
            old_template=p.old_template,
            new_template=p.spec.template if p.spec is not None else None,
            changes=tuple(p.changes) if p.action in ("create", "update") else (),
        )
        for p in planned
    ]
    return build_review(changes, limits)


def show_review(review: Review, review_format: str) -> None:
    from ingress2cfn.deploy.review import render_json, render_markdown, render_text

    if review_format == "json":
        click.echo(render_json(review), nl=False)
    elif review_format == "markdown":
        click.echo(render_markdown(review), nl=False)
    else:
        click.echo(render_text(review, colour=colour(sys.stdout)), nl=False)


def show_notes(planned: list[Planned]) -> None:
    for item in planned:
        for line in item.notes:
            note(f"{item.name}: {line}")


def show_blockers(review: Review) -> None:
    from ingress2cfn.cli.console import fail

    for blocker in review.blockers:
        fail(f"{blocker.stack} {blocker.logical_id}: {blocker.message}; way out: {blocker.way_out}")


IMPORT_EXISTING_OPTION = click.option(
    "--import-existing",
    is_flag=True,
    help="Adopt the ALB, listeners, rules, target groups and security groups the AWS Load Balancer Controller made for the "
    "same groups (same names and tracking tags) with IMPORT change sets, instead of creating new ones (README: adopting).",
)


def show_imports(items: list[PlannedImport]) -> bool:
    """The import plan per stack on stdout; True when a stack is blocked (a name another cluster's resource holds)."""
    blocked = False
    for item in items:
        click.echo(f"{item.spec.name}: " + ("nothing to import" if item.plan.empty else f"import {len(item.plan.resources_to_import)} resource(s)"))
        for line in item.plan.report_lines():
            click.echo(f"  {line}")
        blocked = blocked or bool(item.plan.blocked)
    return blocked


def plan_exit_code(review: Review) -> int:
    """0 no changes, 2 changes, 3 changes with a danger; 1 when a change cannot be executed."""
    if review.blockers:
        return EXIT_INVALID
    if not review.has_changes:
        return EXIT_OK
    return EXIT_WARNINGS if review.dangers else EXIT_CHANGES_PENDING
