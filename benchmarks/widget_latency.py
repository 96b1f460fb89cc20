"""Time from a control change to a finished redraw in the explorers (headless, as the kernel sees it).

Targets, first computation: 2-D models and exact denoisers with S ≤ 100, median ≤ 150 ms; the digits U-Net
with S ≤ 20 and 16 images ≤ 300 ms; a setting seen before ≤ 50 ms.

    python benchmarks/widget_latency.py [--smoke]
"""
from __future__ import annotations

import argparse
import statistics
import time

from ddim_teach.widgets import SamplerExplorer, step_options
from _common import md_table


def _latencies(model: str, S_values: list, seeds: list) -> tuple:
    e = SamplerExplorer(model=model, S=S_values[0], seed=seeds[0])
    first, cached = [], []
    for seed in seeds:
        e.seed.value = seed
        for S in S_values:
            t0 = time.perf_counter()
            e.steps.value = S
            first.append(time.perf_counter() - t0)
            assert e.error is None, e.status.value
    for seed in seeds:  # every setting again: all cached now
        e.seed.value = seed
        for S in S_values:
            t0 = time.perf_counter()
            e.steps.value = S
            cached.append(time.perf_counter() - t0)
    return first, cached


def run(smoke: bool = False) -> dict:
    seeds = [1, 2] if smoke else [1, 2, 3, 4, 5]
    small = [s for s in step_options(1000) if s <= 100]
    cases = [("exact:ring8", small, 150), ("moons", small, 150), ("digits", [s for s in small if s <= 20], 300)]
    rows, res = [], {}
    for model, S_values, target in cases:
        S_values = S_values[::4] if smoke else S_values
        first, cached = _latencies(model, S_values, seeds)
        med, medc = 1000 * statistics.median(first), 1000 * statistics.median(cached)
        res[model] = (med, medc)
        rows.append([model, f"{min(S_values)}–{max(S_values)}", len(first), f"{med:.0f}", f"{1000 * max(first):.0f}",
                     target, f"{medc:.1f}", 50])
    md = ("### Widget latency (SamplerExplorer, control change → redraw finished)\n\n"
          + md_table(["model", "S range", "changes", "median first (ms)", "max first (ms)", "target (ms)",
                      "median cached (ms)", "target (ms)"], rows) + "\n")
    return {"markdown": md, "latency_ms": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
