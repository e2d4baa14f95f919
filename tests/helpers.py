"""Shared test helpers: bounded waits (no fixed sleeps), a status recorder, real binary paths."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

import psutil
import pytest

from llama_nb.answer import verify as V
from llama_nb.config import Profile, SupervisorSettings, find_server
from llama_nb.supervisor import Supervisor
from llama_nb.supervisor.status import State, Status

T = TypeVar("T")


def checked(setup: str, cell: str, fix: str) -> V.Verification:
    """The cell run on the setup's state (it must raise; the state it leaves is the kernel's), then ``fix``
    verified as the product does, one candidate."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(setup, ns)
    with pytest.raises(Exception) as raised:
        exec(compile(cell, "<cell>", "exec"), ns)
    return V.verify(fix, cell, raised.value, ns, max_candidates=1, known_names=frozenset(k for k in ns if not k.startswith("_")))


def wait_for(predicate: Callable[[], T], timeout: float, message: str, interval: float = 0.02) -> T:
    """Poll ``predicate`` until truthy; fail with ``message`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.1f} s: {message}")
        time.sleep(interval)


class Recorder:
    """Collects every published status; :meth:`wait` blocks on the condition, not on a sleep."""

    def __init__(self) -> None:
        self.events: list[Status] = []
        self._cond = threading.Condition()

    def __call__(self, status: Status) -> None:
        with self._cond:
            self.events.append(status)
            self._cond.notify_all()

    def states(self) -> list[str]:
        with self._cond:
            return [s.state.value for s in self.events]

    def wait(self, predicate: Callable[[Status], bool], timeout: float, message: str, since: int = 0) -> Status:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for status in self.events[since:]:
                    if predicate(status):
                        return status
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout:.1f} s waiting for {message}; states seen: {self.states()}")
                self._cond.wait(remaining)

    def wait_state(self, state: State, timeout: float = 30.0, since: int = 0) -> Status:
        return self.wait(lambda s: s.state == state, timeout, f"state {state.value}", since)

    def __len__(self) -> int:
        with self._cond:
            return len(self.events)


def real_server() -> Path:
    path = find_server().path
    assert path is not None, "llama-server is not installed: run scripts/setup.sh"
    return path


def write_script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def pid_gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def is_llama_server(proc: psutil.Process) -> bool:
    """A live (not zombie) llama-server process."""
    try:
        cmd = proc.cmdline()
        return bool(cmd) and os.path.basename(cmd[0]).startswith("llama-server") and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def llama_servers(state_dir: str | None = None) -> list[psutil.Process]:
    """Live llama-server processes; with ``state_dir``, only those started under that
    ``LLAMA_NB_STATE_DIR`` (so tests running beside each other do not see each other's servers)."""
    found = []
    for proc in psutil.process_iter():
        if not is_llama_server(proc):
            continue
        try:
            if state_dir is not None and proc.environ().get("LLAMA_NB_STATE_DIR") != state_dir:
                continue
            found.append(proc)
        except psutil.Error:
            continue
    return found


def make_supervisor(supervisors: list, settings: SupervisorSettings, ctx_size: int = 1024,
                    **profile: object) -> tuple[Supervisor, Recorder]:
    """A supervisor on ``profile`` (closed by the ``supervisors`` fixture) and a recorder of its statuses."""
    sup = Supervisor(Profile(ctx_size=ctx_size, **profile), settings)  # type: ignore[arg-type]
    rec = Recorder()
    sup.subscribe(rec)
    supervisors.append(sup)
    return sup, rec


class HungServer:
    """Accepts connections, reads nothing, answers nothing, until closed.

    ``close`` wakes the accepting thread with ``shutdown`` (a bare ``close`` does not interrupt a blocked
    ``accept`` on Linux, which could then still take a probe's queued connection after the test had
    closed the others: that probe hung for its whole timeout), waits for it, and only then closes every
    connection it took.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            self.accepted.set()

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed
        self.thread.join(10)
        assert not self.thread.is_alive(), "the hung server's accept thread did not stop"
        self.sock.close()
        for conn in self.conns:
            conn.close()
