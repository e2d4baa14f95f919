"""The one daemon thread that ticks the uptime of every live status panel once per second (on the second);
it ends when no panel is left, and a panel that fails to tick does not stop the others."""

from __future__ import annotations

import threading
import time
import weakref
from typing import Protocol

TICK_SECONDS = 1.0


class Ticking(Protocol):
    """What the ticker needs of a panel (held weakly: a panel no one holds any more is dropped)."""

    def tick(self) -> None: ...


class _Ticker:
    """One daemon thread that ticks the uptime of every live panel once per second."""

    def __init__(self) -> None:
        self._panels: "weakref.WeakSet[Ticking]" = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, panel: Ticking) -> None:
        with self._lock:
            self._panels.add(panel)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="llama-nb-panel-ticker", daemon=True)
                self._thread.start()

    def discard(self, panel: Ticking) -> None:
        with self._lock:
            self._panels.discard(panel)

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS - (time.time() % TICK_SECONDS) + 0.005)
            with self._lock:
                panels = list(self._panels)
                if not panels:
                    self._thread = None
                    return
            for panel in panels:
                try:
                    panel.tick()
                except Exception:  # a closed or broken panel must not stop the others
                    pass


ticker = _Ticker()
