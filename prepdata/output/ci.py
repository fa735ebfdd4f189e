"""Findings as CI annotations: GitHub Actions workflow commands, GitLab Code Quality."""

from __future__ import annotations

import functools
import hashlib

from prepdata.api import Finding, Severity
from prepdata.output import fingerprints, repository_path, repository_root
from prepdata.report import Report, WrittenArray

_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """``::error file=...,line=...,col=...,title=...::message``, escaped as the Actions
    toolkit does, so GitHub shows each finding on the line of the pull request's diff."""
    root = repository_root()
    lines = []
    for finding in report.findings:
        properties = {
            "file": repository_path(finding.path, root),
            "line": str(finding.line),
            "col": str(finding.column),
            "title": f"{finding.code} {finding.rule}",
        }
        joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{_GITHUB_LEVELS[finding.severity]} {joined}::{_escape_data(finding.message)}\n")
    return "".join(lines)


def gitlab_issues(report: Report) -> list[dict]:
    """The Code Quality report: a JSON array of issues GitLab shows in merge requests, for
    ``json_chunks`` (the issues are made as they are written)."""
    root = repository_root()
    findings = report.findings
    relative = functools.lru_cache(maxsize=None)(lambda path: repository_path(path, root))

    def issue(finding: Finding, fingerprint: str) -> dict:
        path = relative(finding.path)
        return {
            "description": f"{finding.code} [{finding.rule}] {finding.message}",
            "check_name": finding.code,
            # Unique per finding in the report, and stable as the finding's own fingerprint is.
            "fingerprint": hashlib.md5(f"{path}\0{fingerprint}".encode(), usedforsecurity=False).hexdigest(),
            "severity": _GITLAB_SEVERITIES[finding.severity],
            "location": {"path": path, "lines": {"begin": finding.line}},
        }

    return WrittenArray(len(findings), lambda: map(issue, findings, fingerprints(findings)))
