"""The state machine of one profile: start on demand, watch, repair, explain.

One manager thread per profile owns the llama-server child (its loop is in ``manager.py``). Callers talk to it through
:meth:`Supervisor.ensure`, :meth:`start`, :meth:`stop` and :meth:`restart` (blocking, thread-safe,
bounded) and follow it through :meth:`subscribe`. Nothing here knows about Jupyter.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from dataclasses import dataclass, replace
from typing import Callable, Mapping

import httpx

from ..config.discovery import find_model, find_server
from ..config.profiles import Profile, SupervisorSettings
from .advice import Context, build_card
from .cards import Card, LlamaNBError, Step
from .diagnosis import Diagnosis, Kind, LaunchConfig
from .limits import ctx_limits
from .launch import detect_mode, process_state
from .manager import ManagerLoop
from .model_file import check_model_file
from .policy import RestartPolicy
from .process import LOOPBACK, ServerProcess, describe_exit, tail_file
from .redact import mask_urls
from .status import State, Status
from .subscribers import Dispatcher, Subscriber

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
        return f"Connection(url={mask_urls(self.url)!r}, api_key=***)"


class Supervisor(ManagerLoop):
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
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._subscribers: Dispatcher[Status] = Dispatcher(f"llama-nb-status-{profile.name}")
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
        self._stall_reason: str | None = None  # set by report_stall(), consumed by the manager's watch
        self._published = self._snapshot()  # read without the lock by last_status()
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

    def last_status(self) -> Status:
        """The last published status (uptime brought up to date), read without taking the lock: for
        event loops that must never wait on the supervisor."""
        snap = self._published
        if snap.state.is_up and snap.started_at is not None:
            snap = replace(snap, uptime=max(0.0, time.time() - snap.started_at))
        return snap

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(status)`` on every change, in order, from a delivery thread of its own (never
        under the supervisor's lock, never on the caller's thread). Returns an unsubscribe."""
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
        try:
            with self._cond:
                if self._state.is_up:
                    return self._snapshot()
                if not self._desired:
                    self._request_locked(self._requested, reason="starting")
                return self._wait_up_locked(self._gen, timeout)
        finally:
            self._flush()

    def start(self, *, ctx_size: int | None = None, cpu: bool | None = None, timeout: float | None = None) -> Status:
        """Start (or, with new options, restart) the server. ``cpu=True`` runs it with no GPU layers."""
        wanted = self._with_options(ctx_size, cpu)
        try:
            with self._cond:
                if self._state.is_up and wanted == self._requested:
                    return self._snapshot()
                if self._desired and (self._proc is not None or self._state.is_up):
                    self._cmd = "restart"
                self._request_locked(wanted, reason="starting")
                self._wake.set()
                return self._wait_up_locked(self._gen, timeout)
        finally:
            self._flush()

    def restart(self, *, ctx_size: int | None = None, cpu: bool | None = None, timeout: float | None = None) -> Status:
        """Stop the server if it runs and start it again on the requested configuration."""
        wanted = self._with_options(ctx_size, cpu)
        try:
            with self._cond:
                if self._desired:
                    self._cmd = "restart"
                self._request_locked(wanted, reason="restarting")
                self._wake.set()
                return self._wait_up_locked(self._gen, timeout)
        finally:
            self._flush()

    def stop(self, timeout: float | None = None) -> Status:
        """Stop the server (SIGTERM, then SIGKILL after the grace period) and wait until it is gone."""
        limit = timeout if timeout is not None else self.settings.stop_grace + 5.0
        try:
            with self._cond:
                self._desired = False
                if not self._manager_alive() or (self._proc is None and self._state in (State.NOT_STARTED, State.STOPPED, State.FAILED)):
                    if self._state != State.NOT_STARTED:
                        self._state = State.STOPPED
                        self._detail = None
                        self._publish_locked()
                    return self._snapshot()
                self._cmd = "stop"
                self._wake.set()
                self._cond.wait_for(
                    lambda: (self._proc is None and self._state in (State.STOPPED, State.FAILED)) or not self._manager_alive(),
                    limit,
                )
                return self._snapshot()
        finally:
            self._flush()

    def logs(self, n: int = 100) -> list[str]:
        """The last ``n`` lines of llama-server's output (the live process, else the last one, else the file)."""
        proc = self._proc or self._last_proc
        if proc is not None:
            return proc.tail(n)
        try:
            return tail_file(self.log_path, n)
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
        self._flush()
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
        if thread is None or not thread.is_alive():
            # Otherwise the manager is still inside a health check: it closes the client itself on its
            # way out (closing it here would pull it from under that request).
            self._http.close()
        self._subscribers.flush(1.0)
        self._subscribers.clear()  # what was published is delivered: end the delivery threads now, not when idle
        _live.discard(self)

    def _flush(self) -> None:
        """Let subscribers see what this call published before it returns (bounded; a stuck subscriber
        is not waited for). Never called with the lock held."""
        self._subscribers.flush(1.0)

    def _manager_alive(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

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
            low, high, why = ctx_limits(self.profile, self.settings)
            if not min(64, low) <= ctx_size <= high:
                # Refused before anything is stopped or spawned (a huge --ctx would only fail to allocate).
                raise LlamaNBError(
                    self.card_for(Diagnosis(Kind.BAD_CONFIG, f"A context of {ctx_size} tokens was asked for; profile {self.profile.name!r} takes {min(64, low)} to {high} tokens ({why})."))
                )
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
        if not self._manager_alive():
            # The first request, or the manager ended on an unexpected error: a fresh loop.
            self._thread = threading.Thread(target=self._run, name=f"llama-nb-{self.profile.name}", daemon=True)
            self._thread.start()
        if self._state not in (State.STOPPING, State.STARTING, State.RESTARTING):
            self._state = State.STARTING if reason == "starting" or not self._state.is_up else State.RESTARTING
            self._detail = reason
            self._publish_locked()
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
            if not self._manager_alive():  # cannot happen (the loop is guarded): never wait on nobody
                raise LlamaNBError(build_card(Diagnosis(Kind.UNKNOWN, "The supervisor's manager thread is gone."), self._context_locked()))
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
        # Only queues the snapshot (in sequence order, since we hold the lock): the callbacks run on
        # their delivery threads, after the lock is released.
        self._seq += 1
        self._cond.notify_all()
        snap = self._snapshot()
        self._published = snap
        self._subscribers.publish(snap)

    def _set(self, state: State, **fields: object) -> None:
        with self._cond:
            self._state = state
            for key, value in fields.items():
                setattr(self, f"_{key}", value)
            self._publish_locked()


__all__ = ["Supervisor", "Connection", "check_model_file", "detect_mode", "describe_exit", "process_state"]
