"""A large file is linted a block at a time, with the same report as reading it whole."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, write
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import prepdata
from prepdata import streaming
from prepdata.errors import PrepdataError
from prepdata.spill import SpilledText

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


def _both_ways(monkeypatch, path, **settings):
    """The report read whole, and streamed."""

    def report():
        return prepdata.lint(path, **settings).to_json()

    return whole_and_streamed(monkeypatch, path, report)


def whole_and_streamed(monkeypatch, path, outcome) -> tuple:
    """``outcome()`` with ``path`` read whole, and streamed in blocks of 7 examples (many,
    even on a sample). A file the reader refuses gives its error message instead, which
    must match too."""

    def run():
        try:
            return outcome()
        except PrepdataError as error:
            return f"error: {error}"

    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 10**12)
    whole = run()
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streaming, "BLOCK_EXAMPLES", 7)
    streamed_files = []
    check_file = streaming.check_file

    def spy(source, *args, **kwargs):
        streamed_files.append(source.info.path)
        return check_file(source, *args, **kwargs)

    monkeypatch.setattr(streaming, "check_file", spy)
    streamed = run()
    monkeypatch.setattr(streaming, "check_file", check_file)
    # Only a file the reader refuses, or an empty one, may be read whole.
    assert str(path) in streamed_files or isinstance(whole, str), whole
    return whole, streamed


def _streams(path, **settings) -> bool:
    return streaming.plan(path, prepdata.Settings(**settings), prepdata.Settings(**settings).rules()) is not None


@pytest.mark.parametrize("name", ["dirty.txt", "verse.txt", "clean.txt", "prompt_completion.jsonl",
                                  "chat_openai.jsonl", "chat_cohere.jsonl", "table.csv", "windows1252.txt",
                                  "alpaca.json", "sharegpt.json", "chat.parquet", "chat_tools.jsonl"])
def test_streamed_report_equals_the_whole_file_report(monkeypatch, name):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    assert _streams(SAMPLES / name)
    whole, streamed = _both_ways(monkeypatch, SAMPLES / name)
    assert streamed == whole
    assert whole["files"][0]["examples"] > 0


@pytest.mark.parametrize("name", ["dirty.txt", "verse.txt", "clean.txt"])
def test_streamed_report_of_a_file_split_automatically(monkeypatch, name):
    whole, streamed = _both_ways(monkeypatch, SAMPLES / name, auto_split=True)
    assert streamed == whole
    assert whole["files"][0]["auto_split"] is True


def test_a_txt_file_without_the_separator_is_streamed_split_automatically(monkeypatch, tmp_path):
    paragraphs = [f"Paragraph {i} says something {'at length ' * (120 + i)}.\n" for i in range(120)]
    path = write(tmp_path / "notes.txt", "\n\n".join([*paragraphs, *paragraphs[:5]]) + "\n\n\n")
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole
    assert whole["files"][0]["auto_split"] is True and whole["files"][0]["examples"] > 7
    assert any(f["rule"] == "exact-duplicate" for f in whole["findings"])


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_streamed_report_on_a_corpus_with_near_duplicates(monkeypatch, tmp_path, suffix):
    data = corpus.generate(tmp_path / f"corpus{suffix}", 600_000, seed=9)
    whole, streamed = _both_ways(monkeypatch, data.path)
    assert streamed == whole
    assert {f["rule"] for f in whole["findings"]} >= {"exact-duplicate", "near-duplicate"}
    one_job = _both_ways(monkeypatch, data.path, jobs=1)[1]
    assert one_job == streamed


def test_a_streamed_jsonl_file_is_judged_by_its_whole_survey(monkeypatch, tmp_path):
    """The schema of most records is known only at the end of the file; records near the
    start are judged by it all the same."""
    chat = [{"messages": [{"role": "User", "content": f"hi {i}"}, {"role": "Chatbot", "content": f"hello {i}"}]}
            for i in range(30)]
    lines = ['{"prompt": "first", "completion": "a prompt-completion record among chats"}',
             json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}),
             "", "not json", "[1, 2]", *map(json.dumps, chat), '{"messages": "oops"}']
    path = write(tmp_path / "mixed.jsonl", "\ufeff" + "\r\n".join(lines) + "\r\n")
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole
    messages = {f["message"] for f in whole["findings"]}
    assert "a prompt-completion record, but this file holds chat-cohere records" in messages
    assert "a chat record, but this file holds chat-cohere records" in messages
    assert whole["files"][0]["invalid_records"] == 5


def test_bytes_that_are_not_utf8_are_listed_alike_when_streamed(monkeypatch, tmp_path):
    lines = [b'{"text": "caf\xe9 au lait"}', b"", b'{"text": "na\xefve \xc3\xa9t\xc3\xa9 \xff\xfe"}',
             b'{"prompt": "\xe9", "completion": "x"}', b"\xe9 not json"]
    path = write(tmp_path / "latin.jsonl", b"\xef\xbb\xbf" + b"\r\n".join(lines) + b"\n")
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole
    assert sum("not valid UTF-8" in f["message"] for f in whole["findings"]) == 5


def test_a_streamed_csv_file_reads_rows_across_lines(monkeypatch, tmp_path):
    rows = ['prompt,completion', '"a question\nover two lines","an answer, with a comma"', '', 'short,row,extra',
            *[f"question {i},answer number {i}" for i in range(20)], '"never closed,x', 'y,z']
    path = write(tmp_path / "table.csv", "\n".join(rows) + "\n")
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole
    assert whole["files"][0]["invalid_records"] == 2


# Lines of JSONL and rows of CSV, good and bad, to compare the two readers on.
_jsonl_lines = st.lists(st.sampled_from([
    '{"prompt": "p", "completion": "some completion text"}', '{"text": "plain text record"}',
    '{"text": 3}', '{"prompt": "p"}', '{"messages": [{"role": "user", "content": "x"}]}',
    '{"messages": [{"role": "Chatbot", "content": "y"}]}', '{"other": 1}', "{bad", "[]", "", "   ",
    '{"text": "caf\\u00e9  with  spaces"}', '{"text": "same"}', '{"text": "same"}',
]), max_size=25)
_csv_rows = st.lists(st.sampled_from([
    "a prompt,a completion", '"quoted, comma","line\nbreak"', "one field", "a,b,c", "", '"open', 'x"y,z',
    "same,same", "same,same", '"",""',
]), max_size=25)


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_jsonl_lines, crlf=st.booleans(), bom=st.booleans())
def test_streamed_jsonl_equals_the_whole_file_read(monkeypatch, tmp_path_factory, lines, crlf, bom):
    text = ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(lines)
    path = write(tmp_path_factory.mktemp("jsonl") / "data.jsonl", text)
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_csv_rows, header=st.sampled_from(["prompt,completion", "text", "", "prompt"]))
def test_streamed_csv_equals_the_whole_file_read(monkeypatch, tmp_path_factory, rows, header):
    path = write(tmp_path_factory.mktemp("csv") / "data.csv", "\n".join([header, *rows]) + "\n")
    whole, streamed = _both_ways(monkeypatch, path)
    assert streamed == whole


def test_files_that_need_the_whole_reader_are_not_streamed(monkeypatch, tmp_path):
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    assert not _streams(write(tmp_path / "nul.txt", b"caf\x00\n--SEPARATOR--\nx\n"))
    assert not _streams(write(tmp_path / "utf16.txt", "caf\u00e9\n--SEPARATOR--\nx\n".encode("utf-16")))
    assert not _streams(write(tmp_path / "data.jsonl.gz", gzip.compress(b'{"text": "x"}\n')))
    assert not _streams(write(tmp_path / "plain.txt", "no separator\n\nhere\n"), separator="@@")
    assert not _streams(SAMPLES / "prompt_completion.jsonl", against=SAMPLES / "prompt_completion.jsonl")


def test_a_streamed_lint_withdraws_a_rewrite_the_file_could_not_hold(monkeypatch, tmp_path):
    # Trimming '--S ' would join it with the separator that follows it on the same line.
    path = write(tmp_path / "join.txt", "first example\n--S--\n--S --S-- tail\n")
    whole, streamed = _both_ways(monkeypatch, path, separator="--S--")
    assert streamed == whole
    assert any("not fixable in place" in f["message"] for f in whole["findings"])


@pytest.mark.parametrize("name", ["dirty.txt", "prompt_completion.jsonl", "table.csv", "windows1252.txt"])
@pytest.mark.parametrize("command", [["preview", "-n", "3"], ["stats"]])
def test_preview_and_stats_read_a_large_file_a_block_at_a_time_alike(monkeypatch, cli, name, command):
    path = SAMPLES / name
    whole = cli(*command, path)
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streaming, "BLOCK_EXAMPLES", 7)
    plan = streaming.plan
    planned = []

    def spy(*args, **kwargs):
        planned.append(plan(*args, **kwargs))
        return planned[-1]

    monkeypatch.setattr(streaming, "plan", spy)
    streamed = cli(*command, path)
    assert len(planned) == 1 and planned[0] is not None  # the file was read a block at a time
    assert (streamed.code, streamed.stdout) == (whole.code, whole.stdout)
    assert "examples" in whole.stdout and whole.code == 0


def test_a_streamed_lint_keeps_its_rewrites_on_disk(monkeypatch, tmp_path):
    # Every example needs a rewrite: held in memory, the rewrites would be the file again.
    path = write(tmp_path / "spaced.txt", "\n--SEPARATOR--\n".join(f"example {i} with  two spaces " for i in range(40)))
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 10**12)
    whole = prepdata.lint(path).findings
    monkeypatch.setattr(streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(streaming, "BLOCK_EXAMPLES", 7)
    streamed = prepdata.lint(path).findings
    rewrites = [(f, w) for f, w in zip(streamed, whole, strict=True) if f.fix and f.fix.replacement is not None]
    assert len({f.example for f, _ in rewrites}) == 40
    assert all(isinstance(f.fix.replacement, SpilledText) for f, _ in rewrites)
    assert [f.fix.replacement_text() for f, _ in rewrites] == [w.fix.replacement for _, w in rewrites]

