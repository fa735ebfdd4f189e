"""The command line, as a user and a CI script see it: output, files written, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import SAMPLES, write

import prepdata
from prepdata import registry

SMALL = "Hello  world, this is the first example.\n--SEPARATOR--\n\n--SEPARATOR--\nA second example that is long enough.\n"


def test_lint_prints_located_findings_summary_and_statistics(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    run = cli("lint", path)
    assert run.code == 1  # an empty example and the size minimum are errors
    lines = run.stdout.splitlines()
    assert f"{path}:1:6: PD103 [excessive-whitespace] 2 spaces or tabs in a row" in lines
    assert f"{path}:3:1: PD101 [empty-example] example is empty" in lines
    assert re.search(r"PD103\s+excessive-whitespace\s+warning\s+1\s+safe", run.stdout)
    assert re.search(rf"{re.escape(str(path))}\s+3\s+{path.stat().st_size}\s+0\s+37\s+40", run.stdout)


def test_lint_exit_codes_follow_severity_and_strict(cli, tmp_path):
    path = write(tmp_path / "data.txt", "A perfectly fine first example.\n--SEPARATOR--\nAnother  fine example here.\n")
    options = ["-O", "file-size.min_bytes=0", "-O", "file-size.recommended_bytes=0", "-O", "example-count.min_examples=1"]
    assert cli("lint", path, *options).code == 0  # only a whitespace warning
    assert cli("lint", path, *options, "--strict").code == 1
    assert cli("lint", path, *options, "--strict", "--ignore", "excessive-whitespace").code == 0


def test_lint_json_report_has_the_documented_shape(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    report_path = tmp_path / "report.json"
    run = cli("lint", path, "--output-format", "json", "--output-file", report_path)
    assert run.code == 1 and run.stdout == ""
    report = json.loads(report_path.read_text())
    assert report["files"] == [
        {
            "path": str(path),
            "format": "txt",
            "shape": "text",
            "separator": "--SEPARATOR--",
            "auto_split": False,
            "examples": 3,
            "invalid_records": 0,
            "bytes": path.stat().st_size,
            "example_length": {"shortest": 0, "median": 37, "longest": 40},
        }
    ]
    empty = next(f for f in report["findings"] if f["rule"] == "empty-example")
    assert empty == {
        "code": "PD101",
        "rule": "empty-example",
        "severity": "error",
        "path": str(path),
        "line": 3,
        "column": 1,
        "example": 1,
        "message": "example is empty",
        "fixable": True,
        "fix": "safe",
    }
    summary = report["summary"]
    assert summary["findings"] == len(report["findings"])
    assert summary["by_severity"]["error"] == sum(f["severity"] == "error" for f in report["findings"])
    assert {row["rule"] for row in summary["by_rule"]} == {f["rule"] for f in report["findings"]}


def test_select_and_ignore_take_names_codes_and_prefixes(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)

    def rules_found(*args):
        report = json.loads(cli("lint", path, "--output-format", "json", *args).stdout)
        return {f["rule"] for f in report["findings"]}

    assert rules_found("--select", "empty-example") == {"empty-example"}
    assert rules_found("--select", "PD1") == {"empty-example", "excessive-whitespace"}
    assert rules_found("--select", "PD101,PD103", "--ignore", "excessive-whitespace") == {"empty-example"}
    run = cli("lint", path, "--select", "no-such-rule")
    assert run.code == 2 and "unknown rule 'no-such-rule'" in run.stderr


def test_rule_option_is_typed(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    run = cli("lint", path, "-O", "short-example.target_length=lots")
    assert run.code == 2
    assert "option 'target_length' takes a int or none, not 'lots'" in run.stderr
    run = cli("lint", path, "-O", "short-example.nope=1")
    assert run.code == 2 and "unknown option 'nope'" in run.stderr
    report = json.loads(cli("lint", path, "-O", "short-example.min_length=39", "--output-format", "json").stdout)
    assert [f["example"] for f in report["findings"] if f["rule"] == "short-example"] == [2]


def test_fix_writes_clean_file_and_rejects_beside_the_input(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    before = path.read_bytes()
    run = cli("fix", path)
    assert path.read_bytes() == before  # the input is never modified
    cleaned = (tmp_path / "data.clean.txt").read_text()
    assert cleaned == "Hello world, this is the first example.\n--SEPARATOR--\nA second example that is long enough.\n"
    rejects = [json.loads(line) for line in (tmp_path / "data.rejects.jsonl").read_text().splitlines()]
    assert rejects == [
        {"example": 1, "line": 3, "rules": ["empty-example"], "reason": "example is empty", "duplicate_of": None, "text": ""}
    ]
    assert "Rewrote 1 example(s) (excessive-whitespace 1)." in run.stdout
    assert "Removed 1 example(s)" in run.stdout
    assert run.code == 1  # the file is still below the size minimum
    assert "PD001 [file-size]" in run.stdout


def test_fix_output_and_rejects_paths(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    out, rejects = tmp_path / "out" / "clean.txt", tmp_path / "gone.jsonl"
    (tmp_path / "out").mkdir()
    cli("fix", path, "-o", out, "--rejects", rejects)
    assert out.exists() and len(rejects.read_text().splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["clean.txt"]  # no temporary left


def test_fix_refuses_to_overwrite_the_input_or_mix_outputs(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    run = cli("fix", path, "-o", path)
    assert run.code == 2 and "is the input file" in run.stderr
    run = cli("fix", path, "-o", tmp_path / "a.txt", "--rejects", tmp_path / "a.txt")
    assert run.code == 2 and "same file as --output" in run.stderr
    run = cli("fix", path, "-o", tmp_path / "missing" / "a.txt")
    assert run.code == 2 and "does not exist" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]


def test_fix_diff_writes_nothing_and_shows_the_change(cli, tmp_path):
    path = write(tmp_path / "data.txt", SMALL)
    run = cli("fix", path, "--diff")
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == f"--- {path}" and lines[1] == f"+++ {tmp_path / 'data.clean.txt'}"
    assert "-Hello  world, this is the first example." in lines
    assert "+Hello world, this is the first example." in lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]
    clean = write(tmp_path / "clean.txt", "Nothing wrong here at all.\n--SEPARATOR--\nNor anything wrong here.\n")
    run = cli("fix", clean, "--diff")
    assert run.code == 0 and run.stdout == ""


def test_unsafe_fixes_only_with_the_flag(cli, tmp_path):
    path = write(tmp_path / "data.txt", "Long enough example one.\n--SEPARATOR--\nlong enough  example one.\n--SEPARATOR--\nShort.\n")
    cli("fix", path)
    assert (tmp_path / "data.clean.txt").read_text().count("--SEPARATOR--") == 2
    cli("fix", path, "--unsafe-fixes")
    assert (tmp_path / "data.clean.txt").read_text() == "Long enough example one.\n"
    rejects = [json.loads(line) for line in (tmp_path / "data.rejects.jsonl").read_text().splitlines()]
    assert [(r["example"], r["rules"], r["duplicate_of"]) for r in rejects] == [
        (1, ["exact-duplicate"], 0),
        (2, ["short-example"], None),
    ]
    assert rejects[0]["text"] == "long enough  example one."


def test_preview_shows_the_split_with_visible_whitespace(cli, tmp_path):
    path = write(tmp_path / "data.txt", "one\u00a0two  \n--SEPARATOR--\n\n--SEPARATOR--\n\tthree\n--SEPARATOR--\nfour\n")
    run = cli("preview", path, "-n", "3")
    assert run.code == 0
    assert run.stdout.splitlines()[0] == f"{path}: 4 examples (split on '--SEPARATOR--')"
    assert "── example 0 · line 1 ──\n1 │ one⟨NBSP⟩two··\n" in run.stdout
    assert "── example 1 · line 3 ──\n      (empty)\n" in run.stdout
    assert "── example 2 · line 5 ──\n5 │ →three\n" in run.stdout
    assert "… 1 more" in run.stdout


def test_rules_table_and_rule_docs(cli):
    run = cli("rules")
    assert run.code == 0
    for name in ["file-size", "example-count", "short-example", "excessive-whitespace", "empty-example",
                 "exact-duplicate", "near-duplicate", "repetitive-example", "separator-in-text"]:
        assert re.search(rf"PD\d+\s+{name}\s", run.stdout), name
    by_name, by_code = cli("rule", "near-duplicate"), cli("rule", "PD202")
    assert by_name.stdout == by_code.stdout
    assert by_name.stdout.startswith("PD202 near-duplicate\n")
    assert "Fails" in by_name.stdout and "Passes" in by_name.stdout
    assert re.search(r"threshold\s+float\s+0.8", by_name.stdout)
    run = cli("rule", "nope")
    assert run.code == 2 and "unknown rule 'nope'" in run.stderr


BAD_INPUTS = {
    "missing file": (None, "no such file"),
    "directory": ("DIR", "is a directory"),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte"),
    "empty file": (b"", "the file is empty"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
@pytest.mark.parametrize("subcommand", ["lint", "fix", "preview"])
def test_bad_input_is_one_line_and_exit_2(command, tmp_path, case, subcommand):
    content, expected = BAD_INPUTS[case]
    path = tmp_path / "data.txt"
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    run = command(subcommand, path)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"prepdata: error: {path}")
    assert expected in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["data.txt"])


def test_separator_that_never_occurs(command, tmp_path):
    path = write(tmp_path / "data.txt", "one\n###\ntwo\n")
    run = command("lint", path, "--separator", "@@@")
    assert run.code == 2
    assert run.stderr == f"prepdata: error: {path}:1: the separator '@@@' never occurs; check --separator, or leave it out to split the file automatically\n"


def test_usage_error_exits_2(command):
    run = command("lint")
    assert run.code == 2
    run = command("lint", SAMPLES / "verse.txt", "--output-format", "yaml")
    assert run.code == 2


def test_separator_value_may_start_with_dashes(command):
    run = command("preview", SAMPLES / "verse.txt", "--separator", "--SEPARATOR--", "-n", "0")
    assert run.code == 0
    assert "36 examples (split on '--SEPARATOR--')" in run.stdout


def test_readme_tables_are_generated_from_the_code():
    """The rules, schemas and platforms tables are what docs/tables.py writes from the code."""
    from conftest import ROOT

    run = subprocess.run([sys.executable, str(ROOT / "docs" / "tables.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    readme = (ROOT / "README.md").read_text()
    for rule in registry.discover():
        assert f"| {rule.code} | `{rule.name}` |" in readme, rule.name
    for schema in prepdata.schemas():
        assert f"| `{schema.name}` |" in readme, schema.name