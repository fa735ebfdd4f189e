"""The Python API: ``lint`` and ``fix`` on a path or a list of strings."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prepdata import engine, formats, parallel, platforms, registry, streamed_fix, streaming
from prepdata.api import Rule, Severity
from prepdata.config import Layer
from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.engine import Reject
from prepdata.errors import InputError, PrepdataError
from prepdata.files import FileStamp, check_unchanged, write_atomically
from prepdata.options import build_options
from prepdata.progress import Progress
from prepdata.report import FileReport, Report, json_line

Source = str | Path | Sequence[str]
#: ``--profile`` as it was before schemas: a chat convention.
LEGACY_PROFILES = {"openai": "chat", "cohere": "chat-cohere"}
MEMORY_PATH = "<examples>"


@dataclasses.dataclass(frozen=True)
class Settings:
    """How to read a dataset and which rules to run on it.

    ``input_format`` is txt, jsonl, csv or tsv (detected when None); ``columns`` names the
    columns of a CSV file without a header; ``schema`` names the record schema instead of
    detecting it; ``platform`` names a platform profile (or the path of one) to check the
    data against; ``profile`` is the older way to name a chat schema (openai: chat,
    cohere: chat-cohere); ``against`` is another split (a path, or a list of them) that the
    file is compared with for leakage.
    """

    separator: str | None = None
    auto_split: bool = False
    input_format: str | None = None
    columns: Sequence[str] | None = None
    profile: str | None = None
    schema: str | None = None
    platform: str | None = None
    against: str | Path | Sequence[str | Path] | None = None
    select: Sequence[str] | None = None
    ignore: Sequence[str] | None = None
    options: dict[str, dict[str, Any]] | None = None
    rule_files: Sequence[str | Path] = ()
    jobs: int | None = None
    quiet: bool = False
    extend_select: Sequence[str] | None = None
    extend_ignore: Sequence[str] | None = None
    severities: dict[str, Severity] | None = None
    strict: bool = False
    keep_going: bool = False

    def configured(self, layer: Layer) -> Settings:
        """These settings over a configuration file's: what was given here wins (rule
        options per key), the file fills in the rest."""
        values = layer.values

        def given(value: Any) -> bool:
            return value not in (None, False, (), [])

        from_file = {
            field: values[key]
            for field, key in (("separator", "separator"), ("auto_split", "auto-split"),
                               ("input_format", "input-format"), ("columns", "columns"), ("profile", "profile"),
                               ("schema", "schema"), ("platform", "platform"),
                               ("select", "select"), ("ignore", "ignore"), ("extend_select", "extend-select"),
                               ("extend_ignore", "extend-ignore"), ("strict", "strict"))
            if key in values and not given(getattr(self, field))
        }
        options = {name: dict(table) for name, table in layer.rule_options.items()}
        for name, table in (self.options or {}).items():
            options.setdefault(name, {}).update(table)
        return dataclasses.replace(self, **from_file, options=options,
                                   severities={**layer.severities, **(self.severities or {})})

    @property
    def splits(self) -> list[str | Path]:
        """The ``against`` files, as a list."""
        if self.against is None:
            return []
        return [self.against] if isinstance(self.against, (str, Path)) else list(self.against)

    @property
    def processes(self) -> int:
        """``jobs``, or every core this process may use."""
        return max(1, self.jobs or parallel.available_cores())

    def rules(self) -> list[Rule]:
        available = registry.discover(list(self.rule_files))
        options: dict[str, dict[str, Any]] = {}
        for name, values in (self.options or {}).items():  # by name or code; later keys win
            options.setdefault(registry.find(available, name).name, {}).update(values)
        select = [*(self.select or []), *(self.extend_select or [])] if self.select else []
        ignore = [*(self.ignore or []), *(self.extend_ignore or [])]
        chosen = registry.select(available, select, ignore)
        severities = self.severities or {}
        rules = []
        for rule_class in chosen:
            rule = rule_class(build_options(rule_class, options.get(rule_class.name)))
            rule.severity_override = severities.get(rule_class.name)
            rule.keep_going = self.keep_going
            rules.append(rule)
        return rules

    @property
    def reading(self) -> formats.ReadOptions:
        return formats.ReadOptions(
            input_format=self.input_format,
            separator=self.separator,
            auto_split=self.auto_split,
            columns=tuple(self.columns) if self.columns else None,
            schema=self.schema or LEGACY_PROFILES.get(self.profile or "", self.profile),
            platform=platforms.load(self.platform) if self.platform else None,
        )

    def read(self, source: Source) -> Dataset:
        if isinstance(source, (str, Path)):
            dataset = formats.read(source, self.reading)
            dataset.against = tuple(formats.read(path, self.reading) for path in self.splits)
            return dataset
        return dataset_from_strings(source)


def examples_of(path: str | Path, settings: Settings) -> tuple[Dataset, Iterator[Example]]:
    """The file's description and its examples in order, for commands that look at each
    example once (preview, stats). A large file is read a block at a time (as lint reads
    it); its description's ``invalid_records`` are complete once the examples are."""
    source = streaming.plan(path, settings, [])
    if source is None:
        dataset = settings.read(path)
        return dataset, iter(dataset.examples)

    def examples() -> Iterator[Example]:
        for item in source.items():
            if isinstance(item, Example):
                yield item
            elif isinstance(item, InvalidRecord):
                source.info.invalid_records.append(item)

    return source.info, examples()


def dataset_from_strings(texts: Sequence[str]) -> Dataset:
    if isinstance(texts, (bytes, bytearray)):
        raise InputError("pass a path or a list of strings, not bytes")
    # Read like a file would be: CRLF is a line break, not a carriage return to fix.
    examples = [Example.of_text(i, str(text).replace("\r\n", "\n")) for i, text in enumerate(texts)]
    size = sum(len(example.text.encode("utf-8", errors="surrogateescape")) for example in examples)
    return Dataset(path=MEMORY_PATH, size_bytes=size, examples=examples, input_format="memory")


def lint(source: Source, settings: Settings | None = None, **kwargs: Any) -> Report:
    """Check one or more datasets. ``source`` is a path, a list of paths given as Path
    objects, or a list of example strings. Keyword arguments are those of ``Settings``."""
    settings = settings or Settings(**kwargs)
    rules = settings.rules()
    sources = source if _is_list_of_paths(source) else [source]
    files = []
    progress = Progress(settings.quiet)
    try:
        for item in sources:
            streamed = streaming.plan(item, settings, rules) if isinstance(item, (str, Path)) else None
            if streamed is not None:
                files.append(streaming.lint_file(streamed, rules, progress, settings.processes))
                continue
            dataset = settings.read(item)
            files.append(FileReport.of(dataset, engine.check(dataset, rules, settings.processes, progress)))
    finally:
        progress.close()
    for file in files:
        file.strict = settings.strict
    return Report(files=files, rules=rules)


def _is_list_of_paths(source: Source) -> bool:
    return isinstance(source, (list, tuple)) and bool(source) and all(isinstance(s, Path) for s in source)


@dataclasses.dataclass
class FixResult:
    """What ``fix`` did. Nothing is written until ``write`` is called."""

    input: FileReport
    output: FileReport | None
    """The cleaned dataset as it reads back, with what remains in it."""
    examples: list[Example]
    changed: dict[int, list[str]]
    rejects: list[Reject]
    file_actions: dict[str, str]
    output_bytes: bytes | None
    converged: bool
    rules: list[Rule]
    #: The input as it was when read: ``write(..., in_place=True)`` refuses to replace a
    #: file that changed since.
    input_stamp: FileStamp | None = None
    #: A large file is fixed streamed: the cleaned file waits in this temporary file
    #: (removed with the result), and ``examples`` stays empty; ``kept`` counts them.
    output_file: Path | None = None
    streamed_kept: int | None = None
    _read_texts: Callable[[], list[str]] | None = dataclasses.field(default=None, repr=False)

    @property
    def kept(self) -> int:
        """How many examples the cleaned file holds."""
        return len(self.examples) if self.streamed_kept is None else self.streamed_kept

    @property
    def texts(self) -> list[str]:
        """The kept examples' texts, in order (all fields of each, a blank line between);
        for a streamed fix, read again from the input through the fixes."""
        if self._read_texts is not None:
            return self._read_texts()
        return [example.text for example in self.examples]

    def output_data(self) -> bytes | None:
        """The cleaned file's bytes (None for a dataset that came from memory)."""
        return self.output_file.read_bytes() if self.output_file is not None else self.output_bytes

    @property
    def remaining(self) -> Report:
        return Report(files=[self.output] if self.output else [], rules=self.rules)

    def exit_code(self, strict: bool = False) -> int:
        """What remains after the fix decides, as for lint."""
        return self.remaining.exit_code(strict)

    def counts(self) -> tuple[Counter, Counter]:
        """Examples rewritten per rule, and examples dropped per rule."""
        rewritten = Counter(rule for rules in self.changed.values() for rule in rules)
        dropped = Counter(rule for reject in self.rejects for rule in reject.rules)
        return rewritten, dropped

    def rejects_jsonl(self) -> bytes:
        # backslashreplace: bytes that were not UTF-8 in the input stay visible as \udcXX.
        return "".join(
            json_line(reject.to_json()) for reject in self.rejects
        ).encode("utf-8", errors="backslashreplace")

    def write(self, output: str | Path, rejects: str | Path, *, in_place: bool = False) -> None:
        """Write the rejects, then the cleaned file, each atomically.

        ``in_place`` replaces the input itself (``output`` is the input's path), and only
        if no other program changed it since it was read. The input then keeps no copy of
        what an earlier run removed, so new rejects are added to the rejects file, which
        is left alone when there are none; otherwise the rejects file is always written,
        so no stale one survives."""
        if self.output_bytes is None and self.output_file is None:
            raise InputError("this dataset came from memory; take result.texts instead of writing")
        unchanged = self.input_stamp if in_place else None
        check_unchanged(output, unchanged)
        if not in_place:
            write_atomically(rejects, self.rejects_jsonl())
        elif self.rejects:
            earlier = Path(rejects).read_bytes() if Path(rejects).exists() else b""
            write_atomically(rejects, earlier + self.rejects_jsonl())
        if self.output_file is not None:
            def copy(stream) -> None:
                with self.output_file.open("rb") as cleaned:
                    shutil.copyfileobj(cleaned, stream, 1 << 20)
            write_atomically(output, copy, unchanged=unchanged)
        else:
            write_atomically(output, self.output_bytes, unchanged=unchanged)


def fix(source: Source, settings: Settings | None = None, *, unsafe_fixes: bool = False,
        output_path: str | None = None, **kwargs: Any) -> FixResult:
    """Fix one dataset in memory; ``write`` the result to keep it."""
    settings = settings or Settings(**kwargs)
    rules = settings.rules()
    stamp = FileStamp.of(source) if isinstance(source, (str, Path)) else None
    streamed = streaming.plan(source, settings, rules) if isinstance(source, (str, Path)) else None
    if streamed is not None:
        return _fix_streamed(streamed, settings, rules, unsafe_fixes, output_path, stamp)
    dataset = settings.read(source)
    progress = Progress(settings.quiet)
    try:
        outcome = engine.fix(dataset, rules, unsafe=unsafe_fixes, jobs=settings.processes, progress=progress)
    finally:
        progress.close()
    output_report = None
    if outcome.output is None:
        cleaned = dataset_from_strings([example.text for example in outcome.examples])
        output_report = FileReport.of(cleaned, engine.check(cleaned, rules))
    elif outcome.output:
        cleaned = formats.read_back(outcome.output, output_path or dataset.path, dataset)
        cleaned.against = dataset.against
        _verify_round_trip(dataset, cleaned, outcome.examples)
        output_report = FileReport.of(cleaned, engine.check(cleaned, rules, settings.processes))
    if output_report is not None:
        output_report.strict = settings.strict
    return FixResult(
        input=FileReport.of(dataset, outcome.findings),
        output=output_report,
        examples=outcome.examples,
        changed=outcome.changed,
        rejects=outcome.rejects,
        file_actions=outcome.file_actions,
        output_bytes=outcome.output,
        converged=outcome.converged,
        rules=rules,
        input_stamp=stamp,
    )


def _fix_streamed(source: streaming.Source, settings: Settings, rules: list[Rule], unsafe: bool,
                  output_path: str | None, stamp: FileStamp | None) -> FixResult:
    """``fix`` for a file large enough to stream (``streaming.plan``): the cleaned file is
    written to a temporary file beside the output, read back and checked from there."""
    progress = Progress(settings.quiet)
    shown = output_path or source.info.path
    output_file = _temporary_file(Path(output_path).parent if output_path else None, Path(source.info.path).suffix)
    try:
        outcome = streamed_fix.fix_file(source, rules, unsafe=unsafe, jobs=settings.processes, progress=progress)
        try:
            with output_file.open("wb") as stream:
                outcome.write_output(stream)
        except OSError as error:
            raise InputError(f"{shown}: the cleaned file could not be written ({error.strerror})") from None
        output_report = None
        if output_file.stat().st_size:
            cleaned = streaming.reopen(output_file, shown, source)
            if not source.info.auto_split and not streamed_fix.verify_round_trip(outcome.expected, cleaned):
                raise _round_trip_error(source.info.path)
            output_report = streaming.lint_file(cleaned, rules, progress, settings.processes)
            output_report.strict = settings.strict
    except BaseException:
        _remove(output_file)
        raise
    finally:
        progress.close()
    result = FixResult(
        input=outcome.report, output=output_report, examples=[], changed=outcome.changed, rejects=outcome.rejects,
        file_actions=outcome.file_actions, output_bytes=None, converged=outcome.converged, rules=rules,
        input_stamp=stamp, output_file=output_file, streamed_kept=outcome.kept,
        _read_texts=lambda: [item.text for item in outcome.expected.items() if isinstance(item, Example)],
    )
    weakref.finalize(result, _remove, output_file)
    return result


def _temporary_file(folder: Path | None, suffix: str) -> Path:
    """An empty temporary file in ``folder`` (beside the output) if it allows one, else in
    the system's temporary folder."""
    for where in ([folder] if folder is not None and folder.is_dir() else []) + [None]:
        try:
            handle, name = tempfile.mkstemp(dir=where, prefix=".prepdata-fix.", suffix=suffix)
        except OSError:
            continue
        os.close(handle)
        return Path(name)
    raise InputError(f"no folder to write the cleaned file in ({folder} and {tempfile.gettempdir()} refuse it)")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _round_trip_error(path: str) -> PrepdataError:
    return PrepdataError(
        f"{path}: the cleaned file would not read back as the fixed examples; "
        "nothing was written (please report this with the file)"
    )


def _verify_round_trip(original: Dataset, cleaned: Dataset, expected: list[Example]) -> None:
    """The cleaned file must read back as exactly the examples fix meant to keep."""
    if original.auto_split:
        return  # automatic splitting may pack the cleaned paragraphs differently by design

    def fields(examples: list[Example]) -> list:
        return [[(field.name, field.text) for field in example.fields] for example in examples]

    if fields(cleaned.examples) != fields(expected):
        raise _round_trip_error(original.path)


__all__ = ["FixResult", "Settings", "fix", "lint"]
