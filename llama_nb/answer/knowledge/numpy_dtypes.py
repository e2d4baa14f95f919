"""What NumPy's messages about dtypes mean: aliases of builtins it removed (``np.float``), an object array holding
None, integers to a negative power, a float result cast back into an int array, a value past a small int's range, NaN
into an int array, text with missing markers made float, a header row in ``loadtxt``, NumPy numbers in JSON, and a
``math`` function given an array.
"""

from __future__ import annotations

import re

from ..facts import MISSING, NAME, Facts, call_args_span, is_ndarray, sub1, subscripted
from .words import NA_MARKERS


#: NumPy's aliases of builtins, removed in 1.24: the builtin and NumPy's sized type.
_NUMPY_ALIASES = {
    "float": ("float", "float64"),
    "int": ("int", "int64"),
    "bool": ("bool", "bool_"),
    "object": ("object", "object_"),
    "str": ("str", "str_"),
    "complex": ("complex", "complex128"),
    "long": ("int", "int64"),
    "unicode": ("str", "str_"),
}

#: Message patterns written once for the hint and its corrected line.
_NUMPY_ATTR = r"module 'numpy' has no attribute '(\w+)'"

_UFUNC_OBJECT = r"ufunc '(isnan|isinf|isfinite)' not supported for the input types"


def removed_alias(f: Facts) -> str | None:
    """``np.float`` and NumPy's other aliases of builtins, removed in 1.24."""
    msg = f.message
    m = re.match(_NUMPY_ATTR, msg)
    if m and m.group(1) in _NUMPY_ALIASES:
        builtin, sized = _NUMPY_ALIASES[m.group(1)]
        return f"`np.{m.group(1)}` was only an alias of Python's built-in `{builtin}`; NumPy deprecated it in 1.20 and removed it in 1.24: write `{builtin}` (or NumPy's sized `np.{sized}`)."
    return None


def removed_alias_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`removed_alias`."""
    msg, line = f.message, f.line
    m = re.match(_NUMPY_ATTR, msg)
    if m and m.group(1) in _NUMPY_ALIASES:
        return sub1(rf"\b(?:np|numpy)\.{m.group(1)}\b(?![\w.])", _NUMPY_ALIASES[m.group(1)][0], line)
    return None


def _object_array_ufunc(f: Facts) -> tuple[str, str, bool] | None:
    """``(function, array name, holds None)`` for ``np.isnan(a)`` and its kin on an object array."""
    call = call_args_span(f.line, r"\b(?:np|numpy)\.(isnan|isinf|isfinite)\(")
    m = re.fullmatch(rf"\s*({NAME})\s*", f.line[call[0].end() : call[1]]) if call else None
    value = f.scope(m.group(1)) if m else MISSING
    if call and m and is_ndarray(value) and value.dtype.kind == "O":
        holds_none = any(v is None for v in value.ravel()[:10000])
        return call[0].group(1), m.group(1), holds_none
    return None


def isnan_of_objects(f: Facts) -> str | None:
    """``np.isnan`` of an object array (one holding None)."""
    msg = f.message
    if re.match(_UFUNC_OBJECT, msg):
        found = _object_array_ufunc(f)
        if found:
            fn, name, holds_none = found
            what = "holds None, a Python object, where a float array holds nan" if holds_none else "holds Python objects"
            return f"`{name}` has dtype object (it {what}), and `np.{fn}` works on numbers only; make it a float array, where None becomes nan: `{name}.astype(float)`, or use `pd.isna({name})`."
    return None


def isnan_of_objects_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`isnan_of_objects`."""
    msg, line = f.message, f.line
    if re.match(_UFUNC_OBJECT, msg):
        found = _object_array_ufunc(f)
        if found:
            fn, name, _ = found
            return sub1(rf"\b((?:np|numpy)\.{fn})\(\s*{name}\s*\)", lambda u: f"{u.group(1)}({name}.astype(float))", line)
    return None


def _negative_power(f: Facts) -> tuple[str, str, str] | None:
    """``(name, exponent, dtype)`` for ``name ** -n`` on an integer array."""
    for m in re.finditer(rf"\b({NAME})\s*\*\*\s*\(?\s*-\s*(\d+)\s*\)?", f.line):
        value = f.scope(m.group(1))
        if is_ndarray(value) and value.dtype.kind in "iu":
            return m.group(1), m.group(2), str(value.dtype)
    return None


def negative_power(f: Facts) -> str | None:
    """An integer array to a negative power."""
    msg = f.message
    if msg == "Integers to negative integer powers are not allowed.":
        found = _negative_power(f)
        if found:
            name, n, dtype = found
            return (
                f"`{name}` holds integers (dtype {dtype}), and NumPy keeps an integer array's powers integer, but `** -{n}` gives fractions (1/x**{n}); make the exponent a float: `{name} ** -{n}.0`."
            )
    return None


def negative_power_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`negative_power`."""
    msg, line = f.message, f.line
    if msg == "Integers to negative integer powers are not allowed.":
        found = _negative_power(f)
        if found:
            name, n, _ = found
            return sub1(rf"\b{name}\s*\*\*\s*\(?\s*-\s*{n}\s*\)?", f"{name} ** -{n}.0", line)
    return None


#: ``math`` functions whose NumPy namesake works element-wise on an array.
_MATH_TO_NUMPY = frozenset(
    {
        "sqrt",
        "exp",
        "log",
        "log10",
        "log2",
        "log1p",
        "expm1",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "sinh",
        "cosh",
        "tanh",
        "floor",
        "ceil",
        "trunc",
        "fabs",
        "isnan",
        "isinf",
        "isfinite",
        "degrees",
        "radians",
        "hypot",
        "atan2",
        "copysign",
    }
)

_NUMPY_NAME = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "atan2": "arctan2", "fabs": "abs"}

#: The messages of an array where one number is needed.
_ARRAY_AS_SCALAR = ("only 0-dimensional arrays can be converted to Python scalars", "only length-1 arrays can be converted to Python scalars", "cannot convert the series to <class 'float'>")


def _math_on_array(f: Facts) -> tuple[str, str, str] | None:
    """``(function, argument, shape)`` for ``math.<fn>(<array>)`` on the line."""
    for m in re.finditer(r"\bmath\.(\w+)\(\s*([A-Za-z_]\w*)\s*[,)]", f.line):
        value = f.scope(m.group(2))
        if is_ndarray(value) or (type(value).__name__ == "Series" and type(value).__module__.startswith("pandas")):
            return m.group(1), m.group(2), str(tuple(int(n) for n in value.shape))
    return None


def math_on_array(f: Facts) -> str | None:
    """A ``math`` function given an array."""
    msg = f.message
    if msg in _ARRAY_AS_SCALAR:
        found = _math_on_array(f)
        if found:
            fn, arg, shape = found
            numpy = f"np.{_NUMPY_NAME.get(fn, fn)}" if fn in _MATH_TO_NUMPY else None
            use = f"use NumPy's element-wise `{numpy}({arg})`" if numpy else f"apply it to each item: `[math.{fn}(v) for v in {arg}]`"
            return f"`math.{fn}` works on one number at a time, and `{arg}` is a whole array (shape {shape}); {use}."
    return None


def math_on_array_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`math_on_array`."""
    msg, line = f.message, f.line
    if msg in _ARRAY_AS_SCALAR:
        found = _math_on_array(f)
        if found and found[0] in _MATH_TO_NUMPY:
            return sub1(rf"\bmath\.{found[0]}\(", f"np.{_NUMPY_NAME.get(found[0], found[0])}(", line)
    return None


def loadtxt_header(f: Facts) -> str | None:
    """``np.loadtxt`` of a file with a header row."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"could not convert string '(.*)' to float\d* at row 0, column (\d+)\.", msg)
    if m and re.search(r"\b(loadtxt|genfromtxt)\(", line):
        return f"the first line of the file is a header (text such as {m.group(1)!r}), not numbers; skip it with `skiprows=1` (or read it with `pd.read_csv`, which uses the header as column names)."
    return None


def loadtxt_header_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`loadtxt_header`."""
    msg, line = f.message, f.line
    if re.fullmatch(r"could not convert string '.*' to float\d* at row 0, column \d+\.", msg):
        call = call_args_span(line, r"\b(?:np\.)?(?:loadtxt|genfromtxt)\(")
        if call and "skip" not in line:
            return line[: call[1]] + (", skiprows=1" if "loadtxt" in call[0].group(0) else ", skip_header=1") + line[call[1] :]
    return None


def cast_in_place(f: Facts) -> str | None:
    """An in-place operation whose float result cannot be stored back into an int array."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"Cannot cast ufunc '(\w+)' output from dtype\('(\w+)'\) to dtype\('(\w+)'\) with casting rule 'same_kind'", msg)
    if m:
        aug = re.match(r"^\s*([A-Za-z_][\w.]*)\s*([-+*/])=\s*(.+)$", line)
        if aug:
            name, op, rhs = aug.groups()
            return (
                f"`{name}` holds {m.group(3)} values, and `{op}=` must store the {m.group(2)} result back into that same "
                f"{m.group(3)} array, which NumPy refuses; make a new array instead, `{name} = {name} {op} {rhs}`, or convert "
                f"first: `{name} = {name}.astype(float)`."
            )
        return (
            f"the result is {m.group(2)} but it must be stored in an existing {m.group(3)} array (an in-place operation or "
            f"`out=`), which NumPy refuses; convert the array first with `.astype(float)` or make a new one."
        )
    return None


def cast_in_place_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`cast_in_place`."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"Cannot cast ufunc '\w+' output from dtype\('\w+'\) to dtype\('\w+'\) with casting rule 'same_kind'", msg)
    if m:
        aug = re.match(r"^(\s*)([A-Za-z_][\w.]*)\s*([-+*/])=\s*(.+)$", line)
        return f"{aug.group(1)}{aug.group(2)} = {aug.group(2)} {aug.group(3)} {aug.group(4)}" if aug else None
    return None


def _uint_range(name: str) -> tuple[int, int] | None:
    try:
        import numpy as np  # noqa: PLC0415 - numpy is read only when a numpy message names a dtype

        info = np.iinfo(name)
        return int(info.min), int(info.max)
    except Exception:
        return None


#: The next integer dtype that holds more, by numpy's name.
_WIDER = {"uint8": "uint16", "int8": "int16", "uint16": "uint32", "int16": "int32", "uint32": "uint64", "int32": "int64"}


def int_out_of_bounds(f: Facts) -> str | None:
    """A value past the range of a small integer dtype."""
    msg = f.message
    m = re.fullmatch(r"Python integer (-?\d+) out of bounds for (u?int\d+)", msg)
    if m:
        bounds = _uint_range(m.group(2))
        if bounds:
            lo, hi = bounds
            wider = _WIDER.get(m.group(2))
            widen = f" (e.g. `dtype=np.{wider}`, or `.astype(np.{wider})`)" if wider else ""
            return (
                f"a {m.group(2)} array holds only whole numbers from {lo} to {hi}, and {m.group(1)} does not fit; use a wider dtype{widen}, or clip the value into range (`min({m.group(1)}, {hi})`)."
            )
    return None


def int_out_of_bounds_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`int_out_of_bounds`."""
    msg = f.message
    m = re.fullmatch(r"Python integer (-?\d+) out of bounds for (u?int\d+)", msg)
    if m and _WIDER.get(m.group(2)):
        made = re.search(rf"dtype\s*=\s*(np\.{m.group(2)}\b|['\"]{m.group(2)}['\"])", f.cell)
        if made:
            for source in f.cell.splitlines():
                if made.group(0) in source:
                    return source.replace(made.group(0), f"dtype=np.{_WIDER[m.group(2)]}", 1)
    return None


#: NumPy types json cannot dump, and the Python type to convert to.
_NUMPY_SCALARS = {
    **{f"int{b}": "int" for b in (8, 16, 32, 64)},
    **{f"uint{b}": "int" for b in (8, 16, 32, 64)},
    "float16": "float",
    "float32": "float",
    "float64": "float",
    "bool_": "bool",
    "bool": "bool",
    "ndarray": "list",
}


def numpy_in_json(f: Facts) -> str | None:
    """A NumPy number or array given to ``json``."""
    msg = f.message
    m = re.fullmatch(r"Object of type (\w+) is not JSON serializable", msg)
    if m and m.group(1) in _NUMPY_SCALARS:
        kind = _NUMPY_SCALARS[m.group(1)]
        if kind == "list":
            return f"a NumPy {m.group(1)} is not a Python list, and `json` only knows Python's own types; convert it with `.tolist()` before dumping."
        return (
            f"the value is a NumPy {m.group(1)}, not a plain Python {kind}, and `json` only knows Python's own types; "
            f"convert it: `{kind}(value)` (or `value.item()`), or pass `default={kind}` to `json.dumps`."
        )
    return None


def numpy_in_json_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`numpy_in_json`."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"Object of type (\w+) is not JSON serializable", msg)
    if m and m.group(1) in _NUMPY_SCALARS:
        kind = _NUMPY_SCALARS[m.group(1)]
        default = "lambda o: o.tolist()" if kind == "list" else kind
        span = call_args_span(line, r"\bjson\.dumps?\(")
        if span and "default" not in line[span[0].end() : span[1]]:
            return line[: span[1]] + f", default={default}" + line[span[1] :]
    return None


def nan_into_int_array(f: Facts) -> str | None:
    """NaN put into an integer array."""
    msg, line = f.message, f.line
    if msg == "cannot convert float NaN to integer":
        arrays = [n for n in subscripted(line) if is_ndarray(f.scope(n))]
        if arrays:
            arr = f.scope(arrays[0])
            return f"`{arrays[0]}` is an integer array (dtype {arr.dtype}), and an integer cannot be NaN; make it a float array first: `{arrays[0]} = {arrays[0]}.astype(float)`."
        return "an integer cannot be NaN; make the array or column float first (`.astype(float)`), or fill the NaN."
    return None


def nan_into_int_array_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`nan_into_int_array`."""
    msg, line = f.message, f.line
    if msg == "cannot convert float NaN to integer":
        arrays = [n for n in subscripted(line) if is_ndarray(f.scope(n))]
        if arrays:
            indent = line[: len(line) - len(line.lstrip())]
            return f"{indent}{arrays[0]} = {arrays[0]}.astype(float)\n{line}"
    return None


def na_text_astype_corrected(f: Facts) -> str | None:
    """``np.where(a == 'n/a', 'nan', a).astype(float)`` for an array of text with missing markers."""
    msg, line = f.message, f.line
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'", msg)
    if m and m.group(1).strip().lower() in NA_MARKERS and m.group(1):
        call = re.search(r"\b([A-Za-z_]\w*)\.astype\(\s*float\s*\)", line)
        if call and is_ndarray(f.scope(call.group(1))):
            name = call.group(1)
            return line.replace(call.group(0), f"np.where({name} == {m.group(1)!r}, 'nan', {name}).astype(float)", 1)
    return None
