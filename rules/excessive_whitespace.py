from __future__ import annotations

import re
import unicodedata

import regex

from prepdata import (
    ODD_LINE_BREAKS,
    UNUSUAL_SPACES,
    ZERO_WIDTH,
    Applicability,
    Example,
    Finding,
    Fix,
    Rule,
    Severity,
    trailing_blank_start,
)

_HORIZONTAL = f" \t{UNUSUAL_SPACES}"
_H = f" \\t{UNUSUAL_SPACES}"  # horizontal whitespace, inside a character class
_ZERO_WIDTH = regex.compile(f"[{ZERO_WIDTH}]")
_UNUSUAL_SPACE = regex.compile(f"[{UNUSUAL_SPACES}]")
_ODD_LINE_BREAK = regex.compile(f"[{ODD_LINE_BREAKS}]")
_ODD_CHARACTER = regex.compile(f"([{ZERO_WIDTH}{UNUSUAL_SPACES}{ODD_LINE_BREAKS}])\\1*")
# Runs are matched from their first character only ((?<!...) and possessive ++): tried from
# every character of a long run, a pattern that then fails costs quadratic time.
_TRAILING = regex.compile(f"(?<![{_H}])[{_H}]++(?=\\n|\\Z)")
_TRAILING_ASCII = regex.compile(r"(?<![ \t])[ \t]++(?=\n|\Z)")
_INNER_RUN = regex.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_BLANK_RUN = regex.compile(f"\\n(?:[{_H}]*\\n){{2,}}")
_LEADING_BLANK = regex.compile(f"\\A(?:[{_H}]*\\n)+")
_LAYOUT_LINE = regex.compile(r"^(?:[ \t]+\S|```|~~~)", regex.MULTILINE)

_CHARACTER_NAMES = {"\r": "carriage return", "\f": "form feed", "\v": "vertical tab"}


def _without_odd_characters(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text)
    text = _UNUSUAL_SPACE.sub(" ", text)
    text = _ODD_LINE_BREAK.sub("\n", text)
    return _TRAILING_ASCII.sub("", text)


def keeps_layout(text: str) -> bool:
    """Indented lines or fenced code: the spaces inside lines may carry meaning."""
    return bool(_LAYOUT_LINE.search(_without_odd_characters(text)))


# Whatever normalize changes matches this; most examples do not, and skip the work.
_ANYTHING_TO_NORMALIZE = regex.compile(
    f"[{ZERO_WIDTH}{UNUSUAL_SPACES}{ODD_LINE_BREAKS}]|(?<![ \\t])[ \\t]++(?:\\n|\\Z)|(?<=\\S)[ \\t]{{2,}}(?=\\S)|\\n\\n\\n|\\A\\n|\\n\\Z"
)


# ``re``, not ``regex``: it scans a plain character class four times as fast.
_UNUSUAL_CHARACTER = re.compile(f"[{ZERO_WIDTH}{UNUSUAL_SPACES}\x85\u2028\u2029]")


def _may_need_normalizing(text: str) -> bool:
    """A quick screen with substring tests and one character class; the full pattern
    decides when it passes."""
    return (
        "  " in text or "\t" in text or " \n" in text or "\n\n\n" in text or "\r" in text
        or "\f" in text or "\v" in text or text.startswith("\n") or text.endswith(("\n", " "))
        or (not text.isascii() and _UNUSUAL_CHARACTER.search(text) is not None)
    )


def normalize(text: str) -> str:
    if not (_may_need_normalizing(text) and _ANYTHING_TO_NORMALIZE.search(text)):
        return text
    text = _without_odd_characters(text)
    if not keeps_layout(text):
        text = _INNER_RUN.sub(" ", text)
    text = regex.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


class ExcessiveWhitespace(Rule):
    """Spacing that carries no meaning: runs of spaces, stacked blank lines, invisible characters.

    Why: the platform's guide asks to remove excessive spacing and newlines; the model
    learns to reproduce them. This rule reports, in each example:

    - runs of two or more spaces or tabs between words;
    - trailing spaces or tabs at the end of a line;
    - more than one blank line in a row;
    - blank lines (or a line break) at the start or end of the example;
    - invisible or unusual whitespace: no-break and other Unicode spaces, zero-width
      space, word joiner, a byte-order mark inside the text, a carriage return that is
      not part of CRLF, form feed, vertical tab, line and paragraph separators.

    Single line breaks are meaningful (verse, addresses, lists) and never reported, nor
    is one blank line between paragraphs. The zero-width joiner and non-joiner are left
    alone: some scripts and emoji need them.

    Layout is kept: an example with an indented line or a fenced code block (```) is
    treated as laid out by hand (code, tables, ASCII art). Its indentation and the runs of
    spaces inside its lines are neither reported nor changed; only trailing whitespace,
    stacked blank lines and invisible characters are. Indentation is never touched in
    any example.

    Fails::

        The  quick brown fox.␠␠
        (three blank lines)
        Jumps over the lazy dog.

    Passes::

        The quick brown fox.

        Jumps over the lazy dog.

    Fix (safe): collapse runs to one space, strip trailing whitespace and blank lines at
    the ends, keep one blank line of any run, drop zero-width characters, turn unusual
    spaces into spaces and odd line breaks into newlines. Whitespace-only examples are
    left to ``empty-example``.
    """

    code = "PD103"
    name = "excessive-whitespace"
    severity = Severity.WARNING
    fix_applicability = Applicability.SAFE
    report_section = "whitespace"

    def check(self, example: Example):
        for field in example.fields:
            if field.text.strip() and not example.is_blank:
                yield from self._check_field(example, field.name, field.text, field.joined)

    def _check_field(self, example: Example, field: str, whole: str, joined: bool):
        # A field the trainer joins to its neighbours keeps its edges of plain spaces, tabs and
        # line breaks: only its inside is judged. (Odd characters at an edge are still fixed.)
        start = len(whole) - len(whole.lstrip(" \t\n")) if joined else 0
        end = len(whole.rstrip(" \t\n")) if joined else len(whole)
        text = whole[start:end]
        fixed = normalize(text)
        if fixed == text:
            return
        fix = Fix.replace(whole[:start] + fixed + whole[end:], field=field)

        def at(message: str, offset: int) -> Finding:
            return Finding.at(example, message, start + offset, field=field, fix=fix)

        findings = [at(_describe(m.group(1)), m.start()) for m in _ODD_CHARACTER.finditer(text)]
        findings += [at("trailing whitespace", m.start()) for m in _TRAILING.finditer(text)]
        if not keeps_layout(text):
            findings += [at(f"{len(m.group())} spaces or tabs in a row", m.start()) for m in _INNER_RUN.finditer(text)]
        for match in _BLANK_RUN.finditer(text):
            if 0 < match.start() and match.end() < len(text):
                findings.append(at(f"{match.group().count(chr(10)) - 1} blank lines in a row", match.start() + 1))
        if _LEADING_BLANK.match(text):
            findings.append(at("blank line at the start of the example", 0))
        trailing = trailing_blank_start(text, _HORIZONTAL)
        if trailing is not None:
            findings.append(at("line break at the end of the example", trailing))
        if not findings:
            # Only reachable if the fix changes something no detector above names.
            findings.append(at("whitespace to normalize", 0))
        yield from findings


def _describe(character: str) -> str:
    name = _CHARACTER_NAMES.get(character) or unicodedata.name(character, "unnamed").lower()
    return f"{name} (U+{ord(character):04X})"
