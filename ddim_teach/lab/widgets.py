"""ipywidgets explorers: move a slider, see what changes.

    ScheduleExplorer   β, ᾱ, signal/noise and log-SNR for two schedules side by side
    ForwardExplorer    x_t for a t slider; closed form q(x_t|x_0) against t chained steps
    SamplerExplorer    steps S, η (and σ̂), τ spacing, seed, model: τ grid, x_t / x̂₀ strip, samples
    StepThrough        Prev / Next / Play through one sampling run with the numbers of Eq. 12
    CompareExplorer    two panels from the same x_T: η=0 vs η=1, or S=10 vs S=1000

Widgets are thin: callbacks call package functions (sampling, forward, experiments) and draw with
:mod:`ddim_teach.lab.plots`, the functions the notebooks use. Every explorer takes ``lang=None`` ("ko" or
"en"; None is the session's ``dt.get_language()``) and draws its labels, buttons and status lines in it.

For a projector: the picture fills the width of the output area and keeps its aspect ratio; figure
fonts are sized so that no text is under 18 px when the picture is ~1450 px wide (1920×1080), and the
controls use 20 px text. Time labels use the paper's t = 1…T; the step after the last reads t = 0 (x_0).
"""
from __future__ import annotations

import asyncio
import atexit
import base64
import html
import os
import threading
import time
import traceback
from collections import OrderedDict

import ipywidgets as W
import numpy as np
import torch

from . import plots
from ..data import POINT_SETS, load_dataset
from ..experiments.records import DENOISERS, IMAGE28, get_denoiser, is_image_model, run_sampler
from ..core.forward import chain_moments, q_sample
from ..i18n import LANGUAGES, get_language, load_catalog, tr
from ..core.step import ddim_coefficients
from ..core.schedule import SCHEDULE_KINDS, make_schedule
from ..core.timesteps import SPACINGS

__all__ = ["ScheduleExplorer", "ForwardExplorer", "SamplerExplorer", "StepThrough", "CompareExplorer", "step_options", "LRUCache",
           "RUNS", "shared_run", "prepare_runs"]

load_catalog("widgets")  # the texts: ddim_teach/messages/widgets.toml

# Controls at 20 px for a projector. ipywidgets reads its sizes from CSS variables; setting them on the
# explorer's box scales every label, readout, button and slider inside it (JupyterLab and Voila alike).
_CSS = """<style>
/* the page around the explorers (Voila's app page, a lecture in any lab): prose 20 px, code 18 px at 1920×1080 */
:root { --jp-content-font-size1: 20px; --jp-code-font-size: 18px; }
.ddim-explorer { --jp-widgets-font-size: 20px; --jp-widgets-inline-height: 36px; --jp-widgets-slider-handle-size: 18px;
  --jp-widgets-inline-label-width: auto; }
.ddim-explorer .widget-label, .ddim-explorer .widget-readout, .ddim-explorer .widget-label-basic,
.ddim-explorer .widget-html-content, .ddim-explorer .widget-htmlmath-content, .ddim-explorer button,
.ddim-explorer select, .ddim-explorer input, .ddim-explorer .widget-dropdown > select { font-size: 20px !important; }
.ddim-explorer .widget-readout { min-width: 4em; }
.ddim-explorer .widget-hbox > .widget-inline-hbox { margin-right: 1.2em; }  /* a gap between neighbouring controls */
.ddim-explorer .ddim-picture, .ddim-explorer .ddim-picture img { width: 100% !important; height: auto !important; }
.ddim-explorer .widget-hbox > .widget-inline-hbox.ddim-step-box { width: 110px !important; min-width: 110px !important;
  max-width: 110px !important; flex: 0 0 110px !important; }
.ddim-explorer .widget-hbox > .widget-inline-hbox.ddim-step-box input { width: 100% !important; min-width: 0 !important; }
/* computing: the picture dims at once and the status says so (the kernel sends this before it computes) */
.ddim-explorer.ddim-busy .ddim-picture { opacity: 0.35; transition: opacity 0.1s; }
.ddim-explorer .ddim-equation, .ddim-explorer .ddim-equation .widget-htmlmath-content { white-space: normal !important;
  overflow-wrap: anywhere; }
</style>"""


def step_options(T: int = 1000) -> list[int]:
    """Step counts for a slider with a log-scale feel: 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, ... T."""
    vals = np.unique(np.round(np.logspace(0, np.log10(T), 40)).astype(int))
    return sorted(set(vals.tolist()) | {10, 20, 50, 100, T})


class LRUCache(OrderedDict):
    """A dict that keeps its ``maxsize`` most recently used entries."""

    def __init__(self, maxsize: int):
        super().__init__()
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, got {maxsize}")
        self.maxsize = maxsize

    def get_or_compute(self, key, fn):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = fn()
        self[key] = value
        while len(self) > self.maxsize:
            self.popitem(last=False)
        return value


# One cache of sampler runs for every explorer of the session: a run that SamplerExplorer computed is reused by
# StepThrough and CompareExplorer (and the other way round). A run being computed (in the foreground or by
# ``prepare_runs`` in the background) is computed once: a second caller waits for it.
RUNS = LRUCache(12)  # a digits run at S = 1000 keeps its trajectory: about 25 MB
_RUNS_LOCK = threading.Lock()
_RUNS_PENDING: dict = {}


def shared_run(key: tuple, fn):
    """The run for ``key`` from the session's cache, computed by ``fn()`` once (thread-safe)."""
    with _RUNS_LOCK:
        if key in RUNS:
            RUNS.move_to_end(key)
            return RUNS[key]
        event = _RUNS_PENDING.get(key)
        owner = event is None
        if owner:
            event = _RUNS_PENDING[key] = threading.Event()
    if not owner:
        event.wait()
        with _RUNS_LOCK:
            if key in RUNS:
                return RUNS[key]
        return shared_run(key, fn)  # the other caller failed: compute it here, showing the error
    try:
        value = fn()
        with _RUNS_LOCK:
            RUNS[key] = value
            while len(RUNS) > RUNS.maxsize:
                RUNS.popitem(last=False)
        return value
    finally:
        with _RUNS_LOCK:
            _RUNS_PENDING.pop(key, None)
        event.set()


def _run_key(name, S, eta, spacing, seed):
    return (name, int(S), eta if eta == "sigma_hat" else float(eta), spacing, int(seed), _n_for(name))


def prepare_runs(settings, background: bool = True):
    """Compute the runs of ``settings`` (tuples ``(model, S, eta, spacing, seed)``) into the shared cache, in a
    background thread by default, so that a "Try this" setting (S = 1000, S = 10 vs 1000) is ready when the
    lecturer reaches it. ``DDIM_PREPARE=0`` in the environment turns this off. Returns the thread (or None)."""
    settings = [tuple(s) for s in settings]
    for s in settings:
        if len(s) != 5:
            raise ValueError(f"prepare_runs: each setting is (model, S, eta, spacing, seed), got {s!r}")
    if os.environ.get("DDIM_PREPARE", "1") == "0" or not settings:
        return None

    def work():
        for name, S, eta, spacing, seed in settings:
            if _PREPARE_STOP.is_set():  # the interpreter is exiting: start nothing new
                return
            key = _run_key(name, S, eta, spacing, seed)
            try:
                shared_run(key, lambda: run_sampler(name, key[1], key[2], spacing, key[4], n=key[5]))
            except Exception:  # the foreground computes it again and shows the error
                pass

    if not background:
        work()
        return None
    thread = threading.Thread(target=work, name="ddim-prepare", daemon=True)
    _PREPARE_THREADS[:] = [t for t in _PREPARE_THREADS if t.is_alive()] + [thread]
    thread.start()
    return thread


_PREPARE_STOP = threading.Event()
_PREPARE_THREADS: list = []


@atexit.register
def _finish_preparing(timeout: float = 300.0) -> None:
    """At exit, let a background thread finish the run it is in (seconds: S = 1000 on digits) and start no other:
    torch code still running in a daemon thread while the interpreter shuts down aborts the process ("terminate
    called without an active exception", exit code -6; seen with `python benchmarks/run_all.py --only widget_latency`)."""
    _PREPARE_STOP.set()
    for thread in _PREPARE_THREADS:
        thread.join(timeout)


def _reference(name: str) -> torch.Tensor:
    return get_denoiser(name).reference


def _schedule_of(name: str):
    return get_denoiser(name).schedule


def _from_browser(change) -> bool:
    """True when the change came from the browser: ipywidgets holds a property lock while it applies
    a front-end update. Changes made by Python code (tests, notebook cells, links) redraw at once."""
    if not change or "owner" not in change:
        return False
    return change["name"] in getattr(change["owner"], "_property_lock", {})


def _label_style():
    return {"description_width": "initial"}


class _Explorer:
    """Shared machinery of every explorer: figure, picture, status line, caches, errors, coalescing.

    Contract for a subclass (the explorers here and ``ddim_teach.lab.solver_widget.SolverExplorer``):

    - ``width, height`` (inches) size the figure and ``dpi`` its PNG. Fonts follow from ``width``
      (``plots.widget_style``): no text is under 18 px once the picture fills a ~1450 px output area.
      ``layout`` is passed to the Figure ("constrained", or None for hand-placed axes).
    - ``__init__(..., lang=None)`` calls ``super().__init__(lang)`` first; builds its controls with
      ``self.tr(key)`` labels (``self.control_style()`` gives the label style); may create axes on
      ``self.figure``; and ends with ``self._finish(controls)`` (one wrapped row of controls), or
      ``self._finish(controls, rows=[[...], [...]], extra=[...])`` for its own rows and widgets under
      the picture. ``_finish`` observes the controls and draws once.
    - ``_key()`` returns the hashable settings of everything drawn (``self._controls_key(controls)``).
    - ``_update()`` computes (through ``self._cached(key, fn)``), sets ``self.result``, draws on
      ``self.figure`` and returns the status line (HTML). It runs inside ``self.style()`` (rcParams).
    - ``_sync()`` (optional) adjusts controls that depend on others, such as a slider's range. It runs
      before ``_key()``; the value changes it makes trigger no redraw (no re-entrancy).

    The base provides: LRU caches of results (``_cache``) and of drawn frames (``_frames``, PNG and
    status by key), ``clear_caches()``, error display (``self.error``, red status line, never
    swallowed), timing (``last_seconds``, ``n_draws``), coalescing (a change from the browser is drawn
    after ``coalesce_delay`` seconds with the newest settings, so a held key drops stale redraws
    instead of queueing them; changes from Python draw at once), and a static ``image/png`` in the
    display bundle so that a saved notebook shows the picture without a kernel.
    """

    width, height = 12.0, 5.0
    dpi = 110
    layout: str | None = "constrained"
    freeze_layout = False  # True: the constrained layout is solved at the first draw only, then kept (a fixed frame)
    cache_size = 16  # results (a digits run keeps its whole trajectory: about 25 MB at S = 1000)
    frame_size = 32  # drawn frames: PNG (about 100 KB), status and the result they show
    shown_with_frame: tuple = ()  # names of widgets whose value belongs to the picture (cached with the frame)
    coalesce_delay = 0.03  # seconds: lets the kernel read the key presses already queued

    def __init__(self, lang: str | None = None):
        lang = lang or get_language()
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))} or None, got {lang!r}")
        self.lang = lang
        with self.style():
            self.figure = plots.new_figure(self.width, self.height, dpi=self.dpi, layout=self.layout)
        self.image = W.Image(format="png", layout=W.Layout(width="100%", height="auto"))
        self.image.add_class("ddim-picture")
        self.status = W.HTML(layout=W.Layout(min_height="1.6em"))
        self.result = None
        self.error: Exception | None = None
        self.last_seconds = 0.0
        self.n_draws = 0
        self._cache = LRUCache(self.cache_size)
        self._frames = LRUCache(self.frame_size)
        self._syncing = False
        self._pending = None
        self._drawn_key = None
        self.preparing = None  # the thread computing the "Try this" runs (prepare_runs), if any

    # -- for subclasses --------------------------------------------------------------------------------
    def tr(self, key: str, **fields) -> str:
        return tr(key, self.lang, **fields)

    def style(self):
        import matplotlib as mpl

        return mpl.rc_context(plots.widget_style(self.width))

    @staticmethod
    def control_style():
        return _label_style()

    def _finish(self, controls, rows=None, extra=()):
        self.controls = list(controls)
        for c in self.controls:
            c.observe(self._on_change, names="value")
        row_layout = W.Layout(flex_flow="row wrap", align_items="center", width="100%")
        boxes = [W.HBox(r, layout=row_layout) for r in (rows or [self.controls])]
        self.widget = W.VBox([W.HTML(_CSS), *boxes, self.image, *extra, self.status], layout=W.Layout(width="100%"))
        self.widget.add_class("ddim-explorer")
        self.redraw()
        if self.freeze_layout and self.layout == "constrained" and self.error is None:
            self.figure.set_layout_engine("none")  # the axes keep the positions of the first draw

    def _controls_key(self, controls):
        return tuple(c.value for c in controls)

    def _cached(self, key, fn):
        return self._cache.get_or_compute(key, fn)

    def _sync(self):
        pass

    def _after_draw(self, key):
        """Called once the picture for ``key`` is shown (e.g. to compute the next settings ahead)."""

    def _key(self):
        raise NotImplementedError

    def _update(self) -> str:
        raise NotImplementedError

    # -- machinery -------------------------------------------------------------------------------------
    def clear_caches(self):
        self._cache.clear()
        self._frames.clear()
        self._drawn_key = None

    def _on_change(self, change=None):
        if self._syncing:  # a control moved by _sync(): the redraw in progress covers it
            return
        if _from_browser(change) and self.coalesce_delay > 0:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            if loop is not None:
                if self._pending is None:  # one redraw at most is waiting; it reads the newest values
                    self._pending = loop.call_later(self.coalesce_delay, self._run_pending)
                return
        self.redraw()

    def _run_pending(self):
        self._pending = None
        self.redraw()

    def redraw(self):
        """Bring the picture up to date with the controls (from the cache when the settings were seen)."""
        t0 = time.perf_counter()
        try:
            self._syncing = True
            try:
                self._sync()
            finally:
                self._syncing = False
            key = self._key()
            if key == self._drawn_key and self.error is None:
                return
            cached = key in self._frames
            if cached:
                self.result, png, info, shown = self._frames.get_or_compute(key, None)
                for name, value in shown.items():  # e.g. StepThrough's Eq. 12 line: it belongs to this picture
                    getattr(self, name).value = value
            else:
                self._set_busy(True)
                with self.style():
                    info = self._update()
                    png = plots.figure_to_png(self.figure)
                shown = {name: getattr(self, name).value for name in self.shown_with_frame}
                self._frames.get_or_compute(key, lambda: (self.result, png, info, shown))
            self.image.value = png
            self.error = None
            self._drawn_key = key
            self._after_draw(key)
            self.last_seconds = time.perf_counter() - t0
            self.n_draws += 1
            when = self.tr("w_cached") if cached else self.tr("w_ms", ms=f"{1000 * self.last_seconds:.0f}")
            self.status.value = f"<span style='color:#333'>{info or ''} <i>({when})</i></span>"
        except Exception as e:  # shown, never swallowed
            self.error = e
            self._drawn_key = None
            tb = "".join(traceback.format_exception_only(type(e), e)).strip()
            self.status.value = f"<pre style='color:#b00020;white-space:pre-wrap'>{html.escape(tb)}</pre>"
        finally:
            self._set_busy(False)

    def _set_busy(self, busy: bool):
        """Dim the picture and say "computing…" at once (the front end gets this before the work starts)."""
        widget = getattr(self, "widget", None)
        if widget is None or busy == ("ddim-busy" in widget._dom_classes):
            return
        if busy:
            widget.add_class("ddim-busy")
            self.status.value = f"<span style='color:#333'><b>{self.tr('w_busy')}</b></span>"
        else:
            widget.remove_class("ddim-busy")

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if self.image.value:
            b64 = base64.b64encode(self.image.value).decode()
            data["image/png"] = b64
            # without a live kernel (a notebook opened untouched, GitHub, a slide on a fresh kernel) JupyterLab
            # shows this instead of the widget: the stored picture and a hint, no dead controls
            data["text/html"] = (f"<div class='ddim-stored'><img src='data:image/png;base64,{b64}' style='width:100%;"
                                 f"height:auto' alt='{html.escape(self.tr('w_stored'))}'/><p style='font-size:20px;"
                                 f"color:#555;margin:0.3em 0'>{html.escape(self.tr('w_stored'))}</p></div>")
        return bundle


# ---- schedules ---------------------------------------------------------------------------------------
class ScheduleExplorer(_Explorer):
    width, height = 12.0, 6.6

    def __init__(self, kind_a: str = "linear", kind_b: str = "cosine", T: int = 1000, lang: str | None = None):
        super().__init__(lang)
        kinds = [k for k in SCHEDULE_KINDS if k != "custom"]
        st = self.control_style()
        self.kind_a = W.Dropdown(options=kinds, value=kind_a, description=self.tr("w_schedule_a"), style=st)
        self.kind_b = W.Dropdown(options=kinds, value=kind_b, description=self.tr("w_schedule_b"), style=st)
        self.T = W.IntSlider(value=T, min=10, max=2000, step=10, description="T", continuous_update=False, style=st)
        self.beta_range = W.FloatRangeSlider(value=(1e-4, 0.02), min=1e-5, max=0.05, step=1e-5, readout_format=".5f",
                                             description=self.tr("w_beta_range"), continuous_update=False, style=st,
                                             layout=W.Layout(width="520px"))
        self.zero_snr = W.Checkbox(value=False, description=self.tr("w_zero_snr"), indent=False, style=st,
                                   layout=W.Layout(width="auto"))
        self.axes = self.figure.subplots(2, 2).ravel()
        self._finish([self.kind_a, self.kind_b, self.T, self.beta_range, self.zero_snr])

    def _key(self):
        return self._controls_key([self.kind_a, self.kind_b, self.T, self.beta_range, self.zero_snr])

    def _schedule(self, kind):
        kw = {}
        if kind in ("linear", "sigmoid"):
            kw = dict(beta_start=self.beta_range.value[0], beta_end=self.beta_range.value[1])
        return make_schedule(kind, T=self.T.value, zero_terminal_snr=self.zero_snr.value, **kw)

    def _update(self):
        self.result = self._cached(self._key(), lambda: {f"A: {self.kind_a.value}": self._schedule(self.kind_a.value),
                                                         f"B: {self.kind_b.value}": self._schedule(self.kind_b.value)})
        for ax in self.axes:
            ax.clear()
        plots.plot_schedules(self.axes, self.result, lang=self.lang)
        a, b = self.result.values()
        note = self.tr("w_sched_note") if {a.kind, b.kind} - {"linear", "sigmoid"} else ""
        return self.tr("w_sched_status", a=f"{a.alphas_cumprod[-1].item():.2e}", b=f"{b.alphas_cumprod[-1].item():.2e}") + note


# ---- forward process ---------------------------------------------------------------------------------
class ForwardExplorer(_Explorer):
    """x_t ~ q(x_t|x_0) at the paper's t (1…T) beside the closed form and t chained steps."""

    width, height = 12.0, 4.9
    n_chain = 4000

    def __init__(self, data: str = "digits", t: int = 100, seed: int = 0, lang: str | None = None):
        super().__init__(lang)
        self.schedule = make_schedule("linear", T=1000)
        st = self.control_style()
        self.data = W.Dropdown(options=("digits",) + POINT_SETS, value=data, description=self.tr("w_data"), style=st)
        self.t = W.IntSlider(value=t, min=1, max=self.schedule.T, description=self.tr("w_timestep_t"), continuous_update=True,
                             style=st, layout=W.Layout(width="520px"))
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description=tr("seed", self.lang), style=st,
                                     layout=W.Layout(width="180px"))
        self.ax_x, self.ax_m = self.figure.subplots(1, 2, width_ratios=[1, 1.55])
        self._finish([self.data, self.t, self.seed])

    def _key(self):
        return self._controls_key([self.data, self.t, self.seed])

    def _moments(self):
        # one data point, n copies through t chained steps (computed once per data set and seed)
        x0 = torch.tensor([0.8, -0.6]) if self.data.value != "digits" else torch.tensor([0.8])
        g = torch.Generator().manual_seed(self.seed.value)
        return chain_moments(self.schedule, x0, n=self.n_chain, generator=g)

    def _update(self):
        name, t = self.data.value, self.t.value  # the paper's t; array index t - 1
        x0 = self._cached(("x0", name), lambda: load_dataset(name, "test").x[: 16 if name == "digits" else 1000])
        noise = self._cached(("noise", name, self.seed.value),
                             lambda: torch.randn(x0.shape, generator=torch.Generator().manual_seed(self.seed.value)))
        x_t = q_sample(self.schedule, x0, t - 1, noise=noise)
        mean_c, var_c = self._cached(("moments", name, self.seed.value), self._moments)
        self.ax_x.clear()
        title = self.tr("w_fwd_title", t=t)
        if name == "digits":
            plots.show_images(self.ax_x, x_t, 4, title=title)
        else:
            plots.plot_points(self.ax_x, x_t, ref=x0, title=title, lim=4, lang=self.lang)
            self.ax_x.set_xticks([])
            self.ax_x.set_yticks([])
        self.ax_m.clear()
        mean, var = plots.plot_forward_moments(self.ax_m, self.schedule, mean_c.numpy(), var_c.numpy(), t, lang=self.lang)
        k = t - 1
        self.result = {"x_t": x_t, "t": t, "closed_mean": float(mean[k]), "closed_var": float(var[k]),
                       "chained_mean": float(mean_c[k]), "chained_var": float(var_c[k])}
        r = self.result
        return self.tr("w_fwd_status", t=t, cm=f"{r['closed_mean']:.4f}", cv=f"{r['closed_var']:.4f}", n=self.n_chain,
                       m=f"{r['chained_mean']:.4f}", v=f"{r['chained_var']:.4f}")


# ---- sampler -----------------------------------------------------------------------------------------
def _n_for(name: str) -> int:
    return 16 if is_image_model(name) else 500


class _SamplerControls:
    def _make_sampler_controls(self, model, S, eta, spacing, seed, sigma_hat=False, models=DENOISERS):
        st = self.control_style()
        if model not in models:
            raise ValueError(f"unknown model {model!r} for {type(self).__name__}; choose one of {', '.join(models)}")
        self.model = W.Dropdown(options=models, value=model, description=self.tr("w_model"), style=st,
                                layout=W.Layout(width="auto"))
        self.steps = W.SelectionSlider(options=step_options(1000), value=S, description=tr("steps_S", self.lang),
                                       continuous_update=False, style=st, layout=W.Layout(width="440px"))
        self.eta = W.FloatSlider(value=eta, min=0.0, max=1.0, step=0.05, description=tr("eta", self.lang),
                                 continuous_update=False, style=st, layout=W.Layout(width="300px"))
        self.sigma_hat = W.Checkbox(value=sigma_hat, description=self.tr("w_sigma_hat"), indent=False, style=st,
                                    layout=W.Layout(width="auto"))
        self.spacing = W.Dropdown(options=SPACINGS, value=spacing, description=tr("spacing_tau", self.lang), style=st,
                                  layout=W.Layout(width="auto"))
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description=tr("seed", self.lang), style=st,
                                     layout=W.Layout(width="180px"))

    def _sampler_key(self):
        return (self.model.value, self.steps.value, self._eta_value(), self.spacing.value, self.seed.value)

    def _eta_value(self):
        return "sigma_hat" if self.sigma_hat.value else float(self.eta.value)

    def _run(self, S=None, eta=None, seed=None):
        name = self.model.value
        key = _run_key(name, S or self.steps.value, self._eta_value() if eta is None else eta, self.spacing.value,
                       self.seed.value if seed is None else seed)
        if key not in RUNS:  # StepThrough asks for its run in _sync(), before redraw() knows it must compute
            self._set_busy(True)
        return shared_run(key, lambda: run_sampler(name, key[1], key[2], key[3], key[4], n=key[5]))

    def _prepare(self, settings):
        """Start computing the runs a "Try this" asks for (see ``prepare_runs``), for image models only (the
        2-D models take milliseconds)."""
        if is_image_model(self.model.value):
            self.preparing = prepare_runs(settings)

    def _ref_or_none(self, name):
        return None if is_image_model(name) else _reference(name)[:1000]


class SamplerExplorer(_SamplerControls, _Explorer):
    """The centre piece: τ grid, x_t / x̂₀ strip (images) or paths (2-D), and the samples.
    Drawn by ``plots.SamplerView``, whose artists are made once per kind of model and updated in place."""

    width, height = plots.SamplerView.IMAGE_SIZE
    dpi = 100
    layout = None  # hand-placed axes: a constrained layout would re-solve on every redraw

    def __init__(self, model: str = "digits", S: int = 20, eta: float = 0.0, spacing: str = "leading", seed: int = 0,
                 lang: str | None = None):
        super().__init__(lang)
        self._make_sampler_controls(model, S, eta, spacing, seed)
        self.view = plots.SamplerView(self.figure, lang=self.lang)
        self._finish([self.model, self.steps, self.eta, self.sigma_hat, self.spacing, self.seed])
        self._prepare([(model, max(self.steps.options), eta, spacing, seed)])  # "Try this": S = 1000

    @property
    def axes(self):
        return self.view.a

    def _key(self):
        return self._sampler_key()

    def _update(self):
        name = self.model.value
        run = self._run()
        self.result = run
        T = _schedule_of(name).T
        self.view.draw(run, T, ref=self._ref_or_none(name))
        eta = "σ̂" if run.eta == "sigma_hat" else f"{run.eta:.2f}"
        key = "w_sampler_status_full" if run.S >= T else "w_sampler_status"
        return self.tr(key, name=name, S=run.S, ratio=f"{T / run.S:.0f}", eta=eta, spacing=run.spacing)


# ---- step-through ------------------------------------------------------------------------------------
class StepThrough(_SamplerControls, _Explorer):
    """One sampling run, step by step: x_t, x̂₀ and the next x with the numbers of Eq. 12.

    The slider counts steps 1…S like the equation ("step 3 of 10"); t is the paper's (1…T), and the
    output of the last step is x_0 at t = 0."""

    width, height = 12.0, 4.45
    shown_with_frame = ("equation",)  # the Eq. 12 line belongs to the picture beside it

    def __init__(self, model: str = "digits", S: int = 10, eta: float = 0.0, spacing: str = "leading", seed: int = 0,
                 lang: str | None = None):
        super().__init__(lang)
        self._make_sampler_controls(model, S, eta, spacing, seed, models=DENOISERS + IMAGE28)
        st = self.control_style()
        self.step = W.IntSlider(value=1, min=1, max=S, description=self.tr("w_step_i"), continuous_update=True, style=st,
                                readout=False, layout=W.Layout(width="400px"))
        # the step as a number box: ↑/↓ in it step through the run from the keyboard, also on a RISE slide,
        # where the slideshow takes Enter, Space and the arrows from buttons and sliders (a text box keeps them)
        self.step_box = W.BoundedIntText(value=1, min=1, max=S, tooltip=self.tr("w_step_keys"))
        self.step_box.add_class("ddim-step-box")
        W.link((self.step_box, "value"), (self.step, "value"))
        self.play = W.Play(value=1, min=1, max=S, interval=900, description=self.tr("w_play"))
        W.link((self.play, "value"), (self.step, "value"))
        self.prev = W.Button(description=self.tr("w_prev"), layout=W.Layout(width="auto"))
        self.next = W.Button(description=self.tr("w_next"), layout=W.Layout(width="auto"))
        self.prev.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(+1))
        self.equation = W.HTMLMath(layout=W.Layout(width="100%"))
        self.equation.add_class("ddim-equation")
        self.axes = self.figure.subplots(1, 3)
        controls = [self.model, self.steps, self.eta, self.sigma_hat, self.spacing, self.seed, self.step]
        rows = [controls[:6], [self.prev, self.play, self.next, self.step, self.step_box]]
        self._finish(controls, rows=rows, extra=[self.equation])

    def _move(self, d: int):
        self.step.value = int(np.clip(self.step.value + d, self.step.min, self.step.max))

    def _sync(self):
        S = len(self._run().timesteps)
        if self.step.max != S:  # a new step count: the slider's range follows (no redraw from here)
            if self.step.value > S:
                self.step.value = S
                self.play.value = S
            self.step.max = self.play.max = self.step_box.max = S

    def _key(self):
        return self._sampler_key() + (self.step.value,)

    def _update(self):
        run = self._run()
        S = len(run.timesteps)
        i = self.step.value  # 1…S, as the equation counts
        st = run.steps[i - 1]
        t, t_prev = plots.paper_t(st["t"]), plots.paper_t(st["t_prev"])
        c = ddim_coefficients(st["alpha_bar"], st["alpha_bar_prev"], run.eta)
        c["noise"] = st["sigma"]  # the noise scale this step of the run used (σ̂: none on the last step)
        self.result = {"i": i, "S": S, "t": t, "t_prev": t_prev, "index": st["t"], "alpha_bar": st["alpha_bar"],
                       "alpha_bar_prev": st["alpha_bar_prev"], "sigma": st["sigma"], "coefficients": c}
        panels = [(run.xs[i - 1], self.tr("w_st_input", t=t)), (run.x0_preds[i - 1], self.tr("w_st_pred")),
                  (run.xs[i], self.tr("w_st_output", t=t_prev))]
        ref = self._ref_or_none(run.name)
        for ax, (x, title) in zip(self.axes, panels):
            plots.plot_panel(ax, x, title=title, ref=ref, lang=self.lang)
        # several short formulas, not one long one: the browser wraps between them on a narrow screen
        self.equation.value = (
            f"<span style='font-size:20px'>{self.tr('w_st_step', i=i, S=S)}: "
            f"$t = {t} \\to t_{{\\rm prev}} = {t_prev},$ $\\bar\\alpha_t = {st['alpha_bar']:.5f},$ "
            f"$\\bar\\alpha_{{t_{{\\rm prev}}}} = {st['alpha_bar_prev']:.5f},$ $\\sigma_t = {st['sigma']:.5f}$<br>"
            f"$x_{{t_{{\\rm prev}}}} = \\sqrt{{\\bar\\alpha_{{t_{{\\rm prev}}}}}}\\,\\hat x_0$ "
            f"$+ \\sqrt{{1-\\bar\\alpha_{{t_{{\\rm prev}}}}-\\sigma_t^2}}\\,\\epsilon_\\theta(x_t,t) + \\sigma_t z$ "
            f"$= {c['x0']:.4f}\\,\\hat x_0$ $+ {c['eps']:.4f}\\,\\epsilon_\\theta$ $+ {c['noise']:.4f}\\,z$</span>"
        )
        return self.tr("w_st_status", name=run.name, i=i, S=S, t=t, t_prev=t_prev)


# ---- comparison --------------------------------------------------------------------------------------
class CompareExplorer(_SamplerControls, _Explorer):
    """Two panels from the same x_T: η = 0 against η = 1 (at S steps), or S = 10 against S = 1000 (at η)."""

    width, height = 12.0, 6.4
    MODES = ("η=0 vs η=1", "S=10 vs S=1000")

    def __init__(self, model: str = "digits", mode: str = "η=0 vs η=1", S: int = 50, eta: float = 0.0, seed: int = 0,
                 lang: str | None = None):
        super().__init__(lang)
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, self.MODES))}, got {mode!r}")
        self._make_sampler_controls(model, S, eta, "leading", seed)
        labels = (self.tr("w_mode_eta"), self.tr("w_mode_S"))
        self.mode = W.ToggleButtons(options=list(zip(labels, self.MODES)), value=mode, description=self.tr("w_compare"),
                                    style={**self.control_style(), "button_width": "auto"})
        self.axes = self.figure.subplots(1, 2)
        self._finish([self.mode, self.model, self.steps, self.eta, self.spacing, self.seed])
        # "Try this": the S = 10 vs S = 1000 comparison at η = 0 and η = 1, and this mode's other η
        self._prepare([(model, S_, e, "leading", seed) for e in (0.0, 1.0) for S_ in (10, 1000)]
                      + [(model, S, e, "leading", seed) for e in (0.0, 1.0)])

    def _key(self):
        return self._sampler_key() + (self.mode.value,)

    def _update(self):
        if self.mode.value == self.MODES[0]:
            runs = [self._run(eta=0.0), self._run(eta=1.0)]
            titles = [f"$\\eta$ = 0, $S$ = {self.steps.value}", f"$\\eta$ = 1, $S$ = {self.steps.value}"]
        else:
            runs = [self._run(S=10), self._run(S=1000)]
            titles = [f"$S$ = 10, $\\eta$ = {self.eta.value:.2f}", f"$S$ = 1000, $\\eta$ = {self.eta.value:.2f}"]
        a, b = runs[0].samples, runs[1].samples
        self.result = {"left": a, "right": b, "mean_abs_diff": float((a - b).abs().mean())}
        ref = self._ref_or_none(self.model.value)
        for ax, x, title in zip(self.axes, (a, b), titles):
            plots.plot_panel(ax, x, title=title, ref=ref, lang=self.lang)
        return self.tr("w_cmp_status", seed=self.seed.value, d=f"{self.result['mean_abs_diff']:.4f}")
