"""Plotting helpers (matplotlib), sized for a projector. Each draws on axes you pass in, so a widget can
redraw one figure in place and a notebook can compose panels; the explorers of :mod:`ddim_teach.lab.widgets`
draw with these same functions.

Conventions
    - Time labels use the paper's t = 1…T. The package's arrays are 0-based: array index k is the
      paper's t = k + 1, and "after the last step" (index -1) is t = 0, the clean x_0 (``paper_t``).
    - Labels are typeset with mathtext ($x_t$, $\\hat x_0$, $x_T$); every text comes from
      :func:`ddim_teach.i18n.tr`, so a figure speaks Korean or English (``lang=None``: the session's).
    - Sizes: ``widget_style(width)`` picks font sizes so that a figure ``width`` inches wide, shown
      ``DISPLAY_WIDTH_PX`` pixels wide (JupyterLab's output area at 1920×1080), has no text smaller
      than ``MIN_TEXT_PX``. ``min_text_px(fig)`` measures it.
"""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import torch

from ..i18n import font_rc, get_language, korean_font_name, load_catalog, tr

__all__ = [
    "PALETTE",
    "DISPLAY_WIDTH_PX",
    "MIN_TEXT_PX",
    "projector_style",
    "use_projector_style",
    "TEXT_SIZE_KEY",
    "widget_style",
    "min_text_px",
    "paper_t",
    "new_figure",
    "figure_to_png",
    "image_grid",
    "show_images",
    "plot_schedules",
    "plot_forward_moments",
    "plot_tau",
    "step_columns",
    "plot_strip",
    "plot_trajectories",
    "plot_points",
    "plot_panel",
    "SamplerView",
]

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
DISPLAY_WIDTH_PX = 1450  # JupyterLab's output area at 1920×1080 (the issue measured 1488 px)
MIN_TEXT_PX = 18  # smallest rendered text readable from the back of a hall

load_catalog("plots")  # the texts: ddim_teach/messages/plots.toml


def _lang(lang):
    return lang or get_language()


def paper_t(index: int) -> int:
    """The paper's t for a 0-based array index: index k is t = k + 1; index -1 ("after the last step") is t = 0."""
    index = int(index)
    if index < -1:
        raise ValueError(f"a timestep index is -1 (x_0) or more, got {index}")
    return index + 1


def projector_style():
    """rcParams for static figures on slides: large fonts and thick lines (``plt.rcParams.update(...)``).

    At 112 dpi a 13-inch figure is as wide as JupyterLab's output area at 1920×1080, and the smallest text (ticks
    and legends, 13 pt) is 20 px; a figure up to 14.5 inches wide, scaled down to fit, keeps it at 18 px or more."""
    return {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "xtick.labelsize": 13, "ytick.labelsize": 13,
            "legend.fontsize": 13, "figure.titlesize": 15, "lines.linewidth": 2.0, "figure.dpi": 112}


TEXT_SIZE_KEY = "ddim_teach/text_px"  # a stored figure's metadata: its smallest text, measured when it was shown


def use_projector_style():
    """A lecture's figure setup: ``projector_style()`` into rcParams and, in a notebook, a record of each figure's
    smallest text. Every figure shown inline carries, in its ``image/png`` metadata under ``TEXT_SIZE_KEY``, the
    smallest text in points, the dpi, the PNG's width and the text's height in pixels when the notebook is shown at
    1920×1080 (the PNG scaled down to ``DISPLAY_WIDTH_PX`` if wider); tests/test_figure_text.py reads it back."""
    import matplotlib.pyplot as plt

    plt.rcParams.update(projector_style())
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing is shown inline
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    plt.close(plt.figure())  # loads the inline backend now, which registers its PNG printer (wrapped below)
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        printer = formatter.lookup_by_type(Figure)
    except KeyError:  # no inline backend: figures are not shown as PNG
        return
    if getattr(printer, "_records_text_size", False):  # a second run of the setup cell
        return

    def print_and_measure(fig):
        import base64

        import matplotlib as mpl

        data = printer(fig)
        if data is None:
            return None
        raw = base64.b64decode(data[:64]) if isinstance(data, str) else data  # the PNG header holds its width
        width = int.from_bytes(raw[16:20], "big")
        dpi = fig.dpi if mpl.rcParams["savefig.dpi"] == "figure" else float(mpl.rcParams["savefig.dpi"])
        try:
            pt = min_text_px(fig, display_px=72 * fig.get_figwidth())  # at 1 px per point: the size in points
        except ValueError:  # a picture without any text
            return data, {TEXT_SIZE_KEY: {"min_pt": None, "dpi": round(dpi, 1), "png_width": width, "min_px_at_1920": None}}
        px = pt * dpi / 72 * min(1.0, DISPLAY_WIDTH_PX / width)
        return data, {TEXT_SIZE_KEY: {"min_pt": round(pt, 2), "dpi": round(dpi, 1), "png_width": width,
                                      "min_px_at_1920": round(px, 1)}}

    print_and_measure._records_text_size = True
    formatter.for_type(Figure, print_and_measure)


def widget_style(width: float, display_px: float = DISPLAY_WIDTH_PX, min_px: float = MIN_TEXT_PX) -> dict:
    """rcParams for a widget figure ``width`` inches wide: the smallest text (ticks, legends) renders at
    ``min_px`` pixels or more when the figure is shown ``display_px`` pixels wide. Hangul comes from
    the course's NanumGothic, Greek and symbols from DejaVu Sans (no missing glyphs in either language)."""
    small = 1.08 * min_px * 72 * width / display_px  # points; 8% above the floor for hinting and rounding
    return {"font.size": small * 1.05, "axes.titlesize": small * 1.12, "axes.labelsize": small * 1.05,
            "xtick.labelsize": small, "ytick.labelsize": small, "legend.fontsize": small,
            "figure.titlesize": small * 1.15, "lines.linewidth": 2.0, "axes.titlepad": 5.0,
            "axes.titley": 1.0,  # a fixed title height: no search for overlapping tick labels on each redraw
            **font_rc()}


def min_text_px(fig, display_px: float = DISPLAY_WIDTH_PX) -> float:
    """The smallest visible text of ``fig`` in screen pixels when the figure is shown ``display_px`` wide."""
    from matplotlib.text import Text

    scale = display_px / (72 * fig.get_figwidth())  # pixels per point
    fig.draw_without_rendering()  # tick labels exist only after a draw
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())]
    if not sizes:
        raise ValueError("the figure has no visible text")
    return min(sizes) * scale


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


def plot_schedules(axes, schedules: dict, lang: str | None = None):
    """Four panels (any layout of 4 axes): β_t; ᾱ_t; signal √ᾱ_t and noise √(1-ᾱ_t); log-SNR, on t = 1…T.
    ``schedules`` maps a label to a Schedule."""
    from matplotlib.lines import Line2D

    lang = _lang(lang)
    axes = list(np.ravel(axes))
    for (label, s), color in zip(schedules.items(), PALETTE):
        t = np.arange(1, s.T + 1)  # the paper's t = 1…T for array indices 0…T-1
        ab = s.alphas_cumprod.numpy()
        axes[0].plot(t, s.betas.numpy(), color=color, label=label)
        axes[1].plot(t, ab, color=color, label=label)
        axes[2].plot(t, np.sqrt(ab), color=color)
        axes[2].plot(t, np.sqrt(1 - ab), color=color, ls="--")
        with np.errstate(divide="ignore"):
            axes[3].plot(t, s.log_snr.numpy(), color=color, label=label)
    for ax, key in zip(axes, ["plt_beta", "plt_alpha_bar", "plt_signal_noise", "plt_log_snr"]):
        ax.set_title(tr(key, lang))
        ax.set_xlabel(tr("plt_t", lang))
    axes[0].legend(loc="upper left")
    axes[2].legend(handles=[Line2D([], [], color="0.3", ls="-", label=tr("plt_signal", lang)),
                            Line2D([], [], color="0.3", ls="--", label=tr("plt_noise", lang))], loc="center right")


def plot_forward_moments(ax, schedule, mean_chain, var_chain, t: int | None = None, lang: str | None = None, every: int = 20):
    """Closed form q(x_t|x_0) (mean coefficient √ᾱ_t, variance 1-ᾱ_t, from ``forward.q_mean_variance``)
    beside the moments of t chained steps; ``t`` (paper's, 1…T) is marked. Axis: t = 1…T."""
    from ..core.forward import q_mean_variance

    lang = _lang(lang)
    T = schedule.T
    idx = torch.arange(T)
    mean, var = q_mean_variance(schedule, torch.ones(T, 1, dtype=torch.float64), idx)
    ts = np.arange(1, T + 1)
    ax.plot(ts, mean[:, 0].numpy(), color=PALETTE[0], label=tr("plt_closed_mean", lang))
    ax.plot(ts, var[:, 0].numpy(), color=PALETTE[1], label=tr("plt_closed_var", lang))
    sel = np.arange(every - 1, T, every)
    ax.plot(ts[sel], np.asarray(mean_chain)[sel], "o", ms=6, color=PALETTE[0], label=tr("plt_chain_mean", lang))
    ax.plot(ts[sel], np.asarray(var_chain)[sel], "s", ms=6, color=PALETTE[1], label=tr("plt_chain_var", lang))
    if t is not None:
        ax.axvline(t, color="k", lw=1.5)
    ax.set_xlabel(tr("plt_t", lang))
    ax.set_xlim(0, T + 1)
    ax.set_title(tr("plt_forward_title", lang))
    ax.legend(loc="center right")
    return mean[:, 0], var[:, 0]


def plot_tau(ax, timesteps, T: int, spacing: str | None = None, lang: str | None = None):
    """The τ grid (0-based array indices, as the samplers take them) drawn on the paper's axis t = 1…T."""
    lang = _lang(lang)
    ts = np.asarray(timesteps) + 1
    ax.vlines(ts, 0, 1, color=PALETTE[0], lw=1.5 if len(ts) < 200 else 0.5)
    ax.set_xlim(0, T + 1)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xticks([1] + [T * k // 4 for k in range(1, 5)])
    ax.set_title(tr("plt_tau", lang, S=len(ts), T=T, spacing=spacing) if spacing else tr("plt_tau_plain", lang, S=len(ts), T=T))


def step_columns(n_steps: int, max_cols: int = 8) -> list[int]:
    """At most ``max_cols`` step indices, evenly spread, always including the first and the last."""
    if n_steps <= max_cols:
        return list(range(n_steps))
    return sorted(set(np.linspace(0, n_steps - 1, max_cols).round().astype(int).tolist()))


def _row_label(ax, text):
    ax.set_ylabel(text, rotation=0, ha="right", va="center", labelpad=8)


def plot_strip(axes_x, axes_x0, xs, x0_preds, timesteps, index: int = 0, lang: str | None = None):
    """Two rows: x_t and x̂₀ of one image at the steps shown (one axis per column); titles in paper t."""
    lang = _lang(lang)
    cols = step_columns(len(timesteps), len(axes_x))
    for ax in list(axes_x) + list(axes_x0):
        ax.clear()
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_frame_on(False)
    for j, i in enumerate(cols):
        show_images(axes_x[j], xs[i, index : index + 1], 1)
        axes_x[j].set_title(tr("plt_col_t", lang, t=paper_t(timesteps[i])))
        show_images(axes_x0[j], x0_preds[i, index : index + 1], 1)
    _row_label(axes_x[0], "$x_t$")
    _row_label(axes_x0[0], "$\\hat x_0$")


def plot_trajectories(ax, xs, x0_preds=None, n_paths: int = 12, ref=None, lang: str | None = None, lim: float = 3.5):
    """2-D particle paths from x_T (grey) to x_0 (blue); x̂₀ at each step as red crosses."""
    lang = _lang(lang)
    xs = xs.detach().cpu().numpy()
    k = min(n_paths, xs.shape[1])
    if ref is not None:
        r = ref.detach().cpu().numpy()
        ax.scatter(r[:, 0], r[:, 1], s=3, color="0.85", zorder=0)
    for j in range(k):
        ax.plot(xs[:, j, 0], xs[:, j, 1], color="0.45", lw=1.0, alpha=0.8)
    ax.scatter(xs[0, :k, 0], xs[0, :k, 1], s=25, color="0.3", label="$x_T$")
    ax.scatter(xs[-1, :k, 0], xs[-1, :k, 1], s=40, color=PALETTE[0], label="$x_0$", zorder=3)
    if x0_preds is not None:
        p = x0_preds.detach().cpu().numpy()[:, :k]
        ax.scatter(p[..., 0].ravel(), p[..., 1].ravel(), s=30, marker="x", color=PALETTE[1], alpha=0.6,
                   label=tr("plt_x0_per_step", lang))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.legend(loc="upper right")


def plot_points(ax, x, ref=None, title: str | None = None, lim: float = 3.5, lang: str | None = None):
    lang = _lang(lang)
    x = x.detach().cpu().numpy()
    if ref is not None:
        r = ref.detach().cpu().numpy()
        ax.scatter(r[:, 0], r[:, 1], s=3, color="0.8", label=tr("plt_data", lang))
    ax.scatter(x[:, 0], x[:, 1], s=8, color=PALETTE[0], label=tr("plt_samples", lang))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)


def plot_panel(ax, x, title: str | None = None, ref=None, lang: str | None = None, n_images: int = 16):
    """One panel of a batch: a 4×4 image grid for images, points over the reference data for 2-D models."""
    ax.clear()
    if x.ndim == 4:
        show_images(ax, x[:n_images], 4, title=title)
    else:
        plot_points(ax, x, ref=ref, title=title, lang=lang)
        ax.set_xticks([])
        ax.set_yticks([])


class SamplerView:
    """The picture of one sampler run on a Figure of a fixed size, for widgets and notebooks alike.

    Images: the τ grid, a strip of x_t and x̂₀ of one image at up to ``n_cols`` steps, and the samples.
    2-D points: the τ grid, the paths of ``n_paths`` particles with x̂₀ at each step, and the samples.
    Artists are made once per kind of model and updated in place by ``draw``, which keeps a redraw cheap.
    Sizes are in inches, so that the figure keeps its proportions at any dpi.
    """

    IMAGE_SIZE = (12.0, 4.15)
    POINT_SIZE = (12.0, 6.35)

    def __init__(self, fig, lang: str | None = None, n_cols: int = 8, n_paths: int = 12):
        self.fig, self.lang, self.n_cols, self.n_paths = fig, _lang(lang), n_cols, n_paths
        self.kind = None
        self.a: dict = {}

    def _axes_in(self, l, b, w, h):  # inches from the bottom-left corner
        W, H = self.fig.get_size_inches()
        return self.fig.add_axes((l / W, b / H, w / W, h / H))

    def _build(self, image: bool, ref):
        from matplotlib.collections import LineCollection

        fig, lang = self.fig, self.lang
        fig.clear()
        fig.set_size_inches(*(self.IMAGE_SIZE if image else self.POINT_SIZE))
        W, H = fig.get_size_inches()
        a = {}
        blank = np.zeros((8, 8))
        if image:
            side = 3.7  # the samples grid, right
            a["out"] = self._axes_in(W - side - 0.15, 0.12, side, side)
            n, left, right = self.n_cols, 0.8, W - side - 0.45
            gap = 0.07
            c = (right - left - (n - 1) * gap) / n
            a["x0"] = [self._axes_in(left + j * (c + gap), 0.12, c, c) for j in range(n)]
            a["xs"] = [self._axes_in(left + j * (c + gap), 0.12 + c + gap, c, c) for j in range(n)]
            a["tau"] = self._axes_in(left, 0.12 + 2 * c + gap + 0.8, right - left, 0.42)
            a["xs_im"] = [ax.imshow(blank, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest") for ax in a["xs"]]
            a["x0_im"] = [ax.imshow(blank, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest") for ax in a["x0"]]
            a["out_im"] = a["out"].imshow(blank, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            for ax in a["xs"] + a["x0"] + [a["out"]]:
                ax.set_xticks([])
                ax.set_yticks([])
            a["col_titles"] = [ax.set_title("") for ax in a["xs"]]
            _row_label(a["xs"][0], "$x_t$")
            _row_label(a["x0"][0], "$\\hat x_0$")
            a["out"].set_title(tr("plt_samples", lang))
        else:
            side = 4.9
            a["traj"] = self._axes_in(0.8, 0.15, side, side)
            a["out"] = self._axes_in(W - side - 0.8, 0.15, side, side)
            a["tau"] = self._axes_in(0.35, 0.15 + side + 0.45 + 0.3, W - 0.7, 0.3)
            r = ref[:1000].detach().cpu().numpy()
            for ax, title in ((a["traj"], tr("plt_paths", lang)), (a["out"], tr("plt_samples", lang))):
                ax.scatter(r[:, 0], r[:, 1], s=3, color="0.82")
                ax.set_xlim(-3.5, 3.5)
                ax.set_ylim(-3.5, 3.5)
                ax.set_aspect("equal")
                ax.set_xticks([])  # tick labels cost half of a redraw; the coordinates carry no lesson
                ax.set_yticks([])
                ax.set_title(title)
            a["paths"] = a["traj"].add_collection(LineCollection([], colors="0.4", linewidths=1.0, alpha=0.8))
            a["x0_pts"] = a["traj"].scatter([], [], s=22, marker="x", color=PALETTE[1], alpha=0.55, label=tr("plt_x0_per_step", lang))
            a["start_pts"] = a["traj"].scatter([], [], s=25, color="0.3", label="$x_T$")
            a["end_pts"] = a["traj"].scatter([], [], s=45, color=PALETTE[0], zorder=3, label="$x_0$")
            a["traj"].legend(handles=[a["start_pts"], a["end_pts"], a["x0_pts"]], loc="upper right", framealpha=0.85)
            a["samples"] = a["out"].scatter([], [], s=8, color=PALETTE[0])
        a["tau"].set_ylim(0, 1)
        a["tau"].set_yticks([])
        a["tau_lines"] = a["tau"].add_collection(LineCollection([], colors=PALETTE[0], linewidths=1.5))
        a["tau_title"] = a["tau"].set_title("")
        self.a, self.kind = a, (image, id(ref))

    def draw(self, run, T: int, ref=None):
        """Show a ``SamplerRun`` (its timesteps are 0-based indices; labels use t = 1…T)."""
        image = run.xs.ndim == 5
        if self.kind != (image, id(ref)):
            self._build(image, ref)
        a, lang = self.a, self.lang
        a["tau"].set_xlim(0, T + 1)
        a["tau"].set_xticks([1] + [T * k // 4 for k in range(1, 5)])
        a["tau_lines"].set_segments([[(paper_t(t), 0), (paper_t(t), 1)] for t in run.timesteps])
        a["tau_title"].set_text(tr("plt_tau", lang, S=len(run.timesteps), T=T, spacing=run.spacing))
        if image:
            cols = step_columns(len(run.timesteps), self.n_cols)
            for j in range(self.n_cols):
                vis = j < len(cols)
                for key in ("xs", "x0"):
                    a[key][j].set_visible(vis)
                if vis:
                    a["col_titles"][j].set_text(tr("plt_col_t", lang, t=paper_t(run.timesteps[cols[j]])))
                    a["xs_im"][j].set_data(image_grid(run.xs[cols[j], :1], 1))
                    a["x0_im"][j].set_data(image_grid(run.x0_preds[cols[j], :1], 1))
            grid = image_grid(run.samples[:16], 4)
            a["out_im"].set_data(grid)
            a["out_im"].set_extent((-0.5, grid.shape[1] - 0.5, grid.shape[0] - 0.5, -0.5))
        else:
            # a stochastic run zig-zags: a third of the paths, thinner, so that each one can be followed
            stochastic = run.eta != 0
            k = max(1, self.n_paths // 3) if stochastic else self.n_paths
            xs = run.xs[:, :k].numpy()
            a["paths"].set_segments([xs[:, j] for j in range(xs.shape[1])])
            a["paths"].set_linewidth(0.8 if stochastic else 1.0)
            shown = step_columns(len(run.timesteps), self.n_cols)  # x̂₀ at up to n_cols steps per path
            a["x0_pts"].set_offsets(run.x0_preds[shown, :k].reshape(-1, 2).numpy())
            a["start_pts"].set_offsets(xs[0])
            a["end_pts"].set_offsets(xs[-1])
            a["samples"].set_offsets(run.samples.numpy())
        return self.a
