"""The engine behind the exercise checkers (``ddim_teach.course.exercises``): run, compare, explain.

A checker hands ``_run`` the student's function, its cases (inputs, the reference outputs and the outputs of
every known-wrong variant) and the codes of the mistakes it recognises. ``_run`` calls the function on every
case, never lets a student's exception escape, and words one verdict in the current language:

    1. a pass: every output within the tolerance of the reference;
    2. a named mistake: one wrong variant matches every case (``_named_mistake``);
    3. an exception, read for what it says (``_raised_verdict``): a stub, math.sqrt on a tensor, ...;
    4. the first wrong case, with what is odd about it (``_wrong_verdict``).

The verdict is printed and kept as the ``CheckResult`` that ``last_result()`` returns. The words live in the
message catalog ``ddim_teach/messages/exercises.toml``; the inputs that several checkers share (schedules,
pairs of timesteps on the leading τ, how a case is named) are at the end of this module.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from .. import i18n
from ..core.schedule import make_schedule
from ..core.timesteps import make_timesteps
from ..i18n import load_catalog

load_catalog("exercises")  # the texts: ddim_teach/messages/exercises.toml


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
def _t(key: str, lang: str, **fields) -> str:
    return i18n.tr(key, lang, **fields)


def _hint(exercise: str, code: str, lang: str, **fields) -> str:
    """The hint of one recognised mistake (catalog key ``ex_hint_<exercise>_<code>``)."""
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



def _call(fn, case: _Case, normalise: Callable, lang: str) -> _Out:
    """The student's function on one case, its output read (or what went wrong), its inputs left as they were."""
    args = tuple(a.clone() if isinstance(a, torch.Tensor) else a for a in case.args)
    try:
        out = fn(*args)
    except Exception as exc:  # a student's error never escapes: it becomes the feedback
        return _Out("raised", exc=exc)
    if out is None:  # a stub that returns nothing yet: "not yet", as for raise NotImplementedError
        return _Out("bad", code="returned_none", text=_t("ex_returned_none", lang))
    changed = [name for a, a0, name in zip(args, case.args, case.arg_names)
               if isinstance(a0, torch.Tensor) and (a.shape != a0.shape or not torch.equal(a, a0))]
    if changed:
        return _Out("bad", code="inplace", text=_t("ex_inplace", lang, arg=changed[0]))
    try:
        return normalise(out, case)
    except Exception as exc:  # an output so odd that even reading it fails
        return _Out("bad", code="type", text=_t("ex_bad_type", lang, where=case.describe(lang, None),
                                                type=type(out).__name__, expected=_exc_name(exc)))


def _partial_support(cases: list[_Case], outs: list[_Out], raised: list[int]) -> tuple[str | None, set]:
    """A function that handles only floats (math.sqrt) or only tensors (torch.sqrt): ``("float_only", the
    tensor cases)`` or ``("tensor_only", the float cases)``, so that its formula is judged on the others."""
    support, skip = None, set()
    odd = [i for i in raised if not _is_arith(outs[i].exc)]
    for kind, other, key in (("tensor", "float", "float_only"), ("float", "tensor", "tensor_only")):
        on_kind = [i for i, c in enumerate(cases) if c.kind == kind]
        if (odd and all(cases[i].kind == kind for i in odd) and all(i in odd for i in on_kind)
                and any(c.kind == other and i not in odd for i, c in enumerate(cases))):
            support, skip = key, set(on_kind)
    return support, skip


@dataclass
class _Run:
    """One check after the calls: the cases, the student's outputs, and the words of a verdict."""

    exercise: str
    title: str
    cases: list
    outs: list
    lang: str
    signature: str
    part_names: tuple
    rtol: float
    atol: float
    ok: list = field(init=False)  # per case: a number of the right shape, within the tolerance
    raised: list = field(init=False)  # the cases where the function raised
    support: str | None = field(init=False)  # "float_only", "tensor_only" or None (see _partial_support)
    skip: set = field(init=False)  # the cases the function cannot handle by its kind of input

    def __post_init__(self):
        self.ok = [o.status == "ok" and all(_close(g, w, self.rtol, self.atol) for g, w in zip(o.parts, c.ref))
                   for o, c in zip(self.outs, self.cases)]
        self.raised = [i for i, o in enumerate(self.outs) if o.status == "raised"]
        self.support, self.skip = _partial_support(self.cases, self.outs, self.raised)

    @property
    def header(self) -> str:
        return _t("ex_fail", self.lang, name=self.title)

    def hint(self, text: str) -> str:
        return _t("ex_hint", self.lang, hint=text)

    @property
    def support_line(self) -> str | None:
        return self.hint(_t(f"ex_{self.support}", self.lang)) if self.support else None

    @property
    def any_complex(self) -> bool:
        return any(o.complex_ for o in self.outs)

    def first_wrong(self) -> int | None:
        """The first case that returned a number of the right shape with wrong values."""
        return next((i for i, o in enumerate(self.outs) if o.status == "ok" and not self.ok[i]), None)

    def mismatch_line(self, i: int) -> str:
        """Where case ``i`` differs most from the reference: the expected and the returned value."""
        o, c, lang = self.outs[i], self.cases[i], self.lang
        for name, g, w in zip(self.part_names, o.parts, c.ref):
            if g.shape != w.shape:
                return _t("ex_bad_shape", lang, where=c.describe(lang, None), got=tuple(g.shape), want=tuple(w.shape))
            if not _close(g, w, self.rtol, self.atol):
                idx = _worst_index(g, w)
                fields = dict(where=c.describe(lang, idx), want=_fmt_at(w, idx, lang), got=_fmt_at(g, idx, lang))
                if name:
                    return _t("ex_mismatch_part", lang, part=name, **fields)
                return _t("ex_mismatch", lang, **fields)
        return ""

    def matches(self, code: str) -> bool:
        """Every case (but those skipped) agrees with the wrong variant ``code``."""
        return all(code in c.variants for c in self.cases) and all(
            _consistent(o, c.variants[code], code in c.undefined, self.rtol, self.atol)
            for i, (o, c) in enumerate(zip(self.outs, self.cases)) if i not in self.skip)


def _named_mistake(run: _Run, mistakes: tuple, hint_fields: Callable | None) -> tuple[str, list[str]] | None:
    """The first recognised mistake whose variant matches every case, and the verdict's lines; None if none does.

    The function must have returned a value on at least one case: one that always raises matches nothing.
    """
    returned = any(o.status == "ok" for i, o in enumerate(run.outs) if i not in run.skip)
    code = next((code for code in (mistakes if returned else ()) if run.matches(code)), None)
    if code is None:
        return None
    lines = [run.header]
    first_wrong = run.first_wrong()
    if first_wrong is not None:
        lines.append(run.mismatch_line(first_wrong))
    fields = hint_fields(code, run.lang) if hint_fields else {}
    lines.append(run.hint(_hint(run.exercise, code.split(":")[0], run.lang, **fields)))
    arith = [i for i in run.raised if i not in run.skip]
    if arith:
        lines.append(_t("ex_also_raised", run.lang, exc=type(run.outs[arith[0]].exc).__name__))
    if run.any_complex:
        lines.append(_t("ex_complex", run.lang))
    if run.support_line:
        lines.append(run.support_line)
    return code, lines


def _raised_verdict(run: _Run) -> tuple[str, list[str]]:
    """The function raised (and no mistake matched): what the first exception says, and what it means."""
    i = run.raised[0]
    exc, lang, cases = run.outs[i].exc, run.lang, run.cases
    lines = [run.header, _t("ex_raised", lang, exc=_exc_name(exc), where=cases[i].describe(lang, None))]
    if isinstance(exc, NotImplementedError):
        return "not_implemented", [run.header, _t("ex_not_implemented", lang)]
    if run.support and all(run.ok[j] for j in range(len(cases)) if j not in run.skip):
        return run.support, lines + [run.support_line]
    if run.exercise == "ddim_step" and all(cases[j].eta == 0 for j in run.raised) and any(c.eta for c in cases):
        return "noise_none", lines + [run.hint(_t("ex_noise_none", lang))]
    if _is_arith(exc):
        return "domain", lines + [run.hint(_t("ex_domain", lang))]
    if isinstance(exc, TypeError) and "argument" in str(exc):
        return "signature", lines + [run.hint(_t("ex_signature", lang, sig=run.signature))]
    if run.support:  # wrong on the inputs it handles too, by no recognised mistake
        j = next((j for j in range(len(cases)) if j not in run.skip and not run.ok[j]), None)
        if j is not None and run.outs[j].status == "ok":
            lines.append(run.mismatch_line(j))
        lines.append(run.support_line)
    return "raised", lines


def _wrong_verdict(run: _Run, explain: Callable | None) -> tuple[str, list[str]]:
    """The first case that went wrong: an output that is not a number of the right shape, or wrong values."""
    i = next(i for i in range(len(run.cases)) if not run.ok[i])
    out, case = run.outs[i], run.cases[i]
    if out.status == "bad":
        return out.code, [run.header, out.text]
    lines = [run.header, run.mismatch_line(i)]
    code = "wrong"
    found = explain(case, out, run.lang) if explain is not None else None
    if found:
        code, hint = found
        lines.append(run.hint(hint))
    if code == "wrong" and any(not bool(torch.isfinite(g).all()) for g in out.parts):
        lines.append(_t("ex_nan", run.lang, where=case.describe(run.lang, None)))
        code = "nan"
    if run.any_complex:
        lines.append(_t("ex_complex", run.lang))
    return code, lines


def _finish(exercise: str, passed: bool, mistake: str | None, lines: list[str], lang: str, n_cases: int,
            verbose: bool) -> bool:
    """Keep the verdict as ``last_result()``, print it (unless ``verbose`` is False) and return ``passed``."""
    text = "\n".join(lines)
    _LAST["result"] = CheckResult(exercise, passed, mistake, text, lang, n_cases)
    if verbose:
        print(text)
    return passed


def _run(exercise: str, title: str, fn, cases: list[_Case], *, lang, verbose: bool, what_key: str, signature: str,
         mistakes: tuple = (), part_names: tuple = ("",), normalise=None, explain=None, hint_fields=None,
         rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Check ``fn`` on ``cases`` and print one verdict (see the module's docstring for the order)."""
    lang = lang or i18n.get_language()
    if not callable(fn):
        lines = [_t("ex_fail", lang, name=title), _t("ex_not_callable", lang, type=type(fn).__name__)]
        return _finish(exercise, False, "not_callable", lines, lang, len(cases), verbose)
    normalise = normalise or (lambda out, case: _normalise_numeric(out, case, lang))
    run = _Run(exercise, title, cases, [_call(fn, case, normalise, lang) for case in cases], lang, signature,
               part_names, rtol, atol)
    if all(run.ok):
        lines = [_t("ex_pass", lang, name=title, n=len(cases), what=_t(what_key, lang))]
        return _finish(exercise, True, None, lines, lang, len(cases), verbose)
    found = _named_mistake(run, mistakes, hint_fields)
    if found is None:
        found = _raised_verdict(run) if run.raised else _wrong_verdict(run, explain)
    code, lines = found
    return _finish(exercise, False, code, lines, lang, len(cases), verbose)


# ---- the inputs the checkers share ------------------------------------------------------------------------
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



# ---- wrong variants ---------------------------------------------------------------------------------------
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
