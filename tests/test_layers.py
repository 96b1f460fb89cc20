"""The package's layers are folders, and no import runs upward (issue 22).

Order, bottom to top: core → samplers → models → experiments → lab → course. ``data`` and ``i18n`` are the
base: every layer may use them, they use no layer. A module may import its own layer and the layers below
it, never one above. The test parses every module's imports (top-level and inside functions), so a lazy
import cannot hide an upward arrow.
"""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "ddim_teach"
LAYERS = ["core", "samplers", "models", "experiments", "lab", "course"]
BASE = {"data", "i18n"}


def _layer_of(module: str) -> str | None:
    """'ddim_teach.core.step' -> 'core'; 'ddim_teach.data' -> 'base'; 'ddim_teach' -> None (the facade)."""
    parts = [p for p in module.split(".") if p != "__init__"]
    if parts[0] != "ddim_teach" or len(parts) == 1:
        return None
    return "base" if parts[1] in BASE else parts[1]


def _imports(path: Path, source: str | None = None):
    """(line, absolute module) for every import of a ddim_teach module in ``path`` (or in ``source``, as if there)."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1])  # e.g. ['ddim_teach', 'core']
    for node in ast.walk(ast.parse(source if source is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.module is None or mod == "ddim_teach":  # from . import name: each name may be a module
                for a in node.names:
                    yield node.lineno, f"{mod}.{a.name}"
            else:
                yield node.lineno, mod
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name


def _arrows():
    for path in sorted(PKG.rglob("*.py")):
        here = _layer_of(".".join(path.relative_to(PKG.parent).with_suffix("").parts))
        for line, mod in _imports(path):
            there = _layer_of(mod)
            if mod.startswith("ddim_teach"):
                yield path, line, here, there, mod


def _upward(here, there) -> bool:
    if there is None:  # the facade ddim_teach/__init__ imports everything; only it may be imported from nowhere
        return here is not None
    if here in (None, there) or there == "base":
        return False
    if here == "base":
        return True
    return LAYERS.index(there) > LAYERS.index(here)


def test_every_subpackage_is_a_known_layer():
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS)
    top = {p.stem for p in PKG.glob("*.py")}
    assert top == {"__init__"} | BASE


def test_no_import_runs_upward():
    bad = [f"{p.relative_to(PKG.parent)}:{line}: {here} imports {mod} ({there})"
           for p, line, here, there, mod in _arrows() if _upward(here, there)]
    assert not bad, "upward imports:\n" + "\n".join(bad)


@pytest.mark.parametrize("here, there, up", [("core", "samplers", True), ("samplers", "core", False),
                                             ("lab", "course", True), ("course", "lab", False),
                                             ("base", "core", True), ("core", "base", False), ("core", None, True)])
def test_the_rule_itself_can_fail(here, there, up):
    assert _upward(here, there) is up


def test_the_parser_sees_a_lazy_relative_import():
    src = "def f():\n    from ..lab import plots\n    from .. import experiments\n    return plots\n"
    found = list(_imports(PKG / "core" / "probe.py", src))
    assert found == [(2, "ddim_teach.lab"), (3, "ddim_teach.experiments")]
    assert all(_upward("core", _layer_of(m)) for _, m in found)
