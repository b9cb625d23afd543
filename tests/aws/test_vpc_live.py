"""The VPC description live (`--vpc aws`, `--vpc aws:vpc-...`) and `vpc export`, against EC2 in the
local moto server (tests/conftest.py `aws` fixture): a VPC, subnets with the ELB role and cluster
tags and a node security group are made through the EC2 API; the exported file and the live read
must render the same template. moto also has its default VPC (172.31.0.0/16), which makes the
"which VPC?" cases real."""

from __future__ import annotations

import json

import pytest
import yaml
from ec2_kit import CLUSTER, make_cluster_vpc
from ec2_kit import spec as _spec

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tools.regenerate_templates import ROOT

REGION = "us-east-1"
MANIFEST = str(ROOT / "examples/2048/2048_full.yaml")


@pytest.fixture
def ec2(aws):
    import boto3

    return boto3.client("ec2", region_name=REGION, endpoint_url=aws)


def _render(capsys, vpc: str, *extra: str) -> str:
    code = main(["render", "-f", MANIFEST, "--vpc", vpc, "--cluster", CLUSTER, *extra])
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    return captured.out


def test_export_then_render_from_file_equals_render_live(ec2, capsys, tmp_path):
    ids = make_cluster_vpc(ec2)
    out = tmp_path / "vpc.json"
    assert main(["vpc", "export", "--cluster", CLUSTER, "-o", str(out)]) == EXIT_OK
    exported = json.loads(out.read_text())
    assert [v["VpcId"] for v in exported["Vpcs"]] == [ids["vpc"]]
    assert {s["SubnetId"] for s in exported["Subnets"]} == {ids[k] for k in ids if k.startswith(("elb-", "internal-elb-"))}
    assert ids["node-sg"] in {g["GroupId"] for g in exported["SecurityGroups"]}
    capsys.readouterr()

    from_file = _render(capsys, str(out))
    live = _render(capsys, "aws")
    named = _render(capsys, f"aws:{ids['vpc']}")
    assert from_file == live == named
    template = yaml.safe_load(live)
    (lb,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"]
    assert sorted(lb["Properties"]["Subnets"]) == sorted([ids["elb-us-east-1a"], ids["elb-us-east-1b"]])


def test_export_is_deterministic_and_sorted(ec2, capsys, tmp_path):
    ids = make_cluster_vpc(ec2)
    assert main(["vpc", "export", "--vpc-id", ids["vpc"]]) == EXIT_OK
    first = capsys.readouterr().out
    # a later subnet whose id may sort anywhere: the order in the file follows the content, not EC2's answer
    ec2.create_subnet(VpcId=ids["vpc"], CidrBlock="10.0.200.0/24", AvailabilityZone="us-east-1c")
    assert main(["vpc", "export", "--vpc-id", ids["vpc"]]) == EXIT_OK
    second = capsys.readouterr().out
    assert main(["vpc", "export", "--vpc-id", ids["vpc"]]) == EXIT_OK
    assert capsys.readouterr().out == second != first
    data = json.loads(second)
    assert second == json.dumps(data, indent=2, sort_keys=True) + "\n"
    for key in ("Subnets", "SecurityGroups"):
        items = [json.dumps(i, sort_keys=True) for i in data[key]]
        assert items == sorted(items)


def test_the_vpc_holding_the_cluster_subnets_is_found_without_a_vpc_tag(ec2, capsys):
    ids = make_cluster_vpc(ec2, tag_vpc=False)
    assert main(["vpc", "export", "--cluster", CLUSTER]) == EXIT_OK
    assert [v["VpcId"] for v in json.loads(capsys.readouterr().out)["Vpcs"]] == [ids["vpc"]]


def test_several_vpcs_and_no_tag_is_an_error_listing_them(ec2, capsys, tmp_path):
    ids = make_cluster_vpc(ec2, cluster="other")
    default = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["IsDefault"]]
    out = tmp_path / "vpc.json"
    assert main(["vpc", "export", "--cluster", CLUSTER, "-o", str(out)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "kubernetes.io/cluster/my-cluster" in err and ids["vpc"] in err and default[0] in err and "other-vpc" in err
    assert "Traceback" not in err and not out.exists()
    assert main(["render", "-f", MANIFEST, "--vpc", "aws", "--cluster", CLUSTER]) == EXIT_INVALID
    assert ids["vpc"] in capsys.readouterr().err


def test_two_tagged_vpcs_is_an_error(ec2, capsys):
    first = make_cluster_vpc(ec2)["vpc"]
    second = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=_spec("vpc", {f"kubernetes.io/cluster/{CLUSTER}": "shared"}))["Vpc"]["VpcId"]
    assert main(["vpc", "export", "--cluster", CLUSTER]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "2 VPCs are tagged" in err and first in err and second in err


def test_unknown_vpc_id_is_a_located_aws_error_and_nothing_is_written(ec2, capsys, tmp_path):
    make_cluster_vpc(ec2)
    out = tmp_path / "out"
    assert main(["render", "-f", MANIFEST, "--vpc", "aws:vpc-0123456789abcdef0", "--cluster", CLUSTER, "--out", str(out)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "reading VPC vpc-0123456789abcdef0" in err and "Traceback" not in err
    assert not out.exists()


def test_live_vpc_option_conflicts_are_usage_errors(aws, capsys):
    assert main(["render", "-f", MANIFEST, "--vpc", "aws:vpc-0aa", "--vpc-id", "vpc-0bb", "--cluster", CLUSTER]) == EXIT_USAGE
    assert "name different VPCs" in capsys.readouterr().err
    assert main(["render", "-f", MANIFEST, "--vpc", "aws:subnet-1", "--cluster", CLUSTER]) == EXIT_USAGE


def test_lint_reads_the_vpc_live_too(ec2, capsys):
    make_cluster_vpc(ec2)
    assert main(["lint", "-f", MANIFEST, "--vpc", "aws", "--cluster", CLUSTER]) == EXIT_OK
