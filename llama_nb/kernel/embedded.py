"""The embedded backend: a :class:`SupervisorPool` owned by this kernel (no Jupyter server extension).

Used in plain IPython, in kernels run by nbclient or papermill, in VS Code. The pool is closed when
the kernel exits (``atexit`` and the shell's ``exit_now``), and every llama-server child dies with
the kernel even on ``kill -9`` (the supervisor spawns them with a parent-death signal).
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import Callable, Mapping

from ..config.profiles import Profile, SupervisorSettings
from ..supervisor import Connection, LlamaNBError, Status, SupervisorPool
from ..supervisor.diagnosis import Diagnosis, Kind
from ..supervisor.subscribers import Subscriber, Subscribers


class EmbeddedBackend:
    """Supervises llama-server processes inside this kernel."""

    name = "embedded"

    def __init__(self, profiles: Mapping[str, Profile], settings: SupervisorSettings, default: str = "default") -> None:
        self._lock = threading.Lock()
        self._subscribers: Subscribers[Status] = Subscribers()
        self._pool = SupervisorPool(profiles, settings, default)
        self._pool.subscribe(self._dispatch)
        self._closed = False
        ref = weakref.ref(self)

        def close_at_exit() -> None:
            backend = ref()
            if backend is not None:
                backend.close()

        self._atexit = close_at_exit
        atexit.register(close_at_exit)

    # -- configuration ------------------------------------------------------------------------------

    def reconfigure(self, profiles: Mapping[str, Profile], settings: SupervisorSettings, default: str) -> bool:
        """Apply changed profiles or settings (``%config``). Returns ``True`` when anything changed.

        Servers whose profile changed are stopped (they run with the old configuration) and start
        again on next use; the others keep running.
        """
        pool = self._pool
        if dict(profiles) == pool.profiles and settings == pool.settings and default == pool.default:
            return False
        pool.reconfigure(profiles, settings, default)
        return True

    @property
    def pool(self) -> SupervisorPool:
        return self._pool

    # -- Backend ------------------------------------------------------------------------------------

    def ensure(self, profile: str | None) -> tuple[Status, Connection]:
        sup = self._pool.get(profile)
        for _ in range(3):
            status = sup.ensure()
            conn = sup.connection()
            if conn is not None:
                return status, conn
        # Up, then gone again at once, three times: let the caller see the supervisor's own card.
        status = sup.status()
        raise LlamaNBError(status.last_error or sup.card_for(Diagnosis(Kind.CRASHED, "llama-server keeps going away right after it starts.")))

    def start(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        return self._pool.get(profile).start(ctx_size=ctx_size, cpu=cpu)

    def restart(self, profile: str | None, ctx_size: int | None = None, cpu: bool | None = None) -> Status:
        return self._pool.get(profile).restart(ctx_size=ctx_size, cpu=cpu)

    def stop(self, profile: str | None) -> Status:
        return self._pool.get(profile).stop()

    def status(self, profile: str | None) -> Status:
        name = self._pool.profile(profile).name
        return self._pool.statuses().get(name) or self._pool.get(name).status()

    def logs(self, profile: str | None, n: int = 100) -> list[str]:
        return self._pool.get(profile).logs(n)

    def report_stall(self, profile: str | None, reason: str) -> bool:
        """The answer stalled: replace the server as hung (see :meth:`Supervisor.report_stall`)."""
        return self._pool.get(profile).report_stall(reason)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def _dispatch(self, status: Status) -> None:
        self._subscribers.publish(status)

    def profiles(self) -> dict[str, Status]:
        return self._pool.statuses()

    def close(self) -> None:
        """Stop every server this kernel started; safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._pool.close()
        atexit.unregister(self._atexit)
