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
# # 03 · The posterior mean, two ways
#
# In lecture 02 the note's Bayes step (\*) turned the forward chain around:
# $$q(x_{t-1}\mid x_t,x_0)=\frac{q(x_t\mid x_{t-1})\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}.\qquad(*)$$
# This lecture computes the left-hand side. It is a Gaussian, and its mean can be written in two ways: DDPM's
# way, as a weighted sum of $x_0$ and $x_t$, and the note's way, which is already the shape of DDIM's update.
#
# **Learning goals.** After this lecture you can
# - derive the mean $\tilde\mu_t$ and the variance $\tilde\beta_t$ of the posterior by completing the square, line by line;
# - rewrite $\tilde\mu_t$ in the note's second form, $\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\epsilon$ with $\sigma_t^2=\tilde\beta_t$;
# - explain the posterior as a precision-weighted average of two pieces of evidence;
# - say at which $t$ the choice of $\sigma_t$ moves the mean, and by how much.
#
# **Prerequisites.** Lecture 01 (the schedule $\beta_t$, $\alpha_t=1-\beta_t$, $\bar\alpha_t=\prod_{s\le t}\alpha_s$,
# and $q(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}x_0,(1-\bar\alpha_t)I)$); lecture 02 (the Bayes step (\*)).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 03 · 사후 평균, 두 가지 모양
#
# 02강에서 노트의 베이즈 정리(Bayes' rule) 한 스텝 (\*)로 순방향 과정(forward process)을 뒤집었습니다.
# $$q(x_{t-1}\mid x_t,x_0)=\frac{q(x_t\mid x_{t-1})\,q(x_{t-1}\mid x_0)}{q(x_t\mid x_0)}.\qquad(*)$$
# 이번 강의에서는 왼쪽 변을 직접 계산합니다. 결과는 가우시안 분포(Gaussian distribution)입니다.
# 그 평균은 두 가지로 쓸 수 있습니다. 하나는 DDPM의 모양으로, $x_0$와 $x_t$의 가중합입니다.
# 다른 하나는 노트의 모양인데, 이미 DDIM 업데이트 식의 꼴을 하고 있습니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - 완전제곱식(completing the square)으로 사후분포(posterior)의 평균 $\tilde\mu_t$와 분산 $\tilde\beta_t$를 한 줄씩 유도합니다.
# - $\tilde\mu_t$를 노트의 두 번째 모양 $\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\epsilon$ ($\sigma_t^2=\tilde\beta_t$)으로 바꿔 씁니다.
# - 사후분포를 두 증거의 정밀도(precision) 가중 평균으로 설명합니다.
# - 어떤 $t$에서 $\sigma_t$의 선택이 평균을 움직이는지, 얼마나 움직이는지 말합니다.
#
# **선수 지식.** 01강(노이즈 스케줄 $\beta_t$, $\alpha_t=1-\beta_t$, $\bar\alpha_t=\prod_{s\le t}\alpha_s$,
# 그리고 $q(x_t\mid x_0)=\mathcal N(\sqrt{\bar\alpha_t}x_0,(1-\bar\alpha_t)I)$)과 02강(베이즈 한 스텝 (\*)).

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import sympy as sp
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic as sym

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);
torch.set_num_threads(1)  # tiny models: one thread is as fast, and safe on a busy shared machine
s = dt.make_schedule("linear", T=1000)  # the course's schedule: paper's t = 1..T is table index t - 1

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Intuition: two witnesses for $x_{t-1}$
#
# To cut to the chase: the posterior is what you get when two independent witnesses describe the same unknown
# $x_{t-1}$, and you trust each in proportion to its precision (one over its variance).
# - **The witness from the past, $x_0$.** By $q(x_{t-1}\mid x_0)$, $x_{t-1}$ lies near $\sqrt{\bar\alpha_{t-1}}x_0$, with variance $1-\bar\alpha_{t-1}$.
# - **The witness from the future, $x_t$.** By $q(x_t\mid x_{t-1})=\mathcal N(\sqrt{\alpha_t}x_{t-1},\beta_tI)$, $x_{t-1}$ lies near $x_t/\sqrt{\alpha_t}$, with variance $\beta_t/\alpha_t$.
#
# For two Gaussian witnesses, precisions add and the mean is the precision-weighted average. At small $t$
# both witnesses are sharp; at large $t$ the past is vague ($1-\bar\alpha_{t-1}\approx1$) and $x_t$ dominates.
#
# > **A student asks:** "Why should the posterior be Gaussian at all?" Because, as a function of $x_{t-1}$,
# > the numerator of (\*) is $e^{-(\text{quadratic in }x_{t-1})}$, and the denominator does not depend on
# > $x_{t-1}$. Any density of the form $e^{-\text{quadratic}}$ is a Gaussian. Completing the square reads off which one.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직관: $x_{t-1}$을 말해 주는 두 증인
#
# 결론부터 말하자면, 사후분포는 같은 미지수 $x_{t-1}$에 대해 두 증인이 따로 증언할 때 얻는 답입니다.
# 각 증인은 정밀도(분산의 역수)만큼 믿습니다.
# - **과거의 증인 $x_0$.** $q(x_{t-1}\mid x_0)$에 따르면 $x_{t-1}$은 $\sqrt{\bar\alpha_{t-1}}x_0$ 근처에 있고, 분산은 $1-\bar\alpha_{t-1}$입니다.
# - **미래의 증인 $x_t$.** $q(x_t\mid x_{t-1})=\mathcal N(\sqrt{\alpha_t}x_{t-1},\beta_tI)$에 따르면 $x_{t-1}$은 $x_t/\sqrt{\alpha_t}$ 근처에 있고, 분산은 $\beta_t/\alpha_t$입니다.
#
# 가우시안 두 개를 곱하면 정밀도는 더해지고, 평균은 정밀도로 가중한 평균이 됩니다.
# $t$가 작으면 두 증인 모두 또렷합니다. $t$가 크면 과거의 증언이 흐려지고($1-\bar\alpha_{t-1}\approx1$) $x_t$ 쪽이 이깁니다.
#
# > **학생의 질문:** "사후분포가 왜 하필 가우시안인가요?"
# > (\*)의 분자를 $x_{t-1}$의 함수로 보면 $e^{-(x_{t-1}\text{의 2차식})}$입니다. 분모에는 $x_{t-1}$이 없습니다.
# > $e^{-2\text{차식}}$ 꼴의 밀도는 모두 가우시안입니다. 어떤 가우시안인지는 완전제곱식이 알려 줍니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: two witnesses, x_t and x_0, each say something about x_{t−1}; the posterior weighs them by precision.
# Ask: "Which witness should we trust more when t is small?"
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: x_t와 x_0라는 두 증인이 x_{t−1}에 대해 말합니다. 사후분포는 정밀도로 두 말을 저울질합니다.
# 물어볼 것: "t가 작을 때는 어느 증인을 더 믿어야 할까요?"
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Derivation 1: mean and variance by completing the square
#
# All covariances here are multiples of $I$, so each coordinate obeys the same scalar algebra. Write $x=x_{t-1}$.
#
# **Step 1 (take logs of the numerator of (\*)).** Up to terms free of $x$,
# $$-2\log\big[q(x_t\mid x)\,q(x\mid x_0)\big]=\frac{(x_t-\sqrt{\alpha_t}\,x)^2}{\beta_t}+\frac{(x-\sqrt{\bar\alpha_{t-1}}\,x_0)^2}{1-\bar\alpha_{t-1}}+\text{const}.$$
#
# **Step 2 (expand and collect powers of $x$).** This equals $Ax^2-2Bx+C$ with
# $$A=\frac{\alpha_t}{\beta_t}+\frac{1}{1-\bar\alpha_{t-1}},\qquad B=\frac{\sqrt{\alpha_t}}{\beta_t}x_t+\frac{\sqrt{\bar\alpha_{t-1}}}{1-\bar\alpha_{t-1}}x_0 .$$
# $A$ is the sum of the two witnesses' precisions, as promised.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 유도 1: 완전제곱식으로 평균과 분산 구하기
#
# 여기 나오는 공분산(covariance)은 모두 $I$의 상수배입니다. 그래서 좌표마다 같은 스칼라 계산을 하면 됩니다. $x=x_{t-1}$로 씁니다.
#
# **1단계 ((\*) 분자에 로그를 취합니다).** $x$와 무관한 항을 빼면
# $$-2\log\big[q(x_t\mid x)\,q(x\mid x_0)\big]=\frac{(x_t-\sqrt{\alpha_t}\,x)^2}{\beta_t}+\frac{(x-\sqrt{\bar\alpha_{t-1}}\,x_0)^2}{1-\bar\alpha_{t-1}}+\text{const}.$$
#
# **2단계 (전개해서 $x$의 차수별로 모읍니다).** 위 식은 $Ax^2-2Bx+C$이고,
# $$A=\frac{\alpha_t}{\beta_t}+\frac{1}{1-\bar\alpha_{t-1}},\qquad B=\frac{\sqrt{\alpha_t}}{\beta_t}x_t+\frac{\sqrt{\bar\alpha_{t-1}}}{1-\bar\alpha_{t-1}}x_0 .$$
# $A$는 약속대로 두 증인의 정밀도를 더한 값입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Show the completing-the-square lines one at a time (→); the sympy cell after it checks every line.
# Time: 8 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 완전제곱식의 줄을 →로 하나씩 보여 줍니다. 뒤의 sympy 셀이 줄마다 확인합니다.
# 시간: 8분.

# %% [markdown] lang="en" slideshow={"slide_type": "fragment"}
# **Step 3 (complete the square).** $Ax^2-2Bx+C=A\,(x-B/A)^2+(C-B^2/A)$. The last bracket is free of $x$, so
# the posterior is $\mathcal N(B/A,\ 1/A)$.
#
# **Step 4 (simplify the precision, using $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$ and $\alpha_t+\beta_t=1$).**
# $$A=\frac{\alpha_t(1-\bar\alpha_{t-1})+\beta_t}{\beta_t(1-\bar\alpha_{t-1})}=\frac{1-\bar\alpha_t}{\beta_t(1-\bar\alpha_{t-1})}
# \quad\Longrightarrow\quad \tilde\beta_t=\frac1A=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\,\beta_t .$$
#
# **Step 5 (the mean is $B/A$).**
# $$\tilde\mu_t(x_t,x_0)=\frac{B}{A}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}\,x_0+\frac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}\,x_t .$$
# This is Eq. 7 of the DDPM paper and the note's first form of $\mu_q$.

# %% [markdown] lang="ko" slideshow={"slide_type": "fragment"}
# **3단계 (완전제곱식을 만듭니다).** $Ax^2-2Bx+C=A\,(x-B/A)^2+(C-B^2/A)$입니다. 마지막 괄호에는 $x$가 없습니다.
# 따라서 사후분포는 $\mathcal N(B/A,\ 1/A)$입니다.
#
# **4단계 (정밀도를 정리합니다. $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$, $\alpha_t+\beta_t=1$을 씁니다).**
# $$A=\frac{\alpha_t(1-\bar\alpha_{t-1})+\beta_t}{\beta_t(1-\bar\alpha_{t-1})}=\frac{1-\bar\alpha_t}{\beta_t(1-\bar\alpha_{t-1})}
# \quad\Longrightarrow\quad \tilde\beta_t=\frac1A=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\,\beta_t .$$
#
# **5단계 (평균은 $B/A$).**
# $$\tilde\mu_t(x_t,x_0)=\frac{B}{A}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}\,x_0+\frac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}\,x_t .$$
# DDPM 논문의 Eq. 7이고, 노트가 처음 쓴 $\mu_q$의 모양입니다. 이것이 사후 평균(posterior mean)입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Check each step with sympy
# `ddim_teach.symbolic` writes the five lines above as sympy expressions (one coordinate; $\alpha_t$ and
# $\bar\alpha_{t-1}$ positive symbols, $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$). For every line it prints
# `simplify(lhs - rhs)`; a 0 means the line holds for every schedule, not only ours.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### sympy로 한 줄씩 확인하기
# `ddim_teach.symbolic`은 위 다섯 줄을 sympy 식으로 적어 둡니다. 좌표 하나만 보고, $\alpha_t$와 $\bar\alpha_{t-1}$은
# 양수 기호, $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$입니다. 줄마다 `simplify(lhs - rhs)`를 출력합니다.
# 0이 나오면 그 줄은 우리 스케줄뿐 아니라 모든 스케줄에서 성립합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
steps = sym.posterior_mean_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### The same coefficients, as numbers from the package
# The symbolic coefficients, evaluated at our linear schedule ($T=1000$), should equal the tables the package
# uses when it samples (`posterior_mean_coef1`, `posterior_mean_coef2`, `posterior_variance`). Two independent
# computations of one thing.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 같은 계수를 패키지의 숫자로
# 기호로 얻은 계수에 선형 스케줄($T=1000$)의 값을 넣어 봅니다. 패키지가 샘플링(sampling)할 때 쓰는 표
# (`posterior_mean_coef1`, `posterior_mean_coef2`, `posterior_variance`)와 같아야 합니다.
# 같은 것을 서로 다르게 두 번 계산한 셈입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
c0, ct, bt = (sp.lambdify((sym._a, sym._abp), e) for e in sym.posterior_coefficients())
print(" t   coef of x_0   coef of x_t   beta_tilde    beta_t     sympy = package (rel 1e-12)")
for t in (2, 10, 100, 1000):
    k = t - 1  # table index
    a, abp = s.alphas[k].item(), s.alphas_cumprod[k - 1].item()
    pkg = (s.posterior_mean_coef1[k].item(), s.posterior_mean_coef2[k].item(), s.posterior_variance[k].item())
    same = all(abs(u - v) <= 1e-12 * abs(v) for u, v in zip((c0(a, abp), ct(a, abp), bt(a, abp)), pkg))
    print(f"{t:4d}  {pkg[0]:.6f}      {pkg[1]:.6f}      {pkg[2]:.3e}   {s.betas[k].item():.3e}  {same}")

# %% [markdown] lang="en" slideshow={"slide_type": "-"}
# Read the table with the two witnesses in mind. At $t=2$ the two coefficients are about $0.55$ and $0.45$:
# both witnesses count. At $t=1000$ the weight on $x_0$ is about $10^{-4}$ and $x_t$ carries the mean (weight $0.99$).
# And $\tilde\beta_t<\beta_t$ always: two witnesses know more than one. At $t=2$ the posterior variance is less
# than half of $\beta_t$; at $t=1000$ the two agree to the printed digits.

# %% [markdown] lang="ko" slideshow={"slide_type": "-"}
# 두 증인을 떠올리며 표를 읽어 보겠습니다. $t=2$에서 두 계수는 약 $0.55$와 $0.45$로, 두 증인이 모두 중요합니다.
# $t=1000$에서 $x_0$의 계수는 약 $10^{-4}$이고, 평균은 거의 $x_t$(계수 $0.99$)가 정합니다.
# 또 언제나 $\tilde\beta_t<\beta_t$입니다. 증인이 둘이면 하나일 때보다 더 많이 압니다.
# $t=2$에서는 사후분포의 분산이 $\beta_t$의 절반도 안 되고, $t=1000$에서는 출력된 자리까지 같습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Derivation 2: the note's second form
#
# The note rewrites the mean as
# $$\tilde\mu_t=\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\qquad\sigma_t^2=\tilde\beta_t .$$
# Why is it the same? Four lines.
#
# **Step 1 (the number under the root).** Insert $\tilde\beta_t$ and use $1-\bar\alpha_t-\beta_t=\alpha_t-\bar\alpha_t=\alpha_t(1-\bar\alpha_{t-1})$:
# $$1-\bar\alpha_{t-1}-\tilde\beta_t=(1-\bar\alpha_{t-1})\Big(1-\frac{\beta_t}{1-\bar\alpha_t}\Big)=\frac{\alpha_t(1-\bar\alpha_{t-1})^2}{1-\bar\alpha_t}.$$
#
# **Step 2 (take the root; every factor is positive).** $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\dfrac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{\sqrt{1-\bar\alpha_t}}$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 유도 2: 노트의 두 번째 모양
#
# 노트는 평균을 이렇게 다시 씁니다.
# $$\tilde\mu_t=\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}},\qquad\sigma_t^2=\tilde\beta_t .$$
# 왜 같은 식일까요? 네 줄이면 됩니다.
#
# **1단계 (루트 안의 수).** $\tilde\beta_t$를 넣고 $1-\bar\alpha_t-\beta_t=\alpha_t-\bar\alpha_t=\alpha_t(1-\bar\alpha_{t-1})$을 씁니다.
# $$1-\bar\alpha_{t-1}-\tilde\beta_t=(1-\bar\alpha_{t-1})\Big(1-\frac{\beta_t}{1-\bar\alpha_t}\Big)=\frac{\alpha_t(1-\bar\alpha_{t-1})^2}{1-\bar\alpha_t}.$$
#
# **2단계 (루트를 씌웁니다. 모든 인수가 양수입니다).** $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}=\dfrac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{\sqrt{1-\bar\alpha_t}}$.

# %% [markdown] lang="en" slideshow={"slide_type": "fragment"}
# **Step 3 (the coefficient of $x_t$).** Divide by $\sqrt{1-\bar\alpha_t}$: $\dfrac{\sqrt{\alpha_t}(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}$, the coefficient of $x_t$ in the first form.
#
# **Step 4 (the coefficient of $x_0$).** Collect the two $x_0$ terms and use $\sqrt{\alpha_t}\sqrt{\bar\alpha_t}=\alpha_t\sqrt{\bar\alpha_{t-1}}$:
# $$\sqrt{\bar\alpha_{t-1}}-\frac{\alpha_t\sqrt{\bar\alpha_{t-1}}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}=\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\bar\alpha_t}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}.$$
# Both coefficients agree, so the two forms are one mean. (Step 5 in the check below is the whole identity at once.)

# %% [markdown] lang="ko" slideshow={"slide_type": "fragment"}
# **3단계 ($x_t$의 계수).** $\sqrt{1-\bar\alpha_t}$로 나누면 $\dfrac{\sqrt{\alpha_t}(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}$입니다. 첫 번째 모양의 $x_t$ 계수와 같습니다.
#
# **4단계 ($x_0$의 계수).** $x_0$ 항 두 개를 모으고 $\sqrt{\alpha_t}\sqrt{\bar\alpha_t}=\alpha_t\sqrt{\bar\alpha_{t-1}}$을 씁니다.
# $$\sqrt{\bar\alpha_{t-1}}-\frac{\alpha_t\sqrt{\bar\alpha_{t-1}}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}=\sqrt{\bar\alpha_{t-1}}\,\frac{1-\bar\alpha_t-\alpha_t+\bar\alpha_t}{1-\bar\alpha_t}=\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}.$$
# 두 계수가 모두 같으니 두 모양은 같은 평균입니다. (아래 확인의 5단계는 등식 전체를 한 번에 봅니다.)

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
steps = sym.posterior_mean_second_form_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### On real tensors
# `dt.posterior_mean_forms` computes both forms with the package's own code: the first with the DDPM
# coefficients, the second through DDIM's $q_\sigma$ mean at $\sigma_t^2=\tilde\beta_t$. We draw 1000 random
# triples $(x_0, x_t, t)$ in float64.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 실제 텐서로
# `dt.posterior_mean_forms`는 패키지의 코드로 두 모양을 모두 계산합니다. 첫 번째는 DDPM의 계수로,
# 두 번째는 $\sigma_t^2=\tilde\beta_t$일 때 DDIM의 $q_\sigma$ 평균으로 구합니다. 무작위로 뽑은 $(x_0, x_t, t)$ 1000쌍을 float64로 넣습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
g = torch.Generator().manual_seed(0)
x0 = torch.randn(1000, 2, generator=g, dtype=torch.float64)
x_t = torch.randn(1000, 2, generator=g, dtype=torch.float64)
k = torch.randint(1, 1000, (1000,), generator=g)  # table indices: the paper's t = 2..1000
coef_form, ddim_form = dt.posterior_mean_forms(s, x0, x_t, k)
gap = (coef_form - ddim_form).abs().max().item()
print(f"1000 random (x_0, x_t, t), t in [{k.min().item() + 1}, {k.max().item() + 1}]: max |first - second| < 1e-12: {gap < 1e-12}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Reading the second form
#
# The fraction in the second form is not new: by $q(x_t\mid x_0)$, $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$, so
# $$\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}}=\epsilon,$$
# the very noise that made $x_t$ from $x_0$. The posterior mean is then
# $$\tilde\mu_t=\underbrace{\sqrt{\bar\alpha_{t-1}}\,x_0}_{\text{signal at level }t-1}+\underbrace{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\epsilon}_{\text{the same noise, partly}}.$$
# The first term is $x_0$ sent to noise level $t-1$. The second keeps part of $x_t$'s noise; the missing part,
# of variance $\sigma_t^2$, is drawn fresh. Together they give $x_{t-1}$ the variance $1-\bar\alpha_{t-1}$ it must have.
#
# DDIM's idea (Eq. 7) is to let $\sigma_t$ be **any** number with $\sigma_t^2\le1-\bar\alpha_{t-1}$, not only $\tilde\beta_t$.
# That gives a family of Gaussians $q_\sigma(x_{t-1}\mid x_t,x_0)$; lecture 04 turns it into a sampler.
#
# Here $\epsilon$ is the **true** noise, because the true $x_0$ is in the formula. The note writes
# $\epsilon_\theta(x_t,t)$ in this line. That symbol belongs one step later, when $x_0$ is replaced by the
# network's prediction $\hat x_0$ (lecture 04; the slip is listed in lecture 09).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 두 번째 모양 읽기
#
# 두 번째 모양의 분수는 새로운 것이 아닙니다. $q(x_t\mid x_0)$에 따라 $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$이므로
# $$\frac{x_t-\sqrt{\bar\alpha_t}\,x_0}{\sqrt{1-\bar\alpha_t}}=\epsilon,$$
# 즉 $x_0$에서 $x_t$를 만든 바로 그 노이즈입니다. 그러면 사후 평균은
# $$\tilde\mu_t=\underbrace{\sqrt{\bar\alpha_{t-1}}\,x_0}_{\text{수준 }t-1\text{의 신호}}+\underbrace{\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\;\epsilon}_{\text{같은 노이즈의 일부}}.$$
# 첫째 항은 $x_0$를 $t-1$의 노이즈 수준으로 보낸 것입니다. 둘째 항은 $x_t$의 노이즈를 일부 남깁니다.
# 모자란 부분은 분산 $\sigma_t^2$짜리 새 노이즈로 채웁니다. 둘을 합하면 $x_{t-1}$의 분산이 꼭 필요한 $1-\bar\alpha_{t-1}$이 됩니다.
#
# DDIM의 아이디어(Eq. 7)는 $\sigma_t$를 $\tilde\beta_t$로 고정하지 않고, $\sigma_t^2\le1-\bar\alpha_{t-1}$인 **아무** 값이나 허용하는 것입니다.
# 그러면 가우시안의 한 분포족 $q_\sigma(x_{t-1}\mid x_t,x_0)$이 생깁니다. 04강에서 이것을 샘플러로 바꿉니다.
#
# 여기서 $\epsilon$은 **진짜** 노이즈입니다. 식에 진짜 $x_0$가 들어 있기 때문입니다. 노트는 이 줄에
# $\epsilon_\theta(x_t,t)$를 썼습니다. 그 기호는 한 단계 뒤, $x_0$를 네트워크가 예측한 $\hat x_0$로 바꿀 때 나옵니다
# (04강; 이 실수는 09강의 정오표에 있습니다).

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## What changes when $\sigma_t$ varies
#
# Keep $x_0$ and $x_t$ fixed and move $\sigma_t=\eta\sqrt{\tilde\beta_t}$ from $\eta=0$ (DDIM) to $\eta=1$ (DDPM's
# posterior). Only the weight of the noise term changes, from $\sqrt{1-\bar\alpha_{t-1}}$ to $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}$.
# So the mean slides along the straight line through $\sqrt{\bar\alpha_{t-1}}x_0$ in the direction of $\epsilon$,
# towards $\sqrt{\bar\alpha_{t-1}}x_0$. How far it slides is the ratio
# $$r_t(\eta)=\sqrt{1-\eta^2\,\tilde\beta_t/(1-\bar\alpha_{t-1})}.$$

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $\sigma_t$를 바꾸면 무엇이 변하나
#
# $x_0$와 $x_t$를 고정하고 $\sigma_t=\eta\sqrt{\tilde\beta_t}$를 $\eta=0$(DDIM)에서 $\eta=1$(DDPM의 사후분포)까지 움직여 봅니다.
# 바뀌는 것은 노이즈 항의 무게뿐입니다. $\sqrt{1-\bar\alpha_{t-1}}$에서 $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}$로 줄어듭니다.
# 그래서 평균은 $\sqrt{\bar\alpha_{t-1}}x_0$를 지나 $\epsilon$ 방향으로 놓인 직선 위를 미끄러져, $\sqrt{\bar\alpha_{t-1}}x_0$ 쪽으로 다가갑니다.
# 얼마나 움직이는지는 다음 비율이 정합니다.
# $$r_t(\eta)=\sqrt{1-\eta^2\,\tilde\beta_t/(1-\bar\alpha_{t-1})}.$$

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ratio = lambda t, eta: (1 - eta**2 * s.posterior_variance[t - 1] / (1 - s.alphas_cumprod_prev[t - 1])).sqrt().item()
for t in (2, 10, 100, 1000):
    print(f"t = {t:4d}: r_t(1) = {ratio(t, 1.0):.3f}  (the noise term loses {100 * (1 - ratio(t, 1.0)):.1f}% of its weight)")

# %% [markdown] lang="en" slideshow={"slide_type": "-"}
# With $T=1000$ steps the choice of $\sigma_t$ matters most at small $t$: at $t=2$ the noise term loses a third of
# its weight, at $t=100$ about one percent. So the figure uses $t=2$, zoomed in to the scale of the noise.
# Left: the 21 means for $\eta=0,0.05,\dots,1$ (colour), $x_t$, the true $x_0$ and $\sqrt{\bar\alpha_{t-1}}x_0$;
# the circle has radius $\sigma_t$ at $\eta=1$, the spread of the fresh noise. Right: $r_t(\eta)$ for four $t$.
# At $t=2$, $\sqrt{\bar\alpha_{1}}=0.99995$, so $\sqrt{\bar\alpha_{t-1}}x_0$ lies on top of $x_0$ at this zoom (the cell prints the distance).

# %% [markdown] lang="ko" slideshow={"slide_type": "-"}
# $T=1000$ 스텝에서는 $t$가 작을 때 $\sigma_t$의 선택이 가장 중요합니다. $t=2$에서는 노이즈 항이 무게의 3분의 1을 잃고,
# $t=100$에서는 1% 정도만 잃습니다. 그래서 그림은 $t=2$를 노이즈 크기에 맞춰 확대해서 보여 줍니다.
# 왼쪽: $\eta=0,0.05,\dots,1$의 평균 21개(색), $x_t$, 진짜 $x_0$, $\sqrt{\bar\alpha_{t-1}}x_0$입니다.
# 원의 반지름은 $\eta=1$일 때의 $\sigma_t$로, 새 노이즈가 퍼지는 정도입니다. 오른쪽: 네 개의 $t$에서 $r_t(\eta)$입니다.
# $t=2$에서는 $\sqrt{\bar\alpha_{1}}=0.99995$라서 이 배율로는 $\sqrt{\bar\alpha_{t-1}}x_0$가 $x_0$ 위에 겹칩니다(거리는 셀이 출력합니다).

# %% slideshow={"slide_type": "slide"}
t = 2; k = t - 1  # paper's t, table index
x0_pt = torch.tensor([[1.5, 0.5]], dtype=torch.float64)
x_t_pt = dt.q_sample(s, x0_pt, k, generator=torch.Generator().manual_seed(3))
etas = torch.linspace(0, 1, 21, dtype=torch.float64)
means = torch.cat([dt.q_sigma_posterior_mean_variance(s, x0_pt, x_t_pt, k, float(e * s.posterior_variance[k].sqrt()))[0] for e in etas])
anchor = (s.alphas_cumprod_prev[k].sqrt() * x0_pt)[0]
fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 5.2), layout="constrained")
ax.plot(*torch.stack([anchor, means[0]]).T, ":", c="gray")
sc = ax.scatter(*means.T, c=etas, cmap="viridis", s=40, zorder=3, label=r"$\mu_\sigma(x_t,x_0)$, $\eta=0\to1$")
ax.add_patch(plt.Circle(means[-1].tolist(), s.posterior_variance[k].sqrt().item(), fill=False, ls="--", color=plots.PALETTE[3]))
ax.plot(*x0_pt[0], "k*", ms=18, label="$x_0$"); ax.plot(*anchor, "D", mfc="none", mec=plots.PALETTE[1], ms=14, mew=2, label=r"$\sqrt{\bar\alpha_{t-1}}\,x_0$")
ax.plot(*x_t_pt[0], "s", c=plots.PALETTE[0], ms=11, label="$x_t$"); ax.set_aspect("equal"); ax.legend(loc="lower right"); ax.set_title(f"$t = {t}$")
fig.colorbar(sc, ax=ax, label=r"$\eta$", shrink=0.7)
for tt, c in zip((2, 5, 10, 100), plots.PALETTE):
    bx.plot(etas, [ratio(tt, e) for e in etas.tolist()], c=c, label=f"$t = {tt}$")
bx.set_xlabel(r"$\eta=\sigma_t/\sqrt{\tilde\beta_t}$"); bx.set_ylabel(r"$r_t(\eta)$"); bx.legend(); plt.show()
print(f"|x_0 - sqrt(alphabar_(t-1)) x_0| = {(x0_pt[0] - anchor).norm().item():.1e},  sigma_t(eta=1) = {s.posterior_variance[k].sqrt().item():.1e}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Try this (in the cell above)
# 1. Set `t = 10`, then `t = 100`. The 21 means bunch up into one dot: with 1000 small steps, $\tilde\beta_t$ is a
#    tiny part of $1-\bar\alpha_{t-1}$, so $\sigma_t$ barely moves the mean (compare $r_t(1)$ printed above).
# 2. Back at `t = 2`, change the seed of `x_t_pt` (the `3`). The line of means turns with $\epsilon$, but it always
#    points at $\sqrt{\bar\alpha_{t-1}}x_0$, and the $\eta=1$ mean always sits at $67\%$ of the $\eta=0$ offset.
# 3. Predict before you run: where would the mean be if $\sigma_t^2=1-\bar\alpha_{t-1}$, the largest value $q_\sigma$ allows?
#    (At $\sqrt{\bar\alpha_{t-1}}x_0$ itself: all of $x_t$'s noise is forgotten, and $x_t$ no longer matters.)
#
# Lecture 05 shows where $\sigma$ matters even at large $t$: when the sampler jumps over many steps at once.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 이렇게 해 보세요 (위 셀에서)
# 1. `t = 10`, 이어서 `t = 100`으로 바꿔 보세요. 평균 21개가 한 점으로 뭉칩니다. 1000개의 작은 스텝에서는
#    $\tilde\beta_t$가 $1-\bar\alpha_{t-1}$에 비해 아주 작아서, $\sigma_t$가 평균을 거의 움직이지 못합니다(위에 출력된 $r_t(1)$과 비교해 보세요).
# 2. 다시 `t = 2`에서 `x_t_pt`의 시드(`3`)를 바꿔 보세요. 평균이 놓인 직선은 $\epsilon$을 따라 돌지만,
#    언제나 $\sqrt{\bar\alpha_{t-1}}x_0$를 가리킵니다. $\eta=1$의 평균은 언제나 $\eta=0$ 거리의 $67\%$ 지점에 있습니다.
# 3. 실행하기 전에 예측해 보세요. $q_\sigma$가 허용하는 가장 큰 값 $\sigma_t^2=1-\bar\alpha_{t-1}$이면 평균은 어디에 있을까요?
#    (바로 $\sqrt{\bar\alpha_{t-1}}x_0$입니다. $x_t$의 노이즈를 모두 잊으니 $x_t$는 더 이상 상관없습니다.)
#
# 05강에서는 큰 $t$에서도 $\sigma$가 중요해지는 경우를 봅니다. 샘플러가 여러 스텝을 한 번에 건너뛸 때입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (the posterior mean).** Write `posterior_mean(x0, x_t, alpha_bar, alpha_bar_prev)` that returns
# $\tilde\mu_t$ in the first form. Use only $\bar\alpha_t$ and $\bar\alpha_{t-1}$: $\alpha_t=\bar\alpha_t/\bar\alpha_{t-1}$ and $\beta_t=1-\alpha_t$.
# The checker compares it with the package on random inputs and names the usual slips.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# ```python
# def posterior_mean(x0, x_t, alpha_bar, alpha_bar_prev):
#     alpha = alpha_bar / alpha_bar_prev
#     beta = 1 - alpha
#     return (alpha_bar_prev**0.5 * beta * x0 + alpha**0.5 * (1 - alpha_bar_prev) * x_t) / (1 - alpha_bar)
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (사후 평균).** 첫 번째 모양의 $\tilde\mu_t$를 돌려주는 `posterior_mean(x0, x_t, alpha_bar, alpha_bar_prev)`를 작성하세요.
# $\bar\alpha_t$와 $\bar\alpha_{t-1}$만 씁니다. $\alpha_t=\bar\alpha_t/\bar\alpha_{t-1}$, $\beta_t=1-\alpha_t$입니다.
# 채점기는 무작위 입력에서 패키지와 비교하고, 흔한 실수를 짚어 줍니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def posterior_mean(x0, x_t, alpha_bar, alpha_bar_prev):
#     alpha = alpha_bar / alpha_bar_prev
#     beta = 1 - alpha
#     return (alpha_bar_prev**0.5 * beta * x0 + alpha**0.5 * (1 - alpha_bar_prev) * x_t) / (1 - alpha_bar)
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
from ddim_teach.course import exercises

def posterior_mean(x0, x_t, alpha_bar, alpha_bar_prev):
    return x_t  # replace this line with your answer

exercises.check_posterior_mean(posterior_mean);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **Exercise 2 (the second form, numerically).** Write `posterior_mean_second(x0, x_t, alpha_bar, alpha_bar_prev)`
# with the note's second form and $\sigma_t^2=\tilde\beta_t$, and pass it to the same checker. If your first form
# passes and the second fails, compare $1-\bar\alpha_{t-1}-\sigma_t^2$ with Step 1 of Derivation 2: is $\sigma_t$
# where $\sigma_t^2$ belongs?
#
# **Exercise 3 (on paper, then in code).** Show that $\tilde\beta_t\le\beta_t$ for every $t$, with equality only
# when $\bar\alpha_{t-1}=0$ (for $\beta_t>0$). Then find the paper's $t$ at which $\tilde\beta_t/\beta_t$ first exceeds $0.99$ in our schedule.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# Exercise 2: `sigma2 = (1 - alpha_bar_prev) / (1 - alpha_bar) * (1 - alpha_bar / alpha_bar_prev)`, then
# `alpha_bar_prev**0.5 * x0 + (1 - alpha_bar_prev - sigma2)**0.5 * (x_t - alpha_bar**0.5 * x0) / (1 - alpha_bar)**0.5`.
#
# Exercise 3: $\tilde\beta_t/\beta_t=(1-\bar\alpha_{t-1})/(1-\bar\alpha_t)\le1$ because $\bar\alpha_t\le\bar\alpha_{t-1}$.
# In code: `int((s.posterior_variance / s.betas > 0.99).nonzero()[0]) + 1` (the `+ 1` turns the table index into the paper's $t$).
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **연습 2 (두 번째 모양을 숫자로).** 노트의 두 번째 모양과 $\sigma_t^2=\tilde\beta_t$로 `posterior_mean_second(x0, x_t, alpha_bar, alpha_bar_prev)`를
# 작성하고 같은 채점기에 넣어 보세요. 첫 번째 모양은 통과하는데 두 번째가 틀린다면, $1-\bar\alpha_{t-1}-\sigma_t^2$를 유도 2의 1단계와
# 비교해 보세요. $\sigma_t^2$ 자리에 $\sigma_t$를 쓰지 않았나요?
#
# **연습 3 (종이에 먼저, 그다음 코드로).** 모든 $t$에서 $\tilde\beta_t\le\beta_t$이고, 등호는 ($\beta_t>0$이면) $\bar\alpha_{t-1}=0$일 때만 성립함을 보이세요.
# 그리고 우리 스케줄에서 $\tilde\beta_t/\beta_t$가 처음으로 $0.99$를 넘는 논문 기준 $t$를 찾으세요.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# 연습 2: `sigma2 = (1 - alpha_bar_prev) / (1 - alpha_bar) * (1 - alpha_bar / alpha_bar_prev)`로 두고
# `alpha_bar_prev**0.5 * x0 + (1 - alpha_bar_prev - sigma2)**0.5 * (x_t - alpha_bar**0.5 * x0) / (1 - alpha_bar)**0.5`를 돌려줍니다.
#
# 연습 3: $\bar\alpha_t\le\bar\alpha_{t-1}$이므로 $\tilde\beta_t/\beta_t=(1-\bar\alpha_{t-1})/(1-\bar\alpha_t)\le1$입니다.
# 코드로는 `int((s.posterior_variance / s.betas > 0.99).nonzero()[0]) + 1`입니다(`+ 1`은 표의 인덱스를 논문의 $t$로 바꿉니다).
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def posterior_mean_second(x0, x_t, alpha_bar, alpha_bar_prev):
    return x_t  # replace this line with the note's second form

exercises.check_posterior_mean(posterior_mean_second);
first_t = None  # Exercise 3: the paper's t where posterior_variance / betas first exceeds 0.99
print(f"your answer: t = {first_t}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
# - The posterior $q(x_{t-1}\mid x_t,x_0)$ is Gaussian because the numerator of (*) is $e^{-\text{quadratic}}$ in $x_{t-1}$.
# - Completing the square gives the precision $1/\tilde\beta_t=\alpha_t/\beta_t+1/(1-\bar\alpha_{t-1})$ (two witnesses add
#   their precisions) and the mean $\tilde\mu_t$, a weighted sum of $x_0$ and $x_t$ (DDPM Eq. 7).
# - The same mean is $\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\epsilon$ with $\sigma_t^2=\tilde\beta_t$ and
#   $\epsilon$ the true noise of $x_t$; every step was checked with sympy and on 1000 random tensors.
# - DDIM keeps this shape and frees $\sigma_t$ (Eq. 7). Moving $\sigma_t$ slides the mean towards $\sqrt{\bar\alpha_{t-1}}x_0$;
#   with 1000 steps that matters at small $t$ (a third of the noise weight at $t=2$, 1% at $t=100$).
#
# Next: [04 · DDPM vs DDIM sampling](04_ddpm_vs_ddim.ipynb), where $x_0$ is replaced by the network's guess.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
# - 사후분포 $q(x_{t-1}\mid x_t,x_0)$는 가우시안입니다. (*)의 분자가 $x_{t-1}$에 대해 $e^{-2\text{차식}}$이기 때문입니다.
# - 완전제곱식으로 정밀도 $1/\tilde\beta_t=\alpha_t/\beta_t+1/(1-\bar\alpha_{t-1})$(두 증인의 정밀도를 더한 값)와
#   사후 평균 $\tilde\mu_t$($x_0$와 $x_t$의 가중합, DDPM Eq. 7)를 얻습니다.
# - 같은 평균을 $\sqrt{\bar\alpha_{t-1}}x_0+\sqrt{1-\bar\alpha_{t-1}-\sigma_t^2}\,\epsilon$($\sigma_t^2=\tilde\beta_t$, $\epsilon$은 $x_t$의 진짜 노이즈)으로도 씁니다.
#   모든 단계를 sympy와 무작위 텐서 1000쌍으로 확인했습니다.
# - DDIM은 이 모양을 그대로 두고 $\sigma_t$를 풀어 줍니다(Eq. 7). $\sigma_t$를 키우면 평균이 $\sqrt{\bar\alpha_{t-1}}x_0$ 쪽으로 미끄러집니다.
#   1000 스텝에서는 작은 $t$에서만 크게 보입니다($t=2$에서 노이즈 항 무게의 3분의 1, $t=100$에서 1%).
#
# 다음: [04 · DDPM과 DDIM의 샘플링](04_ddpm_vs_ddim.ipynb). 여기서 $x_0$를 네트워크의 추측으로 바꿉니다.
