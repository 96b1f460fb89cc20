"""Shared pieces of the browser tests: Debian's chromium, a JupyterLab server on a scratch copy of the
notebooks, the course's lab settings, and waits on conditions (never bare sleeps) sized for 2 slow cores."""
from __future__ import annotations

import contextlib
import json
import os
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
BIN = Path(sys.executable).parent
MATHJAX3 = "@jupyterlab/mathjax3-extension"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"{proc.args[0]} exited early; see {log}")
            time.sleep(0.2)
    pytest.fail(f"nothing listens on port {port} after {timeout} s; see {log}")


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium); "
                    "the browser tests do not pass without a browser")


def install_lab_settings() -> None:
    """What `make lab-settings` does (see lab/README.md), so that `pytest tests/e2e` alone tests the same lab."""
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "ddim-teach.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "lab" / "overrides.json", target)
    page_config = Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"
    disabled = json.loads(page_config.read_text()).get("disabledExtensions", {}) if page_config.exists() else {}
    if not disabled.get(MATHJAX3):
        subprocess.run([str(BIN / "jupyter"), "labextension", "disable", "--level=sys_prefix", MATHJAX3],
                       check=True, capture_output=True)


@pytest.fixture(scope="session")
def results() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS


@contextlib.contextmanager
def jupyterlab(work: Path, root: Path, log_path: Path, timeout: float = 120.0):
    """JupyterLab serving ``root`` with the course's user settings (copied into ``work``), CI=1 kernels, no token
    and the command registry exposed to tests; yields its URL and stops it afterwards."""
    if not (work / "user-settings").exists():
        shutil.copytree(ROOT / "lab" / "user-settings", work / "user-settings")  # the course's (lab/README.md)
    port = free_port()
    log = open(log_path, "w")
    env = {**os.environ, "CI": "1", "PYTHONUNBUFFERED": "1", "JUPYTERLAB_SETTINGS_DIR": str(work / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces")}
    proc = subprocess.Popen([str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
                             "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root}",
                             f"--LabApp.user_settings_dir={work / 'user-settings'}",
                             f"--LabApp.workspaces_dir={work / 'workspaces'}"],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_port(port, proc, log_path, timeout=timeout)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, results):
    """JupyterLab on a scratch folder holding copies of the Korean lecture 04 (saving never touches the
    repository). Kernels get CI=1, so lectures shrink their long loops as they do under nbval."""
    need_chromium()
    install_lab_settings()
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    (root / "ko").mkdir(parents=True)
    # DDIM_E2E_NOTEBOOK: another build of lecture 04 (ko) to test, e.g. a fresh one while the committed one is stale
    source = Path(os.environ.get("DDIM_E2E_NOTEBOOK", ROOT / "notebooks" / "ko" / "04_ddpm_vs_ddim.ipynb"))
    shutil.copyfile(source, root / "ko" / "04_ddpm_vs_ddim.ipynb")
    shutil.copyfile(ROOT / "notebooks" / "ko" / "rise.css", root / "ko" / "rise.css")  # the slides' style sheet
    shutil.copyfile(ROOT / "notebooks" / "ko" / "04_ddpm_vs_ddim.css", root / "ko" / "04_ddpm_vs_ddim.css")  # and 04's own
    with jupyterlab(work, root, results / "jupyterlab.log") as url:
        yield {"url": url, "root": root}


@pytest.fixture(scope="module")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def lab_js(page, body: str, arg=None, timeout_s: float = 300):
    """Run an async JS body in a JupyterLab page with `app` (the application), `nb` (the current notebook panel)
    and `arg`; a body that takes longer than ``timeout_s`` fails with "timed out"."""
    return page.evaluate(
        """async ([body, arg, ms]) => {
             const app = window.jupyterapp, nb = app.shell.currentWidget;
             const f = new Function('app', 'nb', 'arg', 'return (async () => {' + body + '})()');
             return await Promise.race([f(app, nb, arg),
               new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after ' + ms + ' ms')), ms))]);
           }""", [body, arg, int(timeout_s * 1000)])


@contextlib.contextmanager
def scratch_lab(tmp_path_factory, browser, results: Path, notebook: str, tag: str):
    """JupyterLab on a scratch folder holding a copy of one built notebook (``notebook``, e.g. "ko/02_telescoping.ipynb"),
    with the course's settings and CI=1 kernels, and a 1920×1080 page on it: yields {"page", "errors"}."""
    need_chromium()
    install_lab_settings()
    work = tmp_path_factory.mktemp(f"lab{tag}")
    root = work / "notebooks"
    (root / Path(notebook).parent).mkdir(parents=True)
    shutil.copyfile(ROOT / "notebooks" / notebook, root / notebook)
    with jupyterlab(work, root, results / f"jupyterlab_{tag}.log") as url:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        try:
            page.goto(f"{url}/lab", timeout=180_000)
            page.wait_for_function("() => !!window.jupyterapp", timeout=180_000, polling=200)
            page.evaluate("() => window.jupyterapp.restored")
            yield {"page": page, "errors": errors}
        finally:
            page.close()
