"""A small record per profile of the llama-server we run, so that a later owner can reap a leftover.

``PR_SET_PDEATHSIG`` already kills our children when the owner dies; this is the second line of
defence (a platform without it, a server started by an older owner) and it is how ``stop`` can tell
that a process really is ours before it signals it.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import psutil


def path_for(state_dir: Path, profile: str) -> Path:
    return state_dir / "run" / f"{profile}.json"


def record(state_dir: Path, profile: str, *, pid: int, port: int) -> None:
    target = path_for(state_dir, profile)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"pid": pid, "port": port, "owner_pid": os.getpid(), "create_time": _create_time(pid)}
    tmp = target.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    tmp.replace(target)


def clear(state_dir: Path, profile: str, pid: int | None = None) -> None:
    target = path_for(state_dir, profile)
    data = read(state_dir, profile)
    if data is not None and (pid is None or data.get("pid") == pid):
        target.unlink(missing_ok=True)


def read(state_dir: Path, profile: str) -> dict[str, Any] | None:
    try:
        return json.loads(path_for(state_dir, profile).read_text())
    except (OSError, ValueError):
        return None


def reap_leftover(state_dir: Path, profile: str) -> int | None:
    """Kill a llama-server recorded for ``profile`` whose owner is gone. Returns its pid if it did."""
    data = read(state_dir, profile)
    if data is None:
        return None
    pid, owner = int(data.get("pid", 0)), int(data.get("owner_pid", 0))
    reaped = None
    if pid and owner != os.getpid() and not _alive(owner) and _is_same_process(pid, data.get("create_time")):
        try:
            os.killpg(pid, signal.SIGKILL)
            reaped = pid
        except (ProcessLookupError, PermissionError):
            pass
    if reaped is not None or not _alive(pid):
        path_for(state_dir, profile).unlink(missing_ok=True)
    return reaped


def _create_time(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _alive(pid: int) -> bool:
    try:
        return pid > 0 and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _is_same_process(pid: int, create_time: float | None) -> bool:
    try:
        proc = psutil.Process(pid)
        return create_time is not None and abs(proc.create_time() - create_time) < 0.01
    except psutil.Error:
        return False
