from __future__ import annotations

from dataclasses import dataclass

from prepdata import (
    Applicability,
    Dataset,
    Finding,
    Fix,
    NearCopySearch,
    Severity,
    StreamingRule,
    option,
)


class NearDuplicate(StreamingRule):
    """An example that nearly repeats an earlier one (MinHash, confirmed by exact Jaccard).

    Why: near copies (the same text with a few words changed) over-weight one example as
    much as exact copies do, and are invisible to a plain duplicate check.

    How: each example becomes the set of its normalized word 5-grams (case-folded,
    punctuation dropped; an example of fewer than five words is one shingle). MinHash
    signatures (128 permutations, seed 1; equal to datasketch's for the same shingles,
    computed vectorized) are split into 32 LSH bands of 4 rows, which makes candidates of
    pairs far below ``threshold`` (half of the pairs at similarity 0.45) so that almost no
    true pair is missed; every candidate is then confirmed by the Jaccard similarity of the
    two shingle sets, so the report holds no false pair. Examples are taken in file order; each is compared
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
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        threshold: float = option(0.8, "Jaccard similarity of word 5-grams at which to report.")
        shingle_size: int = option(5, "Words per shingle.")

    def start(self, dataset: Dataset) -> None:
        self.search = NearCopySearch(self.options.threshold, self.options.shingle_size)

    def consume(self, examples, sites):
        self.search.add(examples)
        return ()

    def finish(self, fetch):
        copies, examples = self.search.finish(fetch)
        for copy in copies:
            example, kept = examples[copy.example], examples[copy.kept]
            yield Finding.at(
                example,
                f"near-duplicate of example {kept.index} (line {kept.line}), similarity {copy.similarity:.2f}",
                fix=Fix.remove(Applicability.UNSAFE),
                duplicate_of=kept.index,
                details={"similarity": round(copy.similarity, 4)},
            )
