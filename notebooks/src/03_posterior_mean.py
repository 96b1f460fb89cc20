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
# # 03 · The posterior mean, two ways
#
# Completing the square in $(*)$ gives the posterior $q(x_{t-1}\mid x_t,x_0)=\mathcal N(\tilde\mu_t,\tilde\beta_t I)$ with
# $$\tilde\mu_t=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}x_0+\frac{\sqrt{\alpha_t}(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}x_t,\qquad\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t .$$
# The note rewrites it in DDIM's form, with $\sigma_t^2=\tilde\beta_t$:
# $$\tilde\mu_t=\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}}.$$

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

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
s = dt.make_schedule("linear", T=1000)
g = torch.Generator().manual_seed(0)
x0 = torch.randn(1000, 2, generator=g, dtype=torch.float64)
x_t = torch.randn(1000, 2, generator=g, dtype=torch.float64)
t = torch.randint(0, 1000, (1000,), generator=g)
coef_form, ddim_form = dt.posterior_mean_forms(s, x0, x_t, t)
print(f"1000 random (x_0, x_t, t): the two forms agree to 1e-12: {torch.allclose(coef_form, ddim_form, atol=1e-12, rtol=0)}")
for tt in (1, 10, 100, 999):
    print(f"t={tt:3d}: coef of x_0 = {s.posterior_mean_coef1[tt].item():.6f}, coef of x_t = {s.posterior_mean_coef2[tt].item():.6f}, beta_tilde = {s.posterior_variance[tt].item():.3e}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## What changes when $\sigma_t$ varies
# Keep $x_0$ and $x_t$ fixed and move $\sigma_t$ from $0$ (DDIM) to $\sqrt{\tilde\beta_t}$ (DDPM). The mean slides
# along the line between the "predicted $x_0$" point and the direction to $x_t$, and the spread grows.

# %% slideshow={"slide_type": "-"}
t = 300
x0_pt = torch.tensor([[1.5, 0.5]], dtype=torch.float64)
x_t_pt = dt.q_sample(s, x0_pt, t, generator=torch.Generator().manual_seed(3))
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
etas = torch.linspace(0, 1, 21)
means, sds = [], []
for eta in etas:
    sigma = eta * s.posterior_variance[t].sqrt()
    m, v = dt.q_sigma_posterior_mean_variance(s, x0_pt, x_t_pt, t, sigma)
    means.append(m[0]); sds.append(v[0, 0].sqrt())
means = torch.stack(means)
axes[0].plot(means[:, 0], means[:, 1], "o-", ms=4, label="mean of q_σ(x_(t-1)|x_t,x_0), η: 0 → 1")
axes[0].plot(*x0_pt[0], "k*", ms=14, label="x_0"); axes[0].plot(*x_t_pt[0], "rs", ms=8, label="x_t")
axes[0].legend(fontsize=9); axes[0].set_title(f"t = {t}")
axes[1].plot(etas, torch.stack(sds), label="σ_t (noise added)")
axes[1].plot(etas, [(1 - s.alphas_cumprod[t - 1] - (e * s.posterior_variance[t].sqrt()) ** 2).sqrt().item() for e in etas], label="√(1-ᾱ_(t-1)-σ²) (direction to x_t)")
axes[1].set_xlabel("η = σ_t / √β̃_t"); axes[1].legend(fontsize=9)
plt.show()
