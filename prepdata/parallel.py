"""Spreading the per-example work over processes (``--jobs``).

The examples are cut into contiguous chunks; each worker process runs the example-scope
rules on its chunk and computes the shared analysis of each example (normalized text,
word hashes and lengths), which the parent installs on its own examples before the
dataset-scope rules run. Workers are forked, so they read the dataset from the parent's
memory instead of receiving a copy. Every function involved is deterministic and the
findings are sorted afterwards, so the report is the same for every number of jobs.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
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


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_signals, initargs=(os.getpid(),))


def _worker_signals(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run and cleans up;
    # workers ignore it rather than each printing a traceback, and die with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A parent killed outright (SIGKILL, the OOM killer) cannot stop its pool, and a worker
    # would wait forever on a pipe its siblings keep open: Linux kills it with the parent.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request took effect


_PR_SET_PDEATHSIG = 1


def map_chunks(function, examples: list, extra, jobs: int) -> list:
    """``function(examples[start:stop], extra)`` for ``jobs`` contiguous chunks, in order,
    each in its own forked process; the examples are read from the parent's memory."""
    global _shared
    size = -(-len(examples) // jobs)
    bounds = [(start, min(start + size, len(examples))) for start in range(0, len(examples), size)]
    _shared = (function, examples, extra)
    try:
        with _pool(jobs) as pool:
            return list(pool.map(_run_chunk, bounds))
    finally:
        _shared = ()


def _run_chunk(bounds: tuple[int, int]):
    function, examples, extra = _shared
    start, stop = bounds
    return function(examples[start:stop], extra)


def map_blocks(function, blocks: Iterable[tuple], extra, jobs: int) -> Iterator[tuple]:
    """``(block, function(block[0], extra))`` for each block of a stream, in order, computed
    in forked processes. Each block travels to a worker (``extra``, e.g. the rules, is
    inherited, not sent); one block a worker waits beyond those being worked on, so memory
    stays bounded however long the stream."""
    global _shared
    _shared = (function, None, extra)
    pending: collections.deque = collections.deque()
    try:
        with _pool(jobs) as pool:
            for block in blocks:
                pending.append((block, pool.submit(_run_block, block[0])))
                if len(pending) > jobs:
                    block, future = pending.popleft()
                    yield block, future.result()
            while pending:
                block, future = pending.popleft()
                yield block, future.result()
    finally:
        _shared = ()


def _run_block(items: list):
    function, _, extra = _shared
    return function(items, extra)
