"""EC2 shapes for the AWS tests (moto server): a cluster VPC as eksctl makes it."""

from __future__ import annotations

CLUSTER = "my-cluster"


def spec(kind: str, tags: dict[str, str]) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def make_cluster_vpc(ec2, cluster: str = CLUSTER, tag_vpc: bool = True) -> dict[str, str]:
    """A VPC like eksctl's: public subnets (role elb) in two AZs, private ones (role internal-elb), a node SG."""
    vpc_tags = {"Name": f"{cluster}-vpc"} | ({f"kubernetes.io/cluster/{cluster}": "shared"} if tag_vpc else {})
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=spec("vpc", vpc_tags))["Vpc"]["VpcId"]
    ids = {"vpc": vpc}
    for i, (az, role) in enumerate([("us-east-1a", "elb"), ("us-east-1b", "elb"), ("us-east-1a", "internal-elb"), ("us-east-1b", "internal-elb")]):
        tags = {"Name": f"{role}-{az}", f"kubernetes.io/role/{role}": "1", f"kubernetes.io/cluster/{cluster}": "shared"}
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i * 16}.0/20", AvailabilityZone=az, TagSpecifications=spec("subnet", tags))
        ids[f"{role}-{az}"] = subnet["Subnet"]["SubnetId"]
    node = ec2.create_security_group(
        GroupName=f"{cluster}-nodes",
        Description="EKS nodes",
        VpcId=vpc,
        TagSpecifications=spec("security-group", {f"kubernetes.io/cluster/{cluster}": "owned"}),
    )
    ids["node-sg"] = node["GroupId"]
    return ids
