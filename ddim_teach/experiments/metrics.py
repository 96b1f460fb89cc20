"""Sample-quality numbers for the lectures and benchmarks.

2-D:    sliced Wasserstein-1 distance (mean over random directions of the 1-D W1) and RBF-kernel MMD².
Images: Fréchet distance in the features of the shipped digit classifier (FID's formula, Heusel et al. 2017,
        with a small digit network instead of Inception), classifier confidence and class coverage.
Every score has a floor: the same score between the train and held-out splits of real data.
"""
from __future__ import annotations

import numpy as np
import torch

__all__ = ["sliced_wasserstein", "mmd_rbf", "frechet_distance", "digit_scores", "independent_digit_confidence"]


def _as2d(x) -> torch.Tensor:
    x = torch.as_tensor(x).detach().to("cpu", torch.float64)
    return x.reshape(x.shape[0], -1)


def sliced_wasserstein(x, y, n_projections: int = 256, seed: int = 0, n_quantiles: int = 512) -> float:
    """SW1 between two point sets (any sizes): mean over random unit directions of the 1-D W1 distance."""
    x, y = _as2d(x), _as2d(y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"point sets differ in dimension: {x.shape[1]} and {y.shape[1]}")
    for name, v in (("x", x), ("y", y)):
        if not torch.isfinite(v).all():
            raise ValueError(f"{name} contains NaN or inf")
    g = torch.Generator().manual_seed(seed)
    dirs = torch.randn(x.shape[1], n_projections, generator=g, dtype=torch.float64)
    dirs /= dirs.norm(dim=0, keepdim=True)
    q = (torch.arange(n_quantiles, dtype=torch.float64) + 0.5) / n_quantiles
    qx = torch.quantile(x @ dirs, q, dim=0)  # (n_quantiles, n_projections)
    qy = torch.quantile(y @ dirs, q, dim=0)
    return float((qx - qy).abs().mean())


def mmd_rbf(x, y, bandwidths=(0.05, 0.1, 0.2, 0.5, 1.0, 2.0), max_points: int = 4000) -> float:
    """Biased MMD² with a sum of RBF kernels k(a,b) = Σ_h exp(-|a-b|²/(2h²))."""
    x, y = _as2d(x)[:max_points], _as2d(y)[:max_points]

    def k(a, b):
        d2 = torch.cdist(a, b) ** 2
        return sum(torch.exp(-d2 / (2 * h * h)) for h in bandwidths)

    return float(k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean())


def frechet_distance(f1, f2) -> float:
    """|μ1-μ2|² + tr(Σ1 + Σ2 - 2 (Σ1 Σ2)^{1/2}) between Gaussians fitted to two feature sets."""
    f1, f2 = _as2d(f1).numpy(), _as2d(f2).numpy()
    mu1, mu2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.atleast_2d(np.cov(f1, rowvar=False)), np.atleast_2d(np.cov(f2, rowvar=False))
    # tr((Σ1 Σ2)^{1/2}) = tr((Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}): a symmetric PSD matrix, so eigh is stable
    w, v = np.linalg.eigh(s1)
    r1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    tr_covmean = np.sqrt(np.clip(np.linalg.eigvalsh(r1 @ s2 @ r1), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_covmean)


@torch.no_grad()
def digit_scores(samples: torch.Tensor, reference: str = "test") -> dict:
    """Fréchet distance to the real digits of a split, mean top-class probability, classes covered."""
    from ..models.classifier import load_digit_classifier
    from ..data import load_dataset

    clf = load_digit_classifier()
    samples = samples.detach().to("cpu", torch.float32).clamp(-1, 1)
    ref = load_dataset("digits", reference).x
    probs = torch.softmax(clf(samples), dim=1)
    top = probs.max(1)
    counts = torch.bincount(top.indices, minlength=10)
    return {
        "fd": frechet_distance(clf.features(samples), clf.features(ref)),
        "confidence": float(top.values.mean()),
        "coverage": int((counts > 0).sum()),
        "class_counts": counts.tolist(),
    }


def independent_digit_confidence(samples: torch.Tensor) -> tuple[float, int]:
    """Mean top-class probability and classes covered under scikit-learn's logistic regression,
    a classifier independent of the package's own networks, fitted on the real digits train split."""
    from sklearn.linear_model import LogisticRegression

    from ..data import load_dataset

    tr = load_dataset("digits", "train")
    clf = LogisticRegression(max_iter=3000, C=0.5).fit(tr.x.reshape(len(tr), -1).numpy(), tr.y.numpy())
    p = clf.predict_proba(samples.detach().cpu().float().clamp(-1, 1).reshape(samples.shape[0], -1).numpy())
    return float(p.max(1).mean()), int(len(np.unique(p.argmax(1))))
