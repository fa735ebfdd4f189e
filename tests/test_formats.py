"""JSONL, CSV and TSV: reading, locations, byte-for-byte round trips and the no-loss promise."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prepdata
from prepdata.formats import ReadOptions, detect_format, read

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text with what breaks naive writers: quotes, backslashes, separators, line breaks,
# non-ASCII, escapes, and whitespace the rules fix.
field_text = st.lists(
    st.sampled_from(list('ab c,;"\'\\\t\n\r{}[]:é日🙂\u00a0\u200b') + ["  ", "\r\n", "word"]), max_size=15
).map("".join)


@st.composite
def jsonl_files(draw):
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        record = {"prompt": draw(field_text), "completion": draw(field_text)}
        if draw(st.booleans()):
            record = {"id": draw(st.integers(0, 99)), **record, "meta": {"tags": [draw(field_text)]}}
        style = draw(st.sampled_from([{}, {"separators": (",", ":")}, {"ensure_ascii": False}]))
        lines.append(json.dumps(record, **style))
        if draw(st.integers(0, 5)) == 0:
            lines.append("")  # a blank line between records
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return (ending.join(lines) + draw(st.sampled_from([ending, ""]))).encode("utf-8")


@st.composite
def csv_files(draw, delimiter=","):
    buffer = io.StringIO()
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending,
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(["prompt", "completion", "source"])
    for _ in range(draw(st.integers(1, 6))):
        writer.writerow([draw(field_text), draw(field_text), draw(st.sampled_from(["web", "a,b", ""]))])
    return buffer.getvalue().encode("utf-8")


def _fix(tmp_path, name: str, data: bytes, unsafe: bool = True):
    path = tmp_path / name
    path.write_bytes(data)
    return prepdata.fix(path, unsafe_fixes=unsafe)


@FAST
@given(data=st.one_of(jsonl_files().map(lambda d: ("data.jsonl", d)), csv_files().map(lambda d: ("data.csv", d)),
                      csv_files("\t").map(lambda d: ("data.tsv", d))),
       unsafe=st.booleans())
def test_every_format_keeps_the_promises(tmp_path_factory, data, unsafe):
    tmp_path = tmp_path_factory.mktemp("formats")
    name, content = data
    result = _fix(tmp_path, name, content, unsafe)
    # Nothing is lost: cleaned + rejects = every record.
    kept_invalid = result.output.invalid if result.output else 0
    assert len(result.examples) + kept_invalid + len(result.rejects) == result.input.examples + result.input.invalid
    # Nothing to fix: byte for byte the same.
    if not any(f.fixable for f in result.input.findings):
        assert result.output_bytes == content
    # Fixed once is fixed: a second run changes nothing.
    if result.output_bytes:
        again = _fix(tmp_path, "again" + name[4:], result.output_bytes, unsafe)
        assert again.output_bytes == result.output_bytes
        assert again.rejects == [] and again.changed == {}


@FAST
@given(data=jsonl_files())
def test_rewritten_jsonl_records_keep_keys_order_and_unknown_keys(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("jsonl")
    result = _fix(tmp_path, "data.jsonl", data)
    original = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
    kept = {reject.example for reject in result.rejects}
    cleaned = [json.loads(line) for line in (result.output_bytes or b"").decode().splitlines() if line.strip()]
    survivors = [record for index, record in enumerate(original) if index not in kept]
    assert [list(record) for record in cleaned] == [list(record) for record in survivors]
    for before, after in zip(survivors, cleaned, strict=True):
        assert {k: v for k, v in before.items() if k not in ("prompt", "completion")} == {
            k: v for k, v in after.items() if k not in ("prompt", "completion")
        }


def test_findings_point_at_jsonl_lines_and_csv_rows(tmp_path):
    jsonl = write(tmp_path / "data.jsonl", '{"prompt": "a", "completion": "b  c"}\n\n{"prompt": "d", "completion": "e  f"}\n')
    report = prepdata.lint(jsonl, select=["excessive-whitespace"])
    assert [(f.example, f.line, f.field) for f in report.findings] == [(0, 1, "completion"), (1, 3, "completion")]
    table = write(tmp_path / "data.csv", 'prompt,completion\n"x","multi\nline  here"\n"y","z  z"\n')
    report = prepdata.lint(table, select=["excessive-whitespace"])
    assert [(f.example, f.line) for f in report.findings] == [(0, 2), (1, 4)]


def test_format_is_detected_from_suffix_then_content(tmp_path):
    assert detect_format("a.jsonl", "") == "jsonl"
    assert detect_format("a.tsv", "") == "tsv"
    assert detect_format("a.data", '{"text": "x"}\n') == "jsonl"
    assert detect_format("a.data", "prompt\tcompletion\nx\ty\n") == "tsv"
    assert detect_format("a.data", "prompt,completion\nx,y\n") == "csv"
    assert detect_format("a.data", "Just some prose.\n") == "txt"
    path = write(tmp_path / "data.txt", '{"text": "forced"}\n')
    assert read(path, ReadOptions(input_format="jsonl")).examples[0].text == "forced"


def test_csv_without_header_needs_named_columns(cli, tmp_path):
    path = write(tmp_path / "data.csv", "Say hi,Hi there friend.\nSay bye,Bye for now friend.\n")
    run = cli("lint", path)
    assert run.code == 2 and "no header row naming the columns of a record schema" in run.stderr
    run = cli("lint", path, "--columns", "prompt,completion", "--output-format", "json")
    report = json.loads(run.stdout)
    assert report["files"][0]["examples"] == 2
    run = cli("fix", path, "--columns", "prompt,completion", "-O", "file-size.min_bytes=0")
    assert (tmp_path / "data.clean.csv").read_bytes() == path.read_bytes()


def test_tsv_and_chat_preview(cli, tmp_path):
    path = write(tmp_path / "data.tsv", "text\tsource\nOne  line\tweb\n")
    run = cli("preview", path)
    assert "1 examples (tsv, text records)" in run.stdout and "One··line" in run.stdout
    chat = write(tmp_path / "chat.jsonl", '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hey\\u00a0you"}]}\n')
    run = cli("preview", chat)
    assert "messages[1].content (assistant):" in run.stdout and "Hey⟨NBSP⟩you" in run.stdout


def test_invalid_records_all_reported_in_one_run_through_the_cli(cli, tmp_path):
    path = write(tmp_path / "data.jsonl", "".join(
        '{"text": "fine example number %d"}\n' % i if i % 3 else "{broken %d\n" % i for i in range(12)
    ))
    report = json.loads(cli("lint", path, "--select", "invalid-record", "--output-format", "json").stdout)
    assert [f["line"] for f in report["findings"]] == [1, 4, 7, 10]
    assert report["files"][0]["invalid_records"] == 4


def test_invalid_utf8_is_a_finding_with_its_place_not_an_error(cli, tmp_path):
    path = write(tmp_path / "data.txt", b"fine line\nsecond line\ncaf\xe9 and cr\xe8me\n")
    run = cli("lint", path, "--select", "encoding")
    assert run.code == 1
    assert f"{path}:3:4: PD303 [encoding] byte 0xE9 at offset 25 not valid UTF-8" in run.stdout
    assert f"{path}:3:12: PD303 [encoding] byte 0xE8 at offset 33 not valid UTF-8" in run.stdout
    run = cli("preview", path)
    assert "caf⟨0xE9⟩ and cr⟨0xE8⟩me" in run.stdout
    cli("fix", path, "--select", "encoding")
    assert (tmp_path / "data.clean.txt").read_bytes() == path.read_bytes()


def test_utf16_is_read_reported_and_converted(cli, tmp_path):
    path = write(tmp_path / "data.txt", "One  example\n--SEPARATOR--\nTwo\n".encode("utf-16"))
    run = cli("lint", path, "--select", "encoding,excessive-whitespace")
    assert run.code == 1
    assert "the file is UTF-16, not UTF-8" in run.stdout and "2 spaces or tabs in a row" in run.stdout
    cli("fix", path)
    assert (tmp_path / "data.clean.txt").read_bytes() == b"One example\n--SEPARATOR--\nTwo\n"


def test_against_reports_leaks_with_both_places(cli, tmp_path):
    train = write(tmp_path / "train.jsonl", '{"prompt": "Capital of France?", "completion": "Paris, on the Seine."}\n')
    valid = write(tmp_path / "valid.jsonl", '{"prompt": "Capital of Spain?", "completion": "Madrid."}\n'
                                            '{"prompt": "capital of france?", "completion": "Paris,  on the Seine."}\n')
    run = cli("lint", valid, "--against", train, "--select", "leakage")
    assert run.code == 1
    assert f"{valid}:2:1: PD203 [leakage] an exact copy of train example 0 at {train}:1" in run.stdout


def test_exact_tokenizer_counts_tokens(tmp_path):
    tokenizers = pytest.importorskip("tokenizers")  # installed by the test extra
    from tokenizers import models, pre_tokenizers

    tokenizer = tokenizers.Tokenizer(models.WordLevel({"[UNK]": 0, "hello": 1, "world": 2}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    options = {"long-example": {"max_tokens": 3, "tokenizer": str(path)}}
    report = prepdata.lint(["hello world", "hello world hello world"], select=["long-example"], options=options)
    assert [(f.example, f.message) for f in report.findings] == [(1, f"example is 4 tokens ({path}); the limit is 3")]
    with pytest.raises(prepdata.UsageError, match="cannot load tokenizer"):
        prepdata.lint(["x"], select=["long-example"], options={"long-example": {"tokenizer": str(tmp_path / "nope.json")}})


def test_leakage_across_named_splits(command, tmp_path):
    """--against takes several files; each finding names the split it leaks from."""
    def records(*answers):
        return "".join(json.dumps({"prompt": f"Question about {a}?", "completion": f"The answer is {a}, of course."}) + "\n"
                       for a in answers)

    train = write(tmp_path / "train.jsonl", records("oak", "ash", "elm"))
    test = write(tmp_path / "test.jsonl", records("pine", "fir"))
    valid = write(tmp_path / "valid.jsonl", records("ash", "birch", "fir"))
    run = command("lint", valid, "--against", train, "--against", test, "--select", "leakage")
    assert run.code == 1, run
    lines = [line for line in run.stdout.splitlines() if "PD203 [leakage]" in line]
    assert lines == [f"{valid}:1:1: PD203 [leakage] an exact copy of train example 1 at {train}:2",
                     f"{valid}:3:1: PD203 [leakage] an exact copy of test example 1 at {test}:2"]
