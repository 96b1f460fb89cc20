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
# # 02 · Telescoping, and DDIM's non-Markovian family $q_\sigma$
#
# The study note's first section, "DDIM’s Non-Markovian Process", writes DDIM's forward process as
# $$q_\sigma(x_{1:T}\mid x_0) := q_\sigma(x_T\mid x_0)\prod_{t=2}^T q_\sigma(x_{t-1}\mid x_t,x_0)\qquad\text{(DDIM Eq. 6)}$$
# and derives the same shape from DDPM by *telescoping* Bayes' rule. This lecture does that derivation line by
# line, then asks what DDIM's family $q_\sigma$ really shares with DDPM, and what it does not.
#
# **Learning goals.** After this lecture you can
# - telescope DDPM's Markov chain into $q(x_T\mid x_0)\prod_{t\ge2}q(x_{t-1}\mid x_t,x_0)$, and say where the Markov
#   property is used;
# - prove Lemma 1 (every $q_\sigma$ has DDPM's marginals $q(x_t\mid x_0)$) by induction from $t = T$ down;
# - show that the joint distributions differ unless $\sigma_t^2=\tilde\beta_t$, with a number;
# - say what "non-Markovian" means in the paper: the forward conditional $q_\sigma(x_t\mid x_{t-1},x_0)$ of Eq. 8
#   depends on $x_0$.
#
# **Prerequisites.** Lecture 01 ($\bar\alpha_t$, $q(x_t\mid x_0)$). Bayes' rule. The mean and variance of $a x+b+$ noise.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 02 · 텔레스코핑과 DDIM의 비마르코프 과정 $q_\sigma$
#
# 스터디 노트의 첫 절 "DDIM’s Non-Markovian Process"는 DDIM의 순방향 과정(forward process)을 이렇게 씁니다.
# $$q_\sigma(x_{1:T}\mid x_0) := q_\sigma(x_T\mid x_0)\prod_{t=2}^T q_\sigma(x_{t-1}\mid x_t,x_0)\qquad\text{(DDIM Eq. 6)}$$
# 그리고 베이즈 정리(Bayes' rule)를 한 스텝씩 이어 붙이는 텔레스코핑(telescoping)으로 DDPM에서 같은 모양을 이끌어 냅니다.
# 이 강의는 그 유도를 한 줄씩 따라간 다음, DDIM의 분포족 $q_\sigma$가 DDPM과 **무엇을 공유하고 무엇을 공유하지 않는지** 묻습니다.
#
# **학습 목표.** 이 강의를 마치면
# - DDPM의 마르코프 체인을 $q(x_T\mid x_0)\prod_{t\ge2}q(x_{t-1}\mid x_t,x_0)$로 텔레스코핑하고, 마르코프 성질이 어디에 쓰이는지
#   말할 수 있습니다.
# - 보조정리 1(Lemma 1: 모든 $q_\sigma$의 주변분포는 DDPM의 $q(x_t\mid x_0)$와 같습니다)을 $t = T$부터 내려가는 귀납법으로 증명할
#   수 있습니다.
# - $\sigma_t^2=\tilde\beta_t$가 아니면 결합분포가 다르다는 것을 숫자로 보일 수 있습니다.
# - 논문이 말하는 "비마르코프"의 뜻을 말할 수 있습니다. Eq. 8의 순방향 조건부 분포 $q_\sigma(x_t\mid x_{t-1},x_0)$가
#   $x_0$에 의존한다는 뜻입니다.
#
# **선수 지식.** 01강($\bar\alpha_t$, $q(x_t\mid x_0)$). 베이즈 정리. $a x+b+$(노이즈)의 평균과 분산.

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The conclusion first, corrected
#
# The note opens with its conclusion: "결론부터 말하자면, 위의 DDIM의 forward 식은 DDPM과 완전히 일치한다"
# (to put the conclusion first, DDIM's forward formula coincides with DDPM's). That is true for one member of the
# family only. Here is the precise statement, which the rest of the lecture proves and measures.
#
# - **Every $q_\sigma$ shares DDPM's marginals:** $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$ for every
#   $t$ and every choice of $\sigma$ (Lemma 1). This is all the network was trained on, so one trained network
#   serves the whole family.
# - **They do not share the joint** $q_\sigma(x_{1:T}\mid x_0)$, nor the **forward conditionals**
#   $q_\sigma(x_t\mid x_{t-1},x_0)$. Both equal DDPM's only when $\sigma_t^2=\tilde\beta_t$ for all $t$ ($\eta = 1$).
#   At $\eta = 0$ the covariance of neighbouring steps differs from DDPM's by up to $1.0\times10^{-2}$ (measured below).
#
# A picture to keep: two crowds crossing a square. Photograph each crowd once a minute and every photograph
# shows the same spread of people; yet in one crowd people walk in straight lines, in the other they wander.
# The snapshots are the marginals; the walks are the joint.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 결론부터, 바로잡아서
#
# 노트는 결론부터 말합니다. "결론부터 말하자면, 위의 DDIM의 forward 식은 DDPM과 완전히 일치한다." 이 말은 분포족 가운데
# **한 과정에서만** 맞습니다. 정확한 문장은 다음과 같고, 이 강의의 나머지가 이것을 증명하고 숫자로 잽니다.
#
# - **모든 $q_\sigma$는 DDPM의 주변분포(marginal distribution)를 공유합니다.** 모든 $t$와 모든 $\sigma$에서
#   $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$입니다(보조정리 1). 네트워크가 학습한 것은 이것뿐이므로,
#   한 번 학습한 네트워크가 분포족 전체에 쓰입니다.
# - **결합분포(joint distribution) $q_\sigma(x_{1:T}\mid x_0)$와 순방향 조건부 분포 $q_\sigma(x_t\mid x_{t-1},x_0)$는 공유하지
#   않습니다.** 둘 다 모든 $t$에서 $\sigma_t^2=\tilde\beta_t$일 때($\eta = 1$)만 DDPM과 같습니다. $\eta = 0$이면 이웃한 두 스텝의
#   공분산이 DDPM과 최대 $1.0\times10^{-2}$만큼 다릅니다(아래에서 잽니다).
#
# 기억해 둘 그림이 하나 있습니다. 두 무리의 사람들이 광장을 건넌다고 합시다. 1분마다 사진을 찍으면 두 무리 모두 사진마다
# 사람들이 똑같이 퍼져 있습니다. 그런데 한 무리는 곧게 걷고, 다른 무리는 이리저리 헤맵니다. 사진 한 장 한 장이
# 주변분포이고, 걸어간 길 전체가 결합분포입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say the corrected conclusion first; the rest of the lecture earns it line by line (→ shows each line).
# Ask: "Does the telescoping use the Markov property?" Keep the show of hands for Part 4.
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 바로잡은 결론을 먼저 말합니다. 나머지 강의가 그것을 한 줄씩(→) 보입니다.
# 물어볼 것: "텔레스코핑은 마르코프 성질을 쓸까요?" 손을 든 결과는 4부에서 다시 봅니다.
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 1 · One step of the telescope: the note's (\*)
#
# DDPM defines its forward process as a Markov chain, $q(x_{1:T}\mid x_0)=\prod_{t=1}^T q(x_t\mid x_{t-1})$: each step sees
# only the step before. The note turns one factor around with Bayes' rule:
# $$q(x_{t-1}\mid x_t,x_0)=\frac{q(x_t\mid x_{t-1},x_0)\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}=\frac{q(x_t\mid x_{t-1})\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}\qquad(*)$$
# - The **first equality** is Bayes' rule for $x_{t-1}$ and $x_t$, with every term conditioned on $x_0$.
# - The **second equality** uses the Markov property of DDPM's chain: given $x_{t-1}$, the step to $x_t$ does not
#   look at $x_0$, so $q(x_t\mid x_{t-1},x_0)=q(x_t\mid x_{t-1})$.
#
# Multiplied out, (\*) says $q(x_{t-1}\mid x_0)\,q(x_t\mid x_{t-1}) = q(x_t\mid x_0)\,q(x_{t-1}\mid x_t,x_0)$. For DDPM's
# Gaussians (the posterior's mean and variance are derived in lecture 03) sympy confirms both the quadratic
# exponents and the normalising constants:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 1부 · 텔레스코핑의 한 스텝: 노트의 (\*)
#
# DDPM은 순방향 과정을 마르코프 체인로 정의합니다. $q(x_{1:T}\mid x_0)=\prod_{t=1}^T q(x_t\mid x_{t-1})$. 각 스텝은 바로 앞
# 스텝만 봅니다. 노트는 베이즈 정리로 인자 하나를 뒤집습니다.
# $$q(x_{t-1}\mid x_t,x_0)=\frac{q(x_t\mid x_{t-1},x_0)\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}=\frac{q(x_t\mid x_{t-1})\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}\qquad(*)$$
# - **첫 번째 등호**는 모든 항을 $x_0$로 조건부로 둔 채, $x_{t-1}$과 $x_t$에 베이즈 정리를 쓴 것입니다.
# - **두 번째 등호**는 DDPM 체인의 마르코프 성질을 씁니다. $x_{t-1}$이 주어지면 $x_t$로 가는 스텝은 $x_0$를 보지 않으므로
#   $q(x_t\mid x_{t-1},x_0)=q(x_t\mid x_{t-1})$입니다.
#
# 분모를 넘기면 (\*)는 $q(x_{t-1}\mid x_0)\,q(x_t\mid x_{t-1}) = q(x_t\mid x_0)\,q(x_{t-1}\mid x_t,x_0)$입니다. (\*)의 왼쪽에 있던
# $q(x_{t-1}\mid x_t,x_0)$가 사후분포(posterior)입니다. 평균과 분산은 03강에서 유도합니다. DDPM의 가우시안으로
# 지수의 이차식과 정규화 상수를 sympy로 확인합니다.

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.bayes_step_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The note writes (\*) out at $t = 2$ and $t = 3$:
# $$q(x_1\mid x_0)\,q(x_2\mid x_1) = q(x_2\mid x_0)\,q(x_1\mid x_2,x_0),\qquad q(x_2\mid x_0)\,q(x_3\mid x_2) = q(x_3\mid x_0)\,q(x_2\mid x_3,x_0).$$
# On real numbers: sample one trajectory $x_{1:T}$ of DDPM's chain ($T = 1000$, linear schedule) from four points
# $x_0$, and evaluate both sides as log-densities.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 노트는 (\*)를 $t = 2$와 $t = 3$에서 직접 씁니다.
# $$q(x_1\mid x_0)\,q(x_2\mid x_1) = q(x_2\mid x_0)\,q(x_1\mid x_2,x_0),\qquad q(x_2\mid x_0)\,q(x_3\mid x_2) = q(x_3\mid x_0)\,q(x_2\mid x_3,x_0).$$
# 실제 숫자로 확인합니다. 점 $x_0$ 네 개에서 DDPM 체인($T = 1000$, 선형 스케줄)의 궤적 $x_{1:T}$를 하나씩 뽑고, 양변을
# 로그 밀도로 계산합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
s = dt.make_schedule("linear", T=1000)
g = torch.Generator().manual_seed(0)
x0 = torch.randn(4, 2, generator=g, dtype=torch.float64)
res = dt.telescoping_check(s, x0, generator=g)
for t, (lhs, rhs) in res.step_identities.items():  # keys are the paper's t
    print(f"t = {t}: log lhs = {lhs[0].item():.4f}, log rhs = {rhs[0].item():.4f}, "
          f"all 4 agree to 1e-9: {torch.allclose(lhs, rhs, atol=1e-9, rtol=0)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 1 · The whole telescope
#
# Now apply (\*) again and again, as the note does. Start from the Markov chain and group the first two factors:
# $$\begin{aligned}
# \prod_{t=1}^T q(x_t\mid x_{t-1}) &= \big[q(x_1\mid x_0)\,q(x_2\mid x_1)\big]\,q(x_3\mid x_2)\cdots q(x_T\mid x_{T-1})\\
# &= q(x_2\mid x_0)\,q(x_1\mid x_2,x_0)\,q(x_3\mid x_2)\cdots &&\text{(*) at } t=2\\
# &= \big[q(x_2\mid x_0)\,q(x_3\mid x_2)\big]\,q(x_1\mid x_2,x_0)\cdots &&\text{reorder}\\
# &= q(x_3\mid x_0)\,q(x_2\mid x_3,x_0)\,q(x_1\mid x_2,x_0)\cdots &&\text{(*) at } t=3\\
# &\ \ \vdots\\
# &= q(x_T\mid x_0)\prod_{t=2}^T q(x_{t-1}\mid x_t,x_0) &&\text{(*) at } t=T.
# \end{aligned}$$
# Each application eats the marginal $q(x_{t-1}\mid x_0)$ that the previous one produced and leaves
# $q(x_t\mid x_0)$ for the next: like the tubes of a telescope sliding into one another, only the last,
# $q(x_T\mid x_0)$, remains. sympy checks the whole identity for a chain of $T = 3$ with exact $\beta = 0.1, 0.2, 0.3$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 1부 · 텔레스코핑 전체
#
# 이제 노트처럼 (\*)를 거듭 적용합니다. 마르코프 체인에서 출발해 앞의 두 인자를 묶습니다.
# $$\begin{aligned}
# \prod_{t=1}^T q(x_t\mid x_{t-1}) &= \big[q(x_1\mid x_0)\,q(x_2\mid x_1)\big]\,q(x_3\mid x_2)\cdots q(x_T\mid x_{T-1})\\
# &= q(x_2\mid x_0)\,q(x_1\mid x_2,x_0)\,q(x_3\mid x_2)\cdots &&\text{(*) at } t=2\\
# &= \big[q(x_2\mid x_0)\,q(x_3\mid x_2)\big]\,q(x_1\mid x_2,x_0)\cdots &&\text{reorder}\\
# &= q(x_3\mid x_0)\,q(x_2\mid x_3,x_0)\,q(x_1\mid x_2,x_0)\cdots &&\text{(*) at } t=3\\
# &\ \ \vdots\\
# &= q(x_T\mid x_0)\prod_{t=2}^T q(x_{t-1}\mid x_t,x_0) &&\text{(*) at } t=T.
# \end{aligned}$$
# (\*)를 한 번 쓸 때마다 앞 단계가 만든 주변분포 $q(x_{t-1}\mid x_0)$를 먹고, 다음 단계가 쓸 $q(x_t\mid x_0)$를 남깁니다.
# 망원경(telescope)의 통이 서로 겹쳐 들어가듯, 마지막 $q(x_T\mid x_0)$ 하나만 남습니다. $\beta = 0.1, 0.2, 0.3$을 정확한
# 분수로 둔 $T = 3$ 체인에서 sympy가 등식 전체를 확인합니다.

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.telescoping_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# And for $T = 1000$ on the sampled trajectories: both factorisations give the same log-density, a sum of 1,000
# terms, to a relative error below $10^{-12}$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# $T = 1000$에서도 뽑아 둔 궤적으로 확인합니다. 두 인수분해의 로그 밀도(항 1,000개의 합)가 상대 오차 $10^{-12}$ 안에서
# 같습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"T = {s.T}, {x0.shape[0]} trajectories")
print(f"log prod_t q(x_t|x_(t-1))                  = {res.log_markov[0].item():.4f}")
print(f"log q(x_T|x_0) + sum_t log q(x_(t-1)|x_t,x_0) = {res.log_telescoped[0].item():.4f}")
print(f"max relative difference < 1e-12: {res.max_rel_diff < 1e-12}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 2 · DDIM's family: defined, not derived
#
# Telescoping shows that DDPM's joint *can be written* in the reversed shape of Eq. 6. DDIM goes the other way. It
# does not derive its reverse factors from (\*); it **defines** them, with a free standard deviation $\sigma_t$:
# $$q_\sigma(x_{t-1}\mid x_t,x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\cdot\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\ \sigma_t^2I\Big)\qquad\text{(Eq. 7)}$$
# and $q_\sigma(x_T\mid x_0)=\mathcal N(\sqrt{\bar\alpha_T}\,x_0,(1-\bar\alpha_T)I)$. Eq. 6 then *is* the joint. The mean of Eq. 7 was chosen
# for one reason: so that the marginals come out right. That is Lemma 1.
#
# The family contains DDPM: at $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$, Eq. 7 is DDPM's posterior
# (lecture 03 shows the algebra), and Eq. 6 becomes the telescoped DDPM joint of Part 1. The sampler writes
# $\sigma_t=\eta\sqrt{\tilde\beta_t}$ (Eq. 16), so $\eta = 1$ is DDPM and $\eta = 0$ is DDIM.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 2부 · DDIM의 분포족: 유도한 것이 아니라 정의한 것
#
# 텔레스코핑이 보여 준 것은 DDPM의 결합분포를 Eq. 6의 뒤집힌 모양으로 **쓸 수 있다**는 사실입니다. DDIM은 방향이
# 반대입니다. DDIM은 역방향 과정(reverse process)의 인자를 (\*)에서 유도하지 않고, 자유로운 표준편차 $\sigma_t$를 넣어 **정의**합니다.
# $$q_\sigma(x_{t-1}\mid x_t,x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\cdot\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\ \sigma_t^2I\Big)\qquad\text{(Eq. 7)}$$
# 그리고 $q_\sigma(x_T\mid x_0)=\mathcal N(\sqrt{\bar\alpha_T}\,x_0,(1-\bar\alpha_T)I)$로 둡니다. 그러면 Eq. 6이 곧 결합분포의 정의가
# 됩니다. Eq. 7의 평균은 딱 하나의 이유로 이렇게 골랐습니다. 주변분포가 맞아떨어지게 하려는 것입니다. 그것이 보조정리 1입니다.
#
# 이 분포족에는 DDPM도 들어 있습니다. $\sigma_t^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$이면 Eq. 7은 DDPM의
# 사후분포가 되고(계산은 03강), Eq. 6은 1부에서 텔레스코핑한 DDPM의 결합분포가 됩니다. 샘플러는
# $\sigma_t=\eta\sqrt{\tilde\beta_t}$로 씁니다(Eq. 16). $\eta = 1$이 DDPM이고 $\eta = 0$이 DDIM입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 2 · Lemma 1, by induction from $t = T$ down
#
# **Lemma 1.** For every $\sigma$ and every $t$, $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$.
#
# The joint (Eq. 6) is built from $x_T$ downwards, so the induction runs downwards too (the paper's Appendix B).
# - **Base case** $t = T$: true by definition of $q_\sigma(x_T\mid x_0)$.
# - **Tool: Gaussian marginalisation.** If $x\sim\mathcal N(\mu, v)$ and $y\mid x\sim\mathcal N(a x+b, w)$, then
#   $$\int \mathcal N(x;\mu,v)\,\mathcal N(y;a x+b,w)\,dx=\mathcal N(y;\ a\mu+b,\ a^2v+w).$$
#   (Write the exponent as $-Ax^2+Bx+C$, do the Gaussian integral over $x$, and collect the terms in $y$.
#   Coordinates of $x$ are independent with equal variances, so one dimension is enough.)

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 2부 · 보조정리 1, $t = T$부터 내려가는 귀납법
#
# **보조정리 1.** 모든 $\sigma$와 모든 $t$에서 $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$입니다.
#
# 결합분포(Eq. 6)는 $x_T$에서 아래로 쌓아 올리므로, 귀납법(induction)도 아래로 내려갑니다(논문의 부록 B).
# - **첫 단계** $t = T$: $q_\sigma(x_T\mid x_0)$의 정의 그대로입니다.
# - **도구: 가우시안 주변화(marginalization).** $x\sim\mathcal N(\mu, v)$이고 $y\mid x\sim\mathcal N(a x+b, w)$이면
#   $$\int \mathcal N(x;\mu,v)\,\mathcal N(y;a x+b,w)\,dx=\mathcal N(y;\ a\mu+b,\ a^2v+w)$$
#   입니다. (지수를 $-Ax^2+Bx+C$로 정리하고, $x$에 대한 가우시안 적분을 한 뒤, $y$에 대한 항을 모읍니다. $x$의 각 좌표는
#   분산이 같고 서로 독립이므로 1차원이면 충분합니다.)

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Show each step of the induction with →; stop after the base case and ask the room for the step.
# Time: 7 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 귀납법의 단계마다 →로 보여 줍니다. 기저 단계 뒤에 멈추고 다음 단계를 청중에게 묻습니다.
# 시간: 7분.

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.gaussian_marginal_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# - **Hypothesis:** $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$.
# - **Step 1, read Eq. 7 as $a x+b$.** With $c=\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$, the mean of Eq. 7 is $A x_t+B$ where
#   $A=c/\sqrt{1-\bar\alpha_t}$ and $B=\sqrt{\bar\alpha_{t-1}}\,x_0-A\sqrt{\bar\alpha_t}\,x_0$; the variance is $\sigma_t^2$.
# - **Step 2, the mean.** Marginalising $x_t$: $A\sqrt{\bar\alpha_t}\,x_0+B=\sqrt{\bar\alpha_{t-1}}\,x_0$. The $x_t$-term was
#   built as $x_t$ minus its own mean, so it contributes nothing on average.
# - **Step 3, the variance.** $A^2(1-\bar\alpha_t)+\sigma_t^2=c^2+\sigma_t^2=1-\bar\alpha_{t-1}$. This is why the square root in
#   Eq. 7 holds $1-\bar\alpha_{t-1}-\sigma_t^2$: whatever noise $\sigma_t$ adds, the direction term gives up exactly as much.
#
# So $q_\sigma(x_{t-1}\mid x_0)=\mathcal N(\sqrt{\bar\alpha_{t-1}}\,x_0,(1-\bar\alpha_{t-1})I)$, the claim for $t-1$. sympy checks steps 2
# and 3 for any $0<\sigma_t^2<1-\bar\alpha_{t-1}$, and for $\sigma_t = 0$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# - **가정:** $q_\sigma(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}\,x_0,(1-\bar\alpha_t)I)$.
# - **1단계, Eq. 7을 $a x+b$ 꼴로 읽기.** $c=\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}$로 두면 Eq. 7의 평균은 $A x_t+B$입니다.
#   $A=c/\sqrt{1-\bar\alpha_t}$, $B=\sqrt{\bar\alpha_{t-1}}\,x_0-A\sqrt{\bar\alpha_t}\,x_0$이고 분산은 $\sigma_t^2$입니다.
# - **2단계, 평균.** $x_t$를 주변화하면 $A\sqrt{\bar\alpha_t}\,x_0+B=\sqrt{\bar\alpha_{t-1}}\,x_0$입니다. $x_t$ 항은 $x_t$에서 자기
#   평균을 뺀 꼴이라, 평균을 내면 사라집니다.
# - **3단계, 분산.** $A^2(1-\bar\alpha_t)+\sigma_t^2=c^2+\sigma_t^2=1-\bar\alpha_{t-1}$. Eq. 7의 제곱근 안에 $1-\bar\alpha_{t-1}-\sigma_t^2$가
#   들어가는 이유가 이것입니다. $\sigma_t$가 노이즈를 더한 만큼, 방향 항이 정확히 그만큼 양보합니다.
#
# 따라서 $q_\sigma(x_{t-1}\mid x_0)=\mathcal N(\sqrt{\bar\alpha_{t-1}}\,x_0,(1-\bar\alpha_{t-1})I)$이고, $t-1$에서도 주장이 성립합니다.
# sympy가 $0<\sigma_t^2<1-\bar\alpha_{t-1}$인 모든 경우와 $\sigma_t = 0$에서 2단계와 3단계를 확인합니다.

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.lemma1_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Lemma 1 on real numbers
#
# `q_sigma_marginal_check` starts at $q(x_T\mid x_0)$ and applies Eq. 7 from $t = T$ down to $t = 1$ for one point
# $x_0$, in two ways: it propagates the mean and variance exactly (the recursion of steps 2 and 3, in float64), and it
# samples particles. The exact moments match $q(x_t\mid x_0)$ at every $t$ for $\eta = 0, 0.5, 1$. The figure shows the
# sampled variances (8,192 particles): three curves on top of $1-\bar\alpha_t$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 실제 숫자로 본 보조정리 1
#
# `q_sigma_marginal_check`는 점 $x_0$ 하나에 대해 $q(x_T\mid x_0)$에서 출발해 Eq. 7을 $t = T$부터 $t = 1$까지 적용합니다. 두 가지로
# 계산합니다. 평균과 분산을 정확히 전파하고(2단계와 3단계의 점화식, float64), 입자를 뽑아 봅니다. $\eta = 0, 0.5, 1$ 모두
# 정확한 모멘트가 모든 $t$에서 $q(x_t\mid x_0)$와 같습니다. 그림은 입자 8,192개로 뽑은 분산입니다. 세 곡선이
# $1-\bar\alpha_t$ 위에 겹칩니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x0_point = torch.tensor([0.7, -1.2])
for eta in (0.0, 0.5, 1.0):
    m = dt.q_sigma_marginal_check(s, x0_point, eta=eta, n_samples=256, generator=torch.Generator().manual_seed(0))
    print(f"eta = {eta}: exact moments equal q(x_t|x_0) for t = 1..{s.T} (max diff < 1e-12): {m.max_abs_diff_propagated < 1e-12}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 3 · What the family does *not* share: the joint
#
# Both chains are Gaussian given $x_0$, with the same marginals, so they are equal exactly when the covariance of
# every neighbouring pair agrees. Why neighbouring pairs suffice: given $x_0$ both chains are **Gauss–Markov**, DDPM's
# forward in $t$ and $q_\sigma$ backward (Eq. 7 conditions $x_{t-1}$ on $x_t$ and $x_0$ only), and a Markov chain is Markov in
# both directions. For a Gauss–Markov chain with $s<t<u$, $x_s$ and $x_u$ are independent given $x_t$, which forces
# $\mathrm{Cov}(x_s,x_u)=\mathrm{Cov}(x_s,x_t)\,\mathrm{Var}(x_t)^{-1}\,\mathrm{Cov}(x_t,x_u)$; so every covariance, and with the means the whole
# Gaussian joint, is built from the variances and the neighbouring covariances. From Eq. 7, $\mathrm{Cov}_\sigma(x_{t-1},x_t\mid x_0)=A\,(1-\bar\alpha_t)=\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\sqrt{1-\bar\alpha_t}$.
# In DDPM's chain, $x_t=\sqrt{\alpha_t}\,x_{t-1}+$ independent noise, so $\mathrm{Cov}(x_{t-1},x_t\mid x_0)=\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})$.
# The right panel below plots the difference against $t$; the cell prints its largest size. For $\eta>0$ both chains have
# densities, and we also compare $\log q_\sigma$ and $\log q$ on the same DDPM trajectories.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 3부 · 분포족이 공유하지 **않는** 것: 결합분포
#
# $x_0$가 주어지면 두 체인은 모두 가우시안이고 주변분포도 같습니다. 그러니 이웃한 모든 쌍의 공분산(covariance)이 같을 때,
# 그리고 그때만 두 결합분포가 같습니다. 이웃한 쌍만 보면 되는 이유는 이렇습니다. $x_0$가 주어지면 두 체인 모두 **가우스–마르코프**
# 체인입니다. DDPM은 $t$를 따라 앞으로, $q_\sigma$는 거꾸로 그렇습니다(Eq. 7은 $x_{t-1}$을 $x_t$와 $x_0$에만 조건화합니다).
# 마르코프 체인은 양방향으로 마르코프입니다. $s<t<u$인 가우스–마르코프 체인에서는 $x_t$가 주어지면 $x_s$와 $x_u$가 독립이고, 그래서
# $\mathrm{Cov}(x_s,x_u)=\mathrm{Cov}(x_s,x_t)\,\mathrm{Var}(x_t)^{-1}\,\mathrm{Cov}(x_t,x_u)$입니다. 따라서 모든 공분산이, 평균과 함께 가우시안 결합분포 전체가,
# 분산과 이웃한 쌍의 공분산으로 정해집니다. Eq. 7에서 $\mathrm{Cov}_\sigma(x_{t-1},x_t\mid x_0)=A\,(1-\bar\alpha_t)=\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\sqrt{1-\bar\alpha_t}$입니다.
# DDPM의 체인에서는 $x_t=\sqrt{\alpha_t}\,x_{t-1}+$(독립인 노이즈)이므로 $\mathrm{Cov}(x_{t-1},x_t\mid x_0)=\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})$입니다.
# 아래 오른쪽 그림이 그 차이를 $t$에 따라 그리고, 셀은 가장 큰 차이를 출력합니다. $\eta>0$이면 두 체인 모두 밀도가 있으므로
# 같은 DDPM 궤적에서 $\log q_\sigma$와 $\log q$도 비교합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
j = dt.q_sigma_joint_check(s, x0, etas=(0.0, 0.5, 1.0), generator=torch.Generator().manual_seed(1))
for eta in j.etas:
    gap = j.cov_gap[eta]
    line = f"eta = {eta}: max_t |Cov gap| = {gap:.1e}" if gap > 1e-12 else f"eta = {eta}: max_t |Cov gap| < 1e-12"
    lp = j.log_density_gap.get(eta)
    if lp is not None:
        line += f",  mean |log q_sigma - log q| = {lp:.3g}" if lp > 1e-6 else ",  mean |log q_sigma - log q| < 1e-6"
    print(line + f",  same joint as DDPM: {gap < 1e-12}")

# %% slideshow={"slide_type": "slide"}
n = 1024 if SMOKE else 8192
ts = torch.arange(1, s.T + 1)  # the paper's t
fig, (ax_v, ax_c) = plt.subplots(1, 2, figsize=(14, 4.6), layout="constrained")
ax_v.plot(ts, 1 - s.alphas_cumprod, "k", lw=5, alpha=0.3, label=r"$1-\bar\alpha_t$")
cov_ddpm = s.alphas[1:].sqrt() * (1 - s.alphas_cumprod_prev[1:])  # sqrt(alpha_t)(1 - abar_(t-1)), t = 2..T
for eta, c in zip((0.0, 0.5, 1.0), plots.PALETTE):
    m = dt.q_sigma_marginal_check(s, x0_point, eta=eta, n_samples=n, generator=torch.Generator().manual_seed(1))
    ax_v.plot(ts, m.var_mc, color=c, lw=1.5, label=rf"$\eta = {eta}$")
    sig2 = dt.core.derivations.eta_to_sigmas(s, eta)[1:] ** 2
    cov_sigma = (1 - s.alphas_cumprod_prev[1:] - sig2).clamp(min=0).sqrt() * (1 - s.alphas_cumprod[1:]).sqrt()
    ax_c.plot(ts[1:], cov_sigma - cov_ddpm, color=c, lw=2, label=rf"$\eta = {eta}$")
ax_v.set_title(dt.tr("l02_fig_marginals")); ax_c.set_title(dt.tr("l02_fig_cov"))
for ax in (ax_v, ax_c):
    ax.set_xlabel(dt.tr("plt_t")); ax.legend()
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Read the numbers.
# - At $\eta = 1$ the covariances agree to round-off and the log-densities of the same trajectories agree below $10^{-6}$:
#   the same joint, DDPM's.
# - At $\eta = 0.5$ and $\eta = 0$ the covariance gaps are $7.5\times10^{-3}$ and $1.0\times10^{-2}$. They grow with $t$ and are largest at
#   $t = T$, where the steps $\beta_t$ are largest (right panel). At $\eta = 0.5$ the log-densities differ by about 1,600 on average: a DDPM trajectory is extremely
#   unlikely under $q_\sigma$. At $\eta = 0$, $q_\sigma$ has no density at all: given $x_T$ and $x_0$ the whole path is
#   fixed.
# - Meanwhile the left panel shows the three marginal variances on one curve. Same snapshots, different walks.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 숫자를 읽어 보겠습니다.
# - $\eta = 1$이면 공분산이 반올림 오차 수준까지 같고, 같은 궤적의 로그 밀도도 $10^{-6}$ 안에서 같습니다. 결합분포가 같습니다.
#   바로 DDPM의 결합분포입니다.
# - $\eta = 0.5$와 $\eta = 0$이면 공분산 차이가 각각 $7.5\times10^{-3}$, $1.0\times10^{-2}$입니다. 차이는 $t$와 함께 커져서, 스텝
#   $\beta_t$가 가장 큰 $t = T$에서 가장 큽니다(오른쪽 그림). $\eta = 0.5$이면 로그 밀도가 평균 1,600쯤 차이 납니다. $q_\sigma$로 재면
#   DDPM의 궤적은 확률이 극히 낮다는 뜻입니다. $\eta = 0$이면 $q_\sigma$에는 밀도 자체가 없습니다. $x_T$와 $x_0$가 정해지면 길 전체가 정해지기
#   때문입니다.
# - 그 사이 왼쪽 그림의 세 분산은 한 곡선 위에 있습니다. 사진은 같고, 걸어간 길은 다릅니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Part 4 · "(\*)은 Markovian을 가정하고 전개한거 아닌가요?"
#
# The note asks the question every reader asks: *isn't (\*) derived under the Markov assumption?* If DDIM is
# "non-Markovian", how can its derivation use the Markov property?
#
# **The answer, in three lines.**
# 1. Yes, (\*) uses the Markov property, and legitimately: (\*) is a statement about DDPM's chain, which is Markov by
#    definition. Part 1 telescopes DDPM, not DDIM.
# 2. DDIM does not get its reverse factors from (\*). It *defines* $q_\sigma(x_{t-1}\mid x_t,x_0)$ by Eq. 7, with its mean chosen
#    so that the marginals match (Lemma 1).
# 3. The forward direction then follows by Bayes' rule, the paper's Eq. 8:
#    $$q_\sigma(x_t\mid x_{t-1},x_0)=\frac{q_\sigma(x_{t-1}\mid x_t,x_0)\,q_\sigma(x_t\mid x_0)}{q_\sigma(x_{t-1}\mid x_0)}.$$
#    This is what the paper calls non-Markovian: **the forward step to $x_t$ depends on $x_0$**, not only on $x_{t-1}$.
#    So $x_0\to x_1\to\dots\to x_T$ is not a Markov chain, except at $\sigma_t^2=\tilde\beta_t$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 4부 · "(\*)은 Markovian을 가정하고 전개한거 아닌가요?"
#
# 노트는 누구나 품는 질문을 던집니다. (\*)는 마르코프 가정 위에서 유도한 것 아닌가요? DDIM이 "비마르코프"라면, 어떻게
# 그 유도에 마르코프 성질을 쓸 수 있을까요?
#
# **세 줄로 답하면 이렇습니다.**
# 1. 네, (\*)는 마르코프 성질을 씁니다. 그리고 그래도 됩니다. (\*)는 DDPM의 체인에 대한 식이고, DDPM의 체인은 정의부터
#    마르코프 과정(Markov process)입니다. 1부에서 텔레스코핑한 것은 DDIM이 아니라 DDPM입니다.
# 2. DDIM은 역방향 인자를 (\*)에서 얻지 않습니다. $q_\sigma(x_{t-1}\mid x_t,x_0)$를 Eq. 7로 **정의**하고, 주변분포가 맞도록
#    평균을 골랐습니다(보조정리 1).
# 3. 순방향은 그다음에 베이즈 정리로 따라 나옵니다. 논문의 Eq. 8입니다.
#    $$q_\sigma(x_t\mid x_{t-1},x_0)=\frac{q_\sigma(x_{t-1}\mid x_t,x_0)\,q_\sigma(x_t\mid x_0)}{q_\sigma(x_{t-1}\mid x_0)}.$$
#    논문이 말하는 비마르코프가 바로 이것입니다. **$x_t$로 가는 순방향 스텝이 $x_{t-1}$뿐 아니라 $x_0$에도 의존합니다.**
#    그래서 $\sigma_t^2=\tilde\beta_t$가 아니면 $x_0\to x_1\to\dots\to x_T$는 마르코프 체인이 아닙니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Eq. 8, computed
#
# Conditioning the Gaussian pair $(x_{t-1},x_t)$ given $x_0$ gives Eq. 8 in closed form,
# $q_\sigma(x_t\mid x_{t-1},x_0)=\mathcal N(a\,x_{t-1}+b\,x_0,\ v)$, with $a=\mathrm{Cov}/(1-\bar\alpha_{t-1})$,
# $b=\sqrt{\bar\alpha_t}-a\sqrt{\bar\alpha_{t-1}}$ and $v=(1-\bar\alpha_t)-\mathrm{Cov}^2/(1-\bar\alpha_{t-1})$. sympy shows that at
# $\sigma_t^2=\tilde\beta_t$ this is DDPM's step, $a=\sqrt{\alpha_t}$, $b=0$, $v=\beta_t$; and that at $\sigma_t = 0$ the coefficient of $x_0$ is
# $b=\sqrt{\bar\alpha_t}-\sqrt{\bar\alpha_{t-1}}\sqrt{1-\bar\alpha_t}/\sqrt{1-\bar\alpha_{t-1}}$, with $v = 0$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## Eq. 8을 직접 계산하기
#
# $x_0$가 주어졌을 때 가우시안 쌍 $(x_{t-1},x_t)$에 조건을 걸면 Eq. 8이 닫힌 꼴로 나옵니다.
# $q_\sigma(x_t\mid x_{t-1},x_0)=\mathcal N(a\,x_{t-1}+b\,x_0,\ v)$이고, $a=\mathrm{Cov}/(1-\bar\alpha_{t-1})$,
# $b=\sqrt{\bar\alpha_t}-a\sqrt{\bar\alpha_{t-1}}$, $v=(1-\bar\alpha_t)-\mathrm{Cov}^2/(1-\bar\alpha_{t-1})$입니다. sympy로 보면
# $\sigma_t^2=\tilde\beta_t$에서는 DDPM의 한 스텝($a=\sqrt{\alpha_t}$, $b=0$, $v=\beta_t$)이 되고, $\sigma_t = 0$에서는 $x_0$의 계수가
# $b=\sqrt{\bar\alpha_t}-\sqrt{\bar\alpha_{t-1}}\sqrt{1-\bar\alpha_t}/\sqrt{1-\bar\alpha_{t-1}}$, 분산이 $v = 0$입니다.

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.forward_conditional_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The package computes the same conditional numerically (`q_sigma_forward_step`, float64). At $\eta = 1$ the coefficient
# of $x_0$ is 0 at every $t$. At $\eta = 0$ it is $-0.48$ at $t = 2$ and shrinks to $-6\times10^{-5}$ at $t = 1000$, but it is never 0, and
# the coefficient of $x_{t-1}$ exceeds 1. The deterministic forward step extrapolates: it keeps the $x_0$ part and scales
# the noise part of $x_{t-1}$ up,
# $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{(1-\bar\alpha_t)/(1-\bar\alpha_{t-1})}\,\bigl(x_{t-1}-\sqrt{\bar\alpha_{t-1}}\,x_0\bigr)$,
# by a factor greater than 1. (The two coefficients do not sum to 1: at $t=2$ they are $1.4829$ and $-0.4830$.)

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 패키지도 같은 조건부 분포(conditional distribution)를 숫자로 계산합니다(`q_sigma_forward_step`, float64). $\eta = 1$이면
# $x_0$의 계수는 모든 $t$에서 0입니다. $\eta = 0$이면 $t = 2$에서 $-0.48$이고, $t = 1000$에서 $-6\times10^{-5}$까지 줄지만 결코 0이
# 아닙니다. $x_{t-1}$의 계수는 1보다 큽니다. 결정론적인 순방향 스텝은 외삽입니다. $x_0$ 부분은 그대로 두고
# $x_{t-1}$의 노이즈 부분을 1보다 큰 배율로 키웁니다.
# $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{(1-\bar\alpha_t)/(1-\bar\alpha_{t-1})}\,\bigl(x_{t-1}-\sqrt{\bar\alpha_{t-1}}\,x_0\bigr)$.
# (두 계수의 합은 1이 아닙니다. $t=2$에서 $1.4829$와 $-0.4830$입니다.)

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print(f"{'t':>5} {'eta':>4} {'coef x_(t-1)':>13} {'coef x_0':>10} {'variance':>10}   DDPM: sqrt(alpha_t), beta_t")
for t in (2, 11, 101, 1000):  # the paper's t; array index t - 1
    for eta in (0.0, 1.0):
        sigma = eta * s.posterior_variance[t - 1].sqrt().item()
        a, b, v = dt.q_sigma_forward_step(s, t - 1, sigma)
        print(f"{t:5d} {eta:4.1f} {a:13.6f} {round(b, 6) + 0.0:10.6f} {round(v, 8) + 0.0:10.6f}"
              f"   {s.alphas[t - 1].sqrt().item():.6f}, {s.betas[t - 1].item():.6f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The note's own answer, revisited
#
# The note answers its question like this: "DDIM에서 'non-Markovian'이라 부르는 건 reverse 수식의 인자에 $x_0$를 끌어다 쓰는
# 것 때문이지, forward 단계 자체가 Markovian 가정을 깨는 것은 아니다" (DDIM is called non-Markovian because its reverse
# factors draw on $x_0$; the forward steps themselves do not break the Markov assumption).
#
# Its conclusion is right: the step from the second to the third expression in (\*) is fine. Its reason needs one
# correction, and the table above decides it.
# - $x_0$ in the reverse factors cannot be the mark of DDIM: DDPM's factors $q(x_{t-1}\mid x_t,x_0)$ carry $x_0$ too. That is
#   exactly what telescoping a Markov chain produced in Part 1.
# - What separates DDIM from DDPM is the forward step. For $\sigma_t^2\ne\tilde\beta_t$ it *does* break the Markov property:
#   the coefficient of $x_0$ in Eq. 8 is $-0.48$ at $t = 2$ for $\eta = 0$, against 0 for DDPM.
#
# So keep the note's reassurance about (\*), and replace its reason: (\*) is legal because it is about DDPM, and DDIM
# is non-Markovian because its *forward* conditional depends on $x_0$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 노트의 답을 다시 보기
#
# 노트는 질문에 이렇게 답합니다. "DDIM에서 'non-Markovian'이라 부르는 건 reverse 수식의 인자에 $x_0$를 끌어다 쓰는 것
# 때문이지, forward 단계 자체가 Markovian 가정을 깨는 것은 아니다."
#
# 결론은 맞습니다. (\*)에서 두 번째 식이 세 번째 식으로 넘어가는 과정에는 문제가 없습니다. 다만 이유는 하나 고쳐야 하고,
# 위의 표가 그것을 판가름합니다.
# - 역방향 인자에 $x_0$가 들어가는 것은 DDIM만의 표시가 될 수 없습니다. DDPM의 인자 $q(x_{t-1}\mid x_t,x_0)$에도
#   $x_0$가 들어 있습니다. 1부에서 마르코프 체인을 텔레스코핑해서 얻은 것이 바로 그것입니다.
# - DDIM과 DDPM을 가르는 것은 순방향 스텝입니다. $\sigma_t^2\ne\tilde\beta_t$이면 순방향 스텝은 마르코프 성질을 **깹니다**.
#   $\eta = 0$에서 Eq. 8의 $x_0$ 계수는 $t = 2$일 때 $-0.48$이고, DDPM에서는 0입니다.
#
# 그러니 (\*)에 대한 노트의 안심은 그대로 두고, 이유만 바꿉시다. (\*)가 옳은 것은 그것이 DDPM에 대한 식이기 때문이고,
# DDIM이 비마르코프인 것은 **순방향** 조건부 분포가 $x_0$에 의존하기 때문입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore: the same marginals, different joints
#
# Eight hundred whole chains of $q_\sigma$ start from one $x_0=1$: $x_T\sim q(x_T\mid x_0)$, then $x_{t-1}\sim q_\sigma(x_{t-1}\mid x_t,x_0)$ (Eq. 7)
# down to $x_1$, with $\sigma_t=\eta\sqrt{\tilde\beta_t}$. Family A and family B differ only in η. Left: the histogram of $x_t$ for both, with the
# exact $q(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}x_0,1-\bar\alpha_t)$ dashed. Right: the pairs $(x_t,x_{t-1})$. The status line puts the sample
# moments beside the exact ones: mean, variance, and the correlation of $x_t$ and $x_{t-1}$, exactly $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}/\sqrt{1-\bar\alpha_{t-1}}$.
#
# **Try this.**
# 1. Keep η = 0 against η = 1 and move $t$. The two histograms stay on the dashed curve at every $t$ (Lemma 1), while the right panel shows a
#    line for η = 0 (corr 1: $x_{t-1}$ is a function of $x_t$ and $x_0$) and a cloud for η = 1.
# 2. Move $t$ down to 100, 10 and 2, and read the exact corr for η = 1: 0.990, 0.923, 0.674. Why does the ratio of $\tilde\beta_t$ to $1-\bar\alpha_{t-1}$ decide it?
# 3. Set both η to the same value. Now the joints agree too; change the seed to see how far the sample moments wander from the exact ones.
# 4. The note's (\*) is about these two panels: which one does the telescoping of lecture 02 speak about, and which one does it not?

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 주변분포는 같고, 결합분포는 다릅니다
#
# $q_\sigma$의 체인 800개를 통째로 뽑습니다. 모두 같은 $x_0=1$에서 출발합니다. $x_T\sim q(x_T\mid x_0)$를 뽑고, $x_1$까지
# $x_{t-1}\sim q_\sigma(x_{t-1}\mid x_t,x_0)$(Eq. 7)로 내려갑니다. $\sigma_t=\eta\sqrt{\tilde\beta_t}$입니다. A 분포족과 B 분포족은 η만 다릅니다.
# 왼쪽은 두 분포족의 $x_t$ 히스토그램이고, 점선은 정확한 $q(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}x_0,1-\bar\alpha_t)$입니다. 오른쪽은
# $(x_t,x_{t-1})$ 쌍입니다. 상태 줄에는 표본 모멘트와 정확한 모멘트가 나란히 나옵니다. 평균, 분산, 그리고 $x_t$와 $x_{t-1}$의 상관계수입니다.
# 상관계수의 정확한 값은 $\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}/\sqrt{1-\bar\alpha_{t-1}}$입니다.
#
# **이렇게 해 보세요.**
# 1. η = 0 대 η = 1로 두고 $t$를 움직이세요. 두 히스토그램은 모든 $t$에서 점선 위에 있습니다(보조정리 1). 오른쪽은 η = 0에서 직선이고
#    (상관계수 1: $x_{t-1}$은 $x_t$와 $x_0$의 함수입니다), η = 1에서 구름입니다.
# 2. $t$를 100, 10, 2로 내리며 η = 1의 정확한 corr를 읽으세요. 0.990, 0.923, 0.674입니다. $\tilde\beta_t$와 $1-\bar\alpha_{t-1}$의 비가 왜 그것을 정할까요?
# 3. 두 η를 같은 값으로 두세요. 이제 결합분포도 같습니다. 시드를 바꾸며 표본 모멘트가 정확한 값에서 얼마나 흔들리는지 보세요.
# 4. 노트의 (\*)는 이 두 패널에 대한 이야기입니다. 02강의 텔레스코핑은 어느 패널에 대해 말하고, 어느 패널에 대해서는 말하지 않을까요?

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.theory_widgets import JointExplorer
JointExplorer(eta_a=0.0, eta_b=1.0, t=500, seed=0)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercise 1 · One step of Lemma 1
#
# Write `my_lemma1_step(mean_t, var_t, x0, alpha_bar, alpha_bar_prev, sigma)`. Suppose $x_t\mid x_0\sim\mathcal N(\text{mean}_t,\text{var}_t)$
# (any numbers, not necessarily Lemma 1's) and $x_{t-1}\mid x_t,x_0$ follows Eq. 7 with this $\sigma_t$. Return the mean and the
# variance of $x_{t-1}\mid x_0$, using the marginalisation identity. The checker feeds moments that are *not*
# $q(x_t\mid x_0)$'s, so returning $\sqrt{\bar\alpha_{t-1}}\,x_0$ and $1-\bar\alpha_{t-1}$ directly fails.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# With `c = (1 - alpha_bar_prev - sigma**2) ** 0.5` and `A = c / (1 - alpha_bar) ** 0.5`:
# `mean = alpha_bar_prev ** 0.5 * x0 + A * (mean_t - alpha_bar ** 0.5 * x0)` and `var = A**2 * var_t + sigma**2`.
# At `mean_t = alpha_bar ** 0.5 * x0`, `var_t = 1 - alpha_bar` this returns Lemma 1's moments.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제 1 · 보조정리 1의 한 스텝
#
# `my_lemma1_step(mean_t, var_t, x0, alpha_bar, alpha_bar_prev, sigma)`를 작성하세요. $x_t\mid x_0\sim\mathcal N(\text{mean}_t,\text{var}_t)$
# (보조정리 1의 값이 아니어도 되는 아무 숫자)이고, $x_{t-1}\mid x_t,x_0$가 이 $\sigma_t$로 Eq. 7을 따른다고 합시다. 주변화 공식으로
# $x_{t-1}\mid x_0$의 평균과 분산을 돌려주세요. 검사 함수는 $q(x_t\mid x_0)$가 **아닌** 모멘트를 넣으므로,
# $\sqrt{\bar\alpha_{t-1}}\,x_0$와 $1-\bar\alpha_{t-1}$을 바로 돌려주면 통과하지 못합니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# `c = (1 - alpha_bar_prev - sigma**2) ** 0.5`, `A = c / (1 - alpha_bar) ** 0.5`로 두면
# `mean = alpha_bar_prev ** 0.5 * x0 + A * (mean_t - alpha_bar ** 0.5 * x0)`, `var = A**2 * var_t + sigma**2`입니다.
# `mean_t = alpha_bar ** 0.5 * x0`, `var_t = 1 - alpha_bar`를 넣으면 보조정리 1의 모멘트가 나옵니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def my_lemma1_step(mean_t, var_t, x0, alpha_bar, alpha_bar_prev, sigma):
    # TODO: the mean and variance of x_(t-1) | x_0 (Eq. 7 and the marginalisation identity)
    raise NotImplementedError

symbolic.check_lemma1_step(my_lemma1_step)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercise 2 · The $x_0$ in the forward step
#
# Write `my_forward_x0_coef(alpha_bar, alpha_bar_prev)`: the coefficient $b$ of $x_0$ in the mean of $q_\sigma(x_t\mid x_{t-1},x_0)$
# at $\eta = 0$ ($\sigma_t = 0$). Use only the covariance $\mathrm{Cov}(x_{t-1},x_t\mid x_0)=\sqrt{1-\bar\alpha_{t-1}}\sqrt{1-\bar\alpha_t}$ and the rule for
# conditioning a Gaussian pair. The checker tries the paper's $t = 2, 11, 101, 501, 1000$ of the linear schedule.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# `a = (1 - alpha_bar) ** 0.5 / (1 - alpha_bar_prev) ** 0.5` (that is Cov divided by $1-\bar\alpha_{t-1}$), then
# `return alpha_bar ** 0.5 - a * alpha_bar_prev ** 0.5`. At $t = 2$ it gives $-0.483$. If you got 0, you computed DDPM's
# step ($\sigma_t^2=\tilde\beta_t$).
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제 2 · 순방향 스텝 속의 $x_0$
#
# `my_forward_x0_coef(alpha_bar, alpha_bar_prev)`를 작성하세요. $\eta = 0$($\sigma_t = 0$)일 때 $q_\sigma(x_t\mid x_{t-1},x_0)$ 평균에서
# $x_0$의 계수 $b$입니다. 공분산 $\mathrm{Cov}(x_{t-1},x_t\mid x_0)=\sqrt{1-\bar\alpha_{t-1}}\sqrt{1-\bar\alpha_t}$와 가우시안 쌍에 조건을
# 거는 규칙만 쓰세요. 검사 함수는 선형 스케줄의 $t = 2, 11, 101, 501, 1000$에서 확인합니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# `a = (1 - alpha_bar) ** 0.5 / (1 - alpha_bar_prev) ** 0.5`(공분산을 $1-\bar\alpha_{t-1}$로 나눈 값), 그리고
# `return alpha_bar ** 0.5 - a * alpha_bar_prev ** 0.5`. $t = 2$에서 $-0.483$이 나옵니다. 0이 나왔다면 DDPM의
# 스텝($\sigma_t^2=\tilde\beta_t$)을 계산한 것입니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def my_forward_x0_coef(alpha_bar, alpha_bar_prev):
    # TODO: coefficient of x_0 in the mean of q_sigma(x_t | x_(t-1), x_0) at sigma_t = 0 (Eq. 8)
    raise NotImplementedError

symbolic.check_forward_x0_coef(my_forward_x0_coef)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - (\*) is Bayes' rule plus DDPM's Markov property; applied from $t = 2$ to $T$ it telescopes DDPM's chain into
#   $q(x_T\mid x_0)\prod_{t\ge2}q(x_{t-1}\mid x_t,x_0)$ (checked by sympy, and to $10^{-12}$ on $T = 1000$).
# - DDIM *defines* $q_\sigma(x_{t-1}\mid x_t,x_0)$ by Eq. 7 and the joint by Eq. 6; it does not derive them from (\*).
# - Lemma 1: every $q_\sigma$ has DDPM's marginals $q(x_t\mid x_0)$, by induction from $t = T$ down with the Gaussian
#   marginalisation identity. That is why one trained network serves every $\sigma$.
# - The joints and the forward conditionals differ unless $\sigma_t^2=\tilde\beta_t$: at $\eta = 0$ the neighbour covariance is
#   off by $1.0\times10^{-2}$, and Eq. 8 puts a coefficient $-0.48$ on $x_0$ at $t = 2$.
# - "Non-Markovian" in the paper means this: the forward step depends on $x_0$. $x_0$ in the reverse factors is common to DDPM
#   and DDIM.
#
# Next: [03 · the posterior mean](03_posterior_mean.ipynb), where $q(x_{t-1}\mid x_t,x_0)$ gets its mean and variance by completing the
# square.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - (\*)는 베이즈 정리에 DDPM의 마르코프 성질을 더한 것입니다. $t = 2$부터 $T$까지 적용하면 DDPM의 체인이
#   $q(x_T\mid x_0)\prod_{t\ge2}q(x_{t-1}\mid x_t,x_0)$로 텔레스코핑됩니다(sympy로 확인, $T = 1000$에서 $10^{-12}$까지 일치).
# - DDIM은 $q_\sigma(x_{t-1}\mid x_t,x_0)$를 Eq. 7로, 결합분포를 Eq. 6으로 **정의**합니다. (\*)에서 유도하지 않습니다.
# - 보조정리 1: 모든 $q_\sigma$는 DDPM의 주변분포 $q(x_t\mid x_0)$를 가집니다. 가우시안 주변화와 $t = T$부터 내려가는
#   귀납법으로 증명합니다. 한 번 학습한 네트워크를 모든 $\sigma$에 쓸 수 있는 이유입니다.
# - 결합분포와 순방향 조건부 분포는 $\sigma_t^2=\tilde\beta_t$가 아니면 다릅니다. $\eta = 0$에서 이웃 공분산이 $1.0\times10^{-2}$만큼
#   다르고, Eq. 8은 $t = 2$에서 $x_0$에 $-0.48$의 계수를 붙입니다.
# - 논문의 "비마르코프"는 순방향 스텝이 $x_0$에 의존한다는 뜻입니다. 역방향 인자에 $x_0$가 들어가는 것은 DDPM과 DDIM이
#   똑같습니다.
#
# 다음 강의: [03 · 사후 평균](03_posterior_mean.ipynb). 완전제곱식으로 $q(x_{t-1}\mid x_t,x_0)$의 평균과 분산을 구합니다.
