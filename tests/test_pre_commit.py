"""The hooks under the real pre-commit, in a throwaway git repository holding a dirty dataset.

pre-commit clones the repository (a copy of this one with the working tree committed)
and installs prepdata into an environment of its own (from PyPI, as for any user), so
the test checks the manifest, the packaging and the exit codes together.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write

EXAMPLES = ["The first example of the team's data,  with a double space.", "",
            "The third example of the team's data, which is fine."]
DIRTY = "\n--SEPARATOR--\n".join(EXAMPLES) + "\n"
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _prepdata_as_committed(folder: Path) -> tuple[Path, str]:
    """A clone of this repository with the working tree's package files committed on top,
    so that pre-commit installs exactly the code under test, committed or not."""
    source = folder / "prepdata"
    _git("clone", "-q", str(ROOT), str(source), cwd=folder)
    for name in ("prepdata", "rules"):
        shutil.rmtree(source / name)
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    _git("add", "-A", cwd=source)
    _git("-c", "user.name=prepdata tests", "-c", "user.email=tests@prepdata.invalid", "commit", "-q",
         "--allow-empty", "-m", "the working tree under test", cwd=source)
    return source, _git("rev-parse", "HEAD", cwd=source)


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    source, revision = _prepdata_as_committed(tmp_path_factory.mktemp("source"))
    repo = tmp_path_factory.mktemp("team-repo")
    _git("init", "-q", cwd=repo)
    write(repo / ".pre-commit-config.yaml", f"""repos:
  - repo: {source}
    rev: {revision}
    hooks:
      - id: prepdata-lint
      - id: prepdata-fix
""")
    # The team's configuration: a small dataset, so size and count are not what this checks.
    write(repo / "prepdata.toml", 'ignore = ["file-size", "example-count"]\n')
    (repo / "data").mkdir()
    write(repo / "data" / "train.txt", DIRTY)
    write(repo / "notes.md", "not a dataset\n")
    _git("add", ".", cwd=repo)
    return repo


def _hook(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*PRE_COMMIT, "run", hook, "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def test_manifest_is_valid():
    run = subprocess.run([*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_lint_fails_fix_fixes_once_then_both_pass(repository, tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    lint = _hook(repository, "prepdata-lint", home)
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "prepdata lint" in lint.stdout and "Failed" in lint.stdout
    assert "data/train.txt:1:38: PD103 [excessive-whitespace] 2 spaces or tabs in a row" in lint.stdout
    assert "data/train.txt:3:1: PD101 [empty-example] example is empty" in lint.stdout

    fix = _hook(repository, "prepdata-fix", home)
    assert fix.returncode == 1 and "Failed" in fix.stdout, fix.stdout + fix.stderr
    fixed = (repository / "data" / "train.txt").read_text()
    assert fixed == "\n--SEPARATOR--\n".join([EXAMPLES[0].replace("  ", " "), EXAMPLES[2]]) + "\n"
    assert (repository / "data" / "train.rejects.jsonl").exists()

    again = _hook(repository, "prepdata-fix", home)
    assert again.returncode == 0 and "Passed" in again.stdout, again.stdout + again.stderr
    lint = _hook(repository, "prepdata-lint", home)
    assert lint.returncode == 0 and "Passed" in lint.stdout, lint.stdout + lint.stderr
