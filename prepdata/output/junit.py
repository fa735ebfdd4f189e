"""JUnit XML: a test suite per file, a test case per rule that ran, a failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import defaultdict

from prepdata.report import Report, format_finding


def render(report: Report) -> str:
    root = ElementTree.Element("testsuites", name="prepdata")
    total_cases = total_failed = 0
    for file in report.files:
        by_rule = defaultdict(list)
        for finding in file.findings:
            by_rule[finding.code].append(finding)
        suite = ElementTree.SubElement(root, "testsuite", name=file.path)
        failed = 0
        for rule in sorted(report.rules, key=lambda rule: rule.code):
            case = ElementTree.SubElement(suite, "testcase", classname=file.path, name=f"{rule.code} {rule.name}")
            for finding in by_rule.get(rule.code, []):
                failure = ElementTree.SubElement(case, "failure", message=finding.message, type=str(finding.severity))
                failure.text = format_finding(finding)
            failed += bool(by_rule.get(rule.code))
        suite.set("tests", str(len(report.rules)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total_cases += len(report.rules)
        total_failed += failed
    root.set("tests", str(total_cases))
    root.set("failures", str(total_failed))
    root.set("errors", "0")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
