"""Named denoisers and sampler runs, shared by the widgets, the notebooks and the benchmarks.

``get_denoiser(name)`` gives ``(model, schedule, reference_data)`` for a shipped network ('digits',
'moons', 'swiss_roll', 'ring8', 'checkerboard') or an exact denoiser ('exact:ring8', 'exact:gaussian',
'exact:digits', the last one memorising the digits train split). ``run_sampler`` runs DDIM (or DDPM)
and keeps the whole trajectory.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import torch

from .data import POINT_SETS, load_dataset
from .oracles import EmpiricalDenoiser, GaussianDenoiser, ring_of_gaussians
from .pretrained import load_pretrained
from .sampling import TrajectoryRecorder, sample_ddim, sample_ddpm
from .schedule import make_schedule
from .timesteps import make_timesteps

__all__ = ["DENOISERS", "get_denoiser", "SamplerRun", "run_sampler", "is_image_model", "x_T_for"]

DENOISERS = ("digits",) + POINT_SETS + ("exact:ring8", "exact:gaussian", "exact:digits")


@lru_cache(maxsize=None)
def get_denoiser(name: str):
    """(model, schedule, reference data from the held-out split) for a name in DENOISERS."""
    if name not in DENOISERS:
        raise ValueError(f"unknown denoiser {name!r}; choose one of {', '.join(DENOISERS)}")
    if name.startswith("exact:"):
        schedule = make_schedule("linear", T=1000)
        kind = name.split(":", 1)[1]
        # the exact distributions can be sampled freely: a large reference keeps the metric's own noise small
        if kind == "ring8":
            model = ring_of_gaussians(schedule)
            ref = model.sample(20000, generator=torch.Generator().manual_seed(0))
        elif kind == "gaussian":
            model = GaussianDenoiser(schedule, mean=torch.tensor([0.5, -0.5]), std=torch.tensor([1.0, 0.3]), sample_shape=(2,))
            ref = model.sample(20000, generator=torch.Generator().manual_seed(0))
        else:
            model = EmpiricalDenoiser(schedule, load_dataset("digits", "train").x)
            ref = load_dataset("digits", "train").x
        return model, schedule, ref
    model, schedule = load_pretrained(name)
    return model, schedule, load_dataset(name, "test").x


def is_image_model(name: str) -> bool:
    return len(get_denoiser(name)[0].sample_shape) == 3


def x_T_for(name: str, n: int, seed: int) -> torch.Tensor:
    """The starting noise x_T ~ N(0, I) for a model, reproducible from ``seed``."""
    shape = get_denoiser(name)[0].sample_shape
    return torch.randn((n, *shape), generator=torch.Generator().manual_seed(seed))


@dataclass
class SamplerRun:
    name: str
    S: int
    eta: float | str
    spacing: str
    seed: int
    timesteps: list  # the visited τ, descending
    xs: torch.Tensor  # (S+1, n, ...) from x_T to x_0
    x0_preds: torch.Tensor  # (S, n, ...)
    steps: list  # the sampler's per-step dicts (t, t_prev, alpha_bar, alpha_bar_prev, sigma, ...)

    @property
    def samples(self) -> torch.Tensor:
        return self.xs[-1]


def run_sampler(name: str, S: int = 50, eta=0.0, spacing: str = "leading", seed: int = 0, n: int = 16,
                sampler: str = "ddim", x_T: torch.Tensor | None = None) -> SamplerRun:
    """Sample ``n`` points or images with S steps from x_T (drawn from ``seed`` unless given); keep the trajectory."""
    model, schedule, _ = get_denoiser(name)
    ts = make_timesteps(schedule.T, S, spacing)
    x_T = x_T_for(name, n, seed) if x_T is None else x_T
    rec = TrajectoryRecorder()
    g = torch.Generator().manual_seed(seed + 1)
    if sampler == "ddim":
        sample_ddim(model, x_T, schedule, ts, eta=eta, generator=g, callback=rec, progress=False)
    elif sampler == "ddpm":
        sample_ddpm(model, x_T, schedule, ts, generator=g, callback=rec, progress=False)
    else:
        raise ValueError(f"sampler must be 'ddim' or 'ddpm', got {sampler!r}")
    return SamplerRun(name, S, eta, spacing, seed, ts.tolist(), rec.xs, rec.x0_preds, rec.steps)
