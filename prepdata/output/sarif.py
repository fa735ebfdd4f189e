"""SARIF 2.1.0, with what GitHub code scanning reads: rule metadata, a location with a
region per result, and partial fingerprints that follow the example, not its line."""

from __future__ import annotations

import functools

from prepdata.api import Finding, Severity
from prepdata.output import fingerprints, repository_path, repository_root
from prepdata.report import Report, WrittenArray

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "prepdataContent/v1"


def document(report: Report) -> dict:
    """The SARIF log, for ``json_chunks`` (its results are made as they are written)."""
    from prepdata import __version__

    rules = sorted({rule.code: rule for rule in report.rules}.values(), key=lambda rule: rule.code)
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = repository_root()
    findings = report.findings
    uri = functools.lru_cache(maxsize=None)(lambda path: repository_path(path, root))

    def sarif_result(finding: Finding, fingerprint: str) -> dict:
        result = {
            "ruleId": finding.code,
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.line,
                        "endColumn": finding.column + 1,
                    },
                }
            }],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.example is not None:
            result["properties"] = {"example": finding.example}
        return result

    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "prepdata",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "results": WrittenArray(len(findings), lambda: map(sarif_result, findings, fingerprints(findings))),
        }],
    }


def _rule(rule) -> dict:
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": documentation},
        "help": {"text": f"{documentation}\n\nprepdata rule {rule.code}", "markdown": documentation},
        "defaultConfiguration": {"level": _LEVELS[rule.severity_override or rule.severity]},
        "properties": {"tags": ["dataset", rule.name], "fix": str(rule.fix_applicability or "none")},
    }
