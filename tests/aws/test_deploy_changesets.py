"""The deployer against the moto server: change-set planning, execution, updates, renumbering, the
stack policy around an allowed replacement, prune, S3 upload. Where moto does not apply an update
(reference/components-checked.md §8, 7b) the ELBv2 state is asserted anyway and the test is a strict
xfail naming the gap, so it turns red the day the emulator starts applying it."""

from __future__ import annotations

import json

import pytest
from deploy_kit import Calls, clients, paths_of, quiet, rules_of, specs_for, variant, vpc_file  # noqa: F401  (fixtures)

from ingress2cfn.aws import cloudformation as cfn
from ingress2cfn.aws.clients import AwsError
from ingress2cfn.deploy.apply import execute
from ingress2cfn.deploy.changesets import DeployError, DeployOptions, plan_stacks
from ingress2cfn.deploy.priorities import rule_priorities, transition_conflicts
from ingress2cfn.deploy.safety import is_permissive, protective_policy

OPTIONS = DeployOptions()


def actions(planned) -> dict[str, str]:
    return {p.name: p.action for p in planned}


def change_ids(item) -> dict[str, str]:
    return {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"]["Action"] for c in item.changes}


def deploy(clients, specs, **kwargs):
    planned = plan_stacks(clients, specs, OPTIONS, keep=True)
    events: list[tuple[str, dict]] = []
    outcomes = execute(clients, planned, kwargs.pop("options", OPTIONS), on_event=lambda s, e: events.append((s, e)), on_note=quiet, **kwargs)
    return planned, outcomes, events


@pytest.fixture
def manifest(tmp_path):
    return variant(tmp_path, "base")


def test_plan_new_stacks_lists_every_resource_to_add_and_leaves_nothing_behind(clients, vpc_file, manifest):
    specs = specs_for(manifest, vpc_file)
    planned = plan_stacks(clients, specs, OPTIONS, keep=False)
    cluster, group = planned
    assert (cluster.action, group.action) == ("create", "create")
    assert change_ids(cluster) == {"BackendSecurityGroup": "Add", "NodeIngressTcp80": "Add"}
    added = change_ids(group)
    assert {"LoadBalancer", "ListenerHTTP80", "ManagedSecurityGroup"} <= set(added)
    assert any(i.startswith("Rule80") for i in added) and any(i.startswith("TargetGroup") for i in added)
    assert group.deferred  # its BackendSecurityGroupId comes from the cluster stack, not created yet
    # the discarded CREATE change set's REVIEW_IN_PROGRESS stack was deleted
    assert cfn.find_stack(clients, cluster.name) is None


def test_deploy_creates_the_stacks_in_order_and_then_nothing_changes(clients, vpc_file, manifest):
    specs = specs_for(manifest, vpc_file)
    calls = Calls().attach(clients, "cloudformation")
    _, outcomes, events = deploy(clients, specs)
    executed = [p["StackName"] for p in calls.of("ExecuteChangeSet")]
    assert executed == [specs[0].name, specs[1].name]  # cluster stack first
    group_changes = [p for p in calls.of("CreateChangeSet") if p["StackName"] == specs[1].name]
    sg = cfn.physical_id(clients, specs[0].name, "BackendSecurityGroup")
    assert group_changes[-1]["Parameters"] == [{"ParameterKey": "BackendSecurityGroupId", "ParameterValue": sg}]
    assert json.loads(group_changes[-1]["TemplateBody"]) == specs[1].template  # compact JSON of the rendered template
    assert " " not in group_changes[-1]["TemplateBody"].split('"Description"')[0]
    assert dict(group_changes[-1]["Tags"][i].values() for i in range(len(group_changes[-1]["Tags"]))) == dict(specs[1].tags)
    # streamed events of both stacks, and the ALB's DNS name among the outputs
    assert {s for s, _ in events} == {specs[0].name, specs[1].name}
    dns = next(o for o in outcomes if o.name == specs[1].name).outputs["LoadBalancerDNSName"]
    lbs = clients.client("elbv2").describe_load_balancers()["LoadBalancers"]
    assert [lb["DNSName"] for lb in lbs] == [dns]
    # the target group and the listener rule exist in ELBv2
    tg_name = specs[1].template["Resources"][next(i for i in specs[1].template["Resources"] if i.startswith("TargetGroup"))]["Properties"]["Name"]
    assert clients.client("elbv2").describe_target_groups(Names=[tg_name])["TargetGroups"]
    assert [paths_of(r) for r in rules_of(clients, specs[1].name)] == [["/*"]]
    # new stacks carry the protective stack policy
    assert cfn.get_stack_policy(clients, specs[1].name) == protective_policy(specs[1].template)
    # and a second plan finds nothing to do
    again = plan_stacks(clients, specs_for(manifest, vpc_file), OPTIONS, keep=False)
    assert actions(again) == {specs[0].name: "no-changes", specs[1].name: "no-changes"}


def test_rule_added_reaches_elbv2(clients, vpc_file, tmp_path, manifest):
    deploy(clients, specs_for(manifest, vpc_file))
    specs = specs_for(variant(tmp_path, "added", hosts=("api.example.com",)), vpc_file)
    planned = plan_stacks(clients, specs, OPTIONS, keep=False)
    group = planned[1]
    assert group.action == "update"
    assert [a for a in change_ids(group).values()] == ["Add"], change_ids(group)
    deploy(clients, specs)
    rules = rules_of(clients, specs[1].name)
    assert [paths_of(r) for r in rules] == [["/*"], ["/*"]]
    hosts = [c.get("HostHeaderConfig", {}).get("Values", c.get("Values")) for c in rules[1]["Conditions"] if c["Field"] == "host-header"]
    assert hosts == [["api.example.com"]]


@pytest.mark.xfail(strict=True, reason="moto gap (components-checked.md §8 7b): a ListenerRule removed from the template stays in ELBv2")
def test_rule_removed_leaves_elbv2(clients, vpc_file, tmp_path):
    deploy(clients, specs_for(variant(tmp_path, "two", hosts=("api.example.com",)), vpc_file))
    specs = specs_for(variant(tmp_path, "one"), vpc_file)
    planned = plan_stacks(clients, specs, OPTIONS, keep=False)
    assert list(change_ids(planned[1]).values()) == ["Remove"]  # the plan is right under moto too
    deploy(clients, specs)
    assert [paths_of(r) for r in rules_of(clients, specs[1].name)] == [["/*"]]


@pytest.mark.xfail(strict=True, reason="moto gap (components-checked.md §8 7b): a TargetGroup port change is not applied (no replacement)")
def test_target_group_port_change_replaces_it(clients, vpc_file, tmp_path, manifest):
    deploy(clients, specs_for(manifest, vpc_file))
    specs = specs_for(variant(tmp_path, "port", target_port=8080), vpc_file)
    planned = plan_stacks(clients, specs, OPTIONS, keep=False)
    assert planned[1].action == "update"
    deploy(clients, specs)
    ports = [tg["Port"] for tg in clients.client("elbv2").describe_target_groups()["TargetGroups"]]
    assert ports == [8080]


def test_renumbering_goes_in_two_change_sets(clients, vpc_file, tmp_path):
    """A longer path sorts before `/`: `/` goes from 1 to 2 while the new rule takes 1, which one
    update could not do (PriorityInUse); the interim change set moves the blocked rule into the
    free band, the second to its number."""
    deploy(clients, specs_for(variant(tmp_path, "one", paths=["/"]), vpc_file))
    specs = specs_for(variant(tmp_path, "inserted", paths=["/", "/api"]), vpc_file)
    rules = {i: b["Properties"]["Priority"] for i, b in specs[1].template["Resources"].items() if i.startswith("Rule")}
    assert sorted(rules.values()) == [1, 2]
    calls = Calls().attach(clients, "cloudformation")
    deploy(clients, specs)
    bodies = [json.loads(p["TemplateBody"]) for p in calls.of("CreateChangeSet") if p["StackName"] == specs[1].name]
    interim, final = (rule_priorities(b) for b in bodies[-2:])  # after the plan's (discarded) change set, the two executed
    old = rule_priorities(specs_for(variant(tmp_path, "one", paths=["/"]), vpc_file)[1].template)
    assert transition_conflicts(old, final)  # one update would hit PriorityInUse
    assert interim != final and not transition_conflicts(old, interim) and not transition_conflicts(interim, final)
    assert {i: p for i, (_, p) in final.items()} == rules
    assert len([p for p in calls.of("ExecuteChangeSet") if p["StackName"] == specs[1].name]) == 2
    assert cfn.get_template(clients, specs[1].name) == specs[1].template


@pytest.mark.xfail(strict=True, reason="moto gap (components-checked.md §8 7b): ListenerRule priority updates are not applied")
def test_renumbering_reaches_elbv2(clients, vpc_file, tmp_path):
    deploy(clients, specs_for(variant(tmp_path, "one", paths=["/"]), vpc_file))
    specs = specs_for(variant(tmp_path, "inserted", paths=["/", "/api"]), vpc_file)
    deploy(clients, specs)
    assert [paths_of(r) for r in rules_of(clients, specs[1].name)] == [["/api", "/api/*"], ["/*"]]


def test_allowed_replacement_lifts_the_policy_and_restores_it(clients, vpc_file, tmp_path, manifest):
    deploy(clients, specs_for(manifest, vpc_file))
    specs = specs_for(variant(tmp_path, "added", hosts=("api.example.com",)), vpc_file)
    calls = Calls().attach(clients, "cloudformation")
    deploy(clients, specs, allow_replacement=True)
    policies = [p["StackPolicyBody"] for p in calls.of("SetStackPolicy") if p["StackName"] == specs[1].name]
    assert [is_permissive(p) for p in policies] == [True, False]
    assert cfn.get_stack_policy(clients, specs[1].name) == protective_policy(specs[1].template)


def test_policy_is_restored_when_execution_fails(clients, vpc_file, tmp_path, manifest):
    deploy(clients, specs_for(manifest, vpc_file))
    specs = specs_for(variant(tmp_path, "added", hosts=("api.example.com",)), vpc_file)
    group = specs[1]
    rule = next(i for i, b in group.template["Resources"].items() if i.startswith("Rule") and b["Properties"]["Priority"] == 2)
    bad = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef"
    group.template["Resources"][rule]["Properties"]["Actions"][0]["TargetGroupArn"] = bad
    with pytest.raises(AwsError, match="TargetGroupNotFound"):  # moto fails the execute call itself (§8 7d)
        deploy(clients, specs, allow_replacement=True)
    assert cfn.get_stack_policy(clients, group.name) == protective_policy(group.template)


def test_interrupted_allow_replacement_is_restored_on_the_next_run(clients, vpc_file, tmp_path, manifest):
    from ingress2cfn.deploy.safety import permissive_policy

    specs = specs_for(manifest, vpc_file)
    deploy(clients, specs)
    cfn.set_stack_policy(clients, specs[1].name, permissive_policy())  # as a deploy killed inside its try
    notes: list[str] = []
    changed = specs_for(variant(tmp_path, "added", hosts=("api.example.com",)), vpc_file)
    execute(clients, plan_stacks(clients, changed, OPTIONS, keep=True), OPTIONS, on_event=quiet, on_note=notes.append)
    assert cfn.get_stack_policy(clients, specs[1].name) == protective_policy(specs[1].template)
    assert any("restored the stack policy" in n for n in notes)


def test_stacks_no_longer_rendered_are_removals_and_prune_deletes_them_last(clients, vpc_file, tmp_path, manifest):
    specs = specs_for(manifest, vpc_file)
    deploy(clients, specs)
    other = variant(tmp_path, "renamed")
    text = other.read_text().replace("name: ingress-2048", "name: ingress-renamed")
    other.write_text(text)
    renamed = specs_for(other, vpc_file)
    assert renamed[1].name != specs[1].name
    planned = plan_stacks(clients, renamed, OPTIONS, keep=False)
    assert actions(planned)[specs[1].name] == "remove"
    assert planned[-1].name == specs[1].name
    calls = Calls().attach(clients, "cloudformation")
    deploy(clients, renamed, prune=True)
    ops = [(n, p.get("StackName")) for n, p in calls.made if n in ("ExecuteChangeSet", "DeleteStack")]
    assert ops.index(("DeleteStack", specs[1].name)) > max(i for i, (n, _) in enumerate(ops) if n == "ExecuteChangeSet")
    assert cfn.find_stack(clients, specs[1].name) is None
    assert cfn.find_stack(clients, renamed[1].name) is not None


def test_a_template_over_the_inline_limit_needs_a_bucket_before_anything_is_sent(clients, vpc_file, manifest):
    specs = specs_for(manifest, vpc_file)
    specs[1].template["Description"] = "x" * 52_000
    calls = Calls().attach(clients, "cloudformation", "s3")
    with pytest.raises(DeployError, match="--s3-bucket"):
        plan_stacks(clients, specs, OPTIONS, keep=False)
    assert calls.names() == []


def test_a_template_over_the_inline_limit_goes_through_s3(clients, vpc_file, manifest):
    specs = specs_for(manifest, vpc_file)
    specs[0].template["Description"] = "x" * 52_000
    clients.client("s3").create_bucket(Bucket="templates")
    calls = Calls().attach(clients, "cloudformation")
    planned = plan_stacks(clients, specs, DeployOptions(s3_bucket="templates", s3_prefix="cfn"), keep=True)
    execute(clients, planned, DeployOptions(s3_bucket="templates", s3_prefix="cfn"), on_event=quiet, on_note=quiet)
    sent = calls.of("CreateChangeSet")[0]
    assert "TemplateBody" not in sent and sent["TemplateURL"].startswith("https://templates.s3.us-east-1.amazonaws.com/cfn/")
    keys = [o["Key"] for o in clients.client("s3").list_objects_v2(Bucket="templates")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith(f"cfn/{specs[0].name}-")
    assert cfn.get_template(clients, specs[0].name)["Description"] == "x" * 52_000


def test_role_arn_is_passed(clients, vpc_file, manifest):
    role = "arn:aws:iam::123456789012:role/cfn-deployer"
    calls = Calls().attach(clients, "cloudformation")
    planned = plan_stacks(clients, specs_for(manifest, vpc_file), DeployOptions(role_arn=role), keep=False)
    assert planned and all(p["RoleARN"] == role for p in calls.of("CreateChangeSet"))
    assert calls.of("CreateChangeSet")


def test_rollback_complete_stack_needs_the_recreate_flag(clients, vpc_file, manifest):
    """A failed first create cannot be reproduced by moto (it never rolls back, §8 7d): the status is
    read through a Stubber on describe_stacks; the deletion runs against moto."""
    from botocore.stub import Stubber

    specs = specs_for(manifest, vpc_file)
    cfn_client = clients.client("cloudformation")
    with Stubber(cfn_client) as stub:
        stub.add_response(
            "describe_stacks", {"Stacks": [{"StackName": specs[0].name, "StackId": "id-1", "StackStatus": "ROLLBACK_COMPLETE", "CreationTime": "2026-01-01"}]}
        )
        with pytest.raises(DeployError, match="--recreate-failed"):
            plan_stacks(clients, specs, OPTIONS, keep=False)


def test_a_kept_create_change_set_leaves_review_in_progress_and_the_next_plan_treats_the_stack_as_new(clients, vpc_file, manifest):
    specs = specs_for(manifest, vpc_file)
    kept = plan_stacks(clients, specs, OPTIONS, keep=True)  # plan --keep
    assert cfn.find_stack(clients, specs[0].name).status == "REVIEW_IN_PROGRESS"
    assert kept[0].change_set_id
    again = plan_stacks(clients, specs, OPTIONS, keep=False)
    assert again[0].action == "create"
    # deleted first, so no second stack of the same name (moto would make one, §8 7a)
    live = [
        s for s in clients.client("cloudformation").list_stacks()["StackSummaries"] if s["StackName"] == specs[0].name and s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert live == []


def test_split_assignment_is_read_back_from_the_deployed_templates(clients):
    """--split-by-quota: `deployed_shards` reads the deployed templates (get_template) exactly as render
    reads --out. The shard stacks here carry the rendered Metadata and one security group each (the
    read-back only looks at the metadata)."""
    import kit
    import yaml

    from ingress2cfn.build.split import previous_from_templates
    from ingress2cfn.deploy.changesets import deployed_shards

    objs = [kit.service(f"svc{i:02d}", ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP") for i in range(50)]
    objs += [
        kit.ingress(
            f"app{i:02d}",
            annotations={"group.name": "big", "target-type": "ip"},
            rules=[kit.rule(f"app{i:02d}.example.com", *[kit.path(f"/p{j}", "Prefix", f"svc{i:02d}", 80) for j in range(3)])],
        )
        for i in range(50)
    ]  # 150 rules: over the 100 of one ALB
    templates = [yaml.safe_load(g.template) for g in kit.render(*objs, split_by_quota=True).groups]
    assert len(templates) > 1
    vpc_id = clients.client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for template in templates:
        meta = template["Metadata"]["ingress2cfn"]
        body = {
            "Metadata": template["Metadata"],
            "Resources": {"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x", "VpcId": vpc_id}}},
        }
        clients.client("cloudformation").create_stack(
            StackName=meta["stackName"], TemplateBody=json.dumps(body), Tags=[{"Key": k, "Value": v} for k, v in meta["stackTags"].items()]
        )
    assert deployed_shards(clients, kit.CLUSTER) == previous_from_templates(templates) != {}
    assert deployed_shards(clients, "other-cluster") == {}


def test_ctrl_c_while_following_leaves_cloudformation_running_and_says_how_to_follow(clients, vpc_file, manifest):
    from ingress2cfn.deploy.apply import Interrupted

    specs = specs_for(manifest, vpc_file)
    planned = plan_stacks(clients, specs, OPTIONS, keep=True)

    def interrupt(stack, event):
        raise KeyboardInterrupt

    with pytest.raises(Interrupted) as caught:
        execute(clients, planned, OPTIONS, on_event=interrupt, on_note=quiet)
    message = str(caught.value)
    assert f"aws cloudformation describe-stack-events --stack-name {specs[0].name}" in message
    assert f"aws cloudformation wait stack-create-complete --stack-name {specs[0].name}" in message
    assert cfn.find_stack(clients, specs[0].name).status == "CREATE_COMPLETE"  # the stack operation was not cancelled
