import os
import sys

# `python -m prepdata` puts the working directory first on sys.path, and it is often the
# dataset's folder: no module there (a prepdata_rules.py, say) may shadow prepdata's own.
sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]

from prepdata.cli import main  # noqa: E402

main()
