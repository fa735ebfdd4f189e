"""JSON arrays and Parquet keep the promises: what no fix touches comes back as it was
(a JSON array byte for byte, Parquet value for value), whatever the file's layout."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prepdata
from prepdata.errors import InputError
from prepdata.formats.jsonarray import iter_array_pieces

_words = st.lists(st.text("abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=8), min_size=1, max_size=8)
_clean = _words.map(" ".join)
_records = st.lists(st.fixed_dictionaries({"instruction": _clean, "input": st.just(""), "output": _clean}),
                    min_size=1, max_size=6)
_layouts = st.sampled_from([None, 1, 2, 4, "\t"])
_PROFILE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _elements(data: bytes) -> list[str]:
    return [piece.raw for piece in iter_array_pieces([data.decode("utf-8")], "x") if piece.index is not None]


@_PROFILE
@given(records=_records, indent=_layouts, ascii_only=st.booleans(), dirty=st.data())
def test_a_json_array_comes_back_byte_for_byte_but_for_the_record_fixed(records, indent, ascii_only, dirty, tmp_path):
    target = dirty.draw(st.integers(-1, len(records) - 1))  # -1: nothing to fix
    if target >= 0:
        records[target]["output"] = records[target]["output"] + "  and  more"
    text = json.dumps(records, indent=indent, ensure_ascii=ascii_only) + "\n"
    path = write(tmp_path / "data.json", text)
    result = prepdata.fix(path, select=["excessive-whitespace"])
    output = result.output_data()
    if target < 0:
        assert output == text.encode("utf-8")
        return
    fixed = json.loads(output)
    assert fixed[target]["output"] == records[target]["output"].replace("  ", " ")
    before, after = _elements(text.encode("utf-8")), _elements(output)
    assert [raw for i, raw in enumerate(after) if i != target] == [raw for i, raw in enumerate(before) if i != target]
    # Outside the elements, the array's own bytes are untouched too.
    assert output.replace(after[target].encode(), b"") == text.encode().replace(before[target].encode(), b"")


def test_a_dropped_element_takes_one_separator_with_it(tmp_path):
    text = '[\n  {"text": "one record here"},\n  {"text": ""},\n  {"text": "the last record"}\n]\n'
    path = write(tmp_path / "data.json", text)
    result = prepdata.fix(path, select=["empty-example"])
    assert result.output_data() == b'[\n  {"text": "one record here"},\n  {"text": "the last record"}\n]\n'
    last = write(tmp_path / "last.json", '[{"text": "kept record"}, {"text": "  "}]')
    assert prepdata.fix(last, select=["empty-example"]).output_data() == b'[{"text": "kept record"}]'


@pytest.mark.parametrize("text, message", [
    ('{"text": "an object, not an array"}', "not a JSON array"),
    ('[{"text": "a"}, {"text": "b"}', "never closes"),
    ('[{"text": "a"},, {"text": "b"}]', "an empty element"),
    ('[{"text": "a"}] trailing', "text after the array"),
])
def test_a_broken_array_is_one_input_error_naming_the_line(text, message, tmp_path, command):
    path = write(tmp_path / "data.json", text)
    with pytest.raises(InputError, match=message):
        prepdata.lint(path, input_format="json")
    run = command("lint", path, "--input-format", "json")
    assert run.code == 2 and message in run.stderr and "Traceback" not in run.stderr


_rows = st.lists(st.fixed_dictionaries({
    "messages": st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": _clean}),
                         min_size=2, max_size=2).map(lambda m: [{**m[0], "role": "user"}, {**m[1], "role": "assistant"}]),
    "score": st.one_of(st.none(), st.floats(allow_nan=False, width=32)),
    "tags": st.lists(_clean, max_size=2),
}), min_size=1, max_size=6)


@_PROFILE
@given(rows=_rows, codec=st.sampled_from(["zstd", "snappy", "gzip", "none"]), dirty=st.data())
def test_parquet_comes_back_value_for_value_with_its_schema_and_codec(rows, codec, dirty, tmp_path):
    target = dirty.draw(st.integers(-1, len(rows) - 1))
    if target >= 0:
        rows[target]["messages"][1]["content"] += "  and  more"
    path = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, compression=codec)
    result = prepdata.fix(path, select=["excessive-whitespace"])
    output = result.output_data()
    if target < 0:
        assert output == path.read_bytes()
        return
    cleaned = tmp_path / "clean.parquet"
    cleaned.write_bytes(output)
    before, after = pq.read_table(path), pq.read_table(cleaned)
    assert after.schema == before.schema
    assert pq.ParquetFile(cleaned).metadata.row_group(0).column(0).compression == \
        pq.ParquetFile(path).metadata.row_group(0).column(0).compression
    old, new = before.to_pylist(), after.to_pylist()
    assert [row for i, row in enumerate(new) if i != target] == [row for i, row in enumerate(old) if i != target]
    assert new[target]["messages"][1]["content"] == old[target]["messages"][1]["content"].replace("  ", " ")


_tricky = st.text(st.sampled_from(list('ab "\\[]{},:\n\té')), max_size=12)
_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), _tricky),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_tricky, inner, max_size=3), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(records=st.lists(st.dictionaries(_tricky, _values, max_size=4), max_size=6), indent=_layouts, cuts=st.data())
def test_a_json_array_cut_anywhere_scans_as_it_does_whole(records, indent, cuts):
    """A large file is scanned a chunk at a time: wherever the chunks end (inside a string,
    an escape, a number), the pieces are those of the whole text, and they add up to it."""
    text = json.dumps(records, indent=indent)
    whole = [(piece.index, piece.raw, piece.follower) for piece in iter_array_pieces([text], "x")]
    points = sorted(cuts.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    chunks = [text[a:b] for a, b in zip([0, *points], [*points, len(text)])]
    assert [(piece.index, piece.raw, piece.follower) for piece in iter_array_pieces(chunks, "x")] == whole
    assert "".join(raw + follower for _, raw, follower in whole) == text
    assert [json.loads(raw) for index, raw, _ in whole if index is not None] == records


def test_fix_diff_shows_parquet_rows_as_json(tmp_path, command):
    path = tmp_path / "chat.parquet"
    rows = [{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": f"Hello  there, number {i}."}]}
            for i in range(3)]
    pq.write_table(pa.Table.from_pylist(rows), path)
    run = command("fix", path, "--diff", "--select", "excessive-whitespace")
    assert run.code == 1, run
    removed = [line for line in run.stdout.splitlines() if line.startswith("-{")]
    added = [line for line in run.stdout.splitlines() if line.startswith("+{")]
    assert len(removed) == len(added) == 3
    assert json.loads(added[0][1:])["messages"][1]["content"] == "Hello there, number 0."
    assert list(tmp_path.iterdir()) == [path]  # --diff writes nothing
