"""Data a candidate makes up in place of the kernel's, taken out before the candidate is judged.

A small model asked for a fix often writes the cell as if it stood alone: it rebuilds the data the earlier
cells made from literals of its own (``# Sample data`` / ``data = {...}`` / ``df = pd.DataFrame(data)``) or
reads it from a file that is not there (``staff = pd.read_csv("staff.csv")``). Those lines are never the
fix: run as written they replace the user's data (refused: acceptance) or raise ``FileNotFoundError``, and the
repair that follows them is lost with them. :func:`without` takes them out, so what is run and shown is the
fix on the user's own data:

* a top-level assignment to a name that holds data in the kernel (``is_data``) and that the cell itself
  does not set, from literal data, from names the candidate gave literal data, or from a read of a file path
  that does not exist;
* the assignments of literal data to new names that only those lines read, and the comment lines just above
  either.

Nothing else changes: a candidate that recomputes the kernel's data from the data (``df = df.astype(...)``),
rereads a file that exists or sets the cell's own names is kept as written.
"""

from __future__ import annotations

import ast
import os
from typing import Callable

from .bindings import bound, from_literals, is_literal, method_of_data

#: Calls that read a file named by their first argument.
_READERS = frozenset({"read_csv", "read_json", "read_excel", "read_parquet", "read_table", "read_pickle", "load", "loadtxt", "genfromtxt", "open", "read_feather"})


def without(code: str, cell: str, is_data: Callable[[str], object]) -> str:
    """``code`` less the statements that make up the kernel's data (see the module); ``code`` itself when it
    has none, does not parse, or would be left empty."""
    try:
        tree = ast.parse(code)
        own = bound(ast.parse(cell), imports=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    body = tree.body
    literal_names = {t.id for s in body if isinstance(s, ast.Assign) and is_literal(s.value) for t in s.targets if isinstance(t, ast.Name) and t.id not in own and not _data(is_data, t.id)}
    dropped: list[ast.stmt] = []
    used_by_dropped: set[str] = set()
    for stmt in body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        name = stmt.targets[0].id
        if name in own or not _data(is_data, name):
            continue
        if method_of_data(stmt.value, is_data):
            continue  # ``df = df.rename(columns=mapping)``: the data itself, changed
        if is_literal(stmt.value) or from_literals(stmt.value, literal_names) or _missing_file(stmt.value):
            dropped.append(stmt)
            used_by_dropped |= {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
    if not dropped:
        return code
    kept_reads = {n.id for s in body if s not in dropped for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for stmt in body:
        if stmt in dropped or not isinstance(stmt, ast.Assign):
            continue
        names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
        if names and names <= literal_names and names <= used_by_dropped and not names & kept_reads:
            dropped.append(stmt)
    lines = code.splitlines()
    gone: set[int] = set()
    for stmt in dropped:
        first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
        gone.update(range(first, last + 1))
        above = first - 1
        while above >= 1 and lines[above - 1].strip().startswith("#"):
            gone.add(above)
            above -= 1
    left = [line for n, line in enumerate(lines, start=1) if n not in gone]
    if not any(line.strip() and not line.strip().startswith(("#", "import ", "from ")) for line in left):
        return code
    text = "\n".join(left).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _data(is_data: Callable[[str], object], name: str) -> bool:
    try:
        return bool(is_data(name))
    except Exception:
        return False


def _missing_file(value: ast.AST) -> bool:
    """A read of a file named by a literal path that does not exist (``pd.read_csv("staff.csv")``)."""
    for node in ast.walk(value):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        path = node.args[0]
        if name in _READERS and isinstance(path, ast.Constant) and isinstance(path.value, str) and path.value and "\0" not in path.value:
            try:
                return not os.path.exists(path.value)
            except (OSError, ValueError):
                return False
    return False
