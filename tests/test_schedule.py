"""Schedules against diffusers' DDPMScheduler (an independent implementation) and closed forms."""
import math

import pytest
import torch

import ddim_teach as dt

diffusers = pytest.importorskip("diffusers")


@pytest.mark.parametrize(
    "kind, peer",
    [("linear", "linear"), ("scaled_linear", "scaled_linear"), ("cosine", "squaredcos_cap_v2"), ("sigmoid", "sigmoid")],
)
def test_betas_match_diffusers(kind, peer):
    kw = {} if kind in ("cosine",) else {}
    if kind == "scaled_linear":
        peer_kw = dict(beta_start=0.00085, beta_end=0.012)
    else:
        peer_kw = dict(beta_start=1e-4, beta_end=0.02)
    ref = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule=peer, **peer_kw)
    ours = dt.make_schedule(kind, T=1000, **kw)
    torch.testing.assert_close(ours.betas.float(), ref.betas.float(), rtol=1e-5, atol=1e-7)
    torch.testing.assert_close(ours.alphas_cumprod.float(), ref.alphas_cumprod.float(), rtol=1e-4, atol=1e-7)


def test_zero_terminal_snr_matches_diffusers():
    from diffusers.schedulers.scheduling_ddim import rescale_zero_terminal_snr as peer

    ours = dt.make_schedule("scaled_linear", T=1000, zero_terminal_snr=True)
    ref = peer(dt.make_schedule("scaled_linear", T=1000).betas.float())
    torch.testing.assert_close(ours.betas.float(), ref, rtol=1e-4, atol=1e-6)
    assert ours.alphas_cumprod[-1] == 0.0 and ours.snr[-1] == 0.0
    # ᾱ_1 is kept, as Algorithm 1 promises
    assert math.isclose(ours.alphas_cumprod[0].item(), dt.make_schedule("scaled_linear").alphas_cumprod[0].item(), rel_tol=1e-12)


def test_linear_endpoints_and_tables(linear):
    s = linear
    assert s.T == 1000
    for name in ("betas", "alphas", "alphas_cumprod", "alphas_cumprod_prev", "snr", "log_snr", "sigmas"):
        v = getattr(s, name)
        assert v.dtype == torch.float64 and v.shape == (1000,), name
    assert s.betas[0].item() == pytest.approx(1e-4) and s.betas[-1].item() == pytest.approx(0.02)
    # ᾱ as a product written out with Python floats
    prod = 1.0
    for t in range(1000):
        prod *= 1 - s.betas[t].item()
    assert s.alphas_cumprod[-1].item() == pytest.approx(prod, rel=1e-12)
    assert s.alphas_cumprod_prev[0] == 1.0 and torch.equal(s.alphas_cumprod_prev[1:], s.alphas_cumprod[:-1])
    # σ is the noise level of x_t / sqrt(ᾱ_t) = x_0 + σ_t ε: check it through q_sample, a separate code path
    eps = torch.randn(1000, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x0 = torch.randn(1000, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    x_t = dt.q_sample(s, x0, torch.arange(1000), noise=eps)
    torch.testing.assert_close((x_t / s.alphas_cumprod.sqrt()[:, None] - x0) / eps, s.sigmas[:, None].expand(-1, 3))
    # and against diffusers' Euler scheduler, which stores the same σ from float32 ᾱ: 1 - ᾱ cancels near t = 1,
    # measured max relative difference 8.3e-5 (at t = 1)
    peer = diffusers.EulerDiscreteScheduler(num_train_timesteps=1000, beta_schedule="linear", beta_start=1e-4, beta_end=0.02)
    torch.testing.assert_close(s.sigmas.float(), peer.sigmas[:-1].flip(0).float(), rtol=2e-4, atol=0)
    torch.testing.assert_close(s.log_snr, -2 * s.sigmas.log())  # SNR = 1/σ²


def test_cosine_is_capped_and_follows_formula():
    s = dt.make_schedule("cosine", T=1000)
    assert s.betas.max().item() == pytest.approx(0.999)
    f = lambda u: math.cos((u / 1000 + 0.008) / 1.008 * math.pi / 2) ** 2
    assert s.alphas_cumprod[499].item() == pytest.approx(f(500) / f(0), rel=1e-9)


def test_custom_roundtrip_and_dict():
    betas = torch.linspace(0.01, 0.2, 7, dtype=torch.float64)
    s = dt.make_schedule("custom", betas=betas)
    assert s.T == 7 and torch.equal(s.betas, betas)
    s2 = dt.Schedule.from_dict(s.to_dict())
    assert torch.equal(s2.betas, s.betas)
    c = dt.make_schedule("cosine", T=50, zero_terminal_snr=True)
    assert torch.equal(dt.Schedule.from_dict(c.to_dict()).betas, c.betas)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kind="nope"), "unknown schedule kind"),
        (dict(kind="linear", T=0), "T must be a positive int"),
        (dict(kind="custom"), "needs betas"),
        (dict(kind="custom", betas=[0.1, 1.5]), r"betas must lie in \(0, 1\]"),
        (dict(kind="custom", betas=[0.1, float("nan")]), "NaN"),
        (dict(kind="custom", betas=[1.0, 0.5]), "only the last beta"),
    ],
)
def test_schedule_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        dt.make_schedule(**kwargs)


def test_unknown_keyword():
    with pytest.raises(TypeError, match="unexpected keyword"):
        dt.make_schedule("cosine", beta_start=0.1)
