"""fix for hooks and CI: several files, --in-place, --exit-non-zero-on-fix, --diff."""

from __future__ import annotations

import json

from conftest import write

DIRTY = "First example, long  enough to keep.\n--SEPARATOR--\n\n--SEPARATOR--\nSecond example, fine as it is.\n"
CLEAN = "First example, long enough to keep.\n--SEPARATOR--\nSecond example, fine as it is.\n"
QUIET = ["--ignore", "file-size,example-count"]


def test_in_place_rewrites_the_input_and_appends_rejects(cli, tmp_path):
    path = write(tmp_path / "data.txt", DIRTY)
    rejects = tmp_path / "data.rejects.jsonl"
    run = cli("fix", path, "--in-place", *QUIET)
    assert run.code == 0, run
    assert path.read_text() == CLEAN
    first = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(r["example"], r["rules"]) for r in first] == [(1, ["empty-example"])]
    assert not list(tmp_path.glob("*.clean.txt"))
    # Nothing left to fix: the file and the earlier rejects stay exactly as they are.
    before = rejects.read_bytes()
    assert cli("fix", path, "--in-place", *QUIET).code == 0
    assert path.read_text() == CLEAN and rejects.read_bytes() == before
    # Another removal is added to the record, which still holds the first one.
    write(path, CLEAN + "--SEPARATOR--\n   \n--SEPARATOR--\nThird example, fine as it is.\n")
    cli("fix", path, "--in-place", *QUIET)
    assert len(rejects.read_text().splitlines()) == 2 and rejects.read_bytes().startswith(before)


def test_exit_non_zero_on_fix_for_hooks(cli, tmp_path):
    dirty, clean = write(tmp_path / "a.txt", DIRTY), write(tmp_path / "b.txt", CLEAN)
    assert cli("fix", clean, "--in-place", "--exit-non-zero-on-fix", *QUIET).code == 0
    assert cli("fix", dirty, clean, "--in-place", "--exit-non-zero-on-fix", *QUIET).code == 1
    assert cli("fix", dirty, clean, "--in-place", "--exit-non-zero-on-fix", *QUIET).code == 0
    assert dirty.read_text() == clean.read_text() == CLEAN


def test_several_inputs_get_their_own_outputs(cli, tmp_path):
    a, b = write(tmp_path / "a.txt", DIRTY), write(tmp_path / "b.txt", DIRTY)
    assert cli("fix", a, b, *QUIET).code == 0
    assert (tmp_path / "a.clean.txt").read_text() == (tmp_path / "b.clean.txt").read_text() == CLEAN
    assert a.read_text() == DIRTY  # without --in-place the input is never touched
    run = cli("fix", a, b, "-o", tmp_path / "out.txt")
    assert run.code == 2 and "--output and --rejects name the files of one input" in run.stderr


def test_diff_over_several_files_writes_nothing(cli, tmp_path):
    a, b = write(tmp_path / "a.txt", DIRTY), write(tmp_path / "b.txt", CLEAN)
    run = cli("fix", a, b, "--diff", *QUIET)
    assert run.code == 1 and "-First example, long  enough to keep." in run.stdout
    assert "b.txt" not in run.stdout and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    assert cli("fix", b, "--diff", *QUIET).code == 0
