"""The streaming .txt reader splits exactly as parse_txt does, whatever the read size."""

from __future__ import annotations

import codecs
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from prepdata.dataset import Example, SeparatorSite
from prepdata.files import decode_text
from prepdata.formats.txt import parse_txt
from prepdata.formats.txt_stream import iter_auto_examples, iter_auto_pieces, iter_examples, iter_pieces

pieces = st.lists(st.sampled_from(["a", "b", " ", "\n", "\r\n", "é", "--", "S", "--S--", "\n--S--\n", "日本"]),
                  max_size=40).map("".join)


@settings(deadline=None)
@given(content=pieces, bom=st.booleans(), bad_byte=st.booleans(), read_bytes=st.integers(1, 17),
       separator=st.sampled_from(["--S--", "\n--S--\n", "\n--S--", "\r\n--S--\r\n"]))
def test_streamed_examples_equal_parse_txt(content, bom, bad_byte, read_bytes, separator):
    """Also for separators that hold their own line breaks (written as $'\\n%\\n')."""
    data = (codecs.BOM_UTF8 if bom else b"") + content.encode("utf-8") + (b"\xe9tail" if bad_byte else b"")
    if separator.encode() not in data or not data:
        return  # parse_txt refuses a file without its separator; the stream has no such rule
    expected = parse_txt(decode_text("x", data), separator=separator)
    streamed = list(iter_examples(io.BytesIO(data), separator, read_bytes))
    examples = [(e.index, e.text, e.line, e.column) for e in streamed if isinstance(e, Example)]
    sites = [s for s in streamed if isinstance(s, SeparatorSite)]
    assert examples == [(e.index, e.text, e.line, e.column) for e in expected.examples]
    assert sites == expected.separator_sites
    pieces = list(iter_pieces(io.BytesIO(data), separator, read_bytes))
    assert [piece for piece, _ in pieces] == list(expected.layout.pieces())
    assert [(e.index, e.text) for _, e in pieces if e is not None] == [x[:2] for x in examples]
    wanted = {e.index for e in expected.examples if e.index % 2}  # a second pass for some examples
    again = list(iter_examples(io.BytesIO(data), separator, read_bytes, wanted=wanted))
    assert [(e.index, e.text, e.line, e.column) for e in again] == [x for x in examples if x[0] in wanted]


def test_a_long_example_without_separators_is_read_in_linear_time():
    data = b"--S--\n" + b"x" * 3_000_000 + b"\n--S--\nend\n"
    streamed = [e for e in iter_examples(io.BytesIO(data), "--S--", 4096) if isinstance(e, Example)]
    assert [len(e.text) for e in streamed] == [0, 3_000_000, 3]


# Paragraph material with every kind of line break and blank character the splitter knows,
# and long words so that examples fill up and paragraphs get cut.
auto_pieces = st.lists(
    st.sampled_from(["word ", "x" * 700, "y" * 1900, "\n", "\r\n", "\n\n", "\r\n\r\n", " \t", "\u00a0", "\u200b",
                     "\u2028", "\f", "\r", "é", "日本"]),
    max_size=60,
).map("".join)


@settings(deadline=None)
@given(content=auto_pieces, bom=st.booleans(), read_bytes=st.integers(1, 64))
def test_automatically_split_examples_equal_parse_txt(content, bom, read_bytes):
    data = (codecs.BOM_UTF8 if bom else b"") + content.encode("utf-8")
    if not data:
        return  # an empty file is an input error before any splitting
    expected = parse_txt(decode_text("x", data), auto_split=True)
    streamed = [(e.index, e.text, e.line, e.column)
                for e in iter_auto_examples(io.BytesIO(data), read_bytes)]
    assert streamed == [(e.index, e.text, e.line, e.column) for e in expected.examples]
    pieces = list(iter_auto_pieces(io.BytesIO(data), read_bytes))
    assert [piece for piece, _ in pieces] == list(expected.layout.pieces())
    assert [(e.index, e.text, e.line, e.column) for _, e in pieces if e is not None] == streamed
    wanted = {index for index, *_ in streamed if index % 3 == 1}
    again = [(e.index, e.text, e.line, e.column) for e in iter_auto_examples(io.BytesIO(data), read_bytes, wanted)]
    assert again == [example for example in streamed if example[0] in wanted]


def test_a_long_paragraph_split_automatically_is_read_in_linear_time():
    data = ("para " * 600_000 + "\n\n\n" + " " * 2_000_000 + "\nnext\n").encode()
    streamed = list(iter_auto_examples(io.BytesIO(data), 4096))
    assert [len(e.text) for e in streamed] == [3_000_000, 4]
