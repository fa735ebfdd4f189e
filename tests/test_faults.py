"""Faults while fix writes: signals, SIGKILL, a full disk, a file changed under it.

fix writes every output to a temporary file in the target's folder and renames it into
place only when complete, so a reader sees the old file or the whole new one."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write

import prepdata.cli
import prepdata.spill

EXAMPLE = "An example with  a double space that fix will collapse, long enough to keep."
DATA = "\n--SEPARATOR--\n".join([EXAMPLE] * 300) + "\n"
FIXED = DATA.replace("  ", " ")
QUIET = ["--ignore", "file-size,example-count,exact-duplicate", "--quiet"]

# Runs prepdata with fsync held up: the temporary file exists, unfinished, until a signal.
HELD_WRITE = """
import os, sys, time
ready = sys.argv[1]
real_fsync = os.fsync
def held(descriptor):
    open(ready, "w").close()
    time.sleep(60)
    real_fsync(descriptor)
os.fsync = held
sys.argv = ["prepdata", *sys.argv[2:]]
from prepdata.cli import main
main()
"""


def _start_held_fix(tmp_path, path):
    ready = tmp_path / "writing"
    process = subprocess.Popen([sys.executable, "-c", HELD_WRITE, str(ready), "fix", str(path), "--in-place", *QUIET],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert list(path.parent.glob(f".{path.name}.*.tmp"))  # caught in the middle of the write
    return process


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_mid_write_leaves_the_input_and_no_temporary_file(tmp_path, stop):
    folder = tmp_path / "data"
    folder.mkdir()
    path = write(folder / "train.txt", DATA)
    process = _start_held_fix(tmp_path, path)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "prepdata: interrupted; no output was left half-written\n"
    assert path.read_text() == DATA
    assert sorted(p.name for p in folder.iterdir()) == ["train.txt"]


def test_sigkill_mid_write_leaves_the_old_file(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = write(folder / "train.txt", DATA)
    process = _start_held_fix(tmp_path, path)
    process.kill()
    process.communicate(timeout=60)
    assert path.read_text() == DATA  # the rename never happened


def test_sigkill_at_any_moment_leaves_the_old_or_the_whole_new_file(tmp_path):
    rng = random.Random(6)
    words = [f"w{i}" for i in range(5000)]
    big = "\n--SEPARATOR--\n".join(" ".join(rng.choices(words, k=12)) + "  end." for _ in range(20_000)) + "\n"
    path = write(tmp_path / "train.txt", big)
    command = [sys.executable, "-m", "prepdata", "fix", str(path), "--in-place", *QUIET]
    started = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    duration = time.monotonic() - started
    expected = path.read_bytes()
    assert expected == big.replace("  ", " ").encode()
    seen = set()
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1, 3.0):
        write(path, big)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.kill()
        process.wait()
        now = path.read_bytes()
        assert now in (big.encode(), expected)
        seen.add(now == expected)
    assert seen == {False, True}  # killed both before and after the rename
    assert _outliving(str(path)) == []  # no worker process outlives its killed parent


def _outliving(argument: str, wait: float = 10.0) -> list[int]:
    """Processes still running with ``argument`` on their command line, after up to ``wait`` s."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").glob("[0-9]*/cmdline"):
            with contextlib.suppress(OSError):
                if argument.encode() in entry.read_bytes().split(b"\0"):
                    found.append(int(entry.parent.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.mark.parametrize("streamed", [False, True])
def test_a_full_disk_is_an_error_and_leaves_everything_as_it_was(cli, tmp_path, monkeypatch, streamed):
    if streamed:  # as a file of 64 MiB and more is fixed
        monkeypatch.setattr(prepdata.streaming, "STREAM_MIN_BYTES", 0)
    path = write(tmp_path / "train.txt", DATA)
    settings = prepdata.runner.Settings()
    assert (prepdata.streaming.plan(path, settings, settings.rules()) is not None) == streamed

    def full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    for arguments in ([], ["--in-place"]):
        run = cli("fix", path, *arguments, *QUIET)
        assert run.code == 2 and "could not be written (No space left on device)" in run.stderr, run
        assert path.read_text() == DATA
        gc.collect()  # a streamed fix's temporary file goes with its result
        assert sorted(p.name for p in tmp_path.iterdir()) == ["train.txt"]


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_a_full_temporary_folder_is_an_error_naming_it(cli, tmp_path, monkeypatch, command):
    # A large file's rewrites wait in a temporary file (prepdata.spill): when TMPDIR is
    # full, one line says so and what to do, and nothing is written.
    monkeypatch.setattr(prepdata.streaming, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(prepdata.spill, "_BATCH_BYTES", 1)
    path = write(tmp_path / "train.txt", DATA)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(prepdata.spill.tempfile, "TemporaryFile", full)
    run = cli(command, path, *QUIET)
    assert run.code == 2, run
    assert run.stderr.count("\n") == 1 and "could not be kept there (No space left on device)" in run.stderr
    assert "TMPDIR" in run.stderr and "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.txt"] and path.read_text() == DATA


def test_in_place_refuses_a_file_another_program_changed_after_it_was_read(cli, tmp_path, monkeypatch):
    path = write(tmp_path / "train.txt", DATA + "--SEPARATOR--\n\n")
    real_fix = prepdata.cli.run_fix

    def fix_then_someone_edits(*args, **kwargs):
        result = real_fix(*args, **kwargs)
        with path.open("a") as stream:  # another program appends while prepdata works
            stream.write("--SEPARATOR--\nAdded by someone else meanwhile.\n")
        return result

    monkeypatch.setattr(prepdata.cli, "run_fix", fix_then_someone_edits)
    run = cli("fix", path, "--in-place", *QUIET)
    assert run.code == 2 and "changed by another program since prepdata read it; nothing was written" in run.stderr
    assert path.read_text().endswith("Added by someone else meanwhile.\n") and "  " in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.txt"]  # no rejects, no temporary file
