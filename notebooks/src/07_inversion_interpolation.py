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
# # 07 · Inversion, consistency and interpolation
#
# With $\eta=0$ the sampler is an ODE solver, so it can run backwards: encode $x_0\to x_T$, then decode
# $x_T\to x_0$ (paper Sec. 5.4). Each encoding step needs $\epsilon$ at the next time, which is unknown; the
# package uses $\epsilon_\theta(x_{t_{i-1}},t_i)$, and the error shrinks as the steps get smaller.

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
from ddim_teach import evaluation as ev

S_list = (10, 20, 50) if SMOKE else (10, 20, 50, 100, 200, 500, 1000)
errs = ev.reconstruction_errors("digits", S_list, n=32 if SMOKE else 200)
paper = dict(zip(ev.PAPER_TABLE2_CIFAR10["S"], ev.PAPER_TABLE2_CIFAR10["mse"]))
print(f"{'S':>5s} {'digits MSE':>12s} {'CIFAR10 (paper)':>16s}")
for S, e in zip(S_list, errs):
    print(f"{S:5d} {e:12.5f} {paper[S]:16.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## Consistency: the same $x_T$ at several $S$
# With $\eta=0$, $x_T$ decides the image; more steps only refine it (paper Sec. 5.3).

# %% slideshow={"slide_type": "-"}
model, schedule = dt.load_pretrained("digits")
x_T = torch.randn(8, *model.sample_shape, generator=torch.Generator().manual_seed(3))
S_show = (10, 20, 50) if SMOKE else (10, 20, 50, 100, 1000)
fig, axes = plt.subplots(len(S_show), 1, figsize=(10, 1.6 * len(S_show)), layout="constrained")
for ax, S in zip(axes, S_show):
    plots.show_images(ax, dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, S), progress=False), 1)
    ax.set_ylabel(f"S={S}", rotation=0, labelpad=25)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## Interpolation in $x_T$
# Spherical interpolation (slerp) between two noises, decoded with 50 steps, moves smoothly between digits.

# %% slideshow={"slide_type": "-"}
z0, z1 = torch.randn(2, 1, *model.sample_shape, generator=torch.Generator().manual_seed(11))
alphas = torch.linspace(0, 1, 9)
z = torch.cat([ev.slerp(z0, z1, float(a)) for a in alphas])
fig, ax = plt.subplots(figsize=(12, 1.8), layout="constrained")
plots.show_images(ax, dt.sample_ddim(model, z, schedule, dt.make_timesteps(1000, 50), progress=False), 1)
plt.show()

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import CompareExplorer

CompareExplorer(model="digits", mode="S=10 vs S=1000")
