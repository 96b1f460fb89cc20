"""Explorers for lecture 11: classifier-free guidance and editing by inversion, on the 28×28 conditional U-Net.

    GuidanceExplorer   class, guidance scale s, steps S, η, seed: a grid from fixed x_T, with the judge's verdict
                       under each digit and, in the status line, class agreement, confidence and diversity
    EditExplorer       a real held-out digit, a target class, how far to invert (t_edit) and s: the digit, its
                       reconstruction under its own label, and the edit under the target label

Both sample through the package's registry (``call_sampler``) with ``classifier_free_guidance``; the judge
is ``experiments.guided.mnist_judge`` (logistic regression on the real train split), fitted once per process.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np
import torch

from ..core.timesteps import make_timesteps
from ..experiments.guided import diversity, judge_probs, mnist_judge, real_reference
from ..i18n import load_catalog
from ..models.pretrained import load_pretrained
from ..samplers.guidance import classifier_free_guidance
from ..samplers.loop import invert_ddim, sample_ddim
from ..samplers.registry import call_sampler
from .prefetch import Prefetcher
from .widgets import _Explorer

__all__ = ["GuidanceExplorer", "EditExplorer", "conditional_model"]

load_catalog("guidance_widget")


@lru_cache(maxsize=1)
def conditional_model():
    """The shipped conditional network, shared by the explorers of one process (eval mode, no gradients)."""
    model, schedule = load_pretrained("mnist5k_cond")
    return model, schedule


def _show(ax, img, title=None, color="black"):
    ax.imshow(img.squeeze().clamp(-1, 1).numpy(), cmap="gray", vmin=-1, vmax=1)
    ax.set_xticks([]), ax.set_yticks([])
    for s in ax.spines.values():
        s.set_edgecolor(color)
        s.set_linewidth(3 if color != "black" else 0.5)
    if title:
        ax.set_title(title, color=color)


class GuidanceExplorer(_Explorer):
    """A grid of guided samples from fixed x_T: one per class ("all"), or eight of one class.

    The ten panels (two rows of five) are made once; a redraw replaces each panel's pixels, verdict and frame
    colour, so that the time goes to sampling, not to building axes (the frame is fixed: ``freeze_layout``).
    After each picture the two neighbouring settings of the control moved last (at first the guidance scale) are
    computed ahead (``ddim_teach.lab.prefetch``): first the one in the direction of the move."""

    width, height = 12.0, 5.6
    per_class = 8
    freeze_layout = True

    def __init__(self, digit: int | None = None, guidance_scale: float = 3.0, S: int = 20, eta: float = 0.0,
                 seed: int = 0, lang: str | None = None):
        super().__init__(lang)
        st = self.control_style()
        options = [(self.tr("g_all"), -1)] + [(str(c), c) for c in range(10)]
        self.digit = W.Dropdown(options=options, value=-1 if digit is None else digit, description=self.tr("g_class"),
                                style=st, layout=W.Layout(width="230px"))
        self.scale = W.FloatSlider(value=guidance_scale, min=0.0, max=10.0, step=0.5, description=self.tr("g_scale"),
                                   continuous_update=False, style=st)
        self.S = W.SelectionSlider(options=[2, 3, 5, 10, 15, 20, 25, 50], value=S, description="S",
                                   continuous_update=False, style=st)
        self.eta = W.FloatSlider(value=eta, min=0.0, max=1.0, step=0.1, description="η", continuous_update=False,
                                 style=st)
        self.seed = W.IntSlider(value=seed, min=0, max=20, description="seed", continuous_update=False, style=st)
        self.model, self.schedule = conditional_model()
        self.ahead = Prefetcher(lambda key, callback: self._compute(key, callback))
        self._last_key = None
        self.axes = self.figure.subplots(2, 5).ravel()
        side = self.model.sample_shape[-1]
        self.panels = [ax.imshow(np.zeros((side, side)), cmap="gray", vmin=-1, vmax=1, interpolation="nearest")
                       for ax in self.axes]
        for ax in self.axes:
            ax.set_xticks([]), ax.set_yticks([])
            ax.set_title(" ")
        self._prefetch_controls = [self.digit, self.scale, self.S, self.eta, self.seed]  # the order of _key()
        self._finish(self._prefetch_controls)

    def _key(self):
        return self._controls_key(self._prefetch_controls)

    def labels(self, digit: int | None = None) -> torch.Tensor:
        c = self.digit.value if digit is None else digit
        return torch.arange(10) if c < 0 else torch.full((self.per_class,), c, dtype=torch.int64)

    def _compute(self, key=None, callback=None):
        """The grid for ``key`` = (digit, s, S, η, seed) (default: the controls). It reads no widget, so the
        prefetch thread can run it; ``callback`` goes to the sampler (the prefetcher's cancellation check)."""
        digit, scale, S, eta, seed = self._key() if key is None else key
        labels = self.labels(digit)
        g = torch.Generator().manual_seed(seed)
        x_T = torch.randn(labels.shape[0], *self.model.sample_shape, generator=g)
        guided = classifier_free_guidance(self.model, labels, scale)
        ts = make_timesteps(self.schedule.T, S, "trailing")
        progress = None if callback is None else (lambda info: callback((info["i"] + 1) / len(ts)))
        x = call_sampler("ddim", guided, x_T, self.schedule, ts, eta=eta,
                         generator=torch.Generator().manual_seed(1000 + seed), callback=progress)
        probs = judge_probs(mnist_judge(), x)
        return {"x": x, "labels": labels, "probs": probs}

    def _values(self, control) -> list:
        """Every value a control can take, in its order (a float slider's grid rounded as the browser sends it)."""
        if isinstance(control, W.FloatSlider):
            n = int(round((control.max - control.min) / control.step))
            return [round(control.min + k * control.step, 10) for k in range(n + 1)]
        if isinstance(control, W.IntSlider):
            return list(range(control.min, control.max + 1, control.step))
        options = list(control.options)
        return [value for _, value in options] if isinstance(options[0], tuple) else options

    def neighbours(self, key) -> list:
        """The settings one step away on the control that moved last (the guidance scale at first): the next one
        in the direction of the move first, then the one behind."""
        last, self._last_key = self._last_key, key
        moved = [] if last is None else [i for i, (a, b) in enumerate(zip(last, key)) if a != b]
        i = moved[0] if len(moved) == 1 else 1
        values = self._values(self._prefetch_controls[i])
        if key[i] not in values:  # a value set from Python between the grid's points: nothing to guess
            return []
        j = values.index(key[i])
        direction = -1 if moved == [i] and last[i] in values and values.index(last[i]) > j else 1
        return [key[:i] + (values[k],) + key[i + 1:] for k in (j + direction, j - direction) if 0 <= k < len(values)]

    def _after_draw(self, key):
        self.ahead.ahead(self.neighbours(key))

    def clear_caches(self):
        super().clear_caches()
        self.ahead.clear()

    def _update(self):
        self.result = r = self.ahead.get(self._key())
        x, labels, probs = r["x"], r["labels"], r["probs"]
        n = x.shape[0]
        for i, (ax, panel) in enumerate(zip(self.axes, self.panels)):
            ax.set_visible(i < n)
            if i >= n:
                continue
            c, y = int(probs[i].argmax()), int(labels[i])
            color = "#1b7837" if c == y else "#b2182b"
            panel.set_data(x[i, 0].clamp(-1, 1).numpy())
            ax.set_title(self.tr("g_judged", c=c, p=float(probs[i].max())), color=color)
            for spine in ax.spines.values():
                spine.set_edgecolor(color)
                spine.set_linewidth(3)
        self.figure.suptitle(self.tr("g_title", s=self.scale.value, S=self.S.value, eta=self.eta.value))
        agree = int((probs.argmax(1) == labels.numpy()).sum())
        div = f"{diversity(x, labels):.2f}" if self.digit.value >= 0 else "—"
        return self.tr("g_status", k=agree, n=n, conf=float(probs.max(1).mean()), div=div)


class EditExplorer(_Explorer):
    """Invert a real digit under its own label to t_edit, then regenerate under a target label."""

    width, height = 12.0, 4.8

    def __init__(self, index: int = 0, target: int = 3, t_edit: int = 600, guidance_scale: float = 3.0, S: int = 20,
                 lang: str | None = None):
        super().__init__(lang)
        st = self.control_style()
        self.x_real, self.y_real = real_reference(n_per_class=10)  # 100 held-out digits, ten of each class
        self.index = W.IntSlider(value=index, min=0, max=self.x_real.shape[0] - 1, description=self.tr("e_digit"),
                                 continuous_update=False, style=st)
        self.target = W.Dropdown(options=list(range(10)), value=target, description=self.tr("e_target"), style=st,
                                 layout=W.Layout(width="200px"))
        self.t_edit = W.IntSlider(value=t_edit, min=100, max=1000, step=50, description=self.tr("e_depth"),
                                  continuous_update=False, style=st)
        self.scale = W.FloatSlider(value=guidance_scale, min=0.0, max=8.0, step=0.5, description=self.tr("g_scale"),
                                   continuous_update=False, style=st)
        self.S = W.SelectionSlider(options=[5, 10, 20, 50], value=S, description="S", continuous_update=False, style=st)
        self.model, self.schedule = conditional_model()
        self.axes = self.figure.subplots(1, 3)
        self._finish([self.index, self.target, self.t_edit, self.scale, self.S])

    def _key(self):
        return self._controls_key([self.index, self.target, self.t_edit, self.scale, self.S])

    def _compute(self):
        i, s = self.index.value, self.scale.value
        x0, y = self.x_real[i : i + 1], int(self.y_real[i])
        steps = max(1, round(self.S.value * self.t_edit.value / self.schedule.T))
        ts = make_timesteps(self.t_edit.value, steps, "trailing")  # τ inside 0 … t_edit − 1
        src = classifier_free_guidance(self.model, y, s)
        x_t = invert_ddim(src, x0, self.schedule, ts, progress=False)
        recon = sample_ddim(src, x_t, self.schedule, ts, progress=False)
        edit = sample_ddim(classifier_free_guidance(self.model, self.target.value, s), x_t, self.schedule, ts,
                           progress=False)
        return {"x0": x0, "y": y, "recon": recon, "edit": edit, "probs": judge_probs(mnist_judge(), edit)[0]}

    def _update(self):
        self.result = r = self._cached(self._key(), self._compute)
        for ax in self.axes:
            ax.clear()
        _show(self.axes[0], r["x0"][0], self.tr("e_original", c=r["y"]))
        _show(self.axes[1], r["recon"][0], self.tr("e_recon", c=r["y"]))
        c = int(np.argmax(r["probs"]))
        _show(self.axes[2], r["edit"][0], self.tr("e_edit", c=self.target.value),
              "#1b7837" if c == self.target.value else "#b2182b")
        rmse = float((r["recon"] - r["x0"]).pow(2).mean().sqrt())
        d = float((r["edit"].clamp(-1, 1) - r["x0"]).pow(2).mean().sqrt())
        return self.tr("e_status", rmse=rmse, c=c, p=float(np.max(r["probs"])), d=d)
