"""`ingress2cfn status` against the moto server (tests/conftest.py): the 2048 example rendered by the
CLI, created with create_stack, 5 ip targets registered with elbv2 register_targets. moto reports a
registered target `healthy` at once (components-checked.md §8 7f), so the other states are in
test_status_stubbed.py."""

from __future__ import annotations

import json

import boto3
import jsonschema
import pytest

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.status.collect import collect
from ingress2cfn.status.json_report import schema
from tools.regenerate_templates import ROOT

CLUSTER = "my-cluster"
REGION = "us-east-1"
EXAMPLE_2048 = ROOT / "examples/2048/2048_full.yaml"

POD_IPS = [f"10.0.1.{n}" for n in range(11, 16)]


def register(tg_arn: str, ips: list[str]) -> None:
    boto3.client("elbv2", region_name=REGION).register_targets(TargetGroupArn=tg_arn, Targets=[{"Id": ip, "Port": 80} for ip in ips])


def test_collect_shows_stack_dns_listeners_and_five_healthy_targets(deployed_2048):
    register(deployed_2048.target_group_arn, POD_IPS)
    group = collect(AwsClients(region=REGION), deployed_2048.group_stack)
    assert group.stack.status == "CREATE_COMPLETE"
    assert group.stack.last_event is not None and group.stack.last_event.status == "CREATE_COMPLETE"
    assert group.group == "game-2048/ingress-2048"
    assert group.members == ("game-2048/ingress-2048",)
    [alb] = group.load_balancers
    assert (alb.type, alb.scheme, alb.dns_name) == ("application", "internet-facing", deployed_2048.dns_name)
    assert [(lst.protocol, lst.port) for lst in alb.listeners] == [("HTTP", 80)]
    [tg] = group.target_groups
    assert tg.arn == deployed_2048.target_group_arn
    assert tg.service == "game-2048/service-2048:80"
    assert tg.serving
    assert tg.count("healthy") == 5 and tg.unhealthy == ()


def test_cli_status_from_manifests_text(deployed_2048, capsys):
    register(deployed_2048.target_group_arn, POD_IPS)
    code = main(["status", "-f", str(EXAMPLE_2048), "--vpc", str(deployed_2048.vpc_file), "--cluster", CLUSTER])
    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert f"stack {deployed_2048.group_stack}: CREATE_COMPLETE" in out
    assert f"stack {deployed_2048.cluster_stack}: CREATE_COMPLETE" in out
    assert deployed_2048.dns_name in out
    assert "targets: 5 healthy, 0 unhealthy, 0 initial, 0 draining" in out


def test_cli_status_json_matches_its_schema(deployed_2048, capsys):
    register(deployed_2048.target_group_arn, POD_IPS)
    code = main(["status", "--stack", deployed_2048.group_stack, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert code == EXIT_OK and document["ok"] is True
    [stack] = document["stacks"]
    assert stack["loadBalancers"][0]["dnsName"] == deployed_2048.dns_name
    assert stack["targetGroups"][0]["targets"]["healthy"] == 5


def test_serving_target_group_without_targets_fails(deployed_2048, capsys):
    code = main(["status", "--stack", deployed_2048.group_stack])
    captured = capsys.readouterr()
    assert code == EXIT_INVALID
    assert "game-2048/service-2048:80) receives traffic but has no healthy target (no targets)" in captured.out


def test_deregistered_targets_are_not_healthy(deployed_2048, capsys):
    register(deployed_2048.target_group_arn, POD_IPS[:1])
    boto3.client("elbv2", region_name=REGION).deregister_targets(TargetGroupArn=deployed_2048.target_group_arn, Targets=[{"Id": POD_IPS[0], "Port": 80}])
    assert main(["status", "--stack", deployed_2048.group_stack]) == EXIT_INVALID
    assert "no healthy target" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_missing_stack_fails(aws, capsys, fmt):
    code = main(["status", "--stack", "i2c-nowhere", "--format", fmt])
    out = capsys.readouterr().out
    assert code == EXIT_INVALID
    assert "stack i2c-nowhere does not exist" in out
    if fmt == "json":
        jsonschema.Draft202012Validator(schema()).validate(json.loads(out))


def test_status_needs_stacks_or_manifests(capsys):
    from ingress2cfn.cli import EXIT_USAGE

    assert main(["status"]) == EXIT_USAGE
    assert "--stack NAME" in capsys.readouterr().err
    assert main(["status", "-f", str(EXAMPLE_2048), "--stack", "x"]) == EXIT_USAGE
    assert "not both" in capsys.readouterr().err
    assert main(["status", "-f", str(EXAMPLE_2048)]) == EXIT_USAGE
    assert "--vpc and --cluster are required" in capsys.readouterr().err


def test_bad_manifest_is_a_located_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n"
        "    alb.ingress.kubernetes.io/listen-ports: '[{\"FTP\": 21}]'\nspec:\n  ingressClassName: alb\n"
        "  defaultBackend: {service: {name: web, port: {number: 80}}}\n",
        encoding="utf-8",
    )
    code = main(["status", "-f", str(bad), "--vpc", str(ROOT / "examples/2048/vpc.yaml"), "--cluster", CLUSTER])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert f"{bad}:7 [doc 1] Ingress shop/web" in err and "listen protocol must be within [HTTP, HTTPS]" in err
    assert "Traceback" not in err
