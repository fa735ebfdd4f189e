"""Reading a large file a block of examples at a time, for ``lint`` and for ``fix``
(``prepdata.streamed_fix``).

Used instead of reading the whole file when the file is at least ``STREAM_MIN_BYTES``
(64 MiB: below it, holding the whole file, about eight times its size in memory, is
affordable and a little faster), is text meant as UTF-8 (bytes that are not UTF-8 are
listed and kept, as the whole-file reader does), and every dataset-scope rule is a
StreamingRule. A .txt file is split by its separator or automatically, as the whole-file
reader would split it; a JSONL file is surveyed first (the shape of most records and the
chat convention decide how each record reads); a CSV or TSV file's header comes first.
Examples are read in blocks, every rule sees each block once, and only what the rules
keep per example stays in memory; examples a rule asks for again (near-duplicate
candidates) are read in a further pass. Reports are the same as the in-memory path's
(tests compare them on every sample and on generated files).
"""

from __future__ import annotations

import array
import codecs
import dataclasses
import statistics
from collections.abc import Container, Iterator
from pathlib import Path
from typing import NamedTuple

from prepdata import engine, formats, parallel
from prepdata.api import Finding, Fix, Rule, Scope, StreamingRule
from prepdata.dataset import Dataset, Example, InvalidByte, InvalidRecord, SeparatorSite, analyse_words
from prepdata.errors import InputError
from prepdata.files import UTF8_BOM, InvalidByteFinder, decode_text
from prepdata.formats import Layout, Piece, delimited, jsonarray, jsonl, parquet
from prepdata.formats.txt import CONVENTIONAL_SEPARATOR, TxtLayout
from prepdata.formats.txt_stream import iter_auto_examples, iter_auto_pieces, iter_examples, iter_pieces
from prepdata.progress import Progress
from prepdata.report import FileReport
from prepdata.spill import Spill

STREAM_MIN_BYTES = 64 * 2**20
BLOCK_EXAMPLES = 5_000
_SCAN_BYTES = 1 << 24

Item = Example | SeparatorSite | InvalidRecord


class Source:
    """A file read in passes: ``info`` describes it (its ``examples`` stay empty), ``items``
    yields its examples, separator sites and invalid records in file order, or only the
    ``wanted`` examples; ``pieces`` yields the file as its layout holds it, each piece with
    the record it reads as, and ``layout`` writes pieces back (``fix``)."""

    def __init__(self, info: Dataset, file: Path | None = None, *, newline: str = "\n") -> None:
        self.info = info
        #: The file to read, when it is not the one ``info.path`` names (fix's output, read
        #: back before it takes the name it is shown under).
        self.file = file or Path(info.path)
        #: The file's line break, which a rewritten record is written with (``_scan``).
        self.newline = newline

    def items(self, wanted: Container[int] | None = None) -> Iterator[Item]:
        raise NotImplementedError

    def pieces(self) -> Iterator[tuple[Piece, Example | InvalidRecord | None]]:
        raise NotImplementedError

    def layout(self, pieces: dict[int, Piece], count: int) -> Layout:
        """The file's layout, holding of its records only ``pieces`` (the ones a check of
        a rewrite needs), for a file of ``count`` records."""
        raise NotImplementedError

    def _open(self):
        return self.file.open("rb")

    def _bom(self) -> bytes:
        return UTF8_BOM if self.info.bom else b""


class SeparatedText(Source):
    def items(self, wanted=None):
        with self._open() as stream:
            yield from iter_examples(stream, self.info.separator, wanted=wanted)

    def pieces(self):
        with self._open() as stream:
            yield from iter_pieces(stream, self.info.separator)

    def layout(self, pieces, count):
        return _txt_layout(self, pieces, count)


class AutoSplitText(Source):
    def items(self, wanted=None):
        with self._open() as stream:
            yield from iter_auto_examples(stream, wanted=wanted)

    def pieces(self):
        with self._open() as stream:
            yield from iter_auto_pieces(stream)

    def layout(self, pieces, count):
        return _txt_layout(self, pieces, count)


def _txt_layout(source: Source, pieces: dict[int, Piece], count: int) -> TxtLayout:
    last = pieces.get(count - 1)
    return TxtLayout(source._bom(), source.newline, "", {i: p.raw for i, p in pieces.items()},
                     {i: p.follower for i, p in pieces.items()}, last.follower if last else "",
                     source.info.separator, count=count)


class JsonLines(Source):
    def __init__(self, info: Dataset, survey: jsonl.Survey, file: Path | None = None, *, newline: str = "\n") -> None:
        super().__init__(info, file, newline=newline)
        self.survey = survey

    def items(self, wanted=None):
        with self._open() as stream:
            yield from jsonl.iter_records(_lines(stream), self.survey, wanted)

    def pieces(self):
        with self._open() as stream:
            yield from jsonl.iter_pieces(_lines(stream), self.survey)

    def layout(self, pieces, count):
        return jsonl.JsonlLayout(self._bom(), [], {}, {i: p.raw.rstrip("\r\n") for i, p in pieces.items()})


class JsonArray(Source):
    def __init__(self, info: Dataset, survey: jsonl.Survey, file: Path | None = None, *, newline: str = "\n") -> None:
        super().__init__(info, file, newline=newline)
        self.survey = survey

    def _pieces(self, stream) -> Iterator[Piece]:
        return jsonarray.iter_array_pieces(_text_chunks(stream), self.info.path)

    def items(self, wanted=None):
        with self._open() as stream:
            for _, item in jsonarray.iter_records(self._pieces(stream), self.survey, wanted):
                if item is not None and (wanted is None or isinstance(item, Example)):
                    yield item

    def pieces(self):
        with self._open() as stream:
            yield from jsonarray.iter_records(self._pieces(stream), self.survey)

    def layout(self, pieces, count):
        return jsonarray.JsonArrayLayout(self._bom(), [], {i: p.raw for i, p in pieces.items()})


class ParquetRows(Source):
    """A Parquet file, read a row group at a time."""

    def __init__(self, info: Dataset, survey: jsonl.Survey, file: Path | None = None) -> None:
        super().__init__(info, file)
        self.survey = survey

    def items(self, wanted=None):
        for _, item in parquet.iter_records(parquet.iter_rows(self.file), self.survey, wanted):
            if item is not None and (wanted is None or isinstance(item, Example)):
                yield item

    def pieces(self):
        yield from parquet.iter_records(parquet.iter_rows(self.file), self.survey)

    def layout(self, pieces, count):
        return parquet.ParquetLayout(str(self.file), [])


def _text_chunks(stream) -> Iterator[str]:
    """The decoded text of a UTF-8 file in chunks, without a BOM (bytes that are not UTF-8
    come through as surrogate escapes)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    first = True
    while chunk := stream.read(_SCAN_BYTES):
        if first and chunk.startswith(UTF8_BOM):
            chunk = chunk[len(UTF8_BOM):]
        first = False
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


class Delimited(Source):
    def __init__(self, info: Dataset, delimiter: str, columns: tuple[str, ...] | None, schema: str | None = None,
                 file: Path | None = None, *, newline: str = "\n") -> None:
        super().__init__(info, file, newline=newline)
        self.delimiter, self.columns, self.schema = delimiter, columns, schema

    def table(self, stream) -> delimited.Table:
        return delimited.Table.read(_lines(stream), self.info.path, self.delimiter, self.columns, self.schema)

    def items(self, wanted=None):
        with self._open() as stream:
            yield from (item for _, _, item in self.table(stream).rows(wanted) if item is not None)

    def pieces(self):
        with self._open() as stream:
            for raw, cells, item in self.table(stream).rows():
                yield Piece(item.index if item is not None else None, raw, record=cells), item

    def layout(self, pieces, count):
        with self._open() as stream:
            table = self.table(stream)
        return delimited.DelimitedLayout(self._bom(), self.delimiter, self.newline, table.header, table.columns,
                                         [], {}, {i: p.raw.rstrip("\r\n") for i, p in pieces.items()})


def _lines(stream) -> Iterator[str]:
    """The decoded lines of a UTF-8 file, each with its line break, without a BOM (bytes that
    are not UTF-8 come through as surrogate escapes, as everywhere in prepdata)."""
    first = True
    for raw in stream:
        if first and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        first = False
        yield raw.decode("utf-8", errors="surrogateescape")


def plan(path: Path, settings, rules: list[Rule]) -> Source | None:
    """How to read the file for a streamed lint or fix, or None when it must be read whole
    (the whole-file reader also reports what is wrong with a file, with its places)."""
    path = Path(path)
    if settings.splits:
        return None
    if any(rule.scope is Scope.DATASET and not isinstance(rule, StreamingRule) for rule in rules):
        return None
    try:
        if not path.is_file() or _data_size(path, settings) < max(STREAM_MIN_BYTES, 1):
            return None
        return _plan(path, settings)
    except (OSError, InputError):
        return None  # the whole-file reader says what is wrong


def _data_size(path: Path, settings) -> int:
    """The bytes the file's records take once read: its size, or for Parquet (compressed
    three to ten times) the uncompressed size its metadata gives."""
    with path.open("rb") as stream:
        head = stream.read(4)
    reading = settings.reading
    if reading.input_format == "parquet" or (reading.input_format is None and parquet.is_parquet(path, head)):
        return parquet.data_size(path)
    return path.stat().st_size


def _plan(path: Path, settings) -> Source | None:
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    reading = settings.reading
    if reading.input_format == "parquet" or (reading.input_format is None and parquet.is_parquet(path, head)):
        info = Dataset(path=str(path), size_bytes=path.stat().st_size, examples=[], input_format="parquet",
                       platform=reading.platform)
        survey = parquet.survey_rows(parquet.iter_rows(path), reading.schema)
        info.shape = survey.shape
        return ParquetRows(info, survey)
    try:
        decoded_head = decode_text(path, head)
    except InputError:
        return None  # compressed or binary
    if decoded_head.encoding != "utf-8":
        return None  # UTF-16 or UTF-32
    input_format = settings.input_format or formats.detect_format(path, decoded_head.text)
    if input_format not in formats.FORMATS:
        return None
    if settings.separator == "":
        return None  # an error the whole-file reader gives
    # As parse_txt decides: a given separator must occur; without one the conventional
    # separator splits the file if it occurs, and the file is split automatically if not.
    separator = None
    if input_format == "txt" and not settings.auto_split:
        separator = settings.separator or CONVENTIONAL_SEPARATOR
    scan = _scan(path, separator.encode("utf-8") if separator else b"")
    if not scan.text or (settings.separator and not settings.auto_split and not scan.found):
        return None
    info = Dataset(path=str(path), size_bytes=path.stat().st_size, examples=[], input_format=input_format,
                   bom=head.startswith(UTF8_BOM), invalid_bytes=scan.invalid_bytes)
    newline = scan.newline
    if input_format == "txt":
        if scan.found:
            info.separator = separator
            return SeparatedText(info, newline=newline)
        info.auto_split = True
        return AutoSplitText(info, newline=newline)
    info.platform = reading.platform
    if input_format == "jsonl":
        return JsonLines(info, _surveyed(path, info, reading.schema), newline=newline)
    if input_format == "json":
        return JsonArray(info, _surveyed_array(path, info, reading.schema), newline=newline)
    source = Delimited(info, "\t" if input_format == "tsv" else ",", tuple(settings.columns) if settings.columns else None,
                       reading.schema, newline=newline)
    with path.open("rb") as stream:
        info.shape = source.table(stream).shape  # reads no further than the header
    return source


def reopen(file: Path, shown: str, like: Source) -> Source:
    """``file`` (what fix wrote) read as ``like`` was, shown as ``shown``: the same
    separator or automatic split (a separator that no longer occurs leaves one example),
    the same CSV columns; a JSONL file is surveyed again, as the whole-file reader would."""
    if isinstance(like, ParquetRows):
        info = dataclasses.replace(like.info, path=shown, size_bytes=file.stat().st_size, invalid_records=[],
                                   dropped=frozenset())
        return ParquetRows(info, parquet.survey_rows(parquet.iter_rows(file), like.info.shape), file)
    with file.open("rb") as stream:
        bom = stream.read(len(UTF8_BOM)) == UTF8_BOM
    scan = _scan(file, b"")
    info = dataclasses.replace(like.info, path=shown, size_bytes=file.stat().st_size, bom=bom,
                               invalid_bytes=scan.invalid_bytes, invalid_records=[], dropped=frozenset())
    if isinstance(like, JsonLines):
        survey = _surveyed(file, info, like.info.shape)
        return JsonLines(info, survey, file, newline=scan.newline)
    if isinstance(like, JsonArray):
        return JsonArray(info, _surveyed_array(file, info, like.info.shape), file, newline=scan.newline)
    if isinstance(like, Delimited):
        with like._open() as stream:
            table = like.table(stream)
        return Delimited(info, like.delimiter, None if table.header else table.columns, like.info.shape, file,
                         newline=scan.newline)
    return type(like)(info, file, newline=scan.newline)


def _surveyed(path: Path, info: Dataset, schema: str | None) -> jsonl.Survey:
    """The survey of a JSONL file (the first pass), recorded in ``info``: the schema of
    most records, or ``schema`` when given."""
    with path.open("rb") as stream:
        survey = jsonl.survey_lines(_lines(stream), schema)
    info.shape = survey.shape
    return survey


def _surveyed_array(path: Path, info: Dataset, schema: str | None) -> jsonl.Survey:
    """``_surveyed`` for a JSON array file."""
    with path.open("rb") as stream:
        survey = jsonarray.survey_pieces(jsonarray.iter_array_pieces(_text_chunks(stream), str(path)), schema)
    info.shape = survey.shape
    return survey


class _Scan(NamedTuple):
    text: bool
    """No NUL byte: the file can be read as text."""
    found: bool
    """The needle occurs."""
    invalid_bytes: tuple[InvalidByte, ...]
    newline: str
    """The line break, as the whole-file readers choose it: CRLF when at least half are."""


def _scan(path: Path, needle: bytes) -> _Scan:
    """One pass over the file's bytes for what streaming needs to know before it reads."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    found, clean, tail = False, True, b""
    crlf = lf = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_SCAN_BYTES):
            if b"\x00" in chunk:
                return _Scan(False, found, (), "\n")
            if clean:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    clean = False
            if needle:
                found = found or needle in tail + chunk
            crlf += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            lf += chunk.count(b"\n")
            tail = chunk[-max(len(needle), 1):]
    if clean:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            clean = False
    newline = "\r\n" if crlf and crlf * 2 >= lf else "\n"
    return _Scan(True, found, () if clean else _invalid_bytes(path), newline)


def _invalid_bytes(path: Path) -> tuple[InvalidByte, ...]:
    """The bytes that are not UTF-8, as the whole-file reader lists them."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    with path.open("rb") as stream:
        chunk = stream.read(_SCAN_BYTES)
        bom = len(UTF8_BOM) if chunk.startswith(UTF8_BOM) else 0
        finder = InvalidByteFinder(bom)
        chunk = chunk[bom:]
        while chunk:
            finder.feed(decoder.decode(chunk))
            chunk = stream.read(_SCAN_BYTES)
        finder.feed(decoder.decode(b"", final=True))
    return tuple(finder.found)


def lint_file(source: Source, rules: list[Rule], progress: Progress, jobs: int = 1) -> FileReport:
    findings, lengths = check_file(source, rules, progress, jobs)
    for _ in writable_in_batches(source, findings, lambda f: f.fix is not None and f.fix.replacement is not None):
        pass
    return file_report(source.info, lengths, findings)


def writable_in_batches(source: Source, findings: list[Finding],
                        selected) -> Iterator[tuple[dict[int, Example], Layout, list[int]]]:
    """As ``engine.check`` does with the whole file's layout, withdraws in place each
    rewrite in ``findings`` that the file could not hold as its one example (it would join
    or hold the separator). Reads the examples the ``selected`` findings name (the rewrites
    among them) a batch at a time, and yields each batch: its examples, its layout and the
    positions in ``findings`` of its selected findings. No pass when none is selected."""
    named: dict[int, list[int]] = {}
    for position, finding in enumerate(findings):
        if finding.example is not None and selected(finding):
            named.setdefault(finding.example, []).append(position)
    if not named:
        return
    dropped = source.info.dropped
    for examples, layout in fetch_in_batches(source, named.keys(), dropped):
        positions = [position for index in examples for position in named[index]]
        for position in positions:
            findings[position] = engine.writable(findings[position], examples, layout, dropped)
        yield examples, layout, positions


def check_file(source: Source, rules: list[Rule], progress: Progress, jobs: int = 1) -> tuple[list[Finding], array.array]:
    """Every finding of ``rules`` in file order, before rewrites are checked against the
    layout (``engine.writable``), and the length of each example."""
    info = source.info
    per_example = [rule for rule in rules if rule.scope is Scope.EXAMPLE]
    for rule in per_example:
        rule.begin_file(info.source)
    per_dataset = [rule for rule in rules if rule.scope is Scope.DATASET]
    findings = []
    for rule in per_dataset:
        rule.start(info)
    lengths = array.array("Q")
    spill = Spill()
    for examples, sites, invalid, example_findings in _checked_blocks(source, per_example, jobs):
        if examples:
            progress.step(f"{info.path}: {examples[-1].index + 1} records", examples[-1].index + 1, None)
        info.invalid_records += invalid  # complete before any rule's finish, as start promised
        findings += spilled(example_findings, spill)
        for rule in per_dataset:
            findings += spilled(engine.guarded(rule, info.path, lambda r=rule: r.consume(examples, sites)), spill)
        lengths.extend(len(example.text) for example in examples)

    def fetch(indices) -> dict[int, Example]:
        wanted = set(indices)
        return {example.index: example for example in source.items(wanted)} if wanted else {}

    for rule in per_dataset:
        findings += spilled(engine.guarded(rule, info.path, lambda r=rule: r.finish(fetch)), spill)
    for rule in rules:
        if rule.scope is Scope.FILE:
            findings += engine.guarded(rule, info.path, lambda r=rule: r.check(info.source))
    findings.sort(key=engine.file_order)
    return findings, lengths


def file_report(info: Dataset, lengths: array.array, findings: list[Finding]) -> FileReport:
    ordered = sorted(lengths)
    return FileReport(
        path=info.path, input_format=info.input_format, shape=info.shape, separator=info.separator,
        auto_split=info.auto_split, examples=len(ordered), invalid=len(info.invalid_records), bytes=info.size_bytes,
        shortest=ordered[0] if ordered else 0,
        median=statistics.median(ordered) if ordered else 0,
        longest=ordered[-1] if ordered else 0,
        findings=findings,
    )


def spilled(findings: list[Finding], spill: Spill) -> list[Finding]:
    """The findings, each rewrite moved to ``spill``: on a file where every example needs
    one, the rewrites would be the file's size again in memory. Findings that share a Fix
    share its spilled text."""
    moved: dict[int, Fix] = {}
    result = []
    for finding in findings:
        fix = finding.fix
        if fix is not None and isinstance(fix.replacement, str):
            if id(fix) not in moved:
                moved[id(fix)] = dataclasses.replace(fix, replacement=spill.put(fix.replacement))
            finding = dataclasses.replace(finding, fix=moved[id(fix)])
        result.append(finding)
    return result


def fetch_in_batches(source: Source, wanted: Container[int],
                     dropped: Container[int]) -> Iterator[tuple[dict[int, Example], Layout]]:
    """The ``wanted`` examples as ``source.items`` reads them, in one pass and in batches of
    at most ``BLOCK_EXAMPLES``, each with the file's layout holding their pieces: what
    checking their rewrites against the file needs (``engine.writable``), a batch at a time.

    A batch goes once a record kept after it is read, so none of its examples is the last
    one kept, the one example whose follower is the file's end (held by the last batch,
    with the file's last piece)."""
    examples: dict[int, Example] = {}
    pieces: dict[int, Piece] = {}
    last = None
    for piece, item in source.pieces():
        if piece.index is None:
            continue
        if len(pieces) >= BLOCK_EXAMPLES and piece.index not in dropped:
            yield examples, source.layout(pieces, piece.index + 1)
            examples, pieces = {}, {}
        last = piece
        if piece.index in wanted:
            pieces[piece.index] = piece
            if isinstance(item, Example):
                examples[piece.index] = item
    if last is not None:
        pieces[last.index] = last
    yield examples, source.layout(pieces, last.index + 1 if last is not None else 0)


def _checked_blocks(source: Source, per_example: list[Rule], jobs: int):
    """(examples, sites, invalid records, findings of the example rules) a block at a time.
    With ``jobs`` > 1, forked workers run the example rules and the shared analysis of each
    block while this process reads the next ones and runs the dataset rules; results come
    back in order, with one block a worker in flight beyond the one being worked on."""
    path = source.info.path
    blocks = _blocks(source)
    if jobs < 2 or not parallel.can_fork():
        for examples, sites, invalid in blocks:
            analyse_words(examples)
            yield examples, sites, invalid, [f for rule in per_example for f in engine.guarded(
                rule, path, lambda r=rule: r.check_many(examples))]
        return
    for (examples, sites, invalid), (findings, analyses) in parallel.map_blocks(
        engine.check_block, blocks, (path, per_example), jobs
    ):
        for example, analysis in zip(examples, analyses, strict=True):
            example.__dict__.update(analysis)  # what the worker computed, so the parent need not
        yield examples, sites, invalid, findings


def _blocks(source: Source):
    """(examples, separator sites, invalid records) a block of examples at a time."""
    block: tuple[list, list, list] = ([], [], [])
    for item in source.items():
        if isinstance(item, Example):
            block[0].append(item)
            if len(block[0]) >= BLOCK_EXAMPLES:
                yield block
                block = ([], [], [])
        else:
            block[1 if isinstance(item, SeparatorSite) else 2].append(item)
    if any(block):
        yield block
