"""The derivations of the DDIM paper (Sec. 3) and of the study note, as numerical checks.

1. Telescoping. DDPM's forward chain factorises two ways (the note's derivation; DDIM Eq. 6 with σ² = β̃):
       ∏_{t=1}^T q(x_t | x_{t-1})  =  q(x_T | x_0) ∏_{t=2}^T q(x_{t-1} | x_t, x_0)
   Each step of the telescope is Bayes' rule plus the Markov property (the note's (*)):
       q(x_{t-1} | x_0) q(x_t | x_{t-1}) = q(x_t | x_0) q(x_{t-1} | x_t, x_0).
2. The posterior mean in two forms (DDPM Eq. 7 and DDIM Eq. 7 with σ² = β̃).
3. DDIM's non-Markovian family q_σ (Eq. 6-7): its marginals are q(x_t | x_0) for every σ (Lemma 1), while
   its joint equals DDPM's Markov joint only when σ_t² = β̃_t.

Indices: the paper's step t (1..T) is table index t-1 here; x at index -1 is x_0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ._tensor import check_finite, extract
from .forward import (
    q_log_prob,
    q_mean_variance,
    q_posterior_log_prob,
    q_posterior_mean_variance,
    q_sample,
    q_step_log_prob,
    q_step_sample,
    gaussian_log_prob,
)
from .step import ddim_direction, ddim_step
from .schedule import Schedule
from .timesteps import validate_timesteps

__all__ = [
    "TelescopingResult",
    "telescoping_check",
    "bayes_step_identity",
    "posterior_mean_forms",
    "q_sigma_posterior_mean_variance",
    "q_sigma_forward_step",
    "MarginalCheck",
    "q_sigma_marginal_check",
    "JointCheck",
    "q_sigma_joint_check",
    "eta_to_sigmas",
    "q_sigma_subsequence_marginals",
]


def _f64(x: torch.Tensor) -> torch.Tensor:
    check_finite(x, "x0")
    return x.detach().to(torch.float64)


# 1. telescoping ------------------------------------------------------------------------------------------
def bayes_step_identity(schedule: Schedule, x0, x_prev, x_t, t: int):
    """Both sides, as log-densities of shape (B,), of  q(x_{t-1}|x_0) q(x_t|x_{t-1}) = q(x_t|x_0) q(x_{t-1}|x_t,x_0).

    ``t`` is a table index ≥ 1 (the paper's step t+1); ``x_prev`` is x at index t-1.
    """
    if not isinstance(t, int) or t < 1:
        raise ValueError(f"the Bayes step needs a table index t >= 1 (x_{{t-1}} must be noisy), got {t!r}")
    lhs = q_log_prob(schedule, x_prev, x0, t - 1) + q_step_log_prob(schedule, x_t, x_prev, t)
    rhs = q_log_prob(schedule, x_t, x0, t) + q_posterior_log_prob(schedule, x_prev, x_t, x0, t)
    return lhs, rhs


@dataclass
class TelescopingResult:
    """``log_markov`` = log ∏ q(x_t|x_{t-1}); ``log_telescoped`` = log q(x_T|x_0) + Σ_{t≥2} log q(x_{t-1}|x_t,x_0).

    ``step_identities[t]`` (paper's t = 2, 3) holds (lhs, rhs) of the single Bayes step the note writes out.
    """

    log_markov: torch.Tensor
    log_telescoped: torch.Tensor
    max_abs_diff: float
    max_rel_diff: float
    step_identities: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"TelescopingResult(B={self.log_markov.shape[0]}, max_abs_diff={self.max_abs_diff:.3e}, "
                f"max_rel_diff={self.max_rel_diff:.3e}, log_markov[0]={self.log_markov[0].item():.6f})")


@torch.no_grad()
def telescoping_check(schedule: Schedule, x0: torch.Tensor, generator: torch.Generator | None = None) -> TelescopingResult:
    """Sample x_{1:T} from the Markov chain for each x_0 and evaluate both factorisations (float64)."""
    x0 = _f64(x0)
    if x0.ndim < 2:
        raise ValueError(f"x0 must have a batch dimension, e.g. (B, 2); got shape {tuple(x0.shape)}")
    log_markov = torch.zeros(x0.shape[0], dtype=torch.float64)
    log_tel = torch.zeros_like(log_markov)
    identities = {}
    x_prev = x0
    for t in range(schedule.T):
        x_t = q_step_sample(schedule, x_prev, t, generator=generator)
        log_markov += q_step_log_prob(schedule, x_t, x_prev, t)
        if t >= 1:
            log_tel += q_posterior_log_prob(schedule, x_prev, x_t, x0, t)
            if t + 1 in (2, 3):
                identities[t + 1] = bayes_step_identity(schedule, x0, x_prev, x_t, t)
        x_prev = x_t
    log_tel += q_log_prob(schedule, x_prev, x0, schedule.T - 1)
    diff = (log_markov - log_tel).abs()
    return TelescopingResult(
        log_markov=log_markov,
        log_telescoped=log_tel,
        max_abs_diff=float(diff.max()),
        max_rel_diff=float((diff / log_markov.abs().clamp(min=1e-300)).max()),
        step_identities=identities,
    )


# 2. posterior mean in two forms --------------------------------------------------------------------------
def q_sigma_posterior_mean_variance(schedule: Schedule, x0, x_t, t, sigma):
    """DDIM Eq. 7: q_σ(x_{t-1}|x_t,x_0) = N(sqrt(ᾱ_{t-1}) x_0 + sqrt(1-ᾱ_{t-1}-σ²)·(x_t - sqrt(ᾱ_t) x_0)/sqrt(1-ᾱ_t), σ²)."""
    if x0.shape != x_t.shape:
        raise ValueError(f"x0 and x_t must have the same shape, got {tuple(x0.shape)} and {tuple(x_t.shape)}")
    # coefficients are combined in float64 (1 - ᾱ_{t-1} - σ² cancels badly in float32), then cast
    f64 = torch.float64
    ab = extract(schedule.alphas_cumprod, t, x_t, dtype=f64)
    ab_prev = extract(schedule.alphas_cumprod_prev, t, x_t, dtype=f64)
    sigma = torch.as_tensor(sigma, dtype=f64, device=x_t.device)
    if sigma.ndim == 1 and x_t.ndim > 1:
        sigma = sigma.reshape(-1, *([1] * (x_t.ndim - 1)))
    direction = ddim_direction(ab_prev, sigma)  # sqrt(1 - ᾱ_{t-1} - σ²), the same weight as Eq. 12's
    c_dir = (direction / (1 - ab).sqrt()).to(x_t.dtype)
    c_x0 = (ab_prev.sqrt() - direction * ab.sqrt() / (1 - ab).sqrt()).to(x_t.dtype)
    mean = c_x0 * x0 + c_dir * x_t
    variance = (sigma**2).to(x_t.dtype) + torch.zeros_like(mean)
    return mean, variance


def posterior_mean_forms(schedule: Schedule, x0: torch.Tensor, x_t: torch.Tensor, t):
    """(coef_form, ddim_form): the posterior mean written as DDPM's Eq. 7 and as DDIM's Eq. 7 at σ² = β̃_t."""
    coef_form, _ = q_posterior_mean_variance(schedule, x0, x_t, t)
    sigma = extract(schedule.posterior_variance, t, x_t).sqrt()
    ddim_form, _ = q_sigma_posterior_mean_variance(schedule, x0, x_t, t, sigma.reshape(-1))
    return coef_form, ddim_form


# 3. the non-Markovian family q_σ ---------------------------------------------------------------------------
def eta_to_sigmas(schedule: Schedule, eta: float) -> torch.Tensor:
    """σ_t = η sqrt(β̃_t) for consecutive steps (Eq. 16 with τ = 1..T)."""
    if not 0.0 <= float(eta) <= 1.0:
        raise ValueError(f"eta must be in [0, 1], got {eta}")
    return float(eta) * schedule.posterior_variance.sqrt()


def q_sigma_forward_step(schedule: Schedule, t: int, sigma: float):
    """q_σ(x_t | x_{t-1}, x_0) by Bayes' rule (DDIM Eq. 8): returns (coef of x_{t-1}, coef of x_0, variance).

    It is DDPM's q(x_t|x_{t-1}) = N(sqrt(α_t) x_{t-1}, β_t), free of x_0, only when σ² = β̃_t:
    this is the computation behind the note's question about (*).
    """
    if not isinstance(t, int) or not 1 <= t < schedule.T:
        raise ValueError(f"t must be a table index in [1, {schedule.T - 1}], got {t!r}")
    ab, ab_prev = float(schedule.alphas_cumprod[t]), float(schedule.alphas_cumprod_prev[t])
    cov = ddim_direction(ab_prev, sigma) * (1 - ab) ** 0.5  # Cov(x_{t-1}, x_t | x_0)
    coef_prev = cov / (1 - ab_prev)
    coef_x0 = ab**0.5 - coef_prev * ab_prev**0.5
    var = (1 - ab) - cov**2 / (1 - ab_prev)
    return coef_prev, coef_x0, var


@dataclass
class MarginalCheck:
    """Marginals of q_σ against q(x_t|x_0): exact moment propagation and Monte Carlo, per table index."""

    eta: float
    mean_target: torch.Tensor  # sqrt(ᾱ_t) x_0, shape (T, *x0.shape)
    var_target: torch.Tensor  # 1 - ᾱ_t, shape (T,)
    var_propagated: torch.Tensor
    max_abs_diff_propagated: float
    var_mc: torch.Tensor
    max_abs_diff_mc: float
    n_samples: int


@torch.no_grad()
def q_sigma_marginal_check(schedule: Schedule, x0: torch.Tensor, eta: float = 0.0, n_samples: int = 4096,
                           generator: torch.Generator | None = None) -> MarginalCheck:
    """Lemma 1: start from q(x_T|x_0) and run q_σ(x_{t-1}|x_t,x_0) down to t = 1.

    Propagates mean and variance exactly, and ``n_samples`` particles by sampling, for one data point x0
    of any shape (no batch dimension). The variance per index is compared with 1 - ᾱ_t.
    """
    x0 = _f64(x0)
    T = schedule.T
    sigmas = eta_to_sigmas(schedule, eta)
    ab, ab_prev = schedule.alphas_cumprod, schedule.alphas_cumprod_prev
    # exact moments, scalar per dimension: mean_{t-1} = sqrt(ab_prev) x0 + c (mean_t - sqrt(ab) x0)/sqrt(1-ab)
    mean = ab[-1].sqrt() * x0
    var = 1 - ab[-1]
    means, vars_ = [mean], [var]
    x0b = x0.expand(n_samples, *x0.shape)
    x = q_sample(schedule, x0b, T - 1, generator=generator)
    vars_mc = [x.var(dim=0).mean()]
    err_mc = (x.mean(0) - mean).abs().max()
    for t in range(T - 1, 0, -1):
        c = ddim_direction(ab_prev[t], sigmas[t])
        mean = ab_prev[t].sqrt() * x0 + c * (mean - ab[t].sqrt() * x0) / (1 - ab[t]).sqrt()
        var = c**2 * var / (1 - ab[t]) + sigmas[t] ** 2
        means.append(mean)
        vars_.append(var)
        m, v = q_sigma_posterior_mean_variance(schedule, x0b, x, t, sigmas[t])
        x = m + v.sqrt() * torch.randn(x.shape, generator=generator, dtype=x.dtype)
        vars_mc.append(x.var(dim=0).mean())
        err_mc = torch.maximum(err_mc, (x.mean(0) - ab_prev[t].sqrt() * x0).abs().max())
    means = torch.stack(means[::-1])
    var_prop = torch.stack(vars_[::-1])
    var_mc = torch.stack(vars_mc[::-1])
    mean_target = ab.sqrt().reshape(-1, *([1] * x0.ndim)) * x0
    var_target = 1 - ab
    err_prop = max(float((means - mean_target).abs().max()), float((var_prop - var_target).abs().max()))
    err_mc = max(float(err_mc), float((var_mc - var_target).abs().max()))
    return MarginalCheck(float(eta), mean_target, var_target, var_prop, err_prop, var_mc, err_mc, n_samples)


@dataclass
class JointCheck:
    """Joint of q_σ against DDPM's Markov joint, for each η (σ_t = η sqrt(β̃_t)).

    ``cov_gap[eta]``: max over t of |Cov_σ(x_{t-1}, x_t) - Cov_Markov(x_{t-1}, x_t)| (exact; both chains are
    Gaussian with equal marginals, so equal adjacent covariances mean equal joints).
    ``log_density_gap[eta]``: mean |log q_σ(x_{1:T}|x_0) - log q(x_{1:T}|x_0)| over trajectories sampled
    from the Markov chain (only for η > 0, where q_σ has a density).
    """

    etas: tuple
    cov_gap: dict
    log_density_gap: dict


@torch.no_grad()
def q_sigma_joint_check(schedule: Schedule, x0: torch.Tensor, etas=(0.0, 0.25, 0.5, 0.75, 1.0),
                        generator: torch.Generator | None = None) -> JointCheck:
    """Compare q_σ's joint with the Markov joint; only η = 1 (σ² = β̃) closes both gaps."""
    x0 = _f64(x0)
    ab, ab_prev, alphas = schedule.alphas_cumprod, schedule.alphas_cumprod_prev, schedule.alphas
    cov_markov = alphas[1:].sqrt() * (1 - ab_prev[1:])  # Cov(x_{t-1}, x_t) = sqrt(α_t)(1 - ᾱ_{t-1})
    # one Markov trajectory per x0, kept for the log-densities
    xs = [x0]
    for t in range(schedule.T):
        xs.append(q_step_sample(schedule, xs[-1], t, generator=generator))
    log_markov = sum(q_step_log_prob(schedule, xs[t + 1], xs[t], t) for t in range(schedule.T))
    cov_gap, lp_gap = {}, {}
    for eta in etas:
        sig = eta_to_sigmas(schedule, eta)
        cov_sigma = ddim_direction(ab_prev[1:], sig[1:]) * (1 - ab[1:]).sqrt()
        cov_gap[eta] = float((cov_sigma - cov_markov).abs().max())
        if eta > 0:
            lp = q_log_prob(schedule, xs[-1], x0, schedule.T - 1)
            for t in range(1, schedule.T):
                m, v = q_sigma_posterior_mean_variance(schedule, x0, xs[t + 1], t, sig[t])
                lp = lp + gaussian_log_prob(xs[t], m, v)
            lp_gap[eta] = float((lp - log_markov).abs().mean())
    return JointCheck(tuple(etas), cov_gap, lp_gap)


@torch.no_grad()
def q_sigma_subsequence_marginals(schedule: Schedule, timesteps, x0: torch.Tensor, eta: float = 0.0,
                                  n_samples: int = 4096, generator: torch.Generator | None = None):
    """Why τ may skip steps (DDIM Sec. 4.2, Appendix C.1): q_σ defined on a sub-sequence τ alone keeps every
    marginal q(x_τi | x_0). Start at q(x_τS | x_0) and apply q_σ(x_τ(i-1) | x_τi, x_0), the DDIM step with the
    true x_0 (σ from Eq. 16 with η); returns a list of (t, empirical variance, 1 - ᾱ_t, max |empirical mean - sqrt(ᾱ_t) x_0|).
    """
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    x0 = _f64(x0).reshape(1, -1).expand(n_samples, -1)
    ab = schedule.alphas_cumprod
    x = q_sample(schedule, x0, ts[0], generator=generator)
    rows = [(ts[0], float(x.var(0).mean()), float(1 - ab[ts[0]]), float((x.mean(0) - ab[ts[0]].sqrt() * x0[0]).abs().max()))]
    for t, t_prev in zip(ts[:-1], ts[1:]):
        eps = (x - ab[t].sqrt() * x0) / (1 - ab[t]).sqrt()  # the true ε of x_t given x_0
        z = torch.randn(x.shape, generator=generator, dtype=x.dtype)
        x, _ = ddim_step(x, eps, float(ab[t]), float(ab[t_prev]), eta=eta, noise=z)
        rows.append((t_prev, float(x.var(0).mean()), float(1 - ab[t_prev]),
                     float((x.mean(0) - ab[t_prev].sqrt() * x0[0]).abs().max())))
    return rows
