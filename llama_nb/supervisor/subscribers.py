"""Thread-safe sets of status callbacks, shared by everything that publishes status changes.

:class:`Subscribers` calls them on the publishing thread (the kernel side, where publishers are cheap
and own no lock). :class:`Dispatcher` (the supervisor's) never runs a callback when publishing: it only queues the value (cheap, so it may be done under the
publisher's lock, which keeps the values in publication order). Each callback has its own delivery
thread that calls it with the values in order. A callback that raises is logged and skipped; one
that is slow or never returns delays only itself, never the publisher nor the other callbacks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Callable, Generic, TypeVar

if TYPE_CHECKING:
    from .status import Status

T = TypeVar("T")

#: A status callback (the type every backend's ``subscribe`` takes).
Subscriber = Callable[["Status"], None]

log = logging.getLogger("llama_nb")

#: A callback still busy with one value after this long is "stuck": :meth:`Subscribers.flush` stops waiting for it.
STUCK_AFTER = 0.5
#: Values kept for a callback that does not keep up; beyond this the oldest are dropped (and logged).
MAX_PENDING = 1000
#: A delivery thread with nothing to do for this long ends; the next value starts a new one.
IDLE_EXIT = 5.0


class _Delivery(Generic[T]):
    """One callback, its queue and its thread."""

    def __init__(self, callback: Callable[[T], None], name: str) -> None:
        self.callback = callback
        self.name = name
        self._cond = threading.Condition()
        self._queue: deque[tuple[int, T]] = deque()
        self._thread: threading.Thread | None = None
        self.queued = 0  # number of the last value queued
        self.delivered = 0  # number of the last value handled (called, raised or dropped)
        self.busy_since: float | None = None
        self.closed = False

    def put(self, value: T) -> None:
        with self._cond:
            if self.closed:
                return
            self.queued += 1
            self._queue.append((self.queued, value))
            if len(self._queue) > MAX_PENDING:
                dropped, _ = self._queue.popleft()
                self.delivered = max(self.delivered, dropped)
                log.warning("llama-nb status subscriber %r does not keep up: dropped an old status", self.callback)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                deadline = time.monotonic() + IDLE_EXIT
                while not self._queue and not self.closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self._thread = None  # a later put() starts a new thread
                        return
                    self._cond.wait(remaining)
                if self.closed:
                    self._thread = None
                    self._queue.clear()
                    self._cond.notify_all()
                    return
                number, value = self._queue.popleft()
                self.busy_since = time.monotonic()
            try:
                self.callback(value)
            except Exception:
                log.exception("llama-nb status subscriber failed")
            except BaseException:  # pragma: no cover - SystemExit/KeyboardInterrupt in a callback: log, go on
                log.exception("llama-nb status subscriber raised a BaseException")
            with self._cond:
                self.busy_since = None
                self.delivered = max(self.delivered, number)
                self._cond.notify_all()

    def wait_delivered(self, number: int, deadline: float) -> bool:
        """Wait until value ``number`` is handled, or this callback is stuck, or ``deadline`` passes."""
        with self._cond:
            while self.delivered < number and not self.closed:
                now = time.monotonic()
                if self.busy_since is not None and now - self.busy_since > STUCK_AFTER:
                    return False
                if now >= deadline:
                    return False
                self._cond.wait(min(deadline - now, STUCK_AFTER / 5))
            return True

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class Dispatcher(Generic[T]):
    """Callbacks called in order with each published value, each on its own delivery thread.

    What a :class:`~.supervisor.Supervisor` publishes through: ``publish`` only queues, so it is safe
    under the supervisor's lock and keeps sequence order; no callback ever runs on the caller's or the
    manager's thread."""

    def __init__(self, name: str = "llama-nb-status") -> None:
        self._lock = threading.Lock()
        self._name = name
        self._deliveries: list[_Delivery[T]] = []

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Subscribe ``callback``; returns the function that unsubscribes it."""
        delivery = _Delivery(callback, f"{self._name}-{len(self._deliveries)}")
        with self._lock:
            self._deliveries.append(delivery)

        def unsubscribe() -> None:
            with self._lock:
                if delivery in self._deliveries:
                    self._deliveries.remove(delivery)
            delivery.close()

        return unsubscribe

    def snapshot(self) -> list[Callable[[T], None]]:
        with self._lock:
            return [d.callback for d in self._deliveries]

    def publish(self, value: T) -> list[tuple[_Delivery[T], int]]:
        """Queue ``value`` for every callback (never calls one). Returns what :meth:`flush` needs."""
        with self._lock:
            deliveries = list(self._deliveries)
        marks = []
        for delivery in deliveries:
            delivery.put(value)
            marks.append((delivery, delivery.queued))
        return marks

    def flush(self, timeout: float = 2.0, marks: list[tuple[_Delivery[T], int]] | None = None) -> bool:
        """Wait until every callback has handled what was published so far (or ``marks``).

        Bounded: a callback that is stuck on one value is not waited for. True when all were delivered.
        """
        if marks is None:
            with self._lock:
                marks = [(d, d.queued) for d in self._deliveries]
        deadline = time.monotonic() + timeout
        return all([delivery.wait_delivered(number, deadline) for delivery, number in marks])

    def clear(self) -> None:
        with self._lock:
            deliveries, self._deliveries = self._deliveries, []
        for delivery in deliveries:
            delivery.close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._deliveries)


class Subscribers(Generic[T]):
    """Callbacks called in order with each published value. A failing callback is logged and skipped,
    so one broken listener never stops supervision or the others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[T], None]] = []

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Subscribe ``callback``; returns the function that unsubscribes it."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def snapshot(self) -> list[Callable[[T], None]]:
        with self._lock:
            return list(self._callbacks)

    def publish(self, value: T) -> None:
        for callback in self.snapshot():
            try:
                callback(value)
            except Exception:
                log.exception("llama-nb status subscriber failed")

    def clear(self) -> None:
        with self._lock:
            self._callbacks.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._callbacks)
