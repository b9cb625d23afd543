"""Small builders for table-driven tests: Kubernetes objects as dicts, a default VPC, and the
pipeline run on them. Objects go through the real YAML loader so locations exist."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from ingress2cfn.build import build_all
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import parse_text
from ingress2cfn.input.vpc import parse_vpc
from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import render_documents

CLUSTER = "test-cluster"
P = "alb.ingress.kubernetes.io/"


def ingress(
    name: str = "web",
    namespace: str = "default",
    annotations: dict | None = None,
    rules: list | None = None,
    class_name: str | None = "alb",
    default_backend: dict | None = None,
    tls: list | None = None,
    **extra_spec,
) -> dict:
    spec: dict[str, Any] = {}
    if class_name is not None:
        spec["ingressClassName"] = class_name
    if default_backend is not None:
        spec["defaultBackend"] = default_backend
    if rules is None:
        rules = [rule(None, path("/", "Prefix", "svc", 80))]
    if rules:
        spec["rules"] = rules
    if tls is not None:
        spec["tls"] = tls
    spec.update(extra_spec)
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if annotations:
        meta["annotations"] = {(k if "/" in k else P + k): v for k, v in annotations.items()}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def backend(service: str, port: int | str) -> dict:
    p = {"number": port} if isinstance(port, int) else {"name": port}
    return {"service": {"name": service, "port": p}}


def path(p: str | None, path_type: str | None, service: str, port: int | str) -> dict:
    out: dict[str, Any] = {"backend": backend(service, port)}
    if p is not None:
        out["path"] = p
    if path_type is not None:
        out["pathType"] = path_type
    return out


def rule(host: str | None, *paths: dict) -> dict:
    out: dict[str, Any] = {"http": {"paths": list(paths)}}
    if host:
        out["host"] = host
    return out


def service(
    name: str = "svc",
    namespace: str = "default",
    ports: list | None = None,
    type_: str = "NodePort",
    annotations: dict | None = None,
    uid: str | None = None,
    ip_families: list | None = None,
) -> dict:
    if ports is None:
        ports = [{"port": 80, "targetPort": 8080, "nodePort": 30080}]
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if annotations:
        meta["annotations"] = {(k if "/" in k else P + k): v for k, v in annotations.items()}
    if uid:
        meta["uid"] = uid
    spec: dict[str, Any] = {"type": type_, "ports": ports}
    if ip_families:
        spec["ipFamilies"] = ip_families
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def ingress_class(name: str = "alb", controller: str = "ingress.k8s.aws/alb", default: bool = False, parameters: dict | None = None) -> dict:
    meta: dict[str, Any] = {"name": name}
    if default:
        meta["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    spec: dict[str, Any] = {"controller": controller}
    if parameters:
        spec["parameters"] = parameters
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": meta, "spec": spec}


def subnet(id_: str, az: str, tags: dict, free: int = 4000, ipv6: bool = True) -> dict:
    return {
        "id": id_,
        "availabilityZone": az,
        "cidrBlock": "10.0.0.0/24",
        "availableIpAddressCount": free,
        "ipv6CidrBlocks": ["2600:1f18::/64"] if ipv6 else [],
        "tags": tags,
    }


def default_vpc() -> dict:
    """Three AZs, public and private subnets tagged for CLUSTER, one node SG."""
    cluster_tag = {f"kubernetes.io/cluster/{CLUSTER}": "shared"}
    subnets = []
    for i, az in enumerate(("us-east-1a", "us-east-1b", "us-east-1c"), start=1):
        subnets.append(subnet(f"subnet-pub{i}", az, {"kubernetes.io/role/elb": "1", "Name": f"public-{az}", **cluster_tag}))
        subnets.append(subnet(f"subnet-priv{i}", az, {"kubernetes.io/role/internal-elb": "1", "Name": f"private-{az}", **cluster_tag}))
    return {
        "vpcId": "vpc-test",
        "cidrBlocks": ["10.0.0.0/16"],
        "ipv6CidrBlocks": ["2600:1f18::/56"],
        "subnets": subnets,
        "securityGroups": [
            {"id": "sg-nodes", "name": "nodes", "tags": {f"kubernetes.io/cluster/{CLUSTER}": "owned"}},
            {"id": "sg-extra", "name": "extra", "tags": {"Name": "extra"}},
        ],
    }


# Ids in AWS's formats: cfn-lint checks them (default_vpc's short ids fail its pattern rules).
LINT_PUBLIC_SUBNETS = ("subnet-0aaa0000000000001", "subnet-0aaa0000000000002", "subnet-0aaa0000000000003")
LINT_PRIVATE_SUBNETS = ("subnet-0bbb0000000000001", "subnet-0bbb0000000000002", "subnet-0bbb0000000000003")
LINT_NODE_SG = "sg-0ccc0000000000001"


def lint_vpc() -> dict:
    """default_vpc's layout (three AZs, public and private subnets, a node SG, two named SGs) with
    real-looking ids, for templates that go through cfn-lint. A fresh copy: callers may change it."""
    cluster_tag = {f"kubernetes.io/cluster/{CLUSTER}": "shared"}
    subnets = []
    for i, az in enumerate(("us-east-1a", "us-east-1b", "us-east-1c")):
        subnets.append(subnet(LINT_PUBLIC_SUBNETS[i], az, {"kubernetes.io/role/elb": "1", "Name": f"public-{az}", **cluster_tag}))
        subnets.append(subnet(LINT_PRIVATE_SUBNETS[i], az, {"kubernetes.io/role/internal-elb": "1", "Name": f"private-{az}", **cluster_tag}))
    return {
        "vpcId": "vpc-0123456789abcdef0",
        "cidrBlocks": ["10.0.0.0/16"],
        "ipv6CidrBlocks": ["2600:1f18::/56"],
        "subnets": subnets,
        "securityGroups": [
            {"id": LINT_NODE_SG, "name": "nodes", "tags": {f"kubernetes.io/cluster/{CLUSTER}": "owned"}},
            {"id": "sg-0ccc0000000000002", "name": "office", "tags": {"Name": "office"}},
            {"id": "sg-0ccc0000000000003", "name": "partners", "tags": {"Name": "partners"}},
        ],
    }


def cfn_lint(text: str) -> list[str]:
    """cfn-lint's findings on a template (us-east-1) as 'RULE message (line N)'; [] when clean.
    cfn-lint is imported here, not at the top: the import-budget test imports this module and the
    render path must not load cfn-lint."""
    from cfnlint.api import ManualArgs, lint

    return [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in lint(text, config=ManualArgs(regions=["us-east-1"]))]


def docs(*objects: dict, filename: str = "test.yaml"):
    text = "".join("---\n" + yaml.safe_dump(copy.deepcopy(o), sort_keys=False) for o in objects)
    return parse_text(text, filename)


def vpc(data: dict | None = None, vpc_id: str | None = None):
    # default_vpc's readable ids (subnet-pub1) are not AWS-shaped: only here is that check off
    return parse_vpc(parse_text(yaml.safe_dump(data or default_vpc()), "vpc.yaml"), vpc_id, check_ids=False)


def settings(**kw) -> Settings:
    kw.setdefault("cluster", CLUSTER)
    return Settings(**kw)


def build(*objects: dict, vpc_data: dict | None = None, **kw):
    """→ (group stacks, cluster stack, warnings)"""
    return build_all(parse_manifests(docs(*objects), kw.pop("default_namespace", "default")), vpc(vpc_data), settings(**kw))


def one_stack(*objects: dict, **kw):
    stacks, _, _ = build(*objects, **kw)
    assert len(stacks) == 1, [s.group_id for s in stacks]
    return stacks[0]


def render(*objects: dict, vpc_data: dict | None = None, **kw):
    return render_documents(docs(*objects), vpc(vpc_data), settings(**kw))


def template(*objects: dict, **kw) -> dict:
    """The single group's template as data."""
    result = render(*objects, **kw)
    assert len(result.groups) == 1
    return yaml.safe_load(result.groups[0].template)


def resources_of(tpl: dict, type_: str) -> dict:
    return {k: v for k, v in tpl["Resources"].items() if v["Type"] == type_}


def kubeconfig(tmp_path, url: str) -> str:
    """A kubeconfig file pointing the official client at `url` (the kmock emulator)."""
    import yaml

    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kmock", "cluster": {"server": url}}],
        "users": [{"name": "me", "user": {}}],
        "contexts": [{"name": "kmock", "context": {"cluster": "kmock", "user": "me"}}],
        "current-context": "kmock",
    }
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)
