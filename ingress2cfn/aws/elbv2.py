"""ELBv2: account limits (for `lint --quotas-from-aws`); the deployer's look at a load balancer (DNS name) and `destroy --delete-load-balancer`."""

from __future__ import annotations

from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling


def describe_account_limits(clients: AwsClients) -> list[dict[str, Any]]:
    """`elbv2 describe-account-limits`, every page: [{"Name": ..., "Max": "100"}, ...]."""
    limits: list[dict[str, Any]] = []
    for page in clients.client("elbv2").get_paginator("describe_account_limits").paginate():
        limits.extend(page.get("Limits", []))
    return limits


def account_limits(clients: AwsClients) -> list[dict[str, Any]]:
    """The account's ELBv2 limits in the clients' region; AwsError on failure."""
    return calling("reading ELBv2 account limits (elbv2 describe-account-limits)", lambda: describe_account_limits(clients))


def load_balancer(clients: AwsClients, arn: str) -> dict[str, Any] | None:
    """describe-load-balancers for one ARN; None when it is gone."""
    from botocore.exceptions import ClientError

    def call() -> dict[str, Any] | None:
        try:
            found = clients.client("elbv2").describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]
        except ClientError as exc:
            if "LoadBalancerNotFound" in str(exc):
                return None
            raise
        return found[0] if found else None

    return calling(f"reading load balancer {arn} (elbv2 describe-load-balancers)", call)


def delete_load_balancer(clients: AwsClients, arn: str) -> None:
    """Deletion protection off first, then delete, then wait until it is gone."""
    elbv2 = clients.client("elbv2")
    calling(
        f"turning deletion protection off for {arn}",
        lambda: elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]),
    )
    calling(f"deleting load balancer {arn}", lambda: elbv2.delete_load_balancer(LoadBalancerArn=arn))
    calling(f"waiting for load balancer {arn} to be deleted", lambda: elbv2.get_waiter("load_balancers_deleted").wait(LoadBalancerArns=[arn]))
