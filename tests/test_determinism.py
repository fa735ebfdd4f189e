"""Same input and configuration, same bytes out: across runs, --jobs and PYTHONHASHSEED."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from conftest import write

FORMATS = ["text", "json", "json-lines", "sarif", "github", "gitlab", "junit"]


def _dataset(path):
    """5,000 examples (enough for --jobs to split them) with duplicates, near copies,
    whitespace and short examples."""
    rng = random.Random(11)
    words = [f"word{i}" for i in range(3000)] + ["naïve", "日本語", "déjà"]
    examples = []
    for i in range(5000):
        roll = rng.random()
        if roll < 0.05 and examples:
            examples.append(rng.choice(examples))
        elif roll < 0.1 and examples:
            base = rng.choice(examples).split(" ")
            base[rng.randrange(len(base))] = "changed"
            examples.append(" ".join(base))
        elif roll < 0.15:
            examples.append("Too  short. ")
        else:
            examples.append(" ".join(rng.choices(words, k=rng.randint(20, 60))))
    return write(path, "\n--SEPARATOR--\n".join(examples) + "\n")


def _run(args, seed: str, cwd):
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "prepdata", *map(str, args)], capture_output=True, env=env, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("determinism")
    (folder / ".git").mkdir()
    return _dataset(folder / "train.txt")


@pytest.mark.parametrize("output_format", FORMATS)
def test_reports_are_byte_identical_across_jobs_and_hash_seeds(dataset, output_format):
    args = ["lint", dataset, "--output-format", output_format, "--quiet"]
    first = _run([*args, "--jobs", "1"], "0", dataset.parent)
    assert first
    assert _run([*args, "--jobs", "2"], "12345", dataset.parent) == first
    assert _run([*args, "--jobs", "2"], "random", dataset.parent) == first


def test_fix_outputs_are_byte_identical_across_jobs_and_hash_seeds(dataset, tmp_path):
    outputs = []
    for seed, jobs in (("0", "1"), ("12345", "2")):
        cleaned, rejects = tmp_path / f"clean-{jobs}.txt", tmp_path / f"rejects-{jobs}.jsonl"
        _run(["fix", dataset, "-o", cleaned, "--rejects", rejects, "--unsafe-fixes", "--jobs", jobs, "--quiet"],
             seed, dataset.parent)
        outputs.append((cleaned.read_bytes(), rejects.read_bytes()))
    assert outputs[0] == outputs[1] and outputs[0][1].count(b"\n") > 100


@pytest.fixture(scope="module")
def containers(tmp_path_factory, dataset):
    """The same examples as a JSON array of Alpaca records and as chat rows in Parquet."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = dataset.parent
    texts = dataset.read_text(encoding="utf-8").removesuffix("\n").split("\n--SEPARATOR--\n")
    alpaca = folder / "train.json"
    alpaca.write_text(json.dumps([{"instruction": f"Item {i}", "input": "", "output": t} for i, t in enumerate(texts)],
                                 indent=2, ensure_ascii=False), encoding="utf-8")
    chat = folder / "train.parquet"
    pq.write_table(pa.Table.from_pylist([{"messages": [{"role": "user", "content": f"Item {i}"},
                                                       {"role": "assistant", "content": t}]}
                                         for i, t in enumerate(texts)]), chat)
    return [alpaca, chat]


@pytest.mark.parametrize("which", [0, 1], ids=["json-array", "parquet"])
def test_json_arrays_and_parquet_are_deterministic_too(containers, which, tmp_path):
    path = containers[which]
    args = ["lint", path, "--output-format", "json", "--quiet"]
    first = _run([*args, "--jobs", "1"], "0", path.parent)
    assert b'"near-duplicate"' in first
    assert _run([*args, "--jobs", "2"], "random", path.parent) == first
    outputs = []
    for seed, jobs in (("0", "1"), ("12345", "2")):
        cleaned, rejects = tmp_path / f"clean-{jobs}{path.suffix}", tmp_path / f"rejects-{jobs}.jsonl"
        _run(["fix", path, "-o", cleaned, "--rejects", rejects, "--unsafe-fixes", "--jobs", jobs, "--quiet"],
             seed, path.parent)
        outputs.append((cleaned.read_bytes(), rejects.read_bytes()))
    assert outputs[0] == outputs[1] and outputs[0][1].count(b"\n") > 100
