"""JupyterHub for a class, on one machine (deploy/start_hub.sh starts it; deploy/README.md explains it).

- Every student gets a JupyterLab with the course's settings (lab/overrides.json, installed into the venv by
  `make lab-settings`, so every single-user server of this venv reads them).
- One thread per kernel: a class shares the cores, and torch's default of one thread per core makes N students'
  kernels fight over every core at once (measured in benchmarks/RESULTS.md, "Class server").
- The student edition (`make student`: notebooks/student/<lang>/, no solutions) is copied into each student's
  home on first start, and JupyterLab opens its first lecture.
- Limits per student: DDIM_HUB_MEM (default 1G) and DDIM_HUB_CPU (default 1). The local spawner cannot enforce
  them (it runs plain processes); it passes them on (MEM_LIMIT, CPU_LIMIT) and the Kubernetes deployment
  (deploy/z2jh/values.yaml) enforces them. The load test (deploy/loadtest.py) measures what a student uses.

Local test settings (the load test): DummyAuthenticator with a shared password from DDIM_HUB_PASSWORD, users'
homes under DDIM_HUB_HOMES (default /tmp/ddim-hub/homes), a service token DDIM_HUB_TOKEN for the load test.
For a real class put the school's authenticator here instead (see deploy/README.md).
"""
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOMES = Path(os.environ.get("DDIM_HUB_HOMES", "/tmp/ddim-hub/homes"))
STUDENT = REPO / "notebooks" / "student"
LANG = os.environ.get("DDIM_HUB_LANG", "ko")  # the edition a student sees first

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

c.JupyterHub.ip = os.environ.get("DDIM_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("DDIM_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{HOMES.parent / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HOMES.parent / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(HOMES.parent / "jupyterhub-proxy.pid")
chp = REPO / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
if chp.exists():
    c.ConfigurableHTTPProxy.command = [str(chp)]

# authentication: a shared password for the local run; a real class uses the school's login
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("DDIM_HUB_PASSWORD", "ddim-class")
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {"instructor"}

# the load test talks to the hub's REST API with this token
if os.environ.get("DDIM_HUB_TOKEN"):
    c.JupyterHub.services = [{"name": "loadtest", "api_token": os.environ["DDIM_HUB_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "loadtest", "services": ["loadtest"],
                                "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}]

# one process per student, run as the hub's own user, home folders under HOMES
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.default_url = f"/lab/tree/{LANG}/00_start_here.ipynb"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.mem_limit = os.environ.get("DDIM_HUB_MEM", "1G")
c.Spawner.cpu_limit = float(os.environ.get("DDIM_HUB_CPU", "1"))
THREADS = {k: "1" for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}
# no computing ahead (ddim_teach.lab.prefetch): on a shared server another student's redraw needs the spare core
c.Spawner.environment = {**THREADS, "DDIM_PREFETCH": "0"}


def copy_student_edition(spawner):
    """Give a student the student edition on first start (never overwrite their work)."""
    home = HOMES / spawner.user.name
    home.mkdir(parents=True, exist_ok=True)
    if not (STUDENT / LANG).exists():
        raise RuntimeError(f"no student edition in {STUDENT}: run `make student` before starting the hub")
    for lang_dir in STUDENT.iterdir():
        if lang_dir.is_dir() and not (home / lang_dir.name).exists():
            shutil.copytree(lang_dir, home / lang_dir.name)


c.Spawner.pre_spawn_hook = copy_student_edition
