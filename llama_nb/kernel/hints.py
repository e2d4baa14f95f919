"""Hints: what Python's error message means for *this* cell, in one sentence each.

A small model names the cause well but often proposes a "fix" that repeats the failing code, or
copies the form of its worked example. The kernel knows more than the traceback: the live exception,
the failing line and the values on it. Each rule below reads the interpreter's own message (CPython,
pandas, numpy), looks at the failing line and, where it must, at builtin values (dict keys, DataFrame
columns, array shapes, whether a name hides a builtin), and states the concrete cause and the usual
repair; the explain prompt shows them as facts for the model to build on.

Safe and bounded like values.py: only builtin types, ``len``, dict keys, pandas columns and numpy
shapes are read, never a user object's ``repr`` or ``__eq__``; every rule is guarded; at most
:data:`MAX_HINTS` hints of at most :data:`MAX_LINE` characters. Rules are keyed on the error messages,
not on any benchmark's cells (bench/quality_cases.py keeps a held-out set that measures that).
"""

from __future__ import annotations

import ast
import builtins
import difflib
import functools
import itertools
import os
import re
import types
from typing import Any, Callable, Iterator

from ..answer.facts import (
    Facts as _Facts,
    frame_scope as _scope,
    names_on_line as _names_on,
    clip as _q,
    is_ndarray as _is_ndarray,
    is_dataframe as _is_dataframe,
    frames_in_line as _frames_in_line,
    call_end as _call_end,
    call_args_span as _call_args_span,
    sub1 as _sub1,
    parsed as _parsed,
    MISSING as _MISSING,
)
from ..answer.values import failing_line
from .hints_round8 import corrected_round8, round8_rules
from .hints_round9 import corrected_round9, round9_rules

MAX_HINTS = 3
MAX_LINE = 240
#: Longer failing lines (generated code, a pasted data literal) are not read for their structure: the rules
#: keyed on the message alone still speak, and no pattern gets a line long enough to take noticeable time.
MAX_SCANNED_LINE = 2000
#: The first this-many characters of a message are read (float() quotes all of a 10-million-character text).
MAX_SCANNED_MESSAGE = 2_000
#: Keys of a dict looked at for "did you mean" (difflib over a million keys took 3 s); a big dict is not copied.
MAX_SCANNED_KEYS = 5_000

#: Names people import under a conventional alias, and the import line that defines them.
ALIASES = {
    "pd": "import pandas as pd", "np": "import numpy as np", "plt": "import matplotlib.pyplot as plt",
    "sns": "import seaborn as sns", "tf": "import tensorflow as tf", "sp": "import scipy as sp",
    "mpl": "import matplotlib as mpl", "px": "import plotly.express as px", "sk": "import sklearn as sk",
    "nx": "import networkx as nx", "torch": "import torch", "math": "import math", "json": "import json",
    "os": "import os", "re": "import re", "sys": "import sys", "random": "import random", "time": "import time",
    "datetime": "import datetime", "csv": "import csv", "Path": "from pathlib import Path",
    "Counter": "from collections import Counter", "defaultdict": "from collections import defaultdict",
}

#: Modules a data scientist imports, for "did you mean" on a misspelt import.
KNOWN_MODULES = ("pandas", "numpy", "matplotlib", "seaborn", "scipy", "sklearn", "requests", "torch", "tensorflow",
                 "plotly", "statsmodels", "json", "math", "datetime", "collections", "random", "os", "re", "csv",
                 "pathlib", "itertools")

#: Method names from other languages, and Python's word for them, by the type that lacks them.
SYNONYMS: dict[str, dict[str, str]] = {
    "list": {"push": "append", "add": "append", "length": "len(...)", "size": "len(...)", "lenght": "len(...)",
             "contains": "`x in list`", "indexOf": "index", "remove_at": "pop", "concat": "extend", "each": "a for loop",
             "find": "index"},
    "str": {"length": "len(...)", "size": "len(...)", "toUpperCase": "upper", "toLowerCase": "lower", "trim": "strip",
            "contains": "`sub in s`", "indexOf": "find", "substring": "slicing s[a:b]", "append": "`+` (strings are immutable)",
            "reverse": "s[::-1]", "charAt": "s[i]"},
    "dict": {"has_key": "`key in d`", "length": "len(...)", "contains": "`key in d`", "add": "d[key] = value",
             "append": "d[key] = value", "iteritems": "items"},
    "set": {"append": "add", "push": "add", "length": "len(...)"},
    "DataFrame": {"sort": "sort_values", "append": "pd.concat([df, other])", "length": "len(df)", "ix": "loc / iloc",
                  "as_matrix": "to_numpy", "sort_index_by": "sort_values", "unique": "df[col].unique()", "len": "len(df)"},
    "Series": {"sort": "sort_values", "append": "pd.concat([s, other])", "length": "len(s)", "as_matrix": "to_numpy",
               "len": "len(s)", "lower": ".str.lower()", "upper": ".str.upper()", "strip": ".str.strip()",
               "split": ".str.split()", "replace_all": ".str.replace()", "contains": ".str.contains()"},
    "ndarray": {"append": "np.append(arr, values) (it returns a new array)", "extend": "np.concatenate([arr, values])",
                "insert": "np.insert(arr, i, value)", "remove": "np.delete(arr, i)", "push": "np.append(arr, values)",
                "length": "len(arr) or arr.size", "count": "np.count_nonzero(arr == value)", "index": "np.where(arr == value)",
                "sort_values": "np.sort(arr)", "pop": "arr[:-1]"},
}
#: Built-in functions people call as methods (``nums.sorted()``, ``xs.len()``): the fix is ``f(x)``.
_BUILTIN_FUNCS = ("sorted", "len", "sum", "max", "min", "reversed", "abs", "round", "enumerate", "zip")
#: Attributes (not methods) of arrays and frames that people call: ``a.shape(0)``.
_DATA_ATTRS = ("shape", "size", "ndim", "dtype", "dtypes", "T", "columns", "index", "values", "empty")
_IMMUTABLE_ADD = {"tuple": "tuples cannot grow: make a new one (`t = t + (x,)`) or use a list"}


def _type_name(value: Any) -> str:
    return type(value).__name__


def _an(word: str) -> str:
    """``an int``, ``a str``, ``a NumPy array (ndarray)``."""
    special = {"ndarray": "a NumPy array (ndarray)", "DataFrame": "a pandas DataFrame", "Series": "a pandas Series"}
    if word in special:
        return special[word]
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _short_repr(value: Any, limit: int = MAX_LINE) -> str:
    """``repr(value)`` of a str, number or tuple of them, made from at most ``limit`` characters of a long
    str (a 10-million-character text is not copied whole to be cut to 40); ``…`` for anything else (a
    user's ``__repr__`` is never called)."""
    kind = type(value)
    if kind is str:
        return repr(value if len(value) <= limit else value[:limit])
    if kind in (int, float, bool) or value is None:
        return repr(value)
    if kind is tuple:
        items = [_short_repr(v, limit) for v in itertools.islice(value, limit)]
        more = ", …" if len(value) > limit else ("," if len(value) == 1 else "")
        return "(" + ", ".join(items) + more + ")"
    return "…"


def _dict_keys(value: dict[Any, Any]) -> list[Any]:
    """The first :data:`MAX_SCANNED_KEYS` keys of a dict, without copying a big one."""
    return list(itertools.islice(value, MAX_SCANNED_KEYS))


def _keys(keys: list[Any], limit: int = 8) -> str:
    shown = [_short_repr(k) for k in keys[:limit] if type(k) in (str, int, float, bool, tuple)]
    return ", ".join(shown) + (", …" if len(keys) > limit else "")


def _close(word: str, options: list[str]) -> list[str]:
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, options, n=2, cutoff=0.75)


def _subscripted(line: str) -> list[str]:
    """Names subscripted on the line (``counts[word]`` gives ``counts``), outermost first."""
    return re.findall(r"\b([A-Za-z_]\w*)\s*\[", line)


# -- rules: each returns a hint or None -------------------------------------------------------------

def _key_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, KeyError) or not f.exc.args:
        return None
    key = f.exc.args[0]
    if type(key) not in (str, int, float, bool, tuple):
        return None
    for name in _subscripted(f.line):
        value = f.scope(name)
        if type(value) is dict:
            counting = re.search(rf"\b{re.escape(name)}\s*\[[^\]]+\]\s*(\+=|-=|\*=|\.append\(|\.add\()", f.line) or re.search(
                rf"\b{re.escape(name)}\s*\[([^\]]+)\]\s*=\s*{re.escape(name)}\s*\[\1\]", f.line)
            if counting:
                return (f"the key {key!r} is not in `{name}` yet the first time it is counted, so `+=` has nothing to add to; "
                        f"use `.get(key, 0) + 1`, or make `{name}` a `collections.defaultdict(int)`.")
            keys = _dict_keys(value)
            close = _close(key, [k for k in keys if type(k) is str]) if type(key) is str else []
            if close:
                return f"`{name}` has no key {key!r}, but it has {close[0]!r} (keys: {_keys(keys)}); keys are case-sensitive."
            return f"`{name}` has no key {key!r}; its keys are {_keys(keys) or 'none (it is empty)'}. Check with `{key!r} in {name}` or use `{name}.get({key!r})`."
    frames = _frames_in_line(f)
    if type(key) is int:
        for name, obj in frames:
            if not re.search(rf"\b{re.escape(name)}\s*(\.loc\s*)?\[", f.line):
                continue
            labels = list(obj.index[:9])
            return (f"`{name}[{key}]` looks up the index label {key}, not a position, and `{name}` has no such label "
                    f"(its {len(obj)} labels: {_keys(labels)}); to take a position use `{name}.iloc[i]` "
                    f"(0 to {len(obj) - 1}, or -1 for the last).")
    if type(key) is str:
        if "merge(" in f.line or ".join(" in f.line:
            parts = [f"`{n}` has columns {_keys(list(v.columns))}" for n, v in frames]
            lacking = [(n, [c for c in v.columns if type(c) is str]) for n, v in frames if key not in list(v.columns)]
            if len(parts) >= 2 and lacking:
                name, cols = lacking[0]
                close = _close(key, cols)
                has = f" (it has {close[0]!r})" if close else f" (its columns: {_keys(cols)})"
                return (f"`{name}` has no column {key!r}{has}, so merging on {key!r} fails; when the key columns are named "
                        f"differently, use `left_on=` and `right_on=` (or rename one column first).")
            if len(parts) >= 2:
                return (f"merge on {key!r} needs that column in both frames, but {'; '.join(parts)}: when the names differ, "
                        f"use `left_on=` and `right_on=` (or rename one column first).")
        for name, df in frames:
            cols = [c for c in df.columns if type(c) is str]
            if key in cols:
                continue
            close = _close(key, cols)
            hint = f"DataFrame `{name}` has no column {key!r}"
            return hint + (f"; it has {close[0]!r} (column names are case-sensitive)." if close else f"; its columns are {_keys(cols)}.")
    return None


def _attribute_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, AttributeError):
        return None
    m = re.search(r"'(?:[\w.]+\.)?(\w+)' object has no attribute '(\w+)'", f.message)
    if "Can only use .str accessor with string values" in f.message:
        return ("`.str` methods work only on a column of strings, and this one holds numbers: convert it first, "
                "e.g. `df[col].astype(str).str.zfill(5)`.")
    if not m:
        return None
    tname, attr = m.group(1), m.group(2)
    obj = re.search(rf"\b([A-Za-z_]\w*)\s*\.\s*{re.escape(attr)}\b", f.line)
    who = f"`{obj.group(1)}`" if obj else "the value"
    if tname == "NoneType":
        return _none_value(f, who, f"has no `.{attr}`")
    if tname == "dict" and obj is not None:
        value = f.scope(obj.group(1))
        if type(value) is dict and attr in value:
            return f"{who} is a dict; its key {attr!r} is read with brackets: `{obj.group(1)}[{attr!r}]` (dict keys are not attributes)."
    if tname in _IMMUTABLE_ADD and attr in ("append", "add", "extend", "insert", "push"):
        return f"{who} is {_an(tname)}; {_IMMUTABLE_ADD[tname]}."
    if attr in _BUILTIN_FUNCS and obj is not None:
        name = obj.group(1)
        return (f"`{attr}` is a built-in function, not a method of {_an(tname)}: write `{attr}({name})`"
                + (f" (a new sorted list; `{name}.sort()` on its own line sorts in place and returns None)." if attr == "sorted" else "."))
    value = f.scope(obj.group(1)) if obj else _MISSING
    known = SYNONYMS.get(tname, {}) if not _look_alike(tname, value) else {}
    if attr in known:
        return f"{who} is {_an(tname)}, which has no `.{attr}`; Python's way is {known[attr]}."
    if tname == "str" and attr in ("append", "remove", "insert"):
        return f"{who} is a str, and strings are immutable: build a new string instead."
    if value is not _MISSING and type(value).__name__ == tname and type(type(value)) is type:
        options = [a for a in dir(type(value)) if not a.startswith("_")]
        close = _close(attr, options)
        if close:
            return f"{who} is {_an(tname)}, which has no `.{attr}`; the similar name is `.{close[0]}`."
    return None


def _look_alike(tname: str, value: Any) -> bool:
    """Whether ``value`` is a user's object whose class only has the name of a pandas or NumPy one."""
    if value is _MISSING or tname not in ("DataFrame", "Series", "ndarray"):
        return False
    return not (_is_frame(value) if tname != "ndarray" else _is_ndarray(value))


def _none_value(f: _Facts, who: str, what: str) -> str:
    name = who.strip("`")
    # The last assignment before the failing line (``items = items.sort()`` after ``items = [3, 1, 2]``).
    before = f.cell.split(f.line, 1)[0] if f.line and f.line in f.cell else f.cell
    assigned = re.findall(rf"(?m)^[ \t]*{re.escape(name)}\s*=\s*(.+)$", before) if name.isidentifier() else []
    source = assigned[-1].strip() if assigned else ""
    inplace = re.search(r"\.(sort|reverse|append|extend|insert|shuffle|update|clear)\(", source)
    if inplace or re.search(r"\brandom\.shuffle\(", source):
        method = inplace.group(1) if inplace else "shuffle"
        return (f"{who} is None because `.{method}()` changes the object in place and returns None; call it on its own "
                f"line without assigning its result (or use the function that returns a new value, e.g. `sorted(...)`).")
    if re.search(r"\bre\.(match|search|fullmatch)\(|\.(match|search|fullmatch)\(", source):
        return (f"{who} is None because the regular expression did not match; check `if {name}:` (or `if {name} is not None:`) "
                f"before using it.")
    if source == "None":
        return (f"{who} was set to None (`{name} = None`) and has no other value yet, so it {what}; give it a value first, "
                f"or check `if {name} is not None:` before using it.")
    if re.search(r"\bprint\(", source):
        return f"{who} is None because print() returns None; keep the value itself instead."
    return f"{who} is None, so it {what}: the call that produced it returned None. Check it before use."


def _numeric_text(f: _Facts) -> tuple[str, str, str] | None:
    """``(name, text, "int"|"float")`` when the failing line adds a number to a str name whose text is a
    number (``x = "5"; x + 1``): the user meant arithmetic, so the repair is to convert the text."""
    if not re.search(r"can only concatenate str \(not \"(int|float)\"\)|for [-+*/]: '(int|float)' and 'str'|for [-/]: 'str' and '(int|float)'|can't multiply sequence by non-int of type 'float'", f.message):
        return None
    for name in _names_on(f.line):
        value = f.scope(name)
        if type(value) is not str or len(value) > MAX_SCANNED_LINE or not re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
            continue
        number = r"(\d+(\.\d+)?|[A-Za-z_]\w*)"
        if re.search(rf"(?<![\w.]){re.escape(name)}\s*[-+*/]\s*{number}\b|\b{number}\s*[-+*/]\s*{re.escape(name)}\b(?!\s*\()", f.line):
            return name, value, "float" if "." in value else "int"
    return None


def _called_data_attr(f: _Facts) -> tuple[str, str, str] | None:
    """``(name, attr, type)`` when the line calls an attribute of an array or frame (``a.shape(0)``)."""
    for m in re.finditer(rf"\b([A-Za-z_]\w*)\.({'|'.join(_DATA_ATTRS)})\s*\(", f.line):
        value = f.scope(m.group(1))
        kind = type(value).__name__
        if kind in ("ndarray", "DataFrame", "Series") and type(value).__module__.split(".")[0] in ("numpy", "pandas"):
            return m.group(1), m.group(2), kind
    return None


def _type_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, TypeError):
        return None
    msg = f.message
    m = re.search(r"unsupported operand type\(s\) for (\S+): '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in (m.group(2), m.group(3)):
        nones = [n for n in _names_on(f.line) if f.scope(n) is None]
        who = f"`{nones[0]}`" if nones else "a value"
        return _none_value(f, who, f"cannot be used with `{m.group(1)}`")
    numeric_text = _numeric_text(f)
    if numeric_text is not None:
        name, value, conv = numeric_text
        return (f"`{name}` holds the text {_q(_short_repr(value))} (a str), not a number, so Python will not do arithmetic with it; "
                f"convert it first: `{conv}({name})`.")
    if "can only concatenate str" in msg or re.search(r"unsupported operand type\(s\) for \+: '(int|float)' and 'str'", msg) or \
            re.search(r"unsupported operand type\(s\) for \+: 'str' and '(int|float)'", msg):
        m = re.search(r"\bsum\(\s*([A-Za-z_]\w*)\s*\)", f.line)
        if m:
            return (f"sum() adds numbers but `{m.group(1)}` holds strings: convert them first, "
                    f"e.g. `sum(int(x) for x in {m.group(1)})` (or float).")
        nums = [n for n in _names_on(f.line) if type(f.scope(n)) in (int, float)]
        texts = [n for n in _names_on(f.line) if type(f.scope(n)) is str]
        if nums:
            return (f"`{nums[0]}` is {_an(_type_name(f.scope(nums[0])))} and `+` cannot join it to text (a str); "
                    f"wrap it in `str({nums[0]})` (or use an f-string) to join text.")
        if texts:
            return (f"`{texts[0]}` is a str and `+` cannot add a number to it; convert it with `int({texts[0]})` or "
                    f"`float({texts[0]})` to do arithmetic, or the number with `str(...)` to join text.")
        return "text and a number are added with `+`: wrap the number in `str(...)` (or use an f-string) to join text, or convert the text with `int()`/`float()` to do arithmetic."
    if "can't multiply sequence by non-int of type" in msg:
        texts = [n for n in _names_on(f.line) if type(f.scope(n)) in (str, list, tuple)]
        if len(texts) >= 2:
            return (f"`{texts[0]}` and `{texts[1]}` are both {_type_name(f.scope(texts[0]))}s, not numbers, so they cannot be multiplied; "
                    f"convert them with `int()` or `float()` first.")
        return "both operands are sequences (text): convert the text to numbers with `int()` or `float()` before multiplying."
    m = re.search(r"object of type '(\w+)' has no len\(\)", msg)
    if m:
        arg = re.search(r"\blen\(\s*(\w+)\s*\)", f.line)
        if m.group(1) in ("int", "float"):
            who = f"`{arg.group(1)}` is {_an(m.group(1))}, a number, which" if arg else f"{_an(m.group(1))} (a number)"
            name = arg.group(1) if arg else "n"
            return f"{who} has no length; for its number of digits use `len(str({name}))`."
        return f"a {m.group(1)} has no length; len() works on sequences and collections."
    m = re.search(r"'(\w+)' object is not iterable", msg)
    if m:
        looped = re.search(r"\bin\s+len\(\s*([^()]+?)\s*\)", f.line)
        if looped:
            xs = looped.group(1)
            return f"`len({xs})` is one int, which cannot be looped over: loop over `range(len({xs}))`, or over `{xs}` itself."
        return f"a {m.group(1)} cannot be looped over; loop over a list, a range(...) or another iterable."
    m = re.search(r"'(\w+)' object is not callable", msg)
    if m:
        called = _called_data_attr(f)
        if called is not None:
            name, attr, kind = called
            return (f"`{name}.{attr}` is an attribute ({_an(m.group(1))}), not a method, so it cannot be called "
                    f"with `(...)`; drop the parentheses" + (f" and index it: `{name}.{attr}[0]`." if m.group(1) == "tuple" else "."))
        for name in _names_on(f.line):
            if hasattr(builtins, name) and f.scope(name) is not _MISSING and f.scope(name) is not getattr(builtins, name):
                return (f"the name `{name}` was given a value earlier ({_type_name(f.scope(name))}), which hides the built-in function "
                        f"`{name}()`; rename that variable (e.g. `total`) and run `del {name}` to get the built-in back.")
        return f"a {m.group(1)} value is called with `(...)` as if it were a function."
    if "object does not support item assignment" in msg:
        m = re.search(r"'(\w+)' object", msg)
        if m and m.group(1) == "str":
            target = re.match(r"\s*(\w+)\s*\[", f.line)
            who = f"`{target.group(1)}` is a str, and strings" if target else "strings"
            return f"{who} are immutable, so one character cannot be replaced in place; build a new string instead (slices and `+`, `.capitalize()`, `.replace(...)`)."
        if m and m.group(1) == "tuple":
            return "tuples are immutable; make a list (`list(t)`), change it, and convert back if needed."
    m = re.search(r"(list|tuple|string) indices must be integers or slices, not (\w+)", msg)
    if m:
        if m.group(2) == "float":
            idx = [n for n in re.findall(r"\[\s*(\w+)\s*\]", f.line) if type(f.scope(n)) is float]
            who = f"the index `{idx[0]}` is the float {f.scope(idx[0])!r}" if idx else "the index is a float"
            return f"{who} (the `/` operator always gives a float), and list indexes must be ints; use integer division `//` or `int(...)`."
        if m.group(2) == "str":
            return f"a {m.group(1)} is indexed by position (an int); to look up by a name, use a dict."
    m = re.search(r"'NoneType' object is not (subscriptable|iterable)", msg)
    if m:
        names = _subscripted(f.line) or [n for n in _names_on(f.line) if f.scope(n) is None]
        who = f"`{names[0]}`" if names and f.scope(names[0]) is None else "a value"
        return _none_value(f, who, f"is not {m.group(1)}")
    m = re.search(r"unhashable type: '(\w+)'", msg)
    if m:
        alt = {"list": "a tuple, e.g. `(1, 2)`", "dict": "a tuple of its items", "set": "a frozenset"}.get(m.group(1), "an immutable value")
        return f"a {m.group(1)} can change, so it cannot be a dict key or a set member; use {alt} instead."
    m = re.search(r"\b(\w+)\(\) missing (\d+) required positional arguments?: (.+)$", msg)
    if m:
        return f"`{m.group(1)}()` is called without {m.group(3)}; pass a value for each (or give the parameter a default)."
    m = None if "concat(" in f.line else re.search(r"\b(\w+)\(\) takes (\d+) positional arguments? but (\d+) (were|was) given", msg)
    if m and "self" not in msg:
        return f"`{m.group(1)}()` takes {m.group(2)} positional argument(s) but got {m.group(3)}."
    if "first argument must be an iterable of pandas objects" in msg or (
            re.search(r"concat\(\) takes \d+ positional argument", msg) and "concat(" in f.line):
        return "pd.concat takes ONE argument, a list of frames: `pd.concat([a, b])`, not `pd.concat(a, b)`."
    m = re.search(r"Cannot interpret '(.+?)' as a data type", msg)
    if m and re.search(r"np\.(zeros|ones|empty|full)\(", f.line):
        return "the shape is one argument, a tuple: `np.zeros((3, 4))`; the second positional argument is the dtype."
    if re.search(r"Cannot perform reduction '\w+' with (string|object) dtype|Could not convert .* to numeric|agg function failed \[how->\w+,dtype->object\]|unsupported operand type\(s\) for [+/]: 'str'", msg):
        return "the column holds strings (dtype object), not numbers: convert it first with `pd.to_numeric(df[col])` or `df[col].astype(float)`."
    return None


def _value_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, ValueError):
        return None
    msg = f.message
    if type(f.exc).__name__ == "JSONDecodeError":
        doc = getattr(f.exc, "doc", None)
        if isinstance(doc, str) and not doc.strip():
            return "the text given to the JSON parser is empty, and empty text is not JSON; check it first (`if raw.strip():`) or catch `json.JSONDecodeError`."
        return "the text is not valid JSON at the position given; print it to see what it really holds (often HTML or an error page)."
    if msg == "math domain error":
        call = _math_call(f)
        if call is not None:
            func, arg, value = call
            shown = f"`{arg}` is {value:g}" if not re.fullmatch(r"[-+]?[\d.]+", arg) else f"the argument is {arg}"
            if func in ("log", "log10", "log2") and value is not None and value <= 0:
                why = "the log of 0 is undefined (minus infinity)" if value == 0 else "the log of a negative number is not real"
                return (f"`math.{func}` needs a number greater than 0, but {shown}: {why}; check `if x > 0:` before the call "
                        f"(for data with zeros, `math.log1p(x)` is log(1 + x)).")
            if func == "sqrt" and value is not None and value < 0:
                return (f"`math.sqrt` needs a number of at least 0, but {shown}; check `if x >= 0:` first, take `abs(x)` "
                        f"if the sign does not matter, or use `cmath.sqrt` for a complex result.")
            if func in ("acos", "asin") and value is not None:
                return f"`math.{func}` needs a number between -1 and 1, but {shown}; clamp it first: `max(-1.0, min(1.0, x))`."
        return "the math module has no result for this input (the square root of a negative number, the log of 0 or of a negative number); check the value first."
    m = re.search(r"invalid literal for int\(\) with base 10: '(.*)'", msg)
    if m:
        text = m.group(1)
        if re.fullmatch(r"\s*-?\d+\.\d*\s*", text):
            return f"int() cannot read the decimal text {text!r}; convert it with `int(float({text!r}))` (or keep it a float)."
        if re.fullmatch(r"\s*-?\d+,\d+\s*", text):
            return f"{text!r} uses a comma as the decimal separator; replace it first: `.replace(',', '.')`."
        if not text.strip():
            return "the text is empty, so there is no number to read; check it before converting."
        return f"{text!r} is not a whole number written in digits."
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'", msg)
    if m:
        text = m.group(1)
        if re.fullmatch(r"\s*-?[\d.]*\d,\d+\s*", text):
            return f"{text!r} uses a comma as the decimal separator, which float() does not read; replace it first: `float(s.replace(',', '.'))`."
        if not text.strip():
            return "the text is empty, so there is no number to read; check it before converting."
        if text.strip().lower() in _NA_MARKERS:
            return (f"{text!r} marks a missing value, and it is not a number; turn it into NaN first, e.g. "
                    f"`pd.to_numeric(x, errors='coerce')` or `np.where(arr == {text!r}, 'nan', arr).astype(float)`.")
        return f"{text!r} is not a number; clean the text (strip units, spaces, thousands separators) before float()."
    if "truth value of a Series is ambiguous" in msg or "truth value of a DataFrame is ambiguous" in msg or \
            "truth value of an array with more than one element is ambiguous" in msg:
        if re.search(r"\s(and|or)\s", f.line) or re.match(r"\s*not\s", f.line):
            return "`and`/`or`/`not` need one True/False, but each comparison gives one per row; combine row-wise conditions with `&`, `|`, `~`, each in parentheses: `(a > 1) & (b < 5)`."
        return "a comparison on a Series gives one True/False per row, so `if` cannot decide; use `.any()` or `.all()` for one answer, or filter rows with `df[condition]`."
    m = re.search(r"matmul: Input operand 1 has a mismatch in its core dimension 0.*\(size (\d+) is different from (\d+)\)", msg, re.S)
    if m:
        return (f"for `a @ b` the number of columns of the left matrix ({m.group(2)}) must equal the number of rows of the right one ({m.group(1)}); "
                f"transpose one of them (e.g. `b.T`), or use `*` for element-wise multiplication.")
    m = re.search(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned", msg)
    if m:
        return f"np.dot needs the inner dimensions to match, but the shapes are ({m.group(1)}) and ({m.group(2)}); transpose one (`.T`) or reshape."
    m = re.search(r"operands could not be broadcast together with shapes (\S+) (\S+)", msg)
    if m:
        return (f"element-wise operations need arrays of the same shape (or broadcastable ones), but they are {m.group(1)} and {m.group(2)}; "
                f"make the lengths match (slice the longer one, or give the shorter one the missing values).")
    m = re.search(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)", msg)
    if m:
        size = int(m.group(1))
        dims = [int(d) for d in m.group(2).replace(" ", "").split(",") if d]
        prod = 1
        for d in dims:
            prod *= d
        example = f"e.g. `reshape(-1, {dims[-1]})`; " if dims and dims[-1] and size % dims[-1] == 0 else ""
        return (f"the array has {size} elements but shape ({m.group(2)}) needs {prod}; choose a shape whose product is {size} "
                f"({example} using -1 for one dimension lets numpy compute it).")
    m = re.search(r"Length of values \((\d+)\) does not match length of index \((\d+)\)", msg)
    if m:
        return f"the new column has {m.group(1)} values but the DataFrame has {m.group(2)} rows; give exactly one value per row."
    m = re.search(r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", msg)
    if m:
        return _unpack(f, m.group(1), int(m.group(2)), m.group(3))
    m = re.search(r"^list\.(remove)\(x\): x not in list$|^(.+) is not in list$", msg)
    if m:
        call = re.search(r"\b([A-Za-z_]\w*)\.(remove|index)\((.+)\)", f.line)
        if call:
            name, method, arg = call.groups()
            value = f.scope(name)
            items = f" (its items: {_keys(list(value))})" if type(value) is list and len(value) <= 50 else ""
            return (f"`{name}` has no item equal to `{arg}`{items}, and `.{method}()` raises ValueError when the value is missing; "
                    f"check `if {arg} in {name}:` first.")
    return None


def _math_call(f: _Facts) -> tuple[str, str, float | None] | None:
    """``(function, argument text, its value)`` for the ``math.f(x)`` call on the failing line; the value
    is read from a literal or a plain name holding a number, never evaluated."""
    m = re.search(r"\bmath\.(\w+)\(\s*([^(),]+?)\s*\)", f.line)
    if not m:
        return None
    arg = m.group(2)
    value: Any = _MISSING
    try:
        value = ast.literal_eval(arg)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        if arg.isidentifier():
            value = f.scope(arg)
    number = float(value) if type(value) in (int, float) else None
    return m.group(1), arg, number


def _unpack(f: _Facts, which: str, expected: int, got: str | None) -> str:
    loop = re.search(r"^\s*for\s+(.+?)\s+in\s+([A-Za-z_]\w*)\s*:", f.line)
    assign = re.search(r"^\s*([\w\s,*()]+?)\s*=\s*([A-Za-z_]\w*)\s*$", f.line)
    if loop:
        value = f.scope(loop.group(2))
        if type(value) is dict:
            return (f"looping over the dict `{loop.group(2)}` gives only its keys, one value each, so `{loop.group(1)}` cannot be "
                    f"filled; loop over `{loop.group(2)}.items()` to get each key and value.")
        return (f"each item of `{loop.group(2)}` has {'more' if which == 'too many' else 'fewer'} than the {expected} values "
                f"named in `for {loop.group(1)}`; name as many as each item has.")
    if assign:
        name = assign.group(2)
        value = f.scope(name)
        n = len(value) if type(value) in (list, tuple, str) else (int(got) if got else None)
        has = f"`{name}` has {n} items" if n is not None else f"`{name}` has {which.replace('too many', 'more').replace('not enough', 'fewer')} items"
        if which == "too many":
            return (f"{has} but there are {expected} names on the left of `=`; write one name per item, take only the first "
                    f"{expected} with `{name}[:{expected}]`, or collect the rest with a starred name (`*rest`).")
        return f"{has} but there are {expected} names on the left of `=`: there must be one name per item."
    return f"the number of names on the left ({expected}) must equal the number of items on the right."


def _index_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, IndexError):
        return None
    msg = f.message
    m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg)
    if m:
        size = int(m.group(3))
        arrays = [(n, f.scope(n)) for n in _subscripted(f.line) if _is_ndarray(f.scope(n))]
        shape = f"`{arrays[0][0]}` has shape {tuple(arrays[0][1].shape)}, so " if arrays else ""
        return f"{shape}valid positions on axis {m.group(2)} are 0 to {size - 1} (or -1 for the last); index {m.group(1)} is past the end."
    if "single positional indexer is out-of-bounds" in msg:
        for name, df in _frames_in_line(f):
            return f"`{name}` has {len(df)} rows, so `.iloc` positions go from 0 to {len(df) - 1} (or -1 for the last)."
        return "`.iloc` positions go from 0 to len(df) - 1."
    if re.search(r"(list|tuple|string) index out of range", msg):
        past = re.search(r"range\(\s*len\(\s*(\w+)\s*\)\s*\+\s*1\s*\)", f.cell)
        if past:
            xs = past.group(1)
            value = f.scope(xs)
            n = len(value) if type(value) in (list, tuple, str) else None
            last = f" ({n - 1})" if n else ""
            return (f"`range(len({xs}) + 1)` goes one step past the end of `{xs}`: its last index is len({xs}) - 1{last}, "
                    f"so index {n if n is not None else 'len(' + xs + ')'} is out of range; use `range(len({xs}))`.")
        for name in _subscripted(f.line):
            value = f.scope(name)
            if type(value) in (list, tuple, str):
                n = len(value)
                if n == 0:
                    return f"`{name}` is empty, so it has no index at all; check `if {name}:` first."
                return f"`{name}` has {n} items, so valid indexes are 0 to {n - 1} (or -1 for the last)."
    return None


def _name_error(f: _Facts) -> str | None:
    if isinstance(f.exc, UnboundLocalError):
        name = getattr(f.exc, "name", None) or (re.search(r"'(\w+)'", f.message) or [None, None])[1]
        if name:
            return (f"`{name}` is assigned inside the function, which makes it local there, so the global `{name}` is not used; "
                    f"write `global {name}` as the function's first line, or pass it in as a parameter and return the new value.")
        return None
    if not isinstance(f.exc, NameError):
        return None
    name = getattr(f.exc, "name", None) or (re.search(r"name '(\w+)' is not defined", f.message) or [None, None])[1]
    if not name:
        return None
    if name in ALIASES:
        return f"`{name}` is the usual alias from `{ALIASES[name]}`, which has not run; add that line at the top of the cell."
    return None


def _import_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, ModuleNotFoundError):
        return None
    name = (getattr(f.exc, "name", None) or "").split(".")[0]
    if not name:
        return None
    close = difflib.get_close_matches(name, KNOWN_MODULES, n=1, cutoff=0.8)
    if close and close[0] != name:
        return f"`{name}` is a misspelling of `{close[0]}`: no module is named `{name}`; write `import {close[0]}`."
    pip = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml", "bs4": "beautifulsoup4"}.get(name, name)
    return f"`{name}` is not installed in this kernel's environment; install it with `%pip install {pip}` and run the import again."


def _file_error(f: _Facts) -> str | None:
    if not isinstance(f.exc, FileNotFoundError):
        return None
    path = getattr(f.exc, "filename", None)
    if not isinstance(path, str) or not path:
        return None
    try:
        cwd = os.getcwd()
        folder = os.path.dirname(os.path.join(cwd, path)) or cwd
        entries = sorted(os.listdir(folder))[:2000] if os.path.isdir(folder) else []
    except OSError:
        cwd, entries = "the working directory", []
    close = difflib.get_close_matches(os.path.basename(path), entries, n=1, cutoff=0.6)
    hint = f"the file {path!r} does not exist relative to the working directory {_q(cwd, 80)}"
    if close:
        return hint + f"; a file with a similar name is there: {close[0]!r}."
    return hint + (f"; check before opening it with `os.path.exists({path!r})`, list the folder with `os.listdir()`, "
                   f"or give the full path.")


def _zero_division(f: _Facts) -> str | None:
    if not isinstance(f.exc, ZeroDivisionError):
        return None
    for name in re.findall(r"len\(\s*([A-Za-z_]\w*)\s*\)", f.line):
        value = f.scope(name)
        if value is not _MISSING and type(value) in (list, tuple, dict, str, set) and len(value) == 0:
            return f"`{name}` is empty, so `len({name})` is 0 and the division has no result; check `if {name}:` before dividing."
    return "the divisor is 0 here; check it before dividing."


def _recursion(f: _Facts) -> str | None:
    if not isinstance(f.exc, RecursionError):
        return None
    funcs = []
    try:
        for node in ast.walk(ast.parse(f.cell)):
            if isinstance(node, ast.FunctionDef):
                calls_self = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == node.name
                                 for n in ast.walk(node))
                has_if = any(isinstance(n, (ast.If, ast.IfExp)) for n in ast.walk(node))
                if calls_self and not has_if:
                    funcs.append(node)
    except (SyntaxError, ValueError, RecursionError):
        pass
    if funcs:
        fn = funcs[0]
        arg = fn.args.args[0].arg if fn.args.args else "n"
        return (f"`{fn.name}()` calls itself but has no base case, so it never stops; add one before the recursive call, "
                f"e.g. `if {arg} <= 1: return 1`.")
    return "the function calls itself too many times: check that its base case is reached (the condition that returns without recursing)."


# -- third round (heldout3's misses, keyed on the messages): pandas, numpy, and Python's own ----------

def _frame_of(f: _Facts) -> tuple[str, Any] | None:
    frames = _frames_in_line(f)
    return frames[0] if frames else None


def _text_columns(df: Any) -> list[str]:
    try:
        return [str(c) for c, t in zip(df.columns, df.dtypes) if str(t) in ("object", "str", "string")][:6]
    except Exception:
        return []


def _date_format(text: str) -> str | None:
    """The strptime format of a date written in one of the usual ways."""
    forms = ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{4}/\d{2}/\d{2}", "%Y/%m/%d"), (r"\d{2}\.\d{2}\.\d{4}", "%d.%m.%Y"),
             (r"\d{2}-\d{2}-\d{4}", "%d-%m-%Y"), (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"))
    for pattern, fmt in forms:
        m = re.fullmatch(pattern + r"(?P<t>[ T]\d{2}:\d{2}(:\d{2})?)?", text.strip())
        if m:
            if m["t"]:
                fmt += ("T" if "T" in m["t"] else " ") + ("%H:%M:%S" if m["t"].count(":") == 2 else "%H:%M")
            return fmt
    return None


def _user_function_without_return(f: _Facts) -> str | None:
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


_VALUE = r"-?\d+(?:\.\d+)?|[A-Za-z_]\w*"
#: ``a <= s <= b`` with ``s`` a name, an attribute or a subscript (``df["age"]``); ``a`` starts a word (a
#: search that tried every letter of a long name as a start was quadratic).
_CHAINED = re.compile(rf"(?<!\w)(?P<a>{_VALUE})\s*(?P<o1><=?|>=?)\s*(?P<b>[A-Za-z_][\w.]*(?:\[[^\[\]]*\])*)\s*(?P<o2><=?|>=?)\s*(?P<c>{_VALUE})")
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _data_rules(f: _Facts) -> str | None:
    """pandas and numpy messages a data scientist meets."""
    msg, line = f.message, f.line
    if isinstance(f.exc, KeyError) and re.fullmatch(r"\[.*\] not found in axis", msg):
        return ("`drop` looks for row labels by default (axis=0), and there is no row with that label; to drop a column, "
                "say so: `df.drop(columns=[...])` (or `axis=1`).")
    if isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str:
        key = f.exc.args[0]
        if ".apply(" in line and "axis" not in line and re.search(r"\.apply\(\s*lambda\s+(\w+)\s*:.*\b\1\s*\[", line):
            return (f"`df.apply(f)` passes each column to f by default (axis=0), so `row[{key!r}]` looks for a row label {key!r}; "
                    f"add `axis=1` to pass each row (or write it column-wise, which is faster: `df['a'] * df['b']`).")
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ == "DataFrame" and key in [str(n) for n in getattr(obj.index, "names", ()) if n is not None]:
                return (f"{key!r} is the index of `{name}` now, not a column (set_index moved it out of the columns); read it "
                        f"with `{name}.index`, or `{name}.reset_index()` to make it a column again.")
    if "truth value of a Series is ambiguous" in msg or "truth value of an array with more than one element" in msg:
        m = _CHAINED.search(line)
        if m:
            a, o1, b, o2, c = m["a"], m["o1"], m["b"], m["o2"], m["c"]
            return (f"Python runs `{m.group(0)}` as `({a} {o1} {b}) and ({b} {o2} {c})`, and `and` needs one True/False, "
                    f"not one per row; use `{b}.between({a}, {c})` or `({b} {_FLIP[o1]} {a}) & ({b} {o2} {c})`.")
    m = re.search(r"You are trying to merge on (\w+) and (\w+) columns for key '(.+?)'", msg)
    if m:
        return (f"the key {m.group(3)!r} is {m.group(1)} in one frame and {m.group(2)} in the other, so no rows could match; "
                f"convert one side first, e.g. `df[{m.group(3)!r}] = df[{m.group(3)!r}].astype(int)` on the frame that holds text.")
    if type(f.exc).__name__ == "IntCastingNaNError" or "Cannot convert non-finite values (NA or inf) to integer" in msg:
        return ("the column has missing values (NaN), which a plain int column cannot hold; fill them first (`.fillna(0).astype(int)`), "
                "drop them (`.dropna()`), or use pandas' nullable integer type: `.astype('Int64')`.")
    if "Can only use .dt accessor with datetimelike values" in msg:
        return "the column holds text (strings), not datetimes, so it has no `.dt`; convert it first: `pd.to_datetime(df[col]).dt.month`."
    if re.search(r"dtype '(str|object)' does not support operation '(\w+)'|agg function failed \[how->(\w+),dtype->(object|str)\]", msg) and "groupby(" in line:
        frame = _frame_of(f)
        cols = _text_columns(frame[1]) if frame else []
        keys = re.findall(r"groupby\(\s*\[?\s*['\"](\w+)['\"]", line)
        cols = [c for c in cols if c not in keys]
        which = f" (`{'`, `'.join(cols)}`)" if cols else ""
        return (f"the frame still has text columns{which} besides the group key, and text cannot be averaged; pass "
                f"`numeric_only=True`, or select the numeric columns after groupby: `df.groupby(key)[['col']].mean()`.")
    m = re.search(r"along dimension (\d+), the array at index (\d+) has size (\d+) and the array at index (\d+) has size (\d+)", msg)
    if m and "concatenate" in line:
        dim = int(m.group(1))
        return (f"`np.concatenate` joins along axis 0 by default, which needs the arrays to agree on every other dimension, but on "
                f"dimension {dim} they have {m.group(3)} and {m.group(5)}; to put them side by side use `axis=1` (the rows must match), "
                f"or make the shapes agree.")
    m = re.search(r"axis (\d+) is out of bounds for array of dimension (\d+)", msg)
    if m:
        dims = int(m.group(2))
        arrays = [n for n in _names_on(line) if _is_ndarray(f.scope(n))]
        who = f"`{arrays[0]}` has {dims} dimension{'s' if dims != 1 else ''}" if arrays else f"the array has {dims} dimension{'s' if dims != 1 else ''}"
        axes = "its only axis is 0" if dims == 1 else f"its axes are 0 to {dims - 1}"
        return f"{who}, so {axes}; axis {m.group(1)} does not exist: use `axis=0`, or leave `axis` out for the whole array."
    if msg == "cannot convert float NaN to integer":
        arrays = [n for n in _subscripted(line) if _is_ndarray(f.scope(n))]
        if arrays:
            arr = f.scope(arrays[0])
            return (f"`{arrays[0]}` is an integer array (dtype {arr.dtype}), and an integer cannot be NaN; make it a float array "
                    f"first: `{arrays[0]} = {arrays[0]}.astype(float)`.")
        return "an integer cannot be NaN; make the array or column float first (`.astype(float)`), or fill the NaN."
    if "inhomogeneous shape" in msg or "setting an array element with a sequence" in msg:
        for name in _names_on(line):
            value = f.scope(name)
            if type(value) in (list, tuple) and value and all(type(r) in (list, tuple) for r in value[:100]):
                lengths = sorted({len(r) for r in value[:100]})
                if len(lengths) > 1:
                    return (f"the rows of `{name}` have different lengths ({', '.join(map(str, lengths))}), so they do not form a "
                            f"rectangular array; pad the short rows (e.g. with `np.nan`) to the same length, or keep them in a list "
                            f"or DataFrame.")
        return "the rows have different lengths, so they do not form a rectangular array; pad them to the same length first."
    return None


def _python_rules(f: _Facts) -> str | None:
    """Python's own messages the first two rounds did not know."""
    msg, line = f.message, f.line
    m = re.search(r"Unknown format code '(.)' for object of type 'str'", msg)
    if m:
        spec = re.search(r"\{\s*([A-Za-z_][\w.]*)\s*:[^}]*" + re.escape(m.group(1)) + r"\s*\}", line)
        who = spec.group(1) if spec else "the value"
        value = f.scope(who) if spec else _MISSING
        shown = f" ({_q(_short_repr(value))})" if type(value) is str else ""
        return (f"`{who}` is a str{shown}, and the format code `{m.group(1)}` works only on numbers; convert it inside the "
                f"braces: `{{float({who}):...}}`.")
    m = re.search(r"\b(\w+)\.(\w+)\(\) takes (\d+) positional arguments? but (\d+) were given", msg)
    if m and int(m.group(4)) == int(m.group(3)) + 1 and not re.search(rf"def\s+{m.group(2)}\s*\(\s*self\b", f.cell):
        return (f"`{m.group(2)}` is a method of `{m.group(1)}`: Python passes the object itself as its first argument, so its "
                f"definition needs `self` first: `def {m.group(2)}(self, ...)`.")
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", msg)
    if m and {m.group(2), m.group(3)} <= {"str", "int", "float"} and m.group(2) != m.group(3):
        mixed = [n for n in _names_on(line) if type(f.scope(n)) in (list, tuple)
                 and {type(x).__name__ for x in f.scope(n)[:1000]} >= {"str"} and len({type(x) for x in f.scope(n)[:1000]}) > 1]
        who = f"`{mixed[0]}` mixes text and numbers" if mixed else "the values mix text (str) and numbers"
        return (f"{who}, and Python cannot order a str against an int; convert them to one type first, e.g. "
                f"`sorted({mixed[0] if mixed else 'xs'}, key=int)` when the text holds numbers.")
    if msg == "'set' object is not subscriptable":
        names = _subscripted(line)
        who = f"`{names[0]}`" if names else "a set"
        return (f"{who} is a set: a set has no order, so it has no positions to index; make a list first (`list({names[0] if names else 's'})[0]`, "
                f"or `sorted(...)` for a stable order), or loop over it.")
    if isinstance(f.exc, RuntimeError) and msg in ("dictionary changed size during iteration", "Set changed size during iteration"):
        loop = re.search(r"^\s*for\s+.+?\s+in\s+([A-Za-z_]\w*)\s*:", line)
        name = loop.group(1) if loop else "d"
        return (f"the loop deletes from or adds to `{name}` while looping over it; loop over a copy of its keys instead: "
                f"`for k in list({name}):` (or build a new dict with a comprehension).")
    m = re.search(r"unsupported operand type\(s\) for \S+: '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in m.groups():
        func = _user_function_without_return(f)
        if func:
            return (f"`{func}()` returns None: it has no `return` statement (printing a value does not return it), so its result "
                    f"cannot be used in arithmetic; end `{func}` with `return <the value>`.")
    m = re.search(r"time data '(.+?)' does not match format '(.+?)'", msg)
    if m:
        fmt = _date_format(m.group(1))
        if fmt:
            return f"the text {m.group(1)!r} is written as {fmt!r}, but the format given is {m.group(2)!r}; use the format {fmt!r}."
        return f"the text {m.group(1)!r} does not follow the format {m.group(2)!r}: each `%` code must match the text exactly."
    return None


_NA_MARKERS = frozenset({"n/a", "na", "nan", "none", "null", "-", "--", "?", "missing", "unknown", ""})


def _mutable_default(cell: str) -> tuple[str, str, str] | None:
    """``(function, parameter, default)`` for a function in the cell whose default is a list, dict or set."""
    try:
        tree = ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args.args[len(node.args.args) - len(node.args.defaults):]
            for arg, default in zip(args, node.args.defaults):
                if isinstance(default, (ast.List, ast.Dict, ast.Set)) or (
                        isinstance(default, ast.Call) and isinstance(default.func, ast.Name) and default.func.id in ("list", "dict", "set")):
                    return node.name, arg.arg, ast.get_source_segment(cell, default) or "[]"
    return None


def _duplicated_pair(f: _Facts) -> str | None:
    """``date 'mon' with city 'Oslo'``: the first (index, columns) pair that occurs twice in a pivot."""
    index = re.search(r"\bindex\s*=\s*['\"](\w+)['\"]", f.line)
    columns = re.search(r"\bcolumns\s*=\s*['\"](\w+)['\"]", f.line)
    frame = _frame_of(f)
    if not (index and columns and frame):
        return None
    try:
        df = frame[1]
        seen: set[tuple[Any, Any]] = set()
        for pair in zip(itertools.islice(df[index.group(1)], 10000), itertools.islice(df[columns.group(1)], 10000)):
            if type(pair[0]) not in (str, int, float, bool) or type(pair[1]) not in (str, int, float, bool):
                return None
            if pair in seen:
                return f"{index.group(1)} {pair[0]!r} with {columns.group(1)} {pair[1]!r}"
            seen.add(pair)
    except Exception:
        return None
    return None


#: Messages that say everything the hint needs: (pattern searched in the message, sentence). The sentence
#: is ``str.format``-ed with the match (``{0}`` the whole match, ``{1}``, ``{2}``, … its groups; literal
#: braces doubled). Tried in order, before the rules of a round that also read the line or the values.
_SAID_BY_MESSAGE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), t) for p, t in (
    # fourth round (heldout4)
    (r"^Location based indexing can only have \[integer",
     "`.iloc` takes positions (integers), but the line gives a label (a column name); use `.loc` for labels "
     "(`df.loc[row_label, 'col']`), or the column's position with `.iloc`."),
    (r"Length mismatch: Expected axis has (\d+) elements, new values have (\d+) elements",
     "the frame has {1} columns (or rows) but {2} new names were given; give exactly one name each, "
     "or rename only some with `df.rename(columns={{'old': 'new'}})`."),
    (r"Item wrong length (\d+) instead of (\d+)",
     "the boolean mask has {1} values but the frame has {2} rows; a mask needs one True/False per "
     "row, best built from the frame itself, e.g. `df[df['col'] > 50]`."),
    (r"Series\.sort_values\(\) got an unexpected keyword argument 'by'",
     "a Series holds one column of values, so `sort_values` sorts by them and takes no `by=` (that is for a "
     "DataFrame): call `.sort_values()` (add `ascending=False` for largest first)."),
    (r"attempt to get arg(max|min) of an empty sequence",
     "the array is empty (a filter kept nothing), so it has no largest or smallest element; check `if arr.size:` "
     "before the call, or loosen the filter."),
    (r"^can only specify one unknown dimension$",
     "only one dimension of a reshape may be -1 (numpy computes it from the others); give the others, e.g. "
     "`reshape(-1, 4)` for 12 elements (3 × 4)."),
    (r"'list' object has no attribute 'join'",
     "`join` is a method of the separator string, not of the list: `', '.join(words)` (the items must be strings)."),
    (r"'dict_(keys|values|items)' object is not subscriptable",
     "`.{1}()` gives a view of the dict, not a list, so it has no positions; make a list first "
     "(`list(d.{1}())[0]`), or `next(iter(d))` for the first key."),
    (r"Replacement index (\d+) out of range for positional args tuple",
     "the string has more `{{}}` fields than values given to `.format()`: field {1} has no value; pass one "
     "value per `{{}}` (or write an f-string)."),
    # fifth round (heldout5): what :func:`_round5_rules` says when it cannot read the line's values
    (r"^All arrays must be of the same length$",
     "every column given to the DataFrame must have the same number of values, and they differ; check `len(...)` "
     "of each list and add the missing values (e.g. `None`) or drop the extra ones."),
    (r"^Cannot take a larger sample than population when 'replace=False'$",
     "without replacement each row (or item) can be drawn only once, so the sample cannot be larger than the "
     "population; ask for at most `len(data)` items, or pass `replace=True` to allow repeats."),
    (r"^probabilities do not sum to 1$",
     "the probabilities given as `p=` must add up to exactly 1; divide them by their sum first: `p = w / w.sum()`."),
    (r"^'float' object cannot be interpreted as an integer$",
     "a float is given where a whole number (an int) is needed, as in `range(...)`; `/` always gives a float, so "
     "use integer division `//` or convert with `int(...)`."),
    (r"could not broadcast input array from shape \((\d+),\) into shape \((\d+),\)",
     "the place assigned to holds {2} values (shape ({2},)) but the right side has {1} (shape ({1},)); give "
     "exactly {2} values, or assign to a part of length {1}."),
))


def _said_by_message(f: _Facts) -> str | None:
    """The first :data:`_SAID_BY_MESSAGE` sentence whose pattern the message matches."""
    for pattern, sentence in _SAID_BY_MESSAGE:
        m = pattern.search(f.message)
        if m:
            return sentence.format(m.group(0), *m.groups())
    return None


def _round4_rules(f: _Facts) -> str | None:
    """Fourth round (heldout4's misses, keyed on the messages)."""
    said = _said_by_message(f)
    if said:
        return said
    msg, line, exc = f.message, f.line, f.exc
    if "Index contains duplicate entries, cannot reshape" in msg and ".pivot(" in line:
        pair = _duplicated_pair(f)
        dup = f" ({pair} appears more than once)" if pair else ""
        return (f"`pivot` needs exactly one row for each (index, columns) pair, and there are duplicate pairs{dup}; "
                "combine them with `pivot_table(..., aggfunc='mean')` (or drop the duplicates first).")
    m = re.search(r"time data \"(.+?)\" doesn't match format \"(.+?)\"", msg)
    if m and "to_datetime" in line:
        return (f"the column has a value, {m.group(1)!r}, that is not a date in the format {m.group(2)!r}; turn such values into "
                f"NaT (missing) with `pd.to_datetime(..., errors='coerce')`, then find them with `.isna()`.")
    m = re.search(r"'float' object has no attribute '(\w+)'", msg)
    if m and hasattr(str, m.group(1)) and (".apply(" in line or ".map(" in line):
        return (f"some values of the column are missing (NaN, which is a float), and a float has no `.{m.group(1)}`; use pandas' "
                f"string methods, which skip missing values: `.str.{m.group(1)}()`.")
    m = re.search(r"(?<![\w.])([\w.]+)\(\) got an unexpected keyword argument '(\w+)'", msg)
    if m:
        return f"`{m.group(1)}()` has no parameter named `{m.group(2)}`; check its spelling and its parameters with `help({m.group(1).split('.')[-1]})`."
    if type(exc).__name__ == "LinAlgError" and msg == "Singular matrix":
        return ("the matrix is singular (its determinant is 0: one row is a multiple of another), so it has no inverse; use "
                "`np.linalg.pinv` for a pseudo-inverse, or `np.linalg.lstsq` to solve a system.")
    m = re.search(r"the array at index 0 has (\d+) dimension\(s\) and the array at index 1 has (\d+) dimension\(s\)", msg)
    if m:
        call = re.search(r"np\.(?:append|concatenate)\(\s*\[?\s*(\w+)\s*,\s*(\[[^\[\]]*\]|[^,\]]+?)\s*[,\])]", line)
        first, second = (f"`{call.group(1)}`", f"`{call.group(2).strip()}`") if call else ("the first array", "the second")
        return (f"the arrays must have the same number of dimensions, but {first} is {m.group(1)}-D and {second} is {m.group(2)}-D; "
                f"to add one row to a 2-D array, make the row 2-D too (`[[1, 2, 3]]`) or use `np.vstack([arr, row])`.")
    if isinstance(exc, AssertionError) or not msg:
        found = _mutable_default(f.cell)
        if found:
            func, param, default = found
            return (f"`{param}={default}` in `def {func}` is created once, when the function is defined, and shared by every call, "
                    f"so items from earlier calls stay in it; write `{param}=None` and `if {param} is None: {param} = {default}` in the body.")
    if msg == "'module' object is not callable":
        for name in _names_on(line):
            value = f.scope(name)
            if type(value) is types.ModuleType and callable(vars(value).get(name)):
                return f"`{name}` is the module; the function inside it has the same name: call `{name}.{name}(...)`, or import it with `from {name} import {name}`."
        return "a module is called like a function; call the function inside it (`module.function(...)`)."
    m = re.search(r"'NoneType' object has no attribute '(\w+)'", msg)
    if m:
        got = re.search(rf"\b([A-Za-z_]\w*)\.get\(\s*(['\"])(.+?)\2\s*\)\s*\.\s*{m.group(1)}\b", line)
        if got:
            name, key = got.group(1), got.group(3)
            value = f.scope(name)
            keys = [k for k in _dict_keys(value) if type(k) is str] if type(value) is dict else []
            close = _close(key, keys)
            has = f"; it has {close[0]!r} (keys are case-sensitive)" if close else (f"; its keys: {_keys(keys)}" if keys else "")
            return (f"`{name}.get({key!r})` returned None because `{name}` has no key {key!r}{has}, and None has no `.{m.group(1)}`; "
                    f"use the right key, or a default: `{name}.get({key!r}, '')`.")
    if re.search(r"(string|list|tuple) index out of range", msg):
        m = re.search(r"\b([A-Za-z_]\w*)\s*\[\s*len\(\s*\1\s*\)\s*-\s*([A-Za-z_]\w*)\s*\]", line)
        if m:
            return (f"when `{m.group(2)}` is 0, `{m.group(1)}[len({m.group(1)}) - {m.group(2)}]` is `{m.group(1)}[len({m.group(1)})]`, one past "
                    f"the end (the last index is len({m.group(1)}) - 1); use `{m.group(1)}[len({m.group(1)}) - 1 - {m.group(2)}]` or `{m.group(1)}[-1 - {m.group(2)}]`.")
    if msg == "cannot unpack non-iterable int object" or re.fullmatch(r"cannot unpack non-iterable (int|float|str) object", msg):
        loop = re.search(r"^\s*for\s+(\w+)\s*,\s*(\w+)\s+in\s+(.+?)\s*:\s*$", line)
        if loop:
            return (f"each item of `{loop.group(3)}` is one value, so it cannot be split into `{loop.group(1)}, {loop.group(2)}`; "
                    f"to get each position too, loop over `enumerate({loop.group(3)})`.")
    return None


def _function_def(cell: str, func: str) -> ast.FunctionDef | None:
    """The ``def func`` of the cell, parsed (None when the cell does not parse or has none)."""
    tree = _parsed(cell)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.FunctionDef) and node.name == func and node.end_lineno:
            return node
    return None


def _function_body(cell: str, func: str, limit: int = 8) -> list[str]:
    """The body lines of ``def func`` in the cell (at most ``limit``; none when it is longer)."""
    node = _function_def(cell, func)
    if node is None:
        return []
    body = cell.splitlines()[node.body[0].lineno - 1: node.end_lineno]
    return body if len(body) <= limit else []


def _corrected_round4(f: _Facts) -> str | None:
    msg, line, exc = f.message, f.line, f.exc
    if "Index contains duplicate entries, cannot reshape" in msg:
        m = re.search(r"\.pivot\(", line)
        end = _call_end(line, m.end() - 1) if m else None
        if m and end is not None:
            return line[:m.start()] + ".pivot_table(" + line[m.end():end] + ', aggfunc="mean"' + line[end:]
        return None
    if re.search(r"time data \".+?\" doesn't match format", msg):
        m = re.search(r"\bto_datetime\(", line)
        end = _call_end(line, m.end() - 1) if m else None
        if m and end is not None and "errors" not in line:
            return line[:end] + ', errors="coerce"' + line[end:]
        return None
    if msg.startswith("Location based indexing can only have [integer"):
        return _sub1(r"\.iloc\[(\s*-?\d+\s*,\s*['\"])", r".loc[\1", line)
    m = re.search(r"'float' object has no attribute '(\w+)'", msg)
    if m:
        return _sub1(rf"\.(apply|map)\(\s*lambda\s+(\w+)\s*:\s*\2\.{m.group(1)}\(\s*\)\s*\)", f".str.{m.group(1)}()", line)
    if re.search(r"Series\.sort_values\(\) got an unexpected keyword argument 'by'", msg):
        return _sub1(r"\.sort_values\(\s*by\s*=\s*(['\"][^'\"]*['\"]|\w+)\s*,?\s*", ".sort_values(", line)
    if type(exc).__name__ == "LinAlgError" and msg == "Singular matrix":
        return _sub1(r"\bnp\.linalg\.inv\(", "np.linalg.pinv(", line)
    if re.search(r"array at index 0 has 2 dimension\(s\) and the array at index 1 has 1 dimension", msg):
        return _sub1(r"(np\.(?:append|concatenate)\(\s*\[?\s*\w+\s*,\s*)(\[[^\[\]]*\])", r"\1[\2]", line)
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'", msg)
    if m and m.group(1).strip().lower() in _NA_MARKERS and m.group(1):
        call = re.search(r"\b([A-Za-z_]\w*)\.astype\(\s*float\s*\)", line)
        if call and _is_ndarray(f.scope(call.group(1))):
            name = call.group(1)
            return line.replace(call.group(0), f"np.where({name} == {m.group(1)!r}, 'nan', {name}).astype(float)", 1)
        return None
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
    if "'list' object has no attribute 'join'" in msg:
        return _sub1(r"\b([A-Za-z_]\w*)\.join\(\s*(['\"][^'\"]*['\"])\s*\)", r"\2.join(\1)", line)
    m = re.search(r"'dict_(keys|values|items)' object is not subscriptable", msg)
    if m:
        return _sub1(rf"\b([A-Za-z_][\w.]*\.{m.group(1)}\(\s*\))\s*\[", r"list(\1)[", line)
    if msg == "'module' object is not callable":
        for name in _names_on(line):
            value = f.scope(name)
            if type(value) is types.ModuleType and callable(vars(value).get(name)):
                return _sub1(rf"(?<![\w.]){name}\s*\(", f"{name}.{name}(", line)
        return None
    m = re.search(r"'NoneType' object has no attribute '(\w+)'", msg)
    if m:
        got = re.search(r"\b([A-Za-z_]\w*)\.get\(\s*(['\"])(.+?)\2\s*\)", line)
        if got:
            value = f.scope(got.group(1))
            keys = [k for k in _dict_keys(value) if type(k) is str] if type(value) is dict else []
            close = _close(got.group(3), keys)
            if close:
                return line.replace(got.group(0), f"{got.group(1)}.get({got.group(2)}{close[0]}{got.group(2)})", 1)
        return None
    if re.search(r"(string|list|tuple) index out of range", msg):
        return _sub1(r"\b([A-Za-z_]\w*)\s*\[\s*len\(\s*\1\s*\)\s*-\s*([A-Za-z_]\w*)\s*\]", r"\1[len(\1) - 1 - \2]", line)
    if re.fullmatch(r"cannot unpack non-iterable (int|float|str) object", msg):
        return _sub1(r"^(\s*for\s+\w+\s*,\s*\w+\s+in\s+)(.+?)(\s*:\s*)$", r"\1enumerate(\2)\3", line)
    return None

# -- fifth round (heldout5's misses, keyed on the messages and the failing line's structure) ---------

#: One operand of a comparison: a name, attribute, subscript or call, a number, or a string literal. A name
#: or a number starts where no name, number or attribute goes on to its left: unanchored, a search tried
#: every letter of a long name as a start (a 6,000-letter line took seconds).
_OPERAND = r"(?:(?<![\w.])(?:[A-Za-z_][\w.]*(?:\[[^\[\]]*\]|\([^()]*\))*|-?\d+(?:\.\d+)?)|'[^']*'|\"[^\"]*\")"
#: A pandas column read with brackets: ``df["col"]``.
_COLUMN = re.compile(r"\b([A-Za-z_]\w*)\s*\[\s*(['\"])([^'\"\[\]]+)\2\s*\]")
#: ``+`` between text and a number, in the words of Python (and of pandas' object columns).
_TEXT_PLUS_NUMBER = re.compile(r"can only concatenate str \(not \"(int|float|bool)\"\) to str|"
                               r"for \+: '(int|float|bool)' and 'str'|for \+: 'str' and '(int|float|bool)'")


def _is_frame(value: Any) -> bool:
    return type(value).__name__ in ("DataFrame", "Series") and type(value).__module__.startswith("pandas")


def _numeric_column(obj: Any, column: str) -> str | None:
    """The dtype of ``obj[column]`` when ``obj`` is a DataFrame and that column holds numbers, else None."""
    if type(obj).__name__ != "DataFrame" or not _is_frame(obj) or column not in obj.columns:
        return None
    dtype = getattr(obj[column], "dtype", None)
    kind = getattr(dtype, "kind", "")
    return str(dtype) if kind and kind in "iufb" else None


def _masked(line: str) -> str:
    """``line`` with the insides of its string literals and its comment made spaces (the quotes and every
    offset stay), so that a pattern finds operators and names in the code only, not in ``"a > b"``."""
    out = list(line)
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "#":
            out[i:] = " " * (n - i)
            break
        if ch in "'\"":
            quote = line[i:i + 3] if line[i:i + 3] in ("'''", '"""') else ch
            j = i + len(quote)
            while j < n and not line.startswith(quote, j):
                j += 2 if line[j] == "\\" else 1
            inner = range(i + len(quote), min(j, n))
            out[inner.start:inner.stop] = " " * len(inner)
            i = j + len(quote)
            continue
        i += 1
    return "".join(out)[:n]


def _holds(f: _Facts, operand: str) -> str | None:
    """What an operand of a comparison holds, as far as it can be known without running anything:
    ``"str"``, ``"number"``, ``"other"``, or None (unknown: an attribute, a call, a user's object)."""
    if operand[:1] in "'\"":
        return "str"
    if re.fullmatch(r"-?\d+(?:\.\d+)?", operand):
        return "number"
    base = re.match(r"[A-Za-z_]\w*", operand)
    if base is None:
        return None
    value = f.scope(base.group(0))
    if value is _MISSING:
        return None
    rest = operand[base.end():]
    if rest:
        key = re.fullmatch(r"\s*\[\s*(['\"])([^'\"]*)\1\s*\]", rest)
        if key is None:
            return None  # an attribute or a call: reading it could run the user's code
        if type(value) is dict:
            value = value.get(key.group(2), _MISSING)
            if value is _MISSING:
                return None
        elif _is_frame(value) and type(value).__name__ == "DataFrame":
            return "number" if _numeric_column(value, key.group(2)) else None
        else:
            return None
    kind = type(value)
    if kind is str:
        return "str"
    if kind in (int, float):
        return "number"
    if (kind.__module__ == "numpy" and kind.__name__ != "bool_") or (_is_frame(value) and kind.__name__ == "Series"):
        code = getattr(getattr(value, "dtype", None), "kind", "")  # an array, a numpy scalar, a Series
        return "number" if code in ("i", "u", "f") else ("str" if code in ("U", "S") else None)
    if _is_frame(value):
        return None
    return "other"


def _compared(f: _Facts) -> tuple[re.Match[str], tuple[int, int], str, str, str] | None:
    """``(match of "a OP b" on the line, the str side's span, its text, the number side's text, the
    number's type)`` for a failed ordering between a str and a number outside sorting (``age >= 18`` with
    ``age = "17"``). Of the line's comparisons with that operator (text in string literals is not looked
    at), the one whose values say the str and the number are where the message puts them; when the values
    say nothing, the first that no value contradicts."""
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", f.message)
    if not m or {m.group(2), m.group(3)} not in ({"str", "int"}, {"str", "float"}):
        return None
    masked = _masked(f.line)
    if re.search(r"\bsorted\(|\.sort\(|\b(min|max|bisect\w*|heapq\.\w+)\(|sort_values\(", masked):
        return None  # ordering many values: the sorting rule (:func:`_python_rules`) knows that one
    pattern = re.compile(rf"(?P<l>{_OPERAND})\s*(?<![<>=!]){re.escape(m.group(1))}(?!=)\s*(?P<r>{_OPERAND})")
    text_side, number_side = ("l", "r") if m.group(2) == "str" else ("r", "l")
    number_type = m.group(3) if m.group(2) == "str" else m.group(2)
    plausible = None
    at = 0
    for _ in range(50):
        c = pattern.search(masked, at)
        if c is None:
            break
        text, number = f.line[c.start(text_side):c.end(text_side)], f.line[c.start(number_side):c.end(number_side)]
        found = (c, c.span(text_side), text, number, number_type)
        holds = (_holds(f, text), _holds(f, number))
        if holds == ("str", "number"):
            return found
        if plausible is None and holds[0] in ("str", None) and holds[1] in ("number", None):
            plausible = found
        at = c.start("r")  # ``a < b < c``: ``b`` is the left side of the next comparison
    return plausible


def _converted(f: _Facts, text: str, number: str, number_type: str = "int") -> str:
    """``int(age)`` (or ``df["age"].astype(int)`` for a pandas column) for the str side of a comparison."""
    value = f.scope(text) if text.isidentifier() else _MISSING
    kind = "float" if number_type == "float" or type(f.scope(number)) is float or re.fullmatch(r"-?\d+\.\d*", number) else "int"
    if type(value) is str and len(value) <= MAX_SCANNED_LINE and re.fullmatch(r"\s*-?\d+\.\d*\s*", value):
        kind = "float"
    base = re.match(r"[A-Za-z_]\w*", text)
    if base and _is_frame(f.scope(base.group(0))):
        return f"{text}.astype({kind})"
    return f"{kind}({text})"


def _junk_in_number(text: str) -> list[tuple[str, str, str]]:
    """What keeps ``text`` from being read as a number: ``(what, str method, pandas .str method)`` each."""
    out: list[tuple[str, str, str]] = []
    body = text.strip()
    sign = re.search(r"[$€£¥₹]", body)
    if sign:
        where = "strip" if body.startswith(sign.group(0)) or body.endswith(sign.group(0)) else "replace"
        call = f".strip({sign.group(0)!r})" if where == "strip" else f".replace({sign.group(0)!r}, '')"
        out.append((f"a currency sign `{sign.group(0)}`", call, ".str" + call))
    if re.search(r"\d{1,3}(,\d{3})+(?!\d)", body) and (re.fullmatch(r"\D*-?\d{1,3}(,\d{3})+(\.\d+)?\D*", body)):
        out.append(("a thousands comma", ".replace(',', '')", ".str.replace(',', '')"))
    if body.endswith("%"):
        out.append(("a percent sign `%`", ".rstrip('%')", ".str.rstrip('%')"))
    if re.search(r"\d[ \u00a0\u202f]+\d", body):
        out.append(("spaces between the digits", ".replace(' ', '')", ".str.replace(' ', '')"))
    return out


def _call_arguments(line: str, func: str, limit: int = 20) -> list[tuple[int, int] | None]:
    """The argument spans of the ``func(...)`` calls on the line (not in string literals), in order; None for
    a call with more than one argument or a keyword."""
    out: list[tuple[int, int] | None] = []
    for m in re.finditer(rf"(?<![\w.]){re.escape(func)}\(", _masked(line)):
        if len(out) >= limit:
            break
        end = _call_end(line, m.end() - 1)
        arg = line[m.end():end] if end is not None else ""
        if end is None or not arg.strip() or re.search(r"\b\w+\s*=(?!=)", arg) or \
                "," in re.sub(r"\([^()]*\)|\[[^\[\]]*\]|'[^']*'|\"[^\"]*\"", "", arg):
            out.append(None)
        else:
            out.append((m.end(), end))
    return out


def _same_text(value: Any, text: str) -> bool:
    """Whether ``value`` is a str whose text is ``text`` as a message quotes it (as is, or its repr)."""
    if not isinstance(value, str) or type(value).__module__ not in ("builtins", "numpy"):
        return False  # a user's str subclass could compare in its own way
    return value == text or (len(value) <= 4 * len(text) + 8 and repr(str(value))[1:-1] == text)


def _holds_text(f: _Facts, arg: str, text: str, position: int | None) -> bool | None:
    """Whether the argument ``arg`` (its source) holds the text a conversion failed on: a string literal, a
    name holding a str, a dict's value or a pandas column/Series (at the message's position, else anywhere in
    its first 100,000 values); None when that cannot be known without running anything."""
    arg = arg.strip()
    if arg[:1] in "'\"" or arg[:2].lower() in ("r'", 'r"'):
        try:
            return _same_text(ast.literal_eval(arg), text) if len(arg) <= MAX_SCANNED_LINE else None
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    m = re.fullmatch(r"([A-Za-z_]\w*)(?:\s*\[\s*(['\"])([^'\"]*)\2\s*\])?", arg)
    if not m:
        return None
    value = f.scope(m.group(1))
    if m.group(3) is not None:
        if type(value) is dict:
            value = value.get(m.group(3), _MISSING)
        elif _is_frame(value) and type(value).__name__ == "DataFrame" and m.group(3) in value.columns:
            value = value[m.group(3)]
        else:
            return None
    if value is _MISSING:
        return None
    if isinstance(value, str):
        return _same_text(value, text) if type(value).__module__ in ("builtins", "numpy") else None
    if _is_frame(value) and type(value).__name__ == "Series":
        if position is not None:
            return 0 <= position < len(value) and _same_text(value.iloc[position], text)
        return any(_same_text(v, text) for v in itertools.islice(iter(value), 100_000))
    return None


def _pick_call(f: _Facts, calls: list[tuple[int, int] | None], text: str, position: int | None) -> tuple[int, int] | None:
    """Of a line's conversion calls, the one whose argument holds ``text``; a lone call when nothing says
    its argument does not."""
    verdicts = [_holds_text(f, f.line[c[0]:c[1]], text, position) if c else None for c in calls]
    for call, verdict in zip(calls, verdicts):
        if call and verdict:
            return call
    if len(calls) == 1 and verdicts[0] is not False:
        return calls[0]
    return None


def _returned_count(cell: str, call: str) -> int | None:
    """How many values ``f(...)`` returns, when ``f`` is defined in the cell and every ``return`` is one tuple
    of the same length (``return lo, hi``)."""
    m = re.match(r"([A-Za-z_]\w*)\(", call)
    node = _function_def(cell, m.group(1)) if m else None
    if node is None:
        return None
    counts = {len(r.value.elts) if isinstance(r.value, ast.Tuple) else None
              for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None}
    return counts.pop() if len(counts) == 1 and None not in counts else None


def _unequal_columns(f: _Facts) -> list[tuple[str, int]]:
    """``[(column, number of values), ...]`` of a DataFrame built from a dict whose lists differ in length:
    a dict literal in the cell's ``DataFrame(...)`` call (read with ast, never run), or a dict on the line."""
    for name in _names_on(f.line):
        value = f.scope(name)
        if type(value) is dict and value:
            sizes = [(str(k), len(v)) for k, v in itertools.islice(value.items(), 50) if type(k) is str and type(v) in (list, tuple)]
            if len({n for _, n in sizes}) > 1:
                return sizes
    try:
        tree = ast.parse(f.cell)
    except (SyntaxError, ValueError, RecursionError):
        return []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Dict)):
            continue
        func = node.func
        if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) != "DataFrame":
            continue
        sizes = []
        for key, val in zip(node.args[0].keys, node.args[0].values):
            if isinstance(key, ast.Constant) and type(key.value) is str and isinstance(val, (ast.List, ast.Tuple)):
                sizes.append((key.value, len(val.elts)))
        if len({n for _, n in sizes}) > 1:
            return sizes
    return []


def _probabilities(f: _Facts) -> tuple[str, float, bool] | None:
    """``(p's text, its sum, whether it is a NumPy array)`` for the ``p=`` of the failing line: a name holding a
    numeric array or a list of numbers, or a list literal."""
    m = re.search(r"\bp\s*=\s*([A-Za-z_]\w*|\[[^\[\]]*\])", f.line)
    if not m:
        return None
    text = m.group(1)
    value: Any = f.scope(text) if text.isidentifier() else _MISSING
    if value is _MISSING and text.startswith("["):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    if type(value).__name__ == "ndarray" and type(value).__module__ == "numpy" and value.dtype.kind in "iuf" \
            and value.size <= 10**6:
        return text, float(value.sum()), True
    if type(value) in (list, tuple) and len(value) <= 10**6 and all(type(x) in (int, float) for x in value):
        return text, float(sum(value)), False
    return None


def _float_in_range(f: _Facts) -> tuple[str, float, str] | None:
    """``(name, its value, the right side it was assigned with "/")`` for a float local on the failing line."""
    for name in _names_on(f.line):
        value = f.scope(name)
        if type(value) is float:
            before = f.cell.split(f.line, 1)[0] if f.line and f.line in f.cell else f.cell
            assigned = re.findall(rf"(?m)^[ \t]*{re.escape(name)}\s*=\s*(.+)$", before)
            source = assigned[-1].strip() if assigned and re.search(r"(?<!/)/(?!/)", assigned[-1]) else ""
            return name, value, source
    return None


def _round5_rules(f: _Facts) -> str | None:
    """Fifth round (heldout5's misses): a comparison of text with a number, unpacking into the wrong number
    of names, text with a currency sign or thousands comma, a str method on a list, a float in range(), and
    pandas/numpy messages that name no value (several columns, sample, probabilities, broadcast)."""
    msg, line, exc = f.message, f.line, f.exc
    compared = _compared(f)
    if compared is not None:
        c, (start, end), text, number, number_type = compared
        value = f.scope(text) if text.isidentifier() else _MISSING
        shown = f" holding {_q(_short_repr(value))}" if type(value) is str else ""
        kind = "a float" if number_type == "float" else "an int"
        fixed = f.line[c.start():start] + _converted(f, text, number, number_type) + f.line[end:c.end()]
        return (f"`{_q(text)}` is a str{shown} and `{_q(number)}` is {kind}, and Python cannot compare text with a number; "
                f"convert the text first: `{fixed}`.")
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is tuple and exc.args[0]:
        key = exc.args[0]
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ != "DataFrame" or not all(type(k) is str for k in key):
                continue
            missing = [k for k in key if k not in obj.columns]
            if len(missing) == len(key):
                continue
            cols = ", ".join(repr(k) for k in key)
            return (f"`{name}[{cols}]` looks for ONE column named by the tuple ({cols}); to select several columns, put a list "
                    f"inside the brackets (double brackets): `{name}[[{cols}]]`.")
    if _TEXT_PLUS_NUMBER.search(msg):
        numbers, texts = [], []
        for col in _COLUMN.finditer(line):
            obj = f.scope(col.group(1))
            dtype = _numeric_column(obj, col.group(3))
            if dtype:
                numbers.append((col.group(0), dtype))
            elif _is_frame(obj) and type(obj).__name__ == "DataFrame" and col.group(3) in obj.columns:
                texts.append((col.group(0), "text"))
        if numbers and (texts or re.search(r"['\"]\s*\+|\+\s*[fr]?['\"]", line)):
            num, dtype = numbers[0]
            other = f"`{texts[0][0]}` holds text" if texts else "the other side is text"
            return (f"`{num}` holds numbers ({dtype}) and {other}, and `+` cannot join a number to text; convert the "
                    f"numbers to text first: `{num}.astype(str)`.")
    m = re.search(r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", msg)
    if m:
        return _unpack_names(f, m.group(1), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'\)?$", msg)
    m = m or re.search(r"Unable to parse string ['\"](.*)['\"] at position (\d+)", msg)
    if m:
        return _number_text(f, m)
    if isinstance(exc, AttributeError):
        return _str_method_on_list(f)
    if msg == "'float' object cannot be interpreted as an integer":
        found = _float_in_range(f)
        if found:
            name, value, source = found
            why = f" (it is `{_q(source, 60)}`, and `/` always gives a float)" if source else ""
            call = "range()" if "range(" in line else "this call"
            return (f"`{name}` is the float {value!r}{why}, but {call} needs a whole number (an int); use integer division `//` "
                    f"or convert it: `int({name})`.")
        return None
    if msg == "All arrays must be of the same length":
        sizes = _unequal_columns(f)
        if sizes:
            shown = ", ".join(f"{k!r} has {n}" for k, n in sizes[:6])
            return (f"the columns have different lengths ({shown} values), but every column of a DataFrame needs the same "
                    f"number of values; add the missing values (e.g. `None`) or drop the extra ones.")
        return None
    if msg == "Cannot take a larger sample than population when 'replace=False'":
        call = re.search(r"\b([A-Za-z_]\w*)\.sample\(\s*(?:n\s*=\s*)?(\d+)", line)
        if call and _is_frame(f.scope(call.group(1))):
            name, n, rows = call.group(1), call.group(2), len(f.scope(call.group(1)))
            return (f"`{name}` has {rows} rows, so `.sample({n})` cannot draw {n} different rows (without replacement each row "
                    f"is drawn once); ask for at most {rows}, e.g. `{name}.sample(min({n}, len({name})))`, or pass `replace=True`.")
        return None
    if msg == "probabilities do not sum to 1":
        found = _probabilities(f)
        if found:
            text, total, array = found
            norm = f"{text} / {text}.sum()" if array else f"np.array({text}) / sum({text})"
            return (f"the probabilities `{_q(text)}` add up to {total:.6g}, not 1; `p=` must be shares that sum to exactly 1, "
                    f"so divide them by their sum: `p={norm}`.")
        return None
    m = re.search(r"could not broadcast input array from shape \(([\d, ]*)\) into shape \(([\d, ]*)\)", msg)
    if m:
        target = re.match(r"^\s*([A-Za-z_][\w.]*\s*\[[^=]*\])\s*=(?!=)", line)
        if target:
            src, dst = m.group(1).rstrip(","), m.group(2).rstrip(",")
            if "," not in src and "," not in dst:
                return (f"`{target.group(1)}` holds {dst} values (shape ({dst},)) but the right side has {src} (shape ({src},)); "
                        f"give exactly {dst} values, or assign to a part of length {src}.")
            return (f"`{target.group(1)}` has shape ({m.group(2)}) but the right side has shape ({m.group(1)}); make the "
                    f"shapes agree (or assign to a part with the right side's shape).")
    return None


# -- sixth round (heldout6's misses): messages that name no value, with the value read from the line -----

def _module_member(f: _Facts) -> tuple[str, str, str] | None:
    """``datetime.now()`` on the module: (module name, class, attribute) where a class defined in the module
    (the one of the module's own name first) has the attribute. Read statically: no user code runs."""
    m = re.fullmatch(r"module '([\w.]+)' has no attribute '(\w+)'", f.message)
    if not m:
        return None
    mod_name, attr = m.group(1), m.group(2)
    used = re.search(rf"(?<![\w.])([A-Za-z_]\w*)\s*\.\s*{attr}\b", f.line)
    if not used:
        return None
    module = f.scope(used.group(1))
    if not issubclass(type(module), types.ModuleType) or module.__name__ != mod_name:
        return None
    members = vars(module)
    short = mod_name.rsplit(".", 1)[-1]
    same = members.get(short)
    # Plain classes only (type(v) is type): isinstance would read a user object's __class__, and a custom metaclass
    # could compute __mro__ or __dict__; for these, vars() and __mro__ are type's own.
    if type(same) is type and any(attr in vars(k) for k in same.__mro__ if k is not object):
        return used.group(1), short, attr
    # Otherwise only one class of the module may define it (collections.fromkeys: four do, so no guess).
    owners = [n for n, v in itertools.islice(members.items(), 2000)
              if type(v) is type and not n.startswith("_") and attr in vars(v)]
    return (used.group(1), owners[0], attr) if len(owners) == 1 else None


def _uint_range(name: str) -> tuple[int, int] | None:
    try:
        import numpy as np  # noqa: PLC0415 - numpy is read only when a numpy message names a dtype

        info = np.iinfo(name)
        return int(info.min), int(info.max)
    except Exception:
        return None


#: The next integer dtype that holds more, by numpy's name.
_WIDER = {"uint8": "uint16", "int8": "int16", "uint16": "uint32", "int16": "int32", "uint32": "uint64", "int32": "int64"}


def _round6_rules(f: _Facts) -> str | None:
    """Sixth round (heldout6's misses): a class used through its module's name, text written to a file, text
    rounded, dict() of two lists, str.index of what is absent, pandas frames of scalars, ndarray methods on a
    Series, iterrows into one name, resample without dates in the index, concat of a dict, and numpy's dtype
    limits (in-place float into int, a value past a small int's range, numpy numbers in JSON)."""
    msg, line, exc = f.message, f.line, f.exc
    found = _module_member(f)
    if found:
        name, cls, attr = found
        return (f"`{name}` is the module, and `{attr}` belongs to the class `{name}.{cls}` inside it, not to the module; "
                f"call `{name}.{cls}.{attr}(...)`, or import the class: `from {name} import {cls}`.")
    m = re.fullmatch(r"write\(\) argument must be str, not (\w+)", msg)
    if m:
        span = _call_args_span(line, r"\b([A-Za-z_]\w*)\s*\.\s*write\(")
        arg = line[span[0].end():span[1]].strip() if span else ""
        who = f"`{_q(arg)}` is {_an(m.group(1))}" if arg else f"the value is {_an(m.group(1))}"
        shown = f"`{span[0].group(1)}.write(str({arg}))`" if arg else "`f.write(str(value))`"
        return f"a text file's `.write()` takes text (a str) only, and {who}; convert it to text first: {shown}."
    m = re.fullmatch(r"type (\w+) doesn't define __round__ method", msg)
    if m:
        span = _call_args_span(line, r"(?<![\w.])round\(")
        first = re.match(r"\s*([^,]+?)\s*(,|$)", line[span[0].end():span[1]]) if span else None
        arg = first.group(1) if first else ""
        value = f.scope(arg) if arg.isidentifier() else _MISSING
        holding = f" holding {_q(_short_repr(value))}" if type(value) is str else ""
        what = "text (a str)" if m.group(1) == "str" else _an(m.group(1))
        if arg and m.group(1) == "str":
            return (f"`{_q(arg)}` is {what}{holding}, not a number, and only numbers can be rounded; convert it first: "
                    f"`round(float({arg}), ...)`.")
        return f"`round()` needs a number, and its argument is {what}; convert it to a number first (`float(...)`)."
    m = re.fullmatch(r"dict expected at most 1 argument, got (\d+)", msg)
    if m:
        span = _call_args_span(line, r"(?<![\w.])dict\(")
        args = [a.strip() for a in line[span[0].end():span[1]].split(",")] if span else []
        if len(args) == 2 and all(re.fullmatch(r"[\w.]+", a) for a in args):
            return (f"`dict()` takes ONE argument, an iterable of (key, value) pairs, not {m.group(1)} separate lists; pair the "
                    f"keys with the values using zip: `dict(zip({args[0]}, {args[1]}))`.")
        return ("`dict()` takes ONE argument (an iterable of (key, value) pairs or a mapping); to pair a list of keys with a "
                "list of values use zip: `dict(zip(keys, values))`.")
    if msg == "substring not found":
        call = re.search(r"\b([A-Za-z_]\w*)\s*\.\s*(r?index)\(\s*(['\"])([^'\"]*)\3\s*\)", line)
        if call:
            name, method, sub = call.group(1), call.group(2), call.group(4)
            value = f.scope(name)
            holding = f" (it is {_q(_short_repr(value), 60)})" if type(value) is str else ""
            return (f"`{name}` does not contain {sub!r}{holding}, and `.{method}()` raises when the text is absent; use "
                    f"`{name}.find({sub!r})` (it gives -1 when absent) or check first: `if {sub!r} in {name}:`.")
        return ("the text searched with `.index()` does not contain the substring, and `.index()` raises when it is absent; "
                "use `.find()` (it gives -1) or check first with `in`.")
    if msg == "If using all scalar values, you must pass an index":
        return ("every value in the dict is a single value (a scalar), not a list, so pandas cannot tell how many rows to make; "
                "put each value in a list for one row (`{\"col\": [value]}`), or pass `index=[0]`.")
    m = re.fullmatch(r"'(Series|DataFrame)' object has no attribute '(\w+)'", msg)
    if m and m.group(2) in _NDARRAY_ONLY:
        kind, attr = m.group(1), m.group(2)
        call = re.search(rf"(\S+?)\s*\.\s*{attr}\b", line)
        who = f"`{_q(call.group(1), 60)}`" if call else f"the {kind}"
        extra = f" (or select a one-column DataFrame with double brackets, `df[[\"col\"]]`)" if attr == "reshape" and kind == "Series" else ""
        return (f"{who} is a pandas {kind}, and `.{attr}()` is a NumPy array method; convert it to an array first: "
                f"`{call.group(1) if call else 'x'}.to_numpy().{attr}(...)`{extra}.")
    m = re.fullmatch(r"tuple indices must be integers or slices, not str", msg)
    if m:
        loop = re.search(r"^\s*for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_][\w.]*)\.(iterrows|items)\(\)", f.cell, re.M)
        if loop and re.search(rf"\b{loop.group(1)}\s*\[", line):
            var, obj, method = loop.groups()
            return (f"`{obj}.{method}()` gives (index, row) pairs, so `{var}` is a tuple (index, row), not the row; unpack "
                    f"the pair in the loop: `for index, {var} in {obj}.{method}():`.")
        return ("a tuple is indexed by position (an int), not by a name; if it holds an (index, row) pair, unpack it first "
                "(`index, row = pair`).")
    m = re.fullmatch(r"Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of '(\w+)'", msg)
    if m:
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ != "DataFrame":
                continue
            date = _date_column(obj)
            if date:
                return (f"`{name}` has a {m.group(1)} (row numbers), but `.resample()` needs dates in the index; the dates are in "
                        f"the column {date!r}: `{name}.set_index({date!r}).resample(...)`, or `resample(..., on={date!r})`.")
        return (f"the index is a {m.group(1)} (row numbers), but `.resample()` needs dates in the index; make the date column "
                f"the index first (`df.set_index(\"date\")`, after `pd.to_datetime`), or pass `on=\"date\"`.")
    m = re.fullmatch(r"cannot concatenate object of type '<class '(\w+)'>'; only Series and DataFrame objs are valid", msg)
    if m:
        what = {"dict": "a dict", "list": "a list", "tuple": "a tuple"}.get(m.group(1), _an(m.group(1)))
        example = "`pd.DataFrame([row_dict])`" if m.group(1) == "dict" else "`pd.DataFrame(...)`"
        return (f"`pd.concat()` joins DataFrames and Series only, and one of the items is {what}; make it a DataFrame first "
                f"(a dict as one row: {example}), then `pd.concat([df, new_df], ignore_index=True)`.")
    m = re.fullmatch(r"Cannot cast ufunc '(\w+)' output from dtype\('(\w+)'\) to dtype\('(\w+)'\) with casting rule 'same_kind'", msg)
    if m:
        aug = re.match(r"^\s*([A-Za-z_][\w.]*)\s*([-+*/])=\s*(.+)$", line)
        if aug:
            name, op, rhs = aug.groups()
            return (f"`{name}` holds {m.group(3)} values, and `{op}=` must store the {m.group(2)} result back into that same "
                    f"{m.group(3)} array, which NumPy refuses; make a new array instead, `{name} = {name} {op} {rhs}`, or convert "
                    f"first: `{name} = {name}.astype(float)`.")
        return (f"the result is {m.group(2)} but it must be stored in an existing {m.group(3)} array (an in-place operation or "
                f"`out=`), which NumPy refuses; convert the array first with `.astype(float)` or make a new one.")
    m = re.fullmatch(r"Python integer (-?\d+) out of bounds for (u?int\d+)", msg)
    if m:
        bounds = _uint_range(m.group(2))
        if bounds:
            lo, hi = bounds
            wider = _WIDER.get(m.group(2))
            widen = f" (e.g. `dtype=np.{wider}`, or `.astype(np.{wider})`)" if wider else ""
            return (f"a {m.group(2)} array holds only whole numbers from {lo} to {hi}, and {m.group(1)} does not fit; use a wider "
                    f"dtype{widen}, or clip the value into range (`min({m.group(1)}, {hi})`).")
    m = re.fullmatch(r"Object of type (\w+) is not JSON serializable", msg)
    if m and m.group(1) in _NUMPY_SCALARS:
        kind = _NUMPY_SCALARS[m.group(1)]
        if kind == "list":
            return (f"a NumPy {m.group(1)} is not a Python list, and `json` only knows Python's own types; convert it with "
                    f"`.tolist()` before dumping.")
        return (f"the value is a NumPy {m.group(1)}, not a plain Python {kind}, and `json` only knows Python's own types; "
                f"convert it: `{kind}(value)` (or `value.item()`), or pass `default={kind}` to `json.dumps`.")
    return None


#: Methods of a NumPy array that a pandas Series or DataFrame lacks.
_NDARRAY_ONLY = frozenset({"reshape", "flatten", "ravel", "resize", "itemset", "tofile", "tobytes", "fill", "ptp"})
#: NumPy types json cannot dump, and the Python type to convert to.
_NUMPY_SCALARS = {**{f"int{b}": "int" for b in (8, 16, 32, 64)}, **{f"uint{b}": "int" for b in (8, 16, 32, 64)},
                  "float16": "float", "float32": "float", "float64": "float", "bool_": "bool", "bool": "bool",
                  "ndarray": "list"}


def _corrected_round6(f: _Facts) -> str | None:
    msg, line = f.message, f.line
    found = _module_member(f)
    if found:
        name, cls, attr = found
        return _sub1(rf"(?<![\w.]){re.escape(name)}\s*\.\s*{attr}\b", f"{name}.{cls}.{attr}", line)
    if re.fullmatch(r"write\(\) argument must be str, not \w+", msg):
        span = _call_args_span(line, r"\b[A-Za-z_]\w*\s*\.\s*write\(")
        if span and line[span[0].end():span[1]].strip():
            return line[:span[0].end()] + f"str({line[span[0].end():span[1]].strip()})" + line[span[1]:]
        return None
    if msg == "type str doesn't define __round__ method":
        span = _call_args_span(line, r"(?<![\w.])round\(")
        first = re.match(r"\s*([^,()]+?)\s*(?=,|$)", line[span[0].end():span[1]]) if span else None
        if span and first:
            start = span[0].end() + first.start(1)
            return line[:start] + f"float({first.group(1)})" + line[start + len(first.group(1)):]
        return None
    if re.fullmatch(r"dict expected at most 1 argument, got 2", msg):
        span = _call_args_span(line, r"(?<![\w.])dict\(")
        args = line[span[0].end():span[1]] if span else ""
        if span and len(args.split(",")) == 2 and all(re.fullmatch(r"\s*[\w.]+\s*", a) for a in args.split(",")):
            a, b = (x.strip() for x in args.split(","))
            return line[:span[0].end()] + f"zip({a}, {b})" + line[span[1]:]
        return None
    if msg == "substring not found":
        return _sub1(r"\b([A-Za-z_]\w*)\s*\.\s*r?index\(", lambda c: f"{c.group(1)}.find(", line)
    if msg == "If using all scalar values, you must pass an index":
        span = _call_args_span(line, r"\bDataFrame\(")
        if span and "index" not in line[span[0].end():span[1]]:
            return line[:span[1]] + ", index=[0]" + line[span[1]:]
        return None
    m = re.fullmatch(r"'(Series|DataFrame)' object has no attribute '(\w+)'", msg)
    if m and m.group(2) in _NDARRAY_ONLY:
        return _sub1(rf"\.\s*{m.group(2)}\(", f".to_numpy().{m.group(2)}(", line)
    if msg == "tuple indices must be integers or slices, not str":
        loop = re.search(r"^(\s*)for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_][\w.]*)\.(iterrows|items)\(\)\s*:", f.cell, re.M)
        if loop and re.search(rf"\b{loop.group(2)}\s*\[", line):
            return f"{loop.group(1)}for index, {loop.group(2)} in {loop.group(3)}.{loop.group(4)}():"
        return None
    if msg.startswith("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex"):
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ == "DataFrame":
                date = _date_column(obj)
                if date:
                    return _sub1(rf"\b{re.escape(name)}\s*\.\s*resample\(", f"{name}.set_index({date!r}).resample(", line)
        return None
    if msg == "cannot concatenate object of type '<class 'dict'>'; only Series and DataFrame objs are valid":
        span = _call_args_span(line, r"\bconcat\(\s*\[")
        if span:
            inner = line[span[0].end():]
            d = re.search(r"(?<![\w)\]])\{", inner)
            end = _call_end(inner, d.start()) if d else None
            if d and end is not None:
                start = span[0].end() + d.start()
                return line[:start] + f"pd.DataFrame([{inner[d.start():end + 1]}])" + line[span[0].end() + end + 1:]
        return None
    m = re.fullmatch(r"Cannot cast ufunc '\w+' output from dtype\('\w+'\) to dtype\('\w+'\) with casting rule 'same_kind'", msg)
    if m:
        aug = re.match(r"^(\s*)([A-Za-z_][\w.]*)\s*([-+*/])=\s*(.+)$", line)
        return f"{aug.group(1)}{aug.group(2)} = {aug.group(2)} {aug.group(3)} {aug.group(4)}" if aug else None
    m = re.fullmatch(r"Python integer (-?\d+) out of bounds for (u?int\d+)", msg)
    if m and _WIDER.get(m.group(2)):
        made = re.search(rf"dtype\s*=\s*(np\.{m.group(2)}\b|['\"]{m.group(2)}['\"])", f.cell)
        if made:
            for source in f.cell.splitlines():
                if made.group(0) in source:
                    return source.replace(made.group(0), f"dtype=np.{_WIDER[m.group(2)]}", 1)
        return None
    m = re.fullmatch(r"Object of type (\w+) is not JSON serializable", msg)
    if m and m.group(1) in _NUMPY_SCALARS:
        kind = _NUMPY_SCALARS[m.group(1)]
        default = "lambda o: o.tolist()" if kind == "list" else kind
        span = _call_args_span(line, r"\bjson\.dumps?\(")
        if span and "default" not in line[span[0].end():span[1]]:
            return line[:span[1]] + f", default={default}" + line[span[1]:]
        return None
    return None


# -- seventh round (heldout7's misses) ---------------------------------------------------------------

def _class_def(cell: str, name: str) -> ast.ClassDef | None:
    tree = _parsed(cell)
    return next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == name), None) if tree else None


def _misspelt_init(f: _Facts) -> tuple[str, ast.FunctionDef] | None:
    """``Point() takes no arguments`` where the cell's ``class Point`` has ``def __int__`` (or ``_init_``)."""
    m = re.fullmatch(r"(\w+)\(\) takes no arguments", f.message)
    node = _class_def(f.cell, m.group(1)) if m else None
    if node is None:
        return None
    methods = [n for n in node.body if isinstance(n, ast.FunctionDef)]
    if any(n.name == "__init__" for n in methods):
        return None
    # A look-alike that takes arguments besides self: __iter__(self) is not a misspelt __init__, __int__(self, x, y) is.
    close = [n for n in methods if n.name != "__init__" and difflib.SequenceMatcher(None, n.name, "__init__").ratio() >= 0.7
             and (len(n.args.args) + len(n.args.kwonlyargs) > 1 or n.args.vararg is not None)]
    return (node.name, close[0]) if close else None


def _local_of_function(f: _Facts) -> tuple[str, str, ast.FunctionDef] | None:
    """``name 'x' is not defined`` where a function of the cell assigns ``x`` (a local, gone when it returns)."""
    m = re.fullmatch(r"name '(\w+)' is not defined", f.message)
    if not m or not isinstance(f.exc, NameError):
        return None
    tree = _parsed(f.cell)
    for node in tree.body if tree else ():
        if isinstance(node, ast.FunctionDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == m.group(1) for t in stmt.targets):
                    return m.group(1), node.name, node
    return None


def _skipped_super(f: _Facts) -> tuple[str, str, str, ast.FunctionDef, ast.FunctionDef] | None:
    """``'Dog' object has no attribute 'name'`` where the cell's ``Dog.__init__`` never calls its base's, which sets it."""
    m = re.fullmatch(r"'(\w+)' object has no attribute '(\w+)'", f.message)
    node = _class_def(f.cell, m.group(1)) if m else None
    if node is None or not node.bases or not isinstance(node.bases[0], ast.Name):
        return None
    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    base = _class_def(f.cell, node.bases[0].id)
    base_init = next((n for n in base.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None) if base else None
    if init is None or base_init is None or any("__init__" in ast.unparse(s) for s in init.body):
        return None
    sets = any(isinstance(t, ast.Attribute) and t.attr == m.group(2) and isinstance(t.value, ast.Name) and t.value.id == "self"
               for s in ast.walk(base_init) if isinstance(s, ast.Assign) for t in s.targets)
    return (node.name, base.name, m.group(2), init, base_init) if sets else None


def _super_call(init: ast.FunctionDef, base_init: ast.FunctionDef) -> str:
    own = {a.arg for a in init.args.args}
    args = [a.arg for a in base_init.args.args[1:]]
    return f"super().__init__({', '.join(a if a in own else '...' for a in args)})"


_SEPARATORS = {";": "';'", "\t": "'\\t'", "|": "'|'"}
_MERGE_TYPES = {"full": "outer", "full_outer": "outer", "fullouter": "outer", "outer_join": "outer", "left_outer": "left",
                "right_outer": "right", "inner_join": "inner", "join": "inner"}


def _one_column_file(f: _Facts) -> tuple[str, str, str] | None:
    """A KeyError on a frame whose only column is the header line joined by another separator (``item;price``)."""
    if not (isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str):
        return None
    key = f.exc.args[0]
    for name, obj in _frames_in_line(f):
        if type(obj).__name__ == "DataFrame" and len(obj.columns) == 1:
            col = str(obj.columns[0])
            for sep, shown in _SEPARATORS.items():
                if sep in col and key in col.split(sep):
                    return name, col, shown
    return None


def _merge_suffixed(f: _Facts) -> tuple[str, str] | None:
    """``(frame, key)`` for ``KeyError: 'sales'`` on a merge result that holds ``sales_x`` and ``sales_y``."""
    if not (isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str):
        return None
    key = f.exc.args[0]
    for name, obj in _frames_in_line(f):
        if {f"{key}_x", f"{key}_y"} <= {str(c) for c in getattr(obj, "columns", [])}:
            return name, key
    return None


def _date_column(obj: Any) -> str | None:
    """The first datetime64 column of a DataFrame (``resample`` needs it in the index)."""
    return next((str(c) for c, t in zip(obj.columns, obj.dtypes) if str(t).startswith("datetime64")), None)


def _round7_rules(f: _Facts) -> str | None:
    """Seventh round (heldout7's misses): a misspelt ``__init__``, a function's local used outside it, a file read in
    write mode, a subclass that skips its base's ``__init__``, a file with another separator, merge suffixes, qcut on
    repeated values, a column name with a space in ``query``, tz-aware against naive, a merge type SQL calls full,
    a header row in ``loadtxt``, the tuple from ``np.where``, a percentage given as a quantile, ``solve`` on a
    non-square system."""
    msg, line, exc = f.message, f.line, f.exc
    found = _misspelt_init(f)
    if found:
        cls, method = found
        return (f"the class `{cls}` has no `__init__`: its method is spelled `{method.name}`, so Python never runs it and "
                f"`{cls}(...)` takes no arguments; rename it `__init__` (two underscores each side, i-n-i-t).")
    local = _local_of_function(f)
    if local:
        name, func, _ = local
        return (f"`{name}` is a local variable of `{func}()`: it exists only inside the function while it runs and is gone "
                f"when it returns; `return {name}` at the end of `{func}` and keep the result: `{name} = {func}()`.")
    if type(exc).__name__ == "UnsupportedOperation" and msg in ("not readable", "not writable"):
        opened = re.search(r"open\(\s*([^,()\n]+?)\s*,\s*(?:mode\s*=\s*)?['\"](\w\+?)['\"]", f.cell)
        if msg == "not readable":
            where = f"the file was opened with mode {opened.group(2)!r} (write only)" if opened else "the file was opened for writing only"
            again = f"`open({opened.group(1)})`" if opened else "`open(path)`"
            return (f"{where}, so it cannot be read; read it by opening it again for reading after the `with` block: {again} "
                    f"(or open it with mode 'w+' and call `f.seek(0)` before reading).")
        where = f"the file was opened with mode {opened.group(2)!r} (read only)" if opened else "the file was opened for reading only"
        return f"{where}, so it cannot be written; open it with mode 'w' (replace) or 'a' (append) to write."
    skipped = _skipped_super(f)
    if skipped:
        cls, base, attr, init, base_init = skipped
        return (f"`{cls}.__init__` replaces `{base}.__init__` and never calls it, so `self.{attr}` (set in `{base}.__init__`) "
                f"is never set; call the parent first in `{cls}.__init__`: `{_super_call(init, base_init)}`.")
    one = _one_column_file(f)
    if one:
        name, col, shown = one
        return (f"`{name}` has a single column {col!r}: the file is separated by {shown}, not commas, so `read_csv` did not split "
                f"it; pass the separator: `pd.read_csv(..., sep={shown})`.")
    suffixed = _merge_suffixed(f)
    if suffixed:
        name, key = suffixed
        return (f"both frames of the merge had a column {key!r}, so the result keeps both, renamed {key + '_x'!r} (left) and "
                f"{key + '_y'!r} (right); use one of them (`{name}[{key + '_x'!r}]`), or name them yourself with "
                f"`suffixes=(...)` in the merge.")
    m = re.match(r"Bin edges must be unique: (?:Index\()?\[?([^\]]*)", msg)
    if m:
        edges = m.group(1).split(",")[:6]
        shown = ", ".join(e.strip() for e in edges)
        return (f"many values are equal, so several quantile edges are the same ({shown}…) and `qcut` cannot make that many "
                f"bins of equal size; pass `duplicates=\"drop\"` (fewer bins), or rank first: `pd.qcut(x.rank(method=\"first\"), n)`.")
    if isinstance(exc, SyntaxError) and ".query(" in line:
        for name, obj in _frames_in_line(f):
            spaced = [str(c) for c in getattr(obj, "columns", []) if " " in str(c) and str(c) in line][:1]
            if spaced:
                return (f"the column name {spaced[0]!r} has a space, so `query` reads it as separate names; wrap it in backticks "
                        f"inside the query: `{name}.query(\"`{spaced[0]}` ...\")`, or use `{name}[{name}[{spaced[0]!r}] ...]`.")
    m = re.fullmatch(r"Invalid comparison between dtype=datetime64\[\w+, ([^\]]+)\] and (Timestamp|datetime)", msg)
    if m or msg.startswith("Cannot compare tz-naive and tz-aware"):
        zone = m.group(1) if m else "UTC"
        return (f"one side is time-zone aware ({zone}) and the other is naive (no time zone), and pandas will not compare them; "
                f"give the naive one the same zone, e.g. `pd.Timestamp(\"...\", tz=\"{zone}\")` (or `.tz_localize(\"{zone}\")`).")
    m = re.match(r"'(\w+)' is not a valid Merge type: ([\w, ]+)", msg)
    if m:
        valid = [v.strip() for v in m.group(2).split(",")]
        fix = _MERGE_TYPES.get(m.group(1).lower()) or next(iter(difflib.get_close_matches(m.group(1), valid, n=1)), None)
        said = f" what SQL calls a FULL (outer) join is `how=\"{fix}\"`" if fix == "outer" else (f" use `how=\"{fix}\"`" if fix else "")
        return f"pandas has no merge type {m.group(1)!r} (it knows {', '.join(valid[:5])});{said or ' pick one of those'}."
    m = re.fullmatch(r"could not convert string '(.*)' to float\d* at row 0, column (\d+)\.", msg)
    if m and re.search(r"\b(loadtxt|genfromtxt)\(", line):
        return (f"the first line of the file is a header (text such as {m.group(1)!r}), not numbers; skip it with "
                f"`skiprows=1` (or read it with `pd.read_csv`, which uses the header as column names).")
    m = re.fullmatch(r"can only concatenate tuple \(not \"(\w+)\"\) to tuple|unsupported operand type\(s\) for [-+*/]: 'tuple' and '\w+'", msg)
    if m and re.search(r"\bnp\.(where|nonzero)\(", line):
        return ("`np.where(condition)` with one argument returns a tuple of index arrays (one per dimension), not an array; "
                "take the first: `np.where(condition)[0]` (or use `np.flatnonzero(condition)`).")
    if msg in ("Quantiles must be in the range [0, 1]", "Percentiles must be in the range [0, 100]"):
        if msg.startswith("Quantiles"):
            return ("`np.quantile` takes a fraction between 0 and 1 (0.95 for the 95th), not a percentage; use "
                    "`np.quantile(x, 0.95)` or `np.percentile(x, 95)`.")
        return "`np.percentile` takes a percentage between 0 and 100; for a fraction use `np.quantile` instead."
    if msg == "Last 2 dimensions of the array must be square" and "solve(" in line:
        call = re.search(r"solve\(\s*([A-Za-z_]\w*)", line)
        value = f.scope(call.group(1)) if call else _MISSING
        if _is_ndarray(value) and value.ndim == 2:
            r, c = value.shape
            return (f"`{call.group(1)}` has shape ({r}, {c}): {r} equations for {c} unknowns, and `solve` needs a square matrix; for "
                    f"the best fit use least squares: `np.linalg.lstsq({call.group(1)}, y, rcond=None)[0]`.")
        return "`solve` needs a square matrix; for more equations than unknowns use least squares: `np.linalg.lstsq(A, b, rcond=None)[0]`."
    return None


def _corrected_round7(f: _Facts) -> str | None:
    msg, line, exc = f.message, f.line, f.exc
    lines = f.cell.splitlines()
    found = _misspelt_init(f)
    if found:
        src = lines[found[1].lineno - 1]
        return src.replace(f"def {found[1].name}", "def __init__", 1).strip()
    local = _local_of_function(f)
    if local:
        name, func, node = local
        if node.end_lineno and node.end_lineno - node.lineno <= 8:
            body = lines[node.lineno - 1: node.end_lineno]
            indent = re.match(r"\s*", lines[node.body[0].lineno - 1]).group(0)
            rest = [ln for ln in lines[node.end_lineno:] if ln.strip()]
            call = [re.sub(rf"^(\s*){func}\(", rf"\g<1>{name} = {func}(", ln) if re.match(rf"\s*{func}\(", ln) else ln for ln in rest]
            return "\n".join(body + [f"{indent}return {name}", ""] + call[:4])
        return None
    if type(exc).__name__ == "UnsupportedOperation" and msg == "not readable":
        opened = re.search(r"open\(\s*([^,()\n]+?)\s*,\s*(?:mode\s*=\s*)?['\"]w['\"]", f.cell)
        return _sub1(re.escape(opened.group(0)), f"open({opened.group(1)}, 'w+'", line) if opened else None
    skipped = _skipped_super(f)
    if skipped:
        _, _, _, init, base_init = skipped
        head = lines[init.lineno - 1]
        indent = re.match(r"\s*", lines[init.body[0].lineno - 1]).group(0)[len(re.match(r"\s*", head).group(0)):]
        return f"{head.strip()}\n{indent}{_super_call(init, base_init)}"
    one = _one_column_file(f)
    if one:
        for src in lines:
            call = _call_args_span(src, r"\bread_csv\(")
            if call and "sep" not in src and "delimiter" not in src:
                return src[:call[1]] + f", sep={one[2]}" + src[call[1]:]
        return None
    suffixed = _merge_suffixed(f)
    if suffixed:
        name, key = suffixed
        return _sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"{name}[{key + '_x'!r}]", line)
    if msg.startswith("Bin edges must be unique"):
        call = _call_args_span(line, r"\bqcut\(")
        return line[:call[1]] + ', duplicates="drop"' + line[call[1]:] if call else None
    if isinstance(exc, SyntaxError) and ".query(" in line:
        for _, obj in _frames_in_line(f):
            for col in [str(c) for c in getattr(obj, "columns", []) if " " in str(c)]:
                q = re.search(r"\.query\(\s*(['\"])(.*?)\1", line)
                if q and col in q.group(2) and f"`{col}`" not in q.group(2):
                    return line[:q.start(2)] + q.group(2).replace(col, f"`{col}`") + line[q.end(2):]
        return None
    m = re.fullmatch(r"Invalid comparison between dtype=datetime64\[\w+, ([^\]]+)\] and Timestamp", msg)
    if m:
        call = _call_args_span(line, r"\bTimestamp\(")
        if call and "tz" not in line[call[0].end():call[1]]:
            return line[:call[1]] + f', tz="{m.group(1)}"' + line[call[1]:]
        return None
    m = re.match(r"'(\w+)' is not a valid Merge type", msg)
    if m and _MERGE_TYPES.get(m.group(1).lower()):
        return _sub1(rf"how\s*=\s*(['\"]){m.group(1)}\1", f'how="{_MERGE_TYPES[m.group(1).lower()]}"', line)
    if re.fullmatch(r"could not convert string '.*' to float\d* at row 0, column \d+\.", msg):
        call = _call_args_span(line, r"\b(?:np\.)?(?:loadtxt|genfromtxt)\(")
        if call and "skip" not in line:
            return line[:call[1]] + (", skiprows=1" if "loadtxt" in call[0].group(0) else ", skip_header=1") + line[call[1]:]
        return None
    if re.fullmatch(r"can only concatenate tuple \(not \"\w+\"\) to tuple", msg):
        call = _call_args_span(line, r"\bnp\.(?:where|nonzero)\(")
        return line[:call[1] + 1] + "[0]" + line[call[1] + 1:] if call else None
    if msg == "Quantiles must be in the range [0, 1]":
        return _sub1(r"(quantile\([^,()]+,\s*(?:q\s*=\s*)?)(\d+(?:\.\d+)?)\b",
                     lambda q: f"{q.group(1)}{float(q.group(2)) / 100:g}" if float(q.group(2)) > 1 else q.group(0), line)
    if msg == "Last 2 dimensions of the array must be square":
        return _sub1(r"\blinalg\.solve\(([^()]*)\)", lambda c: f"linalg.lstsq({c.group(1)}, rcond=None)[0]", line)
    return None


def _unpack_names(f: _Facts, which: str, expected: int, got: int | None) -> str | None:
    """``a, b, c = f(x)``: the names on the left, and the values the right gives (from the message, or from
    the ``return`` of a function defined in the cell). Loops and a plain name on the right: :func:`_unpack`."""
    # One run of spaces is read by one ``\s*`` only: ``\s*,?\s*\)?\s*=`` split a long run three ways (cubic).
    m = re.match(r"^\s*\(?(?P<lhs>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*(?:,\s*)?(?:\)\s*)?=(?!=)\s*(?P<rhs>.*\S)", f.line)
    if not m or re.fullmatch(r"[A-Za-z_]\w*", m["rhs"]):
        return None
    names = [n.strip() for n in m["lhs"].split(",")]
    if len(names) != expected:
        return None
    count = got if got is not None else _returned_count(f.cell, m["rhs"])
    called = re.match(r"([A-Za-z_][\w.]*)\(", m["rhs"])
    source = f"`{called.group(1)}()` returns" if called else "the right side gives"
    if count is None:
        return (f"the left of `=` has {expected} names ({', '.join(names)}) but {source} "
                f"{'more' if which == 'too many' else 'fewer'} values; write one name per value.")
    rhs = _q(m["rhs"], 50)
    if count > expected:
        return (f"the left of `=` has {expected} names ({', '.join(names)}) but {source} {count} values; write one name per "
                f"value, or collect the extra ones with a starred name: `{', '.join(names)}, *rest = {rhs}`.")
    if count == 0:
        return (f"the left of `=` has {expected} names ({', '.join(names)}) but {source} no values at all (it is empty), "
                f"so there is nothing to unpack; check that it is not empty before unpacking it.")
    if count == 1:
        return (f"the left of `=` has {expected} names ({', '.join(names)}) but {source} 1 value; unpack it into one name, "
                f"with a comma after it, e.g. `{_fewer_names(names, 1)} = {rhs}` (without the comma the name gets the whole "
                f"sequence).")
    return (f"the left of `=` has {expected} names ({', '.join(names)}) but {source} {count} values; "
            f"write exactly {count} names, e.g. `{_fewer_names(names, count)} = {rhs}`.")


def _fewer_names(names: list[str], count: int) -> str:
    """The left of ``=`` for ``count`` values: the first ``count - 1`` names and the last (``low, high`` for
    ``low, mid, high``); one name gets a comma after it (``x,``), or it would get the whole sequence."""
    return f"{names[0]}," if count == 1 else ", ".join(names[: count - 1] + names[-1:])


def _number_text(f: _Facts, m: re.Match[str]) -> str | None:
    """float() or pd.to_numeric on text with a currency sign, a thousands comma, a percent sign or spaces."""
    text = m.group(1)
    junk = _junk_in_number(text)
    at = f" (at position {m.group(2)})" if m.lastindex and m.lastindex >= 2 else ""
    if not junk:
        if at and "to_numeric" in f.line:
            return (f"{text!r}{at} is not a number, so to_numeric stops there; to turn such values into NaN use "
                    f"`pd.to_numeric(..., errors='coerce')`, then find them with `.isna()`.")
        return None
    what = " and ".join(w for w, _, _ in junk)
    pandas = "to_numeric" in f.line or (".astype(" in f.line and bool(_frames_in_line(f)))
    chain = "".join(p if pandas else s for _, s, p in junk)
    fixed = _with_cleaning(f, junk, text, int(m.group(2)) if at else None)
    where = "pandas" if pandas else "float()"
    example = f"`{_q(fixed[1], 90)}`" if fixed else f"`x{chain}`"
    return f"{text!r}{at} contains {what}, which {where} does not read as part of a number; remove it first: {example}."


def _with_cleaning(f: _Facts, junk: list[tuple[str, str, str]], text: str = "",
                   position: int | None = None) -> tuple[str, str] | None:
    """``(the failing line, the call)`` with the text cleaned inside the ``float(...)`` or ``pd.to_numeric(...)``
    that holds ``text`` (:func:`_pick_call`), or before the column's ``.astype(float)`` that holds it."""
    line = f.line
    for func, pandas in (("pd.to_numeric", True), ("float", False)):
        span = _pick_call(f, _call_arguments(line, func), text, position)
        if span:
            start, end = span
            arg = line[start:end].strip()
            if not re.fullmatch(r"[\w.]+(?:\[[^\[\]]*\]|\([^()]*\))*|'[^']*'|\"[^\"]*\"", arg):
                arg = f"({arg})"  # ``float(a + b)``: the cleaning is for the whole text, not for ``b``
            arg += "".join(p if pandas else s for _, s, p in junk)
            return line[:start] + arg + line[end:], f"{func}({arg})"
    cols = list(itertools.islice(re.finditer(
        r"(\b([A-Za-z_]\w*)\s*\[\s*(['\"])[^'\"]+\3\s*\])\.astype\(\s*(float|int|['\"](float|int)\w*['\"])\s*\)", line), 20))
    cols = [c for c in cols if _is_frame(f.scope(c.group(2)))]
    held = [c for c in cols if _holds_text(f, c.group(1), text, position)]
    col = held[0] if held else (cols[0] if len(cols) == 1 and _holds_text(f, cols[0].group(1), text, position) is not False else None)
    if col:
        cleaned = col.group(1) + "".join(p for _, _, p in junk)
        return line[:col.start()] + cleaned + line[col.end(1):], cleaned + line[col.end(1):col.end()]
    return None


def _str_method_on_list(f: _Facts) -> str | None:
    """``lines.strip()`` on a list of strings: the method belongs to each item."""
    m = re.search(r"'(list|tuple)' object has no attribute '(\w+)'", f.message)
    if not m or not hasattr(str, m.group(2)) or hasattr(list, m.group(2)) or m.group(2) in SYNONYMS["list"] or \
            m.group(2) in ("join", "format", "format_map", "maketrans"):
        return None  # ``words.join(" ")`` is the separator's method: :data:`_SAID_BY_MESSAGE` says so
    attr = m.group(2)
    call = re.search(rf"\b([A-Za-z_]\w*)\s*\.\s*{attr}\(([^()]*)\)", f.line)
    name = call.group(1) if call else "items"
    value = f.scope(name) if call else _MISSING
    if value is not _MISSING and type(value) not in (list, tuple):
        return None
    strings = type(value) in (list, tuple) and value and all(type(x) is str for x in value[:1000])
    item = "x" if name == "s" else "s"
    args = call.group(2) if call else ""
    return (f"`{name}` is {_an(m.group(1))}{' of strings' if strings else ''}, and `.{attr}()` is a method of each string, not of "
            f"the {m.group(1)}; apply it to each item: `[{item}.{attr}({args}) for {item} in {name}]`.")


def _padded_columns(line: str) -> str | None:
    """``pd.DataFrame({"a": [1, 2], "b": [1]})`` with the short list literals padded with None (at most 3 each),
    when the whole call is on the line."""
    text = line.strip()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Dict)
                and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)) == "DataFrame"):
            continue
        lists = [v for v in node.args[0].values if isinstance(v, ast.List) and v.lineno == v.end_lineno == 1]
        longest = max((len(v.elts) for v in lists), default=0)
        short = [v for v in lists if v.elts and 0 < longest - len(v.elts) <= 3]
        if not short or len(lists) != len(node.args[0].values):
            return None
        for v in sorted(short, key=lambda v: v.end_col_offset or 0, reverse=True):
            end = (v.end_col_offset or 1) - 1  # the closing bracket (ast offsets are in UTF-8 bytes)
            raw = text.encode()
            text = (raw[:end] + (", None" * (longest - len(v.elts))).encode() + raw[end:]).decode()
        return line[: len(line) - len(line.lstrip())] + text
    return None


def _corrected_round5(f: _Facts) -> str | None:
    msg, line, exc = f.message, f.line, f.exc
    compared = _compared(f)
    if compared is not None:
        _, (start, end), text, number, number_type = compared
        return line[:start] + _converted(f, text, number, number_type) + line[end:]
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is tuple:
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ == "DataFrame":
                return _sub1(rf"\b{re.escape(name)}\s*\[\s*((['\"])[^'\"\[\]]*\2(?:\s*,\s*(['\"])[^'\"\[\]]*\3)+)\s*\]",
                             lambda k: f"{name}[[{k.group(1)}]]", line)
        return None
    if _TEXT_PLUS_NUMBER.search(msg):
        for col in _COLUMN.finditer(line):
            if _numeric_column(f.scope(col.group(1)), col.group(3)):
                return line[:col.end()] + ".astype(str)" + line[col.end():]
        return None
    m = re.search(r"(not enough) values to unpack \(expected (\d+), got (\d+)\)", msg)
    if m:
        a = re.match(r"^(\s*)(?P<lhs>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*=(?!=)\s*(?P<rhs>.*\S)", line)
        expected, got = int(m.group(2)), int(m.group(3))
        if a and not re.fullmatch(r"[A-Za-z_]\w*", a["rhs"]) and 0 < got < expected:  # got 0: no line unpacks nothing
            names = [n.strip() for n in a["lhs"].split(",")]
            if len(names) == expected:
                return f"{a.group(1)}{_fewer_names(names, got)} = {a['rhs']}"
        return None
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'\)?$", msg) or \
        re.search(r"Unable to parse string ['\"](.*)['\"] at position (\d+)", msg)
    if m:
        junk = _junk_in_number(m.group(1))
        position = int(m.group(2)) if m.lastindex and m.lastindex >= 2 else None
        if junk:
            fixed = _with_cleaning(f, junk, m.group(1), position)
            return fixed[0] if fixed else None
        if msg.startswith("Unable to parse string") and m.group(1).strip().lower() in _NA_MARKERS:
            span = _pick_call(f, _call_arguments(line, "pd.to_numeric"), m.group(1), position)
            return line[:span[1]] + ", errors='coerce'" + line[span[1]:] if span else None
        return None
    if isinstance(exc, AttributeError) and _str_method_on_list(f):
        m = re.search(r"'(?:list|tuple)' object has no attribute '(\w+)'", msg)
        if m:
            item = "x" if re.search(r"\bs\s*\.", line) else "s"
            return _sub1(rf"\b([A-Za-z_]\w*)\s*\.\s*{m.group(1)}\(([^()]*)\)",
                         lambda c: f"[{item}.{m.group(1)}({c.group(2)}) for {item} in {c.group(1)}]", line)
        return None
    if msg == "'float' object cannot be interpreted as an integer":
        found = _float_in_range(f)
        if found and found[2]:
            name, _, source = found
            return f"{name} = " + re.sub(r"(?<!/)/(?!/)", "//", source, count=1)
        if found:
            return _sub1(rf"(?<![\w.]){re.escape(found[0])}\b(?!\s*\()", f"int({found[0]})", line)
        call = re.search(r"(?<![\w.])range\(", line)
        end = _call_end(line, call.end() - 1) if call else None
        if call and end is not None:
            args = re.sub(r"(?<!/)/(?!/)", "//", line[call.end():end], count=1)
            return line[:call.end()] + args + line[end:]
        return None
    if msg == "All arrays must be of the same length":
        return _padded_columns(line)
    if msg == "Cannot take a larger sample than population when 'replace=False'":
        call = re.search(r"\b([A-Za-z_]\w*)\.sample\(\s*(?:n\s*=\s*)?(\d+)", line)
        if call and _is_frame(f.scope(call.group(1))):
            name, n = call.group(1), call.group(2)
            return line[:call.start(2)] + f"min({n}, len({name}))" + line[call.end(2):]
        return None
    if msg == "probabilities do not sum to 1":
        found = _probabilities(f)
        if found:
            text, _, array = found
            norm = f"{text} / {text}.sum()" if array else f"np.array({text}) / sum({text})"
            return _sub1(rf"\bp\s*=\s*{re.escape(text)}", lambda _: f"p={norm}", line)
        return None
    m = re.search(r"could not broadcast input array from shape \((\d+),\) into shape \((\d+),\)", msg)
    if m and int(m.group(1)) < int(m.group(2)):
        t = re.match(r"^(\s*)([A-Za-z_]\w*)\s*\[\s*(-?\d+)\s*\]\s*=(?!=)\s*(.+)$", line)
        if t and _is_ndarray(f.scope(t.group(2))) and f.scope(t.group(2)).ndim == 2:
            return f"{t.group(1)}{t.group(2)}[{t.group(3)}, :{m.group(1)}] = {t.group(4)}"
    return None


# -- corrected lines: the failing line rewritten with the user's own names ----------------------------

def _wrap_boolop(line: str) -> str | None:
    """``a > 1 and b < 5`` → ``(a > 1) & (b < 5)`` inside the line (pandas/numpy element-wise logic)."""
    m = re.search(r"\[(?P<l>[^\[\]]*?(?:\[[^\[\]]*\][^\[\]]*?)*?)\s+(?P<op>and|or)\s+(?P<r>[^\[\]]*?(?:\[[^\[\]]*\][^\[\]]*?)*)\]", line)
    if m:
        sym = "&" if m["op"] == "and" else "|"
        return line[:m.start()] + f"[({m['l'].strip()}) {sym} ({m['r'].strip()})]" + line[m.end():]
    m = re.match(r"(?P<i>\s*(?:if|while|elif)\s+)(?P<l>.+?)\s+(?P<op>and|or)\s+(?P<r>.+?)(?P<c>\s*:\s*)$", line)
    if m:
        sym = "&" if m["op"] == "and" else "|"
        return f"{m['i']}(({m['l']}) {sym} ({m['r']})).any(){m['c']}"
    return None


def _replace_axis(line: str, axis: int, index: str) -> str | None:
    """``m[2, 0]`` with the index on ``axis`` (``2`` on axis 0) replaced by ``-1``, the last position."""
    for m in re.finditer(r"\b[A-Za-z_]\w*\s*\[([^\[\]]+)\]", line):
        parts = m.group(1).split(",")
        if axis < len(parts) and parts[axis].strip() == index:
            lead = parts[axis][: len(parts[axis]) - len(parts[axis].lstrip())]
            parts[axis] = f"{lead}-1"
            start, end = m.span(1)
            return line[:start] + ",".join(parts) + line[end:]
    return None


def _corrected_more(f: _Facts) -> str | None:
    """Corrected lines for the third round's messages (see :func:`_data_rules`, :func:`_python_rules`)."""
    exc, msg, line = f.exc, f.message, f.line
    if isinstance(exc, KeyError) and re.fullmatch(r"\[.*\] not found in axis", msg):
        return _sub1(r"\.drop\(\s*(['\"][^'\"]+['\"]|\[[^\]]*\])\s*\)", r".drop(columns=\1)", line)
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is str:
        key = exc.args[0]
        m = re.search(r"\.apply\(", line)
        if m and "axis" not in line:
            end = _call_end(line, m.end() - 1)
            if end is not None:
                return line[:end] + ", axis=1" + line[end:]
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ == "DataFrame" and key in [str(n) for n in getattr(obj.index, "names", ()) if n is not None]:
                return _sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"{name}.index", line)
        return None
    if "truth value of a Series is ambiguous" in msg or "truth value of an array with more than one element" in msg:
        m = _CHAINED.search(line)
        if m:
            if m["o1"] == "<=" and m["o2"] == "<=":
                return line[:m.start()] + f"{m['b']}.between({m['a']}, {m['c']})" + line[m.end():]
            return line[:m.start()] + f"({m['b']} {_FLIP[m['o1']]} {m['a']}) & ({m['b']} {m['o2']} {m['c']})" + line[m.end():]
        return None
    m = re.search(r"You are trying to merge on (\w+) and (\w+) columns for key '(.+?)'", msg)
    if m:
        key = m.group(3)
        for name, obj in _frames_in_line(f):
            try:
                dtype = str(obj[key].dtype)
            except Exception:
                continue
            if dtype in ("object", "str", "string"):
                other = "int" if any(d.startswith("int") for d in m.groups()[:2]) else "float"
                return f"{name}[{key!r}] = {name}[{key!r}].astype({other})\n{line}"
        return None
    if type(exc).__name__ == "IntCastingNaNError" or "Cannot convert non-finite values (NA or inf) to integer" in msg:
        return _sub1(r"\.astype\(\s*(int|['\"]int(64)?['\"])\s*\)", '.astype("Int64")', line)
    if "Can only use .dt accessor with datetimelike values" in msg:
        return _sub1(r"\b([A-Za-z_]\w*\s*\[[^\]]+\])\.dt\.", r"pd.to_datetime(\1).dt.", line)
    if re.search(r"dtype '(str|object)' does not support operation '(\w+)'|agg function failed", msg) and "groupby(" in line:
        return _sub1(r"\.(mean|sum|median|std|var)\(\s*\)", r".\1(numeric_only=True)", line)
    m = re.search(r"along dimension 1, the array at index \d+ has size \d+", msg)
    if m and "concatenate" in line:
        call = re.search(r"np\.concatenate\(\s*\[\s*(\w+)\s*,\s*(\w+)\s*\]\s*\)", line)
        if call:
            a, b = (f.scope(n) for n in call.groups())
            if all(_is_ndarray(v) and v.ndim == 2 for v in (a, b)) and a.shape[0] == b.shape[0]:
                return line.replace(call.group(0), f"np.concatenate([{call.group(1)}, {call.group(2)}], axis=1)", 1)
        return None
    m = re.search(r"axis (\d+) is out of bounds for array of dimension 1", msg)
    if m:
        return _sub1(rf"\baxis\s*=\s*{m.group(1)}\b", "axis=0", line)
    if msg == "cannot convert float NaN to integer":
        arrays = [n for n in _subscripted(line) if _is_ndarray(f.scope(n))]
        if arrays:
            indent = line[: len(line) - len(line.lstrip())]
            return f"{indent}{arrays[0]} = {arrays[0]}.astype(float)\n{line}"
        return None
    m = re.search(r"Unknown format code '(.)' for object of type 'str'", msg)
    if m:
        return _sub1(r"\{\s*([A-Za-z_][\w.]*)\s*:", r"{float(\1):", line)
    m = re.search(r"\b(\w+)\.(\w+)\(\) takes (\d+) positional arguments? but (\d+) were given", msg)
    if m and int(m.group(4)) == int(m.group(3)) + 1:
        d = re.search(rf"(?m)^([ \t]*)def\s+{m.group(2)}\s*\((.*?)\)\s*(->[^:]*)?:", f.cell)
        if d and not d.group(2).strip().startswith("self"):
            params = d.group(2).strip()
            return f"{d.group(1)}def {m.group(2)}(self{', ' + params if params else ''}):"
        return None
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", msg)
    if m and {m.group(2), m.group(3)} <= {"str", "int", "float"}:
        call = re.search(r"\bsorted\(\s*([A-Za-z_]\w*)\s*\)|\b([A-Za-z_]\w*)\.sort\(\s*\)", line)
        if call:
            name = call.group(1) or call.group(2)
            value = f.scope(name)
            numeric = type(value) in (list, tuple) and all(
                type(x) in (int, float) or (type(x) is str and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", x)) for x in value[:1000])
            key = ("float" if any(type(x) is float or (type(x) is str and "." in x) for x in value[:1000]) else "int") if numeric else "str"
            return line.replace(call.group(0), f"sorted({name}, key={key})" if call.group(1) else f"{name}.sort(key={key})", 1)
        return None
    if msg == "'set' object is not subscriptable":
        names = _subscripted(line)
        if names and type(f.scope(names[0])) in (set, frozenset):
            return _sub1(rf"\b{re.escape(names[0])}\s*\[", f"list({names[0]})[", line)
        return None
    if isinstance(exc, RuntimeError) and msg in ("dictionary changed size during iteration", "Set changed size during iteration"):
        return _sub1(r"^(\s*for\s+.+?\s+in\s+)([A-Za-z_]\w*)(\s*:)", r"\1list(\2)\3", line)
    m = re.search(r"unsupported operand type\(s\) for \S+: '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in m.groups():
        func = _user_function_without_return(f)
        return _print_to_return(f.cell, func) if func else None
    m = re.search(r"time data '(.+?)' does not match format '(.+?)'", msg)
    if m:
        fmt = _date_format(m.group(1))
        if fmt:
            return _sub1(rf"(['\"]){re.escape(m.group(2))}\1", lambda q: f"{q.group(1)}{fmt}{q.group(1)}", line)
    return None


def _print_to_return(cell: str, func: str) -> str | None:
    """The definition of ``func`` with its last statement, ``print(x)``, made ``return x``."""
    node = _function_def(cell, func)
    if node is None or node.end_lineno is None:
        return None
    last = node.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name)
            and last.value.func.id == "print" and len(last.value.args) == 1 and not last.value.keywords
            and last.lineno == last.end_lineno):
        return None
    arg = ast.get_source_segment(cell, last.value.args[0])
    if arg is None:
        return None
    lines = cell.splitlines()
    body = lines[node.lineno - 1: node.end_lineno]
    body[last.lineno - node.lineno] = f"{lines[last.lineno - 1][: last.col_offset]}return {arg}"
    return "\n".join(body)


def _corrected(f: _Facts) -> str | None:
    """The failing line (or the line that caused it) rewritten so that this error goes away, where one
    rewrite is the usual repair; None where the repair needs a choice only the user can make."""
    exc, msg, line = f.exc, f.message, f.line
    if not line:
        return None
    more = corrected_round9(f) or corrected_round8(f) or _corrected_round7(f) or _corrected_round6(f) or _corrected_round5(f) or _corrected_more(f) or _corrected_round4(f)
    if more is not None:
        return more
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is int:
        for name, obj in _frames_in_line(f):
            if type(obj).__name__ == "Series" and exc.args[0] not in obj.index and exc.args[0] >= len(obj):
                return _sub1(rf"\b{re.escape(name)}\s*\[\s*{exc.args[0]}\s*\]", f"{name}.iloc[-1]", line)
        return None
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is str:
        key = exc.args[0]
        for name in _subscripted(line):
            value = f.scope(name)
            keys = [k for k in _dict_keys(value) if type(k) is str] if type(value) is dict else (
                [c for c in value.columns if type(c) is str] if _is_dataframe(value) else None)
            if keys is None:
                continue
            if type(value) is dict:
                m = re.search(rf"\b{re.escape(name)}\s*\[(?P<k>[^\]]+)\]\s*\+=\s*(?P<v>.+)$", line)
                if m:
                    return line[:m.start()] + f"{name}[{m['k']}] = {name}.get({m['k']}, 0) + {m['v']}"
            close = _close(key, keys)
            if close:
                return _sub1(rf"(['\"]){re.escape(key)}\1", lambda m: f"{m.group(1)}{close[0]}{m.group(1)}", line)
        if "merge(" in line and re.search(rf"\bon\s*=\s*['\"]{re.escape(key)}['\"]", line):
            frames = _frames_in_line(f)
            if len(frames) >= 2:
                right_cols = [c for c in frames[1][1].columns if type(c) is str]
                close = _close(key, right_cols)
                if close:
                    return _sub1(rf"\bon\s*=\s*(['\"]){re.escape(key)}\1",
                                 lambda m: f"left_on={m.group(1)}{key}{m.group(1)}, right_on={m.group(1)}{close[0]}{m.group(1)}", line)
        return None
    if isinstance(exc, AttributeError):
        m = re.search(r"'(?:[\w.]+\.)?(\w+)' object has no attribute '(\w+)'", msg)
        if "Can only use .str accessor" in msg:
            return _sub1(r"\.str\.", ".astype(str).str.", line)
        if not m:
            return None
        tname, attr = m.group(1), m.group(2)
        if tname == "ndarray" and attr in ("append", "push"):
            return _sub1(rf"^(\s*)(\w+)\.{attr}\((.+)\)\s*$", r"\1\2 = np.append(\2, \3)", line)
        if tname == "tuple" and attr in ("append", "add", "push"):
            return _sub1(rf"^(\s*)(\w+)\.{attr}\((.+)\)\s*$", r"\1\2 = \2 + (\3,)", line)
        if tname == "dict":
            return _sub1(rf"\b(\w+)\.{attr}\b(?!\s*\()", rf"\1['{attr}']", line)
        if attr in _BUILTIN_FUNCS:
            return _sub1(rf"\b([A-Za-z_][\w.]*)\.{attr}\(\s*([^()]*?)\s*\)",
                         lambda c: f"{attr}({c.group(1)}{', ' + c.group(2) if c.group(2) else ''})", line)
        obj = re.search(rf"\b([A-Za-z_]\w*)\s*\.\s*{re.escape(attr)}\b", line)
        python = SYNONYMS.get(tname, {}).get(attr, "") if not (obj and _look_alike(tname, f.scope(obj.group(1)))) else ""
        if python.isidentifier():
            return _sub1(rf"\.{attr}\b", f".{python}", line)
        if tname == "NoneType" and re.search(r"\bre\.(match|search|fullmatch)\(", f.cell):
            obj = re.search(rf"\b(\w+)\s*\.\s*{attr}\b", line)
            if obj:
                return f"if {obj.group(1)}:\n    {line.strip()}"
        return None
    if isinstance(exc, TypeError):
        if re.search(r"object of type '(int|float)' has no len\(\)", msg):
            return _sub1(r"\blen\((\w+)\)", r"len(str(\1))", line)
        if "is not iterable" in msg:
            return _sub1(r"\bin\s+len\(([^()]+)\)", r"in range(len(\1))", line)
        numeric_text = _numeric_text(f)
        if numeric_text is not None:
            name, _, conv = numeric_text
            return _sub1(rf"(?<![\w.]){re.escape(name)}\b(?!\s*\()", f"{conv}({name})", line)
        if re.search(r"'tuple' object is not callable", msg) and _called_data_attr(f) is not None:
            name, attr, _ = _called_data_attr(f) or ("", "", "")
            return _sub1(rf"\b{re.escape(name)}\.{attr}\s*\(\s*([^()]*?)\s*\)",
                         lambda c: f"{name}.{attr}[{c.group(1)}]" if c.group(1) else f"{name}.{attr}", line)
        if "can only concatenate str" in msg or re.search(r"for \+: '(int|float)' and 'str'|for \+: 'str' and '(int|float)'", msg):
            m = re.search(r"\bsum\(\s*(\w+)\s*\)", line)
            if m:
                return line.replace(m.group(0), f"sum(int(x) for x in {m.group(1)})", 1)
            for name in _names_on(line):
                if type(f.scope(name)) in (int, float) and re.search(rf"(['\"][^'\"]*['\"]\s*\+\s*{name}\b|\b{name}\s*\+\s*['\"])", line):
                    return _sub1(rf"(?<![\w.(]){name}\b(?!\s*\()", f"str({name})", line)
            return None
        if "can't multiply sequence by non-int" in msg:
            m = re.search(r"\b(\w+)\s*\*\s*(\w+)\b", line)
            if m and all(type(f.scope(n)) is str for n in m.groups()):
                return line.replace(m.group(0), f"int({m.group(1)}) * int({m.group(2)})", 1)
            return None
        if "object does not support item assignment" in msg and "'str'" in msg:
            m = re.match(r"^(\s*)(\w+)\[(\d+)\]\s*=\s*(.+)$", line)
            if m:
                i = int(m.group(3))
                head = f"{m.group(2)}[:{i}] + " if i else ""
                return f"{m.group(1)}{m.group(2)} = {head}{m.group(4)} + {m.group(2)}[{i + 1}:]"
            return None
        if "indices must be integers or slices, not float" in msg:
            for name in re.findall(r"\[\s*(\w+)\s*\]", line):
                assigned = re.findall(rf"(?m)^[ \t]*{name}\s*=\s*(.+/.+)$", f.cell)
                if assigned and "//" not in assigned[-1]:
                    return f"{name} = {assigned[-1].replace('/', '//', 1).strip()}"
            return None
        if "'NoneType' object is not subscriptable" in msg:
            for name in _subscripted(line):
                m = re.search(rf"(?m)^([ \t]*){name}\s*=\s*{name}\.(sort|reverse|shuffle)\((.*)\)\s*$", f.cell)
                if m:
                    return f"{m.group(1)}{name}.{m.group(2)}({m.group(3)})"
            return None
        if re.search(r"unhashable type: 'list'", msg):
            return _sub1(r"\[\[([^\[\]]*)\]\]", r"[(\1)]", line)
        if "first argument must be an iterable of pandas objects" in msg or re.search(r"concat\(\) takes \d+ positional", msg):
            return _sub1(r"\bconcat\(\s*([\w.]+)\s*,\s*([\w.]+)\s*([,)])", r"concat([\1, \2]\3", line)
        if re.search(r"Cannot interpret '.+?' as a data type", msg):
            return _sub1(r"\bnp\.(zeros|ones|empty)\(\s*(\w+)\s*,\s*(\w+)\s*\)", r"np.\1((\2, \3))", line)
        if re.search(r"Cannot perform reduction '\w+' with (string|object) dtype|agg function failed", msg):
            return _sub1(r"\.(mean|sum|median|std|var|min|max)\(", r".astype(float).\1(", line)
        m = re.search(r"'(\w+)' object is not callable", msg)
        if m:
            return None
        return None
    if isinstance(exc, ValueError):
        if msg == "math domain error":
            call = _math_call(f)
            if call is not None and call[0] == "sqrt" and call[2] is not None and call[2] < 0:
                return _sub1(r"\bmath\.sqrt\(", "cmath.sqrt(", line)
            return None
        m = re.search(r"(too many|not enough) values to unpack \(expected (\d+)", msg)
        if m:
            loop = re.match(r"^(\s*for\s+.+?\s+in\s+)([A-Za-z_]\w*)(\s*:.*)$", line)
            if loop and type(f.scope(loop.group(2))) is dict:
                return f"{loop.group(1)}{loop.group(2)}.items(){loop.group(3)}"
            assign = re.match(r"^(\s*)([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=\s*([A-Za-z_]\w*)\s*$", line)
            if assign and m.group(1) == "too many" and "rest" not in assign.group(2):
                return f"{assign.group(1)}{assign.group(2)}, *rest = {assign.group(3)}"
            return None
        if re.search(r"^list\.remove\(x\): x not in list$", msg):
            call = re.match(r"^(\s*)([A-Za-z_][\w.]*)\.remove\((.+)\)\s*$", line)
            if call:
                return f"{call.group(1)}if {call.group(3)} in {call.group(2)}:\n{call.group(1)}    {call.group(2)}.remove({call.group(3)})"
            return None
        m = re.search(r"invalid literal for int\(\) with base 10: '(\s*-?\d+\.\d*\s*)'", msg)
        if m:
            if len(_call_arguments(line, "int")) > 1:  # ``int(a) + int(b)``: the one that holds the text
                span = _pick_call(f, _call_arguments(line, "int"), m.group(1), None)
                return f"{line[:span[0]]}float({line[span[0]:span[1]]}){line[span[1]:]}" if span else None
            return _sub1(r"\bint\((.+?)\)(?=[^()]*$)", r"int(float(\1))", line)
        m = re.search(r"could not convert string to float: '(\s*-?[\d.]*\d,\d+\s*)'", msg)
        if m:
            if len(_call_arguments(line, "float")) > 1:  # ``float(a) + float(b)``: the one that holds the text
                span = _pick_call(f, _call_arguments(line, "float"), m.group(1), None)
                return f"{line[:span[1]]}.replace(',', '.'){line[span[1]:]}" if span else None
            return _sub1(r"\bfloat\((.+?)\)(?=[^()]*$)", lambda m: f"float({m.group(1)}.replace(',', '.'))", line)
        if "truth value of a Series is ambiguous" in msg or "truth value of a DataFrame is ambiguous" in msg:
            if re.search(r"\s(and|or)\s", line):
                return _wrap_boolop(line)
            return _sub1(r"^(\s*(?:if|while|elif)\s+)(.+?)(\s*:\s*)$", r"\1(\2).any()\3", line)
        if re.search(r"matmul: Input operand 1 has a mismatch", msg):
            return _sub1(r"(\w+)\s*@\s*(\w+)\b(?!\.T)", r"\1 @ \2.T", line)
        m = re.search(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)", msg)
        if m:
            dims = [int(d) for d in m.group(2).replace(" ", "").split(",") if d]
            size = int(m.group(1))
            if len(dims) == 2 and dims[1] and size % dims[1] == 0:
                return _sub1(r"\.reshape\(\s*\d+\s*,\s*(\d+)\s*\)", r".reshape(-1, \1)", line)
            return None
        if type(exc).__name__ == "JSONDecodeError" and not str(getattr(exc, "doc", "x")).strip():
            m = re.match(r"^(\s*)(\w+)\s*=\s*(json\.loads\((\w+)\))\s*$", line)
            if m:
                return f"{m.group(1)}{m.group(2)} = {m.group(3)} if {m.group(4)}.strip() else None"
        return None
    if isinstance(exc, IndexError):
        m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg)
        if m and int(m.group(3)) > 0:
            return _replace_axis(line, int(m.group(2)), m.group(1))
        if "single positional indexer is out-of-bounds" in msg:
            return _sub1(r"\.iloc\[\s*\d+\s*\]", ".iloc[-1]", line)
        m = re.search(r"^([ \t]*for\s+\w+\s+in\s+)range\(\s*len\((\w+)\)\s*\+\s*1\s*\)(\s*:\s*)$", f.cell, re.M)
        if m:
            return f"{m.group(1)}range(len({m.group(2)})){m.group(3)}"
        return None
    if isinstance(exc, ZeroDivisionError):
        m = re.match(r"^(\s*)(\w+)\s*=\s*(.+/\s*len\((\w+)\))\s*$", line)
        if m and type(f.scope(m.group(4))) in (list, tuple, dict, str, set) and not f.scope(m.group(4)):
            return f"{m.group(1)}{m.group(2)} = {m.group(3)} if {m.group(4)} else 0"
        return None
    if isinstance(exc, ModuleNotFoundError):
        name = (getattr(exc, "name", None) or "").split(".")[0]
        close = difflib.get_close_matches(name, KNOWN_MODULES, n=1, cutoff=0.8) if name else []
        if close and close[0] != name:
            return _sub1(rf"\b{re.escape(name)}\b", close[0], line)
        return None
    return None


RULES: tuple[Callable[[_Facts], str | None], ...] = (
    round9_rules, round8_rules, _round7_rules, _round6_rules, _round5_rules, _data_rules, _python_rules, _round4_rules, _key_error, _attribute_error, _type_error, _value_error, _index_error, _name_error, _import_error,
    _file_error, _zero_division, _recursion,
)


#: Rules for one exact message each: when one of them speaks, the broader rules after it do not.
EXCLUSIVE = frozenset({round9_rules, round8_rules, _round7_rules, _round6_rules, _round5_rules, _data_rules, _python_rules, _round4_rules})


def _facts(exc: BaseException, line: str, cell: str | None, scope: Callable[[str], Any]) -> _Facts:
    """A KeyError's str() is the repr of its key; the rules read the key itself."""
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return _Facts(exc, message[:MAX_SCANNED_MESSAGE], line, cell or "", scope)


def _scanned(cell: str | None) -> str | None:
    """The cell as the rules read it: its lines longer than :data:`MAX_SCANNED_LINE` left empty (the line
    numbers stay)."""
    if not cell or all(len(ln) <= MAX_SCANNED_LINE for ln in cell.splitlines()):
        return cell
    return "\n".join(ln if len(ln) <= MAX_SCANNED_LINE else "" for ln in cell.splitlines())


def _messages(exc: BaseException) -> Iterator[BaseException]:
    yield exc
    inner = exc.__cause__ or exc.__context__
    if inner is not None and not exc.__suppress_context__:
        yield inner


def error_hints(exc: BaseException, cell: str | None = None) -> tuple[str, ...]:
    """At most :data:`MAX_HINTS` sentences on what ``exc`` means on its failing line (empty when no rule knows)."""
    try:
        line, frame = failing_line(exc, cell)
        line = line.strip()
        if len(line) > MAX_SCANNED_LINE:
            line = ""  # message-only hints: see MAX_SCANNED_LINE
        cell = _scanned(cell)
        scope = _scope(frame)
        out: list[str] = []
        for err in _messages(exc):
            facts = _facts(err, line, cell, scope)
            for rule in RULES:
                try:
                    hint = rule(facts)
                except Exception:
                    hint = None
                if hint and hint not in out:
                    out.append(hint if len(hint) <= MAX_LINE else hint[: MAX_LINE - 1] + "…")
                    if rule in EXCLUSIVE:
                        break  # it knows this exact message: the older, broader rules would only blur it
            if out:
                break  # the newest exception explained: its cause is context, not a second answer
        try:
            fixed = _corrected(_facts(exc, line, cell, scope))
        except Exception:
            fixed = None
        out = out[: MAX_HINTS - 1] if fixed else out[:MAX_HINTS]
        if fixed and len(fixed) <= MAX_LINE - 30 and fixed.strip() != line.strip():
            out.append(f"A corrected line: `{fixed.strip()}`" if "\n" not in fixed.strip() else
                       "Corrected code:\n```python\n" + fixed.strip("\n") + "\n```")
        return tuple(out)
    except Exception:
        return ()
