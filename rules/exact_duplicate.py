from __future__ import annotations

import hashlib

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
        # A 64-bit digest of the normalized text per kept example, not the text: it is all
        # a streamed file keeps of each example.
        self.first: dict[bytes, tuple[int, int]] = {}

    def consume(self, examples, sites):
        for example in examples:
            if example.is_blank:
                continue
            key = hashlib.blake2b(example.normalized.encode("utf-8", "surrogateescape"), digest_size=8).digest()
            kept_index, kept_line = self.first.setdefault(key, (example.index, example.line))
            if kept_index != example.index:
                yield Finding.at(
                    example,
                    f"duplicate of example {kept_index} (line {kept_line})",
                    fix=Fix.remove(Applicability.UNSAFE),
                    duplicate_of=kept_index,
                )
