"""What a repair of a data error never needs: introspection and process control (``exec``, ``sys.modules``,
``os._exit``, ``import ctypes``). With them a fix could forge the sandbox's report or rebind what the check
reads, so :func:`hazard_in` names the first one a fix adds, and acceptance refuses it (verify.py marks such a
candidate blocked, not failed)."""

from __future__ import annotations

import ast

#: Said of a refusal for what a fix never needs.
HAZARD = "which a fix has no need of"

_HAZARD_CALLS = {"exec", "eval", "compile", "__import__", "globals", "locals", "vars", "setattr", "delattr"}
_HAZARD_MODULES = {"ctypes", "fcntl", "gc", "builtins", "importlib", "inspect", "signal", "mmap", "resource", "llama_nb"}
_HAZARD_ATTRS = {
    "os": {"_exit", "write", "close", "closerange", "dup", "dup2", "kill", "killpg", "abort", "fork", "system", "popen", "posix_spawn", "execv", "execve", "execvp", "spawnv"},
    "sys": {"modules", "_getframe", "settrace", "setprofile", "exit", "addaudithook", "stdout", "stderr"},
}


def hazard_in(old: ast.AST | None, new: ast.AST) -> str | None:
    """Introspection and process control a repair of a data error never needs: with them a fix could
    forge the sandbox's report or rebind what the check reads. Only what the fix added counts."""
    old_dumps = {ast.dump(n) for n in ast.walk(old)} if old is not None else set()
    modules: set[str] = set()
    for node in ast.walk(new):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                modules.add(alias.asname or alias.name)
    for node in ast.walk(new):
        if ast.dump(node) in old_dumps:
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in _HAZARD_MODULES:
                    return f"`import {name}`"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in _HAZARD_CALLS:
                return f"`{node.func.id}()`"
            if node.func.id == "type" and len(node.args) == 3:
                return "`type()` with three arguments"
            if node.func.id == "getattr" and len(node.args) >= 2:
                attr = node.args[1]
                if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)) or _dunder(attr.value):
                    return "`getattr()` of a name that is computed or special"
        elif isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Name) and _dunder(node.attr):
            return f"`.{node.attr}`"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in _HAZARD_ATTRS.get(node.value.id, ()):
                return f"`{node.value.id}.{node.attr}`"
            if node.value.id in _HAZARD_MODULES:
                return f"`{node.value.id}.{node.attr}`"
            if _dunder(node.attr):
                return f"`{node.value.id}.{node.attr}`"
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in modules | {"os", "sys", "json", "np", "pd", "math"}:
                    return f"an assignment to `{t.value.id}.{t.attr}`"
    return None


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and name != "__init__"
