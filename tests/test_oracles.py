"""Exact denoisers against Monte Carlo posterior means and against each other."""
import pytest
import torch

import ddim_teach as dt


def test_mixture_with_one_component_is_the_gaussian(linear, gen):
    g1 = dt.GaussianDenoiser(linear, mean=torch.tensor([0.5, -1.0]), std=0.3, sample_shape=(2,))
    g2 = dt.GaussianMixtureDenoiser(linear, means=torch.tensor([[0.5, -1.0]]), stds=[0.3])
    x = torch.randn(10, 2, generator=gen)
    t = torch.randint(0, 1000, (10,), generator=gen)
    torch.testing.assert_close(g1(x, t), g2(x, t), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("t", [50, 300, 800])
def test_mixture_posterior_mean_by_importance_sampling(linear, t):
    g = torch.Generator().manual_seed(0)
    orc = dt.ring_of_gaussians(linear)
    x0 = orc.sample(400000, generator=g).double()
    ab = linear.alphas_cumprod[t]
    x_t = torch.tensor([[1.0, 0.5], [-0.3, -1.5]], dtype=torch.float64)
    # E[x0 | x_t] = Σ w_i x0_i,  w_i ∝ N(x_t; sqrt(ᾱ) x0_i, 1-ᾱ)
    logw = -((x_t[:, None, :] - ab.sqrt() * x0[None]) ** 2).sum(-1) / (2 * (1 - ab))
    ref = (torch.softmax(logw, dim=1)[..., None] * x0[None]).sum(1)
    torch.testing.assert_close(orc.x0_mean(x_t, t), ref, rtol=0, atol=0.03)


def test_empirical_denoiser_memorises(linear):
    data = torch.tensor([[1.0, 1.0], [-1.0, 0.5], [0.2, -1.3]])
    orc = dt.EmpiricalDenoiser(linear, data)
    x = dt.sample_ddim(orc, torch.randn(300, 2, generator=torch.Generator().manual_seed(0)), linear,
                       dt.make_timesteps(1000, 100), progress=False)
    d = torch.cdist(x, data).min(dim=1).values
    assert d.max() < 1e-2  # every sample is (nearly) a training point


def test_oracle_sampling_matches_data_moments(linear):
    orc = dt.ring_of_gaussians(linear)
    x = dt.sample_ddim(orc, torch.randn(4000, 2, generator=torch.Generator().manual_seed(1)), linear,
                       dt.make_timesteps(1000, 100), progress=False)
    r = x.norm(dim=1)
    assert r.mean().item() == pytest.approx(2.0, abs=0.05)
    ang = torch.atan2(x[:, 1], x[:, 0])
    modes = torch.round(ang / (torch.pi / 4)).remainder(8)
    counts = torch.bincount(modes.long(), minlength=8).float()
    assert counts.min() > 0.08 * 4000  # all 8 modes are visited


def test_oracle_bad_input(linear):
    with pytest.raises(ValueError, match="std must be positive"):
        dt.GaussianDenoiser(linear, std=0.0)
    with pytest.raises(ValueError, match="weights"):
        dt.GaussianMixtureDenoiser(linear, means=torch.zeros(2, 2), stds=[0.1, 0.1], weights=[0.3, 0.3])
    with pytest.raises(ValueError, match=r"expected samples of shape \(2,\)"):
        dt.ring_of_gaussians(linear)(torch.zeros(3, 4), torch.zeros(3, dtype=torch.long))
