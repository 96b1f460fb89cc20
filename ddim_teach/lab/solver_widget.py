"""SolverExplorer: every registered ODE solver (DDIM = Euler, Heun, DPM-Solver++(2M), and any solver registered
with ``ode=True``) from the same x_T at the same budget of network calls.

The solvers, their labels and their costs come from the sampler registry (``samplers.registry``): a solver
registered there appears here with no change to this module. Controls: the solver to highlight, the NFE
budget, the τ spacing, the seed and a 2-D model. Each solver gets the most steps its budget buys (its
record's ``steps_for``: Heun pays 2 calls per step, 2S − 1 in all), runs from the same x_T, and is drawn in
its own panel: paths x_T → x_0 in grey, x̂₀ at every step as red crosses. A last panel marks where each
solver called the network (the ``calls`` each step reports) on the paper's t = 1…T axis and counts them.
The status line gives, per solver, the distance of its samples to a 100-step DPM-Solver++(2M) solution of
the same ODE from the same x_T (on ``exact:gaussian``: to the exact flow map instead).
"""
from __future__ import annotations

import ipywidgets as W
import torch

from . import plots
from ..experiments.records import get_denoiser, run_sampler, x_T_for
from ..i18n import load_catalog
from ..experiments.flow_map import gaussian_flow_map
from ..samplers.registry import ode_solvers, sampler_label, steps_for_nfe
from ..core.timesteps import SPACINGS, make_timesteps
from .widgets import _Explorer

__all__ = ["SolverExplorer", "SOLVER_MODELS", "NFE_OPTIONS", "plot_error_vs_nfe", "plot_quality_vs_nfe", "solver_label"]

SOLVER_MODELS = ("exact:ring8", "exact:gaussian", "ring8", "moons", "swiss_roll", "checkerboard")
NFE_OPTIONS = (2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50)
N_POINTS, N_PATHS, REF_STEPS = 200, 16, 100

load_catalog("solver_widget")  # the texts: ddim_teach/messages/solver_widget.toml


def solver_label(solver: str, lang: str | None = None) -> str:
    """The display name of a solver in the session's (or the given) language (its registry record's label)."""
    return sampler_label(solver, lang)


def _plain_log_ticks(ax):
    """Tick labels as plain numbers (0.01, 10, 100), which read faster on a projector than 10^k labels."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axis.set_minor_formatter(NullFormatter())


def plot_error_vs_nfe(ax, table: dict, title: str | None = None, lang: str | None = None):
    """Log-log error against NFE, one line per solver (``flow_map.flow_map_errors``'s table), with guides of slope 1
    and 2 through the first point of the first solver; the legend gives each solver's fitted order."""
    from ..i18n import tr
    from ..experiments.flow_map import fitted_order

    for (solver, rows), color in zip(table.items(), plots.PALETTE):
        label = tr("sw_order", lang, label=solver_label(solver, lang), p=f"{fitted_order(rows):.1f}")
        ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", color=color, label=label)
    rows = next(iter(table.values()))
    (n0, e0), n1 = rows[0], rows[-1][0]
    for k, style in ((1, ":"), (2, "--")):
        ax.loglog([n0, n1], [e0, e0 * (n0 / n1) ** k], style, color="0.3", lw=1.2, label=tr("sw_slope", lang, k=k))
    _plain_log_ticks(ax)
    ax.set_xlabel(tr("sw_nfe_axis", lang))
    ax.set_ylabel(tr("sw_err_axis", lang))
    if title:
        ax.set_title(title)
    ax.legend()


def plot_quality_vs_nfe(ax, table: dict, floor: float | None = None, title: str | None = None, scale: float = 1.0,
                        ylabel: str | None = None, lang: str | None = None):
    """Quality (lower is better) against NFE with 95% intervals over seeds (``flow_map.quality_per_nfe``'s table)."""
    from ..i18n import tr

    for (solver, rows), color in zip(table.items(), plots.PALETTE):
        ax.errorbar([r[0] for r in rows], [scale * r[1] for r in rows], yerr=[scale * r[2] for r in rows], fmt="o-",
                    color=color, capsize=4, label=solver_label(solver, lang))
    if floor is not None:
        ax.axhline(scale * floor, color="k", ls=":", label=tr("sw_floor", lang))
    ax.set_xscale("log")
    budgets = [r[0] for r in next(iter(table.values()))]  # the first solver's (Heun's odd counts crowd the axis)
    ax.set_xticks(budgets, [str(b) for b in budgets])
    ax.minorticks_off()
    ax.set_ylim(bottom=0)
    ax.set_xlabel(tr("sw_nfe_axis", lang))
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()


SDE_SOLVER = "euler_maruyama"  # the other end of the dial (lecture 10): same marginals, its own noise on every path


class SolverExplorer(_Explorer):
    """The ODE solvers and the reverse SDE side by side from one x_T; ``result`` holds each run, its NFE and its
    distance to the ODE's solution (for the SDE a distance that does not shrink: it reaches the same distribution,
    not the same points)."""

    width, height = 13.0, 8.6  # the solver panels two by two (each ≥ 400 px at 1920×1080), the calls panel beside them
    dpi = 120
    layout = "constrained"

    def __init__(self, solver: str = "dpmpp_2m", nfe: int = 10, spacing: str = "trailing", seed: int = 0,
                 model: str = "exact:ring8", lang: str | None = None):
        super().__init__(lang)
        self.solvers = (*ode_solvers(), SDE_SOLVER)  # the registry's ODE solvers in registration order, then the SDE
        if solver not in self.solvers:
            raise ValueError(f"solver must be one of {', '.join(self.solvers)}, got {solver!r}")
        if nfe not in NFE_OPTIONS:
            raise ValueError(f"nfe must be one of {NFE_OPTIONS}, got {nfe!r}")
        if model not in SOLVER_MODELS:
            raise ValueError(f"model must be a 2-D model, one of {', '.join(SOLVER_MODELS)}; got {model!r}")
        st = self.control_style()
        self.solver = W.ToggleButtons(options=[(solver_label(s, self.lang), s) for s in self.solvers], value=solver,
                                      description=self.tr("sw_solver"), style={**st, "button_width": "auto"})
        self.nfe = W.SelectionSlider(options=NFE_OPTIONS, value=nfe, description=self.tr("sw_nfe"),
                                     continuous_update=False, style=st, layout=W.Layout(width="440px"))
        self.spacing = W.Dropdown(options=SPACINGS, value=spacing, description=self.tr("spacing_tau"), style=st,
                                  layout=W.Layout(width="auto"))
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description=self.tr("seed"), style=st,
                                     layout=W.Layout(width="180px"))
        self.model = W.Dropdown(options=SOLVER_MODELS, value=model, description=self.tr("w_model"), style=st,
                                layout=W.Layout(width="auto"))
        n = len(self.solvers)
        rows = (n + 1) // 2
        grid = self.figure.add_gridspec(rows, 3, width_ratios=[1, 1, 1.15])
        self.axes = [self.figure.add_subplot(grid[k // 2, k % 2]) for k in range(n)] + [self.figure.add_subplot(grid[:, 2])]
        controls = [self.solver, self.nfe, self.spacing, self.seed, self.model]
        self._finish(controls, rows=[controls[:2], controls[2:]])

    def _key(self):
        return self._controls_key([self.solver, self.nfe, self.spacing, self.seed, self.model])

    # -- computation (cached; no drawing) --------------------------------------------------------------
    def _reference(self, name, seed, spacing):
        """x_0 that the solvers converge to: the exact flow map (Gaussian) or a 100-step DPM-Solver++(2M)."""
        d = get_denoiser(name)
        x_T = x_T_for(name, N_POINTS, seed)
        if name == "exact:gaussian":
            t0 = int(make_timesteps(d.schedule.T, REF_STEPS, spacing)[0])
            return gaussian_flow_map(d.model, x_T.double(), t0).float()
        return run_sampler(name, REF_STEPS, 0.0, spacing, seed, n=N_POINTS, sampler="dpmpp_2m").samples

    def _compute(self, name, budget, spacing, seed):
        ref = self._cached(("ref", name, seed, spacing), lambda: self._reference(name, seed, spacing))
        runs = {}
        for solver in self.solvers:
            S = steps_for_nfe(solver, budget)
            run = self._cached(("run", name, solver, S, spacing, seed),
                               lambda: run_sampler(name, S, 0.0, spacing, seed, n=N_POINTS, sampler=solver))
            err = float((run.samples - ref).pow(2).mean().sqrt())
            runs[solver] = {"run": run, "S": S, "nfe": run.steps[-1]["nfe"], "rmse": err,
                            "orders": [s["order"] for s in run.steps], "calls": [t for s in run.steps for t in s["calls"]]}
        return runs

    # -- drawing ---------------------------------------------------------------------------------------
    def _update(self):
        name, budget, spacing, seed = self.model.value, self.nfe.value, self.spacing.value, self.seed.value
        runs = self._compute(name, budget, spacing, seed)
        self.result = runs
        ref_pts = get_denoiser(name).reference[:1000]
        T = get_denoiser(name).schedule.T
        n = len(self.solvers)
        for ax, solver, color in zip(self.axes[:n], self.solvers, plots.PALETTE):
            r = runs[solver]
            ax.clear()
            plots.plot_trajectories(ax, r["run"].xs, r["run"].x0_preds, n_paths=N_PATHS, ref=ref_pts, lang=self.lang)
            ax.set_xticks([])
            ax.set_yticks([])
            chosen = solver == self.solver.value
            ax.set_title(self.tr("sw_panel", label=solver_label(solver, self.lang), S=r["S"], nfe=r["nfe"]),
                         color=color if chosen else "black")
            for side in ax.spines.values():
                side.set_linewidth(3.5 if chosen else 0.8)
                side.set_color(color if chosen else "0.5")
            ax.get_legend().remove()
        handles, labels = self.axes[0].get_legend_handles_labels()
        ax = self.axes[n]
        ax.clear()
        ax.legend(handles, labels, loc="lower center", ncols=3, frameon=False, handletextpad=0.2, columnspacing=0.8)
        for row, (solver, color) in enumerate(zip(self.solvers, plots.PALETTE)):
            # every network call the run reported; a step's second call (Heun's corrector) a little lower
            xs, ys = [], []
            for s in runs[solver]["run"].steps:
                for k, t in enumerate(s["calls"]):
                    xs.append(plots.paper_t(t))
                    ys.append(row + 0.25 * k)
            ax.scatter(xs, ys, s=60 if solver == self.solver.value else 30, color=color)
            ax.text(T * 1.07, row + 0.12, f"{len(xs)}", va="center", color=color)
            ax.text(0, row - 0.22, solver_label(solver, self.lang), va="bottom", color=color)  # the row's name above it
        ax.set_yticks([])
        ax.set_ylim(-0.7, n + 0.5)  # room at the bottom for the panels' legend
        ax.set_xlim(-T * 0.02, T * 1.16)
        ax.invert_yaxis()
        ax.set_xlabel(self.tr("sw_calls_x"))
        ax.set_title(self.tr("sw_calls_title"))
        ref = self.tr("sw_ref_exact" if name == "exact:gaussian" else "sw_ref_fine")
        rows = "; ".join(self.tr("sw_row_sde" if s == SDE_SOLVER else "sw_row", label=solver_label(s, self.lang),
                                 err=f"{runs[s]['rmse']:.3f}", nfe=runs[s]["nfe"])
                         for s in self.solvers)
        return self.tr("sw_status", seed=seed, budget=budget, ref=ref, rows=rows)
