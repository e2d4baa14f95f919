"""Escapes: what makes an error go away without repairing it.

A ``try``/``except`` (or ``contextlib.suppress``) hides an error (:func:`suppressions`). So does a step that fills in the values that raised
(``.fillna(0)``, ``.ffill()``, ``np.nan_to_num``), drops the rows that hold them (``.dropna()``,
``.drop_duplicates()``) or tells pandas to skip them (``errors="ignore"``, ``on_bad_lines="skip"``).
The cell then runs, on other data than the user's, and computes something else. Such a step is only
counted where the fix adds it: a cell that already filled or dropped may keep doing so.

Turning unparseable text into NaN (``errors="coerce"``) is not counted here: for a value that marks a
missing one (``"n/a"``, ``"?"``) it is the repair; for a real value written another way it is not,
and only the error's own words tell the two apart (the knowledge rules do that).
"""

from __future__ import annotations

import ast

#: ``(what the step does, the method names that do it)``; a name counts as a method call (``x.fillna(...)``)
#: or, for ``nan_to_num``, as ``np.nan_to_num(...)``.
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("fills in values the data does not have", frozenset({"fillna", "ffill", "bfill", "interpolate", "nan_to_num", "pad", "backfill"})),
    ("drops rows of the data", frozenset({"dropna", "drop_duplicates"})),
)
#: Keyword arguments that make pandas skip what it cannot read: ``{keyword: values}``.
SKIPS: dict[str, frozenset[str]] = {"errors": frozenset({"ignore"}), "on_bad_lines": frozenset({"skip", "warn"})}


def suppressions(tree: ast.AST | None) -> int:
    """How many ``try`` statements and ``suppress(...)`` contexts ``tree`` holds."""
    if tree is None:
        return 0
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            count += 1
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                func = item.context_expr.func if isinstance(item.context_expr, ast.Call) else None
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name == "suppress":
                    count += 1
    return count


def _steps(tree: ast.AST) -> dict[str, list[str]]:
    """What each family's steps in ``tree`` are, by family (one entry per call)."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
        for what, names in FAMILIES:
            if name in names:
                found.setdefault(what, []).append(f"`.{name}()`")
        for kw in node.keywords:
            if kw.arg in SKIPS and isinstance(kw.value, ast.Constant) and kw.value.value in SKIPS[kw.arg]:
                found.setdefault("skips the values that raised", []).append(f"`{kw.arg}={kw.value.value!r}`")
    return found


def data_escape(old: ast.AST | None, new: ast.AST) -> str | None:
    """Why ``new`` (the fixed cell) escapes through the data where ``old`` (the cell) did not, or ``None``."""
    before = _steps(old) if old is not None else {}
    for what, steps in _steps(new).items():
        if len(steps) > len(before.get(what, [])):
            return f"it {what} ({steps[-1]}): the error is gone because the values that raised are, and the cell computes something else"
    return None
