"""Pretrained weights shipped inside the package, loaded safely.

``load_pretrained(name)`` checks the file's sha256 against ``weights/manifest.json`` before it is
unpickled with ``torch.load(..., weights_only=True)``, rebuilds the network from the stored config, and
returns ``(model, schedule)``: the network (eval mode, on the CPU) and the schedule it was trained with.
Each checkpoint's ``meta`` records the command, seed, steps and final loss that made it.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import torch

from ..models import build_model
from ..core.schedule import Schedule

__all__ = ["load_pretrained", "load_checkpoint", "available_pretrained", "checkpoint_meta", "CheckpointError", "WEIGHTS_DIR",
           "sha256_file"]

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"  # ddim_teach/weights, shipped as package data
MANIFEST = WEIGHTS_DIR / "manifest.json"


class CheckpointError(RuntimeError):
    """A checkpoint file that is corrupt, tampered with, or does not match its network."""


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _manifest() -> dict:
    """The manifest {name: {"file", "sha256", ...}}; a malformed one is a CheckpointError naming the fix."""
    if not MANIFEST.exists():
        return {}
    fix = "regenerate it with `python -m ddim_teach.models.manifest` or reinstall the package"
    try:
        entries = json.loads(MANIFEST.read_text())
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{MANIFEST} is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}); {fix}") from None
    if not isinstance(entries, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("file"), str) and isinstance(v.get("sha256"), str)
            for v in entries.values()):
        raise CheckpointError(f"{MANIFEST} must map each name to {{'file': ..., 'sha256': ...}}; {fix}")
    return entries


NOT_DENOISERS = ("digit_classifier",)


def available_pretrained() -> list[str]:
    """Names of the shipped denoisers."""
    return sorted(k for k in _manifest() if k not in NOT_DENOISERS)


def _read_checkpoint(path, expected_sha256: str | None = None) -> dict:
    """The verified contents of a checkpoint file: {"config", "state_dict", "schedule", "meta"}."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    if expected_sha256 is not None:
        got = sha256_file(path)
        if got != expected_sha256:
            raise CheckpointError(
                f"checksum mismatch for {path.name}: expected sha256 {expected_sha256[:16]}…, got {got[:16]}…; "
                "the file is corrupt or was replaced. Reinstall the package or retrain it (see README)."
            )
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # a truncated or non-torch file
        raise CheckpointError(f"{path.name} is not a readable checkpoint: {e}") from e
    if not isinstance(ckpt, dict) or not {"config", "state_dict", "schedule"} <= set(ckpt):
        raise CheckpointError(f"{path.name} lacks config/state_dict/schedule: not a ddim_teach checkpoint")
    return ckpt


def _build(ckpt: dict, label: str):
    """A new network with the checkpoint's weights (copied in, so callers never share tensors)."""
    try:
        model = build_model(ckpt["config"])
    except (TypeError, ValueError, KeyError) as e:  # an unknown class or keyword, a missing "class"
        raise CheckpointError(f"{label}: its network config {ckpt['config']!r} does not build a network ({e}); "
                              "the file was written by another version or edited: retrain it (see README)") from e
    try:
        model.load_state_dict(ckpt["state_dict"])
    except RuntimeError as e:
        raise CheckpointError(f"{label} does not match its network config: {e}") from e
    try:
        schedule = Schedule.from_dict(ckpt["schedule"])
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise CheckpointError(f"{label}: its schedule {ckpt['schedule']!r} is not valid ({e}); retrain it (see README)") from e
    model.eval().requires_grad_(False)
    model.meta = dict(ckpt.get("meta", {}))
    return model, schedule, dict(ckpt.get("meta", {}))


def load_checkpoint(path, expected_sha256: str | None = None):
    """Load any checkpoint written by :func:`ddim_teach.models.train.save_checkpoint`; returns (model, schedule, meta)."""
    return _build(_read_checkpoint(path, expected_sha256), Path(path).name)


@lru_cache(maxsize=None)
def _load_cached(name: str) -> dict:
    """The verified file contents (state dict, config, schedule, meta), read and checked once per name."""
    entry = _manifest()[name]
    ckpt = _read_checkpoint(WEIGHTS_DIR / entry["file"], expected_sha256=entry["sha256"])
    _build(ckpt, entry["file"])  # fail here, once, if the weights do not fit the config
    return ckpt


def load_pretrained(name: str):
    """Return ``(model, schedule)`` for a shipped network: 'digits', 'moons', 'swiss_roll', 'ring8', 'checkerboard'.

    Each call builds a new model (the verified state dict is cached, not the module), so changing it,
    e.g. ``model.double()``, affects no other caller.
    """
    if not MANIFEST.exists():
        raise CheckpointError(f"{MANIFEST} is missing, so no shipped network can be verified: reinstall the package "
                              "(pip install -e .) or regenerate it with `python -m ddim_teach.models.manifest`")
    names = available_pretrained()
    if name not in names:
        raise ValueError(f"no pretrained model named {name!r}; available: {', '.join(names) or 'none'}")
    model, schedule, _ = _build(_load_cached(name), name)
    return model, schedule


def checkpoint_meta(name: str) -> dict:
    """How a shipped checkpoint was made: command, seed, steps, final loss, device, seconds."""
    if name not in available_pretrained():
        raise ValueError(f"no pretrained model named {name!r}; available: {', '.join(available_pretrained())}")
    return dict(_load_cached(name).get("meta", {}))


def write_manifest() -> dict:
    """Record the sha256 of every shipped checkpoint (run after retraining: python -m ddim_teach.models.pretrained)."""
    entries = {}
    for path in sorted(WEIGHTS_DIR.glob("*.pt")):
        entries[path.stem] = {"file": path.name, "sha256": sha256_file(path), "bytes": path.stat().st_size}
    MANIFEST.write_text(json.dumps(entries, indent=2) + "\n")
    _load_cached.cache_clear()
    return entries

