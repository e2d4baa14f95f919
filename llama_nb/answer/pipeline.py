"""One path from a request to the answer shown: ``%llama explain``, ``%llama fix``, the Explain and Fix
buttons and the warm-up all go through it, so the same error always gets the same prompt.

1. :func:`explain`, :func:`explain_code`, :func:`fix`, :func:`ask`: the :class:`Request` for a command
   (prompts.py, with the error's values and hints as the kernel captured them).
2. :func:`generation`: how it is generated (greedy, the command's token budget within the room left, the
   Cause→Fix follow-up where the server continues a reply: followup.py).
3. :func:`check`: the fix in the answer run on a copy of the kernel's state (verify.py), with further
   candidates asked of the model while none passes.
4. :func:`cause_request`: when a fix passed, the cause asked again with that fix in view, so they agree.
5. :func:`shown`, :func:`output_html`: the answer as shown, the checked code with its status line.

It knows nothing of the kernel: the caller gives the namespace (:class:`KernelState`), the model
(``complete``) and where progress goes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import prompts, sandbox
from .knowledge import error_hints
from .prompts import CapturedError
from .reply import Answer, Message
from .values import failing_values
from .verify import PASSED, Tried, Verification, not_run, status_line, verify

#: The commands whose code is offered as a fix for an error, and so is run before it is shown.
CHECKED = ("explain", "fix")
#: Tokens for a cause asked again in view of the fix, and for each further candidate fix.
CAUSE_TOKENS = 90
CANDIDATE_TOKENS = 160
#: Tokens for the whole cell written again (a dead end's second form): the cell's length with room, bounded.
REWRITE_TOKENS = 400
_PYTHON = ("python", "py", "python3", "ipython")


@dataclass(frozen=True)
class Request:
    """What one command sends; with ``error``, the fix it gets is run before it is shown."""

    command: str
    messages: list[Message]
    error: Any = None

    @property
    def checked(self) -> bool:
        return self.error is not None and self.command in CHECKED


def explain(error: CapturedError) -> Request:
    """Explain a captured error (``%llama explain``, the Explain button, and the warm-up's prompt)."""
    return Request("explain", prompts.explain_captured(error), error)


def explain_code(code: str) -> Request:
    return Request("explain", prompts.explain_code(code))


def fix(code: str | None, error: CapturedError | None = None) -> Request:
    """A fix for ``code``; the error counts only when the caller has established it is this code's."""
    if error is None:
        return Request("fix", prompts.fix(code, None))
    return Request("fix", prompts.fix(code, error.traceback_text, error.hints), error)


def ask(text: str) -> Request:
    return Request("ask", prompts.ask(text))


@dataclass(frozen=True)
class Generation:
    max_tokens: int
    temperature: float
    seed: int
    #: Whether an answer that stops after its Cause is continued from ``**Fix:**`` (followup.py).
    follow_up: bool


def generation(request: Request, room: int, max_tokens: int | None = None, temperature: float | None = None, remote: bool = False) -> Generation:
    """Greedy and seeded unless asked otherwise; as long as the command needs (prompts.MAX_TOKENS) within
    ``room``, the tokens the context has left. A remote endpoint may not continue a reply: no follow-up."""
    tokens = room if max_tokens else min(room, prompts.MAX_TOKENS.get(request.command, room))
    return Generation(tokens, prompts.TEMPERATURE if temperature is None else temperature, prompts.SEED, not remote and prompts.asks_cause_and_fix(request.messages))


@dataclass(frozen=True)
class KernelState:
    """What a fix runs against: the kernel's namespace (forked, never changed), the kernel's cell
    transform, what the child does before its policy (``prepare``), and notes on how current it is."""

    namespace: dict[str, Any]
    transform: Callable[[str], str] = lambda s: s
    prepare: Callable[[], None] | None = None
    notes: tuple[str, ...] = ()


#: ``complete(messages, max_tokens=..., temperature=..., extra=...)``: the model's whole answer.
Complete = Callable[..., Answer]


def exception_of(error: Any) -> BaseException | None:
    exc = getattr(error, "exception", None)
    return exc if isinstance(exc, BaseException) else None


def check(
    answer_text: str,
    error: CapturedError,
    state: KernelState,
    settings: Any,
    complete: Complete | None,
    progress: Callable[[str], None] = lambda note: None,
    continues: bool = False,
) -> Verification:
    """Verify the first code block of ``answer_text`` as a fix of ``error``'s cell. ``settings`` has the
    ``verify_*`` options of LlamaNB; ``continues``: the server continues a final assistant message (a local
    llama-server), so the whole cell, when asked for, is asked as code from its first token."""
    code = extract_code(answer_text)
    if not getattr(settings, "verify_fixes", True):
        return not_run("verify_fixes is off (%config LlamaNB.verify_fixes = True turns it on)", code)
    if code is None:
        return not_run("the answer has no code block")
    cell = error.cell
    facts = prompts.error_facts(error.traceback_text)
    max_candidates = max(1, int(getattr(settings, "verify_candidates", 3) or 1))
    wall = float(getattr(settings, "verify_timeout", 10.0) or 10.0)

    def more(tried: tuple[Tried, ...], ask: int) -> str | None:
        if complete is None or not cell:
            return None
        progress(f"⏳ fix {len(tried)} {tried[-1].detail}; asking for another ({len(tried) + 1} of at most {max_candidates})…")
        messages = prompts.retry_fix(cell, facts.code, facts.exception, [(t.code, t.detail, t.facts) for t in tried], (*error.hints, *error.values))
        # The first retry is greedy, the next one sampled (its own seed).
        options: dict[str, Any] = {"temperature": 0.0 if ask == 1 else 0.7, "extra": {"seed": prompts.SEED + ask}}
        return extract_code(complete(messages, max_tokens=CANDIDATE_TOKENS, until=code_complete, **options).text)

    def rephrase(tried: tuple[Tried, ...], _ask: int) -> str | None:
        # A cell longer than the tokens allowed is not asked for whole: a cut cell would be run as a fix.
        if complete is None or not cell or len(cell) // 3 > REWRITE_TOKENS - 64:
            return None
        progress(f"⏳ fix {len(tried)} {tried[-1].detail}; no new fix came: asking for the whole cell, corrected…")
        messages = prompts.rewrite_cell(cell, facts.code, facts.exception, [(t.code, t.detail, t.facts) for t in tried], (*error.hints, *error.values))
        tokens = min(REWRITE_TOKENS, 64 + len(cell) // 2)
        if continues:
            messages = [*messages, {"role": "assistant", "content": prompts.CODE_PREFILL}]
        ends: dict[str, Any] = {"extra": {"seed": prompts.SEED, "stop": ["```"]}} if continues else {"extra": {"seed": prompts.SEED}, "until": code_complete}
        reply = complete(messages, max_tokens=tokens, temperature=0.0, **ends)
        if reply.finish_reason == "length":  # cut before the cell's end: not the whole cell
            return None
        return prefilled_code(reply.text) if continues else extract_code(reply.text)

    progress("⏳ running the fix on a copy of your data…")
    return verify(
        code,
        cell,
        exception_of(error),
        state.namespace,
        more=more,
        rephrase=rephrase,
        max_candidates=max_candidates,
        budget_s=float(getattr(settings, "verify_budget", 30.0) or 30.0),
        limits=sandbox.Limits(wall_s=wall, cpu_s=max(1, int(wall))),
        known_names=frozenset(k for k in state.namespace if not k.startswith("_")),
        transform=state.transform,
        prepare=state.prepare,
        notes=state.notes,
        explain=failure_facts,
    )


def prefilled_code(reply: str) -> str | None:
    """The code of a reply that continued :data:`prompts.CODE_PREFILL` (llama-server may send the prefill
    back first), up to its closing fence; ``None`` when there is none."""
    text = reply.removeprefix(prompts.CODE_PREFILL)
    code = text.split("```", 1)[0].strip("\n")
    return code if code.strip() else None


def failure_facts(exc: BaseException, cell: str) -> tuple[str, ...]:
    """What a candidate's own error means where it raised, as the first prompt says it of the user's error:
    the hints when a rule knows it, else the values at the failing line. Called in the sandbox's child."""
    return error_hints(exc, cell) or failing_values(exc, cell)


def cause_request(request: Request, answer_text: str, v: Verification) -> list[Message] | None:
    """When a fix passed, the cause asked again with that fix in view (a small model explains a known
    change better than it diagnoses), so the cause shown and the fix shown agree.

    The model's own first fix: the explain conversation goes on (its prompt and answer are in the
    server's cache, so only the question is new). A later candidate: the short prompt of that change."""
    error = request.error
    if request.command != "explain" or v.status != PASSED or not v.tried or not v.code or error is None or not error.cell:
        return None
    if v.tried[0].status == PASSED:
        return prompts.cause_after_fix(request.messages, answer_text, v.code)
    facts = prompts.error_facts(error.traceback_text)
    return prompts.cause_of_fix(error.cell, facts.exception, facts.code or v.tried[0].code, v.code)


#: Where the first paragraph of a reply to :func:`cause_request` ends (besides a blank line).
_CAUSE_ENDS = ("```", "~~~", "**Fix")


def cause_from(reply: str) -> str | None:
    """The cause in a reply to :func:`cause_request`: its first paragraph, never code; ``None`` when the
    reply has no sentence to show (the cause first given then stays)."""
    lines: list[str] = []
    for line in reply.strip().splitlines():
        if not line.strip() or line.lstrip().startswith(_CAUSE_ENDS):
            break
        lines.append(line.rstrip())
    text = " ".join(lines).strip()
    if len(text.removeprefix("**Cause:**").strip()) < 8:
        return None
    return text if text.startswith("**Cause:**") else f"**Cause:** {text}"


def cause_complete(text: str) -> bool:
    """Whether ``text`` already holds all :func:`cause_from` takes of any reply it begins: a complete line
    that ends the first paragraph has come. The cause is asked only for that (``until`` of the request)."""
    for part in text.lstrip().splitlines(keepends=True):
        line = part.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if line.lstrip().startswith(_CAUSE_ENDS):  # its start has come, even on a line still arriving
            return True
        if line == part:  # the last line, still arriving
            return False
        if not line.strip():
            return True
    return False


def code_complete(text: str) -> bool:
    """Whether ``text`` already holds all :func:`extract_code` takes of any reply it begins: its first Python
    code block is closed. A further candidate is asked only for that (``until`` of the request), so the
    sentence after its code is not waited for."""
    if text.count("```") + text.count("~~~") < 2:
        return False
    done = text[: text.rfind("\n") + 1]  # the complete lines
    fence = _python_fence(done)
    # Closed when a line more does not join it: any line joins a fence still open, where it is not inside a
    # quote or a list (where a line without their marker would end it); a fence in one is read to the end.
    return fence is not None and fence.level == 0 and (after := _python_fence(done + "x\n")) is not None and after.content == fence.content


def _fences(text: str) -> list[Token]:
    return [t for t in MarkdownIt("commonmark").parse(text) if t.type == "fence"]


def _is_python(fence: Token) -> bool:
    return fence.info.strip().lower() in _PYTHON


def _python_fence(text: str) -> Token | None:
    return next((t for t in _fences(text) if _is_python(t)), None)


def _fence(text: str) -> Token | None:
    """The answer's first fenced block, a Python one first."""
    fences = _fences(text)
    return next((t for t in fences if _is_python(t)), fences[0] if fences else None)


def extract_code(answer: str) -> str | None:
    """The first fenced code block of an answer (a Python one first), as the Fix proposes it."""
    fence = _fence(answer)
    return (fence.content.rstrip("\n") or None) if fence is not None else None


def shown(text: str, v: Verification, cause: str | None = None) -> str:
    """The answer as shown: the checked code in its first code block, the status line under it, and (when
    asked again in view of the fix) the new cause in place of the old one."""
    lines = text.splitlines()
    fence = _fence(text)
    status = status_line(v)
    if fence is None or not fence.map:
        return text if v.code is None else f"{text.rstrip()}\n\n{status}"
    start, end = fence.map
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
    return f'<details class="llama-nb-fix-output"><summary>What the fix printed on the copy</summary><pre>{html.escape(v.output[:4000])}</pre></details>'
