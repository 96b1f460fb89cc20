"""Theorem 1 in numbers (lecture 08): the weights γ_t on a schedule, the KL between two q_σ posteriors against
γ_t ‖ε − ε_θ‖², and the optimum of a linear ε-model under any weights. The sympy derivation of the same theorem
is in ``ddim_teach.course.symbolic`` (``theorem1_steps``), which re-exports these three for the lecture."""
from __future__ import annotations

import torch

from ..core.derivations import q_sigma_posterior_mean_variance
from ..core.forward import q_sample

__all__ = ["theorem1_gammas", "theorem1_kl_check", "theorem1_linear_optimum"]


def theorem1_gammas(schedule, eta: float):
    """(t, γ_t) for the paper's t = 2..T: γ_t = c_t² (1-ᾱ_t)/(2σ_t² ᾱ_t) with σ_t = η √β̃_t (Eq. 16), float64.

    σ_t must be > 0 (Theorem 1 is stated for σ > 0): η = 0 has no finite weights.
    """
    if not isinstance(eta, (int, float)) or isinstance(eta, bool) or not 0.0 < eta <= 1.0:
        raise ValueError(f"Theorem 1 needs sigma_t > 0: eta must be in (0, 1], got {eta!r}")
    ab_t = schedule.alphas_cumprod[1:].double()
    ab_prev = schedule.alphas_cumprod[:-1].double()
    sig2 = eta**2 * (1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)
    c = ab_prev.sqrt() - (1 - ab_prev - sig2).clamp(min=0).sqrt() * ab_t.sqrt() / (1 - ab_t).sqrt()
    gamma = c**2 * (1 - ab_t) / (2 * sig2 * ab_t)
    return torch.arange(2, schedule.T + 1), gamma


def theorem1_kl_check(schedule, x0, eps_true, eps_theta, t: int, eta: float):
    """Per sample: (KL(q_σ(·|x_t,x_0) ‖ q_σ(·|x_t,x̂₀)), γ_t ‖ε - ε_θ‖²) at table index ``t`` (paper t+1 ≥ 2).

    The KL is computed from the package's q_σ means (``derivations.q_sigma_posterior_mean_variance``),
    independently of the formula for γ_t; the two columns agree when Theorem 1's algebra is right.
    """
    if not isinstance(t, int) or not 1 <= t < schedule.T:
        raise ValueError(f"t must be a table index in [1, {schedule.T - 1}] (paper t = 2..T), got {t!r}")
    x0, eps_true, eps_theta = (v.double() for v in (x0, eps_true, eps_theta))
    ab_t = float(schedule.alphas_cumprod[t])
    x_t = q_sample(schedule, x0, t, noise=eps_true)
    x0_hat_ = (x_t - (1 - ab_t) ** 0.5 * eps_theta) / ab_t**0.5
    sig = float(eta) * float(schedule.posterior_variance[t]) ** 0.5
    m_q, var = q_sigma_posterior_mean_variance(schedule, x0, x_t, t, sig)
    m_p, _ = q_sigma_posterior_mean_variance(schedule, x0_hat_, x_t, t, sig)
    dims = tuple(range(1, x0.ndim))
    kl = ((m_q - m_p) ** 2 / (2 * var)).sum(dims)
    gamma = theorem1_gammas(schedule, float(eta))[1][t - 1]
    return kl, gamma * ((eps_true - eps_theta) ** 2).sum(dims)


def theorem1_linear_optimum(schedule, data_var: float, gamma=None):
    """1-D data x_0 ~ N(0, data_var) and the linear model ε_θ(x_t, t) = θ_t x_t. Minimising
    Σ_t γ_t E(ε - θ_t x_t)²: with a θ_t per t the optimum is θ_t* = √(1-ᾱ_t)/(ᾱ_t data_var + 1-ᾱ_t) for any γ;
    with one shared θ it is Σ γ_t √(1-ᾱ_t) / Σ γ_t (ᾱ_t data_var + 1-ᾱ_t), which moves with γ.
    ``gamma`` is a tensor over the table indices used (default: all ones, L_simple). Returns (θ_t*, θ_shared*).
    """
    ab_t = schedule.alphas_cumprod.double()
    if gamma is None:
        gamma = torch.ones_like(ab_t)
    gamma = torch.as_tensor(gamma, dtype=torch.float64)
    if gamma.shape != ab_t.shape or not bool((gamma > 0).all()):
        raise ValueError(f"gamma must be {tuple(ab_t.shape)} positive weights, got shape {tuple(gamma.shape)}")
    B = (1 - ab_t).sqrt()  # E[ε x_t]
    A = ab_t * data_var + 1 - ab_t  # E[x_t²]
    return B / A, float((gamma * B).sum() / (gamma * A).sum())
