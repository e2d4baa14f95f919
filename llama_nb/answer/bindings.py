"""What a cell binds: the names it sets at its module level (:func:`bound`), those it computes rather than
writes as literals (:func:`computed_names`), those it binds only as a loop's variable, and the target a
one-line assignment writes. Read from the cell's syntax only; the acceptance rule and the sandbox's watch
of degenerate results both ask."""

from __future__ import annotations

import ast
from typing import Callable


def assigned(line: str) -> str | None:
    """The target a one-line assignment writes (``songs: list``, ``df['x']``, ``a, b``), as its source; ``None``
    for any other line."""
    try:
        tree = ast.parse(line.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != 1:
        return None
    node = tree.body[0]
    if isinstance(node, ast.Assign):
        return " = ".join(ast.unparse(t) for t in node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return ast.unparse(node.target)
    return None


def loop_targets_only(tree: ast.AST) -> set[str]:
    """Names the cell binds as a ``for`` loop's target and in no other way (at the module level)."""
    loops: set[str] = set()
    others: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue
            if isinstance(child, (ast.For, ast.AsyncFor)):
                loops.update(n.id for n in ast.walk(child.target) if isinstance(n, ast.Name))
                for part in (child.iter, *child.body, *child.orelse):
                    visit_one(part)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            others.add(node.id)
        elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            others.add(node.target.id)
        visit(node)

    visit(tree)
    return loops - others


def bound(tree: ast.AST, imports: bool = True) -> set[str]:
    """Names bound at the module level of a cell (not inside functions or classes); with ``imports=False``, not
    the modules it imports."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(child.name)
                continue  # its body is another scope
            if isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and imports:
                for alias in child.names:
                    names.add((alias.asname or alias.name).split(".")[0])
            elif isinstance(child, ast.NamedExpr) and isinstance(child.target, ast.Name):
                names.add(child.target.id)
            visit(child)

    visit(tree)
    return names


def computed_names(cell: str) -> tuple[str, ...]:
    """The names a cell computes: bound at its module level by assignments, none of them a literal
    (``rows = []`` then filled is not one: left empty, it may be what the data says). Every assignment
    in the cell counts, a function's too: a literal given to the same name anywhere leaves it out."""
    try:
        tree = ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    computed: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                        computed[name.id] = computed.get(name.id, True) and not is_literal(node.value)
    at_module_level = bound(tree)
    return tuple(n for n, ok in computed.items() if ok and n in at_module_level)[:16]


def is_literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.Call):  # pd.DataFrame({...}), np.array([...])
        args = list(node.args) + [k.value for k in node.keywords]
        return bool(args) and all(is_literal(a) for a in args) and any(isinstance(a, (ast.List, ast.Dict, ast.Tuple, ast.Set)) for a in args)
    return False


def from_literals(value: ast.AST, names: set[str]) -> bool:
    """A call made of literals and of names the fix gave literal data (``pd.DataFrame(data)``), one of them at least."""
    if not names or not isinstance(value, ast.Call):
        return False
    args = list(value.args) + [k.value for k in value.keywords]
    return any(isinstance(a, ast.Name) and a.id in names for a in args) and all(is_literal(a) or (isinstance(a, ast.Name) and a.id in names) for a in args)


def method_of_data(value: ast.AST, is_data: Callable[[str], object] | None) -> bool:
    """A call of a method of the kernel's data (``df.rename(columns=mapping)``), not a constructor of new data
    (``pd.DataFrame(...)``: a module's)."""
    func = value.func if isinstance(value, ast.Call) else None
    if not isinstance(func, ast.Attribute) or is_data is None:
        return False
    base = func.value
    while isinstance(base, (ast.Attribute, ast.Subscript, ast.Call)):
        base = base.func if isinstance(base, ast.Call) else base.value
    if not isinstance(base, ast.Name):
        return False
    try:
        return bool(is_data(base.id))
    except Exception:
        return False
