"""Execute notebooks in place, keeping outputs and widget state, so that nbval has something to compare
and a saved notebook shows each explorer's picture without a kernel.

    python -m ddim_teach.notebooks notebooks/*.ipynb      (what `make notebooks` runs)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def execute(path, timeout: int = 1800) -> float:
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - t0


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(f"{p}: {execute(p):.0f} s", flush=True)
