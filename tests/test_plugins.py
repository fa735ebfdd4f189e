"""Third-party rules: a local file with --rules, and the prepdata.rules entry-point group."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import write

SHOUTING_RULE = textwrap.dedent('''
    from prepdata import Applicability, Finding, Fix, Rule, Severity


    class NoShouting(Rule):
        """An example written in capitals.

        Fails: ``HELLO THERE``. Passes: ``Hello there``.
        """

        code = "PX101"
        name = "no-shouting"
        severity = Severity.ERROR
        fix_applicability = Applicability.SAFE

        def check(self, example):
            if example.text.isupper():
                yield Finding.at(example, "example is in capitals", fix=Fix.replace(example.text.lower()))
''')

DATA = "HELLO THERE, A LOUD EXAMPLE.\n--SEPARATOR--\nA quiet example, long enough.\n"


def test_local_rule_file_is_linted_listed_documented_and_fixed(cli, tmp_path):
    rule_file = write(tmp_path / "my_rules.py", SHOUTING_RULE)
    data = write(tmp_path / "data.txt", DATA)
    report = json.loads(cli("lint", data, "--rules", rule_file, "--select", "PX", "--output-format", "json").stdout)
    assert [(f["code"], f["rule"], f["example"], f["severity"]) for f in report["findings"]] == [
        ("PX101", "no-shouting", 0, "error")
    ]
    listing = cli("rules", "--rules", rule_file).stdout
    assert "PX101   no-shouting" in listing and "An example written in capitals." in listing
    assert cli("rule", "no-shouting", "--rules", rule_file).stdout.startswith("PX101 no-shouting\n")
    cli("fix", data, "--rules", rule_file, "--select", "no-shouting")
    assert (tmp_path / "data.clean.txt").read_text().startswith("hello there, a loud example.\n")


def test_rule_that_clashes_with_a_builtin_is_refused(cli, tmp_path):
    rule_file = write(tmp_path / "clash.py", SHOUTING_RULE.replace('"PX101"', '"PD101"'))
    run = cli("rules", "--rules", rule_file)
    assert run.code == 2 and "'PD101' is already used by prepdata_rules.empty_example.EmptyExample" in run.stderr


def test_rule_with_a_bad_name_is_refused(cli, tmp_path):
    rule_file = write(tmp_path / "bad.py", SHOUTING_RULE.replace('"no-shouting"', '"No Shouting"'))
    run = cli("rules", "--rules", rule_file)
    assert run.code == 2 and "must be kebab-case" in run.stderr


def test_rule_that_raises_is_an_error_naming_rule_and_example(command, tmp_path):
    broken = SHOUTING_RULE.replace("if example.text.isupper():", "if example.index == 1:\n            raise ValueError('boom')\n        if False:")
    rule_file = write(tmp_path / "broken.py", broken)
    data = write(tmp_path / "data.txt", DATA)
    run = command("lint", data, "--rules", rule_file)
    assert run.code == 2
    assert f"rule PX101 no-shouting ({rule_file}) failed on example 1: ValueError: boom" in run.stderr
    assert "Traceback" not in run.stderr


def test_entry_point_plugin_is_found(tmp_path):
    """A package that declares a prepdata.rules entry point is picked up with no flag."""
    site = tmp_path / "site"
    (site / "shouting_plugin").mkdir(parents=True)
    (site / "shouting_plugin" / "__init__.py").write_text(SHOUTING_RULE)
    dist = site / "shouting_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shouting-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[prepdata.rules]\nshouting = shouting_plugin\n")
    data = write(tmp_path / "data.txt", DATA)
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r}); from prepdata.cli import main; "
        f"sys.argv = ['prepdata', 'lint', {str(data)!r}, '--select', 'no-shouting']; main()"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert f"{data}:1:1: PX101 [no-shouting] example is in capitals" in run.stdout


def test_keep_going_turns_a_failing_rule_into_an_error_and_keeps_the_others(command, tmp_path):
    broken = SHOUTING_RULE.replace("if example.text.isupper():", "if example.index == 1:\n            raise ValueError('boom')\n        if False:")
    rule_file = write(tmp_path / "broken.py", broken)
    data = write(tmp_path / "data.txt", DATA)
    complete = command("lint", data, "--output-format", "json")
    run = command("lint", data, "--rules", rule_file, "--keep-going", "--output-format", "json")
    assert run.code == 1 and run.stderr == ""
    findings = json.loads(run.stdout)["findings"]
    failed = [f for f in findings if f["code"] == "PX101"]
    assert len(failed) == 1 and failed[0]["severity"] == "error" and failed[0]["example"] == 1
    assert "rule PX101 no-shouting (" in failed[0]["message"] and "failed on example 1: ValueError: boom" in failed[0]["message"]
    others = [f for f in findings if f["code"] != "PX101"]
    assert others == json.loads(complete.stdout)["findings"]


def test_rules_are_never_loaded_from_beside_the_dataset(command, tmp_path):
    """A module inside the dataset's folder that shadows prepdata's rules package, and the
    working directory being that folder, load nothing from it."""
    marker = tmp_path / "imported"
    for name in ("prepdata_rules.py", "rules.py", "conftest.py"):
        write(tmp_path / name, f"open({str(marker)!r}, 'w').write('{name}')\n")
    data = write(tmp_path / "data.txt", DATA)
    run = command("lint", data, "--output-format", "json", cwd=tmp_path)
    assert run.code in (0, 1) and not marker.exists()
    assert {f["rule"] for f in json.loads(run.stdout)["findings"]} >= {"file-size", "example-count"}
