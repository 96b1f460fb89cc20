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

# %% [markdown] slideshow={"slide_type": "slide"} lang="en"
# # 08 · Training the toy U-Net
#
# DDIM trains exactly like DDPM (the note: "DDIM의 학습 또한 DDPM과 동일하다"), with
# $$L_{simple}(\theta)=\mathbb E_{t,x_0,\epsilon}\big\|\epsilon-\epsilon_\theta(\sqrt{\bar\alpha_t}x_0+\sqrt{1-\bar\alpha_t}\,\epsilon,\ t)\big\|^2 .$$
# On a GPU this cell trains the full recipe; on a CPU it runs a short demonstration (a few steps in CI), and the
# rest of the lectures use the shipped weights.

# %% slideshow={"slide_type": "-"}
import os
import matplotlib.pyplot as plt
import torch
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach import plots

plt.rcParams.update(plots.projector_style())
SMOKE = "CI" in os.environ  # CI shrinks the long loops; the lecture runs them in full
torch.manual_seed(0);

# %% slideshow={"slide_type": "-"}
from ddim_teach.data import load_dataset
from ddim_teach.train import RECIPES, build_for_data, default_device, train

device = default_device()
recipe = dict(RECIPES["digits"])
if device.type != "cuda":
    recipe["steps"] = 5 if SMOKE else 300  # a demonstration; the shipped weights took the full recipe
torch.manual_seed(0)
result = train(build_for_data("digits"), load_dataset("digits", "train").x, dt.make_schedule(), device=device, **recipe)
print(f"{recipe['steps']} steps on {result.device}: {result.steps_per_second:.1f} steps/s, final loss {result.final_loss:.3f}")

# %% slideshow={"slide_type": "-"}
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(result.losses, lw=1); ax.set_xlabel("step"); ax.set_ylabel("L_simple"); ax.set_yscale("log"); plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} lang="en"
# ## The shipped weights
# Each checkpoint records how it was made; `load_pretrained` checks its sha256 before loading.

# %% slideshow={"slide_type": "-"}
# NBVAL_CHECK_OUTPUT
meta = dt.checkpoint_meta("digits")
for key in ("command", "seed", "steps", "batch_size", "lr"):
    print(f"{key:>10s}: {meta[key]}")
print(f"final loss: {meta['final_loss']:.4f}")

# %% slideshow={"slide_type": "-"}
from ddim_teach.metrics import digit_scores

n = 100 if SMOKE else 500  # the Fréchet distance is biased upwards at small n: compare at equal n
model, schedule = dt.load_pretrained("digits")
x = dt.sample_ddim(model, torch.randn(n, *model.sample_shape, generator=torch.Generator().manual_seed(0)), schedule,
                   dt.make_timesteps(1000, 50), progress=False)
sc, floor = digit_scores(x), digit_scores(load_dataset("digits", "train").x[:n])
print(f"{n} samples, 50-step DDIM: Fréchet distance {sc['fd']:.2f} (real train digits: {floor['fd']:.2f}), "
      f"classifier confidence {sc['confidence']:.2f}, classes {sc['coverage']}/10")
fig, ax = plt.subplots(figsize=(7, 7), layout="constrained"); plots.show_images(ax, x[:64], 8); plt.show()
