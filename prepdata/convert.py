"""``prepdata convert``: a dataset's records rewritten in another schema.

Each record is read by the file's schema into the common model (``prepdata.schema``) and
built by the target schema. What the target cannot hold (an image in a text-only schema,
a ``weight: 0`` turn where there are no weights, a tool call in Cohere chat) is not
dropped silently: the record goes to the rejects with the reason, as does a record that
could not be read. So converted + rejected = input, always. A ``.txt`` example is plain
text the model learns, written as a completion with an empty prompt, or as one assistant
turn.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

from prepdata import registry
from prepdata.api import Severity
from prepdata.dataset import Example
from prepdata.engine import Reject
from prepdata.errors import UsageError
from prepdata.schema import ConversionError, Lost, Mapped, Side, Text, Turn

#: What the rejects name as the rule that removed a record.
CONVERT = "convert"


@dataclasses.dataclass
class Converted:
    """The converted records in input order, and what could not be converted."""

    source_schema: str
    target_schema: str
    records: list[dict]
    rejects: list[Reject]
    total: int

    def encode(self, path: str | Path) -> bytes:
        """The records in the format the output's name asks for: a JSON array (``.json``),
        Parquet (``.parquet``) or JSON Lines (anything else)."""
        suffix = Path(path).suffix.lower()
        if suffix == ".json":
            return (json.dumps(self.records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            sink = io.BytesIO()
            pq.write_table(pa.Table.from_pylist(self.records), sink, compression="zstd")
            return sink.getvalue()
        return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in self.records).encode("utf-8")


def mapped_of(example: Example, schema_name: str) -> Mapped:
    """An example in the common model: a record through its schema, a .txt example as text."""
    if example.record is None:
        return Mapped("text", (Turn(Side.MODEL, "text", (Text("text", example.text, True),), True),))
    return registry.schema_named(schema_name).map(example.record)


def convert(info, items: Iterator, to: str) -> Converted:
    """Convert every item of a dataset (``examples_of``: its description and its examples;
    invalid records are gathered into ``info.invalid_records`` as they are read)."""
    target = registry.schema_named(to)
    if not target.can_build:
        buildable = ", ".join(schema.name for schema in registry.schemas() if schema.can_build)
        raise UsageError(f"records cannot be written as {to}; convert to one of {buildable}")
    records: list[dict] = []
    rejects: list[Reject] = []
    count = 0
    source = registry.schema_named(info.shape) if info.input_format not in ("txt", "memory") else None
    for example in items:
        count += 1
        errors = [problem for problem in source.problems(example.record)
                  if problem.severity in (None, Severity.ERROR)] if source else []
        try:
            if errors:
                raise ConversionError([Lost(problem.path, f"invalid {source.name}: {problem.message}")
                                       for problem in errors])
            records.append(target.build(mapped_of(example, info.shape)))
        except ConversionError as error:
            rejects.append(Reject(example.index, example.line, [CONVERT], f"cannot be written as {to}: {error}",
                                  None, _original(example)))
    for record in info.invalid_records:
        rejects.append(Reject(record.index, record.line, [CONVERT], f"cannot be read: {record.message}", None,
                              record.text))
    rejects.sort(key=lambda reject: reject.example)
    return Converted(info.shape, to, records, rejects, count + len(info.invalid_records))


def _original(example: Example) -> str:
    if isinstance(example.record, dict):
        return json.dumps(example.record, ensure_ascii=False, default=str)
    return example.text
