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
# # 09 · Notation and errata
#
# **Learning goals.** After this lecture you can
# - read a formula in either notation — the DDIM paper's $\alpha_t$ is DDPM's $\bar\alpha_t$ — and say which one a line uses;
# - name each slip of the study note and the number that decides it;
# - tell DDIM at η = 0 apart from "the posterior mean without its noise", which looks similar and is not the same sampler.
#
# **Prerequisites.** Lectures 02–05: the family $q_\sigma$, the posterior and its mean, Eq. 9, Eq. 12 and Eq. 16.
#
# The note is a good guide: it gets the hard parts right. Its $\hat x_0$ formula is the paper's **Eq. 9**, read in the
# paper's notation; its two forms of the posterior mean are both correct (lecture 03); its telescoping is right (lecture 02).
# Its slips come almost all from one source: it speaks two dialects. DDPM writes $\alpha_t=1-\beta_t$ and
# $\bar\alpha_t=\prod_{s\le t}\alpha_s$; the DDIM paper writes $\alpha_t$ for that product. Each slip below is taken
# literally and computed, next to the right formula.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 09 · 표기법과 정오표
#
# **학습 목표.** 이 강의를 마치면
# - 두 표기법(notation) 어느 쪽으로 쓰인 식이든 읽고, 그 줄이 어느 표기법인지 말할 수 있습니다. DDIM 논문의 $\alpha_t$는 DDPM의 $\bar\alpha_t$입니다;
# - 스터디 노트의 실수 하나하나와, 그것을 판가름하는 숫자를 말할 수 있습니다;
# - η = 0인 DDIM과 "노이즈를 뺀 사후 평균"을 구별할 수 있습니다. 둘은 비슷해 보이지만 다른 샘플러입니다.
#
# **선수 지식.** 02–05강: $q_\sigma$ 분포족, 사후분포(posterior)와 그 평균, Eq. 9, Eq. 12, Eq. 16.
#
# 노트는 좋은 안내서입니다. 어려운 부분은 다 맞았습니다. $\hat x_0$ 식은 논문 표기로 읽으면 논문의 **Eq. 9** 그대로입니다.
# 사후 평균(posterior mean)의 두 형태도 모두 옳습니다(03강). 텔레스코핑(telescoping)도 옳습니다(02강).
# 실수는 거의 한 곳에서 나옵니다. 노트가 두 가지 말투를 섞어 쓴다는 점입니다. DDPM은 $\alpha_t=1-\beta_t$, $\bar\alpha_t=\prod_{s\le t}\alpha_s$로 쓰고,
# DDIM 논문은 그 곱을 $\alpha_t$로 씁니다. 이 정오표(errata)는 실수 하나하나를 글자 그대로 계산해서, 옳은 식 옆에 놓습니다.

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (a) $\alpha$ written for $\bar\alpha$
#
# **(a1) In $\hat x_0$.** The note writes $\hat x_0=(x_t-\sqrt{1-\alpha_t}\,\epsilon_\theta)/\sqrt{\alpha_t}$ and adds
# "(여기서 $\bar\alpha_t=\prod\alpha_s$)", which declares DDPM's notation. In the paper's notation the formula is Eq. 9 and right.
# Read literally, with DDPM's per-step $\alpha_t=1-\beta_t$ close to 1, it removes almost no noise. With the true $\epsilon$
# on 64 test digits:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (a) $\bar\alpha$ 자리에 쓴 $\alpha$
#
# **(a1) $\hat x_0$ 식에서.** 노트는 $\hat x_0=(x_t-\sqrt{1-\alpha_t}\,\epsilon_\theta)/\sqrt{\alpha_t}$라고 쓰고
# "(여기서 $\bar\alpha_t=\prod\alpha_s$)"를 덧붙입니다. 이 괄호는 DDPM 표기법을 쓰겠다는 선언입니다. 논문 표기로 읽으면 이 식은 Eq. 9이고 옳습니다.
# 하지만 글자 그대로, 1에 가까운 DDPM의 스텝별 $\alpha_t=1-\beta_t$로 읽으면 노이즈를 거의 지우지 못합니다.
# 테스트 숫자 64개에 진짜 $\epsilon$을 넣어 보겠습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: each erratum comes with the number that shows it; go through (a)–(f) at one per two minutes.
# Ask: "Which of these would change a result, and which only the notation?"
# Time: 12 min for the six.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 정오표 항목마다 그것을 보여 주는 숫자가 함께 있습니다. (a)–(f)를 항목당 2분씩 봅니다.
# 물어볼 것: "이 중 결과를 바꾸는 것은 무엇이고, 표기만 바꾸는 것은 무엇일까요?"
# 시간: 여섯 항목에 12분.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.data import load_dataset
from ddim_teach.course.errata import x0_pred_literal_alpha

s = dt.make_schedule("linear")
x0 = load_dataset("digits", "test").x[:64].double()
eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
for k in (49, 249, 499):  # table index k is the paper's t = k + 1
    x_t = dt.q_sample(s, x0, k, noise=eps)
    literal, correct = x0_pred_literal_alpha(s, x_t, eps, k)
    print(f"t={k + 1}: alpha_t={s.alphas[k].item():.4f}, alpha_bar_t={s.alphas_cumprod[k].item():.4f}   "
          f"MSE(x0_hat, x0): literal {((literal - x0) ** 2).mean().item():.3f}, "
          f"with alpha_bar < 1e-20: {((correct - x0) ** 2).mean().item() < 1e-20}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **(a2) In the deterministic update.** The note's $x_{t-1}=\sqrt{\alpha_{t-1}}\hat x_0+\sqrt{1-\alpha_{t-1}}\,\epsilon_\theta$ is Eq. 12 at
# σ = 0 in the paper's notation. Read with DDPM's α (in $\hat x_0$ and in the update), and run on the exact 8-Gaussian ring
# (radius 2, 50 steps), the samples do not land on the data:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **(a2) 결정론적 업데이트에서.** 노트의 $x_{t-1}=\sqrt{\alpha_{t-1}}\hat x_0+\sqrt{1-\alpha_{t-1}}\,\epsilon_\theta$는 논문 표기로는
# σ = 0인 Eq. 12입니다. DDPM의 α로 읽고($\hat x_0$에서도, 업데이트에서도) 정확한 8개 가우시안 고리(반지름 2, 50스텝)에서 돌리면,
# 샘플이 데이터에 닿지 못합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.course.errata import sample_ddim_literal_alpha
from ddim_teach.experiments.metrics import sliced_wasserstein

ring = dt.ring_of_gaussians(s)
x_T = torch.randn(2000, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
ref = ring.sample(2000, generator=torch.Generator().manual_seed(1))
tau = dt.make_timesteps(1000, 50)
wrong = sample_ddim_literal_alpha(ring, x_T, s, tau)
right = dt.sample_ddim(ring, x_T, s, tau, progress=False)
print(f"sliced W1 to the data: literal alpha {sliced_wasserstein(wrong, ref):.2f}, alpha_bar {sliced_wasserstein(right, ref):.2f}")
print(f"mean radius (data: 2.0): literal {wrong.norm(dim=1).mean().item():.2f}, alpha_bar {right.norm(dim=1).mean().item():.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **(a3) In the equation under "So what's the benefit?"** There the note writes the full update with noise,
# $x_{t-1}=\sqrt{\alpha_{t-1}}\hat x_0+\sqrt{1-\alpha_{t-1}-\sigma_t^2}\,\epsilon_\theta+\sigma_t\epsilon_t$, again with α. Read
# literally at DDPM's σ ($\sigma_t^2=\tilde\beta_t$), the quantity under the square root is $\beta_{t-1}-\tilde\beta_t$, and it is
# **negative** for most $t$: the formula has no real value there (at $t=2$ the two readings coincide, since $\bar\alpha_1=\alpha_1$). With $\bar\alpha_{t-1}$ it is $1-\bar\alpha_{t-1}-\tilde\beta_t>0$ everywhere.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **(a3) "So what's the benefit?" 아래의 식에서.** 여기서 노트는 노이즈까지 넣은 업데이트
# $x_{t-1}=\sqrt{\alpha_{t-1}}\hat x_0+\sqrt{1-\alpha_{t-1}-\sigma_t^2}\,\epsilon_\theta+\sigma_t\epsilon_t$를 다시 α로 씁니다.
# DDPM의 σ($\sigma_t^2=\tilde\beta_t$)에서 글자 그대로 읽으면 제곱근 안은 $\beta_{t-1}-\tilde\beta_t$가 되고, 대부분의 $t$에서 **음수**입니다.
# 그 자리에서는 식이 실수값을 갖지 않습니다($t=2$에서는 $\bar\alpha_1=\alpha_1$이라 두 읽기가 같습니다). $\bar\alpha_{t-1}$로 읽으면 $1-\bar\alpha_{t-1}-\tilde\beta_t>0$이 모든 곳에서 성립합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
a, ab, bt = s.alphas.double(), s.alphas_cumprod.double(), s.posterior_variance.double()
literal = (1 - a[:-1]) - bt[1:]  # paper t = 2..T:  1 - alpha_(t-1) - beta_tilde_t
right_ = (1 - ab[:-1]) - bt[1:]  #                   1 - alpha_bar_(t-1) - beta_tilde_t
for t in (2, 100, 500, 1000):
    print(f"t={t:4d}: literal {literal[t - 2].item():+.2e}   with alpha_bar {right_[t - 2].item():+.2e}")
print(f"negative under the root: literal {int((literal < 0).sum())} of {literal.numel()} t, with alpha_bar {int((right_ < 0).sum())}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (b) The speed-up is $T/N$, not $K/N$
#
# "denoising 횟수가 $T\to N$로 줄어 속도는 $\frac{K}{N}$배": $K$ is never defined. Sampling $N$ of the $T$ steps makes $N$ network
# calls instead of $T$, so the speed-up is $T/N$ (lecture 05 measures the time). Here we count the calls themselves:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (b) 속도 향상은 $K/N$배가 아니라 $T/N$배입니다
#
# "denoising 횟수가 $T\to N$로 줄어 속도는 $\frac{K}{N}$배"라고 쓰여 있지만, $K$는 어디에도 정의되지 않습니다.
# $T$ 스텝 중 $N$ 스텝만 샘플링하면 네트워크 호출 횟수(NFE)가 $T$번에서 $N$번으로 줍니다. 그래서 속도 향상은 $T/N$배입니다
# (시간은 05강에서 잽니다). 여기서는 호출 횟수 자체를 셉니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.course.errata import speedup

calls = []
def counted(x, t):  # the exact ring denoiser, counting its calls
    calls.append(1)
    return ring(x, t)
counted.sample_shape = ring.sample_shape
for N in (10, 50, 1000):
    calls.clear()
    dt.sample_ddim(counted, x_T[:4], s, dt.make_timesteps(1000, N), progress=False)
    print(f"T = 1000, N = {N:4d}: network calls {len(calls):4d}, speed-up T/N = {speedup(1000, N):.0f}x")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (c) $q(x_t\mid x_{t-1},x_0)$ written where $q(x_{t-1}\mid x_t,x_0)$ is meant
#
# In "중간 스텝을 어떻게 건너뛸 수 있는걸까?" the note calls $q(x_t\mid x_{t-1},x_0)$ the posterior but writes a density over $x_{t-1}$,
# $\mathcal N(x_{t-1};\mu_q(x_t,x_0),\Sigma_q)$. The left side, read literally, is the forward step: a density over $x_t$, with variance
# $\beta_t$. The right side is the posterior, with variance $\tilde\beta_t$. At large $t$ the two variances are almost equal, which hides
# the slip; at small $t$ they are not. At $t=2$ we evaluate both densities at one point $(x_0,x_1,x_2)$. By Bayes' rule (the note's
# (\*)) their log-densities differ by $\log q(x_1\mid x_0)-\log q(x_2\mid x_0)$, which is not zero.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (c) $q(x_{t-1}\mid x_t,x_0)$ 자리에 쓴 $q(x_t\mid x_{t-1},x_0)$
#
# "중간 스텝을 어떻게 건너뛸 수 있는걸까?"에서 노트는 $q(x_t\mid x_{t-1},x_0)$를 사후분포라고 부르면서, 오른쪽에는 $x_{t-1}$에 대한 밀도
# $\mathcal N(x_{t-1};\mu_q(x_t,x_0),\Sigma_q)$를 씁니다. 왼쪽을 글자 그대로 읽으면 순방향 과정(forward process)의 한 스텝입니다.
# $x_t$에 대한 밀도이고 분산은 $\beta_t$입니다. 오른쪽은 사후분포이고 분산은 $\tilde\beta_t$입니다. $t$가 크면 두 분산이 거의 같아서 실수가 잘 보이지 않습니다.
# $t$가 작으면 다릅니다. $t=2$에서 한 점 $(x_0,x_1,x_2)$에 두 밀도를 계산해 보겠습니다. 베이즈 정리(Bayes' rule, 노트의 (\*))에 따르면 두 로그 밀도의 차는
# $\log q(x_1\mid x_0)-\log q(x_2\mid x_0)$이고, 0이 아닙니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
k = 1  # table index 1 is the paper's t = 2
x0_pt = torch.tensor([[1.0, -0.5]], dtype=torch.float64)
x1 = dt.q_sample(s, x0_pt, k - 1, generator=torch.Generator().manual_seed(2))
x2 = dt.q_step_sample(s, x1, k, generator=torch.Generator().manual_seed(3))
fwd = dt.q_step_log_prob(s, x2, x1, k)              # log q(x_2 | x_1, x_0) = log q(x_2 | x_1)
post = dt.q_posterior_log_prob(s, x1, x2, x0_pt, k)  # log q(x_1 | x_2, x_0)
bayes = dt.q_log_prob(s, x1, x0_pt, k - 1) - dt.q_log_prob(s, x2, x0_pt, k)
print(f"t=2: variance beta_t = {s.betas[k].item():.3e}, beta_tilde_t = {s.posterior_variance[k].item():.3e}, ratio {(s.betas[k] / s.posterior_variance[k]).item():.2f}")
print(f"log q(x_2 | x_1, x_0) = {fwd.item():.2f}   log q(x_1 | x_2, x_0) = {post.item():.2f}")
print(f"gap = log q(x_1|x_0) - log q(x_2|x_0) (Bayes, to 1e-9): {abs((post - fwd - bayes).item()) < 1e-9}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (d) "DDIM's forward is exactly DDPM's" — only at $\sigma_t^2=\tilde\beta_t$
#
# The note opens its forward section with "결론부터 말하자면, 위의 DDIM의 forward 식은 DDPM과 완전히 일치한다". What every $q_\sigma$
# shares with DDPM is the marginals $q(x_t\mid x_0)$ (Lemma 1). The forward conditionals are not shared: by Bayes' rule, $q_\sigma(x_t\mid x_{t-1},x_0)$
# (Eq. 8) is Gaussian with a mean $a\,x_{t-1}+b\,x_0$. DDPM's step has $a=\sqrt{\alpha_t}$, $b=0$ and variance $\beta_t$. We compute $a$, $b$ and
# the variance for three η. Only at η = 1 ($\sigma_t^2=\tilde\beta_t$) does $x_0$ drop out; at η = 0 the step depends on $x_0$ — that
# dependence, not the $x_0$ in the reverse factors, is what the paper calls non-Markovian (lecture 02).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (d) "DDIM의 forward는 DDPM과 완전히 일치한다" — $\sigma_t^2=\tilde\beta_t$일 때만
#
# 노트는 forward 절을 "결론부터 말하자면, 위의 DDIM의 forward 식은 DDPM과 완전히 일치한다"로 엽니다. 모든 $q_\sigma$가 DDPM과 공유하는 것은
# 주변분포(marginal distribution) $q(x_t\mid x_0)$입니다(보조정리 1(Lemma 1)). 순방향 조건부 분포(conditional distribution)는 공유하지 않습니다.
# 베이즈 정리로 구한 $q_\sigma(x_t\mid x_{t-1},x_0)$(Eq. 8)는 평균이 $a\,x_{t-1}+b\,x_0$인 가우시안입니다. DDPM의 스텝은 $a=\sqrt{\alpha_t}$, $b=0$, 분산 $\beta_t$입니다.
# 세 가지 η에서 $a$, $b$, 분산을 계산해 보겠습니다. η = 1($\sigma_t^2=\tilde\beta_t$)에서만 $x_0$가 빠집니다. η = 0에서는 스텝이 $x_0$에 기댑니다.
# 논문이 비마르코프(non-Markovian)라고 부르는 것은 바로 이 의존성입니다. 역방향 인자에 $x_0$가 들어간다는 점이 아닙니다(02강).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for k in (1, 499):  # paper t = 2 and t = 500
    print(f"t={k + 1}: DDPM  a = sqrt(alpha_t) = {s.alphas[k].sqrt().item():.4f}, |b| = 0, variance/beta_t = 1")
    for eta in (0.0, 0.5, 1.0):
        a_, b_, var = dt.q_sigma_forward_step(s, k, eta * s.posterior_variance[k].sqrt().item())
        print(f"   eta={eta}: a = {a_:.4f}, |b| = {abs(b_):.4f}, variance/beta_t = {var / s.betas[k].item():.4f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (e) "2. 샘플링": the posterior mean without its noise is not DDIM at η = 0
#
# In "2. 샘플링" the note takes the true posterior $q(x_{t-1}\mid x_t,x_0)$, keeps only its mean $\mu_q$, writes $\epsilon_\theta$ into it
# (with the true $x_0$ the term is $(x_t-\sqrt{\bar\alpha_t}x_0)/\sqrt{1-\bar\alpha_t}$, the true noise; $\epsilon_\theta$ appears only once $\hat x_0$ is put in),
# and later writes $x_{t-1}=\tilde\mu_t(x_t,\hat x_0)$. That sampler is DDPM's mean with the noise dropped:
# $$x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}\;\epsilon_\theta ,$$
# because the true posterior's σ is fixed at $\sigma_t^2=\tilde\beta_t$. DDIM at η = 0 uses the mean of a **different** member of the family,
# $q_{\sigma=0}$, whose direction coefficient is $\sqrt{1-\bar\alpha_{t-1}}$. The mean of $q_\sigma(x_{t-1}\mid x_t,x_0)$ (Eq. 7) depends on σ;
# setting σ = 0 is a choice of the forward family, not a matter of dropping the noise afterwards. Both coefficients, and the means of $q_\sigma$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (e) "2. 샘플링": 노이즈를 뺀 사후 평균은 η = 0인 DDIM이 아닙니다
#
# "2. 샘플링"에서 노트는 진짜 사후분포 $q(x_{t-1}\mid x_t,x_0)$의 평균 $\mu_q$만 남기고, 거기에 $\epsilon_\theta$를 적습니다
# (진짜 $x_0$가 있으면 그 자리는 $(x_t-\sqrt{\bar\alpha_t}x_0)/\sqrt{1-\bar\alpha_t}$, 즉 진짜 노이즈입니다. $\epsilon_\theta$는 $\hat x_0$를 넣은 뒤에야 나옵니다).
# 그리고 뒤에서 $x_{t-1}=\tilde\mu_t(x_t,\hat x_0)$로 씁니다. 이 샘플러는 노이즈를 뺀 DDPM의 평균입니다.
# $$x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}\;\epsilon_\theta .$$
# 진짜 사후분포의 σ는 $\sigma_t^2=\tilde\beta_t$로 정해져 있기 때문입니다. η = 0인 DDIM은 분포족의 **다른** 구성원 $q_{\sigma=0}$의 평균을 쓰고,
# 그 방향 계수는 $\sqrt{1-\bar\alpha_{t-1}}$입니다. $q_\sigma(x_{t-1}\mid x_t,x_0)$의 평균(Eq. 7)은 σ에 기댑니다. σ = 0은 순방향 분포족을 고르는 일이지,
# 나중에 노이즈를 지우는 일이 아닙니다. 두 계수와 $q_\sigma$의 평균을 찍어 보겠습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for k in (1, 99):  # paper t = 2 and t = 100, consecutive steps
    ab_t, ab_prev = s.alphas_cumprod[k].item(), s.alphas_cumprod[k - 1].item()
    note = dt.ddim_coefficients(ab_t, ab_prev, eta=1.0)["eps"]  # sqrt(1 - alpha_bar_(t-1) - beta_tilde_t)
    ddim = dt.ddim_coefficients(ab_t, ab_prev, eta=0.0)["eps"]  # sqrt(1 - alpha_bar_(t-1))
    print(f"t={k + 1}: direction coefficient: note's mu_tilde {note:.4f}, DDIM eta=0 {ddim:.4f}, ratio {note / ddim:.3f}")
x_t = dt.q_sample(s, x0_pt, 1, generator=torch.Generator().manual_seed(4))
for eta in (0.0, 0.5, 1.0):
    m, _ = dt.q_sigma_posterior_mean_variance(s, x0_pt, x_t, 1, eta * s.posterior_variance[1].sqrt().item())
    print(f"t=2, eta={eta}: mean of q_sigma(x_1 | x_2, x_0) = {m[0].numpy().round(4)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Does the difference matter for samples? On consecutive steps at large $t$ the two coefficients are close (ratio 0.99 at $t=100$).
# With 50 skipping steps they are not, because $\tilde\beta$ of a jump is large. We run the note's recipe — Eq. 12 at η = 1 with the
# noise set to zero — against DDIM at η = 0 from the same $x_T$, on the exact ring (modes of standard deviation 0.1). The note's recipe
# pulls samples toward the mode centres: its spread around the nearest mode falls to about 0.06, while DDIM keeps most of it (about 0.09 against 0.1 for a data sample).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 샘플에서도 차이가 날까요? $t$가 큰 연속 스텝에서는 두 계수가 가깝습니다($t=100$에서 비율 0.99). 스텝을 건너뛰는 50스텝에서는
# 점프의 $\tilde\beta$가 커서 다릅니다. 노트의 방법, 즉 노이즈를 0으로 둔 η = 1의 Eq. 12를, 같은 $x_T$에서 η = 0인 DDIM과 비교합니다.
# 정확한 고리(각 모드의 표준편차 0.1)에서 돌립니다. 노트의 방법은 샘플을 모드 중심으로 끌어당깁니다. 가장 가까운 모드 둘레의 퍼짐이
# 0.06 정도로 줄어듭니다. DDIM은 퍼짐을 거의 지킵니다(데이터 표본의 0.1에 비해 약 0.09).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
zeros = [torch.zeros_like(x_T)] * len(tau)
note_recipe = dt.sample_ddim(ring, x_T, s, tau, eta=1.0, noise=zeros, progress=False)  # mu_tilde(x_t, x0_hat), no noise
def spread(x):  # RMS distance to the nearest mode, per coordinate (the data: 0.1)
    d2 = ((x[:, None, :] - ring.means[None]) ** 2).sum(-1).min(dim=1).values
    return (d2.mean() / 2).sqrt().item()
print(f"spread around the modes (data 0.1): note's recipe {spread(note_recipe):.3f}, DDIM eta=0 {spread(right):.3f}, "
      f"data sample {spread(ref):.3f}")
print(f"sliced W1 to the data: note's recipe {sliced_wasserstein(note_recipe, ref):.3f}, DDIM eta=0 {sliced_wasserstein(right, ref):.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## (f) Smaller slips
#
# - **The skip step** writes $x_{\tau_{k-1}}\sim p_\theta(x_{\tau_{k-1}}\mid x_{\tau_k})\approx q(x_{\tau_{k-1}}\mid x_{\tau_k},x_0)$. The factor is
#   $q_\sigma$ of the jump, with σ from Eq. 16 evaluated at $(\bar\alpha_{\tau_k},\bar\alpha_{\tau_{k-1}})$. The $q$ the note writes has a meaning
#   across a jump: it is DDPM's posterior of the respaced chain, which is exactly $q_\sigma$ at $\eta=1$ (lecture 05's sympy section proves
#   this in sympy and checks it to $10^{-10}$). The slip is which member: the note writes the $\eta=1$ member, while the DDIM
#   sampler it describes uses $\sigma=0$, whose factor is the point mass of Eq. 12 with no noise term.
# - **The answer to "(\*)은 Markovian을 가정하고 전개한거 아닌가요?"** says non-Markovian refers to $x_0$ in the reverse factors. (\*) is indeed
#   DDPM's Bayes step and uses DDPM's Markov property legitimately; but the paper's "non-Markovian" is about the forward conditional
#   $q_\sigma(x_t\mid x_{t-1},x_0)$ depending on $x_0$ — the $|b|>0$ of (d). DDIM does not derive its reverse factors from (\*); it defines them (Eq. 7).
# - **DDPM's sampling formula** $\mu_\theta=\frac{1}{\sqrt{\alpha_t}}\big(x_t-\frac{1-\alpha_t}{\sqrt{1-\bar\alpha_t}}\epsilon_\theta\big)$ is right, in DDPM's notation; it is a
#   reminder that the note switches dialect between sections.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## (f) 작은 실수들
#
# - **건너뛰기 스텝**은 $x_{\tau_{k-1}}\sim p_\theta(x_{\tau_{k-1}}\mid x_{\tau_k})\approx q(x_{\tau_{k-1}}\mid x_{\tau_k},x_0)$로 적혀 있습니다. 이 인자는 점프에 대한 $q_\sigma$이고,
#   σ는 $(\bar\alpha_{\tau_k},\bar\alpha_{\tau_{k-1}})$에서 계산한 Eq. 16입니다. 노트가 쓴 $q$는 점프를 건너서도 뜻이 있습니다.
#   간격을 다시 잡은 DDPM 체인의 사후분포이고, 이것은 정확히 $\eta=1$의 $q_\sigma$입니다(05강의 sympy 절이 sympy로 증명하고 $10^{-10}$까지 확인합니다).
#   실수는 어느 구성원을 골랐느냐에 있습니다. 노트는 $\eta=1$의 구성원을 적었지만, 노트가 설명하는 DDIM 샘플러는 $\sigma=0$을 씁니다.
#   $\sigma=0$의 인자는 노이즈 항이 없는 Eq. 12의 한 점 분포입니다.
# - **"(\*)은 Markovian을 가정하고 전개한거 아닌가요?"에 대한 답**은 비마르코프가 역방향 인자의 $x_0$ 때문이라고 합니다. (\*)은 실제로
#   DDPM의 베이즈 스텝이고, DDPM의 마르코프 성질을 정당하게 씁니다. 하지만 논문의 "비마르코프"는 순방향 조건부 분포
#   $q_\sigma(x_t\mid x_{t-1},x_0)$가 $x_0$에 기댄다는 뜻입니다. (d)의 $|b|>0$이 그것입니다. DDIM은 역방향 인자를 (\*)에서 유도하지 않고, 정의합니다(Eq. 7).
# - **DDPM의 샘플링 식** $\mu_\theta=\frac{1}{\sqrt{\alpha_t}}\big(x_t-\frac{1-\alpha_t}{\sqrt{1-\bar\alpha_t}}\epsilon_\theta\big)$는 DDPM 표기로 옳습니다.
#   노트가 절마다 말투를 바꾼다는 것을 보여 주는 예입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore: each erratum as a toggle
#
# Pick an erratum and flip between the note's formula and the corrected one. Both are run from the same $x_T$ (500 points, exact ring
# denoiser), so what changes in the picture is the formula and nothing else. The status line gives both sliced Wasserstein distances to the data
# and the floor (a second data sample against the first).
# - **(a)** $\alpha_t$ read as DDPM's per-step $\alpha_t$ where $\bar\alpha_t$ belongs, in $\hat x_0$ and in the update (`errata.sample_ddim_literal_alpha`).
# - **(e)** the note's "2. 샘플링": the posterior mean $\tilde\mu(x_t,\hat x_0)$ with the noise left out, that is Eq. 12 at η = 1 with $z=0$, against DDIM at η = 0.
#
# **Try this.**
# 1. On (a), flip the toggle: the note's samples do not land on the ring at all. Read the two distances against the floor.
# 2. On (e), flip it at S = 50, then at S = 10. The note's recipe pulls the points to the mode centres; at which S is the gap larger, and why (lecture 04: $\tilde\beta$ of a long jump)?
# 3. Change the seed: the distances move by a few thousandths; the gap of (a) does not.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 정오표 항목을 하나씩 켜고 끄기
#
# 정오표 항목을 고르고, 노트의 식과 바로잡은 식 사이를 오가 보세요. 두 식은 같은 $x_T$(점 500개, 정확한 고리 디노이저)에서 출발합니다.
# 그래서 그림에서 바뀌는 것은 식뿐입니다. 상태 줄에는 데이터까지의 sliced Wasserstein 거리 두 개와 바닥값(데이터 표본 둘 사이의 거리)이 나옵니다.
# - **(a)** $\bar\alpha_t$ 자리에 DDPM의 한 스텝 $\alpha_t$를 넣은 식입니다. $\hat x_0$와 업데이트 모두에 넣습니다(`errata.sample_ddim_literal_alpha`).
# - **(e)** 노트의 "2. 샘플링"입니다. 노이즈를 뺀 사후 평균 $\tilde\mu(x_t,\hat x_0)$, 곧 $z=0$인 η = 1의 Eq. 12를 η = 0인 DDIM과 비교합니다.
#
# **이렇게 해 보세요.**
# 1. (a)에서 토글을 바꿔 보세요. 노트의 샘플은 고리에 전혀 내려앉지 않습니다. 두 거리를 바닥값과 비교해 읽으세요.
# 2. (e)에서 S = 50일 때 바꿔 보고, S = 10에서 다시 바꿔 보세요. 노트의 방법은 점을 모드 중심으로 끌어당깁니다. 어느 S에서 차이가 더 클까요? 왜 그럴까요(04강: 긴 점프의 $\tilde\beta$)?
# 3. 시드를 바꿔 보세요. 거리는 천분의 몇만큼 움직이지만, (a)의 차이는 그대로입니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.theory_widgets import ErrataExplorer
ErrataExplorer(erratum="a", version="note", S=50, seed=0)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - Right in the note: $\hat x_0$ (Eq. 9, paper notation), both forms of the posterior mean, the telescoping, DDPM's $\mu_\theta$.
# - (a) α for ᾱ: literal $\hat x_0$ keeps most of the noise; the literal η = 0 sampler misses the ring; under "So what's the benefit?" the
#   literal root is negative for 650 of 999 times.
# - (b) The speed-up is $T/N$: 50 network calls instead of 1000.
# - (c) $q(x_t\mid x_{t-1},x_0)$ is not the posterior: at $t=2$ the variances differ by a factor 2.2 and the log-densities by the Bayes term.
# - (d) DDIM's forward conditional equals DDPM's only at $\sigma_t^2=\tilde\beta_t$; the marginals are what every $q_\sigma$ shares.
# - (e) $\tilde\mu_t(x_t,\hat x_0)$ without noise is not DDIM: $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}$ against $\sqrt{1-\bar\alpha_{t-1}}$, and it shrinks the ring's modes.
#
# Next: [10 · ODE solvers](10_ode_solvers.ipynb). Back to the start: [00 · Start here](00_start_here.ipynb).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - 노트가 맞은 것: $\hat x_0$(Eq. 9, 논문 표기), 사후 평균의 두 형태, 텔레스코핑, DDPM의 $\mu_\theta$.
# - (a) $\bar\alpha$ 자리의 α: 글자 그대로의 $\hat x_0$는 노이즈 대부분을 남깁니다. 글자 그대로의 η = 0 샘플러는 고리를 빗나갑니다.
#   "So what's the benefit?" 아래 식은 999개 시점 중 650개에서 제곱근 안이 음수입니다.
# - (b) 속도 향상은 $T/N$입니다. 네트워크 호출이 1000번에서 50번으로 줍니다.
# - (c) $q(x_t\mid x_{t-1},x_0)$는 사후분포가 아닙니다. $t=2$에서 분산이 2.2배 다르고, 로그 밀도는 베이즈 항만큼 다릅니다.
# - (d) DDIM의 순방향 조건부 분포는 $\sigma_t^2=\tilde\beta_t$일 때만 DDPM과 같습니다. 모든 $q_\sigma$가 공유하는 것은 주변분포입니다.
# - (e) 노이즈를 뺀 $\tilde\mu_t(x_t,\hat x_0)$는 DDIM이 아닙니다. $\sqrt{1-\bar\alpha_{t-1}-\tilde\beta_t}$ 대 $\sqrt{1-\bar\alpha_{t-1}}$이고, 고리의 모드를 좁힙니다.
#
# 다음: [10 · ODE 솔버](10_ode_solvers.ipynb). 처음으로: [00 · 시작하기](00_start_here.ipynb).
