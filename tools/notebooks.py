"""Build the two editions of every lecture from one source, execute them, and measure their prose.

One source per lecture lives in ``notebooks/src/NN_name.py`` (jupytext's py:percent format, diffable
text). Its cells are of three kinds:

    # %% [markdown] lang="ko"     Korean prose: goes only into notebooks/ko/NN_name.ipynb
    # %% [markdown] lang="en"     English prose: goes only into notebooks/en/NN_name.ipynb
    # %%                          code: goes into both editions, unchanged

The only code line allowed to differ is ``dt.set_language("en")`` in the first code cell, which the
build rewrites to the edition's language. Execution keeps outputs, so nbval has something to compare
and a saved notebook shows each explorer's picture (its image/png) without a kernel.

    python tools/notebooks.py build               build and execute every edition (`make notebooks`)
    python tools/notebooks.py build 04 app        only the sources whose names start so
    python tools/notebooks.py build --no-execute  write the editions without running them
    python tools/notebooks.py stats               prose words (en) and Hangul share (ko) per lecture
    python tools/notebooks.py build --student --no-execute   the student edition: notebooks/student/<lang>/

Solutions are marked in the sources as nbgrader marks them: ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines
in code, and the same words inside an HTML comment in prose (``<!-- ### BEGIN SOLUTION -->``), which a notebook
does not show. The lecturer's edition keeps the markers (nbgrader's ``generate_assignment`` reads them there);
the student edition leaves out every marked region: in prose the region goes, in code it becomes
``raise NotImplementedError`` at the marker's indentation, as nbgrader's stub does.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

from ddim_teach.i18n import LANGUAGES

__all__ = ["ROOT", "SOURCES", "STUDENT", "edition_path", "edition_rise_css", "lecture_css", "build_edition", "strip_solutions", "execute", "build", "prose_text",
           "english_words", "hangul_share", "LANG_LINE"]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "notebooks" / "src"
LANG_LINE = re.compile(r'dt\.set_language\("(ko|en)"\)')
# the app page is built like a lecture but lives beside Voila's other files
APP_SOURCE = "ddim_app"


STUDENT = ROOT / "notebooks" / "student"  # the student edition: STUDENT/<lang>/NN_name.ipynb (not committed)
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"


def strip_solutions(nb, name: str = "notebook"):
    """``nb`` without its solutions (in place; returns it): every region from a line holding ``BEGIN SOLUTION``
    to the next line holding ``END SOLUTION`` is removed from prose and replaced in code by
    ``raise NotImplementedError`` at the marker's indentation. Unbalanced markers raise ValueError."""
    for i, cell in enumerate(nb.cells):
        if BEGIN_SOLUTION not in cell.source and END_SOLUTION not in cell.source:
            continue
        out, inside = [], None
        for line in cell.source.split("\n"):
            if BEGIN_SOLUTION in line:
                if inside is not None:
                    raise ValueError(f"{name}, cell {i}: BEGIN SOLUTION inside another solution; close it with END SOLUTION")
                inside = line[: len(line) - len(line.lstrip())]
            elif END_SOLUTION in line:
                if inside is None:
                    raise ValueError(f"{name}, cell {i}: END SOLUTION without BEGIN SOLUTION")
                if cell.cell_type == "code":
                    out.append(f"{inside}raise NotImplementedError  # your code here")
                inside = None
            elif inside is None:
                out.append(line)
        if inside is not None:
            raise ValueError(f"{name}, cell {i}: BEGIN SOLUTION without END SOLUTION")
        cell.source = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells = [c for c in nb.cells if c.cell_type == "code" or c.source.strip()]
    return nb


def edition_path(source: Path, lang: str) -> Path:
    """notebooks/src/NN.py -> notebooks/<lang>/NN.ipynb; the app page -> app/<lang>/ddim_app.ipynb."""
    folder = ROOT / "app" if source.stem == APP_SOURCE else ROOT / "notebooks"
    return folder / lang / f"{source.stem}.ipynb"


def edition_rise_css(lang: str) -> Path:
    """Where jupyterlab-rise looks for the slides' style sheet of the lectures of one edition."""
    return ROOT / "notebooks" / lang / "rise.css"


def lecture_css(source: Path) -> str:
    """The text of the lecture's own slide style sheet. jupyterlab-rise always asks for ``<lecture>.css``
    beside the notebook, after rise.css (a missing one is a 404 and an error in the console on every
    slideshow load): notebooks/src/<lecture>.css when a lecture has rules of its own, else one comment."""
    own = SOURCES / f"{source.stem}.css"
    if own.exists():
        return own.read_text(encoding="utf-8")
    return (f"/* {source.stem}: no slide rules of its own; the course's rules are in rise.css "
            "(source: notebooks/src/rise.css). jupyterlab-rise loads this file after rise.css. */\n")


def derivation_fragments(cell) -> list:
    """A derivation appears line by line on the slides: a markdown slide with two or more display equations
    (lines that start with $$) is cut after each equation that more text follows; the first piece keeps the
    cell's metadata, the others are RISE fragments. Other cells come back as they are."""
    import nbformat

    if cell.cell_type != "markdown" or cell.metadata.get("slideshow", {}).get("slide_type") not in ("slide", "subslide"):
        return [cell]
    lines, pieces, current, inside = cell.source.split("\n"), [], [], False
    n_display = 0
    for line in lines:
        current.append(line)
        stripped = line.strip()
        if not inside and stripped.startswith("$$"):
            n_display += 1
            inside = not (len(stripped) > 2 and stripped.endswith("$$"))
            if not inside:
                pieces.append(current)
                current = []
        elif inside and stripped.endswith("$$"):
            inside = False
            pieces.append(current)
            current = []
    pieces.append(current)
    pieces = [p for p in pieces if "\n".join(p).strip()]
    if n_display < 2 or inside or len(pieces) < 2:
        return [cell]
    first = nbformat.from_dict({**cell, "source": "\n".join(pieces[0]).rstrip()})
    return [first] + [nbformat.v4.new_markdown_cell("\n".join(p).strip("\n").rstrip(),
                                                    metadata={"slideshow": {"slide_type": "fragment"}}) for p in pieces[1:]]


def build_edition(source, lang: str):
    """The notebook of one edition, unexecuted: prose of ``lang`` only, the language line set."""
    import jupytext
    import nbformat

    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    source = Path(source)
    nb = jupytext.read(source)
    cells, n_lang_lines = [], 0
    for cell in nb.cells:
        cell_lang = cell.metadata.pop("lang", None)
        if cell_lang is not None and cell_lang not in LANGUAGES:
            raise ValueError(f"{source.name}: a cell has lang={cell_lang!r}; use one of {LANGUAGES}")
        if cell.cell_type == "code":
            if cell_lang is not None:
                raise ValueError(f"{source.name}: code cells are shared by both editions and take no lang")
            n = len(LANG_LINE.findall(cell.source))
            if n:
                cell.source = LANG_LINE.sub(f'dt.set_language("{lang}")', cell.source)
                n_lang_lines += n
        elif cell_lang is not None and cell_lang != lang:
            continue
        cells.extend(derivation_fragments(cell))
    if n_lang_lines != 1:
        raise ValueError(f'{source.name}: exactly one code line must read dt.set_language("en"), found {n_lang_lines}')
    nb.cells = cells
    nb.metadata.pop("jupytext", None)
    nb.metadata["language"] = lang
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"})
    # center=False: slides top-aligned, so that selecting a cell (whose toolbar then shows) does not shift a
    # centred slide under the pointer between mouse-down and mouse-up, which loses a click on a widget
    # theme "white": reveal's "simple" theme @imports two Google fonts, two failed requests on every slideshow
    # load in a hall without internet; "white" uses the font bundled with RISE (rise.css keeps headings as typed)
    nb.metadata.setdefault("rise", {"scroll": True, "theme": "white", "transition": "none", "enable_chalkboard": False,
                                    "center": False})
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb = nbformat.validator.normalize(nb)[1] if hasattr(nbformat.validator, "normalize") else nb
    for i, cell in enumerate(nb.cells):  # stable ids: an unchanged source gives an unchanged notebook
        cell["id"] = f"{source.stem[:2]}-{i:03d}"
    return nbformat.from_dict(nb)


def execute(nb, path: Path, timeout: int = 1800) -> float:
    """Run ``nb`` in ``path``'s folder, keeping outputs, and write it to ``path``.

    Widget state is not stored: each explorer's output carries its picture as image/png beside the widget
    view, which JupyterLab shows for a notebook it has not run (and GitHub and nbviewer show too). Stored
    state would make JupyterLab, which saves widget state (lab/overrides.json), mark the untouched notebook
    as modified as soon as it restores those widget models."""
    import nbformat
    from nbclient import NotebookClient

    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    _strip_volatile(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


def _strip_volatile(nb) -> None:
    """Drop execution timestamps (they change on every run and are of no use to a reader), and store the
    kernelspec exactly as JupyterLab writes it when it starts the kernel. A notebook whose kernelspec
    differs (jupytext's header says "Python 3", the kernel says "Python 3 (ipykernel)") opens marked as
    modified, and closing it untouched asks whether to save."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = _lab_kernelspec(nb.metadata.get("kernelspec", {}).get("name", "python3"))


def _lab_kernelspec(name: str) -> dict:
    """The kernelspec metadata JupyterLab writes for kernel ``name``: its name, display name and language."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def build(prefixes=(), langs=LANGUAGES, run: bool = True, student: bool = False) -> list[Path]:
    """Build (and execute) the editions; ``student=True``: the student edition, without solutions, in
    notebooks/student/<lang>/ (the lectures only: the app page has no exercises)."""
    import os

    # the explorers' background "Try this" runs (S = 1000) serve a lecturer, not a build: off in its kernels
    os.environ.setdefault("DDIM_PREPARE", "0")
    sources = sorted(SOURCES.glob("*.py"))
    if student:
        sources = [s for s in sources if s.stem != APP_SOURCE]
    if prefixes:
        sources = [s for s in sources if any(s.stem.startswith(p) for p in prefixes)]
        if not sources:
            raise SystemExit(f"no source in {SOURCES} starts with {', '.join(prefixes)}")
    written = []
    for lang in langs:  # the slides' style sheet, one source for both editions (see notebooks/src/rise.css)
        css = STUDENT / lang / "rise.css" if student else edition_rise_css(lang)
        css.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCES / "rise.css", css)
    for source in sources:
        for lang in langs:
            nb, path = build_edition(source, lang), edition_path(source, lang)
            if student:
                nb, path = strip_solutions(nb, source.name), STUDENT / lang / path.name
            if source.stem != APP_SOURCE:  # the app page is not a slideshow
                path.parent.mkdir(parents=True, exist_ok=True)
                path.with_suffix(".css").write_text(lecture_css(source), encoding="utf-8")
            if run:
                seconds = execute(nb, path)
                print(f"{path.relative_to(ROOT)}: {seconds:.0f} s", flush=True)
            else:
                import nbformat

                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, path)
                print(f"{path.relative_to(ROOT)}: written", flush=True)
            written.append(path)
    return written


# ---- prose measures --------------------------------------------------------------------------------------
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
_INLINE_MATH = re.compile(r"(?<!\\)\$[^$\n]+?(?<!\\)\$")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_URL = re.compile(r"https?://\S+|\]\([^)]*\)")
_HTML = re.compile(r"<[^>]+>")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def prose_text(nb) -> str:
    """The markdown of a notebook with display math, inline math, code, URLs and HTML tags removed."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for pattern in (_CODE, _DISPLAY_MATH, _INLINE_MATH, _URL, _HTML):
        text = pattern.sub(" ", text)
    return text


def english_words(nb) -> int:
    """Words of prose: runs of letters (apostrophes and hyphens inside a word allowed)."""
    return len(re.findall(r"[A-Za-z\uac00-\ud7a3]+(?:['’-][A-Za-z]+)*", prose_text(nb)))


def hangul_share(nb) -> float:
    """Hangul syllables / (Hangul syllables + Latin letters) in the prose."""
    text = prose_text(nb)
    h, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return h / (h + latin) if h + latin else 0.0


def _stats() -> None:
    import nbformat

    print(f"{'lecture':34s} {'en words':>9s} {'ko Hangul share':>16s}")
    for source in sorted(SOURCES.glob("*.py")):
        en, ko = (nbformat.read(edition_path(source, lang), 4) if edition_path(source, lang).exists() else None
                  for lang in ("en", "ko"))
        words = english_words(en) if en is not None else float("nan")
        share = hangul_share(ko) if ko is not None else float("nan")
        print(f"{source.stem:34s} {words:9.0f} {share:16.2f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python tools/notebooks.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build (and execute) both editions")
    b.add_argument("prefixes", nargs="*", help="only sources whose names start with these")
    b.add_argument("--lang", choices=LANGUAGES, action="append", help="only this edition (repeatable)")
    b.add_argument("--no-execute", action="store_true")
    b.add_argument("--student", action="store_true", help="the student edition (no solutions) in notebooks/student/")
    sub.add_parser("stats", help="prose words and Hangul share per lecture")
    args = parser.parse_args(argv)
    if args.cmd == "build":
        build(args.prefixes, tuple(args.lang or LANGUAGES), run=not args.no_execute, student=args.student)
    else:
        _stats()


if __name__ == "__main__":
    main(sys.argv[1:])
