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
# # DDIM, number by number — start here
#
# **Denoising Diffusion Implicit Models** (Song, Meng & Ermon, ICLR 2021) keep DDPM's training and change only
# how samples are drawn: a *non-Markovian* forward process with the same marginals lets the sampler jump
# over steps, and a parameter $\eta$ slides between deterministic DDIM ($\eta=0$) and DDPM ($\eta=1$).
#
# These lectures follow a Korean study note on DDIM section by section. Every equation gets a number you can
# check and, where it helps, a slider you can move.

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## How to run the suite
#
# | what | command |
# |---|---|
# | open the lectures in JupyterLab | `make lab` |
# | run every test, and every notebook under nbval | `make test` |
#
# Both create `.venv/` on first use. No GPU is needed: the shipped networks are small and load in a second.
#
# **Sliders.** Each explorer is one call, e.g. `SamplerExplorer()`. Heavy controls (steps, η) redraw when you
# release them; every setting you have visited is cached, so moving back is instant. Errors appear in red
# under the figure. A saved notebook also keeps a static picture of each explorer.

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# ## Notation: the one table to keep open
#
# The DDIM paper writes $\alpha_t$ for what DDPM writes $\bar\alpha_t$. The study note mixes both; the code never does.
#
# | DDIM paper | DDPM paper | code | meaning |
# |---|---|---|---|
# | $\alpha_t$ | $\bar\alpha_t=\prod_{s\le t}(1-\beta_s)$ | `schedule.alphas_cumprod[t]`, per step `alpha_bar` | signal kept at step $t$ |
# | $\alpha_t/\alpha_{t-1}$ | $\alpha_t = 1-\beta_t$ | `schedule.alphas[t]` | one step's signal factor |
# | $1-\alpha_t/\alpha_{t-1}$ | $\beta_t$ | `schedule.betas[t]` | one step's noise |
# | $\sigma_t(\eta)$, Eq. 16 | $\tilde\beta_t$ at $\eta=1$ | `ddim_sigma(alpha_bar, alpha_bar_prev, eta)` | noise of a sampling step |
# | $f_\theta^{(t)}(x_t)$, Eq. 9 | — | `x0_pred` | predicted $\hat x_0$ |
# | $\tau$ | — | `make_timesteps(T, S, spacing)` | the visited timesteps |
# | $t = 1..T$ | $t = 1..T$ | index `t - 1` in `0..T-1` | time |

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here

s = dt.make_schedule("linear", T=1000)
t = 500  # the paper's t = 501
print(f"DDPM alpha_t   = schedule.alphas[{t}]         = {s.alphas[t].item():.6f}")
print(f"DDPM alpha_bar = schedule.alphas_cumprod[{t}] = {s.alphas_cumprod[t].item():.6f}  (the DDIM paper's alpha_t)")
print("shipped networks:", dt.available_pretrained())

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# ## Map of the lectures to the study note
#
# | notebook | study note section (Korean heading → English) |
# |---|---|
# | `01_schedules_forward` | forward 과정 수식 요약 → summary of the forward-process formulas |
# | `02_telescoping` | DDIM’s Non-Markovian Process · step-by-step; (*)은 Markovian을 가정하고 전개한거 아닌가요? → "isn't (*) using the Markov assumption?" |
# | `03_posterior_mean` | Posterior 구하기 → finding the posterior |
# | `04_ddpm_vs_ddim` | DDPM vs. DDIM · 샘플링 → sampling; "시험 볼 때도 정답지를 예측해서 봐요" → "it predicts the answer sheet at test time too" |
# | `05_skipping_steps` | So what's the benefit? · 중간 스텝을 어떻게 건너뛸 수 있는걸까? → how can intermediate steps be skipped? |
# | `06_eta_stochasticity` | DDIM에서는 보통 σ_t = 0으로 두어 → "DDIM usually sets σ_t = 0" |
# | `07_inversion_interpolation` | (beyond the note) the paper's Sec. 5.3–5.4 |
# | `08_training` | 학습 과정 (Training, Loss 계산 시) → training and the loss $L_{simple}$ |
# | `09_notation_errata` | the note's notation slips, each with a number |

# %% slideshow={"slide_type": "slide"}
from ddim_teach.widgets import SamplerExplorer

SamplerExplorer(model="digits", S=20)
