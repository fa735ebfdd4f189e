"""CSV and TSV datasets: a header row naming the columns, then one example per row.

The columns name a record schema (``prompt`` and ``completion``; ``text``; Alpaca's
``instruction`` and ``output``; ``chosen`` and ``rejected`` ...), detected from the header
or named with ``--schema``; each row is read as a record of it, its cells as strings. Quoted fields may hold separators, quotes and line breaks. A file
without a header is read when the columns are named (``--columns prompt,completion``). A
row with the wrong number of fields, or a quote that never closes, makes an invalid record.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Container, Iterable, Iterator

import regex

from prepdata import registry
from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.errors import InputError, UsageError
from prepdata.files import DecodedText
from prepdata.formats import Piece
from prepdata.formats.records import RecordLayout, read_record
from prepdata.schema import Schema

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

    def pieces(self) -> Iterator[Piece]:
        for row in self.rows:
            yield Piece(row.record, row.raw, record=self.cells.get(row.record))

    def serialize(self, piece: Piece, changes: dict[str, str]) -> str:
        cells = list(piece.record)
        for name, text in changes.items():
            cells[self.columns.index(name)] = text.replace("\n", self.newline)
        buffer = io.StringIO()
        # The writer quotes a cell holding any character of its line terminator: with CRLF
        # both CR and LF force quotes, whatever the file's own line break.
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n").writerow(cells)
        ending = piece.raw[len(piece.raw.rstrip("\r\n")):]
        return buffer.getvalue()[: -len("\r\n")] + ending


def parse_delimited(
    decoded: DecodedText,
    *,
    path: str,
    size_bytes: int,
    delimiter: str,
    input_format: str,
    columns: tuple[str, ...] | None = None,
    schema: str | None = None,
) -> Dataset:
    text = decoded.text
    table = Table.read(_LINE.findall(text), path, delimiter, columns, schema)
    rows: list[_Row] = []
    examples, invalid, cells_by_record, raws = [], [], {}, {}
    for raw, cells, item in table.rows():
        if item is None:
            rows.append(_Row(raw, None))
            continue
        rows.append(_Row(raw, item.index))
        raws[item.index] = raw.rstrip("\r\n")
        if isinstance(item, InvalidRecord):
            invalid.append(item)
        else:
            cells_by_record[item.index] = cells
            examples.append(item)
    newline = "\r\n" if text.count("\r\n") * 2 >= text.count("\n") and "\r\n" in text else "\n"
    return Dataset(
        path=path,
        size_bytes=size_bytes,
        examples=examples,
        input_format=input_format,
        shape=table.shape,
        invalid_records=invalid,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=DelimitedLayout(
            decoded.bom if decoded.encoding == "utf-8" else b"", delimiter, newline, table.header,
            table.columns, rows, cells_by_record, raws,
        ),
    )


@dataclasses.dataclass
class Table:
    """A CSV or TSV file's columns, and its records still to be read (lazily, so a large
    file can be read a block at a time)."""

    path: str
    columns: tuple[str, ...]
    header: bool
    schema: Schema
    leading: list[tuple[int, str, list[str], str | None]]
    """The records up to and including the header row, already read to find it."""
    records: Iterator[tuple[int, str, list[str], str | None]]

    @classmethod
    def read(cls, lines: Iterable[str], path: str, delimiter: str, columns: tuple[str, ...] | None,
             schema: str | None = None) -> Table:
        """The table of ``lines`` (a BOM already dropped): its header is the first row that
        is not blank, unless ``columns`` names the columns of a file without one. The
        columns decide the schema, unless ``schema`` names it."""
        records = _records(lines, delimiter)
        leading = []
        header = columns is None
        if header:
            first = None
            for record in records:
                leading.append(record)
                if record[2] or record[3] is not None:
                    first = record
                    break
            if first is not None and first[3] is not None:
                raise InputError(f"{path}:{first[0]}: the header row cannot be read: {first[3]}; correct it")
            columns = tuple(cell.strip().lower() for cell in first[2]) if first else ()
        found = registry.schema_named(schema) if schema else registry.detect_schema(dict.fromkeys(columns, "x"))
        if found is None:
            if header:
                raise InputError(
                    f"{path}:1: no header row naming the columns of a record schema (prompt and completion, "
                    "text, instruction and output, ...); add one, or name the columns with --columns prompt,completion"
                )
            raise UsageError(f"--columns {','.join(columns)}: name prompt and completion, text, or the columns of "
                             "another record schema")
        return cls(path, tuple(columns), header, found, leading, records)

    @property
    def shape(self) -> str:
        return self.schema.name

    def rows(self, wanted: Container[int] | None = None) -> Iterator[tuple[str, list[str], Example | InvalidRecord | None]]:
        """(raw text, cells, the record read as an example or why it cannot be one) per row;
        None for a blank row or the header. With ``wanted``, only those examples."""
        for _, raw, _, _ in self.leading:
            if wanted is None:
                yield raw, [], None
        index = 0
        for start_line, raw, cells, error in self.records:
            if not cells and error is None:
                if wanted is None:
                    yield raw, cells, None
                continue
            if wanted is None or index in wanted:
                item = self._record(index, start_line, raw, cells, error)
                if wanted is None or isinstance(item, Example):
                    yield raw, cells, item
            index += 1

    def _record(self, index: int, start_line: int, raw: str, cells: list[str], error: str | None) -> Example | InvalidRecord:
        if error is None and len(cells) != len(self.columns):
            error = f"row has {len(cells)} fields, the header names {len(self.columns)}"
        if error is not None:
            return InvalidRecord(index, start_line, error, raw.rstrip("\r\n"))
        record = {name: cell.replace("\r\n", "\n") for name, cell in zip(self.columns, cells, strict=True)}
        fields, error = read_record(record, self.schema, start_line)
        if error is not None:
            return InvalidRecord(index, start_line, error, raw.rstrip("\r\n"))
        return Example(index, fields, start_line, 1, record=record)


def _records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, str, list[str], str | None]]:
    """(start line, raw text, cells, error) per CSV record; a record may span lines."""
    lines = iter(lines)
    number = 1
    while True:
        consumed: list[str] = []

        def feed():
            for line in lines:
                consumed.append(line)
                yield line

        reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        try:
            cells = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as problem:
            cells, error = [], _explain(problem, number)
            if "unexpected end of data" in str(problem):
                consumed.extend(lines)
        yield number, "".join(consumed), cells, error
        number += len(consumed)


def _explain(problem: csv.Error, line: int) -> str:
    message = str(problem)
    if "unexpected end of data" in message:
        return f"a quote opened on line {line} never closes"
    return f"malformed row: {message}"
