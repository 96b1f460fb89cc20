"""ODE solvers at equal network calls (lecture 10): DDIM (= Euler), Heun and DPM-Solver++(2M).

    python benchmarks/solvers.py [--smoke]

1. Gaussian data: error to the exact flow map (``gaussian_flow_map``) per NFE, float64, for trailing and
   leading spacing, and the target "DPM-Solver++(2M) at 10 NFE is closer to the exact flow map than DDIM
   at 20 NFE (trailing)", measured in this run on the course's Gaussian and per data scale.
2. Sample quality per NFE (5, 10, 20, 50) on the exact ring and on the digits U-Net, trailing spacing,
   mean ± 95% interval (Student t) over seeds.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import torch

import ddim_teach as dt
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments.records import get_denoiser
from ddim_teach.samplers.registry import ode_solvers, sampler_label
from _common import md_table

OUT = Path(__file__).parent
# the solvers and their labels come from the sampler registry: a solver registered with ode=True is benchmarked
# here too ("euler" is DDIM at η = 0, tests/test_ode.py: equal to 1e-12 in float64)
SOLVERS = ode_solvers


def LABEL(solver: str) -> str:
    return sampler_label(solver, "en")


NFE_Q = (5, 10, 20, 50)
slope = dt.experiments.flow_map.fitted_order


def target(gauss, n: int) -> tuple[float, float]:
    """(DPM-Solver++(2M) at 10 NFE, DDIM at 20 NFE): rmse to the exact flow map, trailing spacing, one run."""
    x_T = torch.randn(n, *gauss.sample_shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    dpm = dt.flow_map_error("dpmpp_2m", gauss, x_T, dt.make_timesteps(gauss.schedule.T, 10, "trailing"))["rmse"]
    x0 = dt.sample_ddim(gauss, x_T, gauss.schedule, dt.make_timesteps(gauss.schedule.T, 20, "trailing"), progress=False)
    ddim = float((x0 - dt.gaussian_flow_map(gauss, x_T, gauss.schedule.T - 1)).pow(2).mean().sqrt())
    return dpm, ddim


def _plot(gauss_tab: dict, qual: dict, floors: dict, path: Path):
    from ddim_teach.lab.plots import PALETTE, new_figure

    fig = new_figure(15, 4.4, dpi=100, layout="constrained")
    axes = fig.subplots(1, 3)
    ax = axes[0]
    for c, solver in zip(PALETTE, SOLVERS()):
        rows = gauss_tab[solver]
        ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", color=c, label=f"{LABEL(solver)} (slope {slope(rows):.2f})")
    x0, y0 = gauss_tab["euler"][0]
    xs = [x0, gauss_tab["euler"][-1][0]]
    ax.loglog(xs, [y0, y0 * (xs[0] / xs[1])], "k:", lw=1, label="slope 1")
    ax.loglog(xs, [y0, y0 * (xs[0] / xs[1]) ** 2], "k--", lw=1, label="slope 2")
    ax.set_xlabel("NFE")
    ax.set_ylabel("RMSE to the exact flow map")
    ax.set_title("Gaussian data, trailing")
    ax.legend(fontsize=8)
    for ax, (name, tab) in zip(axes[1:], qual.items()):
        scale = 100 if name == "exact:ring8" else 1
        for c, solver in zip(PALETTE, SOLVERS()):
            rows = tab[solver]
            ax.errorbar([r[0] for r in rows], [scale * r[1] for r in rows], yerr=[scale * r[2] for r in rows],
                        fmt="o-", color=c, capsize=3, label=LABEL(solver))
        ax.axhline(scale * floors[name], color="k", ls=":", label="floor (real vs held-out)")
        ax.set_xscale("log")
        ax.set_xticks(NFE_Q, [str(b) for b in NFE_Q])
        ax.minorticks_off()
        ax.set_ylim(bottom=0)
        ax.set_xlabel("NFE")
        ax.set_title(f"{name}: {get_denoiser(name).metric_name}" + (" ×100" if scale == 100 else ""))
        ax.legend(fontsize=8)
    fig.savefig(path)


def gaussian_table(gauss, nfe_g, n_g: int, spacings=("trailing", "leading")) -> tuple[dict, str]:
    """Every registered ODE solver against the exact flow map: ({spacing: {solver: rows}}, markdown)."""
    g_tabs = {sp: dt.experiments.flow_map.flow_map_errors(gauss, nfe_g, sp, n=n_g, solvers=SOLVERS()) for sp in spacings}
    text = (f"**Gaussian data** (`exact:gaussian`: N((0.5, −0.5), diag(1², 0.3²))), RMSE per coordinate to "
            f"the exact flow map x_T → x_0, float64, n = {n_g}; last column: fitted slope of log error "
            "against log NFE over the last three budgets (the order)\n")
    rows = []
    for sp, tab in g_tabs.items():
        for solver in SOLVERS():
            cells = [f"{e:.2e}" + (f" ({k})" if k != b else "") for (k, e), b in zip(tab[solver], nfe_g)]
            rows.append([sp, LABEL(solver), *cells, f"{slope(tab[solver]):.2f}" if len(tab[solver]) > 1 else "—"])
    return g_tabs, text + md_table(["spacing", "solver", *[f"NFE={b}" for b in nfe_g], "slope"], rows) + "\n"


def run(smoke: bool = False, out_dir: Path = OUT) -> dict:
    nfe_g = (5, 10, 20) if smoke else (5, 10, 20, 50, 100, 200)
    nfe_q = (5,) if smoke else NFE_Q
    n_g = 64 if smoke else 2000
    (n_ring, seeds_ring), (n_dig, seeds_dig) = ((100, (0, 1)), (16, (0, 1))) if smoke else ((1000, (0, 1, 2, 3, 4)), (200, (0, 1, 2)))
    gauss = get_denoiser("exact:gaussian").model
    out = ["### ODE solvers at equal network calls (lecture 10)\n",
           "DDIM at η = 0 is Euler's method on dx̄/dσ = ε (Eq. 14). Heun spends 2 calls per step (2S − 1 in all), "
           "so a budget of NFE buys S = ⌊(NFE+1)/2⌋ steps and spends an odd count; the other two spend S. "
           "Cells give the NFE actually spent where it differs from the budget.\n"]
    results = {}

    # 1. Gaussian data against the exact flow map
    g_tabs, text = gaussian_table(gauss, nfe_g, n_g)
    results["gaussian"] = g_tabs
    out.append(text)

    # the target, on the course's Gaussian and per data scale
    dpm, ddim = target(gauss, n_g)
    results["target"] = (dpm, ddim)
    verdict = "met" if dpm < ddim else "NOT met"
    out.append(f"**Target** (trailing, one run, `exact:gaussian`): DPM-Solver++(2M) at 10 NFE {dpm:.3e} vs DDIM at "
               f"20 NFE {ddim:.3e}: **{verdict}** (ratio {dpm / ddim:.2f}).\n")
    sched = gauss.schedule
    rows = []
    for std in (0.3, 1.0) if smoke else (0.1, 0.3, 0.5, 1.0, 2.0):
        d, e = target(dt.GaussianDenoiser(sched, mean=0.0, std=std), n_g)
        results[f"target_std{std}"] = (d, e)
        rows.append([f"{std:g}", f"{d:.3e}", f"{e:.3e}", f"{d / e:.2f}", "yes" if d < e else "no"])
    out.append("The same comparison on N(0, s² I) for several data scales s:\n\n"
               + md_table(["s", "DPM++(2M), 10 NFE", "DDIM, 20 NFE", "ratio", "DPM++ closer"], rows) + "\n")
    ab = sched.alphas_cumprod.tolist()
    sig_last = {S: math.sqrt((1 - ab[int(dt.make_timesteps(sched.T, S, 'trailing')[-1])]) / ab[int(dt.make_timesteps(sched.T, S, 'trailing')[-1])]) for S in (10, 20)}
    out.append("Why it can lose: both solvers end with a first-order step from the last τ to σ = 0, which returns "
               f"x̂₀ = E[x_0 | x_t]. On a trailing grid that step starts at σ = {sig_last[10]:.2f} (S = 10, t = 100) "
               f"or σ = {sig_last[20]:.2f} (S = 20, t = 50). The posterior mean shrinks towards μ by s²/(s²+σ²) while "
               "the flow map shrinks by s/√(s²+σ²), so for data narrower than σ the last jump dominates the error and "
               "DDIM's shorter last jump wins; for data at unit scale the second-order steps before it win.\n")

    # 2. sample quality per NFE
    qual, floors = {}, {}
    for name, n, seeds in (("exact:ring8", n_ring, seeds_ring), ("digits", n_dig, seeds_dig)):
        qual[name] = dt.experiments.flow_map.quality_per_nfe(name, nfe_q, seeds, n, solvers=SOLVERS())
        floors[name] = ev.quality_floor(name, n=n)
        scale = 100 if name == "exact:ring8" else 1
        metric = get_denoiser(name).metric_name + (" ×100" if scale == 100 else "")
        rows = [[LABEL(s), *[f"{scale * m:.2f} ± {scale * h:.2f}" + (f" ({k})" if k != b else "")
                             for (k, m, h), b in zip(qual[name][s], nfe_q)]] for s in SOLVERS()]
        out.append(f"**{name}** — {metric}, trailing spacing, n = {n}, mean ± 95% interval over {len(seeds)} seeds; "
                   f"floor (real vs held-out) = {scale * floors[name]:.2f}\n")
        out.append(md_table(["solver", *[f"NFE={b}" for b in nfe_q]], rows) + "\n")
    results["quality"], results["floors"] = qual, floors

    # where a higher-order solver loses to DDIM at the same budget (intervals not overlapping)
    losses = []
    for name, tab in qual.items():
        for solver in [s for s in SOLVERS() if s != "euler"]:
            for (k, m, h), (_, m0, h0), b in zip(tab[solver], tab["euler"], nfe_q):
                if m - h > m0 + h0:
                    losses.append(f"{LABEL(solver)} on {name} at NFE {b} ({k} spent)")
    why = []
    if any(x.startswith("Heun") for x in losses):
        why.append("Heun pays 2 calls per step, so 5 NFE buy it 3 steps and 10 NFE buy 5: its Euler predictor then "
                   "jumps far (from t = 1000 to t = 667 at S = 3), the slope at the predicted point is poor, and the "
                   "second order has no small step to act on.")
    if any(x.startswith("DPM") for x in losses):
        why.append("DPM-Solver++(2M) extrapolates x̂₀ from the previous step; where x̂₀ changes fast between steps "
                   "(few steps, a real network's errors) the extrapolation adds error instead of removing it.")
    out.append("Losses to DDIM at the same budget (mean ± interval apart): " + ("; ".join(losses) if losses else "none")
               + ". " + " ".join(why) + "\n")
    png = Path(out_dir) / "solvers.png"
    _plot(g_tabs["trailing"], qual, floors, png)
    out.append(f"![solvers]({png.name})\n")
    return {"markdown": "\n".join(out), "results": results}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
