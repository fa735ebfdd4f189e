"""The shipped samples behave as the README says: the dirty one shows every planted problem."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SAMPLES

import prepdata

EXAMPLE_RULES = {"empty-example", "short-example", "excessive-whitespace", "repetitive-example",
                 "exact-duplicate", "near-duplicate", "separator-in-text"}
FORMAT_SAMPLES = ["prompt_completion.jsonl", "chat_openai.jsonl", "chat_cohere.jsonl", "table.csv"]
#: One sample per record schema, JSON arrays and Parquet among them.
SCHEMA_SAMPLES = ["chat_tools.jsonl", "preference_openai.jsonl", "preference_trl.jsonl", "kto.jsonl", "prompts.jsonl",
                  "alpaca.json", "sharegpt.json", "gemini.jsonl", "converse.jsonl", "bedrock_claude.jsonl",
                  "segments.jsonl", "chat.parquet"]
FILE_RULES = {"file-size", "example-count"}


def test_samples_are_what_the_generator_writes(tmp_path):
    """The committed samples come from the seeded script, byte for byte."""
    script = (SAMPLES / "make_samples.py").read_text()
    copy = tmp_path / "make_samples.py"
    copy.write_text(script)
    subprocess.run([sys.executable, str(copy)], check=True)
    names = ["verse.txt", "dirty.txt", "dirty.planted.json", "clean.txt", "windows1252.txt"]
    samples = FORMAT_SAMPLES + SCHEMA_SAMPLES
    names += samples + [name.rsplit(".", 1)[0] + ".planted.json" for name in samples]
    for name in names:
        if name.endswith(".parquet"):  # pyarrow writes its own version into the file: compare values
            import pyarrow.parquet as pq

            assert pq.read_table(tmp_path / name).to_pylist() == pq.read_table(SAMPLES / name).to_pylist()
            continue
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_dirty_sample_finds_exactly_the_planted_problems():
    planted = json.loads((SAMPLES / "dirty.planted.json").read_text())
    report = prepdata.lint(SAMPLES / "dirty.txt")
    found = {(f.rule, f.example) for f in report.findings if f.rule in EXAMPLE_RULES}
    assert found == {(p["rule"], p["example"]) for p in planted}
    assert {p["rule"] for p in planted} == EXAMPLE_RULES
    file_size = [f for f in report.findings if f.rule == "file-size"]
    assert len(file_size) == 1 and str(file_size[0].severity) == "warning"  # over 100 KiB, under 1 MiB
    assert report.files[0].examples >= 200 and report.files[0].bytes >= 100 * 1024


def test_dirty_sample_after_unsafe_fix_has_nothing_fixable(cli, tmp_path):
    cleaned, rejects = tmp_path / "dirty.clean.txt", tmp_path / "dirty.rejects.jsonl"
    cli("fix", SAMPLES / "dirty.txt", "--unsafe-fixes", "-o", cleaned, "--rejects", rejects)
    report = json.loads(cli("lint", cleaned, "--output-format", "json").stdout)
    assert [f for f in report["findings"] if f["fixable"]] == []
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert report["files"][0]["examples"] + len(rejected) == prepdata.lint(SAMPLES / "dirty.txt").files[0].examples


def test_clean_sample_passes(command):
    run = command("lint", SAMPLES / "clean.txt", "--strict")
    assert run.code == 0, run
    assert "Ready for upload: no problems found." in run.stdout


def test_verse_sample_is_too_small_but_its_line_breaks_are_fine(cli):
    report = json.loads(cli("lint", SAMPLES / "verse.txt", "--output-format", "json").stdout)
    assert sorted(f["rule"] for f in report["findings"]) == ["example-count", "file-size"]
    assert all(f["severity"] == "error" for f in report["findings"])
    assert report["files"][0]["examples"] == 36


@pytest.mark.parametrize("name", FORMAT_SAMPLES + SCHEMA_SAMPLES)
def test_format_samples_show_exactly_their_planted_problems(name, cli, tmp_path):
    planted = json.loads((SAMPLES / (name.rsplit(".", 1)[0] + ".planted.json")).read_text())
    report = prepdata.lint(SAMPLES / name)
    found = {(f.rule, f.example) for f in report.findings if f.rule not in FILE_RULES}
    assert found == {(p["rule"], p["example"]) for p in planted}
    # After every fix, nothing fixable is left, and every record is accounted for.
    cleaned, rejects = tmp_path / f"clean-{name}", tmp_path / "rejects.jsonl"
    cli("fix", SAMPLES / name, "--unsafe-fixes", "-o", cleaned, "--rejects", rejects)
    after = json.loads(cli("lint", cleaned, "--output-format", "json").stdout)
    assert [f for f in after["findings"] if f["fixable"]] == []
    removed = len(rejects.read_text().splitlines())
    before = report.files[0]
    assert after["files"][0]["examples"] + after["files"][0]["invalid_records"] + removed == before.examples + before.invalid


def test_windows_1252_sample_shows_every_bad_byte_and_how_to_convert(cli):
    run = cli("lint", SAMPLES / "windows1252.txt", "--select", "encoding")
    lines = [line for line in run.stdout.splitlines() if "PD303 [encoding]" in line]
    assert len(lines) == 5  # é, ç, ï, è, ñ
    assert "the file looks like WINDOWS-1252: iconv -f WINDOWS-1252 -t UTF-8" in lines[0]
