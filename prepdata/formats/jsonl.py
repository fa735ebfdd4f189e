"""JSON Lines datasets: one JSON object per line, each a record of some schema.

The file's schema is the one most of its records have (``prepdata.schema``: chat,
prompt-completion, alpaca, sharegpt, ...), or the one ``--schema`` names. Each record's
texts are its fields, named by their JSON path (``messages[3].content``), those the model
learns to write marked as the target. A record of another schema, or a line that is not
JSON or not an object, makes an invalid record, reported by ``invalid-record``. Blank
lines are kept but are not records.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from typing import Any

import regex

from prepdata import registry
from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.files import DecodedText
from prepdata.formats import Piece
from prepdata.formats.records import RecordLayout, read_record
from prepdata.schema import set_text

_LINE = regex.compile(r"[^\n]*\n|[^\n]+\Z")
_NON_ASCII_ESCAPE = regex.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")


@dataclasses.dataclass
class _Line:
    raw: str
    record: int | None  # the record index, None for a blank line


@dataclasses.dataclass
class JsonlLayout(RecordLayout):
    bom: bytes
    lines: list[_Line]
    objects: dict[int, Any]
    raws: dict[int, str]

    def pieces(self) -> Iterator[Piece]:
        for line in self.lines:
            yield Piece(line.record, line.raw, record=self.objects.get(line.record))

    def serialize(self, piece: Piece, changes: dict[str, str]) -> str:
        body = piece.raw.rstrip("\r\n")
        return _serialize(piece.record, changes, body) + piece.raw[len(body):]


def _serialize(record: Any, changes: dict[str, str], original: str) -> str:
    """The record with ``changes``, keys in their order, in the spacing and escaping style of
    the original line."""
    record = json.loads(json.dumps(record))  # a copy
    for path, text in changes.items():
        set_text(record, path, text)
    spaced = regex.search(r'"\s*:\s', original) is not None
    return json.dumps(
        record,
        ensure_ascii=_NON_ASCII_ESCAPE.search(original) is not None,
        separators=(", ", ": ") if spaced else (",", ":"),
    )


def parse_jsonl(decoded: DecodedText, *, path: str, size_bytes: int, schema: str | None = None) -> Dataset:
    lines: list[_Line] = []
    parsed: list[tuple[int, int, str, Any, str | None]] = []  # index, line, raw, object or None, error
    survey = Survey(forced=schema)
    for number, match in enumerate(_LINE.finditer(decoded.text), start=1):
        raw = match.group()
        body = raw.rstrip("\r\n")
        if not body.strip():
            lines.append(_Line(raw, None))
            continue
        index = len(parsed)
        lines.append(_Line(raw, index))
        obj, error = _load(body)
        survey.add(obj, error)
        parsed.append((index, number, body, obj, error))

    examples, invalid, objects, raws = [], [], {}, {}
    for index, number, body, obj, error in parsed:
        raws[index] = body
        item = survey.record(index, number, body, obj, error)
        if isinstance(item, InvalidRecord):
            invalid.append(item)
        else:
            objects[index] = obj
            examples.append(item)
    return Dataset(
        path=path,
        size_bytes=size_bytes,
        examples=examples,
        input_format="jsonl",
        shape=survey.shape,
        invalid_records=invalid,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=JsonlLayout(decoded.bom if decoded.encoding == "utf-8" else b"", lines, objects, raws),
    )


@dataclasses.dataclass
class Survey:
    """What the whole file decides about each record: its schema, the schema of most
    records (or the one ``--schema`` forces). Gathered record by record, so that a large
    file can be surveyed in one pass before its records are read again, a block at a time."""

    forced: str | None = None
    #: Records per detected schema name (None: no schema matched).
    schemas: Counter = dataclasses.field(default_factory=Counter)

    def __post_init__(self) -> None:
        if self.forced is not None:
            registry.schema_named(self.forced)  # an unknown name is a usage error now

    def add(self, obj: Any, error: str | None) -> None:
        if error is None:
            schema = registry.detect_schema(obj)
            self.schemas[schema.name if schema else None] += 1
            self._decided = None

    _decided: Any = None

    @property
    def shape(self) -> str:
        """The file's schema: forced, else the one most records have (the first in
        detection order on a tie), else ``text``."""
        return self.schema.name

    @property
    def schema(self):
        """``shape``'s schema, decided once the survey stops growing."""
        if self._decided is None:
            order = [schema.name for schema in registry.schemas()]
            counted = [name for name in order if self.schemas[name]]
            name = self.forced or (max(counted, key=lambda n: (self.schemas[n], -order.index(n))) if counted else "text")
            self._decided = registry.schema_named(name)
        return self._decided

    def record(self, index: int, line: int, body: str, obj: Any, error: str | None) -> Example | InvalidRecord:
        """The record read as an example of this file's schema, or why it cannot be one."""
        if error is None:
            fields, error = read_record(obj, self.schema, line)
        if error is not None:
            return InvalidRecord(index, line, error, body)
        return Example(index, fields, line, 1, record=obj)


def iter_pieces(lines: Iterable[str], survey: Survey, wanted: Container[int] | None = None) -> Iterator[tuple[Piece, Example | InvalidRecord | None]]:
    """The pieces of a file's lines (a BOM already dropped), each with its record as
    ``parse_jsonl`` reads it once ``survey`` has seen the whole file (with ``wanted``, only
    those records are parsed)."""
    index = 0
    for number, raw in enumerate(lines, start=1):
        body = raw.rstrip("\r\n")
        if not body.strip():
            yield Piece(None, raw), None
            continue
        obj, item = None, None
        if wanted is None or index in wanted:
            obj, error = _load(body)
            item = survey.record(index, number, body, obj, error)
        yield Piece(index, raw, record=obj), item
        index += 1


def iter_records(lines: Iterable[str], survey: Survey, wanted: Container[int] | None = None) -> Iterator[Example | InvalidRecord]:
    """The records of a file's lines; with ``wanted``, only those examples."""
    for _, item in iter_pieces(lines, survey, wanted):
        if item is not None and (wanted is None or isinstance(item, Example)):
            yield item


def survey_lines(lines: Iterable[str], schema: str | None = None) -> Survey:
    survey = Survey(forced=schema)
    for raw in lines:
        body = raw.rstrip("\r\n")
        if body.strip():
            survey.add(*_load(body))
    return survey


def _load(body: str) -> tuple[Any, str | None]:
    try:
        obj = json.loads(body)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: {error.msg} (column {error.colno})"
    except RecursionError:
        return None, "not valid JSON: nested too deeply"
    if not isinstance(obj, dict):
        return None, f"a JSON {type(obj).__name__.replace('dict', 'object').replace('list', 'array')}, not an object"
    return obj, None
