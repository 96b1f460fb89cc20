"""A toy U-Net for small images, readable in one file (after DDPM's and improved-diffusion's U-Nets).

    x (B, C, H, W) ─ conv_in ─ [ResBlock ×n, Downsample] per level ─ middle ResBlock
                  ─ [concat skip, ResBlock ×n, Upsample] per level ─ GroupNorm, SiLU, conv_out ─ ε̂ (B, C, H, W)
Each ResBlock adds a projection of the sinusoidal time embedding (Transformer / DDPM style).
Two resolutions for 8×8 digits (8 -> 4), three for 16×16 or 28×28 (channel_mults of length 3).

Class-conditional when built with ``num_classes=K``: a learned embedding of the label c ∈ {0, …, K−1} is
added to the time embedding, and one more label, ``null_class = K``, means "no class". Trained with label
dropout (the label replaced by ``null_class`` at random), the one network gives ε(x, t, c) and ε(x, t),
the two branches that classifier-free guidance combines.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["TinyUNet", "timestep_embedding"]


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Sinusoidal embedding of integer timesteps t (B,) -> (B, dim), in ``dtype`` (the networks pass x's dtype)."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=dtype, device=t.device) / half)
    args = t.to(dtype)[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


def _groups(ch: int) -> int:
    return math.gcd(8, ch)


class ResBlock(nn.Module):
    def __init__(self, ch_in: int, ch_out: int, time_dim: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(_groups(ch_in), ch_in)
        self.conv1 = nn.Conv2d(ch_in, ch_out, 3, padding=1)
        self.time = nn.Linear(time_dim, ch_out)
        self.norm2 = nn.GroupNorm(_groups(ch_out), ch_out)
        self.conv2 = nn.Conv2d(ch_out, ch_out, 3, padding=1)
        self.skip = nn.Conv2d(ch_in, ch_out, 1) if ch_in != ch_out else nn.Identity()

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(temb)[:, :, None, None]  # (B, C, 1, 1)
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class TinyUNet(nn.Module):
    """ε-prediction U-Net. ``sample_shape`` is (C, H, W); H and W must divide by 2^(levels-1)."""

    def __init__(self, sample_shape=(1, 8, 8), base_channels: int = 32, channel_mults=(1, 2),
                 num_res_blocks: int = 1, time_dim: int = 64, prediction_type: str = "epsilon",
                 num_classes: int | None = None):
        super().__init__()
        if num_classes is not None and (isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1):
            raise ValueError(f"num_classes must be a positive int or None, got {num_classes!r}")
        C, H, W = sample_shape
        down = 2 ** (len(channel_mults) - 1)
        if H % down or W % down:
            raise ValueError(f"H and W must be divisible by {down} for {len(channel_mults)} levels, got {H}×{W}")
        self.sample_shape = tuple(sample_shape)
        self.prediction_type = prediction_type
        self.config = dict(class_="TinyUNet", sample_shape=list(sample_shape), base_channels=base_channels,
                           channel_mults=list(channel_mults), num_res_blocks=num_res_blocks, time_dim=time_dim, prediction_type=prediction_type)
        if num_classes is not None:
            self.config["num_classes"] = num_classes
        self.num_classes = num_classes
        # the label that means "no class" (the unconditional branch); None for an unconditional network
        self.null_class = num_classes
        self.class_emb = nn.Embedding(num_classes + 1, time_dim) if num_classes is not None else None
        self.config["class"] = self.config.pop("class_")
        self.time_dim = time_dim
        self.time_mlp = nn.Sequential(nn.Linear(time_dim, time_dim), nn.SiLU(), nn.Linear(time_dim, time_dim))
        chs = [base_channels * m for m in channel_mults]
        self.conv_in = nn.Conv2d(C, chs[0], 3, padding=1)
        self.down, self.downsample = nn.ModuleList(), nn.ModuleList()
        ch = chs[0]
        for i, c in enumerate(chs):
            self.down.append(nn.ModuleList([ResBlock(ch if j == 0 else c, c, time_dim) for j in range(num_res_blocks)]))
            ch = c
            last = i == len(chs) - 1
            self.downsample.append(nn.Identity() if last else nn.Conv2d(c, c, 3, stride=2, padding=1))
        self.mid = nn.ModuleList([ResBlock(ch, ch, time_dim)])
        self.up, self.upsample = nn.ModuleList(), nn.ModuleList()
        for i, c in reversed(list(enumerate(chs))):
            self.up.append(nn.ModuleList([ResBlock(ch + c if j == 0 else c, c, time_dim) for j in range(num_res_blocks)]))
            ch = c
            self.upsample.append(nn.Identity() if i == 0 else nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                                                            nn.Conv2d(c, chs[i - 1], 3, padding=1)))
            if i > 0:
                ch = chs[i - 1]
        self.norm_out = nn.GroupNorm(_groups(ch), ch)
        self.conv_out = nn.Conv2d(ch, C, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def check_inputs(self, x: torch.Tensor, t: torch.Tensor) -> None:
        if x.ndim != 4 or tuple(x.shape[1:]) != self.sample_shape:
            raise ValueError(f"TinyUNet expects (B, {', '.join(map(str, self.sample_shape))}), got {tuple(x.shape)}")
        if t.shape != (x.shape[0],):
            raise ValueError(f"x and t on mismatched shapes: t is {tuple(t.shape)}, expected ({x.shape[0]},)")

    def check_labels(self, class_labels, batch: int) -> torch.Tensor | None:
        """The labels as an int64 tensor (B,) in 0…num_classes (num_classes = ``null_class``), or a clear error."""
        if class_labels is None:
            return None
        if self.num_classes is None:
            raise ValueError("this TinyUNet is unconditional (built without num_classes); call it without class_labels")
        if not isinstance(class_labels, torch.Tensor) or class_labels.dtype != torch.int64:
            raise TypeError(f"class_labels must be an int64 tensor of shape ({batch},), got "
                            f"{type(class_labels).__name__}{'' if not isinstance(class_labels, torch.Tensor) else ' of dtype ' + str(class_labels.dtype)}")
        if class_labels.shape != (batch,):
            raise ValueError(f"class_labels must have shape ({batch},) to match x, got {tuple(class_labels.shape)}")
        if class_labels.numel() and (int(class_labels.min()) < 0 or int(class_labels.max()) > self.num_classes):
            raise ValueError(f"class_labels must lie in 0…{self.num_classes - 1} (or {self.null_class} = null_class for "
                             f"no class), got values from {int(class_labels.min())} to {int(class_labels.max())}")
        return class_labels

    def forward(self, x: torch.Tensor, t: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
        """ε̂ (or v̂) for x_t at integer t; a conditional network without labels answers for ``null_class``."""
        self.check_inputs(x, t)
        class_labels = self.check_labels(class_labels, x.shape[0])
        temb = self.time_mlp(timestep_embedding(t, self.time_dim, dtype=x.dtype))
        if self.class_emb is not None:
            if class_labels is None:
                class_labels = torch.full((x.shape[0],), self.null_class, dtype=torch.int64, device=x.device)
            temb = temb + self.class_emb(class_labels).to(temb.dtype)
        h = self.conv_in(x)
        skips = []
        for blocks, ds in zip(self.down, self.downsample):
            for b in blocks:
                h = b(h, temb)
            skips.append(h)
            h = ds(h)
        for b in self.mid:
            h = b(h, temb)
        for blocks, us in zip(self.up, self.upsample):
            h = torch.cat([h, skips.pop()], dim=1)
            for b in blocks:
                h = b(h, temb)
            h = us(h)
        return self.conv_out(F.silu(self.norm_out(h)))
