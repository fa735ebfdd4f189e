"""What the record formats (JSONL, JSON arrays, CSV, TSV, Parquet) share: records kept raw,
and read through their schema."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prepdata import registry
from prepdata.dataset import Field
from prepdata.files import FILE_ACTIONS, encode_text, file_action_effect
from prepdata.formats import Piece
from prepdata.schema import Mapped, Schema


class RecordLayout:
    """A layout whose records are written back raw unless changed; no rewrite can change
    how such a file splits, since each record is serialized on its own. A format gives
    its ``pieces`` and how to ``serialize`` a changed record."""

    bom: bytes
    raws: dict[int, str]

    def pieces(self) -> Iterator[Piece]:
        raise NotImplementedError

    def serialize(self, piece: Piece, changes: dict[str, str]) -> str:
        """The record of ``piece`` with ``changes`` (field -> text), with its line break."""
        raise NotImplementedError

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str] = frozenset()) -> bytes:
        return b"".join(self.render_pieces(self.pieces(), changes, dropped, file_actions, len(self.raws)))

    def render_pieces(self, pieces: Iterable[Piece], changes: dict[int, dict[str, str]], dropped: set[int],
                      file_actions: set[str], count: int) -> Iterator[bytes]:
        yield self.bom_for(file_actions)
        for piece in pieces:
            if piece.index in dropped:
                continue
            if piece.index is not None and piece.index in changes:
                yield encode_text(self.serialize(piece, changes[piece.index]))
            else:
                yield encode_text(piece.raw)

    def accepts(self, index: int, field: str, text: str, dropped: set[int]) -> bool:
        return True

    def original(self, index: int) -> str:
        return self.raws[index]

    def original_of(self, piece) -> str:
        """``original`` of the record a Piece holds (its text without the line break)."""
        return piece.raw.rstrip("\r\n")

    def effect(self, action: str) -> dict:
        return file_action_effect(action)

    def bom_for(self, file_actions: set[str]) -> bytes:
        """The BOM to write: none once a file action has rewritten the encoding."""
        return b"" if file_actions & set(FILE_ACTIONS) else self.bom


def read_record(obj: Any, schema: Schema, line: int) -> tuple[tuple[Field, ...], str | None]:
    """A record's fields as ``schema`` maps them (its texts, each named by its JSON path,
    the trained ones marked as the target), or why the record is not of that schema."""
    if not schema.detect(obj):
        own = registry.detect_schema(obj)
        # repr: a key may hold bytes that were not UTF-8, kept as escapes that cannot be printed.
        keys = ", ".join(repr(key) for key in list(obj)[:6]) + (", ..." if len(obj) > 6 else "")
        what = f"a {own.name} record" if own else f"a record of no known schema (keys: {keys or 'none'})"
        return (), f"{what}, but this file holds {schema.name} records"
    return record_fields(schema.map(obj), line), None


def record_fields(mapped: Mapped, line: int) -> tuple[Field, ...]:
    fields = [Field(text.path, text.text, target=text.trained, role="system", line=line, exact=False)
              for text in mapped.system]
    for turn in (*mapped.turns, *mapped.chosen, *mapped.rejected):
        fields += [Field(text.path, text.text, target=text.trained, role=turn.role or None, line=line, exact=False,
                         joined=text.joined) for text in turn.texts]
    return tuple(fields)
