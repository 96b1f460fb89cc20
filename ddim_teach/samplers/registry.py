"""One registry of samplers: name -> function.

Every sampler of the package is a plain function ``fn(model, x_T, schedule, timesteps, *, callback=None,
progress=True, ...)``, optionally with ``eta=`` and ``generator=``. Registering one is one line::

    register_sampler("ddim", sample_ddim)

``experiments.run_sampler``, ``evaluation.sample`` and the widgets pick samplers by name through
:func:`call_sampler`, so a registered sampler is available everywhere at once. This module imports no
sampler itself (the modules that define samplers register them), so it cannot create an import cycle.
"""
from __future__ import annotations

import inspect
import numbers
from typing import Callable

__all__ = ["SAMPLERS", "register_sampler", "get_sampler", "call_sampler"]

SAMPLERS: dict[str, Callable] = {}


def register_sampler(name: str, fn: Callable) -> Callable:
    """Add ``fn`` to :data:`SAMPLERS` under ``name``; returns ``fn``. A name can be registered once."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"a sampler name must be a non-empty str, got {name!r}")
    if not callable(fn):
        raise TypeError(f"sampler {name!r} must be callable, got {type(fn).__name__}")
    if name in SAMPLERS and SAMPLERS[name] is not fn:
        raise ValueError(f"a sampler named {name!r} is already registered ({SAMPLERS[name].__qualname__})")
    params = inspect.signature(fn).parameters
    missing = [p for p in ("callback", "progress") if p not in params]
    if missing or len(params) < 4:
        raise TypeError(f"sampler {name!r} must take (model, x_T, schedule, timesteps, *, callback, progress, ...); "
                        f"missing {', '.join(missing) or 'positional arguments'}")
    SAMPLERS[name] = fn
    return fn


def get_sampler(name: str) -> Callable:
    """The function registered as ``name``; an unknown name is an error that lists the known ones."""
    try:
        return SAMPLERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown sampler {name!r}; choose one of {', '.join(sorted(SAMPLERS))}") from None


def call_sampler(name: str, model, x_T, schedule, timesteps, *, eta=0.0, generator=None, callback=None,
                 progress: bool = False, **kwargs):
    """Run the sampler registered as ``name``.

    ``eta`` and ``generator`` go only to samplers that take them. A nonzero ``eta`` given to a sampler
    without one (DDPM, the ODE solvers) is an error, never silently dropped.
    """
    fn = get_sampler(name)
    params = inspect.signature(fn).parameters
    if "eta" in params:
        kwargs["eta"] = eta
    elif not (isinstance(eta, numbers.Real) and eta == 0):
        raise ValueError(f"sampler {name!r} has no eta; got eta={eta!r} (use sampler='ddim' for η > 0)")
    if "generator" in params:
        kwargs["generator"] = generator
    return fn(model, x_T, schedule, timesteps, callback=callback, progress=progress, **kwargs)
