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

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# # 08 · Training once, sampling with every σ
#
# **Learning goals.** After this lecture you can
# - write the training loss $L_{simple}$ and say what one training step does;
# - say how the course's shipped weights were made, and reproduce them (on a GPU when there is one);
# - derive the paper's **Theorem 1**, $J_\sigma = L_\gamma + C$, line by line, and compute the weights $\gamma_t$ for a given σ;
# - explain why a network trained once with $L_{simple}$ serves every σ (every η), and when that argument would fail.
#
# **Prerequisites.** The forward process and $q(x_t\mid x_0)$ (01); the family $q_\sigma$ and Lemma 1 (02);
# the mean of $q_\sigma(x_{t-1}\mid x_t,x_0)$, Eq. 7 (03); $\hat x_0$ (Eq. 9) and the update Eq. 12 (04).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 08 · 한 번 학습하고, 모든 σ로 샘플링하기
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - 학습에 쓰는 손실 함수(loss function) $L_{simple}$을 쓰고, 학습 한 스텝이 무엇을 하는지 말할 수 있습니다;
# - 이 강의에 들어 있는 학습된 가중치(weights)가 어떻게 만들어졌는지 알고, 직접 다시 만들 수 있습니다(GPU가 있으면 GPU로);
# - 논문의 **정리 1(Theorem 1)**, $J_\sigma = L_\gamma + C$를 한 줄씩 유도하고, 주어진 σ에 대한 가중 계수 $\gamma_t$를 계산할 수 있습니다;
# - $L_{simple}$로 한 번 학습한 네트워크가 왜 모든 σ(모든 η)에 그대로 쓰이는지, 그리고 그 논리가 언제 깨지는지 설명할 수 있습니다.
#
# **선수 지식.** 순방향 과정과 $q(x_t\mid x_0)$ (01), $q_\sigma$ 분포족과 보조정리 1(Lemma 1) (02),
# $q_\sigma(x_{t-1}\mid x_t,x_0)$의 평균인 Eq. 7 (03), $\hat x_0$ (Eq. 9)와 업데이트 식 Eq. 12 (04).

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The promise, and the question it raises
#
# The note opens with a promise: take a diffusion model that was **already trained** ("기존에 학습된 Diffusion Model을
# 그대로 가져와서") and choose the non-Markovian sampler only at sampling time. Lectures 04–07 kept that promise in
# practice: one set of weights, and any η, any S.
#
# But a careful student should object. Each σ defines its own forward family $q_\sigma$ and its own generative
# model $p_\theta$, and so its own variational objective $J_\sigma$ (the paper's Eq. 11). Training by $J_{\sigma}$ for
# η = 0.2 and by $J_{\sigma}$ for η = 1 are two different optimisation problems. Why should one network, trained with
# DDPM's $L_{simple}$, be right for all of them?
#
# To give the conclusion first: every $J_\sigma$ is a **weighted** $L_{simple}$ plus a constant, $J_\sigma = L_\gamma + C$
# (Theorem 1). Only the weights $\gamma_t$ depend on σ. When the network has separate parameters for each $t$, the
# weights do not move the optimum, so the optimum of $L_{simple}$ is the optimum of every $J_\sigma$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 노트의 약속, 그리고 생기는 질문
#
# 노트는 이런 약속으로 시작합니다. **기존에 학습된 Diffusion Model을 그대로 가져와서**, 샘플링할 때만
# 비마르코프(non-Markovian) 샘플러를 고르면 됩니다. 04–07강은 실제로 이 약속을 지켰습니다. 가중치는 하나인데, η도 S도 마음대로 바꿨습니다.
#
# 그런데 꼼꼼한 학생이라면 이렇게 물을 것입니다.
#
# > **σ마다 목적 함수가 다른데, 왜 다시 학습하지 않아도 되나요?**
#
# σ 하나하나가 자기만의 순방향 분포족 $q_\sigma$와 생성 모델 $p_\theta$를 정합니다. 그러니 변분 하한(variational lower bound, ELBO)에서
# 나온 목적 함수(objective function) $J_\sigma$(논문 Eq. 11)도 σ마다 다릅니다. η = 0.2의 $J_\sigma$와 η = 1의 $J_\sigma$는
# 서로 다른 최적화 문제입니다. DDPM의 $L_{simple}$로 한 번 학습한 네트워크가 어떻게 이 모두에 맞을까요?
#
# 결론부터 말하자면, 모든 $J_\sigma$는 **가중치를 준** $L_{simple}$에 상수를 더한 것입니다. $J_\sigma = L_\gamma + C$ (정리 1).
# σ에 따라 바뀌는 것은 시점별 가중 계수 $\gamma_t$뿐입니다. 네트워크가 $t$마다 따로 파라미터를 가진다면
# 가중 계수는 최적해를 옮기지 못합니다. 그래서 $L_{simple}$의 최적해가 곧 모든 $J_\sigma$의 최적해입니다.

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic as sym

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 1. The training loss $L_{simple}$
#
# DDIM trains exactly like DDPM (the note: "DDIM의 학습 또한 DDPM과 동일하다"):
# $$L_{simple}(\theta)=\mathbb E_{t,x_0,\epsilon}\big\|\epsilon-\epsilon_\theta(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\ t)\big\|^2 .$$
# One training step draws a batch of clean images $x_0$, a time $t$ uniformly from $1,\dots,T$ for each image,
# and Gaussian noise $\epsilon$; it builds $x_t$ in one jump with $q(x_t\mid x_0)$ (lecture 01) and asks the
# network to name the noise that was added. Nothing in the loss mentions σ, η or the sampler.
#
# `ddim_teach.train` adds the usual engineering around it: AdamW, a warm-up then cosine learning rate, gradient
# clipping, and an exponential moving average (EMA) of the weights. On a GPU the cell below trains the full recipe
# (bf16 autocast, a larger batch); on a CPU it runs a few smoke steps only, to show the loop working. The rest of the
# course uses the shipped weights.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 1. 학습 손실 $L_{simple}$
#
# 노트의 말대로 DDIM의 학습은 DDPM과 똑같습니다.
# $$L_{simple}(\theta)=\mathbb E_{t,x_0,\epsilon}\big\|\epsilon-\epsilon_\theta(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\ t)\big\|^2 .$$
# 학습 한 스텝은 이렇게 움직입니다. 깨끗한 이미지 $x_0$ 배치를 뽑습니다. 이미지마다 타임스텝 $t$를 $1,\dots,T$에서 고르게 뽑고,
# 가우시안 노이즈 $\epsilon$도 뽑습니다. $q(x_t\mid x_0)$로 $x_t$를 한 번에 만든 뒤(01강), 네트워크에게 더해진 노이즈를 맞히게 합니다.
# 이 손실 어디에도 σ, η, 샘플러는 나오지 않습니다.
#
# `ddim_teach.train`은 여기에 흔한 장치를 더합니다. AdamW, 워밍업 뒤 코사인으로 줄어드는 학습률, 그래디언트 클리핑(gradient clipping),
# 그리고 가중치의 지수 이동 평균(EMA)입니다. GPU가 있으면 아래 셀은 전체 레시피로 학습합니다(bf16 autocast, 더 큰 배치).
# CPU에서는 루프가 도는 것만 보이도록 몇 스텝만 돌립니다. 나머지 강의는 함께 배포된 가중치를 씁니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the network only learns to predict the noise; everything the samplers do rests on this one loss.
# Ask: "Why predict ε rather than x_0?"
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 네트워크는 노이즈를 맞히는 것만 배웁니다. 샘플러가 하는 일은 모두 이 손실 하나에 기대고 있습니다.
# 물어볼 것: "왜 x_0가 아니라 ε을 맞히게 할까요?"
# 시간: 5분.

# %% slideshow={"slide_type": "slide"}
from ddim_teach.data import load_dataset
from ddim_teach.models.train import CUDA_BATCH_SIZE, RECIPES, build_for_data, default_device, train

device = default_device()
recipe = dict(RECIPES["digits"])
if device.type == "cuda":
    recipe["batch_size"] = CUDA_BATCH_SIZE  # as `python -m ddim_teach.train` does on a GPU
else:
    recipe["steps"] = 5  # a smoke run: the loop works; the shipped weights took the full recipe
result = train(build_for_data("digits"), load_dataset("digits", "train").x, dt.make_schedule(), device=device,
               progress=False, **recipe)
print(f"{recipe['steps']} steps on {result.device}: {result.steps_per_second:.1f} steps/s, "
      f"loss {result.losses[0]:.3f} -> {result.final_loss:.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "fragment"}
# The loss per optimiser step $n$. On a CPU you see only the first steps; the full run
# falls from about 1 to the final loss quoted below.

# %% [markdown] lang="ko" slideshow={"slide_type": "fragment"}
# 옵티마이저 스텝 $n$마다의 손실입니다. CPU에서는 처음 몇 스텝만 보입니다. 전체 학습에서는 손실이 1 근처에서
# 아래에 적힌 최종 손실까지 내려갑니다.

# %% slideshow={"slide_type": "-"}
fig, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
ax.plot(range(1, len(result.losses) + 1), result.losses, marker="o" if len(result.losses) < 50 else None)
ax.set_xlabel("$n$"); ax.set_ylabel("$L_{simple}$"); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 2. How the shipped weights were made
#
# Every network the course uses was trained by the same function, with the recipes in `ddim_teach/train.py`
# (`RECIPES`), on the reference machine's CPU (2 cores). The README's table lists them:
#
# | name | network | steps × batch | final loss |
# |---|---|---|---|
# | `digits` | TinyUNet, 8×8 images, 353k parameters | 6000 × 128 | 0.0671 |
# | `moons`, `swiss_roll`, `ring8`, `checkerboard` | MLP, 2-D points, 105k parameters | 6000 × 512 | 0.22–0.27 |
#
# Each checkpoint stores how it was made: the command, the seed, the number of steps, the batch size, the learning
# rate and the final loss (the mean over the last 10% of steps). `dt.checkpoint_meta(name)` reads it, and
# `dt.load_pretrained(name)` checks the file's sha256 against `ddim_teach/weights/manifest.json` before loading.
# To reproduce a checkpoint, run its command; on a machine with CUDA the same command trains on the GPU.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 2. 배포된 가중치는 어떻게 만들었나
#
# 이 강의의 네트워크는 모두 같은 함수와 `ddim_teach/train.py`의 레시피(`RECIPES`)로, 기준 머신의 CPU(2코어)에서 학습했습니다.
# README의 표를 옮기면 다음과 같습니다.
#
# | 이름 | 네트워크 | 스텝 × 배치 | 최종 손실 |
# |---|---|---|---|
# | `digits` | TinyUNet, 8×8 이미지, 파라미터 35만 3천 개 | 6000 × 128 | 0.0671 |
# | `moons`, `swiss_roll`, `ring8`, `checkerboard` | MLP, 2차원 점, 파라미터 10만 5천 개 | 6000 × 512 | 0.22–0.27 |
#
# 체크포인트마다 만든 방법이 함께 저장되어 있습니다. 명령어, 시드, 스텝 수, 배치 크기, 학습률, 최종 손실(마지막 10% 스텝의 평균)입니다.
# `dt.checkpoint_meta(name)`으로 읽을 수 있습니다. `dt.load_pretrained(name)`은 불러오기 전에 파일의 sha256을
# `ddim_teach/weights/manifest.json`과 비교합니다. 다시 만들고 싶다면 그 명령어를 그대로 실행하면 됩니다. CUDA가 있으면 같은 명령이 GPU에서 학습합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
meta = dt.checkpoint_meta("digits")
for key in ("command", "seed", "steps", "batch_size", "lr", "device"):
    print(f"{key:>10s}: {meta[key]}")
print(f"final loss: {meta['final_loss']:.4f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Sixty-four samples of the shipped digits network, 50 deterministic DDIM steps (η = 0). Lecture 06 measures their
# quality; here they only show that the weights loaded are the trained ones.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 배포된 digits 네트워크에서 뽑은 샘플 64개입니다. 결정론적 DDIM 50스텝(η = 0)을 썼습니다. 품질은 06강에서 잽니다.
# 여기서는 불러온 가중치가 학습된 가중치라는 것만 보여 줍니다.

# %% slideshow={"slide_type": "-"}
model, schedule = dt.load_pretrained("digits")
x_T = torch.randn(64, *model.sample_shape, generator=torch.Generator().manual_seed(0))
x = dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, 50), progress=False)
fig, ax = plt.subplots(figsize=(5, 5), layout="constrained"); plots.show_images(ax, x, 8); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Where $L_{simple}$ comes from: the ELBO
#
# Before Theorem 1, the question a student asks first: why *this* loss? DDPM's answer is a bound on the negative
# log-likelihood, the evidence lower bound (ELBO; written as a loss, so an upper bound). By Jensen's inequality,
# $$-\log p_\theta(x_0)\le\mathbb E_{q(x_{1:T}\mid x_0)}\Big[\log\frac{q(x_{1:T}\mid x_0)}{p_\theta(x_{0:T})}\Big]=:L .$$
# **Step 1 — turn the forward chain around.** Bayes' rule gives $q(x_t\mid x_{t-1})=q(x_{t-1}\mid x_t,x_0)\,q(x_t\mid x_0)/q(x_{t-1}\mid x_0)$;
# the ratios telescope (lecture 02) and leave
# $$L=\underbrace{\mathrm{KL}\big(q(x_T\mid x_0)\,\|\,p(x_T)\big)}_{L_T}+\sum_{t=2}^{T}\underbrace{\mathbb E\,\mathrm{KL}\big(q(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta(x_{t-1}\mid x_t)\big)}_{L_{t-1}}\underbrace{-\,\mathbb E\log p_\theta(x_0\mid x_1)}_{L_0}.$$
# $L_T$ has no θ. **Step 2 — each $L_{t-1}$ is a KL between two Gaussians** (Kullback–Leibler divergence):
# $\mathrm{KL}(\mathcal N(m_1,s_1^2)\|\mathcal N(m_2,s_2^2))=\log\frac{s_2}{s_1}+\frac{s_1^2+(m_1-m_2)^2}{2s_2^2}-\frac12$.
# With $p_\theta$'s variance fixed to the posterior's, $\tilde\beta_t$, only the squared gap of the means is left.
# **Step 3 — the gap of the means is a gap of noises.** With $\mu_\theta(x_t)=\big(x_t-\frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\epsilon_\theta\big)/\sqrt{\alpha_t}$,
# $\tilde\mu(x_t,x_0)-\mu_\theta(x_t)=\frac{\beta_t}{\sqrt{\alpha_t}\sqrt{1-\bar\alpha_t}}(\epsilon_\theta-\epsilon)$, so
# $$L_{t-1}=\lambda_t\,\mathbb E\|\epsilon-\epsilon_\theta(x_t,t)\|^2,\qquad \lambda_t=\frac{\beta_t^2}{2\tilde\beta_t\alpha_t(1-\bar\alpha_t)}=\frac12\Big(\frac{\mathrm{SNR}_{t-1}}{\mathrm{SNR}_t}-1\Big).$$
# **Step 4 — reweight.** $L_{simple}$ replaces every $\lambda_t$ by 1 (and $L_0$'s $1/(2\alpha_1)$ too). It is no longer a bound;
# it is the bound with a different weight per $t$. sympy checks each line.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $L_{simple}$은 어디서 왔을까요: ELBO
#
# 정리 1보다 먼저 나오는 질문이 있습니다. 왜 하필 *이* 손실일까요? DDPM의 답은 음의 로그 가능도(negative log-likelihood)의
# 한계, 곧 변분 하한(ELBO)입니다. 손실로 쓰면 상한입니다. 젠센 부등식으로
# $$-\log p_\theta(x_0)\le\mathbb E_{q(x_{1:T}\mid x_0)}\Big[\log\frac{q(x_{1:T}\mid x_0)}{p_\theta(x_{0:T})}\Big]=:L$$
# 입니다. **1단계 — 순방향 체인을 뒤집습니다.** 베이즈 규칙으로 $q(x_t\mid x_{t-1})=q(x_{t-1}\mid x_t,x_0)\,q(x_t\mid x_0)/q(x_{t-1}\mid x_0)$이고,
# 비율들이 텔레스코핑(02강)으로 사라지면 다음이 남습니다.
# $$L=\underbrace{\mathrm{KL}\big(q(x_T\mid x_0)\,\|\,p(x_T)\big)}_{L_T}+\sum_{t=2}^{T}\underbrace{\mathbb E\,\mathrm{KL}\big(q(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta(x_{t-1}\mid x_t)\big)}_{L_{t-1}}\underbrace{-\,\mathbb E\log p_\theta(x_0\mid x_1)}_{L_0}.$$
# $L_T$에는 θ가 없습니다. **2단계 — $L_{t-1}$은 두 가우시안 사이의 KL 발산(Kullback–Leibler divergence)입니다.**
# $\mathrm{KL}(\mathcal N(m_1,s_1^2)\|\mathcal N(m_2,s_2^2))=\log\frac{s_2}{s_1}+\frac{s_1^2+(m_1-m_2)^2}{2s_2^2}-\frac12$입니다.
# $p_\theta$의 분산을 사후분포(posterior)의 분산 $\tilde\beta_t$로 고정하면 두 평균 차이의 제곱만 남습니다.
# **3단계 — 평균의 차이는 노이즈의 차이입니다.** $\mu_\theta(x_t)=\big(x_t-\frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\epsilon_\theta\big)/\sqrt{\alpha_t}$로 두면
# $\tilde\mu(x_t,x_0)-\mu_\theta(x_t)=\frac{\beta_t}{\sqrt{\alpha_t}\sqrt{1-\bar\alpha_t}}(\epsilon_\theta-\epsilon)$입니다. 그래서
# $$L_{t-1}=\lambda_t\,\mathbb E\|\epsilon-\epsilon_\theta(x_t,t)\|^2,\qquad \lambda_t=\frac{\beta_t^2}{2\tilde\beta_t\alpha_t(1-\bar\alpha_t)}=\frac12\Big(\frac{\mathrm{SNR}_{t-1}}{\mathrm{SNR}_t}-1\Big)$$
# 입니다. **4단계 — 가중 계수를 바꿉니다.** $L_{simple}$은 모든 $\lambda_t$를(그리고 $L_0$의 $1/(2\alpha_1)$도) 1로 바꿉니다.
# 그러면 더는 한계가 아닙니다. $t$마다 가중 계수가 다른 한계일 뿐입니다. sympy로 줄마다 확인합니다.

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.course import theory
theory.print_steps(theory.elbo_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The true weights against $L_{simple}$'s
#
# $\lambda_t$ is far from flat. On both schedules it is about 0.5 at $t=1$ and $t=2$ and falls by a factor of 100 to 200
# by the middle of the chain; the cosine schedule's $\beta_t$, capped at 0.999, sends its last weight up to about 500. Training on the true bound spends almost all its gradient on the first few steps, where the noise is
# imperceptible; $L_{simple}$'s flat weight moves effort to the larger $t$ that decide the shape of a sample, which is why
# Ho et al. found it gave better samples (at a worse likelihood).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 진짜 가중 계수와 $L_{simple}$의 가중 계수
#
# $\lambda_t$는 평평하지 않습니다. 두 스케줄 모두 $t=1$과 $t=2$에서 0.5 정도이고, 체인의 가운데에 가면 100분의 1에서 200분의 1로 떨어집니다.
# 코사인 스케줄은 $\beta_t$를 0.999에서 자르기 때문에 마지막 가중 계수가 500 정도로 치솟습니다. 진짜 한계로 학습하면 그래디언트의 대부분이
# 노이즈가 거의 보이지 않는 처음 몇 스텝에 쓰입니다. $L_{simple}$의 평평한 가중 계수는 샘플의 모양을 정하는 큰 $t$ 쪽으로 노력을 옮깁니다.
# Ho et al.이 이 손실로 더 좋은 샘플을 얻은(가능도는 조금 나빠진) 까닭입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
cos = dt.make_schedule("cosine")
lam = {"linear": theory.elbo_weights(dt.make_schedule("linear")), "cosine": theory.elbo_weights(cos)}
for name, w in lam.items():
    print(f"{name:7s} lambda_t at t = 1, 2, 10, 100, 500, 999, 1000:",
          " ".join(f"{w[t - 1].item():.3g}" for t in (1, 2, 10, 100, 500, 999, 1000)), f"  lambda_2/lambda_500 = {(w[1] / w[499]).item():.0f}")

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
for name, w in lam.items():
    ax.plot(range(1, 1001), w, lw=2.5, label=rf"{name}: $\lambda_t$")
ax.axhline(1.0, color="k", ls="--", lw=1.5, label=r"$L_{simple}$: 1")
ax.set_xscale("log"); ax.set_yscale("log")
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter("{x:g}"); axis.set_minor_formatter("")
ax.set_xlabel("$t$")
ax.set_ylabel(("$\\|\\epsilon-\\epsilon_\\theta\\|^2$의 가중 계수" if dt.get_language() == "ko" else "weight on $\\|\\epsilon-\\epsilon_\\theta\\|^2$"))
ax.legend(); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The bound, in closed form and by Monte Carlo
#
# For Gaussian data the exact denoiser is known (lecture 10), so the bound has a closed form: $\mathbb E\|\epsilon-\epsilon^*(x_t)\|^2$ is
# the least mean square error of $\epsilon$ given $x_t$, $\bar\alpha_ts^2/(\bar\alpha_ts^2+1-\bar\alpha_t)$ per coordinate. We compare it with a
# Monte Carlo estimate that uses **none** of the steps above: draw $x_0$, run the forward chain one step at a time, and average
# $\log q(x_{1:T}\mid x_0)-\log p_\theta(x_{0:T})$ written with the forward factors $q(x_t\mid x_{t-1})$. Data: the course's two-dimensional
# Gaussian $\mathcal N((0.5,-0.5),\mathrm{diag}(1,0.09))$, 4,000 chains, 95% interval over 5 batches. The two agree within the interval,
# and both lie above the data's entropy, as a bound on $\mathbb E[-\log p_\theta(x_0)]$ must.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 한계를 닫힌 꼴로, 그리고 몬테카를로로
#
# 가우시안 데이터는 정확한 디노이저를 압니다(10강). 그래서 한계도 닫힌 꼴가 있습니다. $\mathbb E\|\epsilon-\epsilon^*(x_t)\|^2$은
# $x_t$가 주어졌을 때 $\epsilon$의 최소 평균 제곱 오차이고, 좌표 하나마다 $\bar\alpha_ts^2/(\bar\alpha_ts^2+1-\bar\alpha_t)$입니다. 이 값을
# 위의 단계를 **하나도** 쓰지 않는 몬테카를로 추정과 비교합니다. $x_0$를 뽑고, 순방향 체인을 한 스텝씩 돌리고,
# 순방향 인자 $q(x_t\mid x_{t-1})$로 쓴 $\log q(x_{1:T}\mid x_0)-\log p_\theta(x_{0:T})$를 평균합니다. 데이터는 강의의 2차원 가우시안
# $\mathcal N((0.5,-0.5),\mathrm{diag}(1,0.09))$, 체인은 4,000개, 구간은 5개 배치에서 구한 95% 구간입니다. 두 값은 구간 안에서 일치하고,
# 둘 다 데이터의 엔트로피보다 큽니다. $\mathbb E[-\log p_\theta(x_0)]$의 한계라면 그래야 합니다.

# %% slideshow={"slide_type": "-"}
import math
mu, sd = [0.5, -0.5], [1.0, 0.3]
for name in ("linear", "cosine"):
    sch = dt.make_schedule(name)
    exact = theory.gaussian_elbo(sch, mu, sd)
    mc = theory.gaussian_elbo_mc(sch, mu, sd, n=1000 if SMOKE else 4000, seed=0)
    print(f"{name:7s} closed form: L_T {exact['L_T']:.1e} + sum L_(t-1) {exact['L_mid']:.3f} + L_0 {exact['L_0']:.3f} = {exact['total']:.3f} nats;"
          f"  Monte Carlo {mc['mean']:.2f} +- {mc['half_width']:.2f};  inside: {abs(mc['mean'] - exact['total']) < mc['half_width']}")
print(f"entropy of the data: {sum(0.5 * math.log(2 * math.pi * math.e * s**2) for s in sd):.3f} nats")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The tie to Theorem 1
#
# DDPM's bound is DDIM's $J_\sigma$ at $\sigma_t^2=\tilde\beta_t$, that is η = 1: Theorem 1's $\gamma_t$ at η = 1 must be $\lambda_t$. They agree to
# round-off below. So the ELBO is the first member of the family $J_\sigma=L_\gamma+C$, and Theorem 1 says what changes with σ:
# only the weights. The same trained network therefore serves every σ, for the reason the next section derives.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 정리 1과의 연결
#
# DDPM의 한계는 $\sigma_t^2=\tilde\beta_t$, 즉 η = 1에서의 DDIM $J_\sigma$입니다. 그러니 η = 1에서 정리 1의 $\gamma_t$는 $\lambda_t$와 같아야 합니다.
# 아래에서 반올림 오차 안에서 같습니다. ELBO는 $J_\sigma=L_\gamma+C$ 분포족의 한 구성원이고, 정리 1은 σ에 따라 바뀌는 것이 가중 계수뿐임을
# 말합니다. 그래서 한 번 학습한 네트워크가 모든 σ에 쓰입니다. 이유는 다음 절에서 유도합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
lin_l = lam["linear"]
gam1 = sym.theorem1_gammas(dt.make_schedule("linear"), 1.0)[1]
print(f"max |gamma_t(eta=1) - lambda_t| / lambda_t over t = 2..T: {((gam1 - lin_l[1:]).abs() / lin_l[1:]).max().item():.0e}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 3. Theorem 1: $J_\sigma = L_\gamma + C$
#
# The two objectives, in DDPM's notation ($\bar\alpha_t$; the paper writes $\alpha_t$):
# - **$J_\sigma$** (Eq. 11) is the variational objective of the model $p_\theta$ against the family $q_\sigma$:
#   $J_\sigma(\epsilon_\theta)=\mathbb E_{q_\sigma}\big[\log q_\sigma(x_{1:T}\mid x_0)-\log p_\theta(x_{0:T})\big]$.
#   Its generative model (Eq. 10) is $p_\theta^{(t)}(x_{t-1}\mid x_t)=q_\sigma(x_{t-1}\mid x_t,\hat x_0)$ for $t\ge2$:
#   the true $q_\sigma$ factor with the prediction $\hat x_0$ (Eq. 9) put in for $x_0$, and
#   $p_\theta^{(1)}(x_0\mid x_1)=\mathcal N(\hat x_0(x_1),\sigma_1^2I)$.
# - **$L_\gamma$** (Eq. 5) is a weighted $L_{simple}$:
#   $L_\gamma(\epsilon_\theta)=\sum_{t=1}^T\gamma_t\,\mathbb E_{x_0,\epsilon}\|\epsilon-\epsilon_\theta^{(t)}(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon)\|^2$.
#   $L_{simple}$ is $L_\gamma$ with every $\gamma_t=1$, up to a constant factor that moves no optimum.
#
# **Theorem 1.** For every σ > 0 there are weights $\gamma\in\mathbb R^T_{>0}$ and a constant $C$ with $J_\sigma = L_\gamma + C$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 3. 정리 1: $J_\sigma = L_\gamma + C$
#
# 두 목적 함수를 DDPM 표기법($\bar\alpha_t$, 논문은 $\alpha_t$로 씁니다)으로 적어 보겠습니다.
# - **$J_\sigma$** (Eq. 11)는 $q_\sigma$ 분포족에 대한 모델 $p_\theta$의 변분 목적 함수입니다.
#   $J_\sigma(\epsilon_\theta)=\mathbb E_{q_\sigma}\big[\log q_\sigma(x_{1:T}\mid x_0)-\log p_\theta(x_{0:T})\big]$.
#   생성 모델(Eq. 10)은 $t\ge2$에서 $p_\theta^{(t)}(x_{t-1}\mid x_t)=q_\sigma(x_{t-1}\mid x_t,\hat x_0)$입니다.
#   진짜 $q_\sigma$ 인자에 $x_0$ 대신 예측값 $\hat x_0$(Eq. 9)를 넣은 것입니다. 마지막은 $p_\theta^{(1)}(x_0\mid x_1)=\mathcal N(\hat x_0(x_1),\sigma_1^2I)$입니다.
# - **$L_\gamma$** (Eq. 5)는 가중 계수를 준 $L_{simple}$입니다.
#   $L_\gamma(\epsilon_\theta)=\sum_{t=1}^T\gamma_t\,\mathbb E_{x_0,\epsilon}\|\epsilon-\epsilon_\theta^{(t)}(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon)\|^2$.
#   모든 $\gamma_t=1$이면 $L_{simple}$과 같습니다(상수배 차이는 최적해를 옮기지 않습니다).
#
# **정리 1.** 모든 σ > 0에 대해 가중 계수 $\gamma\in\mathbb R^T_{>0}$와 상수 $C$가 있어서 $J_\sigma = L_\gamma + C$입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Show the lines of the theorem with →; stress that C does not depend on θ, so one training serves every σ.
# Time: 7 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 정리의 줄을 →로 보여 줍니다. C가 θ에 기대지 않으므로 한 번의 학습이 모든 σ에 쓰인다는 점을 강조합니다.
# 시간: 7분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The derivation, line by line
#
# **Step 0 — split $J_\sigma$ into one term per $t$.** Write $\log q_\sigma(x_{1:T}\mid x_0)$ with the factorisation that
# defines $q_\sigma$ (Eq. 6) and $\log p_\theta(x_{0:T})$ as its product of steps:
# $$J_\sigma=\mathbb E\Big[\log q_\sigma(x_T\mid x_0)-\log p_\theta(x_T)+\sum_{t=2}^T\log\frac{q_\sigma(x_{t-1}\mid x_t,x_0)}{p_\theta^{(t)}(x_{t-1}\mid x_t)}-\log p_\theta^{(1)}(x_0\mid x_1)\Big].$$
# The first two terms do not contain θ: they go into $C$. In the sum, the expectation over $x_{t-1}$ given
# $(x_t,x_0)$ is a KL divergence, so the $t$-th term is $\mathbb E_{x_0,x_t}\,\mathrm{KL}\big(q_\sigma(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta^{(t)}(x_{t-1}\mid x_t)\big)$.
# By Lemma 1 (lecture 02), $x_t$ given $x_0$ has the law $q(x_t\mid x_0)$ under **every** $q_\sigma$, so
# $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$ with $\epsilon\sim\mathcal N(0,I)$ — exactly the $x_t$ of $L_{simple}$.
#
# **Step 1 — the KL of two Gaussians with one variance.** Both factors have covariance $\sigma_t^2I$, so per coordinate
# $\mathrm{KL}(\mathcal N(m_1,s^2)\|\mathcal N(m_2,s^2)) = (m_1-m_2)^2/(2s^2)$.
#
# **Step 2 — the means differ by a multiple of $x_0-\hat x_0$.** The mean of Eq. 7 is affine in $x_0$:
# $\mu_\sigma(x_t,x_0)=\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\frac{x_t-\sqrt{\bar\alpha_t}x_0}{\sqrt{1-\bar\alpha_t}}$, so
# $\mu_\sigma(x_t,x_0)-\mu_\sigma(x_t,\hat x_0)=c_t\,(x_0-\hat x_0)$ with
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\sqrt{\bar\alpha_t}/\sqrt{1-\bar\alpha_t}$.
#
# **Step 3 — from $x_0-\hat x_0$ to $\epsilon-\epsilon_\theta$.** Put $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon$ into Eq. 9:
# $x_0-\hat x_0=\frac{\sqrt{1-\bar\alpha_t}}{\sqrt{\bar\alpha_t}}(\epsilon_\theta-\epsilon)$.
#
# **Step 4 — collect.** The $t$-th term is $\gamma_t\,\mathbb E\|\epsilon-\epsilon_\theta^{(t)}(x_t)\|^2$ with
# $$\gamma_t=\frac{c_t^2\,(1-\bar\alpha_t)}{2\sigma_t^2\,\bar\alpha_t}\qquad(t\ge2),$$
# which depends on σ and the schedule but not on θ. The $t=1$ term is Step 3 with $c_1=1$: $\gamma_1=(1-\bar\alpha_1)/(2\sigma_1^2\bar\alpha_1)$,
# plus a constant from the normalisation. Summing over $t$ gives $J_\sigma=L_\gamma+C$. ∎
#
# **Step 5 — a check.** At DDPM's σ, $\sigma_t^2=\tilde\beta_t$, $c_t$ is the posterior coefficient $\sqrt{\bar\alpha_{t-1}}\beta_t/(1-\bar\alpha_t)$ and
# $\gamma_t$ becomes Ho et al.'s weight $\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 한 줄씩 유도하기
#
# **0단계 — $J_\sigma$를 $t$마다 한 항으로 나눕니다.** $\log q_\sigma(x_{1:T}\mid x_0)$는 $q_\sigma$를 정의하는 분해(Eq. 6)로,
# $\log p_\theta(x_{0:T})$는 스텝들의 곱으로 씁니다.
# $$J_\sigma=\mathbb E\Big[\log q_\sigma(x_T\mid x_0)-\log p_\theta(x_T)+\sum_{t=2}^T\log\frac{q_\sigma(x_{t-1}\mid x_t,x_0)}{p_\theta^{(t)}(x_{t-1}\mid x_t)}-\log p_\theta^{(1)}(x_0\mid x_1)\Big].$$
# 앞의 두 항에는 θ가 없습니다. 그래서 $C$로 들어갑니다. 합 안에서 $(x_t,x_0)$가 주어졌을 때 $x_{t-1}$에 대한 기댓값은 KL 발산입니다.
# 즉 $t$번째 항은 $\mathbb E_{x_0,x_t}\,\mathrm{KL}\big(q_\sigma(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta^{(t)}(x_{t-1}\mid x_t)\big)$입니다.
# 보조정리 1(02강)에 따르면 **어떤** $q_\sigma$에서든 $x_0$가 주어진 $x_t$의 분포는 $q(x_t\mid x_0)$입니다.
# 그러니 $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$, $\epsilon\sim\mathcal N(0,I)$로 쓸 수 있습니다. $L_{simple}$의 $x_t$와 정확히 같습니다.
#
# **1단계 — 분산이 같은 두 가우시안의 KL.** 두 인자 모두 공분산이 $\sigma_t^2I$입니다. 좌표 하나마다
# $\mathrm{KL}(\mathcal N(m_1,s^2)\|\mathcal N(m_2,s^2)) = (m_1-m_2)^2/(2s^2)$입니다.
#
# **2단계 — 두 평균의 차이는 $x_0-\hat x_0$의 상수배입니다.** Eq. 7의 평균은 $x_0$에 대해 아핀입니다.
# $\mu_\sigma(x_t,x_0)=\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\frac{x_t-\sqrt{\bar\alpha_t}x_0}{\sqrt{1-\bar\alpha_t}}$이므로
# $\mu_\sigma(x_t,x_0)-\mu_\sigma(x_t,\hat x_0)=c_t\,(x_0-\hat x_0)$이고,
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\sqrt{\bar\alpha_t}/\sqrt{1-\bar\alpha_t}$입니다.
#
# **3단계 — $x_0-\hat x_0$를 $\epsilon-\epsilon_\theta$로 바꿉니다.** Eq. 9에 $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon$을 넣으면
# $x_0-\hat x_0=\frac{\sqrt{1-\bar\alpha_t}}{\sqrt{\bar\alpha_t}}(\epsilon_\theta-\epsilon)$입니다.
#
# **4단계 — 모읍니다.** $t$번째 항은 $\gamma_t\,\mathbb E\|\epsilon-\epsilon_\theta^{(t)}(x_t)\|^2$이고,
# $$\gamma_t=\frac{c_t^2\,(1-\bar\alpha_t)}{2\sigma_t^2\,\bar\alpha_t}\qquad(t\ge2)$$
# 입니다. σ와 스케줄에는 기대지만 θ에는 기대지 않습니다. $t=1$ 항은 $c_1=1$인 3단계와 같습니다. $\gamma_1=(1-\bar\alpha_1)/(2\sigma_1^2\bar\alpha_1)$에
# 정규화 상수가 더해집니다. $t$에 대해 모두 더하면 $J_\sigma=L_\gamma+C$입니다. ∎
#
# **5단계 — 검산.** DDPM의 σ, 즉 $\sigma_t^2=\tilde\beta_t$에서는 $c_t$가 사후분포(posterior) 계수 $\sqrt{\bar\alpha_{t-1}}\beta_t/(1-\bar\alpha_t)$가 되고,
# $\gamma_t$는 Ho et al.의 가중 계수 $\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$가 됩니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# sympy checks each step: the KL by integrating $q\log(q/p)$, the rest by simplifying the difference of the two sides.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# sympy로 각 단계를 확인합니다. KL은 $q\log(q/p)$를 직접 적분하고, 나머지는 양변의 차를 단순화합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.theorem1_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The same identity on real tensors
#
# Now the shipped digits network. For a batch of test digits, noise $\epsilon$ and a time $t$, we compute the KL of
# step 0 **directly** from the package's two Gaussian means, $q_\sigma(\cdot\mid x_t,x_0)$ and $q_\sigma(\cdot\mid x_t,\hat x_0)$
# (`dt.q_sigma_posterior_mean_variance`), and compare it with $\gamma_t\|\epsilon-\epsilon_\theta\|^2$ from the formula.
# The KL itself changes with η; the ratio between two η's does not depend on the network — it is $\gamma_t(\eta_1)/\gamma_t(\eta_2)$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 실제 텐서로 보는 같은 등식
#
# 이번에는 배포된 digits 네트워크를 씁니다. 테스트 숫자 배치, 노이즈 $\epsilon$, 타임스텝(timestep) $t$를 정하고, 0단계의 KL을
# 패키지가 계산한 두 가우시안 평균 $q_\sigma(\cdot\mid x_t,x_0)$와 $q_\sigma(\cdot\mid x_t,\hat x_0)$에서 **직접** 구합니다
# (`dt.q_sigma_posterior_mean_variance`). 그리고 공식의 $\gamma_t\|\epsilon-\epsilon_\theta\|^2$와 비교합니다.
# KL 값은 η에 따라 변합니다. 하지만 두 η 사이의 비율은 네트워크와 상관없이 $\gamma_t(\eta_1)/\gamma_t(\eta_2)$입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x0 = load_dataset("digits", "test").x[:64].double()
eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
for k in (9, 99, 499):  # table index k is the paper's t = k + 1
    x_t = dt.q_sample(schedule, x0, k, noise=eps)
    with torch.no_grad():
        eps_theta = model(x_t.float(), torch.full((64,), k)).double()
    kl = {eta: sym.theorem1_kl_check(schedule, x0, eps, eps_theta, k, eta) for eta in (0.2, 1.0)}
    same = all(torch.allclose(a, b, rtol=1e-9, atol=0) for a, b in kl.values())
    ratio = (kl[0.2][0] / kl[1.0][0]).mean().item()
    print(f"t={k + 1:4d}: KL = gamma_t |eps - eps_theta|^2 (rel 1e-9): {same};  KL(eta=0.2)/KL(eta=1) = {ratio:.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 4. The weights $\gamma_t$ for a few σ
#
# With $\sigma_t=\eta\sqrt{\tilde\beta_t}$ (Eq. 16 on consecutive steps) we evaluate $\gamma_t$ on the linear schedule. The weights
# are far from the constant 1 of $L_{simple}$, and their profile over $t$ changes with η: small η makes every $\gamma_t$ large
# (σ_t² sits in the denominator) and tilts them toward small $t$. At η = 0 they are infinite: Theorem 1 is stated for σ > 0,
# and DDIM's deterministic sampler is its limit.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 4. 몇 가지 σ에서의 가중 계수 $\gamma_t$
#
# $\sigma_t=\eta\sqrt{\tilde\beta_t}$(연속 스텝에서의 Eq. 16)로 두고, 선형 스케줄에서 $\gamma_t$를 계산합니다.
# 가중 계수는 $L_{simple}$의 상수 1과 거리가 멀습니다. 그리고 $t$에 따른 모양이 η마다 다릅니다. η가 작으면 $\sigma_t^2$가 분모에 있으므로
# 모든 $\gamma_t$가 커지고, 작은 $t$ 쪽으로 더 기웁니다. η = 0에서는 무한대가 됩니다. 정리 1은 σ > 0에 대한 정리이고,
# DDIM의 결정론적(deterministic) 샘플러는 그 극한입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
lin = dt.make_schedule("linear")
ts = (2, 10, 100, 500, 1000)
print("eta   " + "".join(f"  t={t:<5d}" for t in ts) + "  gamma_2/gamma_500")
for eta in (0.2, 0.5, 1.0):
    t_all, gam = sym.theorem1_gammas(lin, eta)
    g = [gam[t - 2].item() for t in ts]
    print(f"{eta:<5}" + "".join(f"  {v:8.3g}" for v in g) + f"  {g[0] / g[3]:10.0f}")

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
for eta in (0.2, 0.5, 1.0):
    t_all, gam = sym.theorem1_gammas(lin, eta)
    ax.plot(t_all, gam, label=rf"$\eta={eta}$")
ax.axhline(1.0, color="k", ls="--", lw=1.5, label=r"$L_{simple}$: $\gamma_t=1$")
ax.set_xscale("log"); ax.set_yscale("log")
for axis in (ax.xaxis, ax.yaxis):  # plain tick labels (0.01, 0.1, 1): no mathtext minus sign
    axis.set_major_formatter("{x:g}"); axis.set_minor_formatter("")
ax.set_xlabel("$t$"); ax.set_ylabel(r"$\gamma_t$"); ax.legend(); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 5. Why the weights do not move the optimum
#
# Write $\epsilon_\theta^{(t)}$ for the network at time $t$. If the parameters are **not shared across $t$** — a separate
# function for each $t$ — then $L_\gamma=\sum_t\gamma_t\,\ell_t(\theta_t)$ is a sum of terms that each depend on their own
# $\theta_t$ only. Minimising the sum is minimising each term on its own, and multiplying a term by $\gamma_t>0$ does not
# change where its minimum is. So every $L_\gamma$ has the same minimiser as $L_{simple}$; with Theorem 1, so does every $J_\sigma$.
# With enough capacity that minimiser is $\epsilon_\theta^{(t)}(x_t)=\mathbb E[\epsilon\mid x_t]$ (the posterior mean of the noise),
# which mentions no σ at all.
#
# sympy shows it for a quadratic term, and shows the contrast: with **one parameter shared by two times**, the minimiser
# $(\gamma_1B_1+\gamma_2B_2)/(\gamma_1A_1+\gamma_2A_2)$ moves with $\gamma_1$ unless $B_1/A_1=B_2/A_2$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 5. 가중 계수가 최적해를 옮기지 못하는 이유
#
# 타임스텝 $t$에서의 네트워크를 $\epsilon_\theta^{(t)}$로 씁시다. 파라미터를 **$t$끼리 공유하지 않는다면**, 즉 $t$마다 함수가 따로 있다면,
# $L_\gamma=\sum_t\gamma_t\,\ell_t(\theta_t)$의 각 항은 자기 $\theta_t$에만 기댑니다. 합을 최소화하는 것은 각 항을 따로 최소화하는 것과 같습니다.
# 그리고 항에 $\gamma_t>0$을 곱해도 최솟값의 위치는 그대로입니다. 그래서 모든 $L_\gamma$의 최적해는 $L_{simple}$의 최적해와 같습니다.
# 정리 1과 합치면 모든 $J_\sigma$도 마찬가지입니다. 표현력이 충분하다면 그 최적해는 $\epsilon_\theta^{(t)}(x_t)=\mathbb E[\epsilon\mid x_t]$(노이즈의 사후 평균)이고,
# 여기에는 σ가 전혀 나오지 않습니다.
#
# sympy로 이차식 항에서 이를 확인하고, 반대 경우도 봅니다. **파라미터 하나를 두 시점이 공유하면** 최적해
# $(\gamma_1B_1+\gamma_2B_2)/(\gamma_1A_1+\gamma_2A_2)$가 $\gamma_1$에 따라 움직입니다. $B_1/A_1=B_2/A_2$일 때만 예외입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.theorem1_optimum_steps())
theta_shared, d_theta = sym.theorem1_shared_optimum()
print("shared theta: argmin =", theta_shared)
print("d argmin / d gamma_1 =", d_theta)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# With numbers: data $x_0\sim\mathcal N(0,4)$ in one dimension and the linear model $\epsilon_\theta(x_t,t)=\theta_t x_t$.
# With a $\theta_t$ per time, the optimum $\theta_t^*=\sqrt{1-\bar\alpha_t}/(4\bar\alpha_t+1-\bar\alpha_t)$ is the same under every weighting.
# With a single shared θ, the optimum under $L_{simple}$ and under the weights of η = 1 are far apart.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 숫자로 보겠습니다. 1차원 데이터 $x_0\sim\mathcal N(0,4)$와 선형 모델 $\epsilon_\theta(x_t,t)=\theta_t x_t$를 씁니다.
# 시점마다 $\theta_t$가 따로 있으면 최적해 $\theta_t^*=\sqrt{1-\bar\alpha_t}/(4\bar\alpha_t+1-\bar\alpha_t)$는 어떤 가중 계수에서도 같습니다.
# θ 하나를 공유하면 $L_{simple}$에서의 최적해와 η = 1 가중 계수에서의 최적해가 크게 다릅니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
weights = {"L_simple": None}
for eta in (0.2, 1.0):  # gamma_1 needs the decoder's sigma_1; any positive value, here 1
    weights[f"eta={eta}"] = torch.cat([torch.ones(1, dtype=torch.float64), sym.theorem1_gammas(lin, eta)[1]])
for name, g in weights.items():
    sep, shared = sym.theorem1_linear_optimum(lin, 4.0, g)
    print(f"{name:>9s}: separate theta_t* at t=10, 500: {sep[9].item():.4f}, {sep[499].item():.4f}   shared theta*: {shared:.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **What this means in practice.** A real network shares its parameters across $t$ (one U-Net reads $t$ through an
# embedding), so the argument is an idealisation: the weights decide how the network spends its capacity when it
# cannot be optimal everywhere. The paper takes $L_{simple}$ as the objective for every σ (Sec. 3.2), and the evidence is
# empirical: lecture 06 samples one network trained with $L_{simple}$ at η = 0 … 1 and with σ̂, without retraining.
# This is the answer to the note's promise: **the objective of every $q_\sigma$ is $L_{simple}$ up to weights and a
# constant, so the network DDPM trained is already the network DDIM needs.**

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **실제로는 무슨 뜻인가.** 실제 네트워크는 $t$끼리 파라미터를 공유합니다. U-Net 하나가 임베딩으로 $t$를 읽습니다.
# 그래서 위 논리는 이상화입니다. 모든 곳에서 최적일 수 없을 때, 가중 계수는 네트워크가 표현력을 어디에 쓸지를 정합니다.
# 논문은 모든 σ에 대해 $L_{simple}$을 목적 함수로 삼습니다(Sec. 3.2). 근거는 실험입니다. 06강은 $L_{simple}$로 학습한 네트워크 하나로
# η = 0 … 1과 σ̂에서 다시 학습하지 않고 샘플링합니다. 이것이 노트의 약속에 대한 답입니다.
# **모든 $q_\sigma$의 목적 함수는 가중 계수와 상수를 빼면 $L_{simple}$입니다. 그래서 DDPM이 학습한 네트워크가 곧 DDIM에 필요한 네트워크입니다.**

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Three parameterisations: $\epsilon$, $x_0$ and $v$
#
# The network may name the noise $\epsilon$ (DDPM, this course), the clean image $x_0$, or the velocity
# $v=\sqrt{\bar\alpha_t}\,\epsilon-\sqrt{1-\bar\alpha_t}\,x_0$ (Salimans & Ho, 2022). Given $x_t$, each one determines the other two:
# $x_0=\sqrt{\bar\alpha_t}x_t-\sqrt{1-\bar\alpha_t}\,v$ and $\epsilon=\sqrt{1-\bar\alpha_t}x_t+\sqrt{\bar\alpha_t}\,v$ (`dt.predict_eps_x0` does these
# conversions for the samplers). What differs is the **loss**: the same error in $\hat x_0$ costs different amounts.
# With $\mathrm{SNR}_t=\bar\alpha_t/(1-\bar\alpha_t)$:
# $$\|\epsilon-\hat\epsilon\|^2=\mathrm{SNR}_t\,\|x_0-\hat x_0\|^2,\qquad \|v-\hat v\|^2=(1+\mathrm{SNR}_t)\,\|x_0-\hat x_0\|^2 .$$
# So $\epsilon$-prediction is $x_0$-prediction weighted by SNR, and $v$ adds 1 to that weight, which keeps it positive where SNR reaches 0.
# The other direction shows the danger: an error in $\hat\epsilon$ reaches $\hat x_0$ multiplied by $1/\sqrt{\mathrm{SNR}_t}$, an error in $\hat v$ by $\sqrt{1-\bar\alpha_t}\le1$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 세 가지 매개변수화: $\epsilon$, $x_0$, $v$
#
# 네트워크는 노이즈 $\epsilon$(DDPM, 이 강의)을 맞힐 수도 있고, 깨끗한 이미지 $x_0$를 맞힐 수도 있고, 속도
# $v=\sqrt{\bar\alpha_t}\,\epsilon-\sqrt{1-\bar\alpha_t}\,x_0$(Salimans & Ho, 2022)를 맞힐 수도 있습니다. 이것이 매개변수화(parameterisation)입니다.
# $x_t$가 주어지면 하나가 나머지 둘을 정합니다. $x_0=\sqrt{\bar\alpha_t}x_t-\sqrt{1-\bar\alpha_t}\,v$이고 $\epsilon=\sqrt{1-\bar\alpha_t}x_t+\sqrt{\bar\alpha_t}\,v$입니다
# (`dt.predict_eps_x0`가 샘플러를 위해 이 변환을 합니다). 다른 것은 **손실**입니다. $\hat x_0$의 같은 오차가 다른 값을 치릅니다.
# $\mathrm{SNR}_t=\bar\alpha_t/(1-\bar\alpha_t)$로 쓰면
# $$\|\epsilon-\hat\epsilon\|^2=\mathrm{SNR}_t\,\|x_0-\hat x_0\|^2,\qquad \|v-\hat v\|^2=(1+\mathrm{SNR}_t)\,\|x_0-\hat x_0\|^2$$
# 입니다. $\epsilon$ 예측은 SNR로 가중한 $x_0$ 예측이고, $v$ 예측(v-prediction)은 그 가중 계수에 1을 더해 SNR이 0이 되는 곳에서도 양수로 남깁니다.
# 반대 방향을 보면 위험이 보입니다. $\hat\epsilon$의 오차는 $1/\sqrt{\mathrm{SNR}_t}$배가 되어 $\hat x_0$에 들어가고, $\hat v$의 오차는 $\sqrt{1-\bar\alpha_t}\le1$배가 됩니다.

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
theory.print_steps(theory.parameterisation_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Why $\epsilon$ fails at zero terminal SNR, and $v$ does not
#
# Lin et al. (2023) rescale the schedule so that $\bar\alpha_T=0$: then $x_T$ is pure noise, as at sampling time. At $t=T$, $x_T=\epsilon$ exactly,
# so the best $\epsilon$-network just copies its input and says nothing about $x_0$, and $\hat x_0=(x_T-\hat\epsilon)/\sqrt{\bar\alpha_T}$ divides 0 by 0.
# The table shows the gain from a unit prediction error to $\hat x_0$ on that schedule: $\epsilon$'s grows without bound as $t\to T$ and is infinite at $T$;
# $v$'s never exceeds 1. The exact denoiser of Gaussian data shows what $v$ learns at $t=T$: $v^*=-\mathbb E[x_0]$, the data mean, a target a
# network can learn. The package refuses the broken combination with a message that names the fix.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 마지막 SNR이 0일 때 $\epsilon$은 실패하고 $v$는 실패하지 않는 이유
#
# Lin et al.(2023)은 $\bar\alpha_T=0$이 되도록 스케줄을 다시 맞춥니다. 그러면 샘플링할 때처럼 $x_T$가 순수한 노이즈가 됩니다. $t=T$에서는
# $x_T=\epsilon$이 정확히 성립합니다. 그래서 가장 좋은 $\epsilon$ 네트워크는 입력을 그대로 베낄 뿐 $x_0$에 대해 아무것도 말하지 않고,
# $\hat x_0=(x_T-\hat\epsilon)/\sqrt{\bar\alpha_T}$는 0을 0으로 나눕니다. 아래 표는 그 스케줄에서 예측 오차 1이 $\hat x_0$에 얼마나 커져서 들어가는지를 보여 줍니다.
# $\epsilon$의 배율은 $t\to T$에서 끝없이 커지고 $T$에서 무한대입니다. $v$의 배율은 1을 넘지 않습니다. 가우시안 데이터의 정확한 디노이저로
# $t=T$에서 $v$가 배우는 것을 보면 $v^*=-\mathbb E[x_0]$, 곧 데이터의 평균입니다. 네트워크가 배울 수 있는 목표입니다. 패키지는 깨지는 조합을
# 거부하고, 고치는 방법을 메시지로 알려 줍니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
zsnr = dt.make_schedule("linear", zero_terminal_snr=True)
gain = theory.x0_error_gain(zsnr)
for t in (1, 500, 900, 990, 999, 1000):
    print(f"t = {t:4d}  SNR {zsnr.snr[t - 1].item():9.3g}   |x0_hat error| per unit error of eps: {gain['epsilon'][t - 1].item():9.3g}"
          f"   of v: {gain['v'][t - 1].item():.3f}   of x0: {gain['sample'][t - 1].item():.0f}")
g = dt.GaussianDenoiser(zsnr, 0.5, 1.0, sample_shape=(1,))
x_T = torch.randn(4, 1, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
print("at t = T: eps* - x_T =", (g(x_T, torch.full((4,), 999)) - x_T).abs().max().item(),
      "  v* = -E[x0 | x_T] =", (-g.x0_mean(x_T, torch.full((4,), 999))).flatten().tolist())
try:
    dt.sample_ddim(g, x_T, zsnr, dt.make_timesteps(1000, 10), progress=False)
except ValueError as e:
    print("refused:", str(e)[:60], "...")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Clipping $\hat x_0$ and dynamic thresholding
#
# Eq. 12 steps toward $\sqrt{\bar\alpha_{t-1}}\,\hat x_0$. Early in sampling $\hat x_0$ is a blurry guess that can leave the pixel range $[-1,1]$,
# and the step then aims at an image that cannot exist. Two fixes change $\hat x_0$ and re-derive $\hat\epsilon=(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$,
# so that the "direction pointing to $x_t$" of Eq. 12 stays consistent with the changed prediction:
# - **clipping** (DDPM's code): $\hat x_0\leftarrow\mathrm{clip}(\hat x_0,-1,1)$;
# - **dynamic thresholding** (Imagen): $s=\max(1,\ \text{the 99.5th percentile of }|\hat x_0|)$ per image, then $\hat x_0\leftarrow\mathrm{clip}(\hat x_0,-s,s)/s$.
#
# On the digits network at S = 5, with the same $x_T$ for the three rows, we measure the Fréchet distance (lower is better; mean ± 95% interval over
# 3 seeds, 128 images each), the share of $\hat x_0$ pixels each fix moved, and the share of final pixels outside $[-1,1]$. The measured answer is below; the sentence under it reads it.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $\hat x_0$ 자르기와 동적 임계값 처리
#
# Eq. 12는 $\sqrt{\bar\alpha_{t-1}}\,\hat x_0$ 쪽으로 한 걸음 갑니다. 샘플링 초반의 $\hat x_0$는 흐릿한 추측이라서 픽셀 범위 $[-1,1]$를
# 벗어날 수 있고, 그러면 스텝이 있을 수 없는 이미지를 겨눕니다. 두 가지 처방은 $\hat x_0$를 바꾸고
# $\hat\epsilon=(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$를 다시 구합니다. 그래야 Eq. 12의 "$x_t$를 가리키는 방향"이 바뀐 예측과 맞습니다.
# - **자르기**(clipping, DDPM의 코드): $\hat x_0\leftarrow\mathrm{clip}(\hat x_0,-1,1)$;
# - **동적 임계값 처리**(dynamic thresholding, Imagen): 이미지마다 $s=\max(1,\ |\hat x_0|\text{의 99.5 백분위수})$를 구하고 $\hat x_0\leftarrow\mathrm{clip}(\hat x_0,-s,s)/s$로 바꿉니다.
#
# 숫자 네트워크에서 S = 5로, 세 줄 모두 같은 $x_T$에서 프레셰 거리(낮을수록 좋음, 시드 3개의 평균 ± 95% 구간, 시드마다 128장),
# 각 처방이 움직인 $\hat x_0$ 픽셀의 비율, 그리고 최종 픽셀 가운데 $[-1,1]$ 밖에 있는 비율을 잽니다. 잰 답은 아래에 있고, 그 아래 문장이 그 답을 읽습니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.samplers.thresholding import ThresholdedModel
from ddim_teach.experiments.records import frechet_distance, x_T_for
thr_seeds = (0, 1) if SMOKE else (0, 1, 2)
thr = {}
for mode in ("none", "clip", "dynamic"):  # S = 5: few steps, where x0_hat is least reliable
    fds, moved, outside = [], [], []
    for seed in thr_seeds:
        wrapped = ThresholdedModel(model, schedule, mode)
        x = dt.sample_ddim(wrapped, x_T_for("digits", 128, seed), schedule, dt.make_timesteps(1000, 5), progress=False)
        fds.append(frechet_distance(x)); moved.append(wrapped.n_changed / (128 * 64 * 5)); outside.append((x.abs() > 1).float().mean().item())
    thr[mode] = fds
    m, h = theory.interval(fds)
    paired = "" if mode == "none" else "   paired vs none: {:+.2f} +- {:.2f}".format(*theory.interval([a - b for a, b in zip(fds, thr["none"])]))
    print(f"{mode:8s} FD {m:6.2f} +- {h:5.2f}{paired}   x0_hat pixels moved per step {100 * sum(moved) / len(moved):4.1f}%"
          f"   final pixels outside [-1, 1] {100 * sum(outside) / len(outside):4.1f}%")
# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **What the numbers say.** On these digits neither fix helps. Without one, about 15% of the final pixels at S = 5 lie outside $[-1,1]$;
# clipping brings them all back, but the Fréchet distance moves by less than one unit (the paired difference over the same seeds is
# small and, if anything, slightly positive). Dynamic thresholding makes the samples clearly worse, by about 17 units, paired: the
# digits' pixels sit mostly at ±1, so the 99.5th percentile of $|\hat x_0|$ is above 1 at almost every step, and dividing by $s$ greys the
# whole image (it moves about 80% of the pixels per step). Thresholding earns its place where $\hat x_0$ overshoots far and often, as with
# the large guidance scales of lecture 11 and Imagen; a well-trained unguided model on data that fills its range does not need it.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **숫자가 말해 주는 것.** 이 숫자 데이터에서는 두 처방 모두 도움이 되지 않습니다. 처방이 없으면 S = 5에서 최종 픽셀의 약 15%가
# $[-1,1]$ 밖에 있습니다. 자르기는 그 픽셀을 모두 되돌리지만, 프레셰 거리는 1보다 적게 움직입니다(같은 시드끼리의 짝지은 차이는 작고,
# 굳이 말하면 조금 나빠집니다). 동적 임계값 처리는 짝지은 차이로 17 정도 분명히 나빠집니다. 숫자 이미지의 픽셀은 대부분 ±1에 있어서
# $|\hat x_0|$의 99.5 백분위수가 거의 모든 스텝에서 1을 넘고, $s$로 나누면 이미지 전체가 회색이 됩니다(스텝마다 픽셀의 약 80%를 움직입니다).
# 임계값 처리는 $\hat x_0$가 자주, 크게 넘칠 때 쓸모가 있습니다. 11강과 Imagen의 큰 가이던스 스케일이 그런 경우입니다. 범위를 꽉 채우는
# 데이터로 잘 학습한, 가이던스 없는 모델에는 필요하지 않습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore: the weights of the loss, schedule by schedule
#
# Left: the weight each objective puts on $\|\epsilon-\epsilon_\theta\|^2$ at each $t$: the ELBO's $\lambda_t$, Theorem 1's $\gamma_t$ at the chosen η,
# and $L_{simple}$'s 1. Right: the weight on $\|x_0-\hat x_0\|^2$ that $\epsilon$, $x_0$ and $v$ prediction imply (SNR, 1, 1 + SNR).
# The status line gives $\lambda_1$, $\lambda_2$, $\lambda_T$, the ratio $\lambda_2/\lambda_{T/2}$ and the schedule's last SNR.
#
# **Try this.**
# 1. Move η to 1.0. The red curve ($\gamma_t$) lands on the blue one ($\lambda_t$): the ELBO is $J_\sigma$ at η = 1.
# 2. Move η down to 0.1. Every $\gamma_t$ grows (σ² sits in the denominator) but the optimum of each term stays where it was: why does that
#    not make the network differ?
# 3. Switch the schedule from `linear` to `cosine` and read $\lambda_T$ in the status line. Which β causes it?
# 4. On the right, find where the $\epsilon$ and $v$ curves part. Below which SNR does $v$'s "+1" matter?

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 스케줄마다 달라지는 손실의 가중 계수
#
# 왼쪽은 목적 함수마다 $t$별로 $\|\epsilon-\epsilon_\theta\|^2$에 주는 가중 계수입니다. ELBO의 $\lambda_t$, 고른 η에서 정리 1의 $\gamma_t$,
# 그리고 $L_{simple}$의 1입니다. 오른쪽은 $\epsilon$, $x_0$, $v$ 예측이 $\|x_0-\hat x_0\|^2$에 주는 가중 계수(SNR, 1, 1 + SNR)입니다.
# 상태 줄에는 $\lambda_1$, $\lambda_2$, $\lambda_T$, 비율 $\lambda_2/\lambda_{T/2}$, 스케줄의 마지막 SNR이 나옵니다.
#
# **이렇게 해 보세요.**
# 1. η를 1.0으로 옮기세요. 빨간 곡선($\gamma_t$)이 파란 곡선($\lambda_t$) 위에 겹칩니다. ELBO는 η = 1에서의 $J_\sigma$입니다.
# 2. η를 0.1까지 내리세요. 모든 $\gamma_t$가 커집니다(σ²가 분모에 있습니다). 그래도 각 항의 최적해는 그대로입니다. 왜 네트워크가 달라지지 않을까요?
# 3. 스케줄을 `linear`에서 `cosine`으로 바꾸고 상태 줄의 $\lambda_T$를 읽으세요. 어떤 β 때문일까요?
# 4. 오른쪽에서 $\epsilon$ 곡선과 $v$ 곡선이 갈라지는 곳을 찾으세요. SNR이 얼마보다 작을 때 $v$의 "+1"이 중요해질까요?

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.theory_widgets import WeightsExplorer
WeightsExplorer(kind="linear", eta=0.5)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercise (on paper, checked by sympy)
#
# Start from $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$ and set $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$.
# Show that $\gamma_t=\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$, DDPM's weight. Hint: lecture 03 showed
# $1-\bar\alpha_{t-1}-\tilde\beta_t=\alpha_t(1-\bar\alpha_{t-1})^2/(1-\bar\alpha_t)$. Step 5 of the sympy cell above is the check.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# With the hint, $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\sqrt{\alpha_t}(1-\bar\alpha_{t-1})/\sqrt{1-\bar\alpha_t}$, so
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{\alpha_t}(1-\bar\alpha_{t-1})\sqrt{\alpha_t\bar\alpha_{t-1}}/(1-\bar\alpha_t)
# =\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\alpha_t\bar\alpha_{t-1}}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}$
# (using $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$). Then
# $\gamma_t=\frac{\bar\alpha_{t-1}\beta_t^2}{(1-\bar\alpha_t)^2}\cdot\frac{1-\bar\alpha_t}{2\sigma_t^2\alpha_t\bar\alpha_{t-1}}=\frac{\beta_t^2}{2\sigma_t^2\alpha_t(1-\bar\alpha_t)}$.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제 (종이에 풀고 sympy로 확인)
#
# $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$에서 시작해 $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$를 넣어 보겠습니다.
# $\gamma_t=\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$, 즉 DDPM의 가중 계수가 됨을 보이세요. 힌트: 03강에서
# $1-\bar\alpha_{t-1}-\tilde\beta_t=\alpha_t(1-\bar\alpha_{t-1})^2/(1-\bar\alpha_t)$임을 보였습니다. 위 sympy 셀의 5단계가 검산입니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# 힌트에서 $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\sqrt{\alpha_t}(1-\bar\alpha_{t-1})/\sqrt{1-\bar\alpha_t}$이므로
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{\alpha_t}(1-\bar\alpha_{t-1})\sqrt{\alpha_t\bar\alpha_{t-1}}/(1-\bar\alpha_t)
# =\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\alpha_t\bar\alpha_{t-1}}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}$
# 입니다($\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$ 사용). 따라서
# $\gamma_t=\frac{\bar\alpha_{t-1}\beta_t^2}{(1-\bar\alpha_t)^2}\cdot\frac{1-\bar\alpha_t}{2\sigma_t^2\alpha_t\bar\alpha_{t-1}}=\frac{\beta_t^2}{2\sigma_t^2\alpha_t(1-\bar\alpha_t)}$입니다.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - DDIM trains exactly like DDPM, with $L_{simple}$; the loss never mentions σ, η or the sampler.
# - The shipped weights record their command, seed, steps and final loss (`dt.checkpoint_meta`); the same command
#   retrains them, on a GPU when there is one.
# - **Theorem 1:** for every σ > 0, $J_\sigma=L_\gamma+C$ with $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$; Lemma 1 makes
#   the $x_t$ of every $J_\sigma$ the $x_t$ of $L_{simple}$. We checked each step with sympy and on the digits network (to 1e-9).
# - The weights change a lot with η, but with separate parameters per $t$ they do not move the optimum; with shared
#   parameters they would (0.441 against 0.198 in the linear example), which is why the final word is empirical.
# - So one network trained once serves every σ: the note's promise, now derived.
# - $L_{simple}$ is DDPM's ELBO with its weights $\lambda_t=\frac12(\mathrm{SNR}_{t-1}/\mathrm{SNR}_t-1)$ set to 1; the bound in closed form matched a
#   Monte Carlo estimate on Gaussian data, and $\lambda_t$ is Theorem 1's $\gamma_t$ at η = 1.
# - ε, $x_0$ and v prediction weight the $x_0$ error by SNR, 1 and 1 + SNR; at zero terminal SNR only v stays finite.
#
# Next: [09 · Notation and errata](09_notation_errata.ipynb) — the note's slips, each with the number that decides it.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - DDIM은 DDPM과 똑같이 $L_{simple}$로 학습합니다. 이 손실에는 σ, η, 샘플러가 나오지 않습니다.
# - 배포된 가중치에는 명령어, 시드, 스텝 수, 최종 손실이 기록되어 있습니다(`dt.checkpoint_meta`). 같은 명령으로 다시 학습할 수 있고, GPU가 있으면 GPU를 씁니다.
# - **정리 1:** 모든 σ > 0에 대해 $J_\sigma=L_\gamma+C$이고 $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$입니다. 보조정리 1 덕분에
#   모든 $J_\sigma$의 $x_t$가 $L_{simple}$의 $x_t$와 같습니다. 각 단계를 sympy로, 그리고 digits 네트워크에서 숫자로(1e-9까지) 확인했습니다.
# - 가중 계수는 η에 따라 크게 변합니다. 하지만 $t$마다 파라미터가 따로 있으면 최적해를 옮기지 못합니다. 파라미터를 공유하면 옮깁니다
#   (선형 예제에서 0.441 대 0.198). 그래서 마지막 근거는 실험입니다.
# - 결국 한 번 학습한 네트워크 하나가 모든 σ에 쓰입니다. 노트의 약속을 이제 유도로 확인했습니다.
# - $L_{simple}$은 DDPM의 변분 하한에서 가중 계수 $\lambda_t=\frac12(\mathrm{SNR}_{t-1}/\mathrm{SNR}_t-1)$를 1로 바꾼 것입니다. 가우시안 데이터에서
#   닫힌 꼴의 한계가 몬테카를로 추정과 맞았고, $\lambda_t$는 η = 1에서 정리 1의 $\gamma_t$입니다.
# - ε, $x_0$, v 예측은 $x_0$ 오차에 각각 SNR, 1, 1 + SNR의 가중 계수를 줍니다. 마지막 SNR이 0이면 v만 유한하게 남습니다.
#
# 다음: [09 · 표기법과 정오표](09_notation_errata.ipynb) — 노트의 실수 하나하나와, 그것을 판가름하는 숫자.
