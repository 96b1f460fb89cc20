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
# # 01 · Noise schedules and the forward process
#
# DDIM changes how a diffusion model samples, never how noise is added. So the course starts where the study
# note's summary starts ("✅ forward 과정 수식 요약 · 1. forward 과정"): the forward process, which DDIM
# inherits from DDPM unchanged.
#
# **Learning goals.** After this lecture you can
# - compute $\bar\alpha_t$ from a noise schedule $\beta_1,\dots,\beta_T$ and read its signal-to-noise ratio;
# - explain why $q(x_t\mid x_0)$ can be sampled in one jump, and derive it from $t$ small steps;
# - compare the linear and cosine schedules, and say what "zero terminal SNR" fixes.
#
# **Prerequisites.** Lecture 00 (notation). The mean and variance of a sum of independent Gaussians.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 01 · 노이즈 스케줄과 순방향 과정
#
# DDIM은 확산 모델이 샘플을 뽑는 방법을 바꿀 뿐, 노이즈를 더하는 방법은 건드리지 않습니다. 그래서 이 강의는 스터디
# 노트의 요약("✅ forward 과정 수식 요약 · 1. forward 과정")이 시작하는 곳에서 출발합니다. DDIM이 DDPM에서 그대로
# 물려받는 순방향 과정(forward process)입니다.
#
# **학습 목표.** 이 강의를 마치면
# - 노이즈 스케줄(noise schedule) $\beta_1,\dots,\beta_T$에서 $\bar\alpha_t$를 계산하고, 신호 대 잡음비를 읽을 수 있습니다.
# - $q(x_t\mid x_0)$를 왜 한 번에 뽑을 수 있는지 설명하고, 작은 스텝 $t$번에서 이 식을 유도할 수 있습니다.
# - 선형 스케줄과 코사인 스케줄을 비교하고, "마지막 SNR을 0으로" 맞추는 보정이 무엇을 고치는지 말할 수 있습니다.
#
# **선수 지식.** 00강(표기법). 서로 독립인 가우시안을 더했을 때의 평균과 분산.

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.course import symbolic
from ddim_teach.course import exercises

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Intuition: a photograph left out in the fog
#
# Take an image $x_0$ and, $T = 1000$ times, shrink it a little and add a little Gaussian noise. Each step is
# almost invisible; after all of them nothing of the image is left but noise. One step is
# $$q(x_t\mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big)\qquad\text{(DDPM Eq. 2)}.$$
# The noise schedule $\beta_t$ says how much noise step $t$ adds. Why shrink by $\sqrt{1-\beta_t}$? If $x_{t-1}$ has
# variance 1, then $x_t$ has variance $(1-\beta_t)\cdot 1+\beta_t = 1$: the process keeps the variance fixed
# while it swaps signal for noise. Its end point is close to a standard Gaussian, the distribution a sampler
# starts from.
#
# Three names recur in every lecture:
# $$\alpha_t = 1-\beta_t,\qquad \bar\alpha_t=\prod_{s=1}^t\alpha_s,\qquad \mathrm{SNR}_t=\frac{\bar\alpha_t}{1-\bar\alpha_t}.$$
# $\bar\alpha_t$ is the cumulative product of the $\alpha_s$; the DDIM paper calls it $\alpha_t$ (lecture 00).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직관: 안개 속에 둔 사진
#
# 이미지 $x_0$를 조금 줄이고 가우시안 노이즈를 조금 더하는 일을 $T = 1000$번 되풀이한다고 해 보겠습니다. 한 번 한 번은
# 거의 티가 나지 않지만, 다 끝나면 이미지는 사라지고 노이즈만 남습니다. 한 스텝은 다음과 같습니다.
# $$q(x_t\mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big)\qquad\text{(DDPM Eq. 2)}.$$
# 노이즈 스케줄 $\beta_t$는 스텝 $t$에서 더할 노이즈의 양입니다. 왜 $\sqrt{1-\beta_t}$만큼 줄일까요? $x_{t-1}$의 분산(variance)이
# 1이면 $x_t$의 분산은 $(1-\beta_t)\cdot 1+\beta_t = 1$입니다. 이 과정은 분산을 그대로 둔 채 신호를 노이즈로 바꿔 갑니다.
# 끝에 이르면 거의 표준 가우시안 분포(Gaussian distribution)가 되고, 샘플러는 바로 여기서 출발합니다.
#
# 앞으로 모든 강의에 나올 이름 셋입니다.
# $$\alpha_t = 1-\beta_t,\qquad \bar\alpha_t=\prod_{s=1}^t\alpha_s,\qquad \mathrm{SNR}_t=\frac{\bar\alpha_t}{1-\bar\alpha_t}.$$
# $\bar\alpha_t$는 $\alpha_s$들의 누적곱(cumulative product)입니다. DDIM 논문은 이것을 $\alpha_t$라고 씁니다(00강).
# 마지막 $\mathrm{SNR}_t$는 신호 대 잡음비(signal-to-noise ratio)입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the forward process is a photo left in thickening fog; ᾱ_t says how much of the photo is left.
# Ask: "After how many steps is the photo half gone on the linear schedule?" The next slide's table answers.
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 순방향 과정은 점점 짙어지는 안개 속에 둔 사진입니다. ᾱ_t는 사진이 얼마나 남았는지 말합니다.
# 물어볼 것: "linear 스케줄에서 몇 스텝 뒤에 사진이 절반 사라질까요?" 다음 슬라이드의 표가 답합니다.
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Two schedules in numbers
#
# DDPM's **linear** schedule raises $\beta_t$ from $10^{-4}$ to $0.02$. The **cosine** schedule of Nichol &
# Dhariwal (2021) chooses $\bar\alpha_t$ directly, as a squared cosine of $t/T$, and derives $\beta_t$ from it. The
# cell prints $\bar\alpha_t$ and the SNR of both at a few $t$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 두 스케줄을 숫자로
#
# DDPM의 **선형** 스케줄은 $\beta_t$를 $10^{-4}$에서 $0.02$까지 고르게 올립니다. Nichol과 Dhariwal(2021)의 **코사인**
# 스케줄은 $\bar\alpha_t$를 $t/T$의 코사인 제곱으로 먼저 정하고, 거기서 $\beta_t$를 거꾸로 구합니다. 아래 셀은 몇 개의
# $t$에서 두 스케줄의 $\bar\alpha_t$와 SNR을 출력합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
linear, cosine = dt.make_schedule("linear", T=1000), dt.make_schedule("cosine", T=1000)
print(f"{'t':>5} {'abar linear':>12} {'abar cosine':>12} {'SNR linear':>11} {'SNR cosine':>11}")
for t in (1, 10, 100, 250, 500, 1000):  # the paper's t; array index t - 1
    k = t - 1
    print(f"{t:5d} {linear.alphas_cumprod[k].item():12.6f} {cosine.alphas_cumprod[k].item():12.6f}"
          f" {linear.snr[k].item():11.3g} {cosine.snr[k].item():11.3g}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Read the table row by row.
# - At $t = 500$ the linear schedule keeps $\bar\alpha_t = 0.079$ of the signal's power, the cosine one $0.49$:
#   the linear schedule destroys the image much earlier, and spends its second half on almost pure noise.
# - The SNR falls over eight orders of magnitude, so the figure below plots $\log\mathrm{SNR}$. The cosine
#   schedule's log-SNR falls almost linearly in $t$; the linear schedule's falls fast and then flattens.
# - At $t = T$ the linear schedule keeps $\bar\alpha_T = 4\times 10^{-5}$, not 0: $x_T$ still holds
#   $\sqrt{\bar\alpha_T}\approx 0.006$ of the image. Lin et al. (2023) rescale the schedule so that $\bar\alpha_T = 0$
#   exactly ("zero terminal SNR"), the third curve.
# - SNR = 1 is where signal and noise are equally strong. The linear schedule passes it just after $t = 250$
#   (SNR 1.1 there), the cosine schedule just before $t = 500$ (0.976 there): the cosine schedule keeps the image
#   recognisable for about twice as many steps.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 표를 한 줄씩 읽어 보겠습니다.
# - $t = 500$에서 선형 스케줄은 신호 세기의 $\bar\alpha_t = 0.079$만 남기고, 코사인 스케줄은 $0.49$를 남깁니다. 선형
#   스케줄은 이미지를 훨씬 일찍 지워 버리고, 뒤쪽 절반은 거의 순수한 노이즈 위에서 보냅니다.
# - SNR은 10의 8제곱 넘게 떨어지므로 아래 그림은 $\log\mathrm{SNR}$을 그립니다. 코사인 스케줄의 로그 SNR은 $t$에 대해 거의
#   직선으로 떨어지고, 선형 스케줄은 빠르게 떨어지다가 평평해집니다.
# - $t = T$에서도 선형 스케줄의 $\bar\alpha_T$는 0이 아니라 $4\times 10^{-5}$입니다. $x_T$에 이미지가 아직
#   $\sqrt{\bar\alpha_T}\approx 0.006$만큼 남아 있다는 뜻입니다. Lin 등(2023)은 스케줄을 다시 맞춰 $\bar\alpha_T = 0$이 정확히
#   되게 합니다("마지막 SNR을 0으로"). 그림의 세 번째 곡선입니다.
# - SNR = 1은 신호와 노이즈의 세기가 같아지는 지점입니다. 선형 스케줄은 $t = 250$ 바로 뒤에서 이 지점을 지나고(거기서 SNR 1.1),
#   코사인 스케줄은 $t = 500$ 바로 앞에서 지납니다(거기서 0.976). 코사인 스케줄에서는 이미지를 알아볼 수 있는 구간이 약 두 배
#   길다는 뜻입니다.

# %% slideshow={"slide_type": "slide"}
fig, axes = plt.subplots(1, 4, figsize=(14, 4.2), layout="constrained")
plots.plot_schedules(axes, {dt.tr("fig_sched_linear"): linear, dt.tr("fig_sched_cosine"): cosine,
                            dt.tr("fig_sched_zero_snr"): dt.make_schedule("linear", T=1000, zero_terminal_snr=True)})
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## One jump equals $t$ small steps
#
# To train on step $t$ we need samples of $x_t$ given $x_0$. Running $t$ steps each time would be slow; instead
# $$q(x_t\mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big)\qquad\text{(DDPM Eq. 4)}.$$
# Equivalently, by **reparameterisation**, $x_t = \sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$ with
# $\epsilon\sim\mathcal N(0, I)$: one standard Gaussian draw replaces $t$ of them. The proof is an induction on $t$.
#
# - **Base case** $t = 1$: $\bar\alpha_1=\alpha_1 = 1-\beta_1$, so Eq. 4 is the one-step kernel itself.
# - **Hypothesis:** $x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}}\,\epsilon$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 한 번의 점프 = 작은 스텝 $t$번
#
# 스텝 $t$에서 학습하려면 $x_0$가 주어졌을 때의 $x_t$ 샘플이 필요합니다. 매번 $t$번의 스텝을 돌리면 느립니다. 대신
# $$q(x_t\mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big)\qquad\text{(DDPM Eq. 4)}$$
# 를 씁니다. **재매개변수화**(reparameterization)로 쓰면 $x_t = \sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$,
# $\epsilon\sim\mathcal N(0, I)$입니다. 표준 가우시안을 $t$번 뽑는 대신 한 번만 뽑으면 됩니다. 증명은 $t$에 대한 귀납입니다.
#
# - **첫 단계** $t = 1$: $\bar\alpha_1=\alpha_1 = 1-\beta_1$이므로 Eq. 4는 한 스텝 식 그 자체입니다.
# - **가정:** $x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,x_0+\sqrt{1-\bar\alpha_{t-1}}\,\epsilon$.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Show the lines with →. Ask: "Why may we jump straight to x_t without the t small steps?"
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 줄을 →로 보여 줍니다. 물어볼 것: "작은 스텝 t번 없이 왜 x_t로 바로 뛰어도 될까요?"
# 시간: 5분.

# %% [markdown] lang="en" slideshow={"slide_type": "fragment"}
# - **Step 1, substitute** the hypothesis into one forward step $x_t=\sqrt{\alpha_t}\,x_{t-1}+\sqrt{\beta_t}\,\epsilon'$
#   (a fresh $\epsilon'$, independent of $\epsilon$):
#   $$x_t=\sqrt{\alpha_t\bar\alpha_{t-1}}\,x_0+\sqrt{\alpha_t(1-\bar\alpha_{t-1})}\,\epsilon+\sqrt{\beta_t}\,\epsilon'.$$
# - **Step 2, the coefficient of $x_0$:** $\sqrt{\alpha_t}\sqrt{\bar\alpha_{t-1}}=\sqrt{\bar\alpha_t}$, by the definition of $\bar\alpha_t$.
# - **Step 3, the noise:** the sum of two independent zero-mean Gaussians is Gaussian, and their *variances*
#   add: $\alpha_t(1-\bar\alpha_{t-1})+\beta_t = \alpha_t-\bar\alpha_t+1-\alpha_t = 1-\bar\alpha_t$.
#
# So $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon''$, which is the claim for $t$. sympy checks steps 2
# and 3, and then the whole chain for $T = 3$ with symbolic $\alpha_1,\alpha_2,\alpha_3$:

# %% [markdown] lang="ko" slideshow={"slide_type": "fragment"}
# - **1단계, 대입.** 가정을 순방향 한 스텝 $x_t=\sqrt{\alpha_t}\,x_{t-1}+\sqrt{\beta_t}\,\epsilon'$에 넣습니다
#   ($\epsilon'$은 $\epsilon$과 독립인 새 노이즈).
#   $$x_t=\sqrt{\alpha_t\bar\alpha_{t-1}}\,x_0+\sqrt{\alpha_t(1-\bar\alpha_{t-1})}\,\epsilon+\sqrt{\beta_t}\,\epsilon'.$$
# - **2단계, $x_0$의 계수.** $\bar\alpha_t$의 정의에 따라 $\sqrt{\alpha_t}\sqrt{\bar\alpha_{t-1}}=\sqrt{\bar\alpha_t}$입니다.
# - **3단계, 노이즈.** 평균이 0이고 서로 독립인 가우시안 둘을 더하면 가우시안이고, **분산**끼리 더해집니다.
#   $\alpha_t(1-\bar\alpha_{t-1})+\beta_t = \alpha_t-\bar\alpha_t+1-\alpha_t = 1-\bar\alpha_t$.
#
# 따라서 $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon''$이고, $t$에서도 주장이 성립합니다. sympy로 2단계와
# 3단계를 확인하고, 이어서 $\alpha_1,\alpha_2,\alpha_3$를 기호로 둔 $T = 3$ 체인 전체를 확인합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
symbolic.print_steps(symbolic.forward_composition_steps())
symbolic.print_steps(symbolic.forward_chain_steps(3))

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The same fact on real numbers
#
# Now the package's schedule ($T = 1000$, float64). First exactly: propagate the variance through the chain,
# $v_t = \alpha_t v_{t-1}+\beta_t$ from $v_0 = 0$, and compare with $1-\bar\alpha_t$. Then by simulation: push
# 4,000 copies of one point $x_0$ through $t$ chained steps and measure the mean (divided by $x_0$) and the
# variance. The Monte Carlo error of a variance near 1 from 4,000 draws is about $\sqrt{2/4000}\approx 0.022$, so
# gaps of a few hundredths are noise, not a contradiction.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 같은 사실을 실제 숫자로
#
# 이번에는 패키지의 스케줄($T = 1000$, float64)로 확인합니다. 먼저 정확하게: 분산을 체인을 따라
# $v_t = \alpha_t v_{t-1}+\beta_t$ ($v_0 = 0$)로 전파해서 $1-\bar\alpha_t$와 비교합니다. 다음은 시뮬레이션입니다. 점 $x_0$
# 하나를 4,000개 복사해서 $t$번의 스텝에 통과시키고, 평균($x_0$로 나눈 값)과 분산을 잽니다. 분산이 1 근처일 때
# 4,000개 표본의 몬테카를로 오차는 약 $\sqrt{2/4000}\approx 0.022$입니다. 그러니 0.0몇 정도의 차이는 모순이 아니라
# 표본 잡음입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
v, gap = 0.0, 0.0
for k in range(linear.T):  # array index k is the paper's t = k + 1
    v = linear.alphas[k].item() * v + linear.betas[k].item()
    gap = max(gap, abs(v - (1 - linear.alphas_cumprod[k].item())))
print(f"exact recursion: max_t |v_t - (1 - abar_t)| < 1e-12: {gap < 1e-12}")
x0_point = torch.tensor([0.8, -0.6])
mean_coef, var = dt.chain_moments(linear, x0_point, n=4000, generator=torch.Generator().manual_seed(1))
print(f"4000 copies: max_t |mean/x0 - sqrt(abar_t)| = {(mean_coef - linear.alphas_cumprod.sqrt()).abs().max().item():.2f}, "
      f"max_t |var - (1 - abar_t)| = {(var - (1 - linear.alphas_cumprod)).abs().max().item():.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## What $q(x_t\mid x_0)$ looks like
#
# One $x_0$ per column, one noise draw $\epsilon$ reused for every $t$, so that only $\sqrt{\bar\alpha_t}$ and
# $\sqrt{1-\bar\alpha_t}$ change from panel to panel. Each panel is a single jump, no loop. Top: digits. Bottom:
# the two-moons point cloud (grey: the clean data). By $t = 250$ ($\bar\alpha_t = 0.52$) the digits are hard to
# read; by $t = 500$ ($\bar\alpha_t = 0.08$) both are noise to the eye, though not yet to a network.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $q(x_t\mid x_0)$는 어떻게 생겼을까
#
# 각 칸에서 $x_0$와 노이즈 $\epsilon$은 그대로 두고, $\sqrt{\bar\alpha_t}$와 $\sqrt{1-\bar\alpha_t}$만 $t$에 따라 바뀝니다. 칸마다
# 한 번의 점프로 만든 그림이고, 반복문은 없습니다. 위는 손글씨 숫자, 아래는 두 개의 반달(two moons) 점구름입니다(회색은
# 깨끗한 데이터). $t = 250$($\bar\alpha_t = 0.52$)이면 숫자를 읽기 어렵고, $t = 500$($\bar\alpha_t = 0.08$)이면 둘 다 눈에는
# 노이즈로 보입니다. 네트워크에게는 아직 아닙니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.data import load_dataset

digits, moons = load_dataset("digits", "test").x[:4], load_dataset("moons", "test").x[:800]  # four digits: 2×2 thumbnails large enough to read from the back
ts = [1, 50, 100, 250, 500, 1000]  # the paper's t
fig, axes = plt.subplots(2, len(ts), figsize=(14, 5), layout="constrained")
g = torch.Generator().manual_seed(0)
noise_d, noise_m = torch.randn(digits.shape, generator=g), torch.randn(moons.shape, generator=g)
for j, t in enumerate(ts):
    plots.show_images(axes[0, j], dt.q_sample(linear, digits, t - 1, noise=noise_d), 2, title=f"t = {t}")
    plots.plot_points(axes[1, j], dt.q_sample(linear, moons, t - 1, noise=noise_m), ref=moons, lim=4)
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore the schedules
#
# The explorer draws $\beta_t$, $\bar\alpha_t$, the signal and noise scales $\sqrt{\bar\alpha_t}$ and
# $\sqrt{1-\bar\alpha_t}$, and $\log\mathrm{SNR}$ for two schedules side by side.
#
# **Try this.**
# - Compare *linear* with *cosine* in the $\bar\alpha_t$ panel: the cosine curve stays high much longer. Where do
#   the two signal curves cross the noise curves? That $t$ (SNR = 1) is about 250 for linear and 500 for cosine.
# - Set $T = 100$ with the linear schedule: $\bar\alpha_T$ in the status line rises to about 0.36, so $x_T$ is far
#   from pure noise. A schedule's $\beta$ range must match its $T$.
# - Tick *zero terminal SNR*: the status line shows $\bar\alpha_T = 0$ and the log-SNR panel falls to $-\infty$ at
#   the last step; everything else barely moves.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 스케줄 탐색하기
#
# 탐색기는 두 스케줄의 $\beta_t$, $\bar\alpha_t$, 신호와 노이즈의 크기 $\sqrt{\bar\alpha_t}$와 $\sqrt{1-\bar\alpha_t}$, 그리고
# $\log\mathrm{SNR}$을 나란히 그립니다.
#
# **이렇게 해 보세요.**
# - $\bar\alpha_t$ 칸에서 *linear*와 *cosine*을 비교하세요. 코사인 곡선이 훨씬 오래 높게 머뭅니다. 신호 곡선과 노이즈
#   곡선은 어디서 만날까요? 그 $t$(SNR = 1)는 선형이 약 250, 코사인이 약 500입니다.
# - 선형 스케줄에서 $T = 100$으로 줄여 보세요. 상태 줄의 $\bar\alpha_T$가 약 0.36까지 올라갑니다. $x_T$가 순수한
#   노이즈와 거리가 멀다는 뜻입니다. $\beta$의 범위는 $T$에 맞춰야 합니다.
# - *마지막 SNR = 0* 칸을 켜 보세요. 상태 줄에 $\bar\alpha_T = 0$이 나오고, 로그 SNR 칸은 마지막 스텝에서
#   $-\infty$로 떨어집니다. 나머지는 거의 그대로입니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import ScheduleExplorer

ScheduleExplorer()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore the forward process
#
# Left: $x_t\sim q(x_t\mid x_0)$ for the chosen $t$ (one jump). Right: the closed-form mean coefficient
# $\sqrt{\bar\alpha_t}$ and variance $1-\bar\alpha_t$ (lines) against the moments of $t$ chained steps (markers).
#
# **Try this.**
# - Drag $t$ from 1 to 1000 on the digits: the image fades over roughly $t\in[100, 400]$, and almost nothing
#   changes after 600. That is the flat tail of the linear schedule you saw above.
# - Switch the data to a 2-D set and compare $t = 100$ with $t = 250$: the shape blurs from its edges inwards,
#   because noise of standard deviation $\sqrt{1-\bar\alpha_t}$ is added to every point alike.
# - Change the seed: the markers on the right move by a few hundredths, the lines never do. The markers are
#   Monte Carlo estimates; the lines are exact.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 순방향 과정 탐색하기
#
# 왼쪽은 고른 $t$에서 한 번의 점프로 뽑은 $x_t\sim q(x_t\mid x_0)$입니다. 오른쪽은 닫힌 꼴의 평균 계수
# $\sqrt{\bar\alpha_t}$와 분산 $1-\bar\alpha_t$(선)를, 스텝 $t$번을 이어서 얻은 평균(mean)과 분산(점)과 비교합니다.
#
# **이렇게 해 보세요.**
# - 손글씨 숫자에서 $t$를 1부터 1000까지 끌어 보세요. 이미지는 대략 $t\in[100, 400]$에서 흐려지고, 600 이후로는
#   거의 변하지 않습니다. 위에서 본 선형 스케줄의 평평한 꼬리입니다.
# - 데이터를 2차원 점 집합으로 바꾸고 $t = 100$과 $t = 250$을 비교하세요. 모양이 가장자리부터 번집니다. 모든 점에
#   표준편차 $\sqrt{1-\bar\alpha_t}$의 노이즈가 똑같이 더해지기 때문입니다.
# - 시드를 바꿔 보세요. 오른쪽의 점들은 0.0몇씩 움직이지만 선은 움직이지 않습니다. 점은 몬테카를로 추정값이고,
#   선은 정확한 값입니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import ForwardExplorer

ForwardExplorer(data="digits")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercise: $\bar\alpha_t$ from $\beta_t$
#
# Write `my_alpha_bar(betas)`, which takes a 1-D tensor $\beta_1,\dots,\beta_T$ and returns $\bar\alpha_1,\dots,\bar\alpha_T$,
# one value per step. The checker compares it with the package on the linear, cosine and a random schedule
# and names the usual slips ($\alpha_t$ instead of $\bar\alpha_t$, a shift by one step, the product of the $\beta$'s).
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# `return torch.cumprod(1 - betas, dim=0)`: $\bar\alpha_t$ is the running product of $\alpha_s = 1-\beta_s$ up to and
# including $s = t$.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제: $\beta_t$에서 $\bar\alpha_t$ 구하기
#
# `my_alpha_bar(betas)`를 작성하세요. 1차원 텐서 $\beta_1,\dots,\beta_T$를 받아 스텝마다 하나씩 $\bar\alpha_1,\dots,\bar\alpha_T$를
# 돌려줍니다. 검사 함수는 선형, 코사인, 무작위 스케줄에서 패키지의 값과 비교하고, 흔한 실수($\bar\alpha_t$ 대신
# $\alpha_t$, 한 스텝 밀림, $\beta$들의 곱)를 짚어 줍니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# `return torch.cumprod(1 - betas, dim=0)`. $\bar\alpha_t$는 $\alpha_s = 1-\beta_s$를 $s = t$까지(자기 자신 포함) 곱한 값입니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def my_alpha_bar(betas):
    # TODO: alpha_bar_t = prod_{s <= t} (1 - beta_s), one value per step
    raise NotImplementedError

exercises.check_alpha_bar(my_alpha_bar)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - The forward process adds Gaussian noise in $T$ steps, $q(x_t\mid x_{t-1})=\mathcal N(\sqrt{1-\beta_t}\,x_{t-1},\beta_t I)$,
#   and keeps the variance at 1 while it trades signal for noise.
# - $\bar\alpha_t=\prod_{s\le t}(1-\beta_s)$ is the signal power left after $t$ steps (the DDIM paper's $\alpha_t$);
#   $\mathrm{SNR}_t=\bar\alpha_t/(1-\bar\alpha_t)$.
# - One jump equals $t$ steps: $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$, by induction, because the
#   variances of independent noises add (checked by sympy, and on the schedule to $10^{-12}$).
# - The linear schedule destroys the signal early and ends at $\bar\alpha_T = 4\times10^{-5}$; the cosine schedule
#   spreads the destruction evenly in log-SNR; a rescale makes $\bar\alpha_T = 0$.
# - DDIM keeps all of this. What it changes is the *joint* distribution of $x_{1:T}$: the next lecture.
#
# Next: [02 · telescoping and the non-Markovian family](02_telescoping.ipynb).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - 순방향 과정은 가우시안 노이즈를 $T$번에 나눠 더합니다. $q(x_t\mid x_{t-1})=\mathcal N(\sqrt{1-\beta_t}\,x_{t-1},\beta_t I)$이고,
#   분산을 1로 유지한 채 신호를 노이즈로 바꿉니다.
# - $\bar\alpha_t=\prod_{s\le t}(1-\beta_s)$는 $t$번 뒤에 남은 신호의 세기입니다(DDIM 논문의 $\alpha_t$).
#   $\mathrm{SNR}_t=\bar\alpha_t/(1-\bar\alpha_t)$입니다.
# - 한 번의 점프는 스텝 $t$번과 같습니다. $x_t=\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$. 독립인 노이즈의 분산이
#   더해지기 때문이고, 귀납법으로 증명됩니다(sympy로 확인, 실제 스케줄에서 $10^{-12}$까지 일치).
# - 선형 스케줄은 신호를 일찍 지우고 $\bar\alpha_T = 4\times10^{-5}$에서 끝납니다. 코사인 스케줄은 로그 SNR 기준으로
#   고르게 지웁니다. 다시 맞추면 $\bar\alpha_T = 0$이 됩니다.
# - DDIM은 이 모든 것을 그대로 둡니다. DDIM이 바꾸는 것은 $x_{1:T}$의 **결합**분포입니다. 다음 강의의 주제입니다.
#
# 다음 강의: [02 · 텔레스코핑과 비마르코프 과정](02_telescoping.ipynb).
