"""The course's derivations, checked step by step with sympy.

Each lecture that derives something keeps its own section below (``# ---- lecture NN ----``). A function
returns a list of ``Step`` records: a name, the left- and right-hand sides of one line of the derivation,
and ``residual`` = simplify(lhs - rhs), which is 0 when the step holds. ``print_steps(steps)`` prints them
as the lectures show them (ASCII names, so both editions print the same text).

Symbols are scalars: every Gaussian in DDPM/DDIM has an isotropic covariance, so each coordinate of x
obeys the same one-dimensional algebra. Schedule quantities are positive symbols; the paper's
ᾱ_t = α_t ᾱ_{t-1} is substituted where a step needs it.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..core.step import ddim_direction
from ..experiments.theorem1 import theorem1_gammas, theorem1_kl_check, theorem1_linear_optimum  # noqa: F401 (lecture 08's numbers)

__all__ = ["Step", "print_steps", "all_zero"]


@dataclass
class Step:
    """One line of a derivation: ``lhs = rhs`` with the reason, and simplify(lhs - rhs)."""

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    residual: sp.Expr


def _step(name: str, lhs, rhs) -> Step:
    return Step(name, lhs, rhs, sp.simplify(sp.expand(lhs - rhs)))


def all_zero(steps) -> bool:
    """True when every step's residual simplifies to exactly 0."""
    return all(s.residual == 0 for s in steps)


def print_steps(steps) -> None:
    """One line per step: ``simplify(lhs - rhs) = 0  <name>``."""
    for s in steps:
        print(f"simplify(lhs - rhs) = {s.residual}   {s.name}")


# ---- lecture 01 ----
# Lectures 01-02 write one step's schedule through two positive parameters, ᾱ_{t-1} = 1/(1+k) and
# α_t = 1/(1+m) (k = 1/SNR_{t-1} > 0, m > 0): then ᾱ_{t-1}, α_t, ᾱ_t = α_t ᾱ_{t-1} and β_t = 1 - α_t all lie
# in (0, 1) with no side condition, so sympy may take square roots of 1 - ᾱ and the like.
__all__ += ["forward_composition_steps", "forward_chain_steps"]


def _one_step_schedule():
    """(ᾱ_{t-1}, α_t, ᾱ_t, β_t) as expressions in positive k, m (see above)."""
    k, m = sp.symbols("k m", positive=True)
    abar_prev, alpha = 1 / (1 + k), 1 / (1 + m)
    return abar_prev, alpha, abar_prev * alpha, 1 - alpha


def _gauss_exponent(x, mean, var):
    return -(x - mean) ** 2 / (2 * var)


def _exact(name: str, lhs, rhs) -> Step:
    """A step whose residual is sp.simplify(lhs - rhs) without expanding first: with nested square roots,
    expanding first makes sympy 10-30x slower here."""
    return Step(name, lhs, rhs, sp.simplify(lhs - rhs))


def _noise_variance_after(alpha, var_before):
    """The noise variance after x -> √α x + √(1-α) ε' when x carries noise of variance ``var_before``: the two
    noises are independent, so their variances add, α·var_before + (1 - α). Both lecture 01 derivations use it."""
    return alpha * var_before + (1 - alpha)


def forward_composition_steps() -> list[Step]:
    """q(x_t|x_0) by induction on t: if x_{t-1} = √ᾱ_{t-1} x_0 + √(1-ᾱ_{t-1}) ε and x_t = √α_t x_{t-1} + √β_t ε'
    (ε, ε' independent standard normals), then x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε'' (variances of independent
    noises add)."""
    abar_prev, alpha, abar, beta = _one_step_schedule()
    return [
        _exact("1. coef of x_0: sqrt(alpha_t) sqrt(abar_(t-1)) = sqrt(abar_t)", sp.sqrt(alpha) * sp.sqrt(abar_prev), sp.sqrt(abar)),
        _exact("2. noise variance: alpha_t (1 - abar_(t-1)) + beta_t = 1 - abar_t", _noise_variance_after(alpha, 1 - abar_prev),
               1 - abar),
    ]


def forward_chain_steps(T: int = 3) -> list[Step]:
    """T chained steps x_s = √α_s x_{s-1} + √(1-α_s) ε_s with symbols α_1..α_T: the coefficient of x_0 and the
    noise variance equal √ᾱ_T and 1 - ᾱ_T with ᾱ_T = ∏ α_s."""
    if not isinstance(T, int) or not 1 <= T <= 8:
        raise ValueError(f"T must be an int in [1, 8] (the expressions grow with T), got {T!r}")
    alphas = sp.symbols(f"alpha_1:{T + 1}", positive=True)
    coef, var = sp.Integer(1), sp.Integer(0)  # x_0 = 1·x_0 + no noise
    for a in alphas:
        coef, var = sp.sqrt(a) * coef, _noise_variance_after(a, var)
    abar = sp.Mul(*alphas)
    return [_exact(f"T={T}: coef of x_0 = sqrt(prod alpha_s)", coef, sp.sqrt(abar)),
            _exact(f"T={T}: noise variance = 1 - prod alpha_s", var, 1 - abar)]


# ---- lecture 02 ----
__all__ += ["gaussian_marginal_steps", "lemma1_steps", "forward_conditional_steps", "forward_conditional_x0_coef",
            "bayes_step_steps", "telescoping_steps"]


def gaussian_marginal_steps() -> list[Step]:
    """The Gaussian marginalisation identity (Bishop 2006, Eq. 2.115; DDIM's Appendix B uses it), in one dimension:
    x ~ N(μ, v), y|x ~ N(a x + b, w)  ⇒  ∫ N(x; μ, v) N(y; a x + b, w) dx = N(y; a μ + b, a² v + w).

    1. the exponent of the integrand is a quadratic in x: -A x² + B x + C;
    2. the Gaussian integral ∫ exp(-A x² + B x) dx = √(π/A) exp(B²/(4A)) (sympy integrates it);
    3. so the log of the integral, log √(π/A) + B²/(4A) + C - log(2π √(v w)), is log N(y; a μ + b, a² v + w).
    """
    x, y, mu, a, b = sp.symbols("x y mu a b", real=True)
    v, w, A_ = sp.symbols("v w A", positive=True)
    B_ = sp.Symbol("B", real=True)
    exponent = _gauss_exponent(x, mu, v) + _gauss_exponent(y, a * x + b, w)
    c2, c1, c0 = sp.Poly(sp.expand(exponent), x).all_coeffs()
    A, B, C = -c2, c1, c0
    log_integral = sp.log(sp.sqrt(sp.pi / A)) + B**2 / (4 * A) + C - sp.log(2 * sp.pi * sp.sqrt(v * w))
    log_target = _gauss_exponent(y, a * mu + b, a**2 * v + w) - sp.log(sp.sqrt(2 * sp.pi * (a**2 * v + w)))
    return [
        _exact("1. exponent = -A x^2 + B x + C, A = (a^2 v + w)/(2 v w)", exponent, -A * x**2 + B * x + C),
        _exact("2. int exp(-A x^2 + B x) dx = sqrt(pi/A) exp(B^2/(4A))",
               sp.integrate(sp.exp(-A_ * x**2 + B_ * x), (x, -sp.oo, sp.oo)), sp.sqrt(sp.pi / A_) * sp.exp(B_**2 / (4 * A_))),
        _exact("3. log of the integral = log N(y; a mu + b, a^2 v + w)",
               sp.expand_log(log_integral, force=True), sp.expand_log(log_target, force=True)),
    ]


def lemma1_steps() -> list[Step]:
    """DDIM Lemma 1, the induction step from t to t-1 (the paper's Appendix B).

    Hypothesis: q_σ(x_t|x_0) = N(√ᾱ_t x_0, 1-ᾱ_t). Eq. 7 is q_σ(x_{t-1}|x_t,x_0) = N(A x_t + B, σ_t²) with
    c = √(1-ᾱ_{t-1}-σ_t²), A = c/√(1-ᾱ_t), B = √ᾱ_{t-1} x_0 - A √ᾱ_t x_0. The marginalisation identity gives
    mean A √ᾱ_t x_0 + B and variance A² (1-ᾱ_t) + σ_t²; both equal q(x_{t-1}|x_0)'s. σ_t is free:
    σ_t² = (1-ᾱ_{t-1})/(1+n) for any n > 0, which covers 0 < σ_t² < 1-ᾱ_{t-1} (σ_t = 0 is the limit n → ∞).
    """
    abar_prev, _, abar, _ = _one_step_schedule()
    x0 = sp.Symbol("x_0", real=True)
    n = sp.Symbol("n", positive=True)
    sigma2 = (1 - abar_prev) / (1 + n)
    c = _sym_direction(abar_prev, sigma2)
    A = c / sp.sqrt(1 - abar)
    B = sp.sqrt(abar_prev) * x0 - A * sp.sqrt(abar) * x0
    return [
        _exact("1. mean: A sqrt(abar_t) x_0 + B = sqrt(abar_(t-1)) x_0", A * sp.sqrt(abar) * x0 + B, sp.sqrt(abar_prev) * x0),
        _exact("2. variance: A^2 (1 - abar_t) + sigma_t^2 = 1 - abar_(t-1)", A**2 * (1 - abar) + sigma2, 1 - abar_prev),
        _exact("3. sigma_t = 0 too: A^2 (1 - abar_t) = 1 - abar_(t-1)",
              (sp.sqrt(1 - abar_prev) / sp.sqrt(1 - abar)) ** 2 * (1 - abar), 1 - abar_prev),
    ]


def _sym_direction(abar_prev, sigma2):
    """Eq. 12's weight of ε, √(1 - ᾱ_{t-1} - σ_t²), as a sympy expression (``core.step.ddim_direction`` in numbers)."""
    return sp.sqrt(1 - abar_prev - sigma2)


def _forward_conditional(abar_prev, abar, sigma2):
    """q_σ(x_t|x_{t-1},x_0) (DDIM Eq. 8) by conditioning the Gaussian pair (x_{t-1}, x_t) given x_0:
    (coef of x_{t-1}, coef of x_0, variance)."""
    cov = _sym_direction(abar_prev, sigma2) * sp.sqrt(1 - abar)  # Cov(x_{t-1}, x_t | x_0) = A (1 - ᾱ_t)
    coef_prev = cov / (1 - abar_prev)
    coef_x0 = sp.sqrt(abar) - coef_prev * sp.sqrt(abar_prev)
    var = (1 - abar) - cov**2 / (1 - abar_prev)
    return coef_prev, coef_x0, var


def forward_conditional_x0_coef(sigma2=0):
    """The coefficient of x_0 in the mean of q_σ(x_t|x_{t-1},x_0), a sympy expression in the positive symbols
    ``abar_prev`` (ᾱ_{t-1}) and ``abar`` (ᾱ_t), for a given σ_t² (default 0: η = 0)."""
    abar_prev, abar = sp.symbols("abar_prev abar", positive=True)
    return _forward_conditional(abar_prev, abar, sigma2)[1]


def forward_conditional_steps() -> list[Step]:
    """Eq. 8 at σ_t² = β̃_t = (1-ᾱ_{t-1}) β_t/(1-ᾱ_t) is DDPM's q(x_t|x_{t-1}) = N(√α_t x_{t-1}, β_t): the x_0
    coefficient vanishes. At σ_t = 0 it is √ᾱ_t - √ᾱ_{t-1} √(1-ᾱ_t)/√(1-ᾱ_{t-1}), not 0."""
    abar_prev, alpha, abar, beta = _one_step_schedule()
    beta_tilde = (1 - abar_prev) * beta / (1 - abar)
    a, b, v = _forward_conditional(abar_prev, abar, beta_tilde)
    _, b0, v0 = _forward_conditional(abar_prev, abar, 0)
    return [
        _exact("1. sigma^2 = beta_tilde: coef of x_(t-1) = sqrt(alpha_t)", a, sp.sqrt(alpha)),
        _exact("2. sigma^2 = beta_tilde: coef of x_0 = 0", b, sp.Integer(0)),
        _exact("3. sigma^2 = beta_tilde: variance = beta_t", v, beta),
        _exact("4. sigma = 0: coef of x_0 = sqrt(abar_t) - sqrt(abar_(t-1)) sqrt(1-abar_t)/sqrt(1-abar_(t-1))", b0,
              sp.sqrt(abar) - sp.sqrt(abar_prev) * sp.sqrt(1 - abar) / sp.sqrt(1 - abar_prev)),
        _exact("5. sigma = 0: variance = 0", v0, sp.Integer(0)),
    ]


def bayes_step_steps() -> list[Step]:
    """The note's (*) for DDPM's Gaussians, as log-densities:
    log q(x_{t-1}|x_0) + log q(x_t|x_{t-1}) = log q(x_t|x_0) + log q(x_{t-1}|x_t,x_0),
    split into the quadratic exponents and the normalising constants (products of the variances)."""
    abar_prev, alpha, abar, beta = _one_step_schedule()
    x0, xp, xt = sp.symbols("x_0 x_prev x_t", real=True)
    mu_tilde = sp.sqrt(abar_prev) * beta / (1 - abar) * x0 + sp.sqrt(alpha) * (1 - abar_prev) / (1 - abar) * xt
    beta_tilde = (1 - abar_prev) * beta / (1 - abar)
    lhs = _gauss_exponent(xp, sp.sqrt(abar_prev) * x0, 1 - abar_prev) + _gauss_exponent(xt, sp.sqrt(alpha) * xp, beta)
    rhs = _gauss_exponent(xt, sp.sqrt(abar) * x0, 1 - abar) + _gauss_exponent(xp, mu_tilde, beta_tilde)
    return [_exact("(*) exponents: the quadratic forms in x_0, x_(t-1), x_t agree", lhs, rhs),
            _exact("(*) normalisers: (1 - abar_(t-1)) beta_t = (1 - abar_t) beta_tilde_t",
                  (1 - abar_prev) * beta, (1 - abar) * beta_tilde)]


def telescoping_steps(betas=(sp.Rational(1, 10), sp.Rational(1, 5), sp.Rational(3, 10))) -> list[Step]:
    """The whole telescope for a short chain, exact rational β's and symbolic x_0..x_T:
    log ∏_{t=1}^T q(x_t|x_{t-1}) = log q(x_T|x_0) + Σ_{t=2}^T log q(x_{t-1}|x_t,x_0), exponents and normalisers."""
    betas = [sp.nsimplify(b) for b in betas]
    if len(betas) < 2 or not all(0 < b < 1 for b in betas):
        raise ValueError(f"betas must hold at least two numbers in (0, 1), got {betas!r}")
    T = len(betas)
    xs = sp.symbols(f"x_0:{T + 1}", real=True)
    abars = [sp.Integer(1)]
    for b in betas:
        abars.append(abars[-1] * (1 - b))
    markov_exp = sum(_gauss_exponent(xs[t], sp.sqrt(1 - betas[t - 1]) * xs[t - 1], betas[t - 1]) for t in range(1, T + 1))
    markov_norm = sp.Mul(*betas)
    tel_exp = _gauss_exponent(xs[T], sp.sqrt(abars[T]) * xs[0], 1 - abars[T])
    tel_norm = 1 - abars[T]
    for t in range(2, T + 1):
        ab, abp, b = abars[t], abars[t - 1], betas[t - 1]
        mu = sp.sqrt(abp) * b / (1 - ab) * xs[0] + sp.sqrt(1 - b) * (1 - abp) / (1 - ab) * xs[t]
        bt = (1 - abp) * b / (1 - ab)
        tel_exp += _gauss_exponent(xs[t - 1], mu, bt)
        tel_norm *= bt
    return [_exact(f"T={T}: exponents of both factorisations agree", markov_exp, tel_exp),
            _exact(f"T={T}: products of the variances agree", markov_norm, tel_norm)]


# Two small checkers for lecture 02's exercises (numeric; lecture 02 only, so they live beside its derivations).
# A checker calls the student's function on fixed cases, never lets its exception escape, prints one verdict
# line (in the edition's language) and returns True or False.
from .. import i18n as _i18n  # noqa: E402

_i18n.load_catalog("symbolic")  # the texts: ddim_teach/messages/symbolic.toml

__all__ += ["check_forward_x0_coef", "check_lemma1_step"]

# ᾱ pairs (ᾱ_t, ᾱ_{t-1}) of the linear T = 1000 schedule at the paper's t = 2, 11, 101, 501, 1000
_PAIRS_T = (2, 11, 101, 501, 1000)


def _pairs():
    from ..core.schedule import make_schedule

    s = make_schedule("linear", T=1000)
    return [(t, float(s.alphas_cumprod[t - 1]), float(s.alphas_cumprod[t - 2])) for t in _PAIRS_T]


def _verdict(name, fn, cases, reference, hints, lang):
    """cases: list of (where, args); reference(*args) -> tuple of floats; hints: list of (predicate(got, args), key)."""
    lang = lang or _i18n.get_language()
    for where, args in cases:
        want = reference(*args)
        try:
            got = fn(*args)
        except NotImplementedError:
            print(_i18n.tr("sym_ex_todo", lang, name=name))
            return False
        except Exception as e:  # the student's error is reported, never raised
            print(_i18n.tr("sym_ex_raised", lang, name=name, err=f"{type(e).__name__}: {e}"))
            return False
        if got is None:  # a stub that returns nothing yet: "not yet" too, not a comparison with nan
            print(_i18n.tr("sym_ex_todo", lang, name=name))
            return False
        try:
            got = tuple(float(g) for g in (got if isinstance(got, (tuple, list)) else (got,)))
        except (TypeError, ValueError):
            got = (float("nan"),)
        ok = len(got) == len(want) and all(abs(g - w) <= 1e-9 + 1e-6 * abs(w) for g, w in zip(got, want))
        if not ok:
            fmt = lambda v: ", ".join(f"{x:.6g}" for x in v)  # noqa: E731
            print(_i18n.tr("sym_ex_wrong", lang, name=name, where=where, got=fmt(got), want=fmt(want)))
            for pred, key in hints:
                if len(got) == len(want) and pred(got, args):
                    print(_i18n.tr(key, lang))
                    break
            return False
    print(_i18n.tr("sym_ex_pass", lang, name=name, n=len(cases)))
    return True


def _x0_coef_ref(alpha_bar, alpha_bar_prev):
    return (alpha_bar**0.5 - alpha_bar_prev**0.5 * (1 - alpha_bar) ** 0.5 / (1 - alpha_bar_prev) ** 0.5,)


def check_forward_x0_coef(fn, *, lang: str | None = None) -> bool:
    """Check ``fn(alpha_bar, alpha_bar_prev) -> float``: the coefficient of x_0 in the mean of q_σ(x_t|x_{t-1},x_0)
    (DDIM Eq. 8) at σ_t = 0, i.e. √ᾱ_t - √ᾱ_{t-1} √(1-ᾱ_t)/√(1-ᾱ_{t-1}). Cases: linear schedule, T = 1000,
    the paper's t = 2, 11, 101, 501, 1000."""
    cases = [(f"t={t} (abar_t={ab:.4g}, abar_(t-1)={abp:.4g})", (ab, abp)) for t, ab, abp in _pairs()]
    hints = [(lambda got, a: abs(got[0]) < 1e-12, "hint_x0coef_zero"),
             (lambda got, a: abs(got[0] - _x0_coef_ref(a[1], a[0])[0]) < 1e-9, "hint_x0coef_swap")]
    return _verdict("forward_x0_coef", fn, cases, _x0_coef_ref, hints, lang)


def _lemma1_ref(mean_t, var_t, x0, alpha_bar, alpha_bar_prev, sigma):
    c = ddim_direction(alpha_bar_prev, sigma)
    return (alpha_bar_prev**0.5 * x0 + c * (mean_t - alpha_bar**0.5 * x0) / (1 - alpha_bar) ** 0.5,
            c**2 * var_t / (1 - alpha_bar) + sigma**2)


def check_lemma1_step(fn, *, lang: str | None = None) -> bool:
    """Check ``fn(mean_t, var_t, x0, alpha_bar, alpha_bar_prev, sigma) -> (mean_prev, var_prev)``: if
    x_t|x_0 ~ N(mean_t, var_t) and x_{t-1}|x_t,x_0 follows Eq. 7 with σ_t = ``sigma``, the mean and variance of
    x_{t-1}|x_0 (the marginalisation identity). Cases use moments that are *not* q(x_t|x_0)'s, so a function
    that just returns √ᾱ_{t-1} x_0 and 1-ᾱ_{t-1} fails."""
    cases = []
    for i, (t, ab, abp) in enumerate(_pairs()):
        sigma = [0.0, 0.5, 1.0][i % 3] * ((1 - abp) / (1 - ab) * (1 - ab / abp)) ** 0.5  # Eq. 16, η = 0, 0.5, 1
        mean_t, var_t, x0 = 0.3 + 0.1 * i, 0.5 + 0.2 * i, 0.7 - 0.4 * i
        cases.append((f"t={t}, sigma={sigma:.3g}, mean_t={mean_t:.2g}, var_t={var_t:.2g}, x0={x0:.2g}",
                      (mean_t, var_t, x0, ab, abp, sigma)))

    def no_sigma(got, a):
        return a[5] > 0 and abs(got[1] - (_lemma1_ref(*a)[1] - a[5] ** 2)) < 1e-9

    def c_not_squared(got, a):
        mean_t, var_t, x0, ab, abp, sigma = a
        return abs(got[1] - ((1 - abp - sigma**2) ** 0.5 * var_t / (1 - ab) ** 0.5 + sigma**2)) < 1e-9

    return _verdict("lemma1_step", fn, cases, _lemma1_ref, [(no_sigma, "hint_lemma1_nosigma"),
                                                            (c_not_squared, "hint_lemma1_c")], lang)


# ---- lecture 03 ----
# Symbols of lectures 03-05: a = α_t, abp = ᾱ_{t-1}; ᾱ_t = a·abp; β_t = 1 - a.
_x, _x0, _xt, _eps = sp.symbols("x_prev x_0 x_t epsilon", real=True)
_a, _abp = sp.symbols("alpha_t alphabar_prev", positive=True)
_ab = _a * _abp
_beta = 1 - _a

__all__ += ["posterior_mean_steps", "posterior_mean_second_form_steps", "posterior_coefficients"]


def posterior_coefficients():
    """(coef of x_0, coef of x_t, β̃_t) of q(x_{t-1}|x_t,x_0) in DDPM's form (its Eq. 7), as sympy expressions."""
    c0 = sp.sqrt(_abp) * _beta / (1 - _ab)
    ct = sp.sqrt(_a) * (1 - _abp) / (1 - _ab)
    beta_tilde = (1 - _abp) * _beta / (1 - _ab)
    return c0, ct, beta_tilde


def posterior_mean_steps() -> list[Step]:
    """Completing the square in x_{t-1} for q(x_t|x_{t-1}) q(x_{t-1}|x_0) ∝ q(x_{t-1}|x_t,x_0).

    -2·log of the product, up to terms free of x_{t-1}:
        (x_t - √α_t x)²/β_t + (x - √ᾱ_{t-1} x_0)²/(1-ᾱ_{t-1})  =  A x² - 2 B x + C
    with precision A = α_t/β_t + 1/(1-ᾱ_{t-1}) and B = √α_t x_t/β_t + √ᾱ_{t-1} x_0/(1-ᾱ_{t-1});
    A x² - 2 B x + C = A (x - B/A)² + (C - B²/A), so the variance is 1/A and the mean B/A.
    """
    c0, ct, beta_tilde = posterior_coefficients()
    quad = (_xt - sp.sqrt(_a) * _x) ** 2 / _beta + (_x - sp.sqrt(_abp) * _x0) ** 2 / (1 - _abp)
    A = _a / _beta + 1 / (1 - _abp)
    B = sp.sqrt(_a) * _xt / _beta + sp.sqrt(_abp) * _x0 / (1 - _abp)
    C = _xt**2 / _beta + _abp * _x0**2 / (1 - _abp)
    return [
        _step("1. expand the exponent: quadratic in x_prev = A x^2 - 2 B x + C", quad, A * _x**2 - 2 * B * _x + C),
        _step("2. complete the square: A x^2 - 2 B x + C = A (x - B/A)^2 + (C - B^2/A)",
              A * _x**2 - 2 * B * _x + C, A * (_x - B / A) ** 2 + (C - B**2 / A)),
        _step("3. precision A = (1 - alphabar_t) / ((1 - alphabar_prev) beta_t)", A, (1 - _ab) / ((1 - _abp) * _beta)),
        _step("4. variance 1/A = beta_tilde_t", 1 / A, beta_tilde),
        _step("5. mean B/A = c0 x_0 + ct x_t (DDPM Eq. 7)", B / A, c0 * _x0 + ct * _xt),
    ]


def posterior_mean_second_form_steps() -> list[Step]:
    """The note's second form: with σ_t² = β̃_t,
    μ̃_t = √ᾱ_{t-1} x_0 + √(1-ᾱ_{t-1}-σ_t²) (x_t - √ᾱ_t x_0)/√(1-ᾱ_t).

    Key line: 1 - ᾱ_{t-1} - β̃_t = α_t (1-ᾱ_{t-1})² / (1-ᾱ_t), a perfect square over (1-ᾱ_t), so its root
    is √α_t (1-ᾱ_{t-1})/√(1-ᾱ_t) (every factor is positive).
    """
    c0, ct, beta_tilde = posterior_coefficients()
    root = sp.sqrt(_a) * (1 - _abp) / sp.sqrt(1 - _ab)  # the positive root of step 1
    second = sp.sqrt(_abp) * _x0 + root * (_xt - sp.sqrt(_ab) * _x0) / sp.sqrt(1 - _ab)
    return [
        _step("1. 1 - alphabar_prev - beta_tilde = alpha_t (1 - alphabar_prev)^2 / (1 - alphabar_t)",
              1 - _abp - beta_tilde, _a * (1 - _abp) ** 2 / (1 - _ab)),
        _step("2. root^2 = 1 - alphabar_prev - beta_tilde", root**2, 1 - _abp - beta_tilde),
        _step("3. coefficient of x_t: root / sqrt(1 - alphabar_t) = ct", root / sp.sqrt(1 - _ab), ct),
        _step("4. coefficient of x_0: sqrt(alphabar_prev) - root sqrt(alphabar_t)/sqrt(1 - alphabar_t) = c0",
              sp.sqrt(_abp) - root * sp.sqrt(_ab) / sp.sqrt(1 - _ab), c0),
        _step("5. second form = first form", second, c0 * _x0 + ct * _xt),
    ]


# ---- lecture 04 ----
_sigma = sp.symbols("sigma_t", nonnegative=True)

__all__ += ["x0_hat", "eq12_from_eq7_steps", "variance_bookkeeping_steps", "ddpm_is_posterior_at_x0_hat_steps"]


def x0_hat(alpha_bar=_ab):
    """Eq. 9: x̂₀ = (x_t - √(1-ᾱ_t) ε_θ)/√ᾱ_t."""
    return (_xt - sp.sqrt(1 - alpha_bar) * _eps) / sp.sqrt(alpha_bar)


def _q_sigma_mean(x0_value, alpha_bar=_ab, alpha_bar_prev=_abp):
    """Eq. 7: the mean of q_σ(x_{t-1}|x_t,x_0) with x_0 = ``x0_value``."""
    return (sp.sqrt(alpha_bar_prev) * x0_value
            + sp.sqrt(1 - alpha_bar_prev - _sigma**2) * (_xt - sp.sqrt(alpha_bar) * x0_value) / sp.sqrt(1 - alpha_bar))


def eq12_from_eq7_steps() -> list[Step]:
    """Eq. 12 from Eq. 7: put x_0 = x̂₀(x_t, ε_θ) (Eq. 9) into the mean of q_σ."""
    xh = x0_hat()
    eq12 = sp.sqrt(_abp) * xh + sp.sqrt(1 - _abp - _sigma**2) * _eps
    return [
        _step("1. Eq. 9 inverted: sqrt(alphabar_t) x0_hat + sqrt(1 - alphabar_t) eps = x_t",
              sp.sqrt(_ab) * xh + sp.sqrt(1 - _ab) * _eps, _xt),
        _step("2. (x_t - sqrt(alphabar_t) x0_hat) / sqrt(1 - alphabar_t) = eps",
              (_xt - sp.sqrt(_ab) * xh) / sp.sqrt(1 - _ab), _eps),
        _step("3. Eq. 7 mean at x_0 = x0_hat = Eq. 12 mean", _q_sigma_mean(xh), eq12),
    ]


def variance_bookkeeping_steps(alpha_bar=_ab, alpha_bar_prev=_abp) -> list[Step]:
    """Why the direction coefficient is √(1-ᾱ_{t-1}-σ_t²): q_σ(x_{t-1}|x_0) must keep variance 1-ᾱ_{t-1}.

    If x_t|x_0 ~ N(√ᾱ_t x_0, 1-ᾱ_t) and x_{t-1}|x_t,x_0 ~ N(√ᾱ_{t-1} x_0 + k (x_t - √ᾱ_t x_0), σ²), then
    x_{t-1}|x_0 has mean √ᾱ_{t-1} x_0 and variance k²(1-ᾱ_t) + σ²; k = √(1-ᾱ_{t-1}-σ²)/√(1-ᾱ_t) makes it
    1-ᾱ_{t-1}. The steps use no relation between ᾱ_t and ᾱ_{t-1}: lecture 05 passes any pair ᾱ_{τ_i}, ᾱ_{τ_{i-1}}.
    """
    k = _sym_direction(alpha_bar_prev, _sigma**2) / sp.sqrt(1 - alpha_bar)
    mean_xt = sp.sqrt(alpha_bar) * _x0
    return [
        _step("1. mean: sqrt(abar_prev) x_0 + k (E[x_t|x_0] - sqrt(abar_t) x_0) = sqrt(abar_prev) x_0",
              sp.sqrt(alpha_bar_prev) * _x0 + k * (mean_xt - sp.sqrt(alpha_bar) * _x0), sp.sqrt(alpha_bar_prev) * _x0),
        _step("2. variance: k^2 (1 - abar_t) + sigma^2 = 1 - abar_prev", k**2 * (1 - alpha_bar) + _sigma**2, 1 - alpha_bar_prev),
    ]


def ddpm_is_posterior_at_x0_hat_steps() -> list[Step]:
    """DDPM's μ_θ(x_t,t) = (x_t - β_t/√(1-ᾱ_t) ε_θ)/√α_t is the posterior mean μ̃_t(x_t, x̂₀), and so is
    DDIM's Eq. 12 mean at σ_t² = β̃_t: both samplers plug x̂₀ into a Gaussian; they differ in σ_t."""
    c0, ct, beta_tilde = posterior_coefficients()
    xh = x0_hat()
    mu_ddpm = (_xt - _beta / sp.sqrt(1 - _ab) * _eps) / sp.sqrt(_a)
    mu_tilde_at_xh = c0 * xh + ct * _xt
    root = sp.sqrt(_a) * (1 - _abp) / sp.sqrt(1 - _ab)  # √(1-ᾱ_{t-1}-β̃_t), lecture 03 step 1
    mu_ddim_eta1 = sp.sqrt(_abp) * xh + root * _eps
    return [
        _step("1. DDPM mu_theta(x_t, t) = mu_tilde(x_t, x0_hat)", mu_ddpm, mu_tilde_at_xh),
        _step("2. DDIM Eq. 12 mean at sigma^2 = beta_tilde = mu_tilde(x_t, x0_hat)", mu_ddim_eta1, mu_tilde_at_xh),
    ]


# ---- lecture 05 ----
_abs, _abt = sp.symbols("alphabar_s alphabar_t", positive=True)  # ᾱ at τ_{i-1} = s and at τ_i = t, s < t

__all__ += ["skip_step_steps"]


def skip_step_steps() -> list[Step]:
    """Sec. 4.2: a jump τ_i = t → τ_{i-1} = s < t keeps the marginal q(x_s|x_0).

    The bookkeeping of lecture 04 with an arbitrary pair (ᾱ_t, ᾱ_s): it never used ᾱ_t = α_t ᾱ_{t-1}.
    With σ from Eq. 16 at η = 1 (σ² = (1-ᾱ_s)/(1-ᾱ_t)·(1-ᾱ_t/ᾱ_s)) the direction coefficient stays real:
    1 - ᾱ_s - σ² = ᾱ_t (1-ᾱ_s)² / (ᾱ_s (1-ᾱ_t)) ≥ 0; and σ² is β̃ of the respaced chain with
    β' = 1 - ᾱ_t/ᾱ_s, so DDIM at η = 1 on τ is DDPM on the respaced chain.
    """
    sig2 = (1 - _abs) / (1 - _abt) * (1 - _abt / _abs)
    beta_resp = 1 - _abt / _abs
    return variance_bookkeeping_steps(alpha_bar=_abt, alpha_bar_prev=_abs) + [
        _step("3. eta = 1 on a jump: 1 - abar_s - sigma^2 = abar_t (1 - abar_s)^2 / (abar_s (1 - abar_t))",
              1 - _abs - sig2, _abt * (1 - _abs) ** 2 / (_abs * (1 - _abt))),
        _step("4. eta = 1 sigma^2 = beta_tilde of the respaced chain, beta' = 1 - abar_t/abar_s",
              sig2, (1 - _abs) / (1 - _abt) * beta_resp),
    ]


# ---- lecture 06 ----
# One step τ_i = t → τ_{i-1} = s (ᾱ_s > ᾱ_t) from _one_step_schedule(): ᾱ_s = 1/(1+k), ᾱ_t = ᾱ_s/(1+m).
__all__ += ["sigma_hat_steps", "gaussian_law_steps"]


def _sym_sigma_hat2(abar_t, abar_s):
    """σ̂² = 1 − ᾱ_t/ᾱ_s (Appendix D.3): DDPM's β of the respaced chain, the noise of the "σ̂" rows of Table 1."""
    return 1 - abar_t / abar_s


def sigma_hat_steps() -> list[Step]:
    """σ̂ (Appendix D.3) against σ(η = 1) (Eq. 16) on one jump t → s.

    σ̂² = 1 − ᾱ_t/ᾱ_s is larger than σ(1)² by (1 − ᾱ_t/ᾱ_s)(ᾱ_s − ᾱ_t)/(1 − ᾱ_t) ≥ 0; with σ̂ in Eq. 12 the
    direction coefficient would be √(ᾱ_t/ᾱ_s − ᾱ_s), imaginary when ᾱ_t < ᾱ_s² (a long jump), which is why
    the official code keeps the η = 1 mean and only enlarges the noise.
    """
    abar_s, _, abar_t, _ = _one_step_schedule()
    sig1 = (1 - abar_s) / (1 - abar_t) * (1 - abar_t / abar_s)
    sig_hat = _sym_sigma_hat2(abar_t, abar_s)
    return [
        _step("1. sigma_hat^2 - sigma(1)^2 = (1 - abar_t/abar_s)(abar_s - abar_t)/(1 - abar_t)",
              sig_hat - sig1, (1 - abar_t / abar_s) * (abar_s - abar_t) / (1 - abar_t)),
        _step("2. 1 - abar_s - sigma_hat^2 = abar_t/abar_s - abar_s", 1 - abar_s - sig_hat, abar_t / abar_s - abar_s),
    ]


def _affine_gain(abar_t, abar_s, s2, dir_coef):
    """A of x_prev = A x_t + b for the exact denoiser of N(0, s²) data (mean 0 makes b = 0);
    ``dir_coef`` = √(1 − ᾱ_s − σ²), the direction coefficient of Eq. 12."""
    g = sp.sqrt(abar_t) * s2 / (abar_t * s2 + 1 - abar_t)  # x̂₀ = g x_t (Tweedie)
    eps = (1 - sp.sqrt(abar_t) * g) / sp.sqrt(1 - abar_t)  # ε̂ = eps · x_t
    return sp.sqrt(abar_s) * g + dir_coef * eps


def gaussian_law_steps() -> list[Step]:
    """For data N(0, 1) the exact denoiser is x̂₀ = √ᾱ_t x_t and one DDIM step is x_s = A x_t + σ z, so
    Var x_s = A² Var x_t + σ². The variance of the data (1) is kept exactly by σ̂, shrunk by η = 1:
    with σ̂, A = √(ᾱ_t/ᾱ_s) and A² + σ̂² = 1; with η = 1 the same A and A² + σ(1)² < 1; with η = 0,
    A = √(ᾱ_t ᾱ_s) + √((1 − ᾱ_t)(1 − ᾱ_s)) (a cosine of a difference of angles, ≤ 1)."""
    abar_s, _, abar_t, _ = _one_step_schedule()
    sig1 = (1 - abar_s) / (1 - abar_t) * (1 - abar_t / abar_s)
    root1 = sp.sqrt(abar_t) * (1 - abar_s) / (sp.sqrt(abar_s) * sp.sqrt(1 - abar_t))  # its positive root (lecture 05)
    A1 = _affine_gain(abar_t, abar_s, 1, root1)
    A0 = _affine_gain(abar_t, abar_s, 1, sp.sqrt(1 - abar_s))
    return [
        _step("0. eta = 1 direction coefficient: root^2 = 1 - abar_s - sigma(1)^2", root1**2, 1 - abar_s - sig1),
        _step("1. unit data, eta = 1 mean: A = sqrt(abar_t/abar_s)", A1, sp.sqrt(abar_t / abar_s)),
        _step("2. sigma_hat keeps the variance: A^2 + sigma_hat^2 = 1", A1**2 + _sym_sigma_hat2(abar_t, abar_s), 1),
        _step("3. eta = 1 loses variance: 1 - A^2 - sigma(1)^2 = (1 - abar_t/abar_s)(abar_s - abar_t)/(1 - abar_t)",
              1 - A1**2 - sig1, (1 - abar_t / abar_s) * (abar_s - abar_t) / (1 - abar_t)),
        _step("4. eta = 0: A = sqrt(abar_t abar_s) + sqrt((1 - abar_t)(1 - abar_s))",
              A0, sp.sqrt(abar_t * abar_s) + sp.sqrt((1 - abar_t) * (1 - abar_s))),
    ]


# ---- lecture 07 ----
__all__ += ["inversion_steps", "slerp_norm_steps"]


def inversion_steps() -> list[Step]:
    """The η = 0 step s ← t solved for x_t (the encoder of Sec. 5.4), and its Euler form (Eq. 13).

    Eq. 12 at σ = 0: x_s = √ᾱ_s (x_t − √(1−ᾱ_t) ε)/√ᾱ_t + √(1−ᾱ_s) ε. Given x_s and the same ε it is solved
    exactly for x_t; inversion only has to guess ε (it uses ε_θ(x_s, t)). Dividing by √ᾱ gives Euler's step
    for x̄ = x/√ᾱ in σ̄ = √((1−ᾱ)/ᾱ): x̄_s = x̄_t + (σ̄_s − σ̄_t) ε.
    """
    abar_s, _, abar_t, _ = _one_step_schedule()
    x_t, eps = sp.symbols("x_t epsilon", real=True)
    x_s = sp.sqrt(abar_s) * (x_t - sp.sqrt(1 - abar_t) * eps) / sp.sqrt(abar_t) + sp.sqrt(1 - abar_s) * eps
    x_t_back = sp.sqrt(abar_t) * (x_s - sp.sqrt(1 - abar_s) * eps) / sp.sqrt(abar_s) + sp.sqrt(1 - abar_t) * eps
    sbar = lambda ab: sp.sqrt((1 - ab) / ab)  # noqa: E731
    return [
        _step("1. invert the eta = 0 step: x_t = sqrt(abar_t)(x_s - sqrt(1-abar_s) eps)/sqrt(abar_s) + sqrt(1-abar_t) eps",
              x_t_back, x_t),
        _step("2. Eq. 13: x_s/sqrt(abar_s) = x_t/sqrt(abar_t) + (sigmabar_s - sigmabar_t) eps",
              x_s / sp.sqrt(abar_s), _sym_euler_step(x_t / sp.sqrt(abar_t), sbar(abar_t), sbar(abar_s), eps)),
    ]


def slerp_norm_steps() -> list[Step]:
    """Why slerp and not a straight line between two x_T: for orthogonal z_0, z_1 of equal norm r (what two
    high-dimensional Gaussian draws nearly are), slerp keeps |z|² = r² for every α, lerp shrinks it to
    r²(1 − 2α(1−α)), half at α = 1/2 (a point N(0, I) almost never produces)."""
    a, r = sp.symbols("alpha r", positive=True)
    theta = sp.pi / 2
    w0, w1 = sp.sin((1 - a) * theta) / sp.sin(theta), sp.sin(a * theta) / sp.sin(theta)
    return [
        _step("1. slerp of orthogonal z0, z1 with |z| = r: |z|^2 = r^2", r**2 * (w0**2 + w1**2), r**2),
        _step("2. lerp: |(1-alpha) z0 + alpha z1|^2 = r^2 (1 - 2 alpha (1 - alpha))",
              r**2 * ((1 - a) ** 2 + a**2), r**2 * (1 - 2 * a * (1 - a))),
    ]


# ---- lecture 08 ----
# Theorem 1: J_σ = L_γ + C. Symbols: a = α_t, _abp = ᾱ_{t-1}, ᾱ_t = a·_abp (above); σ_t (lecture 04);
# _eps_true = the forward noise ε, eps = the network's ε_θ (lecture 04's x0_hat uses it so).
_eps_true = sp.Symbol("epsilon_noise", real=True)  # lecture 04's "epsilon" is ε_θ
_eps_theta = _eps
_m1, _m2, _xv = sp.symbols("m_1 m_2 x", real=True)
_s = sp.Symbol("s", positive=True)
_g1, _g2, _A1, _A2, _B1, _B2, _C1, _C2, _th = sp.symbols("gamma_1 gamma_2 A_1 A_2 B_1 B_2 C_1 C_2 theta", positive=True)
_gam = sp.Symbol("gamma_t", positive=True)

__all__ += ["theorem1_c", "theorem1_gamma_expr", "theorem1_steps", "theorem1_optimum_steps", "theorem1_shared_optimum",
            "theorem1_gammas", "theorem1_kl_check", "theorem1_linear_optimum"]


def _gauss_pdf(v, m, s):
    return sp.exp(-(v - m) ** 2 / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2)


def theorem1_c(alpha_bar=_ab, alpha_bar_prev=_abp, sig=_sigma):
    """c_t = √ᾱ_{t-1} - √(1-ᾱ_{t-1}-σ_t²)·√ᾱ_t/√(1-ᾱ_t): the weight of x_0 in the mean of q_σ (Eq. 7)."""
    return sp.sqrt(alpha_bar_prev) - sp.sqrt(1 - alpha_bar_prev - sig**2) * sp.sqrt(alpha_bar) / sp.sqrt(1 - alpha_bar)


def theorem1_gamma_expr(alpha_bar=_ab, alpha_bar_prev=_abp, sig=_sigma):
    """γ_t = c_t² (1-ᾱ_t) / (2 σ_t² ᾱ_t), the weight of E‖ε - ε_θ‖² in the t-th term of J_σ (t ≥ 2)."""
    return theorem1_c(alpha_bar, alpha_bar_prev, sig) ** 2 * (1 - alpha_bar) / (2 * sig**2 * alpha_bar)


def theorem1_steps() -> list[Step]:
    """The t-th term of J_σ (t ≥ 2), E[KL(q_σ(x_{t-1}|x_t,x_0) ‖ p_θ(x_{t-1}|x_t))], is γ_t E‖ε - ε_θ‖².

    p_θ(x_{t-1}|x_t) = q_σ(x_{t-1}|x_t, x̂₀) (Eq. 10): same variance σ_t², mean with x̂₀ for x_0. So
    1. KL of two Gaussians with one variance = (m_1 - m_2)²/(2σ²)  (integral of q·log(q/p), done by sympy);
    2. the means differ by c_t (x_0 - x̂₀)  (Eq. 7's mean is affine in x_0);
    3. with x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε, x_0 - x̂₀ = √(1-ᾱ_t)/√ᾱ_t (ε_θ - ε)  (Eq. 9);
    4. so the KL per coordinate is γ_t (ε - ε_θ)², γ_t = c_t² (1-ᾱ_t)/(2σ_t² ᾱ_t), free of θ;
    5. at σ_t² = β̃_t (DDPM) γ_t is Ho et al.'s weight β_t²/(2σ_t² α_t (1-ᾱ_t)).
    """
    p = _gauss_pdf(_xv, _m1, _s)
    log_ratio = sp.expand(sp.expand_log(sp.log(p) - sp.log(_gauss_pdf(_xv, _m2, _s)), force=True))
    kl = sp.integrate(p * log_ratio, (_xv, -sp.oo, sp.oo))
    f = sp.Symbol("f", real=True)  # any value put in for x_0
    c = theorem1_c()
    x_t = sp.sqrt(_ab) * _x0 + sp.sqrt(1 - _ab) * _eps_true
    x0h = x0_hat().subs(_xt, x_t)
    gamma = theorem1_gamma_expr()
    gap2 = (c * (_x0 - x0h)) ** 2
    # at σ² = β̃_t, √(1-ᾱ_{t-1}-β̃_t) = √α_t (1-ᾱ_{t-1})/√(1-ᾱ_t) (lecture 03, step 1)
    root = sp.sqrt(_a) * (1 - _abp) / sp.sqrt(1 - _ab)
    c_ddpm = sp.sqrt(_abp) - root * sp.sqrt(_ab) / sp.sqrt(1 - _ab)
    beta_tilde = (1 - _abp) * _beta / (1 - _ab)
    gamma_ddpm = c_ddpm**2 * (1 - _ab) / (2 * beta_tilde * _ab)
    return [
        _step("1. KL(N(m1, s^2) || N(m2, s^2)) = (m1 - m2)^2 / (2 s^2)", kl, (_m1 - _m2) ** 2 / (2 * _s**2)),
        _step("2. mean(x_0) - mean(f) = c_t (x_0 - f)   [Eq. 7 mean, affine in x_0]",
              _q_sigma_mean(_x0) - _q_sigma_mean(f), c * (_x0 - f)),
        _step("3. x_0 - x0_hat = sqrt(1 - abar_t)/sqrt(abar_t) (eps_theta - eps)   [Eq. 9]",
              _x0 - x0h, sp.sqrt(1 - _ab) / sp.sqrt(_ab) * (_eps_theta - _eps_true)),
        _step("4. KL_t = c_t^2 (x_0 - x0_hat)^2 / (2 sigma^2) = gamma_t (eps - eps_theta)^2",
              gap2 / (2 * _sigma**2), gamma * (_eps_true - _eps_theta) ** 2),
        _step("5. sigma^2 = beta_tilde: gamma_t = beta_t^2 / (2 sigma^2 alpha_t (1 - abar_t))   [DDPM]",
              gamma_ddpm, _beta**2 / (2 * beta_tilde * _a * (1 - _ab))),
    ]


def theorem1_optimum_steps() -> list[Step]:
    """Separate parameters per t: the t-th term γ_t (A θ² - 2 B θ + C) is minimised at θ = B/A for every γ_t > 0.

    (A θ² - 2Bθ + C is E‖ε - ε_θ‖² for a model linear in its parameters θ; the argument holds for any
    function class with separate parameters per t, since each term is minimised on its own.)
    """
    term = _gam * (_A1 * _th**2 - 2 * _B1 * _th + _C1)
    (theta_star,) = sp.solve(sp.diff(term, _th), _th)
    return [_step("1. separate theta_t: argmin of gamma_t (A theta^2 - 2 B theta + C) = B/A (no gamma_t)",
                  theta_star, _B1 / _A1)]


def theorem1_shared_optimum():
    """One θ shared by two t's: (argmin, d argmin / dγ_1). The derivative is not 0: then the weights matter."""
    obj = _g1 * (_A1 * _th**2 - 2 * _B1 * _th + _C1) + _g2 * (_A2 * _th**2 - 2 * _B2 * _th + _C2)
    (theta_star,) = sp.solve(sp.diff(obj, _th), _th)
    return sp.simplify(theta_star), sp.factor(sp.diff(theta_star, _g1))


# ---- lecture 10 ----
# ᾱ written through σ² = (1-ᾱ)/ᾱ > 0, i.e. ᾱ = 1/(1+σ²): every ᾱ in (0, 1) and no side conditions.
__all__ += ["ode_view_steps", "gaussian_flow_steps"]


def _sym_euler_step(xbar, sig, sig_prev, eps):
    """One Euler step of dx̄/dσ = ε from σ to σ_prev (Eq. 13): x̄ + (σ_prev − σ) ε (``core.step.euler_step`` in numbers)."""
    return xbar + (sig_prev - sig) * eps


def ode_view_steps() -> list[Step]:
    """DDIM at η = 0 (Eq. 12) divided by sqrt(ᾱ_prev) is Eq. 13, an Euler step of dx̄/dσ = ε (Eq. 14)."""
    x, eps = sp.symbols("x epsilon", real=True)
    sig, sig_p = sp.symbols("sigma sigma_prev", positive=True)
    a, a_p = 1 / (1 + sig**2), 1 / (1 + sig_p**2)
    x0_pred = (x - sp.sqrt(1 - a) * eps) / sp.sqrt(a)  # Eq. 9
    x_prev = sp.sqrt(a_p) * x0_pred + sp.sqrt(1 - a_p) * eps  # Eq. 12, η = 0
    return [
        _exact("1. sigma = sqrt((1-abar)/abar) <=> abar = 1/(1+sigma^2)", sp.sqrt((1 - a) / a), sig),
        _exact("2. Eq. 13: x_prev/sqrt(abar_prev) = x/sqrt(abar) + (sigma_prev - sigma) eps",
               x_prev / sp.sqrt(a_p), _sym_euler_step(x / sp.sqrt(a), sig, sig_p, eps)),
    ]


def gaussian_flow_steps() -> list[Step]:
    """Gaussian data N(μ, s²): the exact ε in x̄ = x/sqrt(ᾱ), the score form of ε, and the flow map that solves Eq. 14."""
    xb, mu, c = sp.symbols("xbar mu c", real=True)
    s, sig = sp.symbols("s sigma", positive=True)
    a = 1 / (1 + sig**2)
    x = xb * sp.sqrt(a)
    post_mean = mu + sp.sqrt(a) * s**2 / (a * s**2 + 1 - a) * (x - sp.sqrt(a) * mu)  # oracles.GaussianDenoiser
    eps = (x - sp.sqrt(a) * post_mean) / sp.sqrt(1 - a)
    xs = sp.Symbol("x_t", real=True)
    log_q = -(xs - sp.sqrt(a) * mu) ** 2 / (2 * (a * s**2 + 1 - a))  # log N(x_t; sqrt(abar) mu, abar s^2 + 1 - abar) + const
    score_eps = (-sp.sqrt(1 - a) * sp.diff(log_q, xs)).subs(xs, x)
    path = mu + c * sp.sqrt(s**2 + sig**2)
    return [
        _exact("3. exact eps in xbar: eps = sigma (xbar - mu)/(s^2 + sigma^2)", eps, sig * (xb - mu) / (s**2 + sig**2)),
        _exact("4. score: -sqrt(1-abar) d/dx log q_t(x) = eps (Tweedie)", score_eps, eps),
        _exact("5. xbar(sigma) = mu + c sqrt(s^2+sigma^2) solves d xbar/d sigma = eps",
               sp.diff(path, sig), (sig * (xb - mu) / (s**2 + sig**2)).subs(xb, path)),
    ]
