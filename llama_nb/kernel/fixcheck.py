"""The kernel's side of a fix that is run before it is shown (llama_nb/answer/verify.py does the work).

It knows what the sandbox runs on (this shell's namespace, IPython's cell transforms, a display that
never reaches ZMQ in the child), how further candidates are asked of the model, and how the answer is
shown afterwards: the code that ran, the line saying what running it showed, what it printed (collapsed).
"""

from __future__ import annotations

import html
from typing import Any, Callable, Protocol

from markdown_it import MarkdownIt

from ..answer import sandbox
from ..answer.verify import PASSED, Tried, Verification, not_run, status_line, verify
from . import prompts
from ..errors import LlamaNBError
from .client import Answer, Message
from .display import StreamView, extract_code, show_note

#: The commands whose code is offered as a fix for an error.
CHECKED = ("explain", "fix")


class ErrorLike(Protocol):
    @property
    def cell(self) -> str | None: ...
    @property
    def traceback_text(self) -> str: ...
    @property
    def execution_count(self) -> int | None: ...


Complete = Callable[..., Answer]


def exception_of(error: Any) -> BaseException | None:
    exc = getattr(error, "exception", None)
    return exc if isinstance(exc, BaseException) else None


def check(shell: Any, config: Any, answer_text: str, error: ErrorLike, complete: Complete | None,
          progress: Callable[[str], None] = lambda note: None,
          last_finished: tuple[int, str] | None = None) -> Verification:
    """Verify the first code block of ``answer_text`` as a fix of ``error``'s cell."""
    code = extract_code(answer_text)
    if not getattr(config, "verify_fixes", True):
        return not_run("verify_fixes is off (%config LlamaNB.verify_fixes = True turns it on)", code)
    if code is None:
        return not_run("the answer has no code block")
    cell = error.cell
    exc = exception_of(error)
    facts = prompts.error_facts(error.traceback_text)
    max_candidates = max(1, int(getattr(config, "verify_candidates", 3) or 1))
    wall = float(getattr(config, "verify_timeout", 10.0) or 10.0)
    limits = sandbox.Limits(wall_s=wall, cpu_s=max(1, int(wall)))

    def more(tried: tuple[Tried, ...]) -> str | None:
        if complete is None or not cell:
            return None
        progress(f"⏳ fix {len(tried)} {tried[-1].detail}; asking for another ({len(tried) + 1} of at most {max_candidates})…")
        messages = prompts.retry_fix(cell, facts.code, facts.exception, [(t.code, t.detail) for t in tried])
        options: dict[str, Any] = {"temperature": 0.0 if len(tried) == 1 else 0.7, "extra": {"seed": prompts.SEED + len(tried)}}
        reply = complete(messages, max_tokens=160, **options)
        return extract_code(reply.text)

    progress("⏳ running the fix on a copy of your data…")
    return verify(code, cell, exc, shell.user_ns, more=more, max_candidates=max_candidates,
                  budget_s=float(getattr(config, "verify_budget", 30.0) or 30.0), limits=limits,
                  known_names=frozenset(k for k in shell.user_ns if not k.startswith("_")),
                  transform=getattr(shell, "transform_cell", lambda s: s), prepare=_quiet_display(shell),
                  notes=_stale(last_finished, error))


def _stale(last_finished: tuple[int, str] | None, error: ErrorLike) -> tuple[str, ...]:
    """A note when cells of the user's ran after the error (``last_finished``: history.py's last user cell)."""
    count = error.execution_count
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


def cause_messages(error: ErrorLike, v: Verification) -> list[Message] | None:
    """When a later candidate passed, ask the cause again in view of that change (cause and fix agree)."""
    if v.status != PASSED or not v.tried or v.tried[0].status == PASSED or not error.cell or not v.code:
        return None
    facts = prompts.error_facts(error.traceback_text)
    return prompts.cause_of_fix(error.cell, facts.exception, facts.code or v.tried[0].code, v.code)


def annotate(text: str, v: Verification, cause: str | None = None) -> str:
    """The answer as shown: the checked code in its first code block, the status line under it, and (when
    asked again in view of the fix) the new cause in place of the old one."""
    lines = text.splitlines()
    fences = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "fence" and t.map]
    python = [t for t in fences if t.info.strip().lower() in ("python", "py", "python3", "ipython")]
    status = status_line(v)
    if not fences:
        return text if v.code is None else f"{text.rstrip()}\n\n{status}"
    fence = (python or fences)[0]
    start, end = fence.map  # type: ignore[misc]
    code = v.code or fence.content.rstrip("\n")
    ticks = "````" if "```" in code else "```"
    block = [f"{ticks}python", *code.splitlines(), ticks]  # closed even where the answer was cut inside it
    head = lines[:start]
    if cause:
        fix_at = next((i for i, ln in enumerate(head) if ln.lstrip().startswith("**Fix:**")), None)
        if fix_at is not None:
            head = [cause.strip(), ""] + head[fix_at:]
    return "\n".join(head + block + ["", status, ""] + lines[end:]).rstrip() + "\n"


def output_html(v: Verification) -> str:
    """What the checked fix printed, collapsed (our HTML; the text is escaped)."""
    if not v.output.strip():
        return ""
    return ('<details class="llama-nb-fix-output"><summary>What the fix printed on the copy</summary>'
            f"<pre>{html.escape(v.output[:4000])}</pre></details>")


def show_checked(shell: Any, config: Any, command: str, error: ErrorLike, answer: Answer, view: StreamView,
                 complete: Complete, last_finished: tuple[int, str] | None) -> Verification:
    """Check the streamed answer's fix, then show the answer once with what the check showed."""
    try:
        verification = check(shell, config, answer.text, error, complete, view.progress, last_finished)
        again = cause_messages(error, verification) if command == "explain" else None
        cause = complete(again, max_tokens=90, temperature=0.0).text if again else None
    except (KeyboardInterrupt, LlamaNBError):
        view.finish(done=True, finish_reason=answer.finish_reason)  # the answer so far stays
        raise
    view.text = annotate(answer.text, verification, cause)
    view.extra_html = output_html(verification)
    view.meta["verification"] = verification.to_json()
    view.finish(done=True, finish_reason=answer.finish_reason)
    return verification


def insert(shell: Any, answer_text: str, verification: Verification | None) -> None:
    """``%llama fix --insert``: the fixed cell that passed goes into a new cell below (or the note says why not)."""
    if verification is not None and verification.status == PASSED and verification.fixed_cell:
        shell.set_next_input(verification.fixed_cell, replace=False)
        show_note("↓ The fixed cell is in a new cell below. It ran on a copy of your data with no error; "
                  "your variables were not touched: run it to apply it.", "inserted")
        return
    if verification is not None and verification.status != "not_run":
        show_note(f"Nothing was inserted: the fix {verification.detail}.", "info")
        return
    code = extract_code(answer_text)
    if not code:
        show_note("No code block in the answer to insert; nothing was added.", "info")
        return
    shell.set_next_input(code, replace=False)
    why = f" ({verification.detail})" if verification is not None else ""
    show_note(f"↓ The proposed code is in a new cell below. It has not been run{why}.", "inserted")
