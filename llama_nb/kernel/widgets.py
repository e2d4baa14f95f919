"""The live status panel of ``%llama status``: an ipywidgets box that follows one profile by push.

The panel subscribes to its backend (:meth:`Backend.subscribe`: the embedded supervisor's subscribers,
or the server extension's ``events`` stream) and redraws on the thread that delivers the change, so
every open panel shows a change as soon as it is published. A shared one-second ticker only updates
the uptime of panels that are already displayed. Buttons run the blocking backend calls on worker
threads, so the kernel stays responsive; their failures show as cards inside the panel.

Threads: ipykernel (6 and 7) sends comm messages from any thread through its IOPub thread (the
iopub socket is a ``BackgroundSocket`` that schedules every send onto that thread), so setting
widget traits off the main thread is safe there; each panel serialises its own writes with a lock
and never calls the backend while holding it (subscribers run under the supervisor's lock).

DOM hooks for tests and styling: ``.llama-nb-panel`` (the box), ``.llama-nb-state`` (the badge text,
exactly the state name), ``[data-fact=pid|context|mode|restarts|backend|uptime]``,
``.llama-nb-card-area`` (the last error's card), ``.llama-nb-fixes`` (a button for each of its fixes
that the panel can run itself: start / restart with their context and CPU options, stop, show logs;
``.llama-nb-fix-ACTION``), ``.llama-nb-action`` (the result of a button),
``.llama-nb-log-area`` (the log tail, ``pre.llama-nb-log``) and the buttons
``.llama-nb-start|stop|restart|logs``.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as widgets  # type: ignore[import-untyped]

from ..render import magic
from ..supervisor import Action, Card, Fix, LlamaNBError, State, Status
from .magic_cards import action_error_card
from .panel_ticker import ticker as _ticker
from .status_html import BUSY, STYLE, badge_html
from .status_html import fact_html as _fact, line_html as _line
from .status_text import ctx_text, model_name, status_text, uptime_text

if TYPE_CHECKING:
    from .backends import Backend

LOG_LINES = 60

#: Fixes the panel runs itself when their button is pressed (on its own profile); the others show as lines.
RUNNABLE = (Action.START, Action.RESTART, Action.STOP, Action.LOGS)


class StatusPanel(widgets.VBox):
    """The live status of one profile, with start / stop / restart / show logs.

    ``backend`` is any :class:`~llama_nb.kernel.backends.Backend`; ``profile=None`` is its default.
    Raises what ``backend.status`` raises (a :class:`LlamaNBError` with its card) before subscribing
    anything.
    """

    def __init__(self, backend: "Backend", profile: str | None = None, *, backend_name: str | None = None, log_lines: int = LOG_LINES) -> None:
        self._backend = backend
        self._lock = threading.RLock()
        self._status: Status | None = None
        self._received = time.monotonic()
        self._busy_since: float | None = None
        self._action: str | None = None
        self._action_card: Card | None = None
        self._logs_shown = False
        self._log_lines = log_lines
        self._closed = False
        self._initial_seq: int | None = None  # events older than the first fetch are skipped
        self._profile = profile

        self.badge = widgets.HTML()
        self.badge.add_class("llama-nb-state-box")
        self.title = widgets.HTML()
        self.title.add_class("llama-nb-title-box")
        self.facts = widgets.HTML()
        self.facts.add_class("llama-nb-facts-box")
        self.uptime = widgets.HTML()
        self.uptime.add_class("llama-nb-uptime")
        self.notes = widgets.HTML()
        self.notes.add_class("llama-nb-notes")
        self.card = widgets.HTML(layout=widgets.Layout(display="none"))
        self.card.add_class("llama-nb-card-area")
        self.fixes = widgets.HBox(layout=widgets.Layout(display="none", flex_flow="row wrap"))
        self.fixes.add_class("llama-nb-fixes")
        self._fixes_of: Card | None = None
        self.buttons: dict[str, widgets.Button] = {}
        for name, label, icon, tip in (
            ("start", "start", "play", "Start the server (or wait until it is ready)"),
            ("stop", "stop", "stop", "Stop the server"),
            ("restart", "restart", "refresh", "Stop and start again"),
            ("logs", "show logs", "file-text-o", "Show the tail of the server log"),
        ):
            button = widgets.Button(description=label, icon=icon, tooltip=tip, layout=widgets.Layout(width="auto"))
            button.add_class(f"llama-nb-{name}")
            self.buttons[name] = button
        self.buttons["start"].on_click(lambda _b: self.run_action("start"))
        self.buttons["stop"].on_click(lambda _b: self.run_action("stop"))
        self.buttons["restart"].on_click(lambda _b: self.run_action("restart"))
        self.buttons["logs"].on_click(lambda _b: self.toggle_logs())
        self.action = widgets.HTML()
        self.action.add_class("llama-nb-action")
        self.logs = widgets.HTML(layout=widgets.Layout(display="none"))
        self.logs.add_class("llama-nb-log-area")

        header = widgets.HBox([self.badge, self.title], layout=widgets.Layout(align_items="center"))
        facts = widgets.HBox([self.facts, self.uptime], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        controls = widgets.HBox([*self.buttons.values(), self.action], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__([header, facts, self.notes, self.card, self.fixes, controls, self.logs])
        self.add_class("llama-nb-panel")

        self.backend_name = backend_name or "…"
        self._early: dict[str, Status] = {}  # changes that arrive before the first status is known
        self._initialized = False
        self._unsubscribe: Callable[[], None] | None = backend.subscribe(self._on_status)
        try:
            status = backend.status(profile)
            if backend_name is None:
                backend_of = getattr(backend, "backend_of", None)
                backend_name = backend_of(profile) if backend_of is not None else getattr(backend, "name", "?")
        except BaseException:
            self.close()  # no subscription, no widgets left behind
            raise
        with self._lock:
            self.backend_name = backend_name or "?"
            self._profile = status.profile
            early = self._early.pop(status.profile, None)
            self._early.clear()
            self._initialized = True
            self._initial_seq = status.seq
            self._render(early if early is not None and early.seq > status.seq else status)
        self._watch_comm_close()
        _ticker.add(self)

    # -- what it shows ------------------------------------------------------------------------------

    @property
    def profile(self) -> str:
        return self._profile or "default"

    @property
    def status(self) -> Status:
        """The status the panel shows now."""
        assert self._status is not None
        return self._status

    @property
    def state(self) -> str:
        """The state name the badge shows."""
        return self.status.state.value

    @property
    def closed(self) -> bool:
        return self._closed

    def text(self) -> str:
        """The panel as plain text (the table of ``%llama status``), with the uptime of now."""
        with self._lock:
            status, received = self.status, self._received
        if status.state.is_up and status.uptime is not None:
            status = replace(status, uptime=status.uptime + time.monotonic() - received)
        return status_text(status, self.backend_name)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle: dict[str, Any] | None = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self._status is not None:
            bundle["text/plain"] = self.text()
        return bundle

    # -- updates --------------------------------------------------------------------------------------

    def _on_status(self, status: Status) -> None:
        """Backend subscriber (any thread): redraw when the change is about this panel's profile."""
        if self._closed:
            return
        with self._lock:
            if self._closed:
                return
            if not self._initialized:
                self._early[status.profile] = status
                return
            if status.profile != self._profile:
                return
            if self._initial_seq is not None:
                if 0 < status.seq < self._initial_seq:
                    return  # the stream's opening snapshot, older than the status we fetched
                self._initial_seq = None
            self._render(status)

    def _render(self, status: Status) -> None:
        """Draw ``status`` (called with the lock held)."""
        previous = self._status
        self._status = status
        self._received = time.monotonic()
        if status.state in BUSY:
            if previous is None or previous.state != status.state:
                self._busy_since = self._received
        else:
            self._busy_since = None
        self.badge.value = badge_html(status.state)
        mode = status.mode.upper() if status.mode else ("remote" if status.remote else "—")
        title = f"llama-nb · profile <code>{html.escape(status.profile)}</code> · {html.escape(model_name(status.model))}"
        self.title.value = STYLE + f'<span class="llama-nb-title" style="margin-left:8px">{title}</span>'
        self.facts.value = (
            '<div class="llama-nb-facts">'
            + "".join(
                [
                    _fact("pid", "pid", str(status.pid) if status.pid else "—"),
                    _fact("context", "context", ctx_text(status)),
                    _fact("mode", "mode", mode),
                    _fact("restarts", "restarts", str(status.restarts)),
                    _fact("backend", "backend", self.backend_name),
                ]
            )
            + "</div>"
        )
        self._draw_uptime()
        notes = []
        if status.state == State.DEGRADED and status.degraded_reason:
            notes.append(_line("degraded", "degraded:", status.degraded_reason, "#b26a00"))
        if status.detail and (status.state in BUSY or status.state == State.FAILED):
            notes.append(_line("detail", "now:", status.detail))
        if status.last_recovery:
            notes.append(_line("recovery", "last recovery:", status.last_recovery))
        self.notes.value = "".join(notes)
        card = status.last_error if status.last_error is not None and status.state in (State.FAILED, State.RESTARTING) else None
        self.card.value = card.to_html(magic) if card is not None else ""
        self.card.layout.display = None if card is not None else "none"
        self._draw_fixes(card)
        self._draw_controls()

    def fix_buttons(self) -> list[tuple[Fix, widgets.Button]]:
        """The fixes of the shown card that the panel can run, each with its button."""
        return list(zip(self._runnable(self._fixes_of), self.fixes.children))

    def _runnable(self, card: Card | None) -> list[Fix]:
        if card is None:
            return []
        return [fix for fix in card.what_you_can_do if fix.action in RUNNABLE and fix.get("use_profile", fix.get("profile", self.profile)) == self.profile]

    def _draw_fixes(self, card: Card | None) -> None:
        """A button for each fix of ``card`` the panel can run (called with the lock held)."""
        if card == self._fixes_of:
            return
        old = list(self.fixes.children)
        self._fixes_of = card
        buttons = []
        for fix in self._runnable(card):
            button = widgets.Button(description=magic(fix) or fix.text, tooltip=fix.text, icon="wrench", layout=widgets.Layout(width="auto"))
            button.add_class("llama-nb-fix-button")
            button.add_class(f"llama-nb-fix-{fix.action.value}")
            button.on_click(lambda _b, fix=fix: self.run_fix(fix))
            buttons.append(button)
        self.fixes.children = tuple(buttons)
        self.fixes.layout.display = None if buttons else "none"
        for button in old:
            button.close()

    def run_fix(self, fix: Fix) -> threading.Thread | None:
        """Run a fix of the card (its button): start / restart with its options, stop, or show the logs."""
        if fix.action == Action.LOGS:
            return None if self._logs_shown else self.toggle_logs()
        if fix.action not in RUNNABLE:
            raise ValueError(f"the panel does not run {fix.action.value!r} fixes")
        return self.run_action(fix.action.value, ctx_size=fix.get("ctx"), cpu=True if fix.get("cpu") else None)

    def _draw_uptime(self) -> None:
        status = self._status
        if status is None:
            return
        now = time.monotonic()
        label = "uptime"
        if status.state.is_up:
            base = status.uptime if status.uptime is not None else (time.time() - status.started_at if status.started_at else None)
            value = "—" if base is None else uptime_text(base + (now - self._received))
        elif status.state in BUSY and self._busy_since is not None:
            label = f"{status.state.value} for"
            value = uptime_text(now - self._busy_since)
        else:
            value = "—"
        html_value = _fact("uptime", label, value)
        if self.uptime.value != html_value:
            self.uptime.value = html_value

    def _draw_controls(self) -> None:
        status = self._status
        busy = self._action is not None
        state = status.state if status is not None else State.NOT_STARTED
        self.buttons["start"].disabled = busy or state.is_up or state in BUSY
        self.buttons["stop"].disabled = busy or state in (State.STOPPED, State.NOT_STARTED, State.STOPPING)
        self.buttons["restart"].disabled = busy
        self.buttons["logs"].description = "hide logs" if self._logs_shown else "show logs"
        if busy:
            self.action.value = f'<span class="llama-nb-busy" style="opacity:.8">⏳ {html.escape(self._action or "")}…</span>'
        elif self._action_card is not None:
            self.action.value = self._action_card.to_html(magic)
        else:
            self.action.value = ""

    def tick(self) -> None:
        """Ticker: refresh the uptime (or the loading time) of a live panel."""
        if self._closed:
            _ticker.discard(self)
            return
        with self._lock:
            status = self._status
            if status is not None and (status.state.is_up or status.state in BUSY):
                self._draw_uptime()

    # -- buttons --------------------------------------------------------------------------------------

    def run_action(self, action: str, *, ctx_size: int | None = None, cpu: bool | None = None) -> threading.Thread | None:
        """Run ``start``, ``stop`` or ``restart`` (with a context size or CPU only, for a card's fix) on a
        worker thread; ``None`` when one is already running."""
        if action not in ("start", "stop", "restart"):
            raise ValueError(f"unknown action {action!r}")
        with self._lock:
            if self._action is not None or self._closed:
                return None
            self._action = action
            self._action_card = None
            self._draw_controls()
        thread = threading.Thread(target=self._act, args=(action, ctx_size, cpu), name=f"llama-nb-panel-{action}", daemon=True)
        thread.start()
        return thread

    def _act(self, action: str, ctx_size: int | None = None, cpu: bool | None = None) -> None:
        profile = self._profile
        card: Card | None = None
        try:
            if action == "start":  # None is each option's default in every Backend (the protocol's signature)
                status = self._backend.start(profile, ctx_size=ctx_size, cpu=cpu)
            elif action == "stop":
                status = self._backend.stop(profile)
            else:
                status = self._backend.restart(profile, ctx_size=ctx_size, cpu=cpu)
            if not status.state.is_up and action != "stop" and status.last_error is not None:
                card = status.last_error
        except LlamaNBError as exc:
            card = exc.card
        except Exception as exc:
            card = action_error_card(action, self.profile, exc)
        with self._lock:
            self._action = None
            shown = self._status.last_error if self._status is not None else None
            # The same card already shows as the profile's last error: say it once.
            same = card is not None and shown is not None and shown.kind == card.kind and shown.what_happened == card.what_happened
            self._action_card = None if (same and self.card.value) else card
            if not self._closed:
                self._draw_controls()
        if self._logs_shown and not self._closed:
            self._fetch_logs()

    @property
    def busy(self) -> bool:
        """Whether a button's action is still running."""
        return self._action is not None

    def toggle_logs(self) -> threading.Thread | None:
        """Show the tail of the server log (fetched on a worker thread), or hide it."""
        with self._lock:
            if self._logs_shown:
                self._logs_shown = False
                self.logs.layout.display = "none"
                self._draw_controls()
                return None
            self._logs_shown = True
            self.logs.value = '<pre class="llama-nb-log">(loading the log…)</pre>'
            self.logs.layout.display = None
            self._draw_controls()
        thread = threading.Thread(target=self._fetch_logs, name="llama-nb-panel-logs", daemon=True)
        thread.start()
        return thread

    def _fetch_logs(self) -> None:
        try:
            lines = self._backend.logs(self._profile, self._log_lines)
            body = "\n".join(html.escape(line) for line in lines) if lines else "(the server has written no log yet)"
            value = f'<pre class="llama-nb-log">{body}</pre>'
        except LlamaNBError as exc:
            value = exc.card.to_html(magic)
        except Exception as exc:
            value = action_error_card("logs", self.profile, exc).to_html(magic)
        with self._lock:
            if self._logs_shown and not self._closed:
                self.logs.value = value

    # -- lifetime -------------------------------------------------------------------------------------

    def _watch_comm_close(self) -> None:
        """A frontend that closes the widget's comm also ends the subscription."""
        comm = getattr(self, "comm", None)
        on_close = getattr(comm, "on_close", None)
        if on_close is not None:
            try:
                on_close(lambda _msg: self._release())
            except Exception:
                pass

    def _drop_subscription(self) -> None:
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            try:
                unsubscribe()
            except Exception:
                pass

    def _release(self) -> None:
        self._closed = True
        self._drop_subscription()
        _ticker.discard(self)

    @property
    def subscribed(self) -> bool:
        return self._unsubscribe is not None

    def close(self) -> None:
        """Unsubscribe, stop ticking, and close every widget of the panel (its views disappear)."""
        self._release()
        with self._lock:
            children = [self.badge, self.title, self.facts, self.uptime, self.notes, self.card, self.action, self.logs, *self.fixes.children, self.fixes, *self.buttons.values(), *self.children]
            super().close()
            for child in children:
                child.close()
