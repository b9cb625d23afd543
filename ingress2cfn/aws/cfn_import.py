"""CloudFormation IMPORT change sets (adoption): create, wait, describe. Kept apart from the deployer's
CREATE/UPDATE change sets because an import carries ResourcesToImport and allows no other change."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from ingress2cfn.aws.clients import AwsClients, AwsError, calling


@dataclass(frozen=True)
class ImportChangeSet:
    id: str
    stack_id: str
    status: str
    changes: tuple[dict[str, Any], ...]  # the ResourceChange of each entry of Changes


def create_import_change_set(
    clients: AwsClients,
    *,
    stack_name: str,
    change_set_name: str,
    template_body: str | None = None,
    template_url: str | None = None,
    resources_to_import: Sequence[dict[str, Any]],
    parameters: Sequence[dict[str, str]] = (),
    tags: Sequence[dict[str, str]] = (),
    role_arn: str | None = None,
) -> ImportChangeSet:
    """create_change_set(ChangeSetType=IMPORT) → waiter change_set_create_complete → describe_change_set
    (paginated). A failed change set is an AwsError with CloudFormation's StatusReason. The body goes as
    TemplateBody, or as TemplateURL when the caller uploaded it (over 51,200 bytes)."""
    from botocore.exceptions import WaiterError

    cfn = clients.client("cloudformation")
    kwargs: dict[str, Any] = {
        "StackName": stack_name,
        "ChangeSetName": change_set_name,
        "ChangeSetType": "IMPORT",
        "ResourcesToImport": list(resources_to_import),
    }
    if (template_body is None) == (template_url is None):
        raise ValueError("give exactly one of template_body and template_url")
    if template_url is not None:
        kwargs["TemplateURL"] = template_url
    else:
        kwargs["TemplateBody"] = template_body
    if parameters:
        kwargs["Parameters"] = list(parameters)
    if tags:
        kwargs["Tags"] = list(tags)
    if role_arn:
        kwargs["RoleARN"] = role_arn
    what = f"creating the IMPORT change set {change_set_name} of stack {stack_name}"
    created = calling(what, lambda: cfn.create_change_set(**kwargs))
    ids = {"ChangeSetName": created["Id"], "StackName": created.get("StackId", stack_name)}
    with suppress(WaiterError):  # FAILED (or the waiter gave up): the status and reason are read below
        cfn.get_waiter("change_set_create_complete").wait(**ids)
    pages = calling(what, lambda: list(cfn.get_paginator("describe_change_set").paginate(**ids)))
    first = pages[0] if pages else {}
    status = str(first.get("Status", "UNKNOWN"))
    if status != "CREATE_COMPLETE":
        raise AwsError(f"{what}: {status}: {first.get('StatusReason', 'no reason given')}")
    changes = tuple(c.get("ResourceChange", {}) for page in pages for c in page.get("Changes", []))
    return ImportChangeSet(created["Id"], str(first.get("StackId", created.get("StackId", ""))), status, changes)
