"""--jobs changes how fast, never what: reports and outputs are identical for every N."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

import prepdata
from prepdata import parallel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


@pytest.mark.parametrize("name", ["dirty.txt", "prompt_completion.jsonl", "chat_openai.jsonl", "table.csv"])
def test_reports_and_fixes_are_identical_for_every_number_of_jobs(monkeypatch, name):
    monkeypatch.setattr(parallel, "MIN_EXAMPLES", 10)  # the samples are small; split them anyway
    reports, outputs = [], []
    for jobs in (1, 2, 3):
        reports.append(prepdata.lint(SAMPLES / name, jobs=jobs).to_json())
        result = prepdata.fix(SAMPLES / name, jobs=jobs, unsafe_fixes=True)
        outputs.append((result.output_bytes, result.rejects_jsonl()))
    assert reports[0]["summary"]["findings"] > 0
    assert reports[0] == reports[1] == reports[2]
    assert outputs[0] == outputs[1] == outputs[2]


def test_cli_jobs_on_a_file_big_enough_to_split(command, tmp_path):
    data = corpus.generate(tmp_path / "big.txt", 3_500_000, seed=3)
    assert data.examples >= parallel.MIN_EXAMPLES
    runs = [command("lint", data.path, "--jobs", jobs, "--output-format", "json") for jobs in ("1", "2")]
    assert runs[0].code == runs[1].code == 0  # duplicates are warnings
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[0].stdout)["summary"]["findings"] > 0
