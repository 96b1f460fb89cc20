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
# # 00 · DDIM, number by number: start here
#
# **Denoising Diffusion Implicit Models** (Song, Meng & Ermon, ICLR 2021) keep the training of a DDPM diffusion
# model and change only how samples are drawn. DDPM needs 1000 denoising steps for one sample. The paper builds a family of *non-Markovian* forward processes
# $q_\sigma$ that share DDPM's marginals $q(x_t\mid x_0)$. Because the network only ever learned those
# marginals, the same network serves every member of the family. One member is deterministic ($\eta=0$),
# one is DDPM itself ($\eta=1$), and all of them may skip timesteps.
#
# This course follows a Korean study note on DDIM, heading by heading. Every equation gets a number you can
# check, and most ideas get a slider you can move.
#
# **Learning goals.** After this page you can
# - open the edition you want (Korean or English) and run a lecture, a slide show or the app page;
# - translate between the DDIM paper's notation, DDPM's notation and the code's names;
# - find the lecture that covers a given heading of the study note or section of the paper.
#
# **Prerequisites.** Python and a little probability (a Gaussian's mean and variance). No GPU.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# # 00 · 숫자로 따라가는 DDIM: 여기서 시작하세요
#
# **DDIM**(Denoising Diffusion Implicit Models, Song, Meng & Ermon, ICLR 2021)은 DDPM 확산 모델(diffusion model)의
# 학습은 그대로 두고, 샘플링(sampling) 방법만 바꿉니다. DDPM은 노이즈를 조금씩 걷어내는 디노이징(denoising)을 1000번
# 반복해야 샘플 하나를 얻습니다. 논문은 비마르코프(non-Markovian) 순방향 과정의 분포족
# $q_\sigma$를 새로 정의합니다. 이 분포족은 모두 DDPM과 같은 주변분포 $q(x_t\mid x_0)$를 가집니다. 네트워크는 그 주변분포만
# 보고 학습했으므로, 한 번 학습한 네트워크를 분포족의 어느 과정에나 그대로 쓸 수 있습니다. 그중 하나는 결정론적이고
# ($\eta=0$), 하나는 DDPM 그 자체이며($\eta=1$), 어느 것이든 중간 타임스텝(timestep)을 건너뛸 수 있습니다.
#
# 이 강의는 DDIM 스터디 노트의 목차를 그대로 따라갑니다. 모든 식에는 직접 확인할 수 있는 숫자가 붙어 있고,
# 대부분의 아이디어에는 직접 움직여 볼 수 있는 슬라이더가 있습니다.
#
# **학습 목표.** 이 페이지를 마치면
# - 원하는 판(한국어 또는 영어)을 열어 강의, 슬라이드, 앱 페이지를 실행할 수 있습니다.
# - DDIM 논문의 표기법(notation), DDPM의 표기법, 코드의 이름을 서로 바꿔 읽을 수 있습니다.
# - 스터디 노트의 제목이나 논문의 절이 어느 강의에 있는지 찾을 수 있습니다.
#
# **선수 지식.** 파이썬, 그리고 약간의 확률(가우시안의 평균과 분산). GPU는 필요 없습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## How to use the course
#
# **Which edition to open.** Every lecture exists twice, built from one source (`notebooks/src/`):
# Korean in `notebooks/ko/`, English in `notebooks/en/`. The two share every code cell and every checked
# output; only the prose and the language of figures and widget labels differ. Open `notebooks/ko/` if you
# read Korean, `notebooks/en/` otherwise.
#
# | what | command |
# |---|---|
# | open JupyterLab on both editions | `make lab` |
# | the sampler lab as a standalone page (Voila) | `make app` (Korean; `make app EDITION=en` for English) |
# | rebuild and execute both editions from the sources | `make notebooks` (`ONLY=02` for one lecture) |
# | run the unit tests and every notebook under nbval | `make test` |
#
# The first command creates `.venv/`. No GPU is needed: the shipped networks are small and load in a second.
# JupyterLab itself can speak Korean: *Settings → Language → 한국어*.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 강의 사용법
#
# **어느 판을 열까요?** 모든 강의는 하나의 원본(`notebooks/src/`)에서 두 판으로 만들어집니다. 한국어 판은
# `notebooks/ko/`, 영어 판은 `notebooks/en/`에 있습니다. 두 판은 코드 셀과 검증된 출력이 모두 같고, 설명 글과
# 그림·위젯의 언어만 다릅니다. 한국어로 공부한다면 `notebooks/ko/`를 여세요.
#
# | 할 일 | 명령 |
# |---|---|
# | 두 판이 든 폴더에서 JupyterLab 열기 | `make lab` |
# | 샘플러 실험실을 독립된 웹 페이지로 열기 (Voila) | `make app` (한국어; 영어는 `make app EDITION=en`) |
# | 원본에서 두 판을 다시 만들고 실행하기 | `make notebooks` (한 강의만: `ONLY=02`) |
# | 단위 테스트와 모든 노트북의 nbval 검사 | `make test` |
#
# 첫 명령이 `.venv/`를 만듭니다. GPU는 필요 없습니다. 함께 들어 있는 네트워크는 작아서 1초 안에 불러옵니다.
# JupyterLab 화면도 한국어로 바꿀 수 있습니다: *Settings → Language → 한국어*.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## How to present a lecture
#
# - **Slides.** Every cell carries RISE slide metadata: a new section starts a slide, the steps of a derivation
#   appear one by one. In JupyterLab (with `jupyterlab-rise`, installed by `make lab`) press **Alt + R** or
#   choose *View → Render as slideshow*. Cells marked *skip* (set-up code) stay off the slides.
# - **The app page.** `make app` serves the sampler explorer and the step-through as one page without code,
#   which is the easiest thing to show on a projector.
# - **Zoom.** The figures use large fonts for a projector. In the browser, Ctrl + / Ctrl − scales the whole
#   page; JupyterLab's *View → Presentation Mode* hides the side bars.
# - **Sliders.** Each explorer is one call, e.g. `SamplerExplorer()`. Heavy controls redraw when you release
#   them, every setting you have visited is cached, and errors appear in red under the figure. A saved
#   notebook keeps a static picture of each explorer, so it reads well even without a running kernel.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 강의를 발표할 때
#
# - **슬라이드.** 모든 셀에 RISE 슬라이드 정보가 들어 있습니다. 새 절은 새 슬라이드로 시작하고, 유도의 각 줄은
#   하나씩 나타납니다. JupyterLab에서 **Alt + R**을 누르거나 *View → Render as slideshow*를 고르세요
#   (`make lab`이 설치하는 `jupyterlab-rise`). 준비용 코드 셀은 슬라이드에 나오지 않습니다.
# - **앱 페이지.** `make app`은 샘플러 탐색기와 단계별 실행 화면을 코드 없이 한 페이지로 보여 줍니다.
#   프로젝터로 보여 주기에 가장 편합니다.
# - **확대.** 그림은 프로젝터에 맞게 글씨가 큽니다. 브라우저에서 Ctrl + / Ctrl − 로 페이지 전체를 키우고 줄일 수
#   있고, JupyterLab의 *View → Presentation Mode*는 옆 패널을 숨깁니다.
# - **슬라이더.** 탐색기는 `SamplerExplorer()`처럼 한 줄로 부릅니다. 계산이 무거운 조절기는 손을 뗄 때 다시
#   그리고, 한 번 본 설정은 저장해 두었다가 바로 보여 줍니다. 오류는 그림 아래에 빨간 글씨로 나옵니다. 저장된
#   노트북에는 탐색기마다 정지 그림이 남아 있어서, 커널 없이 읽어도 내용을 볼 수 있습니다.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Notation: the one table to keep open
#
# The DDIM paper writes $\alpha_t$ for what DDPM writes $\bar\alpha_t$. The study note mixes both; the code
# never does: it writes `alpha_bar` for $\bar\alpha_t$, always. Time runs over the paper's $t = 1,\dots,T$
# everywhere a person reads it; the code's arrays are 0-based, so step $t$ sits at index $t-1$, and $x_0$ is the
# clean data.
#
# | DDIM paper | DDPM paper | code | meaning |
# |---|---|---|---|
# | $\alpha_t$ | $\bar\alpha_t=\prod_{s\le t}(1-\beta_s)$ | `schedule.alphas_cumprod[t-1]`, per step `alpha_bar` | signal kept after $t$ steps |
# | $\alpha_t/\alpha_{t-1}$ | $\alpha_t = 1-\beta_t$ | `schedule.alphas[t-1]` | one step's signal factor |
# | $1-\alpha_t/\alpha_{t-1}$ | $\beta_t$ | `schedule.betas[t-1]` | one step's noise |
# | $\sigma_t(\eta)$, Eq. 16 | $\sigma_t(1)^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$ | `ddim_sigma(alpha_bar, alpha_bar_prev, eta)`; `schedule.posterior_variance[t-1]` $=\tilde\beta_t$ | noise of a sampling step |
# | $f_\theta^{(t)}(x_t)$, Eq. 9 | — | `x0_pred` | the predicted $\hat x_0$ |
# | $\tau$, Sec. 4.2 | — | `make_timesteps(T, S, spacing)` | the visited timesteps |
# | $t = 1,\dots,T$ | $t = 1,\dots,T$ | index `t - 1` in `0 … T-1` | time |
#
# Note the $\sigma$ row: at $\eta=1$ it is the *square* $\sigma_t(1)^2$ that equals $\tilde\beta_t$, DDPM's
# posterior variance. The cell below prints both sides at $t=500$.

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 표기법: 늘 펴 두고 볼 표 하나
#
# DDIM 논문의 $\alpha_t$는 DDPM 논문의 $\bar\alpha_t$입니다. 스터디 노트는 두 표기를 섞어 쓰지만, 코드는 절대
# 섞지 않습니다. 코드에서 $\bar\alpha_t$는 언제나 `alpha_bar`입니다. 사람이 읽는 곳에서 시간은 모두 논문의
# $t = 1,\dots,T$를 따릅니다. 코드의 배열은 0부터 세므로 스텝 $t$는 인덱스 $t-1$에 있고, $x_0$는 깨끗한 데이터입니다.
#
# | DDIM 논문 | DDPM 논문 | 코드 | 뜻 |
# |---|---|---|---|
# | $\alpha_t$ | $\bar\alpha_t=\prod_{s\le t}(1-\beta_s)$ | `schedule.alphas_cumprod[t-1]`, 스텝마다 `alpha_bar` | $t$번 뒤에 남은 신호 |
# | $\alpha_t/\alpha_{t-1}$ | $\alpha_t = 1-\beta_t$ | `schedule.alphas[t-1]` | 한 스텝의 신호 배율 |
# | $1-\alpha_t/\alpha_{t-1}$ | $\beta_t$ | `schedule.betas[t-1]` | 한 스텝의 노이즈 |
# | $\sigma_t(\eta)$, Eq. 16 | $\sigma_t(1)^2=\tilde\beta_t=\frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$ | `ddim_sigma(alpha_bar, alpha_bar_prev, eta)`; `schedule.posterior_variance[t-1]` $=\tilde\beta_t$ | 샘플링 한 스텝의 노이즈 |
# | $f_\theta^{(t)}(x_t)$, Eq. 9 | — | `x0_pred` | 예측한 $\hat x_0$ |
# | $\tau$, Sec. 4.2 | — | `make_timesteps(T, S, spacing)` | 실제로 거치는 타임스텝 |
# | $t = 1,\dots,T$ | $t = 1,\dots,T$ | 인덱스 `t - 1` (`0 … T-1`) | 시간 |
#
# $\sigma$ 줄을 조심하세요. $\eta=1$일 때 $\tilde\beta_t$(DDPM 사후분포의 분산)와 같은 것은 $\sigma_t(1)$이 아니라 그
# **제곱** $\sigma_t(1)^2$입니다. 아래 셀이 $t=500$에서 양쪽 값을 출력합니다.

# %% slideshow={"slide_type": "slide"}
# NBVAL_CHECK_OUTPUT
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here

s = dt.make_schedule("linear", T=1000)
t = 500  # the paper's t; array index t - 1
ab, ab_prev = s.alphas_cumprod[t - 1].item(), s.alphas_cumprod[t - 2].item()
print(f"t = {t}: alpha_t (DDPM) = alphas[t-1] = {s.alphas[t - 1].item():.6f}")
print(f"t = {t}: alpha_bar_t (DDPM) = alpha_t (DDIM paper) = alphas_cumprod[t-1] = {ab:.6f}")
sigma1 = dt.ddim_sigma(ab, ab_prev, 1.0)
print(f"sigma_t(eta=1)   = {sigma1:.6f}")
print(f"sigma_t(eta=1)^2 = {sigma1 ** 2:.8f},  beta_tilde_t = {s.posterior_variance[t - 1].item():.8f}")

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Map of the lectures
#
# Each lecture follows one heading of the study note (quoted in Korean, as the note writes it) and cites the
# paper's equations and sections.
#
# | lecture | study note heading | paper |
# |---|---|---|
# | [01 · schedules and the forward process](01_schedules_forward.ipynb) | ✅ forward 과정 수식 요약 · 1. forward 과정 (summary of the forward process) | DDPM Eq. 4; DDIM Sec. 2 |
# | [02 · telescoping and the non-Markovian family](02_telescoping.ipynb) | DDIM’s Non-Markovian Process · step-by-step; "(\*)은 Markovian을 가정하고 전개한거 아닌가요?" ("isn't (\*) using the Markov assumption?") | Eq. 6–8, Lemma 1 |
# | [03 · the posterior mean](03_posterior_mean.ipynb) | 2. Posterior 구하기 (finding the posterior) | DDPM Eq. 6–7; DDIM Eq. 7 |
# | [04 · DDPM vs. DDIM](04_ddpm_vs_ddim.ipynb) | DDPM vs. DDIM · 샘플링; "시험 볼 때도 정답지를 예측해서 봐요" (the answer sheet) | Eq. 9, 10, 12 |
# | [05 · skipping steps](05_skipping_steps.ipynb) | So what's the benefit? · 중간 스텝을 어떻게 건너뛸 수 있는걸까? (how can steps be skipped?) | Sec. 4.2 |
# | [06 · η and stochasticity](06_eta_stochasticity.ipynb) | "DDIM에서는 보통 σ_t = 0으로 두어" (DDIM usually sets σ_t = 0) | Eq. 16; Sec. 5.1 sample quality and efficiency, Table 1 |
# | [07 · inversion and interpolation](07_inversion_interpolation.ipynb) | beyond the note | Sec. 5.2 consistency, 5.3 interpolation, 5.4 reconstruction from latent space |
# | [08 · training](08_training.ipynb) | 학습 과정 (Training, Loss 계산 시) | Theorem 1, $L_\text{simple}$ |
# | [09 · notation and errata](09_notation_errata.ipynb) | the note's slips, each with a number | — |
# | [10 · ODE solvers](10_ode_solvers.ipynb) | beyond the note | Sec. 4.3 |

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 강의 지도
#
# 강의마다 스터디 노트의 제목 하나를 따라가고, 논문의 식 번호와 절 번호를 함께 적습니다.
#
# | 강의 | 스터디 노트의 제목 | 논문 |
# |---|---|---|
# | [01 · 노이즈 스케줄과 순방향 과정](01_schedules_forward.ipynb) | ✅ forward 과정 수식 요약 · 1. forward 과정 | DDPM Eq. 4; DDIM 2절 |
# | [02 · 텔레스코핑과 비마르코프 과정](02_telescoping.ipynb) | DDIM’s Non-Markovian Process · step-by-step; "(\*)은 Markovian을 가정하고 전개한거 아닌가요?" | Eq. 6–8, 보조정리 1(Lemma 1) |
# | [03 · 사후 평균](03_posterior_mean.ipynb) | 2. Posterior 구하기 | DDPM Eq. 6–7; DDIM Eq. 7 |
# | [04 · DDPM과 DDIM](04_ddpm_vs_ddim.ipynb) | DDPM vs. DDIM · 샘플링; "시험 볼 때도 정답지를 예측해서 봐요" | Eq. 9, 10, 12 |
# | [05 · 스텝 건너뛰기](05_skipping_steps.ipynb) | So what's the benefit? · 중간 스텝을 어떻게 건너뛸 수 있는걸까? | 4.2절 |
# | [06 · η와 확률성](06_eta_stochasticity.ipynb) | "DDIM에서는 보통 σ_t = 0으로 두어" | Eq. 16; 5.1절 샘플 품질과 효율, 표 1 |
# | [07 · 역변환과 보간](07_inversion_interpolation.ipynb) | 노트 밖의 내용 | 5.2절 일관성, 5.3절 보간, 5.4절 잠재 공간에서의 재구성 |
# | [08 · 학습](08_training.ipynb) | 학습 과정 (Training, Loss 계산 시) | 정리 1, $L_\text{simple}$ |
# | [09 · 표기법과 정오표](09_notation_errata.ipynb) | 노트의 실수들, 하나하나 숫자로 | — |
# | [10 · ODE 솔버](10_ode_solvers.ipynb) | 노트 밖의 내용 | 4.3절 |

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: one sentence per lecture; point at 04 (the update), 05 (skipping steps), 06 (η) and 10 (solvers).
# Time: 2 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 강의마다 한 문장씩. 04강(업데이트 식), 05강(스텝 건너뛰기), 06강(η), 10강(솔버)을 짚습니다.
# 시간: 2분.

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## A first look
#
# The explorer below runs the whole DDIM sampler on handwritten digits. Move the number of steps $S$ and $\eta$;
# lecture 05 explains why few steps still work, and lecture 06 what $\eta$ changes.
#
# **Try this.**
# - Set $S$ to 1000 and then to 10 with $\eta = 0$: the digits stay recognisable at a hundredth of the cost.
# - Keep $S = 10$ and move $\eta$ to 1: each of the ten steps now adds fresh noise. On digits the change is hard to
#   judge by eye, and our digit scores cannot resolve it; on the exact ring of lecture 06 it is resolved: at $S = 10$,
#   $\eta = 1$ is worse than $\eta = 0$ by 5.1 ± 1.6 (MMD² × 1000, paired over 5 seeds; lecture 06 prints it).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 먼저 한번 보기
#
# 아래 탐색기는 손글씨 숫자에서 DDIM 샘플러 전체를 실행합니다. 스텝 수 $S$와 $\eta$를 움직여 보세요. 스텝이 적어도 왜
# 되는지는 05강에서, $\eta$가 무엇을 바꾸는지는 06강에서 다룹니다.
#
# **이렇게 해 보세요.**
# - $\eta = 0$에서 $S$를 1000으로, 다음에 10으로 두어 보세요. 계산량이 100분의 1이 되어도 숫자를 알아볼 수 있습니다.
# - $S = 10$에 두고 $\eta$를 1로 올려 보세요. 이제 열 번의 스텝마다 새 노이즈가 더해집니다. 숫자 데이터에서는 눈으로
#   판단하기 어렵고, 숫자 점수로도 차이가 가려지지 않습니다. 06강의 정확한 고리에서는 차이가 가려집니다. $S = 10$에서
#   $\eta = 1$이 $\eta = 0$보다 5.1 ± 1.6만큼 나쁩니다(MMD² × 1000, 시드 5개로 짝지은 비교, 06강이 출력합니다).

# %% [markdown] lang="en" slideshow={"slide_type": "notes"}
# Say: this is the whole course in one picture; the next lectures explain each control.
# Do: S to 1000 (ready in the background once the cell ran), then S to 10; then η to 1 at S = 10.
# Ask: "At S = 10, which samples would you call worse, and by how much?" Keep the answers for lecture 06's table.
# Time: 5 min.

# %% [markdown] lang="ko" slideshow={"slide_type": "notes"}
# 말할 것: 강의 전체가 이 그림 하나에 있습니다. 다음 강의들이 조절기 하나하나를 설명합니다.
# 할 것: S를 1000으로(셀을 실행하면 뒤에서 미리 계산해 둡니다), 다음에 10으로, 그다음 S = 10에서 η를 1로.
# 물어볼 것: "S = 10에서 어느 샘플이 더 나쁜가요, 얼마나요?" 답은 06강의 표에서 다시 씁니다.
# 시간: 5분.

# %% slideshow={"slide_type": "-"}
from ddim_teach.lab.widgets import SamplerExplorer

SamplerExplorer(model="digits", S=20)

# %% [markdown] lang="en" slideshow={"slide_type": "slide"}
# ## Summary
#
# - Two editions, one source: `notebooks/ko/` and `notebooks/en/`; `make lab` opens both, `make app` the app page.
# - The DDIM paper's $\alpha_t$ is DDPM's $\bar\alpha_t$; the code says `alpha_bar`. Time is the paper's $t=1,\dots,T$.
# - $\sigma_t(\eta)$ of Eq. 16 satisfies $\sigma_t(1)^2=\tilde\beta_t$: at $\eta=1$ the sampler is DDPM.
# - The paper's experiments: 5.1 quality and efficiency, 5.2 consistency, 5.3 interpolation, 5.4 reconstruction.
#
# Next: [01 · schedules and the forward process](01_schedules_forward.ipynb).

# %% [markdown] lang="ko" slideshow={"slide_type": "slide"}
# ## 요약
#
# - 원본 하나에 판이 둘: `notebooks/ko/`와 `notebooks/en/`. `make lab`은 둘 다, `make app`은 앱 페이지를 엽니다.
# - DDIM 논문의 $\alpha_t$는 DDPM의 $\bar\alpha_t$이고, 코드에서는 `alpha_bar`입니다. 시간은 논문의 $t=1,\dots,T$입니다.
# - Eq. 16의 $\sigma_t(\eta)$는 $\sigma_t(1)^2=\tilde\beta_t$를 만족합니다. $\eta=1$이면 샘플러가 곧 DDPM입니다.
# - 논문의 실험: 5.1절 품질과 효율, 5.2절 일관성, 5.3절 보간, 5.4절 재구성.
#
# 다음 강의: [01 · 노이즈 스케줄과 순방향 과정](01_schedules_forward.ipynb).
