"""The "Try this" settings of lectures 00, 04, 05, 06 and 10 in JupyterLab at 1920×1080 (Korean edition), worked
from the keyboard and the mouse as a lecturer works them, each on a prepared explorer (issue 23: the lecturer never
waits more than 1 s on a prepared lecture).

One kernel on a scratch lab. For each lecture, a new cell builds the explorer as the lecture builds it and waits for
its background preparation (what the "Try this" asks for: S = 1000, the S = 10 vs 1000 comparison) to finish, as a
lecturer reaches "Try this" minutes after Run All. Then each change is made in the browser (a key on a slider's
handle, an option of a dropdown, a toggle button, a number typed into a box) and the time from the action to the
changed picture is measured. p50 and p95 per lecture and over all changes go to test-results/trythis_browser.json
(reported in benchmarks/RESULTS.md); the test asserts that every change changes the picture, that none hangs, and
that the 95th percentile is within the 1 s target.
"""
from __future__ import annotations

import json
import statistics
import time

import pytest

from conftest import RESULTS, lab_js, scratch_lab

NB = "ko/00_start_here.ipynb"

# (lecture, the explorer as its lecture builds it, [actions]); an action is
#   ("key", slider label, key, presses) | ("select", dropdown label, option) | ("toggle", button text)
#   | ("check", checkbox label) | ("type", box label, value)
SCRIPT = [  # each lecture's "Try this", in its order
    ("00", 'SamplerExplorer(model="digits", S=20)',  # S to 1000, then to 10; at S = 10, η from 0 to 1
     [("key", "스텝 수 S", "End", 1), ("key", "스텝 수 S", "Home", 1)] + [("key", "스텝 수 S", "ArrowRight", 1)] * 7
     + [("key", "η", "ArrowRight", 1)] * 20),
    ("04", 'StepThrough(model="digits", S=10)',  # Next through the run; η from 0 to 1; a seed; the ring
     [("key", "스텝 i", "ArrowRight", 1)] * 9 + [("key", "η", "ArrowRight", 1)] * 20
     + [("type", "시드", "1"), ("select", "모델", "exact:ring8")]),
    ("05", 'SamplerExplorer(model="digits", S=10, spacing="trailing")',  # S down to 5; η at S = 10; spacing; the ring
     [("key", "스텝 수 S", "ArrowLeft", 1)] * 3 + [("key", "스텝 수 S", "ArrowRight", 1)] * 3
     + [("key", "η", "ArrowRight", 1)] * 20 + [("key", "스텝 수 S", "ArrowLeft", 1)] * 3
     + [("select", "τ 간격", "leading"), ("select", "τ 간격", "trailing"), ("select", "모델", "exact:ring8")]),
    ("06 sampler", 'SamplerExplorer(model="exact:ring8", S=10, eta=1.0)',  # S = 5 and η 0 → 1; S up; σ̂; a seed
     [("key", "스텝 수 S", "ArrowLeft", 1)] * 3 + [("key", "η", "Home", 1)] + [("key", "η", "ArrowRight", 1)] * 20
     + [("key", "스텝 수 S", "ArrowRight", 1)] * 12 + [("key", "스텝 수 S", "ArrowLeft", 1)] * 9
     + [("check", "σ̂"), ("type", "시드", "1")]),
    ("06 compare", 'CompareExplorer(model="digits", mode="η=0 vs η=1", S=10)',  # mode S = 10 vs 1000, then η = 1
     [("toggle", "S = 10 대 S = 1000"), ("key", "η", "End", 1), ("toggle", "η = 0 대 η = 1")]),
    ("10", 'SolverExplorer(solver="dpmpp_2m", nfe=10, spacing="trailing", seed=0, model="exact:ring8")',
     [("key", "네트워크 호출 NFE", "ArrowLeft", 1)] * 3
     + [("select", "τ 간격", "leading"), ("select", "τ 간격", "trailing"), ("select", "모델", "exact:gaussian")]
     + [("key", "네트워크 호출 NFE", "ArrowRight", 1)] * 7),
]


@pytest.fixture(scope="module")
def lab_trythis(tmp_path_factory, browser, results):
    with scratch_lab(tmp_path_factory, browser, results, NB, "trythis") as lab:
        yield lab


def _idle(page, timeout_ms=600_000):
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
        return k && k.status === 'idle' && !w.content.widgets.some(c => c.model.type === 'code'
          && c.node.querySelector('.jp-InputPrompt').innerText.includes('*')); }""", timeout=timeout_ms, polling=200)


def _act(page, ex, action):
    kind, what = action[0], action[1]
    if kind == "key":
        handle = ex.locator(".widget-slider", has_text=what).first.locator(".noUi-handle")
        handle.focus()
        for _ in range(action[3]):
            page.keyboard.press(action[2])
    elif kind == "select":
        ex.locator(".widget-dropdown", has_text=what).first.locator("select").select_option(action[2])
    elif kind == "toggle":
        ex.locator("button", has_text=what).first.click()
    elif kind == "check":
        ex.locator(".widget-checkbox", has_text=what).first.locator("input").click()
    elif kind == "type":
        box = ex.locator(".widget-inline-hbox", has_text=what).first.locator("input")
        box.fill(action[2])
        box.press("Enter")
    else:
        raise ValueError(kind)


def _q(xs, p):
    xs = sorted(xs)
    return xs[max(0, int(round(p * len(xs))) - 1)]


def test_trythis_settings_from_the_browser(lab_trythis):
    page = lab_trythis["page"]
    lab_js(page, """const w = await app.commands.execute('docmanager:open', {path: arg, factory: 'Notebook'});
                 await w.context.ready; await w.sessionContext.ready;""", NB)
    _idle(page)
    lab_js(page, """const m = nb.content.model.sharedModel;
                 m.insertCell(m.cells.length, {cell_type: 'code', source: 'import ddim_teach as dt\\ndt.set_language("ko")\\n'
                   + 'from ddim_teach.lab.widgets import SamplerExplorer, StepThrough, CompareExplorer\\n'
                   + 'from ddim_teach.lab.solver_widget import SolverExplorer'});
                 nb.content.activeCellIndex = m.cells.length - 1;
                 await app.commands.execute('notebook:run-cell');""")
    _idle(page)
    report, failures = {}, []
    for lecture, make, actions in SCRIPT:
        n_before = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer").count()
        # the explorer, then its preparation joined in the same cell: the cell ends when the lecture is "prepared"
        lab_js(page, """const m = nb.content.model.sharedModel;
                     m.insertCell(m.cells.length, {cell_type: 'code', source: arg});
                     nb.content.activeCellIndex = m.cells.length - 1;
                     await app.commands.execute('notebook:run-cell');""",
            f"e = {make}\ndisplay(e)\nif e.preparing is not None:\n    e.preparing.join()")
        _idle(page)
        ex = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer").nth(n_before)
        ex.scroll_into_view_if_needed()
        img = ex.locator("img.widget-image").first
        img.wait_for(timeout=120_000)
        rows = []
        for action in actions:
            old = img.get_attribute("src")
            t0 = time.perf_counter()
            _act(page, ex, action)
            try:
                page.wait_for_function("([i, o]) => i.getAttribute('src') !== o && i.complete && i.naturalWidth > 0",
                                       arg=[img.element_handle(), old], timeout=30_000, polling="raf")
            except Exception:
                failures.append(f"{lecture} {action}: no new picture within 30 s")
                continue
            rows.append({"action": list(action), "ms": round(1000 * (time.perf_counter() - t0))})
        ms = [r["ms"] for r in rows]
        if ms:
            report[lecture] = {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": _q(ms, 0.95), "max_ms": max(ms),
                               "changes": rows}
        page.screenshot(path=str(RESULTS / f"trythis_{lecture.replace(' ', '_')}.png"))
    every = [r["ms"] for v in report.values() for r in v["changes"]]
    report["all"] = {"n": len(every), "p50_ms": statistics.median(every) if every else None,
                     "p95_ms": _q(every, 0.95) if every else None, "max_ms": max(every) if every else None}
    (RESULTS / "trythis_browser.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    assert not failures, failures
    assert every and max(every) < 30_000, report["all"]  # a hang, not a slow machine
    # the target of issue 23 (no wait over 1 s on a prepared lecture), on the 95th percentile: measured 342 ms
    # (max 444 ms, 155 changes) on a quiet 2-core machine, so a loaded machine has about 3× of headroom
    assert report["all"]["p95_ms"] <= 1000, report["all"]
    assert not lab_trythis["errors"], f"uncaught page errors: {lab_trythis['errors']}"
