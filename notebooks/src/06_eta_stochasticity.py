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
# # 06 · $\eta$ and stochasticity
#
# Lectures 04 and 05 built one DDIM step and then let it skip. One knob is left: how much fresh noise each step
# adds. The paper sets it with a single number $\eta$ (Eq. 16). This lecture turns that knob, watches the paths
# it produces, and then rebuilds the paper's Table 1, the quality of samples against the number of steps $S$ for
# each $\eta$, twice: once on an exact denoiser with honest error bars, and once with no sampling noise at all.
#
# **Learning goals.** After this lecture you can
# - compute $\sigma_{\tau_i}(\eta)$ from Eq. 16 for any jump of $\tau$, and say what $\eta=0$, $\eta=1$ and the paper's $\hat\sigma$ mean;
# - explain why $\hat\sigma$ keeps the $\eta=1$ mean and only enlarges the noise;
# - read a quality table with 95% confidence intervals and say which differences are real;
# - derive the exact law of DDIM's output for Gaussian data, and with it a Table 1 that has no sampling noise;
# - say which of the paper's CIFAR10 conclusions our small experiments reproduce, and which they do not.
#
# **Prerequisites.** Lecture 04 (Eq. 12, $\hat x_0$, the exact denoiser), lecture 05 (the sub-sequence $\tau$ and
# its jumps).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 06 · $\eta$와 확률성
#
# 04강에서 DDIM 한 스텝을 만들었고, 05강에서 그 스텝이 건너뛰게 했습니다. 남은 손잡이는 하나입니다.
# 스텝마다 새 노이즈를 얼마나 넣느냐입니다. 논문은 이 값을 숫자 하나 $\eta$로 정합니다(Eq. 16).
# 이번 강의에서는 이 손잡이를 돌려 보고, 그때 생기는 경로를 봅니다.
# 그다음 논문의 Table 1을 두 번 다시 만듭니다. Table 1은 $\eta$마다 스텝 수 $S$에 따른 샘플 품질(sample quality)을 적은 표입니다.
# 한 번은 정확한 디노이저(exact denoiser)로 만들고, 시드 사이의 변동에 신뢰구간을 붙입니다.
# 다른 한 번은 표본 추출의 잡음이 전혀 없는 방법으로 만듭니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - $\tau$의 어떤 건너뛰기에서도 Eq. 16으로 $\sigma_{\tau_i}(\eta)$를 계산하고, $\eta=0$, $\eta=1$, 논문의 $\hat\sigma$가 무엇인지 말합니다.
# - $\hat\sigma$가 왜 $\eta=1$의 평균은 그대로 두고 노이즈만 키우는지 설명합니다.
# - 95% 신뢰구간(confidence interval)이 붙은 품질 표를 읽고, 어떤 차이가 진짜인지 가립니다.
# - 가우시안 데이터에서 DDIM 출력의 정확한 분포를 유도하고, 그것으로 잡음 없는 Table 1을 만듭니다.
# - 논문의 CIFAR10 결론 가운데 우리의 작은 실험이 재현하는 것과 재현하지 못하는 것을 말합니다.
#
# **선수 지식.** 04강(Eq. 12, $\hat x_0$, 정확한 디노이저), 05강(부분 수열 $\tau$와 그 건너뛰기).

# %% slideshow={"slide_type": "skip"}
import os
import math
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic as sym
from ddim_teach.experiments import tables as t1
from ddim_teach.experiments import gaussian_law as gl
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments.records import get_denoiser, run_sampler

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);
schedule = dt.make_schedule("linear", T=1000)  # paper's t = 1..T is table index t - 1

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Intuition: one dial from DDIM to DDPM
#
# To cut to the chase: $\eta$ is a dial between two samplers that share one network.
# At $\eta=0$ every step is deterministic; this is DDIM, and the note's "보통 $\sigma_t=0$으로 두어" (we usually set
# $\sigma_t=0$). At $\eta=1$ each step draws as much noise as DDPM's posterior, and DDIM becomes DDPM (lecture 04
# checked this to $10^{-10}$). In between, the same $x_T$ gives a family of samplers. The noise of the step
# from $\tau_i$ to $\tau_{i-1}$ is Eq. 16:
# $$\sigma_{\tau_i}(\eta)=\eta\sqrt{\frac{1-\bar\alpha_{\tau_{i-1}}}{1-\bar\alpha_{\tau_i}}}\sqrt{1-\frac{\bar\alpha_{\tau_i}}{\bar\alpha_{\tau_{i-1}}}}.$$
# Section 5.1 of the paper adds a third choice, a noise larger than $\eta=1$:
# $$\hat\sigma_{\tau_i}=\sqrt{1-\bar\alpha_{\tau_i}/\bar\alpha_{\tau_{i-1}}},$$
# which is the "large" variance $\beta_t$ that DDPM used for its CIFAR10 samples.
#
# Recall the answer-sheet picture of lecture 04: every step consults $\hat x_0$, the sheet. Noise is a second
# opinion drawn at random. It can correct an earlier error, or blur a good answer. Which one wins depends on
# how many steps are left to repair what the noise did, and that is what Table 1 measures.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직관: DDIM에서 DDPM까지 이어진 다이얼 하나
#
# 결론부터 말하자면, $\eta$는 같은 네트워크를 쓰는 두 샘플러 사이의 다이얼입니다.
# $\eta=0$이면 모든 스텝이 결정론적(deterministic)입니다. 이것이 DDIM이고, 노트가 말한 "보통 $\sigma_t=0$으로 두어"입니다.
# $\eta=1$이면 스텝마다 DDPM의 사후분포(posterior)만큼 노이즈를 뽑습니다. 그러면 DDIM은 DDPM이 됩니다.
# 04강에서 $10^{-10}$까지 확인했습니다. 그 사이의 값은 같은 $x_T$에서 출발하는 샘플러의 한 분포족입니다.
# $\tau_i$에서 $\tau_{i-1}$로 가는 스텝의 노이즈는 Eq. 16입니다.
# $$\sigma_{\tau_i}(\eta)=\eta\sqrt{\frac{1-\bar\alpha_{\tau_{i-1}}}{1-\bar\alpha_{\tau_i}}}\sqrt{1-\frac{\bar\alpha_{\tau_i}}{\bar\alpha_{\tau_{i-1}}}}.$$
# 논문 5.1절은 세 번째 선택지를 더합니다. $\eta=1$보다 큰 노이즈입니다.
# $$\hat\sigma_{\tau_i}=\sqrt{1-\bar\alpha_{\tau_i}/\bar\alpha_{\tau_{i-1}}}.$$
# DDPM이 CIFAR10 샘플을 만들 때 쓴 "큰" 분산 $\beta_t$가 바로 이것입니다.
#
# 04강의 정답지 비유를 떠올려 보겠습니다. 스텝마다 정답지 $\hat x_0$를 봅니다.
# 노이즈는 무작위로 뽑은 두 번째 의견입니다. 앞선 실수를 고칠 수도 있고, 좋은 답을 흐릴 수도 있습니다.
# 어느 쪽이 이기는지는 노이즈가 만든 흔적을 고칠 스텝이 몇 번 남았느냐에 달려 있습니다. Table 1이 재는 것이 바로 이것입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: η is one dial from DDIM (η = 0) to DDPM's σ (η = 1); the noise budget is re-split, not added.
# Ask: "If η = 1 adds noise at every step, why does it not blur everything at S = 1000?"
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: η는 DDIM(η = 0)에서 DDPM의 σ(η = 1)까지 이어진 다이얼 하나입니다. 노이즈 예산은 더해지지 않고 다시 나뉩니다.
# 물어볼 것: "η = 1이 스텝마다 노이즈를 더하는데, S = 1000에서는 왜 흐려지지 않을까요?"
# 시간: 4분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The table below prints $\sigma$ for each of the ten steps of $S=10$ (the leading spacing of lecture 05), with the
# paper's $t$. Two things to see: $\sigma$ grows linearly with $\eta$; and $\hat\sigma$ is close to $\sigma(1)$ on the first
# jumps, near pure noise, but far above it on the last jumps, where $\bar\alpha_{\tau_{i-1}}$ is close to 1: there $\sigma(1)$
# is almost 0 and $\hat\sigma$ is not. On the very last step ($t=1\to0$, where $\bar\alpha_0:=1$) $\sigma(\eta)$ is 0 for
# every $\eta$; the sampler also sets $\hat\sigma$ to 0 there, as the official code does.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 아래 표는 $S=10$(05강의 leading 간격)의 열 스텝마다 $\sigma$를 논문의 $t$와 함께 보여 줍니다.
# 볼 것은 두 가지입니다. $\sigma$는 $\eta$에 정비례합니다. 그리고 $\hat\sigma$는 순수한 노이즈에 가까운 처음 건너뛰기에서는 $\sigma(1)$과 비슷하지만,
# $\bar\alpha_{\tau_{i-1}}$이 1에 가까운 마지막 건너뛰기에서는 훨씬 큽니다. 그곳에서 $\sigma(1)$은 거의 0인데 $\hat\sigma$는 그렇지 않습니다.
# 맨 마지막 스텝($t=1\to0$, $\bar\alpha_0:=1$)에서는 모든 $\eta$에서 $\sigma(\eta)=0$입니다. 공식 코드처럼 샘플러는 그곳의 $\hat\sigma$도 0으로 둡니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ab = schedule.alphas_cumprod.tolist()
ts = dt.make_timesteps(1000, 10).tolist()
print(f"{'t -> t_prev':>12} {'eta=0.2':>8} {'eta=0.5':>8} {'eta=1':>8} {'sigma_hat':>10}")
for t, tp in zip(ts, ts[1:] + [-1]):
    a, ap = ab[t], (ab[tp] if tp >= 0 else 1.0)
    sig = [dt.ddim_sigma(a, ap, e) for e in (0.2, 0.5, 1.0)]
    hat = math.sqrt(1 - a / ap) if tp >= 0 else 0.0
    print(f"{t + 1:>5} -> {tp + 1:<4}" + "".join(f"{s:9.4f}" for s in sig) + f"{hat:11.4f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Why $\hat\sigma$ keeps the $\eta=1$ mean
#
# Eq. 12 pairs the noise $\sigma$ with a direction coefficient $\sqrt{1-\bar\alpha_{\tau_{i-1}}-\sigma^2}$, so that the
# variance bookkeeping of lecture 04 adds up. Write $s=\tau_{i-1}$, $t=\tau_i$ for one jump. Two lines:
#
# 1. $\hat\sigma^2-\sigma(1)^2=(1-\bar\alpha_t/\bar\alpha_s)(\bar\alpha_s-\bar\alpha_t)/(1-\bar\alpha_t)\ge0$: subtract Eq. 16 at $\eta=1$ from the definition of $\hat\sigma$ and factor. So $\hat\sigma>\sigma(1)$ on every jump ($\bar\alpha_t<\bar\alpha_s$); on the last step ($\bar\alpha_s=1$) only the sampler's convention sets $\hat\sigma$ to 0.
# 2. $1-\bar\alpha_s-\hat\sigma^2=\bar\alpha_t/\bar\alpha_s-\bar\alpha_s$: substitute $\hat\sigma^2$. This is negative when $\bar\alpha_t<\bar\alpha_s^2$, and then the direction coefficient of Eq. 12 would be the square root of a negative number.
#
# So $\hat\sigma$ cannot simply replace $\sigma$ in Eq. 12. The paper's code keeps the $\eta=1$ mean (the DDPM
# posterior mean at $\hat x_0$) and only draws the noise with the larger $\hat\sigma$. The package's `sample_ddim`
# does the same when `eta="sigma_hat"`. The cell checks both lines with sympy and counts the jumps of $S=10$ where
# $\sigma=\hat\sigma$ would break Eq. 12.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 왜 $\hat\sigma$는 $\eta=1$의 평균을 그대로 쓰나
#
# Eq. 12에서 노이즈 $\sigma$에는 방향 계수 $\sqrt{1-\bar\alpha_{\tau_{i-1}}-\sigma^2}$가 짝으로 붙습니다.
# 그래야 04강의 분산 계산이 맞아떨어집니다. 건너뛰기 하나를 $s=\tau_{i-1}$, $t=\tau_i$로 씁니다. 두 줄이면 됩니다.
#
# 1. $\hat\sigma^2-\sigma(1)^2=(1-\bar\alpha_t/\bar\alpha_s)(\bar\alpha_s-\bar\alpha_t)/(1-\bar\alpha_t)\ge0$: $\hat\sigma$의 정의에서 $\eta=1$의 Eq. 16을 빼고 인수분해합니다. 따라서 모든 점프($\bar\alpha_t<\bar\alpha_s$)에서 $\hat\sigma>\sigma(1)$입니다. 마지막 스텝($\bar\alpha_s=1$)에서 $\hat\sigma$를 0으로 두는 것은 샘플러의 관례일 뿐입니다.
# 2. $1-\bar\alpha_s-\hat\sigma^2=\bar\alpha_t/\bar\alpha_s-\bar\alpha_s$: $\hat\sigma^2$를 대입합니다. $\bar\alpha_t<\bar\alpha_s^2$이면 음수입니다. 그러면 Eq. 12의 방향 계수는 음수의 제곱근이 됩니다.
#
# 그래서 $\hat\sigma$를 Eq. 12의 $\sigma$ 자리에 그냥 넣을 수는 없습니다. 논문의 코드는 $\eta=1$의 평균(정답지 $\hat x_0$에서의 DDPM 사후 평균)을 그대로 두고,
# 노이즈만 더 큰 $\hat\sigma$로 뽑습니다. 패키지의 `sample_ddim`도 `eta="sigma_hat"`일 때 똑같이 합니다.
# 아래 셀은 두 줄을 sympy로 확인하고, $S=10$에서 $\sigma=\hat\sigma$로 두면 Eq. 12가 깨지는 건너뛰기가 몇 개인지 셉니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.sigma_hat_steps())
pairs = [(ab[t], ab[tp]) for t, tp in zip(ts[:-1], ts[1:])]
broken = [(t + 1, tp + 1) for (t, tp), (a, ap) in zip(zip(ts, ts[1:]), pairs) if a < ap**2]
print(f"jumps of S=10 with abar_t < abar_s^2: {len(broken)} of {len(pairs)}, e.g. t = {broken[0][0]} -> {broken[0][1]}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Paths: smooth curves at $\eta=0$, jagged at $\eta=1$
#
# The same 30 starting points $x_T$ on the exact ring of eight Gaussians, 20 steps each. Grey lines: the path of
# $x_t$ from $x_T$ (grey dots) to $x_0$ (blue dots); red crosses: $\hat x_0$ at every step. Light grey: the data.
#
# At $\eta=0$ the paths are **smooth deterministic curves, not straight lines**. DDIM at $\eta=0$ is a
# discretisation of an ODE (Eq. 14, lecture 10). Its direction follows $\hat x_0$, and the red crosses show how
# $\hat x_0$ moves: at first it sits at the centre of the ring (from pure noise the best guess is the average of the
# data), then it slides out along a ray to one mode. Some paths are nearly straight; others bend, a few sharply
# near the end, when $\hat x_0$ commits to a mode to one side. At $\eta=1$ every step adds a random kick, so the paths
# zigzag and the crosses stay scattered around the centre much longer. The printed ratio is the length of a path
# divided by the straight distance from $x_T$ to $x_0$ (median over 200 paths): 1 would be a straight line.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 경로: $\eta=0$에서는 매끄러운 곡선, $\eta=1$에서는 들쭉날쭉
#
# 여덟 가우시안 고리의 정확한 디노이저에서, 같은 출발점 $x_T$ 30개를 20스텝씩 보냅니다.
# 회색 선은 $x_T$(회색 점)에서 $x_0$(파란 점)까지 $x_t$가 지나간 경로입니다. 빨간 X 표시는 스텝마다의 $\hat x_0$입니다. 옅은 회색은 데이터입니다.
#
# $\eta=0$의 경로는 **직선이 아니라 매끄러운 결정론적 곡선**입니다.
# $\eta=0$의 DDIM은 상미분방정식(Eq. 14, 10강)을 잘게 나눠 푼 것입니다. 그 방향은 $\hat x_0$를 따라가고, 빨간 X 표시가 $\hat x_0$의 움직임을 보여 줍니다.
# 처음에는 고리의 가운데에 있습니다. 순수한 노이즈에서 가장 좋은 추측은 데이터의 평균이기 때문입니다.
# 그다음 반직선을 따라 한 모드까지 미끄러져 나갑니다. 거의 곧은 경로도 있고, 휘는 경로도 있습니다.
# 몇몇은 끝 무렵에 크게 꺾입니다. $\hat x_0$가 옆쪽의 모드로 마음을 정하는 순간입니다.
# $\eta=1$에서는 스텝마다 무작위로 한 번씩 밀립니다. 그래서 경로가 지그재그가 되고, X 표시도 훨씬 오래 가운데 근처에 흩어져 있습니다.
# 출력되는 비율은 경로의 길이를 $x_T$에서 $x_0$까지의 직선 거리로 나눈 값입니다(경로 200개의 중앙값). 직선이라면 1입니다.

# %% slideshow={"slide_type": "-"}
ref = get_denoiser("exact:ring8").reference[:2000]
fig, axes = plt.subplots(1, 2, figsize=(14, 6.5), layout="constrained")
for ax, eta in zip(axes, (0.0, 1.0)):
    run = run_sampler("exact:ring8", S=20, eta=eta, seed=0, n=200)
    plots.plot_trajectories(ax, run.xs, run.x0_preds, n_paths=30, ref=ref)
    length = (run.xs[1:] - run.xs[:-1]).norm(dim=-1).sum(0)
    chord = (run.xs[-1] - run.xs[0]).norm(dim=-1)
    ax.set_title(f"η = {eta}")
    print(f"eta = {eta}: path length / straight distance = {float((length / chord).median()):.2f} (median of 200)")
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Try it: the sampler explorer
#
# The explorer runs the sampler live on the exact ring. The slider $\eta$ sets Eq. 16; the checkbox $\hat\sigma$
# switches to the larger noise; "steps S" sets the length of $\tau$.
#
# **Try this (이렇게 해 보세요).**
# 1. Set $S=5$ and move $\eta$ from 0 to 1. The samples leave the ring and a haze fills the centre. With five steps,
#    noise added early has too few steps left to be removed.
# 2. Keep $\eta=1$ and raise $S$ to 100. The haze shrinks back onto the modes: many small steps repair the noise.
# 3. At $S=10$ tick $\hat\sigma$. The cloud is wider still: $\hat\sigma$ adds large noise on the last jumps, close to the
#    data, where $\eta=1$ adds almost none and no step is left to remove it (the table above).
# 4. Change the seed at $\eta=0$ and at $\eta=1$. At $\eta=0$ each seed fixes the samples completely; at $\eta=1$ the
#    seed also fixes the noise, so the same seed still gives the same picture.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 샘플러 탐색기
#
# 탐색기는 정확한 고리 위에서 샘플러를 바로 돌립니다. $\eta$ 슬라이더가 Eq. 16을 정합니다.
# $\hat\sigma$ 체크박스는 더 큰 노이즈로 바꿉니다. "steps S"는 $\tau$의 길이입니다.
#
# **이렇게 해 보세요 (Try this).**
# 1. $S=5$로 두고 $\eta$를 0에서 1로 올려 보세요. 샘플이 고리를 벗어나고 가운데에 안개가 낍니다. 스텝이 다섯뿐이면 초반에 넣은 노이즈를 지울 스텝이 모자랍니다.
# 2. $\eta=1$에서 $S$를 100으로 올려 보세요. 안개가 다시 모드 위로 모입니다. 작은 스텝이 많으면 노이즈를 고칠 수 있습니다.
# 3. $S=10$에서 $\hat\sigma$를 켜 보세요. 구름이 더 넓어집니다. 데이터에 가까운 마지막 건너뛰기에서 $\hat\sigma$가 큰 노이즈를 더하기 때문입니다. 그곳에서 $\eta=1$은 거의 더하지 않고, 지울 스텝도 남아 있지 않습니다(위의 표).
# 4. $\eta=0$과 $\eta=1$에서 시드를 바꿔 보세요. $\eta=0$에서는 시드가 샘플을 완전히 정합니다. $\eta=1$에서도 시드가 노이즈까지 정하므로, 같은 시드는 같은 그림을 줍니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import SamplerExplorer

SamplerExplorer(model="exact:ring8", S=10, eta=1.0)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Table 1, with error bars
#
# The paper's Table 1 reports CIFAR10 FID for $\eta\in\{0,0.2,0.5,1\}$ and $\hat\sigma$ at $S=10,20,50,100,1000$. Its
# reading (Sec. 5.1): with few steps, $\eta=0$ is best and $\hat\sigma$ is far worst; at $S=1000$ the order changes and
# $\hat\sigma$ is best. We rebuild it on the exact ring, where the denoiser is perfect and only the sampler is judged.
#
# **Which number to trust.** A score computed from samples is itself random. With the sliced Wasserstein distance
# of a single draw, one seed's noise is larger than the gap between $\eta=0$ and $\eta=1$ at $S=10$ (the cell below
# prints both), so a one-draw table can rank the rows in any order. Here every cell is run with 5 seeds (independent $x_T$ and noise), and we print the mean ± the
# 95% confidence interval (Student's $t$ with 4 degrees of freedom).
#
# The score is the squared maximum mean discrepancy (MMD²) between the samples and the **true** mixture, with the
# expectations under the mixture in closed form (a Gaussian kernel integrated against a Gaussian is a Gaussian).
# No reference sample enters, and the estimator is unbiased: for real samples its mean is exactly 0, so its spread
# on real samples is its noise floor. The cell prints, for both scores, the noise of one seed on real data against
# the gap between $\eta=0$ and $\eta=1$ at $S=10$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 오차 막대를 붙인 Table 1
#
# 논문의 Table 1은 $\eta\in\{0,0.2,0.5,1\}$과 $\hat\sigma$에 대해 $S=10,20,50,100,1000$에서의 CIFAR10 FID를 보여 줍니다.
# 논문의 해석(5.1절)은 이렇습니다. 스텝이 적으면 $\eta=0$이 가장 좋고 $\hat\sigma$가 훨씬 나쁩니다.
# $S=1000$에서는 순서가 바뀌어 $\hat\sigma$가 가장 좋습니다. 우리는 이 표를 정확한 고리에서 다시 만듭니다.
# 디노이저가 완벽하므로 샘플러만 평가됩니다.
#
# **어떤 숫자를 믿을까.** 샘플로 계산한 점수도 무작위입니다. 한 번 뽑은 샘플의 sliced Wasserstein 거리로는 시드 하나의 잡음이
# $S=10$에서 $\eta=0$과 $\eta=1$의 차이보다 큽니다(아래 셀이 둘 다 출력합니다). 그래서 한 번 뽑은 표는 줄의 순서를 아무렇게나 보여 줄 수 있습니다.
# 이번에는 칸마다 시드 5개(서로 독립인 $x_T$와 노이즈)로 돌리고, 평균 ± 95% 신뢰구간을 적습니다(자유도 4인 스튜던트 $t$).
#
# 점수는 샘플과 **진짜** 혼합 분포 사이의 MMD²(최대 평균 불일치의 제곱)입니다. 혼합 분포에 대한 기댓값은 닫힌 꼴로 계산합니다.
# 가우시안 커널을 가우시안에 대해 적분하면 다시 가우시안이기 때문입니다. 기준 샘플이 들어가지 않고, 추정량은 불편입니다.
# 진짜 샘플에서 평균이 정확히 0이므로, 진짜 샘플에서의 흩어짐이 곧 잡음의 바닥입니다.
# 아래 셀은 두 점수 각각에 대해, 진짜 데이터에서 시드 하나의 잡음과 $S=10$에서 $\eta=0$과 $\eta=1$의 차이를 나란히 보여 줍니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
res = t1.load_table1()  # computed by `python -m ddim_teach.table1` (5 seeds; a few minutes); the cache is tested
sd = lambda v: float(torch.tensor(v, dtype=torch.float64).std())  # noqa: E731
for metric, scale in (("mmd", 1e3), ("sw", 1e2)):
    gap = res.cell(1.0, 10, metric)[0] - res.cell(0.0, 10, metric)[0]
    noise = sd(getattr(res, f"floor_{metric}"))
    print(f"{metric:>3} x{scale:g}: noise of one seed (real data) {scale * noise:.2f}, "
          f"gap eta=1 - eta=0 at S=10 {scale * gap:.2f}, ratio {gap / noise:.1f}")
print(f"n = {res.n} samples per seed, seeds = {res.seeds}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The sliced Wasserstein distance cannot resolve the gap at all: its noise on real data is larger than the
# difference we want to see, and its gap even has the wrong sign. The exact MMD² sees the gap at about ten times its
# noise, so we use it. Here is the table,
# MMD² × 1000 (lower is better; 0 is perfect), with the paper's CIFAR10 FIDs beside each row. The last row is the
# noise floor: real samples, scored the same way. The row "0 quad" is $\eta=0$ with the quadratic $\tau$ that the paper
# used for CIFAR10; the second block compares rows seed by seed.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# sliced Wasserstein 거리는 이 차이를 전혀 가려내지 못합니다. 진짜 데이터에서의 잡음이 보고 싶은 차이보다 크고, 차이의 부호마저 틀립니다.
# 정확한 MMD²는 그 차이를 잡음의 약 열 배로 봅니다. 그래서 MMD²를 씁니다. 아래가 그 표입니다.
# 값은 MMD² × 1000이고(작을수록 좋고, 0이 완벽), 각 줄 옆에 논문의 CIFAR10 FID를 적었습니다.
# 마지막 줄은 잡음의 바닥입니다. 진짜 샘플을 같은 방법으로 잰 값입니다. "0 quad" 줄은 논문이 CIFAR10에 쓴 이차 $\tau$로 돌린 $\eta=0$입니다.
# 두 번째 표는 줄들을 시드별로 짝지어 비교합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("exact ring of 8 Gaussians, MMD^2 x 1000 to the true mixture, mean ± 95% interval over 5 seeds")
print(res.format())
# the paper's CIFAR10 rows use quadratic tau; eta = 0 with quadratic tau, the same 5 seeds and n (at S = 1000
# both spacings are every step, so that cell is the leading one)
ring8 = get_denoiser("exact:ring8").model
quad = [[t1.mmd_to_mixture(t1.cell_samples("exact:ring8", S, 0.0, sd_, res.n, "quad"), ring8) for sd_ in res.seeds]
        if S < 1000 else res.mmd["0"][res.S_list.index(S)] for S in res.S_list]
print(t1.ljust_cols("0 quad", 7) + "".join(f"{'%.2f ± %.2f' % tuple(1e3 * c for c in t1.mean_ci(q)):>15}" for q in quad))
# rows share seeds (same x_T, same noise streams): compare two rows by the interval of their per-seed differences
pairs = [(t1.eta_label(e), res.mmd[t1._key(e)], "0", res.mmd["0"]) for e in res.etas[1:]]
pairs += [("σ̂", res.mmd["sigma_hat"], "1", res.mmd["1"]), ("0 quad", quad, "0", res.mmd["0"])]
print("\npaired differences, MMD^2 x 1000: mean ± 95% interval of the 5 per-seed differences (* = excludes 0)")
for name_a, row_a, name_b, row_b in pairs:
    diffs = [t1.mean_ci([1e3 * (a - b) for a, b in zip(u, w)]) for u, w in zip(row_a, row_b)]
    print(t1.ljust_cols(f"{name_a} - {name_b}", 11)
          + "".join(f"{'%+.2f ± %.2f%s' % (m, h, '*' if abs(m) > h else ' '):>16}" for m, h in diffs))

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
for k, (eta, c) in enumerate(zip(res.etas, plots.PALETTE)):
    cells = [res.cell(eta, S) for S in res.S_list]
    x = [S * (1 + 0.04 * (k - 2)) for S in res.S_list]  # a small offset so the bars do not overlap
    ax.errorbar(x, [1e3 * m for m, h in cells], yerr=[1e3 * h for m, h in cells], fmt="o-", color=c, capsize=4,
                label=f"η = {t1.eta_label(eta)}")
ax.plot(res.S_list, [1e3 * t1.mean_ci(q)[0] for q in quad], "s--", color="k", label="η = 0, τ = quad")
ax.axhline(0, color="k", ls=":")
ax.set_xscale("log"); ax.set_yscale("symlog", linthresh=1); ax.set_xlabel("S"); ax.set_ylabel("MMD² × 1000")
ax.legend(); plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **Reading it: differences, not overlaps.** Two intervals that overlap do not make two rows "indistinguishable".
# Every row was run with the same 5 seeds (the same $x_T$ and the same noise streams), so the right comparison is the
# *paired* one: take the difference of the two rows seed by seed and put an interval on those 5 differences. The
# second block above prints it; a star marks a difference whose interval excludes 0.
# - **At few steps, noise hurts.** $\eta=1-\eta=0$ is $+5.11\pm1.60$ at $S=10$ and $+10.86\pm1.15$ at $S=20$, and
#   $\hat\sigma-\eta=0$ is $+83.4\pm2.6$ at $S=10$ ($\hat\sigma$ at 102 is five times $\eta=0$'s 18.9). This is the paper's
#   main finding; on CIFAR10 the same ratio is 367 against 13.
# - **Small $\eta$: one difference resolved.** $\eta=0.2-\eta=0$ excludes 0 nowhere (at $S=10$: $-0.54\pm1.97$), so five
#   seeds cannot rank those two. $\eta=0.5-\eta=0$ is $+1.68\pm1.40$ at $S=20$: $\eta=0.5$ is worse there, although
#   the two rows' own intervals (11.8 ± 0.6 and 13.5 ± 1.3) overlap. At the other $S$ its interval contains 0. The paper's CIFAR10
#   rows for $\eta=0$ and 0.2 differ by about 5%, and $\eta=0.5$ by up to 25% ($S=10$: 13.36, 14.04, 16.66).
# - **Where the toy departs from CIFAR10.** At $S=50$ and $S=100$, $\hat\sigma-\eta=1$ is negative ($-2.90\pm1.94$ and
#   $-2.55\pm0.22$): $\hat\sigma$ beats $\eta=1$, while on CIFAR10 it is four times worse at $S=50$ (32.72 against 8.01).
#   At $S=100$, $\eta=1-\eta=0$ is still $+2.83\pm1.11$.
# - **At $S=1000$ only one difference is resolved.** Every row's own interval contains 0, like the floor's
#   (−0.60 ± 0.65), and no row differs from $\eta=0$. But $\hat\sigma-\eta=1$ is $-0.16\pm0.12$: the sign of the paper's
#   last column, where $\hat\sigma$ beats $\eta=1$ (3.17 against 4.73).
# - **Spacing matters as much as $\eta$.** The paper's CIFAR10 rows use the *quadratic* $\tau$ (Appendix D.2:
#   quadratic for CIFAR10, linear for the other data sets); the rows above use leading, a linear spacing. With quadratic
#   $\tau$, $\eta=0$ improves by $-11.09\pm1.15$ at $S=10$ (7.83 against 18.92): quadratic spends its steps near $t=0$,
#   where the ring's fine structure is decided. So compare our rows with the paper's in shape, not in value.
#
# The rows now move as they should: $\eta=0$ falls from 2.6 at $S=50$ to 0.8 at $S=100$ and then into the noise.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **구간이 아니라 차이로 읽기.** 두 구간이 겹친다고 해서 두 줄을 "구별할 수 없다"고 말할 수는 없습니다.
# 모든 줄은 같은 시드 5개(같은 $x_T$, 같은 노이즈 흐름)로 돌렸습니다. 그러니 두 줄은 짝지은 비교(paired comparison)로 견줍니다.
# 시드마다 두 줄의 차이를 구하고, 그 차이 5개에 신뢰구간을 붙입니다. 위 셀의 두 번째 표가 그 값이고, 구간이 0을 포함하지 않는 차이에는 별표를 붙였습니다.
# - **스텝이 적으면 노이즈가 해롭습니다.** $\eta=1-\eta=0$은 $S=10$에서 $+5.11\pm1.60$, $S=20$에서 $+10.86\pm1.15$입니다.
#   $\hat\sigma-\eta=0$은 $S=10$에서 $+83.4\pm2.6$입니다($\hat\sigma$의 102는 $\eta=0$의 18.9의 다섯 배). 논문의 핵심 결과이고, CIFAR10에서는 같은 비가 367 대 13입니다.
# - **작은 $\eta$에서는 차이 하나만 가려집니다.** $\eta=0.2-\eta=0$은 어느 $S$에서도 0을 포함합니다($S=10$에서 $-0.54\pm1.97$).
#   그래서 시드 다섯 개로는 두 줄의 순위를 매길 수 없습니다. $\eta=0.5-\eta=0$은 $S=20$에서 $+1.68\pm1.40$입니다.
#   두 줄 각각의 구간(11.8 ± 0.6, 13.5 ± 1.3)은 겹치지만, 그곳에서는 $\eta=0.5$가 더 나쁩니다. 다른 $S$에서는 구간이 0을 포함합니다.
#   논문의 CIFAR10에서 $\eta=0$과 0.2는 5% 정도, $\eta=0.5$는 25%까지 차이 납니다($S=10$에서 13.36, 14.04, 16.66).
# - **장난감 실험이 CIFAR10과 다른 곳.** $S=50$과 $S=100$에서 $\hat\sigma-\eta=1$은 음수입니다($-2.90\pm1.94$, $-2.55\pm0.22$).
#   $\hat\sigma$가 $\eta=1$보다 좋습니다. CIFAR10에서는 $S=50$에서 네 배 나쁩니다(32.72 대 8.01).
#   $S=100$에서도 $\eta=1-\eta=0$은 여전히 $+2.83\pm1.11$입니다.
# - **$S=1000$에서는 차이 하나만 가려집니다.** 모든 줄의 구간이 바닥(−0.60 ± 0.65)처럼 0을 포함하고, $\eta=0$과 다른 줄은 없습니다.
#   다만 $\hat\sigma-\eta=1$은 $-0.16\pm0.12$입니다. $\hat\sigma$가 $\eta=1$을 이기는 논문의 마지막 열(3.17 대 4.73)과 부호가 같습니다.
# - **간격도 $\eta$만큼 중요합니다.** 논문의 CIFAR10 줄은 *이차*(quadratic) $\tau$를 씁니다(부록 D.2: CIFAR10에는 이차, 나머지 데이터셋에는 선형).
#   위의 줄들은 선형 간격인 leading을 씁니다. 이차 $\tau$에서는 $\eta=0$이 $S=10$에서 $-11.09\pm1.15$만큼 좋아집니다(7.83 대 18.92).
#   이차 간격은 스텝을 $t=0$ 근처에 몰아 쓰는데, 고리의 세밀한 모양이 바로 그 구간에서 정해지기 때문입니다.
#   그러니 우리 줄과 논문의 줄은 값이 아니라 모양으로 비교해야 합니다.
#
# 이제 줄들이 제대로 움직입니다. $\eta=0$은 $S=50$의 2.6에서 $S=100$의 0.8로 내려가고, 그다음 잡음 속으로 들어갑니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Table 1 with no sampling noise: Gaussian data
#
# Intervals make noise visible; an exact case removes it. Take data $x_0\sim\mathcal N(\mu,\mathrm{diag}(s^2))$. Its exact
# denoiser is affine in $x_t$ (it is the mean of a Gaussian $x_0$ given a linear Gaussian observation; lecture 10 derives the
# same formula from Tweedie's formula):
# $$\hat x_0(x_t)=\mu+g_t\,(x_t-\sqrt{\bar\alpha_t}\mu),\qquad g_t=\frac{\sqrt{\bar\alpha_t}\,s^2}{\bar\alpha_t s^2+1-\bar\alpha_t}.$$
# Line by line:
# 1. $\epsilon_\theta=(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$ (Eq. 9 solved for $\epsilon$) is affine in $x_t$ too.
# 2. Eq. 12 adds an affine function of $x_t$ and an independent $\sigma z$: one step is $x_s=A\,x_t+b+\sigma z$.
# 3. If $x_t\sim\mathcal N(m,v)$ then $x_s\sim\mathcal N(Am+b,\;A^2v+\sigma^2)$: an affine image of a Gaussian plus independent Gaussian noise.
# 4. Starting from $x_T\sim\mathcal N(0,I)$, the output $x_0$ is exactly Gaussian for every $S$ and $\eta$, and its KL divergence to the data has a closed form.
#
# For unit-variance data ($\mu=0$, $s=1$) the algebra is short enough to do by hand, and it explains a surprise
# below. The sympy cell checks: with the $\eta=1$ mean, $A=\sqrt{\bar\alpha_t/\bar\alpha_s}$; $\hat\sigma$ then keeps the
# variance at exactly 1 ($A^2+\hat\sigma^2=1$), while $\sigma(1)$ loses a little at every jump; at $\eta=0$,
# $A=\sqrt{\bar\alpha_t\bar\alpha_s}+\sqrt{(1-\bar\alpha_t)(1-\bar\alpha_s)}$, the cosine of a difference of two angles, below 1.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 잡음 없는 Table 1: 가우시안 데이터
#
# 신뢰구간은 잡음을 보이게 합니다. 정확히 풀리는 경우는 잡음을 아예 없앱니다.
# 데이터가 $x_0\sim\mathcal N(\mu,\mathrm{diag}(s^2))$라고 합시다. 이때 정확한 디노이저는 $x_t$의 일차(아핀) 함수입니다. 가우시안 $x_0$를 선형 가우시안 관측으로 조건화한 평균이기 때문입니다(10강은 같은 식을 Tweedie 공식으로 유도합니다).
# $$\hat x_0(x_t)=\mu+g_t\,(x_t-\sqrt{\bar\alpha_t}\mu),\qquad g_t=\frac{\sqrt{\bar\alpha_t}\,s^2}{\bar\alpha_t s^2+1-\bar\alpha_t}.$$
# 한 줄씩 갑니다.
# 1. $\epsilon_\theta=(x_t-\sqrt{\bar\alpha_t}\hat x_0)/\sqrt{1-\bar\alpha_t}$ (Eq. 9를 $\epsilon$에 대해 푼 식)도 $x_t$의 아핀 함수입니다.
# 2. Eq. 12는 $x_t$의 아핀 함수에 독립인 $\sigma z$를 더합니다. 한 스텝은 $x_s=A\,x_t+b+\sigma z$입니다.
# 3. $x_t\sim\mathcal N(m,v)$이면 $x_s\sim\mathcal N(Am+b,\;A^2v+\sigma^2)$입니다. 가우시안의 아핀 변환에 독립 가우시안 노이즈를 더했기 때문입니다.
# 4. $x_T\sim\mathcal N(0,I)$에서 시작하면, 출력 $x_0$는 모든 $S$와 $\eta$에서 정확히 가우시안입니다. 데이터까지의 KL 발산도 닫힌 꼴로 나옵니다.
#
# 분산이 1인 데이터($\mu=0$, $s=1$)라면 손으로 풀 만큼 짧습니다. 그리고 아래에서 만날 놀라운 결과를 설명해 줍니다.
# sympy 셀이 확인하는 내용은 이렇습니다. $\eta=1$의 평균에서 $A=\sqrt{\bar\alpha_t/\bar\alpha_s}$입니다.
# 그러면 $\hat\sigma$는 분산을 정확히 1로 지킵니다($A^2+\hat\sigma^2=1$). $\sigma(1)$은 건너뛸 때마다 조금씩 잃습니다.
# $\eta=0$에서는 $A=\sqrt{\bar\alpha_t\bar\alpha_s}+\sqrt{(1-\bar\alpha_t)(1-\bar\alpha_s)}$입니다. 두 각의 차의 코사인이라서 1보다 작습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.gaussian_law_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# `ddim_teach.gaussian_law` runs the recursion $m\leftarrow Am+b$, $v\leftarrow A^2v+\sigma^2$ over $\tau$, coordinate by
# coordinate, for the course's Gaussian ($\mu=(0.5,-0.5)$, $s=(1,0.3)$), and prints $\mathrm{KL}(q_\text{data}\,\|\,p_{S,\eta})$ in
# nats for every cell of Table 1. Its tests check the law against 200,000 sampled points and, at $\eta=0$, against
# the sampler's own affine map to $10^{-10}$. These numbers have no error bars because they have no sampling noise.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# `ddim_teach.gaussian_law`는 $\tau$를 따라 $m\leftarrow Am+b$, $v\leftarrow A^2v+\sigma^2$를 좌표마다 계산합니다.
# 데이터는 강의의 가우시안($\mu=(0.5,-0.5)$, $s=(1,0.3)$)이고, Table 1의 칸마다 $\mathrm{KL}(q_\text{data}\,\|\,p_{S,\eta})$를 nat 단위로 출력합니다.
# 테스트는 이 분포를 20만 개의 샘플과 비교하고, $\eta=0$에서는 샘플러의 아핀 사상과 $10^{-10}$까지 비교합니다.
# 이 숫자들에는 오차 막대가 없습니다. 표본 추출의 잡음이 없기 때문입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
gauss = get_denoiser("exact:gaussian").model
S_list, etas = (10, 20, 50, 100, 1000), (0.0, 0.2, 0.5, 1.0, "sigma_hat")
kl = gl.kl_table(gauss.mean, gauss.std, schedule, S_list, etas)
print(f"{'eta':<6}" + "".join(f"{'S=' + str(S):>10}" for S in S_list) + "   KL(data || DDIM output), nats")
for eta in etas:
    print(t1.ljust_cols(t1.eta_label(eta), 6) + "".join(f"{v:10.2e}" for v in kl[eta]))
tau10 = dt.make_timesteps(1000, 10, "leading")
for eta in (0.0, 1.0, "sigma_hat"):
    _, v_out = gl.ddim_output_law(gauss.mean, gauss.std, schedule, tau10, eta)
    print(f"S = 10, eta = {t1.eta_label(eta)}: output std per coordinate {[round(x, 2) for x in v_out.sqrt().tolist()]}"
          f" (data: {[round(x, 2) for x in gauss.std.tolist()]})")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# **Reading it.** Up to $S=100$ every column is ordered $\eta=0<0.2<0.5<1$, and every row falls as $S$ grows: the paper's
# ordering of the four $\eta$ rows, now exact (at $S=1000$ all four are below $2\times10^{-4}$ nats and $\eta=0.2$ edges
# below $\eta=0$). But $\hat\sigma$ is the best row at every $S$, the opposite of CIFAR10 at few steps.
# The derivation says why: for Gaussian data the exact sampler's only error is that it shrinks the variance,
# and $\hat\sigma$'s extra noise puts much of it back: exactly on every jump but the last when $s=1$, and the wide coordinate
# ($s=1$) ends close to 1. It does not hit every variance: for the narrow coordinate ($s=0.3$) $\hat\sigma$ overshoots, and the
# output's std at $S=10$ is 0.42 against the data's 0.30 (last lines above); it still wins on KL because $\eta=0$ misses by more. On the ring and on
# images, the same extra noise lands *between* the modes, where there is no data, and few steps cannot pull it
# back. A Gaussian has no between. So a clean exact case and a rich data set can disagree, and both are right.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# **읽기.** $S=100$까지 모든 열이 $\eta=0<0.2<0.5<1$ 순서이고, 모든 줄이 $S$가 커질수록 줄어듭니다. 네 $\eta$ 줄에 대한 논문의 순서가 이번에는 정확한 값으로 나옵니다.
# ($S=1000$에서는 네 줄 모두 $2\times10^{-4}$ nat 아래이고, $\eta=0.2$가 $\eta=0$보다 아주 조금 작습니다.)
# 그런데 $\hat\sigma$는 모든 $S$에서 가장 좋은 줄입니다. 스텝이 적을 때의 CIFAR10과 정반대입니다.
# 유도가 이유를 알려 줍니다. 가우시안 데이터에서 정확한 샘플러의 오차는 분산이 줄어드는 것뿐입니다.
# $\hat\sigma$의 추가 노이즈는 잃은 분산을 상당 부분 되돌려 줍니다. $s=1$이면 마지막 점프를 뺀 모든 점프에서 정확히 되돌립니다.
# 그렇다고 모든 분산을 맞추지는 않습니다. 좁은 좌표($s=0.3$)에서는 $\hat\sigma$가 지나치게 되돌려서, $S=10$의 출력 표준편차가
# 데이터의 0.30보다 큰 0.42입니다(위 셀의 마지막 줄). 그래도 $\eta=0$이 더 크게 빗나가므로 KL로는 $\hat\sigma$가 이깁니다.
# 고리나 이미지에서는 같은 추가 노이즈가 모드 *사이*, 데이터가 없는 곳에 떨어집니다. 스텝이 적으면 되돌리지 못합니다.
# 가우시안에는 "사이"가 없습니다. 그래서 깔끔한 정확해와 풍부한 데이터셋이 서로 다른 답을 낼 수 있고, 둘 다 맞습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Compare side by side
#
# The compare explorer puts two samplers next to each other from the same $x_T$.
#
# **Try this (이렇게 해 보세요).**
# 1. Mode "η = 0 vs η = 1", model "digits", $S=10$. The same $x_T$ gives *different* digits: with noise the sample is
#    no longer a function of $x_T$ alone. Can you tell by eye which panel is better? Hardly, and that is why Table 1
#    needs a score with intervals rather than a look at 16 samples.
# 2. Mode "S = 10 vs S = 1000" at $\eta=0$. The two panels show the same digits, sharper at 1000: the deterministic
#    sampler keeps what $x_T$ encodes (the consistency of lecture 07).
# 3. The same mode with $\eta=1$: the two panels no longer show the same digits.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 나란히 비교하기
#
# 비교 탐색기는 같은 $x_T$에서 두 샘플러를 나란히 돌립니다.
#
# **이렇게 해 보세요 (Try this).**
# 1. 모드 "η = 0 대 η = 1", 모델 "digits", $S=10$. 같은 $x_T$에서 *다른* 숫자가 나옵니다. 노이즈가 있으면 샘플은 더 이상 $x_T$만의 함수가 아닙니다.
#    어느 쪽이 더 좋은지 눈으로 가릴 수 있나요? 거의 못 합니다. 그래서 Table 1에는 샘플 16개를 눈으로 보는 대신 구간이 붙은 점수가 필요합니다.
# 2. $\eta=0$에서 모드 "S = 10 대 S = 1000". 두 패널이 같은 숫자를 보여 주고, 1000에서 더 선명합니다. 결정론적 샘플러는 $x_T$가 담은 것을 지킵니다(07강의 일관성).
# 3. 같은 모드에서 $\eta=1$로 바꿔 보세요. 두 패널이 더 이상 같은 숫자를 보여 주지 않습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Do: mode "S = 10 vs S = 1000" (prepared in the background: no wait), first at η = 0, then η = 1.
# Ask: "Which panel pair shows the same digits, and why?" (η = 0: consistency, lecture 07).
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 할 것: "S = 10 대 S = 1000" 모드(뒤에서 미리 계산해 두어 기다리지 않습니다)를 η = 0에서, 다음에 η = 1에서.
# 물어볼 것: "어느 쪽에서 같은 숫자가 나오고, 왜일까요?" (η = 0: 일관성, 07강)
# 시간: 4분.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import CompareExplorer

CompareExplorer(model="digits", mode="η=0 vs η=1", S=10)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (a paired interval).** Lecture 04 had you write Eq. 16; here you read a table. Write
# `paired_half_width(row_a, row_b)`: two rows of per-seed scores run with the same seeds, and the 95% half-width of the
# mean of their per-seed differences, $t_{0.975,\,n-1}\,\mathrm{sd}(a-b)/\sqrt n$. The checker tries rows of 3, 5 and 8 seeds and
# names the usual slips (treating the rows as independent, adding the two half-widths, 1.96 for $t$, the standard
# deviation over $n$, no $\sqrt n$). Then apply it to the cached table: is $\eta=0.5$ worse than $\eta=0$ at $S=20$?
#
# **Exercise 2 ($\hat\sigma$ against $\sigma(1)$).** Write `sigma_hat(alpha_bar, alpha_bar_prev)`
# $=\sqrt{1-\bar\alpha_t/\bar\alpha_{t-1}}$. The cell compares it with the package on every jump of $S=10$ and
# $S=50$, and checks line 1 of the derivation: $\hat\sigma\ge\sigma(1)$ on every jump.
#
# **Exercise 3 (on paper).** For unit-variance data at $\eta=0$, every jump multiplies the variance by
# $A^2=\cos^2(\theta_t-\theta_s)$ where $\cos\theta_t=\sqrt{\bar\alpha_t}$. Why does the variance lost shrink when $S$ grows?
# (Hint: compare $\cos^2$ of one angle $\theta$ with the product of $\cos^2(\theta/k)$ over $k$ pieces.)
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# ```python
# def paired_half_width(row_a, row_b):
#     d = row_a - row_b
#     return t_quantile(len(d) - 1) * float(d.std()) / len(d) ** 0.5   # t_quantile(4) = 2.776
#
# def sigma_hat(alpha_bar, alpha_bar_prev):
#     return (1 - alpha_bar / alpha_bar_prev) ** 0.5
# ```
# Exercise 1 on the table: $+1.68\pm1.40$ at $S=20$, so yes. Exercise 3: $\cos^2(\theta/k)^k=(1-\theta^2/k^2+\dots)^k\to1$ as $k\to\infty$: the loss per jump is of order
# (jump angle)², so the total loss is of order 1/$S$.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (짝지은 구간).** 04강에서는 Eq. 16을 직접 작성했습니다. 여기서는 표를 읽습니다. `paired_half_width(row_a, row_b)`를
# 작성하세요. 같은 시드로 돌린 두 줄의 시드별 점수를 받아, 시드별 차이의 평균에 대한 95% 반폭 $t_{0.975,\,n-1}\,\mathrm{sd}(a-b)/\sqrt n$을 돌려줍니다.
# 채점기는 시드 3개, 5개, 8개인 줄을 넣어 보고 흔한 실수를 짚어 줍니다(두 줄을 독립으로 다룬 경우, 두 반폭을 더한 경우,
# $t$ 대신 1.96을 쓴 경우, 표준편차를 $n$으로 나눈 경우, $\sqrt n$을 빠뜨린 경우). 그다음 저장된 표에 적용해 보세요.
# $S=20$에서 $\eta=0.5$는 $\eta=0$보다 나쁠까요?
#
# **연습 2 ($\hat\sigma$와 $\sigma(1)$).** `sigma_hat(alpha_bar, alpha_bar_prev)` $=\sqrt{1-\bar\alpha_t/\bar\alpha_{t-1}}$를 작성하세요.
# 셀은 $S=10$과 $S=50$의 모든 건너뛰기에서 패키지와 비교하고, 유도의 1번 줄 $\hat\sigma\ge\sigma(1)$도 확인합니다.
#
# **연습 3 (종이 위에서).** 분산이 1인 데이터에서 $\eta=0$이면, 건너뛸 때마다 분산에 $A^2=\cos^2(\theta_t-\theta_s)$가 곱해집니다.
# 여기서 $\cos\theta_t=\sqrt{\bar\alpha_t}$입니다. $S$가 커지면 잃는 분산이 왜 줄어들까요?
# (힌트: 각 $\theta$ 하나의 $\cos^2$와, $k$조각으로 나눈 $\cos^2(\theta/k)$의 곱을 비교해 보세요.)
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def paired_half_width(row_a, row_b):
#     d = row_a - row_b
#     return t_quantile(len(d) - 1) * float(d.std()) / len(d) ** 0.5   # t_quantile(4) = 2.776
#
# def sigma_hat(alpha_bar, alpha_bar_prev):
#     return (1 - alpha_bar / alpha_bar_prev) ** 0.5
# ```
# 연습 1을 표에 적용하면 $S=20$에서 $+1.68\pm1.40$이므로 그렇습니다. 연습 3: $k\to\infty$이면 $\cos^2(\theta/k)^k=(1-\theta^2/k^2+\dots)^k\to1$입니다. 한 번 건너뛸 때 잃는 양이 (건너뛴 각)²의 크기이므로, 전체 손실은 1/$S$의 크기입니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
from ddim_teach.course import exercises
t_quantile = t1.t_quantile  # the two-sided 95% Student-t quantile: t_quantile(4) = 2.776

def paired_half_width(row_a, row_b):
    return 0.0  # replace this line with the paired half-width

exercises.check_paired_interval(paired_half_width);

# %% slideshow={"slide_type": "-"}
def sigma_hat(alpha_bar, alpha_bar_prev):
    return 0.0  # replace this line with your answer

jumps = [(ab[t], ab[tp]) for S in (10, 50) for t, tp in zip(dt.make_timesteps(1000, S).tolist(), dt.make_timesteps(1000, S).tolist()[1:])]
want = [math.sqrt(1 - a / ap) for a, ap in jumps]
ok = all(abs(sigma_hat(a, ap) - w) < 1e-9 for (a, ap), w in zip(jumps, want))
above = all(sigma_hat(a, ap) >= dt.ddim_sigma(a, ap, 1.0) - 1e-12 for a, ap in jumps)
print(f"sigma_hat matches on {len(jumps)} jumps: {ok};  sigma_hat >= sigma(1) on every jump: {above}")
print("PASS" if ok and above else "not yet: sigma_hat^2 = 1 - alpha_bar / alpha_bar_prev")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - $\eta$ scales the noise of every step (Eq. 16): 0 is DDIM, deterministic; 1 is DDPM's posterior noise; the paper's $\hat\sigma$ is larger still, and keeps the $\eta=1$ mean because $\sqrt{1-\bar\alpha_s-\hat\sigma^2}$ can be imaginary.
# - At $\eta=0$ the paths are smooth deterministic curves (an ODE's), not straight lines; noise makes them zigzag.
# - A sample-quality table is read through paired differences, not through overlapping intervals. With 5 shared seeds and a metric whose noise floor we measured, our exact-ring Table 1 shows the paper's few-step ordering at $S\le20$: $\eta=1$ worse than $\eta=0$ ($+5.11\pm1.60$ at $S=10$), $\hat\sigma$ worst, and $\eta=0.5$ worse than $\eta=0$ at $S=20$ ($+1.68\pm1.40$). Five seeds cannot rank $\eta=0.2$ against $\eta=0$. At $S=1000$ only $\hat\sigma-\eta=1$ ($-0.16\pm0.12$) is resolved.
# - For Gaussian data the law of DDIM's output is exactly Gaussian, so Table 1 has a closed form: the $\eta$ rows are ordered 0 < 0.2 < 0.5 < 1 at every $S\le100$ (at $S=1000$ all are below $2\times10^{-4}$ nats and $\eta=0.2$ edges below $\eta=0$), and $\hat\sigma$ wins, because a Gaussian has no space between modes.
#
# Next: [07 · Inversion, consistency and interpolation](07_inversion_interpolation.ipynb), where $\eta=0$ is run backwards.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - $\eta$는 스텝마다의 노이즈 크기를 정합니다(Eq. 16). 0은 결정론적인 DDIM, 1은 DDPM의 사후분포 노이즈입니다. 논문의 $\hat\sigma$는 더 크고, $\sqrt{1-\bar\alpha_s-\hat\sigma^2}$가 허수가 될 수 있어서 $\eta=1$의 평균을 그대로 씁니다.
# - $\eta=0$의 경로는 직선이 아니라 매끄러운 결정론적 곡선(상미분방정식의 해)입니다. 노이즈가 들어가면 지그재그가 됩니다.
# - 샘플 품질 표는 구간이 겹치는지가 아니라 짝지은 차이로 읽습니다. 같은 시드 5개와 잡음의 바닥을 잰 점수로 만든 고리의 Table 1에서 $S\le20$의 순서는 논문과 같습니다. $\eta=1$이 $\eta=0$보다 나쁘고($S=10$에서 $+5.11\pm1.60$), $\hat\sigma$가 가장 나쁘며, $S=20$에서는 $\eta=0.5$도 $\eta=0$보다 나쁩니다($+1.68\pm1.40$). 시드 다섯 개로는 $\eta=0.2$와 $\eta=0$의 순위를 매길 수 없습니다. $S=1000$에서 가려지는 차이는 $\hat\sigma-\eta=1$($-0.16\pm0.12$) 하나뿐입니다.
# - 가우시안 데이터에서는 DDIM 출력이 정확히 가우시안이라서 Table 1이 닫힌 꼴로 나옵니다. $S\le100$에서 $\eta$ 줄은 0 < 0.2 < 0.5 < 1 순서이고($S=1000$에서는 모두 $2\times10^{-4}$ nat 아래이고 $\eta=0.2$가 $\eta=0$보다 조금 작습니다), $\hat\sigma$가 이깁니다. 가우시안에는 모드 사이의 빈 곳이 없기 때문입니다.
#
# 다음: [07 · 역변환, 일관성, 보간](07_inversion_interpolation.ipynb). $\eta=0$을 거꾸로 돌려 봅니다.
