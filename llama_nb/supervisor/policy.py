"""Restart policy: exponential backoff with a cap, a budget over a window, and a stability window.

Defaults (see :class:`~llama_nb.config.SupervisorSettings`): the first restart is immediate, then
0.5 s, 1 s, 2 s … capped at 8 s; at most 5 restarts in 60 s, after which the server is a crash loop;
30 s of healthy running forgives the count (like supervisord's ``startsecs``, systemd's
``StartLimitIntervalSec`` and OTP's intensity/period).
"""

from __future__ import annotations

from collections import deque

from ..config.profiles import SupervisorSettings


class RestartPolicy:
    """Decides whether and when to restart. Pure bookkeeping: no threads, no clocks of its own."""

    def __init__(self, settings: SupervisorSettings) -> None:
        self._settings = settings
        self._recent: deque[float] = deque()

    @property
    def recent(self) -> int:
        """Restarts counted against the budget right now."""
        return len(self._recent)

    def _expire(self, now: float) -> None:
        while self._recent and now - self._recent[0] > self._settings.budget_window:
            self._recent.popleft()

    def next_delay(self, now: float) -> float | None:
        """Seconds to wait before the next restart, or ``None`` when the budget is spent."""
        self._expire(now)
        if len(self._recent) >= self._settings.restart_budget:
            return None
        n = len(self._recent)
        self._recent.append(now)
        if n == 0:
            return 0.0
        return min(self._settings.backoff_initial * (2 ** (n - 1)), self._settings.backoff_max)

    def note_healthy(self, ready_since: float, now: float) -> bool:
        """Forgive the count once a server has been healthy for the stability window. True if it did."""
        if self._recent and now - ready_since >= self._settings.stability_window:
            self._recent.clear()
            return True
        return False

    def reset(self) -> None:
        self._recent.clear()
