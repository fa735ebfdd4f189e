"""Every schema's valid / invalid / fix cases, from tests/fixtures/schemas/<schema>.toml.

A file names its ``schema`` (and a default ``filename``); each case gives a ``file``:
- valid: the records are detected as the schema, and lint with no finding of
  record-schema or invalid-record without a platform, and with no error under each profile
  in ``platforms`` (every profile that takes the schema must be named by some valid case);
- invalid: exactly the ``problems`` listed, each on its record (``example``, ``line``), at
  its JSON ``path``, its ``message`` a substring, its ``severity`` (error by default);
- fix: after ``fix`` (safe fixes only), the file is ``fixed_file``: the rewritten field
  changed, every other byte of the file as it was; and ``fix --unsafe-fixes`` of a valid
  case drops no record for a schema reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import prepdata
from prepdata import platforms

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
SCHEMA_RULES = ["record-schema", "invalid-record"]


def _files():
    return {path.stem: tomllib.loads(path.read_text("utf-8")) for path in sorted(FIXTURES.glob("*.toml"))}


def _cases():
    for stem, data in _files().items():
        for number, case in enumerate(data["case"]):
            yield pytest.param(data, case, id=f"{stem}-{case['kind']}-{number}-{case['name']}")


def _write(data: dict, case: dict, tmp_path: Path) -> Path:
    path = tmp_path / case.get("filename", data.get("filename", "data.jsonl"))
    path.write_bytes(case["file"].encode("utf-8"))
    return path


def test_every_schema_has_fixtures_and_every_platform_a_valid_case():
    files = _files()
    for schema in prepdata.schemas():
        assert schema.name in files, f"{schema.name} has no fixture file"
        assert files[schema.name]["schema"] == schema.name
        kinds = {case["kind"] for case in files[schema.name]["case"]}
        assert {"valid", "invalid", "fix"} <= kinds, f"{schema.name} lacks {({'valid', 'invalid', 'fix'} - kinds)}"
    for name in platforms.names():
        for schema in platforms.load(name).schemas:
            covered = {p for case in files[schema]["case"] if case["kind"] == "valid" for p in case["platforms"]}
            assert name in covered, f"no valid {schema} case is checked under the {name} profile"


@pytest.mark.parametrize("data, case", list(_cases()))
def test_schema_case(data: dict, case: dict, tmp_path: Path):
    path = _write(data, case, tmp_path)
    if case["kind"] == "valid":
        report = prepdata.lint(path, select=SCHEMA_RULES)
        assert report.files[0].shape == data["schema"]
        assert [f.message for f in report.findings] == []
        for name in case["platforms"]:
            errors = [f.message for f in prepdata.lint(path, select=SCHEMA_RULES, platform=name).findings
                      if f.severity is prepdata.Severity.ERROR]
            assert errors == [], name
        result = prepdata.fix(path, select=SCHEMA_RULES, unsafe_fixes=True)
        assert result.rejects == []
    elif case["kind"] == "invalid":
        report = prepdata.lint(path, select=SCHEMA_RULES)
        assert report.files[0].shape == data["schema"]
        found = [(f.example, f.line, f.details.get("path"), f.message, str(f.severity)) for f in report.findings]
        assert len(found) == len(case["problems"]), found
        for want in case["problems"]:
            match = next((f for f in found if f[0] == want["example"] and f[2] == want["path"]
                          and want["message"] in f[3] and f[4] == want.get("severity", "error")
                          and want.get("line", f[1]) == f[1]), None)
            assert match is not None, f"no problem like {want} in {found}"
            found.remove(match)
    else:
        result = prepdata.fix(path, select=["excessive-whitespace"])
        assert result.output_data() == case["fixed_file"].encode("utf-8")
        again = prepdata.fix(_rewritten(tmp_path, path, result), select=["excessive-whitespace"])
        assert again.changed == {}, "fix is idempotent"


def _rewritten(tmp_path: Path, path: Path, result) -> Path:
    fixed = tmp_path / f"fixed{path.suffix}"
    fixed.write_bytes(result.output_data())
    return fixed
