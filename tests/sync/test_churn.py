"""Churn: rolling updates of 3 Deployments (maxSurge 1, maxUnavailable 0), 1,000 endpoint changes,
synced in rounds against moto. After every AWS call of every round, every target group whose Service
has ready endpoints still holds at least one registered target, and the multi-cluster target group
still holds the target "another cluster" registered. (moto marks targets healthy at once, so here
registered = healthy; health-state sequences are in test_health_states.py.) Bursts of up to 40 changes
between rounds often replace every pod of a Deployment (16 changes roll 4 replicas), so a round
that deregistered before registering would empty the target group between its calls."""

from __future__ import annotations

import random

import boto3
from sync_kit import binding, endpoint, endpoint_slice, make_target_group, registered, service

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.engine import Syncer
from ingress2cfn.sync.ownership import MemoryOwnership
from ingress2cfn.sync.sources import FileSource

REPLICAS = 4
FOREIGN = ("10.9.9.9", 8080)


class Deployment:
    def __init__(self, name: str, first_ip: int):
        self.name, self.next_ip = name, first_ip
        self.pods: dict[str, dict] = {}  # pod → {"ip", "ready", "terminating"}
        for _ in range(REPLICAS):
            self._add(ready=True)

    def _add(self, ready: bool) -> str:
        pod = f"{self.name}-{self.next_ip}"
        self.pods[pod] = {"ip": f"10.0.{self.next_ip // 250}.{self.next_ip % 250 + 1}", "ready": ready, "terminating": False}
        self.next_ip += 1
        return pod

    def steps(self):
        """One rolling update as single endpoint changes: surge a pod, it becomes ready, an old one terminates, then goes."""
        old = [p for p, s in self.pods.items() if s["ready"] and not s["terminating"]]
        for victim in old:
            new = self._add(ready=False)
            yield
            self.pods[new]["ready"] = True
            yield
            self.pods[victim].update(ready=False, terminating=True)
            yield
            del self.pods[victim]
            yield

    def slice(self) -> dict:
        eps = [endpoint(s["ip"], p, ready=s["ready"], terminating=s["terminating"]) for p, s in sorted(self.pods.items())]
        return endpoint_slice(f"{self.name}-x", eps, service=self.name)

    def ready(self) -> int:
        return sum(1 for s in self.pods.values() if s["ready"] and not s["terminating"])


def test_rolling_updates_never_empty_a_target_group_and_keep_foreign_targets(aws):
    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    deployments = [Deployment(n, i * 20000) for i, n in enumerate(("web", "api", "shop"))]
    arns = {d.name: make_target_group(elbv2, ec2, f"tg-{d.name}")[1] for d in deployments}
    elbv2.register_targets(TargetGroupArn=arns["shop"], Targets=[{"Id": FOREIGN[0], "Port": FOREIGN[1]}])  # "another cluster"
    bindings = parse_bindings([(binding(f"tg-{d.name}", service=d.name, multi=d.name == "shop"), None) for d in deployments])
    ownership = MemoryOwnership()
    violations: list[str] = []
    checks = [0]

    def check(model, **_):
        if model.name not in ("RegisterTargets", "DeregisterTargets"):
            return
        checks[0] += 1
        for d in deployments:
            held = registered(elbv2, arns[d.name])
            if d.ready() and not held - {FOREIGN}:
                violations.append(f"{d.name}: no registered target of ours while {d.ready()} endpoints are ready")
        if FOREIGN not in registered(elbv2, arns["shop"]):
            violations.append("the other cluster's target was deregistered")

    rng = random.Random(12)
    streams = [d.steps() for d in deployments]
    changes = rounds = 0
    clients = AwsClients(region="us-east-1")

    def sync_round():
        objects = [(service(d.name), None) for d in deployments] + [(d.slice(), None) for d in deployments]
        report = Syncer(clients, FileSource(objects), bindings, ownership).run_once()
        assert not report.failed

    sync_round()  # the first fill; from here on no target group may go empty
    clients.client("elbv2").meta.events.register("after-call", check)
    while changes < 1000:
        for _ in range(rng.randint(1, 40)):  # a burst of changes between two rounds (the watch debounces them)
            i = rng.randrange(3)
            try:
                next(streams[i])
            except StopIteration:
                streams[i] = deployments[i].steps()  # the next rolling update
                next(streams[i])
            changes += 1
        sync_round()
        rounds += 1
        for d in deployments:  # after the round: exactly the ready endpoints (+ the foreign target)
            want = {(s["ip"], 8080) for s in d.pods.values() if s["ready"] and not s["terminating"]}
            assert registered(elbv2, arns[d.name]) == want | ({FOREIGN} if d.name == "shop" else set())
    assert violations == []
    assert changes >= 1000 and rounds > 20 and checks[0] > rounds  # the invariant was checked inside rounds, between calls
