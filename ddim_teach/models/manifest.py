"""Record the sha256 of every shipped checkpoint after retraining: ``python -m ddim_teach.models.manifest``."""
from .pretrained import write_manifest

if __name__ == "__main__":
    for name, e in write_manifest().items():
        print(f"{name:18s} {e['bytes'] / 1e6:6.2f} MB  {e['sha256'][:16]}…")
