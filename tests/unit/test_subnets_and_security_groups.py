"""Networking: lbc-semantics §9.1 (subnet discovery), §9.3 (explicit subnets), the VPC
description file, §9.4 (managed frontend SG, explicit security-groups) and §9.5 (the cluster
stack: backend SG and node rules)."""

from __future__ import annotations

import copy
import hashlib

import pytest
import yaml
from kit import CLUSTER, build, default_vpc, docs, ingress, one_stack, path, render, resources_of, rule, service, settings, template, vpc

from ingress2cfn.build import build_all, build_cluster
from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.model.stack import NodeRule, SecurityGroupRule

OWN = f"kubernetes.io/cluster/{CLUSTER}"
OTHER = "kubernetes.io/cluster/other-cluster"
ELB = "kubernetes.io/role/elb"
INTERNAL = "kubernetes.io/role/internal-elb"
PUBLIC = {"scheme": "internet-facing"}


def _subnet(id_: str, az: str, tags: dict, free: int = 4000, ipv6: bool = True) -> dict:
    return {
        "id": id_,
        "availabilityZone": az,
        "cidrBlock": "10.0.0.0/24",
        "availableIpAddressCount": free,
        "ipv6CidrBlocks": ["2600:1f18::/64"] if ipv6 else [],
        "tags": tags,
    }


def _vpc(*subnets: dict, security_groups: list | None = None) -> dict:
    data = default_vpc()
    data["subnets"] = list(subnets)
    if security_groups is not None:
        data["securityGroups"] = security_groups
    return data


def _subnets(*subnets: dict, ann: dict | None = None, **kw) -> tuple[str, ...]:
    return one_stack(ingress(annotations={**PUBLIC, **(ann or {})}), service(), vpc_data=_vpc(*subnets), **kw).load_balancer.subnet_ids


def _subnet_error(*subnets: dict, ann: dict | None = None) -> str:
    with pytest.raises(Ingress2CfnError) as exc:
        _subnets(*subnets, ann=ann)
    return str(exc.value)


def _hash10(*parts: str) -> str:
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:10]


# ------------------------------------------------------------------ §9.1 discovery


@pytest.mark.parametrize(
    "value, chosen",
    [
        pytest.param("1", ("subnet-a", "subnet-b", "subnet-c"), id="value-1-matches"),
        pytest.param("", ("subnet-a", "subnet-b", "subnet-c"), id="empty-value-matches"),
        pytest.param("true", ("subnet-a", "subnet-b"), id="value-true-does-not-match"),
        pytest.param("0", ("subnet-a", "subnet-b"), id="value-0-does-not-match"),
    ],
)
def test_role_tag_value(value, chosen):
    got = _subnets(
        _subnet("subnet-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
        _subnet("subnet-c", "us-east-1c", {ELB: value}),
    )
    assert got == chosen


@pytest.mark.parametrize(
    "scheme, chosen",
    [
        pytest.param("internet-facing", ("subnet-pub-a", "subnet-pub-b"), id="internet-facing-uses-elb-tag"),
        pytest.param("internal", ("subnet-priv-a", "subnet-priv-b"), id="internal-uses-internal-elb-tag"),
    ],
)
def test_role_tag_by_scheme(scheme, chosen):
    got = _subnets(
        _subnet("subnet-pub-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-pub-b", "us-east-1b", {ELB: "1"}),
        _subnet("subnet-priv-a", "us-east-1a", {INTERNAL: "1"}),
        _subnet("subnet-priv-b", "us-east-1b", {INTERNAL: "1"}),
        ann={"scheme": scheme},
    )
    assert got == chosen


@pytest.mark.parametrize(
    "tags, kept",
    [
        pytest.param({OWN: "shared"}, True, id="own-cluster-tag-kept"),
        pytest.param({OWN: ""}, True, id="own-cluster-tag-any-value-kept"),
        pytest.param({}, True, id="untagged-kept"),
        pytest.param({OTHER: "shared"}, False, id="other-cluster-only-skipped"),
        pytest.param({OTHER: "owned", "kubernetes.io/cluster/third": "shared"}, False, id="two-other-clusters-skipped"),
        pytest.param({OTHER: "shared", OWN: "shared"}, True, id="other-and-own-kept"),
    ],
)
def test_cluster_tag_filter(tags, kept):
    got = _subnets(
        _subnet("subnet-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
        _subnet("subnet-c", "us-east-1c", {ELB: "1", **tags}),
    )
    assert got == (("subnet-a", "subnet-b", "subnet-c") if kept else ("subnet-a", "subnet-b"))


@pytest.mark.parametrize("free, kept", [(0, False), (7, False), (8, True), (9, True)], ids=lambda v: str(v))
def test_free_ip_filter(free, kept):
    got = _subnets(
        _subnet("subnet-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
        _subnet("subnet-c", "us-east-1c", {ELB: "1"}, free=free),
    )
    assert got == (("subnet-a", "subnet-b", "subnet-c") if kept else ("subnet-a", "subnet-b"))


@pytest.mark.parametrize(
    "az_a, expected_a",
    [
        pytest.param([("subnet-a2", {OWN: "1"}), ("subnet-a1", {})], "subnet-a2", id="prefers-cluster-tagged"),
        pytest.param([("subnet-a2", {}), ("subnet-a1", {})], "subnet-a1", id="then-lowest-id"),
        pytest.param([("subnet-a3", {OWN: "1"}), ("subnet-a2", {OWN: "1"}), ("subnet-a1", {})], "subnet-a2", id="lowest-id-among-tagged"),
        pytest.param([("subnet-a1", {}), ("subnet-a0", {}, 3)], "subnet-a1", id="ineligible-lower-id-ignored"),
    ],
)
def test_one_subnet_per_az(az_a, expected_a):
    subnets = [_subnet(s[0], "us-east-1a", {ELB: "1", **s[1]}, *(s[2:])) for s in az_a]
    got = _subnets(*subnets, _subnet("subnet-b", "us-east-1b", {ELB: "1"}))
    assert got == (expected_a, "subnet-b")


def test_result_sorted_by_id():
    got = _subnets(
        _subnet("subnet-zz", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-mm", "us-east-1c", {ELB: "1"}),
        _subnet("subnet-aa", "us-east-1b", {ELB: "1"}),
    )
    assert got == ("subnet-aa", "subnet-mm", "subnet-zz")


def test_subnets_of_other_vpcs_ignored_in_discovery():
    data = _vpc(
        _subnet("subnet-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
    )
    aws = {
        "Vpcs": [{"VpcId": "vpc-test", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-other", "CidrBlock": "10.1.0.0/16"}],
        "Subnets": [
            {
                "SubnetId": s["id"],
                "VpcId": "vpc-test",
                "AvailabilityZone": s["availabilityZone"],
                "AvailableIpAddressCount": 100,
                "Tags": [{"Key": k, "Value": v} for k, v in s["tags"].items()],
            }
            for s in data["subnets"]
        ]
        + [
            {
                "SubnetId": "subnet-0other",
                "VpcId": "vpc-other",
                "AvailabilityZone": "us-east-1c",
                "AvailableIpAddressCount": 100,
                "Tags": [{"Key": ELB, "Value": "1"}],
            }
        ],
        "SecurityGroups": data_sgs_aws(),
    }
    stacks, _, _ = _build_in(aws, "vpc-test", ingress(annotations=PUBLIC), service())
    assert stacks[0].load_balancer.subnet_ids == ("subnet-a", "subnet-b")


def _build_in(vpc_data: dict, vpc_id: str, *objects):
    """kit.build without --vpc-id support: parse the VPC with an explicit id."""
    return build_all(parse_manifests(docs(*objects)), vpc(vpc_data, vpc_id), settings(vpc_id=vpc_id))


def data_sgs_aws() -> list[dict]:
    return [{"GroupId": "sg-nodes", "GroupName": "nodes", "VpcId": "vpc-test", "Tags": [{"Key": OWN, "Value": "owned"}]}]


def test_fewer_than_two_azs_is_an_error():
    msg = _subnet_error(
        _subnet("subnet-a1", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-a2", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}, free=2),
    )
    assert "couldn't auto-discover subnets" in msg
    assert "subnets count less than minimal required count: 1 < 2" in msg


@pytest.mark.parametrize(
    "subnets, counts",
    [
        pytest.param(
            [
                _subnet("subnet-a", "us-east-1a", {ELB: "1", OTHER: "1"}),
                _subnet("subnet-b", "us-east-1b", {ELB: "1"}, free=5),
                _subnet("subnet-c", "us-east-1c", {ELB: "1"}, free=0),
            ],
            "Evaluated 3 subnets: 1 are tagged for other clusters, and 2 have insufficient available IP addresses",
            id="mixed",
        ),
        pytest.param(
            [_subnet("subnet-a", "us-east-1a", {ELB: "1", OTHER: "1"}), _subnet("subnet-b", "us-east-1b", {ELB: "", OTHER: "1"})],
            "Evaluated 2 subnets: 2 are tagged for other clusters, and 0 have insufficient available IP addresses",
            id="all-other-cluster",
        ),
    ],
)
def test_no_eligible_subnet_names_counts(subnets, counts):
    msg = _subnet_error(*subnets)
    assert "couldn't auto-discover subnets: unable to resolve at least one subnet" in msg
    assert counts in msg


def test_no_role_tagged_subnet_is_an_error():
    msg = _subnet_error(
        _subnet("subnet-a", "us-east-1a", {INTERNAL: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "true"}),
    )
    assert "unable to resolve at least one subnet" in msg
    assert ELB in msg


@pytest.mark.parametrize(
    "ip_type, chosen",
    [
        pytest.param("ipv4", ("subnet-a", "subnet-b", "subnet-c"), id="ipv4-keeps-v4-only-subnet"),
        pytest.param("dualstack", ("subnet-a", "subnet-b"), id="dualstack-skips-v4-only-subnet"),
        pytest.param("dualstack-without-public-ipv4", ("subnet-a", "subnet-b"), id="dualstack-without-public-ipv4-skips"),
    ],
)
def test_dualstack_discovery_needs_ipv6_cidr(ip_type, chosen):
    got = _subnets(
        _subnet("subnet-a", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
        _subnet("subnet-c", "us-east-1c", {ELB: "1"}, ipv6=False),
        ann={"ip-address-type": ip_type},
    )
    assert got == chosen


def test_dualstack_discovery_prefers_v6_subnet_in_same_az():
    got = _subnets(
        _subnet("subnet-a1", "us-east-1a", {ELB: "1"}, ipv6=False),
        _subnet("subnet-a2", "us-east-1a", {ELB: "1"}),
        _subnet("subnet-b", "us-east-1b", {ELB: "1"}),
        ann={"ip-address-type": "dualstack"},
    )
    assert got == ("subnet-a2", "subnet-b")


# ------------------------------------------------------------------ §9.3 explicit subnets


@pytest.mark.parametrize(
    "value, chosen",
    [
        pytest.param("subnet-pub1,subnet-pub2", ("subnet-pub1", "subnet-pub2"), id="ids"),
        pytest.param("subnet-pub3, subnet-pub1", ("subnet-pub1", "subnet-pub3"), id="ids-as-a-set"),
        pytest.param("public-us-east-1a,public-us-east-1b", ("subnet-pub1", "subnet-pub2"), id="name-tags"),
        pytest.param("subnet-priv1,public-us-east-1b", ("subnet-priv1", "subnet-pub2"), id="ids-and-names-mixed"),
        pytest.param("subnet-priv1,subnet-priv2", ("subnet-priv1", "subnet-priv2"), id="internal-subnets-on-internet-facing"),
    ],
)
def test_explicit_subnets(value, chosen):
    stack = one_stack(ingress(annotations={**PUBLIC, "subnets": value}), service())
    assert stack.load_balancer.subnet_ids == chosen


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param("subnet-pub1,subnet-nope", "subnet ID not found: subnet-nope", id="missing-id"),
        pytest.param("public-us-east-1a,nowhere", "subnet with Name tag not found: nowhere", id="missing-name"),
        pytest.param("public-us-east-1a,public-us-east-1a", "subnet with Name tag not found: public-us-east-1a", id="name-used-twice-but-one-subnet"),
        pytest.param("subnet-pub1,subnet-priv1", "multiple subnets in same Availability Zone us-east-1a: [subnet-pub1 subnet-priv1]", id="same-az"),
        pytest.param("subnet-pub1", "subnets count less than minimal required count: 1 < 2", id="single-subnet"),
        pytest.param("", "unable to resolve at least one subnet", id="empty-annotation-is-explicit-empty-list"),
    ],
)
def test_explicit_subnet_errors(value, message):
    with pytest.raises(Ingress2CfnError) as exc:
        one_stack(ingress(annotations={**PUBLIC, "subnets": value}), service())
    assert message in str(exc.value)
    assert "couldn't auto-discover" not in str(exc.value)


def test_explicit_subnets_skip_role_cluster_and_ip_filters():
    data = _vpc(
        _subnet("subnet-x", "us-east-1a", {OTHER: "owned", "Name": "x"}, free=0),
        _subnet("subnet-y", "us-east-1b", {"Name": "y"}, free=1),
    )
    stack = one_stack(ingress(annotations={**PUBLIC, "subnets": "x,subnet-y"}), service(), vpc_data=data)
    assert stack.load_balancer.subnet_ids == ("subnet-x", "subnet-y")


def test_explicit_subnets_shared_name_consumed_in_id_order():
    data = _vpc(
        _subnet("subnet-2", "us-east-1b", {"Name": "shared"}),
        _subnet("subnet-1", "us-east-1a", {"Name": "shared"}),
    )
    stack = one_stack(ingress(annotations={"subnets": "shared,shared"}), service(), vpc_data=data)
    assert stack.load_balancer.subnet_ids == ("subnet-1", "subnet-2")


def test_explicit_subnets_dualstack_need_ipv6():
    data = _vpc(
        _subnet("subnet-a", "us-east-1a", {}),
        _subnet("subnet-b", "us-east-1b", {}, ipv6=False),
    )
    with pytest.raises(Ingress2CfnError, match="subnet-b"):
        one_stack(ingress(annotations={"subnets": "subnet-a,subnet-b", "ip-address-type": "dualstack"}), service(), vpc_data=data)


# ------------------------------------------------------------------ VPC description file

AWS_CLI_VPC = {
    "Vpcs": [
        {
            "VpcId": "vpc-0abc",
            "CidrBlock": "10.10.0.0/16",
            "CidrBlockAssociationSet": [
                {"AssociationId": "vpc-cidr-assoc-1", "CidrBlock": "10.10.0.0/16", "CidrBlockState": {"State": "associated"}},
                {"AssociationId": "vpc-cidr-assoc-2", "CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}},
                {"AssociationId": "vpc-cidr-assoc-3", "CidrBlock": "10.99.0.0/16", "CidrBlockState": {"State": "disassociated"}},
            ],
            "Ipv6CidrBlockAssociationSet": [
                {"AssociationId": "vpc-cidr-assoc-6", "Ipv6CidrBlock": "2600:1f18:aaaa::/56", "Ipv6CidrBlockState": {"State": "associated"}},
            ],
        }
    ],
    "Subnets": [
        {
            "SubnetId": "subnet-0b",
            "VpcId": "vpc-0abc",
            "AvailabilityZone": "eu-west-1b",
            "CidrBlock": "10.10.2.0/24",
            "AvailableIpAddressCount": 250,
            "Ipv6CidrBlockAssociationSet": [
                {"AssociationId": "subnet-cidr-assoc-b", "Ipv6CidrBlock": "2600:1f18:aaaa:2::/64", "Ipv6CidrBlockState": {"State": "associated"}}
            ],
            "Tags": [{"Key": "Name", "Value": "pub-b"}, {"Key": ELB, "Value": "1"}],
        },
        {
            "SubnetId": "subnet-0a",
            "VpcId": "vpc-0abc",
            "AvailabilityZone": "eu-west-1a",
            "CidrBlock": "10.10.1.0/24",
            "AvailableIpAddressCount": 251,
            "Ipv6CidrBlockAssociationSet": [
                {"AssociationId": "subnet-cidr-assoc-a", "Ipv6CidrBlock": "2600:1f18:aaaa:1::/64", "Ipv6CidrBlockState": {"State": "disassociated"}}
            ],
            "Tags": [{"Key": "Name", "Value": "pub-a"}, {"Key": ELB, "Value": ""}, {"Key": OWN, "Value": "shared"}],
        },
        {
            "SubnetId": "subnet-0c",
            "VpcId": "vpc-0abc",
            "AvailabilityZone": "eu-west-1c",
            "CidrBlock": "10.10.3.0/24",
            "AvailableIpAddressCount": 3,
            "Tags": [{"Key": ELB, "Value": "1"}],
        },
    ],
    "SecurityGroups": [
        {"GroupId": "sg-0nodes", "GroupName": "eks-nodes", "VpcId": "vpc-0abc", "Tags": [{"Key": OWN, "Value": "owned"}]},
        {"GroupId": "sg-0web", "GroupName": "web", "VpcId": "vpc-0abc", "Tags": [{"Key": "Name", "Value": "web-sg"}]},
    ],
}


def test_aws_cli_shape_parsed():
    v = vpc(AWS_CLI_VPC)
    assert v.id == "vpc-0abc"
    assert v.cidrs == ("10.10.0.0/16", "100.64.0.0/16")
    assert v.ipv6_cidrs == ("2600:1f18:aaaa::/56",)
    subnets = {s.id: s for s in v.subnets}
    assert subnets["subnet-0b"].tags == {"Name": "pub-b", ELB: "1"}
    assert subnets["subnet-0b"].ipv6_cidrs == ("2600:1f18:aaaa:2::/64",)
    assert subnets["subnet-0a"].ipv6_cidrs == ()  # disassociated
    assert subnets["subnet-0a"].name == "pub-a"
    assert (subnets["subnet-0c"].available_ips, subnets["subnet-0c"].availability_zone, subnets["subnet-0c"].cidr) == (3, "eu-west-1c", "10.10.3.0/24")
    assert {g.id: g.tags for g in v.security_groups} == {"sg-0nodes": {OWN: "owned"}, "sg-0web": {"Name": "web-sg"}}


def test_aws_cli_shape_drives_the_build():
    stacks, cluster, _ = build(ingress(annotations=PUBLIC), service(), vpc_data=AWS_CLI_VPC)
    (stack,) = stacks
    assert stack.vpc_id == "vpc-0abc"
    assert stack.load_balancer.subnet_ids == ("subnet-0a", "subnet-0b")  # subnet-0c has 3 free IPs
    assert cluster.node_security_group_id == "sg-0nodes"


def test_aws_cli_shape_dualstack_uses_associated_ipv6_only():
    # subnet-0a's IPv6 association is disassociated, subnet-0c has 3 free IPs: only subnet-0b is left
    with pytest.raises(Ingress2CfnError, match="subnets count less than minimal required count: 1 < 2"):
        build(ingress(annotations={**PUBLIC, "ip-address-type": "dualstack"}), service(), vpc_data=AWS_CLI_VPC)


def test_compact_shape_parsed():
    v = vpc(default_vpc())
    assert (v.id, v.cidrs, v.ipv6_cidrs) == ("vpc-test", ("10.0.0.0/16",), ("2600:1f18::/56",))
    assert [s.id for s in v.subnets] == ["subnet-pub1", "subnet-priv1", "subnet-pub2", "subnet-priv2", "subnet-pub3", "subnet-priv3"]
    pub1 = v.subnets[0]
    assert (pub1.vpc_id, pub1.availability_zone, pub1.available_ips, pub1.ipv6_cidrs) == ("vpc-test", "us-east-1a", 4000, ("2600:1f18::/64",))
    assert pub1.tags == {ELB: "1", "Name": "public-us-east-1a", OWN: "shared"}
    assert [(g.id, g.vpc_id, g.group_name) for g in v.security_groups] == [("sg-nodes", "vpc-test", "nodes"), ("sg-extra", "vpc-test", "extra")]


def _two_vpcs() -> dict:
    data = copy.deepcopy(AWS_CLI_VPC)
    data["Vpcs"].append({"VpcId": "vpc-0def", "CidrBlock": "10.20.0.0/16"})
    data["Subnets"].append({"SubnetId": "subnet-0z", "VpcId": "vpc-0def", "AvailabilityZone": "eu-west-1a", "AvailableIpAddressCount": 100})
    return data


def test_several_vpcs_need_vpc_id():
    with pytest.raises(Ingress2CfnError, match=r"holds 2 VPCs \(vpc-0abc, vpc-0def\).*--vpc-id"):
        vpc(_two_vpcs())


@pytest.mark.parametrize("vpc_id, subnet_ids", [("vpc-0abc", {"subnet-0a", "subnet-0b", "subnet-0c"}), ("vpc-0def", {"subnet-0z"})])
def test_several_vpcs_with_vpc_id(vpc_id, subnet_ids):
    v = vpc(_two_vpcs(), vpc_id)
    assert v.id == vpc_id
    assert {s.id for s in v.subnets if s.vpc_id == v.id} == subnet_ids


def test_compact_vpc_id_mismatch():
    with pytest.raises(Ingress2CfnError, match="--vpc-id vpc-x does not match the description's vpcId vpc-test"):
        vpc(default_vpc(), "vpc-x")


def test_not_a_vpc_description():
    with pytest.raises(Ingress2CfnError, match="not a VPC description"):
        vpc({"foo": 1})


# ------------------------------------------------------------------ §9.4 managed frontend SG


@pytest.mark.parametrize(
    "ing_kw, group_id, prefix",
    [
        pytest.param({}, "default/web", "k8s-default-web", id="implicit"),
        pytest.param(
            {"name": "storefront-ingress", "namespace": "production"}, "production/storefront-ingress", "k8s-producti-storefro", id="implicit-truncated"
        ),
        pytest.param({"annotations": {"group.name": "shop.example-prod"}}, "shop.example-prod", "k8s-shopexampleprod", id="explicit"),
    ],
)
def test_managed_security_group_name(ing_kw, group_id, prefix):
    ing = ingress(**ing_kw)
    svc = service(namespace=ing["metadata"]["namespace"])
    for scheme in ("internal", "internet-facing"):  # the scheme is not hashed, unlike the LB name
        ing["metadata"].setdefault("annotations", {})["alb.ingress.kubernetes.io/scheme"] = scheme
        sg = one_stack(ing, svc).load_balancer.managed_security_group
        assert sg.name == f"{prefix}-{_hash10(CLUSTER, group_id)}"


def test_managed_security_group_in_template():
    tpl = template(ingress(), service())
    sg = tpl["Resources"]["ManagedSecurityGroup"]
    assert sg["Type"] == "AWS::EC2::SecurityGroup"
    props = sg["Properties"]
    assert props["GroupDescription"] == "[k8s] Managed SecurityGroup for LoadBalancer"
    assert props["GroupName"] == f"k8s-default-web-{_hash10(CLUSTER, 'default/web')}"
    assert props["VpcId"] == "vpc-test"
    assert props["SecurityGroupIngress"] == [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]
    assert {t["Key"]: t["Value"] for t in props["Tags"]}["ingress.k8s.aws/resource"] == "ManagedLBSecurityGroup"
    lb = next(iter(resources_of(tpl, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()))
    assert lb["Properties"]["SecurityGroups"] == [{"Ref": "ManagedSecurityGroup"}, {"Ref": "BackendSecurityGroupId"}]
    assert tpl["Parameters"]["BackendSecurityGroupId"]["Type"] == "AWS::EC2::SecurityGroup::Id"


V4 = "0.0.0.0/0"
V6 = "::/0"
TWO_PORTS = '[{"HTTP": 80}, {"HTTP": 8080}]'


@pytest.mark.parametrize(
    "ann, rules",
    [
        pytest.param({}, [(80, V4, None)], id="default-ipv4"),
        pytest.param({"listen-ports": TWO_PORTS}, [(80, V4, None), (8080, V4, None)], id="per-port-ipv4"),
        pytest.param({"ip-address-type": "dualstack"}, [(80, V4, None), (80, None, V6)], id="dualstack-adds-v6-any"),
        pytest.param({"ip-address-type": "dualstack-without-public-ipv4"}, [(80, V4, None), (80, None, V6)], id="dualstack-without-public-ipv4-adds-v6-any"),
        pytest.param(
            {"ip-address-type": "dualstack", "listen-ports": TWO_PORTS},
            [(80, V4, None), (80, None, V6), (8080, V4, None), (8080, None, V6)],
            id="dualstack-per-port",
        ),
        pytest.param({"inbound-cidrs": "10.0.0.0/8, 192.168.0.0/16"}, [(80, "10.0.0.0/8", None), (80, "192.168.0.0/16", None)], id="inbound-cidrs-v4"),
        pytest.param({"ip-address-type": "dualstack", "inbound-cidrs": "10.0.0.0/8"}, [(80, "10.0.0.0/8", None)], id="dualstack-v4-only-no-v6-any"),
        pytest.param({"inbound-cidrs": "10.0.0.0/8,2001:db8::/32"}, [(80, "10.0.0.0/8", None)], id="v6-dropped-on-ipv4-lb"),
        pytest.param({"inbound-cidrs": "2001:db8::/32"}, [], id="only-v6-on-ipv4-lb-no-rules"),
        pytest.param(
            {"ip-address-type": "dualstack", "inbound-cidrs": "10.0.0.0/8,2001:db8::/32"},
            [(80, "10.0.0.0/8", None), (80, None, "2001:db8::/32")],
            id="dualstack-v4-and-v6",
        ),
        pytest.param({"ip-address-type": "dualstack", "inbound-cidrs": "2001:db8::/32"}, [(80, None, "2001:db8::/32")], id="dualstack-v6-only-no-v4-any"),
        pytest.param({"inbound-cidrs": "10.0.0.1/8"}, [(80, "10.0.0.1/8", None)], id="host-bits-kept-verbatim"),
    ],
)
def test_managed_security_group_rules(ann, rules):
    sg = one_stack(ingress(annotations=ann), service()).load_balancer.managed_security_group
    assert sg.rules == tuple(SecurityGroupRule(p, cidr_ipv4=v4, cidr_ipv6=v6) for p, v4, v6 in rules)


def test_managed_security_group_rules_in_template_dualstack():
    tpl = template(ingress(annotations={"ip-address-type": "dualstack"}), service())
    assert tpl["Resources"]["ManagedSecurityGroup"]["Properties"]["SecurityGroupIngress"] == [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": V4},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIpv6": V6},
    ]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("bogus", id="word"),
        pytest.param("10.0.0.0/33", id="prefix-too-long"),
        pytest.param("300.0.0.0/8", id="bad-octet"),
        pytest.param("10.0.0.0/8,nope", id="second-item"),
        pytest.param("2001:db8::/129", id="v6-prefix-too-long"),
        pytest.param("10.0.0.1", id="bare-ip-not-a-cidr"),
        pytest.param("2001:db8::1", id="bare-v6-ip-not-a-cidr"),
        pytest.param("10.0.0.0/255.0.0.0", id="netmask-form-not-a-cidr"),
    ],
)
def test_invalid_inbound_cidr(value):
    with pytest.raises(Ingress2CfnError, match="invalid inbound-cidrs settings on Ingress: default/web"):
        one_stack(ingress(annotations={"inbound-cidrs": value}), service())


# ------------------------------------------------------------------ explicit security-groups


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("sg-extra", ["sg-extra"], id="by-id"),
        pytest.param("extra", ["sg-extra"], id="by-name-tag"),
        pytest.param("sg-nodes, extra", ["sg-nodes", "sg-extra"], id="id-and-name"),
    ],
)
def test_explicit_security_groups(value, expected):
    objs = (ingress(annotations={"security-groups": value, "inbound-cidrs": "10.0.0.0/8"}), service())
    lb = one_stack(*objs).load_balancer
    assert (lb.security_group_ids, lb.managed_security_group, lb.uses_backend_security_group) == (tuple(expected), None, False)
    tpl = template(*objs)
    assert resources_of(tpl, "AWS::EC2::SecurityGroup") == {}
    assert "BackendSecurityGroupId" not in tpl.get("Parameters", {})
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()]
    assert props["SecurityGroups"] == expected


@pytest.mark.parametrize("value", ["sg-missing", "no-such-name", "sg-extra,nodes"], ids=["unknown-id", "unknown-name", "group-name-is-not-name-tag"])
def test_explicit_security_groups_not_found(value):
    with pytest.raises(Ingress2CfnError, match="couldn't find all security groups"):
        one_stack(ingress(annotations={"security-groups": value}), service())


# ------------------------------------------------------------------ §9.5 cluster stack


def _cluster(*objects, vpc_data=None, **kw):
    stacks, cluster, warnings = build(*objects, vpc_data=vpc_data, **kw)
    return cluster, [str(w) for w in warnings]


@pytest.mark.parametrize(
    "security_groups, node_sg, expected",
    [
        pytest.param(None, None, "sg-nodes", id="by-cluster-tag"),
        pytest.param(None, "sg-given", "sg-given", id="flag-wins"),
        pytest.param([{"id": "sg-a", "tags": {}}], "sg-given", "sg-given", id="flag-without-tagged-group"),
        pytest.param([{"id": "sg-a", "tags": {OWN: "owned"}}, {"id": "sg-b", "tags": {OWN: "owned"}}], "sg-given", "sg-given", id="flag-with-two-tagged"),
    ],
)
def test_node_security_group(security_groups, node_sg, expected):
    data = default_vpc()
    if security_groups is not None:
        data["securityGroups"] = security_groups
    cluster, _ = _cluster(ingress(), service(), vpc_data=data, node_security_group=node_sg)
    assert cluster.node_security_group_id == expected


@pytest.mark.parametrize(
    "security_groups, found",
    [
        pytest.param([{"id": "sg-a", "tags": {}}], "found none", id="zero"),
        pytest.param([{"id": "sg-a", "tags": {OTHER: "owned"}}], "found none", id="other-cluster-only"),
        pytest.param([{"id": "sg-b", "tags": {OWN: "owned"}}, {"id": "sg-a", "tags": {OWN: "shared"}}], "found 2: sg-a, sg-b", id="two"),
    ],
)
def test_node_security_group_errors(security_groups, found):
    data = default_vpc()
    data["securityGroups"] = security_groups
    with pytest.raises(Ingress2CfnError) as exc:
        _cluster(ingress(), service(), vpc_data=data)
    assert "expected exactly one securityGroup" in str(exc.value)
    assert f"tagged with {OWN}" in str(exc.value)
    assert found in str(exc.value)
    assert "--node-security-group" in str(exc.value)


def test_node_security_group_error_uses_lbc_wording():
    data = default_vpc()
    data["securityGroups"] = [{"id": "sg-a", "tags": {}}]
    with pytest.raises(Ingress2CfnError) as exc:
        _cluster(ingress(), service(), vpc_data=data)
    assert f"expected exactly one securityGroup tagged with {OWN}" in str(exc.value)


@pytest.mark.parametrize(
    "ann, ports, rules",
    [
        pytest.param(None, None, [(30080, 30080)], id="instance-nodePort"),
        pytest.param({"target-type": "ip"}, None, [(8080, 8080)], id="ip-targetPort"),
        pytest.param({"healthcheck-port": "9000"}, None, [(9000, 9000), (30080, 30080)], id="instance-plus-numeric-hc-port"),
        pytest.param({"target-type": "ip", "healthcheck-port": "9000"}, None, [(8080, 8080), (9000, 9000)], id="ip-plus-numeric-hc-port"),
        pytest.param({"healthcheck-port": "traffic-port"}, None, [(30080, 30080)], id="traffic-port-no-extra-rule"),
        pytest.param(
            {"target-type": "ip", "healthcheck-port": "health"},
            [{"name": "http", "port": 80, "targetPort": 8080}, {"name": "health", "port": 81, "targetPort": 9090}],
            [(8080, 8080), (9090, 9090)],
            id="ip-named-hc-port-resolved",
        ),
        pytest.param({"target-type": "ip"}, [{"port": 80, "targetPort": "web"}], [(0, 65535)], id="ip-named-targetPort-all-ports"),
    ],
)
def test_cluster_node_rules(ann, ports, rules):
    cluster, _ = _cluster(ingress(annotations=ann), service(ports=ports))
    assert cluster.rules == tuple(NodeRule(a, b, ("default/web",)) for a, b in rules)


def test_named_target_port_warns():
    _, warnings = _cluster(ingress(annotations={"target-type": "ip"}), service(ports=[{"port": 80, "targetPort": "web"}]))
    assert any("targetPort 'web' is a name" in w and "all TCP ports" in w for w in warnings), warnings


def test_cluster_rules_merge_over_groups():
    cluster, _ = _cluster(
        ingress("a", rules=[rule(None, path("/", "Prefix", "svc", 80))]),
        ingress("b", rules=[rule(None, path("/", "Prefix", "svc", 80)), rule("x.example.com", path("/", "Prefix", "api", 80))]),
        ingress("c", annotations={"target-type": "ip"}, rules=[rule(None, path("/", "Prefix", "api", 80))]),
        service(),
        service("api", ports=[{"port": 80, "targetPort": 3000, "nodePort": 30300}]),
    )
    assert cluster.rules == (
        NodeRule(3000, 3000, ("default/c",)),
        NodeRule(30080, 30080, ("default/a", "default/b")),
        NodeRule(30300, 30300, ("default/b",)),
    )


def test_cluster_rules_skip_groups_with_explicit_security_groups():
    cluster, _ = _cluster(
        ingress("a"),
        ingress("b", annotations={"security-groups": "sg-extra"}, rules=[rule(None, path("/", "Prefix", "api", 80))]),
        service(),
        service("api", ports=[{"port": 80, "targetPort": 3000, "nodePort": 30300}]),
    )
    assert cluster.rules == (NodeRule(30080, 30080, ("default/a",)),)


def test_build_cluster_directly():
    stacks, _, _ = build(ingress(), service())
    cluster = build_cluster(stacks, vpc(), settings())
    assert (cluster.vpc_id, cluster.node_security_group_id, cluster.rules) == ("vpc-test", "sg-nodes", (NodeRule(30080, 30080, ("default/web",)),))
    assert cluster.backend_security_group_name == f"k8s-traffic-testcluster-{_hash10(CLUSTER)}"
    assert build_cluster([], vpc(), settings()).rules == ()


@pytest.mark.parametrize(
    "cluster, name_prefix",
    [
        pytest.param(CLUSTER, "k8s-traffic-testcluster", id="test-cluster"),
        pytest.param("prod_eu.west-1", "k8s-traffic-prodeuwest1", id="non-alphanumerics-removed"),
    ],
)
def test_backend_security_group_in_cluster_template(cluster, name_prefix):
    data = default_vpc()
    data["securityGroups"] = [{"id": "sg-nodes", "tags": {f"kubernetes.io/cluster/{cluster}": "owned"}}]
    for s in data["subnets"]:
        s["tags"] = {k: v for k, v in s["tags"].items() if not k.startswith("kubernetes.io/cluster")}
    result = render(ingress(), service(), vpc_data=data, cluster=cluster)
    tpl = yaml.safe_load(result.cluster_template)
    sg = tpl["Resources"]["BackendSecurityGroup"]
    assert sg["Type"] == "AWS::EC2::SecurityGroup"
    assert sg["Properties"]["GroupName"] == f"{name_prefix}-{_hash10(cluster)}"
    assert sg["Properties"]["GroupDescription"] == "[k8s] Shared Backend SecurityGroup for LoadBalancer"
    assert sg["Properties"]["VpcId"] == "vpc-test"
    assert sg["Properties"]["Tags"] == [
        {"Key": "elbv2.k8s.aws/cluster", "Value": cluster},
        {"Key": "elbv2.k8s.aws/resource", "Value": "backend-sg"},
    ]
    rules = resources_of(tpl, "AWS::EC2::SecurityGroupIngress")
    assert {
        k: (
            v["Properties"]["GroupId"],
            v["Properties"]["FromPort"],
            v["Properties"]["ToPort"],
            v["Properties"]["IpProtocol"],
            v["Properties"]["SourceSecurityGroupId"],
        )
        for k, v in rules.items()
    } == {
        "NodeIngressTcp30080": ("sg-nodes", 30080, 30080, "tcp", {"Fn::GetAtt": ["BackendSecurityGroup", "GroupId"]}),
    }
    assert tpl["Outputs"]["BackendSecurityGroupId"]["Value"] == {"Fn::GetAtt": ["BackendSecurityGroup", "GroupId"]}


def test_cluster_template_range_rule():
    result = render(ingress(annotations={"target-type": "ip"}), service(ports=[{"port": 80, "targetPort": "web"}]))
    tpl = yaml.safe_load(result.cluster_template)
    ((rule_id, res),) = resources_of(tpl, "AWS::EC2::SecurityGroupIngress").items()
    assert rule_id == "NodeIngressTcp0To65535"
    assert (res["Properties"]["FromPort"], res["Properties"]["ToPort"]) == (0, 65535)
