"""Plotting helpers (matplotlib), sized for a projector. Each draws on axes you pass in, so a widget can
redraw one figure in place and a notebook can compose panels.
"""
from __future__ import annotations

import io

import numpy as np
import torch

__all__ = [
    "projector_style",
    "new_figure",
    "figure_to_png",
    "image_grid",
    "show_images",
    "plot_schedules",
    "plot_tau",
    "step_columns",
    "plot_strip",
    "plot_trajectories",
    "plot_points",
]

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def projector_style():
    """rcParams for slides: large fonts and thick lines (use with ``matplotlib.rc_context``)."""
    return {"font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "lines.linewidth": 2.0,
            "legend.fontsize": 11, "figure.dpi": 90}


def new_figure(width: float, height: float, dpi: int = 72, layout: str | None = None):
    """A Figure outside pyplot: it never auto-displays, so widget callbacks leak no output.

    Widgets use a fixed layout (``layout=None``): a constrained layout re-solves on every draw."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi, layout=layout)


def figure_to_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})  # fast encode; size matters less than latency
    return buf.getvalue()


def image_grid(x: torch.Tensor, nrow: int | None = None, pad: int = 1) -> np.ndarray:
    """(B, C, H, W) in [-1, 1] -> one (rows·H, cols·W[, 3]) array in [0, 1] with a thin border."""
    x = ((x.detach().cpu().float().clamp(-1, 1) + 1) / 2).numpy()
    B, C, H, W = x.shape
    nrow = nrow or int(np.ceil(np.sqrt(B)))
    ncol = int(np.ceil(B / nrow))
    out = np.full((C, nrow * (H + pad) + pad, ncol * (W + pad) + pad), 0.2)  # a light grey border between images
    for i in range(B):
        r, c = divmod(i, ncol)
        out[:, pad + r * (H + pad) : pad + r * (H + pad) + H, pad + c * (W + pad) : pad + c * (W + pad) + W] = x[i]
    return out[0] if C == 1 else out.transpose(1, 2, 0)


def show_images(ax, x: torch.Tensor, nrow: int | None = None, title: str | None = None):
    ax.imshow(image_grid(x, nrow), cmap="gray_r" if x.shape[1] == 1 else None, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)


def plot_schedules(axes, schedules: dict):
    """Four panels: β_t; ᾱ_t; sqrt(ᾱ_t) and sqrt(1-ᾱ_t); log-SNR. ``schedules`` maps a label to a Schedule."""
    for (label, s), color in zip(schedules.items(), PALETTE):
        t = np.arange(1, s.T + 1)
        ab = s.alphas_cumprod.numpy()
        axes[0].plot(t, s.betas.numpy(), color=color, label=label)
        axes[1].plot(t, ab, color=color, label=label)
        axes[2].plot(t, np.sqrt(ab), color=color, label=f"√ᾱ {label}")
        axes[2].plot(t, np.sqrt(1 - ab), color=color, ls="--", label=f"√(1-ᾱ) {label}")
        with np.errstate(divide="ignore"):
            axes[3].plot(t, s.log_snr.numpy(), color=color, label=label)
    for ax, title in zip(axes, ["β_t", "ᾱ_t (DDIM paper: α_t)", "signal √ᾱ_t and noise √(1-ᾱ_t)", "log SNR = log ᾱ/(1-ᾱ)"]):
        ax.set_title(title)
        ax.set_xlabel("t")
    axes[0].legend()
    axes[2].legend(fontsize=8)


def plot_tau(ax, timesteps, T: int):
    """The τ grid on the time axis 0..T-1."""
    ts = np.asarray(timesteps)
    ax.vlines(ts, 0, 1, color=PALETTE[0], lw=1.5 if len(ts) < 200 else 0.5)
    ax.set_xlim(-0.01 * T, T * 1.01)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel("t")
    ax.set_title(f"τ: {len(ts)} of {T} timesteps")


def step_columns(n_steps: int, max_cols: int = 10) -> list[int]:
    """At most ``max_cols`` step indices, evenly spread, always including the first and the last."""
    if n_steps <= max_cols:
        return list(range(n_steps))
    return sorted(set(np.linspace(0, n_steps - 1, max_cols).round().astype(int).tolist()))


def plot_strip(axes_x, axes_x0, xs, x0_preds, timesteps, index: int = 0):
    """Two rows: x_t and x̂₀ of one image at the steps shown (one axis per column)."""
    cols = step_columns(len(timesteps), len(axes_x))
    for ax in list(axes_x) + list(axes_x0):
        ax.clear()
        ax.axis("off")
    for j, i in enumerate(cols):
        show_images(axes_x[j], xs[i, index : index + 1], 1)
        axes_x[j].set_title(f"t={timesteps[i]}", fontsize=10)
        show_images(axes_x0[j], x0_preds[i, index : index + 1], 1)
    axes_x[0].set_ylabel("x_t")
    axes_x0[0].set_ylabel("x̂₀")


def plot_trajectories(ax, xs, x0_preds=None, n_paths: int = 40, ref=None):
    """2-D particle paths from x_T (grey) to x_0 (blue); x̂₀ predictions as red crosses."""
    xs = xs.detach().cpu().numpy()
    k = min(n_paths, xs.shape[1])
    if ref is not None:
        r = ref.detach().cpu().numpy()
        ax.scatter(r[:, 0], r[:, 1], s=2, color="0.85", zorder=0)
    for j in range(k):
        ax.plot(xs[:, j, 0], xs[:, j, 1], color="0.5", lw=0.8, alpha=0.7)
    ax.scatter(xs[0, :k, 0], xs[0, :k, 1], s=10, color="0.3", label="x_T")
    ax.scatter(xs[-1, :k, 0], xs[-1, :k, 1], s=14, color=PALETTE[0], label="x_0", zorder=3)
    if x0_preds is not None:
        p = x0_preds.detach().cpu().numpy()[:, :k]
        ax.scatter(p[..., 0].ravel(), p[..., 1].ravel(), s=6, marker="x", color=PALETTE[1], alpha=0.5, label="x̂₀ per step")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="upper right", fontsize=8)


def plot_points(ax, x, ref=None, title: str | None = None, lim: float = 3.5):
    x = x.detach().cpu().numpy()
    if ref is not None:
        r = ref.detach().cpu().numpy()
        ax.scatter(r[:, 0], r[:, 1], s=2, color="0.8", label="data")
    ax.scatter(x[:, 0], x[:, 1], s=3, color=PALETTE[0], label="samples")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
