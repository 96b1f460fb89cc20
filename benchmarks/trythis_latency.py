"""Kernel-side latency of the "Try this" settings of lectures 00, 04, 05, 06 and 10 (issue 23), on a prepared
lecture: each explorer is built as its lecture cell builds it, its background preparation (S = 1000, the
S = 10 vs 1000 comparison) is allowed to finish (a lecturer reaches "Try this" minutes after Run All), then
each setting the lecture asks for is applied as the browser would (one control change) and the time to the
new picture (PNG ready) is measured: wall time, and the CPU time of the calling thread (time.thread_time, which
leaves out the background preparation and other processes: the load-independent estimate on a busy machine).
Prints p50, p95 and max per lecture and writes benchmarks/out/trythis_latency.json.

    nice -n 10 .venv/bin/python benchmarks/trythis_latency.py
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ddim_teach.lab.solver_widget import SolverExplorer  # noqa: E402
from ddim_teach.lab.widgets import CompareExplorer, SamplerExplorer, StepThrough  # noqa: E402


def _etas():
    return [round(0.05 * k, 2) for k in range(1, 21)]  # → on the η slider, 0.05 a press


def script():
    """(lecture, explorer factory, [(what, function applying one change)])"""
    return [
        ("00", lambda: SamplerExplorer(model="digits", S=20, lang="ko"),
         lambda e: [("S=1000", lambda: setattr(e.steps, "value", 1000)), ("S=10", lambda: setattr(e.steps, "value", 10))]
         + [(f"eta={x}", lambda x=x: setattr(e.eta, "value", x)) for x in _etas()]),
        ("04", lambda: StepThrough(model="digits", S=10, lang="ko"),
         lambda e: [(f"step={i}", lambda i=i: setattr(e.step, "value", i)) for i in range(2, 11)]
         + [(f"eta={x}", lambda x=x: setattr(e.eta, "value", x)) for x in _etas()]
         + [("seed=1", lambda: setattr(e.seed, "value", 1)), ("ring8", lambda: setattr(e.model, "value", "exact:ring8"))]),
        ("05", lambda: SamplerExplorer(model="digits", S=10, spacing="trailing", lang="ko"),
         lambda e: [("S=100", lambda: setattr(e.steps, "value", 100)), ("S=10", lambda: setattr(e.steps, "value", 10)),
                    ("S=5", lambda: setattr(e.steps, "value", 5)), ("S=10 again", lambda: setattr(e.steps, "value", 10))]
         + [(f"eta={x}", lambda x=x: setattr(e.eta, "value", x)) for x in _etas()]
         + [("S=5", lambda: setattr(e.steps, "value", 5)), ("leading", lambda: setattr(e.spacing, "value", "leading")),
            ("trailing", lambda: setattr(e.spacing, "value", "trailing")),
            ("ring8", lambda: setattr(e.model, "value", "exact:ring8"))]),
        ("06 sampler", lambda: SamplerExplorer(model="exact:ring8", S=10, eta=1.0, lang="ko"),
         lambda e: [("S=5", lambda: setattr(e.steps, "value", 5)), ("eta=0", lambda: setattr(e.eta, "value", 0.0))]
         + [(f"eta={x}", lambda x=x: setattr(e.eta, "value", x)) for x in _etas()]
         + [("S=100", lambda: setattr(e.steps, "value", 100)), ("S=10", lambda: setattr(e.steps, "value", 10)),
            ("sigma_hat", lambda: setattr(e.sigma_hat, "value", True)), ("seed=1", lambda: setattr(e.seed, "value", 1))]),
        ("06 compare", lambda: CompareExplorer(model="digits", mode="η=0 vs η=1", S=10, lang="ko"),
         lambda e: [("mode S", lambda: setattr(e.mode, "value", e.MODES[1])), ("eta=1", lambda: setattr(e.eta, "value", 1.0))]),
        ("10", lambda: SolverExplorer(solver="dpmpp_2m", nfe=10, spacing="trailing", seed=0, model="exact:ring8", lang="ko"),
         lambda e: [("nfe=3", lambda: setattr(e.nfe, "value", 3)), ("leading", lambda: setattr(e.spacing, "value", "leading")),
                    ("nfe=10", lambda: setattr(e.nfe, "value", 10)), ("trailing", lambda: setattr(e.spacing, "value", "trailing")),
                    ("leading", lambda: setattr(e.spacing, "value", "leading")),
                    ("gaussian", lambda: setattr(e.model, "value", "exact:gaussian"))]
         + [(f"nfe={n}", lambda n=n: setattr(e.nfe, "value", n)) for n in (5, 6, 8, 10, 15, 20, 30, 50)]),
    ]


def q(xs, p):
    xs = sorted(xs)
    return xs[max(0, int(round(p * len(xs))) - 1)]


def main():
    out = {"torch_threads": torch.get_num_threads(), "lectures": {}}
    for lecture, make, changes in script():
        t0 = time.perf_counter()
        e = make()
        build = time.perf_counter() - t0
        if e.preparing is not None:
            e.preparing.join()
        prepared = time.perf_counter() - t0
        rows = []
        for what, apply in changes(e):
            t, c = time.perf_counter(), time.thread_time()
            apply()
            rows.append({"change": what, "ms": round(1000 * (time.perf_counter() - t)),
                         "cpu_ms": round(1000 * (time.thread_time() - c)), "error": repr(e.error) if e.error else None})
        ms, cpu = [r["ms"] for r in rows], [r["cpu_ms"] for r in rows]
        out["lectures"][lecture] = {"build_s": round(build, 1), "prepared_after_s": round(prepared, 1), "n": len(ms),
                                    "p50_ms": statistics.median(ms), "p95_ms": q(ms, 0.95), "max_ms": max(ms),
                                    "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": q(cpu, 0.95), "cpu_max_ms": max(cpu),
                                    "errors": [r for r in rows if r["error"]],
                                    "slowest": max(rows, key=lambda r: r["ms"]), "changes": rows}
        r = out["lectures"][lecture]
        print(f"{lecture:11s} n={r['n']:3d}  p50 {r['p50_ms']:6.0f} ms  p95 {r['p95_ms']:6.0f} ms  max {r['max_ms']:6.0f} ms"
              f"  ({r['slowest']['change']}); CPU p50 {r['cpu_p50_ms']} p95 {r['cpu_p95_ms']} max {r['cpu_max_ms']} ms;"
              f" prepared in {r['prepared_after_s']} s; errors {len(r['errors'])}", flush=True)
    out["load_average"] = os.getloadavg()
    (Path(__file__).parent / "out").mkdir(exist_ok=True)
    (Path(__file__).parent / "out" / "trythis_latency.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
