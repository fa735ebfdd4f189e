"""CSV and TSV datasets: a header row naming the columns, then one example per row.

The text columns are ``prompt`` and ``completion`` (the target), or ``text``; other columns
are kept as they are. Quoted fields may hold separators, quotes and line breaks. A file
without a header is read when the columns are named (``--columns prompt,completion``). A
row with the wrong number of fields, or a quote that never closes, makes an invalid record.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import regex

from prepdata.dataset import Dataset, Example, Field, InvalidRecord
from prepdata.errors import InputError, UsageError
from prepdata.files import DecodedText, encode_text
from prepdata.formats.records import RecordLayout

TEXT_COLUMNS = ("prompt", "completion", "text")
# Records end at LF (or CRLF); a lone CR is data, malformed outside quotes.
_LINE = regex.compile(r"[^\n]*\n|[^\n]+\Z")


@dataclasses.dataclass
class _Row:
    raw: str
    record: int | None  # record index; None for the header or a blank line


@dataclasses.dataclass
class DelimitedLayout(RecordLayout):
    bom: bytes
    delimiter: str
    newline: str
    header: bool
    columns: tuple[str, ...]
    rows: list[_Row]
    cells: dict[int, list[str]]
    raws: dict[int, str]

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str] = frozenset()) -> bytes:
        pieces = []
        for row in self.rows:
            if row.record in dropped:
                continue
            if row.record in changes:
                pieces.append(self._serialize(row, changes[row.record]))
            else:
                pieces.append(row.raw)
        return self.bom_for(file_actions) + encode_text("".join(pieces))

    def _serialize(self, row: _Row, changes: dict[str, str]) -> str:
        cells = list(self.cells[row.record])
        for name, text in changes.items():
            cells[self.columns.index(name)] = text.replace("\n", self.newline)
        buffer = io.StringIO()
        # The writer quotes a cell holding any character of its line terminator: with CRLF
        # both CR and LF force quotes, whatever the file's own line break.
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n").writerow(cells)
        ending = row.raw[len(row.raw.rstrip("\r\n")):]
        return buffer.getvalue()[: -len("\r\n")] + ending



def parse_delimited(
    decoded: DecodedText,
    *,
    path: str,
    size_bytes: int,
    delimiter: str,
    input_format: str,
    columns: tuple[str, ...] | None = None,
    profile: str | None = None,
) -> Dataset:
    text = decoded.text
    lines = [match.group() for match in _LINE.finditer(text)]
    records = list(_records(lines, delimiter))
    header = columns is None
    if header:
        first = next((r for r in records if r[2]), None)
        names = tuple(cell.strip().lower() for cell in first[2]) if first else ()
        if not set(names) & set(TEXT_COLUMNS):
            raise InputError(
                f"{path}:1: no header row naming prompt/completion or text columns; add one, "
                "or name the columns with --columns prompt,completion"
            )
        columns = names
    elif not set(columns) & set(TEXT_COLUMNS):
        raise UsageError(f"--columns {','.join(columns)}: name prompt and completion, or text")
    text_columns = [name for name in columns if name in TEXT_COLUMNS]
    if "prompt" in text_columns and "completion" not in text_columns:
        raise InputError(f"{path}:1: a prompt column needs a completion column")

    rows: list[_Row] = []
    examples, invalid, cells_by_record, raws = [], [], {}, {}
    newline = "\r\n" if text.count("\r\n") * 2 >= text.count("\n") and "\r\n" in text else "\n"
    header_pending = header
    for start_line, raw, cells, error in records:
        if not cells and error is None:
            rows.append(_Row(raw, None))
            continue
        if header_pending:
            rows.append(_Row(raw, None))
            header_pending = False
            continue
        index = len(raws)
        rows.append(_Row(raw, index))
        body = raw.rstrip("\r\n")
        raws[index] = body
        if error is None and len(cells) != len(columns):
            error = f"row has {len(cells)} fields, the header names {len(columns)}"
        if error is not None:
            invalid.append(InvalidRecord(index, start_line, error, body))
            continue
        cells_by_record[index] = cells
        record = dict(zip(columns, cells, strict=True))
        fields = tuple(
            Field(name, record[name].replace("\r\n", "\n"), target=name != "prompt", line=start_line, exact=False)
            for name in text_columns
        )
        examples.append(Example(index, fields, start_line, 1, record=record))
    return Dataset(
        path=path,
        size_bytes=size_bytes,
        examples=examples,
        input_format=input_format,
        shape="prompt-completion" if "prompt" in text_columns else "text",
        profile=profile,
        invalid_records=invalid,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=DelimitedLayout(
            decoded.bom if decoded.encoding == "utf-8" else b"", delimiter, newline, header, tuple(columns),
            rows, cells_by_record, raws,
        ),
    )


def _records(lines: list[str], delimiter: str):
    """(start line, raw text, cells, error) per CSV record; a record may span lines."""
    position = 0
    while position < len(lines):
        start = position
        consumed = []

        def feed():
            nonlocal position
            while position < len(lines):
                consumed.append(lines[position])
                position += 1
                yield lines[position - 1]

        reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        try:
            cells = next(reader)
            error = None
        except StopIteration:
            cells, error = [], None
        except csv.Error as problem:
            cells, error = [], _explain(problem, start + 1)
            if "unexpected end of data" in str(problem):
                position = len(lines)
                consumed = lines[start:]
        yield start + 1, "".join(consumed), cells, error


def _explain(problem: csv.Error, line: int) -> str:
    message = str(problem)
    if "unexpected end of data" in message:
        return f"a quote opened on line {line} never closes"
    return f"malformed row: {message}"
