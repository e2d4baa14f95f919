"""What Python's messages about strings mean: ``str.format`` templates (literal braces, too few values), format
codes for numbers applied to text, ``str.index`` of what is not there, ``join`` called on the list, and a str method
called on a list of strings.
"""

from __future__ import annotations

import re
from typing import Any, cast

from ..facts import MISSING, Facts, call_args_span, clip, sub1
from . import said
from .python_types import SYNONYMS
from .words import an, short_repr


#: Messages about strings that say everything the hint needs (:mod:`.said`).
SAID = said.table(
    (r"'list' object has no attribute 'join'", "`join` is a method of the separator string, not of the list: `', '.join(words)` (the items must be strings)."),
    (
        r"Replacement index (\d+) out of range for positional args tuple",
        "the string has more `{{}}` fields than values given to `.format()`: field {1} has no value; pass one value per `{{}}` (or write an f-string).",
    ),
)


def _format_call(f: Facts) -> tuple[str, list[str]] | None:
    """``(template name, keyword names)`` of ``<name>.format(...)`` on the line."""
    call = call_args_span(f.line, r"\b([A-Za-z_]\w*)\.format\(")
    if not call:
        return None
    args = f.line[call[0].end() : call[1]]
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


def format_braces(f: Facts) -> str | None:
    """Literal braces (JSON) in a ``str.format`` template, read as a field."""
    exc = f.exc
    if isinstance(exc, KeyError) and type(exc.args[0] if exc.args else None) is str:
        key = exc.args[0]
        call = _format_call(f)
        if call and re.match(r"""\s*["'\n]""", key):
            return (
                f"the literal braces of the JSON in `{call[0]}` are read by `.format` as placeholders, so `{{{clip(key, 20)}...}}` "
                f"became a field named {clip(key, 20)}; escape the literal braces by doubling them (`{{{{` and `}}}}`), or build "
                f"the JSON with `json.dumps(...)`."
            )
    return None


def format_braces_corrected(f: Facts) -> str | None:
    """The template line with its literal braces doubled."""
    exc = f.exc
    if isinstance(exc, KeyError) and type(exc.args[0] if exc.args else None) is str and re.match(r"""\s*["'\n]""", exc.args[0]):
        call = _format_call(f)
        found = _template_line(f, call[0]) if call else None
        if call and found:
            return _escaped_braces(found[1].strip(), call[1])
    return None


def substring_not_found(f: Facts) -> str | None:
    """``str.index`` of a substring that is not there."""
    msg, line = f.message, f.line
    if msg == "substring not found":
        call = re.search(r"\b([A-Za-z_]\w*)\s*\.\s*(r?index)\(\s*(['\"])([^'\"]*)\3\s*\)", line)
        if call:
            name, method, sub = call.group(1), call.group(2), call.group(4)
            value = f.scope(name)
            holding = f" (it is {clip(short_repr(value), 60)})" if type(value) is str else ""
            return (
                f"`{name}` does not contain {sub!r}{holding}, and `.{method}()` raises when the text is absent; use "
                f"`{name}.find({sub!r})` (it gives -1 when absent) or check first: `if {sub!r} in {name}:`."
            )
        return "the text searched with `.index()` does not contain the substring, and `.index()` raises when it is absent; use `.find()` (it gives -1) or check first with `in`."
    return None


def substring_not_found_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`substring_not_found`."""
    msg, line = f.message, f.line
    if msg == "substring not found":
        return sub1(r"\b([A-Za-z_]\w*)\s*\.\s*r?index\(", lambda c: f"{c.group(1)}.find(", line)
    return None


def _str_method_on_list(f: Facts) -> str | None:
    """``lines.strip()`` on a list of strings: the method belongs to each item."""
    m = re.search(r"'(list|tuple)' object has no attribute '(\w+)'", f.message)
    if not m or not hasattr(str, m.group(2)) or hasattr(list, m.group(2)) or m.group(2) in SYNONYMS["list"] or m.group(2) in ("join", "format", "format_map", "maketrans"):
        return None  # ``words.join(" ")`` is the separator's method: :data:`SAID` says so
    attr = m.group(2)
    call = re.search(rf"\b([A-Za-z_]\w*)\s*\.\s*{attr}\(([^()]*)\)", f.line)
    name = call.group(1) if call else "items"
    value = f.scope(name) if call else MISSING
    if value is not MISSING and type(value) not in (list, tuple):
        return None
    strings = type(value) in (list, tuple) and value and all(type(x) is str for x in cast("list[Any]", value)[:1000])
    item = "x" if name == "s" else "s"
    args = call.group(2) if call else ""
    return (
        f"`{name}` is {an(m.group(1))}{' of strings' if strings else ''}, and `.{attr}()` is a method of each string, not of "
        f"the {m.group(1)}; apply it to each item: `[{item}.{attr}({args}) for {item} in {name}]`."
    )


def str_method_on_list(f: Facts) -> str | None:
    """A str method called on a list of strings."""
    exc = f.exc
    if isinstance(exc, AttributeError):
        return _str_method_on_list(f)
    return None


def str_method_on_list_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`str_method_on_list`."""
    msg, line, exc = f.message, f.line, f.exc
    if isinstance(exc, AttributeError) and _str_method_on_list(f):
        m = re.search(r"'(?:list|tuple)' object has no attribute '(\w+)'", msg)
        if m:
            item = "x" if re.search(r"\bs\s*\.", line) else "s"
            return sub1(rf"\b([A-Za-z_]\w*)\s*\.\s*{m.group(1)}\(([^()]*)\)", lambda c: f"[{item}.{m.group(1)}({c.group(2)}) for {item} in {c.group(1)}]", line)
    return None


def format_code_on_text(f: Facts) -> str | None:
    """A number's format code (``:.2f``) applied to a str."""
    msg, line = f.message, f.line
    m = re.search(r"Unknown format code '(.)' for object of type 'str'", msg)
    if m:
        spec = re.search(r"\{\s*([A-Za-z_][\w.]*)\s*:[^}]*" + re.escape(m.group(1)) + r"\s*\}", line)
        who = spec.group(1) if spec else "the value"
        value = f.scope(who) if spec else MISSING
        shown = f" ({clip(short_repr(value))})" if type(value) is str else ""
        return f"`{who}` is a str{shown}, and the format code `{m.group(1)}` works only on numbers; convert it inside the braces: `{{float({who}):...}}`."
    return None


def format_code_on_text_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`format_code_on_text`."""
    msg, line = f.message, f.line
    m = re.search(r"Unknown format code '(.)' for object of type 'str'", msg)
    if m:
        return sub1(r"\{\s*([A-Za-z_][\w.]*)\s*:", r"{float(\1):", line)
    return None


def list_join_corrected(f: Facts) -> str | None:
    """``separator.join(list)`` for ``list.join(separator)``."""
    msg, line = f.message, f.line
    if "'list' object has no attribute 'join'" in msg:
        return sub1(r"\b([A-Za-z_]\w*)\.join\(\s*(['\"][^'\"]*['\"])\s*\)", r"\2.join(\1)", line)
    return None
