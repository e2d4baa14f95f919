"""Is this file the catalogue's file? A sha256 checked once, remembered in a sidecar record.

The record (``.NAME.verified`` beside the file: size, mtime, sha256) lets every later use check a
verified model with one ``stat``; a file that changed since (size or mtime) is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from .catalogue import Entry, model_path

#: ``progress(what, done, total)``: bytes (or wheels) done of total for the step named ``what``.
Progress = Callable[[str, int, int], None]

CHUNK = 1 << 20


def _noop(what: str, done: int, total: int) -> None:
    pass


def record_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def is_verified(entry: Entry, path: Path) -> bool:
    """True when ``path`` is ``entry``'s file as last verified (size, mtime and recorded sha256 agree)."""
    try:
        st = path.stat()
        record = json.loads(record_path(path).read_text())
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and st.st_size == entry.size
        and record.get("size") == st.st_size
        and record.get("mtime_ns") == st.st_mtime_ns
        and record.get("sha256") == entry.sha256
    )


def write_record(path: Path, sha256: str) -> None:
    st = path.stat()
    record = record_path(path)
    tmp = record.with_name(record.name + f".{os.getpid()}")
    tmp.write_text(json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}))
    os.replace(tmp, record)


def hash_file(path: Path, progress: Progress = _noop, what: str = "verifying") -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    total = path.stat().st_size
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
            size += len(block)
            progress(what, size, total)
    return size, digest.hexdigest()


def verify_existing(entry: Entry, path: Path, progress: Progress = _noop) -> bool:
    """Check a file that is there but has no (current) record: hash it once and remember the result.
    A file of the wrong size is not hashed. Returns whether it is ``entry``'s file."""
    if is_verified(entry, path):
        return True
    try:
        if path.stat().st_size != entry.size:
            return False
        _, sha = hash_file(path, progress)
    except OSError:
        return False
    if sha != entry.sha256:
        return False
    write_record(path, sha)
    return True


def pulled_path(entry: Entry, directory: Path | None = None) -> Path | None:
    """The verified file of ``entry`` in the models directory, or ``None`` (cheap: a stat and a small read)."""
    path = model_path(entry, directory)
    return path if is_verified(entry, path) else None
