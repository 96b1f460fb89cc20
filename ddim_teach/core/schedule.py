"""Noise schedules: the β_t table and everything derived from it.

Notation (0-based table index t = 0..T-1 stands for the paper's step t+1):
    betas[t]               β
    alphas[t]              α = 1 - β                      (DDPM's α_t)
    alphas_cumprod[t]      ᾱ = ∏_{s≤t} α_s                (DDPM's ᾱ_t; the DDIM paper writes α_t)
    alphas_cumprod_prev[t] ᾱ at t-1, with ᾱ = 1 before the first step
    snr                    ᾱ / (1 - ᾱ)
    sigmas                 sqrt((1 - ᾱ) / ᾱ), the noise level of k-diffusion's x/ sqrt(ᾱ) parameterisation

References:
    Ho et al. 2020 (DDPM), linear β from 1e-4 to 0.02.
    Nichol & Dhariwal 2021 (improved DDPM), Eq. 17, the cosine schedule with s = 0.008, β capped at 0.999.
    Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are Flawed", Algorithm 1
    (rescale to zero terminal SNR).
All tables are float64; samplers cast them where they are used.
"""
from __future__ import annotations

import inspect
import math
import numbers
from dataclasses import dataclass, field

import torch

__all__ = ["Schedule", "make_schedule", "rescale_zero_terminal_snr", "SCHEDULE_KINDS"]

SCHEDULE_KINDS = ("linear", "scaled_linear", "cosine", "sigmoid", "custom")


def _linear(T: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)


def _scaled_linear(T: int, beta_start: float = 0.00085, beta_end: float = 0.012) -> torch.Tensor:
    # linear in sqrt(β), as in latent diffusion / diffusers' "scaled_linear"
    return torch.linspace(beta_start**0.5, beta_end**0.5, T, dtype=torch.float64) ** 2


def _cosine(T: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    # ᾱ(t) = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2); β_t = 1 - ᾱ(t)/ᾱ(t-1), capped
    def f(u: float) -> float:
        return math.cos((u / T + s) / (1 + s) * math.pi / 2) ** 2

    betas = [min(1.0 - f(i + 1) / f(i), max_beta) for i in range(T)]
    return torch.tensor(betas, dtype=torch.float64)


def _sigmoid(T: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    # the "sigmoid" schedule of GeoDiff / diffusers: a sigmoid over [-6, 6] mapped onto [beta_start, beta_end]
    x = torch.linspace(-6.0, 6.0, T, dtype=torch.float64)
    return torch.sigmoid(x) * (beta_end - beta_start) + beta_start


def _real(name: str, v, kind: str) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)):
        raise TypeError(f"{name} of the {kind!r} schedule must be a finite real number, got {type(v).__name__} {v!r}")
    return float(v)


def _check_schedule_keywords(kind: str, kw: dict) -> None:
    """β ranges and cosine's s / max_beta: a clear error instead of a ZeroDivisionError or a silent cap."""
    vals = {k: _real(k, v, kind) for k, v in kw.items()}
    if "s" in vals and not vals["s"] >= 0:
        raise ValueError(f"s (the cosine schedule's offset) must be ≥ 0 (0.008 in Nichol & Dhariwal), got {kw['s']!r}")
    if "max_beta" in vals and not 0 < vals["max_beta"] < 1:
        raise ValueError(f"max_beta must lie in (0, 1) (β = 1 wipes the signal; 0.999 is usual), got {kw['max_beta']!r}")
    for k in ("beta_start", "beta_end"):
        if k in vals and not 0 < vals[k] < 1:
            raise ValueError(f"{k} must lie in (0, 1), got {kw[k]!r}")


_BUILDERS = {"linear": _linear, "scaled_linear": _scaled_linear, "cosine": _cosine, "sigmoid": _sigmoid}


def rescale_zero_terminal_snr(betas: torch.Tensor) -> torch.Tensor:
    """Lin et al. 2023, Algorithm 1: shift and scale sqrt(ᾱ) so that ᾱ_T = 0 and ᾱ_1 is unchanged."""
    alphas_cumprod = torch.cumprod(1.0 - betas.to(torch.float64), dim=0)
    sqrt_ab = alphas_cumprod.sqrt()
    first, last = sqrt_ab[0].clone(), sqrt_ab[-1].clone()
    if not first > last:
        raise ValueError("cannot rescale to zero terminal SNR: sqrt(alpha_bar) does not decrease over the schedule")
    sqrt_ab = (sqrt_ab - last) * first / (first - last)
    alphas_cumprod = sqrt_ab**2
    alphas = torch.cat([alphas_cumprod[:1], alphas_cumprod[1:] / alphas_cumprod[:-1]])
    return 1.0 - alphas


@dataclass(frozen=True, eq=False)
class Schedule:
    """A diffusion noise schedule. Build one with :func:`make_schedule`."""

    betas: torch.Tensor
    kind: str = "custom"
    zero_terminal_snr: bool = False
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        b = self.betas
        if not isinstance(b, torch.Tensor):
            b = torch.as_tensor(b)
        b = b.detach().to("cpu", torch.float64)
        if b.ndim != 1 or b.numel() < 1:
            raise ValueError(f"betas must be a non-empty 1-D sequence, got shape {tuple(b.shape)}")
        if not torch.isfinite(b).all():
            raise ValueError("betas contain NaN or inf")
        if (b <= 0).any() or (b > 1).any():
            raise ValueError(f"betas must lie in (0, 1], got values in [{b.min().item():.3g}, {b.max().item():.3g}]")
        if (b[:-1] == 1).any():
            raise ValueError("only the last beta may equal 1 (zero terminal SNR); an earlier one would erase the data")
        object.__setattr__(self, "betas", b)
        # q(x_t | x_0)
        alphas = 1.0 - b
        alphas_cumprod = torch.cumprod(alphas, dim=0)
        if self.zero_terminal_snr:
            alphas_cumprod[-1] = 0.0  # exact zero; round-off would otherwise leave ~1e-20
        object.__setattr__(self, "alphas", alphas)
        object.__setattr__(self, "alphas_cumprod", alphas_cumprod)
        object.__setattr__(
            self, "alphas_cumprod_prev", torch.cat([torch.ones(1, dtype=torch.float64), alphas_cumprod[:-1]])
        )

    # ---- derived tables -------------------------------------------------------------------------------
    @property
    def T(self) -> int:
        return int(self.betas.shape[0])

    @property
    def snr(self) -> torch.Tensor:
        return self.alphas_cumprod / (1.0 - self.alphas_cumprod)

    @property
    def log_snr(self) -> torch.Tensor:
        return torch.log(self.alphas_cumprod) - torch.log1p(-self.alphas_cumprod)

    @property
    def sigmas(self) -> torch.Tensor:
        """k-diffusion's σ = sqrt((1-ᾱ)/ᾱ); inf where ᾱ = 0."""
        return ((1.0 - self.alphas_cumprod) / self.alphas_cumprod).sqrt()

    # posterior q(x_{t-1} | x_t, x_0)
    @property
    def posterior_variance(self) -> torch.Tensor:
        """β̃_t = (1 - ᾱ_{t-1}) / (1 - ᾱ_t) · β_t, zero at t = 0."""
        return (1.0 - self.alphas_cumprod_prev) / (1.0 - self.alphas_cumprod) * self.betas

    @property
    def posterior_mean_coef1(self) -> torch.Tensor:
        """Coefficient of x_0 in the posterior mean: sqrt(ᾱ_{t-1}) β_t / (1 - ᾱ_t)."""
        return self.alphas_cumprod_prev.sqrt() * self.betas / (1.0 - self.alphas_cumprod)

    @property
    def posterior_mean_coef2(self) -> torch.Tensor:
        """Coefficient of x_t in the posterior mean: sqrt(α_t) (1 - ᾱ_{t-1}) / (1 - ᾱ_t)."""
        return self.alphas.sqrt() * (1.0 - self.alphas_cumprod_prev) / (1.0 - self.alphas_cumprod)

    # ---- serialisation (checkpoints record the schedule they were trained with) ----------------------
    def to_dict(self) -> dict:
        if self.kind == "custom":
            return {"kind": "custom", "betas": self.betas.tolist(), "zero_terminal_snr": self.zero_terminal_snr}
        return {"kind": self.kind, "T": self.T, "zero_terminal_snr": self.zero_terminal_snr, **self.params}

    @classmethod
    def from_dict(cls, d: dict) -> "Schedule":
        d = dict(d)
        return make_schedule(d.pop("kind"), **d)

    def __repr__(self) -> str:
        extra = ", zero_terminal_snr=True" if self.zero_terminal_snr else ""
        return f"Schedule(kind={self.kind!r}, T={self.T}{extra})"


def make_schedule(kind: str = "linear", T: int = 1000, *, zero_terminal_snr: bool = False, betas=None, **kw) -> Schedule:
    """Build a :class:`Schedule`.

    kind: "linear" (β from 1e-4 to 0.02, DDPM/DDIM), "scaled_linear", "cosine", "sigmoid", or "custom"
    (pass ``betas``). Extra keywords: ``beta_start``/``beta_end`` (linear, scaled_linear, sigmoid),
    ``s``/``max_beta`` (cosine). ``zero_terminal_snr=True`` applies Lin et al.'s rescale.
    """
    if betas is not None and kind == "linear":
        kind = "custom"
    if kind not in SCHEDULE_KINDS:
        raise ValueError(f"unknown schedule kind {kind!r}; choose one of {', '.join(SCHEDULE_KINDS)}")
    if kind == "custom":
        if betas is None:
            raise ValueError("kind='custom' needs betas=...")
        if kw:
            raise TypeError(f"unexpected keyword(s) for a custom schedule: {sorted(kw)}")
        b = torch.as_tensor(betas, dtype=torch.float64)
        params: dict = {}
    else:
        if betas is not None:
            raise ValueError(f"betas=... is only for kind='custom', not {kind!r}")
        if isinstance(T, bool) or not isinstance(T, int) or T < 1:
            raise ValueError(f"T must be a positive int, got {T!r}")
        builder = _BUILDERS[kind]
        allowed = tuple(inspect.signature(builder).parameters)[1:]  # its keywords after T (signature survives wrapping)
        unknown = set(kw) - set(allowed)
        if unknown:
            raise TypeError(f"unexpected keyword(s) for {kind!r}: {sorted(unknown)}; allowed: {list(allowed)}")
        _check_schedule_keywords(kind, kw)
        b = builder(T, **kw)
        params = dict(kw)
    if zero_terminal_snr:
        b = rescale_zero_terminal_snr(b)
    return Schedule(betas=b, kind=kind, zero_terminal_snr=zero_terminal_snr, params=params)
