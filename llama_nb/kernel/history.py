"""What ``%llama explain`` with no body talks about: the last exception and its cell, or the previous cell.

A ``post_run_cell`` listener remembers the cell of every error (it replaces nothing: other
extensions' exception handlers and ``showtraceback`` stay as they are). Errors raised before the
extension was loaded are still found through ``sys.last_value``.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from ..answer.knowledge import error_hints
from ..answer.values import failing_values

_IPYTHON_INTERNALS = ("IPython/core/interactiveshell.py", "IPython\\core\\interactiveshell.py")


@dataclass(frozen=True)
class LastError:
    """An exception raised by a cell, with that cell's source and number (when known)."""

    exception: BaseException
    cell: str | None
    execution_count: int | None
    #: ``name: description`` of the values on the failing line, taken when the cell failed (answer/values.py).
    values: tuple[str, ...] = ()
    #: What the error means on that line (answer/knowledge), taken at the same time.
    hints: tuple[str, ...] = ()

    @property
    def traceback_text(self) -> str:
        return format_exception(self.exception)

    @property
    def summary(self) -> str:
        return f"{type(self.exception).__name__}: {self.exception}"


def format_exception(exc: BaseException) -> str:
    """Plain-text traceback of ``exc`` without IPython's own frames."""
    te = traceback.TracebackException.from_exception(exc)
    frames = list(te.stack)
    while frames and frames[0].filename.endswith(_IPYTHON_INTERNALS):
        frames.pop(0)
    te.stack = traceback.StackSummary.from_list(frames)
    return "".join(te.format()).rstrip("\n")


class CellHistory:
    """Follows a shell's cells; knows the last error and the cells before the current one."""

    def __init__(self, shell: Any, values_enabled: Callable[[], bool] = lambda: True) -> None:
        self.shell = shell
        self.values_enabled = values_enabled
        self.last_error: LastError | None = None
        self.last_finished: tuple[int, str] | None = None

    def register(self) -> None:
        self.shell.events.register("post_run_cell", self._post_run_cell)

    def unregister(self) -> None:
        try:
            self.shell.events.unregister("post_run_cell", self._post_run_cell)
        except ValueError:
            pass

    def _post_run_cell(self, result: Any) -> None:
        info = getattr(result, "info", None)
        source = getattr(info, "raw_cell", None)
        count = getattr(result, "execution_count", None)
        if source and source.strip() and count is not None and not source.lstrip().startswith(("%llama", "%%llama")):
            self.last_finished = (count, source)  # the user's code, not a previous %llama prompt
        exc = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec", None)
        if exc is None or not isinstance(exc, BaseException):
            return
        info = getattr(result, "info", None)
        cell = getattr(info, "raw_cell", None)
        count = getattr(result, "execution_count", None)
        self.last_error = self._error(exc, cell, count)

    def _error(self, exc: BaseException, cell: str | None, count: int | None) -> LastError:
        if not self._values_on():
            return LastError(exc, cell, count)
        return LastError(exc, cell, count, failing_values(exc, cell), error_hints(exc, cell))

    def _values_on(self) -> bool:
        try:
            return bool(self.values_enabled())
        except Exception:
            return False

    def most_recent_error(self) -> LastError | None:
        """The last exception of this kernel: remembered here, else ``sys.last_value`` (set by IPython)."""
        if self.last_error is not None:
            # A newer error seen by IPython (e.g. raised while this listener was not registered) wins.
            newest = getattr(sys, "last_value", None)
            if newest is None or newest is self.last_error.exception:
                return self.last_error
            return self._error(newest, None, None)
        newest = getattr(sys, "last_value", None)
        if isinstance(newest, BaseException):
            return self._error(newest, None, None)
        return None

    def previous_cell(self) -> tuple[int, str] | None:
        """The last non-empty cell before the one running now, with its number.

        The last cell that *finished* is that cell, whatever the IPython version does with
        ``execution_count`` and ``In`` while a cell runs (8 and 9 differ); ``In`` covers cells
        run before the extension was loaded.
        """
        if self.last_finished is not None:
            return self.last_finished
        inputs = self.shell.user_ns.get("In") or []
        current = getattr(self.shell, "execution_count", len(inputs))
        for number in range(min(current, len(inputs)) - 1, 0, -1):
            source = inputs[number]
            if source and source.strip():
                return number, source
        return None
