"""τ spacings: golden arrays from diffusers and the official DDIM code, validity for every S."""
from fractions import Fraction

import numpy as np
import pytest
import torch

import ddim_teach as dt

GOLDEN = {
    "leading": [900, 800, 700, 600, 500, 400, 300, 200, 100, 0],
    "trailing": [999, 899, 799, 699, 599, 499, 399, 299, 199, 99],
    "linspace": [999, 888, 777, 666, 555, 444, 333, 222, 111, 0],
    "uniform": [900, 800, 700, 600, 500, 400, 300, 200, 100, 0],
}


@pytest.mark.parametrize("spacing", list(GOLDEN))
def test_golden_T1000_S10(spacing):
    ts = dt.make_timesteps(1000, 10, spacing)
    assert ts.dtype == torch.int64
    assert ts.tolist() == GOLDEN[spacing]


def test_leading_offset():
    assert dt.make_timesteps(1000, 10, "leading", steps_offset=1).tolist() == [901, 801, 701, 601, 501, 401, 301, 201, 101, 1]


def test_quad_matches_official_where_it_has_no_repeats():
    for S in (5, 10, 20):
        official = [int(s) for s in np.linspace(0, np.sqrt(0.8 * 1000), S) ** 2]
        assert len(set(official)) == S
        assert dt.make_timesteps(1000, S, "quad").tolist() == official[::-1]


@pytest.mark.parametrize("spacing", ["leading", "trailing", "linspace"])
def test_matches_diffusers_set_timesteps(spacing):
    diffusers = pytest.importorskip("diffusers")
    for S in (1, 7, 10, 50, 61, 250, 999, 1000):
        sch = diffusers.DDIMScheduler(num_train_timesteps=1000, timestep_spacing=spacing)
        sch.set_timesteps(S)
        ref = sch.timesteps.tolist()
        ours = dt.make_timesteps(1000, S, spacing).tolist()
        if spacing == "trailing" and len(ref) == S + 1:  # diffusers' overshoot, repaired here
            assert ref[-1] == -1 and ref[:S] == ours
        else:
            assert ours == ref, (spacing, S)


def test_repairs_change_the_published_formulas_only_where_documented():
    """Each spacing against a reference that is not the package's own expression, for every S in 1..T:
    trailing against diffusers' DDIMScheduler.set_timesteps (where its float arange overshoots to S+1 values
    ending in -1 we keep the first S) and against exact rational rounding of T(S-i)/S - 1; uniform against the
    official code's τ_i = i·⌊T/S⌋, i < S, in integers; quad against its defining property (the smallest strictly
    increasing integers ≥ the official grid, equal to it where it has no repeats)."""
    diffusers = pytest.importorskip("diffusers")
    T = 1000
    sch = diffusers.DDIMScheduler(num_train_timesteps=T, timestep_spacing="trailing")
    trailing_bad, ties, uniform_bad, quad_bad = [], [], [], []
    for S in range(1, T + 1):
        sch.set_timesteps(S)
        ref = sch.timesteps.tolist()
        ours = dt.make_timesteps(T, S, "trailing").tolist()
        if len(ref) != S:
            trailing_bad.append(S)
            assert len(ref) == S + 1 and ref[-1] == -1  # the overshoot is one value, -1, dropped
        assert ours == ref[:S]
        exact = [T * (S - i) / Fraction(S) - 1 for i in range(S)]  # before rounding, exact
        for o, e in zip(ours, exact):
            if o != round(e):  # float round-off at an exact half only, and by one step
                assert e.denominator == 2 and abs(o - e) == Fraction(1, 2)
                ties.append(S)
        ours = dt.make_timesteps(T, S, "uniform").tolist()
        if len(range(0, T, T // S)) != S:
            uniform_bad.append(S)
        assert ours == [i * (T // S) for i in range(S - 1, -1, -1)]
    for S in range(1, 201):
        raw = [int(s) for s in np.linspace(0, np.sqrt(0.8 * T), S) ** 2]  # the official DDIM code's quad grid
        ours = dt.make_timesteps(T, S, "quad").tolist()[::-1]
        assert all(a < b for a, b in zip(ours, ours[1:])) and 0 <= ours[0] and ours[-1] <= T - 1
        assert all(o >= r for o, r in zip(ours, raw))  # only pushed up (no overflow of T - 1 below S = 201)
        # minimal: each value is the official one, or one above its predecessor
        assert all(o == r or (i > 0 and o == ours[i - 1] + 1) for i, (o, r) in enumerate(zip(ours, raw)))
        if len(set(raw)) != S:
            quad_bad.append(S)
        else:
            assert ours == raw
    assert len(trailing_bad) == 62 and 61 in trailing_bad  # the module docstring's counts
    assert ties  # the published float formula and exact rounding do differ, at halves (48 is the first S)
    assert 30 in uniform_bad and len(range(0, T, T // 30)) == 31
    assert 50 in quad_bad


@pytest.mark.parametrize("T", [1000, 37])
@pytest.mark.parametrize("spacing", dt.SPACINGS)
def test_every_S_gives_S_distinct_valid_steps(spacing, T):
    for S in range(1, T + 1):
        ts = dt.make_timesteps(T, S, spacing).numpy()
        assert len(ts) == S, (spacing, S)
        assert (np.diff(ts) < 0).all(), (spacing, S)
        assert ts.min() >= 0 and ts.max() <= T - 1, (spacing, S)


def test_custom_list():
    assert dt.make_timesteps(1000, spacing=[900, 500, 10]).tolist() == [900, 500, 10]
    with pytest.raises(ValueError, match="strictly descending"):
        dt.make_timesteps(1000, spacing=[10, 500, 900])
    with pytest.raises(ValueError, match="strictly descending"):
        dt.make_timesteps(1000, spacing=[500, 500, 10])
    with pytest.raises(ValueError, match=r"\[0, 999\]"):
        dt.make_timesteps(1000, spacing=[1000, 10])
    with pytest.raises(ValueError, match="must not be empty"):
        dt.make_timesteps(1000, spacing=[])
    with pytest.raises(TypeError, match="integers"):
        dt.make_timesteps(1000, spacing=[10.5, 2.0])


@pytest.mark.parametrize(
    "args, err, match",
    [
        ((1000, 0), ValueError, r"S \(the number of sampling steps\) must be in \[1, T=1000\], got 0"),
        ((1000, 1001), ValueError, "got 1001"),
        ((1000, 10, "cosine"), ValueError, "unknown spacing 'cosine'"),
        ((1000, 2.5), TypeError, "must be an int"),
        ((1000, 1000, "leading", 1), ValueError, "outside"),
        ((1000, 10, "trailing", 1), ValueError, "steps_offset applies only"),
    ],
)
def test_bad_input(args, err, match):
    with pytest.raises(err, match=match):
        dt.make_timesteps(*args)
