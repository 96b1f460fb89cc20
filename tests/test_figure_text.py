"""Every stored figure of the built lectures is readable from the back of a hall: its smallest text is at least
18 px when the notebook is shown at 1920×1080 (issue 20). The kernel measured each figure as it was shown
(``plots.use_projector_style``: the smallest text in points, the dpi and the PNG's width, in the output's
metadata); the explorers' own pictures are checked in test_widgets.py and test_theory_widgets.py."""
import json
from pathlib import Path

import pytest

from ddim_teach.lab.plots import DISPLAY_WIDTH_PX, MIN_TEXT_PX, TEXT_SIZE_KEY

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[a-z][a-z]/[0-9][0-9]_*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def _figures(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data and WIDGET not in data:
                yield i, out.get("metadata", {}).get("image/png", {}).get(TEXT_SIZE_KEY)


def test_the_built_lectures_are_found():
    assert {p.parent.name for p in NOTEBOOKS} == {"ko", "en"} and len(NOTEBOOKS) >= 24


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem[:2]}")
def test_every_stored_figure_has_its_smallest_text_at_18_px(path):
    figures = list(_figures(path))
    unmeasured = [i for i, m in figures if m is None]
    assert not unmeasured, f"{path.name}: cells {unmeasured} show a PNG without a text measurement " \
                           "(the lecture's setup must call plots.use_projector_style() before its figures)"
    small = {i: m for i, m in figures if m["min_px_at_1920"] is not None and m["min_px_at_1920"] < MIN_TEXT_PX}
    assert not small, f"{path.name}: figures under {MIN_TEXT_PX} px at 1920×1080 (output area " \
                      f"{DISPLAY_WIDTH_PX} px), by cell: {small}"
    for i, m in figures:  # the record agrees with itself: px = pt × dpi / 72, scaled down when wider than the area
        if m["min_pt"] is not None:
            want = m["min_pt"] * m["dpi"] / 72 * min(1.0, DISPLAY_WIDTH_PX / m["png_width"])
            assert abs(m["min_px_at_1920"] - want) < 0.11, (path.name, i, m)
