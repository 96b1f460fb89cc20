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
# # 04 · DDPM vs DDIM sampling
#
# The note's analogy:
#
# * **DDPM** — "학습할 때만 정답지를 보고, 시험 볼 땐 안 봐요": it looks at the answer sheet ($x_0$) only while
#   training; at test time it denoises one Markov step at a time,
#   $x_{t-1}=\frac{1}{\sqrt{\alpha_t}}\big(x_t-\frac{1-\alpha_t}{\sqrt{1-\bar\alpha_t}}\epsilon_\theta\big)+\sigma_t z$.
# * **DDIM** — "시험 볼 때도 정답지를 예측해서 봐요": at test time it *predicts* the answer sheet,
#   $\hat x_0=(x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta)/\sqrt{\bar\alpha_t}$, and uses it in every step:
#   $x_{t-1}=\sqrt{\bar\alpha_{t-1}}\hat x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\epsilon_\theta+\sigma_t z$.

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
model, schedule = dt.load_pretrained("digits")
x_T = torch.randn(8, *model.sample_shape, generator=torch.Generator().manual_seed(0))
rec_ddpm, rec_ddim = dt.TrajectoryRecorder(), dt.TrajectoryRecorder()
x_ddpm = dt.sample_ddpm(model, x_T, schedule, generator=torch.Generator().manual_seed(1), callback=rec_ddpm, progress=False)
x_ddim = dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, 50), callback=rec_ddim, progress=False)
print(f"network calls: DDPM {len(rec_ddpm.steps)}, DDIM {len(rec_ddim.steps)}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## $\hat x_0$ at every step
# Both samplers can report $\hat x_0$; only DDIM *uses* it to take the next step. Top rows: $x_t$; bottom rows: $\hat x_0$.

# %% slideshow={"slide_type": "-"}
for title, rec in (("DDPM, 1000 steps", rec_ddpm), ("DDIM, 50 steps, η = 0", rec_ddim)):
    fig, axes = plt.subplots(2, 10, figsize=(16, 3.6), layout="constrained")
    plots.plot_strip(axes[0], axes[1], rec.xs, rec.x0_preds, rec.timesteps)
    fig.suptitle(title); plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## DDPM is DDIM at $\eta=1$
# With all $T$ steps and the same noise, DDIM's update with $\sigma_t=\sqrt{\tilde\beta_t}$ is DDPM's update
# written another way (notebook 03). The two samplers agree to round-off:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ring = dt.ring_of_gaussians(schedule)
p = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
a = dt.sample_ddim(ring, p, schedule, torch.arange(999, -1, -1), eta=1.0, generator=torch.Generator().manual_seed(5), progress=False)
b = dt.sample_ddpm(ring, p, schedule, generator=torch.Generator().manual_seed(5), progress=False)
print(f"DDIM(eta=1, S=T) vs DDPM, same noise: max |difference| < 1e-10: {(a - b).abs().max().item() < 1e-10}")

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import StepThrough

StepThrough(model="digits", S=10)
