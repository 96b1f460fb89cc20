"""End to end in a real browser: Debian's chromium, driven by Playwright, on the Voila app page.

A person's actions: press the arrow keys on the 'steps S' and 'η' sliders, then check that the labels
show the new values and that the picture changed. Screenshots go to test-results/.
Run with `make e2e` (CI runs it after `make test`). Without /usr/bin/chromium the test fails, loudly.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


# "steps S" (en) or "스텝 수 S" (ko): the symbol S stays in both languages
STEPS_LABEL = re.compile(r"(^|\s)S\s*$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium); "
                    "the browser test does not pass without a browser")
    port = _free_port()
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"
    log = open(RESULTS / "voila.log", "w") if RESULTS.mkdir(exist_ok=True) is None else None
    proc = subprocess.Popen([voila, str(ROOT / "app" / "ko" / "ddim_app.ipynb"), "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1", "--VoilaConfiguration.file_allowlist=['.*']"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"voila exited early; see {RESULTS / 'voila.log'}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


def _slider(page, label):
    """The first slider whose label matches ``label`` (a string or a regex: the page may be Korean)."""
    return page.locator(".widget-slider").filter(has=page.locator("label", has_text=label)).first


def _image_hash(img) -> str:
    return hashlib.sha256(img.screenshot()).hexdigest()


def _wait_change(fn, old, timeout=180.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        new = fn()
        if new != old:
            return new
        time.sleep(0.1)
    raise AssertionError(f"nothing changed within {timeout} s")


def _settled(fn, old, quiet=1.0, timeout=60.0):
    """The value of ``fn`` once it differs from ``old`` and has not changed for ``quiet`` seconds."""
    value, since = _wait_change(fn, old, timeout), time.time()
    while time.time() - since < quiet:
        time.sleep(0.1)
        if (new := fn()) != value:
            value, since = new, time.time()
    return value


# each explorer's picture: its rendered width and the width of the output area that holds it
_FILL_JS = """() => [...document.querySelectorAll('.ddim-explorer img.widget-image')].filter(i => i.offsetParent !== null)
    .map(i => { const box = i.closest('.jp-OutputArea-output') || i.closest('.ddim-explorer').parentElement;
                return {picture: Math.round(i.getBoundingClientRect().width), area: Math.round(box.getBoundingClientRect().width),
                        aspect_ok: Math.abs(i.getBoundingClientRect().height / i.getBoundingClientRect().width
                                            - i.naturalHeight / i.naturalWidth) < 0.01}; })"""


def test_sliders_change_the_picture(app_url):
    from playwright.sync_api import sync_playwright

    t0 = time.time()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        # Voila streams the page while the kernel runs it: wait for the slider, not for the load event
        # (on 2 busy cores the whole page took over 120 s)
        page.goto(app_url, timeout=120_000, wait_until="commit")
        steps = _slider(page, STEPS_LABEL)
        steps.wait_for(timeout=360_000)
        img = page.locator(".widget-image").first
        img.wait_for(timeout=60_000)
        status = page.locator(".widget-html-content", has_text=re.compile(r"S = \d+")).first
        status.wait_for(timeout=60_000)
        assert "S = 20" in status.inner_text()
        readout = steps.locator(".widget-readout")
        assert readout.inner_text().strip() == "20"
        before = _image_hash(img)
        page.screenshot(path=str(RESULTS / "app_before.png"))

        steps.locator(".noUi-handle").focus()  # as a person would: focus the handle and press → twice
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        new_steps = _settled(lambda: readout.inner_text().strip(), "20")
        assert int(new_steps) > 20
        # the explorer drops the redraw of the first press (coalescing): only the last value is drawn
        page.wait_for_function("(s) => document.body.innerText.includes(s)", arg=f"S = {new_steps}", timeout=180_000)
        after_steps = _wait_change(lambda: _image_hash(img), before)

        eta = _slider(page, "η")
        eta_readout = eta.locator(".widget-readout")
        assert eta_readout.inner_text().strip() == "0.00"
        eta.locator(".noUi-handle").focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        new_eta = _settled(lambda: eta_readout.inner_text().strip(), "0.00")
        assert float(new_eta) > 0
        page.wait_for_function("(s) => document.body.innerText.includes(s)", arg=f"η = {float(new_eta):.2f}", timeout=180_000)
        _wait_change(lambda: _image_hash(img), after_steps)
        page.screenshot(path=str(RESULTS / "app_after.png"))
        fill = {}
        for w, h in ((1920, 1080), (1280, 800)):  # a projector and a laptop: each picture fills its output area
            page.set_viewport_size({"width": w, "height": h})
            page.wait_for_timeout(500)  # one layout pass
            fill[f"{w}x{h}"] = page.evaluate(_FILL_JS)
            page.screenshot(path=str(RESULTS / f"app_{w}x{h}.png"))
        (RESULTS / "app_fill.json").write_text(json.dumps(fill, indent=1) + "\n")
        browser.close()
    for size, pictures in fill.items():
        assert pictures, f"no explorer picture on the page at {size}"
        narrow = [p for p in pictures if p["picture"] < 0.95 * p["area"]]
        assert not narrow, f"at {size} a picture does not fill its output area: {narrow}"
    (RESULTS / "e2e_wall_time.txt").write_text(f"{time.time() - t0:.1f} s\n")
