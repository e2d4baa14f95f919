"""What pandas' messages about the values of a column mean: dates (day-first, not in the format given, time zones,
``resample`` without them in the index), missing values (NaN into an int column, ``fillna(method=)``, NaN in an
``apply``), text (``.dt`` of it, ``+`` with a number column, groupby means over it), bins and categories (``cut``
labels, ``qcut`` edges, a new category), and ``float()`` of a Series.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ..facts import NAME, Facts, call_args_span, call_end, frame_of, frames_in_line, is_frame, numeric_column, sub1
from . import said
from .words import NA_MARKERS


#: ``.dt`` of a column of text: the message says it all (:mod:`.said`).
DT_ON_TEXT = said.table(
    (r"Can only use \.dt accessor with datetimelike values", "the column holds text (strings), not datetimes, so it has no `.dt`; convert it first: `pd.to_datetime(df[col]).dt.month`."),
)

_MONTH_FIRST = {"%m/%d/%Y": "%d/%m/%Y", "%m-%d-%Y": "%d-%m-%Y", "%m.%d.%Y": "%d.%m.%Y", "%m/%d/%y": "%d/%m/%y"}


def _day_first(msg: str) -> tuple[str, int, str, str] | None:
    """``(value, month, format, day-first format)`` for a month-first format given a day-first date."""
    m = re.search(r"time data \"(.+?)\" doesn't match format \"(.+?)\"", msg)
    if not m or m.group(2) not in _MONTH_FIRST:
        return None
    parts = re.split(r"[/.\-]", m.group(1))
    if len(parts) != 3 or not all(p.isdigit() for p in parts[:2]):
        return None
    first, second = int(parts[0]), int(parts[1])
    return (m.group(1), first, m.group(2), _MONTH_FIRST[m.group(2)]) if 12 < first <= 31 and 1 <= second <= 12 else None


def day_first_dates(f: Facts) -> str | None:
    """Day-first dates read with a month-first format."""
    msg = f.message
    found = _day_first(msg)
    if found:
        value, month, fmt, swapped = found
        return (
            f"{value!r} has {month} where the format {fmt!r} (guessed from the first value) wants the month, and there "
            f"is no month {month}: the dates are day-first; say so: `dayfirst=True` or `format={swapped!r}`."
        )
    return None


def day_first_dates_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`day_first_dates`."""
    msg, line = f.message, f.line
    found = _day_first(msg)
    if found:
        call = call_args_span(line, r"\bto_datetime\(")
        if call and "format" not in line and "dayfirst" not in line:
            return line[: call[1]] + f", format={found[3]!r}" + line[call[1] :]
    return None


def _categorical(f: Facts) -> tuple[str, str, list[str]] | None:
    """``(name, new value, categories)`` for ``name.fillna(new)`` or ``name[...] = new`` on a categorical Series."""
    m = re.fullmatch(r"Cannot setitem on a Categorical with a new category \((.+?)\), set the categories first", f.message)
    if not m:
        return None
    for n in re.finditer(rf"\b({NAME})\s*(?:\.fillna\(|\.loc\[|\[)", f.line):
        value = f.scope(n.group(1))
        if type(value).__name__ == "Series" and type(value).__module__.startswith("pandas") and str(value.dtype) == "category":
            return n.group(1), m.group(1), [str(c) for c in list(value.cat.categories[:6])]
    return None


def new_category(f: Facts) -> str | None:
    """A value set into a categorical that is not one of its categories."""
    cat = _categorical(f)
    if cat:
        name, new, cats = cat
        return (
            f"`{name}` is categorical (as `pd.cut` makes it): its values can only be its fixed categories "
            f"({', '.join(map(repr, cats))}), and {new!r} is not one of them; add it first: "
            f"`{name}.cat.add_categories({new!r})`."
        )
    return None


def new_category_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`new_category`."""
    line = f.line
    cat = _categorical(f)
    if cat:
        name, new, _ = cat
        return sub1(rf"\b{name}\.fillna\(", f"{name}.cat.add_categories({new!r}).fillna(", line)
    return None


#: Message patterns written once for the hint and its corrected line.
_FILLNA_METHOD = r"(?:NDFrame|DataFrame|Series)\.fillna\(\) got an unexpected keyword argument 'method'"

#: ``fillna(method=...)``'s values and the method that replaces each.
_FILL_METHODS = {"ffill": "ffill", "pad": "ffill", "bfill": "bfill", "backfill": "bfill"}

_SCALAR_OF_SERIES = r"(float|int)\(\) argument must be a string(?:, a bytes-like object)? or a (?:real )?number, not '(Series)'"


def fillna_method(f: Facts) -> str | None:
    """``fillna(method=...)``, removed in pandas 3."""
    msg, line = f.message, f.line
    m = re.fullmatch(_FILLNA_METHOD, msg)
    if m:
        way = re.search(r"method\s*=\s*['\"](\w+)['\"]", line)
        use = _FILL_METHODS.get(way.group(1) if way else "", "ffill")
        return f"`fillna(method=...)` was removed in pandas 3; call the filling method itself: `.{use}()` (`.ffill()` carries the last value forward, `.bfill()` the next one back)."
    return None


def fillna_method_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`fillna_method`."""
    msg, line = f.message, f.line
    if re.fullmatch(_FILLNA_METHOD, msg):
        return sub1(r"\.fillna\(\s*method\s*=\s*['\"](\w+)['\"]\s*\)", lambda m: f".{_FILL_METHODS.get(m.group(1), 'ffill')}()", line)
    return None


def _ints_of(f: Facts, text: str) -> list[Any] | None:
    """The items of a list literal, or of a name holding a list or tuple of plain values."""
    text = text.strip()
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [ast.unparse(e) for e in node.elts]
    if isinstance(node, ast.Name):
        value = f.scope(node.id)
        if type(value) in (list, tuple) and len(value) <= 1000:
            return [repr(v) if type(v) in (int, float, str) else "…" for v in value]
    return None


def _keyword(line: str, stop: int, start: int, name: str) -> tuple[int, int] | None:
    """The span of keyword ``name``'s value inside the call ``line[start:stop]``."""
    m = re.search(rf"\b{name}\s*=\s*", line[start:stop])
    if not m:
        return None
    begin = start + m.end()
    depth = 0
    for i in range(begin, stop):
        ch = line[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            return begin, i
    return begin, stop


def _cut_counts(f: Facts) -> tuple[list[Any], list[Any], tuple[int, int]] | None:
    call = call_args_span(f.line, r"\bcut\(")
    if not call:
        return None
    bins, labels = _keyword(f.line, call[1], call[0].end(), "bins"), _keyword(f.line, call[1], call[0].end(), "labels")
    if not (bins and labels):
        return None
    edges, names = _ints_of(f, f.line[bins[0] : bins[1]]), _ints_of(f, f.line[labels[0] : labels[1]])
    return (edges, names, labels) if edges is not None and names is not None else None


def cut_labels(f: Facts) -> str | None:
    """``pd.cut`` with more (or fewer) labels than bins."""
    msg = f.message
    if msg == "Bin labels must be one fewer than the number of bin edges":
        counts = _cut_counts(f)
        if counts:
            edges, names, _ = counts
            off = len(names) - (len(edges) - 1)
            extra = f"{abs(off)} label{'s' if abs(off) > 1 else ''} too {'many' if off > 0 else 'few'}"
            return (
                f"{len(edges)} bin edges make {len(edges) - 1} bins (one between each pair of edges), but there are {len(names)} labels ({extra}); give exactly {len(edges) - 1} labels, one per bin."
            )
        return "n bin edges make n - 1 bins, so `labels` needs one fewer name than `bins` has edges; drop a label or add an edge."
    return None


def cut_labels_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`cut_labels`."""
    msg, line = f.message, f.line
    if msg == "Bin labels must be one fewer than the number of bin edges":
        counts = _cut_counts(f)
        if counts:
            edges, names, span = counts
            text = line[span[0] : span[1]].strip()
            if text.startswith("[") and len(names) > len(edges) - 1 >= 1:
                kept = "[" + ", ".join(names[: len(edges) - 1]) + "]"
                return line[: span[0]] + kept + line[span[1] :]
    return None


def float_of_series(f: Facts) -> str | None:
    """``float()`` or ``int()`` of a Series (a filter that kept one row)."""
    msg = f.message
    m = re.fullmatch(_SCALAR_OF_SERIES, msg)
    if m:
        return (
            f"`{m.group(1)}()` needs one value, but a filter or column gives a {m.group(2)} (a whole column) even when a "
            f"single row matches; take that one value with `.iloc[0]` (or `.item()`, which also checks there is exactly one)."
        )
    return None


def float_of_series_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`float_of_series`."""
    msg, line = f.message, f.line
    m = re.fullmatch(_SCALAR_OF_SERIES, msg)
    if m:
        call = call_args_span(line, rf"(?<![\w.]){m.group(1)}\(")
        if call:
            inner = line[call[0].end() : call[1]].strip()
            return line[: call[0].start()] + f"{inner}.iloc[0]" + line[call[1] + 1 :]
    return None


def qcut_edges(f: Facts) -> str | None:
    """``qcut`` of repeated values: bin edges that are not unique."""
    msg = f.message
    m = re.match(r"Bin edges must be unique: (?:Index\()?\[?([^\]]*)", msg)
    if m:
        edges = m.group(1).split(",")[:6]
        shown = ", ".join(e.strip() for e in edges)
        return (
            f"many values are equal, so several quantile edges are the same ({shown}…) and `qcut` cannot make that many "
            f'bins of equal size; pass `duplicates="drop"` (fewer bins), or rank first: `pd.qcut(x.rank(method="first"), n)`.'
        )
    return None


def qcut_edges_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`qcut_edges`."""
    msg, line = f.message, f.line
    if msg.startswith("Bin edges must be unique"):
        call = call_args_span(line, r"\bqcut\(")
        return line[: call[1]] + ', duplicates="drop"' + line[call[1] :] if call else None
    return None


def tz_aware_naive(f: Facts) -> str | None:
    """A time-zone-aware datetime compared with a naive one."""
    msg = f.message
    m = re.fullmatch(r"Invalid comparison between dtype=datetime64\[\w+, ([^\]]+)\] and (Timestamp|datetime)", msg)
    if m or msg.startswith("Cannot compare tz-naive and tz-aware"):
        zone = m.group(1) if m else "UTC"
        return (
            f"one side is time-zone aware ({zone}) and the other is naive (no time zone), and pandas will not compare them; "
            f'give the naive one the same zone, e.g. `pd.Timestamp("...", tz="{zone}")` (or `.tz_localize("{zone}")`).'
        )
    return None


def tz_aware_naive_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`tz_aware_naive`."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"Invalid comparison between dtype=datetime64\[\w+, ([^\]]+)\] and Timestamp", msg)
    if m:
        call = call_args_span(line, r"\bTimestamp\(")
        if call and "tz" not in line[call[0].end() : call[1]]:
            return line[: call[1]] + f', tz="{m.group(1)}"' + line[call[1] :]
    return None


def _date_column(obj: Any) -> str | None:
    """The first datetime64 column of a DataFrame (``resample`` needs it in the index)."""
    return next((str(c) for c, t in zip(obj.columns, obj.dtypes) if str(t).startswith("datetime64")), None)


def resample_without_dates(f: Facts) -> str | None:
    """``resample`` of a frame whose index is not dates."""
    msg = f.message
    m = re.fullmatch(r"Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of '(\w+)'", msg)
    if m:
        for name, obj in frames_in_line(f):
            if type(obj).__name__ != "DataFrame":
                continue
            date = _date_column(obj)
            if date:
                return (
                    f"`{name}` has a {m.group(1)} (row numbers), but `.resample()` needs dates in the index; the dates are in "
                    f"the column {date!r}: `{name}.set_index({date!r}).resample(...)`, or `resample(..., on={date!r})`."
                )
        return (
            f"the index is a {m.group(1)} (row numbers), but `.resample()` needs dates in the index; make the date column "
            f'the index first (`df.set_index("date")`, after `pd.to_datetime`), or pass `on="date"`.'
        )
    return None


def resample_without_dates_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`resample_without_dates`."""
    msg, line = f.message, f.line
    if msg.startswith("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex"):
        for name, obj in frames_in_line(f):
            if type(obj).__name__ == "DataFrame":
                date = _date_column(obj)
                if date:
                    return sub1(rf"\b{re.escape(name)}\s*\.\s*resample\(", f"{name}.set_index({date!r}).resample(", line)
    return None


#: A pandas column read with brackets: ``df["col"]``.
_COLUMN = re.compile(r"\b([A-Za-z_]\w*)\s*\[\s*(['\"])([^'\"\[\]]+)\2\s*\]")

#: ``+`` between text and a number, in the words of Python (and of pandas' object columns).
_TEXT_PLUS_NUMBER = re.compile(
    r"can only concatenate str \(not \"(int|float|bool)\"\) to str|"
    r"for \+: '(int|float|bool)' and 'str'|for \+: 'str' and '(int|float|bool)'"
)


def number_column_plus_text(f: Facts) -> str | None:
    """A column of numbers joined to text with ``+``."""
    msg, line = f.message, f.line
    if _TEXT_PLUS_NUMBER.search(msg):
        numbers, texts = [], []
        for col in _COLUMN.finditer(line):
            obj = f.scope(col.group(1))
            dtype = numeric_column(obj, col.group(3))
            if dtype:
                numbers.append((col.group(0), dtype))
            elif is_frame(obj) and type(obj).__name__ == "DataFrame" and col.group(3) in obj.columns:
                texts.append((col.group(0), "text"))
        if numbers and (texts or re.search(r"['\"]\s*\+|\+\s*[fr]?['\"]", line)):
            num, dtype = numbers[0]
            other = f"`{texts[0][0]}` holds text" if texts else "the other side is text"
            return f"`{num}` holds numbers ({dtype}) and {other}, and `+` cannot join a number to text; convert the numbers to text first: `{num}.astype(str)`."
    return None


def number_column_plus_text_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`number_column_plus_text`."""
    msg, line = f.message, f.line
    if _TEXT_PLUS_NUMBER.search(msg):
        for col in _COLUMN.finditer(line):
            if numeric_column(f.scope(col.group(1)), col.group(3)):
                return line[: col.end()] + ".astype(str)" + line[col.end() :]
    return None


def int_of_nan(f: Facts) -> str | None:
    """A column with missing values (NaN) cast to int."""
    msg = f.message
    if type(f.exc).__name__ == "IntCastingNaNError" or "Cannot convert non-finite values (NA or inf) to integer" in msg:
        return (
            "the column has missing values (NaN), which a plain int column cannot hold; pandas' nullable integer type keeps "
            "them missing: `.astype('Int64')` (filling them with a number or dropping their rows changes what is computed)."
        )
    return None


def int_of_nan_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`int_of_nan`."""
    exc, msg, line = f.exc, f.message, f.line
    if type(exc).__name__ == "IntCastingNaNError" or "Cannot convert non-finite values (NA or inf) to integer" in msg:
        return sub1(r"\.astype\(\s*(int|['\"]int(64)?['\"])\s*\)", '.astype("Int64")', line)
    return None


def dt_on_text_corrected(f: Facts) -> str | None:
    """``pd.to_datetime(...)`` before ``.dt`` of a column of text (:data:`DT_ON_TEXT`)."""
    msg, line = f.message, f.line
    if "Can only use .dt accessor with datetimelike values" in msg:
        return sub1(r"\b([A-Za-z_]\w*\s*\[[^\]]+\])\.dt\.", r"pd.to_datetime(\1).dt.", line)
    return None


def _text_columns(df: Any) -> list[str]:
    try:
        return [str(c) for c, t in zip(df.columns, df.dtypes) if str(t) in ("object", "str", "string")][:6]
    except Exception:
        return []


def groupby_text_columns(f: Facts) -> str | None:
    """A groupby mean (or sum...) over a frame that still has text columns."""
    msg, line = f.message, f.line
    if re.search(r"dtype '(str|object)' does not support operation '(\w+)'|agg function failed \[how->(\w+),dtype->(object|str)\]", msg) and "groupby(" in line:
        frame = frame_of(f)
        cols = _text_columns(frame[1]) if frame else []
        keys = re.findall(r"groupby\(\s*\[?\s*['\"](\w+)['\"]", line)
        cols = [c for c in cols if c not in keys]
        which = f" (`{'`, `'.join(cols)}`)" if cols else ""
        return (
            f"the frame still has text columns{which} besides the group key, and text cannot be averaged; pass "
            f"`numeric_only=True`, or select the numeric columns after groupby: `df.groupby(key)[['col']].mean()`."
        )
    return None


def groupby_text_columns_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`groupby_text_columns`."""
    msg, line = f.message, f.line
    if re.search(r"dtype '(str|object)' does not support operation '(\w+)'|agg function failed", msg) and "groupby(" in line:
        return sub1(r"\.(mean|sum|median|std|var)\(\s*\)", r".\1(numeric_only=True)", line)
    return None


def to_datetime_format(f: Facts) -> str | None:
    """``pd.to_datetime`` of a value that is not a date in the format."""
    msg, line = f.message, f.line
    m = re.search(r"time data \"(.+?)\" doesn't match format \"(.+?)\"", msg)
    if m and "to_datetime" in line and m.group(1).strip().lower() in NA_MARKERS:
        return f"the column has a value, {m.group(1)!r}, that marks a missing date; read such markers as NaT (missing) with `pd.to_datetime(..., errors='coerce')`, then find them with `.isna()`."
    if m and "to_datetime" in line:
        return f"{m.group(1)!r} is not written in the format {m.group(2)!r}; give `format=` the one the values use (or `format='mixed'`): `errors='coerce'` would lose such dates as NaT."
    return None


def to_datetime_format_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`to_datetime_format`."""
    msg, line = f.message, f.line
    value = re.search(r"time data \"(.+?)\" doesn't match format", msg)
    if value and value.group(1).strip().lower() in NA_MARKERS:  # a real date written another way is not lost to NaT
        m = re.search(r"\bto_datetime\(", line)
        end = call_end(line, m.end() - 1) if m else None
        if m and end is not None and "errors" not in line:
            return line[:end] + ', errors="coerce"' + line[end:]
    return None


def nan_in_apply(f: Facts) -> str | None:
    """A str method in ``apply`` meeting a missing value (NaN, a float)."""
    msg, line = f.message, f.line
    m = re.search(r"'float' object has no attribute '(\w+)'", msg)
    if m and hasattr(str, m.group(1)) and (".apply(" in line or ".map(" in line):
        return f"some values of the column are missing (NaN, which is a float), and a float has no `.{m.group(1)}`; use pandas' string methods, which skip missing values: `.str.{m.group(1)}()`."
    return None


def nan_in_apply_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`nan_in_apply`."""
    msg, line = f.message, f.line
    m = re.search(r"'float' object has no attribute '(\w+)'", msg)
    if m:
        return sub1(rf"\.(apply|map)\(\s*lambda\s+(\w+)\s*:\s*\2\.{m.group(1)}\(\s*\)\s*\)", f".str.{m.group(1)}()", line)
    return None
