"""The dataset model: a file split into examples, each of which knows where it sits."""

from __future__ import annotations

import bisect
import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING

from prepdata import text as _text

if TYPE_CHECKING:
    from prepdata.formats import Layout


@dataclasses.dataclass(eq=False)
class Example:
    """One training example.

    ``text`` is what rules see: the example as written, with CRLF line breaks read as LF.
    ``line`` and ``column`` (1-based) are where it starts in the file.
    """

    index: int
    text: str
    line: int = 1
    column: int = 1

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
        row = bisect.bisect_right(self._line_starts, offset) - 1
        column = offset - self._line_starts[row] + 1
        if row == 0:
            column += self.column - 1
        return self.line + row, column

    @cached_property
    def normalized(self) -> str:
        """Case-folded text with whitespace collapsed; equal for exact duplicates."""
        return _text.normalize_for_comparison(self.text)

    @cached_property
    def words(self) -> list[str]:
        return _text.words(self.normalized)


@dataclasses.dataclass(frozen=True)
class SeparatorSite:
    """Where the separator occurs, and whether it stands on a line of its own."""

    line: int
    column: int
    own_line: bool
    after_example: int


@dataclasses.dataclass(eq=False)
class SourceFile:
    """What file-scope rules see: the file itself, not its examples."""

    path: str
    size_bytes: int


@dataclasses.dataclass(eq=False)
class Dataset:
    """A file read into examples. ``examples`` is in file order."""

    path: str
    size_bytes: int
    examples: list[Example]
    input_format: str = "txt"
    separator: str | None = None
    auto_split: bool = False
    separator_sites: list[SeparatorSite] = dataclasses.field(default_factory=list)
    layout: Layout | None = dataclasses.field(default=None, repr=False)

    @property
    def source(self) -> SourceFile:
        return SourceFile(self.path, self.size_bytes)

    def with_examples(self, examples: list[Example]) -> Dataset:
        return dataclasses.replace(self, examples=examples)
