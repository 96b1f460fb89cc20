"""One seeding scheme: independent random streams for the starting noise x_T and for the sampler's noise z.

A run is named by ``(seed, batch)``. Each stream's torch seed comes from numpy's ``SeedSequence`` with the
spawn key ``(stream, batch)``, so the x_T of one batch never reappears as the noise of another (drawing
x_T from seed s and the noise from s + 1, batch after batch, would reuse one batch's noise as the next
batch's x_T and correlate them).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

__all__ = ["STREAMS", "Streams", "make_generators", "stream_seed"]

STREAMS = ("x_T", "noise")


class Streams(NamedTuple):
    x_T: torch.Generator  # draws the starting noise x_T
    noise: torch.Generator  # passed to the sampler as ``generator`` (the z of each stochastic step)


def _check_index(value, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    return int(value)


def stream_seed(seed: int, stream: str, batch: int = 0) -> int:
    """The torch seed of one stream: 63 bits from SeedSequence(seed, spawn_key=(stream index, batch))."""
    seed, batch = _check_index(seed, "seed"), _check_index(batch, "batch")
    if stream not in STREAMS:
        raise ValueError(f"unknown stream {stream!r}; choose one of {', '.join(STREAMS)}")
    ss = np.random.SeedSequence(seed, spawn_key=(STREAMS.index(stream), batch))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def make_generators(seed: int, batch: int = 0) -> Streams:
    """Fresh CPU generators for the x_T stream and the noise stream of run ``(seed, batch)``."""
    return Streams(*(torch.Generator().manual_seed(stream_seed(seed, s, batch)) for s in STREAMS))
