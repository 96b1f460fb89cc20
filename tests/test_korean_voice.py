"""One Korean voice: the register of every Korean edition, and one term per concept.

Register: the Korean prose of every lecture and of the app page is written in 합니다체. A sentence ending
is counted where a Hangul word ends before '.', '?', '!', ';' or the end of a line. It is polite when the
word ends in -니다, -시다, -요 or -세요, and plain (해라체) when it ends in -다, -라 or a bare question
(-까?, -가?, -나?). Display and inline math, code, block quotes and quoted text (the study note's own words)
are left out. At least 95% of the counted endings of each edition must be polite.

Terms: notebooks/GLOSSARY.md's table "쓰지 않는 변형" lists, for each concept, the variants that must not
appear. They are searched in the Korean prose of every edition and in every Korean text the package shows
(figure labels, widget labels, checker messages: ``ddim_teach.i18n.STRINGS``).

These tests read the sources (notebooks/src), so they need no executed notebook.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import notebooks as nbk

SOURCES = sorted(nbk.SOURCES.glob("*.py"))
GLOSSARY = nbk.ROOT / "notebooks" / "GLOSSARY.md"

_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|「[^」\n]*」')
_BLOCKQUOTE = re.compile(r"^>.*$", re.M)
# a word that ends a sentence: before . ? ! ; or the end of a line, also across a parenthesis ("…한다(Eq. 7).")
_PAREN = r"(?:\([^()\n]*\))?"
_ENDING = re.compile(r"([\uac00-\ud7a3]+)(?=" + _PAREN + r"(?:[.?!;]|\s*$))", re.M)
_SKIP_PAREN = re.compile(_PAREN)
_POLITE = ("니다", "시다", "요", "세요")


def _ko_prose(source: Path) -> str:
    text = nbk.prose_text(nbk.build_edition(source, "ko"))
    text = _BLOCKQUOTE.sub(" ", text)
    return _QUOTED.sub(" ", text)


def classify_endings(text: str) -> tuple[list[str], list[str]]:
    """(polite, plain) sentence-final words of Korean prose, as defined in the module docstring."""
    polite, plain = [], []
    for m in _ENDING.finditer(text):
        word = m.group(1)
        rest = m.end() + _SKIP_PAREN.match(text, m.end()).end() - m.end()
        after = text[rest:rest + 1]
        if word.endswith(_POLITE):
            polite.append(word)
        elif word.endswith("마다") or (word.endswith(("따라", "아니라")) and after != "."):
            continue  # "every …" and a clause that goes on in the next line, not sentence endings
        elif word.endswith(("다", "라")) or (after == "?" and word.endswith(("까", "가", "나"))):
            plain.append(word)
    return polite, plain


def test_classifier_on_known_sentences():
    polite, plain = classify_endings("이것은 분포족입니다. 그럴까요? 해 봅시다.\n이것은 체인이다. 그럴까? 보여라.\n"
                                     "식을 계산한다(Eq. 9). 식을 계산합니다(Eq. 9).")
    assert polite == ["분포족입니다", "그럴까요", "봅시다", "계산합니다"]
    assert plain == ["체인이다", "그럴까", "보여라", "계산한다"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_korean_prose_is_in_hamnida_style(source):
    polite, plain = classify_endings(_ko_prose(source))
    total = len(polite) + len(plain)
    assert total >= 10, f"{source.stem}: only {total} sentence endings found"
    share = len(polite) / total
    assert share >= 0.95, (f"{source.stem}: {share:.0%} of {total} sentence endings in 합니다체; "
                           f"plain endings: {', '.join(plain[:12])}")


def forbidden_variants() -> dict[str, list[str]]:
    """{term: [variants]} from the glossary's table of variants that must not appear."""
    text = GLOSSARY.read_text(encoding="utf-8")
    table = text.split("## 쓰지 않는 변형", 1)
    assert len(table) == 2, "GLOSSARY.md has no table of forbidden variants"
    rows = {}
    for line in table[1].splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 2 and cols[0] and not set(cols[0]) <= set("-") and cols[0] != "용어 (term)":
            rows[cols[0]] = [v.strip() for v in cols[1].split(",") if v.strip()]
    return rows


def test_glossary_lists_the_variants_of_the_issue():
    rows = forbidden_variants()
    flat = {v for vs in rows.values() for v in vs}
    for v in ("가족", "묶음", "사슬", "연쇄", "닫힌 형태", "결정적", "기대값", "트위디", "바서슈타인", "호인", "식 1"):
        assert v in flat, v


def _hits(text: str, variants: dict[str, list[str]]) -> list[str]:
    hits = []
    for term, vs in variants.items():
        for v in vs:
            for m in re.finditer(re.escape(v), text):
                hits.append(f"{v!r} (use {term}) in ...{text[max(0, m.start() - 20):m.end() + 20]!r}")
    return hits


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_no_forbidden_term_variant_in_the_korean_prose(source):
    hits = _hits(_ko_prose(source), forbidden_variants())
    assert not hits, f"{source.stem}: " + "; ".join(hits[:8])


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_lemma_and_theorem_in_english_only_at_first_use(source):
    text = _ko_prose(source)
    for en, ko in (("Lemma 1", "보조정리 1"), ("Theorem 1", "정리 1")):
        uses = [m.start() for m in re.finditer(re.escape(en), text)]
        assert len(uses) <= 1, f"{source.stem}: {en!r} written {len(uses)} times; write {ko}"
        for i in uses:
            assert text[:i].endswith(ko + "("), f"{source.stem}: {en!r} not as '{ko}({en})' at its first use"
            before = text[:i - len(ko) - 1]
            assert not re.search(r"(?<!보조)" + re.escape(ko), before), f"{source.stem}: {ko} used before its first use gives ({en})"


def test_no_forbidden_variant_in_the_packages_korean_texts():
    import ddim_teach  # noqa: F401  (registers the package's strings)
    from ddim_teach import i18n
    from ddim_teach.course import exercises  # noqa: F401
    from ddim_teach.lab import plots, solver_widget, widgets  # noqa: F401

    variants = forbidden_variants()
    hits = []
    for key, texts in i18n.STRINGS.items():
        hits += [f"{key}: {h}" for h in _hits(texts["ko"], variants)]
    assert not hits, "; ".join(hits[:8])
