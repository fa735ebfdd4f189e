"""Whitespace made visible, for people looking at examples."""

from __future__ import annotations

import regex

from prepdata.text import UNUSUAL_SPACES

_MARKERS = {
    "\t": "→",
    "\r": "⟨CR⟩",
    "\f": "⟨FF⟩",
    "\v": "⟨VT⟩",
    "\x85": "⟨NEL⟩",
    "\u2028": "⟨LS⟩",
    "\u2029": "⟨PS⟩",
    "\u00a0": "⟨NBSP⟩",
    "\u202f": "⟨NNBSP⟩",
    "\u200b": "⟨ZWSP⟩",
    "\u2060": "⟨WJ⟩",
    "\ufeff": "⟨BOM⟩",
    "\u180e": "⟨MVS⟩",
    "\u3000": "⟨IDSP⟩",
}
_SHOWN = regex.compile(f"[\\t\\r\\f\\v\\x85\\u2028\\u2029\\u200b\\u2060\\ufeff\\u180e{UNUSUAL_SPACES}]")
_ESCAPED_BYTE = regex.compile("[\udc80-\udcff]")
# Spaces that matter: indentation, trailing, and runs of two or more.
# A run is tried from its first space only: from every space of a long run, " +$" failing
# at the end would cost quadratic time.
_SPACES_THAT_MATTER = regex.compile(r"^ +|(?<! ) ++$| {2,}", regex.MULTILINE)


def visible(line: str) -> str:
    """``line`` with tabs, odd spaces, invisible characters and significant spaces shown."""
    line = _SPACES_THAT_MATTER.sub(lambda match: "·" * len(match.group()), line)
    line = _SHOWN.sub(lambda match: _MARKERS.get(match.group(), f"⟨U+{ord(match.group()):04X}⟩"), line)
    # Bytes that were not valid UTF-8 are held as surrogate escapes: show the byte.
    return _ESCAPED_BYTE.sub(lambda match: f"⟨0x{ord(match.group()) - 0xDC00:02X}⟩", line)
