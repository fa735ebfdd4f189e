"""Readers and writers. Each reader returns a Dataset whose ``layout`` writes it back.

Every reader keeps each record exactly as the file has it, so that a record no fix
touches is written back byte for byte; only a rewritten record is serialized again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from prepdata.dataset import Dataset
from prepdata.errors import UsageError
from prepdata.files import DecodedText, decode_text, read_dataset_bytes
from prepdata.platforms import Platform

FORMATS = ("txt", "jsonl", "json", "csv", "tsv", "parquet")
_BY_SUFFIX = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}


@dataclasses.dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a file as it stands in it: a record (``index``) or what lies between
    records (``index`` None: a blank line, a CSV header, the blank lines a .txt file starts
    with). ``raw`` is the record's text with its line break; for a .txt example, without
    the delimiter, which is ``follower`` (after the last example: the rest of the file).
    ``record`` is the parsed JSON object or the CSV cells a rewrite serializes again."""

    index: int | None
    raw: str
    follower: str = ""
    record: Any = None


class Layout(Protocol):
    """Everything needed to write a dataset back, byte for byte where nothing changed."""

    def render(self, changes: dict[int, dict[str, str]], dropped: set[int], file_actions: set[str]) -> bytes:
        """The file with ``changes`` (example index -> field -> new text), without the
        ``dropped`` records, and with the ``file_actions`` (e.g. remove-bom) done."""

    def render_pieces(self, pieces: Iterable[Piece], changes: dict[int, dict[str, str]], dropped: set[int],
                      file_actions: set[str], count: int) -> Iterator[bytes]:
        """``render`` a piece at a time, from the file's ``pieces`` in order (read again
        from the file, when it is streamed) and the number of its records."""

    def accepts(self, index: int, field: str, text: str, dropped: set[int]) -> bool:
        """Whether ``text`` can replace a field without changing how the file splits."""

    def original(self, index: int) -> str:
        """The record's text exactly as the file has it."""

    def original_of(self, piece: Piece) -> str:
        """``original`` of the record a piece of the file holds."""

    def effect(self, action: str) -> dict:
        """How a file action changes the Dataset's attributes (for the next check)."""


@dataclasses.dataclass(frozen=True)
class ReadOptions:
    input_format: str | None = None
    separator: str | None = None
    auto_split: bool = False
    columns: tuple[str, ...] | None = None
    #: The record schema to read every record as, instead of the detected one.
    schema: str | None = None
    #: The platform profile the data is checked against (``prepdata.platforms``).
    platform: Platform | None = None


def detect_format(path: str | Path, text: str) -> str:
    """From the file name's suffix, else from the content: a JSON array means a JSON array
    file (a .json file holding objects one a line is JSON Lines), a JSON object on the
    first line means JSONL, a header naming prompt/completion/text columns means CSV or TSV."""
    by_suffix = _BY_SUFFIX.get(Path(path).suffix.lower())
    if by_suffix:
        return by_suffix
    array = text.lstrip(" \t\r\n\ufeff").startswith("[")
    if Path(path).suffix.lower() == ".json":
        return "json" if array else "jsonl"
    if array:
        return "json"
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        return "jsonl"
    names = {"prompt", "completion", "text"}
    for delimiter, name in (("\t", "tsv"), (",", "csv")):
        if {cell.strip().strip('"').lower() for cell in first.split(delimiter)} & names and delimiter in first:
            return name
    return "txt"


def read(path: str | Path, options: ReadOptions) -> Dataset:
    shown = str(path)
    if _parquet(path, options):
        from prepdata.formats import parquet

        dataset = parquet.parse_parquet(shown, schema=options.schema)
        dataset.platform = options.platform
        return dataset
    data = read_dataset_bytes(path)
    decoded = decode_text(shown, data)
    return parse(decoded, shown, len(data), options)


def _parquet(path: str | Path, options: ReadOptions) -> bool:
    if options.input_format is not None:
        return options.input_format == "parquet"
    from prepdata.formats.parquet import is_parquet

    try:
        if not Path(path).is_file():
            return False  # a pipe would block here; read_dataset_bytes says what is wrong
        with open(path, "rb") as stream:
            head = stream.read(4)
    except OSError:
        return False
    return is_parquet(path, head)


def parse(decoded: DecodedText, path: str, size_bytes: int, options: ReadOptions) -> Dataset:
    from prepdata.formats import delimited, jsonarray, jsonl, txt

    input_format = options.input_format or detect_format(path, decoded.text)
    if input_format not in FORMATS:
        raise UsageError(f"unknown input format {input_format!r}; use one of {', '.join(FORMATS)}")
    if input_format == "txt":
        dataset = txt.parse_txt(decoded, path=path, size_bytes=size_bytes, separator=options.separator,
                                auto_split=options.auto_split)
    elif input_format == "jsonl":
        dataset = jsonl.parse_jsonl(decoded, path=path, size_bytes=size_bytes, schema=options.schema)
    elif input_format == "json":
        dataset = jsonarray.parse_json_array(decoded, path=path, size_bytes=size_bytes, schema=options.schema)
    else:
        dataset = delimited.parse_delimited(
            decoded, path=path, size_bytes=size_bytes, delimiter="\t" if input_format == "tsv" else ",",
            input_format=input_format, columns=options.columns, schema=options.schema,
        )
    dataset.platform = options.platform
    return dataset


def read_back(data: bytes, path: str, original: Dataset) -> Dataset:
    """Read what fix wrote, the way the original was read."""
    from prepdata.formats import txt

    if original.input_format == "parquet":
        from prepdata.formats import parquet

        cleaned = parquet.parse_parquet(path, schema=original.shape, data=data)
        cleaned.platform = original.platform
        return cleaned
    decoded = decode_text(path, data)
    if original.input_format == "txt":
        return txt.parse_txt(decoded, path=path, size_bytes=len(data), separator=original.separator,
                             auto_split=original.auto_split, require_separator=False)
    columns = original.layout.columns if original.input_format in ("csv", "tsv") and not original.layout.header else None
    schema = original.shape if original.input_format != "txt" else None
    options = ReadOptions(input_format=original.input_format, columns=columns, schema=schema,
                          platform=original.platform)
    return parse(decoded, path, len(data), options)
