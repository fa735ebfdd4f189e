"""JSON array datasets: one JSON array of records (``[ {...}, {...} ]``), the usual packaging
of Alpaca and ShareGPT data.

The array is cut into its elements by a scan that only follows strings and brackets, so
each record keeps its exact text and line: an element no fix touches is written back byte
for byte, with the separators and indentation around it. The same scan reads a whole
file or a stream of chunks (a large file a block at a time). Each element is parsed on
its own; one that is not JSON or not an object is an invalid record, as a bad JSONL line is.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Container, Iterable, Iterator
from typing import Any

import regex

from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.errors import InputError
from prepdata.files import DecodedText, encode_text
from prepdata.formats import Piece
from prepdata.formats.jsonl import _NON_ASCII_ESCAPE, Survey, _load, _serialize
from prepdata.formats.records import RecordLayout

# A string (escapes included; group 1 is its closing quote, missing when the chunk ends
# inside it), or one structural character. Numbers, true and null are not tokens: a scalar
# element is found by what stands between its separators.
_TOKEN = regex.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(")?|[\[\]{},]')
_WHITESPACE = " \t\r\n"
_CHUNK = 1 << 20


class ArrayScanner:
    """Cuts a JSON array's text, fed a chunk at a time, into pieces: what stands before the
    first element (``index`` None), then each element (``index`` 0, 1, ..., ``record`` its
    line number, ``follower`` the text up to the next element, or to the end of the file
    after the last). An array with no element is one piece of index None."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.buffer = ""
        self.scan_from = 0
        self.state = "before"  # before the '[', inside the array, or after its ']'
        self.depth = 0
        self.text_start = 0  # where the text not yet given out starts
        self.element_start: int | None = None
        self.separator_end = 0  # just after the '[' or the last ',' at the array's level
        self.closed_at = 0  # where the closing ']' stands
        self.element_line = 0
        self.pending: tuple[str, int] | None = None  # the last element, waiting for its follower
        self.index = 0
        self.line, self.line_at_offset = 1, 0  # a cursor: the line number of an offset

    def feed(self, chunk: str, final: bool = False) -> Iterator[Piece]:
        self.buffer += chunk
        buffer = self.buffer
        for match in _TOKEN.finditer(buffer, self.scan_from):
            at = match.start()
            if buffer[at] == '"':  # most tokens: handled here without copying the string
                if match.end(1) < 0:
                    if final:
                        raise self._error(at, "a string that never closes (a missing '\"'); correct the file")
                    break  # the chunk ends inside this string: wait for the next one
                self.scan_from = match.end()
                if self.depth != 1 or self.element_start is not None:
                    continue
            else:
                self.scan_from = match.end()
            yield from self._token(buffer[at], at)
        if final:
            yield from self._finish()
            return
        keep = self.text_start if self.element_start is None else min(self.text_start, self.element_start)
        self._line_of(keep)
        self.buffer = self.buffer[keep:]
        self.scan_from -= keep
        self.text_start -= keep
        self.separator_end = max(self.separator_end - keep, 0)
        self.closed_at -= keep
        self.line_at_offset -= keep
        if self.element_start is not None:
            self.element_start -= keep

    def _line_of(self, offset: int) -> int:
        self.line += self.buffer.count("\n", self.line_at_offset, offset)
        self.line_at_offset = offset
        return self.line

    def _token(self, token: str, at: int) -> Iterator[Piece]:
        if self.state == "before":
            if token != "[" or self.buffer[self.text_start:at].strip(_WHITESPACE):
                raise self._error(at, "not a JSON array of records; a .json file must hold [ {...}, ... ] "
                                      "(JSON Lines go in a .jsonl file)")
            self.state, self.depth = "inside", 1
            self.separator_end = at + 1
            return
        if self.state == "after":
            raise self._error(at, "text after the array's closing ']'; remove it")
        if self.depth == 1 and self.element_start is None:
            # The element starts at the first character after the separator: a scalar (a
            # number, true, null) is no token, and stray text before a '{' belongs to the
            # element, which then does not parse.
            between = self.buffer[self.separator_end:at]
            start = self.separator_end + len(between) - len(between.lstrip(_WHITESPACE))
            if start < at or token not in ",]":
                self.element_start, self.element_line = start, self._line_of(start)
                if self.pending is not None:
                    yield self._element(self.buffer[self.text_start:start])
                elif self.index == 0:
                    yield Piece(None, self.buffer[self.text_start:start])
        if token in "[{":
            self.depth += 1
        elif token in "]}":
            self.depth -= 1
            if self.depth == 0:
                self._end_element(at, closing=True)
                self.state, self.closed_at = "after", at
        elif token == "," and self.depth == 1:
            if self.element_start is None:
                raise self._error(at, "an empty element (two commas, or a comma after '['); remove the comma")
            self._end_element(at)
            self.separator_end = at + 1

    def _end_element(self, at: int, closing: bool = False) -> None:
        if self.element_start is None:
            if closing and self.index and self.pending is not None and self.buffer[self.text_start:at].strip(
                    _WHITESPACE) == ",":
                raise self._error(at, "a comma after the last element; remove it")
            return
        raw = self.buffer[self.element_start:at].rstrip(_WHITESPACE)
        self.pending = (raw, self.element_line)
        self.text_start = self.element_start + len(raw)
        self.element_start = None

    def _element(self, follower: str) -> Piece:
        raw, line = self.pending
        self.pending = None
        piece = Piece(self.index, raw, follower, record=line)
        self.index += 1
        return piece

    def _finish(self) -> Iterator[Piece]:
        if self.state != "after":
            if self.state == "before":
                raise self._error(len(self.buffer), "not a JSON array of records; a .json file must hold [ {...}, ... ]")
            raise self._error(len(self.buffer), "the JSON array never closes (a missing ']'); correct the file")
        rest = self.buffer[self.text_start:]
        if self.buffer[self.closed_at + 1:].strip(_WHITESPACE):
            raise self._error(self.closed_at + 1, "text after the array's closing ']'; remove it")
        if self.pending is not None:
            yield self._element(rest)
        else:
            yield Piece(None, rest)

    def _error(self, at: int, message: str) -> InputError:
        return InputError(f"{self.path}:{self._line_of(at)}: {message}")


def iter_array_pieces(chunks: Iterable[str], path: str) -> Iterator[Piece]:
    scanner = ArrayScanner(path)
    for chunk in chunks:
        yield from scanner.feed(chunk)
    yield from scanner.feed("", final=True)


def _chunks(text: str) -> Iterator[str]:
    for start in range(0, len(text), _CHUNK):
        yield text[start:start + _CHUNK]


def iter_records(pieces: Iterable[Piece], survey: Survey, wanted: Container[int] | None = None
                 ) -> Iterator[tuple[Piece, Example | InvalidRecord | None]]:
    """Each piece with its record as the file's schema reads it (with ``wanted``, only
    those records are parsed)."""
    for piece in pieces:
        if piece.index is None:
            yield piece, None
            continue
        obj, item = None, None
        if wanted is None or piece.index in wanted:
            obj, error = _load(piece.raw)
            item = survey.record(piece.index, piece.record, piece.raw, obj, error)
        yield dataclasses.replace(piece, record=obj), item


def survey_pieces(pieces: Iterable[Piece], schema: str | None = None) -> Survey:
    survey = Survey(forced=schema)
    for piece in pieces:
        if piece.index is not None:
            survey.add(*_load(piece.raw))
    return survey


def parse_json_array(decoded: DecodedText, *, path: str, size_bytes: int, schema: str | None = None) -> Dataset:
    pieces = list(iter_array_pieces(_chunks(decoded.text), path))
    loaded = {piece.index: _load(piece.raw) for piece in pieces if piece.index is not None}
    survey = Survey(forced=schema)
    for obj, error in loaded.values():
        survey.add(obj, error)
    examples, invalid, raws, kept = [], [], {}, []
    for piece in pieces:
        if piece.index is None:
            kept.append(piece)
            continue
        obj, error = loaded[piece.index]
        kept.append(dataclasses.replace(piece, record=obj))
        raws[piece.index] = piece.raw
        item = survey.record(piece.index, piece.record, piece.raw, obj, error)
        (invalid if isinstance(item, InvalidRecord) else examples).append(item)
    return Dataset(
        path=path, size_bytes=size_bytes, examples=examples, input_format="json", shape=survey.shape,
        invalid_records=invalid, encoding=decoded.encoding, bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=JsonArrayLayout(decoded.bom if decoded.encoding == "utf-8" else b"", kept, raws),
    )


@dataclasses.dataclass
class JsonArrayLayout(RecordLayout):
    """Writes the array back: the text before the first element, each kept element (raw, or
    serialized again in its own style when changed) after the separator that preceded it
    in the file, and the text after the last element."""

    bom: bytes
    held: list[Piece]
    raws: dict[int, str]

    def pieces(self) -> Iterator[Piece]:
        return iter(self.held)

    def serialize(self, piece: Piece, changes: dict[str, str]) -> str:
        return serialize_element(piece.record, changes, piece.raw)

    def original_of(self, piece) -> str:
        return piece.raw

    def render_pieces(self, pieces: Iterable[Piece], changes: dict[int, dict[str, str]], dropped: set[int],
                      file_actions: set[str], count: int) -> Iterator[bytes]:
        yield self.bom_for(file_actions)
        first, follower = True, None
        for piece in pieces:
            if piece.index is None:
                yield encode_text(piece.raw)
                continue
            if piece.index not in dropped:
                if not first:
                    yield encode_text(follower)
                text = self.serialize(piece, changes[piece.index]) if piece.index in changes else piece.raw
                yield encode_text(text)
                first = False
            follower = piece.follower
        if follower is not None:
            yield encode_text(follower)  # after the last element: what closes the array


def serialize_element(record: Any, changes: dict[str, str], original: str) -> str:
    """The element with ``changes``, in the original's style: on one line like a JSON Lines
    record, or indented as the file indents it."""
    if "\n" not in original:
        return _serialize(record, changes, original)
    lines = original.split("\n")
    inner = next((line for line in lines[1:] if line.strip()), "  ")
    closing = lines[-1]
    outer = closing[: len(closing) - len(closing.lstrip())]
    unit = inner[len(outer): len(inner) - len(inner.lstrip())] or "  "
    changed = json.loads(_serialize(record, changes, original))
    rendered = json.dumps(changed, indent=unit, ensure_ascii=_NON_ASCII_ESCAPE.search(original) is not None)
    return rendered.replace("\n", "\n" + outer)
