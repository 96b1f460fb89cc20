"""Training with L_simple (DDPM Eq. 14, the study note's loss), and its command line.

    L_simple = E_{t, x_0, ε} || ε - ε_θ(sqrt(ᾱ_t) x_0 + sqrt(1 - ᾱ_t) ε, t) ||²     (or the v target)

AdamW, linear warm-up then cosine decay, gradient clipping and an EMA of the weights. The device is
CUDA when present, else the CPU; on CUDA the forward pass runs under bf16 autocast (optionally
``torch.compile``). The same command gives the same weights for the same seed on the same device.

    python -m ddim_teach.models.train --data digits --steps 6000 --out digits.pt
"""
from __future__ import annotations

import argparse
import copy
import math
import shlex
import sys
import time
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from ..data import IMAGE_SETS, POINT_SETS, load_dataset
from ..core.forward import q_sample
from ..models import MLPDenoiser, TinyUNet
from ..core.schedule import Schedule, make_schedule

__all__ = ["train", "TrainResult", "default_device", "save_checkpoint", "build_for_data", "RECIPES", "main"]

# the shipped recipes (steps, batch size, learning rate) per data set
RECIPES = {
    "digits": dict(steps=6000, batch_size=128, lr=2e-3),
    "digits16": dict(steps=6000, batch_size=128, lr=2e-3),
    "mnist5k": dict(steps=8000, batch_size=128, lr=2e-3),
    # class-conditional mnist5k, with label dropout 0.1 (classifier-free guidance)
    "mnist5k_cond": dict(steps=5000, batch_size=128, lr=2e-3, label_dropout=0.1),
    **{name: dict(steps=6000, batch_size=512, lr=2e-3) for name in POINT_SETS},
}


CUDA_BATCH_SIZE = 1024  # on a GPU the toy networks need a large batch to keep it busy


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class TrainResult:
    model: torch.nn.Module  # the EMA weights, in eval mode
    losses: list = field(default_factory=list)  # L_simple per step (raw, before EMA)
    seconds: float = 0.0
    steps_per_second: float = 0.0
    device: str = "cpu"

    @property
    def final_loss(self) -> float:
        """Mean loss over the last 10% of steps (a single step's loss is too noisy to quote)."""
        k = max(1, len(self.losses) // 10)
        return float(sum(self.losses[-k:]) / k)


def _target(prediction_type, x0, noise, ab):
    if prediction_type == "epsilon":
        return noise
    if prediction_type == "v":
        return ab.sqrt() * noise - (1 - ab).sqrt() * x0
    if prediction_type == "sample":
        return x0
    raise ValueError(f"unknown prediction_type {prediction_type!r}")


def train(model: torch.nn.Module, data: torch.Tensor, schedule: Schedule, *, steps: int = 1000, batch_size: int = 128,
          lr: float = 2e-3, weight_decay: float = 0.0, warmup: int = 200, ema_decay: float = 0.999,
          grad_clip: float = 1.0, seed: int = 0, device=None, compile: bool = False, progress: bool = True,
          amp: bool | None = None, labels: torch.Tensor | None = None, label_dropout: float = 0.0) -> TrainResult:
    """Train ``model`` on ``data`` (N, *sample_shape) with L_simple; returns the EMA model and the losses.

    With ``labels`` (N,) the network is trained class-conditionally: each label is replaced by
    ``model.null_class`` with probability ``label_dropout``, so the same network learns ε(x, t, c) and ε(x, t).
    """
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if tuple(data.shape[1:]) != tuple(model.sample_shape):
        raise ValueError(f"data has samples of shape {tuple(data.shape[1:])}, the model expects {model.sample_shape}")
    null_class = getattr(model, "null_class", None)
    if labels is not None:
        if null_class is None:
            raise ValueError("labels were given but the model is unconditional; build it with num_classes")
        if labels.dtype != torch.int64 or labels.shape != (data.shape[0],):
            raise ValueError(f"labels must be an int64 tensor of shape ({data.shape[0]},), got {labels.dtype} {tuple(labels.shape)}")
    if not (isinstance(label_dropout, (int, float)) and 0.0 <= label_dropout < 1.0):
        raise ValueError(f"label_dropout must be a probability in [0, 1), got {label_dropout!r}")
    prediction_type = getattr(model, "prediction_type", "epsilon")
    if prediction_type == "epsilon" and float(schedule.alphas_cumprod[-1]) == 0.0:
        raise ValueError("a zero-terminal-SNR schedule needs prediction_type='v' (ε is unlearnable at ᾱ = 0)")
    device = torch.device(device) if device is not None else default_device()
    amp = device.type == "cuda" if amp is None else amp
    torch.manual_seed(seed)
    model = model.to(device).train()
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    net = torch.compile(model) if compile else model
    data = data.to(device)
    labels = labels.to(device) if labels is not None else None
    alphas_cumprod = schedule.alphas_cumprod.to(device=device, dtype=torch.float32)
    g = torch.Generator(device=device).manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, warmup)) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps)))))
    losses = torch.empty(steps, device=device)
    view = (-1,) + (1,) * (data.ndim - 1)
    t0 = time.perf_counter()
    for step in tqdm(range(steps), disable=not progress, desc="train", leave=False):
        idx = torch.randint(0, data.shape[0], (batch_size,), device=device, generator=g)
        x0 = data[idx]
        t = torch.randint(0, schedule.T, (batch_size,), device=device, generator=g)
        noise = torch.randn(x0.shape, device=device, generator=g)
        x_t = q_sample(schedule, x0, t, noise=noise)
        if labels is not None:
            y = labels[idx]
            drop = torch.rand(batch_size, device=device, generator=g) < label_dropout
            y = torch.where(drop, torch.full_like(y, null_class), y)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
            out = net(x_t, t) if labels is None else net(x_t, t, class_labels=y)
        target = _target(prediction_type, x0, noise, alphas_cumprod[t].reshape(view))
        loss = torch.nn.functional.mse_loss(out.float(), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        opt.step()
        sched.step()
        losses[step] = loss.detach()
        d = min(ema_decay, (1 + step) / (10 + step))  # EMA warm-up, so short runs are usable
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.lerp_(pm, 1 - d)
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    return TrainResult(ema.cpu(), losses.cpu().tolist(), seconds, steps / seconds, str(device))


def build_for_data(name: str, prediction_type: str = "epsilon", **kw) -> torch.nn.Module:
    """The network the recipes use for a data set (a name ending in ``_cond``: the class-conditional U-Net)."""
    if name.endswith("_cond"):
        return build_for_data(name[: -len("_cond")], prediction_type=prediction_type, num_classes=10, **kw)
    if name in POINT_SETS:
        return MLPDenoiser(dim=2, prediction_type=prediction_type, **kw)
    shape = load_dataset(name, "train").sample_shape
    mults = (1, 2) if shape[-1] == 8 else (1, 2, 2)  # 8 -> 4;  16 -> 8 -> 4;  28 -> 14 -> 7
    return TinyUNet(sample_shape=shape, channel_mults=mults, prediction_type=prediction_type, **kw)


def save_checkpoint(path, model: torch.nn.Module, schedule: Schedule, meta: dict) -> None:
    """Save weights with everything needed to rebuild them: model config, schedule, and how they were made."""
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    torch.save({"format": 1, "config": model.config, "state_dict": state, "schedule": schedule.to_dict(),
                "meta": meta}, path)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ddim_teach.models.train", description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, choices=IMAGE_SETS + POINT_SETS + ("mnist5k_cond",),
                   help="a data set; mnist5k_cond trains the class-conditional U-Net with label dropout")
    p.add_argument("--steps", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--schedule", default="linear")
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--zero-terminal-snr", action="store_true")
    p.add_argument("--prediction-type", default="epsilon", choices=["epsilon", "v"])
    p.add_argument("--device", default=None, help="cuda or cpu (default: cuda when present)")
    p.add_argument("--compile", action="store_true", help="torch.compile the network")
    p.add_argument("--label-dropout", type=float, help="probability of the null label (conditional sets only)")
    p.add_argument("--init", help="start from this checkpoint's weights (a second training phase); its meta is kept")
    p.add_argument("--out", required=True, help="checkpoint path (.pt)")
    args = p.parse_args(argv)
    recipe = dict(RECIPES[args.data])
    device = torch.device(args.device) if args.device else default_device()
    if device.type == "cuda":
        recipe["batch_size"] = CUDA_BATCH_SIZE  # keep the GPU busy; an explicit --batch-size still wins
    for k in ("steps", "batch_size", "lr", "label_dropout"):
        if getattr(args, k) is not None:
            recipe[k] = getattr(args, k)
    schedule = make_schedule(args.schedule, T=args.T, zero_terminal_snr=args.zero_terminal_snr)
    torch.manual_seed(args.seed)
    model = build_for_data(args.data, prediction_type=args.prediction_type)
    init_meta = None
    if args.init:
        from .pretrained import load_checkpoint

        init, schedule, init_meta = load_checkpoint(args.init)
        if init.config != model.config:
            raise ValueError(f"--init {args.init} holds a {init.config} network, not the {args.data} recipe's {model.config}")
        model.load_state_dict(init.state_dict())
    conditional = args.data.endswith("_cond")
    ds = load_dataset(args.data[: -len("_cond")] if conditional else args.data, "train")
    res = train(model, ds.x, schedule, seed=args.seed, device=device, compile=args.compile,
                labels=ds.y if conditional else None, **recipe)
    command = "python -m ddim_teach.models.train " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    meta = {"command": command, "data": args.data, "seed": args.seed, "steps": recipe["steps"],
            "batch_size": recipe["batch_size"], "lr": recipe["lr"], "label_dropout": recipe.get("label_dropout", 0.0),
            "final_loss": res.final_loss,
            "device": res.device, "seconds": round(res.seconds, 1), "torch": str(torch.__version__)}
    if init_meta is not None:
        meta["init"] = init_meta  # the phase this one continued, with its own command
    save_checkpoint(args.out, res.model, schedule, meta)
    print(f"saved {args.out}: {recipe['steps']} steps in {res.seconds:.0f} s on {res.device}, final loss {res.final_loss:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
