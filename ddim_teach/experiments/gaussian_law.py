"""The exact law of DDIM's output for Gaussian data: Table 1 with no sampling noise.

For data x_0 ~ N(μ, diag(s²)) the exact denoiser is affine in x_t (Tweedie's formula, see ``oracles``):

    x̂₀(x_t) = E[x_0 | x_t] = μ + g_t (x_t − √ᾱ_t μ),       g_t = √ᾱ_t s² / (ᾱ_t s² + 1 − ᾱ_t)
    ε̂(x_t)  = (x_t − √ᾱ_t x̂₀) / √(1 − ᾱ_t)

so one step of Eq. 12, x_prev = √ᾱ_prev x̂₀ + √(1 − ᾱ_prev − σ²) ε̂ + σ_noise z, is affine plus independent
Gaussian noise: x_prev = A x_t + b + σ_noise z. Starting from x_T ~ N(0, I), the law of every x_t along the
chain is therefore Gaussian, coordinate by coordinate, with

    m_prev = A m + b,        v_prev = A² v + σ_noise²,

and the KL divergence between the sampler's output N(m, v) and the data N(μ, s²) has a closed form. This
gives the DDIM paper's Table 1 (quality against S and η; η via Eq. 16, σ̂ as in Appendix D.3) exactly, for
every (S, η), without drawing a single sample.
"""
from __future__ import annotations

import math

import torch

from ..core.step import SIGMA_HAT, _check_eta, _noise_sigma, alpha_bar_at, ddim_direction
from ..core.schedule import Schedule
from ..core.timesteps import make_timesteps, validate_timesteps

__all__ = ["ddim_affine_step", "ddim_output_law", "kl_gaussians", "ddim_kl_to_data", "kl_table"]


def _check_data(mean, std):
    mean = torch.as_tensor(mean, dtype=torch.float64).flatten()
    std = torch.as_tensor(std, dtype=torch.float64).flatten()
    if mean.shape != std.shape:
        mean, std = torch.broadcast_tensors(mean, std)
    if not (torch.isfinite(mean).all() and torch.isfinite(std).all()):
        raise ValueError("mean and std must be finite")
    if (std <= 0).any():
        raise ValueError(f"std must be positive, got {std.tolist()}")
    return mean.clone(), std.clone()


def ddim_affine_step(mean, std, alpha_bar: float, alpha_bar_prev: float, eta=0.0):
    """(A, b, sigma_noise) of one DDIM step with the exact denoiser of N(mean, diag(std²)).

    ``eta`` is a number in [0, 1] or ``"sigma_hat"`` (the η = 1 mean with noise σ̂ = √(1 − ᾱ_t/ᾱ_prev),
    none on the last step ᾱ_prev = 1), exactly as ``sample_ddim`` steps. A and b are per coordinate.
    """
    mean, std = _check_data(mean, std)
    if not (0 < alpha_bar < alpha_bar_prev <= 1):
        raise ValueError(f"need 0 < alpha_bar < alpha_bar_prev <= 1, got {alpha_bar} and {alpha_bar_prev}")
    eta = _check_eta(eta, allow_sigma_hat=True)
    sigma, sigma_noise = _noise_sigma(alpha_bar, alpha_bar_prev, eta)  # Eq. 16, or σ̂ (the step's own rule)
    if eta == SIGMA_HAT and alpha_bar_prev == 1.0:
        sigma_noise = 0.0  # σ̂ adds no noise on the last step, as sample_ddim
    s2 = std**2
    g = math.sqrt(alpha_bar) * s2 / (alpha_bar * s2 + 1 - alpha_bar)
    a0, b0 = g, (1 - g * math.sqrt(alpha_bar)) * mean  # x̂₀ = a0 x + b0
    ae = (1 - math.sqrt(alpha_bar) * a0) / math.sqrt(1 - alpha_bar)  # ε̂ = ae x + be
    be = -math.sqrt(alpha_bar) * b0 / math.sqrt(1 - alpha_bar)
    c = ddim_direction(alpha_bar_prev, sigma)  # Eq. 12's weight of ε
    A = math.sqrt(alpha_bar_prev) * a0 + c * ae
    b = math.sqrt(alpha_bar_prev) * b0 + c * be
    return A, b, float(sigma_noise)


def ddim_output_law(mean, std, schedule: Schedule, timesteps, eta=0.0, x_T_var: float = 1.0):
    """(m, v): per-coordinate mean and variance of DDIM's x_0 when x_T ~ N(0, x_T_var·I) (exact, float64)."""
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    mean, std = _check_data(mean, std)
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    m = torch.zeros_like(mean)
    v = torch.full_like(mean, float(x_T_var))
    for i, t in enumerate(ts):
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        A, b, s = ddim_affine_step(mean, std, alpha_bar_at(schedule, t), alpha_bar_at(schedule, t_prev), eta)
        m, v = A * m + b, A**2 * v + s**2
    return m, v


def kl_gaussians(m1, v1, m2, v2) -> float:
    """KL(N(m1, diag v1) ‖ N(m2, diag v2)), summed over coordinates, in nats."""
    m1, v1, m2, v2 = (torch.as_tensor(a, dtype=torch.float64) for a in (m1, v1, m2, v2))
    if (v1 <= 0).any() or (v2 <= 0).any():
        raise ValueError("variances must be positive")
    return float(0.5 * (v1 / v2 + (m1 - m2) ** 2 / v2 - 1 + torch.log(v2 / v1)).sum())


def ddim_kl_to_data(mean, std, schedule: Schedule, timesteps, eta=0.0, direction: str = "data||model") -> float:
    """KL between the data N(μ, s²) and the law of DDIM's output; ``direction`` "data||model" or "model||data"."""
    mean, std = _check_data(mean, std)
    m, v = ddim_output_law(mean, std, schedule, timesteps, eta)
    if direction == "data||model":
        return kl_gaussians(mean, std**2, m, v)
    if direction == "model||data":
        return kl_gaussians(m, v, mean, std**2)
    raise ValueError(f"direction must be 'data||model' or 'model||data', got {direction!r}")


def kl_table(mean, std, schedule: Schedule, S_list=(10, 20, 50, 100, 1000),
             etas=(0.0, 0.2, 0.5, 1.0, "sigma_hat"), spacing: str = "leading", direction: str = "data||model") -> dict:
    """{eta: [exact KL at each S]}: Table 1 for Gaussian data, with no sampling noise at all."""
    return {eta: [ddim_kl_to_data(mean, std, schedule, make_timesteps(schedule.T, S, spacing), eta, direction)
                  for S in S_list] for eta in etas}
