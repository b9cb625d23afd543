"""The pure parts: which event is the failure, what is a problem, what the Ingress status says."""

from __future__ import annotations

import pytest

from ingress2cfn.k8s.ingress_status import Address, load_balancer_status
from ingress2cfn.status.assemble import event, failing_event, group_status
from ingress2cfn.status.judge import failed, judge
from ingress2cfn.status.report import GroupStatus, Listener, LoadBalancer, StackState
from ingress2cfn.status.writeback import addresses

S = "stack-a"


def e(logical: str, status: str, reason: str | None = None, rtype: str | None = None):
    rtype = rtype or ("AWS::CloudFormation::Stack" if logical == S else "AWS::ElasticLoadBalancingV2::ListenerRule")
    return event({"LogicalResourceId": logical, "ResourceType": rtype, "ResourceStatus": status, "ResourceStatusReason": reason, "Timestamp": "t"})


START = e(S, "UPDATE_IN_PROGRESS", "User Initiated")


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([e(S, "UPDATE_COMPLETE"), START], None),
        (
            [e(S, "UPDATE_ROLLBACK_COMPLETE"), e("RuleB", "UPDATE_FAILED", "Resource update cancelled"), e("RuleA", "UPDATE_FAILED", "PriorityInUse"), START],
            "RuleA",
        ),
        # a cancellation logged before the real failure is still not the cause
        (
            [e(S, "UPDATE_ROLLBACK_COMPLETE"), e("RuleA", "UPDATE_FAILED", "PriorityInUse"), e("RuleB", "UPDATE_FAILED", "Resource update cancelled"), START],
            "RuleA",
        ),
        # only cancellations: the oldest of them
        (
            [
                e(S, "ROLLBACK_COMPLETE"),
                e("RuleB", "CREATE_FAILED", "Resource creation cancelled"),
                e("RuleA", "CREATE_FAILED", "Resource creation cancelled"),
                START,
            ],
            "RuleA",
        ),
        # a failure of an earlier operation is not reported for the last one
        ([e(S, "UPDATE_COMPLETE"), START, e(S, "UPDATE_ROLLBACK_COMPLETE"), e("RuleA", "UPDATE_FAILED", "old"), START], None),
        # the stack's own failure event is not a resource cause
        ([e(S, "UPDATE_ROLLBACK_FAILED", "rollback failed"), START], None),
    ],
)
def test_failing_event(events, expected):
    found = failing_event(S, events)
    assert (found.logical_id if found else None) == expected


@pytest.mark.parametrize(
    ("status", "is_failed"),
    [
        ("CREATE_COMPLETE", False),
        ("UPDATE_COMPLETE", False),
        ("UPDATE_IN_PROGRESS", False),
        ("REVIEW_IN_PROGRESS", False),
        ("CREATE_FAILED", True),
        ("ROLLBACK_COMPLETE", True),
        ("ROLLBACK_IN_PROGRESS", True),
        ("UPDATE_ROLLBACK_COMPLETE", True),
        ("UPDATE_ROLLBACK_FAILED", True),
        ("DELETE_FAILED", True),
        (None, False),
    ],
)
def test_failed_states(status, is_failed):
    assert failed(status) is is_failed


def test_stack_reason_when_no_resource_failed():
    report = judge([GroupStatus(StackState(S, "UPDATE_ROLLBACK_FAILED", reason="role is invalid"))])
    assert report.problems == (f"stack {S} is UPDATE_ROLLBACK_FAILED: role is invalid",)
    assert not report.ok


def test_missing_and_healthy_stacks():
    report = judge([GroupStatus(StackState("gone", None)), GroupStatus(StackState(S, "CREATE_COMPLETE"))])
    assert report.problems == ("stack gone does not exist",)


@pytest.mark.parametrize(
    ("status", "problem"),
    [
        ("REVIEW_IN_PROGRESS", "not created yet (a change set awaits execution)"),
        ("CREATE_IN_PROGRESS", "still being created"),
        ("DELETE_IN_PROGRESS", "being deleted"),
        ("UPDATE_IN_PROGRESS", None),
        ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", None),
    ],
)
def test_stacks_that_do_not_serve_yet(status, problem):
    report = judge([GroupStatus(StackState(S, status))])
    assert report.problems == ((f"stack {S} is {status}: {problem}",) if problem else ())


def _group(status: str) -> GroupStatus:
    alb = LoadBalancer(
        "LoadBalancer",
        "k8s-a",
        "arn:alb",
        "application",
        "K8S-A-1.us-east-1.ELB.amazonaws.com",
        "internal",
        "active",
        (Listener(443, "HTTPS", "l2"), Listener(80, "HTTP", "l1")),
    )
    nlb = LoadBalancer("FrontendNlb", "k8s-n", "arn:nlb", "network", "k8s-n-1.elb.us-east-1.amazonaws.com", "internal", "active", (Listener(443, "TCP", "l3"),))
    return GroupStatus(StackState(S, status), "shop/web", ("shop/web",), (alb, nlb))


def test_write_back_addresses_alb_then_nlb_with_their_ports():
    assert addresses(_group("UPDATE_COMPLETE")) == (
        Address("K8S-A-1.us-east-1.ELB.amazonaws.com", (80, 443)),
        Address("k8s-n-1.elb.us-east-1.amazonaws.com", (443,)),
    )


@pytest.mark.parametrize("status", ["UPDATE_ROLLBACK_COMPLETE", "UPDATE_IN_PROGRESS", "CREATE_FAILED", None])
def test_no_write_back_unless_settled(status):
    assert addresses(_group(status)) == ()


def test_load_balancer_status_lower_cases_and_sorts_ports():
    assert load_balancer_status([Address("K8S-A-1.ELB.amazonaws.com", (443, 80, 443)), Address("nlb.example", ())]) == {
        "ingress": [
            {"hostname": "k8s-a-1.elb.amazonaws.com", "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]},
            {"hostname": "nlb.example"},
        ]
    }


def test_assembly_does_not_depend_on_answer_order():
    resources = [
        {
            "LogicalResourceId": f"TG{n}",
            "ResourceType": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "PhysicalResourceId": f"arn:tg{n}",
            "ResourceStatus": "CREATE_COMPLETE",
        }
        for n in range(3)
    ]
    groups = [{"TargetGroupArn": f"arn:tg{n}", "TargetGroupName": f"tg{n}", "LoadBalancerArns": ["x"]} for n in range(3)]
    health = {
        f"arn:tg{n}": [{"Target": {"Id": f"10.0.0.{i}", "Port": 80}, "TargetHealth": {"State": "unhealthy", "Reason": "Target.Timeout"}} for i in range(3)]
        for n in range(3)
    }
    stack = {"StackStatus": "CREATE_COMPLETE"}
    forward = group_status(S, stack, [], resources, {}, [], {}, groups, health)
    backward = group_status(S, stack, [], resources[::-1], {}, [], {}, groups[::-1], {k: v[::-1] for k, v in health.items()})
    assert forward == backward
    assert [tg.logical_id for tg in forward.target_groups] == ["TG0", "TG1", "TG2"]
