"""Render benchmark: the whole pipeline against troposphere-only serialisation of the same
templates, a stage breakdown, and CLI start-up. Reports ratios measured in one run; nothing
here is a pass/fail threshold.

    .venv/bin/python bench/render_bench.py [--repeat 5] [--repeat-large N] [--json FILE]

--repeat applies to group100 and CLI start-up; set1000 runs min(--repeat, 2) rounds unless
--repeat-large says otherwise (one round of set1000 costs ~25 s on 2 cores).

Workloads (generated in memory with the builders of tests/kit.py):
  group100   one IngressGroup of 100 Ingresses, each one host + one Prefix path → its own
             ClusterIP Service (target-type ip): 100 listener rules, 100 target groups.
  set1000    1,000 such Ingresses in 50 IngressGroups of 20.

"pipeline" = loader.parse_text (YAML text → Documents) + pipeline.render_documents (→ template
and bindings text, YAML; the bindings are plain dicts, not troposphere, and are not part of
the floor). The floor serialises the very same troposphere Template objects
(built once via build.build_all + render.group_template / cluster_template) without our code.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
sys.path.insert(0, str(TESTS))

import kit  # noqa: E402  (tests/kit.py)
import yaml  # noqa: E402

from ingress2cfn.build import build_all  # noqa: E402
from ingress2cfn.input.kube import parse_manifests  # noqa: E402
from ingress2cfn.input.loader import parse_text  # noqa: E402
from ingress2cfn.render.pipeline import render_documents  # noqa: E402
from ingress2cfn.render.serialise import Format, dump_yaml, manifests_text, template_data, template_text  # noqa: E402
from ingress2cfn.render.templates import bindings, cluster_template, group_template  # noqa: E402

HEAVY = ("boto3", "botocore", "cfnlint", "moto", "troposphere", "yaml")


# ── workloads ────────────────────────────────────────────────────────────────────────────────


def workload(groups: int, per_group: int) -> str:
    """YAML text: `groups` IngressGroups × `per_group` Ingresses, each host + Prefix → own Service."""
    objects: list[dict] = []
    for g in range(groups):
        for j in range(per_group):
            i = g * per_group + j
            svc = f"svc-{i:04d}"
            objects.append(
                kit.ingress(
                    f"app-{i:04d}",
                    namespace=f"team-{g % 5}",
                    annotations={"group.name": f"grp-{g:02d}", "target-type": "ip", "scheme": "internet-facing"},
                    rules=[kit.rule(f"app-{i:04d}.example.com", kit.path("/", "Prefix", svc, 80))],
                )
            )
            objects.append(kit.service(svc, namespace=f"team-{g % 5}", type_="ClusterIP", ports=[{"port": 80, "targetPort": 8080}]))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # input generation is not timed
    return yaml.dump_all(objects, Dumper=dumper, sort_keys=False, explicit_start=True)


WORKLOADS = {"group100": (1, 100), "set1000": (50, 20)}


# ── timing helpers ───────────────────────────────────────────────────────────────────────────


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def summary(samples: list[float]) -> dict:
    return {"best": min(samples), "median": statistics.median(samples), "samples": samples}


def stages_once(text: str, vpc, settings) -> dict[str, float]:
    """The pipeline's steps called one by one, in render_documents' order, each timed."""
    t = [time.perf_counter()]
    docs = parse_text(text, "bench.yaml")
    t.append(time.perf_counter())
    manifests = parse_manifests(docs, settings.default_namespace)
    t.append(time.perf_counter())
    stacks, cluster, _ = build_all(manifests, vpc, settings)
    t.append(time.perf_counter())
    templates = [group_template(s) for s in stacks] + [cluster_template(cluster)]
    binding_docs = [bindings(s, None) for s in stacks]
    t.append(time.perf_counter())
    data = [template_data(tpl) for tpl in templates]
    t.append(time.perf_counter())
    for d in data:
        dump_yaml(d)
    t.append(time.perf_counter())
    for b in binding_docs:
        manifests_text(b, Format.YAML)
    t.append(time.perf_counter())
    return dict(zip(STAGES, (b - a for a, b in zip(t, t[1:]))))


STAGES = (
    "load YAML → Documents",
    "parse → Manifests",
    "build → model",
    "render → troposphere (+binding dicts)",
    "to_dict (troposphere)",
    "emit YAML (templates)",
    "emit YAML (bindings)",
)


# ── one workload ─────────────────────────────────────────────────────────────────────────────


def bench_workload(name: str, groups: int, per_group: int, repeat: int) -> dict:
    text = workload(groups, per_group)
    vpc = kit.vpc()
    settings = kit.settings()

    # shape check: what we think we measure is what gets built
    stacks, cluster, warnings = build_all(parse_manifests(parse_text(text, "bench.yaml"), "default"), vpc, settings)
    rules = sum(len(l.rules) for s in stacks for l in s.listeners)
    tgs = sum(len(s.target_groups) for s in stacks)
    assert len(stacks) == groups and rules == groups * per_group and tgs == groups * per_group, (len(stacks), rules, tgs)
    templates = [group_template(s) for s in stacks] + [cluster_template(cluster)]
    resources = sum(len(t.resources) for t in templates)

    # floors: the same Template objects, serialised without our pipeline
    csafe = getattr(yaml, "CSafeDumper", None)
    floors: dict[str, Callable[[], Any]] = {
        "troposphere to_dict()": lambda: [t.to_dict() for t in templates],
        "troposphere to_json()": lambda: [t.to_json() for t in templates],
        "yaml.safe_dump(to_dict())": lambda: [yaml.safe_dump(t.to_dict()) for t in templates],
        "output.template_text(YAML)": lambda: [template_text(t, Format.YAML) for t in templates],
    }
    if csafe is not None:
        floors["yaml.dump(to_dict(), CSafeDumper) [ref]"] = lambda: [yaml.dump(t.to_dict(), Dumper=csafe) for t in templates]

    # Rounds: each round times the pipeline, the stage-by-stage pass and every floor once, so a
    # burst of load from elsewhere hits numerator and denominator of the ratios alike.
    pipeline: list[float] = []
    render_only: list[float] = []
    stage_samples: dict[str, list[float]] = {s: [] for s in STAGES}
    floor_samples: dict[str, list[float]] = {k: [] for k in floors}
    last = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        docs = parse_text(text, "bench.yaml")
        t1 = time.perf_counter()
        last = render_documents(docs, vpc, settings)
        t2 = time.perf_counter()
        pipeline.append(t2 - t0)
        render_only.append(t2 - t1)
        del docs
        gc.collect()
        for k, v in stages_once(text, vpc, settings).items():
            stage_samples[k].append(v)
        for k, fn in floors.items():
            floor_samples[k] += timed(fn, 1)
    out_bytes = sum(len(g.template) for g in last.groups)
    floor_results = {k: summary(v) for k, v in floor_samples.items()}

    p = summary(pipeline)
    return {
        "name": name,
        "groups": groups,
        "ingresses": groups * per_group,
        "rules": rules,
        "target_groups": tgs,
        "templates": len(templates),
        "resources": resources,
        "input_bytes": len(text),
        "template_bytes": out_bytes,
        "warnings": len(warnings),
        "repeat": repeat,
        "pipeline": p,
        "render_documents_only": summary(render_only),
        "seconds_per_rule": p["best"] / rules,
        "rules_per_second": rules / p["best"],
        "stages": {k: summary(v) for k, v in stage_samples.items()},
        "floors": floor_results,
        "ratios_best": {k: p["best"] / v["best"] for k, v in floor_results.items()},
        "ratios_best_render_documents_only": {k: min(render_only) / v["best"] for k, v in floor_results.items()},
    }


# ── CLI start-up ─────────────────────────────────────────────────────────────────────────────


def bin_dir() -> Path:
    return Path(sys.executable).parent


def start_up(repeat: int) -> dict:
    """Median wall time of fresh processes. Bytecode is cached in a private temporary
    PYTHONPYCACHEPREFIX (warmed by one untimed run) so that the numbers are those of an
    installed tool with .pyc files, whatever PYTHONDONTWRITEBYTECODE says, and nothing is
    written into the source tree or the venv."""
    python = str(bin_dir() / "python")
    exe = bin_dir() / "ingress2cfn"
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import click'": [python, "-c", "import click"],
        "python -c 'import ingress2cfn.cli'": [python, "-c", "import ingress2cfn.cli"],
        "ingress2cfn --help": [str(exe), "--help"],
    }
    with tempfile.TemporaryDirectory(prefix="i2c-bench-pyc-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        return _start_up(commands, python, exe, env, repeat)


def _start_up(commands: dict, python: str, exe: Path, env: dict, repeat: int) -> dict:
    results = {}
    for label, cmd in commands.items():
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT, env=env)  # warm caches
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT, env=env)
            samples.append(time.perf_counter() - t0)
        results[label] = summary(samples)
    # where --help start-up goes: top-level imports by cumulative time (one -X importtime run)
    proc = subprocess.run([python, "-X", "importtime", str(exe), "--help"], capture_output=True, text=True, cwd=ROOT, env=env)
    top: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m and not m.group(3):  # depth 0: not nested inside another import
            top[m.group(4)] = top.get(m.group(4), 0) + int(m.group(2))
    floor = results["python -c pass"]["median"]
    return {
        "repeat": repeat,
        "commands": results,
        "help_ratio_median": results["ingress2cfn --help"]["median"] / floor,
        "help_ratio_best": results["ingress2cfn --help"]["best"] / results["python -c pass"]["best"],
        "help_top_imports_us": dict(sorted(top.items(), key=lambda kv: -kv[1])[:6]),
    }


MODULE_PROBE = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {tests!r})
    heavy = {heavy!r}
    def loaded():
        return sorted({{m.split('.')[0] for m in sys.modules}} & set(heavy))
    out = {{}}
    import ingress2cfn.cli
    out["after import ingress2cfn.cli"] = loaded()
    from ingress2cfn.render.pipeline import render_documents
    import kit
    result = render_documents(kit.docs(kit.ingress(), kit.service()), kit.vpc(), kit.settings())
    assert result.groups
    out["after full render"] = loaded()
    print(json.dumps(out))
    """
)


def module_probe() -> dict:
    code = MODULE_PROBE.format(tests=str(TESTS), heavy=HEAVY)
    proc = subprocess.run([str(bin_dir() / "python"), "-c", code], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ── report ───────────────────────────────────────────────────────────────────────────────────


def machine() -> dict:
    import troposphere

    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "troposphere": troposphere.__version__,
        "pyyaml": yaml.__version__,
        "libyaml_available": bool(getattr(yaml, "__with_libyaml__", False)),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "loadavg_1min_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def ms(s: float) -> str:
    return f"{s * 1000:9.1f}"


def print_report(result: dict) -> None:
    m = result["machine"]
    print(f"machine: Python {m['python']} ({m['implementation']}), {m['cpu_count']} CPUs, {m['platform']}")
    print(
        f"         troposphere {m['troposphere']}, PyYAML {m['pyyaml']} (libyaml available: {m['libyaml_available']}), "
        f"load average at start {m['loadavg_1min_at_start']:.2f}"
    )
    for w in result["workloads"]:
        print()
        print(
            f"== {w['name']}: {w['ingresses']} Ingresses in {w['groups']} group(s) → {w['rules']} rules, "
            f"{w['target_groups']} target groups, {w['templates']} templates, {w['resources']} resources; "
            f"in {w['input_bytes'] / 1024:.0f} KiB, out {w['template_bytes'] / 1024:.0f} KiB; best/median of {w['repeat']}"
        )
        print(f"   {'measurement':42} {'best ms':>9} {'median ms':>9}")
        p = w["pipeline"]
        print(f"   {'pipeline (parse_text + render_documents)':42} {ms(p['best'])} {ms(p['median'])}")
        r = w["render_documents_only"]
        print(f"   {'render_documents only (docs pre-parsed)':42} {ms(r['best'])} {ms(r['median'])}")
        print(f"   per rule: {w['seconds_per_rule'] * 1000:.2f} ms   rules/s: {w['rules_per_second']:.0f}")
        print("   stages (one pass, same order as the pipeline):")
        total = sum(s["best"] for s in w["stages"].values())
        for name, s in w["stages"].items():
            print(f"     {name:40} {ms(s['best'])} {ms(s['median'])}  {100 * s['best'] / total:5.1f}%")
        print(f"     {'sum of stage bests':40} {ms(total)}")
        print("   floor: same Template objects, serialisation only   pipeline/floor  render_documents/floor (bests)")
        for name, f in w["floors"].items():
            print(f"     {name:40} {ms(f['best'])} {ms(f['median'])}  ×{w['ratios_best'][name]:<6.1f} ×{w['ratios_best_render_documents_only'][name]:.1f}")
    s = result["start_up"]
    print()
    print(f"== CLI start-up: median of {s['repeat']} fresh processes (warm private .pyc cache, one untimed warm-up each)")
    for label, c in s["commands"].items():
        print(f"   {label:42} {ms(c['median'])} ms (best {c['best'] * 1000:.1f})")
    print(f"   ratio ingress2cfn --help / python -c pass: ×{s['help_ratio_median']:.1f} (medians), ×{s['help_ratio_best']:.1f} (bests)")
    tops = ", ".join(f"{k} {v / 1000:.0f}" for k, v in s["help_top_imports_us"].items())
    print(f"   --help top-level imports (cumulative ms, -X importtime): {tops}")
    print()
    print(f"== watched modules loaded (of {', '.join(HEAVY)}), fresh interpreter:")
    for k, v in result["modules"].items():
        print(f"   {k:32} {', '.join(v) if v else '(none)'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs for group100 and CLI start-up (default 5)")
    parser.add_argument(
        "--repeat-large", type=int, default=None, help="timed rounds for set1000 (default: min(--repeat, 2), to stay within ~2 minutes on 2 cores)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write all results (with raw samples) as JSON")
    parser.add_argument("--only", choices=sorted(WORKLOADS), action="append", help="run only this workload (repeatable)")
    args = parser.parse_args(argv)
    repeat_large = args.repeat_large if args.repeat_large is not None else min(args.repeat, 2)

    t0 = time.perf_counter()
    result: dict[str, Any] = {"machine": machine(), "workloads": []}
    for name, (groups, per_group) in WORKLOADS.items():
        if args.only and name not in args.only:
            continue
        n = args.repeat if name == "group100" else repeat_large
        result["workloads"].append(bench_workload(name, groups, per_group, n))
    result["start_up"] = start_up(args.repeat)
    result["modules"] = module_probe()
    result["wall_seconds"] = time.perf_counter() - t0
    print_report(result)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n(bench wall time {result['wall_seconds']:.0f} s; load average at end {load:.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
