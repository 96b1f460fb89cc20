"""The two editions of the course: built from one source, sharing their code and checked outputs.

Every lecture source in notebooks/src gives notebooks/ko/NAME.ipynb and notebooks/en/NAME.ipynb (the app
page: app/ko, app/en). These tests read the committed, executed editions; they fail when an edition is
missing, stale (its cells no longer match its source), differs in code or in checked output from the
other edition, is not Korean enough, or stored a missing-glyph warning.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools import notebooks as nbk

SOURCES = sorted(nbk.SOURCES.glob("*.py"))
LECTURES = [s for s in SOURCES if s.stem != nbk.APP_SOURCE]
GLOSSARY = nbk.ROOT / "notebooks" / "GLOSSARY.md"
CHECK = "# NBVAL_CHECK_OUTPUT"


def _read(source: Path, lang: str):
    path = nbk.edition_path(source, lang)
    if not path.exists():
        pytest.fail(f"{path.relative_to(nbk.ROOT)} is missing: run `make notebooks ONLY={source.stem[:2]}`")
    return nbformat.read(path, as_version=4)


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(out["data"]["text/plain"])
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts)


def test_every_lecture_has_a_source():
    assert len(LECTURES) >= 10, [s.name for s in SOURCES]
    assert any(s.stem == nbk.APP_SOURCE for s in SOURCES), "the app page has no source"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_editions_are_built_from_their_source(source):
    """The committed editions hold exactly the cells the source gives (outputs aside): none is stale."""
    for lang in ("ko", "en"):
        built = nbk.build_edition(source, lang)
        stored = _read(source, lang)
        assert [(c.cell_type, c.source) for c in stored.cells] == [(c.cell_type, c.source) for c in built.cells], (
            f"{nbk.edition_path(source, lang).relative_to(nbk.ROOT)} is stale: run `make notebooks ONLY={source.stem[:2]}`")
        assert stored.metadata.get("rise") == built.metadata.get("rise"), "the slideshow settings are stale"


def test_slides_style_sheet_is_the_source_in_both_editions():
    """jupyterlab-rise reads rise.css from the notebook's folder; both editions carry the one source."""
    source = (nbk.SOURCES / "rise.css").read_text()
    for lang in ("ko", "en"):
        css = nbk.edition_rise_css(lang)
        assert css.exists() and css.read_text() == source, f"{css.relative_to(nbk.ROOT)} is stale: run `make notebooks`"
    assert re.search(r"--jp-content-font-size1:\s*(\d+)px", source) and \
        int(re.search(r"--jp-content-font-size1:\s*(\d+)px", source).group(1)) >= 18


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_editions_share_code_and_checked_outputs(source):
    ko, en = _read(source, "ko"), _read(source, "en")
    code_ko = [c.source for c in ko.cells if c.cell_type == "code"]
    code_en = [c.source for c in en.cells if c.cell_type == "code"]
    assert len(code_ko) == len(code_en) > 0
    # identical once the one language line is put back: the only difference is dt.set_language("ko"/"en")
    assert sum(c.count('dt.set_language("ko")') for c in code_ko) == 1
    assert [c.replace('dt.set_language("ko")', 'dt.set_language("en")') for c in code_ko] == code_en
    checked = [(x, y) for x, y in zip((c for c in ko.cells if c.cell_type == "code"),
                                      (c for c in en.cells if c.cell_type == "code")) if CHECK in x.source]
    for x, y in checked:
        assert _outputs_text(x) == _outputs_text(y), f"checked output differs between editions:\n{x.source[:200]}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_stored_outputs_are_clean(source):
    """No error output and no missing-glyph warning (Hangul drawn as boxes) in either edition."""
    for lang in ("ko", "en"):
        nb = _read(source, lang)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert any(c.get("outputs") for c in code), f"{lang} edition of {source.stem} has no stored output"
        for cell in code:
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error", f"{source.stem} ({lang}): {out.get('ename')}: {out.get('evalue')}"
            text = _outputs_text(cell)
            assert "missing from font" not in text and "does not have a glyph" not in text, (
                f"{source.stem} ({lang}): a missing glyph in the stored output")


@pytest.mark.parametrize("source", LECTURES, ids=lambda s: s.stem)
def test_korean_edition_is_korean(source):
    share = nbk.hangul_share(_read(source, "ko"))
    assert share >= 0.55, f"{source.stem}: Hangul is {share:.2f} of the prose letters (target 0.55)"
    assert nbk.hangul_share(_read(source, "en")) < 0.05, "the English edition holds Korean prose"


@pytest.mark.parametrize("source", LECTURES, ids=lambda s: s.stem)
def test_english_edition_is_a_lecture(source):
    """800–2,500 words of prose (00 and 09 may be shorter), goals, a summary and a link onward."""
    nb = _read(source, "en")
    words = nbk.english_words(nb)
    low = 300 if source.stem[:2] in ("00", "09") else 800
    assert low <= words <= 2500, f"{source.stem}: {words} words of prose"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    assert "goals" in text and "summary" in text, f"{source.stem}: no learning goals or no summary"


def _glossary_rows():
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 4 and re.fullmatch(r"\d\d", cols[3]):
            rows.append(cols)
    return rows


def test_glossary_has_forty_terms_each_used_in_its_first_lecture():
    rows = _glossary_rows()
    assert len(rows) >= 40, f"the glossary has {len(rows)} terms"
    assert len({r[0] for r in rows}) == len(rows), "a Korean term appears twice"
    by_number = {s.stem[:2]: s for s in LECTURES}
    missing = []
    for ko, en, _symbol, first in rows:
        assert first in by_number, f"{ko}: lecture {first} does not exist"
        prose = nbk.prose_text(_read(by_number[first], "ko"))
        if ko not in prose:
            missing.append(f"{ko} ({en}) in {first}")
    assert not missing, "glossary terms not used in their first lecture: " + "; ".join(missing)


# ---- the build itself, on small sources ----------------------------------------------------------------
HEADER = "# %% [markdown] lang=\"en\"\n# # Title $x_t$\n\n# %% [markdown] lang=\"ko\"\n# # 제목 $x_t$\n\n"


def _source(tmp_path, body: str) -> Path:
    path = tmp_path / "99_demo.py"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_build_keeps_one_language_and_sets_the_line(tmp_path):
    src = _source(tmp_path, '# %%\nimport ddim_teach as dt\ndt.set_language("en")\nx = 1\n')
    ko, en = nbk.build_edition(src, "ko"), nbk.build_edition(src, "en")
    assert [c.source for c in ko.cells] == ["# 제목 $x_t$", 'import ddim_teach as dt\ndt.set_language("ko")\nx = 1']
    assert [c.source for c in en.cells] == ["# Title $x_t$", 'import ddim_teach as dt\ndt.set_language("en")\nx = 1']
    assert all("lang" not in c.metadata for c in ko.cells)


@pytest.mark.parametrize("body, message", [
    ("# %%\nx = 1\n", "exactly one code line"),
    ('# %%\ndt.set_language("en")\ndt.set_language("en")\n', "exactly one code line"),
    ('# %% lang="ko"\ndt.set_language("en")\n', "take no lang"),
    ('# %% [markdown] lang="fr"\n# salut\n\n# %%\ndt.set_language("en")\n', "lang='fr'"),
])
def test_build_rejects_malformed_sources(tmp_path, body, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        nbk.build_edition(_source(tmp_path, body), "ko")


def test_prose_measures_ignore_math_code_and_links():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "사후분포(posterior) $\\tilde\\mu_t = abc$ `code x` [link](https://example.org/abc)\n$$\\sum_t x_t$$ <b>굵게</b>")])
    text = nbk.prose_text(nb)
    assert "tilde" not in text and "code" not in text and "example" not in text and "sum" not in text
    # Hangul: 사후분포 굵게 link -> 6 syllables; Latin: posterior + link = 13 letters
    assert nbk.hangul_share(nb) == pytest.approx(6 / 19)
    assert nbk.english_words(nb) == 4  # 사후분포, posterior, link, 굵게


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_editions_open_clean_in_jupyterlab(source):
    """JupyterLab rewrites a kernelspec that differs from the kernel's, and the widget manager marks a
    notebook modified when it restores stored widget state: either makes an untouched lecture open as
    modified. Explorers show their stored PNG instead (saveState keeps live widgets after a save)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    for lang in ("ko", "en"):
        nb = _read(source, lang)
        assert nb.metadata.get("kernelspec", {}).get("display_name") == spec.display_name
        assert "widgets" not in nb.metadata, "stored widget state makes the notebook open as modified"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_no_vertical_subslides(source):
    """jupyterlab-rise passes no navigationMode to reveal.js, so → and ← move between horizontal slides only and
    skip every vertical subslide (issue 23: in 04, 4 of 15 positions). The lectures therefore use slides and
    fragments only; tests/e2e/test_present.py drives every lecture with → to its last position."""
    text = source.read_text(encoding="utf-8")
    assert '"slide_type": "subslide"' not in text, f"{source.name}: use \"slide\" (→ skips subslides on RISE)"
    for lang in ("ko", "en"):
        stored = _read(source, lang)
        kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in stored.cells]
        assert "subslide" not in kinds, f"{nbk.edition_path(source, lang).relative_to(nbk.ROOT)} has a subslide"


@pytest.mark.parametrize("source", [s for s in SOURCES if s.stem != nbk.APP_SOURCE], ids=lambda s: s.stem)
def test_each_lecture_has_its_own_style_sheet(source):
    """jupyterlab-rise asks for <lecture>.css beside the notebook on every slideshow load (a 404 and a console
    error when it is missing): each edition carries the one the build writes."""
    for lang in ("ko", "en"):
        css = nbk.edition_path(source, lang).with_suffix(".css")
        assert css.exists(), f"{css.relative_to(nbk.ROOT)} is missing: run `make notebooks ONLY={source.stem[:2]}`"
        assert css.read_text(encoding="utf-8") == nbk.lecture_css(source)
