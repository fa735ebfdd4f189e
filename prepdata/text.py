"""Text analysis shared by every rule, computed once per example (see ``Example``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import regex

#: Characters that take no room on screen and carry no meaning in plain text. The zero-width
#: joiner and non-joiner are left out on purpose: scripts such as Persian and emoji sequences
#: need them.
ZERO_WIDTH = "\u200b\u2060\ufeff\u180e"
#: Space characters other than the ASCII space and tab.
UNUSUAL_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: Characters that break a line without being the newline character.
ODD_LINE_BREAKS = "\r\f\v\x85\u2028\u2029"

# ``re`` scans a plain character class four times as fast as ``regex``.
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
_WORD_RE = regex.compile(r"\w+")


def content_digest(text: str) -> str:
    """A short, stable digest of a text (hex): what findings are keyed by (``Finding.content``)."""
    return _blake2b8(text).hexdigest()


def digest64(text: str) -> int:
    """A stable 64-bit digest of a text, as an integer."""
    return int.from_bytes(_blake2b8(text).digest(), "little")


def _blake2b8(text: str):
    return hashlib.blake2b(text.encode("utf-8", errors="surrogateescape"), digest_size=8)


def trailing_blank_start(text: str, blank: str, line_breaks: str = "\n", start: int = 0) -> int | None:
    """Where the blank lines that end ``text`` begin: the first line break (one of
    ``line_breaks``) at or after ``start`` from which only line breaks and ``blank``
    characters follow; None when the text does not end that way.

    The same as searching ``(?:BREAK[BLANK]*)+\\Z``, which a regex engine tries from every
    line break (quadratic on long blank runs); this is linear."""
    region = max(len(text.rstrip(blank + line_breaks)), start)
    positions = [found for found in (text.find(character, region) for character in line_breaks) if found != -1]
    return min(positions) if positions else None


def without_zero_width(text: str) -> str:
    return _ZERO_WIDTH_RE.sub("", text)


def normalize_for_comparison(text: str) -> str:
    """Case-folded, with every run of whitespace one space and zero-width characters gone.

    Two examples that differ only in spacing, line breaks or case normalize equal.
    """
    if not text.isascii():  # ASCII has no zero-width characters and is already NFKC
        text = unicodedata.normalize("NFKC", without_zero_width(text))
    return " ".join(text.split()).casefold()


def words(normalized: str) -> list[str]:
    """The word tokens of a normalized text (punctuation dropped)."""
    return _WORD_RE.findall(normalized)


def word_shingles(tokens: list[str], size: int = 5) -> set[str]:
    """The set of word ``size``-grams; a text shorter than that is one shingle of all its words."""
    if not tokens:
        return set()
    if len(tokens) < size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
