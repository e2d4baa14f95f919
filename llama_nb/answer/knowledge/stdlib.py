"""What the standard library's messages mean: files (used after their ``with`` block, opened in the wrong mode, not
UTF-8, written with a number, not found), ``json`` (single quotes), ``math`` (``exp`` overflowing), ``decimal`` (a float
mixed in), ``datetime.strptime`` formats, and a class's method called on its module (``datetime.now()``).
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import types

from ..facts import MISSING, NAME, Facts, call_args_span, clip, sub1
from .words import an


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
        m = re.match(rf"(\s*)with\s+.*\bopen\(.*\)\s+as\s+({NAME})\s*:\s*$", lines[i])
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
    tail = [lines[k]] + [src for src in lines[k + 1 :] if src.strip()]
    stop = next((n for n, src in enumerate(tail[1:], 1) if _indent(src) <= at), len(tail))
    moved = [" " * (inner - at) + src if inner >= at else src[at - inner :] for src in tail[:stop]]
    return "\n".join(src[base:] for src in body + moved)


def closed_file(f: Facts) -> str | None:
    """A file used after the ``with`` block that opened it closed it."""
    msg = f.message
    if msg.startswith("I/O operation on closed file"):
        found = _closed_with(f)
        if found:
            name, i, _, k = found
            return (
                f"`{name}` is closed: a `with open(...) as {name}:` block (line {i + 1}) closes the file when the block "
                f"ends, and line {k + 1} is outside the `with` block (not indented under it); indent it into the block."
            )
        return "the file was closed before this line (by `.close()` or at the end of its `with` block); read it while it is open."
    return None


def closed_file_corrected(f: Facts) -> str | None:
    """The ``with`` block with the failing statement (and its body) moved into it."""
    msg = f.message
    if msg.startswith("I/O operation on closed file"):
        found = _closed_with(f)
        return _with_block_fixed(f, found) if found else None
    return None


def _sigmoid_def(f: Facts) -> tuple[str, str] | None:
    """``(function, parameter)`` when the failing line is ``return 1 / (1 + math.exp(-p))`` in ``def fn(p):``."""
    m = re.fullmatch(rf"return\s+1(?:\.0*)?\s*/\s*\(\s*1(?:\.0*)?\s*\+\s*math\.exp\(\s*-\s*({NAME})\s*\)\s*\)", f.line)
    if not m:
        return None
    lines, at = f.cell.splitlines(), _failing_index(f)
    for src in reversed(lines[:at] if at is not None else []):
        d = re.match(rf"\s*def\s+({NAME})\s*\(\s*{m.group(1)}\s*\)\s*:", src)
        if d:
            return d.group(1), m.group(1)
    return None


def exp_overflow(f: Facts) -> str | None:
    """``math.exp`` past the largest float (a sigmoid written the way that overflows)."""
    msg, line = f.message, f.line
    if msg == "math range error" and re.search(r"\bmath\.exp\(", line):
        call = call_args_span(line, r"\bmath\.exp\(")
        arg = line[call[0].end() : call[1]].strip() if call else "x"
        v = re.fullmatch(rf"(-?)\s*({NAME})", arg)
        value = f.scope(v.group(2)) if v else MISSING
        said = f" with {v.group(2)} = {clip(value)}" if v and type(value) in (int, float) else ""
        if _sigmoid_def(f):
            return (
                f"`math.exp({clip(arg)})` overflowed{said}: e to that power is beyond the largest float (about 1.8e308, "
                f"e**709); for negative x compute the sigmoid as `math.exp(x) / (1 + math.exp(x))`, which never overflows."
            )
        return (
            f"`math.exp({clip(arg)})` overflowed{said}: its result is beyond the largest float (about 1.8e308, so the "
            f"argument must stay below about 709); scale or clip the input, or work with logarithms."
        )
    return None


def exp_overflow_corrected(f: Facts) -> str | None:
    """The sigmoid written the way that never overflows."""
    msg = f.message
    if msg == "math range error":
        found = _sigmoid_def(f)
        if found:
            fn, p = found
            return f"def {fn}({p}):\n    if {p} >= 0:\n        return 1 / (1 + math.exp(-{p}))\n    return math.exp({p}) / (1 + math.exp({p}))"
    return None


def _single_quoted_json(f: Facts) -> bool:
    """A JSONDecodeError whose text has a single quote where JSON wanted a name or a value."""
    doc, pos = getattr(f.exc, "doc", None), getattr(f.exc, "pos", None)
    return type(f.exc).__name__ == "JSONDecodeError" and type(doc) is str and type(pos) is int and 0 <= pos < len(doc) and doc[pos] == "'"


def single_quoted_json(f: Facts) -> str | None:
    """JSON text with single quotes: a Python dict written with ``str()``."""
    if _single_quoted_json(f):
        return (
            "JSON needs double quotes around names and strings, and this text has single quotes: it is a Python dict "
            "written with `str()`, not JSON; read it with `ast.literal_eval(text)` (import ast), or make real JSON "
            "with `json.dumps(...)`."
        )
    return None


def single_quoted_json_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`single_quoted_json`."""
    line = f.line
    if _single_quoted_json(f):
        call = re.search(r"\bjson\.loads\(", line)
        return ("import ast\n" + line[: call.start()] + "ast.literal_eval(" + line[call.end() :]) if call else None
    return None


_FLOAT_LITERAL = re.compile(r"(?<![\w.'\"])(\d+\.\d*|\.\d+)(?![\w.'\"])")


def _decimal_and_float(msg: str) -> bool:
    m = re.fullmatch(r"unsupported operand type\(s\) for \S+: '(decimal\.Decimal|float)' and '(decimal\.Decimal|float)'", msg)
    return m is not None and {m.group(1), m.group(2)} == {"decimal.Decimal", "float"}


def decimal_and_float(f: Facts) -> str | None:
    """A Decimal mixed with a float."""
    msg, line = f.message, f.line
    if _decimal_and_float(msg):
        number = _FLOAT_LITERAL.search(line)
        shown = f"the float {number.group(1)}" if number else "a float"
        fix = f'`Decimal("{number.group(1)}")`' if number else "`Decimal(str(x))`"
        return (
            f"a Decimal does not mix with {shown}: floats are not exact (0.1 is really 0.1000000000000000055…), so "
            f"Python refuses to lose the Decimal's precision; write the number as a Decimal made from a string: {fix}."
        )
    return None


def decimal_and_float_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`decimal_and_float`."""
    msg, line = f.message, f.line
    if _decimal_and_float(msg):
        return sub1(_FLOAT_LITERAL.pattern, lambda m: f'Decimal("{m.group(1)}")', line)
    return None


def not_utf8(f: Facts) -> str | None:
    """A file that is not UTF-8 (Excel's Windows-1252)."""
    exc = f.exc
    if isinstance(exc, UnicodeDecodeError) and exc.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        bad = bytes(exc.object[exc.start : exc.start + 1]) if isinstance(exc.object, (bytes, bytearray)) else b""
        if bad and bad[0] >= 0x80:
            char = bad.decode("cp1252", errors="replace")
            return (
                f"the file is not UTF-8: byte 0x{bad[0]:02x} is {char!r} in Latin-1 / Windows-1252, the usual encoding of "
                f'files saved by Excel on Windows; pass it when reading: `encoding="latin-1"` (or "cp1252").'
            )
    return None


def not_utf8_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`not_utf8`."""
    line, exc = f.line, f.exc
    if isinstance(exc, UnicodeDecodeError):
        call = call_args_span(line, r"\b(?:read_csv|read_table|open|loadtxt|genfromtxt)\(")
        if call and "encoding" not in line:
            return line[: call[1]] + ', encoding="latin-1"' + line[call[1] :]
    return None


def file_mode(f: Facts) -> str | None:
    """A file read when it was opened for writing only (or written when opened for reading)."""
    msg, exc = f.message, f.exc
    if type(exc).__name__ == "UnsupportedOperation" and msg in ("not readable", "not writable"):
        opened = re.search(r"open\(\s*([^,()\n]+?)\s*,\s*(?:mode\s*=\s*)?['\"](\w\+?)['\"]", f.cell)
        if msg == "not readable":
            where = f"the file was opened with mode {opened.group(2)!r} (write only)" if opened else "the file was opened for writing only"
            again = f"`open({opened.group(1)})`" if opened else "`open(path)`"
            return f"{where}, so it cannot be read; read it by opening it again for reading after the `with` block: {again} (or open it with mode 'w+' and call `f.seek(0)` before reading)."
        where = f"the file was opened with mode {opened.group(2)!r} (read only)" if opened else "the file was opened for reading only"
        return f"{where}, so it cannot be written; open it with mode 'w' (replace) or 'a' (append) to write."
    return None


def file_mode_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`file_mode`."""
    msg, line, exc = f.message, f.line, f.exc
    if type(exc).__name__ == "UnsupportedOperation" and msg == "not readable":
        opened = re.search(r"open\(\s*([^,()\n]+?)\s*,\s*(?:mode\s*=\s*)?['\"]w['\"]", f.cell)
        return sub1(re.escape(opened.group(0)), f"open({opened.group(1)}, 'w+'", line) if opened else None
    return None


def _module_member(f: Facts) -> tuple[str, str, str] | None:
    """``datetime.now()`` on the module: (module name, class, attribute) where a class defined in the module
    (the one of the module's own name first) has the attribute. Read statically: no user code runs."""
    m = re.fullmatch(r"module '([\w.]+)' has no attribute '(\w+)'", f.message)
    if not m:
        return None
    mod_name, attr = m.group(1), m.group(2)
    used = re.search(rf"(?<![\w.])([A-Za-z_]\w*)\s*\.\s*{attr}\b", f.line)
    if not used:
        return None
    module = f.scope(used.group(1))
    if not issubclass(type(module), types.ModuleType) or module.__name__ != mod_name:
        return None
    members = vars(module)
    short = mod_name.rsplit(".", 1)[-1]
    same = members.get(short)
    # Plain classes only (type(v) is type): isinstance would read a user object's __class__, and a custom metaclass
    # could compute __mro__ or __dict__; for these, vars() and __mro__ are type's own.
    if type(same) is type and any(attr in vars(k) for k in same.__mro__ if k is not object):
        return used.group(1), short, attr
    # Otherwise only one class of the module may define it (collections.fromkeys: four do, so no guess).
    owners = [n for n, v in itertools.islice(members.items(), 2000) if type(v) is type and not n.startswith("_") and attr in vars(v)]
    return (used.group(1), owners[0], attr) if len(owners) == 1 else None


def module_member(f: Facts) -> str | None:
    """A class's attribute used on its module (``datetime.now()``)."""
    found = _module_member(f)
    if found:
        name, cls, attr = found
        return (
            f"`{name}` is the module, and `{attr}` belongs to the class `{name}.{cls}` inside it, not to the module; call `{name}.{cls}.{attr}(...)`, or import the class: `from {name} import {cls}`."
        )
    return None


def module_member_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`module_member`."""
    line = f.line
    found = _module_member(f)
    if found:
        name, cls, attr = found
        return sub1(rf"(?<![\w.]){re.escape(name)}\s*\.\s*{attr}\b", f"{name}.{cls}.{attr}", line)
    return None


def write_not_str(f: Facts) -> str | None:
    """Something else than text written to a text file."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"write\(\) argument must be str, not (\w+)", msg)
    if m:
        span = call_args_span(line, r"\b([A-Za-z_]\w*)\s*\.\s*write\(")
        arg = line[span[0].end() : span[1]].strip() if span else ""
        who = f"`{clip(arg)}` is {an(m.group(1))}" if arg else f"the value is {an(m.group(1))}"
        shown = f"`{span[0].group(1)}.write(str({arg}))`" if arg and span else "`f.write(str(value))`"
        return f"a text file's `.write()` takes text (a str) only, and {who}; convert it to text first: {shown}."
    return None


def write_not_str_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`write_not_str`."""
    msg, line = f.message, f.line
    if re.fullmatch(r"write\(\) argument must be str, not \w+", msg):
        span = call_args_span(line, r"\b[A-Za-z_]\w*\s*\.\s*write\(")
        if span and line[span[0].end() : span[1]].strip():
            return line[: span[0].end()] + f"str({line[span[0].end() : span[1]].strip()})" + line[span[1] :]
    return None


def _date_format(text: str) -> str | None:
    """The strptime format of a date written in one of the usual ways."""
    forms = ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{4}/\d{2}/\d{2}", "%Y/%m/%d"), (r"\d{2}\.\d{2}\.\d{4}", "%d.%m.%Y"), (r"\d{2}-\d{2}-\d{4}", "%d-%m-%Y"), (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"))
    for pattern, fmt in forms:
        m = re.fullmatch(pattern + r"(?P<t>[ T]\d{2}:\d{2}(:\d{2})?)?", text.strip())
        if m:
            if m["t"]:
                fmt += ("T" if "T" in m["t"] else " ") + ("%H:%M:%S" if m["t"].count(":") == 2 else "%H:%M")
            return fmt
    return None


def strptime_format(f: Facts) -> str | None:
    """``strptime`` text written in another format than the one given."""
    msg = f.message
    m = re.search(r"time data '(.+?)' does not match format '(.+?)'", msg)
    if m:
        fmt = _date_format(m.group(1))
        if fmt:
            return f"the text {m.group(1)!r} is written as {fmt!r}, but the format given is {m.group(2)!r}; use the format {fmt!r}."
        return f"the text {m.group(1)!r} does not follow the format {m.group(2)!r}: each `%` code must match the text exactly."
    return None


def strptime_format_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`strptime_format`."""
    msg, line = f.message, f.line
    m = re.search(r"time data '(.+?)' does not match format '(.+?)'", msg)
    if m:
        fmt = _date_format(m.group(1))
        if fmt:
            return sub1(rf"(['\"]){re.escape(m.group(2))}\1", lambda q: f"{q.group(1)}{fmt}{q.group(1)}", line)
    return None


def file_not_found(f: Facts) -> str | None:
    if not isinstance(f.exc, FileNotFoundError):
        return None
    path = getattr(f.exc, "filename", None)
    if not isinstance(path, str) or not path:
        return None
    try:
        cwd = os.getcwd()
        folder = os.path.dirname(os.path.join(cwd, path)) or cwd
        entries = sorted(os.listdir(folder))[:2000] if os.path.isdir(folder) else []
    except OSError:
        cwd, entries = "the working directory", []
    close = difflib.get_close_matches(os.path.basename(path), entries, n=1, cutoff=0.6)
    hint = f"the file {path!r} does not exist relative to the working directory {clip(cwd, 80)}"
    if close:
        return hint + f"; a file with a similar name is there: {close[0]!r}."
    return hint + (f"; check before opening it with `os.path.exists({path!r})`, list the folder with `os.listdir()`, or give the full path.")
