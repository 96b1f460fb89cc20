"""Checkers for lecture 11's exercises (classifier-free guidance), with hints that name the classic mistakes.

    check_cfg_combine(fn)        fn(eps_c, eps_u, s) -> the guided ε (diffusers' convention)
    check_tilted_gaussian(fn)    fn(mu_u, var_u, mu_c, var_c, s) -> (mean, variance) of p_u^(1-s) p_c^s

Each checker compares the student's function with the formula written here, on random inputs, and prints
one line: a pass, a "not yet" with the named mistake, or a "not yet" for a stub that returns None.
Returns True or False.
"""
from __future__ import annotations

import torch

from .. import i18n
from ..i18n import load_catalog

__all__ = ["check_cfg_combine", "check_tilted_gaussian"]

load_catalog("guidance_exercises")


def _t(key, lang, **kw):
    return i18n.tr(key, lang or i18n.get_language(), **kw)


def _report(ok: bool, name: str, n: int, err: float, hint_key: str | None, lang) -> bool:
    if ok:
        print(_t("gx_pass", lang, name=name, n=n))
        return True
    print(_t("gx_wrong", lang, name=name, err=err))
    if hint_key:
        print(_t("gx_hint", lang, hint=_t(hint_key, lang)))
    return False


def _cfg_cases(n=6):
    g = torch.Generator().manual_seed(11)
    return [(torch.randn(3, 4, generator=g), torch.randn(3, 4, generator=g), s) for s in (0.0, 0.5, 1.0, 2.0, 3.0, 7.5)[:n]]


def check_cfg_combine(fn, lang: str | None = None) -> bool:
    """``fn(eps_c, eps_u, s)`` must return ε_u + s (ε_c − ε_u)."""
    name = getattr(fn, "__name__", "fn")
    cases = _cfg_cases()
    errs = []
    outs = []
    for ec, eu, s in cases:
        try:
            out = fn(ec.clone(), eu.clone(), s)
        except NotImplementedError:  # the stub as shipped
            print(_t("gx_stub", lang, name=name))
            return False
        except Exception as e:  # the student's code: shown, with its type
            print(_t("gx_raised", lang, name=name, exc=f"{type(e).__name__}: {e}"))
            return False
        if out is None:
            print(_t("gx_stub", lang, name=name))
            return False
        out = torch.as_tensor(out, dtype=ec.dtype)
        outs.append(out)
        errs.append(float((out - (eu + s * (ec - eu))).abs().max()))
    err = max(errs)
    if err < 1e-5:
        return _report(True, name, len(cases), err, None, lang)
    mistakes = {"gx_cfg_one_plus_w": lambda ec, eu, s: ec + s * (ec - eu),
                "gx_cfg_swapped": lambda ec, eu, s: ec + s * (eu - ec),
                "gx_cfg_scaled_only": lambda ec, eu, s: s * ec}
    hint = next((k for k, m in mistakes.items()
                 if all(float((o - m(ec, eu, s)).abs().max()) < 1e-5 for o, (ec, eu, s) in zip(outs, cases))), None)
    return _report(False, name, len(cases), err, hint, lang)


def check_tilted_gaussian(fn, lang: str | None = None) -> bool:
    """``fn(mu_u, var_u, mu_c, var_c, s)`` must return the mean and variance of N(μ_u, v_u)^(1−s) N(μ_c, v_c)^s.

    The exponents add the log-densities: precision λ = (1 − s)/v_u + s/v_c, mean = ((1 − s)μ_u/v_u + sμ_c/v_c)/λ
    (cases keep λ > 0, so the product is a Gaussian).
    """
    name = getattr(fn, "__name__", "fn")
    cases = [(0.0, 1.36, 1.0, 0.36, 1.0), (0.0, 1.36, 1.0, 0.36, 2.0), (0.3, 2.0, 1.5, 0.5, 3.0),
             (-1.0, 1.0, 2.0, 0.25, 0.0), (0.0, 4.0, 0.5, 1.0, 0.5), (0.2, 1.0, -0.4, 0.81, 1.2)]
    outs, errs = [], []
    for mu_u, v_u, mu_c, v_c, s in cases:
        try:
            out = fn(mu_u, v_u, mu_c, v_c, s)
        except NotImplementedError:
            print(_t("gx_stub", lang, name=name))
            return False
        except Exception as e:
            print(_t("gx_raised", lang, name=name, exc=f"{type(e).__name__}: {e}"))
            return False
        if out is None:
            print(_t("gx_stub", lang, name=name))
            return False
        m, v = (float(out[0]), float(out[1]))
        prec = (1 - s) / v_u + s / v_c
        want = (((1 - s) * mu_u / v_u + s * mu_c / v_c) / prec, 1 / prec)
        outs.append((m, v))
        errs.append(max(abs(m - want[0]), abs(v - want[1])))
    err = max(errs)
    if err < 1e-8:
        return _report(True, name, len(cases), err, None, lang)
    hint = None
    if all(abs(m - ((1 - s) * mu_u + s * mu_c)) < 1e-8 for (m, _), (mu_u, _v, mu_c, _w, s) in zip(outs, cases)):
        hint = "gx_tilt_linear"
    elif all(abs(v - ((1 - s) * v_u + s * v_c)) < 1e-8 for (_, v), (_m, v_u, _n, v_c, s) in zip(outs, cases)):
        hint = "gx_tilt_var_linear"
    return _report(False, name, len(cases), err, hint, lang)
