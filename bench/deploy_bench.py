"""Deployer benchmark: AWS API calls made by `ingress2cfn plan` for a no-op and for a one-rule change,
against `aws cloudformation deploy --no-execute-changeset` on the same stacks in the same run (one
moto server on 127.0.0.1). Calls are counted with botocore `before-call` event hooks (ours) and
from the AWS CLI's `--debug` log ("Making request for OperationModel(name=...)"). Counts, not times.

    .venv/bin/python bench/deploy_bench.py [--aws PATH-TO-aws] [--json FILE]

The AWS CLI is awscli from PyPI; keep it out of the project venv (it pins botocore), e.g.
    python3 -m venv /tmp/awscli && /tmp/awscli/bin/pip install awscli
    .venv/bin/python bench/deploy_bench.py --aws /tmp/awscli/bin/aws
Without it the awscli column is left out and said so.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingress2cfn.aws.clients import AwsClients  # noqa: E402
from ingress2cfn.cli.demo import CLUSTER, REGION, emulator, local_aws, make_vpc  # noqa: E402

EXAMPLE = ROOT / "examples" / "2048"
AWSCLI_CALL = re.compile(r"Making request for OperationModel\(name=(\w+)\)")


class Counter:
    """Counts every API call of every AwsClients client (a `before-call` hook on each new client)."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self._original = AwsClients.client

    def __enter__(self) -> Counter:
        original, calls = self._original, self.calls

        def client(clients: AwsClients, service: str) -> Any:
            fresh = service not in clients._clients
            made = original(clients, service)
            if fresh:
                made.meta.events.register("before-call", lambda model, **_: calls.update([f"{service}:{model.name}"]))
            return made

        AwsClients.client = client  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: Any) -> None:
        AwsClients.client = self._original  # type: ignore[method-assign]


def one_rule_more(workdir: Path) -> Path:
    """The 2048 example with one more rule (a host rule appended: no renumbering)."""
    docs = [d for d in yaml.safe_load_all((EXAMPLE / "2048_full.yaml").read_text()) if d]
    docs = copy.deepcopy(docs)
    ingress = next(d for d in docs if d["kind"] == "Ingress")
    backend = {"service": {"name": "service-2048", "port": {"number": 80}}}
    ingress["spec"]["rules"].append({"host": "api.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}})
    out = workdir / "one-rule-more.yaml"
    out.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    return out


def run_cli(args: list[str]) -> tuple[int, collections.Counter[str]]:
    from ingress2cfn.cli.app import main

    with Counter() as counter, open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(args)
    return code, counter.calls


def rendered_templates(manifest: Path, vpc: Path) -> list[tuple[str, dict[str, Any]]]:
    from ingress2cfn.deploy.plan import stack_specs
    from ingress2cfn.model.settings import Settings
    from ingress2cfn.render.pipeline import RenderRequest, render_files
    from ingress2cfn.render.serialise import Format

    result = render_files(RenderRequest(sources=(str(manifest),), vpc_file=str(vpc), settings=Settings(cluster=CLUSTER), fmt=Format.JSON))
    specs = stack_specs(json.loads(result.cluster_template), [json.loads(g.template) for g in result.groups])
    return [(s.name, s.template) for s in specs]


def awscli_deploy(aws: str, endpoint: str, workdir: Path, manifest: Path, vpc: Path, backend_sg: str) -> tuple[collections.Counter[str], list[int]]:
    """`aws cloudformation deploy --no-execute-changeset` for each stack plan covers; calls from --debug."""
    calls: collections.Counter[str] = collections.Counter()
    codes = []
    for name, template in rendered_templates(manifest, vpc):
        path = workdir / f"{name}.json"
        path.write_text(json.dumps(template))
        args = [aws, "--endpoint-url", endpoint, "--region", REGION, "--debug", "cloudformation", "deploy", "--template-file", str(path), "--stack-name", name]
        args += ["--no-execute-changeset"]
        if "Parameters" in template:
            args += ["--parameter-overrides", f"BackendSecurityGroupId={backend_sg}"]
        done = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy(), check=False)
        codes.append(done.returncode)
        calls.update(f"{service_of(m)}:{m}" for m in AWSCLI_CALL.findall(done.stderr))
    return calls, codes


def service_of(operation: str) -> str:
    return "s3" if operation in ("PutObject", "HeadObject") else "cloudformation"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws", default=shutil.which("aws"), help="the AWS CLI (awscli) executable; default: aws on PATH")
    parser.add_argument("--json", default=None, help="also write the counts here")
    options = parser.parse_args()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="i2c-deploy-bench-") as tmp, emulator() as endpoint, local_aws(endpoint, Path(tmp)):
        work = Path(tmp)
        vpc = make_vpc(work, EXAMPLE)
        base = ["-f", str(EXAMPLE / "2048_full.yaml"), "--vpc", str(vpc), "--cluster", CLUSTER]
        changed = ["-f", str(one_rule_more(work)), "--vpc", str(vpc), "--cluster", CLUSTER]
        code, _ = run_cli(["deploy", *base, "--yes"])
        assert code == 0, f"deploy exited {code}"
        from ingress2cfn.aws.cloudformation import physical_id

        backend_sg = physical_id(AwsClients(region=REGION), rendered_templates(EXAMPLE / "2048_full.yaml", vpc)[0][0], "BackendSecurityGroup") or ""
        for label, args, expected in (("no-op plan", base, 0), ("one-rule change plan", changed, 2)):
            code, calls = run_cli(["plan", *args])
            assert code == expected, f"{label}: plan exited {code}, expected {expected}"
            report[label] = {"ingress2cfn plan": dict(sorted(calls.items())), "ingress2cfn total": sum(calls.values())}
            if options.aws:
                manifest = Path(args[1])
                cli_calls, codes = awscli_deploy(options.aws, endpoint, work, manifest, vpc, backend_sg)
                report[label].update(
                    {"aws cloudformation deploy --no-execute-changeset": dict(sorted(cli_calls.items())), "awscli total": sum(cli_calls.values())}
                )
                report[label]["awscli exit codes"] = codes
                # awscli leaves its change sets behind (it never executes or deletes them): remove them
                # so the next round starts from the same deployed state
                clients = AwsClients(region=REGION)
                for name, _ in rendered_templates(manifest, vpc):
                    for summary in clients.client("cloudformation").list_change_sets(StackName=name).get("Summaries", []):
                        if summary.get("StackName") == name:
                            with contextlib.suppress(Exception):
                                clients.client("cloudformation").delete_change_set(ChangeSetName=summary["ChangeSetId"])
    if not options.aws:
        report["note"] = "awscli not found (--aws or aws on PATH): only ingress2cfn's counts"
    for label in ("no-op plan", "one-rule change plan"):
        row = report[label]
        line = f"{label:22s} ingress2cfn plan: {row['ingress2cfn total']:3d} calls"
        if "awscli total" in row:
            line += f"   aws cloudformation deploy --no-execute-changeset (both stacks): {row['awscli total']:3d} calls"
            line += f"   ratio {row['ingress2cfn total'] / max(row['awscli total'], 1):.2f}"
        print(line)
    print(json.dumps(report, indent=1))
    if options.json:
        Path(options.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
