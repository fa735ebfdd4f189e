from __future__ import annotations

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity


class EmptyExample(Rule):
    """An example that is empty or only whitespace.

    Why: an empty example teaches nothing and some platforms reject the file for it. It
    usually comes from two separators in a row or a separator at the start of the file.

    Fails::

        First example.
        --SEPARATOR--
        --SEPARATOR--
        Third example.

    Passes::

        First example.
        --SEPARATOR--
        Second example.

    In JSONL and CSV records, the text that counts is what the model should generate: the
    completion, or the model's turns of a chat (a record with no model turn at all is left
    to ``chat-schema``).

    Fix (safe): the example goes to the rejects file.
    """

    code = "PD101"
    name = "empty-example"
    severity = Severity.ERROR
    fix_applicability = Applicability.SAFE

    def check(self, example: Example):
        targets = [field for field in example.fields if field.target]
        if targets and not example.normalized_target:
            what = "empty" if not example.target else "only whitespace"
            part = "example" if len(example.fields) == 1 else "text the model should generate"
            yield Finding.at(example, f"{part} is {what}", fix=Fix.remove(Applicability.SAFE))
