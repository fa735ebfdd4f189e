"""Fuzzing through the command line, in-process: arbitrary bytes, random separators,
malformed JSONL and CSV records, and JSON arrays of records of every schema's shape.

Whatever the input: the exit code is 0, 1 or 2 and nothing escapes as an exception. For
every input that reads (lint does not exit 2): fix accounts for every example (kept +
rejected = read), a second fix changes nothing, and lint of the cleaned file finds
nothing left to fix.

The suite runs the default number of inputs per test (tests/conftest.py); the long run,
over 10,000 inputs in all, is

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py

and its last result is recorded in tests/FUZZING.md.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from prepdata.cli import app

FUZZ_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
QUIET = ["--jobs", "1", "--quiet"]

PIECES = ["word", "Word", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u200b", "\ufeff", "é", "日本",
          "\x00", "\x07", "\ufffd", "--SEPARATOR--", "\n--SEPARATOR--\n", "##", "\"", ",", "{", "}", "[", "]"]
text_like = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)

record_values = st.one_of(st.text(max_size=30), text_like, st.integers(), st.none(), st.booleans(),
                          st.lists(st.integers(), max_size=3))
records = st.one_of(
    st.fixed_dictionaries({"prompt": record_values, "completion": record_values}),
    st.fixed_dictionaries({"text": record_values}),
    st.fixed_dictionaries({"messages": st.lists(st.fixed_dictionaries({
        "role": st.sampled_from(["system", "user", "assistant", "User", "Chatbot", "robot", 3]),
        "content": record_values}), max_size=4)}),
    st.dictionaries(st.text(max_size=8), record_values, max_size=3),
)
# Records shaped like each schema's, with any value where a text or a list should be: the
# schemas' checks meet every type.
anything = st.recursive(record_values, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(["role", "content", "type", "text", "from", "value", "parts",
                                                           "tool_calls", "function", "name", "arguments", "id",
                                                           "weight", "image_url", "url", "label"]), inner, max_size=4),
                        max_leaves=12)
schema_keys = ["messages", "conversations", "contents", "instruction", "input", "output", "chosen", "rejected",
               "prompt", "completion", "label", "segments", "system", "tools", "preferred_output",
               "non_preferred_output", "schemaVersion", "systemInstruction", "history", "images"]
schema_records = st.dictionaries(st.sampled_from(schema_keys), anything, min_size=1, max_size=4)
jsonl_lines = st.one_of(
    records.map(lambda record: json.dumps(record, ensure_ascii=False)),
    records.map(json.dumps),
    st.sampled_from(['{"prompt": "a",', "[1, 2]", "null", "", "   ", '{"prompt": "x", "completion": "y"} trailing',
                     '"just a string"', "{" * 50]),
    text_like,
)
csv_fields = st.one_of(text_like, st.text(max_size=20), st.sampled_from(['"', '""', 'a"b', "x,y"]))


@st.composite
def txt_inputs(draw):
    separator = draw(st.one_of(st.none(), st.sampled_from(["--SEPARATOR--", "###", "\n\n", "x", " "]),
                               st.text(min_size=1, max_size=5)))
    pieces = draw(st.lists(text_like, min_size=1, max_size=8))
    joiner = separator if separator is not None and draw(st.booleans()) else "\n--SEPARATOR--\n"
    data = joiner.join(pieces).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        data += draw(st.binary(max_size=20))
    arguments = ["--separator", separator] if separator is not None else []
    return "data.txt", data, arguments


@st.composite
def jsonl_inputs(draw):
    lines = draw(st.lists(jsonl_lines, min_size=1, max_size=8))
    ending = draw(st.sampled_from(["\n", "", "\r\n"]))
    return "data.jsonl", ending.join(lines).encode("utf-8", errors="surrogatepass") + ending.encode(), []


@st.composite
def csv_inputs(draw):
    header = draw(st.sampled_from(["prompt,completion", "text", "prompt,completion,extra", "a,b"]))
    rows = draw(st.lists(st.lists(csv_fields, min_size=1, max_size=3), max_size=6))

    def cell(value: str) -> str:
        return f'"{value}"' if draw(st.booleans()) else value

    lines = [header] + [",".join(cell(value) for value in row) for row in rows]
    return "data.csv", "\n".join(lines).encode("utf-8", errors="surrogatepass") + b"\n", []


@st.composite
def json_array_inputs(draw):
    elements = draw(st.lists(st.one_of(schema_records, records), max_size=6))
    indent = draw(st.sampled_from([None, 0, 1, 2, "\t"]))
    data = json.dumps(elements, indent=indent, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # a cut, a doubled comma, text after the end ...
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.sampled_from([b"", b",", b"]", b"x", b'"', b"\\"])) + data[position:]
    return "data.json", data, []


raw_inputs = st.tuples(st.sampled_from(["data.txt", "data.jsonl", "data.csv", "data.json", "data.parquet"]),
                       st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: b"PAR1" + b)),
                       st.just([]))


def _invoke(*arguments) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in arguments], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an escaped exception is what this test exists to find
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stdout, result.stderr)
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("prepdata: error: "), result.stderr
    return result.exit_code, result.stdout, result.stderr


def _check(name: str, data: bytes, arguments: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        code, stdout, _ = _invoke("lint", path, "--output-format", "json", *arguments, *QUIET)
        if code == 2:
            return  # refused with a clear message: nothing else to promise
        report = json.loads(stdout)["files"][0]
        read = report["examples"] + report["invalid_records"]
        auto_split = report["auto_split"]
        cleaned, rejects = Path(folder) / f"clean-{name}", Path(folder) / "rejects.jsonl"
        code, stdout, _ = _invoke("fix", path, "-o", cleaned, "--rejects", rejects, "--unsafe-fixes", *arguments, *QUIET)
        if code == 2:
            # Only a refusal to write a file that would not read back as intended is allowed.
            assert not cleaned.exists()
            return
        kept = int(re.search(r": (\d+) of (\d+) example\(s\)", stdout).group(1))
        removed = len(rejects.read_text(encoding="utf-8").splitlines())  # also any reader's line breaks
        assert kept + removed == read, stdout  # nothing lost
        if auto_split or not cleaned.stat().st_size:
            # Dropping examples may repack the paragraphs around them (README); a fix that
            # removed every example wrote an empty file, which lint refuses as empty.
            return
        code, stdout, stderr = _invoke("lint", cleaned, "--output-format", "json", *arguments, *QUIET)
        if code == 2:
            # One example left has no separator after it: a separator named with
            # --separator that never occurs is refused (it is usually a typo).
            assert kept == 1 and "never occurs" in stderr, stderr
            return
        assert [f for f in json.loads(stdout)["findings"] if f["fix"]] == []  # nothing left to fix
        again = Path(folder) / f"again-{name}"
        _invoke("fix", cleaned, "-o", again, "--rejects", Path(folder) / "again.jsonl", "--unsafe-fixes",
                *arguments, *QUIET)
        assert again.read_bytes() == cleaned.read_bytes()  # idempotent


@FUZZ_SETTINGS
@given(case=raw_inputs)
def test_arbitrary_bytes(case):
    _check(*case)


@FUZZ_SETTINGS
@given(case=txt_inputs())
def test_text_with_random_separators(case):
    _check(*case)


@FUZZ_SETTINGS
@given(case=jsonl_inputs())
def test_malformed_jsonl(case):
    _check(*case)


@FUZZ_SETTINGS
@given(case=csv_inputs())
def test_malformed_csv(case):
    _check(*case)


@FUZZ_SETTINGS
@given(case=json_array_inputs())
def test_json_arrays_of_every_schemas_shape(case):
    _check(*case)


@FUZZ_SETTINGS
@given(lines=st.lists(schema_records.map(json.dumps), min_size=1, max_size=6))
def test_jsonl_of_every_schemas_shape(lines):
    _check("data.jsonl", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), [])
