"""Property tests over random schedules, timesteps and η (hypothesis)."""
import math

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import ddim_teach as dt

SET = settings(max_examples=60, deadline=None)


@st.composite
def schedules(draw):
    T = draw(st.integers(2, 60))
    betas = draw(st.lists(st.floats(1e-5, 0.5), min_size=T, max_size=T))
    return dt.make_schedule("custom", betas=betas)


@SET
@given(schedules(), st.data())
def test_posterior_forms_and_bayes_step(s, data):
    t = data.draw(st.integers(1, s.T - 1))
    g = torch.Generator().manual_seed(data.draw(st.integers(0, 2**31)))
    x0 = torch.randn(3, 2, generator=g, dtype=torch.float64)
    x_prev = dt.q_sample(s, x0, t - 1, generator=g)
    x_t = dt.q_step_sample(s, x_prev, t, generator=g)
    coef, ddim = dt.posterior_mean_forms(s, x0, x_t, t)
    torch.testing.assert_close(coef, ddim, rtol=1e-9, atol=1e-9)
    lhs, rhs = dt.bayes_step_identity(s, x0, x_prev, x_t, t)
    torch.testing.assert_close(lhs, rhs, rtol=1e-9, atol=1e-8)


@SET
@given(schedules(), st.floats(0, 1))
def test_q_sigma_marginals_any_eta(s, eta):
    m = dt.q_sigma_marginal_check(s, torch.tensor([0.3, -2.0]), eta=eta, n_samples=4)
    assert m.max_abs_diff_propagated < 1e-10


@SET
@given(schedules(), st.data())
def test_ddim_step_with_true_noise_recovers_x0(s, data):
    t = data.draw(st.integers(1, s.T - 1))
    t_prev = data.draw(st.integers(-1, t - 1))
    eta = data.draw(st.floats(0, 1))
    g = torch.Generator().manual_seed(data.draw(st.integers(0, 2**31)))
    x0, eps = torch.randn(2, 4, 3, generator=g, dtype=torch.float64)
    ab = s.alphas_cumprod[t].item()
    abp = 1.0 if t_prev < 0 else s.alphas_cumprod[t_prev].item()
    xt = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    x_prev, x0_pred = dt.ddim_step(xt, eps, ab, abp, eta=eta, noise=torch.zeros_like(xt))
    torch.testing.assert_close(x0_pred, x0, rtol=1e-7, atol=1e-7)
    # deterministic part: the same x0 and ε placed at level ᾱ_prev, scaled by the variance left; σ² from Eq. 16
    # written here, η² (1-ᾱ_prev)/(1-ᾱ_t) (1-ᾱ_t/ᾱ_prev), not from the package's ddim_sigma
    sigma2 = eta**2 * (1 - abp) / (1 - ab) * (1 - ab / abp)
    expect = math.sqrt(abp) * x0 + math.sqrt(max(1 - abp - sigma2, 0)) * eps
    torch.testing.assert_close(x_prev, expect, rtol=1e-7, atol=1e-7)


@SET
@given(st.integers(1, 400), st.data())
def test_timesteps_valid(T, data):
    S = data.draw(st.integers(1, T))
    spacing = data.draw(st.sampled_from(dt.SPACINGS))
    ts = dt.make_timesteps(T, S, spacing).numpy()
    assert len(ts) == S and len(np.unique(ts)) == S
    assert (np.diff(ts) < 0).all() and ts.min() >= 0 and ts.max() < T


@SET
@given(schedules(), st.data())
def test_one_step_inversion_is_exact_for_constant_eps(s, data):
    # with a model whose ε does not depend on x, inversion and decoding are exact inverses
    eps_vec = torch.tensor(data.draw(st.lists(st.floats(-2, 2), min_size=2, max_size=2)), dtype=torch.float64)
    model = lambda x, t: eps_vec.expand_as(x).clone()
    S = data.draw(st.integers(1, s.T))
    ts = dt.make_timesteps(s.T, S, data.draw(st.sampled_from(dt.SPACINGS)))
    x0 = torch.randn(3, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    xT = dt.invert_ddim(model, x0, s, ts, progress=False)
    torch.testing.assert_close(dt.sample_ddim(model, xT, s, ts, progress=False), x0, rtol=1e-6, atol=1e-6)
