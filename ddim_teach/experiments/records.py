"""Named denoisers and sampler runs, shared by the widgets, the notebooks and the benchmarks.

``get_denoiser(name)`` gives a :class:`Denoiser` record (model, schedule, reference data, metric) for a
shipped network ('digits', 'moons', 'swiss_roll', 'ring8', 'checkerboard'), an exact denoiser
('exact:ring8', 'exact:gaussian', 'exact:digits', the last one memorising the digits train split), or
'mnist5k': the 28×28 conditional network asked for its null class, i.e. the unconditional ε_θ(x_t, t)
(``IMAGE28``; StepThrough offers it, the other explorers keep to the fast models of ``DENOISERS``).
``run_batch`` is the one place that picks a sampler (from the registry in ``samplers``) and seeds it
(``seeding``: independent streams for x_T and for the noise); ``run_sampler`` keeps the whole trajectory
and ``tables.sample`` draws many batches, both through it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import torch

from ..data import POINT_SETS, load_dataset
from ..models import FrozenForInference
from .metrics import digit_scores, sliced_wasserstein
from .oracles import EmpiricalDenoiser, GaussianDenoiser, ring_of_gaussians
from ..models.pretrained import load_pretrained
from ..samplers.registry import call_sampler
from ..samplers.loop import TrajectoryRecorder
from ..core.schedule import Schedule, make_schedule
from ..samplers.seeding import make_generators
from ..core.timesteps import make_timesteps

__all__ = ["DENOISERS", "IMAGE28", "Denoiser", "get_denoiser", "SamplerRun", "run_batch", "run_sampler",
           "is_image_model", "x_T_for"]

DENOISERS = ("digits",) + POINT_SETS + ("exact:ring8", "exact:gaussian", "exact:digits")
IMAGE28 = ("mnist5k",)  # 28×28: a run of 16 images at S = 1000 took 23 s on 2 cores (100 MB of trajectory): StepThrough only


def frechet_distance(x: torch.Tensor) -> float:
    """Fréchet distance of digit samples to the held-out split, in the package classifier's features."""
    return digit_scores(x)["fd"]


@dataclass(frozen=True)
class SlicedW1:
    """Sliced Wasserstein-1 distance of 2-D samples to a fixed reference set."""

    reference: torch.Tensor

    def __call__(self, x: torch.Tensor) -> float:
        return sliced_wasserstein(x, self.reference)


@dataclass(frozen=True, eq=False)
class Denoiser:
    """Everything an experiment needs about one denoiser.

    ``model(x, t)`` is the network (or exact oracle) on ``schedule``; ``reference`` is data the model never
    saw, which ``metric(samples) -> float`` (lower is better, named ``metric_name``) compares against;
    ``real(n)`` gives n real samples outside ``reference``, whose score is the floor a sampler can reach.
    The record is cached and shared: treat its model as read-only (``load_pretrained`` gives your own copy).
    """

    name: str
    model: Callable
    schedule: Schedule
    reference: torch.Tensor
    metric: Callable[[torch.Tensor], float]
    metric_name: str
    real: Callable[[int], torch.Tensor]

    @property
    def sample_shape(self) -> tuple:
        return tuple(self.model.sample_shape)

    @property
    def is_image(self) -> bool:
        return len(self.sample_shape) == 3

    @property
    def prediction_type(self) -> str:
        return getattr(self.model, "prediction_type", "epsilon")

    @property
    def T(self) -> int:
        return self.schedule.T

    def x_T(self, n: int, seed: int = 0, batch: int = 0) -> torch.Tensor:
        """The starting noise x_T ~ N(0, I) of run (seed, batch): the x_T stream of ``seeding``."""
        return torch.randn((n, *self.sample_shape), generator=make_generators(seed, batch).x_T)

    def score(self, x: torch.Tensor) -> float:
        return float(self.metric(x))

    def floor(self, n: int = 500) -> float:
        """The metric between real data and the reference: the best a sampler can show with n samples."""
        return self.score(self.real(n))


def _first(data: torch.Tensor) -> Callable[[int], torch.Tensor]:
    return lambda n: data[:n]


@lru_cache(maxsize=None)
def get_denoiser(name: str) -> Denoiser:
    """The :class:`Denoiser` record for a name in DENOISERS or IMAGE28 (built once, then cached)."""
    if name not in DENOISERS + IMAGE28:
        raise ValueError(f"unknown denoiser {name!r}; choose one of {', '.join(DENOISERS + IMAGE28)}")
    if name == "mnist5k":
        from ..samplers.guidance import classifier_free_guidance

        net, schedule = load_pretrained("mnist5k_cond")
        model = classifier_free_guidance(net, 0, 0.0)  # s = 0: the null class only (the label 0 is never used)
        ref = load_dataset("mnist5k", "test").x
        train = load_dataset("mnist5k", "train").x
        return Denoiser(name, model, schedule, ref, SlicedW1(ref), "sliced W1", _first(train))
    if name in ("digits", "exact:digits"):
        train = load_dataset("digits", "train").x
        if name == "digits":
            model, schedule = load_pretrained(name)
            model = FrozenForInference(model)  # the explorers' redraws: same numbers, about 25% faster
        else:
            schedule = make_schedule("linear", T=1000)
            model = EmpiricalDenoiser(schedule, train)
        # the Fréchet distance compares with the held-out split inside digit_scores; train data is the floor
        return Denoiser(name, model, schedule, load_dataset("digits", "test").x, frechet_distance,
                        "Fréchet distance", _first(train))
    if name.startswith("exact:"):
        schedule = make_schedule("linear", T=1000)
        if name == "exact:ring8":
            model = ring_of_gaussians(schedule)
        else:
            model = GaussianDenoiser(schedule, mean=torch.tensor([0.5, -0.5]), std=torch.tensor([1.0, 0.3]), sample_shape=(2,))
        # the exact distributions can be sampled freely: a large reference keeps the metric's own noise small
        ref = model.sample(20000, generator=torch.Generator().manual_seed(0))
        real = lambda n: model.sample(n, generator=torch.Generator().manual_seed(123))  # noqa: E731
        return Denoiser(name, model, schedule, ref, SlicedW1(ref), "sliced W1", real)
    model, schedule = load_pretrained(name)
    ref = load_dataset(name, "test").x
    return Denoiser(name, model, schedule, ref, SlicedW1(ref), "sliced W1", _first(load_dataset(name, "train").x))


def is_image_model(name: str) -> bool:
    return get_denoiser(name).is_image


def x_T_for(name: str, n: int, seed: int, batch: int = 0) -> torch.Tensor:
    """The starting noise x_T ~ N(0, I) for a model, reproducible from ``(seed, batch)``."""
    return get_denoiser(name).x_T(n, seed, batch)


def run_batch(name: str, timesteps, *, sampler: str = "ddim", eta=0.0, seed: int = 0, batch: int = 0, n: int = 16,
              x_T: torch.Tensor | None = None, callback=None) -> torch.Tensor:
    """Sample one batch: x_T from the x_T stream of (seed, batch) unless given, the sampler's noise from the
    noise stream, the sampler looked up by name in the registry. The one place that seeds and picks."""
    d = get_denoiser(name)
    streams = make_generators(seed, batch)
    if x_T is None:
        x_T = torch.randn((n, *d.sample_shape), generator=streams.x_T)
    return call_sampler(sampler, d.model, x_T, d.schedule, timesteps, eta=eta, generator=streams.noise,
                        callback=callback, progress=False)


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
    sampler: str = "ddim"

    @property
    def samples(self) -> torch.Tensor:
        return self.xs[-1]


def run_sampler(name: str, S: int = 50, eta=0.0, spacing: str = "leading", seed: int = 0, n: int = 16,
                sampler: str = "ddim", x_T: torch.Tensor | None = None) -> SamplerRun:
    """Sample ``n`` points or images with S steps from x_T (drawn from ``seed`` unless given); keep the trajectory."""
    ts = make_timesteps(get_denoiser(name).T, S, spacing)
    rec = TrajectoryRecorder()
    run_batch(name, ts, sampler=sampler, eta=eta, seed=seed, n=n, x_T=x_T, callback=rec)
    return SamplerRun(name, S, eta, spacing, seed, ts.tolist(), rec.xs, rec.x0_preds, rec.steps, sampler)
