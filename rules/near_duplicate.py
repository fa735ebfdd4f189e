from __future__ import annotations

from dataclasses import dataclass

from prepdata import (
    Applicability,
    Dataset,
    Finding,
    Fix,
    NearDuplicateIndex,
    Rule,
    Scope,
    Severity,
    option,
    word_shingles,
)


class NearDuplicate(Rule):
    """An example that nearly repeats an earlier one (MinHash, confirmed by exact Jaccard).

    Why: near copies (the same text with a few words changed) over-weight one example as
    much as exact copies do, and are invisible to a plain duplicate check.

    How: each example becomes the set of its normalized word 5-grams (case-folded,
    punctuation dropped; an example of fewer than five words is one shingle). MinHash
    signatures (datasketch, 128 permutations, seed 1) go into an LSH index tuned for a
    lower similarity than ``threshold``, so that few true pairs are missed; every
    candidate is then confirmed by the exact Jaccard similarity of the two shingle sets, so
    the report holds no false pair. Examples are taken in file order; each is compared
    with the examples kept so far, and joins the group of the most similar one at or above
    ``threshold``. A group is judged against the example kept, so near copies of near
    copies are never chained into one giant group. Exact duplicates (equal after
    whitespace and case normalization) are left to ``exact-duplicate``.

    A JSONL or CSV record is compared on all its text fields together.

    Fails (``threshold = 0.8``): two 60-word paragraphs that differ in one word.

    Passes: two examples about different things.

    Fix (unsafe): the first example of each group is kept; its near copies go to the
    rejects file with ``duplicate_of`` pointing at it.
    """

    code = "PD202"
    name = "near-duplicate"
    severity = Severity.WARNING
    scope = Scope.DATASET
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        threshold: float = option(0.8, "Jaccard similarity of word 5-grams at which to report.")
        shingle_size: int = option(5, "Words per shingle.")

    def check(self, dataset: Dataset):
        kept_examples = {}
        index = NearDuplicateIndex(self.options.threshold)
        for example in dataset.examples:
            shingles = word_shingles(example.words, self.options.shingle_size)
            if not shingles:
                continue
            signature = index.signature(shingles)
            matches = index.matches(shingles, signature)
            if not matches:
                kept_examples[example.index] = example
                index.add(example.index, shingles, signature)
                continue
            best, similarity = matches[0]
            kept = kept_examples[best]
            if any(kept_examples[key].normalized == example.normalized for key, _ in matches):
                continue  # an exact duplicate: exact-duplicate reports it
            yield Finding.at(
                example,
                f"near-duplicate of example {kept.index} (line {kept.line}), similarity {similarity:.2f}",
                fix=Fix.remove(Applicability.UNSAFE),
                duplicate_of=kept.index,
                details={"similarity": round(similarity, 4)},
            )
