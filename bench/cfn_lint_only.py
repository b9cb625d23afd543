"""The floor under any `lint` that runs cfn-lint: cfn-lint's documented API alone on the given
template files, in us-east-1, its rules loaded once and frozen out of the garbage collector's
scans, the files shared among one process per core (forked after the rules are loaded). No render,
no checks, no report. `bench/table.py` times it as a whole process.

    .venv/bin/python bench/cfn_lint_only.py TEMPLATE [TEMPLATE ...]
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cfnlint.api import ManualArgs, lint
from cfnlint.core import get_rules

RULES = get_rules([], [], [])
gc.freeze()  # the rules and schemas out of every later collection (what ingress2cfn lint does too)


def lint_file(path: str) -> int:
    return len(lint(Path(path).read_text(encoding="utf-8"), rules=RULES, config=ManualArgs(regions=["us-east-1"])))


def main(paths: list[str]) -> int:
    workers = min(len(paths), len(os.sched_getaffinity(0)))
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            counts = list(pool.map(lint_file, paths))
    else:
        counts = [lint_file(p) for p in paths]
    print(f"{sum(counts)} cfn-lint findings in {len(paths)} templates")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
