"""The shipped conditional mnist5k U-Net: its contract, and the quality issue 19 asks of it, measured by a judge
that shares nothing with the package's networks (scikit-learn's logistic regression on the real train digits).

The full table (20 digits per class, 50 steps, s ∈ {0, 1, 2, 3, 5, 8}) is benchmarks/guidance_quality.py; here a
smaller run (10 per class, 25 steps) keeps CI short. Its thresholds sit below the benchmark's figures by
more than the sampling noise of 10 draws per class (see the comments).
"""
import pytest
import torch

import ddim_teach as dt
from ddim_teach.experiments import guided as G


@pytest.fixture(scope="module")
def cond():
    return dt.load_pretrained("mnist5k_cond")


def test_contract_fresh_model_per_call_and_labels(cond):
    model, schedule = cond
    other, _ = dt.load_pretrained("mnist5k_cond")
    assert other is not model
    with torch.no_grad():
        next(other.parameters()).add_(1.0)  # changing one copy leaves the next load untouched
    third, _ = dt.load_pretrained("mnist5k_cond")
    torch.testing.assert_close(next(third.parameters()), next(model.parameters()), rtol=0, atol=0)
    assert model.num_classes == 10 and model.null_class == 10 and tuple(model.sample_shape) == (1, 28, 28)
    meta = dt.checkpoint_meta("mnist5k_cond")
    # four phases (README), each continuing the last: 5000 steps at label dropout 0.1, then 800 at 0.5, 4000 at 0.5
    # and 4000 at 0.7 for the unconditional branch
    chain, node = [], meta
    while node is not None:
        chain.append((node["steps"], node["label_dropout"], node["seed"]))
        assert ("--init ddim_teach/weights/mnist5k_cond.pt" in node["command"]) == ("init" in node), node["command"]
        node = node.get("init")
    assert chain[::-1] == [(5000, 0.1, 0), (800, 0.5, 0), (4000, 0.5, 1), (4000, 0.7, 2)]
    from ddim_teach.models.pretrained import WEIGHTS_DIR

    assert (WEIGHTS_DIR / "mnist5k_cond.pt").stat().st_size <= 5 * 2 ** 20


@pytest.fixture(scope="module")
def judged(cond):
    model, schedule = cond
    judge = G.mnist_judge()
    labels = torch.arange(10).repeat_interleave(10)
    x_T = torch.randn(100, 1, 28, 28, generator=torch.Generator().manual_seed(99))
    out = {s: G.guided_samples(model, schedule, labels, s, S=25, x_T=x_T) for s in (0.0, 3.0)}
    real_x, real_y = G.real_reference()
    return judge, labels, out, G.mean_confidence(judge, real_x)


def test_guided_samples_follow_the_label_for_every_class(judged):
    judge, labels, out, _ = judged
    per = G.per_class_agreement(judge, out[3.0], labels)
    # issue 19: ≥ 90% for every class at s = 3 (benchmark, 20 per class: see RESULTS.md)
    assert min(per.values()) >= 0.9, per


def test_unconditional_samples_look_like_digits(judged):
    """A guard that holds today: all 10 classes, and mean confidence at least 0.8 × the real digits'
    (measured here 0.85 ×, n = 100, S = 25; the benchmark: 0.89 × at S = 50, n = 200)."""
    judge, labels, out, real_conf = judged
    conf = G.mean_confidence(judge, out[0.0])
    covered = len(set(G.judge_probs(judge, out[0.0]).argmax(1).tolist()))
    assert conf >= 0.8 * real_conf, (conf, real_conf)
    assert covered == 10


@pytest.mark.slow
def test_unconditional_confidence_reaches_nine_tenths_of_real(cond):
    """Issue 19: unconditional 50-step DDIM samples have a mean confidence ≥ 0.9 × the real held-out digits'.

    500 samples (seeds 5000 and 5001, 250 each: the benchmark's first 500 of 1000, where it reports 0.920 ± 0.017).
    Measured here: 0.923 ± 0.022 (95%) for the shipped network; 0.874 for the one shipped before (two training
    phases) and 0.899 for the three-phase one, both of which this test fails. The seeds are fixed, so the result is
    too."""
    model, schedule = cond
    r = G.unconditional_ratio(model, schedule, G.mnist_judge(), n=500, S=50)
    assert r["ratio"] >= 0.9, r


def test_guidance_lowers_diversity(judged):
    _, labels, out, _ = judged
    assert G.diversity(out[3.0], labels) < G.diversity(out[0.0], labels)


def test_unconditional_ratio_refuses_a_sample_size_it_cannot_draw():
    with pytest.raises(ValueError, match="positive multiple of batch"):
        G.unconditional_ratio(None, None, None, n=300, batch=250)
