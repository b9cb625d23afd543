"""Pod readiness gates for ip mode (§12): a Pod whose spec lists the readiness gate
`target-health.elbv2.k8s.aws/<binding name>` gets that condition True once its target is `healthy`
in the target group, so a rolling update waits for the load balancer. The gate itself goes into
the Pod template (there is no injecting webhook); `sync --pod-readiness-gate` sets the condition.
Runs as an `after_round` callback; `pending` counts gated Pods still waiting (watch re-syncs soon)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ingress2cfn.sync.engine import RoundReport

PREFIX = "target-health.elbv2.k8s.aws/"


@dataclass(frozen=True)
class GateUpdate:
    namespace: str
    pod: str
    condition: str


def gate_updates(report: RoundReport) -> tuple[list[GateUpdate], int]:
    """(conditions to set True, gated Pods whose target is not healthy yet)."""
    updates, pending = [], 0
    state = report.state
    for outcome in report.outcomes:
        b = outcome.binding
        if b.target_type != "ip" or outcome.desired is None or state is None or outcome.problem or outcome.error:
            continue
        condition = PREFIX + b.name
        healthy = {o.target for o in outcome.observed if o.state == "healthy"}
        for target, pod_name in sorted(outcome.desired.pods.items()):
            pod = state.pods.get((b.namespace, pod_name))
            if pod is None or condition not in pod.readiness_gates or dict(pod.conditions).get(condition) == "True":
                continue
            if target in healthy:
                updates.append(GateUpdate(b.namespace, pod_name, condition))
            else:
                pending += 1
    return updates, pending


class ConditionWriter(Protocol):
    def set(self, namespace: str, pod: str, condition: str, status: str, reason: str, message: str) -> None: ...


class ReadinessGates:
    def __init__(self, writer: ConditionWriter):
        self.writer = writer
        self.pending = 0

    def __call__(self, report: RoundReport) -> None:
        updates, self.pending = gate_updates(report)
        for u in updates:
            self.writer.set(u.namespace, u.pod, u.condition, "True", "TargetHealthy", "the target is healthy in the target group")
