"""What Python's messages about lists, dicts, sets and tuples mean: arithmetic on a list, dicts added, Python 2's
dict methods, ``pop`` of an empty list, a list of dicts indexed by a key, ``dict`` of two lists, sorting mixed types,
a set or a dict view indexed, ``d.get`` of a missing key, and an index one past the end.
"""

from __future__ import annotations

import re

from ..facts import NAME, Facts, call_args_span, clip, dict_keys, names_on_line, sub1, subscripted
from . import said
from .words import close_matches, shown_keys


#: Messages about containers that say everything the hint needs (:mod:`.said`).
SAID = said.table(
    (
        r"'dict_(keys|values|items)' object is not subscriptable",
        "`.{1}()` gives a view of the dict, not a list, so it has no positions; make a list first (`list(d.{1}())[0]`), or `next(iter(d))` for the first key.",
    ),
)

_PY2_DICT = {"iteritems": "items", "iterkeys": "keys", "itervalues": "values", "viewitems": "items", "viewkeys": "keys", "viewvalues": "values"}

_BRACKETS = {")": "(", "]": "[", "}": "{"}

#: Message patterns written once for the hint and its corrected line.
_SEQ_TIMES = r"can't multiply sequence by non-int of type '([\w.]+)'"

_DICT_PLUS_MSG = r"unsupported operand type\(s\) for \+=?: 'dict' and 'dict'"

_PY2_ATTR = (
    r"'(dict|Series|DataFrame)' object has no attribute "
    r"'(iteritems|iterkeys|itervalues|viewitems|viewkeys|viewvalues|has_key)'"
)

_POP = rf"\b({NAME})\.pop\([^()]*\)"

_DICT_PLUS = rf"\b({NAME})\s*(\+=?)\s*({NAME}\b|\{{[^{{}}\n]*\}})"


def _numeric_sequence(value: object) -> bool:
    return type(value) in (list, tuple) and bool(value) and all(type(v) in (int, float) for v in value[:50])  # type: ignore[index]


def sequence_times_float(f: Facts) -> str | None:
    """A list of numbers multiplied by a float (``*`` repeats a list; it does no arithmetic)."""
    msg, line = f.message, f.line
    m = re.fullmatch(_SEQ_TIMES, msg)
    if m:
        for name in re.findall(rf"(?<![\w.])({NAME})\s*\*|\*\s*({NAME})(?![\w.(\[])", line):
            name = name[0] or name[1]
            value = f.scope(name)
            if _numeric_sequence(value):
                kind = type(value).__name__
                return (
                    f"`{name}` is a {kind}, and `*` on a {kind} repeats it (`[1, 2] * 2` is `[1, 2, 1, 2]`): a {kind} does "
                    f"no element-wise arithmetic, so it cannot be multiplied by a {m.group(1)}; multiply each item instead, "
                    f"or make it a NumPy array."
                )
    return None


def sequence_times_float_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`sequence_times_float`."""
    msg, line = f.message, f.line
    if re.fullmatch(_SEQ_TIMES, msg):
        for m in re.finditer(rf"(?<![\w.])({NAME})\s*\*\s*([\w.]+)|([\w.]+)\s*\*\s*({NAME})(?![\w.(\[])", line):
            name, other = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if _numeric_sequence(f.scope(name)) and not _numeric_sequence(f.scope(other)):
                return line[: m.start()] + f"[x * {other} for x in {name}]" + line[m.end() :]
    return None


def dicts_added(f: Facts) -> str | None:
    """Two dicts added with ``+``."""
    msg, line = f.message, f.line
    if re.fullmatch(_DICT_PLUS_MSG, msg):
        m = re.search(_DICT_PLUS, line)
        a, b = (m.group(1), clip(m.group(3), 30)) if m else ("a", "b")
        return f"dicts are not added with `+`: merge them with `{a} | {b}` (Python 3.9+; a key in both takes {b}'s value), or `{{**{a}, **{b}}}`; `{a}.update({b})` changes {a} in place."
    return None


def dicts_added_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`dicts_added`."""
    msg, line = f.message, f.line
    if re.fullmatch(_DICT_PLUS_MSG, msg):
        return sub1(_DICT_PLUS, lambda m: f"{m.group(1)} {'|=' if m.group(2) == '+=' else '|'} {m.group(3)}", line)
    return None


def python2_dict_methods(f: Facts) -> str | None:
    """``.iteritems()``, ``.has_key()`` and the other methods Python 3 (and pandas 2) removed."""
    msg = f.message
    m = re.fullmatch(_PY2_ATTR, msg)
    if m:
        kind, attr = m.groups()
        if kind != "dict":
            return f"`.{attr}()` was removed in pandas 2.0 (it was an old name of `.items()`); write `.items()`."
        if attr == "has_key":
            return "`.has_key()` is Python 2: Python 3 removed it; test a key with `in`: `key in d`."
        return f"`.{attr}()` is Python 2: Python 3 removed it (its `.{_PY2_DICT[attr]}()` already gives them lazily); write `.{_PY2_DICT[attr]}()`."
    return None


def python2_dict_methods_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`python2_dict_methods`."""
    msg, line = f.message, f.line
    m = re.fullmatch(_PY2_ATTR, msg)
    if m:
        if m.group(2) == "has_key":
            return sub1(rf"\b({NAME})\.has_key\(\s*([^()]+?)\s*\)", lambda k: f"{k.group(2)} in {k.group(1)}", line)
        new = "items" if m.group(1) != "dict" else _PY2_DICT[m.group(2)]
        return sub1(rf"\.{m.group(2)}\(", f".{new}(", line)
    return None


def _closing_bracket(f: Facts, name: str) -> tuple[str, str] | None:
    """``(closing, opening)`` when the cell pushes onto ``name`` and compares a character with a closing bracket."""
    if not re.search(rf"\b{re.escape(name)}\.append\(", f.cell):
        return None
    m = re.search(r"==\s*(['\"])([)\]}])\1", f.cell)
    return (m.group(2), _BRACKETS[m.group(2)]) if m else None


def pop_from_empty(f: Facts) -> str | None:
    """``.pop()`` of an empty list (a stack meeting an unmatched closing bracket)."""
    msg, line = f.message, f.line
    if msg == "pop from empty list":
        m = re.search(_POP, line)
        if m:
            name = m.group(1)
            pair = _closing_bracket(f, name)
            if pair:
                return (
                    f"`{name}` is empty when `.pop()` runs: the text has a closing '{pair[0]}' with no '{pair[1]}' left "
                    f"open before it (more closing than opening brackets); so it is unbalanced: return False there "
                    f"instead of popping."
                )
            return f"`{name}` is empty when `.pop()` runs, so there is nothing to take off; check it first: `if {name}:`."
    return None


def pop_from_empty_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`pop_from_empty`."""
    msg, line = f.message, f.line
    if msg == "pop from empty list":
        m = re.search(_POP, line)
        if m and _closing_bracket(f, m.group(1)) and re.search(r"(?m)^\s*def\s", f.cell):
            return f"if not {m.group(1)}:\n    return False\n{line}"
    return None


def _list_of_dicts(f: Facts) -> tuple[str, str] | None:
    """``(name, key)`` for ``people["name"]`` where ``people`` is a list of dicts."""
    for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\[\s*(['\"])([^'\"\n]+)\2\s*\]", f.line):
        value = f.scope(m.group(1))
        if type(value) is list and value and all(type(v) is dict for v in value[:20]):
            return m.group(1), m.group(3)
    return None


def list_of_dicts(f: Facts) -> str | None:
    """A list of dicts indexed by a key."""
    msg = f.message
    if msg == "list indices must be integers or slices, not str":
        found = _list_of_dicts(f)
        if found:
            name, key = found
            return (
                f"`{name}` is a list of dicts (one per item), and a list is indexed by position, not by {key!r}; take one "
                f"dict first, `{name}[0][{key!r}]`, or all of them: `[d[{key!r}] for d in {name}]`."
            )
    return None


def list_of_dicts_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`list_of_dicts`."""
    msg, line = f.message, f.line
    if msg == "list indices must be integers or slices, not str":
        found = _list_of_dicts(f)
        if found:
            name, key = found
            return sub1(rf"\b{re.escape(name)}\s*\[\s*(['\"]){re.escape(key)}\1\s*\]", f"[d[{key!r}] for d in {name}]", line)
    return None


def dict_of_two_lists(f: Facts) -> str | None:
    """``dict(keys, values)``: two lists where ``dict`` takes one iterable of pairs."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"dict expected at most 1 argument, got (\d+)", msg)
    if m:
        span = call_args_span(line, r"(?<![\w.])dict\(")
        args = [a.strip() for a in line[span[0].end() : span[1]].split(",")] if span else []
        if len(args) == 2 and all(re.fullmatch(r"[\w.]+", a) for a in args):
            return f"`dict()` takes ONE argument, an iterable of (key, value) pairs, not {m.group(1)} separate lists; pair the keys with the values using zip: `dict(zip({args[0]}, {args[1]}))`."
        return "`dict()` takes ONE argument (an iterable of (key, value) pairs or a mapping); to pair a list of keys with a list of values use zip: `dict(zip(keys, values))`."
    return None


def dict_of_two_lists_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`dict_of_two_lists`."""
    msg, line = f.message, f.line
    if re.fullmatch(r"dict expected at most 1 argument, got 2", msg):
        span = call_args_span(line, r"(?<![\w.])dict\(")
        args = line[span[0].end() : span[1]] if span else ""
        if span and len(args.split(",")) == 2 and all(re.fullmatch(r"\s*[\w.]+\s*", a) for a in args.split(",")):
            a, b = (x.strip() for x in args.split(","))
            return line[: span[0].end()] + f"zip({a}, {b})" + line[span[1] :]
    return None


def sorting_mixed(f: Facts) -> str | None:
    """Sorting (ordering) values that mix text and numbers."""
    msg, line = f.message, f.line
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", msg)
    if m and {m.group(2), m.group(3)} <= {"str", "int", "float"} and m.group(2) != m.group(3):
        mixed = [n for n in names_on_line(line) if type(f.scope(n)) in (list, tuple) and {type(x).__name__ for x in f.scope(n)[:1000]} >= {"str"} and len({type(x) for x in f.scope(n)[:1000]}) > 1]
        who = f"`{mixed[0]}` mixes text and numbers" if mixed else "the values mix text (str) and numbers"
        return f"{who}, and Python cannot order a str against an int; convert them to one type first, e.g. `sorted({mixed[0] if mixed else 'xs'}, key=int)` when the text holds numbers."
    return None


def sorting_mixed_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`sorting_mixed`."""
    msg, line = f.message, f.line
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", msg)
    if m and {m.group(2), m.group(3)} <= {"str", "int", "float"}:
        call = re.search(r"\bsorted\(\s*([A-Za-z_]\w*)\s*\)|\b([A-Za-z_]\w*)\.sort\(\s*\)", line)
        if call:
            name = call.group(1) or call.group(2)
            value = f.scope(name)
            numeric = type(value) in (list, tuple) and all(type(x) in (int, float) or (type(x) is str and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", x)) for x in value[:1000])
            key = ("float" if any(type(x) is float or (type(x) is str and "." in x) for x in value[:1000]) else "int") if numeric else "str"
            return line.replace(call.group(0), f"sorted({name}, key={key})" if call.group(1) else f"{name}.sort(key={key})", 1)
    return None


def set_subscript(f: Facts) -> str | None:
    """A set indexed by position."""
    msg, line = f.message, f.line
    if msg == "'set' object is not subscriptable":
        names = subscripted(line)
        who = f"`{names[0]}`" if names else "a set"
        return (
            f"{who} is a set: a set has no order, so it has no positions to index; make a list first (`list({names[0] if names else 's'})[0]`, or `sorted(...)` for a stable order), or loop over it."
        )
    return None


def set_subscript_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`set_subscript`."""
    msg, line = f.message, f.line
    if msg == "'set' object is not subscriptable":
        names = subscripted(line)
        if names and type(f.scope(names[0])) in (set, frozenset):
            return sub1(rf"\b{re.escape(names[0])}\s*\[", f"list({names[0]})[", line)
    return None


def none_from_get(f: Facts) -> str | None:
    """``d.get(key).x`` where ``d`` has no such key."""
    msg, line = f.message, f.line
    m = re.search(r"'NoneType' object has no attribute '(\w+)'", msg)
    if m:
        got = re.search(rf"\b([A-Za-z_]\w*)\.get\(\s*(['\"])(.+?)\2\s*\)\s*\.\s*{m.group(1)}\b", line)
        if got:
            name, key = got.group(1), got.group(3)
            value = f.scope(name)
            keys = [k for k in dict_keys(value) if type(k) is str] if type(value) is dict else []
            close = close_matches(key, keys)
            has = f"; it has {close[0]!r} (keys are case-sensitive)" if close else (f"; its keys: {shown_keys(keys)}" if keys else "")
            return f"`{name}.get({key!r})` returned None because `{name}` has no key {key!r}{has}, and None has no `.{m.group(1)}`; use the right key, or a default: `{name}.get({key!r}, '')`."
    return None


def none_from_get_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`none_from_get`."""
    msg, line = f.message, f.line
    m = re.search(r"'NoneType' object has no attribute '(\w+)'", msg)
    if m:
        got = re.search(r"\b([A-Za-z_]\w*)\.get\(\s*(['\"])(.+?)\2\s*\)", line)
        if got:
            value = f.scope(got.group(1))
            keys = [k for k in dict_keys(value) if type(k) is str] if type(value) is dict else []
            close = close_matches(got.group(3), keys)
            if close:
                return line.replace(got.group(0), f"{got.group(1)}.get({got.group(2)}{close[0]}{got.group(2)})", 1)
    return None


def index_len_minus(f: Facts) -> str | None:
    """``xs[len(xs) - i]``, one past the end when ``i`` is 0."""
    msg, line = f.message, f.line
    if re.search(r"(string|list|tuple) index out of range", msg):
        m = re.search(r"\b([A-Za-z_]\w*)\s*\[\s*len\(\s*\1\s*\)\s*-\s*([A-Za-z_]\w*)\s*\]", line)
        if m:
            return (
                f"when `{m.group(2)}` is 0, `{m.group(1)}[len({m.group(1)}) - {m.group(2)}]` is `{m.group(1)}[len({m.group(1)})]`, one past "
                f"the end (the last index is len({m.group(1)}) - 1); use `{m.group(1)}[len({m.group(1)}) - 1 - {m.group(2)}]` or `{m.group(1)}[-1 - {m.group(2)}]`."
            )
    return None


def index_len_minus_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`index_len_minus`."""
    msg, line = f.message, f.line
    if re.search(r"(string|list|tuple) index out of range", msg):
        return sub1(r"\b([A-Za-z_]\w*)\s*\[\s*len\(\s*\1\s*\)\s*-\s*([A-Za-z_]\w*)\s*\]", r"\1[len(\1) - 1 - \2]", line)
    return None


def dict_view_index_corrected(f: Facts) -> str | None:
    """``list(d.keys())[i]`` for ``d.keys()[i]``."""
    msg, line = f.message, f.line
    m = re.search(r"'dict_(keys|values|items)' object is not subscriptable", msg)
    if m:
        return sub1(rf"\b([A-Za-z_][\w.]*\.{m.group(1)}\(\s*\))\s*\[", r"list(\1)[", line)
    return None
