"""Texts kept in a temporary file instead of in memory.

When a large file is streamed, a rule's rewrite of an example (``Fix.replacement``) would
otherwise stay in memory with its finding until the report is written: on a file where
every example needs a rewrite, that is the whole file again. The streaming engine moves
each rewrite into a ``Spill`` as soon as its block is checked, and the finding keeps a
``SpilledText``, a few dozen bytes, which reads the text back when a fix needs it.
"""

from __future__ import annotations

import tempfile

from prepdata.errors import InputError

#: Texts are written to the file in batches of about this many bytes.
_BATCH_BYTES = 1 << 20


class Spill:
    """An append-only temporary file of texts, deleted when the last reference goes."""

    def __init__(self) -> None:
        self._file = None
        self._written = 0
        self._pending = bytearray()

    def put(self, text: str) -> SpilledText:
        data = text.encode("utf-8", errors="surrogatepass")  # any str round-trips, lone surrogates too
        spilled = SpilledText(self, self._written + len(self._pending), len(data))
        self._pending += data
        if len(self._pending) >= _BATCH_BYTES:
            self._flush()
        return spilled

    def read(self, offset: int, length: int) -> str:
        if not length:
            return ""
        if offset + length > self._written:
            self._flush()
        self._file.seek(offset)
        return self._file.read(length).decode("utf-8", errors="surrogatepass")

    def _flush(self) -> None:
        try:
            if self._file is None:  # made only once there is something to write
                self._file = tempfile.TemporaryFile(prefix="prepdata-spill-", buffering=0)
            self._file.seek(self._written)
            view = memoryview(self._pending)
            while view:
                view = view[self._file.write(view):]
        except OSError as error:
            folder = tempfile.gettempdir()
            raise InputError(f"{folder}: the rewrites of a large file could not be kept there ({error.strerror}); "
                             "free some space or set TMPDIR to a folder with room") from None
        self._written += len(self._pending)
        self._pending = bytearray()


class SpilledText:
    """Where a text lies in a Spill; ``str()`` reads it back."""

    __slots__ = ("spill", "offset", "length")

    def __init__(self, spill: Spill, offset: int, length: int) -> None:
        self.spill, self.offset, self.length = spill, offset, length

    def __str__(self) -> str:
        return self.spill.read(self.offset, self.length)

    def __repr__(self) -> str:
        return f"SpilledText(offset={self.offset}, length={self.length})"


def text_of(text: str | SpilledText) -> str:
    """The text itself, read back if it was spilled."""
    return text if isinstance(text, str) else str(text)
