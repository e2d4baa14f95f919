"""Missing values a fix brings in: how an escape looks when only part of the result is gone.

A fix that makes the error go away by turning the values that raised into NaN (``errors="coerce"`` on
text written another way, ``pd.cut`` with the bins that held them left out, lists padded with ``None``)
runs to its end, and the cell computes something else on fewer values. :mod:`.degenerate` sees a result
that is *all* NaN; this sees part of one, by the data rather than by the code's words:

* :func:`changed` reads, from the cell and the fixed cell, the statements the fix changed or added: what
  they assign (a name, or a frame's or dict's column ``df["col"]``) and the names they read.
* In the sandbox's child, before the fixed cell runs, :func:`count_inputs` counts the missing values in
  what those statements read, text that marks a missing value (``"n/a"``, ``""``, ``"?"``) included;
  after it ran, :func:`introduced` counts the missing values in what they assigned. Where the data they
  read has none and the result has some, the fix made them.

Statements whose steps make missing values by design (a join, a reshape, a shift: :data:`ALIGNING`) are
not judged: their NaN may be the intended result. Every count is bounded (:data:`SCAN_LIMIT`); a value
too large, of a user's own type, or whose methods raise is not counted, and no finding is made from it.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

#: Values with more cells than this are not counted (the count could take the run's time)...
SCAN_LIMIT = 1_000_000
#: ... nor with more items read one by one in Python (lists, text columns: about 60 ms at this many).
ITEM_LIMIT = 200_000
#: Text that marks a missing value (compared stripped and lower-cased): counted as missing in the inputs.
MARKERS = frozenset({"", "n/a", "na", "nan", "null", "none", "nil", "-", "--", "?", "missing", "#n/a", "unknown"})
#: Steps whose missing values are by design (rows without a match, cells of a reshape, a window's start).
ALIGNING = frozenset(
    {
        "merge", "join", "concat", "align", "reindex", "reindex_like", "combine_first", "update", "shift", "diff",
        "pct_change", "rolling", "expanding", "ewm", "resample", "asfreq", "unstack", "stack", "pivot", "pivot_table",
        "crosstab", "melt", "explode", "where", "mask", "get", "map",
    }
)  # fmt: skip
#: At most this many targets and reads are judged per fix.
MAX_NAMES = 16


@dataclass(frozen=True)
class Watch:
    """What the statements a fix changed assign (``(name, column or None)``) and read (names)."""

    targets: tuple[tuple[str, str | None], ...]
    reads: tuple[str, ...]


def changed(cell: str, fixed: str) -> Watch | None:
    """The targets and reads of the fixed cell's statements that the cell does not have as written;
    ``None`` when there is nothing to judge (no such assignment, a cell that does not parse, an aligning step)."""
    try:
        old, new = ast.parse(cell), ast.parse(fixed)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    try:
        if _aligning(new) or _writes_missing(old):
            return None  # missing values the cell makes by design, or writes itself: not the fix's to answer for
        had = {ast.dump(s) for s in _statements(old)}
        targets: dict[tuple[str, str | None], None] = {}
        reads: dict[str, None] = {}
        for stmt in _statements(new):
            if ast.dump(stmt) in had or not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) or stmt.value is None:
                continue
            for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                for found in _targets(target):
                    targets[found] = None
            for node in ast.walk(stmt.value):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    reads[node.id] = None
            if isinstance(stmt, ast.AugAssign):
                for name, _ in _targets(stmt.target):
                    reads[name] = None
    except (RecursionError, MemoryError):
        return None
    if not targets:
        return None
    return Watch(tuple(targets)[:MAX_NAMES], tuple(reads)[:MAX_NAMES])


def _statements(tree: ast.AST) -> list[ast.stmt]:
    """The simple statements of a module, in loops and branches too, not in a function or a class."""
    out: list[ast.stmt] = []

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            out.append(stmt)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list):
                    visit(inner)
            for handler in getattr(stmt, "handlers", []) or []:
                visit(handler.body)

    visit(getattr(tree, "body", []))
    return out


def _aligning(value: ast.AST) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ALIGNING:
                return True
    return False


#: How code writes a missing value: ``None``, ``np.nan``/``math.nan``/``pd.NA``/``pd.NaT``, ``float("nan")``.
_MISSING_NAMES = frozenset({"nan", "NaN", "NA", "NaT", "NAN"})


def _writes_missing(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value is None:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _MISSING_NAMES:
            return True
        if isinstance(node, ast.Name) and node.id in _MISSING_NAMES:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip().lower() in ("nan", "na", "nat", "none", "null"):
            return True
    return False


def _targets(target: ast.AST) -> list[tuple[str, str | None]]:
    if isinstance(target, ast.Name):
        return [(target.id, None)]
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [(target.value.id, key.value)]
        return []
    if isinstance(target, (ast.Tuple, ast.List)):
        return [t for elt in target.elts for t in _targets(elt)]
    if isinstance(target, ast.Starred):
        return _targets(target.value)
    return []


# -- counting, in the sandbox's child --------------------------------------------------------------


def count(value: Any, markers: bool = False) -> int | None:
    """The missing values (None, NaN, NaT, pd.NA; with ``markers``, text that marks one) in a number, a
    list, tuple or dict (one level in), a numpy array or a pandas Series or DataFrame; 0 for what holds no
    data (a module, a function); ``None`` when it cannot be told (too large, a user's own container)."""
    try:
        return _count(value, markers, depth=0)
    except Exception:
        return None


#: A missing value's word inside text that is parsed (``'{"a": null}'``, ``"x=None"``).
_MARKER_WORDS = re.compile(r"(?<![\w/])(?:null|none|nan|n/a|na|nil|nat)(?![\w/])", re.IGNORECASE)


def text_missing(text: str) -> int:
    """The missing values text marks: all of it (``"n/a"``, ``""``), or the words inside it (``null``)."""
    if text.strip().lower() in MARKERS:
        return 1
    return len(_MARKER_WORDS.findall(text, 0, SCAN_LIMIT))


def _is_missing(item: Any, markers: bool) -> int:
    if item is None:
        return 1
    kind = type(item)
    if kind is float:
        return int(math.isnan(item))
    if kind is str:
        return text_missing(item) if markers else 0
    pandas = sys.modules.get("pandas")
    if pandas is not None and (item is pandas.NaT or item is getattr(pandas, "NA", None)):
        return 1
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(item, numpy.floating):
        return int(numpy.isnan(item))
    return 0


def _count(value: Any, markers: bool, depth: int) -> int | None:
    kind = type(value)
    if kind in (list, tuple, set, frozenset, dict):
        items = (list(value.values()) if kind is dict else list(value)) if len(value) <= ITEM_LIMIT else None
        if items is None or (depth == 0 and sum(len(i) for i in items if type(i) in (list, tuple, dict)) > ITEM_LIMIT):
            return None  # too many items, one level in included
        total = 0
        for item in items:
            if type(item) in (list, tuple, dict) and depth == 0:
                inner = _count(item, markers, depth + 1)
                if inner is None:
                    return None
                total += inner
            else:
                total += _is_missing(item, markers)
        return total
    if kind in (float, str) or value is None:
        return _is_missing(value, markers)
    pandas, numpy = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pandas is not None and isinstance(value, (pandas.Series, pandas.DataFrame, pandas.Index)) and kind.__module__.split(".")[0] == "pandas":
        if math.prod(value.shape) > SCAN_LIMIT:
            return None
        total = int(value.isna().to_numpy().sum())
        if markers:
            frame = value if isinstance(value, pandas.DataFrame) else value.to_frame()
            texts = [column for _, column in frame.items() if column.dtype == object or str(column.dtype) in ("string", "str")]
            if sum(len(column) for column in texts) > ITEM_LIMIT:
                return None
            for column in texts:
                total += sum(text_missing(item) for item in column.to_numpy() if type(item) is str)
        return total
    if numpy is not None and kind is numpy.ndarray:
        if value.size > SCAN_LIMIT:
            return None
        if value.dtype.kind in "fc":
            return int(numpy.isnan(value).sum())
        if value.dtype.kind == "M" or value.dtype.kind == "m":
            return int(numpy.isnat(value).sum())
        if value.dtype.kind in "OUS" and value.size > ITEM_LIMIT:
            return None
        if value.dtype.kind == "O":
            return sum(_is_missing(item, markers) for item in value.ravel())
        if value.dtype.kind in "US" and markers:
            return sum(text_missing(item) for item in value.ravel().tolist() if type(item) is str)
        return 0
    if isinstance(value, (int, bool, complex, bytes)) or callable(value) or type(value).__name__ == "module":
        return 0
    if numpy is not None and isinstance(value, numpy.generic):
        return _is_missing(value, markers)
    return None  # a user's own object: not read


@dataclass(frozen=True)
class Inputs:
    """What :func:`count_inputs` found before the run: the missing values in the reads it could count,
    the reads not there yet (the cell makes them: counted after the run), and whether any could not be."""

    missing: int
    later: tuple[str, ...]
    unknown: bool


def count_inputs(namespace: dict[str, Any], watch: Watch) -> Inputs:
    missing, later, unknown = 0, [], False
    targets = {name for name, _ in watch.targets}
    for name in watch.reads:
        if name not in namespace:
            if name not in targets:
                later.append(name)
            continue
        found = count(namespace[name], markers=True)
        if found is None:
            unknown = True
        else:
            missing += found
    return Inputs(missing, tuple(later), unknown)


def introduced(namespace: dict[str, Any], watch: Watch, inputs: Inputs) -> list[str]:
    """What the run's targets hold that their inputs did not: ``"event_dates has 3 missing values"``
    (``df['col'] has …`` for a column); empty where the inputs had some, or could not all be counted."""
    if inputs.unknown or inputs.missing:
        return []
    for name in inputs.later:  # made by the cell before the changed statement; builtins are no data
        if name in namespace:
            found = count(namespace[name], markers=True)
            if found is None or found:
                return []
    said = []
    for name, key in watch.targets:
        value = namespace.get(name)
        if key is not None:
            value = _column(value, key)
        found = count(value) if value is not None else None
        if found:
            said.append(f"{label(name, key)} has {found} missing value{'s' if found != 1 else ''}")
    return said


def _column(value: Any, key: str) -> Any:
    pandas = sys.modules.get("pandas")
    if type(value) is dict:
        return value.get(key)
    if pandas is not None and type(value) is pandas.DataFrame and key in value.columns:
        return value[key]
    return None


def label(name: str, key: str | None) -> str:
    return name if key is None else f"{name}[{key!r}]"


_SAID = re.compile(r"(?P<label>.+) has (?P<n>[1-9][0-9]{0,11}) missing values?")


def trusted(said: tuple[str, ...] | list[str], watch: Watch | None) -> tuple[str, ...]:
    """The child's findings that name one of ``watch``'s targets in :func:`introduced`'s words (the child's
    words are not trusted: anything else is dropped)."""
    if watch is None:
        return ()
    labels = {label(n, k) for n, k in watch.targets}
    out = []
    for text in said[:8]:
        m = _SAID.fullmatch(text) if isinstance(text, str) else None
        if m and m.group("label") in labels:
            out.append(text)
    return tuple(out)
