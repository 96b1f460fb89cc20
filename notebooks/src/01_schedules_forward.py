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
# # 01 · Schedules and the forward process
#
# The forward process adds Gaussian noise in $T$ small steps,
# $$q(x_t\mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big),$$
# and because Gaussians compose, any $t$ can be reached in one jump:
# $$q(x_t\mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big),\qquad \bar\alpha_t=\prod_{s=1}^t(1-\beta_s).$$

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
linear, cosine = dt.make_schedule("linear"), dt.make_schedule("cosine")
for t in (0, 99, 499, 999):
    print(f"paper t={t + 1:4d}: alpha_bar linear {linear.alphas_cumprod[t].item():.6f}   cosine {cosine.alphas_cumprod[t].item():.6f}")

# %% slideshow={"slide_type": "-"}
fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), layout="constrained")
plots.plot_schedules(axes, {"linear": linear, "cosine": cosine,
                            "linear, zero SNR": dt.make_schedule("linear", zero_terminal_snr=True)})
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## $q(x_t\mid x_0)$ on digits and on 2-D points
# One $x_0$, one noise draw, several $t$: the closed form needs no loop.

# %% slideshow={"slide_type": "-"}
from ddim_teach.data import load_dataset

digits, moons = load_dataset("digits", "test").x[:8], load_dataset("moons", "test").x[:800]
ts = [0, 50, 100, 250, 500, 999]
fig, axes = plt.subplots(2, len(ts), figsize=(16, 5.5), layout="constrained")
g = torch.Generator().manual_seed(0)
noise_d, noise_m = torch.randn(digits.shape, generator=g), torch.randn(moons.shape, generator=g)
for j, t in enumerate(ts):
    plots.show_images(axes[0, j], dt.q_sample(linear, digits, t, noise=noise_d), 2, title=f"t = {t}")
    plots.plot_points(axes[1, j], dt.q_sample(linear, moons, t, noise=noise_m), lim=4)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## One jump equals $t$ small steps
# Push 4,000 copies of one point through $t$ chained steps $q(x_s\mid x_{s-1})$ and compare the moments with
# the closed form.

# %% slideshow={"slide_type": "-"}
x0_point = torch.tensor([0.8, -0.6])
mean_coef, var = dt.chain_moments(linear, x0_point, n=4000, generator=torch.Generator().manual_seed(1))
closed_mean, closed_var = linear.alphas_cumprod.sqrt(), 1 - linear.alphas_cumprod
print(f"max |chained - closed|: mean/x0 {(mean_coef - closed_mean).abs().max().item():.3f}, "
      f"variance {(var - closed_var).abs().max().item():.3f}  (Monte Carlo, 4000 copies)")

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import ScheduleExplorer

ScheduleExplorer()

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import ForwardExplorer

ForwardExplorer(data="digits")
