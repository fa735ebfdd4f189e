"""The Python API: ``lint`` and ``fix`` on a path or a list of strings."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

from prepdata import engine, registry
from prepdata.api import Rule, Severity
from prepdata.dataset import Dataset, Example
from prepdata.engine import Reject
from prepdata.errors import InputError, PrepdataError
from prepdata.files import decode_text, write_atomically
from prepdata.formats.txt import parse_txt, read_txt
from prepdata.options import build_options
from prepdata.report import FileReport, Report

Source = Union[str, Path, Sequence[str]]
MEMORY_PATH = "<examples>"


@dataclasses.dataclass(frozen=True)
class Settings:
    """How to read a dataset and which rules to run on it."""

    separator: str | None = None
    auto_split: bool = False
    select: Sequence[str] | None = None
    ignore: Sequence[str] | None = None
    options: dict[str, dict[str, Any]] | None = None
    rule_files: Sequence[str | Path] = ()

    def rules(self) -> list[Rule]:
        available = registry.discover(list(self.rule_files))
        options = {
            registry.find(available, name).name: values for name, values in (self.options or {}).items()
        }
        chosen = registry.select(available, list(self.select or []), list(self.ignore or []))
        return [rule(build_options(rule, options.get(rule.name))) for rule in chosen]

    def read(self, source: Source) -> Dataset:
        if isinstance(source, (str, Path)):
            return read_txt(source, self.separator, auto_split=self.auto_split)
        return dataset_from_strings(source)

    def read_cleaned(self, data: bytes, path: str, original: Dataset) -> Dataset:
        """Read back what fix wrote, split as the original was."""
        content, bom = decode_text(path, data)
        return parse_txt(content, bom=bom, path=path, size_bytes=len(data), separator=original.separator,
                         auto_split=original.auto_split, require_separator=False)


def dataset_from_strings(texts: Sequence[str]) -> Dataset:
    if isinstance(texts, (bytes, bytearray)):
        raise InputError("pass a path or a list of strings, not bytes")
    # Read like a file would be: CRLF is a line break, not a carriage return to fix.
    examples = [Example(index=i, text=str(text).replace("\r\n", "\n")) for i, text in enumerate(texts)]
    size = sum(len(example.text.encode("utf-8")) for example in examples)
    return Dataset(path=MEMORY_PATH, size_bytes=size, examples=examples, input_format="memory")


def lint(source: Source, settings: Settings | None = None, **kwargs: Any) -> Report:
    """Check one or more datasets. ``source`` is a path, a list of paths given as Path
    objects, or a list of example strings. Keyword arguments are those of ``Settings``."""
    settings = settings or Settings(**kwargs)
    rules = settings.rules()
    sources = source if _is_list_of_paths(source) else [source]
    files = []
    for item in sources:
        dataset = settings.read(item)
        files.append(FileReport.of(dataset, engine.check(dataset, rules)))
    return Report(files=files, rules=rules)


def _is_list_of_paths(source: Source) -> bool:
    return isinstance(source, (list, tuple)) and bool(source) and all(isinstance(s, Path) for s in source)


@dataclasses.dataclass
class FixResult:
    """What ``fix`` did. Nothing is written until ``write`` is called."""

    input: FileReport
    output: FileReport | None
    """The cleaned dataset as it reads back, with what remains in it."""
    texts: list[str]
    changed: dict[int, list[str]]
    rejects: list[Reject]
    output_bytes: bytes | None
    converged: bool
    rules: list[Rule]

    @property
    def remaining(self) -> Report:
        return Report(files=[self.output] if self.output else [], rules=self.rules)

    def exit_code(self, strict: bool = False) -> int:
        return self.remaining.exit_code(strict)

    def counts(self) -> tuple[Counter, Counter]:
        """Examples rewritten per rule, and examples dropped per rule."""
        rewritten = Counter(rule for rules in self.changed.values() for rule in rules)
        dropped = Counter(rule for reject in self.rejects for rule in reject.rules)
        return rewritten, dropped

    def rejects_jsonl(self) -> bytes:
        return "".join(
            json.dumps(reject.to_json(), ensure_ascii=False) + "\n" for reject in self.rejects
        ).encode("utf-8")

    def write(self, output: str | Path, rejects: str | Path) -> None:
        if self.output_bytes is None:
            raise InputError("this dataset came from memory; take result.texts instead of writing")
        write_atomically(rejects, self.rejects_jsonl())
        write_atomically(output, self.output_bytes)


def fix(source: Source, settings: Settings | None = None, *, unsafe_fixes: bool = False,
        output_path: str | None = None, **kwargs: Any) -> FixResult:
    """Fix one dataset in memory; ``write`` the result to keep it."""
    settings = settings or Settings(**kwargs)
    rules = settings.rules()
    dataset = settings.read(source)
    outcome = engine.fix(dataset, rules, unsafe=unsafe_fixes)
    output_report = None
    if outcome.output is not None:
        if outcome.output:
            cleaned = settings.read_cleaned(outcome.output, output_path or dataset.path, dataset)
            _verify_round_trip(dataset, cleaned, outcome.texts)
            output_report = FileReport.of(cleaned, engine.check(cleaned, rules))
    else:
        cleaned = dataset_from_strings(outcome.texts)
        output_report = FileReport.of(cleaned, engine.check(cleaned, rules))
    return FixResult(
        input=FileReport.of(dataset, outcome.findings),
        output=output_report,
        texts=outcome.texts,
        changed=outcome.changed,
        rejects=outcome.rejects,
        output_bytes=outcome.output,
        converged=outcome.converged,
        rules=rules,
    )


def _verify_round_trip(original: Dataset, cleaned: Dataset, texts: list[str]) -> None:
    """The cleaned file must read back as exactly the examples fix meant to keep."""
    if original.auto_split:
        return  # automatic splitting may pack the cleaned paragraphs differently by design
    if [example.text for example in cleaned.examples] != texts:
        raise PrepdataError(
            f"{original.path}: the cleaned file would not read back as the fixed examples; "
            "nothing was written (please report this with the file)"
        )


__all__ = ["FixResult", "Settings", "Severity", "fix", "lint"]
