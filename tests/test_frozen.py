"""The frozen network the explorers sample with gives the network's own numbers, and its checks."""
import pytest
import torch

from ddim_teach import load_pretrained, make_timesteps, sample_ddim
from ddim_teach.experiments.records import get_denoiser
from ddim_teach.models import FrozenForInference, MLPDenoiser


@pytest.fixture(scope="module")
def nets():
    net = load_pretrained("digits")[0].eval()
    return net, FrozenForInference(load_pretrained("digits")[0])


@pytest.mark.parametrize("batch", [1, 16, 37])
def test_same_numbers_as_the_network(nets, batch):
    net, frozen = nets
    g = torch.Generator().manual_seed(batch)
    for t in (0, 499, 999):
        x = torch.randn(batch, 1, 8, 8, generator=g)
        tt = torch.full((batch,), t, dtype=torch.int64)
        with torch.no_grad():
            a, b = net(x, tt), frozen(x, tt)
        # measured: identical (max |a - b| = 0.0); 1e-6 would still be float32 round-off, not a different net
        assert torch.allclose(a, b, rtol=0, atol=1e-6), (batch, t, (a - b).abs().max().item())
    assert len(frozen._traces) >= 1


def test_explorers_denoiser_samples_as_the_network():
    d = get_denoiser("digits")
    assert isinstance(d.model, FrozenForInference) and d.sample_shape == (1, 8, 8)
    net = load_pretrained("digits")[0]
    ts = make_timesteps(1000, 20)
    x_T = torch.randn(16, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    a = sample_ddim(net, x_T, d.schedule, ts, progress=False)
    b = sample_ddim(d.model, x_T, d.schedule, ts, progress=False)
    assert torch.allclose(a, b, rtol=0, atol=1e-5), (a - b).abs().max().item()  # 20 steps of round-off at most


def test_everything_else_runs_the_network_itself(nets):
    _, frozen = nets
    x = torch.randn(4, 1, 8, 8)
    t = torch.full((4,), 10, dtype=torch.int64)
    n = len(frozen._traces)
    out = frozen(x, t)  # gradients on: the network itself, so that they could flow
    assert len(frozen._traces) == n and torch.equal(out, frozen.net(x, t))
    frozen.train()  # training: the network itself
    with torch.no_grad():
        frozen(x, t)
    frozen.eval()
    assert len(frozen._traces) == n
    with torch.no_grad():
        with pytest.raises(ValueError, match="TinyUNet expects"):  # the network's own check, before the trace
            frozen(torch.randn(4, 1, 7, 7), t)
        with pytest.raises(ValueError, match="mismatched shapes"):
            frozen(x, t[:3])


def test_a_network_without_input_checks_is_refused():
    with pytest.raises(TypeError, match="check_inputs"):
        FrozenForInference(MLPDenoiser())
