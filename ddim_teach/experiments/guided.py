"""Measuring guided samples of the conditional mnist5k U-Net: class agreement, confidence, diversity.

The judge is independent of every network of the package: scikit-learn's logistic regression fitted on
the real mnist5k train split (pixels in [-1, 1]). Its held-out accuracy and confidence on real digits are the
reference the samples are read against.

    judge = mnist_judge()                  # fitted once per process
    x = guided_samples(model, schedule, labels, guidance_scale=3.0, S=50)
    agreement(judge, x, labels), mean_confidence(judge, x), diversity(x, labels)
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from ..data import load_dataset
from ..core.timesteps import make_timesteps
from ..samplers.guidance import classifier_free_guidance
from ..samplers.registry import call_sampler
from .oracles import GaussianDenoiser, GaussianMixtureDenoiser

__all__ = ["mnist_judge", "judge_probs", "agreement", "per_class_agreement", "mean_confidence", "diversity",
           "guided_samples", "real_reference", "unconditional_ratio", "ExactClassMixture", "stored_guidance_quality",
           "GUIDANCE_RESULTS"]

# written by benchmarks/guidance_quality.py; lecture 11 reads it (the full run takes minutes)
GUIDANCE_RESULTS = Path(__file__).resolve().parent.parent / "results" / "guidance_quality.json"


def stored_guidance_quality() -> dict:
    """The measured table of ``benchmarks/guidance_quality.py``: {"real": {...}, "scales": {"3.0": {...}, ...}}."""
    if not GUIDANCE_RESULTS.exists():
        raise FileNotFoundError(f"{GUIDANCE_RESULTS} is missing: run `python benchmarks/run_all.py --only guidance_quality`")
    return json.loads(GUIDANCE_RESULTS.read_text())


class ExactClassMixture:
    """The exact class-conditional denoiser of a labelled mixture of isotropic Gaussians: class c is component c.

    ``model(x, t, class_labels=y)`` gives each sample the exact ε of its component (``GaussianDenoiser``), and
    ``null_class`` (= K) the exact ε of the whole mixture (``GaussianMixtureDenoiser``): the two branches a
    perfectly trained network with label dropout would learn. Guidance on it has no network error at all.
    """

    prediction_type = "epsilon"

    def __init__(self, schedule, means, stds, weights=None):
        means = torch.as_tensor(means, dtype=torch.float64)
        self.mixture = GaussianMixtureDenoiser(schedule, means, stds, weights)
        self.components = [GaussianDenoiser(schedule, mean=m, std=float(s), sample_shape=tuple(means.shape[1:]))
                           for m, s in zip(means, self.mixture.stds)]
        self.num_classes = self.null_class = means.shape[0]
        self.sample_shape = tuple(means.shape[1:])
        self.schedule = schedule

    def __call__(self, x: torch.Tensor, t: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        if class_labels is None:
            return self.mixture(x, t)
        if class_labels.shape != (x.shape[0],):
            raise ValueError(f"class_labels must have shape ({x.shape[0]},), got {tuple(class_labels.shape)}")
        out = torch.empty_like(x)
        for c in class_labels.unique().tolist():
            m = class_labels == c
            den = self.mixture if c == self.null_class else self.components[c]
            out[m] = den(x[m], t[m])
        return out

    def eval(self):
        return self

    def conditional_sample(self, c: int, n: int, generator=None) -> torch.Tensor:
        """n exact draws of p(x | c)."""
        return self.components[c].sample(n, generator=generator)


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


def unconditional_ratio(model, schedule, judge, n: int = 1000, S: int = 50, batch: int = 250) -> dict:
    """The unconditional quality criterion (mean confidence ≥ 0.9 × real) with its own noise: n samples at s = 0
    (x_T from seeds 5000, 5001, …, one per batch) against every real held-out digit; the ratio of the two mean
    confidences with a 95% interval (delta method, the two sets independent)."""
    if not (isinstance(n, int) and isinstance(batch, int) and batch > 0 and n > 0 and n % batch == 0):
        raise ValueError(f"n must be a positive multiple of batch ({batch!r}), got n = {n!r}")
    confs = []
    for k in range(n // batch):
        x_T = torch.randn(batch, *model.sample_shape, generator=torch.Generator().manual_seed(5000 + k))
        x = guided_samples(model, schedule, torch.zeros(batch, dtype=torch.int64), 0.0, S=S, x_T=x_T)
        confs.append(judge_probs(judge, x).max(1))
    c = np.concatenate(confs)
    real = judge_probs(judge, real_reference()[0]).max(1)
    r = c.mean() / real.mean()
    se = r * np.sqrt(c.var(ddof=1) / (len(c) * c.mean() ** 2) + real.var(ddof=1) / (len(real) * real.mean() ** 2))
    return {"n": int(len(c)), "n_real": int(len(real)), "confidence": float(c.mean()),
            "real_confidence": float(real.mean()), "ratio": float(r), "ci95": float(1.96 * se), "S": S}


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
