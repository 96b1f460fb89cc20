"""The forward (noising) process of DDPM and its posterior, for tensors of any rank.

    q(x_t | x_{t-1})    = N(sqrt(α_t) x_{t-1}, β_t I)                               (DDPM Eq. 2)
    q(x_t | x_0)        = N(sqrt(ᾱ_t) x_0, (1 - ᾱ_t) I)                            (DDPM Eq. 4)
    q(x_{t-1}|x_t, x_0) = N(μ̃_t, β̃_t I),
        μ̃_t = sqrt(ᾱ_{t-1}) β_t / (1-ᾱ_t) · x_0 + sqrt(α_t) (1-ᾱ_{t-1}) / (1-ᾱ_t) · x_t    (DDPM Eq. 6-7)

t is the 0-based table index (see :mod:`ddim_teach.core.schedule`); x_{t-1} at t = 0 is x_0 itself.
Log-densities sum over every non-batch dimension and return a tensor of shape (B,).
"""
from __future__ import annotations

import math

import torch

from ._tensor import check_finite, extract
from .schedule import Schedule

__all__ = [
    "gaussian_log_prob",
    "q_step_mean_variance",
    "q_step_sample",
    "q_step_log_prob",
    "q_mean_variance",
    "q_sample",
    "q_log_prob",
    "q_posterior_mean_variance",
    "q_posterior_log_prob",
    "chain_moments",
]


def gaussian_log_prob(x: torch.Tensor, mean: torch.Tensor, variance: torch.Tensor) -> torch.Tensor:
    """log N(x; mean, variance·I), summed over all but the batch dimension -> shape (B,)."""
    variance = torch.as_tensor(variance, dtype=x.dtype, device=x.device)
    if (variance <= 0).any():
        raise ValueError("a Gaussian log-density needs a positive variance (t = 0 of the posterior is a point mass)")
    lp = -0.5 * ((x - mean) ** 2 / variance + torch.log(2 * math.pi * variance))
    return lp.reshape(x.shape[0], -1).sum(dim=1)


def _check_pair(a: torch.Tensor, b: torch.Tensor, na: str, nb: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{na} and {nb} must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")


# q(x_t | x_{t-1}) -----------------------------------------------------------------------------------------
def q_step_mean_variance(schedule: Schedule, x_prev: torch.Tensor, t):
    """Mean and variance of one forward step q(x_t | x_{t-1})."""
    mean = extract(schedule.alphas.sqrt(), t, x_prev) * x_prev
    return mean, extract(schedule.betas, t, x_prev)


def q_step_sample(schedule: Schedule, x_prev: torch.Tensor, t, noise=None, generator=None) -> torch.Tensor:
    """Draw x_t ~ q(x_t | x_{t-1})."""
    mean, var = q_step_mean_variance(schedule, x_prev, t)
    if noise is None:
        noise = torch.randn(x_prev.shape, generator=generator, dtype=x_prev.dtype, device=x_prev.device)
    return mean + var.sqrt() * noise


def q_step_log_prob(schedule: Schedule, x_t: torch.Tensor, x_prev: torch.Tensor, t) -> torch.Tensor:
    """log q(x_t | x_{t-1}), shape (B,)."""
    _check_pair(x_t, x_prev, "x_t", "x_prev")
    mean, var = q_step_mean_variance(schedule, x_prev, t)
    return gaussian_log_prob(x_t, mean, var)


# q(x_t | x_0) ---------------------------------------------------------------------------------------------
def q_mean_variance(schedule: Schedule, x0: torch.Tensor, t):
    """Mean and variance of the closed form q(x_t | x_0)."""
    mean = extract(schedule.alphas_cumprod.sqrt(), t, x0) * x0
    return mean, extract(1.0 - schedule.alphas_cumprod, t, x0)


def q_sample(schedule: Schedule, x0: torch.Tensor, t, noise=None, generator=None) -> torch.Tensor:
    """The closed-form sample x_t = sqrt(ᾱ_t) x_0 + sqrt(1 - ᾱ_t) ε."""
    check_finite(x0, "x0")
    if noise is None:
        noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype, device=x0.device)
    else:
        _check_pair(x0, noise, "x0", "noise")
    mean, var = q_mean_variance(schedule, x0, t)
    return mean + var.sqrt() * noise


def q_log_prob(schedule: Schedule, x_t: torch.Tensor, x0: torch.Tensor, t) -> torch.Tensor:
    """log q(x_t | x_0), shape (B,)."""
    _check_pair(x_t, x0, "x_t", "x0")
    mean, var = q_mean_variance(schedule, x0, t)
    return gaussian_log_prob(x_t, mean, var)


# posterior q(x_{t-1} | x_t, x_0) ----------------------------------------------------------------------------
def q_posterior_mean_variance(schedule: Schedule, x0: torch.Tensor, x_t: torch.Tensor, t):
    """Mean μ̃_t and variance β̃_t of q(x_{t-1} | x_t, x_0) (coefficient form)."""
    _check_pair(x0, x_t, "x0", "x_t")
    mean = extract(schedule.posterior_mean_coef1, t, x_t) * x0 + extract(schedule.posterior_mean_coef2, t, x_t) * x_t
    return mean, extract(schedule.posterior_variance, t, x_t)


def q_posterior_log_prob(schedule: Schedule, x_prev: torch.Tensor, x_t: torch.Tensor, x0: torch.Tensor, t) -> torch.Tensor:
    """log q(x_{t-1} | x_t, x_0), shape (B,); needs t ≥ 1 (at t = 0 the posterior is a point mass at x_0)."""
    _check_pair(x_prev, x_t, "x_prev", "x_t")
    mean, var = q_posterior_mean_variance(schedule, x0, x_t, t)
    return gaussian_log_prob(x_prev, mean, var)


@torch.no_grad()
def chain_moments(schedule: Schedule, x0: torch.Tensor, n: int = 2000, generator=None):
    """Run ``n`` copies of one data point x0 through t chained q(x_t|x_{t-1}) steps.

    Returns (mean_coef, var), each of shape (T,): the empirical mean of x_t divided by x0 (averaged over
    the dimensions of x0) and the empirical variance of x_t, to set beside sqrt(ᾱ_t) and 1 - ᾱ_t.
    """
    x0 = x0.detach().to(torch.float64).reshape(1, -1)
    if (x0.abs() < 1e-3).any():
        raise ValueError("chain_moments divides by x0: pick a point whose coordinates are not near 0")
    x = x0.expand(n, -1)
    mean_coef, var = [], []
    for t in range(schedule.T):
        x = q_step_sample(schedule, x, t, generator=generator)
        mean_coef.append((x.mean(0) / x0[0]).mean())
        var.append(x.var(0).mean())
    return torch.stack(mean_coef), torch.stack(var)
