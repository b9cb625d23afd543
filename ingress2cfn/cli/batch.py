"""A batch run (render, lint): the cyclic garbage collector kept out of it, and the per-stack
serialisation shared with a second process.

A render allocates hundreds of thousands of short-lived, mostly acyclic objects (manifest data,
troposphere objects, template dicts). Each allocation burst triggers collections that scan every
object still alive, including everything the imports created, so the collector's share grows
with the input (25 % of a 1,000-Ingress render, 47 % at 5,000) and makes the run super-linear.
Nearly nothing in the pipeline is cyclic garbage: reference counting frees it. Measured
(bench/, 5,000 Ingresses): collector paused → same output, same peak memory, about half the time.

Only one-shot commands (render, lint) use this; a long-running loop must not.

Serialising the stacks (troposphere objects → to_dict → YAML text) is independent per stack and
about a third of a many-stack render: `shared_map` gives part of the stacks to forked worker
processes, which inherit the built model instead of receiving it pickled, and only the text comes
back. Small renders stay in this process (a fork costs more than it saves).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")

MIN_SHARED = 4  # stacks; below this a render's serialisation takes less than starting a worker
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what the forked workers read


def default_workers() -> int:
    """The cores this process may run on: lint's worker processes, render's shared serialisation."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def collector_paused() -> Iterator[None]:
    """Freeze what exists now (imports, click objects) out of every future collection and keep
    the collector off until the block ends; the previous state is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _item(index: int) -> Any:
    assert _WORK is not None  # set before the pool forks its workers
    fn, items = _WORK
    return fn(items[index])


def shared_map(fn: Callable[[_T], _R], items: Sequence[_T], /, minimum: int = MIN_SHARED) -> list[_R]:
    """`[fn(item) for item in items]`, with every other item computed by forked worker processes
    (one per further core) while this process computes the rest. Falls back to one process below
    `minimum` items, on one core, or where there is no fork."""
    workers = default_workers()
    if len(items) >= minimum and workers >= 2:
        import multiprocessing  # here, not at start-up: a small render never pays for it

        if "fork" in multiprocessing.get_all_start_methods():
            return _forked(fn, items, workers, multiprocessing.get_context("fork"))
    return [fn(item) for item in items]


def _forked(fn: Callable[[_T], _R], items: Sequence[_T], workers: int, context: Any) -> list[_R]:
    global _WORK
    from concurrent.futures import ProcessPoolExecutor

    mine = range(0, len(items), workers)
    theirs = [i for i in range(len(items)) if i % workers]
    _WORK = (fn, items)
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=context) as pool:
            pending = pool.map(_item, theirs, chunksize=max(1, len(theirs) // (workers - 1)))
            results: dict[int, _R] = {i: fn(items[i]) for i in mine}
            results.update(zip(theirs, pending))
    finally:
        _WORK = None
    return [results[i] for i in range(len(items))]
