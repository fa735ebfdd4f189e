from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity, ngram_hashes, option, word_hashes
from prepdata import normalize_for_comparison as _normalized
from prepdata import words as _words

# Gopher's repetition limits (Rae et al., 2021, table A1): the highest share of characters
# that the most frequent n-gram may cover, for n = 2, 3, 4 ...
TOP_NGRAM_LIMITS = {2: 0.20, 3: 0.18, 4: 0.16}
# ... and the highest share of characters that repeated n-grams may cover, for n = 5 .. 10.
REPEATED_NGRAM_LIMITS = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}


class RepetitiveExample(Rule):
    """An example that repeats itself (Gopher-style repetition limits).

    Why: text that loops (the same line, phrase or sentence again and again) is usually
    a scraping or generation artefact, and teaches the model to loop.

    Reported when, in an example of at least ``min_words`` words, any of these holds
    (limits from the Gopher paper's quality filters):

    - repeated lines are more than ``max_duplicate_line_share`` of its lines (30%), or
      cover more than ``max_duplicate_line_chars`` of its characters (20%);
    - the most frequent word 2-, 3- or 4-gram covers more than 20%, 18% or 16% of the
      characters of its words;
    - word n-grams that occur more than once cover more than 15%, 14%, 13%, 12%, 11% or
      10% of its word characters, for n = 5 to 10.

    In JSONL and CSV records, each field the model should generate is checked on its own
    (the completion, each of the model's chat turns).

    Fails::

        Buy now! Best price! Buy now! Best price! Buy now! Best price! ...

    Passes: ordinary prose of the same length.

    Fix (unsafe): the example goes to the rejects file.
    """

    code = "PD104"
    name = "repetitive-example"
    severity = Severity.WARNING
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        min_words: int = option(30, "Shorter examples are not checked.")
        max_duplicate_line_share: float = option(0.30, "Highest share of lines that repeat an earlier line.")
        max_duplicate_line_chars: float = option(0.20, "Highest share of characters in repeated lines.")

    def check(self, example: Example):
        return self.check_many([example])

    def check_many(self, examples: list[Example]):
        # Texts are checked in blocks so that numpy counts the n-grams of many at once.
        block: list[_Text] = []
        block_words = 0
        for example in examples:
            for field in example.fields:
                if not field.target:
                    continue
                if len(example.fields) == 1:
                    hashes, lengths = example.word_hashes, example.word_lengths
                else:
                    words = _words(_normalized(field.text))
                    hashes, lengths = word_hashes(words), np.fromiter(map(len, words), dtype=np.int32)
                if len(hashes) >= self.options.min_words:
                    block.append(_Text(example, field.name, field.text, hashes, lengths))
                    block_words += len(hashes)
            if block_words >= _BLOCK_WORDS:
                yield from self._check_block(block)
                block, block_words = [], 0
        yield from self._check_block(block)

    def _check_block(self, block: list[_Text]):
        reported = set()
        for text, ngram_reason in zip(block, _ngram_reasons(block), strict=True):
            if text.example.index in reported:
                continue
            reason = self._line_repetition(text.text) or ngram_reason
            if reason:
                reported.add(text.example.index)
                yield Finding.at(text.example, f"example repeats itself: {reason}", field=text.field,
                                 fix=Fix.remove(Applicability.UNSAFE))

    def _line_repetition(self, text: str) -> str | None:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if len(lines) < 3:
            return None
        seen: set[str] = set()
        repeated, repeated_chars = 0, 0
        for line in lines:
            if line in seen:
                repeated += 1
                repeated_chars += len(line)
            seen.add(line)
        total_chars = sum(len(line) for line in lines)
        if repeated / len(lines) > self.options.max_duplicate_line_share:
            return f"{repeated} of {len(lines)} lines repeat an earlier line"
        if repeated_chars / total_chars > self.options.max_duplicate_line_chars:
            return f"repeated lines are {repeated_chars / total_chars:.0%} of the characters"
        return None


@dataclass
class _Text:
    example: Example
    field: str
    text: str
    hashes: np.ndarray
    lengths: np.ndarray

    @property
    def words(self) -> list[str]:
        return _words(_normalized(self.text))


_BLOCK_WORDS = 200_000
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _ngram_reasons(block: list[_Text]) -> list[str | None]:
    """For each text, the first n-gram limit it breaks (as a message), or None."""
    reasons: list[str | None] = [None] * len(block)
    if not block:
        return reasons
    words = _Words(block)
    for n, limit in TOP_NGRAM_LIMITS.items():
        for index, message in words.top_ngram_breaches(n, limit, reasons):
            reasons[index] = message
    # Repeated n-grams cover no more for n + 1 than for n (each repeated (n+1)-gram is two
    # overlapping repeated n-grams), so only the texts still above the next limit are
    # counted again: for most blocks, n = 5 is the last pass.
    chosen = np.array([index for index, reason in enumerate(reasons) if reason is None], dtype=np.int64)
    limits = list(REPEATED_NGRAM_LIMITS.items())
    for step, (n, limit) in enumerate(limits):
        if not len(chosen):
            break
        shares = _Words([block[index] for index in chosen]).repeated_ngram_shares(n)
        for position in np.flatnonzero(shares > limit):
            reasons[chosen[position]] = f"repeated {n}-word phrases cover {shares[position]:.0%} of the text"
        next_limit = limits[step + 1][1] if step + 1 < len(limits) else np.inf
        chosen = chosen[(shares <= limit) & (shares > next_limit)]
    return reasons


class _Words:
    """The words of a block of texts, concatenated for numpy."""

    def __init__(self, block: list[_Text]) -> None:
        self.block = block
        self.hashes = np.concatenate([text.hashes for text in block])
        self.lengths = np.concatenate([text.lengths for text in block]).astype(np.int64)
        sizes = np.array([len(text.hashes) for text in block])
        self.owner = np.repeat(np.arange(len(block)), sizes)
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.prefix = np.concatenate([[0], np.cumsum(self.lengths)])
        self.totals = np.maximum(np.add.reduceat(self.lengths, self.starts), 1)

    def _ngrams(self, n: int):
        """Where each n-gram within one text starts, its text, and how often it occurs there."""
        windows = np.flatnonzero(self.owner[: len(self.hashes) - n + 1] == self.owner[n - 1 :])
        texts = self.owner[windows]
        with np.errstate(over="ignore"):
            keys = ngram_hashes(self.hashes, n)[windows] ^ (texts.astype(np.uint64) * _MIX)
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        return windows, texts, counts[inverse]

    def top_ngram_breaches(self, n: int, limit: float, reasons: list[str | None]):
        """(text, message) for texts not yet reported whose most frequent n-gram covers
        more than ``limit`` of their word characters."""
        if len(self.hashes) < n:
            return
        windows, texts, occurrences = self._ngrams(n)
        most = np.zeros(len(self.block), dtype=np.int64)
        np.maximum.at(most, texts, occurrences)
        chars = self.prefix[windows + n] - self.prefix[windows]
        chars_of_most = np.where(occurrences == most[texts], chars, 0)
        widest = np.zeros(len(self.block), dtype=np.int64)
        np.maximum.at(widest, texts, chars_of_most)
        shares = np.where(most > 1, most * widest / self.totals, 0.0)
        for index in np.flatnonzero(shares > limit):
            if reasons[index] is not None:
                continue
            mine = (texts == index) & (occurrences == most[index]) & (chars == widest[index])
            start = int(windows[np.flatnonzero(mine)[0]]) - int(self.starts[index])
            gram = " ".join(self.block[index].words[start : start + n])
            yield index, f"the {n}-gram {gram!r} covers {shares[index]:.0%} of the text"

    def repeated_ngram_shares(self, n: int) -> np.ndarray:
        """For each text, the share of its word characters inside n-grams that occur in it
        more than once."""
        if len(self.hashes) < n:
            return np.zeros(len(self.block))
        windows, _, occurrences = self._ngrams(n)
        repeated = windows[occurrences > 1]
        depth = np.zeros(len(self.hashes) + 1, dtype=np.int64)
        np.add.at(depth, repeated, 1)
        np.add.at(depth, repeated + n, -1)
        covered = np.cumsum(depth[:-1]) > 0
        return np.add.reduceat(np.where(covered, self.lengths, 0), self.starts) / self.totals
