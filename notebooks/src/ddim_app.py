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
# Move **steps S**, **η** and the **τ spacing**; the pictures follow. Below, step through one run with the numbers of the update equation.
#
# Served with `make app` (Voila). The same explorers live in the lecture notebooks.

# %%
import ddim_teach as dt
dt.set_language("en")  # the build sets each edition's language here
from ddim_teach.widgets import SamplerExplorer, StepThrough

sampler = SamplerExplorer(model="digits", S=20)
sampler

# %%
StepThrough(model="digits", S=10)
