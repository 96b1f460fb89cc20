"""Training throughput of the digits U-Net: steps per second on the CPU (and on CUDA where present), and
the time the shipped checkpoint's recipe took to reach its final loss.

    python benchmarks/training.py [--smoke]
"""
from __future__ import annotations

import argparse

import torch

import ddim_teach as dt
from ddim_teach.data import load_dataset
from ddim_teach.models.train import RECIPES, build_for_data, train
from _common import md_table


def run(smoke: bool = False) -> dict:
    data = load_dataset("digits", "train").x
    schedule = dt.make_schedule()
    steps = 5 if smoke else 100
    rows = []
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    sps = {}
    for device in devices:
        torch.manual_seed(0)
        res = train(build_for_data("digits"), data, schedule, steps=steps, batch_size=RECIPES["digits"]["batch_size"],
                    device=device, progress=False)
        sps[device] = res.steps_per_second
        rows.append([device, steps, f"{res.steps_per_second:.2f}"])
    meta = dt.checkpoint_meta("digits")
    md = ("### Training throughput (digits U-Net, batch %d)\n\n" % RECIPES["digits"]["batch_size"]
          + md_table(["device", "steps timed", "steps / s"], rows)
          + f"\n\nShipped checkpoint: `{meta['command']}` — {meta['steps']} steps, final loss {meta['final_loss']:.4f}, "
          f"{meta['seconds']:.0f} s on {meta['device']} (wall time while other jobs shared the 2 cores).\n"
          + ("" if "cuda" in sps else "No GPU was present on this machine: GPU figures are not measured here.\n"))
    return {"markdown": md, "steps_per_second": sps}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    print(run(ap.parse_args().smoke)["markdown"])
