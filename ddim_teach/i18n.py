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

__all__ = ["LANGUAGES", "STRINGS", "set_language", "get_language", "tr", "register_strings", "load_catalog", "read_catalog",
           "catalog_domains", "CATALOG_DIR", "korean_font_name", "font_rc"]

LANGUAGES = ("ko", "en")
_state = {"lang": "en"}

# key -> {"ko": ..., "en": ...}; each module loads its own catalog with load_catalog()
STRINGS: dict[str, dict[str, str]] = {}

# The texts live in message catalogs, data files next to the code: ddim_teach/messages/<domain>.toml, one
# TOML table per key with one line per language (ko = "...", en = "..."). TOML, not gettext .po, because
# the keys are names ("sw_solver"), not English source strings, and every text has str.format fields: a
# .po file would need msgid = the key, a compile step to .mo (or Babel at run time) and a plural machinery
# the course does not use, while tomllib is in the standard library (Python ≥ 3.11), a translator sees both
# editions of a text side by side, and a third language is one more line per key (no code change: see
# LANGUAGES). tests/test_catalogs.py checks that every key has every language with the same fields.
CATALOG_DIR = Path(__file__).resolve().parent / "messages"


def read_catalog(domain: str) -> dict:
    """The parsed catalog ``messages/<domain>.toml`` (a dict in file order)."""
    import tomllib

    path = CATALOG_DIR / f"{domain}.toml"
    if not path.exists():
        raise FileNotFoundError(f"no message catalog {path}; known: {', '.join(sorted(catalog_domains()))}")
    with open(path, "rb") as f:
        return tomllib.load(f)


def catalog_domains() -> list[str]:
    return sorted(p.stem for p in CATALOG_DIR.glob("*.toml"))


def load_catalog(domain: str) -> dict[str, dict[str, str]]:
    """Register every text of ``messages/<domain>.toml`` (as :func:`register_strings`) and return the table."""
    table = read_catalog(domain)
    register_strings(table)
    return table


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
        raise KeyError(f"no translated string {key!r}; add it to a catalog in ddim_teach/messages/ (see ddim_teach.i18n)")
    text = STRINGS[key][lang]
    return text.format(**fields) if fields else text


KOREAN_FAMILY = "DdimTeach Korean"


def _korean_font_files() -> list[Path]:
    """NanumGothic regular and bold (bundled with koreanize-matplotlib), each with one glyph added, written
    once to the user cache.

    NanumGothic has no minus sign U+2212, which mathtext draws in its text font (``\\mathdefault``: the
    ticks of a log axis, 10⁻³). The copies map U+2212 to NanumGothic's own hyphen and carry their own family
    name, so the original fonts are left untouched. The package is located, not imported: importing it
    would set matplotlib's font to NanumGothic alone and raises a DeprecationWarning on Python 3.11.
    """
    import importlib.util
    import os

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed; `make lab` installs it (it ships NanumGothic)")
    fonts = Path(spec.submodule_search_locations[0]) / "fonts"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ddim_teach"
    targets = []
    for name in ("NanumGothic", "NanumGothicBold"):
        source = fonts / f"{name}.ttf"
        if not source.exists():
            raise RuntimeError(f"{source} was not found; reinstall koreanize-matplotlib")
        target = cache / f"DdimTeach{name}-{source.stat().st_size}-v2.ttf"
        if not target.exists():
            from fontTools.ttLib import TTFont

            font = TTFont(source)
            for table in font["cmap"].tables:
                if table.isUnicode() and 0x2D in table.cmap:
                    table.cmap.setdefault(0x2212, table.cmap[0x2D])
            for record in font["name"].names:
                if record.nameID in (1, 16):
                    record.string = KOREAN_FAMILY
                elif record.nameID == 4:
                    record.string = KOREAN_FAMILY + (" Bold" if "Bold" in name else "")
                elif record.nameID == 6:
                    record.string = KOREAN_FAMILY.replace(" ", "-") + ("-Bold" if "Bold" in name else "")
            if "Bold" in name:
                font["OS/2"].usWeightClass = 700  # matplotlib matches "bold" by this number
            cache.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.part")
            font.save(partial)
            partial.replace(target)  # atomic: parallel kernels never read a half-written file
        targets.append(target)
    return targets


def korean_font_name() -> str:
    """Register the course's Hangul font (regular and bold) with matplotlib, once, and return its family name."""
    from matplotlib import font_manager

    if KOREAN_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        for path in _korean_font_files():
            font_manager.fontManager.addfont(str(path))
    return KOREAN_FAMILY


def font_rc() -> dict:
    """matplotlib settings that draw both languages without a missing glyph.

    A list of families turns on matplotlib's per-glyph fallback: Hangul (and mathtext's text font) from
    the course's NanumGothic; Greek, subscripts and combining accents (σ̂, x₀) from DejaVu Sans.
    """
    return {"font.family": [korean_font_name(), "DejaVu Sans"], "mathtext.fontset": "dejavusans"}


def set_language(lang: str) -> str:
    """Set the language of figures and widgets for this session ("ko" or "en") and return it.

    Both languages use NanumGothic first and DejaVu Sans as the fallback, so a figure looks the same in
    both editions and Hangul never falls back to empty boxes.
    """
    import matplotlib as mpl

    _state["lang"] = _check_lang(lang)
    mpl.rcParams.update(font_rc())
    return lang


# strings shared by several modules; widgets and plots load their own catalogs
load_catalog("common")  # the texts: ddim_teach/messages/common.toml
