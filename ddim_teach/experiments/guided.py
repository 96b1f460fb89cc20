"""Measuring guided samples of the conditional mnist5k U-Net: class agreement, confidence, diversity.

The judge is independent of every network of the package: scikit-learn's logistic regression fitted on
the real mnist5k train split (pixels in [-1, 1]). Its held-out accuracy and confidence on real digits are the
reference the samples are read against.

    judge = mnist_judge()                  # fitted once per process
    x = guided_samples(model, schedule, labels, guidance_scale=3.0, S=50)
    agreement(judge, x, labels), mean_confidence(judge, x), diversity(x, labels)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from ..data import load_dataset
from ..core.timesteps import make_timesteps
from ..samplers.guidance import classifier_free_guidance
from ..samplers.registry import call_sampler

__all__ = ["mnist_judge", "judge_probs", "agreement", "per_class_agreement", "mean_confidence", "diversity",
           "guided_samples", "real_reference"]


@lru_cache(maxsize=1)
def mnist_judge():
    """Logistic regression on the real mnist5k train split (4,000 digits), a classifier no sampler shares."""
    from sklearn.linear_model import LogisticRegression

    tr = load_dataset("mnist5k", "train")
    return LogisticRegression(max_iter=300, C=0.05).fit(tr.x.reshape(len(tr), -1).numpy(), tr.y.numpy())


def judge_probs(judge, x: torch.Tensor) -> np.ndarray:
    """Class probabilities (N, 10) of images x (N, 1, 28, 28) in [-1, 1] (clamped first, as a saved image is)."""
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
        raise ValueError(f"expected images of shape (N, 1, 28, 28), got {tuple(getattr(x, 'shape', ()))}")
    return judge.predict_proba(x.detach().cpu().float().clamp(-1, 1).reshape(x.shape[0], -1).numpy())


def agreement(judge, x: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of images whose judged class is the requested one."""
    return float((judge_probs(judge, x).argmax(1) == labels.cpu().numpy()).mean())


def per_class_agreement(judge, x: torch.Tensor, labels: torch.Tensor) -> dict[int, float]:
    pred, lab = judge_probs(judge, x).argmax(1), labels.cpu().numpy()
    return {int(c): float((pred[lab == c] == c).mean()) for c in np.unique(lab)}


def mean_confidence(judge, x: torch.Tensor) -> float:
    """Mean top-class probability (how clearly each image is some digit)."""
    return float(judge_probs(judge, x).max(1).mean())


def diversity(x: torch.Tensor, labels: torch.Tensor) -> float:
    """Mean pairwise L2 distance between images of the same class, averaged over the classes present."""
    flat = x.detach().cpu().double().clamp(-1, 1).reshape(x.shape[0], -1)
    out = []
    for c in labels.unique():
        g = flat[labels.cpu() == c]
        if g.shape[0] < 2:
            continue
        d = torch.cdist(g, g)
        n = g.shape[0]
        out.append(float(d.sum() / (n * (n - 1))))
    if not out:
        raise ValueError("diversity needs at least two images of one class")
    return float(np.mean(out))


def real_reference(n_per_class: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Real held-out digits (the test split), optionally the first ``n_per_class`` of each class."""
    te = load_dataset("mnist5k", "test")
    if n_per_class is None:
        return te.x, te.y
    idx = torch.cat([torch.nonzero(te.y == c).flatten()[:n_per_class] for c in range(10)])
    return te.x[idx], te.y[idx]


@torch.no_grad()
def guided_samples(model, schedule, labels: torch.Tensor, guidance_scale: float, S: int = 50, eta: float = 0.0,
                   seed: int = 0, sampler: str = "ddim", spacing: str = "trailing", x_T: torch.Tensor | None = None):
    """Samples for each label with classifier-free guidance at ``guidance_scale`` (S steps, fixed seed)."""
    if x_T is None:
        x_T = torch.randn(labels.shape[0], *model.sample_shape, generator=torch.Generator().manual_seed(seed))
    guided = classifier_free_guidance(model, labels, guidance_scale)
    ts = make_timesteps(schedule.T, S, spacing)
    return call_sampler(sampler, guided, x_T, schedule, ts, eta=eta,
                        generator=torch.Generator().manual_seed(seed + 1) if eta else None)
