"""The exercise checkers: the reference passes, each classic mistake fails with its own hint, bad functions fail cleanly.

The "students" below are written out by hand, one per mistake, as a student would type them; they do not
reuse the checker's own list of wrong variants, so a test fails if a checker names the wrong mistake.
"""
import itertools
import math
import re

import pytest
import torch

import ddim_teach as dt
from ddim_teach.course import exercises as ex


def run(check, fn, lang="en", **kw):
    passed = check(fn, lang=lang, verbose=False, **kw)
    res = ex.last_result()
    assert isinstance(passed, bool) and passed is res.passed
    return res


def hint_text(exercise, code, lang):
    return dt.tr(f"ex_hint_{exercise}_{code.split(':')[0]}", lang)


# ---- the references pass ------------------------------------------------------------------------------------
import test_exercise_mistakes as i20  # noqa: E402  (issue 20's named mistakes are tested there)

CHECKERS = {
    "ddim_sigma": ex.check_ddim_sigma,
    "ddim_step": ex.check_ddim_step,
    "posterior_mean": ex.check_posterior_mean,
    "timesteps": ex.check_timesteps,
    "x0_pred": ex.check_x0_pred,
    "x0_pred_schedule": ex.check_x0_pred,
    "alpha_bar": ex.check_alpha_bar,
}


@pytest.mark.parametrize("name", list(CHECKERS))
def test_solutions_pass(name, capsys):
    assert CHECKERS[name](ex.solution_function(name)) is True
    out = capsys.readouterr().out
    assert out.startswith("✓") and ex.last_result().mistake is None


# ---- the paper's formulas, written here, pass; a copy with one slip does not --------------------------------
# What each checker is fed is written in this file from the papers (DDIM: Song et al. 2021; DDPM: Ho et al.
# 2020) or taken from diffusers, never from the package, so a checker whose own reference drifted fails here.
def paper_sigma(a, p, eta):
    """DDIM Eq. 16: σ_t(η) = η √((1 − ᾱ_{t−1})/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t−1})."""
    return eta * ((1 - p) / (1 - a)) ** 0.5 * (1 - a / p) ** 0.5


def paper_step(x_t, eps, a, p, eta=0.0, noise=None, x0_root=0.5, dir_root=0.5):
    """DDIM Eq. 12, x_{t−1} = √ᾱ_{t−1} x̂₀ + √(1 − ᾱ_{t−1} − σ²) ε + σ z, with Eq. 9's x̂₀ = (x_t − √(1 − ᾱ_t) ε)/√ᾱ_t.

    ``x0_root`` and ``dir_root`` are there to write a slip: a square root left out.
    """
    x0 = (x_t - (1 - a) ** 0.5 * eps) / a**x0_root
    s = paper_sigma(a, p, eta)
    x_prev = p**0.5 * x0 + (1 - p - s**2) ** dir_root * eps
    return (x_prev if noise is None else x_prev + s * noise), x0


def diffusers_leading(T, S, steps_offset=0):
    """τ as diffusers' DDIMScheduler.set_timesteps gives it with the paper's "leading" spacing, k = T // S."""
    diffusers = pytest.importorskip("diffusers")
    scheduler = diffusers.DDIMScheduler(num_train_timesteps=T, timestep_spacing="leading", steps_offset=steps_offset)
    scheduler.set_timesteps(S)
    return scheduler.timesteps


def product_alpha_bar(betas):
    """ᾱ_t = ∏_{s ≤ t} (1 − β_s), one factor at a time."""
    out, acc = [], 1.0
    for b in betas.tolist():
        acc *= 1 - b
        out.append(acc)
    return torch.tensor(out, dtype=torch.float64)


def ddpm_posterior_mean(x0, xt, a, p):
    """DDPM Eq. 7: μ̃_t = √ᾱ_{t−1} β_t/(1 − ᾱ_t) x_0 + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) x_t, with α_t = ᾱ_t/ᾱ_{t−1}."""
    return (a / p) ** 0.5 * (1 - p) / (1 - a) * xt + p**0.5 * (1 - a / p) / (1 - a) * x0


@pytest.mark.parametrize("check, fn", [
    (ex.check_ddim_sigma, paper_sigma),
    (ex.check_ddim_step, paper_step),
    (ex.check_timesteps, diffusers_leading),
    (ex.check_alpha_bar, product_alpha_bar),
    (ex.check_posterior_mean, ddpm_posterior_mean),
], ids=["ddim_sigma", "ddim_step", "timesteps", "alpha_bar", "posterior_mean"])
def test_paper_formulas_pass(check, fn):
    assert run(check, fn).passed, ex.last_result().message


@pytest.mark.parametrize("check, fn, code", [
    (ex.check_ddim_sigma, lambda a, p, eta: paper_sigma(a, p, 1.0), "no_eta"),
    (ex.check_ddim_sigma, lambda a, p, eta: eta * (1 - p) / (1 - a) * (1 - a / p), "no_sqrt"),
    (ex.check_ddim_step, lambda *args: paper_step(*args, x0_root=1.0), "x0_no_sqrt_den"),
    (ex.check_ddim_step, lambda *args: paper_step(*args, dir_root=1.0), "dir_no_sqrt"),
    (ex.check_timesteps, lambda T, S: diffusers_leading(T, S, steps_offset=1), "one_based"),
], ids=["sigma_without_eta", "sigma_without_roots", "x0_over_abar", "direction_without_root", "leading_offset_1"])
def test_one_slip_from_the_paper_is_rejected(check, fn, code):
    res = run(check, fn)
    assert not res.passed and res.mistake == code, res.message


def test_paper_step_agrees_with_diffusers():
    """The step written above from Eq. 12 is diffusers' DDIMScheduler.step (η = 0, 0.5, 1; the last step too)."""
    diffusers = pytest.importorskip("diffusers")
    scheduler = diffusers.DDIMScheduler(num_train_timesteps=1000, clip_sample=False, set_alpha_to_one=True)
    scheduler.set_timesteps(50)
    g = torch.Generator().manual_seed(0)
    x, eps, z = (torch.randn(4, 3, generator=g) for _ in range(3))
    for t in (int(scheduler.timesteps[i]) for i in (0, 25, -1)):
        a = float(scheduler.alphas_cumprod[t])
        p = float(scheduler.alphas_cumprod[t - 20]) if t >= 20 else 1.0
        for eta in (0.0, 0.5, 1.0):
            want = scheduler.step(eps, t, x, eta=eta, variance_noise=z)
            x_prev, x0 = paper_step(x, eps, a, p, eta, z if eta > 0 else None)
            assert torch.allclose(x0, want.pred_original_sample, rtol=1e-4, atol=1e-4), (t, eta)
            assert torch.allclose(x_prev, want.prev_sample, rtol=1e-4, atol=1e-4), (t, eta)


def test_solution_text():
    text = ex.solution("ddim_sigma")
    assert text.startswith("def ddim_sigma(alpha_bar, alpha_bar_prev, eta):")
    assert ex.solution("check_ddim_step") == ex.solution("ddim_step")
    assert "```python" in text._repr_markdown_()
    with pytest.raises(KeyError, match="choose one of"):
        ex.solution("nope")


# Right answers whose parameters carry the names the checkers' docstrings use; the test below calls them by
# keyword, so a docstring that names the parameters in another order than the checker passes them fails.
SIGNED = {
    ex.check_ddim_sigma: {3: lambda alpha_bar, alpha_bar_prev, eta: paper_sigma(alpha_bar, alpha_bar_prev, eta)},
    ex.check_ddim_step: {6: lambda x_t, eps, alpha_bar, alpha_bar_prev, eta, noise:
                         paper_step(x_t, eps, alpha_bar, alpha_bar_prev, eta, noise)},
    ex.check_posterior_mean: {4: lambda x_0, x_t, alpha_bar, alpha_bar_prev:
                              ddpm_posterior_mean(x_0, x_t, alpha_bar, alpha_bar_prev)},
    ex.check_timesteps: {2: lambda T, S: diffusers_leading(T, S)},
    ex.check_x0_pred: {3: lambda x_t, eps, alpha_bar: (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar**0.5,
                       4: lambda x_t, eps, schedule, t: (x_t - (1 - schedule.alphas_cumprod[t]) ** 0.5 * eps)
                       / schedule.alphas_cumprod[t] ** 0.5},
    ex.check_alpha_bar: {1: lambda betas: product_alpha_bar(betas)},
    ex.check_paired_interval: {2: lambda row_a, row_b: i20._paired(row_a, row_b)},
}


@pytest.mark.parametrize("check", list(SIGNED), ids=lambda c: c.__name__)
def test_docstrings_state_the_signature_the_checker_calls(check):
    """A function written with exactly the parameters of the docstring's ``fn(...)`` passes the checker.

    Its parameters are handed on by name, so a docstring that names one too many or too few, or names them in
    another order than the checker passes them, fails here ("signature", a missing right answer, or wrong values).
    """
    stated = re.findall(r"``fn\(([^)]*)\)", check.__doc__)
    assert stated, f"{check.__name__}'s docstring states no ``fn(...)``"
    for params in stated:
        names = [q.split("=")[0].strip() for q in params.split(",")]
        right = SIGNED[check].get(len(names))
        assert right is not None, f"{check.__name__}: the docstring states fn({params})"
        namespace = {"right": right}
        exec(f"def student({params}):\n    return right({', '.join(f'{n}={n}' for n in names)})\n", namespace)
        res = run(check, namespace["student"])
        assert res.passed, (params, res.message)


def test_every_recognised_mistake_has_a_hint_in_the_catalog_and_every_hint_a_use():
    """The codes (and the order they are tried in) live in ex.MISTAKES; their words in messages/exercises.toml."""
    hints = {k for k in dt.i18n.read_catalog("exercises") if k.startswith("ex_hint_")}
    named = {f"ex_hint_{e}_{c.split(':')[0]}" for e, codes in ex.MISTAKES.items() for c in codes}
    assert named <= hints, f"mistakes without a hint: {sorted(named - hints)}"
    # the rest are found by looking at the output itself (tested by the *_inspected_* and *_shape_* tests)
    from_output = {"ex_hint_timesteps_" + c for c in ("wrong_count", "not_descending", "out_of_range",
                                                      "not_ending_at_zero", "values", "floats")}
    from_output |= {"ex_hint_alpha_bar_" + c for c in ("prepended_one", "wrong_length", "total_product")}
    assert hints - named == from_output


# ---- σ (Eq. 16): one student per mistake --------------------------------------------------------------------
SIGMA_STUDENTS = {
    "ratio_inverted": lambda a, p, eta: eta * ((1 - a) / (1 - p)) ** 0.5 * (1 - a / p) ** 0.5,
    "second_swapped": lambda a, p, eta: eta * ((1 - p) / (1 - a)) ** 0.5 * (1 - p / a) ** 0.5,
    # ᾱ_t in the numerator where ᾱ_{t−1} belongs: the factor is 1 and σ = η√β_t for one step
    "no_first_factor": lambda a, p, eta: eta * ((1 - a) / (1 - a)) ** 0.5 * (1 - a / p) ** 0.5,
    "variance": lambda a, p, eta: eta**2 * (1 - p) / (1 - a) * (1 - a / p),
    "no_sqrt": lambda a, p, eta: eta * (1 - p) / (1 - a) * (1 - a / p),
    "no_sqrt_first": lambda a, p, eta: eta * (1 - p) / (1 - a) * (1 - a / p) ** 0.5,
    "no_sqrt_second": lambda a, p, eta: eta * ((1 - p) / (1 - a)) ** 0.5 * (1 - a / p),
    "eta_inside": lambda a, p, eta: (eta * (1 - p) / (1 - a) * (1 - a / p)) ** 0.5,
    # the one-step α_t = ᾱ_t/ᾱ_{t−1} used for ᾱ_t in the first factor
    "alpha_abar": lambda a, p, eta: eta * ((1 - p) / (1 - a / p)) ** 0.5 * (1 - a / p) ** 0.5,
}


@pytest.mark.parametrize("code", list(SIGMA_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_sigma_mistakes(code, lang):
    res = run(ex.check_ddim_sigma, SIGMA_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code
    assert hint_text("ddim_sigma", code, lang) in res.message


def test_sigma_mistake_codes_are_all_tested():
    assert set(ex.MISTAKES["ddim_sigma"]) == set(SIGMA_STUDENTS) | set(i20.SIGMA)


def test_sigma_hint_in_the_lecture_words():
    res = run(ex.check_ddim_sigma, SIGMA_STUDENTS["no_first_factor"])
    assert "√β_t" in res.message and "ᾱ_t where ᾱ_{t−1} belongs" in res.message
    res = run(ex.check_ddim_sigma, SIGMA_STUDENTS["no_first_factor"], "ko")
    assert "√β_t" in res.message and "ᾱ_{t−1} 자리에 ᾱ_t" in res.message


def test_sigma_alternative_alpha_confusion():
    # 1 − ᾱ_t where the one-step 1 − α_t belongs gives the same wrong σ = η√(1 − ᾱ_{t−1})
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * ((1 - p) / (1 - a)) ** 0.5 * (1 - a) ** 0.5)
    assert res.mistake == "alpha_abar"


def test_sigma_math_sqrt_student():
    # math.sqrt: right on floats, raises on tensors -> "float_only"
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * math.sqrt((1 - p) / (1 - a)) * math.sqrt(1 - a / p))
    assert res.mistake == "float_only" and "ValueError" in res.message and "** 0.5" in res.message
    # math.sqrt and a mistake: the mistake is named from the float cases, and the tensor problem too
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * math.sqrt(1 - a / p))
    assert res.mistake == "no_first_factor" and dt.tr("ex_float_only", "en") in res.message
    # math.sqrt of a negative number raises "math domain error" on every float case: nothing to match a
    # variant against, so the checker names the exception and what it means
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * math.sqrt((1 - p) / (1 - a)) * math.sqrt(1 - p / a))
    assert res.mistake == "domain" and "math domain error" in res.message and "negative" in res.message
    # ... but where it returns a value on some inputs, the variant is named (the other ones raised)
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * math.sqrt((1 - a) / (1 - p)) * math.sqrt(1 - a / p))
    assert res.mistake == "ratio_inverted" and "ZeroDivisionError" in res.message


def test_always_raising_arithmetic_is_not_a_named_mistake():
    # a function that divides by zero everywhere must not be matched to a variant that has no value anywhere
    res = run(ex.check_ddim_step, lambda *args: 1 / 0)
    assert res.mistake == "domain" and "ZeroDivisionError" in res.message
    res = run(ex.check_ddim_sigma, lambda *args: 1 / 0)
    assert res.mistake == "domain"


def test_sigma_torch_sqrt_student():
    res = run(ex.check_ddim_sigma, lambda a, p, eta: eta * torch.sqrt((1 - p) / (1 - a)) * torch.sqrt(1 - a / p))
    assert res.mistake == "tensor_only" and "TypeError" in res.message


# ---- one DDIM step --------------------------------------------------------------------------------------------
def make_step(x0_fn=None, coef=None, dir2=None, noise_coef=None, sigma_fn=None, swap=False, dir_sqrt=True):
    """A student's ddim_step with one piece replaced; every piece defaults to Eq. 9/12/16."""

    def step(x_t, eps, a, p, eta=0.0, noise=None):
        sigma = (sigma_fn or SOLUTION_SIGMA)(a, p, eta)
        x0 = x0_fn(x_t, eps, a, p) if x0_fn else (x_t - (1 - a) ** 0.5 * eps) / a**0.5
        c = coef(a, p) if coef else p**0.5
        d2 = dir2(a, p, sigma) if dir2 else 1 - p - sigma**2
        x_prev = c * x0 + (d2**0.5 if dir_sqrt else d2) * eps
        if eta > 0:
            x_prev = x_prev + (noise_coef(sigma) if noise_coef else sigma) * noise
        return (x0, x_prev) if swap else (x_prev, x0)

    return step


SOLUTION_SIGMA = ex.solution_function("ddim_sigma")

STEP_STUDENTS = {
    "swapped_outputs": make_step(swap=True),
    "x0_alpha_for_abar": make_step(x0_fn=lambda x, e, a, p: (x - (1 - a / p) ** 0.5 * e) / (a / p) ** 0.5),
    "x0_prev_for_abar": make_step(x0_fn=lambda x, e, a, p: (x - (1 - p) ** 0.5 * e) / p**0.5),
    "x0_no_sqrt": make_step(x0_fn=lambda x, e, a, p: (x - (1 - a) * e) / a),
    "x0_no_sqrt_num": make_step(x0_fn=lambda x, e, a, p: (x - (1 - a) * e) / a**0.5),
    "x0_no_sqrt_den": make_step(x0_fn=lambda x, e, a, p: (x - (1 - a) ** 0.5 * e) / a),
    "x0_sign": make_step(x0_fn=lambda x, e, a, p: (x + (1 - a) ** 0.5 * e) / a**0.5),
    "both_abar": make_step(coef=lambda a, p: a**0.5, dir2=lambda a, p, s: 1 - a - s**2),
    "coef_abar": make_step(coef=lambda a, p: a**0.5),
    "dir_abar": make_step(dir2=lambda a, p, s: 1 - a - s**2),
    "dir_no_sigma": make_step(dir2=lambda a, p, s: 1 - p),
    "dir_sigma": make_step(dir2=lambda a, p, s: 1 - p - s),
    "noise_sigma_sq": make_step(noise_coef=lambda s: s**2),
    "coef_no_sqrt": make_step(coef=lambda a, p: p),
    "dir_no_sqrt": make_step(dir_sqrt=False),
    "no_noise": make_step(noise_coef=lambda s: 0 * s),
}
# (σ = η√(1−ᾱ_{t−1}) is not a step mistake the checker names: at η = 1 the direction coefficient is exactly 0)
STEP_STUDENTS.update({f"sigma:{code}": make_step(sigma_fn=fn) for code, fn in SIGMA_STUDENTS.items() if code != "alpha_abar"})


@pytest.mark.parametrize("code", list(STEP_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_step_mistakes(code, lang):
    res = run(ex.check_ddim_step, STEP_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("ddim_step", code, lang).split("{")[0] in res.message
    if code.startswith("sigma:"):  # the σ hint is quoted inside the step's hint
        assert hint_text("ddim_sigma", code.split(":")[1], lang) in res.message


def test_step_mistake_codes_are_all_tested():
    assert set(ex.MISTAKES["ddim_step"]) == set(STEP_STUDENTS) | set(i20.STEP)


def test_step_brief_examples_in_words():
    res = run(ex.check_ddim_step, STEP_STUDENTS["dir_no_sigma"])
    assert "√(1−ᾱ_{t−1})" in res.message and "η > 0" in res.message
    res = run(ex.check_ddim_step, STEP_STUDENTS["x0_alpha_for_abar"])
    assert "one-step α_t" in res.message


def test_step_noise_none_at_eta_zero():
    def student(x_t, eps, a, p, eta=0.0, noise=None):
        x_prev, x0 = ex.solution_function("ddim_step")(x_t, eps, a, p, eta, torch.zeros_like(x_t))
        return x_prev + 0.0 * noise, x0  # fails when noise is None

    res = run(ex.check_ddim_step, student)
    assert res.mistake == "noise_none" and "TypeError" in res.message


def test_step_math_sqrt_is_float_only():
    def student(x_t, eps, a, p, eta=0.0, noise=None):
        s = eta * math.sqrt((1 - p) / (1 - a)) * math.sqrt(1 - a / p)
        x0 = (x_t - math.sqrt(1 - a) * eps) / math.sqrt(a)
        x_prev = math.sqrt(p) * x0 + math.sqrt(max(1 - p - s * s, 0.0)) * eps
        return (x_prev + s * noise if eta > 0 else x_prev), x0

    res = run(ex.check_ddim_step, student)
    assert res.mistake == "float_only"


def test_step_changes_input_in_place():
    def student(x_t, eps, a, p, eta=0.0, noise=None):
        x_prev, x0 = ex.solution_function("ddim_step")(x_t.clone(), eps, a, p, eta, noise)
        x_t.zero_()
        return x_prev, x0

    res = run(ex.check_ddim_step, student)
    assert res.mistake == "inplace" and "x_t" in res.message


# ---- functions that raise, or return junk, fail cleanly ---------------------------------------------------
def boom(*args, **kwargs):
    raise RuntimeError("student bug")


@pytest.mark.parametrize("name", list(CHECKERS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_raising_function_fails_with_message(name, lang, capsys):
    assert CHECKERS[name](boom, lang=lang) is False  # and nothing escapes
    out = capsys.readouterr().out
    assert "RuntimeError: student bug" in out and out.startswith("✗")
    assert ex.last_result().mistake == "raised"


@pytest.mark.parametrize("name", list(CHECKERS))
def test_unwritten_stub(name, capsys):
    # a lecture's exercise cell ships a stub; checking it must print, return False and keep nbval green
    def stub(*args):
        raise NotImplementedError

    assert CHECKERS[name](stub, lang="ko") is False
    assert "NotImplementedError" in capsys.readouterr().out and ex.last_result().mistake == "not_implemented"


@pytest.mark.parametrize("name", list(CHECKERS))
def test_wrong_parameters_name_the_signature(name):
    res = run(CHECKERS[name], lambda: 0.5)
    assert res.mistake == "signature" and "TypeError" in res.message and "fn(" in res.message


@pytest.mark.parametrize("name", list(CHECKERS))
def test_not_callable(name):
    res = run(CHECKERS[name], 0.5)
    assert res.mistake == "not_callable" and "float" in res.message


@pytest.mark.parametrize("check, fn, code", [
    (ex.check_ddim_sigma, lambda a, p, eta: torch.full((3, 3), 0.1, dtype=torch.float64), "shape"),
    (ex.check_ddim_sigma, lambda a, p, eta: float("nan"), "nan"),
    (ex.check_ddim_sigma, lambda a, p, eta: None, "returned_none"),  # a stub: "not yet", not an error
    (ex.check_ddim_sigma, lambda a, p, eta: "0.1", "type"),
    (ex.check_ddim_step, lambda x, e, a, p, eta=0.0, noise=None: x, "type"),  # one tensor, not a pair
    (ex.check_ddim_step, lambda x, e, a, p, eta=0.0, noise=None: (x[:1], x), "shape"),
    (ex.check_ddim_step, lambda x, e, a, p, eta=0.0, noise=None: (x * float("nan"), x * float("nan")), "nan"),
    (ex.check_posterior_mean, lambda x0, xt, a, p: xt.sum(), "shape"),
    (ex.check_posterior_mean, lambda x0, xt, a, p: xt * float("inf"), "nan"),
    (ex.check_x0_pred, lambda x, e, a: x.unsqueeze(0), "shape"),
    (ex.check_alpha_bar, lambda b: b * float("nan"), "nan"),
    (ex.check_timesteps, lambda T, S: [[0]], "shape"),
    (ex.check_timesteps, lambda T, S: None, "returned_none"),
])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_bad_outputs_fail_cleanly(check, fn, code, lang):
    res = run(check, fn, lang)
    assert not res.passed and res.mistake == code, res.message
    assert res.message.count("\n") >= 1  # a header and an explanation


def test_nan_message_names_nan():
    res = run(ex.check_ddim_sigma, lambda a, p, eta: float("nan"))
    assert "NaN" in res.message


def test_complex_output_is_explained():
    # (negative) ** 0.5 is complex in Python; the swap is still recognised and the complex result explained
    res = run(ex.check_ddim_sigma, SIGMA_STUDENTS["second_swapped"])
    assert res.mistake == "second_swapped" and dt.tr("ex_complex", "en") in res.message


# ---- posterior mean -----------------------------------------------------------------------------------------
def make_post(c1=None, c2=None, swap=False):
    def post(x0, xt, a, p):
        alpha, beta = a / p, 1 - a / p
        k1 = c1(a, p, alpha, beta) if c1 else p**0.5 * beta / (1 - a)
        k2 = c2(a, p, alpha, beta) if c2 else alpha**0.5 * (1 - p) / (1 - a)
        return k2 * x0 + k1 * xt if swap else k1 * x0 + k2 * xt

    return post


POSTERIOR_STUDENTS = {
    "swapped_coefs": make_post(swap=True),
    "abar_swapped": lambda x0, xt, a, p: make_post()(x0, xt, p, a),
    "coef1_sqrt_abar": make_post(c1=lambda a, p, al, be: a**0.5 * be / (1 - a)),
    "coef2_sqrt_abar": make_post(c2=lambda a, p, al, be: a**0.5 * (1 - p) / (1 - a)),
    "beta_as_abar": make_post(c1=lambda a, p, al, be: p**0.5 * (1 - a) / (1 - a)),
    "alpha_in_denominator": make_post(c1=lambda a, p, al, be: p**0.5 * be / (1 - al),
                                      c2=lambda a, p, al, be: al**0.5 * (1 - p) / (1 - al)),
    "prev_in_denominator": make_post(c1=lambda a, p, al, be: p**0.5 * be / (1 - p),
                                     c2=lambda a, p, al, be: al**0.5 * (1 - p) / (1 - p)),
    "no_sqrt": make_post(c1=lambda a, p, al, be: p * be / (1 - a), c2=lambda a, p, al, be: al * (1 - p) / (1 - a)),
    "coef1_no_sqrt": make_post(c1=lambda a, p, al, be: p * be / (1 - a)),
    "coef2_no_sqrt": make_post(c2=lambda a, p, al, be: al * (1 - p) / (1 - a)),
}


@pytest.mark.parametrize("code", list(POSTERIOR_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_posterior_mistakes(code, lang):
    res = run(ex.check_posterior_mean, POSTERIOR_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("posterior_mean", code, lang) in res.message


def test_posterior_codes_all_tested():
    assert set(ex.MISTAKES["posterior_mean"]) == set(POSTERIOR_STUDENTS) | set(i20.POSTERIOR)


# ---- timesteps ------------------------------------------------------------------------------------------------
TS_STUDENTS = {
    "ascending": lambda T, S: [i * (T // S) for i in range(S)],
    "one_based": lambda T, S: [i * (T // S) + 1 for i in range(S)][::-1],
    "minus_one": lambda T, S: [i * (T // S) - 1 for i in range(S)][::-1],
    "inclusive_end": lambda T, S: list(range(0, T + 1, T // S))[::-1],
    "range_len": lambda T, S: list(range(0, T, T // S))[::-1],
    "float_step": lambda T, S: [int(i * T / S) for i in range(S)][::-1],
    "shifted_up": lambda T, S: [(i + 1) * (T // S) for i in range(S)][::-1],
    "linspace": lambda T, S: torch.linspace(0, T - 1, S).round().long().flip(0),
    "trailing": lambda T, S: dt.make_timesteps(T, S, "trailing"),
}


@pytest.mark.parametrize("code", list(TS_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_timesteps_mistakes(code, lang):
    res = run(ex.check_timesteps, TS_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("timesteps", code, lang) in res.message


def test_timesteps_codes_all_tested():
    assert set(ex.MISTAKES["timesteps"]) == set(TS_STUDENTS) | set(i20.TIMESTEPS)


@pytest.mark.parametrize("fn, code, words", [
    (lambda T, S: [i * (T // S) for i in range(S)][::-1][:-1], "wrong_count", "expected"),
    (lambda T, S: [i * (T // S) + 5 for i in range(S)][::-1], "not_ending_at_zero", "ends at 5"),
    (lambda T, S: [T + 3] + [i * (T // S) for i in range(S - 1)][::-1], "out_of_range", "[0, T − 1]"),
    (lambda T, S: [0] * S, "not_descending", "strictly descending"),
    (lambda T, S: [float(i * (T // S)) for i in range(S)][::-1], "floats", "integers"),
])
def test_timesteps_inspected_mistakes(fn, code, words):
    res = run(ex.check_timesteps, fn)
    assert res.mistake == code and words in res.message, res.message


def test_timesteps_accepts_lists_arrays_tensors():
    import numpy as np

    assert run(ex.check_timesteps, lambda T, S: np.arange(S)[::-1] * (T // S)).passed
    assert run(ex.check_timesteps, lambda T, S: tuple(i * (T // S) for i in reversed(range(S)))).passed


# ---- x̂₀ -------------------------------------------------------------------------------------------------------
X0_STUDENTS = {
    "no_sqrt": lambda x, e, a: (x - (1 - a) * e) / a,
    "no_sqrt_num": lambda x, e, a: (x - (1 - a) * e) / a**0.5,
    "no_sqrt_den": lambda x, e, a: (x - (1 - a) ** 0.5 * e) / a,
    "roles_swapped": lambda x, e, a: (x - a**0.5 * e) / (1 - a) ** 0.5,
    "sign": lambda x, e, a: (x + (1 - a) ** 0.5 * e) / a**0.5,
    "times": lambda x, e, a: a**0.5 * (x - (1 - a) ** 0.5 * e),
}
X0_SCHEDULE_STUDENTS = {
    "alpha_for_abar": lambda x, e, sch, t: X0_REF(x, e, sch.alphas[t]),
    "prev_for_abar": lambda x, e, sch, t: X0_REF(x, e, sch.alphas_cumprod[t - 1]),
    "next_for_abar": lambda x, e, sch, t: X0_REF(x, e, sch.alphas_cumprod[t + 1]),
}
X0_REF = ex.solution_function("x0_pred")


@pytest.mark.parametrize("code", list(X0_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_x0_mistakes(code, lang):
    res = run(ex.check_x0_pred, X0_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("x0_pred", code, lang) in res.message
    # the same mistake inside the schedule form
    fn = X0_STUDENTS[code]
    res = run(ex.check_x0_pred, lambda x, e, sch, t: fn(x, e, sch.alphas_cumprod[t]), lang)
    assert res.mistake == code


@pytest.mark.parametrize("code", list(X0_SCHEDULE_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_x0_schedule_mistakes(code, lang):
    res = run(ex.check_x0_pred, X0_SCHEDULE_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("x0_pred", code, lang) in res.message


def test_x0_codes_all_tested_and_form_choice():
    assert set(ex.MISTAKES["x0_pred"]) == set(X0_STUDENTS) | set(X0_SCHEDULE_STUDENTS)
    # alphas_cumprod_prev[t] is the same off-by-one as alphas_cumprod[t − 1]
    res = run(ex.check_x0_pred, lambda x, e, sch, t: X0_REF(x, e, sch.alphas_cumprod_prev[t]))
    assert res.mistake == "prev_for_abar"
    with pytest.raises(ValueError, match="form must be"):
        ex.check_x0_pred(X0_REF, form="nope")
    # an explicit form overrides the parameter count
    assert run(ex.check_x0_pred, lambda *args: X0_REF(*args), form="alpha_bar").passed


# ---- ᾱ --------------------------------------------------------------------------------------------------------
AB_STUDENTS = {
    "returns_alpha": lambda b: 1 - b,
    "shift_prev": lambda b: torch.cat([torch.ones(1, dtype=b.dtype), torch.cumprod(1 - b, 0)[:-1]]),
    "cumprod_beta": lambda b: torch.cumprod(b, 0),
    "one_minus_cumsum": lambda b: 1 - torch.cumsum(b, 0),
    "sqrt": lambda b: torch.cumprod(1 - b, 0).sqrt(),
    "one_minus": lambda b: 1 - torch.cumprod(1 - b, 0),
}


@pytest.mark.parametrize("code", list(AB_STUDENTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_alpha_bar_mistakes(code, lang):
    res = run(ex.check_alpha_bar, AB_STUDENTS[code], lang)
    assert not res.passed and res.mistake == code, res.message
    assert hint_text("alpha_bar", code, lang) in res.message


def test_alpha_bar_codes_all_tested():
    assert set(ex.MISTAKES["alpha_bar"]) == set(AB_STUDENTS)


@pytest.mark.parametrize("fn, code", [
    (lambda b: torch.cat([torch.ones(1, dtype=b.dtype), torch.cumprod(1 - b, 0)]), "prepended_one"),
    (lambda b: torch.prod(1 - b), "total_product"),
    (lambda b: torch.cumprod(1 - b, 0)[1:], "wrong_length"),
])
def test_alpha_bar_shape_mistakes(fn, code):
    res = run(ex.check_alpha_bar, fn)
    assert res.mistake == code and hint_text("alpha_bar", code, "en").split("{")[0] in res.message


# ---- language, printing, tolerance ------------------------------------------------------------------------------
def test_language_follows_set_language(capsys):
    old = dt.get_language()
    try:
        dt.set_language("ko")
        assert ex.check_ddim_sigma(SIGMA_STUDENTS["variance"]) is False
        out = capsys.readouterr().out
        assert "힌트" in out and dt.tr("ex_hint_ddim_sigma_variance", "ko") in out
        assert ex.check_ddim_sigma(SOLUTION_SIGMA) is True
        assert "정답" in capsys.readouterr().out
    finally:
        dt.set_language(old)


def test_verbose_false_prints_nothing(capsys):
    assert ex.check_ddim_step(STEP_STUDENTS["dir_no_sigma"], verbose=False) is False
    assert capsys.readouterr().out == ""


def test_other_seeds_still_pass_and_diagnose():
    for seed in (1, 2):
        assert ex.check_ddim_step(ex.solution_function("ddim_step"), verbose=False, seed=seed)
        assert not ex.check_ddim_step(STEP_STUDENTS["dir_no_sigma"], verbose=False, seed=seed)
        assert ex.last_result().mistake == "dir_no_sigma"


def _rel(g, w):
    fin = torch.isfinite(w)
    if g.shape != w.shape or not torch.equal(fin, torch.isfinite(g)):
        return math.inf
    return float((g - w)[fin].abs().max() / w[fin].abs().max()) if fin.any() else 0.0


def test_tolerance_covers_float32_and_separates():
    """RTOL lies between float32 round-off and the closest pair of forms the checker must tell apart.

    Measured with seed 0: float32 students are off by ≤ 6e-6 (ddim_sigma; ≤ 1.5e-6 elsewhere); the closest
    wrong form is ≥ 7e-3 from the reference or from another wrong form (x0_pred, schedule form).
    """
    builders = {
        "ddim_sigma": ex._sigma_cases(0), "ddim_step": ex._step_cases(0), "posterior_mean": ex._posterior_cases(0),
        "x0_pred": ex._x0_cases(0, "alpha_bar"), "x0_pred_schedule": ex._x0_cases(0, "schedule"),
    }
    for name, cases in builders.items():
        forms = ["ref"] + list(cases[0].variants)
        for f, g in itertools.combinations(forms, 2):
            sep = 0.0
            for c in cases:
                vf = c.ref if f == "ref" else c.variants[f]
                vg = c.ref if g == "ref" else c.variants[g]
                sep = max([sep] + [_rel(x, y) for x, y in zip(vf, vg) if x is not None and y is not None])
            assert sep > 50 * ex.RTOL, (name, f, g, sep)

    def f32(fn):
        def wrapped(*args):
            args = [a.float() if isinstance(a, torch.Tensor) and a.is_floating_point() else a for a in args]
            return fn(*args)
        return wrapped

    for name in ("ddim_sigma", "ddim_step", "posterior_mean", "x0_pred"):
        for c in builders[name]:
            if c.kind != "tensor":
                continue
            out = f32(ex.solution_function(name))(*c.args)
            out = out if isinstance(out, tuple) else (out,)
            for g, w in zip(out, c.ref):
                assert _rel(g.double(), w) < ex.RTOL / 10, name
