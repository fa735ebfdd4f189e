from __future__ import annotations

from dataclasses import dataclass

from prepdata import (
    Applicability,
    Dataset,
    Finding,
    Fix,
    Rule,
    Scope,
    Severity,
    jaccard,
    option,
    word_shingles,
)

NUM_PERM = 128
SEED = 1


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

    Fails (``threshold = 0.8``)::

        The quick brown fox jumps over the lazy dog near the river bank today.
        --SEPARATOR--
        The quick brown fox jumps over the lazy dog near the river bank tonight.

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
        from datasketch import MinHash, MinHashLSH  # heavy import, only when the rule runs

        threshold = self.options.threshold
        candidate_threshold = max(0.05, threshold - 0.2)
        index = MinHashLSH(threshold=candidate_threshold, num_perm=NUM_PERM)
        kept = {}  # example index -> (example, shingles)
        for example in dataset.examples:
            shingles = word_shingles(example.words, self.options.shingle_size)
            if not shingles:
                continue
            signature = MinHash(num_perm=NUM_PERM, seed=SEED)
            signature.update_batch(shingle.encode("utf-8") for shingle in shingles)
            best, exact_copy = None, False
            for candidate in sorted(index.query(signature)):
                other, other_shingles = kept[candidate]
                if other.normalized == example.normalized:
                    exact_copy = True  # exact-duplicate reports it
                    break
                similarity = jaccard(shingles, other_shingles)
                if similarity >= threshold and (best is None or similarity > best[1]):
                    best = (other, similarity)
            if exact_copy:
                continue
            if best is None:
                kept[example.index] = (example, shingles)
                index.insert(example.index, signature)
                continue
            other, similarity = best
            yield Finding.at(
                example,
                f"near-duplicate of example {other.index} (line {other.line}), similarity {similarity:.2f}",
                fix=Fix.remove(Applicability.UNSAFE),
                duplicate_of=other.index,
                details={"similarity": round(similarity, 4)},
            )
