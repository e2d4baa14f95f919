"""What a cell's names are computed from: a fix that computes the failing statement's result from other data,
or that turns an update of the cell's counter into an update of a function's own copy (:func:`lost_update`).

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
    inner = {n.id for c in ast.walk(stmt) if isinstance(c, ast.comprehension) for n in ast.walk(c.target) if isinstance(n, ast.Name)}
    inner |= {a.arg for f in ast.walk(stmt) if isinstance(f, ast.Lambda) for a in (*f.args.posonlyargs, *f.args.args, *f.args.kwonlyargs)}
    for node in ast.walk(stmt):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
            out.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            out.add(node.func.value.id)
    return out - inner  # a comprehension's or a lambda's own names are not the kernel's


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
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # a helper: its name reads its body
            reads = {x.id for stmt in node.body for x in ast.walk(stmt) if isinstance(x, ast.Name)}
            written = [ast.Name(node.name, ast.Store())]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute) and isinstance(node.value.func.value, ast.Name):
            call, owner = node.value, node.value.func.value  # ``up_days.extend(days[1:][up])``: a method writes what it is called on
            reads = {x.id for arg in (*call.args, *(k.value for k in call.keywords)) for x in ast.walk(arg) if isinstance(x, ast.Name)}
            written = [ast.Name(owner.id, ast.Store())]
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


def dropped_subject(old: ast.AST, new: ast.AST, line: int | None, is_data: Callable[[str], object]) -> tuple[str, str] | None:
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
    if lost is None:
        return None
    # Data of the same kind the line did not read, read instead (``orders.groupby`` for ``df.groupby``): the
    # wrong variable replaced by the right one, not the data dropped.
    kind = _kind(is_data, lost)
    read_before = {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
    direct = {n for s in ast.walk(new) if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id in targets for t in s.targets) for n in subjects(s.value)}
    if kind is not None and any(_kind(is_data, n) is kind for n in direct - read_before):
        return None
    return sorted(targets)[0], lost


def _kind(is_data: Callable[[str], object], name: str) -> object:
    try:
        kind = is_data(name)
    except Exception:
        return None
    return kind if isinstance(kind, type) else None


def _data(is_data: Callable[[str], object], name: str) -> bool:
    try:
        return bool(is_data(name))
    except Exception:
        return False


def lost_update(old: ast.AST, new: ast.AST) -> tuple[str, str] | None:
    """``(name, function)`` where the fix made a name the cell's function updates (``count += 1``) a new parameter
    of it that the function only ever updates and never returns: the update changes the function's own copy
    and is lost (the error a global's update raised, ``UnboundLocalError``, gone with the count)."""
    before = {f.name: _parameters(f) for f in ast.walk(old) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for func in ast.walk(new):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or func.name not in before:
            continue
        for name in sorted(_parameters(func) - before[func.name]):
            updates = [n for n in ast.walk(func) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id == name]
            if not updates:
                continue
            inside = {id(x) for u in updates for x in ast.walk(u.target)}
            read = any(isinstance(n, ast.Name) and n.id == name and id(n) not in inside for n in ast.walk(func))
            if not read:
                return name, func.name
    return None


def _parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    a = func.args
    return {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
