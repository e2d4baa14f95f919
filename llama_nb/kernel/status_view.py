"""``%llama status`` and ``%llama models``: the state of the profiles.

:func:`show_status` is the one place that draws the status. Where a frontend renders outputs it
shows the live ipywidgets panel (:class:`~llama_nb.kernel.widgets.StatusPanel`, which follows
:meth:`Backend.subscribe`); the text table below is its plain-text repr, and what a terminal IPython
(or an environment without ipywidgets) gets instead.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Mapping, Protocol

from ..supervisor import State, Status
from .display import show_card, show_markdown
from .status_text import ICONS as _ICONS, cell as _cell, ctx_text, model_name, status_markdown, status_rows, status_text, uptime_text

__all__ = ["Panels", "ctx_text", "model_name", "show_models", "show_status", "status_markdown", "status_rows", "status_text", "uptime_text"]

#: How many live panels one session keeps; a new one beyond that closes the oldest.
PANEL_LIMIT = 16

if TYPE_CHECKING:
    from .backends import Backend


class Closable(Protocol):
    closed: bool

    def close(self) -> None: ...


class Panels:
    """The live panels of one session: closed with it, at most ``limit`` (a new one closes the oldest)."""

    def __init__(self, limit: int = PANEL_LIMIT) -> None:
        self.limit = limit
        self._items: list[Closable] = []
        self._lock = threading.Lock()

    def add(self, panel: Closable) -> None:
        with self._lock:
            self._items = [p for p in self._items if not p.closed]
            self._items.append(panel)
            retired, self._items = self._items[: -self.limit], self._items[-self.limit :]
        for old in retired:
            old.close()

    def live(self) -> list[Closable]:
        with self._lock:
            return [p for p in self._items if not p.closed]

    def close_all(self) -> None:
        with self._lock:
            items, self._items = self._items, []
        for panel in items:
            try:
                panel.close()
            except Exception:
                pass


def show_status(backend: "Backend", profile: str | None, *, live: bool = True, panels: Panels | None = None) -> Status:
    """Display the status of ``profile``: the live panel when ``live`` and ipywidgets is there, else
    the table (and the last error card, if it failed)."""
    if live:
        panel = _panel(backend, profile)
        if panel is not None:
            if panels is not None:
                panels.add(panel)
            from IPython.display import display

            display(panel)
            status: Status = panel.status
            return status
    status = backend.status(profile)
    backend_of = getattr(backend, "backend_of", None)
    name: str = backend_of(profile) if backend_of is not None else backend.name
    show_markdown(status_markdown(status, name), status_text(status, name))
    if status.last_error is not None and status.state in (State.FAILED, State.RESTARTING):
        show_card(status.last_error)
    return status


def _panel(backend: "Backend", profile: str | None) -> Any:
    """A :class:`StatusPanel`, or ``None`` where ipywidgets cannot be imported."""
    try:
        from .widgets import StatusPanel
    except ImportError:
        return None
    return StatusPanel(backend, profile)


def models_markdown(statuses: Mapping[str, Status], backends: Mapping[str, str]) -> tuple[str, str]:
    """``(markdown, text)`` tables of every profile and its state."""
    header = ("profile", "backend", "state", "model", "context", "mode", "restarts")
    rows = [(name, backends.get(name, "?"), f"{_ICONS.get(s.state, '')} {s.state.value}", model_name(s.model), ctx_text(s), s.mode or "—", str(s.restarts)) for name, s in statuses.items()]
    md = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in [header, *rows]]
    return "\n".join(md), "\n".join(text)


def show_models(backend: "Backend") -> dict[str, Status]:
    statuses = backend.profiles()
    backend_of = getattr(backend, "backend_of", None)
    names = {name: (backend_of(name) if backend_of is not None else backend.name) for name in statuses}
    md, text = models_markdown(statuses, names)
    show_markdown(md, text)
    return statuses
