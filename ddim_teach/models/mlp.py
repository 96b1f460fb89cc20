"""An MLP denoiser for 2-D point clouds: [x, sinusoidal(t)] -> SiLU MLP with residual blocks -> ε̂."""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .unet import timestep_embedding

__all__ = ["MLPDenoiser"]


class MLPDenoiser(nn.Module):
    def __init__(self, dim: int = 2, hidden: int = 128, n_blocks: int = 3, time_dim: int = 32,
                 prediction_type: str = "epsilon"):
        super().__init__()
        self.sample_shape = (dim,)
        self.prediction_type = prediction_type
        self.config = {"class": "MLPDenoiser", "dim": dim, "hidden": hidden, "n_blocks": n_blocks,
                       "time_dim": time_dim, "prediction_type": prediction_type}
        self.time_dim = time_dim
        self.inp = nn.Linear(dim + time_dim, hidden)
        self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.SiLU(),
                                                   nn.Linear(hidden, hidden)) for _ in range(n_blocks)])
        self.out = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.sample_shape[0]:
            raise ValueError(f"MLPDenoiser expects (B, {self.sample_shape[0]}), got {tuple(x.shape)}")
        if t.shape != (x.shape[0],):
            raise ValueError(f"x and t on mismatched shapes: t is {tuple(t.shape)}, expected ({x.shape[0]},)")
        h = self.inp(torch.cat([x, timestep_embedding(t, self.time_dim, dtype=x.dtype)], dim=1))
        for blk in self.blocks:
            h = h + blk(h)
        return self.out(F.silu(h))
