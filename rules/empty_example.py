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

    Fix (safe): the example goes to the rejects file.
    """

    code = "PD101"
    name = "empty-example"
    severity = Severity.ERROR
    fix_applicability = Applicability.SAFE

    def check(self, example: Example):
        if not example.normalized:
            what = "empty" if not example.text else "only whitespace"
            yield Finding.at(example, f"example is {what}", fix=Fix.remove(Applicability.SAFE))
