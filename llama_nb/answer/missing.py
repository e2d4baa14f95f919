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
import datetime
import math
import re
import sys
import types
from dataclasses import dataclass
from typing import Any

from .escapes import called_name, is_missing_value

#: Values with more cells than this are not counted (the count could take the run's time)...
SCAN_LIMIT = 1_000_000
#: ... nor with more items read one by one in Python (lists, text columns: about 60 ms at this many), or more
#: characters of text searched for a missing value's word.
ITEM_LIMIT = 200_000
CHAR_LIMIT = 2_000_000
#: Text that marks a missing value (compared stripped and lower-cased): counted as missing in the inputs.
MARKERS = frozenset({"", "n/a", "na", "nan", "null", "none", "nil", "-", "--", "?", "missing", "#n/a", "unknown"})
#: Steps whose missing values are by design (rows without a match, cells of a reshape, a window's start) or come
#: of the arithmetic itself (0/0, the spread of one value, a constant column's correlation, a log of a negative).
ALIGNING = frozenset(
    {
        "merge", "join", "concat", "align", "reindex", "reindex_like", "combine_first", "update", "shift", "diff",
        "pct_change", "rolling", "expanding", "ewm", "resample", "asfreq", "unstack", "stack", "pivot", "pivot_table",
        "crosstab", "melt", "explode", "where", "mask", "reindex_axis",
        "corr", "corrwith", "cov", "std", "var", "sem", "skew", "kurt", "kurtosis", "mean", "median", "quantile",
        "transform", "apply", "agg", "aggregate", "describe", "div", "truediv", "divide", "true_divide", "mod",
        "floordiv", "pow", "power", "log", "log2", "log10", "log1p", "sqrt", "arcsin", "arccos", "nanmean",
        "average", "percentile", "nanstd", "nanvar", "mode",
    }
)  # fmt: skip
#: Arithmetic that makes NaN of its own (0/0, 0.0 ** -1 is inf but inf - inf is NaN).
_NAN_OPS = (ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_DATETIMES = (datetime.date, datetime.datetime, datetime.time, datetime.timedelta)
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
        if _writes_missing(old):
            return None  # missing values the cell writes itself: not the fix's to answer for
        had = {ast.dump(s) for s in _statements(old)}
        statements = [(stmt, ast.dump(stmt) not in had) for stmt in _statements(new)]  # (statement, changed)
        targets: dict[tuple[str, str | None], None] = {}
        reads: dict[str, None] = {}
        for stmt, new_here in statements:
            if not new_here or not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) or stmt.value is None:
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
        # A step of the fixed cell that makes missing values by design, in a changed statement or in any
        # statement that writes one of its targets (``revenue = revenue.shift()`` after it), leaves it unjudged.
        names = {name for name, _ in targets}
        for stmt, new_here in statements:
            value = getattr(stmt, "value", None)
            if not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)) or value is None:
                continue
            written = {n.id for t in _written(stmt) for n in ast.walk(t) if isinstance(n, ast.Name)}
            if (new_here or written & names) and _aligning(value):
                return None
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


def _written(stmt: ast.stmt) -> list[ast.AST]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        return [stmt.target]
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute):
        return [stmt.value.func.value]  # df.update(other), s.fillna(..., inplace=True): writes what it is called on
    return []


def _aligning(value: ast.AST) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.BinOp) and isinstance(node.op, _NAN_OPS):
            return True
        if isinstance(node, ast.Call) and called_name(node) in ALIGNING:
            return True
    return False


#: Text a cell parses into a missing value (``float("nan")``, ``pd.to_datetime("NaT")``).
_MISSING_TEXT = frozenset({"nan", "na", "nat", "none", "null"})


def _writes_missing(tree: ast.AST) -> bool:
    return any(is_missing_value(node) or (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip().lower() in _MISSING_TEXT) for node in ast.walk(tree))


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


class Budget:
    """What one count may still read one by one in Python: items, and characters of text."""

    def __init__(self) -> None:
        self.items = ITEM_LIMIT
        self.chars = CHAR_LIMIT

    def take(self, items: int, chars: int = 0) -> bool:
        self.items -= items
        self.chars -= chars
        return self.items >= 0 and self.chars >= 0


def count(value: Any, markers: bool = False, budget: Budget | None = None) -> int | None:
    """The missing values (None, NaN, NaT, pd.NA; with ``markers``, text that marks one) in a number, a
    list, tuple or dict (one level in), a numpy array or a pandas Series or DataFrame; 0 for what holds no
    data (a module, a function); ``None`` when it cannot be told (too large, deeper than one level, a user's
    own object or container, a dtype not read here). Types are compared exactly (``type(x) is``): a proxy's
    ``__class__`` or a subclass's methods are never asked. ``budget``: shared by several counts (one is made
    for this count when none is given)."""
    try:
        return _count(value, markers, 0, budget if budget is not None else Budget())
    except Exception:
        return None


#: A missing value's word inside text that is parsed (``'{"a": null}'``, ``"x=None"``).
_MARKER_WORDS = re.compile(r"(?<![\w/])(?:null|none|nan|n/a|na|nil|nat)(?![\w/])", re.IGNORECASE)


def text_missing(text: str) -> int:
    """The missing values text marks: all of it (``"n/a"``, ``""``), or the words inside it (``null``)."""
    if text.strip().lower() in MARKERS:
        return 1
    return len(_MARKER_WORDS.findall(text))


def _item(item: Any, markers: bool, budget: Budget) -> int | None:
    """One item of a container: 1 when it is missing (or, with ``markers``, text that marks missing values:
    as many as it marks), 0 when it is a value; ``None`` when its type is not one read here."""
    kind = type(item)
    if item is None:
        return 1
    if kind is float:
        return int(math.isnan(item))
    if kind is str:
        if not markers:
            return 0
        return text_missing(item) if budget.take(0, len(item)) else None
    if kind in (int, bool, complex, bytes):
        return 0
    pandas, numpy = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pandas is not None and (item is pandas.NaT or item is getattr(pandas, "NA", None)):
        return 1
    if pandas is not None and kind in (pandas.Timestamp, pandas.Timedelta):
        return 0
    if numpy is not None and kind in (numpy.float64, numpy.float32, numpy.float16):
        return int(numpy.isnan(item))
    if numpy is not None and kind in (numpy.datetime64, numpy.timedelta64):
        return int(numpy.isnat(item))
    if numpy is not None and kind in (numpy.int64, numpy.int32, numpy.int16, numpy.int8, numpy.bool_, numpy.str_):
        return _item(str(item), markers, budget) if kind is numpy.str_ else 0
    decimal = sys.modules.get("decimal")
    if decimal is not None and kind is decimal.Decimal:
        return int(item.is_nan())
    if kind in _DATETIMES:
        return 0
    return None  # a user's object (or a library's we do not read): cannot be told


def _count(value: Any, markers: bool, depth: int, budget: Budget) -> int | None:
    kind = type(value)
    if kind in (list, tuple, set, frozenset, dict):
        if not budget.take(len(value)):
            return None
        items = list(value.values()) if kind is dict else list(value)
        total = 0
        for item in items:
            if type(item) in (list, tuple, set, frozenset, dict):
                inner = _count(item, markers, depth + 1, budget) if depth == 0 else None  # deeper: not told
            else:
                inner = _item(item, markers, budget)
            if inner is None:
                return None
            total += inner
        return total
    pandas, numpy = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pandas is not None and kind in (pandas.Series, pandas.DataFrame):
        if math.prod(value.shape) > SCAN_LIMIT:
            return None
        total = int(value.isna().to_numpy().sum())
        if markers:
            frame = value if kind is pandas.DataFrame else value.to_frame()
            for _, column in frame.items():
                if column.dtype.kind in "iufcbmM":
                    continue
                if not budget.take(len(column)):
                    return None
                for item in column.to_numpy(dtype=object):
                    if item is None or (type(item) is float and item != item):
                        continue  # counted by isna
                    found = _item(item, True, budget)
                    if found is None:
                        return None
                    total += found
        return total
    if numpy is not None and kind is numpy.ndarray:
        if value.size > SCAN_LIMIT or value.dtype.names is not None:
            return None  # too large, or a structured array: not read here
        if value.dtype.kind in "fc":
            return int(numpy.isnan(value).sum())
        if value.dtype.kind in "mM":
            return int(numpy.isnat(value).sum())
        if value.dtype.kind in "iub":
            return 0
        if value.dtype.kind in "OUS":
            if not budget.take(value.size):
                return None
            total = 0
            for item in value.ravel().tolist() if value.dtype.kind in "US" else value.ravel():
                found = _item(item, markers, budget)
                if found is None:
                    return None
                total += found
            return total
        return None
    if kind in (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, type):
        return 0  # holds no data
    return _item(value, markers, budget)


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


def introduced(namespace: dict[str, Any], watch: Watch, inputs: Inputs) -> list[list[int]]:
    """``[target index, missing values]`` for each of ``watch``'s targets that holds missing values its inputs
    did not have (the parent words them: :func:`trusted`); empty where the inputs had some, or could not
    all be counted."""
    try:
        if inputs.unknown or inputs.missing:
            return []
        for name in inputs.later:  # made by the cell before the changed statement; builtins are no data
            if name in namespace:
                found = count(namespace[name], markers=True)
                if found is None or found:
                    return []
        said = []
        for i, (name, key) in enumerate(watch.targets):
            value = namespace.get(name)
            if key is not None:
                value = _column(value, key)
            found = count(value) if value is not None else None
            if found:
                said.append([i, found])
        return said
    except Exception:  # a key whose hash or __eq__ raises: no finding
        return []


def _column(value: Any, key: str) -> Any:
    pandas = sys.modules.get("pandas")
    if type(value) is dict:
        return value.get(key)
    if pandas is not None and type(value) is pandas.DataFrame and key in value.columns:
        return value[key]
    return None


def label(name: str, key: str | None) -> str:
    return name if key is None else f"{name}[{key!r}]"


def trusted(said: Any, watch: Watch | None) -> tuple[str, ...]:
    """The child's ``[target index, count]`` pairs, worded by the parent from its own ``watch`` (the child's
    words are not trusted: anything that is not such a pair is dropped):
    ``"event_dates has 3 missing values"``, ``"df['col'] has 1 missing value"``."""
    if watch is None or not isinstance(said, (list, tuple)):
        return ()
    out: list[str] = []
    for pair in list(said)[:8]:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(type(x) is int for x in pair)):
            continue
        i, n = pair
        if 0 <= i < len(watch.targets) and 0 < n < 10**12:
            name, key = watch.targets[i]
            text = f"{label(name, key)} has {n} missing value{'s' if n != 1 else ''}"
            if text not in out:
                out.append(text)
    return tuple(out)
