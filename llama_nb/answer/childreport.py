"""The sandbox child's report as the parent reads it: the child's bytes are not trusted, so each field is
checked (types, bounds) and a damaged or absurd report is no report. What the child found of missing values
and of guards comes back as index rows, worded later by the parent from its own lists (missing.trusted,
guards.trusted)."""

from __future__ import annotations

import json
from typing import Any


def read(raw: bytes) -> dict[str, Any] | None:
    """The child's report, checked field by field (a damaged or absurd one is no report)."""
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except Exception:  # ValueError, RecursionError, UnicodeError: the child's bytes are not trusted
        return None
    if not isinstance(data, dict):
        return None
    effects, timings, degenerate = data.get("effects", []), data.get("timings", {}), data.get("degenerate", [])
    introduced, skipped = data.get("introduced", []), data.get("skipped", [])
    exc_type, exception, check, check_error = (data.get(k) for k in ("exc_type", "exception", "check", "check_error"))
    if not isinstance(effects, list) or not all(isinstance(e, str) for e in effects) or not isinstance(timings, dict):
        return None
    if not isinstance(degenerate, list) or not all(isinstance(d, str) for d in degenerate):
        return None
    if not isinstance(introduced, list) or not isinstance(skipped, list):
        return None
    if any(x is not None and not isinstance(x, str) for x in (exc_type, exception, check_error)):
        return None
    if check is not None and not isinstance(check, bool):
        return None
    clean = {}
    for k, v in timings.items():
        if isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1e6:
            clean[k] = float(v)
    return {
        "effects": tuple(e[:200] for e in effects[:8]),
        "timings": clean,
        "exc_type": exc_type,
        "exception": exception[:400] if exception else exception,
        "check": check,
        "check_error": check_error[:400] if check_error else check_error,
        "degenerate": tuple(d[:120] for d in degenerate[:8]),
        "introduced": introduced[:8],  # [target index, count] pairs: checked and worded by missing.trusted
        "skipped": skipped[:8],  # [guard, skipped, of data] rows: checked and worded by guards.trusted
    }


def facts(raw: bytes, most: int, longest: int) -> tuple[str, ...]:
    """The facts line of the child's report: strings, bounded; anything else is no facts."""
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except Exception:
        return ()
    if not isinstance(data, list):
        return ()
    return tuple(f[:longest] for f in data[:most] if isinstance(f, str) and f.strip())
