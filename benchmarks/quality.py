"""The paper's Table 1 on our models, with 95% intervals over seeds; and quality per τ spacing.

    python benchmarks/quality.py [--smoke] [--write-cache]

Table 1 on the exact ring uses ``ddim_teach.experiments.tables`` (MMD² to the true mixture, closed form, unbiased; 5 seeds,
mean ± 95% Student-t interval; the noise floor is the same score on real samples). ``--write-cache`` also
recomputes the full ring table and stores it where lecture 06 reads it (``ddim_teach/results/table1_exact_ring8.json``);
without it a full run reads that cache (computing it if missing).
The digits U-Net gets the few-step corner of Table 1 (Fréchet distance, 5 seeds; its floor is 5 disjoint sets
of real training digits).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

import ddim_teach as dt
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments import tables as t1
from ddim_teach.experiments.records import get_denoiser
from _common import md_table

OUT = Path(__file__).parent


def _label(eta):
    return "σ̂" if eta == "sigma_hat" else f"η={eta}"


def _ci(values, scale=1.0, digits=2):
    m, h = t1.mean_ci(values)
    return f"{scale * m:.{digits}f} ± {scale * h:.{digits}f}"


def _paper_row(eta, S_list):
    row = ev.PAPER_TABLE1_CIFAR10.get(eta)
    return " / ".join(f"{v:g}" for S, v in zip(ev.PAPER_TABLE1_CIFAR10["S"], row) if S in S_list) if row else "—"


def _plot_ci(cells: dict, S_list, title, ylabel, path):
    from ddim_teach.lab.plots import new_figure

    fig = new_figure(7, 4.2, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for k, (key, row) in enumerate(cells.items()):
        x = [S * (1 + 0.04 * (k - 2)) for S in S_list]
        ax.errorbar(x, [m for m, h in row], yerr=[h for m, h in row], fmt="o-", capsize=3, label=_label(key))
    ax.axhline(0, color="k", ls=":")
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_xlabel("steps S (network calls)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.savefig(path)


def ring_table(smoke: bool, write_cache: bool, out_dir: Path) -> tuple[str, t1.Table1Result]:
    if smoke:
        res = t1.run_table1(S_list=(10,), etas=(0.0, 1.0), n=300, seeds=range(2))
    elif write_cache or not t1.CACHE.exists():
        res = t1.run_table1()
        res.to_json(t1.CACHE)
    else:  # the cache is what run_table1() gives (tests/test_table1.py recomputes cells of it)
        res = t1.load_table1()
    rows = [[_label(eta)] + [_ci(res.mmd[t1._key(eta)][j], 1e3) for j in range(len(res.S_list))]
            + [_paper_row(eta, res.S_list)] for eta in res.etas]
    rows.append(["real (noise floor)", _ci(res.floor_mmd, 1e3)] + [""] * (len(res.S_list) - 1) + [""])
    sw_noise = float(torch.tensor(res.floor_sw).std())
    mmd_noise = float(torch.tensor(res.floor_mmd).std())
    gap_mmd = res.cell(1.0, res.S_list[0])[0] - res.cell(0.0, res.S_list[0])[0]
    gap_sw = res.cell(1.0, res.S_list[0], "sw")[0] - res.cell(0.0, res.S_list[0], "sw")[0]
    md = [f"**exact:ring8** — MMD² × 1000 to the true mixture (closed form, unbiased), n = {res.n} per seed, "
          f"{len(res.seeds)} seeds, mean ± 95% interval (Student t)\n",
          md_table(["", *[f"S={S}" for S in res.S_list], "CIFAR10 FID (paper)"], rows) + "\n",
          f"Noise of one seed on real samples (std): MMD² × 1000 = {1e3 * mmd_noise:.3f}, sliced W1 × 100 = "
          f"{1e2 * sw_noise:.3f}. Gap η=1 − η=0 at S={res.S_list[0]}: MMD² × 1000 = {1e3 * gap_mmd:.2f} "
          f"({gap_mmd / mmd_noise:.0f}× its noise), sliced W1 × 100 = {1e2 * gap_sw:.2f} "
          f"({gap_sw / sw_noise:.1f}× its noise).\n"]
    png = Path(out_dir) / "quality_exact_ring8.png"
    cells = {eta: [tuple(1e3 * c for c in res.cell(eta, S)) for S in res.S_list] for eta in res.etas}
    _plot_ci(cells, res.S_list, "exact:ring8: MMD² to the true mixture", "MMD² × 1000", png)
    md.append(f"![exact:ring8]({png.name})\n")
    return "\n".join(md), res


def digits_table(smoke: bool) -> tuple[str, dict]:
    S_list, etas = ((10,), (0.0, 1.0)) if smoke else ((10, 20, 50), (0.0, 1.0, "sigma_hat"))
    n, seeds = (32, range(2)) if smoke else (250, range(5))
    d = get_denoiser("digits")
    fd = {eta: [[d.score(ev.sample("digits", S, eta, n=n, seed=s, batch=n)) for s in seeds] for S in S_list]
          for eta in etas}
    real = d.real(len(seeds) * n)
    floor = [d.score(real[k * n:(k + 1) * n]) for k in range(len(seeds))]  # disjoint sets of real digits
    rows = [[_label(eta)] + [_ci(v) for v in fd[eta]] + [_paper_row(eta, S_list)] for eta in etas]
    rows.append(["real train digits (floor)", _ci(floor)] + [""] * (len(S_list) - 1) + [""])
    md = (f"**digits U-Net** — Fréchet distance in the shipped classifier's features, n = {n} per seed, "
          f"{len(seeds)} seeds, mean ± 95% interval\n\n"
          + md_table(["", *[f"S={S}" for S in S_list], "CIFAR10 FID (paper)"], rows) + "\n")
    return md, {"fd": fd, "floor": floor}


def run(smoke: bool = False, out_dir: Path = OUT, write_cache: bool = False) -> dict:
    out = ["### Quality per network call (the paper's Table 1 on toy models, with 95% intervals)\n"]
    ring_md, ring = ring_table(smoke, write_cache, out_dir)
    dig_md, dig = digits_table(smoke)
    out += [ring_md, dig_md]
    results = {"exact:ring8": ring, "digits": dig}
    # spacing: quality against S for each τ spacing (η = 0), exact ring, MMD² with intervals
    S_sp = (5,) if smoke else (5, 10, 20, 50, 100)
    n, seeds = (300, range(2)) if smoke else (2000, range(5))
    ring_model = get_denoiser("exact:ring8").model
    tab = {sp: [[t1.mmd_to_mixture(t1.cell_samples("exact:ring8", S, 0.0, s, n, sp), ring_model) for s in seeds]
                for S in S_sp] for sp in dt.SPACINGS}
    results["spacing:exact:ring8"] = tab
    rows = [[sp] + [_ci(v, 1e3) for v in r] for sp, r in tab.items()]
    out.append("### Quality per τ spacing (η = 0, exact:ring8, MMD² × 1000, mean ± 95% interval)\n")
    out.append(md_table(["spacing", *[f"S={S}" for S in S_sp]], rows) + "\n")
    return {"markdown": "\n".join(out), "results": results}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write-cache", action="store_true", help="store the full ring table for lecture 06")
    a = ap.parse_args()
    print(run(a.smoke, write_cache=a.write_cache)["markdown"])
