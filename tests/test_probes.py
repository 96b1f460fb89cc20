"""Every bug and unchecked input of issue 22's probe: a clear error naming the argument (or the right numbers), one test each."""
import json
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.core.step import alpha_bar_at


# 1. DDPM on a v-prediction model with a zero-terminal-SNR schedule: the mean from x̂₀
class _VGaussian(torch.nn.Module):
    """The exact v-prediction of Gaussian data N(μ, s²) (closed form, written here): defined at ᾱ = 0 too."""

    prediction_type = "v"

    def __init__(self, schedule, mu=0.5, s=0.3):
        super().__init__()
        self.ab, self.mu, self.s = schedule.alphas_cumprod, mu, s

    def forward(self, x, t):
        ab = self.ab[t].to(x.dtype).reshape(-1, *[1] * (x.ndim - 1))
        x0 = self.mu + ab.sqrt() * self.s**2 / (ab * self.s**2 + 1 - ab) * (x - ab.sqrt() * self.mu)  # E[x_0 | x_t]
        eps = (x - ab.sqrt() * x0) / (1 - ab).sqrt()
        return ab.sqrt() * eps - (1 - ab).sqrt() * x0


def test_ddpm_runs_v_prediction_on_zero_terminal_snr_and_matches_ddim_eta1():
    s = dt.make_schedule("linear", T=100, zero_terminal_snr=True)
    assert float(s.alphas_cumprod[-1]) == 0.0
    model = _VGaussian(s)
    x = torch.randn(256, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = torch.arange(99, -1, -1)
    noise = [torch.randn(256, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(i + 1)) for i in range(100)]
    a = dt.sample_ddpm(model, x, s, ts, noise=noise, progress=False)
    b = dt.sample_ddim(model, x, s, ts, eta=1.0, noise=noise, progress=False)  # Eq. 12 at η = 1, S = T
    assert torch.isfinite(a).all()
    torch.testing.assert_close(a, b, rtol=0, atol=1e-10)
    # the first step from t = T (ᾱ = 0) lands on the posterior mean from x̂₀ = μ: √ᾱ_prev β/(1-ᾱ) μ + 0·x_T + σ z
    rec = dt.TrajectoryRecorder()
    dt.sample_ddpm(model, x, s, ts[:2], noise=noise[:2], callback=rec, progress=False)
    abp = float(s.alphas_cumprod[98])
    sigma = math.sqrt((1 - abp) * 1.0)  # β̃ = (1-ᾱ_prev)/(1-ᾱ_T) β_T with ᾱ_T = 0, β_T = 1
    torch.testing.assert_close(rec.xs[1], math.sqrt(abp) * 0.5 + sigma * noise[0], rtol=0, atol=1e-12)


def test_ddpm_step_from_eps_at_zero_snr_names_the_fix():
    with pytest.raises(ValueError, match="pass x0_pred"):
        dt.ddpm_step(torch.zeros(2, 2), torch.zeros(2, 2), 0.0, 0.5)


# 3. clip_x0
@pytest.mark.parametrize("clip, err, msg", [(-1.0, ValueError, "clip_x0 must be a finite number > 0"),
                                             (float("nan"), ValueError, "clip_x0 must be a finite number > 0"),
                                             ("1", TypeError, "clip_x0 must be None or a number > 0"),
                                             (True, TypeError, "clip_x0 must be None or a number > 0")])
@pytest.mark.parametrize("sampler", ["ddim", "ddpm", "heun"])
def test_clip_x0_is_checked(linear, clip, err, msg, sampler):
    g = dt.GaussianDenoiser(linear)
    with pytest.raises(err, match=msg):
        dt.call_sampler(sampler, g, torch.randn(2, 2), linear, [10, 0], clip_x0=clip)
    with pytest.raises(err, match=msg):
        dt.predict_eps_x0(torch.zeros(2, 2), torch.zeros(2, 2), 0.5, clip_x0=clip)


# 4. NaN noise passed by the user: named, never blamed on the schedule
def test_nan_noise_is_named(linear):
    g = dt.GaussianDenoiser(linear)
    noise = [torch.randn(2, 2), torch.full((2, 2), float("nan"))]
    with pytest.raises(ValueError, match=r"noise\[1\] .*NaN"):
        dt.sample_ddim(g, torch.randn(2, 2), linear, [10, 0], eta=1.0, noise=noise, progress=False)


# 5. ᾱ outside [0, 1] in the step maths
@pytest.mark.parametrize("call, msg", [
    (lambda: dt.ddim_sigma(1.5, 2.0, 1), "alpha_bar must lie in"),
    (lambda: dt.ddim_sigma(-0.1, 0.5, 1), "alpha_bar must lie in"),
    (lambda: dt.ddim_sigma(0.5, float("nan"), 1), "alpha_bar_prev must lie in"),
    (lambda: dt.ddim_sigma(1, 1, 1), "0/0 at alpha_bar = 1"),
    (lambda: dt.ddim_step(torch.zeros(2), torch.zeros(2), 1.5, 1.0), "alpha_bar must lie in"),
    (lambda: dt.ddim_step(torch.zeros(2), torch.zeros(2), 0.0, 0.5), "divides by sqrt"),
    (lambda: dt.ddim_step(torch.zeros(2), torch.zeros(2), float("nan"), 0.5), "alpha_bar must lie in"),
    (lambda: dt.ddim_step(torch.zeros(2), torch.zeros(2), torch.tensor([0.5, 1.2]), 1.0), "alpha_bar must lie in"),
])
def test_alpha_bar_outside_0_1_is_an_error(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


def test_alpha_bar_type_is_checked():
    with pytest.raises(TypeError, match="alpha_bar must be a real number"):
        dt.ddim_sigma("0.5", 0.9, 0.0)


# 6. obscure inputs
def test_schedule_keywords_are_checked():
    with pytest.raises(ValueError, match=r"s \(the cosine schedule's offset\) must be ≥ 0"):
        dt.make_schedule("cosine", s=-1)
    with pytest.raises(TypeError, match="beta_start of the 'linear' schedule must be a finite real number"):
        dt.make_schedule(beta_start="a")
    with pytest.raises(ValueError, match=r"max_beta must lie in \(0, 1\)"):
        dt.make_schedule("cosine", max_beta=1.5)


def test_oracle_shapes_are_checked(linear):
    with pytest.raises(ValueError, match=r"mean of shape \(3,\) does not broadcast to sample_shape \(2,\)"):
        dt.GaussianDenoiser(linear, mean=[0, 1, 2])
    with pytest.raises(ValueError, match="n_modes must be a positive int"):
        dt.ring_of_gaussians(linear, n_modes=0)
    with pytest.raises(ValueError, match="K ≥ 1"):
        dt.EmpiricalDenoiser(linear, torch.zeros(0, 2))


def _save(tmp_path, **change):
    from ddim_teach.models.train import save_checkpoint

    from ddim_teach.models import MLPDenoiser

    model = MLPDenoiser()
    path = tmp_path / "m.pt"
    save_checkpoint(path, model, dt.make_schedule("linear"), meta={})
    ckpt = torch.load(path, weights_only=True)
    ckpt.update(change)
    torch.save(ckpt, path)
    return path


def test_checkpoint_with_unknown_config_keyword(tmp_path):
    ckpt_path = _save(tmp_path)
    ckpt = torch.load(ckpt_path, weights_only=True)
    ckpt["config"] = {**ckpt["config"], "wings": 2}
    torch.save(ckpt, ckpt_path)
    with pytest.raises(dt.CheckpointError, match=r"m\.pt: its network config .* does not build a network"):
        dt.load_checkpoint(ckpt_path)


def test_checkpoint_with_a_bad_schedule_names_the_file(tmp_path):
    ckpt_path = _save(tmp_path, schedule={"kind": "cosine", "T": 1000, "s": -1, "zero_terminal_snr": False})
    with pytest.raises(dt.CheckpointError, match=r"m\.pt: its schedule .* is not valid"):
        dt.load_checkpoint(ckpt_path)


def test_missing_manifest_says_so(tmp_path, monkeypatch):
    import ddim_teach.models.pretrained as pre

    monkeypatch.setattr(pre, "MANIFEST", tmp_path / "manifest.json")
    with pytest.raises(dt.CheckpointError, match="manifest.json is missing"):
        dt.load_pretrained("moons")


# 7. silently accepted before
def test_set_alpha_to_one_must_be_a_bool(linear):
    with pytest.raises(TypeError, match="set_alpha_to_one must be True or False"):
        dt.sample_ddim(dt.GaussianDenoiser(linear), torch.randn(2, 2), linear, [10, 0], set_alpha_to_one="no",
                       progress=False)
    with pytest.raises(TypeError, match="set_alpha_to_one"):
        alpha_bar_at(linear, -1, "no")


def test_steps_offset_must_be_an_int():
    with pytest.raises(TypeError, match="steps_offset must be an int"):
        dt.make_timesteps(1000, 10, "leading", steps_offset=1.5)


def test_oracle_schedule_must_match_the_samplers(linear):
    short = dt.make_schedule("linear", T=500)
    with pytest.raises(ValueError, match="built for a schedule with T = 1000 .* given one with T = 500"):
        dt.sample_ddim(dt.GaussianDenoiser(linear), torch.randn(2, 2), short, [100, 0], progress=False)
