"""Is this file the catalogue's file? A sha256 checked once, remembered in a sidecar record.

The record (``.NAME.verified`` beside the file: size, mtime, inode, sha256) lets every later use check
a file with one ``stat``; a file that changed since (size, mtime or inode) is hashed again. A file that
did *not* match is remembered too (the record holds the sha256 it has), so a damaged file costs one
hash, not one per look.

:func:`state` never reads the model file: listings, ``find_model`` and anything on an event loop use
it. Only :func:`verify_existing` hashes, and it is called where waiting is fine: a pull (under its
lock) and the supervisor's pre-start check (in its manager thread).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_mod
from pathlib import Path
from typing import Callable

from .catalogue import CATALOGUE, Entry, model_path, models_dir

#: ``progress(what, done, total)``: bytes (or wheels) done of total for the step named ``what``.
Progress = Callable[[str, int, int], None]

CHUNK = 1 << 20

#: What :func:`state` can say about a catalogue model's file.
VERIFIED, ABSENT, UNVERIFIED, MISMATCH = "verified", "absent", "unverified", "mismatch"


def _noop(what: str, done: int, total: int) -> None:
    pass


def record_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _recorded_sha(path: Path, st: os.stat_result) -> str | None:
    """The sha256 the record holds for exactly this version of the file (same size, mtime, inode)."""
    try:
        record = json.loads(record_path(path).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    same = record.get("size") == st.st_size and record.get("mtime_ns") == st.st_mtime_ns and record.get("ino", st.st_ino) == st.st_ino
    sha = record.get("sha256")
    return sha if same and isinstance(sha, str) else None


def state(entry: Entry, path: Path) -> str:
    """``verified``, ``absent``, ``unverified`` (there, the right size, never hashed in this version) or
    ``mismatch`` (not a regular file, the wrong size, or recorded with another sha256). Cheap: a stat
    and a small read, never a hash."""
    try:
        st = path.stat()
    except OSError:
        return ABSENT
    if not stat_mod.S_ISREG(st.st_mode) or st.st_size != entry.size:
        return MISMATCH
    sha = _recorded_sha(path, st)
    if sha is None:
        return UNVERIFIED
    return VERIFIED if sha == entry.sha256 else MISMATCH


def is_verified(entry: Entry, path: Path) -> bool:
    """True when ``path`` is ``entry``'s file as last verified (size, mtime and recorded sha256 agree)."""
    return state(entry, path) == VERIFIED


def write_record(path: Path, sha256: str, st: os.stat_result | None = None) -> None:
    """Remember ``sha256`` for ``path`` as it is now (or as ``st``, the stat of the file that was hashed)."""
    st = st or path.stat()
    record = record_path(path)
    tmp = record.with_name(record.name + f".{os.getpid()}")
    tmp.write_text(json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "sha256": sha256}))
    os.replace(tmp, record)


def hash_file(path: Path, progress: Progress = _noop, what: str = "verifying") -> tuple[int, str]:
    size, sha, _ = _hash(path, progress, what)
    return size, sha


def _hash(path: Path, progress: Progress, what: str) -> tuple[int, str, os.stat_result]:
    """Hash the file opened once; the stat is of that same open file (not of whatever the path names later)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        st = os.fstat(f.fileno())
        while block := f.read(CHUNK):
            digest.update(block)
            size += len(block)
            progress(what, size, st.st_size)
    return size, digest.hexdigest(), st


def verify_existing(entry: Entry, path: Path, progress: Progress = _noop) -> bool:
    """Check a file that is there but has no (current) record: hash it once and remember the result,
    a match or not. A file of the wrong size is not hashed. Returns whether it is ``entry``'s file.
    This reads the whole file: never call it on an event loop."""
    now = state(entry, path)
    if now != UNVERIFIED:
        return now == VERIFIED
    try:
        _, sha, st = _hash(path, progress, "verifying")
    except OSError:
        return False
    try:
        write_record(path, sha, st)
    except OSError:
        pass  # a read-only models dir: the answer stands, it is only not remembered
    return sha == entry.sha256


def pulled_path(entry: Entry, directory: Path | None = None) -> Path | None:
    """The verified file of ``entry`` in the models directory, or ``None`` (cheap: a stat and a small read)."""
    path = model_path(entry, directory)
    return path if is_verified(entry, path) else None


def entry_at(path: Path | str | None) -> Entry | None:
    """The catalogue entry whose pulled file is ``path`` (the models dir's file of that name), else ``None``."""
    if not path:
        return None
    path = Path(path)
    for entry in CATALOGUE.values():
        if path.name == entry.filename:
            try:
                if path.parent.resolve() == models_dir().resolve():
                    return entry
            except (OSError, RuntimeError):
                return None
    return None
