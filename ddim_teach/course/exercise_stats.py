"""The checker of lecture 06's exercise: a paired interval over shared seeds (statistics, not a DDIM formula).

    check_paired_interval(fn)  fn(row_a, row_b) -> the 95% half-width of the mean per-seed difference

It runs on the engine of ``exercise_checks`` like the other checkers and is importable from
``ddim_teach.course.exercises``, whose ``MISTAKES["paired_interval"]`` is ``PAIRED_MISTAKES``.
"""
from __future__ import annotations

import functools

import torch

from .exercise_checks import _F64, _Case, _run, _t

__all__ = ["check_paired_interval", "PAIRED_MISTAKES"]

# the recognised mistakes, in the order they are tried (their hints: ex_hint_paired_interval_<code>)
PAIRED_MISTAKES = ("unpaired", "sum_of_halfwidths", "z_quantile", "ddof0", "no_sqrt_n")


def _t_quantile(df: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.975, df))


def _paired_forms(a: torch.Tensor, b: torch.Tensor) -> dict:
    n = a.numel()
    d, q = a - b, _t_quantile(n - 1)
    one = lambda v: (torch.as_tensor(v, dtype=_F64).reshape(()),)  # noqa: E731
    return {
        "ref": one(q * d.std() / n**0.5),
        "unpaired": one(q * ((a.var() + b.var()) / n) ** 0.5),
        "sum_of_halfwidths": one(q * (a.std() + b.std()) / n**0.5),
        "z_quantile": one(1.959963984540054 * d.std() / n**0.5),
        "ddof0": one(q * d.std(unbiased=False) / n**0.5),
        "no_sqrt_n": one(q * d.std()),
    }


@functools.lru_cache(maxsize=1)
def _paired_cases() -> list[_Case]:
    gen = torch.Generator().manual_seed(20)
    cases = []
    for n, shared in ((5, 1.0), (5, 0.0), (3, 2.0), (8, 0.5), (5, 3.0)):
        seed_effect = shared * torch.randn(n, generator=gen, dtype=_F64)
        a = 20 + seed_effect + torch.randn(n, generator=gen, dtype=_F64)
        b = 18 + seed_effect + 0.7 * torch.randn(n, generator=gen, dtype=_F64)
        forms = _paired_forms(a, b)
        cases.append(_Case(args=(a, b), ref=forms["ref"], variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, n=n: _t("ex_where_paired", lang, n=n), kind="tensor",
                           arg_names=("row_a", "row_b")))
    return cases


def check_paired_interval(fn, *, lang: str | None = None, verbose: bool = True) -> bool:
    """Check ``fn(row_a, row_b) -> half_width``: the 95% half-width of the mean of the per-seed differences
    of two rows of a table that were run with the same seeds (lecture 06):

        d_s = a_s − b_s,      half-width = t_{0.975, n−1} · sd(d) / √n      (sd with n − 1)

    ``row_a`` and ``row_b`` are float64 tensors of n per-seed scores (seed s in position s). Return a float
    or a 0-d tensor. The difference of the two rows is resolved when |mean(d)| exceeds it.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["paired_interval"]``): the unpaired (Welch-like) spread, the sum of the two half-widths,
    the normal 1.96, the standard deviation over n, or no √n.
    """
    return _run("paired_interval", "paired_interval", fn, _paired_cases(), lang=lang, verbose=verbose,
                mistakes=PAIRED_MISTAKES, what_key="ex_what_paired", signature="fn(row_a, row_b)")
