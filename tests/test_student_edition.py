"""The student edition (`make student`): every solution absent, stubs, checker calls and hints kept, and each
notebook runs top to bottom without an error, its checkers answering the stubs with "not yet".

Solutions are marked in notebooks/src as nbgrader marks them (### BEGIN SOLUTION / ### END SOLUTION; inside an
HTML comment in prose). The test builds both editions from the sources here, so it holds for the sources as
they are, not for a stale build."""
from __future__ import annotations

import os
import re

import nbformat
import pytest

from tools import notebooks as nbk

LECTURES = sorted(p for p in nbk.SOURCES.glob("*.py") if p.stem[:2].isdigit())
CHECK_CALL = re.compile(r"\b(?:exercises\.check_\w+|symbolic\.check_\w+|sym\.check_\w+|gx\.check_\w+|verdict)\(")


def _solution_lines(nb) -> list[str]:
    """The text lines inside the marked regions of the lecturer's edition (markers and bare tags left out)."""
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if nbk.BEGIN_SOLUTION in line:
                inside = True
            elif nbk.END_SOLUTION in line:
                inside = False
            elif inside:
                text = re.sub(r"</?details>|<summary>.*?</summary>", "", line).strip()
                if len(text) >= 12:  # a line long enough to be the solution's own words, not a lone bracket
                    lines.append(text)
    return lines


def _outside_text(nb) -> str:
    """The lecturer's edition's text outside the marked regions."""
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if nbk.BEGIN_SOLUTION in line:
                inside = True
            elif nbk.END_SOLUTION in line:
                inside = False
            elif not inside:
                lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def editions():
    """{(lecture, lang): (lecturer's notebook, student's notebook)}, both unexecuted, built from the sources."""
    out = {}
    for src in LECTURES:
        for lang in ("ko", "en"):
            full = nbk.build_edition(src, lang)
            out[src.stem, lang] = (full, nbk.strip_solutions(nbk.build_edition(src, lang), src.name))
    return out


def test_every_exercise_lecture_marks_its_solutions(editions):
    """Lectures 01-08 and 10 have exercises with worked solutions: each marks them; 00 and 09 have none."""
    marked = {stem for (stem, lang), (full, _) in editions.items() if _solution_lines(full)}
    with_exercises = {s.stem for s in LECTURES if re.search(r"## (?:Exercise|연습 문제)", s.read_text(encoding="utf-8"))}
    assert with_exercises - marked == set(), f"exercises without marked solutions: {with_exercises - marked}"
    assert len(marked) >= 9, marked


def test_no_solution_text_left(editions):
    for (stem, lang), (full, student) in editions.items():
        text = "\n".join(c.source for c in student.cells)
        assert nbk.BEGIN_SOLUTION not in text and nbk.END_SOLUTION not in text, (stem, lang)
        assert "<details><summary>" not in text, f"{stem} ({lang}): a solution block is left"
        assert "exercises.solution(" not in text, f"{stem} ({lang}): a pointer to the solutions is left"
        # a solution's line that the lecturer's edition also has outside its solutions (a stub's def line) may stay
        outside = _outside_text(full)
        left = [line for line in _solution_lines(full) if line in text and line not in outside]
        assert not left, f"{stem} ({lang}): solution text left in the student edition: {left[:2]}"


def test_stubs_checks_and_hints_remain(editions):
    for (stem, lang), (full, student) in editions.items():
        code_full = [c.source for c in full.cells if c.cell_type == "code"]
        code_student = [c.source for c in student.cells if c.cell_type == "code"]
        assert len(code_full) == len(code_student), (stem, lang)
        # every checker call of the lecturer's edition is in the student's, and every stub
        calls = lambda cells: sorted(m.group(0) for c in cells for m in CHECK_CALL.finditer(c))  # noqa: E731
        assert calls(code_student) == calls(code_full), (stem, lang)
        stubs = lambda cells: sorted(line.strip() for c in cells for line in c.split("\n")  # noqa: E731
                                     if "NotImplementedError" in line or "replace this line" in line)
        assert set(stubs(code_full)) <= set(stubs(code_student)), (stem, lang)
        prose_full = {line for c in full.cells if c.cell_type == "markdown" for line in c.source.split("\n")}
        prose_student = {line for c in student.cells if c.cell_type == "markdown" for line in c.source.split("\n")}
        hints = [line for line in prose_full if re.search(r"\b(?:Hint|hint)\b|힌트", line)
                 and line.strip() not in _solution_lines(full)]
        assert all(h in prose_student for h in hints), (stem, lang)


def test_strip_solutions_code_and_errors():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n\ncheck(f)"),
        nbformat.v4.new_markdown_cell("Try it.\n<!-- ### BEGIN SOLUTION -->\nIt is 2x.\n<!-- ### END SOLUTION -->"),
        nbformat.v4.new_markdown_cell("<!-- ### BEGIN SOLUTION -->\nonly a solution\n<!-- ### END SOLUTION -->"),
    ])
    nbk.strip_solutions(nb)
    assert [c.source for c in nb.cells] == ["def f(x):\n    raise NotImplementedError  # your code here\n\ncheck(f)", "Try it."]
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1")])
    with pytest.raises(ValueError, match="BEGIN SOLUTION without END SOLUTION"):
        nbk.strip_solutions(bad, "x.py")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_student_edition_runs_top_to_bottom(editions, lang, tmp_path):
    """Each student notebook runs without an error (CI=1 shrinks the long loops, as under nbval), and every
    checker's answer to a stub is a "not yet", never a traceback."""
    from nbclient import NotebookClient

    not_yet = re.compile(r"Not yet|not yet|Not written yet|아직")
    os.environ.setdefault("CI", "1")
    for src in LECTURES:
        nb = editions[src.stem, lang][1]
        nb = nbformat.from_dict(nbformat.from_dict(nb))
        NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(nbk.ROOT / "notebooks" / lang)}}).execute()
        for cell in nb.cells:
            if cell.cell_type == "code" and CHECK_CALL.search(cell.source):
                text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
                assert not_yet.search(text), f"{src.stem} ({lang}): a checker said no 'not yet' to a stub:\n{text[:300]}"
                assert not any(o.output_type == "error" for o in cell.outputs)
