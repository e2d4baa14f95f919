"""A model from Hugging Face: ``huggingface_hub.hf_hub_download`` (honours ``HF_ENDPOINT``,
``HF_HUB_OFFLINE``, ``HF_TOKEN``) in a child process, into a staging directory beside the models; the
child is stopped when the endpoint announces another size, sends more bytes than the catalogue's file
has, or stalls (fewer than ``STALL_BYTES`` in ``STALL_SECONDS``). The file is then hashed, verified and
renamed into place."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..catalogue import Entry, HFSource
from ..verify import Progress, hash_file, write_record
from .failures import Mismatch, SourceFailed

STALL_SECONDS = 120.0  # a Hugging Face download that gains fewer than STALL_BYTES in this long is stopped
STALL_BYTES = 1 << 18  # and the child writes in chunks of this size, so a slow but live link keeps going
HF_POLL = 0.2


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
    spec = {"repo": source.repo, "filename": source.filename, "revision": source.revision, "dir": str(staging), "size": entry.size, "chunk": STALL_BYTES}
    # No telemetry: with it, huggingface_hub 2.x also asks the endpoint for its registry of AI-agent harnesses
    # (``/api/agent-harnesses``) and adds what it finds to the User-Agent; a pull asks for the model's file only.
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "PYTHONUNBUFFERED": "1"}
    what = f"downloading {source.filename}"
    try:
        with tempfile.TemporaryFile() as out:
            proc = subprocess.Popen([sys.executable, "-c", _HF_CHILD, json.dumps(spec)], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL, env=env)
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
                            f"fewer than {STALL_BYTES // 1024} KiB arrived in {STALL_SECONDS:.0f} s ({size:,} of {entry.size:,} bytes in all): the endpoint does not answer or is too slow; stopped"
                        )
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
