"""The class server's files, checked offline: the JupyterHub config loads and says what deploy/README.md says
(one thread per kernel, the student edition opened and copied, limits), and the Zero to JupyterHub values file
uses only keys of the chart (the list below is read from the chart's values schema; Kubernetes is not here)."""
from __future__ import annotations

import types
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"

# leaf keys of the jupyterhub chart's values that the file may set, with their types (from the chart's schema)
Z2JH_KEYS = {
    "singleuser.image.name": str, "singleuser.image.tag": str, "singleuser.defaultUrl": str,
    "singleuser.cpu.limit": (int, float), "singleuser.cpu.guarantee": (int, float),
    "singleuser.memory.limit": str, "singleuser.memory.guarantee": str,
    "singleuser.extraEnv": dict, "singleuser.storage.capacity": str, "singleuser.lifecycleHooks": dict,
    "hub.config": dict, "cull.enabled": bool, "cull.timeout": int,
    "scheduling.userScheduler.enabled": bool, "scheduling.podPriority.enabled": bool,
    "scheduling.userPlaceholder.enabled": bool, "scheduling.userPlaceholder.replicas": int,
    "prePuller.hook.enabled": bool,
}
OPEN = {"singleuser.extraEnv", "singleuser.lifecycleHooks", "hub.config"}  # free-form below these


def _leaves(d: dict, prefix: str = ""):
    for k, v in d.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and path not in OPEN:
            yield from _leaves(v, path + ".")
        else:
            yield path, v


def _bytes(text: str) -> float:
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    for u in sorted(units, key=len, reverse=True):
        if text.endswith(u):
            return float(text[: -len(u)]) * units[u]
    return float(text)


def test_z2jh_values_use_the_charts_keys():
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    for path, value in _leaves(values):
        assert path in Z2JH_KEYS, f"{path} is not a key of the jupyterhub chart's values"
        assert isinstance(value, Z2JH_KEYS[path]), f"{path}: {value!r} is not {Z2JH_KEYS[path]}"
    s = values["singleuser"]
    assert _bytes(s["memory"]["guarantee"]) <= _bytes(s["memory"]["limit"])
    assert s["cpu"]["guarantee"] <= s["cpu"]["limit"]
    assert s["extraEnv"]["OMP_NUM_THREADS"] == "1"
    assert s["extraEnv"]["DDIM_PREFETCH"] == "0"  # no computing ahead on a shared server
    assert s["defaultUrl"].startswith("/lab/tree/ko/")
    assert "notebooks/student" in " ".join(s["lifecycleHooks"]["postStart"]["exec"]["command"])


@pytest.fixture()
def hub_config(tmp_path, monkeypatch):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("DDIM_HUB_HOMES", str(tmp_path / "homes"))
    monkeypatch.setenv("DDIM_HUB_TOKEN", "t" * 32)
    loader = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY))
    config = loader.load_config()
    assert isinstance(config, Config)
    return config


def test_hub_config_threads_edition_limits(hub_config, tmp_path):
    c = hub_config
    assert c.JupyterHub.spawner_class == "simple"
    assert all(c.Spawner.environment[k] == "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"))
    assert c.Spawner.environment["DDIM_PREFETCH"] == "0"
    assert c.Spawner.default_url == "/lab/tree/ko/00_start_here.ipynb"
    assert c.Spawner.mem_limit == "1G" and c.Spawner.cpu_limit == 1.0
    assert any(s["name"] == "loadtest" for s in c.JupyterHub.services)
    # the pre-spawn hook copies the student edition into a new home and leaves an existing one alone
    student = ROOT / "notebooks" / "student"
    if not (student / "ko").exists():
        from tools import notebooks as nbk

        nbk.build(("00",), run=False, student=True)
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name="alice"))
    c.Spawner.pre_spawn_hook(spawner)
    home = tmp_path / "homes" / "alice"
    assert (home / "ko" / "00_start_here.ipynb").exists() and (home / "en" / "00_start_here.ipynb").exists()
    mine = home / "ko" / "00_start_here.ipynb"
    mine.write_text("my work")
    c.Spawner.pre_spawn_hook(spawner)
    assert mine.read_text() == "my work"
