"""`ingress2cfn sync` from files: --bindings + --endpoints, the dry run and the real run, against moto."""

from __future__ import annotations

import boto3
import yaml
from sync_kit import binding, endpoint, endpoint_slice, make_target_group, registered, service

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_USAGE


def test_sync_dry_run_then_run(aws, tmp_path, capsys):
    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    (tmp_path / "b.bindings.yaml").write_text(yaml.safe_dump(binding("tg-web")))
    cluster = {"apiVersion": "v1", "kind": "List", "items": [service(), endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])]}
    (tmp_path / "cluster.yaml").write_text(yaml.safe_dump(cluster))
    args = ["sync", "--bindings", str(tmp_path / "b.bindings.yaml"), "--endpoints", str(tmp_path / "cluster.yaml")]
    assert main(args + ["--dry-run"]) == EXIT_CHANGES_PENDING
    assert "+ 10.0.1.1:8080" in capsys.readouterr().out and registered(elbv2, arn) == set()
    assert main(args) == EXIT_OK
    assert registered(elbv2, arn) == {("10.0.1.1", 8080)}
    assert main(args + ["--dry-run"]) == EXIT_OK


def test_sync_bad_endpoints_file_is_a_located_error(aws, tmp_path, capsys):
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(binding("tg-web")))
    bad = endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])
    bad["ports"][0]["port"] = "eighty"
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(bad))
    assert main(["sync", "--bindings", str(tmp_path / "b.yaml"), "--endpoints", str(tmp_path / "c.yaml")]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "c.yaml" in err and "EndpointSlice shop/web-1 ports[0].port" in err and "Traceback" not in err


def test_sync_needs_bindings(capsys):
    assert main(["sync", "--endpoints", "x.yaml"]) == EXIT_USAGE


def test_sync_renders_the_bindings_from_manifests(aws, capsys):
    """-f/--vpc/--cluster as render: the binding of the 2048 example is found; its VPC (from the
    VPC description) does not exist in moto, which is reported for that target group, exit 1."""
    args = ["sync", "-f", "examples/2048/2048_full.yaml", "--endpoints", "examples/2048/2048_full.yaml"]
    assert main(args) == EXIT_USAGE  # -f needs --vpc and --cluster
    assert main(args + ["--vpc", "examples/2048/vpc.yaml", "--cluster", "my-cluster", "--dry-run"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "game-2048/k8s-game2048-service2-c15b96aad5" in err and "reading VPC vpc-0a1b2c3d4e5f60718" in err
