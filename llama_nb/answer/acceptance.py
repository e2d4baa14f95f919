"""Where a proposed fix goes in the cell, and whether the result is a repair rather than an escape.

A model proposes either a whole corrected cell or "only the corrected line(s)". :func:`fixed_cells`
turns a candidate into the cells it can mean: the whole candidate, or the candidate put in place of
the lines it edits (matched line by line), or put before the failing statement when every line of it
is new. :func:`refusal` then says why a fixed cell is not a repair, or ``None``:

* it must parse and differ from the cell;
* no new ``try``/``except`` and no ``contextlib.suppress``: hiding the error is not fixing it; nor a new
  step that fills in, drops or skips the values that raised (:mod:`.escapes`);
* every name the cell binds at its top level is still bound (a module it imports aside);
* no line of the cell is deleted: each is kept or changed into a similar line (the failing statement
  included: changed, never dropped);
* the lines after the failing statement run as written (its prints and asserts are part of the check);
* no name holding data from earlier cells is given new literal data (``df = pd.DataFrame({...})``).

Only a cell that passes this and then runs to its end in the sandbox is marked passed.
"""

from __future__ import annotations

import ast
import difflib
import linecache
import textwrap
from collections import Counter
from dataclasses import dataclass
from types import TracebackType
from typing import Callable

from .bindings import assigned, bound, from_literals, is_literal, loop_targets_only, method_of_data
from .dataflow import dropped_subject, lost_update
from .escapes import data_escape, suppressions
from .hazards import HAZARD, hazard_in
from .values import CELL_FILE

#: Two lines at least this similar are one line changed (not a deletion plus a new line).
SIMILAR = 0.5
#: A candidate line at least this similar to a cell line is taken as an edit of that line.
EDIT = 0.6
#: The refusal of a fixed cell that is the cell as it failed (comments and blank lines aside).
UNCHANGED = "it changes nothing in the cell"


@dataclass(frozen=True)
class Span:
    """Lines ``first``..``last`` (1-based, inclusive) of the cell: the failing statement."""

    first: int
    last: int


# -- where the error is --------------------------------------------------------------------------


def failing_line(exc: BaseException, cell: str) -> int | None:
    """The cell's line the exception came from: the deepest traceback frame whose line is that cell's line."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return exc.lineno
    chain = failing_chain(exc, cell)
    return chain[-1] if chain else None


def failing_chain(exc: BaseException, cell: str) -> tuple[int, ...]:
    """Every line of the cell the exception passed through, outermost first: the calls in the cell that led
    to the failing line, then that line. Each of them raised it (a traceback frame of the cell is on it)."""
    lines = cell.splitlines()
    found: list[int] = []
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        code, lineno = tb.tb_frame.f_code, tb.tb_lineno
        if 1 <= lineno <= len(lines) and _is_cell_file(code.co_filename):
            text = linecache.getline(code.co_filename, lineno)
            if (not text or text.strip() == lines[lineno - 1].strip()) and found[-1:] != [lineno]:
                found.append(lineno)  # once per line in a row: a comprehension's own frame is its line's
        tb = tb.tb_next
    return tuple(found)


def _is_cell_file(name: str) -> bool:
    return bool(CELL_FILE.search(name))


def statement_span(cell: str, line: int) -> Span:
    """The innermost statement containing ``line``; for a compound statement's header, the header only."""
    try:
        tree = ast.parse(cell)
    except SyntaxError:
        return Span(line, line)
    best = Span(line, line)
    best_size: int | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        first, last = node.lineno, node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            first = min([first] + [d.lineno for d in decorators])
            last = body[0].lineno - 1  # the header: a compound statement fails at its header
            if last < first:
                last = first
        if first <= line <= last and (best_size is None or last - first < best_size):
            best, best_size = Span(first, last), last - first
    return best


# -- putting a candidate in ----------------------------------------------------------------------


def _strip(line: str) -> str:
    return line.strip()


def _meaningful(lines: list[str]) -> list[str]:
    return [s for s in (_strip(x) for x in lines) if s and not s.startswith("#")]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _place(candidate: list[str], indent: str) -> list[str]:
    body = textwrap.dedent("\n".join(candidate)).splitlines()
    return [indent + x if x.strip() else x for x in body]


def fixed_cells(cell: str, line: int | None, candidate: str) -> list[str]:
    """The cells ``candidate`` can mean for ``cell`` failing at ``line``: most likely first, no duplicates."""
    cell_lines = cell.splitlines()
    cand_lines = [x for x in candidate.strip("\n").splitlines()]
    while cand_lines and not cand_lines[-1].strip():
        cand_lines.pop()
    if not cand_lines:
        return []
    out: list[str] = []
    original = _meaningful(cell_lines)
    shared = sum(1 for s in original if s in set(_meaningful(cand_lines)))
    if original and len(cand_lines) >= 2 and shared / len(original) >= 0.5:
        out.append("\n".join(cand_lines))  # a whole corrected cell
    spliced = _splice(cell_lines, line, cand_lines)
    out.extend(spliced)
    if not out:
        out.append("\n".join(cand_lines))
    return list(dict.fromkeys(c for c in out if c.strip()))


def _splice(cell_lines: list[str], line: int | None, cand: list[str]) -> list[str]:
    """The candidate in place of the cell lines it matches (or before the failing statement)."""
    stripped = [_strip(x) for x in cell_lines]
    matches: list[int] = []
    for c in cand:
        s = _strip(c)
        if not s or s.startswith("#"):
            continue
        if s in stripped:
            idx = _nearest([i for i, x in enumerate(stripped) if x == s], line)
            matches.append(idx)
            continue
        best = max(range(len(stripped)), key=lambda i: _ratio(s, stripped[i]), default=None)
        if best is not None and stripped[best] and _ratio(s, stripped[best]) >= EDIT:
            matches.append(best)
    span = statement_span("\n".join(cell_lines), line) if line else None
    results: list[str] = []
    if matches and any(_strip(c) not in stripped for c in cand if _strip(c)):
        first, last = min(matches), max(matches)
        if span is not None:
            # An edit of a multi-line statement replaces the whole statement.
            if span.first - 1 <= last and first <= span.last - 1:
                first, last = min(first, span.first - 1), max(last, span.last - 1)
        placed = _place(cand, _indent(cell_lines[first]))
        results.append("\n".join(cell_lines[:first] + placed + cell_lines[last + 1 :]))
    elif span is not None:
        # Every line is new: it goes before the failing statement (an import, a conversion, a default),
        # or, where it reads as the failing statement rewritten, in its place.
        first, last = span.first - 1, span.last - 1
        trimmed = _trim_context(cell_lines, first, last, cand)
        if not trimmed:
            return results
        placed = _place(trimmed, _indent(cell_lines[first]))
        failing = " ".join(stripped[first : last + 1])
        similar = max((_ratio(_strip(c), failing) for c in trimmed if _strip(c)), default=0.0)
        replace = "\n".join(cell_lines[:first] + placed + cell_lines[last + 1 :])
        insert = "\n".join(cell_lines[:first] + placed + cell_lines[first:])
        results.extend([replace, insert] if similar >= SIMILAR else [insert, replace])
    return results


def _nearest(indices: list[int], line: int | None) -> int:
    if line is None:
        return indices[0]
    return min(indices, key=lambda i: abs(i - (line - 1)))


def _trim_context(cell_lines: list[str], first: int, last: int, cand: list[str]) -> list[str]:
    """The candidate less leading lines equal to the cell's lines before the span and trailing ones after it."""
    out = list(cand)
    before = [_strip(x) for x in cell_lines[:first]]
    after = [_strip(x) for x in cell_lines[last + 1 :]]
    while out and before and _strip(out[0]) == before[-1]:
        out.pop(0)
        before.pop()
    while out and after and _strip(out[-1]) == after[0]:
        out.pop()
        after.pop(0)
    return out


# -- is it a repair? -----------------------------------------------------------------------------


#: ``holds(name, key)``: whether the kernel's ``name`` (data of earlier cells) already has the column or key ``key``.
Holds = Callable[[str, object], bool]


def refusal(
    cell: str,
    fixed: str,
    span: Span | None,
    known_names: frozenset[str] = frozenset(),
    chain: tuple[Span, ...] = (),
    holds: Holds | None = None,
    is_data: Callable[[str], object] | None = None,
) -> str | None:
    """Why ``fixed`` is not a repair of ``cell`` (whose failing statement is ``span``), or ``None``.

    ``known_names`` are the names the kernel held before the cell ran (the data of earlier cells). ``chain``:
    the cell's other statements the error passed through (a call after a function's definition that led to
    the failing line in its body): they raised it too, so a repair may change them; the rest runs as written.
    ``holds`` says which columns or keys that data already has: a constant written over one is edited data.
    ``is_data`` says which names the kernel holds data in (not a module, class or function): what the failing
    statement computes must still be computed from the data it indexes or calls a method of."""
    try:
        new_tree = ast.parse(fixed)
    except SyntaxError as exc:
        return f"the fixed cell does not parse ({exc.msg}, line {exc.lineno})"
    try:
        old_tree = ast.parse(cell)
    except SyntaxError:
        old_tree = None  # the cell itself was the syntax error: only the escape checks below apply
    if _meaningful(cell.splitlines()) == _meaningful(fixed.splitlines()):
        return UNCHANGED
    if suppressions(new_tree) > suppressions(old_tree, cell):
        return "it adds a try/except (or suppress): that hides the error instead of fixing it"
    escape = data_escape(old_tree, new_tree, cell)
    if escape:
        return escape
    old_lines = cell.splitlines()
    spent_names, spent_lines = _spent_imports(old_tree, old_lines, span)
    if old_tree is not None:
        # A name the cell binds only as a loop's target is how it walked the data, not what it computes: a
        # repair may walk it another way (``for key in list(d)`` for ``for key, value in d.items()``).
        lost = sorted(bound(old_tree) - spent_names - bound(new_tree) - loop_targets_only(old_tree))
        if lost:
            return f"it no longer sets {', '.join(f'`{n}`' for n in lost[:3])}"
    old_meaningful = _meaningful(old_lines)
    new_meaningful = _meaningful(fixed.splitlines())
    new_set, old_set = set(new_meaningful), set(old_meaningful)
    changed = [n for n in new_meaningful if n not in old_set]  # lines the fix wrote
    kept = Counter(new_meaningful)
    for s in old_meaningful:
        if spent_lines[s] > 0 and kept[s] == 0:  # an import the fix no longer needs (:func:`_spent_imports`)
            spent_lines[s] -= 1
            continue
        if kept[s] > 0:  # counted: of two equal lines, deleting one is a deletion
            kept[s] -= 1
            continue
        # A line that is gone must have become one of the fix's lines (each stands for one old line): one that
        # assigns the same target (``songs: list = field(default_factory=list)`` for ``songs: list = []``), else
        # the most similar.
        target = assigned(s)
        same = next((n for n in changed if target is not None and assigned(n) == target), None)
        best = same or max(changed, key=lambda n: _ratio(s, n), default=None)
        if best is None or (same is None and _ratio(s, best) < SIMILAR):
            return f"it removes the line `{_short(s)}`"
        changed.remove(best)
    if span is not None:
        raised = {n for s in chain for n in range(s.first, s.last + 1)}
        # A compound statement that fails at its header (a loop whose iteration the body broke, a class its
        # decorator refused) is repaired in its body too: the lines after the error are those after it.
        end = _compound_end(old_tree, span) if old_tree is not None else span.last
        after = _meaningful([text for n, text in enumerate(old_lines[end:], start=end + 1) if n not in raised])
        if not _subsequence(after, new_meaningful):
            missing = next((s for s in after if s not in new_set), after[-1] if after else "")
            return f"it changes the line after the error `{_short(missing)}`: the rest of the cell must run as written"
    if old_tree is not None:
        edited = _new_literal_data(old_tree, new_tree, known_names, holds, is_data)
        if edited:
            return f"it replaces the data in `{edited}` from earlier cells with new literal values"
        constant = _constant_instead(old_tree, new_tree, span)
        if constant:
            return f"it sets `{constant}` to a constant instead of computing it"
        copy = lost_update(old_tree, new_tree)
        if copy:
            return f"`{copy[0]}` is now a parameter of `{copy[1]}` that it only updates: the update changes the function's own copy and is lost"
        dropped = dropped_subject(old_tree, new_tree, span.first if span else None, is_data) if is_data is not None else None
        if dropped:
            return f"`{dropped[0]}` is no longer computed from `{dropped[1]}`, the data the line that raised reads: the fix computes something else"
        failing = " ".join(_strip(x) for x in old_lines[span.first - 1 : span.last]) if span else ""
        wrapped = _wrapped(cell, old_tree, fixed, new_tree, failing)
        if wrapped:
            return wrapped
    hazard = hazard_in(old_tree, new_tree)
    if hazard:
        return f"it uses {hazard}, {HAZARD} (it could tamper with the check)"
    return None


def _compound_end(tree: ast.AST, span: Span) -> int:
    """The last line of the compound statement whose header is ``span`` (decorators included); else ``span.last``."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(node, ast.stmt) or not (isinstance(body, list) and body and isinstance(body[0], ast.stmt)):
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if first == span.first and (node.end_lineno or node.lineno) > span.last:
            return node.end_lineno or span.last
    return span.last


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def _spent_imports(tree: ast.AST | None, lines: list[str], span: Span | None) -> tuple[set[str], Counter[str]]:
    """The cell's imports that a fix may drop, as ``(the names they bind, their lines)``: top-level imports that
    ran before the failing statement (the kernel has the module; a module is not a result) and share their lines
    with no other statement. The failing import itself, or one after it, is not among them."""
    names: set[str] = set()
    texts: Counter[str] = Counter()
    if not isinstance(tree, ast.Module) or span is None:
        return names, texts
    body = tree.body
    for i, node in enumerate(body):
        end = node.end_lineno or node.lineno
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or end >= span.first:
            continue
        alone = (i == 0 or (body[i - 1].end_lineno or 0) < node.lineno) and (i + 1 == len(body) or body[i + 1].lineno > end)
        if alone:
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
            texts.update(_meaningful(lines[node.lineno - 1 : end]))
    return names, texts


def _new_literal_data(old: ast.AST, new: ast.AST, known: frozenset[str], holds: Holds | None = None, is_data: Callable[[str], object] | None = None) -> str | None:
    old_statements = {ast.dump(s) for s in ast.walk(old) if isinstance(s, ast.stmt)}
    rebound_by_cell = bound(old, imports=False)  # the cell's own literals may change; an imported name's data may not
    # Names the fix gives literal data of its own (``data = {...}``): data built from them is literal too
    # (``df = pd.DataFrame(data)``).
    literal_names = {
        t.id
        for node in ast.walk(new)
        if isinstance(node, ast.Assign) and ast.dump(node) not in old_statements and is_literal(node.value)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id not in known
    }
    for node in ast.walk(new):
        if not isinstance(node, ast.Assign) or ast.dump(node) in old_statements:
            continue
        if not is_literal(node.value) and not from_literals(node.value, literal_names):
            continue
        if method_of_data(node.value, is_data):
            continue  # ``df.rename(columns={...})``: the data itself, renamed, reindexed or dropped from
        for target in node.targets:
            base = target
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name) and base.id in known and base.id not in rebound_by_cell:
                if isinstance(target, ast.Name) or isinstance(node.value, (ast.List, ast.Dict, ast.Tuple, ast.Set, ast.Call)):
                    return base.id
                # One constant over a column or key the data already has (``items['price'] = 10``); a new
                # column or key set to a constant (``df['flag'] = False``) is the cell's own.
                key = target.slice if isinstance(target, ast.Subscript) and target.value is base else None
                if isinstance(key, ast.Constant) and holds is not None and _holds(holds, base.id, key.value):
                    return f"{base.id}[{key.value!r}]"
    return None


def _holds(holds: Holds, name: str, key: object) -> bool:
    try:
        return bool(holds(name, key))
    except Exception:  # the kernel's object could not say: no finding
        return False


# -- new blocks around the cell's lines ------------------------------------------------------------

_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


def _header(node: ast.AST) -> str:
    try:
        if isinstance(node, ast.If | ast.While):
            return f"{type(node).__name__} {ast.unparse(node.test)}"
        if isinstance(node, ast.For | ast.AsyncFor):
            return f"for {ast.unparse(node.target)} in {ast.unparse(node.iter)}"
        if isinstance(node, ast.With | ast.AsyncWith):
            return "with " + ", ".join(ast.unparse(i) for i in node.items)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return f"{type(node).__name__} {node.name}"
        if isinstance(node, ast.Match):
            return f"match {ast.unparse(node.subject)}"
    except Exception:
        pass
    return type(node).__name__


def _first_lines(source: str, tree: ast.AST) -> dict[int, str]:
    lines = source.splitlines()
    return {id(n): _strip(lines[n.lineno - 1]) for n in ast.walk(tree) if isinstance(n, ast.stmt) and 0 < n.lineno <= len(lines)}


def _wrapped(cell: str, old: ast.AST, fixed: str, new: ast.AST, failing: str) -> str | None:
    """A new ``if False:``, loop, ``with`` or function around lines of the cell: they would no longer
    run as written. A guard ``if <condition>:`` around the failing statement alone is a repair."""
    old_first = set(_first_lines(cell, old).values())
    new_first = _first_lines(fixed, new)
    old_headers = [(type(n), _header(n)) for n in ast.walk(old) if isinstance(n, _COMPOUND)]
    for node in ast.walk(new):
        if not isinstance(node, _COMPOUND):
            continue
        head = _header(node)
        if any(t is type(node) and _ratio(h, head) >= SIMILAR for t, h in old_headers):
            continue  # the cell's own block (perhaps with its header fixed)
        inner = [new_first[id(c)] for c in ast.walk(node) if isinstance(c, ast.stmt) and c is not node and id(c) in new_first]
        kept = [t for t in inner if t in old_first]
        near = [t for t in inner if failing and _ratio(t, failing) >= SIMILAR]
        if not kept and not near:
            continue
        what = (kept or near)[0]
        if isinstance(node, ast.If):
            if is_literal(node.test) or isinstance(node.test, ast.Constant):
                return f"it puts `{_short(what)}` under an `if` that never changes: the line would not run"
            if all(t == failing or _ratio(t, failing) >= SIMILAR for t in kept):
                continue  # a guard around the failing statement only
        kind = {ast.If: "if", ast.For: "loop", ast.AsyncFor: "loop", ast.While: "loop", ast.With: "with", ast.AsyncWith: "with", ast.Try: "try"}.get(type(node), "definition")
        return f"it puts `{_short(what)}` inside a new {kind}: the rest of the cell must run as written"
    return None


def _constant_instead(old: ast.AST, new: ast.AST, span: Span | None) -> str | None:
    """A name the failing statement computed that the fix only ever sets to a literal (``total = 0``,
    ``rows = []``, ``data = None``): the error is gone because the computation is."""
    if span is None:
        return None
    old_dumps = {ast.dump(n) for n in ast.walk(old) if isinstance(n, ast.stmt)}
    computed: set[str] = set()
    for node in ast.walk(old):
        if isinstance(node, ast.Assign | ast.AnnAssign) and span.first <= node.lineno <= span.last and node.value is not None and not is_literal(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            computed |= {t.id for t in targets if isinstance(t, ast.Name)}
    for name in sorted(computed):
        values = [
            n.value
            for n in ast.walk(new)
            if isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None and any(isinstance(t, ast.Name) and t.id == name for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))
        ]
        others = [
            n
            for n in ast.walk(new)
            if isinstance(n, ast.AugAssign | ast.For | ast.With | ast.NamedExpr) and name in {x.id for x in ast.walk(n) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Store)}
        ]
        if values and not others and all(is_literal(v) for v in values):
            if not any(
                ast.dump(n) in old_dumps
                for n in ast.walk(new)
                if isinstance(n, ast.Assign | ast.AnnAssign) and any(isinstance(t, ast.Name) and t.id == name for t in getattr(n, "targets", [getattr(n, "target", None)]))
            ):
                return name
    return None
