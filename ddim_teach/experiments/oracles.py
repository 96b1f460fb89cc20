"""Exact denoisers: the Bayes-optimal ε-predictor for data whose distribution we know.

For x_t = sqrt(ᾱ) x_0 + sqrt(1-ᾱ) ε, the minimiser of L_simple is ε̂(x_t) = (x_t - sqrt(ᾱ) E[x_0|x_t]) / sqrt(1-ᾱ).
E[x_0|x_t] (Tweedie's formula) is closed-form for
    * Gaussian data N(μ, diag(s²)):  E[x_0|x_t] = μ + sqrt(ᾱ) s² / (ᾱ s² + 1 - ᾱ) · (x_t - sqrt(ᾱ) μ)
    * a mixture of isotropic Gaussians: the same per component, weighted by the responsibilities
      p(k | x_t) ∝ w_k N(x_t; sqrt(ᾱ) μ_k, (ᾱ s_k² + 1 - ᾱ) I)
    * a finite data set (the empirical distribution): a mixture with s_k = 0, one component per point.
With these every sampler can be run and tested without training a network. Each oracle is a callable
``model(x, t) -> ε̂`` carrying ``schedule`` and ``sample_shape``, and can draw data with ``sample``.
"""
from __future__ import annotations

import math

import torch

from ..core._tensor import extract
from ..core.schedule import Schedule

__all__ = ["GaussianDenoiser", "GaussianMixtureDenoiser", "EmpiricalDenoiser", "ring_of_gaussians"]


class _Oracle:
    prediction_type = "epsilon"

    def __init__(self, schedule: Schedule, sample_shape):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
        self.schedule = schedule
        self.sample_shape = tuple(sample_shape)

    def _check(self, x, t):
        if tuple(x.shape[1:]) != self.sample_shape:
            raise ValueError(f"expected samples of shape {self.sample_shape}, got {tuple(x.shape[1:])}")

    def x0_mean(self, x: torch.Tensor, t) -> torch.Tensor:
        raise NotImplementedError

    def __call__(self, x: torch.Tensor, t) -> torch.Tensor:
        self._check(x, t)
        ab = extract(self.schedule.alphas_cumprod, t, x, dtype=torch.float64)
        x64 = x.to(torch.float64)
        eps = (x64 - ab.sqrt() * self.x0_mean(x64, t)) / (1 - ab).sqrt()
        return eps.to(x.dtype)

    def eval(self):  # so the oracle can stand where an nn.Module is expected
        return self


class GaussianDenoiser(_Oracle):
    """Data x_0 ~ N(mean, diag(std²)); ``mean`` and ``std`` broadcast to ``sample_shape``."""

    def __init__(self, schedule: Schedule, mean=0.0, std=1.0, sample_shape=(2,)):
        super().__init__(schedule, sample_shape)
        self.mean = self._broadcast("mean", mean)
        self.std = self._broadcast("std", std)
        if not torch.isfinite(self.mean).all() or not torch.isfinite(self.std).all():
            raise ValueError("mean and std must be finite")
        if (self.std <= 0).any():
            raise ValueError("std must be positive")

    def _broadcast(self, name, v):
        v = torch.as_tensor(v, dtype=torch.float64)
        try:
            return v.expand(self.sample_shape).clone()
        except RuntimeError:
            raise ValueError(f"{name} of shape {tuple(v.shape)} does not broadcast to sample_shape {self.sample_shape}: "
                             f"give one number, or one per coordinate (pass sample_shape= for other shapes)") from None

    def x0_mean(self, x, t):
        ab = extract(self.schedule.alphas_cumprod, t, x)
        mu, var = self.mean.to(x.device), self.std.to(x.device) ** 2
        gain = ab.sqrt() * var / (ab * var + 1 - ab)
        return mu + gain * (x - ab.sqrt() * mu)

    def sample(self, n: int, generator=None) -> torch.Tensor:
        z = torch.randn((n, *self.sample_shape), generator=generator, dtype=torch.float64)
        return (self.mean + self.std * z).float()


class GaussianMixtureDenoiser(_Oracle):
    """A mixture of isotropic Gaussians: ``means`` (K, *sample_shape), ``stds`` (K,), ``weights`` (K,)."""

    def __init__(self, schedule: Schedule, means, stds, weights=None, chunk: int = 4096):
        means = torch.as_tensor(means, dtype=torch.float64)
        if means.ndim < 2 or means.shape[0] == 0:
            raise ValueError(f"means must be (K, *sample_shape) with K ≥ 1 components (or data points), got shape "
                             f"{tuple(means.shape)}")
        super().__init__(schedule, means.shape[1:])
        K = means.shape[0]
        self.means = means
        self.stds = torch.as_tensor(stds, dtype=torch.float64).expand(K).clone()
        if (self.stds < 0).any():
            raise ValueError("stds must be non-negative")
        w = torch.full((K,), 1.0 / K, dtype=torch.float64) if weights is None else torch.as_tensor(weights, dtype=torch.float64)
        if w.shape != (K,) or (w < 0).any() or not math.isclose(float(w.sum()), 1.0, rel_tol=1e-6):
            raise ValueError("weights must be K non-negative numbers summing to 1")
        self.log_weights = torch.log(w)
        self.chunk = chunk

    def x0_mean(self, x, t):
        B, D = x.shape[0], self.means[0].numel()
        ab = extract(self.schedule.alphas_cumprod, t, x).reshape(B, 1)  # (B, 1)
        xf = x.reshape(B, D)
        mu = self.means.reshape(-1, D).to(x.device)  # (K, D)
        s2 = (self.stds**2).to(x.device)  # (K,)
        var_t = ab * s2 + (1 - ab)  # (B, K): variance of x_t under component k
        out = torch.zeros_like(xf)
        # responsibilities, chunked over components so 1,797 digits × a batch stays in memory
        logits = []
        for k0 in range(0, mu.shape[0], self.chunk):
            m, v = mu[k0 : k0 + self.chunk], var_t[:, k0 : k0 + self.chunk]
            d2 = ((xf[:, None, :] - ab.sqrt()[:, :, None] * m[None]) ** 2).sum(-1)  # (B, k)
            logits.append(self.log_weights[k0 : k0 + self.chunk].to(x.device) - 0.5 * d2 / v - 0.5 * D * torch.log(v))
        resp = torch.softmax(torch.cat(logits, dim=1), dim=1)  # (B, K)
        for k0 in range(0, mu.shape[0], self.chunk):
            m, v = mu[k0 : k0 + self.chunk], var_t[:, k0 : k0 + self.chunk]
            gain = ab.sqrt() * s2[k0 : k0 + self.chunk] / v  # (B, k)
            cond = m[None] + gain[:, :, None] * (xf[:, None, :] - ab.sqrt()[:, :, None] * m[None])  # (B, k, D)
            out += (resp[:, k0 : k0 + self.chunk, None] * cond).sum(1)
        return out.reshape(x.shape)

    def sample(self, n: int, generator=None) -> torch.Tensor:
        k = torch.multinomial(self.log_weights.exp(), n, replacement=True, generator=generator)
        z = torch.randn((n, *self.sample_shape), generator=generator, dtype=torch.float64)
        s = self.stds[k].reshape(n, *([1] * len(self.sample_shape)))
        return (self.means[k] + s * z).float()


class EmpiricalDenoiser(GaussianMixtureDenoiser):
    """The exact denoiser of a finite data set (B points or images): a mixture of point masses.

    Sampling with it reproduces training points: it shows what a network that memorised its data would do.
    """

    def __init__(self, schedule: Schedule, data, chunk: int = 512):
        data = torch.as_tensor(data, dtype=torch.float64)
        super().__init__(schedule, data, torch.zeros(data.shape[0]), chunk=chunk)


def ring_of_gaussians(schedule: Schedule, n_modes: int = 8, radius: float = 2.0, std: float = 0.1) -> GaussianMixtureDenoiser:
    """The 2-D ring of Gaussians used across the lectures and benchmarks, as an exact denoiser."""
    if isinstance(n_modes, bool) or not isinstance(n_modes, int) or n_modes < 1:
        raise ValueError(f"n_modes must be a positive int (the number of Gaussians on the ring), got {n_modes!r}")
    angles = torch.arange(n_modes, dtype=torch.float64) * (2 * math.pi / n_modes)
    means = radius * torch.stack([angles.cos(), angles.sin()], dim=1)
    return GaussianMixtureDenoiser(schedule, means, torch.full((n_modes,), std))
