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
# # 04 · DDPM vs DDIM sampling
#
# Lecture 03 computed the posterior $q(x_{t-1}\mid x_t,x_0)$ and DDIM's family $q_\sigma$ around it. Both need
# the clean image $x_0$, which a sampler does not have. This lecture puts the network's guess $\hat x_0$ in its
# place, derives DDIM's update (Eq. 12) from Eq. 7, and compares it with DDPM's update, term by term.
#
# **Learning goals.** After this lecture you can
# - compute the predicted $\hat x_0$ from the noise prediction $\epsilon_\theta$ (Eq. 9);
# - derive Eq. 12 from Eq. 7, and explain the weight $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$ by variance bookkeeping;
# - show that DDPM's mean is the posterior mean at $\hat x_0$, so DDIM with $\eta=1$ and all $T$ steps *is* DDPM;
# - say exactly what DDIM changes: $\sigma_t$, and with it the weight on the direction term.
#
# **Prerequisites.** Lecture 03 (the posterior, its two forms, $q_\sigma$); the noise-prediction network
# $\epsilon_\theta(x_t,t)$ trained with $L_\text{simple}$ (lecture 08 trains one; here we use a trained one).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 04 · DDPM과 DDIM의 샘플링
#
# 03강에서 사후분포(posterior) $q(x_{t-1}\mid x_t,x_0)$와, 그 주위에 놓인 DDIM의 분포족 $q_\sigma$를 계산했습니다.
# 둘 다 깨끗한 이미지 $x_0$가 필요합니다. 하지만 샘플러에게는 $x_0$가 없습니다.
# 이번 강의에서는 그 자리에 네트워크의 추측 $\hat x_0$를 넣고, Eq. 7에서 DDIM의 업데이트 식(Eq. 12)을 유도합니다.
# 그리고 DDPM의 업데이트와 항 하나하나를 비교합니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - 노이즈 예측(noise prediction) $\epsilon_\theta$로 예측된 원본(predicted $x_0$) $\hat x_0$를 계산합니다(Eq. 9).
# - Eq. 7에서 Eq. 12를 유도하고, 무게 $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$를 분산 장부로 설명합니다.
# - DDPM의 평균이 $\hat x_0$에서의 사후 평균임을 보이고, 그래서 $\eta=1$에 $T$ 스텝을 모두 쓴 DDIM이 곧 DDPM임을 보입니다.
# - DDIM이 바꾸는 것이 정확히 무엇인지 말합니다. $\sigma_t$, 그리고 그에 따른 방향 항의 무게입니다.
#
# **선수 지식.** 03강(사후분포, 그 두 모양, $q_\sigma$). $L_\text{simple}$로 학습한 노이즈 예측 네트워크
# $\epsilon_\theta(x_t,t)$(08강에서 직접 학습합니다. 여기서는 학습된 것을 씁니다).

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
torch.set_num_threads(1)  # tiny models: one thread is as fast, and safe on a busy shared machine
s = dt.make_schedule("linear", T=1000)  # paper's t = 1..T is table index t - 1

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The note's answer sheet (정답지)
#
# The note explains the difference with an exam:
# - **DDPM:** "학습할 때만 정답지를 보고, 시험 볼 땐 안 봐요" — it looks at the answer sheet $x_0$ only while
#   training; at test time it denoises one step at a time.
# - **DDIM:** "시험 볼 때도 정답지를 예측해서 봐요" — at test time it *predicts* the answer sheet, $\hat x_0$,
#   and uses the prediction in every step.
#
# Keep the picture; it is a good one. But it suggests that DDPM never forms $\hat x_0$, and that is not so.
# The precise story, which this lecture derives:
# - **Both** samplers predict the answer sheet at every step and plug $\hat x_0$ into the posterior's Gaussian.
#   DDPM's mean $\mu_\theta(x_t,t)$ *is* $\tilde\mu_t(x_t,\hat x_0)$; it is only written without $\hat x_0$.
# - They differ in how much fresh noise they add, $\sigma_t$, and hence in how much of $x_t$'s own noise
#   direction they keep. DDPM adds $\sigma_t^2=\tilde\beta_t$; DDIM at $\eta=0$ adds none and keeps it all.
# - Neither is "more Markov" than the other when sampling: each step of either reads only $x_t$ (and the $\hat x_0$ made
#   from it). "Non-Markovian" belongs to DDIM's *inference* process $q_\sigma$ (lecture 02), not to its sampler. Lecture 05
#   opens by saying why DDPM was nevertheless run with 1,000 steps, and its sympy section prints the number.
#
# In the exam picture: both students peek at their own predicted answer sheet. The DDPM student then rolls a
# die for part of each answer; the DDIM student ($\eta=0$) writes down exactly what the sheet and the question say.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 노트의 정답지 비유
#
# 노트는 차이를 시험에 빗대어 설명합니다.
# - **DDPM:** "학습할 때만 정답지를 보고, 시험 볼 땐 안 봐요." 정답지(answer sheet) $x_0$는 학습할 때만 봅니다.
#   시험 때는 한 스텝씩 디노이징합니다.
# - **DDIM:** "시험 볼 때도 정답지를 예측해서 봐요." 시험 때 정답지를 *예측*해서 $\hat x_0$를 만들고, 모든 스텝에서 씁니다.
#
# 좋은 그림이니 그대로 간직합시다. 다만 이 비유는 DDPM이 $\hat x_0$를 전혀 만들지 않는 것처럼 들립니다. 사실은 그렇지 않습니다.
# 이번 강의에서 유도할 정확한 이야기는 이렇습니다.
# - 두 샘플러 **모두** 매 스텝 정답지를 예측하고, 그 $\hat x_0$를 사후분포의 가우시안에 넣습니다.
#   DDPM의 평균 $\mu_\theta(x_t,t)$는 바로 $\tilde\mu_t(x_t,\hat x_0)$입니다. 다만 $\hat x_0$ 없이 적혀 있을 뿐입니다.
# - 다른 점은 새 노이즈를 얼마나 더하느냐, 곧 $\sigma_t$입니다. 그래서 $x_t$가 가진 노이즈 방향을 얼마나 남기는지도 달라집니다.
#   DDPM은 $\sigma_t^2=\tilde\beta_t$만큼 더하고, $\eta=0$인 DDIM은 하나도 더하지 않고 방향을 모두 남깁니다.
# - 샘플링할 때는 어느 쪽도 더 "마르코프"하지 않습니다. 두 샘플러 모두 스텝마다 $x_t$(와 그것으로 만든 $\hat x_0$)만 읽습니다.
#   "비마르코프"는 DDIM의 샘플러가 아니라 *추론* 과정 $q_\sigma$의 성질입니다(02강). 그런데도 DDPM을 1,000스텝으로 돌린 이유는
#   05강 첫머리에서 설명하고, 그 숫자는 05강의 sympy 절이 출력합니다.
#
# 시험에 빗대면, 두 학생 모두 자기가 예측한 정답지를 슬쩍 봅니다. DDPM 학생은 그다음 답의 일부를 주사위로 정합니다.
# DDIM 학생($\eta=0$)은 정답지와 문제가 말하는 그대로 씁니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: keep the exam picture, then correct it: both samplers form x̂₀ at every step; they differ in σ_t.
# Ask the room: "Does DDPM ever use x̂₀ when sampling?" Take a show of hands; the answer comes on the DDPM slide.
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 시험 비유는 살리되 바로잡습니다. 두 샘플러 모두 매 스텝 x̂₀를 만들고, 다른 것은 σ_t입니다.
# 물어볼 것: "DDPM은 샘플링할 때 x̂₀를 쓸까요?" 손을 들게 하고, 답은 'DDPM도 x̂₀를 씁니다' 슬라이드에서 확인합니다.
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Step 1: predict the answer sheet (Eq. 9)
#
# The forward process makes $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$. The network is trained
# to predict $\epsilon$ from $x_t$. Solve the same line for $x_0$, with the prediction in place of $\epsilon$:
# $$\hat x_0(x_t,\epsilon_\theta)=\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta(x_t,t)}{\sqrt{\bar\alpha_t}}.\qquad\text{(Eq. 9)}$$
# The note's formula is exactly this one, up to its $\alpha$ written for $\bar\alpha$ (lecture 09).
# By construction the pair $(\hat x_0,\epsilon_\theta)$ reproduces $x_t$:
# $\sqrt{\bar\alpha_t}\,\hat x_0+\sqrt{1-\bar\alpha_t}\,\epsilon_\theta=x_t$, so
# $$\frac{x_t-\sqrt{\bar\alpha_t}\,\hat x_0}{\sqrt{1-\bar\alpha_t}}=\epsilon_\theta .$$
# This small identity is the whole trick of the next slide.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 1단계: 정답지 예측하기 (Eq. 9)
#
# 순방향 과정은 $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$을 만듭니다. 네트워크는 $x_t$에서 $\epsilon$을 맞히도록 학습됩니다.
# 같은 식을 $x_0$에 대해 풀고, $\epsilon$ 자리에 예측값을 넣습니다.
# $$\hat x_0(x_t,\epsilon_\theta)=\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta(x_t,t)}{\sqrt{\bar\alpha_t}}.\qquad\text{(Eq. 9)}$$
# 노트의 식이 바로 이것입니다. $\bar\alpha$를 $\alpha$로 쓴 것만 다릅니다(09강).
# 만든 방식 그대로, $(\hat x_0,\epsilon_\theta)$ 쌍은 $x_t$를 다시 만들어 냅니다.
# $\sqrt{\bar\alpha_t}\,\hat x_0+\sqrt{1-\bar\alpha_t}\,\epsilon_\theta=x_t$이므로
# $$\frac{x_t-\sqrt{\bar\alpha_t}\,\hat x_0}{\sqrt{1-\bar\alpha_t}}=\epsilon_\theta .$$
# 다음 슬라이드의 요령은 이 작은 등식이 전부입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Step 2: Eq. 12 from Eq. 7
#
# **Line 1 (DDIM's Eq. 7, the member $q_\sigma$ of the family).**
# $$q_\sigma(x_{t-1}\mid x_t,x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\cdot\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\ \sigma_t^2I\Big).$$
# **Line 2 (replace the unknown $x_0$ by $\hat x_0$; this defines $p_\theta$, Eq. 10).** The fraction becomes
# $(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$.
#
# **Line 3 (the identity of Step 1).** That fraction is $\epsilon_\theta(x_t,t)$. Sampling the Gaussian with $z\sim\mathcal N(0,I)$:
# $$x_{t-1}=\underbrace{\sqrt{\bar\alpha_{t-1}}\,\hat x_0}_{\text{predicted }x_0}+\underbrace{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\epsilon_\theta(x_t,t)}_{\text{direction pointing to }x_t}+\underbrace{\sigma_t z}_{\text{random noise}}.\qquad\text{(Eq. 12)}$$

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 2단계: Eq. 7에서 Eq. 12로
#
# **1줄 (DDIM의 Eq. 7, 분포족의 한 구성원 $q_\sigma$).**
# $$q_\sigma(x_{t-1}\mid x_t,x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\cdot\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\ \sigma_t^2I\Big).$$
# **2줄 (모르는 $x_0$를 $\hat x_0$로 바꿉니다. 이것이 $p_\theta$의 정의, Eq. 10).** 분수는
# $(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$가 됩니다.
#
# **3줄 (1단계의 등식).** 그 분수가 곧 $\epsilon_\theta(x_t,t)$입니다. $z\sim\mathcal N(0,I)$로 가우시안에서 뽑으면
# $$x_{t-1}=\underbrace{\sqrt{\bar\alpha_{t-1}}\,\hat x_0}_{\text{예측된 원본 }x_0}+\underbrace{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\epsilon_\theta(x_t,t)}_{x_t\text{를 가리키는 방향}}+\underbrace{\sigma_t z}_{\text{무작위 노이즈}}.\qquad\text{(Eq. 12)}$$
# 노트의 말로 하면 첫째 항은 "한 스텝 전 분포로 되돌린 예측 원본", 둘째 항은 "남아 있는 노이즈 성분을 적절히 반영하는 항"입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: three lines, shown one at a time (→): Eq. 7's mean, x₀ replaced by x̂₀ (this defines p_θ), the
# fraction recognised as ε_θ. Write nothing new on the board; every symbol is already on screen.
# Ask: "Which line is the modelling choice, and which are algebra?" (line 2 is the choice).
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 세 줄을 →로 한 줄씩 보여 줍니다. Eq. 7의 평균, x₀ 자리에 x̂₀(여기서 p_θ가 정의됩니다), 분수가 곧 ε_θ.
# 물어볼 것: "어느 줄이 모델링의 선택이고, 어느 줄이 대수일까요?" (2행이 선택입니다.)
# 시간: 5분.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
steps = sym.eq12_from_eq7_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The same on tensors
# The exact denoiser (정확한 디노이저) of a ring of eight Gaussians plays $\epsilon_\theta$: it is the best possible
# noise prediction for that data, with no training error. For one step at $t=500$ and $\eta=0.5$ we check:
# Eq. 9's $\hat x_0$ returns $\epsilon_\theta$ through the identity, and the package's `ddim_step` equals the mean of
# Eq. 7 at $x_0=\hat x_0$ (computed by the package's $q_\sigma$ function) plus $\sigma_t z$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 텐서로 같은 것을
# 가우시안 여덟 개가 고리 모양으로 놓인 데이터의 정확한 디노이저(exact denoiser)가 $\epsilon_\theta$ 역할을 합니다.
# 학습 오차가 없는, 그 데이터에 대한 가장 좋은 노이즈 예측입니다. $t=500$, $\eta=0.5$에서 한 스텝을 확인합니다.
# Eq. 9의 $\hat x_0$가 등식을 통해 $\epsilon_\theta$를 되돌려 주는지, 그리고 패키지의 `ddim_step`이
# $x_0=\hat x_0$일 때 Eq. 7의 평균(패키지의 $q_\sigma$ 함수로 계산)에 $\sigma_t z$를 더한 값과 같은지 봅니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ring = dt.ring_of_gaussians(s)
g = torch.Generator().manual_seed(0)
t = 500; k = t - 1  # paper's t, table index
x_t, z = torch.randn(256, 2, generator=g, dtype=torch.float64), torch.randn(256, 2, generator=g, dtype=torch.float64)
eps = ring(x_t, torch.full((256,), k))
ab, abp = s.alphas_cumprod[k].item(), s.alphas_cumprod[k - 1].item()
x_prev, x0_hat = dt.ddim_step(x_t, eps, ab, abp, eta=0.5, noise=z)
sigma = dt.ddim_sigma(ab, abp, 0.5)
mean7, _ = dt.q_sigma_posterior_mean_variance(s, x0_hat, x_t, k, sigma)
print(f"(x_t - sqrt(ab) x0_hat)/sqrt(1 - ab) = eps_theta: {torch.allclose((x_t - ab**0.5 * x0_hat) / (1 - ab)**0.5, eps, atol=1e-12, rtol=0)}")
print(f"ddim_step = Eq. 7 mean at x0_hat + sigma z: {torch.allclose(x_prev, mean7 + sigma * z, atol=1e-12, rtol=0)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Why $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$? Variance bookkeeping
#
# DDIM does not choose this weight for looks. It is forced by one demand: whatever $\sigma_t$ is, $q_\sigma(x_{t-1}\mid x_0)$
# must stay $\mathcal N(\sqrt{\bar\alpha_{t-1}}x_0,(1-\bar\alpha_{t-1})I)$, DDPM's marginal. Then a network trained
# on DDPM's marginals sees the same inputs under every $\sigma$ (Lemma 1 and Theorem 1; lectures 02 and 08).
#
# Write the mean of Eq. 7 as $\sqrt{\bar\alpha_{t-1}}x_0+k\,(x_t-\sqrt{\bar\alpha_t}x_0)$ and let $x_t\sim q(x_t\mid x_0)$.
# - **Mean.** $x_t-\sqrt{\bar\alpha_t}x_0$ has mean $0$, so $x_{t-1}$ has mean $\sqrt{\bar\alpha_{t-1}}x_0$, for every $k$.
# - **Variance.** $x_t-\sqrt{\bar\alpha_t}x_0$ has variance $1-\bar\alpha_t$, and the fresh noise adds $\sigma_t^2$ independently:
# $$\operatorname{Var}(x_{t-1}\mid x_0)=k^2(1-\bar\alpha_t)+\sigma_t^2 \overset{!}{=} 1-\bar\alpha_{t-1}
# \quad\Longrightarrow\quad k=\frac{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}}{\sqrt{1-\bar\alpha_t}}.$$
#
# The noise budget of $x_{t-1}$ is $1-\bar\alpha_{t-1}$. Fresh noise spends $\sigma_t^2$ of it; the rest,
# $1-\bar\alpha_{t-1}-\sigma_t^2$, must come from the noise already in $x_t$. That is why $\sigma_t^2\le1-\bar\alpha_{t-1}$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 왜 $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$일까요? 분산 장부
#
# DDIM이 이 무게를 멋으로 고른 것이 아닙니다. 요구 하나가 이 값을 강제합니다. $\sigma_t$가 무엇이든
# $q_\sigma(x_{t-1}\mid x_0)$는 DDPM의 주변분포(marginal distribution) $\mathcal N(\sqrt{\bar\alpha_{t-1}}x_0,(1-\bar\alpha_{t-1})I)$로 남아야 합니다.
# 그래야 DDPM의 주변분포로 학습한 네트워크가 어떤 $\sigma$에서도 같은 입력을 봅니다(보조정리 1(Lemma 1)과 정리 1(Theorem 1), 02강과 08강).
#
# Eq. 7의 평균을 $\sqrt{\bar\alpha_{t-1}}x_0+k\,(x_t-\sqrt{\bar\alpha_t}x_0)$로 쓰고 $x_t\sim q(x_t\mid x_0)$라고 둡시다.
# - **평균.** $x_t-\sqrt{\bar\alpha_t}x_0$의 평균은 $0$입니다. 그래서 $k$가 무엇이든 $x_{t-1}$의 평균은 $\sqrt{\bar\alpha_{t-1}}x_0$입니다.
# - **분산.** $x_t-\sqrt{\bar\alpha_t}x_0$의 분산은 $1-\bar\alpha_t$이고, 새 노이즈가 독립적으로 $\sigma_t^2$를 더합니다.
# $$\operatorname{Var}(x_{t-1}\mid x_0)=k^2(1-\bar\alpha_t)+\sigma_t^2 \overset{!}{=} 1-\bar\alpha_{t-1}
# \quad\Longrightarrow\quad k=\frac{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}}{\sqrt{1-\bar\alpha_t}}.$$
#
# $x_{t-1}$의 노이즈 예산은 $1-\bar\alpha_{t-1}$입니다. 새 노이즈가 그중 $\sigma_t^2$를 씁니다.
# 나머지 $1-\bar\alpha_{t-1}-\sigma_t^2$는 $x_t$에 이미 있던 노이즈에서 와야 합니다. 그래서 $\sigma_t^2\le1-\bar\alpha_{t-1}$이어야 합니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the three variances must add up to 1 − ᾱ_{t−1}; the printed check on the next slide shows the
# number. Ask: "What goes wrong if we keep √(1−ᾱ_{t−1}) and still add σ_t z?" Let two answers come, then show the number.
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 세 분산의 합이 1 − ᾱ_{t−1}이 되어야 합니다. 다음 슬라이드에 출력된 숫자가 이를 보여 줍니다.
# 물어볼 것: "√(1−ᾱ_{t−1})를 그대로 두고 σ_t z를 더하면 무엇이 틀어질까요?" 답을 두 개쯤 듣고 숫자를 보여 줍니다.
# 시간: 4분.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
steps = sym.variance_bookkeeping_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### A number: what the wrong weight would do
# Take $\eta=1$ ($\sigma_t^2=\tilde\beta_t$) and compare the exact variance of $x_{t-1}\mid x_0$ with the right
# weight and with the tempting wrong one, $\sqrt{1-\bar\alpha_{t-1}}$ (the $\eta=0$ weight kept while adding noise).
# The wrong one overshoots by exactly $\sigma_t^2$; at $t=2$ that is more than half of the target.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 숫자로: 무게를 잘못 쓰면
# $\eta=1$($\sigma_t^2=\tilde\beta_t$)로 두고, 올바른 무게와 빠지기 쉬운 틀린 무게 $\sqrt{1-\bar\alpha_{t-1}}$
# (노이즈를 더하면서 $\eta=0$의 무게를 그대로 쓴 것)일 때 $x_{t-1}\mid x_0$의 정확한 분산을 비교합니다.
# 틀린 무게는 정확히 $\sigma_t^2$만큼 넘칩니다. $t=2$에서는 목표의 절반이 넘습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("   t   target 1-ab_(t-1)   right weight   wrong weight   wrong/target")
for t in (2, 10, 500):
    ab, abp = s.alphas_cumprod[t - 1].item(), s.alphas_cumprod[t - 2].item()
    sig2 = dt.ddim_sigma(ab, abp, 1.0) ** 2
    right = (1 - abp - sig2) / (1 - ab) * (1 - ab) + sig2
    wrong = (1 - abp) / (1 - ab) * (1 - ab) + sig2
    print(f"{t:4d}   {1 - abp:.4e}          {right:.4e}     {wrong:.4e}     {wrong / (1 - abp):.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## DDPM also uses $\hat x_0$
#
# DDPM's sampler (DDPM Algorithm 2) draws $x_{t-1}\sim\mathcal N(\mu_\theta(x_t,t),\sigma_t^2I)$ with
# $$\mu_\theta(x_t,t)=\frac{1}{\sqrt{\alpha_t}}\Big(x_t-\frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\epsilon_\theta(x_t,t)\Big).$$
# No $\hat x_0$ in sight. Now substitute $x_t=\sqrt{\bar\alpha_t}\hat x_0+\sqrt{1-\bar\alpha_t}\,\epsilon_\theta$ (Step 1) into
# lecture 03's posterior mean $\tilde\mu_t(x_t,\hat x_0)$ and collect the terms:
# - **Line 1.** $\mu_\theta(x_t,t)=\tilde\mu_t(x_t,\hat x_0)$: DDPM's mean is the posterior mean with the predicted answer sheet.
# - **Line 2.** DDIM's Eq. 12 mean at $\sigma_t^2=\tilde\beta_t$ is the same $\tilde\mu_t(x_t,\hat x_0)$ (lecture 03's second form).
#
# So with $\sigma_t^2=\tilde\beta_t$ ($\eta=1$ in Eq. 16) on all $T$ steps, DDIM and DDPM are one sampler, step for step.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## DDPM도 $\hat x_0$를 씁니다
#
# DDPM의 샘플러(DDPM Algorithm 2)는 $x_{t-1}\sim\mathcal N(\mu_\theta(x_t,t),\sigma_t^2I)$를 뽑습니다. 평균은
# $$\mu_\theta(x_t,t)=\frac{1}{\sqrt{\alpha_t}}\Big(x_t-\frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,\epsilon_\theta(x_t,t)\Big)$$
# 입니다. $\hat x_0$는 보이지 않습니다. 이제 03강의 사후 평균 $\tilde\mu_t(x_t,\hat x_0)$에 $x_t=\sqrt{\bar\alpha_t}\hat x_0+\sqrt{1-\bar\alpha_t}\,\epsilon_\theta$(1단계)를
# 넣고 항을 정리해 보겠습니다.
# - **1줄.** $\mu_\theta(x_t,t)=\tilde\mu_t(x_t,\hat x_0)$. DDPM의 평균은 예측한 정답지를 넣은 사후 평균입니다.
# - **2줄.** $\sigma_t^2=\tilde\beta_t$일 때 DDIM Eq. 12의 평균도 같은 $\tilde\mu_t(x_t,\hat x_0)$입니다(03강의 두 번째 모양).
#
# 그러니 $T$ 스텝 모두에서 $\sigma_t^2=\tilde\beta_t$(Eq. 16의 $\eta=1$)로 두면 DDIM과 DDPM은 스텝마다 같은 샘플러입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
steps = sym.ddpm_is_posterior_at_x0_hat_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The whole chain, with the same noise
# Run both samplers on the ring's exact denoiser for all $T=1000$ steps, from the same $x_T$ and with the same
# noise stream $z$: DDIM with $\eta=1$ on $\tau=(1000,999,\dots,1)$, and DDPM's Algorithm 2 with $\sigma_t^2=\tilde\beta_t$.
# If the algebra is right, they end at the same points up to float64 round-off.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 같은 노이즈로 전체 체인을
# 고리 데이터의 정확한 디노이저로 두 샘플러를 $T=1000$ 스텝 모두 돌립니다. 같은 $x_T$, 같은 노이즈 $z$에서 시작합니다.
# DDIM은 $\eta=1$, $\tau=(1000,999,\dots,1)$이고 DDPM은 $\sigma_t^2=\tilde\beta_t$인 Algorithm 2입니다.
# 대수가 맞다면 float64 반올림 오차 안에서 같은 점에 도착해야 합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x_T = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
a = dt.sample_ddim(ring, x_T, s, torch.arange(999, -1, -1), eta=1.0, generator=torch.Generator().manual_seed(5), progress=False)
b = dt.sample_ddpm(ring, x_T, s, generator=torch.Generator().manual_seed(5), progress=False)
c = dt.sample_ddim(ring, x_T, s, torch.arange(999, -1, -1), eta=0.0, progress=False)
print(f"DDIM(eta=1, S=T) vs DDPM, same noise: max |difference| < 1e-10: {(a - b).abs().max().item() < 1e-10}")
print(f"DDIM(eta=0, S=T) vs DDPM: mean distance between end points = {(c - b).norm(dim=1).mean().item():.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "-"}
# The second line is the control: the deterministic (결정론적) sampler at $\eta=0$ lands somewhere else, at a
# distance comparable to the ring's radius 2. The same $x_T$ gives a different sample when $\sigma_t$ changes.

# %% [markdown] lang="ko" slideshow={"slide_type": "-"}
# 둘째 줄은 대조군입니다. $\eta=0$인 결정론적(deterministic) 샘플러는 다른 곳에 도착합니다. 그 거리는 고리의 반지름 2와 견줄 만합니다.
# 같은 $x_T$라도 $\sigma_t$가 바뀌면 다른 샘플이 나옵니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## So what does DDIM change? The weights
#
# One step of either sampler is $x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+w_t\,\epsilon_\theta+\sigma_t z$. The weight on $\hat x_0$ is
# the same for every $\eta$. Only the split of the noise budget $1-\bar\alpha_{t-1}$ between the old direction
# ($w_t^2$) and fresh noise ($\sigma_t^2$) changes. The table prints the three numbers (`dt.ddim_coefficients`) for the
# stochastic (확률적) DDPM ($\eta=1$) and the deterministic DDIM ($\eta=0$).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 그럼 DDIM은 무엇을 바꾸나요? 무게
#
# 두 샘플러의 한 스텝은 모두 $x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+w_t\,\epsilon_\theta+\sigma_t z$입니다. $\hat x_0$의 무게는 $\eta$와 상관없이 같습니다.
# 바뀌는 것은 노이즈 예산 $1-\bar\alpha_{t-1}$을 옛 방향($w_t^2$)과 새 노이즈($\sigma_t^2$)에 어떻게 나누느냐뿐입니다.
# 아래 표는 확률적(stochastic) DDPM($\eta=1$)과 결정론적 DDIM($\eta=0$)의 세 숫자(`dt.ddim_coefficients`)를 보여 줍니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("   t   x0_hat weight   w_t (eta=0)   w_t (eta=1)   sigma_t (eta=1)")
for t in (2, 10, 100, 500, 1000):
    ab, abp = s.alphas_cumprod[t - 1].item(), s.alphas_cumprod[t - 2].item() if t > 1 else 1.0
    c0, c1 = dt.ddim_coefficients(ab, abp, 0.0), dt.ddim_coefficients(ab, abp, 1.0)
    print(f"{t:4d}   {c0['x0']:.5f}         {c0['eps']:.5f}       {c1['eps']:.5f}       {c1['noise']:.5f}")

# %% [markdown] lang="en" slideshow={"slide_type": "-"}
# At $t=500$ DDPM keeps $w_t=0.954$ of the direction where DDIM keeps $0.959$, and adds noise of size $0.100$.
# One step's difference looks small, but DDPM adds fresh noise at every one of its 1000 steps, and the
# fresh noise is what makes the path random. Lecture 05 shows why the gap grows when steps are skipped.

# %% [markdown] lang="ko" slideshow={"slide_type": "-"}
# $t=500$에서 DDPM은 방향을 $w_t=0.954$만큼 남기고 DDIM은 $0.959$를 남깁니다. 그리고 DDPM은 크기 $0.100$의 노이즈를 더합니다.
# 한 스텝의 차이는 작아 보이지만, DDPM은 1000 스텝마다 새 노이즈를 더하고, 경로를 무작위로 만드는 것이 바로 그 노이즈입니다.
# 스텝을 건너뛰면 왜 차이가 커지는지는 05강에서 봅니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## $\hat x_0$ at every step, on digits
# A network trained on 4,000 handwritten 28×28 MNIST digits, asked for no particular digit: lecture 11 opens
# its class input; here it is an ordinary unconditional $\epsilon_\theta(x_t,t)$. Top rows: $x_t$; bottom rows:
# $\hat x_0$, the predicted answer sheet. Both samplers form $\hat x_0$ at every step and both use it. DDPM needs
# 1000 network calls, DDIM ($\eta=0$) 50 here. Early on, $\hat x_0$ is a blurry average of digits; it sharpens as $t$ falls.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 숫자 이미지에서 매 스텝의 $\hat x_0$
# 28×28 MNIST 손글씨 숫자 4,000개로 학습된 네트워크에 특정 숫자를 요청하지 않고 씁니다. 이 네트워크의 클래스 입력은
# 11강에서 엽니다. 여기서는 평범한 무조건부 $\epsilon_\theta(x_t,t)$입니다. 위 줄은 $x_t$, 아래 줄은 예측된 정답지 $\hat x_0$입니다.
# 두 샘플러 모두 매 스텝 $\hat x_0$를 만들고, 둘 다 씁니다. DDPM은 네트워크를 1000번 부르고, 여기의 DDIM($\eta=0$)은 50번 부릅니다.
# 처음에는 $\hat x_0$가 여러 숫자의 흐릿한 평균이다가, $t$가 줄면서 또렷해집니다.

# %% slideshow={"slide_type": "skip"}
# the two runs (shown in the lab, left off the slide so that the pictures fit the screen)
net28, schedule = dt.load_pretrained("mnist5k_cond")
model = dt.classifier_free_guidance(net28, 0, 0.0)  # s = 0: the null class only, i.e. the unconditional ε_θ(x_t, t)
x_T = torch.randn(1, *model.sample_shape, generator=torch.Generator().manual_seed(0))
rec_ddpm, rec_ddim = dt.TrajectoryRecorder(), dt.TrajectoryRecorder()
dt.sample_ddpm(model, x_T, schedule, generator=torch.Generator().manual_seed(1), callback=rec_ddpm, progress=False)
dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, 50), callback=rec_ddim, progress=False)


def show_strip(rec, title):
    fig, axes = plt.subplots(2, 10, figsize=(14, 3.3), layout="constrained")
    plots.plot_strip(axes[0], axes[1], rec.xs, rec.x0_preds, rec.timesteps)
    fig.suptitle(title); plt.show()


# %% slideshow={"slide_type": "-"}
show_strip(rec_ddpm, dt.tr("fig_ddpm_strip", S=1000))
show_strip(rec_ddim, dt.tr("fig_ddim_strip", S=50))
print(f"network calls: DDPM {len(rec_ddpm.steps)}, DDIM {len(rec_ddim.steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Step through one run
# The explorer below runs DDIM on the chosen model and shows one step at a time: $x_t$, the predicted $\hat x_0$,
# and $x_{t-1}$, with the three weights of Eq. 12 for that step printed underneath. It starts on `mnist5k`, the
# 28×28 network of the figure above (asked for no class); the menu also has the 8×8 `digits` network and the 2-D models.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 한 스텝씩 따라가기
# 아래 탐색기는 고른 모델로 DDIM을 돌리고 한 번에 한 스텝씩 보여 줍니다. $x_t$, 예측된 원본 $\hat x_0$, $x_{t-1}$을 그리고,
# 그 스텝에서 Eq. 12의 세 무게를 아래에 적어 줍니다. 처음 모델은 위 그림과 같은 28×28 네트워크 `mnist5k`입니다(클래스를 지정하지 않고 씁니다).
# 메뉴에는 8×8 `digits` 네트워크와 2차원 모델도 있습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the Eq. 12 line under the picture belongs to the step shown (it is stored with the picture).
# Do: click the step box, press ↑ three times, then ↓ once; read t and the x̂₀ weight aloud each time.
# Ask: "Why does the x̂₀ weight grow towards 1 as t falls?"
# Time: 6 min (the widget answers in well under a second once its cell has run).

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 그림 아래 Eq. 12 줄은 지금 보이는 스텝의 것입니다(그림과 함께 저장됩니다).
# 할 것: 스텝 칸을 클릭하고 ↑를 세 번, ↓를 한 번 누릅니다. 매번 t와 x̂₀ 무게를 소리 내어 읽습니다.
# 물어볼 것: "t가 작아질수록 x̂₀ 무게가 왜 1에 가까워질까요?"
# 시간: 6분 (셀을 실행한 뒤에는 위젯이 1초 안에 답합니다).

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import StepThrough

StepThrough(model="mnist5k", S=10)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Try this
# 1. Press **Next ▶** from the first step. With $S=10$ the first $\hat x_0$ is a blur, an average of many digits; a few
#    steps later it is a recognisable digit. The sampler commits to its answer sheet early, then refines it.
#    From the keyboard, click the step box at the end of the row and press ↑ / ↓. On a RISE slide this is the way:
#    the slideshow keeps Enter, Space and the arrow keys for itself unless a text box has the focus.
# 2. Move $\eta$ from 0 to 1 and watch the printed weights: the $\hat x_0$ weight does not move, the $\epsilon_\theta$
#    weight shrinks and $\sigma_t$ grows, exactly as the table above. The noise budget is only re-split.
# 3. At $\eta=1$ change the seed: $x_T$ changes and so does the fresh noise. At $\eta=0$ only $x_T$ matters; the
#    same seed always gives the same digit. That is what "deterministic" means here (lecture 07 uses it to invert).
# 4. Choose the 2-D model `exact:ring8` (the exact denoiser of the ring): the three panels become point clouds,
#    and you can see $\hat x_0$ sit near the ring long before $x_t$ does.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 이렇게 해 보세요
# 1. 첫 스텝에서 **다음 ▶** 버튼을 눌러 보세요. $S=10$이면 첫 $\hat x_0$는 여러 숫자를 평균한 듯한 얼룩입니다. 몇 스텝 뒤면 알아볼 수 있는 숫자가 됩니다.
#    샘플러는 정답지를 일찍 정하고, 그다음 다듬습니다.
#    키보드로는 줄 끝의 스텝 칸을 클릭하고 ↑ / ↓를 누르세요. RISE 슬라이드에서는 이 방법을 씁니다.
#    글 입력 칸에 포커스가 없으면 슬라이드 쇼가 Enter, 스페이스, 화살표 키를 가져가기 때문입니다.
# 2. $\eta$를 0에서 1로 옮기며 출력된 무게를 보세요. $\hat x_0$의 무게는 그대로이고, $\epsilon_\theta$의 무게는 줄고 $\sigma_t$는 커집니다.
#    위 표와 똑같습니다. 노이즈 예산을 다시 나눌 뿐입니다.
# 3. $\eta=1$에서 시드를 바꿔 보세요. $x_T$도, 새 노이즈도 바뀝니다. $\eta=0$에서는 $x_T$만 중요합니다. 같은 시드는 언제나 같은 숫자를 줍니다.
#    여기서 "결정론적"이란 이런 뜻입니다(07강에서 이 성질로 역변환을 합니다).
# 4. 2차원 모델 `exact:ring8`(고리의 정확한 디노이저)을 골라 보세요. 세 그림이 점구름이 됩니다.
#    $x_t$보다 훨씬 먼저 $\hat x_0$가 고리 근처에 가 있는 것이 보입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Pick two of the four items; item 2 (η from 0 to 1) is the one to keep if time is short.
# Ask: "Which weight did not move?" (the x̂₀ weight).
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 네 항목 중 두 개를 고릅니다. 시간이 모자라면 2번(η를 0에서 1로)만 합니다.
# 물어볼 것: "어느 무게가 움직이지 않았나요?" (x̂₀ 무게)
# 시간: 5분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (predict the answer sheet).** Write `predict_x0(x_t, eps, alpha_bar)` with Eq. 9.
#
# **Exercise 2 (how much fresh noise).** Write `ddim_sigma(alpha_bar, alpha_bar_prev, eta)` with Eq. 16,
# $\sigma_t(\eta)=\eta\sqrt{(1-\bar\alpha_{t-1})/(1-\bar\alpha_t)}\sqrt{1-\bar\alpha_t/\bar\alpha_{t-1}}$. At $\eta=1$ its square must be $\tilde\beta_t$ (lecture 03).
#
# **Exercise 3 (one DDIM step).** Write `ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None)` returning
# `(x_prev, x0_pred)` with Eq. 12. The checker tries $\eta=0.5$ and $1$ too: a classic slip is to keep the $\eta=0$ weight
# $\sqrt{1-\bar\alpha_{t-1}}$ while adding noise (the "wrong weight" above).
#
# The checkers try consecutive steps, jumps of 20 and 100 steps, and the last step ($\bar\alpha_{t-1}=1$).
# <!-- ### BEGIN SOLUTION -->
# Solutions: `print(exercises.solution("x0_pred"))`, `"ddim_sigma"`, `"ddim_step"`.
#
# <details><summary>Solution</summary>
#
# ```python
# def predict_x0(x_t, eps, alpha_bar):
#     return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
#
# def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
#     return eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
#
# def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
#     x0_pred = predict_x0(x_t, eps, alpha_bar)
#     sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
#     x_prev = alpha_bar_prev ** 0.5 * x0_pred + (1 - alpha_bar_prev - sigma ** 2) ** 0.5 * eps
#     return (x_prev + sigma * noise if eta > 0 else x_prev), x0_pred
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (정답지 예측하기).** Eq. 9로 `predict_x0(x_t, eps, alpha_bar)`를 작성하세요.
#
# **연습 2 (새 노이즈의 크기).** Eq. 16으로 `ddim_sigma(alpha_bar, alpha_bar_prev, eta)`를 작성하세요.
# $\sigma_t(\eta)=\eta\sqrt{(1-\bar\alpha_{t-1})/(1-\bar\alpha_t)}\sqrt{1-\bar\alpha_t/\bar\alpha_{t-1}}$입니다. $\eta=1$이면 그 제곱이 $\tilde\beta_t$여야 합니다(03강).
#
# **연습 3 (DDIM 한 스텝).** Eq. 12로 `(x_prev, x0_pred)`를 돌려주는 `ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None)`을 작성하세요.
# 채점기는 $\eta=0.5$와 $1$도 넣어 봅니다. 흔한 실수는 노이즈를 더하면서 $\eta=0$의 무게 $\sqrt{1-\bar\alpha_{t-1}}$를 그대로 쓰는 것입니다(위의 "틀린 무게").
#
# 채점기는 연속한 스텝, 20 스텝과 100 스텝 건너뛰기, 마지막 스텝($\bar\alpha_{t-1}=1$)을 모두 넣어 봅니다.
# <!-- ### BEGIN SOLUTION -->
# 풀이는 `print(exercises.solution("x0_pred"))`, `"ddim_sigma"`, `"ddim_step"`으로도 볼 수 있습니다.
#
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def predict_x0(x_t, eps, alpha_bar):
#     return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
#
# def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
#     return eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
#
# def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
#     x0_pred = predict_x0(x_t, eps, alpha_bar)
#     sigma = ddim_sigma(alpha_bar, alpha_bar_prev, eta)
#     x_prev = alpha_bar_prev ** 0.5 * x0_pred + (1 - alpha_bar_prev - sigma ** 2) ** 0.5 * eps
#     return (x_prev + sigma * noise if eta > 0 else x_prev), x0_pred
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Give 5 minutes of quiet work on exercise 1, then take one answer from the room before showing the check cell.
# Time: 8 min; exercises 2 and 3 are homework.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 연습 문제 1에 5분을 조용히 주고, 확인 셀을 보이기 전에 답 하나를 듣습니다.
# 시간: 8분. 연습 문제 2와 3은 과제입니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.course import exercises

def predict_x0(x_t, eps, alpha_bar):
    return x_t  # Exercise 1: replace with Eq. 9

def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
    return 0.0 * eta  # Exercise 2: replace with Eq. 16

def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
    return x_t, x_t  # Exercise 3: replace with Eq. 12

exercises.check_x0_pred(predict_x0); exercises.check_ddim_sigma(ddim_sigma); exercises.check_ddim_step(ddim_step);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
# - $\hat x_0=(x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta)/\sqrt{\bar\alpha_t}$ (Eq. 9) is the predicted answer sheet; with it, $(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}=\epsilon_\theta$.
# - Putting $\hat x_0$ into Eq. 7 gives Eq. 12: predicted $x_0$, direction pointing to $x_t$, random noise (sympy-checked, and on tensors to $10^{-12}$).
# - The direction weight $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$ is forced: it keeps $q_\sigma(x_{t-1}\mid x_0)$ at variance $1-\bar\alpha_{t-1}$.
# - DDPM's $\mu_\theta$ equals $\tilde\mu_t(x_t,\hat x_0)$: both samplers use the predicted answer sheet. DDIM with $\eta=1$ on all $T$ steps reproduces DDPM to $10^{-10}$ with the same noise.
# - What DDIM changes is $\sigma_t$: at $\eta=0$ no fresh noise, the whole budget on the direction term, and a deterministic map from $x_T$ to $x_0$.
#
# Next: [05 · Skipping steps](05_skipping_steps.ipynb), where the same update jumps over many steps at once.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
# - $\hat x_0=(x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta)/\sqrt{\bar\alpha_t}$(Eq. 9)가 예측된 정답지입니다. 이것으로 $(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}=\epsilon_\theta$가 됩니다.
# - Eq. 7에 $\hat x_0$를 넣으면 Eq. 12가 나옵니다. 예측 원본, $x_t$를 향하는 방향, 무작위 노이즈의 세 항입니다(sympy로, 그리고 텐서에서 $10^{-12}$까지 확인).
# - 방향의 무게 $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$는 강제된 값입니다. $q_\sigma(x_{t-1}\mid x_0)$의 분산을 $1-\bar\alpha_{t-1}$로 지켜 줍니다.
# - DDPM의 $\mu_\theta$는 $\tilde\mu_t(x_t,\hat x_0)$와 같습니다. 두 샘플러 모두 예측한 정답지를 씁니다. $\eta=1$로 $T$ 스텝을 모두 쓴 DDIM은 같은 노이즈에서 DDPM과 $10^{-10}$까지 같습니다.
# - DDIM이 바꾸는 것은 $\sigma_t$입니다. $\eta=0$이면 새 노이즈가 없고, 예산이 모두 방향 항에 가며, $x_T$에서 $x_0$로 가는 결정론적인 사상이 됩니다.
#
# 다음: [05 · 스텝 건너뛰기](05_skipping_steps.ipynb). 같은 업데이트로 여러 스텝을 한 번에 건너뜁니다.
