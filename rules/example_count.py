from __future__ import annotations

from dataclasses import dataclass

from prepdata import Dataset, Finding, Severity, StreamingRule, option

#: The original guidance for a .txt file split by a separator.
TXT_MIN_EXAMPLES = 200


class ExampleCount(StreamingRule):
    """Too few examples for the platform, or more than it takes.

    Why: the guidance this product started from needs at least 200 examples in a file split
    by a separator; hosted platforms set their own bounds (OpenAI at least 10, Fireworks 3,
    Nova 8 to 20,000) and reject a file outside them. A .txt file split automatically is
    not counted, since the platform chooses its examples itself.

    Which bounds apply: the options when set; else those of ``--platform``; else, for a
    .txt file split by a separator only, 200. With a platform, fewer examples than it
    recommends is a warning.

    Fails: 150 examples separated by ``--SEPARATOR--``.
    Passes: 250 examples separated by ``--SEPARATOR--``; 30 JSONL records with no platform.
    """

    code = "PD002"
    name = "example-count"
    severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        min_examples: int | None = option(None, "Fewer examples is an error (default: the platform's; 200 for .txt).")
        max_examples: int | None = option(None, "More examples is an error (default: the platform's).")

    def start(self, dataset: Dataset) -> None:
        limits = dataset.platform.limits if dataset.platform else None
        txt = dataset.input_format in ("txt", "memory") and not dataset.auto_split
        self.minimum = _first(self.options.min_examples, limits and limits.min_examples,
                              TXT_MIN_EXAMPLES if txt and not limits else None)
        self.recommended = limits.recommended_examples if limits else None
        self.maximum = _first(self.options.max_examples, limits and limits.max_examples)
        self.who = f"{dataset.platform.name} needs" if dataset.platform else "the platform needs"
        self.counted = not dataset.auto_split
        self.count = 0

    def consume(self, examples, sites):
        self.count += len(examples)
        return ()

    def finish(self, fetch):
        count = self.count
        if not self.counted:
            return
        if self.minimum is not None and count < self.minimum:
            yield Finding(f"{count} examples; {self.who} at least {self.minimum}",
                          details={"examples": count, "minimum": self.minimum})
        elif self.recommended is not None and count < self.recommended:
            yield Finding(f"{count} examples; at least {self.recommended} are recommended", severity=Severity.WARNING,
                          details={"examples": count, "recommended": self.recommended})
        if self.maximum is not None and count > self.maximum:
            yield Finding(f"{count} examples; at most {self.maximum:,} are taken",
                          details={"examples": count, "maximum": self.maximum})


def _first(*values):
    return next((value for value in values if value is not None), None)
