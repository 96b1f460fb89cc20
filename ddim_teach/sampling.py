"""DDPM and DDIM samplers, and DDIM inversion.

Song, Meng & Ermon, "Denoising Diffusion Implicit Models", ICLR 2021. Notation of ``ddim_step``:
    - alpha_bar       -> ᾱ_t        (the DDIM paper writes α_t)
    - alpha_bar_prev  -> ᾱ_{t_prev} (the next entry of τ; 1 after the last step)
    - x0_pred         -> x̂₀, "predicted x_0"                              (Eq. 9)
    - sigma           -> σ_t = η sqrt((1-ᾱ_prev)/(1-ᾱ_t)) sqrt(1-ᾱ_t/ᾱ_prev)  (Eq. 16)
    - eta             -> η: 0 is DDIM (deterministic), 1 is DDPM's posterior variance
The update is Eq. 12:
    x_prev = sqrt(ᾱ_prev) x̂₀  +  sqrt(1 - ᾱ_prev - σ²) ε  +  σ z
             "predicted x_0"     "direction pointing to x_t"   random noise

Samplers are plain functions (k-diffusion style): they walk explicit pairs (τ_i, τ_{i+1}) of the
timestep array, never ``t - T // S`` arithmetic, so every spacing (linspace included) is stepped right.
Each step calls ``callback(dict(i, t, t_prev, x, x_prev, eps, x0_pred, alpha_bar, alpha_bar_prev, sigma))``.
The device and dtype follow ``x_T``; noise comes from ``generator`` or the ``noise`` argument.
"""
from __future__ import annotations

import math

import torch
from tqdm.auto import tqdm

from ._tensor import check_finite
from .schedule import Schedule
from .timesteps import validate_timesteps

__all__ = [
    "ddim_sigma",
    "ddim_step",
    "ddim_coefficients",
    "predict_eps_x0",
    "sample_ddim",
    "sample_ddpm",
    "invert_ddim",
    "TrajectoryRecorder",
    "PREDICTION_TYPES",
]

PREDICTION_TYPES = ("epsilon", "sample", "v")
SIGMA_HAT = "sigma_hat"


def _check_eta(eta, allow_sigma_hat: bool = False) -> None:
    if isinstance(eta, str):
        if allow_sigma_hat and eta == SIGMA_HAT:
            return
        raise ValueError(f"eta must be a number in [0, 1]{' or ' + repr(SIGMA_HAT) if allow_sigma_hat else ''}, got {eta!r}")
    if isinstance(eta, torch.Tensor):
        eta = float(eta)
    if not isinstance(eta, (int, float)) or isinstance(eta, bool):
        raise TypeError(f"eta must be a number in [0, 1], got {type(eta).__name__}")
    if not (0.0 <= eta <= 1.0):  # also rejects NaN
        raise ValueError(f"eta must be in [0, 1], got {eta}")


def _sqrt(v):
    return v.sqrt() if isinstance(v, torch.Tensor) else math.sqrt(v)


def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
    """Eq. 16: σ = η sqrt((1 - ᾱ_prev)/(1 - ᾱ_t)) sqrt(1 - ᾱ_t/ᾱ_prev). Floats or tensors."""
    _check_eta(eta)
    return eta * _sqrt((1 - alpha_bar_prev) / (1 - alpha_bar)) * _sqrt(1 - alpha_bar / alpha_bar_prev)


def ddim_coefficients(alpha_bar: float, alpha_bar_prev: float, eta=0.0) -> dict:
    """The three numbers of Eq. 12 for one step: x_prev = x0·x̂₀ + eps·ε̂ + noise·z (as the study note writes it)."""
    sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
    return {"x0": math.sqrt(alpha_bar_prev), "eps": math.sqrt(max(1 - alpha_bar_prev - sigma**2, 0.0)), "noise": sigma}


def _ddim_update(x0_pred, eps, alpha_bar_prev, sigma, noise, sigma_noise=None):
    # 1 - ᾱ_prev - σ² ≥ 0 exactly for η ≤ 1; clamp only the round-off below zero
    dir_coef = 1 - alpha_bar_prev - sigma**2
    dir_coef = dir_coef.clamp(min=0).sqrt() if isinstance(dir_coef, torch.Tensor) else math.sqrt(max(dir_coef, 0.0))
    if isinstance(dir_coef, torch.Tensor) or isinstance(alpha_bar_prev, torch.Tensor):
        x_prev = _sqrt(alpha_bar_prev) * x0_pred + dir_coef * eps
    else:  # the sampling loops pass floats: fuse into two kernels
        x_prev = torch.add(x0_pred * math.sqrt(alpha_bar_prev), eps, alpha=dir_coef)
    sigma_noise = sigma if sigma_noise is None else sigma_noise
    if noise is not None:
        if isinstance(sigma_noise, torch.Tensor):
            x_prev = x_prev + sigma_noise * noise
        else:
            x_prev.add_(noise, alpha=sigma_noise)  # x_prev is a fresh tensor here
    return x_prev


def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
    """One DDIM update (Eq. 12) as a pure function. Returns ``(x_prev, x0_pred)``.

    ``alpha_bar`` and ``alpha_bar_prev`` are floats or tensors that broadcast against ``x_t``.
    With ``eta > 0`` pass the Gaussian ``noise`` z of the same shape as ``x_t``.
    """
    if eps.shape != x_t.shape:
        raise ValueError(f"eps and x_t must have the same shape, got {tuple(eps.shape)} and {tuple(x_t.shape)}")
    sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
    if noise is None and eta > 0:
        raise ValueError(f"eta={eta} > 0 makes the step stochastic: pass noise=torch.randn_like(x_t)")
    x0_pred = (x_t - _sqrt(1 - alpha_bar) * eps) / _sqrt(alpha_bar)  # Eq. 9
    return _ddim_update(x0_pred, eps, alpha_bar_prev, sigma, noise if eta > 0 else None), x0_pred


def predict_eps_x0(model_output, x_t, alpha_bar: float, prediction_type: str = "epsilon", clip_x0=None):
    """Turn a network output into (ε̂, x̂₀) for any parameterisation.

    epsilon: x̂₀ = (x_t - sqrt(1-ᾱ) ε̂)/sqrt(ᾱ);   sample: ε̂ = (x_t - sqrt(ᾱ) x̂₀)/sqrt(1-ᾱ);
    v (Salimans & Ho 2022): x̂₀ = sqrt(ᾱ) x_t - sqrt(1-ᾱ) v,  ε̂ = sqrt(1-ᾱ) x_t + sqrt(ᾱ) v.
    With ``clip_x0 = c`` x̂₀ is clamped to [-c, c] and ε̂ re-derived from it (as GLIDE and diffusers'
    ``use_clipped_model_output`` do), so the step stays consistent with the clipped prediction.
    """
    a, s = math.sqrt(alpha_bar), math.sqrt(1 - alpha_bar)
    if prediction_type == "epsilon":
        eps = model_output
        x0_pred = torch.sub(x_t, eps, alpha=s).div_(a)  # (x_t - s ε)/a, in two kernels
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


class TrajectoryRecorder:
    """A ready-made ``callback`` that keeps the whole trajectory (on the CPU).

    After sampling: ``xs`` is (S+1, B, ...) from x_T to x_0, ``x0_preds`` and ``eps`` are (S, B, ...),
    ``timesteps`` the visited t, and ``sigmas``/``alpha_bars`` per step.
    """

    def __init__(self):
        self.steps: list[dict] = []

    def __call__(self, d: dict) -> None:
        self.steps.append({k: (v.detach().to("cpu").clone() if isinstance(v, torch.Tensor) else v) for k, v in d.items()})

    def _stack(self, key):
        if not self.steps:
            raise RuntimeError("nothing recorded yet: pass the recorder as callback= to a sampler")
        return torch.stack([s[key] for s in self.steps])

    @property
    def xs(self) -> torch.Tensor:
        return torch.cat([self._stack("x")[:1], self._stack("x_prev")])

    @property
    def x0_preds(self) -> torch.Tensor:
        return self._stack("x0_pred")

    @property
    def eps(self) -> torch.Tensor:
        return self._stack("eps")

    @property
    def timesteps(self) -> list[int]:
        return [s["t"] for s in self.steps]

    @property
    def sigmas(self) -> list[float]:
        return [s["sigma"] for s in self.steps]

    @property
    def alpha_bars(self) -> list[float]:
        return [s["alpha_bar"] for s in self.steps]


# ---- shared checks of the sampling loops -------------------------------------------------------------
def _prepare(model, x, schedule, timesteps, prediction_type, name="x_T"):
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    if not isinstance(x, torch.Tensor) or x.ndim < 2:
        raise ValueError(f"{name} must be a tensor with a batch dimension, e.g. (B, 2) or (B, C, H, W)")
    check_finite(x, name)
    shape = getattr(model, "sample_shape", None)
    if shape is not None and tuple(x.shape[1:]) != tuple(shape):
        raise ValueError(f"{name} has per-sample shape {tuple(x.shape[1:])} but the model expects {tuple(shape)}")
    if prediction_type not in PREDICTION_TYPES:
        raise ValueError(f"unknown prediction_type {prediction_type!r}; choose one of {', '.join(PREDICTION_TYPES)}")
    if prediction_type == "epsilon" and float(schedule.alphas_cumprod[-1]) == 0.0:
        raise ValueError(
            "epsilon prediction cannot be used with a zero-terminal-SNR schedule (alpha_bar = 0 at t = T-1, "
            "where x̂₀ = (x - sqrt(1-ᾱ) ε)/sqrt(ᾱ) divides by zero); train and sample with prediction_type='v'"
        )
    return validate_timesteps(timesteps, schedule.T)


def _call_model(model, x, t: int, i: int, model_kwargs):
    t_batch = torch.full((x.shape[0],), t, dtype=torch.int64, device=x.device)
    out = model(x, t_batch, **model_kwargs)
    if out.shape != x.shape:
        raise ValueError(f"the model returned shape {tuple(out.shape)} for input {tuple(x.shape)}")
    if not torch.isfinite(out).all():
        raise ValueError(f"the model returned NaN or inf at step {i} (t={t})")
    return out


def _noise_source(noise, generator, x, n_steps):
    if noise is not None:
        if len(noise) != n_steps or tuple(noise[0].shape) != tuple(x.shape):
            raise ValueError(f"noise must hold {n_steps} tensors of shape {tuple(x.shape)}")
        return lambda i: noise[i].to(device=x.device, dtype=x.dtype)
    return lambda i: torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)


def _alpha_bar_prev(alphas_cumprod: list, t_prev: int, set_alpha_to_one: bool) -> float:
    if t_prev >= 0:
        return alphas_cumprod[t_prev]
    return 1.0 if set_alpha_to_one else alphas_cumprod[0]


@torch.no_grad()
def sample_ddim(
    model,
    x_T: torch.Tensor,
    schedule: Schedule,
    timesteps,
    eta=0.0,
    generator: torch.Generator | None = None,
    callback=None,
    *,
    noise=None,
    clip_x0: float | None = None,
    prediction_type: str = "epsilon",
    set_alpha_to_one: bool = True,
    progress: bool = True,
    model_kwargs: dict | None = None,
) -> torch.Tensor:
    """Generalised DDIM sampling (Algorithm of Sec. 4.1, Eq. 12) over the descending ``timesteps`` τ.

    ``eta`` in [0, 1] sets σ by Eq. 16; ``eta="sigma_hat"`` is the larger-variance σ̂ of Appendix D.3
    (σ̂² = 1 - ᾱ_t/ᾱ_prev with the η = 1 mean, no noise on the last step), as in the official code.
    ``model(x, t)`` gets t as int64 of shape (B,). The chain ends at ᾱ = 1 (``set_alpha_to_one``; else
    at ᾱ_0 as diffusers' ``set_alpha_to_one=False``). ``noise``: optional list of S tensors z_i.
    """
    _check_eta(eta, allow_sigma_hat=True)
    ts = _prepare(model, x_T, schedule, timesteps, prediction_type).tolist()
    model_kwargs = model_kwargs or {}
    stochastic = eta == SIGMA_HAT or eta > 0
    draw = _noise_source(noise, generator, x_T, len(ts)) if stochastic else None
    alphas_cumprod = schedule.alphas_cumprod.tolist()  # Python floats: no tensor indexing in the loop
    x = x_T
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="DDIM"):
        t = ts[i]
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        alpha_bar = alphas_cumprod[t]
        alpha_bar_prev = _alpha_bar_prev(alphas_cumprod, t_prev, set_alpha_to_one)
        out = _call_model(model, x, t, i, model_kwargs)
        eps, x0_pred = predict_eps_x0(out, x, alpha_bar, prediction_type, clip_x0)
        if eta == SIGMA_HAT:
            sigma = ddim_sigma(alpha_bar, alpha_bar_prev, 1.0)  # the η = 1 mean ...
            sigma_noise = math.sqrt(1 - alpha_bar / alpha_bar_prev) if t_prev >= 0 else 0.0  # ... with σ̂ noise
        else:
            sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
            sigma_noise = sigma
        z = draw(i) if stochastic else None
        x_prev = _ddim_update(x0_pred, eps, alpha_bar_prev, sigma, z, sigma_noise)
        if callback is not None:
            callback(dict(i=i, t=t, t_prev=t_prev, x=x, x_prev=x_prev, eps=eps, x0_pred=x0_pred,
                          alpha_bar=alpha_bar, alpha_bar_prev=alpha_bar_prev, sigma=sigma_noise))
        x = x_prev
    return x


@torch.no_grad()
def sample_ddpm(
    model,
    x_T: torch.Tensor,
    schedule: Schedule,
    timesteps=None,
    variance: str = "fixed_small",
    generator: torch.Generator | None = None,
    callback=None,
    *,
    noise=None,
    clip_x0: float | None = None,
    prediction_type: str = "epsilon",
    progress: bool = True,
    model_kwargs: dict | None = None,
) -> torch.Tensor:
    """Ancestral sampling, DDPM Algorithm 2: x_{t-1} = 1/sqrt(α_t) (x_t - β_t/sqrt(1-ᾱ_t) ε̂) + σ_t z.

    ``variance``: "fixed_small" (σ² = β̃_t) or "fixed_large" (σ² = β_t); z = 0 on the last step.
    ``timesteps`` defaults to all T steps; a sub-sequence uses the respaced chain of improved-diffusion
    (α_t -> ᾱ_t/ᾱ_prev, β_t -> 1 - ᾱ_t/ᾱ_prev).
    """
    if variance not in ("fixed_small", "fixed_large"):
        raise ValueError(f"variance must be 'fixed_small' or 'fixed_large', got {variance!r}")
    if timesteps is None:
        timesteps = torch.arange(schedule.T - 1, -1, -1)
    ts = _prepare(model, x_T, schedule, timesteps, prediction_type).tolist()
    model_kwargs = model_kwargs or {}
    draw = _noise_source(noise, generator, x_T, len(ts))
    x = x_T
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="DDPM"):
        t = ts[i]
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        alpha_bar = float(schedule.alphas_cumprod[t])
        alpha_bar_prev = float(schedule.alphas_cumprod[t_prev]) if t_prev >= 0 else 1.0
        alpha = alpha_bar / alpha_bar_prev
        beta = 1.0 - alpha
        out = _call_model(model, x, t, i, model_kwargs)
        eps, x0_pred = predict_eps_x0(out, x, alpha_bar, prediction_type, clip_x0)
        mean = (x - beta / math.sqrt(1 - alpha_bar) * eps) / math.sqrt(alpha)
        if t_prev < 0:
            sigma = 0.0
        elif variance == "fixed_small":
            sigma = math.sqrt((1 - alpha_bar_prev) / (1 - alpha_bar) * beta)
        else:
            sigma = math.sqrt(beta)
        x_prev = mean + sigma * draw(i)
        if callback is not None:
            callback(dict(i=i, t=t, t_prev=t_prev, x=x, x_prev=x_prev, eps=eps, x0_pred=x0_pred,
                          alpha_bar=alpha_bar, alpha_bar_prev=alpha_bar_prev, sigma=sigma))
        x = x_prev
    return x


@torch.no_grad()
def invert_ddim(
    model,
    x_0: torch.Tensor,
    schedule: Schedule,
    timesteps,
    callback=None,
    *,
    prediction_type: str = "epsilon",
    progress: bool = True,
    model_kwargs: dict | None = None,
) -> torch.Tensor:
    """DDIM inversion: run the η = 0 ODE forward, x_0 -> x_T, over τ in ascending order (Sec. 4.3).

    Each step from level t_{i-1} to t_i needs ε at the *new* time, ε(x_{t_i}, t_i), which is unknown;
    like the paper's encoder and diffusers' ``DDIMInverseScheduler`` we use ε(x_{t_{i-1}}, t_i), the
    noise predicted from the current point at the next time. The error of this approximation shrinks
    with the step size, so the round trip ``sample_ddim(invert_ddim(x_0))`` improves as S grows.
    ``timesteps`` is the same descending τ that decoding uses.
    """
    ts = _prepare(model, x_0, schedule, timesteps, prediction_type, name="x_0").flip(0).tolist()
    model_kwargs = model_kwargs or {}
    x = x_0
    alpha_bar_prev = 1.0  # x_0 sits at ᾱ = 1
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="DDIM inversion"):
        t = ts[i]
        t_prev = ts[i - 1] if i > 0 else -1
        alpha_bar = float(schedule.alphas_cumprod[t])
        out = _call_model(model, x, t, i, model_kwargs)  # ε(x_{t_{i-1}}, t_i): the approximation
        eps, _ = predict_eps_x0(out, x, alpha_bar, prediction_type)
        x0_pred = (x - math.sqrt(1 - alpha_bar_prev) * eps) / math.sqrt(alpha_bar_prev)
        x_next = math.sqrt(alpha_bar) * x0_pred + math.sqrt(1 - alpha_bar) * eps
        if callback is not None:
            callback(dict(i=i, t=t, t_prev=t_prev, x=x, x_prev=x_next, eps=eps, x0_pred=x0_pred,
                          alpha_bar=alpha_bar, alpha_bar_prev=alpha_bar_prev, sigma=0.0))
        x, alpha_bar_prev = x_next, alpha_bar
    return x
