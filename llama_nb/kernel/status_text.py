"""The status of a profile as text: the facts, the table of ``%llama status``, the Markdown table.

Pure functions of a :class:`Status`; both the status view and the live panel draw with them.
"""

from __future__ import annotations

from pathlib import Path

from ..supervisor import State, Status

ICONS = {
    State.READY: "●",
    State.DEGRADED: "◐",
    State.STARTING: "○",
    State.RESTARTING: "↻",
    State.FAILED: "✗",
    State.STOPPING: "○",
    State.STOPPED: "■",
    State.NOT_STARTED: "·",
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
        ("state", f"{ICONS.get(status.state, '')} {status.state.value}"),
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
    lines += [f"| {k} | {cell(v)} |" for k, v in rows]
    return "\n".join(lines)


def cell(value: str) -> str:
    """A Markdown table cell: no raw HTML, no column breaks."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")
