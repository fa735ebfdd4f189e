"""The Python API: lint and fix on a path or on a list of strings."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, write

import prepdata


def test_lint_a_list_of_strings():
    report = prepdata.lint(["A fine example that is long enough.", "", "a fine example  that is long enough."])
    found = sorted((f.rule, f.example) for f in report.findings if f.example is not None)
    assert found == [("empty-example", 1), ("exact-duplicate", 2), ("excessive-whitespace", 2)]
    assert report.exit_code() == 1  # an empty example is an error


def test_fix_a_list_of_strings_keeps_order_and_reports_rejects():
    result = prepdata.fix(["First  one, long enough.", "Short", "Second one, long enough."], unsafe_fixes=True)
    assert result.texts == ["First one, long enough.", "Second one, long enough."]
    assert [(r.example, r.rules, r.text) for r in result.rejects] == [(1, ["short-example"], "Short")]
    assert result.changed == {0: ["excessive-whitespace"]}
    with pytest.raises(prepdata.InputError):
        result.write("out.txt", "rejects.jsonl")


def test_fix_a_path_writes_only_when_asked(tmp_path):
    path = write(tmp_path / "data.txt", "One  example here.\n--SEPARATOR--\nAnother example here.\n")
    result = prepdata.fix(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]
    result.write(tmp_path / "out.txt", tmp_path / "rejects.jsonl")
    assert (tmp_path / "out.txt").read_text() == "One example here.\n--SEPARATOR--\nAnother example here.\n"
    assert (tmp_path / "rejects.jsonl").read_text() == ""


def test_lint_several_paths_and_options():
    report = prepdata.lint([SAMPLES / "verse.txt", SAMPLES / "clean.txt"], options={"file-size": {"min_bytes": 1000}})
    assert [file.examples for file in report.files] == [36, 1950]
    assert [f.rule for f in report.findings] == ["file-size", "example-count"]
    assert str(report.findings[0].severity) == "warning"  # above the lowered minimum
    assert json.loads(json.dumps(report.to_json()))["summary"]["files"] == 2


def test_options_must_name_a_known_rule_but_it_may_be_ignored():
    with pytest.raises(prepdata.UsageError, match="unknown rule 'no-such-rule'"):
        prepdata.lint(["text"], options={"no-such-rule": {"x": 1}})
    report = prepdata.lint(["text"], options={"PD202": {"threshold": 0.9}}, ignore=["near-duplicate"])
    assert "near-duplicate" not in {f.rule for f in report.findings}


def test_every_rule_documents_why_and_examples():
    from prepdata import registry

    for rule in registry.discover():
        doc = rule.documentation()
        assert "Why:" in doc and "Fails" in doc and "Passes" in doc, rule.name
