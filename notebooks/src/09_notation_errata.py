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
# # 09 · Notation and errata
#
# The study note follows the DDIM paper, where $\alpha_t$ means DDPM's $\bar\alpha_t$, but it also uses DDPM's
# $\alpha_t$. Each slip below is shown with a number: what the formula gives if read literally, and what it should give.

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
# ## 1. $\alpha$ for $\bar\alpha$ in $\hat x_0$
# The note writes $\hat x_0=(x_t-\sqrt{1-\alpha_t}\,\epsilon_\theta)/\sqrt{\alpha_t}$ "(여기서 $\bar\alpha_t=\prod\alpha_s$)".
# Read with DDPM's per-step $\alpha_t$, it barely removes any noise. With the true $\epsilon$:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.data import load_dataset
from ddim_teach.errata import x0_pred_literal_alpha

s = dt.make_schedule("linear")
x0 = load_dataset("digits", "test").x[:64].double()
eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
for t in (50, 250, 500):
    x_t = dt.q_sample(s, x0, t, noise=eps)
    literal, correct = x0_pred_literal_alpha(s, x_t, eps, t)
    print(f"t={t}: alpha_t={s.alphas[t].item():.4f} vs alpha_bar_t={s.alphas_cumprod[t].item():.4f}   "
          f"MSE(x0_hat, x0): literal {((literal - x0) ** 2).mean().item():.4f}, correct < 1e-20: {((correct - x0) ** 2).mean().item() < 1e-20}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## 2. $\alpha$ for $\bar\alpha$ in the deterministic update
# The note's $x_{t-1}=\sqrt{\alpha_{t-1}}\hat x_0+\sqrt{1-\alpha_{t-1}}\,\epsilon_\theta$ is right only in the DDIM paper's
# notation. Sampling the exact 8-Gaussian ring with the literal reading:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.errata import sample_ddim_literal_alpha
from ddim_teach.metrics import sliced_wasserstein

ring = dt.ring_of_gaussians(s)
x_T = torch.randn(2000, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
ref = ring.sample(2000, generator=torch.Generator().manual_seed(1))
tau = dt.make_timesteps(1000, 50)
wrong = sample_ddim_literal_alpha(ring, x_T, s, tau)
right = dt.sample_ddim(ring, x_T, s, tau, progress=False)
print(f"sliced W1 to the data: literal alpha {sliced_wasserstein(wrong, ref):.2f}, alpha_bar {sliced_wasserstein(right, ref):.2f}")
print(f"mean radius (data: 2.0): literal {wrong.norm(dim=1).mean().item():.2f}, alpha_bar {right.norm(dim=1).mean().item():.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## 3. $q(x_t\mid x_{t-1},x_0)$ where $q(x_{t-1}\mid x_t,x_0)$ is meant
# In "중간 스텝을 어떻게 건너뛸 수 있는걸까?" the note names the posterior $q(x_t\mid x_{t-1},x_0)$ but writes a density
# over $x_{t-1}$. The two are different distributions over different variables:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
t = 100
x0_pt = torch.tensor([[1.0, -0.5]], dtype=torch.float64)
x_prev = dt.q_sample(s, x0_pt, t - 1, generator=torch.Generator().manual_seed(2))
x_t = dt.q_step_sample(s, x_prev, t, generator=torch.Generator().manual_seed(3))
m_fwd, v_fwd = dt.q_step_mean_variance(s, x_prev, t)          # q(x_t | x_(t-1), x_0) = q(x_t | x_(t-1))
m_post, v_post = dt.q_posterior_mean_variance(s, x0_pt, x_t, t)  # q(x_(t-1) | x_t, x_0)
print(f"q(x_t | x_(t-1), x_0):  a density over x_t,     mean {m_fwd[0].numpy().round(4)}, variance beta_t = {v_fwd.item():.6f}")
print(f"q(x_(t-1) | x_t, x_0):  a density over x_(t-1), mean {m_post[0].numpy().round(4)}, variance beta_tilde = {v_post.item():.6f}")

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## 4. The speed-up is $T/N$, not $K/N$
# $K$ is never defined in the note. Sampling $N$ of $T$ steps makes $N$ network calls instead of $T$:

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.errata import speedup

for N in (10, 50, 100):
    print(f"T = 1000, N = {N}: speed-up T/N = {speedup(1000, N):.0f}x")
