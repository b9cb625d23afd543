"""The planning round trip: per stack, a change set (CREATE for a new stack, UPDATE otherwise), waited
for and described; then deleted, unless the caller keeps it to execute. A change set that fails because
nothing changed is "no changes"; a stack left in REVIEW_IN_PROGRESS by a discarded CREATE change set is
deleted and treated as new."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.aws import cloudformation as cfn
from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.aws.s3 import upload_template
from ingress2cfn.deploy.plan import BACKEND_SG_LOGICAL_ID, MAX_TEMPLATE_BODY, StackSpec, cluster_tags, compact_json, group_of, oversized, parameters
from ingress2cfn.deploy.prune import Found, removals
from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.metadata import STACK_TAG_CLUSTER, STACK_TAG_KIND

BUSY_SUFFIX = "_IN_PROGRESS"


class DeployError(Ingress2CfnError):
    """The deployment cannot go on; the message says why and the way out."""


@dataclass(frozen=True)
class DeployOptions:
    role_arn: str | None = None
    s3_bucket: str | None = None
    s3_prefix: str | None = None
    recreate_failed: bool = False  # delete a stack left in ROLLBACK_COMPLETE by a failed create, then create it again


@dataclass
class Planned:
    """What the deployer learned about one stack."""

    spec: StackSpec | None  # None for a removal
    name: str
    group: str | None
    action: str  # "create" | "update" | "no-changes" | "remove"
    deployed: cfn.DeployedStack | None = None
    old_template: dict[str, Any] | None = None
    changes: tuple[dict[str, Any], ...] = ()
    change_set_id: str | None = None  # kept for execution
    deferred: bool = False  # no change set yet: a parameter comes from a stack deployed earlier in this run
    notes: list[str] = field(default_factory=list)


def change_set_name(prefix: str = "ingress2cfn") -> str:
    return f"{prefix}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}"


def check_sizes(specs: tuple[StackSpec, ...], options: DeployOptions) -> None:
    """Before anything is sent: a template over the inline limit needs --s3-bucket."""
    big = oversized(specs)
    if big and not options.s3_bucket:
        sizes = ", ".join(f"{s.name} ({len(s.body.encode('utf-8')):,} bytes)" for s in big)
        raise DeployError(
            f"template too big to send inline (limit {MAX_TEMPLATE_BODY:,} bytes as compact JSON): {sizes}; "
            "give --s3-bucket BUCKET (and optionally --s3-prefix) to upload it, as `aws cloudformation deploy` does"
        )


def template_source(clients: AwsClients, spec: StackSpec, template: dict[str, Any], options: DeployOptions) -> cfn.TemplateSource:
    body = compact_json(template)
    if len(body.encode("utf-8")) <= MAX_TEMPLATE_BODY:
        return cfn.TemplateSource(body=body)
    assert options.s3_bucket  # check_sizes ran first
    return cfn.TemplateSource(url=upload_template(clients, options.s3_bucket, options.s3_prefix, spec.name, body))


def added_changes(template: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """What a CREATE change set lists: every resource Added (used while a parameter is unknown)."""
    resources = template.get("Resources") or {}
    return tuple(
        {"Type": "Resource", "ResourceChange": {"Action": "Add", "LogicalResourceId": lid, "ResourceType": body.get("Type", "")}}
        for lid, body in resources.items()
        if isinstance(body, dict)
    )


def ready_stack(clients: AwsClients, spec: StackSpec, options: DeployOptions) -> cfn.DeployedStack | None:
    """The deployed stack, after clearing what blocks a change set: an empty REVIEW_IN_PROGRESS
    stack (deleted: the stack is new), a failed first create (deleted with --recreate-failed)."""
    deployed = cfn.find_stack(clients, spec.name)
    if deployed is None:
        return None
    if deployed.status == "REVIEW_IN_PROGRESS":
        cfn.delete_stack(clients, spec.name, role_arn=options.role_arn)
        cfn.wait_stack(clients, spec.name, "stack_delete_complete")
        return None
    if deployed.status == "ROLLBACK_COMPLETE":
        if not options.recreate_failed:
            raise DeployError(
                f"stack {spec.name} is ROLLBACK_COMPLETE: its first create failed and CloudFormation cannot update it; "
                "re-run with --recreate-failed to delete it and create it again (see why it failed: "
                f"aws cloudformation describe-stack-events --stack-name {spec.name})"
            )
        cfn.delete_stack(clients, spec.name, role_arn=options.role_arn)
        cfn.wait_stack(clients, spec.name, "stack_delete_complete")
        return None
    if deployed.status.endswith(BUSY_SUFFIX):
        raise DeployError(
            f"stack {spec.name} is busy ({deployed.status}); wait for it: aws cloudformation describe-stacks --stack-name {spec.name}, then run again"
        )
    return deployed


def submit(
    clients: AwsClients, spec: StackSpec, template: dict[str, Any], deployed: cfn.DeployedStack | None, backend_sg: str | None, options: DeployOptions
) -> cfn.ChangeSetResult | None:
    """Create the change set and wait for it; None when nothing changed (the change set is gone)."""
    change_set_type = "UPDATE" if deployed is not None else "CREATE"
    change_set_id = cfn.create_change_set(
        clients,
        stack_name=spec.name,
        change_set_name=change_set_name(),
        change_set_type=change_set_type,
        template=template_source(clients, spec, template, options),
        parameters=parameters(spec, backend_sg),
        tags=dict(spec.tags),
        role_arn=options.role_arn,
    )
    if change_set_id is None:
        return None
    result = cfn.wait_change_set(clients, change_set_id, spec.name)
    if result.no_changes:
        cfn.delete_change_set(clients, change_set_id, spec.name)
        return None
    return result


def discard(clients: AwsClients, planned: Planned, options: DeployOptions) -> None:
    """Delete a kept change set; a CREATE one leaves an empty REVIEW_IN_PROGRESS stack: delete that too."""
    if planned.change_set_id is None:
        return
    cfn.delete_change_set(clients, planned.change_set_id, planned.name)
    planned.change_set_id = None
    if planned.deployed is None:
        cfn.delete_stack(clients, planned.name, role_arn=options.role_arn)
        cfn.wait_stack(clients, planned.name, "stack_delete_complete")


def backend_security_group(clients: AwsClients, spec: StackSpec) -> str | None:
    return cfn.physical_id(clients, spec.name, BACKEND_SG_LOGICAL_ID)


def plan_stacks(clients: AwsClients, specs: tuple[StackSpec, ...], options: DeployOptions, *, keep: bool) -> list[Planned]:
    """One Planned per rendered stack (in deployment order), then the removals. `keep`: leave the
    change sets for execution (deploy) or for a look in the console (plan --keep)."""
    check_sizes(specs, options)
    planned: list[Planned] = []
    backend_sg: str | None = None
    try:
        for spec in specs:
            deployed = ready_stack(clients, spec, options)
            old = cfn.get_template(clients, spec.name) if deployed is not None else None
            item = Planned(spec, spec.name, spec.group, "create" if deployed is None else "update", deployed, old)
            planned.append(item)
            if spec.needs_backend_sg and backend_sg is None:
                if deployed is not None:
                    raise DeployError(f"stack {spec.name} exists but the cluster stack {specs[0].name} does not: deploy the cluster stack first")
                item.deferred, item.changes = True, added_changes(spec.template)
                item.notes.append(f"change set created at deploy time, once {specs[0].name} gives BackendSecurityGroupId")
            else:
                result = submit(clients, spec, spec.template, deployed, backend_sg, options)
                if result is None:
                    item.action = "no-changes"
                else:
                    item.changes, item.change_set_id = result.changes, result.change_set_id
                    if not keep:
                        discard(clients, item, options)
            if spec.group is None and deployed is not None:
                backend_sg = backend_security_group(clients, spec)
    except BaseException:
        for item in planned:
            discard(clients, item, options)
        raise
    cluster = dict(specs[0].tags).get(STACK_TAG_CLUSTER, "")
    for gone in find_removals(clients, cluster, [s.name for s in specs]):
        planned.append(Planned(None, gone.name, group_of(gone.tags), "remove", gone, cfn.get_template(clients, gone.name)))
    return planned


def find_removals(clients: AwsClients, cluster: str, rendered: list[str]) -> list[cfn.DeployedStack]:
    """Stacks tagged for the cluster that are not rendered any more (group stacks first)."""
    tagged = {s.name: s for s in cfn.stacks_tagged(clients, cluster_tags(cluster))}
    return [tagged[f.name] for f in removals((Found(s.name, s.tags) for s in tagged.values()), cluster, rendered)]


def deployed_shards(clients: AwsClients, cluster: str) -> dict[str, Any]:
    """--split-by-quota: the shard assignment read back from the deployed group stacks' templates,
    exactly as render reads it from --out, so a deploy from a fresh clone moves no host."""
    from ingress2cfn.build.split import previous_from_templates

    stacks = cfn.stacks_tagged(clients, {**cluster_tags(cluster), STACK_TAG_KIND: "group"})
    return previous_from_templates(cfn.get_template(clients, s.name) for s in stacks)
