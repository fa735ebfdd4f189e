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
from typing import Any

import regex

from prepdata.dataset import Dataset, Example, Field, InvalidRecord
from prepdata.errors import UsageError
from prepdata.files import DecodedText, encode_text
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

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str] = frozenset()) -> bytes:
        pieces = []
        for line in self.lines:
            if line.record is None:
                pieces.append(line.raw)
            elif line.record in dropped:
                continue
            elif line.record in changes:
                body = line.raw.rstrip("\r\n")
                ending = line.raw[len(body):]
                pieces.append(_serialize(self.objects[line.record], changes[line.record], body) + ending)
            else:
                pieces.append(line.raw)
        return self.bom_for(file_actions) + encode_text("".join(pieces))



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
    if profile is not None and profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    lines: list[_Line] = []
    parsed: list[tuple[int, int, str, Any, str | None]] = []  # index, line, raw, object or None, error
    for number, match in enumerate(_LINE.finditer(decoded.text), start=1):
        raw = match.group()
        body = raw.rstrip("\r\n")
        if not body.strip():
            lines.append(_Line(raw, None))
            continue
        index = len(parsed)
        lines.append(_Line(raw, index))
        parsed.append((index, number, body, *_load(body)))
    shapes = Counter(_shape(obj) for _, _, _, obj, error in parsed if error is None and _shape(obj))
    file_shape = max(SHAPES, key=lambda shape: (shapes[shape], -SHAPES.index(shape))) if shapes else "text"
    detected = profile or _detect_profile(obj for _, _, _, obj, error in parsed if error is None)

    examples, invalid, objects, raws = [], [], {}, {}
    for index, number, body, obj, error in parsed:
        raws[index] = body
        if error is None:
            fields, error = _fields(obj, file_shape, number)
        if error is not None:
            invalid.append(InvalidRecord(index, number, error, body))
            continue
        objects[index] = obj
        examples.append(Example(index, fields, number, 1, record=obj))
    return Dataset(
        path=path,
        size_bytes=size_bytes,
        examples=examples,
        input_format="jsonl",
        shape=file_shape,
        profile=detected,
        invalid_records=invalid,
        encoding=decoded.encoding,
        bom=bool(decoded.bom),
        invalid_bytes=decoded.invalid_bytes,
        layout=JsonlLayout(decoded.bom if decoded.encoding == "utf-8" else b"", lines, objects, raws),
    )


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


def _detect_profile(objects) -> str | None:
    """openai or cohere from the roles used; 'mixed' when both conventions occur."""
    seen = set()
    for obj in objects:
        messages = obj.get("messages")
        if isinstance(messages, list):
            for message in messages:
                if isinstance(message, dict):
                    role = message.get("role")
                    seen.update(name for name, roles in PROFILES.items() if role in roles)
    if len(seen) > 1:
        return "mixed"
    return seen.pop() if seen else None
