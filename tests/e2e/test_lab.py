"""JupyterLab itself, as a lecturer uses it before and during a class, at 1920×1080 (a projector).

On a scratch copy of the Korean lecture 04 (saving never touches the repository), in this order:
  1. the untouched notebook opens clean (not marked modified once its kernel has started), with its math
     typeset and no MathJax error; Hangul renders as glyphs, not boxes;
  2. Run All gives no error output, no missing-glyph warning and no uncaught console error;
  3. a SamplerExplorer slider (keyboard) and StepThrough's Next button each change the picture; the time
     from key press to changed picture is measured; the rendered sizes of the figure's text and of the
     controls are measured and must be at least 18 px;
  4. the RISE slideshow starts and advances three slides; StepThrough on its slide, run with Shift+Enter,
     takes Enter on its Next button (this needs jupyterlab_widgets 3.0.10, see pyproject.toml's lab extra);
  5. after a save, with the kernel shut down, the reopened notebook shows the stored pictures.
Screenshots and the measured figures (lab_measurements.json) go to test-results/.
"""
from __future__ import annotations

import io
import json
import statistics
import time

import pytest

from conftest import RESULTS, lab_js

NB = "ko/04_ddpm_vs_ddim.ipynb"
VIEWPORT = {"width": 1920, "height": 1080}
MIN_PX = 18.0  # issue 14: every rendered text of a widget at 1920×1080
MEASURED: dict = {}


# ---- helpers ---------------------------------------------------------------------------------------------
def _save_measurements():
    (RESULTS / "lab_measurements.json").write_text(json.dumps(MEASURED, indent=1, ensure_ascii=False) + "\n")


def _wait(page, condition: str, arg=None, timeout_s: float = 120):
    page.wait_for_function(condition, arg=arg, timeout=timeout_s * 1000, polling=200)


def _open_lab(page, url):
    page.goto(f"{url}/lab", timeout=180_000)
    _wait(page, "() => !!window.jupyterapp", timeout_s=180)
    page.evaluate("() => window.jupyterapp.restored")


def _open_notebook(page, path=NB):
    """Open ``path`` and wait for its kernel; window.__changes records what changes the model once loaded."""
    lab_js(page, """const w = await app.commands.execute('docmanager:open', {path: arg, factory: 'Notebook'});
                 await w.context.ready;
                 window.__changes = [`dirty when loaded: ${w.context.model.dirty}`];
                 w.context.model.sharedModel.changed.connect((_, c) => window.__changes.push(JSON.stringify(
                   {meta: c.metadataChange, cells: c.cellsChange && c.cellsChange.length, state: c.stateChange,
                    nbformat: c.nbformatChanged}).slice(0, 300)));
                 w.content.model.cells.changed.connect(() => window.__changes.push('cells list changed'));
                 for (const cell of w.content.model.cells) cell.sharedModel.changed.connect((s, c) =>
                   window.__changes.push('cell ' + s.id + ': ' + JSON.stringify(c).slice(0, 200)));""", path)
    _wait(page, """(p) => { const w = window.jupyterapp.shell.currentWidget;
                     return w && w.context && w.context.path === p && w.context.isReady && w.sessionContext.session
                       && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }""",
          path, timeout_s=240)


def _explorers(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer")


def _picture_src(explorer) -> str:
    return explorer.locator("img.widget-image").first.get_attribute("src") or ""


def _wait_new_picture(page, explorer, old: str, timeout_s: float = 60) -> float:
    """Wait until the explorer's picture differs from ``old``; return the time it took (s)."""
    t0 = time.perf_counter()
    handle = explorer.locator("img.widget-image").first.element_handle()
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0",
                           arg=[handle, old], timeout=timeout_s * 1000, polling="raf")
    return time.perf_counter() - t0


def _drawn_text_points(explorer) -> list[tuple[float, str]]:
    """(size in points, text) of every text matplotlib actually draws for the explorer's figure."""
    from matplotlib.backends.backend_agg import RendererAgg

    drawn, orig = [], RendererAgg.draw_text

    def record(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            drawn.append((prop.get_size_in_points(), s))
        return orig(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    RendererAgg.draw_text = record
    try:
        with explorer.style():
            explorer.figure.savefig(io.BytesIO(), format="png")  # as plots.figure_to_png draws it
    finally:
        RendererAgg.draw_text = orig
    return drawn


def _differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in _differences(a.get(k), b.get(k), f"{path}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}/{i}")]
    if isinstance(a, list) and isinstance(b, str):
        a = "".join(a)
    return [] if a == b else [f"{path}: {str(a)[:80]!r} → {str(b)[:80]!r}"]


# ---- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lab(lab_server, browser):
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: errors.append(f"console.error: {m.text}") if m.type == "error" else None)
    _open_lab(page, lab_server["url"])
    yield {"page": page, "errors": errors, **lab_server}
    page.close()
    _save_measurements()


# ---- 1. opening --------------------------------------------------------------------------------------------
def test_untouched_notebook_opens_clean(lab):
    page = lab["page"]
    t0 = time.perf_counter()
    _open_notebook(page)
    # the kernel is up and JupyterLab has written its kernelspec and language_info into the model:
    # a notebook that differs from what JupyterLab writes is now dirty
    _wait(page, "() => document.querySelectorAll('.jp-NotebookPanel mjx-container').length > 0", timeout_s=60)
    state = lab_js(page, """return {dirty: nb.context.model.dirty, tab: nb.title.className,
                                 kernelspec: nb.context.model.getMetadata('kernelspec'),
                                 mathErrors: [...nb.node.querySelectorAll('mjx-merror, .MathJax_Error')].map(e => e.textContent
                                              || e.getAttribute('data-mjx-error'))};""")
    page.screenshot(path=str(RESULTS / "lab_04_ko_opened.png"))
    MEASURED["open_seconds"] = round(time.perf_counter() - t0, 1)
    if state["dirty"] or "jp-mod-dirty" in state["tab"]:
        model = lab_js(page, "return nb.context.model.toJSON();")
        stored = json.loads((lab["root"] / NB).read_text())
        diff = [d for d in _differences(stored, model) if "/metadata/trusted:" not in d]  # toJSON adds 'trusted'
        changes = page.evaluate("() => window.__changes")
        pytest.fail(f"{NB} opens as modified; what JupyterLab changed (stored → in the lab): {diff[:10]}; "
                    f"changes after loading: {changes[:10]}"
                    " (`make notebooks` writes the kernelspec JupyterLab writes)")
    assert not state["mathErrors"], f"MathJax could not typeset: {state['mathErrors']}"


def test_hangul_renders_as_glyphs(lab):
    """Tofu (a missing glyph) is one box for every character: distinct syllables drawn alike, or Hangul as
    wide as the same number of unassigned code points, would mean boxes."""
    page = lab["page"]
    m = page.evaluate("""() => {
        const font = getComputedStyle(document.querySelector('.jp-RenderedMarkdown')).fontFamily;
        const span = (t) => { const s = document.createElement('span'); s.style.fontFamily = font; s.style.fontSize = '40px';
                              s.style.whiteSpace = 'pre'; s.textContent = t; document.body.appendChild(s);
                              const w = s.getBoundingClientRect().width; s.remove(); return w; };
        const c = document.createElement('canvas'); c.width = 60; c.height = 60; const g = c.getContext('2d');
        const pix = (t) => { g.clearRect(0, 0, 60, 60); g.font = '40px ' + font; g.fillText(t, 5, 45);
                             return Array.from(g.getImageData(0, 0, 60, 60).data).join(','); };
        return {font, hangul: span('가나다라마바사'),
                pua: span('\\uE000\\uE001\\uE002\\uE003\\uE004\\uE005\\uE006'),
                distinct: new Set(['가', '나', '강', '의'].map(pix)).size,
                headingText: document.querySelector('.jp-NotebookPanel .jp-RenderedMarkdown h1')?.textContent || ''};
    }""")
    MEASURED["hangul"] = m
    page.screenshot(path=str(RESULTS / "lab_04_ko_hangul.png"))
    assert any("\uac00" <= ch <= "\ud7a3" for ch in m["headingText"]), f"the Korean lecture's title has no Hangul: {m}"
    assert m["distinct"] == 4, f"four different syllables draw alike (boxes): {m}"
    assert abs(m["hangul"] - m["pua"]) > 1.0, f"Hangul is as wide as 7 missing-glyph boxes: {m}"


# ---- 2. run all --------------------------------------------------------------------------------------------
def test_run_all_without_errors(lab):
    page = lab["page"]
    t0 = time.perf_counter()
    ok = lab_js(page, "return await app.commands.execute('notebook:run-all-cells');", timeout_s=600)
    _wait(page, """() => { const nb = window.jupyterapp.shell.currentWidget;
                     return nb.sessionContext.session.kernel.status === 'idle'
                       && nb.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount !== null); }""",
          timeout_s=120)
    MEASURED["run_all_seconds"] = round(time.perf_counter() - t0, 1)
    outputs = lab_js(page, """return nb.content.widgets.filter(c => c.model.type === 'code')
                             .flatMap((c, i) => c.model.toJSON().outputs.map(o => ({cell: i, ...o})));""")
    page.screenshot(path=str(RESULTS / "lab_04_ko_ran.png"), full_page=False)
    errors = [f"cell {o['cell']}: {o.get('ename')}: {o.get('evalue')}" for o in outputs if o["output_type"] == "error"]
    assert ok is not False and not errors, f"Run All gave errors: {errors}"
    glyphs = [o["text"] for o in outputs if o["output_type"] == "stream" and "missing from" in "".join(o["text"])]
    assert not glyphs, f"missing-glyph warnings: {glyphs}"
    assert _explorers(page).count() >= 1, "lecture 04 shows no explorer widget after Run All"
    assert not lab["errors"], f"console errors: {lab['errors']}"


# ---- 3. widgets ----------------------------------------------------------------------------------------------
def _step_through(page):
    return _explorers(page).filter(has=page.locator("button", has_text="다음")).first


def _sampler_explorer(page):
    """The lecture's SamplerExplorer, or one added in a new last cell when the lecture has none."""
    sampler = _explorers(page).filter(has_not=page.locator("button", has_text="다음")).filter(
        has=page.locator(".widget-slider", has_text="스텝 수 S"))
    if sampler.count() == 0:
        lab_js(page, """const m = nb.content.model.sharedModel;
                     m.insertCell(m.cells.length, {cell_type: 'code',
                       source: 'from ddim_teach.lab.widgets import SamplerExplorer\\nSamplerExplorer(model="digits", S=20)'});
                     nb.content.activeCellIndex = m.cells.length - 1;
                     await app.commands.execute('notebook:run-cell');""")
        _wait(page, "() => [...document.querySelectorAll('.ddim-explorer')].some(e => e.innerText.includes('스텝 수 S') "
                    "&& !e.innerText.includes('다음'))", timeout_s=180)
    return sampler.last


def test_explorer_slider_changes_picture_and_latency(lab):
    """Issue 14's measure: from a key press on the steps slider to the changed picture, for every step count
    S ≤ 50 the slider offers, each computed for the first time (S = 20 → 1 with ←, then → up to 50; the
    way back up to 20 redraws from the frame cache and is reported apart). Target: median ≤ 300 ms, 95th
    percentile ≤ 600 ms; the figures go to lab_measurements.json and benchmarks/RESULTS.md."""
    page = lab["page"]
    ex = _sampler_explorer(page)
    ex.scroll_into_view_if_needed()
    img = ex.locator("img.widget-image").first
    img.wait_for(timeout=120_000)
    slider = ex.locator(".widget-slider", has_text="스텝 수 S").first
    readout = slider.locator(".widget-readout")
    page.screenshot(path=str(RESULTS / "lab_sampler_before.png"))
    seen, first, cached = {readout.inner_text().strip()}, [], []

    def press(key):
        old, before = _picture_src(ex), readout.inner_text().strip()
        slider.locator(".noUi-handle").focus()
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function("([r, v]) => r.innerText.trim() !== v", arg=[readout.element_handle(), before],
                               timeout=30_000)
        S = readout.inner_text().strip()
        _wait_new_picture(page, ex, old)
        ms = round(1000 * (time.perf_counter() - t0))
        status = ex.locator(".widget-html-content").last.inner_text()  # "... (123 ms)": the kernel's own time
        kernel = int(status.rsplit("(", 1)[-1].split()[0]) if status.rstrip().endswith("ms)") else None
        (cached if S in seen else first).append({"S": int(S), "ms": ms, "kernel_ms": kernel})
        seen.add(S)
        return int(S)

    S = int(readout.inner_text())
    while S > 1:
        S = press("ArrowLeft")
    while S < 50:
        S = press("ArrowRight")
    page.screenshot(path=str(RESULTS / "lab_sampler_after.png"))
    ms = [r["ms"] for r in first]
    q95 = sorted(ms)[max(0, int(round(0.95 * len(ms))) - 1)]
    MEASURED["sampler_keypress_to_picture_ms"] = {
        "first_time": first, "from_cache": cached, "n": len(ms), "median": statistics.median(ms), "p95": q95,
        "max": max(ms), "median_from_cache": statistics.median([r["ms"] for r in cached]) if cached else None}
    _save_measurements()
    assert {r["S"] for r in first} >= {1, 10, 50}, f"the sweep missed step counts: {first}"
    assert max(ms) < 30_000, f"a redraw took {max(ms)} ms"  # a hang, not a slow machine


def test_stepthrough_next_changes_picture(lab):
    page = lab["page"]
    ex = _step_through(page)
    ex.scroll_into_view_if_needed()
    ex.locator("img.widget-image").first.wait_for(timeout=120_000)
    eq = ex.locator(".widget-htmlmath").first
    for _ in range(2):
        old, old_eq = _picture_src(ex), eq.inner_text()
        ex.locator("button", has_text="다음").first.click()
        _wait_new_picture(page, ex, old)
        page.wait_for_function("([e, old]) => e.innerText !== old", arg=[eq.element_handle(), old_eq], timeout=30_000)
    page.screenshot(path=str(RESULTS / "lab_stepthrough_next.png"))


def test_rendered_text_sizes_at_1920(lab):
    """Figure text: matplotlib's size in points × the PNG's rendered width / (72 × figure width in inches)
    (the PNG is saved at the figure's dpi, so its natural width is the figure width × dpi; checked below).
    Controls: the computed CSS font size of every label, readout, button, dropdown and status line."""
    import ddim_teach as dt
    from ddim_teach.lab.widgets import SamplerExplorer, StepThrough

    page = lab["page"]
    dt.set_language("ko")
    report, small = {}, []
    for name, ex, py in (("SamplerExplorer", _sampler_explorer(page), SamplerExplorer(model="digits", S=20, lang="ko")),
                         ("StepThrough", _step_through(page), StepThrough(model="digits", S=10, lang="ko"))):
        # JupyterLab stops drawing cells out of view (no offsetParent, no size): bring this one into view first
        ex.scroll_into_view_if_needed(timeout=60_000)
        ex.locator("img.widget-image").first.wait_for(state="visible", timeout=60_000)
        geo = ex.locator("img.widget-image").first.evaluate(
            "(img) => ({natural: img.naturalWidth, rendered: img.getBoundingClientRect().width,"
            " area: img.closest('.jp-OutputArea-output').getBoundingClientRect().width})")
        width_in, dpi = py.figure.get_figwidth(), py.figure.dpi
        assert abs(geo["natural"] - width_in * dpi) <= 1, f"{name}: PNG {geo['natural']} px ≠ {width_in} in × {dpi} dpi"
        px_per_pt = geo["rendered"] / (72 * width_in)
        drawn = _drawn_text_points(py)
        pt, text = min(drawn)
        controls = ex.evaluate("""(root) => [...root.querySelectorAll(
              '.widget-label, .widget-readout, .widget-button, button, select, .widget-html-content, .widget-htmlmath-content')]
            .filter(e => e.offsetParent !== null && e.innerText.trim())
            .map(e => [parseFloat(getComputedStyle(e).fontSize), e.innerText.trim().slice(0, 30)])""")
        cpx, ctext = min(controls)
        report[name] = {"picture_px": round(geo["rendered"]), "output_area_px": round(geo["area"]),
                        "png_px": geo["natural"], "figure_min_pt": round(pt, 2), "figure_min_text": text,
                        "figure_min_px": round(pt * px_per_pt, 1), "controls_min_px": cpx, "controls_min_text": ctext,
                        "controls_px": sorted({c[0] for c in controls})}
        small += [f"{name} figure text {text!r}: {pt * px_per_pt:.1f} px"] if pt * px_per_pt < MIN_PX else []
        small += [f"{name} control {ctext!r}: {cpx} px"] if cpx < MIN_PX else []
        small += [f"{name} picture {geo['rendered']:.0f} px in a {geo['area']:.0f} px output area"] \
            if geo["rendered"] < 0.95 * geo["area"] else []
    MEASURED["text_px_at_1920"] = report
    _save_measurements()
    assert not small, f"under {MIN_PX} px or not filling the width at 1920×1080: {small}; all: {report}"


def test_pictures_fill_the_width_at_1280(lab):
    """A laptop (1280×800): each explorer's picture still fills its output area and keeps its aspect."""
    page = lab["page"]
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        page.wait_for_timeout(500)  # one layout pass
        _step_through(page).scroll_into_view_if_needed()
        fill = page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer img.widget-image')]
            .filter(i => i.offsetParent !== null).map(i => { const r = i.getBoundingClientRect();
              return {picture: Math.round(r.width), area: Math.round(i.closest('.jp-OutputArea-output').getBoundingClientRect().width),
                      aspect_ok: Math.abs(r.height / r.width - i.naturalHeight / i.naturalWidth) < 0.01}; })""")
        page.screenshot(path=str(RESULTS / "lab_1280x800.png"))
    finally:
        page.set_viewport_size(VIEWPORT)
    MEASURED["pictures_at_1280x800"] = fill
    _save_measurements()
    assert len(fill) >= 2, f"expected the lecture's explorers, found {fill}"
    bad = [f for f in fill if f["picture"] < 0.95 * f["area"] or not f["aspect_ok"]]
    assert not bad, f"at 1280×800 a picture does not fill its output area or is stretched: {bad}"


# ---- 4. RISE ----------------------------------------------------------------------------------------------
def test_rise_slideshow_advances(lab):
    """Saves, starts the slideshow from JupyterLab (RISE opens it in a new tab on the same kernel) and
    advances three slides with →. The next test works StepThrough on its slide from the keyboard."""
    page = lab["page"]
    with page.context.expect_page(timeout=120_000) as new:
        # the slideshow tab loads the notebook from disk and joins its running kernel: save first, so that it
        # finds the outputs of Run All (trusted, with the widgets' state) and restores live widgets
        lab_js(page, "await nb.context.save(); nb.content.activeCellIndex = 0; await app.commands.execute('RISE:slideshow');")
    rise = new.value
    errors: list[str] = []
    rise.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    console: list[str] = []
    rise.on("console", lambda m: console.append(f"{m.type}: {m.text[:200]}") if m.type in ("error", "warning") else None)
    rise.set_viewport_size(VIEWPORT)
    rise.wait_for_selector(".reveal .slides section.present", timeout=180_000)
    rise.wait_for_selector(".reveal .slides section.present .jp-Cell", timeout=60_000)
    rise.screenshot(path=str(RESULTS / "rise_slide_1.png"))

    def where():
        return rise.evaluate("""() => { const s = [...document.querySelectorAll('.reveal .slides > section')];
            const h = s.findIndex(e => e.classList.contains('present'));
            const v = h < 0 ? -1 : [...s[h].querySelectorAll(':scope > section')].findIndex(e => e.classList.contains('present'));
            return [h, v, document.querySelectorAll('.reveal .fragment.visible').length]; }""")

    seen = [where()]
    rise.locator(".reveal").first.click(position={"x": 5, "y": 5})  # focus the deck, outside any cell
    rise.keyboard.press("Escape")  # command mode: RISE's keys act on the slides
    for i in range(3):
        rise.keyboard.press("ArrowRight")
        _wait_slide_change(rise, seen[-1], where)
        seen.append(where())
        rise.screenshot(path=str(RESULTS / f"rise_slide_{i + 2}.png"))
    MEASURED["rise_positions"] = seen
    # what the hall reads: the rendered height of the slides' text (no reveal scaling here, so CSS px are
    # screen px; the course's rise.css sets the sizes)
    sizes = rise.evaluate("""() => { const out = {};
        for (const [name, sel] of [['prose', '.jp-RenderedMarkdown p'], ['heading', '.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2'],
                                   ['code', '.jp-InputArea-editor .cm-line'], ['output', '.jp-OutputArea-output pre']]) {
          const els = [...document.querySelectorAll('.reveal .slides ' + sel)].filter(e => e.innerText.trim());
          out[name] = els.length ? Math.min(...els.map(e => parseFloat(getComputedStyle(e).fontSize))) : null; }
        const s = document.querySelector('.reveal .slides'); out.transform = s.style.transform || 'none';
        return out; }""")
    MEASURED["rise_text_px_at_1920"] = sizes
    _save_measurements()
    small = {k: v for k, v in sizes.items() if isinstance(v, (int, float)) and v < MIN_PX}
    assert not small, f"slide text under {MIN_PX} px at 1920×1080: {sizes}"
    lab["rise"], lab["rise_console"], lab["rise_where"] = rise, console, where
    assert len({tuple(s) for s in seen}) == 4, f"three presses of → did not advance three times: {seen}"
    assert not errors, f"uncaught errors in the slideshow: {errors}"


def test_rise_widget_on_slide_from_keyboard(lab):
    rise, console, where = lab.get("rise"), lab.get("rise_console"), lab.get("rise_where")
    if rise is None:
        pytest.fail("the slideshow did not start")

    # StepThrough's slide: → until it is shown, then focus Next and press Enter
    deadline = time.time() + 120
    cell = rise.locator(".reveal section.present .jp-CodeCell", has_text="StepThrough(")
    while cell.count() == 0 and time.time() < deadline:
        before = where()
        rise.keyboard.press("ArrowRight")
        try:
            _wait_slide_change(rise, before, where, timeout_s=10)
        except AssertionError:
            break  # the last slide
    assert cell.count() > 0, f"no slide holds StepThrough's cell (last at {where()})"
    rise.screenshot(path=str(RESULTS / "rise_stepthrough.png"))
    # the slideshow joins the lecture's kernel, so the widget saved with the notebook is live on its slide.
    # RISE keeps Enter, Space and the arrows for itself unless the focus is in a text box: StepThrough's
    # step box takes ↑/↓ (next/previous step); Next and Prev take the mouse
    st = cell.first.locator(".ddim-explorer").filter(has=rise.locator("button", has_text="다음")).first
    MEASURED["rise_step_box"] = st.locator(".ddim-step-box").first.evaluate(
        "(b) => ({box_px: b.getBoundingClientRect().width, css_width: getComputedStyle(b).width,"
        " input_px: b.querySelector('input').getBoundingClientRect().width})")
    where_before = where()
    _step_on_slide(rise, st, console, "keyboard", "rise_stepthrough_key_up.png")
    _step_on_slide(rise, st, console, "click", "rise_stepthrough_click_next.png")
    assert where() == where_before, f"working the widget moved the slideshow: {where_before} → {where()}"

    # run the cell again on its slide (Shift+Enter): a fresh widget replaces the old one and works the same
    prompt = cell.first.locator(".jp-InputPrompt").inner_text()
    handle = cell.first.element_handle()  # the cell's node: Shift+Enter moves the slideshow on, the node stays
    cell.first.locator(".jp-InputArea-editor").click()
    rise.keyboard.press("Shift+Enter")
    rise.wait_for_function(
        "([c, old]) => c.querySelector('.jp-InputPrompt').innerText !== old && !/\\*/.test(c.querySelector('.jp-InputPrompt').innerText)"
        " && [...c.querySelectorAll('.ddim-explorer img.widget-image')].some(i => i.complete && i.naturalWidth > 0)",
        arg=[handle, prompt], timeout=180_000, polling=200)
    moved = [where()]
    for _ in range(3):  # RISE's Shift+Enter moves on to the next slide: Shift+Space comes back
        if where()[:2] == where_before[:2]:
            break
        rise.locator(".reveal").first.click(position={"x": 5, "y": 5})
        rise.keyboard.press("Escape")
        rise.keyboard.press("Shift+Space")
        _wait_slide_change(rise, moved[-1], where, timeout_s=10)
        moved.append(where())
    assert where()[:2] == where_before[:2], f"could not come back to StepThrough's slide {where_before}: {moved}"
    MEASURED["rise_rerun_prompt"] = [prompt, cell.first.locator(".jp-InputPrompt").inner_text()]
    _step_on_slide(rise, st, console, "keyboard", "rise_stepthrough_rerun_key_up.png")


def _step_on_slide(rise, st, console, how, shot):
    """One step forward on StepThrough: ↑ in its step box ("keyboard") or a click on Next ("click");
    the picture and the box's step must change."""
    st.locator("img.widget-image").first.wait_for(timeout=120_000)
    box = st.locator(".ddim-step-box input").first
    old, old_step = _picture_src(st), int(box.input_value())
    if how == "keyboard":
        box.click()
        rise.keyboard.press("ArrowUp")
    else:
        st.locator("button", has_text="다음").first.click()
    try:
        _wait_new_picture(rise, st, old)
        rise.wait_for_function("([b, v]) => Number(b.value) === v", arg=[box.element_handle(), old_step + 1],
                               timeout=10_000)
    except Exception:
        rise.screenshot(path=str(RESULTS / ("failed_" + shot)))
        raise AssertionError(f"{how}: StepThrough did not go from step {old_step} to {old_step + 1} on its slide "
                             f"(box reads {box.input_value()}); console: {console[-8:]}")
    rise.screenshot(path=str(RESULTS / shot))


def _wait_slide_change(rise, before, where, timeout_s: float = 30):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if where() != before:
            return
        time.sleep(0.1)
    raise AssertionError(f"the slide did not change within {timeout_s} s (at {before})")


# ---- 5. save and reopen ---------------------------------------------------------------------------------
def test_save_reopen_shows_stored_picture(lab):
    if lab.get("rise") is not None:
        lab.pop("rise").close()
    page = lab["page"]
    lab_js(page, "await nb.context.save();")
    lab_js(page, "await app.commands.execute('application:close-all'); await app.serviceManager.sessions.shutdownAll();")
    saved = json.loads((lab["root"] / NB).read_text())
    state = saved["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in saved["cells"]
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views and all(v in state for v in views), "the saved notebook lacks the state of its widgets' models"

    page.reload()
    _wait(page, "() => !!window.jupyterapp", timeout_s=180)
    page.evaluate("() => window.jupyterapp.restored")
    lab_js(page, "await app.commands.execute('docmanager:open', {path: arg, factory: 'Notebook'});", NB)
    _wait(page, """() => { const imgs = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .ddim-explorer img.widget-image')];
                     return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0); }""", timeout_s=180)
    text = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea").all_inner_texts()
    assert not any("Loading widget" in t or "model not found" in t for t in text), "a widget did not come back"
    ex = _step_through(page)
    ex.scroll_into_view_if_needed()
    page.screenshot(path=str(RESULTS / "lab_reopened.png"))
    shown = ex.locator("img.widget-image").first.evaluate(
        "async (img) => { const b = new Uint8Array(await (await fetch(img.src)).arrayBuffer());"
        " let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s); }")
    stored = {m["state"]["value"] for m in state.values() if m.get("model_name") == "ImageModel" and m["state"].get("value")}
    stored |= {b["data"] for m in state.values() for b in m.get("buffers", []) if m.get("model_name") == "ImageModel"}
    assert shown in stored, f"the reopened StepThrough shows a picture that is not among the {len(stored)} saved ones"
    assert not [e for e in lab["errors"] if "model not found" in e], lab["errors"]
