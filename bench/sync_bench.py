"""Sync benchmark against a local moto server (one run): the first sync of 5,000 ip endpoints over
50 target groups, then a no-op sync of the same state. Counts the AWS API calls with botocore's
`before-call` event and compares them with the lower bound: one describe_target_health per target
group, plus the register calls (⌈n/200⌉ over all targets; as a call registers into one target
group, the reachable bound is Σ ⌈n_tg/200⌉). Times are wall-clock on this machine, for ratios only.

    .venv/bin/python bench/sync_bench.py [--endpoints 5000] [--groups 50] [--json FILE]
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}", AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1"
    )
    try:
        import boto3
        from sync_kit import endpoint, endpoint_slice, service

        from ingress2cfn.aws.clients import AwsClients
        from ingress2cfn.sync.bindings import Binding
        from ingress2cfn.sync.engine import Syncer
        from ingress2cfn.sync.ownership import MemoryOwnership
        from ingress2cfn.sync.sources import FileSource

        elbv2 = boto3.client("elbv2")
        vpc = boto3.client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        per = args.endpoints // args.groups
        bindings, objects = [], []
        for g in range(args.groups):
            arn = elbv2.create_target_group(Name=f"bench-{g}", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
            svc = f"svc-{g}"
            bindings.append(Binding("shop", f"bench-{g}", "ip", svc, "http", target_group_arn=arn))
            objects.append(service(svc))
            eps = [endpoint(f"10.{g}.{i // 250}.{i % 250 + 1}", f"p-{g}-{i}") for i in range(per)]
            for s in range(0, per, 100):  # EndpointSlices hold at most 100 endpoints by default
                objects.append(endpoint_slice(f"{svc}-{s // 100}", eps[s : s + 100], service=svc))
        syncer = Syncer(AwsClients(), FileSource([(o, None) for o in objects]), bindings, MemoryOwnership())
        calls: collections.Counter[str] = collections.Counter()
        syncer.clients.client("elbv2").meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        results = {}
        for name in ("first", "noop"):
            calls.clear()
            started = time.perf_counter()
            report = syncer.run_once()
            elapsed = time.perf_counter() - started
            assert not report.failed, [o.error or o.problem for o in report.outcomes if o.error or o.problem]
            registered = sum(len(o.plan.register) for o in report.outcomes if o.plan)
            bound_global = args.groups + math.ceil(registered / 200)
            bound_per_tg = args.groups + sum(math.ceil(len(o.plan.register) / 200) for o in report.outcomes if o.plan)
            results[name] = {
                "seconds": round(elapsed, 3),
                "calls": dict(sorted(calls.items())),
                "total_calls": sum(calls.values()),
                "registered": registered,
                "lower_bound_global": bound_global,
                "lower_bound_per_target_group": bound_per_tg,
            }
        results["noop_over_first_time"] = round(results["noop"]["seconds"] / results["first"]["seconds"], 3)
        results["setup"] = {"endpoints": per * args.groups, "target_groups": args.groups, "moto": "server on 127.0.0.1"}
        print(json.dumps(results, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
