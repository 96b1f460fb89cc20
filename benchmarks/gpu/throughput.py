"""Training steps per second of the digits U-Net on a GPU, at batch 1024: fp32 and bf16, eager and compiled.

    python3 benchmarks/gpu/throughput.py --data .gpu/digits.pt     (on the GPU machine; see README.md)
"""
import argparse

import torch

from ddim_teach.models import TinyUNet
from ddim_teach.core.schedule import make_schedule
from ddim_teach.models.train import train


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch-size", type=int, default=1024)
    args = p.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("throughput.py measures the GPU path: no CUDA device is visible")
    x = torch.load(args.data)["x"]
    schedule = make_schedule("linear", T=1000)
    print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__}, batch {args.batch_size}")
    print("| precision | torch.compile | steps/s |\n|---|---|---|")
    for amp in (False, True):
        for compile_ in (False, True):
            model = TinyUNet(sample_shape=tuple(x.shape[1:]), channel_mults=(1, 2))
            # a short warm-up run absorbs compilation and cuDNN autotuning; the timed run follows
            train(model, x, schedule, steps=20, batch_size=args.batch_size, device="cuda", amp=amp,
                  compile=compile_, progress=False)
            res = train(model, x, schedule, steps=args.steps, batch_size=args.batch_size, device="cuda", amp=amp,
                        compile=compile_, progress=False)
            print(f"| {'bf16' if amp else 'fp32'} | {'yes' if compile_ else 'no'} | {res.steps_per_second:.1f} |", flush=True)


if __name__ == "__main__":
    main()
