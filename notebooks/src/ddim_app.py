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

# %% [markdown] lang="en"
# # DDIM sampler lab
#
# One run of the DDIM sampler (Eq. 12), seen two ways. **One row of controls drives the page:** steps **S**, **η**,
# the **τ spacing**, the σ̂ box, the model and the seed. Section 1 shows the whole run; section 2 walks through the same
# run one step at a time, with the numbers of the update. Served by `make app` (Voila); the same explorers live in the
# lectures (04, 05, 06).

# %% [markdown] lang="ko"
# # DDIM 샘플러 실험실
#
# DDIM 샘플러(Eq. 12)를 한 번 실행하고, 그 실행을 두 가지 방식으로 봅니다. **컨트롤 한 줄이 페이지 전체를 움직입니다.**
# 스텝 수 **S**, **η**, **τ 간격**, σ̂ 상자, 모델, 시드가 그 컨트롤입니다. 1절은 실행 전체를 보여 주고, 2절은 같은 실행을
# 한 스텝씩 업데이트 식의 숫자와 함께 보여 줍니다. `make app`(Voila)으로 띄웁니다. 같은 탐색기가 04, 05, 06강에도 있습니다.

# %%
import ipywidgets as W
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.lab.widgets import SamplerExplorer, StepThrough

sampler = SamplerExplorer(model="digits", S=20)
stepper = StepThrough(model="digits", S=20)
# one set of controls: the sampler's row drives the step-through, which shows the same run
for name in ("model", "steps", "eta", "sigma_hat", "spacing", "seed"):
    W.link((getattr(sampler, name), "value"), (getattr(stepper, name), "value"))
    getattr(stepper, name).layout.display = "none"

# %% [markdown] lang="en"
# ## 1. The whole run
#
# The picture shows where the S steps of τ fall in 1…T, a strip of $x_t$ and the prediction $\hat x_0$ for one image
# along the run, and the samples $x_0$. **Try this:**
# - set S to 5, then to 100, at η = 0: the samples sharpen but mostly keep their high-level features, because the
#   deterministic sampler maps one $x_T$ to similar $x_0$ at any S (the paper's Sec. 5.2, sample consistency);
# - at S = 10 move η from 0 to 1: on digits the change is hard to judge by eye, and our digit scores cannot resolve it; on
#   the exact ring (model "exact:ring8") η = 1 is measurably worse at S = 10, by 5.1 ± 1.6 in MMD² × 1000 (lecture 06's paired table);
# - at S = 5 switch τ spacing from "leading" to "trailing": leading starts at t = 801 and never visits T = 1000, trailing starts at T.

# %% [markdown] lang="ko"
# ## 1. 실행 전체
#
# 그림은 τ의 S개 스텝이 1…T의 어디에 놓이는지, 이미지 하나의 $x_t$와 예측 $\hat x_0$가 실행을 따라 어떻게 변하는지, 그리고 샘플 $x_0$를 보여 줍니다.
# **이렇게 해 보세요.**
# - η = 0에서 S를 5로, 다시 100으로 바꿔 보세요. 샘플은 또렷해지지만 큰 특징은 대체로 그대로입니다. 결정론적 샘플러는 S와 상관없이 같은 $x_T$를 비슷한 $x_0$로 보내기 때문입니다(논문 5.2절, 샘플 일관성).
# - S = 10에서 η를 0에서 1로 올려 보세요. 숫자 데이터에서는 눈으로 판단하기 어렵고, 숫자 점수로도 차이가 가려지지 않습니다.
#   정확한 고리(모델 "exact:ring8")에서는 S = 10에서 η = 1이 MMD² × 1000으로 5.1 ± 1.6만큼 나쁩니다(06강의 짝지은 비교 표).
# - S = 5에서 τ 간격을 "leading"에서 "trailing"으로 바꿔 보세요. leading은 t = 801에서 시작하고 T = 1000을 지나지 않습니다. trailing은 T에서 시작합니다.

# %%
sampler

# %% [markdown] lang="en"
# ## 2. The same run, step by step
#
# The step-through follows the controls above. **Prev / Next** (or play, or ↑ / ↓ in the step box) move through the S steps: the input $x_t$,
# the prediction $\hat x_0$, the output, and Eq. 12 with this step's numbers. At η = 0 the noise coefficient is 0;
# at η = 1 the direction coefficient shrinks to $\sqrt{1-\bar\alpha_{t_{\rm prev}}-\sigma_t^2}$.

# %% [markdown] lang="ko"
# ## 2. 같은 실행을 한 스텝씩
#
# 아래 탐색기는 위의 컨트롤을 따릅니다. **이전 / 다음**(또는 재생, 스텝 칸의 ↑ / ↓)으로 S개의 스텝을 오갑니다. 입력 $x_t$, 예측 $\hat x_0$, 출력,
# 그리고 이 스텝의 숫자를 넣은 Eq. 12가 보입니다. η = 0이면 노이즈 계수가 0입니다. η = 1이면 방향 계수가
# $\sqrt{1-\bar\alpha_{t_{\rm prev}}-\sigma_t^2}$로 줄어듭니다.

# %%
stepper
