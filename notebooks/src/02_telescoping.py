# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# # 02 · The telescoping factorisation
#
# DDPM defines the forward chain as $q(x_{1:T}\mid x_0)=\prod_{t=1}^T q(x_t\mid x_{t-1})$. DDIM writes the same
# joint the other way round:
# $$q(x_{1:T}\mid x_0) = q(x_T\mid x_0)\prod_{t=2}^T q(x_{t-1}\mid x_t, x_0).$$
# The note derives it one Bayes step at a time. Here each step is also a number.

# %% slideshow={"slide_type": "-"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach import plots

plt.rcParams.update(plots.projector_style())
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## One step: Bayes' rule
# $$q(x_{t-1}\mid x_t,x_0)=\frac{q(x_t\mid x_{t-1},x_0)\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}=\frac{q(x_t\mid x_{t-1})\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}\qquad(*)$$
# Multiplied out at $t=2$ and $t=3$:
# $$q(x_1\mid x_0)\,q(x_2\mid x_1)=q(x_2\mid x_0)\,q(x_1\mid x_2,x_0),\qquad q(x_2\mid x_0)\,q(x_3\mid x_2)=q(x_3\mid x_0)\,q(x_2\mid x_3,x_0).$$
# We sample a real trajectory $x_{1:T}$ and evaluate both sides as log-densities.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
s = dt.make_schedule("linear", T=1000)
g = torch.Generator().manual_seed(0)
x0 = torch.randn(4, 2, generator=g, dtype=torch.float64)
res = dt.telescoping_check(s, x0, generator=g)
for t, (lhs, rhs) in res.step_identities.items():
    print(f"t={t}: log lhs = {lhs[0].item():.6f}   log rhs = {rhs[0].item():.6f}   agree to 1e-9: {torch.allclose(lhs, rhs, atol=1e-9, rtol=0)}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## All of $T$: the telescope
# Apply $(*)$ at $t=2$, then $t=3$, …, $t=T$: every $q(x_{t-1}\mid x_0)$ cancels except $q(x_T\mid x_0)$.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"T = {s.T}, B = {x0.shape[0]} trajectories")
print(f"log prod_t q(x_t|x_(t-1))          = {res.log_markov[0].item():.4f}")
print(f"log q(x_T|x_0) + sum q(x_(t-1)|x_t,x_0) = {res.log_telescoped[0].item():.4f}")
print(f"max relative difference < 1e-12: {res.max_rel_diff < 1e-12}")

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# ## "Isn't (*) using the Markov assumption?"
#
# Yes — and that is legitimate, because the *forward* process of DDPM is Markov: $q(x_t\mid x_{t-1},x_0)=q(x_t\mid x_{t-1})$.
# DDIM's family $q_\sigma$ is another matter. Bayes' rule on $q_\sigma$ gives a forward step
# $q_\sigma(x_t\mid x_{t-1},x_0)=\mathcal N(a\,x_{t-1}+b\,x_0,\ v)$. It forgets $x_0$ ($b=0$) only when
# $\sigma_t^2=\tilde\beta_t$, i.e. only for DDPM.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
t = 10
print(f"{'sigma_t':>24s} {'coef of x_(t-1)':>16s} {'coef of x_0':>12s} {'variance':>10s}")
for label, sigma in [("sqrt(beta_tilde) (DDPM)", s.posterior_variance[t].sqrt().item()),
                     ("0.5 sqrt(beta_tilde)", 0.5 * s.posterior_variance[t].sqrt().item()),
                     ("0 (DDIM)", 0.0)]:
    a, b, v = dt.q_sigma_forward_step(s, t, sigma)
    print(f"{label:>24s} {a:16.6f} {b:12.6f} {v:10.6f}")
print(f"DDPM's q(x_t|x_(t-1)): coef sqrt(alpha_t) = {s.alphas[t].sqrt().item():.6f}, variance beta_t = {s.betas[t].item():.6f}")

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# ## The non-Markovian family $q_\sigma$ (DDIM Eq. 7)
# $$q_\sigma(x_{t-1}\mid x_t,x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\tfrac{x_t-\sqrt{\bar\alpha_t}x_0}{\sqrt{1-\bar\alpha_t}},\ \sigma_t^2 I\Big)$$
# **Lemma 1:** for *every* choice of $\sigma$, the marginals stay $q(x_t\mid x_0)$. That is why a network trained
# for DDPM serves every member of the family.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x0_point = torch.tensor([0.7, -1.2])
for eta in (0.0, 0.5, 1.0):
    m = dt.q_sigma_marginal_check(s, x0_point, eta=eta, n_samples=256, generator=torch.Generator().manual_seed(0))
    print(f"eta={eta}: exact moments match q(x_t|x_0) for every t (max diff < 1e-12): {m.max_abs_diff_propagated < 1e-12}")

# %% slideshow={"slide_type": "-"}
n = 1024 if SMOKE else 8192
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
ax.plot(1 - s.alphas_cumprod.numpy(), "k", lw=3, label="1 - ᾱ_t (q(x_t|x_0))")
for eta, c in zip((0.0, 0.5, 1.0), plots.PALETTE):
    m = dt.q_sigma_marginal_check(s, x0_point, eta=eta, n_samples=n, generator=torch.Generator().manual_seed(1))
    ax.plot(m.var_mc.numpy(), color=c, lw=1, label=f"q_σ sampled, η={eta}")
ax.set_xlabel("t"); ax.set_ylabel("variance of x_t"); ax.legend(); plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## …but the joint is DDPM's only at $\sigma_t^2=\tilde\beta_t$
# Both chains are Gaussian with equal marginals, so they are equal exactly when every adjacent covariance
# $\mathrm{Cov}(x_{t-1},x_t)$ agrees. We also compare the log-densities of the same sampled trajectories.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
j = dt.q_sigma_joint_check(dt.make_schedule("linear", T=200), torch.randn(4, 2, generator=torch.Generator().manual_seed(0)),
                           etas=(0.0, 0.5, 0.9, 1.0), generator=torch.Generator().manual_seed(1))
for eta in j.etas:
    lp = j.log_density_gap.get(eta)
    gap = f"{j.cov_gap[eta]:.2e}" if j.cov_gap[eta] > 1e-12 else "< 1e-12"
    print(f"eta={eta}: max |Cov gap| = {gap}   joint equal: {j.cov_gap[eta] < 1e-12}"
          + (f"   mean |log q_sigma - log q| on trajectories {'< 1e-6' if lp < 1e-6 else '= %.1f' % lp}" if lp is not None else "   (sigma = 0: no density)"))
