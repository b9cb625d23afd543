"""Run lint jobs: from the cache when an entry exists, the rest in parallel worker processes (one
per core, cfn-lint's rules loaded once per worker), in this process when only one is left.
Results come back in the jobs' order whatever finished first."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from ingress2cfn.lint.cache import LintCache, job_key
from ingress2cfn.lint.jobs import JobResult, LintJob


def run_jobs(
    jobs: Sequence[LintJob],
    run: Callable[[LintJob], JobResult],
    *,
    init: Callable[[], None],  # a worker process's start (not called in this process)
    preload: Callable[[], object] | None = None,  # called here before forking: the workers inherit what it loads
    workers: int = 1,
    cache: LintCache | None = None,
) -> list[JobResult]:
    keys = [job_key(job) for job in jobs] if cache is not None else []
    results: list[JobResult | None] = [cache.get(key) for key in keys] if cache is not None else [None] * len(jobs)
    missing = [i for i, result in enumerate(results) if result is None]
    if workers > 1 and len(missing) > 1:
        # fork where there is fork: the workers start with this process's imports (and rules, if loaded)
        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        if context is not None and preload is not None:
            preload()  # once, instead of once per worker
        with ProcessPoolExecutor(max_workers=min(workers, len(missing)), mp_context=context, initializer=init) as pool:
            for i, result in zip(missing, pool.map(run, [jobs[i] for i in missing])):
                results[i] = result
    else:
        for i in missing:
            results[i] = run(jobs[i])
    if cache is not None:
        for i in missing:
            done = results[i]
            assert done is not None
            cache.put(keys[i], done)
    return [r for r in results if r is not None]
