from __future__ import annotations

import re

from prepdata import Applicability, Dataset, Finding, Fix, Severity, StreamingRule

# C0 and C1 controls other than tab, newline and the line breaks excessive-whitespace
# handles (CR, VT, FF, NEL). The standard library's ``re`` scans plain character classes
# four times as fast as ``regex``, and every example is scanned.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_REPLACEMENT = "\ufffd"
_SUSPECT = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffd]")


class Encoding(StreamingRule):
    """Text that is not clean UTF-8: bad bytes, another encoding, a BOM, control characters.

    Why: platforms read UTF-8. Invalid bytes fail the upload or turn into garbage; a file in
    UTF-16 or Windows-1252 must be converted first; a byte-order mark trips JSON readers;
    control characters are invisible noise; the replacement character U+FFFD means an
    earlier conversion already lost characters.

    Reported: every byte that is not valid UTF-8, with its line, column and byte offset
    (the file is still read, not rejected at the first one, and the likely encoding is
    named with the command to convert it); a UTF-16 or UTF-32 file; a UTF-8 byte-order
    mark; control characters other than tab and line breaks; U+FFFD. Control characters
    and U+FFFD are one finding per kind per text, at the first place, with the count and
    every place in ``details``: a word underlined with backspaces is one finding, not one
    per backspace.

    Fails: a file saved as Windows-1252 (``caf\\xe9``).
    Passes: the same file saved as UTF-8 (``café``).

    Fix (safe): remove the byte-order mark and the control characters; overstrikes
    (``_\\bX`` underlining, ``X\\bX`` bold, as nroff writes manual pages) become the text
    they print, ``X``, not the debris that deleting the backspaces leaves. ``prepdata fix``
    always writes UTF-8, so a UTF-16 or UTF-32 file comes out converted. Invalid bytes and
    U+FFFD are kept as they are: the right character cannot be guessed.
    """

    code = "PD303"
    name = "encoding"
    severity = Severity.ERROR
    fix_applicability = Applicability.SAFE

    def start(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def finish(self, fetch):
        dataset = self.dataset
        if dataset.encoding != "utf-8":
            yield Finding(
                f"the file is {dataset.encoding}, not UTF-8; `prepdata fix` writes UTF-8, or convert it: "
                f"iconv -f {dataset.encoding} -t UTF-8 {dataset.path}",
                fix=Fix.for_file("encode-utf-8"),
            )
        elif dataset.bom:
            yield Finding(
                "the file starts with a UTF-8 byte-order mark", severity=Severity.WARNING,
                fix=Fix.for_file("remove-bom"),
            )
        yield from _invalid_bytes(dataset)

    def consume(self, examples, sites):
        for example in examples:
            for field in example.fields:
                if not _SUSPECT.search(field.text):
                    continue
                cleaned = _CONTROL.sub("", printed(field.text))
                fix = Fix.replace(cleaned, field=field.name) if cleaned != field.text else None
                controls = list(_CONTROL.finditer(field.text))
                if controls:
                    kinds = sorted({f"U+{ord(match.group()):04X}" for match in controls})
                    what = "overstrikes (backspaces)" if "\b" in field.text else "control character"
                    count = f"{len(controls)} " if len(controls) > 1 else ""
                    yield Finding.at(
                        example, f"{count}{what} {', '.join(kinds)}" + (" and more" if len(kinds) > 5 else ""),
                        controls[0].start(), field=field.name, fix=fix, severity=Severity.WARNING,
                        details={"count": len(controls), "places": [match.start() for match in controls]},
                    )
                lost = [match.start() for match in re.finditer(_REPLACEMENT, field.text)]
                if lost:
                    count = f"{len(lost)} " if len(lost) > 1 else ""
                    yield Finding.at(
                        example, f"{count}replacement character U+FFFD: an earlier conversion lost characters here",
                        lost[0], field=field.name, severity=Severity.WARNING,
                        details={"count": len(lost), "places": lost},
                    )


def printed(text: str) -> str:
    """The text that a typewriter, or a terminal showing nroff's output, prints: a
    backspace steps back one column, and a character typed over an underscore (or over
    itself) is that character."""
    if "\b" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        cells: list[str] = []
        cursor = 0
        for character in line:
            if character == "\b":
                cursor = max(cursor - 1, 0)
                continue
            if cursor < len(cells):
                old = cells[cursor]
                cells[cursor] = old if character == "_" and old != "_" else character
            else:
                cells.append(character)
            cursor += 1
        lines.append("".join(cells))
    return "\n".join(lines)


def _invalid_bytes(dataset: Dataset):
    runs = []
    for spot in dataset.invalid_bytes:
        if runs and spot.offset == runs[-1][-1].offset + 1 and spot.line == runs[-1][-1].line:
            runs[-1].append(spot)
        else:
            runs.append([spot])
    values = bytes(spot.value for spot in dataset.invalid_bytes)
    hint = ""
    if runs:
        guess = _guess(values)
        hint = f"; the file looks like {guess}: iconv -f {guess} -t UTF-8 {dataset.path}" if guess else ""
    for number, run in enumerate(runs):
        shown = " ".join(f"0x{spot.value:02X}" for spot in run)
        yield Finding(
            f"{'byte' if len(run) == 1 else 'bytes'} {shown} at offset {run[0].offset} not valid UTF-8"
            + (hint if number == 0 else ""),
            line=run[0].line,
            column=run[0].column,
            details={"offset": run[0].offset},
        )


def _guess(invalid: bytes) -> str | None:
    """Single bytes above 0x7F that are not UTF-8 are most likely Windows-1252 (Latin-1)."""
    try:
        invalid.decode("cp1252")
    except UnicodeDecodeError:
        return "ISO-8859-1"
    return "WINDOWS-1252"
