"""One llama-server on the manager thread: start it, tell when it is ready (its own socket answers
``/health``), read what it really runs (``/props``), and watch it while it serves (exit, stop, hang).

:class:`Launcher` is the lower half of :class:`~.manager.ManagerLoop` (a mixin: the state lives on the
Supervisor); the loop above it decides what to start next. Nothing here knows about Jupyter.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import psutil

from ..config.discovery import find_model, find_server
from ..config.profiles import Profile, SupervisorSettings
from ..config.server_launch import launch_environment
from . import statefile
from .advice import Context, build_card
from .cards import Card, Step
from .diagnosis import Diagnosis, Kind, LaunchConfig, classify_output
from .model_file import check_model_file
from .policy import RestartPolicy
from .process import LOOPBACK, ServerProcess, build_argv, free_port, owns_port, port_holder, port_is_free
from .status import State


class _Tried:
    """The steps of the current incident, in order; the last may still be pending."""

    def __init__(self) -> None:
        self.items: list[list] = []  # [text, ok | None]

    def add(self, text: str, ok: bool | None = None) -> None:
        self.items.append([text, ok])

    def settle(self, ok: bool) -> None:
        if self.items and self.items[-1][1] is None:
            self.items[-1][1] = ok

    def steps(self) -> tuple[Step, ...]:
        return tuple(Step(text, bool(ok)) for text, ok in self.items)


class Launcher:
    """The manager-thread half of a Supervisor that starts and watches its llama-server child."""

    profile: Profile
    settings: SupervisorSettings
    log_path: Path
    _profiles: dict[str, Profile]
    _state_dir: Path
    _lock: threading.RLock
    _cond: threading.Condition
    _wake: threading.Event
    _closed: threading.Event
    _http: httpx.Client
    _policy: RestartPolicy
    _requested: LaunchConfig
    _desired: bool
    _gen: int
    _failed_gen: int
    _cmd: str | None
    _state: State
    _proc: ServerProcess | None
    _last_proc: ServerProcess | None
    _api_key: str
    _port: int | None
    _model_path: str | None
    _current: LaunchConfig | None
    _ctx_actual: int | None
    _mode: str | None
    _ready_mono: float | None
    _ready_wall: float | None
    _restarts: int
    _spawns: int
    _degraded_reason: str | None
    _last_recovery: str | None
    _last_error: Card | None
    _detail: str | None
    _incident_started: float | None
    _incident_summary: str
    _incident_diag: Diagnosis | None
    _stall_reason: str | None

    # Provided by the Supervisor (the caller-side half).
    def _publish_locked(self) -> None:
        raise NotImplementedError

    def _set(self, state: State, **fields: object) -> None:
        raise NotImplementedError

    def _context_locked(self) -> Context:
        raise NotImplementedError

    def _config_for(self, profile: Profile, port: int | None = None) -> LaunchConfig:
        raise NotImplementedError

    def logs(self, n: int = 100) -> list[str]:
        raise NotImplementedError

    # -- one start ----------------------------------------------------------------------------------

    def _launch(self, config: LaunchConfig) -> ServerProcess | Diagnosis | None:
        found = find_server(self.profile.server)
        if found.path is None:
            return Diagnosis(Kind.BINARY_MISSING, "Looked for it in: " + "; ".join(found.tried) + ".", found.tried)
        model = find_model(config.model if config.profile == self.profile.name else self._profiles[config.profile].model)
        with self._lock:
            self._model_path = str(model.path) if model.path else config.model
        problem = check_model_file(model.path, model.tried)
        if problem is not None:
            return problem
        assert model.path is not None
        port = config.port or free_port()
        key = secrets.token_hex(16)
        env = launch_environment(found.path)
        env["LLAMA_API_KEY"] = key
        env.setdefault("GGML_NO_BACKTRACE", "1")  # no gdb attach on abort: slow, and it buries the real error
        try:
            argv = build_argv(
                str(found.path),
                str(model.path),
                port=port,
                ctx_size=config.ctx_size,
                gpu_layers=config.gpu_layers,
                extra_args=config.extra_args,
            )
        except ValueError as exc:  # ConfigError: extra_args that would set the host, port or key
            return Diagnosis(Kind.BAD_CONFIG, str(exc), (str(exc),))

        with self._cond:
            if self._closed.is_set() or self._cmd is not None or not self._desired:
                return None
            self._state = State.STARTING if self._state != State.RESTARTING else State.RESTARTING
            self._detail = f"loading {model.path.name} ({config.ctx_size} tokens of context)"
            self._port = port
            self._api_key = key
            self._current = config
        try:
            proc = ServerProcess(
                argv,
                env=env,
                log_path=self.log_path,
                tail_lines=self.settings.log_tail_lines,
                secret=key,
                notify=self._wake.set,
                log_max_bytes=self.settings.log_max_bytes,
                log_backups=self.settings.log_backups,
            )
        except OSError as exc:
            return Diagnosis(Kind.BINARY_MISSING if isinstance(exc, FileNotFoundError) else Kind.BAD_ARGUMENT, f"{found.path} could not be run: {exc.strerror or exc}.", (str(exc),))
        self._spawns += 1
        with self._cond:  # owned before anything else can fail: a crash handler then kills it
            self._proc = proc
            self._publish_locked()
        statefile.record(self._state_dir, self.profile.name, pid=proc.pid, port=port)

        deadline = time.monotonic() + self.settings.load_timeout
        next_poll = time.monotonic()
        while True:
            self._wake.clear()
            if self._closed.is_set() or self._cmd is not None or not self._desired:
                return None if proc.alive or self._closed.is_set() else self._exit_diagnosis(proc)
            if proc.exited.is_set():
                self._forget(proc)
                return self._exit_diagnosis(proc, port)
            now = time.monotonic()
            if proc.ready_hint.is_set() or now >= next_poll:
                if self._health(port, timeout=1.0) == 200:
                    if owns_port(proc.pid, port):
                        return proc
                    if proc.alive:  # someone else answers on our port: never send it the key or a prompt
                        return self._port_squatted(proc, port)
                next_poll = now + 0.25
            if now >= deadline:
                proc.kill()
                self._forget(proc)
                return Diagnosis(
                    Kind.LOAD_STALL,
                    f"The model did not finish loading within {self.settings.load_timeout:.0f} s.",
                    tuple(proc.tail(4)),
                )
            self._wake.wait(0.02 if proc.ready_hint.is_set() else max(0.0, next_poll - now))

    def _forget(self, proc: ServerProcess) -> None:
        """``proc`` is gone (or being killed): drop its state file and keep it only for ``logs()``."""
        statefile.clear(self._state_dir, self.profile.name, proc.pid)
        with self._cond:
            self._last_proc, self._proc = proc, None

    def _port_squatted(self, proc: ServerProcess, port: int) -> Diagnosis:
        holder = port_holder(port)
        proc.kill()
        self._forget(proc)
        return Diagnosis(
            Kind.PORT_IN_USE,
            f"Port {port} is already taken by another program ({holder}).",
            (f"{LOOPBACK}:{port} answers /health, but the listening socket belongs to {holder}, not to llama-server (pid {proc.pid})",),
        )

    def _exit_diagnosis(self, proc: ServerProcess, port: int | None = None) -> Diagnosis:
        proc.exited.wait(20.0)
        diag = classify_output(proc.tail(), proc.returncode)
        if diag.kind == Kind.UNKNOWN and port is not None and not port_is_free(port):
            # llama.cpp logs from a background thread and can exit before "couldn't bind" is written
            # (seen under heavy load); the port itself says what happened.
            held = f"{LOOPBACK}:{port} cannot be bound: another socket holds it (checked after llama-server exited)"
            diag = Diagnosis(Kind.PORT_IN_USE, "The port is already taken by another program.", (held,) + diag.evidence, diag.exit_code)
        return diag

    def _health(self, port: int, timeout: float) -> int | None:
        try:
            return self._http.get(f"http://{LOOPBACK}:{port}/health", timeout=timeout).status_code
        except (httpx.HTTPError, RuntimeError, OSError):  # RuntimeError: the client was closed (closing)
            return None

    def _became_up(self, proc: ServerProcess, config: LaunchConfig, tried: _Tried, incident: Diagnosis | None) -> None:
        ctx_actual, model_path = self._read_props(proc, config)
        mode = detect_mode(proc.tail(), config)
        requested = self._requested
        reasons: list[str] = []
        error: Card | None = None
        with self._lock:
            context = self._context_locked()
        context = replace(context, ctx_actual=ctx_actual)
        if config.profile != requested.profile:
            reasons.append(f"running the fallback profile {config.profile!r} ({Path(model_path or '').name})")
        if ctx_actual is not None and ctx_actual < requested.ctx_size:
            reasons.append(f"context is {ctx_actual} tokens, {requested.ctx_size} were asked for")
        if config.cpu_only and not requested.cpu_only:
            reasons.append("running on the CPU after the GPU failed")
        if incident is not None:
            if ctx_actual is not None and ctx_actual < config.ctx_size and tried.items:
                tried.items[-1][0] += f"; llama-server runs it with {ctx_actual} (its limit for this model)"
            error = build_card(incident, context, tried.steps())
        elif ctx_actual is not None and ctx_actual < config.ctx_size:
            mismatch = Diagnosis(
                Kind.CONTEXT_MISMATCH,
                f"The server reports n_ctx = {ctx_actual}; {config.ctx_size} was asked for.",
                (f"GET /props: n_ctx = {ctx_actual}", f"requested: -c {config.ctx_size}"),
            )
            error = build_card(mismatch, context, (Step("Checked the server's real context with /props", True),))
        now = time.monotonic()
        with self._cond:
            recovery = None
            if self._incident_started is not None:
                recovery = f"{self._incident_summary}; restarted it (pid {proc.pid}) in {now - self._incident_started:.1f} s"
                self._incident_started = None
                if self._incident_diag is not None and error is None:
                    error = build_card(self._incident_diag, context, tried.steps())
            elif incident is not None:
                recovery = f"{incident.summary.rstrip('.')}; " + "; ".join(t for t, ok in tried.items if ok)
            self._proc = proc
            self._current = config
            self._ctx_actual = ctx_actual
            self._model_path = model_path or self._model_path
            self._mode = mode
            self._ready_mono = now
            self._ready_wall = time.time()
            self._degraded_reason = "; ".join(reasons) or None
            if recovery:
                self._last_recovery = recovery
            if error is not None:
                self._last_error = error
            self._detail = None
            self._state = State.DEGRADED if reasons else State.READY
            self._publish_locked()

    def _read_props(self, proc: ServerProcess, config: LaunchConfig) -> tuple[int | None, str | None]:
        try:
            props = self._http.get(
                f"http://{LOOPBACK}:{self._port}/props",
                headers={"Authorization": f"Bearer {self._api_key}"},
                timeout=self.settings.health_timeout,
            ).json()
        except (httpx.HTTPError, ValueError, RuntimeError, OSError):
            return None, None
        if not isinstance(props, dict):
            return None, None
        settings = props.get("default_generation_settings")
        settings = settings if isinstance(settings, dict) else {}
        n_ctx = settings.get("n_ctx") or props.get("n_ctx")
        model_path = props.get("model_path")
        try:
            ctx = int(n_ctx) if n_ctx else None
        except (TypeError, ValueError):
            ctx = None
        return ctx, (model_path if isinstance(model_path, str) else None)

    # -- watching a running server ------------------------------------------------------------------

    def _watch(self, proc: ServerProcess) -> Diagnosis | None:
        """Block while the server is healthy. Returns the failure, or ``None`` for a command/close."""
        interval, timeout = self.settings.health_interval, self.settings.health_timeout
        assert self._port is not None
        port = self._port
        next_check = time.monotonic() + interval
        failures = 0
        while True:
            self._wake.wait(max(0.0, next_check - time.monotonic()))
            self._wake.clear()
            if self._closed.is_set() or self._cmd is not None or not self._desired:
                return None
            if proc.exited.is_set():
                self._forget(proc)
                return self._exit_diagnosis(proc)
            stall, self._stall_reason = self._stall_reason, None
            if stall is not None:
                state = process_state(proc.pid) or "gone"
                proc.kill()
                self._forget(proc)
                return Diagnosis(Kind.HUNG, f"llama-server stopped generating ({stall}).", (f"reported by a client: {stall}", f"process state: {state}"))
            now = time.monotonic()
            if now < next_check:
                continue
            stopped = process_state(proc.pid) == psutil.STATUS_STOPPED
            code = None if stopped else self._health(port, timeout)
            if code == 200:
                failures = 0
                if self._ready_mono is not None and self._policy.note_healthy(self._ready_mono, time.monotonic()):
                    with self._cond:
                        self._publish_locked()
                next_check = time.monotonic() + interval
                continue
            failures += 1
            stopped = stopped or process_state(proc.pid) == psutil.STATUS_STOPPED
            if stopped or failures >= 2:
                answer = "not asked: the process is stopped" if stopped and code is None else (f"no answer within {timeout:.1f} s" if code is None else str(code))
                evidence = (
                    f"GET /health: {answer}",
                    f"process state: {process_state(proc.pid) or 'gone'}",
                )
                proc.kill()
                self._forget(proc)
                what = "It is stopped (SIGSTOP)" if stopped else f"It missed {failures} health checks in a row"
                return Diagnosis(Kind.HUNG, f"llama-server stopped answering. {what}.", evidence)
            next_check = time.monotonic()  # retry at once: one slow answer is not a hang yet


def process_state(pid: int) -> str | None:
    try:
        return psutil.Process(pid).status()
    except psutil.Error:
        return None


def detect_mode(lines: list[str], config: LaunchConfig) -> str:
    """``gpu`` if llama.cpp reports layers offloaded to a GPU device, else ``cpu``."""
    if config.cpu_only:
        return "cpu"
    for line in lines:
        m = re.search(r"offloaded (\d+)/(\d+) layers to GPU", line)
        if m and int(m.group(1)) > 0:
            return "gpu"
        if re.search(r"using device (CUDA|Vulkan|ROCm|Metal|SYCL)\d", line):
            return "gpu"
    return "cpu"
