"""A small digit classifier: its penultimate features define the Fréchet distance of the lectures.

Trained on the digits train split, shipped as ``weights/digit_classifier.pt``. Retrain with
``python -m ddim_teach.models.classifier`` (a few seconds on a CPU).
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["DigitClassifier", "train_classifier", "load_digit_classifier"]


class DigitClassifier(nn.Module):
    def __init__(self, feature_dim: int = 64):
        super().__init__()
        self.config = {"class": "DigitClassifier", "feature_dim": feature_dim}
        self.sample_shape = (1, 8, 8)
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 4 * 4, feature_dim)
        self.head = nn.Linear(feature_dim, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if tuple(x.shape[1:]) != self.sample_shape:
            raise ValueError(f"DigitClassifier expects (B, 1, 8, 8) in [-1, 1], got {tuple(x.shape)}")
        h = F.relu(self.conv1(x))
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)  # (B, 64, 4, 4)
        return F.relu(self.fc(h.flatten(1)))  # (B, feature_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def train_classifier(epochs: int = 30, seed: int = 0, progress: bool = False) -> tuple[DigitClassifier, float]:
    """Train on the digits train split (with ±1-pixel shifts); returns (model, held-out accuracy)."""
    from ..data import load_dataset

    torch.manual_seed(seed)
    tr, te = load_dataset("digits", "train"), load_dataset("digits", "test")
    model = DigitClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(tr), generator=g)
        for i in range(0, len(tr), 64):
            idx = perm[i : i + 64]
            x = tr.x[idx]
            dx, dy = torch.randint(-1, 2, (2,), generator=g).tolist()
            x = torch.roll(x, shifts=(dx, dy), dims=(2, 3))
            loss = F.cross_entropy(model(x), tr.y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval().requires_grad_(False)
    with torch.no_grad():
        acc = (model(te.x).argmax(1) == te.y).float().mean().item()
    return model, acc


def load_digit_classifier() -> DigitClassifier:
    """The shipped classifier, checked against its sha256 like every shipped checkpoint."""
    from .pretrained import WEIGHTS_DIR, CheckpointError, _manifest, sha256_file

    entry = _manifest().get("digit_classifier")
    if entry is None:
        raise FileNotFoundError("the digit classifier is not shipped; run python -m ddim_teach.models.classifier")
    path = WEIGHTS_DIR / entry["file"]
    if sha256_file(path) != entry["sha256"]:
        raise CheckpointError(f"checksum mismatch for {path.name}: the file is corrupt or was replaced")
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    model = DigitClassifier(**{k: v for k, v in ckpt["config"].items() if k != "class"})
    model.load_state_dict(ckpt["state_dict"])
    return model.eval().requires_grad_(False)


if __name__ == "__main__":
    from .pretrained import WEIGHTS_DIR

    m, acc = train_classifier()
    torch.save({"config": m.config, "state_dict": m.state_dict(), "meta": {"command": "python -m ddim_teach.models.classifier",
                "held_out_accuracy": acc, "epochs": 30, "seed": 0}}, WEIGHTS_DIR / "digit_classifier.pt")
    print(f"held-out accuracy {acc:.4f}")
