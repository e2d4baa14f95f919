"""Fixtures and helpers for the kernel-side tests (magics, backends), against the real llama-server.

Import the fixtures you use into the test module: ``from kernel_fixtures import llama_env, ipshell``.
Nothing here is mocked: the binary comes from ``find_server()`` and the model from ``find_model()``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
import nbformat
import psutil
import pytest

from helpers import is_llama_server, llama_servers, wait_for  # noqa: F401 - wait_for re-exported
from llama_nb.config import bundled_model_path, find_model, find_server, launch_environment
from llama_nb.kernel.display import ANSWER_MIME, CARD_MIME, NOTE_MIME

CTX = 1024
LONG_PROMPT = "Write a very long story about a dragon."

_ENV_CLEARED = (
    "LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_BACKEND",
    "LLAMA_NB_MODEL", "LLAMA_NB_CTX_SIZE",
)


def llama_servers_of(pid: int | None = None) -> list[psutil.Process]:
    """llama-server processes that descend from ``pid`` (default: this process)."""
    try:
        children = psutil.Process(pid or os.getpid()).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [p for p in children if is_llama_server(p)]


def servers_for_state(state_dir: Path) -> list[psutil.Process]:
    """Live llama-server processes started with ``LLAMA_NB_STATE_DIR=state_dir`` (orphans included)."""
    return llama_servers(str(state_dir))


# --------------------------------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def llama_env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private state dir and a 1024-token context; no backend chosen by the outer environment.
    The model is the fast SmolLM2 file unless the test is marked ``default_model`` (conftest)."""
    for name in _ENV_CLEARED:
        monkeypatch.delenv(name, raising=False)
    if request.node.get_closest_marker("default_model") is None and (smollm2 := bundled_model_path()) is not None:
        monkeypatch.setenv("LLAMA_NB_MODEL", str(smollm2))
    state = tmp_path / "state"
    monkeypatch.setenv("LLAMA_NB_STATE_DIR", str(state))
    monkeypatch.setenv("LLAMA_NB_CTX_SIZE", str(CTX))
    return state


def small_ctx_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """STAND-IN (named as such): a llama-server wrapper that runs the real server with half the ``-c``
    asked for, since the real one here always honours ``-c`` (tests/standins/small_ctx_llama_server.py)."""
    real = find_server().path
    assert real is not None
    monkeypatch.setenv("STANDIN_REAL_SERVER", str(real))
    script = Path(__file__).parent / "standins" / "small_ctx_llama_server.py"
    wrapper = tmp_path / "small-ctx-llama-server"
    # llama-server (and so a stand-in for it) gets a minimal environment: the setting travels in the wrapper.
    wrapper.write_text(f'#!/bin/sh\nexec env STANDIN_REAL_SERVER="{real}" "{sys.executable}" "{script}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


# --------------------------------------------------------------------------------------------------
# An in-process IPython shell
# --------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """The outputs of one ``run_cell``: what was displayed (updates included) and printed."""

    result: Any
    outputs: list[dict[str, Any]]
    stdout: str

    def bundles(self, mime: str) -> list[Any]:
        return [o["data"][mime] for o in self.outputs if mime in o["data"]]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return self.bundles(CARD_MIME)

    @property
    def notes(self) -> list[dict[str, Any]]:
        return self.bundles(NOTE_MIME)

    @property
    def answer_updates(self) -> list[dict[str, Any]]:
        return [o for o in self.outputs if ANSWER_MIME in o["data"]]

    @property
    def final_answer(self) -> str:
        done = [o["data"]["text/plain"] for o in self.answer_updates if o["data"][ANSWER_MIME].get("done")]
        return done[-1] if done else ""

    def text(self) -> str:
        return self.stdout + "\n".join(str(o["data"].get("text/plain", "")) for o in self.outputs)


class Shell:
    """A real IPython ``InteractiveShell`` with llama-nb loaded."""

    def __init__(self, ip: Any) -> None:
        self.ip = ip

    def run(self, code: str) -> Run:
        from IPython.utils.capture import capture_output

        with capture_output(display=True) as cap:
            result = self.ip.run_cell(code, store_history=True)
        outputs = [{"data": o.data, "metadata": o.metadata, "update": getattr(o, "update", False)} for o in cap.outputs]
        return Run(result, outputs, cap.stdout)

    @property
    def session(self) -> Any:
        from llama_nb.kernel.magics import current

        return current(self.ip)

    @property
    def user_ns(self) -> dict[str, Any]:
        return self.ip.user_ns


@pytest.fixture
def ipshell(llama_env: Path) -> Iterator[Shell]:
    """``%load_ext llama_nb`` in the test IPython shell; unloaded (servers stopped) afterwards."""
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    for name in ("last_type", "last_value", "last_traceback"):
        if hasattr(sys, name):
            delattr(sys, name)
    ip.history_manager.reset()
    ip.execution_count = 1
    ip.user_ns.pop("_llama", None)
    ip.run_cell("%load_ext llama_nb")
    shell = Shell(ip)
    try:
        yield shell
    finally:
        ip.run_cell("%unload_ext llama_nb")
        wait_for(lambda: not servers_for_state(llama_env), 15, "llama-server to exit after %unload_ext")


# --------------------------------------------------------------------------------------------------
# A llama-server started by hand (the "remote" endpoint)
# --------------------------------------------------------------------------------------------------


@dataclass
class RemoteServer:
    url: str
    api_key: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def remote_server(tmp_path: Path) -> Iterator[RemoteServer]:
    """A llama-server of our own with ``--api-key``, as a remote endpoint would be."""
    binary = find_server().path
    model = find_model().path
    assert binary is not None and model is not None, "llama-server and the SmolLM2 model must be installed"
    port = free_port()
    key = secrets.token_hex(8)
    log = open(tmp_path / "remote-llama.log", "wb")
    proc = subprocess.Popen(
        [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-c", str(CTX), "--api-key", key],
        env=launch_environment(binary), stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.poll() is None, f"llama-server exited: {(tmp_path / 'remote-llama.log').read_text()[-2000:]}"
        try:
            return httpx.get(f"{url}/health", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 60, "the remote llama-server to load", interval=0.05)
        yield RemoteServer(url, key, proc)
    finally:
        proc.kill()
        proc.wait(10)
        log.close()


# --------------------------------------------------------------------------------------------------
# Real kernels
# --------------------------------------------------------------------------------------------------


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    return nb


class LiveKernel:
    """An nbclient-driven kernel: add cells and execute them one at a time."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.nb = client.nb

    @property
    def km(self) -> Any:
        return self.client.km

    def interrupt(self) -> None:
        """``km.interrupt_kernel()`` (nbclient's manager is async)."""
        from jupyter_core.utils import run_sync

        run_sync(self.km.interrupt_kernel)()

    def blocking_client(self) -> Any:
        """A second, blocking client on the same kernel (to watch iopub while a cell runs)."""
        kc = self.km.blocking_client()
        kc.start_channels()
        kc.wait_for_ready(timeout=30)
        return kc

    def execute(self, source: str, allow_error: bool = False) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        if allow_error:
            cell.metadata["tags"] = ["raises-exception"]
        self.nb.cells.append(cell)
        return self.client.execute_cell(cell, len(self.nb.cells) - 1)

    def value(self, expression: str) -> Any:
        """Evaluate ``expression`` in the kernel; its JSON-printed value."""
        cell = self.execute(f"import json as _j; print(_j.dumps({expression}))")
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        return json.loads(text.strip().splitlines()[-1])


@contextmanager
def live_kernel(timeout: int = 120) -> Iterator[LiveKernel]:
    """A python3 kernel with llama-nb loaded, in the current environment (so env vars reach it)."""
    from nbclient import NotebookClient

    nb = notebook()
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=False,
                            resources={"metadata": {"path": os.getcwd()}})
    with client.setup_kernel():
        kernel = LiveKernel(client)
        kernel.execute("%load_ext llama_nb")
        yield kernel


def outputs_with(cell: nbformat.NotebookNode, mime: str) -> list[Any]:
    return [o["data"][mime] for o in cell.outputs if o.get("data") and mime in o["data"]]


def cards_of(cell: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return outputs_with(cell, CARD_MIME)


def notes_of(cell: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return outputs_with(cell, NOTE_MIME)


def answer_of(cell: nbformat.NotebookNode) -> str:
    """The final streamed answer (the display updated in place), as the model wrote it."""
    done = [o["data"]["text/plain"] for o in cell.outputs
            if o.get("data") and ANSWER_MIME in o["data"] and o["data"][ANSWER_MIME].get("done")]
    return done[-1] if done else ""


def has_traceback(cell: nbformat.NotebookNode) -> bool:
    return any(o.output_type == "error" for o in cell.outputs)


# --------------------------------------------------------------------------------------------------
# Kernels of a real Jupyter server (talked to through their connection files)
# --------------------------------------------------------------------------------------------------


def connect_kernel(connection_file: Path, timeout: float = 60.0) -> Any:
    """A blocking client on a kernel that Jupyter started (its connection file in the runtime dir)."""
    from jupyter_client import BlockingKernelClient

    wait_for(connection_file.exists, timeout, f"the kernel connection file {connection_file}", interval=0.05)
    kc = BlockingKernelClient(connection_file=str(connection_file))
    kc.load_connection_file()
    # No heartbeat channel: a kernel whose first beat comes later than jupyter_client's 1 s
    # kernel_info poll is reported dead while alive (seen with ipykernel 6.29 on a loaded machine).
    # Readiness is the kernel_info reply.
    kc.start_channels(hb=False)
    kc.wait_for_ready(timeout=timeout)
    return kc


def collect_reply(kc: Any, msg_id: str, timeout: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Wait for the execute reply of ``msg_id``; the reply and the iopub outputs it produced."""
    outputs: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no reply from the kernel within {timeout:.0f} s; outputs so far: {outputs}")
        try:
            msg = kc.get_iopub_msg(timeout=min(remaining, 1.0))
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("display_data", "update_display_data", "stream", "error", "execute_result"):
            outputs.append({"type": msg["msg_type"], **msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return kc.get_shell_msg(timeout=10), outputs
