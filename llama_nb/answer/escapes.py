"""Escapes: what makes an error go away without repairing it.

A ``try``/``except`` (or ``contextlib.suppress``) hides an error (:func:`suppressions`). So does a step
that fills in the values that raised (``.fillna(0)``, ``.ffill()``, ``np.nan_to_num``, ``.replace({None: 0})``,
``.where(ok, 0)``), drops the rows
that hold them (``.dropna()``, ``.drop_duplicates()``) or tells a reader to skip or replace what it
cannot read (``errors="ignore"``, ``on_bad_lines="skip"``, ``b.decode("utf-8", "replace")``): the cell
then runs on other data than the user's and computes something else (:func:`data_escape`). So may a new
filter that leaves out the items that raised (``[f(s) for s in xs if ok(s)]``, ``if ...: continue``): where
its items are named (:mod:`.skips`) it is run and judged by what it left out (:mod:`.guards`), else (a
``continue`` in a ``while`` loop) it is counted here. A step counts only where the fix adds it: a cell that
already filled, dropped or filtered may keep doing so, as written.

Turning unparseable text into NaN (``errors="coerce"``) is not counted: for a value that marks a missing
one (``"n/a"``, ``"?"``) it is the repair, for a real value written another way it is not, and only the
error's own words tell the two apart (the knowledge rules do that). The sandbox runs every candidate all
the same: these checks only refuse what would pass for the wrong reason.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

from . import skips

#: ``(what the step does, the method names that do it)``.
FAMILIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("fills in values the data does not have", frozenset({"fillna", "ffill", "bfill", "interpolate", "nan_to_num"})),
    ("drops rows of the data", frozenset({"dropna", "drop_duplicates"})),
)
SKIPPING = "skips the values that raised"
#: A new ``if`` filter in a comprehension, or a new ``continue`` in a loop: the items that raised are left out.
FILTERING = "leaves out items of the data"
#: Keyword arguments that make a reader skip or replace what it cannot read: ``{keyword: values}``.
SKIPS: dict[str, frozenset[str]] = {
    "errors": frozenset({"ignore", "replace"}),
    "encoding_errors": frozenset({"ignore", "replace"}),
    "on_bad_lines": frozenset({"skip", "warn"}),
}
#: Calls whose ``errors="ignore"`` loses no data: labels that are not there are not dropped or renamed.
_LABEL_CALLS = frozenset({"drop", "rename", "reindex"})
#: What a step of the same name is called on when it is not pandas' (``s.str.pad``, torch's ``F.interpolate``).
_NOT_PANDAS = frozenset({"str", "F", "torch", "nn", "functional"})
#: The missing values a ``.replace`` may be given to fill (``None``, ``np.nan``, ``pd.NA``, ``pd.NaT``).
_MISSING = frozenset({"nan", "NaN", "NA", "NaT"})
FILLING = FAMILIES[0][0]


def is_missing_value(node: ast.AST) -> bool:
    """Whether ``node`` writes a missing value: ``None``, ``np.nan``/``math.nan``/``pd.NA``/``pd.NaT``, ``float("nan")``."""
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.Attribute):
        return node.attr in _MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float" and node.args:
        arg = node.args[0]
        return isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip().lower() == "nan"
    return isinstance(node, ast.Name) and node.id in _MISSING


#: Array modules whose ``where`` is a choice between two arrays, not pandas' fill.
_ARRAY_MODULES = frozenset({"np", "numpy", "onp", "jnp", "cp", "cupy", "xp", "ma", "tf", "torch", "xr", "da", "F"})
_MISSING_TESTS = frozenset({"isna", "isnull", "notna", "notnull", "isnan"})


def _fills(call: ast.Call, name: str, owner: str) -> bool:
    """A step that fills under another name, called on a value (``x.replace``, ``x.where``), not a function:
    ``.replace`` of a missing value by a value (``{None: 0}``, ``np.nan, 0``; ``{np.nan: None}`` keeps it
    missing and fills nothing), ``.where(x.notna(), other)`` / ``.mask(x.isna(), other)`` where the condition
    is a test for missing values and ``other`` is not one (``x.where(x > 0, 0)`` is a clip, not a fill)."""
    if not isinstance(call.func, ast.Attribute) or owner in _NOT_PANDAS or owner in _ARRAY_MODULES:
        return False
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if name == "replace":
        if "regex" in keywords:  # a pattern's replace (to_replace=None, regex=...): text rewritten, nothing filled
            return False
        first = call.args[0] if call.args else keywords.get("to_replace")
        value = call.args[1] if len(call.args) > 1 else keywords.get("value")
        if isinstance(first, ast.Dict):
            return any(k is not None and is_missing_value(k) and not is_missing_value(v) for k, v in zip(first.keys, first.values))
        if value is not None and is_missing_value(value):
            return False
        if isinstance(first, (ast.List, ast.Tuple)):
            return any(is_missing_value(e) for e in first.elts)
        return first is not None and is_missing_value(first)
    if name in ("where", "mask"):
        cond = call.args[0] if call.args else keywords.get("cond")
        other = call.args[1] if len(call.args) > 1 else keywords.get("other")
        if cond is None or other is None or is_missing_value(other):
            return False
        return any(isinstance(n, ast.Call) and called_name(n) in _MISSING_TESTS for n in ast.walk(cond))
    return False


def called_name(call: ast.Call) -> str:
    """The name a call calls: ``f`` of ``f(x)``, ``g`` of ``x.g(y)``; "" for anything else."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def suppressions(tree: ast.AST | None, text: str = "") -> int:
    """How many ``try`` statements and ``suppress(...)`` contexts ``tree`` holds (for a cell that does not
    parse, ``text``, read line by line)."""
    if tree is None:
        return len(re.findall(r"^\s*try\s*:|\bsuppress\s*\(", text, re.M))
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


def _name(call: ast.Call) -> tuple[str, str]:
    """``(the called name, the name of what it is called on)``; ``getattr(x, "fillna")(...)`` is ``fillna``."""
    func = call.func
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr" and len(func.args) >= 2:
        arg = func.args[1]
        return (arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else ""), ""
    if isinstance(func, ast.Attribute):
        owner = func.value
        return func.attr, owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    return (func.id, "") if isinstance(func, ast.Name) else ("", "")


def _keywords(call: ast.Call) -> list[tuple[str, object]]:
    """The call's keyword arguments with their constant values (``**{"errors": "ignore"}`` included)."""
    out: list[tuple[str, object]] = []
    for kw in call.keywords:
        if kw.arg is not None:
            out.append((kw.arg, kw.value.value if isinstance(kw.value, ast.Constant) else None))
        elif isinstance(kw.value, ast.Dict):
            for k, v in zip(kw.value.keys, kw.value.values):
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    out.append((k.value, v.value if isinstance(v, ast.Constant) else None))
    return out


def _steps(tree: ast.AST) -> dict[str, Counter[str]]:
    """The fill, drop and skip steps in ``tree``, by family, each as its source text."""
    found: dict[str, Counter[str]] = {}

    def add(what: str, node: ast.AST, prefix: str = "") -> None:
        found.setdefault(what, Counter())[prefix + ast.unparse(node)] += 1

    judged = {s.position for s in skips.found(tree)}  # run and judged by what they skip (guards)
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            for cond in node.ifs:
                if (cond.lineno, cond.col_offset) not in judged:
                    add(FILTERING, cond, "if ")
            continue
        if isinstance(node, ast.Continue):
            if (node.lineno, node.col_offset) not in judged:
                add(FILTERING, node)
            continue
        if not isinstance(node, ast.Call):
            continue
        name, owner = _name(node)
        for what, names in FAMILIES:
            if name in names and owner not in _NOT_PANDAS:
                add(what, node)
        if _fills(node, name, owner):
            add(FILLING, node)
        if any(key in SKIPS and value in SKIPS[key] and not (key == "errors" and name in _LABEL_CALLS) for key, value in _keywords(node)):
            add(SKIPPING, node)
        elif name in ("decode", "encode") and len(node.args) >= 2:  # b.decode("utf-8", "ignore")
            second = node.args[1]
            if isinstance(second, ast.Constant) and second.value in ("ignore", "replace"):
                add(SKIPPING, node)
    return found


_STEP_NAMES = sorted(n for _, names in FAMILIES for n in names)
_TEXT_STEP = re.compile(r"\.(" + "|".join(_STEP_NAMES) + r")\s*\(|(errors|on_bad_lines)\s*=")


def _text_key(text: str) -> str:
    m = _TEXT_STEP.search(text)
    return (m.group(1) or m.group(2)) if m else text


def data_escape(old: ast.AST | None, new: ast.AST, old_text: str = "") -> str | None:
    """Why ``new`` (the fixed cell) escapes through the data where ``old`` (the cell) did not, or ``None``.

    Steps are counted by family: a fix may rewrite one of the cell's own (``fillna(method="ffill")`` made
    ``ffill()``), not add one; so widening ``dropna(subset=["a"])`` to ``dropna()`` is not seen here. A cell that
    does not parse (``old`` is ``None``) is read as ``old_text``: a step it has by name is not new."""
    after = _steps(new)
    if old is None:
        had = Counter(m.group(1) or m.group(2) for m in _TEXT_STEP.finditer(old_text))
        for what, steps in after.items():
            if what == FILTERING:
                continue  # a filter is not told apart from the cell's own by its text: only parsed cells are judged
            for step in steps.elements():
                key = _text_key(step)
                if had[key] > 0:
                    had[key] -= 1
                    continue
                return _said(what, step)
        return None
    before = _steps(old)
    for what, steps in after.items():
        had = before.get(what, Counter())
        if steps.total() > had.total():  # one more step of the family than the cell has
            added = steps - had
            return _said(what, next(iter(added or steps)))
    return None


def _said(what: str, step: str) -> str:
    shown = step if len(step) <= 60 else step[:59] + "…"
    return f"it {what} (`{shown}`): the error is gone because the values that raised are, and the cell computes something else"
