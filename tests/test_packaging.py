"""Packaging (issue 22): what the course imports at run time is declared, the license field builds, the Pythons."""
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(reqs):
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in reqs}


def test_runtime_imports_are_declared():
    deps = _names(PYPROJECT["project"]["dependencies"])
    # imported by the package at run time: sympy (course.symbolic, nine lectures), scipy (tables.mean_ci),
    # fontTools (i18n's Hangul font copy)
    assert {"sympy", "scipy", "fonttools", "torch", "numpy", "matplotlib", "ipywidgets"} <= deps


def test_license_field_and_its_setuptools_floor():
    assert PYPROJECT["project"]["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    floor = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")][0]
    assert int(re.search(r">=(\d+)", floor).group(1)) >= 77  # SPDX license strings need setuptools 77


@pytest.mark.parametrize("minor", [11, 12, 13])
def test_requires_python_admits(minor):
    spec = PYPROJECT["project"]["requires-python"]
    lo = tuple(map(int, re.search(r">=(\d+)\.(\d+)", spec).groups()))
    hi = tuple(map(int, re.search(r"<(\d+)\.(\d+)", spec).groups()))
    assert lo <= (3, minor) < hi


def test_constraints_pin_every_runtime_dependency_and_torch_exactly():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    assert pins["torch"] == "2.13.0"
    for dep in _names(PYPROJECT["project"]["dependencies"]):
        assert dep.replace("_", "-") in pins, f"{dep} is a dependency but constraints.txt does not pin it"


def test_ipywidgets_private_property_lock_still_marks_browser_changes():
    """widgets._from_browser reads ipywidgets' private ``_property_lock``: fail loudly if ipywidgets changes it."""
    ipywidgets = pytest.importorskip("ipywidgets")
    from ddim_teach.lab.widgets import _from_browser

    w = ipywidgets.IntSlider(value=1)
    seen = []
    w.observe(lambda change: seen.append(_from_browser(change)), "value")
    w.value = 2  # Python code
    w.set_state({"value": 3})  # what a front-end message does
    assert seen == [False, True], (
        f"ipywidgets {ipywidgets.__version__} no longer holds _property_lock while it applies a front-end update: "
        "ddim_teach.lab.widgets._from_browser needs another way to tell browser changes from Python ones")
