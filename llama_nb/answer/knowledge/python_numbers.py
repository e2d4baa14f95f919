"""What Python's messages about text taken for a number mean: text compared with a number, text read as a number
that has a currency sign or a thousands comma, ``round()`` of text, a number called like a function (``2(x + 1)``),
and a float where an int is needed (``range(n / 2)``).
"""

from __future__ import annotations

import itertools
import re

from ..facts import (
    MAX_SCANNED_LINE,
    MISSING,
    Facts,
    call_args_span,
    call_arguments,
    call_end,
    clip,
    code_only,
    frames_in_line,
    holds_text,
    is_frame,
    names_on_line,
    numeric_column,
    pick_call,
    sub1,
)
from . import said
from .words import NA_MARKERS, an, short_repr


#: Messages about numbers that say everything the hint needs (:mod:`.said`).
SAID = said.table(
    # what numpy.linspace_step and float_in_range say when they cannot read the line's values
    (
        r"^'float' object cannot be interpreted as an integer$",
        "a float is given where a whole number (an int) is needed, as in `range(...)`; `/` always gives a float, so use integer division `//` or convert with `int(...)`.",
    ),
)

#: One operand of a comparison: a name, attribute, subscript or call, a number, or a string literal. A name
#: or a number starts where no name, number or attribute goes on to its left: unanchored, a search tried
#: every letter of a long name as a start (a 6,000-letter line took seconds).
_OPERAND = r"(?:(?<![\w.])(?:[A-Za-z_][\w.]*(?:\[[^\[\]]*\]|\([^()]*\))*|-?\d+(?:\.\d+)?)|'[^']*'|\"[^\"]*\")"


def _holds(f: Facts, operand: str) -> str | None:
    """What an operand of a comparison holds, as far as it can be known without running anything:
    ``"str"``, ``"number"``, ``"other"``, or None (unknown: an attribute, a call, a user's object)."""
    if operand[:1] in "'\"":
        return "str"
    if re.fullmatch(r"-?\d+(?:\.\d+)?", operand):
        return "number"
    base = re.match(r"[A-Za-z_]\w*", operand)
    if base is None:
        return None
    value = f.scope(base.group(0))
    if value is MISSING:
        return None
    rest = operand[base.end() :]
    if rest:
        key = re.fullmatch(r"\s*\[\s*(['\"])([^'\"]*)\1\s*\]", rest)
        if key is None:
            return None  # an attribute or a call: reading it could run the user's code
        if type(value) is dict:
            value = value.get(key.group(2), MISSING)
            if value is MISSING:
                return None
        elif is_frame(value) and type(value).__name__ == "DataFrame":
            return "number" if numeric_column(value, key.group(2)) else None
        else:
            return None
    kind = type(value)
    if kind is str:
        return "str"
    if kind in (int, float):
        return "number"
    if (kind.__module__ == "numpy" and kind.__name__ != "bool_") or (is_frame(value) and kind.__name__ == "Series"):
        code = getattr(getattr(value, "dtype", None), "kind", "")  # an array, a numpy scalar, a Series
        return "number" if code in ("i", "u", "f") else ("str" if code in ("U", "S") else None)
    if is_frame(value):
        return None
    return "other"


def _compared(f: Facts) -> tuple[re.Match[str], tuple[int, int], str, str, str] | None:
    """``(match of "a OP b" on the line, the str side's span, its text, the number side's text, the
    number's type)`` for a failed ordering between a str and a number outside sorting (``age >= 18`` with
    ``age = "17"``). Of the line's comparisons with that operator (text in string literals is not looked
    at), the one whose values say the str and the number are where the message puts them; when the values
    say nothing, the first that no value contradicts."""
    m = re.search(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'", f.message)
    if not m or {m.group(2), m.group(3)} not in ({"str", "int"}, {"str", "float"}):
        return None
    masked = code_only(f.line)
    if re.search(r"\bsorted\(|\.sort\(|\b(min|max|bisect\w*|heapq\.\w+)\(|sort_values\(", masked):
        return None  # ordering many values: the sorting rule (:func:`_python_rules`) knows that one
    pattern = re.compile(rf"(?P<l>{_OPERAND})\s*(?<![<>=!]){re.escape(m.group(1))}(?!=)\s*(?P<r>{_OPERAND})")
    text_side, number_side = ("l", "r") if m.group(2) == "str" else ("r", "l")
    number_type = m.group(3) if m.group(2) == "str" else m.group(2)
    plausible = None
    at = 0
    for _ in range(50):
        c = pattern.search(masked, at)
        if c is None:
            break
        text, number = f.line[c.start(text_side) : c.end(text_side)], f.line[c.start(number_side) : c.end(number_side)]
        found = (c, c.span(text_side), text, number, number_type)
        holds = (_holds(f, text), _holds(f, number))
        if holds == ("str", "number"):
            return found
        if plausible is None and holds[0] in ("str", None) and holds[1] in ("number", None):
            plausible = found
        at = c.start("r")  # ``a < b < c``: ``b`` is the left side of the next comparison
    return plausible


def _converted(f: Facts, text: str, number: str, number_type: str = "int") -> str:
    """``int(age)`` (or ``df["age"].astype(int)`` for a pandas column) for the str side of a comparison."""
    value = f.scope(text) if text.isidentifier() else MISSING
    kind = "float" if number_type == "float" or type(f.scope(number)) is float or re.fullmatch(r"-?\d+\.\d*", number) else "int"
    if type(value) is str and len(value) <= MAX_SCANNED_LINE and re.fullmatch(r"\s*-?\d+\.\d*\s*", value):
        kind = "float"
    base = re.match(r"[A-Za-z_]\w*", text)
    if base and is_frame(f.scope(base.group(0))):
        return f"{text}.astype({kind})"
    return f"{kind}({text})"


def text_compared_with_number(f: Facts) -> str | None:
    """Text compared with a number (``age >= 18`` with ``age = "17"``)."""
    compared = _compared(f)
    if compared is not None:
        c, (start, end), text, number, number_type = compared
        value = f.scope(text) if text.isidentifier() else MISSING
        shown = f" holding {clip(short_repr(value))}" if type(value) is str else ""
        kind = "a float" if number_type == "float" else "an int"
        fixed = f.line[c.start() : start] + _converted(f, text, number, number_type) + f.line[end : c.end()]
        return f"`{clip(text)}` is a str{shown} and `{clip(number)}` is {kind}, and Python cannot compare text with a number; convert the text first: `{fixed}`."
    return None


def text_compared_with_number_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`text_compared_with_number`."""
    line = f.line
    compared = _compared(f)
    if compared is not None:
        _, (start, end), text, number, number_type = compared
        return line[:start] + _converted(f, text, number, number_type) + line[end:]
    return None


def _junk_in_number(text: str) -> list[tuple[str, str, str]]:
    """What keeps ``text`` from being read as a number: ``(what, str method, pandas .str method)`` each."""
    out: list[tuple[str, str, str]] = []
    body = text.strip()
    sign = re.search(r"[$€£¥₹]", body)
    if sign:
        where = "strip" if body.startswith(sign.group(0)) or body.endswith(sign.group(0)) else "replace"
        call = f".strip({sign.group(0)!r})" if where == "strip" else f".replace({sign.group(0)!r}, '')"
        out.append((f"a currency sign `{sign.group(0)}`", call, ".str" + call))
    if re.search(r"\d{1,3}(,\d{3})+(?!\d)", body) and (re.fullmatch(r"\D*-?\d{1,3}(,\d{3})+(\.\d+)?\D*", body)):
        out.append(("a thousands comma", ".replace(',', '')", ".str.replace(',', '')"))
    if body.endswith("%"):
        out.append(("a percent sign `%`", ".rstrip('%')", ".str.rstrip('%')"))
    if re.search(r"\d[ \u00a0\u202f]+\d", body):
        out.append(("spaces between the digits", ".replace(' ', '')", ".str.replace(' ', '')"))
    return out


def _number_text(f: Facts, m: re.Match[str]) -> str | None:
    """float() or pd.to_numeric on text with a currency sign, a thousands comma, a percent sign or spaces."""
    text = m.group(1)
    junk = _junk_in_number(text)
    at = f" (at position {m.group(2)})" if m.lastindex and m.lastindex >= 2 else ""
    if not junk:
        if at and "to_numeric" in f.line and text.strip().lower() in NA_MARKERS:
            return f"{text!r}{at} marks a missing value, so to_numeric stops there; to read such markers as NaN use `pd.to_numeric(..., errors='coerce')`, then find them with `.isna()`."
        if at and "to_numeric" in f.line:
            return f"{text!r}{at} is not a number, so to_numeric stops there; read what it means and convert it (`errors='coerce'` would turn it into NaN and lose the value)."
        return None
    what = " and ".join(w for w, _, _ in junk)
    pandas = "to_numeric" in f.line or (".astype(" in f.line and bool(frames_in_line(f)))
    chain = "".join(p if pandas else s for _, s, p in junk)
    fixed = _with_cleaning(f, junk, text, int(m.group(2)) if at else None)
    where = "pandas" if pandas else "float()"
    example = f"`{clip(fixed[1], 90)}`" if fixed else f"`x{chain}`"
    return f"{text!r}{at} contains {what}, which {where} does not read as part of a number; remove it first: {example}."


def _with_cleaning(f: Facts, junk: list[tuple[str, str, str]], text: str = "", position: int | None = None) -> tuple[str, str] | None:
    """``(the failing line, the call)`` with the text cleaned inside the ``float(...)`` or ``pd.to_numeric(...)``
    that holds ``text`` (:func:`pick_call`), or before the column's ``.astype(float)`` that holds it."""
    line = f.line
    for func, pandas in (("pd.to_numeric", True), ("float", False)):
        span = pick_call(f, call_arguments(line, func), text, position)
        if span:
            start, end = span
            arg = line[start:end].strip()
            if not re.fullmatch(r"[\w.]+(?:\[[^\[\]]*\]|\([^()]*\))*|'[^']*'|\"[^\"]*\"", arg):
                arg = f"({arg})"  # ``float(a + b)``: the cleaning is for the whole text, not for ``b``
            arg += "".join(p if pandas else s for _, s, p in junk)
            return line[:start] + arg + line[end:], f"{func}({arg})"
    cols = list(itertools.islice(re.finditer(r"(\b([A-Za-z_]\w*)\s*\[\s*(['\"])[^'\"]+\3\s*\])\.astype\(\s*(float|int|['\"](float|int)\w*['\"])\s*\)", line), 20))
    cols = [c for c in cols if is_frame(f.scope(c.group(2)))]
    held = [c for c in cols if holds_text(f, c.group(1), text, position)]
    col = held[0] if held else (cols[0] if len(cols) == 1 and holds_text(f, cols[0].group(1), text, position) is not False else None)
    if col:
        cleaned = col.group(1) + "".join(p for _, _, p in junk)
        return line[: col.start()] + cleaned + line[col.end(1) :], cleaned + line[col.end(1) : col.end()]
    return None


def junk_in_number(f: Facts) -> str | None:
    """Text read as a number that has a currency sign, a thousands comma, a percent sign or spaces."""
    msg = f.message
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'\)?$", msg)
    m = m or re.search(r"Unable to parse string ['\"](.*)['\"] at position (\d+)", msg)
    if m:
        return _number_text(f, m)
    return None


def junk_in_number_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`junk_in_number`."""
    msg, line = f.message, f.line
    m = re.search(r"could not convert string to float: (?:np\.str_\()?'(.*)'\)?$", msg) or re.search(r"Unable to parse string ['\"](.*)['\"] at position (\d+)", msg)
    if m:
        junk = _junk_in_number(m.group(1))
        position = int(m.group(2)) if m.lastindex and m.lastindex >= 2 else None
        if junk:
            fixed = _with_cleaning(f, junk, m.group(1), position)
            return fixed[0] if fixed else None
        if msg.startswith("Unable to parse string") and m.group(1).strip().lower() in NA_MARKERS:
            span = pick_call(f, call_arguments(line, "pd.to_numeric"), m.group(1), position)
            return line[: span[1]] + ", errors='coerce'" + line[span[1] :] if span else None
    return None


def round_text(f: Facts) -> str | None:
    """``round()`` of text."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"type (\w+) doesn't define __round__ method", msg)
    if m:
        span = call_args_span(line, r"(?<![\w.])round\(")
        first = re.match(r"\s*([^,]+?)\s*(,|$)", line[span[0].end() : span[1]]) if span else None
        arg = first.group(1) if first else ""
        value = f.scope(arg) if arg.isidentifier() else MISSING
        holding = f" holding {clip(short_repr(value))}" if type(value) is str else ""
        what = "text (a str)" if m.group(1) == "str" else an(m.group(1))
        if arg and m.group(1) == "str":
            return f"`{clip(arg)}` is {what}{holding}, not a number, and only numbers can be rounded; convert it first: `round(float({arg}), ...)`."
        return f"`round()` needs a number, and its argument is {what}; convert it to a number first (`float(...)`)."
    return None


def round_text_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`round_text`."""
    msg, line = f.message, f.line
    if msg == "type str doesn't define __round__ method":
        span = call_args_span(line, r"(?<![\w.])round\(")
        first = re.match(r"\s*([^,()]+?)\s*(?=,|$)", line[span[0].end() : span[1]]) if span else None
        if span and first:
            start = span[0].end() + first.start(1)
            return line[:start] + f"float({first.group(1)})" + line[start + len(first.group(1)) :]
    return None


_NUMBER_CALL = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)(\s*)\(")

#: Message patterns written once for the hint and its corrected line.
_NUMBER_CALLED = r"'(int|float|complex)' object is not callable"


def number_called(f: Facts) -> str | None:
    """A number right before a parenthesis (``2(x + 1)``): Python has no implicit multiplication."""
    msg, line = f.message, f.line
    m = re.fullmatch(_NUMBER_CALLED, msg)
    if m:
        number = _NUMBER_CALL.search(line)
        if number:
            n = number.group(1)
            return f"`{n}(` puts a number right before a parenthesis: Python has no implicit multiplication, so it tries to call the {m.group(1)} {n} like a function; write the `*`: `{n} * (...)`."
    return None


def number_called_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`number_called`."""
    msg, line = f.message, f.line
    if re.fullmatch(_NUMBER_CALLED, msg):
        return sub1(_NUMBER_CALL.pattern, lambda m: f"{m.group(1)} * (", line)
    return None


def _float_in_range(f: Facts) -> tuple[str, float, str] | None:
    """``(name, its value, the right side it was assigned with "/")`` for a float local on the failing line."""
    for name in names_on_line(f.line):
        value = f.scope(name)
        if type(value) is float:
            before = f.cell.split(f.line, 1)[0] if f.line and f.line in f.cell else f.cell
            assigned = re.findall(rf"(?m)^[ \t]*{re.escape(name)}\s*=\s*(.+)$", before)
            source = assigned[-1].strip() if assigned and re.search(r"(?<!/)/(?!/)", assigned[-1]) else ""
            return name, value, source
    return None


def float_in_range(f: Facts) -> str | None:
    """A float where an int is needed (``range(n / 2)``)."""
    msg, line = f.message, f.line
    if msg == "'float' object cannot be interpreted as an integer":
        found = _float_in_range(f)
        if found:
            name, value, source = found
            why = f" (it is `{clip(source, 60)}`, and `/` always gives a float)" if source else ""
            call = "range()" if "range(" in line else "this call"
            return f"`{name}` is the float {value!r}{why}, but {call} needs a whole number (an int); use integer division `//` or convert it: `int({name})`."
    return None


def float_in_range_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`float_in_range`."""
    msg, line = f.message, f.line
    if msg == "'float' object cannot be interpreted as an integer":
        found = _float_in_range(f)
        if found and found[2]:
            name, _, source = found
            return f"{name} = " + re.sub(r"(?<!/)/(?!/)", "//", source, count=1)
        if found:
            return sub1(rf"(?<![\w.]){re.escape(found[0])}\b(?!\s*\()", f"int({found[0]})", line)
        call = re.search(r"(?<![\w.])range\(", line)
        end = call_end(line, call.end() - 1) if call else None
        if call and end is not None:
            args = re.sub(r"(?<!/)/(?!/)", "//", line[call.end() : end], count=1)
            return line[: call.end()] + args + line[end:]
    return None
