"""The stall watchdog: an answer whose tokens stop arriving is cancelled, not waited on.

A server can stop generating while ``/health`` still answers (a wedged slot, a stopped process
the health loop has not looked at yet). The magic reads the answer on the kernel's main thread;
this watchdog runs beside it, and when no token has arrived for ``stall_timeout`` seconds (or no
first token for ``first_token_timeout``), it shuts the response's socket down. The blocked read
returns at once, the magic sees :attr:`StallWatchdog.fired` and reports the stall to the backend,
which treats the server as hung and replaces it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


def first_token_allowance(stall_timeout: float) -> float:
    """How long the first token may take (prompt processing on a slow CPU): larger than the stall timeout."""
    return max(60.0, 3.0 * stall_timeout)


class StallWatchdog:
    """Watches one streamed answer. Use as a context manager around the read loop; call :meth:`tick` per token."""

    def __init__(self, stream: Any, stall_timeout: float, first_token_timeout: float | None = None) -> None:
        self.stream = stream
        self.stall_timeout = stall_timeout
        self.first_token_timeout = first_token_timeout if first_token_timeout is not None else first_token_allowance(stall_timeout)
        self.fired: str | None = None  # the reason, once it fired
        self.tokens = 0
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return self.stall_timeout > 0

    def __enter__(self) -> "StallWatchdog":
        self._last = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="llama-nb-stall-watchdog", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def tick(self) -> None:
        self.tokens += 1
        self._last = time.monotonic()

    def _limit(self) -> float:
        return self.stall_timeout if self.tokens else self.first_token_timeout

    def _run(self) -> None:
        while not self._stop.is_set():
            waited = time.monotonic() - self._last
            limit = self._limit()
            if waited >= limit:
                if self.tokens:
                    self.fired = f"no token for {limit:.0f} s after {self.tokens} tokens"
                else:
                    self.fired = f"no first token within {limit:.0f} s"
                shutdown(self.stream)
                return
            self._stop.wait(min(0.25, max(0.01, limit - waited)))


def shutdown(stream: Any) -> None:
    """Unblock the main thread's read: shut the answer's socket down (closing it would not wake a blocked read)."""
    response = getattr(stream, "_response", None)
    if response is None:
        return
    network = response.extensions.get("network_stream") if hasattr(response, "extensions") else None
    sock = network.get_extra_info("socket") if network is not None else None
    if isinstance(sock, socket.socket):
        try:
            sock.shutdown(socket.SHUT_RDWR)
            return
        except OSError:
            pass
    try:
        response.close()
    except Exception:
        pass
