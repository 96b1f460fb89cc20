"""Issue 13: one step and one loop, the four bugs, the errors, the registry, the denoiser record, the seeding."""
import json
import math

import numpy as np
import pytest
import torch

import ddim_teach as dt
import ddim_teach.models.pretrained as pre
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments import records as ex
from ddim_teach.core import step as sampling_step
from ddim_teach.samplers.registry import SAMPLERS, call_sampler, get_sampler, register_sampler
from ddim_teach.samplers.seeding import make_generators, stream_seed


# ---- one step, one loop -------------------------------------------------------------------------------
def test_every_ddim_loop_calls_ddim_step(linear, monkeypatch):
    calls = []
    real = sampling_step.ddim_step

    def spy(*a, **k):
        calls.append(a[2:4])
        return real(*a, **k)

    import ddim_teach.samplers.loop as loop_module
    monkeypatch.setattr(loop_module, "ddim_step", spy)  # the name the loops call
    orc = dt.ring_of_gaussians(linear)
    ts = dt.make_timesteps(1000, 4)
    x = torch.randn(3, 2)
    dt.sample_ddim(orc, x, linear, ts, progress=False)
    assert len(calls) == 4
    dt.invert_ddim(orc, x, linear, ts, progress=False)
    assert len(calls) == 8 and calls[4][0] == 1.0  # inversion starts at x_0, ᾱ = 1
    from ddim_teach.course import errata

    errata.sample_ddim_literal_alpha(orc, x, linear, ts)
    assert len(calls) == 12
    assert calls[8][0] == pytest.approx(linear.alphas[ts[0]].item())  # the slip is the table, nothing else


def test_timestep_pairs():
    assert dt.timestep_pairs([900, 500, 10]) == [(900, 500), (500, 10), (10, -1)]
    assert dt.timestep_pairs(torch.tensor([3])) == [(3, -1)]


def test_alpha_bar_at_respects_set_alpha_to_one(linear):
    assert sampling_step.alpha_bar_at(linear, -1, True) == 1.0
    assert sampling_step.alpha_bar_at(linear, -1, False) == linear.alphas_cumprod[0].item()
    assert sampling_step.alpha_bar_at(linear, 7) == linear.alphas_cumprod[7].item()


@pytest.mark.parametrize("set_alpha_to_one", [True, False])
def test_inversion_matches_diffusers(linear, set_alpha_to_one):
    diffusers = pytest.importorskip("diffusers")
    model = dt.ring_of_gaussians(linear)
    sch = diffusers.DDIMInverseScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=False,
                                         set_alpha_to_one=set_alpha_to_one, timestep_spacing="leading", steps_offset=0)
    sch.set_timesteps(20)
    x0 = model.sample(64, generator=torch.Generator().manual_seed(0))
    x = x0.clone()
    for t in sch.timesteps:
        x = sch.step(model(x, torch.full((64,), int(t))), t, x).prev_sample
    ours = dt.invert_ddim(model, x0, linear, dt.make_timesteps(1000, 20), set_alpha_to_one=set_alpha_to_one,
                          progress=False)
    # float32 round-off over 20 steps; measured max |diff| 3.3e-6 (True) and 2.7e-6 (False)
    torch.testing.assert_close(ours, x, rtol=0, atol=2e-5)


# ---- the four bugs -------------------------------------------------------------------------------------
def test_step_towards_more_noise_at_eta0(linear):
    ab, ab_next = linear.alphas_cumprod[100].item(), linear.alphas_cumprod[400].item()
    assert dt.ddim_sigma(ab, ab_next, 0.0) == 0.0
    assert torch.equal(dt.ddim_sigma(torch.tensor([ab]), torch.tensor([ab_next]), 0.0), torch.zeros(1))
    g = torch.Generator().manual_seed(0)
    x0, eps = torch.randn(4, 2, generator=g, dtype=torch.float64), torch.randn(4, 2, generator=g, dtype=torch.float64)
    x_t = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    # with the true ε the step lands exactly on q(x_{t'} | x_0)'s point with the same ε, in either direction
    for a, b in [(ab, ab_next), (torch.tensor([[ab]] * 4), torch.tensor([[ab_next]] * 4))]:
        x_next, x0_pred = dt.ddim_step(x_t, eps, a, b)
        assert torch.isfinite(x_next).all()
        torch.testing.assert_close(x_next, math.sqrt(ab_next) * x0 + math.sqrt(1 - ab_next) * eps)
        torch.testing.assert_close(x0_pred, x0)
    with pytest.raises(ValueError, match="towards more noise"):
        dt.ddim_sigma(ab, ab_next, 0.5)


class _VModel(torch.nn.Module):
    """An exact v-predictor for the ring, carrying prediction_type = 'v'."""

    prediction_type = "v"

    def __init__(self, schedule):
        super().__init__()
        self.s, self.ring = schedule, dt.ring_of_gaussians(schedule)

    def forward(self, x, t):
        ab = self.s.alphas_cumprod[t].to(x.dtype)[:, None]
        x0 = self.ring.x0_mean(x.double(), t).to(x.dtype)
        return (ab.sqrt() * x - x0) / (1 - ab).sqrt()


def test_prediction_type_comes_from_the_model(linear):
    m = _VModel(linear)
    x_T = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 20)
    implicit = dt.sample_ddim(m, x_T, linear, ts, progress=False)
    explicit = dt.sample_ddim(m, x_T, linear, ts, prediction_type="v", progress=False)
    assert torch.equal(implicit, explicit)
    ring = dt.sample_ddim(dt.ring_of_gaussians(linear), x_T, linear, ts, progress=False)
    torch.testing.assert_close(implicit, ring, rtol=0, atol=1e-8)  # float64: both are the same exact denoiser
    for fn in (dt.sample_ddim, dt.sample_ddpm, dt.invert_ddim):
        with pytest.raises(ValueError, match="disagrees with the model, which predicts 'v'"):
            fn(m, x_T, linear, ts, prediction_type="epsilon", progress=False)


def test_load_pretrained_gives_each_caller_its_own_model():
    a, _ = dt.load_pretrained("moons")
    a.double()
    b, _ = dt.load_pretrained("moons")
    assert a is not b and next(b.parameters()).dtype == torch.float32
    pa, pb = next(a.parameters()), next(b.parameters())
    assert pa.data_ptr() != pb.data_ptr()
    torch.testing.assert_close(pa.float(), pb)


@pytest.mark.parametrize("name", ["digits", "moons"])
def test_float64_end_to_end_with_shipped_networks(name):
    m32, schedule = dt.load_pretrained(name)
    m64 = dt.load_pretrained(name)[0].double()
    x_T = torch.randn(8, *m32.sample_shape, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 10)
    x32 = dt.sample_ddim(m32, x_T, schedule, ts, progress=False)
    x64 = dt.sample_ddim(m64, x_T.double(), schedule, ts, progress=False)
    assert x64.dtype == torch.float64 and x32.dtype == torch.float32
    # the same network in two precisions; measured max |x64 - x32| = 2.7e-7 (moons), 3.7e-6 (digits)
    torch.testing.assert_close(x64.float(), x32, rtol=0, atol=2e-5)
    with pytest.raises(ValueError, match=r"weights are torch.float32 but x_T is torch.float64"):
        dt.sample_ddim(m32, x_T.double(), schedule, ts, progress=False)


# ---- clear errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw, err, match",
    [
        (dict(timesteps=50), TypeError, "got the number 50.*make_timesteps"),
        (dict(timesteps=torch.tensor([[900, 500], [400, 0]])), ValueError, r"1-D, got a tensor of shape \(2, 2\)"),
        (dict(timesteps=torch.tensor([True, False])), TypeError, "dtype torch.bool"),
        (dict(timesteps=[[900, 500]]), ValueError, "1-D"),
        (dict(generator=0), TypeError, "generator must be a torch.Generator"),
        (dict(generator=0, eta=0.5), TypeError, "generator must be a torch.Generator"),
        (dict(eta=np.bool_(True)), TypeError, "eta must be a number"),
        (dict(eta=torch.tensor([0.1, 0.2])), ValueError, "eta must be one number"),
    ],
)
def test_clear_errors(linear, kw, err, match):
    args = dict(timesteps=dt.make_timesteps(1000, 5))
    args.update(kw)
    ts = args.pop("timesteps")
    with pytest.raises(err, match=match):
        dt.sample_ddim(dt.ring_of_gaussians(linear), torch.randn(2, 2), linear, ts, progress=False, **args)


def test_numpy_eta_is_accepted(linear):
    orc = dt.ring_of_gaussians(linear)
    x_T, ts = torch.randn(4, 2), dt.make_timesteps(1000, 5)
    ref = dt.sample_ddim(orc, x_T, linear, ts, eta=0.5, generator=torch.Generator().manual_seed(0), progress=False)
    for eta in (np.float32(0.5), np.float64(0.5), torch.tensor(0.5)):
        out = dt.sample_ddim(orc, x_T, linear, ts, eta=eta, generator=torch.Generator().manual_seed(0), progress=False)
        assert torch.equal(out, ref)


@pytest.mark.parametrize("S", [1, 10])
def test_overflowing_schedule_is_blamed_not_the_model(S):
    s = dt.make_schedule("linear", T=1000, beta_end=0.9)  # ᾱ_T ≈ 1e-190: x̂₀ overflows float32
    assert s.alphas_cumprod[-1].item() < 1e-100
    with pytest.raises(ValueError, match="overflowed torch.float32.*the schedule is the cause") as e:
        dt.sample_ddim(dt.ring_of_gaussians(s), torch.randn(4, 2), s, dt.make_timesteps(1000, S, "trailing"),
                       progress=False)
    assert "model returned" not in str(e.value)


def test_invalid_manifest(tmp_path, monkeypatch):
    monkeypatch.setattr(pre, "MANIFEST", tmp_path / "manifest.json")
    pre._load_cached.cache_clear()
    try:
        (tmp_path / "manifest.json").write_text('{"moons": {"file": "moons.pt",')
        with pytest.raises(dt.CheckpointError, match=r"not valid JSON .*line 1.*python -m ddim_teach.models.manifest"):
            dt.load_pretrained("moons")
        (tmp_path / "manifest.json").write_text(json.dumps({"moons": "moons.pt"}))
        with pytest.raises(dt.CheckpointError, match="must map each name"):
            dt.available_pretrained()
    finally:
        pre._load_cached.cache_clear()


def test_checkpoint_error_is_exported():
    assert dt.CheckpointError is pre.CheckpointError and issubclass(dt.CheckpointError, RuntimeError)


# ---- registry -----------------------------------------------------------------------------------------
def test_registry_lookup_and_errors(linear):
    assert get_sampler("ddim") is dt.sample_ddim and get_sampler("ddpm") is dt.sample_ddpm
    with pytest.raises(ValueError, match="unknown sampler 'dddim'; choose one of .*ddim"):
        get_sampler("dddim")
    with pytest.raises(ValueError, match="already registered"):
        register_sampler("ddim", dt.sample_ddpm)
    with pytest.raises(TypeError, match="callback"):
        register_sampler("bad", lambda model, x, s, ts: x)
    with pytest.raises(ValueError, match="sampler 'ddpm' has no eta"):
        call_sampler("ddpm", dt.ring_of_gaussians(linear), torch.randn(2, 2), linear, [10, 0], eta=0.5)


def test_registering_a_sampler_makes_it_available_everywhere(linear, monkeypatch):
    def sample_halfway(model, x_T, schedule, timesteps, *, callback=None, progress=True):
        return x_T / 2

    from ddim_teach.samplers.registry import RECORDS, SamplerRecord

    monkeypatch.setitem(RECORDS, "halfway", SamplerRecord("halfway", sample_halfway))
    assert SAMPLERS["halfway"] is sample_halfway
    x_T = ex.x_T_for("exact:gaussian", 5, seed=3)
    out = ex.run_batch("exact:gaussian", [10, 0], sampler="halfway", seed=3, n=5)
    assert torch.equal(out, x_T / 2)
    assert torch.equal(ev.sample("exact:gaussian", 2, sampler="halfway", n=5, seed=3), x_T / 2)
    for fn in (lambda: ex.run_sampler("exact:gaussian", 5, sampler="nope"),
               lambda: ev.sample("exact:gaussian", 5, sampler="nope", n=4)):
        with pytest.raises(ValueError, match="unknown sampler 'nope'"):
            fn()


# ---- the denoiser record ------------------------------------------------------------------------------
def test_denoiser_record():
    d = ex.get_denoiser("exact:ring8")
    assert isinstance(d, ex.Denoiser) and d.name == "exact:ring8" and d.T == 1000
    assert d.sample_shape == (2,) and not d.is_image and d.prediction_type == "epsilon"
    assert d.metric_name == "sliced W1"
    x = d.model.sample(300, generator=torch.Generator().manual_seed(5))
    assert ev.quality("exact:ring8", x) == d.metric(x) == dt.experiments.metrics.sliced_wasserstein(x, d.reference)
    dig = ex.get_denoiser("digits")
    assert dig.is_image and dig.metric_name == "Fréchet distance" and ex.is_image_model("digits")
    assert ex.get_denoiser("exact:digits").metric is dig.metric  # chosen by the record, not by the name


# ---- seeding ------------------------------------------------------------------------------------------
def test_streams_are_distinct_and_reproducible():
    seeds = {stream_seed(s, k, b) for s in range(3) for k in ("x_T", "noise") for b in range(3)}
    assert len(seeds) == 18
    assert stream_seed(0, "noise", 1) == stream_seed(0, "noise", 1)
    a, b = make_generators(0, 0), make_generators(0, 0)
    assert torch.equal(torch.randn(5, generator=a.x_T), torch.randn(5, generator=b.x_T))
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        make_generators(-1)


def test_batches_are_independent_and_first_equals_run_sampler():
    # the old scheme drew batch k+1's x_T from the seed of batch k's noise: identical tensors
    n = 6
    x_T1 = torch.randn((n, 2), generator=make_generators(0, 1).x_T)
    z0 = torch.randn((n, 2), generator=make_generators(0, 0).noise)
    assert not torch.allclose(x_T1, z0)
    both = ev.sample("exact:gaussian", 5, eta=1.0, n=2 * n, batch=n, seed=0)
    first = ex.run_sampler("exact:gaussian", 5, eta=1.0, seed=0, n=n).samples
    assert torch.equal(both[:n], first)
    second = ex.run_batch("exact:gaussian", dt.make_timesteps(1000, 5), eta=1.0, seed=0, batch=1, n=n)
    assert torch.equal(both[n:], second)


# ---- the tables module ------------------------------------------------------------------------------
def test_paper_table1_rows():
    """The CIFAR10 FIDs of the DDIM paper's Table 1, typed here from the paper, against the package's copy; and
    Table1Result.format must print, beside each η row, the paper's FIDs at exactly the S of the table (σ̂ too)."""
    paper = {  # Song, Meng & Ermon (ICLR 2021), Table 1, CIFAR10 (32x32), FID, S = 10, 20, 50, 100, 1000
        0.0: (13.36, 6.84, 4.67, 4.16, 4.04),
        0.2: (14.04, 7.11, 4.77, 4.25, 4.09),
        0.5: (16.66, 8.35, 5.25, 4.46, 4.29),
        1.0: (41.07, 18.36, 8.01, 5.78, 4.73),
        "sigma_hat": (367.43, 133.37, 32.72, 9.99, 3.17),
    }
    p = ev.PAPER_TABLE1_CIFAR10
    assert p["S"] == (10, 20, 50, 100, 1000)
    assert {k: v for k, v in p.items() if k != "S"} == paper
    res = ev.Table1Result("exact:ring8", [20, 100], [0.5, "sigma_hat"], n=10, seeds=[0, 1],
                          mmd={"0.5": [[1e-3, 3e-3], [2e-3, 2e-3]], "sigma_hat": [[5e-3, 7e-3], [4e-3, 4e-3]]},
                          floor_mmd=[1e-4, 3e-4])
    lines = res.format().splitlines()
    assert lines[1].endswith("| 8.35 4.46") and lines[2].endswith("| 133.37 9.99")
    assert lines[1].startswith("0.5") and lines[2].startswith("σ̂")
    # the cell's mean (scaled by 1e3) is the mean of the two seeds: 2.00 at S = 20 for η = 0.5, 6.00 for σ̂
    assert "2.00 ± " in lines[1] and "6.00 ± " in lines[2] and "4.00 ± 0.00" in lines[2]
    assert "|" not in res.format(paper=None).splitlines()[1]


