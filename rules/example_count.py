from __future__ import annotations

from dataclasses import dataclass

from prepdata import Dataset, Finding, Severity, StreamingRule, option


class ExampleCount(StreamingRule):
    """Too few examples in a file split by a separator, or in a JSONL or CSV file.

    Why: the platform needs at least 200 examples when a separator splits the file (and
    as many records in JSONL or CSV); with fewer the upload is rejected. A .txt file split
    automatically is not counted, since the platform chooses its examples itself.

    Fails: 150 examples separated by ``--SEPARATOR--``.
    Passes: 250 examples separated by ``--SEPARATOR--``.
    """

    code = "PD002"
    name = "example-count"
    severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        min_examples: int = option(200, "Fewer examples than this is an error.")

    def start(self, dataset: Dataset) -> None:
        self.counted = not dataset.auto_split
        self.count = 0

    def consume(self, examples, sites):
        self.count += len(examples)
        return ()

    def finish(self, fetch):
        count = self.count
        if self.counted and count < self.options.min_examples:
            yield Finding(
                f"{count} examples; the platform needs at least {self.options.min_examples}",
                details={"examples": count, "minimum": self.options.min_examples},
            )
