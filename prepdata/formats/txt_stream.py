"""Reading a .txt file in bounded memory, an example at a time.

``iter_examples`` yields the same examples and separator sites as ``parse_txt`` (same
text, index, line and column), while holding only the piece of text between two
separators (plus a read buffer) in memory; ``iter_auto_examples`` does the same for a file
split automatically, holding one example's paragraphs. Both are property-tested against
``parse_txt``.
"""

from __future__ import annotations

import codecs
from collections.abc import Container, Iterator
from typing import BinaryIO

from prepdata.dataset import Example, SeparatorSite
from prepdata.files import UTF8_BOM
from prepdata.formats import Piece
from prepdata.formats.txt import (
    BLANK_CHARACTERS,
    BLANK_LINE_RUN,
    LEADING_BLANK_LINES,
    NON_BLANK,
    body_end_of,
    framed,
    pack,
    paragraph_pieces,
)

READ_BYTES = 1 << 22


def iter_examples(
    stream: BinaryIO, separator: str, read_bytes: int = READ_BYTES, wanted: Container[int] | None = None
) -> Iterator[Example | SeparatorSite]:
    """Examples and separator sites, in file order, as ``parse_txt(..., separator)`` gives.

    ``stream`` is a UTF-8 file opened in binary mode (a BOM is skipped; bytes that are not
    UTF-8 come through as surrogate escapes, as everywhere in prepdata). With ``wanted``,
    only the examples of those indices, and no sites: a second pass for a few examples
    skips building the rest.
    """
    reader = _reader(stream, read_bytes)
    for index, start, stop, _, site in _separated_spans(reader, separator):
        if wanted is None:
            yield reader.example(index, start, stop)
            if site is not None:
                yield reader.site(*site, index)
        elif index in wanted:
            yield reader.example(index, start, stop)


def iter_pieces(stream: BinaryIO, separator: str, read_bytes: int = READ_BYTES) -> Iterator[tuple[Piece, Example | None]]:
    """The file's pieces as its TxtLayout holds them (a first, empty prefix; each example's
    raw text and the delimiter after it, or after the last the rest of the file), with
    the example each holds."""
    reader = _reader(stream, read_bytes)
    yield Piece(None, ""), None
    for index, start, stop, follower_stop, _ in _separated_spans(reader, separator):
        yield Piece(index, reader.slice(start, stop), reader.slice(stop, follower_stop)), reader.example(index, start, stop)


def _reader(stream: BinaryIO, read_bytes: int) -> _Text:
    return _Text(stream, codecs.getincrementaldecoder("utf-8")(errors="surrogateescape"), read_bytes)


def _separated_spans(reader: _Text, separator: str):
    """(index, start, stop, follower stop, site) per example, in order: the example is the
    text from start to stop, what follows it runs to follower stop, and the site is
    (position, on a line of its own) of the separator after it, None after the last."""
    index = 0
    piece = 0  # where the current example starts, in characters from the file's start
    search = 0
    pending = None  # the example before: what follows it is settled by the end of the file
    opens, closes = framed(separator)
    while True:
        found = reader.find(separator, search)
        if found == -1:
            break
        end = found + len(separator)
        reader.ensure(end + 2)  # the line break after it, if any
        before = 0 if opens or not found else reader.line_break_before(found)
        after = 0 if closes else reader.line_break_at(end)
        own_line = (opens or found == 0 or before > 0) and (closes or end == reader.length or after > 0)
        start, stop = found, end
        if own_line:
            start, stop = max(found - before, piece), end + after
        if pending is not None:
            yield pending
        pending = (index, piece, start, stop, (found, own_line))
        reader.forget_before(piece - 2)  # the pending example stays
        index += 1
        piece = search = stop
    reader.ensure_all()
    last = reader.slice(piece, reader.length)
    if pending is not None and not last.strip() and pending[4][1]:
        # A separator line that ends the file closes the last example.
        yield (*pending[:3], reader.length, pending[4])
        return
    if pending is not None:
        yield pending
    tail = reader.line_break_before(reader.length) if last else 0
    yield index, piece, reader.length - tail, reader.length, None


def iter_auto_examples(
    stream: BinaryIO, read_bytes: int = READ_BYTES, wanted: Container[int] | None = None
) -> Iterator[Example]:
    """The examples of a file split automatically, as ``parse_txt(..., auto_split=True)``
    gives; with ``wanted``, only those."""
    for piece, example in _auto_pieces(_reader(stream, read_bytes), wanted):
        if example is not None:
            yield example


def iter_auto_pieces(stream: BinaryIO, read_bytes: int = READ_BYTES) -> Iterator[tuple[Piece, Example | None]]:
    """As ``iter_pieces``, for a file split automatically: the first piece is the blank
    lines the file starts with."""
    return _auto_pieces(_reader(stream, read_bytes), None)


def _auto_pieces(reader: _Text, wanted: Container[int] | None):
    text_found = reader.search(NON_BLANK, 0) is not None  # so that the blank lines before it are all read
    leading = LEADING_BLANK_LINES.match(reader.window)
    body_start = leading.end() if leading else 0
    yield Piece(None, reader.slice(0, body_start)), None
    if not text_found and body_end_of(reader.window, body_start) <= body_start:
        return  # nothing but blank lines: no example
    examples = pack(_paragraphs(reader, body_start))
    for index, (raw, follower, (line, column)) in enumerate(examples):
        example = None
        if wanted is None or index in wanted:
            example = Example.of_text(index, raw.replace("\r\n", "\n"), line, column)
        yield Piece(index, raw, follower), example


def _paragraphs(reader: _Text, cursor: int):
    """(paragraph or piece of one, the text after it, its line and column) in file order,
    from ``cursor``, where a paragraph starts; after the last, the rest of the file."""
    while True:
        gap = reader.search(BLANK_LINE_RUN, cursor, _start_of_blank_tail)
        if gap is not None and reader.search(NON_BLANK, gap[1]) is not None:
            end, after = reader.match(BLANK_LINE_RUN, gap[0])  # whole, now that text follows it
        else:  # the last paragraph, and the blank lines that end the file
            reader.ensure_all()
            end, after = cursor + body_end_of(reader.slice(cursor, reader.length), 0), None
        following = reader.slice(end, after if after is not None else reader.length)
        for piece, piece_gap, offset in paragraph_pieces(reader.slice(cursor, end), following):
            yield piece, piece_gap, reader.position(cursor + offset)
        if after is None:
            return
        cursor = after
        reader.forget_before(cursor)


def _start_of_blank_tail(window: str) -> int:
    """Where the run of blank characters that ends ``window`` starts: a blank-line run not
    found yet can only start there, once more text is read."""
    return len(window.rstrip(BLANK_CHARACTERS))


class _Text:
    """The decoded file as a window of text that grows by reading and shrinks from the
    left once a piece is done, with line numbers counted once, in order."""

    def __init__(self, stream: BinaryIO, decoder, read_bytes: int) -> None:
        self.stream, self.decoder, self.read_bytes = stream, decoder, read_bytes
        self.window, self.base, self.done = "", 0, False
        self.line, self.counted, self.last_newline = 1, 0, -1
        self.first = True

    @property
    def length(self) -> int:
        return self.base + len(self.window)

    def _read(self) -> bool:
        if self.done:
            return False
        # The first read is long enough to see a whole byte-order mark.
        data = self.stream.read(max(self.read_bytes, len(UTF8_BOM)) if self.first else self.read_bytes)
        if not data:
            self.window += self.decoder.decode(b"", final=True)
            self.done = True
            return False
        if self.first and data.startswith(UTF8_BOM):
            data = data[len(UTF8_BOM):]
        self.first = False
        self.window += self.decoder.decode(data)
        return True

    def ensure(self, position: int) -> None:
        while self.length < position and self._read():
            pass

    def ensure_all(self) -> None:
        while self._read():
            pass

    def find(self, text: str, start: int) -> int:
        while True:
            found = self.window.find(text, max(start - self.base, 0))
            if found != -1:
                return self.base + found
            # Only an occurrence that reaches into the text still to be read can be new.
            start = max(start, self.length - len(text) + 1)
            if not self._read():
                return -1

    def search(self, pattern, start: int, resume=len) -> tuple[int, int] | None:
        """(start, end) of the first match of ``pattern`` at or after ``start``, reading
        on until there is one or the file ends. ``resume(window)`` says where in the window
        a match not found yet could still start once more is read."""
        while True:
            found = pattern.search(self.window, max(start - self.base, 0))
            if found:
                return self.base + found.start(), self.base + found.end()
            start = max(start, self.base + resume(self.window))
            if not self._read():
                return None

    def match(self, pattern, start: int) -> tuple[int, int]:
        found = pattern.match(self.window, start - self.base)
        return self.base + found.start(), self.base + found.end()

    def slice(self, start: int, stop: int) -> str:
        return self.window[start - self.base : stop - self.base]

    def line_break_before(self, position: int) -> int:
        relative = position - self.base
        if self.window.endswith("\r\n", 0, relative):
            return 2
        return 1 if self.window.endswith("\n", 0, relative) else 0

    def line_break_at(self, position: int) -> int:
        relative = position - self.base
        if self.window.startswith("\r\n", relative):
            return 2
        return 1 if self.window.startswith("\n", relative) else 0

    def forget_before(self, position: int) -> None:
        cut = max(0, position - self.base)
        # Copying the window is linear in its size: drop the text behind only once it is
        # most of the window, so each character is copied a bounded number of times.
        if cut > len(self.window) // 2:
            self._count_lines(position)  # lines in the text about to go
            self.window, self.base = self.window[cut:], self.base + cut

    def _count_lines(self, position: int) -> None:
        """Advance the line count to ``position`` (which never moves backwards)."""
        if position <= self.counted:
            return
        segment = self.slice(self.counted, position)
        newlines = segment.count("\n")
        if newlines:
            self.line += newlines
            self.last_newline = self.counted + segment.rfind("\n")
        self.counted = position

    def position(self, offset: int) -> tuple[int, int]:
        self._count_lines(offset)
        return self.line, offset - self.last_newline

    def example(self, index: int, start: int, stop: int) -> Example:
        line, column = self.position(start)
        return Example.of_text(index, self.slice(start, stop).replace("\r\n", "\n"), line, column)

    def site(self, start: int, own_line: bool, after_example: int) -> SeparatorSite:
        line, column = self.position(start)
        return SeparatorSite(line, column, own_line, after_example)
