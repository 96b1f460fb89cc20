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
# # 10 · After DDIM: the probability-flow ODE and higher-order solvers
#
# Section 4.3 of the paper makes one remark that changed how diffusion models are sampled: with $\eta=0$,
# DDIM is Euler's method for an ordinary differential equation (Eqs. 13–14). Many fast samplers since then
# (Heun in Karras et al. 2022, DPM-Solver++ in Lu et al. 2022) are better solvers of that same equation.
# This lecture makes the remark concrete, measures it, and shows where it stops helping.
#
# **Learning goals.** After this lecture you can
# - rewrite DDIM's update (Eq. 12, $\eta=0$) as an Euler step of $d\bar x/d\bar\sigma=\epsilon_\theta$ and check the two to round-off;
# - measure a solver's error against an exact flow map and read its order off a log–log slope;
# - explain Heun's method and DPM-Solver++(2M) and count their cost in network calls (NFE);
# - connect $\epsilon_\theta$ to the score $\nabla\log q_t$ (Tweedie's formula) and check it with autograd;
# - predict when a higher-order solver loses: very few calls, large log-SNR steps near $t=1$, and the last jump to $x_0$.
#
# **Prerequisites.** Lecture 04 (the DDIM update, Eq. 12, and the predicted $\hat x_0$, Eq. 9) and lecture 05
# (the sub-sequence $\tau$, its spacings, and NFE as the unit of cost).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 10 · DDIM 다음: 확률 흐름 ODE와 고차 솔버
#
# 논문 4.3절에는 확산 모델의 샘플링을 바꾼 한 문장이 있습니다. $\eta=0$인 DDIM은 상미분방정식(ordinary differential
# equation, ODE)을 푸는 오일러 방법(Euler method)이라는 것입니다(Eq. 13–14). 그 뒤에 나온 빠른 샘플러 가운데 상당수는 같은
# 방정식을 더 잘 푸는 솔버(solver)입니다. Karras et al.(2022)의 Heun 방법(Heun's method), Lu et al.(2022)의 `DPM-Solver++`가 그 예입니다.
# 이번 강의에서는 이 문장을 직접 계산해 보고, 숫자로 재 보고, 어디서부터 효과가 없어지는지 확인합니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - DDIM 업데이트(Eq. 12, $\eta=0$)를 $d\bar x/d\bar\sigma=\epsilon_\theta$의 오일러 한 스텝으로 다시 쓰고, 두 식이 반올림 오차까지 같음을 확인합니다.
# - 정확한 흐름 사상과 비교해 솔버의 오차를 재고, 로그–로그 그래프의 기울기에서 차수를 읽습니다.
# - Heun 방법과 `DPM-Solver++(2M)`을 설명하고, 비용을 네트워크 호출 횟수(number of function evaluations, NFE)로 셉니다.
# - $\epsilon_\theta$와 스코어 함수(score function) $\nabla\log q_t$의 관계(Tweedie 공식)를 자동 미분으로 확인합니다.
# - 고차 솔버가 지는 경우를 미리 압니다. 호출이 아주 적을 때, $t=1$ 근처에서 로그 신호 대 잡음비(signal-to-noise ratio, SNR)가 크게 뛸 때, 그리고 $x_0$로 가는 마지막 점프가 그 경우입니다.
#
# **선수 지식.** 04강(DDIM 업데이트 Eq. 12와 예측된 원본(predicted $x_0$) $\hat x_0$, Eq. 9), 05강(부분 수열 $\tau$, 간격(spacing), 비용 단위인 NFE).

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.samplers import ode
from ddim_teach.experiments import flow_map as fm
from ddim_teach.lab import plots
from ddim_teach.course import symbolic as sym
from ddim_teach.experiments.records import get_denoiser
from ddim_teach.lab.solver_widget import SolverExplorer, plot_error_vs_nfe, plot_quality_vs_nfe, solver_label

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
s = dt.make_schedule("linear", T=1000)  # paper's t = 1..T is table index t - 1
gauss = get_denoiser("exact:gaussian").model  # N((0.5, -0.5), diag(1.0², 0.3²)) with its exact ε
ring = dt.ring_of_gaussians(s)  # the 8-mode ring with its exact ε

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Intuition: a leaf on a stream
#
# With $\eta=0$ nothing random happens after $x_T$ is drawn. Each $x_T$ is carried to one
# $x_0$ along a fixed curve, like a leaf carried by a stream. The network tells us the direction of the stream
# where we stand. A **solver** decides how to walk along the curve with as few looks at the stream as possible.
#
# In the note's analogy, DDIM peeks at the predicted answer sheet $\hat x_0$ at each step and walks straight
# towards it. Walking straight is Euler's method: measure the slope here, step, repeat. When the
# curve bends, a straight step overshoots, and the error falls only in proportion to the step size.
# Two repairs cost little:
# - **look ahead** (Heun): take the Euler step, measure the slope where you land, and redo the step with the average
#   of the two slopes. Two network calls per step.
# - **remember** (DPM-Solver++(2M)): keep the previous step's answer sheet and extrapolate how the answer sheet is
#   changing. One network call per step, like DDIM.
#
# We always compare solvers at equal network calls (NFE).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직관: 시냇물에 뜬 나뭇잎
#
# 결론부터 말하자면, $\eta=0$이면 $x_T$를 뽑은 뒤에는 아무것도 무작위로 일어나지 않습니다. $x_T$ 하나는 정해진 곡선을
# 따라 $x_0$ 하나로 옮겨집니다. 시냇물에 뜬 나뭇잎과 같습니다. 네트워크는 지금 서 있는 곳에서 물이 흐르는 방향을
# 알려 줍니다. **솔버**는 물길을 되도록 적게 보고 곡선을 따라가는 방법입니다.
#
# 노트의 비유로 말하면, DDIM은 스텝마다 예측된 정답지(answer sheet) $\hat x_0$를 슬쩍 보고 그쪽으로 잠시 곧게 걷습니다.
# 곧게 걷는 것이 오일러 방법입니다. 여기서 기울기를 재고, 한 스텝 가고, 다시 잽니다. 곡선이 휘면 곧은 스텝은
# 바깥으로 벗어납니다. 그래서 오차는 스텝 크기에 비례해서만 줄어듭니다. 싸게 고치는 방법이 두 가지 있습니다.
# - **미리 보기**(Heun 방법): 오일러 스텝을 한 번 가 보고, 도착한 곳의 기울기를 잰 뒤, 두 기울기의 평균으로 스텝을 다시 갑니다.
#   스텝마다 네트워크를 두 번 부릅니다.
# - **기억하기**(`DPM-Solver++(2M)`): 이전 스텝의 정답지를 기억해 두고, 정답지가 어떻게 변하는지 외삽합니다.
#   DDIM처럼 스텝마다 한 번만 부릅니다.
#
# 공정한 비용 단위는 네트워크 호출 횟수(NFE)입니다. 그래서 비교는 언제나 같은 NFE에서 합니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the sampler follows a flow; a solver is how big and how clever each step is. DDIM is Euler's method.
# Ask: "With a fixed budget of network calls, is it better to take more small steps or fewer clever ones?"
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 샘플러는 흐름을 따라갑니다. 솔버는 한 걸음을 얼마나 크게, 얼마나 영리하게 딛느냐입니다. DDIM은 오일러 방법입니다.
# 물어볼 것: "네트워크 호출 예산이 같다면, 작은 걸음을 많이 딛는 편이 나을까요, 영리한 걸음을 적게 딛는 편이 나을까요?"
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The ODE view: Eqs. 13–14, line by line
#
# Start from Eq. 12 with $\eta=0$ and Eq. 9 (the paper writes $\alpha_t$ for our $\bar\alpha_t$):
# $$x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+\sqrt{1-\bar\alpha_{t-1}}\,\epsilon_\theta(x_t),\qquad \hat x_0=\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta(x_t)}{\sqrt{\bar\alpha_t}} .$$
#
# **Step 1 (divide by $\sqrt{\bar\alpha_{t-1}}$ and substitute Eq. 9).** This is the paper's Eq. 13:
# $$\frac{x_{t-1}}{\sqrt{\bar\alpha_{t-1}}}=\frac{x_t}{\sqrt{\bar\alpha_t}}+\left(\sqrt{\frac{1-\bar\alpha_{t-1}}{\bar\alpha_{t-1}}}-\sqrt{\frac{1-\bar\alpha_t}{\bar\alpha_t}}\right)\epsilon_\theta(x_t).$$
#
# **Step 2 (name the two quantities).** With the scaled sample $\bar x=x/\sqrt{\bar\alpha}$ and the noise level
# $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$ (so $\bar\alpha=1/(1+\bar\sigma^2)$), Eq. 13 reads
# $\bar x_{t-1}=\bar x_t+(\bar\sigma_{t-1}-\bar\sigma_t)\,\epsilon_\theta$. That is one Euler step of the **probability-flow ODE**
# $$\frac{d\bar x}{d\bar\sigma}=\epsilon_\theta\!\left(\frac{\bar x}{\sqrt{\bar\sigma^2+1}},\,\bar\sigma\right).\qquad\text{(Eq. 14)}$$
# $\bar\sigma$ runs from about 157 at $t=T$ down to 0 at the clean data. **A clash in the paper:** Eqs. 13–14 call this
# quantity $\sigma$, the same letter as Eq. 16's $\sigma_t$, the noise a step adds; the two are unrelated. The course writes
# $\bar\sigma$ for the ODE's variable everywhere (lecture 07 too) and keeps $\sigma_t$ for Eq. 16. sympy confirms both steps:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## ODE로 보기: Eq. 13–14를 한 줄씩
#
# $\eta=0$인 Eq. 12와 Eq. 9에서 시작합니다(논문은 우리의 $\bar\alpha_t$를 $\alpha_t$로 씁니다).
# $$x_{t-1}=\sqrt{\bar\alpha_{t-1}}\,\hat x_0+\sqrt{1-\bar\alpha_{t-1}}\,\epsilon_\theta(x_t),\qquad \hat x_0=\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon_\theta(x_t)}{\sqrt{\bar\alpha_t}} .$$
#
# **1단계 ($\sqrt{\bar\alpha_{t-1}}$로 나누고 Eq. 9를 대입).** 논문의 Eq. 13이 나옵니다.
# $$\frac{x_{t-1}}{\sqrt{\bar\alpha_{t-1}}}=\frac{x_t}{\sqrt{\bar\alpha_t}}+\left(\sqrt{\frac{1-\bar\alpha_{t-1}}{\bar\alpha_{t-1}}}-\sqrt{\frac{1-\bar\alpha_t}{\bar\alpha_t}}\right)\epsilon_\theta(x_t).$$
#
# **2단계 (두 양에 이름 붙이기).** 크기를 맞춘 샘플 $\bar x=x/\sqrt{\bar\alpha}$와 노이즈 수준
# $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$(즉 $\bar\alpha=1/(1+\bar\sigma^2)$)를 쓰면 Eq. 13은
# $\bar x_{t-1}=\bar x_t+(\bar\sigma_{t-1}-\bar\sigma_t)\,\epsilon_\theta$가 됩니다. 이것이 **확률 흐름 ODE**(probability flow ODE)의 오일러 한 스텝입니다.
# $$\frac{d\bar x}{d\bar\sigma}=\epsilon_\theta\!\left(\frac{\bar x}{\sqrt{\bar\sigma^2+1}},\,\bar\sigma\right).\qquad\text{(Eq. 14)}$$
# $\bar\sigma$는 $t=T$에서 약 157로 시작해 깨끗한 데이터에서 0이 됩니다. **논문의 기호 충돌:** Eq. 13–14는 이 양을 $\sigma$로 씁니다.
# Eq. 16에서 스텝이 더하는 노이즈 $\sigma_t$와 같은 글자이지만, 둘은 관계가 없습니다. 이 강의는 ODE의 변수를 어디서나(07강에서도)
# $\bar\sigma$로 쓰고, $\sigma_t$는 Eq. 16에만 씁니다. 두 단계를 sympy로 확인합니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Show each line with → and pause on the change of variables; the sympy cell below checks it.
# Time: 6 min. Lecture 10's Run All takes about 44 s on a quiet machine: run it before class (make present).

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 줄마다 →로 보여 주고 변수 바꾸기에서 멈춥니다. 아래 sympy 셀이 이를 확인합니다.
# 시간: 6분. 10강의 Run All은 조용한 컴퓨터에서 약 44초 걸립니다. 수업 전에 실행합니다(make present).

# %% slideshow={"slide_type": "fragment"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.ode_view_steps())
print(f"sigma at t = T: {ode.ode_sigmas(s, [999])[0]:.1f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## DDIM = Euler, with numbers
#
# `dt.sample_euler` walks the ODE in $(\bar\sigma,\bar x)$; `dt.sample_ddim` applies Eq. 12. On the exact ring denoiser
# with 10 trailing steps they agree to round-off in float64. The second step, printed in full, goes from
# $t=900$ to $t=800$, that is from $\bar\sigma\approx60.27$ to $\bar\sigma\approx25.53$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## DDIM = 오일러, 숫자로
#
# `dt.sample_euler`는 $(\bar\sigma,\bar x)$에서 ODE를 걷고, `dt.sample_ddim`은 Eq. 12를 씁니다. 정확한 디노이저(exact denoiser)인
# 링 위에서 trailing 10스텝으로 돌리면 float64 반올림 오차까지 같습니다. 두 번째 스텝을 숫자로 모두 적어 봅니다.
# $t=900$에서 $t=800$으로, 즉 $\bar\sigma\approx60.27$에서 $\bar\sigma\approx25.53$으로 갑니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x_T = torch.randn(256, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
ts = dt.make_timesteps(1000, 10, "trailing")
rec = dt.TrajectoryRecorder()
x_euler = dt.sample_euler(ring, x_T, s, ts, callback=rec, progress=False)
x_ddim = dt.sample_ddim(ring, x_T, s, ts, progress=False)
print(f"max |DDIM - Euler| < 1e-12: {(x_ddim - x_euler).abs().max().item() < 1e-12}")
st = rec.steps[1]  # the step t = 900 -> 800 for the first point
xb, e, sg, sp_ = st["x"][0] / st["alpha_bar"] ** 0.5, st["eps"][0], st["ode_sigma"], st["ode_sigma_prev"]
print(f"t = {st['t'] + 1} -> {st['t_prev'] + 1}: sigma {sg:.2f} -> {sp_:.2f}")
print(f"Euler: xbar + (sigma_prev - sigma) eps = {xb.numpy().round(3)} + ({sp_ - sg:.2f}) x {e.numpy().round(4)}"
      f" = {(xb + (sp_ - sg) * e).numpy().round(3)}")
print(f"times sqrt(abar_prev) = {((xb + (sp_ - sg) * e) * st['alpha_bar_prev'] ** 0.5).numpy().round(4)}; "
      f"Eq. 12 gives {st['x_prev'][0].numpy().round(4)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## An exact reference: the flow map of Gaussian data
#
# To measure a solver's error we need the true end point. For Gaussian data $\mathcal N(\mu,s^2)$ (per coordinate)
# the Gaussian's exact denoiser (introduced in lecture 06) gives an $\epsilon$ affine in $\bar x$, and Eq. 14 can be solved by hand:
# - **Step 3 (the exact $\epsilon$ in $\bar x$).** $\epsilon=\bar\sigma(\bar x-\mu)/(s^2+\bar\sigma^2)$.
# - **Step 4 (the same $\epsilon$ from the score).** $\epsilon=-\sqrt{1-\bar\alpha_t}\,\nabla\log q_t(x_t)$; more on this below.
# - **Step 5 (solve).** $d(\bar x-\mu)/d\bar\sigma=\bar\sigma(\bar x-\mu)/(s^2+\bar\sigma^2)$ gives $\bar x(\bar\sigma)-\mu\propto\sqrt{s^2+\bar\sigma^2}$.
#
# So the **flow map** from $x_T$ to $x_0$ is affine and monotone:
# $x_0=\mu+(\bar x_T-\mu)\,s/\sqrt{s^2+\bar\sigma_T^2}$. It carries $\mathcal N(\mu,s^2+\bar\sigma_T^2)$ onto $\mathcal N(\mu,s^2)$.
# No solver can do better; `dt.gaussian_flow_map` computes it. Our Gaussian has $\mu=(0.5,-0.5)$ and $s=(1.0,0.3)$,
# and the map sends 20,000 noisy samples back to those moments, within sampling noise:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 정확한 기준: 가우시안 데이터의 흐름 사상
#
# 솔버의 오차를 재려면 진짜 도착점이 필요합니다. 데이터가 가우시안 분포(Gaussian distribution) $\mathcal N(\mu,s^2)$이면
# (좌표마다) 06강에서 만든 가우시안의 정확한 디노이저가 주는 $\epsilon$이 $\bar x$의 아핀 함수라서, Eq. 14를 손으로 풀 수 있습니다.
# - **3단계 ($\bar x$로 쓴 정확한 $\epsilon$).** $\epsilon=\bar\sigma(\bar x-\mu)/(s^2+\bar\sigma^2)$.
# - **4단계 (스코어로 쓴 같은 $\epsilon$).** $\epsilon=-\sqrt{1-\bar\alpha_t}\,\nabla\log q_t(x_t)$. 아래에서 다시 다룹니다.
# - **5단계 (풀기).** $d(\bar x-\mu)/d\bar\sigma=\bar\sigma(\bar x-\mu)/(s^2+\bar\sigma^2)$를 풀면 $\bar x(\bar\sigma)-\mu\propto\sqrt{s^2+\bar\sigma^2}$입니다.
#
# 그래서 $x_T$에서 $x_0$로 가는 **흐름 사상**은 단조 증가하는 일차 함수입니다.
# $x_0=\mu+(\bar x_T-\mu)\,s/\sqrt{s^2+\bar\sigma_T^2}$. 이 사상은 $\mathcal N(\mu,s^2+\bar\sigma_T^2)$를 $\mathcal N(\mu,s^2)$로 옮깁니다.
# 어떤 솔버도 이보다 정확할 수 없습니다. `dt.gaussian_flow_map`이 이것을 계산합니다. 우리 가우시안은
# $\mu=(0.5,-0.5)$, $s=(1.0,0.3)$이고, 사상은 노이즈가 낀 샘플 2만 개를 표본 잡음 안에서 그 평균과 표준편차로 돌려놓습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.gaussian_flow_steps())
x0 = gauss.sample(20000, generator=torch.Generator().manual_seed(0)).double()
xt = dt.q_sample(s, x0, 999, noise=torch.randn(20000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1)))
back = dt.gaussian_flow_map(gauss, xt, 999)
print(f"mean {back.mean(0).numpy().round(2)}, std {back.std(0).numpy().round(2)}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Error against NFE: the slopes are the orders
#
# Now run each solver with the exact $\epsilon$ from the same 1,000 starting points and measure the root mean square
# distance to the flow map. On log–log axes a solver of order $p$ is a line of slope $-p$: doubling the calls divides
# the error by $2^p$. The legend prints the slope fitted over the three largest budgets.
# - On the **leading** grid (it ends at $t=1$) the orders come out as the textbooks say: Euler 1.0, Heun 2.1, DPM-Solver++(2M) 1.9.
# - On the **trailing** grid Euler stays at 1.0 and DPM-Solver++(2M) reaches 2.1, but Heun drops to 1.6. That is the
#   last jump to $x_0$, which we take apart below.
#
# Heun spends $2S-1$ calls on $S$ steps, so its points sit at odd NFE.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## NFE에 따른 오차: 기울기가 곧 차수
#
# 이제 같은 시작점 1,000개에서 정확한 $\epsilon$으로 각 솔버를 돌리고, 흐름 사상까지의 평균 제곱근 거리를 잽니다.
# 로그–로그 그래프에서 $p$차 솔버는 기울기 $-p$인 직선입니다. 호출을 두 배로 늘리면 오차가 $2^p$분의 1이 됩니다.
# 범례에는 가장 큰 예산 세 개로 맞춘 기울기가 적혀 있습니다.
# - $t=1$에서 끝나는 **leading** 격자에서는 교과서대로 나옵니다. 오일러 1.0, Heun 2.1, `DPM-Solver++(2M)` 1.9.
# - **trailing** 격자에서는 오일러가 1.0, `DPM-Solver++(2M)`이 2.1인데, Heun은 1.6으로 떨어집니다.
#   $x_0$로 가는 마지막 점프 때문입니다. 아래에서 자세히 봅니다.
#
# Heun 방법은 $S$스텝에 $2S-1$번 부르므로, 점이 홀수 NFE에 찍힙니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
budgets = (5, 10, 20, 40, 80, 160)
tabs = {sp: fm.flow_map_errors(gauss, budgets, sp, n=1000) for sp in ("leading", "trailing")}
for sp, tab in tabs.items():
    print(sp, "order:", {solver: round(fm.fitted_order(rows), 1) for solver, rows in tab.items()})
    print(sp, "rmse at a budget of 10 calls:", {f"{solver} (NFE {rows[1][0]})": round(rows[1][1], 3) for solver, rows in tab.items()})

# %% slideshow={"slide_type": "slide"}
fig, axes = plt.subplots(1, 2, figsize=(14, 5.2), layout="constrained")
for ax, (sp, tab) in zip(axes, tabs.items()):
    plot_error_vs_nfe(ax, tab, title=dt.tr("fig_gauss_spacing", spacing=sp))
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The target, and where higher order loses
#
# A claim one often reads is that DPM-Solver++(2M) at 10 NFE beats DDIM at 20 NFE. On our two-dimensional Gaussian with
# trailing spacing it does not quite: 0.083 against 0.077. Split by data scale, the picture is clear. For data at unit scale
# ($s=1$) DPM-Solver++(2M) wins by almost a factor of two (0.052 against 0.088). For narrow data ($s=0.3$) it loses
# (0.105 against 0.062). Both solvers end with the same first-order jump from the last $\tau$ to $\bar\sigma=0$, which returns
# $\hat x_0=E[x_0\mid x_t]$. With 10 steps that jump starts at $\bar\sigma\approx0.34$, with 20 steps at $\bar\sigma\approx0.17$.
# The posterior mean shrinks towards $\mu$ by $s^2/(s^2+\bar\sigma^2)$ while the flow map shrinks by $s/\sqrt{s^2+\bar\sigma^2}$, and
# for $s=0.3$ those differ a lot at $\bar\sigma=0.34$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 목표치, 그리고 고차 솔버가 지는 곳
#
# "10 NFE의 `DPM-Solver++(2M)`이 20 NFE의 DDIM보다 낫다"는 말을 자주 봅니다. trailing 간격의 우리 2차원 가우시안에서는
# 아슬아슬하게 아닙니다. 0.083 대 0.077입니다. 데이터의 크기별로 나누어 보면 이유가 보입니다. 크기가 1($s=1$)인 데이터에서는
# `DPM-Solver++(2M)`이 거의 두 배 차이로 이깁니다(0.052 대 0.088). 좁은 데이터($s=0.3$)에서는 집니다(0.105 대 0.062).
# 두 솔버 모두 마지막 $\tau$에서 $\bar\sigma=0$으로 가는 같은 1차 점프로 끝나고, 이 점프는 $\hat x_0=E[x_0\mid x_t]$를 돌려줍니다.
# 10스텝이면 이 점프가 $\bar\sigma\approx0.34$에서, 20스텝이면 $\bar\sigma\approx0.17$에서 시작합니다. 사후 평균(posterior mean)은
# $\mu$ 쪽으로 $s^2/(s^2+\bar\sigma^2)$만큼 줄이는데, 흐름 사상은 $s/\sqrt{s^2+\bar\sigma^2}$만큼 줄입니다. $s=0.3$이면
# $\bar\sigma=0.34$에서 둘의 차이가 큽니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for name, g in (("course Gaussian", gauss), ("s = 1.0", dt.GaussianDenoiser(s, 0.0, 1.0)), ("s = 0.3", dt.GaussianDenoiser(s, 0.0, 0.3))):
    dpm = fm.flow_map_errors(g, (10,), "trailing", n=1000, solvers=("dpmpp_2m",))["dpmpp_2m"][0][1]
    ddim = fm.flow_map_errors(g, (20,), "trailing", n=1000, solvers=("euler",))["euler"][0][1]
    print(f"{name}: DPM++(2M) at 10 NFE {dpm:.3f}, DDIM at 20 NFE {ddim:.3f}, DPM++ closer: {dpm < ddim}")
print("last sigma before x_0, S = 10 and 20:", [round(ode.ode_sigmas(s, dt.make_timesteps(1000, S, "trailing"))[-2], 2) for S in (10, 20)])

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Quality per NFE on the ring and on digits
#
# On real distributions there is no closed-form flow map, so we measure sample quality instead, with trailing spacing:
# on the exact ring the squared MMD to the true mixture (× 1000), the score lecture 06 chose because the sliced Wasserstein
# distance could not resolve the differences there; on the digits U-Net the Fréchet distance. The ring's floor is real
# samples scored over the same seeds, a mean with an interval like every solver's point. Each point is the mean over seeds
# with a 95% interval. The table below prints the numbers the next sentences use.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 링과 숫자 데이터에서 NFE별 샘플 품질
#
# 실제 분포에는 닫힌 꼴의 흐름 사상이 없습니다. 그래서 trailing 간격으로 샘플 품질(sample quality)을 잽니다. 정확한 링에서는
# 진짜 혼합 분포까지의 MMD²(× 1000)를 씁니다. sliced Wasserstein 거리로는 이 링에서 차이를 가려낼 수 없어서 06강이 고른 점수입니다.
# 숫자 U-Net에서는 프레셰 거리를 씁니다. 링의 바닥은 진짜 샘플을 같은 시드에서 잰 값이고, 솔버의 점처럼 평균과 구간으로 적습니다. 점 하나는 여러 시드의 평균이고,
# 막대는 95% 신뢰구간(confidence interval)입니다. 다음 문장들이 쓰는 숫자는 아래 표에 찍힙니다.

# %% slideshow={"slide_type": "-"}
nfe_q = (5, 10) if SMOKE else (5, 10, 20, 50)
seeds = (0, 1) if SMOKE else (0, 1, 2)
# the ring: lecture 06's exact MMD^2 to the true mixture; its floor is real samples scored the same way, over the
# same seeds (a mean with an interval, like every solver's point)
from ddim_teach.experiments import tables as t1, tables as ev
ring8, seeds_r, n_r = get_denoiser("exact:ring8").model, ((0, 1) if SMOKE else (0, 1, 2, 3, 4)), (500 if SMOKE else 2000)
ring_q = {}
for solver in ("euler", "heun", "dpmpp_2m"):
    ring_q[solver] = []
    for nfe in nfe_q:
        S_ = ode.steps_for_nfe(solver, nfe)
        vals = [t1.mmd_to_mixture(ev.sample("exact:ring8", S_, 0.0, "trailing", n=n_r, seed=sd, sampler=solver, batch=n_r), ring8)
                for sd in seeds_r]
        ring_q[solver].append((ode.nfe_for(solver, S_), *t1.mean_ci(vals)))
ring_floor = t1.mean_ci([t1.mmd_to_mixture(t1.real_samples("exact:ring8", sd, n_r), ring8) for sd in seeds_r])
quality = {"exact:ring8": ring_q, "digits": fm.quality_per_nfe("digits", nfe_q, seeds, 32 if SMOKE else 128)}
floors = {"exact:ring8": ring_floor[0], "digits": get_denoiser("digits").floor(32 if SMOKE else 128)}
print(f"exact:ring8  MMD^2 x 1000, {len(seeds_r)} seeds, n = {n_r}; floor (real samples, same seeds): "
      f"{1e3 * ring_floor[0]:.2f} ± {1e3 * ring_floor[1]:.2f}")
print(f"digits       Frechet distance, {len(seeds)} seeds; floor (one draw of real vs held-out): {floors['digits']:.2f}")
for name, tab in quality.items():
    scale = 1e3 if name == "exact:ring8" else 1
    for solver, rows in tab.items():
        print(f"{name:12s} {solver:9s}", "  ".join(f"NFE {k:2d}: {scale * m:6.2f} ± {scale * h:5.2f}" for k, m, h in rows))

# %% slideshow={"slide_type": "slide"}
fig, axes = plt.subplots(1, 2, figsize=(14, 5), layout="constrained")
for ax, (name, tab) in zip(axes, quality.items()):
    scale = 1e3 if name == "exact:ring8" else 1
    title = f"{name}: " + ("MMD² × 1000" if name == "exact:ring8" else dt.tr("fig_frechet"))
    plot_quality_vs_nfe(ax, tab, floors[name], title=title, scale=scale)
    if name == "exact:ring8":  # the unbiased MMD^2 can fall below 0 near the floor: show it
        ax.autoscale(enable=True, axis="y"); ax.relim(); ax.autoscale_view()
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## What the quality numbers say
#
# On the ring the score is now lecture 06's exact MMD² (× 1000) over 5 seeds of 2,000 samples, and the floor is real samples
# scored the same way over the same seeds: −0.60 ± 0.65, an interval around 0, as it must be for an unbiased score.
# - **Ring, 5 calls:** DPM-Solver++(2M) is best (130 ± 5), DDIM next (155 ± 5) and Heun worst (186 ± 4); the intervals are apart.
# - **Ring, 9–10 calls and more:** DDIM is ahead of both higher-order solvers: 24.9 ± 0.9 at 10 calls against 30.2 ± 0.7
#   for DPM-Solver++(2M) and 63 ± 3 for Heun (9 calls, five steps); at 20 calls 19.4 ± 0.8 against 39 ± 1 and 61 ± 2.
#   DPM-Solver++(2M) is worse at 20 calls than at 10 on this ring; we have not traced why.
# - **Ring, 50 calls:** DDIM 4.2 ± 0.5 and DPM-Solver++(2M) 5.0 ± 0.3 are close, Heun (19.6 ± 0.6) is behind. Every solver is
#   still well above the floor: **no sampler here matches real data**, at any budget we ran.
# - **Digits, 5 calls:** Heun's three steps give a Fréchet distance twice DDIM's (117 ± 44 against 58 ± 13);
#   DPM-Solver++(2M) is at 48 ± 14. Beyond 5 calls the intervals overlap, so digits cannot rank the solvers there;
#   its floor is a single draw, so no solver is compared with it.
#
# On the exact Gaussian, extra order pays once the steps are small; on the ring, DDIM is as good as or better than
# both from 10 calls on. At 5 calls with trailing
# spacing Heun is the worst on the ring and on digits, yet ahead of DDIM on the Gaussian (0.18 against 0.26): two calls
# per step hurt most where the data are far from Gaussian.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 품질 숫자가 말해 주는 것
#
# 링의 점수는 이제 06강의 정확한 MMD²(× 1000)이고, 샘플 2,000개짜리 시드 5개로 잽니다. 바닥은 진짜 샘플을 같은 시드에서
# 같은 방법으로 잰 값으로 −0.60 ± 0.65입니다. 불편 점수라면 그래야 하듯 0을 포함하는 구간입니다.
# - **링, 5번 호출:** `DPM-Solver++(2M)`이 가장 좋고(130 ± 5), DDIM이 그다음(155 ± 5), Heun 방법이 가장 나쁩니다(186 ± 4). 구간이 서로 떨어져 있습니다.
# - **링, 9–10번 이상:** DDIM이 두 고차 솔버보다 앞섭니다. 10번 호출에서 24.9 ± 0.9이고, `DPM-Solver++(2M)`은 30.2 ± 0.7,
#   Heun 방법은 63 ± 3입니다(9번 호출, 다섯 스텝). 20번 호출에서는 19.4 ± 0.8 대 39 ± 1, 61 ± 2입니다.
#   이 링에서 `DPM-Solver++(2M)`은 20번 호출이 10번보다 나쁩니다. 그 이유는 아직 추적하지 않았습니다.
# - **링, 50번 호출:** DDIM(4.2 ± 0.5)과 `DPM-Solver++(2M)`(5.0 ± 0.3)이 가깝고, Heun 방법(19.6 ± 0.6)은 뒤처집니다.
#   모든 솔버가 여전히 바닥보다 한참 위에 있습니다. **우리가 돌린 어떤 예산에서도 진짜 데이터만큼 좋은 샘플러는 없습니다.**
# - **숫자 데이터, 5번 호출:** Heun 방법의 세 스텝은 DDIM의 두 배인 프레셰 거리를 냅니다(117 ± 44 대 58 ± 13).
#   `DPM-Solver++(2M)`은 48 ± 14입니다. 5번보다 많이 부르면 샘플 128개, 시드 세 개의 신뢰구간이 겹쳐서 숫자 데이터로는 순위를 매길 수 없습니다.
#   숫자 데이터의 바닥은 한 번 뽑은 값이라서 어떤 솔버도 그것과 비교하지 않습니다.
#
# 정확한 가우시안에서는 스텝이 충분히 작아진 뒤에 높은 차수가 값을 합니다. 모드의 폭까지 보는 점수로 잰 링에서는
# 10번 호출부터 1차 방법인 DDIM이 두 고차 솔버만큼 좋거나 더 좋습니다. trailing 간격, 5번 호출에서 Heun 방법은 링과 숫자 데이터에서
# 가장 나쁘지만, 가우시안에서는 DDIM보다 앞섭니다(0.18 대 0.26). 스텝마다 두 번 부르는 비용은 데이터가
# 가우시안에서 멀수록 크게 드러납니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The score connection: $\epsilon_\theta$ is a scaled score
#
# Why does an ODE exist at all? Because the network's target is a gradient. For data $x_0\sim q$ and
# $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$, the best $\epsilon_\theta$ under $L_\text{simple}$ (a squared error) is the
# posterior mean $\epsilon^*(x_t,t)=E[\epsilon\mid x_t]$. Differentiate $q_t(x_t)=\int q(x_t\mid x_0)\,q(x_0)\,dx_0$ under the integral and
# divide by $q_t(x_t)$; Bayes' rule turns the weights into the posterior (this is Tweedie's formula):
# $$\nabla\log q_t(x_t)=\int\nabla\log q(x_t\mid x_0)\,\frac{q(x_t\mid x_0)q(x_0)}{q_t(x_t)}\,dx_0=E\big[\nabla\log q(x_t\mid x_0)\,\big|\,x_t\big]=E\Big[-\frac{x_t-\sqrt{\bar\alpha_t}x_0}{1-\bar\alpha_t}\,\Big|\,x_t\Big]=-\frac{E[\epsilon\mid x_t]}{\sqrt{1-\bar\alpha_t}},$$
# because $\nabla\log\mathcal N(x_t;\sqrt{\bar\alpha_t}x_0,(1-\bar\alpha_t)I)=-(x_t-\sqrt{\bar\alpha_t}x_0)/(1-\bar\alpha_t)$ and $x_t-\sqrt{\bar\alpha_t}x_0=\sqrt{1-\bar\alpha_t}\,\epsilon$. So
# $$\epsilon^*(x_t,t)=-\sqrt{1-\bar\alpha_t}\;\nabla_{x}\log q_t(x_t).$$
# So training with $L_\text{simple}$ is score matching, and Eq. 14 is the probability-flow ODE of score-based models
# written in $(\bar\sigma,\bar x)$. We check it on the ring, whose noisy density $q_t$ is an exact mixture of Gaussians:
# autograd differentiates $\log q_t$, and the result equals the exact denoiser's $\epsilon$ at every $t$ we try.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 스코어와의 연결: $\epsilon_\theta$는 크기를 바꾼 스코어
#
# ODE가 왜 존재할까요? 네트워크가 맞히는 대상이 그래디언트(gradient)이기 때문입니다. 데이터 $x_0\sim q$와
# $x_t=\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon$에 대해, 제곱 오차인 $L_\text{simple}$을 가장 작게 하는 $\epsilon_\theta$는
# 사후 평균 $\epsilon^*(x_t,t)=E[\epsilon\mid x_t]$입니다. $q_t(x_t)=\int q(x_t\mid x_0)\,q(x_0)\,dx_0$를 적분 기호 안에서 미분하고
# $q_t(x_t)$로 나누면, 베이즈 정리에 따라 가중치가 사후분포가 됩니다(이것이 Tweedie 공식입니다).
# $$\nabla\log q_t(x_t)=\int\nabla\log q(x_t\mid x_0)\,\frac{q(x_t\mid x_0)q(x_0)}{q_t(x_t)}\,dx_0=E\big[\nabla\log q(x_t\mid x_0)\,\big|\,x_t\big]=E\Big[-\frac{x_t-\sqrt{\bar\alpha_t}x_0}{1-\bar\alpha_t}\,\Big|\,x_t\Big]=-\frac{E[\epsilon\mid x_t]}{\sqrt{1-\bar\alpha_t}}$$
# $\nabla\log\mathcal N(x_t;\sqrt{\bar\alpha_t}x_0,(1-\bar\alpha_t)I)=-(x_t-\sqrt{\bar\alpha_t}x_0)/(1-\bar\alpha_t)$이고 $x_t-\sqrt{\bar\alpha_t}x_0=\sqrt{1-\bar\alpha_t}\,\epsilon$이기 때문입니다. 그래서 다음을 얻습니다.
# $$\epsilon^*(x_t,t)=-\sqrt{1-\bar\alpha_t}\;\nabla_{x}\log q_t(x_t).$$
# 즉 $L_\text{simple}$로 학습하는 것은 스코어 매칭이고, Eq. 14는 스코어 기반 모델의 확률 흐름 ODE를 $(\bar\sigma,\bar x)$로 쓴 것입니다.
# 링으로 확인해 봅니다. 링의 노이즈 낀 밀도 $q_t$는 정확한 가우시안 혼합이라서, 자동 미분으로 $\log q_t$를 미분할 수 있습니다.
# 그 결과는 모든 $t$에서 정확한 디노이저의 $\epsilon$과 같습니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
x = 2 * torch.randn(512, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
for t in (1, 10, 100, 500, 1000):  # the paper's t; table index t - 1
    eps_oracle = ring(x, torch.full((512,), t - 1))
    eps_score = fm.eps_from_score(ring, x, t - 1)
    print(f"t = {t:4d}: max |eps - (-sqrt(1 - abar) grad log q_t)| < 1e-10: {(eps_oracle - eps_score).abs().max().item() < 1e-10}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The other end of the dial: the reverse-time SDE
#
# Lecture 06 turned η from 0 (DDIM) to 1 (DDPM). Here is the same dial in continuous time. In the variables of Eq. 14, $\bar x=x/\sqrt{\bar\alpha}$ and
# $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$, the forward process is $d\bar x=\sqrt{2\bar\sigma}\,dw$, and its density obeys the **Fokker–Planck equation**
# $$\partial_{\bar\sigma} p=\bar\sigma\,\partial_{\bar x}^2p .$$
# **One line to a family.** Since $\partial^2_{\bar x}p=\partial_{\bar x}(p\,\partial_{\bar x}\log p)$, split it with any $\lambda\ge0$:
# $\partial_{\bar\sigma} p=-\partial_{\bar x}\big[-(1-\lambda^2)\bar\sigma\,\partial_{\bar x}\log p\;p\big]+\lambda^2\bar\sigma\,\partial_{\bar x}^2p$: the same marginals, now from a
# drift and a smaller noise $\lambda\sqrt{2\bar\sigma}$.
# **One line to reverse it.** Run that process backwards in σ̄ (Anderson's reverse-time SDE): with the score written through the network,
# $\nabla\log p_{\bar\sigma}=-\epsilon_\theta/\bar\sigma$ (lecture 10's Tweedie step, in $\bar x$),
# $$d\bar x=(1+\lambda^2)\,\epsilon_\theta(x,t)\,d\bar\sigma+\lambda\sqrt{2\bar\sigma}\,d\bar w,\qquad \bar\sigma\downarrow0 .$$
# $\lambda=0$ is the probability-flow ODE, Eq. 14; $\lambda=1$ is the **reverse-time SDE**; every λ in between has the same marginals at every σ̄.
# sympy checks each line on Gaussian data, where $p_{\bar\sigma}=\mathcal N(\mu,s^2+\bar\sigma^2)$ is known, and adds the limit that links η to λ.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 다이얼의 반대쪽 끝: 역시간 SDE
#
# 06강에서 η를 0(DDIM)에서 1(DDPM)까지 돌렸습니다. 같은 다이얼을 연속 시간에서 봅니다. Eq. 14의 변수 $\bar x=x/\sqrt{\bar\alpha}$와
# $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$로 쓰면 순방향 과정은 $d\bar x=\sqrt{2\bar\sigma}\,dw$이고, 그 밀도는 **포커–플랑크 방정식(Fokker–Planck equation)**
# $$\partial_{\bar\sigma} p=\bar\sigma\,\partial_{\bar x}^2p$$
# 를 따릅니다. **한 줄로 분포족을 만듭니다.** $\partial^2_{\bar x}p=\partial_{\bar x}(p\,\partial_{\bar x}\log p)$이므로 아무 $\lambda\ge0$으로 나눌 수 있습니다.
# $\partial_{\bar\sigma} p=-\partial_{\bar x}\big[-(1-\lambda^2)\bar\sigma\,\partial_{\bar x}\log p\;p\big]+\lambda^2\bar\sigma\,\partial_{\bar x}^2p$입니다. 주변분포는 같고,
# 이제 표류항(drift)과 더 작은 노이즈 $\lambda\sqrt{2\bar\sigma}$가 그것을 만듭니다.
# **한 줄로 뒤집습니다.** 이 과정을 σ̄에 대해 거꾸로 돌립니다(Anderson의 역시간 SDE). 스코어를 네트워크로 쓰면
# $\nabla\log p_{\bar\sigma}=-\epsilon_\theta/\bar\sigma$이므로(위의 Tweedie 단계를 $\bar x$로 쓴 것)
# $$d\bar x=(1+\lambda^2)\,\epsilon_\theta(x,t)\,d\bar\sigma+\lambda\sqrt{2\bar\sigma}\,d\bar w,\qquad \bar\sigma\downarrow0$$
# 입니다. $\lambda=0$은 확률 흐름 ODE, 곧 Eq. 14입니다. $\lambda=1$은 **역시간 SDE(reverse-time SDE)**입니다. 그 사이의 모든 λ가 모든 σ̄에서 같은 주변분포를 가집니다.
# sympy로 $p_{\bar\sigma}=\mathcal N(\mu,s^2+\bar\sigma^2)$를 아는 가우시안 데이터에서 각 줄을 확인하고, η와 λ를 잇는 극한도 덧붙입니다.

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.course import theory
theory.print_steps(theory.sde_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Which λ is DDIM's η? A measurement
#
# Step 6 predicts λ = η in the limit of small steps. We measure it instead of asserting it. The marginals cannot tell λ apart (they are shared),
# so we use the joint of $x_T$ and $x_0$: the gain $g=\mathbb E[\bar x_0-\mu\mid\bar x_T]/(\bar x_T-\mu)$. For the family it is exact, step 5:
# $g(\lambda)=\big(s^2/(s^2+\bar\sigma_T^2)\big)^{(1+\lambda^2)/2}$. For DDIM at (η, S) it is the product of the exact affine steps of `gaussian_law`
# (lecture 06's Table 1 machinery). Solving $g(\lambda)=g_{\mathrm{DDIM}}$ gives the λ that DDIM's η **is**, per coordinate of the course's
# Gaussian ($s=1$ and $s=0.3$). At S = 1000 the measured λ equals η to within 0.002 for η ≥ 0.5, and η = 1 gives λ = 1 at every S.
# At η = 0 the measured λ is 0.02–0.03: that is the $O(1/S)$ gap between DDIM's Euler steps and the exact ODE, which the square root in
# λ = √(λ²) magnifies (λ² ≈ 0.0004–0.0008).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## DDIM의 η는 어떤 λ일까요? 재어 봅니다
#
# 6단계는 스텝이 작아지는 극한에서 λ = η라고 예측합니다. 주장하지 않고 잽니다. 주변분포로는 λ를 구별할 수 없습니다(공유하니까요).
# 그래서 $x_T$와 $x_0$의 결합분포를 씁니다. 이득 $g=\mathbb E[\bar x_0-\mu\mid\bar x_T]/(\bar x_T-\mu)$입니다. 분포족에서는 5단계로 정확히
# $g(\lambda)=\big(s^2/(s^2+\bar\sigma_T^2)\big)^{(1+\lambda^2)/2}$입니다. (η, S)의 DDIM에서는 `gaussian_law`의 정확한 아핀 스텝들의 곱입니다(06강 Table 1의 도구).
# $g(\lambda)=g_{\mathrm{DDIM}}$을 풀면 DDIM의 η가 **실제로** 어떤 λ인지 나옵니다. 강의의 가우시안($s=1$, $s=0.3$) 좌표마다 구합니다.
# S = 1000에서 η ≥ 0.5이면 잰 λ가 η와 0.002 안에서 같고, η = 1은 모든 S에서 λ = 1입니다. η = 0에서 잰 λ는 0.02–0.03입니다.
# DDIM의 오일러 스텝과 정확한 ODE 사이의 $O(1/S)$ 차이를 λ = √(λ²)의 제곱근이 키운 것입니다(λ² ≈ 0.0004–0.0008).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
print("eta    lambda at S = 50 (s = 1, 0.3)    lambda at S = 1000 (s = 1, 0.3)")
for eta in (0.0, 0.2, 0.5, 0.8, 1.0):
    l50, l1000 = (theory.matching_lambda(gauss.std, s, eta, S) for S in (50, 1000))
    print(f"{eta:<5}  {l50[0].item():.3f}  {l50[1].item():.3f}                    {l1000[0].item():.3f}  {l1000[1].item():.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## A solver for the SDE end: Euler–Maruyama
#
# Euler–Maruyama takes the SDE's drift for one step and adds Gaussian noise of the step's variance:
# $\bar x_{\mathrm{prev}}=\bar x+(1+\lambda^2)(\bar\sigma_{\mathrm{prev}}-\bar\sigma)\,\epsilon_\theta+\lambda\sqrt{2\bar\sigma(\bar\sigma-\bar\sigma_{\mathrm{prev}})}\,z$, and the last step, to σ̄ = 0,
# is the ODE's Euler step ($\hat x_0$, no noise). At λ = 0 it is DDIM, number for number. It is registered with the other samplers as
# `euler_maruyama` (`dt.call_sampler("euler_maruyama", ..., lam=1.0)`). A stochastic solver does not follow the flow map, so we compare laws, not paths:
# with the exact Gaussian denoiser every solver's $x_0$ is Gaussian and `theory.output_law` reads its mean and variance exactly (one run, no sampling
# noise). The table gives KL(data ‖ output) against NFE on the trailing grid. The KL is quadratic in a moment error, so a first-order solver falls
# with slope about 2 here. Euler–Maruyama at λ = 1 ends closer to the data than DDIM at every budget from 10 calls on, and closer than
# Heun at every budget in the table; only the second-order DPM-Solver++(2M) overtakes it, from 80 calls on. The noise of the SDE shrinks the
# error the early steps made; the ODE solver's higher order wins once the steps are small.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## SDE 끝을 위한 솔버: 오일러–마루야마
#
# 오일러–마루야마(Euler–Maruyama) 방법은 한 스텝 동안 SDE의 표류항을 따라가고, 그 스텝의 분산만큼 가우시안 노이즈를 더합니다.
# $\bar x_{\mathrm{prev}}=\bar x+(1+\lambda^2)(\bar\sigma_{\mathrm{prev}}-\bar\sigma)\,\epsilon_\theta+\lambda\sqrt{2\bar\sigma(\bar\sigma-\bar\sigma_{\mathrm{prev}})}\,z$이고, σ̄ = 0으로 가는
# 마지막 스텝은 ODE의 오일러 스텝($\hat x_0$, 노이즈 없음)입니다. λ = 0이면 숫자 하나하나까지 DDIM입니다. 다른 샘플러들과 함께
# `euler_maruyama`로 등록되어 있습니다(`dt.call_sampler("euler_maruyama", ..., lam=1.0)`). 확률적 솔버는 흐름 사상을 따라가지 않으므로 경로가 아니라
# 분포를 비교합니다. 정확한 가우시안 디노이저를 쓰면 모든 솔버의 $x_0$가 가우시안이고, `theory.output_law`가 그 평균과 분산을 정확히 읽습니다
# (한 번 실행, 샘플링 노이즈 없음). 표는 trailing 격자에서 NFE에 따른 KL(데이터 ‖ 출력)입니다. KL은 모멘트 오차의 제곱에 비례하므로
# 1차 솔버는 여기서 기울기 2 정도로 줄어듭니다. λ = 1의 오일러–마루야마는 10회 호출부터 모든 예산에서 DDIM보다 데이터에 가깝게 끝나고,
# 표의 모든 예산에서 Heun 방법보다도 가깝습니다. 2차 솔버인 `DPM-Solver++(2M)`만 80회부터 오일러–마루야마를 앞섭니다.
# SDE의 노이즈는 초반 스텝이 만든 오차를 줄이고, 스텝이 작아지면 ODE 솔버의 높은 차수가 이깁니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
from ddim_teach.samplers.registry import sampler_label
law_tab = theory.law_errors(gauss, (5, 10, 20, 40, 80, 160), "trailing", solvers=("euler", "heun", "dpmpp_2m", "euler_maruyama"),
                            euler_maruyama={"lam": 1.0})
for solver, rows in law_tab.items():
    print(f"{solver:15s}", "  ".join(f"NFE {n:3d}: {kl:8.2e}" for n, kl in rows))

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(9, 4.6), layout="constrained")
for (solver, rows), color in zip(law_tab.items(), plots.PALETTE):
    ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", color=color, label=sampler_label(solver))
ax.set_xlabel("NFE"); ax.set_ylabel("KL(데이터 || 출력)" if dt.get_language() == "ko" else "KL(data || output)"); ax.legend()
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter("{x:g}"); axis.set_minor_formatter("")
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## When higher order fails (1): very few calls
#
# A higher order pays off only when the steps are small enough for the error to behave like a power of the step.
# With 3 calls Heun gets 2 steps. On the leading grid those steps go from $t=501$ to $t=1$ and then to $x_0$;
# the slope measured at the end of one giant Euler step is a poor guess, and Heun ends three times farther from the
# flow map than DDIM (1.24 against 0.39). On the trailing grid the same budget starts at $t=1000$ and Heun is ahead
# (0.27 against 0.39). DPM-Solver++(2M) is not reliably better either: at 3 calls it beats DDIM on the leading grid
# (0.12 against 0.39) and ties on the trailing grid, but at 5 calls it trails DDIM on the leading grid (0.28 against
# 0.26) and leads only a little on the trailing grid (0.22 against 0.26).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 고차 솔버가 지는 경우 (1): 호출이 아주 적을 때
#
# 차수가 높으면 좋다는 말은 스텝이 충분히 작아서 오차가 스텝 크기의 거듭제곱처럼 행동할 때만 맞습니다.
# 호출이 3번이면 Heun 방법은 2스텝을 갑니다. leading 격자에서는 $t=501$에서 $t=1$로, 다시 $x_0$로 갑니다.
# 거대한 오일러 스텝 끝에서 잰 기울기는 엉터리 추측이라서, Heun 방법이 DDIM보다 흐름 사상에서 세 배 멀리 끝납니다
# (1.24 대 0.39). trailing 격자에서는 같은 예산이 $t=1000$에서 출발하고, Heun 방법이 앞섭니다(0.27 대 0.39).
# `DPM-Solver++(2M)`도 늘 낫지는 않습니다. 3번 호출에서는 leading 격자에서 DDIM을 이기고(0.12 대 0.39) trailing
# 격자에서는 비기지만, 5번 호출에서는 leading 격자에서 DDIM보다 뒤지고(0.28 대 0.26) trailing 격자에서도 조금
# 앞설 뿐입니다(0.22 대 0.26).

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for sp in ("leading", "trailing"):
    few = fm.flow_map_errors(gauss, (3, 5), sp, n=1000)
    print(sp, "start t:", [int(dt.make_timesteps(1000, S, sp)[0]) + 1 for S in (2, 3)], "(S = 2, 3)")
    print(sp, {solver: [(k, round(e, 2)) for k, e in rows] for solver, rows in few.items()})

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## When higher order fails (2): large log-SNR steps near $t=1$
#
# DPM-Solver++(2M) steps in $\lambda=\log(\sqrt{\bar\alpha}/\sqrt{1-\bar\alpha})=-\log\bar\sigma$ and extrapolates $\hat x_0$ with the
# ratio $r=h_\text{before}/h$ of consecutive $\lambda$-steps: $D=(1+\tfrac1{2r})\hat x_0-\tfrac1{2r}\hat x_0^\text{before}$.
# On a grid uniform in $t$, $\lambda$ is nearly even until the very end, where it shoots up: on the linear schedule
# $\lambda\approx1.07$ at $t=101$ but $\approx4.61$ at $t=1$. With 10 leading steps the second-to-last step is
# $h\approx3.53$ after $h\approx0.75$, so $r\approx0.21$ and the weight $1/(2r)$ on the difference of two answer
# sheets jumps from about 0.7 to 2.36. The correction now amplifies the difference of two $\hat x_0$ instead of
# cancelling an error.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 고차 솔버가 지는 경우 (2): $t=1$ 근처의 큰 로그 신호 대 잡음비 스텝
#
# `DPM-Solver++(2M)`은 $\lambda=\log(\sqrt{\bar\alpha}/\sqrt{1-\bar\alpha})=-\log\bar\sigma$ 위에서 걷고, 연속한 두 $\lambda$ 스텝의 비
# $r=h_\text{before}/h$로 $\hat x_0$를 외삽합니다. $D=(1+\tfrac1{2r})\hat x_0-\tfrac1{2r}\hat x_0^\text{before}$.
# $t$에 대해 균일한 격자에서는 $\lambda$ 간격이 거의 고르다가 맨 끝에서 치솟습니다. 선형 스케줄에서
# $t=101$의 $\lambda$는 약 1.07인데 $t=1$에서는 약 4.61입니다. leading 10스텝이면 끝에서 두 번째 스텝이
# $h\approx0.75$ 다음에 $h\approx3.53$이 되어 $r\approx0.21$이고, 두 정답지의 차이에 붙는 가중치 $1/(2r)$가 약 0.7에서 2.36으로 뜁니다.
# 이제 보정은 오차를 지우는 대신 두 $\hat x_0$의 차이를 키웁니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for sp in ("leading", "trailing"):
    print(sp)
    for row in ode.log_snr_steps(s, dt.make_timesteps(1000, 10, sp))[-3:]:
        r, w = row["r"], row["weight"]
        print(f"  t = {row['t']:4d} -> {row['t_prev']:3d}: lambda {row['lambda']:5.2f}, h {row['h']:5.2f}, "
              f"r {'-' if r is None else f'{r:.2f}'}, weight 1/(2r) {'-' if w is None else f'{w:.2f}'}, order {row['order']}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## When higher order fails (3): why trailing spacing helps DPM-Solver++
#
# Trailing spacing stops at $t=T/S$ and lets the final first-order step jump straight to $\bar\sigma=0$, so every
# second-order step has $r$ between 0.72 and 1.14 (the table above shows the last two, 0.92 and 0.72). The effect on the Gaussian at 10 NFE is large:
# DPM-Solver++(2M) goes from 0.217 (leading, worse than DDIM's 0.142) to 0.083 (trailing). DDIM barely notices
# the spacing (0.142 against 0.145), because its first-order step has no ratio to blow up. The price of trailing is the
# longer last jump, the same jump that cost Heun its order above.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 고차 솔버가 지는 경우 (3): trailing 간격이 `DPM-Solver++`를 돕는 이유
#
# trailing 간격은 $t=T/S$에서 멈추고, 마지막 1차 스텝이 $\bar\sigma=0$으로 곧장 뛰게 합니다. 그래서 2차 스텝의 $r$은 모두
# 0.72와 1.14 사이에 있습니다(위 표에는 마지막 두 값 0.92와 0.72가 있습니다). 10 NFE의 가우시안에서 효과가 큽니다. `DPM-Solver++(2M)`은 0.217(leading, DDIM의
# 0.142보다 나쁨)에서 0.083(trailing)으로 좋아집니다. DDIM은 간격을 거의 타지 않습니다(0.142 대 0.145). 1차 스텝에는
# 터질 비율이 없기 때문입니다. trailing의 대가는 더 긴 마지막 점프이고, 위에서 Heun 방법의 차수를 깎은 것도 바로 이 점프입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
for solver in ("euler", "dpmpp_2m"):
    print(solver, "rmse at NFE 10:", {sp: round(tab[solver][1][1], 3) for sp, tab in tabs.items()})

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Explore: three ODE solvers and the SDE from the same $x_T$
#
# Each panel runs one solver from the same $x_T$ with the same budget of calls: grey paths, $\hat x_0$ at each step
# as red crosses, end points in blue; the fourth is Euler–Maruyama on the reverse SDE ($\lambda=1$). The right panel
# marks every network call on the paper's $t=1\ldots T$ axis. The status line gives each solver's distance to a 100-step
# ODE solution (on `exact:gaussian`, to the exact flow map).
#
# **Try this.**
# 1. Set NFE to 3 and spacing to `leading`. Heun's two calls per step leave it two steps, and its paths overshoot
#    the ring; DDIM's stay closer. Why does averaging two slopes not help here?
# 2. Keep NFE at 10 and switch spacing between `leading` and `trailing`. Watch DPM-Solver++(2M)'s distance in the
#    status line: it drops on trailing, while DDIM's hardly moves.
# 3. Choose `exact:gaussian` and raise NFE from 5 to 50. The distances are now to the exact flow map; check that
#    Heun's falls faster than DDIM's on `leading`.
# 4. Follow the red crosses of one path: early $\hat x_0$ sit near the centre (the mean of the data), late ones on a mode.
# 5. Raise NFE from 10 to 50: the ODE solvers' distances shrink, the SDE's stays near 2, yet its end points sit on
#    the modes. What does the SDE share with the ODE?

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 같은 $x_T$에서 출발한 ODE 솔버 셋과 SDE
#
# 패널마다 같은 $x_T$, 같은 호출 예산으로 솔버 하나를 돌립니다. 회색은 궤적, 빨간 ×는 스텝마다의 $\hat x_0$, 파란 점은 도착점입니다.
# 네 번째 패널은 다이얼의 반대쪽 끝인 역방향 SDE($\lambda=1$)를 오일러–마루야마 방법으로 풉니다. 오른쪽 패널은 네트워크를
# 부른 타임스텝(timestep)을 논문의 $t=1\ldots T$ 축 위에 찍습니다. 상태 줄은 솔버마다 100스텝 ODE 해까지의 거리를
# 보여 줍니다(`exact:gaussian`에서는 정확한 흐름 사상까지의 거리).
#
# **이렇게 해 보세요.**
# 1. NFE를 3, 간격을 `leading`으로 두세요. Heun 방법은 스텝마다 두 번 부르므로 두 스텝밖에 못 가고, 궤적이 링을 지나칩니다.
#    DDIM이 더 가깝습니다. 여기서는 왜 두 기울기의 평균이 도움이 안 될까요?
# 2. NFE를 10에 두고 간격을 `leading`과 `trailing` 사이에서 바꿔 보세요. 상태 줄에서 `DPM-Solver++(2M)`의 거리가
#    trailing에서 줄어듭니다. DDIM의 거리는 거의 그대로입니다.
# 3. `exact:gaussian`을 고르고 NFE를 5에서 50으로 올려 보세요. 이제 거리는 정확한 흐름 사상까지입니다. `leading`에서
#    Heun 방법의 거리가 DDIM보다 빨리 줄어드는지 확인하세요.
# 4. 궤적 하나의 빨간 ×를 따라가 보세요. 처음의 $\hat x_0$는 가운데(데이터의 평균) 근처에, 나중 것은 한 모드 위에 있습니다.
# 5. NFE를 10에서 50으로 올리고 상태 줄에서 SDE의 거리를 읽어 보세요. ODE 솔버들의 거리는 줄지만 SDE의 거리는 링에서
#    2 근처에 머뭅니다. 그래도 도착점은 모드 위에 있습니다. SDE가 ODE와 공유하는 것은 무엇이고, 공유하지 않는 것은
#    무엇일까요?

# %% slideshow={"slide_type": "slide"}
SolverExplorer(solver="dpmpp_2m", nfe=10, spacing="trailing", seed=0, model="exact:ring8")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise cell holds a stub that raises `NotImplementedError`. Write your function in its place and rerun the
# cell: the check compares your function with the package on several inputs and prints a verdict.
#
# 1. **DDIM as Euler.** Write `euler_step(x, eps, alpha_bar, alpha_bar_prev)` that converts to $\bar x$, takes the step
#    $\bar x+(\bar\sigma_\text{prev}-\bar\sigma)\epsilon$ and converts back. It must match `dt.ddim_step` (Eq. 12).
# 2. **The flow map by hand.** Write `flow_map(x_t, abar_t, mu, s)` for one-dimensional data $\mathcal N(\mu,s^2)$,
#    mapping $x_t$ to $x_0$. It must match `dt.gaussian_flow_map`.
# 3. **One Heun step.** Write `heun_step(model, x, t, t_prev)` (0-based table indices) with two network calls.
#    It must match the first step of `dt.sample_heun`.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solutions</summary>
#
# ```python
# def euler_step(x, eps, alpha_bar, alpha_bar_prev):
#     sb, sb_prev = ((1 - alpha_bar) / alpha_bar) ** 0.5, ((1 - alpha_bar_prev) / alpha_bar_prev) ** 0.5
#     return (x / alpha_bar**0.5 + (sb_prev - sb) * eps) * alpha_bar_prev**0.5
#
# def flow_map(x_t, abar_t, mu, s):
#     sb2 = (1 - abar_t) / abar_t
#     return mu + (x_t / abar_t**0.5 - mu) * s / (s**2 + sb2) ** 0.5
#
# def heun_step(model, x, t, t_prev):
#     ab, ab_prev = s.alphas_cumprod[t].item(), s.alphas_cumprod[t_prev].item()
#     sb, sb_prev = ((1 - ab) / ab) ** 0.5, ((1 - ab_prev) / ab_prev) ** 0.5
#     d1 = model(x, torch.full((x.shape[0],), t))
#     x_bar_euler = x / ab**0.5 + (sb_prev - sb) * d1
#     d2 = model(x_bar_euler * ab_prev**0.5, torch.full((x.shape[0],), t_prev))
#     return (x / ab**0.5 + (sb_prev - sb) * (d1 + d2) / 2) * ab_prev**0.5
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# 연습 문제 셀마다 `NotImplementedError`를 일으키는 빈 함수가 있습니다. 그 자리에 함수를 쓰고 셀을 다시 실행하세요.
# 검사 코드가 여러 입력에서 여러분의 함수를 패키지와 비교하고 판정을 출력합니다.
#
# 1. **오일러 방법으로 본 DDIM.** `euler_step(x, eps, alpha_bar, alpha_bar_prev)`를 작성하세요. $\bar x$로 바꾸고,
#    $\bar x+(\bar\sigma_\text{prev}-\bar\sigma)\epsilon$ 스텝을 간 뒤, 다시 $x$로 돌아옵니다. `dt.ddim_step`(Eq. 12)과 같아야 합니다.
# 2. **손으로 구하는 흐름 사상.** 1차원 데이터 $\mathcal N(\mu,s^2)$에 대해 $x_t$를 $x_0$로 보내는
#    `flow_map(x_t, abar_t, mu, s)`를 작성하세요. `dt.gaussian_flow_map`과 같아야 합니다.
# 3. **Heun 한 스텝.** 네트워크를 두 번 부르는 `heun_step(model, x, t, t_prev)`(0부터 세는 표 인덱스)를 작성하세요.
#    `dt.sample_heun`의 첫 스텝과 같아야 합니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def euler_step(x, eps, alpha_bar, alpha_bar_prev):
#     sb, sb_prev = ((1 - alpha_bar) / alpha_bar) ** 0.5, ((1 - alpha_bar_prev) / alpha_bar_prev) ** 0.5
#     return (x / alpha_bar**0.5 + (sb_prev - sb) * eps) * alpha_bar_prev**0.5
#
# def flow_map(x_t, abar_t, mu, s):
#     sb2 = (1 - abar_t) / abar_t
#     return mu + (x_t / abar_t**0.5 - mu) * s / (s**2 + sb2) ** 0.5
#
# def heun_step(model, x, t, t_prev):
#     ab, ab_prev = s.alphas_cumprod[t].item(), s.alphas_cumprod[t_prev].item()
#     sb, sb_prev = ((1 - ab) / ab) ** 0.5, ((1 - ab_prev) / ab_prev) ** 0.5
#     d1 = model(x, torch.full((x.shape[0],), t))
#     x_bar_euler = x / ab**0.5 + (sb_prev - sb) * d1
#     d2 = model(x_bar_euler * ab_prev**0.5, torch.full((x.shape[0],), t_prev))
#     return (x / ab**0.5 + (sb_prev - sb) * (d1 + d2) / 2) * ab_prev**0.5
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "slide"}
from ddim_teach.course import exercises  # noqa: F401  (registers the checkers' messages, e.g. "not written yet")

def verdict(name, test):
    """Run one exercise's check: not written yet, or whether it matches the package to 1e-10."""
    try:
        print(f"{name} correct: {test()}")
    except NotImplementedError:
        print(f"{name}: {dt.tr('ex_not_implemented')}")

def euler_step(x, eps, alpha_bar, alpha_bar_prev):  # exercise 1
    raise NotImplementedError("exercise 1: your code here")

g = torch.Generator().manual_seed(3)
x, eps = torch.randn(64, 2, generator=g, dtype=torch.float64), torch.randn(64, 2, generator=g, dtype=torch.float64)
verdict("exercise 1", lambda: max((euler_step(x, eps, a, b) - dt.ddim_step(x, eps, a, b)[0]).abs().max().item()
                                  for a, b in ((0.02, 0.1), (0.5, 0.9), (0.99, 1.0))) < 1e-10)

# %% slideshow={"slide_type": "-"}
def flow_map(x_t, abar_t, mu, s):  # exercise 2
    raise NotImplementedError("exercise 2: your code here")

g1 = dt.GaussianDenoiser(s, mean=0.5, std=0.3, sample_shape=(1,))
xt1 = 3 * torch.randn(100, 1, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
verdict("exercise 2", lambda: max((flow_map(xt1, s.alphas_cumprod[t].item(), 0.5, 0.3) - dt.gaussian_flow_map(g1, xt1, t)).abs().max().item()
                                  for t in (9, 499, 999)) < 1e-10)

# %% slideshow={"slide_type": "-"}
def heun_step(model, x, t, t_prev):  # exercise 3
    raise NotImplementedError("exercise 3: your code here")

rec3 = dt.TrajectoryRecorder()
dt.sample_heun(ring, x_T, s, [799, 599], callback=rec3, progress=False)
verdict("exercise 3", lambda: (heun_step(ring, x_T, 799, 599) - rec3.steps[0]["x_prev"]).abs().max().item() < 1e-10)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - With $\eta=0$, DDIM's update is one Euler step of $d\bar x/d\bar\sigma=\epsilon_\theta$ in $\bar x=x/\sqrt{\bar\alpha}$ and
#   $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$ (Eqs. 13–14); the two agree to round-off.
# - For Gaussian data the exact flow map is affine, so a solver's error can be measured exactly: Euler has order 1,
#   Heun and DPM-Solver++(2M) order about 2 where their steps are small.
# - Cost is counted in network calls: Heun pays two per step, DPM-Solver++(2M) one (it reuses the last $\hat x_0$).
# - $\epsilon^*=-\sqrt{1-\bar\alpha_t}\,\nabla\log q_t$: the network learns a scaled score, and the ODE is the probability flow.
# - Higher order loses with very few calls, with large log-SNR steps near $t=1$ (use trailing spacing for
#   DPM-Solver++), and wherever the final first-order jump to $x_0$ dominates.
# - The other end of the dial: $d\bar x=(1+\lambda^2)\epsilon_\theta\,d\bar\sigma+\lambda\sqrt{2\bar\sigma}\,d\bar w$ shares the forward marginals for every λ
#   (Fokker–Planck, checked by sympy); DDIM's η measured as λ is η itself at S = 1000 (within 0.002 for η ≥ 0.5).
# - Euler–Maruyama (`euler_maruyama`, λ = 1) ends closer to the data law than DDIM and Heun at equal calls on the Gaussian; DPM-Solver++(2M) wins from 80 calls.
#
# Back to the beginning: [00 · Start here](00_start_here.ipynb), or revisit [05 · Skipping steps](05_skipping_steps.ipynb)
# for the spacings.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - $\eta=0$인 DDIM 업데이트는 $\bar x=x/\sqrt{\bar\alpha}$, $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$로 쓴
#   $d\bar x/d\bar\sigma=\epsilon_\theta$의 오일러 한 스텝입니다(Eq. 13–14). 둘은 반올림 오차까지 같습니다.
# - 가우시안 데이터의 정확한 흐름 사상은 일차 함수라서 솔버의 오차를 정확히 잴 수 있습니다. 오일러는 1차,
#   Heun과 `DPM-Solver++(2M)`은 스텝이 작은 곳에서 약 2차입니다.
# - 비용은 네트워크 호출로 셉니다. Heun은 스텝마다 두 번, `DPM-Solver++(2M)`은 직전 $\hat x_0$를 다시 써서 한 번입니다.
# - $\epsilon^*=-\sqrt{1-\bar\alpha_t}\,\nabla\log q_t$: 네트워크는 크기를 바꾼 스코어를 배우고, 그 ODE가 확률 흐름입니다.
# - 고차 솔버는 호출이 아주 적을 때, $t=1$ 근처에서 로그 신호 대 잡음비 스텝이 클 때(`DPM-Solver++`에는 trailing 간격을 쓰세요),
#   그리고 $x_0$로 가는 마지막 1차 점프가 오차를 지배할 때 집니다.
# - 다이얼의 반대쪽 끝: $d\bar x=(1+\lambda^2)\epsilon_\theta\,d\bar\sigma+\lambda\sqrt{2\bar\sigma}\,d\bar w$는 모든 λ에서 순방향 주변분포를 공유합니다
#   (포커–플랑크 방정식, sympy로 확인). DDIM의 η를 λ로 재면 S = 1000에서 η 그대로입니다(η ≥ 0.5에서 0.002 안).
# - 오일러–마루야마(`euler_maruyama`, λ = 1)는 가우시안에서 같은 호출 수의 DDIM과 Heun보다 데이터 분포에 가깝게 끝납니다. `DPM-Solver++(2M)`은 80회부터 이깁니다.
#
# 처음으로 돌아가기: [00 · 시작하기](00_start_here.ipynb), 또는 간격을 처음 다룬 [05 · 스텝 건너뛰기](05_skipping_steps.ipynb).
