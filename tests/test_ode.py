"""The ODE solvers: DDIM = Euler, DPM-Solver++(2M) and Heun against diffusers, orders on Gaussian data
against the exact flow map, network-call counts, bad input."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.samplers import ode
from ddim_teach.experiments import flow_map as fm


@pytest.fixture(scope="module")
def ring(linear):
    return dt.ring_of_gaussians(linear)  # exact denoiser: samples stay O(1), so 1e-5 is float32 round-off


@pytest.fixture(scope="module")
def gauss(linear):
    return dt.GaussianDenoiser(linear, mean=torch.tensor([0.5, -0.5]), std=torch.tensor([1.0, 0.3]))


def _x(n=64, seed=3, dtype=torch.float32):
    return torch.randn(n, 2, generator=torch.Generator().manual_seed(seed), dtype=dtype)


@pytest.mark.parametrize("spacing", ["leading", "trailing", "linspace", "quad"])
@pytest.mark.parametrize("S", [1, 2, 3, 7, 50])
def test_euler_is_ddim_eta0(linear, ring, spacing, S):
    ts = dt.make_timesteps(1000, S, spacing)
    # float32: measured ≤ 5.2e-6 over S = 3..100 and these spacings. A single jump from t = 1000 (σ = 157)
    # cancels x̄ ≈ 157 x against σ ε; both forms then lose ~4e-5 to float32 round-off, so S ≤ 2 runs in float64
    dtype, atol = (torch.float64, 1e-12) if S <= 2 else (torch.float32, 1e-5)
    a = dt.sample_euler(ring, _x(dtype=dtype), linear, ts, progress=False)
    b = dt.sample_ddim(ring, _x(dtype=dtype), linear, ts, eta=0.0, progress=False)
    torch.testing.assert_close(a, b, rtol=0, atol=atol)


@pytest.mark.parametrize("solver", ["heun", "dpmpp_2m"])
def test_one_step_is_ddim(linear, ring, solver):
    # S = 1: Heun's only step is its final Euler step; DPM-Solver++'s is first order (x̂₀)
    ts = dt.make_timesteps(1000, 1, "trailing")
    a = ode.get_solver(solver)(ring, _x(dtype=torch.float64), linear, ts, progress=False)
    b = dt.sample_ddim(ring, _x(dtype=torch.float64), linear, ts, progress=False)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("spacing, S, atol", [("trailing", 10, 1e-5), ("trailing", 20, 1e-5), ("leading", 10, 2e-4)])
def test_dpmpp_2m_matches_diffusers(linear, ring, spacing, S, atol):
    diffusers = pytest.importorskip("diffusers")
    ts = dt.make_timesteps(1000, S, spacing)
    sch = diffusers.DPMSolverMultistepScheduler(num_train_timesteps=1000, beta_schedule="linear", beta_start=1e-4,
                                                beta_end=0.02, algorithm_type="dpmsolver++", solver_order=2)
    sch.set_timesteps(timesteps=ts.tolist())
    x = _x()
    for t in sch.timesteps:
        x = sch.step(ring(x, torch.full((x.shape[0],), int(t))), t, x).prev_sample
    ours = dt.sample_dpmpp_2m(ring, _x(), linear, ts, progress=False)
    # measured: 1.4e-6 (trailing); 4.9e-5 (leading: diffusers' float32 σ table near t = 1, where the
    # second-order weight 1/(2r) is large and amplifies it)
    torch.testing.assert_close(ours, x, rtol=0, atol=atol)


@pytest.mark.parametrize("spacing, S", [("trailing", 5), ("leading", 10)])
def test_heun_matches_diffusers(linear, ring, spacing, S):
    diffusers = pytest.importorskip("diffusers")
    ts = dt.make_timesteps(1000, S, spacing)
    sch = diffusers.HeunDiscreteScheduler(num_train_timesteps=1000, beta_schedule="linear", beta_start=1e-4, beta_end=0.02)
    sch.set_timesteps(timesteps=ts.tolist())  # the same σ grid: σ at each τ_i, then 0
    x = _x() / math.sqrt(float(linear.alphas_cumprod[ts[0]]))  # diffusers works in x̄ = x / sqrt(ᾱ)
    calls = 0
    for t in sch.timesteps:
        eps = ring(sch.scale_model_input(x, t), torch.full((x.shape[0],), int(round(float(t)))))
        calls += 1
        x = sch.step(eps, t, x).prev_sample
    ours = dt.sample_heun(ring, _x(), linear, ts, progress=False)
    torch.testing.assert_close(ours, x, rtol=0, atol=1e-5)  # measured ≤ 4.1e-6
    assert calls == dt.nfe_for("heun", S) == 2 * S - 1


def _ratios(solver, gauss, x, S_list, spacing):
    errs = [dt.flow_map_error(solver, gauss, x, dt.make_timesteps(1000, S, spacing))["rmse"] for S in S_list]
    return [a / b for a, b in zip(errs, errs[1:])]


def test_orders_on_gaussian_data(gauss):
    # leading spacing ends at t = 1, so the final Euler step of Heun is tiny and the order shows.
    # measured (256 points, float64): Euler 1.90, 1.94; Heun 4.09, 4.07; DPM-Solver++(2M) 4.02 at 80 -> 160
    x = _x(256, 0, torch.float64)
    for r in _ratios("euler", gauss, x, (10, 20, 40), "leading"):
        assert 1.8 < r < 2.2
    for r in _ratios("heun", gauss, x, (10, 20, 40), "leading"):
        assert 3.6 < r < 4.6
    (r,) = _ratios("dpmpp_2m", gauss, x, (80, 160), "leading")
    assert 3.5 < r < 4.6


def test_gaussian_flow_map_is_the_exact_ode_solution(linear, gauss):
    x = _x(512, 1, torch.float64) * 5
    # it composes: t -> t1 -> t2 equals t -> t2
    direct = dt.gaussian_flow_map(gauss, x, 899, 99)
    torch.testing.assert_close(dt.gaussian_flow_map(gauss, dt.gaussian_flow_map(gauss, x, 899, 400), 400, 99), direct,
                               rtol=1e-12, atol=1e-12)
    # its σ-derivative is the exact ε (Eq. 14: dx̄/dσ = ε): a central difference in σ around index 300
    ab = linear.alphas_cumprod.tolist()
    sig = {k: math.sqrt((1 - ab[k]) / ab[k]) for k in (299, 300, 301)}
    on = {k: dt.gaussian_flow_map(gauss, x, 999, k) for k in (299, 300, 301)}  # one exact trajectory
    slope = (on[301] / math.sqrt(ab[301]) - on[299] / math.sqrt(ab[299])) / (sig[301] - sig[299])
    eps = gauss(on[300], torch.full((512,), 300))
    assert (slope - eps).abs().max() < 1e-4 * eps.abs().max()  # measured 2e-6 relative (O(Δσ²))
    # a fine Heun solve over all 1000 steps lands on it
    fine = dt.sample_heun(gauss, x, linear, torch.arange(999, -1, -1), progress=False)
    exact = dt.gaussian_flow_map(gauss, x, 999)
    assert (fine - exact).abs().max() < 1e-3 * exact.abs().max()  # measured 3.0e-3 / 16 = 1.9e-4 relative
    # and it carries N(μ, s² + σ²) onto N(μ, s²): the data's own mean and std come out
    xt = dt.q_sample(linear, gauss.sample(20000, generator=torch.Generator().manual_seed(0)).double(), 999,
                     noise=torch.randn(20000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1)))
    x0 = dt.gaussian_flow_map(gauss, xt, 999)
    torch.testing.assert_close(x0.mean(0), gauss.mean, atol=0.03, rtol=0)
    torch.testing.assert_close(x0.std(0), gauss.std, atol=0.02, rtol=0)


@pytest.mark.parametrize("solver", ["euler", "heun", "dpmpp_2m"])
def test_nfe_counts_and_callback(linear, ring, solver):
    calls = []

    def model(x, t):
        calls.append(int(t[0]))
        return ring(x, t)

    model.sample_shape = ring.sample_shape
    rec, S = dt.TrajectoryRecorder(), 6
    ode.get_solver(solver)(model, _x(8), linear, dt.make_timesteps(1000, S, "trailing"), callback=rec, progress=False)
    assert len(calls) == rec.steps[-1]["nfe"] == dt.nfe_for(solver, S)
    assert rec.xs.shape == (S + 1, 8, 2) and rec.x0_preds.shape == (S, 8, 2)
    assert [s["order"] for s in rec.steps] == {"euler": [1] * S, "heun": [2] * (S - 1) + [1],
                                                "dpmpp_2m": [1] + [2] * (S - 2) + [1]}[solver]
    assert rec.steps[-1]["ode_sigma_prev"] == 0.0 and rec.steps[-1]["t_prev"] == -1
    assert set(calls) <= set(dt.make_timesteps(1000, S, "trailing").tolist())  # integer timesteps of the grid only


def test_steps_for_nfe():
    assert [dt.steps_for_nfe("heun", n) for n in (5, 10, 20, 50)] == [3, 5, 10, 25]
    assert [dt.nfe_for("heun", dt.steps_for_nfe("heun", n)) for n in (5, 10, 20, 50)] == [5, 9, 19, 49]
    assert dt.steps_for_nfe("dpmpp_2m", 10) == 10 and dt.nfe_for("euler", 7) == 7


def test_bad_input(linear, ring, gauss):
    ts = dt.make_timesteps(1000, 5, "trailing")
    with pytest.raises(ValueError, match="unknown sampler 'rk4'"):
        ode.get_solver("rk4")
    with pytest.raises(ValueError, match="nfe must be a positive int"):
        dt.steps_for_nfe("heun", 0)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        dt.sample_heun(ring, _x(), linear, ts, generator=3, progress=False)
    with pytest.raises(ValueError, match="strictly descending"):
        dt.sample_dpmpp_2m(ring, _x(), linear, [1, 5], progress=False)
    with pytest.raises(TypeError, match="GaussianDenoiser only"):
        dt.gaussian_flow_map(ring, _x(), 999)
    with pytest.raises(ValueError, match="t_to=500 must not exceed t=100"):
        dt.gaussian_flow_map(gauss, _x(), 100, 500)
    zsnr = dt.make_schedule("linear", T=1000, zero_terminal_snr=True)
    with pytest.raises(ValueError, match="epsilon prediction cannot be used with a zero-terminal-SNR schedule"):
        dt.sample_euler(dt.ring_of_gaussians(zsnr), _x(), zsnr, dt.make_timesteps(1000, 5, "trailing"), progress=False)
    with pytest.raises(ValueError, match="prediction_type='v' disagrees with the model, which predicts 'epsilon'"):
        dt.sample_euler(ring, _x(), linear, ts, prediction_type="v", progress=False)


def test_solver_explorer_same_x_T_and_budget():
    pytest.importorskip("ipywidgets")
    from ddim_teach.lab.solver_widget import SolverExplorer

    w = SolverExplorer(model="exact:gaussian", nfe=4, spacing="trailing", lang="ko")
    assert w.error is None and "흐름" in w.status.value
    runs = w.result
    assert {s: (r["S"], r["nfe"]) for s, r in runs.items()} == {"euler": (4, 4), "heun": (2, 3), "dpmpp_2m": (4, 4),
                                                               "euler_maruyama": (4, 4)}
    assert all(torch.equal(runs["euler"]["run"].xs[0], r["run"].xs[0]) for r in runs.values())  # one x_T
    # the status line's error is the distance to the exact flow map
    x_T = runs["heun"]["run"].xs[0]
    exact = dt.gaussian_flow_map(dt.experiments.records.get_denoiser("exact:gaussian").model, x_T.double(), 999).float()
    assert abs(runs["heun"]["rmse"] - float((runs["heun"]["run"].samples - exact).pow(2).mean().sqrt())) < 1e-6
    w.solver.value, w.nfe.value = "heun", 5
    assert w.error is None and w.result["heun"]["nfe"] == 5 and w.image.value[:4] == b"\x89PNG"
    # the SDE panel: more calls bring the ODE solvers onto the flow map, never the SDE (its own noise on each path;
    # measured 1.66 → 1.02 from NFE 5 to 50, against DPM-Solver++(2M)'s 0.21 → 0.004)
    w.nfe.value = 30
    far = {s: r["rmse"] for s, r in w.result.items()}
    assert far["dpmpp_2m"] < 0.05 and far["euler_maruyama"] > 0.5, far
    assert "SDE" in w.status.value
    with pytest.raises(ValueError, match="2-D model"):
        SolverExplorer(model="digits")


def test_score_connection_on_the_ring(linear, ring):
    # ε* = -sqrt(1-ᾱ) ∇ log q_t by autograd on the exact mixture density (measured gap ≤ 1.6e-13)
    x = 2 * _x(128, 5, torch.float64)
    for t in (0, 99, 999):
        torch.testing.assert_close(fm.eps_from_score(ring, x, t), ring(x, torch.full((128,), t)), rtol=0, atol=1e-10)
    # the density integrates to 1 (a grid over [-6, 6]², t = 100)
    g = torch.linspace(-6, 6, 301, dtype=torch.float64)
    pts = torch.cartesian_prod(g, g)
    mass = fm.mixture_log_density(ring, pts, 99).exp().sum() * (g[1] - g[0]) ** 2
    assert abs(float(mass) - 1) < 1e-3


def test_log_snr_steps(linear):
    lead = ode.log_snr_steps(linear, dt.make_timesteps(1000, 10, "leading"))
    trail = ode.log_snr_steps(linear, dt.make_timesteps(1000, 10, "trailing"))
    assert [r["order"] for r in lead] == [1] + [2] * 8 + [1]
    assert lead[-2]["t"] == 101 and lead[-2]["t_prev"] == 1 and 2.3 < lead[-2]["weight"] < 2.4  # measured 2.36
    assert max(r["weight"] for r in trail if r["weight"]) < 0.7  # measured 0.697
