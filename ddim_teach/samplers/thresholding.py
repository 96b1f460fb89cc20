"""x̂₀ clipping and dynamic thresholding, as a model wrapper that every sampler can use.

Eq. 12 moves x_t toward √ᾱ_prev x̂₀ along ε̂. When x̂₀ leaves the data's range ([-1, 1] for the course's images),
the step is aimed at a point no image can be. Two fixes change x̂₀ and re-derive ε̂ = (x_t - √ᾱ x̂₀)/√(1-ᾱ) from it,
so that Eq. 12 stays consistent with the changed prediction:

    static clipping (DDPM's code)           x̂₀ ← clamp(x̂₀, -1, 1)
    dynamic thresholding (Saharia et al.,   s = max(1, the p-quantile of |x̂₀| over each sample's pixels),
    Imagen, 2022)                           x̂₀ ← clamp(x̂₀, -s, s) / s

Static clipping equals ``sample_ddim(..., clip_x0=1.0)``. ``ThresholdedModel(model, schedule, mode)`` returns ε̂
(prediction_type "epsilon") whatever the wrapped model predicts.
"""
from __future__ import annotations

import torch

from ..core.schedule import Schedule
from ..core.step import PREDICTION_TYPES, predict_eps_x0

__all__ = ["ThresholdedModel", "dynamic_threshold", "THRESHOLD_MODES"]

THRESHOLD_MODES = ("none", "clip", "dynamic")


def dynamic_threshold(x0: torch.Tensor, percentile: float = 0.995) -> torch.Tensor:
    """Per sample: s = max(1, quantile_p |x̂₀|); clamp to [-s, s] and divide by s."""
    if not 0.0 < percentile <= 1.0:
        raise ValueError(f"percentile must be in (0, 1], got {percentile!r}")
    flat = x0.reshape(x0.shape[0], -1).abs()
    s = torch.quantile(flat.float(), percentile, dim=1).to(x0.dtype).clamp(min=1.0)
    s = s.reshape(-1, *([1] * (x0.ndim - 1)))
    return x0.clamp(-s, s) / s


class ThresholdedModel:
    """Wrap ``model(x, t)`` so that its x̂₀ is clipped ("clip") or dynamically thresholded ("dynamic"); returns ε̂."""

    prediction_type = "epsilon"

    def __init__(self, model, schedule: Schedule, mode: str = "dynamic", percentile: float = 0.995):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"schedule must be a ddim_teach.Schedule, got {type(schedule).__name__}")
        if mode not in THRESHOLD_MODES:
            raise ValueError(f"mode must be one of {', '.join(THRESHOLD_MODES)}, got {mode!r}")
        inner = getattr(model, "prediction_type", None) or "epsilon"
        if inner not in PREDICTION_TYPES:
            raise ValueError(f"the wrapped model's prediction_type {inner!r} is not one of {PREDICTION_TYPES}")
        self.model, self.schedule, self.mode, self.percentile, self.inner = model, schedule, mode, percentile, inner
        self.sample_shape = getattr(model, "sample_shape", None)
        self.n_changed = 0  # how many x̂₀ values the last calls moved (for the lecture's numbers)

    def eval(self):
        return self

    def parameters(self):
        return self.model.parameters() if hasattr(self.model, "parameters") else iter(())

    def __call__(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        t = torch.as_tensor(t)
        if t.numel() == 0 or bool((t != t.reshape(-1)[0]).any()):
            raise ValueError("ThresholdedModel needs one timestep per batch (the samplers pass one t for all)")
        ab = float(self.schedule.alphas_cumprod[int(t.reshape(-1)[0])])
        out = self.model(x, t)
        eps, x0 = predict_eps_x0(out, x, ab, self.inner)
        if self.mode == "none":
            return eps
        new = x0.clamp(-1.0, 1.0) if self.mode == "clip" else dynamic_threshold(x0, self.percentile)
        self.n_changed += int((new != x0).sum())
        return (x - ab**0.5 * new) / (1 - ab) ** 0.5
