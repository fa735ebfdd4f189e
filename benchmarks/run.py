"""Benchmark the whole `prepdata lint` (every default rule) on seeded corpora.

    python benchmarks/run.py              # 10 MB and 100 MB
    python benchmarks/run.py --full       # and 1 GB
    python benchmarks/run.py --sizes 10   # one size
    python benchmarks/run.py --format jsonl   # the same examples as JSON Lines
    python benchmarks/run.py --fix        # and time `prepdata fix` on each corpus
    python benchmarks/run.py --fix --rewrite-all   # every example needing a rewrite

For each size it prints wall time, MB/s, peak RSS of the lint process, and the
near-duplicate precision and recall against exact Jaccard similarity that this script
computes itself (recall over planted pairs with 0.8 <= J < 1; exact duplicates apart).
In the same run it times a naive datasketch pipeline (MinHash.update per shingle,
MinHashLSH insert and query) on the 10 MB corpus and prints prepdata's speed over it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_module  # noqa: E402

THRESHOLD = 0.8


def make_corpus(path: Path, size: int) -> corpus_module.Corpus:
    """Generated in a child process: a process that held the corpus would pass its memory
    on to the lint it forks, and Linux counts that in the child's peak RSS."""
    subprocess.run([sys.executable, str(Path(corpus_module.__file__)), str(path), str(size)], check=True)
    truth = json.loads(Path(f"{path}.truth.json").read_text())
    return corpus_module.Corpus(path, truth["examples"], truth["bytes"],
                                [tuple(pair) for pair in truth["exact_pairs"]],
                                [tuple(pair) for pair in truth["near_pairs"]])


def run_lint(path: Path, output: Path, jobs: int | None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit code) of one `prepdata lint` process."""
    return _measure([sys.executable, "-m", "prepdata", "lint", str(path), "--output-format", "json",
                     "--output-file", str(output)], jobs)


def run_fix(path: Path, cleaned: Path, rejects: Path, jobs: int | None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit code) of one `prepdata fix --unsafe-fixes`."""
    return _measure([sys.executable, "-m", "prepdata", "fix", str(path), "--unsafe-fixes", "--quiet",
                     "--output", str(cleaned), "--rejects", str(rejects)], jobs)


# Runs each measured command and reports its wall time, peak RSS and exit code. It is a
# small process started before this one computes anything: Linux starts a child's peak
# RSS at its parent's (vfork and exec keep the high-water mark), so a command started by
# this script after it held a corpus in memory would report that memory as its own.
_LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    start = time.perf_counter()
    process = subprocess.Popen(json.loads(line), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)]),
          flush=True)
"""
_launcher: subprocess.Popen | None = None

# The baseline for JSON arrays and Parquet: read the whole file into Python records.
_LOAD_WHOLE = """
import json, sys
path = sys.argv[1]
if path.endswith(".parquet"):
    import pyarrow.parquet as pq
    records = pq.read_table(path).to_pylist()
else:
    records = json.load(open(path, encoding="utf-8"))
print(len(records), file=sys.stderr)
"""


def _measure(command: list[str], jobs: int | None) -> tuple[float, int, int]:
    global _launcher
    if jobs:
        command += ["--jobs", str(jobs)]
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
    _launcher.stdin.write(json.dumps(command) + "\n")
    _launcher.stdin.flush()
    wall, rss, code = json.loads(_launcher.stdout.readline())
    return wall, rss, code


def quality(corpus: corpus_module.Corpus, report: dict) -> dict:
    texts = corpus_module.read_texts(corpus.path)
    shingles: dict[int, set[str]] = {}

    def of(index: int) -> set[str]:
        if index not in shingles:
            shingles[index] = corpus_module.shingles(texts[index])
        return shingles[index]

    reported = [(f["example"], f["duplicate_of"]) for f in report["findings"] if f["rule"] == "near-duplicate"]
    true_reports = sum(corpus_module.jaccard(of(a), of(b)) >= THRESHOLD for a, b in reported)
    kept_as = {copy: kept for copy, kept in reported}
    exact = {f["example"]: f["duplicate_of"] for f in report["findings"] if f["rule"] == "exact-duplicate"}

    def group(index: int) -> int:
        while index in kept_as or index in exact:
            index = kept_as.get(index, exact.get(index))
        return index

    wanted = [(a, b) for a, b, j in corpus.near_pairs if THRESHOLD <= j < 1]
    found = sum(group(a) == group(b) for a, b in wanted)
    exact_found = sum(group(a) == group(b) for a, b in corpus.exact_pairs)
    return {
        "reported": len(reported),
        "precision": true_reports / len(reported) if reported else 1.0,
        "recall": found / len(wanted) if wanted else 1.0,
        "pairs": len(wanted),
        "exact_recall": exact_found / len(corpus.exact_pairs) if corpus.exact_pairs else 1.0,
    }


def naive_datasketch(corpus: corpus_module.Corpus) -> float:
    """Seconds for MinHash (one update per shingle) + MinHashLSH insert and query."""
    from datasketch import MinHash, MinHashLSH

    texts = corpus_module.read_texts(corpus.path)
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    signatures = []
    for index, text in enumerate(texts):
        signature = MinHash(num_perm=128)
        for shingle in corpus_module.shingles(text):
            signature.update(shingle.encode("utf-8"))
        lsh.insert(index, signature)
        signatures.append(signature)
    for signature in signatures:
        lsh.query(signature)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--full", action="store_true", help="add the 1 GB corpus")
    parser.add_argument("--fix", action="store_true", help="also time `prepdata fix --unsafe-fixes` on each corpus")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to prepdata lint")
    parser.add_argument("--format", choices=("txt", "jsonl", "json", "parquet"), default="txt",
                        help="write the corpora as separator-split text, JSON Lines ({\"text\": ...}), a JSON "
                             "array of the same records, or Parquet")
    parser.add_argument("--rewrite-all", action="store_true",
                        help="end every line with two spaces, so that every example needs a rewrite (the worst "
                             "case for fix's memory); precision and recall are then still measured")
    parser.add_argument("--workdir", default=None, help="keep corpora here (default: a temporary folder)")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")] + ([1000] if arguments.full else [])
    workdir = Path(arguments.workdir or tempfile.mkdtemp(prefix="prepdata-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    _measure([sys.executable, "-c", "pass"], None)  # starts the launcher while this process is small
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"corpora as {arguments.format}")
    rows, speeds, fixes, containers = [], {}, [], []
    for size in sizes:
        path = workdir / f"corpus-{size}mb.{arguments.format}"
        corpus = make_corpus(path, size * 1_000_000)
        if arguments.rewrite_all:
            path = path.with_name(f"spaced-{path.name}")
            corpus = corpus_module.with_trailing_spaces(corpus, path)
        report_path = workdir / f"report-{size}mb.json"
        wall, rss, code = run_lint(path, report_path, arguments.jobs)
        if code not in (0, 1):
            sys.exit(f"prepdata lint failed on {path} with exit code {code}")
        measured = quality(corpus, json.loads(report_path.read_text()))
        speeds[size] = corpus.bytes / 1e6 / wall
        rows.append([f"{size} MB", corpus.examples, f"{wall:.1f}", f"{speeds[size]:.1f}", f"{rss / 2**20:.0f}",
                     f"{measured['precision']:.3f}", f"{measured['recall']:.3f} of {measured['pairs']}",
                     f"{measured['exact_recall']:.3f}"])
        print(tabulate([rows[-1]], tablefmt="plain"), flush=True)
        if arguments.format in ("json", "parquet"):
            # The baseline, in the same run: the whole file loaded as Python records, as a
            # reader without row groups or a streaming scan would hold it.
            _, whole_rss, _ = _measure([sys.executable, "-c", _LOAD_WHOLE, str(path)], None)
            containers.append([f"{size} MB", f"{path.stat().st_size / 2**20:.0f}", f"{rss / 2**20:.0f}",
                               f"{whole_rss / 2**20:.0f}", f"{rss / whole_rss:.2f}"])
        if arguments.fix:
            cleaned, rejects = workdir / f"clean-{path.name}", workdir / f"rejects-{size}mb.jsonl"
            wall, rss, code = run_fix(path, cleaned, rejects, arguments.jobs)
            if code not in (0, 1):
                sys.exit(f"prepdata fix failed on {path} with exit code {code}")
            kept = len(corpus_module.read_texts(cleaned))
            removed = len(rejects.read_text(encoding="utf-8").splitlines())
            fixes.append([f"{size} MB", f"{wall:.1f}", f"{corpus.bytes / 1e6 / wall:.1f}", f"{rss / 2**20:.0f}",
                          kept, removed, "yes" if kept + removed == corpus.examples else "NO"])
            print(tabulate([fixes[-1]], tablefmt="plain"), flush=True)
            cleaned.unlink()
    print()
    print(tabulate(rows, headers=["corpus", "examples", "wall s", "MB/s", "peak RSS MiB", "precision",
                                  "recall 0.8<=J<1", "exact recall"]))
    if containers:
        print(f"\nmemory of prepdata lint against loading the whole {arguments.format} file as records")
        print(tabulate(containers, headers=["corpus", "file MiB", "lint peak RSS MiB", "whole-load peak RSS MiB",
                                            "ratio"]))
    if fixes:
        print("\nprepdata fix --unsafe-fixes")
        print(tabulate(fixes, headers=["corpus", "wall s", "MB/s", "peak RSS MiB", "kept", "rejected",
                                       "kept + rejected = examples"]))
    if 10 in speeds:
        corpus = make_corpus(workdir / f"corpus-10mb.{arguments.format}", 10_000_000)
        naive = naive_datasketch(corpus)
        naive_speed = corpus.bytes / 1e6 / naive
        print(f"\nnaive datasketch pipeline on 10 MB: {naive:.1f} s, {naive_speed:.2f} MB/s; "
              f"prepdata lint is {speeds[10] / naive_speed:.1f}x faster")
    if 100 in speeds and 1000 in speeds:
        print(f"1 GB time / 100 MB time: {speeds[100] / speeds[1000] * 10:.1f}")


if __name__ == "__main__":
    main()
