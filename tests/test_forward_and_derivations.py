"""Forward process, posterior and the derivations, each against a second derivation."""
import math

import pytest
import torch
from torch.distributions import Normal

import ddim_teach as dt


@pytest.mark.parametrize("shape", [(5, 2), (3, 1, 4, 4)])
def test_log_probs_match_torch_distributions(linear, gen, shape):
    x0 = torch.randn(shape, generator=gen, dtype=torch.float64)
    t = torch.randint(1, 1000, (shape[0],), generator=gen)
    xt = dt.q_sample(linear, x0, t, generator=gen)
    ab = linear.alphas_cumprod[t].reshape(-1, *[1] * (len(shape) - 1))
    ref = Normal(ab.sqrt() * x0, (1 - ab).sqrt()).log_prob(xt).reshape(shape[0], -1).sum(1)
    torch.testing.assert_close(dt.q_log_prob(linear, xt, x0, t), ref)
    x1 = dt.q_step_sample(linear, x0, t, generator=gen)
    a = linear.alphas[t].reshape(ab.shape)
    ref1 = Normal(a.sqrt() * x0, (1 - a).sqrt()).log_prob(x1).reshape(shape[0], -1).sum(1)
    torch.testing.assert_close(dt.q_step_log_prob(linear, x1, x0, t), ref1)


def test_q_sample_moments_equal_chained_steps(linear, gen):
    # the closed form q(x_t|x_0) against t chained q(x_t|x_{t-1}) steps
    x0 = torch.full((40000, 1), 0.8, dtype=torch.float64)
    x = x0
    for t in range(300):
        x = dt.q_step_sample(linear, x, t, generator=gen)
    mean, var = dt.q_mean_variance(linear, x0[:1], 299)
    assert x.mean().item() == pytest.approx(mean.item(), abs=0.02)
    assert x.var().item() == pytest.approx(var.item(), abs=0.02)


def test_posterior_by_precision_weighting(linear, gen):
    # second derivation: product of q(x_{t-1}|x_0) and q(x_t|x_{t-1}) as a Gaussian in x_{t-1}
    x0 = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    xt = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    for t in (1, 2, 10, 500, 999):
        abp, a, b = linear.alphas_cumprod[t - 1].item(), linear.alphas[t].item(), linear.betas[t].item()
        prec = 1 / (1 - abp) + a / b
        mean_ref = (math.sqrt(abp) * x0 / (1 - abp) + math.sqrt(a) * xt / b) / prec
        mean, var = dt.q_posterior_mean_variance(linear, x0, xt, t)
        torch.testing.assert_close(mean, mean_ref)
        assert var[0, 0].item() == pytest.approx(1 / prec, rel=1e-10)


def test_posterior_mean_forms_agree(linear, gen):
    for shape in [(8, 2), (4, 1, 8, 8)]:
        x0 = torch.randn(shape, generator=gen, dtype=torch.float64)
        xt = torch.randn(shape, generator=gen, dtype=torch.float64)
        t = torch.tensor([0, 1, 2, 999] + [500] * (shape[0] - 4))
        coef, ddim = dt.posterior_mean_forms(linear, x0, xt, t)
        torch.testing.assert_close(coef, ddim, rtol=0, atol=1e-12)
    # and in float32 the forms agree to float32 round-off
    coef, ddim = dt.posterior_mean_forms(linear, x0.float(), xt.float(), 3)
    torch.testing.assert_close(coef, ddim, rtol=0, atol=1e-5)


def test_telescoping_T1000(linear, gen):
    x0 = torch.randn(16, 2, generator=gen)
    r = dt.telescoping_check(linear, x0, generator=gen)
    assert r.log_markov.shape == (16,) and r.log_telescoped.shape == (16,)
    assert r.max_rel_diff < 1e-12 and r.max_abs_diff < 1e-8
    assert set(r.step_identities) == {2, 3}
    for lhs, rhs in r.step_identities.values():
        torch.testing.assert_close(lhs, rhs, rtol=1e-12, atol=1e-10)


def test_telescoping_images(gen):
    s = dt.make_schedule("cosine", T=200)
    r = dt.telescoping_check(s, torch.randn(2, 1, 8, 8, generator=gen), generator=gen)
    assert r.max_rel_diff < 1e-12


def test_telescoping_detects_a_wrong_posterior(linear, gen, monkeypatch):
    # the check can fail: perturb β̃ and the two sides part
    import ddim_teach.core.forward as fwd

    orig = fwd.q_posterior_mean_variance

    def wrong(schedule, x0, x_t, t):
        m, v = orig(schedule, x0, x_t, t)
        return m, v * 1.01

    monkeypatch.setattr(fwd, "q_posterior_mean_variance", wrong)
    r = dt.telescoping_check(dt.make_schedule(T=50), torch.randn(4, 2, generator=gen), generator=gen)
    assert r.max_abs_diff > 1e-3


@pytest.mark.parametrize("eta", [0.0, 0.3, 1.0])
def test_q_sigma_marginals_equal_q_xt_x0(eta, gen):
    s = dt.make_schedule(T=200)
    m = dt.q_sigma_marginal_check(s, torch.tensor([0.7, -1.2]), eta=eta, n_samples=8192, generator=gen)
    assert m.max_abs_diff_propagated < 1e-12
    assert m.max_abs_diff_mc < 0.08  # sampling noise of 8192 particles


def test_q_sigma_joint_only_at_beta_tilde(gen):
    s = dt.make_schedule(T=200)
    j = dt.q_sigma_joint_check(s, torch.randn(4, 2, generator=gen), etas=(0.0, 0.5, 0.9, 1.0), generator=gen)
    assert j.cov_gap[1.0] < 1e-14 and j.log_density_gap[1.0] < 1e-8
    for eta in (0.0, 0.5, 0.9):
        assert j.cov_gap[eta] > 1e-4
    assert j.log_density_gap[0.5] > 1.0 and j.log_density_gap[0.9] > 1e-2


def test_forward_step_of_q_sigma_is_markov_only_at_beta_tilde(linear):
    for t in (1, 10, 500):
        bt = linear.posterior_variance[t].sqrt().item()
        cp, c0, var = dt.q_sigma_forward_step(linear, t, bt)
        assert cp == pytest.approx(linear.alphas[t].sqrt().item(), rel=1e-10)
        assert abs(c0) < 1e-12 and var == pytest.approx(linear.betas[t].item(), rel=1e-8)
        cp, c0, var = dt.q_sigma_forward_step(linear, t, 0.0)
        assert abs(c0) > 1e-4  # DDIM's deterministic family: x_t depends on x_0, not only on x_{t-1}


def test_t_and_x_shape_mismatch(linear):
    with pytest.raises(ValueError, match="x and t on mismatched shapes"):
        dt.q_sample(linear, torch.zeros(4, 2), torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match=r"timesteps must lie in \[0, 999\]"):
        dt.q_sample(linear, torch.zeros(2, 2), 1000)
    with pytest.raises(ValueError, match="non-finite"):
        dt.q_sample(linear, torch.tensor([[float("nan"), 0.0]]), 3)
    with pytest.raises(TypeError, match="integers"):
        dt.q_sample(linear, torch.zeros(2, 2), torch.tensor([1.0, 2.0]))
