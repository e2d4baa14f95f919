"""Explain / Fix buttons under every traceback (ipywidgets).

A ``post_run_cell`` listener (it replaces nothing: ``set_custom_exc`` and ``showtraceback`` stay as
they are, so other extensions' handlers keep working) sees each cell that ended in an exception and
shows, under its traceback, a small bar: **Explain**, **Fix**, and ✕ to dismiss. The exception, its
traceback and the cell's source are captured right then, so a click acts on *that* cell's error,
whatever failed since. The answer streams into the bar's own ``Output`` area, in that cell.

Fix proposes; the user's namespace is never touched: the proposed code is first run on a forked,
sandboxed copy of the kernel (fixcheck.py), then shown with what that run showed, in a text box ready
to copy (``%llama fix --insert`` puts the passed cell into a new cell below instead).

Only where a widgets frontend can show it (a Jupyter kernel with comms); a terminal IPython gets
nothing. ``%config LlamaNB.error_buttons = False`` turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from IPython.display import display

from ..answer.knowledge import error_hints
from ..answer.values import failing_values
from .args import Command
from ..answer import pipeline
from ..answer.pipeline import Request
from .history import format_exception


class AnswerSession(Protocol):
    """What the bar needs of the kernel's session (``session.LlamaSession`` is one; the session imports
    this module, so it is named by what it does, not imported: no cycle, not even for typing)."""

    shell: Any
    config: Any
    last: Any  # the last prompt's record: ``.answer.text``
    error_buttons: "ErrorButtons"

    def prompt_in_place(self, cmd: Command, request: Request) -> None: ...


BAR_MIME_TEXT = "llama-nb: Explain / Fix buttons for this error (they need a notebook frontend with widgets)"


@dataclass(frozen=True)
class CellError:
    """One cell's exception as it was when the cell ended."""

    summary: str
    traceback_text: str
    cell: str | None
    execution_count: int | None
    values: tuple[str, ...] = ()  # the values on the failing line, as they were (answer/values.py)
    hints: tuple[str, ...] = ()  # what the error means on that line (answer/knowledge)
    #: The exception itself: its traceback says which line of the cell a fix goes to.
    exception: BaseException | None = None


def widgets_frontend(shell: Any) -> bool:
    """Whether this shell runs in a Jupyter kernel (ZMQ, with comms) that can show widgets."""
    if type(shell).__name__ != "ZMQInteractiveShell" or getattr(shell, "kernel", None) is None:
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


class ErrorButtons:
    """Shows an :class:`ErrorBar` under each traceback of one session's shell."""

    def __init__(self, session: AnswerSession) -> None:
        self.session = session
        self.shell = session.shell
        self.bars: list[ErrorBar] = []  # the bars shown (tests click them); bounded below
        self.max_tokens: int | None = None  # answer length for a click (None: the pre-flight's default)

    def register(self) -> None:
        self.shell.events.register("post_run_cell", self._post_run_cell)

    def unregister(self) -> None:
        try:
            self.shell.events.unregister("post_run_cell", self._post_run_cell)
        except ValueError:
            pass
        for bar in self.bars:
            bar.close()
        self.bars.clear()

    def _post_run_cell(self, result: Any) -> None:
        exc = getattr(result, "error_in_exec", None)
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: nothing to explain
            return
        if not getattr(self.session.config, "error_buttons", True) or not widgets_frontend(self.shell):
            return
        info = getattr(result, "info", None)
        cell = getattr(info, "raw_cell", None)
        facts_on = getattr(self.session.config, "explain_values", True)
        error = CellError(
            summary=f"{type(exc).__name__}: {exc}",
            traceback_text=format_exception(exc),
            cell=cell,
            execution_count=getattr(result, "execution_count", None),
            values=failing_values(exc, cell) if facts_on else (),
            hints=error_hints(exc, cell) if facts_on else (),
            exception=exc,
        )
        try:
            bar = ErrorBar(self.session, error)
            bar.show()
        except Exception:  # a widget problem must never add a second traceback to the cell
            return
        self.bars.append(bar)
        if len(self.bars) > 50:
            self.bars.pop(0).close()


class ErrorBar:
    """The buttons and the answer area under one traceback."""

    def __init__(self, session: AnswerSession, error: CellError) -> None:
        import ipywidgets as w

        self.session = session
        self.error = error
        self.explain = w.Button(description="Explain", icon="question-circle", tooltip="Explain this error (llama-nb)", layout=w.Layout(width="auto"))
        self.fix = w.Button(description="Fix", icon="wrench", tooltip="Propose corrected code; nothing is run (llama-nb)", layout=w.Layout(width="auto"))
        self.dismiss = w.Button(description="✕", tooltip="Dismiss", layout=w.Layout(width="auto"))
        for button in (self.explain, self.fix, self.dismiss):
            button.add_class("llama-nb-errorbar-button")
        self.output = w.Output()
        self.bar = w.HBox([self.explain, self.fix, self.dismiss])
        self.box = w.VBox([self.bar, self.output])
        self.box.add_class("llama-nb-errorbar")
        self.explain.on_click(lambda _b: self.run("explain"))
        self.fix.on_click(lambda _b: self.run("fix"))
        self.dismiss.on_click(lambda _b: self.hide())
        self.answers = 0

    def show(self) -> None:
        bundle = self.box._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data or {})
        data["text/plain"] = BAR_MIME_TEXT
        display(data, raw=True)

    def hide(self) -> None:
        self.box.layout.display = "none"

    def close(self) -> None:
        try:
            self.box.close()
            for widget in (self.bar, self.output, self.explain, self.fix, self.dismiss):
                widget.close()
        except Exception:
            pass

    def request(self, name: str) -> Request:
        """What the button asks: the same request as ``%llama explain`` / ``%llama fix`` for this error."""
        return pipeline.fix(self.error.cell or "", self.error) if name == "fix" else pipeline.explain(self.error)

    def run(self, name: str) -> None:
        """A click: stream the answer for this bar's error into its output area (a new click replaces it)."""
        buttons = (self.explain, self.fix)
        for button in buttons:
            button.disabled = True
        try:
            self.output.clear_output()
            with self.output:
                max_tokens = self.session.error_buttons.max_tokens
                self.session.prompt_in_place(Command(name, max_tokens=max_tokens), self.request(name))
                if name == "fix":
                    self._show_code()
            self.answers += 1
        finally:
            for button in buttons:
                button.disabled = False

    def _show_code(self) -> None:
        """The Fix's code, in a text box ready to copy. Never run."""
        import ipywidgets as w

        record = self.session.last
        verification = getattr(record, "verification", None)
        code = pipeline.extract_code(record.answer.text) if record is not None and record.answer is not None else None
        if verification is not None and verification.code:
            code = verification.code
        if not code:
            return
        label = "Proposed code (not run): copy it into a cell"
        if verification is not None:
            label = f"Proposed code ({verification.detail}): copy it into a cell"
        box = w.Textarea(value=code, layout=w.Layout(width="100%", height=f"{min(20, code.count(chr(10)) + 2) * 1.5}em"))
        box.add_class("llama-nb-fix-code")
        display(w.VBox([w.Label(label), box]))
