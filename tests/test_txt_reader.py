"""How a .txt file splits into examples, where each sits, and that it writes back unchanged."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prepdata.errors import InputError
from prepdata.formats.txt import AUTO_TARGET_CHARS, parse_txt, read_txt


def texts(content: str, **kwargs) -> list[str]:
    return [example.text for example in parse_txt(content, **kwargs).examples]


def round_trip(content: str, **kwargs) -> bytes:
    dataset = parse_txt(content, **kwargs)
    return dataset.layout.render({}, set())


def test_line_breaks_framing_a_separator_line_belong_to_the_separator():
    content = "one\ntwo\n--S--\nthree\n"
    assert texts(content, separator="--S--") == ["one\ntwo", "three"]


def test_blank_lines_beside_a_separator_stay_in_the_examples():
    assert texts("one\n\n--S--\n\ntwo\n", separator="--S--") == ["one\n", "\ntwo"]


def test_separator_inside_text_still_splits_and_is_recorded():
    dataset = parse_txt("one --S-- two\n--S--\nthree", separator="--S--")
    assert [e.text for e in dataset.examples] == ["one ", " two", "three"]
    assert [(s.line, s.column, s.own_line, s.after_example) for s in dataset.separator_sites] == [
        (1, 5, False, 0),
        (2, 1, True, 1),
    ]


def test_two_separators_in_a_row_make_an_empty_example():
    assert texts("a\n--S--\n--S--\nb", separator="--S--") == ["a", "", "b"]


def test_separator_at_the_end_of_the_file_closes_the_last_example():
    assert texts("a\n--S--\nb\n--S--\n", separator="--S--") == ["a", "b"]
    assert round_trip("a\n--S--\nb\n--S--\n", separator="--S--") == b"a\n--S--\nb\n--S--\n"


def test_separator_at_the_start_makes_an_empty_first_example():
    assert texts("--S--\na\n--S--\nb\n", separator="--S--") == ["", "a", "b"]


def test_crlf_is_read_as_lf_and_written_back_as_crlf():
    content = "one\r\ntwo\r\n--S--\r\nthree\r\n"
    dataset = parse_txt(content, separator="--S--")
    assert [e.text for e in dataset.examples] == ["one\ntwo", "three"]
    assert dataset.layout.render({}, set()) == content.encode()
    assert dataset.layout.render({1: {"text": "new\nlines"}}, set()) == b"one\r\ntwo\r\n--S--\r\nnew\r\nlines\r\n"


def test_bom_is_kept(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "é one\n--S--\ntwo\n".encode())
    dataset = read_txt(path, "--S--")
    assert dataset.examples[0].text == "é one"
    assert dataset.examples[0].column == 1
    assert dataset.layout.render({}, set()) == path.read_bytes()


def test_conventional_separator_is_detected_and_auto_split_overrides_it():
    content = "a\n--SEPARATOR--\nb\n"
    assert parse_txt(content).separator == "--SEPARATOR--"
    assert parse_txt(content, auto_split=True).separator is None


def test_positions_are_file_lines_and_columns():
    dataset = parse_txt("alpha\nbeta\n--S--\ngamma\n\ndelta --S--x", separator="--S--")
    assert [(e.line, e.column) for e in dataset.examples] == [(1, 1), (4, 1), (6, 12)]
    assert dataset.examples[1].position(7) == (6, 1)  # 'delta' is on line 6
    assert dataset.examples[2].position(0) == (6, 12)


def test_dropping_an_example_removes_its_separator():
    dataset = parse_txt("a\n--S--\nb\n--S--\nc\n", separator="--S--")
    assert dataset.layout.render({}, {1}) == b"a\n--S--\nc\n"
    assert dataset.layout.render({}, {2}) == b"a\n--S--\nb\n"
    assert dataset.layout.render({}, {0}) == b"b\n--S--\nc\n"
    assert dataset.layout.render({}, {0, 1, 2}) == b""


def test_separator_that_never_occurs_is_an_input_error():
    with pytest.raises(InputError, match="never occurs"):
        parse_txt("no separator here", separator="###", path="x.txt")


def test_empty_separator_is_an_input_error():
    with pytest.raises(InputError, match="separator is empty"):
        parse_txt("text", separator="", path="x.txt")


def test_auto_split_packs_paragraphs_up_to_the_target():
    paragraph = "word " * 150  # 749 characters once stripped
    content = "\n\n".join(paragraph.strip() for _ in range(5)) + "\n"
    examples = texts(content)
    assert len(examples) == 3  # two paragraphs fit in 2000 characters, three do not
    assert all(len(e) <= AUTO_TARGET_CHARS for e in examples)
    assert examples[0].count("\n\n") == 1
    assert round_trip(content) == content.encode()


def test_auto_split_never_cuts_a_paragraph_below_the_maximum():
    paragraph = "\n".join(["a line of text"] * 200)  # 2999 characters, one paragraph
    assert texts(paragraph) == [paragraph]


def test_auto_split_cuts_an_overlong_paragraph_at_line_breaks_only():
    line = "x" * 99
    paragraph = "\n".join([line] * 100)  # 9999 characters
    examples = texts(paragraph)
    assert len(examples) == 3
    assert all(set(e) <= {"x", "\n"} and not e.startswith("\n") for e in examples)
    assert "\n".join(examples) == paragraph
    assert round_trip(paragraph) == paragraph.encode()


def test_auto_split_keeps_surrounding_blank_lines_out_of_examples():
    content = "\n\n  \nfirst\n\n\n\nsecond\n\n"
    assert texts(content) == ["first\n\n\n\nsecond"]
    assert round_trip(content) == content.encode()


@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\t", "\n", "\r", "\x1c", "\x1f", "\x85", "\u00a0",
                                         "\u2028", "\u200b", "\ufeff", "\u3000", "\x0b"]), max_size=30))
def test_measured_length_collapses_whitespace_as_the_regex_does(text):
    from prepdata.formats.txt import _COLLAPSIBLE, _measure

    assert _measure(text) == len(_COLLAPSIBLE.sub(" ", text).strip())
