from __future__ import annotations

from dataclasses import dataclass

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

    Runs when a training file is given: ``prepdata lint valid.jsonl --against train.jsonl``.
    Each example of the linted (evaluation) file is compared with every training example:
    exactly (equal after whitespace and case normalization) and nearly (word 5-gram Jaccard
    similarity of at least ``threshold``, MinHash candidates confirmed exactly, as in
    ``near-duplicate``). The finding names both places.

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
        self.training = dataset.against
        if self.training is None:
            return
        self.exact = {}
        self.index = NearDuplicateIndex(self.options.threshold)
        for example in self.training.examples:
            if example.is_blank:
                continue
            self.exact.setdefault(example.normalized, example)
            shingles = word_shingles(example.words, self.options.shingle_size)
            if shingles:
                self.index.add(example.index, shingles)
        self.by_index = {example.index: example for example in self.training.examples}

    def consume(self, examples, sites):
        if self.training is None:
            return
        for example in examples:
            if example.is_blank:
                continue
            twin, similarity = self.exact.get(example.normalized), 1.0
            if twin is None:
                shingles = word_shingles(example.words, self.options.shingle_size)
                matches = self.index.matches(shingles) if shingles else []
                if not matches:
                    continue
                twin, similarity = self.by_index[matches[0][0]], matches[0][1]
            kind = "an exact copy" if twin.normalized == example.normalized else f"a near copy ({similarity:.2f})"
            yield Finding.at(
                example,
                f"{kind} of training example {twin.index} at {self.training.path}:{twin.line}",
                fix=Fix.remove(Applicability.UNSAFE),
                details={"training_path": self.training.path, "training_line": twin.line,
                         "training_example": twin.index, "similarity": round(similarity, 4)},
            )
