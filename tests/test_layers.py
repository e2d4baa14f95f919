"""The import graph of llama_nb: no cycles, no upward imports (issue 15).

Every ``import`` / ``from … import`` in every module counts, also those inside functions (they run
later, but they still tie the modules together); only ``if TYPE_CHECKING:`` blocks are left out, since
they never run. Importing ``a.b.c`` also runs the packages ``a.b`` (their ``__init__``), so an edge to
a module is an edge to each package above it too (the root ``llama_nb`` excepted: its ``__init__`` only
names the entry points that Jupyter and IPython call, and nothing inside the package imports it).

The layers, lowest first (an arrow may only point down):

* base: ``errors``, ``cards``, ``redact``, ``catalogue``, ``verify``, ``recommend``, ``config``, ``local_models``, ``render``, ``sse``
* ``supervisor`` (process, policy, diagnosis, advice, status): knows nothing of Jupyter, magics or shells
* tools over the supervisor: ``doctor``, ``pull``
* ``answer`` (what an error message means on the failing line): imports nothing of llama_nb but the base
* surfaces: ``kernel`` (magics, panel), ``serverext`` (Jupyter server extension), ``cli`` (terminal);
  no surface imports another
* ``llama_nb`` itself: the entry points
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import llama_nb

ROOT = Path(llama_nb.__file__).parent
PKG = "llama_nb"

BASE = {"errors", "cards", "redact", "catalogue", "verify", "recommend", "config", "local_models", "render", "sse", "_version"}
TOOLS = {"doctor", "pull"}
ANSWER = "answer"
SURFACES = {"kernel", "serverext", "cli"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([PKG, *parts])] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom | ast.Call]:
    found: list = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args and isinstance(node.args[0], ast.Constant)):
            found.append(node)  # importlib.import_module("llama_nb.doctor") is an import too
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _with_parents(name: str, importer: str) -> set[str]:
    """``name`` and the packages above it that importing it runs: the root and the packages that
    already hold ``importer`` (their ``__init__`` is running or has run) excepted."""
    out = set()
    parts = name.split(".")
    for i in range(2, len(parts) + 1):
        candidate = ".".join(parts[:i])
        if candidate in MODULES and not importer.startswith(candidate + "."):
            out.add(candidate)
    return out


def _edges(module: str, path: Path) -> set[str]:
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.Call):
            names = [node.args[0].value]  # type: ignore[union-attr]
        else:
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
            # ``from pkg import submodule`` runs pkg's __init__ too (which _with_parents adds); only a
            # name that is not a submodule (``from .. import __version__``) is an import of pkg itself
            names = submodules if len(submodules) == len(node.names) else [base, *submodules]
        for name in names:
            if name == PKG:
                targets.add(PKG)
            elif name.startswith(PKG + "."):
                targets |= _with_parents(name, module)
    targets.discard(module)
    return targets


GRAPH = {module: _edges(module, path) for module, path in MODULES.items()}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _cycles() -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strong(v)
    return found


def _path(start: str, goal: str) -> list[str]:
    """One import path from ``start`` back to ``goal`` (for the failure message)."""
    seen, queue = {start}, [[start]]
    while queue:
        path = queue.pop(0)
        for w in sorted(GRAPH.get(path[-1], ())):
            if w == goal:
                return path + [w]
            if w not in seen:
                seen.add(w)
                queue.append(path + [w])
    return []


def test_the_walker_sees_function_level_and_relative_imports() -> None:
    # guards against a walker that finds nothing and so passes everything
    assert "llama_nb.kernel.magics" in GRAPH[PKG]  # imported inside load_ipython_extension
    assert "llama_nb.supervisor.supervisor" in GRAPH["llama_nb.supervisor"]
    assert "llama_nb.config" in GRAPH["llama_nb.supervisor.supervisor"]
    assert "llama_nb.doctor" in GRAPH["llama_nb.kernel.server_commands"]  # importlib.import_module
    assert "llama_nb.supervisor" in GRAPH["llama_nb.kernel.backends"]  # the package runs too
    assert "llama_nb.answer.knowledge" in GRAPH["llama_nb.kernel.history"]
    assert "llama_nb.answer.facts" in GRAPH["llama_nb.answer.knowledge.stdlib"]  # ``from ..facts`` in a subpackage
    assert len(MODULES) > 40


def test_no_import_cycles() -> None:
    cycles = _cycles()
    detail = [" -> ".join(_path(c[0], c[0])) for c in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(detail)


def _violations(allowed: dict[str, set[str]]) -> list[str]:
    out = []
    for module, targets in GRAPH.items():
        layer = _top(module)
        if layer not in allowed:
            continue
        for target in sorted(targets):
            if _top(target) not in allowed[layer] and _top(target) != layer:
                out.append(f"{module} imports {target}")
    return out


def test_no_upward_imports() -> None:
    lower_than_tools = BASE | {"supervisor"}
    allowed: dict[str, set[str]] = {name: set(BASE) for name in BASE}  # base modules import each other only
    allowed["supervisor"] = set(BASE) - {"render"}  # the supervisor renders no magic and no shell line
    allowed.update({name: lower_than_tools | TOOLS for name in TOOLS})
    allowed[ANSWER] = set(BASE)  # knowledge of error messages: no supervisor, no surface
    allowed["kernel"] = lower_than_tools | TOOLS | {ANSWER}
    allowed["serverext"] = lower_than_tools | TOOLS
    allowed["cli"] = lower_than_tools | TOOLS
    bad = _violations(allowed)
    assert not bad, "upward or sideways imports:\n" + "\n".join(bad)


@pytest.mark.parametrize("source,target", [
    ("llama_nb.supervisor.manager", "llama_nb.kernel"),
    ("llama_nb.answer.knowledge", "llama_nb.kernel"),
    ("llama_nb.answer.facts", "llama_nb.supervisor"),
    ("llama_nb.kernel.session", "llama_nb.serverext"),
    ("llama_nb.serverext.service", "llama_nb.kernel"),
    ("llama_nb.config", "llama_nb.supervisor"),
])
def test_the_rule_catches_an_upward_import(source: str, target: str) -> None:
    # the same rule with one bad edge added must fail: the test is not vacuous
    allowed: dict[str, set[str]] = {name: set(BASE) for name in BASE}
    allowed["supervisor"] = set(BASE) - {"render"}
    allowed[ANSWER] = set(BASE)
    allowed["kernel"] = BASE | {"supervisor"} | TOOLS | {ANSWER}
    allowed["serverext"] = BASE | {"supervisor"} | TOOLS
    saved = GRAPH[source]
    GRAPH[source] = saved | {target}
    try:
        assert any(line.startswith(f"{source} imports {target}") for line in _violations(allowed))
    finally:
        GRAPH[source] = saved


def test_the_answer_layer_imports_no_surface() -> None:
    """``llama_nb.answer`` (what an error means) sits below the kernel, which imports it: it imports no surface."""
    answer = [m for m in GRAPH if _top(m) == ANSWER]
    bad = [f"{m} imports {t}" for m in answer for t in sorted(GRAPH[m]) if _top(t) in SURFACES]
    assert not bad, "the answer layer imports a surface:\n" + "\n".join(bad)
    assert len(answer) > 5  # its modules were walked: the test is not vacuous


def test_a_cycle_is_caught() -> None:
    saved = GRAPH["llama_nb.config"]
    GRAPH["llama_nb.config"] = saved | {"llama_nb.supervisor.supervisor"}
    try:
        assert any("llama_nb.config" in c for c in _cycles())
    finally:
        GRAPH["llama_nb.config"] = saved


def _unit(module: str) -> str:
    top = _top(module)
    return top or PKG


def test_the_architecture_doc_lists_every_arrow_and_no_other() -> None:
    """docs/architecture.md, "The layers", names each layer's imports: it stays true to the code."""
    doc = (ROOT.parent / "docs" / "architecture.md").read_text()
    section = doc[doc.index("## The layers"):doc.index("## Supervision")]
    listed: set[tuple[str, str]] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) != 2:
            continue
        source = cells[0].strip("`").removesuffix("/__init__.py").removesuffix(".py").rstrip("/")
        source = PKG if source == PKG else source
        for target in cells[1].split(","):
            name = target.split("(")[0].strip().strip("`")
            if name:
                listed.add((source, name))
    actual = {(_unit(m), _unit(w)) for m, targets in GRAPH.items() for w in targets if _unit(m) != _unit(w)}
    assert listed, "the table of arrows in docs/architecture.md was not found"
    assert listed == actual, f"docs/architecture.md lists {sorted(listed - actual)} that the code lacks; the code has {sorted(actual - listed)} that it lacks"


#: The longest a module of llama_nb may be.
MAX_MODULE_LINES = 500
#: The modules still longer, each with its length today as its ceiling: one may shrink (then lower its number, or
#: take it off once it is at most MAX_MODULE_LINES) but never grow, and no module joins the list. The target is none.
OVER_THE_LIMIT = {
}


def _lines(relative: str) -> int:
    return len((ROOT / relative).read_text().splitlines())


def test_no_module_is_longer_than_the_limit() -> None:
    too_long = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        n = _lines(relative)
        if n > OVER_THE_LIMIT.get(relative, MAX_MODULE_LINES):
            too_long[relative] = n
    assert not too_long, (f"modules over {MAX_MODULE_LINES} lines (or over their ceiling in OVER_THE_LIMIT): {too_long}; "
                          "split them by what they know")


def test_the_allow_list_names_only_modules_still_over_the_limit() -> None:
    """So the list can only shrink: a module brought down to the limit leaves it."""
    for relative, ceiling in OVER_THE_LIMIT.items():
        n = _lines(relative)
        assert n > MAX_MODULE_LINES, f"{relative} has {n} lines now: take it off OVER_THE_LIMIT"
        assert n <= ceiling


_ROUND_OR_DATE = re.compile(r"round\d|\d{4}")


def test_no_module_is_named_after_a_round_or_a_date() -> None:
    """A module is named by what it knows, not by when it was written (hints_round8, notes_2026)."""
    assert _ROUND_OR_DATE.search("hints_round8") and _ROUND_OR_DATE.search("notes_2026")  # the pattern catches them
    bad = [m for m in MODULES if any(_ROUND_OR_DATE.search(part) for part in m.split("."))]
    assert not bad, f"modules named after a round or a date: {bad}"

