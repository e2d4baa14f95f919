"""Eighth round of hints (heldout8's misses): each rule is keyed on one exact interpreter, pandas or numpy message and
says the concrete cause on this cell, with a corrected line where one follows from the line alone.

Single quotes in JSON, a number written before a parenthesis (no implicit multiplication), ``next()`` on a generator
that finds nothing, literal braces in a ``str.format`` template, a list of dicts indexed by a key, Decimal times a
float, a file that is not UTF-8, ``fillna(method=...)`` (removed in pandas 3), more ``cut`` labels than bins,
``float()`` of a filtered Series, the count of ``np.linspace`` given as a step, ``np.split`` into unequal parts, a
``math`` function given an array, and ``np.where`` with one branch.

The same bounds as hints.py: only builtin values, exception attributes, pandas objects' columns and numpy shapes are
read; nothing of a user's object runs.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from ..answer.facts import MISSING, Facts, call_args_span, clip, frames_in_line, is_ndarray, parsed, sub1

#: ``math`` functions whose NumPy namesake works element-wise on an array.
_MATH_TO_NUMPY = frozenset({"sqrt", "exp", "log", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "asin", "acos",
                            "atan", "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "fabs", "isnan", "isinf", "isfinite",
                            "degrees", "radians", "hypot", "atan2", "copysign"})
_NUMPY_NAME = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "atan2": "arctan2", "fabs": "abs"}
_NUMBER_CALL = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)(\s*)\(")
#: Message patterns written once for the hint and its corrected line.
_NUMBER_CALLED = r"'(int|float|complex)' object is not callable"
_FILLNA_METHOD = r"(?:NDFrame|DataFrame|Series)\.fillna\(\) got an unexpected keyword argument 'method'"
_ARRAY_AS_SCALAR = ("only 0-dimensional arrays can be converted to Python scalars",
                    "only length-1 arrays can be converted to Python scalars", "cannot convert the series to <class 'float'>")
#: ``fillna(method=...)``'s values and the method that replaces each.
_FILL_METHODS = {"ffill": "ffill", "pad": "ffill", "bfill": "bfill", "backfill": "bfill"}
_SCALAR_OF_SERIES = r"(float|int)\(\) argument must be a string(?:, a bytes-like object)? or a (?:real )?number, not '(Series)'"
_FLOAT_LITERAL = re.compile(r"(?<![\w.'\"])(\d+\.\d*|\.\d+)(?![\w.'\"])")


def _decimal_and_float(msg: str) -> bool:
    m = re.fullmatch(r"unsupported operand type\(s\) for \S+: '(decimal\.Decimal|float)' and '(decimal\.Decimal|float)'", msg)
    return bool(m) and {m.group(1), m.group(2)} == {"decimal.Decimal", "float"}


def _single_quoted_json(f: Facts) -> bool:
    """A JSONDecodeError whose text has a single quote where JSON wanted a name or a value."""
    doc, pos = getattr(f.exc, "doc", None), getattr(f.exc, "pos", None)
    return (type(f.exc).__name__ == "JSONDecodeError" and type(doc) is str and type(pos) is int and 0 <= pos < len(doc)
            and doc[pos] == "'")


def _generator_in_next(line: str) -> tuple[str, str | None, str | None] | None:
    """``(generator source, condition, iterable)`` of ``next(<x> for <t> in <it> if <cond>)`` on the line."""
    call = call_args_span(line, r"(?<![\w.])next\(")
    if not call:
        return None
    inner = line[call[0].end():call[1]].strip()
    try:
        node = ast.parse(f"({inner})", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.GeneratorExp):
        return None
    gen = node.generators[0]
    cond = ast.unparse(gen.ifs[0]) if gen.ifs else None
    return inner, cond, ast.unparse(gen.iter)


def _format_call(f: Facts) -> tuple[str, list[str]] | None:
    """``(template name, keyword names)`` of ``<name>.format(...)`` on the line."""
    call = call_args_span(f.line, r"\b([A-Za-z_]\w*)\.format\(")
    if not call:
        return None
    args = f.line[call[0].end():call[1]]
    return call[0].group(1), re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)", args)


def _template_line(f: Facts, name: str) -> tuple[int, str] | None:
    """The cell's line that assigns a plain string literal to ``name``."""
    for i, src in enumerate(f.cell.splitlines()):
        if re.match(rf"\s*{re.escape(name)}\s*=\s*(['\"]).*\1\s*$", src):
            return i, src
    return None


def _escaped_braces(src: str, fields: list[str]) -> str:
    """The template line with every literal brace doubled, the named fields kept as placeholders."""
    head, _, literal = src.partition("=")
    doubled = literal.replace("{", "{{").replace("}", "}}")
    for field in fields:
        doubled = doubled.replace("{{" + field + "}}", "{" + field + "}")
    return f"{head}={doubled}"


def _list_of_dicts(f: Facts) -> tuple[str, str] | None:
    """``(name, key)`` for ``people["name"]`` where ``people`` is a list of dicts."""
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\[\s*(['\"])([^'\"\n]+)\2\s*\]", f.line):
        value = f.scope(m.group(1))
        if type(value) is list and value and all(type(v) is dict for v in value[:20]):
            return m.group(1), m.group(3)
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


def _keyword(line: str, call_end: int, start: int, name: str) -> tuple[int, int] | None:
    """The span of keyword ``name``'s value inside the call ``line[start:call_end]``."""
    m = re.search(rf"\b{name}\s*=\s*", line[start:call_end])
    if not m:
        return None
    begin = start + m.end()
    depth = 0
    for i in range(begin, call_end):
        ch = line[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            return begin, i
    return begin, call_end


def _cut_counts(f: Facts) -> tuple[list[Any], list[Any], tuple[int, int]] | None:
    call = call_args_span(f.line, r"\bcut\(")
    if not call:
        return None
    bins, labels = _keyword(f.line, call[1], call[0].end(), "bins"), _keyword(f.line, call[1], call[0].end(), "labels")
    if not (bins and labels):
        return None
    edges, names = _ints_of(f, f.line[bins[0]:bins[1]]), _ints_of(f, f.line[labels[0]:labels[1]])
    return (edges, names, labels) if edges is not None and names is not None else None


def _number(text: str) -> float | None:
    try:
        value = float(ast.literal_eval(text.strip()))
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return None
    return value if math.isfinite(value) else None


def _linspace(line: str) -> tuple[str, str, str, tuple[int, int]] | None:
    """``(start, stop, third, span)`` of ``np.linspace(start, stop, <float>)`` on the line."""
    call = call_args_span(line, r"\blinspace\(")
    if not call:
        return None
    args = [a.strip() for a in line[call[0].end():call[1]].split(",")]
    if len(args) < 3 or "=" in "".join(args[:3]):
        return None
    return args[0], args[1], args[2], (call[0].start(), call[1] + 1)


def _math_on_array(f: Facts) -> tuple[str, str, str] | None:
    """``(function, argument, shape)`` for ``math.<fn>(<array>)`` on the line."""
    for m in re.finditer(r"\bmath\.(\w+)\(\s*([A-Za-z_]\w*)\s*[,)]", f.line):
        value = f.scope(m.group(2))
        if is_ndarray(value) or (type(value).__name__ == "Series" and type(value).__module__.startswith("pandas")):
            return m.group(1), m.group(2), str(tuple(int(n) for n in value.shape))
    return None


def round8_rules(f: Facts) -> str | None:
    """The hint for one of this round's messages, or None."""
    msg, line, exc = f.message, f.line, f.exc
    if _single_quoted_json(f):
        return ("JSON needs double quotes around names and strings, and this text has single quotes: it is a Python dict "
                "written with `str()`, not JSON; read it with `ast.literal_eval(text)` (import ast), or make real JSON "
                "with `json.dumps(...)`.")
    m = re.fullmatch(_NUMBER_CALLED, msg)
    if m:
        number = _NUMBER_CALL.search(line)
        if number:
            n = number.group(1)
            return (f"`{n}(` puts a number right before a parenthesis: Python has no implicit multiplication, so it tries to "
                    f"call the {m.group(1)} {n} like a function; write the `*`: `{n} * (...)`.")
    if isinstance(exc, StopIteration) and not msg:
        gen = _generator_in_next(line)
        if gen:
            _, cond, source = gen
            what = (f"no item of `{clip(source)}` satisfies `{clip(cond)}`" if cond else f"`{clip(source)}` is empty")
            return (f"`next()` found nothing to return: {what}, so the generator ended at once and `next` raised StopIteration; "
                    f"give `next` a default for that case, e.g. `next((...), None)`, and check for None.")
    if isinstance(exc, KeyError) and type(exc.args[0] if exc.args else None) is str:
        key = exc.args[0]
        call = _format_call(f)
        if call and re.match(r"""\s*["'\n]""", key):
            return (f"the literal braces of the JSON in `{call[0]}` are read by `.format` as placeholders, so `{{{clip(key, 20)}...}}` "
                    f"became a field named {clip(key, 20)}; escape the literal braces by doubling them (`{{{{` and `}}}}`), or build "
                    f"the JSON with `json.dumps(...)`.")
    if msg == "list indices must be integers or slices, not str":
        found = _list_of_dicts(f)
        if found:
            name, key = found
            return (f"`{name}` is a list of dicts (one per item), and a list is indexed by position, not by {key!r}; take one "
                    f"dict first, `{name}[0][{key!r}]`, or all of them: `[d[{key!r}] for d in {name}]`.")
    if _decimal_and_float(msg):
        number = _FLOAT_LITERAL.search(line)
        shown = f"the float {number.group(1)}" if number else "a float"
        fix = f'`Decimal("{number.group(1)}")`' if number else '`Decimal(str(x))`'
        return (f"a Decimal does not mix with {shown}: floats are not exact (0.1 is really 0.1000000000000000055…), so "
                f"Python refuses to lose the Decimal's precision; write the number as a Decimal made from a string: {fix}.")
    if isinstance(exc, UnicodeDecodeError) and exc.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        bad = bytes(exc.object[exc.start:exc.start + 1]) if isinstance(exc.object, (bytes, bytearray)) else b""
        if bad and bad[0] >= 0x80:
            char = bad.decode("cp1252", errors="replace")
            return (f"the file is not UTF-8: byte 0x{bad[0]:02x} is {char!r} in Latin-1 / Windows-1252, the usual encoding of "
                    f"files saved by Excel on Windows; pass it when reading: `encoding=\"latin-1\"` (or \"cp1252\").")
    m = re.fullmatch(_FILLNA_METHOD, msg)
    if m:
        way = re.search(r"method\s*=\s*['\"](\w+)['\"]", line)
        use = _FILL_METHODS.get(way.group(1) if way else "", "ffill")
        return (f"`fillna(method=...)` was removed in pandas 3; call the filling method itself: `.{use}()` "
                f"(`.ffill()` carries the last value forward, `.bfill()` the next one back).")
    if msg == "Bin labels must be one fewer than the number of bin edges":
        counts = _cut_counts(f)
        if counts:
            edges, names, _ = counts
            off = len(names) - (len(edges) - 1)
            extra = f"{abs(off)} label{'s' if abs(off) > 1 else ''} too {'many' if off > 0 else 'few'}"
            return (f"{len(edges)} bin edges make {len(edges) - 1} bins (one between each pair of edges), but there are "
                    f"{len(names)} labels ({extra}); give exactly {len(edges) - 1} labels, one per bin.")
        return "n bin edges make n - 1 bins, so `labels` needs one fewer name than `bins` has edges; drop a label or add an edge."
    m = re.fullmatch(_SCALAR_OF_SERIES, msg)
    if m:
        return (f"`{m.group(1)}()` needs one value, but a filter or column gives a {m.group(2)} (a whole column) even when a "
                f"single row matches; take that one value with `.iloc[0]` (or `.item()`, which also checks there is exactly one).")
    if msg == "'float' object cannot be interpreted as an integer":
        lin = _linspace(line)
        if lin:
            start, stop, step, _ = lin
            a, b, s = _number(start), _number(stop), _number(step)
            count = f"{round(abs(b - a) / s) + 1}" if a is not None and b is not None and s else "how many"
            return (f"the third argument of `np.linspace(start, stop, num)` is the number of points, not the step ({step} was "
                    f"given); for a step of {step} use `np.arange({start}, {stop}, {step})`, or ask for {count} points: "
                    f"`np.linspace({start}, {stop}, {count})`.")
    if msg == "array split does not result in an equal division":
        call = re.search(r"\bsplit\(\s*([A-Za-z_]\w*)\s*,\s*(\d+)\s*\)", line)
        value = f.scope(call.group(1)) if call else MISSING
        if call and is_ndarray(value) and value.ndim >= 1:
            n, k = value.shape[0], int(call.group(2))
            return (f"`{call.group(1)}` has {n} items and {n} / {k} is not whole, so `np.split` cannot make {k} equal parts; "
                    f"`np.array_split({call.group(1)}, {k})` makes {k} parts of nearly equal size.")
        return "`np.split` needs parts of exactly equal size; `np.array_split` allows the last parts to be one shorter."
    if msg in _ARRAY_AS_SCALAR:
        found = _math_on_array(f)
        if found:
            fn, arg, shape = found
            numpy = f"np.{_NUMPY_NAME.get(fn, fn)}" if fn in _MATH_TO_NUMPY else None
            use = f"use NumPy's element-wise `{numpy}({arg})`" if numpy else f"apply it to each item: `[math.{fn}(v) for v in {arg}]`"
            return (f"`math.{fn}` works on one number at a time, and `{arg}` is a whole array (shape {shape}); {use}.")
    if msg == "either both or neither of x and y should be given":
        call = call_args_span(line, r"\bwhere\(")
        args = [a.strip() for a in line[call[0].end():call[1]].split(",")] if call else []
        example = f"`np.where({args[0]}, {args[1]}, <other value>)`" if len(args) == 2 else "`np.where(condition, x, y)`"
        return (f"`np.where(condition, x, y)` takes three arguments, the value where the condition is true and the value "
                f"otherwise (where it is false), and the else value is missing; add it: {example}.")
    return None


def corrected_round8(f: Facts) -> str | None:
    """A corrected line (or short block) for this round's messages, or None."""
    msg, line, exc = f.message, f.line, f.exc
    if _single_quoted_json(f):
        call = re.search(r"\bjson\.loads\(", line)
        return ("import ast\n" + line[:call.start()] + "ast.literal_eval(" + line[call.end():]) if call else None
    if re.fullmatch(_NUMBER_CALLED, msg):
        return sub1(_NUMBER_CALL.pattern, lambda m: f"{m.group(1)} * (", line)
    if isinstance(exc, StopIteration) and not msg:
        gen = _generator_in_next(line)
        call = call_args_span(line, r"(?<![\w.])next\(")
        if gen and call:
            return line[:call[0].end()] + f"({gen[0]}), None" + line[call[1]:]
        return None
    if isinstance(exc, KeyError) and type(exc.args[0] if exc.args else None) is str and re.match(r"""\s*["'\n]""", exc.args[0]):
        call = _format_call(f)
        found = _template_line(f, call[0]) if call else None
        if call and found:
            return _escaped_braces(found[1].strip(), call[1])
        return None
    if msg == "list indices must be integers or slices, not str":
        found = _list_of_dicts(f)
        if found:
            name, key = found
            return sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"[d[{key!r}] for d in {name}]", line)
        return None
    if _decimal_and_float(msg):
        return sub1(_FLOAT_LITERAL.pattern, lambda m: f'Decimal("{m.group(1)}")', line)
    if isinstance(exc, UnicodeDecodeError):
        call = call_args_span(line, r"\b(?:read_csv|read_table|open|loadtxt|genfromtxt)\(")
        if call and "encoding" not in line:
            return line[:call[1]] + ', encoding="latin-1"' + line[call[1]:]
        return None
    if re.fullmatch(_FILLNA_METHOD, msg):
        return sub1(r"\.fillna\(\s*method\s*=\s*['\"](\w+)['\"]\s*\)", lambda m: f".{_FILL_METHODS.get(m.group(1), 'ffill')}()", line)
    if msg == "Bin labels must be one fewer than the number of bin edges":
        counts = _cut_counts(f)
        if counts:
            edges, names, span = counts
            text = line[span[0]:span[1]].strip()
            if text.startswith("[") and len(names) > len(edges) - 1 >= 1:
                kept = "[" + ", ".join(names[:len(edges) - 1]) + "]"
                return line[:span[0]] + kept + line[span[1]:]
        return None
    m = re.fullmatch(_SCALAR_OF_SERIES, msg)
    if m:
        call = call_args_span(line, rf"(?<![\w.]){m.group(1)}\(")
        if call:
            inner = line[call[0].end():call[1]].strip()
            return line[:call[0].start()] + f"{inner}.iloc[0]" + line[call[1] + 1:]
        return None
    if msg == "'float' object cannot be interpreted as an integer":
        lin = _linspace(line)
        if lin:
            start, stop, step, (a, b) = lin
            prefix = line[a:b].split("linspace(")[0]
            return line[:a] + f"{prefix}arange({start}, {stop}, {step})" + line[b:]
        return None
    if msg == "array split does not result in an equal division":
        return sub1(r"\b(np\.|numpy\.)?split\(", lambda m: f"{m.group(1) or ''}array_split(", line)
    if msg in _ARRAY_AS_SCALAR:
        found = _math_on_array(f)
        if found and found[0] in _MATH_TO_NUMPY:
            return sub1(rf"\bmath\.{found[0]}\(", f"np.{_NUMPY_NAME.get(found[0], found[0])}(", line)
        return None
    if msg == "either both or neither of x and y should be given":
        call = call_args_span(line, r"\bwhere\(")
        if call:
            args = line[call[0].end():call[1]]
            value = re.search(r",\s*(['\"])([^'\"]*)\1\s*$", args)
            other = f'"not {value.group(2)}"' if value else "0"
            return line[:call[1]] + f", {other}" + line[call[1]:]
        return None
    return None
