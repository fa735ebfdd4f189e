"""JSON Lines datasets: one JSON object per line, in one of three shapes.

- ``{"prompt": ..., "completion": ...}``: fields ``prompt`` and ``completion`` (the target);
- ``{"messages": [{"role": ..., "content": ...}, ...]}``: one field per message,
  ``messages[i].content``; the model's turns (assistant, Chatbot) are the target;
- ``{"text": ...}``: one field, ``text``.

The file's shape is the shape of most of its records; a record of another shape, a line
that is not JSON or not an object, or a missing or non-string text field makes an invalid
record, reported by ``invalid-record``. Blank lines are kept but are not records.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from typing import Any

import regex

from prepdata.dataset import Dataset, Example, Field, InvalidRecord
from prepdata.errors import UsageError
from prepdata.files import DecodedText
from prepdata.formats import Piece
from prepdata.formats.records import RecordLayout

SHAPES = ("messages", "prompt-completion", "text")
#: The roles of each chat convention; the last one of each is the model's.
PROFILES = {"openai": ("system", "user", "assistant"), "cohere": ("System", "User", "Chatbot")}
MODEL_ROLES = {roles[-1] for roles in PROFILES.values()}

_LINE = regex.compile(r"[^\n]*\n|[^\n]+\Z")
_NON_ASCII_ESCAPE = regex.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})")
_FIELD_PATH = regex.compile(r"messages\[(\d+)\]\.content")


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
    for name, text in changes.items():
        path = _FIELD_PATH.fullmatch(name)
        if path:
            record["messages"][int(path.group(1))]["content"] = text
        else:
            record[name] = text
    spaced = regex.search(r'"\s*:\s', original) is not None
    return json.dumps(
        record,
        ensure_ascii=_NON_ASCII_ESCAPE.search(original) is not None,
        separators=(", ", ": ") if spaced else (",", ":"),
    )


def _shape(record: dict) -> str | None:
    if "messages" in record:
        return "messages"
    if "prompt" in record or "completion" in record:
        return "prompt-completion"
    if "text" in record:
        return "text"
    return None


def parse_jsonl(decoded: DecodedText, *, path: str, size_bytes: int, profile: str | None = None) -> Dataset:
    check_profile(profile)
    lines: list[_Line] = []
    parsed: list[tuple[int, int, str, Any, str | None]] = []  # index, line, raw, object or None, error
    survey = Survey()
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
        profile=profile or survey.profile,
        majority_profile=survey.majority_profile,
        invalid_records=invalid,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=JsonlLayout(decoded.bom if decoded.encoding == "utf-8" else b"", lines, objects, raws),
    )


def check_profile(profile: str | None) -> None:
    if profile is not None and profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")


@dataclasses.dataclass
class Survey:
    """What the whole file decides about each record: the file's shape (the shape of most
    records) and its chat convention. Gathered record by record, so that a large file can
    be surveyed in one pass before its records are read again, a block at a time."""

    shapes: Counter = dataclasses.field(default_factory=Counter)
    #: Messages whose role belongs to each convention (openai, cohere).
    votes: Counter = dataclasses.field(default_factory=Counter)

    def add(self, obj: Any, error: str | None) -> None:
        if error is not None:
            return
        shape = _shape(obj)
        if shape:
            self.shapes[shape] += 1
        messages = obj.get("messages")
        if isinstance(messages, list):
            for message in messages:
                if isinstance(message, dict):
                    role = message.get("role")
                    self.votes.update(name for name, roles in PROFILES.items() if role in roles)

    @property
    def shape(self) -> str:
        if not self.shapes:
            return "text"
        return max(SHAPES, key=lambda shape: (self.shapes[shape], -SHAPES.index(shape)))

    @property
    def profile(self) -> str | None:
        """openai or cohere from the roles used; 'mixed' when both conventions occur."""
        seen = sorted(name for name in PROFILES if self.votes[name])
        if len(seen) > 1:
            return "mixed"
        return seen[0] if seen else None

    @property
    def majority_profile(self) -> str:
        """The convention most messages follow (the first by name on a tie)."""
        return max(sorted(PROFILES), key=lambda name: self.votes[name])

    def record(self, index: int, line: int, body: str, obj: Any, error: str | None) -> Example | InvalidRecord:
        """The record read as an example of this file's shape, or why it cannot be one."""
        if error is None:
            fields, error = _fields(obj, self.shape, line)
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


def survey_lines(lines: Iterable[str]) -> Survey:
    survey = Survey()
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


def _fields(obj: dict, file_shape: str, line: int) -> tuple[tuple[Field, ...], str | None]:
    shape = _shape(obj)
    if shape != file_shape:
        described = f"shaped as {shape}" if shape else "has none of messages, prompt/completion or text"
        return (), f"record {described}, but this file holds {file_shape} records"
    if shape == "messages":
        messages = obj["messages"]
        if not isinstance(messages, list):
            return (), None  # chat-schema reports it; the record has no text to check
        fields = tuple(
            Field(f"messages[{i}].content", message["content"], target=message.get("role") in MODEL_ROLES,
                  role=message.get("role"), line=line, exact=False)
            for i, message in enumerate(messages)
            if isinstance(message, dict) and isinstance(message.get("content"), str)
        )
        return fields, None
    names = ("prompt", "completion") if shape == "prompt-completion" else ("text",)
    for name in names:
        if name not in obj:
            return (), f"missing {name!r}"
        if not isinstance(obj[name], str):
            return (), f"{name!r} is a {type(obj[name]).__name__}, not a string"
    return tuple(Field(name, obj[name], target=name != "prompt", line=line, exact=False) for name in names), None
