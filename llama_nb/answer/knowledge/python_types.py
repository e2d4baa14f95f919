"""The broad rules for TypeError and AttributeError (each speaks beside the others): None where a value was meant,
text and a number in one operation, a builtin hidden by a variable, an attribute called, a method from another
language, a builtin function called as a method, an unhashable key, a wrong number of arguments.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

from ..facts import MAX_SCANNED_LINE, MISSING, Facts, clip, is_frame, is_ndarray, names_on_line, sub1, subscripted
from .words import an, close_matches, short_repr, type_name


#: Method names from other languages, and Python's word for them, by the type that lacks them.
SYNONYMS: dict[str, dict[str, str]] = {
    "list": {
        "push": "append",
        "add": "append",
        "length": "len(...)",
        "size": "len(...)",
        "lenght": "len(...)",
        "contains": "`x in list`",
        "indexOf": "index",
        "remove_at": "pop",
        "concat": "extend",
        "each": "a for loop",
        "find": "index",
    },
    "str": {
        "length": "len(...)",
        "size": "len(...)",
        "toUpperCase": "upper",
        "toLowerCase": "lower",
        "trim": "strip",
        "contains": "`sub in s`",
        "indexOf": "find",
        "substring": "slicing s[a:b]",
        "append": "`+` (strings are immutable)",
        "reverse": "s[::-1]",
        "charAt": "s[i]",
    },
    "dict": {"has_key": "`key in d`", "length": "len(...)", "contains": "`key in d`", "add": "d[key] = value", "append": "d[key] = value", "iteritems": "items"},
    "set": {"append": "add", "push": "add", "length": "len(...)"},
    "DataFrame": {
        "sort": "sort_values",
        "append": "pd.concat([df, other])",
        "length": "len(df)",
        "ix": "loc / iloc",
        "as_matrix": "to_numpy",
        "sort_index_by": "sort_values",
        "unique": "df[col].unique()",
        "len": "len(df)",
    },
    "Series": {
        "sort": "sort_values",
        "append": "pd.concat([s, other])",
        "length": "len(s)",
        "as_matrix": "to_numpy",
        "len": "len(s)",
        "lower": ".str.lower()",
        "upper": ".str.upper()",
        "strip": ".str.strip()",
        "split": ".str.split()",
        "replace_all": ".str.replace()",
        "contains": ".str.contains()",
    },
    "ndarray": {
        "append": "np.append(arr, values) (it returns a new array)",
        "extend": "np.concatenate([arr, values])",
        "insert": "np.insert(arr, i, value)",
        "remove": "np.delete(arr, i)",
        "push": "np.append(arr, values)",
        "length": "len(arr) or arr.size",
        "count": "np.count_nonzero(arr == value)",
        "index": "np.where(arr == value)",
        "sort_values": "np.sort(arr)",
        "pop": "arr[:-1]",
    },
}

#: Built-in functions people call as methods (``nums.sorted()``, ``xs.len()``): the fix is ``f(x)``.
_BUILTIN_FUNCS = ("sorted", "len", "sum", "max", "min", "reversed", "abs", "round", "enumerate", "zip")

#: Attributes (not methods) of arrays and frames that people call: ``a.shape(0)``.
_DATA_ATTRS = ("shape", "size", "ndim", "dtype", "dtypes", "T", "columns", "index", "values", "empty")

_IMMUTABLE_ADD = {"tuple": "tuples cannot grow: make a new one (`t = t + (x,)`) or use a list"}


def attribute_error(f: Facts) -> str | None:
    if not isinstance(f.exc, AttributeError):
        return None
    m = re.search(r"'(?:[\w.]+\.)?(\w+)' object has no attribute '(\w+)'", f.message)
    if "Can only use .str accessor with string values" in f.message:
        return "`.str` methods work only on a column of strings, and this one holds numbers: convert it first, e.g. `df[col].astype(str).str.zfill(5)`."
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
        return f"{who} is {an(tname)}; {_IMMUTABLE_ADD[tname]}."
    if attr in _BUILTIN_FUNCS and obj is not None:
        name = obj.group(1)
        return f"`{attr}` is a built-in function, not a method of {an(tname)}: write `{attr}({name})`" + (
            f" (a new sorted list; `{name}.sort()` on its own line sorts in place and returns None)." if attr == "sorted" else "."
        )
    value = f.scope(obj.group(1)) if obj else MISSING
    known = SYNONYMS.get(tname, {}) if not _look_alike(tname, value) else {}
    if attr in known:
        return f"{who} is {an(tname)}, which has no `.{attr}`; Python's way is {known[attr]}."
    if tname == "str" and attr in ("append", "remove", "insert"):
        return f"{who} is a str, and strings are immutable: build a new string instead."
    if value is not MISSING and type(value).__name__ == tname and type(type(value)) is type:
        options = [a for a in dir(type(value)) if not a.startswith("_")]
        close = close_matches(attr, options)
        if close:
            return f"{who} is {an(tname)}, which has no `.{attr}`; the similar name is `.{close[0]}`."
    return None


def _look_alike(tname: str, value: Any) -> bool:
    """Whether ``value`` is a user's object whose class only has the name of a pandas or NumPy one."""
    if value is MISSING or tname not in ("DataFrame", "Series", "ndarray"):
        return False
    return not (is_frame(value) if tname != "ndarray" else is_ndarray(value))


def _none_value(f: Facts, who: str, what: str) -> str:
    name = who.strip("`")
    # The last assignment before the failing line (``items = items.sort()`` after ``items = [3, 1, 2]``).
    before = f.cell.split(f.line, 1)[0] if f.line and f.line in f.cell else f.cell
    assigned = re.findall(rf"(?m)^[ \t]*{re.escape(name)}\s*=\s*(.+)$", before) if name.isidentifier() else []
    source = assigned[-1].strip() if assigned else ""
    inplace = re.search(r"\.(sort|reverse|append|extend|insert|shuffle|update|clear)\(", source)
    if inplace or re.search(r"\brandom\.shuffle\(", source):
        method = inplace.group(1) if inplace else "shuffle"
        return (
            f"{who} is None because `.{method}()` changes the object in place and returns None; call it on its own "
            f"line without assigning its result (or use the function that returns a new value, e.g. `sorted(...)`)."
        )
    if re.search(r"\bre\.(match|search|fullmatch)\(|\.(match|search|fullmatch)\(", source):
        return f"{who} is None because the regular expression did not match; check `if {name}:` (or `if {name} is not None:`) before using it."
    if source == "None":
        return f"{who} was set to None (`{name} = None`) and has no other value yet, so it {what}; give it a value first, or check `if {name} is not None:` before using it."
    if re.search(r"\bprint\(", source):
        return f"{who} is None because print() returns None; keep the value itself instead."
    return f"{who} is None, so it {what}: the call that produced it returned None. Check it before use."


def _numeric_text(f: Facts) -> tuple[str, str, str] | None:
    """``(name, text, "int"|"float")`` when the failing line adds a number to a str name whose text is a
    number (``x = "5"; x + 1``): the user meant arithmetic, so the repair is to convert the text."""
    if not re.search(
        r"can only concatenate str \(not \"(int|float)\"\)|for [-+*/]: '(int|float)' and 'str'|for [-/]: 'str' and '(int|float)'|can't multiply sequence by non-int of type 'float'", f.message
    ):
        return None
    for name in names_on_line(f.line):
        value = f.scope(name)
        if type(value) is not str or len(value) > MAX_SCANNED_LINE or not re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
            continue
        number = r"(\d+(\.\d+)?|[A-Za-z_]\w*)"
        if re.search(rf"(?<![\w.]){re.escape(name)}\s*[-+*/]\s*{number}\b|\b{number}\s*[-+*/]\s*{re.escape(name)}\b(?!\s*\()", f.line):
            return name, value, "float" if "." in value else "int"
    return None


def _called_data_attr(f: Facts) -> tuple[str, str, str] | None:
    """``(name, attr, type)`` when the line calls an attribute of an array or frame (``a.shape(0)``)."""
    for m in re.finditer(rf"\b([A-Za-z_]\w*)\.({'|'.join(_DATA_ATTRS)})\s*\(", f.line):
        value = f.scope(m.group(1))
        kind = type(value).__name__
        if kind in ("ndarray", "DataFrame", "Series") and type(value).__module__.split(".")[0] in ("numpy", "pandas"):
            return m.group(1), m.group(2), kind
    return None


def type_error(f: Facts) -> str | None:
    if not isinstance(f.exc, TypeError):
        return None
    msg = f.message
    m = re.search(r"unsupported operand type\(s\) for (\S+): '(\w+)' and '(\w+)'", msg)
    if m and "NoneType" in (m.group(2), m.group(3)):
        nones = [n for n in names_on_line(f.line) if f.scope(n) is None]
        who = f"`{nones[0]}`" if nones else "a value"
        return _none_value(f, who, f"cannot be used with `{m.group(1)}`")
    numeric_text = _numeric_text(f)
    if numeric_text is not None:
        name, value, conv = numeric_text
        return f"`{name}` holds the text {clip(short_repr(value))} (a str), not a number, so Python will not do arithmetic with it; convert it first: `{conv}({name})`."
    if (
        "can only concatenate str" in msg
        or re.search(r"unsupported operand type\(s\) for \+: '(int|float)' and 'str'", msg)
        or re.search(r"unsupported operand type\(s\) for \+: 'str' and '(int|float)'", msg)
    ):
        m = re.search(r"\bsum\(\s*([A-Za-z_]\w*)\s*\)", f.line)
        if m:
            return f"sum() adds numbers but `{m.group(1)}` holds strings: convert them first, e.g. `sum(int(x) for x in {m.group(1)})` (or float)."
        nums = [n for n in names_on_line(f.line) if type(f.scope(n)) in (int, float)]
        texts = [n for n in names_on_line(f.line) if type(f.scope(n)) is str]
        if nums:
            return f"`{nums[0]}` is {an(type_name(f.scope(nums[0])))} and `+` cannot join it to text (a str); wrap it in `str({nums[0]})` (or use an f-string) to join text."
        if texts:
            return f"`{texts[0]}` is a str and `+` cannot add a number to it; convert it with `int({texts[0]})` or `float({texts[0]})` to do arithmetic, or the number with `str(...)` to join text."
        return "text and a number are added with `+`: wrap the number in `str(...)` (or use an f-string) to join text, or convert the text with `int()`/`float()` to do arithmetic."
    if "can't multiply sequence by non-int of type" in msg:
        texts = [n for n in names_on_line(f.line) if type(f.scope(n)) in (str, list, tuple)]
        if len(texts) >= 2:
            return f"`{texts[0]}` and `{texts[1]}` are both {type_name(f.scope(texts[0]))}s, not numbers, so they cannot be multiplied; convert them with `int()` or `float()` first."
        return "both operands are sequences (text): convert the text to numbers with `int()` or `float()` before multiplying."
    m = re.search(r"object of type '(\w+)' has no len\(\)", msg)
    if m:
        arg = re.search(r"\blen\(\s*(\w+)\s*\)", f.line)
        if m.group(1) in ("int", "float"):
            who = f"`{arg.group(1)}` is {an(m.group(1))}, a number, which" if arg else f"{an(m.group(1))} (a number)"
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
            return f"`{name}.{attr}` is an attribute ({an(m.group(1))}), not a method, so it cannot be called with `(...)`; drop the parentheses" + (
                f" and index it: `{name}.{attr}[0]`." if m.group(1) == "tuple" else "."
            )
        for name in names_on_line(f.line):
            if hasattr(builtins, name) and f.scope(name) is not MISSING and f.scope(name) is not getattr(builtins, name):
                return (
                    f"the name `{name}` was given a value earlier ({type_name(f.scope(name))}), which hides the built-in function "
                    f"`{name}()`; rename that variable (e.g. `total`) and run `del {name}` to get the built-in back."
                )
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
        names = subscripted(f.line) or [n for n in names_on_line(f.line) if f.scope(n) is None]
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
    if "first argument must be an iterable of pandas objects" in msg or (re.search(r"concat\(\) takes \d+ positional argument", msg) and "concat(" in f.line):
        return "pd.concat takes ONE argument, a list of frames: `pd.concat([a, b])`, not `pd.concat(a, b)`."
    m = re.search(r"Cannot interpret '(.+?)' as a data type", msg)
    if m and re.search(r"np\.(zeros|ones|empty|full)\(", f.line):
        return "the shape is one argument, a tuple: `np.zeros((3, 4))`; the second positional argument is the dtype."
    if re.search(
        r"Cannot perform reduction '\w+' with (string|object) dtype|Could not convert .* to numeric|agg function failed \[how->\w+,dtype->object\]|unsupported operand type\(s\) for [+/]: 'str'", msg
    ):
        return "the column holds strings (dtype object), not numbers: convert it first with `pd.to_numeric(df[col])` or `df[col].astype(float)`."
    return None


def attribute_error_corrected(f: Facts) -> str | None:
    """The corrected line for an AttributeError."""
    msg, line = f.message, f.line
    m = re.search(r"'(?:[\w.]+\.)?(\w+)' object has no attribute '(\w+)'", msg)
    if "Can only use .str accessor" in msg:
        return sub1(r"\.str\.", ".astype(str).str.", line)
    if not m:
        return None
    tname, attr = m.group(1), m.group(2)
    if tname == "ndarray" and attr in ("append", "push"):
        return sub1(rf"^(\s*)(\w+)\.{attr}\((.+)\)\s*$", r"\1\2 = np.append(\2, \3)", line)
    if tname == "tuple" and attr in ("append", "add", "push"):
        return sub1(rf"^(\s*)(\w+)\.{attr}\((.+)\)\s*$", r"\1\2 = \2 + (\3,)", line)
    if tname == "dict":
        return sub1(rf"\b(\w+)\.{attr}\b(?!\s*\()", rf"\1['{attr}']", line)
    if attr in _BUILTIN_FUNCS:
        return sub1(rf"\b([A-Za-z_][\w.]*)\.{attr}\(\s*([^()]*?)\s*\)", lambda c: f"{attr}({c.group(1)}{', ' + c.group(2) if c.group(2) else ''})", line)
    obj = re.search(rf"\b([A-Za-z_]\w*)\s*\.\s*{re.escape(attr)}\b", line)
    python = SYNONYMS.get(tname, {}).get(attr, "") if not (obj and _look_alike(tname, f.scope(obj.group(1)))) else ""
    if python.isidentifier():
        return sub1(rf"\.{attr}\b", f".{python}", line)
    if tname == "NoneType" and re.search(r"\bre\.(match|search|fullmatch)\(", f.cell):
        obj = re.search(rf"\b(\w+)\s*\.\s*{attr}\b", line)
        if obj:
            return f"if {obj.group(1)}:\n    {line.strip()}"
    return None


def type_error_corrected(f: Facts) -> str | None:
    """The corrected line for a TypeError."""
    msg, line = f.message, f.line
    if re.search(r"object of type '(int|float)' has no len\(\)", msg):
        return sub1(r"\blen\((\w+)\)", r"len(str(\1))", line)
    if "is not iterable" in msg:
        return sub1(r"\bin\s+len\(([^()]+)\)", r"in range(len(\1))", line)
    numeric_text = _numeric_text(f)
    if numeric_text is not None:
        name, _, conv = numeric_text
        return sub1(rf"(?<![\w.]){re.escape(name)}\b(?!\s*\()", f"{conv}({name})", line)
    if re.search(r"'tuple' object is not callable", msg) and _called_data_attr(f) is not None:
        name, attr, _ = _called_data_attr(f) or ("", "", "")
        return sub1(rf"\b{re.escape(name)}\.{attr}\s*\(\s*([^()]*?)\s*\)", lambda c: f"{name}.{attr}[{c.group(1)}]" if c.group(1) else f"{name}.{attr}", line)
    if "can only concatenate str" in msg or re.search(r"for \+: '(int|float)' and 'str'|for \+: 'str' and '(int|float)'", msg):
        m = re.search(r"\bsum\(\s*(\w+)\s*\)", line)
        if m:
            return line.replace(m.group(0), f"sum(int(x) for x in {m.group(1)})", 1)
        for name in names_on_line(line):
            if type(f.scope(name)) in (int, float) and re.search(rf"(['\"][^'\"]*['\"]\s*\+\s*{name}\b|\b{name}\s*\+\s*['\"])", line):
                return sub1(rf"(?<![\w.(]){name}\b(?!\s*\()", f"str({name})", line)
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
        for name in subscripted(line):
            m = re.search(rf"(?m)^([ \t]*){name}\s*=\s*{name}\.(sort|reverse|shuffle)\((.*)\)\s*$", f.cell)
            if m:
                return f"{m.group(1)}{name}.{m.group(2)}({m.group(3)})"
        return None
    if re.search(r"unhashable type: 'list'", msg):
        return sub1(r"\[\[([^\[\]]*)\]\]", r"[(\1)]", line)
    if "first argument must be an iterable of pandas objects" in msg or re.search(r"concat\(\) takes \d+ positional", msg):
        return sub1(r"\bconcat\(\s*([\w.]+)\s*,\s*([\w.]+)\s*([,)])", r"concat([\1, \2]\3", line)
    if re.search(r"Cannot interpret '.+?' as a data type", msg):
        return sub1(r"\bnp\.(zeros|ones|empty)\(\s*(\w+)\s*,\s*(\w+)\s*\)", r"np.\1((\2, \3))", line)
    if re.search(r"Cannot perform reduction '\w+' with (string|object) dtype|agg function failed", msg):
        return sub1(r"\.(mean|sum|median|std|var|min|max)\(", r".astype(float).\1(", line)
    m = re.search(r"'(\w+)' object is not callable", msg)
    if m:
        return None
    return None
