"""A small record per profile of the llama-server we run, so that a later owner can reap a leftover.

``PR_SET_PDEATHSIG`` already kills our children when the owner dies; this is the second line of
defence (a platform without it, a server started by an older owner) and it is how ``stop`` can tell
that a process really is ours before it signals it.

Everything read back is distrusted: a file of any other shape (torn write, ``[]``, wrong types) is
ignored and removed, and a recorded pid is only signalled when that process is still the one we
started: same user, same executable, a llama-server command line on the recorded port, same start
time. Writes are atomic (a temporary file of this writer's own, then a rename), created 0600 in a
0700 directory by ``os.open`` with the mode, so there is no moment where another user could read them.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import threading
from pathlib import Path
from typing import Any

import psutil

from .private import private_dir

#: A state file is a few hundred bytes; anything bigger is not ours.
MAX_BYTES = 64 * 1024


def path_for(state_dir: Path, profile: str) -> Path:
    return state_dir / "run" / f"{profile}.json"


def record(state_dir: Path, profile: str, *, pid: int, port: int) -> None:
    target = path_for(state_dir, profile)
    private_dir(target.parent)
    data: dict[str, Any] = {"pid": pid, "port": port, "owner_pid": os.getpid(), "create_time": _create_time(pid)}
    exe = _exe(pid)
    if exe:
        data["exe"] = exe
    # A temporary name of this writer's own (process, thread, random): two owners recording at the
    # same moment never write into, or rename, each other's file.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def clear(state_dir: Path, profile: str, pid: int | None = None) -> None:
    target = path_for(state_dir, profile)
    data = read(state_dir, profile)
    if data is None or pid is None or data.get("pid") == pid:
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass


def _valid(data: Any) -> dict[str, Any] | None:
    """The record if it has exactly the shape :func:`record` writes, else ``None``."""
    if not isinstance(data, dict):
        return None

    def whole(key: str, low: int, high: int) -> bool:
        value = data.get(key)
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    if not (whole("pid", 1, 1 << 31) and whole("owner_pid", 1, 1 << 31) and whole("port", 0, 65535)):
        return None
    created = data.get("create_time")
    if created is not None and (isinstance(created, bool) or not isinstance(created, (int, float)) or created != created):
        return None
    if "exe" in data and not isinstance(data["exe"], str):
        return None
    return data


def read(state_dir: Path, profile: str) -> dict[str, Any] | None:
    """The record for ``profile``; ``None`` when there is none or it is not one of ours (then it is removed)."""
    path = path_for(state_dir, profile)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:  # a symlink, unreadable...: not a file we wrote
        _discard(path)
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        data = _valid(json.loads(raw.decode("utf-8"))) if len(raw) <= MAX_BYTES else None
    except (OSError, ValueError, RecursionError):
        data = None
    if data is None:
        _discard(path)
    return data


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def reap_leftover(state_dir: Path, profile: str) -> int | None:
    """Kill a llama-server recorded for ``profile`` whose owner is gone. Returns its pid if it did.

    Never raises: a record it cannot make sense of is ignored and removed."""
    try:
        data = read(state_dir, profile)
        if data is None:
            return None
        pid, owner = data["pid"], data["owner_pid"]
        reaped = None
        if owner != os.getpid() and not _alive(owner) and is_our_server(pid, data):
            try:
                os.killpg(pid, signal.SIGKILL)
                reaped = pid
            except (ProcessLookupError, PermissionError):
                pass
        if reaped is not None or not _alive(pid) or not is_our_server(pid, data):
            _discard(path_for(state_dir, profile))
        return reaped
    except Exception:  # noqa: BLE001 - a leftover we cannot judge is left alone, never a crash
        _discard(path_for(state_dir, profile))
        return None


def is_our_server(pid: int, data: dict[str, Any]) -> bool:
    """``pid`` is still the llama-server that ``data`` recorded: same user, same start time, same
    executable, a llama-server command line on the recorded port. A reused pid fails at least one."""
    try:
        proc = psutil.Process(pid)
        created = data.get("create_time")
        if created is None or abs(proc.create_time() - float(created)) >= 0.01:
            return False
        if proc.uids().real != os.getuid():
            return False
        exe = data.get("exe")
        if exe and proc.exe() != exe:
            return False
        cmd = proc.cmdline()
        if not cmd or not os.path.basename(cmd[0]).startswith("llama-server"):
            return False
        port = data.get("port")
        if port and ("--port" not in cmd or cmd[cmd.index("--port") + 1 :][:1] != [str(port)]):
            return False
        return os.getpgid(pid) == pid  # we start it as the leader of its own group
    except (psutil.Error, OSError, ValueError, IndexError):
        return False


def _create_time(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _exe(pid: int) -> str | None:
    try:
        return psutil.Process(pid).exe() or None
    except psutil.Error:
        return None


def _alive(pid: int) -> bool:
    try:
        return pid > 0 and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
