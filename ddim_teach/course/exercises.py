"""Checkers for the lectures' exercises: a student writes a function, a checker compares it with the package.

Each checker takes the student's function, runs it on random inputs (fixed seed, so a notebook prints
the same feedback every time), compares every output with the package's reference, prints feedback
in the current language (``ddim_teach.set_language``) and returns ``True`` or ``False``.

    check_ddim_sigma(fn)       fn(alpha_bar, alpha_bar_prev, eta) -> σ                       (DDIM Eq. 16)
    check_ddim_step(fn)        fn(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None)
                                   -> (x_prev, x0_pred)                                    (DDIM Eq. 9, 12)
    check_posterior_mean(fn)   fn(x_0, x_t, alpha_bar, alpha_bar_prev) -> μ̃_t            (DDPM Eq. 7)
    check_timesteps(fn)        fn(T, S) -> descending τ, the "leading" spacing
    check_x0_pred(fn)          fn(x_t, eps, alpha_bar) or fn(x_t, eps, schedule, t) -> x̂₀   (DDIM Eq. 9)
    check_alpha_bar(fn)        fn(betas) -> ᾱ, the cumulative product of 1 - β

How a mistake is named: the checker also computes the known-wrong variants of each formula (ᾱ_t where
ᾱ_{t-1} belongs, σ for σ², a missing square root, ...). When the student's outputs match one variant on
every case, the hint names that mistake. ``last_result()`` returns the last check as a ``CheckResult``
whose ``mistake`` is the variant's code (``MISTAKES`` lists them), or a failure kind such as
``"raised"``, ``"nan"``, ``"shape"``.

A student's exception never escapes: a function that raises fails with a message naming the exception.

``solution(name)`` returns the source of a short reference solution written for students, for a lecture
to reveal on demand; ``print(solution("ddim_sigma"))`` shows it.

Inputs: the σ/step/posterior/x̂₀ checkers pass ᾱ both as Python floats and as float64 tensors that
broadcast against x (shape (B, 1, ...)), since the package's functions accept both. Schedules: linear,
cosine and scaled_linear with T = 1000 (the posterior also a 10-step schedule with large β, where ᾱ_t and
ᾱ_{t−1} differ enough to tell every mistake apart). Timestep pairs for σ and the step: consecutive
(t → t−1), 20- and 100-step jumps of the leading τ, and the last step t → 0 (ᾱ_{t−1} = 1); η ∈ {0, 0.5, 1}.
Only the ordinary denoising direction ᾱ_{t−1} > ᾱ_t is checked.
"""
from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

# the references are the package's public functions, taken from the package namespace so that they
# follow wherever the package keeps them (the package itself does not import this module)
from .. import i18n
from ..core.step import ddim_sigma as _ref_ddim_sigma
from ..core.step import ddim_step as _ref_ddim_step
from ..core.schedule import make_schedule
from ..core.timesteps import make_timesteps
from ..core.forward import q_posterior_mean_variance

__all__ = [
    "check_ddim_sigma",
    "check_ddim_step",
    "check_posterior_mean",
    "check_timesteps",
    "check_paired_interval",
    "check_x0_pred",
    "check_alpha_bar",
    "solution",
    "SOLUTIONS",
    "solution_function",
    "last_result",
    "CheckResult",
    "MISTAKES",
]

# Tolerance of a match (to the reference and to a wrong variant): |got - want| <= ATOL + RTOL * max|want|,
# per output and per case. Measured (tests/test_exercises.py::test_tolerance_covers_float32_and_separates):
# a student who computes everything in float32 is off the float64 reference by at most ~1e-6 (relative to
# max|want|) on these cases; the closest wrong variant is off by more than 2e-3. RTOL sits between the two.
RTOL = 1e-4
ATOL = 1e-7


@dataclass
class CheckResult:
    """The outcome of the last check: ``passed``, the ``mistake`` code (None when passed) and the printed text."""

    exercise: str
    passed: bool
    mistake: str | None
    message: str
    lang: str
    n_cases: int = 0

    def __bool__(self) -> bool:
        return self.passed


_LAST: dict = {"result": None}


def last_result() -> CheckResult | None:
    """The ``CheckResult`` of the most recent check (None before the first)."""
    return _LAST["result"]


# ---- texts ------------------------------------------------------------------------------------------------
# Fields are written {name} and filled by _t (plain replacement, so the maths' own braces need no escaping).
_TEXTS = {
    "ex_pass": {
        "en": "✓ Correct: {name} matches the reference on all {n} test cases ({what}).",
        "ko": "✓ 정답입니다: {name} — 시험 사례 {n}개 모두에서 기준 구현과 일치합니다 ({what}).",
    },
    "ex_fail": {"en": "✗ Not yet: {name}.", "ko": "✗ 아직 아닙니다: {name}."},
    "ex_hint": {"en": "Hint: {hint}", "ko": "힌트: {hint}"},
    "ex_mismatch": {
        "en": "At {where}: expected {want}, got {got}.",
        "ko": "{where}에서: 기댓값 {want}, 결과 {got}.",
    },
    "ex_mismatch_part": {
        "en": "{part} at {where}: expected {want}, got {got}.",
        "ko": "{where}에서 {part}: 기댓값 {want}, 결과 {got}.",
    },
    "ex_at_index": {"en": "{value} (at index {idx})", "ko": "{value} (인덱스 {idx})"},
    "ex_raised": {
        "en": "Your function raised {exc} at {where}.",
        "ko": "{where}에서 함수가 예외를 일으켰습니다: {exc}.",
    },
    "ex_also_raised": {
        "en": "(On some inputs it raised {exc}: there this formula has no real value.)",
        "ko": "(일부 입력에서는 {exc} 예외가 났습니다. 그 입력에서 이 식은 실수 값을 갖지 않습니다.)",
    },
    "ex_not_callable": {
        "en": "Pass your function itself (without calling it); got a {type}.",
        "ko": "함수를 호출하지 말고 함수 자체를 넘기세요. 받은 것: {type}.",
    },
    "ex_bad_type": {
        "en": "At {where} it returned a {type}; expected {expected}.",
        "ko": "{where}에서 반환값의 자료형이 {type}입니다. 기대한 것: {expected}.",
    },
    "ex_bad_shape": {
        "en": "At {where} it returned shape {got}; expected shape {want}.",
        "ko": "{where}에서 반환값의 모양(shape)이 {got}입니다. 기대한 모양: {want}.",
    },
    "ex_nan": {
        "en": "At {where} the result contains NaN or inf.",
        "ko": "{where}에서 결과에 NaN 또는 inf가 있습니다.",
    },
    "ex_complex": {
        "en": "It returned a complex number: a square root of a negative number (in Python, (-x) ** 0.5 is complex).",
        "ko": "복소수를 반환했습니다: 음수의 제곱근입니다(Python에서 (-x) ** 0.5는 복소수입니다).",
    },
    "ex_inplace": {
        "en": "Your function changed its input {arg} in place. Compute a new tensor instead (x = x - ..., not x -= ...).",
        "ko": "함수가 입력 인자 {arg}의 값을 제자리(in-place)에서 바꿨습니다. 새 텐서를 만드세요(x -= ... 대신 x = x - ...).",
    },
    "ex_float_only": {
        "en": "It works on Python floats but not on tensors: math.sqrt takes a single number. "
        "Write the square root as ** 0.5, which works on floats and tensors alike.",
        "ko": "Python float에서는 되지만 텐서에서는 안 됩니다: math.sqrt는 숫자 하나만 받습니다. "
        "제곱근을 ** 0.5로 쓰면 float와 텐서 모두에서 동작합니다.",
    },
    "ex_tensor_only": {
        "en": "It works on tensors but not on Python floats: torch.sqrt (and torch.* in general) needs a tensor. "
        "Write the square root as ** 0.5, which works on floats and tensors alike.",
        "ko": "텐서에서는 되지만 Python float에서는 안 됩니다: torch.sqrt 같은 torch 함수는 텐서를 받습니다. "
        "제곱근을 ** 0.5로 쓰면 float와 텐서 모두에서 동작합니다.",
    },
    "ex_noise_none": {
        "en": "At η = 0 the step is deterministic and noise is None: add the noise term only when eta > 0.",
        "ko": "η = 0이면 스텝은 결정론적이고 noise는 None입니다: 노이즈 항은 eta > 0일 때만 더하세요.",
    },
    "ex_domain": {
        "en": "A square root of a negative number, or a division by zero: check which of ᾱ_t and ᾱ_{t−1} goes where.",
        "ko": "음수의 제곱근이나 0으로 나누기가 생겼습니다: ᾱ_t와 ᾱ_{t−1}이 각각 제자리에 있는지 확인하세요.",
    },
    "ex_not_implemented": {
        "en": "Not written yet: replace `raise NotImplementedError` with your code, then run this cell again.",
        "ko": "아직 작성하지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾼 뒤 이 셀을 다시 실행하세요.",
    },
    "ex_returned_none": {
        "en": "Your function returns None: end it with `return` and the result, then run this cell again.",
        "ko": "함수가 None을 돌려줍니다: 결과를 `return`으로 돌려주도록 마무리한 뒤 이 셀을 다시 실행하세요.",
    },
    "ex_signature": {
        "en": "The checker calls your function as {sig}: check its parameters.",
        "ko": "검사기는 함수를 {sig} 형태로 호출합니다: 매개변수를 확인하세요.",
    },
    "ex_pair_expected": {"en": "a pair (x_prev, x0_pred)", "ko": "쌍 (x_prev, x0_pred)"},
    "ex_number_expected": {"en": "a number or a tensor", "ko": "숫자 또는 텐서"},
    "ex_sequence_expected": {"en": "a list, array or tensor of integers", "ko": "정수의 리스트, 배열 또는 텐서"},
    # where
    "ex_where_pair": {
        "en": "ᾱ_t = {a}, ᾱ_{t−1} = {p}, η = {eta} ({sched} schedule, t = {t} → {tp}, {kind})",
        "ko": "ᾱ_t = {a}, ᾱ_{t−1} = {p}, η = {eta} ({sched} 스케줄, t = {t} → {tp}, {kind})",
    },
    "ex_where_post": {
        "en": "ᾱ_t = {a}, ᾱ_{t−1} = {p} ({sched} schedule, t = {t}, {kind})",
        "ko": "ᾱ_t = {a}, ᾱ_{t−1} = {p} ({sched} 스케줄, t = {t}, {kind})",
    },
    "ex_where_x0": {
        "en": "ᾱ_t = {a} ({sched} schedule, t = {t}, {kind})",
        "ko": "ᾱ_t = {a} ({sched} 스케줄, t = {t}, {kind})",
    },
    "ex_where_x0_schedule": {
        "en": "{sched} schedule, table index t = {k} (paper's t = {t})",
        "ko": "{sched} 스케줄, 배열 인덱스 t = {k} (논문의 t = {t})",
    },
    "ex_where_ts": {"en": "T = {T}, S = {S}", "ko": "T = {T}, S = {S}"},
    "ex_where_betas": {"en": "the {sched} betas (T = {T})", "ko": "{sched} β 배열 (T = {T})"},
    "ex_kind_float": {"en": "Python floats", "ko": "Python float"},
    "ex_kind_tensor": {"en": "tensors", "ko": "텐서"},
    # what was checked
    "ex_what_pairs": {
        "en": "floats and tensors, η ∈ {0, 0.5, 1}, 3 schedules, 1-, 20- and 100-step jumps and the last step",
        "ko": "float와 텐서, η ∈ {0, 0.5, 1}, 스케줄 3종, 1·20·100 스텝 건너뛰기와 마지막 스텝",
    },
    "ex_what_post": {
        "en": "floats and tensors, 4 schedules, t ≥ 2",
        "ko": "float와 텐서, 스케줄 4종, t ≥ 2",
    },
    "ex_what_x0": {
        "en": "floats and tensors, 3 schedules, t from 2 to 999",
        "ko": "float와 텐서, 스케줄 3종, t = 2…999",
    },
    "ex_what_x0_schedule": {"en": "3 schedules, t from 2 to 999", "ko": "스케줄 3종, t = 2…999"},
    "ex_what_paired": {
        "en": "rows of 3, 5 and 8 seeds, with and without a shared seed effect",
        "ko": "시드 3개, 5개, 8개인 줄, 시드 효과를 공유하는 경우와 아닌 경우",
    },
    "ex_where_paired": {"en": "two rows of {n} seeds", "ko": "시드 {n}개인 두 줄"},
    "ex_what_ts": {
        "en": "T and S with S dividing T and not, S = 1 and S = T",
        "ko": "S가 T의 약수인 경우와 아닌 경우, S = 1, S = T",
    },
    "ex_what_betas": {
        "en": "linear, cosine and scaled_linear betas and a short random table",
        "ko": "linear, cosine, scaled_linear β와 짧은 무작위 배열",
    },
    "ex_ts_floats": {
        "en": "τ holds floats. Timesteps index tables, so return integers (dtype int64, or .astype(int)).",
        "ko": "τ에 실수가 들어 있습니다. 타임스텝은 배열의 인덱스이므로 정수를 반환하세요(dtype int64, 또는 .astype(int)).",
    },
}

# Hints, one per recognised mistake: MISTAKES[exercise] lists the codes in the order they are tried.
_HINTS = {
    "ddim_sigma": {
        "ratio_inverted": {
            "en": "The first factor is upside down: you have √((1−ᾱ_t)/(1−ᾱ_{t−1})), Eq. 16 has √((1−ᾱ_{t−1})/(1−ᾱ_t)). "
            "ᾱ_t and ᾱ_{t−1} are swapped there.",
            "ko": "첫 번째 인수가 뒤집혔습니다: √((1−ᾱ_t)/(1−ᾱ_{t−1}))로 계산했지만 Eq. 16은 √((1−ᾱ_{t−1})/(1−ᾱ_t))입니다. "
            "그 자리에서 ᾱ_t와 ᾱ_{t−1}이 바뀌었습니다.",
        },
        "second_swapped": {
            "en": "σ is NaN, or its square root failed: 1 − ᾱ_{t−1}/ᾱ_t is negative. The second factor is "
            "√(1 − ᾱ_t/ᾱ_{t−1}), with ᾱ_t on top. ᾱ_t and ᾱ_{t−1} are swapped there.",
            "ko": "σ가 NaN이거나 제곱근 계산이 실패했습니다: 1 − ᾱ_{t−1}/ᾱ_t는 음수입니다. 두 번째 인수는 "
            "√(1 − ᾱ_t/ᾱ_{t−1})이고 분자가 ᾱ_t입니다. 그 자리에서 ᾱ_t와 ᾱ_{t−1}이 바뀌었습니다.",
        },
        "no_first_factor": {
            "en": "Your σ at η = 1 equals √(1 − ᾱ_t/ᾱ_{t−1}), which is √β_t for a one-step jump (DDPM's larger "
            "variance), not √β̃_t. The factor √((1−ᾱ_{t−1})/(1−ᾱ_t)) became 1: is ᾱ_t where ᾱ_{t−1} belongs, "
            "or the reverse?",
            "ko": "η = 1에서 σ가 √β̃_t가 아니라 √(1 − ᾱ_t/ᾱ_{t−1})와 같습니다. 한 스텝이면 이것은 √β_t(DDPM의 큰 분산)입니다. "
            "인수 √((1−ᾱ_{t−1})/(1−ᾱ_t))가 1이 되었습니다. ᾱ_{t−1} 자리에 ᾱ_t를 (또는 반대로) 쓰지 않았나요?",
        },
        "variance": {
            "en": "You returned σ², not σ. Eq. 16 gives the standard deviation: take the square root of "
            "(1−ᾱ_{t−1})/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_{t−1}) and multiply by η.",
            "ko": "σ가 아니라 σ²(분산)을 반환했습니다. Eq. 16은 표준편차를 줍니다: "
            "(1−ᾱ_{t−1})/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_{t−1})의 제곱근에 η를 곱하세요.",
        },
        "no_sqrt": {
            "en": "A square root is missing: you returned η·(1−ᾱ_{t−1})/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_{t−1}). "
            "Both factors of Eq. 16 sit under a square root.",
            "ko": "제곱근이 빠졌습니다: η·(1−ᾱ_{t−1})/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_{t−1})를 반환했습니다. "
            "Eq. 16의 두 인수는 모두 제곱근 안에 있습니다.",
        },
        "no_sqrt_first": {
            "en": "A square root is missing on the first factor: it is √((1−ᾱ_{t−1})/(1−ᾱ_t)).",
            "ko": "첫 번째 인수에 제곱근이 빠졌습니다: √((1−ᾱ_{t−1})/(1−ᾱ_t))입니다.",
        },
        "no_sqrt_second": {
            "en": "A square root is missing on the second factor: it is √(1 − ᾱ_t/ᾱ_{t−1}).",
            "ko": "두 번째 인수에 제곱근이 빠졌습니다: √(1 − ᾱ_t/ᾱ_{t−1})입니다.",
        },
        "eta_inside": {
            "en": "η is under the square root. Eq. 16 multiplies the square root by η, so σ grows linearly in η.",
            "ko": "η가 제곱근 안에 있습니다. Eq. 16은 제곱근에 η를 곱하므로 σ는 η에 비례합니다.",
        },
        "alpha_abar": {
            "en": "Your σ equals η·√(1−ᾱ_{t−1}): the cumulative ᾱ_t and the one-step α_t = ᾱ_t/ᾱ_{t−1} are mixed up. "
            "The first factor uses 1 − ᾱ_t (cumulative), the second 1 − ᾱ_t/ᾱ_{t−1} (one step).",
            "ko": "σ가 η·√(1−ᾱ_{t−1})와 같습니다: 누적곱 ᾱ_t와 한 스텝의 α_t = ᾱ_t/ᾱ_{t−1}이 섞였습니다. "
            "첫 번째 인수에는 1 − ᾱ_t(누적), 두 번째 인수에는 1 − ᾱ_t/ᾱ_{t−1}(한 스텝)이 들어갑니다.",
        },
        "eta_squared": {
            "en": "Your σ has η² where Eq. 16 has η: σ is η times the square roots, so η multiplies σ once "
            "(η² is how it multiplies the variance σ²). At η = 0.5 your σ is half the right one.",
            "ko": "Eq. 16의 η 자리에 η²를 썼습니다: σ는 제곱근들에 η를 한 번 곱한 값입니다(η²는 분산 σ²에 곱해지는 값입니다). "
            "η = 0.5에서 σ가 정답의 절반입니다.",
        },
        "no_eta": {
            "en": "η is missing: your σ is the η = 1 value at every η. Eq. 16 multiplies the square roots by η, "
            "so η = 0 gives σ = 0 (DDIM) and η = 1 gives DDPM's posterior noise.",
            "ko": "η가 빠졌습니다: 어떤 η에서도 η = 1의 σ를 반환합니다. Eq. 16은 제곱근들에 η를 곱하므로 "
            "η = 0이면 σ = 0(DDIM)이고 η = 1이면 DDPM 사후분포의 노이즈입니다.",
        },
        "one_minus_eta": {
            "en": "Your σ uses (1 − η) where Eq. 16 has η: it is the η = 1 noise at η = 0 and no noise at η = 1, "
            "the dial turned the wrong way. η = 0 must give σ = 0 (the deterministic DDIM).",
            "ko": "Eq. 16의 η 자리에 (1 − η)를 썼습니다: η = 0에서 η = 1의 노이즈를, η = 1에서 노이즈 0을 줍니다. "
            "다이얼이 거꾸로 돌았습니다. η = 0이면 σ = 0(결정론적 DDIM)이어야 합니다.",
        },
    },
    "ddim_step": {
        "swapped_outputs": {
            "en": "The values are right but in the wrong order: return (x_prev, x0_pred).",
            "ko": "값은 맞지만 순서가 바뀌었습니다: (x_prev, x0_pred) 순서로 반환하세요.",
        },
        "x0_alpha_for_abar": {
            "en": "Your x̂₀ uses the one-step α_t = ᾱ_t/ᾱ_{t−1} where ᾱ_t belongs. Eq. 9 is "
            "x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t, with the cumulative ᾱ_t.",
            "ko": "x̂₀에 ᾱ_t 대신 한 스텝의 α_t = ᾱ_t/ᾱ_{t−1}를 썼습니다. Eq. 9는 "
            "x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t이고, 누적곱 ᾱ_t를 씁니다.",
        },
        "x0_prev_for_abar": {
            "en": "Your x̂₀ uses ᾱ_{t−1} where ᾱ_t belongs. x_t was noised with ᾱ_t, so Eq. 9 undoes it with ᾱ_t.",
            "ko": "x̂₀에 ᾱ_t 대신 ᾱ_{t−1}을 썼습니다. x_t는 ᾱ_t로 노이즈가 더해졌으므로 Eq. 9도 ᾱ_t로 되돌립니다.",
        },
        "x0_no_sqrt": {
            "en": "Square roots are missing in x̂₀: you computed (x_t − (1−ᾱ_t) ε)/ᾱ_t. Eq. 9 is (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
            "ko": "x̂₀에 제곱근이 빠졌습니다: (x_t − (1−ᾱ_t) ε)/ᾱ_t로 계산했습니다. Eq. 9는 (x_t − √(1−ᾱ_t) ε)/√ᾱ_t입니다.",
        },
        "x0_no_sqrt_num": {
            "en": "A square root is missing in x̂₀: the noise coefficient is √(1−ᾱ_t), not 1 − ᾱ_t.",
            "ko": "x̂₀에 제곱근이 빠졌습니다: 노이즈 계수는 1 − ᾱ_t가 아니라 √(1−ᾱ_t)입니다.",
        },
        "x0_no_sqrt_den": {
            "en": "A square root is missing in x̂₀: divide by √ᾱ_t, not by ᾱ_t.",
            "ko": "x̂₀에 제곱근이 빠졌습니다: ᾱ_t가 아니라 √ᾱ_t로 나누세요.",
        },
        "x0_sign": {
            "en": "Sign: Eq. 9 subtracts the noise, x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
            "ko": "부호를 확인하세요: Eq. 9는 노이즈를 뺍니다, x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
        },
        "both_abar": {
            "en": "Your x_{t−1} uses ᾱ_t where ᾱ_{t−1} belongs in both terms, so at η = 0 it rebuilds x_t. "
            "The step moves to the noise level of t−1: √ᾱ_{t−1} x̂₀ + √(1−ᾱ_{t−1}−σ²) ε + σ z.",
            "ko": "x_{t−1}의 두 항 모두에 ᾱ_{t−1} 대신 ᾱ_t를 써서, η = 0이면 x_t를 그대로 다시 만듭니다. "
            "스텝은 t−1의 노이즈 수준으로 가야 합니다: √ᾱ_{t−1} x̂₀ + √(1−ᾱ_{t−1}−σ²) ε + σ z.",
        },
        "coef_abar": {
            "en": "Your x_{t−1} multiplies x̂₀ by √ᾱ_t; Eq. 12 uses √ᾱ_{t−1} (ᾱ_t where ᾱ_{t−1} belongs).",
            "ko": "x_{t−1}에서 x̂₀에 √ᾱ_t를 곱했습니다. Eq. 12는 √ᾱ_{t−1}을 씁니다(ᾱ_{t−1} 자리에 ᾱ_t).",
        },
        "dir_abar": {
            "en": "Your direction term uses √(1−ᾱ_t−σ²); Eq. 12 uses √(1−ᾱ_{t−1}−σ²) (ᾱ_t where ᾱ_{t−1} belongs).",
            "ko": "방향 항에 √(1−ᾱ_t−σ²)를 썼습니다. Eq. 12는 √(1−ᾱ_{t−1}−σ²)입니다(ᾱ_{t−1} 자리에 ᾱ_t).",
        },
        "dir_no_sigma": {
            "en": "The direction coefficient is √(1−ᾱ_{t−1}), right only at η = 0. With η > 0 it is √(1−ᾱ_{t−1}−σ²): "
            "the noise σ z takes its share σ² of the variance 1 − ᾱ_{t−1}.",
            "ko": "방향 계수가 √(1−ᾱ_{t−1})입니다. 이는 η = 0일 때만 맞습니다. η > 0이면 √(1−ᾱ_{t−1}−σ²)입니다: "
            "노이즈 σ z가 분산 1 − ᾱ_{t−1} 중 σ²만큼을 가져갑니다.",
        },
        "dir_sigma": {
            "en": "The direction term uses σ where σ² belongs: Eq. 12 has √(1−ᾱ_{t−1}−σ²).",
            "ko": "방향 항에 σ² 대신 σ를 썼습니다: Eq. 12는 √(1−ᾱ_{t−1}−σ²)입니다.",
        },
        "noise_sigma_sq": {
            "en": "The noise term uses σ² where σ belongs: add σ·z, since σ is a standard deviation.",
            "ko": "노이즈 항에 σ 대신 σ²를 썼습니다: σ는 표준편차이므로 σ·z를 더하세요.",
        },
        "coef_no_sqrt": {
            "en": "A square root is missing: the coefficient of x̂₀ is √ᾱ_{t−1}, not ᾱ_{t−1}.",
            "ko": "제곱근이 빠졌습니다: x̂₀의 계수는 ᾱ_{t−1}이 아니라 √ᾱ_{t−1}입니다.",
        },
        "dir_no_sqrt": {
            "en": "A square root is missing: the direction coefficient is √(1−ᾱ_{t−1}−σ²), not 1−ᾱ_{t−1}−σ².",
            "ko": "제곱근이 빠졌습니다: 방향 계수는 1−ᾱ_{t−1}−σ²가 아니라 √(1−ᾱ_{t−1}−σ²)입니다.",
        },
        "no_noise": {
            "en": "With η > 0 the step adds noise: + σ·z, where z is the noise argument.",
            "ko": "η > 0이면 스텝에 노이즈를 더합니다: + σ·z (z는 noise 인자).",
        },
        "noise_eta": {
            "en": "Your noise term is η·z. The noise added is σ·z, with σ from Eq. 16 (η times two square roots): "
            "η only sets σ, it is not the noise's size itself.",
            "ko": "노이즈 항을 η·z로 썼습니다. 더하는 노이즈는 σ·z이고, σ는 Eq. 16(제곱근 둘에 η를 곱한 값)입니다. "
            "η는 σ를 정할 뿐, 노이즈의 크기 자체가 아닙니다.",
        },
        "dir_sigma_no_eta": {
            "en": "The direction term uses σ without η: √(1 − ᾱ_{t−1} − σ²) needs the same σ = η·(…) as the noise "
            "term. With η left out there, the direction is that of η = 1 at every η.",
            "ko": "방향 항의 σ에 η가 빠졌습니다: √(1 − ᾱ_{t−1} − σ²)에는 노이즈 항과 같은 σ = η·(…)가 들어갑니다. "
            "거기서 η를 빼면 어떤 η에서도 방향이 η = 1의 방향이 됩니다.",
        },
        "sigma": {
            "en": "x_{t−1} matches a step whose σ is wrong. {sigma_hint} (Check σ alone with check_ddim_sigma.)",
            "ko": "x_{t−1}이 σ가 틀린 스텝과 일치합니다. {sigma_hint} (σ만 따로 check_ddim_sigma로 확인해 보세요.)",
        },
    },
    "posterior_mean": {
        "swapped_coefs": {
            "en": "The two coefficients are swapped: √ᾱ_{t−1} β_t/(1−ᾱ_t) multiplies x_0, and "
            "√α_t (1−ᾱ_{t−1})/(1−ᾱ_t) multiplies x_t.",
            "ko": "두 계수가 바뀌었습니다: x_0에는 √ᾱ_{t−1} β_t/(1−ᾱ_t), x_t에는 √α_t (1−ᾱ_{t−1})/(1−ᾱ_t)를 곱합니다.",
        },
        "abar_swapped": {
            "en": "ᾱ_t and ᾱ_{t−1} are exchanged throughout. ᾱ_t belongs to the current step t, ᾱ_{t−1} to the one before.",
            "ko": "식 전체에서 ᾱ_t와 ᾱ_{t−1}이 바뀌었습니다. ᾱ_t는 현재 스텝 t, ᾱ_{t−1}은 그 앞 스텝의 값입니다.",
        },
        "coef1_sqrt_abar": {
            "en": "The x_0 coefficient uses √ᾱ_t where √ᾱ_{t−1} belongs: it is √ᾱ_{t−1} β_t/(1−ᾱ_t).",
            "ko": "x_0의 계수에 √ᾱ_{t−1} 대신 √ᾱ_t를 썼습니다: 계수는 √ᾱ_{t−1} β_t/(1−ᾱ_t)입니다.",
        },
        "coef2_sqrt_abar": {
            "en": "The x_t coefficient uses the cumulative √ᾱ_t where the one-step √α_t = √(ᾱ_t/ᾱ_{t−1}) belongs.",
            "ko": "x_t의 계수에 한 스텝의 √α_t = √(ᾱ_t/ᾱ_{t−1}) 대신 누적곱 √ᾱ_t를 썼습니다.",
        },
        "beta_as_abar": {
            "en": "β_t is 1 − α_t = 1 − ᾱ_t/ᾱ_{t−1} (one step), not 1 − ᾱ_t: ᾱ_t is where α_t belongs.",
            "ko": "β_t는 1 − ᾱ_t가 아니라 1 − α_t = 1 − ᾱ_t/ᾱ_{t−1}(한 스텝)입니다: α_t 자리에 ᾱ_t를 썼습니다.",
        },
        "alpha_in_denominator": {
            "en": "The denominators are 1 − ᾱ_t (cumulative), not 1 − α_t = β_t: α_t is where ᾱ_t belongs.",
            "ko": "분모는 1 − α_t = β_t가 아니라 1 − ᾱ_t(누적)입니다: ᾱ_t 자리에 α_t를 썼습니다.",
        },
        "prev_in_denominator": {
            "en": "The denominators are 1 − ᾱ_t, not 1 − ᾱ_{t−1} (ᾱ_{t−1} where ᾱ_t belongs).",
            "ko": "분모는 1 − ᾱ_{t−1}이 아니라 1 − ᾱ_t입니다(ᾱ_t 자리에 ᾱ_{t−1}).",
        },
        "no_sqrt": {
            "en": "Square roots are missing: the coefficients are √ᾱ_{t−1} β_t/(1−ᾱ_t) and √α_t (1−ᾱ_{t−1})/(1−ᾱ_t).",
            "ko": "제곱근이 빠졌습니다: 계수는 √ᾱ_{t−1} β_t/(1−ᾱ_t)와 √α_t (1−ᾱ_{t−1})/(1−ᾱ_t)입니다.",
        },
        "coef1_no_sqrt": {
            "en": "A square root is missing in the x_0 coefficient: √ᾱ_{t−1}, not ᾱ_{t−1}.",
            "ko": "x_0 계수에 제곱근이 빠졌습니다: ᾱ_{t−1}이 아니라 √ᾱ_{t−1}입니다.",
        },
        "coef2_no_sqrt": {
            "en": "A square root is missing in the x_t coefficient: √α_t, not α_t.",
            "ko": "x_t 계수에 제곱근이 빠졌습니다: α_t가 아니라 √α_t입니다.",
        },
        "xt_sign": {
            "en": "The x_t term has the wrong sign: both coefficients are positive, "
            "μ̃_t = √ᾱ_{t−1} β_t/(1−ᾱ_t) · x_0 + √α_t (1−ᾱ_{t−1})/(1−ᾱ_t) · x_t.",
            "ko": "x_t 항의 부호가 틀렸습니다: 두 계수 모두 양수입니다. "
            "μ̃_t = √ᾱ_{t−1} β_t/(1−ᾱ_t) · x_0 + √α_t (1−ᾱ_{t−1})/(1−ᾱ_t) · x_t.",
        },
        "second_form_sigma": {
            "en": "In the second form you wrote σ_t where σ_t² belongs: the weight is √(1 − ᾱ_{t−1} − σ_t²) with "
            "σ_t² = β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t. With σ_t = √β̃_t in its place the root goes negative at small t "
            "(NaN, or a complex number from Python's ** 0.5).",
            "ko": "두 번째 모양에서 σ_t² 자리에 σ_t를 썼습니다: 무게는 √(1 − ᾱ_{t−1} − σ_t²)이고 "
            "σ_t² = β̃_t = (1−ᾱ_{t−1})/(1−ᾱ_t)·β_t입니다. 그 자리에 σ_t = √β̃_t를 넣으면 작은 t에서 루트 안이 음수가 됩니다"
            "(NaN, 또는 Python의 ** 0.5가 주는 복소수).",
        },
    },
    "paired_interval": {
        "unpaired": {
            "en": "You combined the two rows' spreads, √(s_a²/n + s_b²/n), as for independent samples. The rows share "
            "seeds, so take the difference seed by seed first: the half-width is t · sd(a − b) / √n.",
            "ko": "두 줄의 흩어짐을 √(s_a²/n + s_b²/n)처럼 독립 표본으로 합쳤습니다. 두 줄은 시드를 공유하므로 먼저 시드마다 "
            "차이를 구합니다: 반폭은 t · sd(a − b) / √n입니다.",
        },
        "sum_of_halfwidths": {
            "en": "You added the two rows' own half-widths. That is the overlap rule (two intervals touch), not an "
            "interval for the difference: take the per-seed differences and their t-interval.",
            "ko": "두 줄 각각의 반폭을 더했습니다. 그것은 두 구간이 맞닿는지 보는 규칙이지 차이의 구간이 아닙니다: "
            "시드별 차이를 구하고 그 t-구간을 쓰세요.",
        },
        "z_quantile": {
            "en": "You used 1.96, the normal quantile. With n seeds the spread is estimated, so the quantile is Student's t "
            "with n − 1 degrees of freedom (2.776 for 5 seeds).",
            "ko": "정규분포의 1.96을 썼습니다. 시드 n개로 흩어짐을 추정하므로 분위수는 자유도 n − 1인 스튜던트 t입니다"
            "(시드 5개면 2.776).",
        },
        "ddof0": {
            "en": "Your standard deviation divides by n. The sample standard deviation of the differences divides by "
            "n − 1 (torch.std's default; numpy needs ddof=1).",
            "ko": "표준편차를 n으로 나눴습니다. 차이의 표본 표준편차는 n − 1로 나눕니다(torch.std의 기본값, numpy는 ddof=1).",
        },
        "no_sqrt_n": {
            "en": "The interval is for the mean difference: divide the standard deviation by √n.",
            "ko": "구간은 차이의 평균에 대한 것입니다: 표준편차를 √n으로 나누세요.",
        },
    },
    "timesteps": {
        "ascending": {
            "en": "Your τ is ascending. Sampling walks from noise to data, so τ runs downwards: "
            "[(S−1)·k, …, k, 0] with k = T // S.",
            "ko": "τ가 오름차순입니다. 샘플링은 노이즈에서 데이터로 가므로 τ는 내림차순입니다: "
            "[(S−1)·k, …, k, 0], k = T // S.",
        },
        "one_based": {
            "en": "Your τ is the reference plus 1 (it ends at 1). Arrays are 0-based: index k is the paper's "
            "t = k + 1, so τ ends at index 0.",
            "ko": "τ가 정답보다 1씩 큽니다(1에서 끝납니다). 배열은 0부터 셉니다: 인덱스 k가 논문의 t = k + 1이므로 "
            "τ는 인덱스 0에서 끝납니다.",
        },
        "minus_one": {
            "en": "Your τ is the reference minus 1: it ends at −1, which is not an index.",
            "ko": "τ가 정답보다 1씩 작습니다: −1에서 끝나는데, −1은 인덱스가 아닙니다.",
        },
        "inclusive_end": {
            "en": "Your τ has S + 1 values and starts at T, but the last index is T − 1. "
            "Take S values i·(T // S), i = 0 … S−1, in descending order.",
            "ko": "τ에 값이 S + 1개이고 T에서 시작하지만, 마지막 인덱스는 T − 1입니다. "
            "i·(T // S) (i = 0 … S−1) S개를 내림차순으로 쓰세요.",
        },
        "range_len": {
            "en": "range(0, T, T // S) has more than S values when S does not divide T. "
            "Take exactly S values, e.g. arange(S) * (T // S).",
            "ko": "S가 T의 약수가 아니면 range(0, T, T // S)에는 값이 S개보다 많습니다. "
            "정확히 S개를 쓰세요. 예: arange(S) * (T // S).",
        },
        "float_step": {
            "en": "Your step is T / S, a float. The 'leading' spacing uses the integer step k = T // S, then τ_i = i·k.",
            "ko": "간격을 실수 T / S로 잡았습니다. 'leading' 간격은 정수 간격 k = T // S를 쓰고 τ_i = i·k입니다.",
        },
        "round_step": {
            "en": "Your τ is round(i·T/S): rounding the float step gives uneven gaps (33, 34, 33, …). The 'leading' "
            "spacing multiplies the integer step: τ_i = i·(T // S).",
            "ko": "τ를 round(i·T/S)로 만들었습니다: 실수 간격을 반올림하면 간격이 들쭉날쭉합니다(33, 34, 33, …). "
            "'leading' 간격은 정수 간격을 곱합니다: τ_i = i·(T // S).",
        },
        "shifted_up": {
            "en": "Your τ ends at T // S, not at 0: you used (i + 1)·k where i·k belongs.",
            "ko": "τ가 0이 아니라 T // S에서 끝납니다: i·k 대신 (i + 1)·k를 썼습니다.",
        },
        "linspace": {
            "en": "This is the 'linspace' spacing, round(linspace(0, T−1, S)). The exercise asks for 'leading': i·(T // S).",
            "ko": "이것은 'linspace' 간격 round(linspace(0, T−1, S))입니다. 이 연습은 'leading' 간격 i·(T // S)를 묻습니다.",
        },
        "trailing": {
            "en": "This is the 'trailing' spacing, which ends at T/S − 1. The exercise asks for 'leading': i·(T // S).",
            "ko": "이것은 T/S − 1에서 끝나는 'trailing' 간격입니다. 이 연습은 'leading' 간격 i·(T // S)를 묻습니다.",
        },
        # found by inspecting the output when no variant matches
        "wrong_count": {
            "en": "Wrong number of timesteps for T = {T}, S = {S}: expected {S}, got {n}.",
            "ko": "T = {T}, S = {S}에서 타임스텝 개수가 틀렸습니다: {S}개여야 하는데 {n}개입니다.",
        },
        "not_descending": {
            "en": "τ must be strictly descending, without repeats (T = {T}, S = {S}).",
            "ko": "τ는 중복 없이 엄격하게 내림차순이어야 합니다(T = {T}, S = {S}).",
        },
        "out_of_range": {
            "en": "Timesteps index the schedule's tables, so they lie in [0, T − 1] = [0, {Tm1}]; yours run from {lo} to {hi}.",
            "ko": "타임스텝은 스케줄 배열의 인덱스이므로 [0, T − 1] = [0, {Tm1}] 안에 있어야 합니다. 결과는 {lo}부터 {hi}까지입니다.",
        },
        "not_ending_at_zero": {
            "en": "τ ends at index 0 (the last step reaches x_0 from the paper's t = 1); yours ends at {v}.",
            "ko": "τ는 인덱스 0에서 끝납니다(마지막 스텝은 논문의 t = 1에서 x_0으로 갑니다). 결과는 {v}에서 끝납니다.",
        },
        "values": {
            "en": "First difference at position {i} (T = {T}, S = {S}): expected {want}, got {got}.",
            "ko": "첫 번째 차이는 위치 {i}에 있습니다(T = {T}, S = {S}): 기댓값 {want}, 결과 {got}.",
        },
        "floats": {
            "en": "τ holds floats. Timesteps index tables, so return integers (dtype int64, or .astype(int)).",
            "ko": "τ에 실수가 들어 있습니다. 타임스텝은 배열의 인덱스이므로 정수를 반환하세요(dtype int64, 또는 .astype(int)).",
        },
    },
    "x0_pred": {
        "alpha_for_abar": {
            "en": "You used the one-step α_t (schedule.alphas[t]) where the cumulative ᾱ_t = schedule.alphas_cumprod[t] belongs.",
            "ko": "누적곱 ᾱ_t = schedule.alphas_cumprod[t] 자리에 한 스텝의 α_t(schedule.alphas[t])를 썼습니다.",
        },
        "prev_for_abar": {
            "en": "Off by one: you used ᾱ_{t−1} (alphas_cumprod[t − 1] or alphas_cumprod_prev[t]). "
            "t is the 0-based table index; x_t was noised with alphas_cumprod[t].",
            "ko": "하나 어긋났습니다: ᾱ_{t−1}(alphas_cumprod[t − 1] 또는 alphas_cumprod_prev[t])을 썼습니다. "
            "t는 0부터 세는 배열 인덱스이고, x_t는 alphas_cumprod[t]로 노이즈가 더해졌습니다.",
        },
        "next_for_abar": {
            "en": "Off by one: you used alphas_cumprod[t + 1]. t is the 0-based table index; use alphas_cumprod[t].",
            "ko": "하나 어긋났습니다: alphas_cumprod[t + 1]을 썼습니다. t는 0부터 세는 배열 인덱스이니 alphas_cumprod[t]를 쓰세요.",
        },
        "no_sqrt": {
            "en": "Square roots are missing: you computed (x_t − (1−ᾱ_t) ε)/ᾱ_t. Eq. 9 is (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
            "ko": "제곱근이 빠졌습니다: (x_t − (1−ᾱ_t) ε)/ᾱ_t로 계산했습니다. Eq. 9는 (x_t − √(1−ᾱ_t) ε)/√ᾱ_t입니다.",
        },
        "no_sqrt_num": {
            "en": "A square root is missing: the noise coefficient is √(1−ᾱ_t), not 1 − ᾱ_t.",
            "ko": "제곱근이 빠졌습니다: 노이즈 계수는 1 − ᾱ_t가 아니라 √(1−ᾱ_t)입니다.",
        },
        "no_sqrt_den": {
            "en": "A square root is missing: divide by √ᾱ_t, not by ᾱ_t.",
            "ko": "제곱근이 빠졌습니다: ᾱ_t가 아니라 √ᾱ_t로 나누세요.",
        },
        "roles_swapped": {
            "en": "√ᾱ_t and √(1−ᾱ_t) are swapped: x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
            "ko": "√ᾱ_t와 √(1−ᾱ_t)가 바뀌었습니다: x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
        },
        "sign": {
            "en": "Sign: Eq. 9 subtracts the noise, x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
            "ko": "부호를 확인하세요: Eq. 9는 노이즈를 뺍니다, x̂₀ = (x_t − √(1−ᾱ_t) ε)/√ᾱ_t.",
        },
        "times": {
            "en": "You multiplied by √ᾱ_t; Eq. 9 divides by it, undoing x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε.",
            "ko": "√ᾱ_t를 곱했습니다. Eq. 9는 x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε를 되돌리므로 √ᾱ_t로 나눕니다.",
        },
    },
    "alpha_bar": {
        "returns_alpha": {
            "en": "You returned the one-step α_t = 1 − β_t. ᾱ_t is the cumulative product ∏_{s≤t} α_s: "
            "torch.cumprod(1 - betas, dim=0).",
            "ko": "한 스텝의 α_t = 1 − β_t를 반환했습니다. ᾱ_t는 누적곱 ∏_{s≤t} α_s입니다: "
            "torch.cumprod(1 - betas, dim=0).",
        },
        "shift_prev": {
            "en": "Off by one: your array is ᾱ_{t−1}; it starts at 1. The entry at index 0 is already α_1 = 1 − β_1.",
            "ko": "하나 어긋났습니다: 결과가 ᾱ_{t−1}이고 1에서 시작합니다. 인덱스 0의 값은 이미 α_1 = 1 − β_1입니다.",
        },
        "cumprod_beta": {
            "en": "You multiplied the β's. ᾱ multiplies α = 1 − β.",
            "ko": "β를 곱했습니다. ᾱ는 α = 1 − β를 곱합니다.",
        },
        "one_minus_cumsum": {
            "en": "1 − Σβ is only a first-order approximation of ∏(1 − β). Use the product: torch.cumprod.",
            "ko": "1 − Σβ는 ∏(1 − β)의 1차 근사일 뿐입니다. 곱을 쓰세요: torch.cumprod.",
        },
        "sqrt": {
            "en": "You returned √ᾱ_t, the coefficient of x_0 in q(x_t | x_0). ᾱ_t is its square.",
            "ko": "√ᾱ_t를 반환했습니다. 이것은 q(x_t | x_0)에서 x_0의 계수이고, ᾱ_t는 그 제곱입니다.",
        },
        "one_minus": {
            "en": "You returned 1 − ᾱ_t, the noise variance of q(x_t | x_0), not ᾱ_t.",
            "ko": "ᾱ_t가 아니라 q(x_t | x_0)의 노이즈 분산 1 − ᾱ_t를 반환했습니다.",
        },
        # found from the shape when no variant matches
        "prepended_one": {
            "en": "You returned T + 1 values starting at 1: the value before the first step is not part of the table. "
            "Return one value per t = 1 … T.",
            "ko": "1로 시작하는 값 T + 1개를 반환했습니다: 첫 스텝 이전의 값은 배열에 넣지 않습니다. t = 1 … T마다 값 하나씩 반환하세요.",
        },
        "wrong_length": {
            "en": "Wrong length: expected {T} values (one per t), got {n}.",
            "ko": "길이가 틀렸습니다: t마다 하나씩 {T}개여야 하는데 {n}개입니다.",
        },
        "total_product": {
            "en": "You returned one number. ∏(1 − β) over all steps is ᾱ_T alone; return the cumulative product, "
            "one value per t (torch.cumprod).",
            "ko": "숫자 하나를 반환했습니다. 모든 스텝의 ∏(1 − β)는 ᾱ_T 하나뿐입니다. t마다 값 하나씩, 누적곱을 반환하세요(torch.cumprod).",
        },
    },
}

# found from the output itself when no wrong variant matches (not variants, so not in MISTAKES)
_FALLBACK_CODES = ("sigma", "wrong_count", "not_descending", "out_of_range", "not_ending_at_zero", "values", "floats",
                   "prepended_one", "wrong_length", "total_product")
# (σ = η√(1−ᾱ_{t−1}) is left out: at η = 1 it makes 1 − ᾱ_{t−1} − σ² exactly 0, whose round-off sign decides NaN)
_SIGMA_STEP_CODES = ("no_first_factor", "ratio_inverted", "variance", "no_sqrt", "no_sqrt_first", "no_sqrt_second",
                     "eta_inside", "second_swapped")

# the recognised mistakes of each exercise, in the order they are tried; a step built on a wrong σ is
# "sigma:<the code of check_ddim_sigma>"
MISTAKES: dict[str, tuple[str, ...]] = {
    name: tuple(code for code in hints if code not in _FALLBACK_CODES)
    + (tuple("sigma:" + c for c in _SIGMA_STEP_CODES) if name == "ddim_step" else ())
    for name, hints in _HINTS.items()
}


def _register() -> None:
    table = dict(_TEXTS)
    for ex, hints in _HINTS.items():
        for code, texts in hints.items():
            table[f"ex_hint_{ex}_{code}"] = texts
    i18n.register_strings(table)


_register()


def _t(key: str, lang: str, **fields) -> str:
    text = i18n.tr(key, lang)
    for k, v in fields.items():
        text = text.replace("{" + k + "}", str(v))
    return text


def _hint(exercise: str, code: str, lang: str, **fields) -> str:
    return _t(f"ex_hint_{exercise}_{code}", lang, **fields)


# ---- the runner -------------------------------------------------------------------------------------------
_F64 = torch.float64


@dataclass
class _Case:
    args: tuple  # what the student's function receives (tensors are cloned for each call)
    ref: tuple  # expected outputs, float64 tensors
    variants: dict  # mistake code -> tuple of outputs (None: that output is not constrained)
    describe: Callable  # (lang, flat index of the worst element or None) -> text naming the case
    kind: str = "float"  # "float" (ᾱ as Python floats), "tensor", or "other"
    eta: float | None = None
    arg_names: tuple = ()
    undefined: frozenset = frozenset()  # variants whose formula has no real value in this case


@dataclass
class _Out:
    status: str  # "ok" | "raised" | "bad"
    parts: tuple = ()
    exc: BaseException | None = None
    text: str = ""  # for "bad": the message
    code: str = ""  # for "bad": the failure kind
    complex_: bool = False


def _as_tensor(v):
    """A student's output as a float64 CPU tensor; None when it is not numeric. Complex -> NaN."""
    if isinstance(v, torch.Tensor):
        t = v.detach().to("cpu")
    elif isinstance(v, (bool, str, bytes)) or v is None:
        return None, False
    else:
        try:
            t = torch.as_tensor(np.asarray(v))
        except Exception:
            return None, False
    if t.dtype == torch.bool:
        return None, False
    was_complex = False
    if t.is_complex():  # Python's (-x) ** 0.5: NaN where the value is truly complex, not just round-off
        bad = t.imag.abs() > 1e-6 * (1 + t.real.abs())
        was_complex = bool(bad.any())
        t = torch.where(bad, torch.full_like(t.real, math.nan), t.real)
    if not (t.dtype.is_floating_point or t.dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)):
        return None, False
    return t.to(_F64), was_complex


def _close(got: torch.Tensor, want: torch.Tensor, rtol: float, atol: float) -> bool:
    if got.shape != want.shape:
        return False
    fin_w, fin_g = torch.isfinite(want), torch.isfinite(got)
    if not torch.equal(fin_w, fin_g):
        return False
    if not bool(fin_w.any()):
        return True
    scale = float(want[fin_w].abs().max())
    return bool(((got - want)[fin_w].abs() <= atol + rtol * scale).all())


def _worst_index(got: torch.Tensor, want: torch.Tensor) -> int | None:
    if want.ndim == 0 or got.shape != want.shape:
        return None
    d = (got - want).abs().reshape(-1)
    d = torch.where(torch.isnan(d), torch.full_like(d, float("inf")), d)
    return int(torch.argmax(d))


def _fmt_num(v: float) -> str:
    return f"{v:.6g}"


def _fmt_at(t: torch.Tensor, idx: int | None, lang: str) -> str:
    if t.ndim == 0 or t.numel() == 1:
        return _fmt_num(float(t.reshape(-1)[0]))
    i = idx if idx is not None else 0
    pos = tuple(int(x) for x in np.unravel_index(i, tuple(t.shape)))
    return _t("ex_at_index", lang, value=_fmt_num(float(t.reshape(-1)[i])), idx=pos)


def _is_arith(exc: BaseException) -> bool:
    """An exception a formula raises where it has no real value (math.sqrt of a negative, division by zero)."""
    if isinstance(exc, ArithmeticError):
        return True
    return isinstance(exc, ValueError) and "math domain error" in str(exc)


def _exc_name(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(msg) > 160:
        msg = msg[:157] + "..."
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _normalise_numeric(out, case: _Case, lang: str) -> _Out:
    n = len(case.ref)
    if n == 1:
        items = (out,)
    else:
        if not isinstance(out, (tuple, list)) or len(out) != n:
            return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                    type=type(out).__name__, expected=_t("ex_pair_expected", lang)))
        items = tuple(out)
    parts, any_complex = [], False
    for item, want in zip(items, case.ref):
        t, was_complex = _as_tensor(item)
        if t is None:
            return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                    type=type(item).__name__, expected=_t("ex_number_expected", lang)))
        any_complex |= was_complex
        if want.ndim == 0 and t.numel() == 1:
            t = t.reshape(())
        if t.shape != want.shape:
            return _Out("bad", code="shape", text=_t("ex_bad_shape", lang, where=case.describe(lang, None),
                                                     got=tuple(t.shape), want=tuple(want.shape)))
        parts.append(t)
    return _Out("ok", parts=tuple(parts), complex_=any_complex)


def _consistent(out: _Out, variant: tuple | None, undefined: bool, rtol: float, atol: float) -> bool:
    if variant is None:
        return True
    if out.status == "ok":
        return all(v is None or _close(g, v, rtol, atol) for g, v in zip(out.parts, variant))
    if out.status == "raised":  # the formula has no real value there: the variant must have none either
        return _is_arith(out.exc) and (undefined or any(v is not None and not bool(torch.isfinite(v).all()) for v in variant))
    return False


def _run(exercise: str, title: str, fn, cases: list[_Case], *, lang, verbose: bool, what_key: str, signature: str,
         part_names: tuple = ("",), normalise=None, explain=None, hint_fields=None,
         rtol: float = RTOL, atol: float = ATOL) -> bool:
    lang = lang or i18n.get_language()
    header_fail = _t("ex_fail", lang, name=title)

    def finish(passed: bool, mistake, lines: list[str]) -> bool:
        text = "\n".join(lines)
        _LAST["result"] = CheckResult(exercise, passed, mistake, text, lang, len(cases))
        if verbose:
            print(text)
        return passed

    if not callable(fn):
        return finish(False, "not_callable", [header_fail, _t("ex_not_callable", lang, type=type(fn).__name__)])

    normalise = normalise or (lambda out, case: _normalise_numeric(out, case, lang))
    outs: list[_Out] = []
    for case in cases:
        args = tuple(a.clone() if isinstance(a, torch.Tensor) else a for a in case.args)
        try:
            out = fn(*args)
        except Exception as exc:  # a student's error never escapes: it becomes the feedback
            outs.append(_Out("raised", exc=exc))
            continue
        if out is None:  # a stub that returns nothing yet: "not yet", as for raise NotImplementedError
            outs.append(_Out("bad", code="returned_none", text=_t("ex_returned_none", lang)))
            continue
        changed = [name for a, a0, name in zip(args, case.args, case.arg_names)
                   if isinstance(a0, torch.Tensor) and (a.shape != a0.shape or not torch.equal(a, a0))]
        if changed:
            outs.append(_Out("bad", code="inplace", text=_t("ex_inplace", lang, arg=changed[0])))
            continue
        try:
            outs.append(normalise(out, case))
        except Exception as exc:  # an output so odd that even reading it fails
            outs.append(_Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                         type=type(out).__name__, expected=_exc_name(exc))))

    ok = [o.status == "ok" and all(_close(g, w, rtol, atol) for g, w in zip(o.parts, c.ref)) for o, c in zip(outs, cases)]
    if all(ok):
        return finish(True, None, [_t("ex_pass", lang, name=title, n=len(cases), what=_t(what_key, lang))])

    def mismatch_line(i: int) -> str:
        o, c = outs[i], cases[i]
        for name, g, w in zip(part_names, o.parts, c.ref):
            if g.shape != w.shape:
                return _t("ex_bad_shape", lang, where=c.describe(lang, None), got=tuple(g.shape), want=tuple(w.shape))
            if not _close(g, w, rtol, atol):
                idx = _worst_index(g, w)
                fields = dict(where=c.describe(lang, idx), want=_fmt_at(w, idx, lang), got=_fmt_at(g, idx, lang))
                if name:
                    return _t("ex_mismatch_part", lang, part=name, **fields)
                return _t("ex_mismatch", lang, **fields)
        return ""

    first_wrong = next((i for i, o in enumerate(outs) if o.status == "ok" and not ok[i]), None)
    raised = [i for i, o in enumerate(outs) if o.status == "raised"]

    # a function that handles only floats (math.sqrt) or only tensors (torch.sqrt): say so, and judge its
    # formula on the inputs it does handle
    support, skip = None, set()
    odd = [i for i in raised if not _is_arith(outs[i].exc)]
    for kind, other, key in (("tensor", "float", "float_only"), ("float", "tensor", "tensor_only")):
        on_kind = [i for i, c in enumerate(cases) if c.kind == kind]
        if (odd and all(cases[i].kind == kind for i in odd) and all(i in odd for i in on_kind)
                and any(c.kind == other and i not in odd for i, c in enumerate(cases))):
            support, skip = key, set(on_kind)
    support_line = _t("ex_hint", lang, hint=_t(f"ex_{support}", lang)) if support else None

    # 1. a known mistake: one wrong variant matches every case (but those skipped above), and the function
    #    returned a value on at least one of them (a function that always raises matches nothing)
    returned = any(o.status == "ok" for i, o in enumerate(outs) if i not in skip)
    for code in MISTAKES[exercise] if returned else ():
        if all(code in c.variants for c in cases) and all(
            _consistent(o, c.variants[code], code in c.undefined, rtol, atol)
            for i, (o, c) in enumerate(zip(outs, cases)) if i not in skip
        ):
            lines = [header_fail]
            if first_wrong is not None:
                lines.append(mismatch_line(first_wrong))
            fields = hint_fields(code, lang) if hint_fields else {}
            lines.append(_t("ex_hint", lang, hint=_hint(exercise, code.split(":")[0], lang, **fields)))
            arith = [i for i in raised if i not in skip]
            if arith:
                lines.append(_t("ex_also_raised", lang, exc=type(outs[arith[0]].exc).__name__))
            if any(o.complex_ for o in outs):
                lines.append(_t("ex_complex", lang))
            if support_line:
                lines.append(support_line)
            return finish(False, code, lines)

    # 2. an exception
    if raised:
        i = raised[0]
        exc = outs[i].exc
        lines = [header_fail, _t("ex_raised", lang, exc=_exc_name(exc), where=cases[i].describe(lang, None))]
        code = "raised"
        if isinstance(exc, NotImplementedError):
            code = "not_implemented"
            lines = [header_fail, _t("ex_not_implemented", lang)]
        elif support and all(ok[j] for j in range(len(cases)) if j not in skip):
            code = support
            lines.append(support_line)
        elif exercise == "ddim_step" and all(cases[j].eta == 0 for j in raised) and any(c.eta for c in cases):
            code = "noise_none"
            lines.append(_t("ex_hint", lang, hint=_t("ex_noise_none", lang)))
        elif _is_arith(exc):
            code = "domain"
            lines.append(_t("ex_hint", lang, hint=_t("ex_domain", lang)))
        elif isinstance(exc, TypeError) and "argument" in str(exc):
            code = "signature"
            lines.append(_t("ex_hint", lang, hint=_t("ex_signature", lang, sig=signature)))
        elif support:  # wrong on the inputs it handles too, by no recognised mistake
            j = next((j for j in range(len(cases)) if j not in skip and not ok[j]), None)
            if j is not None and outs[j].status == "ok":
                lines.append(mismatch_line(j))
            lines.append(support_line)
        return finish(False, code, lines)

    # 3. the first case that went wrong: an output that is not a number of the right shape, or wrong values
    i = next(i for i in range(len(cases)) if not ok[i])
    if outs[i].status == "bad":
        return finish(False, outs[i].code, [header_fail, outs[i].text])
    lines = [header_fail, mismatch_line(i)]
    code = "wrong"
    if explain is not None:
        found = explain(cases[i], outs[i], lang)
        if found:
            code, hint = found
            lines.append(_t("ex_hint", lang, hint=hint))
    if code == "wrong" and any(not bool(torch.isfinite(g).all()) for g in outs[i].parts):
        lines.append(_t("ex_nan", lang, where=cases[i].describe(lang, None)))
        code = "nan"
    if any(o.complex_ for o in outs):
        lines.append(_t("ex_complex", lang))
    return finish(False, code, lines)


# ---- inputs -----------------------------------------------------------------------------------------------
_SCHEDULE_KINDS = ("linear", "cosine", "scaled_linear")
_JUMPS = (1, 20, 100)  # consecutive steps, and the leading τ of S = 50 and S = 10 at T = 1000
_T = 1000


@functools.lru_cache(maxsize=None)
def _schedule(kind: str):
    if kind == _SHORT:  # few steps with large β: there ᾱ_t and ᾱ_{t−1} differ enough to tell every mistake apart
        return make_schedule("custom", betas=torch.linspace(0.05, 0.5, 10, dtype=torch.float64))
    return make_schedule(kind, _T)


_SHORT = "custom (T = 10, β from 0.05 to 0.5)"


def _random_pair(gen: torch.Generator, kind: str, jump: int) -> tuple[int, int]:
    """A pair (k, k_prev) of 0-based table indices on the leading τ with step ``jump``: k_prev = k - jump."""
    ts = make_timesteps(_T, _T // jump, "leading").tolist()
    i = int(torch.randint(0, len(ts) - 1, (1,), generator=gen))
    return ts[i], ts[i + 1]


def _abar(kind: str, k: int) -> float:
    return 1.0 if k < 0 else float(_schedule(kind).alphas_cumprod[k])


def _pair_meta(gen: torch.Generator, n_float: int = 9) -> list[dict]:
    """Float cases: every schedule × every jump, η cycling through 0, 0.5, 1; then two last steps (ᾱ_{t−1} = 1)."""
    etas = (0.0, 0.5, 1.0)
    metas = []
    for si, kind in enumerate(_SCHEDULE_KINDS):
        for ji, jump in enumerate(_JUMPS):
            k, kp = _random_pair(gen, kind, jump)
            metas.append(dict(sched=kind, k=k, kp=kp, eta=etas[(si + ji) % 3]))
    for kind, eta in (("linear", 1.0), ("cosine", 0.5)):
        k = int(torch.randint(0, 100, (1,), generator=gen))
        metas.append(dict(sched=kind, k=k, kp=-1, eta=eta))
    for m in metas:
        m["a"], m["p"] = _abar(m["sched"], m["k"]), _abar(m["sched"], m["kp"])
    return metas


def _batch_meta(gen: torch.Generator, n: int) -> list[dict]:
    metas = []
    for j in range(n):
        kind = _SCHEDULE_KINDS[j % 3]
        if j == n - 1:
            k, kp = int(torch.randint(0, 100, (1,), generator=gen)), -1
        else:
            k, kp = _random_pair(gen, kind, _JUMPS[(j // 3) % 3])
        metas.append(dict(sched=kind, k=k, kp=kp, a=_abar(kind, k), p=_abar(kind, kp)))
    return metas


def _describe_pair(meta, lang: str, kind: str, eta=None) -> str:
    tp = 0 if meta["kp"] < 0 else meta["kp"] + 1
    tp_text = f"{tp} (x_0)" if tp == 0 else str(tp)
    return _t("ex_where_pair", lang, a=_fmt_num(meta["a"]), p=_fmt_num(meta["p"]),
              eta=meta.get("eta", eta), sched=meta["sched"], t=meta["k"] + 1, tp=tp_text,
              kind=_t(f"ex_kind_{kind}", lang))


def _batch_describer(metas: list[dict], numel_per_item: int, kind: str, eta=None, key="ex_where_pair"):
    def describe(lang: str, idx):
        b = 0 if idx is None else idx // numel_per_item
        m = metas[b]
        if key == "ex_where_pair":
            return _describe_pair(m, lang, kind, eta)
        return _t(key, lang, a=_fmt_num(m["a"]), p=_fmt_num(m["p"]), sched=m["sched"], t=m["k"] + 1,
                  kind=_t(f"ex_kind_{kind}", lang))
    return describe


def _col(values, ndim: int) -> torch.Tensor:
    """Per-sample scalars as a float64 tensor of shape (B, 1, ..., 1) with ``ndim`` dimensions."""
    return torch.tensor(values, dtype=_F64).reshape(-1, *([1] * (ndim - 1)))


# ---- σ (Eq. 16) -------------------------------------------------------------------------------------------
# The wrong variants are computed with the student's own arithmetic: Python floats for the float cases (so
# (-x) ** 0.5 is complex and x / 0 raises, as in a student's code) and tensors for the tensor cases.
class _NoValue:
    """A variant with no value here: its formula divided a Python float by zero."""


def _evaluate(makers: dict) -> dict:
    out = {}
    for code, make in makers.items():
        try:
            out[code] = make()
        except ArithmeticError:
            out[code] = _NoValue
    return out


def _as_part(v, shape) -> torch.Tensor:
    """A variant's output as a float64 tensor of ``shape`` (inf where it has no value)."""
    if v is _NoValue:
        return torch.full(shape, math.inf, dtype=_F64)
    t, _ = _as_tensor(v)
    return t.reshape(shape) if t.numel() == 1 and len(shape) == 0 else t


def _undefined(v) -> bool:
    """True where a variant's formula left the reals (a division by zero, or a complex value, even if η = 0
    multiplied it back to 0): a student's math.sqrt raises there."""
    parts = v if isinstance(v, tuple) else (v,)
    return v is _NoValue or any(isinstance(q, complex) or (isinstance(q, torch.Tensor) and q.is_complex()) for q in parts)


def _sigma_makers(A, P, eta) -> dict:
    """σ and its known-wrong variants as zero-argument functions."""
    def f():
        return (1 - P) / (1 - A)

    def r():
        return 1 - A / P

    return {
        "ref": lambda: eta * f() ** 0.5 * r() ** 0.5,
        "ratio_inverted": lambda: eta * ((1 - A) / (1 - P)) ** 0.5 * r() ** 0.5,
        "second_swapped": lambda: eta * f() ** 0.5 * (1 - P / A) ** 0.5,
        "no_first_factor": lambda: eta * r() ** 0.5,
        "variance": lambda: eta**2 * f() * r(),
        "no_sqrt": lambda: eta * f() * r(),
        "no_sqrt_first": lambda: eta * f() * r() ** 0.5,
        "no_sqrt_second": lambda: eta * f() ** 0.5 * r(),
        "eta_inside": lambda: (eta * f() * r()) ** 0.5,
        "alpha_abar": lambda: eta * (1 - P) ** 0.5,
        "eta_squared": lambda: eta**2 * f() ** 0.5 * r() ** 0.5,
        "no_eta": lambda: f() ** 0.5 * r() ** 0.5,
        "one_minus_eta": lambda: (1 - eta) * f() ** 0.5 * r() ** 0.5,
    }


def _sigma_forms(A, P, eta) -> tuple[dict, frozenset]:
    shape = tuple(A.shape) if isinstance(A, torch.Tensor) else ()
    values = _evaluate(_sigma_makers(A, P, eta))
    return {k: (_as_part(v, shape),) for k, v in values.items()}, frozenset(k for k, v in values.items() if _undefined(v))


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _sigma_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for m in _pair_meta(gen):
        ref = torch.as_tensor(_ref_ddim_sigma(m["a"], m["p"], m["eta"]), dtype=_F64)
        forms, undefined = _sigma_forms(m["a"], m["p"], m["eta"])
        cases.append(_Case(args=(m["a"], m["p"], m["eta"]), ref=(ref,), undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, m=m: _describe_pair(m, lang, "float"),
                           kind="float", eta=m["eta"]))
    for eta in (0.5, 1.0):
        metas = _batch_meta(gen, 9)
        A, P = _col([m["a"] for m in metas], 1), _col([m["p"] for m in metas], 1)
        ref = torch.as_tensor(_ref_ddim_sigma(A, P, eta), dtype=_F64)
        forms, undefined = _sigma_forms(A, P, eta)
        cases.append(_Case(args=(A, P, eta), ref=(ref,), variants={k: v for k, v in forms.items() if k != "ref"},
                           undefined=undefined,
                           describe=_batch_describer(metas, 1, "tensor", eta), kind="tensor", eta=eta,
                           arg_names=("alpha_bar", "alpha_bar_prev", "eta")))
    return cases


def check_ddim_sigma(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(alpha_bar, alpha_bar_prev, eta) -> sigma``, DDIM's Eq. 16:

        σ = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})

    ``alpha_bar`` (ᾱ_t) and ``alpha_bar_prev`` (ᾱ_{t−1}, the next entry of τ; 1 at the last step) come
    as Python floats and as float64 tensors of the same shape; ``eta`` is a float in [0, 1]. Return σ
    as a float (for float input) or a tensor of the inputs' shape.

    Prints feedback (in the language of ``ddim_teach.set_language``) and returns True or False; a hint
    names a recognised mistake (``last_result().mistake`` is its code, see ``MISTAKES["ddim_sigma"]``).
    ``verbose=False`` prints nothing; ``lang`` overrides the language; ``seed`` picks other random cases.
    """
    return _run("ddim_sigma", "ddim_sigma", fn, _sigma_cases(seed), lang=lang, verbose=verbose,
                what_key="ex_what_pairs", signature="fn(alpha_bar, alpha_bar_prev, eta)")


# ---- one DDIM step (Eq. 9, 12) ----------------------------------------------------------------------------
def _step_forms(X, E, A, P, eta, Z) -> tuple[dict, frozenset]:
    """(x_prev, x0_pred) and the known-wrong variants; None marks an output a variant does not constrain."""
    sigmas = _evaluate(_sigma_makers(A, P, eta))
    s = sigmas["ref"]
    z = Z if (Z is not None and eta > 0) else torch.zeros_like(X)
    x0 = (X - (1 - A) ** 0.5 * E) / A**0.5

    def x_prev(coef_x0=None, dir2=None, noise=None, dir_sqrt=True, sigma=s):
        coef_x0 = P**0.5 if coef_x0 is None else coef_x0
        dir2 = 1 - P - sigma**2 if dir2 is None else dir2
        noise = sigma if noise is None else noise
        return coef_x0 * x0 + (dir2**0.5 if dir_sqrt else dir2) * E + noise * z

    alpha = A / P
    makers = {
        "ref": lambda: (x_prev(), x0),
        "swapped_outputs": lambda: (x0, x_prev()),
        "x0_alpha_for_abar": lambda: (None, (X - (1 - alpha) ** 0.5 * E) / alpha**0.5),
        "x0_prev_for_abar": lambda: (None, (X - (1 - P) ** 0.5 * E) / P**0.5),
        "x0_no_sqrt": lambda: (None, (X - (1 - A) * E) / A),
        "x0_no_sqrt_num": lambda: (None, (X - (1 - A) * E) / A**0.5),
        "x0_no_sqrt_den": lambda: (None, (X - (1 - A) ** 0.5 * E) / A),
        "x0_sign": lambda: (None, (X + (1 - A) ** 0.5 * E) / A**0.5),
        "both_abar": lambda: (x_prev(coef_x0=A**0.5, dir2=1 - A - s**2), x0),
        "coef_abar": lambda: (x_prev(coef_x0=A**0.5), x0),
        "dir_abar": lambda: (x_prev(dir2=1 - A - s**2), x0),
        "dir_no_sigma": lambda: (x_prev(dir2=1 - P), x0),
        "dir_sigma": lambda: (x_prev(dir2=1 - P - s), x0),
        "noise_sigma_sq": lambda: (x_prev(noise=s**2), x0),
        "coef_no_sqrt": lambda: (x_prev(coef_x0=P), x0),
        "dir_no_sqrt": lambda: (x_prev(dir_sqrt=False), x0),
        "no_noise": lambda: (x_prev(noise=0 * s), x0),
        "noise_eta": lambda: (x_prev(noise=eta + 0 * s), x0),
        "dir_sigma_no_eta": lambda: (x_prev(dir2=1 - P - (1 - P) / (1 - A) * (1 - A / P)), x0),
    }
    for code in _SIGMA_STEP_CODES:  # a step built on a wrong σ (Eq. 16)
        sc = sigmas[code]
        makers["sigma:" + code] = (lambda sc=sc: (x_prev(sigma=sc), x0)) if sc is not _NoValue else (lambda: 1 / 0)
    out = {}
    values = _evaluate(makers)
    for code, v in values.items():
        if v is _NoValue:  # a float division by zero: no value for either output
            out[code] = (torch.full(X.shape, math.inf, dtype=_F64),) * 2
        else:
            out[code] = tuple(None if q is None else _as_part(q, tuple(X.shape)) for q in v)
    undefined = frozenset(k for k, v in values.items() if _undefined(v)) | frozenset(
        "sigma:" + k for k in _SIGMA_STEP_CODES if _undefined(sigmas[k]))
    return out, undefined


def _step_inputs(gen, shape, A, P):
    x0 = torch.randn(shape, generator=gen, dtype=_F64)
    eps_true = torch.randn(shape, generator=gen, dtype=_F64)
    A_t = torch.as_tensor(A, dtype=_F64)
    x_t = A_t.sqrt() * x0 + (1 - A_t).sqrt() * eps_true
    eps = eps_true + 0.3 * torch.randn(shape, generator=gen, dtype=_F64)  # an imperfect ε̂, as a network gives
    z = torch.randn(shape, generator=gen, dtype=_F64)
    return x_t, eps, z


_STEP_ARGS = ("x_t", "eps", "alpha_bar", "alpha_bar_prev", "eta", "noise")


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _step_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for m in _pair_meta(gen):
        x_t, eps, z = _step_inputs(gen, (6, 2), m["a"], m["p"])
        noise = z if m["eta"] > 0 else None
        x_prev, x0_pred = _ref_ddim_step(x_t, eps, m["a"], m["p"], eta=m["eta"], noise=noise)
        forms, undefined = _step_forms(x_t, eps, m["a"], m["p"], m["eta"], noise)
        cases.append(_Case(args=(x_t, eps, m["a"], m["p"], m["eta"], noise), ref=(x_prev.to(_F64), x0_pred.to(_F64)),
                           undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, m=m: _describe_pair(m, lang, "float"),
                           kind="float", eta=m["eta"], arg_names=_STEP_ARGS))
    shape = (6, 1, 3, 3)
    for eta in (0.0, 0.5, 1.0):
        metas = _batch_meta(gen, shape[0])
        A, P = _col([m["a"] for m in metas], 4), _col([m["p"] for m in metas], 4)
        x_t, eps, z = _step_inputs(gen, shape, A, P)
        noise = z if eta > 0 else None
        x_prev, x0_pred = _ref_ddim_step(x_t, eps, A, P, eta=eta, noise=noise)
        forms, undefined = _step_forms(x_t, eps, A, P, eta, noise)
        cases.append(_Case(args=(x_t, eps, A, P, eta, noise), ref=(x_prev.to(_F64), x0_pred.to(_F64)),
                           undefined=undefined,
                           variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=_batch_describer(metas, 9, "tensor", eta), kind="tensor", eta=eta,
                           arg_names=_STEP_ARGS))
    return cases


def _step_hint_fields(code: str, lang: str) -> dict:
    if code.startswith("sigma:"):
        return {"sigma_hint": _hint("ddim_sigma", code.split(":", 1)[1], lang)}
    return {}


def check_ddim_step(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None) -> (x_prev, x0_pred)``, one DDIM step:

        x̂₀     = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t                                        (Eq. 9)
        σ      = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})           (Eq. 16)
        x_{t−1} = √ᾱ_{t−1} x̂₀ + √(1 − ᾱ_{t−1} − σ²) ε + σ z                        (Eq. 12)

    ``x_t``, ``eps`` (the predicted ε) and ``noise`` (z) are float64 tensors of one shape, (6, 2) or
    (6, 1, 3, 3); ``alpha_bar``/``alpha_bar_prev`` come as Python floats and as tensors of shape
    (6, 1, 1, 1) that broadcast against x; ``noise`` is None when ``eta`` is 0. The arguments are passed
    by position. Return the pair (x_prev, x0_pred), each of x_t's shape, without changing the inputs.

    Prints feedback and returns True or False; ``last_result().mistake`` is the code of a recognised
    mistake (``MISTAKES["ddim_step"]``; a step built on a wrong σ is ``"sigma:<code of check_ddim_sigma>"``).
    """
    return _run("ddim_step", "ddim_step", fn, _step_cases(seed), lang=lang, verbose=verbose,
                what_key="ex_what_pairs", part_names=("x_prev", "x0_pred"), hint_fields=_step_hint_fields,
                signature="fn(x_t, eps, alpha_bar, alpha_bar_prev, eta, noise)")


# ---- the posterior mean (DDPM Eq. 7) ----------------------------------------------------------------------
def _posterior_forms(X0, XT, A, P) -> dict:
    A, P = torch.as_tensor(A, dtype=_F64), torch.as_tensor(P, dtype=_F64)
    sq = torch.sqrt

    def mean(a, p, beta=None, denom1=None, denom2=None, c1_root=sq, c2_root=sq, c2_alpha=None, swap=False):
        alpha = a / p
        beta = 1 - alpha if beta is None else beta
        d1 = 1 - a if denom1 is None else denom1
        d2 = 1 - a if denom2 is None else denom2
        c1 = c1_root(p) * beta / d1
        c2 = c2_root(alpha if c2_alpha is None else c2_alpha) * (1 - p) / d2
        return (c2 * X0 + c1 * XT) if swap else (c1 * X0 + c2 * XT)

    ident = lambda v: v  # noqa: E731
    alpha = A / P
    return {
        "ref": mean(A, P),
        "swapped_coefs": mean(A, P, swap=True),
        "abar_swapped": mean(P, A),
        "coef1_sqrt_abar": sq(A) * (1 - alpha) / (1 - A) * X0 + sq(alpha) * (1 - P) / (1 - A) * XT,
        "coef2_sqrt_abar": mean(A, P, c2_alpha=A),
        "beta_as_abar": mean(A, P, beta=1 - A),
        "alpha_in_denominator": mean(A, P, denom1=1 - alpha, denom2=1 - alpha),
        "prev_in_denominator": mean(A, P, denom1=1 - P, denom2=1 - P),
        "no_sqrt": mean(A, P, c1_root=ident, c2_root=ident),
        "coef1_no_sqrt": mean(A, P, c1_root=ident),
        "coef2_no_sqrt": mean(A, P, c2_root=ident),
        "xt_sign": mean(A, P) - 2 * mean(A, P, beta=0 * alpha),
        "second_form_sigma": sq(P) * X0 + sq(1 - P - sq((1 - P) / (1 - A) * (1 - alpha))) * (XT - sq(A) * X0) / sq(1 - A),
    }


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _posterior_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    names = ("x_0", "x_t", "alpha_bar", "alpha_bar_prev")
    cases = []
    for kind in _SCHEDULE_KINDS + (_SHORT,):
        sch = _schedule(kind)
        for _ in range(3 if kind != _SHORT else 2):
            k = int(torch.randint(1, sch.T, (1,), generator=gen))
            a, p = float(sch.alphas_cumprod[k]), float(sch.alphas_cumprod_prev[k])
            x0 = torch.randn(5, 2, generator=gen, dtype=_F64)
            x_t = a**0.5 * x0 + (1 - a) ** 0.5 * torch.randn(5, 2, generator=gen, dtype=_F64)
            ref, _ = q_posterior_mean_variance(sch, x0, x_t, k)
            forms = _posterior_forms(x0, x_t, a, p)
            m = dict(sched=kind, k=k, a=a, p=p)
            cases.append(_Case(args=(x0, x_t, a, p), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                               describe=lambda lang, idx, m=m: _t("ex_where_post", lang, a=_fmt_num(m["a"]), p=_fmt_num(m["p"]),
                                                                  sched=m["sched"], t=m["k"] + 1,
                                                                  kind=_t("ex_kind_float", lang)),
                               kind="float", arg_names=names))
    for kind in ("linear", "cosine", _SHORT):
        sch = _schedule(kind)
        ks = torch.randint(1, sch.T, (6,), generator=gen)
        A, P = sch.alphas_cumprod[ks].reshape(6, 1), sch.alphas_cumprod_prev[ks].reshape(6, 1)
        x0 = torch.randn(6, 2, generator=gen, dtype=_F64)
        x_t = A.sqrt() * x0 + (1 - A).sqrt() * torch.randn(6, 2, generator=gen, dtype=_F64)
        ref, _ = q_posterior_mean_variance(sch, x0, x_t, ks)
        forms = _posterior_forms(x0, x_t, A, P)
        metas = [dict(sched=kind, k=int(k), a=float(a), p=float(p)) for k, a, p in zip(ks, A.reshape(-1), P.reshape(-1))]
        cases.append(_Case(args=(x0, x_t, A, P), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                           describe=_batch_describer(metas, 2, "tensor", key="ex_where_post"), kind="tensor",
                           arg_names=names))
    return cases


def check_posterior_mean(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(x_0, x_t, alpha_bar, alpha_bar_prev) -> mean``, the mean μ̃_t of q(x_{t−1} | x_t, x_0):

        μ̃_t = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x_0  +  √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t      (DDPM Eq. 7)

    with the one-step α_t = ᾱ_t / ᾱ_{t−1} and β_t = 1 − α_t. ``alpha_bar`` and ``alpha_bar_prev`` are the
    schedule's ᾱ at two consecutive steps t and t−1 (t from 2 to 1000), as Python floats and as float64
    tensors of shape (B, 1); ``x_0`` and ``x_t`` are float64 tensors of shape (B, 2). Return a tensor of
    x_t's shape. The reference is ``ddim_teach.q_posterior_mean_variance``.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["posterior_mean"]``).
    """
    return _run("posterior_mean", "posterior_mean", fn, _posterior_cases(seed), lang=lang, verbose=verbose,
                what_key="ex_what_post", signature="fn(x_0, x_t, alpha_bar, alpha_bar_prev)")


# ---- the τ sub-sequence ------------------------------------------------------------------------------------
_TS_CASES = ((1000, 10), (1000, 50), (1000, 30), (100, 7), (10, 3), (1000, 1), (50, 50), (1000, 1000))


def _ts_forms(T: int, S: int) -> dict:
    k = T // S
    ref = make_timesteps(T, S, "leading").tolist()
    t = lambda seq: (torch.tensor(list(seq), dtype=_F64),)  # noqa: E731
    return {
        "ref": t(ref),
        "ascending": t(ref[::-1]),
        "one_based": t(v + 1 for v in ref),
        "minus_one": t(v - 1 for v in ref),
        "inclusive_end": t(list(range(0, T + 1, k))[::-1]),
        "range_len": t(list(range(0, T, k))[::-1]),
        "float_step": t([int(i * T / S) for i in range(S)][::-1]),
        "round_step": t([round(i * T / S) for i in range(S)][::-1]),
        "shifted_up": t([(i + 1) * k for i in range(S)][::-1]),
        "linspace": t(make_timesteps(T, S, "linspace").tolist()),
        "trailing": t(make_timesteps(T, S, "trailing").tolist()),
    }


@functools.lru_cache(maxsize=1)
def _ts_cases() -> list[_Case]:
    cases = []
    for T, S in _TS_CASES:
        forms = _ts_forms(T, S)
        cases.append(_Case(args=(T, S), ref=forms["ref"], variants={c: v for c, v in forms.items() if c != "ref"},
                           describe=lambda lang, idx, T=T, S=S: _t("ex_where_ts", lang, T=T, S=S), kind="other"))
    return cases


def _normalise_ts(out, case: _Case, lang: str) -> _Out:
    if isinstance(out, (int, float, np.integer, np.floating)) or out is None or isinstance(out, str):
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_sequence_expected", lang)))
    try:
        arr = out.detach().cpu().numpy() if isinstance(out, torch.Tensor) else np.asarray(list(out))
    except Exception:
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_sequence_expected", lang)))
    if arr.ndim != 1 and arr.size > 0:
        return _Out("bad", code="shape", text=_t("ex_bad_shape", lang, where=case.describe(lang, None),
                                                 got=tuple(arr.shape), want=tuple(case.ref[0].shape)))
    if arr.size and not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=f"{type(out).__name__} of {arr.dtype}",
                                                expected=_t("ex_sequence_expected", lang)))
    if arr.size and np.issubdtype(arr.dtype, np.floating):
        return _Out("bad", code="floats", text=_hint("timesteps", "floats", lang))
    return _Out("ok", parts=(torch.as_tensor(arr.astype(np.int64)).to(_F64),))


def _explain_ts(case: _Case, out: _Out, lang: str):
    T, S = case.args
    got = [int(v) for v in out.parts[0].tolist()]
    want = [int(v) for v in case.ref[0].tolist()]
    if len(got) != S:
        return "wrong_count", _hint("timesteps", "wrong_count", lang, T=T, S=S, n=len(got))
    if any(a <= b for a, b in zip(got, got[1:])):
        return "not_descending", _hint("timesteps", "not_descending", lang, T=T, S=S)
    if min(got) < 0 or max(got) > T - 1:
        return "out_of_range", _hint("timesteps", "out_of_range", lang, Tm1=T - 1, lo=min(got), hi=max(got))
    if got[-1] != 0:
        return "not_ending_at_zero", _hint("timesteps", "not_ending_at_zero", lang, v=got[-1])
    i = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
    return "values", _hint("timesteps", "values", lang, i=i, T=T, S=S, want=want[i], got=got[i])


def check_timesteps(fn, *, lang: str | None = None, verbose: bool = True) -> bool:
    """Check ``fn(T, S) -> tau``: the S timesteps that DDIM visits out of T, "leading" spacing, descending:

        k = T // S,     τ = [(S−1)·k, (S−2)·k, …, k, 0]      (0-based table indices; paper's t = index + 1)

    ``T`` and ``S`` are ints with 1 ≤ S ≤ T. Return a list, numpy array or tensor of S ints. The reference
    is ``ddim_teach.make_timesteps(T, S, "leading")``.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["timesteps"]``) or what is wrong with the output ("wrong_count", "not_descending",
    "out_of_range", "not_ending_at_zero", "values", "floats").
    """
    return _run("timesteps", "timesteps", fn, _ts_cases(), lang=lang, verbose=verbose, what_key="ex_what_ts",
                signature="fn(T, S)",
                normalise=lambda out, case: _normalise_ts(out, case, i18n.get_language() if lang is None else lang),
                explain=_explain_ts, rtol=0.0, atol=0.0)


# ---- x̂₀ (Eq. 9) -------------------------------------------------------------------------------------------
def _x0_forms(X, E, A) -> dict:
    A = torch.as_tensor(A, dtype=_F64)
    sq = torch.sqrt
    return {
        "ref": (X - sq(1 - A) * E) / sq(A),
        "no_sqrt": (X - (1 - A) * E) / A,
        "no_sqrt_num": (X - (1 - A) * E) / sq(A),
        "no_sqrt_den": (X - sq(1 - A) * E) / A,
        "roles_swapped": (X - sq(A) * E) / sq(1 - A),
        "sign": (X + sq(1 - A) * E) / sq(A),
        "times": sq(A) * (X - sq(1 - A) * E),
    }


def _x0_reference(x_t, eps, a):
    # Eq. 9 as the package computes it inside ddim_step (the step to ᾱ_prev = 1 returns x̂₀ twice)
    return _ref_ddim_step(x_t, eps, a, torch.ones_like(a) if isinstance(a, torch.Tensor) else 1.0, eta=0.0)[1].to(_F64)


@functools.lru_cache(maxsize=8)  # the cases are never changed: students get clones
def _x0_cases(seed: int, form: str) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    cases = []
    for kind in _SCHEDULE_KINDS:
        sch = _schedule(kind)
        for _ in range(3):
            k = int(torch.randint(1, _T - 1, (1,), generator=gen))
            a = float(sch.alphas_cumprod[k])
            x_t, eps, _ = _step_inputs(gen, (5, 2), a, None)
            ref = _x0_reference(x_t, eps, a)
            forms = {c: (v,) for c, v in _x0_forms(x_t, eps, a).items() if c != "ref"}
            m = dict(sched=kind, k=k, a=a)
            if form == "schedule":
                forms["alpha_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas[k]))["ref"],)
                forms["prev_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas_cumprod_prev[k]))["ref"],)
                forms["next_for_abar"] = (_x0_forms(x_t, eps, float(sch.alphas_cumprod[k + 1]))["ref"],)
                cases.append(_Case(args=(x_t, eps, sch, k), ref=(ref,), variants=forms, kind="other",
                                   describe=lambda lang, idx, m=m: _t("ex_where_x0_schedule", lang, sched=m["sched"],
                                                                      k=m["k"], t=m["k"] + 1),
                                   arg_names=("x_t", "eps")))
            else:
                cases.append(_Case(args=(x_t, eps, a), ref=(ref,), variants=forms, kind="float",
                                   describe=lambda lang, idx, m=m: _t("ex_where_x0", lang, a=_fmt_num(m["a"]),
                                                                      sched=m["sched"], t=m["k"] + 1,
                                                                      kind=_t("ex_kind_float", lang)),
                                   arg_names=("x_t", "eps")))
    if form == "alpha_bar":
        for kind in ("linear", "cosine"):
            sch = _schedule(kind)
            ks = torch.randint(1, _T - 1, (6,), generator=gen)
            A = sch.alphas_cumprod[ks].reshape(6, 1)
            x_t, eps, _ = _step_inputs(gen, (6, 2), A, None)
            ref = _x0_reference(x_t, eps, A)
            metas = [dict(sched=kind, k=int(k), a=float(a), p=float("nan")) for k, a in zip(ks, A.reshape(-1))]
            describe = lambda lang, idx, metas=metas: (lambda m: _t(  # noqa: E731
                "ex_where_x0", lang, a=_fmt_num(m["a"]), sched=m["sched"], t=m["k"] + 1,
                kind=_t("ex_kind_tensor", lang)))(metas[0 if idx is None else idx // 2])
            cases.append(_Case(args=(x_t, eps, A), ref=(ref,),
                               variants={c: (v,) for c, v in _x0_forms(x_t, eps, A).items() if c != "ref"},
                               describe=describe, kind="tensor", arg_names=("x_t", "eps", "alpha_bar")))
    return cases


def check_x0_pred(fn, *, form: str | None = None, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check a function for the predicted x̂₀ of DDIM's Eq. 9:  x̂₀ = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t.

    Two forms; the checker picks by the number of parameters (or pass ``form=``):

    * ``form="alpha_bar"``: ``fn(x_t, eps, alpha_bar) -> x0_pred``, with ``alpha_bar`` a Python float or
      a float64 tensor of shape (B, 1) that broadcasts against ``x_t`` (B, 2).
    * ``form="schedule"``: ``fn(x_t, eps, schedule, t) -> x0_pred``, with a ``Schedule`` and the 0-based
      table index ``t`` (an int; the paper's t is t + 1). The function looks ᾱ_t up itself, so this form
      also catches ``schedule.alphas[t]`` (α for ᾱ) and off-by-one indices.

    Return a tensor of x_t's shape. Prints feedback and returns True or False; ``last_result().mistake``
    names a recognised mistake (``MISTAKES["x0_pred"]``).
    """
    if form is None:
        try:
            params = [p for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
            form = "schedule" if len(params) == 4 else "alpha_bar"
        except (TypeError, ValueError):
            form = "alpha_bar"
    if form not in ("alpha_bar", "schedule"):
        raise ValueError(f"form must be 'alpha_bar' or 'schedule', got {form!r}")
    what = "ex_what_x0_schedule" if form == "schedule" else "ex_what_x0"
    sig = "fn(x_t, eps, schedule, t)" if form == "schedule" else "fn(x_t, eps, alpha_bar)"
    return _run("x0_pred", "x0_pred", fn, _x0_cases(seed, form), lang=lang, verbose=verbose, what_key=what,
                signature=sig)


# ---- ᾱ from β ---------------------------------------------------------------------------------------------
def _alpha_bar_forms(betas: torch.Tensor) -> dict:
    ab = torch.cumprod(1 - betas, 0)
    one = torch.ones(1, dtype=_F64)
    return {
        "ref": ab,
        "returns_alpha": 1 - betas,
        "shift_prev": torch.cat([one, ab[:-1]]),
        "cumprod_beta": torch.cumprod(betas, 0),
        "one_minus_cumsum": 1 - torch.cumsum(betas, 0),
        "sqrt": ab.sqrt(),
        "one_minus": 1 - ab,
    }


def _explain_alpha_bar(case: _Case, out: _Out, lang: str):
    got, want = out.parts[0], case.ref[0]
    T = want.shape[0]
    if got.ndim == 0 or got.numel() == 1:
        return "total_product", _hint("alpha_bar", "total_product", lang)
    if got.ndim == 1 and got.shape[0] == T + 1 and abs(float(got[0]) - 1) < 1e-12:
        return "prepended_one", _hint("alpha_bar", "prepended_one", lang)
    if tuple(got.shape) != (T,):
        return "wrong_length", _hint("alpha_bar", "wrong_length", lang, T=T,
                                     n=got.shape[0] if got.ndim == 1 else tuple(got.shape))
    return None


def _normalise_alpha_bar(out, case: _Case, lang: str) -> _Out:
    t, was_complex = _as_tensor(out)
    if t is None:
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_t("ex_number_expected", lang)))
    return _Out("ok", parts=(t,), complex_=was_complex)


def check_alpha_bar(fn, *, lang: str | None = None, verbose: bool = True, seed: int = 0) -> bool:
    """Check ``fn(betas) -> alphas_cumprod``: ᾱ_t = ∏_{s ≤ t} (1 − β_s), one value per step.

    ``betas`` is a 1-D float64 tensor of length T (linear, cosine and scaled_linear tables of T = 1000,
    and a short random one); return a tensor (or array) of the same length. The reference is
    ``make_schedule(...).alphas_cumprod``. Prints feedback and returns True or False;
    ``last_result().mistake`` names a recognised mistake (``MISTAKES["alpha_bar"]``) or a wrong shape
    ("prepended_one", "wrong_length", "total_product").
    """
    return _run("alpha_bar", "alpha_bar", fn, _alpha_bar_cases(seed), lang=lang, verbose=verbose,
                what_key="ex_what_betas", signature="fn(betas)",
                normalise=lambda out, case: _normalise_alpha_bar(out, case, lang or i18n.get_language()),
                explain=_explain_alpha_bar)


@functools.lru_cache(maxsize=8)
def _alpha_bar_cases(seed: int) -> list[_Case]:
    gen = torch.Generator().manual_seed(seed)
    tables = [(kind, _schedule(kind).betas) for kind in _SCHEDULE_KINDS]
    tables.append(("random", 0.01 + 0.29 * torch.rand(8, generator=gen, dtype=_F64)))
    cases = []
    for kind, betas in tables:
        ref = make_schedule("custom", betas=betas).alphas_cumprod
        forms = _alpha_bar_forms(betas)
        cases.append(_Case(args=(betas,), ref=(ref,), variants={c: (v,) for c, v in forms.items() if c != "ref"},
                           describe=lambda lang, idx, kind=kind, T=len(betas): _t("ex_where_betas", lang, sched=kind, T=T),
                           kind="other", arg_names=("betas",)))
    return cases


# ---- solutions --------------------------------------------------------------------------------------------
SOLUTIONS: dict[str, str] = {
    "ddim_sigma": '''\
def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
    """σ of one DDIM step (Eq. 16). Works on floats and on tensors."""
    # σ = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})
    return eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
''',
    "ddim_step": '''\
def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
    """One DDIM step (Eq. 12). Returns (x_prev, x0_pred)."""
    # Eq. 9: the predicted x_0
    x0_pred = (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
    # Eq. 16: the standard deviation of this step's noise
    sigma = eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
    # Eq. 12: "predicted x_0" + "direction pointing to x_t" + random noise
    x_prev = alpha_bar_prev ** 0.5 * x0_pred + (1 - alpha_bar_prev - sigma ** 2) ** 0.5 * eps
    if eta > 0:
        x_prev = x_prev + sigma * noise
    return x_prev, x0_pred
''',
    "posterior_mean": '''\
def posterior_mean(x_0, x_t, alpha_bar, alpha_bar_prev):
    """The mean of q(x_{t-1} | x_t, x_0) (DDPM Eq. 7), from ᾱ_t and ᾱ_{t-1}."""
    alpha = alpha_bar / alpha_bar_prev      # one-step α_t
    beta = 1 - alpha                        # β_t
    coef_x0 = alpha_bar_prev ** 0.5 * beta / (1 - alpha_bar)
    coef_xt = alpha ** 0.5 * (1 - alpha_bar_prev) / (1 - alpha_bar)
    return coef_x0 * x_0 + coef_xt * x_t
''',
    "timesteps": '''\
def leading_timesteps(T, S):
    """The S timesteps of the "leading" spacing, descending, as 0-based table indices."""
    k = T // S                                  # integer step
    return [i * k for i in range(S)][::-1]      # [(S-1)k, ..., k, 0]
''',
    "x0_pred": '''\
def predict_x0(x_t, eps, alpha_bar):
    """The predicted x_0 (Eq. 9): undo x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε."""
    return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
''',
    "x0_pred_schedule": '''\
def predict_x0(x_t, eps, schedule, t):
    """The predicted x_0 (Eq. 9); t is the 0-based table index."""
    alpha_bar = schedule.alphas_cumprod[t]      # cumulative ᾱ_t, not schedule.alphas[t]
    return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
''',
    "alpha_bar": '''\
import torch

def alphas_cumprod(betas):
    """ᾱ_t = ∏_{s≤t} (1 − β_s), one value per step."""
    return torch.cumprod(1 - betas, dim=0)
''',
}


class SolutionText(str):
    """The source of a solution; Jupyter shows it as a highlighted code block, ``print`` as plain text."""

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}```"

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))


def solution(name: str) -> SolutionText:
    """The source text of a reference solution written for students: ``print(solution("ddim_sigma"))``.

    Names: ``"ddim_sigma"``, ``"ddim_step"``, ``"posterior_mean"``, ``"timesteps"``, ``"x0_pred"``,
    ``"x0_pred_schedule"``, ``"alpha_bar"`` (a checker's name, e.g. ``"check_ddim_step"``, works too).
    """
    key = name[len("check_"):] if isinstance(name, str) and name.startswith("check_") else name
    if key not in SOLUTIONS:
        raise KeyError(f"no solution {name!r}; choose one of {', '.join(SOLUTIONS)}")
    return SolutionText(SOLUTIONS[key])


def solution_function(name: str) -> Callable:
    """The solution of ``name`` as a function (its source executed), e.g. to compare with a student's."""
    namespace: dict = {}
    exec(compile(solution(name), f"<solution {name}>", "exec"), namespace)
    fns = [v for v in namespace.values() if inspect.isfunction(v)]
    return fns[-1]


# ---- a paired interval over shared seeds (lecture 06) -------------------------------------------------------
def _t_quantile(df: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.975, df))


def _paired_forms(a: torch.Tensor, b: torch.Tensor) -> dict:
    n = a.numel()
    d, q = a - b, _t_quantile(n - 1)
    one = lambda v: (torch.as_tensor(v, dtype=_F64).reshape(()),)  # noqa: E731
    return {
        "ref": one(q * d.std() / n**0.5),
        "unpaired": one(q * ((a.var() + b.var()) / n) ** 0.5),
        "sum_of_halfwidths": one(q * (a.std() + b.std()) / n**0.5),
        "z_quantile": one(1.959963984540054 * d.std() / n**0.5),
        "ddof0": one(q * d.std(unbiased=False) / n**0.5),
        "no_sqrt_n": one(q * d.std()),
    }


@functools.lru_cache(maxsize=1)
def _paired_cases() -> list[_Case]:
    gen = torch.Generator().manual_seed(20)
    cases = []
    for n, shared in ((5, 1.0), (5, 0.0), (3, 2.0), (8, 0.5), (5, 3.0)):
        seed_effect = shared * torch.randn(n, generator=gen, dtype=_F64)
        a = 20 + seed_effect + torch.randn(n, generator=gen, dtype=_F64)
        b = 18 + seed_effect + 0.7 * torch.randn(n, generator=gen, dtype=_F64)
        forms = _paired_forms(a, b)
        cases.append(_Case(args=(a, b), ref=forms["ref"], variants={k: v for k, v in forms.items() if k != "ref"},
                           describe=lambda lang, idx, n=n: _t("ex_where_paired", lang, n=n), kind="tensor",
                           arg_names=("row_a", "row_b")))
    return cases


def check_paired_interval(fn, *, lang: str | None = None, verbose: bool = True) -> bool:
    """Check ``fn(row_a, row_b) -> half_width``: the 95% half-width of the mean of the per-seed differences
    of two rows of a table that were run with the same seeds (lecture 06):

        d_s = a_s − b_s,      half-width = t_{0.975, n−1} · sd(d) / √n      (sd with n − 1)

    ``row_a`` and ``row_b`` are float64 tensors of n per-seed scores (seed s in position s). Return a float
    or a 0-d tensor. The difference of the two rows is resolved when |mean(d)| exceeds it.

    Prints feedback and returns True or False; ``last_result().mistake`` names a recognised mistake
    (``MISTAKES["paired_interval"]``): the unpaired (Welch-like) spread, the sum of the two half-widths,
    the normal 1.96, the standard deviation over n, or no √n.
    """
    return _run("paired_interval", "paired_interval", fn, _paired_cases(), lang=lang, verbose=verbose,
                what_key="ex_what_paired", signature="fn(row_a, row_b)")

