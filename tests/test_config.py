"""Configuration files: found next to the dataset, merged under the command line, checked."""

from __future__ import annotations

import json

import pytest
from conftest import write

# Five examples, each with one whitespace problem; short enough for size and count warnings.
DATA = "".join(f"Example number {i} has  two spaces.\n--SEPARATOR--\n" for i in range(5))


def _rules(cli, *args) -> dict[str, int]:
    run = cli("lint", *args, "--output-format", "json")
    assert run.code in (0, 1), run
    return {entry["rule"]: entry["count"] for entry in json.loads(run.stdout)["summary"]["by_rule"]}


def test_pyproject_table_applies_and_the_command_line_wins(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.prepdata]\nselect = ["excessive-whitespace"]\n')
    data = write(tmp_path / "data.txt", DATA)
    assert _rules(cli, data) == {"excessive-whitespace": 5}
    assert _rules(cli, data, "--select", "file-size") == {"file-size": 1}
    assert set(_rules(cli, data, "--isolated")) >= {"excessive-whitespace", "file-size", "example-count"}


def test_the_closest_file_wins_and_a_pyproject_without_the_table_is_skipped(cli, tmp_path):
    write(tmp_path / "prepdata.toml", 'select = ["file-size"]\n')
    nested = tmp_path / "team" / "data"
    nested.mkdir(parents=True)
    write(tmp_path / "team" / ".prepdata.toml", 'select = ["example-count"]\n')
    write(nested / "pyproject.toml", '[project]\nname = "other-tool"\n')
    data = write(nested / "data.txt", DATA)
    assert _rules(cli, data) == {"example-count": 1}
    assert _rules(cli, data, "--config", tmp_path / "prepdata.toml") == {"file-size": 1}


def test_rule_options_by_name_or_code_severity_and_strict(cli, tmp_path):
    config = write(tmp_path / "prepdata.toml", """
select = ["file-size", "PD002"]
[rules.file-size]
min-bytes = 10
recommended_bytes = 10
[rules.PD002]
min_examples = 5
""")
    data = write(tmp_path / "data.txt", DATA)
    assert cli("lint", data).code == 0 and _rules(cli, data) == {}
    config.write_text(config.read_text().replace("min_examples = 5", "min_examples = 6\nseverity = \"info\""))
    run = cli("lint", data, "--output-format", "json")
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("example-count", "info")] and run.code == 0
    config.write_text(config.read_text().replace('severity = "info"', 'severity = "error"'))
    assert cli("lint", data).code == 1
    config.write_text("strict = true\n" + config.read_text().replace('severity = "error"', ""))
    assert cli("lint", data).code == 1  # a warning blocks in a strict configuration
    assert cli("lint", data, "-O", "example-count.min_examples=1").code == 0  # -O wins per key


def test_overrides_apply_to_the_files_their_globs_match(cli, tmp_path):
    write(tmp_path / "pyproject.toml", """
[tool.prepdata]
select = ["excessive-whitespace", "example-count"]

[[tool.prepdata.overrides]]
files = ["eval/*.txt"]
ignore = ["example-count"]
[tool.prepdata.overrides.rules.excessive-whitespace]
severity = "error"
""")
    (tmp_path / "eval").mkdir()
    train = write(tmp_path / "train.txt", DATA)
    evaluation = write(tmp_path / "eval" / "test.txt", DATA)
    assert _rules(cli, train) == {"excessive-whitespace": 5, "example-count": 1}
    report = json.loads(cli("lint", evaluation, "--output-format", "json").stdout)
    assert {(f["rule"], f["severity"]) for f in report["findings"]} == {("excessive-whitespace", "error")}


@pytest.mark.parametrize(("content", "message"), [
    ("colour = 1\n", "`colour` is not a prepdata setting; allowed: auto-split, columns,"),
    ('select = ["no-such-rule"]\n', '`select` names no rule: \'no-such-rule\''),
    ("[rules.no-such-rule]\nx = 1\n", "`rules.no-such-rule` names no rule"),
    ("[rules.near-duplicate]\nthreshhold = 0.9\n",
     "`rules.near-duplicate`: rule near-duplicate: unknown option 'threshhold'; its options are:"),
    ('[rules.near-duplicate]\nthreshold = "high"\n',
     "`rules.near-duplicate`: rule near-duplicate: option 'threshold' takes a float, not 'high'"),
    ('[rules.near-duplicate]\nseverity = "fatal"\n', "`rules.near-duplicate.severity` must be one of error, warning, info"),
    ("strict = 1\n", "`strict` must be true or false, not 1"),
    ('input-format = "xml"\n', "`input-format` must be one of txt, jsonl, json, csv, tsv, parquet, not 'xml'"),
    ('[[overrides]]\nfiles = "eval/*"\n', "`overrides[0].files` must be a non-empty list of glob patterns"),
    ("select = [\n", "not valid TOML"),
])
def test_configuration_errors_name_the_file_and_key_and_exit_2(command, tmp_path, content, message):
    config = write(tmp_path / "prepdata.toml", content)
    data = write(tmp_path / "data.txt", DATA)
    run = command("lint", data)
    assert run.code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"prepdata: error: {config}: ") and message in run.stderr
    assert command("lint", data, "--isolated").code == 1  # the same data without the file


def test_a_named_configuration_file_must_exist(cli, tmp_path):
    data = write(tmp_path / "data.txt", DATA)
    run = cli("lint", data, "--config", tmp_path / "missing.toml")
    assert run.code == 2 and "missing.toml: no such configuration file" in run.stderr
