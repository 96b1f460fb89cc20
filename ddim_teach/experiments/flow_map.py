"""Measurements of the ODE solvers against exact references: lecture 10 and ``benchmarks/solvers.py`` read them.

- ``gaussian_flow_map``: the exact probability-flow map of Gaussian data (closed form, affine per dimension),
  and ``flow_map_error``/``flow_map_errors``: a solver's distance to it at each budget of network calls;
- ``mixture_log_density`` and ``eps_from_score``: the score of a Gaussian mixture by autograd (Tweedie);
- ``fitted_order``: the observed order of convergence; ``quality_per_nfe``: a named denoiser's metric per
  budget with the one Student-t interval of the package (``tables.mean_ci``).

The solvers themselves live in :mod:`ddim_teach.samplers.ode`; this module only measures them.
"""
from __future__ import annotations

import math

import torch

from ..core.step import alpha_bar_at, ode_sigma
from ..core.timesteps import make_timesteps, validate_timesteps
from ..samplers.ode import get_solver
from ..samplers.registry import nfe_for, ode_solvers, steps_for_nfe
from . import tables as ev
from .oracles import GaussianDenoiser, GaussianMixtureDenoiser
from .tables import mean_ci

__all__ = ["gaussian_flow_map", "flow_map_error", "flow_map_errors", "mixture_log_density", "eps_from_score",
           "fitted_order", "quality_per_nfe"]


# ---- the exact reference ---------------------------------------------------------------------------------
def gaussian_flow_map(denoiser, x_t: torch.Tensor, t: int, t_to: int = -1) -> torch.Tensor:
    """The exact probability-flow map of Gaussian data from level t to level t_to (0-based; -1 is x_0).

    ``denoiser`` is a ``GaussianDenoiser`` (data N(μ, diag(s²)), with its schedule). Per dimension the exact
    ε is ε = σ (x̄ - μ)/(s² + σ²), so dx̄/dσ = ε solves to x̄(σ) - μ ∝ sqrt(s² + σ²): the map is affine and
    monotone, x̄_to = μ + (x̄_t - μ) sqrt(s² + σ_to²)/sqrt(s² + σ_t²). No solver can do better than this.
    """
    if not isinstance(denoiser, GaussianDenoiser):
        raise TypeError(f"the exact flow map is closed-form for a GaussianDenoiser only, got {type(denoiser).__name__}")
    T = denoiser.schedule.T
    for name, v in (("t", t), ("t_to", t_to)):
        if isinstance(v, bool) or not isinstance(v, int) or not -1 <= v <= T - 1:
            raise ValueError(f"{name} must be an int in [-1, {T - 1}] (-1 is the clean data), got {v!r}")
    if t_to > t:
        raise ValueError(f"the map runs towards the data: t_to={t_to} must not exceed t={t}")
    a_t, a_to = alpha_bar_at(denoiser.schedule, t), alpha_bar_at(denoiser.schedule, t_to)
    if a_t == 0.0:
        raise ValueError("alpha_bar = 0 at t (zero terminal SNR): σ = ∞ and the map is undefined there")
    s_t2, s_to2 = ode_sigma(a_t) ** 2, ode_sigma(a_to) ** 2
    mu, var = denoiser.mean.to(x_t.device), denoiser.std.to(x_t.device) ** 2
    x_bar = x_t.to(torch.float64) / math.sqrt(a_t)
    x_bar_to = mu + (x_bar - mu) * torch.sqrt((var + s_to2) / (var + s_t2))
    return (x_bar_to * math.sqrt(a_to)).to(x_t.dtype)


def flow_map_error(solver: str, denoiser, x_T: torch.Tensor, timesteps) -> dict:
    """Run ``solver`` with the exact Gaussian ε and compare with ``gaussian_flow_map`` from τ_0.

    Returns {"rmse": root mean square error per coordinate, "max": max |error|, "nfe": calls spent}.
    Run it in float64 to see the solver's own error down to small sizes.
    """
    ts = validate_timesteps(timesteps, denoiser.schedule.T)
    counter = {"nfe": 0}
    out = get_solver(solver)(denoiser, x_T, denoiser.schedule, ts, progress=False,
                             callback=lambda d: counter.update(nfe=d["nfe"]))
    exact = gaussian_flow_map(denoiser, x_T, int(ts[0]))
    err = (out - exact).to(torch.float64)
    return {"rmse": float(err.pow(2).mean().sqrt()), "max": float(err.abs().max()), "nfe": counter["nfe"]}


# ---- the score connection ---------------------------------------------------------------------------------
def mixture_log_density(denoiser, x_t: torch.Tensor, t: int) -> torch.Tensor:
    """log q_t(x_t) of a ``GaussianMixtureDenoiser``'s data after t+1 forward steps (0-based t), per sample.

    q_t = Σ_k w_k N(sqrt(ᾱ) μ_k, (ᾱ s_k² + 1 - ᾱ) I): each component of the data, pushed through q(x_t|x_0).
    Differentiable in ``x_t``, so autograd gives the score ∇ log q_t.
    """
    if not isinstance(denoiser, GaussianMixtureDenoiser):
        raise TypeError(f"the density is closed-form for a GaussianMixtureDenoiser, got {type(denoiser).__name__}")
    ab = float(denoiser.schedule.alphas_cumprod[t])
    B, D = x_t.shape[0], denoiser.means[0].numel()
    x = x_t.reshape(B, D).to(torch.float64)
    mu = denoiser.means.reshape(-1, D)
    var = ab * denoiser.stds**2 + (1 - ab)  # (K,)
    d2 = ((x[:, None, :] - math.sqrt(ab) * mu[None]) ** 2).sum(-1)  # (B, K)
    logp = denoiser.log_weights - 0.5 * d2 / var - 0.5 * D * torch.log(2 * math.pi * var)
    return torch.logsumexp(logp, dim=1)


def eps_from_score(denoiser, x_t: torch.Tensor, t: int) -> torch.Tensor:
    """ε = -sqrt(1-ᾱ_t) ∇ log q_t(x_t), the score by autograd (Tweedie's formula in ε form)."""
    x = x_t.detach().to(torch.float64).requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(mixture_log_density(denoiser, x, t).sum(), x)
    return -math.sqrt(1 - float(denoiser.schedule.alphas_cumprod[t])) * grad


# ---- measurements shared by lecture 10 and benchmarks/solvers.py -----------------------------------------
def flow_map_errors(denoiser, nfe_list, spacing: str = "trailing", n: int = 1000, seed: int = 0,
                    solvers=None) -> dict:
    """{solver: [(nfe spent, rmse to the exact flow map)]} on a ``GaussianDenoiser`` at each NFE budget, float64."""
    x_T = torch.randn(n, *denoiser.sample_shape, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    out = {}
    for solver in (ode_solvers() if solvers is None else solvers):
        rows = []
        for nfe in nfe_list:
            e = flow_map_error(solver, denoiser, x_T, make_timesteps(denoiser.schedule.T, steps_for_nfe(solver, nfe), spacing))
            rows.append((e["nfe"], e["rmse"]))
        out[solver] = rows
    return out


def fitted_order(rows, last: int = 3) -> float:
    """Least-squares slope of -log(error) against log(NFE) over the ``last`` rows: the observed order."""
    x = torch.tensor([math.log(r[0]) for r in rows[-last:]], dtype=torch.float64)
    y = torch.tensor([math.log(r[1]) for r in rows[-last:]], dtype=torch.float64)
    xc = x - x.mean()
    return float(-(xc * (y - y.mean())).sum() / (xc * xc).sum())


def quality_per_nfe(name: str, nfe_list, seeds, n: int, spacing: str = "trailing",
                    solvers=None) -> dict:
    """{solver: [(nfe spent, mean, half-width)]}: the named denoiser's metric over seeds at each NFE budget."""
    out = {}
    for solver in (ode_solvers() if solvers is None else solvers):
        rows = []
        for nfe in nfe_list:
            S = steps_for_nfe(solver, nfe)
            vals = [ev.quality(name, ev.sample(name, S, 0.0, spacing, n=n, seed=s, sampler=solver)) for s in seeds]
            rows.append((nfe_for(solver, S), *mean_ci(vals)))
        out[solver] = rows
    return out


