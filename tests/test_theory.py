"""ELBO, the SDE family and the parameterisations (course.theory, samplers.sde), against independent references:
formulas written out here, the package's exact Gaussian law, and sympy."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.course import theory as th
from ddim_teach.samplers.sde import sample_euler_maruyama


@pytest.fixture(scope="module")
def lin():
    return dt.make_schedule("linear")


@pytest.mark.parametrize("steps", [th.elbo_steps, th.parameterisation_steps, th.sde_steps])
def test_every_sympy_step_holds(steps):
    assert th.all_zero(steps())


def test_elbo_weights_against_ddpm_formula(lin):
    b, a, ab = lin.betas, lin.alphas, lin.alphas_cumprod
    bt = (1 - ab[:-1]) / (1 - ab[1:]) * b[1:]
    ho = b[1:] ** 2 / (2 * bt * a[1:] * (1 - ab[1:]))  # Ho et al.'s weight, written out
    w = th.elbo_weights(lin)
    assert torch.allclose(w[1:], ho, rtol=1e-10, atol=0)
    assert w[0].item() == pytest.approx(1 / (2 * a[0].item()))
    # the ELBO is J_sigma at eta = 1 (Theorem 1)
    from ddim_teach.course.symbolic import theorem1_gammas  # lecture 08's Theorem 1 weights (another derivation)

    assert torch.allclose(w[1:], theorem1_gammas(lin, 1.0)[1], rtol=1e-10, atol=0)
    for eta in (0.2, 1.0):
        assert torch.allclose(th.gamma_weights(lin, eta), theorem1_gammas(lin, eta)[1], rtol=1e-10, atol=0)


def test_elbo_refuses_zero_terminal_snr():
    z = dt.make_schedule("linear", zero_terminal_snr=True)
    with pytest.raises(ValueError, match="zero terminal SNR"):
        th.elbo_weights(z)


def test_closed_form_bound_against_monte_carlo():
    s = dt.make_schedule("linear", T=100)
    exact = th.gaussian_elbo(s, [0.5, -0.5], [1.0, 0.3])["total"]
    mc = th.gaussian_elbo_mc(s, [0.5, -0.5], [1.0, 0.3], n=4000, seed=0)
    assert abs(mc["mean"] - exact) < max(mc["half_width"], 1e-3) * 1.5
    assert mc["half_width"] < 0.3  # measured 0.21 (n = 4000, T = 100): tight enough to catch a missing term (L_0 alone is > 1 nat)


def test_closed_form_bound_is_an_upper_bound_on_the_entropy():
    s = dt.make_schedule("linear", T=200)
    total = th.gaussian_elbo(s, 0.0, 0.5)["total"]
    entropy = 0.5 * math.log(2 * math.pi * math.e * 0.25)
    assert total > entropy  # E[-log p] >= H(data) for any model, and the bound >= E[-log p]


def test_loss_weights_and_gains(lin):
    w = th.loss_weights(lin)
    snr = lin.alphas_cumprod / (1 - lin.alphas_cumprod)
    assert torch.allclose(w["epsilon"], snr) and torch.allclose(w["v"], 1 + snr)
    z = dt.make_schedule("linear", zero_terminal_snr=True)
    g = th.x0_error_gain(z)
    assert math.isinf(g["epsilon"][-1].item()) and g["v"][-1].item() == 1.0


def test_euler_maruyama_at_lambda_zero_is_ddim(lin):
    den = dt.GaussianDenoiser(lin, [0.5, -0.5], [1.0, 0.3])
    x = torch.randn(16, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 20)
    a = sample_euler_maruyama(den, x, lin, ts, lam=0.0, progress=False)
    b = dt.sample_ddim(den, x, lin, ts, progress=False)
    assert torch.allclose(a, b, rtol=0, atol=1e-12)


def test_euler_maruyama_is_registered_and_checks_lam(lin):
    assert dt.get_sampler("euler_maruyama") is sample_euler_maruyama
    den = dt.GaussianDenoiser(lin)
    with pytest.raises(ValueError, match="lam"):
        sample_euler_maruyama(den, torch.zeros(2, 2), lin, dt.make_timesteps(1000, 5), lam=-1.0)


def test_sde_family_shares_the_data_law_and_matches_closed_form_gain(lin):
    den = dt.GaussianDenoiser(lin, [0.5, -0.5], [1.0, 0.3])
    ts = dt.make_timesteps(1000, 1000)
    abT = float(lin.alphas_cumprod[int(ts[0])])
    for lam in (0.0, 1.0):
        m, v, A = th.output_law(sample_euler_maruyama, den, ts, lam=lam)
        assert torch.allclose(m, den.mean, atol=5e-3) and torch.allclose(v, den.std**2, rtol=1e-2)
        closed = th.sde_mean_gain(den.std, abT, lam)
        assert torch.allclose(A * math.sqrt(abT), closed, rtol=0.06)  # Euler–Maruyama's own error at S = 1000


def test_output_law_against_samples(lin):
    den = dt.GaussianDenoiser(lin, [0.5, -0.5], [1.0, 0.3])
    ts = dt.make_timesteps(1000, 10)
    m, v, _ = th.output_law(sample_euler_maruyama, den, ts, lam=1.0)
    x = torch.randn(20000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    out = sample_euler_maruyama(den, x, lin, ts, generator=torch.Generator().manual_seed(4), progress=False)
    se = (v / 20000).sqrt()
    assert ((out.mean(0) - m).abs() < 4 * se).all()
    assert torch.allclose(out.var(0), v, rtol=0.05)


def test_matching_lambda_is_eta(lin):
    std = torch.tensor([1.0, 0.3])
    for eta in (0.5, 1.0):
        lam = th.matching_lambda(std, lin, eta, S=1000)
        assert torch.allclose(lam, torch.full_like(lam, eta), atol=0.01)


def test_law_errors_fall_with_nfe(lin):
    den = dt.GaussianDenoiser(lin, [0.5, -0.5], [1.0, 0.3])
    tab = th.law_errors(den, (10, 40), "trailing", solvers=("euler", "euler_maruyama"))
    for rows in tab.values():
        assert rows[1][1] < rows[0][1] / 4
