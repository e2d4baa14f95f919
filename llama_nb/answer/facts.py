"""What every hint rule reads: the facts of one error (its message, failing line, cell and a scope to look names
up in), and the small, bounded helpers the rules share to read a line, a cell or a value: the names on a line, the
calls on it and what their arguments hold, the frames and columns it uses, the cell parsed.

Kept apart from the rules so that each group of rules imports these and nothing imports upward.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable, TypeGuard

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


def leading_space(text: str) -> str:
    """The whitespace a line starts with (``re.match(r"\\s*", text).group(0)``, which always matches)."""
    m = re.match(r"\s*", text)
    return m.group(0) if m else ""


def is_ndarray(value: Any) -> TypeGuard[Any]:
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


#: Longer failing lines (generated code, a pasted data literal) are not read for their structure: the rules
#: keyed on the message alone still speak, and no pattern gets a line long enough to take noticeable time.
MAX_SCANNED_LINE = 2000

#: Keys of a dict looked at for "did you mean" (difflib over a million keys took 3 s); a big dict is not copied.
MAX_SCANNED_KEYS = 5_000

#: A Python name, in a pattern.
NAME = r"[A-Za-z_]\w*"


def dict_keys(value: dict[Any, Any]) -> list[Any]:
    """The first :data:`MAX_SCANNED_KEYS` keys of a dict, without copying a big one."""
    return list(itertools.islice(value, MAX_SCANNED_KEYS))


def subscripted(line: str) -> list[str]:
    """Names subscripted on the line (``counts[word]`` gives ``counts``), outermost first."""
    return re.findall(r"\b([A-Za-z_]\w*)\s*\[", line)


def frame_of(f: Facts) -> tuple[str, Any] | None:
    frames = frames_in_line(f)
    return frames[0] if frames else None


def is_frame(value: Any) -> bool:
    return type(value).__name__ in ("DataFrame", "Series") and type(value).__module__.startswith("pandas")


def numeric_column(obj: Any, column: str) -> str | None:
    """The dtype of ``obj[column]`` when ``obj`` is a DataFrame and that column holds numbers, else None."""
    if type(obj).__name__ != "DataFrame" or not is_frame(obj) or column not in obj.columns:
        return None
    dtype = getattr(obj[column], "dtype", None)
    kind = getattr(dtype, "kind", "")
    return str(dtype) if kind and kind in "iufb" else None


def code_only(line: str) -> str:
    """``line`` with the insides of its string literals and its comment made spaces (the quotes and every
    offset stay), so that a pattern finds operators and names in the code only, not in ``"a > b"``."""
    out = list(line)
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "#":
            out[i:] = " " * (n - i)
            break
        if ch in "'\"":
            quote = line[i : i + 3] if line[i : i + 3] in ("'''", '"""') else ch
            j = i + len(quote)
            while j < n and not line.startswith(quote, j):
                j += 2 if line[j] == "\\" else 1
            inner = range(i + len(quote), min(j, n))
            out[inner.start : inner.stop] = " " * len(inner)
            i = j + len(quote)
            continue
        i += 1
    return "".join(out)[:n]


def function_def(cell: str, func: str) -> ast.FunctionDef | None:
    """The ``def func`` of the cell, parsed (None when the cell does not parse or has none)."""
    tree = parsed(cell)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.FunctionDef) and node.name == func and node.end_lineno:
            return node
    return None


def call_arguments(line: str, func: str, limit: int = 20) -> list[tuple[int, int] | None]:
    """The argument spans of the ``func(...)`` calls on the line (not in string literals), in order; None for
    a call with more than one argument or a keyword."""
    out: list[tuple[int, int] | None] = []
    for m in re.finditer(rf"(?<![\w.]){re.escape(func)}\(", code_only(line)):
        if len(out) >= limit:
            break
        end = call_end(line, m.end() - 1)
        arg = line[m.end() : end] if end is not None else ""
        if end is None or not arg.strip() or re.search(r"\b\w+\s*=(?!=)", arg) or "," in re.sub(r"\([^()]*\)|\[[^\[\]]*\]|'[^']*'|\"[^\"]*\"", "", arg):
            out.append(None)
        else:
            out.append((m.end(), end))
    return out


def same_text(value: Any, text: str) -> bool:
    """Whether ``value`` is a str whose text is ``text`` as a message quotes it (as is, or its repr)."""
    if not isinstance(value, str) or type(value).__module__ not in ("builtins", "numpy"):
        return False  # a user's str subclass could compare in its own way
    return value == text or (len(value) <= 4 * len(text) + 8 and repr(str(value))[1:-1] == text)


def holds_text(f: Facts, arg: str, text: str, position: int | None) -> bool | None:
    """Whether the argument ``arg`` (its source) holds the text a conversion failed on: a string literal, a
    name holding a str, a dict's value or a pandas column/Series (at the message's position, else anywhere in
    its first 100,000 values); None when that cannot be known without running anything."""
    arg = arg.strip()
    if arg[:1] in "'\"" or arg[:2].lower() in ("r'", 'r"'):
        try:
            return same_text(ast.literal_eval(arg), text) if len(arg) <= MAX_SCANNED_LINE else None
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    m = re.fullmatch(r"([A-Za-z_]\w*)(?:\s*\[\s*(['\"])([^'\"]*)\2\s*\])?", arg)
    if not m:
        return None
    value = f.scope(m.group(1))
    if m.group(3) is not None:
        if type(value) is dict:
            value = value.get(m.group(3), MISSING)
        elif is_frame(value) and type(value).__name__ == "DataFrame" and m.group(3) in value.columns:
            value = value[m.group(3)]
        else:
            return None
    if value is MISSING:
        return None
    if isinstance(value, str):
        return same_text(value, text) if type(value).__module__ in ("builtins", "numpy") else None
    if is_frame(value) and type(value).__name__ == "Series":
        if position is not None:
            return 0 <= position < len(value) and same_text(value.iloc[position], text)
        return any(same_text(v, text) for v in itertools.islice(iter(value), 100_000))
    return None


def pick_call(f: Facts, calls: list[tuple[int, int] | None], text: str, position: int | None) -> tuple[int, int] | None:
    """Of a line's conversion calls, the one whose argument holds ``text``; a lone call when nothing says
    its argument does not."""
    verdicts = [holds_text(f, f.line[c[0] : c[1]], text, position) if c else None for c in calls]
    for call, verdict in zip(calls, verdicts):
        if call and verdict:
            return call
    if len(calls) == 1 and verdicts[0] is not False:
        return calls[0]
    return None
