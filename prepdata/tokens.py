"""Words and their 64-bit hashes for many texts at once, without a Python object per word.

A word is a maximal run of word characters, exactly as ``regex``'s ``\\w+`` finds them
(``text.words``); a test holds the two equal. Instead of asking the regex engine for one
string per word and hashing each, the texts are viewed as an array of code points, a
lookup table marks the word characters, and each word's hash is computed with numpy from
prefix sums of ``code point * M**position`` (uint64 arithmetic, which wraps modulo 2**64):

    hash(word) = splitmix64(sum(ord(c) * M**k for k, c in enumerate(word)) + len(word) * M)

``word_hash`` computes the same value for one word in plain Python, the reference the
vectorized path is tested against.
"""

from __future__ import annotations

import numpy as np
import regex

_MASK = (1 << 64) - 1
_M = 0x9E3779B97F4A7C15
_M_INVERSE = pow(_M, -1, 1 << 64)
#: Words are hashed in chunks of about this many code points, which bounds the memory of
#: the prefix sums whatever the size of the texts.
CHUNK = 1 << 20


def _splitmix64_py(value: int) -> int:
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & _MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def splitmix64(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


def word_hash(word: str) -> int:
    """The 64-bit hash of one word (the plain-Python reference of ``hash_words``)."""
    value, power = 0, 1
    for character in word:
        value = (value + ord(character) * power) & _MASK
        power = (power * _M) & _MASK
    return _splitmix64_py((value + len(word) * _M) & _MASK)


_tables: dict[int, np.ndarray] = {}


def _word_table(limit: int) -> np.ndarray:
    """True for each code point below ``limit`` (0x10000 or 0x110000) that ``\\w`` matches.
    Built by letting the regex engine itself scan every code point once."""
    table = _tables.get(limit)
    if table is None:
        table = np.zeros(limit, dtype=bool)
        for match in regex.finditer(r"\w+", "".join(map(chr, range(limit)))):
            table[match.start() : match.end()] = True
        _tables[limit] = table
    return table


_powers: list[np.ndarray] = []


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """M**i and M**-i modulo 2**64 for i < length (at least CHUNK), kept for the next call."""
    if not _powers or len(_powers[0]) < length:
        size = max(length, CHUNK)
        with np.errstate(over="ignore"):
            powers = np.full(size, np.uint64(_M), dtype=np.uint64)
            inverses = np.full(size, np.uint64(_M_INVERSE), dtype=np.uint64)
            powers[0] = inverses[0] = 1
            _powers[:] = [np.cumprod(powers), np.cumprod(inverses)]
    return _powers[0], _powers[1]


def hash_words(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of every text, in order: (hashes uint64, lengths int32, words per text)."""
    joined = " ".join(texts)  # a space is no word character, so no word crosses two texts
    codes = np.frombuffer(joined.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    limit = 0x10000 if not len(codes) or int(codes.max()) < 0x10000 else 0x110000
    is_word = _word_table(limit)[codes].view(np.int8)
    edges = np.flatnonzero(np.diff(is_word, prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]
    hashes = np.empty(len(starts), dtype=np.uint64)
    first = 0
    with np.errstate(over="ignore"):
        while first < len(starts):
            base = int(starts[first])
            last = max(int(np.searchsorted(ends, base + CHUNK, side="right")), first + 1)
            stop = int(ends[last - 1])
            powers, inverses = _power_tables(stop - base)
            prefix = np.zeros(stop - base + 1, dtype=np.uint64)
            np.cumsum(codes[base:stop].astype(np.uint64) * powers[: stop - base], out=prefix[1:])
            local_starts, local_ends = starts[first:last] - base, ends[first:last] - base
            hashes[first:last] = (prefix[local_ends] - prefix[local_starts]) * inverses[local_starts]
            first = last
        lengths = (ends - starts).astype(np.int32)
        hashes = splitmix64(hashes + lengths.astype(np.uint64) * np.uint64(_M))
    # Which text each word belongs to: text i starts after the i separators before it.
    text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]]) if texts else np.empty(0, dtype=np.int64)
    owners = np.searchsorted(text_starts, starts, side="right") - 1
    counts = np.bincount(owners, minlength=len(texts)) if len(texts) else np.empty(0, dtype=np.int64)
    return hashes, lengths, counts
