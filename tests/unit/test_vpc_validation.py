"""Issue 8 §6: a VPC description with ids that are not AWS-shaped, CIDRs that do not parse or tags
that are not key/value lists is a located error in the VPC file (not a template cfn-lint or
CloudFormation rejects later, nor a crash)."""

from __future__ import annotations

import copy

import kit
import pytest
import yaml

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.loader import parse_text
from ingress2cfn.input.vpc import parse_vpc
from tools.regenerate_templates import ROOT

AWS_CLI = yaml.safe_load((ROOT / "examples/2048/vpc.yaml").read_text())


def _parse(data: dict):
    return parse_vpc(parse_text(yaml.safe_dump(data, sort_keys=False), "vpc.yaml"))


def _compact(mutate) -> dict:
    data = kit.lint_vpc()
    mutate(data)
    return data


def _cli(mutate) -> dict:
    data = copy.deepcopy(AWS_CLI)
    mutate(data)
    return data


@pytest.mark.parametrize(
    "data, field, message",
    [
        (_compact(lambda d: d.__setitem__("vpcId", "vpc-test")), "vpcId", "not an AWS vpc id: 'vpc-test'"),
        (_compact(lambda d: d["subnets"][1].__setitem__("id", "subnet-0aaa00000000000001")), "subnets[1].id", "not an AWS subnet id"),
        (_compact(lambda d: d["securityGroups"][0].__setitem__("id", "sg-XYZ12345")), "securityGroups[0].id", "not an AWS sg id"),
        (_compact(lambda d: d["subnets"][0].__setitem__("cidrBlock", "10.0.0.0/33")), "subnets[0].cidrBlock", "not an IPv4 CIDR block: '10.0.0.0/33'"),
        (_compact(lambda d: d.__setitem__("ipv6CidrBlocks", ["10.0.0.0/8"])), "ipv6CidrBlocks[0]", "not an IPv6 CIDR block"),
        (_compact(lambda d: d["subnets"][0].__setitem__("tags", "Name=public")), "subnets[0].tags", "must be a list of"),
        (_compact(lambda d: d["subnets"][0].__setitem__("tags", {"Name": ["a"]})), "subnets[0].tags.Name", "a tag value must be a string"),
        (_cli(lambda d: d["Subnets"][0].__setitem__("SubnetId", "subnet-1")), "Subnets[0].SubnetId", "not an AWS subnet id: 'subnet-1'"),
        (_cli(lambda d: d["Subnets"][0].__setitem__("Tags", [{"Name": "x"}])), "Subnets[0].Tags[0]", 'a tag must be {"Key": "...", "Value": "..."}'),
        (
            _cli(lambda d: d["Vpcs"][0]["CidrBlockAssociationSet"][0].__setitem__("CidrBlockState", "x")),
            "Vpcs[0].CidrBlockAssociationSet[0].CidrBlockState",
            "must be dict",
        ),
        (
            _cli(lambda d: d["Vpcs"][0]["CidrBlockAssociationSet"][0].__setitem__("CidrBlock", "10.0.0.300/16")),
            "Vpcs[0].CidrBlockAssociationSet[0].CidrBlock",
            "not an IPv4 CIDR",
        ),
    ],
)
def test_bad_vpc_fields_are_located_errors(data, field, message):
    with pytest.raises(InputError) as info:
        _parse(data)
    text = str(info.value)
    assert text.startswith("vpc.yaml:") and "VPC description" in text
    assert f" {field}: " in text and message in text


def test_the_bundled_descriptions_pass():
    assert _parse(AWS_CLI).subnets
    assert _parse(kit.lint_vpc()).subnets
    assert _parse(yaml.safe_load((ROOT / "examples/ingress-group/vpc.yaml").read_text())).subnets
    assert _parse(yaml.safe_load((ROOT / "tests/errors/vpc.yaml").read_text())).subnets


def test_eight_and_seventeen_hex_digit_ids_are_both_aws_shaped():
    data = kit.lint_vpc()
    data["vpcId"] = "vpc-0a1b2c3d"
    data["subnets"][0]["id"] = "subnet-12345678"
    assert _parse(data).id == "vpc-0a1b2c3d"
