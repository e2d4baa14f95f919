"""Whether a value a fix left holds nothing to speak of (None, NaN, empty, all NaN): how an escape looks
when the error is gone with the result. Read in the sandbox's child, on whatever the fix left."""

from __future__ import annotations

import math
import sys
from typing import Any

#: Arrays and frames with more cells than this are not scanned for NaN by :func:`degenerate`.
NAN_SCAN_LIMIT = 1_000_000
#: What :func:`degenerate` says of a value that holds nothing to speak of.
DEGENERATE = ("None", "NaN", "empty", "all NaN")


def degenerate(value: Any) -> str | None:
    """``"None"``, ``"empty"`` or ``"all NaN"`` when ``value`` holds nothing to speak of; else ``None``.
    Runs in the child, on whatever the fix left (its methods may raise or lie: that is no finding)."""
    try:
        if value is None:
            return "None"
        if isinstance(value, float):
            return "NaN" if value != value else None
        shape = getattr(value, "shape", None)
        if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
            if shape and 0 in shape:
                return "empty"
            if math.prod(shape) > NAN_SCAN_LIMIT:
                return None  # scanning it could take the run's time or memory: only emptiness is said
            isna = getattr(value, "isna", None)
            if shape and callable(isna):
                missing = isna()
                for _ in range(2):  # a frame's .all() is a Series; a Series' is one truth value
                    missing = missing.all() if hasattr(missing, "all") else missing
                return "all NaN" if not hasattr(missing, "__len__") and bool(missing) else None
            kind = getattr(getattr(value, "dtype", None), "kind", "")
            if shape and kind in ("f", "c") and "numpy" in sys.modules:
                return "all NaN" if bool(sys.modules["numpy"].isnan(value).all()) else None
            return None
        if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) and len(value) == 0:
            return "empty"
    except Exception:
        return None
    return None
