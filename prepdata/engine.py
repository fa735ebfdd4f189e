"""The rule engine: runs rules over a dataset and applies their fixes. It knows no rule."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from prepdata import parallel, registry, similarity
from prepdata.api import Applicability, Finding, Rule, Scope, Severity
from prepdata.dataset import Dataset, Example, analyse_words
from prepdata.errors import PluginError, PrepdataError
from prepdata.progress import Progress, Silent

#: Fixes are applied in passes, each followed by a new check, until nothing changes.
MAX_FIX_PASSES = 10


def check(dataset: Dataset, rules: list[Rule], jobs: int = 1, progress: Progress | None = None) -> list[Finding]:
    """Every finding of ``rules`` on ``dataset``, in file order. With ``jobs`` > 1 the
    example-scope rules and the shared analysis of each example run in that many processes."""
    progress = progress or Silent()
    findings: list[Finding] = []
    per_example = [rule for rule in rules if rule.scope is Scope.EXAMPLE]
    for rule in per_example:
        rule.begin_file(dataset.source)
    others = [rule for rule in rules if rule.scope is not Scope.EXAMPLE]
    progress.step(f"{dataset.path}: example rules", 0, len(others) + 1)
    if jobs > 1 and len(dataset.examples) >= parallel.MIN_EXAMPLES and parallel.can_fork():
        chunks = parallel.map_chunks(check_block, dataset.examples, (dataset.path, per_example), jobs)
        examples = iter(dataset.examples)
        for chunk_findings, analyses in chunks:
            findings += chunk_findings
            for analysis in analyses:  # what the worker computed, so the parent need not
                next(examples).__dict__.update(analysis)
    else:
        analyse_words(dataset.examples)
        for rule in per_example:
            findings += _apply(rule, dataset.examples, dataset.path)
    for done, rule in enumerate(others, start=1):
        progress.step(f"{dataset.path}: {rule.name}", done, len(others) + 1)
        findings += _apply(rule, dataset.source if rule.scope is Scope.FILE else dataset, dataset.path)
    findings.sort(key=file_order)
    if dataset.layout is not None:
        by_index = {example.index: example for example in dataset.examples}
        findings = [writable(finding, by_index, dataset.layout, dataset.dropped) for finding in findings]
    return findings


UNWRITABLE = "; not fixable in place: the fixed text would split differently (it would hold or join the separator)"


def writable(finding: Finding, examples: dict[int, Example], layout, dropped: frozenset[int]) -> Finding:
    """The finding, without its rewrite if the file could not hold the rewritten text as
    this one example: a finding never claims a fix that fix would refuse."""
    fix = finding.fix
    if fix is None or fix.replacement is None or finding.example not in examples:
        return finding
    field = fix.field or examples[finding.example].fields[0].name
    if layout.accepts(finding.example, field, fix.replacement_text(), dropped):
        return finding
    return dataclasses.replace(finding, fix=None, message=finding.message + UNWRITABLE)


def check_block(examples: list[Example], work: tuple[str, list[Rule]]):
    """In a worker: the example rules' findings on a run of examples, and the analysis
    the dataset rules will read of each (installed by the parent)."""
    path, rules = work
    analyse_words(examples)
    findings = [finding for rule in rules for finding in _apply(rule, examples, path)]
    similarity.analyse(examples)
    # What the dataset rules read of every example. Not the normalized text itself, which
    # would travel back as a second copy of the data: only the few examples a rule needs
    # again (near-duplicate candidates) recompute it.
    shared = ("normalized_digest", "is_blank", "minhash_bands")
    return findings, [{name: getattr(example, name) for name in shared} for example in examples]


def _failed_on(error: Exception) -> Example | None:
    """The example the innermost frame of the failure was working on, if any."""
    found = None
    traceback = error.__traceback__
    while traceback is not None:
        example = traceback.tb_frame.f_locals.get("example")
        if isinstance(example, Example):
            found = example
        traceback = traceback.tb_next
    return found


def _apply(rule: Rule, target, path: str) -> list[Finding]:
    """The rule's findings on ``target`` (a list of examples, the file or the dataset)."""
    if isinstance(target, list):
        return guarded(rule, path, lambda: rule.check_many(target))
    return guarded(rule, path, lambda: rule.check(target))


def guarded(rule: Rule, path: str, run) -> list[Finding]:
    """The findings ``run()`` yields, completed with the rule and the path. A rule's bug is
    reported as a PluginError naming the rule and the example, not as a traceback."""
    try:
        return [
            dataclasses.replace(finding, severity=rule.severity_override or finding.severity or rule.severity,
                                code=rule.code,
                                rule=rule.name, path=finding.path or path)
            for finding in run()
        ]
    except PrepdataError:
        raise
    except Exception as error:
        example = _failed_on(error)
        where = "" if example is None else f" on example {example.index}"
        problem = f"rule {rule.code} {rule.name} ({registry.origin(type(rule))}) failed{where}: {type(error).__name__}: {error}"
        if not rule.keep_going:
            raise PluginError(f"{path}: {problem}") from None
        # --keep-going: the failure becomes an error finding, and every other rule's stay.
        message = f"{problem}; this rule's other findings here are missing"
        failure = Finding.at(example, message) if example is not None else Finding(message)
        return [dataclasses.replace(failure, severity=Severity.ERROR, code=rule.code, rule=rule.name, path=path)]


def file_order(finding: Finding) -> tuple:
    return finding.line, finding.column, finding.code, finding.example if finding.example is not None else -1


@dataclasses.dataclass(frozen=True)
class Reject:
    """One example that ``fix`` removed, with the rules and the reason."""

    example: int
    line: int
    rules: list[str]
    reason: str
    duplicate_of: int | None
    text: str

    @classmethod
    def of(cls, index: int, line: int, dropping: list[Finding], text: str) -> Reject:
        """The reject of the record that ``dropping`` (the findings that drop it) remove."""
        kept = next((f.duplicate_of for f in dropping if f.duplicate_of is not None), None)
        return cls(example=index, line=line, rules=sorted({f.rule for f in dropping}), reason=dropping[0].message,
                   duplicate_of=kept, text=text)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class FixOutcome:
    findings: list[Finding]
    """What the input had, before any fix."""
    examples: list[Example]
    """The kept examples, fixed, in order."""
    changed: dict[int, list[str]]
    """Input index of each rewritten example -> the rules whose fixes rewrote it."""
    rejects: list[Reject]
    file_actions: dict[str, str]
    """File-wide changes made (e.g. remove-bom) -> the rule that asked for each."""
    output: bytes | None
    """The cleaned file, or None for a dataset that came from memory."""
    converged: bool


def fix(dataset: Dataset, rules: list[Rule], *, unsafe: bool = False, jobs: int = 1,
        progress: Progress | None = None) -> FixOutcome:
    """Apply the safe fixes (and the unsafe ones with ``unsafe``) until none applies."""
    originals = {example.index: example for example in dataset.examples}
    invalid = {record.index: record for record in dataset.invalid_records}
    state = dataset
    changed: dict[int, set[str]] = defaultdict(set)
    rejects: dict[int, Reject] = {}
    file_actions: dict[str, str] = {}
    first_findings: list[Finding] | None = None
    converged = False
    for _ in range(MAX_FIX_PASSES):
        findings = check(state, rules, jobs, progress)
        if first_findings is None:
            first_findings = findings
        plan = plan_fixes(findings, state, unsafe)
        if plan.empty:
            converged = True
            break
        for index, dropping in plan.drops.items():
            source = originals.get(index) or invalid[index]
            rejects[index] = Reject.of(index, source.line, dropping, _original_text(dataset, index))
        updates = {}
        for action, finding in plan.file_actions.items():
            file_actions[action] = finding.rule
            updates.update(dataset.layout.effect(action) if dataset.layout else {})
        edits_by_example = defaultdict(list)
        for (index, field), finding in plan.edits.items():
            edits_by_example[index].append((field, finding))
        examples = []
        for example in state.examples:
            if example.index in plan.drops:
                continue
            for field, finding in edits_by_example.get(example.index, ()):
                example = example.with_field_text(field, finding.fix.replacement_text())
                changed[example.index].add(finding.rule)
            examples.append(example)
        state = dataclasses.replace(
            state,
            examples=examples,
            invalid_records=[r for r in state.invalid_records if r.index not in plan.drops],
            dropped=frozenset(rejects),
            **updates,
        )
    changes = _field_changes(originals, state.examples)
    output = None
    if dataset.layout is not None:
        output = dataset.layout.render(changes, set(rejects), set(file_actions))
    return FixOutcome(
        findings=first_findings or [],
        examples=state.examples,
        changed={index: sorted(changed[index]) for index in sorted(changes)},
        rejects=sorted(rejects.values(), key=lambda reject: reject.example),
        file_actions=file_actions,
        output=output,
        converged=converged,
    )


@dataclasses.dataclass
class FixPlan:
    drops: dict[int, list[Finding]]
    edits: dict[tuple[int, str], Finding]
    file_actions: dict[str, Finding]

    @property
    def empty(self) -> bool:
        return not (self.drops or self.edits or self.file_actions)


def plan_fixes(findings: list[Finding], dataset: Dataset, unsafe: bool) -> FixPlan:
    """The fixes to apply in this pass. Several rules may rewrite one field; the first (by
    code) goes now and the rest are checked again on the new text in the next pass.
    Dropping an example wins over rewriting it."""
    examples = {example.index: example for example in dataset.examples}
    droppable = set(examples) | {record.index for record in dataset.invalid_records}
    plan = FixPlan({}, {}, {})
    for finding in sorted(findings, key=lambda f: f.code):
        fix = finding.fix
        if fix is None or (fix.applicability is Applicability.UNSAFE and not unsafe):
            continue
        if fix.file_action:
            plan.file_actions.setdefault(fix.file_action, finding)
        elif fix.drop and finding.example in droppable:
            plan.drops.setdefault(finding.example, []).append(finding)
        elif fix.replacement is not None and finding.example in examples:
            example = examples[finding.example]
            field = fix.field or example.fields[0].name
            key = (example.index, field)
            if key in plan.edits:
                continue
            text = fix.replacement_text()
            if text != example.field(field).text and (
                dataset.layout is None or dataset.layout.accepts(example.index, field, text, dataset.dropped)
            ):
                plan.edits[key] = finding
    plan.edits = {key: f for key, f in plan.edits.items() if key[0] not in plan.drops}
    return plan


def _field_changes(originals: dict[int, Example], examples: list[Example]) -> dict[int, dict[str, str]]:
    changes = {}
    for example in examples:
        before = originals[example.index]
        fields = {
            field.name: field.text
            for field, old in zip(example.fields, before.fields)
            if field.text != old.text
        }
        if fields:
            changes[example.index] = fields
    return changes


def _original_text(dataset: Dataset, index: int) -> str:
    if dataset.layout is not None:
        return dataset.layout.original(index)
    return next(example.text for example in dataset.examples if example.index == index)
