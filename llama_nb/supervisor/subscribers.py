"""A thread-safe set of status callbacks, shared by everything that publishes status changes."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Callable, Generic, TypeVar

if TYPE_CHECKING:
    from .status import Status

T = TypeVar("T")

#: A status callback (the type every backend's ``subscribe`` takes).
Subscriber = Callable[["Status"], None]

log = logging.getLogger("llama_nb")


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
