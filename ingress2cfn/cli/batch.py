"""The cyclic garbage collector kept out of a batch run.

A render allocates hundreds of thousands of short-lived, mostly acyclic objects (manifest data,
troposphere objects, template dicts). Each allocation burst triggers collections that scan every
object still alive, including everything the imports created, so the collector's share grows
with the input (25 % of a 1,000-Ingress render, 47 % at 5,000) and makes the run super-linear.
Nearly nothing in the pipeline is cyclic garbage: reference counting frees it. Measured
(bench/, 5,000 Ingresses): collector paused → same output, same peak memory, about half the time.

Only one-shot commands (render, lint) use this; a long-running loop must not.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
