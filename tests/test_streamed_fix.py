"""A large file is fixed a block at a time, with the same result as fixing it whole."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, write
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from test_properties import txt_files
from test_streaming import _csv_rows, _jsonl_lines, whole_and_streamed

import prepdata
from prepdata import streaming
from prepdata.report import Report

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


def _outcome(result) -> dict:
    """Everything a user sees of a fix: the cleaned bytes, the rejects, what changed, and
    the reports on the input and on the cleaned file."""
    return {
        "output": result.output_data(),
        "rejects": [reject.to_json() for reject in result.rejects],
        "changed": result.changed,
        "file_actions": result.file_actions,
        "converged": result.converged,
        "kept": result.kept,
        "texts": result.texts,
        "input": Report(files=[result.input], rules=result.rules).to_json(),
        "output_report": result.remaining.to_json(),
        "exit": result.exit_code(),
    }


def _both_ways(monkeypatch, path, **settings) -> tuple:
    """The fix of ``path`` read whole, and streamed."""

    def fix():
        return _outcome(prepdata.fix(path, output_path=str(path.with_name("clean" + path.suffix)), **settings))

    return whole_and_streamed(monkeypatch, path, fix)


@pytest.mark.parametrize("unsafe", [False, True])
@pytest.mark.parametrize("name", ["dirty.txt", "verse.txt", "clean.txt", "prompt_completion.jsonl",
                                  "chat_openai.jsonl", "chat_cohere.jsonl", "table.csv", "windows1252.txt",
                                  "alpaca.json", "sharegpt.json", "chat.parquet", "chat_tools.jsonl"])
def test_streamed_fix_equals_the_whole_file_fix(monkeypatch, tmp_path, name, unsafe):
    path = write(tmp_path / name, (SAMPLES / name).read_bytes())
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    assert streaming.plan(path, prepdata.Settings(), prepdata.Settings().rules()) is not None
    whole, streamed = _both_ways(monkeypatch, path, unsafe_fixes=unsafe)
    assert streamed == whole
    if name == "dirty.txt":
        assert whole["changed"] and (whole["rejects"] or not unsafe)


def test_streamed_fix_of_a_file_split_automatically(monkeypatch, tmp_path):
    path = write(tmp_path / "dirty.txt", (SAMPLES / "dirty.txt").read_bytes())
    whole, streamed = _both_ways(monkeypatch, path, auto_split=True, unsafe_fixes=True)
    assert streamed == whole


@pytest.mark.parametrize("closing", ["", "\n--SEPARATOR--\n"])
def test_a_rewrite_of_the_last_example_kept_is_checked_against_the_end_of_the_file(monkeypatch, tmp_path, closing):
    # The plan reads the examples a fix names in batches (7 here). The last example kept
    # is followed by the file's end, not by its own delimiter, once the copies after it
    # are dropped; its rewrite must be checked, and written, against that end.
    examples = [f"example number {i} is about something else  " for i in range(17)]  # each fixed: 3 batches
    examples += ["the last one kept ends with spaces   ", examples[0], examples[1], examples[2]]
    path = write(tmp_path / "data.txt", "\n--SEPARATOR--\n".join(examples) + closing)
    whole, streamed = _both_ways(monkeypatch, path, unsafe_fixes=True)
    assert streamed == whole
    assert [reject["example"] for reject in whole["rejects"]] == [18, 19, 20]
    assert whole["changed"] == {index: ["excessive-whitespace"] for index in range(18)}
    assert whole["output"].endswith(b"the last one kept ends with spaces" + closing.encode())


def test_streamed_fix_of_a_corpus_with_near_duplicates(monkeypatch, tmp_path):
    data = corpus.generate(tmp_path / "corpus.jsonl", 300_000, seed=5)
    whole, streamed = _both_ways(monkeypatch, data.path, unsafe_fixes=True, jobs=2)
    assert streamed == whole
    assert {reject["rules"][0] for reject in whole["rejects"]} >= {"exact-duplicate", "near-duplicate"}
    assert _both_ways(monkeypatch, data.path, unsafe_fixes=True, jobs=1)[1] == streamed  # the same for every --jobs


PROPERTY = hypothesis_settings(deadline=None, max_examples=60,
                               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(data=txt_files(), unsafe=st.booleans())
def test_streamed_fix_of_generated_txt_files(monkeypatch, tmp_path_factory, data, unsafe):
    path = write(tmp_path_factory.mktemp("txt") / "data.txt", data)
    whole, streamed = _both_ways(monkeypatch, path, separator="--S--", unsafe_fixes=unsafe)
    assert streamed == whole


@PROPERTY
@given(lines=_jsonl_lines, unsafe=st.booleans())
def test_streamed_fix_of_generated_jsonl_files(monkeypatch, tmp_path_factory, lines, unsafe):
    path = write(tmp_path_factory.mktemp("jsonl") / "data.jsonl", "\n".join(lines) + "\n")
    whole, streamed = _both_ways(monkeypatch, path, unsafe_fixes=unsafe)
    assert streamed == whole


@PROPERTY
@given(rows=_csv_rows, unsafe=st.booleans())
def test_streamed_fix_of_generated_csv_files(monkeypatch, tmp_path_factory, rows, unsafe):
    path = write(tmp_path_factory.mktemp("csv") / "data.csv", "\n".join(["prompt,completion", *rows]) + "\n")
    whole, streamed = _both_ways(monkeypatch, path, unsafe_fixes=unsafe)
    assert streamed == whole


def test_the_cli_fixes_a_streamed_file_in_place_and_leaves_no_temporary_file(monkeypatch, tmp_path, cli):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    path = write(tmp_path / "dirty.txt", (SAMPLES / "dirty.txt").read_bytes())
    expected = prepdata.fix(path, unsafe_fixes=True, output_path=str(path))
    cleaned, rejected = expected.output_data(), expected.rejects_jsonl()
    del expected
    gc.collect()
    run = cli("fix", path, "--in-place", "--unsafe-fixes", "--quiet")
    assert run.code in (0, 1), run
    assert path.read_bytes() == cleaned
    assert (tmp_path / "dirty.rejects.jsonl").read_bytes() == rejected
    gc.collect()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dirty.rejects.jsonl", "dirty.txt"]
    again = cli("fix", path, "--in-place", "--unsafe-fixes", "--quiet")
    assert path.read_bytes() == cleaned, again  # idempotent
    assert json.loads((tmp_path / "dirty.rejects.jsonl").read_text().splitlines()[0])["rules"]
