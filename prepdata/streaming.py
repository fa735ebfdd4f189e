"""Linting a large file a block of examples at a time.

Used by ``lint`` instead of reading the whole file when the file is at least
``STREAM_MIN_BYTES`` (64 MiB: below it, holding the whole file, about eight times its size
in memory, is affordable and a little faster), is UTF-8 text, and every dataset-scope
rule is a StreamingRule. A .txt file is split by its separator or automatically, as the
whole-file reader would split it; a JSONL file is surveyed first (the shape of most records and the
chat convention decide how each record reads); a CSV or TSV file's header comes first.
Examples are read in blocks, every rule sees each block once, and only what the rules keep
per example stays in memory; examples a rule asks for again (near-duplicate candidates)
are read in a further pass. The report is the same as the in-memory path's (a test
compares them on every sample).
"""

from __future__ import annotations

import array
import codecs
import statistics
from collections.abc import Container, Iterator
from pathlib import Path

from prepdata import engine, formats, parallel
from prepdata.api import Rule, Scope, StreamingRule
from prepdata.dataset import Dataset, Example, InvalidRecord, SeparatorSite, analyse_words
from prepdata.files import UTF8_BOM
from prepdata.formats import delimited, jsonl
from prepdata.formats.txt import CONVENTIONAL_SEPARATOR
from prepdata.formats.txt_stream import iter_auto_examples, iter_examples
from prepdata.progress import Progress
from prepdata.report import FileReport

STREAM_MIN_BYTES = 64 * 2**20
BLOCK_EXAMPLES = 5_000
_SCAN_BYTES = 1 << 24

Item = Example | SeparatorSite | InvalidRecord


class Source:
    """A file read in passes: ``info`` describes it (its ``examples`` stay empty), ``items``
    yields its examples, separator sites and invalid records in file order, or only the
    ``wanted`` examples."""

    def __init__(self, info: Dataset) -> None:
        self.info = info

    def items(self, wanted: Container[int] | None = None) -> Iterator[Item]:
        raise NotImplementedError


class SeparatedText(Source):
    def items(self, wanted=None):
        with Path(self.info.path).open("rb") as stream:
            yield from iter_examples(stream, self.info.separator, wanted=wanted)


class AutoSplitText(Source):
    def items(self, wanted=None):
        with Path(self.info.path).open("rb") as stream:
            yield from iter_auto_examples(stream, wanted=wanted)


class JsonLines(Source):
    def __init__(self, info: Dataset, survey: jsonl.Survey) -> None:
        super().__init__(info)
        self.survey = survey

    def items(self, wanted=None):
        with Path(self.info.path).open("rb") as stream:
            yield from jsonl.iter_records(_lines(stream), self.survey, wanted)


class Delimited(Source):
    def __init__(self, info: Dataset, delimiter: str, columns: tuple[str, ...] | None) -> None:
        super().__init__(info)
        self.delimiter, self.columns = delimiter, columns

    def table(self, stream) -> delimited.Table:
        return delimited.Table.read(_lines(stream), self.info.path, self.delimiter, self.columns)

    def items(self, wanted=None):
        with Path(self.info.path).open("rb") as stream:
            yield from (item for _, _, item in self.table(stream).rows(wanted) if item is not None)


def _lines(stream) -> Iterator[str]:
    """The decoded lines of a UTF-8 file, each with its line break, without a BOM."""
    first = True
    for raw in stream:
        if first and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
        first = False
        yield raw.decode("utf-8")


def plan(path: Path, settings, rules: list[Rule]) -> Source | None:
    """How to read the file for a streamed lint, or None when it must be read whole (the
    whole-file reader also reports what is wrong with a file, with its places)."""
    path = Path(path)
    if settings.against is not None:
        return None
    if any(rule.scope is Scope.DATASET and not isinstance(rule, StreamingRule) for rule in rules):
        return None
    try:
        if not path.is_file() or path.stat().st_size < max(STREAM_MIN_BYTES, 1):
            return None
        return _plan(path, settings)
    except OSError:
        return None


def _plan(path: Path, settings) -> Source | None:
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    input_format = settings.input_format or formats.detect_format(path, head.decode("utf-8", errors="replace"))
    if input_format not in formats.FORMATS:
        return None
    if settings.separator == "":
        return None  # an error the whole-file reader gives
    # As parse_txt decides: a given separator must occur; without one the conventional
    # separator splits the file if it occurs, and the file is split automatically if not.
    separator = None
    if input_format == "txt" and not settings.auto_split:
        separator = settings.separator or CONVENTIONAL_SEPARATOR
    clean, found = _scan(path, separator.encode("utf-8") if separator else b"")
    if not clean or (settings.separator and not settings.auto_split and not found):
        return None
    info = Dataset(path=str(path), size_bytes=path.stat().st_size, examples=[], input_format=input_format,
                   bom=head.startswith(UTF8_BOM))
    if input_format == "txt":
        if found:
            info.separator = separator
            return SeparatedText(info)
        info.auto_split = True
        return AutoSplitText(info)
    if input_format == "jsonl":
        jsonl.check_profile(settings.profile)
        with path.open("rb") as stream:
            survey = jsonl.survey_lines(_lines(stream))
        info.shape, info.profile = survey.shape, settings.profile or survey.profile
        info.majority_profile = survey.majority_profile
        return JsonLines(info, survey)
    source = Delimited(info, "\t" if input_format == "tsv" else ",", tuple(settings.columns) if settings.columns else None)
    with path.open("rb") as stream:
        info.shape = source.table(stream).shape  # reads no further than the header
    info.profile = settings.profile
    return source


def _scan(path: Path, needle: bytes) -> tuple[bool, bool]:
    """(valid UTF-8 without a NUL byte, ``needle`` occurs) for the file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    found, tail = False, b""
    with path.open("rb") as stream:
        while chunk := stream.read(_SCAN_BYTES):
            if b"\x00" in chunk:
                return False, found
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False, found
            if needle:
                found = found or needle in tail + chunk
                tail = chunk[-len(needle):]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, found
    return True, found


def lint_file(source: Source, rules: list[Rule], progress: Progress, jobs: int = 1) -> FileReport:
    info = source.info
    per_example = [rule for rule in rules if rule.scope is Scope.EXAMPLE]
    per_dataset = [rule for rule in rules if rule.scope is Scope.DATASET]
    findings = []
    for rule in per_dataset:
        rule.start(info)
    lengths = array.array("Q")
    for examples, sites, invalid, example_findings in _checked_blocks(source, per_example, jobs):
        if examples:
            progress.step(f"{info.path}: {examples[-1].index + 1} records", examples[-1].index + 1, None)
        info.invalid_records += invalid  # complete before any rule's finish, as start promised
        findings += example_findings
        for rule in per_dataset:
            findings += engine.guarded(rule, info.path, lambda r=rule: r.consume(examples, sites))
        lengths.extend(len(example.text) for example in examples)

    def fetch(indices) -> dict[int, Example]:
        wanted = set(indices)
        return {example.index: example for example in source.items(wanted)} if wanted else {}

    for rule in per_dataset:
        findings += engine.guarded(rule, info.path, lambda r=rule: r.finish(fetch))
    for rule in rules:
        if rule.scope is Scope.FILE:
            findings += engine.guarded(rule, info.path, lambda r=rule: r.check(info.source))
    findings.sort(key=engine.file_order)
    if info.separator is not None:
        # As engine.check does with the whole file's layout; here only the occurrence inside
        # the new text can be seen, which is all but the rarest case (a join across the frame).
        findings = [
            engine.without_fix(f)
            if f.fix is not None and f.fix.replacement is not None and info.separator in f.fix.replacement else f
            for f in findings
        ]
    ordered = sorted(lengths)
    return FileReport(
        path=info.path, input_format=info.input_format, shape=info.shape, separator=info.separator,
        auto_split=info.auto_split, examples=len(ordered), invalid=len(info.invalid_records), bytes=info.size_bytes,
        shortest=ordered[0] if ordered else 0,
        median=statistics.median(ordered) if ordered else 0,
        longest=ordered[-1] if ordered else 0,
        findings=findings,
    )


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
