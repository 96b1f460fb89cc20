"""Present one lecture: `make present LECTURE=04 [EDITION=ko]`.

    python tools/present.py 04 --edition ko [--port 8888] [--no-open] [--no-run] [--dir SCRATCH]

1. copies the built lecture (notebooks/<edition>/<NN>_*.ipynb) and the slides' style sheet into a scratch
   folder, so that nothing done during the lecture touches the shipped file;
2. starts JupyterLab there with the course's settings (lab/overrides.json installed by `make lab-settings`;
   lab/user-settings as the settings folder: autosave off, ← and → left to the slideshow);
3. runs all cells in a headless Chromium (Playwright, /usr/bin/chromium) and saves the scratch copy, so that
   its widgets are live in the kernel the slideshow joins;
4. prints the lab's and the slideshow's addresses and opens the slideshow in the default browser.

Without Chromium it stops after step 2 and says what to do by hand. Ctrl+C stops the server.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def find_lecture(lecture: str, edition: str) -> Path:
    if edition not in ("ko", "en"):
        raise SystemExit(f"EDITION must be ko or en, got {edition!r}")
    if not lecture:
        raise SystemExit("say which lecture: make present LECTURE=04 (two digits, as in notebooks/ko/04_*.ipynb)")
    lecture = lecture.zfill(2) if lecture.isdigit() else lecture
    found = sorted((ROOT / "notebooks" / edition).glob(f"{lecture}*.ipynb"))
    if len(found) != 1:
        names = ", ".join(p.stem[:2] for p in sorted((ROOT / "notebooks" / edition).glob("[0-9][0-9]_*.ipynb")))
        raise SystemExit(f"LECTURE={lecture!r} matches {len(found)} notebooks in notebooks/{edition}; use one of {names}")
    return found[0]


def prepare(source: Path, edition: str, scratch: Path) -> Path:
    """The scratch folder: <scratch>/<edition>/<lecture>.ipynb, rise.css and <lecture>.css beside it, the course's user settings."""
    (scratch / edition).mkdir(parents=True, exist_ok=True)
    target = scratch / edition / source.name
    shutil.copyfile(source, target)
    for css in (source.parent / "rise.css", source.with_suffix(".css")):  # the course's and the lecture's own
        if css.exists():
            shutil.copyfile(css, scratch / edition / css.name)
    settings = scratch / "user-settings"
    if settings.exists():
        shutil.rmtree(settings)
    shutil.copytree(ROOT / "lab" / "user-settings", settings)
    return target


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("no free port")


def start_lab(scratch: Path, port: int, token: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(scratch / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"), "PYTHONUNBUFFERED": "1"}
    env.pop("CI", None)  # the lecture's full loops, not the shortened ones of the tests
    proc = subprocess.Popen([str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={scratch}",
                             "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={scratch / 'user-settings'}",
                             # trust lasts one session: a notebook saved today reopens tomorrow untrusted, so its
                             # explorers show their stored picture and "run this cell", not dead controls
                             "--NotebookNotary.db_file=:memory:",
                             f"--LabApp.workspaces_dir={scratch / 'workspaces'}"]
                            + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
                            cwd=scratch, stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"JupyterLab exited; see {log}")
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"JupyterLab did not listen on port {port} within 300 s; see {log}")


def run_all(base: str, token: str, rel: str, timeout_s: float = 1800) -> float:
    """Open the scratch notebook in a headless Chromium, Run All, wait for the kernel, save. Returns seconds."""
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/lab?token={token}", timeout=300_000)
        page.wait_for_function("() => !!window.jupyterapp", timeout=300_000)
        page.evaluate("() => window.jupyterapp.restored")
        page.evaluate("""async (path) => { const app = window.jupyterapp;
            const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
            await w.context.ready; await w.sessionContext.ready; }""", rel)
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget; const k = w && w.sessionContext.session
                                          && w.sessionContext.session.kernel; return k && k.status === 'idle'; }""",
                               timeout=300_000, polling=250)
        page.evaluate("async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return w.sessionContext.session.kernel.status === 'idle'
              && w.content.widgets.every(c => c.model.type !== 'code' || (c.model.executionCount !== null
                                               && !c.node.querySelector('.jp-InputPrompt').innerText.includes('*'))); }""",
                               timeout=timeout_s * 1000, polling=500)
        errors = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code')
            .flatMap(c => c.model.toJSON().outputs).filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)""")
        # the slideshow tab reads the notebook from disk and joins this kernel: the saved outputs (with the
        # widgets' state) are what it shows, live
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.context.save(); }")
        browser.close()
    if errors:
        print(f"warning: Run All gave {len(errors)} error output(s): {errors[:3]}", file=sys.stderr)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="make present", description=__doc__.split("\n")[0])
    ap.add_argument("lecture", help="two digits, e.g. 04")
    ap.add_argument("--edition", default="ko", help="ko (default) or en")
    ap.add_argument("--port", type=int, default=8888)
    ap.add_argument("--dir", help="scratch folder (default: a new temporary one)")
    ap.add_argument("--no-run", action="store_true", help="do not run the cells (run them in the lab yourself)")
    ap.add_argument("--no-open", action="store_true", help="print the addresses, open no browser")
    ap.add_argument("--exit", action="store_true", help="stop the server once ready (for tests)")
    args = ap.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))  # stop the server too
    source = find_lecture(args.lecture, args.edition)
    scratch = Path(args.dir).resolve() if args.dir else Path(tempfile.mkdtemp(prefix="ddim-present-"))
    target = prepare(source, args.edition, scratch)
    rel = f"{args.edition}/{target.name}"
    port, token = free_port(args.port), secrets.token_hex(16)
    log = scratch / "jupyterlab.log"
    print(f"scratch copy: {target}  (the shipped {source.relative_to(ROOT)} is not touched)", flush=True)
    proc = start_lab(scratch, port, token, log)
    base = f"http://127.0.0.1:{port}"
    lab_url, rise_url = f"{base}/lab/tree/{rel}?token={token}", f"{base}/rise/{rel}?token={token}"
    status = {"scratch": str(scratch), "notebook": str(target), "lab": lab_url, "slideshow": rise_url, "ran": False}
    try:
        if not args.no_run:
            if Path(CHROMIUM).exists():
                print(f"running all cells of {target.name} (lecture 10 takes about 1 min on a quiet machine) ...", flush=True)
                status["run_all_seconds"] = round(run_all(base, token, rel), 1)
                status["ran"] = True
                print(f"ran all cells in {status['run_all_seconds']} s; saved the scratch copy", flush=True)
            else:
                print(f"{CHROMIUM} not found: open the lab address below and use Run ▸ Run All Cells "
                      "(실행 ▸ 모든 셀 실행) before starting the slideshow", flush=True)
        print(f"\nJupyterLab:  {lab_url}\nSlideshow:   {rise_url}\n(Ctrl+C stops the server; the log is {log})", flush=True)
        (scratch / "present.json").write_text(json.dumps(status, indent=1) + "\n")
        if args.exit:
            return 0
        if not args.no_open:
            webbrowser.open_new_tab(rise_url)
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
