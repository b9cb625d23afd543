"""ELBv2 reads: account limits (for `lint --quotas-from-aws`)."""

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
