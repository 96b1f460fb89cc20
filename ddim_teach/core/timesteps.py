"""The τ sub-sequence: which S of the T training timesteps a sampler visits.

Spacings (all return a strictly descending int64 tensor of S distinct values in [0, T-1]):

    leading   diffusers' ``DDIMScheduler.set_timesteps``: (arange(S) · (T // S))[::-1] + steps_offset
    trailing  diffusers: round(arange(T, 0, -T/S)) - 1                (Lin et al. 2023, Table 2)
    linspace  diffusers: round(linspace(0, T-1, S))[::-1]
    uniform   the official DDIM code: range(0, T, T // S)
    quad      the official DDIM code: int(linspace(0, sqrt(0.8 T), S)²)
    a list    your own τ, validated

Repairs (each documented where it is made, each tested over every S in 1..T):
  * trailing: numpy's float ``arange`` yields S+1 values ending in -1 for some S (62 values of S at
    T = 1000, e.g. S = 61). We keep the first S values, which are diffusers' own values otherwise.
  * uniform: ``range(0, T, T // S)`` has more than S entries when S does not divide T (31 at S = 30).
    We keep the first S.
  * quad: ``int()`` of the squared grid repeats small values (0 twice at S = 50). We push repeats up by
    one, and where that would pass T-1, down from the top; the grid is unchanged where it had no repeats.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

__all__ = ["make_timesteps", "SPACINGS", "validate_timesteps", "timestep_pairs"]

SPACINGS = ("leading", "trailing", "linspace", "uniform", "quad")


def _strictly_increasing_within(seq: np.ndarray, T: int) -> np.ndarray:
    seq = seq.astype(np.int64).copy()
    for i in range(1, len(seq)):  # push repeats up
        seq[i] = max(seq[i], seq[i - 1] + 1)
    seq[-1] = min(seq[-1], T - 1)
    for i in range(len(seq) - 2, -1, -1):  # and, if that overflowed T-1, down from the top
        seq[i] = min(seq[i], seq[i + 1] - 1)
    return seq


def validate_timesteps(timesteps, T: int) -> torch.Tensor:
    """Check a τ given by the user: a 1-D sequence of integers, non-empty, strictly descending, in [0, T-1]."""
    hint = "pass a 1-D sequence of integer timesteps, e.g. make_timesteps(1000, 50)"
    if isinstance(timesteps, (bool, int, np.integer)):
        raise TypeError(f"timesteps must be a sequence of timesteps, got the number {timesteps!r}; {hint}")
    if isinstance(timesteps, torch.Tensor):
        if timesteps.dtype == torch.bool or timesteps.dtype.is_floating_point or timesteps.dtype.is_complex:
            raise TypeError(f"timesteps must be integers, got a tensor of dtype {timesteps.dtype}; {hint}")
        if timesteps.ndim != 1:
            raise ValueError(f"timesteps must be 1-D, got a tensor of shape {tuple(timesteps.shape)}; {hint}")
        ts = timesteps.detach().to("cpu", torch.int64)
    else:
        try:
            arr = np.asarray(list(timesteps))
        except TypeError:
            raise TypeError(f"timesteps must be a sequence of integers, got {type(timesteps).__name__}; {hint}") from None
        if arr.ndim > 1:
            raise ValueError(f"timesteps must be 1-D, got an array of shape {arr.shape}; {hint}")
        if arr.size and (arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer)):
            raise TypeError(f"timesteps must be integers, got {arr.dtype}; {hint}")
        ts = torch.as_tensor(arr.astype(np.int64))
    if ts.numel() == 0:
        raise ValueError("timesteps must not be empty")
    if ts.numel() > 1 and not bool((ts[:-1] > ts[1:]).all()):
        raise ValueError(f"timesteps must be strictly descending, got {ts.tolist()[:12]}{'...' if ts.numel() > 12 else ''}")
    if int(ts.min()) < 0 or int(ts.max()) > T - 1:
        raise ValueError(f"timesteps must lie in [0, {T - 1}], got values in [{int(ts.min())}, {int(ts.max())}]")
    return ts


def timestep_pairs(timesteps) -> list[tuple[int, int]]:
    """The steps a sampler takes: [(τ_S, τ_{S-1}), ..., (τ_1, -1)] for a descending τ (index -1 is x_0).

    Every loop of the package walks these explicit pairs; none computes the next timestep as t - T // S,
    which is wrong for every spacing but 'leading'.
    """
    ts = [int(t) for t in timesteps]
    return list(zip(ts, ts[1:] + [-1]))


def make_timesteps(T: int, S: int | None = None, spacing: str | Sequence[int] = "leading", steps_offset: int = 0) -> torch.Tensor:
    """The descending τ array of S timesteps out of T. ``spacing`` is a name from SPACINGS or a list."""
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a positive int, got {T!r}")
    T = int(T)
    if not isinstance(spacing, str):
        ts = validate_timesteps(spacing, T)
        if S is not None and S != ts.numel():
            raise ValueError(f"S={S} but the custom timesteps have {ts.numel()} entries")
        return ts
    if spacing not in SPACINGS:
        raise ValueError(f"unknown spacing {spacing!r}; choose one of {', '.join(SPACINGS)} or pass a list")
    if isinstance(S, bool) or not isinstance(S, (int, np.integer)):
        raise TypeError(f"S (the number of sampling steps) must be an int, got {S!r}")
    S = int(S)
    if not 1 <= S <= T:
        raise ValueError(f"S (the number of sampling steps) must be in [1, T={T}], got {S}")
    if isinstance(steps_offset, bool) or not isinstance(steps_offset, (int, np.integer)):
        raise TypeError(f"steps_offset must be an int (diffusers uses 0 or 1), got {type(steps_offset).__name__} "
                        f"{steps_offset!r}")
    if steps_offset and spacing != "leading":
        raise ValueError(f"steps_offset applies only to 'leading' spacing (as in diffusers), got spacing={spacing!r}")

    if spacing == "leading":
        ratio = T // S
        ts = (np.arange(0, S) * ratio).round()[::-1].astype(np.int64) + int(steps_offset)
        if ts[0] > T - 1 or ts[-1] < 0:
            raise ValueError(
                f"steps_offset={steps_offset} moves leading timesteps to [{ts[-1]}, {ts[0]}], outside [0, {T - 1}]"
            )
    elif spacing == "trailing":
        ts = np.round(np.arange(T, 0, -T / S)).astype(np.int64) - 1
        ts = ts[:S]  # repair: float arange can overshoot to S+1 values ending in -1
    elif spacing == "linspace":
        ts = np.linspace(0, T - 1, S).round()[::-1].astype(np.int64)
    elif spacing == "uniform":
        skip = T // S
        ts = np.arange(0, T, skip)[:S][::-1]  # repair: range(0, T, skip) can hold more than S values
    else:  # quad
        seq = np.array([int(s) for s in np.linspace(0, np.sqrt(T * 0.8), S) ** 2])
        ts = _strictly_increasing_within(seq, T)[::-1]  # repair: remove repeats
    return torch.tensor(ts.tolist(), dtype=torch.int64)
