"""ipywidgets explorers: move a slider, see what changes.

    ScheduleExplorer   β, ᾱ, signal/noise and log-SNR for two schedules side by side
    ForwardExplorer    x_t for a t slider; closed form q(x_t|x_0) against t chained steps
    SamplerExplorer    steps S, η (and σ̂), τ spacing, seed, model: τ grid, x_t / x̂₀ strip, samples
    StepThrough        Prev / Next / Play through one sampling run with the numbers of Eq. 12
    CompareExplorer    two panels from the same x_T: η=0 vs η=1, or S=10 vs S=1000

Widgets are thin: callbacks call package functions and plot. Each explorer draws into one matplotlib
Figure kept for its lifetime and shows it as a PNG in a fixed-size ``Image`` (no flicker, no stacking),
caches results by their settings, and shows any error from a callback in its status line. An explorer
is displayed by itself (``SamplerExplorer()`` as a cell's last line) and also carries the current figure
as a static ``image/png`` so that a saved notebook reads well without a kernel.
"""
from __future__ import annotations

import base64
import html
import time
import traceback

import ipywidgets as W
import numpy as np
import torch

from . import plots
from .data import POINT_SETS, load_dataset
from .experiments import DENOISERS, get_denoiser, is_image_model, run_sampler
from .forward import chain_moments, q_sample
from .sampling import ddim_coefficients
from .schedule import SCHEDULE_KINDS, make_schedule
from .timesteps import SPACINGS

__all__ = ["ScheduleExplorer", "ForwardExplorer", "SamplerExplorer", "StepThrough", "CompareExplorer", "step_options"]


def step_options(T: int = 1000) -> list[int]:
    """Step counts for a slider with a log-scale feel: 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, ... T."""
    vals = np.unique(np.round(np.logspace(0, np.log10(T), 40)).astype(int))
    return sorted(set(vals.tolist()) | {10, 20, 50, 100, T})


class _Explorer:
    """Shared machinery: figure, image, status line, caches, error display, static fallback.

    A subclass defines ``_key()`` (the settings, hashable) and ``_update()`` (compute and draw; returns
    a status line). A setting seen before is restored from the cache: result, picture and status.
    """

    width, height = 12.0, 5.0
    dpi = 72

    def __init__(self):
        self.figure = plots.new_figure(self.width, self.height, dpi=self.dpi)
        px_w, px_h = int(self.width * self.dpi), int(self.height * self.dpi)
        self.image = W.Image(format="png", layout=W.Layout(width=f"{px_w}px", height=f"{px_h}px", object_fit="contain"))
        self.status = W.HTML(layout=W.Layout(min_height="2.5em"))
        self.result = None
        self.error: Exception | None = None
        self.last_seconds = 0.0
        self.n_draws = 0
        self._cache: dict = {}  # computed results, by the settings that produced them
        self._frames: dict = {}  # (result, png, status) of every drawn setting

    def _finish(self, controls):
        for c in controls:
            c.observe(self._on_change, names="value")
        self.widget = W.VBox([W.HBox(controls[:4], layout=W.Layout(flex_flow="row wrap")),
                              W.HBox(controls[4:], layout=W.Layout(flex_flow="row wrap")), self.image, self.status])
        self._on_change()

    def _cached(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def _on_change(self, change=None):
        t0 = time.perf_counter()
        try:
            key = self._key()
            if key in self._frames:
                self.result, png, info = self._frames[key]
            else:
                info = self._update()
                png = plots.figure_to_png(self.figure)
                self._frames[key] = (self.result, png, info)
            self.image.value = png
            self.error = None
            self.last_seconds = time.perf_counter() - t0
            self.n_draws += 1
            self.status.value = f"<span style='color:#444'>{info or ''} <i>({1000 * self.last_seconds:.0f} ms)</i></span>"
        except Exception as e:  # shown, never swallowed
            self.error = e
            tb = "".join(traceback.format_exception_only(type(e), e)).strip()
            self.status.value = f"<pre style='color:#b00020;white-space:pre-wrap'>{html.escape(tb)}</pre>"

    def _controls_key(self, controls):
        return tuple(c.value for c in controls)

    def _key(self):
        raise NotImplementedError

    def _update(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if self.image.value:
            data["image/png"] = base64.b64encode(self.image.value).decode()
        return bundle


# ---- schedules ---------------------------------------------------------------------------------------
class ScheduleExplorer(_Explorer):
    width, height = 13.0, 3.6

    def __init__(self, kind_a: str = "linear", kind_b: str = "cosine", T: int = 1000):
        super().__init__()
        kinds = [k for k in SCHEDULE_KINDS if k != "custom"]
        self.kind_a = W.Dropdown(options=kinds, value=kind_a, description="schedule A")
        self.kind_b = W.Dropdown(options=kinds, value=kind_b, description="schedule B")
        self.T = W.IntSlider(value=T, min=10, max=2000, step=10, description="T", continuous_update=False)
        self.beta_range = W.FloatRangeSlider(value=(1e-4, 0.02), min=1e-5, max=0.05, step=1e-5, readout_format=".5f",
                                             description="β range", continuous_update=False)
        self.zero_snr = W.Checkbox(value=False, description="zero terminal SNR (Lin et al.)")
        self.axes = self.figure.subplots(1, 4)
        self._finish([self.kind_a, self.kind_b, self.T, self.beta_range, self.zero_snr])

    def _key(self):
        return self._controls_key([self.kind_a, self.kind_b, self.T, self.beta_range, self.zero_snr])

    def _schedule(self, kind):
        kw = {}
        if kind in ("linear", "sigmoid"):
            kw = dict(beta_start=self.beta_range.value[0], beta_end=self.beta_range.value[1])
        return make_schedule(kind, T=self.T.value, zero_terminal_snr=self.zero_snr.value, **kw)

    def _update(self):
        key = (self.kind_a.value, self.kind_b.value, self.T.value, self.beta_range.value, self.zero_snr.value)
        self.result = self._cached(key, lambda: {f"A: {self.kind_a.value}": self._schedule(self.kind_a.value),
                                                 f"B: {self.kind_b.value}": self._schedule(self.kind_b.value)})
        for ax in self.axes:
            ax.clear()
        plots.plot_schedules(self.axes, self.result)
        a, b = self.result.values()
        return (f"ᾱ_T: A = {a.alphas_cumprod[-1].item():.2e}, B = {b.alphas_cumprod[-1].item():.2e}"
                + ("  (β range applies to linear and sigmoid)" if {a.kind, b.kind} - {"linear", "sigmoid"} else ""))


# ---- forward process ---------------------------------------------------------------------------------
class ForwardExplorer(_Explorer):
    width, height = 12.0, 4.2

    def __init__(self, data: str = "digits", t: int = 100, seed: int = 0):
        super().__init__()
        self.schedule = make_schedule("linear", T=1000)
        self.data = W.Dropdown(options=("digits",) + POINT_SETS, value=data, description="data")
        self.t = W.IntSlider(value=t, min=0, max=self.schedule.T - 1, description="t", continuous_update=True)
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description="seed")
        self.ax_x, self.ax_m = self.figure.subplots(1, 2, width_ratios=[1, 1.4])
        self._finish([self.data, self.t, self.seed])

    def _key(self):
        return self._controls_key([self.data, self.t, self.seed])

    def _moments(self):
        # one data point, n copies through t chained steps (computed once per data set)
        x0 = torch.tensor([0.8, -0.6]) if self.data.value != "digits" else torch.tensor([0.8])
        g = torch.Generator().manual_seed(self.seed.value)
        return chain_moments(self.schedule, x0, n=4000, generator=g)

    def _update(self):
        name, t = self.data.value, self.t.value
        x0 = self._cached(("x0", name), lambda: load_dataset(name, "test").x[: 16 if name == "digits" else 1000])
        noise = self._cached(("noise", name, self.seed.value),
                             lambda: torch.randn(x0.shape, generator=torch.Generator().manual_seed(self.seed.value)))
        x_t = q_sample(self.schedule, x0, t, noise=noise)
        mean_c, var_c = self._cached(("moments", name, self.seed.value), self._moments)
        self.result = {"x_t": x_t, "t": t}
        self.ax_x.clear()
        if name == "digits":
            plots.show_images(self.ax_x, x_t, 4, title=f"x_t ~ q(x_t | x_0), t = {t}")
        else:
            plots.plot_points(self.ax_x, x_t, ref=x0, title=f"x_t ~ q(x_t | x_0), t = {t}", lim=4)
        ax = self.ax_m
        ax.clear()
        ts = np.arange(self.schedule.T)
        ab = self.schedule.alphas_cumprod.numpy()
        ax.plot(ts, np.sqrt(ab), color=plots.PALETTE[0], label="closed form √ᾱ_t (mean / x_0)")
        ax.plot(ts, 1 - ab, color=plots.PALETTE[1], label="closed form 1-ᾱ_t (variance)")
        ax.plot(ts[::20], mean_c.numpy()[::20], "o", ms=4, color=plots.PALETTE[0], label="t chained steps: mean / x_0")
        ax.plot(ts[::20], var_c.numpy()[::20], "s", ms=4, color=plots.PALETTE[1], label="t chained steps: variance")
        ax.axvline(t, color="k", lw=1)
        ax.set_xlabel("t")
        ax.set_title("q(x_t|x_0) against ∏ q(x_s|x_{s-1})")
        ax.legend(fontsize=8)
        self.result.update(closed_var=float(1 - ab[t]), chained_var=float(var_c[t]),
                           closed_mean=float(np.sqrt(ab[t])), chained_mean=float(mean_c[t]))
        return (f"t={t}: closed form mean coef {np.sqrt(ab[t]):.4f}, var {1 - ab[t]:.4f} | "
                f"chained (4000 copies) mean coef {float(mean_c[t]):.4f}, var {float(var_c[t]):.4f}")


# ---- sampler -----------------------------------------------------------------------------------------
def _n_for(name: str) -> int:
    return 16 if is_image_model(name) else 500


class _SamplerControls:
    def _make_sampler_controls(self, model, S, eta, spacing, seed):
        self.model = W.Dropdown(options=DENOISERS, value=model, description="model")
        self.steps = W.SelectionSlider(options=step_options(1000), value=S, description="steps S", continuous_update=False)
        self.eta = W.FloatSlider(value=eta, min=0.0, max=1.0, step=0.05, description="η", continuous_update=False)
        self.sigma_hat = W.Checkbox(value=False, description="σ̂ (large variance, App. D.3)")
        self.spacing = W.Dropdown(options=SPACINGS, value=spacing, description="τ spacing")
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description="seed")

    def _key(self):
        extra = [self.step] if hasattr(self, "step") else [self.mode] if hasattr(self, "mode") else []
        return self._controls_key([self.model, self.steps, self.eta, self.sigma_hat, self.spacing, self.seed] + extra)

    def _eta_value(self):
        return "sigma_hat" if self.sigma_hat.value else float(self.eta.value)

    def _run(self, S=None, eta=None, seed=None):
        name = self.model.value
        key = (name, S or self.steps.value, self._eta_value() if eta is None else eta, self.spacing.value,
               self.seed.value if seed is None else seed)
        return self._cached(key, lambda: run_sampler(name, key[1], key[2], key[3], key[4], n=_n_for(name)))


class SamplerExplorer(_SamplerControls, _Explorer):
    """The centre piece. Artists are made once per kind of model and updated in place on each change."""

    width, height = 12.5, 5.6

    def __init__(self, model: str = "digits", S: int = 20, eta: float = 0.0, spacing: str = "leading", seed: int = 0):
        super().__init__()
        self._make_sampler_controls(model, S, eta, spacing, seed)
        self._layout_for = None
        self._finish([self.model, self.steps, self.eta, self.sigma_hat, self.spacing, self.seed])

    def _build_axes(self, image: bool, name: str):
        from matplotlib.collections import LineCollection

        fig = self.figure
        fig.clear()
        a = {}
        if image:
            gs = fig.add_gridspec(3, 14, height_ratios=[0.45, 1, 1], left=0.03, right=0.99, top=0.92, bottom=0.1,
                                  wspace=0.08, hspace=0.35)
            a["tau"] = fig.add_subplot(gs[0, :10])
            a["xs"] = [fig.add_subplot(gs[1, j]) for j in range(10)]
            a["x0"] = [fig.add_subplot(gs[2, j]) for j in range(10)]
            a["out"] = fig.add_subplot(gs[1:, 10:])
            blank = np.zeros((8, 8))
            a["xs_im"] = [ax.imshow(blank, cmap="gray_r", vmin=0, vmax=1) for ax in a["xs"]]
            a["x0_im"] = [ax.imshow(blank, cmap="gray_r", vmin=0, vmax=1) for ax in a["x0"]]
            a["out_im"] = a["out"].imshow(blank, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            for ax in a["xs"] + a["x0"] + [a["out"]]:
                ax.set_xticks([])
                ax.set_yticks([])
            a["xs"][0].set_ylabel("x_t")
            a["x0"][0].set_ylabel("x̂₀")
            a["out"].set_title("samples x_0")
        else:
            gs = fig.add_gridspec(2, 2, height_ratios=[0.22, 1], left=0.05, right=0.98, top=0.93, bottom=0.07,
                                  wspace=0.15, hspace=0.45)
            a["tau"] = fig.add_subplot(gs[0, :])
            a["traj"], a["out"] = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])
            ref = get_denoiser(name)[2][:1000].numpy()
            for ax, title in ((a["traj"], "trajectories (grey), x̂₀ per step (red ×)"), (a["out"], "samples x_0")):
                ax.scatter(ref[:, 0], ref[:, 1], s=2, color="0.82")
                ax.set_xlim(-3.5, 3.5)
                ax.set_ylim(-3.5, 3.5)
                ax.set_aspect("equal")
                ax.set_xticks([])  # tick labels cost half of a redraw; the coordinates carry no lesson
                ax.set_yticks([])
                ax.set_title(title)
            a["paths"] = a["traj"].add_collection(LineCollection([], colors="0.45", linewidths=0.8, alpha=0.8))
            a["x0_pts"] = a["traj"].scatter([], [], s=8, marker="x", color=plots.PALETTE[1], alpha=0.6)
            a["end_pts"] = a["traj"].scatter([], [], s=12, color=plots.PALETTE[0], zorder=3)
            a["samples"] = a["out"].scatter([], [], s=3, color=plots.PALETTE[0])
        a["tau"].set_xlim(-10, 1010)
        a["tau"].set_ylim(0, 1)
        a["tau"].set_yticks([])
        a["tau_lines"] = a["tau"].add_collection(LineCollection([], colors=plots.PALETTE[0], linewidths=1.2))
        a["tau_title"] = a["tau"].set_title("τ")
        self.axes = a
        self._layout_for = (image, name)

    def _update(self):
        name = self.model.value
        image = is_image_model(name)
        run = self._run()
        self.result = run
        if self._layout_for != (image, name):
            self._build_axes(image, name)
        a = self.axes
        T = get_denoiser(name)[1].T
        a["tau_lines"].set_segments([[(t, 0), (t, 1)] for t in run.timesteps])
        a["tau_title"].set_text(f"τ: {len(run.timesteps)} of {T} timesteps ({run.spacing})")
        if image:
            cols = plots.step_columns(len(run.timesteps), 10)
            for j in range(10):
                vis = j < len(cols)
                a["xs_im"][j].set_visible(vis)
                a["x0_im"][j].set_visible(vis)
                a["xs"][j].set_title(f"t={run.timesteps[cols[j]]}" if vis else "", fontsize=9)
                if vis:
                    a["xs_im"][j].set_data(plots.image_grid(run.xs[cols[j], :1], 1))
                    a["x0_im"][j].set_data(plots.image_grid(run.x0_preds[cols[j], :1], 1))
            grid = plots.image_grid(run.samples, 4)
            a["out_im"].set_data(grid)
            a["out_im"].set_extent((-0.5, grid.shape[1] - 0.5, grid.shape[0] - 0.5, -0.5))
        else:
            k = 40
            xs = run.xs[:, :k].numpy()
            a["paths"].set_segments([xs[:, j] for j in range(xs.shape[1])])
            a["x0_pts"].set_offsets(run.x0_preds[:, :k].reshape(-1, 2).numpy())
            a["end_pts"].set_offsets(xs[-1])
            a["samples"].set_offsets(run.samples.numpy())
        eta = "σ̂" if run.eta == "sigma_hat" else f"{run.eta:.2f}"
        return f"{name}: S = {run.S} network calls (T/S = {T / run.S:.0f}× fewer than DDPM), η = {eta}, τ = {run.spacing}"


# ---- step-through ------------------------------------------------------------------------------------
class StepThrough(_SamplerControls, _Explorer):
    width, height = 12.0, 3.6

    def __init__(self, model: str = "digits", S: int = 10, eta: float = 0.0, spacing: str = "leading", seed: int = 0):
        super().__init__()
        self._make_sampler_controls(model, S, eta, spacing, seed)
        self.step = W.IntSlider(value=0, min=0, max=S - 1, description="step i", continuous_update=True)
        self.play = W.Play(value=0, min=0, max=S - 1, interval=700, description="play")
        W.link((self.play, "value"), (self.step, "value"))
        self.prev = W.Button(description="◀ Prev", layout=W.Layout(width="90px"))
        self.next = W.Button(description="Next ▶", layout=W.Layout(width="90px"))
        self.prev.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(+1))
        self.equation = W.HTMLMath()
        self.axes = self.figure.subplots(1, 3)
        controls = [self.model, self.steps, self.eta, self.sigma_hat, self.spacing, self.seed, self.step]
        for c in controls:
            c.observe(self._on_change, names="value")
        self.widget = W.VBox([W.HBox(controls[:4], layout=W.Layout(flex_flow="row wrap")),
                              W.HBox(controls[4:6], layout=W.Layout(flex_flow="row wrap")),
                              W.HBox([self.prev, self.play, self.next, self.step]), self.image, self.equation, self.status])
        self._on_change()

    def _move(self, d: int):
        self.step.value = int(np.clip(self.step.value + d, 0, self.step.max))

    def _update(self):
        run = self._run()
        S = len(run.timesteps)
        if self.step.max != S - 1:  # a new step count: restart at step 0
            self.step.max = self.play.max = S - 1
            if self.step.value > S - 1:
                self.step.value = S - 1
        i = self.step.value
        st = run.steps[i]
        eta = 1.0 if run.eta == "sigma_hat" else run.eta
        c = ddim_coefficients(st["alpha_bar"], st["alpha_bar_prev"], eta)
        c["noise"] = st["sigma"]
        self.result = {"i": i, "t": st["t"], "t_prev": st["t_prev"], "alpha_bar": st["alpha_bar"],
                       "alpha_bar_prev": st["alpha_bar_prev"], "sigma": st["sigma"], "coefficients": c}
        panels = [(run.xs[i], f"x_t, t = {st['t']}"), (run.x0_preds[i], "x̂₀ (predicted answer sheet)"),
                  (run.xs[i + 1], f"x_t_prev, t_prev = {st['t_prev']}")]
        ref = None if is_image_model(run.name) else get_denoiser(run.name)[2][:1000]
        for ax, (x, title) in zip(self.axes, panels):
            ax.clear()
            if ref is None:
                plots.show_images(ax, x[:16], 4, title=title)
            else:
                plots.plot_points(ax, x, ref=ref, title=title)
        self.equation.value = (
            f"step {i + 1} of {S}: $t = {st['t']},\\ t_{{prev}} = {st['t_prev']},\\ \\bar\\alpha_t = {st['alpha_bar']:.5f},\\ "
            f"\\bar\\alpha_{{prev}} = {st['alpha_bar_prev']:.5f},\\ \\sigma_t = {st['sigma']:.5f}$<br>"
            f"$x_{{t_{{prev}}}} = \\sqrt{{\\bar\\alpha_{{prev}}}}\\,\\hat x_0 + \\sqrt{{1-\\bar\\alpha_{{prev}}-\\sigma_t^2}}\\,"
            f"\\epsilon_\\theta(x_t,t) + \\sigma_t z = {c['x0']:.4f}\\,\\hat x_0 + {c['eps']:.4f}\\,\\epsilon_\\theta + {c['noise']:.4f}\\,z$"
        )
        return f"{run.name}: step {i + 1}/{S}, t = {st['t']} → {st['t_prev']}"


# ---- comparison --------------------------------------------------------------------------------------
class CompareExplorer(_SamplerControls, _Explorer):
    width, height = 11.0, 4.8
    MODES = ("η=0 vs η=1", "S=10 vs S=1000")

    def __init__(self, model: str = "digits", mode: str = "η=0 vs η=1", S: int = 50, eta: float = 0.0, seed: int = 0):
        super().__init__()
        self._make_sampler_controls(model, S, eta, "leading", seed)
        self.mode = W.ToggleButtons(options=self.MODES, value=mode, description="compare")
        self.axes = self.figure.subplots(1, 2)
        self._finish([self.mode, self.model, self.steps, self.eta, self.spacing, self.seed])

    def _update(self):
        if self.mode.value == self.MODES[0]:
            runs = [self._run(eta=0.0), self._run(eta=1.0)]
            titles = [f"η = 0, S = {self.steps.value}", f"η = 1, S = {self.steps.value}"]
        else:
            runs = [self._run(S=10), self._run(S=1000)]
            titles = [f"S = 10, η = {self.eta.value:.2f}", f"S = 1000, η = {self.eta.value:.2f}"]
        a, b = runs[0].samples, runs[1].samples
        self.result = {"left": a, "right": b, "mean_abs_diff": float((a - b).abs().mean())}
        ref = None if is_image_model(self.model.value) else get_denoiser(self.model.value)[2][:1000]
        for ax, x, title in zip(self.axes, (a, b), titles):
            ax.clear()
            if ref is None:
                plots.show_images(ax, x, 4, title=title)
            else:
                plots.plot_points(ax, x, ref=ref, title=title)
        return f"same x_T (seed {self.seed.value}); mean |left - right| = {self.result['mean_abs_diff']:.4f}"
