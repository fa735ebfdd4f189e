"""Near-duplicate search shared by the rules that need it: MinHash signatures (datasketch)
in an LSH index, every candidate confirmed by the exact Jaccard similarity of shingle sets."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Hashable

import numpy as np

from prepdata import minhash
from prepdata.dataset import Example, analyse_words
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


class NearCopySearch:
    """Near copies among examples given a block at a time, keeping only their LSH band
    keys (256 bytes an example); ``finish`` confirms the candidates on their shingle sets,
    asking ``fetch`` for just those examples again.

    Examples are judged in order; one with no match is kept. Each is compared with the
    examples kept so far that share a band with it, and joins the group of the most
    similar one at or above ``threshold`` (ties: the earliest). A candidate that is itself
    a copy stands for the example it was matched to, so a group is always judged against
    the example kept, never chained. Exact duplicates (equal normalized text) are not
    listed.
    """

    def __init__(self, threshold: float, shingle_size: int = minhash.SHINGLE_SIZE) -> None:
        self.threshold, self.shingle_size = threshold, shingle_size
        self._indices: list[np.ndarray] = []
        self._bands: list[np.ndarray] = []  # one (examples, BANDS) uint32 block per add

    def add(self, examples: list[Example]) -> None:
        if self.shingle_size == minhash.SHINGLE_SIZE:
            analyse(examples)
            bands = [example.minhash_bands for example in examples]
        else:
            sets = minhash.shingle_multisets([example.word_hashes for example in examples], self.shingle_size)
            keys = minhash.band_keys(minhash.signatures(sets))
            bands = [row if len(shingles) else None for shingles, row in zip(sets, keys, strict=True)]
        chosen = [position for position, row in enumerate(bands) if row is not None]
        if chosen:
            self._indices.append(np.array([examples[position].index for position in chosen]))
            # 32-bit band keys: half the memory; a rare collision only adds a candidate that
            # the Jaccard confirmation turns down.
            self._bands.append(minhash.fold32(np.stack([bands[position] for position in chosen])))

    def finish(self, fetch) -> tuple[list[NearCopy], dict[int, Example]]:
        """The near copies, and the examples fetched to confirm them (every copy and every
        example kept that a copy points at is among them)."""
        indices = np.concatenate(self._indices) if self._indices else np.empty(0, dtype=np.int64)
        if len(indices) < 2:
            return [], {}
        keys = np.concatenate(self._bands)
        self._bands, self._indices = [], []
        pairs = indices[minhash.candidate_pairs(keys)]
        del keys
        examples = fetch(sorted(set(pairs.ravel().tolist())))
        analyse_words(list(examples.values()))
        kept_as: dict[int, int] = {}
        found = []
        shingles: dict[int, np.ndarray] = {}

        def shingles_of(index: int) -> np.ndarray:
            if index not in shingles:
                shingles[index] = self._shingles(examples[index])
            return shingles[index]

        for later, group in itertools.groupby(pairs.tolist(), key=lambda pair: pair[0]):
            best = None
            candidates = sorted({kept_as.get(earlier, earlier) for _, earlier in group})
            exact = next((c for c in candidates if examples[c].normalized == examples[later].normalized), None)
            if exact is not None:
                kept_as[later] = exact  # an exact copy: exact-duplicate reports it
                continue
            for candidate in candidates:
                similarity = minhash.jaccard(shingles_of(later), shingles_of(candidate))
                if similarity >= self.threshold and (best is None or similarity > best[1]):
                    best = (candidate, similarity)
            if best is not None:
                kept_as[later] = best[0]
                found.append(NearCopy(later, best[0], best[1]))
        return found, examples

    def _shingles(self, example: Example) -> np.ndarray:
        return minhash.shingle_hashes(example.word_hashes, self.shingle_size)
