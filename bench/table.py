"""`make bench`: every row of issue 10's table as a ratio (ingress2cfn ÷ peer), from paired runs
on this machine at this time. Nothing here is a pass/fail threshold.

    .venv/bin/python bench/table.py [--rounds 3] [--peers DIR] [--cdk DIR] [--json FILE]

Each measurement is a whole process (start-up included, as a user or CI sees it), timed with
wall-clock. In every round the two sides of a row run back to back, alternating which goes first,
so a burst of load from elsewhere hits numerator and denominator alike; the row shows the median
of the per-round ratios (and the median seconds of each side). The machine's load is printed
before and after.

Peers (`--peers`, default ../shared/peers beside the repository):
  floor/floor.py N [DIR]   the same resources built and dumped with troposphere alone
  floor/biggroup.py, gen.py the inputs (one group of N Ingresses; N Ingresses in groups of 50)
  cdk/app.js               the same ALB stack for N rules with aws-cdk-lib (`npm install` in
                           that directory first, or point --cdk at a directory where it was run);
                           without node_modules the CDK rows are skipped

The two "floor" rows under the lint rows time cfn-lint alone on the templates that `lint` checks
(`bench/cfn_lint_only.py`: cfn-lint's API, rules loaded once, one process per core; no render, no
checks): no lint that runs cfn-lint can be faster, whatever it does around it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLUSTER = "c1"


@dataclass
class Side:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], None] | None = None  # untimed preparation (e.g. an empty --out directory)


@dataclass
class Row:
    work: str
    now: str
    goal: str
    ours: Side
    peer: Side
    seconds_ours: list[float] = field(default_factory=list)
    seconds_peer: list[float] = field(default_factory=list)
    max_rss_kib: list[int] = field(default_factory=list)  # of our side
    fixed_order: bool = False  # the peer first in every round (it prepares what ours measures)

    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.seconds_ours, self.seconds_peer)]


def run(side: Side, cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process, from wait4's rusage of that very child.
    Python processes get a warm private .pyc cache, as an installed tool has (an editable
    install under PYTHONDONTWRITEBYTECODE would compile our modules in every run)."""
    if side.before is not None:
        side.before()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(cwd / "pyc"), **side.env})
    t0 = time.perf_counter()
    proc = subprocess.Popen(side.argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):  # 3: lint found warnings only
        raise SystemExit(f"{side.label}: exit {proc.returncode}\n{err.decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss


def fresh(path: Path) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    return prepare


def build_rows(work: Path, peers: Path, cdk: Path | None) -> list[Row]:
    py = str(BIN / "python")
    i2c = str(BIN / "ingress2cfn")
    floor = peers / "floor"
    for name, args in (("g100", ["biggroup.py", "100"]), ("g1000", ["biggroup.py", "1000"])):
        subprocess.run([py, str(floor / args[0]), args[1], str(work / name)], check=True)
    for name, n in (("s1000", "1000"), ("s5000", "5000")):  # groups of 50: 20 and 100 groups
        subprocess.run([py, str(floor / "gen.py"), n, str(work / name), "50"], check=True)

    def inputs(name: str) -> list[str]:
        return ["-f", str(work / name / "manifests.yaml"), "--vpc", str(work / name / "vpc.json"), "--cluster", CLUSTER]

    def cdk_side(n: int, validation: bool) -> Side | None:
        if cdk is None:
            return None
        env = {"N": str(n), "CDK_OUTDIR": str(work / f"cdk-{n}-{validation}"), "CDK_CONTEXT_JSON": json.dumps({"@aws-cdk/core:stackResourceLimit": 0})}
        if not validation:
            env["CDK_VALIDATION"] = "false"
        label = f"node app.js N={n}" + ("" if validation else " CDK_VALIDATION=false")
        return Side(label, ["node", str(cdk / "app.js")], env)

    template100 = work / "g100-template.yaml"
    subprocess.run([i2c, "render", *inputs("g100")], check=True, stdout=template100.open("w"), stderr=subprocess.DEVNULL)
    templates1000 = work / "t1000"
    subprocess.run([i2c, "render", *inputs("g1000"), "--split-by-quota", "--out", str(templates1000)], check=True, stderr=subprocess.DEVNULL)
    stacks = sorted(str(p) for p in templates1000.glob("*.yaml") if not p.name.endswith(".bindings.yaml"))
    cfn_lint_only = [py, str(ROOT / "bench" / "cfn_lint_only.py")]
    cache = work / "lint-cache"
    rows = [
        Row(
            "render, 100-rule group ÷ troposphere-only floor",
            "2.0 – 2.4",
            "≤ 1.2",
            Side("ingress2cfn render (stdout)", [i2c, "render", *inputs("g100")]),
            Side("floor.py 100 (stdout)", [py, str(floor / "floor.py"), "100"]),
        ),
        Row(
            "render, 1,000 Ingresses split into shards ÷ floor",
            "2.65",
            "≤ 1.2",
            Side(
                "ingress2cfn render --split-by-quota --out",
                [i2c, "render", *inputs("g1000"), "--split-by-quota", "--out", str(work / "o1000")],
                before=fresh(work / "o1000"),
            ),
            Side("floor.py 1000 DIR", [py, str(floor / "floor.py"), "1000", str(work / "f1000")], before=fresh(work / "f1000")),
        ),
    ]
    off = cdk_side(100, validation=False)
    if off is not None:
        rows.append(
            Row(
                "render, 100-rule group ÷ CDK synth, validator off", "0.76", "≤ 0.5", Side("ingress2cfn render (stdout)", [i2c, "render", *inputs("g100")]), off
            )
        )
    rows.append(
        Row(
            "render --out, 5,000 Ingresses in 100 groups ÷ 1,000 in 20",
            "6.5",
            "≤ 4.8",
            Side("render --out, 5,000 Ingresses", [i2c, "render", *inputs("s5000"), "--out", str(work / "o5000")], before=fresh(work / "o5000")),
            Side("render --out, 1,000 Ingresses", [i2c, "render", *inputs("s1000"), "--out", str(work / "os1000")], before=fresh(work / "os1000")),
        )
    )
    on100, on1000 = cdk_side(100, validation=True), cdk_side(1000, validation=True)
    lint100 = Side("ingress2cfn lint (first: --no-cache)", [i2c, "lint", *inputs("g100"), "--no-cache", "--format", "json"])
    lint1000 = Side(
        "ingress2cfn lint --split-by-quota (first: --no-cache)", [i2c, "lint", *inputs("g1000"), "--split-by-quota", "--no-cache", "--format", "json"]
    )
    if on100 is not None and on1000 is not None:
        rows.append(Row("lint (render + cfn-lint + checks), 100-rule group ÷ CDK, validator on", "0.69", "≤ 0.4", lint100, on100))
        rows.append(Row("lint, 1,000 Ingresses (11 templates) ÷ CDK N=1000, validator on", "2.46", "≤ 1.0", lint1000, on1000))
        # What no lint that runs cfn-lint can beat: cfn-lint alone on the same templates (no render,
        # no checks), the 11 templates shared between two processes (both cores).
        rows.append(
            Row(
                "  floor: cfn-lint's API alone, same template ÷ CDK, validator on",
                "",
                "",
                Side("cfn_lint_only.py T", [*cfn_lint_only, str(template100)]),
                on100,
            )
        )
        rows.append(
            Row("  floor: cfn-lint's API alone, same 11 templates ÷ CDK N=1000", "", "", Side("cfn_lint_only.py T1..T11", [*cfn_lint_only, *stacks]), on1000)
        )
    cached = [i2c, "lint", *inputs("g1000"), "--split-by-quota", "--cache-dir", str(cache), "--format", "json"]
    rows.append(
        Row(
            "lint again, nothing changed ÷ the first lint (1,000 Ingresses)",
            "1.0",
            "≤ 0.15",
            Side("lint, cache filled by the previous run", cached),
            Side("lint, empty cache (fills it)", cached, before=lambda: shutil.rmtree(cache, ignore_errors=True)),
            fixed_order=True,
        )
    )
    rows.append(
        Row(
            "lint --template T ÷ cfn-lint T (100-rule group)",
            "1.06",
            "≤ 1.1",
            Side("ingress2cfn lint --template --no-cache", [i2c, "lint", "--template", str(template100), "--no-cache", "--format", "json"]),
            Side("cfn-lint T", [str(BIN / "cfn-lint"), str(template100)]),
        )
    )
    return rows


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallelism() -> float:
    """How much of a second core this machine gives right now: the same CPU-bound work in two
    processes ÷ in one (2.0 on an idle 2-core machine; about 1.0 when other work holds a core).
    The parallel lint's gain is bounded by it."""
    from concurrent.futures import ProcessPoolExecutor

    n = 5_000_000
    t0 = time.perf_counter()
    for _ in range(4):
        _burn(n)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_burn, [n] * 4))
    return one / (time.perf_counter() - t0)


def machine() -> dict:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if shutil.which("node") else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds per row (default 3)")
    parser.add_argument("--peers", type=Path, default=ROOT.parent / "shared" / "peers")
    parser.add_argument("--cdk", type=Path, default=None, help="the CDK app's directory with node_modules (default: PEERS/cdk)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw samples as JSON")
    args = parser.parse_args(argv)
    cdk = args.cdk or args.peers / "cdk"
    if not (cdk / "node_modules").is_dir() or shutil.which("node") is None:
        print(f"(CDK rows skipped: no node or no {cdk}/node_modules; run `npm install` there)")
        cdk = None

    m = machine()
    load_start = os.getloadavg()
    print(f"machine: {m['cpus']} CPUs, {m['platform']}, Python {m['python']}, node {m['node']}")
    print(f"load average at start: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}; two processes do {parallelism():.2f}x the work of one")
    with tempfile.TemporaryDirectory(prefix="i2c-bench-") as tmp:
        work = Path(tmp)
        rows = build_rows(work, args.peers, cdk)
        # untimed warm-up of every command (page cache, .pyc, node's module cache)
        for row in rows:
            run(row.peer, work)
            run(row.ours, work)
        t0 = time.perf_counter()
        for r in range(args.rounds):
            for row in rows:
                pair = [(row.peer, row.seconds_peer), (row.ours, row.seconds_ours)]
                if r % 2 == 1 and not row.fixed_order:
                    pair.reverse()
                for side, samples in pair:
                    seconds, rss = run(side, work)
                    samples.append(seconds)
                    if side is row.ours:
                        row.max_rss_kib.append(rss)
        wall = time.perf_counter() - t0
    load_end = os.getloadavg()

    print(f"\n{'work':66} {'now':>9} {'goal':>7} {'measured':>9}   medians: ours / peer (s)")
    out = []
    for row in rows:
        ratio = statistics.median(row.ratios())
        print(
            f"{row.work:66} {row.now:>9} {row.goal:>7} {ratio:9.2f}   {statistics.median(row.seconds_ours):6.2f} / {statistics.median(row.seconds_peer):6.2f}"
            f"   (ratios {', '.join(f'{x:.2f}' for x in row.ratios())})"
        )
        out.append({"work": row.work, "goal": row.goal, "ratio_median": ratio, "ratios": row.ratios(), "ours": row.seconds_ours, "peer": row.seconds_peer})
    big = next(row for row in rows if row.work.startswith("render --out, 5,000"))
    print(f"\npeak memory, render --out of 5,000 Ingresses: {max(big.max_rss_kib) / 1024:.0f} MiB (max RSS of the process, {args.rounds} rounds)")
    print(
        f"load average at end: {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}; two processes do {parallelism():.2f}x the work of one; "
        f"{args.rounds} paired rounds in {wall:.0f} s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": m, "load": [load_start, load_end], "rows": out}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
