"""A plain `pip install .` gives the command, the built-in rules and no stray top-level names."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile

from conftest import ROOT, SAMPLES


def test_wheel_installs_builtin_rules_without_a_generic_top_level_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("prepdata-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"prepdata", "prepdata_rules", "prepdata_schemas"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[prepdata.rules]\nbuiltin = prepdata_rules" in text
    assert "prepdata = prepdata.cli:main" in text

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    # Only the installed copy and the dependencies are importable: no checkout, no .pth.
    code = (
        "import sys; sys.path[:0] = [sys.argv[1]]; sys.path.append(sys.argv[2]);"
        "from prepdata.cli import main; sys.argv = ['prepdata', 'lint', sys.argv[3]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", code, str(target), sysconfig.get_paths()["purelib"], str(SAMPLES / "verse.txt")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "PD002 [example-count] 36 examples" in run.stdout
    assert str(target) in subprocess.run(
        [sys.executable, "-S", "-c", code.replace("from prepdata.cli import main; sys.argv = ['prepdata', 'lint', sys.argv[3]]; main()",
                                                  "import prepdata_rules; print(prepdata_rules.__file__)"),
         str(target), sysconfig.get_paths()["purelib"], "x"],
        capture_output=True, text=True, cwd=tmp_path,
    ).stdout
