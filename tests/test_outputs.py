"""Each report format, read back by a real consumer of it, field by field."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from conftest import ROOT, write

from prepdata.report import WrittenArray, json_chunks

SCHEMA = ROOT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"

BODY = [
    "The first example has  two spaces in it.",
    "",
    "A second example that is long enough to pass.",
    "The third example, trailing space here. ",
]


def _dataset(folder, examples=BODY, name="data.txt"):
    """A dataset inside a git repository, as in CI."""
    (folder / ".git").mkdir(exist_ok=True)
    (folder / "datasets").mkdir(exist_ok=True)
    return write(folder / "datasets" / name, "\n--SEPARATOR--\n".join(examples) + "\n")


def _lint(cli, path, output_format, *args):
    run = cli("lint", path, "--output-format", output_format, *args)
    assert run.code == 1, run
    return run.stdout


@pytest.fixture
def repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sarif_validates_and_carries_what_code_scanning_reads(cli, repository):
    path = _dataset(repository)
    sarif = json.loads(_lint(cli, path, "sarif"))
    if SCHEMA.exists():
        import jsonschema

        jsonschema.validate(sarif, json.loads(SCHEMA.read_text()))
    run = sarif["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {"PD101", "PD103", "PD001"} <= set(rules)
    whitespace = rules["PD103"]
    assert whitespace["shortDescription"]["text"].startswith("Spacing that carries no meaning")
    assert "Fix (safe)" in whitespace["fullDescription"]["text"] and whitespace["help"]["text"]
    assert whitespace["defaultConfiguration"]["level"] == "warning"
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in run["results"]}
    empty = results[("PD101", 3)]
    assert empty["level"] == "error" and empty["message"]["text"] == "example is empty"
    location = empty["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "datasets/data.txt"
    assert location["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 2}
    assert run["tool"]["driver"]["rules"][empty["ruleIndex"]]["id"] == "PD101"


def test_sarif_fingerprints_follow_the_example_not_its_line(cli, repository):
    path = _dataset(repository)

    def fingerprints():
        results = json.loads(_lint(cli, path, "sarif"))["runs"][0]["results"]
        return {(r["ruleId"], r["message"]["text"]): r["partialFingerprints"]["prepdataContent/v1"]
                for r in results if r["ruleId"] == "PD103"}

    before = fingerprints()
    assert len(before) == 2 and fingerprints() == before  # stable across runs
    write(path, "\n--SEPARATOR--\n".join(["A new example added at the top, long enough.", *BODY]) + "\n")
    assert fingerprints() == before  # unchanged though every line below moved


def test_github_annotations_are_escaped_workflow_commands(cli, repository):
    path = _dataset(repository, name="odd,name:1.txt")
    lines = _lint(cli, path, "github").splitlines()
    pattern = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),title=([^,:]*)::(.*)$")
    parsed = [pattern.match(line).groups() for line in lines]
    assert ("error", "datasets/odd%2Cname%3A1.txt", "3", "1", "PD101 empty-example", "example is empty") in parsed
    assert all(not re.search(r"[\r\n]", message) for *_, message in parsed)
    assert len(parsed) == len(lines)


def test_gitlab_code_quality_report(cli, repository):
    issues = json.loads(_lint(cli, _dataset(repository), "gitlab"))
    assert {issue["check_name"] for issue in issues} >= {"PD101", "PD103"}
    empty = next(issue for issue in issues if issue["check_name"] == "PD101")
    assert empty["severity"] == "major" and empty["description"] == "PD101 [empty-example] example is empty"
    assert empty["location"] == {"path": "datasets/data.txt", "lines": {"begin": 3}}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_junit_has_a_case_per_rule_and_a_failure_per_finding(cli, repository):
    path = _dataset(repository)
    report = json.loads(_lint(cli, path, "json"))
    root = ElementTree.fromstring(_lint(cli, path, "junit"))
    suite = root.find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    ran = {f"{rule['code']} {rule['rule']}" for rule in report["summary"]["by_rule"]}
    assert ran <= set(cases) and "PD202 near-duplicate" in cases and len(cases) == int(suite.get("tests"))
    whitespace = cases["PD103 excessive-whitespace"].findall("failure")
    assert len(whitespace) == 2 and {f.get("type") for f in whitespace} == {"warning"}
    assert cases["PD202 near-duplicate"].findall("failure") == []
    failed = sum(1 for case in cases.values() if case.findall("failure"))
    assert int(suite.get("failures")) == failed == len(ran)


def test_json_lines_and_statistics(cli, repository):
    path = _dataset(repository)
    lines = [json.loads(line) for line in _lint(cli, path, "json-lines").splitlines()]
    report = json.loads(_lint(cli, path, "json"))
    assert [(f["code"], f["line"]) for f in lines] == [(f["code"], f["line"]) for f in report["findings"]]
    assert all(re.fullmatch(r"[0-9a-f]{16}", f["fingerprint"]) for f in lines)
    statistics = cli("lint", path, "--statistics").stdout.splitlines()
    assert any(re.fullmatch(r"\s+2\s+PD103\s+excessive-whitespace\s+fix: safe", line) for line in statistics)
    assert len(statistics) == len(report["summary"]["by_rule"])


def test_reports_go_to_the_output_file(cli, repository):
    path = _dataset(repository)
    run = cli("lint", path, "--output-format", "sarif", "-o", repository / "out.sarif")
    assert run.stdout == "" and json.loads((repository / "out.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("output_format", ["text", "json", "json-lines", "sarif", "github", "gitlab", "junit"])
def test_the_output_file_holds_what_stdout_shows(cli, repository, output_format):
    # Written in pieces (a large report is never one string): the pieces must add up.
    path = _dataset(repository, BODY * 700)  # reports of several times the 64 KiB a write takes
    shown = _lint(cli, path, output_format)
    cli("lint", path, "--output-format", output_format, "-o", repository / "report")
    assert (repository / "report").read_text(encoding="utf-8") == shown
    if output_format == "json":
        assert shown == json.dumps(json.loads(shown), indent=2, ensure_ascii=False) + "\n"
        report = json.loads(shown)
        assert len(report["findings"]) == report["summary"]["findings"] >= 2100


def test_arrays_made_while_written_read_as_the_lists_they_stand_for():
    items = [{"n": n, "text": "ä\u2028"} for n in range(5)]
    for made in (items, items[:0]):
        document = {"before": 1, "items": WrittenArray(len(made), lambda made=made: iter(made)), "after": [2]}
        assert "".join(json_chunks(document)) == json.dumps({"before": 1, "items": made, "after": [2]},
                                                            indent=2, ensure_ascii=False) + "\n"
    with pytest.raises(ValueError, match="promised 5 items and made 4"):
        "".join(json_chunks(WrittenArray(5, lambda: iter(items[:4]))))


def test_exit_zero_and_baselines(cli, repository):
    path = _dataset(repository)
    assert cli("lint", path, "--exit-zero").code == 0
    baseline = repository / "prepdata-baseline.json"
    run = cli("lint", path, "--write-baseline", baseline)
    assert run.code == 0 and baseline.exists()
    run = cli("lint", path, "--baseline", baseline)
    assert run.code == 0 and "PD1" not in run.stdout and "in the baseline" in run.stdout
    # A regression: a new example at the top moves every old finding down a line.
    write(path, "\n--SEPARATOR--\n".join(["A brand  new example, added later.", *BODY]) + "\n")
    report = json.loads(cli("lint", path, "--baseline", baseline, "--output-format", "json").stdout)
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("PD103", 1)]
    # A second empty example: one of the two is new, whichever it is.
    write(path, "\n--SEPARATOR--\n".join(["", *BODY]) + "\n")
    report = json.loads(cli("lint", path, "--baseline", baseline, "--output-format", "json").stdout)
    assert [f["code"] for f in report["findings"]] == ["PD101"]
    assert cli("lint", path, "--baseline", repository / "nope.json").code == 2


def test_output_formats_run_as_a_subprocess_too(command, tmp_path):
    path = _dataset(tmp_path)
    run = command("lint", path, "--output-format", "github", cwd=tmp_path)
    assert run.code == 1 and "::error file=datasets/data.txt,line=3,col=1,title=PD101 empty-example::" in run.stdout


def test_github_escapes_percent_line_breaks_and_property_separators():
    from prepdata.api import Finding, Severity
    from prepdata.output import render
    from prepdata.report import FileReport, Report

    finding = Finding("100% sure:\r\nsee, here", line=4, column=2, code="PX001", rule="odd:rule,name",
                      severity=Severity.INFO, path="a,b:c.txt")
    file = FileReport("a,b:c.txt", "txt", "text", None, False, 1, 0, 10, 1, 1, 1, [finding])
    (line,) = render("github", Report(files=[file], rules=[])).splitlines()
    assert line == "::notice file=a%2Cb%3Ac.txt,line=4,col=2,title=PX001 odd%3Arule%2Cname::100%25 sure:%0D%0Asee, here"
