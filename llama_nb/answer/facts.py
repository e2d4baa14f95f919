"""What every hint rule reads: the facts of one error (its message, failing line, cell and a scope to look names
up in), and the small, bounded helpers the rules share to read a line or a cell.

Kept apart from the rules so that each group of rules imports these and nothing imports upward.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

from .values import names_on

#: What :func:`frame_scope` gives for a name the frame does not hold.
MISSING = object()


@dataclass
class Facts:
    exc: BaseException
    message: str
    line: str
    cell: str
    scope: Callable[[str], Any]


def frame_scope(frame: Any) -> Callable[[str], Any]:
    def get(name: str) -> Any:
        if frame is None:
            return MISSING
        value = frame.f_locals.get(name, MISSING)
        return frame.f_globals.get(name, MISSING) if value is MISSING else value
    return get


@functools.lru_cache(maxsize=16)
def names_on_line(line: str) -> tuple[str, ...]:
    """:func:`names_on` of the line, once per line: most rules ask."""
    return tuple(names_on(line))


def clip(text: Any, limit: int = 40) -> str:
    s = str(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def is_ndarray(value: Any) -> bool:
    """A real NumPy array (a user's class named ``ndarray`` is not one: its attributes could run its code)."""
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def is_dataframe(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas")


def frames_in_line(f: Facts) -> list[tuple[str, Any]]:
    out = []
    for name in names_on_line(f.line):
        value = f.scope(name)
        if type(value).__name__ in ("DataFrame", "Series") and type(value).__module__.startswith("pandas"):
            out.append((name, value))
    return out


def call_end(line: str, open_at: int) -> int | None:
    """The index of the parenthesis closing the one at ``open_at`` (strings are skipped)."""
    depth, quote = 0, ""
    for i in range(open_at, len(line)):
        ch = line[i]
        if quote:
            if ch == quote and line[i - 1] != "\\":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return None


def call_args_span(line: str, pattern: str) -> tuple[re.Match[str], int] | None:
    """The first call matching ``pattern`` (which ends at its opening parenthesis) and its closing index."""
    call = re.search(pattern, line)
    end = call_end(line, call.end() - 1) if call else None
    return (call, end) if call and end is not None else None


def sub1(pattern: str, repl: str | Callable[[re.Match[str]], str], line: str) -> str | None:
    """``line`` with the first match of ``pattern`` replaced, or None when nothing matched or changed."""
    new, n = re.subn(pattern, repl, line, count=1)
    return new if n and new != line else None


@functools.lru_cache(maxsize=4)
def parsed(cell: str) -> ast.Module | None:
    """The cell's syntax tree, once per cell (several rules of one error read it); None when it does not parse."""
    try:
        return ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
