"""The sympy derivations of ddim_teach.course.symbolic: every step holds, a wrong step is caught, and the symbolic
coefficients agree with the package's numbers (an independent check of both). One section per lecture."""
import pytest
import sympy as sp
import torch

import ddim_teach as dt
from ddim_teach.course import symbolic as sym


# ---- lecture 01 ----
S = sym  # lectures 01-02 write S


def test_forward_composition_and_chain_hold():
    assert S.all_zero(S.forward_composition_steps())
    assert S.all_zero(S.forward_chain_steps(4))


def test_forward_chain_rejects_bad_T():
    with pytest.raises(ValueError, match="T must be an int"):
        S.forward_chain_steps(0)


def test_forward_composition_detects_a_wrong_variance(monkeypatch):
    """The classic slip, adding standard deviations instead of variances, put into the package's own derivations:
    both must then fail at their variance step (and only there), with the residual worked out here by hand."""
    assert S.all_zero(S.forward_composition_steps()) and S.all_zero(S.forward_chain_steps(2))
    monkeypatch.setattr(S, "_noise_variance_after", lambda a, v: sp.sqrt(a * v) + sp.sqrt(1 - a))
    coef, var = S.forward_composition_steps()
    assert coef.residual == 0 and var.residual != 0
    # with ᾱ_{t-1} = 1/(1+k), α_t = 1/(1+m): √(α_t (1-ᾱ_{t-1})) + √β_t - (1 - ᾱ_t), written from the definitions
    k, m = sp.symbols("k m", positive=True)
    abp, a = 1 / (1 + k), 1 / (1 + m)
    assert sp.simplify(var.residual - (sp.sqrt(a * (1 - abp)) + sp.sqrt(1 - a) - (1 - a * abp))) == 0
    chain = S.forward_chain_steps(2)
    assert chain[0].residual == 0 and chain[1].residual != 0


# ---- lecture 02 ----


@pytest.mark.parametrize("fn", [S.gaussian_marginal_steps, S.lemma1_steps, S.forward_conditional_steps,
                                S.bayes_step_steps, S.telescoping_steps])
def test_lecture02_derivations_hold(fn):
    steps = fn()
    assert steps and S.all_zero(steps), [(s.name, s.residual) for s in steps]


def test_lemma1_fails_without_sigma_in_the_direction_coefficient(monkeypatch):
    """c = √(1 - ᾱ_{t-1}) (σ dropped from the root) put into the package's Lemma 1 derivation: the mean step
    still holds (it does not depend on c), the variance step is off by exactly σ_t² = (1-ᾱ_{t-1})/(1+n)."""
    assert S.all_zero(S.lemma1_steps())
    monkeypatch.setattr(S, "_sym_direction", lambda abar_prev, sigma2: sp.sqrt(1 - abar_prev))
    mean, var, sigma0 = S.lemma1_steps()
    assert mean.residual == 0 and sigma0.residual == 0
    k, n = sp.symbols("k n", positive=True)
    assert sp.simplify(var.residual - (1 - 1 / (1 + k)) / (1 + n)) == 0


def test_forward_conditional_x0_coef_matches_the_package():
    # independent route: derivations.q_sigma_forward_step conditions the pair numerically (float64)
    s = dt.make_schedule("linear", T=1000)
    expr = S.forward_conditional_x0_coef()
    for k in (1, 10, 500):  # table index k is the paper's t = k + 1
        ab, abp = float(s.alphas_cumprod[k]), float(s.alphas_cumprod_prev[k])
        abar, abar_prev = sp.symbols("abar abar_prev", positive=True)
        value = float(expr.subs({abar: ab, abar_prev: abp}))
        _, pkg, _ = dt.q_sigma_forward_step(s, k, 0.0)
        assert value != 0 and abs(value - pkg) < 1e-12 * max(1.0, abs(pkg))


def test_lecture02_checkers_pass_the_reference_and_name_the_mistakes(capsys):
    assert S.check_forward_x0_coef(S._x0_coef_ref, lang="en")
    assert S.check_lemma1_step(S._lemma1_ref, lang="en")
    assert not S.check_forward_x0_coef(lambda ab, abp: 0.0, lang="en")  # DDPM's answer
    assert "DDPM's answer" in capsys.readouterr().out
    assert not S.check_forward_x0_coef(lambda ab, abp: S._x0_coef_ref(abp, ab)[0], lang="en")
    assert "swapped" in capsys.readouterr().out
    no_sigma = lambda m, v, x0, ab, abp, s: (S._lemma1_ref(m, v, x0, ab, abp, s)[0],  # noqa: E731
                                             S._lemma1_ref(m, v, x0, ab, abp, s)[1] - s**2)
    assert not S.check_lemma1_step(no_sigma, lang="en")
    assert "lacks" in capsys.readouterr().out
    # a function that returns q(x_{t-1}|x_0)'s moments without using its inputs fails
    assert not S.check_lemma1_step(lambda m, v, x0, ab, abp, s: (abp**0.5 * x0, 1 - abp), lang="en")


def test_lecture02_checkers_never_raise(capsys):
    def stub(*args):
        raise NotImplementedError

    assert not S.check_lemma1_step(stub, lang="ko") and "아직" in capsys.readouterr().out
    assert not S.check_forward_x0_coef(lambda *a: 1 / 0, lang="en")
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not S.check_forward_x0_coef(lambda *a: "text", lang="en")


def test_telescoping_rejects_bad_betas():
    with pytest.raises(ValueError, match="betas must hold"):
        S.telescoping_steps((sp.Rational(1, 2),))
    with pytest.raises(ValueError, match="betas must hold"):
        S.telescoping_steps((sp.Rational(1, 2), 2))


# ---- lecture 03 ----
@pytest.mark.parametrize("steps", [sym.posterior_mean_steps, sym.posterior_mean_second_form_steps])
def test_lecture03_steps_hold(steps):
    result = steps()
    assert len(result) == 5
    assert sym.all_zero(result), [s.name for s in result if s.residual != 0]


def test_lecture03_a_wrong_step_is_caught(monkeypatch):
    """The classic slip, β_t in place of β̃_t, put into the package's posterior coefficients: the completed square
    (step 4, 1/A = β̃) and the second form's root (steps 1-2) must fail; the coefficient steps do not use β̃."""
    right = sym.posterior_coefficients()
    monkeypatch.setattr(sym, "posterior_coefficients", lambda: (right[0], right[1], sym._beta))
    first = sym.posterior_mean_steps()
    assert [s.residual != 0 for s in first] == [False, False, False, True, False]
    second = sym.posterior_mean_second_form_steps()
    assert [s.residual != 0 for s in second] == [True, True, False, False, False]
    # step 1's residual, by hand: (1 - ᾱ_{t-1} - β_t) - α_t (1-ᾱ_{t-1})²/(1-ᾱ_t)
    a, abp = sym._a, sym._abp
    assert sp.simplify(second[0].residual - ((1 - abp - (1 - a)) - a * (1 - abp) ** 2 / (1 - a * abp))) == 0


def test_lecture03_coefficients_match_the_schedule():
    s = dt.make_schedule("linear", T=1000)
    c0, ct, bt = (sp.lambdify((sym._a, sym._abp), e) for e in sym.posterior_coefficients())
    for k in (1, 10, 300, 999):  # table index k = paper's t - 1; k = 0 has ᾱ_{t-1} = 1 and β̃ = 0
        a, abp = float(s.alphas[k]), float(s.alphas_cumprod[k - 1])
        # float64 round-off of the package's tables: measured below 3e-16 relative
        assert c0(a, abp) == pytest.approx(float(s.posterior_mean_coef1[k]), rel=1e-12)
        assert ct(a, abp) == pytest.approx(float(s.posterior_mean_coef2[k]), rel=1e-12)
        assert bt(a, abp) == pytest.approx(float(s.posterior_variance[k]), rel=1e-12)


# ---- lecture 04 ----
@pytest.mark.parametrize("steps", [sym.eq12_from_eq7_steps, sym.variance_bookkeeping_steps,
                                   sym.ddpm_is_posterior_at_x0_hat_steps])
def test_lecture04_steps_hold(steps):
    assert sym.all_zero(steps())


def test_lecture04_sigma_for_sigma_squared_is_caught(monkeypatch):
    """σ where σ² belongs, put into the package's variance bookkeeping (lectures 04 and 05): the variance step
    is then off by σ² - σ (by hand), which vanishes only at σ = 0 or 1."""
    assert sym.all_zero(sym.variance_bookkeeping_steps()) and sym.all_zero(sym.skip_step_steps())
    monkeypatch.setattr(sym, "_sym_direction", lambda abar_prev, sigma2: sp.sqrt(1 - abar_prev - sp.sqrt(sigma2)))
    mean, var = sym.variance_bookkeeping_steps()
    assert mean.residual == 0
    assert sp.simplify(var.residual - (sym._sigma**2 - sym._sigma)) == 0
    assert not sym.all_zero(sym.skip_step_steps())


def test_lecture04_eq12_matches_ddim_step():
    f = sp.lambdify((sym._xt, sym._eps, sym._a, sym._abp, sym._sigma),
                    sp.sqrt(sym._abp) * sym.x0_hat() + sp.sqrt(1 - sym._abp - sym._sigma**2) * sym._eps)
    a, abp, eta = 0.98, 0.6, 0.5
    # σ from Eq. 16 as a sympy expression here (not the package's ddim_sigma): η √((1-ᾱ_{t-1})/(1-ᾱ_t)) √(1-ᾱ_t/ᾱ_{t-1})
    eq16 = eta * sp.sqrt((1 - sym._abp) / (1 - sym._ab)) * sp.sqrt(1 - sym._ab / sym._abp)
    sigma = float(eq16.subs({sym._a: a, sym._abp: abp}))
    assert sigma > 0.05  # a real stochastic step (0.0844 here)
    x_t, eps, z = (torch.randn(5, dtype=torch.float64, generator=torch.Generator().manual_seed(i)) for i in range(3))
    x_prev, _ = dt.ddim_step(x_t, eps, a * abp, abp, eta=eta, noise=z)
    mean = torch.tensor([f(float(u), float(v), a, abp, sigma) for u, v in zip(x_t, eps)], dtype=torch.float64)
    assert torch.allclose(x_prev - sigma * z, mean, atol=1e-12, rtol=0)


# ---- lecture 05 ----
def test_lecture05_skip_steps_hold():
    steps = sym.skip_step_steps()
    assert len(steps) == 4 and sym.all_zero(steps)


def test_lecture05_skip_uses_no_consecutive_relation():
    # the bookkeeping holds for an arbitrary pair (ᾱ_t, ᾱ_s): its symbols are free of α_t
    for s in sym.skip_step_steps():
        assert sym._a not in (s.lhs - s.rhs).free_symbols


# ---- lecture 06 ----
@pytest.mark.parametrize("steps", [sym.sigma_hat_steps, sym.gaussian_law_steps])
def test_lecture06_steps_hold(steps):
    assert sym.all_zero(steps())


def test_lecture06_gain_matches_the_package_and_a_wrong_step_is_caught(monkeypatch):
    """The symbolic A (unit data, η = 0) equals gaussian_law's number on a real jump; σ(1) in place of σ̂
    does not keep the variance."""
    from ddim_teach.experiments import gaussian_law as gl

    s = dt.make_schedule("linear", T=1000)
    a_t, a_s = float(s.alphas_cumprod[899]), float(s.alphas_cumprod[799])
    A, _, _ = gl.ddim_affine_step([0.0], [1.0], a_t, a_s, 0.0)
    assert float(A) == pytest.approx((a_t * a_s) ** 0.5 + ((1 - a_t) * (1 - a_s)) ** 0.5, rel=1e-12)
    A1, _, sig = gl.ddim_affine_step([0.0], [1.0], a_t, a_s, "sigma_hat")
    assert float(A1) ** 2 + sig**2 == pytest.approx(1.0, rel=1e-12)
    # σ(1)² (Eq. 16 at η = 1) in place of σ̂² in the package's derivation: "keeps the variance" must fail, by
    # exactly minus the loss of step 3, (1 - ᾱ_t/ᾱ_s)(ᾱ_s - ᾱ_t)/(1 - ᾱ_t), written here
    monkeypatch.setattr(sym, "_sym_sigma_hat2", lambda at, as_: (1 - as_) / (1 - at) * (1 - at / as_))
    steps = sym.gaussian_law_steps()
    assert [s.residual != 0 for s in steps] == [False, False, True, False, False]
    abar_s, _, abar_t, _ = sym._one_step_schedule()
    loss = (1 - abar_t / abar_s) * (abar_s - abar_t) / (1 - abar_t)
    assert sp.simplify(steps[2].residual + loss) == 0
    assert not sym.all_zero(sym.sigma_hat_steps())


# ---- lecture 07 ----
@pytest.mark.parametrize("steps", [sym.inversion_steps, sym.slerp_norm_steps])
def test_lecture07_steps_hold(steps):
    assert sym.all_zero(steps())


def test_lecture07_inversion_undoes_ddim_step_on_tensors():
    s = dt.make_schedule("linear", T=1000)
    a_t, a_s = float(s.alphas_cumprod[500]), float(s.alphas_cumprod[300])
    g = torch.Generator().manual_seed(0)
    x_t, eps = torch.randn(3, 5, generator=g, dtype=torch.float64), torch.randn(3, 5, generator=g, dtype=torch.float64)
    x_s, _ = dt.ddim_step(x_t, eps, a_t, a_s)
    back = a_t**0.5 * (x_s - (1 - a_s) ** 0.5 * eps) / a_s**0.5 + (1 - a_t) ** 0.5 * eps
    assert torch.allclose(back, x_t, atol=1e-12)  # float64 round-off, measured ~1e-15


# ---- lecture 08 ----
def test_lecture08_theorem1_steps_hold():
    steps = sym.theorem1_steps() + sym.theorem1_optimum_steps()
    assert len(steps) == 6 and sym.all_zero(steps), [s.name for s in steps if s.residual != 0]


def test_lecture08_dropping_c_t_is_caught(monkeypatch):
    """c_t dropped (the means taken to differ by x_0 - x̂₀ itself), put into the package's Theorem 1 derivation:
    step 2, the difference of Eq. 7's means, must fail; the residual is (c_t - 1)(x_0 - f), with c_t written here."""
    assert sym.all_zero(sym.theorem1_steps())
    monkeypatch.setattr(sym, "theorem1_c", lambda *a: sp.Integer(1))
    steps = sym.theorem1_steps()
    assert [s.residual != 0 for s in steps] == [False, True, False, False, False]
    ab, abp, sig = sym._a * sym._abp, sym._abp, sym._sigma
    c_t = sp.sqrt(abp) - sp.sqrt(1 - abp - sig**2) * sp.sqrt(ab) / sp.sqrt(1 - ab)  # Eq. 7's weight of x_0
    f = sp.Symbol("f", real=True)
    assert sp.simplify(steps[1].residual - (c_t - 1) * (sym._x0 - f)) == 0


def test_lecture08_shared_parameters_make_the_weights_matter():
    theta, d_theta = sym.theorem1_shared_optimum()
    assert d_theta != 0
    s = dt.make_schedule("linear", T=1000)
    sep1, shared1 = sym.theorem1_linear_optimum(s, 4.0)
    gam = torch.cat([torch.ones(1, dtype=torch.float64), sym.theorem1_gammas(s, 1.0)[1]])
    sep2, shared2 = sym.theorem1_linear_optimum(s, 4.0, gam)
    assert torch.equal(sep1, sep2)
    assert abs(shared1 - shared2) > 0.1  # measured: 0.441 (L_simple) against 0.198 (η = 1 weights)


def test_lecture08_gamma_matches_the_kl_of_the_package_means():
    s = dt.make_schedule("linear", T=1000)
    g = torch.Generator().manual_seed(0)
    x0, e = torch.randn(16, 2, generator=g, dtype=torch.float64), torch.randn(16, 2, generator=g, dtype=torch.float64)
    e_theta = e + 0.3 * torch.randn(16, 2, generator=g, dtype=torch.float64)
    for t in (1, 10, 499, 999):
        for eta in (0.2, 1.0):
            kl, weighted = sym.theorem1_kl_check(s, x0, e, e_theta, t, eta)
            # measured relative gap ≤ 3e-12 (float64 round-off, largest at t = 1 where σ is tiny)
            assert torch.allclose(kl, weighted, rtol=1e-9, atol=0)


def test_lecture08_gamma_at_eta1_is_ddpm_weight_and_bad_eta_is_refused():
    s = dt.make_schedule("linear", T=1000)
    t, gam = sym.theorem1_gammas(s, 1.0)
    k = t - 1  # table index of paper t
    beta, alpha, ab = s.betas.double()[k], s.alphas.double()[k], s.alphas_cumprod.double()[k]
    ddpm = beta**2 / (2 * s.posterior_variance.double()[k] * alpha * (1 - ab))
    assert torch.allclose(gam, ddpm, rtol=1e-9, atol=0)
    for bad in (0.0, -0.1, 1.5, True):
        with pytest.raises(ValueError, match="sigma_t > 0"):
            sym.theorem1_gammas(s, bad)


# ---- lecture 10 ----
def test_ode_view_and_gaussian_flow_hold():
    assert sym.all_zero(sym.ode_view_steps())
    assert sym.all_zero(sym.gaussian_flow_steps())


def test_ode_view_detects_a_wrong_step(monkeypatch):
    """The classic slip, stepping with σ - σ_prev (the wrong sign), put into the package's Euler step: the ODE view
    (lecture 10) and the inversion's Euler form (lecture 07) must fail, lecture 10's by exactly 2 (σ_prev - σ) ε."""
    assert sym.all_zero(sym.ode_view_steps()) and sym.all_zero(sym.inversion_steps())
    monkeypatch.setattr(sym, "_sym_euler_step", lambda xbar, sig, sig_prev, eps: xbar + (sig - sig_prev) * eps)
    ode = sym.ode_view_steps()
    assert ode[0].residual == 0
    eps = sp.Symbol("epsilon", real=True)
    sig, sig_p = sp.symbols("sigma sigma_prev", positive=True)
    assert sp.simplify(ode[1].residual - 2 * (sig_p - sig) * eps) == 0
    inv = sym.inversion_steps()
    assert inv[0].residual == 0 and inv[1].residual != 0


def test_gaussian_flow_map_matches_the_symbolic_solution(linear):
    # the package's closed form against the sympy path xbar = mu + c sqrt(s^2 + sigma^2), at two levels
    g = dt.GaussianDenoiser(linear, mean=0.5, std=0.3, sample_shape=(1,))
    x = torch.tensor([[1.7]], dtype=torch.float64)
    ab = linear.alphas_cumprod
    s2 = lambda k: float((1 - ab[k]) / ab[k])
    c = (1.7 / float(ab[700]) ** 0.5 - 0.5) / (0.09 + s2(700)) ** 0.5
    want = (0.5 + c * (0.09 + s2(99)) ** 0.5) * float(ab[99]) ** 0.5
    assert abs(float(dt.gaussian_flow_map(g, x, 700, 99)) - want) < 1e-12
