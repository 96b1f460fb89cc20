"""Classifier-free guidance on the conditional mnist5k U-Net: agreement, confidence and diversity against s.

The judge is independent of the package's networks: logistic regression on the real mnist5k train split
(``ddim_teach.experiments.guided.mnist_judge``). 50-step DDIM (η = 0, trailing τ), the same x_T for every s,
n digits per class. Real held-out digits, read by the same judge, are the reference row.

    python benchmarks/guidance_quality.py [--smoke]
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import torch

import ddim_teach as dt
from ddim_teach.experiments import guided as G
from _common import md_table

SCALES = (0.0, 1.0, 2.0, 3.0, 5.0, 8.0)


def run(smoke: bool = False) -> dict:
    torch.set_num_threads(max(1, torch.get_num_threads()))
    # 20 per class: 200 samples a scale (about 6 min for the table on 2 cores; 2 more for the 1000 unconditional ones)
    n = 2 if smoke else 20
    S = 5 if smoke else 50
    scales = (0.0, 3.0) if smoke else SCALES
    model, schedule = dt.load_pretrained("mnist5k_cond")
    judge = G.mnist_judge()
    labels = torch.arange(10).repeat_interleave(n)
    x_T = torch.randn(labels.shape[0], *model.sample_shape, generator=torch.Generator().manual_seed(2024))
    real_x, real_y = G.real_reference(n_per_class=n)
    real_conf = G.mean_confidence(judge, real_x)
    rows = [["real held-out digits", f"{G.agreement(judge, real_x, real_y):.3f}",
             f"{min(G.per_class_agreement(judge, real_x, real_y).values()):.2f}", f"{real_conf:.3f}", "1.00",
             f"{G.diversity(real_x, real_y):.2f}"]]
    res = {"real": {"confidence": real_conf, "diversity": G.diversity(real_x, real_y)}, "scales": {}}
    for s in scales:
        x = G.guided_samples(model, schedule, labels, s, S=S, x_T=x_T)
        per = G.per_class_agreement(judge, x, labels)
        conf = G.mean_confidence(judge, x)
        covered = len(np.unique(G.judge_probs(judge, x).argmax(1)))
        res["scales"][s] = {"agreement": G.agreement(judge, x, labels), "min_class_agreement": min(per.values()),
                            "per_class": per, "confidence": conf, "diversity": G.diversity(x, labels),
                            "classes_covered": covered}
        r = res["scales"][s]
        rows.append([f"s = {s:g}" + (" (unconditional)" if s == 0 else " (conditional)" if s == 1 else ""),
                     f"{r['agreement']:.3f}", f"{r['min_class_agreement']:.2f}", f"{conf:.3f}",
                     f"{conf / real_conf:.2f}", f"{r['diversity']:.2f}"])
    unc = G.unconditional_ratio(model, schedule, judge, n=250 if smoke else 1000, S=S)
    res["unconditional"] = unc
    md = (f"### Classifier-free guidance (conditional mnist5k U-Net, {S}-step DDIM, η = 0, n = {n} per class)\n\n"
          "Judge: logistic regression on the real mnist5k train split. Agreement: share of samples judged as the "
          "requested class (for s = 0 the label is only the x_T's slot: agreement there is chance). Diversity: mean "
          "pairwise L2 distance between digits of the same class (28×28 pixels in [-1, 1]).\n\n"
          + md_table(["samples", "agreement", "worst class", "mean confidence", "÷ real", "diversity"], rows) + "\n"
          + f"\nIssue 19's unconditional criterion (≥ 0.9 × real) with its noise: {unc['n']} samples at s = 0 "
          f"({S}-step DDIM, x_T from seeds 5000…) against all {unc['n_real']} real held-out digits: mean confidence "
          f"{unc['confidence']:.3f} against {unc['real_confidence']:.3f}, ratio **{unc['ratio']:.3f} ± {unc['ci95']:.3f}** "
          "(95% interval, delta method).\n")
    if not smoke:  # lecture 11 reads the table from the package (G.stored_guidance_quality)
        G.GUIDANCE_RESULTS.write_text(json.dumps(res, indent=1) + "\n")
    return {"markdown": md, "results": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    print(run(args.smoke)["markdown"])
