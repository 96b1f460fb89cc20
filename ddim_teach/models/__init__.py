"""Denoising networks: a toy U-Net for images and an MLP for 2-D points. Both predict ε (or v)."""
from .frozen import FrozenForInference
from .mlp import MLPDenoiser
from .unet import TinyUNet, timestep_embedding

MODEL_CLASSES = {"TinyUNet": TinyUNet, "MLPDenoiser": MLPDenoiser}


def build_model(config: dict):
    """Rebuild a network from the ``config`` dict a checkpoint stores."""
    config = dict(config)
    cls = config.pop("class")
    if cls not in MODEL_CLASSES:
        raise ValueError(f"unknown model class {cls!r} in checkpoint; known: {sorted(MODEL_CLASSES)}")
    return MODEL_CLASSES[cls](**config)


__all__ = ["FrozenForInference", "TinyUNet", "MLPDenoiser", "timestep_embedding", "build_model", "MODEL_CLASSES"]
