"""The errata module, evaluation helpers and the τ sub-sequence check."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.course import errata
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments.records import get_denoiser


def test_literal_alpha_x0_is_wrong_and_correct_is_exact(linear):
    x0 = torch.randn(8, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    eps = torch.randn(8, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    x_t = dt.q_sample(linear, x0, 500, noise=eps)
    literal, correct = errata.x0_pred_literal_alpha(linear, x_t, eps, 500)
    torch.testing.assert_close(correct, x0)
    assert ((literal - x0) ** 2).mean() > 0.1


def test_literal_alpha_sampler_misses_the_data(linear):
    ring = dt.ring_of_gaussians(linear)
    x_T = torch.randn(500, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    ts = dt.make_timesteps(1000, 50)
    wrong = errata.sample_ddim_literal_alpha(ring, x_T, linear, ts)
    right = dt.sample_ddim(ring, x_T, linear, ts, progress=False)
    assert abs(right.norm(dim=1).mean().item() - 2.0) < 0.1
    assert abs(wrong.norm(dim=1).mean().item() - 2.0) > 0.3


def test_speedup():
    assert errata.speedup(1000, 50) == 20.0
    with pytest.raises(ValueError, match="1 <= N <= T"):
        errata.speedup(1000, 0)


@pytest.mark.parametrize("eta", [0.0, 1.0])
def test_subsequence_keeps_marginals(linear, eta):
    rows = dt.q_sigma_subsequence_marginals(linear, dt.make_timesteps(1000, 10, "quad"), torch.tensor([0.7, -1.0]),
                                            eta=eta, n_samples=20000, generator=torch.Generator().manual_seed(0))
    assert [r[0] for r in rows] == dt.make_timesteps(1000, 10, "quad").tolist()
    for t, var, target, mean_err in rows:
        assert abs(var - target) < 0.03 and mean_err < 0.03


def test_slerp_endpoints_and_norm():
    # exact cases: two orthogonal noises of equal norm span a circle; slerp walks it at constant speed
    g = torch.Generator().manual_seed(0)
    a = torch.randn(3, 1, 8, 8, generator=g, dtype=torch.float64)
    b = torch.randn(3, 1, 8, 8, generator=g, dtype=torch.float64)
    af, bf = a.flatten(1), b.flatten(1)
    bf = bf - (bf * af).sum(1, keepdim=True) / (af * af).sum(1, keepdim=True) * af  # orthogonal to a
    bf = bf * af.norm(dim=1, keepdim=True) / bf.norm(dim=1, keepdim=True)  # with a's norm
    b = bf.reshape(a.shape)
    torch.testing.assert_close(ev.slerp(a, b, 0.0), a)
    torch.testing.assert_close(ev.slerp(a, b, 1.0), b)
    for alpha in (0.25, 0.5, 0.8):  # on the circle: cos(απ/2) a + sin(απ/2) b
        want = math.cos(alpha * math.pi / 2) * a + math.sin(alpha * math.pi / 2) * b
        torch.testing.assert_close(ev.slerp(a, b, alpha), want)
    # a lerp is off by 29% in norm at α = 1/2 (1/√2); slerp keeps the norm to round-off
    mid = ev.slerp(a, b, 0.5).flatten(1).norm(dim=1) / af.norm(dim=1)
    lerp = (0.5 * a + 0.5 * b).flatten(1).norm(dim=1) / af.norm(dim=1)
    torch.testing.assert_close(mid, torch.ones(3, dtype=torch.float64))
    assert (lerp - 1).abs().min() > 0.28


def test_reconstruction_error_falls_with_S():
    errs = ev.reconstruction_table("exact:gaussian", S_list=(5, 20, 100), n=200)
    means = [float(errs[S].mean()) for S in (5, 20, 100)]
    assert means[0] > means[1] > means[2]


def test_experiments_bad_names():
    with pytest.raises(ValueError, match="unknown denoiser"):
        get_denoiser("cifar10")
    with pytest.raises(ValueError, match="no pretrained model named 'nope'"):
        dt.load_pretrained("nope")
