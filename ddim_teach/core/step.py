"""The maths of one DDIM/DDPM step (floats or tensors): Eq. 9, 12 and 16 of Song, Meng & Ermon (ICLR 2021).

Notation:
    - alpha_bar       -> ᾱ_t        (the DDIM paper writes α_t)
    - alpha_bar_prev  -> ᾱ_{t_prev} (the next entry of τ; 1 after the last step, see ``alpha_bar_at``)
    - x0_pred         -> x̂₀ = (x_t − √(1−ᾱ_t) ε) / √ᾱ_t, "predicted x_0"        (Eq. 9, ``predict_eps_x0``)
    - sigma           -> σ_t = η √((1−ᾱ_prev)/(1−ᾱ_t)) √(1−ᾱ_t/ᾱ_prev)      (Eq. 16, ``ddim_sigma``)
    - eta             -> η: 0 is DDIM (deterministic), 1 is DDPM's posterior variance
The update is Eq. 12 (``ddim_step``; its middle coefficient is ``ddim_direction``):
    x_prev = √ᾱ_prev x̂₀  +  √(1 − ᾱ_prev − σ²) ε  +  σ z
             "predicted x_0"  "direction pointing to x_t"   random noise

This module is the bottom of the sampler layer: the loops of :mod:`ddim_teach.samplers` call these
functions and never write a formula again.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch

from ._tensor import check_finite
from .schedule import Schedule

__all__ = ["x0_from_eps", "ddim_sigma", "ddim_direction", "ddim_step", "ddim_coefficients", "ddpm_step",
           "predict_eps_x0", "alpha_bar_at", "ode_sigma", "euler_step", "PREDICTION_TYPES", "SIGMA_HAT"]

PREDICTION_TYPES = ("epsilon", "sample", "v")
SIGMA_HAT = "sigma_hat"


# ---- the maths of one step (floats or tensors) ----------------------------------------------------------
def _check_eta(eta, allow_sigma_hat: bool = False):
    """η as a float in [0, 1] (or "sigma_hat"); numpy and 0-d torch numbers are accepted."""
    if isinstance(eta, str):
        if allow_sigma_hat and eta == SIGMA_HAT:
            return SIGMA_HAT
        raise ValueError(f"eta must be a number in [0, 1]{' or ' + repr(SIGMA_HAT) if allow_sigma_hat else ''}, got {eta!r}")
    if isinstance(eta, torch.Tensor):
        if eta.numel() != 1:
            raise ValueError(f"eta must be one number, got a tensor of shape {tuple(eta.shape)}")
        eta = eta.item()
    if isinstance(eta, (bool, np.bool_)) or not isinstance(eta, numbers.Real):
        raise TypeError(f"eta must be a number in [0, 1], got {type(eta).__name__}")
    eta = float(eta)
    if not (0.0 <= eta <= 1.0):  # also rejects NaN
        raise ValueError(f"eta must be in [0, 1], got {eta}")
    return eta


def _sqrt(v):
    return v.sqrt() if isinstance(v, torch.Tensor) else math.sqrt(v)


def _is_tensor(*vs) -> bool:
    return any(isinstance(v, torch.Tensor) for v in vs)


def _check_alpha_bar(name: str, v, *, positive: bool = False):
    """ᾱ must be a real number (or a tensor of them) in [0, 1] (in (0, 1] with ``positive``); else a clear error."""
    what = "(0, 1]" if positive else "[0, 1]"
    if isinstance(v, torch.Tensor):
        if not v.dtype.is_floating_point:
            raise TypeError(f"{name} must be a floating-point tensor of values in {what}, got {v.dtype}")
        bad = ~torch.isfinite(v) | (v > 1) | ((v <= 0) if positive else (v < 0))
        if bool(bad.any()):
            raise ValueError(f"{name} must lie in {what} (a cumulative product of 1 - β), got {v[bad].flatten()[0].item()!r}"
                             " among its values")
        return v
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a real number in {what} (ᾱ, the cumulative product of 1 - β), "
                        f"got {type(v).__name__} {v!r}")
    v = float(v)
    if not (0.0 < v <= 1.0 if positive else 0.0 <= v <= 1.0):  # also rejects NaN
        raise ValueError(f"{name} must lie in {what} (ᾱ, the cumulative product of 1 - β), got {v!r}")
    return v


def _check_clip_x0(clip_x0):
    """``clip_x0``: None, or a finite number > 0 (x̂₀ is clamped to [-clip_x0, clip_x0])."""
    if clip_x0 is None:
        return None
    if isinstance(clip_x0, (bool, np.bool_)) or not isinstance(clip_x0, numbers.Real):
        raise TypeError(f"clip_x0 must be None or a number > 0 (x̂₀ is clamped to [-clip_x0, clip_x0], e.g. 1.0 for "
                        f"data in [-1, 1]), got {type(clip_x0).__name__} {clip_x0!r}")
    if not (math.isfinite(float(clip_x0)) and clip_x0 > 0):
        raise ValueError(f"clip_x0 must be a finite number > 0 (x̂₀ is clamped to [-clip_x0, clip_x0]), got {clip_x0!r}")
    return float(clip_x0)


def x0_from_eps(x_t, eps, alpha_bar):
    """Eq. 9: x̂₀ = (x_t - sqrt(1 - ᾱ_t) ε) / sqrt(ᾱ_t), the "predicted x_0" of a noise prediction ε."""
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar)
    if bool(torch.as_tensor(alpha_bar == 0).any()):
        raise ValueError("x̂₀ from ε (Eq. 9) divides by sqrt(alpha_bar) = 0 (zero terminal SNR at t = T): use a "
                         "v-prediction model, whose x̂₀ = sqrt(ᾱ) x_t - sqrt(1-ᾱ) v needs no division")
    return (x_t - _like(_sqrt(1 - alpha_bar), x_t) * eps) / _like(_sqrt(alpha_bar), x_t)


def ode_sigma(alpha_bar):
    """σ = sqrt((1 - ᾱ)/ᾱ): the noise level of the probability-flow ODE in x̄ = x/sqrt(ᾱ) (Sec. 4.3); 0 at ᾱ = 1."""
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar, positive=True)
    return _sqrt((1 - alpha_bar) / alpha_bar)


def euler_step(x_t, eps, alpha_bar, alpha_bar_prev):
    """One Euler step of dx̄/dσ = ε (Eq. 14): x̄_prev = x̄ + (σ_prev - σ) ε, with x̄ = x/sqrt(ᾱ). Returns x_prev.

    Algebraically Eq. 12 at η = 0; written in (σ, x̄) so that the equality is a check (lecture 10)."""
    x_bar = x_t / _like(_sqrt(_check_alpha_bar("alpha_bar", alpha_bar, positive=True)), x_t)
    x_bar_prev = x_bar + _like(ode_sigma(alpha_bar_prev) - ode_sigma(alpha_bar), x_t) * eps
    return x_bar_prev * _like(_sqrt(alpha_bar_prev), x_t)


def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
    """Eq. 16: σ = η sqrt((1 - ᾱ_prev)/(1 - ᾱ_t)) sqrt(1 - ᾱ_t/ᾱ_prev). Floats or tensors.

    At η = 0 it is 0 for any pair, including ᾱ_prev < ᾱ_t (a step towards more noise, as in inversion).
    For η > 0 such a step has no σ (the square root of a negative number): that is an error.
    """
    eta = _check_eta(eta)
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar)
    alpha_bar_prev = _check_alpha_bar("alpha_bar_prev", alpha_bar_prev)
    if eta == 0.0:
        return torch.zeros_like(alpha_bar - alpha_bar_prev) if _is_tensor(alpha_bar, alpha_bar_prev) else 0.0
    if bool(torch.as_tensor(alpha_bar_prev < alpha_bar).any()):
        raise ValueError(f"σ (Eq. 16) with eta={eta} needs alpha_bar_prev >= alpha_bar: a stochastic step towards "
                         "more noise is not defined. Inversion steps use eta=0.")
    if bool(torch.as_tensor(alpha_bar_prev == 0).any()):
        raise ValueError(f"σ (Eq. 16) with eta={eta} divides by alpha_bar_prev = 0; a stochastic step must end at "
                         "alpha_bar_prev > 0")
    if bool(torch.as_tensor(alpha_bar == 1).any()):
        raise ValueError(f"σ (Eq. 16) with eta={eta} is 0/0 at alpha_bar = 1 (no noise at t): there is nothing to "
                         "denoise; start from a timestep with alpha_bar < 1")
    return eta * _sqrt((1 - alpha_bar_prev) / (1 - alpha_bar)) * _sqrt(1 - alpha_bar / alpha_bar_prev)


def _sigma_hat(alpha_bar, alpha_bar_prev):
    """Appendix D.3: σ̂ = sqrt(1 - ᾱ_t/ᾱ_prev), DDPM's σ² = β of the respaced chain."""
    return _sqrt(1 - alpha_bar / alpha_bar_prev)


def ddim_direction(alpha_bar_prev, sigma):
    """sqrt(1 - ᾱ_prev - σ²): the weight of ε in Eq. 12 ("direction pointing to x_t") and in Eq. 7.

    It is real for every σ of Eq. 16 with η ≤ 1; only round-off below zero is clamped, and a σ too large
    for the variance left at t_prev is an error.
    """
    v = 1 - alpha_bar_prev - sigma**2
    if isinstance(v, torch.Tensor):
        if bool((v < -1e-12).any()):
            raise ValueError("sigma² must not exceed 1 - alpha_bar_prev (the variance left at t_prev)")
        return v.clamp(min=0).sqrt()
    if v < -1e-12:
        raise ValueError("sigma² must not exceed 1 - alpha_bar_prev (the variance left at t_prev)")
    return math.sqrt(max(v, 0.0))


def _noise_sigma(alpha_bar, alpha_bar_prev, eta):
    """(σ of the mean, σ of the noise): equal for a number η; σ̂ keeps η = 1's mean with larger noise."""
    if eta == SIGMA_HAT:
        return ddim_sigma(alpha_bar, alpha_bar_prev, 1.0), _sigma_hat(alpha_bar, alpha_bar_prev)
    sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
    return sigma, sigma


def _like(c, x):
    """A coefficient ready to multiply x: floats stay floats, tensors move to x's dtype and device."""
    return c.to(device=x.device, dtype=x.dtype) if isinstance(c, torch.Tensor) else c


def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None, *, x0_pred=None):
    """One DDIM update (Eq. 12) as a pure function. Returns ``(x_prev, x0_pred)``.

    ``alpha_bar`` and ``alpha_bar_prev`` are floats or tensors that broadcast against ``x_t``; the step is
    defined in both directions at η = 0 (ᾱ_prev < ᾱ_t is DDIM inversion). With ``eta > 0`` pass the
    Gaussian ``noise`` z of the same shape as ``x_t``. ``eta="sigma_hat"`` is Appendix D.3's σ̂ (the η = 1
    mean, noise σ̂ z); there ``noise=None`` takes the mean only, as the samplers do on the final step.
    ``x0_pred``: x̂₀ when the network gave it directly (v or sample prediction, clipping); default Eq. 9.
    """
    eta = _check_eta(eta, allow_sigma_hat=True)
    if eps.shape != x_t.shape:
        raise ValueError(f"eps and x_t must have the same shape, got {tuple(eps.shape)} and {tuple(x_t.shape)}")
    # 1. predicted x_0 (Eq. 9)
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar)
    alpha_bar_prev = _check_alpha_bar("alpha_bar_prev", alpha_bar_prev)
    if x0_pred is None:
        x0_pred = x0_from_eps(x_t, eps, alpha_bar)
    # 2. σ_t (Eq. 16), or σ̂ (Appendix D.3)
    sigma, sigma_noise = _noise_sigma(alpha_bar, alpha_bar_prev, eta)
    # 3. x_prev = sqrt(ᾱ_prev) x̂₀ + sqrt(1 - ᾱ_prev - σ²) ε  (Eq. 12 without its noise)
    x_prev = _like(_sqrt(alpha_bar_prev), x_t) * x0_pred + _like(ddim_direction(alpha_bar_prev, sigma), x_t) * eps
    # 4. + σ z
    if noise is not None:
        if noise.shape != x_t.shape:
            raise ValueError(f"noise must have the shape of x_t {tuple(x_t.shape)}, got {tuple(noise.shape)}")
        x_prev = x_prev + _like(sigma_noise, x_t) * noise
    elif eta != SIGMA_HAT and eta > 0:
        raise ValueError(f"eta={eta} > 0 makes the step stochastic: pass noise=torch.randn_like(x_t)")
    return x_prev, x0_pred


def ddim_coefficients(alpha_bar: float, alpha_bar_prev: float, eta=0.0) -> dict:
    """The three numbers of Eq. 12 for one step: x_prev = x0·x̂₀ + eps·ε̂ + noise·z (as the study note writes it)."""
    sigma, sigma_noise = _noise_sigma(alpha_bar, alpha_bar_prev, _check_eta(eta, allow_sigma_hat=True))
    return {"x0": float(_sqrt(alpha_bar_prev)), "eps": float(ddim_direction(alpha_bar_prev, sigma)),
            "noise": float(sigma_noise)}


def ddpm_step(x_t, eps, alpha_bar, alpha_bar_prev, noise=None, variance: str = "fixed_small", *, x0_pred=None):
    """One step of DDPM's Algorithm 2 on the respaced chain (α_t -> ᾱ_t/ᾱ_prev, β_t -> 1 - ᾱ_t/ᾱ_prev).

    x_prev = 1/sqrt(α_t) (x_t - β_t/sqrt(1-ᾱ_t) ε) + σ_t z, with σ² = β̃_t ("fixed_small") or β_t
    ("fixed_large"). ``noise=None`` takes the mean only (Algorithm 2's z = 0 on the final step).
    Written from DDPM's formula, not from Eq. 12, so that η = 1 equalling DDPM is a check, not an identity.
    With ``x0_pred`` (x̂₀ of the network) the mean is DDPM's Eq. 7, the posterior mean
        μ̃ = sqrt(ᾱ_prev) β_t/(1-ᾱ_t) x̂₀ + sqrt(α_t) (1-ᾱ_prev)/(1-ᾱ_t) x_t,
    which needs no division by sqrt(α_t) and so holds at ᾱ_t = 0 (zero terminal SNR, v-prediction), as
    diffusers' DDPMScheduler computes it. Returns ``(x_prev, sigma)``.
    """
    if variance not in ("fixed_small", "fixed_large"):
        raise ValueError(f"variance must be 'fixed_small' or 'fixed_large', got {variance!r}")
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar)
    alpha_bar_prev = _check_alpha_bar("alpha_bar_prev", alpha_bar_prev, positive=True)
    if bool(torch.as_tensor(alpha_bar > alpha_bar_prev).any()):
        raise ValueError("ddpm_step goes towards less noise: alpha_bar_prev must be ≥ alpha_bar")
    alpha = alpha_bar / alpha_bar_prev
    beta = 1 - alpha
    if x0_pred is not None:
        mean = (_like(_sqrt(alpha_bar_prev) * beta / (1 - alpha_bar), x_t) * x0_pred
                + _like(_sqrt(alpha) * (1 - alpha_bar_prev) / (1 - alpha_bar), x_t) * x_t)
    elif bool(torch.as_tensor(alpha == 0).any()):
        raise ValueError("ddpm_step from ε divides by sqrt(alpha_bar/alpha_bar_prev) = 0 (zero terminal SNR): pass "
                         "x0_pred= (the network's x̂₀) to take the mean from x̂₀")
    else:
        mean = (x_t - _like(beta / _sqrt(1 - alpha_bar), x_t) * eps) / _like(_sqrt(alpha), x_t)
    if noise is None:
        return mean, 0.0
    sigma = _sqrt((1 - alpha_bar_prev) / (1 - alpha_bar) * beta) if variance == "fixed_small" else _sqrt(beta)
    return mean + _like(sigma, x_t) * noise, sigma


def predict_eps_x0(model_output, x_t, alpha_bar: float, prediction_type: str = "epsilon", clip_x0=None):
    """Turn a network output into (ε̂, x̂₀) for any parameterisation.

    epsilon: x̂₀ = (x_t - sqrt(1-ᾱ) ε̂)/sqrt(ᾱ) (Eq. 9);   sample: ε̂ = (x_t - sqrt(ᾱ) x̂₀)/sqrt(1-ᾱ);
    v (Salimans & Ho 2022): x̂₀ = sqrt(ᾱ) x_t - sqrt(1-ᾱ) v,  ε̂ = sqrt(1-ᾱ) x_t + sqrt(ᾱ) v.
    With ``clip_x0 = c`` x̂₀ is clamped to [-c, c] and ε̂ re-derived from it (as GLIDE and diffusers'
    ``use_clipped_model_output`` do), so the step stays consistent with the clipped prediction.
    """
    clip_x0 = _check_clip_x0(clip_x0)
    alpha_bar = _check_alpha_bar("alpha_bar", alpha_bar)
    a, s = math.sqrt(alpha_bar), math.sqrt(1 - alpha_bar)
    if prediction_type == "epsilon":
        eps = model_output
        x0_pred = x0_from_eps(x_t, eps, alpha_bar)  # Eq. 9
    elif prediction_type == "sample":
        x0_pred = model_output
        eps = (x_t - a * x0_pred) / s
    elif prediction_type == "v":
        x0_pred = a * x_t - s * model_output
        eps = s * x_t + a * model_output
    else:
        raise ValueError(f"unknown prediction_type {prediction_type!r}; choose one of {', '.join(PREDICTION_TYPES)}")
    if clip_x0 is not None:
        x0_pred = x0_pred.clamp(-clip_x0, clip_x0)
        eps = (x_t - a * x0_pred) / s
    return eps, x0_pred



def alpha_bar_at(table, t: int, set_alpha_to_one: bool = True) -> float:
    """ᾱ at table index t, as a float; t = -1 is x_0: 1.0 (``set_alpha_to_one``) or ᾱ_0 (diffusers' False).

    ``table`` is a Schedule (its ᾱ), a tensor or a list; the only place a loop reads ᾱ.
    """
    if not isinstance(set_alpha_to_one, (bool, np.bool_)):
        raise TypeError(f"set_alpha_to_one must be True or False (ᾱ after the last step: 1, or ᾱ_0 as diffusers' "
                        f"False), got {type(set_alpha_to_one).__name__} {set_alpha_to_one!r}")
    if isinstance(table, Schedule):
        table = table.alphas_cumprod
    if t >= 0:
        return float(table[t])
    return 1.0 if set_alpha_to_one else float(table[0])


