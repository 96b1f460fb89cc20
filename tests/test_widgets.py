"""Headless tests of the explorers: ipywidgets 8 fires ``observe`` callbacks without a kernel."""
import asyncio
import math
import random
import re
import warnings

import numpy as np
import pytest
import torch

import ddim_teach.lab.widgets as wd
from ddim_teach.lab import plots
from ddim_teach.experiments.records import run_sampler
from ddim_teach.i18n import korean_font_name, set_language, get_language

CLASSES = [wd.ScheduleExplorer, wd.ForwardExplorer, wd.SamplerExplorer, wd.StepThrough, wd.CompareExplorer]
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    # torch's two threads on a shared, busy 2-core machine slow these small tensors by 10-50×
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(autouse=True)
def no_background_runs(monkeypatch):
    # explorers of image models start their "Try this" runs (S = 1000) in a background thread; not in these tests
    monkeypatch.setenv("DDIM_PREPARE", "0")


def _bundle_data(e):
    bundle = e._repr_mimebundle_()
    return bundle[0] if isinstance(bundle, tuple) else bundle


@pytest.mark.parametrize("cls", CLASSES)
def test_builds_with_defaults_draws_and_fits_a_projector(cls):
    e = cls()
    assert e.error is None, e.status.value
    assert e.image.value[:4] == b"\x89PNG" and e.n_draws == 1
    data = _bundle_data(e)
    assert "application/vnd.jupyter.widget-view+json" in data and "image/png" in data
    # the picture fills the output area's width and keeps its aspect ratio
    assert (e.image.layout.width, e.image.layout.height) == ("100%", "auto")
    # every text of the figure, ticks and legends included, is ≥ 18 px in a 1450 px wide output area
    assert plots.min_text_px(e.figure) >= 18
    # the controls' labels are 20 px (CSS variables of ipywidgets, scoped to the explorer)
    css = e.widget.children[0].value
    assert "ddim-explorer" in e.widget._dom_classes and "--jp-widgets-font-size: 20px" in css


@pytest.mark.parametrize("cls", CLASSES)
def test_korean_explorer_has_no_missing_glyph(cls):
    korean_font_name()  # registers the bundled font (its import warns about distutils, unrelated to glyphs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise here
        e = cls(lang="ko")
        plots.figure_to_png(e.figure)
    assert e.error is None, e.status.value
    texts = [t.get_text() for t in e.figure.findobj(lambda a: hasattr(a, "get_text") and a.get_visible())]
    labels = [c.description for c in e.controls]
    assert any(HANGUL.search(t) for t in texts + labels + [e.status.value]), (texts, labels)


def test_language_follows_the_session_and_symbols_stay():
    before = get_language()
    try:
        set_language("ko")
        ko = wd.SamplerExplorer(model="moons")
        set_language("en")
        en = wd.SamplerExplorer(model="moons")
    finally:
        set_language(before)
    assert ko.lang == "ko" and en.lang == "en"
    assert (ko.steps.description, en.steps.description) == ("스텝 수 S", "steps S")
    assert (ko.spacing.description, en.spacing.description) == ("τ 간격", "τ spacing")
    assert ko.eta.description == en.eta.description == "η"
    assert "네트워크 호출" in ko.status.value and "network calls" in en.status.value
    with pytest.raises(ValueError, match="lang must be one of"):
        wd.ScheduleExplorer(lang="fr")


def test_each_sampler_control_drives_its_setting():
    """Each control changes exactly the setting its label names, in the run that is drawn."""
    e = wd.SamplerExplorer(model="exact:ring8", S=20)
    moves = [(e.steps, 10, lambda r: len(r.timesteps) == r.S == 10),
             (e.eta, 0.5, lambda r: r.eta == 0.5),
             (e.sigma_hat, True, lambda r: r.eta == "sigma_hat"),
             (e.spacing, "trailing", lambda r: r.spacing == "trailing" and r.timesteps[0] == 999),
             (e.seed, 3, lambda r: r.seed == 3),
             (e.model, "moons", lambda r: r.name == "moons")]
    for control, value, holds in moves:
        before = e.result
        png = e.image.value
        control.value = value
        assert e.error is None, e.status.value
        assert holds(e.result), (control.description, value)
        assert e.result is not before and e.image.value != png, control.description


def test_sampler_explorer_recomputes_and_caches():
    e = wd.SamplerExplorer(model="exact:ring8", S=20)
    png0 = e.image.value
    e.eta.value = 1.0
    e.eta.value = 0.0  # back to a seen setting: the same frame, nothing recomputed
    assert e.image.value == png0 and len(e._frames) == 2
    # from scratch: the samples equal an independent run of the package's sampler (η = 0: deterministic)
    e.clear_caches()
    e.seed.value = 1
    e.seed.value = 0
    fresh = run_sampler("exact:ring8", 20, 0.0, "leading", 0, n=500).samples
    assert e.result.samples is not fresh and torch.equal(e.result.samples, fresh)
    e.eta.value = 1.0
    assert not torch.equal(e.result.samples, fresh)


def test_sampler_explorer_strip_uses_paper_t():
    e = wd.SamplerExplorer(model="digits", S=50)
    assert e.result.samples.shape == (16, 1, 8, 8)
    assert e.result.x0_preds.shape[0] == 50  # all steps kept; the strip shows at most 8 columns
    assert sum(ax.get_visible() for ax in e.axes["xs"]) == 8
    titles = [ax.title.get_text() for ax in e.axes["xs"]]
    assert titles[0] == f"$t$={e.result.timesteps[0] + 1}" and titles[-1] == "$t$=1"  # array index 0 is t = 1
    assert e.axes["tau"].get_xlim()[1] > 1000 and 1000 in list(e.axes["tau"].get_xticks())
    e.steps.value = 5
    assert sum(ax.get_visible() for ax in e.axes["xs"]) == 5


def test_step_through_counts_like_its_equation_and_ends_at_x0():
    s = wd.StepThrough(model="moons", S=10)
    assert (s.step.min, s.step.max, s.step.value, s.play.max) == (1, 10, 1, 10)
    s.next.click()
    s.next.click()
    run = s._run()
    assert s.step.value == 3 and "step 3 of 10" in s.equation.value and s.result["t"] == run.timesteps[2] + 1
    s.play.value = 10  # Play drives the step slider; the last step lands on x_0, t = 0
    assert s.step.value == 10 and s.result["t_prev"] == 0
    assert "step 10 of 10" in s.equation.value and "-1" not in s.equation.value
    assert s.axes[2].get_title() == "output $x_{0}$ ($t$ = 0)"
    for _ in range(12):
        s.prev.click()
    assert s.step.value == 1


def test_step_through_number_box_is_the_keyboard_path():
    """The number box (↑/↓ in the browser, also on a RISE slide) and the slider are one control."""
    s = wd.StepThrough(model="moons", S=10)
    s.step_box.value = 4
    assert s.step.value == 4 and s.result["i"] == 4 and "step 4 of 10" in s.equation.value
    s.next.click()
    assert s.step_box.value == 5
    s.steps.value = 3  # a shorter run: the box's range and value follow the slider's
    assert (s.step_box.max, s.step_box.value, s.result["i"]) == (3, 3, 3)
    s.steps.value = 20
    assert s.step_box.max == 20
    s.step_box.value = 20
    assert s.step.value == 20 and s.result["t_prev"] == 0


def test_step_through_coefficients_are_the_ones_the_run_used():
    """x_prev = c_x0 x̂₀ + c_eps ε (η = 0): the printed numbers rebuild the run's own next state."""
    s = wd.StepThrough(model="exact:gaussian", S=10)
    run = s._run()
    for i in (1, 4, 10):
        s.step.value = i
        c, st = s.result["coefficients"], run.steps[i - 1]
        rebuilt = c["x0"] * st["x0_pred"] + c["eps"] * st["eps"]
        assert torch.allclose(rebuilt, run.xs[i], atol=1e-5), i  # float32 round-off: measured ≤ 2e-6
        # and they are Eq. 12's, written out here from the paper: sqrt(ᾱ_prev), sqrt(1-ᾱ_prev)
        assert c["x0"] == pytest.approx(math.sqrt(st["alpha_bar_prev"]))
        assert c["eps"] == pytest.approx(math.sqrt(1 - st["alpha_bar_prev"]))
        assert f"{c['x0']:.4f}" in s.equation.value and f"{c['eps']:.4f}" in s.equation.value


def test_step_through_on_28x28_digits_is_eq9_and_eq12_of_the_null_class_network():
    """Lecture 04's StepThrough starts on the 28×28 network asked for its null class. Each step's x̂₀ and next
    state are rebuilt here from the network called directly (Eq. 9 and Eq. 12, η = 0, written from the paper)."""
    from ddim_teach.lab.guidance_widget import conditional_model

    s = wd.StepThrough(model="mnist5k", S=10, lang="en")
    run = s._run()
    assert run.xs.shape == (11, 16, 1, 28, 28) and s.error is None
    net, schedule = conditional_model()
    ab = schedule.alphas_cumprod
    for i in (1, 5, 10):
        s.step.value = i
        st, x = run.steps[i - 1], run.xs[i - 1]
        with torch.no_grad():
            eps = net(x, torch.full((16,), st["t"]), class_labels=torch.full((16,), net.null_class))
        a, a_prev = float(ab[st["t"]]), (float(ab[st["t_prev"]]) if st["t_prev"] >= 0 else 1.0)
        x0 = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)
        torch.testing.assert_close(run.x0_preds[i - 1], x0, rtol=0, atol=1e-4)  # measured ≤ 3e-6
        torch.testing.assert_close(run.xs[i], math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps, rtol=0, atol=1e-4)
        assert s.result["i"] == i and f"step {i} of 10" in s.equation.value
    assert "mnist5k" not in wd.SamplerExplorer(model="moons").model.options  # 23 s a run at S = 1000: StepThrough only
    with pytest.raises(ValueError, match="unknown model 'mnist5k' for SamplerExplorer"):
        wd.SamplerExplorer(model="mnist5k")


def test_step_through_new_step_count_redraws_once_under_the_right_key():
    s = wd.StepThrough(model="moons", S=10)
    s.step.value = 8
    calls = []
    real_update = s._update
    s._update = lambda: calls.append((s.steps.value, s.step.value)) or real_update()
    s.steps.value = 5  # the slider's range shrinks inside the redraw: no re-entrant second redraw
    assert calls == [(5, 5)] and s.error is None
    assert (s.step.max, s.play.max, s.step.value, s.result["i"], s.result["S"]) == (5, 5, 5, 5, 5)
    assert s._drawn_key == s._key()
    for key in s._frames:  # every cached frame is stored under settings that exist
        assert key[-1] <= key[1], key
    s.steps.value = 20
    assert s.step.max == 20 and s.step.value == 5 and s.result["i"] == 5


def test_caches_are_bounded_lru():
    c = wd.LRUCache(3)
    for k in "abcd":
        c.get_or_compute(k, lambda k=k: k.upper())
    assert list(c) == ["b", "c", "d"]
    c.get_or_compute("b", lambda: "never")  # a hit refreshes b
    c.get_or_compute("e", lambda: "E")
    assert list(c) == ["d", "b", "e"] and c["b"] == "B"
    with pytest.raises(ValueError, match="maxsize"):
        wd.LRUCache(0)
    e = wd.SamplerExplorer(model="exact:gaussian", S=5)
    e._cache.maxsize, e._frames.maxsize = 4, 6
    for seed in range(1, 12):
        e.seed.value = seed
    assert len(wd.RUNS) <= wd.RUNS.maxsize and len(e._frames) == 6 and e.result.seed == 11


def test_browser_changes_coalesce_into_one_redraw():
    """Changes from the browser (``set_state``, as a comm message applies them) that arrive while a
    redraw is pending are folded into it: a held key gives one redraw with the newest value."""
    e = wd.SamplerExplorer(model="exact:gaussian", S=5)

    async def hold_key():
        n = e.n_draws
        for seed in range(1, 6):
            e.seed.set_state({"value": seed})
        assert e.n_draws == n  # nothing drawn yet: one redraw is pending
        await asyncio.sleep(5 * e.coalesce_delay)
        return e.n_draws - n

    assert asyncio.run(hold_key()) == 1
    assert e.result.seed == 5 and e._drawn_key == e._key()
    e.seed.value = 2  # a change made by Python code draws at once
    assert e.result.seed == 2


def test_compare_explorer_modes():
    c = wd.CompareExplorer(model="exact:gaussian", S=20)
    ref0 = run_sampler("exact:gaussian", 20, 0.0, "leading", 0, n=500).samples
    ref1 = run_sampler("exact:gaussian", 20, 1.0, "leading", 0, n=500).samples
    assert torch.equal(c.result["left"], ref0) and torch.equal(c.result["right"], ref1)
    c.mode.value = c.MODES[1]
    assert c.error is None and c.result["left"].shape == ref0.shape
    # consistency (Sec. 5.2): with η = 0, S = 10 and S = 1000 from the same x_T land near each other.
    # Measured mean |diff| for seeds 0, 1, 2: 0.107, 0.110, 0.109; from independent x_T: 0.716-0.733.
    assert c.result["mean_abs_diff"] < 0.2
    c.seed.value = 1
    assert 0.08 < c.result["mean_abs_diff"] < 0.2  # S = 10 is not S = 1000: a gap remains
    with pytest.raises(ValueError, match="mode must be one of"):
        wd.CompareExplorer(mode="eta")


def test_forward_explorer_against_the_chain_recursion():
    """Closed form q(x_t|x_0) against the chain written as a recursion (independent of ᾱ's cumprod):
    m_t = sqrt(1-β_t) m_{t-1}, v_t = (1-β_t) v_{t-1} + β_t; Monte Carlo within 4 standard errors."""
    f = wd.ForwardExplorer(data="ring8")
    betas = f.schedule.betas.double().numpy()
    m, v, exact = 1.0, 0.0, []
    for b in betas:
        m, v = math.sqrt(1 - b) * m, (1 - b) * v + b
        exact.append((m, v))
    n = f.n_chain
    for t in (1, 50, 300, 1000):  # the paper's t
        f.t.value = t
        r, (m, v) = f.result, exact[t - 1]
        assert r["closed_mean"] == pytest.approx(m, rel=1e-5) and r["closed_var"] == pytest.approx(v, rel=1e-4)
        se_var = v * math.sqrt(1 / (n - 1))  # sample variance, averaged over the 2 coordinates
        se_mean = math.sqrt(v / n) * math.sqrt(1 / 0.8**2 + 1 / 0.6**2) / 2  # mean / x0 for x0 = (0.8, -0.6)
        assert abs(r["chained_var"] - v) < 4 * se_var, (t, r["chained_var"], v)
        assert abs(r["chained_mean"] - m) < 4 * se_mean, (t, r["chained_mean"], m)
    assert f.ax_x.get_title() == "$x_t \\sim q(x_t\\mid x_0)$, $t$ = 1000"


def test_schedule_explorer_zero_snr_and_a_clean_static_picture():
    e = wd.ScheduleExplorer()
    e.zero_snr.value = True
    assert all(s.alphas_cumprod[-1].item() == 0 for s in e.result.values())
    e.T.value = 50
    assert all(s.T == 50 for s in e.result.values())
    # no text leaves the figure, and no panel's texts (title, labels, ticks, legend) run into another's
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = e.figure
    r = FigureCanvasAgg(fig).get_renderer()
    fig.draw(r)  # lays out ticks and the constrained layout as savefig does
    boxes = [ax.get_tightbbox(r) for ax in fig.axes]  # everything an axes draws, in pixels
    W, H = fig.bbox.width, fig.bbox.height
    for i, b in enumerate(boxes):
        assert b.x0 >= 0 and b.y0 >= 0 and b.x1 <= W and b.y1 <= H, f"panel {i} is clipped: {b}"
        for j in range(i + 1, len(boxes)):
            assert not b.overlaps(boxes[j]), f"panels {i} and {j} overlap"


def test_errors_are_shown_not_swallowed(monkeypatch):
    e = wd.SamplerExplorer(model="moons")

    def boom(*a, **k):
        raise RuntimeError("sampler exploded")

    monkeypatch.setattr(wd, "run_sampler", boom)
    e.seed.value = 123
    assert isinstance(e.error, RuntimeError)
    assert "sampler exploded" in e.status.value and "b00020" in e.status.value


def test_paper_t():
    assert [plots.paper_t(k) for k in (-1, 0, 999)] == [0, 1, 1000]
    with pytest.raises(ValueError, match="-1"):
        plots.paper_t(-2)


def test_60_random_control_changes():
    rng = random.Random(0)
    models = ["moons", "ring8", "exact:ring8", "exact:gaussian", "checkerboard", "swiss_roll"]  # digits: tests above
    explorers = [wd.SamplerExplorer(model="moons"), wd.StepThrough(model="ring8"), wd.CompareExplorer(model="exact:ring8"),
                 wd.ForwardExplorer(data="moons"), wd.ScheduleExplorer()]
    small_steps = [s for s in wd.step_options(1000) if s <= 100]
    for _ in range(60):
        e = rng.choice(explorers)
        c = rng.choice([c for c in e.controls if c is not getattr(e, "mode", None)])  # S = 1000 runs: tested above
        if c is getattr(e, "model", None):
            c.value = rng.choice(models)
        elif c is getattr(e, "steps", None):
            c.value = rng.choice(small_steps)
        elif c is getattr(e, "seed", None):
            c.value = rng.randint(0, 5)
        elif hasattr(c, "options"):
            c.value = rng.choice([o[1] if isinstance(o, tuple) else o for o in c.options])
        elif isinstance(c.value, bool):
            c.value = not c.value
        elif isinstance(c.value, tuple):
            lo = rng.uniform(1e-5, 0.01)
            c.value = (lo, rng.uniform(lo + 1e-4, 0.05))
        elif isinstance(c.value, float):
            c.value = round(rng.uniform(c.min, c.max), 2)
        else:
            c.value = rng.randint(c.min, c.max)
        assert e.error is None, (type(e).__name__, c.description, c.value, e.status.value)
        assert e._drawn_key == e._key()


# ---- issue 23: the equation belongs to its picture; computing state; one run cache; stored pictures ---------
_EQ = re.compile(r"t = (\d+) \\to t_\{\\rm prev\} = (\d+),.*?= (-?\d+\.\d+)\\,\\hat x_0\$ \$\+ (-?\d+\.\d+)\\,\\epsilon_\\theta\$"
                 r" \$\+ (-?\d+\.\d+)\\,z")


def test_step_through_equation_belongs_to_its_picture():
    """Forward, back and from the step box, with frames from the cache (Prev, a step seen before): the Eq. 12
    line shows the step of the picture. t from the paper's leading spacing (τ_i = (i−1)·T/S, t = τ + 1) and the
    coefficients from ddim_coefficients at ᾱ of the linear schedule, computed here with numpy."""
    from ddim_teach.core.step import ddim_coefficients

    T, S = 1000, 10
    alpha_bar = np.cumprod(1 - np.linspace(1e-4, 0.02, T, dtype=np.float64))
    s = wd.StepThrough(model="exact:gaussian", S=S, lang="en")
    assert np.allclose(s._run().steps[0]["alpha_bar"], alpha_bar[s._run().steps[0]["t"]], rtol=1e-5)
    seen = []

    def check():
        i = s.step.value
        m = _EQ.search(s.equation.value)
        assert m, s.equation.value
        t, t_prev = int(m[1]), int(m[2])
        index = (S - i) * (T // S)  # the step's array index (leading spacing, from high t to low)
        assert (t, t_prev) == (index + 1, index + 1 - T // S if i < S else 0), (i, s.equation.value)
        ab, ab_prev = alpha_bar[index], (alpha_bar[index - T // S] if i < S else 1.0)
        c = ddim_coefficients(ab, ab_prev, 0.0)
        assert float(m[3]) == pytest.approx(c["x0"], abs=6e-5) and float(m[4]) == pytest.approx(c["eps"], abs=6e-5)
        assert float(m[5]) == 0.0
        assert f"step {i} of {S}" in s.equation.value and s.result["i"] == i and s.result["t"] == t
        assert s.image.value == frames.setdefault(i, s.image.value)  # the same picture each time this step shows
        seen.append(i)

    frames = {}
    check()
    for _ in range(3):
        s.next.click()
        check()
    for _ in range(2):  # back: both frames from the cache
        s.prev.click()
        check()
    for i in (7, 3, 10, 1, 2, 3):  # the step box (the keyboard path); 3 and 2 from the cache
        s.step_box.value = i
        check()
    s.play.value = 9  # Play drives the same slider
    check()
    assert seen == [1, 2, 3, 4, 3, 2, 7, 3, 10, 1, 2, 3, 9]


def test_computing_state_is_shown_first_and_cached_frames_say_so():
    e = wd.SamplerExplorer(model="exact:gaussian", S=5, lang="ko")
    during, statuses = [], []
    e.status.observe(lambda ch: statuses.append(ch["new"]), names="value")
    real = e._update
    e._update = lambda: during.append(("ddim-busy" in e.widget._dom_classes, e.status.value)) or real()
    e.seed.value = 3
    assert during == [(True, statuses[0])] and "계산 중…" in statuses[0]  # dimmed and said before computing
    assert "ddim-busy" not in e.widget._dom_classes and "계산 중" not in e.status.value and " ms)" in e.status.value
    e.seed.value = 0  # seen before: from the frame cache, no computing state, no "(0 ms)"
    assert len(during) == 1 and "저장된 결과" in e.status.value and " ms)" not in e.status.value
    e.T = None
    e.steps.value = 1000  # S = T: "T/S = 1배 적음" would be wrong
    assert "DDPM과 같은 수" in e.status.value and "1배" not in e.status.value


def test_explorers_share_one_run_cache(monkeypatch):
    calls = []
    real = wd.run_sampler
    monkeypatch.setattr(wd, "run_sampler", lambda *a, **k: calls.append(a) or real(*a, **k))
    wd.RUNS.clear()
    a = wd.SamplerExplorer(model="exact:ring8", S=20, seed=7)
    assert len(calls) == 1
    b = wd.StepThrough(model="exact:ring8", S=20, seed=7)
    c = wd.CompareExplorer(model="exact:ring8", S=20, seed=7)  # η = 0 shared, η = 1 new
    assert len(calls) == 2 and b._run() is a.result and c._run(eta=0.0) is a.result
    assert torch.equal(c.result["left"], a.result.samples)


def test_prepared_runs_are_ready_and_computed_once(monkeypatch):
    """prepare_runs computes in a background thread; a foreground request for the same run while it is being
    computed waits for it instead of computing it a second time."""
    import threading

    calls = []
    real = wd.run_sampler
    started = threading.Event()

    def slow(*a, **k):
        calls.append(a)
        started.set()
        return real(*a, **k)

    monkeypatch.setattr(wd, "run_sampler", slow)
    monkeypatch.setenv("DDIM_PREPARE", "1")
    wd.RUNS.clear()
    thread = wd.prepare_runs([("exact:ring8", 203, 0.0, "leading", 11)])
    assert thread is not None and started.wait(30)
    e = wd.SamplerExplorer(model="exact:ring8", S=203, seed=11)  # asks for the run being prepared
    thread.join(60)
    assert len(calls) == 1 and e.error is None and e.result.S == 203
    with pytest.raises(ValueError, match="prepare_runs"):
        wd.prepare_runs([("digits", 1000)])
    monkeypatch.setenv("DDIM_PREPARE", "0")
    assert wd.prepare_runs([("exact:ring8", 300, 0.0, "leading", 0)]) is None


def test_stored_picture_with_a_hint_for_a_notebook_without_kernel():
    e = wd.StepThrough(model="exact:gaussian", S=5, lang="ko")
    data = _bundle_data(e)
    html_ = data["text/html"]
    assert data["image/png"] in html_ and "이 셀을 실행하면" in html_ and "<input" not in html_ and "<button" not in html_
    assert "application/vnd.jupyter.widget-view+json" in data


def test_solver_explorer_labels_whole_and_panels_wide():
    """Issue 23: the solver buttons were cut ("DDIM (오일...") and each scatter panel was 275 px wide at 1920.
    The buttons size to their labels; each solver panel is at least 400 px when the picture fills the
    ~1450 px output area of a 1920×1080 screen."""
    from ddim_teach.lab.solver_widget import SolverExplorer

    e = SolverExplorer(model="exact:ring8", nfe=4, lang="ko")
    assert e.error is None and e.solver.style.button_width == "auto"
    n = len(e.solvers)
    widths = [ax.get_position().width * 1450 for ax in e.axes[:n]]
    assert min(widths) >= 400, widths
