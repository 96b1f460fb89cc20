#!/usr/bin/env bash
# Run here (CPU): write .gpu/ with the training arrays and the package, for the device call to carry.
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
mkdir -p .gpu
.venv/bin/python - <<'PY'
import torch
from ddim_teach.data import load_dataset
for name in ("mnist5k", "digits"):
    d = load_dataset(name, "train")
    torch.save({"x": d.x.contiguous(), "name": name}, f".gpu/{name}.pt")
    print(name, tuple(d.x.shape))
PY
du -sh .gpu
