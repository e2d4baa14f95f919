"""Where an answer came from: the model file and its sha256, context, sampling, llama.cpp build, recovery.

Nothing here may delay the first token. The model's sha256 is computed once per file in a
background thread and cached by path, size and mtime (hashing 500 MB takes seconds); until it is
known, the sha256 pinned for that file by the model catalogue (same name and size) stands in, marked
as such. The llama.cpp build is read once per server URL from ``/props`` (``build_info``) with a
short timeout.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from typing import Any

import httpx

SHA_PREFIX = 12


class ModelHashes:
    """sha256 of model files, computed lazily in the background, cached by (path, size, mtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[tuple[str, int, int], str] = {}
        self._running: set[tuple[str, int, int]] = set()

    @staticmethod
    def _key(path: str) -> tuple[str, int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (os.path.realpath(path), st.st_size, st.st_mtime_ns)

    def lookup(self, path: str | None) -> tuple[str | None, str | None]:
        """``(sha256, source)`` now, without waiting: ``source`` is ``"hashed"`` or ``"catalogue"``.

        Starts hashing the file in the background the first time it is asked about.
        """
        if not path:
            return None, None
        key = self._key(path)
        if key is None:
            return None, None
        with self._lock:
            sha = self._done.get(key)
            start = sha is None and key not in self._running
            if start:
                self._running.add(key)
        if sha is not None:
            return sha, "hashed"
        if start:
            threading.Thread(target=self._hash, args=(key,), name="llama-nb-sha256", daemon=True).start()
        pinned = _catalogue_sha(key[0], key[1])
        return (pinned, "catalogue") if pinned else (None, None)

    def wait(self, path: str, timeout: float) -> str | None:
        """The hash of ``path``, waiting up to ``timeout`` seconds (tests and benches)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            sha, source = self.lookup(path)
            if source == "hashed" or time.monotonic() >= deadline:
                return sha if source == "hashed" else None
            time.sleep(0.05)

    def _hash(self, key: tuple[str, int, int]) -> None:
        digest = hashlib.sha256()
        try:
            with open(key[0], "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            with self._lock:
                self._running.discard(key)
            return
        with self._lock:
            self._done[key] = digest.hexdigest()
            self._running.discard(key)


def _catalogue_sha(path: str, size: int) -> str | None:
    """The sha256 the model catalogue pins for a file of this name and size, when there is a catalogue."""
    try:
        catalogue = importlib.import_module("llama_nb.catalogue")
    except ImportError:
        return None
    name = os.path.basename(path)
    for entry in getattr(catalogue, "CATALOGUE", {}).values():
        if getattr(entry, "filename", None) == name and getattr(entry, "size", None) == size:
            return str(entry.sha256)
    return None


class Builds:
    """llama.cpp's build per server URL, from ``/props`` (read once, bounded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds: dict[str, str | None] = {}

    def get(self, root_url: str, api_key: str = "", timeout: float = 0.5) -> str | None:
        with self._lock:
            if root_url in self._builds:
                return self._builds[root_url]
        build: str | None = None
        try:
            headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
            response = httpx.get(f"{root_url.rstrip('/')}/props", headers=headers, timeout=timeout, trust_env=False)
            if response.status_code == 200:
                data = response.json()
                build = data.get("build_info") or None
        except (httpx.HTTPError, ValueError, AttributeError):
            build = None
        with self._lock:
            self._builds[root_url] = build
        return build


def provenance(
    *, model_path: str | None, hashes: ModelHashes, ctx_size: int | None, temperature: float | None, seed: int | None, build: str | None, profile: str | None, recovery: list[str]
) -> dict[str, Any]:
    """The provenance record of one answer (goes into the answer's output metadata)."""
    sha, source = hashes.lookup(model_path)
    return {
        "model": os.path.basename(model_path) if model_path else None,
        "model_path": model_path,
        "sha256": sha[:SHA_PREFIX] if sha else None,
        "sha256_source": source,
        "ctx_size": ctx_size,
        "temperature": temperature,
        "seed": seed,
        "build": build,
        "profile": profile,
        "recovery": list(recovery),
    }
