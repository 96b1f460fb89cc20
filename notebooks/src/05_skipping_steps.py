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
# # 05 · Skipping steps
#
# Because $q_\sigma$ fixes only the marginals $q(x_t\mid x_0)$, nothing ties it to consecutive steps. Define it on a
# sub-sequence $\tau_1<\dots<\tau_S$ of $1..T$ and the marginals are still right (paper Sec. 4.2):
# $$x_{\tau_{i-1}}=\sqrt{\bar\alpha_{\tau_{i-1}}}\,\hat x_0+\sqrt{1-\bar\alpha_{\tau_{i-1}}-\sigma_{\tau_i}^2}\;\epsilon_\theta(x_{\tau_i},\tau_i)+\sigma_{\tau_i}z.$$
# A check with the true $x_0$ standing in for $\hat x_0$: 10 jumps of 100 steps keep every variance at $1-\bar\alpha_\tau$.

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
tau = dt.make_timesteps(1000, 10, "leading")
for eta in (0.0, 1.0):
    rows = dt.q_sigma_subsequence_marginals(s, tau, torch.tensor([0.7, -1.0]), eta=eta, n_samples=20000,
                                            generator=torch.Generator().manual_seed(0))
    worst = max(abs(v - target) for _, v, target, _ in rows)
    print(f"eta={eta}: tau = {[r[0] for r in rows]}  max |var - (1 - alpha_bar)| < 0.03: {worst < 0.03}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## The spacings of $\tau$
# `leading`, `trailing` and `linspace` follow diffusers; `uniform` and `quad` the official DDIM code. Where a
# published formula returns the wrong number of steps, the package repairs it (see `ddim_teach/timesteps.py`).

# %% slideshow={"slide_type": "-"}
fig, axes = plt.subplots(len(dt.SPACINGS), 2, figsize=(15, 7), layout="constrained")
for i, spacing in enumerate(dt.SPACINGS):
    for j, S in enumerate((10, 50)):
        plots.plot_tau(axes[i, j], dt.make_timesteps(1000, S, spacing).tolist(), 1000)
        axes[i, j].set_title(f"{spacing}, S = {S}", fontsize=11); axes[i, j].set_xlabel("")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## The cost: $S$ network calls instead of $T$
# The speed-up is $T/S$: every step costs one network call and the sampler adds nothing else of weight.
# (The note writes $K/N$; with its own symbols the ratio is $T/N$.)

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.errata import speedup

for S in (10, 20, 50, 100):
    print(f"S = {S:3d}: {S} network calls instead of 1000 -> speed-up T/S = {speedup(1000, S):.0f}x")

# %% slideshow={"slide_type": "-"}
import time

model, schedule = dt.load_pretrained("digits")
x_T = torch.randn(16, *model.sample_shape, generator=torch.Generator().manual_seed(0))
t0 = time.perf_counter(); dt.sample_ddpm(model, x_T, schedule, generator=torch.Generator().manual_seed(1), progress=False); t_ddpm = time.perf_counter() - t0
t0 = time.perf_counter(); dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, 50), progress=False); t_ddim = time.perf_counter() - t0
print(f"measured here: DDPM 1000 steps {t_ddpm:.2f} s, DDIM 50 steps {t_ddim:.3f} s, ratio {t_ddpm / t_ddim:.1f} (T/S = 20)")

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import SamplerExplorer

SamplerExplorer(model="digits", S=10, spacing="trailing")
