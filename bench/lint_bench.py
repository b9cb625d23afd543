"""Lint benchmark: `ingress2cfn lint` against plain cfn-lint on the same rendered template, a
max-quota IngressGroup (100 Ingresses → 100 listener rules, 100 target groups). Reports ratios
measured in one run (rounds interleave every measurement, so a burst of load from elsewhere hits
numerator and denominator alike); nothing here is a pass/fail threshold.

    .venv/bin/python bench/lint_bench.py [--repeat 5] [--json FILE]

Measurements, each on the same template file:
  (a)  cfnlint.api.lint(text, config=ManualArgs(regions=[us-east-1])), as documented: loads
       cfn-lint's ~300 rule modules on every call, then validates
  (a') the same call with the rule collection loaded once (lint(..., rules=...)): validation
       only; this is what `ingress2cfn lint` spends inside cfn-lint per template
  (b)  `cfn-lint -t FILE` as a subprocess (start-up + rule loading + validation)
  (c)  `ingress2cfn lint --template FILE --format json`: in-process through cli.main (rules
       cached after the untimed warm-up), and as a subprocess (comparable with b)
  (d)  our checks alone: ingress2cfn.lint.checks.run_checks on the parsed template

Target from the issue: our checks add no more than 20 % to cfn-lint's own time.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import kit  # noqa: E402  (tests/kit.py)
import yaml  # noqa: E402
from render_bench import workload  # noqa: E402  (the same group100 generator)

from ingress2cfn.input.loader import parse_text  # noqa: E402
from ingress2cfn.input.vpc import load_vpc  # noqa: E402
from ingress2cfn.render.pipeline import render_documents  # noqa: E402

REGIONS = ["us-east-1"]


VPC = ROOT / "examples" / "ingress-group" / "vpc.yaml"  # real-looking ids: kit.vpc()'s "vpc-test" fails cfn-lint E1151


def group_template() -> str:
    """group100 of render_bench: one group of 100 Ingresses, host + Prefix path → own Service,
    rendered for cluster my-cluster in the ingress-group example's VPC."""
    result = render_documents(parse_text(workload(1, 100), "bench.yaml"), load_vpc(str(VPC)), kit.settings(cluster="my-cluster"))
    (group,) = result.groups
    data = yaml.safe_load(group.template)
    types = [r["Type"] for r in data["Resources"].values()]
    rules = types.count("AWS::ElasticLoadBalancingV2::ListenerRule")
    tgs = types.count("AWS::ElasticLoadBalancingV2::TargetGroup")
    assert rules == 100 and tgs == 100, (rules, tgs)
    return group.template


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def summary(samples: list[float]) -> dict:
    return {"best": min(samples), "median": statistics.median(samples), "samples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--json", metavar="FILE", help="also write all results (with raw samples) as JSON")
    args = parser.parse_args(argv)

    from importlib.metadata import version

    from cfnlint.api import ManualArgs, lint

    from ingress2cfn.cli import main as cli_main
    from ingress2cfn.lint.api import cfn_lint_rules
    from ingress2cfn.lint.checks import run_checks

    text = group_template()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="i2c-lint-bench-") as tmp:
        path = Path(tmp) / "group100.yaml"
        path.write_text(text, encoding="utf-8")
        report = Path(tmp) / "report.json"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")  # warm .pyc like an installed tool, outside the tree
        env["NO_COLOR"] = "1"
        template = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

        def our_lint_inprocess() -> int:
            with contextlib.redirect_stderr(io.StringIO()):
                return cli_main(["lint", "--template", str(path), "--format", "json", "--output", str(report)])

        measurements: dict[str, Callable[[], Any]] = {
            "(a) cfnlint.api.lint, as documented": lambda: lint(text, config=ManualArgs(regions=REGIONS)),
            "(a') cfnlint.api.lint, rules preloaded": lambda: lint(text, rules=cfn_lint_rules(), config=ManualArgs(regions=REGIONS)),
            "(b) cfn-lint CLI (subprocess)": lambda: (
                subprocess.run([str(bin_dir / "cfn-lint"), "-t", str(path)], check=False, env=env, capture_output=True).returncode
            ),
            "(c) ingress2cfn lint --template, in-process": our_lint_inprocess,
            "(c) ingress2cfn lint --template (subprocess)": lambda: (
                subprocess.run(
                    [str(bin_dir / "ingress2cfn"), "lint", "--template", str(path), "--format", "json", "--output", str(report)],
                    check=False,
                    env=env,
                    capture_output=True,
                ).returncode
            ),
            "(d) run_checks alone": lambda: run_checks(template, stack="group100", template_text=text),
        }
        # warm-up (untimed): caches, .pyc, the in-process rule collection
        results: dict[str, Any] = {}
        for name, fn in measurements.items():
            results[name] = fn()
        findings = json.loads(report.read_text())["findings"]
        samples: dict[str, list[float]] = {name: [] for name in measurements}
        t_start = time.perf_counter()
        for _ in range(args.repeat):
            for name, fn in measurements.items():
                seconds, _ = once(fn)
                samples[name].append(seconds)
        wall = time.perf_counter() - t_start

    s = {name: summary(v) for name, v in samples.items()}

    def ratio(num: str, den: str, key: str = "median") -> float:
        return s[num][key] / s[den][key]

    a, a2, b = "(a) cfnlint.api.lint, as documented", "(a') cfnlint.api.lint, rules preloaded", "(b) cfn-lint CLI (subprocess)"
    c_in, c_sub, d = "(c) ingress2cfn lint --template, in-process", "(c) ingress2cfn lint --template (subprocess)", "(d) run_checks alone"
    out = {
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "cfn-lint": version("cfn-lint"),
            "loadavg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        },
        "template_bytes": len(text.encode()),
        "resources": len(template["Resources"]),
        "findings_of_ingress2cfn_lint": [(f["ruleId"], f["severity"]) for f in findings],
        "exit_codes_warm_up": {k: v for k, v in results.items() if isinstance(v, int)},
        "repeat": args.repeat,
        "seconds": s,
        "ratios_median": {
            "(c in-process − a')/a'  overhead over cfn-lint's own validation": ratio(c_in, a2) - 1,
            "(c in-process − a)/a    vs the documented cfnlint.api.lint call": ratio(c_in, a) - 1,
            "(c subprocess − b)/b    command vs command": ratio(c_sub, b) - 1,
            "d/a'                    our checks / cfn-lint validation": ratio(d, a2),
            "d/a                     our checks / documented cfnlint.api.lint": ratio(d, a),
        },
        "wall_seconds": wall,
    }
    out["ratios_best"] = {
        k.split("  ")[0]: v
        for k, v in {
            "(c in-process − a')/a'": ratio(c_in, a2, "best") - 1,
            "(c subprocess − b)/b": ratio(c_sub, b, "best") - 1,
            "d/a'": ratio(d, a2, "best"),
        }.items()
    }

    m = out["machine"]
    print(f"machine: Python {m['python']}, {m['cpu_count']} CPUs, {m['platform']}, cfn-lint {m['cfn-lint']}")
    print(
        f"workload: group100 (bench/render_bench.py) → {out['resources']} resources, {out['template_bytes'] / 1024:.0f} KiB YAML; "
        f"ingress2cfn lint findings: {out['findings_of_ingress2cfn_lint'] or 'none'}"
    )
    print(f"{'measurement':48} {'best ms':>9} {'median ms':>10}   (interleaved rounds: {args.repeat})")
    for name, v in s.items():
        print(f"{name:48} {v['best'] * 1000:9.1f} {v['median'] * 1000:10.1f}")
    print("ratios (medians):")
    for name, v in out["ratios_median"].items():
        shown = f"{v * 100:+.1f} %" if name.startswith("(") else f"{v * 100:.1f} %"
        print(f"  {name:66} {shown}")
    print("ratios (bests):  " + ", ".join(f"{k} {v * 100:+.1f} %" if k.startswith("(") else f"{k} {v * 100:.1f} %" for k, v in out["ratios_best"].items()))
    print(f"target: our checks add ≤ 20 % to cfn-lint's own time.  (bench wall {wall:.0f} s; load average at end {os.getloadavg()[0]:.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
