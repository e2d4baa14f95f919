"""``%llama status`` and ``%llama models``: the state of the profiles.

:func:`show_status` is the one place that draws the status. Where a frontend renders outputs it
shows the live ipywidgets panel (:class:`~llama_nb.kernel.widgets.StatusPanel`, which follows
:meth:`Backend.subscribe`); the text table below is its plain-text repr, and what a terminal IPython
(or an environment without ipywidgets) gets instead.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Protocol

from ..supervisor import State, Status
from .display import show_card, show_markdown

#: How many live panels one session keeps; a new one beyond that closes the oldest.
PANEL_LIMIT = 16

if TYPE_CHECKING:
    from .backends import Backend

_ICONS = {
    State.READY: "●", State.DEGRADED: "◐", State.STARTING: "○", State.RESTARTING: "↻",
    State.FAILED: "✗", State.STOPPING: "○", State.STOPPED: "■", State.NOT_STARTED: "·",
}


def model_name(model: str | None) -> str:
    return Path(model).name if model and ("/" in model or model.endswith(".gguf")) else (model or "—")


def uptime_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def ctx_text(status: Status) -> str:
    if status.ctx_actual and status.ctx_requested and status.ctx_actual != status.ctx_requested:
        return f"{status.ctx_actual} (asked {status.ctx_requested})"
    return str(status.ctx_actual or status.ctx_requested or "—")


def status_rows(status: Status, backend_name: str) -> list[tuple[str, str]]:
    """The facts of one profile, in display order."""
    rows = [
        ("state", f"{_ICONS.get(status.state, '')} {status.state.value}"),
        ("backend", backend_name),
        ("model", model_name(status.model)),
        ("context", ctx_text(status)),
        ("mode", status.mode or "—"),
        ("pid", str(status.pid) if status.pid else "—"),
        ("url", status.url or "—"),
        ("uptime", uptime_text(status.uptime)),
        ("restarts", str(status.restarts)),
    ]
    if status.degraded_reason:
        rows.append(("degraded", status.degraded_reason))
    if status.detail:
        rows.append(("now", status.detail))
    if status.last_recovery:
        rows.append(("last repair", status.last_recovery))
    return rows


def status_text(status: Status, backend_name: str) -> str:
    rows = status_rows(status, backend_name)
    width = max(len(k) for k, _ in rows)
    return "\n".join([f"llama-nb · profile {status.profile}"] + [f"  {k.ljust(width)}  {v}" for k, v in rows])


def status_markdown(status: Status, backend_name: str) -> str:
    rows = status_rows(status, backend_name)
    lines = [f"**llama-nb · profile `{status.profile}`**", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in rows]
    return "\n".join(lines)


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
            retired, self._items = self._items[:-self.limit], self._items[-self.limit:]
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
    rows = [
        (name, backends.get(name, "?"), f"{_ICONS.get(s.state, '')} {s.state.value}", model_name(s.model), ctx_text(s),
         s.mode or "—", str(s.restarts))
        for name, s in statuses.items()
    ]
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


def _cell(value: str) -> str:
    """A Markdown table cell: no raw HTML, no column breaks."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")
