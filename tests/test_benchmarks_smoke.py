"""Each benchmark script runs end to end at tiny sizes (the real runs are `make bench`, not CI)."""
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


sys.path.insert(0, str(ROOT / "benchmarks"))
from run_all import SCRIPTS, merge  # noqa: E402  (every benchmark script, discovered)

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?![\w.])|\b(?:nan|inf)\b", re.I)


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_smoke(name, tmp_path):
    out = tmp_path / "RESULTS.md"
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--smoke", "--only", name, "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    text = out.read_text()
    assert f"<!-- {name} -->" in text and "cores" in text and "|" in text  # a table, and the machine it ran on
    cells = [c.strip() for line in text.splitlines() if line.startswith("|") and not set(line) <= set("|-: ")
             for c in line.strip("|").split("|")]
    numbers = [float(m) for c in cells for m in _NUMBER.findall(c)]
    assert numbers, f"{name}: its table holds no number"
    assert all(math.isfinite(v) for v in numbers), f"{name}: a table cell is not finite: {cells}"


def test_a_run_replaces_its_own_section_and_keeps_everything_else():
    """`make bench` rewrites benchmarks/RESULTS.md: the section of a script it ran is replaced where it stands; the
    sections no script writes (mutation testing, the class server, the handouts) and the notes between sections stay
    byte for byte."""
    text = ("# Benchmark results\n\nhead\n\n<!-- overhead -->\nold table\n<!-- /overhead -->\n\n#### a note by hand\n"
            "kept\n\n<!-- mutation -->\nkill rate\n<!-- /mutation -->\n")
    new = merge(text, "overhead", "<!-- overhead -->\nnew table\n<!-- /overhead -->")
    assert new == text.replace("old table", "new table")
    added = merge(new, "solvers", "<!-- solvers -->\nS\n<!-- /solvers -->")
    assert added.startswith(new.rstrip("\n")) and added.endswith("<!-- solvers -->\nS\n<!-- /solvers -->\n")
    assert merge("", "solvers", "<!-- solvers -->\nS\n<!-- /solvers -->").startswith("# Benchmark results")
