from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prepdata import (
    Applicability,
    Dataset,
    Finding,
    Fix,
    NearDuplicateIndex,
    Severity,
    StreamingRule,
    option,
    word_shingles,
)


class Leakage(StreamingRule):
    """An evaluation example that is also in the training data, exactly or nearly.

    Why: an evaluation set that overlaps the training set measures memory, not skill; the
    scores look better than the model is.

    Runs when other splits are given: ``prepdata lint valid.jsonl --against train.jsonl
    --against test.jsonl``. Each example of the linted file is compared with every example
    of those files (each a split, named by its file name's stem): exactly (equal after
    whitespace and case normalization) and nearly (word 5-gram Jaccard similarity of at
    least ``threshold``, MinHash candidates confirmed exactly, as in ``near-duplicate``).
    Records are compared whole (the prompt with the answer). The finding names the split
    it leaks from and both places; an exact copy wins over a near one, and an earlier split
    over a later one.

    Fails: ``valid.jsonl`` holds a record that ``train.jsonl`` has too.
    Passes: no evaluation record resembles a training record.

    Fix (unsafe): the evaluation example goes to the rejects file.
    """

    code = "PD203"
    name = "leakage"
    severity = Severity.ERROR
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        threshold: float = option(0.8, "Jaccard similarity of word 5-grams that counts as a near copy.")
        shingle_size: int = option(5, "Words per shingle.")

    def start(self, dataset: Dataset) -> None:
        self.splits = dataset.against
        if not self.splits:
            return
        self.exact = {}
        self.index = NearDuplicateIndex(self.options.threshold)
        self.by_key = {}
        for number, split in enumerate(self.splits):
            for example in split.examples:
                if example.is_blank:
                    continue
                self.exact.setdefault(example.normalized, (split, example))
                key = (number << 40) | example.index  # one index over every split
                self.by_key[key] = (split, example)
                shingles = word_shingles(example.words, self.options.shingle_size)
                if shingles:
                    self.index.add(key, shingles)

    def consume(self, examples, sites):
        if not self.splits:
            return
        for example in examples:
            if example.is_blank:
                continue
            found, similarity = self.exact.get(example.normalized), 1.0
            if found is None:
                shingles = word_shingles(example.words, self.options.shingle_size)
                matches = self.index.matches(shingles) if shingles else []
                if not matches:
                    continue
                found, similarity = self.by_key[matches[0][0]], matches[0][1]
            split, twin = found
            name = Path(split.path).stem
            kind = "an exact copy" if twin.normalized == example.normalized else f"a near copy ({similarity:.2f})"
            yield Finding.at(
                example,
                f"{kind} of {name} example {twin.index} at {split.path}:{twin.line}",
                fix=Fix.remove(Applicability.UNSAFE),
                details={"split": name, "split_path": split.path, "split_line": twin.line,
                         "split_example": twin.index, "similarity": round(similarity, 4)},
            )
