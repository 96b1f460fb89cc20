"""Samplers against diffusers, against DDPM written another way, and on exact Gaussian data."""
import math

import pytest
import torch

import ddim_teach as dt


class TinyEps(torch.nn.Module):
    """A fixed smooth 'network': deterministic, depends on x and t, float32."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.w = torch.randn(2, 2, generator=g) * 0.3

    def forward(self, x, t):
        return torch.tanh(x @ self.w) * (0.5 + t.float()[:, None] / 2000)


@pytest.mark.parametrize("eta", [0.0, 0.5])
@pytest.mark.parametrize("set_alpha_to_one", [True, False])
def test_full_loop_matches_diffusers_ddim(linear, eta, set_alpha_to_one):
    diffusers = pytest.importorskip("diffusers")
    model = dt.ring_of_gaussians(linear)  # exact denoiser: samples stay O(1), so 1e-5 is float32 round-off
    sch = diffusers.DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False,
                                  set_alpha_to_one=set_alpha_to_one, timestep_spacing="leading", steps_offset=0)
    sch.set_timesteps(50)
    xT = torch.randn(64, 2, generator=torch.Generator().manual_seed(3))
    g = torch.Generator().manual_seed(7)
    x = xT.clone()
    for t in sch.timesteps:
        eps = model(x, torch.full((64,), int(t)))
        x = sch.step(eps, t, x, eta=eta, generator=g).prev_sample
    ours = dt.sample_ddim(model, xT, linear, dt.make_timesteps(1000, 50, "leading"), eta=eta,
                          generator=torch.Generator().manual_seed(7), set_alpha_to_one=set_alpha_to_one, progress=False)
    torch.testing.assert_close(ours, x, rtol=0, atol=1e-5)


def test_full_loop_matches_diffusers_ddpm(linear):
    diffusers = pytest.importorskip("diffusers")
    model = dt.ring_of_gaussians(linear)
    sch = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False,
                                  variance_type="fixed_small")
    sch.set_timesteps(1000)
    xT = torch.randn(32, 2, generator=torch.Generator().manual_seed(3))
    g = torch.Generator().manual_seed(9)
    x = xT.clone()
    for t in sch.timesteps:
        x = sch.step(model(x, torch.full((32,), int(t))), t, x, generator=g).prev_sample
    ours = dt.sample_ddpm(model, xT, linear, generator=torch.Generator().manual_seed(9), progress=False)
    torch.testing.assert_close(ours, x, rtol=0, atol=1e-4)


def test_ddim_eta1_equals_ddpm_with_same_noise(linear):
    model = TinyEps().double()
    model.w.data = model.w.data.double()
    xT = torch.randn(16, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    a = dt.sample_ddim(model, xT, linear, torch.arange(999, -1, -1), eta=1.0,
                       generator=torch.Generator().manual_seed(5), progress=False)
    b = dt.sample_ddpm(model, xT, linear, variance="fixed_small", generator=torch.Generator().manual_seed(5), progress=False)
    # float64 round-off only: measured 1.4e-10, since both means now pass through x̂₀, which divides by sqrt(ᾱ_T) ≈ 6e-3
    torch.testing.assert_close(a, b, rtol=0, atol=1e-9)
    c = dt.sample_ddpm(model, xT, linear, variance="fixed_large", generator=torch.Generator().manual_seed(5), progress=False)
    assert (a - c).abs().max() > 1e-3  # the large variance is a different sampler


def test_ddim_step_is_eq12_and_eq7(linear, gen):
    """Against the paper's formulas written here (not the package's ddim_sigma / ddim_direction):
    Eq. 16 σ² = η² (1-ᾱ_{t-1})/(1-ᾱ_t) β_t, and Eq. 7's mean √ᾱ_{t-1} x_0 + √(1-ᾱ_{t-1}-σ²)(x_t - √ᾱ_t x_0)/√(1-ᾱ_t)."""
    x0 = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    eps = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    z = torch.randn(5, 3, generator=gen, dtype=torch.float64)
    betas = linear.betas.tolist()
    for t, eta in [(10, 0.0), (400, 0.5), (999, 1.0), (999, 0.3)]:
        ab = math.prod(1 - b for b in betas[: t + 1])  # ᾱ_t from β, in the test
        abp = math.prod(1 - b for b in betas[:t])
        sigma2 = eta**2 * (1 - abp) / (1 - ab) * (1 - ab / abp)  # Eq. 16 squared; 1 - ᾱ_t/ᾱ_{t-1} = β_t
        assert sigma2 == pytest.approx(eta**2 * (1 - abp) / (1 - ab) * betas[t], rel=1e-9)
        xt = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
        x_prev, x0_pred = dt.ddim_step(xt, eps, ab, abp, eta=eta, noise=z)
        torch.testing.assert_close(x0_pred, x0, rtol=0, atol=1e-12)  # Eq. 9 with the true ε
        mean = math.sqrt(abp) * x0 + math.sqrt(1 - abp - sigma2) * (xt - math.sqrt(ab) * x0) / math.sqrt(1 - ab)
        torch.testing.assert_close(x_prev, mean + math.sqrt(sigma2) * z, rtol=0, atol=1e-12)
        assert dt.ddim_sigma(ab, abp, eta) ** 2 == pytest.approx(sigma2, rel=1e-12, abs=1e-300)


def test_gaussian_oracle_underdispersion_then_converges(linear):
    """DDIM at η = 0 with the exact denoiser of N(μ, s²) is an affine map of x_T: written here step by step
    (x̂₀ = μ + g (x - √ᾱ μ), g = √ᾱ s²/(ᾱ s² + 1 - ᾱ); Eq. 12 at σ = 0), its slope A is the output's exact
    std for x_T ~ N(0, 1). The package's sampler must give the same map (fed x_T = 0 and 1), and the
    exact std must under-disperse at few steps and reach s as S grows: no Monte Carlo."""
    mu, s = 0.5, 0.5
    orc = dt.GaussianDenoiser(linear, mean=mu, std=s, sample_shape=(2,))
    ab_table = linear.alphas_cumprod.tolist()
    stds = {}
    for S in (2, 5, 10, 50, 200):
        ts = dt.make_timesteps(1000, S).tolist()
        A, b = 1.0, 0.0  # x = A x_T + b
        for i, t in enumerate(ts):
            ab, abp = ab_table[t], (ab_table[ts[i + 1]] if i + 1 < len(ts) else 1.0)
            g = math.sqrt(ab) * s**2 / (ab * s**2 + 1 - ab)
            x0_A, x0_b = g * A, mu + g * (b - math.sqrt(ab) * mu)
            e_A, e_b = (A - math.sqrt(ab) * x0_A) / math.sqrt(1 - ab), (b - math.sqrt(ab) * x0_b) / math.sqrt(1 - ab)
            A, b = math.sqrt(abp) * x0_A + math.sqrt(1 - abp) * e_A, math.sqrt(abp) * x0_b + math.sqrt(1 - abp) * e_b
        x = dt.sample_ddim(orc, torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64), linear, ts, progress=False)
        torch.testing.assert_close(x[0], torch.full((2,), b, dtype=torch.float64), rtol=0, atol=1e-10)
        torch.testing.assert_close(x[1] - x[0], torch.full((2,), A, dtype=torch.float64), rtol=0, atol=1e-10)
        assert b == pytest.approx(mu, abs=0.02)  # exact: 0.488 at S = 2 (leading τ starts at t = 501, not T)
        stds[S] = abs(A)
    assert stds[2] < 0.2 * s and stds[10] < 0.8 * s  # η = 0 under-disperses at few steps (exact: 0.084, 0.374 of 0.5)
    assert all(stds[a] < stds[b] for a, b in [(2, 5), (5, 10), (10, 50), (50, 200)])
    assert stds[200] == pytest.approx(s, rel=0.02)
    assert stds[200] == pytest.approx(0.5, abs=0.015)


def test_ddpm_on_gaussian_oracle_has_right_moments(linear):
    orc = dt.GaussianDenoiser(linear, mean=-0.3, std=0.7, sample_shape=(1,))
    x = dt.sample_ddpm(orc, torch.randn(20000, 1, generator=torch.Generator().manual_seed(2)), linear,
                       generator=torch.Generator().manual_seed(3), progress=False)
    assert x.mean().item() == pytest.approx(-0.3, abs=0.02) and x.std().item() == pytest.approx(0.7, abs=0.02)


def test_inversion_roundtrip_improves_with_S(linear):
    orc = dt.GaussianDenoiser(linear, mean=0.5, std=0.5, sample_shape=(2,))
    x0 = orc.sample(2000, generator=torch.Generator().manual_seed(1))
    errs = []
    for S in (5, 10, 20, 50, 100):
        ts = dt.make_timesteps(1000, S)
        xT = dt.invert_ddim(orc, x0, linear, ts, progress=False)
        errs.append(((dt.sample_ddim(orc, xT, linear, ts, progress=False) - x0) ** 2).mean().item())
    assert all(a > b for a, b in zip(errs, errs[1:])), errs
    assert errs[-1] < 1e-3


def test_recorder_and_callback_keys(linear):
    orc = dt.ring_of_gaussians(linear)
    rec = dt.TrajectoryRecorder()
    x = dt.sample_ddim(orc, torch.randn(7, 2), linear, dt.make_timesteps(1000, 12, "trailing"), eta=0.3,
                       generator=torch.Generator().manual_seed(0), callback=rec, progress=False)
    keys = {"i", "t", "t_prev", "x", "x_prev", "eps", "x0_pred", "alpha_bar", "alpha_bar_prev", "sigma"}
    assert keys <= set(rec.steps[0])
    assert rec.xs.shape == (13, 7, 2) and rec.x0_preds.shape == (12, 7, 2)
    assert torch.equal(rec.xs[-1], x)
    assert rec.timesteps == dt.make_timesteps(1000, 12, "trailing").tolist()
    assert rec.steps[-1]["t_prev"] == -1 and rec.steps[-1]["alpha_bar_prev"] == 1.0 and rec.steps[-1]["sigma"] == 0.0


def _diffusers_ddpm_on(ts, variance, model, x_T, seed):
    """diffusers' DDPMScheduler on a custom τ: an independent respaced chain (its own previous_timestep)."""
    diffusers = pytest.importorskip("diffusers")
    sch = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False,
                                  variance_type=variance)
    sch.set_timesteps(timesteps=ts.tolist())
    g, x = torch.Generator().manual_seed(seed), x_T.clone()
    for t in sch.timesteps:
        x = sch.step(model(x, torch.full((x.shape[0],), int(t))), t, x, generator=g).prev_sample
    return x


def test_linspace_steps_visit_tau_not_t_minus_ratio(linear):
    # η = 1 on τ is DDPM's respaced chain; diffusers' DDPM with custom timesteps steps τ_i -> τ_{i+1} itself
    model = dt.ring_of_gaussians(linear)
    ts = dt.make_timesteps(1000, 10, "linspace")  # steps of 111 and 112, where t - T // S would step 100
    x_T = torch.randn(256, 2, generator=torch.Generator().manual_seed(0))
    ref = _diffusers_ddpm_on(ts, "fixed_small", model, x_T, seed=4)
    ours = dt.sample_ddim(model, x_T, linear, ts, eta=1.0, generator=torch.Generator().manual_seed(4), progress=False)
    # float32 tables in diffusers; measured max |diff| 5.2e-6
    torch.testing.assert_close(ours, ref, rtol=0, atol=2e-5)
    wrong = [900 - 100 * i for i in range(9)] + [0]  # what t - T // S after the first step would visit
    assert (ours - _diffusers_ddpm_on(torch.tensor([999] + wrong[1:]), "fixed_small", model, x_T, 4)).abs().max() > 0.1


def test_sigma_hat_variant(linear):
    # σ̂² = 1 - ᾱ_t/ᾱ_prev with η = 1's mean is DDPM's "fixed_large" (σ² = β) on the respaced chain
    model = dt.ring_of_gaussians(linear)
    ts = dt.make_timesteps(1000, 10)
    x_T = torch.randn(256, 2, generator=torch.Generator().manual_seed(1))
    ref = _diffusers_ddpm_on(ts, "fixed_large", model, x_T, seed=2)
    ours = dt.sample_ddim(model, x_T, linear, ts, eta="sigma_hat", generator=torch.Generator().manual_seed(2),
                          progress=False)
    # measured max |diff| 4.2e-6 (float32)
    torch.testing.assert_close(ours, ref, rtol=0, atol=2e-5)
    eta1 = dt.sample_ddim(model, x_T, linear, ts, eta=1.0, generator=torch.Generator().manual_seed(2), progress=False)
    assert (ours - eta1).abs().max() > 0.1  # the larger variance is a different sampler


class _Reparam(torch.nn.Module):
    """Wrap an ε oracle into x0- or v-prediction to test the conversions."""

    def __init__(self, eps_model, schedule, kind):
        super().__init__()
        self.m, self.s, self.kind = eps_model, schedule, kind

    def forward(self, x, t):
        eps = self.m(x, t)
        ab = self.s.alphas_cumprod[t].to(x.dtype)[:, None]
        x0 = (x - (1 - ab).sqrt() * eps) / ab.sqrt()
        return x0 if self.kind == "sample" else ab.sqrt() * eps - (1 - ab).sqrt() * x0


@pytest.mark.parametrize("kind", ["sample", "v"])
def test_prediction_types_agree(linear, kind):
    orc = dt.ring_of_gaussians(linear)
    xT = torch.randn(32, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 20)
    a = dt.sample_ddim(orc, xT, linear, ts, progress=False)
    b = dt.sample_ddim(_Reparam(orc, linear, kind), xT, linear, ts, prediction_type=kind, progress=False)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-8)


def test_zero_snr_needs_v_prediction():
    s = dt.make_schedule("linear", T=1000, zero_terminal_snr=True)
    orc = dt.ring_of_gaussians(s)
    with pytest.raises(ValueError, match="prediction_type='v'"):
        dt.sample_ddim(orc, torch.randn(4, 2), s, dt.make_timesteps(1000, 10, "trailing"), progress=False)

    def v_model(x, t):  # an exact v-predictor for the ring, written directly from E[x0|x_t]
        ab = s.alphas_cumprod[t].to(x.dtype)[:, None]
        x0 = orc.x0_mean(x.double(), t).to(x.dtype)
        return (ab.sqrt() * x - x0) / (1 - ab).sqrt()

    x = dt.sample_ddim(v_model, torch.randn(256, 2, generator=torch.Generator().manual_seed(0)), s,
                       dt.make_timesteps(1000, 50, "trailing"), prediction_type="v", progress=False)
    assert torch.isfinite(x).all()
    assert (x.norm(dim=1) - 2.0).abs().median() < 0.2  # samples land on the ring of radius 2


def test_clip_matches_diffusers_clipped_model_output(linear):
    # clip_x0 clamps x̂₀ and re-derives ε from it: diffusers' clip_sample with use_clipped_model_output=True
    diffusers = pytest.importorskip("diffusers")
    orc = dt.GaussianDenoiser(linear, mean=0.0, std=3.0, sample_shape=(2,))  # wide data: x̂₀ leaves [-1, 1]
    sch = diffusers.DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=True,
                                  clip_sample_range=1.0, set_alpha_to_one=True, steps_offset=0)
    sch.set_timesteps(10)
    x_T = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    x = x_T.clone()
    for t in sch.timesteps:
        x = sch.step(orc(x, torch.full((64,), int(t))), t, x, use_clipped_model_output=True).prev_sample
    rec = dt.TrajectoryRecorder()
    ours = dt.sample_ddim(orc, x_T, linear, dt.make_timesteps(1000, 10), clip_x0=1.0, callback=rec, progress=False)
    torch.testing.assert_close(ours, x, rtol=0, atol=2e-5)  # measured max |diff| 3.0e-7
    assert rec.x0_preds.abs().max() <= 1.0 < dt.sample_ddim(orc, x_T, linear, dt.make_timesteps(1000, 10),
                                                           progress=False).abs().max()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a second device (CUDA) to show the device follows x_T")
def test_device_follows_input(linear):
    orc = dt.GaussianDenoiser(linear, mean=0.0, std=1.0, sample_shape=(2,))
    x_T = torch.randn(8, 2, device="cuda")
    x = dt.sample_ddim(lambda x, t: orc(x.cpu(), t.cpu()).to(x.device), x_T, linear, dt.make_timesteps(1000, 5),
                       eta=1.0, generator=torch.Generator("cuda").manual_seed(0), progress=False)
    assert x.device == x_T.device


@pytest.mark.parametrize(
    "kw, err, match",
    [
        (dict(eta=1.5), ValueError, r"eta must be in \[0, 1\], got 1.5"),
        (dict(eta=-0.1), ValueError, r"eta must be in \[0, 1\]"),
        (dict(eta="big"), ValueError, "sigma_hat"),
        (dict(timesteps=[10, 500]), ValueError, "strictly descending"),
        (dict(prediction_type="score"), ValueError, "unknown prediction_type"),
    ],
)
def test_sampler_bad_input(linear, kw, err, match):
    args = dict(timesteps=dt.make_timesteps(1000, 5))
    args.update(kw)
    ts = args.pop("timesteps")
    with pytest.raises(err, match=match):
        dt.sample_ddim(dt.ring_of_gaussians(linear), torch.randn(2, 2), linear, ts, progress=False, **args)


def test_sampler_rejects_nan_and_shape_errors(linear):
    orc = dt.ring_of_gaussians(linear)
    ts = dt.make_timesteps(1000, 5)
    with pytest.raises(ValueError, match="x_T contains 1 non-finite"):
        dt.sample_ddim(orc, torch.tensor([[float("nan"), 0.0]]), linear, ts, progress=False)
    with pytest.raises(ValueError, match=r"per-sample shape \(3,\) but the model expects \(2,\)"):
        dt.sample_ddim(orc, torch.randn(2, 3), linear, ts, progress=False)
    with pytest.raises(ValueError, match="the model returned shape"):
        dt.sample_ddim(lambda x, t: x[:, :1], torch.randn(2, 2), linear, ts, progress=False)
    with pytest.raises(ValueError, match="NaN or inf at step 0"):
        dt.sample_ddim(lambda x, t: x * float("nan"), torch.randn(2, 2), linear, ts, progress=False)
    with pytest.raises(ValueError, match="pass noise="):
        dt.ddim_step(torch.zeros(2, 2), torch.zeros(2, 2), 0.5, 0.6, eta=0.5)
