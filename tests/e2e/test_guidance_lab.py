"""Lecture 11's GuidanceExplorer in JupyterLab at 1920×1080 (Korean edition), worked from the keyboard.

On a scratch copy of notebooks/ko/11_guidance_editing.ipynb: a fresh kernel runs the explorer's cell; key presses on the guidance-scale slider (one image
per class, S = 20) each change the picture, and the time from key press to changed picture is measured, with the
kernel's share of it that the status line reports. The walk (one step at a time, each press as soon as the picture
has changed) is the measure; then six more steps at a lecturer's pace (a second's look at each picture: the explorer
computes the next step ahead meanwhile) and a press of End, a jump to s = 10 that nothing computed ahead, are
recorded apart
(target from issue 19: median ≤ 600 ms, 95th percentile ≤ 1.2 s on 2 cores; recorded in
test-results/guidance_measurements.json, reported in benchmarks/RESULTS.md, asserted only against a hang).
"""
from __future__ import annotations

import json
import re
import statistics
import time

import pytest

from conftest import RESULTS, lab_js, scratch_lab

NB = "ko/11_guidance_editing.ipynb"


@pytest.fixture(scope="module")
def lab11(tmp_path_factory, browser, results):
    with scratch_lab(tmp_path_factory, browser, results, NB, "11") as lab:
        yield lab


def test_guidance_explorer_from_the_keyboard(lab11):
    page = lab11["page"]
    lab_js(page, """const w = await app.commands.execute('docmanager:open', {path: arg, factory: 'Notebook'});
                 await w.context.ready;""", NB)
    page.wait_for_function("""(p) => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path === p && w.sessionContext.session && w.sessionContext.session.kernel
          && w.sessionContext.session.kernel.status === 'idle'; }""", arg=NB, timeout=240_000, polling=200)
    # a fresh explorer in a new last cell: one image per class, S = 20
    lab_js(page, """const m = nb.content.model.sharedModel;
                 m.insertCell(m.cells.length, {cell_type: 'code', source:
                   'import ddim_teach as dt\\ndt.set_language("ko")\\n' +
                   'from ddim_teach.lab.guidance_widget import GuidanceExplorer\\nGuidanceExplorer(guidance_scale=3.0, S=20)'});
                 nb.content.activeCellIndex = m.cells.length - 1;
                 await app.commands.execute('notebook:run-cell');""")
    ex = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer").last
    ex.locator("img.widget-image").first.wait_for(timeout=240_000)
    page.wait_for_function("(e) => e.innerText.includes('판정 일치')", arg=ex.element_handle(), timeout=240_000)
    ex.scroll_into_view_if_needed()
    slider = ex.locator(".widget-slider", has_text="가이던스 s").first
    readout = slider.locator(".widget-readout")
    img = ex.locator("img.widget-image").first
    status = ex.locator(".widget-html-content").last
    timings, seen = [], {readout.inner_text().strip()}

    def press(key):
        old, before = img.get_attribute("src"), readout.inner_text().strip()
        slider.locator(".noUi-handle").focus()
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function("([r, v]) => r.innerText.trim() !== v", arg=[readout.element_handle(), before],
                               timeout=30_000)
        page.wait_for_function("([i, o]) => i.getAttribute('src') !== o && i.complete && i.naturalWidth > 0",
                               arg=[img.element_handle(), old], timeout=60_000, polling=20)
        ms = round(1000 * (time.perf_counter() - t0))
        value = readout.inner_text().strip()
        if value not in seen:  # first time shown (computed now, or ahead while the last picture was looked at)
            # the kernel's own part: the redraw time the status line reports, "(123 ms)"
            page.wait_for_function("(e) => /\\(\\d+ ms\\)/.test(e.innerText)", arg=status.element_handle(),
                                   timeout=30_000, polling=50)
            kernel = re.search(r"\((\d+) ms\)", status.inner_text())
            timings.append({"s": float(value), "ms": ms, "kernel_ms": int(kernel.group(1))})
        seen.add(value)
        return float(value)

    s = float(readout.inner_text())
    while s > 0:
        s = press("ArrowLeft")
    while s < 6:
        s = press("ArrowRight")
    walk = list(timings)
    while s < 9:  # the same walk at a lecturer's pace: a second's look at each picture before the next press
        page.wait_for_timeout(1000)
        s = press("ArrowRight")
    paced = timings[len(walk):]
    s = press("End")  # a jump to s = 10: nothing computed it ahead
    jump = timings[len(walk) + len(paced):]
    timings[:] = walk
    page.screenshot(path=str(RESULTS / "lab_11_guidance.png"))
    ms = sorted(t["ms"] for t in timings)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    kernel = [t["kernel_ms"] for t in timings]
    out = {"guidance_keypress_to_picture_ms": {"n": len(ms), "median": statistics.median(ms), "p95": p95,
                                               "max": max(ms), "kernel_median": statistics.median(kernel),
                                               "each": timings, "paced_1s": paced, "jump_to_the_end": jump}}
    (RESULTS / "guidance_measurements.json").write_text(json.dumps(out, indent=1) + "\n")
    assert len(timings) >= 10, f"the sweep computed only {len(timings)} new settings"
    assert s == 10 and len(paced) == 6 and len(jump) == 1, (s, paced, jump)
    assert max(ms) < 30_000, f"a redraw took {max(ms)} ms"  # a hang, not a slow machine
    status = status.inner_text()
    assert "판정 일치" in status and "/10" in status, status
    assert not lab11["errors"], f"uncaught page errors: {lab11['errors']}"
