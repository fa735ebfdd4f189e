"""Near-duplicate search shared by the rules that need it: MinHash signatures (datasketch)
in an LSH index, every candidate confirmed by the exact Jaccard similarity of shingle sets."""

from __future__ import annotations

from collections.abc import Hashable

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
