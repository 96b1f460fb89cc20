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
# **학습 목표.** 이 강의를 마치면
# - 학습에 쓰는 손실 함수(loss function) $L_{simple}$을 쓰고, 학습 한 스텝이 무엇을 하는지 말할 수 있다;
# - 이 강의에 들어 있는 학습된 가중치(weights)가 어떻게 만들어졌는지 알고, 직접 다시 만들 수 있다 (GPU가 있으면 GPU로);
# - 논문의 **Theorem 1**, $J_\sigma = L_\gamma + C$를 한 줄씩 유도하고, 주어진 σ에 대한 가중 계수 $\gamma_t$를 계산할 수 있다;
# - $L_{simple}$로 한 번 학습한 네트워크가 왜 모든 σ(모든 η)에 그대로 쓰이는지, 그리고 그 논리가 언제 깨지는지 설명할 수 있다.
#
# **선수 지식.** 순방향 과정과 $q(x_t\mid x_0)$ (01), $q_\sigma$ 가족과 Lemma 1 (02),
# $q_\sigma(x_{t-1}\mid x_t,x_0)$의 평균인 Eq. 7 (03), $\hat x_0$ (Eq. 9)와 업데이트 식 Eq. 12 (04).

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
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

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# ## 노트의 약속, 그리고 생기는 질문
#
# 노트는 이런 약속으로 시작한다. **기존에 학습된 Diffusion Model을 그대로 가져와서**, 샘플링할 때만
# 비마르코프(non-Markovian) 샘플러를 고르면 된다. 04–07강은 실제로 이 약속을 지켰다. 가중치는 하나인데, η도 S도 마음대로 바꿨다.
#
# 그런데 꼼꼼한 학생이라면 이렇게 물을 것이다.
#
# > **σ마다 목적 함수가 다른데, 왜 다시 학습하지 않아도 되나요?**
#
# σ 하나하나가 자기만의 순방향 가족 $q_\sigma$와 생성 모델 $p_\theta$를 정한다. 그러니 변분 하한(variational lower bound, ELBO)에서
# 나온 목적 함수(objective function) $J_\sigma$(논문 Eq. 11)도 σ마다 다르다. η = 0.2의 $J_\sigma$와 η = 1의 $J_\sigma$는
# 서로 다른 최적화 문제다. DDPM의 $L_{simple}$로 한 번 학습한 네트워크가 어떻게 이 모두에 맞을까?
#
# 결론부터 말하자면, 모든 $J_\sigma$는 **가중치를 준** $L_{simple}$에 상수를 더한 것이다. $J_\sigma = L_\gamma + C$ (Theorem 1).
# σ에 따라 바뀌는 것은 시점별 가중 계수 $\gamma_t$뿐이다. 네트워크가 $t$마다 따로 파라미터를 가진다면
# 가중 계수는 최적해를 옮기지 못한다. 그래서 $L_{simple}$의 최적해가 곧 모든 $J_\sigma$의 최적해다.

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic as sym

plt.rcParams.update(plots.projector_style())
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
# 노트의 말대로 DDIM의 학습은 DDPM과 똑같다.
# $$L_{simple}(\theta)=\mathbb E_{t,x_0,\epsilon}\big\|\epsilon-\epsilon_\theta(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\ t)\big\|^2 .$$
# 학습 한 스텝은 이렇게 움직인다. 깨끗한 이미지 $x_0$ 묶음을 뽑는다. 이미지마다 타임스텝 $t$를 $1,\dots,T$에서 고르게 뽑고,
# 가우시안 노이즈 $\epsilon$도 뽑는다. $q(x_t\mid x_0)$로 $x_t$를 한 번에 만든 뒤(01강), 네트워크에게 더해진 노이즈를 맞히게 한다.
# 이 손실 어디에도 σ, η, 샘플러는 나오지 않는다.
#
# `ddim_teach.train`은 여기에 흔한 장치를 더한다. AdamW, 워밍업 뒤 코사인으로 줄어드는 학습률, 기울기 자르기,
# 그리고 가중치의 지수 이동 평균(EMA)이다. GPU가 있으면 아래 셀은 전체 레시피로 학습한다(bf16 autocast, 더 큰 배치).
# CPU에서는 루프가 도는 것만 보이도록 몇 스텝만 돌린다. 나머지 강의는 함께 배포된 가중치를 쓴다.

# %% slideshow={"slide_type": "subslide"}
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
# 옵티마이저 스텝 $n$마다의 손실이다. CPU에서는 처음 몇 스텝만 보인다. 전체 학습에서는 손실이 1 근처에서
# 아래에 적힌 최종 손실까지 내려간다.

# %% slideshow={"slide_type": "-"}
fig, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
ax.plot(range(1, len(result.losses) + 1), result.losses, marker="o" if len(result.losses) < 50 else None)
ax.set_xlabel("$n$"); ax.set_ylabel("$L_{simple}$"); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
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

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# ## 2. 배포된 가중치는 어떻게 만들었나
#
# 이 강의의 네트워크는 모두 같은 함수와 `ddim_teach/train.py`의 레시피(`RECIPES`)로, 기준 머신의 CPU(2코어)에서 학습했다.
# README의 표를 옮기면 다음과 같다.
#
# | 이름 | 네트워크 | 스텝 × 배치 | 최종 손실 |
# |---|---|---|---|
# | `digits` | TinyUNet, 8×8 이미지, 파라미터 35만 3천 개 | 6000 × 128 | 0.0671 |
# | `moons`, `swiss_roll`, `ring8`, `checkerboard` | MLP, 2차원 점, 파라미터 10만 5천 개 | 6000 × 512 | 0.22–0.27 |
#
# 체크포인트마다 만든 방법이 함께 저장되어 있다. 명령어, 시드, 스텝 수, 배치 크기, 학습률, 최종 손실(마지막 10% 스텝의 평균)이다.
# `dt.checkpoint_meta(name)`으로 읽을 수 있다. `dt.load_pretrained(name)`은 불러오기 전에 파일의 sha256을
# `ddim_teach/weights/manifest.json`과 비교한다. 다시 만들고 싶다면 그 명령어를 그대로 실행하면 된다. CUDA가 있으면 같은 명령이 GPU에서 학습한다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
meta = dt.checkpoint_meta("digits")
for key in ("command", "seed", "steps", "batch_size", "lr", "device"):
    print(f"{key:>10s}: {meta[key]}")
print(f"final loss: {meta['final_loss']:.4f}")

# %% [markdown] lang="en" slideshow={"slide_type": "fragment"}
# Sixty-four samples of the shipped digits network, 50 deterministic DDIM steps (η = 0). Lecture 06 measures their
# quality; here they only show that the weights loaded are the trained ones.

# %% [markdown] lang="ko" slideshow={"slide_type": "fragment"}
# 배포된 digits 네트워크에서 뽑은 샘플 64개다. 결정론적 DDIM 50스텝(η = 0)을 썼다. 품질은 06강에서 잰다.
# 여기서는 불러온 가중치가 학습된 가중치라는 것만 보여 준다.

# %% slideshow={"slide_type": "-"}
model, schedule = dt.load_pretrained("digits")
x_T = torch.randn(64, *model.sample_shape, generator=torch.Generator().manual_seed(0))
x = dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, 50), progress=False)
fig, ax = plt.subplots(figsize=(5, 5), layout="constrained"); plots.show_images(ax, x, 8); plt.show()

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
# ## 3. Theorem 1: $J_\sigma = L_\gamma + C$
#
# 두 목적 함수를 DDPM 표기법($\bar\alpha_t$, 논문은 $\alpha_t$로 쓴다)으로 적어 보자.
# - **$J_\sigma$** (Eq. 11)는 $q_\sigma$ 가족에 대한 모델 $p_\theta$의 변분 목적 함수다.
#   $J_\sigma(\epsilon_\theta)=\mathbb E_{q_\sigma}\big[\log q_\sigma(x_{1:T}\mid x_0)-\log p_\theta(x_{0:T})\big]$.
#   생성 모델(Eq. 10)은 $t\ge2$에서 $p_\theta^{(t)}(x_{t-1}\mid x_t)=q_\sigma(x_{t-1}\mid x_t,\hat x_0)$이다.
#   진짜 $q_\sigma$ 인자에 $x_0$ 대신 예측값 $\hat x_0$(Eq. 9)를 넣은 것이다. 마지막은 $p_\theta^{(1)}(x_0\mid x_1)=\mathcal N(\hat x_0(x_1),\sigma_1^2I)$이다.
# - **$L_\gamma$** (Eq. 5)는 가중 계수를 준 $L_{simple}$이다.
#   $L_\gamma(\epsilon_\theta)=\sum_{t=1}^T\gamma_t\,\mathbb E_{x_0,\epsilon}\|\epsilon-\epsilon_\theta^{(t)}(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon)\|^2$.
#   모든 $\gamma_t=1$이면 $L_{simple}$과 같다(상수배 차이는 최적해를 옮기지 않는다).
#
# **Theorem 1.** 모든 σ > 0에 대해 가중 계수 $\gamma\in\mathbb R^T_{>0}$와 상수 $C$가 있어서 $J_\sigma = L_\gamma + C$이다.

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
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

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# ### 한 줄씩 유도하기
#
# **0단계 — $J_\sigma$를 $t$마다 한 항으로 나눈다.** $\log q_\sigma(x_{1:T}\mid x_0)$는 $q_\sigma$를 정의하는 분해(Eq. 6)로,
# $\log p_\theta(x_{0:T})$는 스텝들의 곱으로 쓴다.
# $$J_\sigma=\mathbb E\Big[\log q_\sigma(x_T\mid x_0)-\log p_\theta(x_T)+\sum_{t=2}^T\log\frac{q_\sigma(x_{t-1}\mid x_t,x_0)}{p_\theta^{(t)}(x_{t-1}\mid x_t)}-\log p_\theta^{(1)}(x_0\mid x_1)\Big].$$
# 앞의 두 항에는 θ가 없다. 그래서 $C$로 들어간다. 합 안에서 $(x_t,x_0)$가 주어졌을 때 $x_{t-1}$에 대한 기댓값은 KL 발산이다.
# 즉 $t$번째 항은 $\mathbb E_{x_0,x_t}\,\mathrm{KL}\big(q_\sigma(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta^{(t)}(x_{t-1}\mid x_t)\big)$이다.
# Lemma 1(02강)에 따르면 **어떤** $q_\sigma$에서든 $x_0$가 주어진 $x_t$의 분포는 $q(x_t\mid x_0)$이다.
# 그러니 $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$, $\epsilon\sim\mathcal N(0,I)$로 쓸 수 있다. $L_{simple}$의 $x_t$와 정확히 같다.
#
# **1단계 — 분산이 같은 두 가우시안의 KL.** 두 인자 모두 공분산이 $\sigma_t^2I$이다. 좌표 하나마다
# $\mathrm{KL}(\mathcal N(m_1,s^2)\|\mathcal N(m_2,s^2)) = (m_1-m_2)^2/(2s^2)$이다.
#
# **2단계 — 두 평균의 차이는 $x_0-\hat x_0$의 상수배다.** Eq. 7의 평균은 $x_0$에 대해 아핀이다.
# $\mu_\sigma(x_t,x_0)=\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\frac{x_t-\sqrt{\bar\alpha_t}x_0}{\sqrt{1-\bar\alpha_t}}$이므로
# $\mu_\sigma(x_t,x_0)-\mu_\sigma(x_t,\hat x_0)=c_t\,(x_0-\hat x_0)$이고,
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\sqrt{\bar\alpha_t}/\sqrt{1-\bar\alpha_t}$이다.
#
# **3단계 — $x_0-\hat x_0$를 $\epsilon-\epsilon_\theta$로 바꾼다.** Eq. 9에 $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\epsilon$을 넣으면
# $x_0-\hat x_0=\frac{\sqrt{1-\bar\alpha_t}}{\sqrt{\bar\alpha_t}}(\epsilon_\theta-\epsilon)$이다.
#
# **4단계 — 모은다.** $t$번째 항은 $\gamma_t\,\mathbb E\|\epsilon-\epsilon_\theta^{(t)}(x_t)\|^2$이고,
# $$\gamma_t=\frac{c_t^2\,(1-\bar\alpha_t)}{2\sigma_t^2\,\bar\alpha_t}\qquad(t\ge2)$$
# 이다. σ와 스케줄에는 기대지만 θ에는 기대지 않는다. $t=1$ 항은 $c_1=1$인 3단계와 같다. $\gamma_1=(1-\bar\alpha_1)/(2\sigma_1^2\bar\alpha_1)$에
# 정규화 상수가 더해진다. $t$에 대해 모두 더하면 $J_\sigma=L_\gamma+C$이다. ∎
#
# **5단계 — 검산.** DDPM의 σ, 즉 $\sigma_t^2=\tilde\beta_t$에서는 $c_t$가 사후분포(posterior) 계수 $\sqrt{\bar\alpha_{t-1}}\beta_t/(1-\bar\alpha_t)$가 되고,
# $\gamma_t$는 Ho et al.의 가중 계수 $\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$가 된다.

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
# sympy checks each step: the KL by integrating $q\log(q/p)$, the rest by simplifying the difference of the two sides.

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# sympy로 각 단계를 확인한다. KL은 $q\log(q/p)$를 직접 적분하고, 나머지는 양변의 차를 단순화한다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.theorem1_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
# ### The same identity on real tensors
#
# Now the shipped digits network. For a batch of test digits, noise $\epsilon$ and a time $t$, we compute the KL of
# step 0 **directly** from the package's two Gaussian means, $q_\sigma(\cdot\mid x_t,x_0)$ and $q_\sigma(\cdot\mid x_t,\hat x_0)$
# (`dt.q_sigma_posterior_mean_variance`), and compare it with $\gamma_t\|\epsilon-\epsilon_\theta\|^2$ from the formula.
# The KL itself changes with η; the ratio between two η's does not depend on the network — it is $\gamma_t(\eta_1)/\gamma_t(\eta_2)$.

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# ### 실제 텐서로 보는 같은 등식
#
# 이번에는 배포된 digits 네트워크를 쓴다. 테스트 숫자 묶음, 노이즈 $\epsilon$, 타임스텝(timestep) $t$를 정하고, 0단계의 KL을
# 패키지가 계산한 두 가우시안 평균 $q_\sigma(\cdot\mid x_t,x_0)$와 $q_\sigma(\cdot\mid x_t,\hat x_0)$에서 **직접** 구한다
# (`dt.q_sigma_posterior_mean_variance`). 그리고 공식의 $\gamma_t\|\epsilon-\epsilon_\theta\|^2$와 비교한다.
# KL 값은 η에 따라 변한다. 하지만 두 η 사이의 비율은 네트워크와 상관없이 $\gamma_t(\eta_1)/\gamma_t(\eta_2)$이다.

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
# $\sigma_t=\eta\sqrt{\tilde\beta_t}$(연속 스텝에서의 Eq. 16)로 두고, 선형 스케줄에서 $\gamma_t$를 계산한다.
# 가중 계수는 $L_{simple}$의 상수 1과 거리가 멀다. 그리고 $t$에 따른 모양이 η마다 다르다. η가 작으면 $\sigma_t^2$가 분모에 있으므로
# 모든 $\gamma_t$가 커지고, 작은 $t$ 쪽으로 더 기운다. η = 0에서는 무한대가 된다. Theorem 1은 σ > 0에 대한 정리이고,
# DDIM의 결정론적(deterministic) 샘플러는 그 극한이다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
lin = dt.make_schedule("linear")
ts = (2, 10, 100, 500, 1000)
print("eta   " + "".join(f"  t={t:<5d}" for t in ts) + "  gamma_2/gamma_500")
for eta in (0.2, 0.5, 1.0):
    t_all, gam = sym.theorem1_gammas(lin, eta)
    g = [gam[t - 2].item() for t in ts]
    print(f"{eta:<5}" + "".join(f"  {v:8.3g}" for v in g) + f"  {g[0] / g[3]:10.0f}")

# %% slideshow={"slide_type": "subslide"}
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
# 타임스텝 $t$에서의 네트워크를 $\epsilon_\theta^{(t)}$로 쓰자. 파라미터를 **$t$끼리 공유하지 않는다면**, 즉 $t$마다 함수가 따로 있다면,
# $L_\gamma=\sum_t\gamma_t\,\ell_t(\theta_t)$의 각 항은 자기 $\theta_t$에만 기댄다. 합을 최소화하는 것은 각 항을 따로 최소화하는 것과 같다.
# 그리고 항에 $\gamma_t>0$을 곱해도 최솟값의 위치는 그대로다. 그래서 모든 $L_\gamma$의 최적해는 $L_{simple}$의 최적해와 같다.
# Theorem 1과 합치면 모든 $J_\sigma$도 마찬가지다. 표현력이 충분하다면 그 최적해는 $\epsilon_\theta^{(t)}(x_t)=\mathbb E[\epsilon\mid x_t]$(노이즈의 사후 평균)이고,
# 여기에는 σ가 전혀 나오지 않는다.
#
# sympy로 이차식 항에서 이를 확인하고, 반대 경우도 본다. **파라미터 하나를 두 시점이 공유하면** 최적해
# $(\gamma_1B_1+\gamma_2B_2)/(\gamma_1A_1+\gamma_2A_2)$가 $\gamma_1$에 따라 움직인다. $B_1/A_1=B_2/A_2$일 때만 예외다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.theorem1_optimum_steps())
theta_shared, d_theta = sym.theorem1_shared_optimum()
print("shared theta: argmin =", theta_shared)
print("d argmin / d gamma_1 =", d_theta)

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
# With numbers: data $x_0\sim\mathcal N(0,4)$ in one dimension and the linear model $\epsilon_\theta(x_t,t)=\theta_t x_t$.
# With a $\theta_t$ per time, the optimum $\theta_t^*=\sqrt{1-\bar\alpha_t}/(4\bar\alpha_t+1-\bar\alpha_t)$ is the same under every weighting.
# With a single shared θ, the optimum under $L_{simple}$ and under the weights of η = 1 are far apart.

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# 숫자로 보자. 1차원 데이터 $x_0\sim\mathcal N(0,4)$와 선형 모델 $\epsilon_\theta(x_t,t)=\theta_t x_t$를 쓴다.
# 시점마다 $\theta_t$가 따로 있으면 최적해 $\theta_t^*=\sqrt{1-\bar\alpha_t}/(4\bar\alpha_t+1-\bar\alpha_t)$는 어떤 가중 계수에서도 같다.
# θ 하나를 공유하면 $L_{simple}$에서의 최적해와 η = 1 가중 계수에서의 최적해가 크게 다르다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
weights = {"L_simple": None}
for eta in (0.2, 1.0):  # gamma_1 needs the decoder's sigma_1; any positive value, here 1
    weights[f"eta={eta}"] = torch.cat([torch.ones(1, dtype=torch.float64), sym.theorem1_gammas(lin, eta)[1]])
for name, g in weights.items():
    sep, shared = sym.theorem1_linear_optimum(lin, 4.0, g)
    print(f"{name:>9s}: separate theta_t* at t=10, 500: {sep[9].item():.4f}, {sep[499].item():.4f}   shared theta*: {shared:.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "subslide"}
# **What this means in practice.** A real network shares its parameters across $t$ (one U-Net reads $t$ through an
# embedding), so the argument is an idealisation: the weights decide how the network spends its capacity when it
# cannot be optimal everywhere. The paper takes $L_{simple}$ as the objective for every σ (Sec. 3.2), and the evidence is
# empirical: lecture 06 samples one network trained with $L_{simple}$ at η = 0 … 1 and with σ̂, without retraining.
# This is the answer to the note's promise: **the objective of every $q_\sigma$ is $L_{simple}$ up to weights and a
# constant, so the network DDPM trained is already the network DDIM needs.**

# %% [markdown] lang="ko" slideshow={"slide_type": "subslide"}
# **실제로는 무슨 뜻인가.** 실제 네트워크는 $t$끼리 파라미터를 공유한다. U-Net 하나가 임베딩으로 $t$를 읽는다.
# 그래서 위 논리는 이상화다. 모든 곳에서 최적일 수 없을 때, 가중 계수는 네트워크가 표현력을 어디에 쓸지를 정한다.
# 논문은 모든 σ에 대해 $L_{simple}$을 목적 함수로 삼는다(Sec. 3.2). 근거는 실험이다. 06강은 $L_{simple}$로 학습한 네트워크 하나로
# η = 0 … 1과 σ̂에서 다시 학습하지 않고 샘플링한다. 이것이 노트의 약속에 대한 답이다.
# **모든 $q_\sigma$의 목적 함수는 가중 계수와 상수를 빼면 $L_{simple}$이다. 그래서 DDPM이 학습한 네트워크가 곧 DDIM에 필요한 네트워크다.**

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercise (on paper, checked by sympy)
#
# Start from $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$ and set $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$.
# Show that $\gamma_t=\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$, DDPM's weight. Hint: lecture 03 showed
# $1-\bar\alpha_{t-1}-\tilde\beta_t=\alpha_t(1-\bar\alpha_{t-1})^2/(1-\bar\alpha_t)$. Step 5 of the sympy cell above is the check.
#
# <details><summary>풀이 (solution)</summary>
#
# With the hint, $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\sqrt{\alpha_t}(1-\bar\alpha_{t-1})/\sqrt{1-\bar\alpha_t}$, so
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{\alpha_t}(1-\bar\alpha_{t-1})\sqrt{\alpha_t\bar\alpha_{t-1}}/(1-\bar\alpha_t)
# =\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\alpha_t\bar\alpha_{t-1}}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}$
# (using $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$). Then
# $\gamma_t=\frac{\bar\alpha_{t-1}\beta_t^2}{(1-\bar\alpha_t)^2}\cdot\frac{1-\bar\alpha_t}{2\sigma_t^2\alpha_t\bar\alpha_{t-1}}=\frac{\beta_t^2}{2\sigma_t^2\alpha_t(1-\bar\alpha_t)}$.
# </details>

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제 (종이에 풀고 sympy로 확인)
#
# $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$에서 시작해 $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$를 넣어 보자.
# $\gamma_t=\beta_t^2/(2\sigma_t^2\alpha_t(1-\bar\alpha_t))$, 즉 DDPM의 가중 계수가 됨을 보여라. 힌트: 03강에서
# $1-\bar\alpha_{t-1}-\tilde\beta_t=\alpha_t(1-\bar\alpha_{t-1})^2/(1-\bar\alpha_t)$임을 보였다. 위 sympy 셀의 5단계가 검산이다.
#
# <details><summary>풀이 (solution)</summary>
#
# 힌트에서 $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\sqrt{\alpha_t}(1-\bar\alpha_{t-1})/\sqrt{1-\bar\alpha_t}$이므로
# $c_t=\sqrt{\bar\alpha_{t-1}}-\sqrt{\alpha_t}(1-\bar\alpha_{t-1})\sqrt{\alpha_t\bar\alpha_{t-1}}/(1-\bar\alpha_t)
# =\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\alpha_t\bar\alpha_{t-1}}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}$
# 이다($\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$ 사용). 따라서
# $\gamma_t=\frac{\bar\alpha_{t-1}\beta_t^2}{(1-\bar\alpha_t)^2}\cdot\frac{1-\bar\alpha_t}{2\sigma_t^2\alpha_t\bar\alpha_{t-1}}=\frac{\beta_t^2}{2\sigma_t^2\alpha_t(1-\bar\alpha_t)}$이다.
# </details>

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
#
# Next: [09 · Notation and errata](09_notation_errata.ipynb) — the note's slips, each with the number that decides it.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - DDIM은 DDPM과 똑같이 $L_{simple}$로 학습한다. 이 손실에는 σ, η, 샘플러가 나오지 않는다.
# - 배포된 가중치에는 명령어, 시드, 스텝 수, 최종 손실이 기록되어 있다(`dt.checkpoint_meta`). 같은 명령으로 다시 학습할 수 있고, GPU가 있으면 GPU를 쓴다.
# - **Theorem 1:** 모든 σ > 0에 대해 $J_\sigma=L_\gamma+C$이고 $\gamma_t=c_t^2(1-\bar\alpha_t)/(2\sigma_t^2\bar\alpha_t)$이다. Lemma 1 덕분에
#   모든 $J_\sigma$의 $x_t$가 $L_{simple}$의 $x_t$와 같다. 각 단계를 sympy로, 그리고 digits 네트워크에서 숫자로(1e-9까지) 확인했다.
# - 가중 계수는 η에 따라 크게 변한다. 하지만 $t$마다 파라미터가 따로 있으면 최적해를 옮기지 못한다. 파라미터를 공유하면 옮긴다
#   (선형 예제에서 0.441 대 0.198). 그래서 마지막 근거는 실험이다.
# - 결국 한 번 학습한 네트워크 하나가 모든 σ에 쓰인다. 노트의 약속을 이제 유도로 확인했다.
#
# 다음: [09 · 표기법과 정오표](09_notation_errata.ipynb) — 노트의 실수 하나하나와, 그것을 판가름하는 숫자.
