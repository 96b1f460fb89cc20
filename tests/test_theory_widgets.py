"""The explorers of lectures 02, 08 and 09: a control moves, the picture and the numbers change (ipywidgets 8 fires
callbacks without a kernel), and the numbers agree with independent references."""
import math

import pytest
import torch

import ddim_teach as dt
from ddim_teach.lab.theory_widgets import ErrataExplorer, JointExplorer, WeightsExplorer, q_sigma_chains


def test_chains_follow_eq7_of_the_package():
    s = dt.make_schedule("linear", T=50)
    eta = 0.5
    ch = q_sigma_chains(s, eta, n=4, seed=1)
    # rebuild step k -> k-1 from the package's Eq. 7 and the noise the chain must have used
    for k in (49, 20, 1):
        m, v = dt.q_sigma_posterior_mean_variance(s, torch.ones(4, dtype=torch.float64), ch[k], k,
                                                  eta * s.posterior_variance[k].sqrt().item())
        z = (ch[k - 1] - m) / torch.as_tensor(v, dtype=torch.float64).sqrt()
        g = torch.Generator().manual_seed(1)
        zs = torch.randn(50, 4, generator=g, dtype=torch.float64)
        assert torch.allclose(z, zs[k - 1], atol=1e-9)


def test_joint_explorer_marginals_agree_pairs_do_not():
    w = JointExplorer(eta_a=0.0, eta_b=1.0, t=2, lang="en")
    assert w.error is None
    r = w.result
    # marginals: both within 4 standard errors of the exact mean
    for name in ("A", "B"):
        assert abs(r[name]["mean"] - r["exact_mean"]) < 4 * math.sqrt(r["exact_var"] / 800)
    # pairs: at t = 2 the exact correlations differ (1 at η = 0, 0.674 at η = 1) and the samples follow them
    assert r["A"]["exact_corr"] == pytest.approx(1.0)
    assert r["B"]["exact_corr"] < 0.8
    assert abs(r["B"]["corr"] - r["B"]["exact_corr"]) < 0.06
    before = w.image.value
    w.t.value = 300
    assert w.error is None and w.result["t"] == 300 and w.image.value != before
    w.eta_a.value = 0.5
    assert w.result["A"]["eta"] == 0.5


def test_joint_explorer_bad_input():
    with pytest.raises(ValueError, match="t must be"):
        JointExplorer(t=1)
    with pytest.raises(ValueError, match="eta_a"):
        JointExplorer(eta_a=0.33)


def test_weights_explorer_changes_with_schedule():
    w = WeightsExplorer(kind="linear", eta=0.5, lang="ko")
    assert w.error is None
    lam_lin = w.result["lambda"]
    before = w.image.value
    w.kind.value = "cosine"
    assert w.error is None and w.image.value != before
    assert not torch.allclose(w.result["lambda"], lam_lin)
    w.eta.value = 1.0  # γ_t at η = 1 is the ELBO's λ_t
    assert torch.allclose(w.result["gamma"], w.result["lambda"][1:], rtol=1e-10)
    with pytest.raises(ValueError, match="eta"):
        WeightsExplorer(eta=0.0)


def test_errata_explorer_toggle_same_run():
    from ddim_teach.course.errata import sample_ddim_literal_alpha
    from ddim_teach.experiments.records import get_denoiser, x_T_for

    w = ErrataExplorer(erratum="a", version="note", S=20, lang="en")
    assert w.error is None
    note = w.result["samples"].clone()
    d = get_denoiser("exact:ring8")
    ref = sample_ddim_literal_alpha(d.model, x_T_for("exact:ring8", 500, 0).double(), d.schedule, dt.make_timesteps(1000, 20))
    assert torch.allclose(note, ref.float(), atol=1e-5)  # the widget runs the errata module's literal reading
    sw = w.result["sw"]
    assert sw["note"] > 2 * sw["fixed"]  # the slip leaves the ring
    w.version.value = "fixed"
    assert w.error is None and not torch.equal(w.result["samples"], note)
    assert w.result["sw"] == sw  # the same run: both versions were computed from one x_T
    w.erratum.value = "e"
    assert w.error is None and w.result["erratum"] == "e"
    with pytest.raises(ValueError, match="erratum"):
        ErrataExplorer(erratum="z")


@pytest.mark.parametrize("make, moves", [
    (lambda: JointExplorer(lang="ko"), [("t", 2), ("t", 1000), ("eta_a", 0.5)]),
    (lambda: WeightsExplorer(lang="ko"), [("kind", "sigmoid"), ("kind", "cosine"), ("eta", 1.0)]),
    (lambda: ErrataExplorer(lang="ko"), [("version", "note"), ("erratum", "e")]),
])
def test_fixed_frames_keep_every_text_inside_and_readable(make, moves):
    """The explorers draw in a fixed frame (no layout solved per draw): whatever the setting, every text stays
    inside the figure, no two tick labels of an axis overlap, and the smallest is ≥ 18 px at 1920×1080."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ddim_teach.lab import plots

    w = make()
    for ctrl, value in [(None, None), *moves]:
        if ctrl:
            getattr(w, ctrl).value = value
        assert w.error is None, w.status.value
        fig = w.figure
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        r = canvas.get_renderer()
        W, H = fig.bbox.width, fig.bbox.height
        inside = lambda b: b.x0 >= -1 and b.y0 >= -1 and b.x1 <= W + 1 and b.y1 <= H + 1  # noqa: E731
        for ax in fig.axes:  # what each panel draws: its ticks in view, labels, title and legend
            assert inside(ax.get_tightbbox(r)), (ctrl, value, ax.get_title(), ax.get_tightbbox(r))
            ylabel = ax.yaxis.label.get_window_extent(r) if ax.get_ylabel() else None
            lo, hi = sorted(ax.get_ylim())
            for lab in ax.get_yticklabels():  # the tick labels in view do not run into the axis label
                if lab.get_text() and lo <= lab.get_position()[1] <= hi and ylabel is not None:
                    assert not lab.get_window_extent(r).overlaps(ylabel), (ctrl, value, lab.get_text())
        for t in fig.texts + fig.legends:
            assert inside(t.get_window_extent(r)), (ctrl, value, t)
        assert plots.min_text_px(fig) >= 18, (ctrl, value)
