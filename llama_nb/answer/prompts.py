"""Prompt templates for ``explain``, ``ask`` and ``fix``.

Short and direct, so that even a 135M-parameter model answers on topic: one system line, then the
material in fenced blocks, then a single instruction. User text is inserted as a value, never used
as a format string, so braces and ``$`` in code pass through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .reply import Message

SYSTEM = "You are a helpful Python expert. Answer clearly and briefly, in Markdown."

#: Long tracebacks and cells are trimmed to their most telling part so the prompt fits a small context.
MAX_TRACEBACK_LINES = 30
MAX_CELL_LINES = 60


def _fence(text: str, lang: str = "") -> str:
    body = text.strip("\n")
    ticks = "````" if "```" in body else "```"
    return f"{ticks}{lang}\n{body}\n{ticks}"


def _tail(text: str, limit: int) -> str:
    lines = text.strip("\n").splitlines()
    if len(lines) <= limit:
        return "\n".join(lines)
    return "\n".join(["...", *lines[-limit:]])


def _head(text: str, limit: int) -> str:
    lines = text.strip("\n").splitlines()
    if len(lines) <= limit:
        return "\n".join(lines)
    return "\n".join([*lines[:limit], "..."])


def _messages(user: str, system: str = SYSTEM) -> list[Message]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def explain_code(code: str) -> list[Message]:
    """Explain what the code (or text) in a cell does."""
    return _messages(f"Explain what this code does, step by step:\n\n{_fence(code, 'python')}")


#: Generation defaults for a small coder model: greedy (temperature 0) and a fixed seed, so an answer
#: is reproducible and measured (bench/quality.py); answers short enough for ~10 s on two CPU cores.
TEMPERATURE = 0.0
SEED = 42
MAX_TOKENS = {"explain": 200, "fix": 320}
#: Frames of the traceback shown besides the failing line of the cell (library internals are noise).
LAST_FRAMES = 3

_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')
_CHAINED = ("During handling of the above exception, another exception occurred:", "The above exception was the direct cause of the following exception:")
_CELL_FILE = re.compile(r"ipykernel_|ipython-input|^<cell|^<string>|^Cell In")


@dataclass(frozen=True)
class ErrorFacts:
    """What a small model needs from a traceback: the exception line, the failing line of the cell
    (number and code), and the last few frames."""

    exception: str
    cell_line: int | None = None
    code: str | None = None
    frames: tuple[str, ...] = ()


def error_facts(traceback: str) -> ErrorFacts:
    """Read a formatted Python traceback: the last exception of a chain, its frames, and the deepest
    frame that is in the user's cell."""
    text = traceback.strip("\n")
    for marker in _CHAINED:
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    lines = text.splitlines()
    frames: list[tuple[str, int, str, str | None]] = []
    i, last_frame_end = 0, 0
    while i < len(lines):
        m = _FRAME.match(lines[i])
        if m:
            code = None
            j = i + 1
            if j < len(lines) and lines[j].startswith("    ") and not _FRAME.match(lines[j]):
                code = lines[j].strip()
                j += 1
                while j < len(lines) and lines[j].strip() and set(lines[j].strip()) <= set("^~ "):
                    j += 1  # carets under the failing expression
            frames.append((m["file"], int(m["line"]), m["func"], code))
            last_frame_end = j
            i = j
            continue
        i += 1
    tail = [ln for ln in lines[last_frame_end:] if ln.strip()] if frames else [ln for ln in lines if ln.strip()][-1:]
    exception = "\n".join(tail).strip() or (lines[-1].strip() if lines else "")
    cell_frames = [f for f in frames if _CELL_FILE.search(f[0])]
    cell_line, code = (cell_frames[-1][1], cell_frames[-1][3]) if cell_frames else (None, None)
    shown = [f"{Path(f[0]).name if not _CELL_FILE.search(f[0]) else 'cell'}, line {f[1]}, in {f[2]}" + (f": {f[3]}" if f[3] else "") for f in frames[-LAST_FRAMES:]]
    return ErrorFacts(exception, cell_line, code, tuple(shown))


EXPLAIN_SYSTEM = (
    "You are a Python expert who helps data scientists fix errors. Be concrete and brief. First name the exact key, variable, column, index, value or type from the error, then give the fixed code."
)

EXPLAIN_FORMAT = (
    "Answer in exactly this form:\n"
    "**Cause:** one sentence that names the exact thing from the error (the key, name, index, value or type) "
    "and why it is wrong here.\n"
    "**Fix:** one short sentence saying what to change, then only the corrected line(s) in a ```python block. "
    "The corrected code must be different from the code that failed."
)

#: Two worked examples (not among the benchmark's cases): a small model copies their form faithfully.
_EXAMPLES = (
    (
        "My code:\n```python\nimport numpy as np\nx = np.array([1, 2, 3])\nprint(x.mean(axis=1))\n```\n\n"
        "It fails on line 3: `print(x.mean(axis=1))`\n\n"
        "Error:\n```\nnumpy.exceptions.AxisError: axis 1 is out of bounds for array of dimension 1\n```\n\n"
        "What the error means here:\n- `x` has one dimension, so the only axis is 0.\n"
        "- A corrected line: `print(x.mean(axis=0))`",
        "**Cause:** `x` is a 1-dimensional array, so it has only axis 0; `axis=1` does not exist.\n\n**Fix:** use axis 0:\n```python\nprint(x.mean(axis=0))\n```",
    ),
    (
        "My code:\n```python\nfor i in range(3):\n    total = total + i\n```\n\n"
        "It fails on line 2: `total = total + i`\n\n"
        "Error:\n```\nNameError: name 'total' is not defined\n```\n\n"
        "What the error means here:\n- `total` is read before any value was given to it; start it at 0 before the loop.",
        "**Cause:** the name `total` is used before it has a value.\n\n**Fix:** set `total` to 0 before the loop:\n```python\ntotal = 0\nfor i in range(3):\n    total = total + i\n```",
    ),
)


def asks_cause_and_fix(messages: list[Message]) -> bool:
    """Whether ``messages`` ask for the **Cause:** / **Fix:** form (:func:`explain_error`)."""
    return bool(messages) and messages[0].get("role") == "system" and EXPLAIN_FORMAT in messages[0].get("content", "")


def error_question(traceback: str, cell: str | None, values: tuple[str, ...] | list[str] = (), hints: tuple[str, ...] | list[str] = ()) -> str:
    """The user message for an exception: the cell, the failing line, the values on it (when the
    kernel knows them: answer/values.py), the last frames, the error, and what it means here (answer/knowledge)."""
    facts = error_facts(_tail(traceback, MAX_TRACEBACK_LINES * 4))
    parts = []
    if cell:
        parts.append(f"My code:\n{_fence(_head(cell, MAX_CELL_LINES), 'python')}")
    where = f" on line {facts.cell_line}" if facts.cell_line else ""
    if facts.code:
        parts.append(f"It fails{where}: `{facts.code}`")
    if values and not hints:
        # With hints the values are already said where they matter ("`person` has no key 'Age', but it has
        # 'age'"): the block only lengthened the prompt (about 28 tokens, 17 %: the first token) and changed
        # no answer's score (bench, 72 cases). Only the lines that show data (first values), beside the hints:
        # fresh_l (2026-12-07) 15/30 right against 14/30 without (noise), first token p50 0.99 -> 1.21 s.
        parts.append("Values at the failing line:\n" + _fence("\n".join(values)))
    frames = facts.frames
    if hints and facts.code:
        # The hints already say what the error means on the cell's line: a library's internals (pandas'
        # frame.py, numpy) only lengthen the prompt (and its first token); the cell's own frames stay.
        frames = tuple(f for f in frames if f.startswith("cell, "))
    if frames and (not facts.code or len(frames) > 1):
        parts.append("Traceback (last frames):\n" + _fence("\n".join(frames)))
    parts.append(f"Error:\n{_fence(_tail(facts.exception, 8))}")
    if hints:
        parts.append("What the error means here:\n" + "\n".join(f"- {h}" for h in hints))
    return "\n\n".join(parts)


class CapturedError(Protocol):
    """An error as it was when its cell ended (``history.LastError``, ``errorbar.CellError``)."""

    @property
    def traceback_text(self) -> str: ...
    @property
    def cell(self) -> str | None: ...
    @property
    def values(self) -> tuple[str, ...]: ...
    @property
    def hints(self) -> tuple[str, ...]: ...


def explain_captured(error: CapturedError) -> list[Message]:
    """:func:`explain_error` for a captured error: ``%llama explain``, the Explain button and the warm-up
    (warmup.py) build their messages here, so the warm-up evaluates exactly the prompt that is asked."""
    return explain_error(error.traceback_text, error.cell, error.values, error.hints)


def explain_error(traceback: str, cell: str | None, values: tuple[str, ...] | list[str] = (), hints: tuple[str, ...] | list[str] = ()) -> list[Message]:
    """Explain an exception: the exception line, the failing line, the last frames and the cell.

    The answer names the concrete cause first (the key, the name, the index, the type), then the fix
    as code; one worked example shows the form. Measured by bench/quality.py."""
    messages: list[Message] = [{"role": "system", "content": f"{EXPLAIN_SYSTEM}\n\n{EXPLAIN_FORMAT}"}]
    for question, answer in _EXAMPLES:
        messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    messages.append({"role": "user", "content": error_question(traceback, cell, values, hints)})
    return messages


def ask(text: str) -> list[Message]:
    """A free question."""
    return _messages(text.strip(), system="You are a helpful assistant. Answer clearly and briefly, in Markdown.")


def fix(code: str | None, traceback: str | None, hints: tuple[str, ...] | list[str] = ()) -> list[Message]:
    """Propose corrected code for a cell, with the error it raised when there is one (and what that
    error means on its failing line: answer/knowledge)."""
    parts = []
    if code:
        parts.append(f"This Python code{' raised an error' if traceback else ' has a bug'}:\n\n{_fence(_head(code, MAX_CELL_LINES), 'python')}")
    if traceback:
        parts.append(f"{'The error' if code else 'This error happened'}:\n\n{_fence(_tail(traceback, MAX_TRACEBACK_LINES))}")
    if traceback and hints:
        parts.append("What the error means here:\n" + "\n".join(f"- {h}" for h in hints))
    parts.append("Write the corrected code in one ```python block, then explain the fix in one sentence.")
    return _messages("\n\n".join(parts))


def _what_was_tried(cell: str, failing: str | None, error: str, tried: list[tuple[str, str, tuple[str, ...]]], said: tuple[str, ...] | list[str], heading: str) -> list[str]:
    """The parts a further candidate is asked from: the cell, the failing line, the error, and the last two
    candidates (``heading`` each) with what running them showed and what their own error means, less
    what the first prompt already ``said``."""
    parts = [f"This Python code raised an error:\n\n{_fence(_head(cell, MAX_CELL_LINES), 'python')}"]
    if failing:
        parts.append(f"It fails on: `{failing}`")
    parts.append(f"Error:\n{_fence(_tail(error, 8))}")
    for code, result, facts in tried[-2:]:
        parts.append(f"{heading}:\n{_fence(code, 'python')}\nResult: {result}")
        new = [f for f in facts if f not in said]
        if new:
            parts.append("What that error means there:\n" + "\n".join(f"- {f}" for f in new))
    return parts


def retry_fix(
    cell: str,
    failing: str | None,
    error: str,
    tried: list[tuple[str, str, tuple[str, ...]]],
    said: tuple[str, ...] | list[str] = (),
) -> list[Message]:
    """Ask for another fix after the last ones were run and did not pass: the cell, the error, and for each
    candidate what running it on the user's data showed (``tried``: code, what happened, and what its own
    error means where it raised, read on the sandbox's copy of the data).

    What the first prompt already said of the user's error (``said``: its hints and values) is not said
    again: the first fix followed it (a hint's corrected line among them), and shown again it was followed
    again, a repeat that ends the search (fresh_h, 2026-12-07: more searches ended after one fix)."""
    parts = _what_was_tried(cell, failing, error, tried, said, "This fix was tried on the same data")
    parts.append("Write a different fix: only the corrected line(s) in one ```python block, no try/except, keeping the rest of the code as it is. Then one sentence saying what you changed.")
    return _messages("\n\n".join(parts), system=EXPLAIN_SYSTEM)


#: The start of the reply a local llama-server is made to continue when the whole cell is asked for: the
#: reply is code from its first token (a retry that gave no code block is not asked the same way twice).
CODE_PREFILL = "```python\n"


def rewrite_cell(
    cell: str,
    failing: str | None,
    error: str,
    tried: list[tuple[str, str, tuple[str, ...]]],
    said: tuple[str, ...] | list[str] = (),
) -> list[Message]:
    """Ask for the whole cell written again, corrected, after a retry that gave no new fix (it repeated one
    already run or the cell as it failed, or had no code): the same facts as :func:`retry_fix`, another
    question. A few changed lines and a whole cell are different answers for a small model to give."""
    parts = _what_was_tried(cell, failing, error, tried, said, "This change did not work on the same data")
    parts.append(
        "Write the whole cell again, corrected, in one ```python block: it must run on this data and compute what "
        "its names and comments say. Keep every line that was not wrong as it is; no try/except."
    )
    return _messages("\n\n".join(parts), system=EXPLAIN_SYSTEM)


def cause_of_fix(cell: str, error: str, before: str, after: str) -> list[Message]:
    """Explain the cause of an error in view of a fix that ran (a known change explains better than a guess)."""
    user = (
        f"My code:\n{_fence(_head(cell, MAX_CELL_LINES), 'python')}\n\nError:\n{_fence(_tail(error, 8))}\n\n"
        f"This change fixed it (it ran on my data with no error):\n{_fence(before, 'python')}\nbecame\n"
        f"{_fence(after, 'python')}\n\nIn one sentence: name the exact thing from the error and why it was wrong; "
        "the change fixes it. Start with **Cause:**."
    )
    return _messages(user, system=EXPLAIN_SYSTEM)


def cause_after_fix(messages: list[Message], answer: str, code: str) -> list[Message]:
    """The explain conversation going on after its own fix ran: the cause again, in view of that fix (the
    prompt and the answer are already in the server's cache; only this question is new)."""
    question = (
        f"Your fix ran on my data with no error:\n{_fence(code, 'python')}\n\nIn one sentence: name the exact thing from the error and why it was wrong; the change fixes it. Start with **Cause:**."
    )
    return [*messages, {"role": "assistant", "content": answer}, {"role": "user", "content": question}]
