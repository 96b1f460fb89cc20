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
# # 11 · Guidance and editing: where you meet DDIM next
#
# Every text-to-image pipeline you will open after this course samples with DDIM (or one of the ODE solvers of
# lecture 10) **plus classifier-free guidance**, and edits images with **DDIM inversion**. This lecture builds
# both on a class-conditional network for real 28×28 handwritten digits, measures what guidance buys and what
# it costs, and ends with the loop you will actually type: diffusers' `DDIMScheduler` around the same network.
#
# **Learning goals.** After this lecture you can
# - write the loss of conditional training with label dropout, and say why one network then gives both $\epsilon_\theta(x_t,t,c)$ and $\epsilon_\theta(x_t,t)$;
# - derive classifier-free guidance $\tilde\epsilon=\epsilon_u+s(\epsilon_c-\epsilon_u)$ from Bayes' rule on scores, and say what it is a score of;
# - show with numbers that guided samples at $s\neq1$ are *not* draws from $p(x\mid c)$;
# - read the trade between guidance and diversity off a measured table;
# - edit a real digit by inversion, and say where that fails;
# - write diffusers' sampling loop with guidance and match it to `sample_ddim` to round-off.
#
# **Prerequisites.** Lecture 04 (Eq. 12 and $\hat x_0$), 07 (inversion), 08 ($L_\text{simple}$), 10 (the score, Tweedie's formula).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 11 · 가이던스와 편집: 다음에 DDIM을 만나는 곳
#
# 이 강의를 마치고 여러분이 열어 볼 텍스트-이미지 파이프라인은 모두 DDIM(또는 10강의 ODE 솔버)에
# **분류기 없는 가이던스(classifier-free guidance)** 를 더해 샘플링하고, **DDIM 역변환(inversion)** 으로 이미지를 편집합니다.
# 이번 강의에서는 실제 28×28 손글씨 숫자를 학습한 클래스 조건부(class-conditional) 네트워크 위에 이 두 가지를 만들고,
# 가이던스가 무엇을 얻고 무엇을 잃는지 숫자로 잽니다. 마지막에는 여러분이 실제로 칠 코드, 곧 같은 네트워크를 감싼
# diffusers의 `DDIMScheduler` 루프를 씁니다.
#
# **학습 목표.** 이 강의를 마치면 다음을 할 수 있습니다.
# - 레이블 드롭아웃(label dropout)을 쓴 조건부 학습의 손실을 쓰고, 왜 네트워크 하나가 $\epsilon_\theta(x_t,t,c)$와 $\epsilon_\theta(x_t,t)$를 모두 주는지 설명합니다.
# - 스코어에 베이즈 정리를 적용해 분류기 없는 가이던스 $\tilde\epsilon=\epsilon_u+s(\epsilon_c-\epsilon_u)$를 유도하고, 이것이 어떤 분포의 스코어인지 말합니다.
# - $s\neq1$에서 가이던스 샘플이 $p(x\mid c)$의 표본이 *아님*을 숫자로 보입니다.
# - 가이던스와 다양성의 맞교환을 측정한 표에서 읽습니다.
# - 실제 숫자를 역변환으로 편집하고, 그 방법이 어디서 실패하는지 말합니다.
# - 가이던스를 넣은 diffusers 샘플링 루프를 쓰고, `sample_ddim`과 반올림 오차까지 맞춥니다.
#
# **선수 지식.** 04강(Eq. 12와 $\hat x_0$), 07강(역변환), 08강($L_\text{simple}$), 10강(스코어, Tweedie 공식).

# %% slideshow={"slide_type": "skip"}
import os
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab import plots
from ddim_teach.experiments import guided as G
from ddim_teach.course import guidance_exercises as gx

plots.use_projector_style()  # projector fonts; each figure records its smallest text
torch.manual_seed(0);
ko = dt.get_language() == "ko"

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 1. One network, two answers: conditional training with label dropout
#
# Give the network the class $c$ as a third input, and train it with $L_\text{simple}$ as in lecture 08, with one
# change: with probability $p_\varnothing=0.1$ the label is replaced by a special "no class" label $\varnothing$:
#
# $$L(\theta)=\mathbb E_{x_0,c,t,\epsilon,b}\Big\|\epsilon-\epsilon_\theta\big(\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\;t,\;\tilde c\big)\Big\|^2,
# \qquad \tilde c=\begin{cases}c & \text{prob. } 1-p_\varnothing\\ \varnothing & \text{prob. } p_\varnothing\end{cases}$$
#
# A squared loss is minimised by a conditional mean. For each input the network can tell apart, so
# - with a real label: $\epsilon_\theta(x_t,t,c)=\mathbb E[\epsilon\mid x_t,c]=-\sqrt{1-\bar\alpha_t}\,\nabla_{x_t}\log q_t(x_t\mid c)$;
# - with $\varnothing$, the label carries no information, so those examples are draws from the marginal:
#   $\epsilon_\theta(x_t,t,\varnothing)=\mathbb E[\epsilon\mid x_t]=-\sqrt{1-\bar\alpha_t}\,\nabla_{x_t}\log q_t(x_t)$.
#
# The right-hand equalities are Tweedie's formula from lecture 10, once with and once without the condition.
# The shipped network `mnist5k_cond` was trained exactly so (the recipe is stored in the checkpoint). A second, short
# phase raised the dropout to 0.5, because at 0.1 the "no class" branch sees only a tenth of the training signal:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 1. 네트워크 하나, 답 두 개: 레이블 드롭아웃을 쓴 조건부 학습
#
# 네트워크에 클래스 $c$를 세 번째 입력으로 주고, 08강처럼 $L_\text{simple}$로 학습합니다. 바뀌는 것은 하나입니다.
# 확률 $p_\varnothing=0.1$로 레이블을 "클래스 없음"이라는 특별한 레이블 $\varnothing$로 바꿉니다.
#
# $$L(\theta)=\mathbb E_{x_0,c,t,\epsilon,b}\Big\|\epsilon-\epsilon_\theta\big(\sqrt{\bar\alpha_t}\,x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\;t,\;\tilde c\big)\Big\|^2,
# \qquad \tilde c=\begin{cases}c & \text{확률 } 1-p_\varnothing\\ \varnothing & \text{확률 } p_\varnothing\end{cases}$$
#
# 제곱 손실을 최소로 만드는 것은 조건부 평균입니다. 네트워크가 구별할 수 있는 입력마다 그렇습니다.
# - 실제 레이블이 있으면 $\epsilon_\theta(x_t,t,c)=\mathbb E[\epsilon\mid x_t,c]=-\sqrt{1-\bar\alpha_t}\,\nabla_{x_t}\log q_t(x_t\mid c)$입니다.
# - $\varnothing$이면 레이블에 정보가 없으므로, 그 예제들은 주변 분포의 표본입니다.
#   $\epsilon_\theta(x_t,t,\varnothing)=\mathbb E[\epsilon\mid x_t]=-\sqrt{1-\bar\alpha_t}\,\nabla_{x_t}\log q_t(x_t)$입니다.
#
# 오른쪽 등호는 10강의 Tweedie 공식을 조건이 있을 때와 없을 때 한 번씩 쓴 것입니다.
# 패키지에 들어 있는 네트워크 `mnist5k_cond`가 바로 이렇게 학습되었습니다(학습 방법은 체크포인트에 저장되어 있습니다).
# 짧은 두 번째 단계에서는 드롭아웃을 0.5로 올렸습니다. 0.1이면 "클래스 없음" 쪽이 학습 신호의 10분의 1만 받기 때문입니다.

# %% slideshow={"slide_type": "-"}
model, schedule = dt.load_pretrained("mnist5k_cond")
meta = dt.checkpoint_meta("mnist5k_cond")
n_params = sum(p.numel() for p in model.parameters())
for phase in (meta["init"], meta):  # two phases: most steps at label dropout 0.1, then more for the null branch
    print(f"{phase['command']}\n    {phase['steps']} steps × batch {phase['batch_size']}, lr {phase['lr']}, "
          f"label dropout {phase['label_dropout']}")
print(f"{n_params / 1e6:.2f} M parameters, null_class = {model.null_class}")

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: one network, two answers; the label is just another input, and ∅ is one more label value.
# Ask the room: "If the label is dropped 10% of the time, what does the network learn for ∅?" (the marginal's ε).
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 네트워크 하나에 답 두 개입니다. 레이블은 입력 하나일 뿐이고, ∅은 레이블 값이 하나 더 있는 것입니다.
# 물어볼 것: "레이블을 10% 확률로 지우면, ∅에 대해 네트워크는 무엇을 배울까요?" (주변 분포의 ε).
# 시간: 4분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Both branches are Tweedie's formula, so we can check them where the truth is known. `G.ExactClassMixture` is the
# exact conditional denoiser of two labelled Gaussian classes (class 0 around $(-1,0)$, class 1 around $(1,0)$, std 0.6):
# what a perfectly trained network with label dropout would compute. Autograd of the written log-densities
# $\log q_t(x\mid c)$ and $\log q_t(x)$ gives the scores; the two branches must equal $-\sqrt{1-\bar\alpha_t}$ times them.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 두 가지 답이 모두 Tweedie 공식이므로, 참값을 아는 곳에서 확인할 수 있습니다. `G.ExactClassMixture`는 레이블이 붙은
# 두 가우시안 클래스(클래스 0은 $(-1,0)$ 주위, 클래스 1은 $(1,0)$ 주위, 표준편차 0.6)의 정확한 조건부 디노이저입니다.
# 레이블 드롭아웃으로 완벽하게 학습된 네트워크가 계산할 값입니다. 직접 쓴 로그 밀도 $\log q_t(x\mid c)$와 $\log q_t(x)$를
# 자동 미분하면 스코어가 나오고, 두 답은 그 스코어에 $-\sqrt{1-\bar\alpha_t}$를 곱한 것과 같아야 합니다.

# %% slideshow={"slide_type": "-"}
mix = G.ExactClassMixture(schedule, [[-1.0, 0.0], [1.0, 0.0]], [0.6, 0.6])
ab_table = schedule.alphas_cumprod.double()

def log_q_t(x, t, c=None):
    """log q_t(x | c) of the two classes, written here from q(x_t | x_0) (c = None: the mixture)."""
    a = ab_table[t]
    var = a * 0.36 + (1 - a)
    comps = torch.stack([-((x - a.sqrt() * torch.tensor(m, dtype=x.dtype)) ** 2).sum(-1) / (2 * var) - torch.log(2 * torch.pi * var)
                         for m in ([-1.0, 0.0], [1.0, 0.0])], -1)
    return comps[..., c] if c is not None else torch.logsumexp(comps, -1) - np.log(2)

worst = 0.0
x = torch.randn(64, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1)) * 1.5
for t in (50, 300, 700, 950):
    tt = torch.full((64,), t)
    for c in (None, 0, 1):
        xg = x.clone().requires_grad_(True)
        score, = torch.autograd.grad(log_q_t(xg, t, c).sum(), xg)
        labels = torch.full((64,), mix.null_class if c is None else c)
        eps = mix(x, tt, class_labels=labels)
        worst = max(worst, float((eps + (1 - ab_table[t]).sqrt() * score).abs().max()))
# NBVAL_CHECK_OUTPUT
print(f"max |ε_branch + sqrt(1 - ᾱ_t) ∇log q_t| over t ∈ {{50, 300, 700, 950}}, both classes and ∅: {worst < 1e-10}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# And the trained network: the same $x_T$ for every row, one row per requested class, plain conditional sampling
# ($s=1$), 50 DDIM steps. The judge under each picture is independent of every network of the course: a logistic
# regression fitted on the real train digits.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 이제 학습된 네트워크입니다. 모든 행이 같은 $x_T$에서 출발하고, 행마다 요청한 클래스가 다르며, 가이던스 없는 조건부 샘플링($s=1$),
# DDIM 50스텝입니다. 판정은 이 강좌의 어떤 네트워크와도 독립인 심판이 합니다. 실제 학습 숫자에 맞춘 로지스틱 회귀입니다.

# %% slideshow={"slide_type": "-"}
judge = G.mnist_judge()
real_x, real_y = G.real_reference()
per_row = 8
labels = torch.arange(10).repeat_interleave(per_row)
x_T = torch.randn(per_row, *model.sample_shape, generator=torch.Generator().manual_seed(7)).repeat(10, 1, 1, 1)
x_cond = G.guided_samples(model, schedule, labels, 1.0, S=50, x_T=x_T)
fig, ax = plt.subplots(figsize=(9, 9))
plots.show_images(ax, x_cond, nrow=per_row, title="s = 1: " + ("행마다 요청한 클래스 0…9" if ko else "requested class 0…9, one per row"))
plt.show()
# NBVAL_CHECK_OUTPUT
print(f"judge on real held-out digits: accuracy {G.agreement(judge, real_x, real_y):.2f}, "
      f"mean confidence {G.mean_confidence(judge, real_x):.2f}")
print(f"judge on these s = 1 samples: agreement with the requested class {G.agreement(judge, x_cond, labels):.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 2. Classifier-free guidance, derived
#
# **Intuition.** The conditional model already draws a 7 when asked. Guidance asks for *more* 7-ness: move
# further along the direction from "any digit" to "a 7" than the conditional model does.
#
# **Derivation**, one line per reason:
# 1. Bayes' rule at noise level $t$: $p_t(x\mid c)=p_t(c\mid x)\,p_t(x)/p(c)$. Take $\nabla_x\log$; $p(c)$ does not depend on $x$:
#    $$\nabla\log p_t(x\mid c)=\nabla\log p_t(x)+\nabla\log p_t(c\mid x).$$
# 2. Guidance scales the classifier's term by $s$ (Dhariwal & Nichol's classifier guidance):
#    $$g_s=\nabla\log p_t(x)+s\,\nabla\log p_t(c\mid x).$$
# 3. Replace the classifier's gradient by line 1, $\nabla\log p_t(c\mid x)=\nabla\log p_t(x\mid c)-\nabla\log p_t(x)$: no classifier is needed
#    (Ho & Salimans, 2022): $g_s=(1-s)\nabla\log p_t(x)+s\,\nabla\log p_t(x\mid c)$.
# 4. Multiply by $-\sqrt{1-\bar\alpha_t}$ and use the two branches of section 1:
#    $$\tilde\epsilon=(1-s)\,\epsilon_u+s\,\epsilon_c=\epsilon_u+s\,(\epsilon_c-\epsilon_u).$$
#
# $s=0$ is the unconditional model, $s=1$ the conditional one; diffusers' `guidance_scale` is this $s$.
# `dt.classifier_free_guidance(model, labels, s)` returns $\tilde\epsilon$ as an ordinary model, so every sampler of the course runs it.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 2. 분류기 없는 가이던스의 유도
#
# **직관.** 조건부 모델은 7을 요청하면 이미 7을 그립니다. 가이던스는 *더* 7다운 것을 요청합니다.
# "아무 숫자"에서 "7"로 가는 방향을 따라 조건부 모델보다 더 멀리 갑니다.
#
# **유도.** 한 줄에 이유 하나씩입니다.
# 1. 잡음 수준 $t$에서의 베이즈 정리: $p_t(x\mid c)=p_t(c\mid x)\,p_t(x)/p(c)$. 양변에 $\nabla_x\log$를 취합니다. $p(c)$는 $x$와 무관합니다.
#    $$\nabla\log p_t(x\mid c)=\nabla\log p_t(x)+\nabla\log p_t(c\mid x).$$
# 2. 가이던스는 분류기 항에 $s$를 곱합니다(Dhariwal & Nichol의 분류기 가이던스).
#    $$g_s=\nabla\log p_t(x)+s\,\nabla\log p_t(c\mid x).$$
# 3. 분류기의 그래디언트를 1번 줄로 바꿉니다. $\nabla\log p_t(c\mid x)=\nabla\log p_t(x\mid c)-\nabla\log p_t(x)$이므로 분류기가 필요 없습니다
#    (Ho & Salimans, 2022). $g_s=(1-s)\nabla\log p_t(x)+s\,\nabla\log p_t(x\mid c)$입니다.
# 4. $-\sqrt{1-\bar\alpha_t}$를 곱하고 1절의 두 답을 씁니다.
#    $$\tilde\epsilon=(1-s)\,\epsilon_u+s\,\epsilon_c=\epsilon_u+s\,(\epsilon_c-\epsilon_u).$$
#
# $s$를 가이던스 스케일(guidance scale)이라 합니다. $s=0$은 무조건부 모델, $s=1$은 조건부 모델입니다. diffusers의 `guidance_scale`이 이 $s$입니다.
# `dt.classifier_free_guidance(model, labels, s)`는 $\tilde\epsilon$을 평범한 모델로 돌려주므로, 이 강좌의 모든 샘플러가 그대로 돌립니다.

# %% slideshow={"slide_type": "-"}
s, k = sp.symbols("s k", positive=True)
g_u, g_cx = sp.symbols("g_u g_cx")  # ∇log p_t(x) and ∇log p_t(c|x), one coordinate
g_xc = g_u + g_cx                        # line 1 (Bayes)
eps_u, eps_c = -k * g_u, -k * g_xc       # section 1, k = sqrt(1 - ᾱ_t)
guided_score = g_u + s * g_cx            # line 2
# NBVAL_CHECK_OUTPUT
print("line 3:", sp.simplify(guided_score - ((1 - s) * g_u + s * g_xc)))
print("line 4:", sp.simplify(-k * guided_score - (eps_u + s * (eps_c - eps_u))))

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: four lines, each with its reason; the only trick is line 3, Bayes used backwards to drop the classifier.
# Ask the room: "At s = 1, what does the formula reduce to?" Then: "and at s = 0?"
# Time: 5 min, the sympy cell included.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 네 줄이고 줄마다 이유가 있습니다. 요령은 3번 줄 하나, 베이즈 정리를 거꾸로 써서 분류기를 없애는 것입니다.
# 물어볼 것: "s = 1이면 식이 무엇이 될까요?" 이어서 "s = 0이면요?"
# 시간: 5분(sympy 셀 포함).

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## What guidance is a score of, and what it is not
#
# Line 3 says $g_s=\nabla\log\big[p_t(x)^{1-s}\,p_t(x\mid c)^{s}\big]=\nabla\log\big[p_t(x)\,p_t(c\mid x)^{s}\big]$: at every noise level, the
# guided model is the score of a **tilted** density that favours points the class is sure about.
# - At $s=1$ that is $p_t(x\mid c)$, and the sampler targets the true conditional.
# - At $s\neq1$ it is **not** $p(x\mid c)$. Worse, the tilted densities at different $t$ are not the forward-diffused versions of one
#   density (diffusing a product is not the product of the diffused factors), so the guided sampler does not even sample
#   $p_0(x)^{1-s}p_0(x\mid c)^s$ exactly.
#
# The exact two-class model shows both. Sample class 1 with the exact guided denoiser (no network error at all; 100 DDIM
# steps, 10,000 samples) and compare with the true $p(x\mid c=1)$ and with the tilted density at $t=0$ (computed on a grid):

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 가이던스는 무엇의 스코어이고, 무엇의 스코어가 아닌가
#
# 3번 줄은 $g_s=\nabla\log\big[p_t(x)^{1-s}\,p_t(x\mid c)^{s}\big]=\nabla\log\big[p_t(x)\,p_t(c\mid x)^{s}\big]$라고 말합니다. 잡음 수준마다
# 가이던스 모델은 클래스가 확신하는 점을 더 좋아하도록 기울인 밀도, 곧 **기울인 밀도(tilted density)** 의 스코어입니다.
# - $s=1$이면 그것은 $p_t(x\mid c)$이고, 샘플러는 참 조건부 분포를 겨냥합니다.
# - $s\neq1$이면 $p(x\mid c)$가 **아닙니다**. 게다가 $t$마다 기울인 밀도들은 한 밀도를 순방향으로 퍼뜨린 것들이 아닙니다(곱을 퍼뜨린 것은
#   퍼뜨린 인수들의 곱이 아닙니다). 그래서 가이던스 샘플러는 $p_0(x)^{1-s}p_0(x\mid c)^s$조차 정확히 뽑지 않습니다.
#
# 정확한 두 클래스 모델이 두 가지를 모두 보여 줍니다. 정확한 가이던스 디노이저(네트워크 오차가 전혀 없습니다)로 클래스 1을
# DDIM 100스텝, 표본 10,000개로 뽑고, 참 분포 $p(x\mid c=1)$ 및 $t=0$에서 기울인 밀도(격자에서 계산)와 비교합니다.

# %% slideshow={"slide_type": "-"}
grid = torch.linspace(-4, 5, 9001, dtype=torch.float64)
def tilted_moments(s_val):
    """Mean and std along x₁ of p_0(x)^(1-s) p_0(x|c=1)^s (the mixture and class 1 differ only along x₁)."""
    comp = lambda m: torch.exp(-(grid - m) ** 2 / (2 * 0.36))
    dens = (0.5 * comp(-1.0) + 0.5 * comp(1.0)) ** (1 - s_val) * comp(1.0) ** s_val
    w = dens / dens.sum()
    mean = float((w * grid).sum())
    return mean, float((w * (grid - mean) ** 2).sum().sqrt())

x_T2 = torch.randn(10000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
ts100 = dt.make_timesteps(1000, 100, "trailing")
rows = []
for s_val in (0.0, 1.0, 2.0, 3.0, 5.0):
    xs = dt.sample_ddim(dt.classifier_free_guidance(mix, 1, s_val), x_T2, schedule, ts100, progress=False)
    rows.append((s_val, float(xs[:, 0].mean()), float(xs[:, 0].std()), float((xs[:, 0] < 0).double().mean()),
                 *tilted_moments(s_val)))
# NBVAL_CHECK_OUTPUT
print("true p(x | c=1):  mean x₁ = 1.00, std x₁ = 0.60")
print("   s | guided DDIM: mean  std  share x₁<0 | tilted p₀ at t=0: mean  std")
for s_val, m, sd, wrong, tm, tsd in rows:
    print(f"{s_val:4.0f} |              {m:5.2f} {sd:5.2f}  {wrong:8.3f}   |                  {tm:5.2f} {tsd:5.2f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Read the table (the standard error of a mean over 10,000 draws is about 0.006):
# - $s=0$ gives the whole mixture (mean near 0, half of the samples on the wrong side), as it should.
# - $s=1$ reproduces $p(x\mid c=1)$: mean 1.00 and std 0.59 against the true 1.00 and 0.60, and 4.7% of samples on the wrong side against the true 4.8%.
# - At $s=3$ and $s=5$ the samples move past the class centre and shrink: the std falls well below 0.60, so guided
#   samples are **not** draws from $p(x\mid c)$. They are also not draws from the tilted density at $t=0$: compare the two
#   column groups.
#
# This is the precise sense in which "guidance trades diversity for fidelity": it samples a sharper, shifted law.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 표를 읽어 보겠습니다(표본 10,000개 평균의 표준오차는 약 0.006입니다).
# - $s=0$은 혼합 전체를 줍니다(평균이 0 근처, 표본의 절반이 반대편). 당연한 결과입니다.
# - $s=1$은 $p(x\mid c=1)$를 재현합니다. 평균 1.00, 표준편차 0.59로 참값 1.00, 0.60과 맞고, 반대편 표본 4.7%도 참값 4.8%와 맞습니다.
# - $s=3$과 $s=5$에서는 표본이 클래스 중심을 지나 더 밀려나고 좁아집니다. 표준편차가 0.60보다 한참 작으므로, 가이던스 샘플은
#   $p(x\mid c)$의 표본이 **아닙니다**. $t=0$에서 기울인 밀도의 표본도 아닙니다. 가운데 열들과 오른쪽 열들을 비교해 보세요.
#
# "가이던스는 다양성을 내주고 충실도를 얻는다"는 말의 정확한 뜻이 이것입니다. 더 좁고 옮겨진 분포에서 뽑습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: the exact model removes every network error, so what remains is guidance itself: s = 1 is exact, s = 3 is not.
# Ask the room: "Would more sampling steps fix the s = 3 row?" (no: the target itself is different).
# Time: 4 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 정확한 모델에는 네트워크 오차가 없으므로, 남는 것은 가이던스 자체입니다. s = 1은 정확하고 s = 3은 아닙니다.
# 물어볼 것: "스텝을 늘리면 s = 3 행이 고쳐질까요?" (아닙니다. 목표 분포가 다릅니다.)
# 시간: 4분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 3. Guidance against diversity, measured
#
# On the trained network, `benchmarks/guidance_quality.py` sampled 20 digits per class with 50-step DDIM ($\eta=0$) from the
# same $x_T$ at each $s$, and read them with the independent judge. Agreement is the share judged as the requested class;
# diversity is the mean pairwise distance between digits of the same class. The stored table:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 3. 가이던스와 다양성, 재 보기
#
# 학습된 네트워크에서 `benchmarks/guidance_quality.py`가 $s$마다 같은 $x_T$로 클래스당 20개씩 DDIM 50스텝($\eta=0$)으로 뽑고,
# 독립 심판으로 읽었습니다. 일치율은 요청한 클래스로 판정된 비율이고, 다양성은 같은 클래스 숫자 쌍 사이의 평균 거리입니다.
# 저장된 표입니다.

# %% slideshow={"slide_type": "-"}
gq = G.stored_guidance_quality()
scales = sorted(float(s_) for s_ in gq["scales"])
# NBVAL_CHECK_OUTPUT
print(f"real held-out digits: confidence {gq['real']['confidence']:.3f}, diversity {gq['real']['diversity']:.2f}")
print("    s | agreement  worst class  confidence  diversity")
for s_ in scales:
    r = gq["scales"][str(s_) if str(s_) in gq["scales"] else s_]
    print(f"{s_:5.1f} |   {r['agreement']:.3f}      {r['min_class_agreement']:.2f}        {r['confidence']:.3f}     {r['diversity']:.2f}")

# %% slideshow={"slide_type": "slide"}
fig, ax1 = plt.subplots(figsize=(11, 5))
agree = [gq["scales"][str(s_) if str(s_) in gq["scales"] else s_]["agreement"] for s_ in scales]
div = [gq["scales"][str(s_) if str(s_) in gq["scales"] else s_]["diversity"] for s_ in scales]
ax1.plot(scales, agree, "o-", color=plots.PALETTE[0], label="일치율" if ko else "agreement")
ax1.set_xlabel("가이던스 s" if ko else "guidance scale s")
ax1.set_ylabel("일치율" if ko else "agreement", color=plots.PALETTE[0])
ax2 = ax1.twinx()
ax2.plot(scales, div, "s--", color=plots.PALETTE[1], label="다양성" if ko else "diversity")
ax2.axhline(gq["real"]["diversity"], color=plots.PALETTE[1], lw=1, ls=":")
ax2.set_ylabel("다양성 (같은 클래스 쌍 거리)" if ko else "diversity (pairwise distance)", color=plots.PALETTE[1])
ax1.set_title("가이던스를 올리면: 일치율은 오르고 다양성은 내려갑니다" if ko else "More guidance: agreement up, diversity down")
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# What the numbers say (the dotted line is the real digits' diversity):
# - $s=0$ is the unconditional model; its agreement is chance, since the label only names the slot. Its confidence (0.82 against
#   0.88 for real digits, 0.93×) is the weakest of the table: without a label the network must also choose the digit. On 1,000
#   unconditional samples the benchmark measures 0.920 ± 0.017 × the real digits' confidence (`benchmarks/RESULTS.md`). That
#   branch learns only from the batches whose label is dropped: about 900 batches' worth in an earlier, shorter training,
#   which reached about 0.87× on the same measure, and 5,700 in the network shipped (README, "Shipped weights").
# - From $s=0$ to $s=1$ agreement jumps: the conditional branch alone already follows the label most of the time.
# - Beyond $s=1$, agreement keeps rising (0.89 at $s=1$, 1.00 from $s=3$) while diversity falls (17.0 at $s=1$ to 15.4 at $s=8$,
#   below the real digits' 17.9): the samples of one class look more and more alike.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 숫자가 말하는 것입니다(점선은 실제 숫자의 다양성입니다).
# - $s=0$은 무조건부 모델입니다. 레이블은 자리 이름일 뿐이어서 일치율은 우연 수준입니다. 확신도는 0.82로 실제 숫자의 0.88에
#   못 미칩니다(0.93배). 표에서 가장 약한 숫자입니다. 레이블이 없으면 네트워크가 어떤 숫자를 그릴지도 정해야 하기 때문입니다.
#   무조건부 표본 1,000개로 잰 벤치마크 값은 실제 숫자 확신도의 0.920 ± 0.017배입니다(`benchmarks/RESULTS.md`). 이 쪽은
#   레이블을 지운 배치에서만 배웁니다. 더 짧았던 이전 학습에서는 약 900 배치 분량을 받아 같은 측정에서 약 0.87배에 그쳤고, 지금 네트워크는
#   5,700 배치 분량을 받았습니다(README의 "Shipped weights").
# - $s=0$에서 $s=1$로 가면 일치율이 크게 뜁니다. 조건부 답만으로도 대부분 레이블을 따릅니다.
# - $s=1$을 넘어서면 일치율은 계속 오르고($s=1$에서 0.89, $s=3$부터 1.00) 다양성은 내려갑니다($s=1$의 17.0에서 $s=8$의 15.4로,
#   실제 숫자의 17.9보다 낮습니다). 한 클래스의 샘플들이 점점 닮아 갑니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Try it: the guidance explorer
#
# **Try this (이렇게 해 보세요).**
# 1. Class "all", $S=20$: move $s$ from 0 to 1 to 3. At $s=0$ the labels are ignored (red frames); at 3 every frame is green.
# 2. Pick one class (say 4) and read the diversity in the status line at $s=1$, then at $s=8$. The eight digits become one digit drawn eight times.
# 3. At $s=3$ move $\eta$ from 0 to 1. Stochastic sampling adds back some variety; does agreement suffer?
# 4. Set $S=2$ at $s=3$. Guidance does not rescue a sampler that takes too few steps.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 가이던스 탐색기
#
# **이렇게 해 보세요 (Try this).**
# 1. 클래스 "전부", $S=20$에서 $s$를 0, 1, 3으로 옮겨 보세요. $s=0$에서는 레이블이 무시되고(빨간 테두리), 3에서는 모든 테두리가 초록입니다.
# 2. 클래스 하나(예: 4)를 고르고, 상태 줄의 다양성을 $s=1$과 $s=8$에서 읽어 보세요. 여덟 숫자가 같은 숫자를 여덟 번 그린 것처럼 됩니다.
# 3. $s=3$에서 $\eta$를 0에서 1로 옮겨 보세요. 확률적 샘플링이 다양성을 조금 돌려줍니다. 일치율은 떨어질까요?
# 4. $s=3$에서 $S=2$로 두어 보세요. 스텝이 너무 적은 샘플러는 가이던스로도 구할 수 없습니다.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.guidance_widget import GuidanceExplorer

GuidanceExplorer(guidance_scale=3.0, S=20)

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: read agreement and diversity together; guidance buys one with the other. Then hand over to the widget.
# Do: walk $s$ one step at a time (click the slider, then ← / →). While a picture is on screen the explorer computes the
# next step in the same direction, so a steady walk answers faster than a jump across the slider.
# Ask the room: "Which s would you ship, and why?"
# Time: 3 min, plus 5 min of Try this.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 일치율과 다양성을 함께 읽습니다. 가이던스는 하나를 주고 다른 하나를 삽니다. 그다음 위젯으로 넘어갑니다.
# 할 것: $s$를 한 칸씩 옮깁니다(슬라이더를 클릭한 뒤 ← / →). 그림이 화면에 있는 동안 탐색기가 같은 방향의 다음 칸을 미리
# 계산하므로, 슬라이더를 건너뛰는 것보다 한 칸씩 옮길 때 더 빨리 답합니다.
# 물어볼 것: "여러분이라면 어떤 s로 내보내겠습니까? 왜요?"
# 시간: 3분, 이렇게 해 보세요 5분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 4. Editing by inversion
#
# Lecture 07 inverted DDIM: at $\eta=0$ the sampler is a deterministic map, so running it backwards gives a latent $x_T$ for
# a real image. With a conditional network an edit is three lines:
# 1. invert the real digit $x_0$ **under its own label** $y$: $x_{t_e}=\text{invert}(x_0;\,\tilde\epsilon_{y})$, up to a depth $t_e$;
# 2. regenerate **under its own label**: a reconstruction, which should give back $x_0$;
# 3. regenerate **under another label** $y'$ from the same $x_{t_e}$: the edit.
#
# Inversion is exact only where the sampler follows the ODE of the model it inverts. Guidance at $s>1$ makes the
# vector field stiffer, and inversion's one approximation (it uses $\epsilon$ at the start of each step for the whole
# step, lecture 07) costs more. We measure on 30 held-out digits (three per class), full depth $t_e=T$ and half depth, $S=20$:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 4. 역변환으로 편집하기
#
# 07강에서 DDIM을 거꾸로 돌렸습니다. $\eta=0$의 샘플러는 결정론적 사상이므로, 거꾸로 돌리면 실제 이미지의 잠재 변수 $x_T$가
# 나옵니다. 조건부 네트워크가 있으면 편집은 세 줄입니다.
# 1. 실제 숫자 $x_0$를 **자기 레이블** $y$로 깊이 $t_e$까지 역변환합니다. $x_{t_e}=\text{invert}(x_0;\,\tilde\epsilon_{y})$.
# 2. **자기 레이블**로 다시 생성합니다. 복원이며, $x_0$가 돌아와야 합니다.
# 3. 같은 $x_{t_e}$에서 **다른 레이블** $y'$로 다시 생성합니다. 이것이 편집입니다.
#
# 역변환은 샘플러가 자신이 뒤집는 모델의 ODE를 따라갈 때만 정확합니다. $s>1$의 가이던스는 벡터장을 더 가파르게 만들고,
# 역변환의 유일한 근사(각 스텝의 시작점에서 잰 $\epsilon$을 스텝 전체에 씁니다, 07강)의 값이 더 비싸집니다. 보관한 숫자 30개
# (클래스당 세 개)로, 전체 깊이 $t_e=T$와 절반 깊이에서, $S=20$으로 잽니다.

# %% slideshow={"slide_type": "-"}
edit_x, edit_y = G.real_reference(n_per_class=3)
target = (edit_y + 5) % 10  # every digit asked to become another class

def slant_and_ink(x):
    """Slant (horizontal shear of the ink: cov(col, row) / var(row)) and ink mass, per image."""
    w = ((x.clamp(-1, 1) + 1) / 2).squeeze(1).double()
    rr, cc = torch.meshgrid(torch.arange(28.0, dtype=torch.float64), torch.arange(28.0, dtype=torch.float64), indexing="ij")
    m = w.sum((1, 2))
    mr, mc = (w * rr).sum((1, 2)) / m, (w * cc).sum((1, 2)) / m
    cov = (w * (rr - mr[:, None, None]) * (cc - mc[:, None, None])).sum((1, 2)) / m
    var = (w * (rr - mr[:, None, None]) ** 2).sum((1, 2)) / m
    return cov / var, m

def corr(a, b):
    return float(np.corrcoef(a.numpy(), b.numpy())[0, 1])

slant0, ink0 = slant_and_ink(edit_x)
edit_rows = []
for depth in (1000, 500):
    steps = 20 * depth // 1000
    ts_e = dt.make_timesteps(depth, steps, "trailing")
    for s_val in (0.0, 1.0, 3.0, 5.0):
        src = dt.classifier_free_guidance(model, edit_y, s_val)
        x_te = dt.invert_ddim(src, edit_x, schedule, ts_e, progress=False)
        recon = dt.sample_ddim(src, x_te, schedule, ts_e, progress=False)
        edit = dt.sample_ddim(dt.classifier_free_guidance(model, target, max(s_val, 1.0)), x_te, schedule, ts_e, progress=False)
        err = (recon - edit_x).pow(2).flatten(1).mean(1).sqrt()
        slant_e, ink_e = slant_and_ink(edit)
        edit_rows.append((depth, s_val, float(err.mean()), 1.96 * float(err.std()) / len(err) ** 0.5,
                          G.agreement(judge, edit, target), corr(slant0, slant_e), corr(ink0, ink_e), recon, edit, err))
# NBVAL_CHECK_OUTPUT
print("depth t_e    s | reconstruction RMSE (95% CI) | edit judged as target | corr(slant) corr(ink)")
for depth, s_val, e, ci, ag, cs, ci_ink, *_ in edit_rows:
    print(f"{depth:9d} {s_val:4.0f} |      {e:.2f} ± {ci:.2f}            |        {ag:.2f}           |   {cs:5.1f}     {ci_ink:5.1f}")
# the same 30 digits in every row: compare two scales digit by digit (paired), which the row intervals cannot
full = {r[1]: r[9] for r in edit_rows if r[0] == 1000}
for s_val in (3.0, 5.0):
    diff = full[s_val] - full[1.0]
    print(f"full depth, RMSE(s = {s_val:.0f}) - RMSE(s = 1), paired over the 30 digits: "
          f"{float(diff.mean()):+.3f} ± {1.96 * float(diff.std()) / len(diff) ** 0.5:.3f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The edit uses $s'=\max(s,1)$ for the target (at $s=0$ the target label would be ignored). First four digits: original,
# reconstruction and edit at full depth, $s=3$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 편집은 목표 레이블에 $s'=\max(s,1)$을 씁니다($s=0$이면 목표 레이블이 무시되기 때문입니다). 처음 네 숫자의 원본, 복원, 편집입니다.
# 전체 깊이, $s=3$입니다.

# %% slideshow={"slide_type": "-"}
row = next(r for r in edit_rows if r[0] == 1000 and r[1] == 3.0)
pick = [0, 3, 6, 9]
fig, axes = plt.subplots(1, 3, figsize=(12, 4.8))
for ax, imgs, title in zip(axes, (edit_x[pick], row[7][pick], row[8][pick]),
                           (("원본", "복원 (자기 레이블)", "편집 (레이블 + 5)") if ko else ("original", "reconstruction (own label)", "edit (label + 5)"))):
    plots.show_images(ax, imgs, nrow=2, title=title)
plt.show()

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# Reported honestly, row by row:
# - **Reconstruction holds up to $s=3$ and degrades beyond it.** At full depth the RMSE is 0.08 at $s=0$, $1$ and $3$ and 0.11 ± 0.02 at $s=5$
#   (95% intervals over the 30 digits). The row intervals overlap, but the digits are the same in every row, so the
#   paired differences decide: $s=3$ against $s=1$ is $+0.003 \pm 0.004$ (no measurable change), $s=5$ against $s=1$ is $+0.028 \pm 0.014$ (worse).
#   Inversion is exact only in the limit of many steps along the ODE of the guided field; a stronger field amplifies the
#   one-step error. This is why editing pipelines invert at $s=1$ (or $s=0$) and add tricks for large $s$ (null-text
#   inversion optimises the unconditional embedding so the guided reconstruction returns).
# - **How often the class changes:** the "edit judged as target" column. Half depth keeps more of the original and changes
#   the class less often; full depth changes the class more often and keeps less.
# - **What is kept:** the correlations of slant and ink between original and edit. Style carried by the latent, such as slant,
#   survives partially; where a correlation is near zero, that feature is not kept, and the lecture does not claim it is.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# 행마다 있는 그대로 읽어 보겠습니다.
# - **복원은 $s=3$까지 버티고, 그보다 커지면 나빠집니다.** 전체 깊이에서 RMSE는 $s=0$, $1$, $3$에서 0.08이고, $s=5$에서 0.11 ± 0.02입니다
#   (숫자 30개에 대한 95% 구간). 행의 구간은 겹칩니다. 하지만 모든 행이 같은 숫자들이므로, 짝지은 차이로 판단합니다.
#   $s=3$과 $s=1$의 차이는 $+0.003 \pm 0.004$로 잴 수 있는 변화가 없고, $s=5$와 $s=1$의 차이는 $+0.028 \pm 0.014$로 나빠집니다.
#   역변환은 가이던스 벡터장의 ODE를 아주 많은 스텝으로 따라갈 때에만 정확합니다. 벡터장이 강하면 한 스텝 오차가 커집니다.
#   그래서 편집 파이프라인은 $s=1$(또는 $s=0$)에서 역변환하고, 큰 $s$에서는 따로 요령을 더합니다(null-text inversion은 무조건부
#   임베딩을 최적화해 가이던스 복원이 돌아오게 합니다).
# - **클래스가 얼마나 자주 바뀌는가:** "목표로 판정된 편집" 열입니다. 절반 깊이는 원본을 더 많이 남기고 클래스를 덜 바꿉니다.
#   전체 깊이는 클래스를 더 자주 바꾸고 덜 남깁니다.
# - **무엇이 남는가:** 원본과 편집 사이 기울기와 잉크 양의 상관입니다. 기울기처럼 잠재 변수가 나르는 스타일은 부분적으로 남습니다.
#   상관이 0 근처인 특징은 남지 않은 것이고, 강의는 남는다고 주장하지 않습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Try it: the edit explorer
#
# **Try this (이렇게 해 보세요).**
# 1. Keep $s=3$ and move "invert to t" from 1000 down to 300. Shallow inversion keeps the original's strokes and often keeps its class too.
# 2. At depth 1000 move $s$ from 1 to 6 and watch the reconstruction (middle) drift from the original: the RMSE in the status line rises.
# 3. Walk through the digits with "real digit #". Which targets are easy (a 7 into a 1) and which fail (a 0 into a 1)?

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 직접 해 보기: 편집 탐색기
#
# **이렇게 해 보세요 (Try this).**
# 1. $s=3$에 두고 "역변환 깊이 t"를 1000에서 300으로 내려 보세요. 얕게 역변환하면 원본의 획이 남고, 클래스도 자주 그대로 남습니다.
# 2. 깊이 1000에서 $s$를 1에서 6으로 옮기며 복원(가운데)이 원본에서 멀어지는 것을 보세요. 상태 줄의 RMSE가 올라갑니다.
# 3. "실제 숫자 #"로 숫자들을 넘겨 보세요. 어떤 목표는 쉽고(7을 1로), 어떤 목표는 실패할까요(0을 1로)?

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.guidance_widget import EditExplorer

EditExplorer(index=0, target=3, t_edit=600, guidance_scale=3.0, S=20)

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: three lines, invert, reconstruct, edit; then read the table row by row, including where it fails.
# Ask the room: "Why does reconstruction get worse as s grows, if DDIM is deterministic?"
# Time: 5 min, plus the edit explorer.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 역변환, 복원, 편집의 세 줄입니다. 그다음 실패하는 곳까지 포함해 표를 한 행씩 읽습니다.
# 물어볼 것: "DDIM이 결정론적인데, 왜 s가 커질수록 복원이 나빠질까요?"
# 시간: 5분, 편집 탐색기 별도.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## 5. The loop you will write next: diffusers on the same network
#
# Here is guided DDIM written the way a diffusers pipeline writes it: the scheduler owns the timesteps and Eq. 12, the loop
# owns the network call and the guidance. The two branches run as one batch of $2B$. The result must equal `sample_ddim`
# on `classifier_free_guidance` to float32 round-off.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 5. 다음에 쓰게 될 루프: 같은 네트워크 위의 diffusers
#
# diffusers 파이프라인이 쓰는 방식 그대로 가이던스 DDIM을 씁니다. 스케줄러가 타임스텝과 Eq. 12를 맡고, 루프가 네트워크 호출과
# 가이던스를 맡습니다. 두 답은 크기 $2B$의 배치 하나로 돌립니다. 결과는 `classifier_free_guidance`에 `sample_ddim`을 돌린 것과
# float32 반올림 오차까지 같아야 합니다.

# %% slideshow={"slide_type": "-"}
from diffusers import DDIMScheduler, DPMSolverMultistepScheduler

guidance_scale, S_loop = 3.0, 50
y = torch.arange(10)
x_T = torch.randn(10, 1, 28, 28, generator=torch.Generator().manual_seed(11))

scheduler = DDIMScheduler(num_train_timesteps=1000, beta_schedule="linear", beta_start=1e-4, beta_end=0.02,
                          timestep_spacing="trailing", steps_offset=0, set_alpha_to_one=True, clip_sample=False,
                          prediction_type="epsilon")
scheduler.set_timesteps(S_loop)
x = x_T.clone()
with torch.no_grad():
    for t in scheduler.timesteps:
        t_batch = torch.full((20,), int(t))
        labels_in = torch.cat([y, torch.full_like(y, model.null_class)])
        eps_c, eps_u = model(torch.cat([x, x]), t_batch, class_labels=labels_in).chunk(2)
        eps = eps_u + guidance_scale * (eps_c - eps_u)
        x = scheduler.step(eps, t, x, eta=0.0).prev_sample

ours = dt.sample_ddim(dt.classifier_free_guidance(model, y, guidance_scale), x_T, schedule,
                      dt.make_timesteps(1000, S_loop, "trailing"), eta=0.0, progress=False)
gap = float((ours - x).abs().max())
print(f"max |diffusers loop − sample_ddim| = {gap:.1e}")
# NBVAL_CHECK_OUTPUT
print("equal to float32 round-off (< 1e-4):", gap < 1e-4)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# The same for `DPMSolverMultistepScheduler` (DPM-Solver++(2M), lecture 10) against `sample_dpmpp_2m`, at 20 steps:

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# `DPMSolverMultistepScheduler`(DPM-Solver++(2M), 10강)와 `sample_dpmpp_2m`도 20스텝에서 똑같이 비교합니다.

# %% slideshow={"slide_type": "-"}
ts20 = dt.make_timesteps(1000, 20, "trailing")
dpm = DPMSolverMultistepScheduler(num_train_timesteps=1000, beta_schedule="linear", beta_start=1e-4, beta_end=0.02,
                                  algorithm_type="dpmsolver++", solver_order=2)
dpm.set_timesteps(timesteps=ts20.tolist())
x = x_T.clone()
with torch.no_grad():
    for t in dpm.timesteps:
        eps_c, eps_u = model(torch.cat([x, x]), torch.full((20,), int(t)),
                             class_labels=torch.cat([y, torch.full_like(y, model.null_class)])).chunk(2)
        x = dpm.step(eps_u + guidance_scale * (eps_c - eps_u), t, x).prev_sample
ours = dt.sample_dpmpp_2m(dt.classifier_free_guidance(model, y, guidance_scale), x_T, schedule, ts20, progress=False)
gap = float((ours - x).abs().max())
print(f"max |diffusers DPM-Solver++ loop − sample_dpmpp_2m| = {gap:.1e}")
# NBVAL_CHECK_OUTPUT
print("equal to float32 round-off (< 1e-3):", gap < 1e-3)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## The knobs of `DDIMScheduler`, mapped
#
# | diffusers | this course | where it is explained |
# |---|---|---|
# | `num_train_timesteps` | `T` of `make_schedule(kind, T=...)` | 01 |
# | `beta_schedule`, `beta_start`, `beta_end`, `trained_betas` | `make_schedule("linear" / "scaled_linear" / "cosine" / "custom", ...)` | 01 |
# | `rescale_betas_zero_snr` | `make_schedule(..., zero_terminal_snr=True)` | 01 |
# | `set_timesteps(num_inference_steps)` | `S` of `make_timesteps(T, S, spacing)` | 05 |
# | `timestep_spacing` ("leading", "trailing", "linspace") | `spacing` of `make_timesteps` | 05 |
# | `steps_offset` | `make_timesteps(..., steps_offset=1)` | 05 |
# | `step(..., eta=)` | `eta` of `sample_ddim` | 06 |
# | `set_alpha_to_one` | `sample_ddim(..., set_alpha_to_one=)` (ᾱ after the last step) | 04, 09 |
# | `clip_sample`, `clip_sample_range` | `clip_x0` of `sample_ddim` | 04 |
# | `prediction_type` ("epsilon", "v_prediction", "sample") | the model's `prediction_type`; `predict_eps_x0` | 04, 08 |
# | `guidance_scale` (pipelines) | `classifier_free_guidance(model, labels, s)` | 11 |
# | `DDIMInverseScheduler` | `invert_ddim` | 07, 11 |

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## `DDIMScheduler`의 손잡이들, 대응표
#
# | diffusers | 이 강좌 | 설명하는 강의 |
# |---|---|---|
# | `num_train_timesteps` | `make_schedule(kind, T=...)`의 `T` | 01 |
# | `beta_schedule`, `beta_start`, `beta_end`, `trained_betas` | `make_schedule("linear" / "scaled_linear" / "cosine" / "custom", ...)` | 01 |
# | `rescale_betas_zero_snr` | `make_schedule(..., zero_terminal_snr=True)` | 01 |
# | `set_timesteps(num_inference_steps)` | `make_timesteps(T, S, spacing)`의 `S` | 05 |
# | `timestep_spacing` ("leading", "trailing", "linspace") | `make_timesteps`의 `spacing` | 05 |
# | `steps_offset` | `make_timesteps(..., steps_offset=1)` | 05 |
# | `step(..., eta=)` | `sample_ddim`의 `eta` | 06 |
# | `set_alpha_to_one` | `sample_ddim(..., set_alpha_to_one=)` (마지막 스텝 뒤의 ᾱ) | 04, 09 |
# | `clip_sample`, `clip_sample_range` | `sample_ddim`의 `clip_x0` | 04 |
# | `prediction_type` ("epsilon", "v_prediction", "sample") | 모델의 `prediction_type`, `predict_eps_x0` | 04, 08 |
# | `guidance_scale` (파이프라인) | `classifier_free_guidance(model, labels, s)` | 11 |
# | `DDIMInverseScheduler` | `invert_ddim` | 07, 11 |

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## What a text-to-image pipeline adds around the same loop
#
# A latent diffusion pipeline runs exactly this loop, with three things around it. The image is first compressed by an
# autoencoder, so $x_t$ is a small latent tensor (4×64×64 for a 512×512 image) and the last line of the pipeline decodes
# $x_0$ back to pixels. The class label becomes a text prompt: a frozen text encoder turns it into a sequence of embeddings
# that the U-Net reads through cross-attention, and "no class" becomes the embedding of the empty prompt. A negative prompt
# simply takes the place of that empty prompt in the unconditional branch, so guidance pushes away from it. Everything
# else — the scheduler, `set_timesteps`, the doubled batch, $\epsilon_u+s(\epsilon_c-\epsilon_u)$, `scheduler.step` — is
# the code above.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 텍스트-이미지 파이프라인이 같은 루프 주위에 더하는 것
#
# 잠재 확산(latent diffusion) 파이프라인은 바로 이 루프를 돌리고, 그 주위에 세 가지를 더합니다. 먼저 이미지를 오토인코더로
# 압축하므로 $x_t$는 작은 잠재 텐서입니다(512×512 이미지라면 4×64×64). 파이프라인의 마지막 줄은 $x_0$를 다시 픽셀로 복원합니다.
# 다음으로 클래스 레이블이 텍스트 프롬프트가 됩니다. 고정된 텍스트 인코더가 프롬프트를 임베딩의 열로 바꾸고, U-Net은
# 교차 어텐션(cross-attention)으로 그것을 읽습니다. "클래스 없음"은 빈 프롬프트의 임베딩이 됩니다. 마지막으로 네거티브 프롬프트는
# 무조건부 쪽에서 그 빈 프롬프트의 자리를 차지할 뿐이므로, 가이던스가 그 프롬프트에서 멀어지는 쪽으로 밉니다. 나머지, 곧
# 스케줄러, `set_timesteps`, 두 배로 늘린 배치, $\epsilon_u+s(\epsilon_c-\epsilon_u)$, `scheduler.step`은 모두 위의 코드 그대로입니다.

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: this is the code students will copy next week; point at the doubled batch and the guidance line.
# Ask the room: "Where would a negative prompt go in this loop?" (in place of the null label).
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 다음 주에 학생들이 베껴 쓸 코드입니다. 두 배 배치와 가이던스 한 줄을 짚어 줍니다.
# 물어볼 것: "이 루프에서 네거티브 프롬프트는 어디에 들어갈까요?" (null 레이블 자리).
# 시간: 5분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Exercises
#
# **Exercise 1 (the guided ε).** Write `cfg_combine(eps_c, eps_u, s)` in diffusers' convention. The checker compares it with
# the formula on random tensors and names the usual slips (the $(1+w)$ convention, swapped branches, a missing $\epsilon_u$).
#
# **Exercise 2 (what guidance is a score of, in one dimension).** If $p_u=\mathcal N(\mu_u,v_u)$ and $p_c=\mathcal N(\mu_c,v_c)$,
# the tilted density $p_u^{1-s}p_c^{s}$ is again Gaussian (when its precision is positive). Write `tilted_gaussian(mu_u, var_u, mu_c, var_c, s)`
# returning its mean and variance. Then check: with $\mu_u=0, v_u=1.36$ (the mixture's $x_1$ variance) and $\mu_c=1, v_c=0.36$,
# does $s=3$ move the mean past 1 and shrink the variance, as section 2's table did?
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>Solution</summary>
#
# ```python
# def cfg_combine(eps_c, eps_u, s):
#     return eps_u + s * (eps_c - eps_u)
#
# def tilted_gaussian(mu_u, var_u, mu_c, var_c, s):
#     precision = (1 - s) / var_u + s / var_c      # log-densities add, so precisions add
#     mean = ((1 - s) * mu_u / var_u + s * mu_c / var_c) / precision
#     return mean, 1 / precision
# ```
# At $s=3$: precision $=-2/1.36+3/0.36\approx6.86$, variance $\approx0.146$, mean $\approx1.21$.
# </details>
# <!-- ### END SOLUTION -->

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 연습 문제
#
# **연습 1 (가이던스 ε).** diffusers의 규약으로 `cfg_combine(eps_c, eps_u, s)`를 작성하세요. 검사 함수가 무작위 텐서에서 식과
# 비교하고, 흔한 실수($(1+w)$ 규약, 뒤바뀐 두 답, 빠진 $\epsilon_u$)를 짚어 줍니다.
#
# **연습 2 (1차원에서 가이던스는 무엇의 스코어인가).** $p_u=\mathcal N(\mu_u,v_u)$, $p_c=\mathcal N(\mu_c,v_c)$이면 기울인 밀도
# $p_u^{1-s}p_c^{s}$도 (정밀도가 양수일 때) 가우시안입니다. 그 평균과 분산을 돌려주는 `tilted_gaussian(mu_u, var_u, mu_c, var_c, s)`를
# 작성하세요. 그런 다음 확인해 보세요. $\mu_u=0, v_u=1.36$(혼합의 $x_1$ 분산), $\mu_c=1, v_c=0.36$에서 $s=3$은 2절의 표처럼
# 평균을 1 너머로 옮기고 분산을 줄일까요?
#
# <!-- ### BEGIN SOLUTION -->
# <details><summary>풀이 (solution)</summary>
#
# ```python
# def cfg_combine(eps_c, eps_u, s):
#     return eps_u + s * (eps_c - eps_u)
#
# def tilted_gaussian(mu_u, var_u, mu_c, var_c, s):
#     precision = (1 - s) / var_u + s / var_c      # 로그 밀도가 더해지므로 정밀도가 더해집니다
#     mean = ((1 - s) * mu_u / var_u + s * mu_c / var_c) / precision
#     return mean, 1 / precision
# ```
# $s=3$이면 정밀도 $=-2/1.36+3/0.36\approx6.86$, 분산 $\approx0.146$, 평균 $\approx1.21$입니다.
# </details>
# <!-- ### END SOLUTION -->

# %% slideshow={"slide_type": "-"}
def cfg_combine(eps_c, eps_u, s):
    # TODO: the guided ε, diffusers' convention (s = 0 unconditional, s = 1 conditional)
    raise NotImplementedError

gx.check_cfg_combine(cfg_combine);

# %% slideshow={"slide_type": "-"}
def tilted_gaussian(mu_u, var_u, mu_c, var_c, s):
    # TODO: mean and variance of N(mu_u, var_u)^(1 - s) * N(mu_c, var_c)^s
    raise NotImplementedError

gx.check_tilted_gaussian(tilted_gaussian);

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - Label dropout trains one network for two answers: $\epsilon_\theta(x_t,t,c)$ and $\epsilon_\theta(x_t,t,\varnothing)$, each a scaled score by Tweedie's formula.
# - Classifier-free guidance is Bayes' rule on scores: $\tilde\epsilon=\epsilon_u+s(\epsilon_c-\epsilon_u)$ is the score of $p_t(x)\,p_t(c\mid x)^s$. At $s=1$ it targets $p(x\mid c)$; at $s\neq1$ it samples a sharper, shifted law, which the exact two-class model measured.
# - Guidance raises agreement with the class and lowers diversity (the measured table and figure).
# - Editing = invert under the own label, regenerate under another. Reconstruction is best near $s=1$ and degrades beyond it, so invert at $s\le1$.
# - diffusers' loop is the same computation: the scheduler holds Eq. 12 (or DPM-Solver++), the pipeline holds the doubled batch and the guidance line.
#
# Back to the start: [00 · Start here](00_start_here.ipynb), or the glossary for the terms of this lecture.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - 레이블 드롭아웃은 네트워크 하나에 답 두 개를 가르칩니다. $\epsilon_\theta(x_t,t,c)$와 $\epsilon_\theta(x_t,t,\varnothing)$이고, Tweedie 공식에 따라 각각 스코어에 상수를 곱한 것입니다.
# - 분류기 없는 가이던스는 스코어에 적용한 베이즈 정리입니다. $\tilde\epsilon=\epsilon_u+s(\epsilon_c-\epsilon_u)$는 $p_t(x)\,p_t(c\mid x)^s$의 스코어입니다. $s=1$이면 $p(x\mid c)$를 겨냥하고, $s\neq1$이면 더 좁고 옮겨진 분포에서 뽑습니다. 정확한 두 클래스 모델로 그것을 쟀습니다.
# - 가이던스는 클래스와의 일치율을 올리고 다양성을 낮춥니다(측정한 표와 그림).
# - 편집은 자기 레이블로 역변환하고 다른 레이블로 다시 생성하는 것입니다. 복원은 $s=1$ 근처에서 가장 좋고 그보다 커지면 나빠지므로, $s\le1$에서 역변환합니다.
# - diffusers의 루프는 같은 계산입니다. 스케줄러가 Eq. 12(또는 DPM-Solver++)를 맡고, 파이프라인이 두 배 배치와 가이던스 한 줄을 맡습니다.
#
# 처음으로: [00 · 여기서 시작](00_start_here.ipynb), 또는 이 강의의 용어는 용어집에서 찾아보세요.
