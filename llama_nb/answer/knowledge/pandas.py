"""What pandas' messages about building a frame and selecting from it mean: a frame of JSON or CSV text, of a dict of
single values or of lists of unequal length, double brackets, a tuple of columns, ``drop`` of a column as a row,
``apply`` by column, a column moved into the index, ``iloc`` with a label, ``query`` with a spaced name, NumPy
methods on a frame, ``iterrows`` pairs, a chained comparison (``a < s < b``) and ``sample`` larger than the frame.
"""

from __future__ import annotations

import ast
import itertools
import re

from ..facts import MISSING, NAME, Facts, call_args_span, call_end, clip, frames_in_line, is_frame, names_on_line, sub1
from . import said


#: Messages about frames that say everything the hint needs (:mod:`.said`).
SAID = said.table(
    (
        r"^Location based indexing can only have \[integer",
        "`.iloc` takes positions (integers), but the line gives a label (a column name); use `.loc` for labels (`df.loc[row_label, 'col']`), or the column's position with `.iloc`.",
    ),
    (
        r"Length mismatch: Expected axis has (\d+) elements, new values have (\d+) elements",
        "the frame has {1} columns (or rows) but {2} new names were given; give exactly one name each, or rename only some with `df.rename(columns={{'old': 'new'}})`.",
    ),
    (
        r"Item wrong length (\d+) instead of (\d+)",
        "the boolean mask has {1} values but the frame has {2} rows; a mask needs one True/False per row, best built from the frame itself, e.g. `df[df['col'] > 50]`.",
    ),
    (
        r"Series\.sort_values\(\) got an unexpected keyword argument 'by'",
        "a Series holds one column of values, so `sort_values` sorts by them and takes no `by=` (that is for a DataFrame): call `.sort_values()` (add `ascending=False` for largest first).",
    ),
    # what unequal_columns and sample_too_large say when they cannot read the line's values
    (
        r"^All arrays must be of the same length$",
        "every column given to the DataFrame must have the same number of values, and they differ; check `len(...)` of each list and add the missing values (e.g. `None`) or drop the extra ones.",
    ),
    (
        r"^Cannot take a larger sample than population when 'replace=False'$",
        "without replacement each row (or item) can be drawn only once, so the sample cannot be larger than the "
        "population; ask for at most `len(data)` items, or pass `replace=True` to allow repeats.",
    ),
)

#: A dict of single values given to ``pd.DataFrame``: the message says it all (:mod:`.said`).
SCALAR_VALUES = said.table(
    (
        r"\AIf using all scalar values, you must pass an index\Z",
        "every value in the dict is a single value (a scalar), not a list, so pandas cannot tell how many rows to make; "
        'put each value in a list for one row (`{{"col": [value]}}`), or pass `index=[0]`.',
    ),
)

#: Series attributes a DataFrame lacks: ``df[["col"]].<attr>`` is the double-bracket slip.
_SERIES_ONLY = frozenset(
    {"unique", "tolist", "to_list", "str", "dt", "cat", "between", "is_unique", "item", "argmax", "argmin", "is_monotonic_increasing", "is_monotonic_decreasing", "searchsorted", "value_counts"}
)

#: The message of a DataFrame attribute that is a Series one, written once for the hint and its corrected line.
_FRAME_ATTR = r"'DataFrame' object has no attribute '(\w+)'"


def double_brackets(f: Facts) -> str | None:
    """A Series method on ``df[["col"]]``, which is a one-column DataFrame."""
    msg, line = f.message, f.line
    m = re.fullmatch(_FRAME_ATTR, msg)
    if m and m.group(1) in _SERIES_ONLY:
        d = re.search(rf"\b({NAME})\[\[\s*(['\"])([^'\"\n]+)\2\s*\]\]\.{m.group(1)}\b", line)
        if d:
            name, col = d.group(1), d.group(3)
            return (
                f"`{name}[[{col!r}]]` with double brackets selects a one-column DataFrame, not a Series, and a "
                f"DataFrame has no `.{m.group(1)}`; single brackets give the column as a Series: `{name}[{col!r}].{m.group(1)}`."
            )
    return None


def double_brackets_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`double_brackets`."""
    msg, line = f.message, f.line
    m = re.fullmatch(_FRAME_ATTR, msg)
    if m and m.group(1) in _SERIES_ONLY:
        return sub1(rf"\b({NAME})\[\[\s*((['\"])[^'\"\n]+\3)\s*\]\](?=\.{m.group(1)}\b)", lambda d: f"{d.group(1)}[{d.group(2)}]", line)
    return None


def _text_frame(f: Facts) -> tuple[str, bool] | None:
    """``(name, looks like JSON)`` for ``pd.DataFrame(name)`` where ``name`` holds a str."""
    call = call_args_span(f.line, r"\bDataFrame\(")
    if not call:
        return None
    m = re.match(rf"\s*({NAME})\s*(?:,|$)", f.line[call[0].end() : call[1]])
    value = f.scope(m.group(1)) if m else MISSING
    if m and type(value) is str:
        return m.group(1), value.lstrip()[:1] in ("[", "{")
    return None


def frame_of_text(f: Facts) -> str | None:
    """``pd.DataFrame`` of a str (JSON or CSV text)."""
    msg = f.message
    if msg == "DataFrame constructor not properly called!":
        text = _text_frame(f)
        if text:
            name, is_json = text
            if is_json:
                return f"`{name}` is a string (JSON text), not a list or dict, and `pd.DataFrame` does not parse text; parse it first: `pd.DataFrame(json.loads({name}))` (import json)."
            return f"`{name}` is a string, not a list or dict, and `pd.DataFrame` does not parse text; for CSV text use `pd.read_csv(io.StringIO({name}))` (import io)."
    return None


def frame_of_text_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`frame_of_text`."""
    msg, line = f.message, f.line
    if msg == "DataFrame constructor not properly called!":
        text = _text_frame(f)
        if text:
            name, is_json = text
            if is_json:
                return "import json\n" + (sub1(rf"\bDataFrame\(\s*{name}\b", f"DataFrame(json.loads({name})", line) or "")
            return "import io\n" + (sub1(rf"\b(pd\.|pandas\.)?DataFrame\(\s*{name}\b", lambda d: f"{d.group(1) or ''}read_csv(io.StringIO({name})", line) or "")
    return None


def query_spaced_column(f: Facts) -> str | None:
    """A column name with a space inside ``df.query``."""
    line, exc = f.line, f.exc
    if isinstance(exc, SyntaxError) and ".query(" in line:
        for name, obj in frames_in_line(f):
            spaced = [str(c) for c in getattr(obj, "columns", []) if " " in str(c) and str(c) in line][:1]
            if spaced:
                return (
                    f"the column name {spaced[0]!r} has a space, so `query` reads it as separate names; wrap it in backticks "
                    f'inside the query: `{name}.query("`{spaced[0]}` ...")`, or use `{name}[{name}[{spaced[0]!r}] ...]`.'
                )
    return None


def query_spaced_column_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`query_spaced_column`."""
    line, exc = f.line, f.exc
    if isinstance(exc, SyntaxError) and ".query(" in line:
        for _, obj in frames_in_line(f):
            for col in [str(c) for c in getattr(obj, "columns", []) if " " in str(c)]:
                q = re.search(r"\.query\(\s*(['\"])(.*?)\1", line)
                if q and col in q.group(2) and f"`{col}`" not in q.group(2):
                    return line[: q.start(2)] + q.group(2).replace(col, f"`{col}`") + line[q.end(2) :]
    return None


def scalars_need_index_corrected(f: Facts) -> str | None:
    """``index=[0]`` for ``pd.DataFrame`` of a dict of single values (:data:`SCALAR_VALUES`)."""
    msg, line = f.message, f.line
    if msg == "If using all scalar values, you must pass an index":
        span = call_args_span(line, r"\bDataFrame\(")
        if span and "index" not in line[span[0].end() : span[1]]:
            return line[: span[1]] + ", index=[0]" + line[span[1] :]
    return None


#: Methods of a NumPy array that a pandas Series or DataFrame lacks.
_NDARRAY_ONLY = frozenset({"reshape", "flatten", "ravel", "resize", "itemset", "tofile", "tobytes", "fill", "ptp"})


def ndarray_method_on_frame(f: Facts) -> str | None:
    """A NumPy array method (``reshape``) on a Series or DataFrame."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"'(Series|DataFrame)' object has no attribute '(\w+)'", msg)
    if m and m.group(2) in _NDARRAY_ONLY:
        kind, attr = m.group(1), m.group(2)
        call = re.search(rf"(\S+?)\s*\.\s*{attr}\b", line)
        who = f"`{clip(call.group(1), 60)}`" if call else f"the {kind}"
        extra = ' (or select a one-column DataFrame with double brackets, `df[["col"]]`)' if attr == "reshape" and kind == "Series" else ""
        return f"{who} is a pandas {kind}, and `.{attr}()` is a NumPy array method; convert it to an array first: `{call.group(1) if call else 'x'}.to_numpy().{attr}(...)`{extra}."
    return None


def ndarray_method_on_frame_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`ndarray_method_on_frame`."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"'(Series|DataFrame)' object has no attribute '(\w+)'", msg)
    if m and m.group(2) in _NDARRAY_ONLY:
        return sub1(rf"\.\s*{m.group(2)}\(", f".to_numpy().{m.group(2)}(", line)
    return None


def iterrows_pair(f: Facts) -> str | None:
    """``for row in df.iterrows()``, where each item is an (index, row) pair."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"tuple indices must be integers or slices, not str", msg)
    if m:
        loop = re.search(r"^\s*for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_][\w.]*)\.(iterrows|items)\(\)", f.cell, re.M)
        if loop and re.search(rf"\b{loop.group(1)}\s*\[", line):
            var, obj, method = loop.groups()
            return f"`{obj}.{method}()` gives (index, row) pairs, so `{var}` is a tuple (index, row), not the row; unpack the pair in the loop: `for index, {var} in {obj}.{method}():`."
        return "a tuple is indexed by position (an int), not by a name; if it holds an (index, row) pair, unpack it first (`index, row = pair`)."
    return None


def iterrows_pair_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`iterrows_pair`."""
    msg, line = f.message, f.line
    if msg == "tuple indices must be integers or slices, not str":
        loop = re.search(r"^(\s*)for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_][\w.]*)\.(iterrows|items)\(\)\s*:", f.cell, re.M)
        if loop and re.search(rf"\b{loop.group(2)}\s*\[", line):
            return f"{loop.group(1)}for index, {loop.group(2)} in {loop.group(3)}.{loop.group(4)}():"
    return None


def tuple_of_columns(f: Facts) -> str | None:
    """``df["a", "b"]``: a tuple where a list of columns was meant."""
    exc = f.exc
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is tuple and exc.args[0]:
        key = exc.args[0]
        for name, obj in frames_in_line(f):
            if type(obj).__name__ != "DataFrame" or not all(type(k) is str for k in key):
                continue
            missing = [k for k in key if k not in obj.columns]
            if len(missing) == len(key):
                continue
            cols = ", ".join(repr(k) for k in key)
            return f"`{name}[{cols}]` looks for ONE column named by the tuple ({cols}); to select several columns, put a list inside the brackets (double brackets): `{name}[[{cols}]]`."
    return None


def tuple_of_columns_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`tuple_of_columns`."""
    line, exc = f.line, f.exc
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is tuple:
        for name, obj in frames_in_line(f):
            if type(obj).__name__ == "DataFrame":
                return sub1(rf"\b{re.escape(name)}\s*\[\s*((['\"])[^'\"\[\]]*\2(?:\s*,\s*(['\"])[^'\"\[\]]*\3)+)\s*\]", lambda k: f"{name}[[{k.group(1)}]]", line)
    return None


def _unequal_columns(f: Facts) -> list[tuple[str, int]]:
    """``[(column, number of values), ...]`` of a DataFrame built from a dict whose lists differ in length:
    a dict literal in the cell's ``DataFrame(...)`` call (read with ast, never run), or a dict on the line."""
    for name in names_on_line(f.line):
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


def _padded_columns(line: str) -> str | None:
    """``pd.DataFrame({"a": [1, 2], "b": [1]})`` with the short list literals padded with None (at most 3 each),
    when the whole call is on the line."""
    text = line.strip()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Dict)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)) == "DataFrame"
        ):
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


def unequal_columns(f: Facts) -> str | None:
    """A DataFrame of lists of different lengths."""
    msg = f.message
    if msg == "All arrays must be of the same length":
        sizes = _unequal_columns(f)
        if sizes:
            shown = ", ".join(f"{k!r} has {n}" for k, n in sizes[:6])
            return f"the columns have different lengths ({shown} values), but every column of a DataFrame needs the same number of values; add the missing values (e.g. `None`) or drop the extra ones."
    return None


def unequal_columns_corrected(f: Facts) -> str | None:
    """The call with the short list literals padded with None."""
    msg, line = f.message, f.line
    if msg == "All arrays must be of the same length":
        return _padded_columns(line)
    return None


def sample_too_large(f: Facts) -> str | None:
    """``df.sample(n)`` of more rows than the frame has."""
    msg, line = f.message, f.line
    if msg == "Cannot take a larger sample than population when 'replace=False'":
        call = re.search(r"\b([A-Za-z_]\w*)\.sample\(\s*(?:n\s*=\s*)?(\d+)", line)
        if call and is_frame(f.scope(call.group(1))):
            name, n, rows = call.group(1), call.group(2), len(f.scope(call.group(1)))
            return (
                f"`{name}` has {rows} rows, so `.sample({n})` cannot draw {n} different rows (without replacement each row "
                f"is drawn once); ask for at most {rows}, e.g. `{name}.sample(min({n}, len({name})))`, or pass `replace=True`."
            )
    return None


def sample_too_large_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`sample_too_large`."""
    msg, line = f.message, f.line
    if msg == "Cannot take a larger sample than population when 'replace=False'":
        call = re.search(r"\b([A-Za-z_]\w*)\.sample\(\s*(?:n\s*=\s*)?(\d+)", line)
        if call and is_frame(f.scope(call.group(1))):
            name, n = call.group(1), call.group(2)
            return line[: call.start(2)] + f"min({n}, len({name}))" + line[call.end(2) :]
    return None


def frame_key_error(f: Facts) -> str | None:
    """A KeyError on a frame: ``drop`` of a column as a row label, ``apply`` by column, a column moved into the index."""
    msg, line = f.message, f.line
    if isinstance(f.exc, KeyError) and re.fullmatch(r"\[.*\] not found in axis", msg):
        return "`drop` looks for row labels by default (axis=0), and there is no row with that label; to drop a column, say so: `df.drop(columns=[...])` (or `axis=1`)."
    if isinstance(f.exc, KeyError) and f.exc.args and type(f.exc.args[0]) is str:
        key = f.exc.args[0]
        if ".apply(" in line and "axis" not in line and re.search(r"\.apply\(\s*lambda\s+(\w+)\s*:.*\b\1\s*\[", line):
            return (
                f"`df.apply(f)` passes each column to f by default (axis=0), so `row[{key!r}]` looks for a row label {key!r}; "
                f"add `axis=1` to pass each row (or write it column-wise, which is faster: `df['a'] * df['b']`)."
            )
        for name, obj in frames_in_line(f):
            if type(obj).__name__ == "DataFrame" and key in [str(n) for n in getattr(obj.index, "names", ()) if n is not None]:
                return f"{key!r} is the index of `{name}` now, not a column (set_index moved it out of the columns); read it with `{name}.index`, or `{name}.reset_index()` to make it a column again."
    return None


def frame_key_error_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`frame_key_error`."""
    exc, msg, line = f.exc, f.message, f.line
    if isinstance(exc, KeyError) and re.fullmatch(r"\[.*\] not found in axis", msg):
        return sub1(r"\.drop\(\s*(['\"][^'\"]+['\"]|\[[^\]]*\])\s*\)", r".drop(columns=\1)", line)
    if isinstance(exc, KeyError) and exc.args and type(exc.args[0]) is str:
        key = exc.args[0]
        m = re.search(r"\.apply\(", line)
        if m and "axis" not in line:
            end = call_end(line, m.end() - 1)
            if end is not None:
                return line[:end] + ", axis=1" + line[end:]
        for name, obj in frames_in_line(f):
            if type(obj).__name__ == "DataFrame" and key in [str(n) for n in getattr(obj.index, "names", ()) if n is not None]:
                return sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"{name}.index", line)
    return None


_VALUE = r"-?\d+(?:\.\d+)?|[A-Za-z_]\w*"

#: ``a <= s <= b`` with ``s`` a name, an attribute or a subscript (``df["age"]``); ``a`` starts a word (a
#: search that tried every letter of a long name as a start was quadratic).
_CHAINED = re.compile(rf"(?<!\w)(?P<a>{_VALUE})\s*(?P<o1><=?|>=?)\s*(?P<b>[A-Za-z_][\w.]*(?:\[[^\[\]]*\])*)\s*(?P<o2><=?|>=?)\s*(?P<c>{_VALUE})")

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def chained_comparison(f: Facts) -> str | None:
    """``a < s < b`` on a Series or an array (Python's ``and`` between them)."""
    msg, line = f.message, f.line
    if "truth value of a Series is ambiguous" in msg or "truth value of an array with more than one element" in msg:
        m = _CHAINED.search(line)
        if m:
            a, o1, b, o2, c = m["a"], m["o1"], m["b"], m["o2"], m["c"]
            return (
                f"Python runs `{m.group(0)}` as `({a} {o1} {b}) and ({b} {o2} {c})`, and `and` needs one True/False, "
                f"not one per row; use `{b}.between({a}, {c})` or `({b} {_FLIP[o1]} {a}) & ({b} {o2} {c})`."
            )
    return None


def chained_comparison_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`chained_comparison`."""
    msg, line = f.message, f.line
    if "truth value of a Series is ambiguous" in msg or "truth value of an array with more than one element" in msg:
        m = _CHAINED.search(line)
        if m:
            if m["o1"] == "<=" and m["o2"] == "<=":
                return line[: m.start()] + f"{m['b']}.between({m['a']}, {m['c']})" + line[m.end() :]
            return line[: m.start()] + f"({m['b']} {_FLIP[m['o1']]} {m['a']}) & ({m['b']} {m['o2']} {m['c']})" + line[m.end() :]
    return None


def iloc_label_corrected(f: Facts) -> str | None:
    """``.loc`` for ``.iloc`` given a label."""
    msg, line = f.message, f.line
    if msg.startswith("Location based indexing can only have [integer"):
        return sub1(r"\.iloc\[(\s*-?\d+\s*,\s*['\"])", r".loc[\1", line)
    return None


def sort_values_by_corrected(f: Facts) -> str | None:
    """``Series.sort_values()`` without ``by=``."""
    msg, line = f.message, f.line
    if re.search(r"Series\.sort_values\(\) got an unexpected keyword argument 'by'", msg):
        return sub1(r"\.sort_values\(\s*by\s*=\s*(['\"][^'\"]*['\"]|\w+)\s*,?\s*", ".sort_values(", line)
    return None
