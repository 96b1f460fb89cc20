"""The course website and the handouts, built from the built notebooks, with no network.

    python tools/website.py build [--lang ko] [--notebooks DIR]   the website: build/site/ko (default), build/site/en
    python tools/website.py handouts [--lang ko] [ONLY...]         one A4 PDF per lecture and edition: build/handouts/<lang>/
    python tools/website.py check-handouts                         fonts embedded, A4, page 1 of each rendered to PNG

Why Sphinx with myst-nb and sphinx-book-theme (what Jupyter Book 1.x runs), and not Jupyter Book 2 (mystmd):
mystmd fetches its theme from the web at build time and fails offline; Sphinx builds from pip packages alone.
Sphinx loads MathJax from a CDN by default, so the build copies MathJax 3 (npm ``mathjax``, installed under
build/node by ``make site``) into each edition and points ``mathjax_path`` at it (website/conf.py).

The handouts are the website's own pages printed by chromium (A4, the print style sheet hides the navigation),
so they show the same figures and typeset equations; chromium embeds the fonts it uses (NanumGothic for Hangul).
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "website"
BUILD = ROOT / "build"
OUT = BUILD / "site"
STAGE = BUILD / "site-src"
HANDOUTS = BUILD / "handouts"
MATHJAX = Path(os.environ.get("DDIM_MATHJAX", BUILD / "node" / "node_modules" / "mathjax" / "es5"))
LANGS = ("ko", "en")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

_INDEX = {
    "ko": {
        "title": "DDIM 강의",
        "intro": ("*Denoising Diffusion Implicit Models*(Song, Meng & Ermon, ICLR 2021)를 스터디 노트를 따라 한 절씩 "
                  "유도하는 강의입니다. 이 사이트는 실행해 둔 노트북을 그대로 보여 줍니다. 위젯은 저장된 그림으로 "
                  "나오며, 슬라이더를 움직이려면 각 쪽 위의 \"이 강의를 직접 실행하려면\"을 따르세요. "
                  "용어는 [용어집](glossary.md)을 따릅니다."),
        "map": "강의 지도", "lecture": "강의", "what": "배우는 것", "caption": "강의", "more": "참고",
        "readme": ROOT / "README.ko.md",
    },
    "en": {
        "title": "DDIM course",
        "intro": ("A course on *Denoising Diffusion Implicit Models* (Song, Meng & Ermon, ICLR 2021) that follows a "
                  "Korean study note section by section. This site shows the executed notebooks as they are: each "
                  "widget appears as its stored picture; to move the sliders, follow \"To run this lecture live\" at "
                  "the top of each page. Korean terms follow the [glossary](glossary.md)."),
        "map": "Lecture map", "lecture": "lecture", "what": "what it teaches", "caption": "Lectures", "more": "Reference",
        "readme": ROOT / "README.md",
    },
}
_CSS = """
.ddim-bar { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: baseline; margin: 0 0 1rem 0;
  padding: .4rem .8rem; border: 1px solid var(--pst-color-border); border-radius: .3rem; font-size: .95rem; }
.ddim-lang { font-weight: 600; }
.ddim-live summary { cursor: pointer; }
.ddim-live ul { margin: .3rem 0 0 0; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  .ddim-bar, .bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-content,
  .prev-next-area, .header-article, .bd-header-announcement, #pst-back-to-top, .skip-link { display: none !important; }
  .bd-main .bd-content .bd-article-container { max-width: 100% !important; }
  .cell_output img { max-width: 100% !important; page-break-inside: avoid; }
  div.cell { page-break-inside: avoid; }
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }  /* long code lines wrap, not cut off */
}
"""


def lectures(notebooks: Path) -> list[Path]:
    return sorted(p for p in notebooks.glob("*.ipynb") if p.stem[:2].isdigit())


def _title(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if m:
                return m.group(1).strip()
    return nb_path.stem


def lecture_map(lang: str) -> dict[str, str]:
    """The README's lecture table (README.md or README.ko.md): lecture stem -> what it teaches."""
    rows = {}
    for line in _INDEX[lang]["readme"].read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(\d\d_\w+)`\s*\|(.+)\|\s*$", line)
        if m:
            rows[m.group(1)] = m.group(2).strip()
    return rows


def stage(lang: str, notebooks: Path) -> Path:
    """The Sphinx source folder of one edition: its notebooks, the index with the lecture map, the glossary."""
    t = _INDEX[lang]
    src = STAGE / lang
    shutil.rmtree(src, ignore_errors=True)
    (src / "_static").mkdir(parents=True)
    nbs = lectures(notebooks)
    if not nbs:
        raise SystemExit(f"no lecture notebooks in {notebooks}: build them first (make notebooks)")
    for nb in nbs:
        shutil.copyfile(nb, src / nb.name)
    shutil.copyfile(ROOT / "notebooks" / "GLOSSARY.md", src / "glossary.md")
    what = lecture_map(lang)
    lines = [f"# {t['title']}", "", t["intro"], "", f"## {t['map']}", "", f"| {t['lecture']} | {t['what']} |", "|---|---|"]
    for nb in nbs:
        title = _title(nb).replace("|", "\\|")
        lines.append(f"| [{title}]({nb.name}) | {what.get(nb.stem, '')} |")
    lines += ["", "```{toctree}", ":hidden:", ":maxdepth: 1", f":caption: {t['caption']}", ""]
    lines += [nb.stem for nb in nbs]
    lines += ["```", "", "```{toctree}", ":hidden:", f":caption: {t['more']}", "", "glossary", "```", ""]
    (src / "index.md").write_text("\n".join(lines), encoding="utf-8")
    (src / "_static" / "ddim-site.css").write_text(_CSS, encoding="utf-8")
    if not (MATHJAX / "tex-chtml.js").exists():
        raise SystemExit(f"MathJax not found at {MATHJAX}: run `make site` (it installs npm's mathjax@3 into build/node), "
                         "or point DDIM_MATHJAX at a MathJax 3 es5 folder")
    shutil.copytree(MATHJAX, src / "_static" / "mathjax")
    return src


def build(langs=LANGS, notebooks_root: Path = ROOT / "notebooks") -> dict[str, float]:
    seconds = {}
    for lang in langs:
        t0 = time.perf_counter()
        src = stage(lang, notebooks_root / lang)
        out = OUT / lang
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(CONF), "-d", str(BUILD / "site-doctrees" / lang),
               "-E", str(src), str(out)]
        subprocess.run(cmd, check=True, env={**os.environ, "DDIM_SITE_LANG": lang, "DDIM_SITE_STATIC": str(src / "_static")})
        seconds[lang] = time.perf_counter() - t0
        print(f"{out.relative_to(ROOT)}: {seconds[lang]:.0f} s", flush=True)
    # the site's front door: the Korean edition
    (OUT / "index.html").write_text('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=ko/index.html">'
                                    '<title>DDIM</title><a href="ko/index.html">한국어</a> · <a href="en/index.html">English</a>\n',
                                    encoding="utf-8")
    return seconds


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path):
    """A local HTTP server on ``root`` in a thread: (server, base URL)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def wait_typeset(page) -> None:
    """Wait until MathJax has typeset the page (its startup promise resolves after the first typeset)."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000)
    page.evaluate("() => MathJax.startup.promise")


def load_images(page) -> None:
    """Load every image now (lazy ones too) and wait until each has loaded or failed."""
    page.evaluate("""() => Promise.all([...document.images].map(i => {
        i.loading = 'eager';
        return i.complete ? null : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); });
    }))""")


def handouts(langs=LANGS, prefixes=()) -> list[Path]:
    """One A4 PDF per lecture and edition, printed by chromium from the built site (run `build` first)."""
    from playwright.sync_api import sync_playwright

    if not (OUT / "ko" / "index.html").exists():
        raise SystemExit("no website in build/site: run `make site` first")
    server, base = serve(OUT)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            # the print is offline too: any request that is not to the local server fails the handout
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
            for lang in langs:
                for html in sorted((OUT / lang).glob("[0-9][0-9]_*.html")):
                    if prefixes and not any(html.stem.startswith(x) for x in prefixes):
                        continue
                    page.goto(f"{base}/{lang}/{html.name}", wait_until="load")
                    wait_typeset(page)
                    load_images(page)
                    pdf = HANDOUTS / lang / f"{html.stem}.pdf"
                    pdf.parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
                    written.append(pdf)
                    print(f"{pdf.relative_to(ROOT)}: {pdf.stat().st_size / 1e6:.1f} MB", flush=True)
            browser.close()
    finally:
        server.shutdown()
    return written


def pdf_facts(pdf: Path) -> dict:
    """Pages, page size (pt) and fonts (name, embedded) of a PDF, read by poppler's pdfinfo and pdffonts."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M).groups())
    fonts = []
    for line in subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th field from the end
        if len(parts) >= 7:
            fonts.append((parts[0], parts[-5] == "yes"))
    return {"pages": pages, "size_pt": (w, h), "fonts": fonts}


def check_handouts(png_dir: Path = BUILD / "handouts" / "png") -> list[dict]:
    """Each handout: A4, every font embedded, a Hangul font in the Korean ones; its first page rendered to PNG."""
    rows, problems = [], []
    png_dir.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(HANDOUTS.glob("*/*.pdf"))
    if not pdfs:
        raise SystemExit("no handouts in build/handouts: run `make handouts` first")
    for pdf in pdfs:
        facts = pdf_facts(pdf)
        lang = pdf.parent.name
        w, h = facts["size_pt"]
        if abs(w - 595.3) > 1 or abs(h - 841.9) > 1:
            problems.append(f"{pdf.name} ({lang}): page {w:.0f}x{h:.0f} pt, not A4")
        loose = [n for n, emb in facts["fonts"] if not emb]
        if loose:
            problems.append(f"{pdf.name} ({lang}): fonts not embedded: {loose}")
        if lang == "ko" and not any("nanum" in n.lower() for n, _ in facts["fonts"]):
            problems.append(f"{pdf.name} (ko): no Hangul font (NanumGothic) among {[n for n, _ in facts['fonts']]}")
        stem = png_dir / f"{lang}_{pdf.stem}"
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True)
        rows.append({"lang": lang, "lecture": pdf.stem, "pages": facts["pages"], "mb": pdf.stat().st_size / 1e6,
                     "fonts": sorted({n.split("+")[-1] for n, _ in facts["fonts"]}), "png": str(stem) + ".png"})
    for r in rows:
        print(f"{r['lang']} {r['lecture']:28s} {r['pages']:3d} pages {r['mb']:5.1f} MB  {', '.join(r['fonts'])}")
    if problems:
        raise SystemExit("handout check failed:\n  " + "\n  ".join(problems))
    print(f"{len(rows)} handouts: A4, all fonts embedded; first pages in {png_dir.relative_to(ROOT)}")
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python tools/website.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="the website, both editions")
    b.add_argument("--lang", choices=LANGS, action="append")
    b.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="folder holding ko/ and en/")
    h = sub.add_parser("handouts", help="one A4 PDF per lecture and edition")
    h.add_argument("--lang", choices=LANGS, action="append")
    h.add_argument("prefixes", nargs="*")
    sub.add_parser("check-handouts", help="A4, fonts embedded, first pages to PNG")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        build(tuple(args.lang or LANGS), args.notebooks)
    elif args.cmd == "handouts":
        handouts(tuple(args.lang or LANGS), args.prefixes)
    else:
        check_handouts()


if __name__ == "__main__":
    main(sys.argv[1:])
