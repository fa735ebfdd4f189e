from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from prepdata.cli import app

settings.register_profile("default", max_examples=120)
settings.register_profile("long", max_examples=3000)
# The long fuzz run (tests/test_fuzz.py): 2,500 inputs for each of its four tests.
settings.register_profile("fuzz", max_examples=2500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"


class Run:
    """The outcome of one prepdata command: exit code, stdout, stderr."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"Run(code={self.code}, stdout={self.stdout[-2000:]!r}, stderr={self.stderr[-2000:]!r})"


@pytest.fixture
def cli():
    """Run prepdata in-process through typer's runner, as the command line would."""
    runner = CliRunner()

    def run(*args: str) -> Run:
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def command():
    """Run the real installed command in a subprocess (python -m prepdata)."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "prepdata", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path
