"""Quality against network calls: the DDIM paper's Tables 1 and 2, measured on this package's models.

Shared by the lecture notebooks and ``benchmarks/``. The paper's CIFAR10 figures are quoted for
comparison (Song, Meng & Ermon 2021, Table 1: FID; Table 2: reconstruction MSE per dimension).
"""
from __future__ import annotations

import torch

from .experiments import get_denoiser, x_T_for
from .metrics import digit_scores, sliced_wasserstein
from .sampling import invert_ddim, sample_ddim, sample_ddpm
from .timesteps import make_timesteps

__all__ = ["PAPER_TABLE1_CIFAR10", "PAPER_TABLE2_CIFAR10", "sample", "quality", "quality_floor",
           "quality_table", "reconstruction_errors", "slerp"]

# DDIM paper, Table 1, CIFAR10 FID for S = 10, 20, 50, 100, 1000 (the rows for η = 0, 1 and σ̂)
PAPER_TABLE1_CIFAR10 = {
    "S": (10, 20, 50, 100, 1000),
    0.0: (13.36, 6.84, 4.67, 4.16, 4.04),
    1.0: (41.07, 18.36, 8.01, 5.78, 4.73),
    "sigma_hat": (367.43, 133.37, 32.72, 9.99, 3.17),
}
# DDIM paper, Table 2, CIFAR10 reconstruction error (per-dimension MSE) of x_0 -> x_T -> x_0
PAPER_TABLE2_CIFAR10 = {"S": (10, 20, 50, 100, 200, 500, 1000),
                        "mse": (0.014, 0.0065, 0.0023, 0.0009, 0.0004, 0.0001, 0.0001)}


def sample(name: str, S: int, eta=0.0, spacing: str = "leading", n: int = 500, seed: int = 0,
           sampler: str = "ddim", batch: int = 500) -> torch.Tensor:
    """n samples from a named denoiser, in batches, with the progress bar off."""
    model, schedule, _ = get_denoiser(name)
    ts = make_timesteps(schedule.T, S, spacing)
    out = []
    for k, b0 in enumerate(range(0, n, batch)):
        x_T = x_T_for(name, min(batch, n - b0), seed * 1000 + k)
        g = torch.Generator().manual_seed(seed * 1000 + k + 1)
        if sampler == "ddpm":
            out.append(sample_ddpm(model, x_T, schedule, ts, generator=g, progress=False))
        else:
            out.append(sample_ddim(model, x_T, schedule, ts, eta=eta, generator=g, progress=False))
    return torch.cat(out)


def quality(name: str, x: torch.Tensor) -> float:
    """The headline score for samples of a model: Fréchet distance for digits, sliced Wasserstein for 2-D."""
    if name in ("digits", "exact:digits"):
        return digit_scores(x)["fd"]
    return sliced_wasserstein(x, get_denoiser(name)[2])


def quality_floor(name: str, n: int = 500) -> float:
    """The same score between real data and held-out real data: the best a sampler can show."""
    from .data import load_dataset

    if name in ("digits", "exact:digits"):
        return digit_scores(load_dataset("digits", "train").x[:n])["fd"]
    model, _, ref = get_denoiser(name)
    if name.startswith("exact:"):
        real = model.sample(n, generator=torch.Generator().manual_seed(123))
    else:
        real = load_dataset(name, "train").x[:n]
    return sliced_wasserstein(real, ref)


def quality_table(name: str, S_list=(10, 20, 50, 100, 1000), etas=(0.0, 0.2, 0.5, 1.0, "sigma_hat"), n: int = 500,
                  spacing: str = "leading", seed: int = 0) -> dict:
    """{eta: [score at each S]}: the analogue of the paper's Table 1 (lower is better)."""
    return {eta: [quality(name, sample(name, S, eta, spacing, n, seed)) for S in S_list] for eta in etas}


def reconstruction_errors(name: str, S_list=(10, 20, 50, 100, 200, 500, 1000), n: int = 200, seed: int = 0) -> list:
    """Per-dimension MSE of x_0 -> invert_ddim -> x_T -> sample_ddim (η = 0) -> x̂_0, for each S (Table 2)."""
    from .data import load_dataset

    model, schedule, _ = get_denoiser(name)
    if name.startswith("exact:") and name != "exact:digits":
        x0 = model.sample(n, generator=torch.Generator().manual_seed(seed))
    else:
        x0 = load_dataset(name.removeprefix("exact:"), "test").x[:n]
    errs = []
    for S in S_list:
        ts = make_timesteps(schedule.T, S, "leading")
        xT = invert_ddim(model, x0, schedule, ts, progress=False)
        errs.append(float(((sample_ddim(model, xT, schedule, ts, progress=False) - x0) ** 2).mean()))
    return errs


def slerp(z0: torch.Tensor, z1: torch.Tensor, alpha: float) -> torch.Tensor:
    """Spherical interpolation between two x_T (the paper's Sec. 5.4; per sample, over all dimensions)."""
    a, b = z0.flatten(1), z1.flatten(1)
    cos = (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
    theta = torch.arccos(cos.clamp(-1, 1))[:, None]
    out = (torch.sin((1 - alpha) * theta) * a + torch.sin(alpha * theta) * b) / torch.sin(theta)
    return out.reshape(z0.shape)
