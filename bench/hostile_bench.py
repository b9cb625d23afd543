"""Hostile inputs of issue 8 §4 through the real CLI, one subprocess each: wall time and peak
memory (ru_maxrss of the child), and the time as a ratio to rendering the plain 2048 sample in the
same run. Nothing here is a pass/fail threshold; the README states the budget these figures back.
Needs GNU time at /usr/bin/time for the memory figure.

    .venv/bin/python bench/hostile_bench.py [--out DIR]
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples/2048/2048_full.yaml"
VPC = str(ROOT / "examples/2048/vpc.yaml")
CLI = [sys.executable, "-m", "ingress2cfn.cli"] if (ROOT / "ingress2cfn/cli/__main__.py").exists() else [str(Path(sys.executable).parent / "ingress2cfn")]


def _docs() -> list[dict]:
    return [d for d in yaml.safe_load_all(SAMPLE.read_text()) if d]


def _with_ingress(mutate) -> str:
    docs = copy.deepcopy(_docs())
    mutate(next(d for d in docs if d["kind"] == "Ingress"))
    return yaml.safe_dump_all(docs)


def cases() -> dict[str, tuple[str, tuple[str, ...]]]:
    """name → (input text, the command after `-f FILE`)."""
    render = ("render", "--vpc", VPC, "--cluster", "my-cluster")
    lint = ("lint", "--vpc", VPC, "--cluster", "my-cluster")
    bomb = "".join(f"  {chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9) if i else ', '.join(['x'] * 9)}]\n" for i in range(9))
    path = _docs()[3]["spec"]["rules"][0]["http"]["paths"][0]

    def hosts(i):
        i["spec"]["rules"] = [{"host": f"h{n}.example.com", "http": {"paths": [path]}} for n in range(10_000)]

    def globs(i):
        p = dict(path, pathType="ImplementationSpecific")
        i["spec"]["rules"] = [{"http": {"paths": [dict(p, path="/" + "*a" * 200 + "/x"), dict(p, path="/" + "a*" * 200 + "/y")]}}]

    deployment = SAMPLE.read_text().split("---")[2]
    return {
        "sample (baseline)": (SAMPLE.read_text(), render),
        "alias bomb in a ConfigMap (681 B)": (SAMPLE.read_text() + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n" + bomb, render),
        "alias bomb in an Ingress": ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n" + bomb, render),
        "tags k= + 1 MB": (
            _with_ingress(lambda i: i["metadata"]["annotations"].__setitem__("alb.ingress.kubernetes.io/tags", "k=" + "v,w=x\\," * 125_000)),
            render,
        ),
        "10,000 host rules (450 KB)": (_with_ingress(hosts), render),
        "two 400-character wildcard paths (lint)": (_with_ingress(globs), lint),
        "nesting 1,000 deep": (
            SAMPLE.read_text() + "---\nkind: Ingress\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\nspec: " + "[" * 1000 + "]" * 1000 + "\n",
            render,
        ),
        "1 MB of Deployments": (SAMPLE.read_text() + "---".join([""] + [deployment] * 2_200), render),
        "50 MB of Deployments": (SAMPLE.read_text() + "---".join([""] + [deployment] * 110_000), render),
        "50 MB of Deployments (lint -f)": (SAMPLE.read_text() + "---".join([""] + [deployment] * 110_000), lint),
    }


def run(text: str, command: tuple[str, ...], workdir: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS of the command in KiB, exit code). The RSS comes from GNU time (`-f %M`):
    the rusage of a forked child would also count this process's pages from before the exec."""
    source = workdir / "in.yaml"
    source.write_text(text)
    rss_file = workdir / "rss"
    argv = ["/usr/bin/time", "-q", "-o", str(rss_file), "-f", "%M", *CLI, command[0], "-f", str(source), *command[1:]]
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.perf_counter() - start
    return elapsed, int(rss_file.read_text().split()[-1]), proc.returncode


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for name, (text, command) in cases().items():
            elapsed, peak_kib, code = run(text, command, Path(tmp))
            results.append((name, len(text), elapsed, peak_kib, code))
    base = results[0][2]
    print(f"{'input':42} {'size':>11} {'exit':>4} {'seconds':>8} {'x sample':>8} {'peak RSS':>9}")
    for name, size, elapsed, peak, code in results:
        print(f"{name:42} {size:>11,} {code:>4} {elapsed:>8.2f} {elapsed / base:>8.1f} {peak / 1024:>6.0f} MB")


if __name__ == "__main__":
    main()
