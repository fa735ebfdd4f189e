"""The progress bar: on a terminal's stderr, never in pipes or with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from conftest import SAMPLES


def _run_with_terminal_stderr(*args: str) -> tuple[bytes, bytes]:
    controller, terminal = pty.openpty()
    env = {**os.environ, "PREPDATA_PROGRESS_DELAY": "0", "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "prepdata", *args], stdout=subprocess.PIPE,
                               stderr=terminal, env=env)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = process.communicate()
    os.close(controller)
    return stdout, shown


def test_progress_shows_on_a_terminal_and_not_in_the_output():
    stdout, terminal = _run_with_terminal_stderr("lint", str(SAMPLES / "dirty.txt"))
    assert b"near-duplicate" in terminal  # the bar names the rule it is at
    assert b"\x1b[" not in stdout and b"PD101 [empty-example]" in stdout


def test_no_progress_with_quiet_or_when_stderr_is_not_a_terminal(command):
    _, terminal = _run_with_terminal_stderr("lint", str(SAMPLES / "dirty.txt"), "--quiet")
    assert terminal == b""
    run = command("lint", SAMPLES / "dirty.txt")
    assert run.stderr == ""
