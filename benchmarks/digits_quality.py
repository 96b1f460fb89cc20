"""Quality of the shipped networks: the digits U-Net (1000-step DDPM, 50-step DDIM at η = 0 and η = 1) and the
2-D MLPs (100-step DDIM), each beside its floor (real data against held-out data).

    python benchmarks/digits_quality.py [--smoke]
"""
from __future__ import annotations

import argparse

from ddim_teach.experiments import tables as ev
from ddim_teach.data import POINT_SETS, load_dataset
from ddim_teach.experiments.metrics import digit_scores, independent_digit_confidence
from _common import md_table


def run(smoke: bool = False) -> dict:
    n = 64 if smoke else 500
    cases = [("real train split (floor)", None), ("DDPM, 1000 steps", ("ddpm", 1000, 0.0)),
             ("DDIM, 50 steps, η = 0", ("ddim", 50, 0.0)), ("DDIM, 50 steps, η = 1", ("ddim", 50, 1.0))]
    if smoke:
        cases = [cases[0], ("DDIM, 10 steps, η = 0", ("ddim", 10, 0.0))]
    rows, res = [], {}
    for label, spec in cases:
        if spec is None:
            x = load_dataset("digits", "train").x[:n]
        else:
            sampler, S, eta = spec
            x = ev.sample("digits", S, eta, n=n, sampler=sampler)
        sc = digit_scores(x)
        conf, classes = independent_digit_confidence(x)
        res[label] = {**sc, "independent_confidence": conf}
        rows.append([label, f"{sc['fd']:.2f}", f"{sc['confidence']:.3f}", f"{conf:.3f}", f"{classes}/10"])
    md = (f"### Digits U-Net sample quality (n = {n}, against the held-out split)\n\n"
          + md_table(["samples", "Fréchet distance", "confidence (package CNN)", "confidence (sklearn logistic)",
                      "classes"], rows) + "\n")
    n2 = 300 if smoke else 2000
    rows2 = []
    for name in POINT_SETS:
        sw, floor = ev.quality(name, ev.sample(name, 100, 0.0, n=n2)), ev.quality_floor(name, n=n2)
        res[name] = (sw, floor)
        rows2.append([name, f"{100 * sw:.2f}", f"{100 * floor:.2f}", f"{sw / floor:.2f}"])
    md += (f"\n### 2-D MLPs, 100-step DDIM (η = 0), n = {n2}\n\n"
           + md_table(["data", "sliced W1 ×100", "floor ×100", "ratio (target ≤ 2)"], rows2) + "\n")
    return {"markdown": md, "results": res}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
