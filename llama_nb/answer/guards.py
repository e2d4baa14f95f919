"""Guards a fix puts around the failing statement, and what they left out when the fixed cell ran.

A new ``if <test>:`` around the failing statement alone can be a repair or an escape, and only the data
tells which. Skipping an item that holds no data (``None``, NaN, ``"n/a"``: ``if x is not None: total += x``)
is a repair; skipping real data is not: a line the regex failed to match (``if m: ids.append(...)``), a job
whose day count is 0, or the whole statement (a guard outside any loop that is false: ``if n > 0: rate = k / n``).
The error is then gone because the values that raised are, and the cell computes something else.

* :func:`found` (the parent): the fixed cell's new guards around the failing statement, each with the
  names of the items it judges (the targets of the loops around it in the cell, the parameters of the
  function it is in), and the fixed cell compiled with each guard's test passed through a recorder.
* :class:`Recorder` (the sandbox's child): per guard, how often it was tested and skipped, and how many of
  the skips left out an item that holds data: no missing value in it (:func:`.missing.count`, bounded,
  exact types; an item that cannot be told is not counted as data).
* :func:`trusted` (the parent): the child's ``[guard, skipped, of data]`` rows, worded from the parent's guards.

A guard with an ``else`` counts as one: what the ``else`` does instead (``rate = 0``, ``ids.append(None)``) is not
the statement run on those items, unless it holds the statement too (a branch on the item's type). A guard
whose statement only takes something away (``del``, ``.drop``, ``.pop``, ``.remove``) loses no data
when it skips it, and is not judged; nor is a guard in a ``while`` loop (its items are not named).
"""

from __future__ import annotations

import ast
import difflib
import sys
from dataclasses import dataclass
from typing import Any

from . import missing

#: The name the recorder has in the fixed cell's namespace (in the child only). A fix that names it is refused
#: by :func:`found` (it could tamper with the count).
RECORDER = "__llama_nb_guard__"
#: Two lines at least this similar are the failing statement and the guarded one.
SIMILAR = 0.5
#: At most this many guards per fix, and skipped items read per guard.
MAX_GUARDS = 8
MAX_READ = 32
#: Statements that only take something away: skipping one loses no data.
_REMOVING = frozenset({"drop", "pop", "remove", "discard", "popitem", "clear", "unlink", "rmdir"})


@dataclass(frozen=True)
class Guard:
    line: int
    test: str
    #: The names of the items it judges; empty when it is outside any loop and function (it skips the statement).
    items: tuple[str, ...]


@dataclass(frozen=True)
class Guards:
    guards: tuple[Guard, ...]
    #: The fixed cell with each guard's test passed through :data:`RECORDER` (same lines, same behaviour).
    code: Any


def found(cell: str, fixed: str, failing: str) -> Guards | None:
    """The new guards of ``fixed`` (the fixed cell) around ``failing`` (the text of ``cell``'s failing statement),
    with the instrumented code; ``None`` when there are none (or nothing can be judged)."""
    if not failing.strip():
        return None
    try:
        old, new = ast.parse(cell), ast.parse(fixed)
        headers = {_test(n) for n in ast.walk(old) if isinstance(n, ast.If)}
        lines = fixed.splitlines()
        chosen: list[tuple[ast.If, Guard]] = []
        for node, items in _ifs(new):
            if _test(node) in headers or isinstance(node.test, ast.Constant) or items is None:
                continue
            guarded = [s for s in node.body if _similar(_text(lines, s), failing)]
            if any(_similar(_text(lines, s), failing) for s in ast.walk(ast.Module(node.orelse, [])) if isinstance(s, ast.stmt) and s.lineno):
                continue  # a branch that runs the statement another way for the other items, not a skip
            if not guarded or all(_removes(s) for s in guarded):
                continue
            chosen.append((node, Guard(node.lineno, _test(node), items)))
            if len(chosen) >= MAX_GUARDS:
                break
        if not chosen:
            return None
        for i, (node, _) in enumerate(chosen):
            node.test = ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(i), node.test], [])
        ast.fix_missing_locations(new)
        return Guards(tuple(g for _, g in chosen), compile(new, "<fix>", "exec"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def names_recorder(fixed: str) -> bool:
    """Whether the fixed cell names the recorder (it could then count for it): such a fix is not run."""
    return RECORDER in fixed


def _ifs(tree: ast.AST) -> list[tuple[ast.If, tuple[str, ...] | None]]:
    """Every ``if`` statement with the names of the items around it (``None``: in a ``while`` loop)."""
    out: list[tuple[ast.If, tuple[str, ...] | None]] = []

    def visit(body: list[ast.stmt], items: tuple[str, ...] | None) -> None:
        for stmt in body:
            inner = items
            if isinstance(stmt, (ast.For, ast.AsyncFor)) and items is not None:
                inner = items + tuple(n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name))
            elif isinstance(stmt, ast.While):
                inner = None
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = stmt.args
                inner = tuple(x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs) if x.arg not in ("self", "cls"))
            elif isinstance(stmt, ast.ClassDef):
                inner = ()
            if isinstance(stmt, ast.If):
                out.append((stmt, items))
            for field in ("body", "orelse", "finalbody"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    visit(block, inner if field == "body" or not isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)) else items)
            for handler in getattr(stmt, "handlers", []) or []:
                visit(handler.body, inner)

    visit(getattr(tree, "body", []), ())
    return out


def _test(node: ast.If) -> str:
    try:
        return ast.unparse(node.test)
    except Exception:
        return ""


def _text(lines: list[str], stmt: ast.stmt) -> str:
    end = stmt.end_lineno or stmt.lineno
    return " ".join(x.strip() for x in lines[stmt.lineno - 1 : end])


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def _removes(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Delete):
        return True
    value = getattr(stmt, "value", None)
    func = value.func if isinstance(value, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr in _REMOVING


# -- in the sandbox's child ----------------------------------------------------------------------------


class Recorder:
    """Called as ``RECORDER(guard, test)`` in place of each guard's test: the test's truth, unchanged; counts
    the skips, and reads the skipped items in the caller's frame (names only: no user code is called
    beyond what :func:`.missing.count` reads by exact type)."""

    def __init__(self, guards: Guards) -> None:
        self._items = [g.items for g in guards.guards]
        self.rows = [[i, 0, 0] for i in range(len(self._items))]  # [guard, skipped, skips of data]
        self._read = [0] * len(self._items)

    def __call__(self, index: int, test: Any) -> bool:
        truth = bool(test)  # what ``if test:`` does: __bool__ (or __len__) once, its errors raised as they were
        if not truth and type(index) is int and 0 <= index < len(self.rows):
            row = self.rows[index]
            row[1] += 1
            if self._read[index] < MAX_READ:
                self._read[index] += 1
                if self._holds_data(index, sys._getframe(1)):
                    row[2] += 1
        return truth

    def _holds_data(self, index: int, frame: Any) -> bool:
        names = self._items[index]
        if not names:
            return True  # the statement itself was skipped
        try:
            scope = frame.f_locals
            counts = [missing.count(scope[n], markers=True) if n in scope else None for n in names]
        except Exception:
            return False
        return all(c == 0 for c in counts)  # every item read, none missing: real data was left out


def report(recorder: Recorder) -> list[list[int]]:
    return [list(r) for r in recorder.rows if r[1]]


# -- back in the parent ----------------------------------------------------------------------------------


def trusted(said: Any, guards: Guards | None) -> tuple[str, ...]:
    """The child's rows, worded from the parent's own guards (anything that is not such a row is dropped)."""
    if guards is None or not isinstance(said, (list, tuple)):
        return ()
    out: list[str] = []
    for row in list(said)[:MAX_GUARDS]:
        if not (isinstance(row, (list, tuple)) and len(row) == 3 and all(type(x) is int for x in row)):
            continue
        i, skipped, data = row
        if not (0 <= i < len(guards.guards) and 0 < data <= skipped < 10**12):
            continue
        g = guards.guards[i]
        test = g.test if len(g.test) <= 50 else g.test[:49] + "…"
        if not g.items:
            text = f"the new `if {test}:` was false, so the line that raised never ran"
        else:
            what = "an item" if data == 1 else f"{data} items"
            text = f"the new `if {test}:` skipped the line that raised for {what} holding real data (no missing value): the error is gone because they are"
        if text not in out:
            out.append(text)
    return tuple(out)
