"""Fan-out of status changes from supervisor threads to the open ``events`` streams.

The supervisor calls its subscribers on its own manager thread. :class:`StatusHub` hops each change
onto the server's event loop with ``call_soon_threadsafe`` and puts it into the queue of every
:class:`Listener` that follows that profile, so a change reaches an open stream at once.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any, Callable, Iterable

from ..supervisor import Status

log = logging.getLogger("llama_nb.serverext")

#: What a listener receives: the profile name and the status as the REST API renders it.
Event = dict[str, Any]

#: Events a listener holds before its backlog is cut to the newest status of each profile. A stream
#: whose client does not read waits on its flush while the hub goes on offering (a crash loop never
#: stops publishing); each event is a whole status, so the newest per profile says all there is.
MAX_QUEUED = 256


class Listener:
    """One open ``events`` stream: a queue of status dicts, newest-wins per profile sequence."""

    def __init__(self, profile: str | None) -> None:
        self.profile = profile
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._last_seq: dict[str, int] = {}
        self.closed = False

    def wants(self, profile: str) -> bool:
        return self.profile is None or self.profile == profile

    def offer(self, event: Event) -> None:
        """Queue ``event`` unless it is older than what this listener has already been given."""
        if self.closed:
            return
        name, seq = event["profile"], int(event.get("seq") or 0)
        if seq and seq <= self._last_seq.get(name, 0):
            return  # already covered by the snapshot sent when the stream opened
        if seq:
            self._last_seq[name] = seq
        if self.queue.qsize() >= MAX_QUEUED:
            self._keep_newest()
        self.queue.put_nowait(event)

    def _keep_newest(self) -> None:
        """Cut the backlog to the newest queued event of each profile, in their order."""
        backlog: list[Event] = []
        while not self.queue.empty():
            queued = self.queue.get_nowait()
            if queued is not None:
                backlog.append(queued)
        newest = {e["profile"]: i for i, e in enumerate(backlog)}
        for i, queued in enumerate(backlog):
            if newest[queued["profile"]] == i:
                self.queue.put_nowait(queued)

    def close(self) -> None:
        """Wake the stream so that it ends."""
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(None)

    async def next(self, timeout: float) -> Event | None | bool:
        """The next event, ``None`` once closed, or ``False`` when ``timeout`` passes with nothing new."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except asyncio.TimeoutError:
            return False


def send_each_event_at_once(connection: Any) -> None:
    """Turn Nagle's algorithm off for the socket of an open event stream.

    Tornado leaves Nagle on while a response is still being written. An event stream is a run of
    small writes on one response, and the panel only reads (its ACKs are delayed, 40 ms or more on
    Linux): with Nagle on, an event written while the previous one is still unacknowledged waits for
    that delayed ACK. Status changes come in bursts (``restarting`` twice, then ``ready``), so that
    wait can land on "status change → every open panel" (bench bar 6). Tornado turns Nagle back on
    when the response finishes, so a kept-alive connection is left as it was found.
    """
    stream = getattr(connection, "stream", None)
    set_nodelay = getattr(stream, "set_nodelay", None)
    if set_nodelay is not None:
        set_nodelay(True)


def freeze_startup_heap() -> None:
    """Leave the objects Jupyter made while starting out of every later full garbage collection.

    A full (generation 2) collection walks every tracked object of the process and stops every
    thread while it runs. A Jupyter server with its extensions holds a few hundred thousand such
    objects (modules, classes, traits, handlers), almost all of them alive until it exits: a full
    collection then takes tens of milliseconds on a quiet 2-core machine (and far longer on a busy
    one), and a status change that meets one reaches the panels that much later (a cause of the
    tail of bench bar 6, which lists these pauses). Collected once, then frozen (``gc.freeze``), those objects are skipped; what is made
    later (kernels, requests, statuses) is collected as before. Runs once, on the event loop's first
    turn, i.e. after every extension has loaded.
    """
    if gc.get_freeze_count():
        return  # already done (by us or by the application)
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.debug("llama-nb: froze %d startup objects out of full garbage collections (%.0f ms)", gc.get_freeze_count(), (time.perf_counter() - started) * 1000)


class StatusHub:
    """Receives statuses on any thread, delivers them on ``loop`` to the interested listeners."""

    def __init__(self, loop: asyncio.AbstractEventLoop, render: Callable[[Status], Event]) -> None:
        self._loop = loop
        self._render = render
        self._listeners: set[Listener] = set()
        loop.call_soon_threadsafe(freeze_startup_heap)  # on the loop's first turn: Jupyter has started

    def publish_threadsafe(self, status: Status) -> None:
        """Supervisor subscriber: called on a supervisor thread, must return quickly."""
        try:
            self._loop.call_soon_threadsafe(self._deliver, status)
        except RuntimeError:  # the loop is closed: Jupyter is shutting down
            pass

    def _deliver(self, status: Status) -> None:
        if not self._listeners:
            return
        event = self._render(status)
        for listener in list(self._listeners):
            if listener.wants(status.profile):
                listener.offer(event)

    def listen(self, profile: str | None, snapshot: Iterable[Event]) -> Listener:
        """A new listener, primed with ``snapshot`` (the current status of each matching profile)."""
        listener = Listener(profile)
        for event in snapshot:
            if listener.wants(event["profile"]):
                listener.offer(event)
        self._listeners.add(listener)
        return listener

    def forget(self, listener: Listener) -> None:
        listener.close()
        self._listeners.discard(listener)

    def close(self) -> None:
        """End every open stream (server shutdown)."""
        for listener in list(self._listeners):
            self.forget(listener)

    def __len__(self) -> int:
        return len(self._listeners)
