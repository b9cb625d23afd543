"""The Ingress status write-back as `deploy` (after executing) and `sync` (after every round) run it,
with their shared `--no-write-status` option. Best effort, as the controller: a failure is a warning
and the command goes on; the next round writes again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from ingress2cfn.cli.console import note, warn

if TYPE_CHECKING:
    from ingress2cfn.aws.clients import AwsClients

NO_WRITE_STATUS_OPTION = click.option(
    "--no-write-status",
    "no_write_status",
    is_flag=True,
    help="Do not write the ALB's DNS name and listener ports to status.loadBalancer of the member Ingresses "
    "(needs get and patch on ingresses/status; README: Ingress status write-back).",
)


def write_status(clients: AwsClients, api_client: Any, stack_names: Iterable[str]) -> None:
    """`api_client`: a `kubernetes.client.ApiClient` (in-cluster or kubeconfig), made by the caller."""
    from kubernetes.client import NetworkingV1Api

    from ingress2cfn.input.errors import Ingress2CfnError
    from ingress2cfn.k8s.ingress_status import Outcome
    from ingress2cfn.status.writeback import refresh

    try:
        writes = refresh(clients, NetworkingV1Api(api_client), stack_names)
    except Ingress2CfnError as exc:
        warn(f"Ingress status not written: {exc}")
        return
    for write in writes:
        if write.outcome is Outcome.UPDATED:
            note(f"Ingress {write.ingress}: status.loadBalancer written")
        elif write.outcome is Outcome.MISSING:
            warn(f"Ingress {write.ingress} is in the deployed stack but not in the cluster: status not written")


def after_deploy(clients: AwsClients, kubeconfig: str | None, context: str | None, stack_names: Iterable[str]) -> None:
    """`deploy`: write the members' status when a cluster is configured (--kubeconfig/--context,
    KUBECONFIG or ~/.kube/config, or in-cluster). A pipeline that only talks to AWS has none: then
    a note, and `sync` writes it from the cluster."""
    from ingress2cfn.k8s.client import K8sError, api_client

    try:
        api = api_client(kubeconfig, context)
    except K8sError as exc:
        (warn if kubeconfig or context else note)(f"Ingress status not written: {exc}")
        return
    write_status(clients, api, stack_names)


def after_round(clients: AwsClients, api_client: Any, stack_names: Iterable[str]) -> Callable[[Any], None]:
    """A `sync` after-round callback that writes the status of `stack_names`' member Ingresses."""
    names = tuple(stack_names)
    return lambda _report: write_status(clients, api_client, names)
