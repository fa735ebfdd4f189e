from __future__ import annotations

from prepdata import Applicability, Dataset, Finding, Fix, Rule, Scope, Severity


class ExactDuplicate(Rule):
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
    scope = Scope.DATASET
    fix_applicability = Applicability.UNSAFE

    def check(self, dataset: Dataset):
        first_by_text: dict[str, object] = {}
        for example in dataset.examples:
            if example.is_blank:
                continue
            kept = first_by_text.setdefault(example.normalized, example)
            if kept is not example:
                yield Finding.at(
                    example,
                    f"duplicate of example {kept.index} (line {kept.line})",
                    fix=Fix.remove(Applicability.UNSAFE),
                    duplicate_of=kept.index,
                )
