"""What Python's messages about functions, classes and modules mean: a misspelt ``__init__``, a function's local used
after it returned, a subclass that skips its base's ``__init__``, a method without ``self``, a function that prints
instead of returning, an unknown keyword argument, a mutable default, and a module called like its function.
"""

from __future__ import annotations

import ast
import difflib
import re
import types

from ..facts import Facts, function_def, leading_space, names_on_line, parsed, sub1


def _class_def(cell: str, name: str) -> ast.ClassDef | None:
    tree = parsed(cell)
    return next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == name), None) if tree else None


def _misspelt_init(f: Facts) -> tuple[str, ast.FunctionDef] | None:
    """``Point() takes no arguments`` where the cell's ``class Point`` has ``def __int__`` (or ``_init_``)."""
    m = re.fullmatch(r"(\w+)\(\) takes no arguments", f.message)
    node = _class_def(f.cell, m.group(1)) if m else None
    if node is None:
        return None
    methods = [n for n in node.body if isinstance(n, ast.FunctionDef)]
    if any(n.name == "__init__" for n in methods):
        return None
    # A look-alike that takes arguments besides self: __iter__(self) is not a misspelt __init__, __int__(self, x, y) is.
    close = [
        n for n in methods if n.name != "__init__" and difflib.SequenceMatcher(None, n.name, "__init__").ratio() >= 0.7 and (len(n.args.args) + len(n.args.kwonlyargs) > 1 or n.args.vararg is not None)
    ]
    return (node.name, close[0]) if close else None


def misspelt_init(f: Facts) -> str | None:
    """``__init__`` misspelt (``__int__``), so Python never runs it."""
    found = _misspelt_init(f)
    if found:
        cls, method = found
        return (
            f"the class `{cls}` has no `__init__`: its method is spelled `{method.name}`, so Python never runs it and "
            f"`{cls}(...)` takes no arguments; rename it `__init__` (two underscores each side, i-n-i-t)."
        )
    return None


def misspelt_init_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`misspelt_init`."""
    lines = f.cell.splitlines()
    lines = f.cell.splitlines()
    found = _misspelt_init(f)
    if found:
        src = lines[found[1].lineno - 1]
        return src.replace(f"def {found[1].name}", "def __init__", 1).strip()
    return None


def _local_of_function(f: Facts) -> tuple[str, str, ast.FunctionDef] | None:
    """``name 'x' is not defined`` where a function of the cell assigns ``x`` (a local, gone when it returns)."""
    m = re.fullmatch(r"name '(\w+)' is not defined", f.message)
    if not m or not isinstance(f.exc, NameError):
        return None
    tree = parsed(f.cell)
    for node in tree.body if tree else ():
        if isinstance(node, ast.FunctionDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == m.group(1) for t in stmt.targets):
                    return m.group(1), node.name, node
    return None


def local_of_function(f: Facts) -> str | None:
    """A function's local variable used after the function returned."""
    local = _local_of_function(f)
    if local:
        name, func, _ = local
        return (
            f"`{name}` is a local variable of `{func}()`: it exists only inside the function while it runs and is gone "
            f"when it returns; `return {name}` at the end of `{func}` and keep the result: `{name} = {func}()`."
        )
    return None


def local_of_function_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`local_of_function`."""
    lines = f.cell.splitlines()
    local = _local_of_function(f)
    if local:
        name, func, node = local
        if node.end_lineno and node.end_lineno - node.lineno <= 8:
            body = lines[node.lineno - 1 : node.end_lineno]
            indent = leading_space(lines[node.body[0].lineno - 1])
            rest = [ln for ln in lines[node.end_lineno :] if ln.strip()]
            call = [re.sub(rf"^(\s*){func}\(", rf"\g<1>{name} = {func}(", ln) if re.match(rf"\s*{func}\(", ln) else ln for ln in rest]
            return "\n".join(body + [f"{indent}return {name}", ""] + call[:4])
    return None


def _skipped_super(f: Facts) -> tuple[str, str, str, ast.FunctionDef, ast.FunctionDef] | None:
    """``'Dog' object has no attribute 'name'`` where the cell's ``Dog.__init__`` never calls its base's, which sets it."""
    m = re.fullmatch(r"'(\w+)' object has no attribute '(\w+)'", f.message)
    if m is None:
        return None
    node = _class_def(f.cell, m.group(1))
    if node is None or not node.bases or not isinstance(node.bases[0], ast.Name):
        return None
    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    base = _class_def(f.cell, node.bases[0].id)
    base_init = next((n for n in base.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None) if base else None
    if init is None or base is None or base_init is None or any("__init__" in ast.unparse(s) for s in init.body):
        return None
    sets = any(
        isinstance(t, ast.Attribute) and t.attr == m.group(2) and isinstance(t.value, ast.Name) and t.value.id == "self" for s in ast.walk(base_init) if isinstance(s, ast.Assign) for t in s.targets
    )
    return (node.name, base.name, m.group(2), init, base_init) if sets else None


def _super_call(init: ast.FunctionDef, base_init: ast.FunctionDef) -> str:
    own = {a.arg for a in init.args.args}
    args = [a.arg for a in base_init.args.args[1:]]
    return f"super().__init__({', '.join(a if a in own else '...' for a in args)})"


def skipped_super(f: Facts) -> str | None:
    """A subclass's ``__init__`` that never calls its base's, which sets the attribute."""
    skipped = _skipped_super(f)
    if skipped:
        cls, base, attr, init, base_init = skipped
        return (
            f"`{cls}.__init__` replaces `{base}.__init__` and never calls it, so `self.{attr}` (set in `{base}.__init__`) "
            f"is never set; call the parent first in `{cls}.__init__`: `{_super_call(init, base_init)}`."
        )
    return None


def skipped_super_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`skipped_super`."""
    lines = f.cell.splitlines()
    skipped = _skipped_super(f)
    if skipped:
        _, _, _, init, base_init = skipped
        head = lines[init.lineno - 1]
        indent = leading_space(lines[init.body[0].lineno - 1])[len(leading_space(head)) :]
        return f"{head.strip()}\n{indent}{_super_call(init, base_init)}"
    return None


def method_without_self(f: Facts) -> str | None:
    """A method defined without ``self``."""
    msg = f.message
    m = re.search(r"\b(\w+)\.(\w+)\(\) takes (\d+) positional arguments? but (\d+) were given", msg)
    if m and int(m.group(4)) == int(m.group(3)) + 1 and not re.search(rf"def\s+{m.group(2)}\s*\(\s*self\b", f.cell):
        return f"`{m.group(2)}` is a method of `{m.group(1)}`: Python passes the object itself as its first argument, so its definition needs `self` first: `def {m.group(2)}(self, ...)`."
    return None


def method_without_self_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`method_without_self`."""
    msg = f.message
    m = re.search(r"\b(\w+)\.(\w+)\(\) takes (\d+) positional arguments? but (\d+) were given", msg)
    if m and int(m.group(4)) == int(m.group(3)) + 1:
        d = re.search(rf"(?m)^([ \t]*)def\s+{m.group(2)}\s*\((.*?)\)\s*(->[^:]*)?:", f.cell)
        if d and not d.group(2).strip().startswith("self"):
            params = d.group(2).strip()
            return f"{d.group(1)}def {m.group(2)}(self{', ' + params if params else ''}):"
    return None


def _user_function_without_return(f: Facts) -> str | None:
    """A function defined in the cell, called on the failing line, that never returns a value."""
    try:
        tree = ast.parse(f.cell)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and re.search(rf"\b{re.escape(node.name)}\s*\(", f.line):
            returns = [n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
            if not returns and not any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)):
                return node.name
    return None


def _print_to_return(cell: str, func: str) -> str | None:
    """The definition of ``func`` with its last statement, ``print(x)``, made ``return x``."""
    node = function_def(cell, func)
    if node is None or node.end_lineno is None:
        return None
    last = node.body[-1]
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Name)
        and last.value.func.id == "print"
        and len(last.value.args) == 1
        and not last.value.keywords
        and last.lineno == last.end_lineno
    ):
        return None
    arg = ast.get_source_segment(cell, last.value.args[0])
    if arg is None:
        return None
    lines = cell.splitlines()
    body = lines[node.lineno - 1 : node.end_lineno]
    body[last.lineno - node.lineno] = f"{lines[last.lineno - 1][: last.col_offset]}return {arg}"
    return "\n".join(body)


def function_without_return(f: Facts) -> str | None:
    """The result of a function of the cell that has no ``return`` (it prints)."""
    msg = f.message
    m = re.search(r"unsupported operand type\(s\) for \S+: '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in m.groups():
        func = _user_function_without_return(f)
        if func:
            return f"`{func}()` returns None: it has no `return` statement (printing a value does not return it), so its result cannot be used in arithmetic; end `{func}` with `return <the value>`."
    return None


def function_without_return_corrected(f: Facts) -> str | None:
    """The function with its last ``print(x)`` made ``return x``."""
    msg = f.message
    m = re.search(r"unsupported operand type\(s\) for \S+: '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in m.groups():
        func = _user_function_without_return(f)
        return _print_to_return(f.cell, func) if func else None
    return None


def unexpected_keyword(f: Facts) -> str | None:
    """A keyword argument the function does not have."""
    msg = f.message
    m = re.search(r"(?<![\w.])([\w.]+)\(\) got an unexpected keyword argument '(\w+)'", msg)
    if m:
        return f"`{m.group(1)}()` has no parameter named `{m.group(2)}`; check its spelling and its parameters with `help({m.group(1).split('.')[-1]})`."
    return None


def _mutable_default(cell: str) -> tuple[str, str, str] | None:
    """``(function, parameter, default)`` for a function in the cell whose default is a list, dict or set."""
    try:
        tree = ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args.args[len(node.args.args) - len(node.args.defaults) :]
            for arg, default in zip(args, node.args.defaults):
                if isinstance(default, (ast.List, ast.Dict, ast.Set)) or (isinstance(default, ast.Call) and isinstance(default.func, ast.Name) and default.func.id in ("list", "dict", "set")):
                    return node.name, arg.arg, ast.get_source_segment(cell, default) or "[]"
    return None


def _function_body(cell: str, func: str, limit: int = 8) -> list[str]:
    """The body lines of ``def func`` in the cell (at most ``limit``; none when it is longer)."""
    node = function_def(cell, func)
    if node is None:
        return []
    body = cell.splitlines()[node.body[0].lineno - 1 : node.end_lineno]
    return body if len(body) <= limit else []


def mutable_default(f: Facts) -> str | None:
    """A list (or dict, set) default shared by every call of the function."""
    msg, exc = f.message, f.exc
    if isinstance(exc, AssertionError) or not msg:
        found = _mutable_default(f.cell)
        if found:
            func, param, default = found
            return (
                f"`{param}={default}` in `def {func}` is created once, when the function is defined, and shared by every call, "
                f"so items from earlier calls stay in it; write `{param}=None` and `if {param} is None: {param} = {default}` in the body."
            )
    return None


def mutable_default_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`mutable_default`."""
    msg, exc = f.message, f.exc
    if isinstance(exc, AssertionError) or not msg:
        found = _mutable_default(f.cell)
        if found:
            func, param, default = found
            d = re.search(rf"(?m)^([ \t]*)def\s+{func}\s*\((.*)\)\s*:", f.cell)
            if d:
                params = re.sub(rf"\b{param}\s*=\s*{re.escape(default)}", f"{param}=None", d.group(2), count=1)
                inner = d.group(1) + "    "
                head = f"{d.group(1)}def {func}({params}):\n{inner}if {param} is None:\n{inner}    {param} = {default}"
                return head + "".join("\n" + ln for ln in _function_body(f.cell, func))
    return None


def module_called(f: Facts) -> str | None:
    """A module called like the function inside it (``random()``)."""
    msg, line = f.message, f.line
    if msg == "'module' object is not callable":
        for name in names_on_line(line):
            value = f.scope(name)
            if type(value) is types.ModuleType and callable(vars(value).get(name)):
                return f"`{name}` is the module; the function inside it has the same name: call `{name}.{name}(...)`, or import it with `from {name} import {name}`."
        return "a module is called like a function; call the function inside it (`module.function(...)`)."
    return None


def module_called_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`module_called`."""
    msg, line = f.message, f.line
    if msg == "'module' object is not callable":
        for name in names_on_line(line):
            value = f.scope(name)
            if type(value) is types.ModuleType and callable(vars(value).get(name)):
                return sub1(rf"(?<![\w.]){name}\s*\(", f"{name}.{name}(", line)
    return None
