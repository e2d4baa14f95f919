"""The kernel's side of a fix that is run before it is shown (llama_nb/answer/pipeline.py does the work).

It knows what the sandbox runs on (this shell's namespace, IPython's cell transforms, a display that
never reaches ZMQ in the child, whether cells ran since the error), how the checked answer replaces the
streamed one in its output, and ``%llama fix --insert``.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ..answer import pipeline
from ..answer.pipeline import KernelState, Request
from ..answer.verify import PASSED, Verification
from ..errors import LlamaNBError
from .client import Answer
from .display import StreamView, show_note


def state(shell: Any, error: Any, last_finished: tuple[int, str] | None) -> KernelState:
    """This shell's namespace as the fix will see it (``last_finished``: history.py's last user cell)."""
    return KernelState(shell.user_ns, getattr(shell, "transform_cell", lambda s: s), _quiet_display(shell), _stale(last_finished, error))


def _stale(last_finished: tuple[int, str] | None, error: Any) -> tuple[str, ...]:
    """A note when cells of the user's ran after the error."""
    count = getattr(error, "execution_count", None)
    if isinstance(count, int) and last_finished is not None and last_finished[0] > count:
        return ("(cells ran since the error: it was checked against the variables as they are now)",)
    return ()


def _quiet_display(shell: Any) -> Callable[[], None]:
    """In the child only: displays print their text to the child's pipe instead of going to ZMQ."""

    def prepare() -> None:
        pub = getattr(shell, "display_pub", None)
        if pub is None:
            return

        def publish(data: Any = None, metadata: Any = None, **_: Any) -> None:
            text = (data or {}).get("text/plain") if isinstance(data, dict) else None
            if text:
                print(text)

        pub.publish = publish
        pub.clear_output = lambda *a, **k: None

    return prepare


def show_checked(
    shell: Any,
    config: Any,
    request: Request,
    answer: Answer,
    view: StreamView,
    complete: pipeline.Complete,
    last_finished: tuple[int, str] | None,
    continues: bool = False,
) -> Verification:
    """Check the streamed answer's fix, then show the answer once with what the check showed (``continues``:
    the server continues a final assistant message, see :func:`pipeline.check`)."""
    try:
        verification = pipeline.check(answer.text, request.error, state(shell, request.error, last_finished), config, complete, view.progress, continues)
    except (KeyboardInterrupt, LlamaNBError):
        view.finish(done=True, finish_reason=answer.finish_reason)  # the answer so far stays
        raise
    view.extra_html = pipeline.output_html(verification)
    view.meta["verification"] = verification.to_json()
    again = pipeline.cause_request(request, answer.text, verification)
    cause, interrupted = None, False
    if again:
        # The checked fix is shown now, its cause asked again while the user reads it.
        view.interim(pipeline.shown(answer.text, verification), "⏳ the fix ran with no error; explaining the cause in view of it…")
        view.checked_at = time.perf_counter()
        try:
            cause = pipeline.cause_from(complete(again, max_tokens=pipeline.CAUSE_TOKENS, temperature=0.0, until=pipeline.cause_complete).text)
        except LlamaNBError:
            cause = None  # the cause first given stays: the checked fix is shown all the same
        except KeyboardInterrupt:
            interrupted = True
    view.text = pipeline.shown(answer.text, verification, cause)
    view.finish(done=True, finish_reason=answer.finish_reason)
    view.checked_at = view.checked_at or time.perf_counter()
    if interrupted:  # after the checked answer is shown: the interrupt still ends the command
        raise KeyboardInterrupt
    return verification


def insert(shell: Any, answer_text: str, verification: Verification | None) -> None:
    """``%llama fix --insert``: the fixed cell that passed goes into a new cell below (or the note says why not)."""
    if verification is not None and verification.status == PASSED and verification.fixed_cell:
        shell.set_next_input(verification.fixed_cell, replace=False)
        show_note("↓ The fixed cell is in a new cell below. It ran on a copy of your data with no error; your variables were not touched: run it to apply it.", "inserted")
        return
    if verification is not None and verification.status != "not_run":
        show_note(f"Nothing was inserted: the fix {verification.detail}.", "info")
        return
    code = pipeline.extract_code(answer_text)
    if not code:
        show_note("No code block in the answer to insert; nothing was added.", "info")
        return
    shell.set_next_input(code, replace=False)
    why = f" ({verification.detail})" if verification is not None else ""
    show_note(f"↓ The proposed code is in a new cell below. It has not been run{why}.", "inserted")
