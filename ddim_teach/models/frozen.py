"""A network frozen for inference: the same operations, run as a TorchScript trace per input shape.

The explorers redraw a whole sampling run on every slider move. On the 8×8 U-Net, about a quarter of
each call is Python around tiny convolutions; a frozen trace runs the same operations without it
(measured: 5.4 → 4.1 ms a call at batch 16 on 2 cores) and gives the same numbers (measured identical; the
tests allow 1e-6). Only float32 inference on the CPU without gradients takes the trace; anything else
(training, gradients, float64, another device) runs the network itself.

The trace reads the weights when it is made: a network changed afterwards needs a new wrapper.
TorchScript is deprecated in favour of torch.export and torch.compile; neither helps here (an exported
program ran at the eager speed, and compiling on the CPU needs a C++ toolchain and minutes), so this
module keeps the trace and silences the deprecation inside it. ``benchmarks/frozen_network.py`` measures
the ratio.
"""
from __future__ import annotations

import warnings

import torch
from torch import nn

__all__ = ["FrozenForInference"]


class FrozenForInference(nn.Module):
    """Wraps a network with ``check_inputs(x, t)``; behaves as the network, faster at inference."""

    def __init__(self, net: nn.Module):
        super().__init__()
        if not hasattr(net, "check_inputs"):
            raise TypeError(f"{type(net).__name__} has no check_inputs(x, t); a trace would drop its input checks")
        self.net = net.eval()
        self._traces: dict = {}

    @property
    def sample_shape(self):
        return self.net.sample_shape

    @property
    def prediction_type(self):
        return getattr(self.net, "prediction_type", "epsilon")

    @property
    def config(self):
        return self.net.config

    def _traced(self, x: torch.Tensor, t: torch.Tensor) -> bool:
        return (not torch.is_grad_enabled() and not self.net.training and x.dtype == torch.float32
                and x.device.type == "cpu" and type(x) is torch.Tensor and t.dtype == torch.int64)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if not self._traced(x, t):
            return self.net(x, t)
        self.net.check_inputs(x, t)  # the trace has no branches: check here, with the network's own messages
        key = tuple(x.shape)
        trace = self._traces.get(key)
        if trace is None:
            with warnings.catch_warnings():  # the input checks become constants in the trace; they ran above
                warnings.simplefilter("ignore", torch.jit.TracerWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                trace = torch.jit.freeze(torch.jit.trace(self.net, (x, t), check_trace=False))
            self._traces[key] = trace
        return trace(x, t)
