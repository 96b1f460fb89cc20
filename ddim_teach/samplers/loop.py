"""DDPM and DDIM samplers, and DDIM inversion: one step, one loop.

Song, Meng & Ermon, "Denoising Diffusion Implicit Models", ICLR 2021. Notation of ``ddim_step``:
    - alpha_bar       -> ᾱ_t        (the DDIM paper writes α_t)
    - alpha_bar_prev  -> ᾱ_{t_prev} (the next entry of τ; 1 after the last step)
    - x0_pred         -> x̂₀, "predicted x_0"                              (Eq. 9)
    - sigma           -> σ_t = η sqrt((1-ᾱ_prev)/(1-ᾱ_t)) sqrt(1-ᾱ_t/ᾱ_prev)  (Eq. 16)
    - eta             -> η: 0 is DDIM (deterministic), 1 is DDPM's posterior variance
The update is Eq. 12:
    x_prev = sqrt(ᾱ_prev) x̂₀  +  sqrt(1 - ᾱ_prev - σ²) ε  +  σ z
             "predicted x_0"     "direction pointing to x_t"   random noise

``ddim_step`` is the step every DDIM loop takes: ``sample_ddim``, ``invert_ddim`` (the same step towards
more noise, at η = 0) and the errata's literal variant. All loops, DDPM's included, are one function,
``_run_chain``, that walks the explicit pairs (τ_i, τ_{i+1}) of ``timestep_pairs`` (never ``t - T // S``)
and reads ᾱ from ``alpha_bar_at``. Each step calls
``callback(dict(i, t, t_prev, x, x_prev, eps, x0_pred, alpha_bar, alpha_bar_prev, sigma))``.
The device and dtype follow ``x_T``; noise comes from ``generator`` or the ``noise`` argument.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from tqdm.auto import tqdm

from ..core._tensor import check_finite
from ..core.step import (PREDICTION_TYPES, SIGMA_HAT, _check_clip_x0, _check_eta, _noise_sigma, alpha_bar_at, ddim_step,
                         ddpm_step, predict_eps_x0)
from .registry import register_sampler
from ..core.schedule import Schedule
from ..core.timesteps import timestep_pairs, validate_timesteps

__all__ = [
    "denoise",
    "resolve_prediction_type",
    "check_sampler_inputs",
    "check_step_finite",
    "sample_ddim",
    "sample_ddpm",
    "invert_ddim",
    "TrajectoryRecorder",
]

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
        return [float(s["sigma"]) for s in self.steps]

    @property
    def alpha_bars(self) -> list[float]:
        return [s["alpha_bar"] for s in self.steps]


# ---- building blocks of every sampling loop --------------------------------------------------------------
def resolve_prediction_type(model, prediction_type: str | None = None) -> str:
    """The model's own ``prediction_type`` when it has one; an explicit argument must agree with it."""
    own = getattr(model, "prediction_type", None)
    if prediction_type is not None and prediction_type not in PREDICTION_TYPES:
        raise ValueError(f"unknown prediction_type {prediction_type!r}; choose one of {', '.join(PREDICTION_TYPES)}")
    if own is not None and prediction_type is not None and own != prediction_type:
        raise ValueError(f"prediction_type={prediction_type!r} disagrees with the model, which predicts {own!r}; "
                         "leave prediction_type out to use the model's")
    resolved = prediction_type or own or "epsilon"
    if resolved not in PREDICTION_TYPES:
        raise ValueError(f"the model's prediction_type {resolved!r} is not one of {', '.join(PREDICTION_TYPES)}")
    return resolved


def check_sampler_inputs(model, x, schedule, timesteps, prediction_type=None, *, generator=None, name="x_T"):
    """All input checks of the samplers. Returns ``(timesteps as a list of ints, prediction_type)``."""
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    if not isinstance(x, torch.Tensor) or x.ndim < 2:
        raise ValueError(f"{name} must be a tensor with a batch dimension, e.g. (B, 2) or (B, C, H, W)")
    if not x.dtype.is_floating_point:
        raise TypeError(f"{name} must be a floating-point tensor, got {x.dtype}")
    if x.device.type == "meta":
        raise ValueError(f"{name} is on the meta device (a shape without values): create it on 'cpu' or 'cuda', "
                         "e.g. torch.randn(..., device='cpu')")
    check_finite(x, name)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator (e.g. torch.Generator().manual_seed(0)) or None, "
                        f"got {type(generator).__name__} {generator!r}")
    shape = getattr(model, "sample_shape", None)
    if shape is not None and tuple(x.shape[1:]) != tuple(shape):
        raise ValueError(f"{name} has per-sample shape {tuple(x.shape[1:])} but the model expects {tuple(shape)}")
    if isinstance(model, torch.nn.Module):
        p = next((p for p in model.parameters() if p.is_floating_point()), None)
        if p is not None and p.dtype != x.dtype:
            raise ValueError(f"the model's weights are {p.dtype} but {name} is {x.dtype}: convert one, e.g. "
                             f"model.to({x.dtype}) (load_pretrained gives each caller its own copy)")
    own = getattr(model, "schedule", None)  # an exact denoiser knows the schedule it was built for
    if isinstance(own, Schedule) and own is not schedule and (
            own.T != schedule.T or not torch.allclose(own.alphas_cumprod, schedule.alphas_cumprod, rtol=0, atol=1e-12)):
        raise ValueError(f"the model was built for a schedule with T = {own.T} ({own.kind}) but the sampler was given "
                         f"one with T = {schedule.T} ({schedule.kind}): pass the model's own, model.schedule")
    prediction_type = resolve_prediction_type(model, prediction_type)
    if prediction_type == "epsilon" and float(schedule.alphas_cumprod[-1]) == 0.0:
        raise ValueError(
            "epsilon prediction cannot be used with a zero-terminal-SNR schedule (alpha_bar = 0 at t = T, "
            "where x̂₀ = (x - sqrt(1-ᾱ) ε)/sqrt(ᾱ) divides by zero); train and sample with prediction_type='v'"
        )
    return validate_timesteps(timesteps, schedule.T).tolist(), prediction_type


def denoise(model, x, t: int, alpha_bar: float, prediction_type: str = "epsilon", *, clip_x0=None,
            model_kwargs=None, i: int = 0):
    """Call ``model(x, t)`` (t as int64 of shape (B,)), check its output, and return ``(ε̂, x̂₀)``."""
    t_batch = torch.full((x.shape[0],), t, dtype=torch.int64, device=x.device)
    out = model(x, t_batch, **(model_kwargs or {}))
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        raise ValueError(f"the model returned shape {tuple(getattr(out, 'shape', ()))} for input {tuple(x.shape)}")
    if not torch.isfinite(out).all():
        raise ValueError(f"the model returned NaN or inf at step {i} (t = {t + 1} of 1..T; its input was finite)")
    return predict_eps_x0(out, x, alpha_bar, prediction_type, clip_x0)


def check_step_finite(x, i: int, t: int, alpha_bar: float) -> None:
    """A step that overflowed is the schedule's fault: say so. The loop calls it after checking everything
    else that enters a step (x_T, the network's output and the noise are finite), so only the schedule's
    coefficients are left to blame."""
    if not torch.isfinite(x).all():
        raise ValueError(
            f"the sampling step {i} (from t = {t + 1} of 1..T) overflowed {x.dtype}: ᾱ_t = {alpha_bar:.3g} is so small "
            "that x̂₀ = (x_t - sqrt(1-ᾱ_t) ε̂)/sqrt(ᾱ_t) leaves the number range. The network's output was finite; "
            "the schedule is the cause: use one with a larger ᾱ at t = T (e.g. a smaller beta_end), float64, "
            "or a v-prediction model"
        )


def _noise_source(noise, generator, x, n_steps):
    if noise is not None:
        if isinstance(noise, torch.Tensor) and noise.ndim == x.ndim + 1:
            noise = list(noise)
        if (not isinstance(noise, (list, tuple)) or len(noise) != n_steps
                or any(not isinstance(z, torch.Tensor) or tuple(z.shape) != tuple(x.shape) for z in noise)):
            raise ValueError(f"noise must hold {n_steps} tensors of shape {tuple(x.shape)} (one z per step)")
        for k, z in enumerate(noise):
            if not z.dtype.is_floating_point:
                raise TypeError(f"noise[{k}] must be a floating-point tensor, got {z.dtype}")
            check_finite(z, f"noise[{k}]")
        return lambda i: noise[i].to(device=x.device, dtype=x.dtype)
    return lambda i: torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)


def _run_chain(model, x, schedule, timesteps, step, *, invert=False, table=None, set_alpha_to_one=True,
               prediction_type=None, clip_x0=None, stochastic=False, noise=None, generator=None, callback=None,
               progress=True, model_kwargs=None, desc="DDIM", extra_check=None):
    """The one sampling loop of every sampler (DDPM, DDIM, inversion, the ODE solvers).

    ``step(x, ε̂, x̂₀, ᾱ, ᾱ_prev, z, final, again) -> (x_prev, x̂₀, σ[, extras])`` is the update rule;
    ``again(x')`` calls the network once more at the step's other end (Heun's corrector) through the same
    ``denoise``, and ``extras`` (e.g. ``order``) go into the callback dict. Each callback dict carries
    ``nfe``, the network calls so far, ``order`` (1 unless the step says otherwise) and ``calls``, the
    timesteps where this step called the network. ``extra_check(schedule, ts)`` adds a sampler's own input check.

    Sampling walks the pairs (τ_i, τ_{i+1}) of ``timestep_pairs``; ``invert=True`` walks them backwards,
    from x_0 (index -1) up to τ_S, and evaluates the network at the step's *end* (Sec. 4.3).
    ``table`` is the ᾱ table (default: the schedule's; the errata pass another to show a slip).
    """
    ts, prediction_type = check_sampler_inputs(model, x, schedule, timesteps, prediction_type, generator=generator,
                                               name="x_0" if invert else "x_T")
    clip_x0 = _check_clip_x0(clip_x0)
    if extra_check is not None:
        extra_check(schedule, ts)
    table = schedule.alphas_cumprod.tolist() if table is None else table  # Python floats: no tensor indexing in the loop
    pairs = timestep_pairs(ts)
    if invert:
        pairs = [(t_prev, t) for t, t_prev in reversed(pairs)]  # (from, to), from x_0 upwards
    draw = _noise_source(noise, generator, x, len(pairs)) if stochastic else None
    nfe = 0
    for i, (t_from, t_to) in enumerate(tqdm(pairs, disable=not progress, leave=False, desc=desc)):
        # 1. ᾱ at both ends of the step (the paper's α_{τ_i} and α_{τ_{i-1}}; 1 beyond the end)
        alpha_bar = alpha_bar_at(table, t_from, set_alpha_to_one)
        alpha_bar_prev = alpha_bar_at(table, t_to, set_alpha_to_one)
        # 2. the network's ε̂ and x̂₀ (Eq. 9). Inversion needs ε at the step's end, ε(x_{t_to}, t_to), which
        #    is unknown: it uses ε(x_{t_from}, t_to), the noise predicted from here at the next time (Sec. 4.3)
        t_net = t_to if invert else t_from
        eps, x0_pred = denoise(model, x, t_net, alpha_bar_at(table, t_net), prediction_type,
                               clip_x0=clip_x0, model_kwargs=model_kwargs, i=i)
        calls = [t_net]

        def again(x_other, _t=t_to, _i=i, _calls=calls, _t_from=t_from, _ab=alpha_bar):
            """One more network call, at the step's other end (a predictor's point must be finite first)."""
            check_step_finite(x_other, _i, _t_from, _ab)
            _calls.append(_t)
            return denoise(model, x_other, _t, alpha_bar_at(table, _t), prediction_type, clip_x0=clip_x0,
                           model_kwargs=model_kwargs, i=_i)

        # 3. the noise z of a stochastic step (Eq. 12's σ_t z); the final step adds none in DDPM (Alg. 2)
        z = draw(i) if stochastic else None
        # 4. the update: Eq. 12 (DDIM) or Algorithm 2 (DDPM)
        out = step(x, eps, None if invert else x0_pred, alpha_bar, alpha_bar_prev, z, t_to < 0, again)
        (x_prev, x0_pred, sigma), extras = out[:3], (out[3] if len(out) > 3 else {})
        nfe += len(calls)
        check_step_finite(x_prev, i, t_from, alpha_bar)
        if callback is not None:  # ``t`` is where the network was evaluated, ``t_prev`` the step's other end
            t_cb, t_other, ab_cb, ab_other = ((t_to, t_from, alpha_bar_prev, alpha_bar) if invert
                                              else (t_from, t_to, alpha_bar, alpha_bar_prev))
            callback({"i": i, "t": t_cb, "t_prev": t_other, "x": x, "x_prev": x_prev, "eps": eps, "x0_pred": x0_pred,
                      "alpha_bar": ab_cb, "alpha_bar_prev": ab_other, "sigma": sigma, "nfe": nfe, "order": 1,
                      "calls": list(calls), **extras})
        x = x_prev
    return x


def _ddim_update(eta):
    """The DDIM update of the loop: ``ddim_step`` with σ reported for the callback."""

    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again=None):
        if eta == SIGMA_HAT and final:
            z = None  # σ̂ is DDPM's σ² = β: no noise on the final step, as in Algorithm 2
        x_prev, x0_pred = ddim_step(x, eps, alpha_bar, alpha_bar_prev, eta, z, x0_pred=x0_pred)
        sigma = _noise_sigma(alpha_bar, alpha_bar_prev, eta)[1] if z is not None else 0.0
        return x_prev, x0_pred, sigma

    return step


# ---- the samplers -----------------------------------------------------------------------------------------
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
    prediction_type: str | None = None,
    set_alpha_to_one: bool = True,
    progress: bool = True,
    model_kwargs: dict | None = None,
) -> torch.Tensor:
    """Generalised DDIM sampling (Algorithm of Sec. 4.1, Eq. 12) over the descending ``timesteps`` τ.

    ``eta`` in [0, 1] sets σ by Eq. 16; ``eta="sigma_hat"`` is the larger-variance σ̂ of Appendix D.3
    (σ̂² = 1 - ᾱ_t/ᾱ_prev with the η = 1 mean, no noise on the last step), as in the official code.
    ``model(x, t)`` gets t as int64 of shape (B,). The chain ends at ᾱ = 1 (``set_alpha_to_one``; else
    at ᾱ_0 as diffusers' ``set_alpha_to_one=False``). ``noise``: optional list of S tensors z_i.
    ``prediction_type`` defaults to the model's own (else "epsilon").
    """
    eta = _check_eta(eta, allow_sigma_hat=True)
    return _run_chain(model, x_T, schedule, timesteps, _ddim_update(eta), set_alpha_to_one=set_alpha_to_one,
                      prediction_type=prediction_type, clip_x0=clip_x0, stochastic=eta == SIGMA_HAT or eta > 0,
                      noise=noise, generator=generator, callback=callback, progress=progress,
                      model_kwargs=model_kwargs, desc="DDIM")


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
    prediction_type: str | None = None,
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

    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again=None):
        # the mean from x̂₀ (DDPM's Eq. 7): defined at ᾱ_t = 0 too (v-prediction, zero terminal SNR)
        x_prev, sigma = ddpm_step(x, eps, alpha_bar, alpha_bar_prev, None if final else z, variance, x0_pred=x0_pred)
        return x_prev, x0_pred, sigma

    return _run_chain(model, x_T, schedule, timesteps, step, prediction_type=prediction_type, clip_x0=clip_x0,
                      stochastic=True, noise=noise, generator=generator, callback=callback, progress=progress,
                      model_kwargs=model_kwargs, desc="DDPM")


@torch.no_grad()
def invert_ddim(
    model,
    x_0: torch.Tensor,
    schedule: Schedule,
    timesteps,
    callback=None,
    *,
    prediction_type: str | None = None,
    set_alpha_to_one: bool = True,
    progress: bool = True,
    model_kwargs: dict | None = None,
) -> torch.Tensor:
    """DDIM inversion: run the η = 0 ODE forward, x_0 -> x_T, over τ in ascending order (Sec. 4.3).

    Each step is ``ddim_step`` at η = 0 from ᾱ of the current level to the (smaller) ᾱ of the next.
    It needs ε at the *new* time, ε(x_{t_i}, t_i), which is unknown; like the paper's encoder and
    diffusers' ``DDIMInverseScheduler`` we use ε(x_{t_{i-1}}, t_i), the noise predicted from the current
    point at the next time. The error of this approximation shrinks with the step size, so the round trip
    ``sample_ddim(invert_ddim(x_0))`` improves as S grows. ``timesteps`` is the same descending τ that
    decoding uses; x_0 sits at ᾱ = 1 (or ᾱ_0 with ``set_alpha_to_one=False``). In the callback, ``t`` is
    the timestep a step arrives at and ``t_prev`` the one it leaves (-1: x_0).
    """
    return _run_chain(model, x_0, schedule, timesteps, _ddim_update(0.0), invert=True,
                      set_alpha_to_one=set_alpha_to_one, prediction_type=prediction_type, callback=callback,
                      progress=progress, model_kwargs=model_kwargs, desc="DDIM inversion")


register_sampler("ddim", sample_ddim, label={"ko": "DDIM", "en": "DDIM"}, order=1)
register_sampler("ddpm", sample_ddpm, label={"ko": "DDPM", "en": "DDPM"}, order=1)
