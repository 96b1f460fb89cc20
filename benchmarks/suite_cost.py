"""The cost of the README's test command, split into unit tests and notebooks (nbval).

    python benchmarks/suite_cost.py [--smoke]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import md_table

ROOT = Path(__file__).resolve().parent.parent


def _time(cmd: list, env: dict) -> tuple:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "CI": "1", **env})
    return time.perf_counter() - t0, p.returncode, p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""


def notebooks() -> list[str]:
    """The Makefile's NOTEBOOKS: both editions of the lectures and of the app page."""
    return sorted(str(p.relative_to(ROOT)) for d in ("notebooks/ko", "notebooks/en", "app/ko", "app/en")
                  for p in (ROOT / d).glob("*.ipynb"))


def run(smoke: bool = False) -> dict:
    """`make test` in its two parts, each exactly as the Makefile runs it: `make unit` (the fast tests) and
    `make nbval` (the notebooks)."""
    py = sys.executable
    if smoke:
        parts = {"unit (one file)": [py, "-m", "pytest", "-q", "tests/test_timesteps.py"]}
    else:
        parts = {"unit tests (`make unit`)": [py, "-m", "pytest", "-q", "tests", "--ignore=tests/e2e"],
                 "notebooks (`make nbval`)": [py, "-m", "pytest", "-q", "--nbval-lax", "--nbval-current-env",
                                              "--nbval-sanitize-with", "notebooks/sanitize.cfg", *notebooks()]}
    rows, res = [], {}
    for name, cmd in parts.items():
        secs, rc, last = _time(cmd, {"DDIM_PREPARE": "0"})
        res[name] = secs
        rows.append([name, f"{secs:.0f}", "pass" if rc == 0 else f"FAIL ({rc})", last])
    md = "### Suite cost (`make test`, CI=1)\n\n" + md_table(["part", "seconds", "result", "pytest summary"], rows) + "\n"
    return {"markdown": md, "seconds": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
