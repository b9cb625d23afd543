"""Health states moto cannot produce (it marks every target healthy at once and never shows
`initial` or `draining`), so these use botocore's Stubber on the real elbv2 client: a rolling
update with the pod readiness gate, draining targets, and a failed registration.

Invariant on healthy targets: with the readiness gate, the old pod stays a ready endpoint until the
new pod's gate is True, which sync sets only once the new target is `healthy`; sync deregisters the
old target only after the endpoint is gone. So the target group keeps a healthy target throughout."""

from __future__ import annotations

from botocore.stub import Stubber
from sync_kit import binding, endpoint, endpoint_slice, node, pod, service

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.engine import Syncer
from ingress2cfn.sync.gates import PREFIX, ReadinessGates
from ingress2cfn.sync.ownership import MemoryOwnership
from ingress2cfn.sync.sources import FileSource

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-web/0123456789abcdef"
GATE = PREFIX + "tg-web"


class Writer:
    def __init__(self):
        self.set_true: list[str] = []

    def set(self, namespace, pod, condition, status, reason, message):
        self.set_true.append(pod)


def health(*entries):
    return {"TargetHealthDescriptions": [{"Target": {"Id": i, "Port": 8080}, "TargetHealth": {"State": s}} for i, s in entries]}


def run(objects, stubbed, writer=None):
    clients = AwsClients(region="us-east-1")
    client = clients.client("elbv2")
    syncer = Syncer(clients, FileSource([(o, None) for o in objects]), parse_bindings([(binding("tg-web", targetGroupARN=ARN), None)]), MemoryOwnership())
    gates = ReadinessGates(writer or Writer())
    syncer.after_round.append(gates)
    with Stubber(client) as stub:
        for method, response, params in stubbed:
            if isinstance(response, str):
                stub.add_client_error(method, service_error_code=response, http_status_code=400)
            else:
                stub.add_response(method, response, params)
        report = syncer.run_once()
        stub.assert_no_pending_responses()
    return report, gates


def test_rolling_update_with_readiness_gate_keeps_a_healthy_target(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    base = [service(), node("node-a", "i-0aaa")]
    old, new = endpoint("10.0.1.1", "old"), endpoint("10.0.1.2", "new", ready=False)  # new: held back by its gate only
    pods = [pod("old"), pod("new", gates=(GATE,))]
    # round 1: the new pod's endpoint is registered; the old one stays
    register = {"TargetGroupArn": ARN, "Targets": [{"Id": "10.0.1.2", "Port": 8080}]}
    report, gates = run(
        base + pods + [endpoint_slice("web-1", [old, new])],
        [("describe_target_health", health(("10.0.1.1", "healthy")), None), ("register_targets", {}, register)],
    )
    assert [t.key for t in report.outcomes[0].plan.register] == ["10.0.1.2:8080"] and not report.outcomes[0].plan.deregister
    assert gates.pending == 1
    # round 2: the new target is `initial`: registered (nothing to do), gate still pending
    writer = Writer()
    report, gates = run(
        base + pods + [endpoint_slice("web-1", [old, new])],
        [("describe_target_health", health(("10.0.1.1", "healthy"), ("10.0.1.2", "initial")), None)],
        writer,
    )
    assert report.outcomes[0].plan.empty and gates.pending == 1 and writer.set_true == []
    # round 3: healthy → the gate condition is set, so the Deployment may now terminate the old pod
    report, gates = run(
        base + pods + [endpoint_slice("web-1", [old, new])],
        [("describe_target_health", health(("10.0.1.1", "healthy"), ("10.0.1.2", "healthy")), None)],
        writer,
    )
    assert writer.set_true == ["new"] and gates.pending == 0
    # round 4: the old endpoint is gone: deregistered, the new healthy target stays
    ready_new = endpoint("10.0.1.2", "new")
    report, _ = run(
        base + pods + [endpoint_slice("web-1", [ready_new])],
        [
            ("describe_target_health", health(("10.0.1.1", "healthy"), ("10.0.1.2", "healthy")), None),
            ("deregister_targets", {}, {"TargetGroupArn": ARN, "Targets": [{"Id": "10.0.1.1", "Port": 8080}]}),
        ],
    )
    assert [t.key for t in report.outcomes[0].plan.deregister] == ["10.0.1.1:8080"]


def test_draining_targets_are_ignored_and_registered_again_when_desired(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    objects = [service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])]
    report, _ = run(
        objects,
        [
            ("describe_target_health", health(("10.0.1.1", "draining"), ("10.0.1.9", "draining")), None),
            ("register_targets", {}, {"TargetGroupArn": ARN, "Targets": [{"Id": "10.0.1.1", "Port": 8080}]}),
        ],
    )
    plan = report.outcomes[0].plan
    assert [t.key for t in plan.register] == ["10.0.1.1:8080"] and plan.deregister == ()  # 10.0.1.9 is already on its way out


def test_failed_registration_means_no_deregistration(monkeypatch):
    """A register error (after botocore's retries) stops the round for that target group before any deregistration."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    objects = [service(), endpoint_slice("web-1", [endpoint("10.0.1.2", "b")])]
    report, _ = run(objects, [("describe_target_health", health(("10.0.1.1", "healthy")), None), ("register_targets", "InvalidTarget", None)])
    (outcome,) = report.outcomes
    assert "registering 1 targets" in outcome.error and not outcome.applied  # and the Stubber saw no deregister_targets call
