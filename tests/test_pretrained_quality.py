"""What the shipped weights must show (issue: toy models). Sampling only; no training here."""
import pytest
import torch

import ddim_teach as dt
from ddim_teach import evaluation as ev
from ddim_teach.data import POINT_SETS
from ddim_teach.metrics import independent_digit_confidence


def test_every_shipped_model_loads_with_its_schedule_and_recipe():
    assert set(dt.available_pretrained()) == {"digits", *POINT_SETS}
    for name in dt.available_pretrained():
        model, schedule = dt.load_pretrained(name)
        assert isinstance(schedule, dt.Schedule) and schedule.T == 1000
        assert model.sample_shape == ((1, 8, 8) if name == "digits" else (2,))
        assert not model.training
        meta = dt.checkpoint_meta(name)
        assert meta["command"].startswith("python -m ddim_teach.train --data " + name)
        assert {"seed", "steps", "final_loss"} <= set(meta)


def test_shipped_files_are_small():
    for p in dt.pretrained.WEIGHTS_DIR.glob("*.pt"):
        assert p.stat().st_size <= 5 * 2**20, p


def test_digits_ddim50_samples_are_recognisable_digits():
    x = ev.sample("digits", 50, eta=0.0, n=500, seed=0)
    conf, classes = independent_digit_confidence(x)
    assert conf >= 0.8, conf
    assert classes == 10


@pytest.mark.parametrize("name", POINT_SETS)
def test_2d_models_are_within_twice_the_floor(name):
    x = ev.sample(name, 100, eta=0.0, n=2000, seed=0)
    assert ev.quality(name, x) <= 2 * ev.quality_floor(name, n=2000)
