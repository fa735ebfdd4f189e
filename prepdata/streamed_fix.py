"""Fixing a large file a block at a time (docs/streaming.md, step 5).

The same loop as ``engine.fix``: check, plan the fixes, apply them, check again until
nothing changes. Here each check is a streamed lint of the file seen through the fixes
made so far (an ``Overlay``: the new texts of the examples rewritten, the records
dropped), the plan reads again the examples the fixable findings name, a batch at a
time, and the cleaned file is written by streaming the file's pieces through its
layout's own ``render_pieces``. What stays in memory: the findings, the rejects, and
for each rewritten example where its new text lies in a temporary file
(``prepdata.spill``). A test compares every result with ``engine.fix``'s.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from itertools import zip_longest
from typing import BinaryIO

from prepdata import engine, streaming
from prepdata.api import Finding, Rule
from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.engine import Reject
from prepdata.progress import Progress
from prepdata.report import FileReport
from prepdata.spill import SpilledText, text_of


class Overlay(streaming.Source):
    """A streamed file as the fixes so far leave it: ``edits`` (index -> field -> text)
    rewrite examples and the ``dropped`` records are gone; its pieces are the file's own,
    since the layout keeps writing from them."""

    def __init__(self, base: streaming.Source, edits: dict[int, dict[str, str | SpilledText]], dropped: frozenset[int],
                 updates: dict) -> None:
        super().__init__(dataclasses.replace(base.info, invalid_records=[], dropped=dropped, **updates),
                         base.file, newline=base.newline)
        self.base, self.edits, self.dropped = base, edits, dropped

    def _edited(self, item):
        if isinstance(item, Example) and item.index in self.edits:
            for name, text in self.edits[item.index].items():
                item = item.with_field_text(name, text_of(text))
        return item

    def items(self, wanted=None):
        for item in self.base.items(wanted):
            if not (isinstance(item, (Example, InvalidRecord)) and item.index in self.dropped):
                yield self._edited(item)

    def pieces(self):
        for piece, item in self.base.pieces():
            yield piece, self._edited(item)

    def layout(self, pieces, count):
        return self.base.layout(pieces, count)


@dataclasses.dataclass
class StreamedFix:
    """What ``fix`` did to a streamed file; ``write_output`` writes the cleaned file."""

    report: FileReport
    """The input as the first check saw it."""
    changed: dict[int, list[str]]
    rejects: list[Reject]
    file_actions: dict[str, str]
    converged: bool
    kept: int
    expected: Overlay
    """The input seen through every fix: what the cleaned file must read back as."""
    write_output: Callable[[BinaryIO], None]


def fix_file(source: streaming.Source, rules: list[Rule], *, unsafe: bool, jobs: int,
             progress: Progress) -> StreamedFix:
    edits: dict[int, dict[str, str | SpilledText]] = {}  # new texts, spilled to disk
    drops: dict[int, tuple[int, list[Finding]]] = {}  # index -> (line, the findings that drop it)
    changed: dict[int, tuple[str, ...]] = {}
    file_actions: dict[str, str] = {}
    updates: dict = {}
    first: FileReport | None = None
    converged = False
    for _ in range(engine.MAX_FIX_PASSES):
        view = Overlay(source, edits, frozenset(drops), updates)
        findings, lengths = streaming.check_file(view, rules, progress, jobs)
        plan, lines = _plan(view, findings, unsafe)
        first = first or streaming.file_report(view.info, lengths, findings)
        if plan.empty:
            converged = True
            break
        for index, dropping in plan.drops.items():
            drops[index] = (lines[index], dropping)
        for action, finding in plan.file_actions.items():
            file_actions[action] = finding.rule
            updates.update(source.layout({}, 0).effect(action))
        for (index, field), finding in plan.edits.items():
            edits.setdefault(index, {})[field] = finding.fix.replacement  # spilled: a few bytes
            changed[index] = _with_rule(changed.get(index, ()), finding.rule)

    changes, rejects, kept, count = _settle(source, edits, drops)
    layout = source.layout({}, 0)

    def write_output(stream: BinaryIO) -> None:
        pieces = (piece for piece, _ in source.pieces())
        for chunk in layout.render_pieces(pieces, _Texts(changes), set(drops), set(file_actions), count):
            stream.write(chunk)

    return StreamedFix(
        report=first,
        changed={index: list(changed[index]) for index in sorted(changes)},
        rejects=rejects,
        file_actions=file_actions,
        converged=converged,
        kept=kept,
        expected=Overlay(source, edits, frozenset(drops), updates),
        write_output=write_output,
    )


def _plan(view: Overlay, findings: list[Finding], unsafe: bool) -> tuple[engine.FixPlan, dict[int, int]]:
    """``engine.plan_fixes`` for a streamed file, and the line of each record it drops.

    Planning reads the examples the fixable findings name, with their pieces (a rewrite
    must fit the file, ``engine.writable``), a batch at a time: an example's plan depends
    only on its own findings. Rewrites found unwritable are withdrawn from ``findings``
    in place, as ``engine.check`` withdraws them."""
    plan = engine.FixPlan({}, {}, {})
    invalid = {record.index: record.line for record in view.info.invalid_records}
    lines = dict(invalid)

    def add(part: engine.FixPlan) -> None:
        plan.drops.update(part.drops)
        plan.edits.update(part.edits)
        for action, finding in part.file_actions.items():
            if action not in plan.file_actions or finding.code < plan.file_actions[action].code:
                plan.file_actions[action] = finding

    for examples, layout, positions in streaming.writable_in_batches(view, findings, lambda f: f.fixable):
        batch = Dataset(path=view.info.path, size_bytes=view.info.size_bytes,
                        examples=sorted(examples.values(), key=lambda example: example.index),
                        layout=layout, dropped=view.dropped)
        part = engine.plan_fixes([findings[position] for position in positions], batch, unsafe)
        lines.update((index, examples[index].line) for index in part.drops if index in examples)
        add(part)
    # What no example holds: file actions, and the records that could not be read.
    rest = Dataset(path=view.info.path, size_bytes=view.info.size_bytes, examples=[],
                   invalid_records=view.info.invalid_records, dropped=view.dropped)
    add(engine.plan_fixes([f for f in findings if f.fixable and (f.example is None or f.example in invalid)],
                          rest, unsafe))
    return plan, lines


@functools.lru_cache(maxsize=None)
def _with_rule(rules: tuple[str, ...], rule: str) -> tuple[str, ...]:
    """``rules`` and ``rule``, sorted: one shared tuple for all the examples rewritten by
    the same rules, instead of a set each."""
    return tuple(sorted({*rules, rule}))


class _Texts(Mapping):
    """``changes`` (index -> field -> new text) as the layouts read them, each text read
    back from the spill only when its record is written."""

    def __init__(self, changes: dict[int, dict[str, str | SpilledText]]) -> None:
        self.changes = changes

    def __getitem__(self, index: int) -> dict[str, str]:
        return {name: text_of(text) for name, text in self.changes[index].items()}

    def __iter__(self):
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)


def _settle(source: streaming.Source, edits: dict[int, dict[str, str | SpilledText]],
            drops: dict[int, tuple[int, list[Finding]]]):
    """(changes, rejects, examples kept, records in the file), from one more pass: a field
    counts as changed only if its final text differs from the file's (a later rewrite may
    have put it back), and a reject carries its record's text exactly as the file has it."""
    changes: dict[int, dict[str, str]] = {}
    rejects: list[Reject] = []
    kept = count = 0
    layout = source.layout({}, 0)
    for piece, item in source.pieces():
        if piece.index is None:
            continue
        count = piece.index + 1
        if piece.index in drops:
            line, dropping = drops[piece.index]
            rejects.append(Reject.of(piece.index, line, dropping, layout.original_of(piece)))
        elif isinstance(item, Example):
            kept += 1
            edited = edits.get(item.index, {})
            fields = {name: text for name, text in edited.items() if item.field(name).text != text_of(text)}
            if fields:
                changes[item.index] = edited if len(fields) == len(edited) else fields  # shared, not copied
    return changes, rejects, kept, count


def verify_round_trip(expected: Overlay, cleaned: streaming.Source) -> bool:
    """Whether the cleaned file reads back as exactly the examples fix meant to keep."""
    def fields(source: streaming.Source):
        for item in source.items():
            if isinstance(item, Example):
                yield [(field.name, field.text) for field in item.fields]

    return all(a == b for a, b in zip_longest(fields(expected), fields(cleaned), fillvalue=None))

