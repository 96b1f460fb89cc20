"""A Python process that leaves an explorer's background "Try this" run behind exits cleanly. Found by running the
widget_latency benchmark on Python 3.12/3.13 and then 3.11: it finished its table, then aborted at exit ("terminate
called without an active exception", signal 6) because the "ddim-prepare" thread was still in torch code while the
interpreter shut down. `make test` sets DDIM_PREPARE=0, which hid it from test_benchmark_smoke; here it is on."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_exit_during_a_background_run_is_clean(tmp_path):
    env = {**os.environ, "DDIM_PREPARE": "1"}  # the explorers start their background runs, as in a lecture
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--smoke", "--only", "widget_latency",
                        "--out", str(tmp_path / "RESULTS.md")], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, (p.returncode, p.stderr[-1500:])  # before the fix: -6 (SIGABRT) on every run
    assert "terminate called" not in p.stderr
