"""Table 1 with error bars (ddim_teach.experiments.tables) and the exact Gaussian law of DDIM's output (ddim_teach.experiments.gaussian_law)."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.experiments import gaussian_law as gl
from ddim_teach.experiments import tables as t1
from ddim_teach.experiments.oracles import GaussianDenoiser, ring_of_gaussians

SCH = dt.make_schedule("linear", T=1000)
MEAN, STD = torch.tensor([0.5, -0.5]), torch.tensor([1.0, 0.3])


# ---- gaussian_law ----
def test_eta0_law_is_the_samplers_affine_map():
    """η = 0 is deterministic: the sampler's output is exactly A·x_T + b, with A, b composed from the steps."""
    model = GaussianDenoiser(SCH, MEAN, STD)
    ts = dt.make_timesteps(1000, 10)
    x_T = torch.randn(64, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    out = dt.sample_ddim(model, x_T, SCH, ts, eta=0.0, progress=False)
    A, b = torch.ones(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    ab = SCH.alphas_cumprod.tolist()
    for i, t in enumerate(ts.tolist()):
        abp = ab[ts[i + 1]] if i + 1 < len(ts) else 1.0
        Ai, bi, s = gl.ddim_affine_step(MEAN, STD, ab[t], abp, 0.0)
        A, b = Ai * A, Ai * b + bi
        assert s == 0.0
    assert torch.allclose(out, A * x_T + b, atol=1e-10)
    m, v = gl.ddim_output_law(MEAN, STD, SCH, ts, 0.0)
    assert torch.allclose(m, b) and torch.allclose(v, A**2)


@pytest.mark.parametrize("eta", [0.5, 1.0, "sigma_hat"])
def test_law_matches_monte_carlo(eta):
    """Mean and variance of 50,000 sampled x_0 agree with the exact law within 5 standard errors
    (standard error of a mean √(v/n) ≈ 4e-3, of a variance v·√(2/n) ≈ 6e-3·v at n = 5e4)."""
    n = 50_000
    model = GaussianDenoiser(SCH, MEAN, STD)
    ts = dt.make_timesteps(1000, 10)
    g = torch.Generator().manual_seed(1)
    x_T = torch.randn(n, 2, generator=g, dtype=torch.float64)
    out = dt.sample_ddim(model, x_T, SCH, ts, eta=eta, generator=g, progress=False)
    m, v = gl.ddim_output_law(MEAN, STD, SCH, ts, eta)
    assert ((out.mean(0) - m).abs() < 5 * (v / n).sqrt()).all()
    assert ((out.var(0) - v).abs() < 5 * v * math.sqrt(2 / n)).all()


def test_kl_closed_form_and_ordering():
    assert gl.kl_gaussians([0.0], [1.0], [0.0], [1.0]) == 0.0
    # KL(N(1, 2) || N(0, 1)) = 0.5 (2 + 1 - 1 - ln 2)
    assert math.isclose(gl.kl_gaussians([1.0], [2.0], [0.0], [1.0]), 0.5 * (2 - math.log(2)), rel_tol=1e-12)
    tab = gl.kl_table(MEAN, STD, SCH, S_list=(10, 50), etas=(0.0, 0.5, 1.0))
    for j in range(2):  # on Gaussian data the η rows are ordered at every S
        assert tab[0.0][j] < tab[0.5][j] < tab[1.0][j]
    assert tab[0.0][1] < tab[0.0][0]  # more steps, smaller KL
    # unit-variance data: σ̂ keeps the variance exactly (symbolic.gaussian_law_steps), only x_T's mean is off
    unit = gl.kl_table([0.0, 0.0], [1.0, 1.0], SCH, S_list=(10,), etas=("sigma_hat", 0.0))
    assert unit["sigma_hat"][0] < 1e-6 < unit[0.0][0]


def test_gaussian_law_rejects_bad_input():
    with pytest.raises(ValueError, match="std must be positive"):
        gl.ddim_output_law([0.0], [0.0], SCH, dt.make_timesteps(1000, 10))
    with pytest.raises(ValueError, match="eta must be in"):
        gl.ddim_affine_step([0.0], [1.0], 0.5, 0.9, eta=1.5)
    with pytest.raises(ValueError, match="0 < alpha_bar < alpha_bar_prev"):
        gl.ddim_affine_step([0.0], [1.0], 0.9, 0.5)
    with pytest.raises(ValueError, match="direction"):
        gl.ddim_kl_to_data([0.0], [1.0], SCH, dt.make_timesteps(1000, 10), direction="both")


# ---- table1: the metric ----
RING = ring_of_gaussians(SCH)


def test_mmd_to_mixture_is_unbiased_on_real_samples_and_large_off_the_ring():
    """Real samples: the 95% interval of 5 draws covers 0 (measured std of one draw at n = 1000: about
    2e-3). Samples from a blurred ring: more than 20 times the largest real value."""
    real = [t1.mmd_to_mixture(RING.sample(1000, generator=torch.Generator().manual_seed(s)), RING) for s in range(5)]
    m, h = t1.mean_ci(real)
    assert abs(m) < h + 1e-12
    blurred = RING.sample(1000, generator=torch.Generator().manual_seed(9)) + 0.2 * torch.randn(1000, 2, generator=torch.Generator().manual_seed(8))
    assert t1.mmd_to_mixture(blurred, RING) > 20 * max(abs(v) for v in real)


def test_mmd_to_mixture_matches_sample_based_mmd():
    """The closed-form expectations equal their Monte Carlo counterparts: an independent U-statistic with a
    reference sample of 4,000 points gives the same MMD² within 2e-3 (its own Monte Carlo noise)."""
    x = RING.sample(1000, generator=torch.Generator().manual_seed(3)).double() * 1.1
    y = RING.sample(4000, generator=torch.Generator().manual_seed(4)).double()

    def k(a, b):
        d2 = torch.cdist(a, b) ** 2
        return sum(torch.exp(-d2 / (2 * h * h)) for h in t1.BANDWIDTHS)

    def off_diagonal_mean(m):
        return (m.sum() - m.diagonal().sum()) / (m.shape[0] * (m.shape[0] - 1))

    u = float(off_diagonal_mean(k(x, x)) + off_diagonal_mean(k(y, y)) - 2 * k(x, y).mean())
    assert abs(t1.mmd_to_mixture(x, RING) - u) < 2e-3


def test_mean_ci_uses_student_t():
    m, h = t1.mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
    assert m == 3.0 and math.isclose(h, 2.7764451 * math.sqrt(2.5) / math.sqrt(5), rel_tol=1e-6)
    with pytest.raises(ValueError, match="at least 2"):
        t1.mean_ci([1.0])


def test_metric_rejects_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        t1.mmd_to_mixture(torch.tensor([[float("nan"), 0.0], [0.0, 0.0]]), RING)
    with pytest.raises(ValueError, match="dimension"):
        t1.mmd_to_mixture(torch.zeros(4, 3), RING)
    with pytest.raises(TypeError, match="GaussianMixtureDenoiser"):
        t1.mmd_to_mixture(torch.zeros(4, 2), GaussianDenoiser(SCH))


# ---- table1: the cache ----
def test_cached_table_is_what_the_code_gives():
    """Recompute two cells of the cache (S = 10 at η = 0 and σ̂, seed 0) and the floor's first seed.
    Float32 sampling on another machine may differ in the last bits: relative tolerance 1e-3."""
    cache = t1.load_table1()
    assert len(cache.seeds) >= 5 and cache.n >= 2000 and cache.S_list[0] == 10
    ring = dt.experiments.records.get_denoiser("exact:ring8").model
    for eta, key in ((0.0, "0"), ("sigma_hat", "sigma_hat")):
        got = t1.mmd_to_mixture(t1.cell_samples("exact:ring8", 10, eta, cache.seeds[0], cache.n), ring)
        assert math.isclose(got, cache.mmd[key][0][0], rel_tol=1e-3)
    got = t1.mmd_to_mixture(t1.real_samples("exact:ring8", cache.seeds[0], cache.n), ring)
    assert math.isclose(got, cache.floor_mmd[0], rel_tol=1e-3, abs_tol=1e-6)


def test_cached_table_supports_the_lecture():
    """Every sentence of lecture 06's reading of Table 1, asserted on the cached intervals."""
    c = t1.load_table1()
    hi = lambda eta, S: sum(c.cell(eta, S))  # noqa: E731  upper end of the 95% interval
    lo = lambda eta, S: c.cell(eta, S)[0] - c.cell(eta, S)[1]  # noqa: E731
    for S in (10, 20, 50):  # at few steps η = 0 beats η = 1 and σ̂, intervals apart
        assert hi(0.0, S) < lo(1.0, S) and hi(0.0, S) < lo("sigma_hat", S)
    for S in (10, 20):  # σ̂ is the worst row
        assert all(lo("sigma_hat", S) > hi(eta, S) for eta in (0.0, 0.2, 0.5, 1.0))
    for S in c.S_list:  # η = 0, 0.2, 0.5 cannot be ranked: their intervals share a point
        assert max(lo(e, S) for e in (0.0, 0.2, 0.5)) < min(hi(e, S) for e in (0.0, 0.2, 0.5))
    assert hi("sigma_hat", 50) < lo(1.0, 50)  # where the toy departs from CIFAR10
    assert all(lo(1.0, 100) > hi(eta, 100) for eta in (0.0, 0.2, 0.5, "sigma_hat"))
    assert all(lo(eta, 1000) < 0 < hi(eta, 1000) for eta in c.etas)  # nothing is told apart at S = 1000
    # the floor's interval covers 0 (the score is unbiased) and is several times narrower than the S = 10 gap
    m, h = c.floor()
    assert abs(m) <= h and h < 0.2 * (c.cell(1.0, 10)[0] - c.cell(0.0, 10)[0])
