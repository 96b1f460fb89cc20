"""Sampler overhead: sample_ddim at S=50 on the digits U-Net against 50 bare forward passes, and against
the same loop written with diffusers' DDIMScheduler.step(). Interleaved runs in one process; medians.

    python benchmarks/overhead.py [--smoke]
"""
from __future__ import annotations

import argparse

import torch

import ddim_teach as dt
from _common import interleaved_medians, md_table


def run(smoke: bool = False) -> dict:
    from diffusers import DDIMScheduler

    torch.manual_seed(0)
    model, schedule = dt.load_pretrained("digits")
    S = 50
    ts = dt.make_timesteps(1000, S)
    sch = DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False, set_alpha_to_one=True)
    sch.set_timesteps(S)
    rows, ratios = [], {}
    for B in ((1, 16) if smoke else (1, 16, 256)):
        x_T = torch.randn(B, *model.sample_shape)
        t_batch = torch.full((B,), 500, dtype=torch.int64)

        @torch.no_grad()
        def bare():
            for _ in range(S):
                model(x_T, t_batch)

        def ours():
            dt.sample_ddim(model, x_T, schedule, ts, progress=False)

        @torch.no_grad()
        def peer():
            x = x_T
            for t in sch.timesteps:
                x = sch.step(model(x, torch.full((B,), int(t), dtype=torch.int64)), t, x).prev_sample

        med = interleaved_medians({"bare": bare, "ours": ours, "diffusers": peer}, repeats=2 if smoke else 9)
        r_bare, r_peer = med["ours"] / med["bare"], med["ours"] / med["diffusers"]
        ratios[B] = (r_bare, r_peer)
        rows.append([B, f"{1000 * med['bare'] / S:.2f}", f"{1000 * med['ours']:.1f}", f"{1000 * med['diffusers']:.1f}",
                     f"{r_bare:.3f}", f"{r_peer:.3f}"])
    md = ("### Sampler overhead (digits U-Net, S = 50, CPU)\n\n"
          + md_table(["batch", "one forward (ms)", "sample_ddim (ms)", "diffusers loop (ms)",
                      "ours / (50 × forward)", "ours / diffusers"], rows)
          + "\n\nTargets: ours / (50 × forward) ≤ 1.05 at batch ≥ 16 (the limit is 1.0); ours / diffusers ≤ 1.0.\n")
    return {"markdown": md, "ratios": ratios}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
