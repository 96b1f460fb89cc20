"""Exact checks of the maths core (core.step, core.timesteps, core.schedule, the ODE steps, gaussian_law) against
references written here from the papers or taken from diffusers. Several of them were written to kill mutants that
survived ``make mutation`` (benchmarks/RESULTS.md, section "mutation")."""
import math
import re

import pytest
import torch

import ddim_teach as dt
from ddim_teach.core import step

LIN = dt.make_schedule("linear", T=1000)


def test_ddim_sigma_is_eta_times_diffusers_std():
    """Eq. 16's σ² equals η² times diffusers' DDIMScheduler._get_variance (its (1-ᾱ_prev)/(1-ᾱ_t)(1-ᾱ_t/ᾱ_prev)).
    Its table is switched to float64 here (in float32, 1 - ᾱ near t = 1 loses 1e-5 of relative precision): the
    measured gap is then below 1e-15, the tolerance 1e-12."""
    diffusers = pytest.importorskip("diffusers")
    sch = diffusers.DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False)
    sch.alphas_cumprod = ab = sch.alphas_cumprod.double()
    for t, tp in [(999, 899), (500, 480), (10, 0), (1, 0), (999, 0)]:
        ref = float(sch._get_variance(t, tp))
        for eta in (0.2, 0.5, 1.0):
            got = dt.ddim_sigma(float(ab[t]), float(ab[tp]), eta)
            assert got**2 == pytest.approx(eta**2 * ref, rel=1e-12)


# ---- core.schedule: the tables are computed in float64 ----------------------------------------------------
def test_linear_scaled_linear_and_sigmoid_betas_in_float64():
    """The β tables against numpy float64 written here (diffusers builds them in float32, so its comparison in
    tests/test_schedule.py cannot see a float32 step, off by ~1e-8). Measured gap ≤ 7.1e-16 relative (torch and
    numpy round differently); tolerance 4e-15."""
    np = pytest.importorskip("numpy")
    T = 1000
    scaled = np.linspace(0.00085**0.5, 0.012**0.5, T, dtype=np.float64) ** 2
    sigmoid = 1 / (1 + np.exp(-np.linspace(-6.0, 6.0, T, dtype=np.float64))) * (0.02 - 1e-4) + 1e-4
    linear = np.linspace(1e-4, 0.02, T, dtype=np.float64)
    for kind, ref in (("linear", linear), ("scaled_linear", scaled), ("sigmoid", sigmoid)):
        ours = dt.make_schedule(kind, T=T).betas
        assert ours.dtype == torch.float64
        assert torch.allclose(ours, torch.from_numpy(ref), rtol=4e-15, atol=0), kind


def _rescale_reference(betas):
    """Lin et al. 2023, Algorithm 1, written here in float64 numpy: shift √ᾱ so that its last value is 0 and
    scale it so that its first is unchanged; back to β."""
    import numpy as np

    ab = np.cumprod(1 - np.asarray(betas, dtype=np.float64))
    s = np.sqrt(ab)
    s = (s - s[-1]) * s[0] / (s[0] - s[-1])
    ab = s**2
    return 1 - np.concatenate([ab[:1], ab[1:] / ab[:-1]])


def test_rescale_zero_terminal_snr_in_float64_and_its_refusal():
    """A float32 β table is rescaled in float64 (measured equal to the reference above; tolerance 1e-12, while a
    float32 computation is off by ~1e-7); a table of one β cannot decrease, and is refused."""
    betas32 = dt.make_schedule("scaled_linear", T=50).betas.float()
    ours = dt.rescale_zero_terminal_snr(betas32)
    ref = torch.from_numpy(_rescale_reference(betas32.double().numpy()))
    assert ours.dtype == torch.float64 and ours[-1] == 1.0
    assert torch.allclose(ours, ref, rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match="does not decrease"):
        dt.rescale_zero_terminal_snr(torch.tensor([0.1], dtype=torch.float64))


def test_schedule_keywords_are_checked_and_repr():
    """β ranges and the cosine's s and max_beta: each bad value gets its own error (none is silently capped)."""
    for kw, err, match in [
        (dict(beta_start="0.1"), TypeError, "beta_start of the 'linear' schedule must be a finite real number"),
        (dict(beta_end=True), TypeError, "beta_end of the 'linear' schedule must be a finite real number"),
        (dict(beta_end=float("inf")), TypeError, "finite real number"),
        (dict(beta_start=0.0), ValueError, r"beta_start must lie in \(0, 1\)"),
        (dict(beta_end=1.0), ValueError, r"beta_end must lie in \(0, 1\)"),
    ]:
        with pytest.raises(err, match=match):
            dt.make_schedule("linear", T=10, **kw)
    with pytest.raises(ValueError, match="s \\(the cosine schedule's offset\\) must be ≥ 0"):
        dt.make_schedule("cosine", T=10, s=-0.001)
    for mb in (0.0, 1.0):
        with pytest.raises(ValueError, match=r"max_beta must lie in \(0, 1\)"):
            dt.make_schedule("cosine", T=10, max_beta=mb)
    ok = dt.make_schedule("cosine", T=10, s=0.0, max_beta=0.5)  # the edges that are allowed
    assert float(ok.betas.max()) == 0.5  # the cap holds: β_T of the cosine with s = 0 is 1 before it
    assert dt.make_schedule("linear", T=10, beta_start=1e-9, beta_end=0.999999).T == 10
    assert repr(dt.make_schedule("cosine", T=10, zero_terminal_snr=True)) == \
        "Schedule(kind='cosine', T=10, zero_terminal_snr=True)"
    assert repr(dt.make_schedule("linear", T=7)) == "Schedule(kind='linear', T=7)"


# ---- core.step: the three numbers of Eq. 12 ---------------------------------------------------------------
@pytest.mark.parametrize("eta", [0.0, 0.3, 1.0, "sigma_hat"])
def test_ddim_coefficients_are_eq12_and_eq16(eta):
    """ddim_coefficients against Eq. 12 and Eq. 16 written here: x0 = √ᾱ_prev, eps = √(1 - ᾱ_prev - σ²),
    noise = σ = η √((1-ᾱ_prev)/(1-ᾱ_t)) √(1-ᾱ_t/ᾱ_prev); for σ̂ (Appendix D.3) the η = 1 mean and noise
    √(1-ᾱ_t/ᾱ_prev). Float64 round-off, measured below 3e-16; tolerance 1e-13."""
    ab_table = LIN.alphas_cumprod.tolist()
    for t, tp in [(999, 899), (500, 480), (10, 0)]:
        ab, abp = ab_table[t], ab_table[tp]
        e = 1.0 if eta == "sigma_hat" else eta
        sigma = e * math.sqrt((1 - abp) / (1 - ab)) * math.sqrt(1 - ab / abp)
        noise = math.sqrt(1 - ab / abp) if eta == "sigma_hat" else sigma
        c = dt.ddim_coefficients(ab, abp, eta)
        assert set(c) == {"x0", "eps", "noise"}
        assert c["x0"] == pytest.approx(math.sqrt(abp), rel=1e-13)
        assert c["eps"] == pytest.approx(math.sqrt(1 - abp - sigma**2), rel=1e-13)
        assert c["noise"] == pytest.approx(noise, rel=1e-13, abs=0)
        if eta == 0.0:
            assert dt.ddim_coefficients(ab, abp) == c  # the default is η = 0, DDIM


# ---- samplers.ode: what each step reports -----------------------------------------------------------------
@pytest.mark.parametrize("solver", ["euler", "heun", "dpmpp_2m"])
def test_ode_steps_report_no_ddim_noise_and_their_sigmas(solver):
    """Each ODE step reports σ_t = 0 (no DDIM noise: the solvers are deterministic) and the noise levels
    σ = √((1-ᾱ)/ᾱ) of both ends, written here from ᾱ (0 after the last step, where ᾱ = 1)."""
    from ddim_teach.samplers import ode

    ring = dt.ring_of_gaussians(LIN)
    ts = dt.make_timesteps(1000, 5, "trailing").tolist()
    rec = dt.TrajectoryRecorder()
    x = torch.randn(4, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    ode.get_solver(solver)(ring, x, LIN, ts, callback=rec, progress=False)
    ab = LIN.alphas_cumprod.tolist()
    ends = ts + [None]
    for i, info in enumerate(rec.steps):
        assert info["sigma"] == 0.0
        a, ap = ab[ends[i]], (ab[ends[i + 1]] if ends[i + 1] is not None else 1.0)
        assert info["ode_sigma"] == pytest.approx(math.sqrt((1 - a) / a), rel=1e-12)
        assert info["ode_sigma_prev"] == pytest.approx(math.sqrt((1 - ap) / ap), rel=1e-12, abs=0)


# ---- core.timesteps: the quad repair's second pass ----------------------------------------------------------
def test_quad_repair_pushes_down_from_the_top_when_pushing_up_overflows():
    """The repair rule of the module docstring on grids where pushing repeats up would pass T-1 (the official
    quad grid never does: its top is int(0.8 T)); expected values worked out by hand from the rule."""
    import numpy as np

    from ddim_teach.core.timesteps import _strictly_increasing_within as repair

    cases = [(([5, 5, 5], 6), [3, 4, 5]),  # up: 5 6 7; top clamped to 5; down: 3 4 5
             (([0, 0, 4, 4], 5), [0, 1, 3, 4]),  # up: 0 1 4 5; top 4; down: 3 at index 2 only
             (([0, 2, 2, 9], 10), [0, 2, 3, 9]),  # no overflow: up only
             (([1, 1, 1, 1, 1], 5), [0, 1, 2, 3, 4])]
    for (seq, T), want in cases:
        got = repair(np.array(seq), T)
        assert got.dtype == np.int64 and got.tolist() == want, (seq, T)


# ---- core.step: the ODE view (Sec. 4.3) with per-sample ᾱ, and its argument checks ---------------------------
def test_euler_step_with_tensor_alpha_bar_is_eq13():
    """Eq. 13 written here, x_prev = √ᾱ_prev (x/√ᾱ + (σ_prev - σ) ε) with σ = √((1-ᾱ)/ᾱ), for ᾱ given as a float64
    tensor per sample and x in float32 (the coefficients follow x's dtype). Measured 6.8e-8 (float32); tolerance
    1e-6. ᾱ = 0 has σ = ∞ and is refused with an error that names the argument."""
    g = torch.Generator().manual_seed(0)
    x, eps = torch.randn(3, 2, generator=g), torch.randn(3, 2, generator=g)
    ab = torch.tensor([[0.2], [0.5], [0.9]], dtype=torch.float64)
    abp = torch.tensor([[0.4], [0.7], [1.0]], dtype=torch.float64)
    sig = lambda a: ((1 - a) / a).sqrt()  # noqa: E731
    want = abp.sqrt() * (x.double() / ab.sqrt() + (sig(abp) - sig(ab)) * eps.double())
    got = step.euler_step(x, eps, ab, abp)
    assert got.dtype == torch.float32
    assert (got.double() - want).abs().max() < 1e-6
    for bad in (0.0, torch.tensor([[0.0]], dtype=torch.float64)):
        with pytest.raises(ValueError, match=r"^alpha_bar must lie in \(0, 1\]"):
            step.euler_step(x[:1], eps[:1], bad, 0.5)
        with pytest.raises(ValueError, match=r"^alpha_bar must lie in \(0, 1\]"):
            step.ode_sigma(bad)


def test_gaussian_law_defaults_and_refusals():
    """ddim_output_law's default η is 0 (the deterministic law, A² + 0 noise, as written in test_table1's law);
    ddim_affine_step needs 0 < ᾱ_t < ᾱ_prev ≤ 1, and ddim_output_law a Schedule."""
    from ddim_teach.experiments import gaussian_law as gl

    ts = dt.make_timesteps(1000, 10)
    assert all(torch.equal(a, b) for a, b in zip(gl.ddim_output_law([0.3], [0.7], LIN, ts),
                                                  gl.ddim_output_law([0.3], [0.7], LIN, ts, 0.0)))
    assert not torch.equal(gl.ddim_output_law([0.3], [0.7], LIN, ts)[1], gl.ddim_output_law([0.3], [0.7], LIN, ts, 1.0)[1])
    for ab, abp in ((0.0, 0.5), (0.5, 0.5), (0.6, 0.5), (0.5, 1.5)):
        with pytest.raises(ValueError, match="need 0 < alpha_bar < alpha_bar_prev <= 1"):
            gl.ddim_affine_step([0.0], [1.0], ab, abp)
    with pytest.raises(TypeError, match="schedule must be a ddim_teach.Schedule, got str"):
        gl.ddim_output_law([0.0], [1.0], "linear", ts)


def test_ddim_step_default_eta_and_argument_errors():
    """With no η the step is DDIM's (η = 0): Eq. 9 and Eq. 12 at σ = 0 written here (float64 round-off, measured
    below 1e-15; tolerance 1e-13). Each refusal names the argument at fault, at the start of its message."""
    g = torch.Generator().manual_seed(1)
    x, eps = torch.randn(2, 3, generator=g, dtype=torch.float64), torch.randn(2, 3, generator=g, dtype=torch.float64)
    ab, abp = 0.3, 0.6
    x0 = (x - math.sqrt(1 - ab) * eps) / math.sqrt(ab)
    got, x0_got = step.ddim_step(x, eps, ab, abp)
    assert (x0_got - x0).abs().max() < 1e-13
    assert (got - (math.sqrt(abp) * x0 + math.sqrt(1 - abp) * eps)).abs().max() < 1e-13
    with pytest.raises(ValueError, match=r"^eps and x_t must have the same shape, got \(2, 2\) and \(2, 3\)$"):
        step.ddim_step(x, eps[:, :2], ab, abp)
    with pytest.raises(ValueError, match=r"^alpha_bar must lie in \[0, 1\]"):
        step.ddim_step(x, eps, 1.5, abp)
    with pytest.raises(ValueError, match=r"^alpha_bar_prev must lie in \[0, 1\]"):
        step.ddim_step(x, eps, ab, -0.1)


def test_ddim_step_with_per_sample_tensor_alpha_bar():
    """ᾱ_t and ᾱ_prev as float64 tensors per sample, x in float32, η = 0.5 with noise z: Eq. 9, Eq. 16 and Eq. 12
    written here in float64. Measured ≤ 1.6e-7 (float32 arithmetic); tolerance 1e-6. A noise of the wrong shape
    is refused with both shapes."""
    g = torch.Generator().manual_seed(2)
    x, eps, z = (torch.randn(3, 2, generator=g) for _ in range(3))
    ab = torch.tensor([[0.1], [0.4], [0.8]], dtype=torch.float64)
    abp = torch.tensor([[0.3], [0.5], [0.95]], dtype=torch.float64)
    eta = 0.5
    sigma = eta * ((1 - abp) / (1 - ab)).sqrt() * (1 - ab / abp).sqrt()
    x0 = (x.double() - (1 - ab).sqrt() * eps.double()) / ab.sqrt()
    want = abp.sqrt() * x0 + (1 - abp - sigma**2).sqrt() * eps.double() + sigma * z.double()
    got, x0_got = step.ddim_step(x, eps, ab, abp, eta=eta, noise=z)
    assert got.dtype == torch.float32 and x0_got.dtype == torch.float32
    assert (got.double() - want).abs().max() < 1e-6 and (x0_got.double() - x0).abs().max() < 1e-6
    with pytest.raises(ValueError, match=r"^noise must have the shape of x_t \(3, 2\), got \(3, 1\)$"):
        step.ddim_step(x, eps, ab, abp, eta=eta, noise=z[:, :1])


def test_ddim_sigma_edges():
    """Eq. 16 at its edges. η = 0 gives σ = 0 for any pair, as a tensor when either ᾱ is one (shape of both); with
    η > 0 a step towards more noise, ᾱ_prev = 0 and ᾱ_t = 1 have no σ and are refused, each with its reason; bad ᾱ
    are named."""
    ab = torch.tensor([0.2, 0.5, 0.7], dtype=torch.float64)
    for a, b in ((ab, 0.9), (0.9, ab), (ab, ab.flip(0))):
        s = step.ddim_sigma(a, b, 0.0)
        assert isinstance(s, torch.Tensor) and s.shape == (3,) and not s.any()
    assert step.ddim_sigma(0.9, 0.2, 0.0) == 0.0  # η = 0 towards more noise (inversion) is allowed
    eq = re.escape
    for a, b, why in (
        (0.5, 0.3, "σ (Eq. 16) with eta=0.5 needs alpha_bar_prev >= alpha_bar: a stochastic step towards more noise "
                   "is not defined. Inversion steps use eta=0."),
        (0.0, 0.0, "σ (Eq. 16) with eta=0.5 divides by alpha_bar_prev = 0; a stochastic step must end at "
                   "alpha_bar_prev > 0"),
        (1.0, 1.0, "σ (Eq. 16) with eta=0.5 is 0/0 at alpha_bar = 1 (no noise at t): there is nothing to denoise; "
                   "start from a timestep with alpha_bar < 1"),
    ):
        with pytest.raises(ValueError, match="^" + eq(why) + "$"):
            step.ddim_sigma(a, b, 0.5)
    with pytest.raises(ValueError, match=r"^alpha_bar must lie in \[0, 1\]"):
        step.ddim_sigma(1.5, 0.5, 0.5)
    with pytest.raises(ValueError, match=r"^alpha_bar_prev must lie in \[0, 1\]"):
        step.ddim_sigma(0.5, 1.5, 0.5)


def test_ddim_direction_and_x0_from_eps_refusals():
    """√(1 - ᾱ_prev - σ²) is 0 (not an error) where the variance left is exactly used up, for floats and tensors,
    and an error where σ² exceeds it; x̂₀ from ε is refused at ᾱ = 0 (zero terminal SNR); bad ᾱ are named."""
    too_much = re.escape("sigma² must not exceed 1 - alpha_bar_prev (the variance left at t_prev)")
    assert step.ddim_direction(1.0, 0.0) == 0.0 and step.ddim_direction(0.6, 0.4**0.5) == pytest.approx(0.0, abs=1e-7)
    d = step.ddim_direction(torch.tensor([1.0, 0.5], dtype=torch.float64), torch.zeros(2, dtype=torch.float64))
    assert d[0] == 0.0 and abs(float(d[1]) - 0.5**0.5) < 1e-15
    for sigma in (0.9**0.5, torch.tensor([0.1, 0.9**0.5], dtype=torch.float64)):
        with pytest.raises(ValueError, match="^" + too_much + "$"):
            step.ddim_direction(0.6, sigma)  # 1 - 0.6 - 0.9 = -0.5
    x = torch.ones(2, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"^x̂₀ from ε \(Eq. 9\) divides by sqrt\(alpha_bar\) = 0"):
        step.x0_from_eps(x, x, 0.0)
    with pytest.raises(ValueError, match=r"^x̂₀ from ε \(Eq. 9\) divides by sqrt\(alpha_bar\) = 0"):
        step.x0_from_eps(x, x, torch.tensor([[0.5], [0.0]], dtype=torch.float64))
    with pytest.raises(ValueError, match=r"^alpha_bar must lie in \[0, 1\]"):
        step.x0_from_eps(x, x, 1.5)


def test_make_timesteps_refuses_a_T_that_is_not_a_positive_int():
    for T in (0, -3, 10.0, True, "10"):
        with pytest.raises(ValueError, match=r"^T must be a positive int, got "):
            dt.make_timesteps(T, 1)


def test_make_timesteps_custom_list_and_steps_offset_checks():
    """A custom τ with the matching S is returned as given; a mismatched S and a steps_offset that is not an int
    are refused with messages that say what is wrong."""
    assert dt.make_timesteps(1000, 3, [900, 500, 0]).tolist() == [900, 500, 0]
    assert dt.make_timesteps(1000, None, [900, 500, 0]).tolist() == [900, 500, 0]
    with pytest.raises(ValueError, match=r"^S=4 but the custom timesteps have 3 entries$"):
        dt.make_timesteps(1000, 4, [900, 500, 0])
    for bad, shown in ((True, "bool True"), (1.0, "float 1.0")):
        with pytest.raises(TypeError, match=r"^steps_offset must be an int \(diffusers uses 0 or 1\), got " + shown + "$"):
            dt.make_timesteps(1000, 10, steps_offset=bad)
    with pytest.raises(ValueError, match=r"^steps_offset=100 moves leading timesteps to \[100, 1000\], outside \[0, 999\]$"):
        dt.make_timesteps(1000, 10, steps_offset=100)  # 0..900 shifted by 100, worked out by hand


def test_alpha_bar_at_ends_and_its_flag():
    """ᾱ at index t; index -1 (x_0) is 1, or ᾱ_0 with set_alpha_to_one=False (diffusers' convention); the flag
    must be a bool."""
    ab = LIN.alphas_cumprod
    assert step.alpha_bar_at(LIN, 10) == float(ab[10]) and step.alpha_bar_at(LIN, -1) == 1.0
    assert step.alpha_bar_at(LIN, -1, set_alpha_to_one=False) == float(ab[0])
    with pytest.raises(TypeError, match=re.escape("set_alpha_to_one must be True or False (ᾱ after the last step: 1, "
                                                  "or ᾱ_0 as diffusers' False), got int 1") + "$"):
        step.alpha_bar_at(LIN, -1, set_alpha_to_one=1)


@pytest.mark.parametrize("variance", ["fixed_small", "fixed_large"])
def test_ddpm_step_is_algorithm2_and_eq7(variance):
    """DDPM's Algorithm 2 written here on a respaced step (α = ᾱ_t/ᾱ_prev, β = 1 - α): mean (x_t - β/√(1-ᾱ_t) ε)/√α,
    σ² = β̃ = (1-ᾱ_prev)/(1-ᾱ_t) β ("fixed_small") or β ("fixed_large"); with x̂₀ given, DDPM's Eq. 7 mean
    √ᾱ_prev β/(1-ᾱ_t) x̂₀ + √α (1-ᾱ_prev)/(1-ᾱ_t) x_t. Float64 round-off, measured below 1e-15; tolerance 1e-12."""
    g = torch.Generator().manual_seed(3)
    x, eps, z, x0 = (torch.randn(4, 2, generator=g, dtype=torch.float64) for _ in range(4))
    for ab, abp in ((0.3, 0.5), (0.02, 0.9), (0.6, 1.0)):
        a, b = ab / abp, 1 - ab / abp
        var = (1 - abp) / (1 - ab) * b if variance == "fixed_small" else b
        mean = (x - b / math.sqrt(1 - ab) * eps) / math.sqrt(a)
        got, sig = step.ddpm_step(x, eps, ab, abp, noise=z, variance=variance)
        assert sig == pytest.approx(math.sqrt(var), rel=1e-12, abs=1e-300)
        assert (got - (mean + math.sqrt(var) * z)).abs().max() < 1e-12
        got, sig = step.ddpm_step(x, eps, ab, abp, variance=variance)
        assert sig == 0.0 and (got - mean).abs().max() < 1e-12
        mean7 = math.sqrt(abp) * b / (1 - ab) * x0 + math.sqrt(a) * (1 - abp) / (1 - ab) * x
        got, _ = step.ddpm_step(x, eps, ab, abp, x0_pred=x0, variance=variance)
        assert (got - mean7).abs().max() < 1e-12
    assert (step.ddpm_step(x, eps, 0.3, 0.5)[0] - step.ddpm_step(x, eps, 0.3, 0.5, variance="fixed_small")[0]).abs().max() == 0


def test_ddpm_step_refusals():
    x = torch.ones(2, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"^variance must be 'fixed_small' or 'fixed_large', got 'small'$"):
        step.ddpm_step(x, x, 0.3, 0.5, variance="small")
    with pytest.raises(ValueError, match=r"^ddpm_step goes towards less noise: alpha_bar_prev must be ≥ alpha_bar$"):
        step.ddpm_step(x, x, 0.5, 0.3)
    assert step.ddpm_step(x, x, 0.5, 0.5)[0].shape == x.shape  # ᾱ_prev = ᾱ_t is allowed (β = 0)
    with pytest.raises(ValueError, match=r"^ddpm_step from ε divides by sqrt\(alpha_bar/alpha_bar_prev\) = 0"):
        step.ddpm_step(x, x, 0.0, 0.5)
    assert torch.isfinite(step.ddpm_step(x, x, 0.0, 0.5, x0_pred=x)[0]).all()  # from x̂₀ it is defined
    with pytest.raises(ValueError, match=r"^alpha_bar must lie in \[0, 1\]"):
        step.ddpm_step(x, x, 1.5, 0.5)
    with pytest.raises(ValueError, match=r"^alpha_bar_prev must lie in \(0, 1\]"):
        step.ddpm_step(x, x, 0.0, 0.0, x0_pred=x)


# ---- the last gaps the mutation run found: ddpm_step with per-sample ᾱ, predict_eps_x0's default ------------------
def test_ddpm_step_with_per_sample_alpha_bar_is_algorithm_2_row_by_row():
    """ᾱ_t and ᾱ_prev as tensors of shape (B, 1) (they broadcast against x_t), one pair per sample: each row is DDPM's Algorithm 2 written here
    (x_prev = (x_t − β/√(1−ᾱ) ε)/√α + σ z with α = ᾱ/ᾱ_prev, β = 1 − α, σ² = β̃ = (1−ᾱ_prev)/(1−ᾱ) β or β), and
    the x̂₀ form is DDPM's Eq. 7 posterior mean, row by row."""
    g = torch.Generator().manual_seed(5)
    ab = torch.tensor([[0.9], [0.5], [0.1], [0.02]], dtype=torch.float64)
    abp = torch.tensor([[0.95], [0.7], [0.3], [0.04]], dtype=torch.float64)
    x_t, eps, z, x0 = (torch.randn(4, 3, generator=g, dtype=torch.float64) for _ in range(4))
    for variance in ("fixed_small", "fixed_large"):
        out, sigma = dt.ddpm_step(x_t, eps, ab, abp, noise=z, variance=variance)
        out0, _ = dt.ddpm_step(x_t, eps, ab, abp, noise=z, variance=variance, x0_pred=x0)
        for i in range(4):
            a, ap = float(ab[i]), float(abp[i])
            alpha, beta = a / ap, 1 - a / ap
            s = math.sqrt((1 - ap) / (1 - a) * beta) if variance == "fixed_small" else math.sqrt(beta)
            want = (x_t[i] - beta / math.sqrt(1 - a) * eps[i]) / math.sqrt(alpha) + s * z[i]
            torch.testing.assert_close(out[i], want, rtol=0, atol=1e-12)
            mu = math.sqrt(ap) * beta / (1 - a) * x0[i] + math.sqrt(alpha) * (1 - ap) / (1 - a) * x_t[i]
            torch.testing.assert_close(out0[i], mu + s * z[i], rtol=0, atol=1e-12)
            assert float(torch.as_tensor(sigma).reshape(-1)[i]) == pytest.approx(s, rel=1e-12)
    mean, sigma0 = dt.ddpm_step(x_t, eps, ab, abp)  # no noise: the mean, and σ reported as 0
    torch.testing.assert_close(mean, out - torch.as_tensor(sigma).reshape(4, 1) * z, rtol=0, atol=1e-12)
    assert sigma0 == 0.0


def test_predict_eps_x0_defaults_to_epsilon_prediction():
    """Without prediction_type the output is read as ε (Eq. 9 written here): x̂₀ = (x_t − √(1−ᾱ) ε)/√ᾱ."""
    g = torch.Generator().manual_seed(6)
    x_t, out = torch.randn(2, 5, generator=g, dtype=torch.float64), torch.randn(2, 5, generator=g, dtype=torch.float64)
    eps, x0 = dt.predict_eps_x0(out, x_t, 0.3)
    torch.testing.assert_close(eps, out, rtol=0, atol=0)
    torch.testing.assert_close(x0, (x_t - math.sqrt(0.7) * out) / math.sqrt(0.3), rtol=0, atol=1e-12)
