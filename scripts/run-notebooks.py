#!/usr/bin/env python3
"""Executes notebooks top to bottom with nbclient (what CI does); any failing cell fails the run.

    python3 scripts/run-notebooks.py [notebooks/*.ipynb]      # default: every notebook in notebooks/

Connection and API settings come from the environment (NEO4J_URI, NEO4J_PASSWORD, …, CYBERKG_GRAPHQL_URL), as in
the notebooks themselves. Executed copies (with their tables and figures) go to notebooks/output/executed/
(git-ignored; CYBERKG_NOTEBOOK_OUTPUT moves notebooks/output/, as in lib.py); the notebooks in git keep their
outputs cleared.
"""
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def main(paths: list[str]) -> int:
    notebooks = [pathlib.Path(p).resolve() for p in paths] or sorted(NOTEBOOKS.glob("*.ipynb"))
    out_dir = pathlib.Path(os.environ.get("CYBERKG_NOTEBOOK_OUTPUT", NOTEBOOKS / "output")) / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        started = time.monotonic()
        client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
            print(f"ok   {path.relative_to(ROOT)} ({len(nb.cells)} cells, {time.monotonic() - started:.1f}s)")
        except CellExecutionError as error:
            failed += 1
            print(f"FAIL {path.relative_to(ROOT)}:\n{error}", file=sys.stderr)
        finally:
            nbformat.write(nb, out_dir / path.name)
    print(f"notebooks: {len(notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
