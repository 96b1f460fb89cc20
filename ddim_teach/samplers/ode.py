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

All three are update rules of the one chain ``samplers.loop._run_chain``: the same input checks, network
call (``denoise``) and finiteness check as ``sample_ddim``; this module holds only their steps.

Cost. Network calls (NFE, number of function evaluations) are the unit everywhere. Each callback dict
carries ``nfe``, the calls made so far (the last dict's ``nfe`` is the total), ``order``, the order of
that step, and ``calls``, where it called the network. Each solver's record in the registry says its cost in
advance (``nfe_for(solver, S)``: S for Euler and DPM-Solver++(2M), 2S - 1 for Heun); ``steps_for_nfe``
inverts it (Heun spends an odd count, so a budget of 10 buys S = 5, 9 calls).

Each callback dict holds: i, t, t_prev, x, x_prev, eps, x0_pred, alpha_bar, alpha_bar_prev, sigma (the
DDIM noise σ_t, always 0 here), ode_sigma, ode_sigma_prev, order, nfe. t_prev = -1 is the clean data.
The three are registered (``samplers.registry``) as "euler", "heun" and "dpmpp_2m", with ``ode=True``.

The measurements of these solvers against exact references (the Gaussian flow map, the mixture's score,
the observed order, quality per NFE) live one layer up, in :mod:`ddim_teach.experiments.flow_map`.
"""
from __future__ import annotations

import math

import torch

from ..core.schedule import Schedule
from ..core.step import alpha_bar_at, euler_step, ode_sigma
from ..core.timesteps import validate_timesteps
from .loop import _run_chain
from .registry import register_sampler, nfe_for, steps_for_nfe, get_sampler

__all__ = ["ode_sigmas", "sample_euler", "sample_heun", "sample_dpmpp_2m", "log_snr_steps",
           "nfe_for", "steps_for_nfe", "get_solver"]


def ode_sigmas(schedule: Schedule, timesteps) -> list[float]:
    """σ = sqrt((1-ᾱ)/ᾱ) at each τ_i, followed by σ = 0 for the clean data: S + 1 floats, descending."""
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    return [ode_sigma(alpha_bar_at(schedule, t)) for t in ts] + [0.0]


def _check_ode_start(schedule: Schedule, ts: list[int]) -> None:
    """The ODE in σ needs σ < ∞ at its first τ: ᾱ > 0 there."""
    if alpha_bar_at(schedule, ts[0]) == 0.0:
        raise ValueError(
            f"alpha_bar = 0 at the first timestep (t = {ts[0] + 1} of T = {schedule.T}, zero terminal SNR): the ODE "
            "in σ starts at σ = ∞ there; start one timestep later, or use sample_ddim with prediction_type='v'"
        )


def _ode_extras(alpha_bar, alpha_bar_prev, order):
    return {"order": order, "ode_sigma": ode_sigma(alpha_bar), "ode_sigma_prev": ode_sigma(alpha_bar_prev)}


def _euler_update():
    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again):
        return euler_step(x, eps, alpha_bar, alpha_bar_prev), x0_pred, 0.0, _ode_extras(alpha_bar, alpha_bar_prev, 1)

    return step


def _heun_update():
    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again):
        x_pred = euler_step(x, eps, alpha_bar, alpha_bar_prev)  # Euler predictor
        if final:  # to σ = 0: ε is not defined there for a network trained on t = 1…T; stay first order
            return x_pred, x0_pred, 0.0, _ode_extras(alpha_bar, alpha_bar_prev, 1)
        eps_2, _ = again(x_pred)  # the slope at the predicted point and the next τ (a second network call)
        x_prev = euler_step(x, 0.5 * (eps + eps_2), alpha_bar, alpha_bar_prev)  # corrector: the mean slope
        return x_prev, x0_pred, 0.0, _ode_extras(alpha_bar, alpha_bar_prev, 2)

    return step


def _dpmpp_2m_update():
    state = {"x0_before": None, "h_before": None}

    def step(x, eps, x0_pred, alpha_bar, alpha_bar_prev, z, final, again):
        a_prev = math.sqrt(alpha_bar_prev)
        s, s_prev = math.sqrt(1 - alpha_bar), math.sqrt(1 - alpha_bar_prev)
        sig, sig_prev = ode_sigma(alpha_bar), ode_sigma(alpha_bar_prev)
        if sig_prev == 0.0:  # last step: h = ∞, e^{-h} = 0, first order: x_prev = a_prev x̂₀ = x̂₀
            D, order, h = x0_pred, 1, math.inf
            x_prev = a_prev * D
        else:
            h = math.log(sig) - math.log(sig_prev)
            if state["x0_before"] is None:
                D, order = x0_pred, 1
            else:
                r = state["h_before"] / h
                D, order = (1 + 1 / (2 * r)) * x0_pred - (1 / (2 * r)) * state["x0_before"], 2
            x_prev = (s_prev / s) * x - a_prev * math.expm1(-h) * D
        state["x0_before"], state["h_before"] = x0_pred, h
        return x_prev, x0_pred, 0.0, _ode_extras(alpha_bar, alpha_bar_prev, order)

    return step


def _solve(update, desc):
    @torch.no_grad()
    def solver(model, x_T: torch.Tensor, schedule: Schedule, timesteps, generator=None, callback=None, *,
               prediction_type: str | None = None, progress: bool = True, model_kwargs: dict | None = None,
               clip_x0: float | None = None) -> torch.Tensor:
        return _run_chain(model, x_T, schedule, timesteps, update(), prediction_type=prediction_type, clip_x0=clip_x0,
                          generator=generator, callback=callback, progress=progress, model_kwargs=model_kwargs,
                          desc=desc, extra_check=_check_ode_start)

    return solver


sample_euler = _solve(_euler_update, "Euler")
sample_euler.__name__ = sample_euler.__qualname__ = "sample_euler"
sample_euler.__doc__ = """Euler's method on dx̄/dσ = ε (Eq. 14): x̄_prev = x̄ + (σ_prev - σ) ε (``core.step.euler_step``).

S steps, S network calls. The same numbers as ``sample_ddim(..., eta=0)`` (tests/test_ode.py: 1e-12 in
float64): the one loop, with the step written in (σ, x̄) instead of Eq. 12. ``generator`` is accepted for a
common signature and unused (the ODE is deterministic)."""

sample_heun = _solve(_heun_update, "Heun")
sample_heun.__name__ = sample_heun.__qualname__ = "sample_heun"
sample_heun.__doc__ = """Heun's method (Karras et al. 2022, Algorithm 1 with no churn) on dx̄/dσ = ε.

Each step predicts with Euler, evaluates ε again at the predicted point and the next τ, and averages
the two slopes: 2 network calls. The last step, to σ = 0, stays an Euler step (ε is not defined at
σ = 0 for a network trained on t = 1…T): 1 call. Total 2S - 1. The second call uses the next τ, so
the model only ever sees integer timesteps of its table."""

sample_dpmpp_2m = _solve(_dpmpp_2m_update, "DPM-Solver++(2M)")
sample_dpmpp_2m.__name__ = sample_dpmpp_2m.__qualname__ = "sample_dpmpp_2m"
sample_dpmpp_2m.__doc__ = """DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), data-prediction form: S steps, S network calls.

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
near 1. Lecture 10 shows this with numbers."""

# one record each in the package's registry: the explorer, the benchmark and lecture 10 read these
register_sampler("euler", sample_euler, label={"ko": "DDIM (오일러)", "en": "DDIM (Euler)"}, order=1, ode=True)
register_sampler("heun", sample_heun, label={"ko": "Heun", "en": "Heun"}, calls=lambda S: 2 * S - 1, order=2, ode=True)
register_sampler("dpmpp_2m", sample_dpmpp_2m, label={"ko": "DPM-Solver++(2M)", "en": "DPM-Solver++(2M)"}, order=2,
                 ode=True)


def get_solver(solver: str):
    """The sampling function of a registered ODE solver (``registry.ode_solvers()``)."""
    fn = get_sampler(solver)
    from .registry import RECORDS

    if not RECORDS[solver].ode:
        raise ValueError(f"{solver!r} is not an ODE solver; choose one of {', '.join(n for n, r in RECORDS.items() if r.ode)}")
    return fn


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
