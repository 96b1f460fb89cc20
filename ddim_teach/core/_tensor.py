"""Small tensor helpers shared by every module: broadcasting tables to any rank, input checks.

The broadcasting helper follows improved-diffusion's ``_extract_into_tensor``: a float64 table of
length T is indexed at t and reshaped to ``[batch_size, 1, ...]`` so it multiplies points (B, 2) and
images (B, C, H, W) alike.
"""
from __future__ import annotations

import numpy as np
import torch

__all__ = ["extract", "as_timestep_tensor", "check_finite"]


def as_timestep_tensor(t, batch_size: int, T: int, device=None) -> torch.Tensor:
    """Turn an int or a tensor of timesteps into an int64 tensor of shape (B,), checking its range."""
    if isinstance(t, torch.Tensor):
        if t.dtype.is_floating_point or t.dtype == torch.bool:
            raise TypeError(f"timesteps must be integers, got a tensor of dtype {t.dtype}")
        t = t.to(device=device, dtype=torch.int64)
        if t.ndim == 0:
            t = t.expand(batch_size)
        elif t.ndim != 1 or t.shape[0] != batch_size:
            raise ValueError(
                f"x and t on mismatched shapes: t has shape {tuple(t.shape)}, "
                f"expected () or ({batch_size},) for a batch of {batch_size}"
            )
    else:
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)):
            raise TypeError(f"t must be an int or an int64 tensor, got {type(t).__name__}")
        t = torch.full((batch_size,), int(t), dtype=torch.int64, device=device)
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= T):
        raise ValueError(f"timesteps must lie in [0, {T - 1}], got values in [{int(t.min())}, {int(t.max())}]")
    return t


def extract(table: torch.Tensor, t, x: torch.Tensor, dtype: torch.dtype | None = None) -> torch.Tensor:
    """Gather ``table[t]`` and reshape it to [batch_size, 1, ...] so that it broadcasts against ``x``.

    ``t`` is an int or an int64 tensor of shape (B,) or (); the result is on x's device, in ``dtype``
    (default: x's dtype). Pass ``dtype=torch.float64`` to combine coefficients before casting.
    """
    if x.ndim == 0:
        raise ValueError("x must have a batch dimension, got a 0-d tensor")
    idx = as_timestep_tensor(t, x.shape[0], table.shape[0], device=table.device)
    out = table[idx].to(device=x.device, dtype=dtype or x.dtype)
    return out.reshape(x.shape[0], *([1] * (x.ndim - 1)))


def check_finite(x: torch.Tensor, name: str) -> None:
    """Raise a clear error for NaN or inf input instead of letting it flow through a sampler."""
    if not torch.isfinite(x).all():
        n_bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} contains {n_bad} non-finite value(s) (NaN or inf)")
