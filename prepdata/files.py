"""Reading a dataset file safely and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from prepdata.dataset import InvalidByte
from prepdata.errors import InputError

UTF8_BOM = codecs.BOM_UTF8
_UTF16_32_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def read_dataset_bytes(path: str | Path) -> bytes:
    """The file's bytes, or an InputError that says what is wrong and what to do."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; pass a dataset file such as {path}/train.txt")
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # A FIFO or a device (/dev/zero) could block or never end.
            raise InputError(f"{path}: is not a regular file (a pipe or a device); save the data to a file first")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}); check the file") from None
    if not data:
        raise InputError(f"{path}: the file is empty; there is nothing to check")
    return data


@dataclasses.dataclass(frozen=True)
class DecodedText:
    text: str
    bom: bytes
    encoding: str
    invalid_bytes: tuple[InvalidByte, ...]


#: Signatures of compressed files, and the command that decompresses each.
_COMPRESSED = (
    (b"\x1f\x8b", "gzip", "gunzip -k"),
    (b"BZh91AY&SY", "bzip2", "bunzip2 -k"),  # "BZh" and a level 1-9 (checked below)
    (b"\xfd7zXZ\x00", "xz", "unxz -k"),
    (b"\x28\xb5\x2f\xfd", "zstd", "unzstd"),
    (b"PK\x03\x04", "zip", "unzip"),
)


def decode_text(path: str | Path, data: bytes) -> DecodedText:
    """Decode a dataset. UTF-8 (with or without BOM) is expected; UTF-16 and UTF-32 are read
    too, so that they can be checked, and reported. Bytes that are not valid UTF-8 are kept
    as surrogate escapes, so that they are written back unchanged, and listed."""
    for magic, kind, command in _COMPRESSED:
        head = data[:3] + b"9" + data[4:10] if kind == "bzip2" and data[3:4].isdigit() else data
        if head.startswith(magic):
            raise InputError(f"{path}:1: a {kind}-compressed file; decompress it first ({command} {path})")
    for bom, encoding in _UTF16_32_BOMS.items():
        if data.startswith(bom) and not data.startswith(UTF8_BOM):
            return DecodedText(data[len(bom):].decode(_codec(encoding, bom), errors="replace"), bom, encoding, ())
    nul = data.find(b"\x00")
    if nul != -1:
        little_endian = _looks_like_utf16(data)
        if little_endian is None:
            line = data.count(b"\n", 0, nul) + 1
            raise InputError(f"{path}:{line}: binary file (NUL byte at byte {nul}); pass a text dataset")
        codec = "utf-16-le" if little_endian else "utf-16-be"
        return DecodedText(data.decode(codec, errors="replace"), b"", "UTF-16", ())
    bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    body = data[len(bom):]
    try:
        return DecodedText(body.decode("utf-8"), bom, "utf-8", ())
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="surrogateescape")
    return DecodedText(text, bom, "utf-8", tuple(_invalid_bytes(text, len(bom))))


def _codec(encoding: str, bom: bytes) -> str:
    little = bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE)
    return f"{encoding.lower()}-{'le' if little else 'be'}"


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _invalid_bytes(text: str, start: int) -> list[InvalidByte]:
    """Where the surrogate escapes of ``text`` (decoded after ``start`` BOM bytes) stood."""
    finder = InvalidByteFinder(start)
    finder.feed(text)
    return finder.found


class InvalidByteFinder:
    """Where the surrogate escapes of a decoded file stood (byte offset, line, column,
    value), fed the text a piece at a time (the first after ``start`` BOM bytes)."""

    def __init__(self, start: int = 0) -> None:
        self.found: list[InvalidByte] = []
        self.byte_position, self.line = start, 1
        self.consumed = 0  # characters fed so far
        self.line_start = 0  # where the current line starts, in characters

    def feed(self, text: str) -> None:
        position = 0
        for match in _ESCAPED_BYTE.finditer(text):
            self._advance(text, position, match.start())
            value = ord(match.group()) - 0xDC00
            column = self.consumed + match.start() - self.line_start + 1
            self.found.append(InvalidByte(self.byte_position, self.line, column, value))
            position, self.byte_position = match.end(), self.byte_position + 1
        self._advance(text, position, len(text))
        self.consumed += len(text)

    def _advance(self, text: str, start: int, stop: int) -> None:
        between = text[start:stop]
        self.byte_position += len(between.encode("utf-8", errors="surrogateescape"))
        newlines = between.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.consumed + start + between.rfind("\n") + 1


def encode_text(text: str) -> bytes:
    """UTF-8, with bytes that were not valid UTF-8 in the input written back as they were."""
    return text.encode("utf-8", errors="surrogateescape")


def _looks_like_utf16(data: bytes) -> bool | None:
    """True for UTF-16 little-endian text without a BOM, False for big-endian, None if neither.
    A few stray bytes are no evidence: UTF-16 needs an even length and a sample to judge."""
    if len(data) < 16 or len(data) % 2:
        return None
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return True
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return False
    return None


@dataclasses.dataclass(frozen=True)
class FileStamp:
    """What identifies a version of a file without reading it again."""

    inode: int
    size: int
    modified_ns: int

    @classmethod
    def of(cls, path: str | Path) -> FileStamp | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_ino, info.st_size, info.st_mtime_ns)


def check_unchanged(path: str | Path, stamp: FileStamp | None) -> None:
    """Refuse to overwrite a file that another program changed since prepdata read it."""
    if stamp is not None and FileStamp.of(path) != stamp:
        raise InputError(f"{path}: changed by another program since prepdata read it; "
                         "nothing was written, run the command again")


def write_atomically(path: str | Path, data: bytes | Callable[[BinaryIO], None], *,
                     unchanged: FileStamp | None = None) -> None:
    """Write ``data`` (bytes, or a function that writes them to a stream) to ``path``
    through a temporary file in the same folder and a rename.

    A reader sees the old file or the complete new one, never a part; on any error (or an
    interrupt) the temporary file is removed and the target is left as it was. With
    ``unchanged``, the target must still be the version that stamp describes.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it first")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError(f"{path}: cannot write in {folder} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        check_unchanged(path, unchanged)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InputError(f"{path}: could not be written ({error.strerror})") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: File-wide fixes every writer knows, and how each changes what the next check sees.
FILE_ACTIONS = {
    "remove-bom": {"bom": False},
    # Writers always write UTF-8; the action only records that the conversion was a fix.
    "encode-utf-8": {"encoding": "utf-8", "bom": False},
}


def file_action_effect(action: str) -> dict:
    return FILE_ACTIONS.get(action, {})
