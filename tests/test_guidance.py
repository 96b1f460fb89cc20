"""Classifier-free guidance and the class-conditional U-Net: the contract lectures and outside code rely on.

The reference for the guided output is the formula written here, ε_u + s (ε_c − ε_u), from two separate calls
of the conditional network (never the package's own combination).
"""
import pytest
import torch

import ddim_teach as dt
from ddim_teach.models import TinyUNet


@pytest.fixture(scope="module")
def cond_net():
    torch.manual_seed(0)
    net = TinyUNet(sample_shape=(1, 8, 8), base_channels=16, channel_mults=(1, 2), num_classes=10).eval()
    # the output layer starts at zero; give it weights so that the class actually changes the output
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return net


def _calls(net, x, t, y):
    with torch.no_grad():
        c = net(x, t, class_labels=y)
        u = net(x, t, class_labels=torch.full_like(y, net.null_class))
    return c, u


def test_labels_change_the_output_and_null_is_the_default(cond_net):
    x, t = torch.randn(4, 1, 8, 8), torch.tensor([10, 200, 500, 900])
    y = torch.tensor([0, 3, 7, 9])
    c, u = _calls(cond_net, x, t, y)
    assert (c - u).abs().max() > 1e-3  # a label that did nothing would make guidance a no-op
    with torch.no_grad():
        default = cond_net(x, t)
    torch.testing.assert_close(default, u, rtol=0, atol=0)


@pytest.mark.parametrize("s", [0.0, 1.0, 2.0, 3.0, 7.5])
def test_guided_output_is_u_plus_s_times_c_minus_u(cond_net, s):
    x, t = torch.randn(6, 1, 8, 8), torch.full((6,), 400)
    y = torch.tensor([1, 2, 3, 4, 5, 6])
    c, u = _calls(cond_net, x, t, y)
    with torch.no_grad():
        g = dt.classifier_free_guidance(cond_net, y, s)(x, t)
    torch.testing.assert_close(g, u + s * (c - u), rtol=1e-5, atol=1e-5)


def test_scale_one_is_the_conditional_model_and_zero_the_unconditional(cond_net):
    x, t = torch.randn(3, 1, 8, 8), torch.full((3,), 700)
    y = torch.tensor([2, 2, 8])
    c, u = _calls(cond_net, x, t, y)
    with torch.no_grad():
        torch.testing.assert_close(dt.classifier_free_guidance(cond_net, y, 1)(x, t), c, rtol=0, atol=0)
        torch.testing.assert_close(dt.classifier_free_guidance(cond_net, y, 0)(x, t), u, rtol=0, atol=0)
        # one int means the same class for the whole batch
        c2, _ = _calls(cond_net, x[:2], t[:2], torch.tensor([2, 2]))
        torch.testing.assert_close(dt.classifier_free_guidance(cond_net, 2, 1)(x[:2], t[:2]), c2, rtol=0, atol=0)


def test_guided_model_keeps_the_contract(cond_net):
    g = dt.classifier_free_guidance(cond_net, 3, 2.0)
    assert g.prediction_type == cond_net.prediction_type
    assert tuple(g.sample_shape) == (1, 8, 8)


@pytest.mark.parametrize("name", sorted(dt.SAMPLERS))
def test_every_registered_sampler_runs_the_guided_model(cond_net, name):
    schedule = dt.make_schedule("linear", T=1000)
    ts = dt.make_timesteps(1000, 6, "trailing")
    g = dt.classifier_free_guidance(cond_net, torch.arange(4), 3.0)
    x_T = torch.randn(4, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    out = dt.call_sampler(name, g, x_T, schedule, ts, generator=torch.Generator().manual_seed(1))
    assert out.shape == x_T.shape and torch.isfinite(out).all()
    # guidance towards different classes must give different samples from the same x_T
    out0 = dt.call_sampler(name, dt.classifier_free_guidance(cond_net, 0, 3.0), x_T, schedule, ts,
                           generator=torch.Generator().manual_seed(1))
    assert (out - out0).abs().max() > 1e-4


def test_sample_ddim_on_guided_model_equals_a_loop_written_from_eq12(cond_net):
    """Eq. 12 at η = 0 written out here, with the guided ε from two separate network calls."""
    schedule = dt.make_schedule("linear", T=1000)
    ts = [int(t) for t in dt.make_timesteps(1000, 5, "trailing")]
    y, s = torch.tensor([4, 9]), 2.5
    x = torch.randn(2, 1, 8, 8, generator=torch.Generator().manual_seed(3))
    got = dt.sample_ddim(dt.classifier_free_guidance(cond_net, y, s), x.clone(), schedule, ts, eta=0.0)
    ab = schedule.alphas_cumprod.double()
    desc = sorted(ts, reverse=True)
    for i, t in enumerate(desc):  # ts index the ᾱ table (0 … T−1), as in diffusers; ᾱ = 1 after the last step
        a = float(ab[t])
        a_prev = float(ab[desc[i + 1]]) if i + 1 < len(desc) else 1.0
        c, u = _calls(cond_net, x, torch.full((2,), t), y)
        eps = u + s * (c - u)
        x0 = (x - (1 - a) ** 0.5 * eps) / a ** 0.5
        x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps
    torch.testing.assert_close(got, x, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("bad, err, words", [
    (-1.0, ValueError, "≥ 0"), (float("nan"), ValueError, "finite"), (True, TypeError, "real number"),
    ("3", TypeError, "real number")])
def test_bad_guidance_scale_is_named(cond_net, bad, err, words):
    with pytest.raises(err, match=words):
        dt.classifier_free_guidance(cond_net, 1, bad)


@pytest.mark.parametrize("labels, err, words", [
    (10, ValueError, "0…9"), (-1, ValueError, "0…9"), (torch.tensor([1.0]), TypeError, "int64"),
    (torch.tensor([[1]]), TypeError, "shape"), ("3", TypeError, "int or an int64")])
def test_bad_class_labels_are_named(cond_net, labels, err, words):
    with pytest.raises(err, match=words):
        dt.classifier_free_guidance(cond_net, labels, 2.0)


def test_label_batch_mismatch_and_unconditional_net_are_named(cond_net):
    g = dt.classifier_free_guidance(cond_net, torch.tensor([1, 2]), 2.0)
    with pytest.raises(ValueError, match="batch of 3"):
        g(torch.randn(3, 1, 8, 8), torch.zeros(3, dtype=torch.int64))
    plain = TinyUNet(sample_shape=(1, 8, 8), base_channels=16)
    with pytest.raises(ValueError, match="unconditional"):
        dt.classifier_free_guidance(plain, 1, 2.0)
    with pytest.raises(ValueError, match="unconditional"):
        plain(torch.randn(1, 1, 8, 8), torch.zeros(1, dtype=torch.int64), class_labels=torch.tensor([1]))
    with pytest.raises(ValueError, match=r"0…9 \(or 10 = null_class"):
        cond_net(torch.randn(1, 1, 8, 8), torch.zeros(1, dtype=torch.int64), class_labels=torch.tensor([11]))


def test_label_dropout_trains_both_branches():
    """A few smoke steps: with dropout both the labelled and the null embedding receive gradient."""
    from ddim_teach.models.train import train

    torch.manual_seed(0)
    net = TinyUNet(sample_shape=(1, 8, 8), base_channels=16, channel_mults=(1, 2), num_classes=10)
    before = net.class_emb.weight.detach().clone()
    data, labels = torch.randn(64, 1, 8, 8), torch.randint(0, 10, (64,))
    res = train(net, data, dt.make_schedule("linear", T=1000), steps=30, batch_size=32, labels=labels,
                label_dropout=0.5, progress=False, device="cpu")
    moved = (res.model.class_emb.weight - before).abs().sum(1)
    assert (moved[:10] > 0).all() and moved[10] > 0
    with pytest.raises(ValueError, match="label_dropout"):
        train(net, data, dt.make_schedule("linear", T=1000), steps=1, labels=labels, label_dropout=1.0,
              progress=False, device="cpu")


# ---- lecture 11's checkers: each named mistake gets its own hint --------------------------------------------
def _checker_output(check, fn, capsys):
    ok = check(fn, lang="en")
    return ok, capsys.readouterr().out


@pytest.mark.parametrize("fn, ok, words", [
    (lambda ec, eu, s: eu + s * (ec - eu), True, "Correct"),
    (lambda ec, eu, s: (1 - s) * eu + s * ec, True, "Correct"),
    (lambda ec, eu, s: ec + s * (ec - eu), False, "(1 + w) convention"),
    (lambda ec, eu, s: ec + s * (eu - ec), False, "swapped"),
    (lambda ec, eu, s: s * ec, False, "ε_u is missing"),
    (lambda ec, eu, s: None, False, "no body yet"),
    (lambda ec, eu, s: 1 / 0, False, "ZeroDivisionError"),
])
def test_check_cfg_combine_names_each_mistake(fn, ok, words, capsys):
    from ddim_teach.course.guidance_exercises import check_cfg_combine

    got, out = _checker_output(check_cfg_combine, fn, capsys)
    assert got is ok and words in out


def _stub(*a):
    raise NotImplementedError


@pytest.mark.parametrize("fn, ok, words", [
    (lambda mu_u, v_u, mu_c, v_c, s: (((1 - s) * mu_u / v_u + s * mu_c / v_c) / ((1 - s) / v_u + s / v_c),
                                      1 / ((1 - s) / v_u + s / v_c)), True, "Correct"),
    (lambda mu_u, v_u, mu_c, v_c, s: ((1 - s) * mu_u + s * mu_c, 1 / ((1 - s) / v_u + s / v_c)), False, "precision-weighted"),
    (lambda mu_u, v_u, mu_c, v_c, s: (((1 - s) * mu_u / v_u + s * mu_c / v_c) / ((1 - s) / v_u + s / v_c),
                                      (1 - s) * v_u + s * v_c), False, "what adds is the precision"),
    (_stub, False, "no body yet"),
])
def test_check_tilted_gaussian_names_each_mistake(fn, ok, words, capsys):
    from ddim_teach.course.guidance_exercises import check_tilted_gaussian

    got, out = _checker_output(check_tilted_gaussian, fn, capsys)
    assert got is ok and words in out


def test_tilted_gaussian_reference_against_sympy():
    """The checker's closed form is the product of the two densities, normalised (sympy, independent of it)."""
    sp = pytest.importorskip("sympy")
    x = sp.symbols("x", real=True)
    mu_u, v_u, mu_c, v_c, s = sp.Rational(0), sp.Rational(136, 100), sp.Rational(1), sp.Rational(36, 100), sp.Rational(3)
    logp = (1 - s) * (-(x - mu_u) ** 2 / (2 * v_u)) + s * (-(x - mu_c) ** 2 / (2 * v_c))
    prec = -sp.diff(logp, x, 2)
    mean = sp.solve(sp.diff(logp, x), x)[0]
    from ddim_teach.course.guidance_exercises import check_tilted_gaussian

    assert check_tilted_gaussian(lambda *a: (float(mean), float(1 / prec)) if a == (0.0, 1.36, 1.0, 0.36, 3.0)
                                 else (((1 - a[4]) * a[0] / a[1] + a[4] * a[2] / a[3]) / ((1 - a[4]) / a[1] + a[4] / a[3]),
                                       1 / ((1 - a[4]) / a[1] + a[4] / a[3])), lang="en")
