"""The exact numbers behind lectures 08 and 10's theory (derived in ``course.theory``, checked with sympy there).

ELBO: ``elbo_weights`` (λ_t of DDPM's bound on ‖ε - ε_θ‖²), ``gamma_weights`` (Theorem 1's γ_t at η), ``gaussian_elbo``
(the bound in closed form for Gaussian data and its exact denoiser) and ``gaussian_elbo_mc`` (a Monte Carlo estimate from the
bound's definition). Parameterisations: ``loss_weights``, ``x0_error_gain``. The η dial in continuous time: ``sde_mean_gain``,
``ddim_mean_gain``, ``matching_lambda``; any sampler's exact output law on Gaussian data: ``output_law``, ``law_errors``.
``interval``: a mean with its 95% Student-t half-width.
"""
from __future__ import annotations

import inspect
import math

import torch

from ..core.schedule import Schedule
from ..core.timesteps import make_timesteps, validate_timesteps

__all__ = ["elbo_weights", "gamma_weights", "gaussian_elbo", "gaussian_elbo_mc", "loss_weights", "x0_error_gain",
           "sde_mean_gain", "ddim_mean_gain", "matching_lambda", "output_law", "law_errors", "interval"]


# ---- numbers: the ELBO -------------------------------------------------------------------------------------
def _check_schedule(schedule):
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    if float(schedule.alphas_cumprod[-1]) == 0.0:
        raise ValueError("the bound's L_T = KL(q(x_T|x_0) || N(0, I)) and the ε-weights need alpha_bar_T > 0; "
                         "this schedule has zero terminal SNR (see loss_weights for v)")


def elbo_weights(schedule: Schedule) -> torch.Tensor:
    """λ_t for the paper's t = 1..T (float64): the weight of E‖ε - ε_θ‖² in the bound (σ_t² = β̃_t, decoder β_1).

    λ_t = ½ (SNR_{t-1}/SNR_t - 1) for t ≥ 2, λ_1 = 1/(2 α_1). L_simple's weight is 1 at every t.
    """
    _check_schedule(schedule)
    snr = schedule.snr
    lam = 0.5 * (snr[:-1] / snr[1:] - 1)
    return torch.cat([0.5 / schedule.alphas[:1], lam])


def gamma_weights(schedule: Schedule, eta: float) -> torch.Tensor:
    """Theorem 1's γ_t = c_t² (1-ᾱ_t)/(2σ_t² ᾱ_t) for the paper's t = 2..T, with σ_t = η √β̃_t (η in (0, 1])."""
    if isinstance(eta, bool) or not isinstance(eta, (int, float)) or not 0.0 < eta <= 1.0:
        raise ValueError(f"Theorem 1 needs sigma_t > 0: eta must be in (0, 1], got {eta!r}")
    _check_schedule(schedule)
    ab, abp = schedule.alphas_cumprod[1:], schedule.alphas_cumprod[:-1]
    sig2 = eta**2 * schedule.posterior_variance[1:]
    c = abp.sqrt() - (1 - abp - sig2).clamp(min=0).sqrt() * ab.sqrt() / (1 - ab).sqrt()
    return c**2 * (1 - ab) / (2 * sig2 * ab)


def _data(mean, std):
    mean = torch.as_tensor(mean, dtype=torch.float64).flatten()
    std = torch.as_tensor(std, dtype=torch.float64).flatten()
    mean, std = torch.broadcast_tensors(mean, std)
    if not (torch.isfinite(mean).all() and torch.isfinite(std).all()) or (std <= 0).any():
        raise ValueError(f"mean must be finite and std positive, got mean={mean.tolist()}, std={std.tolist()}")
    return mean.clone(), std.clone()


def gaussian_elbo(schedule: Schedule, mean=0.0, std=1.0) -> dict:
    """The bound L in closed form (nats, summed over coordinates) for data N(mean, diag(std²)) and the exact ε.

    With the exact denoiser E‖ε - ε*(x_t)‖² is the minimum mean square error of ε given x_t,
    ᾱ_t s²/(ᾱ_t s² + 1 - ᾱ_t) per coordinate; E(x_0 - x̂₀(x_1))² is s²(1 - ᾱ_1)/(ᾱ_1 s² + 1 - ᾱ_1).
    Returns {"L_T", "L_mid" (Σ_{t≥2} L_{t-1}), "L_0", "total", "per_t" (λ_t · mmse_t, t = 1..T)}.
    """
    _check_schedule(schedule)
    mu, s = _data(mean, std)
    ab = schedule.alphas_cumprod
    abT = float(ab[-1])
    L_T = float(0.5 * ((1 - abT) + abT * (mu**2 + s**2) - 1 - math.log(1 - abT)).sum())
    mmse = (ab[:, None] * s**2 / (ab[:, None] * s**2 + 1 - ab[:, None])).sum(1)  # Σ over coordinates
    per_t = elbo_weights(schedule) * mmse
    b1, ab1 = float(schedule.betas[0]), float(ab[0])
    mse_x0 = (s**2 * (1 - ab1) / (ab1 * s**2 + 1 - ab1)).sum()
    L_0 = float(0.5 * len(s) * math.log(2 * math.pi * b1) + mse_x0 / (2 * b1))
    L_mid = float(per_t[1:].sum())
    return {"L_T": L_T, "L_mid": L_mid, "L_0": L_0, "total": L_T + L_mid + L_0, "per_t": per_t}


_T_975 = {2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776, 6: 2.571, 7: 2.447, 8: 2.365, 9: 2.306, 10: 2.262}


def interval(values) -> tuple[float, float]:
    """Mean and half-width of the 95% interval of the mean (Student t; 2 to 10 values, e.g. seeds)."""
    v = torch.tensor([float(x) for x in values], dtype=torch.float64)
    if not 2 <= len(v) <= 10:
        raise ValueError(f"interval takes 2 to 10 values, got {len(v)}")
    return float(v.mean()), _T_975[len(v)] * float(v.std()) / math.sqrt(len(v))


@torch.no_grad()
def gaussian_elbo_mc(schedule: Schedule, mean=0.0, std=1.0, n: int = 4000, seed: int = 0, batches: int = 5) -> dict:
    """A Monte Carlo estimate of the bound from its definition, E_q[log q(x_{1:T}|x_0) - log p_θ(x_{0:T})].

    x_0 ~ N(mean, std²); the chain x_1, …, x_T is drawn step by step from q(x_t|x_{t-1}) and the log ratio
    is summed with the *forward* factors q(x_t|x_{t-1}) (no posterior, no KL formula) against
    p(x_T) = N(0, I), p_θ(x_{t-1}|x_t) = N(μ_θ, β̃_t) (t ≥ 2) and p_θ(x_0|x_1) = N(x̂₀, β_1), with the exact ε.
    Returns {"mean", "half_width" (95%, Student t over ``batches`` batches), "n"}.
    """
    from .oracles import GaussianDenoiser

    _check_schedule(schedule)
    if not (isinstance(n, int) and 2 <= batches <= 10 and n >= batches):
        raise ValueError(f"need an int n >= batches and 2 <= batches <= 10, got n={n!r}, batches={batches!r}")
    mu, s = _data(mean, std)
    D = len(mu)
    den = GaussianDenoiser(schedule, mu, s, sample_shape=(D,))
    g = torch.Generator().manual_seed(seed)
    b, a, ab = schedule.betas, schedule.alphas, schedule.alphas_cumprod
    bt = schedule.posterior_variance
    log2pi = math.log(2 * math.pi)

    def log_n(x, m, v):
        return (-(x - m) ** 2 / (2 * v) - 0.5 * (log2pi + math.log(v))).sum(1)

    x0 = mu + s * torch.randn(n, D, generator=g, dtype=torch.float64)
    total = torch.zeros(n, dtype=torch.float64)
    x_prev = x0
    for t in range(schedule.T):  # table index t is the paper's t + 1
        x_t = a[t].sqrt() * x_prev + b[t].sqrt() * torch.randn(n, D, generator=g, dtype=torch.float64)
        total += log_n(x_t, a[t].sqrt() * x_prev, float(b[t]))  # + log q(x_t | x_{t-1})
        eps = den(x_t, torch.full((n,), t))
        if t == 0:
            x0_hat = (x_t - (1 - ab[0]).sqrt() * eps) / ab[0].sqrt()
            total -= log_n(x_prev, x0_hat, float(b[0]))  # - log p(x_0 | x_1)
        else:
            mean_th = (x_t - b[t] / (1 - ab[t]).sqrt() * eps) / a[t].sqrt()
            total -= log_n(x_prev, mean_th, float(bt[t]))  # - log p(x_{t-1} | x_t)
        x_prev = x_t
    total -= log_n(x_prev, torch.zeros(D, dtype=torch.float64), 1.0)  # - log p(x_T)
    m, hw = interval([c.mean().item() for c in total.chunk(batches)])
    return {"mean": m, "half_width": hw, "n": n}


# ---- numbers: parameterisations ----------------------------------------------------------------------------
def loss_weights(schedule: Schedule) -> dict:
    """Weights on ‖x_0 - x̂₀‖² implied by each target at t = 1..T: ε → SNR, x_0 → 1, v → 1 + SNR (float64)."""
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    snr = schedule.snr
    return {"epsilon": snr, "sample": torch.ones_like(snr), "v": 1 + snr}


def x0_error_gain(schedule: Schedule) -> dict:
    """|x̂₀ error| per unit of prediction error, t = 1..T: ε → √((1-ᾱ)/ᾱ) (inf at ᾱ = 0), v → √(1-ᾱ), x_0 → 1."""
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
    ab = schedule.alphas_cumprod
    with torch.no_grad():
        eps_gain = torch.where(ab > 0, ((1 - ab) / ab.clamp(min=1e-300)).sqrt(), torch.full_like(ab, math.inf))
    return {"epsilon": eps_gain, "sample": torch.ones_like(ab), "v": (1 - ab).sqrt()}


# ---- numbers: which λ is DDIM's η --------------------------------------------------------------------------
def sde_mean_gain(std, alpha_bar_T: float, lam: float) -> torch.Tensor:
    """E[x̄_0 - μ | x̄_T] / (x̄_T - μ) of the reverse family at λ, exactly: (s²/(s² + σ_T²))^((1+λ²)/2)."""
    _, s = _data(0.0, std)
    if not 0 < alpha_bar_T < 1:
        raise ValueError(f"alpha_bar_T must be in (0, 1), got {alpha_bar_T}")
    if not (isinstance(lam, (int, float)) and lam >= 0):
        raise ValueError(f"lam must be a number >= 0, got {lam!r}")
    sig2 = (1 - alpha_bar_T) / alpha_bar_T
    return (s**2 / (s**2 + sig2)) ** ((1 + lam**2) / 2)


def ddim_mean_gain(std, schedule: Schedule, timesteps, eta) -> torch.Tensor:
    """The same gain for DDIM at η over τ, from the exact affine steps of ``gaussian_law`` (x_0 = A x_T + …)."""
    from .gaussian_law import ddim_affine_step

    mu, s = _data(0.0, std)
    ts = validate_timesteps(timesteps, schedule.T).tolist()
    ab = schedule.alphas_cumprod.tolist()
    A = torch.ones_like(s)
    for i, t in enumerate(ts):
        A = A * ddim_affine_step(mu, s, ab[t], ab[ts[i + 1]] if i + 1 < len(ts) else 1.0, eta)[0]
    return A * math.sqrt(ab[ts[0]])  # gain in x̄ = x/√ᾱ units


def matching_lambda(std, schedule: Schedule, eta, S: int = 1000, spacing: str = "leading") -> torch.Tensor:
    """The λ whose reverse process has the conditional mean of DDIM at η with S steps (per coordinate).

    Solves (s²/(s²+σ_T²))^((1+λ²)/2) = ddim_mean_gain for λ; λ² = 2 log(gain)/log(s²/(s²+σ_T²)) - 1.
    """
    ts = make_timesteps(schedule.T, S, spacing)
    _, s = _data(0.0, std)
    abT = float(schedule.alphas_cumprod[int(ts[0])])
    gain = ddim_mean_gain(s, schedule, ts, eta)
    base = torch.log(s**2 / (s**2 + (1 - abT) / abT))
    lam2 = 2 * torch.log(gain) / base - 1
    return lam2.clamp(min=0).sqrt()


@torch.no_grad()
def output_law(sampler, denoiser, timesteps, **kwargs):
    """(m, v, gain): the exact law N(m, diag v) of a sampler's x_0 when x_T ~ N(0, I), for a ``GaussianDenoiser``.

    With a linear ε every sampler here is affine in x_T and in its noises: x_0 = A x_T + Σ_i c_i z_i + b. One
    float64 run on S + 2 rows reads b (all zero), A (x_T = 1) and each c_i (z_i = 1), so v = A² + Σ c_i².
    ``sampler`` is a registered name or a function; ``kwargs`` go to it (eta=, lam=). ``gain`` is A.
    """
    from .oracles import GaussianDenoiser
    from ..samplers.registry import get_sampler

    if not isinstance(denoiser, GaussianDenoiser):
        raise TypeError(f"the law is exact for a GaussianDenoiser only, got {type(denoiser).__name__}")
    fn = get_sampler(sampler) if isinstance(sampler, str) else sampler
    ts = validate_timesteps(timesteps, denoiser.schedule.T)
    S, D = len(ts), denoiser.mean.numel()
    x_T = torch.zeros(S + 2, D, dtype=torch.float64)
    x_T[1] = 1.0
    run = dict(kwargs, progress=False)
    if "noise" in inspect.signature(fn).parameters:
        noise = [torch.zeros(S + 2, D, dtype=torch.float64) for _ in range(S)]
        for i in range(S):
            noise[i][2 + i] = 1.0
        run["noise"] = noise
    out = fn(denoiser, x_T, denoiser.schedule, ts, **run).to(torch.float64)
    b = out[0]
    A = out[1] - b
    c = out[2:] - b
    return b, A**2 + (c**2).sum(0), A


def law_errors(denoiser, nfe_list, spacing: str = "trailing", solvers=("euler", "heun", "dpmpp_2m", "euler_maruyama"),
               **kwargs) -> dict:
    """{solver: [(nfe, KL(data ‖ output law))]}: each solver's exact output law against the Gaussian data.

    ``kwargs`` maps a solver to its own keyword arguments, e.g. ``euler_maruyama={"lam": 1.0}``.
    """
    from .gaussian_law import kl_gaussians
    from ..samplers.registry import nfe_for, steps_for_nfe

    out = {}
    for solver in solvers:
        rows = []
        for nfe in nfe_list:
            S = steps_for_nfe(solver, nfe)
            m, v, _ = output_law(solver, denoiser, make_timesteps(denoiser.schedule.T, S, spacing), **kwargs.get(solver, {}))
            rows.append((nfe_for(solver, S), kl_gaussians(denoiser.mean, denoiser.std**2, m, v)))
        out[solver] = rows
    return out
