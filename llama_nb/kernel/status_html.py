"""The status of a profile as the live panel's HTML: its style sheet, the state badge (colours per state,
a spinner while busy), a fact, a note line. Pure functions; the panel (``widgets.py``) draws with them."""

from __future__ import annotations

import html

from ..supervisor import State

#: Badge colours (background, text) per state.
COLOURS: dict[State, tuple[str, str]] = {
    State.READY: ("#2e7d32", "#ffffff"),
    State.DEGRADED: ("#f9a825", "#212121"),
    State.STARTING: ("#1565c0", "#ffffff"),
    State.RESTARTING: ("#1565c0", "#ffffff"),
    State.STOPPING: ("#607d8b", "#ffffff"),
    State.FAILED: ("#c62828", "#ffffff"),
    State.STOPPED: ("#757575", "#ffffff"),
    State.NOT_STARTED: ("#9e9e9e", "#ffffff"),
}
BUSY = (State.STARTING, State.RESTARTING, State.STOPPING)

STYLE = """<style>
.llama-nb-panel{border:1px solid var(--jp-border-color2,#ddd);border-radius:6px;padding:6px 10px;margin:2px 0;
  max-width:960px;font-size:var(--jp-ui-font-size1,13px)}
.llama-nb-panel .llama-nb-badge{display:inline-flex;align-items:center;gap:6px;padding:1px 10px;border-radius:10px;
  font-weight:600;font-size:12px;line-height:20px;vertical-align:middle}
.llama-nb-panel .llama-nb-spinner{width:9px;height:9px;border:2px solid rgba(255,255,255,.35);border-top-color:#fff;
  border-radius:50%;animation:llama-nb-spin .8s linear infinite}
@keyframes llama-nb-spin{to{transform:rotate(360deg)}}
.llama-nb-panel .llama-nb-facts{display:flex;flex-wrap:wrap;gap:2px 16px}
.llama-nb-panel .llama-nb-fact b{font-weight:600;opacity:.7;margin-right:4px}
.llama-nb-panel .llama-nb-line{margin:2px 0}
.llama-nb-panel .llama-nb-uptime{margin-left:16px}
.llama-nb-panel pre{background:var(--jp-layout-color2,#f5f5f5);padding:4px 8px;border-radius:4px;margin:2px 0;
  white-space:pre-wrap;word-break:break-word;font-family:var(--jp-code-font-family,monospace);font-size:12px}
.llama-nb-panel .llama-nb-log{max-height:260px;overflow:auto}
.llama-nb-panel .llama-nb-card ol,.llama-nb-panel .llama-nb-card ul{margin:2px 0;padding-left:22px}
.llama-nb-panel .llama-nb-card p{margin:2px 0}
</style>"""


def badge_html(state: State, elapsed: float | None = None) -> str:
    """The coloured badge; its ``.llama-nb-state`` text is exactly the state name."""
    bg, fg = COLOURS.get(state, ("#9e9e9e", "#ffffff"))
    spinner = '<span class="llama-nb-spinner" title="loading"></span>' if state in BUSY else ""
    return f'<span class="llama-nb-badge" data-state="{state.value}" style="background:{bg};color:{fg}">{spinner}<span class="llama-nb-state">{state.value}</span></span>'


def fact_html(name: str, label: str, value: str) -> str:
    return f'<span class="llama-nb-fact" data-fact="{name}"><b>{label}</b>{html.escape(value)}</span>'


def line_html(kind: str, label: str, value: str, colour: str = "inherit") -> str:
    return f'<div class="llama-nb-line llama-nb-{kind}" style="color:{colour}"><b>{label}</b> {html.escape(value)}</div>'
