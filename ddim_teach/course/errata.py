"""The study note's notation slips, taken literally, so that a number can show each one.

The note follows the DDIM paper, whose α_t is DDPM's ᾱ_t, but in places it mixes the two notations
(and it says the speed-up is K/N where it is T/N). Read with DDPM's per-step α_t = 1 - β_t, its
formulas go wrong; these functions compute exactly what the literal reading says, next to the right
formula, so the lecture on errata can print the gap. Nothing here is used by the samplers.
"""
from __future__ import annotations

import torch

from ..samplers.loop import _ddim_update, _run_chain
from ..core.step import predict_eps_x0
from ..core.schedule import Schedule

__all__ = ["x0_pred_literal_alpha", "sample_ddim_literal_alpha", "speedup"]


def x0_pred_literal_alpha(schedule: Schedule, x_t: torch.Tensor, eps: torch.Tensor, t: int) -> tuple:
    """(literal, correct): x̂₀ = (x_t - sqrt(1-α_t) ε)/sqrt(α_t) read with DDPM's α_t, and with ᾱ_t."""
    a, ab = float(schedule.alphas[t]), float(schedule.alphas_cumprod[t])
    literal = predict_eps_x0(eps, x_t, a)[1]  # Eq. 9 with the slip: α_t where ᾱ_t belongs
    correct = predict_eps_x0(eps, x_t, ab)[1]
    return literal, correct


@torch.no_grad()
def sample_ddim_literal_alpha(model, x_T: torch.Tensor, schedule: Schedule, timesteps) -> torch.Tensor:
    """The note's deterministic update x_{t-1} = sqrt(α_{t-1}) x̂₀ + sqrt(1-α_{t-1}) ε with DDPM's per-step α
    (in both x̂₀ and the update), instead of ᾱ. It shows what the slip costs: the samples do not land on the data.

    It is the package's own DDIM loop and step (``ddim_step`` at η = 0); the one change is the table the loop
    reads "ᾱ" from: ``schedule.alphas`` (α_t = 1 - β_t) in place of ``schedule.alphas_cumprod``.
    """
    literal_table = schedule.alphas.tolist()  # the slip: α_t read as DDPM's per-step α, not ᾱ
    return _run_chain(model, x_T, schedule, timesteps, _ddim_update(0.0), table=literal_table,
                      prediction_type="epsilon", progress=False, desc="DDIM, literal α")


def speedup(T: int, N: int) -> float:
    """Network calls saved by sampling N of T steps: T/N (the note writes K/N; K is never defined)."""
    if not (isinstance(T, int) and isinstance(N, int)) or not 1 <= N <= T:
        raise ValueError(f"need integers 1 <= N <= T, got T={T!r}, N={N!r}")
    return T / N
