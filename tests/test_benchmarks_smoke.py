"""Each benchmark script runs end to end at tiny sizes (the real runs are `make bench`, not CI)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


sys.path.insert(0, str(ROOT / "benchmarks"))
from run_all import SCRIPTS  # noqa: E402  (every benchmark script, discovered)


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_smoke(name, tmp_path):
    out = tmp_path / "RESULTS.md"
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--smoke", "--only", name, "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    text = out.read_text()
    assert f"<!-- {name} -->" in text and "cores" in text and "|" in text  # a table, and the machine it ran on
