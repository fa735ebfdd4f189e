"""Near-duplicate search shared by the rules that need it: MinHash signatures (datasketch)
in an LSH index, every candidate confirmed by the exact Jaccard similarity of shingle sets."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Hashable

import numpy as np

from prepdata import minhash
from prepdata.dataset import Example
from prepdata.text import jaccard

NUM_PERM = 128
SEED = 1


class NearDuplicateIndex:
    """Shingle sets indexed for Jaccard similarity search.

    The LSH index is tuned for ``threshold - 0.2`` so that few true pairs are missed;
    ``matches`` then keeps only those whose exact Jaccard similarity reaches ``threshold``,
    so nothing it returns is a false pair.
    """

    def __init__(self, threshold: float) -> None:
        from datasketch import MinHashLSH  # heavy import, only when a rule needs it

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - 0.2), num_perm=NUM_PERM)
        self._shingles: dict[Hashable, set[str]] = {}

    @staticmethod
    def signature(shingles: set[str]):
        from datasketch import MinHash

        signature = MinHash(num_perm=NUM_PERM, seed=SEED)
        signature.update_batch(shingle.encode("utf-8", errors="surrogateescape") for shingle in sorted(shingles))
        return signature

    def add(self, key: Hashable, shingles: set[str], signature=None) -> None:
        self._shingles[key] = shingles
        self._lsh.insert(key, signature or self.signature(shingles))

    def matches(self, shingles: set[str], signature=None) -> list[tuple[Hashable, float]]:
        """(key, similarity) of every indexed set at or above the threshold, most similar
        first, then in key order."""
        found = []
        for key in self._lsh.query(signature or self.signature(shingles)):
            similarity = jaccard(shingles, self._shingles[key])
            if similarity >= self.threshold:
                found.append((key, similarity))
        return sorted(found, key=lambda item: (-item[1], item[0]))


@dataclasses.dataclass(frozen=True)
class NearCopy:
    example: int
    kept: int
    similarity: float


def analyse(examples: list[Example]) -> None:
    """Compute the MinHash LSH band keys of ``examples`` (default 5-word shingles) in one
    vectorized pass and keep them on each example as ``minhash_bands``; the engine's
    worker processes call this so that the near-duplicate search starts from them."""
    missing = [example for example in examples if "minhash_bands" not in example.__dict__]
    if not missing:
        return
    sets = minhash.shingle_multisets([example.word_hashes for example in missing], minhash.SHINGLE_SIZE)
    keys = minhash.band_keys(minhash.signatures(sets))
    for example, shingles, row in zip(missing, sets, keys, strict=True):
        example.__dict__["minhash_bands"] = row if len(shingles) else None


def near_copies(examples: list[Example], threshold: float, shingle_size: int = 5) -> list[NearCopy]:
    """Each example whose word-shingle Jaccard similarity with an earlier *kept* example is
    at least ``threshold``, with the most similar such example (ties: the earliest).

    Examples are taken in order; one with no such match is kept. Candidates come from the
    LSH bands of vectorized MinHash signatures (prepdata.minhash), and every candidate is
    confirmed by the Jaccard similarity of the two shingle sets. A candidate that is a copy
    stands for the example it was matched to, so a group is always judged against the
    example kept, never chained. Exact duplicates (equal normalized text) are not listed.
    """
    if shingle_size == minhash.SHINGLE_SIZE:
        analyse(examples)
        bands = [example.minhash_bands for example in examples]
    else:
        sets = minhash.shingle_multisets([example.word_hashes for example in examples], shingle_size)
        keys = minhash.band_keys(minhash.signatures(sets))
        bands = [row if len(shingles) else None for shingles, row in zip(sets, keys, strict=True)]
    with_shingles = np.flatnonzero([row is not None for row in bands])
    if len(with_shingles) < 2:
        return []
    pairs = with_shingles[minhash.candidate_pairs(np.stack([bands[i] for i in with_shingles]))]
    kept_as = list(range(len(examples)))
    found = []

    def shingles(position: int) -> np.ndarray:
        return minhash.shingle_hashes(examples[position].word_hashes, shingle_size)

    for later, group in itertools.groupby(pairs.tolist(), key=lambda pair: pair[0]):
        best = None
        mine = shingles(later)
        for candidate in sorted({kept_as[earlier] for _, earlier in group}):
            if examples[candidate].normalized == examples[later].normalized:
                best = None
                kept_as[later] = candidate  # an exact copy: exact-duplicate reports it
                break
            similarity = minhash.jaccard(mine, shingles(candidate))
            if similarity >= threshold and (best is None or similarity > best[1]):
                best = (candidate, similarity)
        if best is not None:
            kept_as[later] = best[0]
            found.append(NearCopy(later, best[0], best[1]))
    return found
