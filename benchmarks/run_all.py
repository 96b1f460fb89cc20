"""Run every benchmark and write benchmarks/RESULTS.md (plots as PNG beside it).

    make bench                        # or: python benchmarks/run_all.py [--smoke] [--only overhead,quality]
Benchmarks are not part of CI; tests/test_benchmarks_smoke.py runs each with --smoke.
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import machine  # noqa: E402

SCRIPTS = ["overhead", "digits_quality", "quality", "reconstruction", "training", "widget_latency", "suite_cost"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every script runs")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(SCRIPTS))
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args(argv)
    names = [s for s in args.only.split(",") if s] or SCRIPTS
    parts = [f"# Benchmark results\n\nMachine: {machine()}\n\nDate: {datetime.date.today()}. "
             f"Reproduce with `make bench` (`python benchmarks/run_all.py{' --smoke' if args.smoke else ''}`).\n"]
    for name in names:
        t0 = time.perf_counter()
        fn = importlib.import_module(name).run
        kw = {"out_dir": Path(args.out).parent} if "out_dir" in inspect.signature(fn).parameters else {}
        res = fn(smoke=args.smoke, **kw)
        parts.append(res["markdown"] + f"\n_{name}: {time.perf_counter() - t0:.0f} s_\n")
        print(f"{name}: done in {time.perf_counter() - t0:.0f} s", flush=True)
    Path(args.out).write_text("\n".join(parts))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
