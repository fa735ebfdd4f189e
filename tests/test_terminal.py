"""What a person sees on a terminal: colours only there, the verdict, stats, preview."""

from __future__ import annotations

import json
import os
import pty
import re
import statistics
import subprocess
import sys

from conftest import SAMPLES


def _on_a_terminal(*args: str, **env: str) -> str:
    """stdout of prepdata when stdout is a terminal."""
    controller, terminal = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    process = subprocess.Popen([sys.executable, "-m", "prepdata", *args], stdout=terminal,
                               stderr=subprocess.DEVNULL, env={**environment, **env})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait()
    os.close(controller)
    return shown.decode()


def test_severities_are_coloured_on_a_terminal_only(command):
    coloured = _on_a_terminal("lint", str(SAMPLES / "dirty.txt"), "--quiet")
    assert "\x1b[1;31mPD101 [empty-example]\x1b[0m example is empty" in coloured
    assert "\x1b[33mPD103 [excessive-whitespace]\x1b[0m" in coloured
    assert "\x1b[1;31mNot ready for upload" in coloured
    assert "\x1b[" not in _on_a_terminal("lint", str(SAMPLES / "dirty.txt"), "--quiet", NO_COLOR="1")
    piped = command("lint", SAMPLES / "dirty.txt")
    assert "\x1b[" not in piped.stdout and "PD101 [empty-example] example is empty" in piped.stdout


def test_the_verdict_ends_the_report(command, tmp_path):
    dirty = command("lint", SAMPLES / "dirty.txt").stdout.splitlines()
    assert dirty[-1].startswith("Not ready for upload: 2 finding(s) block it (empty-example 2); 27 in all.")
    assert re.match(r"code\s+rule\s+severity\s+count\s+fix", next(line for line in dirty if line.startswith("code")))
    clean = command("lint", SAMPLES / "clean.txt", "--ignore", "file-size").stdout.splitlines()
    assert clean[-1] == "Ready for upload: no problems found."
    warned = command("lint", SAMPLES / "verse.txt", "--select", "file-size", "-O", "file-size.min_bytes=0").stdout
    assert warned.splitlines()[-1].startswith("Ready for upload, with 1 warning(s)")


def test_stats_prints_percentiles_and_a_histogram(command):
    run = command("stats", SAMPLES / "dirty.txt")
    assert run.code == 0
    report = json.loads(command("lint", SAMPLES / "dirty.txt", "--output-format", "json").stdout)["files"][0]
    lines = run.stdout.splitlines()
    assert lines[0] == f"{SAMPLES / 'dirty.txt'}: 255 examples, {report['bytes']:,} bytes"
    characters = next(line for line in lines if line.startswith("characters ")).split()
    assert characters[1] == str(report["example_length"]["shortest"])
    assert characters[4] == f"{report['example_length']['median']:,}"
    assert characters[8] == f"{report['example_length']['longest']:,}"
    assert characters[9] == f"{statistics.mean(len(t) for t in _texts()):,.1f}"
    bars = [line for line in lines if re.match(r"\s+[\d,]+ – [\d,]+", line)]
    assert len(bars) == 10 and sum(int(line.split()[-1].replace(",", "")) for line in bars) == 255


def _texts():
    import prepdata

    return [example.text for example in prepdata.Settings().read(SAMPLES / "dirty.txt").examples]


def test_preview_shows_whitespace(command):
    run = command("preview", SAMPLES / "dirty.txt", "-n", "200")
    assert "⟨NBSP⟩" in run.stdout and "⟨ZWSP⟩" in run.stdout and "··" in run.stdout
