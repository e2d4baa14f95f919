"""Values at the failing line: what a kernel knows and a chat tool does not.

When a cell raises, the traceback still holds the frames. The deepest frame that runs the user's
cell, and the names used on its failing line, give short facts such as ``person: dict (len 2),
keys ['name', 'age']``, ``items: None``, ``left: DataFrame 2x2, columns ['id', 'x']``; the explain
prompt shows them so that a small model sees the data instead of guessing it.

Safe by construction: only ``type``, ``len``, dict keys, pandas ``shape``/``columns``/``dtypes``,
numpy ``shape``/``dtype``, a Python function's signature, and the ``repr`` of builtin scalars and
short strings are read, and the text of pandas' own ``Timestamp``/``Timedelta``. A Series shows its first values, and
a DataFrame's column named on the failing line (``df['price']``, ``df.price``) is shown as such a Series: what
the data looks like (``'$1,200'``, ``'05/01/2024'``, ``None``) is often the cause, and a chat tool cannot see it. The ``repr``/``__len__``/``__eq__`` of a user's class is never called (such
a value is shown by its type name); everything is guarded, bounded (at most :data:`MAX_NAMES`
lines of at most :data:`MAX_LINE` characters) and computed once, when the cell fails.
A library function or method called on the failing line of a ``TypeError`` (``pd.concat(a, b)``,
``np.zeros(n, n)``, ``df.pivot(..., aggfunc=...)``) is shown by its signature, read from the library's own callable (never a user's: only
modules of the standard library and of :data:`LIBRARIES`, found without calling anything).
``%config LlamaNB.explain_values = False`` turns it off.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import io
import keyword
import linecache
import os
import re
import sys
import sysconfig
import tokenize
import types
from typing import Any

MAX_NAMES = 8
MAX_LINE = 100
MAX_ITEMS = 8
#: The first values of a Series shown.
SAMPLE = 5
#: The libraries whose callables on a failing line are shown by their signature (with the standard library's).
LIBRARIES = frozenset({"pandas", "numpy", "scipy", "sklearn", "matplotlib", "seaborn", "statsmodels", "polars", "pyarrow"})
#: At most this many signatures per failing line.
MAX_SIGNATURES = 2

#: The file names a frame of the user's cell has (``<fix>``: the cell with a candidate in it, sandbox.py).
CELL_FILE = re.compile(r"ipykernel_|ipython-input|^<cell|^<string>|^<fix>")
_SCALARS = (type(None), bool, int, float, complex)
_MISSING = object()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def _scalar(value: Any, limit: int = 40) -> str | None:
    """``repr`` of a builtin scalar or string (exact types only: a subclass may override ``__repr__``)."""
    kind = type(value)
    if kind in _SCALARS:
        return _clip(repr(value), limit)
    if kind in (str, bytes):
        return _clip(repr(value[: limit + 1]), limit)
    return None


def _items(values: list[Any], limit: int = MAX_ITEMS) -> str:
    shown = []
    for v in values[:limit]:
        s = _scalar(v, 20)
        if s is None and type(v).__name__ in ("Timestamp", "Timedelta") and type(v).__module__.startswith("pandas"):
            s = _clip(str(v), 32)  # pandas' own type (exact): its text is the library's, never the user's
        shown.append(s if s is not None else type(v).__name__)
    return ", ".join(shown) + (", …" if len(values) > limit else "")


def _pandas(value: Any, kind: type) -> str | None:
    name = kind.__name__
    if not kind.__module__.startswith("pandas"):
        return None
    if name == "DataFrame":
        rows, cols = value.shape
        columns = list(value.columns[:MAX_ITEMS])
        dtypes = sorted({str(d) for d in value.dtypes.iloc[:MAX_ITEMS]})
        return f"DataFrame {rows}x{cols}, columns [{_items(columns)}{', …' if cols > MAX_ITEMS else ''}], dtypes {', '.join(dtypes)}"
    if name == "Series":
        label = _scalar(value.name, 20)
        head = f"Series len {len(value)}, dtype {value.dtype}" + (f", name {label}" if value.name is not None and label else "")
        first = list(value.iloc[: SAMPLE + 1].tolist())  # Python scalars, or the objects held (shown by type name)
        return head + (f": [{_items(first, SAMPLE)}]" if first else "")
    if name in ("Index", "RangeIndex"):
        return f"{name} len {len(value)}: [{_items(list(value[:MAX_ITEMS]))}]"
    return name


def describe(value: Any) -> str:
    """A short, side-effect-free description of ``value`` (never its arbitrary ``repr``)."""
    kind = type(value)
    s = _scalar(value, 60)
    if s is not None:
        if value is None:
            return "None"
        return f"{kind.__name__} {s}" if kind is not str or len(value) <= 60 else f"str (len {len(value)}) {s}"
    if kind in (str, bytes):
        return f"{kind.__name__} (len {len(value)})"
    try:
        if issubclass(kind, dict):
            n = dict.__len__(value)
            if n == 0:
                return f"{kind.__name__} (empty)"
            keys = [k for _, k in zip(range(MAX_ITEMS + 1), dict.keys(value))]
            return f"{kind.__name__} (len {n}), keys [{_items(keys)}]"
        sequences: tuple[Any, ...] = (list, tuple)  # their own methods: a subclass's may run the user's code
        for base in sequences:
            if issubclass(kind, base):
                n = base.__len__(value)
                if n == 0:
                    return f"{kind.__name__} (empty)"
                return f"{kind.__name__} (len {n}): [{_items(list(base.__getitem__(value, slice(0, MAX_ITEMS + 1))))}]"
        if kind in (set, frozenset):  # exact: a subclass's __len__ is its own code
            return f"{kind.__name__} (len {len(value)})"
        if kind.__module__ == "numpy" and kind.__name__ == "ndarray":
            return f"numpy array, shape {tuple(value.shape)}, dtype {value.dtype}"
        pd = _pandas(value, kind)
        if pd is not None:
            return pd
        if kind is types.FunctionType:
            code = value.__code__
            params = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
            return _clip(f"function {value.__name__}({', '.join(params)})", MAX_LINE)
        if kind is types.ModuleType:
            return f"module {value.__name__}"
        if issubclass(kind, type):
            return f"class {value.__name__}"
        if kind in (types.BuiltinFunctionType, types.MethodType):
            return f"{kind.__name__} {getattr(value, '__name__', '')}".strip()
    except Exception:
        pass
    return f"{kind.__module__ + '.' if kind.__module__ not in ('builtins', '__main__') else ''}{kind.__name__} object"


_BLANKS = re.compile(r"[ \t\f]+")


def _tokens(line: str) -> list[tokenize.TokenInfo]:
    """The tokens of one line, as far as it reads: an unfinished line (``if (x``, the first line of a long
    call) still gives the ones before. Each run of spaces and tabs is read as one space (the tokens are the
    same): Python's tokenize goes back over a whole run of whitespace before each character it cannot read,
    so 4,000 tabs before a ``€`` took 4 s."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(_BLANKS.sub(" ", line).strip() + "\n").readline):
            tokens.append(tok)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return tokens


def names_on(line: str) -> list[str]:
    """The variable names a line reads: not keywords, attributes (``.x``), keyword arguments (``f(x=1)``)
    or the target of ``x = ...``."""
    names: list[str] = []
    tokens = _tokens(line)
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or keyword.iskeyword(tok.string) or tok.string in names:
            continue
        prev = tokens[i - 1].string if i else ""
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if prev in (".", "for") or nxt == "=":
            continue  # an attribute, a keyword argument, or the name being assigned (not read)
        names.append(tok.string)
    return names


def _cell_frame(exc: BaseException) -> tuple[Any, int] | None:
    """The deepest traceback entry whose code is the user's cell: (frame, line number)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if CELL_FILE.search(tb.tb_frame.f_code.co_filename or ""):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def failing_line(exc: BaseException, cell: str | None = None) -> tuple[str, Any]:
    """The failing line of the user's cell (from linecache, else from ``cell``) and its frame; ``("", None)``
    when no frame of the traceback is the cell's."""
    found = _cell_frame(exc)
    if found is None:
        return "", None
    frame, lineno = found
    line = linecache.getline(frame.f_code.co_filename, lineno)
    if not line.strip() and cell:
        lines = cell.splitlines()
        line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    return line, frame


def columns_on(line: str, name: str, value: Any) -> list[Any]:
    """The columns of the DataFrame ``value`` that ``line`` reads from ``name`` as ``name['col']`` (a literal)
    or ``name.col`` (an existing column): checked against ``value.columns`` only (pandas' own type)."""
    tokens = _tokens(line)
    columns = value.columns
    found: list[Any] = []
    for i, tok in enumerate(tokens[:-2]):
        if tok.type != tokenize.NAME or tok.string != name or (i and tokens[i - 1].string == "."):
            continue
        after, key = tokens[i + 1].string, tokens[i + 2]
        if after == "[" and key.type in (tokenize.STRING, tokenize.NUMBER) and i + 3 < len(tokens) and tokens[i + 3].string == "]":
            try:
                col = ast.literal_eval(key.string)
            except (ValueError, SyntaxError):
                continue
        elif after == "." and key.type == tokenize.NAME:
            col = key.string
        else:
            continue
        if type(col) in (str, int) and col not in found and col in columns:
            found.append(col)
    return found


_PLAIN_CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType, types.ClassMethodDescriptorType)


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(os.path.realpath(paths[k]) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(k))


def _library(name: object) -> bool:
    top = name.split(".")[0] if type(name) is str else ""
    return top in LIBRARIES or (top in sys.stdlib_module_names and top not in ("builtins", "__main__"))


def _library_module(module: Any) -> bool:
    """A module of the standard library or of :data:`LIBRARIES`, the one imported under its name, loaded from
    the interpreter's own library directories (a user's ``random.py`` in the working directory is not one)."""
    if type(module) is not types.ModuleType:
        return False
    own = module.__dict__
    name, where = own.get("__name__"), own.get("__file__")
    if type(name) is not str or not _library(name) or sys.modules.get(name) is not module:
        return False
    if where is None:
        return name in sys.builtin_module_names or name.split(".")[0] in sys.stdlib_module_names
    return type(where) is str and os.path.realpath(where).startswith(_library_dirs())


def _library_class(kind: type) -> bool:
    """A plain class (no metaclass of its own) that its library module holds under its own qualified name."""
    if type(kind) is not type:
        return False
    module = sys.modules.get(type.__dict__["__module__"].__get__(kind))  # type's own descriptor: no lookup of the class's
    if module is None or not _library_module(module):
        return False
    found: Any = module
    for part in str(type.__dict__["__qualname__"].__get__(kind)).split("."):
        own = found.__dict__ if type(found) is types.ModuleType else type.__dict__["__dict__"].__get__(found) if type(found) is type else {}
        found = own.get(part, _MISSING)
    return found is kind


def _member(owner: Any, attr: str) -> Any:
    """``owner.attr`` found without running code: a library module's own dict, or a library class's own
    attribute (for an instance, its class's; found statically). ``_MISSING`` when not found that way."""
    if type(owner) is types.ModuleType:
        return owner.__dict__.get(attr, _MISSING) if _library_module(owner) else _MISSING
    kind = owner if type(owner) is type else type(owner)
    if not _library_class(kind):
        return _MISSING
    for klass in type.__dict__["__mro__"].__get__(kind):
        own = type.__dict__["__dict__"].__get__(klass)
        if attr in own:
            found = own[attr]
            return found.__func__ if type(found) in (staticmethod, classmethod) else found
    return _MISSING


def _params(fn: Any) -> str | None:
    """The parameters of a library callable, compact: defaults of the positional ones, names of the rest."""
    numpy = sys.modules.get("numpy")
    plain = _PLAIN_CALLABLES + ((numpy.ufunc,) if numpy is not None else ())
    if type(fn) not in plain:
        return None
    try:
        target = inspect.unwrap(fn, stop=lambda f: type(f) is not types.FunctionType) if type(fn) is types.FunctionType else fn
        if type(target) not in plain:
            return None
        signature = inspect.signature(target, follow_wrapped=False)
    except (TypeError, ValueError, AttributeError):
        return None
    parts: list[str] = []
    star = False
    for p in signature.parameters.values():
        if p.name == "self":
            continue
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            star = True
        elif p.kind is p.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        elif p.kind is p.KEYWORD_ONLY:
            if not star:
                parts.append("*")
                star = True
            parts.append(p.name)
        else:
            default = "" if p.default is p.empty else f"={_scalar(p.default, 16) or '…'}"
            parts.append(p.name + default)
    return ", ".join(parts)


def library_signatures(line: str, frame: Any) -> list[str]:
    """``pd.concat: signature (objs, *, axis, join, …)`` for the library callables that ``line`` calls by a
    dotted name (``np.zeros(``, ``df.pivot(``), looked up in ``frame`` without running any code of the user's."""
    tokens = _tokens(line)
    out: list[str] = []
    i = 0
    while i < len(tokens) and len(out) < MAX_SIGNATURES:
        tok = tokens[i]
        if tok.type != tokenize.NAME or keyword.iskeyword(tok.string) or (i and tokens[i - 1].string == "."):
            i += 1
            continue
        chain = [tok.string]
        j = i + 1
        while j + 1 < len(tokens) and tokens[j].string == "." and tokens[j + 1].type == tokenize.NAME:
            chain.append(tokens[j + 1].string)
            j += 2
        i = j
        if len(chain) < 2 or j >= len(tokens) or tokens[j].string != "(":
            continue
        try:
            value = frame.f_locals.get(chain[0], _MISSING)
            if value is _MISSING:
                value = frame.f_globals.get(chain[0], _MISSING)
            for attr in chain[1:]:
                if value is _MISSING:
                    break
                value = _member(value, attr)
            params = _params(value) if value is not _MISSING else None
        except Exception:  # a lookup that fails costs this signature, never the values
            params = None
        text = _clip(f"{'.'.join(chain)}: signature ({params})", MAX_LINE) if params is not None else None
        if text and text not in out:
            out.append(text)
    return out


def failing_values(exc: BaseException, cell: str | None = None) -> tuple[str, ...]:
    """``name: description`` for the names on the failing line of the user's cell, from that frame."""
    try:
        line, frame = failing_line(exc, cell)
        if frame is None:
            return ()
        if not line.strip() or line.lstrip().startswith(("import ", "from ")):
            return ()
        f_locals, f_globals = frame.f_locals, frame.f_globals
        in_function = f_locals is not f_globals
        out = []
        for name in names_on(line):
            where = ""
            value = f_locals.get(name, _MISSING)
            if value is _MISSING and in_function and name in frame.f_code.co_varnames:
                # Assigned somewhere in this function, so local everywhere in it: a global of that name is not used.
                outer = f_globals.get(name, _MISSING)
                text = f"local variable of {frame.f_code.co_name}(), not assigned yet"
                if outer is not _MISSING:
                    text += f" (the global {name} is not used)"
                out.append(_clip(f"{name}: {text}", MAX_LINE))
                if len(out) >= MAX_NAMES:
                    break
                continue
            if value is _MISSING:
                value = f_globals.get(name, _MISSING)
                where = " (global)" if in_function and value is not _MISSING else ""
            if value is _MISSING:
                if hasattr(builtins, name):
                    continue  # print, len, range: nothing to learn
                text = "not defined"
            else:
                try:
                    text = describe(value)
                except Exception:
                    text = f"{type(value).__name__} object"
                if text.startswith(("module ", "builtin_function_or_method")):
                    continue  # pd, np, math: the cell already says what they are
            out.append(_clip(f"{name}{where}: {text}", MAX_LINE))
            if value is not _MISSING and type(value).__name__ == "DataFrame" and type(value).__module__.startswith("pandas"):
                for col in columns_on(line, name, value):
                    if len(out) >= MAX_NAMES:
                        break
                    text = describe(value[col]).replace(f", name {_scalar(col, 20)}", "", 1)  # the name is the column
                    out.append(_clip(f"{name}[{col!r}]: {text}", MAX_LINE))
            if len(out) >= MAX_NAMES:
                break
        # A TypeError is how a call given the wrong arguments fails (a keyword it has not, a value where a
        # shape goes); of other errors the data is the cause, and a signature would only lengthen the prompt.
        try:
            signatures = library_signatures(line, frame) if isinstance(exc, TypeError) else []
        except Exception:
            signatures = []
        if signatures:  # said last, and kept within the bound: the data comes first
            out = out[: MAX_NAMES - len(signatures)] + signatures
        return tuple(out[:MAX_NAMES])
    except Exception:
        return ()
