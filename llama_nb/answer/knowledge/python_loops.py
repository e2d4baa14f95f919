"""What Python's messages about looping and unpacking mean: a loop over a dict's keys indexed like records, a dict
changed while a loop goes over it, ``next`` of a generator that finds nothing, unpacking into more or fewer names
than there are values, and ``for a, b in xs`` over single values.
"""

from __future__ import annotations

import ast
import re

from ..facts import MISSING, NAME, Facts, call_args_span, clip, function_def, sub1


def _loop_over_dict(f: Facts) -> tuple[str, str, str | None] | None:
    """``(loop variable, dict name, key holding the records)`` for ``for v in d:`` where ``v[...]`` fails."""
    for m in re.finditer(rf"\b({NAME})\s*\[\s*['\"]", f.line):
        loop = re.search(rf"(?m)^\s*for\s+{m.group(1)}\s+in\s+({NAME})\s*:", f.cell)
        value = f.scope(loop.group(1)) if loop else MISSING
        if loop and type(value) is dict and value:
            lists = [k for k, v in list(value.items())[:50] if type(k) is str and type(v) in (list, tuple)]
            return m.group(1), loop.group(1), lists[0] if len(lists) == 1 else None
    return None


def loop_over_dict_keys(f: Facts) -> str | None:
    """``for v in d:`` gives the dict's keys, and ``v["x"]`` indexes a string."""
    msg = f.message
    if msg.startswith("string indices must be integers"):
        found = _loop_over_dict(f)
        if found:
            var, name, key = found
            where = f"`for {var} in {name}[{key!r}]:`" if key else f"`for {var} in {name}.values():`"
            return f"`for {var} in {name}` loops over the dict's keys, so `{var}` is a key (a string), not a dict, and a string is indexed by position; loop over the records instead: {where}"
    return None


def loop_over_dict_keys_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`loop_over_dict_keys`."""
    msg = f.message
    if msg.startswith("string indices must be integers"):
        found = _loop_over_dict(f)
        if found:
            var, name, key = found
            loop = re.search(rf"(?m)^\s*for\s+{var}\s+in\s+{name}\s*:.*$", f.cell)
            new = f"{name}[{key!r}]" if key else f"{name}.values()"
            return re.sub(rf"\bin\s+{name}\s*:", f"in {new}:", loop.group(0).strip(), count=1) if loop else None
    return None


def changed_during_loop(f: Facts) -> str | None:
    """A dict or set changed while a loop goes over it."""
    msg, line = f.message, f.line
    if isinstance(f.exc, RuntimeError) and msg in ("dictionary changed size during iteration", "Set changed size during iteration"):
        loop = re.search(r"^\s*for\s+.+?\s+in\s+([A-Za-z_]\w*)\s*:", line)
        name = loop.group(1) if loop else "d"
        return f"the loop deletes from or adds to `{name}` while looping over it; loop over a copy of its keys instead: `for k in list({name}):` (or build a new dict with a comprehension)."
    return None


def changed_during_loop_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`changed_during_loop`."""
    exc, msg, line = f.exc, f.message, f.line
    if isinstance(exc, RuntimeError) and msg in ("dictionary changed size during iteration", "Set changed size during iteration"):
        return sub1(r"^(\s*for\s+.+?\s+in\s+)([A-Za-z_]\w*)(\s*:)", r"\1list(\2)\3", line)
    return None


def _generator_in_next(line: str) -> tuple[str, str | None, str | None] | None:
    """``(generator source, condition, iterable)`` of ``next(<x> for <t> in <it> if <cond>)`` on the line."""
    call = call_args_span(line, r"(?<![\w.])next\(")
    if not call:
        return None
    inner = line[call[0].end() : call[1]].strip()
    try:
        node = ast.parse(f"({inner})", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.GeneratorExp):
        return None
    gen = node.generators[0]
    cond = ast.unparse(gen.ifs[0]) if gen.ifs else None
    return inner, cond, ast.unparse(gen.iter)


def next_found_nothing(f: Facts) -> str | None:
    """``next()`` of a generator that finds nothing (StopIteration)."""
    msg, line, exc = f.message, f.line, f.exc
    if isinstance(exc, StopIteration) and not msg:
        gen = _generator_in_next(line)
        if gen:
            _, cond, source = gen
            what = f"no item of `{clip(source)}` satisfies `{clip(cond)}`" if cond else f"`{clip(source)}` is empty"
            return (
                f"`next()` found nothing to return: {what}, so the generator ended at once and `next` raised StopIteration; "
                f"give `next` a default for that case, e.g. `next((...), None)`, and check for None."
            )
    return None


def next_found_nothing_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`next_found_nothing`."""
    msg, line, exc = f.message, f.line, f.exc
    if isinstance(exc, StopIteration) and not msg:
        gen = _generator_in_next(line)
        call = call_args_span(line, r"(?<![\w.])next\(")
        if gen and call:
            return line[: call[0].end()] + f"({gen[0]}), None" + line[call[1] :]
    return None


def _returned_count(cell: str, call: str) -> int | None:
    """How many values ``f(...)`` returns, when ``f`` is defined in the cell and every ``return`` is one tuple
    of the same length (``return lo, hi``)."""
    m = re.match(r"([A-Za-z_]\w*)\(", call)
    node = function_def(cell, m.group(1)) if m else None
    if node is None:
        return None
    counts = {len(r.value.elts) if isinstance(r.value, ast.Tuple) else None for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None}
    return counts.pop() if len(counts) == 1 and None not in counts else None


def _unpack_names(f: Facts, which: str, expected: int, got: int | None) -> str | None:
    """``a, b, c = f(x)``: the names on the left, and the values the right gives (from the message, or from
    the ``return`` of a function defined in the cell). Loops and a plain name on the right: python_values.py."""
    # One run of spaces is read by one ``\s*`` only: ``\s*,?\s*\)?\s*=`` split a long run three ways (cubic).
    m = re.match(r"^\s*\(?(?P<lhs>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*(?:,\s*)?(?:\)\s*)?=(?!=)\s*(?P<rhs>.*\S)", f.line)
    if not m or re.fullmatch(r"[A-Za-z_]\w*", m["rhs"]):
        return None
    names = [n.strip() for n in m["lhs"].split(",")]
    if len(names) != expected:
        return None
    count = got if got is not None else _returned_count(f.cell, m["rhs"])
    called = re.match(r"([A-Za-z_][\w.]*)\(", m["rhs"])
    source = f"`{called.group(1)}()` returns" if called else "the right side gives"
    if count is None:
        return f"the left of `=` has {expected} names ({', '.join(names)}) but {source} {'more' if which == 'too many' else 'fewer'} values; write one name per value."
    rhs = clip(m["rhs"], 50)
    if count > expected:
        return (
            f"the left of `=` has {expected} names ({', '.join(names)}) but {source} {count} values; write one name per "
            f"value, or collect the extra ones with a starred name: `{', '.join(names)}, *rest = {rhs}`."
        )
    if count == 0:
        return f"the left of `=` has {expected} names ({', '.join(names)}) but {source} no values at all (it is empty), so there is nothing to unpack; check that it is not empty before unpacking it."
    if count == 1:
        return (
            f"the left of `=` has {expected} names ({', '.join(names)}) but {source} 1 value; unpack it into one name, "
            f"with a comma after it, e.g. `{_fewer_names(names, 1)} = {rhs}` (without the comma the name gets the whole "
            f"sequence)."
        )
    return f"the left of `=` has {expected} names ({', '.join(names)}) but {source} {count} values; write exactly {count} names, e.g. `{_fewer_names(names, count)} = {rhs}`."


def _fewer_names(names: list[str], count: int) -> str:
    """The left of ``=`` for ``count`` values: the first ``count - 1`` names and the last (``low, high`` for
    ``low, mid, high``); one name gets a comma after it (``x,``), or it would get the whole sequence."""
    return f"{names[0]}," if count == 1 else ", ".join(names[: count - 1] + names[-1:])


def unpack_names(f: Facts) -> str | None:
    """``a, b, c = f(x)`` where the right side gives more or fewer values."""
    msg = f.message
    m = re.search(r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", msg)
    if m:
        return _unpack_names(f, m.group(1), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
    return None


def unpack_names_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`unpack_names`."""
    msg, line = f.message, f.line
    m = re.search(r"(not enough) values to unpack \(expected (\d+), got (\d+)\)", msg)
    if m:
        a = re.match(r"^(\s*)(?P<lhs>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*=(?!=)\s*(?P<rhs>.*\S)", line)
        expected, got = int(m.group(2)), int(m.group(3))
        if a and not re.fullmatch(r"[A-Za-z_]\w*", a["rhs"]) and 0 < got < expected:  # got 0: no line unpacks nothing
            names = [n.strip() for n in a["lhs"].split(",")]
            if len(names) == expected:
                return f"{a.group(1)}{_fewer_names(names, got)} = {a['rhs']}"
    return None


def unpack_non_iterable(f: Facts) -> str | None:
    """``for a, b in xs`` over single values."""
    msg, line = f.message, f.line
    if msg == "cannot unpack non-iterable int object" or re.fullmatch(r"cannot unpack non-iterable (int|float|str) object", msg):
        loop = re.search(r"^\s*for\s+(\w+)\s*,\s*(\w+)\s+in\s+(.+?)\s*:\s*$", line)
        if loop:
            return f"each item of `{loop.group(3)}` is one value, so it cannot be split into `{loop.group(1)}, {loop.group(2)}`; to get each position too, loop over `enumerate({loop.group(3)})`."
    return None


def unpack_non_iterable_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`unpack_non_iterable`."""
    msg, line = f.message, f.line
    if re.fullmatch(r"cannot unpack non-iterable (int|float|str) object", msg):
        return sub1(r"^(\s*for\s+\w+\s*,\s*\w+\s+in\s+)(.+?)(\s*:\s*)$", r"\1enumerate(\2)\3", line)
    return None
