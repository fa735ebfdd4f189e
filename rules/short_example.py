from __future__ import annotations

import math
from dataclasses import dataclass

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity, option


class ShortExample(Rule):
    """An example much shorter than the text the model should generate.

    Why: the model learns the length of its output from the examples. If you want it to
    write 600-character answers, 50-character examples teach it to stop early. Length is
    counted in characters with whitespace collapsed, so spacing does not count.

    With ``target_length`` set, an example is short below ``target_length * min_ratio``
    characters (and never below ``min_length``); without it, below ``min_length``.
    Empty examples are left to ``empty-example``. In JSONL and CSV records the length is
    that of the text the model should generate: the completion, or the model's turns.

    Fails (``target_length = 600``)::

        Thanks!

    Passes (``target_length = 600``): a 450-character answer.

    Fix (unsafe): the example goes to the rejects file. Unsafe because a short example can
    still be what you meant to write.
    """

    code = "PD102"
    name = "short-example"
    severity = Severity.WARNING
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        target_length: int | None = option(
            None, "Length in characters of the text the model should generate."
        )
        min_ratio: float = option(0.25, "Shortest share of target_length an example may have.")
        min_length: int = option(20, "Absolute floor in characters, used alone with no target.")

    def length_markers(self) -> dict[str, int]:
        markers = {"short below": self.minimum()}
        if self.options.target_length is not None:
            markers["target length"] = self.options.target_length
        return markers

    def minimum(self) -> int:
        if self.options.target_length is None:
            return self.options.min_length
        return max(self.options.min_length, math.ceil(self.options.target_length * self.options.min_ratio))

    def check(self, example: Example):
        length = len(example.normalized_target)
        minimum = self.minimum()
        if 0 < length < minimum:
            yield Finding.at(
                example,
                f"example is {length} characters; the minimum is {minimum}",
                fix=Fix.remove(Applicability.UNSAFE),
                details={"length": length, "minimum": minimum},
            )
