"""Guards a fix puts around the failing statement, and what they left out when the fixed cell ran.

A new ``if <test>:`` around the failing statement alone can be a repair or an escape, and only the data
tells which. Skipping an item that holds no data (``None``, NaN, ``"n/a"``: ``if x is not None: total += x``)
is a repair; skipping real data is not: a line the regex failed to match (``if m: ids.append(...)``), a job
whose day count is 0, or the whole statement (a guard outside any loop that is false: ``if n > 0: rate = k / n``).
The error is then gone because the values that raised are, and the cell computes something else.

* :func:`found` (the parent): the fixed cell's new guards around the failing statement, each with the
  names of the items it judges (the targets of the loops around it in the cell, the parameters of the
  function it is in), and the fixed cell compiled with each guard's test passed through a recorder.
* :class:`Recorder` (the sandbox's child): per guard, how often it was tested and skipped, and how many of
  the skips left out an item that holds data: no missing value in it (:func:`.missing.count`, bounded,
  exact types; an item that cannot be told is not counted as data).
* :func:`trusted` (the parent): the child's ``[guard, skipped, of data]`` rows, worded from the parent's guards.

A guard with an ``else`` counts as one: what the ``else`` does instead (``rate = 0``, ``ids.append(None)``) is not
the statement run on those items, unless it holds the statement too (a branch on the item's type). A guard
whose statement only takes something away (``del``, ``.drop``, ``.pop``, ``.remove``) loses no data
when it skips it, and is not judged; nor is a guard in a ``while`` loop (its items are not named).
"""

from __future__ import annotations

import ast
import difflib
import sys
from dataclasses import dataclass
from typing import Any

from . import missing, skips

#: The name the recorder has in the child (a builtin there, so the fix's globals are as they were). A fix that
#: names it is refused by verify (it could tamper with the count).
RECORDER = "__llama_nb_guard__"
#: Two lines at least this similar are the failing statement and the guarded one (compared up to MAX_TEXT characters).
SIMILAR = 0.5
MAX_TEXT = 400
#: At most this many guards per fix, and distinct skipped values read in all (each count bounded by missing.Budget).
MAX_GUARDS = 8
MAX_READS = 64
#: Statements that only take something away: skipping one loses no data.
_REMOVING = frozenset({"drop", "pop", "remove", "discard", "popitem", "clear", "unlink", "rmdir"})
#: Tests of whether something is already there: a guard outside a loop that asks one makes a cell safe to run
#: again (``if "id" not in df.columns: df.insert(...)``), it does not skip data.
_EXISTS = frozenset({"hasattr", "exists", "isfile", "isdir", "isinstance", "callable"})


@dataclass(frozen=True)
class Guard:
    line: int
    test: str
    #: The names of the items it judges; empty when it is outside any loop and function (it skips the statement).
    items: tuple[str, ...]
    #: Other names its test reads: a container among them that holds missing values (``values`` of
    #: ``if values[i] is not None``) makes a skip one of those.
    context: tuple[str, ...] = ()
    #: ``"if"`` (around the failing statement), or one of :mod:`.skips`' kinds: a comprehension's filter, a
    #: loop's ``if ...: continue`` (anywhere in the fix: what it skips, it skips for every line after it).
    kind: str = "if"


@dataclass(frozen=True)
class Guards:
    guards: tuple[Guard, ...]
    #: The fixed cell with a call of :data:`RECORDER` first in each guard's skipping branch (the test itself is
    #: untouched: its truth is asked as written; same lines).
    code: Any
    #: New filters and loop ``continue`` guards past what is recorded (:data:`MAX_GUARDS`), or that could not
    #: be read: such a fix cannot be judged, and verify does not pass it.
    unjudged: int = 0


def found(cell: str, fixed: str, failing: str) -> Guards | None:
    """The new guards of ``fixed`` (the fixed cell) around ``failing`` (the text of ``cell``'s failing statement),
    with the instrumented code; ``None`` when there are none. The fix's new filters and loop ``continue``
    guards are judged wherever they are, where no failing statement is known too."""
    try:
        old, new = ast.parse(cell), ast.parse(fixed)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # a fix that does not parse is refused before it runs; a cell that did not parse has no own tests to tell
    try:
        shape = _statement(failing)
        headers = [_test(n) for n in ast.walk(old) if isinstance(n, ast.If)]
        lines = fixed.splitlines()
        chosen: list[tuple[list[ast.stmt], ast.If, Guard]] = []
        chosen_ifs: set[int] = set()
        for node, items in _ifs(new) if failing.strip() else ():
            if any(_similar(h, _test(node)) for h in headers) or isinstance(node.test, ast.Constant) or items is None:
                continue  # the cell's own ``if`` (perhaps with its test fixed), a constant, a ``while`` loop

            def hit(stmt: ast.stmt) -> bool:
                return _similar(_text(lines, stmt), failing) and _same_shape(stmt, shape)

            in_body = [x for x in node.body if hit(x)]
            in_else = [x for x in _walk(node.orelse) if hit(x)]
            other = node.orelse if in_body else node.body
            if any(_reads_like(x, shape) for x in _walk(other)):
                continue  # a branch that handles the other items another way (``else: d[k] = [v]``), not a skip
            guarded, skipping = (in_body, node) if in_body else (in_else, None)
            if not guarded or all(_removes(x) for x in guarded):
                continue
            if not items and (not all(isinstance(x, (ast.Assign, ast.AugAssign, ast.AnnAssign)) for x in guarded) or _asks_exists(node.test)):
                continue  # outside a loop: a statement that acts (insert, mkdir) or a test of what is there
            loaded = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            guard = Guard(node.lineno, _test(node), items, tuple(sorted(loaded - set(items)))[:8])
            # The branch taken when the statement is skipped: the else (made when there is none), or for an
            # inverted guard (``if m is None: ... else: ids.append(...)``) the body.
            chosen.append((node.orelse if skipping is not None else node.body, node, guard))
            chosen_ifs.add(id(node))
            if len(chosen) >= MAX_GUARDS:
                break
        filters, unjudged = _new_skips(old, new, headers, chosen_ifs, MAX_GUARDS - len(chosen))
        if not chosen and not filters and not unjudged:
            return None
        for i, (branch, node, _) in enumerate(chosen):
            branch.insert(0, _record(i, node))
        for i, (skip, _) in enumerate(filters, start=len(chosen)):
            if isinstance(skip.node, ast.If):  # ``if bad: continue``: recorded first in the body that skips
                skip.node.body.insert(0, _record(i, skip.node))
            elif skip.owner is not None and isinstance(skip.node, ast.expr):
                # A filter: ``True if test else RECORDER(i, (items...))``, its truth asked once.
                held = ast.Tuple([ast.Name(n, ast.Load()) for n in skip.items], ast.Load())
                call = ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(i), held], [])
                at = next(k for k, c in enumerate(skip.owner.ifs) if c is skip.node)
                skip.owner.ifs[at] = ast.copy_location(ast.IfExp(skip.node, ast.Constant(True), call), skip.node)
        ast.fix_missing_locations(new)
        found_guards = tuple(g for _, _, g in chosen) + tuple(g for _, g in filters)
        return Guards(found_guards, compile(new, "<fix>", "exec", dont_inherit=True), unjudged)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Guards((), None, unjudged=1) if _skips_in(fixed) else None


def _record(i: int, at: ast.AST) -> ast.stmt:
    return ast.copy_location(ast.Expr(ast.Call(ast.Name(RECORDER, ast.Load()), [ast.Constant(i)], [])), at)


def _new_skips(old: ast.AST, new: ast.AST, headers: list[str], chosen: set[int], room: int) -> tuple[list[tuple[skips.Skip, Guard]], int]:
    """The fix's new filters and loop ``continue`` guards (:mod:`.skips`), each as a guard to record, and how
    many more there are than ``room``. Not new: one like a test of the cell's own ``if`` or filters (each of
    those stands for one), one that takes the place of one of the cell's own of its kind that no test is like
    (the cell's filter rewritten: ``if (dr, dc) != (0, 0) and 0 <= r + dr < n``; the closest one), a constant,
    an ``if`` already judged around the failing statement."""
    own_skips = [(s.kind, _skip_test(s)) for s in skips.found(old)]
    own = list(headers) + [t for kind, t in own_skips if kind == skips.FILTER]
    unmatched: list[tuple[skips.Skip, str, ast.AST]] = []
    for skip in skips.found(new):
        test = skip.node.test if isinstance(skip.node, ast.If) else skip.node
        text = _unparse(test)
        if id(skip.node) in chosen or isinstance(test, ast.Constant):
            continue
        like = next((k for k, h in enumerate(own) if _similar(h, text)), None) if text else None
        if like is None:
            unmatched.append((skip, text, test))
            continue
        gone = own.pop(like)  # the cell's own, perhaps with its test fixed
        for pair in ((skips.FILTER, gone), (skips.CONTINUE, gone)):
            if pair in own_skips:
                own_skips.remove(pair)
                break
    for kind, text in own_skips:  # rewritten past likeness: it stands for the closest new one of its kind
        same = [u for u in unmatched if u[0].kind == kind]
        if same:
            unmatched.remove(max(same, key=lambda u: _ratio(u[1], text)))
    out: list[tuple[skips.Skip, Guard]] = []
    over = 0
    for skip, text, test in unmatched:
        if len(out) >= room or not text:
            over += 1
            continue
        loaded = {n.id for n in ast.walk(test) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        line = getattr(skip.node, "lineno", 0)
        out.append((skip, Guard(line, text, skip.items, tuple(sorted(loaded - set(skip.items)))[:8], skip.kind)))
    return out, over


def _ratio(a: str, b: str) -> float:
    if max(len(a), len(b)) > MAX_TEXT:
        return 1.0 if a == b else 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _skip_test(skip: skips.Skip) -> str:
    return _unparse(skip.node.test if isinstance(skip.node, ast.If) else skip.node)


def _skips_in(fixed: str) -> bool:
    """Whether ``fixed`` has any filter or loop ``continue`` (:mod:`.skips`) by its text, for a fix too deep to walk."""
    return " if " in fixed or "continue" in fixed


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:
        return ""


def names_recorder(fixed: str) -> bool:
    """Whether the fixed cell names the recorder (it could then count for it): such a fix is not run."""
    return RECORDER in fixed


def _ifs(tree: ast.AST) -> list[tuple[ast.If, tuple[str, ...] | None]]:
    """Every ``if`` statement with the names of the items around it (``None``: in a ``while`` loop)."""
    out: list[tuple[ast.If, tuple[str, ...] | None]] = []

    def visit(body: list[ast.stmt], items: tuple[str, ...] | None) -> None:
        for stmt in body:
            inner = items
            if isinstance(stmt, (ast.For, ast.AsyncFor)) and items is not None:
                inner = items + tuple(n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name))
            elif isinstance(stmt, ast.While):
                inner = None
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = stmt.args
                inner = tuple(x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs) if x.arg not in ("self", "cls")) or None
            elif isinstance(stmt, ast.ClassDef):
                inner = ()
            if isinstance(stmt, ast.If):
                out.append((stmt, items))
            for field in ("body", "orelse", "finalbody"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    visit(block, inner if field == "body" or not isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)) else items)
            for handler in getattr(stmt, "handlers", []) or []:
                visit(handler.body, inner)

    visit(getattr(tree, "body", []), ())
    return out


def _walk(body: list[ast.stmt]) -> list[ast.stmt]:
    return [x for stmt in body for x in ast.walk(stmt) if isinstance(x, ast.stmt)]


def _statement(text: str) -> ast.stmt | None:
    try:
        body = ast.parse(text.strip()).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return body[0] if len(body) == 1 else None


def _target(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign):
        return " ".join(ast.dump(t) for t in stmt.targets).replace("ctx=Load()", "").replace("ctx=Store()", "")
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        return ast.dump(stmt.target).replace("ctx=Load()", "").replace("ctx=Store()", "")
    return None


def _call(stmt: ast.stmt) -> str | None:
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return value.func.attr
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id
    return None


def _same_shape(stmt: ast.stmt, failing: ast.stmt | None) -> bool:
    """The failing statement's form: an assignment to the same target, or a call of the same name (``s = str(s)``
    before an unchanged ``n = s.upper()`` normalises, it does not guard the failing line)."""
    if failing is None:
        return True
    if _target(failing) is not None:
        return _target(stmt) == _target(failing)
    if _call(failing) is not None:
        return _call(stmt) == _call(failing)
    return type(stmt) is type(failing)


def _reads_like(stmt: ast.stmt, failing: ast.stmt | None) -> bool:
    """Whether ``stmt`` (in the else) computes from what the failing statement reads (``total += float(v)``
    for ``total += v``), not only a constant (``rates[name] = 0``, ``ids.append(0)``)."""
    value: ast.AST | None = getattr(stmt, "value", None)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        value = ast.Tuple([*stmt.value.args, *(k.value for k in stmt.value.keywords)], ast.Load())
    if value is None:
        return False
    reads = _data_reads(value)
    if failing is None:
        return bool(reads)
    return bool(reads & _data_reads(failing))


def _data_reads(tree: ast.AST) -> set[str]:
    """The names ``tree`` reads, less those it only calls (``print``, ``int``)."""
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in called}


def _asks_exists(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _EXISTS:
                return True
    return False


def _test(node: ast.If) -> str:
    return _unparse(node.test)


def _text(lines: list[str], stmt: ast.stmt) -> str:
    end = stmt.end_lineno or stmt.lineno
    return " ".join(x.strip() for x in lines[stmt.lineno - 1 : end])


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    if max(len(a), len(b)) > MAX_TEXT:
        return False  # a long line is matched only as written (the ratio is quadratic, and runs in the kernel)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _removes(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Delete):
        return True
    value = getattr(stmt, "value", None)
    func = value.func if isinstance(value, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr in _REMOVING


# -- in the sandbox's child ----------------------------------------------------------------------------


class Recorder:
    """Called as ``RECORDER(guard)`` first in each guard's skipping branch: counts the skips, and reads the
    skipped items in the caller's frame by name, until one of them holds real data (no user code is called
    beyond what :func:`.missing.count` reads by exact type; every count shares one budget, and each value is
    read once)."""

    def __init__(self, guards: Guards) -> None:
        self._guards = guards.guards
        self.rows = [[i, 0, 0] for i in range(len(self._guards))]  # [guard, skipped, skips of data]
        self._budget = missing.Budget()
        self._reads = 0
        self._seen: dict[int, bool | None] = {}

    def __call__(self, index: object, values: object = None) -> None:
        """``values``: a filter's items, as its comprehension holds them (read by name otherwise)."""
        if type(index) is not int or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        row[1] += 1
        if row[2] == 0 and self._reads < MAX_READS:
            try:
                frame = sys._getframe(1)
                guard = self._guards[index]
                items = dict(zip(guard.items, values)) if type(values) is tuple and len(values) == len(guard.items) else frame.f_locals
                if self._holds_data(guard, items, (frame.f_locals, frame.f_globals)):
                    row[2] += 1
            except Exception:  # a value that cannot be read: no finding
                pass

    def _holds_data(self, guard: Guard, items: Any, scopes: tuple[Any, ...]) -> bool:
        if not guard.items:
            return True  # the statement itself was skipped
        for name in guard.context:  # a container the test reads that holds missing values: a skip of those
            scope = next((s for s in scopes if name in s), None)
            value = scope[name] if scope is not None else None
            if type(value) not in _SCALARS and self._missing(value) is not False:
                return False
        return all(n in items and self._missing(items[n]) is False for n in guard.items)

    def _missing(self, value: Any) -> bool | None:
        """Whether ``value`` holds a missing value (``None``: cannot tell), read once per run."""
        key = id(value)
        if key in self._seen:
            return self._seen[key]
        self._reads += 1
        found = _missing_item(value, self._budget)
        if type(value) not in _SCALARS:
            self._seen[key] = found  # small values' ids are reused: only containers are remembered
        return found


_SCALARS = (type(None), bool, int, float, str, bytes, complex)


def _missing_item(value: Any, budget: missing.Budget) -> bool | None:
    """A skipped item holds no data: a missing value, text that is a missing value's marker as a whole (or a
    comment line: ``# ...``), or a row (a tuple, a named tuple, a list) with one of those in it."""
    kind = type(value)
    if kind is str:
        text = value.strip().lower()
        return text in missing.MARKERS or text.startswith("#")
    row = issubclass(kind, tuple)  # a named tuple too, read through tuple's own methods (never the class's)
    if (row and tuple.__len__(value) <= 64) or (kind is list and len(value) <= 64):
        parts = list(tuple.__iter__(value)) if row else list(value)
        found = [_missing_item(p, budget) if type(p) in _SCALARS else (missing.count(p, budget=budget) or 0) > 0 for p in parts]
        return True if any(f is True for f in found) else None if any(f is None for f in found) else False
    n = missing.count(value, budget=budget)
    return None if n is None else n > 0


def report(recorder: Recorder) -> list[list[int]]:
    return [list(r) for r in recorder.rows if r[1]]


# -- back in the parent ----------------------------------------------------------------------------------


def trusted(said: Any, guards: Guards | None) -> tuple[str, ...]:
    """The child's rows, worded from the parent's own guards (anything that is not such a row is dropped)."""
    if guards is None or not isinstance(said, (list, tuple)):
        return ()
    out: list[str] = []
    for row in list(said)[:MAX_GUARDS]:
        if not (isinstance(row, (list, tuple)) and len(row) == 3 and all(type(x) is int for x in row)):
            continue
        i, skipped, data = row
        if not (0 <= i < len(guards.guards) and 0 < data <= skipped < 10**12):
            continue
        g = guards.guards[i]
        test = g.test if len(g.test) <= 50 else g.test[:49] + "…"
        what = "an item holding real data" if skipped == 1 else f"{skipped} items, real data among them"
        if g.kind == skips.FILTER:
            text = f"the new filter `if {test}` left out {what} (no missing value): the error is gone because they are"
        elif g.kind == skips.CONTINUE:
            text = f"the new `if {test}: continue` skipped {what} (no missing value): the error is gone because they are"
        elif not g.items:
            text = f"the new `if {test}:` was false, so the line that raised never ran"
        else:
            text = f"the new `if {test}:` skipped the line that raised for {what} (no missing value): the error is gone because they are"
        if text not in out:
            out.append(text)
    return tuple(out)
