"""GuidanceExplorer latency: control change → redraw finished, headless (the kernel's share), one image per class.

Each setting is drawn for the first time (no frame cache): the guidance scale is swept over every slider value at
S = 20 and S = 25. The browser figure (key press → changed picture in JupyterLab) comes from the browser test
``tests/e2e/test_guidance_lab.py``, which writes test-results/guidance_measurements.json; it is quoted when present.
Target (issue 19): median ≤ 600 ms, 95th percentile ≤ 1.2 s on 2 cores.

    python benchmarks/guidance_latency.py [--smoke]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from _common import md_table

BROWSER = Path(__file__).resolve().parent.parent / "test-results" / "guidance_measurements.json"


def _p95(v):
    v = sorted(v)
    return v[max(0, int(round(0.95 * len(v))) - 1)]


def run(smoke: bool = False) -> dict:
    from ddim_teach.lab.guidance_widget import GuidanceExplorer

    ex = GuidanceExplorer(guidance_scale=3.0, S=20, lang="en")  # the first draw also fits the judge
    rows, res = [], {}
    for S in ((20,) if smoke else (20, 25)):
        ex.S.value = S
        ms = []
        for s in ([2.5, 2.0] if smoke else [x / 2 for x in range(21) if x / 2 != 3.0]):
            t0 = time.perf_counter()
            ex.scale.value = s
            ms.append(1000 * (time.perf_counter() - t0))
        res[S] = {"median": statistics.median(ms), "p95": _p95(ms), "n": len(ms)}
        rows.append([f"S = {S}, 10 images (one per class), η = 0", len(ms), f"{statistics.median(ms):.0f}",
                     f"{_p95(ms):.0f}", f"{max(ms):.0f}"])
    md = ("### GuidanceExplorer latency (lecture 11, conditional 28×28 U-Net)\n\n"
          "Headless: a change of the guidance scale → redraw finished (sampling, judge, figure), each setting new.\n\n"
          + md_table(["setting", "n", "median ms", "p95 ms", "max ms"], rows) + "\n")
    if BROWSER.exists():
        b = json.loads(BROWSER.read_text())["guidance_keypress_to_picture_ms"]
        md += (f"\nIn the browser (JupyterLab, Korean edition, S = 20, key press on the guidance slider → changed picture, "
               f"`tests/e2e/test_guidance_lab.py`): n = {b['n']}, median {b['median']:.0f} ms, p95 {b['p95']} ms, "
               f"max {b['max']} ms.\n")
        res["browser"] = b
    return {"markdown": md, "results": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
