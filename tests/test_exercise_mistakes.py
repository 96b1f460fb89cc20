"""The checkers name the mistakes that issue 20 lists, each written here as a student would write it.

Every wrong function below is written from the paper's formula with one slip, independently of the checker's
own variant tables; the test feeds it to the checker and asks for the mistake's code and for its hint in both
languages. The right function written the same way must pass, so a checker that names everything fails here.
"""
from __future__ import annotations

import math

import pytest
import torch

from ddim_teach.course import exercises as ex


def _sqrt(v):
    return torch.sqrt(v) if isinstance(v, torch.Tensor) else v**0.5


# ---- Eq. 16 and its slips ----------------------------------------------------------------------------------
def _sigma(a, p, eta, power=1, one_minus=False):
    e = (1 - eta) if one_minus else eta**power
    return e * _sqrt((1 - p) / (1 - a)) * _sqrt(1 - a / p)


SIGMA = {
    "eta_squared": lambda a, p, eta: _sigma(a, p, eta, power=2),
    "no_eta": lambda a, p, eta: _sigma(a, p, 1.0),
    "one_minus_eta": lambda a, p, eta: _sigma(a, p, eta, one_minus=True),
}


# ---- Eq. 12 and its slips ----------------------------------------------------------------------------------
def _step(x_t, eps, a, p, eta=0.0, noise=None, noise_coef=None, dir_sigma=None):
    x0 = (x_t - _sqrt(1 - a) * eps) / _sqrt(a)
    sigma = _sigma(a, p, eta)
    s_dir = sigma if dir_sigma is None else dir_sigma(a, p, eta)
    out = _sqrt(p) * x0 + _sqrt(1 - p - s_dir**2) * eps
    if noise is not None:
        out = out + (sigma if noise_coef is None else noise_coef(a, p, eta)) * noise
    return out, x0


STEP = {
    "noise_eta": lambda *args: _step(*args, noise_coef=lambda a, p, eta: eta),
    "dir_sigma_no_eta": lambda *args: _step(*args, dir_sigma=lambda a, p, eta: _sigma(a, p, 1.0)),
}


# ---- DDPM's posterior mean and its slips ------------------------------------------------------------------
def _posterior(x0, x_t, a, p, sign=1.0):
    alpha, beta = a / p, 1 - a / p
    return (_sqrt(p) * beta * x0 + sign * _sqrt(alpha) * (1 - p) * x_t) / (1 - a)


def _posterior_second_form_sigma(x0, x_t, a, p):
    beta_tilde = (1 - p) / (1 - a) * (1 - a / p)
    sigma = _sqrt(beta_tilde)  # the slip: σ_t where σ_t² belongs
    return _sqrt(p) * x0 + _sqrt(1 - p - sigma) * (x_t - _sqrt(a) * x0) / _sqrt(1 - a)


POSTERIOR = {
    "xt_sign": lambda x0, x_t, a, p: _posterior(x0, x_t, a, p, sign=-1.0),
    "second_form_sigma": _posterior_second_form_sigma,
}


# ---- leading timesteps and the rounding slip --------------------------------------------------------------
def _leading(T, S):
    return [i * (T // S) for i in range(S)][::-1]


TIMESTEPS = {"round_step": lambda T, S: [round(i * T / S) for i in range(S)][::-1]}

CASES = ([("ddim_sigma", ex.check_ddim_sigma, c, f) for c, f in SIGMA.items()]
         + [("ddim_step", ex.check_ddim_step, c, f) for c, f in STEP.items()]
         + [("posterior_mean", ex.check_posterior_mean, c, f) for c, f in POSTERIOR.items()]
         + [("timesteps", ex.check_timesteps, c, f) for c, f in TIMESTEPS.items()])


@pytest.mark.parametrize("right", [(ex.check_ddim_sigma, _sigma), (ex.check_ddim_step, _step),
                                   (ex.check_posterior_mean, _posterior), (ex.check_timesteps, _leading)],
                         ids=["ddim_sigma", "ddim_step", "posterior_mean", "timesteps"])
def test_the_right_answer_written_the_same_way_passes(right):
    check, fn = right
    assert check(fn, verbose=False, lang="en"), ex.last_result().message


@pytest.mark.parametrize("exercise,check,code,fn", CASES, ids=[c[2] for c in CASES])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_named_mistake_gets_its_own_message(exercise, check, code, fn, lang, capsys):
    assert code in ex.MISTAKES[exercise], f"{code} is not a recognised mistake of {exercise}"
    assert check(fn, lang=lang) is False
    result = ex.last_result()
    assert result.mistake == code, f"named {result.mistake!r}, expected {code!r}:\n{result.message}"
    hint = ex._hint(exercise, code, lang)
    assert hint in result.message and hint in capsys.readouterr().out
    assert "complex number" not in result.message.split(hint)[0] or code == "second_form_sigma"


def test_second_form_slip_is_named_not_only_reported_as_complex():
    """03 [23] advertises this mistake; before issue 20 the only message was "returned a complex number"."""
    ex.check_posterior_mean(_posterior_second_form_sigma, verbose=False, lang="en")
    assert ex.last_result().mistake == "second_form_sigma"
    assert "σ_t where σ_t² belongs" in ex.last_result().message


def test_rounding_slip_differs_from_the_reference_on_the_checkers_cases():
    """round(i·T/S) equals i·(T // S) when S divides T, so the checker must use an S that does not."""
    assert any(T % S for T, S in ex._TS_CASES)
    assert any(_leading(T, S) != TIMESTEPS["round_step"](T, S) for T, S in ex._TS_CASES)


def test_sigma_slips_are_told_apart_at_the_checkers_etas():
    a, p = 0.5, 0.7
    values = {code: f(a, p, 0.5) for code, f in SIGMA.items()} | {"ref": _sigma(a, p, 0.5)}
    assert not math.isclose(values["eta_squared"], values["ref"])
    assert not math.isclose(values["no_eta"], values["ref"])
    # (1 − η) equals η at 0.5: the checker tells them apart at η = 0 and η = 1
    assert math.isclose(values["one_minus_eta"], values["ref"])
    assert not math.isclose(SIGMA["one_minus_eta"](a, p, 0.0), _sigma(a, p, 0.0))


# ---- lecture 06: a paired interval over shared seeds, and its slips ----------------------------------------
def _t975(df):
    from scipy.stats import t

    return float(t.ppf(0.975, df))


def _paired(a, b):
    d = a - b
    return _t975(len(d) - 1) * float(d.std()) / len(d) ** 0.5


PAIRED = {
    "unpaired": lambda a, b: _t975(len(a) - 1) * math.sqrt((float(a.var()) + float(b.var())) / len(a)),
    "sum_of_halfwidths": lambda a, b: _t975(len(a) - 1) * (float(a.std()) + float(b.std())) / len(a) ** 0.5,
    "z_quantile": lambda a, b: 1.96 * float((a - b).std()) / len(a) ** 0.5,
    "ddof0": lambda a, b: _t975(len(a) - 1) * float((a - b).std(unbiased=False)) / len(a) ** 0.5,
    "no_sqrt_n": lambda a, b: _t975(len(a) - 1) * float((a - b).std()),
}


def test_paired_interval_right_answer_passes_and_matches_lecture_06():
    assert ex.check_paired_interval(_paired, verbose=False, lang="en"), ex.last_result().message
    # lecture 06's table: eta = 0.5 - eta = 0 at S = 20 is +1.68 ± 1.40 (MMD^2 x 1000) from the cached per-seed values
    from ddim_teach.experiments import tables

    res = tables.load_table1()
    j = res.S_list.index(20)
    a, b = (1e3 * torch.tensor(res.mmd[k][j], dtype=torch.float64) for k in ("0.5", "0"))
    assert abs(float((a - b).mean()) - 1.68) < 0.005 and abs(_paired(a, b) - 1.40) < 0.005


@pytest.mark.parametrize("code", list(PAIRED))
def test_paired_interval_slips_are_named(code):
    assert ex.check_paired_interval(PAIRED[code], verbose=False, lang="ko") is False
    assert ex.last_result().mistake == code, ex.last_result().message
    assert ex._hint("paired_interval", code, "ko") in ex.last_result().message
