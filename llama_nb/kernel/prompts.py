"""Prompt templates for ``explain``, ``ask`` and ``fix``.

Short and direct, so that even a 135M-parameter model answers on topic: one system line, then the
material in fenced blocks, then a single instruction. User text is inserted as a value, never used
as a format string, so braces and ``$`` in code pass through unchanged.
"""

from __future__ import annotations

from .client import Message

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


def explain_error(traceback: str, cell: str | None) -> list[Message]:
    """Explain an exception: the cell that raised it and its traceback."""
    parts = []
    if cell:
        parts.append(f"This Python code:\n\n{_fence(_head(cell, MAX_CELL_LINES), 'python')}")
    parts.append(f"raised this error:\n\n{_fence(_tail(traceback, MAX_TRACEBACK_LINES))}")
    parts.append("Explain in simple words what the error means and why it happened.")
    return _messages("\n\n".join(parts))


def ask(text: str) -> list[Message]:
    """A free question."""
    return _messages(text.strip(), system="You are a helpful assistant. Answer clearly and briefly, in Markdown.")


def fix(code: str | None, traceback: str | None) -> list[Message]:
    """Propose corrected code for a cell, with the error it raised when there is one."""
    parts = []
    if code:
        parts.append(f"This Python code{' raised an error' if traceback else ' has a bug'}:\n\n{_fence(_head(code, MAX_CELL_LINES), 'python')}")
    if traceback:
        parts.append(f"{'The error' if code else 'This error happened'}:\n\n{_fence(_tail(traceback, MAX_TRACEBACK_LINES))}")
    parts.append("Write the corrected code in one ```python block, then explain the fix in one sentence.")
    return _messages("\n\n".join(parts))
