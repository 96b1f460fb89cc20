"""The SDE end of the η dial: Euler–Maruyama on the family of reverse processes that share the forward marginals.

In the ODE variables of ``ode`` (x̄ = x/√ᾱ, σ = √((1-ᾱ)/ᾱ)) the forward process is dx̄ = √(2σ) dw, and for every
λ ≥ 0 the reverse process (σ decreasing)

    dx̄ = (1 + λ²) ε_θ(x, t) dσ + λ √(2σ) dw̄                                  (ε_θ = -σ ∇ log p_σ)

has the same marginals (``course.theory.sde_steps`` derives it from the Fokker–Planck equation). λ = 0 is the
probability-flow ODE (Eq. 14), λ = 1 the reverse-time SDE. Euler–Maruyama takes, on the grid σ_0 > … > σ_S = 0,

    x̄_prev = x̄ + (1 + λ²)(σ_prev - σ) ε + λ √(2σ (σ - σ_prev)) z,

so λ = 0 is DDIM at η = 0 step for step. The last step, to σ = 0, is the ODE's Euler step (x̂₀, no noise), as
DDPM's Algorithm 2 adds no noise on its last step: there √(2σ·σ) would add noise of the size of the step itself.
S steps cost S network calls. Registered in the sampler registry as "euler_maruyama".
"""
from __future__ import annotations

import math
import numbers

import torch

from ..core.schedule import Schedule
from ..core.step import ode_sigma
from .loop import _run_chain
from .ode import _check_ode_start
from .registry import register_sampler

__all__ = ["sample_euler_maruyama", "euler_maruyama_step"]


def _check_lam(lam) -> float:
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not math.isfinite(lam) or lam < 0:
        raise ValueError(f"lam (the noise level λ of the reverse process) must be a finite number >= 0, got {lam!r}; "
                         "0 is the probability-flow ODE, 1 the reverse SDE")
    return float(lam)


def euler_maruyama_step(x_t, eps, alpha_bar: float, alpha_bar_prev: float, lam: float = 1.0, noise=None):
    """One step in x: x̄_prev = x̄ + (1+λ²)(σ_prev - σ) ε + λ √(2σ(σ - σ_prev)) z, x̄ = x/√ᾱ. Returns (x_prev, sd)
    where sd is the noise's standard deviation in x. ``noise=None`` takes the drift only (a step to σ = 0 must)."""
    lam = _check_lam(lam)
    sig, sig_prev = ode_sigma(alpha_bar), ode_sigma(alpha_bar_prev)
    x_bar = x_t / math.sqrt(alpha_bar)
    x_bar_prev = x_bar + (1 + lam**2) * (sig_prev - sig) * eps
    sd = lam * math.sqrt(2 * sig * max(sig - sig_prev, 0.0)) * math.sqrt(alpha_bar_prev)
    x_prev = x_bar_prev * math.sqrt(alpha_bar_prev)
    if noise is not None and sd > 0:
        x_prev = x_prev + sd * noise
    return x_prev, sd if noise is not None else 0.0


def _em_update(lam):
    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again=None):
        if final:  # the ODE's Euler step to σ = 0: x̂₀, no noise
            x_prev, sd = euler_maruyama_step(x, eps, alpha_bar, alpha_bar_prev, 0.0)
        else:
            x_prev, sd = euler_maruyama_step(x, eps, alpha_bar, alpha_bar_prev, lam, z)
        return x_prev, x0_pred, sd, {"lam": lam, "ode_sigma": ode_sigma(alpha_bar), "ode_sigma_prev": ode_sigma(alpha_bar_prev)}

    return step


@torch.no_grad()
def sample_euler_maruyama(model, x_T: torch.Tensor, schedule: Schedule, timesteps, lam: float = 1.0, generator=None,
                          callback=None, *, noise=None, prediction_type: str | None = None, progress: bool = True,
                          model_kwargs: dict | None = None, clip_x0: float | None = None) -> torch.Tensor:
    """Euler–Maruyama on dx̄ = (1+λ²) ε dσ + λ√(2σ) dw̄ over the descending τ; S steps, S network calls.

    ``lam`` = 0 gives DDIM's η = 0 numbers; 1 (default) is the reverse-time SDE. Noise comes from ``generator``
    or from ``noise``, a list of S tensors shaped like ``x_T`` (the last one is unused: the final step is
    noise-free). Each callback dict is the loop's, with ``sigma`` the noise's standard deviation in x and ``lam``.
    """
    lam = _check_lam(lam)
    return _run_chain(model, x_T, schedule, timesteps, _em_update(lam), prediction_type=prediction_type, clip_x0=clip_x0,
                      stochastic=lam > 0, noise=noise, generator=generator, callback=callback, progress=progress,
                      model_kwargs=model_kwargs, desc="Euler-Maruyama", extra_check=_check_ode_start)


register_sampler("euler_maruyama", sample_euler_maruyama, label={"ko": "오일러–마루야마 (SDE)", "en": "Euler–Maruyama (SDE)"},
                 order=1)
