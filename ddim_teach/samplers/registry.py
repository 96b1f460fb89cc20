"""One registry of samplers: a record per sampler, read by the experiments, the widgets, the benchmarks
and the lectures.

A sampler is a plain function ``fn(model, x_T, schedule, timesteps, *, callback=None, progress=True, ...)``,
optionally with ``eta=`` and ``generator=``, that walks the one chain of :mod:`ddim_teach.samplers.loop`
(same input checks, network call and finiteness check for all). Its record says what the rest of the
package needs to know about it:

    register_sampler("heun", sample_heun, label={"ko": "Heun", "en": "Heun"},
                     calls=lambda S: 2 * S - 1, order=2, ode=True)

- ``label``: its display name per language (the widgets, the figures, the benchmark tables);
- ``calls``: network calls (NFE) it spends on S steps (``nfe_for``; ``steps_for_nfe`` inverts it);
- ``order``: its order of convergence on the probability-flow ODE (1 for the first-order steps);
- ``ode``: True for a deterministic solver of the probability-flow ODE: the ``SolverExplorer`` and
  ``benchmarks/solvers.py`` compare every such record (``ode_solvers()``), in registration order.

So adding a sampler is one function and one ``register_sampler`` call (tests/test_registry.py registers a
new one and finds it in the explorer and the benchmark). This module imports no sampler itself (the modules
that define samplers register them), so it cannot create an import cycle.
"""
from __future__ import annotations

import inspect
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["SAMPLERS", "RECORDS", "SamplerRecord", "register_sampler", "unregister_sampler", "get_sampler",
           "get_record", "call_sampler", "nfe_for", "steps_for_nfe", "ode_solvers", "sampler_label"]


def _one_call_per_step(S: int) -> int:
    return S


@dataclass(frozen=True)
class SamplerRecord:
    """What the package knows about one sampler (see the module docstring)."""

    name: str
    fn: Callable
    label: Mapping = field(default_factory=dict)
    calls: Callable[[int], int] = _one_call_per_step
    order: int = 1
    ode: bool = False

    def nfe(self, S: int) -> int:
        """Network calls for S steps."""
        if isinstance(S, bool) or not isinstance(S, numbers.Integral) or S < 1:
            raise ValueError(f"S must be a positive int (the number of steps), got {S!r}")
        return int(self.calls(int(S)))

    def steps_for(self, budget: int) -> int:
        """The most steps S whose cost stays within ``budget`` network calls (Heun: 10 calls buy S = 5)."""
        if isinstance(budget, bool) or not isinstance(budget, numbers.Integral) or budget < 1:
            raise ValueError(f"nfe must be a positive int (the budget of network calls), got {budget!r}")
        if self.nfe(1) > budget:
            raise ValueError(f"sampler {self.name!r} needs {self.nfe(1)} network calls for one step; the budget "
                             f"nfe={budget} is too small")
        S = 1
        while S < budget and self.nfe(S + 1) <= budget:
            S += 1
        return S

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.name


RECORDS: dict[str, SamplerRecord] = {}


class _Functions(Mapping):
    """``SAMPLERS``: a read-only view name -> function over ``RECORDS``."""

    def __getitem__(self, name):
        return RECORDS[name].fn

    def __iter__(self):
        return iter(RECORDS)

    def __len__(self):
        return len(RECORDS)

    def __repr__(self):
        return f"SAMPLERS({', '.join(RECORDS)})"


SAMPLERS: Mapping[str, Callable] = _Functions()


def register_sampler(name: str, fn: Callable, *, label: Mapping | None = None, calls: Callable[[int], int] | None = None,
                     order: int = 1, ode: bool = False) -> Callable:
    """Add ``fn`` under ``name`` with its record; returns ``fn``. A name can be registered once."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"a sampler name must be a non-empty str, got {name!r}")
    if not callable(fn):
        raise TypeError(f"sampler {name!r} must be callable, got {type(fn).__name__}")
    if name in RECORDS and RECORDS[name].fn is not fn:
        raise ValueError(f"a sampler named {name!r} is already registered ({RECORDS[name].fn.__qualname__})")
    params = inspect.signature(fn).parameters
    missing = [p for p in ("callback", "progress") if p not in params]
    if missing or len(params) < 4:
        raise TypeError(f"sampler {name!r} must take (model, x_T, schedule, timesteps, *, callback, progress, ...); "
                        f"missing {', '.join(missing) or 'positional arguments'}")
    label = dict(label or {})
    if any(not isinstance(k, str) or not isinstance(v, str) or not v for k, v in label.items()):
        raise TypeError(f"label of sampler {name!r} must map a language code to a non-empty str, e.g. "
                        f"{{'ko': '…', 'en': '…'}}; got {label!r}")
    if calls is not None and not callable(calls):
        raise TypeError(f"calls of sampler {name!r} must be a function S -> network calls, got {calls!r}")
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"order of sampler {name!r} must be a positive int, got {order!r}")
    if not isinstance(ode, bool):
        raise TypeError(f"ode of sampler {name!r} must be True or False, got {ode!r}")
    record = SamplerRecord(name, fn, label, calls or _one_call_per_step, order, ode)
    for S in (1, 2, 10):  # the cost must be a count that grows with S
        n = record.nfe(S)
        if isinstance(n, bool) or not isinstance(n, int) or n < S:
            raise ValueError(f"calls({S}) of sampler {name!r} must be an int ≥ {S} (at least one call per step), got {n!r}")
    RECORDS[name] = record
    return fn


def unregister_sampler(name: str) -> None:
    """Remove a sampler (tests and notebooks that register a temporary one)."""
    get_record(name)
    del RECORDS[name]


def get_record(name: str) -> SamplerRecord:
    """The record registered as ``name``; an unknown name is an error that lists the known ones."""
    try:
        return RECORDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown sampler {name!r}; choose one of {', '.join(sorted(RECORDS))}") from None


def get_sampler(name: str) -> Callable:
    """The function registered as ``name``."""
    return get_record(name).fn


def nfe_for(name: str, S: int) -> int:
    """Network calls the sampler ``name`` spends on S steps (from its record: S, or 2S − 1 for Heun)."""
    return get_record(name).nfe(S)


def steps_for_nfe(name: str, nfe: int) -> int:
    """The most steps the sampler ``name`` can take within ``nfe`` network calls."""
    return get_record(name).steps_for(nfe)


def ode_solvers() -> tuple[str, ...]:
    """The registered probability-flow ODE solvers, in registration order (what the explorer compares)."""
    return tuple(n for n, r in RECORDS.items() if r.ode)


def sampler_label(name: str, lang: str | None = None) -> str:
    """A sampler's display name in ``lang`` (default: the session's language)."""
    from ..i18n import get_language

    return get_record(name).label_in(lang or get_language())


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
