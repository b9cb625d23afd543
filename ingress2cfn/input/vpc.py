"""The VPC description: AWS CLI `describe-vpcs/-subnets/-security-groups` output merged
(`jq -s add`, or `ingress2cfn vpc export`), or the compact hand-written form. `--vpc aws` reads the
same describe output live (ingress2cfn.aws.ec2) and hands it to `vpc_from_description`."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

import msgspec

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


class Vpc(msgspec.Struct, frozen=True):
    id: str
    cidrs: tuple[str, ...]
    ipv6_cidrs: tuple[str, ...]
    subnets: tuple[Subnet, ...]
    security_groups: tuple[SecurityGroup, ...]
    source: str


# AWS resource ids: the prefix and 8 (older resources) or 17 lower-case hex digits
_ID = {prefix: re.compile(rf"{prefix}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})") for prefix in ("vpc", "subnet", "sg")}
_SCALAR = (str, int, float, bool)


class _Fields:
    def __init__(self, doc: Document, check_ids: bool = True):
        self.doc = doc
        self.check_ids = check_ids

    def id(self, obj: dict, path: tuple, key: str, prefix: str, required: bool = True) -> Any:
        value = self.get(obj, path, key, str, required)
        if value is not None and self.check_ids and not _ID[prefix].fullmatch(value):
            raise self.fail(path + (key,), f"not an AWS {prefix} id: {value!r} (want {prefix}- and 8 or 17 hex digits, as describe-* prints them)")
        return value

    def cidr(self, value: Any, path: tuple, version: int) -> str:
        """A CIDR block that parses (host bits may be set, as AWS prints associations)."""
        kind = "IPv4" if version == 4 else "IPv6"
        if not isinstance(value, str):
            raise self.fail(path, f"must be an {kind} CIDR string, got {value!r}")
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise self.fail(path, f"not an {kind} CIDR block: {value!r}") from None
        if network.version != version:
            raise self.fail(path, f"not an {kind} CIDR block: {value!r}")
        return value

    def cidrs(self, obj: dict, path: tuple, key: str, version: int) -> tuple[str, ...]:
        values = self.get(obj, path, key, list, required=False, default=[])
        return tuple(self.cidr(v, path + (key, i), version) for i, v in enumerate(values))

    def tags(self, obj: dict, path: tuple, key: str) -> dict[str, str]:
        """`Tags: [{Key, Value}]` (AWS CLI) or a mapping (compact form); anything else is an error."""
        value = obj.get(key)
        if value is None:
            return {}
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(v, _SCALAR) and v is not None:
                    raise self.fail(path + (key, str(k)), f"a tag value must be a string, got {v!r}")
            return {str(k): "" if v is None else str(v) for k, v in value.items()}
        if isinstance(value, list):
            out = {}
            for i, tag in enumerate(value):
                if not isinstance(tag, dict) or not isinstance(tag.get("Key"), str) or not isinstance(tag.get("Value", ""), _SCALAR):
                    raise self.fail(path + (key, i), f'a tag must be {{"Key": "...", "Value": "..."}}, got {tag!r}')
                out[tag["Key"]] = str(tag.get("Value", ""))
            return out
        raise self.fail(path + (key,), f'must be a list of {{"Key": ..., "Value": ...}} (or a mapping), got {value!r}')

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


def _assoc_cidrs(f: _Fields, obj: dict, path: tuple, set_key: str, key: str) -> tuple[str, ...]:
    """The associated blocks of a `CidrBlockAssociationSet` / `Ipv6CidrBlockAssociationSet`."""
    items = f.get(obj, path, set_key, list, required=False, default=[])
    out = []
    for i, item in enumerate(items):
        where = path + (set_key, i)
        if not isinstance(item, dict):
            raise f.fail(where, "must be a mapping")
        if not item.get(key):
            continue
        cidr = f.cidr(item[key], where + (key,), 6 if key.startswith("Ipv6") else 4)
        state_key = "Ipv6CidrBlockState" if "Ipv6CidrBlockState" in item else "CidrBlockState"
        state = f.get(item, where, state_key, dict, required=False, default={})
        if f.get(state, where + (state_key,), "State", str, required=False, default="associated") in ("associated", "associating"):
            out.append(cidr)
    return tuple(out)


def _from_aws_cli(doc: Document, vpc_id: str | None, check_ids: bool) -> Vpc:
    f = _Fields(doc, check_ids)
    data = doc.data
    vpcs = f.items(data, "Vpcs")
    if vpc_id is None:
        ids = sorted({f.id(v, p, "VpcId", "vpc") for p, v in vpcs} | {f.id(s, p, "VpcId", "vpc") for p, s in f.items(data, "Subnets") if s.get("VpcId")})
        if len(ids) != 1:
            raise f.fail(("Vpcs",), f"the description holds {len(ids)} VPCs ({', '.join(ids) or 'none'}): name the cluster's VPC with --vpc-id")
        vpc_id = ids[0]
    cidrs: tuple[str, ...] = ()
    v6: tuple[str, ...] = ()
    for path, v in vpcs:
        if v.get("VpcId") == vpc_id:
            own = f.get(v, path, "CidrBlock", str, required=False)
            cidrs = _assoc_cidrs(f, v, path, "CidrBlockAssociationSet", "CidrBlock") or ((f.cidr(own, path + ("CidrBlock",), 4),) if own else ())
            v6 = _assoc_cidrs(f, v, path, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock")
    subnets = []
    for path, s in f.items(data, "Subnets"):
        cidr = f.get(s, path, "CidrBlock", str, required=False, default="")
        subnets.append(
            Subnet(
                id=f.id(s, path, "SubnetId", "subnet"),
                vpc_id=f.id(s, path, "VpcId", "vpc"),
                availability_zone=f.get(s, path, "AvailabilityZone", str),
                cidr=f.cidr(cidr, path + ("CidrBlock",), 4) if cidr else "",
                available_ips=f.get(s, path, "AvailableIpAddressCount", int),
                ipv6_cidrs=_assoc_cidrs(f, s, path, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock"),
                tags=f.tags(s, path, "Tags"),
                outpost_arn=f.get(s, path, "OutpostArn", str, required=False),
            )
        )
    groups = []
    for path, g in f.items(data, "SecurityGroups"):
        group_vpc = f.id(g, path, "VpcId", "vpc", required=False) or vpc_id
        groups.append(
            SecurityGroup(f.id(g, path, "GroupId", "sg"), group_vpc, str(f.get(g, path, "GroupName", str, required=False, default="")), f.tags(g, path, "Tags"))
        )
    return Vpc(vpc_id, cidrs, v6, tuple(subnets), tuple(groups), doc.loc.file)


def _from_compact(doc: Document, vpc_id: str | None, check_ids: bool) -> Vpc:
    f = _Fields(doc, check_ids)
    data = doc.data
    own_id = f.id(data, (), "vpcId", "vpc")
    if vpc_id is not None and vpc_id != own_id:
        raise f.fail(("vpcId",), f"--vpc-id {vpc_id} does not match the description's vpcId {own_id}")
    subnets = []
    for path, s in f.items(data, "subnets"):
        cidr = f.get(s, path, "cidrBlock", str, required=False, default="")
        subnets.append(
            Subnet(
                id=f.id(s, path, "id", "subnet"),
                vpc_id=own_id,
                availability_zone=f.get(s, path, "availabilityZone", str),
                cidr=f.cidr(cidr, path + ("cidrBlock",), 4) if cidr else "",
                available_ips=f.get(s, path, "availableIpAddressCount", int),
                ipv6_cidrs=f.cidrs(s, path, "ipv6CidrBlocks", 6),
                tags=f.tags(s, path, "tags"),
                outpost_arn=f.get(s, path, "outpostArn", str, required=False),
            )
        )
    groups = []
    for path, g in f.items(data, "securityGroups"):
        groups.append(SecurityGroup(f.id(g, path, "id", "sg"), own_id, str(f.get(g, path, "name", str, required=False, default="")), f.tags(g, path, "tags")))
    return Vpc(
        own_id,
        f.cidrs(data, (), "cidrBlocks", 4),
        f.cidrs(data, (), "ipv6CidrBlocks", 6),
        tuple(subnets),
        tuple(groups),
        doc.loc.file,
    )


def parse_vpc(docs: list[Document], vpc_id: str | None = None, *, check_ids: bool = True) -> Vpc:
    """`check_ids=False` accepts ids that are not AWS-shaped (unit tests use readable ones such as
    subnet-pub1); every other check stays."""
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        where = docs[0].loc if docs else None
        raise InputError("a VPC description is one YAML/JSON mapping (Vpcs/Subnets/SecurityGroups, or the compact vpcId/subnets form)", where)
    doc = docs[0]
    if "Subnets" in doc.data or "Vpcs" in doc.data:
        return _from_aws_cli(doc, vpc_id, check_ids)
    if "vpcId" in doc.data:
        return _from_compact(doc, vpc_id, check_ids)
    raise InputError(
        "not a VPC description: expected the keys Vpcs, Subnets, SecurityGroups (AWS CLI output) or vpcId, subnets, securityGroups (compact form)", doc.loc
    )


def load_vpc(path: str, vpc_id: str | None = None) -> Vpc:
    return parse_vpc(load_file(path), vpc_id)


def vpc_location(vpc: Vpc) -> SourceLocation:
    return SourceLocation(vpc.source, 1)


def _tag(item: dict, key: str) -> str | None:
    """A tag of a live describe-* entry (AWS's own output: a Key/Value list)."""
    tags = item.get("Tags")
    for tag in tags if isinstance(tags, list) else ():
        if isinstance(tag, dict) and tag.get("Key") == key:
            return str(tag.get("Value", ""))
    return None


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
