"""Sphinx configuration of the course website (``make site``; tools/website.py stages the sources and runs Sphinx).

One Sphinx build per edition: build/site/ko (the default) and build/site/en, each with its own search index,
so that the Korean search indexes Korean words. Everything the pages load is in the build: the theme's files
come with the pip packages, and MathJax 3 (npm ``mathjax``, installed by ``make site``) is copied into each
edition's _static, because Sphinx loads MathJax from a CDN by default and a page opened offline would show raw
TeX. The notebooks are not executed: their stored outputs are shown, and each widget's stored PNG stands in for
the widget (the widget view needs a kernel).
"""
from __future__ import annotations

import os
import posixpath

LANG = os.environ.get("DDIM_SITE_LANG", "ko")
OTHER = {"ko": "en", "en": "ko"}[LANG]

project = "DDIM 강의" if LANG == "ko" else "DDIM course"
author = "ddim-teach"
language = LANG
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
master_doc = "index"

# the notebooks keep their executed outputs; the site shows them as they are
nb_execution_mode = "off"
# a widget's view needs a running kernel (and the widget manager's JavaScript from a CDN): show the PNG that
# every explorer stores beside its view instead
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath", "html_image"]
myst_dmath_double_inline = True
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "misc.highlighting_failure"]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = [os.environ.get("DDIM_SITE_STATIC", "_static")]  # tools/website.py: the staged _static
html_css_files = ["ddim-site.css"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "use_download_button": True,
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
# MathJax from the build, not from the web (copied into _static by tools/website.py)
mathjax_path = "mathjax/tex-chtml.js"

# ---- the bar on every page: the language switch and how to run the lecture live ---------------------------
_TEXT = {
    "ko": {
        "switch": "English",
        "live": "이 강의를 직접 실행하려면",
        "local": "내 컴퓨터에서: <code>make lab</code> (처음에 설치까지 합니다) 후 JupyterLab에서 <code>{nb}</code>을 엽니다.",
        "hub": "수업 서버에서: 강사가 알려 준 주소로 로그인하면 학생판 강의가 열립니다 (<code>deploy/README.md</code>).",
    },
    "en": {
        "switch": "한국어",
        "live": "To run this lecture live",
        "local": "On your computer: <code>make lab</code> (it installs on first use), then open <code>{nb}</code> in JupyterLab.",
        "hub": "On the class server: log in at the address your lecturer gives; the student edition opens (<code>deploy/README.md</code>).",
    },
}


def _bar(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    depth = pagename.count("/")
    # this page in the other edition: build/site/<lang>/<page>.html -> build/site/<other>/<page>.html
    other = posixpath.join(*([".."] * (depth + 1)), OTHER, pagename + ".html")
    t = _TEXT[LANG]
    html = [f'<div class="ddim-bar"><a class="ddim-lang" hreflang="{OTHER}" lang="{OTHER}" href="{other}">'
            f'{t["switch"]}</a>']
    if pagename[:2].isdigit():  # a lecture
        nb = f"notebooks/{LANG}/{pagename}.ipynb"
        html.append(f'<details class="ddim-live"><summary>{t["live"]}</summary><ul><li>{t["local"].format(nb=nb)}</li>'
                    f'<li>{t["hub"]}</li></ul></details>')
    html.append("</div>")
    context["body"] = "".join(html) + context["body"]


def setup(app):
    app.connect("html-page-context", _bar)
