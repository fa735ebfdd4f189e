"""Report formats for people and for CI systems: ``render(format, report)``.

text and json live in ``prepdata.report``; this package adds what CI systems read
(SARIF for code scanning, GitHub workflow commands, GitLab Code Quality, JUnit XML) and
JSON Lines. Paths in them are relative to the repository root (the closest folder up from
the working directory holding ``.git``), as those systems expect.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from prepdata.api import Finding
from prepdata.report import Report, finding_to_json, json_chunks, json_line, render_text


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"
    json_lines = "json-lines"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"
    html = "html"


def render(output_format: OutputFormat | str, report: Report, datasets: dict | None = None) -> str:
    """The report in a format; ``datasets`` (by path) give the HTML page its examples."""
    return "".join(render_chunks(output_format, report, datasets))


def render_chunks(output_format: OutputFormat | str, report: Report, datasets: dict | None = None) -> Iterator[str]:
    """``render``, in pieces to write one at a time: the JSON formats of a large report
    are never held whole as one string."""
    from prepdata.output import ci, html, junit, sarif

    output_format = OutputFormat(output_format)
    documents = {OutputFormat.json: Report.json_document, OutputFormat.sarif: sarif.document,
                 OutputFormat.gitlab: ci.gitlab_issues}
    if output_format in documents:
        yield from json_chunks(documents[output_format](report))
    elif output_format is OutputFormat.json_lines:
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True):
            yield json_line({**finding_to_json(finding), "fingerprint": fingerprint})
    elif output_format is OutputFormat.html:
        yield html.render(report, datasets or {})
    else:
        renderers = {OutputFormat.text: render_text, OutputFormat.github: ci.render_github,
                     OutputFormat.junit: junit.render}
        yield renderers[output_format](report)


def render_statistics(report: Report) -> str:
    """One line per rule: count, code, name, and its fix (safe, unsafe or -)."""
    counts = Counter((f.code, f.rule, str(f.fix.applicability) if f.fix else "-") for f in report.findings)
    return "".join(
        f"{count:>7}  {code:<6} {rule:<22} fix: {fix}\n" for (code, rule, fix), count in sorted(counts.items())
    )


def fingerprints(findings: Iterable[Finding]) -> Iterator[str]:
    """A stable fingerprint per finding, in order: its rule, field, what it is about (the
    example's content digest, or else its message with numbers blanked) and, for findings
    alike in all of that, their order. Adding or moving other examples changes none of them."""
    seen: Counter = Counter()
    for finding in findings:
        basis = (finding.path, finding.code, finding.field or "", finding.content or "",
                 re.sub(r"\d+", "#", finding.message))
        occurrence = seen[basis]
        seen[basis] += 1
        text = "\0".join((*basis[1:], str(occurrence)))
        yield hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def repository_root(start: Path | None = None) -> Path:
    """The closest folder up from ``start`` (the working directory) that holds ``.git``;
    the working directory when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def repository_path(path: str, root: Path | None = None) -> str:
    """``path`` relative to the repository root, with forward slashes."""
    root = root or repository_root()
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()
