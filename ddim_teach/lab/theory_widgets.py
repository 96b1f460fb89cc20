"""Explorers for lectures 02, 08 and 09, on the machinery of ``widgets._Explorer``.

    JointExplorer    (02) whole chains of q_σ for two η from one x_0: the marginals of x_t agree, the pairs
                     (x_t, x_{t-1}) do not; exact moments beside the samples
    WeightsExplorer  (08) the weights on ‖ε - ε_θ‖² against t for a chosen schedule: the ELBO's λ_t,
                     Theorem 1's γ_t at η, L_simple's 1; and the weight on ‖x_0 - x̂₀‖² that ε, x_0 and v imply
    ErrataExplorer   (09) each erratum as a toggle: the note's formula against the corrected one, on the same x_T

All three are 2-D or 1-D, cached, and meet the 2-D latency target (benchmarks/theory_widgets.py).
"""
from __future__ import annotations

import math

import ipywidgets as W
import numpy as np
from matplotlib.ticker import NullLocator
import torch

from . import plots
from ..core.schedule import make_schedule
from ..core.timesteps import make_timesteps
from ..i18n import register_strings
from .widgets import _Explorer

__all__ = ["JointExplorer", "WeightsExplorer", "ErrataExplorer", "q_sigma_chains", "ERRATA", "WEIGHT_SCHEDULES"]

register_strings({
    "tw_eta_a": {"ko": "η (A)", "en": "η (A)"},
    "tw_eta_b": {"ko": "η (B)", "en": "η (B)"},
    "tw_t": {"ko": "타임스텝 t", "en": "timestep t"},
    "tw_marg_title": {"ko": "$x_t$의 주변분포, $t$ = {t}", "en": "marginal of $x_t$, $t$ = {t}"},
    "tw_pair_title": {"ko": "쌍 $(x_t, x_{{t-1}})$", "en": "pairs $(x_t, x_{{t-1}})$"},
    "tw_exact": {"ko": "정확한 $q(x_t\\mid x_0)$", "en": "exact $q(x_t\\mid x_0)$"},
    "tw_joint_status": {
        "ko": "t = {t}, 체인 {n}개: 평균 A {ma} · B {mb} · 정확 {me}; 분산 A {va} · B {vb} · 정확 {ve} | "
              "corr(x<sub>t</sub>, x<sub>t−1</sub>) A {ca} (정확 {cae}) · B {cb} (정확 {cbe})",
        "en": "t = {t}, {n} chains: mean A {ma} · B {mb} · exact {me}; variance A {va} · B {vb} · exact {ve} | "
              "corr(x<sub>t</sub>, x<sub>t−1</sub>) A {ca} (exact {cae}) · B {cb} (exact {cbe})"},
    "tw_schedule": {"ko": "스케줄", "en": "schedule"},
    "tw_eta": {"ko": "정리 1의 η", "en": "η of Theorem 1"},
    "tw_w_title": {"ko": "$\\|\\epsilon-\\epsilon_\\theta\\|^2$의 가중 계수", "en": "weight on $\\|\\epsilon-\\epsilon_\\theta\\|^2$"},
    "tw_x0_title": {"ko": "$\\|x_0-\\hat x_0\\|^2$의 가중 계수", "en": "weight on $\\|x_0-\\hat x_0\\|^2$"},
    "tw_elbo": {"ko": "ELBO의 $\\lambda_t$", "en": "ELBO $\\lambda_t$"},
    "tw_gamma": {"ko": "$\\gamma_t$ (η = {eta})", "en": "$\\gamma_t$ (η = {eta})"},
    "tw_simple": {"ko": "$L_{simple}$: 1", "en": "$L_{simple}$: 1"},
    "tw_t_axis": {"ko": "타임스텝 $t$", "en": "timestep $t$"},
    "tw_eps": {"ko": "ε 예측: SNR", "en": "ε prediction: SNR"},
    "tw_x0": {"ko": "$x_0$ 예측: 1", "en": "$x_0$ prediction: 1"},
    "tw_v": {"ko": "v 예측: 1 + SNR", "en": "v prediction: 1 + SNR"},
    "tw_w_status": {"ko": "{kind}: λ<sub>1</sub> = {l1}, λ<sub>2</sub> = {l2}, λ<sub>T</sub> = {lT}; "
                          "λ<sub>2</sub>/λ<sub>T/2</sub> = {r}; SNR<sub>T</sub> = {snr}",
                    "en": "{kind}: λ<sub>1</sub> = {l1}, λ<sub>2</sub> = {l2}, λ<sub>T</sub> = {lT}; "
                          "λ<sub>2</sub>/λ<sub>T/2</sub> = {r}; SNR<sub>T</sub> = {snr}"},
    "tw_erratum": {"ko": "정오표 항목", "en": "erratum"},
    "tw_version": {"ko": "식", "en": "formula"},
    "tw_note": {"ko": "노트의 식", "en": "note's formula"},
    "tw_fixed": {"ko": "바로잡은 식", "en": "corrected"},
    "tw_err_a": {"ko": "(a) ᾱ 자리의 α", "en": "(a) α for ᾱ"},
    "tw_err_e": {"ko": "(e) 노이즈 뺀 사후 평균", "en": "(e) posterior mean, no noise"},
    "tw_steps": {"ko": "스텝 S", "en": "steps S"},
    "tw_err_title": {"ko": "{version}: {formula}", "en": "{version}: {formula}"},
    "tw_err_status": {"ko": "같은 x<sub>T</sub> (시드 {seed}), S = {S}. 데이터까지의 sliced W1: 노트 {note} · 바로잡은 식 {fixed} "
                            "(바닥 {floor})",
                      "en": "same x<sub>T</sub> (seed {seed}), S = {S}. Sliced W1 to the data: note {note} · corrected {fixed} "
                            "(floor {floor})"},
})

X0 = 1.0  # the one data point the chains of the joint explorer start from
N_CHAINS = 800
ETA_OPTIONS = tuple(round(0.1 * k, 1) for k in range(11))


def q_sigma_chains(schedule, eta: float, n: int = N_CHAINS, seed: int = 0, x0: float = X0) -> torch.Tensor:
    """(T, n) whole chains of q_σ (Eq. 6–7) from one x_0, with σ_t = η √β̃_t: x_T ~ q(x_T|x_0), then
    x_{t-1} ~ q_σ(x_{t-1}|x_t, x_0) down to x_1. Row k is the paper's t = k + 1 (float64)."""
    if not 0.0 <= eta <= 1.0:
        raise ValueError(f"eta must be in [0, 1], got {eta!r}")
    g = torch.Generator().manual_seed(seed)
    T = schedule.T
    ab, abp = schedule.alphas_cumprod, schedule.alphas_cumprod_prev
    s2 = eta**2 * schedule.posterior_variance
    # Eq. 7: mean √ᾱ_{t-1} x_0 + √(1-ᾱ_{t-1}-σ²)(x_t - √ᾱ_t x_0)/√(1-ᾱ_t), variance σ², per table index
    c = ((1 - abp - s2).clamp(min=0).sqrt() / (1 - ab).sqrt()).tolist()
    a0 = (abp.sqrt() - (1 - abp - s2).clamp(min=0).sqrt() * ab.sqrt() / (1 - ab).sqrt()).mul(float(x0)).tolist()
    sd = s2.sqrt().tolist()
    z = torch.randn(T, n, generator=g, dtype=torch.float64)
    out = torch.empty(T, n, dtype=torch.float64)
    out[-1] = ab[-1].sqrt() * float(x0) + (1 - ab[-1]).sqrt() * z[-1]
    for k in range(T - 1, 0, -1):  # from table index k (paper t = k + 1) to k - 1
        out[k - 1] = a0[k] + c[k] * out[k] + sd[k] * z[k - 1]
    return out


def _exact_pair(schedule, eta, k):
    """(mean, variance of x_t | x_0, correlation of x_t and x_{t-1} under q_σ) at table index k ≥ 1."""
    ab, abp = float(schedule.alphas_cumprod[k]), float(schedule.alphas_cumprod[k - 1])
    s2 = eta**2 * float(schedule.posterior_variance[k])
    c = math.sqrt(max(1 - abp - s2, 0.0))
    return math.sqrt(ab) * X0, 1 - ab, c / math.sqrt(1 - abp)


class JointExplorer(_Explorer):
    """Lecture 02: two q_σ families from one x_0; same marginals, different joints. ``result`` holds the moments."""

    width, height = 13.0, 4.8
    dpi = 80
    layout = None  # fixed margins, wide enough for the widest tick labels (re-solving a layout cost 40 ms a draw)

    def __init__(self, eta_a: float = 0.0, eta_b: float = 1.0, t: int = 500, seed: int = 0, T: int = 1000,
                 lang: str | None = None):
        super().__init__(lang)
        for name, v in (("eta_a", eta_a), ("eta_b", eta_b)):
            if v not in ETA_OPTIONS:
                raise ValueError(f"{name} must be one of {ETA_OPTIONS}, got {v!r}")
        if not (isinstance(t, int) and 2 <= t <= T):
            raise ValueError(f"t must be an int in [2, {T}] (x_t and x_(t-1) both exist), got {t!r}")
        self.schedule = make_schedule("linear", T=T)
        st = self.control_style()
        self.eta_a = W.SelectionSlider(options=ETA_OPTIONS, value=eta_a, description=self.tr("tw_eta_a"), style=st,
                                       continuous_update=False)
        self.eta_b = W.SelectionSlider(options=ETA_OPTIONS, value=eta_b, description=self.tr("tw_eta_b"), style=st,
                                       continuous_update=False)
        self.t = W.IntSlider(value=t, min=2, max=T, description=self.tr("tw_t"), style=st, continuous_update=False,
                             layout=W.Layout(width="520px"))
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description=self.tr("seed"), style=st,
                                     layout=W.Layout(width="180px"))
        self.axes = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.05, right=0.99, bottom=0.14, top=0.92, wspace=0.17)
        controls = [self.eta_a, self.eta_b, self.t, self.seed]
        self._finish(controls, rows=[controls[:2], controls[2:]])

    def _key(self):
        return self._controls_key([self.eta_a, self.eta_b, self.t, self.seed])

    def _update(self):
        t, seed = self.t.value, self.seed.value
        k = t - 1
        etas = {"A": self.eta_a.value, "B": self.eta_b.value}
        chains = {n: self._cached(("chains", e, seed), lambda e=e: q_sigma_chains(self.schedule, e, seed=seed))
                  for n, e in etas.items()}
        me, ve, _ = _exact_pair(self.schedule, 0.0, k)
        res = {"t": t, "exact_mean": me, "exact_var": ve}
        ax0, ax1 = self.axes
        ax0.clear()
        ax1.clear()
        lo, hi = me - 4 * math.sqrt(ve), me + 4 * math.sqrt(ve)
        bins = np.linspace(lo, hi, 41)
        for (name, eta), color in zip(etas.items(), plots.PALETTE):
            x_t, x_prev = chains[name][k], chains[name][k - 1]
            res[name] = {"eta": eta, "mean": float(x_t.mean()), "var": float(x_t.var()),
                         "corr": float(torch.corrcoef(torch.stack([x_t, x_prev]))[0, 1]),
                         "exact_corr": _exact_pair(self.schedule, eta, k)[2]}
            ax0.hist(x_t.numpy(), bins=bins, density=True, histtype="step", lw=2.5, color=color, label=f"{name}: η = {eta}")
            ax1.scatter(x_t[:300].numpy(), x_prev[:300].numpy(), s=9, alpha=0.6, color=color, label=f"{name}: η = {eta}")
        grid = np.linspace(lo, hi, 200)
        ax0.plot(grid, np.exp(-(grid - me) ** 2 / (2 * ve)) / math.sqrt(2 * math.pi * ve), "k--", lw=1.5,
                 label=self.tr("tw_exact"))
        ax0.set_title(self.tr("tw_marg_title", t=t))
        ax0.set_xlabel("$x_t$")
        ax0.legend(loc="upper right")
        ax1.set_title(self.tr("tw_pair_title"))
        ax1.set_xlabel("$x_t$")
        ax1.set_ylabel("$x_{t-1}$")
        ax1.legend(loc="upper left")
        self.result = res
        f = lambda v: f"{v:.3f}"  # noqa: E731
        return self.tr("tw_joint_status", t=t, n=N_CHAINS, ma=f(res["A"]["mean"]), mb=f(res["B"]["mean"]), me=f(me),
                       va=f(res["A"]["var"]), vb=f(res["B"]["var"]), ve=f(ve), ca=f(res["A"]["corr"]),
                       cae=f(res["A"]["exact_corr"]), cb=f(res["B"]["corr"]), cbe=f(res["B"]["exact_corr"]))


WEIGHT_SCHEDULES = ("linear", "cosine", "scaled_linear", "sigmoid")


class WeightsExplorer(_Explorer):
    """Lecture 08: λ_t of the ELBO, γ_t of Theorem 1 and L_simple's 1 against t, for a chosen schedule."""

    width, height = 13.0, 4.8
    dpi = 80
    freeze_layout = True  # the panels' margins hardly change between settings; re-solving them cost 40 ms a draw

    def __init__(self, kind: str = "linear", eta: float = 0.5, lang: str | None = None):
        super().__init__(lang)
        if kind not in WEIGHT_SCHEDULES:
            raise ValueError(f"kind must be one of {', '.join(WEIGHT_SCHEDULES)}, got {kind!r}")
        if eta not in ETA_OPTIONS[1:]:
            raise ValueError(f"eta must be one of {ETA_OPTIONS[1:]} (Theorem 1 needs σ > 0), got {eta!r}")
        st = self.control_style()
        self.kind = W.Dropdown(options=WEIGHT_SCHEDULES, value=kind, description=self.tr("tw_schedule"), style=st,
                               layout=W.Layout(width="auto"))
        self.eta = W.SelectionSlider(options=ETA_OPTIONS[1:], value=eta, description=self.tr("tw_eta"), style=st,
                                     continuous_update=False)
        self.axes = self.figure.subplots(1, 2)
        self._finish([self.kind, self.eta])

    def _key(self):
        return self._controls_key([self.kind, self.eta])

    def _weights(self, kind, eta):
        from ..experiments.laws import elbo_weights, gamma_weights, loss_weights

        s = make_schedule(kind)
        return {"lam": elbo_weights(s), "gamma": gamma_weights(s, eta), "x0": loss_weights(s), "snr": s.snr}

    def _update(self):
        kind, eta = self.kind.value, self.eta.value
        w = self._cached(("w", kind, eta), lambda: self._weights(kind, eta))
        T = len(w["lam"])
        idx = np.unique(np.geomspace(1, T, 300).astype(int)) - 1  # 300 points, even on the log axis: a lighter figure
        t = idx + 1
        ax0, ax1 = self.axes
        ax0.clear()
        ax1.clear()
        ax0.loglog(t, w["lam"].numpy()[idx], color=plots.PALETTE[0], lw=2.5, label=self.tr("tw_elbo"))
        ax0.loglog(t[t >= 2], w["gamma"].numpy()[idx[t >= 2] - 1], color=plots.PALETTE[1], lw=2, label=self.tr("tw_gamma", eta=eta))
        ax0.axhline(1.0, color="k", ls="--", lw=1.5, label=self.tr("tw_simple"))
        ax0.set_xlabel(self.tr("tw_t_axis"))
        ax0.set_title(self.tr("tw_w_title"))
        ax0.legend()
        for key, label, color in (("epsilon", "tw_eps", plots.PALETTE[0]), ("sample", "tw_x0", plots.PALETTE[2]),
                                  ("v", "tw_v", plots.PALETTE[3])):
            ax1.semilogy(t, w["x0"][key].clamp(min=1e-12).numpy()[idx], color=color, lw=2.2, label=self.tr(label))
        for axis in (ax0.xaxis, ax0.yaxis, ax1.yaxis):  # plain tick labels (0.01, 1, 100): no mathtext to typeset
            axis.set_major_formatter("{x:g}")
            axis.set_minor_locator(NullLocator())  # no minor ticks: building them was half of each redraw
        ax1.set_xlabel(self.tr("tw_t_axis"))
        ax1.set_title(self.tr("tw_x0_title"))
        ax1.legend()
        lam = w["lam"]
        self.result = {"kind": kind, "eta": eta, "lambda": lam, "gamma": w["gamma"]}
        g = lambda v: f"{v:.3g}"  # noqa: E731
        return self.tr("tw_w_status", kind=kind, l1=g(lam[0].item()), l2=g(lam[1].item()), lT=g(lam[-1].item()),
                       r=g((lam[1] / lam[T // 2 - 1]).item()), snr=g(w["snr"][-1].item()))


ERRATA = ("a", "e")


class ErrataExplorer(_Explorer):
    """Lecture 09: an erratum as a toggle, the note's formula or the corrected one, from the same x_T on the exact ring."""

    width, height = 7.0, 5.6
    dpi = 80
    n_points = 500

    def __init__(self, erratum: str = "a", version: str = "note", S: int = 50, seed: int = 0, lang: str | None = None):
        super().__init__(lang)
        if erratum not in ERRATA:
            raise ValueError(f"erratum must be one of {ERRATA}, got {erratum!r}")
        if version not in ("note", "fixed"):
            raise ValueError(f"version must be 'note' or 'fixed', got {version!r}")
        if S not in (10, 20, 50, 100):
            raise ValueError(f"S must be one of (10, 20, 50, 100), got {S!r}")
        st = self.control_style()
        self.erratum = W.Dropdown(options=[(self.tr(f"tw_err_{e}"), e) for e in ERRATA], value=erratum,
                                  description=self.tr("tw_erratum"), style=st, layout=W.Layout(width="auto"))
        self.version = W.ToggleButtons(options=[(self.tr("tw_note"), "note"), (self.tr("tw_fixed"), "fixed")],
                                       value=version, description=self.tr("tw_version"), style=st)
        self.S = W.SelectionSlider(options=(10, 20, 50, 100), value=S, description=self.tr("tw_steps"), style=st,
                                   continuous_update=False)
        self.seed = W.BoundedIntText(value=seed, min=0, max=10**6, description=self.tr("seed"), style=st,
                                     layout=W.Layout(width="180px"))
        self.ax = self.figure.subplots()
        controls = [self.erratum, self.version, self.S, self.seed]
        self._finish(controls, rows=[controls[:2], controls[2:]])

    def _key(self):
        return self._controls_key([self.erratum, self.version, self.S, self.seed])

    def _runs(self, erratum, S, seed):
        from ..experiments.metrics import sliced_wasserstein
        from ..experiments.records import get_denoiser, x_T_for
        from ..samplers.loop import _ddim_update, _run_chain, sample_ddim

        d = get_denoiser("exact:ring8")
        s, model = d.schedule, d.model
        x_T = x_T_for("exact:ring8", self.n_points, seed).double()
        tau = make_timesteps(s.T, S)
        if erratum == "a":  # α_t read as DDPM's per-step α in x̂₀ and in the update: the loop reads "ᾱ" from α
            note = _run_chain(model, x_T, s, tau, _ddim_update(0.0), table=s.alphas.tolist(), prediction_type="epsilon",
                              progress=False)
        else:  # "2. 샘플링": μ̃(x_t, x̂₀) with the noise left out = Eq. 12 at η = 1 with z = 0
            note = sample_ddim(model, x_T, s, tau, eta=1.0, noise=[torch.zeros_like(x_T)] * len(tau), progress=False)
        fixed = sample_ddim(model, x_T, s, tau, eta=0.0, progress=False)
        ref = d.reference[: self.n_points].double()
        sw = {k: sliced_wasserstein(v.float(), ref.float()) for k, v in (("note", note), ("fixed", fixed))}
        floor = self._cached("floor", lambda: sliced_wasserstein(d.reference[self.n_points: 2 * self.n_points].float(),
                                                                 ref.float()))
        return {"note": note.float(), "fixed": fixed.float(), "sw": sw, "floor": floor, "ref": d.reference[:1000]}

    def _update(self):
        erratum, version, S, seed = self.erratum.value, self.version.value, self.S.value, self.seed.value
        r = self._cached(("runs", erratum, S, seed), lambda: self._runs(erratum, S, seed))
        x = r[version]
        ax = self.ax
        ax.clear()
        lim = max(3.5, min(float(x.abs().max()) * 1.05, 50.0))
        plots.plot_points(ax, x.clamp(-lim, lim), ref=r["ref"], lim=lim, lang=self.lang)
        ax.set_title(self.tr("tw_err_title", version=self.tr("tw_note" if version == "note" else "tw_fixed"),
                             formula=self.tr(f"tw_err_{erratum}")), color=plots.PALETTE[1] if version == "note" else "black")
        self.result = {"erratum": erratum, "version": version, "sw": r["sw"], "floor": r["floor"], "samples": x}
        g = lambda v: f"{v:.3f}"  # noqa: E731
        return self.tr("tw_err_status", seed=seed, S=S, note=g(r["sw"]["note"]), fixed=g(r["sw"]["fixed"]),
                       floor=g(r["floor"]))
