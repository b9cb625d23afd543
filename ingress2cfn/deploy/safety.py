"""Stack policies (pure). New stacks get one that denies replacing or deleting the load balancer and
the listeners; `--allow-replacement` swaps in the permissive one for a single deploy."""

from __future__ import annotations

import json
from typing import Any

PROTECTED_TYPES = ("AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::Listener")
_ALLOW_ALL = {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}


def protected_ids(template: dict[str, Any]) -> list[str]:
    resources = template.get("Resources") or {}
    return sorted(lid for lid, body in resources.items() if isinstance(body, dict) and body.get("Type") in PROTECTED_TYPES)


def protective_policy(template: dict[str, Any]) -> str | None:
    """Deny Update:Replace and Update:Delete on the LB and listeners; None when the stack has neither."""
    ids = protected_ids(template)
    if not ids:
        return None
    deny = {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*", "Resource": [f"LogicalResourceId/{i}" for i in ids]}
    return json.dumps({"Statement": [_ALLOW_ALL, deny]}, sort_keys=True)


def permissive_policy() -> str:
    return json.dumps({"Statement": [_ALLOW_ALL]}, sort_keys=True)


def is_permissive(policy: str | None) -> bool:
    """A policy left permissive by an interrupted `--allow-replacement` deploy."""
    if not policy:
        return False
    try:
        return bool(json.loads(policy) == json.loads(permissive_policy()))
    except ValueError:
        return False
