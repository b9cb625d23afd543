"""`plan`, `deploy`, `destroy` and `demo` as a user runs them, against the moto server. They print the
review of branch i11-review (ingress2cfn.deploy.review): without it these tests are skipped
("needs i11-review"); the assertions use only the contract's names, not its wording."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("ingress2cfn.deploy.review", reason="needs i11-review (ingress2cfn.deploy.review)")

from deploy_kit import ROOT, clients, specs_for, variant, vpc_file  # noqa: E402, F401  (fixtures)

from ingress2cfn.aws import cloudformation as cfn  # noqa: E402
from ingress2cfn.cli.app import main  # noqa: E402
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_INVALID, EXIT_OK, EXIT_WARNINGS  # noqa: E402


def args(manifest, vpc) -> list[str]:
    return ["-f", str(manifest), "--vpc", str(vpc), "--cluster", "my-cluster"]


@pytest.fixture
def base(tmp_path):
    return variant(tmp_path, "base")


def test_plan_deploy_plan(clients, vpc_file, base, capsys):
    specs = specs_for(base, vpc_file)
    group = specs[1].template["Resources"]
    assert main(["plan", *args(base, vpc_file)]) == EXIT_CHANGES_PENDING
    review = capsys.readouterr().out
    rule = next(i for i in group if i.startswith("Rule80"))
    tg = next(i for i in group if i.startswith("TargetGroup"))
    for logical_id in ("LoadBalancer", "ListenerHTTP80", rule, tg):
        assert logical_id in review
    assert cfn.find_stack(clients, specs[1].name) is None  # plan deletes what it made

    assert main(["deploy", *args(base, vpc_file), "--yes"]) == EXIT_OK
    out = capsys.readouterr()
    dns = clients.client("elbv2").describe_load_balancers()["LoadBalancers"][0]["DNSName"]
    assert f"LoadBalancerDNSName = {dns}" in out.out
    assert f"[{specs[1].name}" in out.err and "CREATE_COMPLETE" in out.err  # the progress display

    assert main(["plan", *args(base, vpc_file)]) == EXIT_OK


def test_plan_json_review_has_a_schema_version(clients, vpc_file, base, capsys):
    from ingress2cfn.deploy.review import REVIEW_SCHEMA_VERSION

    assert main(["plan", *args(base, vpc_file), "--format", "json"]) == EXIT_CHANGES_PENDING
    assert json.loads(capsys.readouterr().out)["schemaVersion"] == REVIEW_SCHEMA_VERSION


def test_scheme_change_is_an_alb_replacement_danger_and_deploy_refuses_it(clients, vpc_file, base, tmp_path, capsys):
    from ingress2cfn.cli.planning import review_of
    from ingress2cfn.deploy.changesets import DeployOptions, plan_stacks
    from ingress2cfn.model.quotas import DEFAULT_LIMITS

    assert main(["deploy", *args(base, vpc_file), "--yes"]) == EXIT_OK
    internal = variant(tmp_path, "internal", scheme="internal")
    assert main(["plan", *args(internal, vpc_file)]) == EXIT_WARNINGS
    review = review_of(plan_stacks(clients, specs_for(internal, vpc_file), DeployOptions(), keep=False), DEFAULT_LIMITS)
    assert review.dangers and review.dangers[0].logical_id == "LoadBalancer"
    capsys.readouterr()
    assert main(["deploy", *args(internal, vpc_file), "--yes"]) == EXIT_INVALID
    assert "--allow-replacement" in capsys.readouterr().err
    name = specs_for(base, vpc_file)[1].name
    assert cfn.get_template(clients, name)["Resources"]["LoadBalancer"]["Properties"]["Scheme"] == "internet-facing"  # nothing executed
    assert [s.status for s in cfn.stacks_tagged(clients, {"ingress2cfn/cluster": "my-cluster"})] == ["CREATE_COMPLETE", "CREATE_COMPLETE"]


def test_target_group_port_change_is_predicted_as_a_replacement(clients, vpc_file, base, tmp_path):
    from ingress2cfn.deploy.review import predict_replacements

    old = specs_for(base, vpc_file)[1].template
    new = specs_for(variant(tmp_path, "port", target_port=8080), vpc_file)[1].template
    replaced = {r.logical_id: r.properties for r in predict_replacements(old, new) if r.resource_type.endswith("TargetGroup")}
    assert replaced and all("Port" in props for props in replaced.values())


def test_destroy_deletes_the_stacks_and_says_what_stays(clients, vpc_file, base, capsys):
    assert main(["deploy", *args(base, vpc_file), "--yes"]) == EXIT_OK
    lb_arn = clients.client("elbv2").describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"]
    capsys.readouterr()
    assert main(["destroy", "--cluster", "my-cluster", "--group", "game-2048/ingress-2048", "--yes"]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"retained: load balancer {lb_arn}" in err and "aws elbv2 delete-load-balancer" in err
    names = [s.name for s in cfn.stacks_tagged(clients, {"ingress2cfn/cluster": "my-cluster"})]
    assert len(names) == 1 and "-cluster-" in names[0].replace("my-cluster", "")  # the cluster stack stays with --group


def test_destroy_can_delete_the_load_balancer(clients, vpc_file, base, capsys):
    assert main(["deploy", *args(base, vpc_file), "--yes"]) == EXIT_OK
    lb_arn = clients.client("elbv2").describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"]
    assert main(["destroy", "--cluster", "my-cluster", "--yes", "--delete-load-balancer"]) == EXIT_OK
    assert f"deleted load balancer {lb_arn}" in capsys.readouterr().err
    assert clients.client("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert cfn.stacks_tagged(clients, {"ingress2cfn/cluster": "my-cluster"}) == []


def test_destroy_without_yes_off_a_terminal_refuses(clients, vpc_file, base, capsys):
    assert main(["deploy", *args(base, vpc_file), "--yes"]) == EXIT_OK
    assert main(["destroy", "--cluster", "my-cluster"]) == EXIT_INVALID
    assert "--yes" in capsys.readouterr().err
    assert len(cfn.stacks_tagged(clients, {"ingress2cfn/cluster": "my-cluster"})) == 2


def test_demo_runs_the_whole_flow(aws, monkeypatch, tmp_path, capsys):
    """Its own emulator, whatever AWS settings the user has: a profile that does not exist must not
    matter. (`aws` only resets moto's state: moto keeps it per process, shared by both servers.)"""
    monkeypatch.setenv("AWS_PROFILE", "a-real-account-that-must-not-be-used")
    monkeypatch.chdir(ROOT)
    assert main(["demo", "--workdir", str(tmp_path / "demo")]) == EXIT_OK
    out = capsys.readouterr()
    assert "error:" not in out.err, out.err
    assert "LoadBalancerDNSName = k8s-game2048-ingress2-" in out.out
    assert "target group k8s-game2048-service2-" in out.out and "listener rule priority 1: path-pattern /*" in out.out
    # sync from the demo's file of cluster objects registered the example's 5 pods, and status saw them healthy
    assert "$ ingress2cfn sync --stack i2c-my-cluster-game-2048-ingress-2048-c6734a95 --endpoints " in out.err
    assert "5 desired, registered 5, deregistered 0" in out.out
    assert "$ ingress2cfn status -f " in out.err
    assert "targets: 5 healthy, 0 unhealthy, 0 initial, 0 draining" in out.out
    assert "ok: every stack is deployed and every serving target group has a healthy target" in out.out
    assert (tmp_path / "demo" / "cluster.yaml").is_file()
    import os

    assert os.environ.get("AWS_PROFILE") == "a-real-account-that-must-not-be-used"  # restored afterwards
