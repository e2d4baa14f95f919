"""Ninth round of hints (heldout9's misses, 0/16 unseen): each rule is keyed on one exact interpreter, pandas or numpy
message and says the concrete cause on this cell, with a corrected line or block where one follows from the cell.

A file read after its ``with`` block closed it, a list multiplied by a float, a loop over a dict's keys indexed like a
dict, two dicts added with ``+``, Python 2's ``.iteritems()``, ``math.exp`` overflowing in a sigmoid, ``.pop()`` on an
empty stack (an unmatched closing bracket), double brackets giving a DataFrame where a Series was meant, ``pd.concat`` of
files a glob did not find, day-first dates read month-first, a new value in a categorical, ``pd.DataFrame`` of JSON
text, NumPy's removed ``np.float`` aliases, a list indexed by an array, ``np.isnan`` of an object array holding None,
and an integer array to a negative power.

The same bounds as hints.py: only builtin values, exception attributes, pandas objects' dtypes and categories and numpy
shapes and dtypes are read; nothing of a user's object runs.
"""

from __future__ import annotations

import os
import re

from ..answer.facts import MISSING, Facts, call_args_span, clip, is_ndarray, sub1

#: NumPy's aliases of builtins, removed in 1.24: the builtin and NumPy's sized type.
_NUMPY_ALIASES = {"float": ("float", "float64"), "int": ("int", "int64"), "bool": ("bool", "bool_"),
                  "object": ("object", "object_"), "str": ("str", "str_"), "complex": ("complex", "complex128"),
                  "long": ("int", "int64"), "unicode": ("str", "str_")}
#: Series attributes a DataFrame lacks: ``df[["col"]].<attr>`` is the double-bracket slip.
_SERIES_ONLY = frozenset({"unique", "tolist", "to_list", "str", "dt", "cat", "between", "is_unique", "item", "argmax",
                          "argmin", "is_monotonic_increasing", "is_monotonic_decreasing", "searchsorted", "value_counts"})
_PY2_DICT = {"iteritems": "items", "iterkeys": "keys", "itervalues": "values", "viewitems": "items", "viewkeys": "keys",
             "viewvalues": "values"}
_NAME = r"[A-Za-z_]\w*"
_BRACKETS = {")": "(", "]": "[", "}": "{"}
#: The messages this round keys on that are patterns, written once for the hint and its corrected line.
_SEQ_TIMES = r"can't multiply sequence by non-int of type '([\w.]+)'"
_DICT_PLUS_MSG = r"unsupported operand type\(s\) for \+=?: 'dict' and 'dict'"
_PY2_ATTR = (r"'(dict|Series|DataFrame)' object has no attribute "
             r"'(iteritems|iterkeys|itervalues|viewitems|viewkeys|viewvalues|has_key)'")
_FRAME_ATTR = r"'DataFrame' object has no attribute '(\w+)'"
_NUMPY_ATTR = r"module 'numpy' has no attribute '(\w+)'"
_UFUNC_OBJECT = r"ufunc '(isnan|isinf|isfinite)' not supported for the input types"
_POP = rf"\b({_NAME})\.pop\([^()]*\)"
_DICT_PLUS = rf"\b({_NAME})\s*(\+=?)\s*({_NAME}\b|\{{[^{{}}\n]*\}})"
_MONTH_FIRST = {"%m/%d/%Y": "%d/%m/%Y", "%m-%d-%Y": "%d-%m-%Y", "%m.%d.%Y": "%d.%m.%Y", "%m/%d/%y": "%d/%m/%y"}


def _indent(src: str) -> int:
    return len(src) - len(src.lstrip())


def _failing_index(f: Facts) -> int | None:
    """The index of the cell's (last) line that is the failing line, or None."""
    found = [k for k, src in enumerate(f.cell.splitlines()) if src.strip() == f.line] if f.line else []
    return found[-1] if found else None


def _closed_with(f: Facts) -> tuple[str, int, int, int] | None:
    """``(name, with line, block end, failing line)`` (0-based cell lines) when the failing line uses a file bound by
    the nearest ``with open(...) as name:`` above it whose block ended before it."""
    lines, k = f.cell.splitlines(), _failing_index(f)
    if k is None:
        return None
    for i in range(k - 1, -1, -1):
        m = re.match(rf"(\s*)with\s+.*\bopen\(.*\)\s+as\s+({_NAME})\s*:\s*$", lines[i])
        if not m or not re.search(rf"\b{m.group(2)}\b", f.line):
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() and _indent(lines[j]) <= len(m.group(1))), None)
        return (m.group(2), i, end, k) if end is not None and end <= k else None
    return None


def _with_block_fixed(f: Facts, found: tuple[str, int, int, int]) -> str:
    """The ``with`` block with the failing statement (and its body) moved inside it."""
    lines = f.cell.splitlines()
    _, i, end, k = found
    body = [src for src in lines[i:end] if src.strip()]
    base = _indent(lines[i])
    inner = _indent(body[1]) if len(body) > 1 else base + 4
    at = _indent(lines[k])
    tail = [lines[k]] + [src for src in lines[k + 1:] if src.strip()]
    stop = next((n for n, src in enumerate(tail[1:], 1) if _indent(src) <= at), len(tail))
    moved = [" " * (inner - at) + src if inner >= at else src[at - inner:] for src in tail[:stop]]
    return "\n".join(src[base:] for src in body + moved)


def _numeric_sequence(value: object) -> bool:
    return (type(value) in (list, tuple) and bool(value)
            and all(type(v) in (int, float) for v in value[:50]))  # type: ignore[index]


def _loop_over_dict(f: Facts) -> tuple[str, str, str | None] | None:
    """``(loop variable, dict name, key holding the records)`` for ``for v in d:`` where ``v[...]`` fails."""
    for m in re.finditer(rf"\b({_NAME})\s*\[\s*['\"]", f.line):
        loop = re.search(rf"(?m)^\s*for\s+{m.group(1)}\s+in\s+({_NAME})\s*:", f.cell)
        value = f.scope(loop.group(1)) if loop else MISSING
        if loop and type(value) is dict and value:
            lists = [k for k, v in list(value.items())[:50] if type(k) is str and type(v) in (list, tuple)]
            return m.group(1), loop.group(1), lists[0] if len(lists) == 1 else None
    return None


def _sigmoid_def(f: Facts) -> tuple[str, str] | None:
    """``(function, parameter)`` when the failing line is ``return 1 / (1 + math.exp(-p))`` in ``def fn(p):``."""
    m = re.fullmatch(rf"return\s+1(?:\.0*)?\s*/\s*\(\s*1(?:\.0*)?\s*\+\s*math\.exp\(\s*-\s*({_NAME})\s*\)\s*\)", f.line)
    if not m:
        return None
    lines, at = f.cell.splitlines(), _failing_index(f)
    for src in reversed(lines[:at] if at is not None else []):
        d = re.match(rf"\s*def\s+({_NAME})\s*\(\s*{m.group(1)}\s*\)\s*:", src)
        if d:
            return d.group(1), m.group(1)
    return None


def _closing_bracket(f: Facts, name: str) -> tuple[str, str] | None:
    """``(closing, opening)`` when the cell pushes onto ``name`` and compares a character with a closing bracket."""
    if not re.search(rf"\b{re.escape(name)}\.append\(", f.cell):
        return None
    m = re.search(r"==\s*(['\"])([)\]}])\1", f.cell)
    return (m.group(2), _BRACKETS[m.group(2)]) if m else None


def _glob_of(f: Facts, name: str) -> str | None:
    m = re.search(rf"\b{re.escape(name)}\s*=\s*(?:sorted\()?\s*(?:glob\.)?glob\(\s*(['\"])(.+?)\1", f.cell)
    return m.group(2) if m else None


def _concat_source(f: Facts) -> str | None:
    """The name ``pd.concat`` took its objects from, when it is an empty list or tuple."""
    call = call_args_span(f.line, r"\bconcat\(")
    if not call:
        return None
    args = f.line[call[0].end():call[1]]
    m = re.search(rf"\bfor\s+{_NAME}\s+in\s+({_NAME})\s*\]", args) or re.match(rf"\s*({_NAME})\s*(?:,|$)", args)
    value = f.scope(m.group(1)) if m else MISSING
    return m.group(1) if m and type(value) in (list, tuple) and not value else None


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


def _categorical(f: Facts) -> tuple[str, str, list[str]] | None:
    """``(name, new value, categories)`` for ``name.fillna(new)`` or ``name[...] = new`` on a categorical Series."""
    m = re.fullmatch(r"Cannot setitem on a Categorical with a new category \((.+?)\), set the categories first", f.message)
    if not m:
        return None
    for n in re.finditer(rf"\b({_NAME})\s*(?:\.fillna\(|\.loc\[|\[)", f.line):
        value = f.scope(n.group(1))
        if type(value).__name__ == "Series" and type(value).__module__.startswith("pandas") and str(value.dtype) == "category":
            return n.group(1), m.group(1), [str(c) for c in list(value.cat.categories[:6])]
    return None


def _text_frame(f: Facts) -> tuple[str, bool] | None:
    """``(name, looks like JSON)`` for ``pd.DataFrame(name)`` where ``name`` holds a str."""
    call = call_args_span(f.line, r"\bDataFrame\(")
    if not call:
        return None
    m = re.match(rf"\s*({_NAME})\s*(?:,|$)", f.line[call[0].end():call[1]])
    value = f.scope(m.group(1)) if m else MISSING
    if m and type(value) is str:
        return m.group(1), value.lstrip()[:1] in ("[", "{")
    return None


def _list_indexed_by_array(f: Facts) -> str | None:
    for m in re.finditer(rf"(?<![\w.])({_NAME})\s*\[", f.line):
        if type(f.scope(m.group(1))) in (list, tuple):
            return m.group(1)
    return None


def _object_array_ufunc(f: Facts) -> tuple[str, str, bool] | None:
    """``(function, array name, holds None)`` for ``np.isnan(a)`` and its kin on an object array."""
    call = call_args_span(f.line, r"\b(?:np|numpy)\.(isnan|isinf|isfinite)\(")
    m = re.fullmatch(rf"\s*({_NAME})\s*", f.line[call[0].end():call[1]]) if call else None
    value = f.scope(m.group(1)) if m else MISSING
    if call and m and is_ndarray(value) and value.dtype.kind == "O":
        holds_none = any(v is None for v in value.ravel()[:10000])
        return call[0].group(1), m.group(1), holds_none
    return None


def _negative_power(f: Facts) -> tuple[str, str, str] | None:
    """``(name, exponent, dtype)`` for ``name ** -n`` on an integer array."""
    for m in re.finditer(rf"\b({_NAME})\s*\*\*\s*\(?\s*-\s*(\d+)\s*\)?", f.line):
        value = f.scope(m.group(1))
        if is_ndarray(value) and value.dtype.kind in "iu":
            return m.group(1), m.group(2), str(value.dtype)
    return None


def round9_rules(f: Facts) -> str | None:
    """The hint for one of this round's messages, or None."""
    msg, line = f.message, f.line
    if msg.startswith("I/O operation on closed file"):
        found = _closed_with(f)
        if found:
            name, i, _, k = found
            return (f"`{name}` is closed: a `with open(...) as {name}:` block (line {i + 1}) closes the file when the block "
                    f"ends, and line {k + 1} is outside the `with` block (not indented under it); indent it into the block.")
        return "the file was closed before this line (by `.close()` or at the end of its `with` block); read it while it is open."
    m = re.fullmatch(_SEQ_TIMES, msg)
    if m:
        for name in re.findall(rf"(?<![\w.])({_NAME})\s*\*|\*\s*({_NAME})(?![\w.(\[])", line):
            name = name[0] or name[1]
            value = f.scope(name)
            if _numeric_sequence(value):
                kind = type(value).__name__
                return (f"`{name}` is a {kind}, and `*` on a {kind} repeats it (`[1, 2] * 2` is `[1, 2, 1, 2]`): a {kind} does "
                        f"no element-wise arithmetic, so it cannot be multiplied by a {m.group(1)}; multiply each item instead, "
                        f"or make it a NumPy array.")
    if msg.startswith("string indices must be integers"):
        found = _loop_over_dict(f)
        if found:
            var, name, key = found
            where = f"`for {var} in {name}[{key!r}]:`" if key else f"`for {var} in {name}.values():`"
            return (f"`for {var} in {name}` loops over the dict's keys, so `{var}` is a key (a string), not a dict, and a "
                    f"string is indexed by position; loop over the records instead: {where}")
    if re.fullmatch(_DICT_PLUS_MSG, msg):
        m = re.search(_DICT_PLUS, line)
        a, b = (m.group(1), clip(m.group(3), 30)) if m else ("a", "b")
        return (f"dicts are not added with `+`: merge them with `{a} | {b}` (Python 3.9+; a key in both takes {b}'s "
                f"value), or `{{**{a}, **{b}}}`; `{a}.update({b})` changes {a} in place.")
    m = re.fullmatch(_PY2_ATTR, msg)
    if m:
        kind, attr = m.groups()
        if kind != "dict":
            return f"`.{attr}()` was removed in pandas 2.0 (it was an old name of `.items()`); write `.items()`."
        if attr == "has_key":
            return "`.has_key()` is Python 2: Python 3 removed it; test a key with `in`: `key in d`."
        return (f"`.{attr}()` is Python 2: Python 3 removed it (its `.{_PY2_DICT[attr]}()` already gives them lazily); "
                f"write `.{_PY2_DICT[attr]}()`.")
    if msg == "math range error" and re.search(r"\bmath\.exp\(", line):
        call = call_args_span(line, r"\bmath\.exp\(")
        arg = line[call[0].end():call[1]].strip() if call else "x"
        v = re.fullmatch(rf"(-?)\s*({_NAME})", arg)
        value = f.scope(v.group(2)) if v else MISSING
        said = f" with {v.group(2)} = {clip(value)}" if v and type(value) in (int, float) else ""
        if _sigmoid_def(f):
            return (f"`math.exp({clip(arg)})` overflowed{said}: e to that power is beyond the largest float (about 1.8e308, "
                    f"e**709); for negative x compute the sigmoid as `math.exp(x) / (1 + math.exp(x))`, which never overflows.")
        return (f"`math.exp({clip(arg)})` overflowed{said}: its result is beyond the largest float (about 1.8e308, so the "
                f"argument must stay below about 709); scale or clip the input, or work with logarithms.")
    if msg == "pop from empty list":
        m = re.search(_POP, line)
        if m:
            name = m.group(1)
            pair = _closing_bracket(f, name)
            if pair:
                return (f"`{name}` is empty when `.pop()` runs: the text has a closing '{pair[0]}' with no '{pair[1]}' left "
                        f"open before it (more closing than opening brackets); so it is unbalanced: return False there "
                        f"instead of popping.")
            return f"`{name}` is empty when `.pop()` runs, so there is nothing to take off; check it first: `if {name}:`."
    m = re.fullmatch(_FRAME_ATTR, msg)
    if m and m.group(1) in _SERIES_ONLY:
        d = re.search(rf"\b({_NAME})\[\[\s*(['\"])([^'\"\n]+)\2\s*\]\]\.{m.group(1)}\b", line)
        if d:
            name, col = d.group(1), d.group(3)
            return (f"`{name}[[{col!r}]]` with double brackets selects a one-column DataFrame, not a Series, and a "
                    f"DataFrame has no `.{m.group(1)}`; single brackets give the column as a Series: `{name}[{col!r}].{m.group(1)}`.")
    if msg == "No objects to concatenate":
        name = _concat_source(f)
        if name:
            pattern = _glob_of(f, name)
            if pattern:
                return (f"`{name}` is empty: `glob({pattern!r})` matched no file from the working directory "
                        f"{clip(os.getcwd(), 60)}, so `pd.concat` got nothing to join; check the folder and the pattern, "
                        f"and stop early: `if not {name}:`.")
            return f"`{name}` is empty, so `pd.concat` has nothing to join; check it before: `if not {name}:`."
    found = _day_first(msg)
    if found:
        value, month, fmt, swapped = found
        return (f"{value!r} has {month} where the format {fmt!r} (guessed from the first value) wants the month, and there "
                f"is no month {month}: the dates are day-first; say so: `dayfirst=True` or `format={swapped!r}`.")
    cat = _categorical(f)
    if cat:
        name, new, cats = cat
        return (f"`{name}` is categorical (as `pd.cut` makes it): its values can only be its fixed categories "
                f"({', '.join(map(repr, cats))}), and {new!r} is not one of them; add it first: "
                f"`{name}.cat.add_categories({new!r})`.")
    if msg == "DataFrame constructor not properly called!":
        text = _text_frame(f)
        if text:
            name, is_json = text
            if is_json:
                return (f"`{name}` is a string (JSON text), not a list or dict, and `pd.DataFrame` does not parse text; parse "
                        f"it first: `pd.DataFrame(json.loads({name}))` (import json).")
            return (f"`{name}` is a string, not a list or dict, and `pd.DataFrame` does not parse text; for CSV text use "
                    f"`pd.read_csv(io.StringIO({name}))` (import io).")
    m = re.match(_NUMPY_ATTR, msg)
    if m and m.group(1) in _NUMPY_ALIASES:
        builtin, sized = _NUMPY_ALIASES[m.group(1)]
        return (f"`np.{m.group(1)}` was only an alias of Python's built-in `{builtin}`; NumPy deprecated it in 1.20 and "
                f"removed it in 1.24: write `{builtin}` (or NumPy's sized `np.{sized}`).")
    if msg == "only integer scalar arrays can be converted to a scalar index":
        name = _list_indexed_by_array(f)
        if name:
            kind = type(f.scope(name)).__name__
            return (f"`{name}` is a plain Python {kind}, and a {kind} takes one int index, not an array of positions (that is "
                    f"NumPy's fancy indexing); make it an array first: `np.array({name})[...]`.")
    if re.match(_UFUNC_OBJECT, msg):
        found = _object_array_ufunc(f)
        if found:
            fn, name, holds_none = found
            what = "holds None, a Python object, where a float array holds nan" if holds_none else "holds Python objects"
            return (f"`{name}` has dtype object (it {what}), and `np.{fn}` works on numbers only; make it a float array, "
                    f"where None becomes nan: `{name}.astype(float)`, or use `pd.isna({name})`.")
    if msg == "Integers to negative integer powers are not allowed.":
        found = _negative_power(f)
        if found:
            name, n, dtype = found
            return (f"`{name}` holds integers (dtype {dtype}), and NumPy keeps an integer array's powers integer, but "
                    f"`** -{n}` gives fractions (1/x**{n}); make the exponent a float: `{name} ** -{n}.0`.")
    return None


def corrected_round9(f: Facts) -> str | None:
    """A corrected line (or short block) for this round's messages, or None."""
    msg, line = f.message, f.line
    if msg.startswith("I/O operation on closed file"):
        found = _closed_with(f)
        return _with_block_fixed(f, found) if found else None
    if re.fullmatch(_SEQ_TIMES, msg):
        for m in re.finditer(rf"(?<![\w.])({_NAME})\s*\*\s*([\w.]+)|([\w.]+)\s*\*\s*({_NAME})(?![\w.(\[])", line):
            name, other = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if _numeric_sequence(f.scope(name)) and not _numeric_sequence(f.scope(other)):
                return line[:m.start()] + f"[x * {other} for x in {name}]" + line[m.end():]
        return None
    if msg.startswith("string indices must be integers"):
        found = _loop_over_dict(f)
        if found:
            var, name, key = found
            loop = re.search(rf"(?m)^\s*for\s+{var}\s+in\s+{name}\s*:.*$", f.cell)
            new = f"{name}[{key!r}]" if key else f"{name}.values()"
            return re.sub(rf"\bin\s+{name}\s*:", f"in {new}:", loop.group(0).strip(), count=1) if loop else None
        return None
    if re.fullmatch(_DICT_PLUS_MSG, msg):
        return sub1(_DICT_PLUS, lambda m: f"{m.group(1)} {'|=' if m.group(2) == '+=' else '|'} {m.group(3)}", line)
    m = re.fullmatch(_PY2_ATTR, msg)
    if m:
        if m.group(2) == "has_key":
            return sub1(rf"\b({_NAME})\.has_key\(\s*([^()]+?)\s*\)", lambda k: f"{k.group(2)} in {k.group(1)}", line)
        new = "items" if m.group(1) != "dict" else _PY2_DICT[m.group(2)]
        return sub1(rf"\.{m.group(2)}\(", f".{new}(", line)
    if msg == "math range error":
        found = _sigmoid_def(f)
        if found:
            fn, p = found
            return (f"def {fn}({p}):\n    if {p} >= 0:\n        return 1 / (1 + math.exp(-{p}))\n"
                    f"    return math.exp({p}) / (1 + math.exp({p}))")
        return None
    if msg == "pop from empty list":
        m = re.search(_POP, line)
        if m and _closing_bracket(f, m.group(1)) and re.search(r"(?m)^\s*def\s", f.cell):
            return f"if not {m.group(1)}:\n    return False\n{line}"
        return None
    m = re.fullmatch(_FRAME_ATTR, msg)
    if m and m.group(1) in _SERIES_ONLY:
        return sub1(rf"\b({_NAME})\[\[\s*((['\"])[^'\"\n]+\3)\s*\]\](?=\.{m.group(1)}\b)", lambda d: f"{d.group(1)}[{d.group(2)}]", line)
    if msg == "No objects to concatenate":
        name = _concat_source(f)
        pattern = _glob_of(f, name) if name else None
        if name and pattern:
            return (f"import os\nif not {name}:\n    raise FileNotFoundError(f\"no file matches {pattern} in {{os.getcwd()}}\")\n"
                    f"{line}")
        return None
    found = _day_first(msg)
    if found:
        call = call_args_span(line, r"\bto_datetime\(")
        if call and "format" not in line and "dayfirst" not in line:
            return line[:call[1]] + f", format={found[3]!r}" + line[call[1]:]
        return None
    cat = _categorical(f)
    if cat:
        name, new, _ = cat
        return sub1(rf"\b{name}\.fillna\(", f"{name}.cat.add_categories({new!r}).fillna(", line)
    if msg == "DataFrame constructor not properly called!":
        text = _text_frame(f)
        if text:
            name, is_json = text
            if is_json:
                return "import json\n" + (sub1(rf"\bDataFrame\(\s*{name}\b", f"DataFrame(json.loads({name})", line) or "")
            return "import io\n" + (sub1(rf"\b(pd\.|pandas\.)?DataFrame\(\s*{name}\b",
                                         lambda d: f"{d.group(1) or ''}read_csv(io.StringIO({name})", line) or "")
        return None
    m = re.match(_NUMPY_ATTR, msg)
    if m and m.group(1) in _NUMPY_ALIASES:
        return sub1(rf"\b(?:np|numpy)\.{m.group(1)}\b(?![\w.])", _NUMPY_ALIASES[m.group(1)][0], line)
    if msg == "only integer scalar arrays can be converted to a scalar index":
        name = _list_indexed_by_array(f)
        return sub1(rf"(?<![\w.]){name}\s*\[", f"np.array({name})[", line) if name and "np." in f.cell else None
    if re.match(_UFUNC_OBJECT, msg):
        found = _object_array_ufunc(f)
        if found:
            fn, name, _ = found
            return sub1(rf"\b((?:np|numpy)\.{fn})\(\s*{name}\s*\)", lambda u: f"{u.group(1)}({name}.astype(float))", line)
        return None
    if msg == "Integers to negative integer powers are not allowed.":
        found = _negative_power(f)
        if found:
            name, n, _ = found
            return sub1(rf"\b{name}\s*\*\*\s*\(?\s*-\s*{n}\s*\)?", f"{name} ** -{n}.0", line)
    return None
