"""Inversion round trip x_0 -> x_T -> x_0 against S, beside the paper's Table 2.

    python benchmarks/reconstruction.py [--smoke]
"""
from __future__ import annotations

import argparse

from ddim_teach.experiments import evaluation as ev
from _common import md_table


def run(smoke: bool = False) -> dict:
    S_list = (10, 20) if smoke else ev.PAPER_TABLE2_CIFAR10["S"]
    paper = dict(zip(ev.PAPER_TABLE2_CIFAR10["S"], ev.PAPER_TABLE2_CIFAR10["mse"]))
    res = {name: ev.reconstruction_errors(name, S_list, n=16 if smoke else 200) for name in ("digits", "exact:gaussian")}
    rows = [[S, f"{res['digits'][i]:.5f}", f"{res['exact:gaussian'][i]:.6f}", paper[S]] for i, S in enumerate(S_list)]
    md = ("### Reconstruction (the paper's Table 2)\n\nPer-dimension MSE of x_0 → invert_ddim → sample_ddim (η = 0).\n\n"
          + md_table(["S", "digits U-Net", "exact Gaussian", "CIFAR10 (paper)"], rows) + "\n")
    return {"markdown": md, "results": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
