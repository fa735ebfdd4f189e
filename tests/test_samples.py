"""The shipped samples behave as the README says: the dirty one shows every planted problem."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SAMPLES

import prepdata

EXAMPLE_RULES = {"empty-example", "short-example", "excessive-whitespace", "repetitive-example",
                 "exact-duplicate", "near-duplicate", "separator-in-text"}


def test_samples_are_what_the_generator_writes(tmp_path):
    """The committed samples come from the seeded script, byte for byte."""
    script = (SAMPLES / "make_samples.py").read_text()
    copy = tmp_path / "make_samples.py"
    copy.write_text(script)
    subprocess.run([sys.executable, str(copy)], check=True)
    for name in ["verse.txt", "dirty.txt", "dirty.planted.json", "clean.txt"]:
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
    assert "No problems found." in run.stdout


def test_verse_sample_is_too_small_but_its_line_breaks_are_fine(cli):
    report = json.loads(cli("lint", SAMPLES / "verse.txt", "--output-format", "json").stdout)
    assert sorted(f["rule"] for f in report["findings"]) == ["example-count", "file-size"]
    assert all(f["severity"] == "error" for f in report["findings"])
    assert report["files"][0]["examples"] == 36
