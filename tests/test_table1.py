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


def _law_from_the_paper(mean, std, ab_pairs, eta):
    """The exact law of DDIM's x_0 for N(mean, std²) data and x_T ~ N(0, 1), written here from the papers (not
    from gaussian_law or core.step): Tweedie's x̂₀ = μ + g (x - √ᾱ_t μ), g = √ᾱ_t s²/(ᾱ_t s² + 1 - ᾱ_t); ε̂ from
    Eq. 9; Eq. 16's σ = η √((1-ᾱ_prev)/(1-ᾱ_t)) √(1-ᾱ_t/ᾱ_prev); Eq. 12's mean; noise σ, or for σ̂ (Appendix D.3)
    the η = 1 mean with noise √(1-ᾱ_t/ᾱ_prev), none on the last step."""
    m, v = [0.0] * len(mean), [1.0] * len(mean)
    for ab, abp in ab_pairs:
        e = 1.0 if eta == "sigma_hat" else eta
        sigma2 = e**2 * (1 - abp) / (1 - ab) * (1 - ab / abp)
        noise2 = sigma2 if eta != "sigma_hat" else (0.0 if abp == 1.0 else 1 - ab / abp)
        for j, (mu, sd) in enumerate(zip(mean, std)):
            g = math.sqrt(ab) * sd**2 / (ab * sd**2 + 1 - ab)
            A0, b0 = g, mu - g * math.sqrt(ab) * mu  # x̂₀ = A0 x + b0
            Ae, be = (1 - math.sqrt(ab) * A0) / math.sqrt(1 - ab), -math.sqrt(ab) * b0 / math.sqrt(1 - ab)
            c = math.sqrt(1 - abp - sigma2)
            A, b = math.sqrt(abp) * A0 + c * Ae, math.sqrt(abp) * b0 + c * be
            m[j], v[j] = A * m[j] + b, A**2 * v[j] + noise2
    return torch.tensor(m, dtype=torch.float64), torch.tensor(v, dtype=torch.float64)


@pytest.mark.parametrize("eta", [0.0, 0.5, 1.0, "sigma_hat"])
def test_law_matches_the_sampler_exactly(eta):
    """The sampler's exact output law, with no Monte Carlo: with the exact Gaussian denoiser, sample_ddim's x_0 is
    affine in (x_T, z_1..z_S), coordinate by coordinate. One batch of basis inputs (x_T = 0 and z = 0; x_T = 1;
    each z_i = 1 alone) reads off its intercept b, slope a on x_T and weights c_i, so its law is exactly
    N(b, a² + Σ c_i²); a random row checks that the map is affine. That law must equal the one written here from
    the papers and gaussian_law's (this replaces a Monte Carlo check of 50,000 samples). Float64 round-off,
    measured at most 8e-16 over the four η; tolerance 1e-13."""
    model = GaussianDenoiser(SCH, MEAN, STD)
    ts = dt.make_timesteps(1000, 10).tolist()
    S = len(ts)
    basis = torch.zeros(S + 3, S + 1, dtype=torch.float64)  # row k: (x_T, z_1..z_S) of batch element k
    basis[1, 0] = 1.0
    for i in range(S):
        basis[2 + i, 1 + i] = 1.0
    basis[-1] = torch.randn(S + 1, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    x_T = basis[:, :1].expand(-1, 2).contiguous()
    noise = [basis[:, 1 + i : 2 + i].expand(-1, 2).contiguous() for i in range(S)]
    out = dt.sample_ddim(model, x_T, SCH, ts, eta=eta, noise=noise if eta != 0.0 else None, progress=False)
    b = out[0]
    a = out[1] - b
    c = out[2 : 2 + S] - b
    affine = b + a * basis[-1, 0] + (basis[-1, 1:, None] * c).sum(0)
    torch.testing.assert_close(out[-1], affine, rtol=0, atol=1e-13)
    m_sampler, v_sampler = b, a**2 + (c**2).sum(0)
    ab = SCH.alphas_cumprod.tolist()
    pairs = [(ab[t], ab[ts[i + 1]] if i + 1 < S else 1.0) for i, t in enumerate(ts)]
    m_ref, v_ref = _law_from_the_paper(MEAN.tolist(), STD.tolist(), pairs, eta)
    torch.testing.assert_close(m_sampler, m_ref, rtol=0, atol=1e-13)
    torch.testing.assert_close(v_sampler, v_ref, rtol=0, atol=1e-13)
    m, v = gl.ddim_output_law(MEAN, STD, SCH, ts, eta)
    torch.testing.assert_close(m, m_ref, rtol=0, atol=1e-13)
    torch.testing.assert_close(v, v_ref, rtol=0, atol=1e-13)
    if eta != 0.0:
        assert (c.abs() > 1e-3).sum() >= S - 1  # the noise does enter, every step but σ̂'s last
    if eta == "sigma_hat":
        assert torch.equal(c[-1], torch.zeros(2, dtype=torch.float64))


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


def _kl_reference(m1, v1, m2, v2):
    """KL(N(m1, v1) ‖ N(m2, v2)) summed over coordinates, from torch.distributions (not gaussian_law)."""
    from torch.distributions import Normal, kl_divergence

    t = lambda a: torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    return float(kl_divergence(Normal(t(m1), t(v1).sqrt()), Normal(t(m2), t(v2).sqrt())).sum())


def test_kl_gaussians_against_torch_distributions():
    """Unequal means and variances on both sides (a case with m2 = 0 or v2 = 1 hides a swapped sign or a
    multiplication by v2). Float64 round-off, measured below 1e-15; tolerance 1e-12."""
    m1, v1, m2, v2 = [1.0, -0.3], [2.0, 0.2], [-0.5, 0.4], [3.0, 0.7]
    want = _kl_reference(m1, v1, m2, v2)
    assert want > 0.1
    assert gl.kl_gaussians(m1, v1, m2, v2) == pytest.approx(want, rel=1e-12)
    assert gl.kl_gaussians(m2, v2, m1, v1) == pytest.approx(_kl_reference(m2, v2, m1, v1), rel=1e-12)
    for bad in ([[0.0], [0.0], [0.0], [1.0]], [[0.0], [1.0], [0.0], [0.0]], [[0.0], [1.0], [0.0], [-1.0]]):
        with pytest.raises(ValueError, match="variances must be positive"):
            gl.kl_gaussians(*bad)


@pytest.mark.parametrize("spacing", ["leading", "trailing"])
def test_kl_to_data_both_directions_against_the_papers_law(spacing):
    """ddim_kl_to_data and kl_table in both directions, with their defaults (η = 0, data‖model, leading spacing),
    against the law written in this file from the papers and torch.distributions' KL. Tolerance 1e-9 relative:
    measured below 1e-13."""
    ab = SCH.alphas_cumprod.tolist()
    for S in (10, 50):
        ts = dt.make_timesteps(1000, S, spacing).tolist()
        pairs = [(ab[t], ab[ts[i + 1]] if i + 1 < S else 1.0) for i, t in enumerate(ts)]
        for eta in (0.0, 1.0):
            m, v = _law_from_the_paper(MEAN.tolist(), STD.tolist(), pairs, eta)
            dm = _kl_reference(MEAN, STD.double() ** 2, m, v)
            md = _kl_reference(m, v, MEAN, STD.double() ** 2)
            assert dm != pytest.approx(md, rel=1e-3)  # the two directions differ here
            assert gl.ddim_kl_to_data(MEAN, STD, SCH, ts, eta, "data||model") == pytest.approx(dm, rel=1e-9)
            assert gl.ddim_kl_to_data(MEAN, STD, SCH, ts, eta, "model||data") == pytest.approx(md, rel=1e-9)
            tab = gl.kl_table(MEAN, STD, SCH, S_list=(S,), etas=(eta,), spacing=spacing, direction="model||data")
            assert tab[eta][0] == pytest.approx(md, rel=1e-9)
            if eta == 0.0:
                if spacing == "leading":
                    assert gl.ddim_kl_to_data(MEAN, STD, SCH, ts) == pytest.approx(dm, rel=1e-9)
                    assert gl.kl_table(MEAN, STD, SCH, S_list=(S,), etas=(0.0,))[0.0][0] == pytest.approx(dm, rel=1e-9)


def test_output_law_broadcasts_python_floats_in_float64():
    """Data given as Python floats (a scalar mean with a vector of stds) is broadcast and kept in float64; the
    law equals the one written here (float64 round-off, measured 6e-17; tolerance 1e-13, while float32
    data would be off by ~1e-8). ddim_affine_step's default η is 0 (A of Eq. 12 at σ = 0, as written here)."""
    ab = SCH.alphas_cumprod.tolist()
    ts = dt.make_timesteps(1000, 10).tolist()
    pairs = [(ab[t], ab[ts[i + 1]] if i + 1 < 10 else 1.0) for i, t in enumerate(ts)]
    m_ref, v_ref = _law_from_the_paper([0.3, 0.3], [0.7, 0.1], pairs, 1.0)
    for mean, std in ((0.3, [0.7, 0.1]), ([0.3, 0.3], [0.7, 0.1]), ([0.3], [0.7, 0.1])):
        m, v = gl.ddim_output_law(mean, std, SCH, ts, 1.0)
        assert m.dtype == torch.float64 and m.shape == (2,)
        torch.testing.assert_close(m, m_ref, rtol=0, atol=1e-13)
        torch.testing.assert_close(v, v_ref, rtol=0, atol=1e-13)
    m, v = gl.ddim_output_law([0.3, -0.2], 0.7, SCH, ts, 1.0)
    torch.testing.assert_close(v, torch.full((2,), float(v_ref[0]), dtype=torch.float64), rtol=0, atol=1e-13)
    A, b, s = gl.ddim_affine_step([0.3], [0.7], ab[500], ab[400])
    g = math.sqrt(ab[500]) * 0.49 / (ab[500] * 0.49 + 1 - ab[500])  # Tweedie's gain, then Eq. 12 at σ = 0
    A_ref = math.sqrt(ab[400]) * g + math.sqrt(1 - ab[400]) * (1 - math.sqrt(ab[500]) * g) / math.sqrt(1 - ab[500])
    assert s == 0.0 and float(A) == pytest.approx(A_ref, rel=1e-13)
    for bad in (([float("nan")], [1.0]), ([0.0], [float("inf")])):
        with pytest.raises(ValueError, match="mean and std must be finite"):
            gl.ddim_output_law(*bad, SCH, ts)


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
