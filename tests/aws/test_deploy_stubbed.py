"""States moto cannot produce (components-checked.md §8 7a, 7d): a change set that FAILED for a reason
other than "no changes", CloudFormation's own rollback with resource-level reasons, a stack policy
denial. botocore Stubber sequences on a real client; no endpoint is contacted."""

from __future__ import annotations

import datetime

import pytest
from botocore.stub import Stubber

from ingress2cfn.aws import cloudformation as cfn
from ingress2cfn.aws.clients import AwsClients, AwsError
from ingress2cfn.deploy.apply import failure

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
STACK = "i2c-my-cluster-game-2048-ingress-2048-c6734a95"
STACK_ID = f"arn:aws:cloudformation:us-east-1:123456789012:stack/{STACK}/1"
CS = f"arn:aws:cloudformation:us-east-1:123456789012:changeSet/ingress2cfn-1/{STACK}"


@pytest.fixture
def stubbed(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    clients = AwsClients(region="us-east-1", endpoint_url="http://127.0.0.1:9")  # Stubber answers; nothing listens there
    with Stubber(clients.client("cloudformation")) as stub:
        yield clients, stub
        stub.assert_no_pending_responses()


def change_set(status: str, reason: str, changes=()):
    return {"ChangeSetId": CS, "StackName": STACK, "Status": status, "StatusReason": reason, "ExecutionStatus": "UNAVAILABLE", "Changes": list(changes)}


def test_a_failed_change_set_is_an_error_with_cloudformations_reason(stubbed):
    clients, stub = stubbed
    reason = "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
    stub.add_response("describe_change_set", change_set("FAILED", reason))  # the waiter's poll: a failure state
    stub.add_response("describe_change_set", change_set("FAILED", reason))  # the description
    with pytest.raises(AwsError, match="Unresolved resource dependencies"):
        cfn.wait_change_set(clients, CS, STACK)


def test_a_change_set_without_changes_is_no_changes(stubbed):
    clients, stub = stubbed
    reason = "The submitted information didn't contain changes. Submit different information to create a change set."
    stub.add_response("describe_change_set", change_set("FAILED", reason))
    stub.add_response("describe_change_set", change_set("FAILED", reason))
    result = cfn.wait_change_set(clients, CS, STACK)
    assert result.no_changes and result.changes == ()


def test_change_set_details_are_read_from_every_page(stubbed):
    """Replacement/Details are what AWS gives and moto leaves out; two pages of Changes."""
    clients, stub = stubbed
    first = {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "LoadBalancer", "Replacement": "True", "Details": []}}
    second = {
        "Type": "Resource",
        "ResourceChange": {"Action": "Add", "LogicalResourceId": "Rule80", "ResourceType": "AWS::ElasticLoadBalancingV2::ListenerRule"},
    }
    stub.add_response("describe_change_set", change_set("CREATE_COMPLETE", "", [first]))  # waiter
    stub.add_response("describe_change_set", {**change_set("CREATE_COMPLETE", "", [first]), "NextToken": "t"})
    stub.add_response(
        "describe_change_set", change_set("CREATE_COMPLETE", "", [second]), {"ChangeSetName": CS, "IncludePropertyValues": True, "NextToken": "t"}
    )
    result = cfn.wait_change_set(clients, CS, STACK)
    assert [c["ResourceChange"]["LogicalResourceId"] for c in result.changes] == ["LoadBalancer", "Rule80"]
    assert result.changes[0]["ResourceChange"]["Replacement"] == "True"


def event(n: int, logical_id: str, status: str, reason: str = "", type_: str = "AWS::ElasticLoadBalancingV2::ListenerRule"):
    return {
        "StackId": STACK_ID,
        "EventId": f"e{n}",
        "StackName": STACK,
        "LogicalResourceId": logical_id,
        "ResourceType": type_,
        "Timestamp": NOW + datetime.timedelta(seconds=n),
        "ResourceStatus": status,
        "ResourceStatusReason": reason,
    }


def stack(status: str):
    return {"Stacks": [{"StackName": STACK, "StackId": STACK_ID, "StackStatus": status, "CreationTime": NOW}]}


def test_a_rolled_back_update_names_the_first_failing_resource(stubbed):
    clients, stub = stubbed
    newest_first = [
        event(6, STACK, "UPDATE_ROLLBACK_COMPLETE", type_="AWS::CloudFormation::Stack"),
        event(5, STACK, "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [Rule80Api]", type_="AWS::CloudFormation::Stack"),
        event(4, "Rule80Root", "UPDATE_FAILED", "Resource update cancelled"),
        event(
            3, "Rule80Api", "UPDATE_FAILED", "Priority '1' is currently in use (Service: ElasticLoadBalancingV2; Status Code: 400; Error Code: PriorityInUse)"
        ),
        event(2, STACK, "UPDATE_IN_PROGRESS", "User Initiated", type_="AWS::CloudFormation::Stack"),
        event(1, STACK, "CREATE_COMPLETE", type_="AWS::CloudFormation::Stack"),
    ]
    stub.add_response("describe_stack_events", {"StackEvents": newest_first})
    stub.add_response("describe_stacks", stack("UPDATE_ROLLBACK_COMPLETE"))
    error = failure(clients, STACK, STACK_ID, RuntimeError("waiter failed"))
    assert "Rule80Api (AWS::ElasticLoadBalancingV2::ListenerRule) UPDATE_FAILED: Priority '1' is currently in use" in str(error)
    assert "UPDATE_ROLLBACK_COMPLETE" in str(error) and "--recreate-failed" not in str(error)


def test_a_failed_first_create_says_how_to_recreate(stubbed):
    clients, stub = stubbed
    newest_first = [
        event(5, STACK, "ROLLBACK_COMPLETE", type_="AWS::CloudFormation::Stack"),
        event(4, "LoadBalancer", "DELETE_COMPLETE", type_="AWS::ElasticLoadBalancingV2::LoadBalancer"),
        event(
            3,
            "LoadBalancer",
            "CREATE_FAILED",
            "A load balancer with the same name 'k8s-game2048-ingress2-184c5765e8' exists",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
        ),
        event(2, STACK, "CREATE_IN_PROGRESS", "User Initiated", type_="AWS::CloudFormation::Stack"),
    ]
    stub.add_response("describe_stack_events", {"StackEvents": newest_first})
    stub.add_response("describe_stacks", stack("ROLLBACK_COMPLETE"))
    error = str(failure(clients, STACK, STACK_ID, RuntimeError("waiter failed")))
    assert "LoadBalancer (AWS::ElasticLoadBalancingV2::LoadBalancer) CREATE_FAILED: A load balancer with the same name" in error
    assert "--recreate-failed" in error


def test_a_stack_policy_denial_is_reported_as_the_reason(stubbed):
    clients, stub = stubbed
    denied = "Action denied by stack policy: Statement [#1] has a Deny on resource [LoadBalancer]"
    stub.add_response(
        "describe_stack_events",
        {
            "StackEvents": [
                event(4, STACK, "UPDATE_ROLLBACK_COMPLETE", type_="AWS::CloudFormation::Stack"),
                event(3, "LoadBalancer", "UPDATE_FAILED", denied, "AWS::ElasticLoadBalancingV2::LoadBalancer"),
                event(2, STACK, "UPDATE_IN_PROGRESS", "User Initiated", type_="AWS::CloudFormation::Stack"),
            ]
        },
    )
    stub.add_response("describe_stacks", stack("UPDATE_ROLLBACK_COMPLETE"))
    assert denied in str(failure(clients, STACK, STACK_ID, RuntimeError("waiter failed")))


def test_recreate_failed_deletes_a_rolled_back_first_create_and_plans_the_stack_as_new(stubbed):
    from botocore.stub import ANY

    from ingress2cfn.deploy.changesets import DeployOptions, ready_stack
    from ingress2cfn.deploy.plan import StackSpec

    clients, stub = stubbed
    spec = StackSpec(name=STACK, group="game-2048/ingress-2048", template={"Resources": {}}, tags=())
    stub.add_response("describe_stacks", stack("ROLLBACK_COMPLETE"), {"StackName": STACK})
    stub.add_response("delete_stack", {}, {"StackName": STACK})
    stub.add_response("describe_stacks", stack("DELETE_COMPLETE"), {"StackName": ANY})  # the waiter stack_delete_complete
    assert ready_stack(clients, spec, DeployOptions(recreate_failed=True)) is None


def test_destroy_never_ends_in_delete_failed_without_saying_why(stubbed, monkeypatch):
    """AWS refuses to delete a security group a retained ALB still uses: the stack goes DELETE_FAILED.
    remove_stack says why, deletes again retaining what failed, and says what stays. The stack events
    come from a Stubber (moto deletes everything, §8 7c); the wait itself (`follow`, a waiter in a
    thread) is replaced by its outcome, so the Stubber's order is deterministic."""
    from ingress2cfn.deploy import apply
    from ingress2cfn.deploy.changesets import DeployOptions

    clients, stub = stubbed
    waits = ["failed", "done"]

    def follow(clients_, name, waiter_name, on_event, before):  # the waiter's outcome; the reason is read as on a real failure
        if waits.pop(0) == "failed":
            raise apply.failure(clients_, name, before[0], RuntimeError("Waiter StackDeleteComplete failed"))

    monkeypatch.setattr(apply, "follow", follow)
    protected = {"Stacks": [{**stack("CREATE_COMPLETE")["Stacks"][0], "EnableTerminationProtection": True}]}
    lb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-game2048-ingress2-184c5765e8/1"
    stub.add_response("describe_stacks", protected)
    stub.add_response("update_termination_protection", {"StackId": STACK_ID}, {"StackName": STACK, "EnableTerminationProtection": False})
    stub.add_response(
        "describe_stack_resources",
        {
            "StackResources": [
                {
                    "LogicalResourceId": "LoadBalancer",
                    "PhysicalResourceId": lb_arn,
                    "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                    "Timestamp": NOW,
                    "ResourceStatus": "CREATE_COMPLETE",
                }
            ]
        },
    )
    stub.add_response("describe_stacks", stack("CREATE_COMPLETE"))
    stub.add_response("describe_stack_events", {"StackEvents": [event(1, STACK, "CREATE_COMPLETE", type_="AWS::CloudFormation::Stack")]})
    stub.add_response("delete_stack", {}, {"StackName": STACK})
    reason = "resource sg-0123 has a dependent object (Service: Ec2, Status Code: 400)"
    failed_events = {
        "StackEvents": [
            event(5, STACK, "DELETE_FAILED", "The following resource(s) failed to delete: [ManagedSecurityGroup].", "AWS::CloudFormation::Stack"),
            event(4, "ManagedSecurityGroup", "DELETE_FAILED", reason, "AWS::EC2::SecurityGroup"),
            event(3, "LoadBalancer", "DELETE_SKIPPED", "", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
            event(2, STACK, "DELETE_IN_PROGRESS", "User Initiated", "AWS::CloudFormation::Stack"),
            event(1, STACK, "CREATE_COMPLETE", type_="AWS::CloudFormation::Stack"),
        ]
    }
    stub.add_response("describe_stack_events", failed_events)  # failure(): the first failing resource
    stub.add_response("describe_stacks", stack("DELETE_FAILED"))
    stub.add_response("describe_stack_events", failed_events)  # remove_stack: which resources failed
    stub.add_response("describe_stacks", stack("DELETE_FAILED"))  # before the second delete
    stub.add_response("describe_stack_events", failed_events)
    stub.add_response("delete_stack", {}, {"StackName": STACK, "RetainResources": ["ManagedSecurityGroup"]})
    template = {"Resources": {"LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"}}}
    lines = apply.remove_stack(clients, STACK, template, DeployOptions(), on_event=lambda *_: None)
    text = "\n".join(lines)
    assert f"delete failed: stack {STACK} failed (DELETE_FAILED): ManagedSecurityGroup (AWS::EC2::SecurityGroup) DELETE_FAILED: {reason}" in text
    assert "retaining ManagedSecurityGroup" in text
    assert f"retained: load balancer {lb_arn}" in text and "aws elbv2 delete-load-balancer" in text
