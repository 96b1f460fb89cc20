"""Classifier-free guidance (Ho & Salimans, 2022) around a class-conditional network.

A network trained with label dropout answers for a class c and for "no class" (its ``null_class``):

    ε_c = ε_θ(x_t, t, c)        ε_u = ε_θ(x_t, t, ∅)
    ε̃  = ε_u + s (ε_c − ε_u)                      (diffusers' ``guidance_scale`` convention)

s = 0 is the unconditional model, s = 1 the plain conditional one, s > 1 pushes past it. Since
ε = −√(1−ᾱ_t) ∇ log q_t, the combination is −√(1−ᾱ_t) times the score of  p_t(x) p_t(c | x)^s  (up to
normalisation): for s ≠ 1 that is not the law p(x | c) of the data, so guided samples are not draws
from the true conditional (lecture 11 measures the gap on an exact mixture).

:func:`classifier_free_guidance` returns an ordinary model ``(x, t) -> output`` (an ``nn.Module`` that keeps
``prediction_type`` and ``sample_shape``), so every registered sampler runs it unchanged. The same
combination applies to v-prediction, since v is linear in ε for fixed x_t.
"""
from __future__ import annotations

import math
import numbers

import torch
from torch import nn

__all__ = ["classifier_free_guidance", "GuidedModel"]


def _check_scale(guidance_scale) -> float:
    if isinstance(guidance_scale, bool) or not isinstance(guidance_scale, numbers.Real):
        raise TypeError(f"guidance_scale must be a real number (0 = unconditional, 1 = conditional), "
                        f"got {type(guidance_scale).__name__} {guidance_scale!r}")
    s = float(guidance_scale)
    if not math.isfinite(s) or s < 0:
        raise ValueError(f"guidance_scale must be a finite number ≥ 0 (0 = unconditional, 1 = conditional, "
                         f"3–8 = typical guidance), got {guidance_scale!r}")
    return s


class GuidedModel(nn.Module):
    """``model`` with classifier-free guidance at scale ``guidance_scale`` towards ``class_labels``.

    ``class_labels`` is one int (every sample the same class) or an int64 tensor (B,) matching the batch
    of x at call time. For s ∉ {0, 1} the two branches run as one batch of 2B (one network call).
    """

    def __init__(self, model: nn.Module, class_labels, guidance_scale: float):
        super().__init__()
        num_classes = getattr(model, "num_classes", None)
        null_class = getattr(model, "null_class", None)
        if num_classes is None or null_class is None:
            raise ValueError("classifier-free guidance needs a class-conditional network with `num_classes` and "
                             "`null_class` (e.g. load_pretrained('mnist5k_cond')); this model is unconditional")
        if isinstance(class_labels, bool):
            raise TypeError("class_labels must be an int or an int64 tensor (B,), got a bool")
        if isinstance(class_labels, numbers.Integral):
            class_labels = int(class_labels)
            if not 0 <= class_labels < num_classes:
                raise ValueError(f"class_labels must lie in 0…{num_classes - 1}, got {class_labels}")
        elif isinstance(class_labels, torch.Tensor):
            if class_labels.dtype != torch.int64 or class_labels.ndim != 1:
                raise TypeError(f"class_labels must be an int64 tensor of shape (B,), got {class_labels.dtype} "
                                f"of shape {tuple(class_labels.shape)}")
            if class_labels.numel() and (int(class_labels.min()) < 0 or int(class_labels.max()) >= num_classes):
                raise ValueError(f"class_labels must lie in 0…{num_classes - 1}, got values from "
                                 f"{int(class_labels.min())} to {int(class_labels.max())}")
        else:
            raise TypeError(f"class_labels must be an int or an int64 tensor (B,), got {type(class_labels).__name__}")
        self.model = model
        self.class_labels = class_labels
        self.guidance_scale = _check_scale(guidance_scale)
        self.prediction_type = getattr(model, "prediction_type", "epsilon")
        self.sample_shape = getattr(model, "sample_shape", None)
        self.num_classes = num_classes
        self.null_class = null_class

    def labels_for(self, batch: int, device) -> torch.Tensor:
        """The class labels as an int64 tensor (batch,) on ``device``."""
        if isinstance(self.class_labels, int):
            return torch.full((batch,), self.class_labels, dtype=torch.int64, device=device)
        if self.class_labels.shape != (batch,):
            raise ValueError(f"class_labels has {self.class_labels.shape[0]} labels but x has a batch of {batch}")
        return self.class_labels.to(device)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        y = self.labels_for(x.shape[0], x.device)
        s = self.guidance_scale
        if s == 1.0:
            return self.model(x, t, class_labels=y)
        null = torch.full_like(y, self.null_class)
        if s == 0.0:
            return self.model(x, t, class_labels=null)
        out = self.model(torch.cat([x, x]), torch.cat([t, t]), class_labels=torch.cat([y, null]))
        cond, uncond = out.chunk(2)
        return uncond + s * (cond - uncond)

    def extra_repr(self) -> str:
        return f"guidance_scale={self.guidance_scale}, class_labels={self.class_labels}"


def classifier_free_guidance(model: nn.Module, class_labels, guidance_scale: float) -> GuidedModel:
    """A model callable ``(x, t) -> ε_u + s (ε_c − ε_u)`` that every sampler accepts (s = ``guidance_scale``)."""
    return GuidedModel(model, class_labels, guidance_scale)
