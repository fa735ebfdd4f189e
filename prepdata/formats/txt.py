"""Plain-text datasets: examples split by a separator string, or split automatically.

Splitting on a separator
    The file is split on every occurrence of the exact separator string, as the upload
    platform does. When an occurrence fills a line of its own, the line breaks framing it
    belong to the separator, not to the examples around it. An occurrence inside running
    text splits too, and is recorded so that the ``separator-in-text`` rule can report it.
    One final line break of the file, or a separator on a line of its own that ends the
    file (followed by nothing but whitespace), ends the file rather than starting an empty
    example.

Splitting automatically (no separator)
    Paragraphs are blocks of lines between blank lines. Consecutive paragraphs are packed
    into one example while the example stays within ``AUTO_TARGET_CHARS`` characters; a
    paragraph is never cut unless it alone is longer than ``AUTO_MAX_CHARS``, in which case
    it is cut at line breaks (a single line is never cut). Lengths are measured with
    whitespace collapsed, so fixing whitespace never moves a boundary.

Every byte of the file belongs to exactly one piece: an example, a delimiter between two
examples, or the prefix/suffix of the file; writing the pieces back gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import regex

from prepdata.dataset import TEXT_FIELD, Dataset, Example, SeparatorSite
from prepdata.errors import InputError
from prepdata.files import FILE_ACTIONS, DecodedText, decode_text, encode_text, file_action_effect, read_dataset_bytes
from prepdata.formats import Piece
from prepdata.text import ODD_LINE_BREAKS, UNUSUAL_SPACES, ZERO_WIDTH, trailing_blank_start

#: The separator the platform's guide uses; taken when the user names none and it occurs.
CONVENTIONAL_SEPARATOR = "--SEPARATOR--"
AUTO_TARGET_CHARS = 2000
AUTO_MAX_CHARS = 4000

_LINE_BREAK = rf"(?:\r\n|[\n{ODD_LINE_BREAKS}])"
_BLANKISH = rf"[ \t{UNUSUAL_SPACES}{ZERO_WIDTH}]"
BLANK_LINE_RUN = regex.compile(rf"{_LINE_BREAK}(?:{_BLANKISH}*{_LINE_BREAK})+")
LEADING_BLANK_LINES = regex.compile(rf"(?:{_BLANKISH}*{_LINE_BREAK})+")
#: What may stand on a blank line, line breaks included.
BLANK_CHARACTERS = f" \t{UNUSUAL_SPACES}{ZERO_WIDTH}\n{ODD_LINE_BREAKS}"
NON_BLANK = regex.compile(f"[^{regex.escape(BLANK_CHARACTERS)}]")
_LINE_BREAK_RE = regex.compile(_LINE_BREAK)
_COLLAPSIBLE = regex.compile(rf"[\s{ZERO_WIDTH}]+")
_UNLIKE_STR_SPLIT = re.compile(f"[\x1c-\x1f{ZERO_WIDTH}]")


@dataclasses.dataclass
class TxtLayout:
    """A .txt file as pieces: the prefix, each example's raw text and the delimiter after it,
    and the suffix. When streamed, ``raws`` and ``delimiters`` are dicts holding only the
    examples asked for, and ``count`` says how many the file has."""

    bom: bytes
    newline: str
    prefix: str
    raws: list[str] | dict[int, str]
    delimiters: list[str] | dict[int, str]
    suffix: str
    separator: str | None
    count: int | None = None

    @property
    def examples(self) -> int:
        return len(self.raws) if self.count is None else self.count

    def pieces(self) -> Iterator[Piece]:
        yield Piece(None, self.prefix)
        for index, raw in enumerate(self.raws):
            yield Piece(index, raw, self.delimiters[index] if index < len(self.delimiters) else self.suffix)

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str] = frozenset()) -> bytes:
        return b"".join(self.render_pieces(self.pieces(), changes, dropped, file_actions, self.examples))

    def render_pieces(self, pieces: Iterable[Piece], changes: dict[int, dict[str, str]], dropped: set[int],
                      file_actions: set[str], count: int) -> Iterator[bytes]:
        last_kept = _last_kept(count, dropped)
        if last_kept is None:
            return  # nothing kept: an empty file
        yield b"" if file_actions & set(FILE_ACTIONS) else self.bom
        suffix = ""
        for piece in pieces:
            if piece.index == count - 1:
                suffix = piece.follower  # what follows the file's last example ends the file
            if piece.index is None:
                yield encode_text(piece.raw)
            elif piece.index not in dropped:
                if piece.index in changes:
                    yield encode_text(self._with_file_newlines(changes[piece.index][TEXT_FIELD]))
                else:
                    yield encode_text(piece.raw)
                if piece.index != last_kept:
                    yield encode_text(piece.follower)
        yield encode_text(self._after_last_kept(suffix, last_kept, count))

    def effect(self, action: str) -> dict:
        return file_action_effect(action)

    def _follower(self, index: int, last_kept: int) -> str:
        """What the file holds after example ``index``: the delimiter that went with it, or
        the suffix after the last example kept."""
        if index != last_kept:
            return self.delimiters[index]
        return self._after_last_kept(self.suffix, last_kept, self.examples)

    def _after_last_kept(self, suffix: str, last_kept: int, count: int) -> str:
        if last_kept != count - 1 and self.separator and suffix.startswith(self.separator):
            # The closing separator stood on its own line only thanks to the examples dropped
            # before it; keep it on its own line after the example that now comes last.
            return self.newline + suffix
        return suffix

    def original(self, index: int) -> str:
        return self.raws[index]

    def original_of(self, piece: Piece) -> str:
        """``original`` of the example a Piece holds."""
        return piece.raw

    def accepts(self, index: int, field: str, text: str, dropped: set[int]) -> bool:
        """False if ``text`` would split differently: it holds the separator, or its end
        would join what follows it into a new occurrence."""
        if self.separator is None:
            return True
        if self.separator in text:
            return False
        last_kept = _last_kept(self.examples, dropped)
        follower = self._follower(index, last_kept)
        expected = follower.find(self.separator)
        found = (text + follower).find(self.separator)
        return found == (len(text) + expected if expected != -1 else -1)

    def _with_file_newlines(self, text: str) -> str:
        return text.replace("\n", "\r\n") if self.newline == "\r\n" else text


def _last_kept(count: int, dropped: set[int]) -> int | None:
    last = count - 1
    while last in dropped:
        last -= 1
    return last if last >= 0 else None


def read_txt(
    path: str | Path,
    separator: str | None = None,
    *,
    auto_split: bool = False,
    display_path: str | None = None,
) -> Dataset:
    """Read a ``.txt`` dataset. With no separator, ``--SEPARATOR--`` is used when it occurs;
    otherwise (or with ``auto_split``) the file is split automatically."""
    shown = display_path or str(path)
    data = read_dataset_bytes(path)
    return parse_txt(decode_text(shown, data), path=shown, size_bytes=len(data), separator=separator,
                     auto_split=auto_split)


def parse_txt(
    content: str | DecodedText,
    *,
    path: str = "<text>",
    size_bytes: int | None = None,
    separator: str | None = None,
    auto_split: bool = False,
    require_separator: bool = True,
) -> Dataset:
    """Split ``content``. ``require_separator=False`` reads a file without the separator as
    one example (a cleaned file may keep only one); users get an error instead."""
    decoded = content if isinstance(content, DecodedText) else DecodedText(content, b"", "utf-8", ())
    content = decoded.text
    if size_bytes is None:
        size_bytes = len(decoded.bom) + len(encode_text(content))
    if separator == "":
        raise InputError(f"{path}: the separator is empty; pass the string that splits examples")
    if separator is None and not auto_split and CONVENTIONAL_SEPARATOR in content:
        separator = CONVENTIONAL_SEPARATOR
    if auto_split:
        separator = None
    if separator is not None:
        if separator not in content and require_separator:
            raise InputError(
                f"{path}:1: the separator {separator!r} never occurs; check --separator, "
                "or leave it out to split the file automatically"
            )
        prefix, raws, delimiters, suffix, sites = _split_on_separator(content, separator)
    else:
        prefix, raws, delimiters, suffix = _split_automatically(content)
        sites = []
    utf8_bom = decoded.bom if decoded.encoding == "utf-8" else b""
    layout = TxtLayout(utf8_bom, _dominant_newline(content), prefix, raws, delimiters, suffix, separator)
    return Dataset(
        path=path,
        size_bytes=size_bytes,
        examples=_examples_with_positions(content, prefix, raws, delimiters),
        input_format="txt",
        separator=separator,
        auto_split=separator is None,
        separator_sites=_site_positions(content, sites),
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=layout,
    )


def _dominant_newline(content: str) -> str:
    crlf = content.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= content.count("\n") else "\n"


def _line_break_before(content: str, position: int) -> int:
    """Length of the line break that ends just before ``position`` (0 if none)."""
    if content.endswith("\r\n", 0, position):
        return 2
    return 1 if content.endswith("\n", 0, position) else 0


def _line_break_at(content: str, position: int) -> int:
    if content.startswith("\r\n", position):
        return 2
    return 1 if content.startswith("\n", position) else 0


def framed(separator: str) -> tuple[bool, bool]:
    """Whether the separator brings its own line break before it and after it (``\n%\n``,
    a common way to write one): it then stands on a line of its own wherever it occurs,
    and the line breaks around it are the text's, not the separator's."""
    return separator.startswith(("\n", "\r")), separator.endswith(("\n", "\r"))


def _split_on_separator(content: str, separator: str):
    raws: list[str] = []
    delimiters: list[str] = []
    sites: list[tuple[int, bool, int]] = []
    piece_start = 0
    opens, closes = framed(separator)
    start = content.find(separator)
    while start != -1:
        end = start + len(separator)
        before = 0 if opens or not start else _line_break_before(content, start)
        after = 0 if closes else _line_break_at(content, end)
        own_line = (opens or start == 0 or before > 0) and (closes or end == len(content) or after > 0)
        delimiter_start, delimiter_end = start, end
        if own_line:
            delimiter_start = max(start - before, piece_start)
            delimiter_end = end + after
        raws.append(content[piece_start:delimiter_start])
        delimiters.append(content[delimiter_start:delimiter_end])
        sites.append((start, own_line, len(raws) - 1))
        piece_start = delimiter_end
        start = content.find(separator, piece_start)
    raws.append(content[piece_start:])
    suffix = ""
    last = raws[-1]
    if not last.strip() and sites[-1][1]:
        # A separator line that ends the file closes the last example instead of opening one.
        suffix = delimiters.pop() + raws.pop()
    else:
        tail = _line_break_before(last, len(last))
        if tail:
            suffix, raws[-1] = last[-tail:], last[:-tail]
    return "", raws, delimiters, suffix, sites


def _measure(text: str) -> int:
    """The length of ``text`` with each run of whitespace (zero-width characters included)
    one space, and none at either end."""
    if _UNLIKE_STR_SPLIT.search(text) is None:
        # str.split's whitespace is regex's \s but for these: the same, ten times as fast.
        return len(" ".join(text.split()))
    return len(_COLLAPSIBLE.sub(" ", text).strip())


def _split_automatically(content: str):
    leading = LEADING_BLANK_LINES.match(content)
    body_start = leading.end() if leading else 0
    body_end = body_end_of(content, body_start)
    prefix, suffix = content[:body_start], content[body_end:]
    body = content[body_start:body_end]
    if not body:
        return prefix, [], [], suffix

    def paragraphs():
        cursor = 0
        for gap in BLANK_LINE_RUN.finditer(body):
            yield from paragraph_pieces(body[cursor : gap.start()], gap.group())
            cursor = gap.end()
        yield from paragraph_pieces(body[cursor:], None)

    raws: list[str] = []
    delimiters: list[str] = []
    for raw, delimiter, _ in pack(paragraphs()):
        raws.append(raw)
        if delimiter is not None:
            delimiters.append(delimiter)
    return prefix, raws, delimiters, suffix


def body_end_of(content: str, body_start: int) -> int:
    """Where the blank lines that end the file begin (its end if it ends otherwise)."""
    trailing = trailing_blank_start(content, f" \t{UNUSUAL_SPACES}{ZERO_WIDTH}", f"\n{ODD_LINE_BREAKS}", body_start)
    return len(content) if trailing is None else trailing


def paragraph_pieces(paragraph: str, gap: str | None) -> list[tuple[str, str | None, int]]:
    """(piece, the text after it, where it starts in ``paragraph``) for a paragraph and the
    gap that follows it (None at the end of the file): one piece, or the pieces of a
    paragraph cut at line breaks."""
    pieces: list[str] = []
    cuts: list[str] = []
    _append_paragraph(paragraph, pieces, cuts)
    starts, offset = [], 0
    for piece, cut in zip(pieces, cuts + [""]):
        starts.append(offset)
        offset += len(piece) + len(cut)
    return list(zip(pieces, [*cuts, gap], starts, strict=True))


def pack(paragraphs: Iterable[tuple[str, str | None, Any]]) -> Iterator[tuple[str, str | None, Any]]:
    """(example, delimiter after it, the first paragraph's ``where``) from (paragraph, gap
    after it, where): consecutive paragraphs joined while the example stays within
    AUTO_TARGET_CHARS. After the last example comes the gap after the last paragraph."""
    chunk, chunk_size, gap_after_chunk, chunk_where = None, 0, None, None
    for paragraph, gap, where in paragraphs:
        size = _measure(paragraph)
        if chunk is None:
            chunk, chunk_size, chunk_where = paragraph, size, where
        elif chunk_size + 1 + size <= AUTO_TARGET_CHARS:
            chunk += gap_after_chunk + paragraph
            chunk_size += 1 + size
        else:
            yield chunk, gap_after_chunk, chunk_where
            chunk, chunk_size, chunk_where = paragraph, size, where
        gap_after_chunk = gap
    if chunk is not None:
        yield chunk, gap_after_chunk, chunk_where


def _append_paragraph(paragraph: str, paragraphs: list[str], gaps: list[str]) -> None:
    """Add a paragraph, cut at line breaks if it alone is longer than AUTO_MAX_CHARS."""
    if _measure(paragraph) <= AUTO_MAX_CHARS:
        paragraphs.append(paragraph)
        return
    # (start, end) of each line, and the line break that follows it.
    lines: list[tuple[int, int, str]] = []
    line_start = 0
    for line_break in _LINE_BREAK_RE.finditer(paragraph):
        lines.append((line_start, line_break.start(), line_break.group()))
        line_start = line_break.end()
    lines.append((line_start, len(paragraph), ""))
    piece_start, piece_size = 0, 0
    for index, (start, end, _) in enumerate(lines):
        size = _measure(paragraph[start:end])
        if piece_size and piece_size + 1 + size > AUTO_MAX_CHARS:
            previous_end, cut = lines[index - 1][1], lines[index - 1][2]
            paragraphs.append(paragraph[piece_start:previous_end])
            gaps.append(cut)
            piece_start, piece_size = start, 0
        piece_size += (1 if piece_size else 0) + size
    paragraphs.append(paragraph[piece_start:])


def _examples_with_positions(content: str, prefix: str, raws: list[str], delimiters: list[str]) -> list[Example]:
    examples = []
    offset = len(prefix)
    line = content.count("\n", 0, offset) + 1
    last_newline = content.rfind("\n", 0, offset)
    for index, raw in enumerate(raws):
        column = offset - last_newline
        examples.append(Example.of_text(index, raw.replace("\r\n", "\n"), line, column))
        advance = raw + (delimiters[index] if index < len(delimiters) else "")
        newlines = advance.count("\n")
        if newlines:
            line += newlines
            last_newline = offset + advance.rfind("\n")
        offset += len(advance)
    return examples


def _site_positions(content: str, sites: list[tuple[int, bool, int]]) -> list[SeparatorSite]:
    """Line and column of each separator occurrence, counting line breaks once, in order."""
    positions = []
    line, counted_to, last_newline = 1, 0, -1
    for start, own_line, after_example in sites:
        line += content.count("\n", counted_to, start)
        newline = content.rfind("\n", counted_to, start)
        if newline != -1:
            last_newline = newline
        counted_to = start
        positions.append(SeparatorSite(line, start - last_newline, own_line, after_example))
    return positions
