"""Linting a large separator-split .txt file a block of examples at a time.

Used by ``lint`` instead of reading the whole file when the file is at least
``STREAM_MIN_BYTES`` (64 MiB: below it, holding the whole file, about eight times its size
in memory, is affordable and a little faster), is UTF-8 text split by a separator, and every dataset-scope rule is
a StreamingRule. Examples are read in blocks (``formats.txt_stream``), every rule sees
each block once, and only what the rules keep per example stays in memory; examples a
rule asks for again (near-duplicate candidates) are read in a second pass. The report
is the same as the in-memory path's (a test compares them on every sample).
"""

from __future__ import annotations

import array
import codecs
import statistics
from pathlib import Path

from prepdata import engine, formats, parallel
from prepdata.api import Rule, Scope, StreamingRule
from prepdata.dataset import Dataset, Example, SeparatorSite, analyse_words
from prepdata.files import UTF8_BOM
from prepdata.formats.txt import CONVENTIONAL_SEPARATOR
from prepdata.formats.txt_stream import iter_examples
from prepdata.progress import Progress
from prepdata.report import FileReport

STREAM_MIN_BYTES = 64 * 2**20
BLOCK_EXAMPLES = 5_000
_SCAN_BYTES = 1 << 24


def plan(path: Path, settings, rules: list[Rule]) -> Dataset | None:
    """The file's description for a streamed lint, or None when it must be read whole."""
    path = Path(path)
    if settings.auto_split or settings.against is not None or settings.input_format not in (None, "txt"):
        return None
    if not path.is_file() or path.stat().st_size < STREAM_MIN_BYTES:
        return None
    if any(rule.scope is Scope.DATASET and not isinstance(rule, StreamingRule) for rule in rules):
        return None
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    if formats.detect_format(path, head.decode("utf-8", errors="replace")) != "txt":
        return None
    separator = settings.separator or CONVENTIONAL_SEPARATOR
    if not separator or not _clean_utf8_holding(path, separator.encode("utf-8")):
        return None  # the whole-file reader reports what is wrong, with its places
    return Dataset(path=str(path), size_bytes=path.stat().st_size, examples=[], separator=separator,
                   bom=head.startswith(UTF8_BOM))


def _clean_utf8_holding(path: Path, separator: bytes) -> bool:
    """Valid UTF-8, no NUL byte, and the separator occurs."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    found, tail = False, b""
    with path.open("rb") as stream:
        while chunk := stream.read(_SCAN_BYTES):
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            found = found or separator in tail + chunk
            tail = chunk[-len(separator):]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return found


def lint_file(info: Dataset, rules: list[Rule], progress: Progress, jobs: int = 1) -> FileReport:
    per_example = [rule for rule in rules if rule.scope is Scope.EXAMPLE]
    per_dataset = [rule for rule in rules if rule.scope is Scope.DATASET]
    findings = []
    for rule in per_dataset:
        rule.start(info)
    lengths = array.array("Q")
    for examples, sites, example_findings in _checked_blocks(info, per_example, jobs):
        if examples:
            progress.step(f"{info.path}: {examples[-1].index + 1} examples", examples[-1].index + 1, None)
        findings += example_findings
        for rule in per_dataset:
            findings += engine.guarded(rule, info.path, lambda r=rule: r.consume(examples, sites))
        lengths.extend(len(example.text) for example in examples)

    def fetch(indices) -> dict[int, Example]:
        wanted = set(indices)
        found = {}
        if wanted:
            with Path(info.path).open("rb") as stream:
                found.update((example.index, example) for example in iter_examples(stream, info.separator, wanted=wanted))
        return found

    for rule in per_dataset:
        findings += engine.guarded(rule, info.path, lambda r=rule: r.finish(fetch))
    for rule in rules:
        if rule.scope is Scope.FILE:
            findings += engine.guarded(rule, info.path, lambda r=rule: r.check(info.source))
    findings.sort(key=engine.file_order)
    # As engine.check does with the whole file's layout; here only the occurrence inside
    # the new text can be seen, which is all but the rarest case (a join across the frame).
    findings = [
        engine.without_fix(f)
        if f.fix is not None and f.fix.replacement is not None and info.separator in f.fix.replacement else f
        for f in findings
    ]
    ordered = sorted(lengths)
    return FileReport(
        path=info.path, input_format="txt", shape="text", separator=info.separator, auto_split=False,
        examples=len(ordered), invalid=0, bytes=info.size_bytes,
        shortest=ordered[0] if ordered else 0,
        median=statistics.median(ordered) if ordered else 0,
        longest=ordered[-1] if ordered else 0,
        findings=findings,
    )


def _checked_blocks(info: Dataset, per_example: list[Rule], jobs: int):
    """(examples, sites, findings of the example rules) a block at a time. With ``jobs`` >
    1, forked workers run the example rules and the shared analysis of each block while
    this process reads the next ones and runs the dataset rules; results come back in
    order, with one block a worker in flight beyond the one being worked on."""
    blocks = _blocks(Path(info.path), info.separator)
    if jobs < 2 or not parallel.can_fork():
        for examples, sites in blocks:
            analyse_words(examples)
            yield examples, sites, [f for rule in per_example for f in engine.guarded(
                rule, info.path, lambda r=rule: r.check_many(examples))]
        return
    for (examples, sites), (findings, analyses) in parallel.map_blocks(
        engine.check_block, blocks, (info.path, per_example), jobs
    ):
        for example, analysis in zip(examples, analyses, strict=True):
            example.__dict__.update(analysis)  # what the worker computed, so the parent need not
        yield examples, sites, findings


def _blocks(path: Path, separator: str):
    """(examples, separator sites) a block at a time."""
    examples: list[Example] = []
    sites: list[SeparatorSite] = []
    with path.open("rb") as stream:
        for item in iter_examples(stream, separator):
            if isinstance(item, Example):
                examples.append(item)
                if len(examples) >= BLOCK_EXAMPLES:
                    yield examples, sites
                    examples, sites = [], []
            else:
                sites.append(item)
    if examples or sites:
        yield examples, sites
