"""Inversion round trip x_0 -> x_T -> x_0 against S, beside the paper's Table 2.

    python benchmarks/reconstruction.py [--smoke]
"""
from __future__ import annotations

import argparse

from ddim_teach.experiments import tables as ev
from _common import md_table


def run(smoke: bool = False) -> dict:
    S_list = (10, 20) if smoke else ev.PAPER_TABLE2_CIFAR10["S"]
    paper = dict(zip(ev.PAPER_TABLE2_CIFAR10["S"], ev.PAPER_TABLE2_CIFAR10["mse"]))
    n = 16 if smoke else 200
    per_sample = {name: ev.reconstruction_table(name, S_list, n=n) for name in ("digits", "exact:gaussian")}
    res = {name: [ev.mean_ci(errs[S]) for S in S_list] for name, errs in per_sample.items()}
    rows = [[S, "%.5f ± %.5f" % res["digits"][i], "%.6f ± %.6f" % res["exact:gaussian"][i], paper[S]]
            for i, S in enumerate(S_list)]
    md = ("### Reconstruction (the paper's Table 2)\n\nPer-dimension MSE of x_0 → invert_ddim → sample_ddim (η = 0), "
          f"mean ± 95% interval over the n = {n} held-out samples.\n\n"
          + md_table(["S", "digits U-Net", "exact Gaussian", "CIFAR10 (paper)"], rows) + "\n")
    return {"markdown": md, "results": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
