"""The rule engine: runs rules over a dataset and applies their fixes. It knows no rule."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from prepdata.api import Applicability, Finding, Rule, Scope
from prepdata.dataset import Dataset, Example
from prepdata.errors import PluginError, PrepdataError

#: Fixes are applied in passes, each followed by a new check, until nothing changes.
MAX_FIX_PASSES = 10


def check(dataset: Dataset, rules: list[Rule]) -> list[Finding]:
    """Every finding of ``rules`` on ``dataset``, in file order."""
    findings: list[Finding] = []
    for rule in rules:
        filled = {"code": rule.code, "rule": rule.name, "path": dataset.path}
        if rule.scope is Scope.FILE:
            targets = [dataset.source]
        elif rule.scope is Scope.DATASET:
            targets = [dataset]
        else:
            targets = dataset.examples
        for target in targets:
            try:
                for finding in rule.check(target):
                    severity = finding.severity or rule.severity
                    findings.append(dataclasses.replace(finding, severity=severity, **filled))
            except PrepdataError:
                raise
            except Exception as error:  # a rule's bug is reported, not shown as a traceback
                where = f" on example {target.index}" if isinstance(target, Example) else ""
                raise PluginError(
                    f"{dataset.path}: rule {rule.code} {rule.name} ({type(rule).__module__}) "
                    f"failed{where}: {type(error).__name__}: {error}"
                ) from None
    findings.sort(key=lambda f: (f.line, f.column, f.code, f.example if f.example is not None else -1))
    return findings


@dataclasses.dataclass(frozen=True)
class Reject:
    """One example that ``fix`` removed, with the rules and the reason."""

    example: int
    line: int
    rules: list[str]
    reason: str
    duplicate_of: int | None
    text: str

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class FixOutcome:
    findings: list[Finding]
    """What the input had, before any fix."""
    texts: list[str]
    """The kept examples' final texts, in order."""
    changed: dict[int, list[str]]
    """Input index of each rewritten example -> the rules whose fixes rewrote it."""
    rejects: list[Reject]
    output: bytes | None
    """The cleaned file, or None for a dataset that came from memory."""
    converged: bool


def fix(dataset: Dataset, rules: list[Rule], *, unsafe: bool = False) -> FixOutcome:
    """Apply the safe fixes (and the unsafe ones with ``unsafe``) until none applies."""
    originals = {example.index: example for example in dataset.examples}
    current = list(dataset.examples)
    changed: dict[int, set[str]] = defaultdict(set)
    rejects: dict[int, Reject] = {}
    first_findings: list[Finding] | None = None
    converged = False
    for _ in range(MAX_FIX_PASSES):
        findings = check(dataset.with_examples(current), rules)
        if first_findings is None:
            first_findings = findings
        texts = {example.index: example.text for example in current}
        drops, edits = _choose_fixes(findings, texts, dataset, set(rejects), unsafe)
        if not drops and not edits:
            converged = True
            break
        for index, dropping in drops.items():
            kept = next((f.duplicate_of for f in dropping if f.duplicate_of is not None), None)
            rejects[index] = Reject(
                example=index,
                line=originals[index].line,
                rules=sorted({f.rule for f in dropping}),
                reason=dropping[0].message,
                duplicate_of=kept,
                text=_original_text(dataset, originals[index]),
            )
        for index, finding in edits.items():
            changed[index].add(finding.rule)
        current = [
            _rewritten(example, edits[example.index].fix.replacement) if example.index in edits else example
            for example in current
            if example.index not in drops
        ]
    replacements = {
        example.index: example.text
        for example in current
        if example.text != originals[example.index].text
    }
    output = None
    if dataset.layout is not None:
        output = dataset.layout.render(replacements, set(rejects))
    return FixOutcome(
        findings=first_findings or [],
        texts=[example.text for example in current],
        changed={index: sorted(changed[index]) for index in sorted(replacements)},
        rejects=sorted(rejects.values(), key=lambda reject: reject.example),
        output=output,
        converged=converged,
    )


def _choose_fixes(findings, texts, dataset, dropped, unsafe):
    drops: dict[int, list[Finding]] = {}
    edits: dict[int, Finding] = {}
    for finding in sorted(findings, key=lambda f: f.code):
        fix = finding.fix
        if fix is None or finding.example is None or finding.example not in texts:
            continue
        if fix.applicability is Applicability.UNSAFE and not unsafe:
            continue
        if fix.drop:
            drops.setdefault(finding.example, []).append(finding)
        elif (
            finding.example not in edits
            and fix.replacement is not None
            and fix.replacement != texts[finding.example]
            and (dataset.layout is None or dataset.layout.accepts(finding.example, fix.replacement, dropped))
        ):
            edits[finding.example] = finding
    # Several rules may rewrite one example; the first (by code) goes now, the rest are
    # checked again on the new text in the next pass. Dropping wins over rewriting.
    for index in drops:
        edits.pop(index, None)
    return drops, edits


def _rewritten(example: Example, text: str) -> Example:
    return Example(index=example.index, text=text, line=example.line, column=example.column)


def _original_text(dataset: Dataset, example: Example) -> str:
    if dataset.layout is not None:
        return dataset.layout.original(example.index)
    return example.text
