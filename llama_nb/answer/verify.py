"""From a proposed fix to what running it showed: candidates, the acceptance rule, the sandbox.

:func:`verify` takes the model's first fix, puts it in the cell (acceptance.fixed_cells), refuses what
is an escape (acceptance.refusal), runs the rest on a forked copy of the kernel (sandbox.run) and, while
none passed and the budget allows, asks ``more`` for another candidate, telling it what the last one did
(where that gives no new fix, ``rephrase`` asks once in another form: the whole cell).
The result says only what was run: ``passed`` (ran to its end with no error), ``failed`` (still raises,
or is not a repair, with the reason), ``blocked`` (tried an effect the sandbox forbids) or ``not_run``
(why). It never says "correct".
"""

from __future__ import annotations

import time
import types
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from . import acceptance, bindings, guards, madeup, missing, sandbox
from .facts import is_dataframe

PASSED, FAILED, BLOCKED, NOT_RUN = "passed", "failed", "blocked", "not_run"
#: Why a search for candidates ended: one passed; as many as allowed were tried; the time budget was spent;
#: no model to ask; the model's reply had no code; it repeated a fix already run (or the cell as it failed, or
#: the cell a tried fix made); the request for another failed (stalled, refused: not asked again in another form).
ENDED = ("passed", "max_candidates", "budget", "no_model", "no_code", "repeated", "request_failed")
#: How a candidate was asked: the model's answer, a retry told what the last ones did, the whole cell at a retry's dead end.
ASKED = ("first", "retry", "cell")
MARKS = {PASSED: "✓", FAILED: "✗", BLOCKED: "⊘", NOT_RUN: "—"}


@dataclass(frozen=True)
class Tried:
    """One candidate and what became of it."""

    code: str
    status: str
    detail: str
    fixed_cell: str | None = None
    output: str = ""
    #: What its error means where it raised, read on the sandbox's copy (answer/knowledge): the retry is told.
    facts: tuple[str, ...] = ()
    #: How it was asked: one of :data:`ASKED`.
    asked: str = "first"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "status": self.status, "detail": self.detail, "asked": self.asked}


@dataclass(frozen=True)
class Verification:
    status: str
    detail: str
    tried: tuple[Tried, ...] = ()
    #: The code shown as the fix (the candidate that passed, else the model's first).
    code: str | None = None
    #: The whole cell with that code in place, as it was run.
    fixed_cell: str | None = None
    output: str = ""
    notes: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    #: Why the search for candidates ended: one of :data:`ENDED` ("" when nothing ran).
    ended: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "detail": self.detail,
            "tried": [t.to_json() for t in self.tried],
            "code": self.code,
            "fixed_cell": self.fixed_cell,
            "notes": list(self.notes),
            "elapsed_s": round(self.elapsed_s, 3),
            "ended": self.ended,
        }


def not_run(reason: str, code: str | None = None) -> Verification:
    return Verification(NOT_RUN, f"not run: {reason}", code=code)


#: ``more(tried, ask)`` asks the model for another candidate after ``tried`` (``ask``: 1 for the first retry, …).
#: None: it gave no code; an exception: the request failed. ``rephrase`` has the same form: asked (once per
#: dead end) when ``more`` gave no code or no new fix (a repeat: see :func:`_next`); when it does too, the search
#: ends. A failed request is not asked again in another form (a stalled server would be waited on twice).
More = Callable[[tuple[Tried, ...], int], "str | None"]


def verify(
    first: str | None,
    cell: str | None,
    exc: BaseException | None,
    namespace: dict[str, Any],
    *,
    more: More | None = None,
    rephrase: More | None = None,
    max_candidates: int = 3,
    budget_s: float = 30.0,
    limits: sandbox.Limits = sandbox.Limits(),
    known_names: frozenset[str] = frozenset(),
    transform: Callable[[str], str] = lambda s: s,
    prepare: Callable[[], None] | None = None,
    notes: tuple[str, ...] = (),
    explain: sandbox.Explain | None = None,
) -> Verification:
    """Run ``first`` (then more candidates from ``more``, or ``rephrase`` where ``more`` gives none new) in place in
    ``cell``, which raised ``exc``, on a copy of ``namespace``.
    A candidate that still raises has its error read by ``explain`` where it raised (its :attr:`Tried.facts`)."""
    t0 = time.perf_counter()
    if not first:
        return not_run("the answer has no code block")
    if not cell or not cell.strip():
        return not_run("the cell that raised is not known", first)
    reason = sandbox.unavailable()
    if reason:
        return not_run(reason, first)
    line = acceptance.failing_line(exc, cell) if exc is not None else None
    source = _safe(transform, cell)
    span = acceptance.statement_span(source, line) if line else None
    # The calls in the cell that led to the failing line raised the error too: a repair may change them.
    chain = tuple(acceptance.statement_span(source, n) for n in acceptance.failing_chain(exc, cell)[:-1]) if exc is not None and line else ()
    tried: list[Tried] = []
    code: str | None = first

    def normal(text: str) -> str:  # a candidate as it is judged: less the data it made up
        return _safe(lambda c: madeup.without(c, source, _data_in(namespace)), text)

    def judged(text: str) -> Tried:
        # Data the candidate made up in place of the kernel's (``data = {...}``, a file that is not there) is
        # never the fix: taken out, what is run and shown is the fix on the user's own data. Where nothing of
        # the fix is left once it is out (the made-up data was all it changed), it is judged as written.
        stripped = normal(text)
        if stripped != text and not _same(stripped, cell):
            done = _try(stripped, cell, source, line, span, namespace, limits, known_names, transform, prepare, explain, chain)
            if done.detail != f"not a repair: {acceptance.UNCHANGED}":
                return done
        return _try(text, cell, source, line, span, namespace, limits, known_names, transform, prepare, explain, chain)

    ended, asked = "", "first"
    while code is not None:
        tried.append(replace(judged(code), asked=asked))
        if tried[-1].status == PASSED:
            ended = "passed"
        elif len(tried) >= max_candidates:
            ended = "max_candidates"
        elif more is None:
            ended = "no_model"
        elif time.perf_counter() - t0 > budget_s:
            ended = "budget"
        if ended or more is None:  # more is None is "no_model": said again so the type checker knows
            break
        code, dead_end = _next(more, tried, cell, normal)
        asked = "retry"
        if dead_end in ("no_code", "repeated") and rephrase is not None and time.perf_counter() - t0 <= budget_s:
            # No new fix: asked once in another form (the whole cell, greedy). Asking the same prompt again
            # with sampling was measured (fresh_e, 2026-12-07): more passing fixes computed the wrong thing.
            code, dead_end = _next(rephrase, tried, cell, normal)
            asked = "cell"
        if dead_end:
            code, ended = None, dead_end
    elapsed = time.perf_counter() - t0
    passed = next((t for t in tried if t.status == PASSED), None)
    shown = passed or tried[0]
    many = f" ({len(tried)} fixes tried)" if len(tried) > 1 else ""
    detail = shown.detail + (many if shown is not passed else "")
    if passed is not None and passed is not tried[0]:
        detail += f"; the model's first fix {tried[0].detail.removeprefix('failed: ')}, this is fix {tried.index(passed) + 1} of {len(tried)}"
    return Verification(shown.status, detail, tuple(tried), shown.code, shown.fixed_cell, shown.output, notes, elapsed, ended=ended)


def _safe(transform: Callable[[str], str], text: str) -> str:
    try:
        return transform(text)
    except Exception:
        return text


def _holder(namespace: dict[str, Any]) -> acceptance.Holds:
    """Whether the kernel's ``name`` already has the column or key ``key``: read for a dict or a pandas
    DataFrame only (exact types: a user's class could run its own code when asked)."""

    def holds(name: str, key: object) -> bool:
        value: Any = namespace.get(name)
        if type(value) is dict:
            return key in value
        if value is not None and is_dataframe(value):
            return key in value.columns
        return False

    return holds


def _data_in(namespace: dict[str, Any]) -> Callable[[str], type | None]:
    """The type of the data the kernel's ``name`` holds, ``None`` for no data: unbound, a module (a lazy one
    too) or anything callable (a function, a class). ``callable`` reads the type's slot, never a user's code."""

    def is_data(name: str) -> type | None:
        if name not in namespace:
            return None
        value = namespace[name]
        kind = type(value)
        return None if issubclass(kind, types.ModuleType) or callable(value) else kind

    return is_data


def _next(ask: More, tried: list[Tried], cell: str, normal: Callable[[str], str] = str) -> tuple[str | None, str]:
    """The next candidate from ``ask``, or why there is none: "no_code", "request_failed" (it raised), or
    "repeated" (a fix already run, as written or as the whole cell it made, or the cell as it failed; as
    written or as judged, ``normal``: less the data it made up)."""
    try:
        code = ask(tuple(tried), len(tried))
    except Exception:
        return None, "request_failed"
    if code is None:
        return None, "no_code"
    if _same(code, cell):
        return None, "repeated"
    for form in {code, normal(code)}:
        if any(_same(form, t.code) or (t.fixed_cell is not None and _same(form, t.fixed_cell)) for t in tried):
            return None, "repeated"
    return code, ""


def _same(a: str, b: str) -> bool:
    return [x.strip() for x in a.strip().splitlines()] == [x.strip() for x in b.strip().splitlines()]


def _try(
    code: str,
    cell: str,
    source: str,
    line: int | None,
    span: acceptance.Span | None,
    namespace: dict[str, Any],
    limits: sandbox.Limits,
    known: frozenset[str],
    transform: Callable[[str], str],
    prepare: Callable[[], None] | None,
    explain: sandbox.Explain | None = None,
    chain: tuple[acceptance.Span, ...] = (),
) -> Tried:
    refusals: list[str] = []
    for fixed in acceptance.fixed_cells(cell, line, code):
        fixed_source = _safe(transform, fixed)
        try:
            why = acceptance.refusal(source, fixed_source, span, known, chain, _holder(namespace), _data_in(namespace))
        except (RecursionError, MemoryError, ValueError):  # a fix nested past what ast can walk: no repair to judge
            why = "it is nested too deeply to be checked"
        if why is None and guards.names_recorder(fixed_source):
            why = f"it names `{guards.RECORDER}`, the check's own counter"
        if why:
            refusals.append(why)
            continue
        try:
            changes = missing.changed(source, fixed_source)
            guarded = guards.found(source, fixed_source, _failing_text(source, span))
            if guarded is not None and guarded.unjudged:
                refusals.append(f"it adds filters or guards the check cannot follow (more than {guards.MAX_GUARDS}, or nested too deeply)")
                continue
            outcome = sandbox.run(fixed_source, namespace, limits=limits, prepare=prepare, watch=bindings.computed_names(source), explain=explain, changes=changes, guarded=guarded)
        except Exception as exc:  # the check must never become the user's traceback
            return Tried(code, NOT_RUN, f"not run: the sandbox failed ({type(exc).__name__}: {exc})", fixed)
        return _judged(code, fixed, outcome)
    if refusals and all(acceptance.HAZARD in r for r in refusals):
        return Tried(code, BLOCKED, f"blocked before it ran: {refusals[0]}")
    return Tried(code, FAILED, f"not a repair: {refusals[0] if refusals else 'it does not fit the cell'}")


def _failing_text(source: str, span: acceptance.Span | None) -> str:
    """The failing statement's text, its lines joined (as :func:`acceptance.refusal` reads it)."""
    if span is None:
        return ""
    return " ".join(x.strip() for x in source.splitlines()[span.first - 1 : span.last])


def _judged(code: str, fixed: str, outcome: sandbox.Outcome) -> Tried:
    if outcome.status == sandbox.OK and outcome.degenerate:
        # No error, but what the cell computes came out as nothing (None, empty, all NaN): the error is
        # gone with the result, which is how an escape looks, so it is not a pass.
        left = ", ".join(f"`{d.replace(' is ', '` is ', 1)}" for d in outcome.degenerate[:3])
        return Tried(code, FAILED, f"ran with no error, but {left}", fixed, outcome.output)
    if outcome.status == sandbox.OK and outcome.introduced:
        # No error, but what the fix's lines compute holds missing values that the data they read has none
        # of: the values that raised were turned into NaN (coerced, left out of the bins, padded), not read.
        left = ", ".join(f"`{d.replace(' has ', '` has ', 1)}" for d in outcome.introduced[:3])
        return Tried(code, FAILED, f"ran with no error, but {left} that the data it is computed from does not have", fixed, outcome.output)
    if outcome.status == sandbox.OK and outcome.skipped:
        # No error, but a guard the fix put around the failing statement left out items that hold data (a line
        # the pattern did not match, a zero it divided by) or the whole statement: those items raised, not fixed.
        return Tried(code, FAILED, f"ran with no error, but {outcome.skipped[0]}", fixed, outcome.output)
    if outcome.status == sandbox.OK:
        return Tried(code, PASSED, "ran on a copy of your data: no error", fixed, outcome.output)
    if outcome.status == sandbox.BLOCKED:
        return Tried(code, BLOCKED, outcome.detail, fixed, outcome.output)
    if outcome.status == sandbox.RAISED:
        return Tried(code, FAILED, f"still raises {outcome.exception}", fixed, outcome.output, outcome.facts)
    if outcome.status == sandbox.NOT_RUN:
        return Tried(code, NOT_RUN, f"not run: {outcome.detail}", fixed)
    return Tried(code, FAILED, outcome.detail, fixed, outcome.output)  # timeout, CPU, memory, a crash


def status_line(v: Verification) -> str:
    """The one line (Markdown) shown beside the fix: only what was run, never "correct"."""
    mark = MARKS.get(v.status, "—")
    text = f"Not verified: {v.detail}" if v.status == FAILED else v.detail[:1].upper() + v.detail[1:]
    notes = "".join(f" {n}" for n in v.notes)
    return f"{mark} *{_md_escape(text)}.*{_md_escape(notes)}"


def _md_escape(text: str) -> str:
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)
