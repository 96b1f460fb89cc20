"""Checkers for the lectures' exercises: a student writes a function, a checker compares it with the package.

Each checker takes the student's function, runs it on random inputs (fixed seed, so a notebook prints
the same feedback every time), compares every output with the package's reference, prints feedback
in the current language (``ddim_teach.set_language``) and returns ``True`` or ``False``.

    check_ddim_sigma(fn)       fn(alpha_bar, alpha_bar_prev, eta) -> σ                       (DDIM Eq. 16)
    check_ddim_step(fn)        fn(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None)
                                   -> (x_prev, x0_pred)                                    (DDIM Eq. 9, 12)
    check_posterior_mean(fn)   fn(x_0, x_t, alpha_bar, alpha_bar_prev) -> μ̃_t            (DDPM Eq. 7)
    check_timesteps(fn)        fn(T, S) -> descending τ, the "leading" spacing
    check_x0_pred(fn)          fn(x_t, eps, alpha_bar) or fn(x_t, eps, schedule, t) -> x̂₀   (DDIM Eq. 9)
    check_alpha_bar(fn)        fn(betas) -> ᾱ, the cumulative product of 1 - β
    check_paired_interval(fn)  fn(row_a, row_b) -> the 95% half-width of a paired difference (lecture 06)

How a mistake is named: the checker also computes the known-wrong variants of each formula (ᾱ_t where
ᾱ_{t-1} belongs, σ for σ², a missing square root, ...). When the student's outputs match one variant on
every case, the hint names that mistake. ``last_result()`` returns the last check as a ``CheckResult``
whose ``mistake`` is the variant's code (``MISTAKES`` lists them), or a failure kind such as
``"raised"``, ``"nan"``, ``"shape"``.

A student's exception never escapes: a function that raises fails with a message naming the exception.

``solution(name)`` returns the source of a short reference solution written for students, for a lecture
to reveal on demand; ``print(solution("ddim_sigma"))`` shows it.

Four modules: this one holds each exercise's cases, wrong variants and checker; ``exercise_checks`` the
engine that runs a student's function and words the verdict; ``exercise_stats`` lecture 06's paired
interval; ``exercise_solutions`` the solutions. The texts are in ``ddim_teach/messages/exercises.toml``.
Every name above is importable from here.

Inputs: the σ/step/posterior/x̂₀ checkers pass ᾱ both as Python floats and as float64 tensors that
broadcast against x (shape (B, 1, ...)), since the package's functions accept both. Schedules: linear,
cosine and scaled_linear with T = 1000 (the posterior also a 10-step schedule with large β, where ᾱ_t and
ᾱ_{t−1} differ enough to tell every mistake apart). Timestep pairs for σ and the step: consecutive
(t → t−1), 20- and 100-step jumps of the leading τ, and the last step t → 0 (ᾱ_{t−1} = 1); η ∈ {0, 0.5, 1}.
Only the ordinary denoising direction ᾱ_{t−1} > ᾱ_t is checked.
"""
from __future__ import annotations

import functools
import inspect
import math

import numpy as np
import torch

# the references are the package's public functions, taken from the package namespace so that they
# follow wherever the package keeps them (the package itself does not import this module)
from .. import i18n
from ..core.forward import q_posterior_mean_variance
from ..core.schedule import make_schedule
from ..core.step import ddim_sigma as _ref_ddim_sigma
from ..core.step import ddim_step as _ref_ddim_step
from ..core.timesteps import make_timesteps
from .exercise_checks import (  # noqa: F401  (RTOL, ATOL, CheckResult: importable from here, as before)
    _F64, _SCHEDULE_KINDS, _SHORT, _T, ATOL, RTOL, CheckResult, _batch_describer, _batch_meta, _Case,
    _col, _describe_pair, _evaluate, _fmt_num, _hint, _NoValue, _Out, _as_part, _as_tensor, _pair_meta, _run,
    _schedule, _t, _undefined, last_result,
)
from .exercise_solutions import SOLUTIONS, SolutionText, solution, solution_function  # noqa: F401
from .exercise_stats import PAIRED_MISTAKES, check_paired_interval


__all__ = [
    "check_ddim_sigma",
    "check_ddim_step",
    "check_posterior_mean",
    "check_timesteps",
    "check_paired_interval",
    "check_x0_pred",
    "check_alpha_bar",
    "solution",
    "SOLUTIONS",
    "solution_function",
    "last_result",
    "CheckResult",
    "MISTAKES",
]


# ---- the recognised mistakes ------------------------------------------------------------------------------
# Each code names a wrong variant built beside its exercise's reference below, and a hint in the catalog
# (ex_hint_<exercise>_<code>). The checker tries them in this order and names the first that matches every
# case. A step built on a wrong σ is "sigma:<the code of check_ddim_sigma>".
# (σ = η√(1−ᾱ_{t−1}) is left out of the step: at η = 1 it makes 1 − ᾱ_{t−1} − σ² exactly 0, whose round-off
# sign decides NaN)
_SIGMA_STEP_CODES = ("no_first_factor", "ratio_inverted", "variance", "no_sqrt", "no_sqrt_first", "no_sqrt_second",
                     "eta_inside", "second_swapped")

MISTAKES: dict[str, tuple[str, ...]] = {
    "ddim_sigma": ("ratio_inverted", "second_swapped", "no_first_factor", "variance", "no_sqrt", "no_sqrt_first",
                   "no_sqrt_second", "eta_inside", "alpha_abar", "eta_squared", "no_eta", "one_minus_eta"),
    "ddim_step": ("swapped_outputs", "x0_alpha_for_abar", "x0_prev_for_abar", "x0_no_sqrt", "x0_no_sqrt_num",
                  "x0_no_sqrt_den", "x0_sign", "both_abar", "coef_abar", "dir_abar", "dir_no_sigma", "dir_sigma",
                  "noise_sigma_sq", "coef_no_sqrt", "dir_no_sqrt", "no_noise", "noise_eta", "dir_sigma_no_eta")
    + tuple("sigma:" + c for c in _SIGMA_STEP_CODES),
    "posterior_mean": ("swapped_coefs", "abar_swapped", "coef1_sqrt_abar", "coef2_sqrt_abar", "beta_as_abar",
                       "alpha_in_denominator", "prev_in_denominator", "no_sqrt", "coef1_no_sqrt", "coef2_no_sqrt",
                       "xt_sign", "second_form_sigma"),
    "paired_interval": PAIRED_MISTAKES,
    "timesteps": ("ascending", "one_based", "minus_one", "inclusive_end", "range_len", "float_step", "round_step",
                  "shifted_up", "linspace", "trailing"),
    "x0_pred": ("alpha_for_abar", "prev_for_abar", "next_for_abar", "no_sqrt", "no_sqrt_num", "no_sqrt_den",
                "roles_swapped", "sign", "times"),
    "alpha_bar": ("returns_alpha", "shift_prev", "cumprod_beta", "one_minus_cumsum", "sqrt", "one_minus"),
}
# (the catalog has a few more hints, found from the output itself when no variant matches: _explain_ts,
# _explain_alpha_bar, and the σ hint quoted by a step built on a wrong σ)


# ---- σ (Eq. 16) -------------------------------------------------------------------------------------------
def _sigma_makers(A, P, eta) -> dict:
    """σ and its known-wrong variants as zero-argument functions."""
    def f():
        return (1 - P) / (1 - A)

    def r():
        return 1 - A / P

    return {
        "ref": lambda: eta * f() ** 0.5 * r() ** 0.5,
        "ratio_inverted": lambda: eta * ((1 - A) / (1 - P)) ** 0.5 * r() ** 0.5,
        "second_swapped": lambda: eta * f() ** 0.5 * (1 - P / A) ** 0.5,
        "no_first_factor": lambda: eta * r() ** 0.5,
        "variance": lambda: eta**2 * f() * r(),
        "no_sqrt": lambda: eta * f() * r(),
        "no_sqrt_first": lambda: eta * f() * r() ** 0.5,
        "no_sqrt_second": lambda: eta * f() ** 0.5 * r(),
        "eta_inside": lambda: (eta * f() * r()) ** 0.5,
        "alpha_abar": lambda: eta * (1 - P) ** 0.5,
        "eta_squared": lambda: eta**2 * f() ** 0.5 * r() ** 0.5,
        "no_eta": lambda: f() ** 0.5 * r() ** 0.5,
        "one_minus_eta": lambda: (1 - eta) * f() ** 0.5 * r() ** 0.5,
    }


def _sigma_forms(A, P, eta) -> tuple[dict, frozenset]:
    shape = tuple(A.shape) if isinstance(A, torch.Tensor) else ()
    values = _evaluate(_sigma_makers(A, P, eta))
    return {k: (_as_part(v, shape),) for k, v in values.items()}, frozenset(k for k, v in values.items() if _undefined(v))


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _sigma_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for m in _pair_meta(gen):
        ref = torch.as_tensor(_ref_ddim_sigma(m["a"], m["p"], m["eta"]), dtype=_F64)
        forms, undefined = _sigma_forms(m["a"], m["p"], m["eta"])
        cases.append(_Case(args=(m["a"], m["p"], m["eta"]), ref=(ref,), undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, m=m: _describe_pair(m, lang, "float"),
                           kind="float", eta=m["eta"]))
    for eta in (0.5, 1.0):
        metas = _batch_meta(gen, 9)
        A, P = _col([m["a"] for m in metas], 1), _col([m["p"] for m in metas], 1)
        ref = torch.as_tensor(_ref_ddim_sigma(A, P, eta), dtype=_F64)
        forms, undefined = _sigma_forms(A, P, eta)
        cases.append(_Case(args=(A, P, eta), ref=(ref,), variants={k: v for k, v in forms.items() if k != "ref"},
                           undefined=undefined,
                           describe=_batch_describer(metas, 1, "tensor", eta), kind="tensor", eta=eta,
                           arg_names=("alpha_bar", "alpha_bar_prev", "eta")))
    return cases


def check_ddim_sigma(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(alpha_bar, alpha_bar_prev, eta) -> sigma``, DDIM's Eq. 16:

        σ = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})

    ``alpha_bar`` (ᾱ_t) and ``alpha_bar_prev`` (ᾱ_{t−1}, the next entry of τ; 1 at the last step) come
    as Python floats and as float64 tensors of the same shape; ``eta`` is a float in [0, 1]. Return σ
    as a float (for float input) or a tensor of the inputs' shape.

    Prints feedback (in the language of ``ddim_teach.set_language``) and returns True or False; a hint
    names a recognised mistake (``last_result().mistake`` is its code, see ``MISTAKES["ddim_sigma"]``).
    ``verbose=False`` prints nothing; ``lang`` overrides the language; ``seed`` picks other random cases.
    """
    return _run("ddim_sigma", "ddim_sigma", fn, _sigma_cases(seed), lang=lang, verbose=verbose,
                mistakes=MISTAKES["ddim_sigma"], what_key="ex_what_pairs",
                signature="fn(alpha_bar, alpha_bar_prev, eta)")


# ---- one DDIM step (Eq. 9, 12) ----------------------------------------------------------------------------
def _step_forms(X, E, A, P, eta, Z) -> tuple[dict, frozenset]:
    """(x_prev, x0_pred) and the known-wrong variants; None marks an output a variant does not constrain."""
    sigmas = _evaluate(_sigma_makers(A, P, eta))
    s = sigmas["ref"]
    z = Z if (Z is not None and eta > 0) else torch.zeros_like(X)
    x0 = (X - (1 - A) ** 0.5 * E) / A**0.5

    def x_prev(coef_x0=None, dir2=None, noise=None, dir_sqrt=True, sigma=s):
        coef_x0 = P**0.5 if coef_x0 is None else coef_x0
        dir2 = 1 - P - sigma**2 if dir2 is None else dir2
        noise = sigma if noise is None else noise
        return coef_x0 * x0 + (dir2**0.5 if dir_sqrt else dir2) * E + noise * z

    alpha = A / P
    makers = {
        "ref": lambda: (x_prev(), x0),
        "swapped_outputs": lambda: (x0, x_prev()),
        "x0_alpha_for_abar": lambda: (None, (X - (1 - alpha) ** 0.5 * E) / alpha**0.5),
        "x0_prev_for_abar": lambda: (None, (X - (1 - P) ** 0.5 * E) / P**0.5),
        "x0_no_sqrt": lambda: (None, (X - (1 - A) * E) / A),
        "x0_no_sqrt_num": lambda: (None, (X - (1 - A) * E) / A**0.5),
        "x0_no_sqrt_den": lambda: (None, (X - (1 - A) ** 0.5 * E) / A),
        "x0_sign": lambda: (None, (X + (1 - A) ** 0.5 * E) / A**0.5),
        "both_abar": lambda: (x_prev(coef_x0=A**0.5, dir2=1 - A - s**2), x0),
        "coef_abar": lambda: (x_prev(coef_x0=A**0.5), x0),
        "dir_abar": lambda: (x_prev(dir2=1 - A - s**2), x0),
        "dir_no_sigma": lambda: (x_prev(dir2=1 - P), x0),
        "dir_sigma": lambda: (x_prev(dir2=1 - P - s), x0),
        "noise_sigma_sq": lambda: (x_prev(noise=s**2), x0),
        "coef_no_sqrt": lambda: (x_prev(coef_x0=P), x0),
        "dir_no_sqrt": lambda: (x_prev(dir_sqrt=False), x0),
        "no_noise": lambda: (x_prev(noise=0 * s), x0),
        "noise_eta": lambda: (x_prev(noise=eta + 0 * s), x0),
        "dir_sigma_no_eta": lambda: (x_prev(dir2=1 - P - (1 - P) / (1 - A) * (1 - A / P)), x0),
    }
    for code in _SIGMA_STEP_CODES:  # a step built on a wrong σ (Eq. 16)
        sc = sigmas[code]
        makers["sigma:" + code] = (lambda sc=sc: (x_prev(sigma=sc), x0)) if sc is not _NoValue else (lambda: 1 / 0)
    values = _evaluate(makers)
    undefined = frozenset(k for k, v in values.items() if _undefined(v)) | frozenset(
        "sigma:" + k for k in _SIGMA_STEP_CODES if _undefined(sigmas[k]))
    return _step_outputs(values, tuple(X.shape)), undefined


def _step_outputs(values: dict, shape: tuple) -> dict:
    """Each variant's (x_prev, x0_pred) as float64 tensors of x's shape; None stays None (not constrained)."""
    out = {}
    for code, v in values.items():
        if v is _NoValue:  # a float division by zero: no value for either output
            out[code] = (torch.full(shape, math.inf, dtype=_F64),) * 2
        else:
            out[code] = tuple(None if q is None else _as_part(q, shape) for q in v)
    return out


def _step_inputs(gen, shape, A, P):
    x0 = torch.randn(shape, generator=gen, dtype=_F64)
    eps_true = torch.randn(shape, generator=gen, dtype=_F64)
    A_t = torch.as_tensor(A, dtype=_F64)
    x_t = A_t.sqrt() * x0 + (1 - A_t).sqrt() * eps_true
    eps = eps_true + 0.3 * torch.randn(shape, generator=gen, dtype=_F64)  # an imperfect ε̂, as a network gives
    z = torch.randn(shape, generator=gen, dtype=_F64)
    return x_t, eps, z


_STEP_ARGS = ("x_t", "eps", "alpha_bar", "alpha_bar_prev", "eta", "noise")


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _step_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for m in _pair_meta(gen):
        x_t, eps, z = _step_inputs(gen, (6, 2), m["a"], m["p"])
        noise = z if m["eta"] > 0 else None
        x_prev, x0_pred = _ref_ddim_step(x_t, eps, m["a"], m["p"], eta=m["eta"], noise=noise)
        forms, undefined = _step_forms(x_t, eps, m["a"], m["p"], m["eta"], noise)
        cases.append(_Case(args=(x_t, eps, m["a"], m["p"], m["eta"], noise), ref=(x_prev.to(_F64), x0_pred.to(_F64)),
                           undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, m=m: _describe_pair(m, lang, "float"),
                           kind="float", eta=m["eta"], arg_names=_STEP_ARGS))
    shape = (6, 1, 3, 3)
    for eta in (0.0, 0.5, 1.0):
        metas = _batch_meta(gen, shape[0])
        A, P = _col([m["a"] for m in metas], 4), _col([m["p"] for m in metas], 4)
        x_t, eps, z = _step_inputs(gen, shape, A, P)
        noise = z if eta > 0 else None
        x_prev, x0_pred = _ref_ddim_step(x_t, eps, A, P, eta=eta, noise=noise)
        forms, undefined = _step_forms(x_t, eps, A, P, eta, noise)
        cases.append(_Case(args=(x_t, eps, A, P, eta, noise), ref=(x_prev.to(_F64), x0_pred.to(_F64)),
                           undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=_batch_describer(metas, 9, "tensor", eta), kind="tensor", eta=eta,
                           arg_names=_STEP_ARGS))
    return cases


def _step_hint_fields(code: str, lang: str) -> dict:
    if code.startswith("sigma:"):
        return {"sigma_hint": _hint("ddim_sigma", code.split(":", 1)[1], lang)}
    return {}


def check_ddim_step(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None) -> (x_prev, x0_pred)``, one DDIM step:

        x̂₀     = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t                                        (Eq. 9)
        σ      = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})           (Eq. 16)
        x_{t−1} = √ᾱ_{t−1} x̂₀ + √(1 − ᾱ_{t−1} − σ²) ε + σ z                        (Eq. 12)

    ``x_t``, ``eps`` (the predicted ε) and ``noise`` (z) are float64 tensors of one shape, (6, 2) or
    (6, 1, 3, 3); ``alpha_bar``/``alpha_bar_prev`` come as Python floats and as tensors of shape
    (6, 1, 1, 1) that broadcast against x; ``noise`` is None when ``eta`` is 0. The arguments are passed
    by position. Return the pair (x_prev, x0_pred), each of x_t's shape, without changing the inputs.

    Prints feedback and returns True or False; ``last_result().mistake`` is the code of a recognised
    mistake (``MISTAKES["ddim_step"]``; a step built on a wrong σ is ``"sigma:<code of check_ddim_sigma>"``).
    """
    return _run("ddim_step", "ddim_step", fn, _step_cases(seed), lang=lang, verbose=verbose,
                mistakes=MISTAKES["ddim_step"], what_key="ex_what_pairs", part_names=("x_prev", "x0_pred"),
                hint_fields=_step_hint_fields,
                signature="fn(x_t, eps, alpha_bar, alpha_bar_prev, eta, noise)")


# ---- the posterior mean (DDPM Eq. 7) ----------------------------------------------------------------------
def _posterior_forms(X0, XT, A, P) -> dict:
    A, P = torch.as_tensor(A, dtype=_F64), torch.as_tensor(P, dtype=_F64)
    sq = torch.sqrt

    def mean(a, p, beta=None, denom1=None, denom2=None, c1_root=sq, c2_root=sq, c2_alpha=None, swap=False):
        alpha = a / p
        beta = 1 - alpha if beta is None else beta
        d1 = 1 - a if denom1 is None else denom1
        d2 = 1 - a if denom2 is None else denom2
        c1 = c1_root(p) * beta / d1
        c2 = c2_root(alpha if c2_alpha is None else c2_alpha) * (1 - p) / d2
        return (c2 * X0 + c1 * XT) if swap else (c1 * X0 + c2 * XT)

    ident = lambda v: v  # noqa: E731
    alpha = A / P
    return {
        "ref": mean(A, P),
        "swapped_coefs": mean(A, P, swap=True),
        "abar_swapped": mean(P, A),
        "coef1_sqrt_abar": sq(A) * (1 - alpha) / (1 - A) * X0 + sq(alpha) * (1 - P) / (1 - A) * XT,
        "coef2_sqrt_abar": mean(A, P, c2_alpha=A),
        "beta_as_abar": mean(A, P, beta=1 - A),
        "alpha_in_denominator": mean(A, P, denom1=1 - alpha, denom2=1 - alpha),
        "prev_in_denominator": mean(A, P, denom1=1 - P, denom2=1 - P),
        "no_sqrt": mean(A, P, c1_root=ident, c2_root=ident),
        "coef1_no_sqrt": mean(A, P, c1_root=ident),
        "coef2_no_sqrt": mean(A, P, c2_root=ident),
        "xt_sign": mean(A, P) - 2 * mean(A, P, beta=0 * alpha),
        "second_form_sigma": sq(P) * X0 + sq(1 - P - sq((1 - P) / (1 - A) * (1 - alpha))) * (XT - sq(A) * X0) / sq(1 - A),
    }


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _posterior_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    names = ("x_0", "x_t", "alpha_bar", "alpha_bar_prev")
    cases = []
    for kind in _SCHEDULE_KINDS + (_SHORT,):
        sch = _schedule(kind)
        for _ in range(3 if kind != _SHORT else 2):
            k = int(torch.randint(1, sch.T, (1,), generator=gen))
            a, p = float(sch.alphas_cumprod[k]), float(sch.alphas_cumprod_prev[k])
            x0 = torch.randn(5, 2, generator=gen, dtype=_F64)
            x_t = a**0.5 * x0 + (1 - a) ** 0.5 * torch.randn(5, 2, generator=gen, dtype=_F64)
            ref, _ = q_posterior_mean_variance(sch, x0, x_t, k)
            forms = _posterior_forms(x0, x_t, a, p)
            m = dict(sched=kind, k=k, a=a, p=p)
            cases.append(_Case(args=(x0, x_t, a, p), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                               describe=lambda lang, idx, m=m: _t("ex_where_post", lang, a=_fmt_num(m["a"]), p=_fmt_num(m["p"]),
                                                                  sched=m["sched"], t=m["k"] + 1,
                                                                  kind=_t("ex_kind_float", lang)),
                               kind="float", arg_names=names))
    for kind in ("linear", "cosine", _SHORT):
        sch = _schedule(kind)
        ks = torch.randint(1, sch.T, (6,), generator=gen)
        A, P = sch.alphas_cumprod[ks].reshape(6, 1), sch.alphas_cumprod_prev[ks].reshape(6, 1)
        x0 = torch.randn(6, 2, generator=gen, dtype=_F64)
        x_t = A.sqrt() * x0 + (1 - A).sqrt() * torch.randn(6, 2, generator=gen, dtype=_F64)
        ref, _ = q_posterior_mean_variance(sch, x0, x_t, ks)
        forms = _posterior_forms(x0, x_t, A, P)
        metas = [dict(sched=kind, k=int(k), a=float(a), p=float(p)) for k, a, p in zip(ks, A.reshape(-1), P.reshape(-1))]
        cases.append(_Case(args=(x0, x_t, A, P), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                           describe=_batch_describer(metas, 2, "tensor", key="ex_where_post"), kind="tensor",
                           arg_names=names))
    return cases


def check_posterior_mean(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(x_0, x_t, alpha_bar, alpha_bar_prev) -> mean``, the mean μ̃_t of q(x_{t−1} | x_t, x_0):

        μ̃_t = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x_0  +  √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t      (DDPM Eq. 7)

    with the one-step α_t = ᾱ_t / ᾱ_{t−1} and β_t = 1 − α_t. ``alpha_bar`` and ``alpha_bar_prev`` are the
    schedule's ᾱ at two consecutive steps t and t−1 (t from 2 to 1000), as Python floats and as float64
    tensors of shape (B, 1); ``x_0`` and ``x_t`` are float64 tensors of shape (B, 2). Return a tensor of
    x_t's shape. The reference is ``ddim_teach.q_posterior_mean_variance``.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["posterior_mean"]``).
    """
    return _run("posterior_mean", "posterior_mean", fn, _posterior_cases(seed), lang=lang, verbose=verbose,
                mistakes=MISTAKES["posterior_mean"], what_key="ex_what_post",
                signature="fn(x_0, x_t, alpha_bar, alpha_bar_prev)")


# ---- the τ sub-sequence ------------------------------------------------------------------------------------
_TS_CASES = ((1000, 10), (1000, 50), (1000, 30), (100, 7), (10, 3), (1000, 1), (50, 50), (1000, 1000))


def _ts_forms(T: int, S: int) -> dict:
    k = T // S
    ref = make_timesteps(T, S, "leading").tolist()
    t = lambda seq: (torch.tensor(list(seq), dtype=_F64),)  # noqa: E731
    return {
        "ref": t(ref),
        "ascending": t(ref[::-1]),
        "one_based": t(v + 1 for v in ref),
        "minus_one": t(v - 1 for v in ref),
        "inclusive_end": t(list(range(0, T + 1, k))[::-1]),
        "range_len": t(list(range(0, T, k))[::-1]),
        "float_step": t([int(i * T / S) for i in range(S)][::-1]),
        "round_step": t([round(i * T / S) for i in range(S)][::-1]),
        "shifted_up": t([(i + 1) * k for i in range(S)][::-1]),
        "linspace": t(make_timesteps(T, S, "linspace").tolist()),
        "trailing": t(make_timesteps(T, S, "trailing").tolist()),
    }


@functools.lru_cache(maxsize=1)
def _ts_cases() -> list[_Case]:
    cases = []
    for T, S in _TS_CASES:
        forms = _ts_forms(T, S)
        cases.append(_Case(args=(T, S), ref=forms["ref"], variants={c: v for c, v in forms.items() if c != "ref"},
                           describe=lambda lang, idx, T=T, S=S: _t("ex_where_ts", lang, T=T, S=S), kind="other"))
    return cases


def _normalise_ts(out, case: _Case, lang: str) -> _Out:
    if isinstance(out, (int, float, np.integer, np.floating)) or out is None or isinstance(out, str):
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_sequence_expected", lang)))
    try:
        arr = out.detach().cpu().numpy() if isinstance(out, torch.Tensor) else np.asarray(list(out))
    except Exception:
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_sequence_expected", lang)))
    if arr.ndim != 1 and arr.size > 0:
        return _Out("bad", code="shape", text=_t("ex_bad_shape", lang, where=case.describe(lang, None),
                                                 got=tuple(arr.shape), want=tuple(case.ref[0].shape)))
    if arr.size and not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=f"{type(out).__name__} of {arr.dtype}",
                                                expected=_t("ex_sequence_expected", lang)))
    if arr.size and np.issubdtype(arr.dtype, np.floating):
        return _Out("bad", code="floats", text=_hint("timesteps", "floats", lang))
    return _Out("ok", parts=(torch.as_tensor(arr.astype(np.int64)).to(_F64),))


def _explain_ts(case: _Case, out: _Out, lang: str):
    T, S = case.args
    got = [int(v) for v in out.parts[0].tolist()]
    want = [int(v) for v in case.ref[0].tolist()]
    if len(got) != S:
        return "wrong_count", _hint("timesteps", "wrong_count", lang, T=T, S=S, n=len(got))
    if any(a <= b for a, b in zip(got, got[1:])):
        return "not_descending", _hint("timesteps", "not_descending", lang, T=T, S=S)
    if min(got) < 0 or max(got) > T - 1:
        return "out_of_range", _hint("timesteps", "out_of_range", lang, Tm1=T - 1, lo=min(got), hi=max(got))
    if got[-1] != 0:
        return "not_ending_at_zero", _hint("timesteps", "not_ending_at_zero", lang, v=got[-1])
    i = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
    return "values", _hint("timesteps", "values", lang, i=i, T=T, S=S, want=want[i], got=got[i])


def check_timesteps(fn, *, lang: str | None = None, verbose: bool = True) -> bool:
    """Check ``fn(T, S) -> tau``: the S timesteps that DDIM visits out of T, "leading" spacing, descending:

        k = T // S,     τ = [(S−1)·k, (S−2)·k, …, k, 0]      (0-based table indices; paper's t = index + 1)

    ``T`` and ``S`` are ints with 1 ≤ S ≤ T. Return a list, numpy array or tensor of S ints. The reference
    is ``ddim_teach.make_timesteps(T, S, "leading")``.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["timesteps"]``) or what is wrong with the output ("wrong_count", "not_descending",
    "out_of_range", "not_ending_at_zero", "values", "floats").
    """
    return _run("timesteps", "timesteps", fn, _ts_cases(), lang=lang, verbose=verbose,
                mistakes=MISTAKES["timesteps"], what_key="ex_what_ts", signature="fn(T, S)",
                normalise=lambda out, case: _normalise_ts(out, case, i18n.get_language() if lang is None else lang),
                explain=_explain_ts, rtol=0.0, atol=0.0)


# ---- x̂₀ (Eq. 9) -------------------------------------------------------------------------------------------
def _x0_forms(X, E, A) -> dict:
    A = torch.as_tensor(A, dtype=_F64)
    sq = torch.sqrt
    return {
        "ref": (X - sq(1 - A) * E) / sq(A),
        "no_sqrt": (X - (1 - A) * E) / A,
        "no_sqrt_num": (X - (1 - A) * E) / sq(A),
        "no_sqrt_den": (X - sq(1 - A) * E) / A,
        "roles_swapped": (X - sq(A) * E) / sq(1 - A),
        "sign": (X + sq(1 - A) * E) / sq(A),
        "times": sq(A) * (X - sq(1 - A) * E),
    }


def _x0_reference(x_t, eps, a):
    # Eq. 9 as the package computes it inside ddim_step (the step to ᾱ_prev = 1 returns x̂₀ twice)
    return _ref_ddim_step(x_t, eps, a, torch.ones_like(a) if isinstance(a, torch.Tensor) else 1.0, eta=0.0)[1].to(_F64)


def _x0_case(gen: torch.Generator, kind: str, form: str) -> _Case:
    """One case at a random t of schedule ``kind``: ᾱ_t as a float, or (form "schedule") the schedule and t."""
    sch = _schedule(kind)
    k = int(torch.randint(1, _T - 1, (1,), generator=gen))
    a = float(sch.alphas_cumprod[k])
    x_t, eps, _ = _step_inputs(gen, (5, 2), a, None)
    ref = _x0_reference(x_t, eps, a)
    forms = {c: (v,) for c, v in _x0_forms(x_t, eps, a).items() if c != "ref"}
    m = dict(sched=kind, k=k, a=a)
    if form == "schedule":  # the function looks ᾱ_t up itself: a wrong table or index is a variant too
        forms["alpha_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas[k]))["ref"],)
        forms["prev_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas_cumprod_prev[k]))["ref"],)
        forms["next_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas_cumprod[k + 1]))["ref"],)
        return _Case(args=(x_t, eps, sch, k), ref=(ref,), variants=forms, kind="other",
                     describe=lambda lang, idx, m=m: _t("ex_where_x0_schedule", lang, sched=m["sched"],
                                                        k=m["k"], t=m["k"] + 1),
                     arg_names=("x_t", "eps"))
    return _Case(args=(x_t, eps, a), ref=(ref,), variants=forms, kind="float",
                 describe=lambda lang, idx, m=m: _t("ex_where_x0", lang, a=_fmt_num(m["a"]),
                                                    sched=m["sched"], t=m["k"] + 1,
                                                    kind=_t("ex_kind_float", lang)),
                 arg_names=("x_t", "eps"))


def _x0_batch_case(gen: torch.Generator, kind: str) -> _Case:
    """Six random t of schedule ``kind`` at once: ᾱ_t as a (6, 1) tensor."""
    sch = _schedule(kind)
    ks = torch.randint(1, _T - 1, (6,), generator=gen)
    A = sch.alphas_cumprod[ks].reshape(6, 1)
    x_t, eps, _ = _step_inputs(gen, (6, 2), A, None)
    ref = _x0_reference(x_t, eps, A)
    metas = [dict(sched=kind, k=int(k), a=float(a), p=float("nan")) for k, a in zip(ks, A.reshape(-1))]
    describe = lambda lang, idx, metas=metas: (lambda m: _t(  # noqa: E731
        "ex_where_x0", lang, a=_fmt_num(m["a"]), sched=m["sched"], t=m["k"] + 1,
        kind=_t("ex_kind_tensor", lang)))(metas[0 if idx is None else idx // 2])
    return _Case(args=(x_t, eps, A), ref=(ref,),
                 variants={c: (v,) for c, v in _x0_forms(x_t, eps, A).items() if c != "ref"},
                 describe=describe, kind="tensor", arg_names=("x_t", "eps", "alpha_bar"))


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _x0_cases(seed: int, form: str) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)  # one generator, drawn in this order: the cases stay the same
    cases = [_x0_case(gen, kind, form) for kind in _SCHEDULE_KINDS for _ in range(3)]
    if form == "alpha_bar":
        cases += [_x0_batch_case(gen, kind) for kind in ("linear", "cosine")]
    return cases


def check_x0_pred(fn, *, form: str | None = None, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check a function for the predicted x̂₀ of DDIM's Eq. 9:  x̂₀ = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t.

    Two forms; the checker picks by the number of parameters (or pass ``form=``):

    * ``form="alpha_bar"``: ``fn(x_t, eps, alpha_bar) -> x0_pred``, with ``alpha_bar`` a Python float or
      a float64 tensor of shape (B, 1) that broadcasts against ``x_t`` (B, 2).
    * ``form="schedule"``: ``fn(x_t, eps, schedule, t) -> x0_pred``, with a ``Schedule`` and the 0-based
      table index ``t`` (an int; the paper's t is t + 1). The function looks ᾱ_t up itself, so this form
      also catches ``schedule.alphas[t]`` (α for ᾱ) and off-by-one indices.

    Return a tensor of x_t's shape. Prints feedback and returns True or False; ``last_result().mistake``
    names a recognised mistake (``MISTAKES["x0_pred"]``).
    """
    if form is None:
        try:
            params = [p for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
            form = "schedule" if len(params) == 4 else "alpha_bar"
        except (TypeError, ValueError):
            form = "alpha_bar"
    if form not in ("alpha_bar", "schedule"):
        raise ValueError(f"form must be 'alpha_bar' or 'schedule', got {form!r}")
    what = "ex_what_x0_schedule" if form == "schedule" else "ex_what_x0"
    sig = "fn(x_t, eps, schedule, t)" if form == "schedule" else "fn(x_t, eps, alpha_bar)"
    return _run("x0_pred", "x0_pred", fn, _x0_cases(seed, form), lang=lang, verbose=verbose,
                mistakes=MISTAKES["x0_pred"], what_key=what, signature=sig)


# ---- ᾱ from β ---------------------------------------------------------------------------------------------
def _alpha_bar_forms(betas: torch.Tensor) -> dict:
    ab = torch.cumprod(1 - betas, 0)
    one = torch.ones(1, dtype=_F64)
    return {
        "ref": ab,
        "returns_alpha": 1 - betas,
        "shift_prev": torch.cat([one, ab[:-1]]),
        "cumprod_beta": torch.cumprod(betas, 0),
        "one_minus_cumsum": 1 - torch.cumsum(betas, 0),
        "sqrt": ab.sqrt(),
        "one_minus": 1 - ab,
    }


def _explain_alpha_bar(case: _Case, out: _Out, lang: str):
    got, want = out.parts[0], case.ref[0]
    T = want.shape[0]
    if got.ndim == 0 or got.numel() == 1:
        return "total_product", _hint("alpha_bar", "total_product", lang)
    if got.ndim == 1 and got.shape[0] == T + 1 and abs(float(got[0]) - 1) < 1e-12:
        return "prepended_one", _hint("alpha_bar", "prepended_one", lang)
    if tuple(got.shape) != (T,):
        return "wrong_length", _hint("alpha_bar", "wrong_length", lang, T=T,
                                     n=got.shape[0] if got.ndim == 1 else tuple(got.shape))
    return None


def _normalise_alpha_bar(out, case: _Case, lang: str) -> _Out:
    t, was_complex = _as_tensor(out)
    if t is None:
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_number_expected", lang)))
    return _Out("ok", parts=(t,), complex_=was_complex)


def check_alpha_bar(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(betas) -> alphas_cumprod``: ᾱ_t = ∏_{s ≤ t} (1 − β_s), one value per step.

    ``betas`` is a 1-D float64 tensor of length T (linear, cosine and scaled_linear tables of T = 1000,
    and a short random one); return a tensor (or array) of the same length. The reference is
    ``make_schedule(...).alphas_cumprod``. Prints feedback and returns True or False;
    ``last_result().mistake`` names a recognised mistake (``MISTAKES["alpha_bar"]``) or a wrong shape
    ("prepended_one", "wrong_length", "total_product").
    """
    return _run("alpha_bar", "alpha_bar", fn, _alpha_bar_cases(seed), lang=lang, verbose=verbose,
                mistakes=MISTAKES["alpha_bar"], what_key="ex_what_betas", signature="fn(betas)",
                normalise=lambda out, case: _normalise_alpha_bar(out, case, lang or i18n.get_language()),
                explain=_explain_alpha_bar)


@functools.lru_cache(maxsize=8)
def _alpha_bar_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    tables = [(kind, _schedule(kind).betas) for kind in _SCHEDULE_KINDS]
    tables.append(("random", 0.01 + 0.29 * torch.rand(8, generator=gen, dtype=_F64)))
    cases = []
    for kind, betas in tables:
        ref = make_schedule("custom", betas=betas).alphas_cumprod
        forms = _alpha_bar_forms(betas)
        cases.append(_Case(args=(betas,), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                           describe=lambda lang, idx, kind=kind, T=len(betas): _t("ex_where_betas", lang, sched=kind, T=T),
                           kind="other", arg_names=("betas",)))
    return cases
