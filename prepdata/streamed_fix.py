"""Fixing a large file a block at a time (docs/streaming.md, step 5).

The same loop as ``engine.fix``: check, plan the fixes, apply them, check again until
nothing changes. Here each check is a streamed lint of the file seen through the fixes
made so far (an ``Overlay``: the new texts of the examples rewritten, the records
dropped), the plan reads again only the examples the fixable findings name, and the
cleaned file is written by streaming the file's pieces through its layout's own
``render_pieces``. What stays in memory: the new texts of rewritten examples, the
findings, and the rejects. A test compares every result with ``engine.fix``'s.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from itertools import zip_longest
from typing import BinaryIO

from prepdata import engine, streaming
from prepdata.api import Finding, Rule
from prepdata.dataset import Dataset, Example, InvalidRecord
from prepdata.engine import Reject
from prepdata.progress import Progress
from prepdata.report import FileReport


class Overlay(streaming.Source):
    """A streamed file as the fixes so far leave it: ``edits`` (index -> field -> text)
    rewrite examples and the ``dropped`` records are gone; its pieces are the file's own,
    since the layout keeps writing from them."""

    def __init__(self, base: streaming.Source, edits: dict[int, dict[str, str]], dropped: frozenset[int],
                 updates: dict) -> None:
        super().__init__(dataclasses.replace(base.info, invalid_records=[], dropped=dropped, **updates),
                         base.file, newline=base.newline)
        self.base, self.edits, self.dropped = base, edits, dropped

    def _edited(self, item):
        if isinstance(item, Example) and item.index in self.edits:
            for name, text in self.edits[item.index].items():
                item = item.with_field_text(name, text)
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
    edits: dict[int, dict[str, str]] = {}
    drops: dict[int, tuple[int, list[Finding]]] = {}  # index -> (line, the findings that drop it)
    changed: dict[int, set[str]] = defaultdict(set)
    file_actions: dict[str, str] = {}
    updates: dict = {}
    first: FileReport | None = None
    converged = False
    for _ in range(engine.MAX_FIX_PASSES):
        view = Overlay(source, edits, frozenset(drops), updates)
        findings, lengths = streaming.check_file(view, rules, progress, jobs)
        # One further pass reads what both the layout check of rewrites and the plan need:
        # every example a fixable finding names (the rewritten ones among them).
        named = {f.example for f in findings if f.fixable and f.example is not None}
        examples, layout = streaming.fetch_with_layout(view, named)
        findings = [engine.writable(f, examples, layout, view.dropped) for f in findings]
        first = first or streaming.file_report(view.info, lengths, findings)
        state = Dataset(path=source.info.path, size_bytes=source.info.size_bytes,
                        examples=sorted(examples.values(), key=lambda example: example.index),
                        invalid_records=view.info.invalid_records, layout=layout, dropped=view.dropped)
        plan = engine.plan_fixes(findings, state, unsafe)
        if plan.empty:
            converged = True
            break
        invalid_lines = {record.index: record.line for record in view.info.invalid_records}
        for index, dropping in plan.drops.items():
            line = examples[index].line if index in examples else invalid_lines[index]
            drops[index] = (line, dropping)
        for action, finding in plan.file_actions.items():
            file_actions[action] = finding.rule
            updates.update(layout.effect(action))
        for (index, field), finding in plan.edits.items():
            edits.setdefault(index, {})[field] = finding.fix.replacement
            changed[index].add(finding.rule)

    changes, rejects, kept, count = _settle(source, edits, drops)
    layout = source.layout({}, 0)

    def write_output(stream: BinaryIO) -> None:
        pieces = (piece for piece, _ in source.pieces())
        for chunk in layout.render_pieces(pieces, changes, set(drops), set(file_actions), count):
            stream.write(chunk)

    return StreamedFix(
        report=first,
        changed={index: sorted(changed[index]) for index in sorted(changes)},
        rejects=rejects,
        file_actions=file_actions,
        converged=converged,
        kept=kept,
        expected=Overlay(source, edits, frozenset(drops), updates),
        write_output=write_output,
    )


def _settle(source: streaming.Source, edits: dict[int, dict[str, str]], drops: dict[int, tuple[int, list[Finding]]]):
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
            fields = {name: text for name, text in edits.get(item.index, {}).items() if item.field(name).text != text}
            if fields:
                changes[item.index] = fields
    return changes, rejects, kept, count


def verify_round_trip(expected: Overlay, cleaned: streaming.Source) -> bool:
    """Whether the cleaned file reads back as exactly the examples fix meant to keep."""
    def fields(source: streaming.Source):
        for item in source.items():
            if isinstance(item, Example):
                yield [(field.name, field.text) for field in item.fields]

    return all(a == b for a, b in zip_longest(fields(expected), fields(cleaned), fillvalue=None))

