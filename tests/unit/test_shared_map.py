"""The per-stack serialisation shared with forked workers (cli/batch.py `shared_map`): the same
results in the same order as one process, the work really split among processes, and a render
`--out` of many stacks byte-identical whichever way it ran."""

from __future__ import annotations

import os

import kit
import pytest
import yaml

import ingress2cfn.cli.batch as batch
from ingress2cfn.cli import EXIT_OK, main

MANY_CORES = batch.default_workers() >= 2


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_back_in_order_and_from_several_processes():
    items = list(range(9))
    results = batch.shared_map(_square_and_pid, items, minimum=2)
    assert [r for r, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids  # this process takes its share
    if MANY_CORES:
        assert len(pids) >= 2
    assert batch._WORK is None  # nothing left behind for the next call


def test_below_the_minimum_everything_stays_in_this_process():
    results = batch.shared_map(_square_and_pid, [1, 2, 3], minimum=4)
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_failure_in_a_worker_reaches_the_caller():
    def fail_on_odd(n: int) -> int:
        if n % 2:
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item"):
        batch.shared_map(fail_on_odd, list(range(6)), minimum=2)
    assert batch._WORK is None


def _groups(count: int) -> list[dict]:
    objects: list[dict] = [kit.service("svc", type_="NodePort", ports=[{"port": 80, "targetPort": 8080, "nodePort": 30080}])]
    for g in range(count):
        objects.append(kit.ingress(f"app{g}", annotations={"group.name": f"g{g}"}, rules=[kit.rule(f"app{g}.example.com", kit.path("/", "Prefix", "svc", 80))]))
    return objects


def _render_out(tmp_path, name: str, minimum: int, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setattr(batch, "MIN_SHARED", minimum)
    manifests = tmp_path / "apps.yaml"
    manifests.write_text(yaml.safe_dump_all(_groups(6)))
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    out = tmp_path / name
    assert main(["render", "-f", str(manifests), "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--out", str(out)]) == EXIT_OK
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_render_out_is_byte_identical_shared_or_not(tmp_path, monkeypatch):
    shared = _render_out(tmp_path, "shared", 2, monkeypatch)
    alone = _render_out(tmp_path, "alone", 10**6, monkeypatch)
    assert len(shared) == 6 * 2 + 1  # six group stacks with their bindings, the cluster stack
    assert shared == alone
