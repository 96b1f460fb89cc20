"""Load test of the class hub: N simulated students, each through the hub's proxy like a browser.

Each student: the hub creates the user and starts their server (the student edition copied into their home);
the student opens lecture 04 (the contents API), starts a kernel (the sessions API), runs the lecture's code
cells in order over the kernel's websocket, then opens a SamplerExplorer (the digits model, as in lecture 00)
and moves its sliders every few seconds, η and S in turn, each move a widget "update" message exactly as
JupyterLab's widget manager sends it. A move's latency runs from sending the message to the arrival of the
picture's new PNG (the Image model's update). Resident memory (RSS) of each student's server and kernel is
read from /proc. Results: benchmarks/out/hub_<N>.json, and `--table` prints the RESULTS.md section.

    python deploy/loadtest.py --hub http://127.0.0.1:8000 --token $DDIM_HUB_TOKEN -n 1 5 10 20 --moves 15

Lecture cells run with CI=1 set in the kernel first (the lecture's long loops shrink, as under nbval): the
measured quantity is the interactive part, the slider redraws, with every student's kernel holding the
lecture's state.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
import uuid
from pathlib import Path

import aiohttp
import psutil

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
LECTURE = "ko/04_ddpm_vs_ddim.ipynb"
EXPLORER = """
import os, json
try:
    from ddim_teach.lab.widgets import SamplerExplorer
except ImportError:
    from ddim_teach.widgets import SamplerExplorer
_lt = SamplerExplorer(model="digits", S=20)
display(_lt.widget)
print("LOADTEST " + json.dumps({"eta": _lt.eta.model_id, "steps": _lt.steps.model_id, "image": _lt.image.model_id,
                                "options": list(_lt.steps.options), "pid": os.getpid()}))
"""


def msg(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "loadtest", "session": session,
                       "version": "5.3", "date": ""}, "parent_header": {}, "metadata": {}, "content": content,
            "channel": channel, "buffers": []}


class Student:
    def __init__(self, name: str, hub: str, token: str, http: aiohttp.ClientSession):
        self.name, self.hub, self.admin, self.http = name, hub.rstrip("/"), token, http
        self.base = f"{self.hub}/user/{name}"
        self.result: dict = {"name": name, "latencies": [], "errors": []}
        self.barrier: asyncio.Barrier | None = None

    async def api(self, method: str, path: str, token: str | None = None, **kw):
        async with self.http.request(method, self.hub + path, headers={"Authorization": f"token {token or self.admin}"}, **kw) as r:
            body = await r.text()
            if r.status >= 400 and not (r.status == 409 or (method == "POST" and r.status == 400)):
                raise RuntimeError(f"{method} {path}: HTTP {r.status} {body[:200]}")
            return r.status, (json.loads(body) if body.strip().startswith(("{", "[")) else body)

    async def start(self):
        t0 = time.perf_counter()
        await self.api("POST", f"/hub/api/users/{self.name}")
        await self.api("POST", f"/hub/api/users/{self.name}/server")
        while True:
            _, user = await self.api("GET", f"/hub/api/users/{self.name}")
            server = (user.get("servers") or {}).get("", {})
            if server.get("ready"):
                break
            await asyncio.sleep(0.5)
        _, tok = await self.api("POST", f"/hub/api/users/{self.name}/tokens", json={"note": "loadtest", "expires_in": 7200})
        self.token = tok["token"]
        self.result["spawn_s"] = time.perf_counter() - t0

    async def user_api(self, method: str, path: str, **kw):
        async with self.http.request(method, f"{self.base}{path}", headers={"Authorization": f"token {self.token}"}, **kw) as r:
            if r.status >= 400:
                raise RuntimeError(f"{method} {path}: HTTP {r.status} {(await r.text())[:200]}")
            return await r.json()

    async def run(self, moves: int, interval: float):
        t0 = time.perf_counter()
        nb = (await self.user_api("GET", f"/api/contents/{LECTURE}"))["content"]
        sess = await self.user_api("POST", "/api/sessions", json={"path": LECTURE, "type": "notebook", "name": LECTURE,
                                                                  "kernel": {"name": "python3"}})
        kid = sess["kernel"]["id"]
        self.result["open_s"] = time.perf_counter() - t0
        ws_url = self.base.replace("http", "ws", 1) + f"/api/kernels/{kid}/channels"
        self.session = uuid.uuid4().hex
        async with self.http.ws_connect(ws_url, headers={"Authorization": f"token {self.token}"}, max_msg_size=0,
                                        heartbeat=30) as ws:
            self.ws = ws
            self.pending: dict[str, asyncio.Future] = {}
            self.image_updates: asyncio.Queue = asyncio.Queue()
            self.outputs: dict[str, list] = {}
            reader = asyncio.create_task(self.read())
            try:
                await self.execute("import os\nos.environ['CI'] = '1'")
                t1 = time.perf_counter()
                for cell in nb["cells"]:
                    if cell["cell_type"] == "code":
                        await self.execute(cell["source"])
                self.result["lecture_s"] = time.perf_counter() - t1
                out = await self.execute(EXPLORER)
                line = next(s for s in out if s.startswith("LOADTEST "))
                ids = json.loads(line[len("LOADTEST "):].splitlines()[0])
                self.ids, self.result["kernel_pid"] = ids, ids["pid"]
                if self.barrier is not None:  # every student has run the lecture: the class now explores together
                    await self.barrier.wait()
                await self.slide(moves, interval)
            finally:
                reader.cancel()

    async def read(self):
        async for m in self.ws:
            if m.type == aiohttp.WSMsgType.BINARY:
                data = _decode_binary(m.data)
            elif m.type == aiohttp.WSMsgType.TEXT:
                data = json.loads(m.data)
            else:
                continue
            parent = data.get("parent_header", {}).get("msg_id")
            kind = data["header"]["msg_type"]
            if kind == "stream" and parent in self.outputs:
                self.outputs[parent].append(data["content"]["text"])
            elif kind == "error" and parent in self.outputs:
                self.outputs[parent].append("ERROR " + data["content"]["ename"] + ": " + data["content"]["evalue"])
            elif kind == "comm_msg" and getattr(self, "ids", None) and data["content"].get("comm_id") == self.ids["image"]:
                if "value" in (data["content"].get("data", {}).get("state") or {}) or data["content"]["data"].get("buffer_paths"):
                    self.image_updates.put_nowait(time.perf_counter())
            elif kind == "status" and data["content"]["execution_state"] == "idle" and parent in self.pending:
                self.pending.pop(parent).set_result(True)

    async def execute(self, code: str, timeout: float = 1800) -> list[str]:
        m = msg("execute_request", {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}, self.session)
        fut = asyncio.get_running_loop().create_future()
        self.pending[m["header"]["msg_id"]] = fut
        self.outputs[m["header"]["msg_id"]] = []
        await self.ws.send_str(json.dumps(m))
        await asyncio.wait_for(fut, timeout)
        out = self.outputs.pop(m["header"]["msg_id"])
        errors = [o for o in out if o.startswith("ERROR ")]
        if errors:
            self.result["errors"].append(errors[0][:300])
        return out

    async def slide(self, moves: int, interval: float):
        """Move η through 0.05, 0.10, … and every third move S to another value: each a new setting (no frame
        from the cache), as a student exploring the explorer does."""
        options = self.ids["options"]
        s_choices = [i for i, v in enumerate(options) if v in (10, 20, 50, 100, 5, 25, 40)] or list(range(len(options)))
        eta, k = 0.0, 0
        for i in range(moves):
            await asyncio.sleep(interval)
            while not self.image_updates.empty():
                self.image_updates.get_nowait()
            if i % 3 == 2:
                k = (k + 1) % len(s_choices)
                comm, state = self.ids["steps"], {"index": s_choices[k]}
            else:
                eta = round(eta + 0.05, 2) if eta < 0.95 else 0.05
                comm, state = self.ids["eta"], {"value": eta}
            m = msg("comm_msg", {"comm_id": comm, "data": {"method": "update", "state": state, "buffer_paths": []}},
                    self.session)
            t0 = time.perf_counter()
            await self.ws.send_str(json.dumps(m))
            try:
                t1 = await asyncio.wait_for(self.image_updates.get(), 60)
                self.result["latencies"].append(t1 - t0)
            except asyncio.TimeoutError:
                self.result["latencies"].append(float("inf"))

    async def stop(self):
        await self.api("DELETE", f"/hub/api/users/{self.name}/server")


def _decode_binary(buf: bytes) -> dict:
    """Jupyter's binary websocket frame (v1 of the legacy protocol): offsets, then the JSON message, then buffers."""
    import struct

    n = struct.unpack("!I", buf[:4])[0]
    offsets = struct.unpack(f"!{n}I", buf[4:4 + 4 * n])
    return json.loads(buf[offsets[0]:offsets[1]].decode())


def rss_by_user(names: list[str]) -> dict:
    """RSS (MB) of each student's single-user server and kernel processes (found by JUPYTERHUB_USER)."""
    out = {n: {"server_mb": 0.0, "kernel_mb": 0.0} for n in names}
    for p in psutil.process_iter(["pid", "cmdline", "memory_info"]):
        try:
            env = p.environ()
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        user = env.get("JUPYTERHUB_USER")
        if user in out:
            cmd = " ".join(p.info["cmdline"] or [])
            kind = "kernel_mb" if "ipykernel" in cmd else "server_mb"
            out[user][kind] += p.info["memory_info"].rss / 2**20
    return out


async def phase(hub: str, token: str, n: int, moves: int, interval: float) -> dict:
    names = [f"student{n:02d}x{i:02d}" for i in range(n)]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as http:
        students = [Student(name, hub, token, http) for name in names]
        t0 = time.perf_counter()
        await asyncio.gather(*(s.start() for s in students))
        spawn = time.perf_counter() - t0
        mem_before = psutil.virtual_memory()
        sampler = asyncio.create_task(_sample_rss(names))
        barrier = asyncio.Barrier(n)
        for s in students:
            s.barrier = barrier
        async def run(s):
            try:
                await s.run(moves, interval)
            except BaseException:
                await barrier.abort()  # the others stop waiting for a student who will not come
                raise

        results = await asyncio.gather(*(run(s) for s in students), return_exceptions=True)
        sampler.cancel()
        peaks = await _peak(sampler)
        for s, r in zip(students, results):
            if isinstance(r, Exception):
                s.result["errors"].append(f"{type(r).__name__}: {r}")
        await asyncio.gather(*(s.stop() for s in students), return_exceptions=True)
    lat = [x for s in students for x in s.result["latencies"]]
    finite = sorted(x for x in lat if x != float("inf"))
    q = lambda p: finite[min(len(finite) - 1, int(p * len(finite)))] if finite else float("nan")  # noqa: E731
    per = [peaks.get(s.name, {}) for s in students]
    return {
        "n": n, "moves_each": moves, "interval_s": interval, "spawn_all_s": spawn,
        "lecture_s_median": statistics.median([s.result.get("lecture_s", float("nan")) for s in students]),
        "lecture_s_max": max(s.result.get("lecture_s", float("nan")) for s in students),
        "latency_p50_s": q(0.50), "latency_p95_s": q(0.95), "latency_max_s": finite[-1] if finite else float("nan"),
        "timeouts": sum(1 for x in lat if x == float("inf")), "n_moves": len(lat),
        "kernel_mb_median": statistics.median([p.get("kernel_mb", 0) for p in per]) if per else 0,
        "server_mb_median": statistics.median([p.get("server_mb", 0) for p in per]) if per else 0,
        "student_mb_max": max((p.get("kernel_mb", 0) + p.get("server_mb", 0)) for p in per) if per else 0,
        "mem_available_gb_before": mem_before.available / 2**30,
        "errors": [e for s in students for e in s.result["errors"]][:10],
        "students": [s.result for s in students],
    }


async def _sample_rss(names):
    peaks: dict = {}
    try:
        while True:
            for user, m in rss_by_user(names).items():
                p = peaks.setdefault(user, {"kernel_mb": 0.0, "server_mb": 0.0})
                p["kernel_mb"] = max(p["kernel_mb"], m["kernel_mb"])
                p["server_mb"] = max(p["server_mb"], m["server_mb"])
            _sample_rss.last = peaks
            await asyncio.sleep(2)
    except asyncio.CancelledError:
        return peaks


async def _peak(task):
    try:
        return await task
    except asyncio.CancelledError:
        return getattr(_sample_rss, "last", {})


def table(note: str = "") -> str:
    """The RESULTS.md section from benchmarks/out/hub_*.json: one row per N, then the capacity."""
    import math

    runs = sorted((json.loads(p.read_text()) for p in OUT.glob("hub_*.json")), key=lambda r: r["n"])
    if not runs:
        raise SystemExit("no results in benchmarks/out/hub_*.json: run the load test first")
    m = runs[-1]["machine"]
    lines = ["### Class server (JupyterHub on one machine, `make loadtest`)", "",
             "| students | spawn all (s) | lecture 04 run (s, median / max) | slider moves | redraw p50 (s) | redraw p95 (s) "
             "| redraw max (s) | kernel RSS (MB, median) | server RSS (MB, median) | errors |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['n']} | {r['spawn_all_s']:.0f} | {r['lecture_s_median']:.0f} / {r['lecture_s_max']:.0f} | "
                     f"{r['n_moves']} ({r['timeouts']} lost) | {r['latency_p50_s']:.2f} | {r['latency_p95_s']:.2f} | "
                     f"{r['latency_max_s']:.2f} | {r['kernel_mb_median']:.0f} | {r['server_mb_median']:.0f} | {len(r['errors'])} |")
    ok = [r for r in runs if r["latency_p95_s"] < 1.0 and not r["errors"] and not r["timeouts"]]
    per_student_mb = max(r["kernel_mb_median"] + r["server_mb_median"] for r in runs)
    lines.append("")
    if ok:
        best = max(ok, key=lambda r: r["n"])
        per_core = best["n"] / m["cpus"]
        more = " (the largest N tried: the true figure may be higher)" if best is runs[-1] else ""
        cores_100 = math.ceil(100 / per_core)
        lines.append(f"**Capacity.** p95 redraw < 1 s up to N = {best['n']} on {m['cpus']} cores: **{per_core:.1f} students "
                     f"per core**{more}. Memory: {per_student_mb:.0f} MB a student (kernel + server, median), "
                     f"**{1024 / per_student_mb:.1f} students per GB**. A class of 100: **{cores_100} cores** and "
                     f"**{100 * per_student_mb / 1024 * 1.25:.0f} GB** (100 × {per_student_mb:.0f} MB + 25 % headroom); "
                     f"on Kubernetes, 1 CPU and 1 GiB limits a student (deploy/z2jh/values.yaml) with the guarantees below them.")
    else:
        lines.append("**Capacity.** No N met p95 redraw < 1 s on this machine in this run; see the note.")
    lines.append("")
    lines.append(f"_class_server: {m['cpus']} cores ({m['cpu']}), {m['mem_gb']:.0f} GB; every kernel one thread; moves every "
                 f"{runs[-1]['interval_s']:.0f} s, each to a setting not drawn before (η, and S every third move); lecture cells "
                 f"run with CI=1. {runs[-1]['when']}. {note or m.get('note', '')}_")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hub", default="http://127.0.0.1:8000")
    ap.add_argument("--token", default=os.environ.get("DDIM_HUB_TOKEN"))
    ap.add_argument("-n", type=int, nargs="+", default=[1, 5, 10, 20])
    ap.add_argument("--moves", type=int, default=15)
    ap.add_argument("--interval", type=float, default=3.0)
    ap.add_argument("--note", default="", help="a note stored with the results (e.g. another load on the machine)")
    ap.add_argument("--table", action="store_true", help="print the RESULTS.md section from the stored results")
    args = ap.parse_args(argv)
    if args.table:
        print(table(args.note))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": psutil.cpu_count(), "mem_gb": psutil.virtual_memory().total / 2**30,
               "cpu": platform.processor() or platform.machine(), "note": args.note}
    for n in args.n:
        need_gb = n * 0.75  # measured: about 0.73 GB a student (kernel + server) after lecture 04
        if psutil.virtual_memory().available / 2**30 < need_gb + 1:
            print(f"N={n}: skipped, {psutil.virtual_memory().available / 2**30:.1f} GB available < {need_gb + 1:.1f} GB")
            continue
        load0 = os.getloadavg()[0]
        r = asyncio.run(phase(args.hub, args.token, n, args.moves, args.interval))
        r.update(machine=machine, load_before=load0, load_after=os.getloadavg()[0], when=time.strftime("%Y-%m-%d %H:%M"))
        (OUT / f"hub_{n}.json").write_text(json.dumps(r, indent=1))
        print(f"N={n:3d}  spawn {r['spawn_all_s']:5.1f} s  lecture {r['lecture_s_median']:5.1f} s (max {r['lecture_s_max']:.1f})  "
              f"redraw p50 {r['latency_p50_s']:.3f} s p95 {r['latency_p95_s']:.3f} s max {r['latency_max_s']:.3f} s "
              f"({r['n_moves']} moves, {r['timeouts']} timeouts)  kernel {r['kernel_mb_median']:.0f} MB, "
              f"server {r['server_mb_median']:.0f} MB  errors {len(r['errors'])}", flush=True)
        for e in r["errors"][:3]:
            print("   ", e)


if __name__ == "__main__":
    main()
