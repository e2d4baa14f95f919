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

import psutil

from ..config.server_launch import check_extra_args
from .private import open_private, private_dir

LOOPBACK = "127.0.0.1"
log = logging.getLogger("llama_nb.supervisor")

_PR_SET_PDEATHSIG = 1
LOG_MAX_BYTES = 5 * 1024 * 1024  # a log file is rotated when it passes this size, also while running
LOG_BACKUPS = 2  # PROFILE.log.1, PROFILE.log.2

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
    so it never shows in ``ps``. Extra arguments that would set the host, port or key are refused
    (:class:`~llama_nb.config.ConfigError`) here too, whatever built them."""
    check_extra_args(extra_args, "llama-server")
    argv = [binary, "-m", model, "--host", LOOPBACK, "--port", str(port), "-c", str(ctx_size)]
    if gpu_layers is not None:
        argv += ["-ngl", str(gpu_layers)]
    argv += list(extra_args)
    return argv


# --------------------------------------------------------------------------------------------------
# Port ownership: "ready" means our child listens on the port, not whoever answers there
# --------------------------------------------------------------------------------------------------


def _group(pid: int) -> list[psutil.Process]:
    """``pid`` and its descendants (llama-server may hand its socket to a child)."""
    root = psutil.Process(pid)
    try:
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return [root]


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """``(address, port)`` of every TCP socket in state LISTEN held by ``pid`` or its descendants."""
    found: list[tuple[str, int]] = []
    for proc in _group(pid):
        try:
            conns = proc.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        for conn in conns:
            if conn.status == psutil.CONN_LISTEN and conn.laddr:
                found.append((str(conn.laddr.ip), int(conn.laddr.port)))
    return found


def _socket_inodes(pid: int) -> set[str]:
    """Inodes of the sockets open in process ``pid`` (Linux ``/proc``); ``NoSuchProcess`` when it is gone."""
    fd_dir = f"/proc/{pid}/fd"
    inodes: set[str] = set()
    try:
        names = os.listdir(fd_dir)
    except FileNotFoundError:
        raise psutil.NoSuchProcess(pid) from None
    except PermissionError:
        raise psutil.AccessDenied(pid) from None
    for name in names:
        try:
            target = os.readlink(f"{fd_dir}/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _held_listening(inodes: set[str], port: int) -> bool:
    """Whether one of ``inodes`` is a TCP socket listening on ``port`` (``/proc/net/tcp``, then ``tcp6``)."""
    if not inodes:
        return False
    suffix = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):  # llama-nb binds 127.0.0.1: usually the first one
        try:
            with open(table, encoding="ascii") as fh:
                next(fh, None)
                for line in fh:
                    parts = line.split()
                    if len(parts) > 9 and parts[3] == "0A" and parts[1].endswith(suffix) and parts[9] in inodes:
                        return True
        except OSError:
            continue
    return False


def owns_port(pid: int, port: int) -> bool:
    """Whether process ``pid`` (or a descendant) holds the listening socket on ``port``.

    ``False`` when the process is gone. On Linux it reads ``/proc`` directly (a few ms of CPU: the
    process's socket inodes, then the listening entries for the port); psutil's ``net_connections``
    turns every connection of the machine into objects and takes several times longer. Where the OS
    refuses to tell (``AccessDenied``) the answer is ``True``: readiness falls back to ``/health`` alone.
    """
    try:
        if sys.platform.startswith("linux") and os.path.isdir(f"/proc/{os.getpid()}/fd"):
            if _held_listening(_socket_inodes(pid), port):
                return True
            children: set[str] = set()
            for child in psutil.Process(pid).children(recursive=True):
                try:
                    children |= _socket_inodes(child.pid)
                except psutil.Error:
                    continue
            return _held_listening(children, port)
        return any(p == port for _, p in listening_sockets(pid))
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # pragma: no cover - platforms that hide sockets of one's own children
        return True


def port_holder(port: int) -> str:
    """Who listens on ``port``, for a card's evidence: ``"pid 123 (python3)"``, or ``"another program"``."""
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                try:
                    return f"pid {conn.pid} ({psutil.Process(conn.pid).name()})"
                except psutil.Error:
                    return f"pid {conn.pid}"
    except psutil.Error:
        pass
    return "another program"


# --------------------------------------------------------------------------------------------------
# Private, bounded log files
# --------------------------------------------------------------------------------------------------


class RotatingLog:
    """An append-only text log that rotates by size while being written: ``name.log`` → ``name.log.1`` …
    ``name.log.N`` (``backups``); every file is 0600 in a 0700 directory. Thread-safe."""

    def __init__(self, path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS) -> None:
        self.path = path
        self.max_bytes = max(4096, int(max_bytes))
        self.backups = max(0, int(backups))
        self._lock = threading.Lock()
        private_dir(path.parent)
        self._fd: int | None = open_private(path)
        self._size = os.fstat(self._fd).st_size
        if self._size >= self.max_bytes:
            with self._lock:
                self._rotate()

    def _rotate(self) -> None:  # with the lock held
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self.backups:
            for i in range(self.backups - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.{i}")
                if older.exists():
                    os.replace(older, self.path.with_name(f"{self.path.name}.{i + 1}"))
            if self.path.exists():
                os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        self._fd = open_private(self.path, append=bool(self.backups))
        self._size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8", errors="replace")
        with self._lock:
            if self._fd is None:
                raise ValueError("log closed")
            if self._size and self._size + len(data) > self.max_bytes:
                self._rotate()
            os.write(self._fd, data)
            self._size += len(data)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


#: The most log lines one request may ask for (the REST ``logs`` route and ``%llama logs -n``).
MAX_LOG_LINES = 5000


def tail_file(path: Path, n: int, block: int = 64 * 1024, max_bytes: int = 16 * 1024 * 1024) -> list[str]:
    """The last ``n`` lines of ``path``, read backwards from the end in blocks (memory bounded by the
    lines asked for and ``max_bytes``, never by the file's size)."""
    if n <= 0:
        return []
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        pos, data = end, b""
        while pos > 0 and data.count(b"\n") <= n and end - pos < max_bytes:
            step = min(block, pos)
            pos -= step
            fh.seek(pos)
            data = fh.read(step) + data
    lines = data.decode("utf-8", errors="replace").splitlines()
    if pos > 0 and lines:
        lines = lines[1:]  # the first one is cut
    return lines[-n:]


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
        log_max_bytes: int = LOG_MAX_BYTES,
        log_backups: int = LOG_BACKUPS,
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
        self._log = RotatingLog(log_path, log_max_bytes, log_backups)
        self._log.write(f"\n=== llama-nb {time.strftime('%Y-%m-%d %H:%M:%S')}: {' '.join(self.argv)}\n")
        parent = os.getpid()
        try:
            self._proc: subprocess.Popen[bytes] = self._spawn(env, parent)
        except BaseException:
            self._log.close()
            raise
        self.pid = self._proc.pid
        self.returncode: int | None = None
        self._reader = threading.Thread(target=self._read, name=f"llama-nb-out-{self.pid}", daemon=True)
        self._waiter = threading.Thread(target=self._wait, name=f"llama-nb-wait-{self.pid}", daemon=True)
        self._reader.start()
        self._waiter.start()

    def _spawn(self, env: dict[str, str], parent: int) -> "subprocess.Popen[bytes]":
        return _spawner.submit(
            subprocess.Popen,
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_child_setup(parent),
        ).result()

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
            except (ValueError, OSError):  # log closed during shutdown, or the disk is full
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
