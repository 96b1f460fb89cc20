"""Train the 28×28 mnist5k U-Net on a GPU and save it with its recipe (weights ≤ 5 MB).

    python3 benchmarks/gpu/train_mnist5k.py --data .gpu/mnist5k.pt --out $OUT/mnist5k.pt
"""
import argparse
import os

import torch

from ddim_teach.models import TinyUNet
from ddim_teach.core.schedule import make_schedule
from ddim_teach.models.train import save_checkpoint, train


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=1024)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("train_mnist5k.py trains on the GPU only: no CUDA device is visible")
    x = torch.load(args.data)["x"]
    schedule = make_schedule("linear", T=1000)
    torch.manual_seed(args.seed)
    model = TinyUNet(sample_shape=tuple(x.shape[1:]), channel_mults=(1, 2, 2))  # 28 -> 14 -> 7, as build_for_data
    res = train(model, x, schedule, steps=args.steps, batch_size=args.batch_size, lr=2e-3, seed=args.seed,
                device="cuda", amp=True, progress=False)
    meta = {"command": f"python3 benchmarks/gpu/train_mnist5k.py --steps {args.steps} --batch-size {args.batch_size} "
                       f"--seed {args.seed}", "data": "mnist5k", "seed": args.seed, "steps": args.steps,
            "batch_size": args.batch_size, "lr": 2e-3, "final_loss": res.final_loss, "device": res.device,
            "gpu": torch.cuda.get_device_name(0), "seconds": round(res.seconds, 1), "torch": str(torch.__version__)}
    save_checkpoint(args.out, res.model, schedule, meta)
    size = os.path.getsize(args.out)
    print(f"saved {args.out}: {size / 1e6:.2f} MB, {args.steps} steps in {res.seconds:.0f} s "
          f"({res.steps_per_second:.1f} steps/s), final loss {res.final_loss:.4f}")
    if size > 5e6:
        raise SystemExit(f"the weights are {size / 1e6:.1f} MB, over the 5 MB budget")


if __name__ == "__main__":
    main()
