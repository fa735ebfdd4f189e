"""A large file is linted a block at a time, with the same report as reading it whole."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import prepdata
from conftest import SAMPLES, write
from prepdata import streaming

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


def _both_ways(monkeypatch, path, **settings):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 10**12)
    whole = prepdata.lint(path, **settings).to_json()
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streaming, "BLOCK_EXAMPLES", 7)  # many blocks, even on a sample
    assert streaming.plan(path, prepdata.Settings(**settings), prepdata.Settings(**settings).rules()) is not None
    streamed = prepdata.lint(path, **settings).to_json()
    return whole, streamed


@pytest.mark.parametrize("name", ["dirty.txt", "verse.txt", "clean.txt"])
def test_streamed_report_equals_the_whole_file_report(monkeypatch, name):
    whole, streamed = _both_ways(monkeypatch, SAMPLES / name)
    assert streamed == whole


def test_streamed_report_on_a_corpus_with_near_duplicates(monkeypatch, tmp_path):
    data = corpus.generate(tmp_path / "corpus.txt", 600_000, seed=9)
    whole, streamed = _both_ways(monkeypatch, data.path)
    assert streamed == whole
    assert {f["rule"] for f in whole["findings"]} >= {"exact-duplicate", "near-duplicate"}


def test_files_that_need_the_whole_reader_are_not_streamed(monkeypatch, tmp_path):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    settings = prepdata.Settings()
    rules = settings.rules()
    assert streaming.plan(write(tmp_path / "bad.txt", b"caf\xe9\n--SEPARATOR--\nx\n"), settings, rules) is None
    assert streaming.plan(write(tmp_path / "data.jsonl", '{"text": "x"}\n'), settings, rules) is None
    assert streaming.plan(write(tmp_path / "plain.txt", "no separator\n\nhere\n"), settings, rules) is None
    assert streaming.plan(SAMPLES / "dirty.txt", prepdata.Settings(auto_split=True), rules) is None
