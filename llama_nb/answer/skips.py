"""Where code leaves items out as it goes: a comprehension's ``if`` filters and a ``for`` loop's
``if ...: continue``, each with the names of the items it leaves out.

Whether leaving an item out is a repair or an escape depends on the item (a blank line, ``None``: a repair;
a line the pattern did not match, a zero: real data lost), so these are judged by running the fix
(:mod:`.guards` records what each new one skipped), not by their text (:mod:`.escapes` leaves them to it).
A ``continue`` in a ``while`` loop is not listed (its items have no names): the escapes count it as they
always did.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: ``"filter"`` (a comprehension's ``if``) or ``"continue"`` (an ``if`` whose body ends the iteration).
FILTER, CONTINUE = "filter", "continue"


@dataclass(frozen=True)
class Skip:
    kind: str
    #: The filter's test, or the ``if`` statement whose body ends in ``continue``.
    node: ast.AST
    #: For a filter: the comprehension it belongs to (its ``ifs`` hold ``node``).
    owner: ast.comprehension | None
    #: The names of the items it leaves out (the targets of the loops that give them).
    items: tuple[str, ...]

    @property
    def position(self) -> tuple[int, int]:
        """Where the step the escapes would count stands: the filter's test, or the ``continue``."""
        node = self.node.body[-1] if isinstance(self.node, ast.If) else self.node
        return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def found(tree: ast.AST) -> list[Skip]:
    """Every filter and loop ``continue`` in ``tree`` whose items are named (see the module)."""
    out: list[Skip] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            items: tuple[str, ...] = ()
            for gen in node.generators:
                items += _names(gen.target)
                out.extend(Skip(FILTER, cond, gen, items) for cond in gen.ifs if items)
    _visit(getattr(tree, "body", []), (), out)
    return out


def _visit(body: list[ast.stmt], items: tuple[str, ...] | None, out: list[Skip]) -> None:
    """``items``: the loop targets around ``body`` (``None``: a ``while`` loop is among them)."""
    for stmt in body:
        if isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[-1], ast.Continue) and not stmt.orelse and items:
            out.append(Skip(CONTINUE, stmt, None, items))
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            _visit(stmt.body, (), out)  # a new scope: the loops outside it give it no items
            continue
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            _visit(stmt.body, None if items is None else items + _names(stmt.target), out)
            _visit(stmt.orelse, items, out)
            continue
        if isinstance(stmt, ast.While):
            _visit(stmt.body, None, out)
            _visit(stmt.orelse, items, out)
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                _visit(block, items, out)
        for handler in getattr(stmt, "handlers", []) or []:
            _visit(handler.body, items, out)
        for case in getattr(stmt, "cases", []) or []:
            _visit(case.body, items, out)


def _names(target: ast.AST) -> tuple[str, ...]:
    return tuple(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
