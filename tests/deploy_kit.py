"""Helpers for the deployer tests against the moto server of tests/conftest.py: the 2048 example's VPC
made in the emulator (ids as moto returns them), manifest variants of the 2048 Ingress, the stack
specs render gives, an API-call recorder (botocore `before-call` hooks), and botocore Stubber access."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2048" / "2048_full.yaml"
CLUSTER = "my-cluster"
REGION = "us-east-1"


@pytest.fixture
def clients(aws, monkeypatch):
    """An AwsClients on the moto server; no retries, so an emulator HTTP 500 fails fast."""
    from ingress2cfn.aws.clients import AwsClients

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    return AwsClients(region=REGION)


@pytest.fixture
def vpc_file(clients, tmp_path) -> Path:
    from ingress2cfn.aws.ec2_create import create_like

    description = create_like(clients, yaml.safe_load((ROOT / "examples" / "2048" / "vpc.yaml").read_text()))
    path = tmp_path / "vpc.json"
    path.write_text(json.dumps(description, default=str))
    return path


def example_docs() -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(EXAMPLE.read_text()) if d]


def ingress_of(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == "Ingress")


def service_of(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == "Service")


def prefix_path(path: str, port: int = 80) -> dict[str, Any]:
    return {"path": path, "pathType": "Prefix", "backend": {"service": {"name": "service-2048", "port": {"number": port}}}}


def variant(
    tmp_path: Path, name: str, *, paths: list[str] | None = None, hosts: tuple[str, ...] = (), scheme: str | None = None, target_port: int | None = None
) -> Path:
    """The 2048 example with the Ingress's paths changed (the controller sorts them: longer prefixes
    first), host rules appended after it (they keep their order), its scheme or the Service's
    targetPort changed."""
    docs = copy.deepcopy(example_docs())
    ingress = ingress_of(docs)
    if paths is not None:
        ingress["spec"]["rules"][0]["http"]["paths"] = [prefix_path(p) for p in paths]
    for host in hosts:
        ingress["spec"]["rules"].append({"host": host, "http": {"paths": [prefix_path("/")]}})
    if scheme is not None:
        ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] = scheme
    if target_port is not None:
        service_of(docs)["spec"]["ports"][0]["targetPort"] = target_port
    out = tmp_path / f"{name}.yaml"
    out.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return out


def specs_for(manifest: Path, vpc: Path, cluster: str = CLUSTER):
    """The StackSpecs `plan`/`deploy` make of these files (the render pipeline, JSON)."""
    from ingress2cfn.deploy.plan import stack_specs
    from ingress2cfn.model.settings import Settings
    from ingress2cfn.render.pipeline import RenderRequest, render_files
    from ingress2cfn.render.serialise import Format

    result = render_files(RenderRequest(sources=(str(manifest),), vpc_file=str(vpc), settings=Settings(cluster=cluster), fmt=Format.JSON))
    return stack_specs(json.loads(result.cluster_template), [json.loads(g.template) for g in result.groups])


class Calls:
    """Every AWS operation the clients make, in order, with its parameters (botocore
    `before-parameter-build` events: once per API call, before serialisation)."""

    def __init__(self) -> None:
        self.made: list[tuple[str, dict[str, Any]]] = []

    def attach(self, clients, *services: str) -> Calls:
        for service in services:
            clients.client(service).meta.events.register("before-parameter-build", self._record)
        return self

    def _record(self, model, params, **_: Any) -> None:
        self.made.append((model.name, params))

    def names(self) -> list[str]:
        return [name for name, _ in self.made]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [params for made, params in self.made if made == name]


def quiet(*_: Any) -> None:
    return None


def rules_of(clients, stack_name: str) -> list[dict[str, Any]]:
    """ELBv2's view of the stack's HTTP:80 listener rules, by priority (the default rule left out)."""
    from ingress2cfn.aws.cloudformation import physical_id

    listener = physical_id(clients, stack_name, "ListenerHTTP80")
    rules = clients.client("elbv2").describe_rules(ListenerArn=listener)["Rules"]
    return sorted((r for r in rules if not r["IsDefault"]), key=lambda r: int(r["Priority"]))


def paths_of(rule: dict[str, Any]) -> list[str]:
    return [v for c in rule["Conditions"] if c["Field"] == "path-pattern" for v in c.get("PathPatternConfig", {}).get("Values", c.get("Values", []))]
