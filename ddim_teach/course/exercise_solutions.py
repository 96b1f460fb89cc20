"""Reference solutions of the lectures' exercises, written for students (``ddim_teach.course.exercises``).

``solution(name)`` returns the source of a short solution, for a lecture to reveal on demand
(``print(solution("ddim_sigma"))``); ``solution_function(name)`` runs that source and returns the function.
"""
from __future__ import annotations

import inspect
from typing import Callable

__all__ = ["SOLUTIONS", "SolutionText", "solution", "solution_function"]

SOLUTIONS: dict[str, str] = {
    "ddim_sigma": '''\
def ddim_sigma(alpha_bar, alpha_bar_prev, eta):
    """σ of one DDIM step (Eq. 16). Works on floats and on tensors."""
    # σ = η · √((1 − ᾱ_{t−1}) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_{t−1})
    return eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
''',
    "ddim_step": '''\
def ddim_step(x_t, eps, alpha_bar, alpha_bar_prev, eta=0.0, noise=None):
    """One DDIM step (Eq. 12). Returns (x_prev, x0_pred)."""
    # Eq. 9: the predicted x_0
    x0_pred = (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
    # Eq. 16: the standard deviation of this step's noise
    sigma = eta * ((1 - alpha_bar_prev) / (1 - alpha_bar)) ** 0.5 * (1 - alpha_bar / alpha_bar_prev) ** 0.5
    # Eq. 12: "predicted x_0" + "direction pointing to x_t" + random noise
    x_prev = alpha_bar_prev ** 0.5 * x0_pred + (1 - alpha_bar_prev - sigma ** 2) ** 0.5 * eps
    if eta > 0:
        x_prev = x_prev + sigma * noise
    return x_prev, x0_pred
''',
    "posterior_mean": '''\
def posterior_mean(x_0, x_t, alpha_bar, alpha_bar_prev):
    """The mean of q(x_{t-1} | x_t, x_0) (DDPM Eq. 7), from ᾱ_t and ᾱ_{t-1}."""
    alpha = alpha_bar / alpha_bar_prev      # one-step α_t
    beta = 1 - alpha                        # β_t
    coef_x0 = alpha_bar_prev ** 0.5 * beta / (1 - alpha_bar)
    coef_xt = alpha ** 0.5 * (1 - alpha_bar_prev) / (1 - alpha_bar)
    return coef_x0 * x_0 + coef_xt * x_t
''',
    "timesteps": '''\
def leading_timesteps(T, S):
    """The S timesteps of the "leading" spacing, descending, as 0-based table indices."""
    k = T // S                                  # integer step
    return [i * k for i in range(S)][::-1]      # [(S-1)k, ..., k, 0]
''',
    "x0_pred": '''\
def predict_x0(x_t, eps, alpha_bar):
    """The predicted x_0 (Eq. 9): undo x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε."""
    return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
''',
    "x0_pred_schedule": '''\
def predict_x0(x_t, eps, schedule, t):
    """The predicted x_0 (Eq. 9); t is the 0-based table index."""
    alpha_bar = schedule.alphas_cumprod[t]      # cumulative ᾱ_t, not schedule.alphas[t]
    return (x_t - (1 - alpha_bar) ** 0.5 * eps) / alpha_bar ** 0.5
''',
    "alpha_bar": '''\
import torch

def alphas_cumprod(betas):
    """ᾱ_t = ∏_{s≤t} (1 − β_s), one value per step."""
    return torch.cumprod(1 - betas, dim=0)
''',
}


class SolutionText(str):
    """The source of a solution; Jupyter shows it as a highlighted code block, ``print`` as plain text."""

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}```"

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))


def solution(name: str) -> SolutionText:
    """The source text of a reference solution written for students: ``print(solution("ddim_sigma"))``.

    Names: ``"ddim_sigma"``, ``"ddim_step"``, ``"posterior_mean"``, ``"timesteps"``, ``"x0_pred"``,
    ``"x0_pred_schedule"``, ``"alpha_bar"`` (a checker's name, e.g. ``"check_ddim_step"``, works too).
    """
    key = name[len("check_"):] if isinstance(name, str) and name.startswith("check_") else name
    if key not in SOLUTIONS:
        raise KeyError(f"no solution {name!r}; choose one of {', '.join(SOLUTIONS)}")
    return SolutionText(SOLUTIONS[key])


def solution_function(name: str) -> Callable:
    """The solution of ``name`` as a function (its source executed), e.g. to compare with a student's."""
    namespace: dict = {}
    exec(compile(solution(name), f"<solution {name}>", "exec"), namespace)
    fns = [v for v in namespace.values() if inspect.isfunction(v)]
    return fns[-1]
