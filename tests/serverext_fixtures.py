"""A real ``jupyter server`` subprocess with the llama-nb extension.

For the tests where a separate Jupyter process is the point: SIGTERM and ``kill -9`` of Jupyter, real
kernels started by it, JupyterLab in a browser, Jupyter's startup heap. The handler tests run Jupyter
in-process instead (tests/inproc_fixtures.py). Everything waits on a condition with a bounded
deadline; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import psutil
import pytest

from helpers import is_llama_server, pid_gone, wait_for

from llama_nb.config import bundled_model_path

TOKEN = "llama-nb-test-token"
BASE_URL = "/jnb/"
START_TIMEOUT = 90.0  # two busy cores: Jupyter alone takes 1-3 s, much more under load
REQUEST_TIMEOUT = 120.0


@dataclass
class JupyterServer:
    """One ``jupyter server`` process started for a test."""

    proc: subprocess.Popen[bytes]
    root: Path
    state_dir: Path
    log_path: Path
    port: int = 0
    token: str = TOKEN
    base_url: str = BASE_URL
    seen_llama: dict[int, float] = field(default_factory=dict)  # pid -> create_time, for cleanup

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}llama-nb/api/"

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}"

    def client(self, auth: bool = True, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"token {self.token}"} if auth else {}
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return httpx.Client(base_url=self.api, headers=headers, trust_env=False, **kwargs)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def llama_servers(self) -> list[psutil.Process]:
        """The llama-server processes below this Jupyter (remembered for cleanup)."""
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.Error:
            return []
        found = [p for p in children if is_llama_server(p)]
        for p in found:
            try:
                self.seen_llama[p.pid] = p.create_time()
            except psutil.Error:
                pass
        return found

    def spawn_headers(self, profile: str) -> int:
        """How many llama-servers this profile has spawned: one header line per spawn in its log."""
        path = self.state_dir / "logs" / f"{profile}.log"
        try:
            return sum(1 for line in path.read_text(errors="replace").splitlines() if line.startswith("=== llama-nb ") and ": /" in line)
        except OSError:
            return 0

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM (Jupyter's normal shutdown) and wait for the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"jupyter server (pid {self.pid}) did not exit within {timeout:.0f} s of SIGTERM;\n{self.log_text()[-3000:]}") from None

    def cleanup(self) -> None:
        """Kill whatever is left: the Jupyter process and any llama-server seen below it."""
        if self.proc.poll() is None:
            self.llama_servers()
            self.proc.kill()
            self.proc.wait(30)
        for pid, created in self.seen_llama.items():
            try:
                p = psutil.Process(pid)
                if abs(p.create_time() - created) < 0.01:
                    p.kill()
            except psutil.Error:
                pass

    def close(self, timeout: float = 30.0) -> None:
        """The end of a server a test is done with: remember its llama-servers, SIGTERM (an exit slower
        than ``timeout`` is not that test's failure), then kill whatever is left."""
        self.llama_servers()
        try:
            self.terminate(timeout)
        except AssertionError:
            pass
        self.cleanup()


def start_jupyter(
    tmp: Path,
    config: str = "",
    env: dict[str, str] | None = None,
    app: str = "jupyter_server",
    ready_paths: tuple[str, ...] = (),
) -> JupyterServer:
    """Start ``python -m APP`` (``jupyter_server`` or ``jupyterlab``) with the llama-nb extension and
    ``config`` (Python lines of a jupyter_server_config.py) on a free loopback port; return once the
    llama-nb API answers, and each of ``ready_paths`` (e.g. ``"lab"``) too."""
    tmp.mkdir(parents=True, exist_ok=True)
    root, state = tmp / "root", tmp / "state"
    root.mkdir(exist_ok=True)
    cfg = tmp / "jupyter_server_config.py"
    cfg.write_text(
        textwrap.dedent(
            f"""
            c.ServerApp.jpserver_extensions = {{"llama_nb": True}}
            c.IdentityProvider.token = {TOKEN!r}
            c.ServerApp.base_url = {BASE_URL!r}
            c.ServerApp.port = 0
            c.ServerApp.open_browser = False
            c.ServerApp.allow_root = True
            c.ServerApp.root_dir = {str(root)!r}
            c.LlamaNB.ctx_size = 1024
            """
        )
        + textwrap.dedent(config)
    )
    runtime = tmp / "runtime"
    full_env = dict(os.environ)
    for var in ("LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_BACKEND"):
        full_env.pop(var, None)
    full_env.update(
        {
            "LLAMA_NB_STATE_DIR": str(state),
            "JUPYTER_RUNTIME_DIR": str(runtime),
            "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if "LLAMA_NB_MODEL" not in (env or {}) and (smollm2 := bundled_model_path()) is not None:
        # Module-scoped servers start outside any test's environment: pin the fast SmolLM2 here too
        # (conftest does it per test); a test of the real default passes env={"LLAMA_NB_MODEL": ...}.
        full_env["LLAMA_NB_MODEL"] = str(smollm2)
    full_env.update(env or {})
    log_path = tmp / "jupyter.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", app, f"--config={cfg}"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=full_env, cwd=root,
        )
    server = JupyterServer(proc=proc, root=root, state_dir=state, log_path=log_path)
    info = runtime / f"jpserver-{proc.pid}.json"

    def ready() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"jupyter server exited with {proc.returncode} while starting:\n{server.log_text()[-3000:]}")
        if not server.port:
            try:
                server.port = int(json.loads(info.read_text())["port"])
            except (OSError, ValueError, KeyError):
                return False
        headers = {"Authorization": f"token {TOKEN}"}
        urls = [server.api + "status", *(server.root_url + path for path in ready_paths)]
        try:
            return all(httpx.get(url, headers=headers, timeout=10, trust_env=False).status_code == 200 for url in urls)
        except httpx.HTTPError:
            return False

    try:
        wait_for(ready, START_TIMEOUT, f"{app} with llama-nb answering on {server.api}", interval=0.1)
    except BaseException:
        server.cleanup()
        raise
    return server


@pytest.fixture
def jupyter_factory(tmp_path: Path) -> Iterator[Callable[..., JupyterServer]]:
    """Start Jupyter servers for one test; whatever the test leaves running is killed afterwards."""
    made: list[JupyterServer] = []

    def make(config: str = "", name: str = "jupyter", **kwargs: Any) -> JupyterServer:
        server = start_jupyter(tmp_path / name, config, **kwargs)
        made.append(server)
        return server

    yield make
    for server in made:
        server.cleanup()


def wait_gone(pids: list[int], timeout: float, message: str) -> None:
    wait_for(lambda: all(pid_gone(p) for p in pids), timeout, f"{message}; still alive: {[p for p in pids if not pid_gone(p)]}")
