"""The state behind the REST API: the supervisor pool, thread pools for its blocking calls, the idle
timer, and the event hub. Handlers stay thin; everything here runs on the server's event loop.

Control never starves: waiting ``ensure`` calls share one wait (one worker thread) per profile, and
so do ``start`` and ``restart`` calls with the same options, so any number of them cannot fill the
pool; ``stop``, ``logs`` and ``stall`` run on threads of their own; and
``GET status`` reads the last published status without taking a supervisor lock.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import httpx

from ..config.errors import ConfigError
from ..config.profiles import Profile
from ..render import card_json
from ..supervisor import Action, Card, Connection, Fix, LlamaNBError, State, Status, Step, SupervisorPool
from ..supervisor.diagnosis import Diagnosis, Kind
from ..supervisor.redact import mask_urls, strip_credentials
from .events import Event, Listener, StatusHub

log = logging.getLogger("llama_nb.serverext")

T = TypeVar("T")


class BadRequest(LlamaNBError, ValueError):
    """A request the API cannot act on (unknown profile, bad option): answered with HTTP 400."""

    kind = "bad_request"
    title = "llama-nb could not act on the request"


@dataclass(frozen=True)
class Outcome:
    """The answer to ensure/start/restart: a status, and the connection when the server is up."""

    status: Status
    connection: Connection | None = None
    error: Card | None = None


def config_error_card(message: str) -> Card:
    """The card shown on every route when the ``c.LlamaNB`` settings of this server are invalid."""
    return Card(
        kind=Kind.BAD_CONFIG.value,
        title="The llama-nb settings of this Jupyter server are invalid",
        what_happened=(f"The Jupyter server extension could not read its settings, so it cannot start llama-server. {message}"),
        evidence=(message,),
        what_tried=(Step("Read the c.LlamaNB settings of this Jupyter server", False),),
        what_you_can_do=(
            Fix("Find the setting named above in your Jupyter config files", Action.RUN, {"line": "grep -rn LlamaNB $(jupyter --config-dir)"}),
            Fix("Check the binary, model, memory, ports and GPU in one go", Action.RUN, {"argv": ["llama-nb", "doctor"]}),
            Fix("Then restart Jupyter (Ctrl-C in its terminal) so that it reads the corrected settings", Action.RUN, {"argv": ["jupyter", "lab"]}),
        ),
    )


class LlamaService:
    """One per Jupyter server. ``pool`` is ``None`` when the configuration is invalid (``config_error``)."""

    def __init__(
        self,
        pool: SupervisorPool | None,
        *,
        loop: asyncio.AbstractEventLoop,
        idle_timeout: float = 0.0,
        config_error: Card | None = None,
        max_workers: int = 16,
    ) -> None:
        self.pool = pool
        self.config_error = config_error
        self.idle_timeout = max(0.0, float(idle_timeout))
        self._loop = loop
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="llama-nb-rest")
        # stop and logs never queue behind starts that wait
        self._control = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llama-nb-control")
        self._waits: dict[tuple[Any, ...], asyncio.Future[Status]] = {}  # one shared wait per request
        self._activity: dict[str, float] = {}
        self._inflight: dict[str, int] = {}
        self._idle_stopped: set[str] = set()
        self._idle_stops: dict[str, asyncio.Future[Any]] = {}
        self._idle_task: asyncio.Task[None] | None = None
        self._closed = False
        self.hub = StatusHub(loop, self.render)
        if pool is not None:
            pool.subscribe(self.hub.publish_threadsafe)

    # -- helpers ------------------------------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking supervisor call on the service's threads, off the event loop."""
        return await self._loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def control(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a control call (stop, logs) on threads that starts never occupy."""
        return await self._loop.run_in_executor(self._control, functools.partial(fn, *args, **kwargs))

    async def shared_ensure(self, name: str) -> Status:
        """``ensure()`` of profile ``name``: every caller waits on the same one (one thread per profile).

        A caller that gives up (its client went away) cancels only its own wait."""
        return await self.shared_call((name, "ensure"), self._pool().get(name).ensure)

    async def shared_call(self, key: tuple[Any, ...], fn: Callable[..., Status], **kwargs: Any) -> Status:
        """``fn(**kwargs)`` on one thread, shared by every caller with the same ``key`` while it runs."""
        fut = self._waits.get(key)
        if fut is None or fut.done():
            fut = self._loop.run_in_executor(self._executor, functools.partial(fn, **kwargs))
            self._waits[key] = fut

            def done(f: "asyncio.Future[Status]", key: tuple[Any, ...] = key) -> None:
                if self._waits.get(key) is f:
                    del self._waits[key]
                if not f.cancelled():
                    f.exception()  # retrieved here: every waiter gets it through the shield

            fut.add_done_callback(done)
        return await asyncio.shield(fut)

    def _pool(self) -> SupervisorPool:
        if self.pool is None:
            assert self.config_error is not None
            raise LlamaNBError(self.config_error)
        return self.pool

    @property
    def default_profile(self) -> str | None:
        return self.pool.default if self.pool is not None else None

    def profile(self, name: str | None) -> Profile:
        """The named (or default) profile; :class:`BadRequest` for an unknown name."""
        try:
            return self._pool().profile(name)
        except ConfigError as exc:
            raise BadRequest(str(exc)) from None

    def local_profile(self, name: str | None, action: str) -> Profile:
        profile = self.profile(name)
        if profile.is_remote:
            raise BadRequest(f"profile {profile.name!r} is a remote endpoint ({mask_urls(profile.url)}): there is no local server to {action}")
        return profile

    # -- status -------------------------------------------------------------------------------------

    def render(self, status: Status) -> Event:
        """A status as the REST API and the event stream show it (never holds a key)."""
        data = status.to_dict()
        data["last_error"] = card_json(status.last_error)  # each fix: its action, parameters and rendered lines
        if status.profile in self._idle_stopped and status.state == State.STOPPED:
            data["detail"] = f"stopped after {self.idle_timeout:g} s without use; the next prompt starts it again"
        return data

    def remote_status(self, profile: Profile) -> Status:
        return Status(
            profile=profile.name,
            state=State.READY,
            remote=True,
            url=profile.url,
            model=profile.model,
            ctx_requested=profile.ctx_size,
            detail="remote endpoint: llama-nb does not run or watch it",
        )

    def failed_status(self, name: str | None, card: Card) -> Status:
        return Status(profile=name or "default", state=State.FAILED, last_error=card, detail=card.title)

    def status_of(self, name: str | None) -> Event:
        if self.pool is None:
            assert self.config_error is not None
            return self.render(self.failed_status(name, self.config_error))
        profile = self.profile(name)
        if profile.is_remote:
            return self.render(self.remote_status(profile))
        sup = self.pool.existing().get(profile.name)
        if sup is not None:
            return self.render(sup.last_status())  # no supervisor lock on the event loop
        return self.render(self.pool.statuses(cached=True)[profile.name])

    def overview(self) -> dict[str, Any]:
        """``GET status`` without a profile."""
        if self.pool is None:
            assert self.config_error is not None
            return {"default_profile": None, "profiles": {}, "remote": {}, "error": card_json(self.config_error)}
        return {
            "default_profile": self.pool.default,
            "profiles": {name: self.render(st) for name, st in self.pool.statuses(cached=True).items()},
            "remote": {p.name: mask_urls(p.url) for p in self.pool.profiles.values() if p.is_remote},
        }

    def snapshot(self, name: str | None) -> list[Event]:
        """The current status of every local profile (or of ``name``), for a new event stream."""
        if self.pool is None:
            return [self.status_of(name)]  # the config card, as a failed status
        if name is not None:
            return [self.status_of(name)]
        return [self.render(st) for st in self.pool.statuses(cached=True).values()]

    def listen(self, name: str | None) -> Listener:
        if name is not None:
            self.profile(name)  # 400 for an unknown profile
        return self.hub.listen(name, self.snapshot(name))

    # -- activity and the idle timer ------------------------------------------------------------------

    def touch(self, name: str) -> None:
        """Note use of a profile (each ensure, start and restart): it restarts the idle timer."""
        self._activity[name] = time.monotonic()
        self._idle_stopped.discard(name)

    async def _guarded(self, name: str, fn: Callable[..., Status] | None, **kwargs: Any) -> Status:
        """Run a request that wants the server up: waits for an idle stop in progress, counts as activity.
        ``fn`` is ``None`` for a plain ensure, which shares the profile's one wait."""
        self.touch(name)
        self.start_background()
        pending = self._idle_stops.get(name)
        if pending is not None:
            await asyncio.shield(pending)
        self._inflight[name] = self._inflight.get(name, 0) + 1
        try:
            if fn is None:
                return await self.shared_ensure(name)
            # Identical starts (or restarts) share one wait: N kernels asking at once hold one thread.
            return await self.shared_call((name, fn.__name__, *sorted(kwargs.items())), fn, **kwargs)
        finally:
            self._inflight[name] -= 1
            self.touch(name)

    def start_background(self) -> None:
        """Start the idle timer (idempotent; needs a running loop)."""
        if self.idle_timeout > 0 and self._idle_task is None and not self._closed and self.pool is not None:
            self._idle_task = self._loop.create_task(self._idle_loop())

    async def _idle_loop(self) -> None:
        interval = min(max(self.idle_timeout / 4, 0.05), 5.0)
        while not self._closed:
            await asyncio.sleep(interval)
            try:
                await self._reap_idle()
            except asyncio.CancelledError:
                raise
            except Exception:  # the timer must survive any one bad round
                log.exception("llama-nb: idle check failed")

    async def _reap_idle(self) -> None:
        assert self.pool is not None
        for name, sup in self.pool.existing().items():
            if not sup.last_status().state.is_up or self._inflight.get(name) or name in self._idle_stops:
                continue
            now = time.monotonic()
            last = self._activity.setdefault(name, now)
            if now - last < self.idle_timeout:
                continue
            if await self._generating(sup.connection()):
                self.touch(name)  # a long answer is still streaming: that is use
                continue
            # Re-check after the await: an ensure may have arrived meanwhile.
            if self._inflight.get(name) or time.monotonic() - self._activity.get(name, 0.0) < self.idle_timeout:
                continue
            log.info("llama-nb: stopping profile %r after %g s without use", name, self.idle_timeout)
            self._idle_stopped.add(name)
            stop = self._loop.run_in_executor(self._control, sup.stop)
            self._idle_stops[name] = stop
            try:
                await stop
            finally:
                del self._idle_stops[name]

    async def _generating(self, conn: Connection | None) -> bool:
        """Whether llama-server is busy with a request (its ``/slots`` says a slot is processing)."""
        if conn is None:
            return False
        headers = {"Authorization": f"Bearer {conn.api_key}"} if conn.api_key else {}
        try:
            async with httpx.AsyncClient(trust_env=False, timeout=2.0) as client:
                slots = (await client.get(f"{conn.url}/slots", headers=headers)).json()
        except httpx.TimeoutException:
            # Too busy to answer within 2 s (seen while it generates on two loaded cores): that is use,
            # not idleness. A server that really hangs is the health loop's to replace.
            return True
        except (httpx.HTTPError, ValueError):
            return False
        return isinstance(slots, list) and any(isinstance(s, dict) and s.get("is_processing") for s in slots)

    # -- actions ------------------------------------------------------------------------------------

    async def _up(self, name: str, fn: Callable[..., Status] | None, **kwargs: Any) -> Outcome:
        sup = self._pool().get(name)
        if fn is None and sup.last_status().state.is_up:
            conn = sup.connection()
            if conn is not None:  # the common case: up already, no thread needed
                self.touch(name)
                self.start_background()
                return Outcome(sup.last_status(), connection=conn)
        try:
            status = await self._guarded(name, fn, **kwargs)
        except LlamaNBError as exc:
            return Outcome(sup.last_status(), error=exc.card)
        conn = sup.connection()
        if conn is None:
            # It went down between becoming ready and this answer (a crash): one more ensure.
            try:
                status = await self._guarded(name, None)
            except LlamaNBError as exc:
                return Outcome(sup.last_status(), error=exc.card)
            conn = sup.connection()
        if conn is None:
            card = sup.card_for(Diagnosis(Kind.CONNECTION_FAILED, "The server went down right after it became ready."))
            return Outcome(sup.last_status(), error=card)
        return Outcome(status, connection=conn)

    async def ensure(self, name: str | None) -> Outcome:
        """Make the profile ready (recovering if needed)."""
        if self.pool is None:
            assert self.config_error is not None
            return Outcome(self.failed_status(name, self.config_error), error=self.config_error)
        profile = self.profile(name)
        if profile.is_remote:
            # The endpoint, but not its secrets: a remote profile's api_key (and URL credentials) stay with
            # this server's configuration; a kernel that needs them configures them itself.
            return Outcome(self.remote_status(profile), Connection(strip_credentials(profile.url or ""), ""))
        return await self._up(profile.name, None)

    async def start(self, name: str | None, *, ctx_size: int | None, cpu: bool | None) -> Outcome:
        if self.pool is None:
            return await self.ensure(name)
        profile = self.local_profile(name, "start")
        return await self._up(profile.name, self.pool.get(profile.name).start, ctx_size=ctx_size, cpu=cpu)

    async def restart(self, name: str | None, *, ctx_size: int | None, cpu: bool | None) -> Outcome:
        if self.pool is None:
            return await self.ensure(name)
        profile = self.local_profile(name, "restart")
        return await self._up(profile.name, self.pool.get(profile.name).restart, ctx_size=ctx_size, cpu=cpu)

    async def stop(self, name: str | None) -> Status:
        if self.pool is None:
            assert self.config_error is not None
            return self.failed_status(name, self.config_error)
        profile = self.local_profile(name, "stop")
        self._idle_stopped.discard(profile.name)
        sup = self.pool.existing().get(profile.name)
        if sup is None:
            return self.pool.statuses(cached=True)[profile.name]
        return await self.control(sup.stop)

    async def logs(self, name: str | None, n: int) -> list[str]:
        if self.pool is None:
            return []
        profile = self.local_profile(name, "read the log of")
        return await self.control(self.pool.get(profile.name).logs, n)

    # -- shutdown -----------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop every llama-server and end every event stream. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._idle_task is not None:
            self._idle_task.cancel()
        self.hub.close()
        if self.pool is not None:
            # A graceful stop (SIGTERM, then SIGKILL after the grace period) of each running server,
            # all at once; then close() to end the manager threads.
            stops = [self._loop.run_in_executor(None, sup.stop) for sup in self.pool.existing().values()]
            for result in await asyncio.gather(*stops, return_exceptions=True):
                if isinstance(result, Exception):
                    log.warning("llama-nb: stopping a llama-server failed: %s", result)
            await self._loop.run_in_executor(None, self.pool.close)
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._control.shutdown(wait=False, cancel_futures=True)
