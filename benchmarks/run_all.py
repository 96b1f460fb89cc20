"""Run every benchmark and write benchmarks/RESULTS.md (plots as PNG beside it).

    make bench                        # or: python benchmarks/run_all.py [--smoke] [--only overhead,quality]
Benchmarks are not part of CI; tests/test_benchmarks_smoke.py runs each with --smoke.
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import machine  # noqa: E402

# Every benchmarks/NAME.py that defines ``run(smoke=False[, out_dir])`` (names starting with "_" excluded) is a
# benchmark: adding one is creating the file. ORDER only fixes the order in which `make bench` runs the known
# scripts (new scripts follow in alphabetical order); a new section is appended to RESULTS.md, an old one replaced in place.
ORDER = ["overhead", "digits_quality", "quality", "reconstruction", "solvers", "training", "widget_latency", "suite_cost"]


def discover() -> list[str]:
    found = sorted(p.stem for p in HERE.glob("*.py")
                   if not p.stem.startswith("_") and p.stem != "run_all" and "\ndef run(" in p.read_text())
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


SCRIPTS = discover()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every script runs")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(SCRIPTS))
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args(argv)
    names = [s for s in args.only.split(",") if s] or SCRIPTS
    unknown = [n for n in names if n not in SCRIPTS]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(SCRIPTS)}")
    out = Path(args.out)
    # everything not run this time stays as it is, in its place: the sections of other scripts, those written by hand
    # or by other tools (the mutation run, the class server's load test, the handouts) and the notes between them
    for name in names:
        t0 = time.perf_counter()
        fn = importlib.import_module(name).run
        kw = {"out_dir": Path(args.out).parent} if "out_dir" in inspect.signature(fn).parameters else {}
        res = fn(smoke=args.smoke, **kw)
        block = (f"<!-- {name} -->\n" + res["markdown"]
                 + f"\n_{name}: {time.perf_counter() - t0:.0f} s on {machine()}, {datetime.date.today()}_\n<!-- /{name} -->")
        print(f"{name}: done in {time.perf_counter() - t0:.0f} s", flush=True)
        out.write_text(merge(out.read_text() if out.exists() else "", name, block))  # after every script: an interrupted run keeps what it measured
    print(f"wrote {out}")
    return 0


HEAD = ("# Benchmark results\n\nReproduce with `make bench` (`python benchmarks/run_all.py`), or one part with "
        "`python benchmarks/run_all.py --only NAME`. Each section names the machine it ran on.\n")


def merge(text: str, name: str, block: str) -> str:
    """``text`` (a RESULTS.md) with the section ``<!-- name --> … <!-- /name -->`` replaced by ``block`` where it
    stands, or ``block`` appended when the file has no such section; nothing else changes."""
    m = re.search(rf"<!-- {re.escape(name)} -->\n.*?<!-- /{re.escape(name)} -->", text, re.S)
    if m:
        return text[: m.start()] + block + text[m.end():]
    return (text.rstrip("\n") if text else HEAD) + "\n\n" + block + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
