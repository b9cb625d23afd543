"""The diff of one target group (§12): pure. Draining targets are ignored (a desired one that is
draining is registered again); exclusive groups lose every target that is not desired; a
multi-cluster group loses only the targets this cluster's ownership record lists."""

from __future__ import annotations

from collections.abc import Iterable

from ingress2cfn.sync.targets import Observed, Plan, Target


def plan_target_group(binding: str, target_group: str, desired: Iterable[Target], observed: Iterable[Observed], owned: frozenset[Target] | None) -> Plan:
    """`owned` is None for an exclusive target group, else this cluster's ownership record."""
    wanted = {t.key: t for t in desired}  # keep the AZ of the desired copy
    active = {o.target for o in observed if not o.draining}
    register = tuple(sorted(t for k, t in wanted.items() if Target(t.id, t.port) not in active))
    candidates = active if owned is None else active & owned
    deregister = tuple(sorted(t for t in candidates if t.key not in wanted))
    if owned is None:
        return Plan(binding, target_group, register, deregister)
    desired_set = frozenset(Target(t.id, t.port) for t in wanted.values())
    return Plan(binding, target_group, register, deregister, owned_before_register=owned | desired_set, owned_after=desired_set)
