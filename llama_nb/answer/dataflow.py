"""What a cell's names are computed from, and a fix that computes the failing statement's result from other data.

The failing statement ``up_days = days[up]`` computes ``up_days`` from ``days``, the data it indexes. A fix
that makes it ``np.where(up)[0]`` (the positions, not the days) or ``np.random.randint(...)`` for
``rng.randint(...)`` (another generator than the user's seeded one) runs, and computes something else: the
error is gone because the data that raised is no longer read. :func:`dropped_subject` finds that, reading the
fixed cell's assignments followed through (``aligned = days[1:]`` then ``up_days = aligned[up]`` still reads
``days``). Only the data the statement indexes or calls a method of counts (:func:`subjects`): an operand may be
the wrong variable that a repair replaces (``/ n_answered`` made ``/ len(answered)``).
"""

from __future__ import annotations

import ast
from typing import Callable


def subjects(stmt: ast.AST) -> set[str]:
    """The names a statement reads its data from: what it indexes (``days[...]``) or calls a method of
    (``rng.randint(...)``)."""
    out: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
            out.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            out.add(node.func.value.id)
    return out


def depends(tree: ast.AST, names: set[str]) -> set[str]:
    """Every name ``names`` are computed from anywhere in ``tree`` (assignments and loops, followed through),
    read flow-insensitively: a name any assignment to them reads counts."""
    deps: dict[str, set[str]] = {}
    written: list[ast.expr]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            reads = {x.id for x in ast.walk(node.value) if isinstance(x, ast.Name)}
            written = list(node.targets) if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            reads = {x.id for x in ast.walk(node.iter) if isinstance(x, ast.Name)}
            written = [node.target]
        elif isinstance(node, ast.NamedExpr):
            reads, written = {x.id for x in ast.walk(node.value) if isinstance(x, ast.Name)}, [node.target]
        else:
            continue
        for target in written:
            for x in ast.walk(target):
                if isinstance(x, ast.Name):
                    deps.setdefault(x.id, set()).update(reads)
                    if isinstance(target, (ast.Subscript, ast.Attribute)):
                        deps[x.id].update(y.id for y in ast.walk(target) if isinstance(y, ast.Name))
    seen: set[str] = set()
    todo = list(names)
    while todo:
        for d in deps.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def dropped_subject(old: ast.AST, new: ast.AST, line: int | None, is_data: Callable[[str], bool]) -> tuple[str, str] | None:
    """``(target, name)`` where the failing statement (at ``line``) (``up_days = days[up]``) computes a name from data it
    indexes or calls a method of, and the fixed cell computes that name from other data (``np.where(up)[0]``)."""
    if line is None:
        return None
    statement = next((s for s in ast.walk(old) if isinstance(s, ast.Assign) and s.lineno == line), None)
    if statement is None:
        return None
    targets = {t.id for t in statement.targets if isinstance(t, ast.Name)}
    data = sorted(n for n in subjects(statement.value) - targets if _data(is_data, n))
    if not targets or not data:
        return None
    reads = depends(new, targets)
    lost = next((n for n in data if n not in reads), None)
    return (sorted(targets)[0], lost) if lost else None


def _data(is_data: Callable[[str], bool], name: str) -> bool:
    try:
        return bool(is_data(name))
    except Exception:
        return False
