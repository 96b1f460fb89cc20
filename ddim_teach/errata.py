"""The study note's notation slips, taken literally, so that a number can show each one.

The note follows the DDIM paper, whose α_t is DDPM's ᾱ_t, but in places it mixes the two notations
(and it says the speed-up is K/N where it is T/N). Read with DDPM's per-step α_t = 1 - β_t, its
formulas go wrong; these functions compute exactly what the literal reading says, next to the right
formula, so the lecture on errata can print the gap. Nothing here is used by the samplers.
"""
from __future__ import annotations

import math

import torch

from .sampling import _prepare
from .schedule import Schedule

__all__ = ["x0_pred_literal_alpha", "sample_ddim_literal_alpha", "speedup"]


def x0_pred_literal_alpha(schedule: Schedule, x_t: torch.Tensor, eps: torch.Tensor, t: int) -> tuple:
    """(literal, correct): x̂₀ = (x_t - sqrt(1-α_t) ε)/sqrt(α_t) read with DDPM's α_t, and with ᾱ_t."""
    a, ab = float(schedule.alphas[t]), float(schedule.alphas_cumprod[t])
    literal = (x_t - math.sqrt(1 - a) * eps) / math.sqrt(a)
    correct = (x_t - math.sqrt(1 - ab) * eps) / math.sqrt(ab)
    return literal, correct


@torch.no_grad()
def sample_ddim_literal_alpha(model, x_T: torch.Tensor, schedule: Schedule, timesteps) -> torch.Tensor:
    """The note's deterministic update x_{t-1} = sqrt(α_{t-1}) x̂₀ + sqrt(1-α_{t-1}) ε with DDPM's per-step α
    (in both x̂₀ and the update), instead of ᾱ. It shows what the slip costs: the samples do not land on the data."""
    ts = _prepare(model, x_T, schedule, timesteps, "epsilon").tolist()
    x = x_T
    for i, t in enumerate(ts):
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        a = float(schedule.alphas[t])
        a_prev = float(schedule.alphas[t_prev]) if t_prev >= 0 else 1.0
        eps = model(x, torch.full((x.shape[0],), t, dtype=torch.int64, device=x.device))
        x0_pred = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)
        x = math.sqrt(a_prev) * x0_pred + math.sqrt(1 - a_prev) * eps
    return x


def speedup(T: int, N: int) -> float:
    """Network calls saved by sampling N of T steps: T/N (the note writes K/N; K is never defined)."""
    if not (isinstance(T, int) and isinstance(N, int)) or not 1 <= N <= T:
        raise ValueError(f"need integers 1 <= N <= T, got T={T!r}, N={N!r}")
    return T / N
