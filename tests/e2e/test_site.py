"""The course website (`make site`, tools/website.py) read offline in Debian's chromium: every lecture page of both
editions from a local server with every other request refused. Each page loads with no failed request, its
math is typeset (no raw TeX left in the text), its Hangul is drawn with a Hangul font, and its images load;
the navigation, the language switch and the Korean search work. Screenshots in test-results/site_*.png."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT, need_chromium

_spec = importlib.util.spec_from_file_location("ddim_website", ROOT / "tools" / "website.py")
ddim_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ddim_site)

OUT = ddim_site.OUT
LECTURES = [p.stem for p in ddim_site.lectures(ROOT / "notebooks" / "ko")]
HANGUL_FONT = re.compile(r"nanum|cjk|gothic|myeongjo|malgun|batang|gulim|dotum|un ?dotum", re.I)
# text of the article with code, typeset math and scripts taken out: what is left must hold no TeX delimiters
PROSE_JS = """() => {
  const a = document.querySelector('article') || document.body;
  const c = a.cloneNode(true);
  c.querySelectorAll('pre, code, mjx-container, script, style, .MathJax, .cell_output .output.text_plain').forEach(e => e.remove());
  return c.textContent;
}"""


@pytest.fixture(scope="module")
def site(results):
    """The built site (built here when build/site is missing or older than the notebooks), served on localhost."""
    need_chromium()
    newest_nb = max(p.stat().st_mtime for p in (ROOT / "notebooks").glob("*/*.ipynb"))
    index = OUT / "ko" / "index.html"
    if not index.exists() or index.stat().st_mtime < newest_nb:
        subprocess.run([sys.executable, str(ROOT / "tools" / "website.py"), "build"], check=True, cwd=ROOT)
    server, base = ddim_site.serve(OUT)
    yield base
    server.shutdown()


@pytest.fixture()
def page(browser, site):
    """A page that may reach only the local server: every other request is refused and recorded, as is every
    request that fails or answers with an error status."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    bad: list[str] = []

    def route(r):
        if r.request.url.startswith(site) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            bad.append(f"outside: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("requestfailed", lambda req: bad.append(f"failed: {req.url} ({req.failure})"))
    p.on("response", lambda res: res.status >= 400 and bad.append(f"HTTP {res.status}: {res.url}"))
    p.bad = bad
    p.base = site
    yield p
    context.close()


def _hangul_fonts(page, selector: str) -> list[dict]:
    """The platform fonts chromium used to draw the text of the first node matching ``selector`` (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no node {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_lecture_page_offline(page, lang, results):
    assert len(LECTURES) >= 10, LECTURES
    report = {}
    for stem in LECTURES:
        page.bad.clear()
        page.goto(f"{page.base}/{lang}/{stem}.html", wait_until="load")
        ddim_site.wait_typeset(page)
        ddim_site.load_images(page)
        assert page.bad == [], f"{lang}/{stem}: {page.bad}"
        prose = page.evaluate(PROSE_JS)
        raw = re.findall(r".{0,30}(?:\$|\\\(|\\\[|\\begin\{).{0,30}", prose)
        assert not raw, f"{lang}/{stem}: raw TeX left in the text: {raw[:3]}"
        n_math = page.locator("mjx-container").count()
        images = page.evaluate("() => [...document.querySelectorAll('article img')].map(i => [i.src, i.complete && i.naturalWidth > 0])")
        broken = [src for src, ok in images if not ok]
        assert not broken, f"{lang}/{stem}: images that did not load: {broken}"
        # every stored picture of the notebook is on the page (widgets' PNGs included)
        nb = json.loads((ROOT / "notebooks" / lang / f"{stem}.ipynb").read_text(encoding="utf-8"))
        n_png = sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        n_widgets = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                        for c in nb["cells"] for o in c.get("outputs", []))
        n_out_img = page.locator("article .cell_output img").count()
        assert n_out_img == n_png, f"{lang}/{stem}: {n_png} stored PNGs, {n_out_img} shown"
        assert page.locator(".ddim-lang").count() == 1, f"{lang}/{stem}: no language switch"
        assert page.locator(".ddim-live").count() == 1, f"{lang}/{stem}: no 'run it live' note"
        report[stem] = {"math": n_math, "images": len(images), "widget_pictures": n_widgets}
    assert sum(r["math"] for r in report.values()) > 100, report  # the lectures are full of equations
    page.goto(f"{page.base}/{lang}/04_ddpm_vs_ddim.html")
    ddim_site.wait_typeset(page)
    page.screenshot(path=str(results / f"site_{lang}_04.png"))
    (results / f"site_{lang}.json").write_text(json.dumps(report, indent=1))


def test_hangul_drawn_with_a_hangul_font(page):
    page.goto(f"{page.base}/ko/04_ddpm_vs_ddim.html")
    heading = page.locator("article h1").first.inner_text()
    assert re.search(r"[\uac00-\ud7a3]", heading), heading
    fonts = _hangul_fonts(page, "article h1")
    assert any(HANGUL_FONT.search(f["familyName"]) and f["glyphCount"] > 0 for f in fonts), fonts


def test_navigation_and_language_switch(page):
    page.goto(f"{page.base}/index.html")
    page.wait_for_url(re.compile(r"/ko/index\.html$"))
    # the lecture map is the navigation: the sidebar lists every lecture and the glossary
    nav = page.locator("nav.bd-docs-nav a.reference")
    hrefs = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
    assert [h for h in hrefs if h[:2].isdigit()] == [f"{s}.html" for s in LECTURES], hrefs
    assert "glossary.html" in hrefs
    page.locator("nav.bd-docs-nav a.reference", has_text=re.compile("^04")).first.click()
    page.wait_for_url(re.compile(r"/ko/04_ddpm_vs_ddim\.html$"))
    page.locator("a.right-next").click()  # "next" goes to lecture 05
    page.wait_for_url(re.compile(r"/ko/05_skipping_steps\.html$"))
    page.locator(".ddim-lang").click()
    page.wait_for_url(re.compile(r"/en/05_skipping_steps\.html$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert not re.search(r"[\uac00-\ud7a3]", page.locator("article h1").first.inner_text())
    page.locator(".ddim-lang").click()
    page.wait_for_url(re.compile(r"/ko/05_skipping_steps\.html$"))
    assert page.bad == [], page.bad


@pytest.mark.parametrize("term", ["정답지", "텔레스코핑"])
def test_korean_search_finds_a_glossary_term(page, term, results):
    glossary = (ROOT / "notebooks" / "GLOSSARY.md").read_text(encoding="utf-8")
    assert f"| {term} |" in glossary  # a term of the glossary's table
    page.goto(f"{page.base}/ko/search.html")
    box = page.locator("form.bd-search input[name=q]:visible").first  # the search page's own field
    box.fill(term)
    box.press("Enter")
    # sphinx adds the hits one at a time (5 ms apart) and stops its "searching" pulse only after the last one;
    # reading the list before that races the search (the glossary, ranked last on a tie, was missed once in CI)
    page.wait_for_function(
        "() => document.querySelector('#search-results ul.search li') !== null && Search._pulse_status === -1",
        timeout=30_000,
    )
    links = page.locator("#search-results ul.search li a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any(h.split("?")[0].endswith("glossary.html") for h in hrefs), hrefs
    page.screenshot(path=str(results / f"site_search_{term}.png"))
    assert page.bad == [], page.bad
