"""One sampler infrastructure (issue 22): one registry of records, one chain, the same checks for every sampler."""
import sys
from pathlib import Path

import pytest
import torch

import ddim_teach as dt
from ddim_teach.core.step import euler_step
from ddim_teach.samplers import registry
from ddim_teach.samplers.loop import _run_chain

ROOT = Path(__file__).resolve().parent.parent


def _sample_test_euler(model, x_T, schedule, timesteps, generator=None, callback=None, *, progress=True):
    """A new ODE solver for the test: Euler in (σ, x̄) through the package's one chain, under a new name."""

    def step(x, eps, x0_pred, ab, ab_prev, z, final, again):
        return euler_step(x, eps, ab, ab_prev), x0_pred, 0.0

    return _run_chain(model, x_T, schedule, timesteps, step, callback=callback, progress=progress, desc="test")


@pytest.fixture
def new_solver():
    registry.register_sampler("test_euler", _sample_test_euler, label={"ko": "시험 오일러", "en": "test Euler"},
                              calls=lambda S: 3 * S, order=1, ode=True)
    try:
        yield "test_euler"
    finally:
        registry.unregister_sampler("test_euler")
    assert "test_euler" not in dt.SAMPLERS


def test_a_registered_sampler_is_everywhere(new_solver):
    """One function and one registry entry: the explorer, the benchmark, the NFE rule and call_sampler see it."""
    assert new_solver in registry.ode_solvers() and dt.SAMPLERS[new_solver] is _sample_test_euler
    assert dt.nfe_for(new_solver, 4) == 12 and dt.steps_for_nfe(new_solver, 10) == 3  # from its record
    # the explorer: a toggle button with its label, a panel, a run at the budget its record buys
    from ddim_teach.lab.solver_widget import SolverExplorer

    w = SolverExplorer(solver=new_solver, nfe=10, model="exact:gaussian", lang="en")
    assert ("test Euler", new_solver) in list(w.solver.options)
    assert w.result[new_solver]["S"] == 3 and w.result[new_solver]["nfe"] == 3  # 3 steps, one call each (the run counts)
    assert len(w.axes) == len(registry.ode_solvers()) + 2  # the ODE solvers, the SDE, the calls panel
    ko = SolverExplorer(solver=new_solver, nfe=10, model="exact:gaussian", lang="ko")
    assert ("시험 오일러", new_solver) in list(ko.solver.options)
    # the benchmark of lecture 10: a row of its own in the Gaussian table, from the same registry
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import solvers as bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    tabs, text = bench.gaussian_table(dt.experiments.records.get_denoiser("exact:gaussian").model, (4, 8), 16,
                                      spacings=("trailing",))
    assert new_solver in tabs["trailing"] and "| trailing | test Euler |" in text


def test_test_solver_equals_ddim_so_the_registry_does_not_fake_it(new_solver, linear):
    g = dt.GaussianDenoiser(linear, mean=[0.5, -0.5], std=[1.0, 0.3])
    x = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 10, "trailing")
    a = dt.call_sampler(new_solver, g, x, linear, ts)
    b = dt.sample_ddim(g, x, linear, ts, progress=False)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-12)


def test_registry_rejects_bad_records():
    with pytest.raises(TypeError, match="label of sampler 'x'"):
        registry.register_sampler("x", _sample_test_euler, label={"ko": 3})
    with pytest.raises(ValueError, match="at least one call per step"):
        registry.register_sampler("x", _sample_test_euler, calls=lambda S: S - 1)
    with pytest.raises(ValueError, match="order of sampler 'x'"):
        registry.register_sampler("x", _sample_test_euler, order=0)
    with pytest.raises(ValueError, match="unknown sampler 'x'"):
        registry.get_record("x")
    with pytest.raises(ValueError, match="too small"):
        registry.steps_for_nfe("heun", 1) if dt.nfe_for("heun", 1) > 1 else registry.SamplerRecord(
            "y", _sample_test_euler, calls=lambda S: 2 * S).steps_for(1)


def test_records_of_the_shipped_samplers():
    """The costs the explorer and lecture 10 print, from the records: Heun 2S - 1, the others S."""
    assert [dt.nfe_for("heun", S) for S in (1, 2, 5)] == [1, 3, 9]
    assert [dt.steps_for_nfe("heun", n) for n in (5, 10, 20, 50)] == [3, 5, 10, 25]
    assert all(dt.nfe_for(n, 7) == 7 for n in ("ddim", "ddpm", "euler", "dpmpp_2m"))
    assert registry.get_record("heun").order == registry.get_record("dpmpp_2m").order == 2
    assert registry.ode_solvers()[:3] == ("euler", "heun", "dpmpp_2m")
    assert not registry.get_record("ddim").ode  # DDIM (η) is one sampler; its η = 0 ODE view is "euler"


def _moons():
    model, schedule = dt.load_pretrained("moons")
    return model, schedule, dt.make_timesteps(1000, 4, "trailing")


@pytest.mark.parametrize("name", ["ddim", "ddpm", "euler", "heun", "dpmpp_2m"])
def test_every_sampler_has_the_same_input_checks(name):
    """The probe's ODE failures: float64 x_T on a float32 network, int64 x_T, NaN x_T, x_T on the meta device."""
    model, schedule, ts = _moons()
    run = lambda x: dt.call_sampler(name, model, x, schedule, ts)  # noqa: E731
    with pytest.raises(ValueError, match=r"weights are torch.float32 but x_T is torch.float64.*model.to"):
        run(torch.randn(3, 2, dtype=torch.float64))
    with pytest.raises(TypeError, match="x_T must be a floating-point tensor, got torch.int64"):
        run(torch.zeros(3, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match="x_T .*NaN"):
        run(torch.full((3, 2), float("nan")))
    with pytest.raises(ValueError, match="meta device"):
        run(torch.empty(3, 2, device="meta"))
    with pytest.raises(ValueError, match="per-sample shape"):
        run(torch.randn(3, 3))


@pytest.mark.parametrize("name", ["ddim", "ddpm", "euler", "heun", "dpmpp_2m"])
def test_every_sampler_reports_a_nonfinite_network_output(name, linear):
    class Bad(torch.nn.Module):
        def forward(self, x, t):
            return torch.full_like(x, float("inf"))

    with pytest.raises(ValueError, match="the model returned NaN or inf at step 0"):
        dt.call_sampler(name, Bad(), torch.randn(2, 2), linear, dt.make_timesteps(1000, 3))


@pytest.mark.parametrize("name", ["ddim", "euler", "heun", "dpmpp_2m"])
def test_every_sampler_blames_the_schedule_only_for_an_overflow(name):
    """A float32 chain on a schedule with ᾱ_T ≈ 1e-160 overflows in x̂₀ = (x - √(1-ᾱ) ε)/√ᾱ (the float32 round-off
    of the numerator over 1e-80 leaves the range): the message names the schedule, since x_T, the network's output
    and the noise were all checked finite."""
    s = dt.make_schedule("custom", betas=torch.full((40,), 0.9999, dtype=torch.float64))
    g = dt.GaussianDenoiser(s, mean=0.0, std=1.0)
    with pytest.raises(ValueError, match="overflowed torch.float32.*the schedule is the cause"):
        dt.call_sampler(name, g, torch.randn(4, 2), s, [39, 0])
