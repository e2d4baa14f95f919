"""What pandas' messages about reading, joining and reshaping frames mean: a file read with another separator, a
merge on a key whose dtypes differ, ``_x``/``_y`` suffixes after a merge, a merge type pandas lacks, ``concat`` of a
dict or of nothing (a glob that matched no file), and ``pivot`` with duplicate pairs.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from typing import Any

from ..facts import MISSING, NAME, Facts, call_args_span, call_end, clip, frame_of, frames_in_line, sub1
from .words import an


def _glob_of(f: Facts, name: str) -> str | None:
    m = re.search(rf"\b{re.escape(name)}\s*=\s*(?:sorted\()?\s*(?:glob\.)?glob\(\s*(['\"])(.+?)\1", f.cell)
    return m.group(2) if m else None


def _concat_source(f: Facts) -> str | None:
    """The name ``pd.concat`` took its objects from, when it is an empty list or tuple."""
    call = call_args_span(f.line, r"\bconcat\(")
    if not call:
        return None
    args = f.line[call[0].end() : call[1]]
    m = re.search(rf"\bfor\s+{NAME}\s+in\s+({NAME})\s*\]", args) or re.match(rf"\s*({NAME})\s*(?:,|$)", args)
    value = f.scope(m.group(1)) if m else MISSING
    return m.group(1) if m and type(value) in (list, tuple) and not value else None


def concat_of_nothing(f: Facts) -> str | None:
    """``pd.concat`` of an empty list (a glob that matched no file)."""
    msg = f.message
    if msg == "No objects to concatenate":
        name = _concat_source(f)
        if name:
            pattern = _glob_of(f, name)
            if pattern:
                return (
                    f"`{name}` is empty: `glob({pattern!r})` matched no file from the working directory "
                    f"{clip(os.getcwd(), 60)}, so `pd.concat` got nothing to join; check the folder and the pattern, "
                    f"and stop early: `if not {name}:`."
                )
            return f"`{name}` is empty, so `pd.concat` has nothing to join; check it before: `if not {name}:`."
    return None


def concat_of_nothing_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`concat_of_nothing`."""
    msg, line = f.message, f.line
    if msg == "No objects to concatenate":
        name = _concat_source(f)
        pattern = _glob_of(f, name) if name else None
        if name and pattern:
            return f'import os\nif not {name}:\n    raise FileNotFoundError(f"no file matches {pattern} in {{os.getcwd()}}")\n{line}'
    return None


_SEPARATORS = {";": "';'", "\t": "'\\t'", "|": "'|'"}

_MERGE_TYPES = {"full": "outer", "full_outer": "outer", "fullouter": "outer", "outer_join": "outer", "left_outer": "left", "right_outer": "right", "inner_join": "inner", "join": "inner"}


def _one_column_file(f: Facts) -> tuple[str, str, str] | None:
    """A KeyError on a frame whose only column is the header line joined by another separator (``item;price``)."""
    if not (isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str):
        return None
    key = f.exc.args[0]
    for name, obj in frames_in_line(f):
        if type(obj).__name__ == "DataFrame" and len(obj.columns) == 1:
            col = str(obj.columns[0])
            for sep, shown in _SEPARATORS.items():
                if sep in col and key in col.split(sep):
                    return name, col, shown
    return None


def _merge_suffixed(f: Facts) -> tuple[str, str] | None:
    """``(frame, key)`` for ``KeyError: 'sales'`` on a merge result that holds ``sales_x`` and ``sales_y``."""
    if not (isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str):
        return None
    key = f.exc.args[0]
    for name, obj in frames_in_line(f):
        if {f"{key}_x", f"{key}_y"} <= {str(c) for c in getattr(obj, "columns", [])}:
            return name, key
    return None


def read_or_merge_key(f: Facts) -> str | None:
    """A KeyError on a frame read with another separator, or on a merge result with ``_x``/``_y`` columns."""
    one = _one_column_file(f)
    if one:
        name, col, shown = one
        return f"`{name}` has a single column {col!r}: the file is separated by {shown}, not commas, so `read_csv` did not split it; pass the separator: `pd.read_csv(..., sep={shown})`."
    suffixed = _merge_suffixed(f)
    if suffixed:
        name, key = suffixed
        return (
            f"both frames of the merge had a column {key!r}, so the result keeps both, renamed {key + '_x'!r} (left) and "
            f"{key + '_y'!r} (right); use one of them (`{name}[{key + '_x'!r}]`), or name them yourself with "
            f"`suffixes=(...)` in the merge."
        )
    return None


def read_or_merge_key_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`read_or_merge_key`."""
    line = f.line
    lines = f.cell.splitlines()
    one = _one_column_file(f)
    if one:
        for src in lines:
            call = call_args_span(src, r"\bread_csv\(")
            if call and "sep" not in src and "delimiter" not in src:
                return src[: call[1]] + f", sep={one[2]}" + src[call[1] :]
        return None
    suffixed = _merge_suffixed(f)
    if suffixed:
        name, key = suffixed
        return sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"{name}[{key + '_x'!r}]", line)
    return None


def merge_type(f: Facts) -> str | None:
    """A merge type pandas does not have (SQL's full join)."""
    msg = f.message
    m = re.match(r"'(\w+)' is not a valid Merge type: ([\w, ]+)", msg)
    if m:
        valid = [v.strip() for v in m.group(2).split(",")]
        fix = _MERGE_TYPES.get(m.group(1).lower()) or next(iter(difflib.get_close_matches(m.group(1), valid, n=1)), None)
        said = f' what SQL calls a FULL (outer) join is `how="{fix}"`' if fix == "outer" else (f' use `how="{fix}"`' if fix else "")
        return f"pandas has no merge type {m.group(1)!r} (it knows {', '.join(valid[:5])});{said or ' pick one of those'}."
    return None


def merge_type_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`merge_type`."""
    msg, line = f.message, f.line
    m = re.match(r"'(\w+)' is not a valid Merge type", msg)
    if m and _MERGE_TYPES.get(m.group(1).lower()):
        return sub1(rf"how\s*=\s*(['\"]){m.group(1)}\1", f'how="{_MERGE_TYPES[m.group(1).lower()]}"', line)
    return None


def concat_of_dict(f: Facts) -> str | None:
    """``pd.concat`` given a dict (a new row) among its frames."""
    msg = f.message
    m = re.fullmatch(r"cannot concatenate object of type '<class '(\w+)'>'; only Series and DataFrame objs are valid", msg)
    if m:
        what = {"dict": "a dict", "list": "a list", "tuple": "a tuple"}.get(m.group(1), an(m.group(1)))
        example = "`pd.DataFrame([row_dict])`" if m.group(1) == "dict" else "`pd.DataFrame(...)`"
        return (
            f"`pd.concat()` joins DataFrames and Series only, and one of the items is {what}; make it a DataFrame first "
            f"(a dict as one row: {example}), then `pd.concat([df, new_df], ignore_index=True)`."
        )
    return None


def concat_of_dict_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`concat_of_dict`."""
    msg, line = f.message, f.line
    if msg == "cannot concatenate object of type '<class 'dict'>'; only Series and DataFrame objs are valid":
        span = call_args_span(line, r"\bconcat\(\s*\[")
        if span:
            inner = line[span[0].end() :]
            d = re.search(r"(?<![\w)\]])\{", inner)
            end = call_end(inner, d.start()) if d else None
            if d and end is not None:
                start = span[0].end() + d.start()
                return line[:start] + f"pd.DataFrame([{inner[d.start() : end + 1]}])" + line[span[0].end() + end + 1 :]
    return None


def merge_key_dtypes(f: Facts) -> str | None:
    """A merge on a key that is text in one frame and numbers in the other."""
    msg = f.message
    m = re.search(r"You are trying to merge on (\w+) and (\w+) columns for key '(.+?)'", msg)
    if m:
        return (
            f"the key {m.group(3)!r} is {m.group(1)} in one frame and {m.group(2)} in the other, so no rows could match; "
            f"convert one side first, e.g. `df[{m.group(3)!r}] = df[{m.group(3)!r}].astype(int)` on the frame that holds text."
        )
    return None


def merge_key_dtypes_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`merge_key_dtypes`."""
    msg, line = f.message, f.line
    m = re.search(r"You are trying to merge on (\w+) and (\w+) columns for key '(.+?)'", msg)
    if m:
        key = m.group(3)
        for name, obj in frames_in_line(f):
            try:
                dtype = str(obj[key].dtype)
            except Exception:
                continue
            if dtype in ("object", "str", "string"):
                other = "int" if any(d.startswith("int") for d in m.groups()[:2]) else "float"
                return f"{name}[{key!r}] = {name}[{key!r}].astype({other})\n{line}"
    return None


def _duplicated_pair(f: Facts) -> str | None:
    """``date 'mon' with city 'Oslo'``: the first (index, columns) pair that occurs twice in a pivot."""
    index = re.search(r"\bindex\s*=\s*['\"](\w+)['\"]", f.line)
    columns = re.search(r"\bcolumns\s*=\s*['\"](\w+)['\"]", f.line)
    frame = frame_of(f)
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


def pivot_duplicates(f: Facts) -> str | None:
    """``pivot`` of a frame with duplicate (index, columns) pairs."""
    msg, line = f.message, f.line
    if "Index contains duplicate entries, cannot reshape" in msg and ".pivot(" in line:
        pair = _duplicated_pair(f)
        dup = f" ({pair} appears more than once)" if pair else ""
        return f"`pivot` takes one row per (index, columns) pair, and pairs repeat{dup}; `pivot_table` combines them as the cell means: `aggfunc='sum'` adds, `'mean'` averages, `'count'` counts."
    return None
