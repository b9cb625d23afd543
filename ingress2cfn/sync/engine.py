"""One sync round over every binding: read the cluster snapshot, compute desired targets and the
plan per target group (pure), then apply (the only writer): register, then deregister. A binding
that cannot be resolved (Service missing, ...) leaves its target group untouched; an AWS failure on
one target group does not stop the others. `after_round` callbacks run after every round (e.g.
Ingress status write-back)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ingress2cfn.aws import targets as elbv2
from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.sync.bindings import Binding
from ingress2cfn.sync.desired import Desired, Network, desired_targets
from ingress2cfn.sync.diff import plan_target_group
from ingress2cfn.sync.objects import ClusterState
from ingress2cfn.sync.ownership import OwnershipStore
from ingress2cfn.sync.targets import Observed, Plan, Target, steps


class ClusterSource(Protocol):
    def snapshot(self, bindings: Sequence[Binding]) -> ClusterState: ...


@dataclass
class Outcome:
    binding: Binding
    plan: Plan | None = None
    desired: Desired | None = None
    observed: tuple[Observed, ...] = ()
    problem: str | None = None  # could not plan: target group left alone
    error: str | None = None  # AWS failed while applying
    applied: bool = False


@dataclass
class RoundReport:
    outcomes: list[Outcome] = field(default_factory=list)
    state: ClusterState | None = None  # the snapshot the round planned from

    @property
    def failed(self) -> bool:
        return any(o.problem or o.error for o in self.outcomes)


def _observed(raw: list[dict]) -> tuple[Observed, ...]:
    return tuple(
        sorted((Observed(Target(str(t["Id"]), int(t.get("Port", 0)), t.get("AvailabilityZone")), str(t["State"])) for t in raw), key=lambda o: o.target)
    )


def _wire(targets: Sequence[Target]) -> list[dict]:
    return [{"Id": t.id, "Port": t.port, **({"AvailabilityZone": t.az} if t.az else {})} for t in targets]


@dataclass
class Syncer:
    clients: AwsClients
    source: ClusterSource
    bindings: list[Binding]
    ownership: OwnershipStore
    dry_run: bool = False
    after_round: list[Callable[[RoundReport], None]] = field(default_factory=list)
    _arns: dict[str, str] = field(default_factory=dict)
    _cidrs: dict[str, tuple[Network, ...]] = field(default_factory=dict)

    def arn(self, binding: Binding) -> str:
        if binding.target_group_arn:
            return binding.target_group_arn
        name = binding.target_group_name or ""
        if name not in self._arns:
            self._arns[name] = elbv2.target_group_arn(self.clients, name)
        return self._arns[name]

    def cidrs(self, binding: Binding) -> tuple[Network, ...] | None:
        if binding.target_type != "ip" or not binding.vpc_id:
            return None
        if binding.vpc_id not in self._cidrs:
            self._cidrs[binding.vpc_id] = tuple(ipaddress.ip_network(c, strict=False) for c in elbv2.vpc_cidrs(self.clients, binding.vpc_id))
        return self._cidrs[binding.vpc_id]

    def plan(self, binding: Binding, state: ClusterState) -> Outcome:
        outcome = Outcome(binding)
        try:
            desired = desired_targets(binding, state, self.cidrs(binding))
            outcome.desired = desired
            if desired.problem:
                outcome.problem = desired.problem
                return outcome
            arn = self.arn(binding)
            outcome.observed = _observed(elbv2.target_health(self.clients, arn))
            owned = self.ownership.read(binding) if binding.multi_cluster else None
            outcome.plan = plan_target_group(binding.ref, arn, desired.targets, outcome.observed, owned)
        except Ingress2CfnError as exc:
            outcome.error = str(exc)
        return outcome

    def apply(self, outcome: Outcome) -> None:
        """Register every batch, then deregister: a failed registration raises before any deregistration."""
        plan, binding = outcome.plan, outcome.binding
        if plan is None or self.dry_run:
            return
        try:
            if plan.register and plan.owned_before_register is not None:
                self.ownership.write(binding, plan.owned_before_register)
            for step in steps(plan):  # the order the property tests check: every register batch, then deregister
                call = elbv2.register_targets if step.action == "register" else elbv2.deregister_targets
                call(self.clients, step.target_group, _wire(step.targets))
            if plan.owned_after is not None and not plan.empty:
                self.ownership.write(binding, plan.owned_after)
            outcome.applied = True
        except Ingress2CfnError as exc:
            outcome.error = str(exc)

    def run_once(self, state: ClusterState | None = None) -> RoundReport:
        state = state if state is not None else self.source.snapshot(self.bindings)
        report = RoundReport(state=state)
        for binding in self.bindings:
            outcome = self.plan(binding, state)
            self.apply(outcome)
            report.outcomes.append(outcome)
        for callback in self.after_round:
            callback(report)
        return report
