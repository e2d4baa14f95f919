"""The broad rules for ValueError, ZeroDivisionError and RecursionError (each speaks beside the others): JSON that is
empty or not JSON, ``math`` outside its domain, text that ``int()``/``float()`` cannot read, the truth value of a
Series or an array, shapes that do not match, unpacking, ``list.remove`` of a missing item, dividing by an empty
``len``, and recursion without a base case.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ..facts import MISSING, Facts, call_arguments, pick_call, sub1
from .words import NA_MARKERS, shown_keys


def value_error(f: Facts) -> str | None:
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
                return f"`math.{func}` needs a number greater than 0, but {shown}: {why}; check `if x > 0:` before the call (for data with zeros, `math.log1p(x)` is log(1 + x))."
            if func == "sqrt" and value is not None and value < 0:
                return f"`math.sqrt` needs a number of at least 0, but {shown}; check `if x >= 0:` first, take `abs(x)` if the sign does not matter, or use `cmath.sqrt` for a complex result."
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
        if text.strip().lower() in NA_MARKERS:
            return f"{text!r} marks a missing value, and it is not a number; turn it into NaN first, e.g. `pd.to_numeric(x, errors='coerce')` or `np.where(arr == {text!r}, 'nan', arr).astype(float)`."
        return f"{text!r} is not a number; clean the text (strip units, spaces, thousands separators) before float()."
    if "truth value of a Series is ambiguous" in msg or "truth value of a DataFrame is ambiguous" in msg or "truth value of an array with more than one element is ambiguous" in msg:
        if re.search(r"\s(and|or)\s", f.line) or re.match(r"\s*not\s", f.line):
            return "`and`/`or`/`not` need one True/False, but each comparison gives one per row; combine row-wise conditions with `&`, `|`, `~`, each in parentheses: `(a > 1) & (b < 5)`."
        return "a comparison on a Series gives one True/False per row, so `if` cannot decide; use `.any()` or `.all()` for one answer, or filter rows with `df[condition]`."
    m = re.search(r"matmul: Input operand 1 has a mismatch in its core dimension 0.*\(size (\d+) is different from (\d+)\)", msg, re.S)
    if m:
        return (
            f"for `a @ b` the number of columns of the left matrix ({m.group(2)}) must equal the number of rows of the right one ({m.group(1)}); "
            f"transpose one of them (e.g. `b.T`), or use `*` for element-wise multiplication."
        )
    m = re.search(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned", msg)
    if m:
        return f"np.dot needs the inner dimensions to match, but the shapes are ({m.group(1)}) and ({m.group(2)}); transpose one (`.T`) or reshape."
    m = re.search(r"operands could not be broadcast together with shapes (\S+) (\S+)", msg)
    if m:
        return (
            f"element-wise operations need arrays of the same shape (or broadcastable ones), but they are {m.group(1)} and {m.group(2)}; "
            f"make the lengths match (slice the longer one, or give the shorter one the missing values)."
        )
    m = re.search(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)", msg)
    if m:
        size = int(m.group(1))
        dims = [int(d) for d in m.group(2).replace(" ", "").split(",") if d]
        prod = 1
        for d in dims:
            prod *= d
        example = f"e.g. `reshape(-1, {dims[-1]})`; " if dims and dims[-1] and size % dims[-1] == 0 else ""
        return f"the array has {size} elements but shape ({m.group(2)}) needs {prod}; choose a shape whose product is {size} ({example} using -1 for one dimension lets numpy compute it)."
    m = re.search(r"Length of values \((\d+)\) does not match length of index \((\d+)\)", msg)
    if m:
        return f"the new column has {m.group(1)} values but the DataFrame has {m.group(2)} rows; give exactly one value per row."
    m = re.search(r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", msg)
    if m:
        return _unpack(f, m.group(1), int(m.group(2)), m.group(3))
    m = re.search(r"^list\.(remove)\(x\): x not in list$|^(.+) is not in list$", msg)
    if m:
        used = re.search(r"\b([A-Za-z_]\w*)\.(remove|index)\((.+)\)", f.line)
        if used:
            name, method, arg = used.groups()
            value = f.scope(name)
            items = f" (its items: {shown_keys(list(value))})" if type(value) is list and len(value) <= 50 else ""
            return f"`{name}` has no item equal to `{arg}`{items}, and `.{method}()` raises ValueError when the value is missing; check `if {arg} in {name}:` first."
    return None


def _math_call(f: Facts) -> tuple[str, str, float | None] | None:
    """``(function, argument text, its value)`` for the ``math.f(x)`` call on the failing line; the value
    is read from a literal or a plain name holding a number, never evaluated."""
    m = re.search(r"\bmath\.(\w+)\(\s*([^(),]+?)\s*\)", f.line)
    if not m:
        return None
    arg = m.group(2)
    value: Any = MISSING
    try:
        value = ast.literal_eval(arg)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        if arg.isidentifier():
            value = f.scope(arg)
    number = float(value) if type(value) in (int, float) else None
    return m.group(1), arg, number


def _unpack(f: Facts, which: str, expected: int, got: str | None) -> str:
    loop = re.search(r"^\s*for\s+(.+?)\s+in\s+([A-Za-z_]\w*)\s*:", f.line)
    assign = re.search(r"^\s*([\w\s,*()]+?)\s*=\s*([A-Za-z_]\w*)\s*$", f.line)
    if loop:
        value = f.scope(loop.group(2))
        if type(value) is dict:
            return f"looping over the dict `{loop.group(2)}` gives only its keys, one value each, so `{loop.group(1)}` cannot be filled; loop over `{loop.group(2)}.items()` to get each key and value."
        return f"each item of `{loop.group(2)}` has {'more' if which == 'too many' else 'fewer'} than the {expected} values named in `for {loop.group(1)}`; name as many as each item has."
    if assign:
        name = assign.group(2)
        value = f.scope(name)
        n = len(value) if type(value) in (list, tuple, str) else (int(got) if got else None)
        has = f"`{name}` has {n} items" if n is not None else f"`{name}` has {which.replace('too many', 'more').replace('not enough', 'fewer')} items"
        if which == "too many":
            return (
                f"{has} but there are {expected} names on the left of `=`; write one name per item, take only the first "
                f"{expected} with `{name}[:{expected}]`, or collect the rest with a starred name (`*rest`)."
            )
        return f"{has} but there are {expected} names on the left of `=`: there must be one name per item."
    return f"the number of names on the left ({expected}) must equal the number of items on the right."


def zero_division(f: Facts) -> str | None:
    if not isinstance(f.exc, ZeroDivisionError):
        return None
    for name in re.findall(r"len\(\s*([A-Za-z_]\w*)\s*\)", f.line):
        value = f.scope(name)
        if value is not MISSING and type(value) in (list, tuple, dict, str, set) and len(value) == 0:
            return f"`{name}` is empty, so `len({name})` is 0 and the division has no result; check `if {name}:` before dividing."
    return "the divisor is 0 here; check it before dividing."


def recursion(f: Facts) -> str | None:
    if not isinstance(f.exc, RecursionError):
        return None
    funcs = []
    try:
        for node in ast.walk(ast.parse(f.cell)):
            if isinstance(node, ast.FunctionDef):
                calls_self = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == node.name for n in ast.walk(node))
                has_if = any(isinstance(n, (ast.If, ast.IfExp)) for n in ast.walk(node))
                if calls_self and not has_if:
                    funcs.append(node)
    except (SyntaxError, ValueError, RecursionError):
        pass
    if funcs:
        fn = funcs[0]
        arg = fn.args.args[0].arg if fn.args.args else "n"
        return f"`{fn.name}()` calls itself but has no base case, so it never stops; add one before the recursive call, e.g. `if {arg} <= 1: return 1`."
    return "the function calls itself too many times: check that its base case is reached (the condition that returns without recursing)."


def _wrap_boolop(line: str) -> str | None:
    """``a > 1 and b < 5`` → ``(a > 1) & (b < 5)`` inside the line (pandas/numpy element-wise logic)."""
    m = re.search(r"\[(?P<l>[^\[\]]*?(?:\[[^\[\]]*\][^\[\]]*?)*?)\s+(?P<op>and|or)\s+(?P<r>[^\[\]]*?(?:\[[^\[\]]*\][^\[\]]*?)*)\]", line)
    if m:
        sym = "&" if m["op"] == "and" else "|"
        return line[: m.start()] + f"[({m['l'].strip()}) {sym} ({m['r'].strip()})]" + line[m.end() :]
    m = re.match(r"(?P<i>\s*(?:if|while|elif)\s+)(?P<l>.+?)\s+(?P<op>and|or)\s+(?P<r>.+?)(?P<c>\s*:\s*)$", line)
    if m:
        sym = "&" if m["op"] == "and" else "|"
        return f"{m['i']}(({m['l']}) {sym} ({m['r']})).any(){m['c']}"
    return None


def value_error_corrected(f: Facts) -> str | None:
    """The corrected line for a ValueError."""
    exc, msg, line = f.exc, f.message, f.line
    if msg == "math domain error":
        call = _math_call(f)
        if call is not None and call[0] == "sqrt" and call[2] is not None and call[2] < 0:
            return sub1(r"\bmath\.sqrt\(", "cmath.sqrt(", line)
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
        removal = re.match(r"^(\s*)([A-Za-z_][\w.]*)\.remove\((.+)\)\s*$", line)
        if removal:
            return f"{removal.group(1)}if {removal.group(3)} in {removal.group(2)}:\n{removal.group(1)}    {removal.group(2)}.remove({removal.group(3)})"
        return None
    m = re.search(r"invalid literal for int\(\) with base 10: '(\s*-?\d+\.\d*\s*)'", msg)
    if m:
        if len(call_arguments(line, "int")) > 1:  # ``int(a) + int(b)``: the one that holds the text
            span = pick_call(f, call_arguments(line, "int"), m.group(1), None)
            return f"{line[: span[0]]}float({line[span[0] : span[1]]}){line[span[1] :]}" if span else None
        return sub1(r"\bint\((.+?)\)(?=[^()]*$)", r"int(float(\1))", line)
    m = re.search(r"could not convert string to float: '(\s*-?[\d.]*\d,\d+\s*)'", msg)
    if m:
        if len(call_arguments(line, "float")) > 1:  # ``float(a) + float(b)``: the one that holds the text
            span = pick_call(f, call_arguments(line, "float"), m.group(1), None)
            return f"{line[: span[1]]}.replace(',', '.'){line[span[1] :]}" if span else None
        return sub1(r"\bfloat\((.+?)\)(?=[^()]*$)", lambda m: f"float({m.group(1)}.replace(',', '.'))", line)
    if "truth value of a Series is ambiguous" in msg or "truth value of a DataFrame is ambiguous" in msg:
        if re.search(r"\s(and|or)\s", line):
            return _wrap_boolop(line)
        return sub1(r"^(\s*(?:if|while|elif)\s+)(.+?)(\s*:\s*)$", r"\1(\2).any()\3", line)
    if re.search(r"matmul: Input operand 1 has a mismatch", msg):
        return sub1(r"(\w+)\s*@\s*(\w+)\b(?!\.T)", r"\1 @ \2.T", line)
    m = re.search(r"cannot reshape array of size (\d+) into shape \(([\d, ]+)\)", msg)
    if m:
        dims = [int(d) for d in m.group(2).replace(" ", "").split(",") if d]
        size = int(m.group(1))
        if len(dims) == 2 and dims[1] and size % dims[1] == 0:
            return sub1(r"\.reshape\(\s*\d+\s*,\s*(\d+)\s*\)", r".reshape(-1, \1)", line)
        return None
    if type(exc).__name__ == "JSONDecodeError" and not str(getattr(exc, "doc", "x")).strip():
        m = re.match(r"^(\s*)(\w+)\s*=\s*(json\.loads\((\w+)\))\s*$", line)
        if m:
            return f"{m.group(1)}{m.group(2)} = {m.group(3)} if {m.group(4)}.strip() else None"
    return None


def zero_division_corrected(f: Facts) -> str | None:
    """The corrected line for a ZeroDivisionError."""
    line = f.line
    m = re.match(r"^(\s*)(\w+)\s*=\s*(.+/\s*len\((\w+)\))\s*$", line)
    if m and type(f.scope(m.group(4))) in (list, tuple, dict, str, set) and not f.scope(m.group(4)):
        return f"{m.group(1)}{m.group(2)} = {m.group(3)} if {m.group(4)} else 0"
    return None
