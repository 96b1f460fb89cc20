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
# # 05 · Skipping steps
#
# DDPM was run with $T=1000$ network calls per sample. DDIM gets good samples from 50, 20, even 10 calls. Why not run
# DDPM with fewer? Not because DDPM walks a Markov chain and DDIM does not: **every sampler in this course is Markov
# in $x_t$**, DDIM included (each step reads only the current $x_t$). "Non-Markovian" is a property of the *inference*
# process $q_\sigma$ of lecture 02, the process the network's training is matched to, not of the sampler. DDPM can
# skip steps too (the cell after the sympy check below runs it on a 10-step $\tau$); it was run with 1,000 steps because its chain, with
# $\sigma_t^2=\tilde\beta_t$, degrades fast when respaced: on the exact ring it is 24.0 at $S=10$ against 0.3 at
# $S=1000$, and 5.1 ± 1.6 worse than DDIM at $S=10$ (the table that same cell prints). This lecture shows why that is allowed
# (Sec. 4.2 of the paper), what the sub-sequence $\tau$ looks like, and what it costs, counted and timed.
#
# **Learning goals.** After this lecture you can
# - explain why the update of lecture 04 may jump from $\tau_i$ to $\tau_{i-1}$: the marginals on a sub-sequence;
# - check that claim numerically with a test that could fail, with relative errors for every $\tau_i$;
# - build the "leading" spacing of $\tau$ by hand, and read the other spacings;
# - count the network calls (NFE) of a sampler, and explain why wall time need not fall by exactly $T/S$.
#
# **Prerequisites.** Lecture 04 (Eq. 12 and its variance bookkeeping); lecture 02 (Lemma 1, the marginals of $q_\sigma$).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 05 · 스텝 건너뛰기
#
# DDPM은 샘플 하나에 네트워크를 $T=1000$번 불러서 돌렸습니다. DDIM은 50번, 20번, 심지어 10번만 불러도 좋은 샘플을 얻습니다.
# 그렇다면 DDPM은 왜 더 적게 부르지 않았을까요? DDPM은 마르코프 체인을 걷고 DDIM은 그렇지 않아서가 아닙니다.
# **이 강의의 모든 샘플러는 $x_t$에 대해 마르코프입니다.** DDIM도 마찬가지로, 스텝마다 지금의 $x_t$만 읽습니다.
# "비마르코프"는 샘플러의 성질이 아니라, 02강에서 본 추론 과정(inference process) $q_\sigma$의 성질입니다.
# DDPM도 스텝을 건너뛸 수 있습니다(아래 sympy 확인 다음 셀이 10스텝짜리 $\tau$에서 돌립니다). 그래도 1,000스텝으로 돌린 이유는,
# $\sigma_t^2=\tilde\beta_t$인 DDPM 체인이 간격을 다시 잡으면 품질이 빠르게 나빠지기 때문입니다. 정확한 고리에서
# $S=1000$의 0.3이 $S=10$에서는 24.0이 되고, $S=10$에서 DDIM보다 5.1 ± 1.6만큼 나쁩니다(같은 셀이 출력하는 표). 이번 강의에서는 그것이 왜 허용되는지(논문 Sec. 4.2),
# 부분 수열 $\tau$가 어떻게 생겼는지, 그리고 비용이 얼마인지 세어 보고 재 봅니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - 04강의 업데이트가 $\tau_i$에서 $\tau_{i-1}$로 건너뛰어도 되는 이유를 부분 수열 위의 주변분포로 설명합니다.
# - 그 주장이 틀렸다면 걸러 낼 수 있는 검사, 곧 모든 $\tau_i$에서 잰 상대 오차로 확인합니다.
# - "leading" 간격의 $\tau$를 손으로 만들고, 다른 간격도 읽습니다.
# - 샘플러의 네트워크 호출 횟수를 세고, 실제 시간이 정확히 $T/S$배 줄지는 않는 이유를 설명합니다.
#
# **선수 지식.** 04강(Eq. 12와 분산 장부), 02강(보조정리 1(Lemma 1), $q_\sigma$의 주변분포).

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
# ## The question
#
# > **The note asks:** "중간 스텝을 어떻게 건너뛸 수 있는걸까?" — how can skipping steps keep DDPM's quality?
#
# To cut to the chase: the network never learned the chain. It learned, for every $t$, to denoise inputs drawn
# from the marginal $q(x_t\mid x_0)$. Any route from $x_T$ to $x_0$ that visits only such marginals feeds the network
# exactly the kind of input it was trained on. The route between two visited noise levels is ours to choose.
#
# Think of the marginals as the floors of a building, and the network as a guide who knows every floor.
# DDPM takes the stairs, one floor per step. DDIM may take the lift and stop at floors $\tau_S,\dots,\tau_1$ only:
# the guide still knows each floor it stops at.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 질문
#
# > **노트의 질문:** "중간 스텝을 어떻게 건너뛸 수 있는걸까?" 건너뛰어도 DDPM의 품질이 유지되는 이유는 무엇일까요?
#
# 결론부터 말하자면, 네트워크는 체인을 배운 적이 없습니다. 각 $t$마다 주변분포(marginal distribution) $q(x_t\mid x_0)$에서
# 뽑은 입력을 디노이징하는 법을 배웠을 뿐입니다. $x_T$에서 $x_0$까지 가는 길이 그런 주변분포만 지난다면,
# 네트워크는 학습 때와 똑같은 종류의 입력을 받습니다. 두 노이즈 수준 사이를 어떻게 지나갈지는 우리가 정합니다.
#
# 주변분포를 건물의 층이라고 생각해 보겠습니다. 네트워크는 모든 층을 아는 안내인입니다.
# DDPM은 계단으로 한 층씩 내려갑니다. DDIM은 엘리베이터를 타고 $\tau_S,\dots,\tau_1$ 층에만 섭니다.
# 안내인은 엘리베이터가 서는 층도 모두 압니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Derivation: the marginals on a sub-sequence (Sec. 4.2)
#
# Pick an increasing sub-sequence $\tau_1<\tau_2<\dots<\tau_S=T$ of $1,\dots,T$. Define the same family as Eq. 7, but
# only between neighbours of $\tau$:
# $$q_{\sigma,\tau}(x_{\tau_{i-1}}\mid x_{\tau_i},x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{\tau_{i-1}}}\,x_0+\sqrt{1-\bar\alpha_{\tau_{i-1}}-\sigma_{\tau_i}^2}\cdot\frac{x_{\tau_i}-\sqrt{\bar\alpha_{\tau_i}}\,x_0}{\sqrt{1-\bar\alpha_{\tau_i}}},\ \sigma_{\tau_i}^2I\Big).$$
# **Claim.** If $x_{\tau_i}\sim q(x_{\tau_i}\mid x_0)$, then $x_{\tau_{i-1}}\sim q(x_{\tau_{i-1}}\mid x_0)$.
#
# **Step 1 (lecture 04's bookkeeping, with any pair).** Write $t=\tau_i$ and $s=\tau_{i-1}$. The mean of $x_s$ is
# $\sqrt{\bar\alpha_s}x_0$ and its variance is $k^2(1-\bar\alpha_t)+\sigma_t^2=1-\bar\alpha_s$. Neither line used
# $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$: only two numbers $\bar\alpha_t<\bar\alpha_s$. So the step from $t$ to $s$ keeps the marginal, whatever the gap.
#
# **Step 2 (induction from the top).** Start with $x_{\tau_S}\sim q(x_T\mid x_0)$. By Step 1, each jump passes the right
# marginal on to the next $\tau$. So every $x_{\tau_i}$ has the marginal DDPM's training used (the argument of Lemma 1, on $\tau$).
#
# **Step 3 (replace $x_0$ by $\hat x_0$).** As in lecture 04 this turns the mean into Eq. 12 with $\bar\alpha_{\tau_i},\bar\alpha_{\tau_{i-1}}$ in place of $\bar\alpha_t,\bar\alpha_{t-1}$.
# Theorem 1 says the same network serves this shorter process: its training objective only involves the marginals.
#
# **What Theorem 1 needs on $\tau$ (Appendix C.1).** Theorem 1 speaks of processes over *all* of $x_{1:T}$, so the paper
# completes the short chain with the left-out times $\bar\tau=\{1,\dots,T\}\setminus\tau$, each hung on $x_0$ alone:
# $$q_{\sigma,\tau}(x_{1:T}\mid x_0)=q_{\sigma,\tau}(x_{\tau_S}\mid x_0)\prod_{i=1}^{S}q_{\sigma,\tau}(x_{\tau_{i-1}}\mid x_{\tau_i},x_0)\prod_{t\in\bar\tau}q_{\sigma,\tau}(x_t\mid x_0),$$
# with $q_{\sigma,\tau}(x_t\mid x_0)=q(x_t\mid x_0)$, and the generative process gets the matching factors $p_\theta^{(t)}(x_0\mid x_t)$ for
# $t\in\bar\tau$. The $\bar\tau$ factors are never sampled; they make the variational objective a sum over *every* $t$ of
# terms that are again weighted $\epsilon$-matching losses, and that is what lets Theorem 1 say one network serves every $\tau$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 유도: 부분 수열 위의 주변분포 (Sec. 4.2)
#
# $1,\dots,T$에서 증가하는 부분 수열(sub-sequence) $\tau_1<\tau_2<\dots<\tau_S=T$를 고릅니다. Eq. 7과 같은 분포족을 정의하되,
# $\tau$에서 이웃한 두 값 사이에만 둡니다.
# $$q_{\sigma,\tau}(x_{\tau_{i-1}}\mid x_{\tau_i},x_0)=\mathcal N\Big(\sqrt{\bar\alpha_{\tau_{i-1}}}\,x_0+\sqrt{1-\bar\alpha_{\tau_{i-1}}-\sigma_{\tau_i}^2}\cdot\frac{x_{\tau_i}-\sqrt{\bar\alpha_{\tau_i}}\,x_0}{\sqrt{1-\bar\alpha_{\tau_i}}},\ \sigma_{\tau_i}^2I\Big).$$
# **주장.** $x_{\tau_i}\sim q(x_{\tau_i}\mid x_0)$이면 $x_{\tau_{i-1}}\sim q(x_{\tau_{i-1}}\mid x_0)$입니다.
#
# **1단계 (04강의 분산 장부를 아무 쌍에나).** $t=\tau_i$, $s=\tau_{i-1}$로 씁니다. $x_s$의 평균은 $\sqrt{\bar\alpha_s}x_0$이고
# 분산은 $k^2(1-\bar\alpha_t)+\sigma_t^2=1-\bar\alpha_s$입니다. 두 줄 모두 $\bar\alpha_t=\alpha_t\bar\alpha_{t-1}$을 쓰지 않았습니다.
# 필요한 것은 두 수 $\bar\alpha_t<\bar\alpha_s$뿐입니다. 그러니 간격이 얼마든 $t$에서 $s$로 가는 스텝은 주변분포를 지킵니다.
#
# **2단계 (위에서부터 귀납법).** $x_{\tau_S}\sim q(x_T\mid x_0)$에서 시작합니다. 1단계에 따라 건너뛸 때마다 올바른 주변분포가
# 다음 $\tau$로 넘어갑니다. 그래서 모든 $x_{\tau_i}$가 DDPM 학습에 쓰인 주변분포를 가집니다($\tau$ 위에서 한 보조정리 1의 논증).
#
# **3단계 ($x_0$를 $\hat x_0$로).** 04강처럼 평균이 Eq. 12가 됩니다. 다만 $\bar\alpha_t,\bar\alpha_{t-1}$ 자리에 $\bar\alpha_{\tau_i},\bar\alpha_{\tau_{i-1}}$이 들어갑니다.
# 정리 1(Theorem 1)에 따르면 이 짧은 과정에도 같은 네트워크를 쓸 수 있습니다. 학습 목적 함수에는 주변분포만 나오기 때문입니다.
#
# **$\tau$ 위에서 정리 1이 필요로 하는 것 (부록 C.1).** 정리 1은 $x_{1:T}$ *전체*에 걸친 과정을 다룹니다. 그래서 논문은 짧은 체인에
# 빠진 시각 $\bar\tau=\{1,\dots,T\}\setminus\tau$를 채워 넣고, 그 각각을 $x_0$에만 매답니다.
# $$q_{\sigma,\tau}(x_{1:T}\mid x_0)=q_{\sigma,\tau}(x_{\tau_S}\mid x_0)\prod_{i=1}^{S}q_{\sigma,\tau}(x_{\tau_{i-1}}\mid x_{\tau_i},x_0)\prod_{t\in\bar\tau}q_{\sigma,\tau}(x_t\mid x_0)$$
# 여기서 $q_{\sigma,\tau}(x_t\mid x_0)=q(x_t\mid x_0)$이고, 생성 과정에도 $t\in\bar\tau$마다 짝이 되는 인자 $p_\theta^{(t)}(x_0\mid x_t)$가 붙습니다.
# $\bar\tau$의 인자는 샘플링에 쓰이지 않습니다. 이 인자들 덕분에 변분 목적 함수가 *모든* $t$에 대한 항의 합이 되고, 각 항이 다시
# 가중치가 붙은 $\epsilon$ 맞추기 손실이 됩니다. 그래서 정리 1이 네트워크 하나로 모든 $\tau$를 다룰 수 있다고 말할 수 있습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the marginals on the subsequence τ are the training marginals, so the trained ε_θ applies unchanged.
# Show the lines one at a time (→). Ask: "What did we need from training? Only q(x_t | x_0) at the τ's."
# Time: 6 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 부분 수열 τ 위의 주변분포는 학습 때의 주변분포와 같습니다. 그래서 학습한 ε_θ를 그대로 씁니다.
# 줄을 →로 하나씩 보여 줍니다. 물어볼 것: "학습에서 무엇이 필요했나요? τ에서의 q(x_t | x_0)뿐입니다."
# 시간: 6분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### sympy: the bookkeeping for an arbitrary jump
# Steps 1–2 below are lecture 04's two lines with free symbols $\bar\alpha_t,\bar\alpha_s$ (no $\alpha_t$ anywhere).
# Steps 3–4 look at $\eta=1$ on a jump, with $\sigma^2$ from Eq. 16: the number under the root,
# $1-\bar\alpha_s-\sigma^2=\bar\alpha_t(1-\bar\alpha_s)^2/(\bar\alpha_s(1-\bar\alpha_t))$, is never negative, and $\sigma^2$ is the $\tilde\beta$ of a
# "respaced" DDPM chain with $\beta'=1-\bar\alpha_t/\bar\alpha_s$. So DDIM at $\eta=1$ on $\tau$ is DDPM on that shorter chain.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### sympy: 아무 간격에서나 분산 장부
# 아래 1–2단계는 04강의 두 줄을 자유 기호 $\bar\alpha_t,\bar\alpha_s$로 쓴 것입니다($\alpha_t$는 어디에도 없습니다).
# 3–4단계는 건너뛸 때 $\eta=1$(Eq. 16의 $\sigma^2$)을 봅니다. 루트 안의 수 $1-\bar\alpha_s-\sigma^2=\bar\alpha_t(1-\bar\alpha_s)^2/(\bar\alpha_s(1-\bar\alpha_t))$는
# 절대 음수가 되지 않습니다. 또 $\sigma^2$는 $\beta'=1-\bar\alpha_t/\bar\alpha_s$인 "간격을 다시 잡은" DDPM 체인의 $\tilde\beta$입니다.
# 그러니 $\tau$ 위에서 $\eta=1$인 DDIM은 그 짧은 체인의 DDPM입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
steps = sym.skip_step_steps()
sym.print_steps(steps)
print(f"all steps hold: {sym.all_zero(steps)}")

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ring, tau = dt.ring_of_gaussians(s), dt.make_timesteps(1000, 10, "leading")
x_T = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
a = dt.sample_ddim(ring, x_T, s, tau, eta=1.0, generator=torch.Generator().manual_seed(5), progress=False)
b = dt.sample_ddpm(ring, x_T, s, tau, generator=torch.Generator().manual_seed(5), progress=False)
print(f"S = 10: DDIM(eta=1) on tau vs DDPM on the respaced chain, same noise: max |difference| < 1e-10: {(a - b).abs().max().item() < 1e-10}")
# why DDPM was run with 1,000 steps anyway: its respaced chain (eta = 1) loses quality fast as S falls.
# Lecture 06's Table 1 on the exact ring, MMD^2 x 1000 (lower is better), 5 shared seeds
from ddim_teach.experiments import tables as t1
res = t1.load_table1()
print("S       DDPM = eta 1     DDIM = eta 0     DDPM - DDIM (paired)")
for j, S_ in enumerate(res.S_list):
    ddpm, ddim = res.mmd["1"][j], res.mmd["0"][j]
    cells = [t1.mean_ci([1e3 * v for v in r]) for r in (ddpm, ddim, [u - w for u, w in zip(ddpm, ddim)])]
    print(f"{S_:<6}" + "".join(f"{'%.2f ± %.2f' % c:>17}" for c in cells))

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## A check that can fail
#
# Now the claim on numbers. Take one $x_0$, draw $n=20000$ samples of $x_{\tau_S}\sim q(x_{\tau_S}\mid x_0)$ and apply the jumps
# of $\tau$ = leading spacing with $S=10$ (jumps of 100 steps), using the true $x_0$ in Eq. 12 (so the true $\epsilon$ too).
# At every $\tau_i$ compare the sample variance with $1-\bar\alpha_{\tau_i}$ and the sample mean with $\sqrt{\bar\alpha_{\tau_i}}x_0$.
#
# The variances run from $1$ down to $10^{-4}$, so an *absolute* tolerance means nothing: the old version of this
# notebook allowed $0.03$, about 300 times the smallest variance ($1-\bar\alpha_1=10^{-4}$), and could not fail. We use errors that scale:
# - **variance:** the relative error $v/(1-\bar\alpha_{\tau_i})-1$;
# - **mean:** the error divided by its standard error $\sqrt{(1-\bar\alpha_{\tau_i})/n}$, a z-score per coordinate; the cell
#   prints the larger $|z|$ of the two coordinates.
#
# Monte Carlo noise sets the scale. With $n$ samples in 2 dimensions the relative error of a variance has
# standard deviation $\sqrt{1/n}=0.7\%$, and a z-score has standard deviation $1$. We pass at 4 standard deviations:
# relative error below $2.8\%$ and $|z|<4$ at every $\tau_i$.
#
# Read the $\eta=0$ rows with care: they repeat one number ten times. With the true $x_0$ and $\sigma=0$ every jump keeps
# the same $\epsilon$ (Eq. 12 rebuilds $x_{\tau_{i-1}}=\sqrt{\bar\alpha_{\tau_{i-1}}}x_0+\sqrt{1-\bar\alpha_{\tau_{i-1}}}\,\epsilon$ exactly), so all ten
# rows measure the same 20,000 draws of $\epsilon$: at $\eta=0$ this is one test, not ten. The $\eta=1$ rows draw fresh noise
# at every jump and are ten different tests.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 통과가 보장되지 않은 검사
#
# 이제 주장을 숫자로 확인합니다. $x_0$ 하나를 잡고 $x_{\tau_S}\sim q(x_{\tau_S}\mid x_0)$에서 $n=20000$개를 뽑습니다.
# 그리고 $S=10$인 leading 간격(100 스텝씩 건너뛰기)의 $\tau$를 따라 내려갑니다. Eq. 12에는 진짜 $x_0$(따라서 진짜 $\epsilon$)를 씁니다.
# 모든 $\tau_i$에서 표본 분산을 $1-\bar\alpha_{\tau_i}$와, 표본 평균을 $\sqrt{\bar\alpha_{\tau_i}}x_0$와 비교합니다.
#
# 분산은 $1$에서 $10^{-4}$까지 내려가므로 *절대* 허용 오차는 의미가 없습니다. 이 노트북의 옛 판은 $0.03$을 허용했습니다.
# 가장 작은 분산($1-\bar\alpha_1=10^{-4}$)의 약 300배이니, 그 검사는 실패할 수가 없었습니다. 그래서 크기에 맞춰 변하는 오차를 씁니다.
# - **분산:** 상대 오차 $v/(1-\bar\alpha_{\tau_i})-1$.
# - **평균:** 오차를 표준 오차 $\sqrt{(1-\bar\alpha_{\tau_i})/n}$로 나눈 좌표별 z 점수. 셀은 두 좌표 가운데 큰 $|z|$를 출력합니다.
#
# 기준은 몬테카를로 노이즈가 정합니다. 2차원에서 표본 $n$개로 구한 분산의 상대 오차는 표준편차가 $\sqrt{1/n}=0.7\%$이고,
# z 점수의 표준편차는 $1$입니다. 표준편차의 4배에서 자릅니다. 모든 $\tau_i$에서 상대 오차가 $2.8\%$ 미만이고 $|z|<4$이면 통과입니다.
#
# $\eta=0$의 줄은 조심해서 읽어야 합니다. 같은 숫자가 열 번 되풀이됩니다. 진짜 $x_0$를 쓰고 $\sigma=0$이면 모든 점프가 같은 $\epsilon$을 지킵니다
# (Eq. 12가 $x_{\tau_{i-1}}=\sqrt{\bar\alpha_{\tau_{i-1}}}x_0+\sqrt{1-\bar\alpha_{\tau_{i-1}}}\,\epsilon$을 정확히 다시 만듭니다).
# 그래서 열 줄 모두 같은 $\epsilon$ 2만 개를 잽니다. $\eta=0$에서는 검사 열 번이 아니라 한 번입니다.
# $\eta=1$의 줄은 점프마다 새 노이즈를 뽑으므로 서로 다른 검사 열 번입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
n, x0_point = 20000, torch.tensor([0.7, -1.0])
for eta in (0.0, 1.0):
    rows = dt.q_sigma_subsequence_marginals(s, tau, x0_point, eta=eta, n_samples=n, generator=torch.Generator().manual_seed(0))
    rel = [v / target - 1 for _, v, target, _ in rows]
    z = [err / (target / n) ** 0.5 for _, _, target, err in rows]
    print(f"eta = {eta}: tau (paper t) = {[k + 1 for k, *_ in rows]}")
    print(f"  variance rel. error (%): {[round(100 * r, 1) for r in rel]}")
    print(f"  max |z| of 2 coordinates: {[round(v, 1) for v in z]}")
    print(f"  all |rel| < 2.8% and |z| < 4: {max(map(abs, rel)) < 0.028 and max(z) < 4}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### And it does fail on a wrong step
# A check is only worth something if a wrong step fails it. Propagate the exact mean and variance along $\tau$
# (no sampling), once with Eq. 12 and once with the classic slip of lecture 04: the $\eta=0$ weight
# $\sqrt{1-\bar\alpha_{\tau_{i-1}}}$ kept while adding noise $\sigma_{\tau_i}$ at $\eta=1$. The slip adds $\sigma^2$ of variance at every jump;
# with jumps of 100 steps that is large.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 틀린 스텝에서는 실제로 실패합니다
# 검사는 틀린 스텝을 잡아낼 때만 가치가 있습니다. $\tau$를 따라 평균과 분산을 샘플링 없이 정확히 전파해 봅니다.
# 한 번은 Eq. 12로, 한 번은 04강의 흔한 실수로 합니다. $\eta=1$로 노이즈 $\sigma_{\tau_i}$를 더하면서 $\eta=0$의 무게 $\sqrt{1-\bar\alpha_{\tau_{i-1}}}$를 그대로 쓰는 실수입니다.
# 이 실수는 건너뛸 때마다 분산을 $\sigma^2$만큼 더 붙입니다. 100 스텝씩 건너뛰면 그 양이 큽니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ab = lambda k: s.alphas_cumprod[k].item()
for label, wrong in (("Eq. 12", False), ("wrong weight", True)):
    var, worst = 1 - ab(tau[0]), 0.0
    for t, t_prev in zip(tau[:-1].tolist(), tau[1:].tolist()):
        sig2 = dt.ddim_sigma(ab(t), ab(t_prev), 1.0) ** 2
        k2 = (1 - ab(t_prev) - (0.0 if wrong else sig2)) / (1 - ab(t))
        var = k2 * var + sig2
        worst = max(worst, abs(var / (1 - ab(t_prev)) - 1))
    print(f"{label:>13s}: max relative variance error over tau = {worst:.1e}" if worst > 1e-12 else f"{label:>13s}: max relative variance error over tau < 1e-12")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The spacings of $\tau$
# How to choose $\tau$? The paper uses two rules (Appendix D.2): **uniform** (the official code: $0,k,2k,\dots$ with
# $k=\lfloor T/S\rfloor$) and **quad** (quadratically spaced, denser near $t=1$). diffusers names three:
# **leading** ($\tau$ starts at the bottom: $t=1,1+k,\dots$), **trailing** (it ends at the top, $t=T$), and
# **linspace** (evenly from $1$ to $T$, rounded). Where a published formula returns the wrong number of steps, the
# package repairs it (`ddim_teach/timesteps.py`). Note that leading never visits $t=T$: with $S=10$ its first step is
# $t=901$, so it starts from $x_T$ as if it were $x_{901}$. Lecture 06 shows when that matters.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $\tau$의 간격
# $\tau$는 어떻게 고를까요? 논문은 두 가지 규칙을 씁니다(Appendix D.2). **uniform**(공식 코드: $k=\lfloor T/S\rfloor$로 $0,k,2k,\dots$)과
# **quad**(제곱 간격, $t=1$ 근처가 촘촘함)입니다. diffusers는 세 가지 이름을 씁니다. **leading**($\tau$가 아래에서 시작: $t=1,1+k,\dots$),
# **trailing**(맨 위 $t=T$에서 끝남), **linspace**($1$부터 $T$까지 고르게, 반올림)입니다. 공개된 공식이 스텝 수를 틀리게 내는 경우에는
# 패키지가 고쳐 줍니다(`ddim_teach/timesteps.py`). leading 간격(spacing)은 $t=T$를 지나지 않는다는 점에 주의하세요. $S=10$이면 첫 스텝이 $t=901$이라서,
# $x_T$를 마치 $x_{901}$인 것처럼 두고 시작합니다. 그것이 언제 문제가 되는지는 06강에서 봅니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for spacing in dt.SPACINGS:
    paper_t = (dt.make_timesteps(1000, 10, spacing) + 1).tolist()
    print(f"{spacing:>9s}, S = 10: tau (paper t) = {paper_t}")

# %% slideshow={"slide_type": "-"}
fig, axes = plt.subplots(len(dt.SPACINGS), 2, figsize=(14, 7.5), layout="constrained")
for i, spacing in enumerate(dt.SPACINGS):
    for j, S in enumerate((10, 50)):
        plots.plot_tau(axes[i, j], dt.make_timesteps(1000, S, spacing).tolist(), 1000, spacing=spacing)
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The cost: $S$ network calls instead of $T$
#
# Each step of either sampler calls the network once, so a run over $\tau$ costs exactly $S$ network calls, the number
# of function evaluations (NFE). DDPM's costs $T$. The speed-up in calls is $T/S$. (The note writes $K/N$; in its own
# symbols the ratio is $T/N$.) We count the calls with a hook on the network's `forward`, rather than trusting the loop.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 비용: $T$번 대신 $S$번의 네트워크 호출
#
# 두 샘플러 모두 스텝마다 네트워크를 한 번 부릅니다. 그래서 $\tau$를 따라 한 번 돌면 네트워크 호출 횟수(number of function evaluations, NFE)가
# 정확히 $S$입니다. DDPM은 $T$번입니다. 호출 횟수로 본 속도 향상은 $T/S$배입니다. (노트는 $K/N$이라고 썼지만, 노트의 기호로는 $T/N$입니다.)
# 반복문을 믿는 대신 네트워크의 `forward`에 훅을 걸어 호출을 직접 셉니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
import time
model, schedule = dt.load_pretrained("digits")
calls = []
hook = model.register_forward_hook(lambda *args: calls.append(1))
x_T = torch.randn(1, *model.sample_shape, generator=torch.Generator().manual_seed(0))
dt.sample_ddpm(model, x_T, schedule, generator=torch.Generator().manual_seed(1), progress=False)
print(f"DDPM: {len(calls)} network calls")
for S in (10, 20, 50, 100):
    calls.clear(); dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, S), progress=False)
    print(f"DDIM S = {S:3d}: {len(calls):3d} network calls, T/NFE = {1000 / len(calls):.0f}")
hook.remove()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Wall time: close to $T/S$, not exactly
# Time is not calls. A run also pays a fixed cost that does not depend on $S$ (checking inputs, building $\tau$,
# converting the schedule, the first call's warm-up), and each step does a little work besides the network
# (Eq. 9, Eq. 12, DDPM's fresh noise). Model the time of a run as
# $$\text{time}(S)\approx o+S\,c,$$
# with overhead $o$ and per-step cost $c$. Then $\dfrac{\text{time}_\text{DDPM}(T)}{\text{time}_\text{DDIM}(S)}\approx\dfrac{o+T\,c_\text{DDPM}}{o+S\,c_\text{DDIM}}$,
# which is below $T/S$ when $o>0$ or $c_\text{DDIM}>c_\text{DDPM}$. The cell below times DDPM and DDIM at three values of $S$, three times each,
# interleaved, fits $o$ and $c$ from the fastest DDIM runs, times one network call on its own, and prints the DDPM/DDIM ratio of every
# repeat. The numbers depend on the machine and its load, so they are not checked; read them from the output.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 실제 시간: $T/S$에 가깝지만 정확히는 아닙니다
# 시간은 호출 횟수와 같지 않습니다. 한 번 돌 때마다 $S$와 상관없는 고정 비용이 듭니다(입력 검사, $\tau$ 만들기, 스케줄 변환,
# 첫 호출의 준비). 스텝마다 네트워크 말고도 약간의 일을 합니다(Eq. 9, Eq. 12, DDPM의 새 노이즈). 한 번 도는 시간을
# $$\text{time}(S)\approx o+S\,c$$
# 로 둡니다. $o$는 고정 비용, $c$는 스텝당 비용입니다. 그러면 $\dfrac{\text{time}_\text{DDPM}(T)}{\text{time}_\text{DDIM}(S)}\approx\dfrac{o+T\,c_\text{DDPM}}{o+S\,c_\text{DDIM}}$이고,
# $o>0$이거나 $c_\text{DDIM}>c_\text{DDPM}$이면 $T/S$보다 작아집니다. 아래 셀은 DDPM과 세 가지 $S$의 DDIM을 번갈아 세 번씩 잽니다.
# 가장 빠른 DDIM 기록으로 $o$와 $c$를 맞추고, 네트워크 호출 한 번의 시간도 따로 잽니다. 그리고 반복마다 DDPM/DDIM 비율을 출력합니다.
# 숫자는 기계와 그 부하에 따라 달라서 검사하지 않습니다. 출력에서 읽어 주세요.

# %% slideshow={"slide_type": "-"}
def timed(fn):
    t0 = time.perf_counter(); fn(); return time.perf_counter() - t0

reps, runs = (1 if SMOKE else 3), {"DDPM": [], 10: [], 50: [], 200: []}
for _ in range(reps):  # interleaved: a change of load on the machine hits every kind of run
    runs["DDPM"].append(timed(lambda: dt.sample_ddpm(model, x_T, schedule, generator=torch.Generator().manual_seed(1), progress=False)))
    for S in (10, 50, 200):
        runs[S].append(timed(lambda: dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(1000, S), progress=False)))
with torch.no_grad():
    net = min(timed(lambda: [model(x_T, torch.full((1,), 500)) for _ in range(20)]) for _ in range(reps)) / 20
best = {k: min(v) for k, v in runs.items()}
c = (best[200] - best[10]) / 190; o = best[10] - 10 * c; c_ddpm = best["DDPM"] / 1000
print(f"one network call {1e3 * net:.2f} ms | per step: DDIM {1e3 * c:.2f} ms, DDPM {1e3 * c_ddpm:.2f} ms | fixed cost o = {1e3 * o:.1f} ms")
print(f"DDPM / DDIM(S=50), each repeat: {', '.join(f'{a / b:.1f}x' for a, b in zip(runs['DDPM'], runs[50]))}; "
      f"best of each: {best['DDPM'] / best[50]:.1f}x; model (o + 1000 c_DDPM)/(o + 50 c): {(o + 1000 * c_ddpm) / (o + 50 * c):.1f}x; T/S = 20x")

# %% [markdown] lang="en" slideshow={"slide_type": "-"}
# How to read the output.
# - **First line.** The per-step cost is one network call plus the sampler's own arithmetic. Compare the two
#   samplers' steps: DDPM's step also draws fresh noise, so it may cost a little more than DDIM's, and that pushes the
#   ratio *above* $T/S$. A fixed cost $o$ pulls it below, by about the share $o/(S\,c)$; with $S=50$ steps of several
#   milliseconds each, a fixed cost of a few milliseconds is a few percent at most. (A fit on a busy machine can even
#   give a negative $o$: that is timing noise, and it says $o$ is too small to measure here.)
# - **Second line.** The ratio of each repeat. On a machine shared with other jobs, the load changes between two
#   runs, and the ratio moves by more than $o$ explains, in either direction. That is where single timings such as
#   the $15.6\times$ of this notebook's old version come from: one timing of each sampler on a shared machine.
#
# The exact statement is the one the checked cell makes: the number of network calls falls by exactly $T/S$.
# Wall time follows it up to the small differences in per-step and fixed cost, and the noise of the machine.

# %% [markdown] lang="ko" slideshow={"slide_type": "-"}
# 출력은 이렇게 읽습니다.
# - **첫 줄.** 스텝당 비용은 네트워크 호출 한 번에 샘플러 자신의 계산을 더한 것입니다. 두 샘플러의 스텝을 비교해 보세요.
#   DDPM의 스텝은 새 노이즈도 뽑으므로 DDIM보다 조금 더 들 수 있고, 그러면 비율이 $T/S$ *위로* 올라갑니다.
#   고정 비용 $o$는 비율을 대략 $o/(S\,c)$의 몫만큼 낮춥니다. 수 밀리초짜리 스텝이 $S=50$개라면, 몇 밀리초의 고정 비용은 많아야 몇 퍼센트입니다.
#   (바쁜 기계에서는 맞춘 $o$가 음수로 나오기도 합니다. 시간 측정의 노이즈이고, 여기서는 $o$가 잴 수 없을 만큼 작다는 뜻입니다.)
# - **둘째 줄.** 반복마다의 비율입니다. 다른 작업과 함께 쓰는 기계에서는 두 번 돌리는 사이에 부하가 바뀝니다. 그래서 비율이
#   $o$로 설명되는 것보다 더 크게, 어느 쪽으로든 움직입니다. 이 노트북의 옛 판이 보여 준 $15.6\times$ 같은 숫자는
#   여기서 나옵니다. 함께 쓰는 기계에서 각 샘플러를 한 번씩만 잰 값입니다.
#
# 정확한 주장은 검사하는 셀이 말하는 것입니다. 네트워크 호출 횟수는 정확히 $T/S$배 줄어듭니다.
# 실제 시간은 스텝당 비용과 고정 비용의 작은 차이, 그리고 기계의 노이즈를 빼면 그것을 따라갑니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore: steps, spacing and $\eta$
# The explorer runs the sampler on the chosen model with $S$ steps, spacing $\tau$ and $\eta$, and shows the $\tau$ grid,
# the trajectory, and the samples. The status line counts the network calls.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 탐색: 스텝 수, 간격, $\eta$
# 탐색기는 고른 모델로 $S$ 스텝, 간격 $\tau$, $\eta$의 샘플러를 돌리고, $\tau$ 격자와 궤적과 샘플을 보여 줍니다. 상태 줄에 네트워크 호출 횟수가 나옵니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Do: S 100 → 10 → 5 on digits, then η 0 → 1 at S = 10; then leading vs trailing at S = 5.
# Ask: "Where does the leading spacing start?" (t = 801: the first column of the strip).
# Time: 6 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 할 것: 숫자 데이터에서 S를 100 → 10 → 5로, S = 10에서 η를 0 → 1로, S = 5에서 leading과 trailing을 바꿉니다.
# 물어볼 것: "leading 간격은 어디서 시작하나요?" (t = 801, 띠의 첫 열)
# 시간: 6분.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import SamplerExplorer

SamplerExplorer(model="digits", S=10, spacing="trailing")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ### Try this
# 1. With `digits`, $\eta=0$, lower $S$ from 100 to 10, then to 5. The digits stay recognisable down to about 10 steps;
#    at very few steps they blur, because each jump now trusts one $\hat x_0$ for a long stretch.
# 2. At $S=10$ move $\eta$ from 0 to 1. On digits you may not see a difference, and our digit scores cannot resolve one
#    (their intervals overlap). On the exact ring it is resolved: $\eta=1$ is worse by $5.11\pm1.60$ (MMD² × 1000, paired,
#    the table under the sympy check of this lecture). At one step per jump, $\sigma$ at $\eta=1$ is the
#    $\tilde\beta$ of a 100-step jump, a large share of the noise budget (lecture 03's $r_t(\eta)$ is now far below 1
#    at every $t$). Lecture 06 measures this effect.
# 3. Switch the spacing between `leading` and `trailing` at $S=5$. Leading never visits $t=T$ and starts its chain
#    from $t=801$; watch the first column of the trajectory.
# 4. Choose `exact:ring8`: with the exact denoiser, the paths at $\eta=0$ reach the ring even with $S=10$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ### 이렇게 해 보세요
# 1. `digits`에서 $\eta=0$으로 두고 $S$를 100에서 10으로, 다시 5로 낮춰 보세요. 10 스텝 정도까지는 숫자를 알아볼 수 있습니다.
#    아주 적은 스텝에서는 흐려집니다. 한 번 건너뛸 때 $\hat x_0$ 하나를 긴 구간 동안 믿어야 하기 때문입니다.
# 2. $S=10$에서 $\eta$를 0에서 1로 옮겨 보세요. 숫자 데이터에서는 차이가 눈에 잘 띄지 않고, 숫자 점수로도 가려지지 않습니다(구간이 겹칩니다).
#    정확한 고리에서는 가려집니다. $\eta=1$이 $5.11\pm1.60$만큼 나쁩니다(MMD² × 1000, 짝지은 비교, 이 강의의 sympy 확인 아래 표). 건너뛸 때의 $\eta=1$ 시그마는 100 스텝짜리 점프의
#    $\tilde\beta$라서 노이즈 예산의 큰 몫을 차지합니다(03강의 $r_t(\eta)$가 이제 모든 $t$에서 1보다 한참 작습니다). 06강에서 이 효과를 잽니다.
# 3. $S=5$에서 간격을 `leading`과 `trailing` 사이에서 바꿔 보세요. leading은 $t=T$를 지나지 않고 $t=801$에서 체인을 시작합니다.
#    궤적의 첫 열을 보세요.
# 4. `exact:ring8`을 골라 보세요. 정확한 디노이저로는 $\eta=0$의 경로가 $S=10$에서도 고리에 닿습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (leading spacing by hand).** Write `leading_timesteps(T, S)` that returns the descending 0-based table
# indices of the leading spacing: $k=\lfloor T/S\rfloor$ and $[(S-1)k,\dots,k,0]$. For $T=1000$, $S=10$ the paper's $t$ are
# $901,801,\dots,1$. The checker compares with `dt.make_timesteps` for many $(T,S)$, including $S$ that do not divide $T$.
#
# **Exercise 2 (count the calls).** Using a forward hook as above, count the network calls of `dt.sample_ddim` with the
# *trailing* spacing and $S=25$, and of `dt.sample_ddpm` on the same $\tau$ (the respaced DDPM). Predict first.
#
# **Exercise 3 (on paper).** Show that the $\eta=1$ direction weight on a jump, $\sqrt{1-\bar\alpha_s-\sigma^2}$, goes to $0$ when
# $\bar\alpha_t\to0$ (a jump from pure noise), for any $s$. What does Eq. 12 do with $\epsilon_\theta$ then?
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# ```python
# def leading_timesteps(T, S):
#     k = T // S
#     return [i * k for i in range(S)][::-1]
# ```
# Exercise 2: 25 and 25. Both loops call the network once per element of $\tau$, whatever the sampler.
#
# Exercise 3: by sympy step 3, $1-\bar\alpha_s-\sigma^2=\bar\alpha_t(1-\bar\alpha_s)^2/(\bar\alpha_s(1-\bar\alpha_t))\to0$. The step
# ignores the direction $\epsilon_\theta$ and keeps only $\sqrt{\bar\alpha_s}\hat x_0+\sigma z$: all of $x_t$'s noise is replaced by fresh noise.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (leading 간격을 손으로).** leading 간격의 0부터 시작하는 표 인덱스를 내림차순으로 돌려주는 `leading_timesteps(T, S)`를
# 작성하세요. $k=\lfloor T/S\rfloor$로 $[(S-1)k,\dots,k,0]$입니다. $T=1000$, $S=10$이면 논문 기준 $t$는 $901,801,\dots,1$입니다.
# 채점기는 $S$가 $T$를 나누지 않는 경우까지 여러 $(T,S)$에서 `dt.make_timesteps`와 비교합니다.
#
# **연습 2 (호출 세기).** 위처럼 forward 훅을 걸어, *trailing* 간격에 $S=25$인 `dt.sample_ddim`과 같은 $\tau$ 위의 `dt.sample_ddpm`
# (간격을 다시 잡은 DDPM)의 네트워크 호출 횟수를 세어 보세요. 먼저 예측해 보세요.
#
# **연습 3 (종이에).** 건너뛸 때 $\eta=1$의 방향 무게 $\sqrt{1-\bar\alpha_s-\sigma^2}$가 $\bar\alpha_t\to0$(순수한 노이즈에서 건너뛰기)이면
# 어떤 $s$에서든 $0$으로 감을 보이세요. 그때 Eq. 12는 $\epsilon_\theta$를 어떻게 다루나요?
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def leading_timesteps(T, S):
#     k = T // S
#     return [i * k for i in range(S)][::-1]
# ```
# 연습 2: 25번과 25번입니다. 어느 샘플러든 $\tau$의 원소마다 네트워크를 한 번씩 부릅니다.
#
# 연습 3: sympy의 3단계에 따라 $1-\bar\alpha_s-\sigma^2=\bar\alpha_t(1-\bar\alpha_s)^2/(\bar\alpha_s(1-\bar\alpha_t))\to0$입니다.
# 이 스텝은 방향 $\epsilon_\theta$를 버리고 $\sqrt{\bar\alpha_s}\hat x_0+\sigma z$만 남깁니다. $x_t$의 노이즈가 모두 새 노이즈로 바뀝니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
from ddim_teach.course import exercises

def leading_timesteps(T, S):
    return list(range(S))  # Exercise 1: replace with the leading spacing

exercises.check_timesteps(leading_timesteps);

# %% slideshow={"slide_type": "-"}
tau_25 = dt.make_timesteps(1000, 25, "trailing")
n_ddim, n_ddpm = None, None  # Exercise 2: count the calls with model.register_forward_hook
print(f"your counts: DDIM {n_ddim}, DDPM {n_ddpm}; right: {n_ddim == n_ddpm == len(tau_25)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
# - The network knows the marginals $q(x_t\mid x_0)$, not the chain. A process defined on a sub-sequence $\tau$ keeps every
#   marginal it visits (Sec. 4.2), so the same network serves it.
# - The proof is lecture 04's variance bookkeeping with an arbitrary pair $\bar\alpha_{\tau_i},\bar\alpha_{\tau_{i-1}}$ (sympy-checked), then induction from $\tau_S$.
# - Numerically, every $\tau_i$ passes with relative variance errors and mean z-scores inside Monte Carlo noise, and the
#   classic wrong weight fails the same test by a wide margin.
# - DDIM at $\eta=1$ on $\tau$ is DDPM on the respaced chain ($10^{-10}$ with the same noise).
# - The cost is exactly $S$ network calls instead of $T$; wall time follows up to small per-step and fixed costs and the noise of a shared machine.
#
# Next: [06 · $\eta$ and stochasticity](06_eta_stochasticity.ipynb), where we measure what $\eta$ does to sample quality at few steps.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
# - 네트워크가 아는 것은 체인이 아니라 주변분포 $q(x_t\mid x_0)$입니다. 부분 수열 $\tau$ 위에 정의한 과정은 지나는 모든 주변분포를 지킵니다(Sec. 4.2).
#   그래서 같은 네트워크를 쓸 수 있습니다.
# - 증명은 04강의 분산 장부를 아무 쌍 $\bar\alpha_{\tau_i},\bar\alpha_{\tau_{i-1}}$에 적용하고(sympy로 확인), $\tau_S$부터 귀납법으로 내려가는 것입니다.
# - 숫자로 보면 모든 $\tau_i$에서 분산의 상대 오차와 평균의 z 점수가 몬테카를로 노이즈 안에 있습니다. 흔한 틀린 무게는 같은 검사에서 크게 실패합니다.
# - $\tau$ 위에서 $\eta=1$인 DDIM은 간격을 다시 잡은 체인의 DDPM입니다(같은 노이즈에서 $10^{-10}$).
# - 비용은 정확히 $T$번 대신 $S$번의 네트워크 호출입니다. 실제 시간은 작은 스텝당·고정 비용의 차이와 함께 쓰는 기계의 노이즈를 빼면 그것을 따라갑니다.
#
# 다음: [06 · $\eta$와 확률성](06_eta_stochasticity.ipynb). 적은 스텝에서 $\eta$가 샘플 품질에 주는 영향을 잽니다.
