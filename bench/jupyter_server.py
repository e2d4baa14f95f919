"""The bench's real ``jupyter server`` subprocess with the llama-nb extension, and the kernels it starts.

One start for every bar that needs a Jupyter of its own: bars 8, 6 and 11 (jupyter_bars.py), 12 and 13
(robust_bars.py), 16 (stream_bars.py). Token auth, ``base_url`` /bench/, a free port, ``ctx_size``
``CTX``, isolated config/runtime/state dirs, and :data:`PUBLISH_HOOK` in its config file (the time of
each status change, for bar 6). :func:`cell_messages` is the iopub loop of a cell, also for the
kernels latency_bars.py starts itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import httpx
import psutil

from .common import CTX, kill_pids, llama_servers_under_state, pid_alive, wait_for

TOKEN = "llama-nb-bench-token"
BASE_URL = "/bench/"

PUBLISH_HOOK = """
# --- llama-nb bench instrumentation: note when each status change is published (no behaviour change) ---
import json as _bench_json, time as _bench_time
from llama_nb.supervisor import supervisor as _bench_sv
if not getattr(_bench_sv.Supervisor, "_bench_timed", False):
    _bench_log = open({path!r}, "a", buffering=1)
    _bench_orig = _bench_sv.Supervisor._publish_locked
    def _bench_publish(self):
        t = _bench_time.monotonic()
        _bench_orig(self)
        _bench_log.write(_bench_json.dumps({{"t": t, "seq": self._seq, "profile": self.profile.name, "state": self._state.value}}) + "\\n")
    _bench_sv.Supervisor._publish_locked = _bench_publish
    _bench_sv.Supervisor._bench_timed = True
    # Where the time goes: when the change reaches Jupyter's event loop (StatusHub._deliver).
    from llama_nb.serverext import events as _bench_ev
    if hasattr(_bench_ev.StatusHub, "_deliver"):
        _bench_deliver_orig = _bench_ev.StatusHub._deliver
        def _bench_deliver(self, status):
            t = _bench_time.monotonic()
            _bench_deliver_orig(self, status)
            _bench_log.write(_bench_json.dumps({{"stage": "loop", "t": t, "t_done": _bench_time.monotonic(), "seq": status.seq, "profile": status.profile}}) + "\\n")
        _bench_ev.StatusHub._deliver = _bench_deliver
    # Garbage collections of Jupyter's heap stop every thread: note the long ones (≥ 5 ms).
    import gc as _bench_gc
    _bench_gc_start = {{}}
    def _bench_gc_cb(phase, info):
        if phase == "start":
            _bench_gc_start["t"] = _bench_time.monotonic()
        elif "t" in _bench_gc_start:
            t = _bench_gc_start.pop("t")
            if _bench_time.monotonic() - t >= 0.005:
                _bench_log.write(_bench_json.dumps({{"stage": "gc", "t": t, "t_done": _bench_time.monotonic(), "generation": info.get("generation"), "profile": ""}}) + "\\n")
    _bench_gc.callbacks.append(_bench_gc_cb)
"""


@dataclass
class Jupyter:
    proc: subprocess.Popen[bytes]
    root: Path
    state: Path
    runtime: Path
    log_path: Path
    publish_log: Path
    port: int = 0
    kernel_pids: set[int] = field(default_factory=set)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE_URL}llama-nb/api/"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE_URL}"

    def client(self, **kw: Any) -> httpx.Client:
        kw.setdefault("timeout", 180)
        return httpx.Client(headers={"Authorization": f"token {TOKEN}"}, trust_env=False, **kw)

    def spawn_headers(self, profile: str = "default") -> int:
        path = self.state / "logs" / f"{profile}.log"
        try:
            return sum(1 for ln in path.read_text(errors="replace").splitlines() if ln.startswith("=== llama-nb ") and ": /" in ln)
        except OSError:
            return 0

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def note_kernels(self) -> None:
        """Remember the pids of this Jupyter's kernels, so cleanup can end them after Jupyter is gone."""
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                if any("ipykernel" in part for part in child.cmdline()):
                    self.kernel_pids.add(child.pid)
        except psutil.Error:
            pass

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.note_kernels()
            self.proc.kill()
            self.proc.wait(30)
        kill_pids(p for p in self.kernel_pids if pid_alive(p))
        kill_pids(p.pid for p in llama_servers_under_state(str(self.state)))


def start_jupyter(work: Path, extra_config: str = "") -> Jupyter:
    work.mkdir(parents=True, exist_ok=True)
    root, state, runtime = work / "root", work / "state", work / "runtime"
    root.mkdir(exist_ok=True)
    publish_log = work / "publish.jsonl"
    cfg = work / "jupyter_server_config.py"
    cfg.write_text(textwrap.dedent(f"""
        c.ServerApp.jpserver_extensions = {{"llama_nb": True}}
        c.IdentityProvider.token = {TOKEN!r}
        c.ServerApp.base_url = {BASE_URL!r}
        c.ServerApp.port = 0
        c.ServerApp.open_browser = False
        c.ServerApp.allow_root = True
        c.ServerApp.root_dir = {str(root)!r}
        c.LlamaNB.ctx_size = {CTX}
    """) + textwrap.dedent(extra_config) + PUBLISH_HOOK.format(path=str(publish_log)))
    env = dict(os.environ)
    for var in ("LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_CTX_SIZE"):
        env.pop(var, None)
    env.update({"LLAMA_NB_STATE_DIR": str(state), "JUPYTER_RUNTIME_DIR": str(runtime),
                "JUPYTER_CONFIG_DIR": str(work / "jupyter-config"), "PYTHONUNBUFFERED": "1"})
    log_path = work / "jupyter.log"
    with open(log_path, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", f"--config={cfg}"], stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    jp = Jupyter(proc, root, state, runtime, log_path, publish_log)
    info = runtime / f"jpserver-{proc.pid}.json"

    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {proc.returncode}:\n{jp.log_tail()}")
        if not jp.port:
            try:
                jp.port = int(json.loads(info.read_text())["port"])
            except (OSError, ValueError, KeyError):
                return False
        try:
            return httpx.get(jp.api + "status", headers={"Authorization": f"token {TOKEN}"}, timeout=5, trust_env=False).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, 120, "jupyter server with llama-nb answering", interval=0.1)
    except BaseException:
        jp.cleanup()
        raise
    return jp


# --------------------------------------------------------------------------------------------------
# Kernels and cells
# --------------------------------------------------------------------------------------------------


def cell_messages(kc: Any, code: str, timeout: float, t0: float) -> Iterator[tuple[str, dict[str, Any]]]:
    """Execute ``code`` on the kernel client ``kc`` and yield ``(msg_type, content)`` for each iopub
    message of that execution until the kernel says idle (not yielded); once ``t0 + timeout`` (monotonic)
    passes first, ``("timeout", {"text": "no idle within N s"})`` is the last one."""
    msg_id = kc.execute(code)
    deadline = t0 + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            yield "timeout", {"text": f"no idle within {timeout:.0f} s"}
            return
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except Exception:  # queue.Empty
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content.get("execution_state") == "idle":
            return
        yield kind, content


def run_cell(kc: Any, code: str, timeout: float) -> dict[str, Any]:
    """Run one cell: its seconds to idle, the cards it showed, its last finished answer, its errors (a
    timeout is one) and its stdout."""
    from llama_nb.kernel.display import ANSWER_MIME, CARD_MIME

    t0 = time.monotonic()
    cards, answers, errors, stdout = [], [], [], ""
    for kind, content in cell_messages(kc, code, timeout, t0):
        if kind == "timeout":
            errors.append(content["text"])
        elif kind in ("display_data", "update_display_data", "execute_result"):
            data = content.get("data", {})
            if CARD_MIME in data:
                cards.append(data[CARD_MIME])
            if ANSWER_MIME in data and data[ANSWER_MIME].get("done"):
                answers.append(data.get("text/plain", ""))
        elif kind == "stream":
            stdout += content.get("text", "")
        elif kind == "error":
            errors.append(f"{content.get('ename')}: {content.get('evalue')}")
    return {"seconds": time.monotonic() - t0, "cards": cards, "answer": answers[-1] if answers else "", "errors": errors,
            "stdout": stdout}


def connect_kernel(jp: Jupyter, kernel_id: str) -> Any:
    """A ``BlockingKernelClient`` on a kernel this Jupyter started (``POST api/kernels``), ready.

    No heartbeat channel: on a loaded machine its first beat can come later than jupyter_client's 1 s
    kernel_info poll, which then reports a live kernel as dead. Readiness = a kernel_info reply."""
    from jupyter_client import BlockingKernelClient

    kc = BlockingKernelClient(connection_file=str(jp.runtime / f"kernel-{kernel_id}.json"))
    kc.load_connection_file()
    kc.start_channels(hb=False)
    kc.wait_for_ready(timeout=120)
    return kc
