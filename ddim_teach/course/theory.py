"""The theory a student still asks for: the ELBO behind L_simple, the SDE end of the η dial, the three
parameterisations. Each part has its sympy derivation (``*_steps``, checked line by line as in
``symbolic``) and the numbers that the lectures print.

ELBO (lecture 08). DDPM's bound  E[-log p_θ(x_0)] ≤ L = L_T + Σ_{t≥2} L_{t-1} + L_0  with
    L_T     = KL(q(x_T|x_0) ‖ N(0, I))                                       (no θ)
    L_{t-1} = KL(q(x_{t-1}|x_t,x_0) ‖ p_θ(x_{t-1}|x_t)) = λ_t ‖ε - ε_θ‖²       (σ_t² = β̃_t)
    L_0     = -log N(x_0; x̂₀(x_1), β_1)                                     (the decoder)
with λ_t = β_t² / (2 β̃_t α_t (1 - ᾱ_t)) = ½ (SNR_{t-1}/SNR_t - 1) for t ≥ 2 and λ_1 = 1/(2 α_1). L_simple puts
weight 1 on every t. ``elbo_weights`` gives λ_t; ``gaussian_elbo`` the bound in closed form for Gaussian data
and its exact denoiser; ``gaussian_elbo_mc`` a Monte Carlo estimate of the bound from its definition
E_q[log q(x_{1:T}|x_0) - log p_θ(x_{0:T})], with the forward chain sampled one step at a time.

SDE (lecture 10). In the course's ODE variables x̄ = x/√ᾱ and σ = √((1-ᾱ)/ᾱ) the forward process is
dx̄ = √(2σ) dw (Fokker–Planck: ∂p/∂σ = σ ∂²p/∂x̄²). Every member of the family
    dx̄ = (1 + λ²) ε(x̄, σ) dσ + λ √(2σ) dw̄,        ε = -σ ∇ log p_σ,  λ ≥ 0,
run from large σ to 0, has the same marginals: λ = 0 is the probability-flow ODE (Eq. 14), λ = 1 the reverse
SDE. ``sde_mean_gain`` is the exact E[x̄_0 - μ | x̄_T] / (x̄_T - μ) of that family for Gaussian data,
``ddim_mean_gain`` the same number for DDIM at (η, S) from ``gaussian_law``'s exact affine steps, and
``matching_lambda`` solves one for the other: the λ that DDIM's η is, measured.

Parameterisations (lecture 08). ``loss_weights`` gives the weight on ‖x_0 - x̂₀‖² that each prediction
target implies: SNR (ε), 1 (x_0), 1 + SNR (v); ``x0_error_gain`` how much an error of one unit in each
prediction moves x̂₀: 1/√SNR for ε (infinite at zero terminal SNR), √(1-ᾱ) for v, 1 for x_0.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..experiments.laws import (  # noqa: F401  (the numbers, re-exported for the lectures)
    ddim_mean_gain, elbo_weights, gamma_weights, gaussian_elbo, gaussian_elbo_mc, interval, law_errors, loss_weights,
    matching_lambda, output_law, sde_mean_gain, x0_error_gain,
)

__all__ = [
    "elbo_steps", "parameterisation_steps", "sde_steps", "print_steps", "all_zero",
    "elbo_weights", "gamma_weights", "gaussian_elbo", "gaussian_elbo_mc", "loss_weights", "x0_error_gain",
    "sde_mean_gain", "ddim_mean_gain", "matching_lambda", "output_law", "law_errors", "interval",
]


@dataclass
class Step:
    """One line of a derivation, as in ``symbolic``: ``lhs = rhs`` and residual = simplify(lhs - rhs)
    (``symbolic.print_steps`` and ``symbolic.all_zero`` read these too)."""

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    residual: sp.Expr


def _step(name: str, lhs, rhs) -> Step:
    return Step(name, lhs, rhs, sp.simplify(sp.expand(lhs - rhs)))


def _exact(name: str, lhs, rhs) -> Step:
    return Step(name, lhs, rhs, sp.simplify(lhs - rhs))


def _one_step_schedule():
    """(ᾱ_{t-1}, α_t, ᾱ_t, β_t) through positive k, m: ᾱ_{t-1} = 1/(1+k), α_t = 1/(1+m) (as lectures 01-02 do)."""
    k, m = sp.symbols("k m", positive=True)
    abar_prev, alpha = 1 / (1 + k), 1 / (1 + m)
    return abar_prev, alpha, abar_prev * alpha, 1 - alpha


def print_steps(steps) -> None:
    """One line per step: ``simplify(lhs - rhs) = 0  <name>``."""
    for st in steps:
        print(f"simplify(lhs - rhs) = {st.residual}   {st.name}")


def all_zero(steps) -> bool:
    return all(st.residual == 0 for st in steps)


# ---- sympy: the ELBO ------------------------------------------------------------------------------------
def _log_gauss(x, mean, var):
    return -(x - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2


def elbo_steps() -> list[Step]:
    """The bound's decomposition and the reweighting to L_simple, one line each.

    1. Bayes' rule turns the forward chain into the posterior chain (T = 2, exact rationals):
       log q(x_1|x_0) + log q(x_2|x_1) = log q(x_2|x_0) + log q(x_1|x_2, x_0). Put into
       E_q[log q(x_{1:T}|x_0) - log p(x_{0:T})] it gives L_T + Σ L_{t-1} + L_0.
    2. KL of two Gaussians (different variances), by integrating q log(q/p).
    3. With one variance β̃_t, μ̃(x_t, x_0) - μ_θ(x_t) = β_t/(√α_t √(1-ᾱ_t)) (ε_θ - ε).
    4. So L_{t-1} = λ_t (ε - ε_θ)², λ_t = β_t²/(2 β̃_t α_t (1-ᾱ_t)) = ½ (SNR_{t-1}/SNR_t - 1).
    5. λ_t is Theorem 1's γ_t at σ_t² = β̃_t (η = 1): the ELBO is J_σ at η = 1.
    6. The decoder: (x_0 - x̂₀(x_1))²/(2β_1) = (ε - ε_θ)²/(2α_1).
    """
    # 1. two steps with β = 1/10, 1/5
    x0, x1, x2 = sp.symbols("x0 x1 x2", real=True)
    b1, b2 = sp.Rational(1, 10), sp.Rational(1, 5)
    a1, a2 = 1 - b1, 1 - b2
    ab1, ab2 = a1, a1 * a2
    bt2 = (1 - ab1) / (1 - ab2) * b2
    mu_t = sp.sqrt(ab1) * b2 / (1 - ab2) * x0 + sp.sqrt(a2) * (1 - ab1) / (1 - ab2) * x2
    lhs1 = _log_gauss(x1, sp.sqrt(a1) * x0, b1) + _log_gauss(x2, sp.sqrt(a2) * x1, b2)
    rhs1 = _log_gauss(x2, sp.sqrt(ab2) * x0, 1 - ab2) + _log_gauss(x1, mu_t, bt2)
    # 2. KL(N(m1, s1²) ‖ N(m2, s2²))
    xv, m1, m2 = sp.symbols("x m1 m2", real=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    q = sp.exp(-(xv - m1) ** 2 / (2 * s1**2)) / sp.sqrt(2 * sp.pi * s1**2)
    log_ratio = sp.expand(_log_gauss(xv, m1, s1**2) - _log_gauss(xv, m2, s2**2))
    kl = sp.integrate(q * log_ratio, (xv, -sp.oo, sp.oo))
    kl_closed = sp.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - sp.Rational(1, 2)
    # 3.–5. one step of a general schedule: ᾱ_{t-1} = 1/(1+k), α_t = 1/(1+m)
    abp, a, ab, beta = _one_step_schedule()
    xt0, eps, eps_th = sp.symbols("x_0 epsilon epsilon_theta", real=True)
    x_t = sp.sqrt(ab) * xt0 + sp.sqrt(1 - ab) * eps
    mu_tilde = sp.sqrt(abp) * beta / (1 - ab) * xt0 + sp.sqrt(a) * (1 - abp) / (1 - ab) * x_t
    mu_theta = (x_t - beta / sp.sqrt(1 - ab) * eps_th) / sp.sqrt(a)
    beta_tilde = (1 - abp) / (1 - ab) * beta
    lam = beta**2 / (2 * beta_tilde * a * (1 - ab))
    snr, snr_prev = ab / (1 - ab), abp / (1 - abp)
    sig = sp.Symbol("sigma", positive=True)
    c_t = sp.sqrt(abp) - sp.sqrt(1 - abp - sig**2) * sp.sqrt(ab) / sp.sqrt(1 - ab)  # Theorem 1's c_t (lecture 08)
    gamma_eta1 = (c_t**2 * (1 - ab) / (2 * sig**2 * ab)).subs(sig, sp.sqrt(beta_tilde))
    # 6. the decoder at t = 1: ᾱ_1 = α_1
    x1v = sp.sqrt(a) * xt0 + sp.sqrt(1 - a) * eps
    x0_hat = (x1v - sp.sqrt(1 - a) * eps_th) / sp.sqrt(a)
    return [
        _step("1. log q(x1|x0) + log q(x2|x1) = log q(x2|x0) + log q(x1|x2,x0)   [Bayes, T = 2]",
              sp.expand(sp.expand_log(lhs1, force=True)), sp.expand(sp.expand_log(rhs1, force=True))),
        _step("2. KL(N(m1,s1^2) || N(m2,s2^2)) = log(s2/s1) + (s1^2 + (m1-m2)^2)/(2 s2^2) - 1/2", kl, kl_closed),
        _step("3. mu_tilde(x_t, x_0) - mu_theta(x_t) = beta_t/(sqrt(alpha_t) sqrt(1-abar_t)) (eps_theta - eps)",
               mu_tilde - mu_theta, beta / (sp.sqrt(a) * sp.sqrt(1 - ab)) * (eps_th - eps)),
        _exact("4. (mu_tilde - mu_theta)^2/(2 beta_tilde) = lambda_t (eps - eps_theta)^2",
               (beta / (sp.sqrt(a) * sp.sqrt(1 - ab)) * (eps_th - eps)) ** 2 / (2 * beta_tilde), lam * (eps - eps_th) ** 2),
        _exact("4'. lambda_t = (SNR_{t-1}/SNR_t - 1)/2", lam, (snr_prev / snr - 1) / 2),
        _exact("5. lambda_t = gamma_t of Theorem 1 at sigma_t^2 = beta_tilde (eta = 1)", lam, gamma_eta1),
        _exact("6. decoder: (x_0 - x0_hat(x_1))^2/(2 beta_1) = (eps - eps_theta)^2/(2 alpha_1)",
               (xt0 - x0_hat) ** 2 / (2 * beta), (eps - eps_th) ** 2 / (2 * a)),
    ]


# ---- sympy: ε, x_0 and v ---------------------------------------------------------------------------------
def parameterisation_steps() -> list[Step]:
    """How each target turns into the others, and the weight on (x_0 - x̂₀)² that each loss implies.

    ᾱ = 1/(1+k) (k = 1/SNR > 0); x_t = √ᾱ x_0 + √(1-ᾱ) ε and v = √ᾱ ε - √(1-ᾱ) x_0 (Salimans & Ho 2022).
    A prediction ε̂ (or v̂) defines x̂₀ through x_t; the steps give the losses in terms of x_0's error.
    """
    k = sp.Symbol("k", positive=True)
    ab = 1 / (1 + k)
    snr = ab / (1 - ab)
    x0, eps, eh, vh = sp.symbols("x_0 epsilon epsilon_hat v_hat", real=True)
    x_t = sp.sqrt(ab) * x0 + sp.sqrt(1 - ab) * eps
    v = sp.sqrt(ab) * eps - sp.sqrt(1 - ab) * x0
    x0_from_eps = (x_t - sp.sqrt(1 - ab) * eh) / sp.sqrt(ab)          # Eq. 9
    v_from_eps = sp.sqrt(ab) * eh - sp.sqrt(1 - ab) * x0_from_eps     # the v that ε̂ implies
    x0_from_v = sp.sqrt(ab) * x_t - sp.sqrt(1 - ab) * vh
    return [
        _exact("1. x_0 = sqrt(abar) x_t - sqrt(1-abar) v", sp.sqrt(ab) * x_t - sp.sqrt(1 - ab) * v, x0),
        _exact("2. eps = sqrt(1-abar) x_t + sqrt(abar) v", sp.sqrt(1 - ab) * x_t + sp.sqrt(ab) * v, eps),
        _exact("3. (eps - eps_hat)^2 = SNR (x_0 - x0_hat)^2        [eps loss = SNR-weighted x_0 loss]",
               (eps - eh) ** 2, snr * (x0 - x0_from_eps) ** 2),
        _exact("4. (v - v_hat)^2 = (1 + SNR) (x_0 - x0_hat)^2      [v loss]",
               (v - v_from_eps) ** 2, (1 + snr) * (x0 - x0_from_eps) ** 2),
        _exact("5. x_0 - x0_hat(eps_hat) = (eps_hat - eps)/sqrt(SNR)  [blows up as SNR -> 0]",
               x0 - x0_from_eps, (eh - eps) / sp.sqrt(snr)),
        _exact("6. x_0 - x0_hat(v_hat) = sqrt(1-abar) (v_hat - v)     [bounded by |v_hat - v|]",
               x0 - x0_from_v, sp.sqrt(1 - ab) * (vh - v)),
    ]


# ---- sympy: the SDE end of the dial -----------------------------------------------------------------------
def sde_steps() -> list[Step]:
    """The family of reverse processes that share the forward marginals, on Gaussian data in (σ, x̄).

    p_σ = N(μ, s² + σ²) is x̄ = x_0 + σ ε for x_0 ~ N(μ, s²); its exact ε is σ(x̄ - μ)/(s² + σ²).
    1. Forward Fokker–Planck of dx̄ = √(2σ) dw:  ∂p/∂σ = σ ∂²p/∂x̄².
    2. Rewrite the same equation with drift -½(1-λ²)·2σ·∇log p and diffusion λ√(2σ), for any λ.
    3. ε = -σ ∇ log p_σ (the score through ε; in x, ∇ log q_t = -ε/√(1-ᾱ_t)).
    4. Reverse family dx̄ = (1+λ²) ε dσ + λ√(2σ) dw̄ (σ decreasing): its Fokker–Planck in σ,
       ∂p/∂σ = -∂(b p)/∂x̄ - λ² σ ∂²p/∂x̄² with b = (1+λ²) ε, is satisfied by the same p_σ for every λ.
    5. The conditional mean of that family, dm/dσ = (1+λ²) σ m/(s² + σ²), is m ∝ (s² + σ²)^((1+λ²)/2).
    6. DDIM's noise per step in x̄, σ_t(η)²/ᾱ_{t-1}, over the SDE's λ² Δ(σ²), tends to η² as the step shrinks.
    """
    x, mu = sp.symbols("xbar mu", real=True)
    s, sg = sp.symbols("s sigma", positive=True)
    lam = sp.Symbol("lambda", nonnegative=True)
    var = s**2 + sg**2
    p = sp.exp(-(x - mu) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)
    score = sp.diff(sp.log(p), x)
    eps = sg * (x - mu) / var
    dp = sp.diff(p, sg)
    fam = -sp.diff(-(1 - lam**2) * sg * score * p, x) + lam**2 * sg * sp.diff(p, x, 2)
    b = (1 + lam**2) * eps
    rev = -sp.diff(b * p, x) - lam**2 * sg * sp.diff(p, x, 2)
    m = var ** ((1 + lam**2) / 2)
    # 6. one step: ᾱ_t = ᾱ_{t-1}(1 - h)
    abp, h, eta = sp.symbols("abar_prev h eta", positive=True)
    ab = abp * (1 - h)
    ddim_var = eta**2 * (1 - abp) / (1 - ab) * (1 - ab / abp) / abp
    sde_var = (1 / ab - 1 / abp)  # Δ(σ²) = Δ(1/ᾱ), times λ²
    return [
        _step("1. dp/dsbar = sbar d2p/dx2   [forward Fokker-Planck, dx = sqrt(2 sbar) dw; sbar = sigma-bar]", dp / p,
              sg * sp.diff(p, x, 2) / p),
        _step("2. = -d/dx[(-(1-lam^2) sbar dlogp/dx) p] + lam^2 sbar d2p/dx2   [same marginals, any lam]",
              dp / p, fam / p),
        _step("3. eps = -sbar dlogp/dx   [the score through eps]", eps, -sg * score),
        _step("4. reverse family dx = (1+lam^2) eps dsbar + lam sqrt(2 sbar) dw: its Fokker-Planck holds",
              dp / p, rev / p),
        _step("5. m = (s^2+sbar^2)^((1+lam^2)/2) solves dm/dsbar = (1+lam^2) sbar m/(s^2+sbar^2)",
              sp.diff(m, sg) / m, (1 + lam**2) * sg / var),
        _step("6. lim_{h->0} DDIM noise in xbar / Delta(sbar^2) = eta^2",
              sp.limit(sp.simplify(ddim_var / sde_var), h, 0), eta**2),
    ]
