"""The VPC description: AWS CLI `describe-vpcs/-subnets/-security-groups` output merged
(`jq -s add`, or `ingress2cfn vpc export`), or the compact hand-written form. `--vpc aws` reads the
same describe output live (ingress2cfn.aws.ec2) and hands it to `vpc_from_description`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.loader import Document, load_file
from ingress2cfn.input.location import PositionMap, SourceLocation


@dataclass(frozen=True)
class Subnet:
    id: str
    vpc_id: str
    availability_zone: str
    cidr: str
    available_ips: int
    ipv6_cidrs: tuple[str, ...]
    tags: dict[str, str] = field(hash=False, compare=False)
    outpost_arn: str | None = None

    @property
    def name(self) -> str | None:
        return self.tags.get("Name")

    @property
    def locale(self) -> str:
        """availability-zone / local-zone / wavelength-zone / outpost (from the AZ name)."""
        if self.outpost_arn:
            return "outpost"
        if re.search(r"-wl\d+-", self.availability_zone):
            return "wavelength-zone"
        if re.fullmatch(r"[a-z]+-[a-z]+-\d+[a-z]", self.availability_zone):
            return "availability-zone"
        return "local-zone"


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    vpc_id: str
    group_name: str
    tags: dict[str, str] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Vpc:
    id: str
    cidrs: tuple[str, ...]
    ipv6_cidrs: tuple[str, ...]
    subnets: tuple[Subnet, ...]
    security_groups: tuple[SecurityGroup, ...]
    source: str


def _tags(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(t.get("Key")): str(t.get("Value", "")) for t in value if isinstance(t, dict)}
    return {}


class _Fields:
    def __init__(self, doc: Document):
        self.doc = doc

    def fail(self, path: tuple, message: str) -> InputError:
        return InputError(message, self.doc.loc.at(*path, positions=self.doc.positions), "VPC description")

    def get(self, obj: dict, path: tuple, key: str, kind: type, required: bool = True, default: Any = None) -> Any:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(path + (key,), "required field is missing")
            return default
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise self.fail(path + (key,), f"must be {kind.__name__}, got {value!r}")
        return value

    def items(self, data: dict, key: str) -> list[tuple[tuple, dict]]:
        raw = data.get(key) or []
        if not isinstance(raw, list):
            raise self.fail((key,), "must be a list")
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise self.fail((key, i), "must be a mapping")
            out.append(((key, i), item))
        return out


def _assoc_cidrs(items: Any, key: str) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    out = []
    for item in items:
        if isinstance(item, dict) and item.get(key):
            state = item.get("Ipv6CidrBlockState", item.get("CidrBlockState", {})) or {}
            if state.get("State", "associated") in ("associated", "associating"):
                out.append(str(item[key]))
    return tuple(out)


def _from_aws_cli(doc: Document, vpc_id: str | None) -> Vpc:
    f = _Fields(doc)
    data = doc.data
    vpcs = f.items(data, "Vpcs")
    if vpc_id is None:
        ids = sorted({f.get(v, p, "VpcId", str) for p, v in vpcs} | {str(s.get("VpcId")) for _, s in f.items(data, "Subnets") if s.get("VpcId")})
        if len(ids) != 1:
            raise f.fail(("Vpcs",), f"the description holds {len(ids)} VPCs ({', '.join(ids) or 'none'}): name the cluster's VPC with --vpc-id")
        vpc_id = ids[0]
    cidrs: tuple[str, ...] = ()
    v6: tuple[str, ...] = ()
    for _, v in vpcs:
        if v.get("VpcId") == vpc_id:
            cidrs = _assoc_cidrs(v.get("CidrBlockAssociationSet"), "CidrBlock") or ((str(v["CidrBlock"]),) if v.get("CidrBlock") else ())
            v6 = _assoc_cidrs(v.get("Ipv6CidrBlockAssociationSet"), "Ipv6CidrBlock")
    subnets = []
    for path, s in f.items(data, "Subnets"):
        subnets.append(
            Subnet(
                id=f.get(s, path, "SubnetId", str),
                vpc_id=f.get(s, path, "VpcId", str),
                availability_zone=f.get(s, path, "AvailabilityZone", str),
                cidr=f.get(s, path, "CidrBlock", str, required=False, default=""),
                available_ips=f.get(s, path, "AvailableIpAddressCount", int),
                ipv6_cidrs=_assoc_cidrs(s.get("Ipv6CidrBlockAssociationSet"), "Ipv6CidrBlock"),
                tags=_tags(s.get("Tags")),
                outpost_arn=s.get("OutpostArn"),
            )
        )
    groups = []
    for path, g in f.items(data, "SecurityGroups"):
        groups.append(SecurityGroup(f.get(g, path, "GroupId", str), str(g.get("VpcId", vpc_id)), str(g.get("GroupName", "")), _tags(g.get("Tags"))))
    return Vpc(vpc_id, cidrs, v6, tuple(subnets), tuple(groups), doc.loc.file)


def _from_compact(doc: Document, vpc_id: str | None) -> Vpc:
    f = _Fields(doc)
    data = doc.data
    own_id = f.get(data, (), "vpcId", str)
    if vpc_id is not None and vpc_id != own_id:
        raise f.fail(("vpcId",), f"--vpc-id {vpc_id} does not match the description's vpcId {own_id}")
    subnets = []
    for path, s in f.items(data, "subnets"):
        subnets.append(
            Subnet(
                id=f.get(s, path, "id", str),
                vpc_id=own_id,
                availability_zone=f.get(s, path, "availabilityZone", str),
                cidr=f.get(s, path, "cidrBlock", str, required=False, default=""),
                available_ips=f.get(s, path, "availableIpAddressCount", int),
                ipv6_cidrs=tuple(f.get(s, path, "ipv6CidrBlocks", list, required=False, default=[])),
                tags=_tags(s.get("tags")),
                outpost_arn=s.get("outpostArn"),
            )
        )
    groups = []
    for path, g in f.items(data, "securityGroups"):
        groups.append(SecurityGroup(f.get(g, path, "id", str), own_id, str(g.get("name", "")), _tags(g.get("tags"))))
    return Vpc(
        own_id,
        tuple(f.get(data, (), "cidrBlocks", list, required=False, default=[])),
        tuple(f.get(data, (), "ipv6CidrBlocks", list, required=False, default=[])),
        tuple(subnets),
        tuple(groups),
        doc.loc.file,
    )


def parse_vpc(docs: list[Document], vpc_id: str | None = None) -> Vpc:
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        where = docs[0].loc if docs else None
        raise InputError("a VPC description is one YAML/JSON mapping (Vpcs/Subnets/SecurityGroups, or the compact vpcId/subnets form)", where)
    doc = docs[0]
    if "Subnets" in doc.data or "Vpcs" in doc.data:
        return _from_aws_cli(doc, vpc_id)
    if "vpcId" in doc.data:
        return _from_compact(doc, vpc_id)
    raise InputError(
        "not a VPC description: expected the keys Vpcs, Subnets, SecurityGroups (AWS CLI output) or vpcId, subnets, securityGroups (compact form)", doc.loc
    )


def load_vpc(path: str, vpc_id: str | None = None) -> Vpc:
    return parse_vpc(load_file(path), vpc_id)


def vpc_location(vpc: Vpc) -> SourceLocation:
    return SourceLocation(vpc.source, 1)


def _tag(item: dict, key: str) -> str | None:
    return _tags(item.get("Tags")).get(key)


def choose_vpc(vpcs: list[dict], cluster: str | None, cluster_subnet_vpcs: set[str] | frozenset[str] = frozenset()) -> str:
    """Which VPC `--vpc aws` means when no id is given, from `describe-vpcs` entries: the one tagged
    kubernetes.io/cluster/<cluster>, else the one holding the subnets tagged so, else the only VPC.
    Anything else is an error that lists the candidates."""
    ids = sorted({str(v["VpcId"]) for v in vpcs if v.get("VpcId")})
    if cluster:
        key = f"kubernetes.io/cluster/{cluster}"
        tagged = sorted({str(v["VpcId"]) for v in vpcs if v.get("VpcId") and _tag(v, key) is not None})
        if len(tagged) == 1:
            return tagged[0]
        if len(tagged) > 1:
            raise InputError(f"{len(tagged)} VPCs are tagged {key} ({', '.join(tagged)}): name one with --vpc aws:<vpc-id> or --vpc-id", None, "VPC discovery")
        by_subnets = sorted(cluster_subnet_vpcs & set(ids))
        if len(by_subnets) == 1:
            return by_subnets[0]
    if len(ids) == 1:
        return ids[0]
    names = {str(v["VpcId"]): (_tag(v, "Name") or "", str(v.get("CidrBlock", ""))) for v in vpcs if v.get("VpcId")}
    listed = ", ".join(f"{i} ({' '.join(p for p in names[i] if p)})" if any(names[i]) else i for i in ids) or "none"
    why = f"no VPC (nor any subnet) is tagged kubernetes.io/cluster/{cluster}" if cluster else "no --cluster to find the cluster's VPC by its tag"
    raise InputError(f"{why} and the region has {len(ids)} VPCs: {listed}; name one with --vpc aws:<vpc-id> or --vpc-id", None, "VPC discovery")


def vpc_from_description(data: dict, source: str, vpc_id: str | None = None) -> Vpc:
    """A VPC description already in memory (e.g. read live from EC2), parsed exactly as a file is."""
    return parse_vpc([Document(data, SourceLocation(source, 1), PositionMap())], vpc_id)
