"""The broad rules for KeyError, IndexError, NameError and ModuleNotFoundError (each speaks beside the others): a
missing key or column and its near match, a label taken for a position, a position past the end, a name that is the
alias of an import not run, a local read before it is assigned, a misspelt or missing module.
"""

from __future__ import annotations

import difflib
import re

from ..facts import Facts, dict_keys, frames_in_line, is_dataframe, is_ndarray, sub1, subscripted
from .words import close_matches, shown_keys


#: Names people import under a conventional alias, and the import line that defines them.
ALIASES = {
    "pd": "import pandas as pd",
    "np": "import numpy as np",
    "plt": "import matplotlib.pyplot as plt",
    "sns": "import seaborn as sns",
    "tf": "import tensorflow as tf",
    "sp": "import scipy as sp",
    "mpl": "import matplotlib as mpl",
    "px": "import plotly.express as px",
    "sk": "import sklearn as sk",
    "nx": "import networkx as nx",
    "torch": "import torch",
    "math": "import math",
    "json": "import json",
    "os": "import os",
    "re": "import re",
    "sys": "import sys",
    "random": "import random",
    "time": "import time",
    "datetime": "import datetime",
    "csv": "import csv",
    "Path": "from pathlib import Path",
    "Counter": "from collections import Counter",
    "defaultdict": "from collections import defaultdict",
}

#: Modules a data scientist imports, for "did you mean" on a misspelt import.
KNOWN_MODULES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "scipy",
    "sklearn",
    "requests",
    "torch",
    "tensorflow",
    "plotly",
    "statsmodels",
    "json",
    "math",
    "datetime",
    "collections",
    "random",
    "os",
    "re",
    "csv",
    "pathlib",
    "itertools",
)


def key_error(f: Facts) -> str | None:
    if not isinstance(f.exc, KeyError) or not f.exc.args:
        return None
    key = f.exc.args[0]
    if type(key) not in (str, int, float, bool, tuple):
        return None
    for name in subscripted(f.line):
        value = f.scope(name)
        if type(value) is dict:
            counting = re.search(rf"\b{re.escape(name)}\s*\[[^\]]+\]\s*(\+=|-=|\*=|\.append\(|\.add\()", f.line) or re.search(
                rf"\b{re.escape(name)}\s*\[([^\]]+)\]\s*=\s*{re.escape(name)}\s*\[\1\]", f.line
            )
            if counting:
                return f"the key {key!r} is not in `{name}` yet the first time it is counted, so `+=` has nothing to add to; use `.get(key, 0) + 1`, or make `{name}` a `collections.defaultdict(int)`."
            keys = dict_keys(value)
            close = close_matches(key, [k for k in keys if type(k) is str]) if type(key) is str else []
            if close:
                return f"`{name}` has no key {key!r}, but it has {close[0]!r} (keys: {shown_keys(keys)}); keys are case-sensitive."
            return f"`{name}` has no key {key!r}; its keys are {shown_keys(keys) or 'none (it is empty)'}. Check with `{key!r} in {name}` or use `{name}.get({key!r})`."
    frames = frames_in_line(f)
    if type(key) is int:
        for name, obj in frames:
            if not re.search(rf"\b{re.escape(name)}\s*(\.loc\s*)?\[", f.line):
                continue
            labels = list(obj.index[:9])
            return (
                f"`{name}[{key}]` looks up the index label {key}, not a position, and `{name}` has no such label "
                f"(its {len(obj)} labels: {shown_keys(labels)}); to take a position use `{name}.iloc[i]` "
                f"(0 to {len(obj) - 1}, or -1 for the last)."
            )
    if type(key) is str:
        if "merge(" in f.line or ".join(" in f.line:
            parts = [f"`{n}` has columns {shown_keys(list(v.columns))}" for n, v in frames]
            lacking = [(n, [c for c in v.columns if type(c) is str]) for n, v in frames if key not in list(v.columns)]
            if len(parts) >= 2 and lacking:
                name, cols = lacking[0]
                close = close_matches(key, cols)
                has = f" (it has {close[0]!r})" if close else f" (its columns: {shown_keys(cols)})"
                return f"`{name}` has no column {key!r}{has}, so merging on {key!r} fails; when the key columns are named differently, use `left_on=` and `right_on=` (or rename one column first)."
            if len(parts) >= 2:
                return f"merge on {key!r} needs that column in both frames, but {'; '.join(parts)}: when the names differ, use `left_on=` and `right_on=` (or rename one column first)."
        for name, df in frames:
            cols = [c for c in df.columns if type(c) is str]
            if key in cols:
                continue
            close = close_matches(key, cols)
            hint = f"DataFrame `{name}` has no column {key!r}"
            return hint + (f"; it has {close[0]!r} (column names are case-sensitive)." if close else f"; its columns are {shown_keys(cols)}.")
    return None


def index_error(f: Facts) -> str | None:
    if not isinstance(f.exc, IndexError):
        return None
    msg = f.message
    m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg)
    if m:
        size = int(m.group(3))
        arrays = [(n, f.scope(n)) for n in subscripted(f.line) if is_ndarray(f.scope(n))]
        shape = f"`{arrays[0][0]}` has shape {tuple(arrays[0][1].shape)}, so " if arrays else ""
        return f"{shape}valid positions on axis {m.group(2)} are 0 to {size - 1} (or -1 for the last); index {m.group(1)} is past the end."
    if "single positional indexer is out-of-bounds" in msg:
        for name, df in frames_in_line(f):
            return f"`{name}` has {len(df)} rows, so `.iloc` positions go from 0 to {len(df) - 1} (or -1 for the last)."
        return "`.iloc` positions go from 0 to len(df) - 1."
    if re.search(r"(list|tuple|string) index out of range", msg):
        past = re.search(r"range\(\s*len\(\s*(\w+)\s*\)\s*\+\s*1\s*\)", f.cell)
        if past:
            xs = past.group(1)
            value = f.scope(xs)
            n = len(value) if type(value) in (list, tuple, str) else None
            last = f" ({n - 1})" if n else ""
            return (
                f"`range(len({xs}) + 1)` goes one step past the end of `{xs}`: its last index is len({xs}) - 1{last}, "
                f"so index {n if n is not None else 'len(' + xs + ')'} is out of range; use `range(len({xs}))`."
            )
        for name in subscripted(f.line):
            value = f.scope(name)
            if type(value) in (list, tuple, str):
                n = len(value)
                if n == 0:
                    return f"`{name}` is empty, so it has no index at all; check `if {name}:` first."
                return f"`{name}` has {n} items, so valid indexes are 0 to {n - 1} (or -1 for the last)."
    return None


def name_error(f: Facts) -> str | None:
    if isinstance(f.exc, UnboundLocalError):
        name = getattr(f.exc, "name", None) or (re.search(r"'(\w+)'", f.message) or [None, None])[1]
        if name:
            return (
                f"`{name}` is assigned inside the function, which makes it local there, so the global `{name}` is not used; "
                f"write `global {name}` as the function's first line, or pass it in as a parameter and return the new value."
            )
        return None
    if not isinstance(f.exc, NameError):
        return None
    name = getattr(f.exc, "name", None) or (re.search(r"name '(\w+)' is not defined", f.message) or [None, None])[1]
    if not name:
        return None
    if name in ALIASES:
        return f"`{name}` is the usual alias from `{ALIASES[name]}`, which has not run; add that line at the top of the cell."
    return None


def import_error(f: Facts) -> str | None:
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


def int_key_corrected(f: Facts) -> str | None:
    """The corrected line for a KeyError of an int."""
    exc, line = f.exc, f.line
    for name, obj in frames_in_line(f):
        if type(obj).__name__ == "Series" and exc.args[0] not in obj.index and exc.args[0] >= len(obj):
            return sub1(rf"\b{re.escape(name)}\s*\[\s*{exc.args[0]}\s*\]", f"{name}.iloc[-1]", line)
    return None


def str_key_corrected(f: Facts) -> str | None:
    """The corrected line for a KeyError of a str."""
    exc, line = f.exc, f.line
    key = exc.args[0]
    for name in subscripted(line):
        value = f.scope(name)
        keys = [k for k in dict_keys(value) if type(k) is str] if type(value) is dict else ([c for c in value.columns if type(c) is str] if is_dataframe(value) else None)
        if keys is None:
            continue
        if type(value) is dict:
            m = re.search(rf"\b{re.escape(name)}\s*\[(?P<k>[^\]]+)\]\s*\+=\s*(?P<v>.+)$", line)
            if m:
                return line[: m.start()] + f"{name}[{m['k']}] = {name}.get({m['k']}, 0) + {m['v']}"
        close = close_matches(key, keys)
        if close:
            return sub1(rf"(['\"]){re.escape(key)}\1", lambda m: f"{m.group(1)}{close[0]}{m.group(1)}", line)
    if "merge(" in line and re.search(rf"\bon\s*=\s*['\"]{re.escape(key)}['\"]", line):
        frames = frames_in_line(f)
        if len(frames) >= 2:
            right_cols = [c for c in frames[1][1].columns if type(c) is str]
            close = close_matches(key, right_cols)
            if close:
                return sub1(rf"\bon\s*=\s*(['\"]){re.escape(key)}\1", lambda m: f"left_on={m.group(1)}{key}{m.group(1)}, right_on={m.group(1)}{close[0]}{m.group(1)}", line)
    return None


def index_error_corrected(f: Facts) -> str | None:
    """The corrected line for an IndexError."""
    msg, line = f.message, f.line
    m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg)
    if m and int(m.group(3)) > 0:
        return _replace_axis(line, int(m.group(2)), m.group(1))
    if "single positional indexer is out-of-bounds" in msg:
        return sub1(r"\.iloc\[\s*\d+\s*\]", ".iloc[-1]", line)
    m = re.search(r"^([ \t]*for\s+\w+\s+in\s+)range\(\s*len\((\w+)\)\s*\+\s*1\s*\)(\s*:\s*)$", f.cell, re.M)
    if m:
        return f"{m.group(1)}range(len({m.group(2)})){m.group(3)}"
    return None


def import_error_corrected(f: Facts) -> str | None:
    """The corrected line for a ModuleNotFoundError."""
    exc, line = f.exc, f.line
    name = (getattr(exc, "name", None) or "").split(".")[0]
    close = difflib.get_close_matches(name, KNOWN_MODULES, n=1, cutoff=0.8) if name else []
    if close and close[0] != name:
        return sub1(rf"\b{re.escape(name)}\b", close[0], line)
    return None
