"""What NumPy's messages about shapes, axes and the arguments of its functions mean: ``concatenate``, ``append``
and ``split`` of arrays that do not fit, values of another shape assigned into an array, an axis it lacks, ragged
rows, ``linspace`` given a step, ``where`` with one branch or used as an array, ``quantile`` given a percentage,
``solve`` of a non-square system, ``inv`` of a singular one, a list indexed by an array, ``p=`` that does not sum to
1, and the empty arrays and reshapes that the message alone explains.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from ..facts import MISSING, NAME, Facts, call_args_span, clip, is_ndarray, names_on_line, sub1
from . import said


#: Messages about arrays that say everything the hint needs (:mod:`.said`).
SAID = said.table(
    (
        r"attempt to get arg(max|min) of an empty sequence",
        "the array is empty (a filter kept nothing), so it has no largest or smallest element; check `if arr.size:` before the call, or loosen the filter.",
    ),
    (r"^can only specify one unknown dimension$", "only one dimension of a reshape may be -1 (numpy computes it from the others); give the others, e.g. `reshape(-1, 4)` for 12 elements (3 × 4)."),
    # what probabilities_sum and broadcast_into say when they cannot read the line's values
    (r"^probabilities do not sum to 1$", "the probabilities given as `p=` must add up to exactly 1; divide them by their sum first: `p = w / w.sum()`."),
    (
        r"could not broadcast input array from shape \((\d+),\) into shape \((\d+),\)",
        "the place assigned to holds {2} values (shape ({2},)) but the right side has {1} (shape ({1},)); give exactly {2} values, or assign to a part of length {1}.",
    ),
)

#: A percentage given to ``np.quantile``, a fraction to ``np.percentile``: the message says it all (:mod:`.said`).
QUANTILE_RANGE = said.table(
    (r"\AQuantiles must be in the range \[0, 1\]\Z", "`np.quantile` takes a fraction between 0 and 1 (0.95 for the 95th), not a percentage; use `np.quantile(x, 0.95)` or `np.percentile(x, 95)`."),
    (r"\APercentiles must be in the range \[0, 100\]\Z", "`np.percentile` takes a percentage between 0 and 100; for a fraction use `np.quantile` instead."),
)


def _list_indexed_by_array(f: Facts) -> str | None:
    for m in re.finditer(rf"(?<![\w.])({NAME})\s*\[", f.line):
        if type(f.scope(m.group(1))) in (list, tuple):
            return m.group(1)
    return None


def list_by_array(f: Facts) -> str | None:
    """A plain list indexed by an array of positions."""
    msg = f.message
    if msg == "only integer scalar arrays can be converted to a scalar index":
        name = _list_indexed_by_array(f)
        if name:
            kind = type(f.scope(name)).__name__
            return f"`{name}` is a plain Python {kind}, and a {kind} takes one int index, not an array of positions (that is NumPy's fancy indexing); make it an array first: `np.array({name})[...]`."
    return None


def list_by_array_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`list_by_array`."""
    msg, line = f.message, f.line
    if msg == "only integer scalar arrays can be converted to a scalar index":
        name = _list_indexed_by_array(f)
        return sub1(rf"(?<![\w.]){name}\s*\[", f"np.array({name})[", line) if name and "np." in f.cell else None
    return None


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
    args = [a.strip() for a in line[call[0].end() : call[1]].split(",")]
    if len(args) < 3 or "=" in "".join(args[:3]):
        return None
    return args[0], args[1], args[2], (call[0].start(), call[1] + 1)


def linspace_step(f: Facts) -> str | None:
    """``np.linspace`` given a step where it takes a number of points."""
    msg, line = f.message, f.line
    if msg == "'float' object cannot be interpreted as an integer":
        lin = _linspace(line)
        if lin:
            start, stop, step, _ = lin
            a, b, s = _number(start), _number(stop), _number(step)
            count = f"{round(abs(b - a) / s) + 1}" if a is not None and b is not None and s else "how many"
            return (
                f"the third argument of `np.linspace(start, stop, num)` is the number of points, not the step ({step} was "
                f"given); for a step of {step} use `np.arange({start}, {stop}, {step})`, or ask for {count} points: "
                f"`np.linspace({start}, {stop}, {count})`."
            )
    return None


def linspace_step_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`linspace_step`."""
    msg, line = f.message, f.line
    if msg == "'float' object cannot be interpreted as an integer":
        lin = _linspace(line)
        if lin:
            start, stop, step, (a, b) = lin
            prefix = line[a:b].split("linspace(")[0]
            return line[:a] + f"{prefix}arange({start}, {stop}, {step})" + line[b:]
    return None


def unequal_split(f: Facts) -> str | None:
    """``np.split`` into parts that cannot be equal."""
    msg, line = f.message, f.line
    if msg == "array split does not result in an equal division":
        call = re.search(r"\bsplit\(\s*([A-Za-z_]\w*)\s*,\s*(\d+)\s*\)", line)
        value = f.scope(call.group(1)) if call else MISSING
        if call and is_ndarray(value) and value.ndim >= 1:
            n, k = value.shape[0], int(call.group(2))
            return (
                f"`{call.group(1)}` has {n} items and {n} / {k} is not whole, so `np.split` cannot make {k} equal parts; `np.array_split({call.group(1)}, {k})` makes {k} parts of nearly equal size."
            )
        return "`np.split` needs parts of exactly equal size; `np.array_split` allows the last parts to be one shorter."
    return None


def unequal_split_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`unequal_split`."""
    msg, line = f.message, f.line
    if msg == "array split does not result in an equal division":
        return sub1(r"\b(np\.|numpy\.)?split\(", lambda m: f"{m.group(1) or ''}array_split(", line)
    return None


def where_one_branch(f: Facts) -> str | None:
    """``np.where(condition, x)`` without the value for where it is false."""
    msg, line = f.message, f.line
    if msg == "either both or neither of x and y should be given":
        call = call_args_span(line, r"\bwhere\(")
        args = [a.strip() for a in line[call[0].end() : call[1]].split(",")] if call else []
        example = f"`np.where({args[0]}, {args[1]}, <other value>)`" if len(args) == 2 else "`np.where(condition, x, y)`"
        return (
            f"`np.where(condition, x, y)` takes three arguments, the value where the condition is true and the value otherwise (where it is false), and the else value is missing; add it: {example}."
        )
    return None


def where_one_branch_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`where_one_branch`."""
    msg, line = f.message, f.line
    if msg == "either both or neither of x and y should be given":
        call = call_args_span(line, r"\bwhere\(")
        if call:
            args = line[call[0].end() : call[1]]
            value = re.search(r",\s*(['\"])([^'\"]*)\1\s*$", args)
            other = f'"not {value.group(2)}"' if value else "0"
            return line[: call[1]] + f", {other}" + line[call[1] :]
    return None


def where_tuple(f: Facts) -> str | None:
    """The tuple ``np.where(condition)`` returns, used as an array."""
    msg, line = f.message, f.line
    m = re.fullmatch(r"can only concatenate tuple \(not \"(\w+)\"\) to tuple|unsupported operand type\(s\) for [-+*/]: 'tuple' and '\w+'", msg)
    if m and re.search(r"\bnp\.(where|nonzero)\(", line):
        return (
            "`np.where(condition)` with one argument returns a tuple of index arrays (one per dimension), not an array; take the first: `np.where(condition)[0]` (or use `np.flatnonzero(condition)`)."
        )
    return None


def where_tuple_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`where_tuple`."""
    msg, line = f.message, f.line
    if re.fullmatch(r"can only concatenate tuple \(not \"\w+\"\) to tuple", msg):
        call = call_args_span(line, r"\bnp\.(?:where|nonzero)\(")
        return line[: call[1] + 1] + "[0]" + line[call[1] + 1 :] if call else None
    return None


def quantile_range_corrected(f: Facts) -> str | None:
    """The fraction for a percentage given to ``np.quantile`` (:data:`QUANTILE_RANGE`)."""
    msg, line = f.message, f.line
    if msg == "Quantiles must be in the range [0, 1]":
        return sub1(r"(quantile\([^,()]+,\s*(?:q\s*=\s*)?)(\d+(?:\.\d+)?)\b", lambda q: f"{q.group(1)}{float(q.group(2)) / 100:g}" if float(q.group(2)) > 1 else q.group(0), line)
    return None


def solve_not_square(f: Facts) -> str | None:
    """``np.linalg.solve`` of a system that is not square."""
    msg, line = f.message, f.line
    if msg == "Last 2 dimensions of the array must be square" and "solve(" in line:
        call = re.search(r"solve\(\s*([A-Za-z_]\w*)", line)
        value = f.scope(call.group(1)) if call else MISSING
        if call and is_ndarray(value) and value.ndim == 2:
            r, c = value.shape
            return (
                f"`{call.group(1)}` has shape ({r}, {c}): {r} equations for {c} unknowns, and `solve` needs a square matrix; for "
                f"the best fit use least squares: `np.linalg.lstsq({call.group(1)}, y, rcond=None)[0]`."
            )
        return "`solve` needs a square matrix; for more equations than unknowns use least squares: `np.linalg.lstsq(A, b, rcond=None)[0]`."
    return None


def solve_not_square_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`solve_not_square`."""
    msg, line = f.message, f.line
    if msg == "Last 2 dimensions of the array must be square":
        return sub1(r"\blinalg\.solve\(([^()]*)\)", lambda c: f"linalg.lstsq({c.group(1)}, rcond=None)[0]", line)
    return None


def _probabilities(f: Facts) -> tuple[str, float, bool] | None:
    """``(p's text, its sum, whether it is a NumPy array)`` for the ``p=`` of the failing line: a name holding a
    numeric array or a list of numbers, or a list literal."""
    m = re.search(r"\bp\s*=\s*([A-Za-z_]\w*|\[[^\[\]]*\])", f.line)
    if not m:
        return None
    text = m.group(1)
    value: Any = f.scope(text) if text.isidentifier() else MISSING
    if value is MISSING and text.startswith("["):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    if type(value).__name__ == "ndarray" and type(value).__module__ == "numpy" and value.dtype.kind in "iuf" and value.size <= 10**6:
        return text, float(value.sum()), True
    if type(value) in (list, tuple) and len(value) <= 10**6 and all(type(x) in (int, float) for x in value):
        return text, float(sum(value)), False
    return None


def probabilities_sum(f: Facts) -> str | None:
    """``p=`` probabilities that do not sum to 1."""
    msg = f.message
    if msg == "probabilities do not sum to 1":
        found = _probabilities(f)
        if found:
            text, total, array = found
            norm = f"{text} / {text}.sum()" if array else f"np.array({text}) / sum({text})"
            return f"the probabilities `{clip(text)}` add up to {total:.6g}, not 1; `p=` must be shares that sum to exactly 1, so divide them by their sum: `p={norm}`."
    return None


def probabilities_sum_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`probabilities_sum`."""
    msg, line = f.message, f.line
    if msg == "probabilities do not sum to 1":
        found = _probabilities(f)
        if found:
            text, _, array = found
            norm = f"{text} / {text}.sum()" if array else f"np.array({text}) / sum({text})"
            return sub1(rf"\bp\s*=\s*{re.escape(text)}", lambda _: f"p={norm}", line)
    return None


def broadcast_into(f: Facts) -> str | None:
    """Values of another shape assigned into a part of an array."""
    msg, line = f.message, f.line
    m = re.search(r"could not broadcast input array from shape \(([\d, ]*)\) into shape \(([\d, ]*)\)", msg)
    if m:
        target = re.match(r"^\s*([A-Za-z_][\w.]*\s*\[[^=]*\])\s*=(?!=)", line)
        if target:
            src, dst = m.group(1).rstrip(","), m.group(2).rstrip(",")
            if "," not in src and "," not in dst:
                return f"`{target.group(1)}` holds {dst} values (shape ({dst},)) but the right side has {src} (shape ({src},)); give exactly {dst} values, or assign to a part of length {src}."
            return f"`{target.group(1)}` has shape ({m.group(2)}) but the right side has shape ({m.group(1)}); make the shapes agree (or assign to a part with the right side's shape)."
    return None


def broadcast_into_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`broadcast_into`."""
    msg, line = f.message, f.line
    m = re.search(r"could not broadcast input array from shape \((\d+),\) into shape \((\d+),\)", msg)
    if m and int(m.group(1)) < int(m.group(2)):
        t = re.match(r"^(\s*)([A-Za-z_]\w*)\s*\[\s*(-?\d+)\s*\]\s*=(?!=)\s*(.+)$", line)
        if t and is_ndarray(f.scope(t.group(2))) and f.scope(t.group(2)).ndim == 2:
            return f"{t.group(1)}{t.group(2)}[{t.group(3)}, :{m.group(1)}] = {t.group(4)}"
    return None


def concatenate_axis(f: Facts) -> str | None:
    """``np.concatenate`` of arrays that differ on another axis than the one joined."""
    msg, line = f.message, f.line
    m = re.search(r"along dimension (\d+), the array at index (\d+) has size (\d+) and the array at index (\d+) has size (\d+)", msg)
    if m and "concatenate" in line:
        dim = int(m.group(1))
        return (
            f"`np.concatenate` joins along axis 0 by default, which needs the arrays to agree on every other dimension, but on "
            f"dimension {dim} they have {m.group(3)} and {m.group(5)}; to put them side by side use `axis=1` (the rows must match), "
            f"or make the shapes agree."
        )
    return None


def concatenate_axis_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`concatenate_axis`."""
    msg, line = f.message, f.line
    m = re.search(r"along dimension 1, the array at index \d+ has size \d+", msg)
    if m and "concatenate" in line:
        call = re.search(r"np\.concatenate\(\s*\[\s*(\w+)\s*,\s*(\w+)\s*\]\s*\)", line)
        if call:
            a, b = (f.scope(n) for n in call.groups())
            if all(is_ndarray(v) and v.ndim == 2 for v in (a, b)) and a.shape[0] == b.shape[0]:
                return line.replace(call.group(0), f"np.concatenate([{call.group(1)}, {call.group(2)}], axis=1)", 1)
    return None


def axis_out_of_bounds(f: Facts) -> str | None:
    """An axis the array does not have."""
    msg, line = f.message, f.line
    m = re.search(r"axis (\d+) is out of bounds for array of dimension (\d+)", msg)
    if m:
        dims = int(m.group(2))
        arrays = [n for n in names_on_line(line) if is_ndarray(f.scope(n))]
        who = f"`{arrays[0]}` has {dims} dimension{'s' if dims != 1 else ''}" if arrays else f"the array has {dims} dimension{'s' if dims != 1 else ''}"
        axes = "its only axis is 0" if dims == 1 else f"its axes are 0 to {dims - 1}"
        return f"{who}, so {axes}; axis {m.group(1)} does not exist: use `axis=0`, or leave `axis` out for the whole array."
    return None


def axis_out_of_bounds_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`axis_out_of_bounds`."""
    msg, line = f.message, f.line
    m = re.search(r"axis (\d+) is out of bounds for array of dimension 1", msg)
    if m:
        return sub1(rf"\baxis\s*=\s*{m.group(1)}\b", "axis=0", line)
    return None


def ragged_rows(f: Facts) -> str | None:
    """Rows of different lengths made into an array."""
    msg, line = f.message, f.line
    if "inhomogeneous shape" in msg or "setting an array element with a sequence" in msg:
        for name in names_on_line(line):
            value = f.scope(name)
            if type(value) in (list, tuple) and value and all(type(r) in (list, tuple) for r in value[:100]):
                lengths = sorted({len(r) for r in value[:100]})
                if len(lengths) > 1:
                    return (
                        f"the rows of `{name}` have different lengths ({', '.join(map(str, lengths))}), so they do not form a "
                        f"rectangular array; pad the short rows (e.g. with `np.nan`) to the same length, or keep them in a list "
                        f"or DataFrame."
                    )
        return "the rows have different lengths, so they do not form a rectangular array; pad them to the same length first."
    return None


def singular_matrix(f: Facts) -> str | None:
    """The inverse of a singular matrix."""
    msg, exc = f.message, f.exc
    if type(exc).__name__ == "LinAlgError" and msg == "Singular matrix":
        return (
            "the matrix is singular (its determinant is 0: one row is a multiple of another), so it has no inverse; use `np.linalg.pinv` for a pseudo-inverse, or `np.linalg.lstsq` to solve a system."
        )
    return None


def singular_matrix_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`singular_matrix`."""
    msg, line, exc = f.message, f.line, f.exc
    if type(exc).__name__ == "LinAlgError" and msg == "Singular matrix":
        return sub1(r"\bnp\.linalg\.inv\(", "np.linalg.pinv(", line)
    return None


def dims_mismatch(f: Facts) -> str | None:
    """``np.append`` or ``np.concatenate`` of arrays with different numbers of dimensions."""
    msg, line = f.message, f.line
    m = re.search(r"the array at index 0 has (\d+) dimension\(s\) and the array at index 1 has (\d+) dimension\(s\)", msg)
    if m:
        call = re.search(r"np\.(?:append|concatenate)\(\s*\[?\s*(\w+)\s*,\s*(\[[^\[\]]*\]|[^,\]]+?)\s*[,\])]", line)
        first, second = (f"`{call.group(1)}`", f"`{call.group(2).strip()}`") if call else ("the first array", "the second")
        return (
            f"the arrays must have the same number of dimensions, but {first} is {m.group(1)}-D and {second} is {m.group(2)}-D; "
            f"to add one row to a 2-D array, make the row 2-D too (`[[1, 2, 3]]`) or use `np.vstack([arr, row])`."
        )
    return None


def dims_mismatch_corrected(f: Facts) -> str | None:
    """The corrected line for :func:`dims_mismatch`."""
    msg, line = f.message, f.line
    if re.search(r"array at index 0 has 2 dimension\(s\) and the array at index 1 has 1 dimension", msg):
        return sub1(r"(np\.(?:append|concatenate)\(\s*\[?\s*\w+\s*,\s*)(\[[^\[\]]*\])", r"\1[\2]", line)
    return None
