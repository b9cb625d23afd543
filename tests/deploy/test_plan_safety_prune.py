"""Pure deployer pieces: stack order and parameters, stack policies, removals, events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deploy_kit import ROOT, specs_for

from ingress2cfn.deploy.events import first_failure, since_last_start
from ingress2cfn.deploy.plan import MAX_TEMPLATE_BODY, parameters
from ingress2cfn.deploy.prune import Found, removals
from ingress2cfn.deploy.safety import is_permissive, permissive_policy, protective_policy

VPC = ROOT / "examples" / "2048" / "vpc.yaml"


@pytest.fixture(scope="module")
def specs():
    return specs_for(ROOT / "examples" / "ingress-group" / "manifests.yaml", ROOT / "examples" / "ingress-group" / "vpc.yaml")


def test_cluster_stack_first_then_groups_by_name_with_their_metadata_tags(specs):
    cluster, *groups = specs
    assert cluster.group is None and not cluster.needs_backend_sg
    assert [g.name for g in groups] == sorted(g.name for g in groups) and groups
    for spec in specs:
        meta = spec.template["Metadata"]["ingress2cfn"]
        assert spec.name == meta["stackName"] and dict(spec.tags) == meta["stackTags"]
    assert all(g.needs_backend_sg for g in groups)
    assert parameters(groups[0], "sg-1") == {"BackendSecurityGroupId": "sg-1"}
    assert parameters(cluster, "sg-1") == {}


def test_body_is_compact_json_of_the_template(specs):
    body = specs[1].body
    assert json.loads(body) == specs[1].template
    assert "\n" not in body and json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False) == body  # no whitespace between tokens
    assert len(body.encode()) < MAX_TEMPLATE_BODY and not specs[1].too_big_for_inline


def test_protective_policy_denies_replace_and_delete_of_the_lb_and_listeners(tmp_path: Path):
    group = specs_for(ROOT / "examples" / "2048" / "2048_full.yaml", VPC)[1]
    policy = json.loads(protective_policy(group.template))
    deny = next(s for s in policy["Statement"] if s["Effect"] == "Deny")
    assert sorted(deny["Action"]) == ["Update:Delete", "Update:Replace"]
    assert deny["Resource"] == ["LogicalResourceId/ListenerHTTP80", "LogicalResourceId/LoadBalancer"]
    assert any(s["Effect"] == "Allow" and s["Action"] == "Update:*" for s in policy["Statement"])
    assert is_permissive(permissive_policy()) and not is_permissive(protective_policy(group.template))
    assert protective_policy({"Resources": {"SG": {"Type": "AWS::EC2::SecurityGroup"}}}) is None


def test_removals_are_the_cluster_stacks_not_rendered_groups_first():
    found = [
        Found("i2c-c-cluster-1", {"ingress2cfn/cluster": "c", "ingress2cfn/kind": "cluster"}),
        Found("i2c-c-b", {"ingress2cfn/cluster": "c", "ingress2cfn/kind": "group", "ingress2cfn/group": "b"}),
        Found("i2c-c-a", {"ingress2cfn/cluster": "c", "ingress2cfn/kind": "group", "ingress2cfn/group": "a"}),
        Found("i2c-other", {"ingress2cfn/cluster": "other", "ingress2cfn/kind": "group"}),
    ]
    assert [f.name for f in removals(found, "c", ["i2c-c-a"])] == ["i2c-c-b", "i2c-c-cluster-1"]
    assert removals(found, "c", ["i2c-c-a", "i2c-c-b", "i2c-c-cluster-1"]) == []


def event(logical_id, status, reason="", type_="AWS::ElasticLoadBalancingV2::ListenerRule"):
    return {"LogicalResourceId": logical_id, "ResourceStatus": status, "ResourceStatusReason": reason, "ResourceType": type_}


def test_first_failure_is_the_first_failed_resource_of_the_last_operation():
    stack = "AWS::CloudFormation::Stack"
    events = [
        event("s", "CREATE_IN_PROGRESS", type_=stack),
        event("Old", "CREATE_FAILED", "old failure"),
        event("s", "UPDATE_IN_PROGRESS", type_=stack),
        event("RuleA", "UPDATE_FAILED", "PriorityInUse: Priority '2' is currently in use"),
        event("RuleB", "UPDATE_FAILED", "Resource update cancelled"),
        event("s", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [RuleA]", type_=stack),
    ]
    failure = first_failure(since_last_start(events, "s"))
    assert failure is not None and (failure.logical_id, failure.reason) == ("RuleA", "PriorityInUse: Priority '2' is currently in use")
    assert first_failure([event("s", "CREATE_IN_PROGRESS", type_=stack)]) is None
