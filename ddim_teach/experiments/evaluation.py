"""Quality against network calls: the DDIM paper's Tables 1 and 2, measured on this package's models.

Shared by the lecture notebooks and ``benchmarks/``. The paper's CIFAR10 figures are quoted for
comparison (Song, Meng & Ermon 2021, Table 1: FID; Table 2: reconstruction MSE per dimension).
"""
from __future__ import annotations

import unicodedata

import torch

from .records import get_denoiser, run_batch
from ..core.step import SIGMA_HAT
from ..samplers.loop import invert_ddim, sample_ddim
from ..core.timesteps import make_timesteps

__all__ = ["PAPER_TABLE1_CIFAR10", "PAPER_TABLE2_CIFAR10", "sample", "quality", "quality_floor",
           "quality_table", "format_quality_table", "reconstruction_errors", "slerp"]

# DDIM paper, Table 1, CIFAR10 FID for S = 10, 20, 50, 100, 1000 (the rows for η = 0, 0.2, 0.5, 1 and σ̂)
PAPER_TABLE1_CIFAR10 = {
    "S": (10, 20, 50, 100, 1000),
    0.0: (13.36, 6.84, 4.67, 4.16, 4.04),
    0.2: (14.04, 7.11, 4.77, 4.25, 4.09),
    0.5: (16.66, 8.35, 5.25, 4.46, 4.29),
    1.0: (41.07, 18.36, 8.01, 5.78, 4.73),
    SIGMA_HAT: (367.43, 133.37, 32.72, 9.99, 3.17),
}
# DDIM paper, Table 2, CIFAR10 reconstruction error (per-dimension MSE) of x_0 -> x_T -> x_0
PAPER_TABLE2_CIFAR10 = {"S": (10, 20, 50, 100, 200, 500, 1000),
                        "mse": (0.014, 0.0065, 0.0023, 0.0009, 0.0004, 0.0001, 0.0001)}


def sample(name: str, S: int, eta=0.0, spacing: str = "leading", n: int = 500, seed: int = 0,
           sampler: str = "ddim", batch: int = 500) -> torch.Tensor:
    """n samples from a named denoiser, in batches of at most ``batch``; batch k is run (seed, k) of
    ``experiments.run_batch``, so batches are independent and the first equals ``run_sampler``'s samples."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ValueError(f"batch must be a positive int, got {batch!r}")
    ts = make_timesteps(get_denoiser(name).T, S, spacing)
    return torch.cat([run_batch(name, ts, sampler=sampler, eta=eta, seed=seed, batch=k, n=min(batch, n - b0))
                      for k, b0 in enumerate(range(0, n, batch))])


def quality(name: str, x: torch.Tensor) -> float:
    """The headline score of samples, chosen by the denoiser's record (lower is better)."""
    return get_denoiser(name).score(x)


def quality_floor(name: str, n: int = 500) -> float:
    """The same score between real data and held-out real data: the best a sampler can show."""
    return get_denoiser(name).floor(n)


def quality_table(name: str, S_list=(10, 20, 50, 100, 1000), etas=(0.0, 0.2, 0.5, 1.0, SIGMA_HAT), n: int = 500,
                  spacing: str = "leading", seed: int = 0) -> dict:
    """{eta: [score at each S]}: the analogue of the paper's Table 1 (lower is better)."""
    return {eta: [quality(name, sample(name, S, eta, spacing, n, seed)) for S in S_list] for eta in etas}


def _width(s: str) -> int:
    return sum(not unicodedata.combining(c) for c in s)  # σ̂ is two code points, one column


def _cell(s: str, width: int, left: bool = False) -> str:
    pad = " " * max(width - _width(s), 0)
    return s + pad if left else pad + s


def format_quality_table(table: dict, S_list, *, scale: float = 1.0, paper: dict | None = PAPER_TABLE1_CIFAR10,
                         digits: int = 2) -> str:
    """A fixed-width text table of ``quality_table``'s result: one row per η (σ̂ aligned), one column per S,
    and the paper's CIFAR10 FIDs at the same S where ``paper`` has the row."""
    rows = [["η", *[f"S={S}" for S in S_list]]]
    for eta, row in table.items():
        rows.append(["σ̂" if eta == SIGMA_HAT else f"{eta:g}", *[f"{scale * v:.{digits}f}" for v in row]])
    widths = [max(_width(r[j]) for r in rows) for j in range(len(rows[0]))]
    lines = [" ".join(_cell(c, w, left=(j == 0)) for j, (c, w) in enumerate(zip(r, widths))) for r in rows]
    if paper is not None:
        lines[0] += " | CIFAR10 FID (paper)"
        for line_no, eta in enumerate(table, start=1):
            ref = paper.get(eta)
            lines[line_no] += " | " + ("  ".join(f"{v:g}" for S, v in zip(paper["S"], ref) if S in S_list)
                                       if ref else "—")
    return "\n".join(lines)


def reconstruction_errors(name: str, S_list=(10, 20, 50, 100, 200, 500, 1000), n: int = 200, seed: int = 0) -> list:
    """Per-dimension MSE of x_0 -> invert_ddim -> x_T -> sample_ddim (η = 0) -> x̂_0, for each S (Table 2)."""
    d = get_denoiser(name)
    if name.startswith("exact:") and name != "exact:digits":
        x0 = d.model.sample(n, generator=torch.Generator().manual_seed(seed))
    else:
        x0 = d.reference[:n]  # held-out data
    errs = []
    for S in S_list:
        ts = make_timesteps(d.T, S, "leading")
        xT = invert_ddim(d.model, x0, d.schedule, ts, progress=False)
        errs.append(float(((sample_ddim(d.model, xT, d.schedule, ts, progress=False) - x0) ** 2).mean()))
    return errs


def slerp(z0: torch.Tensor, z1: torch.Tensor, alpha: float) -> torch.Tensor:
    """Spherical interpolation between two x_T (the paper's Sec. 5.3; per sample, over all dimensions)."""
    a, b = z0.flatten(1), z1.flatten(1)
    cos = (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
    theta = torch.arccos(cos.clamp(-1, 1))[:, None]
    out = (torch.sin((1 - alpha) * theta) * a + torch.sin(alpha * theta) * b) / torch.sin(theta)
    return out.reshape(z0.shape)
