"""The DDIM paper's Table 1 (quality against S and η) and Table 2 (reconstruction against S), with error bars.

Table 1 is measured on the exact denoiser of the ring of 8 Gaussians ('exact:ring8'): the network is
perfect, so only the sampler (S, η, σ̂) is judged. The score is the squared maximum mean discrepancy
between the samples and the *true* mixture, with the expectations under the mixture in closed form:

    MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) − 2/n Σ_i E_y k(x_i, y) + E_{y,y'} k(y, y'),   y, y' ~ q,

k a sum of RBF kernels exp(−|a−b|²/(2h²)). For an isotropic component N(m, s²I) in D dimensions,
E_y k(x, y) = (h²/(h²+s²))^{D/2} exp(−|x−m|²/(2(h²+s²))), and E_{y,y'} is the same with s_j² + s_k².
No reference sample enters, and the estimator is unbiased: for real samples its mean is exactly 0, so the
spread of the score on real data *is* its noise floor. Every cell is run with several seeds (independent
x_T and noise streams) and reported as mean ± 95% Student-t interval. The sliced Wasserstein distance is
recorded beside it, to show why it was not chosen (its noise is as large as the η differences).

``load_table1()`` reads the cached result that ``python -m ddim_teach.experiments.tables`` (or ``benchmarks/quality.py``)
writes, so a lecture shows it without re-running 25 × 5 sampler runs.

The one tables module of the package: ``sample``/``quality``/``quality_floor`` (n samples of a named
denoiser and its headline score), the paper's CIFAR10 figures quoted for comparison, Table 2's
``reconstruction_table``, ``slerp``, and the one interval function ``mean_ci`` (Student t, scipy) that
every table and benchmark uses.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from ..core.step import SIGMA_HAT
from .records import get_denoiser, run_batch
from .metrics import sliced_wasserstein
from .oracles import GaussianMixtureDenoiser
from ..samplers.loop import invert_ddim, sample_ddim
from ..core.timesteps import make_timesteps

__all__ = ["PAPER_TABLE1_CIFAR10", "PAPER_TABLE2_CIFAR10", "sample", "quality", "quality_floor", "slerp",
           "BANDWIDTHS", "mmd_to_mixture", "t_quantile", "mean_ci", "Table1Result", "run_table1", "load_table1",
           "CACHE", "SIGMA_HAT", "cell_samples", "real_samples", "ljust_cols", "eta_label", "reconstruction_table", "format_reconstruction"]

# DDIM paper, Table 1, CIFAR10 FID for S = 10, 20, 50, 100, 1000 (the rows for η = 0, 0.2, 0.5, 1 and σ̂)
PAPER_TABLE1_CIFAR10 = {
    "S": (10, 20, 50, 100, 1000),
    0.0: (13.36, 6.84, 4.67, 4.16, 4.04),
    0.2: (14.04, 7.11, 4.77, 4.25, 4.09),
    0.5: (16.66, 8.35, 5.25, 4.46, 4.29),
    1.0: (41.07, 18.36, 8.01, 5.78, 4.73),
    SIGMA_HAT: (367.43, 133.37, 32.72, 9.99, 3.17),
}
# DDIM paper, Table 2, CIFAR10 reconstruction error (per-dimension MSE) of x_0 -> x_T -> x_0
PAPER_TABLE2_CIFAR10 = {"S": (10, 20, 50, 100, 200, 500, 1000),
                        "mse": (0.014, 0.0065, 0.0023, 0.0009, 0.0004, 0.0001, 0.0001)}


def sample(name: str, S: int, eta=0.0, spacing: str = "leading", n: int = 500, seed: int = 0,
           sampler: str = "ddim", batch: int = 500) -> torch.Tensor:
    """n samples from a named denoiser, in batches of at most ``batch``; batch k is run (seed, k) of
    ``experiments.run_batch``, so batches are independent and the first equals ``run_sampler``'s samples."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ValueError(f"batch must be a positive int, got {batch!r}")
    ts = make_timesteps(get_denoiser(name).T, S, spacing)
    return torch.cat([run_batch(name, ts, sampler=sampler, eta=eta, seed=seed, batch=k, n=min(batch, n - b0))
                      for k, b0 in enumerate(range(0, n, batch))])


def quality(name: str, x: torch.Tensor) -> float:
    """The headline score of samples, chosen by the denoiser's record (lower is better)."""
    return get_denoiser(name).score(x)


def quality_floor(name: str, n: int = 500) -> float:
    """The same score between real data and held-out real data: the best a sampler can show."""
    return get_denoiser(name).floor(n)


BANDWIDTHS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
CACHE = Path(__file__).resolve().parent.parent / "results" / "table1_exact_ring8.json"  # ddim_teach/results
DEFAULT_S = (10, 20, 50, 100, 1000)
DEFAULT_ETAS = (0.0, 0.2, 0.5, 1.0, SIGMA_HAT)


def mmd_to_mixture(x: torch.Tensor, mixture: GaussianMixtureDenoiser, bandwidths=BANDWIDTHS) -> float:
    """Unbiased MMD² between the points ``x`` (n, D) and the exact law of a mixture of isotropic Gaussians."""
    if not isinstance(mixture, GaussianMixtureDenoiser):
        raise TypeError(f"mixture must be a GaussianMixtureDenoiser, got {type(mixture).__name__}")
    x = torch.as_tensor(x).detach().to("cpu", torch.float64)
    x = x.reshape(x.shape[0], -1)
    n, D = x.shape
    if n < 2:
        raise ValueError(f"need at least 2 samples, got {n}")
    if D != mixture.means[0].numel():
        raise ValueError(f"samples have dimension {D}, the mixture {mixture.means[0].numel()}")
    if not torch.isfinite(x).all():
        raise ValueError("samples contain NaN or inf")
    mu, s2, w = mixture.means.reshape(-1, D), mixture.stds**2, mixture.log_weights.exp()
    d2xx, d2xm, d2mm = torch.cdist(x, x) ** 2, torch.cdist(x, mu) ** 2, torch.cdist(mu, mu) ** 2
    total = 0.0
    for h in bandwidths:
        h2 = h * h
        kxx = torch.exp(-d2xx / (2 * h2))
        t1 = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
        v = h2 + s2  # (K,)
        t2 = ((h2 / v) ** (D / 2) * torch.exp(-d2xm / (2 * v)) * w).sum(1).mean()
        V = h2 + s2[:, None] + s2[None]
        t3 = (w[:, None] * w[None] * (h2 / V) ** (D / 2) * torch.exp(-d2mm / (2 * V))).sum()
        total += float(t1 - 2 * t2 + t3)
    return total


def t_quantile(df: int, level: float = 0.95) -> float:
    """The two-sided Student-t quantile, e.g. 2.776 for 4 degrees of freedom at 95%."""
    from scipy.stats import t

    if df < 1:
        raise ValueError(f"need at least 2 values for an interval, got df={df}")
    return float(t.ppf(0.5 + level / 2, df))


def mean_ci(values, level: float = 0.95) -> tuple[float, float]:
    """(mean, half-width of the Student-t interval) of independent values."""
    v = torch.as_tensor(values, dtype=torch.float64).flatten()
    if v.numel() < 2:
        raise ValueError(f"need at least 2 values for an interval, got {v.numel()}")
    return float(v.mean()), t_quantile(v.numel() - 1, level) * float(v.std()) / math.sqrt(v.numel())


def eta_label(eta) -> str:
    return "σ̂" if eta == SIGMA_HAT else f"{float(eta):g}"


def ljust_cols(label: str, width: int) -> str:
    """Left-justify by columns: σ̂ is two code points but one column."""
    import unicodedata

    return label + " " * max(width - sum(not unicodedata.combining(c) for c in label), 0)


def _key(eta) -> str:
    return SIGMA_HAT if eta == SIGMA_HAT else f"{float(eta):g}"


@dataclass
class Table1Result:
    """Per-seed scores: ``mmd[key][j][s]`` for η key, S_list[j], seed s; ``sw[key][0][s]`` at the first S only;
    ``floor_*`` on real samples."""

    name: str
    S_list: list
    etas: list
    n: int
    seeds: list
    mmd: dict = field(default_factory=dict)
    sw: dict = field(default_factory=dict)
    floor_mmd: list = field(default_factory=list)
    floor_sw: list = field(default_factory=list)

    def cell(self, eta, S, metric: str = "mmd") -> tuple[float, float]:
        """(mean, 95% half-width) of one cell over the seeds."""
        return mean_ci(getattr(self, metric)[_key(eta)][self.S_list.index(S)])

    def floor(self, metric: str = "mmd") -> tuple[float, float]:
        return mean_ci(getattr(self, f"floor_{metric}"))

    def format(self, metric: str = "mmd", scale: float = 1e3, paper: dict | None = PAPER_TABLE1_CIFAR10) -> str:
        """Fixed-width text: one row per η, 'mean ± half' per S, then the paper's CIFAR10 FIDs for that η."""
        head = f"{'eta':<5}" + "".join(f"{'S=' + str(S):>15}" for S in self.S_list)
        lines = [head + ("   | CIFAR10 FID (paper)" if paper else "")]
        for eta in self.etas:
            cells = "".join(f"{'%.2f ± %.2f' % tuple(scale * c for c in self.cell(eta, S, metric)):>15}" for S in self.S_list)
            ref = ""
            if paper:
                row = paper.get(SIGMA_HAT if eta == SIGMA_HAT else float(eta))
                ref = "   | " + (" ".join(f"{v:g}" for S, v in zip(paper["S"], row) if S in self.S_list) if row else "-")
            lines.append(ljust_cols(eta_label(eta), 5) + cells + ref)
        m, h = self.floor(metric)
        lines.append(f"{'real':<5}{'%.2f ± %.2f' % (scale * m, scale * h):>15}   (real samples: the noise floor)")
        return "\n".join(lines)

    def to_json(self, path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def from_json(cls, path) -> "Table1Result":
        d = json.loads(Path(path).read_text())
        d["etas"] = [e if e == SIGMA_HAT else float(e) for e in d["etas"]]
        return cls(**d)


def run_table1(name: str = "exact:ring8", S_list=DEFAULT_S, etas=DEFAULT_ETAS, n: int = 2000, seeds=range(5),
               spacing: str = "leading", progress: bool = False) -> Table1Result:
    """Sample every (η, S, seed) cell and score it; also score real samples from the mixture (the floor)."""
    d = get_denoiser(name)
    if not isinstance(d.model, GaussianMixtureDenoiser):
        raise ValueError(f"Table 1 with the exact MMD needs a mixture oracle such as 'exact:ring8', got {name!r}")
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ValueError("need at least 2 seeds for an interval")
    res = Table1Result(name, list(S_list), list(etas), n, seeds)
    for eta in etas:
        res.mmd[_key(eta)], res.sw[_key(eta)] = [], []
        for S in S_list:
            xs = [cell_samples(name, S, eta, s, n, spacing) for s in seeds]
            res.mmd[_key(eta)].append([mmd_to_mixture(x, d.model) for x in xs])
            if S == S_list[0]:  # SW only where it is compared with the MMD (it costs a sort of the reference)
                res.sw[_key(eta)].append([sliced_wasserstein(x, d.reference) for x in xs])
            if progress:
                print(f"eta={eta_label(eta)} S={S}: done", flush=True)
    for s in seeds:
        real = real_samples(name, s, n)
        res.floor_mmd.append(mmd_to_mixture(real, d.model))
        res.floor_sw.append(sliced_wasserstein(real, d.reference))
    return res


def cell_samples(name: str, S: int, eta, seed: int, n: int, spacing: str = "leading") -> torch.Tensor:
    """The n samples of one cell of Table 1 (one batch, so the seed alone fixes them)."""
    return sample(name, S, eta, spacing, n=n, seed=seed, batch=n)


def real_samples(name: str, seed: int, n: int) -> torch.Tensor:
    """n real samples for the noise floor, from a stream apart from the reference's seed 0."""
    return get_denoiser(name).model.sample(n, generator=torch.Generator().manual_seed(10_000 + seed))


def load_table1(path=CACHE) -> Table1Result:
    """The cached Table 1 (written by ``python -m ddim_teach.experiments.tables``)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python -m ddim_teach.experiments.tables` to compute it (a few minutes)")
    return Table1Result.from_json(path)


# ---- Table 2: reconstruction x_0 -> x_T -> x_0, per-image errors with intervals ----------------------------
def reconstruction_table(name: str = "digits", S_list=(10, 20, 50, 100), n: int = 64) -> dict:
    """{S: per-sample MSE (tensor of n)} of x_0 -> invert_ddim -> sample_ddim(η = 0), on held-out data."""
    d = get_denoiser(name)
    x0 = d.model.sample(n, generator=torch.Generator().manual_seed(0)) if name.startswith("exact:") and name != "exact:digits" \
        else d.reference[:n]
    out = {}
    for S in S_list:
        ts = make_timesteps(d.T, S, "leading")
        x_T = invert_ddim(d.model, x0, d.schedule, ts, progress=False)
        rec = sample_ddim(d.model, x_T, d.schedule, ts, progress=False)
        out[S] = ((rec - x0) ** 2).flatten(1).mean(1)
    return out


def format_reconstruction(errs: dict, paper: dict = PAPER_TABLE2_CIFAR10) -> str:
    """'S  mean ± 95% half-width (over samples)  | paper' lines, MSE per dimension."""
    ref = dict(zip(paper["S"], paper["mse"]))
    lines = [f"{'S':>5} {'MSE (ours)':>22}  | CIFAR10 (paper)"]
    for S, e in errs.items():
        m, h = mean_ci(e)
        lines.append(f"{S:>5} {'%.5f ± %.5f' % (m, h):>22}  | {ref.get(S, '-')}")
    return "\n".join(lines)


def slerp(z0: torch.Tensor, z1: torch.Tensor, alpha: float) -> torch.Tensor:
    """Spherical interpolation between two x_T (the paper's Sec. 5.3; per sample, over all dimensions)."""
    a, b = z0.flatten(1), z1.flatten(1)
    cos = (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
    theta = torch.arccos(cos.clamp(-1, 1))[:, None]
    out = (torch.sin((1 - alpha) * theta) * a + torch.sin(alpha * theta) * b) / torch.sin(theta)
    return out.reshape(z0.shape)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Compute and cache Table 1 on the exact ring (a few minutes on 2 cores).")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", default=str(CACHE))
    a = ap.parse_args()
    r = run_table1(n=a.n, seeds=range(a.seeds), progress=True)
    r.to_json(a.out)
    print(r.format())
