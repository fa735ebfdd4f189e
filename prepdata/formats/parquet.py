"""Parquet datasets (how Hugging Face stores datasets, and what together.ai also takes),
read through pyarrow: one record a row, its columns the record's keys.

A null is an absent key (Arrow gives every row every column of a struct, so a chat turn
without ``tool_calls`` reads back with ``tool_calls: null``). Findings name the row
(1-based) where other formats name the line. ``fix`` writes Parquet back with the input's
schema and compression; rows it does not touch keep their values, and a file with
nothing to change is written back as the very same bytes.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Container, Iterable, Iterator
from pathlib import Path
from typing import Any

from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.errors import InputError
from prepdata.formats import Piece
from prepdata.formats.jsonl import Survey
from prepdata.schema import set_text

MAGIC = b"PAR1"
_WRITE_ROWS = 10_000
#: Codec names as the file's metadata gives them, where the writer spells them otherwise.
_WRITER_CODECS = {"uncompressed": "none", "lz4_raw": "lz4"}


def is_parquet(path: str | Path, head: bytes) -> bool:
    return Path(path).suffix.lower() == ".parquet" or head[:4] == MAGIC


def _open(path: str | Path | bytes):
    import pyarrow as pa  # only a Parquet file pays for importing pyarrow
    import pyarrow.parquet as pq

    shown = "the cleaned file" if isinstance(path, bytes) else path
    try:
        return pq.ParquetFile(pa.BufferReader(path) if isinstance(path, bytes) else path)
    except Exception as error:  # pyarrow raises its own ArrowInvalid, OSError ...
        raise InputError(f"{shown}: not a readable Parquet file ({error}); check that the file is complete") from None


def data_size(path: str | Path) -> int:
    """The uncompressed size of the file's data, from its metadata."""
    metadata = _open(path).metadata
    return sum(metadata.row_group(group).total_byte_size for group in range(metadata.num_row_groups))


def iter_rows(path: str | Path | bytes) -> Iterator[dict]:
    """The rows of a Parquet file as dicts, a row group at a time."""
    parquet = _open(path)
    for group in range(parquet.num_row_groups):
        yield from parquet.read_row_group(group).to_pylist()


def present(value: Any) -> Any:
    """``value`` with every null-valued key left out (at any depth; list items stay, so
    that JSON paths keep their indices)."""
    if isinstance(value, dict):
        return {key: present(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [present(item) for item in value]
    return value


def row_text(row: dict) -> str:
    """A row as JSON, for the rejects file and for comparing rows."""
    return json.dumps(row, ensure_ascii=False, default=str)


def row_lines(source: str | Path | bytes) -> list[str]:
    """The rows as JSON, one a line: how a diff shows a Parquet file."""
    return [row_text(present(row)) + "\n" for row in iter_rows(source)]


def iter_records(rows: Iterable[dict], survey: Survey, wanted: Container[int] | None = None
                 ) -> Iterator[tuple[Piece, Example | InvalidRecord | None]]:
    """Each row as a piece (``record`` the row as stored) with its record as the file's
    schema reads it (with ``wanted``, only those records are read)."""
    for index, row in enumerate(rows):
        item = None
        if wanted is None or index in wanted:
            item = survey.record(index, index + 1, row_text(present(row)), present(row), None)
        yield Piece(index, "", record=row), item


def survey_rows(rows: Iterable[dict], schema: str | None = None) -> Survey:
    survey = Survey(forced=schema)
    for row in rows:
        survey.add(present(row), None)
    return survey


def parse_parquet(path: str, *, schema: str | None = None, data: bytes | None = None) -> Dataset:
    """The Parquet file at ``path`` (or its bytes, ``data``) as a dataset."""
    source = path if data is None else data
    size = Path(path).stat().st_size if data is None else len(data)
    rows = list(iter_rows(source))  # a file read whole is small: read it once, not once a pass
    survey = survey_rows(rows, schema)
    examples, invalid, pieces = [], [], []
    for piece, item in iter_records(rows, survey):
        pieces.append(piece)
        (invalid if isinstance(item, InvalidRecord) else examples).append(item)
    return Dataset(path=path, size_bytes=size, examples=examples, input_format="parquet", shape=survey.shape,
                   invalid_records=invalid, layout=ParquetLayout(path, pieces))


class _Sink:
    """A file pyarrow writes into, handing out what was written so far (``take``)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0
        self.closed = False

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


@dataclasses.dataclass
class ParquetLayout:
    """Writes a Parquet file back: the input's own bytes when nothing changes, else the
    kept rows (changed ones with their new texts) with the input's schema and codec."""

    path: str
    held: list[Piece]

    def pieces(self) -> Iterator[Piece]:
        return iter(self.held)

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str] = frozenset()) -> bytes:
        return b"".join(self.render_pieces(self.pieces(), changes, dropped, file_actions, len(self.held)))

    def render_pieces(self, pieces: Iterable[Piece], changes: dict[int, dict[str, str]], dropped: set[int],
                      file_actions: set[str], count: int) -> Iterator[bytes]:
        if not changes and not dropped:
            with open(self.path, "rb") as stream:
                while chunk := stream.read(1 << 20):
                    yield chunk
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        source = _open(self.path)
        metadata = source.metadata
        codec = metadata.row_group(0).column(0).compression.lower() if metadata.num_row_groups and \
            metadata.num_columns else "snappy"
        codec = _WRITER_CODECS.get(codec, codec)
        sink = _Sink()
        schema = source.schema_arrow
        with pq.ParquetWriter(sink, schema, compression=codec) as writer:
            rows: list[dict] = []
            for piece in pieces:
                if piece.index is None or piece.index in dropped:
                    continue
                row = piece.record
                if piece.index in changes:
                    row = copy.deepcopy(row)
                    for field, text in changes[piece.index].items():
                        set_text(row, field, text)
                rows.append(row)
                if len(rows) >= _WRITE_ROWS:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    rows = []
                    yield sink.take()
            if rows or not sink.written:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        yield sink.take()

    def accepts(self, index: int, field: str, text: str, dropped: set[int]) -> bool:
        return True

    def original(self, index: int) -> str:
        return row_text(present(self.held[index].record))

    def original_of(self, piece: Piece) -> str:
        return row_text(present(piece.record))

    def effect(self, action: str) -> dict:
        return {}

