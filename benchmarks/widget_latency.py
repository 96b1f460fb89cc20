"""Time from a control change to a finished redraw in the SamplerExplorer (headless, as the kernel sees it).

Targets (issue 14), first computation of a setting: the digits U-Net (16 images) with S ≤ 50, median
≤ 300 ms and 95th percentile ≤ 600 ms on 2 cores; 2-D models and exact denoisers with S ≤ 100, median
≤ 150 ms; a setting seen before ≤ 50 ms. The figure's share (draw + PNG encode) is timed apart, and a
browser adds its transport and the coalescing delay (``coalesce_delay``, 30 ms) on top.

    python benchmarks/widget_latency.py [--smoke] [--threads N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

from ddim_teach.lab import plots
from ddim_teach.lab.widgets import SamplerExplorer, step_options
from _common import machine, md_table


def _latencies(model: str, S_values: list, seeds: list) -> dict:
    e = SamplerExplorer(model=model, S=S_values[0], seed=seeds[0])
    first, cpu, cached, figure = [], [], [], []
    for seed in seeds:
        e.seed.value = seed
        for S in S_values:
            t0, c0 = time.perf_counter(), time.process_time()
            e.steps.value = S
            first.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            assert e.error is None, e.status.value
            c0 = time.process_time()  # the figure's share (CPU): redraw the same run and encode it
            with e.style():
                e.view.draw(e.result, 1000, ref=e._ref_or_none(model))
                plots.figure_to_png(e.figure)
            figure.append(time.process_time() - c0)
    for seed in seeds[-1:]:  # the last seed's settings again: still in the frame cache
        e.seed.value = seed
        for S in S_values:
            t0 = time.perf_counter()
            e.steps.value = S
            cached.append(time.perf_counter() - t0)
    return {"first": first, "cpu": cpu, "cached": cached, "figure": figure}


def _ms(v, q=None):
    return 1000 * (statistics.median(v) if q is None else float(np.quantile(v, q)))


def run(smoke: bool = False) -> dict:
    seeds = [1, 2] if smoke else [1, 2, 3, 4, 5]
    S_upto = lambda m: [s for s in step_options(1000) if s <= m]  # noqa: E731
    cases = [("digits", S_upto(50), 300, 600), ("exact:ring8", S_upto(100), 150, None), ("moons", S_upto(100), 150, None)]
    rows, res = [], {}
    for model, S_values, target_med, target_p95 in cases:
        S_values = S_values[::4] if smoke else S_values
        r = _latencies(model, S_values, seeds)
        med, p95, fig, medc = _ms(r["first"]), _ms(r["first"], 0.95), _ms(r["figure"]), _ms(r["cached"])
        cmed, cp95 = _ms(r["cpu"]), _ms(r["cpu"], 0.95)
        res[model] = {"median_ms": med, "p95_ms": p95, "cpu_median_ms": cmed, "cpu_p95_ms": cp95, "figure_ms": fig,
                      "cached_ms": medc}
        met = lambda m, p: "yes" if m <= target_med and (target_p95 is None or p <= target_p95) else "no"  # noqa: E731
        rows.append([model, f"{min(S_values)}–{max(S_values)}", len(r["first"]), f"{med:.0f}", f"{p95:.0f}",
                     f"{1000 * max(r['first']):.0f}", f"{cmed:.0f} / {cp95:.0f}", f"≤ {target_med}" + (f" / ≤ {target_p95}" if target_p95 else ""),
                     met(med, p95), met(cmed, cp95), f"{fig:.0f}", f"{medc:.1f}"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    md = ("### Widget latency (SamplerExplorer, control change → redraw finished, headless)\n\n"
          + md_table(["model", "S range", "changes", "median (ms)", "p95 (ms)", "max (ms)",
                      "CPU time median / p95 (ms)", "target median / p95 (ms)",
                      "met (wall)", "met (CPU)", "figure share, CPU median (ms)", "cached, median (ms)"], rows)
          + f"\n\nMachine: {machine()}; load average {load:.1f} while measuring. On a shared machine (load above the core count) the CPU time of the process, with one torch "
          "thread, is the load-independent estimate of the wall time on an idle core. A browser adds the transport "
          "and the 30 ms coalescing delay.\n" + _browser_section())
    return {"markdown": md, "latency_ms": res}


def _browser_section() -> str:
    """The browser's figures from the last `make e2e` (tests/e2e/test_lab.py writes them), when there are any."""
    import datetime
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "test-results" / "lab_measurements.json"
    if not path.exists():
        return "\nNo browser figures yet: run `make e2e`, then this benchmark again.\n"
    m = json.loads(path.read_text()).get("sampler_keypress_to_picture_ms", {})
    if "first_time" not in m:
        return ""
    when = datetime.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    first = sorted(m["first_time"], key=lambda r: r["S"])
    ok = "met" if m["median"] <= 300 and m["p95"] <= 600 else "not met"
    rows = [[r["S"], r["ms"], r["kernel_ms"] if r["kernel_ms"] is not None else "–"] for r in first]
    return ("\n#### In the browser (JupyterLab, lecture 04's kernel, key press on the steps slider → changed picture)\n\n"
            f"Every step count S ≤ 50 the slider offers, each computed for the first time ({m['n']} presses): median "
            f"{m['median']:.0f} ms, 95th percentile {m['p95']:.0f} ms, max {m['max']:.0f} ms; target median ≤ 300 ms and "
            f"p95 ≤ 600 ms: {ok}. Redraws of settings seen before (the frame cache): median "
            f"{m['median_from_cache']:.0f} ms. From `make e2e` ({path.name}, {when}); the kernel's own time is the "
            "explorer's status line.\n\n"
            + md_table(["S", "browser (ms)", "kernel (ms)"], rows) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(run(args.smoke)["markdown"])
