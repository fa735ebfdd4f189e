"""The dataset model: a file split into examples, each of which knows where it sits.

An example has one or more text fields: a .txt example has one (``text``); a JSONL record
has ``prompt`` and ``completion``, or one ``messages[i].content`` per chat turn; a CSV row
has its text columns. Fields the model learns to generate are marked ``target``.
"""

from __future__ import annotations

import bisect
import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from prepdata import text as _text

if TYPE_CHECKING:
    from prepdata.formats import Layout
    from prepdata.platforms import Platform

TEXT_FIELD = "text"


@dataclasses.dataclass(frozen=True)
class Field:
    """One text field of an example, and where its text starts in the file.

    When ``exact`` is true, character offsets in ``text`` map to file lines and columns
    (plain text, unquoted CSV); otherwise every offset is reported at the field's start.
    ``joined``: the trainer joins the text to its neighbours as it stands, so the
    whitespace at its edges belongs to the data (``prepdata.schema.Text``).
    """

    name: str
    text: str
    target: bool = True
    role: str | None = None
    line: int = 1
    column: int = 1
    exact: bool = True
    joined: bool = False

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        position = self.text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = self.text.find("\n", position + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """The file line and column of character ``offset`` of ``text``."""
        if not self.exact:
            return self.line, self.column
        row = bisect.bisect_right(self._line_starts, offset) - 1
        column = offset - self._line_starts[row] + 1
        if row == 0:
            column += self.column - 1
        return self.line + row, column


@dataclasses.dataclass(eq=False)
class Example:
    """One training example: its 0-based ``index`` among the file's records, its fields,
    and where it starts (1-based ``line`` and ``column``). ``record`` is the parsed record
    (a JSON object, a CSV row as a dict) for formats that have one."""

    index: int
    fields: tuple[Field, ...]
    line: int = 1
    column: int = 1
    record: Any = None

    @classmethod
    def of_text(cls, index: int, text: str, line: int = 1, column: int = 1) -> Example:
        """A single-field example, as a .txt file or a list of strings gives."""
        return cls(index, (Field(TEXT_FIELD, text, line=line, column=column),), line, column)

    @cached_property
    def text(self) -> str:
        """All fields, a blank line between two: what whole-record rules compare."""
        return "\n\n".join(field.text for field in self.fields)

    @cached_property
    def digest(self) -> str:
        """A short digest of ``text`` (hex): what findings about this example are keyed by
        in fingerprints and baselines. Computed once, however many findings it has."""
        return _text.content_digest(self.text)

    @cached_property
    def target(self) -> str:
        """The text the model learns to generate (the completion, the model's turns)."""
        return "\n\n".join(field.text for field in self.fields if field.target)

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    def position(self, offset: int, field: str | None = None) -> tuple[int, int]:
        """The file line and column of character ``offset`` of a field (the first by default)."""
        chosen = self.field(field) if field else self.fields[0] if self.fields else None
        if chosen is None:
            return self.line, self.column
        return chosen.position(offset)

    def with_field_text(self, name: str, text: str) -> Example:
        fields = tuple(dataclasses.replace(f, text=text) if f.name == name else f for f in self.fields)
        return dataclasses.replace(self, fields=fields)

    @cached_property
    def normalized_fields(self) -> tuple[str, ...]:
        """Each field case-folded, whitespace collapsed, zero-width characters dropped."""
        return tuple(_text.normalize_for_comparison(field.text) for field in self.fields)

    @cached_property
    def normalized(self) -> str:
        """All fields normalized, one per line; equal for exact duplicates."""
        return "\n".join(self.normalized_fields)

    @cached_property
    def normalized_digest(self) -> int:
        """A 64-bit digest of ``normalized``: equal for exact duplicates, and all a rule
        needs to find them (workers compute it, so the text need not come back)."""
        return _text.digest64(self.normalized)

    @cached_property
    def normalized_target(self) -> str:
        """The target fields normalized, a space between two."""
        return " ".join(text for text, field in zip(self.normalized_fields, self.fields) if field.target and text)

    @cached_property
    def is_blank(self) -> bool:
        """True when no field holds anything but whitespace."""
        return not any(self.normalized_fields)

    @property
    def words(self) -> list[str]:
        """The words of the normalized text. Not kept: ``word_hashes`` and ``word_lengths``
        hold what the rules need of them in a tenth of the memory."""
        return _text.words(self.normalized)

    @cached_property
    def word_hashes(self):
        """A 64-bit hash per word (numpy uint64), for vectorized n-gram work."""
        analyse_words([self])
        return self.__dict__["word_hashes"]

    @cached_property
    def word_lengths(self):
        """The length of each word (numpy int32)."""
        analyse_words([self])
        return self.__dict__["word_lengths"]


def analyse_words(examples: list[Example]) -> None:
    """Fill ``word_hashes`` and ``word_lengths`` of many examples in one vectorized pass
    (one per example costs ten times as much); the engine calls it for each block."""
    from prepdata.tokens import hash_words

    missing = [example for example in examples if "word_hashes" not in example.__dict__]
    while missing:
        # Runs of about _WORDS_BLOCK characters bound the memory of the pass.
        texts, size = [], 0
        while len(texts) < len(missing) and (not texts or size < _WORDS_BLOCK):
            texts.append(missing[len(texts)].normalized)
            size += len(texts[-1])
        hashes, lengths, counts = hash_words(texts)
        bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        for example, start, stop in zip(missing, bounds, bounds[1:]):
            example.__dict__["word_hashes"] = hashes[start:stop]
            example.__dict__["word_lengths"] = lengths[start:stop]
        missing = missing[len(texts):]


_WORDS_BLOCK = 1 << 22


@dataclasses.dataclass(frozen=True)
class SeparatorSite:
    """Where the separator occurs, and whether it stands on a line of its own."""

    line: int
    column: int
    own_line: bool
    after_example: int


@dataclasses.dataclass(frozen=True)
class InvalidByte:
    """A byte that is not valid in the file's encoding."""

    offset: int
    line: int
    column: int
    value: int


@dataclasses.dataclass(frozen=True)
class InvalidRecord:
    """A record that could not be read as an example (bad JSON, wrong number of fields...)."""

    index: int
    line: int
    message: str
    text: str


@dataclasses.dataclass(eq=False)
class SourceFile:
    """What file-scope rules see, and what every rule's ``begin_file`` is told: the file
    itself (its format, its records' schema, the platform it is checked against), not its
    examples."""

    path: str
    size_bytes: int
    encoding: str = "utf-8"
    bom: bool = False
    invalid_bytes: tuple[InvalidByte, ...] = ()
    input_format: str = "txt"
    platform: Platform | None = None
    #: The record schema of the file (``text`` for a .txt file).
    shape: str = "text"


@dataclasses.dataclass(eq=False)
class Dataset:
    """A file read into examples. ``examples`` is in file order.

    ``auto_split`` is true when the examples were chosen by prepdata (a .txt file without a
    separator) rather than marked in the file. ``against`` holds the datasets given with
    ``--against`` (the other splits, such as the training data, that this file is compared
    with), in the order given.
    """

    path: str
    size_bytes: int
    examples: list[Example]
    input_format: str = "txt"
    shape: str = "text"
    separator: str | None = None
    auto_split: bool = False
    #: The platform profile the file is checked against, if any (``prepdata.platforms``).
    platform: Platform | None = None
    separator_sites: list[SeparatorSite] = dataclasses.field(default_factory=list)
    invalid_records: list[InvalidRecord] = dataclasses.field(default_factory=list)
    encoding: str = "utf-8"
    bom: bool = False
    invalid_bytes: tuple[InvalidByte, ...] = ()
    against: tuple[Dataset, ...] = ()
    layout: Layout | None = dataclasses.field(default=None, repr=False)
    #: Indices of the records ``fix`` has removed so far: the layout still holds them,
    #: and whether a rewrite fits depends on which records remain around it.
    dropped: frozenset[int] = frozenset()

    @property
    def source(self) -> SourceFile:
        return SourceFile(self.path, self.size_bytes, self.encoding, self.bom, self.invalid_bytes,
                          self.input_format, self.platform, self.shape)

