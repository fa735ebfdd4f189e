r"""Every rule's pass / fail / fix cases, from tests/fixtures/rules/<rule-name>.toml.

A case gives its data as ``examples`` (a list of strings), as ``file`` (a file's text,
named ``filename``, data.txt by default) or as ``file_bytes`` (its bytes, with \xNN escapes),
with the reading settings it needs (``separator``, ``auto_split``, ``input_format``,
``columns``, ``profile``, ``schema``, ``platform``; ``against`` is the text of a training file named
``against_name``), optional rule ``options``, and:
- pass: the rule finds nothing;
- fail: exactly the ``findings`` listed (each matches on the keys it gives; ``message``
  is a substring);
- fix: after ``fix --unsafe-fixes`` with only this rule, the examples are ``fixed`` (or the
  file is ``fixed_file``), ``rejected`` lists the input indices in the rejects, and
  ``duplicate_of`` maps them to the example kept.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import pytest

import prepdata
from prepdata import registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.toml")):
        for number, case in enumerate(tomllib.loads(path.read_text("utf-8"))["case"]):
            yield pytest.param(path.stem, case, id=f"{path.stem}-{case['kind']}-{number}-{case['name']}")


def _source(case: dict, tmp_path: Path):
    if "file" in case or "file_bytes" in case:
        path = tmp_path / case.get("filename", "data.txt")
        if "file_bytes" in case:
            path.write_bytes(codecs.escape_decode(case["file_bytes"].encode())[0])
        else:
            path.write_bytes(case["file"].encode("utf-8"))
        return path
    return case["examples"]


def _settings(rule: str, case: dict, tmp_path: Path) -> prepdata.Settings:
    against = None
    if "against" in case:
        against = tmp_path / case.get("against_name", "train.txt")
        against.write_bytes(case["against"].encode("utf-8"))
    return prepdata.Settings(
        separator=case.get("separator"),
        auto_split=case.get("auto_split", False),
        input_format=case.get("input_format"),
        columns=case.get("columns"),
        profile=case.get("profile"),
        schema=case.get("schema"),
        platform=case.get("platform"),
        against=against,
        select=[rule],
        options={rule: case["options"]} if "options" in case else None,
    )


def test_every_builtin_rule_has_fixtures_of_each_kind():
    kinds: dict[str, set[str]] = {}
    for path in FIXTURES.glob("*.toml"):
        kinds[path.stem] = {case["kind"] for case in tomllib.loads(path.read_text("utf-8"))["case"]}
    for rule in registry.discover():
        assert rule.name in kinds, f"{rule.name} has no fixture file"
        wanted = {"pass", "fail"} | ({"fix"} if rule.fix_applicability else set())
        assert wanted <= kinds[rule.name], f"{rule.name} lacks {wanted - kinds[rule.name]} cases"


@pytest.mark.parametrize("rule, case", list(_cases()))
def test_rule_case(rule: str, case: dict, tmp_path: Path):
    source = _source(case, tmp_path)
    settings = _settings(rule, case, tmp_path)
    if case["kind"] in ("pass", "fail"):
        findings = prepdata.lint(source, settings).findings
        expected = case.get("findings", []) if case["kind"] == "fail" else []
        assert len(findings) == len(expected), [f.message for f in findings]
        unmatched = list(findings)
        for want in expected:
            match = next((f for f in unmatched if _matches(f, want)), None)
            assert match is not None, f"no finding like {want} in {[(f.example, f.line, f.column, f.message) for f in unmatched]}"
            unmatched.remove(match)
            assert match.rule == rule
        return
    result = prepdata.fix(source, settings, unsafe_fixes=True)
    if "fixed" in case:
        assert result.texts == case["fixed"]
    if "fixed_file" in case:
        assert result.output_bytes == case["fixed_file"].encode("utf-8")
    if "fixed_file_bytes" in case:
        assert result.output_bytes == codecs.escape_decode(case["fixed_file_bytes"].encode())[0]
    assert [reject.example for reject in result.rejects] == case.get("rejected", [])
    for index, kept in case.get("duplicate_of", {}).items():
        reject = next(r for r in result.rejects if r.example == int(index))
        assert reject.duplicate_of == kept
        assert reject.rules == [rule]
    # Nothing is lost: every input example is kept or rejected, once.
    kept_invalid = result.output.invalid if result.output else 0
    assert len(result.texts) + kept_invalid + len(result.rejects) == result.input.examples + result.input.invalid


def _matches(finding: prepdata.Finding, want: dict) -> bool:
    for key, value in want.items():
        if key == "message":
            if value not in finding.message:
                return False
        elif key == "severity":
            if str(finding.severity) != value:
                return False
        elif getattr(finding, key) != value:
            return False
    return True
