"""Adversarial text: every pattern prepdata runs over an example costs time linear in it.

Each case lints the same pattern at two sizes, ten times apart, and compares the CPU time
spent (the best of a few runs): linear work grows about tenfold, quadratic work a
hundredfold. The bound is on the work's growth, not on wall time."""

from __future__ import annotations

import time

import pytest
from conftest import write

import prepdata

PATTERNS = {
    "a long run of spaces inside a line": lambda n: "a" + " " * n + "b",
    "spaces and tabs, no line break": lambda n: "a" + " \t" * (n // 2) + "b",
    "one character": lambda n: "a" * n,
    "alternating kinds of whitespace": lambda n: " \t\u00a0\n" * (n // 4) + "x",
    "lines of one space": lambda n: "\n " * (n // 2) + "x",
    "no-break spaces": lambda n: "a" + "\u00a0" * n + "b",
    "blank lines": lambda n: "a" + "\n" * n + "b",
    "carriage returns": lambda n: "a" + "\r" * n + "b",
    "zero-width spaces": lambda n: "a\u200b" * (n // 2),
    "one word again and again": lambda n: "word " * (n // 5),
}


def _cpu_seconds(path, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        prepdata.lint(path, jobs=1, quiet=True)
        best = min(best, time.process_time() - start)
    return best


def _growth(tmp_path, make, small: int) -> float:
    times = []
    for size in (small, small * 10):
        path = write(tmp_path / f"data-{size}.txt", make(size))
        times.append(_cpu_seconds(path))
    return times[1] / max(times[0], 0.002)


@pytest.mark.parametrize("name", PATTERNS)
def test_linting_adversarial_text_grows_linearly(tmp_path, name):
    assert _growth(tmp_path, PATTERNS[name], 100_000) < 30


def test_a_ten_megabyte_single_line(tmp_path):
    assert _growth(tmp_path, lambda n: "lorem ipsum dolor sit amet " * (n // 27), 1_000_000) < 20
