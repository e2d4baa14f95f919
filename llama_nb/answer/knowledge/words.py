"""How the hints name things: "an int", a value's short ``repr`` (never a user's ``__repr__``), a list of keys, the
options closest to a misspelt word, and the texts that mark a missing value.
"""

from __future__ import annotations

import difflib
import itertools
from typing import Any


#: The longest a hint may be (a longer one is cut, with …).
MAX_LINE = 240

#: Texts that mark a missing value in data.
NA_MARKERS = frozenset({"n/a", "na", "nan", "none", "null", "-", "--", "?", "missing", "unknown", ""})


def type_name(value: Any) -> str:
    return type(value).__name__


def an(word: str) -> str:
    """``an int``, ``a str``, ``a NumPy array (ndarray)``."""
    special = {"ndarray": "a NumPy array (ndarray)", "DataFrame": "a pandas DataFrame", "Series": "a pandas Series"}
    if word in special:
        return special[word]
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def short_repr(value: Any, limit: int = MAX_LINE) -> str:
    """``repr(value)`` of a str, number or tuple of them, made from at most ``limit`` characters of a long
    str (a 10-million-character text is not copied whole to be cut to 40); ``…`` for anything else (a
    user's ``__repr__`` is never called)."""
    kind = type(value)
    if kind is str:
        return repr(value if len(value) <= limit else value[:limit])
    if kind in (int, float, bool) or value is None:
        return repr(value)
    if kind is tuple:
        items = [short_repr(v, limit) for v in itertools.islice(value, limit)]
        more = ", …" if len(value) > limit else ("," if len(value) == 1 else "")
        return "(" + ", ".join(items) + more + ")"
    return "…"


def shown_keys(keys: list[Any], limit: int = 8) -> str:
    shown = [short_repr(k) for k in keys[:limit] if type(k) in (str, int, float, bool, tuple)]
    return ", ".join(shown) + (", …" if len(keys) > limit else "")


def close_matches(word: str, options: list[str]) -> list[str]:
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, options, n=2, cutoff=0.75)
