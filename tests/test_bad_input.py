"""What prepdata does with bad input: every case a user could hit, through the real command.

Each case ends in one line on stderr and exit 2 (the input cannot be used as asked) or in
findings and exit 1 (the input is read, and what is wrong with it is reported); never a
traceback, never a half-written output. The README's table "What prepdata does with bad
input" lists exactly these cases (a test below checks it).
"""

from __future__ import annotations

import bz2
import errno
import gzip
import json
import os
import re
import tempfile

import pytest
from conftest import ROOT, write

SEPARATED = "\n--SEPARATOR--\n".join(f"Example number {i}, long enough to pass." for i in range(3)) + "\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def _large_with_a_bad_byte() -> bytes:
    example = "A sentence of an example that is long enough, about eighty characters long here."
    half = "\n--SEPARATOR--\n".join([example] * 12_000).encode()
    return half + b"\n--SEPARATOR--\ncaf\xe9 in the middle\n--SEPARATOR--\n" + half + b"\n"


# name: (file content or a maker, extra arguments, exit code, what stderr or stdout says). Exit 0
# where every finding is a warning.
CASES = {
    "a missing path": (None, [], 2, "no such file; check the path"),
    "a directory": ("DIR", [], 2, "is a directory; pass a dataset file"),
    "a pipe (FIFO)": ("FIFO", [], 2, "is not a regular file (a pipe or a device)"),
    "an empty file": (b"", [], 2, "the file is empty"),
    "a file of only separators": (b"--SEPARATOR--\n" * 4, [], 1, "PD101 [empty-example] example is empty"),
    "a binary file (NUL bytes)": (b"text\x00\x01\x02more", [], 2, "binary file (NUL byte at byte 4)"),
    "an image": (PNG, [], 2, "binary file (NUL byte"),
    "a gzip-compressed file": (gzip.compress(SEPARATED.encode()), [], 2, "a gzip-compressed file; decompress it first"),
    "a bzip2-compressed file": (bz2.compress(SEPARATED.encode()), [], 2, "a bzip2-compressed file"),
    "invalid UTF-8 in the middle of a large file": (_large_with_a_bad_byte, [], 1,
                                                    "PD303 [encoding] byte 0xE9 at offset"),
    "UTF-16 with a BOM": (SEPARATED.encode("utf-16"), [], 1, "the file is UTF-16, not UTF-8"),
    "UTF-16 without a BOM": (SEPARATED.encode("utf-16-le"), [], 1, "the file is UTF-16, not UTF-8"),
    "a 20 MB file with no newline at all": (lambda: b"lorem ipsum dolor sit amet " * 740_000, [], 0,
                                           "PD104 [repetitive-example]"),
    "a million tiny examples": (lambda: b"a\n--SEPARATOR--\n" * 1_000_000, ["--statistics"], 0,
                                "999999  PD201  exact-duplicate"),
    "a JSONL line of 50 MB": (lambda: json.dumps({"prompt": "p", "completion": "word " * 10_000_000}).encode(),
                              ["--input-format", "jsonl"], 0, "PD105 [long-example]"),
    "deeply nested JSON": (b'{"prompt": "a", "completion": "b"}\n{"prompt": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
                           ["--input-format", "jsonl"], 1, "PD301 [invalid-record] not valid JSON: nested too deeply"),
    "JSONL that is a JSON array": (b'[{"prompt": "a", "completion": "b"}]', ["--input-format", "jsonl"], 1,
                                   "PD301 [invalid-record] a JSON array, not an object"),
    "a malformed JSON line": (b'{"prompt": "a", "completion": "b"}\n{"prompt": "a",\n', ["--input-format", "jsonl"], 1,
                              "data.txt:2:1: PD301 [invalid-record] not valid JSON"),
    "CSV with an unterminated quote": (b'prompt,completion\nhi,"there\n', ["--input-format", "csv"], 1,
                                       "PD301 [invalid-record]"),
    "CSV without prompt/completion or text columns": (b"question,answer\nhi,there\n", ["--input-format", "csv"], 2,
                                                      "no header row naming the columns of a record schema"),
    "an empty separator": (SEPARATED.encode(), ["--separator", ""], 2, "the separator is empty"),
    "a separator longer than the file": (b"short", ["--separator", "a separator longer than the file"], 2,
                                         "never occurs; check --separator"),
    "a separator that never occurs": (SEPARATED.encode(), ["--separator", "@@@"], 2, "the separator '@@@' never occurs"),
    "an unknown input format": (SEPARATED.encode(), ["--input-format", "xml"], 2, "txt, jsonl, json, csv, tsv, parquet"),
    "a `.json` file that is not one array (a missing `]`, a stray comma, text after the array)": (
        b'[\n  {"text": "a"},,\n  {"text": "b"}\n]\n', ["--input-format", "json"], 2,
        "data.txt:2: an empty element (two commas, or a comma after '['); remove the comma"),
    "a truncated or corrupt Parquet file": (b"PAR1" + b"\x01\x02" * 40, ["--input-format", "parquet"], 2,
                                            "not a readable Parquet file"),
}


def _prepare(tmp_path, content):
    path = tmp_path / "data.txt"
    if content == "DIR":
        path.mkdir()
    elif content == "FIFO":
        os.mkfifo(path)
    elif callable(content):
        path.write_bytes(content())
    elif content is not None:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("case", CASES)
def test_bad_input(command, tmp_path, case):
    content, arguments, code, expected = CASES[case]
    path = _prepare(tmp_path, content)
    before = sorted(p.name for p in tmp_path.iterdir())
    run = command("lint", path, *arguments)
    assert run.code == code, run
    assert "Traceback" not in run.stderr + run.stdout
    if code == 2:
        assert run.stdout == "" and run.stderr.count("\n") == 1, run
        assert run.stderr.startswith("prepdata: error: ") and expected in run.stderr
    else:
        assert expected in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # lint writes nothing


# fix: where the output may go, and what happens when the disk or the folder refuses it.
OUTPUT_CASES = {
    "an output path equal to the input without --in-place": (["-o", "{input}"], "--output is the input file"),
    "an output folder that does not exist": (["-o", "{tmp}/missing/out.txt"], "does not exist; create it first"),
    "an output path that is a directory": (["-o", "{tmp}"], "could not be written (Is a directory)"),
    "a rejects path equal to the output path": (["-o", "{tmp}/out.txt", "--rejects", "{tmp}/out.txt"],
                                                "--rejects is the same file as --output"),
    "a rejects path equal to the input": (["--rejects", "{input}"], "--rejects is the input file"),
}


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_bad_output_path(command, tmp_path, case):
    arguments, expected = OUTPUT_CASES[case]
    path = write(tmp_path / "data.txt", SEPARATED + "--SEPARATOR--\n\n--SEPARATOR--\nlast one, long enough too.\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    run = command("fix", path, *[a.format(input=path, tmp=tmp_path) for a in arguments])
    assert run.code == 2 and run.stdout == "" and run.stderr.count("\n") == 1, run
    assert expected in run.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written, nothing changed


def test_an_unreadable_file(cli, tmp_path, monkeypatch):
    # As root, permissions do not stop a read; the error the system would raise is raised here.
    path = write(tmp_path / "data.txt", SEPARATED)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(errno.EACCES, "")))
    run = cli("lint", path)
    assert run.code == 2 and run.stderr == f"prepdata: error: {path}: permission denied; make the file readable\n"


def test_a_read_only_output_folder(cli, tmp_path, monkeypatch):
    path = write(tmp_path / "data.txt", SEPARATED)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    run = cli("fix", path, "-o", tmp_path / "out.txt")
    assert run.code == 2 and "cannot write in" in run.stderr and "(Read-only file system)" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]


def test_readme_table_lists_exactly_these_cases():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## What prepdata does with bad input", 1)[1].split("\n## ", 1)[0]
    listed = {match.group(1) for match in re.finditer(r"^\| ([^|]+?) \|", section, re.MULTILINE)} - {"input", "---"}
    tested = {*CASES, *OUTPUT_CASES, "an unreadable file", "a read-only output folder", "a device such as /dev/zero",
              "a full disk while writing", "a file changed by another program during fix --in-place",
              "Ctrl-C or SIGTERM during fix", "a killed process (SIGKILL) during fix", "a configuration file with an unknown key or a wrong type",
              "a rule plugin that raises"}
    assert listed == tested


def test_a_device_such_as_dev_zero(command):
    run = command("lint", "/dev/zero")  # would never end if read
    assert run.code == 2 and run.stderr == "prepdata: error: /dev/zero: is not a regular file (a pipe or a device); save the data to a file first\n"
