"""The model file checked before llama-server runs: missing, not a regular file (a directory or a named
pipe is never opened), not the catalogue's bytes, not a GGUF, or cut short. A failure is a Diagnosis."""

from __future__ import annotations

from pathlib import Path

from ..verify import entry_at, verify_existing
from .diagnosis import Diagnosis, Kind
from .gguf import GGUFError, read_gguf


def check_model_file(path: Path | None, tried: tuple[str, ...]) -> Diagnosis | None:
    """Fail fast on a model that cannot load: missing, unreadable, not a GGUF or too short."""
    if path is None:
        return Diagnosis(Kind.MODEL_MISSING, "No model is configured and the default model is not installed.", tried)
    if not path.is_file():
        if path.exists():  # a directory or a named pipe where the model should be: never opened (a pipe blocks)
            what = "a directory" if path.is_dir() else "not a regular file"
            return Diagnosis(Kind.MODEL_MISSING, f"{path} is {what}, not a model file.", (f"not a file: {path}",) + tried)
        return Diagnosis(Kind.MODEL_MISSING, f"There is no file at {path}.", (f"missing: {path}",) + tried)
    entry = entry_at(path)
    if entry is not None and not verify_existing(entry, path):  # hashes once (this thread, no lock held)
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        return Diagnosis(
            Kind.MODEL_CORRUPT,
            f"{path.name} in the models dir is not the catalogue's {entry.name}: "
            + (f"it has {size:,} bytes, not {entry.size:,}" if size != entry.size else "its sha256 differs")
            + " (an interrupted or tampered download, or another file of that name). It was not loaded.",
            (f"{path}: {size:,} bytes; the catalogue's {entry.name} is {entry.size:,} bytes, sha256 {entry.sha256}",),
        )
    try:
        info = read_gguf(path)
    except GGUFError as exc:
        return Diagnosis(Kind.MODEL_CORRUPT, f"{path.name} is not a usable GGUF file: {exc}.", (f"{path}: {exc}",))
    except OSError as exc:
        return Diagnosis(Kind.MODEL_MISSING, f"{path} cannot be read: {exc.strerror}.", (str(exc),))
    if info.truncated:
        return Diagnosis(
            Kind.MODEL_CORRUPT,
            f"{path.name} is cut short: its tensors reach past byte {info.data_start + info.last_tensor_offset:,} but the file has only {info.file_size:,} bytes (an interrupted download or copy).",
            (f"{path}: {info.file_size:,} bytes; tensor data expected beyond {info.data_start + info.last_tensor_offset:,}",),
        )
    return None
