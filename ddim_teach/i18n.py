"""The course's two languages: Korean (``"ko"``) and English (``"en"``).

Every lecture is built in both editions from one source (``notebooks/src``); the only code line that
differs between the editions is ``dt.set_language("ko")`` / ``dt.set_language("en")`` in the first
code cell. Figures, widget labels, buttons and status lines look their text up here with ``tr``.

    set_language("ko")          the edition's language; also gives matplotlib a Hangul font
    tr("steps_S")               "스텝 수 S" in Korean, "steps S" in English
    tr("step_of", i=3, n=10)    keys may carry str.format fields

The symbols S, η and τ stay in every label, so a control reads the same in both editions.
Hangul in matplotlib uses NanumGothic, which ``koreanize-matplotlib`` ships inside its wheel (no
system font and no download); DejaVu Sans stays behind it as a fallback for Greek and symbols.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["LANGUAGES", "STRINGS", "set_language", "get_language", "tr", "register_strings", "korean_font_name"]

LANGUAGES = ("ko", "en")
_state = {"lang": "en"}

# key -> {"ko": ..., "en": ...}; modules add their own with register_strings()
STRINGS: dict[str, dict[str, str]] = {}


def register_strings(table: dict[str, dict[str, str]]) -> None:
    """Add translated strings. Each entry must give both languages; a clash with a different text is an error."""
    for key, texts in table.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"string {key!r} lacks the language(s) {missing}")
        if key in STRINGS and STRINGS[key] != texts:
            raise ValueError(f"string {key!r} is already registered with a different text")
        STRINGS[key] = dict(texts)


def _check_lang(lang) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return lang


def get_language() -> str:
    return _state["lang"]


def tr(key: str, lang: str | None = None, **fields) -> str:
    """The text of ``key`` in ``lang`` (default: the language set by ``set_language``)."""
    lang = _check_lang(lang or _state["lang"])
    if key not in STRINGS:
        raise KeyError(f"no translated string {key!r}; register it in ddim_teach.i18n")
    text = STRINGS[key][lang]
    return text.format(**fields) if fields else text


def korean_font_name() -> str:
    """Register the NanumGothic font bundled with koreanize-matplotlib and return its family name."""
    import koreanize_matplotlib  # noqa: F401  (registers its fonts with matplotlib on import)
    from matplotlib import font_manager

    fonts_dir = Path(koreanize_matplotlib.__file__).parent / "fonts"
    for path in sorted(fonts_dir.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    names = {f.name for f in font_manager.fontManager.ttflist}
    if "NanumGothic" not in names:
        raise RuntimeError("NanumGothic was not found; reinstall koreanize-matplotlib (make lab installs it)")
    return "NanumGothic"


def set_language(lang: str) -> str:
    """Set the language of figures and widgets for this session ("ko" or "en") and return it.

    Both languages use NanumGothic first and DejaVu Sans as the fallback, so a figure looks the same in
    both editions and Hangul never falls back to empty boxes.
    """
    import matplotlib as mpl

    _state["lang"] = _check_lang(lang)
    # a list of families turns on matplotlib's per-glyph fallback: Hangul from NanumGothic, Greek,
    # subscripts and combining accents (σ̂, x₀) from DejaVu Sans, without a missing-glyph warning
    mpl.rcParams["font.family"] = [korean_font_name(), "DejaVu Sans"]
    return lang


# strings shared by several modules; widgets and plots register their own next to their code
register_strings({
    "steps_S": {"ko": "스텝 수 S", "en": "steps S"},
    "eta": {"ko": "η", "en": "η"},
    "spacing_tau": {"ko": "τ 간격", "en": "τ spacing"},
    "seed": {"ko": "시드", "en": "seed"},
})
