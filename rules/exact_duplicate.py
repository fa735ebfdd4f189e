from __future__ import annotations

import numpy as np

from prepdata import Applicability, Dataset, Finding, Fix, Severity, StreamingRule


class ExactDuplicate(StreamingRule):
    """An example identical to an earlier one, ignoring whitespace and case.

    Why: repeated examples weigh more in training than the rest and teach the model to
    repeat them word for word; the platform's guide asks to remove repetitive data.

    A JSONL or CSV record is compared whole: the prompt with the completion, or the whole
    conversation (each field normalized on its own).

    Fails::

        What is the capital of France? Paris.
        --SEPARATOR--
        what is the capital of  France?   Paris.

    Passes::

        What is the capital of France? Paris.
        --SEPARATOR--
        What is the capital of Spain? Madrid.

    Fix (unsafe): the first occurrence is kept; each later one goes to the rejects file
    with ``duplicate_of`` pointing at the one kept. Unsafe because a deliberate repeat
    (to weight an example) is lost.
    """

    code = "PD201"
    name = "exact-duplicate"
    severity = Severity.WARNING
    fix_applicability = Applicability.UNSAFE

    def start(self, dataset: Dataset) -> None:
        # Per example only a 64-bit digest of its normalized text and where it starts
        # (24 bytes), in numpy blocks: all a streamed file keeps of each example.
        self.blocks: list[np.ndarray] = []

    def consume(self, examples, sites):
        rows = [
            (example.normalized_digest, example.index, example.line, example.column)
            for example in examples
            if not example.is_blank
        ]
        if rows:
            self.blocks.append(np.array(rows, dtype=_ROW))
        return ()

    def finish(self, fetch):
        if not self.blocks:
            return
        rows = np.concatenate(self.blocks)
        self.blocks = []
        rows = rows[np.lexsort((rows["index"], rows["key"]))]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows["key"][1:] != rows["key"][:-1]
        kept = rows[np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))]
        copies = np.flatnonzero(~first)
        for position in copies[np.argsort(rows["index"][copies], kind="stable")]:
            copy, original = rows[position], kept[position]
            yield Finding(
                f"duplicate of example {original['index']} (line {original['line']})",
                example=int(copy["index"]),
                line=int(copy["line"]),
                column=int(copy["column"]),
                fix=Fix.remove(Applicability.UNSAFE),
                duplicate_of=int(original["index"]),
                content=f"{int(copy['key']):016x}",
            )


_ROW = np.dtype([("key", np.uint64), ("index", np.int64), ("line", np.int32), ("column", np.int32)])

