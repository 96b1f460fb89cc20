"""Quality per network call, the paper's Table 1 on our models, and quality per τ spacing.

    python benchmarks/quality.py [--smoke]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import ddim_teach as dt
from ddim_teach import evaluation as ev
from _common import md_table

OUT = Path(__file__).parent


def _label(eta):
    return "σ̂" if eta == "sigma_hat" else f"η={eta}"


def _plot(tables: dict, S_list, floor, title, path):
    from ddim_teach.plots import new_figure

    fig = new_figure(7, 4.2, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for key, row in tables.items():
        ax.plot(S_list, row, "o-", label=_label(key) if not isinstance(key, str) or key == "sigma_hat" else key)
    ax.axhline(floor, color="k", ls=":", label="floor (real vs held-out)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("steps S (network calls)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.savefig(path)


def run(smoke: bool = False, out_dir: Path = OUT) -> dict:
    S_list = (10, 20) if smoke else (10, 20, 50, 100, 1000)
    etas = (0.0, 1.0) if smoke else (0.0, 0.2, 0.5, 1.0, "sigma_hat")
    n_ring, n_dig = (200, 64) if smoke else (5000, 300)
    paper = ev.PAPER_TABLE1_CIFAR10
    out = ["### Quality per network call (the paper's Table 1 on toy models)\n"]
    results = {}
    for name, metric, n in (("exact:ring8", "sliced W1 ×100", n_ring), ("digits", "Fréchet distance", n_dig)):
        scale = 100 if name == "exact:ring8" else 1
        tab = ev.quality_table(name, S_list, etas, n=n)
        floor = ev.quality_floor(name, n=n)
        results[name] = (tab, floor)
        rows = []
        for eta in etas:
            ref = paper.get(eta)
            ref = " / ".join(f"{v:g}" for S, v in zip(paper["S"], ref) if S in S_list) if ref else "—"
            rows.append([_label(eta)] + [f"{scale * v:.2f}" for v in tab[eta]] + [ref])
        out.append(f"**{name}** — {metric}, n = {n}; floor (real vs held-out) = {scale * floor:.2f}\n")
        out.append(md_table(["", *[f"S={S}" for S in S_list], "CIFAR10 FID (paper)"], rows) + "\n")
        png = Path(out_dir) / f"quality_{name.replace(':', '_')}.png"
        _plot({k: [scale * v for v in r] for k, r in tab.items()}, S_list, scale * floor, f"{name}: {metric}", png)
        out.append(f"![{name}]({png.name})\n")
    # spacing: quality against S for each τ spacing (η = 0)
    S_sp = (5, 10) if smoke else (5, 10, 20, 50, 100)
    out.append("### Quality per τ spacing (η = 0)\n")
    for name, n in (("exact:ring8", n_ring), ("digits", n_dig)):
        scale = 100 if name == "exact:ring8" else 1
        tab = {sp: [ev.quality(name, ev.sample(name, S, 0.0, sp, n=n)) for S in S_sp] for sp in dt.SPACINGS}
        results[f"spacing:{name}"] = tab
        rows = [[sp] + [f"{scale * v:.2f}" for v in r] for sp, r in tab.items()]
        out.append(f"**{name}**\n\n" + md_table(["spacing", *[f"S={S}" for S in S_sp]], rows) + "\n")
        png = Path(out_dir) / f"spacing_{name.replace(':', '_')}.png"
        _plot({k: [scale * v for v in r] for k, r in tab.items()}, S_sp, scale * ev.quality_floor(name, n=n),
              f"{name}: quality per spacing", png)
        out.append(f"![spacing {name}]({png.name})\n")
    return {"markdown": "\n".join(out), "results": results}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
