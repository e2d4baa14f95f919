"""Writing a verified file: a temporary file in the models directory, hashed as it is written, renamed to
its final name only when its size and sha256 are the catalogue's (else deleted), then recorded as verified."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..catalogue import Entry
from ..verify import Progress, write_record
from .failures import Mismatch, Oversize


class _HashingWriter:
    """A temporary file in the models directory, hashed as it is written."""

    def __init__(self, directory: Path, entry: Entry, progress: Progress, what: str) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{entry.filename}.", suffix=".partial", dir=directory)
        self.path = Path(name)
        self.file = os.fdopen(fd, "wb")
        self.digest = hashlib.sha256()
        self.size = 0
        self.entry, self.progress, self.what = entry, progress, what

    def write(self, block: bytes) -> None:
        self.size += len(block)
        if self.size > self.entry.size:
            raise Oversize(f"more than the catalogue's {self.entry.size:,} bytes arrived")
        self.file.write(block)
        self.digest.update(block)
        self.progress(self.what, self.size, self.entry.size)

    def finish(self, final: Path, source: str) -> None:
        """fsync, check size and sha256, rename into place; on a mismatch delete and raise."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        sha = self.digest.hexdigest()
        if self.size != self.entry.size or sha != self.entry.sha256:
            self.discard()
            raise Mismatch(source, self.size, sha, self.entry)
        os.chmod(self.path, 0o644)
        st = os.stat(self.path)
        os.replace(self.path, final)
        write_record(final, sha, st)

    def discard(self) -> None:
        try:
            self.file.close()
        except OSError:
            pass
        self.path.unlink(missing_ok=True)
