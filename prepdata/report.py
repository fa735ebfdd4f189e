"""Reports: what lint found, as objects, as text for people and as JSON for machines."""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from tabulate import tabulate

from prepdata.api import Applicability, Finding, Rule, Severity
from prepdata.dataset import Dataset

REPORT_VERSION = 1


@dataclasses.dataclass
class FileReport:
    path: str
    input_format: str
    shape: str
    separator: str | None
    auto_split: bool
    examples: int
    invalid: int
    bytes: int
    shortest: int
    median: float
    longest: int
    findings: list[Finding]
    #: Any finding blocks (exit 1), not only errors: ``--strict`` or ``strict = true``.
    strict: bool = False

    @classmethod
    def of(cls, dataset: Dataset, findings: list[Finding]) -> FileReport:
        lengths = sorted(len(example.text) for example in dataset.examples)
        return cls(
            path=dataset.path,
            input_format=dataset.input_format,
            shape=dataset.shape,
            separator=dataset.separator,
            auto_split=dataset.auto_split,
            examples=len(lengths),
            invalid=len(dataset.invalid_records),
            bytes=dataset.size_bytes,
            shortest=lengths[0] if lengths else 0,
            median=statistics.median(lengths) if lengths else 0,
            longest=lengths[-1] if lengths else 0,
            findings=findings,
        )

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "format": self.input_format,
            "shape": self.shape,
            "separator": self.separator,
            "auto_split": self.auto_split,
            "examples": self.examples,
            "invalid_records": self.invalid,
            "bytes": self.bytes,
            "example_length": {"shortest": self.shortest, "median": self.median, "longest": self.longest},
        }


@dataclasses.dataclass
class Report:
    files: list[FileReport]
    rules: list[Rule]

    @property
    def findings(self) -> list[Finding]:
        return [finding for file in self.files for finding in file.findings]

    def exit_code(self, strict: bool = False) -> int:
        """0 when nothing blocks, else 1. Errors block; in a strict file (or with
        ``strict``) every finding does."""
        return int(any(
            finding.severity is Severity.ERROR or strict or file.strict
            for file in self.files for finding in file.findings
        ))

    def summary(self) -> dict:
        findings = self.findings
        by_severity = Counter(str(f.severity) for f in findings)
        fixable = Counter(str(f.fix.applicability) for f in findings if f.fix)
        return {
            "files": len(self.files),
            "examples": sum(file.examples for file in self.files),
            "findings": len(findings),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "fixable": {a.value: fixable.get(a.value, 0) for a in Applicability},
            "by_rule": [
                {"code": code, "rule": rule, "severity": severity, "count": count, "fix": fix or None}
                for (code, rule, severity, fix), count in sorted(self._counts().items())
            ],
        }

    def _counts(self) -> Counter:
        """Findings per (code, rule, severity, fix); fix is "" when there is none."""
        return Counter(
            (f.code, f.rule, str(f.severity), str(f.fix.applicability) if f.fix else "")
            for f in self.findings
        )

    def to_json(self) -> dict:
        return self.json_document(written=False)

    def json_document(self, written: bool = True) -> dict:
        """``to_json``; with ``written``, for ``json_chunks``: the findings are made as they
        are written."""
        findings = self.findings

        def made():
            return map(finding_to_json, findings)

        return {
            "version": REPORT_VERSION,
            "files": [file.to_json() for file in self.files],
            "findings": WrittenArray(len(findings), made) if written else list(made()),
            "summary": self.summary(),
        }


def finding_to_json(finding: Finding) -> dict:
    data = {
        "code": finding.code,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "example": finding.example,
        "message": finding.message,
        "fixable": finding.fixable,
        "fix": str(finding.fix.applicability) if finding.fix else None,
    }
    if finding.duplicate_of is not None:
        data["duplicate_of"] = finding.duplicate_of
    if finding.details:
        data["details"] = finding.details
    return data


def format_finding(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{finding.rule}] {finding.message}"


#: Characters that some readers take for line breaks (Python's splitlines, JavaScript): in
#: JSON Lines they would split a record, so they are written as escapes.
_LINE_BREAKING = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_line(value) -> str:
    """One JSON value on one line, UTF-8 as it is, whatever reads it line by line."""
    text = json.dumps(value, ensure_ascii=False)
    for character, escape in _LINE_BREAKING.items():
        text = text.replace(character, escape)  # only ever inside strings, where \u escapes are valid
    return text + "\n"


class WrittenArray(list):
    """A JSON array whose ``count`` items ``make_items()`` makes while ``json_chunks`` writes
    them: a report of a million findings never holds a million dicts.

    json's encoder, with an indent, reads a list only by ``len`` and iteration, which this
    class provides. Anything else sees an empty list: use it only in documents given to
    ``json_chunks``."""

    def __init__(self, count: int, make_items: Callable[[], Iterable]) -> None:
        super().__init__()
        self.count, self.make_items = count, make_items

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator:
        made = 0
        for item in self.make_items():
            made += 1
            yield item
        if made != self.count:
            raise ValueError(f"the array promised {self.count} items and made {made}")


def json_chunks(document) -> Iterator[str]:
    """A JSON document, indented, in pieces as the encoder makes them: written one piece
    at a time, a report of many findings is never held a second time as one string."""
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document)
    yield "\n"


_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"


def render_text(report: Report, colour: bool = False) -> str:
    """Findings, a table per rule, a table per file and the verdict. With ``colour`` (a
    terminal, and no NO_COLOR) each finding's code and rule take their severity's colour
    and the verdict is green or red."""

    def painted(finding: Finding) -> str:
        line = format_finding(finding)
        if not colour:
            return line
        label = f"{finding.code} [{finding.rule}]"
        return line.replace(label, f"{_COLOURS[finding.severity]}{label}{_RESET}", 1)

    lines = [painted(finding) for finding in report.findings]
    if lines:
        lines.append("")
    rows = [
        [code, rule, severity, count, fix or "-"]
        for (code, rule, severity, fix), count in sorted(report._counts().items())
    ]
    if rows:
        lines.append(tabulate(rows, headers=["code", "rule", "severity", "count", "fix"]))
        lines.append("")
    lines.append(
        tabulate(
            [
                [file.path, file.examples, file.bytes, file.shortest, _number(file.median), file.longest]
                for file in report.files
            ],
            headers=["file", "examples", "bytes", "shortest", "median", "longest"],
        )
    )
    lines.append("")
    final = verdict(report)
    if colour:
        final = ("\x1b[1;32m" if final.startswith("Ready") else "\x1b[1;31m") + final + _RESET
    lines.append(final)
    return "\n".join(lines) + "\n"


def verdict(report: Report) -> str:
    """One line: ready for upload, or what blocks it, and what fix can do."""
    summary = report.summary()
    counts = summary["by_severity"]
    if not summary["findings"]:
        return "Ready for upload: no problems found."
    fixable = summary["fixable"]
    fixes = ""
    if fixable["safe"] or fixable["unsafe"]:
        fixes = (f" {fixable['safe']} fixable with `prepdata fix`, "
                 f"{fixable['unsafe']} more with `prepdata fix --unsafe-fixes`.")
    blocking = [f for f in report.findings if f.severity is Severity.ERROR] or (
        report.findings if any(file.strict for file in report.files) else [])
    if blocking:
        by_rule = Counter(f.rule for f in blocking)
        what = ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items()))
        return f"Not ready for upload: {len(blocking)} finding(s) block it ({what}); {len(report.findings)} in all.{fixes}"
    return f"Ready for upload, with {counts['warning']} warning(s) and {counts['info']} note(s) to review.{fixes}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
