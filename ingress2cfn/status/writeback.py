"""From a collected status to the Ingress status write-back: which addresses the members show (pure),
and the write itself through ingress2cfn.k8s."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.k8s.ingress_status import Address, StatusWrite, write_ingress_status
from ingress2cfn.status.collect import collect
from ingress2cfn.status.judge import failed
from ingress2cfn.status.report import GroupStatus

SETTLED = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "IMPORT_COMPLETE")


def addresses(group: GroupStatus) -> tuple[Address, ...]:
    """The ALB (then a frontend NLB) with its listener ports, once the stack has settled; () while it
    is in progress, failed or missing, so a half-made or rolled-back stack never overwrites status."""
    status = group.stack.status
    if status not in SETTLED or failed(status):
        return ()
    return tuple(Address(lb.dns_name, tuple(sorted({lst.port for lst in lb.listeners}))) for lb in group.load_balancers if lb.dns_name)


def write_back(api: Any, group: GroupStatus) -> list[StatusWrite]:
    """Write `group`'s addresses to its member Ingresses (`api`: kubernetes.client.NetworkingV1Api)."""
    return write_ingress_status(api, group.members, addresses(group))


def refresh(clients: AwsClients, api: Any, stack_names: Iterable[str]) -> list[StatusWrite]:
    """Read each stack (without events and target health) and write its members' status: what
    `deploy` calls after executing and `sync` after every round, unless --no-write-status."""
    out: list[StatusWrite] = []
    for name in stack_names:
        out.extend(write_back(api, collect(clients, name, events=False, health=False)))
    return out
