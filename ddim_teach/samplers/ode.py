"""The probability-flow ODE behind DDIM, and three solvers of it compared at equal network calls.

Song, Meng & Ermon, ICLR 2021, Sec. 4.3 (Eqs. 13-14): divide Eq. 12 at η = 0 by sqrt(ᾱ) and write
    x̄ = x / sqrt(ᾱ)            ("scaled sample")
    σ = sqrt((1 - ᾱ) / ᾱ)      (the noise level; ``Schedule.sigmas``; 0 at the clean data, where ᾱ = 1)
Then one DDIM step is  x̄_prev = x̄ + (σ_prev - σ) ε_θ(x, t),  an Euler step of the ODE

    dx̄/dσ = ε_θ(x̄ sqrt(ᾱ(σ)), t(σ))                                               (Eq. 14)

Solvers (plain functions like ``sample_ddim``; they walk the descending τ and end at σ = 0, ᾱ = 1):
    sample_euler     first order; the same numbers as ``sample_ddim(eta=0)``, written in (σ, x̄)
    sample_heun      Karras et al. 2022, Algorithm 1 without churn: second order, 2 calls per step; the
                     last step, to σ = 0, is an Euler step (1 call)
    sample_dpmpp_2m  DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2): multistep, data prediction x̂₀,
                     in λ = log(sqrt(ᾱ)/sqrt(1-ᾱ)) = -log σ. First and last steps are first order.

Cost. Network calls (NFE, number of function evaluations) are the unit everywhere. Each callback dict
carries ``nfe``, the calls made so far (the last dict's ``nfe`` is the total), and ``order``, the order of
that step; ``nfe_for(solver, S)`` gives the total in advance: S for Euler and DPM-Solver++(2M), 2S - 1
for Heun. ``steps_for_nfe`` inverts it (Heun spends an odd count, so a budget of 10 buys S = 5, 9 calls).

Each callback dict holds: i, t, t_prev, x, x_prev, eps, x0_pred, alpha_bar, alpha_bar_prev, sigma (the
DDIM noise σ_t, always 0 here), ode_sigma, ode_sigma_prev, order, nfe. t_prev = -1 is the clean data.
The three are registered in ``samplers.SAMPLERS`` as "euler", "heun" and "dpmpp_2m".

The measurements of these solvers against exact references (the Gaussian flow map, the mixture's score,
the observed order, quality per NFE) live one layer up, in :mod:`ddim_teach.experiments.flow_map`.
"""
from __future__ import annotations

import math

import torch
from tqdm.auto import tqdm

from ..core._tensor import check_finite
from ..core.step import PREDICTION_TYPES, predict_eps_x0
from .registry import register_sampler
from ..core.schedule import Schedule
from ..core.timesteps import make_timesteps, validate_timesteps

__all__ = [
    "SOLVERS",
    "ode_sigmas",
    "sample_euler",
    "sample_heun",
    "sample_dpmpp_2m",
    "nfe_for",
    "steps_for_nfe",
    "get_solver",
    "log_snr_steps",
]

SOLVERS = ("euler", "heun", "dpmpp_2m")


# ---- shared pieces ---------------------------------------------------------------------------------------
def _prepare(model, x_T, schedule, timesteps, prediction_type, generator=None):
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    if not isinstance(x_T, torch.Tensor) or x_T.ndim < 2:
        raise ValueError("x_T must be a tensor with a batch dimension, e.g. (B, 2) or (B, C, H, W)")
    check_finite(x_T, "x_T")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be None or a torch.Generator, got {type(generator).__name__}")
    shape = getattr(model, "sample_shape", None)
    if shape is not None and tuple(x_T.shape[1:]) != tuple(shape):
        raise ValueError(f"x_T has per-sample shape {tuple(x_T.shape[1:])} but the model expects {tuple(shape)}")
    own = getattr(model, "prediction_type", None)  # the model's own parameterisation wins
    if prediction_type is not None and own is not None and prediction_type != own:
        raise ValueError(f"prediction_type={prediction_type!r} but the model predicts {own!r}")
    prediction_type = prediction_type or own or "epsilon"
    if prediction_type not in PREDICTION_TYPES:
        raise ValueError(f"unknown prediction_type {prediction_type!r}; choose one of {', '.join(PREDICTION_TYPES)}")
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    if float(schedule.alphas_cumprod[ts[0]]) == 0.0:
        raise ValueError(
            f"alpha_bar = 0 at the first timestep (t = {ts[0] + 1} of T = {schedule.T}, zero terminal SNR): the ODE "
            "in σ starts at σ = ∞ there; start one timestep later, or use sample_ddim with prediction_type='v'"
        )
    return ts, prediction_type


def ode_sigmas(schedule: Schedule, timesteps) -> list[float]:
    """σ = sqrt((1-ᾱ)/ᾱ) at each τ_i, followed by σ = 0 for the clean data: S + 1 floats, descending."""
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    ab = schedule.alphas_cumprod.tolist()
    return [math.sqrt((1 - ab[t]) / ab[t]) for t in ts] + [0.0]


def _eval(model, x, t, alpha_bar, prediction_type, model_kwargs, i):
    t_batch = torch.full((x.shape[0],), t, dtype=torch.int64, device=x.device)
    out = model(x, t_batch, **model_kwargs)
    if out.shape != x.shape:
        raise ValueError(f"the model returned shape {tuple(out.shape)} for input {tuple(x.shape)}")
    if not torch.isfinite(out).all():
        raise ValueError(f"the model returned NaN or inf at step {i} (t = {t + 1})")
    return predict_eps_x0(out, x, alpha_bar, prediction_type)  # (ε̂, x̂₀)


def _grid(schedule, ts):
    """ᾱ and σ at every τ_i, then ᾱ = 1, σ = 0 at the end (t_prev = -1)."""
    ab = schedule.alphas_cumprod.tolist()
    alpha_bars = [ab[t] for t in ts] + [1.0]
    sigmas = [math.sqrt((1 - a) / a) for a in alpha_bars]
    return alpha_bars, sigmas


def _report(callback, **d):
    if callback is not None:
        callback(dict(sigma=0.0, **d))


# ---- the three solvers ------------------------------------------------------------------------------------
@torch.no_grad()
def sample_euler(model, x_T: torch.Tensor, schedule: Schedule, timesteps, generator=None, callback=None, *,
                 prediction_type: str | None = None, progress: bool = True, model_kwargs: dict | None = None) -> torch.Tensor:
    """Euler's method on dx̄/dσ = ε (Eq. 14): x̄_prev = x̄ + (σ_prev - σ) ε. S steps, S network calls.

    The same numbers as ``sample_ddim(..., eta=0)``, computed in (σ, x̄) instead of Eq. 12.
    ``generator`` is accepted for a common signature and unused (the ODE is deterministic).
    """
    ts, prediction_type = _prepare(model, x_T, schedule, timesteps, prediction_type, generator)
    alpha_bars, sigmas = _grid(schedule, ts)
    model_kwargs = model_kwargs or {}
    x = x_T
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="Euler"):
        eps, x0_pred = _eval(model, x, ts[i], alpha_bars[i], prediction_type, model_kwargs, i)
        x_bar = x / math.sqrt(alpha_bars[i])
        x_bar_prev = x_bar + (sigmas[i + 1] - sigmas[i]) * eps
        x_prev = x_bar_prev * math.sqrt(alpha_bars[i + 1])
        _report(callback, i=i, t=ts[i], t_prev=ts[i + 1] if i + 1 < len(ts) else -1, x=x, x_prev=x_prev, eps=eps,
                x0_pred=x0_pred, alpha_bar=alpha_bars[i], alpha_bar_prev=alpha_bars[i + 1], ode_sigma=sigmas[i],
                ode_sigma_prev=sigmas[i + 1], order=1, nfe=i + 1)
        x = x_prev
    return x


@torch.no_grad()
def sample_heun(model, x_T: torch.Tensor, schedule: Schedule, timesteps, generator=None, callback=None, *,
                prediction_type: str | None = None, progress: bool = True, model_kwargs: dict | None = None) -> torch.Tensor:
    """Heun's method (Karras et al. 2022, Algorithm 1 with no churn) on dx̄/dσ = ε.

    Each step predicts with Euler, evaluates ε again at the predicted point and the next τ, and averages
    the two slopes: 2 network calls. The last step, to σ = 0, stays an Euler step (ε is not defined at
    σ = 0 for a network trained on t = 1…T): 1 call. Total 2S - 1. The second call uses the next τ, so
    the model only ever sees integer timesteps of its table.
    """
    ts, prediction_type = _prepare(model, x_T, schedule, timesteps, prediction_type, generator)
    alpha_bars, sigmas = _grid(schedule, ts)
    model_kwargs = model_kwargs or {}
    x, nfe = x_T, 0
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="Heun"):
        eps, x0_pred = _eval(model, x, ts[i], alpha_bars[i], prediction_type, model_kwargs, i)
        nfe += 1
        dsigma = sigmas[i + 1] - sigmas[i]
        x_bar = x / math.sqrt(alpha_bars[i])
        x_bar_prev = x_bar + dsigma * eps  # Euler predictor
        order = 1
        if i + 1 < len(ts):  # corrector: the slope at the predicted point, averaged with the first
            x_pred = x_bar_prev * math.sqrt(alpha_bars[i + 1])
            eps_2, _ = _eval(model, x_pred, ts[i + 1], alpha_bars[i + 1], prediction_type, model_kwargs, i)
            nfe += 1
            x_bar_prev = x_bar + dsigma * 0.5 * (eps + eps_2)
            order = 2
        x_prev = x_bar_prev * math.sqrt(alpha_bars[i + 1])
        _report(callback, i=i, t=ts[i], t_prev=ts[i + 1] if i + 1 < len(ts) else -1, x=x, x_prev=x_prev, eps=eps,
                x0_pred=x0_pred, alpha_bar=alpha_bars[i], alpha_bar_prev=alpha_bars[i + 1], ode_sigma=sigmas[i],
                ode_sigma_prev=sigmas[i + 1], order=order, nfe=nfe)
        x = x_prev
    return x


@torch.no_grad()
def sample_dpmpp_2m(model, x_T: torch.Tensor, schedule: Schedule, timesteps, generator=None, callback=None, *,
                    prediction_type: str | None = None, progress: bool = True, model_kwargs: dict | None = None) -> torch.Tensor:
    """DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), data-prediction form: S steps, S network calls.

    With a = sqrt(ᾱ), s = sqrt(1-ᾱ), λ = log(a/s) = -log σ and h = λ_prev - λ, one step is
        x_prev = (s_prev/s) x - a_prev (e^{-h} - 1) D,   D = (1 + 1/(2r)) x̂₀ - 1/(2r) x̂₀_before,
    with r = h_before / h, the ratio of the previous log-SNR step to this one. D = x̂₀ (first order)
    makes the step exactly DDIM. The first step has no x̂₀_before and is first order. The last step,
    to σ = 0, has h = ∞ (r = 0) and is first order too, so it returns x̂₀ (as diffusers'
    ``final_sigmas_type="zero"`` and the authors' ``lower_order_final``).

    On a grid uniform in t (``leading``, ``linspace``, ``uniform``), the last τ is t = 1, where λ rises
    steeply: on the linear schedule λ is about 4.6 at t = 1 but about 1.0 at t = 101, so with S = 10 the
    second-to-last step spans a log-SNR step several times the previous one (r small), and the
    extrapolation weight 1/(2r) on x̂₀ - x̂₀_before grows to a few units. The second-order correction
    then amplifies the network's error instead of cancelling the truncation error. ``trailing`` spacing
    stops at t = T/S and lets the final first-order step jump to σ = 0, so every second-order step has r
    near 1. Lecture 10 shows this with numbers.
    """
    ts, prediction_type = _prepare(model, x_T, schedule, timesteps, prediction_type, generator)
    alpha_bars, sigmas = _grid(schedule, ts)
    model_kwargs = model_kwargs or {}
    x, x0_before, h_before = x_T, None, None
    for i in tqdm(range(len(ts)), disable=not progress, leave=False, desc="DPM-Solver++(2M)"):
        eps, x0_pred = _eval(model, x, ts[i], alpha_bars[i], prediction_type, model_kwargs, i)
        a_prev = math.sqrt(alpha_bars[i + 1])
        s, s_prev = math.sqrt(1 - alpha_bars[i]), math.sqrt(1 - alpha_bars[i + 1])
        if sigmas[i + 1] == 0.0:  # last step: h = ∞, e^{-h} = 0, first order: x_prev = a_prev x̂₀ = x̂₀
            D, order = x0_pred, 1
            x_prev = a_prev * D
            h = math.inf
        else:
            h = math.log(sigmas[i]) - math.log(sigmas[i + 1])
            if x0_before is None:
                D, order = x0_pred, 1
            else:
                r = h_before / h
                D, order = (1 + 1 / (2 * r)) * x0_pred - (1 / (2 * r)) * x0_before, 2
            x_prev = (s_prev / s) * x - a_prev * math.expm1(-h) * D
        _report(callback, i=i, t=ts[i], t_prev=ts[i + 1] if i + 1 < len(ts) else -1, x=x, x_prev=x_prev, eps=eps,
                x0_pred=x0_pred, alpha_bar=alpha_bars[i], alpha_bar_prev=alpha_bars[i + 1], ode_sigma=sigmas[i],
                ode_sigma_prev=sigmas[i + 1], order=order, nfe=i + 1)
        x, x0_before, h_before = x_prev, x0_pred, h
    return x


_SAMPLERS = {"euler": sample_euler, "heun": sample_heun, "dpmpp_2m": sample_dpmpp_2m}

# the package's sampler registry: run_sampler(..., sampler="heun"), evaluation.sample(..., sampler="dpmpp_2m")
register_sampler("euler", sample_euler)
register_sampler("heun", sample_heun)
register_sampler("dpmpp_2m", sample_dpmpp_2m)


def _check_solver(solver: str):
    if solver not in _SAMPLERS and solver != "ddim":
        raise ValueError(f"unknown solver {solver!r}; choose one of {', '.join(SOLVERS)} (or 'ddim', which is 'euler')")


def nfe_for(solver: str, S: int) -> int:
    """Network calls a solver spends on S steps: S (euler, ddim, dpmpp_2m) or 2S - 1 (heun)."""
    _check_solver(solver)
    if isinstance(S, bool) or not isinstance(S, int) or S < 1:
        raise ValueError(f"S must be a positive int, got {S!r}")
    return 2 * S - 1 if solver == "heun" else S


def steps_for_nfe(solver: str, nfe: int) -> int:
    """The most steps S whose cost stays within ``nfe`` calls (Heun: S = (nfe + 1) // 2, e.g. 10 -> 5)."""
    _check_solver(solver)
    if isinstance(nfe, bool) or not isinstance(nfe, int) or nfe < 1:
        raise ValueError(f"nfe must be a positive int, got {nfe!r}")
    return (nfe + 1) // 2 if solver == "heun" else nfe


def get_solver(solver: str):
    """The sampling function of a solver name in SOLVERS."""
    _check_solver(solver)
    return _SAMPLERS["euler" if solver == "ddim" else solver]


def log_snr_steps(schedule: Schedule, timesteps) -> list[dict]:
    """Per step of DPM-Solver++(2M): paper t, λ = -log σ, h = λ_prev - λ, r = h_before/h, the weight 1/(2r)
    on x̂₀ - x̂₀_before, and the order used (first and last steps: 1)."""
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    sig = ode_sigmas(schedule, ts)
    rows, h_before = [], None
    for i, t in enumerate(ts):
        h = math.inf if sig[i + 1] == 0 else math.log(sig[i]) - math.log(sig[i + 1])
        second = h_before is not None and math.isfinite(h)
        r = h_before / h if second else None
        rows.append({"t": t + 1, "t_prev": ts[i + 1] + 1 if i + 1 < len(ts) else 0, "lambda": -math.log(sig[i]),
                     "h": h, "r": r, "weight": 1 / (2 * r) if second else None, "order": 2 if second else 1})
        h_before = h
    return rows
