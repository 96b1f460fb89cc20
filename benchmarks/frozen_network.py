"""The frozen network the explorers sample with (ddim_teach.models.FrozenForInference) against the network
itself: time per call, interleaved in one run, and the largest difference in their outputs.

Target: frozen / eager ≤ 0.85 at batch 16 (the explorers' batch), outputs identical to float32 round-off.

    python benchmarks/frozen_network.py [--smoke]
"""
from __future__ import annotations

import argparse

import torch

import ddim_teach as dt
from ddim_teach.models import FrozenForInference
from _common import interleaved_medians, md_table


def run(smoke: bool = False, batches=(1, 16, 64), repeats: int = 15, calls: int = 50) -> dict:
    net = dt.load_pretrained("digits")[0].eval()
    frozen = FrozenForInference(dt.load_pretrained("digits")[0])
    rows, ratios = [], {}
    for B in ((16,) if smoke else batches):
        x = torch.randn(B, 1, 8, 8, generator=torch.Generator().manual_seed(B))
        t = torch.full((B,), 500, dtype=torch.int64)

        def loop(f):
            @torch.no_grad()
            def go():
                for _ in range(5 if smoke else calls):
                    f(x, t)
            return go

        with torch.no_grad():
            diff = float((net(x, t) - frozen(x, t)).abs().max())
        med = interleaved_medians({"eager": loop(net), "frozen": loop(frozen)}, repeats=2 if smoke else repeats)
        n = 5 if smoke else calls
        ratios[B] = med["frozen"] / med["eager"]
        rows.append([B, f"{1000 * med['eager'] / n:.2f}", f"{1000 * med['frozen'] / n:.2f}", f"{ratios[B]:.3f}", f"{diff:.1e}"])
    md = ("### Frozen network for the explorers (digits U-Net, CPU)\n\n"
          + md_table(["batch", "network (ms a call)", "frozen trace (ms a call)", "frozen / network", "largest difference"], rows)
          + f"\n\nTarget: frozen / network ≤ 0.85 at batch 16; outputs equal to float32 round-off. "
          f"Threads: {torch.get_num_threads()}.\n")
    return {"markdown": md, "ratios": ratios}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    print(run(smoke=a.smoke)["markdown"])
