"""`--import-existing`: adopt what the controller made for the same groups, as IMPORT change sets
(import first, update second: an import allows no other change). Per stack, cluster stack first:
look the controller's resources up by name and tracking tags, plan the import (deploy.adopt, pure),
and create the IMPORT change set; `deploy` executes them before the usual change sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.aws import cfn_import, elbv2
from ingress2cfn.aws import cloudformation as cfn
from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.deploy import adopt
from ingress2cfn.deploy.changesets import DeployOptions, change_set_name
from ingress2cfn.deploy.plan import BACKEND_SG_LOGICAL_ID, StackSpec, parameters


@dataclass
class PlannedImport:
    spec: StackSpec
    plan: adopt.ImportPlan
    stack_exists: bool
    change_set_id: str | None = None
    changes: tuple[dict[str, Any], ...] = field(default=())


def _backend_sg(item: PlannedImport, clients: AwsClients) -> str | None:
    """The backend SG id a group stack's import needs: imported now, or already in the cluster stack."""
    for resource in item.plan.resources_to_import:
        if resource["LogicalResourceId"] == BACKEND_SG_LOGICAL_ID:
            return str(next(iter(resource["ResourceIdentifier"].values())))
    return cfn.physical_id(clients, item.spec.name, BACKEND_SG_LOGICAL_ID) if item.stack_exists else None


def plan_imports(clients: AwsClients, specs: tuple[StackSpec, ...], options: DeployOptions, *, keep: bool) -> list[PlannedImport]:
    """One PlannedImport per rendered stack. A blocked plan (a name taken by another cluster's
    resource) gets no change set; `keep`: leave the change sets for `execute_imports`."""
    out: list[PlannedImport] = []
    backend_sg: str | None = None
    for spec in specs:
        deployed = cfn.find_stack(clients, spec.name)
        old = cfn.get_template(clients, spec.name) if deployed is not None else None
        found = elbv2.find_lbc_resources(clients, adopt.lookup_for(spec.template))
        item = PlannedImport(spec, adopt.import_plan(spec.template, found, old), deployed is not None)
        out.append(item)
        if not item.plan.empty and not item.plan.blocked:
            created = cfn_import.create_import_change_set(
                clients,
                stack_name=spec.name,
                change_set_name=change_set_name("ingress2cfn-import"),
                template_body=item.plan.template_body(),
                resources_to_import=item.plan.resources_to_import,
                parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters(spec, backend_sg).items()],
                tags=[{"Key": k, "Value": v} for k, v in spec.tags],
                role_arn=options.role_arn,
            )
            item.change_set_id, item.changes = created.id, created.changes
            if not keep:
                discard_import(clients, item, options)
        if spec.group is None:
            backend_sg = _backend_sg(item, clients)
    return out


def discard_import(clients: AwsClients, item: PlannedImport, options: DeployOptions) -> None:
    """Delete the IMPORT change set; on a new stack that leaves an empty REVIEW_IN_PROGRESS stack: delete it too."""
    if item.change_set_id is None:
        return
    cfn.delete_change_set(clients, item.change_set_id, item.spec.name)
    item.change_set_id = None
    if not item.stack_exists:
        cfn.delete_stack(clients, item.spec.name, role_arn=options.role_arn)
        cfn.wait_stack(clients, item.spec.name, "stack_delete_complete")


def execute_imports(clients: AwsClients, items: list[PlannedImport]) -> None:
    for item in items:
        if item.change_set_id is None:
            continue
        cfn.execute_change_set(clients, item.change_set_id, item.spec.name)
        item.change_set_id = None
        cfn.wait_stack(clients, item.spec.name, "stack_import_complete")
