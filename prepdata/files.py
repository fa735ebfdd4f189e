"""Reading a dataset file safely and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from pathlib import Path

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
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}); check the file") from None
    if not data:
        raise InputError(f"{path}: the file is empty; there is nothing to check")
    return data


def decode_text(path: str | Path, data: bytes) -> tuple[str, bytes]:
    """Decode UTF-8 (with or without BOM). Returns the text and the BOM it had, if any."""
    for bom, encoding in _UTF16_32_BOMS.items():
        if data.startswith(bom) and not data.startswith(UTF8_BOM):
            raise InputError(
                f"{path}:1: the file is {encoding}, not UTF-8; convert it, e.g. "
                f"iconv -f {encoding} -t UTF-8 {path} > converted.txt"
            )
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        if _looks_like_utf16(data):
            raise InputError(
                f"{path}:{line}: the file looks like UTF-16 without a BOM; convert it, e.g. "
                f"iconv -f UTF-16LE -t UTF-8 {path} > converted.txt"
            )
        raise InputError(
            f"{path}:{line}: binary file (NUL byte at byte {nul}); pass a text dataset"
        )
    bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    try:
        return data[len(bom) :].decode("utf-8"), bom
    except UnicodeDecodeError as error:
        offset = error.start + len(bom)
        line = data.count(b"\n", 0, offset) + 1
        raise InputError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
            "re-save the file as UTF-8"
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    return max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader sees the old file or the complete new one, never a part; on any error the
    temporary file is removed and the target is left as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it first")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except PermissionError:
        raise InputError(f"{path}: cannot write in {folder} (permission denied)") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
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
