"""Lecture 02 in JupyterLab: its joint-against-marginals explorer works in the browser (issue 21).

On a scratch copy of the Korean lecture 02, at 1920×1080: open it, run its setup cell (the edition's language) and
the cell that builds ``JointExplorer``, then
work the explorer from the keyboard as a student would: the t slider (←) and the η (A) slider (→). Each press
must change the picture and the status line's numbers; the time from key press to new picture is measured
(test-results/lab_02_measurements.json) and screenshots go to test-results/.
"""
from __future__ import annotations

import json
import time

import pytest

from conftest import RESULTS, scratch_lab

NB = "ko/02_telescoping.ipynb"


@pytest.fixture(scope="module")
def lab02(tmp_path_factory, results, browser):
    with scratch_lab(tmp_path_factory, browser, results, NB, "02") as lab:
        yield lab


def _explorer(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer").filter(
        has=page.locator(".widget-slider", has_text="η (A)")).first


def test_lecture_02_joint_explorer_in_the_browser(lab02):
    page = lab02["page"]
    page.evaluate("""async (path) => {
        const app = window.jupyterapp;
        const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
        await w.context.ready;
        await w.sessionContext.ready;
        const cells = w.content.model.sharedModel.cells;
        const find = (text) => cells.findIndex(c => c.cell_type === 'code' && c.getSource().includes(text));
        for (const text of ['set_language(', 'JointExplorer(']) {  // the edition's language, then the explorer
            const i = find(text);
            if (i < 0) throw new Error('lecture 02 has no cell with ' + text);
            w.content.activeCellIndex = i;
            await app.commands.execute('notebook:run-cell');
        }
    }""", NB)
    ex = _explorer(page)
    ex.wait_for(timeout=240_000)
    img = ex.locator("img.widget-image").first
    status = ex.locator(".widget-html-content").last
    page.wait_for_function("(s) => s.innerText.includes('corr')", arg=status.element_handle(), timeout=240_000)
    ex.scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "lab_02_joint_before.png"))
    measured = {}

    def press(slider_label, key):
        old_src, old_status = img.get_attribute("src"), status.inner_text()
        slider = ex.locator(".widget-slider", has_text=slider_label).first
        slider.locator(".noUi-handle").focus()
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0",
                               arg=[img.element_handle(), old_src], timeout=60_000, polling="raf")
        ms = round(1000 * (time.perf_counter() - t0))
        page.wait_for_function("([s, old]) => s.innerText !== old", arg=[status.element_handle(), old_status],
                               timeout=30_000)
        return ms, status.inner_text()

    ms_t, text_t = press("타임스텝 t", "ArrowLeft")
    assert "t = 499" in text_t, text_t
    ms_eta, text_eta = press("η (A)", "ArrowRight")
    assert "t = 499" in text_eta and text_eta != text_t
    page.screenshot(path=str(RESULTS / "lab_02_joint_after.png"))
    measured = {"t_keypress_to_picture_ms": ms_t, "eta_keypress_to_picture_ms": ms_eta, "status_after": text_eta}
    (RESULTS / "lab_02_measurements.json").write_text(json.dumps(measured, indent=1, ensure_ascii=False) + "\n")
    assert not [e for e in lab02["errors"] if "uncaught" in e], lab02["errors"]
