"""One llama-server child: argv, spawn, output tail, exit notice, stop.

Children are spawned from one long-lived thread with ``PR_SET_PDEATHSIG`` (Linux sends the signal
when the *thread* that forked dies, so a short-lived worker thread would take the server down with
it), in their own process group, so that a ``kill -9`` of the owner leaves no llama-server behind.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Sequence

LOOPBACK = "127.0.0.1"
log = logging.getLogger("llama_nb.supervisor")

_PR_SET_PDEATHSIG = 1
_MAX_LOG_BYTES = 5 * 1024 * 1024

# Lines that llama-server prints when its HTTP server is up (several llama.cpp generations).
_READY_HINTS = ("listening on http", "server is listening on", "all slots are idle", "model loaded")

_spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama-nb-spawner")

try:
    _libc: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # pragma: no cover - exotic libc
    _libc = None


def free_port(host: str = LOOPBACK) -> int:
    """A port that was free a moment ago (a start that loses the race retries with another)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    """Whether a listening socket could bind ``port`` now (``SO_REUSEADDR``, as llama-server's own)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def build_argv(
    binary: str,
    model: str,
    *,
    port: int,
    ctx_size: int,
    gpu_layers: int | None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The argv list for llama-server. The API key travels in the environment (``LLAMA_API_KEY``),
    so it never shows in ``ps``."""
    argv = [binary, "-m", model, "--host", LOOPBACK, "--port", str(port), "-c", str(ctx_size)]
    if gpu_layers is not None:
        argv += ["-ngl", str(gpu_layers)]
    argv += list(extra_args)
    return argv


def _child_setup(parent_pid: int) -> Callable[[], None]:
    def setup() -> None:  # runs in the child between fork and exec
        # A crashing llama-server would otherwise drop a core file the size of the model into the cwd.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if _libc is not None:
            _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent_pid:  # the owner died before prctl took effect
                os._exit(1)

    return setup


class ServerProcess:
    """A running llama-server. Output goes to a bounded tail and a log file; exit is noticed at once.

    ``notify`` is called (from reader/waiter threads) on every readiness hint and on exit, so the
    owner can sleep on a single event instead of polling.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        log_path: Path,
        tail_lines: int = 400,
        secret: str | None = None,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self.argv = list(argv)
        self.log_path = log_path
        self._secret = secret
        self._notify = notify
        self._tail: deque[str] = deque(maxlen=tail_lines)
        self._tail_lock = threading.Lock()
        self.ready_hint = threading.Event()
        self.exited = threading.Event()
        self.started_at = time.monotonic()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        if log_path.exists() and log_path.stat().st_size > _MAX_LOG_BYTES:
            log_path.replace(log_path.with_suffix(".log.1"))
        self._log = open(log_path, "a", encoding="utf-8", errors="replace")
        self._log.write(f"\n=== llama-nb {time.strftime('%Y-%m-%d %H:%M:%S')}: {' '.join(self.argv)}\n")
        self._log.flush()
        parent = os.getpid()
        self._proc: subprocess.Popen[bytes] = _spawner.submit(
            subprocess.Popen,
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_child_setup(parent),
        ).result()
        self.pid = self._proc.pid
        self.returncode: int | None = None
        self._reader = threading.Thread(target=self._read, name=f"llama-nb-out-{self.pid}", daemon=True)
        self._waiter = threading.Thread(target=self._wait, name=f"llama-nb-wait-{self.pid}", daemon=True)
        self._reader.start()
        self._waiter.start()

    # -- output -------------------------------------------------------------------------------------

    def _read(self) -> None:
        try:
            self._read_lines()
        except Exception:  # guarded: a reader that dies must not hide the exit or the lines before it
            log.exception("llama-nb: reading llama-server's output failed (pid %s)", self.pid)
        finally:
            try:
                if self._proc.stdout is not None:
                    self._proc.stdout.close()
            except OSError:
                pass

    def _read_lines(self) -> None:
        assert self._proc.stdout is not None
        for raw in iter(self._proc.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if self._secret:
                line = line.replace(self._secret, "***")
            with self._tail_lock:
                self._tail.append(line)
            try:
                self._log.write(line + "\n")
                self._log.flush()
            except (ValueError, OSError):  # log closed during shutdown; disk full: the tail still has it
                pass
            if any(h in line for h in _READY_HINTS):
                self.ready_hint.set()
                self._notify()

    def _wait(self) -> None:
        code: int | None = None
        try:
            code = self._proc.wait()
            # The last lines usually explain the exit: read them all before saying it exited. The pipe ends
            # at once unless a child of the server still holds it; under heavy load this can take seconds.
            self._reader.join(timeout=15.0)
            self.returncode = code
            try:
                self._log.write(f"=== llama-nb: llama-server pid {self.pid} exited with {describe_exit(code)}\n")
                self._log.close()
            except (ValueError, OSError):
                pass
        except Exception:  # guarded: whatever happens, the exit is seen
            log.exception("llama-nb: waiting for llama-server failed (pid %s)", self.pid)
        finally:
            self.exited.set()
            try:
                self._notify()
            except Exception:
                log.exception("llama-nb: exit notification failed")

    def tail(self, n: int | None = None) -> list[str]:
        with self._tail_lock:
            lines = list(self._tail)
        return lines if n is None else lines[-n:]

    # -- signals ------------------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return not self.exited.is_set()

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:  # pragma: no cover - group leader gone, pid reused
            pass

    def kill(self) -> None:
        """SIGKILL the whole process group and wait for the exit to be seen."""
        self.signal_group(signal.SIGKILL)
        self.exited.wait(5.0)

    def terminate(self, grace: float, cancel: threading.Event | None = None) -> None:
        """SIGTERM (and SIGCONT, in case it is stopped), then SIGKILL after ``grace`` seconds or as soon
        as ``cancel`` is set."""
        if not self.alive:
            return
        self.signal_group(signal.SIGTERM)
        self.signal_group(signal.SIGCONT)
        deadline = time.monotonic() + grace
        while self.alive and time.monotonic() < deadline:
            if cancel is not None and cancel.is_set():
                break
            self.exited.wait(0.05)
        if self.alive:
            self.kill()


def describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
