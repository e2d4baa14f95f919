"""Run one candidate fix in a forked copy of this process, under a policy the OS enforces.

The parent (the kernel) forks; the child gets a copy-on-write copy of every object the kernel holds,
so the fix runs against the user's real data while the kernel's namespace is never touched. Before any
candidate code runs the child

* closes every inherited descriptor but its two pipes (the kernel's ZMQ sockets and open files stay
  the parent's: the child never calls into ZMQ, and cannot write to them at the descriptor level either),
  sends its stdout/stderr to a bounded pipe and replaces the shell's display and ``input()``;
* turns shared memory mappings (a ``numpy.memmap`` opened ``r+``) into private copies, so no write
  reaches a file through them;
* sets rlimits: no core dump, no file growth, CPU seconds, address space (what it maps now plus a share
  of the free RAM), few descriptors; asks to be killed when the kernel dies;
* installs Landlock (where the kernel has it) denying every file-system write, and a seccomp-BPF
  allow-list (libseccomp through ``pyseccomp``): reads are allowed, but no file opened for writing,
  created, renamed or removed, no socket at all, no exec and no fork (threads only), no signal to
  another process, no raising of its own limits.

A PEP 578 audit hook in the child only *names* what a blocked fix tried ("write out.csv"); the guard is
the kernel's policy. The parent enforces a wall clock (SIGKILL, then reaps the child) and reads both pipes
with bounds. Where the policy cannot be had (not Linux, no libseccomp, GPU state in the kernel),
:func:`unavailable` says why and nothing runs.
"""

from __future__ import annotations

import builtins
import ctypes
import json
import os
import select
import signal
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from . import childreport, confine, guards, missing
from .degenerate import DEGENERATE, NAN_SCAN_LIMIT, degenerate  # noqa: F401 - NAN_SCAN_LIMIT: part of this module's face

#: What a run of a candidate can end as.
OK, RAISED, BLOCKED, TIMEOUT, KILLED, NOT_RUN = "ok", "raised", "blocked", "timeout", "killed", "not_run"

OUTPUT_LIMIT = 16 * 1024
#: After the child's report, how long the parent waits for the facts of its error (:func:`run`'s ``explain``)
#: before it stops the child and keeps the report without them.
FACTS_S = 0.5
MAX_FACTS = 4
MAX_FACT = 300
RESULT_LIMIT = 256 * 1024
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """The bounds of one run."""

    wall_s: float = 10.0
    cpu_s: int = 10
    #: Address space the child may add to what it maps at the fork, as a share of the available RAM.
    memory_share: float = 0.25
    memory_cap: int = 8 << 30
    output_bytes: int = OUTPUT_LIMIT


@dataclass(frozen=True)
class Outcome:
    """What one run showed. ``status`` is one of OK, RAISED, BLOCKED, TIMEOUT, KILLED, NOT_RUN."""

    status: str
    detail: str = ""
    exc_type: str | None = None
    exception: str | None = None  # "KeyError: 'units'"
    effects: tuple[str, ...] = ()  # what it tried that the policy refused ("write out.csv")
    output: str = ""
    check: bool | None = None  # the ``after`` expression's truth, when one was given and it ran
    check_error: str | None = None
    #: Names of ``watch`` the run left without a value to speak of ("total is None", "rows is empty").
    degenerate: tuple[str, ...] = ()
    #: What the fix's changed statements assign that holds missing values their inputs did not have
    #: ("event_dates has 3 missing values": :mod:`.missing`).
    introduced: tuple[str, ...] = ()
    #: What the fix's new guards around the failing statement left out that holds data (:mod:`.guards`).
    skipped: tuple[str, ...] = ()
    #: What ``explain`` said of the error, read on the child's own state where it raised (RAISED only).
    facts: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# -- where the policy can be had ---------------------------------------------------------------------

_GPU_MODULES = ("torch", "cupy", "jax", "tensorflow")


def unavailable() -> str | None:
    """Why no fix can be run here, or ``None`` when the policy can be installed."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return f"the sandbox needs Linux (seccomp); this is {sys.platform}"
    try:
        import pyseccomp  # noqa: F401  (ctypes over the system's libseccomp.so.2)
    except Exception as exc:  # ImportError, or OSError when libseccomp.so.2 is missing
        return f"seccomp is not available ({type(exc).__name__}: {exc}); install Debian's libseccomp2 and `pip install pyseccomp`"
    gpu = _gpu_state()
    if gpu:
        return f"this kernel holds GPU state ({gpu}); a forked copy cannot use it safely"
    return None


def _gpu_state() -> str | None:
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            if torch.cuda.is_initialized():
                return "torch.cuda is initialised"
        except Exception:
            return "torch is imported"
    for name in _GPU_MODULES[1:]:
        if name in sys.modules:
            return f"{name} is imported"
    return None


# -- the parent ---------------------------------------------------------------------------------------


#: ``explain(exc, code)``: sentences on what ``exc`` means where ``code`` raised it, read in the child.
Explain = Callable[[BaseException, str], "tuple[str, ...] | list[str]"]


def run(
    code: str,
    namespace: dict[str, Any],
    *,
    after: str | None = None,
    limits: Limits = Limits(),
    prepare: Callable[[], None] | None = None,
    watch: tuple[str, ...] = (),
    explain: Explain | None = None,
    changes: missing.Watch | None = None,
    guarded: guards.Guards | None = None,
) -> Outcome:
    """Run ``code`` against a forked copy of ``namespace``; evaluate ``after`` there when it ran, and
    say which names of ``watch`` it left None, empty or all NaN (:func:`degenerate`) and which targets of
    ``changes`` hold missing values the data they were computed from did not (:mod:`.missing`), and what
    the new guards of ``guarded`` skipped that holds data (:mod:`.guards`: ``code`` is then run as they compiled it).

    When it raises, ``explain`` reads what the error means on the child's own state, after the report
    is sent and still under the policy; the parent waits at most :data:`FACTS_S` more for that, so a
    slow or hostile object can cost the facts, never the report. ``prepare`` runs in the child before
    the policy (e.g. to silence the shell's display); the parent's ``namespace`` and the objects in it
    are never changed."""
    reason = unavailable()
    if reason:
        return Outcome(NOT_RUN, reason)
    try:
        compiled = guarded.code if guarded is not None else compile(code, "<fix>", "exec", dont_inherit=True)
        after_code = compile(after, "<check>", "eval", dont_inherit=True) if after else None
    except SyntaxError as exc:
        return Outcome(RAISED, f"does not parse: {exc.msg} (line {exc.lineno})", "SyntaxError", f"SyntaxError: {exc.msg}")
    allowance = _memory_allowance(limits)
    result_r, result_w = os.pipe()
    output_r, output_w = os.pipe()
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: "use of fork() may lead to deadlocks"
            pid = os.fork()
    except OSError as exc:
        for fd in (result_r, result_w, output_r, output_w):
            os.close(fd)
        return Outcome(NOT_RUN, f"could not fork the kernel: {exc}")
    if pid == 0:  # the child: never returns
        _child(compiled, after_code, namespace, result_w, output_w, (result_r, output_r), limits, allowance, prepare, watch, explain, code, changes, guarded)
    forked = time.perf_counter()
    os.close(result_w)
    os.close(output_w)
    raw, output, over = b"", b"", None
    try:
        raw, output, over = _collect(pid, result_r, output_r, t0 + limits.wall_s, limits.output_bytes, allowance, FACTS_S if explain else None)
    finally:
        os.close(result_r)
        os.close(output_r)
        if over is not None:
            _kill(pid)
        status = _reap(pid)  # also after an error here: the child never outlives the call
    elapsed = time.perf_counter() - t0
    timings = {"fork_s": forked - t0, "total_s": elapsed}
    text = output.decode("utf-8", "backslashreplace")
    if over == "time":
        return Outcome(TIMEOUT, f"did not finish within {limits.wall_s:g} s (stopped)", output=text, elapsed_s=elapsed, timings=timings)
    if over is not None and over != LATE:
        return Outcome(KILLED, over, output=text, elapsed_s=elapsed, timings=timings)
    head, _, tail = raw.partition(b"\n")
    report = childreport.read(head)
    # The child ends with status 0 once its report and facts are written; stopped while reading the
    # facts (LATE), it was killed after its report was complete, and the report stands.
    if report is None or (over != LATE and (status is None or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0)):
        return Outcome(KILLED, _death(status, limits), output=text, elapsed_s=elapsed, timings=timings)
    timings.update(report["timings"])
    effects = report["effects"]
    exc_type, exception = report["exc_type"], report["exception"]
    common: dict[str, Any] = dict(output=text, elapsed_s=elapsed, timings=timings, effects=effects, exc_type=exc_type, exception=exception)
    if effects:
        return Outcome(BLOCKED, f"blocked: tried to {effects[0]}", **common)
    if exc_type is not None:
        return Outcome(RAISED, f"raises {exception}", facts=childreport.facts(tail, MAX_FACTS, MAX_FACT) if over != LATE else (), **common)
    said = {f"{n} is {what}" for n in watch for what in DEGENERATE}  # the child's words are not trusted
    degenerated = tuple(d for d in report["degenerate"] if d in said)
    made = missing.trusted(report["introduced"], changes)
    skipped = guards.trusted(report["skipped"], guarded)
    return Outcome(OK, "ran with no error", check=report.get("check"), check_error=report.get("check_error"), degenerate=degenerated, introduced=made, skipped=skipped, **common)


def _memory_allowance(limits: Limits) -> int:
    try:
        import psutil

        available = int(psutil.virtual_memory().available)
    except Exception:
        available = 2 << 30
    return max(256 << 20, min(int(available * limits.memory_share), limits.memory_cap))


#: The child is looked at this often while it runs: copy-on-write memory and threads are not rlimits.
WATCH_S = 0.05
MAX_THREADS = 64


#: What :func:`_collect` says when the child was still reading the facts of its error past their allowance.
LATE = "late"


def _collect(pid: int, result_r: int, output_r: int, deadline: float, output_limit: int, allowance: int, facts_s: float | None = None) -> tuple[bytes, bytes, str | None]:
    """Read both pipes until the child closes them; ``"time"`` or the reason when it must be stopped,
    :data:`LATE` when its report line came but its facts did not within ``facts_s``.

    ``poll`` (not ``select``: a kernel may hold descriptors past 1024). Every WATCH_S the child's dirty
    private memory (copy-on-write pages of the kernel's data count: RLIMIT_AS does not see them) and its
    thread count are read from /proc."""
    raw, output = bytearray(), bytearray()
    poller = select.poll()
    open_fds = {result_r, output_r}
    for fd in open_fds:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    reported = False  # the report line is complete: the fix has run; what is left is the facts of its error
    while open_fds:
        if not reported and b"\n" in raw:
            reported = True
            if facts_s is not None:
                deadline = min(deadline, time.perf_counter() + facts_s)
        left = deadline - time.perf_counter()
        if left <= 0:
            return bytes(raw), bytes(output), LATE if reported else "time"
        over = _over_bounds(pid, allowance)
        if over:
            return bytes(raw), bytes(output), LATE if reported else over
        try:
            events = poller.poll(int(min(left, WATCH_S) * 1000) + 1)
        except InterruptedError:
            continue
        for fd, _ in events:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                poller.unregister(fd)
            elif fd == result_r:
                if len(raw) < RESULT_LIMIT:
                    raw += chunk
            elif len(output) < output_limit:
                output += chunk[: output_limit - len(output)]
    return bytes(raw), bytes(output), None


def _over_bounds(pid: int, allowance: int) -> str | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
        with open(f"/proc/{pid}/smaps_rollup") as f:
            rollup = f.read()
    except OSError:
        return None  # exiting, or no /proc: the rlimits and the wall clock still hold
    threads = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("Threads:")), 0)
    if threads > MAX_THREADS:
        return f"started more than {MAX_THREADS} threads (stopped)"
    dirty = sum(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith(("Private_Dirty:", "Swap:")))
    if dirty > allowance:
        return f"used more than {allowance >> 20} MB of memory (stopped)"
    return None


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int, bound_s: float = 5.0) -> int | None:
    """Wait for the child (bounded: one that will not die is killed, then given up on)."""
    end = time.monotonic() + bound_s
    killed = False
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return status
        if time.monotonic() > end:
            if killed:
                return None
            _kill(pid)
            killed = True
            end = time.monotonic() + bound_s
        time.sleep(0.002)


def _death(status: int | None, limits: Limits) -> str:
    if status is None:
        return "the check ended without a result"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return f"used more than {limits.cpu_s} s of CPU (stopped)"
        if sig == signal.SIGSYS:
            return "made a system call the sandbox forbids (stopped)"
        if sig == signal.SIGSEGV:
            return "crashed (segmentation fault)"
        return f"was killed by {signal.Signals(sig).name}"
    return f"exited with status {os.WEXITSTATUS(status)} before it finished"


# -- the child ----------------------------------------------------------------------------------------


def _child(
    compiled: Any,
    after_code: Any,
    namespace: dict[str, Any],
    result_w: int,
    output_w: int,
    parent_ends: tuple[int, int],
    limits: Limits,
    allowance: int,
    prepare: Callable[[], None] | None,
    watch: tuple[str, ...] = (),
    explain: Explain | None = None,
    source: str = "",
    changes: missing.Watch | None = None,
    guarded: guards.Guards | None = None,
) -> None:
    code = 70
    dumps, write, exit_now = json.dumps, os.write, os._exit  # bound before the fix runs: it may rebind the modules'

    def send(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[write(result_w, view) :]

    try:
        for fd in parent_ends:
            os.close(fd)
        report, error = _confine_and_run(compiled, after_code, namespace, result_w, output_w, limits, allowance, prepare, watch, changes, guarded)
        send(dumps(report, default=str).encode("utf-8") + b"\n")
        facts: list[str] = []
        if explain is not None and error is not None:
            try:  # the user's objects are read here: they may raise, lie or hang (the parent bounds the wait)
                facts = [str(f)[:MAX_FACT] for f in list(explain(error, source))[:MAX_FACTS]]
            except BaseException:
                facts = []
        send(dumps(facts).encode("utf-8"))
        code = 0
    except BaseException:  # nothing of the child may ever reach the kernel's own code paths
        code = 71
    finally:
        exit_now(code)


def _confine_and_run(
    compiled: Any,
    after_code: Any,
    namespace: dict[str, Any],
    result_w: int,
    output_w: int,
    limits: Limits,
    allowance: int,
    prepare: Callable[[], None] | None,
    watch: tuple[str, ...] = (),
    changes: missing.Watch | None = None,
    guarded: guards.Guards | None = None,
) -> tuple[dict[str, Any], BaseException | None]:
    """Confine this child, run the fix: the report to send, and the exception it raised (for its facts)."""
    t0 = time.perf_counter()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        os.setsid()  # no controlling terminal: nothing can be typed into the user's shell through it
    except OSError:
        pass
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")  # if memory runs out, the child goes first, never the kernel
    except OSError:
        pass
    confine.detach_descriptors(result_w, output_w)
    confine.private_shared_mappings(libc)
    confine.streams()
    if prepare is not None:
        prepare()
    effects: list[str] = []
    sys.dont_write_bytecode = True
    confine.set_limits(limits.cpu_s, allowance)
    confine.landlock()
    confine.drop_capabilities(libc)
    sys.addaudithook(confine.recorder(effects))
    confine.seccomp(os.getpid())
    confined = time.perf_counter()
    report: dict[str, Any] = {"effects": effects}
    error: BaseException | None = None
    # Counted under the policy, before the fix can change what it reads (bounded: missing.SCAN_LIMIT).
    inputs = missing.count_inputs(namespace, changes) if changes is not None else None
    recorder = guards.Recorder(guarded) if guarded is not None else None
    if recorder is not None:  # a builtin of this child: the fix's globals stay as they were
        setattr(builtins, guards.RECORDER, recorder)
    try:
        exec(compiled, namespace)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the cell did not run to its end
        report["exc_type"] = type(exc).__qualname__ or repr(type(exc))
        report["exception"] = _one_line(exc)
        error = exc
    ran = time.perf_counter()
    if "exc_type" not in report:
        report["degenerate"] = [f"{n} is {what}" for n in watch if n in namespace and (what := degenerate(namespace[n]))]
        if changes is not None and inputs is not None:
            report["introduced"] = missing.introduced(namespace, changes, inputs)
        if recorder is not None:
            report["skipped"] = guards.report(recorder)
    if after_code is not None and "exc_type" not in report:
        try:
            report["check"] = bool(eval(after_code, namespace))
        except BaseException as exc:
            report["check"] = False
            report["check_error"] = _one_line(exc)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    report["effects"] = list(dict.fromkeys(effects))[:8]
    report["timings"] = {"confine_s": confined - t0, "run_s": ran - confined}
    return report, error


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__
