from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity, option
from prepdata import normalize_for_comparison as _normalized
from prepdata import words as _words
from prepdata import ngram_hashes, word_hashes

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
        for field in example.fields:
            if not field.target:
                continue
            if len(example.fields) == 1:
                words, hashes = example.words, example.word_hashes
            else:
                words = _words(_normalized(field.text))
                hashes = word_hashes(words)
            if len(words) < self.options.min_words:
                continue
            reason = self._line_repetition(field.text) or _ngram_repetition(words, hashes)
            if reason:
                yield Finding.at(example, f"example repeats itself: {reason}", field=field.name,
                                 fix=Fix.remove(Applicability.UNSAFE))
                return

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


def _ngram_repetition(words: list[str], hashes: np.ndarray) -> str | None:
    lengths = np.fromiter((len(word) for word in words), dtype=np.int64, count=len(words))
    total = int(lengths.sum())
    if not total:
        return None
    prefix = np.concatenate([[0], np.cumsum(lengths)])
    for n, limit in TOP_NGRAM_LIMITS.items():
        if len(words) < n:
            break
        grams = ngram_hashes(hashes, n)
        _, first, counts = np.unique(grams, return_index=True, return_counts=True)
        most = counts.max()
        if most < 2:
            continue
        # Of the most frequent n-grams, the one covering the most characters.
        candidates = first[counts == most]
        chars = prefix[candidates + n] - prefix[candidates]
        start = int(candidates[np.argmax(chars)])
        share = most * int(chars.max()) / total
        if share > limit:
            return f"the {n}-gram {' '.join(words[start : start + n])!r} covers {share:.0%} of the text"
    for n, limit in REPEATED_NGRAM_LIMITS.items():
        if len(words) < n:
            break
        grams = ngram_hashes(hashes, n)
        _, inverse, counts = np.unique(grams, return_inverse=True, return_counts=True)
        repeated = np.flatnonzero(counts[inverse] > 1)
        if not len(repeated):
            continue
        depth = np.zeros(len(words) + 1, dtype=np.int64)
        np.add.at(depth, repeated, 1)
        np.add.at(depth, repeated + n, -1)
        covered = np.cumsum(depth[:-1]) > 0
        share = int(lengths[covered].sum()) / total
        if share > limit:
            return f"repeated {n}-word phrases cover {share:.0%} of the text"
    return None
