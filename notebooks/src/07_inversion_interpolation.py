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
# # 07 · Inversion, consistency and interpolation
#
# At $\eta=0$ DDIM is a deterministic map from the noise $x_T$ to a sample $x_0$. A deterministic map can be
# studied like any function: does it keep what its input encodes when we change the number of steps
# (consistency, the paper's Sec. 5.2)? Is it smooth, so that nearby inputs give related outputs (interpolation,
# Sec. 5.3)? And can it be run backwards, from an image to its own $x_T$ (reconstruction, Sec. 5.4)? A DDPM sample
# ($\eta=1$) answers none of these questions, because its output depends on fresh noise at every step.
#
# **Learning goals.** After this lecture you can
# - derive the inversion step $x_{t_{i-1}}\to x_{t_i}$ from Eq. 12 at $\sigma=0$, and say which single approximation it makes;
# - measure the reconstruction error $x_0\to x_T\to x_0$ against $S$, with intervals, beside the paper's Table 2;
# - show that one $x_T$ decodes to the same image at different $S$ (consistency);
# - interpolate between two latents with slerp, and explain why a straight line would leave the typical set.
#
# **Prerequisites.** Lecture 04 (Eq. 9 and Eq. 12), lecture 05 ($\tau$), lecture 06 ($\eta$; at $\eta=0$ the paths are smooth curves).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 07 · 역변환, 일관성, 보간
#
# $\eta=0$의 DDIM은 노이즈 $x_T$를 샘플 $x_0$로 보내는 결정론적(deterministic) 사상입니다.
# 결정론적 사상은 여느 함수처럼 살펴볼 수 있습니다. 스텝 수를 바꿔도 입력이 담은 내용을 지킬까요(일관성, 논문 5.2절)?
# 매끄러워서 가까운 입력이 비슷한 출력을 줄까요(보간(interpolation), 5.3절)?
# 거꾸로 돌려서 이미지에서 그 이미지의 $x_T$를 찾을 수 있을까요(재구성, 5.4절)?
# DDPM 샘플($\eta=1$)은 이 질문 중 어느 것에도 답하지 못합니다. 스텝마다 새 노이즈에 따라 출력이 달라지기 때문입니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - $\sigma=0$인 Eq. 12에서 역변환(inversion) 스텝 $x_{t_{i-1}}\to x_{t_i}$를 유도하고, 그 스텝이 하는 단 하나의 근사를 말합니다.
# - $x_0\to x_T\to x_0$의 재구성 오차(reconstruction error)를 $S$에 따라 신뢰구간과 함께 재고, 논문의 Table 2와 나란히 놓습니다.
# - 하나의 $x_T$가 서로 다른 $S$에서 같은 이미지로 복원됨(일관성)을 보입니다.
# - 두 잠재 변수(latent variable) 사이를 구면 선형 보간(spherical linear interpolation, slerp)으로 잇고, 직선으로 이으면 왜 안 되는지 설명합니다.
#
# **선수 지식.** 04강(Eq. 9와 Eq. 12), 05강($\tau$), 06강($\eta$, 그리고 $\eta=0$의 경로가 매끄러운 곡선이라는 것).

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
from ddim_teach.experiments import tables as ev
from ddim_teach.experiments.records import get_denoiser

plots.use_projector_style()  # projector fonts; each figure records its smallest text
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);
digits = get_denoiser("digits")  # the shipped U-Net: .model, .schedule, .reference (held-out digits)
net28, schedule28 = dt.load_pretrained("mnist5k_cond")  # the pictures: 28×28 MNIST digits
mnist28 = dt.classifier_free_guidance(net28, 0, 0.0)  # its null class only: an unconditional ε_θ(x_t, t), as in 04

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Intuition: a code book you can read both ways
#
# To cut to the chase: at $\eta=0$, $x_T$ is a *latent variable* in the sense of an autoencoder. The decoder is
# the sampler. The encoder is the same sampler run the other way. Lecture 06 showed why this is possible:
# divide Eq. 12 at $\sigma=0$ by $\sqrt{\bar\alpha}$ and write $\bar x=x/\sqrt{\bar\alpha}$, $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$. One
# step becomes Euler's method for an ODE (Eq. 13):
# $$\bar x_{s}=\bar x_{t}+(\bar\sigma_{s}-\bar\sigma_{t})\,\epsilon_\theta(x_t,t).$$
# An ODE can be integrated in either direction. Going up in $\bar\sigma$ turns an image into the noise that the
# sampler would turn back into that image.
#
# Back to the note's answer sheet: when the sampler runs forward, $\hat x_0$ tells it where it is going. When it
# runs backward, the image itself is the answer sheet, and every step asks "what noise would have led here?".

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직관: 앞뒤로 읽을 수 있는 암호책
#
# 결론부터 말하자면, $\eta=0$에서 $x_T$는 오토인코더에서 말하는 잠재 변수입니다.
# 디코더는 샘플러이고, 인코더는 같은 샘플러를 거꾸로 돌린 것입니다. 06강이 그 이유를 보여 주었습니다.
# $\sigma=0$인 Eq. 12를 $\sqrt{\bar\alpha}$로 나누고 $\bar x=x/\sqrt{\bar\alpha}$, $\bar\sigma=\sqrt{(1-\bar\alpha)/\bar\alpha}$로 쓰면,
# 한 스텝이 상미분방정식의 오일러 방법이 됩니다(Eq. 13).
# $$\bar x_{s}=\bar x_{t}+(\bar\sigma_{s}-\bar\sigma_{t})\,\epsilon_\theta(x_t,t).$$
# 상미분방정식은 어느 방향으로든 풀 수 있습니다. $\bar\sigma$가 커지는 쪽으로 가면, 이미지가 노이즈로 바뀝니다.
# 샘플러가 그 노이즈를 받으면 다시 그 이미지를 만들어 냅니다.
#
# 노트의 정답지로 돌아가 보겠습니다. 샘플러가 앞으로 갈 때는 $\hat x_0$가 목적지를 알려 줍니다.
# 거꾸로 갈 때는 이미지 자체가 정답지이고, 스텝마다 "어떤 노이즈였어야 여기에 왔을까?"를 묻습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: at η = 0 the sampler is a code book readable both ways: x_0 → x_T and back.
# Ask: "What breaks this when η > 0?"
# Time: 3 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: η = 0이면 샘플러는 앞뒤로 읽을 수 있는 암호책입니다. x_0 → x_T, 그리고 다시 돌아옵니다.
# 물어볼 것: "η > 0이면 무엇이 이것을 깨뜨릴까요?"
# 시간: 3분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The inversion step, line by line
#
# Take one jump $s=\tau_{i-1}<t=\tau_i$ and Eq. 12 at $\sigma=0$, with $\epsilon=\epsilon_\theta(x_t,t)$:
# $$x_s=\sqrt{\bar\alpha_s}\,\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon}{\sqrt{\bar\alpha_t}}+\sqrt{1-\bar\alpha_s}\,\epsilon.$$
# 1. It is affine in $x_t$ for a fixed $\epsilon$, with slope $\sqrt{\bar\alpha_s/\bar\alpha_t}\neq0$, so it can be solved for $x_t$:
#    $$x_t=\sqrt{\bar\alpha_t}\,\frac{x_s-\sqrt{1-\bar\alpha_s}\,\epsilon}{\sqrt{\bar\alpha_s}}+\sqrt{1-\bar\alpha_t}\,\epsilon.$$
#    This is the same formula with $s$ and $t$ swapped: estimate $\hat x_0$ from $x_s$, then re-noise it to level $t$.
# 2. Dividing by $\sqrt{\bar\alpha}$ gives Eq. 13 above, the Euler step.
# 3. The catch: $\epsilon=\epsilon_\theta(x_t,t)$ needs $x_t$, which we are computing. The encoder uses
#    $\epsilon_\theta(x_s,t)$ instead, the noise predicted from the point we have, at the new time. **This is a choice, and it
#    has a name only loosely:** the textbook explicit Euler step from $\bar\sigma_s$ up to $\bar\sigma_t$ would evaluate the slope at the
#    start, $\epsilon_\theta(x_s,s)$; the exact inverse of the decoder's step would need $\epsilon_\theta(x_t,t)$ (an implicit step). The
#    encoder mixes the two: the start's position with the end's time label. Each of the three differs from the others by a
#    term that shrinks with the jump, so all are first order, and the reconstruction improves as $S$ grows. This is the
#    only approximation of the encoder.
#
# The sympy cell checks lines 1 and 2.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 역변환 스텝, 한 줄씩
#
# 건너뛰기 하나 $s=\tau_{i-1}<t=\tau_i$와, $\epsilon=\epsilon_\theta(x_t,t)$인 $\sigma=0$의 Eq. 12를 봅니다.
# $$x_s=\sqrt{\bar\alpha_s}\,\frac{x_t-\sqrt{1-\bar\alpha_t}\,\epsilon}{\sqrt{\bar\alpha_t}}+\sqrt{1-\bar\alpha_s}\,\epsilon.$$
# 1. $\epsilon$을 고정하면 $x_t$의 아핀 함수이고, 기울기 $\sqrt{\bar\alpha_s/\bar\alpha_t}$가 0이 아니므로 $x_t$에 대해 풀 수 있습니다.
#    $$x_t=\sqrt{\bar\alpha_t}\,\frac{x_s-\sqrt{1-\bar\alpha_s}\,\epsilon}{\sqrt{\bar\alpha_s}}+\sqrt{1-\bar\alpha_t}\,\epsilon.$$
#    $s$와 $t$만 바꾼 같은 식입니다. $x_s$에서 $\hat x_0$를 추정하고, 그것에 $t$ 수준의 노이즈를 다시 입힙니다.
# 2. $\sqrt{\bar\alpha}$로 나누면 위의 Eq. 13, 즉 오일러 스텝이 됩니다.
# 3. 걸리는 점이 하나 있습니다. $\epsilon=\epsilon_\theta(x_t,t)$를 구하려면 지금 계산하려는 $x_t$가 필요합니다.
#    그래서 인코더는 $\epsilon_\theta(x_s,t)$를 씁니다. 가진 점에서, 새 시각으로 예측한 노이즈입니다. **이것은 하나의 선택입니다.**
#    교과서의 명시적 오일러 스텝이라면 $\bar\sigma_s$에서 $\bar\sigma_t$로 올라가며 시작점의 기울기 $\epsilon_\theta(x_s,s)$를 씁니다.
#    디코더 스텝의 정확한 역이라면 $\epsilon_\theta(x_t,t)$가 필요합니다(암시적 스텝). 인코더는 둘을 섞어서, 위치는 시작점의 것을, 시각은 끝점의 것을 씁니다.
#    세 방법은 서로 건너뛰는 폭과 함께 줄어드는 항만큼만 다르므로 모두 1차 방법이고, $S$가 커질수록 재구성이 좋아집니다.
#    인코더의 근사는 이것 하나뿐입니다.
#
# sympy 셀이 1번과 2번 줄을 확인합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.inversion_steps())

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The same on real tensors: with an *exact* $\epsilon$ the step is invertible to round-off. The cell takes 64 held-out
# digits at the paper's $t=201$, steps down to $t=101$ with `ddim_step`, then applies line 1 with the same $\epsilon$.
# Then it repeats the round trip with the encoder's guess $\epsilon_\theta(x_s,t)$ in place of $\epsilon$, which is
# what `invert_ddim` does.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 실제 텐서에서도 같습니다. $\epsilon$이 *정확*하면 스텝은 반올림 오차 수준까지 되돌아옵니다.
# 셀은 보류해 둔 숫자 64개를 논문의 $t=201$에 두고, `ddim_step`으로 $t=101$까지 내려간 다음, 같은 $\epsilon$으로 1번 줄을 적용합니다.
# 그다음 $\epsilon$ 대신 인코더의 추측 $\epsilon_\theta(x_s,t)$로 같은 왕복을 합니다. `invert_ddim`이 하는 일이 이것입니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
ab = digits.schedule.alphas_cumprod.tolist()
t, s = 200, 100  # table indices of the paper's t = 201 and t = 101
x0 = digits.reference[:64].double()
x_t = math.sqrt(ab[t]) * x0 + math.sqrt(1 - ab[t]) * torch.randn(x0.shape, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
eps = digits.model(x_t.float(), torch.full((64,), t)).double()
x_s, _ = dt.ddim_step(x_t, eps, ab[t], ab[s])
back = math.sqrt(ab[t]) * (x_s - math.sqrt(1 - ab[s]) * eps) / math.sqrt(ab[s]) + math.sqrt(1 - ab[t]) * eps
eps_guess = digits.model(x_s.float(), torch.full((64,), t)).double()
guess = math.sqrt(ab[t]) * (x_s - math.sqrt(1 - ab[s]) * eps_guess) / math.sqrt(ab[s]) + math.sqrt(1 - ab[t]) * eps_guess
print(f"exact eps:   max |x_t - back| < 1e-12: {float((back - x_t).abs().max()) < 1e-12}")
print(f"guessed eps: rms |x_t - back| / rms |x_t| = {float((guess - x_t).pow(2).mean().sqrt() / x_t.pow(2).mean().sqrt()):.1e}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Reconstruction against $S$ (Sec. 5.4, Table 2)
#
# Encode with `invert_ddim` ($x_0\to x_T$, $S$ steps), decode with `sample_ddim` at $\eta=0$ ($x_T\to x_0$, the same
# $\tau$), and measure the mean squared error per dimension. The paper's Table 2 does this on CIFAR10 with pixels in
# $[-1,1]$; our digits live in the same range, so the two columns are comparable in kind, not in value. Each of our
# numbers is the mean over held-out images ± the 95% interval over images (the round trip itself is deterministic;
# the interval says how much the choice of images moves the mean).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $S$에 따른 재구성 (5.4절, Table 2)
#
# `invert_ddim`으로 부호화하고($x_0\to x_T$, $S$스텝), 같은 $\tau$로 $\eta=0$의 `sample_ddim`으로 복호화합니다($x_T\to x_0$).
# 그리고 차원당 평균 제곱 오차를 잽니다. 논문의 Table 2는 픽셀이 $[-1,1]$인 CIFAR10에서 이 일을 했습니다.
# 우리 숫자 이미지도 같은 범위이므로 두 열은 종류가 같을 뿐, 값을 직접 비교할 수는 없습니다.
# 우리 값은 보류 이미지에 대한 평균 ± 이미지에 대한 95% 구간입니다.
# 왕복 자체는 결정론적입니다. 구간은 어떤 이미지를 골랐느냐가 평균을 얼마나 움직이는지 알려 줍니다.

# %% slideshow={"slide_type": "-"}
S_list = (10, 20, 50) if SMOKE else (10, 20, 50, 100, 200)
errs = t1.reconstruction_table("digits", S_list, n=16 if SMOKE else 48)
print("digits U-Net, x_0 -> x_T -> x_0, MSE per dimension, mean ± 95% interval over images")
print(t1.format_reconstruction(errs))

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The error falls about thirty-fold from $S=10$ to $S=100$ (0.015 to 0.0004); the paper's column falls about
# fifteen-fold over the same range (0.014 to 0.0009). The reason is the same: step 3's approximation error shrinks with
# the jump. With an exact denoiser the remaining error is the
# sampler's alone. The exact Gaussian below runs all seven of the paper's $S$ in a second; its numbers are
# deterministic and checked.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# $S=10$에서 $S=100$으로 가면 오차가 약 서른 배 줄어듭니다(0.015에서 0.0004로). 같은 구간에서 논문의 열은 약 열다섯 배 줄어듭니다(0.014에서 0.0009로).
# 이유는 같습니다. 3번 줄의 근사 오차가 건너뛰는 폭과 함께 줄기 때문입니다.
# 정확한 디노이저에서는 남는 오차가 모두 샘플러의 몫입니다. 아래의 정확한 가우시안은 논문의 일곱 $S$를 1초 만에 모두 돌립니다.
# 그 숫자들은 결정론적이고, 출력이 확인됩니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
gauss = t1.reconstruction_table("exact:gaussian", (10, 20, 50, 100, 200, 500, 1000), n=256)
paper = dict(zip(ev.PAPER_TABLE2_CIFAR10["S"], ev.PAPER_TABLE2_CIFAR10["mse"]))
print(f"{'S':>5} {'exact Gaussian':>15} {'CIFAR10 (paper)':>16}")
for S, e in gauss.items():
    print(f"{S:>5} {float(e.mean()):15.1e} {paper[S]:16.4f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Consistency: one $x_T$, several $S$ (Sec. 5.2)
#
# If $x_T$ is a code, the image it encodes should not depend much on how finely we decode it. Eight $x_T$ of the
# 28×28 MNIST network (asked for no class, as in lecture 04), each decoded with several $S$ at $\eta=0$: each column
# keeps its digit and its style, and only details sharpen as $S$ grows.
# The number under the picture makes this concrete: the distance from each row to the finest row, against the
# typical distance between two different samples of the finest row.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 일관성: 하나의 $x_T$, 여러 $S$ (5.2절)
#
# $x_T$가 암호라면, 그것이 담은 이미지는 얼마나 잘게 풀어내느냐에 크게 좌우되지 않아야 합니다.
# 28×28 MNIST 네트워크(04강처럼 클래스를 요청하지 않습니다)의 $x_T$ 여덟 개를 $\eta=0$에서 여러 $S$로 복원합니다. 각 열은 숫자와 모양을 지키고, $S$가 커질수록 세부만 선명해집니다.
# 그림 아래의 숫자가 이것을 구체적으로 보여 줍니다. 각 줄에서 가장 세밀한 줄까지의 거리를, 가장 세밀한 줄 안의 서로 다른 두 샘플 사이 거리와 비교합니다.

# %% slideshow={"slide_type": "-"}
x_T = torch.randn(8, *mnist28.sample_shape, generator=torch.Generator().manual_seed(3))
S_show = (10, 20, 50) if SMOKE else (10, 20, 50, 100, 500)
outs = {S: dt.sample_ddim(mnist28, x_T, schedule28, dt.make_timesteps(1000, S), progress=False) for S in S_show}
fig, axes = plt.subplots(len(S_show), 1, figsize=(10, 1.6 * len(S_show)), layout="constrained")
for ax, S in zip(axes, S_show):
    plots.show_images(ax, outs[S], 1)
    ax.set_ylabel(f"S={S}", rotation=0, labelpad=25)
plt.show()
fine = outs[S_show[-1]].flatten(1)
between = torch.cdist(fine, fine)[~torch.eye(8, dtype=bool)].mean()
for S in S_show[:-1]:
    print(f"S={S:>3}: distance to S={S_show[-1]} / distance between samples = {float((outs[S].flatten(1) - fine).norm(dim=1).mean() / between):.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Interpolation in $x_T$ (Sec. 5.3)
#
# Two latents $z_0,z_1\sim\mathcal N(0,I)$ of the 28×28 network, $d=784$ dimensions, have norm close to $\sqrt{d}=28$
# and are nearly orthogonal. The straight line $(1-\alpha)z_0+\alpha z_1$ passes through points of norm about
# $28/\sqrt2\approx19.8$ at $\alpha=\tfrac12$: a noise the sampler never sees (for $d=784$ the norm of $x_T$ is $28\pm0.7$). The paper interpolates on the sphere instead
# (slerp), with $\theta$ the angle between $z_0$ and $z_1$:
# $$\mathrm{slerp}(z_0,z_1;\alpha)=\frac{\sin((1-\alpha)\theta)}{\sin\theta}\,z_0+\frac{\sin(\alpha\theta)}{\sin\theta}\,z_1.$$
# 1. For orthogonal $z_0,z_1$ of equal norm $r$, $|\mathrm{slerp}|^2=r^2(\cos^2(\alpha\pi/2)+\sin^2(\alpha\pi/2))=r^2$: the norm is kept for every $\alpha$.
# 2. The straight line gives $r^2(1-2\alpha(1-\alpha))$: half the squared norm at $\alpha=\tfrac12$.
#
# The sympy cell checks both lines; the next prints the norms on a real pair.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## $x_T$에서의 보간 (5.3절)
#
# 28×28 네트워크의 두 잠재 변수 $z_0,z_1\sim\mathcal N(0,I)$는 $d=784$차원이고, 노름이 $\sqrt{d}=28$ 가까이이며 거의 직교합니다.
# 직선 $(1-\alpha)z_0+\alpha z_1$은 $\alpha=\tfrac12$에서 노름이 약 $28/\sqrt2\approx19.8$인 점을 지납니다.
# 샘플러가 한 번도 보지 못하는 노이즈입니다($d=784$에서 $x_T$의 노름은 $28\pm0.7$ 정도입니다). 그래서 논문은 구 위에서 보간합니다(slerp). $\theta$는 $z_0$와 $z_1$ 사이의 각입니다.
# $$\mathrm{slerp}(z_0,z_1;\alpha)=\frac{\sin((1-\alpha)\theta)}{\sin\theta}\,z_0+\frac{\sin(\alpha\theta)}{\sin\theta}\,z_1.$$
# 1. 노름이 $r$로 같고 직교하는 $z_0,z_1$이면 $|\mathrm{slerp}|^2=r^2(\cos^2(\alpha\pi/2)+\sin^2(\alpha\pi/2))=r^2$입니다. 모든 $\alpha$에서 노름이 지켜집니다.
# 2. 직선은 $r^2(1-2\alpha(1-\alpha))$를 줍니다. $\alpha=\tfrac12$에서 노름의 제곱이 절반이 됩니다.
#
# sympy 셀이 두 줄을 확인하고, 다음 셀이 실제 한 쌍에서 노름을 출력합니다.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
sym.print_steps(sym.slerp_norm_steps())
z0, z1 = torch.randn(2, *mnist28.sample_shape, generator=torch.Generator().manual_seed(11)).chunk(2)
cos = float((z0.flatten() @ z1.flatten()) / (z0.norm() * z1.norm()))
print(f"|z0| = {float(z0.norm()):.1f}, |z1| = {float(z1.norm()):.1f}, cos(z0, z1) = {cos:.2f}")
print(f"alpha = 1/2: |lerp| = {float((0.5 * z0 + 0.5 * z1).norm()):.1f}, |slerp| = {float(ev.slerp(z0, z1, 0.5).norm()):.1f}")

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
alphas = torch.linspace(0, 1, 9).tolist()
z_s = torch.cat([ev.slerp(z0, z1, a) for a in alphas])
z_l = torch.cat([(1 - a) * z0 + a * z1 for a in alphas])
d = z0.numel()  # |z| of z ~ N(0, I_d) is sqrt(d) ± about 0.71 (the std of a chi variable with d degrees of freedom)
fig, axes = plt.subplot_mosaic([["slerp", "norm"], ["lerp", "norm"]], width_ratios=[2.2, 1], figsize=(14, 4.2),
                               layout="constrained")
paths = {name: dt.sample_ddim(mnist28, z, schedule28, dt.make_timesteps(1000, 50), progress=False)
         for name, z in (("slerp", z_s), ("lerp", z_l))}
for name, x in paths.items():
    plots.show_images(axes[name], x, 1)
    axes[name].set_ylabel(dt.tr(f"fig_{name}"), rotation=0, labelpad=40, ha="right")
ax = axes["norm"]
ax.axhspan(d**0.5 - 2 * 0.71, d**0.5 + 2 * 0.71, color="0.85", label=dt.tr("fig_norm_band"))
ax.plot(alphas, z_s.flatten(1).norm(dim=1), "o-", label=dt.tr("fig_slerp"))
ax.plot(alphas, z_l.flatten(1).norm(dim=1), "s--", label=dt.tr("fig_lerp"))
ax.set_ylim(0.45 * d**0.5, None)  # room under the paths for the legend
ax.set_xlabel("α"); ax.set_ylabel("|z|"); ax.legend(loc="lower right")
plt.show()
mid = float(z_l[len(alphas) // 2].norm())
ink = {name: ((x.clamp(-1, 1) + 1) / 2).flatten(1).mean(1) for name, x in paths.items()}  # stroke pixels per image
print("ink (mean pixel value, background 0) at alpha = 0, 1/2, 1:",
      "; ".join(f"{name} {v[0]:.3f}, {v[len(alphas) // 2]:.3f}, {v[-1]:.3f}" for name, v in ink.items()))
print(f"28×28 digits, d = {d}: |lerp(1/2)| = {mid:.1f} against a typical |z| of {d**0.5:.1f} ± 0.71: {(d**0.5 - mid) / 0.71:.0f} sd below")
d_c = 3 * 32 * 32  # a CIFAR10 latent; two independent latents there are nearly orthogonal (cos ≈ 0)
print(f"CIFAR10, d = {d_c}: |lerp(1/2)| ≈ {(d_c / 2) ** 0.5:.1f} against {d_c**0.5:.1f} ± 0.71: "
      f"{(d_c**0.5 - (d_c / 2) ** 0.5) / 0.71:.0f} sd below")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The two rows part in the middle. Along the straight line the digit thins and fades: the printed ink at $\alpha=\tfrac12$
# is 0.053, below both ends (0.131 and 0.068), while slerp's midpoint has 0.081, between them. The right panel says why:
# slerp stays inside the grey band where almost every $x_T\sim\mathcal N(0,I)$ lies, and the straight line dips far below
# it (the printed numbers: about 12 standard deviations at $d=784$). A latent of too small a norm decodes to too little
# image. At CIFAR10's $d=3072$ the midpoint would sit about 23 standard deviations below the typical norm. That is why the
# paper, and we, use slerp.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 두 줄은 가운데에서 갈라집니다. 직선을 따라가면 숫자가 가늘어지고 흐려집니다. 출력된 잉크 양은 $\alpha=\tfrac12$에서
# 0.053으로, 양 끝(0.131과 0.068)보다 모두 적습니다. 구면 선형 보간의 가운데 점은 0.081로 두 끝 사이에 있습니다. 이유는 오른쪽 그림에 있습니다.
# 구면 선형 보간은 $x_T\sim\mathcal N(0,I)$가 거의 언제나 놓이는 회색 띠 안에 머물고, 직선은 띠보다 한참 아래로 내려갑니다
# ($d=784$에서 표준편차 약 12개만큼, 출력된 숫자 참고). 노름이 너무 작은 잠재 변수는 너무 적은 이미지로 풀립니다.
# CIFAR10의 $d=3072$라면 가운데 점이 보통 노름보다 표준편차 약 23개만큼 아래에 놓입니다. 그래서 논문과 우리는 구면 선형 보간을 씁니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Try it: consistency live
#
# **Try this (이렇게 해 보세요).**
# 1. Mode "S = 10 vs S = 1000", $\eta=0$: the two panels show the same digits from the same $x_T$, sharper at $S=1000$. That is consistency.
# 2. Raise $\eta$ to 1 in the same mode. The two panels now disagree: noise makes the output depend on more than $x_T$, and the latent stops being a code.
# 3. Change the seed at $\eta=0$. Every seed gives a new set of digits, but the two panels still agree with each other.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 일관성
#
# **이렇게 해 보세요 (Try this).**
# 1. 모드 "S = 10 대 S = 1000", $\eta=0$: 같은 $x_T$에서 나온 두 패널이 같은 숫자를 보여 주고, $S=1000$ 쪽이 더 선명합니다. 이것이 일관성입니다.
# 2. 같은 모드에서 $\eta$를 1로 올려 보세요. 두 패널이 어긋납니다. 노이즈 때문에 출력이 $x_T$ 말고 다른 것에도 좌우되어, 잠재 변수가 더는 암호 구실을 하지 못합니다.
# 3. $\eta=0$에서 시드를 바꿔 보세요. 시드마다 새 숫자들이 나오지만, 두 패널은 여전히 서로 일치합니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Do: mode "S = 10 vs S = 1000" (prepared in the background once the cell ran), η = 0 then η = 1.
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 할 것: "S = 10 대 S = 1000" 모드(셀을 실행하면 뒤에서 미리 계산합니다)에서 η = 0, 다음에 η = 1.
# 시간: 4분.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import CompareExplorer

CompareExplorer(model="digits", mode="S=10 vs S=1000")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (one inversion step).** Write `invert_step(x_s, eps, alpha_bar_s, alpha_bar_t)` that returns $x_t$ by
# line 1 of the derivation. The cell checks it against the package: `dt.ddim_step` applied to your $x_t$ with the same
# $\epsilon$ must return $x_s$, on random inputs and several jumps.
#
# **Exercise 2 (slerp).** Write `slerp(z0, z1, alpha)` for tensors of shape (B, ...), one angle per row. The cell
# compares it with `evaluation.slerp` and checks that the norm stays between the two end norms for orthogonal inputs.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# ```python
# def invert_step(x_s, eps, alpha_bar_s, alpha_bar_t):
#     x0_hat = (x_s - (1 - alpha_bar_s) ** 0.5 * eps) / alpha_bar_s ** 0.5
#     return alpha_bar_t ** 0.5 * x0_hat + (1 - alpha_bar_t) ** 0.5 * eps
#
# def slerp(z0, z1, alpha):
#     a, b = z0.flatten(1), z1.flatten(1)
#     theta = torch.arccos(((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).clamp(-1, 1))[:, None]
#     out = (torch.sin((1 - alpha) * theta) * a + torch.sin(alpha * theta) * b) / torch.sin(theta)
#     return out.reshape(z0.shape)
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (역변환 한 스텝).** 유도의 1번 줄로 $x_t$를 돌려주는 `invert_step(x_s, eps, alpha_bar_s, alpha_bar_t)`를 작성하세요.
# 셀이 패키지로 확인합니다. 여러분의 $x_t$에 같은 $\epsilon$으로 `dt.ddim_step`을 적용하면 $x_s$가 나와야 합니다. 무작위 입력과 여러 건너뛰기에서 봅니다.
#
# **연습 2 (slerp).** 모양이 (B, ...)인 텐서에 대해, 행마다 각 하나를 쓰는 `slerp(z0, z1, alpha)`를 작성하세요.
# 셀은 `evaluation.slerp`와 비교하고, 직교하는 입력에서 노름이 두 끝의 노름 사이에 머무는지 확인합니다.
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def invert_step(x_s, eps, alpha_bar_s, alpha_bar_t):
#     x0_hat = (x_s - (1 - alpha_bar_s) ** 0.5 * eps) / alpha_bar_s ** 0.5
#     return alpha_bar_t ** 0.5 * x0_hat + (1 - alpha_bar_t) ** 0.5 * eps
#
# def slerp(z0, z1, alpha):
#     a, b = z0.flatten(1), z1.flatten(1)
#     theta = torch.arccos(((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).clamp(-1, 1))[:, None]
#     out = (torch.sin((1 - alpha) * theta) * a + torch.sin(alpha * theta) * b) / torch.sin(theta)
#     return out.reshape(z0.shape)
# ```
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def invert_step(x_s, eps, alpha_bar_s, alpha_bar_t):
    return x_s  # replace this line with your answer

g = torch.Generator().manual_seed(0)
jumps = [(ab[s], ab[t]) for s, t in ((0, 1), (99, 199), (499, 899))]
ok = True
for a_s, a_t in jumps:
    x_s, e = torch.randn(4, 8, generator=g, dtype=torch.float64), torch.randn(4, 8, generator=g, dtype=torch.float64)
    back, _ = dt.ddim_step(invert_step(x_s, e, a_s, a_t), e, a_t, a_s)
    ok = ok and bool((back - x_s).abs().max() < 1e-9)
print("PASS" if ok else "not yet: estimate x0_hat from x_s with alpha_bar_s, then re-noise it with alpha_bar_t")

# %% slideshow={"slide_type": "-"}
def slerp(z0, z1, alpha):
    return (1 - alpha) * z0 + alpha * z1  # a straight line: replace it with slerp

a0, b0 = torch.randn(2, 5, 64, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
same = all(torch.allclose(slerp(a0, b0, a), ev.slerp(a0, b0, a), atol=1e-9) for a in (0.0, 0.3, 0.5, 1.0))
u, v = torch.eye(64, dtype=torch.float64)[:1] * 8, torch.eye(64, dtype=torch.float64)[1:2] * 8
kept = all(abs(float(slerp(u, v, a).norm()) - 8) < 1e-9 for a in (0.25, 0.5, 0.75))
print(f"matches evaluation.slerp: {same};  norm kept between orthogonal ends: {kept}")
print("PASS" if same and kept else "not yet: weight z0 by sin((1-alpha) theta) / sin(theta) and z1 by sin(alpha theta) / sin(theta)")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - At $\eta=0$ the sampler is a deterministic map, an Euler discretisation of an ODE (Eq. 13), so $x_T$ works as a latent code.
# - The inversion step is the same formula with $s$ and $t$ swapped; its only approximation is $\epsilon_\theta(x_s,t)$ in place of $\epsilon_\theta(x_t,t)$, so the round trip improves with $S$ (Sec. 5.4, Table 2).
# - One $x_T$ gives the same image at every $S$, sharper with more steps (Sec. 5.2); with $\eta>0$ it does not.
# - Interpolate latents with slerp (Sec. 5.3): a straight line between two Gaussian draws passes through norms the sampler rarely sees.
#
# Next: [08 · Training](08_training.ipynb), where the network that all these samplers share is trained once.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - $\eta=0$의 샘플러는 결정론적 사상이고, 상미분방정식을 오일러 방법으로 푼 것입니다(Eq. 13). 그래서 $x_T$가 잠재 변수 구실을 합니다.
# - 역변환 스텝은 $s$와 $t$를 바꾼 같은 식입니다. 근사는 $\epsilon_\theta(x_t,t)$ 대신 $\epsilon_\theta(x_s,t)$를 쓰는 것 하나뿐이라서, $S$가 커질수록 왕복이 좋아집니다(5.4절, Table 2).
# - 하나의 $x_T$는 모든 $S$에서 같은 이미지를 주고, 스텝이 많을수록 선명해집니다(5.2절). $\eta>0$이면 그렇지 않습니다.
# - 잠재 변수 사이는 slerp로 보간합니다(5.3절). 두 가우시안 표본을 직선으로 이으면 샘플러가 거의 보지 못한 노름을 지나갑니다.
#
# 다음: [08 · 학습](08_training.ipynb). 이 모든 샘플러가 함께 쓰는 네트워크를 한 번 학습합니다.
