"""Vectorized MinHash signatures and LSH banding, compatible with datasketch.

For the same shingles, ``signatures`` equals what ``datasketch.MinHash(num_perm=128,
seed=1, hashfunc=shingle_hash32)`` computes with ``update_batch`` (datasketch's default
affine32 scheme), so datasketch stays the reference and the signatures can go into its
LSH indexes and storage back ends. The hot path computes them with numpy instead:

- words are found and hashed (64 bits) for many texts at once (``prepdata.tokens``);
- a word 5-gram's 64-bit hash combines its words' hashes with uint64 arithmetic;
- the 128 permutations are applied to a block of many examples' shingles at once, and
  the minimum per example is taken with ``np.minimum.reduceat``.

Similarity is confirmed on the sets of 64-bit shingle hashes: exact up to a 64-bit hash
collision (about one in 10^19 per pair of shingles).
"""

from __future__ import annotations

import numpy as np

from prepdata.tokens import hash_words, splitmix64, word_hash

NUM_PERM = 128
SEED = 1
SHINGLE_SIZE = 5
#: Bands x rows for the LSH index: 32 x 4 makes a pair of similarity 0.8 a candidate with
#: probability 1 - (1 - 0.8^4)^32 > 0.9999999, and one of 0.5 with probability 0.87.
BANDS, ROWS = 32, 4

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def word_hashes(words: list[str]) -> np.ndarray:
    """The 64-bit hash of each word (as ``tokens.word_hash``), vectorized when every item
    is one word, as ``text.words`` gives them."""
    hashes, lengths, _ = hash_words([" ".join(words)])
    if len(lengths) == len(words) and np.array_equal(lengths, np.fromiter(map(len, words), np.int32, len(words))):
        return hashes
    return np.array([word_hash(word) for word in words], dtype=np.uint64)


def ngram_hashes(tokens: np.ndarray, size: int) -> np.ndarray:
    """The 64-bit hash of each run of ``size`` consecutive token hashes, in order."""
    count = len(tokens) - size + 1
    with np.errstate(over="ignore"):
        combined = tokens[:count].copy()
        for offset in range(1, size):
            combined = combined * _MULTIPLIER + tokens[offset : offset + count]
        return splitmix64(combined)


def shingle_hashes(words: list[str] | np.ndarray, size: int = SHINGLE_SIZE) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the word ``size``-grams of ``words`` (words or
    their ``word_hashes``; one shingle of all the words when there are fewer)."""
    tokens = words if isinstance(words, np.ndarray) else word_hashes(words)
    if not len(tokens):
        return np.empty(0, dtype=np.uint64)
    return np.unique(ngram_hashes(tokens, min(size, len(tokens))))


def shingle_multisets(token_arrays: list[np.ndarray], size: int = SHINGLE_SIZE) -> list[np.ndarray]:
    """The 64-bit shingle hashes of many examples at once (as ``shingle_hashes``, but
    neither sorted nor distinct, which MinHash does not need): one numpy pass over all
    their words instead of one per example. Returns a view per example."""
    if not token_arrays:
        return []
    sizes = np.array([len(tokens) for tokens in token_arrays])
    tokens = np.concatenate(token_arrays) if sizes.sum() else np.empty(0, dtype=np.uint64)
    owner = np.repeat(np.arange(len(token_arrays)), sizes)
    if len(tokens) >= size:
        windows = np.flatnonzero(owner[: len(tokens) - size + 1] == owner[size - 1 :])
        values = ngram_hashes(tokens, size)[windows]
        counts = np.bincount(owner[windows], minlength=len(token_arrays))
    else:
        values, counts = np.empty(0, dtype=np.uint64), np.zeros(len(token_arrays), dtype=np.int64)
    result = np.split(values, np.cumsum(counts)[:-1])
    # A text of fewer words than ``size`` is one shingle of all its words: hashed for all
    # texts of the same length at once.
    short = np.flatnonzero((counts == 0) & (sizes > 0))
    for length in np.unique(sizes[short]):
        chosen = short[sizes[short] == length]
        starts = np.cumsum(sizes)[chosen] - length
        words = tokens[starts[:, None] + np.arange(length)]
        with np.errstate(over="ignore"):
            combined = words[:, 0].copy()
            for column in range(1, length):
                combined = combined * _MULTIPLIER + words[:, column]
        for index, value in zip(chosen.tolist(), splitmix64(combined)):
            result[index] = np.array([value], dtype=np.uint64)
    return result


def shingle_hash32(shingle: str) -> int:
    """The 32-bit hash of one shingle given as its words joined by spaces: a ``hashfunc``
    for datasketch.MinHash that makes its signatures equal prepdata's."""
    words = shingle.split(" ")
    value = shingle_hashes(words, len(words))[0]
    return int(fold32(np.array([value], dtype=np.uint64))[0])


def fold32(values: np.ndarray) -> np.ndarray:
    """64-bit hashes folded to 32 bits (high half xor low half)."""
    return ((values ^ (values >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


_permutations: tuple[np.ndarray, np.ndarray] | None = None


def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) parameters of datasketch's affine32 permutations for (NUM_PERM, SEED),
    drawn the way ``datasketch.MinHash`` draws them (a test checks they are equal). Not
    taken from datasketch itself: importing it pulls in scipy, which costs more than the
    whole lint of a small file."""
    global _permutations
    if _permutations is None:
        generator = np.random.RandomState(SEED)
        a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _permutations = (a, b)
    return _permutations


def signatures(shingle_sets: list[np.ndarray], block: int = 1 << 13) -> np.ndarray:
    """One MinHash signature (NUM_PERM uint32) per set of 64-bit shingle hashes; an empty
    set gets datasketch's empty signature (all 0xFFFFFFFF)."""
    a, b = permutations()
    result = np.full((len(shingle_sets), NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    sizes = np.fromiter(map(len, shingle_sets), dtype=np.int64, count=len(shingle_sets))
    chosen = np.flatnonzero(sizes)
    if not len(chosen):
        return result
    values = _fmix32(fold32(np.concatenate([shingle_sets[i] for i in chosen])))
    starts = np.concatenate([[0], np.cumsum(sizes[chosen])[:-1]])
    with np.errstate(over="ignore"):
        # ``block`` shingles at a time: a (NUM_PERM, block) matrix that stays in cache and
        # bounds memory however long one example is. Each piece of an example in the
        # block is reduced along its row, and pieces of one example met in several blocks
        # are merged with np.minimum.
        for low in range(0, len(values), block):
            high = min(low + block, len(values))
            first = int(np.searchsorted(starts, low, side="right")) - 1  # the example holding `low`
            last = int(np.searchsorted(starts, high, side="left"))  # examples starting before `high`
            pieces = np.maximum(starts[first:last], low) - low
            permuted = np.multiply.outer(a, values[low:high])
            permuted += b[:, None]
            minima = np.minimum.reduceat(permuted, pieces, axis=1).T
            rows = chosen[first:last]
            result[rows] = np.minimum(result[rows], minima)
    return result


def band_keys(signature_matrix: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of ROWS signature values: (examples, BANDS)."""
    rows = signature_matrix.reshape(len(signature_matrix), BANDS, ROWS)
    with np.errstate(over="ignore"):
        # Widened to 64 bits a row at a time: the whole matrix in uint64 would be 1 KB an example.
        keys = rows[:, :, 0].astype(np.uint64)
        for row in range(1, ROWS):
            keys = keys * _MULTIPLIER + rows[:, :, row].astype(np.uint64)
        return splitmix64(keys)


def candidate_pairs(keys: np.ndarray) -> np.ndarray:
    """Pairs (later, earlier) of positions that share a band key: each member of a bucket is
    paired with the bucket's first member and with the member before it, so a bucket of k
    examples gives fewer than 2k pairs, never k^2. Sorted, distinct, as an (m, 2) array."""
    count = len(keys)
    positions = np.arange(count)
    # Each pair as one int64 (later * count + earlier). Bands often find the same pairs
    # again: they are merged into the distinct ones whenever the pending ones outgrow the
    # examples, so memory stays near the distinct pairs rather than 32 times them.
    found = np.empty(0, dtype=np.int64)
    pending: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[order, band]
        same_as_previous = np.zeros(count, dtype=bool)
        same_as_previous[1:] = sorted_keys[1:] == sorted_keys[:-1]
        if not same_as_previous.any():
            continue
        run_start = np.maximum.accumulate(np.where(~same_as_previous, positions, 0))
        later = order[same_as_previous].astype(np.int64)
        first = order[run_start[same_as_previous]]
        previous = order[np.flatnonzero(same_as_previous) - 1]
        pending.append(np.concatenate([later * count + first, (later * count + previous)[previous != first]]))
        if sum(map(len, pending)) > 4 * count:
            found, pending = np.unique(np.concatenate([found, *pending])), []
    found = np.unique(np.concatenate([found, *pending]))
    return np.stack([found // count, found % count], axis=1)


def jaccard(a: np.ndarray, b: np.ndarray, *, distinct: bool = True) -> float:
    """Jaccard similarity of two arrays of shingle hashes (sorted and distinct unless
    ``distinct`` is false)."""
    if not distinct:
        a, b = np.unique(a), np.unique(b)
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)
