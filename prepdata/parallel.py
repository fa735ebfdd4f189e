"""Spreading the per-example work over processes (``--jobs``).

The examples are cut into contiguous chunks; each worker process runs the example-scope
rules on its chunk and computes the shared analysis of each example (normalized text,
word hashes and lengths), which the parent installs on its own examples before the
dataset-scope rules run. Workers are forked, so they read the dataset from the parent's
memory instead of receiving a copy. Every function involved is deterministic and the
findings are sorted afterwards, so the report is the same for every number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

#: Below this many examples a second process costs more than it saves.
MIN_EXAMPLES = 4000

_shared: tuple = ()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(function, examples: list, extra, jobs: int) -> list:
    """``function(examples[start:stop], extra)`` for ``jobs`` contiguous chunks, in order,
    each in its own forked process."""
    global _shared
    size = -(-len(examples) // jobs)
    bounds = [(start, min(start + size, len(examples))) for start in range(0, len(examples), size)]
    _shared = (function, examples, extra)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run_chunk, bounds))
    finally:
        _shared = ()


def _run_chunk(bounds: tuple[int, int]):
    function, examples, extra = _shared
    start, stop = bounds
    return function(examples[start:stop], extra)
